"""Reading a block of rows as a disclosure table.

A table is read in three steps:
1. its caption gives the title (and from the title its kind and fund scope, through an
   alias list) and the unit;
2. its header rows give every column a label path (基本支出/小计), and from the path a
   role: sequence number, code part, name, or an amount with a (fund_scope, measure);
3. each body row gives line items: a code read from the code columns (single, or split
   over 类/款/项) or, in summary panels, from the row's name through the catalog.

Rows of PDF conversions can lose an empty cell, which shifts every figure to its right
one column left. Where the table's own arithmetic (合计 = 基本支出 + 项目支出,
基本支出 = Σ its parts …) fails as printed and holds with one column restored, the
table is re-aligned and the re-alignment is reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .catalog import Catalogs, name_key, strip_ordinal
from .layout import Block, Line, Row
from .model import Issue, LineItem, TableInfo
from .numbers import CODE_RE, code_classification, find_unit, normalize, parse_amount

# ---------------------------------------------------------------------------
# Titles: the same table appears under many names. Order matters: first match wins.
# ---------------------------------------------------------------------------
KIND_ALIASES: list[tuple[str, tuple[str, ...]]] = [
    ("other", ("目录",)),
    ("three_public", ("三公",)),
    ("procurement", ("政府采购",)),
    ("performance", ("绩效",)),
    ("assets", ("资产", "固定资产")),
    ("admin_costs", ("机关运行经费",)),
    ("project", ("项目支出表", "项目支出预算表", "项目支出情况表", "专项业务经费", "项目明细表")),
    ("summary", ("收支总表", "收支总体情况表", "收支预算总表", "收支预算表", "收支决算总表", "收入支出决算总表",
                 "收入支出预算总表", "收入支出决算表")),
    ("revenue", ("收入总表", "收入总体情况表", "收入预算表", "收入决算表", "收入表")),
    ("spending", ("支出", "基本支出")),
]

TITLE_HINTS = ("表", "收支", "支出", "收入")

_TABLE_NUMBER_RE = re.compile(r"^(?:附件\d*[：:]?)?(表\s*[0-9一二三四五六七八九十]+|公开\s*\d+\s*表|公开表\s*[0-9一二三四五六七八九十]+)$")
_TITLE_NUMBER_PREFIX_RE = re.compile(r"^(表\s*[0-9一二三四五六七八九十]+|公开\s*\d+\s*表|公开表\s*[0-9一二三四五六七八九十]+)[、.．：:\s]*")


def table_kind(title: str | None) -> str:
    t = normalize(title or "")
    for kind, aliases in KIND_ALIASES:
        if any(a in t for a in aliases):
            return kind
    return "other"


def title_scope(title: str | None) -> str:
    t = normalize(title or "")
    if "一般公共预算" in t or "公共财政" in t:
        return "general_public"
    if "政府性基金" in t or "政府基金" in t:
        return "gov_fund"
    if "国有资本经营" in t:
        return "soe_capital"
    if "财政拨款" in t:
        return "fiscal_grant"
    return "all"


def _looks_like_title(text: str) -> bool:
    t = normalize(text).lstrip("#")
    if not t or len(t) > 60 or t.startswith(("单位", "部门名称", "金额单位", "编制单位")):
        return False
    return any(h in t for h in TITLE_HINTS)


def read_caption(caption: list[Line]) -> tuple[str | None, str | None, str | None, Line | None]:
    """(title, table_number, unit, title line) from the lines above a table."""
    title = number = unit = None
    title_line = None
    for cap in reversed(caption[-6:]):
        text = cap.text
        t = normalize(text).lstrip("#")
        if unit is None:
            unit = find_unit(t)
        if number is None and _TABLE_NUMBER_RE.match(t):
            number = t
            continue
        if title is None and _looks_like_title(text):
            title = re.sub(r"^#+\s*", "", text).strip().replace("*", "")
            title_line = cap
            m = _TITLE_NUMBER_PREFIX_RE.match(normalize(title))
            if m and number is None:
                number = m.group(1)
    return title, number, unit, title_line


# ---------------------------------------------------------------------------
# Column labels
# ---------------------------------------------------------------------------
_DESC_WORDS = ("编码", "代码", "名称", "科目")
_DESC_EXACT = {"类", "款", "项", "项目"}
_SEQ_WORDS = ("序号", "栏次", "行次")
_NOTE_WORDS = ("备注", "简介", "说明", "用途")
_CODE_PARTS = {"类", "款", "项"}


def _is_desc_label(label: str) -> bool:
    t = normalize(label)
    return t in _DESC_EXACT or any(w in t for w in _DESC_WORDS)


def _is_lanci_row(cells: list[str]) -> bool:
    vals = [normalize(c) for c in cells if normalize(c)]
    if not vals:
        return False
    if vals[0] in ("栏次", "行次") or all(v == "**" for v in vals):
        return True
    nums = [v for v in vals if v != "**"]
    return len(nums) >= 2 and all(v.isdigit() for v in nums) and [int(v) for v in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums)))


def _is_caption_row(cells: list[str]) -> bool:
    t = normalize("".join(cells))
    return bool(re.search(r"单位[：:]|预算年度[：:]|部门名称[：:]|单位名称[：:]|截止时间[：:]", t))


def _has_code(cells: list[str]) -> bool:
    return any(code_classification(normalize(c)) for c in cells)


def _is_body_row(cells: list[str]) -> bool:
    if _is_lanci_row(cells):
        return False
    if _has_code(cells):
        return True
    vals = [normalize(c) for c in cells]
    amounts = [v for v in vals if parse_amount(v) is not None]
    if any(("." in v or "," in v) for v in amounts) or len(amounts) >= 2:
        return True
    return any(v in ("合计", "总计") for v in vals) and bool(amounts)


def _fill_full(rows: list[list[str]], width: int) -> list[list[str]]:
    """Header rows with explicit empty cells: spread a label right over the columns that
    the rows below split (a merged cell), never over a column nobody below labels."""
    grid = [[normalize(c) for c in r] + [""] * (width - len(r)) for r in rows]
    for r in range(len(grid)):
        for j in range(1, width):
            if grid[r][j] == "" and grid[r][j - 1] != "":
                below = any(grid[rr][j] for rr in range(r + 1, len(grid)))
                left_below = any(grid[rr][j - 1] for rr in range(r + 1, len(grid)))
                if below and left_below:
                    grid[r][j] = grid[r][j - 1]
    return grid


def _spread_short_row(cells: list[str], lower: list[str], width: int) -> list[str]:
    """A header row that lost its merged cells' spans (one-cell-per-line exports): give each
    cell the columns it must cover, using the row below: a column empty below is a cell
    merged downwards; a run of labelled columns below is split at the turns between
    descriptive (编码/名称) and amount columns."""
    cells = [normalize(c) for c in cells]
    lower = [normalize(c) for c in lower] + [""] * (width - len(lower))
    runs: list[list[int]] = []
    j = 0
    while j < width:
        if lower[j] == "":
            runs.append([j])
            j += 1
            continue
        k = j
        while k < width and lower[k] != "":
            k += 1
        runs.append(list(range(j, k)))
        j = k

    def split(run: list[int], strict: bool) -> list[list[int]]:
        if len(run) == 1 or lower[run[0]] == "":
            return [run]
        parts: list[list[int]] = [[run[0]]]
        for a, b in zip(run, run[1:]):
            da, db = _is_desc_label(lower[a]), _is_desc_label(lower[b])
            turn = (not da and db) if not strict else (da != db)
            if turn:
                parts.append([b])
            else:
                parts[-1].append(b)
        return parts

    for strict in (False, True):
        segments = [seg for run in runs for seg in split(run, strict)]
        if len(segments) == len(cells):
            out = [""] * width
            for cell, seg in zip(cells, segments):
                for col in seg:
                    out[col] = cell
            return out
    return cells + [""] * (width - len(cells))


def column_paths(header: list[list[str]], width: int) -> list[list[str]]:
    rows = [list(r) for r in header]
    if not rows:
        return [[] for _ in range(width)]
    # one-cell-per-line exports drop the trailing cells that continue a merged cell down
    # the last header row, and rows above it lose their spans: give them back
    rows[-1] = rows[-1] + [""] * (width - len(rows[-1]))
    for i in range(len(rows) - 2, -1, -1):
        if len(rows[i]) < width:
            rows[i] = _spread_short_row(rows[i], rows[i + 1], width)
    grid = _fill_full(rows, width)
    paths = []
    for j in range(width):
        path: list[str] = []
        for r in range(len(grid)):
            v = grid[r][j]
            if v and (not path or path[-1] != v):
                path.append(v)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------
# Label path → role / (scope, measure)
# ---------------------------------------------------------------------------
_SKIP_SOURCE_WORDS = ("行政事业性收费", "专项收入", "国有资产资源", "国有资源", "政府住房基金", "财政专户", "上级提前告知",
                      "上级补助", "其他收入", "结余", "结转", "事业收入", "经营收入", "附属单位上缴", "转移支付", "上年")
_TOTAL_LEAVES = ("合计", "总计", "小计", "预算数", "决算数", "金额", "本年支出小计", "本年支出合计", "支出合计")
_LEAF_MEASURES = [
    ("人员经费", "personnel"),
    ("日常公用经费", "public"),
    ("公用经费", "public"),
    ("专项业务经费", "project"),
    ("一般性项目", "project_general"),
    ("专项资金", "project_special"),
    ("经营支出", "operating"),
    ("上解上级支出", "remit_upper"),
    ("上缴上级支出", "remit_upper"),
    ("对附属单位补助支出", "subsidiary_grants"),
    ("单位预留机动经费", "unit_reserve"),
    ("预留机动经费", "unit_reserve"),
    ("结转下年", "carry_forward"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
]
_BASIC_PARTS = [
    ("工资福利支出", "basic_wages_welfare"),
    ("商品和服务支出", "basic_goods_services"),
    ("商品服务支出", "basic_goods_services"),
    ("对个人和家庭的补助", "basic_household_transfers"),
    ("对个人和家庭补助", "basic_household_transfers"),
    ("对个人及家庭的补助", "basic_household_transfers"),
]


def column_semantics(path: list[str], table_scope: str, basic_table: bool) -> tuple[str, str] | None:
    """(fund_scope, measure) of an amount column, or None when it is not a spending figure."""
    if not path:
        return None
    tokens = [normalize(p) for p in path]
    if any("收入" in t and "支出" not in t for t in tokens[-1:]):
        return None
    scope = table_scope
    for t in tokens:
        if "一般公共预算" in t or "公共财政" in t:
            scope = "general_public"
        elif "政府性基金" in t or "政府基金" in t:
            scope = "gov_fund"
        elif "国有资本经营" in t:
            scope = "soe_capital"
    leaf = tokens[-1]
    # a finer source of money inside a scope (其中：财政拨款, 行政事业性收费 …) is revenue detail
    if any(w in leaf for w in _SKIP_SOURCE_WORDS) and "结转下年" not in leaf:
        return None
    if re.sub(r"^其中[：:]", "", leaf) == "财政拨款" and len(tokens) > 1:
        return None
    group = None
    for t in tokens[:-1]:
        if "基本支出" in t:
            group = "basic"
        elif "项目支出" in t:
            group = "project"
    if group == "basic":
        for word, measure in _BASIC_PARTS:
            if word in leaf:
                return scope, measure
    for word, measure in _LEAF_MEASURES:
        if word in leaf:
            return scope, measure
    if any(leaf.endswith(w) or leaf == w for w in _TOTAL_LEAVES) or scope != table_scope or leaf in ("预算数", "决算数"):
        if group:
            return scope, group
        return scope, ("basic" if basic_table else "total")
    return None


@dataclass
class Column:
    index: int
    path: list[str]
    role: str  # seq | code | name | unit_code | note | amount | other
    group: int = 0  # code group the column belongs to (for code/name)
    semantics: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        return "/".join(self.path)


def classify_columns(paths: list[list[str]], table_scope: str, basic_table: bool) -> list[Column]:
    cols: list[Column] = []
    group = 0
    last_role = None
    for j, path in enumerate(paths):
        leaf = normalize(path[-1]) if path else ""
        joined = "".join(normalize(p) for p in path)
        if any(w in joined for w in _SEQ_WORDS):
            role = "seq"
        elif any(w in leaf for w in _NOTE_WORDS) and "名称" not in leaf:
            role = "note"
        elif "单位代码" in leaf or "单位编码" in leaf:
            role = "unit_code"
        elif leaf in _CODE_PARTS or "编码" in leaf or "代码" in leaf:
            role = "code"
        elif _is_desc_label(leaf):
            role = "name"
        elif path:
            role = "amount"
        else:
            role = "other"
        if role == "code" and last_role not in ("code", "unit_code"):
            group += 1
        if role == "name" and last_role not in ("code", "unit_code"):
            group += 1
        col = Column(j, path, role, group)
        if role == "amount":
            col.semantics = column_semantics(path, table_scope, basic_table)
        cols.append(col)
        last_role = role
    return cols


# ---------------------------------------------------------------------------
# Reading a table
# ---------------------------------------------------------------------------
@dataclass
class TableResult:
    info: TableInfo
    items: list[LineItem] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    consumed_rows: list[Row] = field(default_factory=list)  # rows read as table (not prose)


def _assemble_code(parts: list[str], carry: list[str]) -> tuple[str | None, list[str]]:
    parts = [normalize(p) for p in parts]
    if not any(parts):
        return None, carry
    filled = list(parts)
    # merged 类/款 cells: an empty leading part takes the previous row's value
    for i, p in enumerate(parts):
        if not p and any(parts[i + 1:]) and i < len(carry):
            later = next(x for x in parts[i + 1:] if x)
            if len(later) == 2:
                filled[i] = carry[i]
    code = ""
    for p in filled:
        if not p:
            continue
        if not code:
            code = p
        elif p.startswith(code) and len(p) > len(code):
            code = p
        elif len(p) == 2 and p.isdigit():
            code += p
        else:
            code = p
    return (code if CODE_RE.match(code) else None), filled


_TOTAL_ROW_NAMES = {"合计", "总计", "本年支出合计", "支出合计", "本年支出小计", "当年支出小计", "当年支出合计"}


class TableReader:
    def __init__(self, catalogs: Catalogs, fiscal_year: int | None, prior_items: list[LineItem]):
        self.catalogs = catalogs
        self.fiscal_year = fiscal_year
        self.prior = prior_items

    # -- entry -------------------------------------------------------------
    def read(self, block: Block, table_index: int) -> TableResult | None:
        rows = list(block.rows)
        title, number, unit, title_line = read_caption(block.caption)
        # caption rows inside the grid (one-cell-per-line exports)
        while rows and _is_caption_row(rows[0].cells) and not _is_body_row(rows[0].cells):
            u = find_unit("".join(rows[0].cells))
            unit = unit or u
            rows.pop(0)
        if title is None:
            return None  # rows with no table title above them: a form's or a narrative's cells
        kind = table_kind(title)
        scope = title_scope(title)
        first_row = block.rows[0] if block.rows else None
        info = TableInfo(table_index=table_index, title=title, kind=kind, fund_scope=scope, unit=unit,
                         table_number=number, line_start=(title_line.line if title_line else block.line_start),
                         page=(title_line.page if title_line and title_line.page else first_row.page if first_row else None))
        result = TableResult(info)
        first_body = next((i for i, r in enumerate(rows) if _is_body_row(r.cells)), None)
        header = [r.cells for r in rows[: first_body if first_body is not None else len(rows)]
                  if not _is_lanci_row(r.cells)]
        body = [r for r in rows[first_body:]] if first_body is not None else []
        body = [r for r in body if not _is_lanci_row(r.cells)]
        info.n_rows = len(body)
        if kind not in ("spending", "summary"):
            return result
        if not body:
            info.is_empty = True
            return result
        if unit is None:
            result.issues.append(Issue("error", "unit_missing",
                                       f"Table «{title}» states no unit (单位); its figures were not loaded.",
                                       table_index, None, info.line_start))
            return result
        width = max(len(r) for r in header + [b.cells for b in body]) if header else max(len(b.cells) for b in body)
        paths = column_paths(header, width)
        basic_table = "基本支出" in normalize(title or "")
        columns = classify_columns(paths, scope, basic_table)
        name_cols = [c for c in columns if c.role == "name"]
        code_cols = [c for c in columns if c.role == "code"]
        if kind == "summary" or (len(name_cols) >= 2 and not code_cols):
            self._read_panels(result, body, columns, unit)
        else:
            self._read_coded(result, body, columns, unit)
        info.n_line_items = len(result.items)
        info.is_empty = not result.items
        return result


    # -- helpers ------------------------------------------------------------
    def _item(self, info: TableInfo, row: Row, row_number: int, col: Column, raw: str, unit: str,
              classification: str, code: str | None, name: str | None, measure: str, scope: str,
              code_source: str | None, raw_code: str | None, data_index: int) -> LineItem:
        ref = row.refs[data_index] if row.refs and data_index < len(row.refs) else None
        return LineItem(
            source_kind="table", fund_scope=scope, classification=classification, code=code, measure=measure,
            raw_amount=raw.strip(), unit=unit, amount=parse_amount(raw), name=name, code_source=code_source,
            raw_code=raw_code, table_index=info.table_index, table_number=info.table_number, table_title=info.title,
            page=row.page, row_number=row_number, line_number=row.line, column_label=col.label,
            sheet=row.sheet, cell=ref, extraction="ocr" if row.ocr else "text",
        )

    # -- tables with code columns --------------------------------------------
    def _read_coded(self, result: TableResult, body: list[Row], columns: list[Column], unit: str) -> None:
        info = result.info
        mapping = self._align(result, body, columns)
        groups = sorted({c.group for c in columns if c.role == "code"})
        carry: dict[int, list[str]] = {g: [] for g in groups}
        for row_number, row in enumerate(body, start=1):
            cells = row.cells + [""] * (len(columns) + 1 - len(row.cells))
            codes: list[tuple[str, str, str | None]] = []  # (code, raw_code, name)
            for g in groups:
                parts_cols = [c for c in columns if c.role == "code" and c.group == g]
                raw_parts = [cells[c.index] for c in parts_cols]
                code, carry[g] = _assemble_code(raw_parts, carry[g])
                name_col = next((c for c in columns if c.role == "name" and c.group == g), None)
                name = cells[name_col.index].strip() if name_col else None
                if code and code_classification(code):
                    codes.append((code, " | ".join(p.strip() for p in raw_parts if p.strip()), name))
            desc = [normalize(cells[c.index]) for c in columns if c.role in ("name", "code", "seq")]
            is_total = not codes and (any(d in _TOTAL_ROW_NAMES for d in desc) or not groups)
            if not codes and not is_total:
                continue
            result.consumed_rows.append(row)
            for data_index, col in mapping.items():
                raw = cells[data_index] if data_index < len(cells) else ""
                if parse_amount(raw) is None or col.semantics is None:
                    continue
                scope, measure = col.semantics
                if is_total:
                    result.items.append(self._item(info, row, row_number, col, raw, unit, "total", None, "合计",
                                                   measure, scope, None, None, data_index))
                    continue
                for code, raw_code, name in codes:
                    cls = code_classification(code)
                    if code not in self.catalogs.codes(cls):
                        result.issues.append(Issue("warn", "unknown_code",
                                                   f"Code {code} ({name}) in table «{info.title}» is not in the catalog; kept as printed.",
                                                   info.table_index, row_number, row.line))
                    result.items.append(self._item(info, row, row_number, col, raw, unit, cls, code, name, measure,
                                                   scope, "printed", raw_code, data_index))
        # report an unknown code once per table
        seen: set[str] = set()
        result.issues[:] = [i for i in result.issues
                            if i.issue_code != "unknown_code" or not (i.message in seen or seen.add(i.message))]

    # -- alignment -------------------------------------------------------------
    def _violations(self, body: list[Row], mapping: dict[int, Column]) -> int:
        bad = 0
        for row in body:
            vals: dict[str, Decimal] = {}
            for idx, col in mapping.items():
                if col.semantics is None:
                    continue
                v = parse_amount(row.cells[idx]) if idx < len(row.cells) else None
                if v is not None:
                    scope, measure = col.semantics
                    vals[f"{scope}:{measure}"] = vals.get(f"{scope}:{measure}", Decimal(0)) + v
            scopes = {k.split(":")[0] for k in vals}
            present = {c.semantics for c in mapping.values() if c.semantics}
            for scope in scopes:
                def g(m: str) -> Decimal:
                    return vals.get(f"{scope}:{m}", Decimal(0))

                def has(m: str) -> bool:
                    return (scope, m) in present

                if has("total") and has("basic"):
                    parts = sum((g(m) for m in ("basic", "project", "operating", "remit_upper", "subsidiary_grants",
                                                "unit_reserve", "carry_forward")), Decimal(0))
                    if g("total") != parts:
                        bad += 1
                elif has("total") and has("personnel") and has("public"):
                    if g("total") != g("personnel") + g("public") + g("project"):
                        bad += 1
                if has("basic") and has("personnel") and has("public"):
                    if g("basic") != g("personnel") + g("public"):
                        bad += 1
                basic_parts = [m for m in ("basic_wages_welfare", "basic_goods_services", "basic_household_transfers") if has(m)]
                if has("basic") and basic_parts and g("basic") != sum((g(m) for m in basic_parts), Decimal(0)):
                    bad += 1
                project_parts = [m for m in ("project_general", "project_special") if has(m)]
                if has("project") and project_parts and g("project") != sum((g(m) for m in project_parts), Decimal(0)):
                    bad += 1
        return bad

    def _agreement(self, body: list[Row], mapping: dict[int, Column], columns: list[Column]) -> int:
        known = {(i.code, i.measure, i.amount) for i in self.prior}
        score = 0
        groups = sorted({c.group for c in columns if c.role == "code"})
        for row in body:
            codes = []
            for g in groups:
                code, _ = _assemble_code([row.cells[c.index] if c.index < len(row.cells) else "" for c in columns
                                          if c.role == "code" and c.group == g], [])
                if code:
                    codes.append(code)
            for idx, col in mapping.items():
                v = parse_amount(row.cells[idx]) if idx < len(row.cells) else None
                if v is None or not col.semantics:
                    continue
                for code in codes or [None]:
                    if (code, col.semantics[1], v) in known:
                        score += 1
        return score

    def _align(self, result: TableResult, body: list[Row], columns: list[Column]) -> dict[int, Column]:
        amount_cols = [c for c in columns if c.role == "amount"]
        straight = {c.index: c for c in amount_cols}
        if len(amount_cols) < 3:
            return straight
        base = self._violations(body, straight)
        if base == 0:
            return straight
        candidates: list[tuple[int, int, int, dict[int, Column]]] = []
        for dropped in amount_cols:
            mapping: dict[int, Column] = {}
            for c in amount_cols:
                if c.index < dropped.index:
                    mapping[c.index] = c
                elif c.index > dropped.index:
                    mapping[c.index - 1] = c
            v = self._violations(body, mapping)
            if v == 0:
                candidates.append((v, -self._agreement(body, mapping, columns), dropped.index, mapping))
        if not candidates:
            result.issues.append(Issue("warn", "table_arithmetic",
                                       f"Table «{result.info.title}»: {base} row checks (合计 = 基本 + 项目 …) fail as printed; figures kept as printed.",
                                       result.info.table_index))
            return straight
        candidates.sort(key=lambda t: (t[0], t[1], t[2]))
        best = candidates[0]
        tied = [c for c in candidates if c[0] == best[0] and c[1] == best[1]]
        dropped_label = "/".join(columns[best[2]].path)
        msg = (f"Table «{result.info.title}»: rows hold one cell fewer than the header; the figures were re-aligned "
               f"as if the empty column «{dropped_label}» had been lost ({best[0]} row checks fail after, {base} before)")
        if len(tied) > 1:
            msg += f"; {len(tied)} alignments fit equally, the first was taken"
        result.issues.append(Issue("warn", "realigned_columns", msg + ".", result.info.table_index))
        return best[3]

    # -- summary panels -----------------------------------------------------------
    def _read_panels(self, result: TableResult, body: list[Row], columns: list[Column], unit: str) -> None:
        info = result.info
        name_cols = [c for c in columns if c.role == "name"]
        panels: list[tuple[Column, list[Column]]] = []
        for i, nc in enumerate(name_cols):
            end = name_cols[i + 1].index if i + 1 < len(name_cols) else len(columns)
            panels.append((nc, [c for c in columns if c.role == "amount" and nc.index < c.index < end]))
        if info.kind == "summary" and len(panels) >= 2:
            panels = panels[1:]  # the first panel of a 收支 table is income (revenue: not spending)
        for nc, amount_cols in panels:
            label = "".join(nc.path)
            if "功能" in label:
                order = ["function"]
            elif "政府经济" in label or "政府预算经济" in label:
                order = ["econ_gov"]
            elif "经济" in label:
                order = ["econ_dept"]
            else:
                order = ["function", "econ_dept", "econ_gov"]
            group_measure: str | None = None
            for row_number, row in enumerate(body, start=1):
                cells = row.cells
                offset = None
                for d in (0, 1):
                    j = nc.index + d
                    if j < len(cells) and normalize(cells[j]) and parse_amount(cells[j]) is None:
                        offset = d
                        break
                if offset is None:
                    continue
                name = cells[nc.index + offset].strip()
                # trust the figures that follow the name without a gap
                values: list[tuple[Column, str, int]] = []
                for k, col in enumerate(sorted(amount_cols, key=lambda c: c.index)):
                    j = nc.index + offset + 1 + k
                    raw = cells[j] if j < len(cells) else ""
                    if parse_amount(raw) is None:
                        break
                    values.append((col, raw, j))
                key = name_key(name)
                stripped = strip_ordinal(name)
                kind, code, measure_override = self._panel_name(stripped, key, order, group_measure)
                if kind == "group":
                    group_measure = measure_override if measure_override in ("basic", "project") else group_measure
                if kind is None:
                    if values and not any(w in stripped for w in ("结转", "结余", "总计", "收入")):
                        result.issues.append(Issue("warn", "name_not_in_catalog",
                                                   f"Row «{name}» of table «{info.title}» names no code the catalog knows; its figures were not loaded.",
                                                   info.table_index, row_number, row.line))
                    continue
                if values:
                    result.consumed_rows.append(row)
                for col, raw, j in values:
                    if col.semantics is None:
                        continue
                    scope, measure = col.semantics
                    if kind in ("total", "group"):
                        m = measure_override if kind == "group" else measure
                        if kind == "group" and measure not in ("total",):
                            continue
                        result.items.append(self._item(info, row, row_number, col, raw, unit, "total", None, name,
                                                       m, scope, None, None, j))
                    else:
                        m = measure_override if (measure_override and measure == "total") else measure
                        result.items.append(self._item(info, row, row_number, col, raw, unit, kind, code, name, m,
                                                       scope, "name", name, j))

    def _panel_name(self, stripped: str, key: str, order: list[str], group_measure: str | None
                    ) -> tuple[str | None, str | None, str | None]:
        """(kind, code, measure) of a summary row from its name: kind is total, group, a
        classification, or None."""
        if stripped in _TOTAL_ROW_NAMES or stripped in ("财政拨款", "一般公共预算"):
            return "total", None, None
        groups = [
            ("人员经费和公用经费", "basic"), ("基本支出", "basic"), ("一般性项目", "project_general"),
            ("专项资金", "project_special"), ("项目支出", "project"), ("对附属单位补助支出", "subsidiary_grants"),
            ("经营支出", "operating"), ("上缴上级支出", "remit_upper"), ("上解上级支出", "remit_upper"),
            ("单位预留机动经费", "unit_reserve"), ("预留机动经费", "unit_reserve"),
        ]
        for word, measure in groups:
            if stripped.startswith(word) and len(stripped) <= len(word) + 2:
                return "group", None, measure
        for cls in order:
            codes = self.catalogs.codes(cls).lookup(stripped, length=3)
            if len(codes) == 1:
                econ_measure = group_measure if cls != "function" else None
                return cls, codes[0], econ_measure
        return None, None, None
