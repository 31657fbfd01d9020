"""Resources and the executor shared by every asset and job.

The in-process executor runs the steps of a run one after another in one process: the staging
load and the dbt build never hold the DuckDB file at the same time, and the warehouse resource
(with its build lock) is set up once for the whole run.
"""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import settings
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(db_path=str(settings.warehouse_path())),
            "dbt": DbtCliResource(
                project_dir=dbt_project,
                dbt_executable=str(settings.dbt_executable()),
            ),
        },
        executor=dg.in_process_executor,
    )
