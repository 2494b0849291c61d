"""The only place with Streamlit caches: thin wrappers over analytics.queries.

Cache keys are small hashable values: the store directory, its identity (a store rebuilt at the
same path is another store), its snapshot version, the lexicon key (stopwords + aliases, applied at
query time) and a Filters. A new ingest creates a new snapshot version and a lexicon edit a new
lexicon key, so cached results never go stale.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import config, queries
from analytics.filters import Filters, QueryTooLarge
from analytics.store import Store, StoreCorrupt, StoreError
from dashboard import escape


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
        c = queries.open_corpus(path, lexicon_dir=lexicon)
    else:
        c = queries.open_corpus(path)
    # the postings' maps and compiled loops are loaded off the page's thread (~0.5 s otherwise
    # paid by the first keyword query of the session)
    threading.Thread(target=_warm_up, args=(c,), name="tm-warm-up", daemon=True).start()
    return c


def _warm_up(c: queries.Corpus) -> None:
    try:
        queries.warm_up(c)
    except Exception:  # noqa: BLE001 - best effort: the query that needs them loads them again and reports
        logging.getLogger(__name__).warning("warm-up of the postings failed", exc_info=True)


def _snapshot_key() -> tuple[str, int, str, str, str, str]:
    """(store path, version, lexicon dir, lexicon stamp, lexicon key, store identity): what every
    cached query result is keyed on; opens the corpus (cached) for its lexicon key. StoreError
    without a store."""
    v = current_version()
    if v is None:
        raise StoreError("no store")
    ident = store_identity()
    path, lexicon, stamp = store_path(), lexicon_path(), lexicon_stamp()  # read once: key and corpus agree
    c = _corpus(path, v, lexicon, stamp, ident)
    return path, v, lexicon, stamp, str(getattr(c, "lexicon_key", "")), ident


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


def clear() -> None:
    """Drop every cached result (after an upload or a lexicon edit)."""
    _cached.clear()
    _corpus.clear()
    _pending_analysis.clear()
    _version_memo.clear()
    _figure.clear()


__all__ = ["Filters", "call", "clear", "corpus", "current_version", "figure", "lexicon_path", "store_path"]


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
    from analytics.watch import LOG_FILE

    path, v, lex, stamp, lex_key, ident = _snapshot_key()
    try:
        st_ = (Path(path) / LOG_FILE).stat()
        log_stamp = (st_.st_size, st_.st_mtime_ns)
    except OSError:
        log_stamp = None
    return _alerts(path, v, lex, stamp, lex_key, f, ident, log_stamp)


# ---- BIG Kinds' own analysis beside ours (issue 15 item 5) --------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _bigkinds(name: str, path: str, version: int, lexicon: str, stamp: str, lex_key: str, f: Filters,
              ident: str) -> dict:
    from analytics.queries import bigkinds

    return getattr(bigkinds, name)(_corpus(path, version, lexicon, stamp, ident), f)


def bigkinds(query: Callable[[queries.Corpus, Filters], dict], f: Filters) -> dict:
    """`query(corpus, f)` for a function of analytics.queries.bigkinds (excerpt_share,
    entity_comparison, keyword_comparison), cached per store version and lexicon; raises on failure."""
    from analytics.queries import bigkinds as bq

    name = query.__name__
    if getattr(bq, name, None) is not query:
        raise TypeError(f"{name} is not a query of analytics.queries.bigkinds")
    path, v, lex, stamp, lex_key, ident = _snapshot_key()
    return _bigkinds(name, path, v, lex, stamp, lex_key, f, ident)


# ---- one typed function per query (issue 16 "One typed data layer") ----------------------------
# A page calls `data.top_keywords(f, 20, "tf")`; "go to definition" lands here, and once more on
# `queries.top_keywords`, the SQL. Each runs through `call` (cached per store version, lexicon and
# arguments) and `_shown` (a failure becomes a Korean message and None, never a traceback).


def call(query: Callable[..., Any], *args: object) -> Any:
    """`query(corpus, *args)` for a function of analytics.queries, cached; raises on failure."""
    name = query.__name__  # the query or its typed function here: both name it
    if not callable(getattr(queries, name, None)):
        raise TypeError(f"{name} is not a query of analytics.queries")
    path, v, lex, stamp, lex_key, ident = _snapshot_key()
    return _cached(name, path, v, lex, stamp, lex_key, args, ident)


def store_damage() -> StoreCorrupt | None:
    """The damaged tables of the store with what to do, or None (also when it cannot be checked)."""
    try:
        return Store(store_path()).corruption_error()
    except Exception:  # no store, or no snapshot: nothing to name
        return None


def _warn(msg: str) -> None:
    st.warning(escape.markdown(msg))  # messages quote user input and data: literal markdown


def _shown(query: Callable[..., Any], *args: object) -> Any:
    """`call(query, *args)`; a failure is shown as a Korean message (never a traceback) and gives None."""
    try:
        return call(query, *args)
    except QueryTooLarge as e:  # the keyword query (from the sidebar or a link) is over a limit
        _warn(str(e))
    except ValueError as e:  # bad user input, e.g. query syntax: the message says what to fix
        _warn(f"입력을 처리하지 못했습니다: {e}")
    except Exception as e:  # the page keeps working when one query fails
        damage = store_damage() if "parquet" in str(e).lower() else None
        _warn(str(damage) if damage else f"질의 {query.__name__}를 실행하지 못했습니다: {type(e).__name__}: {e}")
    return None


def kpis(f: Filters) -> dict | None:
    """Headline numbers: articles, sources, first and last date, unique stories."""
    return _shown(queries.kpis, f)


def volume(f: Filters, granularity: str = "month") -> pd.DataFrame | None:
    """Articles per period and source: period, source, articles, share (of the filtered corpus)."""
    return _shown(queries.volume, f, granularity)


def sources() -> list[str] | None:
    """Every source in the store (미상 last), for the source filter."""
    return _shown(queries.sources)


def years() -> list[int | str] | None:
    """Every publication year in the store, for the year filter."""
    return _shown(queries.years)


def articles(f: Filters, limit: int = 5000) -> pd.DataFrame | None:
    """The filtered articles (no text), newest first, at most `limit`."""
    return _shown(queries.articles, f, limit)


def article(article_id: str) -> dict | None:
    """One article with its text and metadata, or None."""
    return _shown(queries.article, article_id)


def article_entities(article_id: str) -> pd.DataFrame | None:
    """Entities of one article: type, entity (canonical, aliases applied), surface, count, sentences."""
    return _shown(queries.article_entities, article_id)


def article_sentences(article_id: str) -> pd.DataFrame | None:
    """Sentences of one article with their tone: pos, start, end, text, label, score, terms."""
    return _shown(queries.article_sentences, article_id)


def article_keywords(article_id: str) -> pd.DataFrame | None:
    """YAKE keywords of one article: rank, keyword, term (canonical), score (lower = more relevant)."""
    return _shown(queries.article_keywords, article_id)


def last_problems() -> pd.DataFrame | None:
    """Problems (path, reason) of the last completed ingest."""
    return _shown(queries.last_problems)


def store_versions() -> pd.DataFrame | None:
    """Every snapshot of the store, newest first."""
    return _shown(queries.store_versions)


def top_keywords(f: Filters, n: int = 50, method: str = "yake") -> pd.DataFrame | None:
    """Top terms of the filtered corpus: term, score, tf (occurrences), df (articles)."""
    return _shown(queries.top_keywords, f, n, method)


def keyword_trend(
    f: Filters, terms: tuple[str, ...], granularity: str = "month", by_source: bool = False
) -> pd.DataFrame | None:
    """Articles mentioning each term per period [and source], their share and per-10k rate."""
    return _shown(queries.keyword_trend, f, terms, granularity, by_source)


def rising_terms(
    f: Filters,
    start: date,
    end: date,
    baseline_start: date | None = None,
    baseline_end: date | None = None,
    n: int = 30,
) -> pd.DataFrame | None:
    """Terms rising or fading in [start, end] against a baseline, ranked by G²."""
    return _shown(queries.rising_terms, f, start, end, baseline_start, baseline_end, n)


def distinctive_terms(a: Filters, b: Filters, n: int = 30) -> pd.DataFrame | None:
    """Terms that set group a apart from group b (weighted log-odds z)."""
    return _shown(queries.distinctive_terms, a, b, n)


def related_terms(
    f: Filters, term: str, scope: str = "sentence", min_count: int = 2, n: int = 30, max_articles: int | None = None
) -> pd.DataFrame | None:
    """Terms associated with `term` (연관어), ranked by Dunning"s G²."""
    return _shown(queries.related_terms, f, term, scope, min_count, n, max_articles)


