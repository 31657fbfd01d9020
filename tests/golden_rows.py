"""Rows of a hand-read golden CSV (tests/golden/<statement>/…), typed for comparison, and a comparison both ways."""
from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path


def typed(row: dict, fields: tuple[str, ...], decimals: dict[str, str], integers: tuple[str, ...] = ("line_number",)
          ) -> tuple:
    """The fields of a row as a tuple: '' and None are None, integers int, decimals quantized Decimal."""
    out = []
    for f in fields:
        v = row[f]
        v = None if v in ("", None) else v
        if v is not None and f in integers:
            v = int(v)
        elif v is not None and f in decimals:
            v = Decimal(str(v)).quantize(Decimal(decimals[f]))
        out.append(v)
    return tuple(out)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_same(expected: list[tuple], actual: list[tuple], what: str) -> None:
    """Every expected row is there, and nothing else (as multisets)."""
    missing = Counter(expected) - Counter(actual)
    unexpected = Counter(actual) - Counter(expected)
    assert not missing and not unexpected, (
        f"{what}\nmissing (in the golden file, not found):\n  " + "\n  ".join(map(str, missing))
        + "\nunexpected (found, not in the golden file):\n  " + "\n  ".join(map(str, unexpected)))
