"""Many documents at once: parsed in worker processes, each content parsed once (by sha256), and remembered
in a parse cache so that a run with nothing new parses nothing.

The cache holds one entry per file content, under a fingerprint of the parser (the source of this package)
and of the reference catalogs it reads codes and regions from: changing either starts a new cache. Entries
are written to a temporary name and renamed, so a killed run leaves no half entry. The cache is an
optimisation only: deleting it loses nothing.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path

from .api import _display_path, max_bytes, parse_document
from .catalog import DEFAULT_DIR as CATALOG_DIR
from .model import ParsedDocument

PACKAGE_DIR = Path(__file__).resolve().parent


def fingerprint() -> str:
    """The parser's identity: its source files, the reference catalogs and the settings that change how it
    reads (OCR on or off, the PDF engine)."""
    from .readers.pdf import engine_setting

    ocr = os.environ.get("BUDGET_WAREHOUSE_OCR", "on").strip().lower() or "on"
    return f"{_code_fingerprint()}-ocr-{ocr}-pdf-{engine_setting()}"


@cache
def _code_fingerprint() -> str:
    h = hashlib.sha256()
    catalog_dir = Path(os.environ.get("BUDGET_WAREHOUSE_REFERENCE") or CATALOG_DIR)
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted(catalog_dir.glob("ref_*.csv"))
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class FileHashes:
    """sha256 of files by (path, size, modification time), kept beside the parse cache: a run with nothing new
    reads no file twice. Also answers which file holds a content (`path_of`)."""

    def __init__(self, root: Path | None):
        self.file = Path(root) / "file_hashes.json" if root else None
        self.known: dict[str, str] = {}
        if self.file and self.file.exists():
            try:
                self.known = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}
        self.changed = False

    @staticmethod
    def _key(path: Path) -> str:
        st = path.stat()
        return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"

    def sha256(self, path: Path) -> str:
        key = self._key(path)
        sha = self.known.get(key)
        if sha is None:
            sha = self.known[key] = file_sha256(path)
            self.changed = True
        return sha

    def path_of(self, sha: str) -> Path | None:
        for key, value in self.known.items():
            path = Path(key.split("|", 1)[0])
            if value == sha and path.exists() and self._key(path) == key:
                return path
        return None

    def save(self) -> None:
        if not (self.file and self.changed):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        live = {k: v for k, v in self.known.items() if Path(k.split("|", 1)[0]).exists()}
        tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(live, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.file)
        self.changed = False


class ParseCache:
    """Parsed documents by content (sha256), under the parser's fingerprint."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / fingerprint()

    def _path(self, sha: str, kind: str = "pickle") -> Path:
        return self.dir / sha[:2] / f"{sha}.{kind}"

    def _load(self, path: Path, sha: str) -> ParsedDocument | None:
        try:
            with path.open("rb") as fh:
                doc = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # absent, or written by another parser: parse again
        return doc if isinstance(doc, ParsedDocument) and doc.sha256 == sha else None

    def get(self, sha: str) -> ParsedDocument | None:
        return self._load(self._path(sha), sha)

    def get_summary(self, sha: str) -> ParsedDocument | None:
        """The document's summary (`summary()`): a small file beside the whole parse."""
        hit = self._load(self._path(sha, "summary"), sha)
        if hit is None and (doc := self.get(sha)) is not None:  # a cache written before summaries
            self._write(self._path(sha, "summary"), hit := summary(doc))
        return hit

    def put(self, doc: ParsedDocument) -> None:
        if doc.error_code == "too_large":
            return  # nothing was read: nothing to remember
        self._write(self._path(doc.sha256), doc)
        self._write(self._path(doc.sha256, "summary"), summary(doc))

    @staticmethod
    def _write(path: Path, doc: ParsedDocument) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def __contains__(self, sha: str) -> bool:
        return self._path(sha).exists()


@dataclass
class Progress:
    """How far a batch has got: handed to the progress callback after every document."""
    done: int
    total: int
    parsed: int  # parsed in this run (not from the cache)
    failed: int
    elapsed_s: float

    @property
    def per_minute(self) -> float:
        return self.done / self.elapsed_s * 60 if self.elapsed_s > 0 else 0.0

    def __str__(self) -> str:
        return (f"{self.done}/{self.total} documents ({self.parsed} parsed, {self.done - self.parsed} from the cache), "
                f"{self.per_minute:,.0f}/min, {self.failed} failed so far")


def _as_file(doc: ParsedDocument, path: Path, root: Path | None) -> ParsedDocument:
    """A parse of this content, told which file it is now read from (a cached parse, or a copy of a file)."""
    out = copy.copy(doc)
    stat = path.stat()
    out.source_path = _display_path(path, root)
    out.file_name = path.name
    out.mtime = stat.st_mtime
    return out


def _crashed(sha: str, path: Path, root: Path | None, exc: Exception) -> ParsedDocument:
    from .api import _fail

    doc = ParsedDocument(document_id=sha[:16], sha256=sha, source_path=_display_path(path, root), file_name=path.name,
                         file_format=path.suffix.lower().lstrip(".") or "unknown", size_bytes=path.stat().st_size,
                         mtime=path.stat().st_mtime)
    return _fail(doc, "parser_crashed", f"The process parsing this file died ({type(exc).__name__}: {exc}); "
                                        "the other documents were not affected.")


