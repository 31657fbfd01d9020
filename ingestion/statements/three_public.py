"""three_public_items (docs/staging/three_public_items.md): the 三公 expenses a document states.

Read from
- 三公 tables (a title naming 三公, or a header naming 因公出国 and 公务接待 under a lost title), in either
  layout: one row per category (luoyang: 总计 / 1、因公出国（境）费用 / … under a 预算数 column) or one column per
  category under a header tree (Jiangsu: 合计 | “三公”经费 {小计, 因公出国（境）费, 公务用车购置及运行维护费
  {小计, 购置费, 运行维护费}, 公务接待费} | 会议费 | 培训费, one row of figures);
- sentences: 2020 年“三公”经费预算为 8 万元; 因公出国（境）费支出决算0万元; 公务用车购置预算支出0万元，与上年预算数
  一致; 公务接待费支出0.28万元，完成预算100%。公务接待费支出决算比2019年增加0.13万元，增长86.66%。主要原因是…
  in a section whose heading names 三公, or in a sentence that names 三公 itself.

A stated absence (本部门2020年无“三公”经费预算支出; 2018年无公务用车购置预算安排; an index row 表13 … 是 空表
2020年无三公经费) is a stated zero, marked is_stated_none. A blank or '—' cell, an empty table, a table or
sentence the document does not have: no row.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import polars as pl

from ..numbers import find_unit, normalize, parse_amount
from ..tables import column_paths
from . import Context, Record
from .sentences import (
    CHANGE_COLUMNS, NUMBER, REASON_START_RE, UNIT, Paragraph, Text, Token, attach, attribute_tokens, empty_change,
    money, overlaps, paragraphs,
)

FRAME = "three_public_items"
COLUMNS: dict[str, pl.DataType] = {
    "category": pl.Utf8,
    "category_label": pl.Utf8,
    "figure_kind": pl.Utf8,
    "is_stated_none": pl.Boolean,
    "raw_amount": pl.Utf8,
    "unit": pl.Utf8,
    "amount": pl.Decimal(20, 4),
    "amount_yuan": pl.Decimal(20, 2),
    "previous_year": pl.Int32,
    "previous_raw_amount": pl.Utf8,
    "previous_unit": pl.Utf8,
    "previous_amount_yuan": pl.Decimal(20, 2),
    **CHANGE_COLUMNS,
    "execution_rate_pct": pl.Decimal(20, 4),
    "column_label": pl.Utf8,
    "phrase": pl.Utf8,
}

CATEGORIES = ("total", "outbound_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception",
              "reception_domestic", "reception_foreign")

# a category's name as printed (normalised text); the first alternative that matches wins
_CATEGORY_PATTERNS = [
    ("total", r"[“\"]?三公[”\"]?经费"),
    ("vehicles", r"公务用车购置(?:及|和|与)(?:运行维护|运行|运维)(?:经费|费用|费)?|公务用车费用?"),
    ("vehicle_operation", r"公务用车运行(?:维护)?(?:经费|费用|费)?|公务用车运维(?:经费|费用|费)?"),
    ("vehicle_purchase", r"公务用车购置(?:经费|费用|费)?"),
    ("outbound_travel", r"因公出国\(境\)(?:经费|费用|费)?|因公出国(?:境)?(?:经费|费用|费)"),
    ("reception_domestic", r"国内公务接待(?:经费|费用|费)?"),
    ("reception_foreign", r"(?:外事|外宾)接待(?:经费|费用|费)?"),
    ("reception", r"公务接待(?:经费|费用|费)?"),
]
CATEGORY_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _CATEGORY_PATTERNS))
_FILLER = r"(?:预算|决算|支出|财政拨款|拨款|安排|合计|共计|总额|金额|数|为|是|了|的|:|共)*"
AMOUNT_AFTER_RE = re.compile(rf"(?P<filler>{_FILLER})(?P<amt>{NUMBER})(?P<unit>{UNIT})?")
NONE_RE = re.compile(rf"(?:没有|无)(?:\d{{4}}年度?)?(?:一般公共预算|财政拨款|拨款|预算)*(?P<cat>{CATEGORY_RE.pattern})")
OTHER_MONEY_RE = re.compile(rf"{NUMBER}{UNIT}")
_OTHER_COLUMNS = ("会议", "培训")  # columns beside the 三公 in Jiangsu tables: their 合计 is not the 三公 total
_TOTAL_WORDS = ("合计", "总计", "小计")


def category_of(text: str) -> str | None:
    m = CATEGORY_RE.search(normalize(text))
    return m.lastgroup if m else None


def _values(category: str, label: str, figure_kind: str) -> dict[str, Any]:
    return {"category": category, "category_label": label, "figure_kind": figure_kind, "is_stated_none": False,
            "raw_amount": None, "unit": None, "amount": None, "amount_yuan": None, "previous_year": None,
            "previous_raw_amount": None, "previous_unit": None, "previous_amount_yuan": None, **empty_change(),
            "execution_rate_pct": None, "column_label": None, "phrase": None}


def _set_amount(values: dict[str, Any], raw: str, unit: str | None) -> bool:
    amount, yuan = money(raw, unit)
    if amount is None or yuan is None:
        return False
    values.update(raw_amount=raw.strip(), unit=unit, amount=amount, amount_yuan=yuan)
    return True


def _figure_kind(text: str, stage: str | None) -> str:
    t = normalize(text)
    if "决算" in t:
        return "final"
    if "预算" in t:
        return "budget"
    return stage or "budget"


def extract(ctx: Context) -> list[Record]:
    tables, read_rows = _tables(ctx)
    return tables + _prose(ctx, read_rows)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
def _is_three_public_block(tb) -> bool:
    if tb.info is not None and tb.info.kind == "three_public":
        return True
    if tb.info is not None and tb.info.kind not in ("other",):
        return False
    head = " ".join(normalize(c) for r in tb.block.rows[:12] for c in r.cells)
    return "因公出国" in head and "公务接待" in head


def _is_lanci(cells: list[str]) -> bool:
    vals = [normalize(c) for c in cells if normalize(c)]
    if not vals:
        return False
    return vals[0] in ("栏次", "行次") or (len(vals) >= 2 and all(v.isdigit() for v in vals)
                                          and [int(v) for v in vals] == list(range(int(vals[0]), int(vals[0]) + len(vals))))


def _is_caption_row(cells: list[str]) -> bool:
    t = normalize("".join(cells))
    return bool(re.search(r"单位[:：]|部门[:：]|部门名称|单位名称|预算年度|编制单位", t)) and not any(
        parse_amount(c) is not None for c in cells)


def _tables(ctx: Context) -> tuple[list[Record], set[int]]:
    records: list[Record] = []
    read_rows: set[int] = set()
    for tb in ctx.blocks:
        if not tb.block.rows or not _is_three_public_block(tb):
            continue
        read_rows.update(id(r) for r in tb.block.rows)
        records.extend(_read_table(ctx, tb))
    return records, read_rows


def _read_table(ctx: Context, tb) -> list[Record]:
    unit = tb.info.unit if tb.info is not None else None
    for cap in tb.block.caption[-3:]:
        unit = unit or find_unit(cap.text)
    rows = list(enumerate(tb.block.rows, start=1))
    while rows and _is_caption_row(rows[0][1].cells):
        unit = unit or find_unit("".join(rows[0][1].cells))
        rows.pop(0)
    rows = [(k, r) for k, r in rows if not _is_lanci(r.cells)]
    first_data = next((i for i, (_, r) in enumerate(rows) if any(parse_amount(c) is not None for c in r.cells)), None)
    if first_data is None or unit is None:
        return []  # an empty table (or one without its unit) states no figure
    header = [r.cells for _, r in rows[:first_data]]
    body = rows[first_data:]
    width = max(len(r.cells) for _, r in rows)
    paths = column_paths(header, width) if header else [[] for _ in range(width)]
    # a column's own header cells, top to bottom: PDF tables split a label over rows (因公出国 / （境）费), and
    # the spread of a merged parent cell is not to be trusted there
    own = ["".join(r[j].strip() for r in header if j < len(r)) for j in range(width)]
    categories = [_column_category(o, p) for o, p in zip(own, paths)]
    if len({c for c in categories if c not in (None, "grand")}) >= 2:
        return _read_wide(ctx, tb, body, own, paths, categories, unit)
    return _read_long(ctx, tb, body, own, paths, unit)


def _column_category(own: str, path: list[str]) -> str | None:
    """The category of a column of a table with one column per category: its own header text names it
    (“三公”经费/小计 -> total); a bare 小计 is its parent's; a bare 合计 over everything is 'grand'."""
    text = normalize(own)
    if not text:
        return None
    if text not in _TOTAL_WORDS:
        return category_of(text)
    parents = [normalize(s) for s in path[:-1] if normalize(s)]
    for k in range(len(parents) - 1, -1, -1):
        c = category_of("".join(parents[k:]))
        if c:
            return c
    return "grand" if text in ("合计", "总计") else None


