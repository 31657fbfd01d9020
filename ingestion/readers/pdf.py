"""PDF with a text layer, through pdfplumber.

Per page: the ruled tables (pdfplumber's lines strategy) and the text lines outside them, in
reading order. Across pages:
- page numbers (- 3 -, 第3页, 3/12) and running headers/footers (a line repeated at the same
  height on many pages) are dropped, so they never stand between the parts of a table;
- a table that starts a page with no title above it continues the table that ended the page
  before when its width agrees; header rows printed again are dropped, and a row cut by the
  page break (its name on one page, the rest on the next) is joined again;
- a title row inside the ruled area (收支预算总表 / 部门：… 单位：万元) becomes the caption.
A page whose text is '(cid:NNN)' glyphs (a font without a Unicode map) or that has no text
layer at all (a scan) is not read as text: it is reported, and handed to OCR when asked.
"""
from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..layout import Block, Line, Row
from ..model import Issue
from ..numbers import code_classification, find_unit, normalize, parse_amount
from . import Source, UnreadableDocument

_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|page\s*\d+)$", re.I)


_HEADING_START_RE = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")


@dataclass
class _Table:
    rows: list[list[str]]
    page: int
    top: float
    bottom: float
    ocr: bool = False


@dataclass
class _PageContent:
    number: int
    height: float
    elements: list[tuple[float, object]] = field(default_factory=list)  # (top, Line | _Table)


def _clean_cell(text: str | None) -> str:
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"^[A-Za-z0-9]", p) and not re.search(r"\d$", out):
            out += " "
        out += p
    return out


def _is_noise(text: str) -> bool:
    t = text.strip()
    return not t or bool(_PAGE_NUMBER_RE.match(t))


