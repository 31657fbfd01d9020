"""Dagster entry point: everything under orchestration/defs/, loaded the `dg` way.

`dagster dev -m orchestration.definitions`, `dagster asset materialize -m orchestration.definitions`
and `python -m orchestration.run` all load these definitions. The dbt manifest must exist first;
`make run` / `make test` prepare it (orchestration/dbt_tools.py).
"""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
