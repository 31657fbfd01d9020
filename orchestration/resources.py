"""Dagster resources: the warehouse file (its build lock and building file) and the dbt CLI."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.lock import warehouse_lock


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file, `db_path`, and the run's building file beside it.

    A run never writes the published warehouse: while the resource is set up it

    - holds the build lock (orchestration.lock) beside the published file: with the in-process
      executor Dagster initialises resources once per run, so the lock covers the whole run
      (staging load, dbt build and tests, publish); a concurrent run waits at its start;
    - removes what a failed or killed run left, and starts a new building file (`path()`): empty
      when the run builds every asset, else a copy of the published warehouse
      (orchestration/publish.py);
    - points BUDGET_WAREHOUSE_DB at the building file, so dbt (profiles.yml) writes it too.

    The asset `warehouse` (orchestration/defs/published.py), which runs after everything else and
    only if everything else succeeded, swaps the building file in as `db_path`.
    """

    db_path: str
    lock_timeout_s: float | None = None  # None: BUDGET_WAREHOUSE_LOCK_TIMEOUT or 1800 s

    def published_path(self) -> Path:
        """The warehouse researchers open; replaced as a whole by `publish()`."""
        return Path(self.db_path).absolute()

    def path(self) -> Path:
        """The file this run writes (staging load and dbt): the building file."""
        return settings.building_path(self.published_path())

    def discard_building(self) -> None:
        """Remove this run's building folder before anything wrote to it (a run with nothing new)."""
        import shutil

        shutil.rmtree(settings.building_dir(self.published_path()), ignore_errors=True)

    def publish(self) -> Path:
        from orchestration.publish import publish

        return publish(self.published_path())

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        from orchestration.publish import prepare

        run = (context.run_id or "")[:8]
        log = context.log
        say = log.warning if log else None
        db = self.published_path()
        with warehouse_lock(f"Dagster run {run}" if run else "Dagster", db=db, timeout=self.lock_timeout_s, say=say):
            full = _builds_every_asset(context)
            building = prepare(db, copy_published=not full, **({"say": say} if say else {}))
            if log:
                log.info(
                    f"Building {building} ({'from nothing' if full else 'from a copy of ' + str(db)}); "
                    f"it replaces {db} when the run succeeds"
                )
            previous = os.environ.get(settings.ENV_DB)
            os.environ[settings.ENV_DB] = str(building)
            try:
                yield self
            finally:
                if previous is None:
                    os.environ.pop(settings.ENV_DB, None)
                else:
                    os.environ[settings.ENV_DB] = previous
                if building.exists() and log:
                    log.warning(
                        f"Not published: {db} is unchanged. This run's build stays in {building.parent} "
                        "until the next run removes it."
                    )


def _builds_every_asset(context: dg.InitResourceContext) -> bool:
    """True if the run materializes every asset of the graph (a full build starts from an empty file)."""
    selection = context.dagster_run.asset_selection if context.dagster_run else None
    if not selection:  # None or empty: the whole job (what `make run` and the schedule launch)
        return True
    from orchestration.defs.dbt_models import dbt_build
    from orchestration.defs.staging import staging_load

    return set(staging_load.keys) | set(dbt_build.keys) <= set(selection)
