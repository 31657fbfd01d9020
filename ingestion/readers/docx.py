"""Word documents (.docx): paragraphs and tables in document order, merged cells as empty
cells beside (gridSpan) or below (vMerge) the cell that holds the text."""
from __future__ import annotations

import io
import zipfile

from ..layout import Block, Line, Row
from . import Source, UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el) -> str:
    parts = []
    for p in el.iter(f"{W}p"):
        buf = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            if node.tag == f"{W}t":
                buf.append(node.text or "")
            elif node.tag == f"{W}tab":
                buf.append(" ")
            else:
                buf.append("\n")
        parts.append("".join(buf))
    return "\n".join(x for x in parts if x.strip()).strip()


def _rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = 1
            continued = False
            if props is not None:
                grid_span = props.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{W}val", "1"))
                v_merge = props.find(f"{W}vMerge")
                if v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue":
                    continued = True
            cells.append("" if continued else _text(tc))
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows


def read(data: bytes) -> Source:
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument("corrupt_docx", f"The Word file could not be opened: {exc}.") from exc
    blocks: list[Block] = []
    current = Block()
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = _text(child)
            for piece in text.split("\n"):
                if piece.strip():
                    current.caption.append(Line(piece.strip()))
        elif child.tag == f"{W}tbl":
            rows = [Row(cells) for cells in _rows(child) if any(c.strip() for c in cells)]
            if rows:
                current.rows = rows
                blocks.append(current)
                current = Block()
    if current.caption:
        blocks.append(current)
    return Source(blocks, encoding="docx")
