"""A static HTML report of the published warehouse: one self-contained file, charts as inline SVG.

    python -m orchestration.report [--out FILE]     (make report; default data/report/index.html)

For each region × fiscal year × stage (budget / final; never added together) it shows the spending by
function class (支出功能分类 类) and by economic class (经济分类 类), basic against project spending per
department, and, for final accounts, budget against final (marts.mart_budget_execution). Then a data-quality
summary: the reconciliation checks of marts.dq_results by rule and status, the ingest log's statuses, and the
disclosure completeness scores.

Amounts are shown in 万元 with two decimals (exact yuan / 10 000, rounded half up); every bar carries the exact
yuan in `data-yuan`. Fund scopes and measures overlap (docs/conventions.md), so each chart counts ONE fund scope
and ONE measure, named in its caption: the scope that the most documents of the region-year state for that
chart (ties: all › fiscal_grant › general_public › gov_fund › soe_capital), summed over those documents.

The warehouse is opened read-only: a report never blocks, and never sees, a build in progress. No script, no
web font, no external file: the page works offline and in an e-mail attachment. The file is written beside its
target and renamed over it when complete.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from orchestration import settings

DEFAULT_OUT = settings.DATA_DIR / "report" / "index.html"

SCOPES = ["all", "fiscal_grant", "general_public", "gov_fund", "soe_capital"]
SCOPE_LABELS = {
    "all": "部门全部收支 (all)",
    "fiscal_grant": "财政拨款 (fiscal_grant)",
    "general_public": "一般公共预算 (general_public)",
    "gov_fund": "政府性基金 (gov_fund)",
    "soe_capital": "国有资本经营 (soe_capital)",
}
MEASURE_LABELS = {"total": "合计 (total)", "basic": "基本支出 (basic)", "project": "项目支出 (project)"}
CLASSIFICATION_LABELS = {
    "econ_dept": "部门预算支出经济分类 (econ_dept)",
    "econ_gov": "政府预算支出经济分类 (econ_gov)",
}
STAGE_LABELS = {"budget": "预算 budget", "final": "决算 final"}
SUBJECT_KIND_LABELS = {
    "total": "总额", "function": "功能分类", "econ_dept": "部门经济分类", "econ_gov": "政府经济分类",
    "three_public": "三公经费", "project": "项目", "other": "其他",
}
MAX_BARS = 30          # a chart shows at most this many bars (the largest), and says so
MAX_FAILED_CHECKS = 60  # non-passing dq checks listed one by one

# Latin letters from a Latin sans; the browser takes each Chinese character from the first CJK font it has.
CJK_FONTS = ('"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", '
             '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "AR PL UMing CN", "AR PL UKai CN", '
             '"Noto Serif CJK SC", "SimSun", sans-serif')

CSS = """
:root { color-scheme: light; }
body { font-family: %(fonts)s; margin: 0 auto; max-width: 1100px; padding: 1.5em 2em 4em; color: #1f2933;
       line-height: 1.5; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { border-bottom: 2px solid #0b6e99; padding-bottom: .2em; margin-top: 2.2em; }
h3 { margin: 1.4em 0 .3em; color: #0b4f6c; }
.meta, .note, figcaption { color: #52606d; font-size: .9em; }
nav ol { columns: 2; font-size: .92em; }
table { border-collapse: collapse; font-size: .88em; margin: .5em 0 1em; }
th, td { border: 1px solid #d9e2ec; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: .8em 0 1.4em; }
svg { max-width: 100%%; height: auto; font-family: %(fonts)s; }
svg text { font-size: 13px; fill: #1f2933; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
.bar rect.v, rect.v { fill: #2680c2; }
rect.derived { fill: #9fb3c8; }
rect.neg { fill: #d64545; }
rect.basic { fill: #2680c2; }
rect.project { fill: #f0b429; }
rect.budget { fill: #9fb3c8; }
rect.final { fill: #2680c2; }
rect.pass { fill: #3ebd93; }
rect.warn { fill: #f0b429; }
rect.fail { fill: #d64545; }
rect.present { fill: #3ebd93; }
rect.published_empty { fill: #8bd3bb; }
rect.listed_not_found { fill: #f0b429; }
rect.missing { fill: #d64545; }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin: 0 .25em 0 .8em; }
.empty { color: #7b8794; font-style: italic; }
.status-fail { color: #ab091e; font-weight: bold; }
.status-warn { color: #8d2b0b; }
section.panel { page-break-inside: avoid; }
""" % {"fonts": CJK_FONTS}

LEGEND_COLORS = {
    "basic": "#2680c2", "project": "#f0b429", "budget": "#9fb3c8", "final": "#2680c2", "pass": "#3ebd93",
    "warn": "#f0b429", "fail": "#d64545", "present": "#3ebd93", "published_empty": "#8bd3bb",
    "listed_not_found": "#f0b429", "missing": "#d64545", "derived": "#9fb3c8", "v": "#2680c2",
}


# ---------------------------------------------------------------------------------------------- formatting

def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def wan(yuan) -> str:
    """Exact yuan as 万元 with two decimals, rounded half up, with thousands separators: 1199000 → 119.90."""
    if yuan is None:
        return "—"
    value = (Decimal(yuan) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def pct(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}%"


def text_width(text: str, size: float = 13.0) -> float:
    """A generous estimate of the rendered width: CJK characters a full em, others 0.62 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.62 for ch in text)


def fit(text: str, max_width: float, size: float = 13.0) -> str:
    """`text` cut with an ellipsis to at most `max_width` (estimated); the full text stays in a <title>."""
    if text_width(text, size) <= max_width:
        return text
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


LABEL_MAX_W = 380.0


def _label(x: float, y: float, text: str) -> str:
    shown = fit(text, LABEL_MAX_W - 12)
    tip = f"<title>{esc(text)}</title>" if shown != text else ""
    return f'<text class="label" x="{x:.1f}" y="{y}" text-anchor="end">{tip}{esc(shown)}</text>'


def legend(keys: list[tuple[str, str]]) -> str:
    return '<div class="note">' + "".join(
        f'<span class="swatch" style="background:{LEGEND_COLORS[k]}"></span>{esc(label)}' for k, label in keys
    ) + "</div>"


# ---------------------------------------------------------------------------------------------- SVG charts

def _svg_start(chart_id: str, title: str, *, label_w: float, bar_w: float, value_w: float, n_rows: int,
               row_h: int, attrs: str = "") -> list[str]:
    """The opening of a chart's <svg>: sized for its rows, a <title>, and the axis at the bars' start."""
    width = int(label_w + bar_w + value_w + 10)
    height = row_h * n_rows + 12
    return [f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(chart_id)}" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}"{attrs}>', f"<title>{esc(title)}</title>",
            f'<line class="axis" x1="{label_w:.1f}" y1="2" x2="{label_w:.1f}" y2="{height - 6}"/>']


@dataclass
class Bar:
    label: str
    yuan: Decimal | None
    key: str = ""            # data-code
    cls: str = "v"
    note: str = ""           # shown after the value


def hbar_chart(bars: list[Bar], title: str, *, chart_id: str, unit: str = "万元") -> str:
    """Horizontal bars, one per row: label, bar, value in 万元."""
    if not bars:
        return '<p class="empty">No figures.</p>'
    size, row_h, bar_w = 13, 24, 430
    label_w = min(LABEL_MAX_W, max(text_width(b.label, size) for b in bars) + 16)
    values = [abs(Decimal(b.yuan)) for b in bars if b.yuan is not None]
    top = max(values) if values and max(values) > 0 else Decimal(1)
    value_w = max(text_width(wan(b.yuan) + (" " + b.note if b.note else ""), size) for b in bars) + 12
    out = _svg_start(chart_id, title, label_w=label_w, bar_w=bar_w, value_w=value_w, n_rows=len(bars), row_h=row_h,
                     attrs=f' data-unit="{esc(unit)}"')
    for i, b in enumerate(bars):
        y = 6 + i * row_h
        length = 0.0 if b.yuan is None else float(abs(Decimal(b.yuan)) / top) * bar_w
        cls = "neg" if b.yuan is not None and Decimal(b.yuan) < 0 else b.cls
        value = wan(b.yuan) + (" " + b.note if b.note else "")
        out.append(
            f'<g class="bar" data-code="{esc(b.key)}" data-yuan="{esc(b.yuan)}">'
            + _label(label_w - 8, y + 15, b.label) +
            f'<rect class="{cls}" x="{label_w:.1f}" y="{y + 3}" width="{max(length, 0.5):.1f}" height="{row_h - 8}"/>'
            f'<text class="value" x="{label_w + length + 6:.1f}" y="{y + 15}">{esc(value)}</text></g>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class StackRow:
    label: str
    parts: list[tuple[str, Decimal | None]]   # (css class, yuan)
    total: Decimal | None = None             # drawn as a tick, printed after the bar
    key: str = ""
    text: str = ""                           # printed after the bar instead of the default


def stacked_chart(rows: list[StackRow], title: str, *, chart_id: str, value_fmt=wan) -> str:
    """Horizontal stacked bars (non-negative parts), with an optional total tick."""
    if not rows:
        return '<p class="empty">No figures.</p>'
    size, row_h, bar_w = 13, 26, 420
    label_w = min(LABEL_MAX_W, max(text_width(r.label, size) for r in rows) + 16)

    def extent(r: StackRow) -> Decimal:
        s = sum((Decimal(v) for _, v in r.parts if v is not None and Decimal(v) > 0), Decimal(0))
        return max(s, Decimal(r.total) if r.total is not None else Decimal(0))

    top = max((extent(r) for r in rows), default=Decimal(0)) or Decimal(1)
    texts = [r.text or " + ".join(value_fmt(v) for _, v in r.parts) + (f" = {value_fmt(r.total)}" if r.total is not None else "")
             for r in rows]
    value_w = max(text_width(t, size) for t in texts) + 12
    out = _svg_start(chart_id, title, label_w=label_w, bar_w=bar_w, value_w=value_w, n_rows=len(rows), row_h=row_h)
    for i, (r, t) in enumerate(zip(rows, texts)):
        y = 6 + i * row_h
        x = label_w
        out.append(f'<g class="stack" data-code="{esc(r.key)}">'
                   + _label(label_w - 8, y + 16, r.label))
        for cls, v in r.parts:
            if v is None or Decimal(v) <= 0:
                continue
            w = float(Decimal(v) / top) * bar_w
            out.append(f'<rect class="{esc(cls)}" data-yuan="{esc(v)}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" '
                       f'height="{row_h - 8}"><title>{esc(cls)}: {esc(value_fmt(v))}</title></rect>')
            x += w
        end = x
        if r.total is not None:
            tx = label_w + float(Decimal(r.total) / top) * bar_w
            out.append(f'<line class="axis" x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + row_h - 2}" '
                       f'style="stroke:#1f2933;stroke-width:2"/>')
            end = max(end, tx)
        out.append(f'<text class="value" x="{end + 6:.1f}" y="{y + 16}">{esc(t)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def paired_chart(rows: list[tuple[str, Decimal | None, Decimal | None, str]], title: str, *, chart_id: str) -> str:
    """Two bars per subject: budget (upper) and final (lower); the text after them gives both and the rate."""
    if not rows:
        return '<p class="empty">No figures.</p>'
    size, row_h, bar_w = 13, 34, 400
    label_w = min(LABEL_MAX_W, max(text_width(r[0], size) for r in rows) + 16)
    amounts = [abs(Decimal(v)) for r in rows for v in r[1:3] if v is not None]
    top = max(amounts, default=Decimal(0)) or Decimal(1)
    texts = [f"{wan(b)} → {wan(f)}" + (f" ({rate})" if rate else "") for _, b, f, rate in rows]
    value_w = max(text_width(t, size) for t in texts) + 12
    out = _svg_start(chart_id, title, label_w=label_w, bar_w=bar_w, value_w=value_w, n_rows=len(rows), row_h=row_h)
    for i, ((label, budget, final, _), t) in enumerate(zip(rows, texts)):
        y = 6 + i * row_h
        wb = 0.0 if budget is None else float(abs(Decimal(budget)) / top) * bar_w
        wf = 0.0 if final is None else float(abs(Decimal(final)) / top) * bar_w
        out.append(
            '<g class="pair">' + _label(label_w - 8, y + 19, label) +
            f'<rect class="budget" data-yuan="{esc(budget)}" x="{label_w:.1f}" y="{y + 3}" width="{max(wb, 0.5):.1f}" height="12"/>'
            f'<rect class="final" data-yuan="{esc(final)}" x="{label_w:.1f}" y="{y + 16}" width="{max(wf, 0.5):.1f}" height="12"/>'
            f'<text class="value" x="{label_w + max(wb, wf) + 6:.1f}" y="{y + 19}">{esc(t)}</text></g>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------- data

def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _has_table(con, name: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = 'marts' "
                            "and table_name = ?", [name]).fetchone()[0])


PanelKey = tuple  # (region_code or '', fiscal_year or 0, stage or '')


@dataclass
class Panel:
    key: PanelKey
    title: str
    documents: list[dict] = field(default_factory=list)
    function: list[dict] = field(default_factory=list)
    economic: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    execution: list[dict] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        region, year, stage = self.key
        return f"p-{region or 'unknown'}-{year or 'unknown'}-{stage or 'unknown'}"


def _choose(rows: list[dict], candidates: list[tuple], key) -> tuple | None:
    """The candidate (in preference order) that the most documents state; None when no row matches any."""
    docs: dict[tuple, set] = defaultdict(set)
    for r in rows:
        docs[key(r)].add(r["document_id"])
    best = None
    for cand in candidates:
        n = len(docs.get(cand, ()))
        if n and (best is None or n > best[1]):
            best = (cand, n)
    return best


def _region_titles(con) -> dict[str, str]:
    rows = _rows(con, """
        select r.region_code, r.region_name, p.region_name as province, f.region_name as prefecture, r.admin_level
        from marts.dim_region as r
        left join marts.dim_region as p on p.region_code = r.province_code and r.admin_level <> 'province'
        left join marts.dim_region as f on f.region_code = r.prefecture_code and r.admin_level = 'county'
        where r.region_code in (select region_code from marts.dim_document)""")
    return {r["region_code"]: " ".join(x for x in (r["province"], r["prefecture"], r["region_name"]) if x)
            for r in rows}


def load(con: duckdb.DuckDBPyConnection) -> tuple[list[Panel], dict]:
    regions = _region_titles(con)
    documents = _rows(con, """
        select document_id, file_name, region_code, region_name, department_name, fiscal_year, stage, parse_status,
               disclosure_id
        from marts.dim_document where superseded_by is null
        order by region_code nulls last, fiscal_year, stage, department_name, file_name""")
    panels: dict[PanelKey, Panel] = {}
    panel_of: dict[str, Panel] = {}
    for d in documents:
        key = (d["region_code"] or "", d["fiscal_year"] or 0, d["stage"] or "")
        if key not in panels:
            region = regions.get(d["region_code"]) or d["region_name"] or "地区未识别 (region not recognised)"
            code = f" ({d['region_code']})" if d["region_code"] else ""
            year = d["fiscal_year"] or "年度未识别"
            panels[key] = Panel(key, f"{region}{code} · {year} · {STAGE_LABELS.get(d['stage'], d['stage'] or '—')}")
        panels[key].documents.append(d)
        panel_of[d["document_id"]] = panels[key]

    for r in _rows(con, """
            select document_id, fund_scope, function_code as code,
                   coalesce(function_catalog_name, function_name) as name, amount_yuan, is_derived
            from marts.fct_function_spending where function_level = 'class' and measure = 'total'"""):
        if r["document_id"] in panel_of:
            panel_of[r["document_id"]].function.append(r)
    for r in _rows(con, """
            select document_id, classification, fund_scope, measure, econ_code as code,
                   coalesce(econ_catalog_name, econ_name) as name, amount_yuan, is_derived
            from marts.fct_economic_spending where econ_level = 'class' and measure in ('total', 'basic')"""):
        if r["document_id"] in panel_of:
            panel_of[r["document_id"]].economic.append(r)
    for r in _rows(con, """
            select document_id, fund_scope, measure, amount_yuan from marts.fct_document_totals
            where measure in ('total', 'basic', 'project')"""):
        if r["document_id"] in panel_of:
            panel_of[r["document_id"]].totals.append(r)
    if _has_table(con, "mart_budget_execution"):
        for r in _rows(con, """
                select final_document_id as document_id, budget_document_id, subject_kind, fund_scope, code,
                       subject_name, measure, budget_yuan, final_yuan, stated_budget_yuan, implied_budget_yuan,
                       computed_rate_pct, stated_rate_pct, stated_rate_raw, rate_agrees
                from marts.mart_budget_execution
                order by subject_kind, code nulls last, subject_name, fund_scope, measure"""):
            if r["document_id"] in panel_of:
                panel_of[r["document_id"]].execution.append(r)

    quality = {
        "dq": _rows(con, """
            select rule_id, any_value(rule_name) as rule_name, any_value(severity) as severity,
                   count(*) filter (where status = 'pass') as pass,
                   count(*) filter (where status = 'warn') as warn,
                   count(*) filter (where status = 'fail') as fail
            from marts.dq_results group by rule_id order by rule_id""") if _has_table(con, "dq_results") else [],
        "dq_open": _rows(con, """
            select q.rule_id, q.status, q.fund_scope, q.subject, q.detail, d.file_name, d.region_name, d.fiscal_year
            from marts.dq_results as q left join marts.dim_document as d using (document_id)
            where q.status <> 'pass'
            order by case q.status when 'fail' then 0 else 1 end, d.region_code, d.fiscal_year, q.rule_id, q.check_id
            """) if _has_table(con, "dq_results") else [],
        "ingest": _rows(con, """
            select status, count(*) as n from marts.ingest_log group by status order by n desc, status
            """) if _has_table(con, "ingest_log") else [],
        "ingest_problems": _rows(con, """
            select file_name, source_path, status, error_code, message from marts.ingest_log
            where status <> 'loaded' order by status, source_path""") if _has_table(con, "ingest_log") else [],
        "completeness": _rows(con, """
            select disclosure_id, any_value(region_name) as region_name, any_value(fiscal_year) as fiscal_year,
                   any_value(stage) as stage, any_value(completeness_score) as score,
                   any_value(n_expected_tables) as n_expected, any_value(n_present) as present,
                   any_value(n_published_empty) as published_empty,
                   any_value(n_listed_not_found) as listed_not_found, any_value(n_missing) as missing,
                   any_value(n_documents) as n_documents, bool_or(is_scored) as is_scored
            from marts.mart_disclosure_completeness_by_disclosure
            group by disclosure_id order by any_value(region_code), any_value(fiscal_year), disclosure_id
            """) if _has_table(con, "mart_disclosure_completeness_by_disclosure") else [],
    }
    return list(panels.values()), quality


# ---------------------------------------------------------------------------------------------- sections

def _scope_caption(scope: str, n: int, of: int, extra: str = "") -> str:
    docs = f"{n} of {of} documents" if of > 1 else ("1 document" if n == 1 else f"{n} documents")
    return f"fund scope {SCOPE_LABELS.get(scope, scope)}{extra}; 万元; {docs}"


def _class_chart(p: Panel, rows: list[dict], candidates: list[tuple], key, *, head: str, what: str, suffix: str,
                 caption, children: str) -> str:
    """Bars by class code, summed over the documents of the panel that state the chosen candidate
    (fund scope, and classification / measure where they vary); `caption(candidate, n)` says which."""
    head = f"<h4>{esc(head)}</h4>"
    chosen = _choose(rows, candidates, key)
    if not chosen:
        return head + f'<p class="empty">The documents state no spending by {esc(what)}.</p>'
    candidate, n = chosen
    sums: dict[str, list] = {}
    for r in rows:
        if key(r) != candidate:
            continue
        entry = sums.setdefault(r["code"], [r["name"], Decimal(0), False])
        entry[1] += Decimal(r["amount_yuan"])
        entry[2] = entry[2] or bool(r["is_derived"])
    bars = [Bar(f"{code} {name or ''}".strip(), amount, key=code, cls="derived" if derived else "v",
                note="*" if derived else "")
            for code, (name, amount, derived) in sorted(sums.items())]
    text = caption(candidate, n)
    if any(b.note for b in bars):
        text += f"; * not stated: the sum of the {children} the document states (is_derived)"
    return (head + f'<figure>{hbar_chart(bars, f"{what} {p.title}", chart_id=f"{p.anchor}-{suffix}")}'
            f"<figcaption>{esc(text)}</figcaption></figure>")


def _function_section(p: Panel) -> str:
    return _class_chart(
        p, p.function, [(s,) for s in SCOPES], lambda r: (r["fund_scope"],),
        head="支出功能分类 · by function class (类)", what="function class", suffix="function", children="sections",
        caption=lambda c, n: _scope_caption(c[0], n, len(p.documents), ", measure 合计 (total)"))


def _economic_section(p: Panel) -> str:
    return _class_chart(
        p, p.economic, [(c, s, m) for c in ("econ_dept", "econ_gov") for m in ("total", "basic") for s in SCOPES],
        lambda r: (r["classification"], r["fund_scope"], r["measure"]),
        head="经济分类 · by economic class (类)", what="economic class", suffix="economic", children="items",
        caption=lambda c, n: f"{CLASSIFICATION_LABELS[c[0]]}; "
                             + _scope_caption(c[1], n, len(p.documents), f", measure {MEASURE_LABELS[c[2]]}"))


def _department(d: dict) -> str:
    return d["department_name"] or d["file_name"]


def _basic_project_section(p: Panel) -> str:
    head = "<h4>基本支出 / 项目支出 · basic against project</h4>"
    by_doc: dict[tuple, dict] = defaultdict(dict)
    for r in p.totals:
        by_doc[(r["document_id"], r["fund_scope"])][r["measure"]] = r["amount_yuan"]
    both = [{"document_id": doc, "fund_scope": scope} for (doc, scope), m in by_doc.items()
            if "basic" in m and "project" in m]
    chosen = _choose(both, [(s,) for s in SCOPES], lambda r: (r["fund_scope"],))
    if not chosen:
        return head + '<p class="empty">No document states both its basic and its project spending.</p>'
    (scope,), n = chosen
    rows, sum_b, sum_p, sum_t, all_t = [], Decimal(0), Decimal(0), Decimal(0), True
    for d in p.documents:
        m = by_doc.get((d["document_id"], scope), {})
        if "basic" not in m or "project" not in m:
            continue
        b, pr, t = Decimal(m["basic"]), Decimal(m["project"]), m.get("total")
        sum_b, sum_p = sum_b + b, sum_p + pr
        if t is None:
            all_t = False
        else:
            sum_t += Decimal(t)
        share = f"; project {pct(100 * pr / (b + pr))}" if b + pr else ""
        rows.append(StackRow(_department(d), [("basic", b), ("project", pr)], t, key=d["document_id"],
                             text=f"{wan(b)} + {wan(pr)}" + (f" (total {wan(t)})" if t is not None else "") + share))
    if len(rows) > 1:
        rows.append(StackRow("合计 all departments", [("basic", sum_b), ("project", sum_p)],
                             sum_t if all_t else None, key="sum",
                             text=f"{wan(sum_b)} + {wan(sum_p)}" + (f" (total {wan(sum_t)})" if all_t else "")))
    caption = _scope_caption(scope, n, len(p.documents)) + (
        "; the black tick is the total the document states (basic + project need not add up to it: other "
        "measures such as 经营支出, or a document that contradicts itself — see rule R03)")
    return (head + legend([("basic", "基本支出 basic"), ("project", "项目支出 project")])
            + f'<figure>{stacked_chart(rows, "basic and project " + p.title, chart_id=p.anchor + "-basic-project")}'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def _execution_section(p: Panel) -> str:
    if not p.execution:
        return ""
    head = "<h4>预算 / 决算 · budget against final</h4>"
    rows = [r for r in p.execution if r["measure"] == "total" and r["subject_kind"] not in ("econ_dept", "econ_gov")]
    coded = [r for r in rows if r["subject_kind"] in ("total", "function")]
    chosen = _choose(coded, [(s,) for s in SCOPES], lambda r: (r["fund_scope"],))
    if chosen:
        scope = chosen[0][0]
        coded = [r for r in coded if r["fund_scope"] == scope]
        levels = [len(r["code"]) for r in coded if r["subject_kind"] == "function" and r["code"]]
        shallow = min(levels) if levels else None
        coded = [r for r in coded if r["subject_kind"] == "total" or (r["code"] and len(r["code"]) == shallow)]
    chart_rows = coded + [r for r in rows if r["subject_kind"] not in ("total", "function")]

    def budget_of(r):
        if r["budget_yuan"] is not None:
            return r["budget_yuan"], ""
        if r["stated_budget_yuan"] is not None:
            return r["stated_budget_yuan"], "stated"
        if r["implied_budget_yuan"] is not None:
            return r["implied_budget_yuan"], "implied"
        return None, ""

    def rate_of(r):
        if r["computed_rate_pct"] is not None:
            return pct(r["computed_rate_pct"])
        if r["stated_rate_pct"] is not None:
            return f"stated {pct(r['stated_rate_pct'])}"
        return ""

    def label(r):
        kind = SUBJECT_KIND_LABELS.get(r["subject_kind"], r["subject_kind"])
        name = r["subject_name"] or ""
        return f"{kind} {r['code'] or ''} {name}".replace("  ", " ").strip()

    chart_rows.sort(key=lambda r: -max(abs(Decimal(v)) for v in (budget_of(r)[0] or 0, r["final_yuan"] or 0)))
    shown = chart_rows[:MAX_BARS]
    pairs = []
    for r in shown:
        b, how = budget_of(r)
        pairs.append((("† " if how else "") + label(r), b, r["final_yuan"], rate_of(r)))
    caption = ("budget (upper bar) → final (lower bar), 万元, and final ÷ budget; † no budget document: the budget "
               "the final account states, or implies by its stated execution rate (final ÷ rate)")
    if len(chart_rows) > len(shown):
        caption += f"; the {len(shown)} largest of {len(chart_rows)} subjects"
    table = ['<table><tr><th>subject</th><th>fund scope</th><th class="num">budget 万元</th><th>budget from</th>'
             '<th class="num">final 万元</th><th class="num">final ÷ budget</th><th>stated rate</th><th>agrees</th></tr>']
    for r in p.execution:
        if r["measure"] != "total" or r["stated_rate_pct"] is None and r["subject_kind"] in ("econ_dept", "econ_gov"):
            continue
        b, how = budget_of(r)
        source = {"": "budget document" if r["budget_yuan"] is not None else "", "stated": "stated in the final",
                  "implied": "implied by the rate"}[how]
        agrees = {True: "yes", False: '<span class="status-fail">no</span>', None: ""}[r["rate_agrees"]]
        table.append(f'<tr><td>{esc(label(r))}</td><td>{esc(r["fund_scope"])}</td><td class="num">{wan(b)}</td>'
                     f'<td>{esc(source)}</td><td class="num">{wan(r["final_yuan"])}</td>'
                     f'<td class="num">{pct(r["computed_rate_pct"])}</td><td>{esc(r["stated_rate_raw"] or "")}</td>'
                     f"<td>{agrees}</td></tr>")
    table.append("</table>")
    return (head + legend([("budget", "预算 budget"), ("final", "决算 final")])
            + f'<figure>{paired_chart(pairs, "budget and final " + p.title, chart_id=p.anchor + "-execution")}'
            f"<figcaption>{esc(caption)}</figcaption></figure>"
            + '<details><summary>All subjects with a total (marts.mart_budget_execution)</summary>'
            + "".join(table) + "</details>")


def _panel_html(p: Panel) -> str:
    docs = "".join(
        f"<li>{esc(_department(d))} <span class=\"meta\">({esc(d['file_name'])}, {esc(d['parse_status'])})</span></li>"
        for d in p.documents)
    return (f'<section class="panel" id="{esc(p.anchor)}"><h3>{esc(p.title)}</h3>'
            f'<ul class="meta">{docs}</ul>'
            + _function_section(p) + _economic_section(p) + _basic_project_section(p) + _execution_section(p)
            + "</section>")


def _quality_html(q: dict) -> str:
    out = ['<section id="quality"><h2>数据质量 · Data quality</h2>']

    out.append("<h3>Reconciliation checks (marts.dq_results) by rule and status</h3>")
    if q["dq"]:
        rows = [StackRow(f"{r['rule_id']} {r['rule_name']}", [("pass", r["pass"]), ("warn", r["warn"]), ("fail", r["fail"])],
                         key=r["rule_id"], text=f"{r['pass']} pass, {r['warn']} warn, {r['fail']} fail")
                for r in q["dq"]]
        out.append(legend([("pass", "pass"), ("warn", "warn"), ("fail", "fail")]))
        out.append(f'<figure>{stacked_chart(rows, "dq_results by rule and status", chart_id="dq-by-rule", value_fmt=str)}'
                   "<figcaption>Checks per rule: a failing check is a document contradicting itself (severity error), "
                   "a warning one of severity warn. The rules are explained in docs/reconciliation.md.</figcaption></figure>")
        table = ['<table><tr><th>rule</th><th>name</th><th>severity</th><th class="num">pass</th><th class="num">warn</th>'
                 '<th class="num">fail</th></tr>']
        for r in q["dq"]:
            table.append(f"<tr><td>{esc(r['rule_id'])}</td><td>{esc(r['rule_name'])}</td><td>{esc(r['severity'])}</td>"
                         f'<td class="num">{r["pass"]}</td><td class="num">{r["warn"]}</td><td class="num">{r["fail"]}</td></tr>')
        total = [sum(r[k] for r in q["dq"]) for k in ("pass", "warn", "fail")]
        table.append(f'<tr><th colspan="3">all rules</th><th class="num">{total[0]}</th><th class="num">{total[1]}</th>'
                     f'<th class="num">{total[2]}</th></tr></table>')
        out.append("".join(table))
        if q["dq_open"]:
            shown = q["dq_open"][:MAX_FAILED_CHECKS]
            more = f" (the first {len(shown)} of {len(q['dq_open'])})" if len(q["dq_open"]) > len(shown) else ""
            out.append(f"<details><summary>Checks that did not pass{esc(more)}</summary><table><tr><th>status</th>"
                       "<th>rule</th><th>document</th><th>fund scope</th><th>detail</th></tr>")
            for r in shown:
                out.append(f'<tr><td class="status-{esc(r["status"])}">{esc(r["status"])}</td><td>{esc(r["rule_id"])}</td>'
                           f"<td>{esc(r['region_name'])} {esc(r['fiscal_year'])}<br><span class=\"meta\">{esc(r['file_name'])}</span></td>"
                           f"<td>{esc(r['fund_scope'])}</td><td>{esc(r['detail'])}</td></tr>")
            out.append("</table></details>")
    else:
        out.append('<p class="empty">No reconciliation checks in this warehouse.</p>')

    out.append("<h3>Ingest log (marts.ingest_log)</h3>")
    if q["ingest"]:
        out.append('<table><tr><th>status</th><th class="num">files</th></tr>' + "".join(
            f'<tr><td>{esc(r["status"])}</td><td class="num">{r["n"]}</td></tr>' for r in q["ingest"]) + "</table>")
        if q["ingest_problems"]:
            out.append("<table><tr><th>file</th><th>status</th><th>error</th><th>message</th></tr>" + "".join(
                f"<tr><td>{esc(r['source_path'])}</td><td>{esc(r['status'])}</td><td>{esc(r['error_code'])}</td>"
                f"<td>{esc(r['message'])}</td></tr>" for r in q["ingest_problems"]) + "</table>")
        else:
            out.append('<p class="note">Every file was loaded.</p>')
    else:
        out.append('<p class="empty">No ingest log.</p>')

    out.append("<h3>Disclosure completeness (marts.mart_disclosure_completeness_by_disclosure)</h3>")
    if q["completeness"]:
        statuses = ["present", "published_empty", "listed_not_found", "missing"]
        rows = []
        for r in q["completeness"]:
            score = f"score {Decimal(r['score']):.4f}" if r["score"] is not None else "not scored"
            label = f"{r['region_name'] or r['disclosure_id']} {r['fiscal_year'] or ''} {STAGE_LABELS.get(r['stage'], r['stage'] or '')}"
            rows.append(StackRow(label.strip(), [(s, r[s]) for s in statuses], key=r["disclosure_id"],
                                 text=f"{score}: " + ", ".join(f"{r[s]} {s}" for s in statuses if r[s])
                                 + f" of {r['n_expected']}"))
        out.append(legend([(s, s) for s in statuses]))
        out.append(f'<figure>{stacked_chart(rows, "disclosure completeness", chart_id="completeness", value_fmt=str)}'
                   "<figcaption>Expected tables of each disclosure by status; score = (present + published empty) ÷ "
                   "expected, from 0 to 1 (a performance form is not scored).</figcaption></figure>")
    else:
        out.append('<p class="empty">No completeness scores in this warehouse.</p>')
    out.append("</section>")
    return "".join(out)


def render(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        panels, quality = load(con)
        n_docs = con.execute("select count(*) from marts.dim_document").fetchone()[0]
    built = datetime.fromtimestamp(db.stat().st_mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(f'<li><a href="#{esc(p.anchor)}">{esc(p.title)}</a></li>' for p in panels)
    body = "".join(_panel_html(p) for p in panels)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>budget-warehouse report</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>部门预算公开 · budget-warehouse report</h1>
<p class="meta">From the warehouse <code>{esc(db.name)}</code> (built {esc(built)}): {n_docs} documents,
{len(panels)} region-years. Amounts in 万元 (exact yuan ÷ 10 000, two decimals); a bar's exact yuan is in its
<code>data-yuan</code>. Budgets and final accounts are never added together; each chart counts one fund scope and
one measure, named under it (fund scopes and measures overlap).</p>
</header>
<nav><h2>Region-years</h2><ol>{toc}</ol><p><a href="#quality">数据质量 · Data quality</a></p></nav>
<main>
<h2>支出 · Spending by region-year</h2>
{body}
{_quality_html(quality)}
</main>
</body>
</html>
"""


def write_report(db: Path, out: Path) -> Path:
    if not db.exists():
        raise FileNotFoundError(f"No warehouse at {db}: run `make run` first.")
    page = render(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.writing")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the HTML file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    db = settings.warehouse_path()
    try:
        out = write_report(db, args.out.absolute())
    except (FileNotFoundError, duckdb.Error) as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    print(f"Report written to {out} ({out.stat().st_size:,} bytes) from {db} (read-only); open it in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
