"""Stated execution rates (ingestion/statements/execution.py, staging.stated_execution) and the mart that sets
them beside the budget (marts.mart_budget_execution), against the figures read by hand from yanbian's final
account (tests/golden/stated_execution/yanbian_2020_final.csv, with the line of each sentence)."""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of
from golden_rows import assert_same, read, typed

from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument

GOLDEN = ROOT / "tests" / "golden" / "stated_execution" / "yanbian_2020_final.csv"
FIELDS = ("line_number", "subject_kind", "fund_scope", "code", "subject_name", "raw_final", "final_unit",
          "final_amount_yuan", "raw_rate", "rate_pct", "raw_budget", "budget_unit", "budget_amount_yuan")
DECIMALS = {"final_amount_yuan": "0.01", "budget_amount_yuan": "0.01", "rate_pct": "0.0001"}


def golden() -> list[dict]:
    return read(GOLDEN)


def parsed(doc) -> list[tuple]:
    return [typed({**r.values, **r.lineage()}, FIELDS, DECIMALS) for r in doc.statements["stated_execution"]]


def test_parser_gives_the_golden_rates(parsed_samples):
    expected = [typed(r, FIELDS, DECIMALS) for r in golden()]
    assert len(expected) == 14
    assert_same(expected, parsed(parsed_samples["yanbian_2020_final"]), "yanbian_2020_final")


@pytest.mark.parametrize("stem", [s for s in SAMPLE_STEMS if s != "yanbian_2020_final"])
def test_budget_documents_state_no_execution_rate(parsed_samples, stem):
    assert parsed_samples[stem].statements["stated_execution"] == []


def test_function_rates_link_to_the_line_item_of_the_same_sentence(parsed_samples):
    doc = parsed_samples["yanbian_2020_final"]
    for r in doc.statements["stated_execution"]:
        index = r.values["line_item_index"]
        if r.values["subject_kind"] != "function":
            assert index is None
            continue
        item = doc.items[index - 1]  # staging.line_items.item_index is 1-based
        assert (item.code, item.line_number, item.amount, item.unit) == (
            r.values["code"], r.lineage()["line_number"], r.values["final_amount"], r.values["final_unit"])


def _final(*lines: str) -> ParsedDocument:
    text = "\n".join(["某县医疗保障局2020年度部门决算", "", *lines])
    doc = ParsedDocument("t", "t", "t.txt", "t.txt", "txt", len(text))
    read_text(doc, text, load_catalogs())
    return doc


def test_a_name_no_line_item_holds_is_looked_up_and_other_subjects_are_kept_as_printed():
    doc = _final("2020年部门决算情况说明",
                 "卫生健康支出（类）医疗救助（款）城乡医疗救助（项）：支出决算为471.26万元，完成预算100%；"
                 "卫生健康支出（类）医疗救助（款）城乡医疗救助（项）：支出决算为12.00万元，完成预算99.50%。",
                 "2020年本部门培训费支出3.5万元，预算执行率87.5%。")
    rows = [(r.values["subject_kind"], r.values["code"], r.values["raw_final"], r.values["rate_pct"])
            for r in doc.statements["stated_execution"]]
    assert rows == [("function", "2101301", "471.26", Decimal("100")),
                    ("function", "2101301", "12.00", Decimal("99.50")),
                    ("other", None, "3.5", Decimal("87.5"))]


def test_a_rate_without_a_figure_before_it_is_no_row():
    assert _final("全年完成预算100%，各项工作顺利推进。").statements["stated_execution"] == []


# ---------------------------------------------------------------------------
# the warehouse of the five samples: yanbian's rates, no budget document to set them against
# ---------------------------------------------------------------------------
def _implied(final_yuan: Decimal, rate: Decimal) -> Decimal:
    return (final_yuan * 100 / rate).quantize(Decimal("0.01"))


def test_staged_rates_are_the_golden_rates(con):
    fields = ", ".join(FIELDS)
    rows = con.execute(f"select {fields} from stg.stg_stated_execution where document_id = ?",
                       [document_id_of(con, "yanbian_2020_final")]).fetchall()
    assert_same([typed(r, FIELDS, DECIMALS) for r in golden()],
                [typed(dict(zip(FIELDS, r)), FIELDS, DECIMALS) for r in rows], "stg_stated_execution")
    assert con.execute("select count(*) from stg.stg_stated_execution").fetchone()[0] == 14


