"""The whole path, for real: the five samples through the Dagster asset graph (ingestion →
DuckDB staging → dbt) into a temporary warehouse, then every golden figure looked up in
the marts a researcher queries."""
from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLE_STEMS
from conftest import document_id_of as _document_id

from golden_facts import golden_facts


def _mart_fact(con, document_id: str, key: tuple):
    scope, classification, code, measure = key
    if classification == "function":
        sql = ("select amount_yuan, statements_agree, is_derived from marts.fct_function_spending "
               "where document_id = ? and fund_scope = ? and function_code = ? and measure = ?")
        args = [document_id, scope, code, measure]
    elif classification in ("econ_dept", "econ_gov"):
        sql = ("select amount_yuan, statements_agree, is_derived from marts.fct_economic_spending "
               "where document_id = ? and fund_scope = ? and classification = ? and econ_code = ? and measure = ?")
        args = [document_id, scope, classification, code, measure]
    else:
        sql = ("select amount_yuan, statements_agree, false from marts.fct_document_totals "
               "where document_id = ? and fund_scope = ? and measure = ?")
        args = [document_id, scope, measure]
    rows = con.execute(sql, args).fetchall()
    assert len(rows) <= 1, (key, rows)
    return rows[0] if rows else None


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_every_golden_figure_is_in_the_marts_to_the_fen(con, stem):
    document_id = _document_id(con, stem)
    problems = []
    for key, fact in golden_facts(stem).items():
        row = _mart_fact(con, document_id, key)
        if row is None:
            problems.append(f"missing {key}")
        elif (Decimal(row[0]), row[1], row[2]) != (fact.amount_yuan, fact.agree, False):
            problems.append(f"{key}: marts {row}, document {fact.amount_yuan} agree={fact.agree}")
    assert not problems, "\n".join(problems)


def test_stated_rows_are_exactly_the_golden_ones(con):
    """No figure appears in the marts that a person did not read in the document."""
    for stem in SAMPLE_STEMS:
        document_id = _document_id(con, stem)
        stated = con.execute("""
            select fund_scope, 'function', function_code, measure from marts.fct_function_spending
             where document_id = $1 and not is_derived
            union all
            select fund_scope, classification, econ_code, measure from marts.fct_economic_spending
             where document_id = $1 and not is_derived
            union all
            select fund_scope, 'total', null, measure from marts.fct_document_totals where document_id = $1
        """, [document_id]).fetchall()
        assert sorted(map(str, stated)) == sorted(map(str, golden_facts(stem))), stem


@pytest.mark.parametrize("stem,scope,code,amount_wan", [
    # luoyang's 部门支出总体情况表 states only 项 codes: 210 = 3.2 + 1,176.0 + 1,450.0 + 80.5 + 63.5
    # + 62.0 + 356.0 + 585.0 + 2.0 (its total 3,785.2 less 208's 4.0 and 221's 3.0)
    ("luoyang_2020_budget", "all", "210", "3778.2"),
    ("luoyang_2020_budget", "general_public", "21015", "208.0"),    # 80.5 + 63.5 + 62.0 + 2.0
    ("luoyang_2020_budget", "all", "21015", "1149.0"),              # … + 356.0 + 585.0
    # yanbian names 项 in sentences: sections are derived
    ("yanbian_2020_final", "general_public", "21015", "511.83"),    # 197.31 + 314.52
    ("yanbian_2020_final", "general_public", "21305", "218.47"),
])
def test_parents_the_document_does_not_state_are_derived(con, stem, scope, code, amount_wan):
    row = con.execute("""select amount_yuan, is_derived from marts.fct_function_spending
                          where document_id = ? and fund_scope = ? and function_code = ? and measure = 'total'""",
                      [_document_id(con, stem), scope, code]).fetchone()
    assert row == (Decimal(amount_wan) * 10000, True)


def test_a_stated_parent_is_kept_even_when_its_children_disagree(con):
    # yanbian: 卫生健康支出 1703.95 万元 stated; its items sum to 1703.96
    row = con.execute("""select amount_yuan, is_derived from marts.fct_function_spending
                          where document_id = ? and fund_scope = 'general_public' and function_code = '210'
                            and measure = 'total'""", [_document_id(con, "yanbian_2020_final")]).fetchone()
    assert row == (Decimal("17039500.00"), False)


