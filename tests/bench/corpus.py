"""A deterministic synthetic corpus of department budget disclosures, for benchmarks.

    generate(out_dir, n_docs, seed=20261202) -> list[GeneratedDoc]

Each document is one department's budget (预算) or final account (决算) of one county-level region for one
year (2019–2023); region × department × year × stage is unique in a corpus. A document is first written as a
text disclosure in the layout of data/samples/danfeng_2020_budget.txt (narrative sections, then tab-separated
tables under 表N / title / 部门名称 / 单位 lines) and then rendered by the test fixture writers
(tests/fixtures/formats.build_text) as PDF (60 %, portrait "default" and "landscape" variants), DOCX (20 %) or
XLSX (20 %). PDFs embed a subset of a TrueType Chinese font of the machine, as real disclosures embed theirs
(`pdf_font()`: Debian's fonts-arphic-uming, which `make` installs; without one they name STSong-Light).

What a document holds:
- narrative: 部门职责, 机构设置 (with a table of the units), 人员, 工作任务 (most of the filler), 收支总体情况
  with the totals in sentences as the samples state them, function (coded, or 类/款/项 sentences in final
  accounts) and basic-spending breakdowns, 政府性基金 / 国有资本经营 (none), 三公, 机关运行经费, 政府采购,
  国有资产, 绩效, 名词解释; its length is set so that a PDF runs to 10–40 pages (uniform by seed);
- tables: 收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表 (function codes: one code column
  or 类/款/项 columns; 合计/基本支出/项目支出), 一般公共预算基本支出表 (部门经济分类 301/302/303 and their
  items; 合计/人员经费/公用经费), 三公经费表, 政府性基金 and 国有资本经营 tables (empty, with a note),
  项目支出表 (up to ~200 rows) and a 绩效目标表;
- amounts are integers of the printed unit's cents (0.01 万元, or 0.01 元 for documents in 元 with thousands
  separators), allocated so that everything adds up exactly: items → sections → classes → 合计, 基本 + 项目 =
  合计, 人员经费 + 公用经费 = 基本支出, the prose totals = the table totals.

Shapes kept within what the parser reads (each seen to go wrong otherwise): a figure-bearing paragraph fits one
line of a portrait page (a line broken before a long figure is not joined again); no header label starts with
部门 (部门经济分类科目编码 is read as a caption line in a PDF grid without a 栏次 row); the 一般公共预算 total
is never a whole number (an XLSX storing numbers prints it without decimals, and the first 收支 panel row then
reads as a header row).

Codes come from dbt_project/seeds/ref_function_codes.csv and ref_economic_codes_dept.csv (the names valid in
the document's year), regions from ref_regions.csv (current county-level regions whose name is unique).

Document i depends only on (seed, i): the first k documents of a larger corpus are the smaller corpus. Files are
byte-for-byte reproducible (reportlab invariant mode; DOCX/XLSX zip entries and core properties get fixed
dates). `out_dir/manifest.json` lists the documents; a second call with the same seed, n_docs and
GENERATOR_VERSION (and PDF font) returns it without generating anything (documents of an earlier corpus with the
same seed and version are reused when n_docs changes, and those beyond n_docs removed).
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import re
import sys
import tempfile
import zipfile
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

_TESTS = Path(__file__).resolve().parents[1]
ROOT = _TESTS.parent
SEEDS = ROOT / "dbt_project" / "seeds"
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

from fixtures._pdf import EMBEDDED_FONT_FILES, embedded_font  # noqa: E402  (tests/ on sys.path)
from fixtures.formats import build_text  # noqa: E402

GENERATOR_VERSION = 1  # bump whenever a change alters the generated files
DEFAULT_SEED = 20261202
YEARS = (2019, 2020, 2021, 2022, 2023)
MANIFEST = "manifest.json"
PAGE_RANGE = (10, 40)


@dataclass
class GeneratedDoc:
    path: Path  # the written file
    fmt: str  # pdf | docx | xlsx
    n_pages: int | None  # PDF pages (None for docx/xlsx)
    n_table_pages: int | None  # PDF pages that hold (part of) a ruled table
    region_code: str
    department: str
    fiscal_year: int
    stage: str  # budget | final
    total_wan: Decimal  # the document's expenditure total (支出总计) in 万元
    n_function_rows: int  # function-code item rows (7 digits) in its 一般公共预算支出表

    def to_json(self) -> dict:
        return {"file": self.path.name, "fmt": self.fmt, "n_pages": self.n_pages, "n_table_pages": self.n_table_pages,
                "region_code": self.region_code, "department": self.department, "fiscal_year": self.fiscal_year,
                "stage": self.stage, "total_wan": str(self.total_wan), "n_function_rows": self.n_function_rows}

    @classmethod
    def from_json(cls, d: dict, out_dir: Path) -> GeneratedDoc:
        return cls(path=Path(out_dir) / d["file"], fmt=d["fmt"], n_pages=d["n_pages"],
                   n_table_pages=d["n_table_pages"], region_code=d["region_code"], department=d["department"],
                   fiscal_year=d["fiscal_year"], stage=d["stage"], total_wan=Decimal(d["total_wan"]),
                   n_function_rows=d["n_function_rows"])


# ---------------------------------------------------------------------------
# Reference catalogs
# ---------------------------------------------------------------------------
def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _year_of(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@lru_cache(maxsize=None)
def _codes(kind: str, year: int) -> dict[str, str]:
    """code → name valid in `year` (name-variant rows left out), in catalog order."""
    name = {"function": "ref_function_codes.csv", "econ": "ref_economic_codes_dept.csv"}[kind]
    out: dict[str, str] = {}
    for r in _rows(name):
        if (r.get("note") or "").strip().startswith("name variant:"):
            continue
        vf, vt = _year_of(r.get("valid_from_year")), _year_of(r.get("valid_to_year"))
        if (vf is None or vf <= year) and (vt is None or year <= vt):
            out.setdefault(r["code"].strip(), r["name"].strip())
    return out


@lru_cache(maxsize=None)
def _regions() -> tuple[tuple[str, str], ...]:
    """(code, name) of current county-level regions whose name no other region has."""
    rows = _rows("ref_regions.csv")
    counts = Counter(r["name"] for r in rows)
    active = {r["code"] for r in _rows("ref_region_history.csv")
              if r["status"] == "active" and not (r.get("valid_to_year") or "").strip()}
    out = [(r["code"], r["name"]) for r in rows
           if r["level"] == "county" and counts[r["name"]] == 1 and len(r["name"]) >= 3 and r["name"][-1] in "县区市旗"
           and r["code"] in active and (_year_of(r.get("valid_from_year")) or 0) <= YEARS[0]]
    return tuple(sorted(out))


# ---------------------------------------------------------------------------
# Departments: name (before 2021, from 2021), the 款 (sections) their spending is in, topics for the prose
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Dept:
    key: str
    names: tuple[str, str]
    sections: tuple[str, ...]
    topics: tuple[str, ...]
    units: tuple[str, ...] = ()  # subordinate units (templates)
    admin: bool = True  # an administrative body (机关) rather than a public institution (事业单位)


def _d(key, name, sections, topics, units=(), admin=True, name2=None) -> _Dept:
    return _Dept(key, (name, name2 or name), tuple(sections.split()), tuple(topics.split()), tuple(units), admin)


DEPARTMENTS: tuple[_Dept, ...] = (
    _d("wsjk", "{r}卫生健康局", "21001 21002 21003 21004 21006 21007 21016",
       "公共卫生 医疗服务 疾病预防控制 妇幼健康 基层卫生 中医药发展 爱国卫生 健康教育",
       ("{r}卫生健康综合执法大队", "{r}妇幼保健计划生育服务中心")),
    _d("ybj", "{r}医疗保障局", "21015 21012 21013 21014",
       "医保基金监管 医疗救助 待遇保障 医药价格管理 医保经办服务 支付方式改革", ("{r}医疗保障服务中心",)),
    _d("mzj", "{r}民政局", "20802 20810 20819 20820 20821 20825",
       "社会救助 养老服务 儿童福利 社会组织管理 区划地名管理 殡葬改革 社区治理", ("{r}社会福利院", "{r}救助管理站")),
    _d("rsj", "{r}人力资源和社会保障局", "20801 20807 20826 20827 20830 20806",
       "就业创业 社会保险 劳动关系 人才服务 职业技能培训 劳动保障监察", ("{r}公共就业服务中心", "{r}劳动人事争议仲裁院")),
    _d("tyjr", "{r}退役军人事务局", "20828 20808 20809", "优抚安置 褒扬纪念 退役士兵安置 拥军优属 服务保障体系建设",
       ("{r}退役军人服务中心",)),
    _d("cl", "{r}残疾人联合会", "20811", "残疾人康复 残疾人就业 残疾人权益维护 无障碍环境建设", ("{r}残疾人康复中心",)),
    _d("hsh", "{r}红十字会", "20816", "应急救护培训 人道救助 无偿献血宣传 造血干细胞捐献"),
    _d("rd", "{r}人民代表大会常务委员会办公室", "20101", "人大监督 代表履职服务 立法调研 信访接待"),
    _d("jcy", "{r}人民检察院", "20404", "法律监督 公益诉讼 刑事检察 未成年人检察 控告申诉"),
    _d("fy", "{r}人民法院", "20405", "案件审判 案件执行 诉源治理 司法公开 多元解纷"),
    _d("sfj", "{r}司法局", "20406 20899", "法治宣传 人民调解 社区矫正 公共法律服务 法律援助"),
    _d("xwb", "中共{r}委办公室", "20131", "综合协调 督查督办 机要保密 信息报送 文稿服务"),
    _d("zgh", "{r}总工会", "20129", "职工维权 困难职工帮扶 劳模服务 职工文化建设"),
    _d("fl", "{r}妇女联合会", "20129", "妇女儿童权益保障 家庭文明建设 巾帼建功 儿童关爱服务"),
    _d("xczx", "{r}扶贫开发办公室", "21305", "产业帮扶 防返贫动态监测 驻村帮扶 乡村建设 就业帮扶", name2="{r}乡村振兴局"),
    _d("zjj", "{r}住房和城乡建设局", "22101 22103 21201", "保障性住房 老旧小区改造 建筑市场监管 物业管理 城乡建设"),
    _d("cgj", "{r}城市管理局", "21201 22103", "市容环境整治 城市管理执法 环境卫生 市政设施维护"),
    _d("jkzx", "{r}疾病预防控制中心", "21004 21007", "传染病防控 免疫规划 慢性病防治 卫生检验检测", admin=False),
    _d("rmyy", "{r}人民医院", "21002 21004", "医疗质量管理 重点专科建设 急诊急救 医院精细化管理", admin=False),
    _d("zyyy", "{r}中医医院", "21002 21006", "中医药传承创新 中医特色专科 治未病服务 中药药事管理", admin=False),
    _d("fyby", "{r}妇幼保健院", "21002 21004 21007", "孕产妇保健 儿童保健 出生缺陷防治 妇女病筛查", admin=False),
    _d("wsjd", "{r}卫生健康综合监督执法大队", "21004 21001", "卫生监督 职业卫生监管 医疗机构监管 公共场所卫生"),
    _d("sbzx", "{r}机关事业单位社会保险中心", "20801 20826 20827", "社保经办 待遇发放 基金稽核 参保登记", admin=False),
    _d("jyzx", "{r}公共就业服务中心", "20801 20807", "就业服务 创业扶持 职业培训 就业援助", admin=False),
    _d("ybzx", "{r}医疗保障服务中心", "21015 21012", "医保经办 异地就医结算 医保稽核 参保缴费服务", admin=False),
    _d("llb", "{r}老龄工作委员会办公室", "21016 20810", "老龄工作 敬老爱老 养老服务 老年健康"),
    _d("jsxh", "{r}计划生育协会", "21007", "计生家庭帮扶 优生优育 家庭健康促进"),
    _d("flyy", "{r}社会福利院", "20810 20821", "集中供养 孤残儿童养育 院务管理 护理服务", admin=False),
    _d("bzs", "{r}殡葬管理所", "20810", "殡葬服务 殡葬改革 公墓管理 惠民殡葬", admin=False),
    _d("tyzx", "{r}退役军人服务中心", "20828 20808 20809", "退役军人服务 就业创业扶持 帮扶援助 权益维护", admin=False),
)

# items every department pays (personnel-related), all basic spending
_COMMON_ITEMS = ("2080501", "2080502", "2080505", "2080506", "2101101", "2101102", "2101103", "2210201",
                 "2210202", "2210203")
_RUNNING = ("行政运行", "事业运行", "机关服务")

# 部门经济分类 items a 基本支出 table uses (military, capital and debt items left out)
_ECON_301 = ("30101", "30102", "30103", "30106", "30107", "30108", "30109", "30110", "30111", "30112", "30113",
             "30114", "30199")
_ECON_301_ALWAYS = ("30101", "30102", "30108", "30110", "30113")
_ECON_302 = ("30201", "30202", "30203", "30204", "30205", "30206", "30207", "30208", "30209", "30211", "30213",
             "30214", "30215", "30216", "30217", "30218", "30226", "30227", "30228", "30229", "30231", "30239",
             "30240", "30299")
_ECON_302_ALWAYS = ("30201", "30211", "30228", "30229", "30299")
_ECON_303 = ("30301", "30302", "30304", "30305", "30307", "30309", "30399")


# ---------------------------------------------------------------------------
# Which disclosure document i is: (region, department, year, stage), unique in the corpus
# ---------------------------------------------------------------------------
_IDENTITIES: dict[int, list[tuple[int, int, int, str]]] = {}


def _identity(seed: int, index: int) -> tuple[int, int, int, str]:
    """Document `index`'s (region index, department index, year, stage): drawn from (seed, index), redrawn
    while an earlier document of the corpus has it (so it depends on seed and index only)."""
    done = _IDENTITIES.setdefault(seed, [])
    used = set(done)
    regions = _regions()
    while len(done) <= index:
        rng = random.Random(f"{seed}/{len(done)}/who")
        while True:
            who = (rng.randrange(len(regions)), rng.randrange(len(DEPARTMENTS)), rng.choice(YEARS),
                   "budget" if rng.random() < 0.6 else "final")
            if who not in used:
                break
        done.append(who)
        used.add(who)
    return done[index]


# ---------------------------------------------------------------------------
# Amounts: integers of 0.01 of the printed unit
# ---------------------------------------------------------------------------
def _split(total: int, weights: list[float], minimum: int) -> list[int]:
    """`total` in len(weights) parts ≥ minimum, in proportion to the weights, summing exactly."""
    n = len(weights)
    if n == 0:
        return []
    minimum = min(minimum, total // n)
    rest = total - minimum * n
    w = [max(1, int(x * 1_000_000)) for x in weights]
    scale = sum(w)
    parts = [rest * x // scale for x in w]
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda k: (-(rest * w[k] % scale), k))
    for k in order[:left]:
        parts[k] += 1
    return [p + minimum for p in parts]


def _amount(m: int, sep: bool) -> str:
    """A table cell: blank for zero (no figure), else the figure with 2 decimals."""
    if m == 0:
        return ""
    whole = f"{m // 100:,}" if sep else str(m // 100)
    return f"{whole}.{m % 100:02d}"


def _pct(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / Decimal(whole):.2f}" if whole else "0.00"


_CN = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")


# ---------------------------------------------------------------------------
# The document's figures
# ---------------------------------------------------------------------------
@dataclass
class _Item:
    code: str
    name: str
    basic: int = 0
    project: int = 0  # 一般公共预算 project spending
    other: int = 0  # project spending paid from other money (事业收入 / 其他收入)

    @property
    def gp(self) -> int:
        return self.basic + self.project

    @property
    def all(self) -> int:
        return self.basic + self.project + self.other


@dataclass
class _Spec:
    index: int
    seed: int
    region_code: str
    region: str
    level: str  # 县 区 市 旗: the region's own word (全县, 县委)
    dept: _Dept
    department: str
    year: int
    stage: str
    fmt: str
    variant: str
    unit: str  # 万元 | 元
    sep: bool  # thousands separators in tables
    split_codes: bool  # 类 | 款 | 项 columns instead of one code column
    lanci: bool  # a ** / 1 2 3 column-number row under the function table's header
    items: list[_Item]
    econ: list[tuple[str, str, int, str]]  # (code, name, amount, personnel | public)
    other_source: str | None
    projects: list[tuple[str, str, str, int, int]]  # (name, function code, function name, gp, other)
    three_public: dict[str, int]
    target_pages: float
    units: list[str]

    def sum(self, amount: str) -> int:
        """Σ over the function items of one of their amounts: basic, project, other, gp or all."""
        return sum(getattr(i, amount) for i in self.items)

    def econ_sum(self, kind: str) -> int:
        """Σ of the basic spending's economic items of one kind: personnel or public."""
        return sum(a for _, _, a, k in self.econ if k == kind)

    def total_wan(self) -> Decimal:
        return Decimal(self.sum('all')) / (Decimal(100) if self.unit == "万元" else Decimal(1_000_000))