def _leaf_cells(cells: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """The cells that hold no other cell (not a frame drawn around a table or a page): cell a holds cell b
    when a != b and b lies within a, give or take half a point (every pair compared at once)."""
    import numpy as np

    if not cells:
        return []
    box = np.asarray(cells, dtype=np.float64)
    a, b = box[:, None, :], box[None, :, :]  # [i, j]: does cell i hold cell j?
    holds = ((a[..., 0] <= b[..., 0] + 0.5) & (a[..., 1] <= b[..., 1] + 0.5) & (a[..., 2] >= b[..., 2] - 0.5)
             & (a[..., 3] >= b[..., 3] - 0.5) & (a != b).any(axis=2))
    return [c for c, holder in zip(cells, holds.any(axis=1)) if not holder]


def _find_tables(page) -> list:
    """What pdfplumber's page.find_tables() returns (default settings: ruling lines), with the cells found
    from the rulings' intersections in one pass: pdfplumber looks, for every intersection, through all the
    intersections after it and compares sets of edges it builds anew each time; here each intersection's
    edges are gathered once and those below it and to its right are looked up."""
    from bisect import bisect_right
    from collections import defaultdict

    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
    from pdfplumber.utils import obj_to_bbox

    finder = TableFinder.__new__(TableFinder)  # its edge-finding only: the rest follows
    finder.page, finder.settings = page, TableSettings.resolve(None)
    intersections = edges_to_intersections(finder.get_edges(), finder.settings.intersection_x_tolerance,
                                           finder.settings.intersection_y_tolerance)
    points = sorted(intersections)
    v_edges = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    h_edges = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}

    def connects(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not v_edges[p1].isdisjoint(v_edges[p2]))
                or (p1[1] == p2[1] and not h_edges[p1].isdisjoint(h_edges[p2])))

    same_x: dict[float, list[int]] = defaultdict(list)
    same_y: dict[float, list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(points):
        same_x[x].append(i)
        same_y[y].append(i)
    cells = []
    for i, pt in enumerate(points[:-1]):
        column, row = same_x[pt[0]], same_y[pt[1]]
        below = [points[j] for j in column[bisect_right(column, i):]]
        right = [points[j] for j in row[bisect_right(row, i):]]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return [Table(page, group) for group in cells_to_tables(cells)]


def _cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """What pdfplumber's Table.extract() returns, without testing every character against every row: a
    character belongs to the row and cell its centre falls in (top and left edges in, bottom and right out),
    and a cell's characters keep the page's order."""
    from bisect import bisect_left

    from pdfplumber.utils import extract_text

    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    by_v = sorted(range(len(chars)), key=v_mid.__getitem__)
    sorted_v = [v_mid[i] for i in by_v]
    out: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_row = sorted(i for i in by_v[bisect_left(sorted_v, top):bisect_left(sorted_v, bottom)]
                        if x0 <= h_mid[i] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            held = [chars[i] for i in in_row if cx0 <= h_mid[i] < cx1 and ctop <= v_mid[i] < cbottom]
            cells.append(extract_text(held) if held else "")
        out.append(cells)
    return out


def _is_frame_row(row: list[str | None], rows: list[list[str | None]]) -> bool:
    """A row of one cell that holds the text of the cells below it: a frame drawn around the
    table (or the page), not a title."""
    filled = [c for c in row if c and str(c).strip()]
    if len(filled) != 1:
        return False
    text = normalize(str(filled[0]))
    others = [normalize(str(c)) for r in rows if r is not row for c in r if c and len(normalize(str(c))) >= 2]
    return len(text) > 120 or sum(1 for o in others if o in text) >= 2


def _title_rows(rows: list[list[str | None]]) -> tuple[list[tuple[int, str]], int]:
    """Leading rows of a ruled table that hold only its title or unit line (one filled cell):
    ([(row index, caption line)], number of leading rows that are not the table's)."""
    captions: list[tuple[int, str]] = []
    k = 0
    while k < len(rows):
        filled = [c for c in rows[k] if c and str(c).strip()]
        if not filled:
            k += 1
            continue
        if len(filled) == 1 and len(rows[k]) > 1:
            text = str(filled[0])
            t = normalize(text)
            if _is_frame_row(rows[k], rows):
                k += 1
                continue
            if find_unit(t) or "表" in t or "部门" in t or "单位" in t:
                captions.extend((k, p.strip()) for p in text.split("\n") if p.strip())
                k += 1
                continue
        if len(filled) > 1 and all(_is_caption_text(str(c)) for c in filled):  # 部门：… | 单位：万元
            captions.append((k, " ".join(str(c).strip() for c in filled)))
            k += 1
            continue
        break
    return captions, k


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _compact(table, extracted: list[list[str | None]], prev_leaves: list[tuple[float, float]] | None
             ) -> tuple[list[list[str]], list[tuple[float, float]] | None]:
    """The table on its logical columns.

    Word-made PDFs draw grids with many more vertical rules than columns: a row's code sits
    one grid column left of its header, its amount one column right. Each header cell that no
    lower header cell divides is a logical column (its x-range); every cell goes to the
    logical column its x-range overlaps most. A table with no header row (the part of a table
    continued on a new page) uses the columns of the table before it.
    """
    boxes = [row.cells for row in table.rows]
    texts = [[(c or "") for c in r] for r in extracted]
    first_body = next((i for i, r in enumerate(texts) if _is_body_text(r)), len(texts))
    header = [(r, (box[0], box[2]), texts[r][c]) for r in range(first_body)
              for c, box in enumerate(boxes[r]) if box is not None and c < len(texts[r]) and texts[r][c].strip()]
    leaves: list[tuple[float, float]] = []
    for r, span, text in header:
        if _is_caption_text(text):
            continue
        below = [s for rr, s, t in header if rr > r and not _is_caption_text(t)
                 and _overlap(s, span) > 0.5 * (s[1] - s[0])]
        if not below:
            leaves.append(span)
    leaves.sort()
    if not leaves:
        if prev_leaves is None:
            return [[_clean_cell(c) for c in r] for r in texts], None
        leaves = prev_leaves
    grid: list[list[str]] = []
    for r, row in enumerate(boxes):
        out = [""] * len(leaves)
        for c, box in enumerate(row):
            if box is None or c >= len(texts[r]) or not texts[r][c].strip():
                continue
            span = (box[0], box[2])
            covered = [i for i, leaf in enumerate(leaves) if _overlap(span, leaf) > 0.5 * (leaf[1] - leaf[0])]
            if r < first_body and covered:
                best = covered[0]  # a header label spanning several columns stands at the first of them
            else:
                best = max(range(len(leaves)), key=lambda i: (_overlap(span, leaves[i]), -abs(leaves[i][0] - span[0])))
            if _overlap(span, leaves[best]) <= 0 and not (r < first_body):
                best = min(range(len(leaves)), key=lambda i: abs((leaves[i][0] + leaves[i][1]) / 2 - (span[0] + span[1]) / 2))
            text = _clean_cell(texts[r][c])
            out[best] = (out[best] + text) if out[best] and r >= first_body else (out[best] or text)
        grid.append(out)
    return grid, leaves


@lru_cache(maxsize=8192)
def _is_caption_text(text: str) -> bool:
    t = normalize(text)
    return bool(find_unit(t)) or t.startswith(("部门", "单位名称", "编制单位")) or (t.endswith("表") and len(t) < 40)


def _is_body_text(cells: list[str]) -> bool:
    vals = [normalize(c) for c in cells if c and c.strip()]
    if any(code_classification(v) for v in vals):
        return True
    amounts = [v for v in vals if parse_amount(v) is not None]
    return any("." in v or "," in v for v in amounts) or (bool(amounts) and any(v in ("合计", "总计") for v in vals))


def _page_content(page, number: int, state: dict) -> tuple[_PageContent | None, str | None]:
    """The page's lines and tables, or (None, reason) when its text cannot be read. `state`
    carries the logical columns of the last table read to the next page."""
    chars = page.chars
    if not chars:
        return None, "scan" if page.images else "blank"
    cid = sum(1 for c in chars if c.get("text", "").startswith("(cid:"))
    if cid > 0.05 * len(chars):
        return None, "cid"
    content = _PageContent(number, float(page.height))
    tables = _find_tables(page)
    leaf_cells: list[tuple[float, float, float, float]] = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        extracted = _cell_texts(table, page.chars)
        leaf_cells.extend(_leaf_cells(table.cells))
        extracted, state["leaves"] = _compact(table, extracted, state.get("leaves"))
        captions, skip = _title_rows(extracted)
        row_tops = [r.bbox[1] for r in table.rows]
        for i, (k, text) in enumerate(captions):
            content.elements.append((row_tops[k] + i * 0.001 if k < len(row_tops) else top, Line(text, page=number)))
        rows = [[_clean_cell(c) for c in r] for r in extracted[skip:]]
        rows = [r for r in rows if any(r)]
        if rows:
            body_top = row_tops[skip] if skip < len(row_tops) else top
            content.elements.append((body_top, _Table(rows, number, body_top, bottom)))
    text_lines = page.extract_text_lines(layout=False, strip=True)
    right = max((ln["x1"] for ln in text_lines), default=0.0)
    for line in text_lines:
        # a line is the table's when its characters stand in the table's cells; a table number
        # printed inside a frame drawn around the table, but in no cell, is not
        near = [c for c in leaf_cells if c[1] - 1 <= line["bottom"] and c[3] + 1 >= line["top"]]
        chars = line.get("chars") or []
        held = sum(1 for ch in chars if any(c[0] - 0.5 <= (ch["x0"] + ch["x1"]) / 2 <= c[2] + 0.5
                                           and c[1] - 0.5 <= (ch["top"] + ch["bottom"]) / 2 <= c[3] + 0.5
                                           for c in near))
        inside = bool(chars) and held >= 0.5 * len(chars)
        if not inside and line["text"].strip():
            size = (line["bottom"] - line["top"]) or 10.0
            text = line["text"].strip()
            # within a point's hundredth: a line that ends exactly 1.5 characters short of the margin is a
            # tie, which coordinates read at a different precision (PDFium's 32-bit floats) must not flip
            wraps = (line["x1"] >= right - 1.5 * size - 0.01 and len(normalize(text)) >= 15
                     and not re.search(r"[。；;：:！？]$", text) and not find_unit(text) and not text.endswith("表"))
            content.elements.append((line["top"], Line(line["text"].strip(), page=number, wraps=wraps)))
    content.elements.sort(key=lambda e: e[0])
    return content, None


def _drop_running_lines(pages: list[_PageContent]) -> None:
    """Page numbers, and lines repeated near the top or bottom of most pages (running headers)."""
    edge: Counter[str] = Counter()
    for p in pages:
        seen = set()
        for top, el in p.elements:
            if isinstance(el, Line) and (top < 0.12 * p.height or top > 0.88 * p.height):
                key = normalize(el.text)
                if key not in seen:
                    seen.add(key)
                    edge[key] += 1
    # never a title, a table number or a unit line: those repeat on every page of a table too
    repeated = {k for k, n in edge.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)
                and not (find_unit(k) or "表" in k)}
    for p in pages:
        p.elements = [(top, el) for top, el in p.elements
                      if not (isinstance(el, Line) and (_is_noise(el.text) or
                                                        ((top < 0.12 * p.height or top > 0.88 * p.height)
                                                         and normalize(el.text) in repeated)))]


def _starts_new_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled:
        return False
    if cells[0]:
        return True
    if any(code_classification(normalize(c)) for c in cells):
        return True
    return bool(re.match(r"^[一二三四五六七八九十\d]+[、.．]|^[(（][一二三四五六七八九十\d]+[)）]|^(合计|总计|小计)", normalize(filled[0])))


def _join(blocks: list[Block], table: _Table) -> None:
    """Append a table that continues the last block's table on a new page."""
    block = blocks[-1]
    rows = table.rows
    # header rows printed again on the new page
    header = [normalize("".join(r.cells)) for r in block.rows[:4]]
    k = 0
    while k < len(rows) and k < len(header) and normalize("".join(rows[k])) == header[k]:
        k += 1
    rows = rows[k:]
    # a row cut by the page break: no amount on the old page's last row, no start of a row here
    if rows and block.rows:
        last = block.rows[-1]
        figures = [c for c in last.cells if parse_amount(c) is not None and not code_classification(normalize(c))]
        if (not figures and not _starts_new_row(rows[0])
                and len(rows[0]) == len(last.cells)):
            last.cells = [a + b for a, b in zip(last.cells, rows[0])]
            rows = rows[1:]
    block.rows.extend(Row(r, page=table.page, ocr=table.ocr) for r in rows)


def _mostly_sideways(page) -> bool:
    chars = page.chars
    return bool(chars) and sum(1 for c in chars if not c.get("upright", True)) > 0.5 * len(chars)


def _without_rotation(data: bytes) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            if page.get_rotation():
                page.set_rotation(0)
            page.close()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def _ocr_pages(data: bytes, numbers: list[int]) -> list[_PageContent]:
    """Pages read by OCR: rendered with PDFium, recognised by ingestion.ocr."""
    import pypdfium2

    from .. import ocr

    out = []
    document = pypdfium2.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number - 1]
            image = page.render(scale=ocr.OCR_DPI / 72).to_pil()
            content = _PageContent(number, float(image.height))
            for y, el in ocr.page_elements(image, number):
                if isinstance(el, Line):
                    content.elements.append((y, el))
                else:
                    content.elements.append((y, _Table([r.cells for r in el], number, y, y, ocr=True)))
            out.append(content)
            page.close()
    finally:
        document.close()
    return out


