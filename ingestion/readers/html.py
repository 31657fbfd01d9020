"""Portal pages (.html): the <table> elements with the title and unit lines around them."""
from __future__ import annotations

import re

import lxml.html

from ..layout import Block, Line, Row
from . import Source, UnreadableDocument

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "pre", "dt", "dd", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "head"}


def _text(el) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", el.text_content() or "").strip()


def _table_rows(table) -> list[list[str]]:
    """The table as a grid: a cell spanning columns gives its text to the first and empty
    cells to the rest; a cell spanning rows leaves empty cells below it (as a merged cell)."""
    grid: list[list[str | None]] = []
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        c = 0
        for td in tr.xpath("./td|./th"):
            while c < len(row) and row[c] is not None:
                c += 1
            colspan = max(1, int(td.get("colspan", "1") or 1))
            rowspan = max(1, int(td.get("rowspan", "1") or 1))
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = _text(td) if (dr == 0 and dc == 0) else ""
            c += colspan
    return [[cell or "" for cell in row] for row in grid]


def read(data: bytes) -> Source:
    try:
        root = lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument("unreadable_html", f"The page could not be parsed as HTML: {exc}.") from exc
    blocks: list[Block] = []
    current = Block()

    def walk(el) -> None:
        nonlocal current
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag == "table":
            if el.xpath(".//table"):  # a layout table around content tables: look inside
                for child in el.iterchildren():
                    walk(child)
                return
            rows = [Row(cells) for cells in _table_rows(el) if any(c.strip() for c in cells)]
            if rows:
                current.rows = rows
                blocks.append(current)
                current = Block()
            return
        if tag in _BLOCK_TAGS or (tag in ("div", "span", "td", "font") and not el.xpath(".//p|.//table|.//div|.//h1|.//h2|.//h3")):
            text = _text(el)
            for piece in text.split("\n"):
                if piece.strip():
                    current.caption.append(Line(piece.strip()))
            return
        if el.text and el.text.strip() and tag not in ("html", "body"):
            current.caption.append(Line(el.text.strip()))
        for child in el.iterchildren():
            walk(child)
            if child.tail and child.tail.strip():
                current.caption.append(Line(child.tail.strip()))

    body = root.find("body")
    walk(body if body is not None else root)
    if current.caption:
        blocks.append(current)
    return Source(blocks, encoding="html")
