"""The staging load: parse every disclosure and replace the warehouse's `staging` schema.

Files come from data/samples/ (always) and the inbox (data/inbox/ or BUDGET_WAREHOUSE_INBOX).
The frames of `ingestion.frames()` are written in one transaction (docs/staging.md); the dbt
sources `staging.*` carry meta.dagster.asset_key ["staging", <table>], so dbt models hang below
these assets in one graph.
"""

import hashlib
import os
from collections import Counter
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.defs.documents import documents_partitions, parsed_document
from orchestration.resources import WarehouseResource
from orchestration.warehouse import STAGING_TABLES, published_inputs_key, write_staging

STAGING_DESCRIPTIONS = {
    "ingest_log": "One row per file the run looked at: loaded, duplicate, superseded, failed, needs_ocr or unsupported, and why.",
    "documents": "One row per distinct file content (sha256): where it came from, what it is, how parsing went.",
    "tables": "One row per table recognised in a document.",
    "line_items": "One row per figure stated in a document, with its classification code, measure and amount in yuan.",
    "parse_issues": "What ingestion noticed and could not settle, per document.",
    "revenue_items": "One row per income figure a document states, by source, and the expenditure totals it balances them against.",
    "three_public_items": "One row per 三公经费 figure a document states (因公出国（境）, 公务接待, 公务用车购置, 公务用车运行维护, total), this year's and the previous year's.",
    "project_items": "One row per project a document lists: name, unit, amount, description.",
    "department_facts": "One row per fact a document states about the department: staff, vehicles, fixed assets, government procurement, 机关运行经费.",
    "performance_indicators": "One row per performance indicator: 一级/二级/三级 indicator, target and (final accounts) the achieved value.",
    "disclosure_tables": "One row per table a document says it holds, holds, or publishes empty, with the stated reason for an empty table.",
    "stated_execution": "One row per execution rate (完成预算 %) a final account states, with the final figure it goes with.",
}


LOAD_BATCH_DOCUMENTS = 50  # whole parses held at once while staging is written


def _builds_everything(context: dg.AssetExecutionContext) -> bool:
    """The run is a full build (the job `build_warehouse`, `make run`, the schedule), not a chosen subset."""
    return not context.dagster_run.asset_selection


def inputs_key(seen, parser: str) -> str:
    """What a build is made of: every file (path, content, what became of it), the parser's fingerprint and the
    dbt project and orchestration code. The same key as the published warehouse's means nothing is new."""
    h = hashlib.sha256(parser.encode())
    for s in sorted(seen, key=lambda s: s.doc.source_path):
        h.update(f"{s.doc.source_path}|{s.doc.sha256}|{s.status}|{s.doc.superseded_by}\n".encode())
    for root in (settings.DBT_PROJECT_DIR, Path(__file__).resolve().parents[1]):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not ({"target", "logs", "dbt_packages", "__pycache__"} & set(path.parts)):
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:20]


class _progress_reporter:
    """Progress of the parse on the terminal: documents done of total, rate, failures so far (at most every 2 s)."""

    def __init__(self, context: dg.AssetExecutionContext, every_s: float = 2.0):
        self.context, self.every_s, self.last, self.latest = context, every_s, 0.0, None

    def __call__(self, progress) -> None:
        self.latest = progress
        if progress.elapsed_s - self.last >= self.every_s or progress.done == progress.total:
            self.last = progress.elapsed_s
            self.context.log.info(f"Parsing: {progress}")

    def close(self) -> None:
        if self.latest is not None and self.last != self.latest.elapsed_s:
            self.context.log.info(f"Parsing: {self.latest}")


