"""Stated execution rates (ingestion/statements/execution.py, staging.stated_execution) and the mart that sets
them beside the budget (marts.mart_budget_execution), against the figures read by hand from yanbian's final
account (tests/golden/stated_execution/yanbian_2020_final.csv, with the line of each sentence)."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_STEMS, document_id_of

from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument

GOLDEN = ROOT / "tests" / "golden" / "stated_execution" / "yanbian_2020_final.csv"
FIELDS = ("line_number", "subject_kind", "fund_scope", "code", "subject_name", "raw_final", "final_unit",
          "final_amount_yuan", "raw_rate", "rate_pct", "raw_budget", "budget_unit", "budget_amount_yuan")
DECIMALS = {"final_amount_yuan": "0.01", "budget_amount_yuan": "0.01", "rate_pct": "0.0001"}


def _typed(row: dict) -> tuple:
    out = []
    for f in FIELDS:
        v = row[f]
        v = None if v in ("", None) else v
        if v is not None and f == "line_number":
            v = int(v)
        elif v is not None and f in DECIMALS:
            v = Decimal(str(v)).quantize(Decimal(DECIMALS[f]))
        out.append(v)
    return tuple(out)


def golden() -> list[dict]:
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def parsed(doc) -> list[tuple]:
    return [_typed({**r.values, **r.lineage()}) for r in doc.statements["stated_execution"]]


def test_parser_gives_the_golden_rates(parsed_samples):
    expected = [_typed(r) for r in golden()]
    actual = parsed(parsed_samples["yanbian_2020_final"])
    assert len(expected) == 14
    missing, unexpected = Counter(expected) - Counter(actual), Counter(actual) - Counter(expected)
    assert not missing and not unexpected, (missing, unexpected)


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
