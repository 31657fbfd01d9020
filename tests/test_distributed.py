"""`parse_documents_distributed` on a real dask cluster (orchestration/defs/distributed.py): one step per document
on the dask workers, and the parses it leaves in the cache give the same staging frames as the default parse."""
from __future__ import annotations

import os
import shutil
import signal

import dagster as dg
import polars as pl
import pytest
from conftest import ROOT
from polars.testing import assert_frame_equal

CORPUS = ROOT / "data" / "corpus" / "jiangsu_provincial"
PDFS = [  # three small Jiangsu provincial PDFs (tables across pages, a narrative with figures)
    "江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表.pdf",
    "江苏省委办公厅_江苏省委办公厅2018年度部门预算公开表.pdf",
    "江苏省委办公厅_江苏省委办公厅2017年部门预算.pdf",
]
PARSE_STEP = "parse_document_into_cache"
TIME_LIMIT_S = 240  # the whole test, cluster included; it takes about 15 s


def _out_of_time(signum, frame):
    raise TimeoutError(f"the distributed parse test took more than {TIME_LIMIT_S} s")


@pytest.fixture()
def time_limit():
    previous = signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_LIMIT_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture()
def sources(tmp_path, monkeypatch):
    """The five samples and three PDFs (in a temporary inbox), an empty temporary parse cache. Set before the
    cluster starts: its worker processes inherit the environment."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in PDFS:
        shutil.copy2(CORPUS / name, inbox / name)
    monkeypatch.setenv("BUDGET_WAREHOUSE_INBOX", str(inbox))
    monkeypatch.setenv("BUDGET_WAREHOUSE_CACHE", str(tmp_path / "cache"))
    import ingestion
    from orchestration import settings

    paths = ingestion.discover(settings.source_roots())
    assert len(paths) == 5 + len(PDFS), paths
    return paths


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _parse_steps(result) -> dict[str, dict]:
    """Per parse step (by step key): the process that reported it and what its output's metadata says."""
    steps = {}
    for event in result.all_events:
        if event.step_key and event.step_key.startswith(PARSE_STEP + "[") and event.event_type_value == "STEP_OUTPUT":
            meta = {k: v.value for k, v in event.event_specific_data.metadata.items()}
            steps[event.step_key] = {"event_pid": event.pid, **meta}
    return steps


def test_the_job_parses_one_step_per_document_on_the_dask_workers_into_the_same_facts(sources, tmp_path, time_limit):
    import ingestion
    from distributed import Client, LocalCluster
    from ingestion.batch import FileHashes, ParseCache, parse_many
    from orchestration import settings
    from orchestration.defs.distributed import parse_documents_distributed

    cache = ParseCache(settings.cache_path())
    shas = {FileHashes(None).sha256(p) for p in sources}
    assert len(shas) == len(sources) and not any(sha in cache for sha in shas)  # the cache starts empty
    home = tmp_path / "dagster_home"
    home.mkdir()

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, dg.DagsterInstance.local_temp(str(home)) as instance:
        worker_pids = client.run(os.getpid)  # {worker address: pid}
        assert len(worker_pids) == 2 and os.getpid() not in worker_pids.values()
        run_config = {"execution": {"config": {"cluster": {"existing": {"address": cluster.scheduler_address}}}}}
        with dg.execute_job(dg.reconstructable(parse_documents_distributed), instance=instance,
                            run_config=run_config) as result:
            assert result.success
            summary = result.output_for_node("summarize_distributed_parse")
            steps = _parse_steps(result)
        # nothing left to parse: a second run has no parse step
        with dg.execute_job(dg.reconstructable(parse_documents_distributed), instance=instance,
                            run_config=run_config) as again:
            assert again.success
            assert again.output_for_node("summarize_distributed_parse")["documents"] == 0
            assert not _parse_steps(again)

    # one step per distinct content, each on a dask worker process (its address and pid), never this process
    assert set(steps) == {f"{PARSE_STEP}[{sha}]" for sha in shas}
    for key, step in steps.items():
        assert step["pid"] == step["event_pid"] == worker_pids[step["dask_worker"]], (key, step, worker_pids)
        assert step["parse_status"] == "parsed", (key, step)
    used = {step["pid"] for step in steps.values()}
    assert len(used) == 2 and os.getpid() not in used, (used, worker_pids)
    assert summary["documents"] == len(shas) and summary["parse_status"] == {"parsed": len(shas)}
    assert sorted(summary["by_worker"]) == sorted(worker_pids) and summary["fingerprint"] == cache.dir.name

    # the staging load's read of the cache the workers wrote (it parses nothing) against the default parse
    assert all(cache.get(sha) is not None for sha in shas)
    progress = []
    from_dask = parse_many(sources, settings.REPO_ROOT, cache=cache, progress=progress.append)
    assert progress[-1].parsed == 0 and progress[-1].done == len(sources)
    default = parse_many(sources, settings.REPO_ROOT)
    got, want = ingestion.frames(from_dask), ingestion.frames(default)
    assert sorted(got) == sorted(want)
    # every table, every column: the documents frame holds no modification time or other volatile column
    for table in want:
        try:
            assert_frame_equal(_sorted(got[table]), _sorted(want[table]), check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"staging.{table} differs: {exc}") from None
    # and the comparison is not of empty frames
    assert got["documents"].height == len(shas)
    assert got["line_items"].get_column("document_id").n_unique() == len(shas)
    assert sum(got[t].height for t in ("revenue_items", "three_public_items", "project_items")) > 0


def test_the_executor_defaults_to_a_local_cluster_and_takes_an_existing_scheduler():
    from orchestration.defs.distributed import parse_documents_distributed

    default = dg.validate_run_config(parse_documents_distributed, {})
    assert default["execution"] == {"dask": {"cluster": {"local": {}}}}
    existing = {"execution": {"config": {"cluster": {"existing": {"address": "tcp://dask-scheduler.example:8786"}}}}}
    assert dg.validate_run_config(parse_documents_distributed, existing)["execution"]["dask"]["cluster"] == {
        "existing": {"address": "tcp://dask-scheduler.example:8786"}}
