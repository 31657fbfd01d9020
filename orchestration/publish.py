"""Build into a new file, then swap it in: the published warehouse is never written in place.

A run writes only its *building file*, ``<db>.building/<db name>`` (a folder beside the warehouse,
so the swap stays on one filesystem and the file keeps the warehouse's name: DuckDB names the
database after the file, and dbt's views refer to ``<that name>.staging.*``). When every step of
the run succeeded, `publish()` checkpoints and closes the building file and `os.replace`s it over
``<db>``: one atomic rename.

- A run that fails or is killed never touches ``<db>``: readers keep the previous build. A failed
  run's building folder stays for inspection; the next run removes it (`prepare()`).
- A program that has ``<db>`` open read-only (a DuckDB shell, DBeaver, a notebook) does not block
  the build, and keeps reading the build it opened (on Linux and macOS an open file survives the
  rename: it is the old inode); whatever opens ``<db>`` after the swap sees the new build.
- Only a program that has ``<db>`` open *read-write* delays the swap (its write-ahead log
  ``<db>.wal`` would not belong to the new file): `publish()` waits a little, then fails with a
  message, leaving ``<db>`` untouched.

All of this runs under the build lock (orchestration/lock.py), so two runs never share a building
file. A killed run's dbt subprocess can outlive it for a few seconds; `prepare()` waits until it
has let go of the stale building file before removing it, so that it cannot leave a
write-ahead log beside the next run's file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestration import settings
from orchestration.warehouse import WarehouseInUse


class PublishRefused(RuntimeError):
    """The building file is not a complete warehouse; the published one is left as it was."""


def _say_stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def wal_path(db: Path) -> Path:
    """DuckDB's write-ahead log of a database file: ``<file>.wal`` beside it."""
    return db.with_name(db.name + ".wal")


def _held_by_a_process(path: Path, *, writers_only: bool) -> bool:
    """True if another process holds DuckDB's lock on `path` (DuckDB takes an fcntl lock on its file:
    shared when read-only, exclusive when read-write). `writers_only`: ignore read-only holders.

    Never call this on a file that this process has open through DuckDB: closing our probe would
    drop this process's fcntl locks on that file.
    """
    try:
        fd = os.open(path, os.O_RDONLY if writers_only else os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, (fcntl.LOCK_SH if writers_only else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    except OSError:  # some filesystems refuse fsync on a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


def remove_stale(db: Path, *, wait_s: float = 120.0, say: Callable[[str], None] = _say_stderr) -> bool:
    """Remove the building folder a failed or killed run left beside `db`; True if there was one.

    Waits (up to `wait_s`) while a process still has the stale file open: the dbt subprocess of a
    killed run finishes or dies on its own shortly after.
    """
    folder = settings.building_dir(db)
    if not folder.exists():
        return False
    stale = settings.building_path(db)
    deadline = time.monotonic() + wait_s
    said = False
    while _held_by_a_process(stale, writers_only=False):
        if time.monotonic() >= deadline:
            raise WarehouseInUse(
                f"{stale}, left by an earlier build that did not finish, is still open in another process "
                f"(probably the dbt of a killed build). Stop that process, then run again."
            )
        if not said:
            say(f"Waiting for a killed build's process to let go of {stale} ...")
            said = True
        time.sleep(0.5)
    if folder.is_dir():
        shutil.rmtree(folder)
    else:
        folder.unlink()
    say(f"Removed {folder}, left by an earlier build that did not finish.")
    return True


def prepare(db: Path, *, copy_published: bool, say: Callable[[str], None] = _say_stderr) -> Path:
    """Make a new building file for `db` and return its path.

    `copy_published` False: no file yet (the run creates it: a full build starts from nothing, so
    nothing of an earlier build can linger). True: a copy of the published warehouse, for runs that
    rebuild only some assets (the rest comes from the last published build).
    """
    remove_stale(db, say=say)
    building = settings.building_path(db)
    building.parent.mkdir(parents=True)
    if copy_published and db.exists():
        # The published file was checkpointed before it was published: it is complete without a WAL.
        shutil.copyfile(db, building)
    return building


def _check_complete(con) -> None:
    tables = dict(
        con.execute(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_catalog = current_database() GROUP BY 1"
        ).fetchall()
    )
    missing = [schema for schema in ("staging", "marts") if not tables.get(schema)]
    if missing:
        raise PublishRefused(f"the build has no tables in schema {', '.join(missing)}; not publishing it")


def publish(db: Path, *, wait_s: float = 10.0, say: Callable[[str], None] = _say_stderr) -> Path:
    """Swap the building file in as `db` (atomically); return `db`.

    1. open the building file, check it has staging and marts tables, CHECKPOINT, close: the whole
       build is in the one file and no .wal is left beside it; flush it to disk;
    2. wait (up to `wait_s`) while a program has `db` open read-write; readers do not matter;
    3. remove a stale `<db>.wal` (a crashed writer's, which would otherwise be replayed into the
       new file), then os.replace the building file over `db`, flush the folder, and remove the
       building folder.
    """
    import duckdb

    building = settings.building_path(db)
    if not building.exists():
        raise PublishRefused(f"no building file {building}: nothing to publish")
    con = duckdb.connect(str(building))
    try:
        _check_complete(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if wal_path(building).exists():
        raise PublishRefused(f"{wal_path(building)} is still there after a checkpoint; not publishing")
    _fsync(building)

    deadline = time.monotonic() + wait_s
    said = False
    while _held_by_a_process(db, writers_only=True):
        if time.monotonic() >= deadline:
            raise WarehouseInUse(
                f"The warehouse file {db} is open read-write in another program, so the new build cannot "
                f"replace it. Close that program (open the warehouse read-only: `duckdb -readonly {db}`) and "
                f"run again. The previous warehouse is unchanged; the new build was left in {building.parent}."
            )
        if not said:
            say(f"{db} is open read-write in another program; waiting up to {wait_s:.0f} s for it to close")
            said = True
        time.sleep(0.5)

    with contextlib.suppress(FileNotFoundError):
        wal_path(db).unlink()
    os.replace(building, db)
    _fsync(db.parent, directory=True)
    shutil.rmtree(building.parent, ignore_errors=True)
    return db
