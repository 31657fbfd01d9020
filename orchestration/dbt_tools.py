"""Running dbt outside Dagster: preparing the manifest and building the docs.

`@dbt_assets` reads dbt_project/target/manifest.json when orchestration.defs is imported, and a
fresh clone has none. `ensure_manifest()` runs `dbt parse` when the manifest is missing or older
than any file of the dbt project, and does nothing otherwise, so neither a build nor a Dagster
step pays for a re-parse it does not need. (The manifest does not depend on which warehouse file
BUDGET_WAREHOUSE_DB names in any way Dagster uses: `dbt build` re-reads the profile itself. It is
parsed with the path of the warehouse's building file, which is what a build's dbt sees, so that
dbt build can skip parsing.)

    python -m orchestration.dbt_tools manifest    # what `make run` / `make test` call first
    python -m orchestration.dbt_tools docs [--out DIR]             # `make docs`: the dbt docs site
    python -m orchestration.dbt_tools serve [--port N] [--out DIR] # `make docs-serve`: serve it on 127.0.0.1

The docs site (dbt docs generate: index.html, manifest.json, catalog.json) is written to
dbt_project/target/site/, apart from target/manifest.json so that a build's partial parse is left alone.
Its catalog (column types, row counts) is read from the published warehouse opened READ-ONLY (profile
target `docs`), so generating the docs never holds up a build: a build replaces the file, it never writes it
in place, and only a read-write connection would stop the swap.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration import settings

TARGET_DIR = settings.DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
SITE_DIR = TARGET_DIR / "site"
DOCS_TARGET = "docs"  # the profile target that opens the warehouse read-only (dbt_project/profiles.yml)
DEFAULT_DOCS_PORT = 8080
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


def docs(out: Path | None = None) -> Path:
    """dbt docs generate into `out` (default dbt_project/target/site/), the catalog read from the published
    warehouse opened read-only; return the site folder."""
    ensure_manifest(quiet=True)
    db = settings.warehouse_path()
    if not db.exists():
        raise SystemExit(f"No warehouse at {db} yet: run `make run` first, then `make docs`")
    out = (out or SITE_DIR).absolute()
    out.mkdir(parents=True, exist_ok=True)
    run_dbt(["docs", "generate", "--quiet", "--target", DOCS_TARGET, "--target-path", str(out)], db=db)
    if not (out / "index.html").exists() or not (out / "catalog.json").exists():
        raise SystemExit(f"dbt docs generate succeeded but wrote no index.html / catalog.json in {out}")
    _say(f"Docs site written to {out}/ (catalog read-only from {db}); `make docs-serve` shows it")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("BUDGET_WAREHOUSE_DOCS_LOG"):
            super().log_message(format, *args)


def docs_server(site: Path, port: int = DEFAULT_DOCS_PORT, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """An HTTP server for the static docs site on host:port (port 0: any free port); call serve_forever()."""
    if not (site / "index.html").exists():
        raise FileNotFoundError(f"No docs site in {site}: run `make docs` first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(out: Path | None = None, port: int = DEFAULT_DOCS_PORT) -> None:
    site = (out or SITE_DIR).absolute()
    if not (site / "index.html").exists():
        docs(site)
    server = docs_server(site, port)
    _say(f"Serving the docs site {site} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m orchestration.dbt_tools", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="manifest", choices=["manifest", "docs", "serve"])
    parser.add_argument("--force", action="store_true", help="manifest: parse even when it looks up to date")
    parser.add_argument("--out", type=Path, help=f"docs, serve: the site folder (default {SITE_DIR})")
    parser.add_argument("--port", type=int, default=DEFAULT_DOCS_PORT, help="serve: the port on 127.0.0.1")
    args = parser.parse_args(argv)
    if args.command == "manifest":
        ensure_manifest(force=args.force)
    elif args.command == "docs":
        docs(args.out)
    else:
        serve(args.out, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
