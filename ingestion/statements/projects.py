"""project_items (docs/staging/project_items.md): the projects a document lists, with their amounts.

Four places list projects:
- a project table (kind `project`: 项目支出表, 专项业务经费支出表 …): a row per project, unit header rows
  (a unit's own row above its projects: seed 000 表10 `231001 丹凤县医疗保障局 800`), subtotals and a total;
- a project form (项目名称 | X, then 预算数：/执行数： cells, 其中－财政拨款：…; seed 002's 项目绩效目标完成情况表);
- a department's task list (年度工作主要内容 | 任务名称 | 主要内容或用途 | 部门财政规划金额; seed 003's 整体绩效目标表):
  its rows are work tasks, not projects (running costs such as 差旅费 and 办公费 stand beside 专项), so they are
  kept with row_kind `task`;
- sentences: a project's own paragraph (XX项目绩效目标完成情况综述。项目全年预算数720.87万元，执行数为720.87万元…),
  a list (项目支出预算安排1757.03万元。其中：A 8万元；B 1.26万元；…), and numbered project target tables
  (1、长期护理保险办公经费绩效目标表), which name a project without an amount (measure and amount NULL).

A project stated in several places keeps every statement; the mart (fct_project_spending) keeps one figure per
project and measure and says whether they agree.
"""
from __future__ import annotations

import re
from decimal import Decimal

import polars as pl

from ..catalog import strip_ordinal
from ..layout import Line, Row
from ..numbers import BLANK_MARKS, code_classification, find_unit, normalize, parse_amount, to_yuan
from ..prose import AMOUNT_RE
from ..tables import column_paths, title_scope
from . import Context, Record, TableBlock

FRAME = "project_items"
COLUMNS: dict[str, pl.DataType] = {
    "row_kind": pl.Utf8,
    "project_name": pl.Utf8,
    "project_key": pl.Utf8,
    "unit_code": pl.Utf8,
    "unit_name": pl.Utf8,
    "function_code": pl.Utf8,
    "description": pl.Utf8,
    "fund_scope": pl.Utf8,
    "measure": pl.Utf8,
    "column_label": pl.Utf8,
    "raw_amount": pl.Utf8,
    "unit": pl.Utf8,
    "amount": pl.Decimal(20, 4),
    "amount_yuan": pl.Decimal(20, 2),
}

UNIT_WORDS = "亿元|万元|千元|百元|元"
# a figure with its unit in one cell or phrase: 720.87万元
FIGURE_RE = re.compile(rf"^(?P<raw>-?\d[\d,]*(?:\.\d+)?)(?P<unit>{UNIT_WORDS})?$")
# an organisation's name (a unit header row): 丹凤县医疗保障局, …经办中心
ORG_RE = re.compile(r"(局|中心|院|所|站|馆|办公室|委员会|协会|学会|联合会|委|厅|队|处|校|园|社|部|办)$")
_TOTAL_NAMES = {"合计", "总计", "项目合计", "项目支出合计"}


def project_key(name: str) -> str:
    """A project's name as compared across statements: normalised, no ordinal, quotes or trailing 项目."""
    t = strip_ordinal(name)
    t = re.sub(r"[“”\"'‘’《》]", "", t)
    return re.sub(r"项目$", "", t) or t


def _figure(text: str, default_unit: str | None) -> tuple[str, str, Decimal] | None:
    """(raw, unit, amount) of a cell or phrase holding one figure, its unit printed or the table's."""
    t = normalize(text)
    if t in BLANK_MARKS:
        return None
    m = FIGURE_RE.match(t)
    if not m:
        return None
    unit = m.group("unit") or default_unit
    amount = parse_amount(m.group("raw"))
    if amount is None or unit is None:
        return None
    return text.strip(), unit, amount


def _values(*, row_kind: str, name: str, scope: str, measure: str | None, figure: tuple[str, str, Decimal] | None,
            label: str | None, unit_code: str | None = None, unit_name: str | None = None,
            function_code: str | None = None, description: str | None = None) -> dict:
    raw, unit, amount = figure if figure else (None, None, None)
    return {
        "row_kind": row_kind, "project_name": name, "project_key": project_key(name), "unit_code": unit_code or None,
        "unit_name": unit_name or None, "function_code": function_code or None, "description": description or None,
        "fund_scope": scope, "measure": measure if figure else None, "column_label": label, "raw_amount": raw,
        "unit": unit, "amount": amount, "amount_yuan": to_yuan(amount, unit) if figure else None,
    }


