"""Disclosure completeness: which of the expected tables (dbt_project/seeds/ref_expected_tables.csv) each sample
lists in its index, holds, or says it publishes empty (staging.disclosure_tables, ingestion/statements/
completeness.py), and what the mart makes of it (marts.mart_disclosure_completeness: status and score).

The golden files (tests/golden/completeness/<stem>.csv) were read by hand from data/samples/<stem>.txt, with the
line of each row: `evidence` rows are what the document states (index entries, expected tables, 注 and sentences
saying a table is empty; tables that are no expected table are left out, except where a test below names them),
`status` rows what the mart must say of each expected table, with the line of the deciding evidence."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of

from fixtures.formats import build
from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument
from ingestion.statements.completeness import FRAME, load_expected_tables, match_title

GOLDEN = Path(__file__).parent / "golden" / "completeness"

# the score a person computes from the status rows of each golden file: (present + published_empty) / expected
SCORES = {
    "danfeng_2020_budget": ("tables", Decimal("0.6667")),  # 3 present + 3 published empty of 9 (2020: with 国有资本经营)
    "pingxiang_2023_budget": ("tables", Decimal("1.0000")),  # 6 present + 3 published empty (notes under the tables)
    "luoyang_2020_budget": ("tables", Decimal("1.0000")),  # 7 present + 2 empty tables
    "yanbian_2020_final": ("narrative", Decimal("0.0000")),  # 9 listed in 第五部分 附表, none in the text
    "hengdong_2021_budget": ("performance_form", None),  # a 绩效目标申报表 alone: not scored
}
STATUS_RANK = {"present": 1, "published_empty": 2, "listed_not_found": 3, "missing": 4}


def _bool(text: str) -> bool | None:
    return {"true": True, "false": False, "": None}[text]


def _golden(stem: str, kind: str) -> list[dict[str, str]]:
    with (GOLDEN / f"{stem}.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["kind"] == kind]


def _golden_evidence(stem: str) -> list[tuple]:
    return sorted((int(r["line"]), r["evidence"], r["printed_number"] or None, r["printed_title"] or None,
                   r["table_key"] or None, _bool(r["is_empty"]), r["empty_reason"] or None)
                  for r in _golden(stem, "evidence"))


def _evidence(doc: ParsedDocument, with_line: bool = True) -> list[tuple]:
    """The parser's rows as the golden files hold them: tables that are no expected table are left out.
    Without lines (another format), a note is compared without the table it stands under: a spreadsheet puts
    the narrative on a sheet of its own, away from the tables."""
    rows = []
    for record in doc.statements[FRAME]:
        v = record.values
        if v["evidence"] == "table" and v["table_key"] is None:
            continue
        line = record.lineage()["line_number"] if with_line else None
        number, title = (None, None) if not with_line and v["evidence"] == "note" else (v["printed_number"],
                                                                                          v["printed_title"])
        rows.append((line, v["evidence"], number, title, v["table_key"], v["is_empty"], v["empty_reason"]))
    return sorted(rows, key=lambda r: (r[0] or 0, *map(str, r[1:])))


def _statuses(doc: ParsedDocument) -> dict[str, str]:
    """The status of each expected table by the rule of mart_disclosure_completeness, computed a second way."""
    keys = [t.table_key for t in load_expected_tables() if t.stage == doc.meta.stage
            and (t.table_key != f"{doc.meta.stage}_soe_capital" or doc.meta.fiscal_year >= 2020)]
    out = {}
    for key in keys:
        rows = [r.values for r in doc.statements[FRAME] if r.values["table_key"] == key]
        if any(r["evidence"] == "table" and not r["is_empty"] for r in rows):
            out[key] = "present"
        elif any(r["evidence"] == "table" or (r["evidence"] != "table" and r["is_empty"]) for r in rows):
            out[key] = "published_empty"
        elif any(r["evidence"] == "index" for r in rows):
            out[key] = "listed_not_found"
        else:
            out[key] = "missing"
    return out


# ---------------------------------------------------------------------------
# The parser against the golden files, both ways
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_gives_the_golden_rows(parsed_samples, stem):
    got = _evidence(parsed_samples[stem])
    want = _golden_evidence(stem)
    assert [r for r in want if r not in got] == [], "golden rows the parser does not give"
    assert [r for r in got if r not in want] == [], "rows the parser gives that the golden file does not hold"


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_statuses_computed_from_the_parser_rows_are_the_golden_ones(parsed_samples, stem):
    want = {r["table_key"]: r["status"] for r in _golden(stem, "status")}
    assert _statuses(parsed_samples[stem]) == want


def test_danfeng_index_lists_six_empty_tables_with_their_reasons(parsed_samples):
    """The issue's golden: danfeng's index (lines 248–264) marks six tables 是 (空表), each with its reason."""
    rows = [r.values for r in parsed_samples["danfeng_2020_budget"].statements[FRAME]
            if r.values["evidence"] == "index" and r.values["is_empty"]]
    assert [(r["printed_number"], r["empty_reason"]) for r in rows] == [
        ("表9", "2020年无预算政府性基金收支"),  # line 257
        ("表11", "2020年无预算财政拨款结转资金"),  # line 259
        ("表12", "2020年无政府采购预算"),  # line 260
        ("表13", "2020年无三公经费"),  # line 261
        ("表14", "未开展专项绩效评价"),  # line 262
        ("表16", "未开展专项绩效评价"),  # line 264
    ]


def test_danfeng_tables_that_are_no_expected_table_are_kept_and_read_for_emptiness(parsed_samples):
    """表10 (line 441, 2,800 at line 447) and 表15 (147.03, line 503) print figures; 表14 (line 455) and 表16
    (line 528) are the empty templates the index marks 是."""
    rows = {r.values["printed_number"]: r.values for r in parsed_samples["danfeng_2020_budget"].statements[FRAME]
            if r.values["evidence"] == "table" and r.values["table_key"] is None}
    assert {n: v["is_empty"] for n, v in rows.items()} == {"表10": False, "表14": True, "表15": False, "表16": True}


def test_danfeng_tables_1_to_3_are_listed_but_absent(parsed_samples):
    doc = parsed_samples["danfeng_2020_budget"]
    numbers = {r.values["printed_number"] for r in doc.statements[FRAME] if r.values["evidence"] == "table"}
    assert not numbers & {"表1", "表2", "表3"}
    assert {k: v for k, v in _statuses(doc).items() if v == "listed_not_found"} == {
        "budget_summary": "listed_not_found", "budget_revenue": "listed_not_found",
        "budget_spending": "listed_not_found"}


# ---------------------------------------------------------------------------
# The mart against the golden files, both ways, and the scores
# ---------------------------------------------------------------------------
def _mart(con, stem: str) -> list[dict]:
    cur = con.execute("select * from marts.mart_disclosure_completeness where document_id = ? order by table_order",
                      [document_id_of(con, stem)])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_mart_gives_the_golden_statuses(con, stem):
    got = sorted((r["table_key"], r["status"], r["line_number"], r["printed_number"], r["empty_reason"])
                 for r in _mart(con, stem))
    want = sorted((r["table_key"], r["status"], int(r["line"]) if r["line"] else None, r["printed_number"] or None,
                   r["empty_reason"] or None) for r in _golden(stem, "status"))
    assert [r for r in want if r not in got] == [], "golden statuses the mart does not give"
    assert [r for r in got if r not in want] == [], "mart rows the golden file does not hold"


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_mart_score_of_each_sample(con, stem):
    kind, score = SCORES[stem]
    rows = _mart(con, stem)
    assert {(r["document_kind"], r["is_scored"], r["completeness_score"]) for r in rows} == {
        (kind, score is not None, score)}
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUS_RANK}
    assert rows[0]["n_expected_tables"] == len(rows) == len(_golden(stem, "status"))
    assert (rows[0]["n_present"], rows[0]["n_published_empty"], rows[0]["n_listed_not_found"],
            rows[0]["n_missing"]) == tuple(counts[s] for s in STATUS_RANK)


def test_mart_lineage_points_at_the_printed_evidence(con):
    rows = {r["table_key"]: r for r in _mart(con, "pingxiang_2023_budget")}
    gov_fund = rows["budget_gov_fund"]
    assert (gov_fund["evidence"], gov_fund["source_kind"], gov_fund["printed_title"], gov_fund["table_found"],
            gov_fund["evidence_kinds"]) == ("table", "table", "部门预算政府基金预算财政拨款支出表", True, "note, table")
    assert gov_fund["table_index"] is not None and gov_fund["sha256"]
    danfeng = {r["table_key"]: r for r in _mart(con, "danfeng_2020_budget")}
    assert (danfeng["budget_soe_capital"]["evidence"], danfeng["budget_soe_capital"]["table_found"],
            danfeng["budget_soe_capital"]["listed"]) == ("sentence", False, False)


def test_per_disclosure_rollup_of_the_samples(con):
    """Each sample is its own disclosure: the rollup gives the document's statuses and score."""
    rows = con.execute("""
        select d.status, m.status, d.completeness_score, m.completeness_score, d.document_id, m.document_id, m.status
        from marts.mart_disclosure_completeness_by_disclosure d
        join marts.mart_disclosure_completeness m using (disclosure_id, table_key)""").fetchall()
    assert len(rows) == sum(len(_golden(s, "status")) for s in SAMPLE_STEMS)
    for d_status, m_status, d_score, m_score, d_doc, m_doc, status in rows:
        assert (d_status, d_score) == (m_status, m_score)
        assert d_doc == (None if status == "missing" else m_doc)


