"""Writing the staging tables into the DuckDB warehouse, and reading it back.

The staging schema below mirrors docs/staging.md (the contract with the ingestion library). The
frames from `ingestion.frames()` are inserted by column name into tables created with these
types, so a type drift on the ingestion side is cast (or fails loudly) here instead of silently
changing the warehouse, and a column added or dropped on one side only stops the load with a
message naming it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import duckdb
import polars as pl

from ingestion.frames import STAGING_SCHEMAS

STAGING_SCHEMA = "staging"

def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision},{dtype.scale})"
    return {pl.Utf8: "VARCHAR", pl.Int32: "INTEGER", pl.Int64: "BIGINT", pl.Boolean: "BOOLEAN"}[dtype.base_type()]


# table -> [(column, DuckDB type)], in the order of docs/staging.md: derived from the one schema that
# ingestion.frames() writes to, so the contract is stated once
STAGING_TABLES: dict[str, list[tuple[str, str]]] = {
    table: [(name, _duckdb_type(dtype)) for name, dtype in schema.items()] for table, schema in STAGING_SCHEMAS.items()
}


class StagingContractError(ValueError):
    """ingestion.frames() returned something other than docs/staging.md describes."""


class WarehouseInUse(RuntimeError):
    """Another program (a DuckDB shell, DBeaver, a notebook) has the warehouse file open."""


def check_frames(frames: Mapping[str, pl.DataFrame]) -> None:
    problems = []
    missing_tables = sorted(set(STAGING_TABLES) - set(frames))
    extra_tables = sorted(set(frames) - set(STAGING_TABLES))
    if missing_tables:
        problems.append(f"missing frames {missing_tables}")
    if extra_tables:
        problems.append(f"unexpected frames {extra_tables}")
    for table, columns in STAGING_TABLES.items():
        if table not in frames:
            continue
        want = [name for name, _ in columns]
        got = list(frames[table].columns)
        if set(want) != set(got):
            missing = [c for c in want if c not in got]
            extra = [c for c in got if c not in want]
            problems.append(f"{table}: missing columns {missing}, unexpected columns {extra}")
    if problems:
        raise StagingContractError(
            "ingestion.frames() does not match docs/staging.md: " + "; ".join(problems)
        )


@contextlib.contextmanager
def connect(db: Path, *, read_only: bool = False, wait_s: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (retrying briefly if another program holds DuckDB's own file lock); always closes."""
    if read_only and not db.exists():
        raise FileNotFoundError(f"No warehouse at {db}")
    db.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(str(db), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseInUse(
                    f"The warehouse file {db} is open in another program, so it cannot be "
                    f"{'read' if read_only else 'written'}. Close that program (a DuckDB shell, DBeaver, a "
                    f"notebook holding a connection) and run again. DuckDB said: {exc}"
                ) from exc
            time.sleep(0.5)
    try:
        yield con
    finally:
        con.close()


BUILD_SCHEMA = "build"  # what the build was made of (build.inputs), to tell a run with nothing new


def write_staging(db: Path, frames: Mapping[str, pl.DataFrame], batches: Iterable[Mapping[str, pl.DataFrame]] = (),
                  *, inputs_key: str | None = None) -> dict[str, int]:
    """Replace the staging schema's tables with `frames` in one transaction; return rows per table.

    `frames` holds every table's frame, or (a streamed load) some of them, the rest arriving in `batches`, a
    few documents' frames at a time, so that a large corpus is never in memory at once. `inputs_key` (what
    the load was made of: files, parser, dbt project) goes to build.inputs.

    Readers never see a half-written staging schema: either the whole new load commits or the
    old contents stay. The connection is closed before returning (dbt needs the file next).
    """
    streamed = batches != ()
    if not streamed:
        check_frames(frames)
    counts: dict[str, int] = {}
    with connect(db) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {STAGING_SCHEMA}")
            for table, columns in STAGING_TABLES.items():
                ddl = ", ".join(f'"{name}" {type_}' for name, type_ in columns)
                con.execute(f'CREATE OR REPLACE TABLE {STAGING_SCHEMA}."{table}" ({ddl})')
            seen = set(frames)
            for table, frame in frames.items():
                _insert(con, table, frame)
            for batch in batches:
                seen |= set(batch)
                for table, frame in batch.items():
                    _insert(con, table, frame)
            if streamed and seen != set(STAGING_TABLES):
                raise StagingContractError(f"the streamed load wrote {sorted(seen)}, not {sorted(STAGING_TABLES)}")
            for table in STAGING_TABLES:
                counts[table] = con.execute(f'SELECT count(*) FROM {STAGING_SCHEMA}."{table}"').fetchone()[0]
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {BUILD_SCHEMA}")
            con.execute(f"CREATE OR REPLACE TABLE {BUILD_SCHEMA}.inputs (inputs_key VARCHAR, loaded_at TIMESTAMPTZ)")
            con.execute(f"INSERT INTO {BUILD_SCHEMA}.inputs VALUES (?, now())", [inputs_key])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return counts


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if table not in STAGING_TABLES:
        raise StagingContractError(f"unexpected frame {table!r}: not in docs/staging.md")
    names = [name for name, _ in STAGING_TABLES[table]]
    if set(frame.columns) != set(names):
        missing = [c for c in names if c not in frame.columns]
        extra = [c for c in frame.columns if c not in names]
        raise StagingContractError(f"ingestion.frames() does not match docs/staging.md: {table}: missing columns "
                                   f"{missing}, unexpected columns {extra}")
    if frame.height:
        view = f"__incoming_{table}"
        con.register(view, frame.select(names).to_arrow())
        con.execute(f'INSERT INTO {STAGING_SCHEMA}."{table}" BY NAME SELECT * FROM {view}')
        con.unregister(view)


def published_inputs_key(db: Path) -> str | None:
    """What the published warehouse was built from (build.inputs), or None (no warehouse, or an older one)."""
    if not db.exists():
        return None
    try:
        with connect(db, read_only=True, wait_s=0) as con:
            row = con.execute(f"SELECT inputs_key FROM {BUILD_SCHEMA}.inputs").fetchone()
    except (duckdb.Error, WarehouseInUse):
        return None
    return row[0] if row else None


def schema_row_counts(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, int]:
    """Rows per table or view of `schema` in the warehouse; empty if the schema does not exist."""
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = ? ORDER BY table_name",
            [schema],
        ).fetchall()
    ]
    return {
        t: con.execute(f'SELECT count(*) FROM "{schema}"."{t}"').fetchone()[0] for t in tables
    }
