"""Spreadsheets (.xlsx, .xls): every sheet; title lines above the header rows as the table's
caption; numbers stored as numbers or as text; merged cells as empty cells beside or below
the cell that holds the value. Each cell keeps its sheet and reference (lineage)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import re

from ..layout import Block, Line, Row
from ..numbers import find_unit, normalize
from . import Source, UnreadableDocument


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _is_title(text: str) -> bool:
    """A one-value row after a table that starts the next table: its title or unit line."""
    t = normalize(text)
    return bool(find_unit(t)) or ("表" in t and len(t) <= 60 and not re.match(r"^[一二三四五六七八九十\d]+[、.]", t))


def _sheet_blocks(name: str, position: int, grid: list[list[str]]) -> list[Block]:
    """A sheet's rows as blocks: rows holding one value before a table are its caption (title,
    单位); a sheet of one-value rows only is prose (说明)."""
    blocks: list[Block] = []
    current = Block()
    width = max((len(r) for r in grid), default=0)
    for r, cells in enumerate(grid):
        cells = cells + [""] * (width - len(cells))
        while cells and not cells[-1]:
            cells.pop()
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and (not current.rows or _is_title(filled[0])):
            if current.rows:  # a title after a table: a new table starts
                blocks.append(current)
                current = Block()
            current.caption.append(Line(filled[0], page=position))
            continue
        refs = [f"{_column_letter(c)}{r + 1}" for c in range(len(cells))]
        current.rows.append(Row(cells, sheet=name, refs=refs))
    if current.rows or current.caption:
        blocks.append(current)
    return blocks


def read_xlsx(data: bytes) -> Source:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocument("corrupt_spreadsheet", f"The workbook could not be opened: {exc}.") from exc
    blocks: list[Block] = []
    for position, sheet in enumerate(workbook.worksheets, start=1):
        grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        blocks.extend(_sheet_blocks(sheet.title, position, grid))
    return Source(blocks, encoding="xlsx", n_pages=len(workbook.worksheets))


def read_xls(data: bytes) -> Source:
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises its own XLRDError and struct errors for broken files
        raise UnreadableDocument("corrupt_spreadsheet", f"The workbook could not be opened: {exc}.") from exc
    blocks: list[Block] = []
    for position in range(book.nsheets):
        sheet = book.sheet_by_index(position)
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                row.append("" if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else _cell_text(cell.value))
            grid.append(row)
        blocks.extend(_sheet_blocks(sheet.name, position + 1, grid))
    return Source(blocks, encoding="xls", n_pages=book.nsheets)
