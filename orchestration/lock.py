"""One build at a time: an exclusive file lock beside the warehouse file.

DuckDB lets one process write a file at a time, and dbt-duckdb does not retry when the file is
locked. Every writer of the warehouse (a run, through the warehouse resource: it writes the
building file beside the warehouse and swaps it in, orchestration/publish.py; `make run` as a whole;
`make docs`) takes this lock first, so two runs never share a building file. The lock is re-entrant inside one process, so `make run` can hold
it for the whole run while the assets it executes take it again for their own step.

A second build waits (printing who holds the lock) up to BUDGET_WAREHOUSE_LOCK_TIMEOUT seconds
(default 1800; 0 = stop at once). The lock is an OS lock (flock): it is released when the holder
exits, even if killed, so a stale lock file on disk never blocks anything.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from orchestration import settings


class WarehouseBusy(RuntimeError):
    """Another build holds the warehouse lock and did not release it in time."""


def _lock_for(path: Path) -> FileLock:
    # is_singleton: one instance per path in this process, so nested acquisitions count up instead of
    # deadlocking; thread_local=False: the count is shared by the threads of the process.
    return FileLock(str(path), is_singleton=True, thread_local=False)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return text


def _describe_self(purpose: str) -> str:
    now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return f"pid {os.getpid()} on {socket.gethostname()} since {now}: {purpose}"


@contextlib.contextmanager
def warehouse_lock(
    purpose: str,
    *,
    db: Path | None = None,
    timeout: float | None = None,
    say: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the build lock of the warehouse `db` (default: the configured one) for the block.

    `purpose` is written into the lock file so that a waiting build can say who it waits for.
    """
    db = db or settings.warehouse_path()
    path = settings.lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    timeout = settings.lock_timeout() if timeout is None else timeout
    say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
    lock = _lock_for(path)

    try:
        lock.acquire(blocking=False)
    except Timeout:
        holder = _holder(path) or "another process"
        if timeout <= 0:
            raise WarehouseBusy(
                f"The warehouse {db} is being built by {holder}. "
                "Not waiting for it; try again when it has finished."
            ) from None
        say(
            f"Waiting for the warehouse lock {path}: held by {holder}. "
            f"Waiting up to {timeout:.0f} s (set {settings.ENV_LOCK_TIMEOUT} to change, 0 to not wait)."
        )
        try:
            lock.acquire(timeout=timeout, poll_interval=0.5)
        except Timeout:
            raise WarehouseBusy(
                f"Gave up after {timeout:.0f} s waiting for the warehouse lock {path} "
                f"(held by {_holder(path) or 'another process'})."
            ) from None
        say(f"Got the warehouse lock {path}.")

    outermost = lock.lock_counter == 1
    try:
        if outermost:
            with contextlib.suppress(OSError):
                path.write_text(_describe_self(purpose) + "\n", encoding="utf-8")
        yield path
    finally:
        if outermost:
            with contextlib.suppress(OSError):
                path.write_text("", encoding="utf-8")
        lock.release()


def main(argv: list[str] | None = None) -> int:
    """`python -m orchestration.lock --check`: exit 1 (saying who) if a build holds the lock."""
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["--check"]:
        print("usage: python -m orchestration.lock --check", file=sys.stderr)
        return 2
    try:
        with warehouse_lock("lock check", timeout=0):
            return 0
    except WarehouseBusy as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
