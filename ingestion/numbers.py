"""Numbers, units and codes as printed in disclosures."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "百元": Decimal(100),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}

# Cells that mean "no figure" (not zero).
BLANK_MARKS = {"", "-", "—", "——", "–", "/", "－", "…", "*", "**", "无"}

_AMOUNT_RE = re.compile(r"^[(（]?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?[)）]?$|^[(（]?-?\d+(?:\.\d+)?[)）]?$")


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_amount(text: str | None) -> Decimal | None:
    """The number a cell prints, or None when the cell holds no figure.

    Accepts thousands separators (2,844.2), full-width digits, a leading minus or
    accounting brackets for negatives. Raises nothing: a cell that is not a
    number returns None.
    """
    if text is None:
        return None
    t = normalize(text)
    if t in BLANK_MARKS:
        return None
    if not _AMOUNT_RE.match(t):
        return None
    negative = t.startswith("-") or (t[0] in "(（" and t[-1] in ")）")
    digits = t.strip("()（）").lstrip("-").replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def unit_factor(unit: str | None) -> Decimal | None:
    return UNIT_FACTORS.get(normalize(unit or ""))


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    factor = UNIT_FACTORS[unit]
    return (amount * factor).quantize(Decimal("0.01"))


_UNIT_RE = re.compile(r"(?:金额)?单位[：:]\s*(亿元|万元|千元|百元|元)")
_UNIT_PAREN_RE = re.compile(r"[（(]\s*(亿元|万元|千元|百元|元)\s*[）)]")


def find_unit(text: str) -> str | None:
    """The unit declared in a caption line: 单位：万元, 单位:百元, （万元）."""
    t = normalize(text)
    m = _UNIT_RE.search(t) or _UNIT_PAREN_RE.search(t)
    return m.group(1) if m else None


CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def code_classification(code: str) -> str | None:
    """function (2xx), econ_dept (3xx), econ_gov (5xx) by the first digit."""
    if not CODE_RE.match(code or ""):
        return None
    if code[0] == "2" and len(code) in (3, 5, 7):
        return "function"
    if code[0] == "3" and len(code) in (3, 5):
        return "econ_dept"
    if code[0] == "5" and len(code) in (3, 5):
        return "econ_gov"
    return None


def code_level(classification: str, code: str) -> str:
    if classification == "function":
        return {3: "class", 5: "section", 7: "item"}[len(code)]
    return {3: "class", 5: "item"}[len(code)]


def parent_code(code: str) -> str | None:
    return code[:-2] if len(code) > 3 else None
