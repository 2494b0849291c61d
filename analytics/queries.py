"""Read-only queries over the store under one Filters value -> DataFrames.

The dashboard asks only this module. Each query is SQL over a consistent snapshot of the store
(DuckDB over the Delta tables' Parquet files) plus, at most, a thin pandas step on a small result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.config import UNKNOWN
from analytics.filters import Filters, article_where
from analytics.store import Store

GRANULARITIES = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


@dataclass
class Corpus:
    """A read handle: one store snapshot and a DuckDB connection with a view per table."""

    store: Store
    snapshot: dict
    con: object

    @property
    def version(self) -> int:
        return int(self.snapshot["id"])

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        cur = self.con.cursor()  # one cursor per query: safe to share the Corpus across threads
        try:
            return cur.execute(query, params or []).df()
        finally:
            cur.close()


def open_corpus(store_dir: Path | str) -> Corpus:
    store = Store(store_dir)
    snap = store.snapshot()
    return Corpus(store, snap, store.connect(snap))


def _filtered(c: Corpus, f: Filters) -> tuple[str, list]:
    """A CTE body selecting the filtered article ids (keyword query applied when given)."""
    w = article_where(f)
    return f"SELECT a.id FROM articles a WHERE {w.where}", w.params


def articles(c: Corpus, f: Filters, limit: int = 5000) -> pd.DataFrame:
    """The filtered articles (no text): id, published, source, title, author, precision, excerpt flag."""
    w = article_where(f)
    df = c.sql(f"""SELECT a.id, a.published, a.date_precision, coalesce(a.source, '{UNKNOWN}') AS source,
                          a.title, a.author, a.url, a.language, a.is_excerpt, a.n_chars, a.cluster_id
                   FROM articles a WHERE {w.where}
                   ORDER BY a.published DESC NULLS LAST, a.source, a.id LIMIT {int(limit)}""", w.params)
    return df


def article(c: Corpus, article_id: str) -> dict | None:
    """One article with its text and metadata, or None."""
    df = c.sql("SELECT * FROM articles WHERE id = ?", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def volume(c: Corpus, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Articles per period and source: period, source, articles, share (of the filtered corpus).

    Articles with an unknown date are counted in a period labelled 미상 (period = NaT)."""
    unit = GRANULARITIES.get(granularity)
    if unit is None:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    w = article_where(f)
    df = c.sql(f"""SELECT date_trunc('{unit}', a.published) AS period, coalesce(a.source, '{UNKNOWN}') AS source,
                          count(*) AS articles
                   FROM articles a WHERE {w.where} GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", w.params)
    total = df["articles"].sum()
    df["share"] = df["articles"] / total if total else 0.0
    return df


def kpis(c: Corpus, f: Filters) -> dict:
    """Headline numbers: articles, sources, first and last date, unique stories."""
    w = article_where(f)
    row = c.sql(f"""SELECT count(*) AS articles, count(DISTINCT coalesce(a.source, '{UNKNOWN}')) AS sources,
                           min(a.published) AS first, max(a.published) AS last,
                           count(DISTINCT a.cluster_id) AS stories
                    FROM articles a WHERE {w.where}""", w.params).iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.to_dict().items()}


def sources(c: Corpus) -> list[str]:
    """Every source in the store (미상 last), for the source filter."""
    df = c.sql(f"SELECT DISTINCT coalesce(source, '{UNKNOWN}') s FROM articles ORDER BY s")
    names = [s for s in df["s"] if s != UNKNOWN]
    return names + ([UNKNOWN] if UNKNOWN in set(df["s"]) else [])


def years(c: Corpus) -> list[int | str]:
    df = c.sql("SELECT DISTINCT year FROM articles ORDER BY year")
    ys = [int(y) for y in df["year"].dropna()]
    return ys + ([UNKNOWN] if df["year"].isna().any() else [])