def _scope_of(words: str, default: str) -> str:
    """The fund scope a column label names (财政资金 is 财政拨款), else the default."""
    scope = title_scope(normalize(words).replace("财政资金", "财政拨款"))
    return default if scope == "all" else scope


def _measure_of(words: str, stage: str | None) -> str:
    t = normalize(words)
    if re.search(r"执行|决算|实际支出|实际完成|支出数", t):
        return "final"
    if "预算" in t:
        return "budget"
    return "final" if stage == "final" else "budget"


def _is_lanci(cells: list[str]) -> bool:
    """A 栏次 row: only ** and running numbers (seed 000: ** | ** | 1 | **)."""
    vals = [normalize(c) for c in cells if normalize(c)]
    if not vals or vals[0] in ("栏次", "行次"):
        return bool(vals)
    return all(v == "**" or v.isdigit() for v in vals) and ("**" in vals or len(vals) >= 2)


# ---------------------------------------------------------------------------
# project tables
# ---------------------------------------------------------------------------
_REVENUE_DETAIL = ("其他资金", "其它资金", "其他收入", "事业收入", "经营收入", "上年结转", "结转", "结余", "专户")


def _column_role(label: str) -> str:
    t = normalize(label)
    if any(w in t for w in ("序号", "栏次", "行次")):
        return "seq"
    if re.search(r"单位(编码|代码|编号)", t):
        return "unit_code"
    if re.search(r"(功能|科目).*(编码|代码)|^(功能分类|支出功能分类)", t):
        return "function_code"
    if re.search(r"科目名称|功能.*名称", t):
        return "other"
    if any(w in t for w in ("简介", "说明", "用途", "主要内容", "内容")):
        return "description"
    if "名称" in t and ("项目" in t or "专项" in t):
        return "name"
    if t in ("项目", "专项"):
        return "name"
    if "名称" in t or t in ("单位", "预算单位", "实施单位"):
        return "unit_name"
    if "备注" in t or "日期" in t or "时间" in t:
        return "other"
    return "amount"


def _read_project_table(tb: TableBlock, stage: str | None) -> list[Record]:
    info = tb.info
    numbered = [(k, r) for k, r in enumerate(tb.block.rows, start=1)
                if not (find_unit("".join(r.cells)) and not any(parse_amount(c) for c in r.cells))]
    first_body = next((i for i, (_, r) in enumerate(numbered)
                       if not _is_lanci(r.cells) and any(_figure(c, info.unit) for c in r.cells)), None)
    if first_body is None:
        return []
    header = [r.cells for _, r in numbered[:first_body] if not _is_lanci(r.cells)]
    body = [(k, r) for k, r in numbered[first_body:] if not _is_lanci(r.cells)]
    rows = [r for _, r in numbered]
    width = max(len(r.cells) for r in rows)
    paths = column_paths(header, width)
    labels = ["/".join(p) for p in paths]
    roles = [_column_role(p[-1]) if p else "other" for p in paths]
    name_cols = [j for j, r in enumerate(roles) if r == "name"] or [j for j, r in enumerate(roles) if r == "unit_name"]
    if not name_cols:
        return []
    name_col = name_cols[0]
    unit_name_col = next((j for j, r in enumerate(roles) if r == "unit_name" and j != name_col), None)
    code_col = next((j for j, r in enumerate(roles) if r == "unit_code"), None)
    fn_col = next((j for j, r in enumerate(roles) if r == "function_code"), None)
    desc_col = next((j for j, r in enumerate(roles) if r == "description"), None)
    table_scope = info.fund_scope or title_scope(info.title)
    amount_cols: list[tuple[int, str, str]] = []  # (column, scope, measure), the first column of each kind
    for j, role in enumerate(roles):
        if role != "amount" or any(w in normalize(labels[j]) for w in _REVENUE_DETAIL):
            continue
        key = (_scope_of(labels[j], table_scope), _measure_of(labels[j], stage))
        if all((s, m) != key for _, s, m in amount_cols):
            amount_cols.append((j, *key))

    def cell(row: Row, j: int | None) -> str:
        return row.cells[j].strip() if j is not None and j < len(row.cells) else ""

    entries = []  # (row_number, row, name, unit code, figures by column)
    for k, row in body:
        name = cell(row, name_col)
        figures = {j: f for j, _, _ in amount_cols if (f := _figure(cell(row, j), info.unit))}
        if not name and not figures:
            continue
        entries.append((k, row, name, cell(row, code_col), figures))
    kinds = _row_kinds([(e[2], e[3], e[4].get(amount_cols[0][0]) if amount_cols else None) for e in entries])
    out: list[Record] = []
    unit = ("", "")
    for (k, row, name, code, figures), kind in zip(entries, kinds):
        if kind == "unit":
            unit = (code, name)
        elif kind == "total":
            unit = ("", "")
        unit_code = code or (unit[0] if kind == "project" else "")
        unit_name = cell(row, unit_name_col) or (unit[1] if kind in ("project", "unit") and (not code or code == unit[0]) else "")
        common = dict(row_kind=kind, name=name or "合计", unit_code=unit_code, unit_name=unit_name,
                      function_code=_function_code(cell(row, fn_col)), description=cell(row, desc_col))
        if not figures:
            out.append(Record(_values(scope=table_scope, measure=None, figure=None, label=None, **common),
                              "table", info, row, k))
        for j, scope, measure in amount_cols:
            if j in figures:
                out.append(Record(_values(scope=scope, measure=measure, figure=figures[j], label=labels[j], **common),
                                  "table", info, row, k, cell_index=j))
    return out


