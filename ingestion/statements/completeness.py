"""disclosure_tables (docs/staging/disclosure_tables.md): which tables a document lists, holds, or says it
publishes empty.

A row is one piece of evidence about one table:
- `index`: an entry of the document's list of its tables — a table-form index (报表 / 报表名称 / 是否空表 /
  公开空表理由, with the empty flag and the stated reason) or a numbered list of titles (一、部门收支总体情况表 …);
- `table`: a table the document holds (its title as the table reader read it; a table whose title the reader
  lost is recognised by its column header where the seed gives header_terms), empty when no cell holds a figure;
- `note`: a 注 under a table saying it is empty (注：无政府基金预算财政拨款预算，空表列示。注：本部门无该项目);
- `sentence`: a sentence of the narrative saying a table is published empty (并已公开空表) or that the department
  has no such money (本部门无政府性基金预算收支).

`table_key` names the expected table (dbt_project/seeds/ref_expected_tables.csv) the row is about, read from
the printed title through the seed's aliases (the longest alias found wins; a not_if phrase vetoes a key), or,
for a note or sentence, from the money it names (empty_terms) or the table it stands under. Tables no expected
table matches are kept with table_key NULL: the mart counts only the expected ones.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from pathlib import Path

import polars as pl

from ..catalog import DEFAULT_DIR
from ..layout import Block, Line, Row
from ..model import TableInfo
from ..numbers import normalize, parse_amount
from ..tables import _is_lanci_row, read_caption
from . import Context, Record

FRAME = "disclosure_tables"
COLUMNS: dict[str, pl.DataType] = {
    "evidence": pl.Utf8,
    "printed_number": pl.Utf8,
    "printed_title": pl.Utf8,
    "table_key": pl.Utf8,
    "matched_on": pl.Utf8,
    "is_empty": pl.Boolean,
    "empty_reason": pl.Utf8,
}

SEED = "ref_expected_tables.csv"


# ---------------------------------------------------------------------------
# The seed
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectedTable:
    stage: str
    table_key: str
    title: str
    aliases: tuple[str, ...]
    not_if: tuple[str, ...]
    header_terms: tuple[str, ...]
    empty_terms: tuple[str, ...]


def _key_text(text: str) -> str:
    """A title as compared: NFKC, no whitespace, no quotation marks (“三公”经费 = 三公经费)."""
    return re.sub("[“”\"'‘’「」]", "", normalize(text))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(_key_text(v) for v in (value or "").split("|") if v.strip())


@lru_cache(maxsize=4)
def load_expected_tables(folder: str | None = None) -> tuple[ExpectedTable, ...]:
    """The expected tables of the seed, read like the code catalogs (ingestion.catalog): from
    BUDGET_WAREHOUSE_REFERENCE when it holds the seed, else from dbt_project/seeds/."""
    candidates = [Path(folder)] if folder else []
    if os.environ.get("BUDGET_WAREHOUSE_REFERENCE"):
        candidates.append(Path(os.environ["BUDGET_WAREHOUSE_REFERENCE"]))
    candidates.append(DEFAULT_DIR)
    path = next(p / SEED for p in candidates if (p / SEED).exists())
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            ExpectedTable(r["stage"].strip(), r["table_key"].strip(), r["title"].strip(), _split(r["aliases"]),
                          _split(r["not_if"]), _split(r["header_terms"]), _split(r["empty_terms"]))
            for r in csv.DictReader(fh)
        )


def _stage_tables(stage: str | None) -> list[ExpectedTable]:
    return [t for t in load_expected_tables() if stage is None or t.stage == stage]


def match_title(title: str | None, stage: str | None) -> str | None:
    """The table_key a printed title names: the key with the longest alias found in the title, among the keys
    of the document's stage that no not_if phrase vetoes; None when nothing matches or two keys tie."""
    if not title:
        return None
    t = _key_text(title)
    best: list[tuple[int, str]] = []
    for table in _stage_tables(stage):
        if any(v in t for v in table.not_if):
            continue
        found = [len(a) for a in table.aliases if a in t]
        if found:
            best.append((max(found), table.table_key))
    if not best:
        return None
    best.sort(reverse=True)
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    return best[0][1]


def _match_header(rows: list[Row], stage: str | None) -> str | None:
    """The table_key of an untitled table whose header holds every header_term of one expected table."""
    header = _key_text("".join(c for r in rows[:4] for c in r.cells))
    keys = [t.table_key for t in _stage_tables(stage) if t.header_terms and all(h in header for h in t.header_terms)]
    return keys[0] if len(keys) == 1 else None