# ---------------------------------------------------------------------------
# Another format gives the same rows and statuses
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem,fmt,variant", [
    ("pingxiang_2023_budget", "docx", "default"), ("pingxiang_2023_budget", "pdf", "landscape"),
    ("pingxiang_2023_budget", "xls", "default"), ("danfeng_2020_budget", "xlsx", "default"),
    ("danfeng_2020_budget", "html", "default"), ("danfeng_2020_budget", "pdf", "default"),
])
def test_other_formats_give_the_same_rows_and_statuses(parsed_samples, tmp_path, stem, fmt, variant):
    doc = parse_document(build(stem, fmt, tmp_path, variant))
    text = parsed_samples[stem]
    assert _evidence(doc, with_line=False) == _evidence(text, with_line=False)
    assert _statuses(doc) == _statuses(text) == {r["table_key"]: r["status"] for r in _golden(stem, "status")}


# ---------------------------------------------------------------------------
# Titles, and input the extractor may meet
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("title,stage,key", [
    ("2020年部门综合预算财政拨款收支总表", "budget", "budget_fiscal_grant_summary"),  # not the 收支总表
    ("收支预算总表公开表一部门： 江苏省人大常委会办公厅 单位：万元", "budget", "budget_summary"),
    ("公开 05 表：财政拨款支出预算表", "budget", None),  # Jiangsu's further table
    ("一般公共预算基本支出预算表（经济科目）", "budget", "budget_general_public_basic"),
    ("一般公共预算机关运行经费支出预算表", "budget", None),
    ("2020年部门综合预算政府性基金收支表", "budget", "budget_gov_fund"),
    ("部门预算政府基金预算财政拨款支出表", "budget", "budget_gov_fund"),
    ("财政拨款收入支出决算总表", "final", "final_fiscal_grant_summary"),
    ("收入支出决算总表", "final", "final_summary"),
    ("一般公共预算财政拨款支出决算明细表", "final", None),
    ("政府性基金预算财政拨款“三公”经费支出决算表", "final", None),  # neither the 三公 nor the 基金 table
    ("一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表", "final", "final_three_public"),
    ("国有资本经营预算财政拨款收入支出决算表", "final", "final_soe_capital"),
    ("收入支出决算总表", "budget", None),  # a final account's title in a budget
])
def test_titles_map_to_the_expected_table(title, stage, key):
    assert match_title(title, stage) == key


