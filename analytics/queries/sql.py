"""SQL shared by every query: the filtered-articles CTE, keyword-query SQL, and the choice between
pre-aggregated cells and per-article rows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from analytics.config import UNKNOWN
from analytics.filters import Filters, aggregate_where, article_where, parse_tree
from analytics.queries import postings, texts
from analytics.queries.corpus import AGG_LEVELS, GRANULARITIES, Corpus, _period  # noqa: F401
from analytics.store import sql_str

# ---- shared SQL ------------------------------------------------------------------------------



def _query_sql(c: Corpus, query: str) -> tuple[str, list]:
    """`Filters.query` -> a condition on `a.aid` (aliases applied, stopwords ignored for matching).

    The query's boolean tree is evaluated over per-term article sets: a term is the aids holding
    any of its forms (`_variant_tids`, the one place that says which stored terms match a typed
    term), AND is INTERSECT, OR is UNION. The SQL grows linearly with the query (never the
    exponential OR-of-ANDs expansion) and its nesting is bounded by the parenthesis limit."""
    tree = parse_tree(query)
    if tree is None:
        return "TRUE", []
    memo: dict[str, str] = {}

    def sets(node) -> str:
        if node[0] == "term":
            if node[1] not in memo:
                memo[node[1]] = _term_aids(c, node[1])
            return memo[node[1]]
        op = " INTERSECT " if node[0] == "and" else " UNION "
        return op.join(f"SELECT aid FROM ({sets(kid)})" for kid in node[1])

    return f"a.aid IN ({sets(tree)})", []


# a typed term's article set, materialised once per corpus and lexicon: the sidebar's keyword
# query is the filter of every query on a page (and query_trend combines it with each series), so
# the scan of tm for a frequent term's forms is paid once, not per query
TERM_SETS_MAX = 64  # at most this many cached sets per corpus (then inline; each <= 4 bytes/article)
_TERM_SETS_LOCK = threading.Lock()


def _cached_table(c: Corpus, key: tuple, build: Callable[[], tuple[str, list]], cap: int | None = None) -> str | None:
    """The name of a table holding `build()`'s (SELECT, params), created once per corpus and `key`
    (`key[0]` is its kind and the table's prefix) under one lock, so concurrent page queries build
    it once; None once `cap` tables of that kind exist (the caller inlines). `build` runs under the
    lock: it must not take it. Names are never reused, so SQL built earlier stays right."""
    name = c._termsets.get(key)
    if name is not None:
        return name
    with _TERM_SETS_LOCK:
        name = c._termsets.get(key)
        if name is None:
            if cap is not None and sum(1 for k in c._termsets if k[0] == key[0]) >= cap:
                return None
            select, params = build()
            name = f"_{key[0]}_{len(c._termsets)}"
            cur = c.con.cursor()
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {name} AS {select}", params)
            finally:
                cur.close()
            c._termsets[key] = name
    return name


def _term_aids_inline(c: Corpus, term: str) -> str:
    """SQL selecting the aids holding any form of `term` (a scan of tm)."""
    return f"SELECT aid FROM tm WHERE tid IN {_in_ints(_variant_tids(c, term))}"


def _term_aids(c: Corpus, term: str) -> str:
    """SQL selecting the aids holding any form of `term`: from its materialised set (same rows as
    `_term_aids_inline`), built on first use; inline once TERM_SETS_MAX sets exist."""
    name = _cached_table(c, ("termset", c.lexicon_key, term),
                         lambda: (f"SELECT DISTINCT aid FROM ({_term_aids_inline(c, term)}) ORDER BY aid", []),
                         TERM_SETS_MAX)
    return _term_aids_inline(c, term) if name is None else f"SELECT aid FROM {name}"


def _where(c: Corpus, f: Filters) -> tuple[str, list]:
    w = article_where(f)
    q, qp = _query_sql(c, f.query)
    return f"{w.where} AND {q}", w.params + qp


def _fa(c: Corpus, f: Filters, extra: str = "TRUE", extra_params: list | None = None) -> tuple[str, list]:
    """The shared CTE `fa`: filtered articles (aid, id, published, source, title, cluster_id)."""
    where, params = _where(c, f)
    cte = (f"fa AS (SELECT a.aid, a.id, a.published, coalesce(a.source, '{UNKNOWN}') AS source, a.title, "
           f"a.cluster_id FROM art a WHERE {where} AND {extra})")
    return cte, params + list(extra_params or [])


def _article_keys(c: Corpus, granularity: str, by_source: bool) -> tuple[np.ndarray, pd.DataFrame]:
    """(code per article of the postings' list, keys): each article's (period[, source]) of `fa`
    (`_period(granularity)` of its date, its source or UNKNOWN) as a row number of `keys`, the
    distinct values as DuckDB gives them; read once per corpus, granularity and grouping."""
    name = ("keys", granularity, by_source)
    got = c._postings.get(name)
    if got is None:
        cols = "period, source" if by_source else "period"
        df = c.sql(f"SELECT aid, {_period(granularity, 'published')} AS period"
                   f"{f', coalesce(source, {sql_str(UNKNOWN)}) AS source' if by_source else ''} FROM art")
        aids = postings._post(c).aids
        keys = df.drop(columns="aid").drop_duplicates(ignore_index=True)
        code = keys.reset_index().merge(df, on=cols.split(", "), how="right")
        out = np.full(len(aids), -1, dtype=np.int32)
        out[np.searchsorted(aids, code["aid"].to_numpy(dtype=np.int64))] = code["index"].to_numpy(dtype=np.int32)
        got = c._postings[name] = (out, keys)
    return got


def _window_aids(c: Corpus, cte: str, params: list, first: tuple[date, date], second: tuple[date, date]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The filtered articles (`fa` of `cte`) published in the window `first`, and those in `second`
    but not in `first` (an article in both counts for the first, as the SQL's CASE), ascending."""
    aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
    days = article_days(c)[np.searchsorted(postings._post(c).aids, aids)]

    def within(w: tuple[date, date]) -> np.ndarray:
        return (days >= _day(w[0])) & (days <= _day(w[1]))

    a = within(first)
    return aids[a], aids[within(second) & ~a]


_EPOCH = date(1970, 1, 1)
NO_DAY = -(2**62)  # an undated article's day: in no window


def _day(d: date) -> int:
    return (d - _EPOCH).days


def article_days(c: Corpus) -> np.ndarray:
    """Each article's date (days since 1970-01-01; NO_DAY when undated) in the postings' article
    order, once per corpus: a date window of the filtered articles in numpy, not a query per window."""
    got = c._postings.get("days")
    if got is None:
        r = c.sql(f"SELECT aid, coalesce(date_diff('day', DATE '1970-01-01', published), {NO_DAY}) AS d FROM art")
        aids = postings._post(c).aids
        got = np.full(len(aids), NO_DAY, dtype=np.int64)
        got[np.searchsorted(aids, r["aid"].to_numpy(dtype=np.int64))] = r["d"].to_numpy(dtype=np.int64)
        c._postings["days"] = got
    return got


def _unfiltered(c: Corpus, f: Filters) -> bool:
    """True when the filters select every article (whole-corpus aggregates then apply)."""
    return _where(c, f)[0] == "TRUE AND TRUE"


# ---- pre-aggregates --------------------------------------------------------------------------
class _Cells(str):
    """A condition on `cell` (the string) for the aggregate tables of level `sfx` (agg{sfx}, ...)."""

    sfx: str = ""


def _cell_cond(ids: np.ndarray, sfx: str) -> _Cells:
    if len(ids) == 0:
        out = _Cells("FALSE")
    elif int(ids[-1]) - int(ids[0]) + 1 == len(ids):
        out = _Cells(f"cell BETWEEN {int(ids[0])} AND {int(ids[-1])}")
    else:
        out = _Cells(f"cell BETWEEN {int(ids[0])} AND {int(ids[-1])} AND "
                     f"cell IN (SELECT unnest([{', '.join(str(int(x)) for x in ids)}]))")
    out.sfx = sfx
    return out


def _agg_cells(c: Corpus, f: Filters, start: date | None = None, end: date | None = None) -> _Cells | None:
    """A condition on `cell` selecting the aggregate cells of `f` (optionally within the whole
    months [start, end]), or None when `f` needs the per-article path. The condition is for the
    coarsest roll-up whose cells the filters select whole (its tables: agg{cond.sfx}, ...)."""
    if not c.use_aggregates:
        return None
    w = aggregate_where(f)
    if w is None:
        return None
    key = (f, start, end)
    cond = c._cells.get(key)
    if cond is None:
        if "__cells" not in c._cells:
            c._cells["__cells"] = c.sql("SELECT cell, c1, c2, c3 FROM cells ORDER BY cell")
        allc = c._cells["__cells"]
        extra, ep = "TRUE", []
        if start is not None:
            extra, ep = "a.published BETWEEN ? AND ?", [start, end]
        sel = c.sql(f"SELECT cell FROM cells a WHERE {w.where} AND {extra} ORDER BY cell", w.params + ep)["cell"]
        picked = allc["cell"].isin(sel).to_numpy()
        cond = _cell_cond(sel.to_numpy(), "")
        for lv in AGG_LEVELS[:-1]:
            coarse = allc[f"c{lv}"].to_numpy()
            inside = np.unique(coarse[picked])
            if not np.isin(coarse[~picked], inside).any():  # every coarse cell selected whole or not at all
                cond = _cell_cond(inside, lv)
                break
        if len(c._cells) > 256:
            c._cells.clear()
        c._cells[key] = cond
    return cond


def _multi_rows(c: Corpus) -> str:
    """(aid, cid, count) rows of the alias groups with several raw forms: an article may hold two
    forms, so their article counts cannot be summed from the aggregates."""
    return "(SELECT aid, cid, count FROM mrows)"  # summed once per lexicon (queries/corpus.py)


def _multi_sentences(c: Corpus) -> str:
    """A table of (aid, pos, label, cid): the sentences holding an alias group (a canonical term
    with several raw forms), one row per sentence and group, built once per corpus and lexicon:
    the groups' raw ids are spread over the whole sentence-term table, so finding them per query
    scanned all of it (0.3-0.5 s at 100,000 articles)."""
    return _cached_table(c, ("msent", c.lexicon_key), lambda: (
        f"""SELECT DISTINCT st.aid, st.pos, s.label, l.cid
            FROM st JOIN lexv l USING (tid) JOIN sent s USING (aid, pos)
            WHERE st.tid IN {_in_ints(c.multi_tids)} AND NOT l.stop ORDER BY st.aid""", []))


def _driver_sums(sfx: str, msent: str, cells: object = "TRUE", in_fa: str = "TRUE") -> str:
    """SQL of (cid, sentences, negative, neutral, positive, articles) per canonical term (stopwords
    out): the aggregate cells `cells` of sagg<sfx>, plus the alias groups' sentences (`msent`, from
    `_multi_sentences`: one row per sentence and group) of the articles `in_fa`. Ends in GROUP BY
    cid, so a caller may add HAVING."""
    return f"""SELECT cid, sum(sentences) AS sentences, sum(negative) AS negative, sum(neutral) AS neutral,
                      sum(positive) AS positive, sum(articles) AS articles FROM (
                 SELECT l.cid, sum(x.n) AS sentences, sum(x.neg) AS negative, sum(x.neu) AS neutral,
                        sum(x.pos) AS positive, sum(x.articles) AS articles
                 FROM sagg{sfx} x JOIN lexv l USING (tid) WHERE {cells} AND NOT l.stop AND NOT l.multi GROUP BY l.cid
                 UNION ALL
                 SELECT cid, count(*), count(*) FILTER (WHERE label = 'negative'),
                        count(*) FILTER (WHERE label = 'neutral'), count(*) FILTER (WHERE label = 'positive'),
                        count(DISTINCT aid) FROM {msent} WHERE {in_fa} GROUP BY cid)
               GROUP BY cid"""


def _whole_drivers(c: Corpus) -> str:
    """A table of `_driver_sums` over the whole corpus, summed once per corpus and lexicon like
    `gstat` (the unfiltered drivers: 850,000 aggregate rows grouped into 137,000 terms at 100,000
    articles, ~170 ms a time)."""
    msent = _multi_sentences(c)  # (takes the lock itself: not inside build)
    # the coarsest cells: every one of them is the whole corpus
    return _cached_table(c, ("gsent", c.lexicon_key), lambda: (_driver_sums(AGG_LEVELS[0], msent), []))


TARGET_SETS_MAX = 64  # cached target sentence sets per corpus (then inline)


def _target_sentences(c: Corpus, tids: list[int]) -> str:
    """SQL selecting the distinct (aid, pos, label, score) sentences that name any of `tids` (a
    target's term and entity ids), materialised once per corpus, lexicon and target: a frequent
    name's forms are spread over the index `tsx` (139 ids over a third of its row groups for the
    most named entity at 100,000 articles, ~130 ms a read), and the sentiment page reads the same
    target under every filter it is shown with."""
    inline = f"SELECT DISTINCT aid, pos, label, score FROM tsx WHERE tid IN {_in_ints(tids)}"
    name = _cached_table(c, ("target", c.lexicon_key, tuple(sorted(tids))),
                         lambda: (f"{inline} ORDER BY aid, pos", []), TARGET_SETS_MAX)
    return inline if name is None else f"SELECT aid, pos, label, score FROM {name}"


def _term_sentences(c: Corpus, term: str, tids: list[int]) -> str:
    """SQL selecting the distinct (aid, pos) sentences holding any of `tids` (a typed term's
    forms), materialised once per corpus, lexicon and term like its article set (`_term_aids`):
    a frequent term's forms are hundreds of ids spread over the sentence-term table."""
    inline = f"SELECT DISTINCT aid, pos FROM st WHERE tid IN {_in_ints(tids)}"
    name = _cached_table(c, ("tsent", c.lexicon_key, term), lambda: (f"{inline} ORDER BY aid, pos", []),
                         TERM_SETS_MAX)
    return inline if name is None else f"SELECT aid, pos FROM {name}"


TARGET_TERMS_MAX = 16  # cached target word sets per corpus (each up to a few MB), then none


def _target_terms(c: Corpus, tids: list[int]) -> str | None:
    """A table of the distinct (aid, pos, label, cid) words of the sentences naming a target
    (`_target_sentences`; the target's own raw ids and stopwords out), once per corpus, lexicon
    and target: the drivers towards a target then group these rows by word under each filter
    instead of unnesting the sentences' term lists again (~200 ms for the most named entity at
    100,000 articles). None once TARGET_TERMS_MAX sets exist (the caller inlines)."""
    sents = _target_sentences(c, tids)  # (takes the lock itself: not inside build)
    return _cached_table(c, ("tterms", c.lexicon_key, tuple(sorted(tids))), lambda: (f"""
                    SELECT DISTINCT x.aid, x.pos, t.label, l.cid
                    FROM (SELECT s.aid, s.pos, unnest(s.tids) AS tid FROM stl s
                          WHERE (s.aid, s.pos) IN (SELECT (aid, pos) FROM ({sents}))) x
                    JOIN ({sents}) t USING (aid, pos) JOIN lexv l USING (tid)
                    WHERE x.tid NOT IN {_in_ints(tids)} AND NOT l.stop ORDER BY x.aid""", []), TARGET_TERMS_MAX)


def _lit(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, date):
        return f"DATE '{v.isoformat()}'"
    return sql_str(str(v))


def _inline(sql: str, params: list) -> str:
    """Positional parameters written into the SQL as literals (for a subquery placed anywhere)."""
    parts = sql.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError("parameter count mismatch")
    return parts[0] + "".join(_lit(v) + p for v, p in zip(params, parts[1:], strict=True))


def _plan(c: Corpus, f: Filters) -> tuple[str, _Cells | None, str]:
    """How to count over `f`'s articles: ("agg", cells, "") from the aggregates; ("comp", cells,
    fx) when `f` has a keyword query matching most articles: the aggregates of the filters without
    the query minus the per-article counts of the few articles it excludes (subquery `fx` of aids);
    ("art", None, "") per article over `fa`."""
    cells = _agg_cells(c, f)
    if cells is not None:
        return "agg", cells, ""
    if not f.query.strip() or not c.use_aggregates:
        return "art", None, ""
    base = Filters(**{**f.__dict__, "query": ""})
    bcells = _agg_cells(c, base)
    if bcells is None:
        return "art", None, ""
    key = ("comp", f)
    if key not in c._cells:
        w = article_where(base)
        qc, _ = _query_sql(c, f.query)
        fx = _inline(f"SELECT a.aid FROM art a WHERE {w.where} AND NOT {qc}", w.params)
        n_out, n_base = c.sql(f"SELECT (SELECT count(*) FROM ({fx})) AS o, "
                              f"(SELECT count(*) FROM art a WHERE {_inline(w.where, w.params)}) AS b").iloc[0]
        c._cells[key] = fx if n_out * 2 < n_base else ""
    fx = c._cells[key]
    return ("comp", bcells, fx) if fx else ("art", None, "")


def _art_freq(c: Corpus, fa: str, lim: str, multi: bool = True) -> str:
    """(cid, tf, df) per article over the aid set `fa` (a table name or a parenthesised subquery)."""
    return f"""SELECT l.cid, sum(r.tf) AS tf, sum(r.df) AS df
               FROM (SELECT t.tid, sum(t.count) AS tf, count(*) AS df FROM tma t JOIN {fa} x USING (aid)
                     GROUP BY t.tid) r JOIN lexv l USING (tid)
               WHERE NOT l.stop AND NOT l.multi{lim.replace("cid", "l.cid", 1)} GROUP BY l.cid""" + (f"""
               UNION ALL
               SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN {fa} x USING (aid)
               WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid""" if multi else "")


def _freq(c: Corpus, f: Filters, only: str = "") -> str:
    """SQL of (cid, tf, df) over the filtered articles `fa` (stopwords out); `only`: a subquery of
    cids to restrict to. From the aggregates when the filters allow it (see _plan)."""
    how, cells, fx = _plan(c, f)
    lim = f" AND cid IN ({only})" if only else ""
    if how == "art":
        return _art_freq(c, "(SELECT aid FROM fa)", lim)
    agg = f"""SELECT l.cid, sum(g.tf) AS tf, sum(g.df) AS df FROM agg{cells.sfx} g JOIN lexv l USING (tid)
               WHERE {cells} AND NOT l.stop AND NOT l.multi{lim.replace("cid", "l.cid", 1)} GROUP BY l.cid"""
    if how == "agg":
        return f"""{agg} UNION ALL
                   SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN fa USING (aid)
                   WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid"""
    return f"""SELECT cid, sum(tf) AS tf, sum(df) AS df FROM
               ({agg} UNION ALL SELECT cid, -tf, -df FROM ({_art_freq(c, f"({fx})", lim, multi=False)})
                UNION ALL SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN fa USING (aid)
                WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid)
               GROUP BY cid HAVING sum(tf) > 0"""


def _tf(c: Corpus, f: Filters, fa: str = "fa", name: str = "tf") -> str:
    """SQL of (cid, <name>) occurrences over the filtered articles `fa` (stopwords out)."""
    how, cells, fx = _plan(c, f)
    if how == "art":
        return f"SELECT cid, tf AS {name} FROM ({_art_freq(c, f'(SELECT aid FROM {fa})', '')})"
    agg = (f"SELECT l.cid, sum(g.tf) AS tf, sum(g.df) AS df FROM agg{cells.sfx} g JOIN lexv l USING (tid) "
           f"WHERE {cells} AND NOT l.stop GROUP BY l.cid")
    if how == "agg":
        return f"SELECT cid, tf AS {name} FROM ({agg})"
    return f"""SELECT cid, sum(tf) AS {name} FROM ({agg} UNION ALL
               SELECT cid, -tf, -df FROM ({_art_freq(c, f"({fx})", "")})) GROUP BY cid HAVING sum(tf) > 0"""


def _term_rows(c: Corpus, terms: list[str]) -> str:
    """A subquery of the (aid, cid, count) rows of a few terms (all alias variants), read by term id."""
    tids = [t for term in terms for t in _variant_tids(c, term)]
    return (f"(SELECT tm.aid, l.cid, tm.count FROM tm JOIN lexv l USING (tid) "
            f"WHERE tm.tid IN {_in_ints(tids)} AND NOT l.stop)")


def _cids(c: Corpus, terms: list[str]) -> list[int]:
    if not terms:
        return []
    canon = [c.canon(t) for t in terms]
    df = c.sql(f"SELECT cid FROM cnames WHERE term IN ({', '.join('?' * len(canon))})", canon)
    return [int(x) for x in df["cid"]]


def _variant_tids(c: Corpus, term: str) -> list[int]:
    """Vocabulary ids of every stored form that is an occurrence of `term`: its alias and spacing
    variants and the compounds/phrases holding it (`analytics.queries.matching.matching_tids`)."""
    from analytics.queries.matching import matching_tids

    return matching_tids(c, term)


def _in_ints(ids: list[int]) -> str:
    """A literal integer IN list (constant lists let DuckDB skip row groups by min/max)."""
    return "(" + ", ".join(str(int(i)) for i in ids or [-1]) + ")"


TEXT_RANGE_GAP = 1_000 * 256  # aid units (AID_GAP each): hits closer than ~1,000 articles read as one range


def _aid_ranges(aids: list[int], gap: int = TEXT_RANGE_GAP) -> str:
    """`aid BETWEEN lo AND hi OR ...` covering `aids`, one range per run of aids less than `gap` apart."""
    a = np.unique(np.asarray(aids, dtype=np.int64))
    if len(a) == 0:
        return "FALSE"
    cut = np.flatnonzero(np.diff(a) > gap)
    lo, hi = a[np.r_[0, cut + 1]], a[np.r_[cut, len(a) - 1]]
    return " OR ".join(f"aid BETWEEN {int(x)} AND {int(y)}" for x, y in zip(lo, hi, strict=True))


def _with_text(c: Corpus, hits: pd.DataFrame) -> pd.DataFrame:
    """Add each hit's sentence text, read from the text table for those few articles only (by
    article id: the hits are mostly recent articles, a few row groups)."""
    if hits.empty:
        return hits.assign(text=pd.Series(dtype=object))
    if "aid" in hits.columns:  # the caller kept the article's query-table id: no lookup by article id
        amap = hits[["aid", "article_id"]].drop_duplicates()
    else:
        ids = sorted(set(hits["article_id"]))
        amap = c.sql(f"SELECT aid, id AS article_id FROM art WHERE id IN ({', '.join('?' * len(ids))})", ids)
    p = postings._post(c) if postings.available(c) else None
    if p is not None and p.segs and all(s.texts is not None for s in p.segs):  # the compressed file (`texts`)
        at = hits.merge(amap, on="article_id", how="left") if "aid" not in hits.columns else hits
        aid = at["aid"].to_numpy(dtype=np.float64)
        ok = ~np.isnan(aid)
        got: list = [np.nan] * len(hits)  # (as the SQL path's left merge leaves a missing text)
        found = texts.lookup([s.texts for s in p.segs], aid[ok].astype(np.int64), at["pos"].to_numpy()[ok])
        for j, t in zip(np.flatnonzero(ok).tolist(), found, strict=True):
            got[j] = t
        return hits.reset_index(drop=True).assign(text=pd.Series(got, dtype="str"))
    aids = amap["aid"].astype("int64").tolist()
    # by aid ranges (the text table is in aid order): DuckDB skips the row groups outside them by
    # their min/max, and only vectors holding a hit decompress their text; its ART index fetched
    # each row alone, ~23 us a sentence (78 ms for 131 articles' 3,183 sentences at 100k, 11 ms so)
    txt = c.sql(f"SELECT aid, pos, text FROM stext WHERE ({_aid_ranges(aids)}) AND aid IN {_in_ints(aids)}")
    txt = txt.merge(amap, on="aid")[["article_id", "pos", "text"]]
    return hits.merge(txt, on=["article_id", "pos"], how="left")


def _variants(c: Corpus, term: str) -> list[str]:
    """Every raw vocabulary form that maps to `term`'s canonical form (for sentence term lists)."""
    canon = c.canon(term)
    df = c.sql("SELECT v.term FROM vocab v JOIN lexv l USING (tid) JOIN cnames n USING (cid) WHERE n.term = ?",
               [canon])
    return sorted(set(df["term"]) | {canon, term.strip()})
