"""Shared fixtures: paths, a tiny article factory, an ingested sample store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
BIGKINDS_XLSX = SHARED / "datasets" / "bigkinds" / "NewsResult_20210201-20210228.xlsx"
SAMPLE_DIR = ROOT / "data" / "articles"


def need_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared datasets are needed for this test")


@pytest.fixture
def bigkinds_xlsx() -> Path:
    need_shared(BIGKINDS_XLSX)
    return BIGKINDS_XLSX


@pytest.fixture
def store(tmp_path):
    from analytics.store import Store

    return Store(tmp_path / "store")


@pytest.fixture(scope="module")
def isolated_query_cache(tmp_path_factory):
    """Snapshot databases built by open_corpus go to a test folder, not the system temp dir."""
    old = os.environ.get("TM_QUERY_CACHE")
    os.environ["TM_QUERY_CACHE"] = str(tmp_path_factory.mktemp("qcache"))
    yield
    if old is None:
        os.environ.pop("TM_QUERY_CACHE", None)
    else:
        os.environ["TM_QUERY_CACHE"] = old
