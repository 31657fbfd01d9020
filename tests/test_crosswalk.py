"""The cross-year function-code crosswalk (marts.dim_function_crosswalk, fct_function_spending.current_function_code)
and the region × year × function mart (marts.mart_region_year_function):

- renamed classes and sections land on their current code and name, whatever the year printed;
- the moved-code mechanism (seed ref_function_code_moves, empty until a move is sourced) with test-only rows
  written into a copy of the session warehouse, then `dbt build` of everything downstream of the seed;
- the mart against figures read by hand from the samples (tests/golden/crosswalk/region_year_function.csv);
- a corpus build: the narrative and the tables file of one Jiangsu disclosure state the same figures, and the
  mart counts them once; a revised document replaces its first version.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, document_id_of

GOLDEN = ROOT / "tests" / "golden" / "crosswalk" / "region_year_function.csv"
CORPUS = ROOT / "data" / "corpus" / "jiangsu_provincial"
ZHENGXIE_2018 = ["江苏省政协办公厅_江苏省政协办公厅2018年度部门预算.pdf",  # narrative
                 "江苏省政协办公厅_江苏省政协办公厅2018度部门预算公开表.pdf"]  # tables


def _d(value: str) -> Decimal | None:
    return Decimal(value) if value else None


# ----------------------------------------------------------------------------------------------------------------
# the crosswalk


def _crosswalk(con, name: str, year: int) -> set[tuple]:
    """What a name printed in a document of `year` maps to: the crosswalk rows of that name whose years cover it."""
    return set(con.execute(
        """select function_code, current_function_code, current_name, relation from marts.dim_function_crosswalk
           where name = ? and coalesce(valid_from_year, 0) <= ? and coalesce(valid_to_year, 9999) >= ?""",
        [name, year, year]).fetchall())


@pytest.mark.parametrize("printed,year,expected", [
    # 江苏省政协办公厅 2018 公开01表 (tables PDF page 1): 九、医疗卫生与计划生育支出, 七、文化体育与传媒支出, 十七、国土海洋气象等支出
    ("医疗卫生与计划生育支出", 2018, ("210", "210", "卫生健康支出", "renamed")),
    ("文化体育与传媒支出", 2018, ("207", "207", "文化旅游体育与传媒支出", "renamed")),
    ("国土海洋气象等支出", 2018, ("220", "220", "自然资源海洋气象等支出", "renamed")),
    # the same PDF, 公开05表 page 5: 20805 行政事业单位离退休 823.76
    ("行政事业单位离退休", 2018, ("20805", "20805", "行政事业单位养老支出", "renamed")),
    # danfeng_2020_budget.txt line 321: 210 卫生健康支出; line 317: 20805 行政事业单位养老支出; line 289: 15、资源勘探信息等支出
    ("卫生健康支出", 2020, ("210", "210", "卫生健康支出", "same")),
    ("行政事业单位养老支出", 2020, ("20805", "20805", "行政事业单位养老支出", "same")),
    ("资源勘探信息等支出", 2020, ("215", "215", "资源勘探工业信息等支出", "renamed")),
    # yanbian_2020_final.txt line 104: 农林水支出（类）扶贫（款）社会发展（项）
    ("扶贫", 2020, ("21305", "21305", "巩固脱贫攻坚成果衔接乡村振兴", "renamed")),
    # luoyang_2020_budget.txt line 252: 十、卫生健康 (a short form printed in the class list)
    ("卫生健康", 2020, ("210", "210", "卫生健康支出", "same")),
])
def test_a_printed_name_of_its_year_lands_on_the_current_code(con, printed, year, expected):
    assert _crosswalk(con, printed, year) == {expected}


def test_the_old_and_the_new_name_of_health_are_one_current_code(con):
    rows = con.execute("""select name, valid_from_year, valid_to_year, current_function_code, current_name, relation
                          from marts.dim_function_crosswalk where function_code = '210' and not is_name_variant
                          order by name""").fetchall()
    assert rows == [("医疗卫生与计划生育支出", None, 2018, "210", "卫生健康支出", "renamed"),
                    ("卫生健康支出", 2019, None, "210", "卫生健康支出", "same")]


def test_a_code_last_seen_without_successor_is_retired_and_stays_itself(con):
    # 2040404 查办和预防职务犯罪: seen in the Jiangsu 2017 procuratorate files only, no later name, no move known
    row = con.execute("""select current_function_code, current_name, relation, confidence
                         from marts.dim_function_crosswalk where function_code = '2040404'""").fetchall()
    assert row == [("2040404", "查办和预防职务犯罪", "retired", "medium")]


def test_every_catalogued_row_is_in_the_crosswalk_once(con):
    catalog = con.execute("select count(*) from reference.ref_function_codes").fetchone()[0]
    crosswalk = con.execute("select count(*), count(distinct (function_code, name)) "
                            "from marts.dim_function_crosswalk where in_catalog").fetchone()
    assert crosswalk == (catalog, catalog)


def test_the_moves_seed_holds_only_sourced_rows():
    with (ROOT / "dbt_project" / "seeds" / "ref_function_code_moves.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == ["old_code", "old_name", "new_code", "new_name", "from_year", "source",
                                 "confidence", "note"]
    for row in rows:  # none yet: no stored source states a move (seeds.yml, CHANGES.md)
        assert row["source"].strip() and row["source"] != "memory" and row["confidence"] in ("high", "medium"), row


def test_facts_keep_the_raw_code_beside_the_current_one(con):
    yanbian = document_id_of(con, "yanbian_2020_final")
    row = con.execute("""select function_code, function_name, current_function_code, current_function_name
                         from marts.fct_function_spending where document_id = ? and function_code = '21305'""",
                      [yanbian]).fetchall()
    assert row == [("21305", "扶贫", "21305", "巩固脱贫攻坚成果衔接乡村振兴")]
    # no move is seeded: every figure's current code is its raw code, and health is 卫生健康支出 in every sample
    assert con.execute("""select count(*) from marts.fct_function_spending
                          where current_function_code <> function_code""").fetchone()[0] == 0
    names = con.execute("""select distinct current_function_name from marts.fct_function_spending
                           where function_code = '210'""").fetchall()
    assert names == [("卫生健康支出",)]


# ----------------------------------------------------------------------------------------------------------------
# the mart against figures read by hand


def _golden() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_region_year_function_classes_match_the_hand_read_figures(con):
    golden = {(r["region_code"], int(r["fiscal_year"]), r["stage"], r["fund_scope"], r["current_function_code"]):
              (_d(r["amount_yuan"]), _d(r["basic_yuan"]), _d(r["project_yuan"]), 1) for r in _golden()}
    regions = sorted({key[0] for key in golden})
    mart = {tuple(row[:5]): tuple(row[5:]) for row in con.execute(
        f"""select region_code, fiscal_year, stage, fund_scope, current_function_code,
                   amount_yuan, basic_yuan, project_yuan, n_disclosures
            from marts.mart_region_year_function
            where function_level = 'class' and region_code in ({', '.join('?' for _ in regions)})""",
        regions).fetchall()}
    missing = sorted(set(golden) - set(mart))
    unexpected = sorted(set(mart) - set(golden))
    wrong = {k: (golden[k], mart[k]) for k in golden if k in mart and golden[k] != mart[k]}
    assert not missing, missing
    assert not unexpected, unexpected
    assert not wrong, wrong


def test_region_year_function_rows_carry_names_levels_and_reconciliation(con):
    row = con.execute("""select region_name, admin_level, province_code, function_level, current_function_name,
                                current_class_code, current_class_name, raw_function_codes, n_departments,
                                n_documents, all_reconciled, n_derived_figures, document_ids
                         from marts.mart_region_year_function
                         where region_code = '611022' and fiscal_year = 2020 and stage = 'budget'
                           and fund_scope = 'general_public' and current_function_code = '210'""").fetchone()
    danfeng = document_id_of(con, "danfeng_2020_budget")
    assert row == ("丹凤县", "county", "610000", "class", "卫生健康支出", "210", "卫生健康支出", "210", 1, 1, True, 0,
                   danfeng)
    # luoyang's all-funds 210 is derived from its items (部门支出总体情况表 has no class row): 3 derived figures
    assert con.execute("""select n_derived_figures, all_reconciled from marts.mart_region_year_function
                          where region_code = '410300' and fund_scope = 'all' and current_function_code = '210'"""
                       ).fetchone() == (3, True)
    # luoyang's 财政拨款 卫生健康 2,837.2 (line 252) is involved in a failing check: the row says so
    assert con.execute("""select all_reconciled, n_unreconciled_figures from marts.mart_region_year_function
                          where region_code = '410300' and fund_scope = 'fiscal_grant' and current_function_code = '210'"""
                       ).fetchone() == (False, 1)


def test_region_year_function_sections_sum_their_figures(con):
    # danfeng 表5 (百元): 21004 公共卫生 2,000 (line 322, 专项业务经费 2,000), 21015 医疗保障管理事务 9,419 (line 327)
    # and 表7 21015 基本支出 8,619 (line 393)
    rows = dict((code, rest) for code, *rest in con.execute(
        """select current_function_code, amount_yuan, basic_yuan, project_yuan, current_class_code
           from marts.mart_region_year_function where region_code = '611022' and fund_scope = 'general_public'
             and function_level = 'section'""").fetchall())
    assert rows["21004"] == [Decimal("200000.00"), None, Decimal("200000.00"), "210"]
    assert rows["21015"] == [Decimal("941900.00"), Decimal("861900.00"), Decimal("80000.00"), "210"]


# ----------------------------------------------------------------------------------------------------------------
# the moved-code mechanism: test-only rows in a copy of the session warehouse's seed table

FIXTURE_MOVES = [
    # not real moves: rows that exercise the mechanism on codes the samples print
    ("21004", "公共卫生", "21011", "行政事业单位医疗", 2021, "test fixture", "high", "merge into a code printed beside it"),
    ("2101506", "医疗保障经办事务", "2101550", "事业运行", 2021, "test fixture", "high", "first step of a chain"),
    ("2101550", "事业运行", "2101599", "其他医疗保障管理事务支出", 2022, "test fixture", "medium", "second step"),
    # 20805 has a catalog meaning from 2020 (行政事业单位养老支出): only earlier figures may move
    ("20805", "行政事业单位离退休", "20899", "其他社会保障和就业支出", 2020, "test fixture", "high", "code reused"),
    # a code the catalog does not list
    ("2109801", "测试用已撤销科目", "2101101", "行政单位医疗", 2018, "test fixture", "high", "uncatalogued old code"),
]


@pytest.fixture(scope="module")
def moved_con(warehouse, tmp_path_factory):
    from orchestration import settings

    tmp = tmp_path_factory.mktemp("moves")
    db = tmp / warehouse.name  # same file name: DuckDB names the database after it and dbt's views use that name
    shutil.copyfile(warehouse, db)
    with duckdb.connect(str(db)) as c:
        c.executemany("insert into reference.ref_function_code_moves values (?, ?, ?, ?, ?, ?, ?, ?)", FIXTURE_MOVES)
    run = subprocess.run(
        [str(settings.dbt_executable()), "build", "--select", "int_function_code_moves+",
         "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", str(tmp / "target"),
         "--log-path", str(tmp / "logs")],
        cwd=settings.DBT_PROJECT_DIR, env=settings.dbt_env(db), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert " ERROR=0 " in run.stdout, run.stdout
    # the figures' current codes follow the crosswalk with these moves too (a singular dbt test)
    assert "PASS assert_function_current_code_follows_the_crosswalk" in run.stdout, run.stdout
    with duckdb.connect(str(db), read_only=True) as c:
        yield c


def test_moved_codes_map_to_their_successor_in_the_crosswalk(moved_con):
    rows = {(code, name): rest for code, name, *rest in moved_con.execute(
        """select function_code, name, current_function_code, current_name, relation, move_path, in_catalog,
                  valid_to_year
           from marts.dim_function_crosswalk
           where function_code in ('21004', '2101506', '2101550', '20805', '2109801', '2100499')""").fetchall()}
    assert rows[("21004", "公共卫生")] == ["21011", "行政事业单位医疗", "moved", "21004 → 21011 (2021)", True, None]
    assert rows[("2101506", "医疗保障经办事务")] == [
        "2101599", "其他医疗保障管理事务支出", "moved", "2101506 → 2101550 (2021) → 2101599 (2022)", True, None]
    assert rows[("2101550", "事业运行")][:3] == ["2101599", "其他医疗保障管理事务支出", "moved"]
    # the code reused from 2020: its old name moves, its own meaning since 2020 stays
    assert rows[("20805", "行政事业单位离退休")][:3] == ["20899", "其他社会保障和就业支出", "moved"]
    assert rows[("20805", "行政事业单位养老支出")][:3] == ["20805", "行政事业单位养老支出", "same"]
    # an old code the catalog does not list gets a row of its own, named as the seed names it, until the move
    assert rows[("2109801", "测试用已撤销科目")] == ["2101101", "行政单位医疗", "moved", "2109801 → 2101101 (2018)",
                                                 False, 2017]
    # a move concerns the code it names, not its children
    assert rows[("2100499", "其他公共卫生支出")][:3] == ["2100499", "其他公共卫生支出", "same"]


def test_moved_figures_keep_their_raw_code(moved_con):
    danfeng = document_id_of(moved_con, "danfeng_2020_budget")
    rows = set(moved_con.execute(
        """select function_code, current_function_code, current_function_name from marts.fct_function_spending
           where document_id = ? and fund_scope = 'general_public' and measure = 'total'
             and function_code in ('21004', '2101506', '20805', '2100499')""", [danfeng]).fetchall())
    assert rows == {("21004", "21011", "行政事业单位医疗"),
                    ("2101506", "2101599", "其他医疗保障管理事务支出"),
                    ("20805", "20805", "行政事业单位养老支出"),  # 2020: the code's own meaning, not moved
                    ("2100499", "2100499", "其他公共卫生支出")}


def test_the_mart_sums_a_moved_code_into_its_successor(moved_con):
    # danfeng 表5 (百元): 21004 公共卫生 2,000 (line 322) + 21011 行政事业单位医疗 571 (line 324) = 2,571
    rows = {code: rest for code, *rest in moved_con.execute(
        """select current_function_code, amount_yuan, raw_function_codes, raw_function_names, n_disclosures, n_figures
           from marts.mart_region_year_function
           where region_code = '611022' and fund_scope = 'general_public' and function_level = 'section'"""
    ).fetchall()}
    assert "21004" not in rows
    assert rows["21011"] == [Decimal("257100.00"), "21004 | 21011", "公共卫生 | 行政事业单位医疗", 1, 4]
    # the class is untouched (the move is within 210): 表5 line 321 11,990
    assert moved_con.execute("""select amount_yuan from marts.mart_region_year_function
                                where region_code = '611022' and fund_scope = 'general_public'
                                  and current_function_code = '210'""").fetchone() == (Decimal("1199000.00"),)


# ----------------------------------------------------------------------------------------------------------------
# a corpus build: the narrative + tables pair of one Jiangsu disclosure, and a revised document


def _revisable(note: str, amount: str) -> str:
    """A short budget of 柞水县医疗保障局 with one 一般公共预算 function table (万元)."""
    return "\n".join([
        "柞水县医疗保障局 2021 年部门预算", "", note, "", "表5", "", "2021年部门预算一般公共预算支出明细表(按功能科目分)", "",
        "单位：万元", "", "功能科目编码\t功能科目名称\t合计", f"\t合计\t{amount}", f"210\t卫生健康支出\t{amount}",
        f"21015\t医疗保障管理事务\t{amount}", f"2101501\t行政运行\t{amount}"]) + "\n"


@pytest.fixture(scope="module")
def corpus_con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crosswalk_corpus")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for name in ZHENGXIE_2018:
        shutil.copyfile(CORPUS / name, inbox / name)
    (inbox / "zhashui_2021.txt").write_text(_revisable("初稿", "100.00"), encoding="utf-8")
    (inbox / "zhashui_2021_更正.txt").write_text(_revisable("更正稿", "101.00"), encoding="utf-8")
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp / "warehouse.duckdb"), BUDGET_WAREHOUSE_INBOX=str(inbox),
               DAGSTER_HOME=str(tmp / "dagster_home"))
    run = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    with duckdb.connect(str(tmp / "warehouse.duckdb"), read_only=True) as c:
        yield c


def _zhengxie(con, fund_scope: str, code: str) -> tuple:
    return con.execute(
        """select amount_yuan, n_disclosures, n_documents, document_ids, current_function_name, raw_function_names,
                  n_figures_documents_disagree
           from marts.mart_region_year_function
           where region_code = '320000' and fiscal_year = 2018 and stage = 'budget' and fund_scope = ?
             and current_function_code = ?""", [fund_scope, code]).fetchone()


def test_the_narrative_and_the_tables_file_are_one_disclosure(corpus_con):
    rows = corpus_con.execute("""select file_name, disclosure_id from marts.dim_document
                                 where file_name in (?, ?)""", ZHENGXIE_2018).fetchall()
    assert len(rows) == 2 and len({d for _, d in rows}) == 1, rows
    # both state 社会保障和就业 823.76 万元 for the 一般公共预算 (a double count would give 1,647.52)
    stated = corpus_con.execute(
        """select d.file_name, f.amount_yuan from marts.fct_function_spending f join marts.dim_document d using (document_id)
           where d.file_name in (?, ?) and f.fund_scope = 'general_public' and f.function_code = '208'
             and f.measure = 'total' and not f.is_derived""", ZHENGXIE_2018).fetchall()
    assert sorted(stated) == [(ZHENGXIE_2018[0], Decimal("8237600.00")), (ZHENGXIE_2018[1], Decimal("8237600.00"))]


def test_the_pair_is_counted_once_with_the_table_statement(corpus_con):
    tables_doc = corpus_con.execute("select document_id from marts.dim_document where file_name = ?",
                                    [ZHENGXIE_2018[1]]).fetchone()[0]
    # tables PDF 公开07表 一般公共预算支出预算表, page 7: 208 社会保障和就业支出 823.76 万元;
    # narrative page 8: 2.社会保障和就业（类）支出 823.76 万元
    assert _zhengxie(corpus_con, "general_public", "208") == (
        Decimal("8237600.00"), 1, 1, tables_doc, "社会保障和就业支出", "社会保障和就业支出", 0)
    # page 7: 201 一般公共服务支出 7,747.46 万元 (the narrative's 7,827.46 on page 8 includes 其他资金 80.00; the
    # table statement is taken, the narrative's is not added)
    assert _zhengxie(corpus_con, "general_public", "201")[:4] == (Decimal("77474600.00"), 1, 1, tables_doc)
    # page 7: 20805 行政事业单位离退休 823.76 万元, stated; the narrative (page 11) names only some of its items, from
    # which 20805 would be derived: the stated figure wins, under today's name, the printed one beside it
    assert _zhengxie(corpus_con, "general_public", "20805")[:6] == (
        Decimal("8237600.00"), 1, 1, tables_doc, "行政事业单位养老支出", "行政事业单位离退休")
    # 公开01表 收支预算总表, page 1 (all funds): 十八、住房保障支出 1,499.26 万元
    assert _zhengxie(corpus_con, "all", "221")[:3] == (Decimal("14992600.00"), 1, 1)
    # 九、医疗卫生与计划生育支出 is printed on page 1 without a figure: no statement, no row
    assert _zhengxie(corpus_con, "all", "210") is None


def test_a_superseded_document_is_left_out_of_the_mart(corpus_con):
    docs = dict(corpus_con.execute("""select file_name, superseded_by is not null from marts.dim_document
                                      where file_name like 'zhashui_2021%'""").fetchall())
    assert docs == {"zhashui_2021.txt": True, "zhashui_2021_更正.txt": False}
    row = corpus_con.execute("""select amount_yuan, n_disclosures, n_documents from marts.mart_region_year_function
                                where region_name = '柞水县' and fiscal_year = 2021 and fund_scope = 'general_public'
                                  and current_function_code = '210'""").fetchone()
    assert row == (Decimal("1010000.00"), 1, 1)
