"""Each layout the samples use, on small tables cut from them (figures as printed)."""
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion import parse_document
from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument


def parse_text(text: str) -> ParsedDocument:
    doc = ParsedDocument("t", "t", "t.txt", "t.txt", "txt", len(text))
    read_text(doc, text, load_catalogs())
    return doc


def facts(doc):
    return {(i.fund_scope, i.classification, i.code, i.measure): i.amount for i in doc.items}


def test_tab_separated_table_with_paired_economic_codes():
    text = "\n".join([
        "表6", "", "2020年部门综合预算一般公共预算支出明细表(按经济科目分)", "", "单位:百元", "",
        "部门经济科目编码\t部门经济科目名称\t政府经济科目编码\t政府经济科目名称\t合计\t人员经费\t公用经费\t专项业务经费\t备注",
        "**\t**\t**\t**\t1\t2\t3\t4\t**",
        "\t合计\t\t\t14,703\t11,483\t420\t2,800\t",
        "30101\t基本工资\t50501\t工资福利支出\t3,645\t3,645\t\t\t",
        "30101\t基本工资\t50101\t工资奖金津补贴\t888\t888\t\t\t",
    ])
    doc = parse_text(text)
    items = [(i.classification, i.code, i.measure, i.amount) for i in doc.items]
    assert ("econ_dept", "30101", "total", Decimal("3645")) in items
    assert ("econ_dept", "30101", "total", Decimal("888")) in items  # summed downstream, per table
    assert ("econ_gov", "50101", "personnel", Decimal("888")) in items
    assert ("total", None, "project", Decimal("2800")) in items
    assert all(i.unit == "百元" and i.fund_scope == "general_public" for i in doc.items)


def test_split_codes_and_a_row_that_lost_an_empty_cell():
    # luoyang 2020 一般公共预算支出情况表: data rows lost the empty 对个人和家庭的补助 cell
    header = ("科目编码\t\t\t单位代码\t单位（科目名称）\t总计\t基本支出\t\t\t\t项目支出\t\t\n"
              "类\t款\t项\t\t\t\t小计\t工资福利支出\t对个人和家庭的补助\t商品和服务支出\t小计\t一般性项目\t专项资金")
    text = "\n".join([
        "## 2020 年一般公共预算支出情况表", "", "单位：万元", "", header,
        "\t\t\t\t合计\t2,844.2\t90.7\t66.6\t24.1\t2,753.5\t125.5\t2,628.0\t",
        "210\t12\t02\t2101202\t财政对城乡居民基本医疗保险基金的补助\t1,176.0\t\t\t\t1,176.0\t\t1,176.0\t",
        "210\t15\t01\t2101501\t行政运行\t80.5\t80.5\t56.4\t24.1\t\t\t\t",
        "210\t15\t02\t2101502\t一般行政管理事务\t63.5\t\t\t\t63.5\t63.5\t\t",
    ])
    doc = parse_text(text)
    f = facts(doc)
    assert f[("general_public", "function", "2101202", "project")] == Decimal("1176.0")
    assert f[("general_public", "function", "2101202", "project_special")] == Decimal("1176.0")
    assert f[("general_public", "function", "2101502", "project_general")] == Decimal("63.5")
    assert f[("general_public", "total", None, "project")] == Decimal("2753.5")
    assert any(i.issue_code == "realigned_columns" for i in doc.issues)
    # 24.1 fits under 商品和服务支出 or 对个人和家庭的补助 by arithmetic alone: without another
    # table to agree with, the re-alignment says it had to choose
    assert any("fit equally" in i.message for i in doc.issues)


def test_one_cell_per_line_with_short_header_rows():
    # pingxiang 2023 部门预算支出总表: merged header cells lost their spans in the export
    rows = [
        ["序号", "功能分类科目", "合计", "基本支出", "项目支出", "经营支出", "上解上级     支出", "对附属单位补助支出"],
        ["", "科目    编码", "科目名称"],
        ["栏次", "1", "2", "3", "4", "5", "6", "7", "8"],
        ["1", "", "合计", "4996.92", "522.92", "4474.00", "", "", ""],
        ["6", "20899", "其他社会保障和就业支出", "4.00", "", "4.00", "", "", ""],
    ]
    lines = ["[bookmark: _Toc_2_2_0000000003]部门预算支出总表", "\t450平乡县医疗保障局", "\t预算年度：2023",
             "\t单位：万元", ""]
    for r in rows:
        lines += ["\t" + c for c in r] + [""]
    doc = parse_text("\n".join(lines))
    f = facts(doc)
    assert f[("all", "function", "20899", "total")] == Decimal("4.00")
    assert f[("all", "function", "20899", "project")] == Decimal("4.00")
    assert ("all", "function", "20899", "basic") not in f  # a blank cell is no figure
    assert f[("all", "total", None, "basic")] == Decimal("522.92")


def test_final_account_sentences_name_their_codes():
    text = ("（三）一般公共预算财政拨款支出决算具体情况\n"
            "3.卫生健康支出（类）医疗救助（款）城乡医疗救助（项）： 支出决算为471.26万元，完成预算100%。\n"
            "6.农林水支出（类）扶贫（款）社会发展（项）：支出决算为218.47万元，完成预算100%。\n")
    doc = parse_text(text)
    f = facts(doc)
    assert f[("general_public", "function", "2101301", "total")] == Decimal("471.26")
    assert f[("general_public", "function", "2130506", "total")] == Decimal("218.47")
    assert all(i.code_source == "name" for i in doc.items)


def test_figures_that_are_not_spending_totals_are_left_alone():
    text = ("（一）收支预算总体情况。\n"
            "2020 年本部门预算收入为 147.03 万元，2020 年本部门预算支出较上年增加 147.03 万元。"
            "享受生育保险待遇78人次，生育津贴支出102.81万元，公务接待费支出0.28万元。\n")
    assert parse_text(text).items == []


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_other_encodings_read_the_same(tmp_path: Path, encoding):
    source = Path(__file__).resolve().parents[1] / "data" / "samples" / "yanbian_2020_final.txt"
    copy = tmp_path / f"yanbian_{encoding}.txt"
    copy.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    original, converted = parse_document(source), parse_document(copy)
    assert converted.encoding.startswith(encoding.split("-")[0].replace("gb18030", "gb18030"))
    assert facts(converted) == facts(original)


def test_the_staging_frames_are_the_documented_contract():
    """docs/staging.md and docs/staging/*.md state the columns ingestion hands over; the frames have exactly those."""
    import re

    from ingestion.frames import STAGING_SCHEMAS

    docs = Path(__file__).resolve().parents[1] / "docs"
    doc = "\n".join(p.read_text(encoding="utf-8") for p in [docs / "staging.md", *sorted((docs / "staging").glob("*.md"))])
    documented: dict[str, list[str]] = {}
    for section in re.split(r"^## ", doc, flags=re.M)[1:]:
        table = re.match(r"staging\.(\w+)", section)
        if table:
            documented[table.group(1)] = re.findall(r"^\| (\w+) \| [A-Z]", section, flags=re.M)
    assert {t: list(s) for t, s in STAGING_SCHEMAS.items()} == documented
