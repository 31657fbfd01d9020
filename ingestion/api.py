"""A document in; its metadata, tables, line items and issues out."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .catalog import Catalogs, load_catalogs
from .layout import Block, Line
from .metadata import detect
from .model import Issue, ParsedDocument
from .prose import ProseReader
from .readers import Source, UnreadableDocument
from .statements import Context, TableBlock, extract_all
from .tables import TableReader
from .verify import mark_ocr_trust

IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store"}
DEFAULT_MAX_MB = 200


def max_bytes() -> int:
    """Files over this size are recorded, not read (BUDGET_WAREHOUSE_MAX_MB, default 200)."""
    return int(float(os.environ.get("BUDGET_WAREHOUSE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)

# what a file's first bytes say it is, whatever its name
_MAGIC = [(b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0", "ole"), (b"\x89PNG", "image"),
          (b"\xff\xd8\xff", "image"), (b"II*\x00", "image"), (b"MM\x00*", "image")]


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


def sniff_format(data: bytes, suffix: str) -> str:
    """The format to read a file as: its content decides where its name and content disagree."""
    suffix = suffix.lower().lstrip(".")
    head = data[:8]
    magic = next((kind for sig, kind in _MAGIC if head.startswith(sig)), None)
    if magic in ("pdf", "image"):
        return magic
    if magic == "zip":
        return suffix if suffix in ("docx", "xlsx") else "zip"
    if magic == "ole":
        return "xls" if suffix in ("xls", "doc", "") else "ole"
    if suffix in ("htm", "html") or data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in ("pdf", "docx", "xlsx", "xls", "png", "jpg", "jpeg", "tif", "tiff"):
        return "mismatch"  # named as a binary format but holding something else
    return "txt"


def read_source(data: bytes, fmt: str) -> Source:
    from .readers import docx, html, image, pdf, spreadsheet, text

    readers = {
        "txt": text.read, "pdf": pdf.read, "docx": docx.read, "xlsx": spreadsheet.read_xlsx,
        "xls": spreadsheet.read_xls, "html": html.read, "image": image.read,
    }
    if fmt not in readers:
        raise UnreadableDocument("unsupported_format", f"Files of this kind ({fmt}) are not read.")
    return readers[fmt](data)


def parse_document(path: Path, root: Path | None = None, catalogs: Catalogs | None = None) -> ParsedDocument:
    """Parse one file. Never raises for a bad file: the document comes back failed, with why."""
    path = Path(path)
    stat = path.stat()
    suffix = path.suffix.lower().lstrip(".")
    limit = max_bytes()
    if stat.st_size > limit:  # not even read into memory
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        doc = ParsedDocument(document_id=sha[:16], sha256=sha, source_path=_display_path(path, root),
                             file_name=path.name, file_format=suffix or "unknown", size_bytes=stat.st_size,
                             mtime=stat.st_mtime)
        return _fail(doc, "too_large", f"The file is {stat.st_size / 2**20:.1f} MiB, over the limit of "
                                       f"{limit / 2**20:.1f} MiB (BUDGET_WAREHOUSE_MAX_MB); it was not read.")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    doc = ParsedDocument(
        document_id=sha[:16], sha256=sha, source_path=_display_path(path, root), file_name=path.name,
        file_format=suffix or "unknown", size_bytes=len(data), mtime=stat.st_mtime,
    )
    if not data:
        return _fail(doc, "empty_file", "The file is empty (0 bytes).")
    fmt = sniff_format(data, suffix)
    if fmt == "mismatch":
        return _fail(doc, "wrong_extension", f"The file is named .{suffix} but does not hold a {suffix.upper()} file.")
    if fmt in ("zip", "ole"):
        return _fail(doc, "unsupported_format", f"Files of this kind (.{suffix or '?'}, a {fmt.upper()} container) are not read: "
                                                "save the disclosure as PDF, DOCX, XLSX, XLS, HTML or text.")
    doc.file_format = fmt if fmt in ("pdf", "docx", "xlsx", "xls", "html", "txt", "image") else doc.file_format
    try:
        source = read_source(data, fmt)
    except UnreadableDocument as exc:
        return _fail(doc, exc.code, exc.message)
    except Exception as exc:  # a reader defect must cost this document only, and say so
        return _fail(doc, "reader_error", f"The {fmt} reader failed on this file: {type(exc).__name__}: {exc}.")
    doc.encoding = source.encoding
    doc.n_pages = source.n_pages
    catalogs = catalogs or load_catalogs()
    try:
        read_blocks(doc, source, catalogs)
    except Exception as exc:  # a parser defect must cost this document only, and say so
        doc.items.clear()
        doc.tables.clear()
        doc.statements.clear()
        return _fail(doc, "parser_error", f"The parser failed on this document: {type(exc).__name__}: {exc}.")
    return doc


def read_text(doc: ParsedDocument, text: str, catalogs: Catalogs) -> None:
    """Parse a text already in memory (tests, and the text reader's output)."""
    from .layout import split_blocks

    _, blocks = split_blocks(text)
    read_blocks(doc, Source(blocks), catalogs)


def read_blocks(doc: ParsedDocument, source: Source, catalogs: Catalogs) -> None:
    doc.meta, issues = detect(source.full_text(), catalogs, doc.file_name)
    doc.issues.extend(source.issues)
    doc.issues.extend(issues)
    reader = TableReader(catalogs, doc.meta.fiscal_year, doc.items)
    prose: list[Line] = []
    table_blocks: list[TableBlock] = []
    table_index = 0
    for block in source.blocks:
        prose.extend(block.caption)
        if not block.rows:
            continue
        result = reader.read(block, table_index + 1)
        table_blocks.append(TableBlock(block, result.info if result is not None else None))
        consumed: set[int] = set()
        if result is not None:
            table_index += 1
            doc.tables.append(result.info)
            doc.items.extend(result.items)
            doc.issues.extend(result.issues)
            consumed = {id(r) for r in result.consumed_rows}
        for row in block.rows:
            if id(row) not in consumed:
                prose.extend(Line(cell, row.line, row.page) for cell in row.cells if cell.strip())
    prose_reader = ProseReader(catalogs, doc.meta.fiscal_year, doc.items)
    prose_reader.read(prose)
    doc.items.extend(prose_reader.items)
    doc.issues.extend(prose_reader.issues)
    mark_ocr_trust(doc.items, catalogs)
    ctx = Context(doc.meta, table_blocks, prose, doc.items, catalogs)
    doc.statements = extract_all(ctx)
    doc.issues.extend(ctx.issues)
    if source.needs_ocr and not doc.items:
        ran = any(i.issue_code == "read_by_ocr" for i in doc.issues)
        doc.parse_status = "needs_ocr"
        doc.error_code = "needs_ocr"
        doc.error_message = ("The document has no readable text layer (a scan, or fonts without a Unicode map) and "
                             + ("OCR found no figure in it: it needs a person, or a better scan."
                                if ran else "OCR is off (BUDGET_WAREHOUSE_OCR): it needs OCR."))
    elif not doc.items and not any(doc.statements.values()):
        doc.parse_status = "no_figures"
        doc.error_code = "no_figures"
        doc.error_message = "The document was read but states no figure the parser recognises (no spending, revenue, 三公, staff or indicator)."


def _fail(doc: ParsedDocument, code: str, message: str) -> ParsedDocument:
    doc.parse_status = "failed"
    doc.error_code = code
    doc.error_message = message
    doc.issues.append(Issue("error", code, message))
    return doc