def test_documents_dimension(con):
    rows = con.execute("""select region_code, admin_level, fiscal_year, stage, parse_status, file_format
                            from marts.dim_document order by region_code""").fetchall()
    assert rows == [
        ("130532", "county", 2023, "budget", "parsed", "txt"),
        ("410300", "prefecture", 2020, "budget", "parsed", "txt"),
        ("430424", "county", 2021, "budget", "parsed", "txt"),
        ("510422", "county", 2020, "final", "parsed", "txt"),
        ("611022", "county", 2020, "budget", "parsed", "txt"),
    ]


def test_lineage_leads_back_to_the_printed_cell(con):
    row = con.execute("""select table_number, raw_code, raw_amount, unit, line_number, sha256
                           from marts.fct_economic_spending
                          where document_id = ? and fund_scope = 'general_public' and classification = 'econ_dept'
                            and econ_code = '30103' and measure = 'total'""",
                      [_document_id(con, "danfeng_2020_budget")]).fetchone()
    table_number, raw_code, raw_amount, unit, line_number, sha = row
    assert (table_number, raw_code, raw_amount, unit) == ("表6", "30103", "74", "百元")
    text = (ROOT / "data/samples/danfeng_2020_budget.txt").read_text(encoding="utf-8").splitlines()
    assert text[line_number - 1].startswith("30103\t奖金\t50101")
    import hashlib
    assert sha == hashlib.sha256((ROOT / "data/samples/danfeng_2020_budget.txt").read_bytes()).hexdigest()


def _failures(con, stem: str) -> set[tuple]:
    return set(con.execute("""select rule_id, fund_scope, code, measure from marts.dq_results
                               where document_id = ? and status = 'fail'""", [_document_id(con, stem)]).fetchall())


def test_the_documents_real_inconsistencies_fail_their_rules(con):
    # yanbian: 卫生健康支出 stated 1703.95 万元, its items sum to 1703.96 (parent = Σ children)
    yanbian = _failures(con, "yanbian_2020_final")
    assert ("R01", "general_public", "210", "total") in yanbian
    # yanbian: 基本支出 238.29 ≠ 人员经费 214.15 + 日常公用经费 24.13
    assert ("R04", "general_public", None, "basic") in yanbian
    # danfeng: 表6 prints 505 = 11,339 百元 on its class row; its own 505 items sum to 11,370 (as 表4 says)
    assert ("R02", "general_public", "505", "total") in _failures(con, "danfeng_2020_budget")
    assert any(rule == "R09" for rule, *_ in _failures(con, "danfeng_2020_budget"))
    # luoyang: 财政拨款收支总体情况表 leaves 住房保障 blank: classes 2,841.2 against a total of 2,844.2
    assert ("R05", "fiscal_grant", None, "total") in _failures(con, "luoyang_2020_budget")
    # pingxiang adds up
    assert _failures(con, "pingxiang_2023_budget") == set()
    row = con.execute("""select expected_yuan, actual_yuan, difference_yuan, tolerance_yuan from marts.dq_results
                         where document_id = ? and rule_id = 'R01' and code = '210' and fund_scope = 'general_public'
                           and measure = 'total'""", [_document_id(con, "yanbian_2020_final")]).fetchone()
    assert row == (Decimal("17039600.00"), Decimal("17039500.00"), Decimal("-100.00"), Decimal("0.00"))


def test_facts_a_failing_rule_involves_are_not_reconciled(con):
    row = con.execute("""select reconciled from marts.fct_function_spending where document_id = ?
                         and fund_scope = 'general_public' and function_code = '210' and measure = 'total'""",
                      [_document_id(con, "yanbian_2020_final")]).fetchone()
    assert row == (False,)
    assert con.execute("""select bool_and(reconciled) from marts.fct_function_spending where document_id = ?""",
                       [_document_id(con, "pingxiang_2023_budget")]).fetchone() == (True,)
