"""stated_execution (docs/staging/stated_execution.md): the execution rates a final account states.

A rate is a phrase 完成预算99.30% / 完成预算的80% / 预算执行率95% in a sentence of a final account; it goes with the
figure printed before it in the same clause (支出决算为18.57万元，完成预算99.30%) and, where the sentence gives it,
the budget (项目全年预算数10万元，执行数为8万元，完成预算的80%). Its subject:
- a spending figure the line items already hold (卫生健康支出（类）医疗救助（款）城乡医疗救助（项）: the spending
  prose reader looked its code up by name): the row links to that line item and takes its code and fund scope;
  where no line item holds the figure, the code is looked up by the names as that reader does;
- the 三公 expenses (“三公”经费, 公务接待费 …), fund scope 财政拨款 unless the sentence names another;
- a project (XX项目绩效目标完成情况综述。…);
- otherwise `other`, with the words before the figure.
Budget documents are not read: a rate they state is about an earlier year.
"""
from __future__ import annotations

import re
from decimal import Decimal

import polars as pl

from ..model import LineItem
from ..numbers import normalize, parse_amount, to_yuan
from ..prose import AMOUNT_RE, LKX_RE, ProseReader, _scope_in
from . import Context, Record
from .projects import BUDGET_RE, PARAGRAPH_RE

FRAME = "stated_execution"
COLUMNS: dict[str, pl.DataType] = {
    "subject_kind": pl.Utf8,
    "fund_scope": pl.Utf8,
    "code": pl.Utf8,
    "subject_name": pl.Utf8,
    "line_item_index": pl.Int32,
    "raw_final": pl.Utf8,
    "final_unit": pl.Utf8,
    "final_amount": pl.Decimal(20, 4),
    "final_amount_yuan": pl.Decimal(20, 2),
    "raw_rate": pl.Utf8,
    "rate_pct": pl.Decimal(12, 4),
    "raw_budget": pl.Utf8,
    "budget_unit": pl.Utf8,
    "budget_amount": pl.Decimal(20, 4),
    "budget_amount_yuan": pl.Decimal(20, 2),
}

RATE_RE = re.compile(r"(?:完成(?:年初|全年|调整后?)?预算(?:数)?的?|预算(?:执行|完成)率(?:为|达到?)?|执行率(?:为|达到?)?)"
                     r"(?P<rate>\d+(?:\.\d+)?)%")
THREE_PUBLIC_RE = re.compile(r"[“\"]?三公[”\"]?经费|因公出国\(境\)(?:经)?费|公务用车购置及运行(?:维护)?费|公务用车购置费?"
                             r"|公务用车运行(?:维护)?费|公务接待费")
_KINDS = {"function": "function", "econ_dept": "econ_dept", "econ_gov": "econ_gov", "total": "total"}


def _figure(raw: str, unit: str) -> tuple[str, str, Decimal, Decimal]:
    amount = parse_amount(raw)
    return raw, unit, amount, to_yuan(amount, unit)


def extract(ctx: Context) -> list[Record]:
    if ctx.meta.stage != "final":
        return []
    by_line: dict[tuple, list[tuple[int, LineItem]]] = {}
    for n, item in enumerate(ctx.items, start=1):
        if item.source_kind == "prose":
            by_line.setdefault((item.page, item.line_number), []).append((n, item))
    names = ProseReader(ctx.catalogs, ctx.meta.fiscal_year, [])
    out: list[Record] = []
    for line in ctx.prose:
        for sub in line.text.split("\n"):
            text = normalize(sub)
            start = 0
            for m in RATE_RE.finditer(text):
                clause_start = max(start, text.rfind("。", 0, m.start()) + 1)
                clause = text[clause_start:m.start()]
                start = m.end()
                record = _statement(text, clause, m, by_line.get((line.page, line.line), []), names)
                if record is not None:
                    out.append(Record(record, "prose", line=line))
    return out


def _statement(text: str, clause: str, rate: re.Match, items: list[tuple[int, LineItem]],
               names: ProseReader) -> dict | None:
    budget = BUDGET_RE.search(clause)
    finals = [a for a in AMOUNT_RE.finditer(clause) if a.group(2)
              and not (budget and budget.start() <= a.start() < budget.end())]
    if not finals:
        return None
    final = finals[-1]
    raw, unit = final.group(1), final.group(2)
    before = clause[:final.start()]
    values: dict = {"code": None, "line_item_index": None, "fund_scope": None}
    linked = next(((n, i) for n, i in items if i.raw_amount == raw and i.unit == unit), None)
    lkx = LKX_RE.search(clause)
    if linked is not None:
        n, item = linked
        values.update(subject_kind=_KINDS[item.classification], code=item.code, line_item_index=n,
                      fund_scope=item.fund_scope)
        name = _subject_name(lkx.group(0) if lkx else item.name or before)
    elif lkx is not None and lkx.group(1):
        code, _ = names._lookup_path(lkx.group(1), lkx.group(2), lkx.group(3))
        values.update(subject_kind="function", code=code, fund_scope=_scope_in(before) or "general_public")
        name = _subject_name(lkx.group(0))
    elif (tp := THREE_PUBLIC_RE.search(before)) is not None:
        values.update(subject_kind="three_public", fund_scope=_scope_in(before) or "fiscal_grant")
        name = tp.group(0)
    elif (pm := PARAGRAPH_RE.match(text)) is not None and pm.end() <= rate.start():
        values.update(subject_kind="project", fund_scope=_scope_in(before) or "all")
        name = pm.group("name")
    else:
        values.update(subject_kind="other", fund_scope=_scope_in(before) or "all")
        name = _subject_name(before)
    raw_final, final_unit, final_amount, final_yuan = _figure(raw, unit)
    b = _figure(budget.group("raw"), budget.group("unit")) if budget else (None, None, None, None)
    values.update(
        subject_name=name, raw_final=raw_final, final_unit=final_unit, final_amount=final_amount,
        final_amount_yuan=final_yuan, raw_rate=rate.group("rate") + "%", rate_pct=Decimal(rate.group("rate")),
        raw_budget=b[0], budget_unit=b[1], budget_amount=b[2], budget_amount_yuan=b[3],
    )
    return values


def _subject_name(label: str) -> str:
    """The subject as printed, without the ordinal and the verb: 1.社会保障和就业支出(类)…(项)."""
    t = re.split(r"[:：]", label)[0]
    t = re.sub(r"^\d+[.、．]", "", t)
    t = re.sub(r"(支出)?(决算|预算)?(数)?为?$", "", t) or t
    return t.strip("，,")
