"""Keyword trends, top keywords, rising/fading and distinctive terms, related words, the
co-occurrence network and keyword in context."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.queries import postings
from analytics.queries.corpus import PRIOR_ALPHA0, SENTENCE_SCOPE_ARTICLES, Corpus
from analytics.queries.matching import squeeze
from analytics.queries.sql import (
    _agg_cells,
    _art_freq,
    _article_keys,
    _cached_table,
    _fa,
    _freq,
    _in_ints,
    _period,
    _plan,
    _term_aids,
    _term_sentences,
    _tf,
    _unfiltered,
    _variant_tids,
    _variants,
    _where,
    _window_aids,
    _with_text,
)
from analytics.store import sql_str


# ---- keywords and terms ----------------------------------------------------------------------
def keyword_trend(c: Corpus, f: Filters, terms: tuple[str, ...], granularity: str = "month",
                  by_source: bool = False) -> pd.DataFrame:
    """Per period [and source] and term: articles mentioning it, share of the period's filtered
    articles, and occurrences per 10,000 terms. Periods where a term is absent show 0."""
    per = _period(granularity, "published")
    keys = "period, source" if by_source else "period"
    cols = ["period", "source", "term", "articles", "share", "per_10k"] if by_source else \
        ["period", "term", "articles", "share", "per_10k"]
    canon = list(dict.fromkeys(c.canon(t) for t in terms if t.strip()))
    if not canon:
        return pd.DataFrame(columns=cols)
    cte, params = _fa(c, f)
    if postings.available(c) and len(canon) <= postings.HITS_MAX:
        return _keyword_trend_postings(c, f, cte, params, canon, granularity, by_source)[cols]
    marks = ", ".join(f"({i}, ?)" for i in range(len(canon)))
    # each term's rows: every stored form that is an occurrence of it (compounds holding it too),
    # read in one pass over the term table
    pairs = [(tid, i) for i, t in enumerate(canon) for tid in _variant_tids(c, t)] or [(-1, 0)]
    tq = ", ".join(f"({int(tid)}, {i})" for tid, i in pairs)
    rows = (f"SELECT tm.aid, m.qi, tm.count FROM tm JOIN (VALUES {tq}) m(tid, qi) USING (tid) JOIN lexv l USING (tid) "
            f"WHERE tm.tid IN {_in_ints([tid for tid, _ in pairs])} AND NOT l.stop")
    df = c.sql(f"""WITH {cte},
        fp AS (SELECT aid, {per} AS period, source FROM fa),
        q(qi, term) AS (VALUES {marks}),
        base AS (SELECT {keys}, count(*) AS n_articles, sum(coalesce(t.n_terms, 0)) AS n_terms
                 FROM fp LEFT JOIN atot t USING (aid) GROUP BY ALL),
        hits AS (SELECT {keys}, x.qi, count(DISTINCT fp.aid) AS articles, sum(x.count) AS cnt
                 FROM ({rows}) x JOIN fp USING (aid) GROUP BY ALL)
        SELECT {", ".join("base." + k for k in keys.split(", "))}, q.term,
               coalesce(h.articles, 0) AS articles,
               coalesce(h.articles, 0) / base.n_articles AS share,
               CASE WHEN base.n_terms > 0 THEN coalesce(h.cnt, 0) * 10000.0 / base.n_terms ELSE 0 END AS per_10k
        FROM base CROSS JOIN q
        LEFT JOIN hits h ON h.qi = q.qi AND h.period IS NOT DISTINCT FROM base.period
             {"AND h.source = base.source" if by_source else ""}
        ORDER BY base.period NULLS LAST, {"base.source, " if by_source else ""}q.term""", params + canon)
    df["articles"] = df["articles"].astype("int64")
    return df[cols]


def _keyword_trend_postings(c: Corpus, f: Filters, cte: str, params: list, canon: list[str],
                            granularity: str, by_source: bool) -> pd.DataFrame:
    """`keyword_trend`'s SQL in numpy: the filtered articles' (period[, source]) codes, term totals
    and per-term rows and counts from the postings (one walk over the articles' runs, not a join
    of every variant's rows: a frequent term's compounds are ~150,000 rows at 100,000 articles)."""
    aids = postings._post(c).aids if _unfiltered(c, f) else postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
    code_of, keys = _article_keys(c, granularity, by_source)
    at = np.searchsorted(postings._post(c).aids, aids)
    code = code_of[at].astype(np.int64)
    rows, cnt = postings.term_hits(c, aids, [_variant_tids(c, t) for t in canon])
    nk, nq = len(keys), len(canon)
    n_art = np.bincount(code, minlength=nk)
    n_tot = np.bincount(code, weights=postings.article_term_totals(c)[at], minlength=nk)
    hit = np.stack([np.bincount(code, weights=(rows[:, q] > 0), minlength=nk) for q in range(nq)], axis=1)
    occ = np.stack([np.bincount(code, weights=cnt[:, q], minlength=nk) for q in range(nq)], axis=1)
    kk = np.repeat(np.flatnonzero(n_art), nq)
    qq = np.tile(np.arange(nq), len(kk) // nq if nq else 0)
    out = keys.iloc[kk].reset_index(drop=True)
    out["term"] = np.asarray(canon, dtype=object)[qq]
    art = np.rint(hit[kk, qq]).astype(np.int64)
    out["articles"] = art
    out["share"] = art / n_art[kk]
    tot = n_tot[kk]
    out["per_10k"] = np.divide(occ[kk, qq] * 10000.0, tot, out=np.zeros(len(kk)), where=tot > 0)
    order = ["period", "source", "term"] if by_source else ["period", "term"]
    return out.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)


def top_keywords(c: Corpus, f: Filters, n: int = 50, method: str = "yake") -> pd.DataFrame:
    """Top terms of the filtered corpus: term, score, tf (occurrences), df (articles).

    method="yake": score = sum over articles of 1/rank of the term in that article's YAKE list
    (reciprocal-rank fusion, higher = more relevant); "tf": score = tf."""
    if method not in ("yake", "tf"):
        raise ValueError('method must be "yake" or "tf"')
    cte, params = _fa(c, f)
    stats = ("freq AS (SELECT cid, tf, df FROM gstat)" if _unfiltered(c, f) else f"freq AS ({_freq(c, f)})")
    how, cells, fx = _plan(c, f)
    kw_art = ("SELECT l.cid, sum(1.0 / k.rank) AS score, count(*) AS n FROM kw k JOIN {} x USING (aid) "
              "JOIN lexv l USING (tid) WHERE NOT l.stop GROUP BY l.cid")
    if how == "art":
        ys = kw_art.format("(SELECT aid FROM fa)")
    elif _unfiltered(c, f):  # whole corpus: the per-term keyword totals (queries/build.py vk)
        ys = ("SELECT l.cid, sum(k.yk) AS score, sum(k.n) AS n FROM vk k JOIN lexv l USING (tid) "
              "WHERE NOT l.stop GROUP BY l.cid")
    else:
        ys = (f"SELECT l.cid, sum(k.yk) AS score, sum(k.n) AS n FROM kagg{cells.sfx} k JOIN lexv l USING (tid) "
              f"WHERE {cells} AND NOT l.stop GROUP BY l.cid")
        if how == "comp":
            ys = (f"SELECT cid, sum(score) AS score FROM ({ys} UNION ALL SELECT cid, -score, -n FROM "
                  f"({kw_art.format('(' + fx + ')')})) GROUP BY cid HAVING sum(n) > 0")
    if method == "tf" and not _unfiltered(c, f) and postings.available(c):  # numpy sums (faster than the cells' too)
        cid, tf, df = postings.subset_freq(c, postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params))
        pick = postings.top_rows([tf, df], int(n))
        names = c._postings["names"]
        out = pd.DataFrame({"term": [names[int(i) - 1] for i in cid[pick]], "tf": tf[pick], "df": df[pick]})
        out = out.sort_values(["tf", "df", "term"], ascending=[False, False, True], kind="stable").head(int(n))
        out.insert(1, "score", out["tf"].astype("float64"))
        return out.reset_index(drop=True).astype({"tf": "int64", "df": "int64", "score": "float64"})
    if method == "tf":
        sql = f"""WITH {cte}, {stats}
                  SELECT n.term, CAST(tf AS DOUBLE) AS score, tf, df FROM freq JOIN cnames n USING (cid)
                  ORDER BY tf DESC, df DESC, n.term LIMIT {int(n)}"""
    elif how != "agg" and not _unfiltered(c, f):  # a keyword query: only the listed words' frequencies, by term id
        cols = ["term", "score", "tf", "df"]
        fast = postings.available(c)
        if fast:  # sums over the filtered articles' YAKE lists and terms in numpy
            fa_aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
            cid, score = postings.keyword_scores(c, fa_aids)
            pick = postings.top_rows([score], int(n) * 2)  # every tie at the cut (the SQL keeps any of them)
            top = pd.DataFrame({"cid": cid[pick], "score": score[pick]})
        else:
            top = c.sql(f"WITH {cte}, ys AS ({ys}) SELECT cid, score FROM ys ORDER BY score DESC LIMIT {int(n) * 2}",
                        params)
        if top.empty:
            return pd.DataFrame({k: pd.Series(dtype="float64" if k == "score" else "int64") for k in cols}
                                ).astype({"term": object})
        if fast:
            cid, tf, df = postings.subset_freq(c, fa_aids)
            freq = pd.DataFrame({"cid": cid, "tf": tf, "df": df})
            freq = freq[freq["cid"].isin(top["cid"].astype("int64"))]
        else:
            freq = c.sql(f"WITH {cte} {_listed_freq(c, top['cid'].astype(int).tolist())}", params)
        names = c.sql(f"SELECT cid, term FROM cnames WHERE cid IN {_in_ints(top['cid'].astype(int).tolist())}")
        df = top.merge(names, on="cid").merge(freq, on="cid", how="left").fillna({"tf": 0, "df": 0})
        df = df.sort_values(["score", "term"], ascending=[False, True], kind="stable").head(int(n))
        return df[cols].reset_index(drop=True).astype({"tf": "int64", "df": "int64", "score": "float64"})
    else:
        sql = f"""WITH {cte},
                  ys AS ({ys}),
                  top AS (SELECT * FROM ys ORDER BY score DESC LIMIT {int(n) * 2}),
                  freq AS ({"SELECT cid, tf, df FROM gstat WHERE cid IN (SELECT cid FROM top)" if _unfiltered(c, f)
                            else _freq(c, f, "SELECT cid FROM top")})
                  SELECT n.term, top.score, coalesce(freq.tf, 0) AS tf, coalesce(freq.df, 0) AS df
                  FROM top JOIN cnames n USING (cid) LEFT JOIN freq USING (cid)
                  ORDER BY top.score DESC, n.term LIMIT {int(n)}"""
    df = c.sql(sql, params)
    return df.astype({"tf": "int64", "df": "int64", "score": "float64"})


def _listed_freq(c: Corpus, cids: list[int]) -> str:
    """SQL of (cid, tf, df) over `fa` for a few canonical ids (stopwords out), read from their
    own term rows (tm is ordered by term id), alias groups counted once per article."""
    lx = c.sql(f"SELECT tid, multi FROM lexv WHERE cid IN {_in_ints(cids)} AND NOT stop")
    single, multi = lx.loc[~lx["multi"], "tid"].tolist(), lx.loc[lx["multi"], "tid"].tolist()
    return f"""SELECT l.cid, sum(t.count) AS tf, count(*) AS df FROM tm t JOIN lexv l USING (tid)
               WHERE t.tid IN {_in_ints(single)} AND t.aid IN (SELECT aid FROM fa) GROUP BY l.cid
               UNION ALL
               SELECT cid, sum(count), count(*) FROM (SELECT t.aid, l.cid, sum(t.count) AS count FROM tm t
                      JOIN lexv l USING (tid) WHERE t.tid IN {_in_ints(multi)} AND t.aid IN (SELECT aid FROM fa)
                      GROUP BY 1, 2) GROUP BY cid"""


def _window_rows(c: Corpus, f: Filters, start: date, end: date, flag: int, fx: str = "") -> list[str]:
    """SQL parts of (target, cid, cnt) rows: term occurrences in [start, end] under `f` (stopwords
    out). Whole months come from the aggregates; the days of a month cut by the window from the
    article-ordered term table over the aid range of those days (articles are in date order)."""
    import calendar

    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = end if end.day == calendar.monthrange(end.year, end.month)[1] else end.replace(day=1) - timedelta(days=1)
    edges = [(start, end)] if first > last else [r for r in ((start, first - timedelta(days=1)),
                                                               (last + timedelta(days=1), end)) if r[0] <= r[1]]
    parts = []
    if first <= last:
        cells = _agg_cells(c, f, first, last)
        parts.append(f"""SELECT {flag} AS target, l.cid, sum(g.tf) AS cnt FROM agg{cells.sfx} g JOIN lexv l USING (tid)
                         WHERE {cells} AND NOT l.stop GROUP BY l.cid""")
        if fx:  # the aggregates hold the filters without the keyword query: minus the excluded articles
            parts.append(f"""SELECT {flag} AS target, l.cid, -sum(t.count) AS cnt FROM tma t JOIN lexv l USING (tid)
                             WHERE NOT l.stop AND t.aid IN (SELECT x.aid FROM ({fx}) x JOIN art a2 USING (aid)
                             WHERE a2.published BETWEEN DATE '{first}' AND DATE '{last}') GROUP BY l.cid""")
    for lo_d, hi_d in edges:
        lo, hi = c.sql("SELECT min(aid) AS lo, max(aid) AS hi FROM art WHERE published BETWEEN ? AND ?",
                       [lo_d, hi_d]).iloc[0]
        if pd.isna(lo):
            continue
        parts.append(f"""SELECT {flag} AS target, l.cid, sum(t.count) AS cnt FROM tma t JOIN lexv l USING (tid)
                         WHERE t.aid BETWEEN {int(lo)} AND {int(hi)} AND NOT l.stop
                         AND t.aid IN (SELECT aid FROM fa WHERE aid BETWEEN {int(lo)} AND {int(hi)}
                                       AND published BETWEEN DATE '{lo_d}' AND DATE '{hi_d}')
                         GROUP BY l.cid""")
    return parts or [f"SELECT {flag} AS target, NULL::INTEGER AS cid, 0 AS cnt WHERE FALSE"]


def _g2(a: pd.Series, b: pd.Series, n1: float, n0: float) -> pd.Series:
    """Dunning's log-likelihood G² of a term's counts a (of n1) against b (of n0)."""
    tot = n1 + n0
    e1 = n1 * (a + b) / tot
    e0 = n0 * (a + b) / tot
    t1 = (a * _logs((a / e1).where(a > 0, 1.0))).where(a > 0, 0.0)
    t0 = (b * _logs((b / e0).where(b > 0, 1.0))).where(b > 0, 0.0)
    return 2 * (t1 + t0)


def _logs(x: pd.Series) -> pd.Series:
    """math.log of every value (numpy's own log differs from it in the last bit on AVX-512; the
    G² values, and so the rankings, stay those math.log gives), without pandas' per-value map."""
    v = x.to_numpy(dtype=float)
    return pd.Series(np.fromiter(map(math.log, v.tolist()), dtype=float, count=len(v)), index=x.index)