@dg.multi_asset(
    name="staging_load",
    specs=[
        dg.AssetSpec(
            key=["staging", table],
            group_name="staging",
            kinds={"python", "duckdb"},
            description=STAGING_DESCRIPTIONS[table],
            metadata={"dagster/table_name": f"staging.{table}"},
            deps=[parsed_document],
            skippable=True,  # a full build with nothing new materializes nothing (and so skips dbt and publish)
        )
        for table in STAGING_TABLES
    ],
    can_subset=False,
    description="Discover and parse the disclosures, then replace the staging schema in one transaction.",
)
def staging_load(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    import ingestion  # imported here so loading the definitions does not import the parsers

    roots = settings.source_roots()
    if os.environ.get(settings.ENV_INBOX) and not settings.inbox_path().is_dir():
        context.log.warning(
            f"{settings.ENV_INBOX}={settings.inbox_path()} is not a folder: loading data/samples/ only"
        )
    paths = ingestion.discover(roots)
    context.log.info(f"Discovered {len(paths)} files under {[str(r) for r in roots]}")

    from ingestion.batch import ParseCache, load_whole, parse_many, workers_setting
    from ingestion.frames import content_frames, file_frames, settled

    workers = workers_setting()
    cache = ParseCache(settings.cache_path())
    report = _progress_reporter(context)
    # summaries only: the whole parses stay in the cache and are read back a batch at a time (below), so
    # memory does not grow with the corpus
    docs = parse_many(paths, settings.REPO_ROOT, cache=cache, workers=workers, progress=report, summaries=True)
    report.close()
    known = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    new = sorted({d.sha256 for d in docs} - known)
    if new:  # every document loaded is a partition of `parsed_document`, however it arrived
        context.instance.add_dynamic_partitions(documents_partitions.name, new)
    seen = settled(docs)
    key = inputs_key(seen, cache.dir.name)
    if _builds_everything(context) and not settings.rebuild_always() and key == published_inputs_key(
            warehouse.published_path()):
        warehouse.discard_building()
        context.log.info(
            f"Nothing new: the {len(paths)} files, the parser and the dbt project are those the published warehouse "
            f"{warehouse.published_path()} was built from (inputs {key}). Nothing is loaded, dbt does not run and "
            f"the warehouse stands as it is ({settings.ENV_REBUILD}=1 or `make run ARGS=--rebuild` builds anyway)."
        )
        return
    head = file_frames(seen)

    documents = head["documents"]
    status_counts = dict(Counter(documents.get_column("parse_status").to_list()))
    failed = documents.filter(documents.get_column("parse_status") == "failed")
    for row in failed.select("source_path", "error_code", "error_message").iter_rows(named=True):
        context.log.warning(
            f"Could not parse {row['source_path']}: {row['error_message']} ({row['error_code']})"
        )

    def batches():
        loaded = [s.doc for s in seen if s.status != "duplicate"]
        batch = []
        for doc in load_whole(loaded, cache):
            batch.append(doc)
            if len(batch) >= LOAD_BATCH_DOCUMENTS:
                yield content_frames(batch)
                batch = []
        yield content_frames(batch)

    counts = write_staging(warehouse.path(), head, batches(), inputs_key=key)
    context.log.info(f"Wrote staging to {warehouse.path()}: {counts}")

    shared = {
        "documents": len(documents),
        "failures": len(failed),
        "parse_status": dg.MetadataValue.json(status_counts),
        "rows_per_table": dg.MetadataValue.json(counts),
        "files_discovered": len(paths),
        "sources": dg.MetadataValue.json([str(r) for r in roots]),
        "warehouse": dg.MetadataValue.path(str(warehouse.path())),
    }
    for table in STAGING_TABLES:
        metadata = {**shared, "dagster/row_count": dg.MetadataValue.int(counts[table])}
        if table == "documents" and len(failed):
            lines = ["| file | error |", "|---|---|"] + [
                f"| {r['source_path']} | {str(r['error_message']).replace('|', '/')} |"
                for r in failed.select("source_path", "error_message").iter_rows(named=True)
            ]
            metadata["failed_documents"] = dg.MetadataValue.md("\n".join(lines))
        yield dg.MaterializeResult(asset_key=["staging", table], metadata=metadata)
