"""Shared fixtures: paths, a tiny article factory, an ingested sample store."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """The sample corpus ingested and analysed once per session (TM_TEST_STORE: reuse a built one)."""
    if os.environ.get("TM_TEST_STORE"):
        return Path(os.environ["TM_TEST_STORE"])
    from analytics.ingest import ingest
    from analytics.pipeline import analyze
    from analytics.store import Store

    store = Store(tmp_path_factory.mktemp("app") / "store")
    ingest([SAMPLE_DIR], store)
    analyze(store, workers=1)
    return store.root


@pytest.fixture
def app_env(sample_store, tmp_path, monkeypatch) -> Path:
    """The dashboard's settings pointed at the sample store, a private copy of the lexicon and uploads."""
    lex = tmp_path / "lexicon"
    if (ROOT / "data" / "lexicon").is_dir():
        shutil.copytree(ROOT / "data" / "lexicon", lex)
    monkeypatch.setenv("TM_STORE", str(sample_store))
    monkeypatch.setenv("TM_LEXICON_DIR", str(lex))
    monkeypatch.setenv("TM_UPLOAD_DIR", str(tmp_path / "uploads"))
    return sample_store