def _column_role(path: list[str], fiscal_year: int | None) -> str:
    """previous (上年 / last year's column), change (增减), or current."""
    t = normalize("".join(path))
    years = [int(y) for y in re.findall(r"(\d{4})年", t)]
    if "增减" in t or "变动" in t or "%" in t or "率" in t:
        return "change"
    if "上年" in t or (fiscal_year and years and years[-1] == fiscal_year - 1):
        return "previous"
    return "current"


def _table_record(ctx: Context, tb, row_number: int, row, j: int, values: dict[str, Any]) -> Record:
    values["phrase"] = " | ".join(c.strip() for c in row.cells if c.strip())
    return Record(values, "table", table=tb.info, row=row, row_number=row_number, cell_index=j)


def _read_wide(ctx, tb, body, own, paths, categories, unit) -> list[Record]:
    """One column per category: the figures stand in the data row(s) under the header tree."""
    has_other = any(any(w in normalize(o) for w in _OTHER_COLUMNS) for o in own)
    out: list[Record] = []
    for row_number, row in body:
        labels = [normalize(c) for c in row.cells if normalize(c) and parse_amount(c) is None]
        label = "".join(labels)
        if label and not (label in _TOTAL_WORDS or "预算" in label or "决算" in label or re.search(r"\d{4}年", label)):
            continue  # a row of one unit of the department, not the department's figures
        row_role = _column_role([label], ctx.meta.fiscal_year)
        for j, (label_j, path, category) in enumerate(zip(own, paths, categories)):
            if category == "grand":
                if has_other:
                    continue
                category = "total"
            if category is None or j >= len(row.cells):
                continue
            role = _column_role(path, ctx.meta.fiscal_year) if row_role == "current" else row_role
            raw = row.cells[j]
            if parse_amount(raw) is None or role == "change":
                continue
            values = _values(category, label_j, _figure_kind("".join(path) + label, ctx.meta.stage))
            values["column_label"] = label_j
            if role == "previous":
                amount, yuan = money(raw, unit)
                values.update(previous_year=(ctx.meta.fiscal_year - 1) if ctx.meta.fiscal_year else None,
                              previous_raw_amount=raw.strip(), previous_unit=unit, previous_amount_yuan=yuan)
            else:
                _set_amount(values, raw, unit)
            out.append(_table_record(ctx, tb, row_number, row, j, values))
    return out


