"""The synthetic benchmark corpus (tests/bench/corpus.py): its documents parse to what the generator put in them
(metadata, the document total, the function items), a PDF reads like the text it was rendered from, the same seed
gives the same bytes, and a smaller corpus is the start of a larger one."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from bench.corpus import GENERATOR_VERSION, MANIFEST, _spec, document_text, generate, ruled_pages
from golden_facts import parsed_facts
from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument
from ingestion.numbers import to_yuan

# the first six documents of this seed: PDF in both variants, DOCX, XLSX; in 万元 and in 元; budgets and finals
SEED = 398
N = 6


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return out, generate(out, N, seed=SEED)


@pytest.fixture(scope="module")
def parsed(corpus):
    return [parse_document(d.path) for d in corpus[1]]


def test_the_corpus_holds_the_shapes_it_should(corpus):
    _, docs = corpus
    specs = [_spec(SEED, i) for i in range(N)]
    assert {d.fmt for d in docs} == {"pdf", "docx", "xlsx"}
    assert {s.variant for s in specs if s.fmt == "pdf"} == {"default", "landscape"}
    assert {s.unit for s in specs} == {"万元", "元"}
    assert {d.stage for d in docs} == {"budget", "final"}
    assert len({(d.region_code, d.department, d.fiscal_year, d.stage) for d in docs}) == N
    for d in docs:
        assert d.path.exists() and d.path.suffix == f".{d.fmt}"
        if d.fmt == "pdf":
            assert 10 <= d.n_pages <= 40
            # the pages the generator saw tables drawn on are the pages PDFium finds ruling lines on
            assert (d.n_pages, d.n_table_pages) == ruled_pages(d.path)
            assert 0 < d.n_table_pages < d.n_pages
        else:
            assert d.n_pages is None and d.n_table_pages is None


def test_the_parser_finds_region_department_year_and_stage(corpus, parsed):
    for d, doc in zip(corpus[1], parsed):
        assert doc.parse_status == "parsed", (d.path.name, doc.error_message)
        m = doc.meta
        assert (m.region_code, m.department_name, m.fiscal_year, m.stage) == (
            d.region_code, d.department, d.fiscal_year, d.stage), d.path.name


def test_the_document_total_is_the_generated_total(corpus, parsed):
    for d, doc in zip(corpus[1], parsed):
        totals = [i for i in doc.items
                  if i.classification == "total" and i.fund_scope == "all" and i.measure == "total"]
        assert any(i.source_kind == "table" for i in totals), d.path.name
        assert {to_yuan(i.amount, i.unit) for i in totals} == {d.total_wan * 10000}, d.path.name


def test_the_function_items_are_the_generated_item_rows(corpus, parsed):
    for d, doc in zip(corpus[1], parsed):
        codes = {i.code for i in doc.items if i.classification == "function" and i.fund_scope == "general_public"
                 and i.code and len(i.code) == 7}
        assert len(codes) == d.n_function_rows, d.path.name


def test_every_figure_stated_twice_agrees(parsed):
    # the narrative's totals and breakdowns equal the tables' (and the tables one another)
    for doc in parsed:
        facts = parsed_facts(doc)
        assert facts and all(f.agree for f in facts.values()), [k for k, f in facts.items() if not f.agree]


def test_a_pdf_gives_the_facts_of_its_text(corpus, parsed):
    catalogs = load_catalogs()
    pdfs = [(k, doc) for k, (d, doc) in enumerate(zip(corpus[1], parsed)) if d.fmt == "pdf"]
    assert len(pdfs) >= 2
    for k, doc in pdfs:
        text = ParsedDocument(document_id="text", sha256="text", source_path="text.txt", file_name="text.txt",
                              file_format="txt", size_bytes=0)
        read_text(text, document_text(SEED, k), catalogs)
        assert parsed_facts(doc) == parsed_facts(text), doc.file_name


def test_the_same_seed_gives_the_same_bytes_and_a_smaller_corpus_is_its_start(corpus, tmp_path):
    _, docs = corpus
    again = generate(tmp_path / "again", N, seed=SEED)
    assert [d.path.name for d in again] == [d.path.name for d in docs]
    assert [_sha(d.path) for d in again] == [_sha(d.path) for d in docs]
    first = generate(tmp_path / "first", 3, seed=SEED)
    assert [_sha(d.path) for d in first] == [_sha(d.path) for d in docs[:3]]
    other = generate(tmp_path / "other", 3, seed=SEED + 1)
    assert not {_sha(d.path) for d in other} & {_sha(d.path) for d in docs}


def test_a_second_call_returns_the_manifest(corpus):
    out, docs = corpus
    manifest = out / MANIFEST
    assert f'"generator_version": {GENERATOR_VERSION}' in manifest.read_text(encoding="utf-8")
    before = {d.path: os.stat(d.path).st_mtime_ns for d in docs}
    assert generate(out, N, seed=SEED) == docs
    assert {d.path: os.stat(d.path).st_mtime_ns for d in docs} == before
