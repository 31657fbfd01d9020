"""disclosure_tables (docs/staging/disclosure_tables.md). Not written yet: no rows."""
from __future__ import annotations

import polars as pl

from . import Context, Record

FRAME = "disclosure_tables"
COLUMNS: dict[str, pl.DataType] = {}


def extract(ctx: Context) -> list[Record]:
    return []
