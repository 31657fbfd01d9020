"""The researcher's day: `make sql` (a read-only shell that never blocks the nightly build) and `make export`
(every mart as Parquet and CSV with a manifest)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import duckdb
import polars as pl
from conftest import ROOT


def _env(db, **extra):
    return dict(os.environ, BUDGET_WAREHOUSE_DB=str(db), **extra)


def test_make_export_writes_every_mart_as_parquet_and_excel_ready_csv_with_a_manifest(warehouse, tmp_path):
    out = tmp_path / "export"
    run = subprocess.run(["make", "-s", "export", f"ARGS=--out {out}"], cwd=ROOT, env=_env(warehouse),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = {r[0]: con.execute(f"select count(*) from marts.{r[0]}").fetchone()[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        names = con.execute("select region_name from marts.dim_document order by 1").fetchall()
    assert {t["table"]: t["rows"] for t in manifest["tables"]} == {f"marts.{k}": v for k, v in marts.items()}
    for t in manifest["tables"]:
        for kind in ("parquet", "csv"):
            path = out / t[kind]["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == t[kind]["sha256"]
        assert pl.read_parquet(out / t["parquet"]["file"]).height == t["rows"]
    csv = (out / "csv" / "dim_document.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    text = csv.decode("utf-8-sig")
    assert all(name in text for (name,) in names) and "丹凤县" in text
    amounts = pl.read_parquet(out / "parquet" / "fct_function_spending.parquet")
    assert isinstance(amounts.schema["amount_yuan"], pl.Decimal)  # Parquet keeps the types

    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "orchestration.export", "--out", str(again)], cwd=ROOT, env=_env(warehouse),
                   check=True, capture_output=True, timeout=300)
    second = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert [t["csv"]["sha256"] for t in second["tables"]] == [t["csv"]["sha256"] for t in manifest["tables"]]


def test_make_export_without_a_warehouse_says_so(tmp_path):
    run = subprocess.run([sys.executable, "-m", "orchestration.export", "--out", str(tmp_path / "x")], cwd=ROOT,
                         env=_env(tmp_path / "none.duckdb"), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "run `make run` first" in run.stderr


def test_make_sql_opens_the_published_warehouse_and_a_build_is_not_blocked_by_it(warehouse, tmp_path):
    db = tmp_path / "published.duckdb"
    shutil.copy(warehouse, db)
    with duckdb.connect(str(db), read_only=True) as con:
        n_functions = con.execute("select count(*) from marts.fct_function_spending").fetchone()[0]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # REBUILD: the same files as the copied warehouse's would be nothing new; this build must write and publish
    env = _env(db, BUDGET_WAREHOUSE_INBOX=str(inbox), DAGSTER_HOME=str(tmp_path / "dh"),
               BUDGET_WAREHOUSE_LOCK_TIMEOUT="0", BUDGET_WAREHOUSE_REBUILD="1")
    shell = subprocess.Popen(["make", "-s", "sql"], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        shell.stdin.write("select count(*) || ' documents' from marts.dim_document;\n")
        shell.stdin.flush()
        # the shell holds the published file open while the nightly build runs
        build = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=600)
        assert build.returncode == 0, build.stdout + build.stderr
        assert "Published" in build.stdout
        shell.stdin.write("select count(*) || ' functions' from marts.fct_function_spending;\n")
        out, err = shell.communicate(timeout=60)
    finally:
        shell.kill()
    assert shell.returncode == 0, err
    assert "5 documents" in out and f"{n_functions} functions" in out  # the file it opened, whole
    with duckdb.connect(str(db), read_only=True) as con:  # the new build, published beside it
        assert con.execute("select count(*) from marts.dim_document").fetchone()[0] == 5
