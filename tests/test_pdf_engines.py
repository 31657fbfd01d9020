"""The fast PDF path (PDFium's characters and rulings through pdfplumber's algorithms) gives exactly the facts
of the pdfplumber path (every page through pdfminer): every staging frame, row for row, on the samples in both
PDF layouts, on the 22 real Jiangsu PDFs and on documents of the benchmark corpus. And it is really taken:
the pages it reads are counted, and a page it cannot read plainly goes to pdfminer for a stated reason."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import ROOT, SAMPLE_STEMS

from fixtures.formats import build
import ingestion
from ingestion.readers import pdf as pdf_reader

JIANGSU = sorted((ROOT / "data" / "corpus" / "jiangsu_provincial").glob("*.pdf"))


def _frames(path: Path, engine: str, monkeypatch) -> dict[str, pl.DataFrame]:
    monkeypatch.setenv("BUDGET_WAREHOUSE_PDF_ENGINE", engine)
    return ingestion.frames([ingestion.parse_document(path)])


def assert_same_facts(path: Path, monkeypatch) -> None:
    fast = _frames(path, "pdfium", monkeypatch)
    slow = _frames(path, "pdfplumber", monkeypatch)
    assert slow["line_items"].height > 0, f"{path.name}: no figures at all, nothing compared"
    for table, frame in slow.items():
        assert fast[table].equals(frame), f"{path.name}: staging.{table} differs between the PDF engines"


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("engine_pdfs")
    return [build(stem, "pdf", out / variant, variant) for stem in SAMPLE_STEMS for variant in ("default", "landscape")]


def test_samples_give_the_same_facts_through_both_engines(sample_pdfs, monkeypatch):
    for path in sample_pdfs:
        assert_same_facts(path, monkeypatch)


@pytest.mark.parametrize("path", JIANGSU, ids=[p.stem[:30] for p in JIANGSU])
def test_jiangsu_pdfs_give_the_same_facts_through_both_engines(path, monkeypatch):
    assert_same_facts(path, monkeypatch)


@pytest.fixture(scope="module")
def bench_pdfs(tmp_path_factory) -> list[Path]:
    from bench.corpus import generate, pdf_font

    if pdf_font() is None:
        pytest.fail("no TrueType Chinese font for the benchmark corpus: run `make test` (it installs fonts-arphic-uming)")
    docs = generate(tmp_path_factory.mktemp("bench_corpus"), 12)
    return [d.path for d in docs if d.fmt == "pdf"]


def test_benchmark_documents_give_the_same_facts_through_both_engines(bench_pdfs, monkeypatch):
    assert len(bench_pdfs) >= 5
    for path in bench_pdfs:
        monkeypatch.setenv("BUDGET_WAREHOUSE_PDF_ENGINE", "pdfium")
        # an embedded font: every page is read by PDFium
        assert set(pdf_reader.read(path.read_bytes()).page_engines) == {"pdfium"}, path.name
        assert_same_facts(path, monkeypatch)


def test_read_tables_finds_the_tables_pdfplumber_finds(bench_pdfs):
    import pdfplumber

    for path in bench_pdfs[:3]:
        mine = pdf_reader.read_tables(path.read_bytes())
        with pdfplumber.open(str(path)) as pdf:
            theirs = [(page.page_number, table) for page in pdf.pages for table in page.extract_tables()]
        assert [(n, len(rows)) for n, rows in mine] == [(n, len(rows)) for n, rows in theirs], path.name
        assert mine == theirs, path.name


def test_the_fast_path_reads_the_pages_it_can(sample_pdfs, monkeypatch):
    monkeypatch.setenv("BUDGET_WAREHOUSE_PDF_ENGINE", "pdfium")
    tables = ROOT / "data/corpus/jiangsu_provincial/江苏省政协办公厅_江苏省政协办公厅2019年预算公开表.pdf"
    assert pdf_reader.read(tables.read_bytes()).page_engines == {"pdfium": 12}
    # pages turned for display (/Rotate 90) whose text is turned back in the page's own space: pdfminer
    turned = ROOT / "data/corpus/jiangsu_provincial/江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表.pdf"
    assert pdf_reader.read(turned.read_bytes()).page_engines == {"turned_text": 13}
    # reportlab's STSong-Light is a CJK font the file does not embed: PDFium and pdfminer map it to
    # Unicode differently, so its pages go to pdfminer
    luoyang = next(p for p in sample_pdfs if p.stem == "luoyang_2020_budget" and p.parent.name == "default")
    assert set(pdf_reader.read(luoyang.read_bytes()).page_engines) == {"unembedded_cjk_font"}
    monkeypatch.setenv("BUDGET_WAREHOUSE_PDF_ENGINE", "pdfplumber")
    assert pdf_reader.read(tables.read_bytes()).page_engines == {"engine": 12}


def test_an_unknown_engine_is_refused(monkeypatch):
    monkeypatch.setenv("BUDGET_WAREHOUSE_PDF_ENGINE", "pdfbox")
    with pytest.raises(ValueError, match="pdfium, pdfplumber"):
        pdf_reader.engine_setting()
