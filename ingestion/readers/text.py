"""Text files (.txt): the tab-separated and one-cell-per-line layouts."""
from __future__ import annotations

from ..layout import split_blocks
from ..textio import DecodeError, decode_text
from . import Source, UnreadableDocument


def read(data: bytes) -> Source:
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        raise UnreadableDocument("undecodable_text", f"The text could not be decoded: {exc}.") from exc
    if "\x00" in text:
        raise UnreadableDocument("binary_file", "The file holds binary data, not text.")
    _, blocks = split_blocks(text)
    return Source(blocks, encoding=encoding)
