"""revenue_items (docs/staging/revenue_items.md): every income figure a document states, by source of money,
and the expenditure totals it balances them against (for reconciliation rule R10, 收入总计 = 支出总计).

Read from
- the income side of a 收支总表 / 财政拨款收支总表 (a summary panel: the left columns; the label may be split
  over a group cell and a sub-label cell, e.g. luoyang's 一般公共预算 | 小计), and the expenditure totals
  (本年支出合计, 支出总计, 结转下年 …) of its right side, once per panel;
- a 收入总表 / 收入预算总表: rows by function code × columns by source (pingxiang, luoyang), or a vertical list of
  sources (Jiangsu: 项目名称 | 金额);
- sentences: "2020年本年收入合计1995.32万元，其中：一般公共预算财政拨款收入1963.40万元", a form's 资金总额 and
  公共财政拨款. Shares (占…%) and changes (较上年增加…) are not figures. An expenditure total in prose is read only
  where the paragraph states income too, or its section is about both (收支 / 收入支出).

fund_scope is the scope of the table (its title) or of the sentence (its subject, else its section heading);
source_key names the source within that scope (SOURCE_KEYS). A figure a document prints blank or '—' is no row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from ..catalog import strip_ordinal
from ..layout import Block, Line, Row
from ..model import Issue, TableInfo
from ..numbers import code_classification, find_unit, normalize, parse_amount, to_yuan
from ..prose import AMOUNT_RE, is_heading, paragraphs
from ..tables import (_assemble_code, _is_body_row, _is_caption_row, _is_lanci_row, classify_columns,
                      column_paths)
from . import Context, Record

FRAME = "revenue_items"
COLUMNS: dict[str, pl.DataType] = {
    "fund_scope": pl.Utf8,
    "side": pl.Utf8,
    "source_key": pl.Utf8,
    "source_name": pl.Utf8,
    "function_code": pl.Utf8,
    "function_name": pl.Utf8,
    "column_label": pl.Utf8,
    "raw_amount": pl.Utf8,
    "unit": pl.Utf8,
    "amount": pl.Decimal(20, 4),
    "amount_yuan": pl.Decimal(20, 2),
}

GRANT_SCOPES = {"fiscal_grant": "fiscal_grant", "general_public_grant": "general_public",
                "gov_fund_grant": "gov_fund", "soe_capital_grant": "soe_capital"}

# (pattern on the normalised label: NFKC, no spaces, no ordinal, no 其中：; key). First match wins.
_INCOME_PATTERNS: list[tuple[str, str]] = [
    (r"用事业基金弥补收支差额", "institution_fund_offset"),
    (r"^(本年|当年)收入(预算|决算)?(合计|小计)?$", "current_income_total"),
    (r"^(收入)?(预算|决算)?(总计|合计)$|^资金总额$|^(预算|决算)?收入$"
     r"|^(财政拨款|一般公共预算|政府性基金(预算)?|国有资本经营(预算)?)(财政拨款)?收入(预算|决算)?(总计|合计)$",
     "income_total"),
    (r"动用上年结转", "prior_year_carryover_used"),
    (r"上年结转|上年结余|年初.*结转|部门财政性资金结转|部门结余结转资金|结转和结余资金小计", "prior_year_carryover"),
    (r"^年初预算(安排)?(数)?$", "initial_budget"),
    (r"^一般公共预算(资金)?小计$", "general_public_funds"),
    (r"^一般公共预算(财政)?拨款(收入)?$|^公共财政拨款(\(补助\))?(资金|收入)?$|^财政一般拨款(收入)?$"
     r"|^一般公共预算(收入|资金)?$", "general_public_grant"),
    (r"^上级一般转移支付$|^一般性转移支付$", "upper_general_transfer"),
    (r"^上级专项转移支付$|^专项转移支付$", "upper_special_transfer"),
    (r"^上级政府性基金转移支付$", "upper_gov_fund_transfer"),
    (r"^上级.*告知(转移支付)?$", "upper_advance_transfers"),
    (r"^政府性基金(预算)?(财政)?(拨款)?(收入|资金)?(小计)?$|^(政府)?基金预算(拨款)?收入$", "gov_fund_grant"),
    (r"^国有资本经营(预算)?(财政)?(拨款)?(收入)?$", "soe_capital_grant"),
    (r"^财政拨款(\(补助\))?(收入|资金)?$|^财政收入$", "fiscal_grant"),
    (r"^财政(转)?专户(管理)?(资金)?(收入)?(小计)?$|^财政专户核拨(资金)?收入$", "fiscal_special_account"),
    (r"^专户管理的?教育收费$", "special_account_education_fees"),
    (r"代管资金$", "special_account_custodial"),
    (r"^事业收入$", "institution_revenue"),
    (r"^(事业单位)?经营收入$", "operating_revenue"),
    (r"^上级补助收入$", "upper_grants"),
    (r"^附属单位上缴收入$", "subsidiary_remittances"),
    (r"^其他(来源)?收入$", "other_revenue"),
    (r"^其他资金(小计)?$", "other_funds"),
    (r"^其他非税收入$", "other_nontax_revenue"),
    (r"^债务资金", "debt_funds"),
    (r"^专项收入$", "special_revenue"),
    (r"^(缴入国库的)?行政事业性收费(收入)?$", "admin_fees"),
    (r"^国有(资产)?资源(\(资产\))?有偿使用收入$", "state_asset_income"),
    (r"^政府住房基金收入$", "housing_fund_income"),
    (r"专项项目拨款$", "special_project_grant"),
    (r"^基本收入$", "for_basic"),
    (r"^人员经费收入$", "for_personnel"),
    (r"^公用经费收入$", "for_public"),
    (r"^项目收入$", "for_project"),
]
_EXPENDITURE_PATTERNS: list[tuple[str, str]] = [
    (r"^(本年|当年)支出(预算|决算)?(合计|小计)$", "current_expenditure_total"),
    (r"^(预算|决算)?支出(预算|决算)?(总计|合计)?$|^财政(拨款)?支出$"
     r"|^(财政拨款|一般公共预算|政府性基金(预算)?|国有资本经营(预算)?)(财政拨款)?支出(预算|决算)?(总计|合计)$",
     "expenditure_total"),
    (r"结转下年|年末.*结转|年终结转", "carry_forward"),
]
# every key the module writes (docs/staging/revenue_items.md lists them with their printed labels)
SOURCE_KEYS = sorted({k for _, k in _INCOME_PATTERNS + _EXPENDITURE_PATTERNS}
                     | {f"prior_year_carryover_{k}" for k in GRANT_SCOPES})


def _norm(label: str) -> str:
    t = strip_ordinal(label)
    return re.sub(r"^其中[:：]?", "", t)


def _match(patterns: list[tuple[str, str]], text: str) -> str | None:
    return next((key for pattern, key in patterns if re.search(pattern, text)), None)


def income_key(label: str, group: str | None = None, prose: bool = False) -> str | None:
    """The source a printed income label names (in a column or row group, e.g. 一般公共预算 › 小计). In prose a bare
    合计 / 总计 is no income figure (yanbian: 收入…、支出…，总计3990.64万元 adds the two)."""
    t = _norm(label)
    if not t or (prose and t in ("合计", "总计", "小计")) or ("支出" in t and "收支差额" not in t) or "收支" in t.replace("收支差额", ""):
        return None
    g = _norm(group) if group else ""
    if g:
        if t in ("小计", "合计"):
            if re.match(r"^(本年|当年)收入", g):
                return "current_income_total"
            return income_key(g + "小计") or income_key(g)
        if re.match(r"^财政拨款$", t) and g.startswith("一般公共预算"):
            return "general_public_grant"
        if t.startswith("政府性基金") and g.startswith("上级"):
            return "upper_gov_fund_transfer"
    if t in ("合计", "总计", "小计") and g:
        return None
    return _match(_INCOME_PATTERNS, t)


def expenditure_key(label: str) -> str | None:
    t = _norm(label)
    if "收入" in t or "收支" in t:
        return None
    return _match(_EXPENDITURE_PATTERNS, t)


def _cell(cells: list[str], j: int) -> str:
    return cells[j].strip() if 0 <= j < len(cells) else ""


def _printed(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
@dataclass
class _Grid:
    header: list[list[str]]
    body: list[tuple[int, Row]]  # (1-based position of the row in its block, row)


def _grid(block: Block) -> _Grid | None:
    rows = block.rows
    start = 0
    while start < len(rows) and _is_caption_row(rows[start].cells) and not _is_body_row(rows[start].cells):
        start += 1
    first = next((i for i in range(start, len(rows)) if _is_body_row(rows[i].cells)), None)
    if first is None:
        return None
    header = [r.cells for r in rows[start:first] if not _is_lanci_row(r.cells)]
    body = [(k + 1, r) for k, r in enumerate(rows) if k >= first and not _is_lanci_row(r.cells)]
    return _Grid(header, body)


def _is_revenue_title(info: TableInfo) -> bool:
    t = normalize(info.title or "")
    return info.kind == "revenue" or (
        info.kind == "other" and "收入" in t and "支出" not in t and "收支" not in t and "目录" not in t and "表" in t)


@dataclass
class _Reader:
    ctx: Context
    records: list[Record] = field(default_factory=list)

    def emit(self, *, kind: str, scope: str, side: str, key: str, name: str, raw: str, unit: str,
             table: TableInfo | None = None, row: Row | None = None, row_number: int | None = None,
             line: Line | None = None, cell_index: int | None = None, code: str | None = None,
             code_name: str | None = None, column_label: str | None = None) -> None:
        amount = parse_amount(raw)
        if amount is None:
            return
        self.records.append(Record(
            values={"fund_scope": scope, "side": side, "source_key": key, "source_name": _printed(name),
                    "function_code": code, "function_name": _printed(code_name) if code_name else None,
                    "column_label": column_label, "raw_amount": raw.strip(), "unit": unit,
                    "amount": Decimal(amount), "amount_yuan": to_yuan(amount, unit)},
            source_kind=kind, table=table, row=row, row_number=row_number, line=line, cell_index=cell_index))

    def unknown(self, info: TableInfo, row_number: int, row: Row, label: str) -> None:
        self.ctx.issues.append(Issue("warn", "revenue_label_unknown",
                                     f"Income row «{_printed(label)}» of table «{info.title}» names no source the "
                                     "parser knows; its figure was not loaded.", info.table_index, row_number, row.line))

    # -- a panel's income side: label (with its group) and the figure that follows it --------------
    def income_cells(self, info: TableInfo, unit: str, row_number: int, row: Row, first: int, last: int,
                     state: dict) -> int:
        """Read the income label starting at column `first` (its figure at most one column past `last`,
        the panel's last income column). Returns the column where the expenditure side may start."""
        cells = row.cells
        label_at = None
        group = None
        head = _cell(cells, first)
        nxt = _cell(cells, first + 1)
        if head and parse_amount(head) is None:
            if nxt and parse_amount(nxt) is None and first + 1 <= last and "支出" not in nxt:
                group, label_at = head, first + 1
                state["group"] = head
            else:
                label_at = first
                state["group"] = None
        elif not head and nxt and parse_amount(nxt) is None and first + 1 <= last and "支出" not in nxt:
            group, label_at = state.get("group"), first + 1
        if label_at is None:
            return first
        label = cells[label_at]
        k = label_at + 1
        figure_at = None
        while k < len(cells) and k <= last + 1:
            value = _cell(cells, k)
            if value:
                if parse_amount(value) is not None:
                    figure_at = k
                break
            k += 1
        key = income_key(label, group)
        if key is None:
            if figure_at is not None and expenditure_key(label) is None:
                self.unknown(info, row_number, row, label)
            return label_at + 1
        if key == "current_income_total":
            state["current"] = True
        elif key == "prior_year_carryover":
            state["carryover"] = state.get("current", False)
        elif key == "income_total":
            state["carryover"] = False
        elif key in GRANT_SCOPES and state.get("carryover"):
            key = f"prior_year_carryover_{key}"  # the sources of the carry-over (pingxiang 年初财政拨款结转和结余)
        if figure_at is not None:
            name = f"{_printed(group)}/{_printed(label)}" if group else label
            self.emit(kind="table", scope=info.fund_scope, side="income", key=key, name=name, raw=cells[figure_at],
                      unit=unit, table=info, row=row, row_number=row_number, cell_index=figure_at)
            return figure_at + 1
        return label_at + 1

    def expenditure_cells(self, info: TableInfo, unit: str, row_number: int, row: Row, start: int) -> None:
        cells = row.cells
        j = start
        while j < len(cells):
            label = _cell(cells, j)
            key = expenditure_key(label) if label and parse_amount(label) is None else None
            if key is None:
                j += 1
                continue
            k = j + 1
            while k < len(cells) and not _cell(cells, k):
                k += 1
            if k < len(cells) and parse_amount(cells[k]) is not None:
                self.emit(kind="table", scope=info.fund_scope, side="expenditure", key=key, name=label,
                          raw=cells[k], unit=unit, table=info, row=row, row_number=row_number, cell_index=k)
            j = k

    def summary(self, info: TableInfo, grid: _Grid) -> None:
        width = max(len(r) for r in grid.header + [r.cells for _, r in grid.body])
        paths = column_paths(grid.header, width)
        income_cols = [j for j, p in enumerate(paths) if p and "收入" in normalize(p[0])]
        if income_cols:
            first, last = income_cols[0], income_cols[-1]
        else:
            first = next((j for j, p in enumerate(paths) if not any(w in "".join(p) for w in ("序号", "行次"))), 0)
            last = first + 1
        state: dict = {}
        for row_number, row in grid.body:
            start = self.income_cells(info, info.unit, row_number, row, first, last, state)
            self.expenditure_cells(info, info.unit, row_number, row, max(start, first + 1))

    def revenue_table(self, info: TableInfo, grid: _Grid) -> None:
        width = max(len(r) for r in grid.header + [r.cells for _, r in grid.body])
        paths = column_paths(grid.header, width)
        columns = classify_columns(paths, info.fund_scope, False)
        keyed = {c.index: income_key(c.path[-1], c.path[-2] if len(c.path) > 1 else None)
                 for c in columns if c.role == "amount"}
        keyed = {j: k for j, k in keyed.items() if k}
        if len(keyed) < 2:  # a vertical list: 项目名称 | 金额
            name_col = next((c.index for c in columns if c.role == "name"), 0)
            state: dict = {}
            for row_number, row in grid.body:
                self.income_cells(info, info.unit, row_number, row, name_col, name_col + 1, state)
            return
        code_cols = [c for c in columns if c.role == "code"]
        name_col = next((c for c in columns if c.role == "name"), None)
        unit_cols = [c for c in columns if c.role == "unit_code"]
        carry: list[str] = []
        for row_number, row in grid.body:
            cells = row.cells
            code, carry = _assemble_code([_cell(cells, c.index) for c in code_cols], carry)
            name = _cell(cells, name_col.index) if name_col else ""
            if code is not None and code_classification(code) != "function":
                continue
            if code is None:
                desc = {normalize(_cell(cells, c.index)) for c in columns if c.role in ("name", "code", "seq")}
                if not desc & {"合计", "总计"} or any(_cell(cells, c.index) for c in unit_cols):
                    continue  # a unit's row (单位代码 816) or a row without code or total
            for j, key in keyed.items():
                raw = _cell(cells, j)
                if parse_amount(raw) is None:
                    continue
                label = "/".join(paths[j])
                self.emit(kind="table", scope=info.fund_scope, side="income", key=key, name=paths[j][-1],
                          raw=raw, unit=info.unit, table=info, row=row, row_number=row_number, cell_index=j,
                          code=code, code_name=name if code else None, column_label=label)

    # -- sentences -------------------------------------------------------------------------------
    def prose(self, lines: list[Line]) -> None:
        heading = ""
        unit_seen_at = -100
        recent_unit = None
        carry: tuple[bool, str | None] | None = None  # a sentence open at the end of the last line (其中：)
        for idx, line, paragraph, text in paragraphs(lines):
            if find_unit(text):
                unit_seen_at, recent_unit = idx, find_unit(text)
            if is_heading(text):
                heading, carry = text, None
                continue
            unit_near = recent_unit if idx - unit_seen_at <= 8 else None
            carry = self.line_figures(text, line, paragraph, heading, unit_near, carry)

    def line_figures(self, text: str, line: Line, paragraph: int, heading: str, unit_near: str | None,
                     carry: tuple[bool, str | None] | None) -> tuple[bool, str | None] | None:
        found: list[tuple] = []  # side, key, scope, label, raw, unit
        state = carry
        for sentence in re.split(r"(?<=。)", text):
            if not sentence:
                continue
            figures, state = self._figures_of(sentence, heading, unit_near, carry)
            carry = None  # only the line's first sentence can go on from the line before
            found.extend(figures)
        states_income = any(f[0] == "income" for f in found)
        about_both = bool(re.search(r"收支|收入支出|收入和支出|收入、支出", heading))
        for side, key, scope, label, raw, unit in found:
            if side == "expenditure" and not (states_income or about_both):
                continue
            self.emit(kind="prose", scope=scope, side=side, key=key, name=label, raw=raw, unit=unit, line=line,
                      row_number=paragraph)
        return state if text.endswith(("：", ":", "，", ",")) else None

    def _figures_of(self, sentence: str, heading: str, unit_near: str | None,
                    carry: tuple[bool, str | None] | None) -> tuple[list[tuple], tuple[bool, str | None]]:
        """The income figures and expenditure totals of one sentence, and (其中 seen, scope) at its end. The
        sentence's first figure is its subject (its scope holds for the rest); figures after 其中 are parts. A
        sentence that goes on from the line before (…合计X万元，其中：⏎一般公共预算收入Y万元) carries its state."""
        out: list[tuple] = []
        carried_parts, sentence_scope = carry if carry else (False, None)
        first = carry is None
        prev_end = 0  # end of the previous figure (with its unit)
        for m in AMOUNT_RE.finditer(sentence):
            start, end = m.span()
            raw, unit = m.group(1), m.group(2)
            after = sentence[end:end + 1]
            if after in ("%", "％"):
                continue
            prefix = sentence[:start].rstrip("：: ")
            cut = max((prefix.rfind(d) for d in "，,；;。：:、"), default=-1)
            label = prefix[max(cut + 1, prev_end):]
            if unit is None:
                # a figure without its unit: only a form's entry 资金总额：834.02, its unit declared nearby (hengdong)
                if not (unit_near and label and sentence[:start].endswith(("：", ":"))
                        and after in ("", "，", ",", "；", ";", "。")):
                    continue
                unit = unit_near
            prev_end = end
            parts = carried_parts or bool(re.search(r"其中|包括", sentence[:start]))
            if not label or re.search(r"增加|减少|增长|下降|较上年|比上年|同比|相比|占|变动|持平", label):
                first = False
                continue
            clean = _clean_prose_label(label)
            side, key = "income", income_key(clean, prose=True)
            if key is None:
                side, key = "expenditure", expenditure_key(clean)
                if key is None or parts:
                    first = False
                    continue
            scope = _scope_of(clean)
            if side == "income" and key in GRANT_SCOPES:
                if first and not parts and strip_ordinal(label) == normalize(label):
                    scope, key = GRANT_SCOPES[key], "income_total"  # 财政拨款收入…为 X: the scope's own total
                else:
                    scope = None  # a source within the sentence's scope (a part, or an item of a list)
            if first:
                sentence_scope = scope
            scope = scope or sentence_scope or _scope_of(heading) or "all"
            out.append((side, key, scope, clean, raw, unit))
            if side == "expenditure" and key == "expenditure_total" and re.search(r"收入、$", prefix[:cut + 1]):
                out.append(("income", "income_total", scope, "收入、" + clean, raw, unit))  # 收入、支出预算总计 X: both
            first = False
        return out, (carried_parts or bool(re.search(r"其中|包括", sentence)), sentence_scope)


_SELF_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(院|局|厅|委员会|委|办公室|办|中心|会|室|站|所|馆)"
                      r"(?=本年|当年|全年|年初|部门|预算|决算|财政|一般|政府|国有|收入|支出)")


