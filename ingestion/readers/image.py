"""Images of a page (.png, .jpg, .tif: a photographed or scanned disclosure), read by OCR."""
from __future__ import annotations

import io

from ..model import Issue
from . import Source, UnreadableDocument


def read(data: bytes) -> Source:
    from PIL import Image, UnidentifiedImageError

    from .. import ocr

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableDocument("corrupt_image", f"The image could not be opened: {exc}.") from exc
    if not ocr.enabled():
        source = Source([], n_pages=1, extraction="ocr", needs_ocr=True)
        source.issues.append(Issue("error", "needs_ocr", "The file is an image of a page: it needs OCR, which is off."))
        return source
    frames = getattr(image, "n_frames", 1)
    blocks = []
    for index in range(frames):
        image.seek(index)
        blocks.extend(ocr.read_image(image.convert("RGB"), page=index + 1))
    source = Source(blocks, n_pages=frames, extraction="ocr")
    source.issues.append(Issue("warn", "read_by_ocr", "The document is an image and was read by OCR: its figures are "
                               "marked `ocr` and count as trusted only where the document's own arithmetic holds."))
    return source
