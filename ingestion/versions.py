"""Which documents stand in the warehouse: one per content, the latest version of each.

- The same content under several names (same sha256) is one document; the other paths are
  `duplicate`s.
- A revised version of a document replaces the old one: two documents of the same disclosure
  (region, department, fiscal year, stage) are versions of each other when they hold the same
  tables (at least half of their table titles in common) or, holding no table, carry the same
  title, and their figures differ (the same figures in another format or encoding is a copy, not a
  revision). The newer one stays; the older is `superseded` (kept in the log and in dim_document,
  its figures leave the facts). Newer means: a revision mark in its file name (修订, 更正, 调整,
  修改, 第N版, v2 …), else the later modification time, else the later path.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .model import ParsedDocument
from .numbers import normalize

_REVISION_RE = re.compile(r"(修订|更正|调整|修改|更新|第[二三四五2-9]版|[vV]\d+|revised|rev\d*)")


@dataclass
class Seen:
    """A file the run looked at, and what became of it."""
    path: Path
    doc: ParsedDocument
    status: str = "loaded"  # loaded | duplicate | superseded | failed | needs_ocr | unsupported
    detail: str | None = None
    mtime: float = 0.0


def _disclosure(doc: ParsedDocument) -> tuple | None:
    m = doc.meta
    if not (m.region_code and m.department_key and m.fiscal_year and m.stage):
        return None
    return (m.region_code, m.department_key, m.fiscal_year, m.stage)


def figures_key(doc: ParsedDocument) -> str | None:
    """A fingerprint of the document's figures (classification, code, measure, amount, unit), the same for
    the same set of figures however they are ordered; None when it states none. A summary remembers it."""
    if doc.figures_key is not None or not doc.items:
        return doc.figures_key
    figures = sorted({repr((i.key(), format(i.amount.normalize(), "f"), i.unit)) for i in doc.items})  # 1.0 == 1.00
    return hashlib.sha256("\n".join(figures).encode()).hexdigest()


def _same_document(a: ParsedDocument, b: ParsedDocument) -> bool:
    # the same figures in another format or encoding is not a revision: both stay
    if figures_key(a) is not None and figures_key(a) == figures_key(b):
        return False
    ta = {normalize(t.title or "") for t in a.tables}
    tb = {normalize(t.title or "") for t in b.tables}
    if ta and tb:
        return len(ta & tb) >= 0.5 * min(len(ta), len(tb))
    if not ta and not tb:
        return normalize(a.meta.title or "") == normalize(b.meta.title or "") != ""
    return False


def _newness(seen: Seen) -> tuple:
    return (bool(_REVISION_RE.search(seen.path.stem)), seen.mtime, seen.path.as_posix())


def settle(seen: list[Seen]) -> None:
    """Give every file its status (in place)."""
    first: dict[str, Seen] = {}
    for s in seen:
        doc = s.doc
        if doc.parse_status == "failed":
            s.status = "unsupported" if doc.error_code == "unsupported_format" else "failed"
            s.detail = doc.error_message
        elif doc.parse_status == "needs_ocr":
            s.status = "needs_ocr"
            s.detail = doc.error_message
        elif doc.document_id in first:
            s.status = "duplicate"
            s.detail = f"The same content as {first[doc.document_id].doc.source_path} (sha256 {doc.sha256[:12]}…)."
            continue
        else:
            s.status = "loaded"
            s.detail = doc.error_message  # e.g. read but no figures
        first.setdefault(doc.document_id, s)
    # revised versions: among loaded documents of one disclosure
    loaded = [s for s in seen if s.status == "loaded"]
    groups: dict[tuple, list[Seen]] = {}
    for s in loaded:
        key = _disclosure(s.doc)
        if key:
            groups.setdefault(key, []).append(s)
    for members in groups.values():
        for s in sorted(members, key=_newness):
            newer = [o for o in members if o is not s and _newness(o) > _newness(s) and o.status == "loaded"
                     and _same_document(s.doc, o.doc)]
            if newer:
                latest = max(newer, key=_newness)
                s.status = "superseded"
                s.doc.superseded_by = latest.doc.document_id
                s.detail = f"A revised version of this document was found: {latest.doc.source_path}; it replaces this one."
