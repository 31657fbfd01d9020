"""The 三公 expenses (three_public_items, fct_three_public) against figures read by hand from the documents
(tests/golden/three_public/<stem>.csv, with the line or page of each): the parser gives exactly the golden
statements, the mart exactly the golden figures (first statement wins), both ways. A stated absence is a zero;
a blank or '—' cell, an empty table, a sentence the document does not have is no row."""
from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of

from fixtures.formats import FORMATS, VARIANTS, build
from golden_statements import comparable, first_statement_facts, golden_values, load, parse_text, record_values
from ingestion import parse_document

FRAME = "three_public_items"
CORPUS = ROOT / "data" / "corpus" / "jiangsu_provincial"
CORPUS_STEMS = ["江苏省人民检察院_2019年度部门预算公开", "江苏省委办公厅_江苏省委办公厅2019年度部门预算公开文件"]


def golden(stem: str) -> list[tuple[tuple, dict]]:
    out = []
    for row in load("three_public", stem):
        values = golden_values(row, money=True)
        values["execution_rate_pct"] = Decimal(row["execution_rate_pct"]) if row["execution_rate_pct"] else None
        out.append(((row["category"], row["figure_kind"]), values))
    return out


def parsed(doc) -> list[tuple[tuple, dict]]:
    out = []
    for record in doc.statements[FRAME]:
        values = record_values(record, "amount", "amount_yuan")
        values["execution_rate_pct"] = record.values["execution_rate_pct"]
        out.append(((record.values["category"], record.values["figure_kind"]), values))
    return out


def figures(doc) -> dict[str, Decimal]:
    return {r.values["category"]: r.values["amount_yuan"] for r in doc.statements[FRAME]}


# ---------------------------------------------------------------------------
# The parser against the golden files
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_gives_the_golden_statements(parsed_samples, stem):
    assert comparable(parsed(parsed_samples[stem])) == comparable(golden(stem))


@pytest.mark.parametrize("stem", CORPUS_STEMS)
def test_jiangsu_narratives_read_right(stem):
    doc = parse_document(CORPUS / f"{stem}.pdf")
    assert comparable(parsed(doc)) == comparable(golden(stem))


def test_golden_figures_are_the_issue_figures():
    """The figures the issue names, as the golden files hold them (read from the documents)."""
    facts = {stem: first_statement_facts(golden(stem)) for stem in SAMPLE_STEMS}
    luoyang = {k[0]: f["yuan"] for k, f in facts["luoyang_2020_budget"].items()}
    assert luoyang == {"total": Decimal("80000.00"), "reception": Decimal("30000.00"),
                       "vehicles": Decimal("50000.00"), "vehicle_operation": Decimal("50000.00"),
                       "vehicle_purchase": Decimal("0.00"), "outbound_travel": Decimal("0.00")}
    reception = facts["yanbian_2020_final"][("reception", "final")]
    assert (reception["yuan"], reception["change_amount_yuan"], reception["change_pct"]) == (
        Decimal("2800.00"), Decimal("1300.00"), Decimal("86.66"))
    assert facts["yanbian_2020_final"][("total", "final")]["yuan"] == Decimal("2800.00")
    assert all(f["yuan"] == 0 for f in facts["pingxiang_2023_budget"].values())
    assert set(facts["danfeng_2020_budget"]) == {("total", "budget")}
    assert facts["hengdong_2021_budget"] == {}


# ---------------------------------------------------------------------------
# Explicit zeros, absences, bad cells
# ---------------------------------------------------------------------------
def test_a_stated_absence_is_a_zero_and_a_missing_statement_is_no_row(parsed_samples):
    danfeng = [r.values for r in parsed_samples["danfeng_2020_budget"].statements[FRAME]]
    assert danfeng and all(v["is_stated_none"] and v["amount_yuan"] == 0 and v["category"] == "total" for v in danfeng)
    assert parsed_samples["hengdong_2021_budget"].statements[FRAME] == []  # no 三公 in the form: no row, not zero
    pingxiang = parsed_samples["pingxiang_2023_budget"].statements[FRAME]
    assert all(r.source_kind == "prose" for r in pingxiang)  # its 三公 table is empty: no row of its own
    luoyang = figures(parsed_samples["luoyang_2020_budget"])
    assert "reception_domestic" not in luoyang and luoyang["vehicle_purchase"] == 0


