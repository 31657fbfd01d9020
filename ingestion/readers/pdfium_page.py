"""A PDF page read by PDFium, shaped like a pdfplumber page.

pdfplumber reads a page through pdfminer.six, which interprets the content stream in Python: about
three quarters of the time of reading a table page goes there. PDFium (pypdfium2) reads the same page
natively. This module builds, from PDFium's text page and path objects, the two things the PDF reader
takes from a page: its characters (text and box, in pdfplumber's top-down coordinates) and its
ruling edges (the sides of rectangles and the lines drawn). Given those, pdfplumber's own algorithms
(table finder, cell text, text lines) run unchanged, so a page read here yields what it yields through
pdfminer: the test `tests/test_pdf_engines.py` holds the two paths to the same facts.

A page is only read here when it is plain: its fonts embedded (or Latin), its text upright in the page's own space (a page turned for display is read unturned),
with a text layer, no Form XObjects and no paths
other than lines and axis-aligned rectangles. `read_page` returns None for any other page, and the
reader takes it through pdfminer instead (ingestion/readers/pdf.py).
"""
from __future__ import annotations

import ctypes

from pdfplumber.container import Container
from pdfplumber.page import Page as _PlumberPage

_UNMAPPED_CHARS = "\x00\ufffd\ufffe\uffff"  # what PDFium gives for a glyph it cannot map


class PdfiumPage(Container):
    """The part of pdfplumber's Page the reader uses, over objects read by PDFium."""

    def __init__(self, number: int, width: float, height: float, rotation: int, chars: list[dict],
                 edges: list[dict], n_images: int):
        self.page_number = number
        self.bbox = (0.0, 0.0, width, height)
        self.rotation = rotation
        self._objects = {"char": chars, "image": [{}] * n_images}
        self._edges = edges
        self.get_textmap = self._get_textmap  # pdfplumber caches it per page; a page here is read once

    @property
    def objects(self) -> dict:
        return self._objects

    @property
    def edges(self) -> list[dict]:
        return self._edges

    width = _PlumberPage.width
    height = _PlumberPage.height
    find_tables = _PlumberPage.find_tables
    extract_text_lines = _PlumberPage.extract_text_lines
    _get_textmap = _PlumberPage._get_textmap

    def close(self) -> None:
        self._objects = {}
        self._edges = []


def _edge(x0: float, top: float, x1: float, bottom: float, kind: str, orientation: str) -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def _subpath_edges(points: list[tuple[float, float]], closed: bool, height: float) -> list[dict] | None:
    """The edges pdfplumber makes of one subpath (a line, or a rectangle: its four sides); None for any
    other shape (pdfminer calls it a curve, and the page goes through pdfminer)."""
    pts = [(x, height - y) for x, y in points]
    if len(pts) == 2 and not closed:  # pdfminer: LTLine; pdfplumber: 'h' when flat, else 'v'
        (ax, ay), (bx, by) = pts
        orientation = "h" if ay == by else "v"
        return [_edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), "line", orientation)]
    if (len(pts) == 4 and closed) or (len(pts) == 5 and pts[4] == pts[0]):
        p = pts[:4]
        xs = sorted({x for x, _ in p})
        ys = sorted({y for _, y in p})
        sides_axis_aligned = all((a[0] == b[0]) != (a[1] == b[1]) or a == b for a, b in zip(p, p[1:] + p[:1]))
        if len(xs) <= 2 and len(ys) <= 2 and sides_axis_aligned:
            x0, x1 = xs[0], xs[-1]
            top, bottom = ys[0], ys[-1]
            return [_edge(x0, top, x1, top, "rect_edge", "h"), _edge(x0, bottom, x1, bottom, "rect_edge", "h"),
                    _edge(x0, top, x0, bottom, "rect_edge", "v"), _edge(x1, top, x1, bottom, "rect_edge", "v")]
    return None