def test_the_mart_has_every_stated_rate_with_the_budget_it_implies(con):
    expected = []
    for r in golden():
        final, rate = Decimal(r["final_amount_yuan"]), Decimal(r["rate_pct"])
        expected.append((r["subject_kind"], r["fund_scope"], r["code"] or None, r["subject_name"], final,
                         rate.quantize(Decimal("0.0001")), Decimal(r["budget_amount_yuan"]) if r["budget_amount_yuan"] else None,
                         _implied(final, rate), int(r["line_number"])))
    rows = con.execute("""
        select subject_kind, fund_scope, code, subject_name, final_yuan, stated_rate_pct, stated_budget_yuan,
               implied_budget_yuan, rate_line_number
        from marts.mart_budget_execution
        where final_document_id = ? and budget_document_id is null and not has_budget_document
          and budget_yuan is null and rate_agrees is null and computed_rate_pct is null""",
                       [document_id_of(con, "yanbian_2020_final")]).fetchall()
    assert_same(expected, rows, "mart_budget_execution")
    assert con.execute("select count(*) from marts.mart_budget_execution").fetchone()[0] == 14  # no budget/final pair
    # the project of line 158: 预算数 10万元, 执行数 8万元, 完成预算的80%: the implied budget is the stated one
    assert con.execute("""select implied_budget_yuan = stated_budget_yuan from marts.mart_budget_execution
                          where subject_name = '基层医疗机构业务网络通信费'""").fetchone() == (True,)


# ---------------------------------------------------------------------------
# a budget / final pair: a SYNTHETIC budget document for yanbian's department and year
# ---------------------------------------------------------------------------
# SYNTHETIC: this is NOT a real disclosure. It is a minimal budget document written for this test only, for the
# department and year of the real final account data/samples/yanbian_2020_final.txt (盐边县医疗保障局, 2020), so
# that the warehouse has a budget / final pair. Its budgets are chosen so that yanbian's stated rates (lines
# 98-106) are true for 2080505 (18.57 / 18.70 = 99.305% → 99.30%), 2101202 and 2101301 (100%), 2101501
# (197.31 / 151.56 = 130.186% → 130.19%) and 2210201 (22.41 / 22.86 = 98.031% → 98.03%), and false for 2101599
# (314.52 / 300.00 = 104.84%, stated 100%); 2130506 (社会发展, stated 100%) has no budget here.
SYNTHETIC_BUDGET = "\n".join([
    "盐边县医疗保障局2020年部门预算",
    "",
    "SYNTHETIC TEST FIXTURE (tests/test_execution.py): not a real disclosure.",
    "",
    "表5",
    "",
    "2020年一般公共预算支出表",
    "",
    "单位：万元",
    "",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "\t合计\t1,685.25\t193.12\t1,492.13",
    "2080505\t机关事业单位基本养老保险缴费支出\t18.70\t18.70\t",
    "2101202\t财政对城乡居民基本医疗保险基金的补助\t720.87\t\t720.87",
    "2101301\t城乡医疗救助\t471.26\t\t471.26",
    "2101501\t行政运行\t151.56\t151.56\t",
    "2101599\t其他医疗保障管理事务支出\t300.00\t\t300.00",
    "2210201\t住房公积金\t22.86\t22.86\t",
]) + "\n"
SYNTHETIC_BUDGETS_WAN = {"2080505": "18.70", "2101202": "720.87", "2101301": "471.26", "2101501": "151.56",
                         "2101599": "300.00", "2210201": "22.86"}


@pytest.fixture(scope="module")
def pair_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pair")
    inbox = tmp / "inbox"
    inbox.mkdir()
    (inbox / "synthetic_yanbian_2020_budget.txt").write_text(SYNTHETIC_BUDGET, encoding="utf-8")
    # data/samples (yanbian_2020_final.txt among them) is always loaded too
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp / "warehouse.duckdb"), BUDGET_WAREHOUSE_INBOX=str(inbox),
               DAGSTER_HOME=str(tmp / "dagster_home"))
    run = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"the build failed:\n{run.stdout}\n{run.stderr}"
    assert "Documents: 6" in run.stdout, run.stdout
    return tmp / "warehouse.duckdb", run.stdout


@pytest.fixture(scope="module")
def pair(pair_build):
    with duckdb.connect(str(pair_build[0]), read_only=True) as c:
        final = c.execute("select document_id from marts.dim_document where source_path like '%yanbian_2020_final.txt'").fetchone()[0]
        budget = c.execute("select document_id from marts.dim_document where file_name = 'synthetic_yanbian_2020_budget.txt'").fetchone()[0]
        yield c, budget, final


