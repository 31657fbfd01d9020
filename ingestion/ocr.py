"""Reading pages that have no text layer (scans, or fonts without a Unicode map) by OCR.

The page is rendered to an image; RapidOCR (ONNX models shipped in its wheel, so it runs offline)
finds the text boxes; the ruling of the tables is found in the image (long horizontal and vertical
strokes). Each box goes to the cell whose ruling encloses it — a box under a label that spans several
columns (no vertical rule below it) goes to the first column of the span, as in a text layer — and
the boxes outside the ruled areas become lines of text. The result is the same blocks the other
readers give, so the same table and prose readers apply; every figure is marked `ocr`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .layout import Block, Line, Row

OCR_DPI = 200


class OcrUnavailable(RuntimeError):
    pass


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


_engine = None


def _ocr_engine():
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - the dependency is pinned; this guards a broken install
            raise OcrUnavailable(f"the OCR engine could not be loaded: {exc}") from exc
        _engine = RapidOCR()
    return _engine


def enabled() -> bool:
    """OCR runs unless BUDGET_WAREHOUSE_OCR=off (then scans get a 'needs OCR' record)."""
    if os.environ.get("BUDGET_WAREHOUSE_OCR", "on").lower() in ("off", "0", "false", "no"):
        return False
    try:
        _ocr_engine()
        return True
    except OcrUnavailable:
        return False


def _positions(profile, min_len: float) -> list[int]:
    """Centres of the runs of a 1-D profile that reach min_len (the rules of a table)."""
    out: list[int] = []
    start = None
    for i, v in enumerate(list(profile) + [0]):
        if v >= min_len and start is None:
            start = i
        elif v < min_len and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    return out


def _rulings(gray):
    import cv2
    import numpy as np

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(12, h // 80))))
    return (horizontal > 0).astype(np.uint8), (vertical > 0).astype(np.uint8)


def _tables(horizontal, vertical) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the ruled areas (connected strokes)."""
    import cv2

    grid = cv2.dilate(horizontal | vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw > 100 and bh > 40:
            boxes.append((x, y, x + bw, y + bh))
    return sorted(boxes, key=lambda b: b[1])


_THOUSANDS_MISREAD = re.compile(r"^(\d{1,3})\.(\d{3}\.\d+)$")


def clean_text(text: str) -> str:
    """What OCR commonly misreads in these documents: 丶 for 、, and a thousands separator read
    as a point (3.694.5 for 3,694.5: two points cannot both be decimal points)."""
    text = text.strip().replace("丶", "、")
    m = _THOUSANDS_MISREAD.match(text.replace(" ", ""))
    return f"{m.group(1)},{m.group(2)}" if m else text


def _table_rows(box, boxes: list[_Box], horizontal, vertical, recognize) -> list[list[str]]:
    x0, y0, x1, y1 = box
    h_prof = horizontal[y0:y1 + 1, x0:x1 + 1].sum(axis=1)
    ys = [y0 + y for y in _positions(h_prof, 0.3 * (x1 - x0))]
    v_prof = vertical[y0:y1 + 1, x0:x1 + 1].sum(axis=0)
    xs = [x0 + x for x in _positions(v_prof, 0.6 * min((b - a) for a, b in zip(ys, ys[1:])) if len(ys) > 1 else 10)]
    if len(ys) < 2 or len(xs) < 2:
        return []

    def rule_at(x: int, ya: int, yb: int) -> bool:
        band = vertical[ya + 2:yb - 1, max(0, x - 3):x + 4]
        return band.size > 0 and band.any(axis=1).mean() > 0.6

    rows: list[list[str]] = []
    for ya, yb in zip(ys, ys[1:]):
        cells: list[list[_Box]] = [[] for _ in range(len(xs) - 1)]
        in_row: list[_Box] = []
        for b in boxes:
            if not (ya <= b.cy <= yb and x0 <= b.cx <= x1):
                continue
            # a box that runs across a rule drawn in this row holds the text of two cells: read each part again
            cuts = [x for x in xs if b.x0 + 4 < x < b.x1 - 4 and rule_at(x, ya, yb)]
            if not cuts:
                in_row.append(b)
                continue
            edges = [b.x0] + cuts + [b.x1]
            for a, c in zip(edges, edges[1:]):
                text = recognize(int(a) + 3, int(b.y0), int(c) - 3, int(b.y1))
                if text:
                    in_row.append(_Box(a, b.y0, c, b.y1, text))
        for b in in_row:
            # the cell holding the box: from the nearest rule on its left that is drawn in this row
            left = max((i for i, x in enumerate(xs[:-1]) if x <= b.x0 + 4 and rule_at(x, ya, yb)), default=0)
            cells[left].append(b)
        rows.append(["".join(bb.text for bb in sorted(c, key=lambda bb: (round(bb.cy / 12), bb.x0))) for c in cells])
    return [r for r in rows if any(c.strip() for c in r)]


def _lines(boxes: list[_Box], page: int) -> list[tuple[float, Line]]:
    """Boxes outside the tables as lines of text, top to bottom, left to right."""
    out: list[tuple[float, Line]] = []
    for b in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        if out and abs(out[-1][0] - b.cy) < 0.6 * (b.y1 - b.y0):
            top, line = out[-1]
            out[-1] = (top, Line(line.text + " " + b.text, page=page))
        else:
            out.append((b.cy, Line(b.text, page=page)))
    return out


def page_elements(image, page: int) -> list[tuple[float, Line | list[Row]]]:
    """The lines and tables of one page image (a PIL image), top to bottom."""
    import cv2
    import numpy as np

    rgb = np.array(image.convert("RGB"))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    engine = _ocr_engine()
    result, _ = engine(rgb)
    boxes = []
    for quad, text, _score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append(_Box(min(xs), min(ys), max(xs), max(ys), clean_text(text)))

    def recognize(a: int, b: int, c: int, d: int) -> str:
        if c - a < 4 or d - b < 4:
            return ""
        rec, _ = engine(rgb[b:d, a:c], use_det=False, use_cls=False, use_rec=True)
        return clean_text(rec[0][0]) if rec and rec[0] and rec[0][1] > 0.5 else ""
    horizontal, vertical = _rulings(gray)
    tables = _tables(horizontal, vertical)
    outside = [b for b in boxes if not any(t[0] <= b.cx <= t[2] and t[1] <= b.cy <= t[3] for t in tables)]
    elements: list[tuple[float, Line | list[Row]]] = []
    for y, line in _lines(outside, page):
        line.ocr = True
        elements.append((y, line))
    for t in tables:
        rows = _table_rows(t, boxes, horizontal, vertical, recognize)
        if rows:
            elements.append((t[1], [Row(r, page=page, ocr=True) for r in rows]))
    elements.sort(key=lambda e: e[0])
    return elements


def read_image(image, page: int = 1) -> list[Block]:
    """Blocks of one page image: its tables with the lines above each as their caption."""
    blocks: list[Block] = []
    current = Block()
    for _y, el in page_elements(image, page):
        if isinstance(el, Line):
            current.caption.append(el)
        else:
            current.rows = el
            blocks.append(current)
            current = Block()
    if current.caption:
        blocks.append(current)
    return blocks
