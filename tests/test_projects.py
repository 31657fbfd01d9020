"""Projects (ingestion/statements/projects.py, staging.project_items, marts.fct_project_spending) against the
figures read by hand from the samples (tests/golden/projects/<stem>.csv: every statement of a project, with the
line where its row or sentence starts and the line where the figure itself is printed)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of
from golden_rows import assert_same, read, typed

from fixtures.formats import VARIANTS, build
from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument
from ingestion.numbers import normalize

GOLDEN = ROOT / "tests" / "golden" / "projects"
FIELDS = ("source_kind", "line_number", "row_kind", "project_name", "unit_code", "unit_name", "fund_scope",
          "measure", "raw_amount", "unit", "amount_yuan")
DECIMALS = {"amount_yuan": "0.01"}


def golden(stem: str) -> list[tuple]:
    return [typed(r, FIELDS, DECIMALS) for r in read(GOLDEN / f"{stem}.csv")]


def parsed(doc) -> list[tuple]:
    return [typed({**r.values, **r.lineage()}, FIELDS, DECIMALS) for r in doc.statements["project_items"]]


def test_every_sample_has_a_golden_file_and_the_lists_are_not_empty():
    assert sorted(p.stem for p in GOLDEN.glob("*.csv")) == sorted(SAMPLE_STEMS)
    sizes = {stem: len(golden(stem)) for stem in SAMPLE_STEMS}
    assert sizes["hengdong_2021_budget"] == 0  # a performance form: 项目支出：106万元 is a total, no project is listed
    assert all(sizes[s] > 0 for s in SAMPLE_STEMS if s != "hengdong_2021_budget"), sizes


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_gives_the_golden_statements(parsed_samples, stem):
    assert_same(golden(stem), parsed(parsed_samples[stem]), stem)


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


# ---------------------------------------------------------------------------
# the warehouse: staging.project_items and marts.fct_project_spending against the golden files
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_staged_rows_are_the_golden_statements(con, stem):
    rows = con.execute(f"select {', '.join(FIELDS)} from stg.stg_project_items where document_id = ?",
                       [document_id_of(con, stem)]).fetchall()
    assert_same(golden(stem), [typed(dict(zip(FIELDS, r)), FIELDS, DECIMALS) for r in rows], stem)


MART_FIELDS = ("row_kind", "unit_code", "name", "fund_scope", "measure", "amount_yuan", "n_statements",
               "statements_agree", "source_kind", "line_number")


def expected_projects(stem: str) -> list[tuple]:
    """One row per project, fund scope and measure from the golden statements, by the mart's rule: the first
    statement wins (tables before prose, then document order); a bare name only where the project has no figure."""
    groups: dict[tuple, list[dict]] = {}
    for r in read(GOLDEN / f"{stem}.csv"):
        key = (r["row_kind"], r["unit_code"] or None, normalize(r["project_name"]).removesuffix("项目"),
               r["fund_scope"], r["measure"] or None)
        groups.setdefault(key, []).append(r)
    with_figures = {k[:3] for k, rs in groups.items() if any(x["amount_yuan"] for x in rs)}
    out = []
    for key, rows in groups.items():
        if key[4] is None and key[:3] in with_figures:
            continue
        rows = sorted(rows, key=lambda x: x["source_kind"] != "table")  # stable: document order within a kind
        amounts = {x["amount_yuan"] for x in rows}
        first = rows[0]
        out.append((*key, Decimal(first["amount_yuan"]) if first["amount_yuan"] else None, len(rows),
                    (len(amounts) == 1) if first["amount_yuan"] else None, first["source_kind"],
                    int(first["line_number"])))
    return out


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_the_mart_keeps_one_figure_per_project_and_says_whether_the_statements_agree(con, stem):
    rows = con.execute("""
        select row_kind, unit_code, project_key, fund_scope, measure, amount_yuan, n_statements, statements_agree,
               source_kind, line_number
        from marts.fct_project_spending where document_id = ?""", [document_id_of(con, stem)]).fetchall()
    assert_same(expected_projects(stem), rows, stem)


def test_statements_that_disagree_are_shown(con):
    rows = con.execute("""
        select project_name, amount_yuan, other_statements from marts.fct_project_spending
        where document_id = ? and not statements_agree order by project_name""",
                       [document_id_of(con, "yanbian_2020_final")]).fetchall()
    # 预算数 10万元 / 471.26万元 in the forms and the 综述 sentences; 预算安排 8万元 / 503.18万元 in line 820
    assert rows == [
        ("医疗救助补助资金", Decimal("4712600.00"), "prose item 29 line 160: 4712600.00; prose item 36 line 820: 5031800.00"),
        ("基层医疗机构业务网络通信费", Decimal("100000.00"),
         "prose item 27 line 158: 100000.00; prose item 32 line 820: 80000.00"),
    ]
    units = dict(con.execute("""
        select project_key, string_agg(distinct coalesce(unit_name, '-'), ',') from marts.fct_project_spending
        where document_id = ? and row_kind = 'project' group by project_key""",
                             [document_id_of(con, "yanbian_2020_final")]).fetchall())
    # the forms' 预算单位 stays with their five projects; the projects only line 820 names have none
    assert {k for k, v in units.items() if v == "盐边县医疗保障局"} == {
        "县级财政对城乡居民医疗保险基金的补助", "建国初期参加革命工作部分退休干部医疗补助金", "离休干部医疗费",
        "基层医疗机构业务网络通信费", "医疗救助补助资金"}
    assert sum(v == "-" for v in units.values()) == 5


# ---------------------------------------------------------------------------
# the Jiangsu corpus: 项目支出 is a column and a total there, project names stand only in the 政府采购 tables'
# 专项名称 column (procurement, not a project's budget): no project is listed
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表.pdf",
                                  "江苏省高级人民法院_江苏省高级人民法院2019年度部门预算公开.pdf"])
def test_jiangsu_project_columns_and_totals_are_not_projects(name):
    doc = parse_document(ROOT / "data" / "corpus" / "jiangsu_provincial" / name)
    assert any(i.measure == "project" for i in doc.items)  # the 项目支出 column and total are read as spending
    assert doc.statements["project_items"] == []
    assert doc.statements["stated_execution"] == []  # budgets


def test_a_project_table_with_function_codes_gives_each_project_its_code():
    text = "\n".join(["表9", "", "2020年项目支出表", "", "单位：万元", "",
                      "功能科目编码\t项目名称\t预算数\t财政拨款\t其他资金\t项目说明",
                      "2101501\t信息化建设\t20\t15\t5\t医保信息系统运维", "--\t宣传经费\t10\t10\t0\t"])
    rows = [(r.values["project_name"], r.values["function_code"], r.values["fund_scope"], r.values["measure"],
             r.values["amount_yuan"], r.values["description"]) for r in parse_text(text).statements["project_items"]]
    assert rows == [
        ("信息化建设", "2101501", "all", "budget", Decimal("200000.00"), "医保信息系统运维"),
        ("信息化建设", "2101501", "fiscal_grant", "budget", Decimal("150000.00"), "医保信息系统运维"),
        ("宣传经费", None, "all", "budget", Decimal("100000.00"), None),
        ("宣传经费", None, "fiscal_grant", "budget", Decimal("100000.00"), None),
    ]
