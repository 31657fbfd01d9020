"""Bad input costs nothing: every kind of bad file gets a clear record in marts.ingest_log (and its
document, where there is one, in dim_document), and every other document still loads, figure for figure."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_STEMS, SAMPLES

from fixtures.bad import encrypted_pdf, small_disclosure, unmapped_font_pdf
from fixtures.formats import build
from golden_facts import golden_facts


def _rows(**changed: tuple[str, str, str, str, str]) -> list[tuple[str, str, str, str, str]]:
    """The small disclosure's rows with some rows replaced or added (keyed by code, 'total' for 合计)."""
    rows = {
        "total": ("", "合计", "100.00", "60.00", "40.00"),
        "210": ("210", "卫生健康支出", "100.00", "60.00", "40.00"),
        "21015": ("21015", "医疗保障管理事务", "100.00", "60.00", "40.00"),
        "2101501": ("2101501", "行政运行", "60.00", "60.00", ""),
        "2101506": ("2101506", "医疗保障经办事务", "40.00", "", "40.00"),
    }
    rows.update(changed)
    return [r for r in rows.values() if r is not None]


def _write_inbox(inbox: Path) -> None:
    inbox.mkdir()
    (inbox / "empty.pdf").write_bytes(b"")
    pdf = build("danfeng_2020_budget", "pdf", inbox / "_tmp").read_bytes()
    shutil.rmtree(inbox / "_tmp")
    (inbox / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (inbox / "encrypted.pdf").write_bytes(encrypted_pdf())
    (inbox / "text_named.pdf").write_text(small_disclosure("仁和区"), encoding="utf-8")
    (inbox / "gbk").mkdir()
    (inbox / "gbk" / "guangzong.txt").write_bytes(small_disclosure("广宗县").encode("gb18030"))
    (inbox / "utf16.txt").write_bytes(small_disclosure("威县").encode("utf-16"))
    (inbox / "huge.txt").write_text(small_disclosure("山阳县") + "说明。\n" * 40_000, encoding="utf-8")
    (inbox / "no_table.txt").write_text("山阳县医疗保障局 2021 年部门预算\n\n本部门职责是医疗保障。\n", encoding="utf-8")
    (inbox / "unknown_code.txt").write_text(small_disclosure("洛南县", _rows(
        **{"2101506": ("2101588", "不在目录中的项目", "40.00", "", "40.00")})), encoding="utf-8")
    (inbox / "does_not_add_up.txt").write_text(small_disclosure("商南县", _rows(
        **{"2101506": ("2101506", "医疗保障经办事务", "40.01", "", "40.01")})), encoding="utf-8")
    (inbox / "negative_and_dashes.txt").write_text(small_disclosure("米易县", _rows(
        **{"2101501": ("2101501", "行政运行", "60.00", "60.00", "—"),
           "2101506": ("2101506", "医疗保障经办事务", "45.00", "/", "45.00"),
           "2101599": ("2101599", "其他医疗保障管理事务支出", "-5.00", "-", "-5.00")})), encoding="utf-8")
    # the same file under two names: one document
    shutil.copy(SAMPLES / "yanbian_2020_final.txt", inbox / "copy_of_yanbian.txt")
    # a document and its revised version (a corrected figure, the name says so)
    (inbox / "mizhi_2021.txt").write_text(small_disclosure("米脂县", note="初稿"), encoding="utf-8")
    (inbox / "mizhi_2021_更正.txt").write_text(small_disclosure("米脂县", note="更正稿", rows=_rows(
        total=("", "合计", "101.00", "61.00", "40.00"), **{
            "210": ("210", "卫生健康支出", "101.00", "61.00", "40.00"),
            "21015": ("21015", "医疗保障管理事务", "101.00", "61.00", "40.00"),
            "2101501": ("2101501", "行政运行", "61.00", "61.00", "")})), encoding="utf-8")
    (inbox / "cid_font.pdf").write_bytes(unmapped_font_pdf())
    (inbox / "archive.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 100)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad_input")
    inbox = tmp / "inbox"
    _write_inbox(inbox)
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp / "warehouse.duckdb"), BUDGET_WAREHOUSE_INBOX=str(inbox),
               DAGSTER_HOME=str(tmp / "dagster_home"), BUDGET_WAREHOUSE_MAX_MB="0.15")
    run = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    with duckdb.connect(str(tmp / "warehouse.duckdb"), read_only=True) as c:
        yield c


def _log(con, name: str) -> tuple:
    row = con.execute("select status, error_code, message from marts.ingest_log where file_name = ?", [name]).fetchone()
    assert row is not None, name
    return row