def _function_code(text: str) -> str | None:
    code = normalize(text)
    return code if code_classification(code) == "function" else None


def _row_kinds(rows: list[tuple[str, str, tuple | None]]) -> list[str]:
    """project / unit / subtotal / total for each (name, unit code, first figure) of a project table.

    A unit header is the first of a run of rows with one unit code whose name is an organisation's or whose figure
    is the sum of the run's other rows; without unit codes, an organisation's name whose figure is the sum of the
    rows below it up to the next such row."""
    kinds = []
    for name, _, _ in rows:
        t = normalize(name)
        kinds.append("total" if (t in _TOTAL_NAMES or not t) else "subtotal" if "小计" in t else "project")
    i = 0
    while i < len(rows):
        name, code, fig = rows[i]
        if kinds[i] != "project":
            i += 1
            continue
        j = i + 1
        if code:
            while j < len(rows) and rows[j][1] == code and kinds[j] == "project":
                j += 1
        else:
            while j < len(rows) and kinds[j] == "project" and not ORG_RE.search(normalize(rows[j][0])):
                j += 1
        rest = [f[2] for _, _, f in rows[i + 1:j] if f]
        adds_up = fig is not None and bool(rest) and sum(rest, Decimal(0)) == fig[2]
        org = bool(ORG_RE.search(normalize(name)))
        if (org or adds_up and len(rest) >= 2) if code else (org and adds_up):
            kinds[i] = "unit"
            i = j  # the other rows of the run are its projects
        else:
            i += 1
    return kinds


# ---------------------------------------------------------------------------
# project forms (项目名称 | X … 预算数： | 720.87万元 | 执行数： | 720.87万元)
# ---------------------------------------------------------------------------
_FORM_NAME_RE = re.compile(r"^(专项[(（]项目[)）]|项目|专项)名称[:：]?$")
_FORM_UNIT_RE = re.compile(r"^(预算单位|实施单位|项目单位|主管部门)[:：]?$")
_FORM_BUDGET = re.compile(r"^(全年|年初|年度)?(预算数|资金总额|预算金额)[:：]?$|^(年度)?资金总额[:：]?$|^项目资金[:：]?$")
_FORM_FINAL = re.compile(r"^(全年)?(执行数|决算数|实际支出|执行金额)[:：]?$")
_FORM_GRANT = re.compile(r"^(其中)?[-－—:：]*财政拨款[:：]?$")
_FORM_END = re.compile(r"^(年度(总体)?目标|年度目标完成情况|绩效指标|一级指标|总体目标)")


