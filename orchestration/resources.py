"""Dagster resources: the warehouse file (and its build lock) and the dbt CLI."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from orchestration.lock import warehouse_lock


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file.

    While a run uses this resource it holds the build lock (orchestration.lock) beside the file.
    With the in-process executor Dagster initialises resources once per run, so the lock covers the
    whole run: staging load, dbt build and dbt tests; a concurrent run waits at its start.
    """

    db_path: str
    lock_timeout_s: float | None = None  # None: BUDGET_WAREHOUSE_LOCK_TIMEOUT or 1800 s

    def path(self) -> Path:
        return Path(self.db_path)

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        run = (context.run_id or "")[:8]
        with warehouse_lock(
            f"Dagster run {run}" if run else "Dagster",
            db=self.path(),
            timeout=self.lock_timeout_s,
            say=context.log.warning if context.log else None,
        ):
            yield self
