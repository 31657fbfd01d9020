"""Incremental by content hash: a full build whose files, parser and dbt project are those of the published
warehouse stops after parsing (nothing loaded, dbt not run, the file left as it is); a new file builds again.
And the streamed staging load (summaries in memory, whole parses a batch at a time from the cache) writes
exactly what the one-shot load writes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import ROOT, SAMPLES

RUN = [sys.executable, "-m", "orchestration.run", "--quiet"]
JIANGSU = ROOT / "data/corpus/jiangsu_provincial/江苏省政协办公厅_江苏省政协办公厅2019年预算公开表.pdf"


def _build(env) -> subprocess.CompletedProcess:
    return subprocess.run(RUN, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _documents(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(*) from marts.dim_document").fetchone()[0]


def test_a_build_with_nothing_new_leaves_the_warehouse_and_a_new_file_builds_again(tmp_path):
    db, inbox = tmp_path / "warehouse.duckdb", tmp_path / "inbox"
    inbox.mkdir()
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(db), BUDGET_WAREHOUSE_INBOX=str(inbox),
               DAGSTER_HOME=str(tmp_path / "dagster_home"), BUDGET_WAREHOUSE_CACHE=str(tmp_path / "cache"))
    env.pop("BUDGET_WAREHOUSE_REBUILD", None)
    first = _build(env)
    assert first.returncode == 0 and f"Published {db}" in first.stdout, first.stdout + first.stderr
    before = db.stat()

    again = _build(env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Up to date: nothing is new" in again.stdout and "Published" not in again.stdout, again.stdout
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the warehouse was rewritten"
    assert not db.with_name(db.name + ".building").exists()
    assert "Documents: 5 (parsed: 5)" in again.stdout  # the summary still reads the published build

    shutil.copy2(JIANGSU, inbox / JIANGSU.name)  # a new document
    third = _build(env)
    assert third.returncode == 0 and f"Published {db}" in third.stdout, third.stdout + third.stderr
    assert _documents(db) == 6

    forced = _build(dict(env, BUDGET_WAREHOUSE_REBUILD="1"))
    assert forced.returncode == 0 and f"Published {db}" in forced.stdout, forced.stdout + forced.stderr


def test_the_streamed_staging_load_writes_what_the_one_shot_load_writes(tmp_path):
    import ingestion
    from ingestion.batch import ParseCache, load_whole, parse_many
    from ingestion.frames import content_frames, file_frames, settled
    from orchestration.warehouse import STAGING_TABLES, write_staging

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLES / "hengdong_2021_budget.txt", inbox / "hengdong_copy.txt")  # a duplicate
    paths = ingestion.discover([SAMPLES, inbox, JIANGSU])
    whole = ingestion.frames(parse_many(paths, ROOT))
    write_staging(tmp_path / "one_shot.duckdb", whole)

    cache = ParseCache(tmp_path / "cache")
    summaries = parse_many(paths, ROOT, cache=cache, workers=2, summaries=True)
    assert all(not d.items and not d.statements for d in summaries), "summaries hold whole parses"
    assert sum(d.n_items for d in summaries) == sum(len(d.items) for d in parse_many(paths, ROOT))
    seen = settled(summaries)
    docs = [s.doc for s in seen if s.status != "duplicate"]
    batches = (content_frames(list(load_whole(docs[i:i + 2], cache))) for i in range(0, len(docs), 2))
    write_staging(tmp_path / "streamed.duckdb", file_frames(seen), batches, inputs_key="test")

    for table in STAGING_TABLES:
        query = f'select * from staging."{table}" order by all'
        with duckdb.connect(str(tmp_path / "one_shot.duckdb"), read_only=True) as a, \
                duckdb.connect(str(tmp_path / "streamed.duckdb"), read_only=True) as b:
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table
            assert b.execute(f'select count(*) from staging."{table}"').fetchone()[0] == whole[table].height