LUOYANG_TABLE = [
    "## 2020 年一般公共预算“三公”经费支出情况表", "", "单位：万元", "",
    "项 目\t2020 年“三公”经费预算数",
]


def test_a_dash_or_blank_cell_is_no_figure_and_a_zero_cell_is_zero():
    doc = parse_text("\n".join(LUOYANG_TABLE + [
        "总计\t8.00", "1、因公出国（境）费用\t—", "2、公务接待费\t3.00", "3、公务用车费\t ",
        "其中：（1）公务用车运行维护费\t5.00", "（2）公务用车购置\t0.00"]))
    assert figures(doc) == {"total": Decimal("80000.00"), "reception": Decimal("30000.00"),
                            "vehicle_operation": Decimal("50000.00"), "vehicle_purchase": Decimal("0.00")}


def test_an_empty_table_states_nothing():
    doc = parse_text("\n".join(LUOYANG_TABLE + ["总计\t", "1、因公出国（境）费用\t", "2、公务接待费\t—"]))
    assert doc.statements[FRAME] == []


def test_a_table_with_a_column_per_category_leaves_the_meeting_and_training_columns_out():
    header = [["合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"],
              ["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""],
              ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""]]
    data = ["1276.7", "418.26", "80", "237", "", "237", "101.26", "158.44", "700"]
    text = "\n".join(["公开09表", "“三公”经费、会议费、培训费支出预算表", "单位：万元"]
                     + ["\t".join(r) for r in header + [data]])
    assert figures(parse_text(text)) == {
        "total": Decimal("4182600.00"), "outbound_travel": Decimal("800000.00"), "vehicles": Decimal("2370000.00"),
        "vehicle_operation": Decimal("2370000.00"), "reception": Decimal("1012600.00")}


def test_sentences_shares_other_figures_and_a_figure_without_its_unit():
    doc = parse_text("\n".join([
        "十一、一般公共预算“三公”经费、会议费、培训费支出预算表情况说明",
        "“三公”经费预算支出中，因公出国（境）费支出 222.5万元，占“三公”经费的 8.75%。",
        "2．公务用车购置及运行费预算支出 183.6 万元。其中：",
        "(1)公务用车购置为 0，与上年持平。",
        "会议费预算支出1305.25万元，本年数小于上年预算数403.75万元，原因是从会议费预算中调减。",
        "十二、2017年部门政府采购预算情况说明",
        "公务接待费 5 万元。",  # outside the 三公 section, not naming 三公: not read
    ]))
    rows = {r.values["category"]: r.values for r in doc.statements[FRAME]}
    assert set(rows) == {"outbound_travel", "vehicles", "vehicle_purchase"}
    assert (rows["vehicle_purchase"]["raw_amount"], rows["vehicle_purchase"]["unit"]) == ("0", "万元")
    assert rows["vehicle_purchase"]["change_direction"] == "unchanged"
    assert rows["vehicles"]["change_direction"] is None  # the 会议费's decrease is not the vehicles'


# ---------------------------------------------------------------------------
# Other formats
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def luoyang_formats(tmp_path_factory) -> list[tuple[str, str, Path]]:
    out = tmp_path_factory.mktemp("three_public_formats")
    return [(fmt, variant, build("luoyang_2020_budget", fmt, out / f"{fmt}_{variant}", variant))
            for fmt in FORMATS for variant in VARIANTS[fmt]]


