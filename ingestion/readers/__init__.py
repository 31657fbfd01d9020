"""Format readers: each turns a file's bytes into the same thing, a list of layout Blocks
(lines of text, and tables as rows of cells), so that one table reader and one prose reader
serve every format."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..layout import Block
from ..model import Issue


class UnreadableDocument(Exception):
    """The file cannot be read at all; `code` is the error code recorded for it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Source:
    blocks: list[Block]
    encoding: str | None = None
    n_pages: int | None = None
    extraction: str = "text"  # text | pdf_text | ocr | mixed
    issues: list[Issue] = field(default_factory=list)
    needs_ocr: bool = False  # some pages hold no text layer (scans) or unmapped fonts
    unreadable_pages: list[int] = field(default_factory=list)  # pages whose text layer was not read
    page_engines: dict[str, int] = field(default_factory=dict)  # PDF pages by reader: pdfium, or why pdfminer

    def full_text(self) -> str:
        parts: list[str] = []
        for block in self.blocks:
            parts.extend(line.text for line in block.caption)
            for row in block.rows:
                parts.append("\t".join(row.cells))
        return "\n".join(parts)
