"""`make bench`: how fast the parser and the build are, measured on a synthetic corpus, beside two baselines.

    python tests/bench/run.py [--sizes 10,100,1000] [--parity all|SIZE]

1. The corpus (tests/bench/corpus.py) is generated once into data/bench/corpus/ (deterministic: the first n
   documents of the largest set are the set of n); each set is a folder of hard links, data/bench/set-<n>/.
2. Per set, the PDFs are parsed three ways in two processes, each task timing its own CPU: the parser
   (PDFium fast path), PDFium's plain text (the floor) and pdfplumber's extract_tables on every page (naive).
   Rates are table pages per CPU second (per core). The parser's pdfplumber path reads the same PDFs and the
   staging frames of both paths are compared, document by document (parity).
3. Every document of the set is parsed with 1 worker and with 2 (wall time): the speed-up.
4. End to end: `python -m orchestration.run` (what `make run` runs) from nothing (new warehouse, cache and
   Dagster home) with the set as the inbox: wall time, documents per minute, the dbt step's time and the
   peak memory of the whole process tree (sampled from /proc every 0.2 s); then the same run again with
   nothing new.

Results: data/bench/results.md and results.json (a table per run; the figures the README and
docs/scaling.md quote come from there).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE.parent), str(ROOT)]

BENCH_DIR = Path(os.environ.get("BENCH_DIR", ROOT / "data" / "bench"))
SEED = 20261202


# -- the corpus --------------------------------------------------------------------------------------------

def corpus_sets(sizes: list[int]) -> dict[int, tuple[Path, list]]:
    from bench.corpus import generate

    started = time.monotonic()
    docs = generate(BENCH_DIR / "corpus", max(sizes), seed=SEED)
    took = time.monotonic() - started
    print(f"corpus: {len(docs)} documents in {BENCH_DIR / 'corpus'} ({took:.0f} s, generated or reused)", flush=True)
    sets = {}
    for n in sizes:
        folder = BENCH_DIR / f"set-{n}"
        wanted = {d.path.name for d in docs[:n]}
        if not folder.is_dir() or {p.name for p in folder.iterdir()} != wanted:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for d in docs[:n]:
                os.link(d.path, folder / d.path.name)
        sets[n] = (folder, docs[:n])
    return sets


# -- per-core rates, timed inside the worker -------------------------------------------------------------

def _timed(kind: str, path: str) -> tuple[str, float, object]:
    """One task in a worker: (path, CPU seconds, result)."""
    started = time.process_time()
    if kind in ("parser", "parser_pdfplumber"):
        os.environ["BUDGET_WAREHOUSE_PDF_ENGINE"] = "pdfium" if kind == "parser" else "pdfplumber"
        from ingestion import frames, parse_document

        result = _frame_rows(frames([parse_document(Path(path))]))
    elif kind == "tables":
        from ingestion.readers.pdf import read_tables

        result = len(read_tables(Path(path).read_bytes()))
    elif kind == "reader":
        from ingestion.readers.pdf import read

        result = len(read(Path(path).read_bytes()).blocks)
    elif kind == "pdfium_text":
        from bench.baselines import pdfium_text

        result = pdfium_text(Path(path))
    else:
        from bench.baselines import pdfplumber_tables

        result = pdfplumber_tables(Path(path))
    return path, time.process_time() - started, result


def _frame_rows(frames) -> dict:
    """The staging frames as comparable rows (everything but the file's place, which both paths share)."""
    return {name: frame.rows() for name, frame in frames.items()}


def _pool_map(kind: str, paths: list[Path], workers: int = 2) -> tuple[float, float, dict]:
    """Run `kind` over the paths in `workers` processes: (wall s, summed CPU s, {path: result})."""
    started = time.monotonic()
    out: dict = {}
    cpu = 0.0
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        for path, seconds, result in pool.map(_timed, [kind] * len(paths), [str(p) for p in paths], chunksize=1):
            cpu += seconds
            out[path] = result
    return time.monotonic() - started, cpu, out


def rates(docs: list, parity: bool) -> dict:
    pdfs = [d for d in docs if d.fmt == "pdf"]
    paths = [d.path for d in pdfs]
    table_pages = sum(d.n_table_pages or 0 for d in pdfs)
    pages = sum(d.n_pages or 0 for d in pdfs)
    out = {"pdfs": len(pdfs), "pdf_pages": pages, "table_pages": table_pages}
    kinds = ["tables", "reader", "parser", "pdfium_text", "pdfplumber_tables"] + (["parser_pdfplumber"] if parity else [])
    results = {}
    for kind in kinds:
        wall, cpu, results[kind] = _pool_map(kind, paths)
        out[kind] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                     "table_pages_per_core_s": round(table_pages / cpu, 1) if cpu else None}
        print(f"   {kind:<18} {cpu:7.1f} CPU s  {table_pages / cpu if cpu else 0:7.1f} table pages/s per core",
              flush=True)
    if parity:
        differ = [Path(p).name for p in paths if results["parser"][str(p)] != results["parser_pdfplumber"][str(p)]]
        out["parity"] = {"compared": len(paths), "differ": differ}
        print(f"   parity: {len(paths) - len(differ)}/{len(paths)} PDFs give the same staging frames both ways",
              flush=True)
    naive = out["pdfplumber_tables"]["table_pages_per_core_s"]
    for kind in ("tables", "reader", "parser"):
        out[kind]["vs_naive"] = round(out[kind]["table_pages_per_core_s"] / naive, 2) if naive else None
    return out


