"""Golden statements of the statement frames three_public_items and department_facts: rows read by hand from
the documents (tests/golden/three_public/<stem>.csv, tests/golden/department_facts/<stem>.csv), each with the
line of the text file or the page of the PDF it stands on, in document order.

`statements` turns golden rows and parsed records into comparable tuples; `first_statement_facts` computes what
a mart must hold from them by the marts' rule: the first statement wins (tables before prose, then document
order), the change, its reason and the rate come from the first statement that gives each."""
from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from ingestion.api import read_text
from ingestion.catalog import load_catalogs
from ingestion.model import ParsedDocument
from ingestion.numbers import parse_amount, to_yuan

GOLDEN = Path(__file__).parent / "golden"


def load(statement: str, stem: str) -> list[dict[str, str]]:
    with (GOLDEN / statement / f"{stem}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(None not in row for row in rows), f"a golden row of {statement}/{stem} has more fields than its header"
    return rows


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def golden_values(row: dict[str, str], money: bool) -> dict[str, Any]:
    """A golden row's values as the frame holds them: amounts in yuan, a decrease negative."""
    unit = row["unit"] or None
    raw = row.get("amount") or row.get("value")
    value = parse_amount(raw)
    assert value is not None, f"golden value unreadable: {row}"
    sign = Decimal(-1) if row["change_direction"] == "decrease" else Decimal(1)
    change = parse_amount(row["change_amount"]) if row["change_amount"] else None
    return {
        "where": int(row["line"] or row["page"]),
        "source_kind": row["source_kind"],
        "value": value,
        "yuan": to_yuan(value, unit) if money and unit else (Decimal("0.00") if money else None),
        "is_stated_none": row["is_stated_none"] == "true",
        "change_direction": row["change_direction"] or None,
        "change_amount_yuan": to_yuan(change, unit) * sign if change is not None else None,
        "change_pct": _decimal(row["change_pct"]) * sign if row["change_pct"] else None,
        "change_reason": row["change_reason"] or None,
    }


def record_values(record, value_column: str, yuan_column: str) -> dict[str, Any]:
    v = record.values
    lineage = record.lineage()
    return {
        "where": lineage["line_number"] if lineage["line_number"] is not None else lineage["page"],
        "source_kind": record.source_kind,
        "value": v[value_column],
        "yuan": v[yuan_column],
        "is_stated_none": v["is_stated_none"],
        "change_direction": v["change_direction"],
        "change_amount_yuan": v["change_amount_yuan"],
        "change_pct": v["change_pct"],
        "change_reason": v["change_reason"],
    }


def first_statement_facts(statements: list[tuple[tuple, dict[str, Any]]]) -> dict[tuple, dict[str, Any]]:
    """(key, values) statements in document order -> key -> what the mart row holds."""
    ordered = sorted(statements, key=lambda s: (s[1]["source_kind"] != "table", s[1]["where"]))
    facts: dict[tuple, dict[str, Any]] = {}
    for key, values in ordered:
        fact = facts.get(key)
        if fact is None:
            facts[key] = fact = {**values, "n_statements": 0, "compared": set()}
            for column in ("change_direction", "change_amount_yuan", "change_pct", "change_reason",
                           "execution_rate_pct"):
                fact[column] = None
        fact["n_statements"] += 1
        fact["compared"].add(values["yuan"] if values["yuan"] is not None else values["value"])
        if fact["change_direction"] is None and values["change_direction"] is not None:
            for column in ("change_direction", "change_amount_yuan", "change_pct"):
                fact[column] = values[column]
        if fact["change_reason"] is None:
            fact["change_reason"] = values["change_reason"]
        if fact["execution_rate_pct"] is None:
            fact["execution_rate_pct"] = values.get("execution_rate_pct")
    for fact in facts.values():
        fact["statements_agree"] = len(fact.pop("compared")) == 1
    return facts


def comparable(statements: list[tuple[tuple, dict[str, Any]]]) -> Counter:
    """Statements as a multiset, to compare golden and parsed both ways."""
    return Counter((key, tuple(sorted(values.items()))) for key, values in statements)


def parse_text(text: str) -> ParsedDocument:
    """A disclosure given as text (the samples' layouts), parsed."""
    doc = ParsedDocument("t", "t", "t.txt", "t.txt", "txt", len(text))
    read_text(doc, text, load_catalogs())
    return doc
