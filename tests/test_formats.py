"""Every sample, written as DOCX, XLSX, XLS, HTML and PDF in the layouts real disclosures use
(tests/fixtures: merged header cells, one table per sheet under title rows, numbers stored as
numbers or as text, landscape pages, small fonts, tables breaking across pages with and without
repeated headers, running headers and page numbers), yields exactly the figures of its text
version — in the parser, and in the marts."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_STEMS, SAMPLES

from fixtures.formats import FORMATS, VARIANTS, build
from golden_facts import parsed_facts
from ingestion import parse_document

CASES = [(stem, fmt, variant) for stem in SAMPLE_STEMS for fmt in FORMATS for variant in VARIANTS[fmt]]


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    for stem, fmt, variant in CASES:
        build(stem, fmt, out / f"{fmt}_{variant}", variant)
    return out


def _path(root: Path, stem: str, fmt: str, variant: str) -> Path:
    return root / f"{fmt}_{variant}" / f"{stem}.{fmt}"


@pytest.mark.parametrize("stem,fmt,variant", CASES, ids=["-".join(c) for c in CASES])
def test_each_format_gives_the_figures_of_the_text(fixture_dir, parsed_samples, stem, fmt, variant):
    doc = parse_document(_path(fixture_dir, stem, fmt, variant))
    assert doc.parse_status == "parsed", doc.error_message
    assert doc.file_format == fmt
    assert parsed_facts(doc) == parsed_facts(parsed_samples[stem])
    text_meta = parsed_samples[stem].meta
    assert (doc.meta.region_code, doc.meta.department_name, doc.meta.fiscal_year, doc.meta.stage) == (
        text_meta.region_code, text_meta.department_name, text_meta.fiscal_year, text_meta.stage)


def test_spreadsheet_lineage_is_sheet_and_cell(fixture_dir):
    doc = parse_document(_path(fixture_dir, "danfeng_2020_budget", "xlsx", "default"))
    item = next(i for i in doc.items if i.code == "2101501" and i.measure == "total")
    assert item.sheet and item.sheet.startswith("表5")
    assert item.cell and item.cell[0] == "C"  # the 合计 column of 表5
    assert item.raw_amount in ("2,704", "2704")


def test_pdf_lineage_is_page_table_and_row(fixture_dir):
    doc = parse_document(_path(fixture_dir, "luoyang_2020_budget", "pdf", "landscape"))
    item = next(i for i in doc.items if i.code == "2101501" and i.fund_scope == "general_public"
                and i.measure == "total" and i.source_kind == "table")
    assert item.page and item.table_index and item.row_number
    assert item.raw_amount == "80.5"


@pytest.fixture(scope="module")
def format_warehouse(fixture_dir, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("format_warehouse")
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp / "warehouse.duckdb"), BUDGET_WAREHOUSE_INBOX=str(fixture_dir),
               DAGSTER_HOME=str(tmp / "dagster_home"))
    run = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    return tmp / "warehouse.duckdb"


def test_the_marts_of_every_format_equal_those_of_the_text(format_warehouse, fixture_dir):
    with duckdb.connect(str(format_warehouse), read_only=True) as con:
        def marts_of(path: Path) -> list[tuple]:
            # by content: two variants that came out byte for byte the same are one document
            sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            return con.execute("""
                with d as (select document_id from marts.dim_document where sha256 = $1)
                select 'function', fund_scope, function_code, measure, amount_yuan, is_derived, statements_agree
                  from marts.fct_function_spending where document_id = (select document_id from d)
                union all
                select classification, fund_scope, econ_code, measure, amount_yuan, is_derived, statements_agree
                  from marts.fct_economic_spending where document_id = (select document_id from d)
                union all
                select 'total', fund_scope, null, measure, amount_yuan, false, statements_agree
                  from marts.fct_document_totals where document_id = (select document_id from d)
                order by all""", [sha]).fetchall()

        for stem, fmt, variant in CASES:
            text_rows = marts_of(SAMPLES / f"{stem}.txt")
            assert text_rows, stem
            assert marts_of(str(_path(fixture_dir, stem, fmt, variant))) == text_rows, (stem, fmt, variant)


def test_pages_turned_for_display_read_like_upright_ones(fixture_dir, parsed_samples, tmp_path):
    import pypdfium2

    source = _path(fixture_dir, "danfeng_2020_budget", "pdf", "landscape")
    document = pypdfium2.PdfDocument(str(source))
    for index in range(len(document)):
        document[index].set_rotation(90)
    turned = tmp_path / "turned.pdf"
    document.save(str(turned))
    document.close()
    assert parsed_facts(parse_document(turned)) == parsed_facts(parsed_samples["danfeng_2020_budget"])


def test_a_row_cut_by_a_page_break_is_joined_again():
    from ingestion.layout import Block, Row
    from ingestion.readers.pdf import _join, _Table

    header = [["功能科目编码", "功能科目名称", "金额"]]
    block = Block(rows=[Row(r, page=1) for r in header + [["2101501", "行政运行", "80.5"],
                                                          ["2101202", "财政对城乡居民基本医疗保", ""]]])
    # page 2 repeats the header, then the rest of the cut row, then the next row
    _join([block], _Table(header + [["", "险基金的补助", "1,176.0"], ["2101301", "城乡医疗救助", "1,450.0"]], 2, 0, 0))
    assert [r.cells for r in block.rows[1:]] == [
        ["2101501", "行政运行", "80.5"],
        ["2101202", "财政对城乡居民基本医疗保险基金的补助", "1,176.0"],
        ["2101301", "城乡医疗救助", "1,450.0"],
    ]
