"""Build the whole warehouse through Dagster, in this process, and say what was built.

    python -m orchestration.run [--no-wait] [--quiet]

1. takes the warehouse build lock (a second build waits, printing who holds it; --no-wait stops instead),
2. prepares the dbt manifest if it is missing or stale (dbt parse),
3. materializes the job `build_warehouse` (staging load -> dbt build, with dbt tests as asset checks
   -> publish) with the in-process executor, recording the run in DAGSTER_HOME (default .dagster_home/).
   The run writes a new file, <warehouse>.building/<name>, and only the last step, when everything
   before it succeeded, swaps it in as the warehouse (orchestration/publish.py): a failed or killed
   run leaves the published warehouse as it was,
4. prints which file was published, documents by parse status, rows per mart table, and failed dbt
   tests / asset checks (read from the published warehouse, or from the unpublished build if the run failed).

Exit status: 0 when every step succeeded, no dbt test failed with severity error and the build was
published (or nothing was new since the published build: --rebuild builds anyway), 1 otherwise, 75
(EX_TEMPFAIL) when --no-wait found another build running.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path

from orchestration import settings

JOB_NAME = "build_warehouse"
_WRAPPER_ERRORS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"}
MARTS_SCHEMA = "marts"

_DAGSTER_YAML = """\
# Written by orchestration/run.py: local run history for `make run` (gitignored).
telemetry:
  enabled: false
