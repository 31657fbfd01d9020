"""Reading text documents whatever their encoding."""
from __future__ import annotations

import codecs


class DecodeError(ValueError):
    pass


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding name).

    UTF-8 (with or without BOM) first, then UTF-16 by BOM, then GB18030 (a superset of
    GBK and GB2312, the encodings Chinese portals publish in). Raises DecodeError when
    none fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8, UTF-16 or GB18030 text ({exc.reason} at byte {exc.start})") from exc
