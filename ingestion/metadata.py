"""Who published a document, for which year and stage."""
from __future__ import annotations

import re
from collections import Counter

from .catalog import Catalogs, Region
from .model import DocumentMeta, Issue
from .numbers import normalize

_DEPT_SUFFIX = "局|委员会|办公厅|办公室|委|院|厅|部|中心|馆|所|站|处|室|社|团|署|会|校|队"
_YEAR_PATTERNS = [
    re.compile(r"预算年度[：:]\s*(20\d\d)"),
    re.compile(r"(20\d\d)\s*年度?\s*(?:部门|单位)?\s*(?:综合)?\s*(?:预算|决算)"),
    re.compile(r"[（(]\s*(20\d\d)\s*年度?\s*[）)]"),
]


def _region_regex(regions: list[Region]) -> re.Pattern[str]:
    """Any region name, the longest first where several match at one place (a name that matches where a longer
    one does is a prefix of it). Written as a trie (江(?:苏(?:省)?)?…): an alternation of thousands of names is
    tried name by name at every character of a document."""
    trie: dict = {}
    for name in {r.name for r in regions}:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer name first, then the shorter

    return re.compile(pattern(trie))


_region_cache: dict[int, re.Pattern[str]] = {}


def department_key(name: str) -> str:
    """The department however it names itself: 中国共产党江苏省委员会办公厅, 中共江苏省委办公厅 and
    江苏省委办公厅 are one department (its narrative and its tables are joined on this key)."""
    key = re.sub(r"^(中国共产党|中共)", "", normalize(name))
    return re.sub(r"委员会(?=办公厅|办公室)", "委", key)


def detect(text: str, catalogs: Catalogs, file_name: str = "") -> tuple[DocumentMeta, list[Issue]]:
    meta = DocumentMeta()
    issues: list[Issue] = []
    head = text[:20000]
    flat = normalize(head)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]

    # title: the first line that names a budget or a final account
    for ln in lines[:40]:
        t = re.sub(r"\[bookmark:[^\]]*\]|^#+", "", ln).strip()
        if re.search(r"预算|决算|绩效目标", t) and len(normalize(t)) <= 60:
            meta.title = t
            break

    # region and department: a region name followed by a department suffix
    key = id(catalogs)
    if key not in _region_cache:
        _region_cache[key] = _region_regex(catalogs.regions)
    region_re = _region_cache[key]
    dept_re = re.compile(rf"(?:中国共产党|中共)?(?:{region_re.pattern})[\u4e00-\u9fff]{{1,16}}?(?:{_DEPT_SUFFIX})(?![\u4e00-\u9fff]{{0,2}}(?:{_DEPT_SUFFIX}))")
    # the department as its own 部门： line names it, else as the document names itself most often
    # (a finance bureau or a government it reports to is named too, but less often)
    declared = [m.group(0) for m in re.finditer(rf"(?<=部门[：:])(?:名称[：:])?{dept_re.pattern}", flat)]
    declared += [m.group(0) for m in re.finditer(rf"(?<=部门名称[：:]){dept_re.pattern}", flat)]
    found = [m.group(0) for m in dept_re.finditer(flat)]
    found = [f for f in found if not re.search(r"(人民政府|财政局|财政厅|政府办公室|政府办公厅)$", f)] or found
    by_region: dict[str, list[Region]] = {}
    for r in catalogs.regions:
        by_region.setdefault(r.name, []).append(r)
    if declared or found:
        dept, _ = Counter(declared or found).most_common(1)[0]
        meta.department_name = dept
        meta.department_key = department_key(dept)
        region_name = region_re.search(dept).group(0)
        candidates = by_region[region_name]
        region = candidates[0]
        if len(candidates) > 1:
            parents = {r.code: r for r in catalogs.regions}
            named = [c for c in candidates if c.parent_code and parents.get(c.parent_code)
                     and parents[c.parent_code].name in flat]
            if len(named) == 1:
                region = named[0]
            else:
                issues.append(Issue("warn", "region_ambiguous",
                                    f"{region_name} names {len(candidates)} regions; took {region.code}."))
        meta.region_code, meta.region_name, meta.admin_level = region.code, region.name, region.level
    else:
        issues.append(Issue("warn", "region_unknown", "No region and department name found in the document."))

    # fiscal year
    years: Counter[int] = Counter()
    for weight, pattern in zip((5, 3, 2), _YEAR_PATTERNS):
        for m in pattern.finditer(flat):
            years[int(m.group(1))] += weight
    if not years:
        for m in re.finditer(r"(20\d\d)年", flat):
            years[int(m.group(1))] += 1
    if not years and (m := re.search(r"(20\d\d)", file_name)):
        years[int(m.group(1))] += 1
    if years:
        meta.fiscal_year = years.most_common(1)[0][0]
    else:
        issues.append(Issue("warn", "year_unknown", "No fiscal year found in the document."))

    # stage: a final account (决算) says so in its headings
    if re.search(r"(部门|年度|单位)决算|决算(情况)?说明|决算表", flat):
        meta.stage = "final"
    else:
        meta.stage = "budget"
    return meta, issues
