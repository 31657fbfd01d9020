"""The real Jiangsu corpus (data/corpus/jiangsu_provincial: 22 PDFs, 2017–2019): every file loads
with its region, department, year and stage, and the figures a person read from one table file
per department (tests/golden/jiangsu/) are what the parser gives."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT

from golden_facts import GOLDEN_DIR, golden_facts, parsed_facts
from ingestion import parse_document

CORPUS = ROOT / "data" / "corpus" / "jiangsu_provincial"
JIANGSU_GOLDEN = GOLDEN_DIR / "jiangsu"


def _metadata_rows() -> list[dict[str, str]]:
    with (JIANGSU_GOLDEN / "metadata.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def corpus_docs():
    return {p.name: parse_document(p, ROOT) for p in sorted(CORPUS.glob("*.pdf"))}


def test_every_corpus_file_is_in_the_metadata_golden():
    assert sorted(r["file"] for r in _metadata_rows()) == sorted(p.name for p in CORPUS.glob("*.pdf"))


@pytest.mark.parametrize("row", _metadata_rows(), ids=lambda r: r["file"][:30])
def test_corpus_metadata(corpus_docs, row):
    doc = corpus_docs[row["file"]]
    assert doc.parse_status == "parsed", (doc.error_code, doc.error_message)
    meta = doc.meta
    assert (meta.region_code, meta.region_name, meta.admin_level) == (row["region_code"], row["region_name"],
                                                                      row["admin_level"])
    assert meta.department_name == row["department_name"]
    assert (meta.fiscal_year, meta.stage) == (int(row["fiscal_year"]), row["stage"])


def test_narrative_and_table_files_of_a_department_year_share_a_key(corpus_docs):
    keys = {name: (d.meta.region_code, d.meta.department_key, d.meta.fiscal_year, d.meta.stage)
            for name, d in corpus_docs.items()}
    pairs = [
        ("江苏省委办公厅_江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅_江苏省委办公厅2017年预算公开表格.pdf"),
        ("江苏省委办公厅_江苏省委办公厅2018年度部门预算公开文件.pdf", "江苏省委办公厅_江苏省委办公厅2018年度部门预算公开表.pdf"),
        ("江苏省委办公厅_江苏省委办公厅2019年度部门预算公开文件.pdf", "江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格.pdf"),
        ("江苏省政协办公厅_江苏省政协办公厅2017年度部门预算.pdf", "江苏省政协办公厅_2017年度部门预算公开表.pdf"),
        ("江苏省政协办公厅_江苏省政协办公厅2018年度部门预算.pdf", "江苏省政协办公厅_江苏省政协办公厅2018度部门预算公开表.pdf"),
        ("江苏省政协办公厅_江苏省政协办公厅2019年度部门预算.pdf", "江苏省政协办公厅_江苏省政协办公厅2019年预算公开表.pdf"),
        ("江苏省人大办公厅_江苏省人大常委会2019年度部门预算公开.pdf", "江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表.pdf"),
    ]
    for narrative, tables in pairs:
        assert keys[narrative] == keys[tables], (narrative, tables)
    assert len(set(keys.values())) == 22 - len(pairs)


@pytest.mark.parametrize("golden", sorted(p.stem for p in JIANGSU_GOLDEN.glob("*.csv") if p.stem != "metadata"))
def test_corpus_golden_figures(corpus_docs, golden):
    doc = corpus_docs[f"{golden}.pdf"]
    expected = golden_facts(golden, JIANGSU_GOLDEN)
    parsed = parsed_facts(doc)
    missing = sorted(set(expected) - set(parsed), key=str)
    extra = sorted(set(parsed) - set(expected), key=str)
    wrong = [(k, expected[k], parsed[k]) for k in expected if k in parsed
             and (expected[k].amount_yuan, expected[k].agree) != (parsed[k].amount_yuan, parsed[k].agree)]
    assert not missing, f"facts in the document the parser missed: {missing}"
    assert not extra, f"facts the parser invented: {extra}"
    assert not wrong, f"facts with a wrong amount or agreement: {wrong}"
