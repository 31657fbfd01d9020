"""What the 三公 and department-fact readers share: a disclosure's paragraphs as they read them, and the
phrases that qualify a figure — its change against the previous year (比上年增加 x 万元，增长 y%, 与上年持平),
the reason given for it (主要原因是…), the previous year's figure (上年预算数为…), the share of the budget a
final account completed (完成预算 z%) and the date a count stands at (截至2020年12月31日).

A paragraph is one prose line of the Context (a sentence, a caption, or the cell of a row no table took).
Matching runs on the paragraph's text normalised (NFKC, no whitespace); every span maps back to the printed
text, so what is kept (a reason, a phrase) is what the document prints.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from ..layout import Line, Row
from ..model import TableInfo
from ..numbers import parse_amount, to_yuan
from . import Context, Record

UNIT = r"(?:亿元|万元|千元|百元|元)"
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # a sentence comma after a figure is not a thousands separator
MONEY = rf"(?P<amt>{NUMBER})(?P<unit>{UNIT})"
HEADING_RE = re.compile(r"^(#|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")
_MONEY_RE = re.compile(rf"{NUMBER}{UNIT}")

# the columns a figure's change against the previous year fills (both statement frames)
CHANGE_COLUMNS: dict[str, pl.DataType] = {
    "change_phrase": pl.Utf8, "change_direction": pl.Utf8, "change_raw_amount": pl.Utf8, "change_unit": pl.Utf8,
    "change_amount_yuan": pl.Decimal(20, 2), "change_pct": pl.Decimal(20, 4), "change_reason": pl.Utf8,
}


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _nfkc_visible(ch: str) -> str:
    """One character in NFKC, without whitespace (a document has a few thousand distinct characters)."""
    return "".join(c for c in unicodedata.normalize("NFKC", ch) if not c.isspace())


@dataclass
class Text:
    """A printed text and its normalised form (NFKC, no whitespace), with the map between them."""
    printed: str
    norm: str
    index: list[int]  # position in norm -> position in printed

    @classmethod
    def of(cls, printed: str) -> "Text":
        norm: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(printed):
            for c in _nfkc_visible(ch):
                norm.append(c)
                index.append(i)
        return cls(printed, "".join(norm), index)

    def span(self, start: int, end: int) -> str:
        """The printed text of a normalised span."""
        if start >= end or start >= len(self.index):
            return ""
        return self.printed[self.index[start]: self.index[end - 1] + 1].strip()

    def sentence(self, start: int, end: int | None = None) -> str:
        """The printed sentence (between 。 and ；) holding a normalised span."""
        end = start if end is None else end
        a = max(self.norm.rfind(c, 0, start) for c in "。;") + 1
        stops = [i for i in (self.norm.find(c, end) for c in "。;") if i >= 0]
        b = min(stops) + 1 if stops else len(self.norm)
        return self.span(a, b)


def is_heading(norm: str) -> bool:
    """A section heading: numbered (七、 （二） 第三部分) or marked (#), stating no figure."""
    return bool(HEADING_RE.match(norm)) and not _MONEY_RE.search(norm)


@dataclass
class Paragraph:
    text: Text
    line: Line
    number: int  # 1-based position among the Context's prose lines
    table: TableInfo | None = None  # set when the paragraph is the cell of a table's row
    row: Row | None = None
    row_number: int | None = None
    cell_index: int | None = None

    @property
    def heading(self) -> bool:
        return is_heading(self.text.norm)

    def record(self, values: dict[str, Any]) -> Record:
        if self.row is not None:
            return Record(values, "table", table=self.table, row=self.row, row_number=self.row_number,
                          cell_index=self.cell_index)
        return Record(values, "prose", row_number=self.number, line=self.line)


def paragraphs(ctx: Context, skip_rows: set[int] = frozenset()) -> list[Paragraph]:
    """The Context's prose lines as paragraphs; a line that is the cell of a row keeps that row (and its table)
    as lineage. Rows in skip_rows (ids of rows a module read as a table) are left out."""
    cells: dict[tuple, tuple] = {}
    for tb in ctx.blocks:
        for k, row in enumerate(tb.block.rows, start=1):
            for j, cell in enumerate(row.cells):
                if cell.strip():
                    cells.setdefault((row.line, row.page, cell), (tb.info, row, k, j))
    out: list[Paragraph] = []
    for n, line in enumerate(ctx.prose, start=1):
        where = cells.get((line.line, line.page, line.text))
        if where is not None and id(where[1]) in skip_rows:
            continue
        text = Text.of(line.text.replace("\n", ""))
        if not text.norm:
            continue
        if where is None:
            out.append(Paragraph(text, line, n))
        else:
            out.append(Paragraph(text, line, n, where[0], where[1], where[2], where[3]))
    return out


# ---------------------------------------------------------------------------
# Tokens: what a paragraph says, in reading order
# ---------------------------------------------------------------------------
@dataclass
class Token:
    kind: str
    start: int
    end: int
    data: dict[str, Any] = field(default_factory=dict)


def overlaps(token: Token, taken: list[Token]) -> bool:
    return any(token.start < t.end and t.start < token.end for t in taken)


_YEAR = r"(?:上年度|上年|去年|上一年度|上一年|\d{4}年度?)"
_BASIS = rf"(?:比|较|与|同|和|对比){_YEAR}(?:年初)?(?:预算|决算)?(?:数|执行数)?(?:相比|比较)?"
_DIRECTIONS = {"增加": "increase", "增长": "increase", "上升": "increase", "增": "increase", "多": "increase",
               "减少": "decrease", "下降": "decrease", "降低": "decrease", "减": "decrease", "少": "decrease",
               "大于": "increase", "多于": "increase", "高于": "increase",
               "小于": "decrease", "少于": "decrease", "低于": "decrease"}
_PCT_TAIL = r"(?:,?(?:增长|下降|减少|增加|降低|上升|增幅|降幅|减幅)?(?:了|为)?(?P<pct>\d+(?:\.\d+)?)%)?"
CHANGE_RE = re.compile(
    rf"(?P<basis>{_BASIS}),?(?P<dir>增加|减少|增长|下降|降低|上升|增|减)了?(?:\((?:增加|减少)\))?"
    rf"(?:(?P<amt>{NUMBER})(?P<unit>{UNIT}))?{_PCT_TAIL}")
COMPARE_RE = re.compile(
    rf"(?:本年数?|当年数?)?(?P<dir>小于|少于|低于|大于|多于|高于){_YEAR}(?:年初)?(?:预算|决算)?数?"
    rf"(?:(?P<amt>{NUMBER})(?P<unit>{UNIT}))?{_PCT_TAIL}")
FLAT_RE = re.compile(rf"(?:本年数?)?{_BASIS},?(?:基本)?(?:持平|一致|相等|相同|无变化|没有变化|不变)")
PREVIOUS_RE = re.compile(rf"(?P<year>上年度|上年|\d{{4}})年?度?(?:年初)?(?P<kind>预算|决算)(?:数)?(?:为|是)(?P<amt>{NUMBER})(?P<unit>{UNIT})")
RATE_RE = re.compile(r"完成(?:年初|全年)?预算(?:数)?的?(?P<rate>\d+(?:\.\d+)?)%")
REASON_RE = re.compile(r"(?:主要原因(?:是|为|:)?|原因是|原因为|主要是由于|主要是因为|主要是)(?P<reason>[^。]+)")
REASON_START_RE = re.compile(r"^(?:主要原因|原因是|原因为|主要是)")

_DATE_RES = [
    (re.compile(r"截[止至](?:时间|日期)?:?(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})日?"), "ymd"),
    (re.compile(r"截[止至](?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末)"), "ym"),
    (re.compile(r"截[止至](?P<y>\d{4})年(?:底|末|终)?"), "y"),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末)"), "ym"),
    (re.compile(r"(?P<y>\d{4})年(?:底|末)"), "y"),
    (re.compile(r"上年(?:底|末)"), "prev"),
]


