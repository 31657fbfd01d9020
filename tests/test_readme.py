"""The README's example queries run on a warehouse built from the samples, and return rows."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERIES = [q.strip() for block in re.findall(r"```sql\n(.*?)```", README, flags=re.S)
           for q in block.split(";") if q.strip()]


def test_the_readme_has_example_queries():
    assert len(QUERIES) >= 6


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i + 1}" for i in range(len(QUERIES))])
def test_every_readme_query_runs_and_returns_rows(con, query):
    assert con.execute(query).fetchall(), query
