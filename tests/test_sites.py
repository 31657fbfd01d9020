"""The researcher's two sites: the dbt docs (lineage) site and the static HTML report, each opened in headless
Chromium as a person would. Screenshots are kept in tests/artifacts/ (gitignored):
docs_lineage_fct_function_spending.png, docs_model_fct_function_spending.png, report.png."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import deque
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT
from fixtures.browser import ARTIFACTS, dump_dom, screenshot, serving, visible_text

PROJECT = "budget_warehouse"
SOURCE = f"source.{PROJECT}.staging.line_items"
FACT = f"model.{PROJECT}.fct_function_spending"

# Read by hand from data/samples/danfeng_2020_budget.txt (table 4 财政拨款收支总表, 单位：百元):
#   line 284  10、卫生健康支出 11,990 百元 = 119.90 万元 (also table 5 line 321, and the narrative line 153: 119.9 万元)
#   line 275  1、人员经费和公用经费支出 11,903 百元 = 119.03 万元 (basic)
#   line 279  2、项目支出 2,800 百元 = 28.00 万元 (project)
#   line 274  一、财政拨款 14,703 百元 = 147.03 万元 (total)
DANFENG_HEALTH_YUAN, DANFENG_HEALTH_WAN = "1199000.00", "119.90"
DANFENG_BASIC_YUAN, DANFENG_PROJECT_YUAN, DANFENG_TOTAL_WAN = "1190300.00", "280000.00", "147.03"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------ descriptions

def test_every_mart_and_every_column_of_it_is_described(con):
    """Every table of schema marts has a model description, and every column the warehouse has is described
    in the model's .yml (read from dbt's manifest): a new mart or column without one fails here."""
    from orchestration.dbt_tools import ensure_manifest

    manifest = json.loads(ensure_manifest(quiet=True).read_text(encoding="utf-8"))
    models = {n["name"]: n for n in manifest["nodes"].values()
              if n["resource_type"] == "model" and n["schema"] == "marts"}
    columns: dict[str, list[str]] = {}
    for table, column in con.execute("select table_name, column_name from information_schema.columns "
                                     "where table_schema = 'marts' order by table_name, ordinal_position").fetchall():
        columns.setdefault(table, []).append(column)
    assert {"fct_function_spending", "fct_revenue", "mart_budget_execution", "dq_results"} <= set(columns)
    missing = []
    for table, cols in columns.items():
        node = models.get(table)
        if node is None:
            missing.append(f"{table}: not a dbt model of schema marts")
            continue
        if not node["description"].strip():
            missing.append(f"{table}: no description")
        missing += [f"{table}.{c}: no description" for c in cols
                    if not node["columns"].get(c, {}).get("description", "").strip()]
        missing += [f"{table}.{c}: described in the .yml but not in the table" for c in node["columns"]
                    if c not in cols]
    assert not missing, "\n".join(missing)


def test_the_overview_names_every_mart():
    overview = (ROOT / "dbt_project" / "models" / "docs" / "overview.md").read_text(encoding="utf-8")
    marts = sorted(p.stem for p in (ROOT / "dbt_project" / "models" / "marts").glob("*.sql"))
    assert marts and not [m for m in marts if f"`{m}`" not in overview], "marts the overview does not name"


# ------------------------------------------------------------------------------------------ the docs site

@pytest.fixture(scope="module")
def docs_site(warehouse, tmp_path_factory) -> Path:
    """`make docs` into a temporary folder, while this process holds the warehouse open read-only: dbt must open
    it read-only too (a read-write open would fail on DuckDB's lock, and would hold up a build's swap)."""
    site = tmp_path_factory.mktemp("docs_site")
    before = _sha256(warehouse)
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as reader:
        run = subprocess.run([sys.executable, "-m", "orchestration.dbt_tools", "docs", "--out", str(site)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert reader.execute("select count(*) from marts.dim_document").fetchone()[0] == 5
    assert run.returncode == 0, f"dbt docs generate failed:\n{run.stdout}\n{run.stderr}"
    assert _sha256(warehouse) == before, "generating the docs changed the warehouse file"
    for name in ("index.html", "manifest.json", "catalog.json"):
        assert (site / name).is_file(), name
    return site


@pytest.fixture(scope="module")
def docs_url(docs_site):
    from orchestration.dbt_tools import docs_server

    with serving(docs_server(docs_site, port=0)) as url:
        yield url


def _path(manifest: dict, start: str, end: str) -> list[str]:
    """The shortest chain of nodes from `start` to `end` in dbt's graph (child_map)."""
    previous, queue = {start: None}, deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            chain = [node]
            while previous[chain[-1]] is not None:
                chain.append(previous[chain[-1]])
            return chain[::-1]
        for child in manifest["child_map"].get(node, []):
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return []


