"""performance_indicators (docs/staging/performance_indicators.md): one row per performance indicator.

Where indicators are printed:
- forms (绩效目标表, 绩效目标申报表, 项目绩效目标完成情况表 …) whose title says whose they are: the department as a
  whole (部门整体 / 部门（单位）整体) or a project (its name from the title "N、<name>绩效目标表" or from the
  form's 项目名称 row). The form's header row (一级指标 | 二级指标 | 三级指标 | [绩效指标描述] | 指标值 |
  [实际完成指标值] …) says which cells follow the levels; the 一级 and 二级 cells are merged over their rows, so a
  row's blank level cells carry the last one printed above; a 一级 never printed is inferred from the 二级.
- sentences "绩效指标：业务案件办结率≥95%" (after "绩效目标：…"), for the department as a whole.

Rows are not always whole. Ragged TSV rows lose their leading blank cells (the levels shift left), and Word or
PDF exports break a row where a cell holds a paragraph break (the rest of the row follows after an empty line, or
a cell's last line becomes a line of its own). Each row is therefore read by what its cells are: level labels
(a closed vocabulary: 产出指标, 数量指标, 社会效益指标 …) first, then the indicator, [its description], the
target [and the achieved value] in the header's order; a row that stops short of its target is completed by the
rows (and loose lines) that follow it, up to the header's width. A row read cell by cell at the header's
positions is used only where its cells fit those positions.

Not rows: empty template rows ("指标1：" with nothing else, "....."), indicators marked 不适用, and score sheets
(绩效评价评分表: no target column).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import polars as pl

from ..layout import Line, Row
from ..model import TableInfo
from ..numbers import normalize
from . import Context, Record

FRAME = "performance_indicators"
COLUMNS: dict[str, pl.DataType] = {
    "subject": pl.Utf8,
    "project_name": pl.Utf8,
    "goal_text": pl.Utf8,
    "level1": pl.Utf8,
    "level1_printed": pl.Utf8,
    "level1_source": pl.Utf8,
    "level2": pl.Utf8,
    "level3": pl.Utf8,
    "indicator_raw": pl.Utf8,
    "description": pl.Utf8,
    "target_raw": pl.Utf8,
    "target_operator": pl.Utf8,
    "target_value": pl.Decimal(20, 4),
    "target_unit": pl.Utf8,
    "actual_raw": pl.Utf8,
    "actual_operator": pl.Utf8,
    "actual_value": pl.Decimal(20, 4),
    "actual_unit": pl.Utf8,
}

OPERATORS = ("≥", "≤", ">", "<", "=")

# ---------------------------------------------------------------------------
# Targets: "≥95%" → (≥, 95, %); "72人" → (=, 72, 人); "有所下降" → (None, None, None)
# ---------------------------------------------------------------------------
_OP_WORDS = {
    "≥": "≥", "≧": "≥", ">=": "≥", "≤": "≤", "≦": "≤", "<=": "≤", ">": ">", "<": "<", "=": "=",
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "大于等于": "≥", "不高于": "≤", "不超过": "≤", "不多于": "≤",
    "不大于": "≤", "小于等于": "≤", "大于": ">", "高于": ">", "多于": ">", "小于": "<", "低于": "<", "少于": "<",
}
_OP_SUFFIX = {"以上": "≥", "以下": "≤", "以内": "≤"}
_TARGET_RE = re.compile(
    r"^(?P<op>" + "|".join(sorted(map(re.escape, _OP_WORDS), key=len, reverse=True)) + r")?"
    r"(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?P<unit>[^\d,，。;；:：、()（）\[\]【】<>=≥≤≧≦]{0,5}?)"
    r"(?P<post>以上|以下|以内)?$"
)
_MAX_PLACES = 4  # target_value is DECIMAL(20,4): a number with more places is not split (kept as text)


def split_target(text: str | None) -> tuple[str | None, Decimal | None, str | None]:
    """(operator, number, unit) of a target or achieved value as printed; (None, None, None) for a qualitative one.

    Operators are normalised to ≥ ≤ > < = (≧ ≦ ＞ ＜ ＝, 不低于 …, "…以上"); no operator with a number means =.
    The unit is what follows the number (%, 人, 万元, 元/人), NULL when nothing does."""
    if text is None:
        return None, None, None
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    m = _TARGET_RE.match(t)
    if not m:
        return None, None, None
    op = _OP_WORDS.get(m.group("op")) if m.group("op") else None
    if m.group("post"):
        if op is not None:
            return None, None, None  # "≥95%以上": two operators, not a plain target
        op = _OP_SUFFIX[m.group("post")]
    try:
        number = Decimal(m.group("num").replace(",", "").lstrip("+"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None, None, None
    if -number.as_tuple().exponent > _MAX_PLACES:
        return None, None, None
    return op or "=", number, m.group("unit") or None


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------
_PAREN_RE = re.compile(r"[（(][^）)]*[）)]")
_L1_RE = re.compile(r"^(产出|效益|满意度|成本|项目完成)指标$")
_L2_RE = re.compile(r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续(?:发展)?影响|(?:服务对象)?满意度"
                    r"|经济成本|社会成本|生态环境成本)(?:指标|目标)?$")
_SECTION_RE = re.compile(r"绩效(?:指标|目标)(?:完成情况)?$")
_NUMBERING_RE = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")
_PLACEHOLDER_RE = re.compile(r"^(?:指标\s*\d+\s*[:：]?|\.{2,}|…+|目标\d+[:：]?(?:\s*目标\d+[:：]?)*)$")
_NO_VALUE = {"不适用", "/", "-", "—", "——", "－", "–"}  # a target cell that states nothing (无 does: none)
_NO_INDICATOR = _NO_VALUE | {"无"}
_HTML_TAG_RE = re.compile(r"<[^>]+>")


def _key(text: str) -> str:
    return _PAREN_RE.sub("", normalize(text))


def _is_l1(text: str) -> bool:
    return bool(_L1_RE.match(_key(text)))


def _is_l2(text: str) -> bool:
    return bool(_L2_RE.match(_key(text)))


def _is_label(text: str) -> bool:
    return _is_l1(text) or _is_l2(text)


def _is_section(text: str) -> bool:
    return bool(_SECTION_RE.search(normalize(text))) and len(normalize(text)) <= 12


def level1_of(level2: str | None) -> str | None:
    """The 一级 a 二级 belongs to: 数量/质量/时效/成本 → 产出指标; 经济/社会/生态效益, 可持续影响 → 效益指标;
    满意度 → 满意度指标; 经济/社会/生态环境成本 (the 2021 forms' own 成本 level) → 成本指标."""
    if not level2:
        return None
    k = _key(level2)
    if "满意" in k:
        return "满意度指标"
    if "效益" in k or "影响" in k:
        return "效益指标"
    if k.startswith(("经济成本", "社会成本", "生态环境成本")):
        return "成本指标"
    if k.startswith(("数量", "质量", "时效", "成本")):
        return "产出指标"
    return None


def canonical_level1(printed: str) -> str:
    k = _key(printed)
    for word, name in (("产出", "产出指标"), ("项目完成", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标"),
                       ("成本", "成本指标")):
        if word in k:
            return name
    return k


def _clean(text: str) -> str:
    """A cell's text without HTML markup; paragraphs on lines of their own."""
    if "<" in text:
        text = re.sub(r"</p>|<br\s*/?>", "\n", text, flags=re.I)
        text = _HTML_TAG_RE.sub("", text)
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _flat(text: str) -> str:
    """A label as printed, its line breaks (a cell broken over lines) removed."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------
_FORM_TITLE_RE = re.compile(r"绩效.*表(?:\([^)]*\))?$")
_TITLE_ORDINAL_RE = re.compile(r"^\d+[、.．]\s*")
_TITLE_SUFFIX_RE = re.compile(r"(?:项目)?(?:支出)?绩效(?:目标|指标)?(?:申报|完成情况|自评)?表\s*$")
_PROJECT_LABELS = ("项目名称", "专项（项目）名称", "专项(项目)名称", "项目（专项）名称")
_GOAL_LABELS = {"年度总体目标", "总体目标", "绩效目标", "年度目标完成情况", "整体绩效目标", "年度绩效目标"}
_GOAL_SUBLABELS = {"年度目标", "预期目标", "实际完成目标", "实际完成情况"}
_STOP_RE = re.compile(r"(?:说明|备注)[:：]?$|^(?:备注|注)[:：]|^(?:填报人|联系电话|审核人|单位负责人)")


def is_form_title(text: str) -> bool:
    t = normalize(text)
    return bool(_FORM_TITLE_RE.search(t)) and len(t) <= 120 and not re.search(r"[。，；;]", t)


def form_subject(title: str) -> str:
    t = normalize(title)
    return "department" if "整体" in t and ("部门" in t or "单位)" in t) else "project"


def title_project_name(title: str) -> str | None:
    """"1、长期护理保险办公经费绩效目标表" → 长期护理保险办公经费 (only titles numbered as one of a list of projects)."""
    t = title.strip()
    if not _TITLE_ORDINAL_RE.match(t):
        return None
    name = _TITLE_SUFFIX_RE.sub("", _TITLE_ORDINAL_RE.sub("", t)).strip()
    return name or None


@dataclass
class Header:
    width: int
    l1_col: int
    l2_col: int
    roles: list[tuple[int, str]]  # (column, role) after the level columns: level3, description, target, actual, other

    @property
    def n_roles(self) -> int:
        return len(self.roles)

    @property
    def needed(self) -> int:
        """Content cells a row needs before it is an indicator: up to its target."""
        names = [r for _, r in self.roles]
        return names.index("target") + 1

    def role_names(self) -> list[str]:
        return [r for _, r in self.roles]


def _header_role(label: str) -> str:
    k = normalize(label)
    if not k:
        return "other"
    if "实际" in k or "完成值" in k:
        return "actual"
    if "依据" in k or "分值" in k or "得分" in k or "备注" in k:
        return "other"
    if "指标值" in k or "目标值" in k or "预期值" in k:
        return "target"
    if "描述" in k or "解释" in k:
        return "description"
    if k in ("三级指标", "指标内容", "指标名称", "绩效指标", "具体指标"):
        return "level3"
    return "other"


def read_header(cells: list[str]) -> Header | None:
    keys = [normalize(c) for c in cells]
    if "一级指标" not in keys or "二级指标" not in keys:
        return None
    l1, l2 = keys.index("一级指标"), keys.index("二级指标")
    roles = [(i, _header_role(cells[i])) for i in range(l2 + 1, len(cells))]
    while roles and roles[-1][1] == "other" and not keys[roles[-1][0]]:
        roles.pop()
    names = [r for _, r in roles]
    if "level3" not in names or "target" not in names or names.index("level3") > names.index("target"):
        return None
    roles = roles[names.index("level3"):]
    return Header(len(cells), l1, l2, roles)


@dataclass
class Piece:
    """One content cell, and where it was printed."""
    text: str
    row: Row | None
    row_number: int | None
    cell_index: int | None
    table: TableInfo | None
    line: Line | None = None


@dataclass
class Pending:
    """An indicator row being assembled (it may span several printed rows)."""
    labels: list[str]
    content: list[Piece]
    positional: bool = False  # read at the header's positions: whole as it stands


@dataclass
class Form:
    subject: str | None
    project_name: str | None = None
    goal: list[str] = field(default_factory=list)
    goal_next_row: bool = False
    header: Header | None = None
    stopped: bool = False
    l1: str | None = None  # the 一级 printed last (merged over the rows below it)
    l2: str | None = None


class _Reader:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.form: Form | None = None
        self.pending: Pending | None = None
        self.loose: list[Line] = []

    # ----- document order ------------------------------------------------------------------------
    def block(self, caption: list[Line], rows: list[Row], info: TableInfo | None) -> None:
        titled = False
        for line in caption:
            if is_form_title(line.text):
                self.open_form(line.text)
                titled = True
            else:
                self.caption_line(line)
        if not titled and info is not None and info.title and not is_form_title(info.title) \
                and info.kind not in ("performance", "other"):
            self.close()  # another table: the form is over
        for number, row in enumerate(rows, start=1):
            self.row(row, number, info)

    def caption_line(self, line: Line) -> None:
        form = self.form
        if form is None:
            return
        if form.header is None:
            text = line.text.strip()
            head, _, tail = text.partition("\n")
            if normalize(head) in _GOAL_LABELS and tail:
                form.goal.append(tail)  # the goal's cell, read as a line (a sheet's text above its table)
            elif form.goal and re.match(r"^\d+[.．、]", text):
                form.goal.append(text)  # a goal's further points, broken out of its cell
            return
        if self.pending is not None and len(self.pending.content) < form.header.n_roles:
            self.loose.append(line)
        elif not form.stopped:
            self.flush()

    def open_form(self, title: str) -> None:
        self.close()
        t = _clean(title)
        self.form = Form(form_subject(t), title_project_name(t.split("\n")[0]))

    def close(self) -> None:
        self.flush()
        self.form = None

    # ----- rows ----------------------------------------------------------------------------------
    def row(self, row: Row, number: int, info: TableInfo | None) -> None:
        cells = [_clean(c) for c in row.cells]
        filled = [c for c in cells if c]
        if len(filled) == 1 and is_form_title(filled[0]):
            self.open_form(filled[0])
            return
        header = read_header(cells)
        form = self.form
        if form is None:
            if header is None:
                return
            self.form = form = Form(None)  # indicators under no title that says whose they are
        if header is not None:
            self.flush()
            form.header, form.stopped, form.l1, form.l2 = header, False, None, None
            return
        if form.header is None:
            self.form_row(form, cells, filled)
            return
        if form.stopped:
            return
        if filled and _STOP_RE.search(normalize(filled[0])):
            self.flush()
            form.stopped = True
            return
        self.indicator_row(form, form.header, row, number, info, cells)

    def form_row(self, form: Form, cells: list[str], filled: list[str]) -> None:
        """A row of the form above its indicators: the project's name, the year's goal."""
        if not filled:
            return
        first = normalize(filled[0])
        if form.goal_next_row:
            form.goal_next_row = False
            form.goal.append(filled[0])
            return
        if any(first == normalize(p) for p in _PROJECT_LABELS):
            rest = [c for c in cells[cells.index(filled[0]) + 1:] if c]
            if rest:
                form.project_name = rest[0].replace("\n", "")  # a name broken over lines
            return
        head, _, tail = filled[0].partition("\n")
        if normalize(head) in _GOAL_LABELS:
            parts = ([tail] if tail else []) + [c for c in filled[1:] if normalize(c) not in _GOAL_SUBLABELS]
            if parts:
                form.goal.append(parts[0])
            elif normalize(head) == "年度目标完成情况" or any(normalize(c) in _GOAL_SUBLABELS for c in filled[1:]):
                form.goal_next_row = True

    def indicator_row(self, form: Form, header: Header, row: Row, number: int, info: TableInfo | None,
                      cells: list[str]) -> None:
        positional = self.positional(header, cells)
        if positional is not None:
            labels, content_idx = positional
            self.flush()
            self.pending = Pending(labels, [Piece(cells[i], row, number, i, info) for i in content_idx],
                                   positional=True)
            self.flush()
            return
        labels: list[str] = []
        content: list[Piece] = []
        for i, cell in enumerate(cells):
            if not cell:
                continue
            if not content and len(labels) < 2 and _is_label(cell) and not (labels and _is_l2(labels[0])
                                                                             and not _is_l1(labels[0])):
                labels.append(cell)
            elif not content and not labels and _is_section(cell):
                continue
            else:
                content.append(Piece(cell, row, number, i, info))
        if content and all(_PLACEHOLDER_RE.match(normalize(p.text)) for p in content):
            self.flush()  # an empty template row (指标1：, .....): its labels still carry
            self.apply_labels(form, labels)
            return
        p = self.pending
        if p is not None and not labels and not p.positional and len(p.content) < header.needed \
                and not (content and _NUMBERING_RE.match(content[0].text) and p.content):
            loose = [Piece(ln.text, None, None, None, None, ln) for ln in self.loose]
            if loose and not p.content and p.labels and _is_l2(p.labels[-1] + "".join(x.text for x in loose)):
                self.join_loose(p, loose)  # 社会效益 | 指标: a level label broken over lines
                loose = []
            if len(p.content) + len(loose) + len(content) > header.n_roles and loose:
                self.join_loose(p, loose)
                loose = []
            if len(p.content) + len(loose) + len(content) <= header.n_roles:
                p.content.extend(loose + content)
                self.loose = []
                if len(p.content) >= header.n_roles:
                    self.flush()
                return
        self.flush()
        if not labels and not content:
            return
        self.pending = Pending(labels, content)
        if len(content) >= header.n_roles:
            self.flush()

    @staticmethod
    def join_loose(p: Pending, loose: list[Piece]) -> None:
        """Lines that would overflow the row are the rest of the cell before them (a cell broken over lines)."""
        text = "".join(x.text for x in loose)
        if p.content:
            p.content[-1].text = p.content[-1].text + "\n" + "\n".join(x.text for x in loose)
        elif p.labels:
            p.labels[-1] = p.labels[-1] + text

    @staticmethod
    def positional(header: Header, cells: list[str]) -> tuple[list[str], list[int]] | None:
        """The row read at the header's positions, if its cells fit them."""
        first_content = header.roles[0][0]
        if len(cells) < header.width or not cells[first_content]:
            return None
        if any(c for c in cells[header.roles[-1][0] + 1:]):
            return None  # a cell beyond the header's last column: the row is shifted
        if not any(cells[i] for i, role in header.roles if role in ("target", "actual")):
            return None  # the row stops short of its target: the rest follows (read cell by cell)
        labels = ["", ""]
        for i in range(first_content):
            c = cells[i]
            if not c:
                continue
            if i == header.l1_col and _is_l1(c):
                labels[0] = c
            elif i == header.l2_col and _is_l2(c):
                labels[1] = c
            elif i < min(header.l1_col, header.l2_col) and _is_section(c):
                continue
            else:
                return None
        return labels, [i for i, _ in header.roles]

    def apply_labels(self, form: Form, labels: list[str]) -> tuple[bool, bool]:
        """Carry the row's level labels; (一级 printed in this row, 二级 printed in this row)."""
        l1 = l2 = None
        if len(labels) == 2:
            l1, l2 = labels
        elif len(labels) == 1:
            lb = labels[0]
            if _is_l1(lb) and not _is_l2(lb):
                l1 = lb
            elif _is_l2(lb) and not _is_l1(lb):
                l2 = lb
            elif form.l1 and level1_of(lb) == canonical_level1(form.l1):
                l2 = lb  # 成本指标 under 产出指标, 满意度指标 under 满意度指标
            else:
                l1 = lb
        if l1:
            form.l1, form.l2 = l1, None
        if l2:
            form.l2 = l2
        return bool(l1), bool(l2)

    def flush(self) -> None:
        p, self.pending = self.pending, None
        loose, self.loose = self.loose, []
        form = self.form
        if p is None or form is None or form.header is None:
            return
        header = form.header
        l1_here, _ = self.apply_labels(form, p.labels)
        content = list(p.content)
        if not p.positional:
            if len(content) < header.n_roles and loose:
                content += [Piece(ln.text, None, None, None, None, ln) for ln in loose][:header.n_roles - len(content)]
            roles = header.role_names()
            if len(content) < header.n_roles and "description" in roles:
                for k, piece in enumerate(content):
                    if "\n" in piece.text:  # a cell and the next one, run together by the export
                        head, tail = piece.text.split("\n", 1)
                        content[k:k + 1] = [Piece(head, piece.row, piece.row_number, piece.cell_index, piece.table),
                                            Piece(tail, piece.row, piece.row_number, piece.cell_index, piece.table)]
                        break
        values: dict[str, Piece] = {}
        for (_, role), piece in zip(header.roles, content):
            if role != "other" and piece.text:
                values[role] = piece
        ind = values.get("level3")
        if ind is None:
            return
        raw = ind.text
        level3 = _NUMBERING_RE.sub("", raw).strip()
        if not level3 or normalize(level3) in _NO_INDICATOR or _PLACEHOLDER_RE.match(normalize(raw)):
            return
        target = values.get("target")
        actual = values.get("actual")
        if target is None and actual is None:
            return
        if target is not None and normalize(target.text) in _NO_VALUE and actual is None:
            return
        level2 = _flat(form.l2) if form.l2 else None
        inferred = level1_of(level2)
        if form.l1 and (l1_here or inferred is None or canonical_level1(form.l1) == inferred):
            level1, level1_printed, source = canonical_level1(form.l1), _flat(form.l1), "printed"
        elif inferred:
            level1, level1_printed, source = inferred, None, "inferred"
        else:
            level1 = level1_printed = source = None
        t_op, t_num, t_unit = split_target(target.text if target else None)
        a_op, a_num, a_unit = split_target(actual.text if actual else None)
        desc = values.get("description")
        self.records.append(Record(
            values={
                "subject": form.subject, "project_name": form.project_name,
                "goal_text": "\n".join(form.goal) or None,
                "level1": level1, "level1_printed": level1_printed, "level1_source": source,
                "level2": level2, "level3": _flat_lines(level3), "indicator_raw": raw,
                "description": desc.text if desc else None,
                "target_raw": target.text if target else None, "target_operator": t_op, "target_value": t_num,
                "target_unit": t_unit,
                "actual_raw": actual.text if actual else None, "actual_operator": a_op, "actual_value": a_num,
                "actual_unit": a_unit,
            },
            source_kind="table", table=ind.table, row=ind.row, row_number=ind.row_number, line=ind.line,
            cell_index=ind.cell_index,
        ))


def _flat_lines(text: str) -> str:
    return " ".join(text.split("\n"))


# ---------------------------------------------------------------------------
# Sentences: 绩效目标：… / 绩效指标：业务案件办结率≥95%
# ---------------------------------------------------------------------------
_PROSE_GOAL_RE = re.compile(r"^绩效目标\s*[:：]\s*(?P<goal>.+)$")
_PROSE_INDICATOR_RE = re.compile(r"^绩效指标\s*[:：]\s*(?P<rest>.+)$")
_NAME_TARGET_RE = re.compile(
    r"^(?P<name>.*?[^\d.\s≥≤≧≦><=＞＜＝])\s*(?P<target>(?:" + "|".join(
        sorted(map(re.escape, list(_OP_WORDS) + ["＞", "＜", "＝"]), key=len, reverse=True))
    + r")?\s*[-+]?\d[\d,]*(?:\.\d+)?\s*\S{0,6})$")


def _prose_records(prose: list[Line]) -> list[Record]:
    out: list[Record] = []
    goal: str | None = None
    for line in prose:
        text = line.text.strip()
        if m := _PROSE_GOAL_RE.match(text):
            goal = m.group("goal").strip()
            continue
        m = _PROSE_INDICATOR_RE.match(text)
        if not m:
            continue
        for part in re.split(r"[；;]", m.group("rest")):
            part = part.strip().rstrip("。.")
            nt = _NAME_TARGET_RE.match(part)
            if not nt:
                continue
            target = nt.group("target").strip()
            op, num, unit = split_target(target)
            if op is None:
                continue
            out.append(Record(
                values={"subject": "department", "project_name": None, "goal_text": goal, "level1": None,
                        "level1_printed": None, "level1_source": None, "level2": None,
                        "level3": nt.group("name").strip(), "indicator_raw": part, "description": None,
                        "target_raw": target, "target_operator": op, "target_value": num, "target_unit": unit,
                        "actual_raw": None, "actual_operator": None, "actual_value": None, "actual_unit": None},
                source_kind="prose", line=line,
            ))
    return out


def _document_order(ctx: Context) -> list[tuple[list[Line], list[Row], TableInfo | None]]:
    """Every block of rows with its caption, and before it the text lines that no block of rows holds (a title
    standing alone on a sheet above its table), in document order. ctx.prose holds every caption line in order
    and, after each block's caption, the cells of its rows that no table took (not text lines: skipped)."""
    prose = ctx.prose
    pos = {id(line): i for i, line in enumerate(prose)}
    owned = {id(line) for tb in ctx.blocks for line in tb.block.caption}
    starts = [pos.get(id(tb.block.caption[0])) if tb.block.caption else None for tb in ctx.blocks]
    out: list[tuple[list[Line], list[Row], TableInfo | None]] = []
    i = 0
    previous: set[str] = set()
    for k, tb in enumerate(ctx.blocks):
        limit = starts[k]
        if limit is None:  # no caption: the lines up to the next block's caption stand before this one
            limit = next((s for s in starts[k + 1:] if s is not None), len(prose))
        own = {c.strip() for r in tb.block.rows for c in r.cells}
        stray = [ln for ln in prose[i:limit] if id(ln) not in owned and ln.text.strip() not in previous | own]
        if stray:
            out.append((stray, [], None))
        out.append((tb.block.caption, tb.block.rows, tb.info))
        i = max(i, limit + (len(tb.block.caption) if starts[k] is not None else 0))
        previous = own
    return out


def extract(ctx: Context) -> list[Record]:
    reader = _Reader()
    for caption, rows, info in _document_order(ctx):
        reader.block(caption, rows, info)
    reader.close()
    return reader.records + _prose_records(ctx.prose)
