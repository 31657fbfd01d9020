"""Parsed documents as the staging frames of docs/staging.md (and docs/staging/*.md for the statements)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from . import __version__
from .model import ParsedDocument
from .numbers import UNIT_FACTORS, to_yuan
from .statements import statement_schemas
from .versions import Seen, settle

DOCUMENTS_SCHEMA = {
    "document_id": pl.Utf8, "sha256": pl.Utf8, "source_path": pl.Utf8, "file_name": pl.Utf8,
    "file_format": pl.Utf8, "size_bytes": pl.Int64, "encoding": pl.Utf8, "title": pl.Utf8,
    "region_code": pl.Utf8, "region_name": pl.Utf8, "admin_level": pl.Utf8, "department_name": pl.Utf8,
    "department_key": pl.Utf8, "fiscal_year": pl.Int32, "stage": pl.Utf8, "parse_status": pl.Utf8,
    "error_code": pl.Utf8, "error_message": pl.Utf8, "n_tables": pl.Int32, "n_line_items": pl.Int32,
    "n_pages": pl.Int32, "superseded_by": pl.Utf8, "parser_version": pl.Utf8,
}
TABLES_SCHEMA = {
    "document_id": pl.Utf8, "table_index": pl.Int32, "table_number": pl.Utf8, "title": pl.Utf8, "kind": pl.Utf8,
    "fund_scope": pl.Utf8, "unit": pl.Utf8, "unit_factor": pl.Decimal(18, 0), "page": pl.Int32,
    "line_start": pl.Int32, "n_rows": pl.Int32, "is_empty": pl.Boolean, "n_line_items": pl.Int32,
}
LINE_ITEMS_SCHEMA = {
    "document_id": pl.Utf8, "sha256": pl.Utf8, "item_index": pl.Int32, "source_kind": pl.Utf8,
    "table_index": pl.Int32, "table_number": pl.Utf8, "table_title": pl.Utf8, "page": pl.Int32,
    "row_number": pl.Int32, "line_number": pl.Int32, "column_label": pl.Utf8, "sheet_name": pl.Utf8,
    "cell_ref": pl.Utf8, "extraction": pl.Utf8, "ocr_verified": pl.Boolean, "fund_scope": pl.Utf8,
    "classification": pl.Utf8, "code": pl.Utf8, "code_source": pl.Utf8, "name": pl.Utf8, "measure": pl.Utf8,
    "raw_code": pl.Utf8, "raw_amount": pl.Utf8, "unit": pl.Utf8, "amount": pl.Decimal(20, 4),
    "amount_yuan": pl.Decimal(20, 2),
}
ISSUES_SCHEMA = {
    "document_id": pl.Utf8, "severity": pl.Utf8, "issue_code": pl.Utf8, "message": pl.Utf8,
    "table_index": pl.Int32, "row_number": pl.Int32, "line_number": pl.Int32,
}

INGEST_LOG_SCHEMA = {
    "source_path": pl.Utf8, "file_name": pl.Utf8, "sha256": pl.Utf8, "size_bytes": pl.Int64,
    "document_id": pl.Utf8, "status": pl.Utf8, "error_code": pl.Utf8, "message": pl.Utf8,
}

# revenue, 三公, projects, department facts, indicators …: docs/staging/<frame>.md, ingestion.statements
STATEMENT_SCHEMAS = statement_schemas()

STAGING_SCHEMAS = {
    "ingest_log": INGEST_LOG_SCHEMA,
    "documents": DOCUMENTS_SCHEMA,
    "tables": TABLES_SCHEMA,
    "line_items": LINE_ITEMS_SCHEMA,
    "parse_issues": ISSUES_SCHEMA,
    **STATEMENT_SCHEMAS,
}


def _loaded_message(doc: ParsedDocument) -> str:
    how = doc.file_format + (f", {doc.encoding}" if doc.file_format == "txt" and doc.encoding else "")
    tables = f"{len(doc.tables)} table" + ("s" if len(doc.tables) != 1 else "")
    return f"Loaded ({how}): {tables}, {n_items(doc)} figures."


def n_items(doc: ParsedDocument) -> int:
    """The document's figures: counted, or as many as a summary (ingestion.batch.summary) remembers."""
    return doc.n_items if doc.n_items is not None else len(doc.items)


def settled(docs: list[ParsedDocument]) -> list[Seen]:
    """Every file the run looked at with its status (ingestion.versions: duplicates, revised versions).
    Needs only summaries: metadata, table titles and the figures' fingerprint."""
    seen = [Seen(Path(d.source_path), d, mtime=d.mtime) for d in docs]
    settle(seen)
    return seen


