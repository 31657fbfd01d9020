"""From text to blocks: tables (rows of cells) and the lines of prose between them.

Two text layouts are read:
- tab-separated: one table row per line, cells separated by TAB (seeds 000 and 003);
- one cell per line: every cell on its own line behind a TAB, rows separated by an empty
  line (a Word export, seed 001; the form of seed 004).
A block of table rows keeps the text lines just above it as its caption (title, unit).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_CELL_LINE_RE = re.compile(r"^\t[^\t]*$")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")


@dataclass
class Line:
    """A line of text outside the tables: a title, a unit line, a paragraph."""
    text: str
    line: int | None = None  # 1-based line in a text file
    page: int | None = None  # 1-based page (PDF), or the sheet's position (XLSX)
    wraps: bool = False  # the line runs to the right margin: its sentence goes on in the next line (PDF)
    ocr: bool = False  # recognised from an image


@dataclass
class Row:
    cells: list[str]
    line: int | None = None  # 1-based line where the row starts (text files)
    page: int | None = None  # 1-based page (PDF)
    sheet: str | None = None  # sheet name (XLSX/XLS)
    refs: list[str] | None = None  # each cell's reference on the sheet (XLSX/XLS), e.g. E7
    ocr: bool = False  # recognised from an image


@dataclass
class Block:
    caption: list[Line] = field(default_factory=list)  # the lines above the rows
    rows: list[Row] = field(default_factory=list)

    @property
    def line_start(self) -> int | None:
        if self.caption:
            return self.caption[0].line
        return self.rows[0].line if self.rows else None


def clean_line(text: str) -> str:
    return _BOOKMARK_RE.sub("", text).strip()


def detect_layout(text: str) -> str:
    tab_lines = [ln for ln in text.splitlines() if "\t" in ln]
    if not tab_lines:
        return "prose"
    cell_lines = sum(1 for ln in tab_lines if _CELL_LINE_RE.match(ln))
    return "cell_per_line" if cell_lines > 0.6 * len(tab_lines) else "tab_separated"


def _is_tsv_row(line: str) -> bool:
    return "\t" in line and line.strip() != ""


def blocks_tab_separated(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    caption: list[Line] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_tsv_row(line):
            block = Block(caption=caption)
            caption = []
            while i < n:
                if _is_tsv_row(lines[i]):
                    block.rows.append(Row(lines[i].split("\t"), i + 1))
                    i += 1
                elif lines[i].strip() == "":
                    j = i
                    while j < n and lines[j].strip() == "":
                        j += 1
                    if j < n and _is_tsv_row(lines[j]):
                        i = j  # a page break inside the table
                    else:
                        break
                else:
                    break
            blocks.append(block)
            continue
        if line.strip():
            caption.append(Line(clean_line(line), i + 1))
        i += 1
    if caption:
        blocks.append(Block(caption=caption))
    return blocks


def blocks_cell_per_line(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    current = Block()
    row: Row | None = None
    prev_kind = "blank"
    for idx, line in enumerate(lines, start=1):
        if line.strip() == "" and not line.startswith("\t"):
            if row is not None:
                current.rows.append(row)
                row = None
            prev_kind = "blank"
            continue
        if line.startswith("\t") and "\t" not in line[1:]:
            if row is None:
                row = Row([], idx)
            row.cells.append(line[1:].strip())
            prev_kind = "cell"
            continue
        text = clean_line(line.replace("\t", " "))
        if prev_kind == "cell" and row is not None and row.cells:
            row.cells[-1] = (row.cells[-1] + "\n" + text).strip()
            continue
        # a text line: it starts a new block (its caption)
        if row is not None:
            current.rows.append(row)
            row = None
        if current.rows:
            blocks.append(current)
            current = Block()
        if text:
            current.caption.append(Line(text, idx))
        prev_kind = "text"
    if row is not None:
        current.rows.append(row)
    if current.rows or current.caption:
        blocks.append(current)
    return blocks


def prose_blocks(lines: list[str]) -> list[Block]:
    return [Block(caption=[Line(clean_line(t), i + 1) for i, t in enumerate(lines) if t.strip()])]


def split_blocks(text: str) -> tuple[str, list[Block]]:
    lines = text.splitlines()
    layout = detect_layout(text)
    if layout == "cell_per_line":
        return layout, blocks_cell_per_line(lines)
    if layout == "tab_separated":
        return layout, blocks_tab_separated(lines)
    return layout, prose_blocks(lines)
