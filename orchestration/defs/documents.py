"""Documents as Dagster dynamic partitions, keyed by content hash (sha256), and the inbox sensor.

- `parsed_document` (one partition per distinct file content) parses one document into the parse cache
  (ingestion.batch.ParseCache). It writes no DuckDB file, so partitions can run side by side; the partition
  is the unit of parsing work.
- `inbox_sensor` looks at data/samples/ and the inbox: a new or changed file adds its content hash as a
  partition and asks for that partition to be parsed; once every current document is parsed (and the set of
  documents differs from the last one built), it asks for one `build_warehouse` run, which loads staging
  from the cache (parsing whatever is still missing), runs dbt and publishes.
- The nightly schedule (jobs.py) runs `build_warehouse` whatever the sensor did.
"""


import hashlib
from dataclasses import dataclass

import dagster as dg

from orchestration import settings
from orchestration.defs.jobs import build_warehouse

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")


@dg.asset(
    partitions_def=documents_partitions,
    group_name="parse",
    kinds={"python"},
    description=(
        "One disclosure file's content (partition key: its sha256) parsed into the parse cache: metadata, tables, "
        "spending line items and the other statements. The staging load reads these parses instead of parsing again."
    ),
)
def parsed_document(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from ingestion.batch import FileHashes, ParseCache, parse_into_cache

    sha = context.partition_key
    cache = ParseCache(settings.cache_path())
    hashes = FileHashes(cache.root)
    path = hashes.path_of(sha)
    if path is None:  # not seen by this machine's sensor: look for it
        import ingestion

        path = next((p for p in ingestion.discover(settings.source_roots()) if hashes.sha256(p) == sha), None)
        hashes.save()
    if path is None:
        raise dg.Failure(f"No file under {[str(r) for r in settings.source_roots()]} has the content {sha}.")
    doc = parse_into_cache(path, settings.REPO_ROOT, cache)
    return dg.MaterializeResult(metadata=parse_metadata(doc))


def parse_metadata(doc) -> dict:
    """What a parse of one document is shown with in Dagster (also defs/distributed.py's parse step)."""
    return {
        "source_path": doc.source_path,
        "parse_status": doc.parse_status,
        "error": doc.error_message or "",
        "tables": len(doc.tables),
        "line_items": len(doc.items),
        "statements": dg.MetadataValue.json({k: len(v) for k, v in doc.statements.items()}),
    }


parse_documents = dg.define_asset_job(
    name="parse_documents",
    selection=dg.AssetSelection.assets(parsed_document),
    partitions_def=documents_partitions,
    description="Parse one document (a partition: its content hash) into the parse cache.",
)


@dataclass
class InboxPlan:
    """What the sensor asks for, given the files it sees (a pure function of its inputs: tested alone)."""
    new_partitions: list[str]
    parse: list[str]  # partitions to parse
    build_key: str | None  # a build_warehouse run for this set of documents, when every one is parsed


# More new documents than this at once (a first load, a bulk copy): no run per document (each run costs a process
# start) but one build, whose staging load parses them in BUDGET_WAREHOUSE_WORKERS processes.
MAX_PARSE_RUNS = 20


def plan_inbox(current: list[str], known_partitions: set[str], parsed: set[str], last_built: str | None,
               max_parse_runs: int = MAX_PARSE_RUNS) -> InboxPlan:
    current = sorted(set(current))
    corpus_key = hashlib.sha256("\n".join(current).encode()).hexdigest()[:16]
    missing = [sha for sha in current if sha not in parsed]
    bulk = len(missing) > max_parse_runs
    return InboxPlan(
        new_partitions=[sha for sha in current if sha not in known_partitions],
        parse=[] if bulk else missing,
        build_key=corpus_key if current and (bulk or not missing) and corpus_key != last_built else None,
    )


@dg.sensor(
    name="inbox_sensor",
    jobs=[parse_documents, build_warehouse],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches data/samples/ and the inbox (BUDGET_WAREHOUSE_INBOX): parses each new or changed document as its "
        "own partition, then asks for one build of the warehouse once they are all parsed."
    ),
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    import ingestion
    from ingestion.api import max_bytes
    from ingestion.batch import FileHashes, ParseCache

    cache = ParseCache(settings.cache_path())
    hashes = FileHashes(cache.root)
    limit = max_bytes()
    current = [hashes.sha256(p) for p in ingestion.discover(settings.source_roots()) if p.stat().st_size <= limit]
    hashes.save()
    known = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    plan = plan_inbox(current, known, {sha for sha in current if sha in cache}, context.cursor or None)
    requests = [dg.RunRequest(run_key=f"parse-{sha}-{cache.dir.name}", partition_key=sha, job_name="parse_documents")
                for sha in plan.parse]
    if plan.build_key:
        requests.append(dg.RunRequest(run_key=f"build-{plan.build_key}", job_name="build_warehouse"))
        context.update_cursor(plan.build_key)
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=(
            [documents_partitions.build_add_request(plan.new_partitions)] if plan.new_partitions else []
        ),
    )