def cooccurrence_network(
    f: Filters, n_nodes: int = 40, min_weight: int = 2, include_entities: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Top terms (and entities) by articles as nodes; edges weighted by articles holding both."""
    return _shown(queries.cooccurrence_network, f, n_nodes, min_weight, include_entities)


def kwic(f: Filters, term: str, width: int = 40, limit: int = 200) -> pd.DataFrame | None:
    """Concordance lines of `term` (and its aliases) in the filtered articles, newest first."""
    return _shown(queries.kwic, f, term, width, limit)


def sentiment_over_time(f: Filters, granularity: str = "month") -> pd.DataFrame | None:
    """Tone per period and source: counts, shares with Wilson intervals, mean score."""
    return _shown(queries.sentiment_over_time, f, granularity)


def sentiment_by_source(f: Filters) -> pd.DataFrame | None:
    """Tone per source, the same columns as `sentiment_over_time` without the period; most articles first."""
    return _shown(queries.sentiment_by_source, f)


def target_sentiment(f: Filters, target: str, limit: int = 200) -> tuple[dict, pd.DataFrame] | None:
    """Tone of the sentences that mention a target (term or entity, aliases applied)."""
    return _shown(queries.target_sentiment, f, target, limit)


def sentiment_drivers(
    f: Filters, target: str | None = None, limit: int = 20, min_sentences: int = 1, min_lift: float = 1.0
) -> pd.DataFrame | None:
    """The words that most often carry negative and positive sentences (Sometrend"s 감성 연관어)."""
    return _shown(queries.sentiment_drivers, f, target, limit, min_sentences, min_lift)


def sentiment_driver_evidence(
    f: Filters, term: str, tone: str | None = None, target: str | None = None, limit: int = 100
) -> pd.DataFrame | None:
    """The sentences behind a sentiment driver `term` (of `tone` when given)."""
    return _shown(queries.sentiment_driver_evidence, f, term, tone, target, limit)


def top_entities(f: Filters, type: str | None = None, n: int = 30) -> pd.DataFrame | None:
    """Most mentioned entities (aliases applied, forms of one referent merged)."""
    return _shown(queries.top_entities, f, type, n)


def entity_timeline(f: Filters, entity: str, granularity: str = "month") -> pd.DataFrame | None:
    """Mentions and articles of one entity per period and source (undated: period NaT)."""
    return _shown(queries.entity_timeline, f, entity, granularity)


def entity_network(
    f: Filters, types: tuple[str, ...] = ("PS", "OG", "LC"), min_weight: int = 1, n_nodes: int = 50
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Entities as nodes, articles mentioning both as edges."""
    return _shown(queries.entity_network, f, types, min_weight, n_nodes)


def entity_articles(f: Filters, entity: str, limit: int = 5000) -> pd.DataFrame | None:
    """The filtered articles mentioning an entity."""
    return _shown(queries.entity_articles, f, entity, limit)


def entity_forms(f: Filters, entity: str) -> pd.DataFrame | None:
    """The forms counted under an entity's referent (일론 머스크 ← 머스크): form, merged, articles, mentions."""
    return _shown(queries.entity_forms, f, entity)


def explain_spike(
    f: Filters, start: date, end: date, n_terms: int = 15, n_articles: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Rising terms and representative articles of [start, end] against the period before."""
    return _shown(queries.explain_spike, f, start, end, n_terms, n_articles)


def topic_summary(f: Filters, k: int = 0) -> dict | None:
    """The topic model"s topics, k scores and meta (no per-article frame)."""
    return _shown(queries.topic_summary, f, k)


def topic_over_time(f: Filters, k: int = 0, granularity: str = "month") -> pd.DataFrame | None:
    """Topic shares and main-topic articles per period."""
    return _shown(queries.topic_over_time, f, k, granularity)


def topic_by_source(f: Filters, k: int = 0) -> pd.DataFrame | None:
    """Topic shares and main-topic articles per source."""
    return _shown(queries.topic_by_source, f, k)


def topic_articles(
    f: Filters, k: int, topic: int, n: int = 200, start: date | None = None, end: date | None = None
) -> pd.DataFrame | None:
    """The articles whose main topic is `topic`, most representative first."""
    return _shown(queries.topic_articles, f, k, topic, n, start, end)


def issues(
    f: Filters, start: date, end: date, distance: float = 0.9, n: int = 30
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The period"s issues (articles on one event), largest first: (issues, articles)."""
    return _shown(queries.issues, f, start, end, distance, n)


def issue_period(f: Filters, days: int = 7, min_articles: int = 10) -> tuple[date, date] | None:
    """The default issue window (latest `days` days with enough articles), or None."""
    return _shown(queries.issue_period, f, days, min_articles)


def query_trend(
    f: Filters, series: tuple[str, ...], granularity: str = "month", by_source: bool = False
) -> pd.DataFrame | None:
    """Articles matching each keyword query per period [and source], share and per-10k."""
    return _shown(queries.query_trend, f, series, granularity, by_source)


# ---- cached figures: a chart builder over a cached query ----------------------------------------
# `figure(charts.term_bar, top_keywords, (f, 20, "tf"), "tf", n=20)` is
# `charts.term_bar(top_keywords(f, 20, "tf"), "tf", n=20)`, built once per store version, lexicon
# key, query arguments and chart arguments. Builders are pure, so a rerun with the same filters
# reuses the figure object (cache_resource: no pickling; st.plotly_chart and the exports work on
# copies), and a changed filter rebuilds only the figures whose query changed.


@st.cache_resource(max_entries=160, show_spinner=False)
def _figure(builder: tuple[str, str], query: str, qargs: tuple, bargs: tuple, bkw: tuple, path: str,
            version: int, lexicon: str, stamp: str, lex_key: str, spread: bool, ident: str = "") -> go.Figure:
    res = _cached(query, path, version, lexicon, stamp, lex_key, qargs, ident)
    fn = getattr(importlib.import_module(builder[0]), builder[1])
    return fn(*res, *bargs, **dict(bkw)) if spread else fn(res, *bargs, **dict(bkw))


def figure(builder: Callable[..., go.Figure], query: Callable[..., Any], qargs: tuple, *bargs: object,
           spread: bool = False, **bkw: object) -> go.Figure:
    """`builder(query(*qargs), *bargs, **bkw)`, cached (query: a typed function above);
    spread=True unpacks a tuple result (nodes, edges) into the builder's first arguments."""
    if not callable(getattr(queries, query.__name__, None)):
        raise TypeError(f"{query.__name__} is not a query of analytics.queries")
    v = current_version()
    if v is None:
        raise StoreError("no store")
    return _figure((builder.__module__, builder.__name__), query.__name__, tuple(qargs), tuple(bargs),
                   tuple(sorted(bkw.items())), store_path(), v, lexicon_path(), lexicon_stamp(), lexicon_key(),
                   spread, store_identity())
