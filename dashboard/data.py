"""The only place with Streamlit caches: thin wrappers over analytics.queries.

Cache keys are small hashable values: the store directory, its identity (a store rebuilt at the
same path is another store), its snapshot version, the lexicon key (stopwords + aliases, applied at
query time) and a Filters. A new ingest creates a new snapshot version and a lexicon edit a new
lexicon key, so cached results never go stale.
"""

from __future__ import annotations

import inspect
import os
import time
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


VERSION_MAX_AGE = 5.0  # seconds: re-read the snapshot table at least this often anyway
_version_memo: dict[str, tuple[tuple, float, tuple[int, str]]] = {}


def _log_stamp(path: str) -> tuple | None:
    """The snapshot log directory's identity and mtime: a new snapshot (ingest, analysis) adds a
    file there, which changes it. None when there is no such directory."""
    try:
        st_ = (Path(Store(path).path("snapshots")) / "_delta_log").stat()
    except (OSError, StoreError, ValueError):
        return None
    return (st_.st_ino, st_.st_mtime_ns)


def _read_version(path: str) -> tuple[int, str] | None:
    try:
        store = Store(path)
        return store.version(), store.identity()
    except (StoreError, FileNotFoundError, OSError, KeyError, IndexError, ValueError):
        return None


def current_version() -> int | None:
    """Latest committed store version, or None when there is no store yet."""
    vi = _version_identity()
    return None if vi is None else vi[0]


def store_identity() -> str:
    """The store's UUID (part of every cache key), "" when there is no store yet."""
    vi = _version_identity()
    return "" if vi is None else vi[1]


def _version_identity() -> tuple[int, str] | None:
    """(latest committed version, store identity), or None when there is no store yet.

    Reading the snapshot table costs 10-35 ms and every query, figure and download caption asks,
    so the answer is memoised while the snapshot log directory is unchanged (and at most
    VERSION_MAX_AGE seconds)."""
    path = store_path()
    stamp = _log_stamp(path)
    now = time.monotonic()
    hit = _version_memo.get(path)
    if stamp is not None and hit is not None and hit[0] == stamp and now - hit[1] < VERSION_MAX_AGE:
        return hit[2]
    v = _read_version(path)
    if stamp is not None and v is not None:
        _version_memo[path] = (stamp, now, v)
    else:
        _version_memo.pop(path, None)
    return v


def lexicon_stamp() -> str:
    """A cheap fingerprint of the lexicon files (names, sizes, mtimes): changes on every edit."""
    d = Path(lexicon_path())
    if not d.is_dir():
        return ""
    return "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(d.iterdir()) if p.is_file())


@st.cache_resource(max_entries=4, show_spinner=False)
def _corpus(path: str, version: int, lexicon: str, stamp: str, ident: str = "") -> queries.Corpus:
    if "lexicon_dir" in inspect.signature(queries.open_corpus).parameters:
        return queries.open_corpus(path, lexicon_dir=lexicon)
    return queries.open_corpus(path)


def corpus() -> queries.Corpus | None:
    v = current_version()
    if v is None:
        return None
    try:
        return _corpus(store_path(), v, lexicon_path(), lexicon_stamp(), store_identity())
    except (StoreError, FileNotFoundError, OSError):  # StoreCorrupt too: ui.no_store names the damage
        return None


def pending_analysis() -> int:
    """Articles in the store without a current analysis (e.g. a job stopped mid-way)."""
    v = current_version()
    return 0 if v is None else _pending_analysis(store_path(), v, store_identity())


@st.cache_data(max_entries=8, show_spinner=False)
def _pending_analysis(path: str, version: int, ident: str) -> int:
    from analytics.pipeline import count_pending

    try:
        return count_pending(Store(path))
    except Exception:  # a damaged store is reported by the corpus check; nothing to count here
        return 0


def lexicon_key() -> str:
    c = corpus()
    return str(getattr(c, "lexicon_key", "")) if c is not None else ""


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(name: str, path: str, version: int, lexicon: str, stamp: str, lex_key: str, args: tuple,
            ident: str = "") -> object:
    return getattr(queries, name)(_corpus(path, version, lexicon, stamp, ident), *args)


def has(name: str) -> bool:
    """Whether analytics.queries offers this query yet (pages build a section only when it does)."""
    return callable(getattr(queries, name, None))


def q(name: str, *args: object) -> pd.DataFrame | dict | list | tuple:
    """Run `analytics.queries.<name>(corpus, *args)`, cached per store version, lexicon and arguments."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    ident = store_identity()
    c = _corpus(store_path(), v, lexicon_path(), lexicon_stamp(), ident)
    return _cached(name, store_path(), v, lexicon_path(), lexicon_stamp(),
                   str(getattr(c, "lexicon_key", "")), args, ident)


def clear() -> None:
    """Drop every cached result (after an upload or a lexicon edit)."""
    _cached.clear()
    _corpus.clear()
    _pending_analysis.clear()
    _version_memo.clear()
    from dashboard import figures  # figures imports data

    figures.clear()


__all__ = ["Filters", "clear", "corpus", "current_version", "has", "lexicon_path", "q", "store_path"]


# ---- alerts (issue 15 item 4): not a Corpus query, so a wrapper of its own ---------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _alerts(path: str, version: int, lexicon: str, stamp: str, lex_key: str, f: Filters, ident: str,
            log_stamp: tuple | None) -> dict:
    from analytics.alerts import find_alerts
    from analytics.watch import read_log

    try:
        history = read_log(path)
    except ValueError:
        history = []  # a damaged watch log only loses first_alerted
    return find_alerts(_corpus(path, version, lexicon, stamp, ident), f, history=history)


def alerts(f: Filters) -> dict:
    """`analytics.alerts.find_alerts` under `f`, cached per store version, lexicon and watch log."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    from analytics.watch import LOG_FILE

    try:
        st_ = (Path(store_path()) / LOG_FILE).stat()
        log_stamp = (st_.st_size, st_.st_mtime_ns)
    except OSError:
        log_stamp = None
    ident = store_identity()
    c = _corpus(store_path(), v, lexicon_path(), lexicon_stamp(), ident)
    return _alerts(store_path(), v, lexicon_path(), lexicon_stamp(), str(getattr(c, "lexicon_key", "")), f,
                   ident, log_stamp)


# ---- BIG Kinds' own analysis beside ours (issue 15 item 5) --------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _bigkinds(name: str, path: str, version: int, lexicon: str, stamp: str, lex_key: str, f: Filters,
              ident: str) -> dict:
    from analytics.queries import bigkinds

    return getattr(bigkinds, name)(_corpus(path, version, lexicon, stamp, ident), f)


def bigkinds(name: str, f: Filters) -> dict:
    """`analytics.queries.bigkinds.<name>(corpus, f)` (excerpt_share, entity_comparison,
    keyword_comparison), cached per store version and lexicon."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    ident = store_identity()
    c = _corpus(store_path(), v, lexicon_path(), lexicon_stamp(), ident)
    return _bigkinds(name, store_path(), v, lexicon_path(), lexicon_stamp(), str(getattr(c, "lexicon_key", "")),
                     f, ident)
