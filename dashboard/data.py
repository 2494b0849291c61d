"""The only place with Streamlit caches: thin wrappers over analytics.queries.

Cache keys are small hashable values: the store directory, its snapshot version, the lexicon key
(stopwords + aliases, applied at query time) and a Filters. A new ingest creates a new snapshot
version and a lexicon edit a new lexicon key, so cached results never go stale.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import config, queries
from analytics.filters import Filters
from analytics.store import Store, StoreError


def store_path() -> str:
    return os.environ.get("TM_STORE", str(config.store_dir()))


def lexicon_path() -> str:
    return os.environ.get("TM_LEXICON_DIR", str(config.lexicon_dir()))


def current_version() -> int | None:
    """Latest committed store version, or None when there is no store yet."""
    try:
        return Store(store_path()).version()
    except (StoreError, FileNotFoundError, OSError, KeyError, IndexError, ValueError):
        return None


def lexicon_stamp() -> str:
    """A cheap fingerprint of the lexicon files (names, sizes, mtimes): changes on every edit."""
    d = Path(lexicon_path())
    if not d.is_dir():
        return ""
    return "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(d.iterdir()) if p.is_file())


@st.cache_resource(max_entries=4, show_spinner=False)
def _corpus(path: str, version: int, lexicon: str, stamp: str) -> queries.Corpus:
    if "lexicon_dir" in inspect.signature(queries.open_corpus).parameters:
        return queries.open_corpus(path, lexicon_dir=lexicon)
    return queries.open_corpus(path)


def corpus() -> queries.Corpus | None:
    v = current_version()
    if v is None:
        return None
    try:
        return _corpus(store_path(), v, lexicon_path(), lexicon_stamp())
    except (StoreError, FileNotFoundError, OSError):
        return None


def lexicon_key() -> str:
    c = corpus()
    return str(getattr(c, "lexicon_key", "")) if c is not None else ""


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(name: str, path: str, version: int, lexicon: str, stamp: str, lex_key: str, args: tuple) -> object:
    return getattr(queries, name)(_corpus(path, version, lexicon, stamp), *args)


def has(name: str) -> bool:
    """Whether analytics.queries offers this query yet (pages build a section only when it does)."""
    return callable(getattr(queries, name, None))


def q(name: str, *args: object) -> pd.DataFrame | dict | list | tuple:
    """Run `analytics.queries.<name>(corpus, *args)`, cached per store version, lexicon and arguments."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    c = _corpus(store_path(), v, lexicon_path(), lexicon_stamp())
    return _cached(name, store_path(), v, lexicon_path(), lexicon_stamp(),
                   str(getattr(c, "lexicon_key", "")), args)


def clear() -> None:
    """Drop every cached result (after an upload or a lexicon edit)."""
    _cached.clear()
    _corpus.clear()
    from dashboard import figures  # figures imports data

    figures.clear()


__all__ = ["Filters", "clear", "corpus", "current_version", "has", "lexicon_path", "q", "store_path"]