def scaling(docs: list) -> dict:
    """All documents of the set parsed with 1 and with 2 workers (fresh caches): wall time and speed-up."""
    from ingestion.batch import ParseCache, parse_many

    out = {}
    for workers in (1, 2):
        cache_dir = BENCH_DIR / f"scaling-cache-{workers}"
        shutil.rmtree(cache_dir, ignore_errors=True)
        started = time.monotonic()
        parse_many([d.path for d in docs], None, cache=ParseCache(cache_dir), workers=workers, summaries=True)
        out[f"workers_{workers}_s"] = round(time.monotonic() - started, 2)
        shutil.rmtree(cache_dir, ignore_errors=True)
        print(f"   parse with {workers} worker(s): {out[f'workers_{workers}_s']:.1f} s", flush=True)
    out["speedup_2_workers"] = round(out["workers_1_s"] / out["workers_2_s"], 2)
    return out


# -- end to end -----------------------------------------------------------------------------------------

def _role(pid: int, root: int) -> str:
    """What a process of the build is: the Dagster run itself, a parse worker, dbt (with DuckDB), or other."""
    if pid == root:
        return "dagster"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "other"
    if "multiprocessing" in cmdline:
        return "parse_workers"
    return "dbt" if "dbt" in cmdline else "other"


def _tree_rss_kb(root: int, roles: dict | None = None) -> tuple[int, int]:
    """(sum, largest) resident memory in kB of `root` and every process below it; `roles` collects the peak
    sum per role (_role)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            parents[int(entry)] = int(fields["PPid"])
            rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
        except (OSError, KeyError, ValueError):
            continue
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    values = [rss.get(pid, 0) for pid in tree]
    if roles is not None:
        now: dict[str, int] = {}
        for pid in tree:
            role = _role(pid, root)
            now[role] = now.get(role, 0) + rss.get(pid, 0)
        for role, kb in now.items():
            roles[role] = max(roles.get(role, 0), kb)
    return sum(values), max(values, default=0)


def _run_build(env: dict) -> dict:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"sum": 0, "largest": 0}
    roles: dict[str, int] = {}
    stop = threading.Event()

    def sample():
        while not stop.wait(0.2):
            total, largest = _tree_rss_kb(proc.pid, roles)
            peak["sum"], peak["largest"] = max(peak["sum"], total), max(peak["largest"], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"the build failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    run_id = next((line.split()[2] for line in stdout.splitlines() if line.strip().startswith("Dagster run ")), "")
    dbt_s = None
    try:
        from orchestration.defs.dbt_models import RUN_TARGETS_DIR

        results = RUN_TARGETS_DIR / run_id[:8] / "run_results.json"
        dbt_s = round(json.loads(results.read_text(encoding="utf-8"))["elapsed_time"], 1)
    except (OSError, KeyError, ValueError, ImportError):
        pass
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak["sum"] / 1024), "largest_process_mb":
            round(peak["largest"] / 1024), "peak_mb_by_role": {k: round(v / 1024) for k, v in sorted(roles.items())},
            "dbt_s": dbt_s, "up_to_date": "Up to date" in stdout,
            "published": "Published" in stdout}


def end_to_end(n: int, folder: Path) -> dict:
    work = BENCH_DIR / f"run-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(work / "warehouse.duckdb"), BUDGET_WAREHOUSE_INBOX=str(folder),
               BUDGET_WAREHOUSE_CACHE=str(work / "cache"), DAGSTER_HOME=str(work / "dagster_home"),
               BUDGET_WAREHOUSE_WORKERS=os.environ.get("BUDGET_WAREHOUSE_WORKERS", "2"))
    env.pop("BUDGET_WAREHOUSE_REBUILD", None)
    first = _run_build(env)
    first["documents_per_min"] = round((n + 5) / first["wall_s"] * 60, 1)  # the set and the five samples
    print(f"   end to end: {first['wall_s']:.0f} s ({first['documents_per_min']:.0f} documents/min), dbt "
          f"{first['dbt_s']} s, peak {first['peak_rss_mb']} MB", flush=True)
    again = _run_build(env)
    print(f"   nothing new: {again['wall_s']:.1f} s (up to date: {again['up_to_date']}), peak {again['peak_rss_mb']} MB",
          flush=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    return {"first": first, "nothing_new": again}


# -- the report -----------------------------------------------------------------------------------------

def report(results: dict) -> str:
    sizes = sorted(results["sets"], key=int)
    rows = [
        ("PDFs / PDF pages / table pages", lambda r: f"{r['rates']['pdfs']} / {r['rates']['pdf_pages']} / "
                                                      f"{r['rates']['table_pages']}"),
        ("tables (triage + ruled pages, read_tables): table pages/s per core",
         lambda r: r["rates"]["tables"]["table_pages_per_core_s"]),
        ("PDF reader (tables + every page's text lines): table pages/s per core",
         lambda r: r["rates"]["reader"]["table_pages_per_core_s"]),
        ("whole parser (reader + figures + statements): table pages/s per core",
         lambda r: r["rates"]["parser"]["table_pages_per_core_s"]),
        ("baseline PDFium text: table pages/s per core", lambda r: r["rates"]["pdfium_text"]["table_pages_per_core_s"]),
        ("baseline naive pdfplumber extract_tables: table pages/s per core",
         lambda r: r["rates"]["pdfplumber_tables"]["table_pages_per_core_s"]),
        ("tables ÷ naive (target ≥ 5)", lambda r: r["rates"]["tables"]["vs_naive"]),
        ("PDF reader ÷ naive", lambda r: r["rates"]["reader"]["vs_naive"]),
        ("whole parser ÷ naive", lambda r: r["rates"]["parser"]["vs_naive"]),
        ("PDFium text ÷ tables (the floor's lead)", lambda r: round(r["rates"]["pdfium_text"]["table_pages_per_core_s"]
                                                                  / r["rates"]["tables"]["table_pages_per_core_s"], 1)),
        ("parser's pdfplumber path: table pages/s per core",
         lambda r: r["rates"].get("parser_pdfplumber", {}).get("table_pages_per_core_s", "not run")),
        ("parity: PDFs with the same facts both ways", lambda r: (f"{r['rates']['parity']['compared'] - len(r['rates']['parity']['differ'])}"
                                                                  f"/{r['rates']['parity']['compared']}")
         if "parity" in r["rates"] else "not run"),
        ("parse, 1 worker (s)", lambda r: r.get("scaling", {}).get("workers_1_s", "not run")),
        ("parse, 2 workers (s)", lambda r: r.get("scaling", {}).get("workers_2_s", "not run")),
        ("2 workers ÷ 1 worker (target ≥ 1.8)", lambda r: r.get("scaling", {}).get("speedup_2_workers", "not run")),
        ("end to end (s; target ≤ 600 for 1,000)", lambda r: r["end_to_end"]["first"]["wall_s"]),
        ("documents per minute end to end", lambda r: r["end_to_end"]["first"]["documents_per_min"]),
        ("dbt build (s)", lambda r: r["end_to_end"]["first"]["dbt_s"]),
        ("peak memory, process tree (MB)", lambda r: r["end_to_end"]["first"]["peak_rss_mb"]),
        ("largest process (MB)", lambda r: r["end_to_end"]["first"]["largest_process_mb"]),
        ("peak by role (MB): Dagster run / parse workers / dbt",
         lambda r: " / ".join(str(r["end_to_end"]["first"]["peak_mb_by_role"].get(k, 0))
                              for k in ("dagster", "parse_workers", "dbt"))),
        ("run with nothing new (s; target ≤ 20)", lambda r: r["end_to_end"]["nothing_new"]["wall_s"]),
    ]
    lines = [f"# Benchmark ({results['when']}, {results['machine']})", "",
             "| measure | " + " | ".join(f"{n} documents" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for label, get in rows:
        cells = []
        for n in sizes:
            try:
                cells.append(str(get(results["sets"][n])))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if len(sizes) >= 2 and "100" in results["sets"] and "1000" in results["sets"]:
        a = results["sets"]["100"]["end_to_end"]["first"]["peak_rss_mb"]
        b = results["sets"]["1000"]["end_to_end"]["first"]["peak_rss_mb"]
        lines += ["", f"Peak memory from 100 to 1,000 documents: {a} → {b} MB ({(b - a) / a * 100:+.0f}%; target ±20%)."]
    lines += ["", "Rates are table pages (PDF pages holding a ruled table) per CPU second of the process that read "
                  "them (two processes at a time), over every PDF of the set, narrative pages included: `tables` does "
                  "what the naive baseline does (every ruled table's cells) with the page triage; the PDF reader also "
                  "reads every page's text lines; the whole parser also turns them into figures and statements."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10,100,1000"))
    parser.add_argument("--parity", default=os.environ.get("BENCH_PARITY", "all"),
                        help="'all': compare both PDF paths on every set; a number: only sets up to that size")
    parser.add_argument("--scaling-max", type=int, default=int(os.environ.get("BENCH_SCALING_MAX", "100")),
                        help="the 1-worker/2-worker comparison on sets up to this size")
    parser.add_argument("--fresh", action="store_true", help="forget the sets an earlier run measured")
    parser.add_argument("--only-end-to-end", action="store_true",
                        help="measure the builds again, keep the rates an earlier run measured")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = {"when": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
               f"Python {platform.python_version()}", "sets": {}}
    previous = BENCH_DIR / "results.json"
    if previous.exists() and not args.fresh:  # sets measured by an earlier run stay in the table
        try:
            results["sets"] = {n: r for n, r in json.loads(previous.read_text(encoding="utf-8"))["sets"].items()
                               if int(n) not in sizes or args.only_end_to_end}
        except (ValueError, KeyError):
            pass
    for n, (folder, docs) in corpus_sets(sizes).items():
        print(f"\n== {n} documents ({folder})", flush=True)
        parity = args.parity == "all" or n <= int(args.parity)
        entry = dict(results["sets"].get(str(n), {})) if args.only_end_to_end else {}
        if not args.only_end_to_end:
            entry["rates"] = rates(docs, parity)
            if n <= args.scaling_max:
                entry["scaling"] = scaling(docs)
        entry["end_to_end"] = end_to_end(n, folder)
        results["sets"][str(n)] = entry
        (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    text = report(results)
    (BENCH_DIR / "results.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"(written to {BENCH_DIR / 'results.md'} and results.json)")
    differ = [n for n, r in results["sets"].items() if r["rates"].get("parity", {}).get("differ")]
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
