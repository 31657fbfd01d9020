"""`parse_documents_distributed`: every document not yet in the parse cache parsed as its own step on a dask cluster.

The job is a graph with a dynamic output: `discover_unparsed_documents` looks at the files (data/samples/ and the
inbox: orchestration/settings.py) and yields one DynamicOutput per distinct content that the parse cache does
not hold (mapping key: its sha256); `parse_document_into_cache` runs once per content and parses it into the
parse cache with the function the `parsed_document` partitions use (ingestion.batch.parse_into_cache);
`summarize_distributed_parse` collects what each step did. Nothing is written to the warehouse: the next
`build_warehouse` run (`make run`, the schedule) finds the parses in the cache and parses nothing again.

The executor is dagster-dask's (orchestration/dask_executor.py: the same config, but mapped steps are handed out
as they appear, which dagster_dask.dask_executor does not do). Run config:

    # default: a dask LocalCluster for the run, one single-threaded worker per core
    execution: {config: {cluster: {local: {n_workers: 4}}}}
    # the workers of a running dask scheduler (`dask scheduler`, `dask worker tcp://host:8786`)
    execution: {config: {cluster: {existing: {address: "tcp://scheduler-host:8786"}}}}

e.g. `dagster job execute -m orchestration.definitions -j parse_documents_distributed -c run_config.yaml`.
The workers need what the steps need (orchestration/dask_executor.py): this repository's environment, the same
BUDGET_WAREHOUSE_* variables, the files and the parse cache at the same paths (a shared file system), and the
run's DAGSTER_HOME. The summary step fails if the parses were made under different parser fingerprints (workers
with other code or another BUDGET_WAREHOUSE_OCR) or if it cannot see them in the cache (a cache that is not
shared), since the staging load would then parse those documents again.
"""

import os
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.dask_executor import dask_executor
from orchestration.defs.documents import parse_metadata


def _dask_worker() -> str | None:
    """The address of the dask worker running this step (None outside dask)."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


@dg.op(
    out=dg.DynamicOut(dict),
    description="The files under data/samples/ and the inbox: one output per distinct content the parse cache lacks.",
)
def discover_unparsed_documents(context: dg.OpExecutionContext) -> Iterator[dg.DynamicOutput]:
    import ingestion
    from ingestion.api import max_bytes
    from ingestion.batch import FileHashes, ParseCache

    cache = ParseCache(settings.cache_path())
    hashes = FileHashes(cache.root)
    limit = max_bytes()
    paths = ingestion.discover(settings.source_roots())
    todo: dict[str, Path] = {}  # sha -> the first file with that content
    seen: set[str] = set()
    for path in paths:
        if path.stat().st_size > limit:  # recorded by the staging load without being read
            continue
        sha = hashes.sha256(path)
        if sha not in seen:
            seen.add(sha)
            if sha not in cache:
                todo[sha] = path
    hashes.save()
    context.log.info(f"{len(paths)} files, {len(seen)} contents, {len(seen) - len(todo)} already in the parse cache "
                     f"{cache.dir}: {len(todo)} to parse")
    for sha, path in todo.items():
        yield dg.DynamicOutput({"sha256": sha, "path": str(path)}, mapping_key=sha)


@dg.op(description="One document parsed into the parse cache (ingestion.batch.parse_into_cache), on a dask worker.")
def parse_document_into_cache(context: dg.OpExecutionContext, document: dict) -> dg.Output[dict]:
    from ingestion.batch import ParseCache, parse_into_cache

    cache = ParseCache(settings.cache_path())
    doc = parse_into_cache(Path(document["path"]), settings.REPO_ROOT, cache)
    if doc.sha256 != document["sha256"]:
        context.log.warning(f"{doc.source_path} changed since it was discovered: its new content was parsed")
    where = {"pid": os.getpid(), "host": socket.gethostname(), "dask_worker": _dask_worker() or ""}
    return dg.Output(
        {"sha256": doc.sha256, "source_path": doc.source_path, "parse_status": doc.parse_status,
         "fingerprint": cache.dir.name, **where},
        metadata={**parse_metadata(doc), **where, "fingerprint": cache.dir.name},
    )


@dg.op(description="What the parse steps did, by status and by dask worker; fails if the staging load would miss them.")
def summarize_distributed_parse(context: dg.OpExecutionContext, parses: list[dict]) -> dg.Output[dict]:
    from ingestion.batch import ParseCache

    cache = ParseCache(settings.cache_path())
    fingerprints = sorted({p["fingerprint"] for p in parses})
    if len(fingerprints) > 1:
        raise dg.Failure(f"The workers parsed under {len(fingerprints)} parser fingerprints {fingerprints}: they run "
                         "different code, reference catalogs or BUDGET_WAREHOUSE_OCR settings.")
    unseen = sorted(p["source_path"] for p in parses if p["sha256"] not in cache)
    if unseen:
        raise dg.Failure(f"{len(unseen)} parses are not in the parse cache {cache.dir} as this worker sees it "
                         f"(is BUDGET_WAREHOUSE_CACHE the same shared folder on every worker?): {unseen[:5]}")
    summary = {
        "documents": len(parses),
        "parse_status": dict(Counter(p["parse_status"] for p in parses)),
        "by_worker": dict(Counter(p["dask_worker"] or f"{p['host']}:{p['pid']}" for p in parses)),
        "fingerprint": fingerprints[0] if fingerprints else cache.dir.name,
    }
    context.log.info(f"Parsed {summary['documents']} documents into {cache.dir}: {summary['parse_status']}, "
                     f"by worker {summary['by_worker']}")
    return dg.Output(summary, metadata={k: dg.MetadataValue.json(v) if isinstance(v, dict) else v
                                        for k, v in summary.items()})


@dg.job(
    executor_def=dask_executor,
    description=(
        "Parse every discovered document the parse cache lacks, one step per document, on a dask cluster "
        "(run config `execution: {config: {cluster: {existing: {address: tcp://...}}}}`; default: a local one)."
    ),
)
def parse_documents_distributed():
    summarize_distributed_parse(discover_unparsed_documents().map(parse_document_into_cache).collect())
