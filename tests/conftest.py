from __future__ import annotations

import sys
from pathlib import Path

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
