"""The Dagster side: the asset graph as a reviewed snapshot, documents as partitions keyed by content hash,
the inbox sensor, and the parse cache that lets a run parse only what is new."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest
from conftest import ROOT, SAMPLES

SNAPSHOT = ROOT / "tests" / "snapshots" / "asset_graph.txt"


def _graph_snapshot() -> str:
    from orchestration.definitions import defs

    d = defs()
    graph = d.resolve_asset_graph()
    lines = ["# assets (key | group | partitioned | upstream)"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parents = ",".join(sorted(p.to_user_string() for p in node.parent_keys))
        lines.append(f"{key.to_user_string()} | {node.group_name} | {node.partitions_def is not None} | {parents}")
    lines.append("# asset checks")
    lines += sorted(f"{c.asset_key.to_user_string()} :: {c.name}" for c in graph.asset_check_keys)
    lines.append("# jobs")
    lines += sorted(j.name for j in d.resolve_all_job_defs() if not j.name.startswith("__"))
    lines.append("# schedules")
    lines += sorted(f"{s.name} | {s.job_name} | {s.cron_schedule} | {s.execution_timezone} | {s.default_status.value}"
                    for s in d.schedules)
    lines.append("# sensors")
    lines += sorted(f"{s.name} | {','.join(sorted(j.name for j in s.jobs))} | {s.minimum_interval_seconds} s | "
                    f"{s.default_status.value}" for s in d.sensors)
    return "\n".join(lines) + "\n"


def test_the_asset_graph_is_the_reviewed_snapshot():
    """An asset, check, job, schedule or sensor added, removed or rewired shows up here and in review.
    After an intended change: UPDATE_SNAPSHOTS=1 make test, and commit tests/snapshots/asset_graph.txt."""
    got = _graph_snapshot()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(got, encoding="utf-8")
    want = SNAPSHOT.read_text(encoding="utf-8")
    assert got == want, "the asset graph changed: review the diff, then UPDATE_SNAPSHOTS=1 to accept it"


def test_the_snapshot_holds_what_the_issue_asks_for():
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert "nightly_build | build_warehouse | 0 2 * * * | Asia/Shanghai | RUNNING" in text
    assert "inbox_sensor | build_warehouse,parse_documents" in text
    assert "parsed_document | parse | True |" in text
    assert "marts/dq_results :: dq_R01_function_parent_equals_sum_of_children" in text  # rules as asset checks
    assert "staging/documents | staging | False | parsed_document" in text


def test_plan_inbox_parses_new_documents_then_builds_once():
    from orchestration.defs.documents import plan_inbox

    first = plan_inbox(["b", "a"], known_partitions={"a"}, parsed={"a"}, last_built=None)
    assert (first.new_partitions, first.parse, first.build_key) == (["b"], ["b"], None)
    ready = plan_inbox(["b", "a"], known_partitions={"a", "b"}, parsed={"a", "b"}, last_built=None)
    assert ready.new_partitions == [] and ready.parse == [] and ready.build_key
    again = plan_inbox(["a", "b"], known_partitions={"a", "b"}, parsed={"a", "b"}, last_built=ready.build_key)
    assert again.build_key is None  # nothing new: no second build
    changed = plan_inbox(["a"], known_partitions={"a", "b"}, parsed={"a", "b"}, last_built=ready.build_key)
    assert changed.build_key not in (None, ready.build_key)  # a file left: the warehouse is rebuilt
    bulk = plan_inbox(["a", "b", "c"], known_partitions=set(), parsed=set(), last_built=None, max_parse_runs=2)
    assert bulk.new_partitions == ["a", "b", "c"] and bulk.parse == [] and bulk.build_key  # one build parses them all


@pytest.fixture()
def isolated(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("BUDGET_WAREHOUSE_INBOX", str(inbox))
    monkeypatch.setenv("BUDGET_WAREHOUSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("BUDGET_WAREHOUSE_OCR", "off")
    return inbox


def test_the_inbox_sensor_adds_partitions_by_content_hash_and_requests_parses_then_a_build(isolated):
    from ingestion.batch import file_sha256
    from orchestration.defs.documents import documents_partitions, inbox_sensor, parsed_document

    shutil.copy(SAMPLES / "hengdong_2021_budget.txt", isolated / "hengdong_copy.txt")  # same content: one partition
    samples = sorted(file_sha256(p) for p in SAMPLES.glob("*.txt"))
    with dg.instance_for_test() as instance:
        result = inbox_sensor(dg.build_sensor_context(instance=instance))
        added = [k for r in result.dynamic_partitions_requests for k in r.partition_keys]
        assert sorted(added) == samples
        assert sorted(r.partition_key for r in result.run_requests) == samples
        assert {r.job_name for r in result.run_requests} == {"parse_documents"}

        instance.add_dynamic_partitions(documents_partitions.name, added)
        for sha in samples:  # what the parse runs do
            out = dg.materialize([parsed_document], partition_key=sha, instance=instance)
            assert out.success
        mats = out.asset_materializations_for_node("parsed_document")
        assert mats[0].metadata["parse_status"].value == "parsed"

        ctx = dg.build_sensor_context(instance=instance)
        result = inbox_sensor(ctx)
        assert [r.job_name for r in result.run_requests] == ["build_warehouse"]
        assert not result.dynamic_partitions_requests
        again = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=ctx.cursor))
        assert again.run_requests == []  # nothing new: nothing asked for

        (isolated / "new.txt").write_text("盐边县医疗保障局2020年部门决算\n收入总计100万元。", encoding="utf-8")
        result = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=ctx.cursor))
        new_sha = file_sha256(isolated / "new.txt")
        assert [r.partition_key for r in result.run_requests] == [new_sha]


def test_a_second_parse_of_unchanged_files_reads_the_cache_and_gives_the_same_frames(isolated, tmp_path):
    from ingestion import frames, parse_document
    from ingestion.batch import ParseCache, parse_many

    paths = sorted(SAMPLES.glob("*.txt")) + [ROOT / "data/corpus/jiangsu_provincial" / "江苏省人民检察院_2019年度部门预算公开.pdf"]
    cache = ParseCache(tmp_path / "cache")
    seen = []
    first = parse_many(paths, ROOT, cache=cache, workers=2, progress=seen.append)
    assert seen[-1].done == len(paths) and seen[-1].parsed == len(paths)
    seen.clear()
    second = parse_many(paths, ROOT, cache=cache, workers=2, progress=seen.append)
    assert seen[-1].parsed == 0  # nothing parsed again
    direct = [parse_document(p, ROOT) for p in paths]
    for name, frame in frames(direct).items():
        assert frames(first)[name].equals(frame), name
        assert frames(second)[name].equals(frame), name


def test_a_cache_written_by_another_parser_version_is_not_used(isolated, tmp_path, monkeypatch):
    from ingestion.batch import ParseCache, parse_many

    path = SAMPLES / "hengdong_2021_budget.txt"
    parse_many([path], ROOT, cache=ParseCache(tmp_path / "cache"))
    monkeypatch.setenv("BUDGET_WAREHOUSE_OCR", "on")  # a setting that changes what the parser reads
    seen = []
    parse_many([path], ROOT, cache=ParseCache(tmp_path / "cache"), progress=seen.append)
    assert seen[-1].parsed == 1


def test_a_cached_parse_is_told_which_file_it_now_comes_from(isolated, tmp_path):
    from ingestion.batch import ParseCache, parse_many

    copy = isolated / "renamed.txt"
    shutil.copy(SAMPLES / "luoyang_2020_budget.txt", copy)
    cache = ParseCache(tmp_path / "cache")
    parse_many([SAMPLES / "luoyang_2020_budget.txt"], ROOT, cache=cache)
    (doc,) = parse_many([copy], Path(isolated), cache=cache)
    assert (doc.source_path, doc.file_name) == ("renamed.txt", "renamed.txt")


def test_make_ui_serves_the_dagster_ui_with_the_project_loaded(tmp_path):
    """`make ui` starts the webserver (and the daemon) on 127.0.0.1; the asset graph, the schedule and the sensor
    are there."""
    import json
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path / "dh"), DAGSTER_PORT=str(port),
               BUDGET_WAREHOUSE_DB=str(tmp_path / "w.duckdb"), BUDGET_WAREHOUSE_INBOX=str(tmp_path / "inbox"),
               BUDGET_WAREHOUSE_CACHE=str(tmp_path / "cache"))
    ui = subprocess.Popen(["make", "-s", "ui"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          start_new_session=True)
    query = ('{"query": "{ assetNodes { assetKey { path } } '
             'repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name cronSchedule '
             'executionTimezone } sensors { name } } } } }"}')
    try:
        deadline, data = time.monotonic() + 180, None
        while time.monotonic() < deadline and data is None:
            time.sleep(2)
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=query.encode(),
                                             headers={"Content-Type": "application/json"})
                data = json.loads(urllib.request.urlopen(req, timeout=10).read())["data"]
                if not data["assetNodes"]:
                    data = None  # the code location is still loading
            except (OSError, ValueError, KeyError, TypeError):
                assert ui.poll() is None, ui.stdout.read().decode(errors="replace")
    finally:
        os.killpg(ui.pid, signal.SIGTERM)
        try:
            ui.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(ui.pid, signal.SIGKILL)
    assert data is not None, "the Dagster UI did not answer within 180 s"
    keys = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
    assert {"parsed_document", "staging/documents", "marts/fct_function_spending", "warehouse"} <= keys
    (repo,) = data["repositoriesOrError"]["nodes"]
    assert {"name": "nightly_build", "cronSchedule": "0 2 * * *", "executionTimezone": "Asia/Shanghai"} in repo["schedules"]
    assert {"name": "inbox_sensor"} in repo["sensors"]