def _read_long(ctx, tb, body, own, paths, unit) -> list[Record]:
    """One row per category: the label cell names it, the amount columns give this year's figure (the first
    current column), the previous year's, and a stated change."""
    labels = [next((c for c in r.cells if normalize(c) and parse_amount(c) is None), "") for _, r in body]
    has_other = any(any(w in normalize(t) for w in _OTHER_COLUMNS) for t in labels)
    roles = [_column_role(p, ctx.meta.fiscal_year) for p in paths]
    out: list[Record] = []
    for (row_number, row), label in zip(body, labels):
        stripped = re.sub(r"^(?:其中[:：])?", "", normalize(label))
        category = category_of(stripped)
        if category is None and re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", stripped) in _TOTAL_WORDS:
            category = None if has_other else "total"
        if category is None:
            continue
        label_index = row.cells.index(label)
        values = _values(category, label.strip(), _figure_kind("".join(paths[label_index + 1] if label_index + 1 < len(paths) else []), ctx.meta.stage))
        first_j = None
        for j in range(label_index + 1, len(row.cells)):
            raw = row.cells[j]
            if parse_amount(raw) is None:
                continue
            role = roles[j] if j < len(roles) else "current"
            if role == "current" and values["raw_amount"] is None:
                _set_amount(values, raw, unit)
                values["column_label"] = own[j] if j < len(own) else None
                values["figure_kind"] = _figure_kind("".join(paths[j]) if j < len(paths) else "", ctx.meta.stage)
                first_j = j
            elif role == "previous" and values["previous_raw_amount"] is None:
                _, yuan = money(raw, unit)
                values.update(previous_year=(ctx.meta.fiscal_year - 1) if ctx.meta.fiscal_year else None,
                              previous_raw_amount=raw.strip(), previous_unit=unit, previous_amount_yuan=yuan)
        if values["raw_amount"] is None and values["previous_raw_amount"] is None:
            continue  # every cell blank or '—': no figure
        out.append(_table_record(ctx, tb, row_number, row, first_j if first_j is not None else label_index, values))
    return out


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------
def _prose(ctx: Context, read_rows: set[int]) -> list[Record]:
    out: list[tuple[Paragraph, dict[str, Any]]] = []
    in_section = False
    section: list[dict[str, Any]] = []  # the figures of the current 三公 section
    last_unit: str | None = None
    last_subject: dict[str, Any] | None = None
    for para in paragraphs(ctx, read_rows):
        norm = para.text.norm
        if para.heading:  # a heading opens a section (a 三公 one if it names 三公) and states no figure of its own
            in_section = "三公" in norm
            section = []
            last_subject = None
        if not (in_section or "三公" in norm):
            continue
        tokens = _tokens(para.text, ctx.meta.fiscal_year)
        subject = last_subject if REASON_START_RE.match(norm) else None
        for tok in tokens:
            if tok.kind in ("amount", "none"):
                values = _values(tok.data["category"], para.text.span(tok.data["cat_start"], tok.data["cat_end"]),
                                 _figure_kind(tok.data.get("filler", ""), ctx.meta.stage))
                values["column_label"] = para.text.span(tok.start, tok.end)
                values["phrase"] = para.text.sentence(tok.start, tok.end)
                if tok.kind == "none":
                    values.update(is_stated_none=True, raw_amount="无", amount=Decimal(0),
                                  amount_yuan=Decimal("0.00"))
                else:
                    unit = tok.data["unit"] or last_unit
                    if not _set_amount(values, tok.data["amt"], unit):
                        continue
                    last_unit = unit
                out.append((para, values))
                section.append(values)
                subject = values
            elif tok.kind == "other":
                subject = None
            elif tok.kind == "mention":
                subject = next((v for v in reversed(section) if v["category"] == tok.data["category"]), None)
            elif subject is not None:
                attach(tok, subject, para.text)
        last_subject = subject
    return [para.record(values) for para, values in out]