def _section(text: str, start: str, end: str) -> str:
    """The page's last `start` … `end` (the first ones are the page's tab bar)."""
    i = text.rfind(start)
    assert i >= 0, f"no {start!r} on the page"
    j = text.find(end, i + len(start))
    return text[i: j if j > 0 else len(text)]


def test_the_catalog_comes_from_the_warehouse(docs_site):
    catalog = json.loads((docs_site / "catalog.json").read_text(encoding="utf-8"))
    node = catalog["nodes"][FACT]
    assert node["metadata"]["schema"] == "marts"
    assert node["columns"]["amount_yuan"]["type"].upper().startswith("DECIMAL(20,2)")
    assert SOURCE in catalog["sources"]


def test_the_docs_site_shows_the_lineage_from_the_staging_source_to_fct_function_spending(docs_site, docs_url):
    manifest = json.loads((docs_site / "manifest.json").read_text(encoding="utf-8"))
    chain = _path(manifest, SOURCE, FACT)
    assert chain[0] == SOURCE and chain[-1] == FACT and len(chain) >= 4, chain
    names = [manifest["sources"][u]["name"] if u in manifest["sources"] else manifest["nodes"][u]["name"]
             for u in chain]

    # The source's page: its columns with the catalog's types, and the staging model that reads it.
    text = visible_text(dump_dom(f"{docs_url}#!/source/{SOURCE}"))
    assert "line_items source table" in text and "document_id VARCHAR" in text, text[:2000]
    # Each model on the way: its description, its columns, and the model before it under Depends On.
    for before, unique_id, name in zip(names, chain[1:], names[1:]):
        node = manifest["nodes"][unique_id]
        text = visible_text(dump_dom(f"{docs_url}#!/model/{unique_id}"))
        assert f"{name} table" in text or f"{name} view" in text, (name, text[:1500])
        description = re.sub(r"\s+", " ", re.sub(r"[`*]", "", node["description"])).strip()
        assert description[:40] in text, (name, description[:40])
        depends_on = _section(text, "Depends On", "Code")
        assert before in depends_on, (name, before, depends_on)
        for column in list(node["columns"])[:5]:
            assert column in text, (name, column)

    # The lineage graph itself (a canvas): the source (green) and the models (blue) between it and the fact.
    from PIL import Image

    selector = "source:staging.line_items%2B,%2Bfct_function_spending"  # source:staging.line_items+,+fct_...
    shot = screenshot(f"{docs_url}#!/model/{FACT}?g_v=1&g_i={selector}",
                      ARTIFACTS / "docs_lineage_fct_function_spending.png", size=(1600, 1000), budget_ms=15000)
    pixels = list(Image.open(shot).convert("RGB").get_flattened_data())
    source_green = sum(1 for r, g, b in pixels if g > b + 60 and g > r + 40)
    model_blue = sum(1 for p in pixels if p == (0, 148, 179))
    assert source_green > 300, f"no source node in the lineage graph ({source_green} green pixels): {shot}"
    assert model_blue > 500 * (len(chain) - 1), f"too few model nodes drawn ({model_blue} px): {shot}"
    screenshot(f"{docs_url}#!/model/{FACT}", ARTIFACTS / "docs_model_fct_function_spending.png", size=(1400, 1400))