def _read(text: str) -> ParsedDocument:
    doc = ParsedDocument(document_id="t", sha256="t", source_path="t.txt", file_name="t.txt", file_format="txt",
                         size_bytes=len(text))
    read_text(doc, text, load_catalogs())
    return doc


def _rows(doc: ParsedDocument) -> list[tuple]:
    return [(r.values["evidence"], r.values["printed_number"], r.values["table_key"], r.values["matched_on"],
             r.values["is_empty"], r.values["empty_reason"]) for r in doc.statements[FRAME]]


_DISCLOSURE = """某县医疗保障局 2021 年部门预算

目录

第二部分 2021年度部门预算表
一、部门收支总表……3
二、部门收入总表……4
三、一般公共预算“三公”经费、会议费、培训费支出预
算表

本部门“三公”经费支出较上年无变化，无法另行说明。

表7

2021年一般公共预算“三公”经费支出表

单位：万元

项目\t合计\t因公出国（境）费\t公务接待费
合计\t{cells}

注：本部门无该项目

表8

2021年政府性基金预算支出表

单位：万元

科目编码\t科目名称\t合计
\t合计\t0.00
"""


def test_blank_marks_are_no_figure_and_a_zero_is_one():
    doc = _read(_DISCLOSURE.format(cells="—\t-\t"))
    assert _rows(doc) == [
        ("index", "一", "budget_summary", "title", None, None),
        ("index", "二", "budget_revenue", "title", None, None),
        ("index", "三", "budget_three_public", "title", None, None),  # wrapped: …支出预 / 算表
        ("table", "表7", "budget_three_public", "title", True, None),  # — and - are no figure
        ("note", "表7", "budget_three_public", "context", True, "注：本部门无该项目"),  # names nothing: the table above
        ("table", "表8", "budget_gov_fund", "title", False, None),  # an explicit 0.00 is a figure
    ]
    assert _statuses(doc)["budget_three_public"] == "published_empty"
    assert _statuses(doc)["budget_gov_fund"] == "present"
    filled = _read(_DISCLOSURE.format(cells="3.00\t0\t3.00"))
    assert [r[4] for r in _rows(filled) if r[0] == "table"] == [False, False]