def dates(norm: str, fiscal_year: int | None) -> list[Token]:
    """The dates a text says its counts stand at: 截止2019年底 -> 2019-12-31, 截至2020年12月31日, 2020年12月末,
    上年末 (the year before the document's)."""
    found: list[Token] = []
    for regex, kind in _DATE_RES:
        for m in regex.finditer(norm):
            if kind == "prev":
                if fiscal_year is None:
                    continue
                y, mo, d = fiscal_year - 1, 12, 31
            else:
                y = int(m.group("y"))
                mo = int(m.group("m")) if kind in ("ym", "ymd") else 12
                if not 1 <= mo <= 12:
                    continue
                d = int(m.group("d")) if kind == "ymd" else calendar.monthrange(y, mo)[1]
            token = Token("date", m.start(), m.end(), {"iso": f"{y:04d}-{mo:02d}-{d:02d}"})
            if not overlaps(token, found):
                found.append(token)
    return sorted(found, key=lambda t: t.start)


def date_at(found: list[Token], position: int) -> Token | None:
    """The last date stated before a position of the paragraph."""
    before = [t for t in found if t.start <= position]
    return before[-1] if before else None


def attribute_tokens(norm: str, fiscal_year: int | None, taken: list[Token]) -> list[Token]:
    """Reasons, changes, previous-year figures and execution rates, not overlapping the spans taken (reasons
    first: a figure inside a reason belongs to the reason)."""
    out: list[Token] = []

    def add(token: Token) -> None:
        if not overlaps(token, taken + out):
            out.append(token)

    for m in REASON_RE.finditer(norm):
        add(Token("reason", m.start(), m.end(), {"start": m.start("reason"), "end": m.end("reason")}))
    for regex, kind in ((CHANGE_RE, "change"), (COMPARE_RE, "change"), (FLAT_RE, "flat")):
        for m in regex.finditer(norm):
            if kind == "change" and not (m.group("amt") or m.group("pct")) and regex is CHANGE_RE:
                continue
            add(Token(kind, m.start(), m.end(), m.groupdict() if kind == "change" else {}))
    for m in PREVIOUS_RE.finditer(norm):
        year = m.group("year")
        year = (fiscal_year - 1 if fiscal_year else None) if year.startswith("上年") else int(year)
        if fiscal_year is not None and year == fiscal_year - 1:
            add(Token("previous", m.start(), m.end(), {**m.groupdict(), "year": year}))
    for m in RATE_RE.finditer(norm):
        add(Token("rate", m.start(), m.end(), {"rate": m.group("rate")}))
    return out


