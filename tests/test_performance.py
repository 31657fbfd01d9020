"""Performance indicators (ingestion/statements/performance.py, marts.fct_performance_indicator) against the
indicators read by hand from the five samples (tests/golden/performance/<stem>.csv: the line where each indicator
is printed, its levels, its target and achieved value as printed and split)."""
from __future__ import annotations

import csv
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of
from hypothesis import given
from hypothesis import strategies as st

from fixtures.formats import build
from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument
from ingestion.numbers import normalize
from ingestion.statements.performance import level1_of, split_target

GOLDEN = ROOT / "tests" / "golden" / "performance"
FRAME = "performance_indicators"
TEXT_COLUMNS = ("subject", "project_name", "level1", "level1_source", "level1_printed", "level2", "level3",
                "indicator_raw", "description", "target_raw", "target_operator", "target_unit", "actual_raw",
                "actual_operator", "actual_unit")
NUMBER_COLUMNS = ("target_value", "actual_value")
# a row printed one cell per line starts a few lines above its indicator (blank level cells, 一级, 二级, a 二级 broken
# over two lines: yanbian 335-339)
LINE_SLACK = 4


def golden(stem: str) -> list[dict]:
    with (GOLDEN / f"{stem}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        for c in TEXT_COLUMNS:
            r[c] = r[c] or None
        for c in NUMBER_COLUMNS:
            r[c] = Decimal(r[c]) if r[c] else None
        r["line"] = int(r["line"])
    return rows


def records(doc: ParsedDocument) -> list[dict]:
    return [{**r.values, **r.lineage()} for r in doc.statements[FRAME]]


def _same(expected: dict, got: dict) -> bool:
    return (all(expected[c] == got[c] for c in TEXT_COLUMNS)
            and all(expected[c] == (Decimal(got[c]) if got[c] is not None else None) for c in NUMBER_COLUMNS)
            and 0 <= expected["line"] - got["line_number"] <= LINE_SLACK)


def assert_matches_golden(stem: str, rows: list[dict]) -> None:
    """Every golden indicator is there once, with every column and its line; nothing else is."""
    expected = golden(stem)
    unmatched = list(rows)
    missing = []
    for e in expected:
        hit = next((g for g in unmatched if _same(e, g)), None)
        if hit is None:
            missing.append(e)
        else:
            unmatched.remove(hit)
    assert not missing, f"{stem}: golden indicators not read as printed: {missing[:3]}"
    assert not unmatched, f"{stem}: indicators the golden file does not have: {unmatched[:3]}"


def test_the_golden_files_hold_what_the_documents_print():
    """The golden's own line numbers point at the indicator it names (a check on the hand-written files)."""
    for stem in SAMPLE_STEMS:
        lines = (ROOT / "data" / "samples" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
        rows = golden(stem)
        assert rows, stem
        for r in rows:
            assert r["indicator_raw"] in lines[r["line"] - 1], (stem, r["line"], r["indicator_raw"])


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_reads_the_golden_indicators(parsed_samples, stem):
    assert_matches_golden(stem, records(parsed_samples[stem]))


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_mart_holds_the_golden_indicators(con, stem):
    cur = con.execute("select * from marts.fct_performance_indicator where document_id = ?",
                      [document_id_of(con, stem)])
    names = [d[0] for d in cur.description]
    assert_matches_golden(stem, [dict(zip(names, row)) for row in cur.fetchall()])


def test_mart_lineage_and_the_achieved_values(con):
    doc = document_id_of(con, "yanbian_2020_final")
    rows = con.execute("""
        select project_name, level3, target_met, sha256, source_kind
        from marts.fct_performance_indicator where document_id = ? order by item_index""", [doc]).fetchall()
    met = {(p, l3): m for p, l3, m, _, _ in rows}
    assert met[("离休干部医疗费", "支付金额")] is True  # ≤30万元, 26.08万元 paid
    assert met[("基层医疗机构业务网络通信费", "金保工程覆盖率")] is True  # ≥95%, 100%
    assert met[("离休干部医疗费", "报销人数")] is None  # target in words
    assert met[("县级财政对城乡居民医疗保险基金的补助", "服务对象满意度")] is None  # achieved "≥95%" is no figure
    sha = con.execute("select sha256 from marts.dim_document where document_id = ?", [doc]).fetchone()[0]
    assert {r[3] for r in rows} == {sha} and {r[4] for r in rows} == {"table"}


def test_hengdong_blank_level1_is_inferred_and_printed_level1_is_carried(parsed_samples):
    rows = records(parsed_samples["hengdong_2021_budget"])
    by_name = {r["level3"]: r for r in rows}
    staff = [r for r in rows if r["level3"] == "财政供养人员"]
    assert [(r["level2"], r["target_operator"], r["target_value"], r["target_unit"]) for r in staff] == [
        ("数量指标", "=", Decimal("72"), "人"), ("成本指标", "≤", Decimal("677.56"), "万元")]
    assert {(r["level1"], r["level1_source"]) for r in staff} == {("产出指标", "inferred")}
    clinics = by_name["医保门诊统筹乡镇卫生院个数"]
    assert (clinics["target_operator"], clinics["target_value"], clinics["target_unit"]) == ("=", Decimal("24"), None)
    assert (by_name["全民参保率"]["level1"], by_name["全民参保率"]["level1_source"]) == ("效益指标", "printed")
    assert by_name["现场稽查次数"]["target_operator"] is None  # 常态化
    assert all(r["subject"] == "department" and r["project_name"] is None for r in rows)
    assert rows[0]["goal_text"].startswith("目标1：通过预算执行，保证正常工作运转。\n目标2：")


def test_empty_templates_and_not_applicable_give_no_rows(parsed_samples):
    """danfeng 表14 and 表16 are published empty (是否空表 = 是): 指标1： with nothing else; 表15's 生态效益指标 is 不适用."""
    rows = records(parsed_samples["danfeng_2020_budget"])
    assert rows and all(506 < r["line_number"] < 524 for r in rows)  # 表15 only
    assert not any("不适用" in (r["level3"], r["target_raw"]) for r in rows)


def test_yanbian_projects_and_a_level_broken_over_lines(parsed_samples):
    rows = records(parsed_samples["yanbian_2020_final"])
    assert [p for p in dict.fromkeys(r["project_name"] for r in rows)] == [
        "县级财政对城乡居民医疗保险基金的补助", "建国初期参加革命工作部分退休干部医疗补助金", "离休干部医疗费",
        "基层医疗机构业务网络通信费", "医疗救助补助资金"]
    stable = next(r for r in rows if r["level3"] == "维护社会稳定" and r["project_name"].startswith("县级"))
    assert stable["level2"] == "社会效益指标"  # printed 社会效益 | (blank line) | 指标
    assert stable["goal_text"].startswith("根据《四川省财政厅")
    assert not any(r["level3"] in ("目标制定", "预算编制") for r in rows)  # the 评分表 holds no targets


def _parse_text(text: str) -> ParsedDocument:
    doc = ParsedDocument("t", "t", "t.txt", "t.txt", "txt", len(text))
    read_text(doc, text, load_catalogs())
    return doc


def test_bad_cells_an_empty_form_and_a_form_without_title():
    rows = [
        "年度 绩效 指标\t一级指标\t二级指标\t指标内容\t指标值",
        "\t产出指标\t数量指标\t指标1：参保人数\t—",  # a dash: no target, no row
        "\t\t\t指标2：\t",  # an empty template row
        "\t\t质量指标\t指标1：结算率\t",  # a blank target: no row
        "\t\t\t指标2：到位率\t≥ 95 ％",  # kept; spaces and a full-width ％
        "\t\t\t指标3：安全事故\t无",  # kept: 无 is a target (none), in words
        "\t效益指标\t社会效益指标\t不适用\t不适用",
    ]
    doc = _parse_text("\n".join(["表15", "", "2021年部门整体支出绩效目标表", "", *rows]))
    got = [(r["level1"], r["level2"], r["level3"], r["target_operator"], r["target_value"], r["target_unit"])
           for r in records(doc)]
    assert got == [("产出指标", "质量指标", "到位率", "≥", Decimal("95"), "%"),
                   ("产出指标", "质量指标", "安全事故", None, None, None)]
    assert records(doc)[0]["subject"] == "department"
    assert not records(_parse_text("\n".join(["表16", "", "2020年专项资金整体绩效目标表", "",
                                                "绩效指标\t一级指标\t二级指标\t指标内容\t指标值",
                                                "\t产出指标\t数量指标\t指标1：\t", "\t\t\t指标2：\t", "....\t\t\t\t"])))
    untitled = records(_parse_text("\n".join(["一级指标\t二级指标\t三级指标\t指标值",
                                              "满意度指标\t服务对象满意度指标\t满意度\t≥90%"])))
    assert [(r["subject"], r["level1"], r["target_raw"]) for r in untitled] == [(None, "满意度指标", "≥90%")]


@pytest.mark.parametrize("text,expected", [
    ("≥95%", ("≥", "95", "%")),
    ("≤677.56万元", ("≤", "677.56", "万元")),
    ("≧2次", ("≥", "2", "次")),
    ("≦100%", ("≤", "100", "%")),
    ("＞150次", (">", "150", "次")),
    ("＜0.5元", ("<", "0.5", "元")),
    ("＝3套", ("=", "3", "套")),
    (">80%", (">", "80", "%")),
    ("<5万元", ("<", "5", "万元")),
    ("72人", ("=", "72", "人")),
    ("24", ("=", "24", None)),
    ("100%", ("=", "100", "%")),
    ("100％", ("=", "100", "%")),
    ("42.9元/人", ("=", "42.9", "元/人")),
    ("4000元/年·人", ("=", "4000", "元/年·人")),
    ("15 万", ("=", "15", "万")),
    ("≥15,000份", ("≥", "15000", "份")),
    ("不低于60次", ("≥", "60", "次")),
    ("85%以上", ("≥", "85", "%")),
    ("有所下降", (None, None, None)),
    ("予以保障", (None, None, None)),
    ("常态化", (None, None, None)),
    ("每年≥4项", (None, None, None)),
    ("2020年6月底前", (None, None, None)),
    ("成效显著，平均增幅 42.9%", (None, None, None)),
    ("≥0参保人数变化", (None, None, None)),
    ("", (None, None, None)),
    (None, (None, None, None)),
])
def test_split_target(text, expected):
    op, number, unit = expected
    assert split_target(text) == (op, Decimal(number) if number else None, unit)


_OPERATORS = {"≥": "≥", "≧": "≥", ">=": "≥", "≤": "≤", "≦": "≤", "<=": "≤", ">": ">", "＞": ">", "<": "<",
              "＜": "<", "=": "=", "＝": "=", "": "="}
_UNITS = ["", "%", "％", "人", "次", "万元", "元/人", "个单位", "家", "人次", "元/年·人"]


@given(op=st.sampled_from(sorted(_OPERATORS)), unit=st.sampled_from(_UNITS),
       number=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       space=st.sampled_from(["", " "]))
def test_split_target_reads_back_any_printed_target(op, unit, number, space):
    printed = f"{op}{space}{number}{space}{unit}"
    got_op, got_number, got_unit = split_target(printed)
    assert got_op == _OPERATORS[op]
    assert got_number == number
    assert got_unit == (unicodedata.normalize("NFKC", unit) or None)


def test_level1_of_level2():
    assert [level1_of(x) for x in ("数量指标", "质量目标", "时效指标", "成本指标", "经济效益", "社会效益\n指标",
                                   "生态效益指标", "可持续发展影响指标", "服务对象满意度指标", "经济成本指标", "其他")] == [
        "产出指标", "产出指标", "产出指标", "产出指标", "效益指标", "效益指标", "效益指标", "效益指标", "满意度指标",
        "成本指标", None]


def _indicators(doc: ParsedDocument) -> list[tuple]:
    """What an indicator says, whatever the format: punctuation (NFKC) and line breaks aside, no lineage."""
    def n(x):
        return normalize(x) if isinstance(x, str) else x
    keys = ("subject", "project_name", "goal_text", "level1", "level1_source", "level2", "level3", "description",
            "target_raw", "target_operator", "target_value", "target_unit", "actual_raw")
    return [tuple(n(r.values[k]) for k in keys) for r in doc.statements[FRAME]]


@pytest.mark.parametrize("stem,fmt", [("hengdong_2021_budget", "docx"), ("danfeng_2020_budget", "xlsx"),
                                      ("luoyang_2020_budget", "html")])
def test_other_formats_give_the_same_indicators(parsed_samples, tmp_path, stem, fmt):
    doc = parse_document(build(stem, fmt, tmp_path))
    assert doc.parse_status == "parsed", doc.error_message
    assert _indicators(doc) == _indicators(parsed_samples[stem])


def test_spreadsheet_lineage_names_the_indicator_cell(tmp_path):
    doc = parse_document(build("danfeng_2020_budget", "xlsx", tmp_path))
    rec = next(r for r in doc.statements[FRAME] if r.values["level3"] == "重点工作完成及时率")
    lineage = rec.lineage()
    assert lineage["sheet_name"] and lineage["sheet_name"].startswith("表15")
    assert lineage["cell_ref"] and lineage["cell_ref"][0] == "B"  # the ragged row's indicator, in column B
