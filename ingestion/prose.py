"""Figures stated in sentences.

Three kinds of statement are read:
- 类/款/项 sentences of final accounts: 卫生健康支出（类）医疗救助（款）城乡医疗救助（项）：支出决算为471.26万元;
- a name with its code in brackets: 行政运行(2101501)27.04 万元, 工资福利支出（301）113.39万元;
- a function name the catalog or the document's own tables know: 卫生健康支出1703.95万元, 城乡医疗救助 1450 万元;
- totals: 预算支出为147.03万元, 其中基本支出522.92万元, 人员经费214.15万元, 资金总额：834.02万元.

A figure's fund scope comes from its own phrase (一般公共预算…支出), else from its sentence,
else from its section heading; a figure about income, a change (较上年增加), a share, 三公,
机关运行经费 or procurement is not a spending statement and is left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from .catalog import Catalogs, name_key, strip_ordinal
from .layout import Line
from .model import Issue, LineItem
from .numbers import code_classification, find_unit, normalize, parse_amount

AMOUNT_RE = re.compile(r"(?<![\d.])(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|百元|元)?")
LKX_RE = re.compile(
    r"(?:([^:：;；。,，]+?)\(类\))?([^:：;；。,，(]*?)\(款\)(?:([^:：;；。,，(]*?)\(项\))?[:：]?"
    r"\s*(?:支出)?(?:决算|预算)?(?:数)?为?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|百元|元)"
)
_HEADING_CLASS_RE = re.compile(r"([^:：;；。,，()（）]+?)\(类\)")
CODED_RE = re.compile(r"^(.*?)\((\d{3}|\d{5}|\d{7})\)$")
DELIMS = "，,；;。：:、"
EXCLUDE = ("增加", "减少", "增长", "下降", "较上年", "比上年", "同比", "上年", "结转", "结余", "三公", "机关运行",
           "采购", "收入", "执行数", "安排", "公务接待", "接待", "公务用车", "因公出国", "运行维护", "购置",
           "单价", "价值", "补助标准", "占", "平均", "人均", "节约", "预付")
HEADING_RE = re.compile(r"^(#|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))")


def _scope_in(text: str) -> str | None:
    """The fund scope a phrase names, the last one when several."""
    best = None
    pos = -1
    for word, scope in (("一般公共预算", "general_public"), ("公共财政", "general_public"),
                        ("政府性基金", "gov_fund"), ("国有资本经营", "soe_capital"), ("财政拨款", "fiscal_grant")):
        i = text.rfind(word)
        if i > pos:
            # 一般公共预算财政拨款 / 公共财政拨款 is the general public budget, not all appropriations
            if scope == "fiscal_grant" and text[max(0, i - 7):i].endswith(
                    ("一般公共预算", "政府性基金预算", "国有资本经营预算", "基金预算", "公共")):
                continue
            best, pos = scope, i
    return best


def paragraphs(lines: list[Line]) -> Iterator[tuple[int, Line, int, str]]:
    """(index of the line, the line, 1-based paragraph number, its normalised text) for every non-empty
    paragraph of the prose lines (a line may hold several, one per text line of a cell)."""
    paragraph = 0
    for idx, line in enumerate(lines):
        for sub in line.text.split("\n"):
            text = normalize(sub)
            if text:
                paragraph += 1
                yield idx, line, paragraph, text


def is_heading(text: str) -> bool:
    """A normalised line that heads a section (（二）财政拨款收支情况。, 收入决算情况说明): no figure with a unit,
    and numbered like a heading or short and without digits; not a line that opens a list (…：)."""
    has_amount = bool(re.search(r"\d\s*(亿元|万元|千元|百元|元)", text))
    short_words = len(text) <= 30 and not re.search(r"\d", text)
    return not has_amount and bool(HEADING_RE.match(text) or short_words) and not text.endswith(("：", ":"))


_LEADING_RE = re.compile(r"^.*?\d{4}年度?")
# the department naming itself before its figure: 省检察院本年支出预算合计, 县医保局…
_SELF_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(院|局|厅|委员会|委|办公室|办|中心|会|室|站|所|馆)(?=本年|当年|全年|年初|部门|预算|决算|财政|一般|政府|国有|基本|项目|支出|人员|公用|单位预留)")
_OWNER_RE = re.compile(r"^(本部门|本单位|我部门|我单位|部门|单位)?(当年|本年|全年|年初)?")
_SCOPE_WORDS_RE = re.compile(r"(一般公共预算|公共财政|政府性基金预算|政府性基金|国有资本经营预算|国有资本经营|基金预算|财政拨款|财政|拨款)")
_TOTAL_LABEL_RE = re.compile(
    r"(部门)?(预算|决算)?(?P<kind>基本|项目)?支出(预算|决算)?(合计|总计|总额|共计|共)?(数)?(年初预算)?")
_PERSONNEL_RE = re.compile(r"人员经费(支出)?")
_PUBLIC_RE = re.compile(r"(日常)?公用经费(支出)?")
_RESERVE_RE = re.compile(r"(单位)?预留机动经费(预算)?(数)?")


def _measure_in(label: str) -> str | None:
    """The measure a total's label names, or None when the label is not a total's
    (生育津贴支出 is a kind of spending, not the department's total)."""
    t = _LEADING_RE.sub("", strip_ordinal(label))
    t = _SELF_RE.sub("", t)
    t = _OWNER_RE.sub("", t)
    t = _SCOPE_WORDS_RE.sub("", t)
    t = _OWNER_RE.sub("", t)
    if t in ("资金总额", "") and ("资金总额" in label or re.fullmatch(r"(公共财政|一般公共预算)拨款", label)):
        return "total"
    if _RESERVE_RE.fullmatch(t):
        return "unit_reserve"
    if _PERSONNEL_RE.fullmatch(t):
        return "personnel"
    if _PUBLIC_RE.fullmatch(t):
        return "public"
    m = _TOTAL_LABEL_RE.fullmatch(t)
    if m:
        return {"基本": "basic", "项目": "project"}.get(m.group("kind") or "", "total")
    return None


class ProseReader:
    def __init__(self, catalogs: Catalogs, fiscal_year: int | None, known_items: list[LineItem]):
        self.catalogs = catalogs
        self.fiscal_year = fiscal_year
        self.items: list[LineItem] = []
        self.issues: list[Issue] = []
        # names of the codes the document's own tables print (to read 城乡医疗救助 1450 万元)
        self.known: dict[str, set[str]] = {}
        for item in known_items:
            if item.code and item.name:
                self.known.setdefault(name_key(item.name), set()).add(item.code)

    def read(self, lines: list[Line]) -> None:
        heading = ""
        since: list[str] = []
        unit_seen_at = -100
        for idx, pl, paragraph, text in paragraphs(lines):
            declared = find_unit(text)
            if declared:
                unit_seen_at = idx
                self._recent_unit = declared
            if is_heading(text):
                heading = text
                since = []
                continue
            self._read_line(text, pl, paragraph, heading, "".join(since), idx - unit_seen_at <= 8)
            # a sentence goes on into the next line only after an open 其中： / 包括：
            if text.endswith(("：", ":", "，", ",")):
                since.append(text)
            else:
                since = []

    # ------------------------------------------------------------------
    def _emit(self, *, scope: str, classification: str, code: str | None, measure: str, raw: str, unit: str,
              name: str | None, code_source: str | None, line: Line, paragraph: int, heading: str, label: str,
              raw_code: str | None = None) -> None:
        amount = parse_amount(raw)
        if amount is None:
            return
        self.items.append(LineItem(
            source_kind="prose", fund_scope=scope, classification=classification, code=code, measure=measure,
            raw_amount=raw, unit=unit, amount=amount, name=name, code_source=code_source, raw_code=raw_code,
            table_title=heading or None, row_number=paragraph, line_number=line.line, page=line.page,
            column_label=label, extraction="ocr" if line.ocr else "text",
        ))

    def _lookup_path(self, cls_name: str, sec_name: str, item_name: str | None) -> tuple[str | None, str]:
        fn = self.catalogs.function
        cls = fn.lookup(strip_ordinal(cls_name), length=3)
        if len(cls) != 1:
            return None, f"类 «{cls_name}»"
        sec = fn.lookup(sec_name, parent=cls[0])
        if len(sec) != 1:
            return None, f"款 «{sec_name}» under {cls[0]}"
        if not item_name:
            return sec[0], ""
        item = fn.lookup(item_name, parent=sec[0])
        if len(item) != 1:
            return None, f"项 «{item_name}» under {sec[0]}"
        return item[0], ""

    def _read_line(self, text: str, line: Line, paragraph: int, heading: str, before: str, unit_near: bool) -> None:
        consumed: list[tuple[int, int]] = []
        for m in LKX_RE.finditer(text):
            consumed.append(m.span())
            cls_name = m.group(1)
            if cls_name is None:  # the 类 stands in the section heading: （一）公共安全（类）
                hm = _HEADING_CLASS_RE.search(heading)
                if hm is None:
                    continue
                cls_name = hm.group(1)
            code, missing = self._lookup_path(cls_name, m.group(2), m.group(3))
            label = m.group(0)
            if code is None:
                self.issues.append(Issue("warn", "name_not_in_catalog",
                                         f"Sentence «{label}» names a {missing} the catalog does not know; figure not loaded.",
                                         None, paragraph, line.line))
                continue
            scope = _scope_in(label) or _scope_in(heading + before + text[: m.start()]) or "general_public"
            self._emit(scope=scope, classification="function", code=code, measure="total", raw=m.group(4),
                       unit=m.group(5), name=label.split("(类)")[-1].lstrip("0123456789.、．"), code_source="name", line=line,
                       paragraph=paragraph, heading=heading, label=label, raw_code=label)
        for m in AMOUNT_RE.finditer(text):
            start, end = m.span()
            if any(a <= start < b for a, b in consumed):
                continue
            raw, unit = m.group(1), m.group(2)
            prefix = text[:start].rstrip(" ：:为是共计约")
            cut = max((prefix.rfind(d) for d in DELIMS), default=-1)
            prev_amount = max((mm.end() for mm in AMOUNT_RE.finditer(prefix) if mm.group(2)), default=0)
            label = prefix[max(cut + 1, prev_amount):]
            label = re.sub(r"^(其中|包含|包括|主要用于以下方面|和|及|以及|此外)[：:]?", "", label)
            after = text[end:end + 1]
            if unit is None:
                # a figure without its unit: only a total in a form that declares its unit nearby
                if not (unit_near and re.fullmatch(r"(公共财政|一般公共预算)拨款|资金总额|基本支出|项目支出", label)
                        and after in ("", "，", ",", "；", ";", "。")):
                    continue
                unit = self._recent_unit
            if not label or any(w in label for w in EXCLUDE):
                continue
            sentence = before + text[:start]
            sentence = sentence[sentence.rfind("。") + 1:]
            coded = CODED_RE.match(label)
            if coded:
                code = coded.group(2)
                cls = code_classification(code)
                if cls is None:
                    continue
                scope = _scope_in(label) or _scope_in(sentence) or _scope_in(heading) or "general_public"
                self._emit(scope=scope, classification=cls, code=code, measure="total", raw=raw, unit=unit,
                           name=coded.group(1), code_source="printed", line=line, paragraph=paragraph,
                           heading=heading, label=label, raw_code=code)
                continue
            code = self._code_from_name(label)
            if code:
                scope = _scope_in(label) or _scope_in(sentence) or _scope_in(heading) or "general_public"
                self._emit(scope=scope, classification="function", code=code, measure="total", raw=raw, unit=unit,
                           name=label, code_source="name", line=line, paragraph=paragraph, heading=heading,
                           label=label, raw_code=label)
                continue
            measure = _measure_in(label)
            if measure is None:
                continue
            scope = _scope_in(label) or _scope_in(sentence) or _scope_in(heading) or "all"
            self._emit(scope=scope, classification="total", code=None, measure=measure, raw=raw, unit=unit,
                       name=label, code_source=None, line=line, paragraph=paragraph, heading=heading, label=label)

    _recent_unit = "万元"

    def _code_from_name(self, label: str) -> str | None:
        key = name_key(label)
        if not key or len(key) < 2:
            return None
        classes = self.catalogs.function.lookup(label, length=3)
        if len(classes) == 1:
            return classes[0]
        known = self.known.get(key, set())
        if len(known) == 1:
            return next(iter(known))
        return None