def test_luoyang_in_every_format_gives_the_figures_of_its_text(parsed_samples, luoyang_formats):
    def table_rows(doc):
        return sorted((r.values["category"], r.values["amount_yuan"], r.values["category_label"])
                      for r in doc.statements[FRAME] if r.source_kind == "table")

    expected = table_rows(parsed_samples["luoyang_2020_budget"])
    assert len(expected) == 6
    for fmt, variant, path in luoyang_formats:
        doc = parse_document(path)
        assert table_rows(doc) == expected, (fmt, variant)
        assert Counter(k for k, _ in parsed(doc)) == Counter(k for k, _ in golden("luoyang_2020_budget")), (fmt, variant)
        tables = [r for r in doc.statements[FRAME] if r.source_kind == "table"]
        assert all(r.lineage()["table_index"] for r in tables), (fmt, variant)
        if fmt in ("xlsx", "xls"):
            assert all(r.lineage()["sheet_name"] and r.lineage()["cell_ref"] for r in tables), (fmt, variant)
        if fmt == "pdf":
            assert all(r.lineage()["page"] for r in tables), (fmt, variant)


# ---------------------------------------------------------------------------
# The mart
# ---------------------------------------------------------------------------
MART_COLUMNS = ["category", "figure_kind", "amount_yuan", "is_stated_none", "n_statements", "statements_agree",
                "change_direction", "change_amount_yuan", "change_pct", "change_reason", "execution_rate_pct",
                "source_kind", "line_number"]


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_mart_holds_the_golden_figures_both_ways(con, stem):
    expected = {key: {"amount_yuan": f["yuan"], "is_stated_none": f["is_stated_none"],
                      "n_statements": f["n_statements"], "statements_agree": f["statements_agree"],
                      "change_direction": f["change_direction"], "change_amount_yuan": f["change_amount_yuan"],
                      "change_pct": f["change_pct"], "change_reason": f["change_reason"],
                      "execution_rate_pct": f["execution_rate_pct"], "source_kind": f["source_kind"],
                      "line_number": f["where"]}
                for key, f in first_statement_facts(golden(stem)).items()}
    rows = con.execute(f"select {', '.join(MART_COLUMNS)} from marts.fct_three_public where document_id = ?",
                       [document_id_of(con, stem)]).fetchall()
    actual = {(r[0], r[1]): dict(zip(MART_COLUMNS[2:], r[2:])) for r in rows}
    assert set(actual) == set(expected)
    for key in expected:
        assert actual[key] == expected[key], key


def test_mart_lineage_points_at_the_printed_figure(con):
    row = con.execute("""select raw_amount, unit, table_title, column_label, phrase, change_phrase
                         from marts.fct_three_public where document_id = ? and category = 'total'""",
                      [document_id_of(con, "luoyang_2020_budget")]).fetchone()
    assert row[:4] == ("8.00", "万元", "2020 年一般公共预算“三公”经费支出情况表", "2020 年“三公”经费预算数")
    assert row[4] == "总计 | 8.00"
    row = con.execute("""select change_phrase, other_statements from marts.fct_three_public
                         where document_id = ? and category = 'reception'""",
                      [document_id_of(con, "yanbian_2020_final")]).fetchone()
    assert row[0] == "比2019年增加0.13万元，增长86.66%"
    assert row[1] == "prose item 9 line 130: 2800.00"


def test_a_superseded_document_leaves_both_marts(warehouse, tmp_path):
    """A document a revised version replaces keeps no row in fct_three_public nor in fct_department_facts: the
    two marts rebuilt on a copy of the warehouse where luoyang is marked superseded by danfeng."""
    from orchestration.dbt_tools import run_dbt

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    marts = ("fct_three_public", "fct_department_facts")
    with duckdb.connect(str(copy)) as c:
        luoyang, danfeng = document_id_of(c, "luoyang_2020_budget"), document_id_of(c, "danfeng_2020_budget")
        before = {m: c.execute(f"select document_id, count(*) from marts.{m} group by all").fetchall() for m in marts}
        assert all(dict(rows).get(luoyang) for rows in before.values())
        c.execute("update staging.documents set superseded_by = ? where document_id = ?", [danfeng, luoyang])
    run = run_dbt(["run", "--select", *marts, "--target-path", str(tmp_path / "target"),
                   "--log-path", str(tmp_path / "logs")], check=False, db=copy)
    assert run.returncode == 0
    with duckdb.connect(str(copy), read_only=True) as c:
        for m in marts:
            after = dict(c.execute(f"select document_id, count(*) from marts.{m} group by all").fetchall())
            assert after == {d: n for d, n in before[m] if d != luoyang}, m
