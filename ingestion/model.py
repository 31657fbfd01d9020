"""What ingestion hands on: a document's metadata, its tables, its line items, its issues."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class TableInfo:
    table_index: int
    title: str | None
    kind: str
    fund_scope: str
    unit: str | None
    table_number: str | None = None
    page: int | None = None
    line_start: int | None = None
    n_rows: int = 0
    is_empty: bool = False
    n_line_items: int = 0


@dataclass
class LineItem:
    source_kind: str  # table | prose
    fund_scope: str
    classification: str  # function | econ_dept | econ_gov | total
    code: str | None
    measure: str
    raw_amount: str
    unit: str
    amount: Decimal
    name: str | None = None
    code_source: str | None = None  # printed | name
    raw_code: str | None = None
    table_index: int | None = None
    table_number: str | None = None
    table_title: str | None = None
    page: int | None = None
    row_number: int | None = None
    line_number: int | None = None
    column_label: str | None = None
    sheet: str | None = None
    cell: str | None = None
    extraction: str = "text"  # text (a text layer or a text file) | ocr
    verified: bool | None = None  # OCR figures: confirmed by the document's own arithmetic (ingestion.verify)

    def key(self) -> tuple:
        return (self.fund_scope, self.classification, self.code, self.measure)


@dataclass
class Issue:
    severity: str  # error | warn
    issue_code: str
    message: str
    table_index: int | None = None
    row_number: int | None = None
    line_number: int | None = None


@dataclass
class DocumentMeta:
    title: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    admin_level: str | None = None
    department_name: str | None = None
    department_key: str | None = None  # the department however it names itself (中共…委员会 → …委)
    fiscal_year: int | None = None
    stage: str | None = None


@dataclass
class ParsedDocument:
    document_id: str
    sha256: str
    source_path: str
    file_name: str
    file_format: str
    size_bytes: int
    mtime: float = 0.0  # the file's modification time (orders revised versions; not stored)
    encoding: str | None = None
    n_pages: int | None = None
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    tables: list[TableInfo] = field(default_factory=list)
    items: list[LineItem] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    parse_status: str = "parsed"
    error_code: str | None = None
    error_message: str | None = None
    superseded_by: str | None = None  # document_id of the revised version that replaces this one
    statements: dict = field(default_factory=dict)  # frame -> [ingestion.statements.Record]: revenue, 三公 …
    # a summary (ingestion.batch.summary) drops items, statements and issues, and remembers these instead
    n_items: int | None = None
    figures_key: str | None = None