def test_the_overview_page_renders(docs_url):
    text = visible_text(dump_dom(f"{docs_url}#!/overview"))
    for phrase in ("budget-warehouse", "fct_function_spending", "mart_budget_execution", "万元"):
        assert phrase in text, phrase


# ------------------------------------------------------------------------------------------ the report

@pytest.fixture(scope="module")
def report(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "index.html"
    before = _sha256(warehouse)
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True):  # a reader open meanwhile does not stop it
        run = subprocess.run([sys.executable, "-m", "orchestration.report", "--out", str(out)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"make report failed:\n{run.stdout}\n{run.stderr}"
    assert _sha256(warehouse) == before, "the report changed the warehouse file"
    return out


def test_the_report_is_one_self_contained_file(report):
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    urls = set(re.findall(r"""(?:src|href)\s*=\s*["']([^"'#][^"']*)""", page))
    assert not urls, f"the report refers to other files: {sorted(urls)[:5]}"
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", page)
    assert "@import" not in page and "url(" not in page
    assert re.search(r'font-family:[^;]*"Noto Sans CJK SC"[^;]*"AR PL UMing CN"', page)


def test_the_report_in_a_browser_shows_danfeng_2020_as_the_document_states_it(report):
    import lxml.html

    url = report.as_uri()
    dom = dump_dom(url, budget_ms=2000)
    text = visible_text(dom)
    for phrase in ("丹凤县", "陕西省 商洛市 丹凤县 (611022) · 2020 · 预算 budget", "盐边县", "数据质量",
                   "卫生健康支出", "R01", "budget against final"):
        assert phrase in text, phrase
    tree = lxml.html.fromstring(dom)
    panel = "p-611022-2020-budget"
    bars = tree.xpath(f'//*[@id="{panel}-function"]//*[@class="bar"][@data-code="210"]')
    assert len(bars) == 1, f"no bar 210 in the function chart of {panel}"
    bar_text = re.sub(r"\s+", " ", bars[0].text_content())
    assert bars[0].get("data-yuan") == DANFENG_HEALTH_YUAN
    assert "210 卫生健康支出" in bar_text and DANFENG_HEALTH_WAN in bar_text, bar_text
    # A class the document does not state gets no bar: danfeng states 208, 210 and 221 only.
    codes = [g.get("data-code") for g in tree.xpath(f'//*[@id="{panel}-function"]//*[@class="bar"]')]
    assert codes == ["208", "210", "221"], codes
    stack = tree.xpath(f'//*[@id="{panel}-basic-project"]//*[@class="stack"]')
    assert len(stack) == 1
    parts = {r.get("class"): r.get("data-yuan") for r in stack[0].xpath(".//*[local-name()='rect']")}
    assert parts == {"basic": DANFENG_BASIC_YUAN, "project": DANFENG_PROJECT_YUAN}, parts
    assert f"total {DANFENG_TOTAL_WAN}" in stack[0].text_content()
    screenshot(url, ARTIFACTS / "report.png", size=(1300, 5000), budget_ms=2000)


def test_the_report_counts_every_reconciliation_check(report, con):
    import lxml.html

    tree = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    want = dict(con.execute("select status, count(*) from marts.dq_results group by status").fetchall())
    row = tree.xpath('//*[@id="quality"]//tr[th[1][normalize-space()="all rules"]]')
    assert len(row) == 1
    got = [int(c.text_content()) for c in row[0].xpath("./th")[1:]]
    assert got == [want.get("pass", 0), want.get("warn", 0), want.get("fail", 0)], (got, want)
    assert sum(got) == con.execute("select count(*) from marts.dq_results").fetchone()[0]


def test_make_report_without_a_warehouse_says_so(tmp_path):
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp_path / "none.duckdb"))
    run = subprocess.run([sys.executable, "-m", "orchestration.report", "--out", str(tmp_path / "r.html")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "No warehouse" in run.stderr
    assert not (tmp_path / "r.html").exists()