def file_frames(seen: list[Seen]) -> dict[str, pl.DataFrame]:
    """The frames with a row per file or document (ingest_log, documents), from settled summaries."""
    log = [{
        "source_path": s.doc.source_path, "file_name": s.doc.file_name, "sha256": s.doc.sha256,
        "size_bytes": s.doc.size_bytes, "document_id": s.doc.document_id, "status": s.status,
        "error_code": s.doc.error_code if s.status != "duplicate" else "duplicate",
        "message": s.detail or (_loaded_message(s.doc) if s.status == "loaded" else None),
    } for s in seen]
    documents = [{
        "document_id": d.document_id, "sha256": d.sha256, "source_path": d.source_path,
        "file_name": d.file_name, "file_format": d.file_format, "size_bytes": d.size_bytes,
        "encoding": d.encoding, "title": d.meta.title, "region_code": d.meta.region_code,
        "region_name": d.meta.region_name, "admin_level": d.meta.admin_level,
        "department_name": d.meta.department_name, "department_key": d.meta.department_key,
        "fiscal_year": d.meta.fiscal_year, "stage": d.meta.stage,
        "parse_status": d.parse_status, "error_code": d.error_code, "error_message": d.error_message,
        "n_tables": len(d.tables), "n_line_items": n_items(d), "n_pages": d.n_pages,
        "superseded_by": d.superseded_by, "parser_version": __version__,
    } for d in (s.doc for s in seen if s.status != "duplicate")]
    return {
        "ingest_log": pl.DataFrame(log, schema=INGEST_LOG_SCHEMA, orient="row"),
        "documents": pl.DataFrame(documents, schema=DOCUMENTS_SCHEMA, orient="row"),
    }


CONTENT_FRAMES = ("tables", "line_items", "parse_issues", *STATEMENT_SCHEMAS)


def content_frames(docs: list[ParsedDocument]) -> dict[str, pl.DataFrame]:
    """The frames with rows of what documents state (tables, line items, issues, statements), for whole
    parsed documents (not summaries): one batch of the staging load."""
    tables, items, issues = [], [], []
    statements: dict[str, list[dict]] = {frame: [] for frame in STATEMENT_SCHEMAS}
    for d in docs:
        for t in d.tables:
            tables.append({
                "document_id": d.document_id, "table_index": t.table_index, "table_number": t.table_number,
                "title": t.title, "kind": t.kind, "fund_scope": t.fund_scope, "unit": t.unit,
                "unit_factor": UNIT_FACTORS.get(t.unit) if t.unit else None, "page": t.page,
                "line_start": t.line_start, "n_rows": t.n_rows, "is_empty": t.is_empty,
                "n_line_items": t.n_line_items,
            })
        for n, i in enumerate(d.items, start=1):
            items.append({
                "document_id": d.document_id, "sha256": d.sha256, "item_index": n, "source_kind": i.source_kind,
                "table_index": i.table_index, "table_number": i.table_number, "table_title": i.table_title,
                "page": i.page, "row_number": i.row_number, "line_number": i.line_number,
                "column_label": i.column_label, "sheet_name": i.sheet, "cell_ref": i.cell, "extraction": i.extraction,
                "ocr_verified": i.verified,
                "fund_scope": i.fund_scope, "classification": i.classification,
                "code": i.code, "code_source": i.code_source, "name": i.name, "measure": i.measure,
                "raw_code": i.raw_code, "raw_amount": i.raw_amount, "unit": i.unit,
                "amount": Decimal(i.amount), "amount_yuan": to_yuan(i.amount, i.unit),
            })
        for frame, records in d.statements.items():
            for n, r in enumerate(records, start=1):
                statements[frame].append({"document_id": d.document_id, "sha256": d.sha256, "item_index": n,
                                          **r.values, **r.lineage()})
        for i in d.issues:
            issues.append({
                "document_id": d.document_id, "severity": i.severity, "issue_code": i.issue_code,
                "message": i.message, "table_index": i.table_index, "row_number": i.row_number,
                "line_number": i.line_number,
            })
    return {
        "tables": pl.DataFrame(tables, schema=TABLES_SCHEMA, orient="row"),
        "line_items": pl.DataFrame(items, schema=LINE_ITEMS_SCHEMA, orient="row"),
        "parse_issues": pl.DataFrame(issues, schema=ISSUES_SCHEMA, orient="row"),
        **{frame: pl.DataFrame([{c: row.get(c) for c in schema} for row in statements[frame]], schema=schema,
                               orient="row")
           for frame, schema in STATEMENT_SCHEMAS.items()},
    }


def frames(docs: list[ParsedDocument]) -> dict[str, pl.DataFrame]:
    """The staging frames of one run over these parsed files (docs/staging.md). Every file is in the
    ingest log; each content once in documents (ingestion.versions: duplicates, revised versions).
    For a corpus too large to hold in memory, the staging load streams instead: `settled` and
    `file_frames` over summaries, then `content_frames` a batch of documents at a time."""
    seen = settled(docs)
    out = file_frames(seen)
    out.update(content_frames([s.doc for s in seen if s.status != "duplicate"]))
    return {name: out[name] for name in STAGING_SCHEMAS}
