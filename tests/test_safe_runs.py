"""Safe runs: a build never damages the published warehouse, and rebuilding gives the same marts.

Real builds (`python -m orchestration.run`, the five samples plus a small temporary inbox) into a
temporary warehouse, sharing their builds (two complete builds and one killed half-way, about 80 s):

- `baseline`: the first build;
- `scenario`: this process opens the published warehouse read-only (a researcher's DuckDB shell)
  and keeps it open throughout. Build A starts; B with --no-wait stops at once (exit 75) naming A;
  C starts and waits for A; A is killed (SIGKILL, A alone, as `kill -9` would) while its dbt
  subprocess runs; the published warehouse is read; C, the next run, must clean up after A and
  publish, the open reader notwithstanding, and the reader still reads the build it opened.

Then: the marts of the two complete builds (baseline and C) are equal, row by row (all rows of
every table of schema marts, sorted), and no file under data/samples/ or the inbox was modified,
moved or deleted. The kill needs Linux (/proc finds the dbt subprocess).
The fast tests at the end check orchestration/publish.py on small DuckDB files.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES

BUILD_TIMEOUT_S = 600


@dataclasses.dataclass
class Site:
    tmp: Path
    db: Path
    inbox: Path
    home: Path

    @property
    def building_dir(self) -> Path:
        return self.db.with_name(self.db.name + ".building")

    @property
    def lock(self) -> Path:
        return self.db.with_name(self.db.name + ".lock")

    def env(self, **extra: str) -> dict[str, str]:
        # every build here must really build (and be killed, wait or publish): without REBUILD a second build
        # of the same files would find nothing new and stop after parsing
        return dict(os.environ, BUDGET_WAREHOUSE_DB=str(self.db), BUDGET_WAREHOUSE_INBOX=str(self.inbox),
                    DAGSTER_HOME=str(self.home), BUDGET_WAREHOUSE_REBUILD="1", **extra)


RUN = [sys.executable, "-m", "orchestration.run", "--quiet"]


def _build(site: Site, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*RUN, *args], cwd=ROOT, env=site.env(**env), capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_S)


def _output(run) -> str:
    return f"exit {run.returncode}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"


def _marts(db: Path) -> dict[str, tuple[list, list]]:
    """Every table of schema marts: its columns and types, and all its rows, sorted."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = 'marts' ORDER BY 1").fetchall()]
        return {t: (con.execute(f'DESCRIBE marts."{t}"').fetchall(),
                    con.execute(f'SELECT * FROM marts."{t}" ORDER BY ALL').fetchall()) for t in tables}


def _differences(a: dict, b: dict) -> list[str]:
    out = [f"table only in one build: {t}" for t in sorted(set(a) ^ set(b))]
    for t in sorted(set(a) & set(b)):
        (cols_a, rows_a), (cols_b, rows_b) = a[t], b[t]
        if cols_a != cols_b:
            out.append(f"{t}: columns differ: {cols_a} != {cols_b}")
        elif rows_a != rows_b:
            seen_a, seen_b = {repr(r) for r in rows_a}, {repr(r) for r in rows_b}
            only_a = [r for r in rows_a if repr(r) not in seen_b][:3]
            only_b = [r for r in rows_b if repr(r) not in seen_a][:3]
            out.append(f"{t}: {len(rows_a)} vs {len(rows_b)} rows; first only in one: {only_a} / {only_b}")
    return out


