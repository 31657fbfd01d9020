"""project_items (docs/staging/project_items.md). Not written yet: no rows."""
from __future__ import annotations

import polars as pl

from . import Context, Record

FRAME = "project_items"
COLUMNS: dict[str, pl.DataType] = {}


def extract(ctx: Context) -> list[Record]:
    return []