def _read_forms(tb: TableBlock, stage: str | None) -> list[Record]:
    if not any("名称" in c for r in tb.block.rows for c in r.cells):
        return []
    out: list[Record] = []
    name = None
    unit_name = None
    unit = tb.info.unit if tb.info else None
    measures: dict[int, str] = {}
    for k, row in enumerate(tb.block.rows, start=1):
        cells = [c.strip() for c in row.cells]
        texts = [normalize(c) for c in cells]
        first = next((i for i, t in enumerate(texts) if t), None)
        if first is None:
            continue
        if _FORM_NAME_RE.match(texts[first]):
            name = next((cells[i] for i in range(first + 1, len(cells)) if texts[i]), None)
            unit_name, measures = None, {}
            continue
        if name is None:
            continue
        if _FORM_END.match(texts[first]):
            name = None
            continue
        if _FORM_UNIT_RE.match(texts[first]):
            unit_name = next((cells[i] for i in range(first + 1, len(cells)) if texts[i]), None)
            continue
        row_unit = find_unit("".join(cells)) or unit
        for i in range(len(texts) - 1):
            label = texts[i]
            if _FORM_BUDGET.match(label):
                scope, measures[i] = "all", "budget"
            elif _FORM_FINAL.match(label):
                scope, measures[i] = "all", "final"
            elif _FORM_GRANT.match(label) and i in measures:
                scope = "fiscal_grant"
            else:
                continue
            figure = _figure(cells[i + 1], row_unit)
            if figure is None:
                continue
            out.append(Record(_values(row_kind="project", name=name, scope=scope, measure=measures[i], figure=figure,
                                      label=cells[i].rstrip("：:"), unit_name=unit_name),
                              "table", tb.info, row, k, cell_index=i + 1))
    return out


# ---------------------------------------------------------------------------
# task lists of a department's performance targets (任务名称 | 主要内容或用途 | 金额 …)
# ---------------------------------------------------------------------------
def _read_tasks(tb: TableBlock) -> list[Record]:
    rows = tb.block.rows
    if not any("任务" in c for r in rows for c in r.cells):
        return []
    start = next((k for k, r in enumerate(rows) if any(normalize(c) == "任务名称" for c in r.cells)), None)
    if start is None:
        return []
    unit = (tb.info.unit if tb.info else None) or next(
        (u for line in tb.block.caption if (u := find_unit(line.text))), None)
    # the amount columns in order, from the header row and the one below it (总金额 | 财政资金 | 其他资金)
    header = [normalize(c) for r in rows[start:start + 2] for c in r.cells if normalize(c)]
    amount_labels = [h for h in header if re.search(r"金额|资金|合计|预算", h) and h not in ("部门财政规划金额",)]
    if not amount_labels:
        amount_labels = [h for h in header if "金额" in h]
    body_start = start + (2 if len(rows) > start + 1 and not any(
        _figure(c, unit) for c in rows[start + 1].cells) else 1)
    out: list[Record] = []
    pending: list[Record] = []
    for k in range(body_start, len(rows)):
        row = rows[k]
        cells = [(j, c.strip()) for j, c in enumerate(row.cells) if normalize(c)]
        if any(re.match(r"^(一级指标|绩效指标|年度绩效目标)", normalize(c)) for _, c in cells):
            break
        cells = [(j, c) for j, c in cells if normalize(c) != "年度工作主要内容"]
        figures = [(n, j, f) for n, (j, c) in enumerate(cells) if (f := _figure(c, unit))]
        if not figures:
            if pending and cells:  # the description goes on in a row of its own
                for rec in pending:
                    rec.values["description"] = " ".join(filter(None, [rec.values["description"]] + [c for _, c in cells]))
            continue
        lead = [c for _, c in cells[: figures[0][0]]]
        if not lead:
            continue
        name, description = lead[0], " ".join(lead[1:]) or None
        pending = []
        for n, (position, j, figure) in enumerate(figures):
            if position != figures[0][0] + n or n >= len(amount_labels):
                break
            label = amount_labels[n]
            if any(w in label for w in _REVENUE_DETAIL):
                continue
            rec = Record(_values(row_kind="task", name=name, scope=_scope_of(label, "all"), measure="budget",
                                 figure=figure, label=label, description=description),
                         "table", tb.info, row, k + 1, cell_index=j)
            pending.append(rec)
            out.append(rec)
    return out


