"""The job that builds the whole warehouse, and its nightly schedule (02:00 Beijing time).

The per-document parse partitions (defs/documents.py, group `parse`) are not in this job: the staging load
reads their parses from the parse cache and parses whatever is missing itself, so the job needs no
partition key and a night with nothing new parses nothing."""

import dagster as dg

build_warehouse = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("parse"),
    executor_def=dg.in_process_executor,
    description=(
        "Parse every disclosure into the staging schema, then dbt build (models, seeds, tests) "
        "the marts. Steps run one after another in one process: DuckDB takes one writer at a time."
    ),
)

nightly_build = dg.ScheduleDefinition(
    name="nightly_build",
    job=build_warehouse,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Rebuilds the whole warehouse at 02:00 Beijing time (Asia/Shanghai) while the Dagster daemon runs "
        "(`make ui` starts one); documents already in the parse cache are not parsed again."
    ),
)
