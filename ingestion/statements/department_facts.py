"""department_facts (docs/staging/department_facts.md): what a document states about the department itself.

One row per fact a sentence or a table row states, with a stable key (FACTS below), the printed phrase and
value, a typed value and its unit; money facts also in yuan:
- staff: 人员编制22人，其中行政编制5人、事业编制17人；实有人员23人，其中行政3人、事业20人; 离退休人员2人;
  参公编制17名; 在职在编15人;
- vehicles and equipment: 共有车辆 0 辆, 一般公务用车127辆, 单台价值 20 万元以上的设备 0 台（套）, 安排购置车辆 0 辆
  (…由 2019 年结转的财政拨款支出安排: the _carryover keys);
- assets: 上年末固定资产金额为71.12万元, the 部门固定资产占用情况表, 暂无国有资产占用情况 (a stated none);
- government procurement: 政府采购预算安排 1450 万元, 其中货物/服务/工程, 授予中小企业合同金额; 无政府采购预算;
  the 政府采购预算表's 合计 and 货物/服务/工程 rows;
- 机关运行经费 with its change and reason (比2019年增加1.55万元，增长6.86%。主要原因是…), the 机关运行经费 table's
  合计; 无 2019 年结转的…机关运行经费支出 is about carried-over funds only (admin_costs_carryover);
- what the 三公 sections count: 国内公务接待3批次，37人次; 因公出国（境）团组0次，出国（境）0人.
A count stands at the date its paragraph gives before it (截止2019年底, 截至2020年12月31日, 上年末), as_of_date.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import polars as pl

from ..numbers import find_unit, normalize, parse_amount
from . import Context, Record
from .sentences import (
    CHANGE_COLUMNS, NUMBER, REASON_START_RE, UNIT, Paragraph, Token, attach, attribute_tokens, date_at, dates,
    empty_change, money, overlaps, paragraphs,
)

FRAME = "department_facts"
COLUMNS: dict[str, pl.DataType] = {
    "fact_group": pl.Utf8,
    "fact_key": pl.Utf8,
    "label": pl.Utf8,
    "value_kind": pl.Utf8,
    "raw_value": pl.Utf8,
    "unit": pl.Utf8,
    "value": pl.Decimal(20, 4),
    "amount_yuan": pl.Decimal(20, 2),
    "is_stated_none": pl.Boolean,
    "as_of_date": pl.Utf8,
    "as_of_text": pl.Utf8,
    **CHANGE_COLUMNS,
    "column_label": pl.Utf8,
    "phrase": pl.Utf8,
}

# fact_key -> (fact_group, value_kind, a stock that stands at a date)
FACTS: dict[str, tuple[str, str, bool]] = {
    **{k: ("staff", "count", True) for k in (
        "staff_authorized_total", "staff_authorized_admin", "staff_authorized_admin_auxiliary",
        "staff_authorized_institution", "staff_authorized_civil_servant_managed", "staff_authorized_worker",
        "staff_actual_total", "staff_actual_admin", "staff_actual_institution", "staff_actual_civil_servant_managed",
        "staff_actual_worker", "staff_in_post", "staff_retired", "staff_retired_lixiu", "staff_retired_tuixiu")},
    **{k: ("vehicles", "count", True) for k in (
        "vehicles_total", "vehicles_official", "vehicles_official_general", "vehicles_law_enforcement",
        "vehicles_special_technical", "vehicles_other")},
    **{k: ("vehicles", "count", False) for k in (
        "vehicles_purchased", "vehicles_planned_purchase", "vehicles_planned_purchase_carryover")},
    "vehicles_value": ("vehicles", "money", True),
    "equipment_high_value_units": ("equipment", "count", True),
    "equipment_high_value_value": ("equipment", "money", True),
    "equipment_high_value_planned_purchase": ("equipment", "count", False),
    "equipment_high_value_planned_purchase_carryover": ("equipment", "count", False),
    "fixed_assets_value": ("assets", "money", True),
    "fixed_assets_other_value": ("assets", "money", True),
    "fixed_assets_planned_purchase_value": ("assets", "money", False),
    "buildings_area": ("assets", "area", True),
    "buildings_value": ("assets", "money", True),
    "office_space_area": ("assets", "area", True),
    "office_space_value": ("assets", "money", True),
    "state_assets_value": ("assets", "money", True),
    **{k: ("procurement", "money", False) for k in (
        "procurement_total", "procurement_goods", "procurement_services", "procurement_works",
        "procurement_sme_awarded")},
    "procurement_sme_share": ("procurement", "percent", False),
    "admin_costs": ("admin_costs", "money", False),
    "admin_costs_carryover": ("admin_costs", "money", False),
    **{k: ("three_public_activity", "count", False) for k in (
        "reception_batches", "reception_persons", "reception_domestic_batches", "reception_domestic_persons",
        "reception_foreign_batches", "reception_foreign_persons", "outbound_groups", "outbound_persons")},
}

_COUNT = r"(?P<n>\d+)"
_STAFF_KINDS = [("政法", "total"), ("行政附属", "admin_auxiliary"), ("参照公务员法管理", "civil_servant_managed"),
                ("参公", "civil_servant_managed"), ("行政", "admin"), ("事业", "institution"), ("工勤", "worker")]
AUTHORIZED_RE = re.compile(
    r"(?P<label>(?:行政附属|参照公务员法管理|参公|行政政法人员|行政政法|行政|事业|工勤|人员)?编制)(?:数|人数|总数)?"
    rf"(?:为|共|共有)?{_COUNT}(?P<u>人|名)")
ACTUAL_RE = re.compile(rf"(?P<label>实有人员|实有人数|实有)(?:数)?(?:为|共)?{_COUNT}(?P<u>人|名)")
IN_POST_RE = re.compile(rf"(?P<label>在职在编(?:人员)?|在编在职(?:人员)?|实际在编在职人员|在职人员|在编人员)(?:数|人数)?(?:为|共)?{_COUNT}(?P<u>人|名)")
RETIRED_RE = re.compile(rf"(?P<label>离退休人员|离退休干部|离休人员|退休人员)(?:数|人数)?(?:为|共)?{_COUNT}(?P<u>人|名)")
BARE_KIND_RE = re.compile(rf"(?:(?<=其中)|(?<=、)|(?<=,)|(?<=;)|(?<=:))(?P<label>行政|事业|参公|工勤)(?:人员)?{_COUNT}(?P<u>人|名)")
VEHICLES_RE = re.compile(rf"(?P<pre>安排购置|拟购置|计划购置|购置|更新)?(?P<label>车辆)(?:总数)?(?:共)?{_COUNT}(?P<u>辆|台)")
VEHICLE_KIND_RE = re.compile(
    rf"(?P<pre>安排购置|拟购置|计划购置|更新购置|购置|更新)?(?P<label>一般公务用车|执法执勤用车|特种专业技术用车|其他用车|公务用车)(?:共)?{_COUNT}(?P<u>辆)")
_VEHICLE_KINDS = {"一般公务用车": "vehicles_official_general", "执法执勤用车": "vehicles_law_enforcement",
                  "特种专业技术用车": "vehicles_special_technical", "其他用车": "vehicles_other",
                  "公务用车": "vehicles_official"}
EQUIPMENT_RE = re.compile(
    rf"(?P<pre>安排购置|拟购置|计划购置|购置)?(?P<label>(?:单台价值|单台价格|单价|单位价值)在?{NUMBER}万元(?:\(含\))?以上的?(?:通用|专用)?设备)"
    rf"(?:共)?{_COUNT}(?P<u>台\(套\)|台套|台|套)")
FIXED_ASSETS_RE = re.compile(
    rf"(?P<pre>拟购置|购置|新增)?(?P<label>固定资产(?:总额|金额|总值|原值|价值|账面价值)?)(?:金额|总额)?(?:为|共计|合计|是)?"
    rf"(?P<amt>{NUMBER})(?P<unit>{UNIT})")
STATE_ASSETS_NONE_RE = re.compile(r"(?:暂无|没有|无)(?P<label>国有资产)(?:占用|占有|使用)*(?:情况)?")
ADMIN_COSTS_RE = re.compile(
    rf"(?P<label>机关运行(?:经)?费)(?:用)?(?:支出|预算|决算|共计|合计|安排|总额|金额|为|是|数|了|的)*(?P<amt>{NUMBER})(?P<unit>{UNIT})")
ADMIN_COSTS_NONE_RE = re.compile(r"(?:没有|无)(?:\d{4}年度?)?(?P<co>结转的?)?(?:一般公共预算|财政拨款|拨款)*(?P<label>机关运行(?:经)?费)")
PROCUREMENT_RE = re.compile(
    rf"(?P<label>政府采购)(?:支出|预算|决算|总额|总金额|金额|合计|共计|安排|计划|为|是|了|的|数)*(?P<amt>{NUMBER})(?P<unit>{UNIT})")
PROCUREMENT_NONE_RE = re.compile(r"(?:没有|无)(?P<label>政府采购)(?:预算|支出|计划)?")
PROCUREMENT_PART_RE = re.compile(
    rf"(?:拟采购|拟购买|采购|购买)?(?P<label>货物|工程|服务)类?(?:政府采购)?(?:支出|预算)*(?:为)?(?P<amt>{NUMBER})(?P<unit>{UNIT})")
_PARTS = {"货物": "procurement_goods", "工程": "procurement_works", "服务": "procurement_services"}
SME_RE = re.compile(rf"(?P<label>授予中小(?:微)?企业(?:的)?合同金额)(?:为)?(?P<amt>{NUMBER})(?P<unit>{UNIT})")
SME_SHARE_RE = re.compile(r"(?P<label>占政府采购(?:支出|预算)?总额)的?(?P<pct>\d+(?:\.\d+)?)%")
RECEPTION_RE = re.compile(rf"(?P<label>(?P<kind>国内|外事|外宾)?公务接待)(?P<b>\d+)批次?,?(?:共)?(?P<p>\d+)人次")
OUTBOUND_GROUPS_RE = re.compile(r"(?P<label>因公出国\(境\)团组)(?P<n>\d+)(?P<u>次|个)")
OUTBOUND_PERSONS_RE = re.compile(r"(?P<label>出国\(境\))(?P<n>\d+)(?P<u>人次|人)")


def _values(key: str, label: str) -> dict[str, Any]:
    group, kind, _ = FACTS[key]
    return {"fact_group": group, "fact_key": key, "label": label, "value_kind": kind, "raw_value": None,
            "unit": None, "value": None, "amount_yuan": None, "is_stated_none": False, "as_of_date": None,
            "as_of_text": None, **empty_change(), "column_label": None, "phrase": None}


def _set_value(values: dict[str, Any], raw: str, unit: str | None) -> bool:
    is_money = values["value_kind"] == "money"
    value, yuan = money(raw, unit if is_money else None)
    if value is None or (is_money and yuan is None):
        return False
    values.update(raw_value=raw.strip(), unit=unit, value=value, amount_yuan=yuan)
    return True


def _none(values: dict[str, Any]) -> dict[str, Any]:
    values.update(is_stated_none=True, raw_value="无", value=Decimal(0))
    if values["value_kind"] == "money":
        values["amount_yuan"] = Decimal("0.00")
    return values


def extract(ctx: Context) -> list[Record]:
    records: list[Record] = []
    read_rows: set[int] = set()
    for tb in ctx.blocks:
        if tb.info is None or not tb.block.rows:
            continue
        reader = {"assets": _asset_table, "procurement": _procurement_table, "admin_costs": _admin_table}.get(tb.info.kind)
        if reader is not None:
            read_rows.update(id(r) for r in tb.block.rows)
            records.extend(reader(ctx, tb))
    return records + _prose(ctx, read_rows)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
def _table_record(tb, row_number: int, row, j: int, values: dict[str, Any]) -> Record:
    values["phrase"] = " | ".join(c.strip() for c in row.cells if c.strip())
    return Record(values, "table", table=tb.info, row=row, row_number=row_number, cell_index=j)


def _label(cells: list[str]) -> str:
    return next((c.strip() for c in cells if normalize(c) and parse_amount(c) is None), "")


_ASSET_ROWS = [  # row label -> (count/area key, value key)
    (r"资产总额|固定资产总额|固定资产合计|^合计$|^总计$", None, "fixed_assets_value"),
    (r"办公用房", "office_space_area", "office_space_value"),
    (r"房屋", "buildings_area", "buildings_value"),
    (r"车辆", "vehicles_total", "vehicles_value"),
    (r"设备", "equipment_high_value_units", "equipment_high_value_value"),
    (r"其他固定资产", None, "fixed_assets_other_value"),
]


def _asset_table(ctx: Context, tb) -> list[Record]:
    """部门固定资产占用情况表: rows 资产总额 / 房屋 / 车辆 / 单价…设备 / 其他固定资产, columns 数量 and 价值."""
    unit = tb.info.unit
    # the table's date: a 截止时间：2022-12-31 line in its caption or its first rows
    texts = [c for r in tb.block.rows[:3] for c in r.cells] + [c.text for c in reversed(tb.block.caption[-3:])]
    stated = [(t, d) for t in texts if re.search(r"截[止至]", t) for d in dates(normalize(t), ctx.meta.fiscal_year)[:1]]
    as_of = (stated[0][1].data["iso"], stated[0][0].strip()) if stated else (None, None)
    count_col = value_col = None
    header: list[str] = []
    out: list[Record] = []
    for k, row in enumerate(tb.block.rows, start=1):
        cells = [normalize(c) for c in row.cells]
        if count_col is None and value_col is None:
            count_col = next((j for j, c in enumerate(cells) if "数量" in c or "面积" in c), None)
            value_col = next((j for j, c in enumerate(cells) if "价值" in c or "金额" in c), None)
            if value_col is not None:
                unit = find_unit(cells[value_col]) or unit
            header = [c.strip() for c in row.cells]
            continue
        label = _label(row.cells)
        spec = next((s for s in _ASSET_ROWS if re.search(s[0], normalize(label))), None)
        if spec is None:
            continue
        if spec[2] == "equipment_high_value_value" and "万元" not in normalize(label):
            continue
        unit_in_label = re.search(r"[（(]([^）)]+)[）)]", label)
        for j, key, cell_unit in ((count_col, spec[1], unit_in_label.group(1) if unit_in_label else None),
                                  (value_col, spec[2], unit)):
            if j is None or key is None or j >= len(row.cells) or parse_amount(row.cells[j]) is None:
                continue  # a blank cell is no figure
            values = _values(key, label)
            if not _set_value(values, row.cells[j], cell_unit):
                continue
            if FACTS[key][2]:
                values["as_of_date"], values["as_of_text"] = as_of
            values["column_label"] = header[j] if j < len(header) else None
            out.append(_table_record(tb, k, row, j, values))
    return out


def _amount_cell(row, column: int | None) -> int | None:
    if column is not None and column < len(row.cells) and parse_amount(row.cells[column]) is not None:
        return column
    amounts = [j for j, c in enumerate(row.cells) if parse_amount(c) is not None]
    return amounts[-1] if amounts else None


def _procurement_table(ctx: Context, tb) -> list[Record]:
    """政府采购预算表: its 合计 row, and the 货物 / 工程 / 服务 class rows (一、货物A)."""
    unit = tb.info.unit
    column = None
    column_label = None
    out: list[Record] = []
    for k, row in enumerate(tb.block.rows, start=1):
        cells = [normalize(c) for c in row.cells]
        if column is None:
            column = next((j for j, c in enumerate(cells) if c in ("总计", "合计", "金额") or "采购金额" in c), None)
            column_label = row.cells[column].strip() if column is not None else None
        label = normalize(_label(row.cells))
        if label in ("合计", "总计"):
            key = "procurement_total"
        else:
            m = re.match(r"^[一二三四五六七八九十]+[、.．]?(货物|工程|服务)", label)
            if not m:
                continue
            key = _PARTS[m.group(1)]
        j = _amount_cell(row, column)
        if j is None:
            continue
        values = _values(key, _label(row.cells))
        if _set_value(values, row.cells[j], unit):
            values["column_label"] = column_label if j == column else None
            out.append(_table_record(tb, k, row, j, values))
    return out


def _admin_table(ctx: Context, tb) -> list[Record]:
    """一般公共预算机关运行经费支出预算表: its 合计 row (the figure on the next row when a PDF split it)."""
    unit = tb.info.unit
    rows = tb.block.rows
    for k, row in enumerate(rows, start=1):
        if not any(normalize(c) in ("合计", "总计") for c in row.cells):
            continue
        j, at, at_k = _amount_cell(row, None), row, k
        if j is None and k < len(rows) and not _label(rows[k].cells):
            at, at_k = rows[k], k + 1
            j = _amount_cell(at, None)
        if j is None:
            return []
        values = _values("admin_costs", _label(row.cells))
        if not _set_value(values, at.cells[j], unit):
            return []
        return [_table_record(tb, at_k, at, j, values)]
    return []


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------
def _prose(ctx: Context, read_rows: set[int]) -> list[Record]:
    out: list[tuple[Paragraph, dict[str, Any]]] = []
    procurement_section = False
    last_subject: dict[str, Any] | None = None
    for para in paragraphs(ctx, read_rows):
        norm = para.text.norm
        if para.heading:
            procurement_section = "政府采购" in norm
            last_subject = None
        found_dates = dates(norm, ctx.meta.fiscal_year)
        tokens = _tokens(norm, procurement_section or "政府采购" in norm, ctx.meta.fiscal_year)
        subject = last_subject if REASON_START_RE.match(norm) else None
        staff_context = "authorized"
        for tok in tokens:
            if tok.kind != "fact":
                if subject is not None and subject["value_kind"] == "money":
                    attach(tok, subject, para.text)
                continue
            key = tok.data["key"]
            if key == "staff_authorized_total" or key.startswith("staff_authorized_"):
                staff_context = "authorized"
            elif key == "staff_actual_total":
                staff_context = "actual"
            elif key.startswith("staff_bare_"):
                key = f"staff_{staff_context}_{key[len('staff_bare_'):]}"
            values = _values(key, para.text.span(*tok.data["label"]))
            if tok.data.get("none"):
                _none(values)
            elif not _set_value(values, tok.data["raw"], _printed_unit(tok.data.get("unit"))):
                continue
            if FACTS[key][2]:
                date = date_at(found_dates, tok.start)
                if date is not None:
                    values["as_of_date"] = date.data["iso"]
                    values["as_of_text"] = para.text.span(date.start, date.end)
            values["column_label"] = para.text.span(tok.start, tok.end)
            values["phrase"] = para.text.sentence(tok.start, tok.end)
            out.append((para, values))
            subject = values
        last_subject = subject
    return [para.record(values) for para, values in out]


def _fact(m: re.Match, key: str, raw: str | None = None, unit: str | None = None, none: bool = False,
          span: tuple[int, int] | None = None) -> Token:
    start, end = span or m.span()
    return Token("fact", start, end, {"key": key, "raw": raw, "unit": unit, "none": none,
                                      "label": (m.start("label"), m.end("label"))})


def _printed_unit(unit: str | None) -> str | None:
    """台(套) as the documents print it, 台（套）."""
    return unit.replace("(", "（").replace(")", "）") if unit else unit


def _staff_key(label: str, prefix: str) -> str:
    for word, kind in _STAFF_KINDS:
        if word in label:
            return f"{prefix}_{kind}"
    return f"{prefix}_total"


def _tokens(norm: str, procurement: bool, fiscal_year: int | None) -> list[Token]:
    facts: list[Token] = []

    def add(token: Token) -> None:
        if not overlaps(token, facts):
            facts.append(token)

    carryover = "结转" in norm
    for m in AUTHORIZED_RE.finditer(norm):
        add(_fact(m, _staff_key(m.group("label"), "staff_authorized"), m.group("n"), m.group("u")))
    for m in ACTUAL_RE.finditer(norm):
        add(_fact(m, "staff_actual_total", m.group("n"), m.group("u")))
    for m in IN_POST_RE.finditer(norm):
        add(_fact(m, "staff_in_post", m.group("n"), m.group("u")))
    for m in RETIRED_RE.finditer(norm):
        label = m.group("label")
        key = "staff_retired" if "离退休" in label else "staff_retired_lixiu" if "离休" in label else "staff_retired_tuixiu"
        add(_fact(m, key, m.group("n"), m.group("u")))
    for m in BARE_KIND_RE.finditer(norm):
        kind = dict(_STAFF_KINDS)[m.group("label")]
        add(_fact(m, f"staff_bare_{kind}", m.group("n"), m.group("u")))
    for m in EQUIPMENT_RE.finditer(norm):
        key = "equipment_high_value_units"
        if m.group("pre"):
            key = "equipment_high_value_planned_purchase" + ("_carryover" if carryover else "")
        add(_fact(m, key, m.group("n"), m.group("u")))
    for m in VEHICLES_RE.finditer(norm):
        key = "vehicles_total"
        if m.group("pre"):
            key = "vehicles_planned_purchase" + ("_carryover" if carryover else "")
        add(_fact(m, key, m.group("n"), m.group("u")))
    for m in VEHICLE_KIND_RE.finditer(norm):
        pre = m.group("pre") or ""
        key = _VEHICLE_KINDS[m.group("label")]
        if pre:
            key = ("vehicles_planned_purchase" + ("_carryover" if carryover else "")
                   if re.search(r"安排|拟|计划", pre) else "vehicles_purchased")
        add(_fact(m, key, m.group("n"), m.group("u")))
    for m in FIXED_ASSETS_RE.finditer(norm):
        key = "fixed_assets_planned_purchase_value" if m.group("pre") else "fixed_assets_value"
        add(_fact(m, key, m.group("amt"), m.group("unit")))
    for m in STATE_ASSETS_NONE_RE.finditer(norm):
        add(_fact(m, "state_assets_value", none=True))
    for m in ADMIN_COSTS_NONE_RE.finditer(norm):
        add(_fact(m, "admin_costs_carryover" if m.group("co") else "admin_costs", none=True))
    for m in ADMIN_COSTS_RE.finditer(norm):
        add(_fact(m, "admin_costs", m.group("amt"), m.group("unit")))
    if procurement:  # before the total: 货物类政府采购支出预算 259.32 万元 is the goods' figure
        for m in PROCUREMENT_PART_RE.finditer(norm):
            add(_fact(m, _PARTS[m.group("label")], m.group("amt"), m.group("unit")))
    for m in PROCUREMENT_NONE_RE.finditer(norm):
        add(_fact(m, "procurement_total", none=True))
    for m in PROCUREMENT_RE.finditer(norm):
        add(_fact(m, "procurement_total", m.group("amt"), m.group("unit")))
    for m in SME_RE.finditer(norm):
        add(_fact(m, "procurement_sme_awarded", m.group("amt"), m.group("unit")))
    for m in SME_SHARE_RE.finditer(norm):
        add(_fact(m, "procurement_sme_share", m.group("pct"), "%"))
    for m in RECEPTION_RE.finditer(norm):
        prefix = {"国内": "reception_domestic", "外事": "reception_foreign", "外宾": "reception_foreign"}.get(
            m.group("kind") or "", "reception")
        add(_fact(m, f"{prefix}_batches", m.group("b"), "批次", span=(m.start(), m.end("b") + 2)))
        add(_fact(m, f"{prefix}_persons", m.group("p"), "人次", span=(m.start("p"), m.end())))
    for m in OUTBOUND_GROUPS_RE.finditer(norm):
        add(_fact(m, "outbound_groups", m.group("n"), m.group("u")))
    for m in OUTBOUND_PERSONS_RE.finditer(norm):
        add(_fact(m, "outbound_persons", m.group("n"), m.group("u")))
    attributes = attribute_tokens(norm, fiscal_year, facts)
    return sorted(facts + attributes, key=lambda t: t.start)
