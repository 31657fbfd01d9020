"""department_facts (docs/staging/department_facts.md). Not written yet: no rows."""
from __future__ import annotations

import polars as pl

from . import Context, Record

FRAME = "department_facts"
COLUMNS: dict[str, pl.DataType] = {}


def extract(ctx: Context) -> list[Record]:
    return []