def _first_dates(c: Corpus, cells: str) -> str:
    """A table (tid, first): every term's first date in the aggregate cells `cells` (those of the
    whole corpus), built once per corpus."""
    return _cached_table(c, ("gfirst", str(cells)), lambda: (
        f"SELECT tid, min(first) AS first FROM agg{cells.sfx} WHERE {cells} GROUP BY tid ORDER BY tid", []))


def _g2_fast(a: np.ndarray, b: np.ndarray, n1: float, n0: float) -> tuple[np.ndarray, float]:
    """(`_g2` with numpy's log, a bound on its distance from `_g2`): numpy's log may differ from
    math.log in the last bit, so each term of a G² by at most ~1e-15 of its size; the bound is
    1e-13 of the largest term sum (a hundredfold margin)."""
    tot = n1 + n0
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(np.where(a > 0, a / (n1 * (a + b) / tot), 1.0)), 0.0)
        t0 = np.where(b > 0, b * np.log(np.where(b > 0, b / (n0 * (a + b) / tot), 1.0)), 0.0)
    return 2 * (t1 + t0), 1e-13 * float(np.max(np.abs(t1) + np.abs(t0), initial=0.0))


def _top_g2(df: pd.DataFrame, n: int, n1: float = 0.0, n0: float = 0.0, tol: float | None = None) -> pd.DataFrame:
    """The first n rows of `df` sorted by g2 and cnt descending, cid ascending: only the rows at
    or above the n-th largest G² are sorted (the same rows, ties included). With `tol`, df's g2
    is `_g2_fast`'s (within tol of `_g2`): the rows within 2 tol of the n-th largest are kept
    (every row of the exact top n is among them), their exact `_g2` computed, then ranked."""
    if len(df) > n > 0:
        g = df["g2"].to_numpy()
        df = df[g >= np.partition(g, len(g) - n)[len(g) - n] - (2 * tol if tol is not None else 0.0)]
    if tol is not None:
        df = df.assign(g2=_g2(df["cnt"], df["base"], n1, n0))
    return df.sort_values(["g2", "cnt", "cid"], ascending=[False, False, True]).head(n)


