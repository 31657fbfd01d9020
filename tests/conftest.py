from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
sys.path.insert(0, str(Path(__file__).parent))

SAMPLE_STEMS = [
    "danfeng_2020_budget",
    "pingxiang_2023_budget",
    "yanbian_2020_final",
    "luoyang_2020_budget",
    "hengdong_2021_budget",
]


@pytest.fixture(scope="session")
def parsed_samples():
    from ingestion import parse_document

    return {stem: parse_document(SAMPLES / f"{stem}.txt", ROOT) for stem in SAMPLE_STEMS}


# The five samples built into a temporary warehouse through the Dagster asset graph, once per test session:
# every test that queries the marts shares it.
@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("warehouse")
    inbox = tmp / "inbox"
    inbox.mkdir()
    env = dict(os.environ, BUDGET_WAREHOUSE_DB=str(tmp / "warehouse.duckdb"),
               BUDGET_WAREHOUSE_INBOX=str(inbox), DAGSTER_HOME=str(tmp / "dagster_home"))
    run = subprocess.run([sys.executable, "-m", "orchestration.run", "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"the build failed:\n{run.stdout}\n{run.stderr}"
    assert "Documents: 5" in run.stdout, run.stdout
    return tmp / "warehouse.duckdb"


@pytest.fixture(scope="session")
def con(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as c:
        yield c


def document_id_of(con, stem: str) -> str:
    rows = con.execute("select document_id from marts.dim_document where source_path like ?",
                       [f"%{stem}.txt"]).fetchall()
    assert len(rows) == 1, (stem, rows)
    return rows[0][0]