# ---------------------------------------------------------------------------
# sentences
# ---------------------------------------------------------------------------
_AMOUNT = rf"(?P<raw>-?\d[\d,]*(?:\.\d+)?)(?P<unit>{UNIT_WORDS})"
# a project's own paragraph: XX项目绩效目标完成情况综述。项目全年预算数720.87万元，执行数为720.87万元，完成预算的100%
PARAGRAPH_RE = re.compile(r"^(?P<name>[^。；;，,：:]{2,80}?)项目(?:绩效目标)?(?:完成情况|执行情况|实施情况|绩效)?(?:综述|说明|情况)?[。：:]")
BUDGET_RE = re.compile(rf"(?:项目)?(?:全年|年初|调整后)?预算(?:数|金额|资金)?(?:为|是)?{_AMOUNT}")
FINAL_RE = re.compile(rf"(?:执行数|决算数|实际支出|实际执行|执行金额|支出数)(?:为|是)?{_AMOUNT}")
# a list: 项目支出预算安排1757.03万元。其中：A8万元；B1.26万元；…
LIST_RE = re.compile(rf"(?P<label>[^。；;，,：:]*项目[^。；;，,：:\d]*?){_AMOUNT}[。，,]?其中[：:](?P<items>[^。]+)")
LIST_ITEM_RE = re.compile(rf"^(?P<name>[^，,：:；;]*?[\u4e00-\u9fff][^，,：:；;]*?)(?:为|共)?{_AMOUNT}")
# a numbered project target table's title: 1、长期护理保险办公经费绩效目标表
TARGET_TITLE_RE = re.compile(r"^\d+[、.．](?P<name>.+?)(?:项目)?(?:绩效目标表|绩效目标申报表)$")
_NOT_A_PROJECT = ("整体", "一级项目", "部门预算", "部门专项业务经费", "专项资金整体")


def _read_prose(ctx: Context) -> list[Record]:
    out: list[Record] = []
    stage = ctx.meta.stage
    for line in ctx.prose:
        for sub in line.text.split("\n"):
            if "项目" not in sub and "绩效目标" not in sub:
                continue
            text = normalize(sub)
            out.extend(_paragraph(text, line))
            if "其中" in text:
                out.extend(_list(text, line, stage))
            m = TARGET_TITLE_RE.match(text)
            if m and not any(w in m.group("name") for w in _NOT_A_PROJECT):
                out.append(Record(_values(row_kind="project", name=m.group("name"), scope="all", measure=None,
                                          figure=None, label=None), "prose", line=line))
    return out


def _phrase_figure(m: re.Match) -> tuple[str, str, Decimal]:
    return m.group("raw"), m.group("unit"), parse_amount(m.group("raw"))


def _paragraph(text: str, line: Line) -> list[Record]:
    m = PARAGRAPH_RE.match(text)
    if not m:
        return []
    sentence = text[m.end():].split("。")[0]
    name = strip_ordinal(m.group("name"))
    out = []
    for regex, measure in ((BUDGET_RE, "budget"), (FINAL_RE, "final")):
        fm = regex.search(sentence)
        if fm:
            out.append(Record(_values(row_kind="project", name=name, scope="all", measure=measure,
                                      figure=_phrase_figure(fm), label=fm.group(0)), "prose", line=line))
    return out


def _list(text: str, line: Line, stage: str | None) -> list[Record]:
    out = []
    for m in LIST_RE.finditer(text):
        label = m.group("label")
        measure = _measure_of(label, stage)
        scope = _scope_of(label, "all")
        out.append(Record(_values(row_kind="total", name=label, scope=scope, measure=measure,
                                  figure=_phrase_figure(m), label=label), "prose", line=line))
        for segment in re.split(r"[；;]", m.group("items")):
            im = LIST_ITEM_RE.match(re.sub(r"^(其中|以及|和|及)[：:]?", "", segment))
            if im:
                out.append(Record(_values(row_kind="project", name=im.group("name"), scope=scope, measure=measure,
                                          figure=_phrase_figure(im), label=im.group(0)), "prose", line=line))
    return out


def extract(ctx: Context) -> list[Record]:
    out: list[Record] = []
    stage = ctx.meta.stage
    for tb in ctx.blocks:
        if tb.info is not None and tb.info.kind == "project":
            out.extend(_read_project_table(tb, stage))
        else:
            out.extend(_read_forms(tb, stage))
            out.extend(_read_tasks(tb))
    out.extend(_read_prose(ctx))
    return out
