"""Every figure a person read from each sample (tests/golden/*.csv) is what the parser
gives, fact by fact: same keys, same amount in yuan, same agreement between statements."""
import pytest
from conftest import SAMPLE_STEMS

from golden_facts import golden_facts, parsed_facts


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_parser_gives_every_golden_fact(parsed_samples, stem):
    doc = parsed_samples[stem]
    golden = golden_facts(stem)
    parsed = parsed_facts(doc)
    missing = sorted(set(golden) - set(parsed), key=str)
    extra = sorted(set(parsed) - set(golden), key=str)
    wrong = [(k, golden[k], parsed[k]) for k in golden if k in parsed
             and (golden[k].amount_yuan, golden[k].agree) != (parsed[k].amount_yuan, parsed[k].agree)]
    assert not missing, f"facts in the document the parser missed: {missing}"
    assert not extra, f"facts the parser invented: {extra}"
    assert not wrong, f"facts with a wrong amount or agreement: {wrong}"


@pytest.mark.parametrize("stem,region,name,level,dept,year,stage", [
    ("danfeng_2020_budget", "611022", "丹凤县", "county", "丹凤县医疗保障局", 2020, "budget"),
    ("pingxiang_2023_budget", "130532", "平乡县", "county", "平乡县医疗保障局", 2023, "budget"),
    ("yanbian_2020_final", "510422", "盐边县", "county", "盐边县医疗保障局", 2020, "final"),
    ("luoyang_2020_budget", "410300", "洛阳市", "prefecture", "洛阳市医疗保障局", 2020, "budget"),
    ("hengdong_2021_budget", "430424", "衡东县", "county", "衡东县医疗保障局", 2021, "budget"),
])
def test_document_metadata(parsed_samples, stem, region, name, level, dept, year, stage):
    meta = parsed_samples[stem].meta
    assert (meta.region_code, meta.region_name, meta.admin_level) == (region, name, level)
    assert meta.department_name == dept
    assert (meta.fiscal_year, meta.stage) == (year, stage)


def test_every_item_carries_its_lineage(parsed_samples):
    for stem, doc in parsed_samples.items():
        assert doc.items, stem
        for item in doc.items:
            assert item.raw_amount and item.unit and item.line_number, (stem, item)
            if item.source_kind == "table":
                assert item.table_index and item.table_title and item.row_number and item.column_label, (stem, item)
            if item.classification != "total":
                assert item.raw_code, (stem, item)


def test_table_kinds_and_units_of_danfeng(parsed_samples):
    tables = {t.table_number: t for t in parsed_samples["danfeng_2020_budget"].tables if t.table_number}
    assert (tables["表4"].kind, tables["表4"].fund_scope, tables["表4"].unit) == ("summary", "fiscal_grant", "百元")
    assert (tables["表5"].kind, tables["表5"].fund_scope, tables["表5"].unit) == ("spending", "general_public", "百元")
    assert tables["表10"].kind == "project"
    assert tables["表15"].kind == "performance"
