"""Everything else a disclosure states, beyond spending by code: revenue, the 三公 expenses, projects,
department facts (staff, vehicles, assets, procurement, 机关运行经费), performance indicators, which tables
the disclosure holds, and the execution rates a final account states.

Each statement has its own module with
- FRAME: the staging table it fills (docs/staging/<FRAME>.md describes it),
- COLUMNS: its own columns (polars types), between the ids and the lineage columns,
- extract(ctx) -> list[Record]: what the document states, each with its lineage.

`extract_all` runs every module on a document; a module that fails costs only its own statement and
is recorded as a parse issue (`statement_error`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..catalog import Catalogs
from ..layout import Block, Line, Row
from ..model import DocumentMeta, Issue, LineItem, TableInfo

# every statement frame: document_id, sha256, item_index, <the module's COLUMNS>, then these
LINEAGE_COLUMNS = {
    "source_kind": pl.Utf8, "table_index": pl.Int32, "table_number": pl.Utf8, "table_title": pl.Utf8,
    "page": pl.Int32, "row_number": pl.Int32, "line_number": pl.Int32, "sheet_name": pl.Utf8,
    "cell_ref": pl.Utf8, "extraction": pl.Utf8,
}
ID_COLUMNS = {"document_id": pl.Utf8, "sha256": pl.Utf8, "item_index": pl.Int32}


@dataclass
class TableBlock:
    """A block of rows, with what the table reader made of it (None: rows without a table title)."""
    block: Block
    info: TableInfo | None


@dataclass
class Context:
    meta: DocumentMeta
    blocks: list[TableBlock]  # every block of rows, in document order
    prose: list[Line]  # the lines outside tables (and cells of rows no table took), in document order
    items: list[LineItem]  # the spending figures already read
    catalogs: Catalogs
    issues: list[Issue] = field(default_factory=list)  # a module may add its own


@dataclass
class Record:
    """One statement row: the module's columns, and where it was read."""
    values: dict[str, Any]
    source_kind: str  # table | prose
    table: TableInfo | None = None
    row: Row | None = None
    row_number: int | None = None  # 1-based position of the row in its block
    line: Line | None = None
    cell_index: int | None = None  # the cell the value was read from (for XLSX cell refs)

    def lineage(self) -> dict[str, Any]:
        row, line, table = self.row, self.line, self.table
        ocr = (row.ocr if row is not None else False) or (line.ocr if line is not None else False)
        cell_ref = None
        if row is not None and row.refs and self.cell_index is not None and self.cell_index < len(row.refs):
            cell_ref = row.refs[self.cell_index]
        return {
            "source_kind": self.source_kind,
            "table_index": table.table_index if table else None,
            "table_number": table.table_number if table else None,
            "table_title": table.title if table else None,
            "page": (row.page if row is not None else line.page if line is not None else None),
            "row_number": self.row_number,
            "line_number": (row.line if row is not None else line.line if line is not None else None),
            "sheet_name": row.sheet if row is not None else None,
            "cell_ref": cell_ref,
            "extraction": "ocr" if ocr else "text",
        }


def _modules():
    from . import completeness, department_facts, execution, performance, projects, revenue, three_public

    return [revenue, three_public, projects, department_facts, performance, completeness, execution]


def statement_schemas() -> dict[str, dict[str, pl.DataType]]:
    """frame name -> full schema (ids, the module's columns, lineage)."""
    return {m.FRAME: {**ID_COLUMNS, **m.COLUMNS, **LINEAGE_COLUMNS} for m in _modules()}


def extract_all(ctx: Context) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for module in _modules():
        try:
            out[module.FRAME] = list(module.extract(ctx))
        except Exception as exc:  # a defect in one statement costs that statement only, and says so
            out[module.FRAME] = []
            ctx.issues.append(Issue("error", "statement_error",
                                    f"Reading the {module.FRAME} of this document failed: {type(exc).__name__}: {exc}."))
    return out
