"""A document in; its metadata, tables, line items and issues out."""
from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__
from .catalog import Catalogs, load_catalogs
from .layout import Block, split_blocks
from .metadata import detect
from .model import Issue, LineItem, ParsedDocument
from .prose import ProseLine, ProseReader
from .tables import TableReader
from .textio import DecodeError, decode_text

TEXT_SUFFIXES = {".txt", ".text", ".tsv", ".md"}
IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store"}


def discover(roots: list[Path]) -> list[Path]:
    """Every file below the roots (any depth), sorted, each once."""
    seen: set[Path] = set()
    out: list[Path] = []
    for root in roots:
        root = Path(root)
        if not root.exists():
            continue
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            if p.name in IGNORED_NAMES or p.name.startswith("."):
                continue
            rp = p.resolve()
            if rp not in seen:
                seen.add(rp)
                out.append(p)
    return out


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def parse_document(path: Path, root: Path | None = None, catalogs: Catalogs | None = None) -> ParsedDocument:
    """Parse one file. Never raises for a bad file: the document comes back failed, with why."""
    path = Path(path)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    doc = ParsedDocument(
        document_id=sha[:16], sha256=sha, source_path=_display_path(path, root), file_name=path.name,
        file_format=path.suffix.lower().lstrip(".") or "unknown", size_bytes=len(data),
    )
    if not data:
        return _fail(doc, "empty_file", "The file is empty (0 bytes).")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return _fail(doc, "unsupported_format", f"Files of type «{path.suffix or 'none'}» are not read yet.")
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        return _fail(doc, "undecodable_text", f"The text could not be decoded: {exc}.")
    doc.encoding = encoding
    catalogs = catalogs or load_catalogs()
    try:
        read_text(doc, text, catalogs)
    except Exception as exc:  # a parser defect must cost this document only, and say so
        doc.items.clear()
        doc.tables.clear()
        return _fail(doc, "parser_error", f"The parser failed on this document: {type(exc).__name__}: {exc}.")
    return doc


def read_text(doc: ParsedDocument, text: str, catalogs: Catalogs) -> None:
    doc.meta, issues = detect(text, catalogs, doc.file_name)
    doc.issues.extend(issues)
    _, blocks = split_blocks(text)
    reader = TableReader(catalogs, doc.meta.fiscal_year, doc.items)
    prose: list[ProseLine] = []
    table_index = 0
    for block in blocks:
        prose.extend(ProseLine(line, t) for line, t in block.caption)
        if not block.rows:
            continue
        result = reader.read(block, table_index + 1)
        consumed: set[int] = set()
        if result is not None:
            table_index += 1
            doc.tables.append(result.info)
            doc.items.extend(result.items)
            doc.issues.extend(result.issues)
            consumed = {id(r) for r in result.consumed_rows}
        for row in block.rows:
            if id(row) not in consumed:
                prose.extend(ProseLine(row.line, cell) for cell in row.cells if cell.strip())
    prose_reader = ProseReader(catalogs, doc.meta.fiscal_year, doc.items)
    prose_reader.read(prose)
    doc.items.extend(prose_reader.items)
    doc.issues.extend(prose_reader.issues)
    if not doc.items:
        doc.parse_status = "no_figures"
        doc.error_code = "no_figures"
        doc.error_message = "The document was read but states no spending figure the parser recognises."


def _fail(doc: ParsedDocument, code: str, message: str) -> ParsedDocument:
    doc.parse_status = "failed"
    doc.error_code = code
    doc.error_message = message
    doc.issues.append(Issue("error", code, message))
    return doc


__all__ = ["discover", "parse_document", "LineItem", "__version__"]
