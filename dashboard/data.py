"""The only place with Streamlit caches: thin wrappers over analytics.queries.

Cache keys are small hashable values: the store directory, its snapshot version and a Filters.
A new ingest creates a new snapshot version, so cached results never go stale.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import queries
from analytics.config import store_dir
from analytics.filters import Filters
from analytics.store import Store, StoreError


def store_path() -> str:
    return os.environ.get("TM_STORE", str(store_dir()))


def current_version() -> int | None:
    """Latest committed store version, or None when there is no store yet."""
    try:
        return Store(store_path()).version()
    except StoreError:
        return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _corpus(path: str, version: int) -> queries.Corpus:
    return queries.open_corpus(path)


def corpus() -> queries.Corpus | None:
    v = current_version()
    return None if v is None else _corpus(store_path(), v)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached(name: str, path: str, version: int, args: tuple) -> object:
    return getattr(queries, name)(_corpus(path, version), *args)


def q(name: str, *args: object) -> pd.DataFrame | dict | list:
    """Run `analytics.queries.<name>(corpus, *args)`, cached per store version and arguments."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    return _cached(name, store_path(), v, args)


__all__ = ["Filters", "corpus", "current_version", "q", "store_path"]
