"""Scans: a page with no text layer goes through OCR; its figures are marked `ocr`, and every figure
the document's arithmetic confirms is the figure of the text version. Where OCR cannot run, the
document gets a clear 'needs OCR' record; '(cid:NNN)' text is never loaded as figures."""
from __future__ import annotations

import pytest
from conftest import ROOT

from fixtures.bad import unmapped_font_pdf
from fixtures.scan import build_png, build_scan
from golden_facts import parsed_facts
from ingestion import parse_document
from ingestion.numbers import to_yuan

# luoyang's 部门支出总体情况表 (page 5 of its PDF fixture): 类/款/项 split codes, 8 amount columns
STEM, PAGE = "luoyang_2020_budget", 5


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return parse_document(build_scan(STEM, tmp_path_factory.mktemp("scan"), page=PAGE))


def test_a_scan_is_read_by_ocr_and_its_figures_are_marked(scanned):
    assert scanned.parse_status == "parsed"
    assert scanned.items and all(i.extraction == "ocr" for i in scanned.items)
    assert any(i.issue_code == "read_by_ocr" for i in scanned.issues)
    assert (scanned.meta.region_code, scanned.meta.fiscal_year) == ("410300", 2020)


def test_every_verified_ocr_figure_is_the_figure_of_the_text(scanned, parsed_samples):
    text = parsed_facts(parsed_samples[STEM])
    verified = [i for i in scanned.items if i.verified]
    # the table's figures the text version states for the scope of this table
    table_keys = {k for k in text if k[0] == "all" and k[1] == "function"}
    assert len({i.key() for i in verified} & table_keys) >= 0.6 * len(table_keys)
    for item in verified:
        assert item.key() in text, item
        assert to_yuan(item.amount, item.unit) == text[item.key()].amount_yuan, item


def test_an_ocr_figure_nothing_confirms_is_kept_but_not_trusted(scanned, parsed_samples):
    text = parsed_facts(parsed_samples[STEM])
    unconfirmed = [i for i in scanned.items if i.verified is False]
    wrong = [i for i in scanned.items
             if i.key() not in text or to_yuan(i.amount, i.unit) != text[i.key()].amount_yuan]
    assert all(i.verified is False for i in wrong)  # a misread figure is never trusted
    assert set(map(id, wrong)) <= set(map(id, unconfirmed))


def test_a_page_image_is_a_document_too(tmp_path):
    doc = parse_document(build_png(STEM, tmp_path, page=PAGE))
    assert doc.file_format == "image" and doc.parse_status == "parsed"
    assert any(i.verified for i in doc.items)


def test_without_ocr_a_scan_gets_a_needs_ocr_record(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGET_WAREHOUSE_OCR", "off")
    doc = parse_document(build_scan(STEM, tmp_path, page=PAGE))
    assert (doc.parse_status, doc.error_code) == ("needs_ocr", "needs_ocr")
    assert "OCR" in doc.error_message and not doc.items


def test_unmapped_font_text_is_reported_never_loaded(tmp_path):
    path = tmp_path / "cid.pdf"
    path.write_bytes(unmapped_font_pdf())
    doc = parse_document(path)
    assert not doc.items
    assert doc.parse_status == "needs_ocr"
    assert any(i.issue_code == "unmapped_font" for i in doc.issues)