def _empty_keys(text: str, stage: str | None) -> list[str]:
    """Expected tables whose money (empty_terms) a sentence names right after 无 / 没有 (本部门无政府性基金预算收支)."""
    t = _key_text(text)
    keys = []
    for table in _stage_tables(stage):
        if any(re.search(rf"(?:无|没有|未安排)[^，。；,;]{{0,12}}?{re.escape(term)}", t) for term in table.empty_terms):
            keys.append(table.table_key)
    return keys


def _named_keys(text: str, stage: str | None) -> list[str]:
    """Expected tables whose money a text names at all (政府基金 …): for a note that says 空表."""
    t = _key_text(text)
    return [table.table_key for table in _stage_tables(stage) if any(term in t for term in table.empty_terms)]


# ---------------------------------------------------------------------------
# Text patterns
# ---------------------------------------------------------------------------
_NUM = r"[0-9０-９一二三四五六七八九十]+"
# an entry of a numbered list of tables, as printed: 一、部门收支总体情况表 / 表 1：收入支出决算总表 /
# 公开 01 表：收支预算总表 / (一) … 表
_ENTRY_RE = re.compile(
    rf"^(?:[(（]?\s*({_NUM})\s*[)）]?\s*[、.．:：]|(表\s*{_NUM}|公开\s*{_NUM}\s*表|附表\s*{_NUM})\s*[、.．:：]?)\s*(.*表)$")
_TOC_TAIL_RE = re.compile(r"\s*(?:PAGEREF.*|[.…·．]{2,}\s*\d*|\d+)$")
_MULTI_ENTRY_RE = re.compile(rf"(表\s*{_NUM})\s*[:：]")
_NOTE_RE = re.compile(r"^[(（]?(?:备注|注)[0-9]*[:：]?|^[(（](?=无|没有)")
_NO_DATA_RE = re.compile(r"^(?:本部门|本单位|我单位|我部门|本级)?[^，。；,;]{0,12}?(?:无|没有)(?!法|偿|论|需|变化)")
_PUBLISHED_EMPTY_RE = re.compile(r"空表")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[。；;！!])")
_INDEX_TITLE_WORDS = ("报表名称", "表名", "表格名称")
_YES = {"是", "√", "空表", "是(空表)"}
_NO = {"否", "×", "非空表"}
_SKIP_COL_WORDS = ("序号", "行次", "栏次", "编码", "代码")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def holds_figures(info: TableInfo | None, block: Block) -> bool:
    """Whether a table prints any figure: a cell that reads as an amount (0 is a figure) outside the 栏次
    rows and outside the columns headed 序号 / 行次 / 栏次 / 编码 / 代码."""
    if info is not None and info.n_line_items:
        return True
    rows = [r for r in block.rows if not _is_lanci_row(r.cells)]
    skip = {j for r in rows[:4] for j, c in enumerate(r.cells) if any(w in normalize(c) for w in _SKIP_COL_WORDS)}
    return any(parse_amount(c) is not None for r in rows for j, c in enumerate(r.cells) if j not in skip)


# ---------------------------------------------------------------------------
# The document in order: where each prose line and each block stands
# ---------------------------------------------------------------------------
@dataclass
class _Table:
    k: int  # position of the block in ctx.blocks
    info: TableInfo | None
    block: Block
    number: str | None
    title: str | None
    title_line: Line | None
    key: str | None
    matched_on: str | None
    is_index: bool = False


