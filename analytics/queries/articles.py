"""Articles, volume, KPIs, the filter options, one article for the reader, store versions."""

from __future__ import annotations

import pandas as pd

from analytics.config import UNKNOWN
from analytics.filters import Filters
from analytics.queries.corpus import Corpus
from analytics.queries.sql import _period, _where

# ---- articles and volume ---------------------------------------------------------------------
# the date as precise as it is known: never an invented day (a year-precision 2025 reads 2025)
_DATE_LABEL = f"""CASE WHEN a.date_precision = 'unknown' OR (a.published IS NULL AND a.year IS NULL) THEN '{UNKNOWN}'
                      WHEN a.published IS NULL THEN CAST(a.year AS VARCHAR)
                      WHEN a.date_precision = 'year' THEN strftime(a.published, '%Y')
                      WHEN a.date_precision = 'month' THEN strftime(a.published, '%Y-%m')
                      ELSE strftime(a.published, '%Y-%m-%d') END"""


def _articles_where(c: Corpus, f: Filters, extra: str, extra_params: list, limit: int) -> pd.DataFrame:
    where, params = _where(c, f)
    return c.sql(f"""SELECT a.id, a.published, a.date_precision, {_DATE_LABEL} AS date_label,
                            coalesce(a.source, '{UNKNOWN}') AS source,
                            a.title, a.author, a.url, a.language, a.is_excerpt, a.n_chars, a.cluster_id
                     FROM art a WHERE {where} AND {extra}
                     ORDER BY a.published DESC NULLS LAST, source, a.id LIMIT {int(limit)}""",
                 params + extra_params)


def articles(c: Corpus, f: Filters, limit: int = 5000) -> pd.DataFrame:
    """The filtered articles (no text): id, published, date_precision, date_label (the date at its
    known precision: YYYY-MM-DD, YYYY-MM, YYYY or 미상), source, title, author, url, excerpt flag."""
    return _articles_where(c, f, "TRUE", [], limit)


def article(c: Corpus, article_id: str) -> dict | None:
    """One article with its text and metadata, or None."""
    df = c.sql("SELECT * FROM articles WHERE id = ?", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def volume(c: Corpus, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Articles per period and source: period, source, articles, share (of the filtered corpus).

    Articles with an unknown date are counted in a period labelled 미상 (period = NaT)."""
    per = _period(granularity)
    where, params = _where(c, f)
    df = c.sql(f"""SELECT {per} AS period, coalesce(a.source, '{UNKNOWN}') AS source, count(*) AS articles
                   FROM art a WHERE {where} GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params)
    total = df["articles"].sum()
    df["share"] = df["articles"] / total if total else 0.0
    return df


def kpis(c: Corpus, f: Filters) -> dict:
    """Headline numbers: articles, sources, first and last date, unique stories."""
    where, params = _where(c, f)
    row = c.sql(f"""SELECT count(*) AS articles, count(DISTINCT coalesce(a.source, '{UNKNOWN}')) AS sources,
                           min(a.published) AS first, max(a.published) AS last,
                           count(DISTINCT a.cluster_id) AS stories
                    FROM art a WHERE {where}""", params).iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.to_dict().items()}


def sources(c: Corpus) -> list[str]:
    """Every source in the store (미상 last), for the source filter."""
    df = c.sql(f"SELECT DISTINCT coalesce(source, '{UNKNOWN}') s FROM art ORDER BY s")
    names = [s for s in df["s"] if s != UNKNOWN]
    return names + ([UNKNOWN] if UNKNOWN in set(df["s"]) else [])


def years(c: Corpus) -> list[int | str]:
    df = c.sql("SELECT DISTINCT year FROM art ORDER BY year")
    ys = [int(y) for y in df["year"].dropna()]
    return ys + ([UNKNOWN] if df["year"].isna().any() else [])




# ---- one article (reader page) ---------------------------------------------------------------
def article_keywords(c: Corpus, article_id: str) -> pd.DataFrame:
    """YAKE keywords of one article: rank, keyword, term (canonical), score (lower = more relevant)."""
    return c.sql("""SELECT k.rank, v.term AS keyword, n.term, k.score, l.stop
                    FROM kw k JOIN art a USING (aid) JOIN vocab v USING (tid) JOIN lexv l USING (tid)
                    JOIN cnames n USING (cid) WHERE a.id = ? ORDER BY k.rank""", [article_id])


def article_entities(c: Corpus, article_id: str) -> pd.DataFrame:
    """Entities of one article: type, entity (its referent, as every entity count names it:
    aliases applied, forms merged), surface, count, sentences."""
    from analytics.queries.referents import build_eref

    build_eref(c)
    return c.sql("""SELECT r.type, n.term AS entity, arg_max(e.surface, e.count) AS surface,
                           CAST(sum(e.count) AS INTEGER) AS count,
                           list_sort(list_distinct(flatten(list(e.sentences)))) AS sentences
                    FROM ent e JOIN art a USING (aid) JOIN eref r USING (tid) JOIN cnames n ON n.cid = r.cid
                    WHERE a.id = ? GROUP BY 1, 2 ORDER BY count DESC, entity""", [article_id])


def article_sentences(c: Corpus, article_id: str) -> pd.DataFrame:
    """Sentences of one article with their tone: pos, start, end, text, label, score, terms."""
    # from the query tables (an aid's rows sit together), not the store's sentence files
    return c.sql("""SELECT t.pos, t.start, t."end", t.text, s.label, s.score, t.terms
                    FROM art a JOIN stext t USING (aid) JOIN sent s USING (aid, pos)
                    WHERE a.id = ? ORDER BY t.pos""", [article_id])


# ---- store -----------------------------------------------------------------------------------
def store_versions(c: Corpus) -> pd.DataFrame:
    """Every snapshot of the store: id, at, kind, note (newest first)."""
    rows = c.store.snapshots()
    df = pd.DataFrame(rows, columns=["id", "at", "kind", "versions", "note"])
    return df[["id", "at", "kind", "note"]].sort_values("id", ascending=False).reset_index(drop=True)


def last_problems(c: Corpus) -> pd.DataFrame:
    """Problems (path, reason) of the last completed ingest."""
    run_id = c.store.last_run_id()
    return c.sql("SELECT path, reason FROM problems WHERE run_id = ? ORDER BY path", [run_id or ""])