ENGINES = ("pdfium", "pdfplumber")


def engine_setting() -> str:
    """How text-layer pages are read (BUDGET_WAREHOUSE_PDF_ENGINE): `pdfium` (default: PDFium's objects
    through pdfplumber's algorithms, pdfminer only for pages that are not plain) or `pdfplumber` (every
    page through pdfminer). Both give the same figures (tests/test_pdf_engines.py)."""
    value = os.environ.get("BUDGET_WAREHOUSE_PDF_ENGINE", "pdfium").strip().lower() or "pdfium"
    if value not in ENGINES:
        raise ValueError(f"BUDGET_WAREHOUSE_PDF_ENGINE={value!r}: use one of {', '.join(ENGINES)}")
    return value


def _open_pdfium(data: bytes):
    """The document opened by PDFium, or None (damaged or encrypted files go to pdfminer, which says why)."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None


def _open_plumber(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = len(pdf.pages)
        return pdf
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument("encrypted_pdf", "The PDF is encrypted (password protected); it cannot be read.") from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("encrypted_pdf", "The PDF is encrypted (password protected); it cannot be read.") from exc
        raise UnreadableDocument("corrupt_pdf", f"The PDF is damaged or not a PDF: {cause}.") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument("corrupt_pdf", f"The PDF is damaged or not a PDF: {exc}.") from exc


def read(data: bytes, use_ocr: bool = True) -> Source:
    import pdfplumber

    from .pdfium_page import read_page

    fast = _open_pdfium(data) if engine_setting() == "pdfium" else None
    pdf = None if fast is not None else _open_plumber(data)
    n_pages = len(fast) if fast is not None else len(pdf.pages)
    issues: list[Issue] = []
    pages: list[_PageContent] = []
    unreadable: dict[str, list[int]] = {}
    state: dict = {}
    derotated = None
    doctop = 0.0
    engines: Counter[str] = Counter()  # pages by how they were read: pdfium, or why not
    try:
        for number in range(1, n_pages + 1):
            page, why = read_page(fast, number - 1, doctop) if fast is not None else (None, "engine")
            engines[why or "pdfium"] += 1
            if page is None:  # not plain (turned, forms, curves, no text …): pdfminer reads it
                pdf = pdf or _open_plumber(data)
                page = pdf.pages[number - 1]
                if page.rotation and _mostly_sideways(page):
                    # a page turned for display (/Rotate) whose text stands upright in its own space:
                    # read it unturned, so its lines run left to right again
                    derotated = derotated or pdfplumber.open(io.BytesIO(_without_rotation(data)))
                    page.close()
                    page = derotated.pages[number - 1]
            doctop += float(page.height)
            try:
                content, reason = _page_content(page, number, state)
            finally:
                page.close()
            if content is None:
                unreadable.setdefault(reason or "blank", []).append(number)
            else:
                pages.append(content)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer fails deep inside broken content streams
        raise UnreadableDocument("corrupt_pdf", f"The PDF is damaged: {type(exc).__name__}: {exc}.") from exc
    finally:
        if pdf is not None:
            pdf.close()
        if fast is not None:
            fast.close()
        if derotated is not None:
            derotated.close()
    to_ocr = sorted(unreadable.get("scan", []) + unreadable.get("cid", []))
    ocr_done: list[int] = []
    if to_ocr and use_ocr:
        from .. import ocr

        if ocr.enabled():
            pages.extend(_ocr_pages(data, to_ocr))
            pages.sort(key=lambda p: p.number)
            ocr_done = to_ocr
    _drop_running_lines(pages)

    blocks: list[Block] = []
    current = Block()
    last_was_table = False
    for p in pages:
        page_started = True
        for _top, el in p.elements:
            if isinstance(el, Line):
                previous = current.caption[-1] if current.caption else None
                if (previous is not None and previous.wraps and not _HEADING_START_RE.match(normalize(el.text))
                        and not find_unit(el.text)):
                    # a sentence wrapped at the right margin: one paragraph again
                    current.caption[-1] = Line(previous.text + el.text, previous.line, previous.page, el.wraps,
                                               previous.ocr)
                else:
                    current.caption.append(el)
                last_was_table = False
                page_started = False
                continue
            width = len(el.rows[0])
            if (page_started and last_was_table and not current.caption and blocks
                    and abs(len(blocks[-1].rows[-1].cells) - width) == 0):
                _join(blocks, el)
            else:
                current.rows = [Row(r, page=el.page, ocr=el.ocr) for r in el.rows]
                blocks.append(current)
                current = Block()
            last_was_table = True
            page_started = False
    if current.caption:
        blocks.append(current)

    extraction = "pdf_text" if not ocr_done else ("ocr" if len(ocr_done) == n_pages else "mixed")
    source = Source(blocks, n_pages=n_pages, extraction=extraction, issues=issues)
    source.needs_ocr = bool(to_ocr)
    source.page_engines = dict(engines)
    if unreadable.get("cid"):
        issues.append(Issue("error" if not ocr_done else "warn", "unmapped_font",
                            f"Pages {_pages(unreadable['cid'])} print '(cid:NNN)' glyphs (a font without a Unicode map): "
                            "their text layer cannot be read and was not loaded."))
    if unreadable.get("scan"):
        issues.append(Issue("error" if not ocr_done else "warn", "scanned_pages",
                            f"Pages {_pages(unreadable['scan'])} are images with no text layer (a scan)."))
    if ocr_done:
        issues.append(Issue("warn", "read_by_ocr",
                            f"Pages {_pages(ocr_done)} were read by OCR: their figures are marked `ocr` and count as "
                            "trusted only where the document's own arithmetic holds for them."))
    elif to_ocr:
        issues.append(Issue("error", "needs_ocr", f"Pages {_pages(to_ocr)} need OCR, which is off."))
    source.unreadable_pages = sorted(p for pages_ in unreadable.values() for p in pages_ if pages_ is not unreadable.get("blank"))
    return source


def read_tables(data: bytes) -> list[tuple[int, list[list[str | None]]]]:
    """The ruled tables of a PDF and nothing else: [(page number, rows of cell texts)]. Pages are triaged by
    their drawing alone (PDFium's path objects, no text read): only a page with rulings beyond a running
    header's rule is read, through the same path as `read` (PDFium's objects, pdfminer for a page that is not
    plain), with the same table finder and cell texts. What pdfplumber's extract_tables() on every page
    does, for the benchmark to compare (tests/bench)."""
    import pypdfium2.raw as raw

    from .pdfium_page import read_page

    fast = _open_pdfium(data)
    if fast is None:
        raise UnreadableDocument("corrupt_pdf", "The PDF is damaged, encrypted or not a PDF.")
    out: list[tuple[int, list[list[str | None]]]] = []
    pdf = None
    try:
        for index in range(len(fast)):
            page_handle = fast[index]
            n_paths = sum(1 for i in range(raw.FPDFPage_CountObjects(page_handle.raw))
                          if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page_handle.raw, i)) == raw.FPDF_PAGEOBJ_PATH)
            page_handle.close()
            if n_paths < 2:
                continue
            page, _why = read_page(fast, index, 0.0)
            if page is None:
                pdf = pdf or _open_plumber(data)
                page = pdf.pages[index]
            try:
                out.extend((index + 1, _cell_texts(table, page.chars)) for table in _find_tables(page))
            finally:
                page.close()
    finally:
        fast.close()
        if pdf is not None:
            pdf.close()
    return out


def _pages(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:20])) + (" …" if len(numbers) > 20 else "")
