"""Which figures read by OCR can be trusted: those the document's own arithmetic confirms.

An OCR figure is verified when one of these holds for it:
- its row adds up: 合计 = 基本支出 + 项目支出 (+ …), 基本支出 = 人员经费 + 公用经费, a subtotal = Σ its parts;
- it is a parent equal to the sum of its children in the same column of the same table, or one of
  those children (a 合计 row equal to the sum of its classes counts the same way);
- the document states the same figure elsewhere in its text layer;
and, for a coded figure, its code is one the catalog knows (arithmetic confirms amounts, not codes).
Everything else read by OCR stays unverified (`verified = False`): it is kept and marked, never
silently trusted. Figures not read by OCR are not judged here (`verified = None`).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .catalog import Catalogs
from .model import LineItem

_BASIC_PARTS = ("basic_wages_welfare", "basic_goods_services", "basic_household_transfers")
_PROJECT_PARTS = ("project_general", "project_special")
_TOTAL_PARTS = ("basic", "project", "operating", "remit_upper", "subsidiary_grants", "unit_reserve", "carry_forward")


def _row_verified(values: dict[str, Decimal]) -> bool:
    """The row's own identities, a blank cell counting as zero; True when at least one applies
    and every one that applies holds."""
    def g(m: str) -> Decimal:
        return values.get(m, Decimal(0))

    def has(*ms: str) -> bool:
        return any(m in values for m in ms)

    checks = []
    if has("total") and (has("basic") or (has("project") and not has("personnel", "public"))):
        checks.append(g("total") == sum((g(m) for m in _TOTAL_PARTS), Decimal(0)))
    if has("total") and has("personnel", "public") and not has("basic"):
        checks.append(g("total") == g("personnel") + g("public") + g("project"))
    if has("basic") and has("personnel", "public"):
        checks.append(g("basic") == g("personnel") + g("public"))
    if has("basic") and has(*_BASIC_PARTS):
        checks.append(g("basic") == sum((g(m) for m in _BASIC_PARTS), Decimal(0)))
    if has("project") and has(*_PROJECT_PARTS):
        checks.append(g("project") == sum((g(m) for m in _PROJECT_PARTS), Decimal(0)))
    return bool(checks) and all(checks)


def mark_ocr_trust(items: list[LineItem], catalogs: Catalogs) -> None:
    ocr = [i for i in items if i.extraction == "ocr"]
    if not ocr:
        return
    for item in ocr:
        item.verified = False
    text_figures = {(i.key(), i.amount) for i in items if i.extraction != "ocr"}
    for item in ocr:
        if (item.key(), item.amount) in text_figures:
            item.verified = True
    # rows that add up
    rows: dict[tuple, list[LineItem]] = defaultdict(list)
    for item in ocr:
        if item.source_kind == "table":
            rows[(item.table_index, item.row_number, item.fund_scope, item.classification, item.code)].append(item)
    for row_items in rows.values():
        if _row_verified({i.measure: i.amount for i in row_items}):
            for i in row_items:
                i.verified = True
    # parents equal to the sum of their children, column by column
    columns: dict[tuple, list[LineItem]] = defaultdict(list)
    for item in ocr:
        if item.source_kind == "table":
            columns[(item.table_index, item.column_label, item.fund_scope, item.measure)].append(item)
    for column in columns.values():
        by_code = {i.code: i for i in column if i.code}
        for code, parent in by_code.items():
            children = [c for k, c in by_code.items() if len(k) == len(code) + 2 and k.startswith(code)]
            if children and parent.amount == sum((c.amount for c in children), Decimal(0)):
                for i in [parent, *children]:
                    i.verified = True
        totals = [i for i in column if i.classification == "total"]
        classes = [i for i in column if i.code and len(i.code) == 3]
        for total in totals:
            for group in ({"function"}, {"econ_dept"}, {"econ_gov"}):
                members = [c for c in classes if c.classification in group]
                if members and total.amount == sum((c.amount for c in members), Decimal(0)):
                    for i in [total, *members]:
                        i.verified = True
    # arithmetic confirms amounts, not codes: a code the catalog does not know may be misread
    for item in ocr:
        if item.code and item.code not in catalogs.codes(item.classification):
            item.verified = False