def _choose_items(rng: random.Random, dept: _Dept, year: int) -> list[_Item]:
    fn = _codes("function", year)
    pool = [c for c in fn if len(c) == 7 and c[:5] in dept.sections]
    big = rng.random() < 0.25  # some departments print long function tables
    k = len(pool) if big else min(len(pool), rng.randint(2, max(3, len(pool) // 2)))
    chosen = set(rng.sample(pool, k)) if pool else set()
    running = [c for c in pool if fn[c] in _RUNNING]
    if running and not chosen & set(running):
        chosen.add(running[0])
    common = [c for c in _COMMON_ITEMS if c in fn]
    chosen |= {c for c in common if rng.random() < (0.85 if c in ("2080505", "2080506", "2210201") else 0.35)}
    chosen.add("2080505")
    return [_Item(c, fn[c]) for c in sorted(chosen)]


def _spec(seed: int, index: int) -> _Spec:
    region_i, dept_i, year, stage = _identity(seed, index)
    region_code, region = _regions()[region_i]
    dept = DEPARTMENTS[dept_i]
    department = dept.names[0 if year <= 2020 else 1].format(r=region)
    rng = random.Random(f"{seed}/{index}")
    r = rng.random()
    fmt, variant = ("pdf", "default") if r < 0.3 else ("pdf", "landscape") if r < 0.6 else \
        ("docx", "default") if r < 0.8 else ("xlsx", rng.choice(("default", "numbers", "text")))
    unit = "元" if rng.random() < 0.15 else "万元"
    sep = unit == "元" or rng.random() < 0.4
    items = _choose_items(rng, dept, year)

    # the general public budget total, in 0.01 of the unit; 元 documents are as large, with cents
    wan = math.exp(rng.uniform(math.log(80), math.log(30000)))
    cents = int(wan * 100) if unit == "万元" else int(wan * 1_000_000) + rng.randrange(100)
    minimum = 10 if unit == "万元" else 100_000  # 0.10 万元
    cents = max(cents, minimum * 4 * (len(items) + 40))
    # never a whole number: a spreadsheet that stores figures as numbers prints it without decimals, and the
    # first row of a 收支 panel (一、一般公共预算拨款收入 | G | …) with one figure and no decimal point is read as
    # a header row (seen in the XLSX "numbers" variant)
    cents += 0 if cents % 100 else 1 + rng.randrange(99)
    basic_items = [i for i in items if i.code in _COMMON_ITEMS or i.name in _RUNNING]
    project_items = [i for i in items if i not in basic_items]
    mixed = [i for i in basic_items if i.name in _RUNNING and rng.random() < 0.3]
    project_items += mixed
    share = rng.uniform(0.2, 0.9) if project_items else 1.0
    basic_total = int(cents * share)
    weights = [rng.uniform(3, 8) if i.name in _RUNNING else rng.uniform(0.2, 1.5) for i in basic_items]
    for item, amount in zip(basic_items, _split(basic_total, weights, minimum)):
        item.basic = amount
    if project_items:
        weights = [rng.lognormvariate(0, 1.2) for _ in project_items]
        for item, amount in zip(project_items, _split(cents - basic_total, weights, minimum)):
            item.project = amount
    other_source = None
    funded = [i for i in project_items if i.project]
    if funded and rng.random() < 0.35:
        other_source = rng.choice(("事业收入", "其他收入"))
        some = rng.sample(funded, rng.randint(1, len(funded)))
        some.sort(key=lambda i: i.code)
        other = int(cents * rng.uniform(0.05, 0.4))
        for item, amount in zip(some, _split(other, [rng.uniform(0.5, 2) for _ in some], minimum)):
            item.other = amount

    # basic spending by economic item: 301/303 are personnel, 302 public
    econ_names = _codes("econ", year)
    basic = sum(i.basic for i in items)
    personnel = int(basic * rng.uniform(0.72, 0.93))
    e301 = [c for c in _ECON_301 if c in econ_names and (c in _ECON_301_ALWAYS or rng.random() < 0.55)]
    e303 = [c for c in _ECON_303 if c in econ_names and rng.random() < 0.3]
    e302 = [c for c in _ECON_302 if c in econ_names and (c in _ECON_302_ALWAYS or rng.random() < 0.45)]
    big_weights = {"30101": 5, "30102": 4, "30107": 4, "30108": 1.6, "30113": 1.2, "30110": 0.9, "30109": 0.8}
    pw = [big_weights.get(c, 0.3) * rng.uniform(0.7, 1.3) for c in e301] + [rng.uniform(0.05, 0.4) for _ in e303]
    econ = [(c, econ_names[c], a, "personnel") for c, a in zip(e301 + e303, _split(personnel, pw, minimum))]
    qw = [rng.uniform(0.3, 3) for _ in e302]
    econ += [(c, econ_names[c], a, "public") for c, a in zip(e302, _split(basic - personnel, qw, minimum))]
    econ.sort(key=lambda e: e[0])
    by_code = {c: a for c, _, a, _ in econ}
    three_public = {"abroad": 0, "vehicle_purchase": 0, "vehicle_operation": by_code.get("30231", 0),
                    "reception": by_code.get("30217", 0)}

    # projects: each item's project money split over 1–4 projects (many more in some documents)
    fn = _codes("function", year)
    many = rng.random() < 0.3
    names = _project_names(rng, dept, region[-1])
    projects = []
    for item in items:
        if not (item.project or item.other):
            continue
        n = rng.randint(3, 14) if many else rng.randint(1, 4)
        n = max(1, min(n, 190 // max(1, len(project_items)), item.project // (2 * minimum)))
        gps = _split(item.project, [rng.uniform(0.3, 3) for _ in range(n)], minimum) if item.project else [0] * n
        others = [0] * n
        if item.other:
            k = rng.randint(1, n)
            others[:k] = _split(item.other, [rng.uniform(0.5, 2) for _ in range(k)], minimum)
        for g, o in zip(gps, others):
            projects.append((next(names), item.code, fn[item.code], g, o))
    units = [u.format(r=region) for u in dept.units if rng.random() < 0.7]
    return _Spec(index=index, seed=seed, region_code=region_code, region=region, level=region[-1], dept=dept,
                 department=department, year=year, stage=stage, fmt=fmt, variant=variant, unit=unit, sep=sep,
                 split_codes=rng.random() < 0.3, lanci=rng.random() < 0.25, items=items, econ=econ,
                 other_source=other_source, projects=projects, three_public=three_public,
                 target_pages=rng.uniform(*PAGE_RANGE), units=units)


_PROJECT_KINDS = ("专项经费", "补助资金", "工作经费", "能力建设项目", "设备购置项目", "信息化建设项目", "宣传培训经费",
                  "运行保障经费", "奖补资金", "服务购买项目", "监督检查经费", "标准化建设项目", "绩效评价经费",
                  "示范创建项目", "应急保障经费")
_PROJECT_PARTS = ("", "（一期）", "（二期）", "（续建）", "（第一批）", "（第二批）", "（上级转移支付）", "（{l}级配套）")


def _project_names(rng: random.Random, dept: _Dept, level: str):
    """Distinct project names for one document: the plain ones in a random order, then the same with a suffix."""
    plain = [t + k for t in dept.topics + ("机关党建", "综合管理", "档案管理") for k in _PROJECT_KINDS]
    rng.shuffle(plain)
    yield from plain
    for part in _PROJECT_PARTS[1:]:
        yield from (name + part.format(l=level) for name in plain)
    n = 0
    while True:  # never reached: a document has at most ~190 projects
        n += 1
        yield f"综合管理专项经费（{n}）"


# ---------------------------------------------------------------------------
# Filler prose: policy sentences without figures, dates or place names
# ---------------------------------------------------------------------------
_OPENERS = ("", "", "", "同时，", "此外，", "下一步，", "围绕年度目标，", "按照上级部署，",
            "坚持问题导向，", "结合部门职能，", "在总结经验的基础上，", "对照年度任务清单，", "聚焦群众关切，")
_SUBJECTS = ("本部门", "各股室", "机关各科室", "全体干部职工", "各业务条线", "各下属单位", "领导班子", "业务骨干")
_VERBS = ("持续深化", "认真落实", "扎实推进", "不断完善", "全面加强", "统筹做好", "积极探索", "切实强化", "稳步推进",
          "严格执行", "着力提升", "大力推进", "进一步规范", "健全完善")
_OBJECTS = ("制度建设", "工作机制", "内部控制管理", "预算绩效管理", "干部队伍建设", "党风廉政建设", "政务公开工作",
            "信息化建设", "安全生产责任制", "基层服务能力建设", "财务管理制度", "项目资金监管", "风险防控体系",
            "便民服务水平", "规范化建设", "工作作风建设", "督查考核机制", "宣传引导工作", "协调联动机制",
            "数据共享应用", "标准化管理", "服务质量评价")
_TAILS = ("，确保各项工作落到实处", "，不断提升服务效能", "，推动各项工作取得新成效", "，切实提高资金使用效益",
          "，形成上下联动、齐抓共管的工作格局", "，为经济社会高质量发展提供有力保障", "，让群众有更多获得感",
          "，做到有章可循、有据可查", "，推动工作由被动应对向主动作为转变", "", "")


def _filler_sentence(rng: random.Random, topics: tuple[str, ...], level: str) -> str:
    topic = rng.choice(topics)
    obj = rng.choice(_OBJECTS)
    kind = rng.random()
    if kind < 0.45:
        return f"{rng.choice(_OPENERS)}{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}{topic}{obj}{rng.choice(_TAILS)}。"
    if kind < 0.7:
        return (f"{rng.choice(_OPENERS)}围绕{topic}重点任务，{rng.choice(_VERBS)}{obj}，"
                f"{rng.choice(_VERBS)}{rng.choice(topics)}{rng.choice(_OBJECTS)}{rng.choice(_TAILS)}。")
    if kind < 0.85:
        return (f"坚持以人民为中心的发展思想，把{topic}作为服务全{level}工作大局的重要抓手，"
                f"{rng.choice(_VERBS)}{obj}。")
    return (f"针对{topic}工作中存在的短板和弱项，{rng.choice(_SUBJECTS)}逐项制定整改措施，明确责任分工和完成时限，"
            f"{rng.choice(_VERBS)}{obj}{rng.choice(_TAILS)}。")


def _filler(rng: random.Random, topics: tuple[str, ...], level: str, chars: int) -> list[str]:
    """Paragraphs of about `chars` characters in all."""
    out: list[str] = []
    n = 0
    while n < chars:
        para = "".join(_filler_sentence(rng, topics, level) for _ in range(rng.randint(3, 7)))
        out.append(para)
        n += len(para)
    return out


# ---------------------------------------------------------------------------
# The text disclosure
# ---------------------------------------------------------------------------
# narrative characters a PDF page holds, rows of a table a page holds (by variant); used to size the filler
_CHARS_PER_PAGE = {"default": 2050, "landscape": 3500}
_ROWS_PER_PAGE = {"default": 46, "landscape": 37}


class _Text:
    def __init__(self, spec: _Spec):
        self.s = spec
        self.lines: list[str] = []
        self.table_rows = 0
        self.n_tables = 0

    def p(self, text: str) -> None:
        self.lines.extend((text, ""))

    def chars(self) -> int:
        return sum(len(x) for x in self.lines if "\t" not in x)

    def table(self, number: str | None, title: str, rows: list[list[str]], note: str | None = None,
              unit: bool = True) -> None:
        s = self.s
        if number:
            self.p(number)
        self.p(title)
        self.p(f"部门名称：{s.department}")
        if unit:
            self.p(f"单位：{s.unit}")
        self.lines.extend("\t".join(r) for r in rows)
        self.lines.append("")
        self.table_rows += len(rows)
        self.n_tables += 1
        if note:
            self.p(note)

    def money(self, m: int) -> str:
        """A figure in prose, with its unit."""
        return f"{m // 100}.{m % 100:02d}{self.s.unit}"


def _tree(spec: _Spec, value) -> list[tuple[str, str, tuple[int, ...]]]:
    """(code, name, values) rows: each class, its sections, their items, with `value(item)` summed upwards."""
    fn = _codes("function", spec.year)
    rows: list[tuple[str, str, tuple[int, ...]]] = []
    items = [i for i in spec.items if any(value(i))]
    for cls in sorted({i.code[:3] for i in items}):
        in_cls = [i for i in items if i.code.startswith(cls)]
        rows.append((cls, fn[cls], tuple(map(sum, zip(*(value(i) for i in in_cls))))))
        for sec in sorted({i.code[:5] for i in in_cls}):
            in_sec = [i for i in in_cls if i.code.startswith(sec)]
            rows.append((sec, fn[sec], tuple(map(sum, zip(*(value(i) for i in in_sec))))))
            rows.extend((i.code, i.name, value(i)) for i in in_sec)
    return rows


def _code_rows(spec: _Spec, rows, total: tuple[int, ...], split: bool) -> list[list[str]]:
    """Body rows of a coded table: 合计 first, then the code rows (one code column, or 类 | 款 | 项)."""
    fmt = [_amount(v, spec.sep) for v in total]
    out = [["", "", "", "合计"] + fmt if split else ["", "合计"] + fmt]
    for code, name, values in rows:
        cells = [_amount(v, spec.sep) for v in values]
        if split:
            parts = [code[:3], code[3:5], code[5:7]]
            out.append(parts + [name] + cells)
        else:
            out.append([code, name] + cells)
    return out


def _fn_header(split: bool, labels: list[str], lanci: bool) -> list[list[str]]:
    if split:
        rows = [["科目编码", "", "", "科目名称"] + labels, ["类", "款", "项", ""] + [""] * len(labels)]
        if lanci:
            rows.append(["**", "**", "**", "**"] + [str(k + 1) for k in range(len(labels))])
        return rows
    rows = [["功能科目编码", "功能科目名称"] + labels]
    if lanci:
        rows.append(["**", "**"] + [str(k + 1) for k in range(len(labels))])
    return rows


def _classes(spec: _Spec) -> list[tuple[str, str]]:
    fn = _codes("function", spec.year)
    return [(c, n) for c, n in fn.items() if len(c) == 3]


def _panel_rows(left: list[tuple[str, int | None]], right: list[tuple[str, list[int]]], width_right: int,
                totals: list[tuple[str, int | None, str, list[int]]], sep: bool) -> list[list[str]]:
    """Rows of a 收支 panel table: income (name, amount) on the left, spending (name, amounts) on the right,
    then the total rows."""
    rows = []
    for k in range(max(len(left), len(right))):
        ln, la = left[k] if k < len(left) else ("", None)
        rn, ra = right[k] if k < len(right) else ("", [])
        cells = [_amount(v, sep) for v in ra] + [""] * (width_right - len(ra))
        rows.append([ln, _amount(la, sep) if la else ""] + [rn] + cells)
    for ln, la, rn, ra in totals:
        cells = [_amount(v, sep) for v in ra] + [""] * (width_right - len(ra))
        rows.append([ln, _amount(la, sep) if la else ""] + [rn] + cells)
    return rows


def _tables(w: _Text) -> None:
    s = w.s
    Y = s.year
    final = s.stage == "final"
    col = "决算数" if final else "预算数"
    pre = f"{Y}年度" if final else f"{Y}年"
    n = iter(range(1, 100))

    def number() -> str:
        return f"表{next(n)}"

    class_names = _classes(s)
    all_by_class = {c: v for c, _, v in _tree(s, lambda i: (i.all,)) if len(c) == 3}
    gp_by_class = {c: v for c, _, v in _tree(s, lambda i: (i.gp,)) if len(c) == 3}
    T, G, O = s.sum('all'), s.sum('gp'), s.sum('other')

    # 收支总表 (all money)
    left = [("一、一般公共预算拨款收入", G), ("二、政府性基金预算拨款收入", None), ("三、国有资本经营预算拨款收入", None),
            ("四、财政专户管理资金收入", None), ("五、事业收入", O if s.other_source == "事业收入" else None),
            ("六、事业单位经营收入", None), ("七、上级补助收入", None), ("八、附属单位上缴收入", None),
            ("九、其他收入", O if s.other_source == "其他收入" else None)]
    right = [(f"{_cn(k + 1)}、{name}", list(all_by_class.get(c, ()))) for k, (c, name) in enumerate(class_names)]
    totals = [("本年收入合计", T, "本年支出合计", [T]), ("上年结转结余", None, "结转下年", []),
              ("收入总计", T, "支出总计", [T])]
    head = [["收  入", "", "支  出", ""], ["项  目", col, "项  目", col]]
    title = f"{pre}收入支出决算总表" if final else f"{Y}年部门收支总表"
    w.table(number(), title, head + _panel_rows(left, right, 1, totals, s.sep))

    # 收入总表: by function code × source of money
    src = s.other_source
    labels = ["合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入"]

    def income(i: _Item) -> tuple[int, ...]:
        return (i.all, i.gp, 0, i.other if src == "事业收入" else 0, i.other if src == "其他收入" else 0)

    rows = _tree(s, income)
    w.table(number(), f"{pre}收入决算表" if final else f"{Y}年部门收入总表",
            _fn_header(False, labels, False) + _code_rows(s, rows, (T, G, 0, O if src == "事业收入" else 0,
                                                                  O if src == "其他收入" else 0), False))

    # 支出总表 (all money): 合计 | 基本支出 | 项目支出
    rows = _tree(s, lambda i: (i.all, i.basic, i.project + i.other))
    w.table(number(), f"{pre}支出决算表" if final else f"{Y}年部门支出总表",
            _fn_header(False, ["合计", "基本支出", "项目支出"], False)
            + _code_rows(s, rows, (T, s.sum('basic'), T - s.sum('basic')), False))

    # 财政拨款收支总表
    left = [("一、一般公共预算拨款", G), ("二、政府性基金预算拨款", None), ("三、国有资本经营预算拨款", None)]
    right = [(f"{_cn(k + 1)}、{name}", list(gp_by_class[c] * 2) if c in gp_by_class else [])
             for k, (c, name) in enumerate(class_names)]
    totals = [("本年收入合计", G, "本年支出合计", [G, G]), ("上年结转", None, "结转下年", []),
              ("收入总计", G, "支出总计", [G, G])]
    head = [["收  入", "", "支  出", "", "", "", ""],
            ["项  目", col, "项  目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]]
    title = f"{pre}财政拨款收入支出决算总表" if final else f"{Y}年财政拨款收支总表"
    w.table(number(), title, head + _panel_rows(left, right, 4, totals, s.sep))

    # 一般公共预算支出表 by function code
    rows = _tree(s, lambda i: (i.gp, i.basic, i.project))
    title = f"{pre}一般公共预算财政拨款支出决算表" if final else f"{Y}年一般公共预算支出表"
    w.table(number(), title, _fn_header(s.split_codes, ["合计", "基本支出", "项目支出"], s.lanci)
            + _code_rows(s, rows, (G, s.sum('basic'), s.sum('project')), s.split_codes))

    # 一般公共预算基本支出表 by 部门经济分类
    econ_names = _codes("econ", Y)
    body = [["", "合计"] + [_amount(v, s.sep) for v in (s.sum('basic'), s.econ_sum('personnel'), s.econ_sum('public'))]]
    for cls in sorted({c[:3] for c, _, _, _ in s.econ}):
        part = [e for e in s.econ if e[0].startswith(cls)]
        kind = part[0][3]
        amount = sum(e[2] for e in part)
        pair = [amount, 0] if kind == "personnel" else [0, amount]
        body.append([cls, econ_names[cls], _amount(amount, s.sep)] + [_amount(v, s.sep) for v in pair])
        for code, name, a, _ in part:
            pair = [a, 0] if kind == "personnel" else [0, a]
            body.append([code, name, _amount(a, s.sep)] + [_amount(v, s.sep) for v in pair])
    title = f"{pre}一般公共预算财政拨款基本支出决算表" if final else f"{Y}年一般公共预算基本支出表"
    w.table(number(), title, [["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"]] + body)

    # 三公
    tp = s.three_public
    vehicles = tp["vehicle_purchase"] + tp["vehicle_operation"]
    total3 = tp["abroad"] + vehicles + tp["reception"]

    def z(m: int) -> str:
        return _amount(m, s.sep) or "0.00"

    rows = [["项  目", f"{Y}年“三公”经费{col}"], ["合计", z(total3)], ["1、因公出国（境）费", z(tp["abroad"])],
            ["2、公务接待费", z(tp["reception"])], ["3、公务用车购置及运行费", z(vehicles)],
            ["其中：（1）公务用车购置费", z(tp["vehicle_purchase"])], ["（2）公务用车运行维护费", z(tp["vehicle_operation"])]]
    title = f"{pre}一般公共预算财政拨款“三公”经费支出决算表" if final else f"{Y}年一般公共预算“三公”经费支出表"
    w.table(number(), title, rows, note="注：“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。")

    # 政府性基金 / 国有资本经营: empty tables
    head = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["", "合计", "", "", ""]]
    title = f"{pre}政府性基金预算财政拨款收入支出决算表" if final else f"{Y}年政府性基金预算支出表"
    w.table(number(), title, head, note=f"注：本部门{pre}没有政府性基金预算拨款安排的支出，本表为空表。")
    title = f"{pre}国有资本经营预算财政拨款支出决算表" if final else f"{Y}年国有资本经营预算支出表"
    w.table(number(), title, head, note=f"注：本部门{pre}没有国有资本经营预算拨款安排的支出，本表为空表。")

    # 项目支出表
    if s.projects:
        other = any(p[4] for p in s.projects)
        labels = ["合计", "一般公共预算"] + (["其他资金"] if other else [])
        rows = [["项目名称", "功能科目编码", "功能科目名称"] + labels]
        tot = [sum(p[3] + p[4] for p in s.projects), sum(p[3] for p in s.projects), sum(p[4] for p in s.projects)]
        rows.append(["合计", "", ""] + [_amount(v, s.sep) for v in tot[:len(labels)]])
        for name, code, fname, g, o in s.projects:
            rows.append([name, code, fname] + [_amount(v, s.sep) for v in (g + o, g, o)[:len(labels)]])
        w.table(number(), f"{pre}项目支出情况表" if final else f"{Y}年项目支出预算表", rows)


_INDICATORS = [
    ("产出指标", "数量指标", ("重点工作任务完成数", "开展业务培训次数", "督导检查覆盖单位数", "政策宣传活动场次")),
    ("产出指标", "质量指标", ("工作任务完成合格率", "信息报送准确率", "资金拨付准确率")),
    ("产出指标", "时效指标", ("资金拨付及时率", "重点工作按期完成率")),
    ("产出指标", "成本指标", ("预算执行率", "政府采购执行率")),
    ("效益指标", "社会效益指标", ("服务对象覆盖率", "群众办事便利度", "政策知晓率")),
    ("效益指标", "可持续影响指标", ("长效管理机制健全性", "工作机制持续运行")),
    ("满意度指标", "服务对象满意度指标", ("服务对象满意度", "群众满意度")),
]
_VALUES = ("≥95%", "≥90%", "100%", "≥98%", "按期完成", "持续提升", "有效保障", "≥85%", "逐步完善", "长期")


def _performance_table(w: _Text, rng: random.Random) -> None:
    s = w.s
    rows = [["一级指标", "二级指标", "三级指标", "指标值"]]
    for first, second, names in _INDICATORS:
        for name in names:
            for topic in rng.sample(s.dept.topics, rng.randint(1, min(3, len(s.dept.topics)))):
                rows.append([first, second, f"{topic}{name}", rng.choice(_VALUES)])
    title = f"{s.year}年度部门整体支出绩效自评表" if s.stage == "final" else f"{s.year}年部门整体支出绩效目标表"
    w.table(None, title, rows, unit=False)


def _narrative_head(w: _Text, rng: random.Random, filler: list[str]) -> None:
    s = w.s
    Y, lv = s.year, s.level
    final = s.stage == "final"
    kind = "决算" if final else "预算"
    w.p(f"{s.department}{Y}年度部门决算" if final else f"{s.department}{Y}年部门预算")
    w.p(f"部门名称：{s.department}")
    month = rng.randint(8, 10) if final else rng.randint(1, 3)
    w.p(f"编制日期：{Y + 1 if final else Y}年{month}月{rng.randint(1, 28)}日")
    w.p("目  录")
    parts = ["第一部分 部门概况", "一、部门主要职责", "二、机构设置", "三、人员情况", "四、年度主要工作任务",
             f"第二部分 {Y}年度部门{kind}情况说明" if final else f"第二部分 {Y}年部门预算情况说明",
             "第三部分 名词解释", f"第四部分 {Y}年度部门决算公开表" if final else f"第四部分 {Y}年部门预算公开表"]
    for line in parts:
        w.p(line)
    w.p("第一部分 部门概况")
    w.p("一、部门主要职责")
    topics = s.dept.topics
    duties = [f"贯彻执行国家和省、市关于{t}工作的法律法规和方针政策，拟订全{lv}{t}工作的规划和措施并组织实施。"
              for t in topics[:3]]
    duties += [f"负责全{lv}{t}相关工作的组织协调、指导和监督管理。" for t in topics[3:]]
    duties += [f"完成{lv}委、{lv}政府交办的其他任务。"]
    for k, d in enumerate(duties, start=1):
        w.p(f"{k}、{d}")
    w.p("二、机构设置")
    w.p("（一）内设机构")
    offices = ["办公室", "财务股", "综合股"] + [f"{t[:4]}股" for t in topics[:rng.randint(1, 3)]]
    w.p(f"本部门内设{_cn(len(offices))}个股室，分别是：{'、'.join(offices)}。")
    w.p("（二）预算单位构成")
    w.p(f"纳入本部门{Y}年度部门{kind}编制范围的预算单位共{len(s.units) + 1}个，具体情况如下：")
    rows = [["序号", "单位名称", "单位性质", "经费形式"], ["1", s.department, "行政" if s.dept.admin else "事业", "全额"]]
    rows += [[str(k), u, "事业", "全额"] for k, u in enumerate(s.units, start=2)]
    w.lines.extend("\t".join(r) for r in rows)
    w.lines.append("")
    w.table_rows += len(rows)
    w.n_tables += 1
    w.p("三、人员情况")
    staff = rng.randint(8, 160)
    real = max(1, staff - rng.randint(0, 6))
    when = f"截至{Y}年12月31日" if final else f"截至{Y - 1}年底"
    w.p(f"{when}，本部门人员编制{staff}人，实有人员{real}人；单位管理的离退休人员{rng.randint(0, 40)}人。")
    w.p("四、年度主要工作任务" if not final else "四、年度主要工作完成情况")
    k = 0
    for t in topics:
        w.p(f"（{_cn(k + 1)}）{rng.choice(_VERBS)}{t}工作")
        k += 1
        for j in range(rng.randint(2, 4)):
            if filler:
                w.p(f"{j + 1}、{filler.pop()}")
    n = k
    while filler:
        n += 1
        w.p(f"（{_cn(n % 100 or 1)}）{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}")
        for j in range(rng.randint(2, 5)):
            if filler:
                w.p(f"{j + 1}、{filler.pop()}")


# A paragraph that states a figure is kept to one line of the narrowest page (portrait A4, 9 pt): the PDF
# reader joins a wrapped line to the next only when it runs to the right margin, and a line broken before a
# long figure or code stops short of it (seen: 重大公共卫生服务（2100409） | 556.88万元 read as two paragraphs).
_LINE_EM = 50.0


def _em(text: str) -> float:
    """Width in em of the fixture font (ASCII half width)."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def _fits(text: str) -> bool:
    return _em(text) <= _LINE_EM


def _fn_sentences_budget(w: _Text) -> None:
    s = w.s
    w.p(f"本部门{s.year}年当年一般公共预算支出{w.money(s.sum('gp'))}，其中：")
    rows = _tree(s, lambda i: (i.gp,))
    k = 0
    for code, name, (amount,) in rows:
        if len(code) == 3:
            k += 1
            line = f"（{k}）{name}（{code}）{w.money(amount)}，其中："
        elif len(code) == 5:
            line = f"{name}（{code}）{w.money(amount)}，包括："
        else:
            line = f"{name}（{code}）{w.money(amount)}；"
        if _fits(line):
            w.p(line)


_LKX_BAD = re.compile(r"[（()）、，,：:；;]")


def _fn_sentences_final(w: _Text, rng: random.Random) -> None:
    s = w.s
    fn = _codes("function", s.year)
    G = s.sum('gp')
    rows = _tree(s, lambda i: (i.gp,))
    w.p("（二）一般公共预算财政拨款支出决算结构情况")
    w.p(f"{s.year}年度一般公共预算财政拨款支出{w.money(G)}，主要用于以下方面：")
    for code, name, (amount,) in rows:
        if len(code) == 3:
            w.p(f"{name}{w.money(amount)}，占{_pct(amount, G)}%；")
    w.p("（三）一般公共预算财政拨款支出决算具体情况")
    w.p(f"{s.year}年度一般公共预算财政拨款支出决算数为{w.money(G)}，具体情况如下：")
    k = 0
    for cls in sorted({i.code[:3] for i in s.items if i.gp}):
        k += 1
        w.p(f"（{_cn(k)}）{fn[cls]}（类）")
        for item in s.items:
            if not item.gp or not item.code.startswith(cls):
                continue
            sname = fn[item.code[:5]]
            line = f"{sname}（款）{item.name}（项）：支出决算为{w.money(item.gp)}。"
            if any(_LKX_BAD.search(x) for x in (sname, item.name)) or not _fits(line):
                continue  # a name the 类/款/项 sentence cannot carry, or a line that would wrap
            w.p(line)
            rate = rng.choice(("100", "100", f"{rng.uniform(85, 99.9):.2f}", f"{rng.uniform(100.1, 130):.2f}"))
            w.p(f"完成预算{rate}%，" + ("决算数与预算数持平。" if rate == "100" else
                                    "决算数小于预算数的主要原因是严格控制一般性支出。" if float(rate) < 100 else
                                    "决算数大于预算数的主要原因是年中追加了相关工作经费。"))


def _basic_sentence(w: _Text, label: str) -> None:
    s = w.s
    w.p(f"{label}{w.money(s.sum('basic'))}，其中：")
    w.p(f"人员经费{w.money(s.econ_sum('personnel'))}，")
    w.p(f"日常公用经费{w.money(s.econ_sum('public'))}。")
    w.p("人员经费主要包括：基本工资、津贴补贴、奖金、机关事业单位基本养老保险缴费、职工基本医疗保险缴费、"
        "住房公积金等；日常公用经费主要包括：办公费、印刷费、差旅费、维修（护）费、工会经费、福利费、"
        "其他商品和服务支出等。")


def _three_public(w: _Text, rng: random.Random) -> None:
    s = w.s
    tp = s.three_public
    final = s.stage == "final"
    vehicles = tp["vehicle_purchase"] + tp["vehicle_operation"]
    total3 = tp["abroad"] + vehicles + tp["reception"]
    word = "支出决算" if final else "预算"
    pre = f"{s.year}年度" if final else f"{s.year}年"
    w.p(f"{pre}本部门一般公共预算“三公”经费{word}{w.money(total3)}，其中：")
    w.p(f"因公出国（境）费{w.money(tp['abroad'])}；")
    w.p(f"公务用车购置及运行费{w.money(vehicles)}，其中：")
    w.p(f"公务用车购置费{w.money(tp['vehicle_purchase'])}，公务用车运行维护费{w.money(tp['vehicle_operation'])}；")
    w.p(f"公务接待费{w.money(tp['reception'])}。")
    w.p("公务用车运行维护费主要用于开展工作所需公务用车的燃料费、维修费、过路过桥费、保险费等支出；"
        "公务接待费主要用于按规定开支的各类公务接待支出。")


_GLOSSARY = (
    "财政拨款收入：指本级财政当年拨付的资金。",
    "事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "其他收入：指部门取得的除财政拨款、事业收入、事业单位经营收入等以外的收入。",
    "基本支出：指为保障机构正常运转、完成日常工作任务所必需的开支，其内容包括人员经费和日常公用经费两部分。",
    "项目支出：指在基本支出之外，为完成特定的行政工作任务或事业发展目标所发生的支出。",
    "“三公”经费：指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金，"
    "包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、办公用房水电费、"
    "办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。",
)


def _narrative_money(w: _Text, rng: random.Random, filler_tail: list[str]) -> None:
    s = w.s
    Y = s.year
    T, G, B = s.sum('all'), s.sum('gp'), s.sum('basic')
    P = T - B
    src = s.other_source
    final = s.stage == "final"
    up = rng.choice(("增加", "减少"))
    reason = rng.choice(("人员变动及工资调整", "年度工作任务调整", "项目支出安排变化", "严格压减一般性支出"))
    if not final:
        w.p(f"第二部分 {Y}年部门预算情况说明")
        w.p("一、收支预算总体情况")
        w.p("按照综合预算的原则，本部门所有收入和支出均纳入部门预算管理。")
        w.p(f"{Y}年本部门预算收入为{w.money(T)}，其中：")
        w.p(f"一般公共预算拨款收入{w.money(G)}。" if not src else f"一般公共预算拨款收入{w.money(G)}，")
        if src:
            w.p(f"{src}{w.money(s.sum('other'))}。")
        w.p(f"{Y}年本部门预算支出为{w.money(T)}，其中：")
        w.p(f"一般公共预算拨款支出{w.money(G)}。")
        w.p("按支出类型分：")
        w.p(f"基本支出{w.money(B)}，占{_pct(B, T)}%；")
        w.p(f"项目支出{w.money(P)}，占{_pct(P, T)}%。")
        w.p(f"与上年相比，预算支出有所{up}，主要原因是{reason}。")
        w.p("二、财政拨款收支情况")
        w.p(f"{Y}年本部门财政拨款收入预算为{w.money(G)}。")
        w.p(f"{Y}年本部门财政拨款支出预算为{w.money(G)}，其中：")
        w.p(f"一般公共预算拨款支出{w.money(G)}。")
        w.p("三、一般公共预算拨款支出明细情况")
        w.p("1.一般公共预算当年拨款规模变化情况。")
        w.p(f"{Y}年本部门当年一般公共预算拨款支出{w.money(G)}。")
        w.p(f"与上年相比{up}{rng.uniform(0.5, 30):.2f}%，主要原因是{reason}。")
        w.p("2.支出按功能科目分类的明细情况。")
        _fn_sentences_budget(w)
        w.p("3.一般公共预算基本支出情况。")
        _basic_sentence(w, f"{Y}年本部门一般公共预算基本支出")
        w.p("四、政府性基金预算支出情况")
        w.p(f"本部门{Y}年没有政府性基金预算拨款安排的支出，政府性基金预算支出表为空表。")
        w.p("五、国有资本经营预算拨款支出情况")
        w.p(f"本部门{Y}年没有国有资本经营预算拨款安排的支出，国有资本经营预算支出表为空表。")
        w.p("六、“三公”经费预算情况说明")
        _three_public(w, rng)
    else:
        w.p(f"第二部分 {Y}年度部门决算情况说明")
        w.p("一、收入支出决算总体情况说明")
        w.p(f"{Y}年度收入总计{w.money(T)}。")
        w.p(f"{Y}年度支出总计{w.money(T)}。")
        w.p(f"与上年相比，收入、支出总计均有所{up}，主要原因是{reason}。")
        w.p("二、收入决算情况说明")
        w.p(f"{Y}年度本年收入合计{w.money(T)}，其中：")
        w.p(f"一般公共预算财政拨款收入{w.money(G)}，占{_pct(G, T)}%" + (f"；" if src else "。"))
        if src:
            w.p(f"{src}{w.money(s.sum('other'))}，占{_pct(s.sum('other'), T)}%。")
        w.p("三、支出决算情况说明")
        w.p(f"{Y}年度本年支出合计{w.money(T)}，其中：")
        w.p(f"基本支出{w.money(B)}，占{_pct(B, T)}%；")
        w.p(f"项目支出{w.money(P)}，占{_pct(P, T)}%。")
        w.p("四、财政拨款收入支出决算总体情况说明")
        w.p(f"{Y}年度财政拨款支出{w.money(G)}。")
        w.p(f"与上年相比有所{up}，主要原因是{reason}。")
        w.p("五、一般公共预算财政拨款支出决算情况说明")
        w.p("（一）一般公共预算财政拨款支出决算总体情况")
        w.p(f"{Y}年度一般公共预算财政拨款支出{w.money(G)}，占本年支出合计的{_pct(G, T)}%。")
        _fn_sentences_final(w, rng)
        w.p("六、一般公共预算财政拨款基本支出决算情况说明")
        _basic_sentence(w, f"{Y}年度一般公共预算财政拨款基本支出")
        w.p("七、“三公”经费财政拨款支出决算情况说明")
        _three_public(w, rng)
        w.p("八、政府性基金预算支出决算情况说明")
        w.p(f"本部门{Y}年度没有政府性基金预算财政拨款收入和支出，政府性基金预算财政拨款收入支出决算表为空表。")
        w.p("九、国有资本经营预算支出决算情况说明")
        w.p(f"本部门{Y}年度没有国有资本经营预算财政拨款支出，国有资本经营预算财政拨款支出决算表为空表。")
    w.p("十、其他重要事项的情况说明" if final else "七、其他重要事项的情况说明")
    w.p("（一）机关运行经费支出情况")
    word = "支出" if final else "预算"
    w.p(f"{Y}年本部门机关运行经费{word}{w.money(s.econ_sum('public'))}，主要保障机构正常运转及正常履职需要。")
    w.p("（二）政府采购支出情况")
    goods = rng.randrange(0, max(1, s.econ_sum('public')))
    w.p(f"{Y}年本部门政府采购{word}{w.money(goods)}，主要用于购置办公设备和购买服务。")
    w.p("（三）国有资产占有使用情况")
    cars = rng.randint(0, 6)
    when = f"截至{Y}年12月31日" if final else f"截至{Y - 1}年底"
    w.p(f"{when}，本部门共有车辆{cars}辆，其中一般公务用车{min(cars, 2)}辆；单位价值20万元以上的设备{rng.randint(0, 5)}台（套）。")
    w.p("（四）预算绩效管理情况")
    w.p(f"本部门对{rng.randint(2, 30)}个项目编制了绩效目标，实现项目支出绩效目标管理全覆盖。")
    for para in filler_tail:
        w.p(para)
    w.p("第三部分 名词解释")
    for k, g in enumerate(_GLOSSARY, start=1):
        w.p(f"{_cn(k)}、{g}")


def _estimate_table_pages(key: str, rows: int, tables: int) -> float:
    return rows / _ROWS_PER_PAGE[key] + 0.35 * tables


def _text(spec: _Spec, filler_scale: float = 1.0) -> str:
    """The disclosure as text (tab-separated tables)."""
    rng = random.Random(f"{spec.seed}/{spec.index}/text")
    frng = random.Random(f"{spec.seed}/{spec.index}/filler")
    # first the fixed parts, to size the filler
    probe = _Text(spec)
    _narrative_head(probe, random.Random(0), [])
    _narrative_money(probe, random.Random(0), [])
    _tables(probe)
    _performance_table(probe, random.Random(f"{spec.seed}/{spec.index}/perf"))
    key = spec.variant if spec.fmt == "pdf" else "default"
    table_pages = _estimate_table_pages(key, probe.table_rows, probe.n_tables)
    chars = max(0.0, (spec.target_pages - table_pages) * _CHARS_PER_PAGE[key] - probe.chars()) * filler_scale
    filler = _filler(frng, spec.dept.topics, spec.level, int(chars))
    tail = [filler.pop() for _ in range(min(len(filler) // 8, 6))]
    w = _Text(spec)
    _narrative_head(w, rng, filler)
    _narrative_money(w, rng, tail)
    w.p(f"第四部分 {spec.year}年度部门决算公开表" if spec.stage == "final" else f"第四部分 {spec.year}年部门预算公开表")
    _tables(w)
    w.p("第五部分 绩效目标情况" if spec.stage != "final" else "第五部分 绩效自评情况")
    _performance_table(w, random.Random(f"{spec.seed}/{spec.index}/perf"))
    return "\n".join(w.lines) + "\n"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_CORE_TIME_RE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _fix_zip(path: Path) -> None:
    """Fixed dates in a DOCX/XLSX: zip entry times and the core properties' created/modified."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_TIME_RE.sub(rb"\g<1>2020-01-01T00:00:00Z\g<3>", data)
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


@contextmanager
def _table_pages():
    """The pages reportlab draws (part of) a table on, while the fixture writer runs: known from the drawing
    itself (Table.draw is called once per fragment, on the page it stands on), which costs nothing, where
    reading the file back (PDFium: ~2 ms a page) would cost a fifth of the generation."""
    from reportlab.platypus.tables import Table

    pages: set[int] = set()
    draw = Table.draw

    def recording(self, *args, **kwargs):
        pages.add(self.canv.getPageNumber())
        return draw(self, *args, **kwargs)

    Table.draw = recording
    try:
        yield pages
    finally:
        Table.draw = draw


_WIDTHS: dict[tuple, float] = {}


@contextmanager
def _cached_widths():
    """reportlab's stringWidth remembered while the fixture writer runs: it measures every character of every
    line it breaks, one call each (a quarter of the generation time), and a width never changes."""
    from reportlab.pdfbase import pdfmetrics

    measure = pdfmetrics.stringWidth

    def cached(text, font_name, font_size, encoding="utf8"):
        key = (text, font_name, font_size, encoding)
        width = _WIDTHS.get(key)
        if width is None:
            if len(_WIDTHS) > 500_000:
                _WIDTHS.clear()
            width = _WIDTHS[key] = measure(text, font_name, font_size, encoding)
        return width

    pdfmetrics.stringWidth = cached
    try:
        yield
    finally:
        pdfmetrics.stringWidth = measure


_PAGE_COUNT_RE = re.compile(rb"/Count (\d+) /Kids")


def _page_count(path: Path) -> int:
    """Pages of a reportlab PDF (its page tree's /Count)."""
    return int(_PAGE_COUNT_RE.search(path.read_bytes()).group(1))


def ruled_pages(path: Path) -> tuple[int, int]:
    """(pages, pages with ruling lines besides the running header's rule) of a PDF, read with PDFium: a check
    of what the generator records while drawing."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(path))
    try:
        ruled = 0
        for k in range(len(pdf)):
            page = pdf[k]
            paths = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1))
            ruled += paths > 1
            page.close()
        return len(pdf), ruled
    finally:
        pdf.close()


def pdf_font() -> str | None:
    """The TrueType Chinese font the PDFs embed (a subset of it, as real disclosures embed theirs): the first of
    the fixture writer's candidates on this machine (Debian's fonts-arphic-uming, which `make` installs); None
    when there is none, and the PDFs name the standard CID font STSong-Light instead (not embedded). The
    manifest records which."""
    return next((f for f in EMBEDDED_FONT_FILES if Path(f).exists()), None)


def _font_label() -> str:
    font = pdf_font()
    return Path(font).name if font else "STSong-Light"


def _stem(spec: _Spec) -> str:
    return f"bench_{spec.index:05d}_{spec.region_code}_{spec.year}_{spec.stage}_{spec.dept.key}"


def _render(spec: _Spec, out_dir: Path) -> tuple[Path, int | None, int | None, str]:
    """(file, PDF pages, PDF pages with a table, the text it was rendered from)."""
    if spec.fmt != "pdf":
        text = _text(spec)
        path = build_text(text, _stem(spec), spec.fmt, out_dir, spec.variant)
        _fix_zip(path)
        return path, None, None, text
    scale = 1.0
    font = pdf_font()
    for _ in range(2):
        text = _text(spec, scale)
        with _table_pages() as pages, _cached_widths(), (embedded_font(font) if font else nullcontext()):
            path = build_text(text, _stem(spec), spec.fmt, out_dir, spec.variant)
        n_pages, n_table_pages = _page_count(path), len(pages)
        lo, hi = PAGE_RANGE
        if lo <= n_pages <= hi:
            break
        # the estimate missed: resize the filler once
        target = min(max(spec.target_pages, lo + 1), hi - 1)
        scale = max(0.0, (target - n_table_pages) / max(1.0, n_pages - n_table_pages))
    return path, n_pages, n_table_pages, text


def _write(spec: _Spec, out_dir: Path) -> GeneratedDoc:
    path, n_pages, n_table_pages, _ = _render(spec, out_dir)
    return GeneratedDoc(path=path, fmt=spec.fmt, n_pages=n_pages, n_table_pages=n_table_pages,
                        region_code=spec.region_code, department=spec.department, fiscal_year=spec.year,
                        stage=spec.stage, total_wan=spec.total_wan(),
                        n_function_rows=sum(1 for i in spec.items if i.gp))


def document_text(seed: int, index: int) -> str:
    """Document `index` of the corpus of `seed` as the text disclosure its file was rendered from (a PDF is
    rendered again, into a temporary folder, to learn how its filler was sized)."""
    spec = _spec(seed, index)
    if spec.fmt != "pdf":
        return _text(spec)
    with tempfile.TemporaryDirectory() as tmp:
        return _render(spec, Path(tmp))[3]


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generate(out_dir: Path, n_docs: int, seed: int = DEFAULT_SEED) -> list[GeneratedDoc]:
    """Write documents 0 … n_docs-1 of the corpus of `seed` into out_dir (with manifest.json); return them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST
    font = _font_label()
    old = _read_manifest(manifest)
    reusable: dict[int, GeneratedDoc] = {}
    stale: set[str] = set()
    if old:
        stale = {d.get("file", "") for d in old.get("docs", [])}
        if (old.get("generator_version"), old.get("seed"), old.get("pdf_font")) == (GENERATOR_VERSION, seed, font):
            docs = [GeneratedDoc.from_json(d, out_dir) for d in old["docs"]]
            if old.get("n_docs") == n_docs and len(docs) == n_docs and all(d.path.exists() for d in docs):
                return docs
            reusable = {k: d for k, d in enumerate(docs) if d.path.exists()}
        manifest.unlink()  # a run that stops half-way leaves no manifest behind
    docs = [reusable.get(k) or _write(_spec(seed, k), out_dir) for k in range(n_docs)]
    keep = {d.path.name for d in docs}
    for name in sorted(stale - keep):
        if name and (out_dir / name).is_file():
            (out_dir / name).unlink()
    body = {"generator_version": GENERATOR_VERSION, "seed": seed, "n_docs": n_docs, "pdf_font": font,
            "docs": [d.to_json() for d in docs]}
    tmp = out_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, manifest)
    return docs
