"""The dbt project as Dagster sees it (kept in its own module, the dagster-dbt idiom).

The manifest is prepared by `python -m orchestration.dbt_tools manifest` (run by `make run` and
`make test` before anything imports the definitions). We deliberately do not call
`DbtProject.prepare_if_dev()`: under `dagster dev` / `dg` it re-parses dbt in every process that
imports the code (about 4 s per step). Instead `ensure_manifest()` parses only when the manifest is
missing or older than the dbt project's files, which also makes a fresh clone work under `dagster dev`.
"""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration import settings
from orchestration.dbt_tools import ensure_manifest

ensure_manifest(quiet=True)

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR
    if (settings.DBT_PROJECT_DIR / "profiles.yml").exists()
    else None,
)