def _tokens(text: Text, fiscal_year: int | None) -> list[Token]:
    norm = text.norm
    taken: list[Token] = []
    for m in NONE_RE.finditer(norm):
        cat = next(name for name in CATEGORIES if m.group(name))
        taken.append(Token("none", m.start(), m.end(), {"category": cat, "cat_start": m.start("cat"),
                                                         "cat_end": m.end("cat")}))
    attributes = attribute_tokens(norm, fiscal_year, taken)
    figures: list[Token] = []
    for m in CATEGORY_RE.finditer(norm):
        token = Token("mention", m.start(), m.end(), {"category": m.lastgroup, "cat_start": m.start(),
                                                       "cat_end": m.end()})
        if overlaps(token, taken + attributes):
            continue
        if norm[max(0, m.start() - 1):m.start()] == "占":  # 占“三公”经费的13.77%: a share, not a figure
            continue
        a = AMOUNT_AFTER_RE.match(norm, m.end())
        after = norm[a.end():a.end() + 1] if a else ""
        if a and (a.group("unit") or after in ("", ",", ";", "。", ")")) and after != "%":
            token = Token("amount", m.start(), a.end(), {**token.data, **a.groupdict()})
            if overlaps(token, taken + attributes):
                continue
        figures.append(token)
    # a figure of something else (会议费 933.50万元) ends the subject: a change after it is not the 三公's
    for m in OTHER_MONEY_RE.finditer(norm):
        token = Token("other", m.start(), m.end())
        if not overlaps(token, taken + attributes + figures):
            figures.append(token)
    return sorted(taken + attributes + figures, key=lambda t: t.start)
