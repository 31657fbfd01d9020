"""three_public_items (docs/staging/three_public_items.md). Not written yet: no rows."""
from __future__ import annotations

import polars as pl

from . import Context, Record

FRAME = "three_public_items"
COLUMNS: dict[str, pl.DataType] = {}


def extract(ctx: Context) -> list[Record]:
    return []
