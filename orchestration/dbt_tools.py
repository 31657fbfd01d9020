"""Running dbt outside Dagster: preparing the manifest and building the docs.

`@dbt_assets` reads dbt_project/target/manifest.json when orchestration.defs is imported, and a
fresh clone has none. `ensure_manifest()` runs `dbt parse` when the manifest is missing or older
than any file of the dbt project, and does nothing otherwise, so neither a build nor a Dagster
step pays for a re-parse it does not need. (The manifest does not depend on which warehouse file
BUDGET_WAREHOUSE_DB names in any way Dagster uses: `dbt build` re-reads the profile itself. It is
parsed with the path of the warehouse's building file, which is what a build's dbt sees, so that
dbt build can skip parsing.)

    python -m orchestration.dbt_tools manifest    # what `make run` / `make test` call first
    python -m orchestration.dbt_tools docs        # `make docs`: dbt docs generate (takes the build lock)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration import settings

TARGET_DIR = settings.DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
_IGNORED_DIRS = {"target", "logs", "dbt_packages"}


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for dirpath, dirnames, filenames in os.walk(project_dir):
        if Path(dirpath) == project_dir:  # skip dbt's outputs and hidden files (.user.yml) at the top
            dirnames[:] = [d for d in dirnames if d not in _IGNORED_DIRS and not d.startswith(".")]
            filenames = [f for f in filenames if not f.startswith(".")]
        for name in filenames:
            try:
                newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
            except OSError:
                pass
    return newest


def manifest_is_fresh() -> bool:
    if not MANIFEST.exists():
        return False
    return MANIFEST.stat().st_mtime >= _newest_source_mtime(settings.DBT_PROJECT_DIR)


def run_dbt(args: list[str], *, check: bool = True, db: Path | None = None) -> subprocess.CompletedProcess:
    """Run the venv's dbt in dbt_project/ with BUDGET_WAREHOUSE_DB set to `db` (default: the warehouse), absolute."""
    cmd = [str(settings.dbt_executable()), *args]
    if (settings.DBT_PROJECT_DIR / "profiles.yml").exists() and "--profiles-dir" not in args:
        cmd += ["--profiles-dir", str(settings.DBT_PROJECT_DIR)]
    proc = subprocess.run(cmd, cwd=settings.DBT_PROJECT_DIR, env=settings.dbt_env(db))
    if check and proc.returncode != 0:
        raise SystemExit(f"`dbt {' '.join(args)}` failed (exit {proc.returncode}); see its output above")
    return proc


def ensure_manifest(*, force: bool = False, quiet: bool = False) -> Path:
    """Make dbt_project/target/manifest.json exist and be current; return its path."""
    if not (settings.DBT_PROJECT_DIR / "dbt_project.yml").exists():
        raise SystemExit(f"No dbt project: {settings.DBT_PROJECT_DIR / 'dbt_project.yml'} is missing")
    if not force and manifest_is_fresh():
        if not quiet:
            _say(f"dbt manifest is up to date ({MANIFEST.relative_to(settings.REPO_ROOT)})")
        return MANIFEST

    # Two processes preparing at once: the second waits, then finds the manifest fresh.
    from filelock import FileLock

    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    with FileLock(str(TARGET_DIR / ".parse.lock"), is_singleton=True, thread_local=False):
        if not force and manifest_is_fresh():
            return MANIFEST
        started = time.monotonic()
        project = settings.DBT_PROJECT_DIR
        has_deps = (project / "packages.yml").exists() or (project / "dependencies.yml").exists()
        if has_deps and not (project / "dbt_packages").exists():
            _say("Installing dbt packages (dbt deps) ...")
            run_dbt(["deps", "--quiet"])
        _say("Parsing the dbt project (dbt parse) to write target/manifest.json ...")
        # Parsed with the path the build's dbt will see (the building file, orchestration/publish.py), so
        # that dbt build can reuse this parse (dbt re-parses everything when the profile changes).
        # dbt parse does not open the database.
        run_dbt(["parse", "--quiet"], db=settings.building_path(settings.warehouse_path()))
        if not MANIFEST.exists():
            raise SystemExit(f"dbt parse succeeded but wrote no {MANIFEST}")
        _say(f"dbt manifest written in {time.monotonic() - started:.1f} s")
    return MANIFEST


def docs() -> None:
    """dbt docs generate (reads the warehouse for the catalog, so it takes the build lock)."""
    from orchestration.lock import warehouse_lock

    ensure_manifest(quiet=True)
    db = settings.warehouse_path()
    if not db.exists():
        raise SystemExit(f"No warehouse at {db} yet: run `make run` first, then `make docs`")
    with warehouse_lock("dbt docs generate"):
        run_dbt(["docs", "generate"], db=db)
    _say(f"Docs written to {TARGET_DIR}/ (index.html, catalog.json); `dbt docs serve` from dbt_project/ shows them")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv else "manifest"
    if command == "manifest":
        ensure_manifest(force="--force" in argv)
    elif command == "docs":
        docs()
    else:
        _say(f"usage: python -m orchestration.dbt_tools [manifest [--force] | docs]; got {command!r}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