def _window_freqs(c: Corpus, cte: str, params: list, target: tuple[date, date], base: tuple[date, date]) -> pd.DataFrame:
    """`rising_terms`' rows (cid, cnt, base, n1, n0): each canonical term's occurrences in the
    filtered articles (`fa` of `cte`) of the target window and of the baseline (an article in both
    counts for the target, as the SQL's CASE), and the windows' term totals (`atot`), summed over
    the postings of those articles (a window is a few thousand articles: their runs only)."""
    t_aids, b_aids = _window_aids(c, cte, params, target, base)
    (c1, tf1, _), (c0, tf0, _) = postings.subset_freq(c, t_aids), postings.subset_freq(c, b_aids)
    size = int(max(c1.max(initial=0), c0.max(initial=0))) + 1
    cnt, bas = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    cnt[c1], bas[c0] = tf1, tf0
    cid = np.flatnonzero((cnt > 0) | (bas > 0))
    n_terms = postings.article_term_totals(c)
    aids = postings._post(c).aids
    n1 = int(n_terms[np.searchsorted(aids, t_aids)].sum()) if len(t_aids) else 0
    n0 = int(n_terms[np.searchsorted(aids, b_aids)].sum()) if len(b_aids) else 0
    if not len(cid):
        return pd.DataFrame(columns=["cid", "cnt", "base", "n1", "n0"])
    return pd.DataFrame({"cid": cid, "cnt": cnt[cid], "base": bas[cid], "n1": n1, "n0": n0})