def empty_change() -> dict[str, Any]:
    return {c: None for c in CHANGE_COLUMNS}


def attach(token: Token, values: dict[str, Any], text: Text) -> bool:
    """Fill a figure's values from an attribute token (change, flat, reason, previous, rate); the first
    statement of each stays. Returns whether the token was one of these."""
    if token.kind == "reason":
        if values.get("change_reason") is None:
            values["change_reason"] = text.span(token.data["start"], token.data["end"]).lstrip(":：，, ") or None
        return True
    if token.kind in ("change", "flat"):
        if values.get("change_direction") is not None:
            return True
        values["change_phrase"] = text.span(token.start, token.end)
        if token.kind == "flat":
            values["change_direction"] = "unchanged"
            return True
        d = token.data
        direction = _DIRECTIONS[d["dir"]]
        sign = Decimal(-1) if direction == "decrease" else Decimal(1)
        if d.get("amt"):
            amount = parse_amount(d["amt"])
            values["change_raw_amount"] = d["amt"]
            values["change_unit"] = d["unit"]
            values["change_amount_yuan"] = to_yuan(amount, d["unit"]) * sign
            if amount == 0:
                direction = "unchanged"
        if d.get("pct"):
            values["change_pct"] = Decimal(d["pct"]) * sign
        values["change_direction"] = direction
        return True
    if token.kind == "previous":
        if "previous_year" in values and values.get("previous_amount_yuan") is None:
            d = token.data
            values.update(previous_year=d["year"], previous_raw_amount=d["amt"], previous_unit=d["unit"],
                          previous_amount_yuan=to_yuan(parse_amount(d["amt"]), d["unit"]))
        return True
    if token.kind == "rate":
        if "execution_rate_pct" in values and values.get("execution_rate_pct") is None:
            values["execution_rate_pct"] = Decimal(token.data["rate"])
        return True
    return False


def money(raw: str, unit: str | None) -> tuple[Decimal | None, Decimal | None]:
    """(amount in its unit, amount in yuan) of a printed figure; (None, None) when it is not a figure."""
    amount = parse_amount(raw)
    if amount is None:
        return None, None
    return amount, (to_yuan(amount, unit) if unit else None)