def test_a_table_whose_title_was_lost_is_known_by_its_header():
    """The Jiangsu 公开09表: the PDF reader loses the title, the caption keeps the number and the unit."""
    doc = _read("某县医疗保障局 2021 年部门预算\n\n公开09表\n\n单位：万元\n\n"
                "合计\t因公出国（境）费\t公务用车购置及运行维护费\t公务接待费\n3.00\t0\t2.00\t1.00\n")
    assert _rows(doc) == [("table", "公开09表", "budget_three_public", "header", False, None)]
    assert _statuses(doc)["budget_three_public"] == "present"


def test_no_index_without_three_numbered_titles_and_no_row_for_a_text_without_tables():
    doc = _read("某县医疗保障局 2021 年部门预算\n\n一、部门收支总表\n二、部门收入总表\n\n本年无变化。\n")
    assert _rows(doc) == []
    assert set(_statuses(doc).values()) == {"missing"}


def test_a_line_listing_several_tables():
    doc = _read("某县医疗保障局 2021 年部门决算\n\n第五部分：2021 年度部门决算公开报表(见附件) 表 1:收入支出决算总表 "
                "表 2:收入决算表 表 3:支出决算表\n")
    assert [(r[1], r[2]) for r in _rows(doc)] == [("表1", "final_summary"), ("表2", "final_revenue"),
                                                 ("表3", "final_spending")]


def test_the_seed_keys_are_stable_and_every_stage_has_nine_tables():
    tables = load_expected_tables()
    assert len({t.table_key for t in tables}) == len(tables) == 18
    for stage in ("budget", "final"):
        assert [t.table_key.split("_", 1)[1] for t in tables if t.stage == stage] == [
            "summary", "revenue", "spending", "fiscal_grant_summary", "general_public", "general_public_basic",
            "three_public", "gov_fund", "soe_capital"]
    assert (ROOT / "dbt_project" / "seeds" / "ref_expected_tables.yml").exists()
