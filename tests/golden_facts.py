"""Facts expected from a golden file, and facts the parser gives, computed by the same rules
(docs/conventions.md, "One figure per key"): code rows with the same key in one table are
summed; every total printing and every prose figure is a statement of its own; the first
statement (tables before prose, document order) gives the fact's amount."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingestion.numbers import parse_amount, to_yuan

GOLDEN_DIR = Path(__file__).parent / "golden"


@dataclass
class Fact:
    amount_yuan: Decimal
    agree: bool
    n_statements: int


def _facts(statements: list[tuple[tuple, object, Decimal]]) -> dict[tuple, Fact]:
    """statements: (key, table_or_None, amount_yuan) in precedence order."""
    grouped: dict[tuple, list[tuple[object, Decimal]]] = {}
    for key, table, amount in statements:
        grouped.setdefault(key, []).append((table, amount))
    out: dict[tuple, Fact] = {}
    for key, stmts in grouped.items():
        merged: list[Decimal] = []
        seen_tables: dict[object, int] = {}
        for table, amount in stmts:
            summable = table is not None and key[1] != "total"
            if summable and table in seen_tables:
                merged[seen_tables[table]] += amount
                continue
            if summable:
                seen_tables[table] = len(merged)
            merged.append(amount)
        out[key] = Fact(merged[0], len(set(merged)) == 1, len(merged))
    return out


def golden_facts(stem: str, folder: Path = GOLDEN_DIR) -> dict[tuple, Fact]:
    with (folder / f"{stem}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ordered = [r for r in rows if r["source_kind"] == "table"] + [r for r in rows if r["source_kind"] == "prose"]
    statements = []
    for r in ordered:
        key = (r["fund_scope"], r["classification"], r["code"] or None, r["measure"])
        table = r["source"].split(" / ")[0].strip() if r["source_kind"] == "table" else None
        amount = parse_amount(r["amount"])
        assert amount is not None, f"golden amount unreadable: {r}"
        statements.append((key, table, to_yuan(amount, r["unit"])))
    return _facts(statements)


def parsed_facts(doc) -> dict[tuple, Fact]:
    items = [i for i in doc.items if i.source_kind == "table"] + [i for i in doc.items if i.source_kind == "prose"]
    return _facts([(i.key(), i.table_index, to_yuan(i.amount, i.unit)) for i in items])