class _Walk:
    """ctx.prose holds, for each block in order, its caption lines and then the cells of its rows no table
    took. A line of block k's caption above its title stands under block k-1 (a 注 after a table); a line after
    the title, or a cell line, stands in block k; lines after the last block stand under it."""

    def __init__(self, ctx: Context, tables: dict[int, _Table]):
        owner: dict[int, tuple[int, bool]] = {}
        for k, tb in enumerate(ctx.blocks):
            t = tables.get(k)
            caption = tb.block.caption
            title_at = next((i for i, line in enumerate(caption) if t and line is t.title_line), len(caption))
            for i, line in enumerate(caption):
                owner[id(line)] = (k, i < title_at)
        cells = {k: {(r.line, r.page, c) for r in tb.block.rows for c in r.cells}
                 for k, tb in enumerate(ctx.blocks) if k in tables}
        self.under: list[int | None] = []  # for each prose line, the block it stands under or in
        self.in_table: list[bool] = []  # the line is a cell of a table's rows (not narrative)
        self.block_position: dict[int, float] = {}  # where each block stands among the prose lines (n + 0.5)
        current: int | None = None
        for n, line in enumerate(ctx.prose):
            if id(line) in owner:
                k, above_title = owner[id(line)]
                current = k
                self.under.append((k - 1 if k > 0 else None) if above_title else k)
                self.in_table.append(False)
                self.block_position[k] = n + 0.5
            else:
                self.under.append(current)
                self.in_table.append(current in cells and (line.line, line.page, line.text) in cells[current])
        last = -0.5
        for k in range(len(ctx.blocks)):  # a block without a caption stands right after the one before it
            last = self.block_position.setdefault(k, last + 0.001)


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------
def _tables(ctx: Context) -> dict[int, _Table]:
    """The blocks that are tables (titled by the reader, or known by their header) or a table-form index."""
    stage = ctx.meta.stage
    out: dict[int, _Table] = {}
    for k, tb in enumerate(ctx.blocks):
        title, number, _, title_line = read_caption(tb.block.caption)
        if _index_entries(tb.block.rows) is not None:
            out[k] = _Table(k, tb.info, tb.block, number, tb.info.title if tb.info else title, title_line, None,
                            None, is_index=True)
            continue
        key = match_title(tb.info.title, stage) if tb.info is not None else None
        matched_on = "title" if key else None
        if key is None:  # a table whose title the reader lost or cut (…培训费支出预 / 算表), known by its header
            key = _match_header(tb.block.rows, stage)
            matched_on = "header" if key else None
        if tb.info is not None:
            block = tb.block
            # rows a page break cut from their header and title: the caption-less untitled blocks right after
            following = [b.block for b in takewhile(lambda b: b.info is None and not b.block.caption, ctx.blocks[k + 1:])]
            if following:
                block = Block(tb.block.caption, tb.block.rows + [r for b in following for r in b.rows])
            out[k] = _Table(k, tb.info, block, tb.info.table_number, tb.info.title, title_line, key, matched_on)
        elif key:
            out[k] = _Table(k, None, tb.block, number, None, None, key, matched_on)
    return out


def _index_entries(rows: list[Row]) -> list[tuple[Row, int, dict]] | None:
    """The entries of a table-form index (报表 / 报表名称 / 是否空表 / 公开空表理由): (row, row number, values);
    None when the rows are no such index."""
    for h, row in enumerate(rows[:3]):
        cells = [normalize(c) for c in row.cells]
        title_col = next((j for j, c in enumerate(cells) if any(w in c for w in _INDEX_TITLE_WORDS)), None)
        if title_col is None:
            continue
        flag_col = next((j for j, c in enumerate(cells) if "是否空表" in c or c == "空表"), None)
        reason_col = next((j for j, c in enumerate(cells) if any(w in c for w in ("理由", "原因", "说明"))), None)
        number_col = next((j for j, c in enumerate(cells[:title_col]) if c), None)
        entries = []
        for n, r in enumerate(rows[h + 1:], start=h + 2):
            def get(j: int | None, r: Row = r) -> str:
                return _clean(r.cells[j]) if j is not None and j < len(r.cells) else ""

            title = get(title_col)
            if not title:
                continue
            flag = normalize(get(flag_col))
            is_empty = True if flag in _YES else False if flag in _NO else None
            entries.append((r, n, {
                "evidence": "index", "printed_number": get(number_col) or None, "printed_title": title,
                "is_empty": is_empty, "empty_reason": (get(reason_col) or None) if is_empty else None,
                "cell_index": title_col,
            }))
        return entries
    return None


def _entry(text: str) -> tuple[str | None, str] | None:
    """(number, title as printed) of a numbered line naming a table, or None."""
    m = _ENTRY_RE.match(_TOC_TAIL_RE.sub("", _clean(text)))
    if not m:
        return None
    title = m.group(3).strip("：:、.． ")
    if not title or len(normalize(title)) > 60:
        return None
    return normalize(m.group(1) or m.group(2)), title


def _split_multi(text: str) -> list[str]:
    """表 1:收入支出决算总表 表 2:收入决算表 … printed on one line: one piece per entry."""
    starts = [m.start() for m in _MULTI_ENTRY_RE.finditer(text)]
    if len(starts) < 2:
        return [text]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


_ORDINAL_START_RE = re.compile(rf"^(?:[(（]?{_NUM}[)）]?[、.．:：]|表{_NUM}|公开{_NUM}表|附表{_NUM})")


