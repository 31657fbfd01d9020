"""The dbt project's models, seeds and tests as Dagster assets and asset checks.

`dbt build` runs inside the warehouse resource's build lock, after the staging load (the dbt
sources map to the staging assets through meta.dagster.asset_key). dbt gets the venv's dbt
executable and, as BUDGET_WAREHOUSE_DB, the run's building file (never the published warehouse:
orchestration/publish.py).
"""

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration import settings
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource

# dagster-dbt writes one target folder per invocation; keep the last few, delete older ones.
RUN_TARGETS_DIR = dbt_project.project_dir / dbt_project.target_path / "dagster_runs"
KEEP_RUN_TARGETS = 5


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        group = super().get_group_name(dbt_resource_props)
        if group:
            return group
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        # models/marts/x.sql -> "marts"; models/x.sql -> "dbt"
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def _run_target_path(run_id: str) -> Path:
    """A fresh dbt target folder for this run, seeded with the prepared partial-parse state."""
    RUN_TARGETS_DIR.mkdir(parents=True, exist_ok=True)

    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another build
            return 0.0

    old = sorted((p for p in RUN_TARGETS_DIR.iterdir() if p.is_dir()), key=mtime)
    for stale in old[: max(0, len(old) - (KEEP_RUN_TARGETS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)
    target = RUN_TARGETS_DIR / run_id[:8]
    target.mkdir(parents=True, exist_ok=True)
    partial = dbt_project.project_dir / dbt_project.target_path / "partial_parse.msgpack"
    if partial.exists():
        shutil.copy2(partial, target / partial.name)
    return target


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="dbt_build",
)
def dbt_build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    # dbt reads the warehouse path from BUDGET_WAREHOUSE_DB (profiles.yml); the subprocess
    # inherits os.environ. The warehouse resource has pointed it at the run's building file
    # already; say so again here, where dbt starts.
    os.environ[settings.ENV_DB] = str(warehouse.path())
    invocation = dbt.cli(["build"], context=context, target_path=_run_target_path(context.run_id))
    yield from invocation.stream()
