"""Projects (ingestion/statements/projects.py, staging.project_items, marts.fct_project_spending) against the
figures read by hand from the samples (tests/golden/projects/<stem>.csv: every statement of a project, with the
line where its row or sentence starts and the line where the figure itself is printed)."""
from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of

from fixtures.formats import VARIANTS, build
from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument

GOLDEN = ROOT / "tests" / "golden" / "projects"
FIELDS = ("source_kind", "line_number", "row_kind", "project_name", "unit_code", "unit_name", "fund_scope",
          "measure", "raw_amount", "unit", "amount_yuan")


def _typed(row: dict) -> tuple:
    out = []
    for f in FIELDS:
        v = row[f]
        v = None if v in ("", None) else v
        if v is not None and f == "line_number":
            v = int(v)
        elif v is not None and f == "amount_yuan":
            v = Decimal(str(v)).quantize(Decimal("0.01"))
        out.append(v)
    return tuple(out)


def golden(stem: str) -> list[tuple]:
    with (GOLDEN / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
        return [_typed(r) for r in csv.DictReader(fh)]


def parsed(doc) -> list[tuple]:
    return [_typed({**r.values, **r.lineage()}) for r in doc.statements["project_items"]]


def _compare(expected: list[tuple], actual: list[tuple], what: str) -> None:
    missing = Counter(expected) - Counter(actual)
    unexpected = Counter(actual) - Counter(expected)
    assert not missing and not unexpected, (
        f"{what}\nmissing (in the golden file, not found):\n  " + "\n  ".join(map(str, missing))
        + "\nunexpected (found, not in the golden file):\n  " + "\n  ".join(map(str, unexpected)))


def test_every_sample_has_a_golden_file_and_the_lists_are_not_empty():
    assert sorted(p.stem for p in GOLDEN.glob("*.csv")) == sorted(SAMPLE_STEMS)
    sizes = {stem: len(golden(stem)) for stem in SAMPLE_STEMS}
    assert sizes["hengdong_2021_budget"] == 0  # a performance form: 项目支出：106万元 is a total, no project is listed
    assert all(sizes[s] > 0 for s in SAMPLE_STEMS if s != "hengdong_2021_budget"), sizes


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_gives_the_golden_statements(parsed_samples, stem):
    _compare(golden(stem), parsed(parsed_samples[stem]), stem)


def test_project_rows_carry_their_lineage(parsed_samples):
    recs = parsed_samples["danfeng_2020_budget"].statements["project_items"]
    assert {(r.lineage()["table_number"], r.lineage()["table_title"]) for r in recs} == {
        ("表10", "2020年部门综合预算专项业务经费支出表")}
    assert [r.lineage()["row_number"] for r in recs] == [3, 4, 5, 6, 7]  # after the header and the 栏次 row
    luoyang = parsed_samples["luoyang_2020_budget"].statements["project_items"]
    first = next(r for r in luoyang if r.values["project_name"] == "2020 年医疗服务能力提升专项")
    assert first.values["description"].endswith("4、有效提升综合监管、宣传引导、经办服务、人才队伍建设等医疗保障服务能力。")


# ---------------------------------------------------------------------------
# other formats: danfeng's 表10 as DOCX, XLSX, XLS, HTML and PDF gives the rows of the text
# ---------------------------------------------------------------------------
FORMAT_CASES = [(fmt, v) for fmt, variants in VARIANTS.items() for v in variants]


def _table_rows(doc) -> list[tuple]:
    return [(r.values["row_kind"], r.values["project_name"], r.values["unit_code"], r.values["unit_name"],
             r.values["fund_scope"], r.values["measure"], r.values["amount_yuan"], r.lineage()["row_number"])
            for r in doc.statements["project_items"]]


@pytest.mark.parametrize("fmt,variant", FORMAT_CASES, ids=["-".join(c) for c in FORMAT_CASES])
def test_other_formats_give_the_rows_of_the_text(parsed_samples, tmp_path, fmt, variant):
    doc = parse_document(build("danfeng_2020_budget", fmt, tmp_path, variant))
    text_rows = _table_rows(parsed_samples["danfeng_2020_budget"])
    assert len(text_rows) == 5
    assert _table_rows(doc) == text_rows
    lineage = [r.lineage() for r in doc.statements["project_items"]]
    if fmt in ("xlsx", "xls"):
        assert [x["cell_ref"] for x in lineage] == ["C6", "C7", "C8", "C9", "C10"]
    if fmt == "pdf":
        assert all(x["page"] for x in lineage)


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
def parse_text(text: str) -> ParsedDocument:
    doc = ParsedDocument("t", "t", "t.txt", "t.txt", "txt", len(text))
    read_text(doc, "\n".join(["某县医疗保障局2020年部门预算", "", text]), load_catalogs())
    return doc


def _table(*rows: str) -> str:
    return "\n".join(["表10", "", "2020年部门综合预算专项业务经费支出表", "", "单位：万元", "",
                      "单位编码\t单位（项目）名称\t项目金额\t项目简介", "**\t**\t1\t**", *rows])


def test_blank_and_dash_cells_are_no_figure_and_zero_is_a_figure():
    doc = parse_text(_table("\t合计\t10.00\t", "101001\t某县医疗保障局\t10.00\t",
                            "101001\t信息化建设\t10.00\t建设医保信息系统", "101001\t宣传经费\t—\t",
                            "101001\t培训经费\t\t", "101001\t调研经费\t0\t"))
    rows = {(r.values["row_kind"], r.values["project_name"]): r.values for r in doc.statements["project_items"]}
    assert rows[("total", "合计")]["amount_yuan"] == Decimal("100000.00")
    assert rows[("unit", "某县医疗保障局")]["unit_code"] == "101001"
    assert rows[("project", "信息化建设")]["description"] == "建设医保信息系统"
    # a project the table lists with no figure keeps its name, no amount and no measure (not a zero)
    for name in ("宣传经费", "培训经费"):
        assert rows[("project", name)]["amount"] is None and rows[("project", name)]["measure"] is None
    assert rows[("project", "调研经费")]["amount_yuan"] == Decimal("0.00")
    assert rows[("project", "调研经费")]["unit_name"] == "某县医疗保障局"


def test_an_empty_project_table_gives_no_row():
    assert parse_text(_table()).statements["project_items"] == []
    assert parse_text(_table("\t合计\t\t")).statements["project_items"] == []


def test_without_unit_codes_a_unit_row_is_one_whose_figure_its_projects_add_up_to():
    text = "\n".join(["表10", "", "2020年项目支出表", "", "单位：万元", "", "项目名称\t金额",
                      "合计\t30", "某县医疗保障局\t30", "信息化建设\t20", "宣传经费\t10"])
    kinds = [(r.values["row_kind"], r.values["project_name"], r.values["unit_name"])
             for r in parse_text(text).statements["project_items"]]
    assert kinds == [("total", "合计", None), ("unit", "某县医疗保障局", "某县医疗保障局"),
                     ("project", "信息化建设", "某县医疗保障局"), ("project", "宣传经费", "某县医疗保障局")]
