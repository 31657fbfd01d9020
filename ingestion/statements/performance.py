"""performance_indicators (docs/staging/performance_indicators.md). Not written yet: no rows."""
from __future__ import annotations

import polars as pl

from . import Context, Record

FRAME = "performance_indicators"
COLUMNS: dict[str, pl.DataType] = {}


def extract(ctx: Context) -> list[Record]:
    return []