def _clean_prose_label(label: str) -> str:
    t = strip_ordinal(re.sub(r"^.*?\d{4}年度?", "", label))
    t = _SELF_RE.sub("", t)
    t = re.sub(r"^(本部门|本单位|我部门|我单位|部门|单位)", "", t)
    t = re.sub(r"^(其中|包括|此外)[:：]?", "", t)
    t = re.sub(r"(预算|决算)?(数)?(为|是|共计|共|约)$", "", t)
    t = re.sub(r"^(预算|决算)(?=收入|支出)", "", t)
    t = re.sub(r"(?<=收入)(预算|决算)$|(?<=支出)(预算|决算)$", "", t)
    return t


def _scope_of(text: str) -> str | None:
    t = normalize(text)
    for word, scope in (("一般公共预算", "general_public"), ("公共财政", "general_public"),
                        ("政府性基金", "gov_fund"), ("国有资本经营", "soe_capital")):
        if word in t:
            return scope
    if re.search(r"财政拨款|财政资金|财政收入|财政支出", t):
        return "fiscal_grant"
    return None


def extract(ctx: Context) -> list[Record]:
    reader = _Reader(ctx)
    for tb in ctx.blocks:
        info = tb.info
        if info is None or not info.unit:
            continue
        if info.kind == "summary":
            grid = _grid(tb.block)
            if grid:
                reader.summary(info, grid)
        elif _is_revenue_title(info):
            grid = _grid(tb.block)
            if grid:
                reader.revenue_table(info, grid)
    reader.prose(ctx.prose)
    return reader.records
