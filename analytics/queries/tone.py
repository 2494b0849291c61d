"""Sentiment over time, by source, towards a target, and its drivers (감성 연관어).

Every tone figure comes with its sample: counts of negative / neutral / positive sentences and
articles next to the shares, a Wilson 95 % interval on the sentence shares, and `small` when a
group is too small to read as a trend (fewer than MIN_ARTICLES articles or MIN_SENTENCES
sentences). An article's tone is the majority of its non-neutral sentences (more negative than
positive sentences: negative; more positive: positive; otherwise neutral).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.queries import postings
from analytics.queries.corpus import Corpus
from analytics.queries.entities import referent_tids
from analytics.queries.sql import (
    _agg_cells,
    _driver_sums,
    _fa,
    _in_ints,
    _multi_sentences,
    _period,
    _target_sentences,
    _target_terms,
    _unfiltered,
    _variant_tids,
    _whole_drivers,
    _with_text,
)

MIN_ARTICLES = 10
MIN_SENTENCES = 30
Z95 = 1.959963984540054

# per article: sentence counts by label and the score sum
_SA = """sa AS (SELECT s.aid, s.n, s.neg, s.pos, s.score_sum FROM asn s JOIN fa USING (aid))"""
# (asn: those counts per article, summed once by queries/build.py instead of per query)
_COUNTS = """count(*) AS articles, sum(sa.n) AS sentences,
             sum(sa.neg) AS neg_sentences, sum(sa.n - sa.neg - sa.pos) AS neu_sentences, sum(sa.pos) AS pos_sentences,
             count(*) FILTER (WHERE sa.neg > sa.pos) AS neg_articles,
             count(*) FILTER (WHERE sa.neg = sa.pos) AS neu_articles,
             count(*) FILTER (WHERE sa.pos > sa.neg) AS pos_articles,
             sum(sa.score_sum) / nullif(sum(sa.n), 0) AS mean_score"""
_INTS = ("articles", "sentences", "neg_sentences", "neu_sentences", "pos_sentences",
         "neg_articles", "neu_articles", "pos_articles")


def wilson(k: np.ndarray | int, n: np.ndarray | int, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of k successes in n (NaN where n = 0). Sentences of one article are
    not independent, so on sentence shares this interval is too narrow rather than too wide."""
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Shares, intervals and the small-group flag from the counts."""
    for col in _INTS:
        df[col] = df[col].fillna(0).astype("int64")
    n, a = df["sentences"].to_numpy(), df["articles"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        for t in ("neg", "neu", "pos"):
            df[f"{t}_share"] = np.where(n > 0, df[f"{t}_sentences"] / np.where(n > 0, n, 1), np.nan)
            df[f"{t}_article_share"] = np.where(a > 0, df[f"{t}_articles"] / np.where(a > 0, a, 1), np.nan)
    for t in ("neg", "pos"):
        lo, hi = wilson(df[f"{t}_sentences"].to_numpy(), n)
        df[f"{t}_lo"], df[f"{t}_hi"] = lo, hi
    df["small"] = (df["articles"] < MIN_ARTICLES) | (df["sentences"] < MIN_SENTENCES)
    return df


def sentiment_over_time(c: Corpus, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Tone per period and source: sentence and article counts by label, their shares, the mean
    sentence score, Wilson intervals on the negative / positive sentence shares, and `small`."""
    per = _period(granularity, "fa.published")
    cte, params = _fa(c, f)
    df = c.sql(f"""WITH {cte}, {_SA} SELECT {per} AS period, fa.source, {_COUNTS}
                   FROM fa JOIN sa USING (aid) GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params)
    return _finish(df)


def sentiment_by_source(c: Corpus, f: Filters) -> pd.DataFrame:
    """Tone per source, the same columns as `sentiment_over_time` without the period; most articles first."""
    cte, params = _fa(c, f)
    df = c.sql(f"""WITH {cte}, {_SA} SELECT fa.source, {_COUNTS}
                   FROM fa JOIN sa USING (aid) GROUP BY 1 ORDER BY articles DESC, 1""", params)
    return _finish(df)


def target_sentiment(c: Corpus, f: Filters, target: str, limit: int = 200) -> tuple[dict, pd.DataFrame]:
    """Tone of the sentences that mention a target (term or entity, aliases applied).

    Summary over every such sentence (counts by label, shares, Wilson intervals, `small`);
    evidence: up to `limit` sentences, newest first."""
    tids = sorted(set(_variant_tids(c, target)) | set(referent_tids(c, target)))  # + merged entity forms
    cte, params = _fa(c, f)
    # tsx: (term or entity id -> sentence) index ordered by id, so only the target's rows are read
    base = f"""WITH {cte},
        m AS ({_target_sentences(c, tids)}),
        hit AS (SELECT fa.id AS article_id, fa.published, fa.source, fa.title, m.pos, m.label, m.score, m.aid
                FROM m JOIN fa USING (aid))"""
    summ = c.sql(f"""{base} SELECT count(*) AS sentences, avg(score) AS mean_score,
                        avg(CASE WHEN label = 'positive' THEN 1.0 ELSE 0 END) AS pos_share,
                        avg(CASE WHEN label = 'negative' THEN 1.0 ELSE 0 END) AS neg_share,
                        count(DISTINCT aid) AS articles,
                        count(*) FILTER (WHERE label = 'negative') AS neg_sentences,
                        count(*) FILTER (WHERE label = 'neutral') AS neu_sentences,
                        count(*) FILTER (WHERE label = 'positive') AS pos_sentences FROM hit""",
                 params).iloc[0].to_dict()
    ints = ("sentences", "articles", "neg_sentences", "neu_sentences", "pos_sentences")
    summary = {k: (None if pd.isna(v) else (int(v) if k in ints else float(v))) for k, v in summ.items()}
    n = summary["sentences"] or 0
    for t in ("neg", "pos"):
        lo, hi = wilson(summary[f"{t}_sentences"] or 0, n)
        summary[f"{t}_lo"], summary[f"{t}_hi"] = (None, None) if n == 0 else (float(lo), float(hi))
    summary["small"] = (summary["articles"] or 0) < MIN_ARTICLES or n < MIN_SENTENCES
    ev = _with_text(c, c.sql(f"""{base} SELECT * FROM hit ORDER BY published DESC NULLS LAST, article_id, pos
                   LIMIT {int(limit)}""", params))  # text read only for these `limit` sentences
    cols = ["article_id", "published", "source", "title", "pos", "text", "label", "score"]
    return summary, ev[cols]


# ---- drivers (감성 연관어) ---------------------------------------------------------------------
def _scope(c: Corpus, f: Filters, target: str | None) -> tuple[str, list, list[int]]:
    """CTE `u`: the sentences in scope (aid, pos, label): the filtered articles' sentences, or
    only those mentioning `target`; and the target's own term ids (never reported as drivers)."""
    cte, params = _fa(c, f)
    if target and target.strip():
        tids = sorted(set(_variant_tids(c, target.strip())) | set(referent_tids(c, target.strip())))  # + merged entity forms
        scope = f"""u AS (SELECT x.aid, x.pos, x.label FROM ({_target_sentences(c, tids)}) x
                          WHERE x.aid IN (SELECT aid FROM fa))"""
    else:
        tids = []
        scope = "u AS (SELECT s.aid, s.pos, s.label FROM sent s JOIN fa USING (aid))"
    return f"{cte}, {scope}", params, tids


def _stream_driver_rows(c: Corpus, body: str, params: list, min_sentences: int) -> pd.DataFrame:
    """The rows the drivers' SQL groups for the filtered articles of `body` (no target), with
    the per-term sentence counts summed from the postings' tone streams instead of unnesting
    every sentence's terms (14.7 s at 100,000 articles for a query selecting ~45 % of them):
    terms of one raw form from the streams, alias groups from their per-sentence rows, the
    scope's totals from the per-article label counts (`asn`). Same rows, same numbers."""
    aids = postings.subset_aids(c, f"WITH {body} SELECT aid FROM fa", params)
    cid, n, neg, pos, arts = postings.tone_counts(c, aids)
    ok = n >= min_sentences
    cols = {"cid": [cid[ok]], "sentences": [n[ok]], "negative": [neg[ok]], "neutral": [(n - neg - pos)[ok]],
            "positive": [pos[ok]], "articles": [arts[ok]]}
    p = postings._post(c)
    sel = postings.selection(p.aids, aids, np.bool_)
    if c.multi_tids:  # alias groups: one row per article and group
        m_pos, m_cid, m_n, m_neg, m_pos_n = _multi_sentence_arrays(c)
        keep = sel[m_pos]
        mc = m_cid[keep]
        size = int(mc.max()) + 1 if len(mc) else 1
        mn, mneg, mpos, marts = (np.bincount(mc, weights=w, minlength=size).astype(np.int64)
                                 for w in (m_n[keep], m_neg[keep], m_pos_n[keep], None))
        mk = np.flatnonzero((mn > 0) & (mn >= min_sentences))
        for k, v in (("cid", mk), ("sentences", mn[mk]), ("negative", mneg[mk]), ("neutral", (mn - mneg - mpos)[mk]),
                     ("positive", mpos[mk]), ("articles", marts[mk])):
            cols[k].append(v)
    df = pd.DataFrame({k: np.concatenate(v).astype(np.int64) for k, v in cols.items()})
    a_n, a_neg, a_pos = _article_tone_arrays(c)
    df["scope_sentences"] = int(a_n[sel].sum())
    df["scope_negative"] = int(a_neg[sel].sum())
    df["scope_positive"] = int(a_pos[sel].sum())
    return df


_LABEL_CODES = {"negative": 0, "neutral": 1, "positive": 2}
TONE_ROWS_KEPT = 4  # targets whose row arrays stay loaded (two arrays each: words, sentences; ~13 bytes a row)


def _label_arrays(c: Corpus, table_sql: str, cols: str) -> dict[str, np.ndarray]:
    """Columns of a cached per-target table (`aid`, `label`, optionally `cid`) as arrays, once per
    table: `at` = each row's article index in the postings' list, `lab` = 0 negative / 1 neutral /
    2 positive / 3 other."""
    key = ("tone_rows", table_sql)
    got = c._postings.get(key)
    if got is None:
        cur = c.con.cursor()
        try:
            r = cur.execute(f"SELECT {cols} FROM ({table_sql})").fetchnumpy()
        finally:
            cur.close()
        aids = postings._post(c).aids
        got = {"at": np.searchsorted(aids, np.asarray(r["aid"], dtype=np.int64)).astype(np.int32),
               "lab": np.array([_LABEL_CODES.get(x, 3) for x in r["label"]], dtype=np.int8)}
        if "cid" in r:
            got["cid"] = np.asarray(r["cid"], dtype=np.int64)
        held = [k for k in c._postings if isinstance(k, tuple) and k[0] == "tone_rows"]
        for k in held[:max(0, len(held) - 2 * TONE_ROWS_KEPT + 1)]:  # the oldest targets' (RSS stays bounded)
            del c._postings[k]
        c._postings[key] = got
    return got


def _target_driver_rows(c: Corpus, body: str, params: list, tt: str, sents: str, min_sentences: int) -> pd.DataFrame:
    """The rows the drivers' SQL groups towards a target (`g` over its words' table `tt`, `tot` over
    its sentences `sents`) for the filtered articles of `body`, summed in numpy: per word its
    sentences by label and its articles (distinct), and the scope's totals."""
    aids = postings.subset_aids(c, f"WITH {body} SELECT aid FROM fa", params)
    sel = postings.selection(postings._post(c).aids, aids, np.bool_)
    w = _label_arrays(c, f"SELECT aid, label, cid FROM {tt}", "aid, label, cid")
    keep = sel[w["at"]]
    cid, lab, at = w["cid"][keep], w["lab"][keep], w["at"][keep].astype(np.int64)
    size = int(cid.max()) + 1 if len(cid) else 1
    n = np.bincount(cid, minlength=size)
    neg, neu, pos = (np.bincount(cid[lab == k], minlength=size) for k in range(3))
    pair = np.sort(cid * (len(sel) + 1) + at)
    first = np.r_[True, pair[1:] != pair[:-1]] if len(pair) else np.zeros(0, dtype=bool)
    arts = np.bincount(pair[first] // (len(sel) + 1), minlength=size)
    ok = np.flatnonzero((n > 0) & (n >= min_sentences))
    u = _label_arrays(c, sents, "aid, label")
    ulab = u["lab"][sel[u["at"]]]
    return pd.DataFrame({"cid": ok, "sentences": n[ok], "negative": neg[ok], "neutral": neu[ok], "positive": pos[ok],
                         "articles": arts[ok], "scope_sentences": len(ulab), "scope_negative": int((ulab == 0).sum()),
                         "scope_positive": int((ulab == 2).sum())}).astype("int64")


def _multi_sentence_arrays(c: Corpus) -> tuple[np.ndarray, ...]:
    """The alias groups' sentences (`sql._multi_sentences`) per article and group, as arrays, once
    per lexicon: the article's index in the postings' article list, the group's canonical id, its
    sentences there, the negative ones, the positive ones."""
    key = ("tone_multi", c.lexicon_key)
    got = c._postings.get(key)
    if got is None:
        r = c.sql(f"""SELECT aid, cid, count(*) AS n, count(*) FILTER (WHERE label = 'negative') AS neg,
                             count(*) FILTER (WHERE label = 'positive') AS pos
                      FROM {_multi_sentences(c)} GROUP BY aid, cid""")
        p = postings._post(c)
        got = (np.searchsorted(p.aids, r["aid"].to_numpy(np.int64)).astype(np.int32), r["cid"].to_numpy(np.int32),
               *(r[k].to_numpy(np.int32) for k in ("n", "neg", "pos")))
        for k in [k for k in c._postings if isinstance(k, tuple) and k[0] == "tone_multi"]:
            del c._postings[k]  # an older lexicon's
        c._postings[key] = got
    return got


def _article_tone_arrays(c: Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per article of the postings' article list: its sentences, negative ones, positive ones (`asn`)."""
    got = c._postings.get("tone_asn")
    if got is None:
        p = postings._post(c)
        r = c.sql("SELECT aid, n, neg, pos FROM asn")
        at = np.searchsorted(p.aids, r["aid"].to_numpy(np.int64))
        got = tuple(np.zeros(len(p.aids), np.int32) for _ in range(3))  # (sentence counts of one article)
        for arr, col in zip(got, ("n", "neg", "pos"), strict=True):
            np.add.at(arr, at, r[col].to_numpy(np.int32))
        c._postings["tone_asn"] = got
    return got


def warm_tones(c: Corpus) -> None:
    """Build the drivers' per-corpus arrays (the alias groups' sentences per article, each
    article's label counts) ahead of the first drivers call of a session: at 1,000,000 articles
    ~2.6 s and ~150 MB of transient arrays, paid at open (`queries.warm_up`) instead of inside a
    keyword-query page view, where the server's RSS is highest; and the whole corpus' driver sums,
    which the page's default view (no filter, no target) reads."""
    if postings.available(c) and postings.has_tones(c):
        if c.multi_tids:
            _multi_sentence_arrays(c)
        _article_tone_arrays(c)
    if c.use_aggregates:  # the sentiment page's default view: the unfiltered drivers (~150 ms at 100k)
        _whole_drivers(c)


def _squeezed_names(c: Corpus) -> np.ndarray:
    """Every canonical name without spaces, lower-cased (cid i at i - 1), once per lexicon: the
    drivers towards a target test tens of thousands of words for holding it (`str` methods of a
    pandas Series over them cost ~60 ms a query)."""
    names = c._postings["names"]
    got = c._postings.get("names_squeezed")
    if got is None or got[0] is not names:
        got = c._postings["names_squeezed"] = (names, np.asarray([n.replace(" ", "").lower() for n in names], dtype=object))
    return got[1]


def sentiment_drivers(c: Corpus, f: Filters, target: str | None = None, limit: int = 20,
                      min_sentences: int = 1, min_lift: float = 1.0) -> pd.DataFrame:
    """The words that most often carry negative and positive sentences (Sometrend's 감성 연관어).

    Scope: the sentences of the filtered articles, or only those that mention `target` (a term or
    entity, aliases applied; the target itself and words containing it are left out). For each word (canonical term,
    stopwords dropped): the sentences in scope holding it, by label. `share` = that tone's share
    of the word's sentences, `lift` = share / the tone's share of all sentences in scope. One row
    per (tone, word): among the words with lift >= `min_lift` (by default those more often in that
    tone than the average sentence, so that the topic's own words, in every sentence, do not fill
    the list; a floor above 1 is lowered to halfway to the largest lift possible, (1 + 1 / base) / 2,
    in a scope already mostly of that tone), the `limit` with the most sentences of that tone (ties: fewer sentences overall,
    then the word); `small` when the word has fewer than MIN_SENTENCES sentences.
    """
    body, params, tids = _scope(c, f, target)
    exclude = f"AND sta.tid NOT IN {_in_ints(tids)}" if tids else ""
    cells = None if tids else _agg_cells(c, f)
    counts = """count(*) AS sentences, count(*) FILTER (WHERE label = 'negative') AS negative,
                count(*) FILTER (WHERE label = 'neutral') AS neutral,
                count(*) FILTER (WHERE label = 'positive') AS positive, count(DISTINCT aid) AS articles"""
    multi = _in_ints(c.multi_tids)
    if cells is not None and _unfiltered(c, f):  # the whole corpus: its per-lexicon totals
        g = f"""g AS (SELECT * FROM {_whole_drivers(c)} WHERE sentences >= ?),
        tot AS (SELECT sum(n) AS n, sum(nneg) AS nneg, sum(npos) AS npos FROM tcell{cells.sfx} WHERE {cells})"""
    elif cells is not None:  # no target, filters the aggregates cover: per-cell sums (alias groups per article)
        g = f"""g AS ({_driver_sums(cells.sfx, _multi_sentences(c), cells, "aid IN (SELECT aid FROM fa)")}
                      HAVING sum(sentences) >= ?),
        tot AS (SELECT sum(n) AS n, sum(nneg) AS nneg, sum(npos) AS npos FROM tcell{cells.sfx} WHERE {cells})"""
    elif tids and (tt := _target_terms(c, tids)) is not None and postings.available(c):
        g = None  # towards a target: its words' rows, as arrays once per target (below)
    elif tids and tt is not None:  # towards a target: its words, once per target
        g = f"""g AS (SELECT cid, {counts} FROM {tt} WHERE aid IN (SELECT aid FROM fa) GROUP BY cid HAVING count(*) >= ?),
        tot AS (SELECT count(*) AS n, count(*) FILTER (WHERE label = 'negative') AS nneg,
                       count(*) FILTER (WHERE label = 'positive') AS npos FROM u)"""
    elif not tids and postings.has_tones(c):  # a keyword query: the tone streams of the postings (below)
        g = None
    else:  # a sentence holds a raw term once: only alias groups (several forms) need DISTINCT
        # (only integers pass the unnest: DuckDB 2.0 raised an internal dictionary-cache error when
        # the label column went through it)
        g = f"""w AS (SELECT sta.aid, sta.pos, u.label, sta.tid FROM (SELECT x.aid, x.pos, unnest(x.tids) AS tid
                      FROM stl x WHERE (x.aid, x.pos) IN (SELECT (aid, pos) FROM u)) sta JOIN u USING (aid, pos)
                      WHERE TRUE {exclude}),
        g AS (SELECT l.cid, {counts} FROM w JOIN lexv l USING (tid) WHERE NOT l.stop AND NOT l.multi GROUP BY l.cid
              HAVING count(*) >= ?
              UNION ALL
              SELECT cid, {counts} FROM (SELECT DISTINCT w.aid, w.pos, w.label, l.cid FROM w JOIN lexv l USING (tid)
                                         WHERE w.tid IN {multi} AND NOT l.stop) GROUP BY cid HAVING count(*) >= ?),
        tot AS (SELECT count(*) AS n, count(*) FILTER (WHERE label = 'negative') AS nneg,
                       count(*) FILTER (WHERE label = 'positive') AS npos FROM u)"""
    if g is None and tids:
        df = _target_driver_rows(c, body, params, tt, _target_sentences(c, tids), int(min_sentences))
    elif g is None:
        df = _stream_driver_rows(c, body, params, int(min_sentences))
    else:
        df = c.sql(f"""WITH {body}, {g}
            SELECT g.*, tot.n AS scope_sentences, tot.nneg AS scope_negative, tot.npos AS scope_positive
            FROM g, tot""", params + [int(min_sentences)] * g.count("?"))
    cols = ["tone", "rank", "term", "count", "sentences", "negative", "neutral", "positive", "articles",
            "share", "lift", "small"]
    if tids and not df.empty:  # the target's compounds too (`백신 접종` towards 백신)
        key = target.strip().replace(" ", "").lower()
        squeezed = _squeezed_names(c)[df["cid"].to_numpy(dtype=np.int64) - 1]
        df = df[np.fromiter((key not in t for t in squeezed), dtype=bool, count=len(squeezed))]
    if df.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    sent = df["sentences"].to_numpy(dtype=np.int64)
    for tone, scope_col in (("negative", "scope_negative"), ("positive", "scope_positive")):
        cnt = df[tone].to_numpy(dtype=np.int64)
        base = (df[scope_col] / df["scope_sentences"]).to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = cnt / sent
            lift = np.where(base > 0, share / np.where(base > 0, base, 1), np.nan)
            # the floor never exceeds halfway to the largest lift the scope allows (1 / base): towards 의협,
            # 82 % of whose sentences are negative, no word can reach 1.5 and the list would be empty
            floor = np.minimum(min_lift, (1 + 1 / np.where(base > 0, base, 1)) / 2)
        ok = np.flatnonzero((cnt > 0) & (lift >= floor))
        # the `limit` best by (count, fewer sentences) with their ties; the word breaks the ties below
        ok = ok[postings.top_rows([cnt[ok], -sent[ok]], int(limit))] if len(ok) else ok
        d = df.iloc[ok].copy()
        d["term"] = postings.names_of(c, d["cid"].to_numpy(dtype=np.int64))
        d["tone"], d["count"] = tone, d[tone]
        d["share"], d["lift"] = share[ok], lift[ok]
        d = d.sort_values(["count", "sentences", "term"], ascending=[False, True, True]).head(int(limit))
        d["rank"] = range(1, len(d) + 1)
        parts.append(d)
    out = pd.concat(parts, ignore_index=True)
    for col in ("count", "sentences", "negative", "neutral", "positive", "articles", "rank"):
        out[col] = out[col].astype("int64")
    out["small"] = out["sentences"] < MIN_SENTENCES
    return out[cols]


def sentiment_driver_evidence(c: Corpus, f: Filters, term: str, tone: str | None = None,
                              target: str | None = None, limit: int = 100) -> pd.DataFrame:
    """The sentences behind a driver: in scope (see `sentiment_drivers`), holding `term` (its
    alias group), of `tone` when given; newest first, with their text."""
    if tone is not None and tone not in ("negative", "neutral", "positive"):
        raise ValueError(f"tone must be negative, neutral or positive, got {tone!r}")
    body, params, _ = _scope(c, f, target)
    cids = c.sql("SELECT l.cid FROM lexv l JOIN cnames n USING (cid) WHERE n.term = ? LIMIT 1", [c.canon(term)])
    cols = ["article_id", "published", "source", "title", "pos", "text", "label", "score"]
    if cids.empty:
        return pd.DataFrame(columns=cols)
    tids = c.sql(f"SELECT tid FROM lexv WHERE cid = {int(cids['cid'].iloc[0])}")["tid"].tolist()
    x = f"SELECT aid, pos FROM st WHERE tid IN {_in_ints(tids)}"
    if target and target.strip():  # the sentences in scope are the target's
        h = f"SELECT DISTINCT u.aid, u.pos FROM u JOIN ({x}) x USING (aid, pos)"
    else:  # every sentence of the filtered articles: the term's sentences in them (not a join of all of theirs)
        h = f"SELECT DISTINCT aid, pos FROM ({x}) WHERE aid IN (SELECT aid FROM fa)"
    hits = c.sql(f"""WITH {body}, h AS ({h})
        SELECT fa.id AS article_id, fa.published, fa.source, fa.title, h.pos, s.label, s.score, h.aid
        FROM h JOIN fa USING (aid) JOIN sent s ON s.aid = h.aid AND s.pos = h.pos
        WHERE {"s.label = ?" if tone else "TRUE"}
        ORDER BY fa.published DESC NULLS LAST, fa.id, h.pos LIMIT {int(limit)}""",
                 params + ([tone] if tone else []))
    return _with_text(c, hits)[cols]