def _index_lines(ctx: Context, excluded: set[int]) -> list[tuple[int, Line, str | None, str]]:
    """Runs of three or more numbered lines naming tables (a list of the document's tables): (prose position,
    line, number, title). A title the page wrapped (十一、…培训费支出预 / 算表) is joined to its entry."""
    prose = ctx.prose
    out: list[tuple[int, Line, str | None, str]] = []
    run: list[tuple[int, Line, str | None, str]] = []
    n = 0
    while n < len(prose):
        line, step = prose[n], 1
        entries = [] if id(line) in excluded else [e for e in map(_entry, _split_multi(line.text)) if e]
        if not entries and id(line) not in excluded and _ORDINAL_START_RE.match(normalize(line.text)) \
                and n + 1 < len(prose) and id(prose[n + 1]) not in excluded:
            nxt = _clean(prose[n + 1].text)
            if len(nxt) <= 12 and not _ORDINAL_START_RE.match(normalize(nxt)):
                joined = _entry(_clean(line.text) + nxt)
                entries, step = ([joined], 2) if joined else ([], 1)
        if entries:
            run.extend((n, line, number, title) for number, title in entries)
        else:
            if len(run) >= 3:
                out.extend(run)
            run = []
        n += step
    if len(run) >= 3:
        out.extend(run)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT_RE.split(text) if s.strip()]


def extract(ctx: Context) -> list[Record]:
    stage = ctx.meta.stage
    tables = _tables(ctx)
    walk = _Walk(ctx, tables)
    found: list[tuple[float, Record]] = []

    # (a) the document's index of its tables: a table-form index …
    for k, t in tables.items():
        if not t.is_index:
            continue
        for r, n, values in _index_entries(t.block.rows) or []:
            cell_index = values.pop("cell_index")
            key = match_title(values["printed_title"], stage)
            values.update(table_key=key, matched_on="title" if key else None)
            found.append((walk.block_position[k] + n / 1e4,
                          Record(values, "table", table=t.info, row=r, row_number=n, cell_index=cell_index)))

    # … or a numbered list of titles
    excluded = {id(t.title_line) for t in tables.values() if t.title_line is not None}
    for n, line, number, title in _index_lines(ctx, excluded):
        key = match_title(title, stage)
        found.append((float(n), Record({
            "evidence": "index", "printed_number": number, "printed_title": title, "table_key": key,
            "matched_on": "title" if key else None, "is_empty": None, "empty_reason": None,
        }, "prose", line=line)))

    # (b) the tables it holds
    for k, t in tables.items():
        if t.is_index:
            continue
        found.append((walk.block_position[k], Record({
            "evidence": "table", "printed_number": t.number, "printed_title": t.title, "table_key": t.key,
            "matched_on": t.matched_on, "is_empty": not holds_figures(t.info, t.block), "empty_reason": None,
        }, "table", table=t.info, line=t.title_line, row=None if t.title_line else t.block.rows[0],
            row_number=None if t.title_line else 1)))

    # (c) notes under a table and sentences saying a table is empty
    for n, line in enumerate(ctx.prose):
        text = _clean(line.text)
        if not text or id(line) in excluded:
            continue
        note = _NOTE_RE.match(normalize(text))
        body = normalize(text)[note.end():] if note else ""
        if note and (_PUBLISHED_EMPTY_RE.search(body) or _NO_DATA_RE.match(body)):
            under = tables.get(walk.under[n]) if walk.under[n] is not None else None
            above = under if under is not None and not under.is_index else None
            named = _named_keys(body, stage)
            for key in named or [above.key if above else None]:
                same = above is not None and key is not None and above.key == key
                found.append((float(n), Record({
                    "evidence": "note", "printed_number": above.number if same else None,
                    "printed_title": above.title if same else None, "table_key": key,
                    "matched_on": None if key is None else "text" if named else "context",
                    "is_empty": True, "empty_reason": text,
                }, "prose", line=line)))
            continue
        if walk.in_table[n]:
            continue  # a cell of a table (an index's 公开空表理由 …), not a sentence of the narrative
        for sentence in _sentences(text):
            keys = _empty_keys(sentence, stage)
            if not keys and _PUBLISHED_EMPTY_RE.search(sentence):
                keys = _named_keys(sentence, stage) or [None]
            for key in keys:
                found.append((float(n), Record({
                    "evidence": "sentence", "printed_number": None, "printed_title": None, "table_key": key,
                    "matched_on": "text" if key else None, "is_empty": True, "empty_reason": sentence,
                }, "prose", line=line)))

    found.sort(key=lambda pr: pr[0])
    return [r for _, r in found]
