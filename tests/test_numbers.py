from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingestion.numbers import code_classification, code_level, find_unit, parse_amount, to_yuan


@pytest.mark.parametrize("text,expected", [
    ("14,703", Decimal("14703")),
    ("2,844.2", Decimal("2844.2")),
    ("4996.92", Decimal("4996.92")),
    ("0.0", Decimal("0.0")),
    ("０.２８", Decimal("0.28")),       # full-width digits
    (" 1,176.0 ", Decimal("1176.0")),
    ("-12.5", Decimal("-12.5")),
    ("(12.5)", Decimal("-12.5")),      # accounting negative
])
def test_amounts_as_printed(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "/", "**", "合计", "2080505x", "12,34", "1.2.3", None])
def test_cells_without_a_figure(text):
    assert parse_amount(text) is None


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_thousands_separators_do_not_change_the_number(value):
    plain = f"{value:.2f}"
    grouped = f"{value:,.2f}"
    assert parse_amount(plain) == parse_amount(grouped) == value


@given(st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["元", "百元", "千元", "万元"]))
def test_yuan_is_exact(value, unit):
    factor = {"元": 1, "百元": 100, "千元": 1000, "万元": 10000}[unit]
    assert to_yuan(value, unit) == value * factor


@pytest.mark.parametrize("line,unit", [
    ("单位：百元", "百元"), ("单位:万元", "万元"), ("金额单位：万元", "万元"), ("（万元）", "万元"),
    ("价值（金额单位：万元）", "万元"), ("部门名称：洛阳市医疗保障局", None),
])
def test_units_from_captions(line, unit):
    assert find_unit(line) == unit


@pytest.mark.parametrize("code,cls,level", [
    ("210", "function", "class"), ("21015", "function", "section"), ("2101506", "function", "item"),
    ("301", "econ_dept", "class"), ("30101", "econ_dept", "item"),
    ("505", "econ_gov", "class"), ("50501", "econ_gov", "item"),
])
def test_code_classification(code, cls, level):
    assert code_classification(code) == cls
    assert code_level(cls, code) == level


@given(st.text(alphabet="0123456789", min_size=1, max_size=9))
def test_only_codes_of_known_shape_classify(code):
    cls = code_classification(code)
    if cls is not None:
        assert code[0] in "235" and len(code) in (3, 5, 7)
        assert not (cls != "function" and len(code) == 7)


@given(st.sampled_from(["元", "百元", "千元", "万元", "亿元"]), st.sampled_from(["单位：", "单位:", "金额单位：", "单位： "]),
       st.text(alphabet="部门名称洛阳市医疗保障局 ：", max_size=12))
def test_a_declared_unit_is_found_wherever_it_stands_in_the_line(unit, label, prefix):
    assert find_unit(f"{prefix}{label}{unit}") == unit


@given(st.sampled_from(["201", "208", "210", "221", "213"]), st.integers(1, 99), st.integers(1, 99))
def test_split_codes_assemble_into_the_code(cls, section, item):
    from ingestion.tables import _assemble_code

    code = f"{cls}{section:02d}{item:02d}"
    assert _assemble_code([cls, f"{section:02d}", f"{item:02d}"], [])[0] == code
    # a merged 类 cell: the row below prints only 款 and 项
    assert _assemble_code(["", f"{section:02d}", f"{item:02d}"], [cls, "", ""])[0] == code
    # the economic style: 类 | 款 where 款 is the whole code
    assert _assemble_code(["301", "30101"], [])[0] == "30101"