@pytest.mark.parametrize("name,status,code", [
    ("empty.pdf", "failed", "empty_file"),
    ("truncated.pdf", "failed", "corrupt_pdf"),
    ("encrypted.pdf", "failed", "encrypted_pdf"),
    ("text_named.pdf", "failed", "wrong_extension"),
    ("huge.txt", "failed", "too_large"),
    ("archive.zip", "unsupported", "unsupported_format"),
    ("cid_font.pdf", "needs_ocr", "needs_ocr"),
    ("copy_of_yanbian.txt", "duplicate", "duplicate"),
    ("mizhi_2021.txt", "superseded", None),
    ("no_table.txt", "loaded", "no_figures"),
    ("guangzong.txt", "loaded", None),
    ("utf16.txt", "loaded", None),
])
def test_each_bad_file_has_its_record(con, name, status, code):
    got_status, got_code, message = _log(con, name)
    assert (got_status, got_code) == (status, code)
    assert message and len(message) > 10


def test_every_other_document_still_loads(con):
    for stem in SAMPLE_STEMS:
        document_id, status, superseded = con.execute(
            "select document_id, parse_status, superseded_by from marts.dim_document where file_name = ?",
            [f"{stem}.txt"]).fetchone()
        assert (status, superseded) == ("parsed", None)
        n = con.execute("""select count(*) from (
            select function_code from marts.fct_function_spending where document_id = $1 and not is_derived
            union all select econ_code from marts.fct_economic_spending where document_id = $1 and not is_derived
            union all select measure from marts.fct_document_totals where document_id = $1)""", [document_id]).fetchone()[0]
        assert n == len(golden_facts(stem)), stem


def test_encodings_load_with_their_figures(con):
    rows = con.execute("""select d.region_name, f.amount_yuan from marts.fct_function_spending f
                          join marts.dim_document d using (document_id)
                          where f.function_code = '2101501' and f.measure = 'total' and d.region_name in ('广宗县', '威县')
                          """).fetchall()
    assert dict(rows) == {"广宗县": Decimal("600000.00"), "威县": Decimal("600000.00")}
    encodings = dict(con.execute("""select region_name, encoding from marts.dim_document
                                    where region_name in ('广宗县', '威县')""").fetchall())
    assert encodings == {"广宗县": "gb18030", "威县": "utf-16"}


def test_an_unknown_code_is_kept_and_flagged(con):
    document_id = _log_document(con, "unknown_code.txt")
    assert con.execute("""select amount_yuan from marts.fct_function_spending where document_id = ? and
                          function_code = '2101588' and measure = 'total'""", [document_id]).fetchone() == (
        Decimal("400000.00"),)
    assert con.execute("""select count(*) from stg.stg_parse_issues where document_id = ? and issue_code = 'unknown_code'""",
                       [document_id]).fetchone()[0] == 1


def test_negative_amounts_and_no_figure_marks(con):
    document_id = _log_document(con, "negative_and_dashes.txt")
    rows = dict(con.execute("""select function_code || ':' || measure, amount_yuan from marts.fct_function_spending
                               where document_id = ? and not is_derived""", [document_id]).fetchall())
    assert rows["2101599:total"] == Decimal("-50000.00")
    assert rows["2101599:project"] == Decimal("-50000.00")
    assert "2101599:basic" not in rows and "2101506:basic" not in rows and "2101501:project" not in rows


def test_a_revised_version_replaces_the_old_one(con):
    old, new = _log_document(con, "mizhi_2021.txt"), _log_document(con, "mizhi_2021_更正.txt")
    assert con.execute("select superseded_by from marts.dim_document where document_id = ?", [old]).fetchone() == (new,)
    assert con.execute("select count(*) from marts.fct_function_spending where document_id = ?", [old]).fetchone()[0] == 0
    assert con.execute("""select amount_yuan from marts.fct_function_spending where document_id = ? and
                          function_code = '2101501' and measure = 'total'""", [new]).fetchone() == (Decimal("610000.00"),)


def test_a_table_that_does_not_add_up_is_loaded_as_printed(con):
    document_id = _log_document(con, "does_not_add_up.txt")
    assert con.execute("""select amount_yuan from marts.fct_function_spending where document_id = ? and
                          function_code = '2101506' and measure = 'total'""", [document_id]).fetchone() == (
        Decimal("400100.00"),)


def _log_document(con, name: str) -> str:
    return con.execute("select document_id from marts.ingest_log where file_name = ?", [name]).fetchone()[0]