def _fingerprints(*roots: Path) -> dict[str, tuple[str, int, int]]:
    """sha256, size and mtime (ns) of every file below the roots."""
    out = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            st = path.stat()
            out[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    return out


def _wait_for(predicate, timeout: float, what: str, *, explain=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{explain()}")
        time.sleep(0.2)


def _dbt_children(pid: int) -> list[int]:
    """Processes whose parent is `pid` and that run `dbt build` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and any(Path(a.decode(errors="replace")).name == "dbt" for a in args) and b"build" in args:
            found.append(int(entry.name))
    return found


def _no_wal_files(site: Site) -> list[str]:
    return sorted(p.name for p in site.tmp.rglob("*.wal"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    tmp = tmp_path_factory.mktemp("safe_runs")
    inbox = tmp / "inbox"
    (inbox / "2021").mkdir(parents=True)
    # a file the run reads (the same content as a sample under another name: one document, and a
    # `duplicate` in the ingest log) and one it cannot read; neither may be touched
    shutil.copy2(SAMPLES / "hengdong_2021_budget.txt", inbox / "2021" / "hengdong_copy.txt")
    (inbox / "notes.md").write_text("not a disclosure\n", encoding="utf-8")
    return Site(tmp=tmp, db=tmp / "warehouse.duckdb", inbox=inbox, home=tmp / "dagster_home")


@pytest.fixture(scope="module")
def raw_before(site) -> dict:
    return _fingerprints(SAMPLES, site.inbox)


@pytest.fixture(scope="module")
def baseline(site, raw_before) -> dict:
    started = time.monotonic()
    run = _build(site)
    assert run.returncode == 0, _output(run)
    assert f"Published {site.db}" in run.stdout, _output(run)
    return {"run": run, "marts": _marts(site.db), "seconds": time.monotonic() - started}


@pytest.fixture(scope="module")
def scenario(site, baseline) -> dict:
    """A builds, B --no-wait, C waits; A is killed inside dbt; C builds; a reader is open all along."""
    out: dict = {"published_before": site.db.stat()}
    logs = {name: site.tmp / f"{name}.log" for name in ("a_out", "a_err", "c_out", "c_err")}
    handles = {name: open(path, "w+", encoding="utf-8") for name, path in logs.items()}

    def text(name: str) -> str:
        return logs[name].read_text(encoding="utf-8", errors="replace")

    def explain() -> str:
        return "\n".join(f"--- {name}\n{text(name)[-3000:]}" for name in logs)

    a = c = None
    reader = duckdb.connect(str(site.db), read_only=True)  # a researcher's DuckDB shell, open throughout
    try:
        a = subprocess.Popen(RUN, cwd=ROOT, env=site.env(), stdout=handles["a_out"], stderr=handles["a_err"],
                             start_new_session=True)
        out["a_pid"] = a.pid
        _wait_for(lambda: f"pid {a.pid} " in site.lock.read_text() if site.lock.exists() else False, 120,
                  "build A to take the lock", explain=explain)

        # B: --no-wait while A builds
        started = time.monotonic()
        out["b"] = _build(site, "--no-wait")
        out["b_seconds"] = time.monotonic() - started

        # C: waits for A (the default), then is the next run after A was killed
        c = subprocess.Popen(RUN, cwd=ROOT, env=site.env(BUDGET_WAREHOUSE_LOCK_TIMEOUT="900"),
                             stdout=handles["c_out"], stderr=handles["c_err"], start_new_session=True)
        _wait_for(lambda: "Waiting for the warehouse lock" in text("c_err"), 120, "build C to wait for A",
                  explain=explain)

        # kill A while its dbt subprocess runs
        _wait_for(lambda: a.poll() is not None or _dbt_children(a.pid), 300, "build A to start dbt", explain=explain)
        assert a.poll() is None, "build A ended before it could be killed\n" + explain()
        time.sleep(2.0)  # let dbt write into the building file for a while
        dbt_pids = _dbt_children(a.pid)
        out["dbt_was_running"] = bool(dbt_pids)
        out["building_existed"] = (site.building_dir / site.db.name).exists()
        os.kill(a.pid, signal.SIGKILL)
        a.wait(timeout=30)
        out["a_returncode"] = a.returncode

        # what a reader sees now
        out["published_after_kill"] = site.db.stat()
        out["marts_after_kill"] = _marts(site.db)

        c.wait(timeout=BUILD_TIMEOUT_S)
        out["c_returncode"] = c.returncode
        out["c_stdout"], out["c_stderr"] = text("c_out"), text("c_err")
        # the reader still reads the build it opened, all of it (this process's DuckDB keeps that file
        # open, so close the reader before opening the warehouse again)
        out["reader_view"] = {t: reader.execute(f'SELECT * FROM marts."{t}" ORDER BY ALL').fetchall()
                              for t in baseline["marts"]}
        reader.close()
        out["after_c"] = {
            "published": site.db.stat(),
            "building_dir_exists": site.building_dir.exists(),
            "wal_files": _no_wal_files(site),
            "marts": _marts(site.db) if c.returncode == 0 else None,
        }
        return out
    finally:
        reader.close()
        for proc in (a, c):  # and the dbt subprocess a killed A leaves behind (same process group)
            if proc is not None:
                if proc.poll() is None:
                    proc.kill()
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                proc.wait(timeout=30)
        for handle in handles.values():
            handle.close()


# -- 1. build into a new file, swap it in; readers do not block a build -------------------------------

def test_a_build_publishes_one_file_and_leaves_no_building_folder_or_wal(site, baseline):
    assert site.db.exists()
    assert not site.building_dir.exists()
    assert _no_wal_files(site) == []
    assert baseline["marts"], "no tables in schema marts"
    assert "\nDocuments: " in baseline["run"].stdout, _output(baseline["run"])


def test_an_open_read_only_connection_does_not_block_the_build(site, scenario):
    assert scenario["c_returncode"] == 0, scenario["c_stdout"] + scenario["c_stderr"]
    assert f"Published {site.db}" in scenario["c_stdout"], scenario["c_stdout"]
    assert scenario["after_c"]["published"].st_ino != scenario["published_before"].st_ino, "written in place"


def test_a_reader_keeps_the_build_it_opened(baseline, scenario):
    assert scenario["reader_view"] == {t: rows for t, (_, rows) in baseline["marts"].items()}


# -- 3. twice the same inputs, twice the same marts ---------------------------------------------------

def test_building_twice_gives_identical_marts(baseline, scenario):
    assert scenario["after_c"]["marts"] is not None, scenario["c_stdout"] + scenario["c_stderr"]
    assert _differences(baseline["marts"], scenario["after_c"]["marts"]) == []


# -- 2. two runs at once -------------------------------------------------------------------------------

def test_a_second_build_with_no_wait_stops_at_once_naming_the_holder(scenario):
    b = scenario["b"]
    assert b.returncode == 75, _output(b)
    assert f"pid {scenario['a_pid']} " in b.stderr, _output(b)
    assert "is being built by" in b.stderr and "Not waiting" in b.stderr, _output(b)
    assert scenario["b_seconds"] < 30


def test_a_second_build_waits_for_the_first(scenario):
    assert f"held by pid {scenario['a_pid']} " in scenario["c_stderr"], scenario["c_stderr"]
    assert "Got the warehouse lock" in scenario["c_stderr"], scenario["c_stderr"]


# -- 4. a killed run -----------------------------------------------------------------------------------

def test_the_run_was_killed_inside_its_dbt_step(scenario):
    assert scenario["dbt_was_running"] and scenario["building_existed"]
    assert scenario["a_returncode"] == -signal.SIGKILL


def test_a_killed_run_leaves_the_published_warehouse_untouched(baseline, scenario):
    before, after = scenario["published_before"], scenario["published_after_kill"]
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert _differences(baseline["marts"], scenario["marts_after_kill"]) == []


def test_the_next_run_cleans_up_after_the_killed_one_and_publishes(site, baseline, scenario):
    output = f"--- stdout\n{scenario['c_stdout']}\n--- stderr\n{scenario['c_stderr']}"
    assert scenario["c_returncode"] == 0, output
    assert f"Removed {site.building_dir}, left by an earlier build that did not finish" in scenario["c_stderr"], output
    assert f"Published {site.db}" in scenario["c_stdout"], output
    after = scenario["after_c"]
    assert not after["building_dir_exists"] and after["wal_files"] == []
    assert _differences(baseline["marts"], after["marts"]) == []


# -- 5. raw files ------------------------------------------------------------------------------------------

def test_raw_files_are_never_modified_moved_or_deleted(site, raw_before, baseline, scenario):
    assert _fingerprints(SAMPLES, site.inbox) == raw_before


# -- orchestration/publish.py on small files (no build) ----------------------------------------------------

def _small_warehouse(path: Path, value: int, *, marts: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA staging; CREATE TABLE staging.documents AS SELECT 1 AS n")
        if marts:
            con.execute(f"CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT {value} AS v")


def _value(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT v FROM marts.t").fetchone()[0]


def _hold_open(db: Path, *, read_only: bool) -> subprocess.Popen:
    """Another process holding `db` open (like a DuckDB shell): it answers `query` lines with marts.t's
    value and closes when its stdin does."""
    code = (f"import duckdb, sys; c = duckdb.connect({str(db)!r}, read_only={read_only}); print('open', flush=True)\n"
            "for line in sys.stdin: print(c.execute('SELECT v FROM marts.t').fetchone()[0], flush=True)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def _ask(proc: subprocess.Popen) -> int:
    proc.stdin.write("query\n")
    proc.stdin.flush()
    return int(proc.stdout.readline())


def _release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=30)


def test_publish_swaps_in_the_building_file_and_removes_a_stale_wal(tmp_path):
    from orchestration import settings
    from orchestration.publish import publish

    db = tmp_path / "warehouse.duckdb"
    _small_warehouse(db, 1)
    _small_warehouse(settings.building_path(db), 2)
    (tmp_path / "warehouse.duckdb.wal").write_bytes(b"a crashed writer's log")
    reader = _hold_open(db, read_only=True)  # a reader does not hold up the swap ...
    try:
        assert _ask(reader) == 1
        assert publish(db, wait_s=5) == db
        assert _ask(reader) == 1  # ... and goes on reading the file it opened
        assert _value(db) == 2  # while a new connection reads the new one
    finally:
        _release(reader)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_publish_refuses_a_build_without_marts(tmp_path):
    from orchestration import settings
    from orchestration.publish import PublishRefused, publish

    db = tmp_path / "warehouse.duckdb"
    _small_warehouse(db, 1)
    _small_warehouse(settings.building_path(db), 2, marts=False)
    with pytest.raises(PublishRefused, match="marts"):
        publish(db)
    assert _value(db) == 1


def test_publish_does_not_replace_a_file_open_read_write_elsewhere(tmp_path):
    from orchestration import settings
    from orchestration.publish import publish
    from orchestration.warehouse import WarehouseInUse

    db = tmp_path / "warehouse.duckdb"
    _small_warehouse(db, 1)
    _small_warehouse(settings.building_path(db), 2)
    writer = _hold_open(db, read_only=False)
    try:
        with pytest.raises(WarehouseInUse, match="open read-write"):
            publish(db, wait_s=1)
    finally:
        _release(writer)
    assert _value(db) == 1
    assert settings.building_path(db).exists()  # kept for inspection; the next run removes it


def test_a_stale_building_file_still_open_is_removed_once_released(tmp_path):
    from orchestration import settings
    from orchestration.publish import prepare, remove_stale
    from orchestration.warehouse import WarehouseInUse

    db = tmp_path / "warehouse.duckdb"
    stale = settings.building_path(db)
    _small_warehouse(stale, 3)
    orphan = _hold_open(stale, read_only=False)  # like the dbt of a killed build
    try:
        with pytest.raises(WarehouseInUse, match="still open"):
            remove_stale(db, wait_s=1, say=lambda _: None)
    finally:
        _release(orphan)
    assert prepare(db, copy_published=False, say=lambda _: None) == stale
    assert not stale.exists() and stale.parent.is_dir()