def _tolerance(rate_decimals: int, final: Decimal, budget: Decimal, half_unit: Decimal = Decimal(50)) -> Decimal:
    """0.5 × 10^-d + 100 × (hF / B + F × hB / B²), both figures printed in 万元 with 2 decimals (hF = hB = 50 yuan)."""
    return Decimal("0.5") * Decimal(10) ** -rate_decimals + 100 * (half_unit / budget + final * half_unit / budget ** 2)


def test_a_pair_sets_each_stated_rate_beside_the_computed_one(pair):
    con, budget_id, final_id = pair
    rows = {r[0]: r[1:] for r in con.execute("""
        select code, budget_yuan, final_yuan, execution_rate, computed_rate_pct, stated_rate_pct, rate_tolerance_pct,
               rate_agrees
        from marts.mart_budget_execution
        where final_document_id = ? and budget_document_id = ? and subject_kind = 'function'
          and fund_scope = 'general_public' and measure = 'total' and length(code) = 7""",
        [final_id, budget_id]).fetchall()}
    stated = {r["code"]: (Decimal(r["final_amount_yuan"]), Decimal(r["rate_pct"]), r["raw_rate"])
              for r in golden() if r["subject_kind"] == "function"}
    assert set(rows) == set(stated)  # the final states no item the budget does not, and the reverse
    agrees = {}
    for code, (final, rate, raw_rate) in stated.items():
        b, f, execution_rate, computed, stated_pct, tolerance, agree = rows[code]
        assert (f, stated_pct) == (final, rate)
        if code not in SYNTHETIC_BUDGETS_WAN:
            assert (b, execution_rate, computed, tolerance, agree) == (None, None, None, None, None), code
            continue
        budget = Decimal(SYNTHETIC_BUDGETS_WAN[code]) * 10000
        assert b == budget
        assert execution_rate == (final / budget).quantize(Decimal("0.000001"))
        assert computed == (100 * final / budget).quantize(Decimal("0.0001"))
        decimals = len(raw_rate.rstrip("%").partition(".")[2])
        assert abs(tolerance - _tolerance(decimals, final, budget)) < Decimal("0.000002"), code
        agrees[code] = agree
    assert agrees == {"2080505": True, "2101202": True, "2101301": True, "2101501": True, "2101599": False,
                      "2210201": True}


def test_a_pair_matches_every_figure_of_either_document(pair):
    con, budget_id, final_id = pair
    def keys(doc):
        return set(con.execute("""select fund_scope, function_code, measure, amount_yuan from marts.fct_function_spending
                                  where document_id = ?""", [doc]).fetchall())
    budget_keys, final_keys = keys(budget_id), keys(final_id)
    mart = con.execute("""
        select fund_scope, code, measure, budget_yuan, final_yuan from marts.mart_budget_execution
        where final_document_id = ? and budget_document_id = ? and subject_kind = 'function'""",
                       [final_id, budget_id]).fetchall()
    assert {(s, c, m, b) for s, c, m, b, _ in mart if b is not None} == budget_keys
    assert {(s, c, m, f) for s, c, m, _, f in mart if f is not None} == final_keys
    assert len(mart) == len({(s, c, m) for s, c, m, _, _ in mart})
    # the document totals pair too: 一般公共预算 1,685.25万元 budgeted, 1963.40万元 spent (yanbian line 97)
    assert con.execute("""
        select budget_yuan, final_yuan from marts.mart_budget_execution
        where final_document_id = ? and budget_document_id = ? and subject_kind = 'total'
          and fund_scope = 'general_public' and measure = 'total'""", [final_id, budget_id]).fetchall() == [
        (Decimal("16852500.00"), Decimal("19634000.00"))]


def test_rates_about_subjects_no_budget_figure_has_stay_on_rows_of_their_own(pair):
    con, budget_id, final_id = pair
    rows = con.execute("""
        select subject_kind, count(*), bool_and(has_budget_document), bool_and(rate_agrees is null)
        from marts.mart_budget_execution where final_document_id = ? and budget_document_id is null
        group by subject_kind order by subject_kind""", [final_id]).fetchall()
    assert rows == [("project", 5, True, True), ("three_public", 2, True, True)]


def test_the_warn_test_names_the_rate_that_disagrees(pair_build):
    _, stdout = pair_build
    assert "mart_budget_execution_a_stated_rate_is_what_budget_and_final_give, 1 failing rows" in stdout, stdout