def rising_terms(c: Corpus, f: Filters, start: date, end: date, baseline_start: date | None = None,
                 baseline_end: date | None = None, n: int = 30) -> pd.DataFrame:
    """Terms whose frequency in [start, end] differs most from a baseline (default: the equally
    long period just before), ranked by log-likelihood G². Up to n rising then up to n fading:
    term, count, baseline_count, growth, g2, direction, first_seen."""
    if baseline_start is None or baseline_end is None:
        days = (end - start).days + 1
        baseline_end = start - timedelta(days=1)
        baseline_start = baseline_end - timedelta(days=days - 1)
    cte, params = _fa(c, f)
    overlap = start <= baseline_end and baseline_start <= end
    how, _, fx = _plan(c, f)
    if postings.available(c):  # both windows' term sums over their filtered articles, from the postings
        df = _window_freqs(c, cte, params, (start, end), (baseline_start, baseline_end))
    elif how != "art" and not overlap:
        fb = f if how == "agg" else Filters(**{**f.__dict__, "query": ""})
        parts = (_window_rows(c, fb, start, end, 1, fx) + _window_rows(c, fb, baseline_start, baseline_end, 0, fx))
        df = c.sql(f"""WITH {cte}, w AS ({" UNION ALL ".join(parts)}),
            cnt AS (SELECT cid, sum(CASE WHEN target = 1 THEN cnt ELSE 0 END) AS cnt,
                                sum(CASE WHEN target = 0 THEN cnt ELSE 0 END) AS base FROM w GROUP BY cid),
            tot AS (SELECT sum(cnt) AS n1, sum(base) AS n0 FROM cnt)
            SELECT cnt.cid, cnt.cnt, cnt.base, tot.n1, tot.n0 FROM cnt, tot""", params)
        df = df[(df["cnt"] > 0) | (df["base"] > 0)].reset_index(drop=True)
    else:
        df = c.sql(f"""WITH {cte},
            tg AS (SELECT aid, CASE WHEN published BETWEEN ? AND ? THEN 1 ELSE 0 END AS target FROM fa
                   WHERE published BETWEEN ? AND ? OR published BETWEEN ? AND ?),
            cnt AS (SELECT cid, sum(CASE WHEN target = 1 THEN count ELSE 0 END) AS cnt,
                                sum(CASE WHEN target = 0 THEN count ELSE 0 END) AS base
                    FROM tc JOIN tg USING (aid) GROUP BY cid),
            tot AS (SELECT sum(CASE WHEN target = 1 THEN n_terms ELSE 0 END) AS n1,
                           sum(CASE WHEN target = 0 THEN n_terms ELSE 0 END) AS n0
                    FROM tg JOIN atot USING (aid))
            SELECT cnt.cid, cnt.cnt, cnt.base, tot.n1, tot.n0 FROM cnt, tot""",
                   params + [start, end, start, end, baseline_start, baseline_end])
    cols = ["term", "count", "baseline_count", "growth", "g2", "direction", "first_seen"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    n1, n0 = float(df["n1"].iloc[0] or 0), float(df["n0"].iloc[0] or 0)
    # plain numpy over the ~100,000 terms of a period at 100k articles; a frame only of each direction's
    # candidates for the top n (pandas masks, string columns and takes over every term cost ~15-25 ms)
    cid = df["cid"].to_numpy(dtype=np.int64)
    a, b = df["cnt"].to_numpy(dtype=float), df["base"].to_numpy(dtype=float)
    # G² of every term with numpy's log; the exact math.log G² only near the top (_top_g2)
    g2, tol = _g2_fast(a, b, n1, n0) if n1 > 0 and n0 > 0 else (np.zeros(len(a)), None)
    rate1 = a / n1 if n1 else a * 0
    rate0 = b / n0 if n0 else b * 0
    up = rate1 > rate0
    parts = []
    for d, sel in (("rising", up), ("fading", ~up & (rate1 != rate0))):
        idx = np.flatnonzero(sel)
        if len(idx) > n > 0:  # the rows `_top_g2` would keep of them (it then keeps the same again)
            g = g2[idx]
            idx = idx[g >= np.partition(g, len(g) - n)[len(g) - n] - (2 * tol if tol is not None else 0.0)]
        parts.append(_top_g2(pd.DataFrame({
            "cid": cid[idx], "cnt": a[idx], "base": b[idx], "g2": g2[idx],
            "growth": ((a[idx] + 1) / (n1 + 1)) / ((b[idx] + 1) / (n0 + 1)), "direction": d}), n, n1, n0, tol))
    picked = pd.concat(parts)
    if picked.empty:
        return pd.DataFrame(columns=cols)
    ids = [int(x) for x in picked["cid"]]
    # first appearance: over the same filters but any date (a term's history is not cut by the window)
    tids = c.sql(f"SELECT tid FROM lexv WHERE cid IN {_in_ints(ids)}")["tid"].tolist()
    undated = Filters(**{**f.__dict__, "date_from": None, "date_to": None, "years": ()})
    cells = _agg_cells(c, undated)
    if cells is not None:  # the aggregates keep each cell's first date of every term
        # the whole corpus: each term's first date over all cells, once per corpus (the scan of
        # every cell's rows for ~60 terms took 15-25 ms a call at 100,000 articles)
        src = (f"(SELECT tid, first FROM {_first_dates(c, cells)})" if _unfiltered(c, undated) else
               f"(SELECT tid, first FROM agg{cells.sfx} WHERE {cells})")
        first = c.sql(f"""SELECT t.cid, n.term, min(g.first) AS first_seen
                          FROM {src} g JOIN lexv t USING (tid) JOIN cnames n USING (cid)
                          WHERE g.tid IN {_in_ints(tids)} GROUP BY t.cid, n.term""")
    else:
        where, wp = _where(c, undated)
        first = c.sql(f"""SELECT t.cid, n.term, min(a.published) AS first_seen
                          FROM tm JOIN lexv t USING (tid) JOIN art a USING (aid) JOIN cnames n USING (cid)
                          WHERE {where} AND tm.tid IN {_in_ints(tids)} GROUP BY t.cid, n.term""", wp)
    out = picked.merge(first, on="cid", how="left").rename(columns={"cnt": "count", "base": "baseline_count"})
    out["count"] = out["count"].astype("int64")
    out["baseline_count"] = out["baseline_count"].astype("int64")
    return out[cols].reset_index(drop=True)


def distinctive_terms(c: Corpus, a: Filters, b: Filters, n: int = 30) -> pd.DataFrame:
    """Terms that set group a apart from group b: weighted log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008) from the pooled counts, and its z-score.
    Up to n terms of group "a" (z > 0, descending) then up to n of group "b"."""
    cte_a, pa_ = _fa(c, a)
    cte_b, pb_ = _fa(c, b)
    cte_b = cte_b.replace("fa AS (", "fb AS (", 1)
    df = c.sql(f"""WITH {cte_a}, {cte_b},
        ca AS ({_tf(c, a, "fa", "ya")}),
        cb AS ({_tf(c, b, "fb", "yb")}),
        y AS (SELECT cid, coalesce(ya, 0) AS ya, coalesce(yb, 0) AS yb FROM ca FULL JOIN cb USING (cid)),
        nn AS (SELECT sum(ya) AS na, sum(yb) AS nb FROM y),
        w AS (SELECT y.*, nn.na, nn.nb, {PRIOR_ALPHA0} * (ya + yb) / (nn.na + nn.nb) AS alpha FROM y, nn),
        d AS (SELECT cid, ya, yb,
                     ln((ya + alpha) / (na + {PRIOR_ALPHA0} - ya - alpha))
                     - ln((yb + alpha) / (nb + {PRIOR_ALPHA0} - yb - alpha)) AS log_odds,
                     1.0 / (ya + alpha) + 1.0 / (yb + alpha) AS var
              FROM w WHERE na > 0 AND nb > 0),
        z AS (SELECT *, log_odds / sqrt(var) AS z FROM d),
        ra AS (SELECT * FROM z WHERE z > 0 ORDER BY z DESC LIMIT {int(n)}),
        rb AS (SELECT * FROM z WHERE z < 0 ORDER BY z ASC LIMIT {int(n)})
        SELECT n.term, ya AS count_a, yb AS count_b, log_odds, z, g AS "group" FROM
          (SELECT *, 'a' AS g FROM ra UNION ALL SELECT *, 'b' AS g FROM rb) JOIN cnames n USING (cid)
        ORDER BY "group", abs(z) DESC, n.term""", pa_ + pb_)
    return df.astype({"count_a": "int64", "count_b": "int64"})


# Generic nouns that co-occur with anything and say nothing about a term (besides the news
# stopwords removed at analysis and the user's stopwords): never listed as related words.
RELATED_STOPWORDS = frozenset("""
계획 자신 경제 문제 이유 대상 기준 상태 시간 사람 생각 기간 가능 일반 공식 경험 방침 단체 전날 오전 오후
다음 지난달 이달 내달 당초 중심 이상 이하 사실 입장 의견 측 국내 해외 세계 전국 지역 분야 방안 대책
기자 뉴스 사진 제공 연합뉴스 뉴스1 뉴시스 무단 배포 금지 저작권 앵커 특파원
""".split())
_DIGIT_WORD_RE = re.compile(r"(?:^|\s)[0-9]|%|[0-9][.,]?[0-9]*(?:달러|원|엔|유로|위안|배|명|개|건|곳|세|년|월|일|시|분|초)")


def _g2_2x2(a: np.ndarray, nx: float, nw: np.ndarray, n: float) -> np.ndarray:
    """Dunning's log-likelihood G² of the 2x2 table (both, x only, w only, neither)."""
    obs = np.stack([a, nx - a, nw - a, n - nx - nw + a]).astype(float)
    rows = np.stack([np.full_like(a, nx, dtype=float), np.full_like(a, nx, dtype=float),
                     n - np.full_like(a, nx, dtype=float), n - np.full_like(a, nx, dtype=float)])
    cols = np.stack([nw, n - nw, nw, n - nw]).astype(float)
    exp = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(obs > 0, obs * np.log(obs / exp), 0.0)
    return 2.0 * terms.sum(axis=0)


def _related_ok(cand: str, keys: list[str], stop: frozenset[str]) -> bool:
    """Not the query or a form of it, not a number/amount/date, not a stopword or a fragment."""
    sq = squeeze(cand)
    if len(sq) < 2 or _DIGIT_WORD_RE.search(cand):
        return False
    if any(k in sq or (len(sq) >= 2 and sq in k) for k in keys):
        return False  # 테슬라의, 테슬라 주가, 일론 머스크 테슬라 CEO: the query itself
    words = cand.split()
    return not any(w in stop or w in RELATED_STOPWORDS for w in words)


def related_terms(c: Corpus, f: Filters, term: str, scope: str = "sentence", min_count: int = 2,
                  n: int = 30, max_articles: int | None = None) -> pd.DataFrame:
    """Terms associated with `term` (연관어), ranked by Dunning's log-likelihood G² of the 2x2
    table of units (units holding both, `term` only, the other term only, neither), keeping only
    positive association (more co-occurrence than chance) and cooc >= min_count.

    Columns: term, cooc (units holding both), freq (units holding the term), g2, pmi (log2 of
    observed / expected co-occurrence), jaccard. scope="article": the units are the filtered
    articles; "sentence": the sentences of the most recent `max_articles` (default
    SENTENCE_SCOPE_ARTICLES) filtered articles that mention the term. `term` is matched as in
    the keyword filter (compounds holding it count); the term itself, its inflected or longer
    forms and phrases holding it, numbers/amounts/dates, stopwords and one-syllable fragments are
    never listed. attrs: units, units_with_term, articles_matching, articles_used, capped."""
    if scope not in ("sentence", "article"):
        raise ValueError('scope must be "sentence" or "article"')
    cols = ["term", "cooc", "freq", "g2", "pmi", "jaccard"]
    empty = pd.DataFrame(columns=cols)
    xt = _variant_tids(c, term)
    if not xt:
        return empty
    xs = _in_ints(xt)
    cte, params = _fa(c, f)
    xa = f"xa AS (SELECT DISTINCT aid FROM ({_term_aids(c, term)}) WHERE aid IN (SELECT aid FROM fa))"  # the xt rows of tm
    attrs: dict = {}
    df, full, known = None, None, None
    if scope == "article" and postings.available(c):  # numpy sums over the two article sets
        x_aids = postings.subset_aids(c, f"WITH {cte}, {xa} SELECT aid FROM xa", params)
        cid, _, cooc = postings.subset_freq(c, x_aids, tf=False)
        ok = cooc >= int(min_count)
        cid, cooc = cid[ok], cooc[ok]
        if _unfiltered(c, f):
            wcid, wdf = postings.global_df(c)
            n_all = int(c.sql("SELECT count(*) AS n FROM art")["n"].iloc[0])
        else:
            fa_aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
            wcid, _, wdf = postings.subset_freq(c, fa_aids, tf=False)
            n_all = len(fa_aids)
        dense = np.zeros(int(max(wcid.max(initial=0), cid.max(initial=0))) + 1, dtype=np.int64)
        dense[wcid] = wdf
        freq = dense[cid]
        # names only for the words that can rank: positively associated, the best few hundred by
        # (G², cooc) with their ties (all of them if the word filter leaves fewer than n)
        a, nw = cooc.astype(float), np.maximum(freq, cooc).astype(float)
        pos = np.flatnonzero(a > len(x_aids) * nw / max(n_all, 1)) if n_all else np.zeros(0, dtype=np.int64)
        g2 = _g2_2x2(a[pos], float(len(x_aids)), nw[pos], float(max(n_all, 1)))
        names = c._postings["names"]

        def rows(ix: np.ndarray) -> pd.DataFrame:
            return pd.DataFrame({"term": [names[int(i) - 1] for i in cid[ix]], "cooc": cooc[ix], "freq": freq[ix],
                                 "dx": len(x_aids), "n": n_all})

        pick = postings.top_rows([g2, a[pos]], 20 * int(n) + 100) if len(pos) else pos
        df = rows(pos[pick])
        known = (n_all, len(x_aids)) if len(cid) else None  # the SQL path's unit counts (rows before the filter)
        if len(pick) < len(pos):
            full = lambda: rows(pos)  # noqa: E731
    elif scope == "article":
        dfw = ("SELECT cid, df AS dfw FROM gstat WHERE cid IN (SELECT cid FROM co)" if _unfiltered(c, f) else
               f"SELECT cid, df AS dfw FROM ({_freq(c, f, 'SELECT cid FROM co')})")
        # only the articles holding the term are expanded (article-ordered table, df per raw term
        # summed per canonical term, alias groups exact); when most articles hold it: all articles
        # minus those without it, from the aggregates. The query's own forms drop out below.
        n_x, n_all = c.sql(f"WITH {cte}, {xa} SELECT (SELECT count(*) FROM xa) AS x, (SELECT count(*) FROM fa) AS n",
                           params).iloc[0]
        co = f"SELECT cid, df AS cooc FROM ({_art_freq(c, 'xa', '')}) WHERE df >= ?"
        if c.use_aggregates and n_x * 2 > n_all:
            every = ("SELECT cid, df FROM gstat" if _unfiltered(c, f) else f"SELECT cid, df FROM ({_freq(c, f)})")
            co = f"""SELECT cid, sum(df) AS cooc FROM ({every} UNION ALL SELECT cid, -df FROM ({_art_freq(
                         c, "(SELECT aid FROM fa WHERE aid NOT IN (SELECT aid FROM xa))", "")}))
                     GROUP BY cid HAVING sum(df) >= ? AND sum(df) > 0"""
        body = f"""{xa},
            co AS ({co}),
            dfw AS ({dfw}),
            dx AS (SELECT count(*) AS dx FROM xa),
            nu AS (SELECT count(*) AS n FROM fa)"""
    else:
        k = int(max_articles if max_articles is not None else SENTENCE_SCOPE_ARTICLES)
        hits = c.sql(f"""WITH {cte}, {xa} SELECT xa.aid FROM xa JOIN fa USING (aid)
                         ORDER BY fa.published DESC NULLS LAST, xa.aid DESC""", params)["aid"].to_numpy()
        attrs = {"articles_matching": int(len(hits)), "articles_used": int(min(len(hits), k)),
                 "capped": bool(len(hits) > k)}
        used = np.sort(hits[:k])
        lo, hi = (int(used[0]), int(used[-1])) if len(used) else (0, -1)
        sel = f"sta.aid BETWEEN {lo} AND {hi} AND sta.aid IN (SELECT unnest([{', '.join(map(str, used.tolist())) or '-1'}]))"
        if postings.available(c) and len(used):  # the same sets and counts in numpy over the fetched rows
            df = _sentence_cooc(c, sel, used, xt, int(min_count))
        body = f"""su AS (SELECT CAST(sta.aid AS BIGINT) * 100000 + sta.pos AS unit, sta.tid FROM sta WHERE {sel}),
            xu AS (SELECT DISTINCT unit FROM su WHERE tid IN {xs}),
            u AS (SELECT DISTINCT su.unit, l.cid FROM su JOIN lexv l USING (tid) WHERE NOT l.stop AND su.tid NOT IN {xs}),
            nu AS (SELECT count(*) AS n FROM sent WHERE aid BETWEEN {lo} AND {hi}
                   AND aid IN (SELECT unnest([{', '.join(map(str, used.tolist())) or '-1'}]))),
            co AS (SELECT u.cid, count(*) AS cooc FROM u JOIN xu USING (unit) GROUP BY u.cid HAVING count(*) >= ?),
            dfw AS (SELECT cid, count(*) AS dfw FROM u WHERE cid IN (SELECT cid FROM co) GROUP BY cid),
            dx AS (SELECT count(*) AS dx FROM xu)"""
    if df is None:
        df = c.sql(f"""WITH {cte}, {body}
            SELECT n.term, co.cooc, dfw.dfw AS freq, dx.dx, nu.n FROM co JOIN dfw USING (cid) JOIN cnames n USING (cid), nu, dx""",
                   params + [int(min_count)])
    n_units = int(df["n"].iloc[0]) if len(df) else 0
    n_x = int(df["dx"].iloc[0]) if len(df) else 0
    if known is not None:
        n_units, n_x = known
    attrs.update({"units": n_units, "units_with_term": n_x})
    if (df.empty and known is None) or n_units == 0 or n_x == 0:
        empty.attrs.update(attrs)
        return empty
    keys = sorted({squeeze(t) for t in [term, c.canon(term), *_variants(c, term)] if len(squeeze(t)) >= 2})
    stop = frozenset(c.stopwords)  # the user's and the analysis' own (queries/corpus.py)
    out = _related_rank(df, n_x, n_units, keys, stop, int(n))[cols]
    if len(out) < int(n) and full is not None:  # the pre-selected words ran out: rank them all
        out = _related_rank(full(), n_x, n_units, keys, stop, int(n))[cols]
    out = out.astype({"cooc": "int64", "freq": "int64"}).reset_index(drop=True)
    out.attrs.update(attrs)
    return out


def _sentence_cooc(c: Corpus, sel: str, used: np.ndarray, xt: list[int], min_count: int) -> pd.DataFrame:
    """The sentence scope's (term, cooc, freq, dx, n) rows of `related_terms` (its SQL `su` ... `dx`)
    from the sentence-term rows of the articles `used` (ascending; `sel`, the same as a condition
    on `sta`) grouped in numpy: units are sentences; `x` units hold one of `xt`; per canonical word
    (stopwords and `xt` out) the units holding it (freq) and those also holding `x` (cooc >= min_count)."""
    lo, hi = int(used[0]), int(used[-1])
    all_aids = postings._post(c).aids
    dense = np.searchsorted(all_aids, hi, side="right") - np.searchsorted(all_aids, lo) <= 4 * len(used)
    cur = c.con.cursor()
    try:  # the aid range alone when the used articles are most of it (a scan of a few row groups)
        r = cur.execute(f"SELECT aid, pos, tid FROM sta WHERE "
                        f"{f'aid BETWEEN {lo} AND {hi}' if dense else sel}").fetchnumpy()
        n_units = int(cur.execute(f"SELECT count(*) FROM sent WHERE {sel.replace('sta.aid', 'aid')}").fetchone()[0])
    finally:
        cur.close()
    aid = np.asarray(r["aid"], dtype=np.int64)
    inside = postings.held(used, aid) if dense else slice(None)
    # a sentence = (its article's index in `used`, its position): dense small ids, no hashing
    pos = np.asarray(r["pos"], dtype=np.int64)[inside]
    width = int(pos.max()) + 1 if len(pos) else 1
    unit = np.searchsorted(used, aid[inside]) * width + pos
    n_slots = len(used) * width
    tid = np.asarray(r["tid"], dtype=np.int64)[inside]
    cid_any = postings._lex(c).cid_any
    is_x = np.isin(tid, np.asarray(xt, dtype=np.int64))
    in_x = np.zeros(n_slots, dtype=bool)
    in_x[unit[is_x]] = True
    cid = np.where(tid < len(cid_any), cid_any[np.minimum(tid, len(cid_any) - 1)], 0).astype(np.int64)
    keep = (cid > 0) & ~is_x
    pair = np.sort(cid[keep] * n_slots + unit[keep])
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair  # distinct (word, sentence)
    ucid, uunit = pair // n_slots, pair % n_slots
    size = int(ucid.max()) + 1 if len(ucid) else 1
    freq = np.bincount(ucid, minlength=size)
    cooc = np.bincount(ucid[in_x[uunit]], minlength=size)
    xu = np.flatnonzero(in_x)
    ok = np.flatnonzero(cooc >= max(min_count, 1))
    return pd.DataFrame({"term": pd.Series(postings.names_of(c, ok), dtype="str"), "cooc": cooc[ok].astype(np.int64),
                         "freq": freq[ok].astype(np.int64), "dx": len(xu), "n": n_units})


def _related_rank(df: pd.DataFrame, n_x: int, n_units: int, keys: list[str], stop: frozenset[str],
                  n: int) -> pd.DataFrame:
    """The n best-ranked words of (term, cooc, freq) rows (G², then cooc, then the word) that pass
    the word filter, with their G², PMI and Jaccard."""
    a = df["cooc"].to_numpy(dtype=float)
    nw = np.maximum(df["freq"].to_numpy(dtype=float), a)
    expected = n_x * nw / n_units
    with np.errstate(divide="ignore", invalid="ignore"):
        df = df.assign(freq=nw.astype("int64"), g2=_g2_2x2(a, float(n_x), nw, float(n_units)),
                       pmi=np.log2(a / expected), jaccard=a / (n_x + nw - a))
    df = df[a > expected].sort_values(["g2", "cooc", "term"], ascending=[False, False, True])
    # the word filter (a per-word test) only on the best-ranked words, until n pass
    keep = []
    for i, t in zip(df.index, df["term"], strict=True):
        if _related_ok(t, keys, stop):
            keep.append(i)
            if len(keep) == n:
                break
    return df.loc[keep]


def _ent_name_stats(c: Corpus, f: Filters) -> str:
    """SQL of (cid, kind, size) entity referents over `fa` (the `eref` mapping of
    `queries/referents.py`: 머스크 and 일론 머스크 are one): articles naming them, the referent's type."""
    from analytics.queries.referents import build_eref, multi_rows

    build_eref(c)
    how, cells, fx = _plan(c, f)
    art = ("SELECT r.cid, min(r.type) AS kind, count(DISTINCT e.aid) AS size FROM ent e JOIN {} x USING (aid) "
           "JOIN eref r USING (tid) WHERE {} GROUP BY r.cid")
    if how == "art":
        return art.format("(SELECT aid FROM fa)", "TRUE")
    out = f"""SELECT r.cid, min(r.type) AS kind, sum(g.articles) AS size FROM ecagg{cells.sfx} g
               JOIN eref r USING (tid) WHERE {cells} AND NOT r.multi GROUP BY r.cid
               UNION ALL SELECT r.cid, min(r.type) AS kind, count(DISTINCT r.aid) AS size
               FROM {multi_rows(c)} r JOIN fa USING (aid) GROUP BY r.cid"""
    if how == "agg":
        return out
    # complement: sizes are base minus the excluded articles (a referent's type is fixed)
    return f"""SELECT cid, min(kind) AS kind, sum(size) AS size FROM ({out} UNION ALL SELECT cid, kind, -size FROM
               ({art.format("(" + fx + ")", "NOT r.multi")})) GROUP BY cid HAVING sum(size) > 0"""


def _ent_name_stats_all(c: Corpus) -> str:
    """`_ent_name_stats` of the whole corpus as a table, once per corpus, lexicon and referent
    mapping (the unfiltered network's entity candidates: the alias-group referents are counted per
    article, ~50 ms a time at 100,000 articles)."""
    from analytics.queries.referents import build_eref

    build_eref(c)
    key = ("gent", getattr(c, "_eref_key", None))
    name = c._termsets.get(key)
    if name is None:  # the SQL is built outside the lock (_fa may take it)
        sql_text = _ent_name_stats(c, Filters())
        cte, params = _fa(c, Filters())
        name = _cached_table(c, key, lambda: (f"WITH {cte} SELECT cid, kind, size FROM ({sql_text})", params))
    return f"SELECT cid, kind, size FROM {name}"


def _ent_matrix(c: Corpus) -> tuple[np.ndarray, object, dict[int, str]]:
    """(article ids ascending, 0/1 sparse matrix articles x referent ids, referent id -> type),
    built once per referent mapping (and by `queries.warm_up` when the dashboard opens a corpus:
    ~1 s at 1,000,000 articles). Rows are every article of the postings, so no sort of the
    (article, referent) pairs is needed; repeated pairs are summed, then set to 1."""
    import scipy.sparse as sp

    from analytics.queries.referents import build_eref

    build_eref(c)
    key = getattr(c, "_eref_key", None)
    got = c._postings.get("ent")
    if got is None or got[0] != key:
        r = c.sql("SELECT e.aid, r.cid FROM ent e JOIN eref r USING (tid)")
        kinds = c.sql("SELECT cid, min(type) AS kind FROM eref GROUP BY cid")
        aids = postings._post(c).aids
        aid = r["aid"].to_numpy(dtype=np.int64)
        row = np.minimum(np.searchsorted(aids, aid), max(len(aids) - 1, 0))
        ok = aids[row] == aid if len(aids) else np.zeros(len(aid), dtype=bool)  # (every entity row's article is one)
        row, col = row[ok], r["cid"].to_numpy(dtype=np.int64)[ok]
        n = int(max(col.max(initial=0), kinds["cid"].max() if len(kinds) else 0)) + 1
        m = sp.csr_matrix((np.ones(len(row), dtype=np.float32), (row, col)), shape=(len(aids), n))
        m.sum_duplicates()
        m.data[:] = 1.0
        kind = dict(zip(kinds["cid"].astype(int), kinds["kind"], strict=True))
        got = c._postings["ent"] = (key, aids, m, kind)
    return got[1], got[2], got[3]


def _article_masks(c: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """(aid, mask) of every article's stored top-term bits (`amask`), read once per corpus."""
    am = c._postings.get("amask")
    if am is None:
        r = c.sql("SELECT aid, mask FROM amask ORDER BY aid")
        am = c._postings["amask"] = (r["aid"].to_numpy(dtype=np.int64), r["mask"].to_numpy(dtype=np.int64))
    return am


def warm_networks(c: Corpus) -> None:
    """Build the networks' per-corpus structures (referent mapping and its per-article rows, the
    article x referent matrix, the article masks) ahead of the first network of a session."""
    from analytics.queries.referents import multi_rows

    multi_rows(c)
    if postings.available(c):
        _ent_matrix(c)
    _article_masks(c)


def _ent_sizes(c: Corpus, fa_aids: np.ndarray, k: int) -> str:
    """SQL (a VALUES list) of the k entity referents (cid, kind, size) in most of the articles
    `fa_aids` (ties by cid): `_ent_name_stats` over a large arbitrary set, as one sparse product
    over the (article, referent) pairs, built once per referent mapping."""
    aids, m, kind = _ent_matrix(c)
    sel = postings.selection(aids, fa_aids)
    size = np.rint(m.T @ sel).astype(np.int64)
    cid = np.flatnonzero(size > 0)
    pick = cid[np.lexsort((cid, -size[cid]))][:k]
    if not len(pick):
        return "SELECT NULL::INTEGER AS cid, NULL::VARCHAR AS kind, NULL::BIGINT AS size WHERE FALSE"
    vals = ", ".join(f"({int(x)}, {sql_str(str(kind[int(x)]))}, {int(size[x])})" for x in pick)
    return f"SELECT CAST(cid AS INTEGER) AS cid, kind, CAST(size AS BIGINT) AS size FROM (VALUES {vals}) v(cid, kind, size)"


@lru_cache(maxsize=1)
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _gram(bits: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """bits.T @ diag(weights) @ bits on one BLAS thread: on a busy 2-core machine OpenBLAS's two
    spinning threads took 0.2-1.5 s for the 40 x 100,000 product of a network (50 ms on one)."""
    with _blas().limit(limits=1, user_api="blas"):
        w = bits if weights is None else bits * weights[:, None]
        return w.T @ bits


def _pair_counts(c: Corpus, pres_sql: str, params: list, n: int) -> np.ndarray:
    """n x n co-occurrence counts of node indexes 0..n-1 from a query of (aid, node) rows: each
    article's set of nodes becomes a bit mask in DuckDB, the masks are counted, and only the
    distinct masks (few) are expanded here."""
    if n <= 62:
        df = c.sql(f"""WITH p AS ({pres_sql}),
                       mk AS (SELECT bit_or(CAST(1 AS BIGINT) << CAST(node AS BIGINT)) AS mask FROM p GROUP BY aid)
                       SELECT mask, count(*) AS k FROM mk GROUP BY mask""", params)
        return postings.mask_pair_counts(df["mask"].to_numpy(dtype=np.int64), df["k"].to_numpy(dtype=np.float64), n)
    pres = c.sql(f"SELECT DISTINCT aid, node FROM ({pres_sql})", params)
    aids = pd.factorize(pres["aid"])[0]
    mat = np.zeros((int(aids.max()) + 1 if len(aids) else 0, n), dtype=np.float32)
    mat[aids, pres["node"].to_numpy()] = 1.0
    return _gram(mat)


def _node_masks(c: Corpus, cte: str, params: list, idx: str, bits: dict[int, int], rows: str,
                fa_aids: np.ndarray | None) -> pd.DataFrame:
    """(mask, k): how many articles hold each set of nodes, from the stored per-article masks
    (`amask`, node i set when any of the bits in bits[i] is) OR-ed with the (aid, bit) rows of
    the nodes without a stored bit (`rows`, SQL); only the articles `fa_aids` (None: all).
    The `cooccurrence_network` SQL over amask, in numpy (one pass over the 100,000 masks instead
    of a CASE per node per article in DuckDB)."""
    aid, mask = _article_masks(c)
    if fa_aids is not None:
        inside = postings.held(fa_aids, aid)
        aid, mask = aid[inside], mask[inside]
    # node i is set when any of bits[i] is: one look-up table per byte of the stored mask (8
    # gathers over the articles instead of a pass per node)
    lut = np.zeros((8, 256), dtype=np.int64)
    v = np.arange(256, dtype=np.int64)
    for node, b in bits.items():
        for j in range(8):
            bj = (int(b) >> (8 * j)) & 255
            if bj:
                lut[j] |= np.where((v & bj) != 0, np.int64(1) << np.int64(node), np.int64(0))
    out = np.zeros(len(aid), dtype=np.int64)
    by = np.ascontiguousarray(mask, dtype="<i8").view(np.uint8).reshape(-1, 8)
    for j in range(8):
        if lut[j].any():
            out |= lut[j][by[:, j]]
    if rows:
        ex = c.sql(f"WITH {cte}, ix(cid, node) AS (VALUES {idx}) SELECT * FROM ({rows})", params)
        ea = ex.iloc[:, 0].to_numpy(dtype=np.int64)
        eb = ex.iloc[:, 1].to_numpy(dtype=np.int64)
        # rows of articles with a stored mask OR into it; the others' rows form their own masks
        inside = postings.held(aid, ea)
        np.bitwise_or.at(out, np.searchsorted(aid, ea[inside]), eb[inside])
        alone, inv = np.unique(ea[~inside], return_inverse=True)
        more = np.zeros(len(alone), dtype=np.int64)
        np.bitwise_or.at(more, inv, eb[~inside])
        out = np.concatenate([out, more])
    masks, k = np.unique(out[out != 0], return_counts=True)
    return pd.DataFrame({"mask": masks, "k": k})


def cooccurrence_network(c: Corpus, f: Filters, n_nodes: int = 40, min_weight: int = 2,
                         include_entities: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top terms (and entities) by articles as nodes; edges weighted by articles holding both.

    nodes: id (the label), label, kind ("term" or the entity type), size (articles);
    edges: source, target (node ids), weight >= min_weight. Candidates come from the aggregates
    when the filters allow it; pairs are counted only among the chosen nodes."""
    cte, params = _fa(c, f)
    k = int(n_nodes)
    stats = _ent_name_stats_all(c) if include_entities and _unfiltered(c, f) and c.use_aggregates else None
    fa_aids = None  # the filtered articles' ids, when read for the sums below (read once)
    if include_entities and stats is None and _plan(c, f)[0] == "art" and postings.available(c):
        fa_aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
        stats = _ent_sizes(c, fa_aids, k)
    ent = (f"""UNION ALL SELECT * FROM (SELECT cid, kind, size FROM ({stats or _ent_name_stats(c, f)})
              ORDER BY size DESC, cid LIMIT {k})""" if include_entities else "")
    if _unfiltered(c, f):
        top_df = f"SELECT cid, 'term' AS kind, df AS size FROM gstat ORDER BY size DESC, cid LIMIT {k}"
    elif postings.available(c):  # numpy sums over the filtered articles (faster than the cells' sums too)
        if fa_aids is None:
            fa_aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
        cid, _, df = postings.subset_freq(c, fa_aids, tf=False)
        pick = np.lexsort((cid, -df))[:k]
        top_df = (f"SELECT * FROM (VALUES {', '.join(f'({int(a)}, {int(b)})' for a, b in zip(cid[pick], df[pick], strict=True))})"
                  f" v(cid, size)" if len(pick) else "SELECT NULL::INTEGER AS cid, NULL::BIGINT AS size WHERE FALSE")
        top_df = f"SELECT CAST(cid AS INTEGER) AS cid, 'term' AS kind, CAST(size AS BIGINT) AS size FROM ({top_df})"
    else:
        top_df = f"""SELECT cid, 'term' AS kind, df AS size FROM ({_freq(c, f)}) ORDER BY size DESC, cid LIMIT {k}"""
    nd = c.sql(f"""WITH {cte},
        cand AS (SELECT * FROM ({top_df}) {ent})
        SELECT cid, n.term, coalesce(max(CASE WHEN kind <> 'term' THEN kind END), 'term') AS kind,
               max(size) AS size FROM cand JOIN cnames n USING (cid) GROUP BY cid, n.term
        ORDER BY size DESC, cid LIMIT {k}""", params)
    node_df = pd.DataFrame({"id": nd["term"], "label": nd["term"], "kind": nd["kind"],
                            "size": nd["size"].astype("int64")})
    node_df = node_df.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)
    edge_cols = ["source", "target", "weight"]
    if nd.empty:
        return node_df, pd.DataFrame(columns=edge_cols)
    # presence of the node terms per article, read only for the node ids (tm is ordered by term id)
    node_cids = nd["cid"].tolist()
    idx = ", ".join(f"({int(x)}, {i})" for i, x in enumerate(node_cids))
    cids = _in_ints(node_cids)
    tids = _in_ints(c.sql(f"SELECT tid FROM lexv WHERE cid IN {cids} AND NOT stop")["tid"].tolist())
    etids = _in_ints(c.sql(f"SELECT tid FROM eref WHERE cid IN {cids}")["tid"].tolist()) if include_entities else "(-1)"
    ent_pres = (f"UNION ALL SELECT e.aid, r.cid FROM ent e JOIN eref r USING (tid) "
                f"WHERE e.tid IN {etids} AND e.aid IN (SELECT aid FROM fa)" if include_entities else "")
    pres = f"""WITH {cte}, ix(cid, node) AS (VALUES {idx})
               SELECT r.aid, ix.node FROM (SELECT tm.aid, l.cid FROM tm JOIN lexv l USING (tid)
                                           WHERE tm.tid IN {tids} AND tm.aid IN (SELECT aid FROM fa)
                                           {ent_pres}) r JOIN ix USING (cid)"""
    co = None
    if len(node_cids) <= 62 and c.use_aggregates:  # the node terms are among the pre-masked top terms: read one mask per article
        tb = c.sql(f"""SELECT l.cid, l.tid, b.bit FROM lexv l LEFT JOIN topbits b USING (tid)
                       WHERE l.cid IN {cids} AND NOT l.stop""")
        if tb["bit"].notna().any():  # terms without a bit (entity names, rarer terms) add their own rows
            node_of = {int(x): i for i, x in enumerate(node_cids)}
            bits: dict[int, int] = {}
            for cid, bit in zip(tb["cid"], tb["bit"], strict=True):
                if not pd.isna(bit):
                    bits[node_of[int(cid)]] = bits.get(node_of[int(cid)], 0) | (1 << int(bit))
            in_fa = "TRUE" if _unfiltered(c, f) else "m.aid IN (SELECT aid FROM fa)"
            unmasked = tb.loc[tb["bit"].isna(), "tid"].tolist()
            # the (aid, node bit) rows of the node terms without a bit and of the entity nodes
            parts = [f"""SELECT t.aid, CAST(1 AS BIGINT) << CAST(ix.node AS BIGINT) FROM tm t
                         JOIN lexv l USING (tid) JOIN ix USING (cid)
                         WHERE t.tid IN {_in_ints(unmasked)} AND {in_fa.replace("m.aid", "t.aid")}"""] if unmasked else []
            if include_entities:
                parts.append(f"""SELECT e.aid, CAST(1 AS BIGINT) << CAST(ix.node AS BIGINT) FROM ent e
                                 JOIN eref r USING (tid) JOIN ix USING (cid)
                                 WHERE e.tid IN {etids} AND {in_fa.replace("m.aid", "e.aid")}""")
            remap = " | ".join(f"(CASE WHEN m.mask & {b} <> 0 THEN {1 << i} ELSE 0 END)" for i, b in bits.items())
            ent_rows = "".join(" UNION ALL " + p for p in parts)
            if postings.available(c):  # the same masks in numpy: one pass over the article masks
                rows = " UNION ALL ".join(parts)
                df = _node_masks(c, cte, params, idx, bits, rows,
                                 None if _unfiltered(c, f) else fa_aids if fa_aids is not None else
                                 postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params))
            else:
                df = c.sql(f"""WITH {cte}, ix(cid, node) AS (VALUES {idx}),
                               r AS (SELECT m.aid, CAST({remap or '0'} AS BIGINT) AS b FROM amask m
                                     WHERE {in_fa} {ent_rows}),
                               mk AS (SELECT bit_or(b) AS mask FROM r GROUP BY aid)
                               SELECT mask, count(*) AS k FROM mk WHERE mask <> 0 GROUP BY mask""", params)
            co = postings.mask_pair_counts(df["mask"].to_numpy(dtype=np.int64), df["k"].to_numpy(dtype=np.float64),
                                              len(node_cids))
    if co is None:
        co = _pair_counts(c, pres, params, len(node_cids))
    i, j = np.triu_indices(len(node_cids), k=1)
    w = np.rint(co[i, j]).astype(np.int64)
    keep = w >= int(min_weight)
    names = nd["term"].tolist()
    a, b = [names[x] for x in i[keep]], [names[y] for y in j[keep]]
    edge_df = pd.DataFrame({"source": [min(x, y) for x, y in zip(a, b, strict=True)],
                            "target": [max(x, y) for x, y in zip(a, b, strict=True)], "weight": w[keep]})
    edge_df = edge_df.sort_values(["weight", "source", "target"], ascending=[False, True, True])
    return node_df, edge_df.reset_index(drop=True)[edge_cols]


def _newest_hits(c: Corpus, cte: str, params: list, term: str, tids: list[int], limit: int) -> pd.DataFrame:
    """(article_id, published, source, pos, aid) of the first `limit` sentences holding any of `tids`
    in the filtered articles holding `term`, newest article first (then id, pos), from the term's
    sentence set (`_term_sentences`, built once per term) instead of its rows of the sentence-term
    table under every filter."""
    return c.sql(f"""WITH {cte}, xa AS (SELECT fa.* FROM fa WHERE aid IN ({_term_aids(c, term)})),
        h AS (SELECT aid, pos FROM ({_term_sentences(c, term, tids)}) WHERE aid IN (SELECT aid FROM xa))
        SELECT xa.id AS article_id, xa.published, xa.source, h.pos, h.aid FROM h JOIN xa USING (aid)
        ORDER BY xa.published DESC NULLS LAST, xa.id, h.pos LIMIT {int(limit)}""", params)


def kwic(c: Corpus, f: Filters, term: str, width: int = 40, limit: int = 200) -> pd.DataFrame:
    """Concordance lines from the sentences of filtered articles: one line per occurrence of the
    term or any alias variant, newest first: article_id, published, source, left, keyword, right."""
    cols = ["article_id", "published", "source", "left", "keyword", "right"]
    forms = _variants(c, term)
    tids = _variant_tids(c, term)
    if not tids:
        return pd.DataFrame(columns=cols)
    cte, params = _fa(c, f)
    df = _with_text(c, _newest_hits(c, cte, params, term, tids, int(limit)))
    rows = []
    # every spelling of the term, spaces optional between its letters (현지 시각 = 현지시각);
    # inside a compound the typed letters are the keyword (전기차 in 전기차업체)
    keys = sorted({squeeze(x) for x in [term, *forms] if squeeze(x)}, key=len, reverse=True)
    needle = re.compile("|".join(r"\s*".join(map(re.escape, k)) for k in keys), re.IGNORECASE)
    for r in df.itertuples(index=False):
        hits = [(m.start(), m.end()) for m in needle.finditer(r.text)]
        for lo, hi in hits or [(len(r.text), len(r.text))]:
            rows.append((r.article_id, r.published, r.source, r.text[max(0, lo - width):lo],
                         r.text[lo:hi], r.text[hi:hi + width]))
    return pd.DataFrame(rows[:limit], columns=cols)