def summary(doc: ParsedDocument) -> ParsedDocument:
    """The document without its figures, statements and issues, remembering how many figures it has and their
    fingerprint: all that settling versions (ingestion.versions) and the documents frame need. Small, so a
    run over a large corpus holds one per document and the whole parses only a batch at a time."""
    from .versions import figures_key

    out = copy.copy(doc)
    out.n_items = len(doc.items) if doc.n_items is None else doc.n_items
    out.figures_key = figures_key(doc)
    out.items, out.statements, out.issues = [], {}, []
    return out


def _parse_one(path: str, root: str | None, cache_root: str | None = None) -> ParsedDocument:
    """In a worker: parse one file; with a cache, write the parse there and hand back only its summary."""
    doc = parse_document(Path(path), Path(root) if root else None)
    if cache_root is None:
        return doc
    ParseCache(Path(cache_root)).put(doc)
    return summary(doc)


def workers_setting() -> int:
    """Worker processes for parsing (BUDGET_WAREHOUSE_WORKERS; default: the machine's cores)."""
    value = os.environ.get("BUDGET_WAREHOUSE_WORKERS", "").strip()
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


def parse_many(paths: Iterable[Path], root: Path | None = None, *, cache: ParseCache | None = None,
               workers: int = 1, progress: Callable[[Progress], None] | None = None,
               summaries: bool = False) -> list[ParsedDocument]:
    """Parse every file (in the order given), each distinct content once, in `workers` processes; contents the
    cache holds are not parsed again. Never raises for a bad file (parse_document records it).

    With `summaries` (and a cache), what comes back is each document's `summary()`, and the whole parses stay
    in the cache: workers write them there themselves, so memory does not grow with the corpus."""
    if summaries and cache is None:
        raise ValueError("summaries=True needs a cache to keep the whole parses in")
    paths = [Path(p) for p in paths]
    started = time.monotonic()
    limit = max_bytes()
    hashes = FileHashes(cache.root if cache else None)
    shas: list[str | None] = [hashes.sha256(p) if p.stat().st_size <= limit else None for p in paths]
    hashes.save()
    by_sha: dict[str, ParsedDocument] = {}
    todo: dict[str, Path] = {}  # sha -> the first file with that content
    for path, sha in zip(paths, shas):
        if sha is None or sha in by_sha or sha in todo:
            continue
        hit = (cache.get_summary(sha) if summaries else cache.get(sha)) if cache else None
        if hit is not None:
            by_sha[sha] = hit
        else:
            todo[sha] = path
    state = {"done": len(paths) - len(todo), "parsed": 0,
             "failed": sum(1 for d in by_sha.values() if d.parse_status == "failed")}

    def finished(doc: ParsedDocument, cached: bool) -> None:
        if cache and not cached:
            cache.put(doc)
        by_sha[doc.sha256] = summary(doc) if summaries else doc
        state["done"] += 1
        state["parsed"] += 1
        state["failed"] += doc.parse_status == "failed"
        if progress:
            progress(Progress(state["done"], len(paths), state["parsed"], state["failed"], time.monotonic() - started))

    root_s = str(root) if root else None
    cache_s = str(cache.root) if (cache and summaries) else None  # workers write the cache themselves
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=get_context("spawn")) as pool:
            # the largest files first, so that no worker is left with a long one while the others wait
            ordered = sorted(todo.items(), key=lambda item: -item[1].stat().st_size)
            futures = {pool.submit(_parse_one, str(p), root_s, cache_s): (sha, p) for sha, p in ordered}
            for future in as_completed(futures):
                try:
                    doc, cached = future.result(), cache_s is not None
                except Exception as exc:  # the worker died (a crash in a native library): this document only
                    doc, cached = _crashed(*futures[future], root, exc), False
                finished(doc, cached)
    else:
        for path in todo.values():
            finished(_parse_one(str(path), root_s), False)

    out: list[ParsedDocument] = []
    for path, sha in zip(paths, shas):
        if sha is None:  # over the size limit: recorded without being read
            out.append(parse_document(path, root))
        else:
            out.append(_as_file(by_sha[sha], path, root))
    if progress and not todo:
        progress(Progress(len(paths), len(paths), 0, state["failed"], time.monotonic() - started))
    return out


def load_whole(docs: Iterable[ParsedDocument], cache: ParseCache) -> Iterable[ParsedDocument]:
    """The whole parses of these documents (summaries from `parse_many(..., summaries=True)`), one at a time
    from the cache, each told the file it was read from."""
    for doc in docs:
        whole = doc if doc.n_items is None else cache.get(doc.sha256)
        if whole is None:
            raise RuntimeError(f"The parse cache lost {doc.source_path} ({doc.sha256[:12]}) during the run")
        out = copy.copy(whole)
        out.source_path, out.file_name, out.mtime, out.superseded_by = (doc.source_path, doc.file_name, doc.mtime,
                                                                        doc.superseded_by)
        yield out


def parse_into_cache(path: Path, root: Path | None, cache: ParseCache) -> ParsedDocument:
    """One document, the unit of parsing work (a `parsed_document` partition, a step of the distributed parse):
    parsed unless the cache holds its content, and remembered in the cache; returned as read from `path`."""
    return parse_many([path], root, cache=cache)[0]
