"""The asset `warehouse`: the published warehouse file, replaced by this run's build in one rename.

It depends on every other asset, so Dagster runs it last and skips it when a step before it failed
(a dbt test that fails with severity error fails the dbt step). It also reads dbt's
run_results.json of the run and refuses to publish if any dbt node failed or errored. Publishing
(orchestration/publish.py) checkpoints the building file and os.replace()s it over the warehouse.
"""

import json

import dagster as dg

from orchestration.defs.dbt_models import RUN_TARGETS_DIR, dbt_build
from orchestration.defs.staging import staging_load
from orchestration.publish import PublishRefused
from orchestration.resources import WarehouseResource

PUBLISHED_KEY = dg.AssetKey(["warehouse"])


def _dbt_failures(run_id: str) -> list[str]:
    path = RUN_TARGETS_DIR / run_id[:8] / "run_results.json"
    try:
        results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []  # dbt did not run in this run (a partial run), or wrote nothing
    return [f"{r.get('status')} {r.get('unique_id')}" for r in results if r.get("status") in {"fail", "error"}]


@dg.asset(
    key=PUBLISHED_KEY,
    deps=sorted({*staging_load.keys, *dbt_build.keys}, key=lambda k: k.to_user_string()),
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The warehouse file researchers open. Replaced as a whole by the run's building file, atomically, "
        "once every other step succeeded; a failed or killed run leaves it as it was."
    ),
)
def publish_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    failures = _dbt_failures(context.run_id)
    if failures:
        raise PublishRefused(
            f"dbt reported {len(failures)} failures ({'; '.join(failures[:5])}); not publishing: "
            f"{warehouse.published_path()} is unchanged"
        )
    building = warehouse.path()
    db = warehouse.publish()
    context.log.info(f"Published {db} (replaced it by {building})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(db)),
            "size_bytes": dg.MetadataValue.int(db.stat().st_size),
        }
    )