"""


def _prepare_dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or settings.DEFAULT_DAGSTER_HOME).absolute()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(_DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _dbt_run_results(run_id: str) -> list[dict]:
    from orchestration.defs.dbt_models import RUN_TARGETS_DIR

    path = RUN_TARGETS_DIR / run_id[:8] / "run_results.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []


def _published(result) -> bool:
    from orchestration.defs.published import PUBLISHED_KEY

    return any(event.asset_key == PUBLISHED_KEY for event in result.get_asset_materialization_events())


def _nothing_new(result) -> bool:
    """The staging load succeeded and materialized nothing: it found nothing new (defs/staging.py)."""
    from orchestration.defs.staging import staging_load

    staged = {event.asset_key for event in result.get_asset_materialization_events()} & set(staging_load.keys)
    succeeded = {event.step_key for event in result.get_step_success_events()}
    return not staged and "staging_load" in succeeded


def _summarise(result, db: Path, elapsed: float) -> bool:
    """Print what the run built; return True if nothing failed and the build was published."""
    from orchestration.warehouse import connect, schema_row_counts

    published = _published(result)
    up_to_date = result.success and not published and _nothing_new(result)
    ok = result.success and (published or up_to_date)
    print()
    print(f"== budget warehouse: {db}")
    print(f"   Dagster run {result.run_id} ({'succeeded' if result.success else 'FAILED'}) in {elapsed:.1f} s")
    building = settings.building_path(db)
    if up_to_date:
        print(f"   Up to date: nothing is new since {db} was built (the same files, parser and dbt project), "
              f"so it stands as it is ({settings.ENV_REBUILD}=1 or ARGS=--rebuild builds anyway)")
        read = db
    elif published:
        print(f"   Published {db}: this build replaced the previous one in one step "
              "(programs that had the old one open keep reading it until they reopen the file)")
        read = db
    else:
        print(f"   NOT published: {db} is unchanged (it still holds the previous build, if any).")
        read = building if building.exists() else db
        if read == building:
            print(f"   This run's build, read below, stays in {building.parent} until the next run removes it.")
        elif db.exists():
            print("   Read below: the previous build.")

    for event in result.get_step_failure_events():
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None and error.cause is not None and error.cls_name in _WRAPPER_ERRORS:
            error = error.cause  # show the user's exception, not Dagster's wrapper
        message = " ".join(error.message.split()) if error else "?"
        message = message if len(message) <= 300 else message[:297] + "..."
        print(f"   step {event.step_key} failed: {message}")
    for event in result.get_step_skipped_events():
        if not up_to_date:
            print(f"   step {event.step_key} skipped (an upstream step failed)")

    if read.exists():
        try:
            with connect(read, read_only=True) as con:
                has_documents = con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
                    "AND table_schema = 'staging' AND table_name = 'documents'"
                ).fetchone()[0]
                if has_documents:
                    rows = con.execute(
                        "SELECT parse_status, count(*) FROM staging.documents GROUP BY 1 ORDER BY 1"
                    ).fetchall()
                    total = sum(n for _, n in rows)
                    by_status = ", ".join(f"{status}: {n}" for status, n in rows) or "none"
                    print(f"\nDocuments: {total} ({by_status})")
                    for path, code, message in con.execute(
                        "SELECT source_path, error_code, error_message FROM staging.documents "
                        "WHERE parse_status = 'failed' ORDER BY source_path"
                    ).fetchall():
                        print(f"   failed  {path}: {message} [{code}]")
                else:
                    print("\nDocuments: staging.documents was not written")

                marts = schema_row_counts(con, MARTS_SCHEMA)
                if marts:
                    width = max(len(name) for name in marts)
                    print(f"\nRows per table in schema {MARTS_SCHEMA}:")
                    for name, n in marts.items():
                        print(f"   {name:<{width}}  {n:>9,}")
                else:
                    print(f"\nSchema {MARTS_SCHEMA}: no tables")
        except Exception as exc:  # report, do not hide the run's own outcome
            ok = False
            print(f"\nCould not read the warehouse: {exc}")
    else:
        print("\nNo warehouse file was written.")

    checks = result.get_asset_check_evaluations()
    failed_checks = [c for c in checks if not c.passed]
    n_errors = sum(1 for c in failed_checks if getattr(c.severity, "value", "") == "ERROR")
    print(
        f"\nAsset checks (dbt tests): {len(checks)} evaluated, {len(checks) - len(failed_checks)} passed, "
        f"{n_errors} failed, {len(failed_checks) - n_errors} warned"
    )
    reported = set()
    for check in sorted(failed_checks, key=lambda c: (c.asset_key.to_user_string(), c.check_name)):
        severity = getattr(check.severity, "value", str(check.severity))
        failures = check.metadata.get("dagster_dbt/failed_row_count") if check.metadata else None
        extra = f", {failures.value} failing rows" if failures is not None else ""
        print(f"   {severity:<5} {check.asset_key.to_user_string()} :: {check.check_name}{extra}")
        reported.add(check.check_name)
        if severity == "ERROR":
            ok = False

    # dbt tests that are not asset checks (e.g. singular tests over several models), and dbt errors
    def _reported(unique_id: str) -> bool:
        parts = unique_id.split(".")
        name = parts[2] if unique_id.startswith("test.") and len(parts) > 2 else None
        return name is not None and (name in reported or re.sub(r"[^A-Za-z0-9_]", "_", name) in reported)

    run_results = _dbt_run_results(result.run_id)
    other = [
        r
        for r in run_results
        if r.get("status") in {"fail", "error", "warn"} and not _reported(r.get("unique_id", ""))
    ]
    skipped = [r.get("unique_id", "?") for r in run_results if r.get("status") == "skipped"]
    if other:
        print("\nOther dbt tests and nodes that did not pass (from run_results.json):")
        for r in other:
            uid = r.get("unique_id", "?")
            message = (r.get("message") or "").strip().splitlines()
            print(f"   {r.get('status'):<5} {uid}: {message[0] if message else ''}")
            if r.get("status") in {"fail", "error"}:
                ok = False

    if skipped:
        names = ", ".join(uid.split(".")[-1] for uid in skipped if not uid.startswith("test."))
        print(f"\ndbt skipped {len(skipped)} nodes after upstream failures" + (f"; models: {names}" if names else ""))

    if ok and up_to_date:
        print(f"\nOK: {db} is up to date; open it read-only with `duckdb -readonly {db}` (DuckDB 1.5.x)")
    elif ok:
        print(f"\nOK: published {db}; open it read-only with `duckdb -readonly {db}` (DuckDB 1.5.x)")
    else:
        print(f"\nFAILED: {db} was not replaced" + (f"; it still holds the previous build, open it read-only with "
              f"`duckdb -readonly {db}` (DuckDB 1.5.x)" if db.exists() else " (there is no warehouse yet)"))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.run", description=__doc__.splitlines()[0])
    parser.add_argument("--no-wait", action="store_true", help="stop at once if another build is running")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="only warnings from Dagster's log; dbt's output goes to DAGSTER_HOME/last_run_stdout.log",
    )
    parser.add_argument("--rebuild", action="store_true",
                        help=f"build even when nothing is new since the published warehouse (= {settings.ENV_REBUILD}=1)")
    args = parser.parse_args(argv)
    if args.rebuild:
        os.environ[settings.ENV_REBUILD] = "1"

    started = time.monotonic()
    dagster_home = _prepare_dagster_home()
    db = settings.export_warehouse_env()

    from orchestration.dbt_tools import ensure_manifest
    from orchestration.lock import WarehouseBusy, warehouse_lock

    try:
        with warehouse_lock("make run (python -m orchestration.run)", timeout=0 if args.no_wait else None):
            ensure_manifest(quiet=True)

            import dagster as dg

            from orchestration.definitions import defs

            job = defs().resolve_job_def(JOB_NAME)
            print(f"Building {db} (written as {settings.building_path(db)}, swapped in at the end; "
                  f"Dagster home {dagster_home})", file=sys.stderr, flush=True)
            run_config = {"loggers": {"console": {"config": {"log_level": "WARNING" if args.quiet else "INFO"}}}}
            # --quiet: dbt's own progress lines (written to stdout by dagster-dbt) go to a file instead
            log_path = dagster_home / "last_run_stdout.log"
            with contextlib.ExitStack() as stack:
                if args.quiet:
                    log_file = stack.enter_context(open(log_path, "w", encoding="utf-8"))
                    stack.enter_context(contextlib.redirect_stdout(log_file))
                instance = stack.enter_context(dg.DagsterInstance.get())
                result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config)
            ok = _summarise(result, db, time.monotonic() - started)
            if args.quiet:
                print(f"(dbt's output of this run: {log_path})")
    except WarehouseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 75  # EX_TEMPFAIL
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