def _path_edges(raw, obj, height: float, matrix, fx, fy) -> list[dict] | None:
    raw.FPDFPageObj_GetMatrix(obj, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    edges: list[dict] = []
    points: list[tuple[float, float]] = []
    closed = False
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            return None
        raw.FPDFPathSegment_GetPoint(seg, fx, fy)
        x, y = fx.value, fy.value
        point = (a * x + c * y + e, b * x + d * y + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if points:
                sub = _subpath_edges(points, closed, height)
                if sub is None:
                    return None
                edges.extend(sub)
            points, closed = [point], False
        else:
            points.append(point)
        if raw.FPDFPathSegment_GetClose(seg):
            closed = True
    if points and len(points) > 1:
        sub = _subpath_edges(points, closed, height)
        if sub is None:
            return None
        edges.extend(sub)
    return edges


_LATIN_FAMILIES = ("times", "arial", "helvetica", "courier", "calibri", "cambria", "symbol", "verdana", "tahoma",
                   "georgia", "wingdings")


def _latin_or_embedded(raw, font) -> bool:
    if raw.FPDFFont_GetIsEmbedded(font):
        return True
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(font, name, n)
    base = name.value.decode("latin-1").lower().replace(" ", "")
    return base.startswith(_LATIN_FAMILIES)


def read_page(document, index: int, doctop: float) -> tuple[PdfiumPage | None, str | None]:
    """Page `index` (0-based) of a pypdfium2 PdfDocument as a PdfiumPage, or (None, why) when the page is
    not plain enough to be read here (turned, no text, unmapped glyphs, forms, curves)."""
    import pypdfium2.raw as raw

    page = document[index]
    try:
        # A page turned for display (/Rotate) is read unturned, in its own space, as the pdfminer path
        # reads a turned page whose text stands upright there; text that is not upright in that space
        # sends the page to pdfminer (below)
        rotation = 0
        left, bottom_, right, top_ = page.get_mediabox()
        if left or bottom_:
            return None, "mediabox_offset"
        width, height = right - left, top_ - bottom_
        edges: list[dict] = []
        n_images = 0
        matrix = raw.FS_MATRIX()
        fx, fy = ctypes.c_float(), ctypes.c_float()
        fonts_ok: dict[int, bool] = {}
        textpage = page.get_textpage()
        try:
            for i in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, i)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind == raw.FPDF_PAGEOBJ_TEXT:
                    # A CJK font the file does not embed (reportlab's STSong-Light) is mapped to Unicode by
                    # each library's own CMaps, and they differ (PDFium maps no character of a one-character
                    # string, pdfminer drops the '·'): such pages go to pdfminer. In a Latin font the file
                    # does not embed, an empty string is a space PDFium keeps no character for: the gap it
                    # leaves separates the words as the space would.
                    font = raw.FPDFTextObj_GetFont(obj)
                    address = ctypes.cast(font, ctypes.c_void_p).value
                    if address not in fonts_ok:
                        fonts_ok[address] = _latin_or_embedded(raw, font)
                    if not fonts_ok[address]:
                        return None, "unembedded_cjk_font"
                elif kind == raw.FPDF_PAGEOBJ_PATH:
                    path_edges = _path_edges(raw, obj, height, matrix, fx, fy)
                    if path_edges is None:
                        return None, "curve"
                    edges.extend(path_edges)
                elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                    n_images += 1
                elif kind in (raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_SHADING):
                    return None, "form"
            chars = _chars(raw, textpage.raw, height, doctop)
        finally:
            textpage.close()
        if isinstance(chars, str):
            return None, chars
        if not chars:
            return None, "no_text"
        for e in edges:
            e["doctop"] = e["top"] + doctop
        return PdfiumPage(index + 1, width, height, rotation, chars, edges, n_images), None
    finally:
        page.close()


_ADDRESS_OF_OBJECT = []


def _object_address(raw):
    """FPDFText_GetTextObject answering the object's address as an int: the characters of one text object
    share its font and matrix, and comparing addresses costs no ctypes cast per character."""
    if not _ADDRESS_OF_OBJECT:
        fn = type(raw.FPDFText_GetTextObject).from_address(ctypes.addressof(raw.FPDFText_GetTextObject))
        fn.argtypes, fn.restype = raw.FPDFText_GetTextObject.argtypes, ctypes.c_void_p
        _ADDRESS_OF_OBJECT.append(fn)
    return _ADDRESS_OF_OBJECT[0]


def _chars(raw, tp, height: float, doctop: float) -> list[dict] | str:
    """The characters of the text page as pdfplumber's char dicts. pdfminer's box is kept: from the
    origin, across the advance, and from the font's descent up by the font size (not the glyph's
    ascent), so lines and cells gather the same characters. PDFium keeps coordinates as 32-bit floats:
    x is rounded to 4 decimals, the precision Word writes a content stream with, so that a gap between two
    words of exactly the tolerance (3 pt) is the tie it is for pdfminer."""
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(tp, 0, n, buf)
    text = ctypes.string_at(buf, 2 * max(got - 1, 0)).decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters outside the BMP: one code unit is no longer one character
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, k)) for k in range(n))
    rect = raw.FS_RECTF()
    rect_p = ctypes.byref(rect)
    matrix = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    descent = ctypes.c_float()
    get_box, is_generated, get_object = raw.FPDFText_GetLooseCharBox, raw.FPDFText_IsGenerated, raw.FPDFText_GetTextObject
    object_address = _object_address(raw)
    unmapped = sum(text.count(c) for c in _UNMAPPED_CHARS)
    chars: list[dict] = []
    add = chars.append
    last_obj = None
    size = drop = depth = 0.0
    fonts: dict[tuple, tuple[float, float]] = {}  # (font, size, vertical scale) -> (drop, depth)
    for k, ch in enumerate(text):
        if ch in " \r\n\t\x02" and (ch in "\r\n" or is_generated(tp, k)):
            continue
        address = object_address(tp, k)
        get_box(tp, k, rect_p)
        if address != last_obj:  # a new text object: its font, size and matrix
            last_obj = address
            obj = get_object(tp, k)
            raw.FPDFText_GetMatrix(tp, k, matrix)
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                return "turned_text"  # turned or mirrored text: pdfplumber groups it apart; leave the page to it
            font_size = raw.FPDFText_GetFontSize(tp, k)
            size = font_size * matrix.d
            font = raw.FPDFTextObj_GetFont(obj)
            key = (ctypes.cast(font, ctypes.c_void_p).value, font_size, matrix.d)
            if key not in fonts:
                raw.FPDFFont_GetDescent(font, ctypes.c_float(font_size), ctypes.byref(descent))
                # the loose box's bottom stands a fixed depth (the font's) below the baseline
                raw.FPDFText_GetCharOrigin(tp, k, ox, oy)
                fonts[key] = (-descent.value * matrix.d, oy.value - rect.bottom)
            drop, depth = fonts[key]  # drop: pdfminer's box below the baseline, in page units
        x0 = round(rect.left, 4)
        x1 = round(x0 + (rect.right - rect.left), 4)
        bottom = height - (rect.bottom + depth) + drop
        top = bottom - size
        add({"object_type": "char", "text": ch, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
             "doctop": top + doctop, "width": x1 - x0, "height": size, "upright": True})
    if unmapped > 0.05 * max(len(chars), 1):
        return "unmapped_glyphs"  # glyphs without a Unicode map: the pdfminer path reports them (cid) for OCR
    return chars
