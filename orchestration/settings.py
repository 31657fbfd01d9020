"""Where things are: repository paths and the environment variables that move them.

Environment variables
---------------------
BUDGET_WAREHOUSE_DB            the DuckDB warehouse file (default: data/warehouse.duckdb). During a run it names
                               the run's building file (building_path()), which is swapped in on success.
BUDGET_WAREHOUSE_INBOX         a folder of new disclosures to load besides data/samples/ (default: data/inbox/)
BUDGET_WAREHOUSE_LOCK_TIMEOUT  seconds a build waits for another build to finish (default 1800; 0 = do not wait)
BUDGET_WAREHOUSE_CACHE         parsed documents by content hash, so unchanged files are not parsed again
                               (default: data/.parse_cache/; deleting it loses nothing)
BUDGET_WAREHOUSE_WORKERS       processes that parse documents (default: the machine's cores)
BUDGET_WAREHOUSE_REBUILD       1: a full build runs even when nothing is new (default: a build whose files,
                               parser and dbt project are those of the published warehouse stops after parsing)
BUDGET_WAREHOUSE_PDF_ENGINE    pdfium (default) or pdfplumber: how PDF text layers are read (ingestion/readers/pdf.py)
DAGSTER_HOME                   Dagster's run history (default for `make run`: .dagster_home/ in the repository)

Relative paths in these variables are taken relative to the current directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent
DATA_DIR: Path = REPO_ROOT / "data"
SAMPLES_DIR: Path = DATA_DIR / "samples"
DEFAULT_INBOX_DIR: Path = DATA_DIR / "inbox"
DEFAULT_WAREHOUSE: Path = DATA_DIR / "warehouse.duckdb"
DBT_PROJECT_DIR: Path = REPO_ROOT / "dbt_project"
DEFAULT_DAGSTER_HOME: Path = REPO_ROOT / ".dagster_home"

ENV_DB = "BUDGET_WAREHOUSE_DB"
ENV_INBOX = "BUDGET_WAREHOUSE_INBOX"
ENV_LOCK_TIMEOUT = "BUDGET_WAREHOUSE_LOCK_TIMEOUT"
ENV_CACHE = "BUDGET_WAREHOUSE_CACHE"
ENV_REBUILD = "BUDGET_WAREHOUSE_REBUILD"
DEFAULT_CACHE_DIR: Path = DATA_DIR / ".parse_cache"

DEFAULT_LOCK_TIMEOUT_S = 1800.0


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().absolute() if value else None


def warehouse_path() -> Path:
    """The warehouse file, absolute (BUDGET_WAREHOUSE_DB or data/warehouse.duckdb)."""
    return _env_path(ENV_DB) or DEFAULT_WAREHOUSE


def inbox_path() -> Path:
    """The inbox folder, absolute (BUDGET_WAREHOUSE_INBOX or data/inbox/); it may not exist."""
    return _env_path(ENV_INBOX) or DEFAULT_INBOX_DIR


def cache_path() -> Path:
    """The parse cache folder, absolute (BUDGET_WAREHOUSE_CACHE or data/.parse_cache/)."""
    return _env_path(ENV_CACHE) or DEFAULT_CACHE_DIR


def source_roots() -> list[Path]:
    """Folders whose files are loaded: data/samples/ always, then the inbox when it exists."""
    roots = [SAMPLES_DIR]
    inbox = inbox_path()
    if inbox.is_dir() and inbox.resolve() != SAMPLES_DIR.resolve():
        roots.append(inbox)
    return roots


def building_dir(db: Path | None = None) -> Path:
    """The folder a run builds in, beside the warehouse file: <warehouse>.building/ (orchestration/publish.py)."""
    db = db or warehouse_path()
    if db.parent.name == db.name + ".building":  # already a building file (BUDGET_WAREHOUSE_DB inside a run)
        return db.parent
    return db.with_name(db.name + ".building")


def building_path(db: Path | None = None) -> Path:
    """The file a run writes: <warehouse>.building/<warehouse name>, swapped in as the warehouse on success.

    It keeps the warehouse's file name because DuckDB names the database after the file (up to the
    first dot) and the views dbt creates refer to that name.
    """
    db = db or warehouse_path()
    return building_dir(db) / db.name


def lock_path(db: Path | None = None) -> Path:
    """The build lock, beside the warehouse file: <warehouse>.lock."""
    db = db or warehouse_path()
    return db.with_name(db.name + ".lock")


def lock_timeout() -> float:
    raw = os.environ.get(ENV_LOCK_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise SystemExit(f"{ENV_LOCK_TIMEOUT}={raw!r} is not a number of seconds") from None


def dbt_executable() -> Path:
    """The dbt of this Python environment (the venv's), not whatever `dbt` is first on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return candidate
    # Fall back to a dbt next to the real interpreter (e.g. a venv python that is a symlink).
    candidate = Path(sys.prefix) / "bin" / "dbt"
    if candidate.exists():
        return candidate
    raise FileNotFoundError(
        f"dbt is not installed in this Python environment ({sys.prefix}); run `make run`, which installs it"
    )


def dbt_env(db: Path | None = None) -> dict[str, str]:
    """Environment for a dbt subprocess: ours, with BUDGET_WAREHOUSE_DB the absolute `db` (default: the warehouse)."""
    env = dict(os.environ)
    env[ENV_DB] = str((db or warehouse_path()).absolute())
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def export_warehouse_env() -> Path:
    """Put the absolute warehouse path into os.environ so every dbt subprocess sees the same file."""
    path = warehouse_path()
    os.environ[ENV_DB] = str(path)
    return path


def rebuild_always() -> bool:
    """BUDGET_WAREHOUSE_REBUILD: build even when nothing is new since the published warehouse."""
    return os.environ.get(ENV_REBUILD, "").strip().lower() in {"1", "true", "yes", "always"}
