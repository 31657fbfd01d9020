"""The reference catalogs (function codes, economic codes, regions) used to read names.

The catalogs are the dbt seeds in dbt_project/seeds/ (one copy for the library and the
warehouse). Set BUDGET_WAREHOUSE_REFERENCE to read them from another folder.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .numbers import normalize

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

_ORDINAL_RE = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|\d+[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）][、.．]?|其中[：:]"
    r"|\d{1,2}(?=[\u4e00-\u9fff]))"  # an ordinal whose 、 a scan lost: 1工资福利支出
)


def strip_ordinal(name: str) -> str:
    t = normalize(name)
    while True:
        m = _ORDINAL_RE.match(t)
        if not m:
            return t
        t = t[m.end():]


def name_key(name: str) -> str:
    """A name as compared: normalised, no ordinal, no brackets' content markers, no trailing 支出."""
    t = strip_ordinal(name)
    t = t.replace("(", "（").replace(")", "）")
    t = re.sub(r"（(类|款|项)）", "", t)
    t = t.replace("“", "").replace("”", "").replace('"', "")
    if t.endswith("支出") and len(t) > 4:
        t = t[:-2]
    return t


def loose_key(name: str) -> str:
    """A looser comparison for the short forms documents print (商品服务 for 商品和服务,
    农林水事务 for 农林水支出, 对个人和家庭补助 for 对个人和家庭的补助)."""
    t = re.sub("[的和与及]", "", name_key(name))
    for suffix in ("事务", "支出"):
        if t.endswith(suffix) and len(t) > 4:
            t = t[: -len(suffix)]
    return t


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: int | None
    valid_to: int | None


@dataclass
class CodeCatalog:
    classification: str
    rows: list[CodeRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_key: dict[str, set[str]] = {}
        self.by_loose_key: dict[str, set[str]] = {}
        self.by_code: dict[str, list[CodeRow]] = {}
        for row in self.rows:
            self.by_key.setdefault(name_key(row.name), set()).add(row.code)
            self.by_loose_key.setdefault(loose_key(row.name), set()).add(row.code)
            self.by_code.setdefault(row.code, []).append(row)

    def add_variant(self, code: str, name: str) -> None:
        self.by_key.setdefault(name_key(name), set()).add(code)
        self.by_loose_key.setdefault(loose_key(name), set()).add(code)

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def lookup(self, name: str, *, parent: str | None = None, length: int | None = None) -> list[str]:
        """Codes whose name (any year's) matches, optionally under a parent or of a length."""
        def keep(codes: set[str]) -> list[str]:
            return sorted(
                c for c in codes
                if (parent is None or c.startswith(parent) and len(c) == len(parent) + 2)
                and (length is None or len(c) == length)
            )

        return keep(self.by_key.get(name_key(name), set())) or keep(self.by_loose_key.get(loose_key(name), set()))

    def name_in_year(self, code: str, year: int | None) -> str | None:
        rows = self.by_code.get(code)
        if not rows:
            return None
        if year is not None:
            for row in rows:
                if (row.valid_from is None or row.valid_from <= year) and (row.valid_to is None or year <= row.valid_to):
                    return row.name
        return rows[-1].name


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass
class Catalogs:
    function: CodeCatalog
    econ_dept: CodeCatalog
    econ_gov: CodeCatalog
    regions: list[Region]

    def codes(self, classification: str) -> CodeCatalog:
        return {"function": self.function, "econ_dept": self.econ_dept, "econ_gov": self.econ_gov}[classification]

    @property
    def region_by_code(self) -> dict[str, Region]:
        return {r.code: r for r in self.regions}


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _read(folder: Path, *names: str) -> list[dict[str, str]]:
    for name in names:
        path = folder / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))
    raise FileNotFoundError(f"catalog {names[0]} not found in {folder}")


def _codes(classification: str, rows: list[dict[str, str]]) -> CodeCatalog:
    """A catalog of codes. Rows whose note starts `name variant:` record a name a document
    printed for a code (a short form): they are matched as names, never given as a code's name."""
    catalog = CodeCatalog(
        classification,
        [
            CodeRow(
                code=r["code"].strip(),
                name=r["name"].strip(),
                level=r.get("level", "").strip(),
                parent_code=(r.get("parent_code") or "").strip() or None,
                valid_from=_year(r.get("valid_from_year")),
                valid_to=_year(r.get("valid_to_year")),
            )
            for r in rows
            if r.get("code", "").strip() and not _is_variant(r)
        ],
    )
    for r in rows:
        if r.get("code", "").strip() and _is_variant(r):
            catalog.add_variant(r["code"].strip(), r["name"].strip())
    return catalog


def _is_variant(row: dict[str, str]) -> bool:
    return (row.get("note") or "").strip().startswith("name variant:")


@lru_cache(maxsize=4)
def load_catalogs(folder: str | None = None) -> Catalogs:
    path = Path(folder or os.environ.get("BUDGET_WAREHOUSE_REFERENCE") or DEFAULT_DIR)
    regions = [
        Region(r["code"].strip(), r["name"].strip(), r["level"].strip(), (r.get("parent_code") or "").strip() or None)
        for r in _read(path, "ref_regions.csv", "regions_full.csv")
    ]
    return Catalogs(
        function=_codes("function", _read(path, "ref_function_codes.csv", "function_codes.csv")),
        econ_dept=_codes("econ_dept", _read(path, "ref_economic_codes_dept.csv", "economic_codes_dept.csv")),
        econ_gov=_codes("econ_gov", _read(path, "ref_economic_codes_gov.csv", "economic_codes_gov.csv")),
        regions=regions,
    )
