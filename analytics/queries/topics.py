"""Topics of the filtered articles (tomotopy LDA over their clean terms), issue clusters of a
period, and Boolean keyword queries compared over time.

A topic model is fitted once per store snapshot, lexicon, filter set and number of topics, and
kept on disk beside the snapshot's query cache (Parquet + JSON, never pickle), so the dashboard,
the CLI and a restarted server reuse it; every view (over time, by source, articles) reads it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import config, topics
from analytics.arrays import unique
from analytics.config import UNKNOWN
from analytics.filters import Filters, parse_tree
from analytics.queries import postings
from analytics.queries.corpus import GRANULARITIES, Corpus
from analytics.queries.sql import _fa, _period

TOPIC_LAYOUT = 12  # bump when the cached files or the model recipe change
KEEP_FITS = 24  # fitted models kept per store (the oldest are removed)
QUERY_SERIES_MAX = 8
EXAMPLES = 3  # representative titles shown beside each topic


# ---- input: the clean terms of the filtered articles -------------------------------------------
def topic_terms(c: Corpus, f: Filters, extra: str = "TRUE", extra_params: list | None = None) -> pd.DataFrame:
    """(key = article aid, term, count, source) of the filtered articles' terms, aliases applied
    and stopwords out (the same terms every keyword view counts)."""
    cte, params = _fa(c, f, extra, extra_params)
    return c.sql(f"""WITH {cte}
                     SELECT t.aid AS key, n.term, CAST(t.count AS BIGINT) AS count, fa.source
                     FROM tc t JOIN fa USING (aid) JOIN cnames n USING (cid)
                     ORDER BY t.aid, n.term""", params)


def _articles_of(c: Corpus, aids: np.ndarray) -> pd.DataFrame:
    """aid, id, published, source, title, cluster_id of the given aids (in that order)."""
    ids = pd.DataFrame({"aid": np.asarray(aids, dtype=np.int64), "ord": np.arange(len(aids))})  # noqa: F841
    cur = c.con.cursor()
    try:
        cur.register("want_aids", ids)
        return cur.execute(f"""SELECT a.aid, a.id, a.published, coalesce(a.source, '{UNKNOWN}') AS source,
                                      a.title, a.cluster_id FROM want_aids w JOIN art a ON a.aid = w.aid
                               ORDER BY w.ord""").df()
    finally:
        cur.close()


# ---- the on-disk cache of fitted models --------------------------------------------------------
def _cache_root() -> Path:
    return Path(str(config.get("query_cache")) or Path(tempfile.gettempdir()) / "tm-query-cache") / "topics"


def _fit_dir(c: Corpus, f: Filters, k: int) -> Path:
    """<path key>-<store identity>-<snapshot>-<spec>: a store deleted and rebuilt at the same path
    reaches the same snapshot ids with other data, so its identity is part of the name."""
    store_key = hashlib.sha256(str(c.store.root.resolve()).encode()).hexdigest()[:12]
    ident = hashlib.sha256(c.store.identity().encode()).hexdigest()[:12]
    spec = json.dumps({"filters": repr(f), "k": int(k), "lexicon": c.lexicon_key, "seed": topics.SEED,
                       "layout": TOPIC_LAYOUT, "ids": c.tables_epoch}, sort_keys=True)  # fits store article aids
    return _cache_root() / f"{store_key}-{ident}-{c.version}-{hashlib.sha256(spec.encode()).hexdigest()[:16]}"


def topic_model_ready(c: Corpus, f: Filters, k: int = 0) -> bool:
    """Whether the topic model of these filters and k is already fitted (on disk)."""
    return (_fit_dir(c, f, k) / "meta.json").exists()


def _save(folder: Path, res: dict) -> None:
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in ("topics", "docs", "k_scores"):
        res[name].to_parquet(tmp / f"{name}.parquet", index=False)
    (tmp / "meta.json").write_text(json.dumps(res["meta"], ensure_ascii=False), encoding="utf-8")
    try:
        os.replace(tmp, folder)
    except OSError:  # another process wrote it first: theirs is the same model
        shutil.rmtree(tmp, ignore_errors=True)
    prefix = folder.name.split("-")[0]
    mine = sorted((p for p in folder.parent.glob(f"{prefix}-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in mine:
        stale = old.name.split("-")[1:3] != folder.name.split("-")[1:3]  # another store or snapshot's fit
        if old != folder and (stale or len(mine) > KEEP_FITS):
            shutil.rmtree(old, ignore_errors=True)
            mine = [p for p in mine if p != old]


def _load(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return {"meta": meta, **{n: pd.read_parquet(folder / f"{n}.parquet") for n in ("topics", "docs", "k_scores")}}
    except (OSError, ValueError):
        return None


def topic_model(c: Corpus, f: Filters, k: int = 0, progress: topics.Progress | None = None) -> dict:
    """The topic model of the filtered articles: {"topics", "docs", "k_scores", "meta"}.

    topics: topic, label, terms, weight, articles, coherence (see analytics.topics.topic_table),
    examples (the titles of its EXAMPLES most representative articles, " | "-separated);
    docs: aid, id, published, source, title, topic (main topic), weight (its share), fit (how well
    the article represents it, see analytics.topics.fit_scores), t1..tk (mix);
    k_scores: k, coherence, chosen; meta: k, criterion, n_articles, n_modelled, dropped_terms.
    k = 0 chooses the number of topics by coherence. Raises ValueError on too few articles."""
    folder = _fit_dir(c, f, k)
    hit = _load(folder) if (folder / "meta.json").exists() else None
    if hit is not None:
        return hit
    if progress:
        progress(0.0, "기사 단어 읽는 중")
    docs = topics.prepare_docs(topic_terms(c, f))
    fit = topics.fit_topics(docs, k, progress=progress)
    arts = _articles_of(c, fit.keys)
    kk = fit.theta.shape[1]
    mix = pd.DataFrame(fit.theta, columns=[f"t{i}" for i in range(1, kk + 1)])
    main = fit.theta.argmax(axis=1)
    docs_df = pd.concat([arts.reset_index(drop=True),
                         pd.DataFrame({"topic": main + 1, "weight": fit.theta[np.arange(len(main)), main],
                                       "fit": fit.fit}), mix], axis=1)
    tops = fit.topics.copy()
    mix_np = fit.theta
    tops["examples"] = [" | ".join(str(t) for t in docs_df["title"].iloc[topics.representative(
        mix_np, int(t), EXAMPLES, fit.fit)].fillna("(제목 미상)")) for t in tops["topic"]]
    res = {"topics": tops, "docs": docs_df, "k_scores": fit.k_scores,
           "meta": {"k": int(kk), "criterion": topics.COHERENCE, "auto": k <= 0, "n_articles": int(docs.n_input),
                    "n_modelled": int(len(fit.keys)), "dropped_terms": fit.dropped_terms,
                    "style_terms": fit.style_terms,
                    "iterations": int(fit.iterations), "seed": topics.SEED}}
    _save(folder, res)
    if progress:
        progress(1.0, "완료")
    return res


def topic_summary(c: Corpus, f: Filters, k: int = 0) -> dict:
    """topic_model without the per-article frame ({"topics", "k_scores", "meta"}): what a page
    keeps in its cache (the per-article mixes stay on disk; the views below read them)."""
    res = topic_model(c, f, k)
    return {name: res[name] for name in ("topics", "k_scores", "meta")}


def _mix(res: dict) -> np.ndarray:
    k = int(res["meta"]["k"])
    return res["docs"][[f"t{i}" for i in range(1, k + 1)]].to_numpy()


def _labelled(df: pd.DataFrame, res: dict) -> pd.DataFrame:
    return df.merge(res["topics"][["topic", "label"]], on="topic", how="left")


def topic_over_time(c: Corpus, f: Filters, k: int = 0, granularity: str = "month") -> pd.DataFrame:
    """Per period and topic: share (mean topic mix of the period's articles; a period's shares
    sum to 1), articles (whose main topic it is), n_articles, label. Undated: period NaT."""
    res = topic_model(c, f, k)
    docs = res["docs"]
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    unit = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}[granularity]
    pub = pd.to_datetime(docs["published"])
    if granularity == "week":  # DuckDB's date_trunc('week') starts on Monday
        period = (pub - pd.to_timedelta(pub.dt.weekday, unit="D")).dt.normalize()
    else:
        period = pub.dt.to_period(unit).dt.start_time
    out = topics.topic_shares(_mix(res), period).rename(columns={"group": "period"})
    return _labelled(out, res)[["period", "topic", "label", "share", "articles", "n_articles"]]


def topic_by_source(c: Corpus, f: Filters, k: int = 0) -> pd.DataFrame:
    """Per source and topic: share (mean topic mix of the source's articles), articles (main
    topic), n_articles, label; sources by size."""
    res = topic_model(c, f, k)
    out = topics.topic_shares(_mix(res), res["docs"]["source"].fillna(UNKNOWN)).rename(columns={"group": "source"})
    out = _labelled(out, res)
    order = out.groupby("source")["n_articles"].first().sort_values(ascending=False, kind="stable").index
    out["source"] = pd.Categorical(out["source"], categories=list(order), ordered=True)
    out = out.sort_values(["source", "topic"]).reset_index(drop=True)
    out["source"] = out["source"].astype(str)
    return out[["source", "topic", "label", "share", "articles", "n_articles"]]


def topic_articles(c: Corpus, f: Filters, k: int, topic: int, n: int = 200, start: date | None = None,
                   end: date | None = None) -> pd.DataFrame:
    """The articles whose main topic is `topic`, the most representative first (its share of
    the article times the share of the article's words among the topic's top terms): id,
    published, source, title, weight (the topic's share of the article)."""
    res = topic_model(c, f, k)
    docs = res["docs"]
    mix, fit = _mix(res), docs["fit"].to_numpy()
    if start is not None or end is not None:  # only the articles dated in [start, end]
        day = pd.to_datetime(docs["published"])
        inside = (day >= pd.Timestamp(start or date.min)) & (day <= pd.Timestamp(end or date.max))
        keep = np.flatnonzero(inside.to_numpy())
        docs, mix, fit = docs.iloc[keep], mix[keep], fit[keep]
    pos = topics.representative(mix, int(topic), n, fit)
    return docs.iloc[pos][["id", "published", "source", "title", "weight"]].reset_index(drop=True)


# ---- issues of a period ------------------------------------------------------------------------
def issues(c: Corpus, f: Filters, start: date, end: date, distance: float = topics.ISSUE_DISTANCE,
           n: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's issues (articles on one event), largest first: (issues, articles).

    issues: issue, label (the most central article's title), articles, sources, first, last, terms
    (the issue's most frequent terms); articles: issue, id, published, source, title, centrality.
    At most ISSUE_MAX_ARTICLES articles of the period (the most recent) are clustered; the frames'
    attrs say how many articles the period held (period_articles), how many were clustered and how
    many issues there were in all (issues; at most n are returned).
    Terms travel as canonical ids (their order is the terms' sorted order) and are named at the
    end: a 7-day window at 1M articles holds ~400,000 article x term rows."""
    cte, params = _fa(c, f, "a.published BETWEEN ? AND ?", [start, end])
    total = int(c.sql(f"WITH {cte} SELECT count(*) AS n FROM fa", params)["n"].iloc[0])
    cap = topics.ISSUE_MAX_ARTICLES
    pick = c.sql(f"WITH {cte} SELECT aid, source FROM fa ORDER BY published DESC, aid DESC LIMIT {cap}", params)
    rows, aids = _period_rows(c, cte, params, pick)
    names = c._postings["names"]  # cid i is names[i - 1]
    rows = topics.without_house_style(rows, lambda cid: _word_cids(names, names[cid - 1]))
    n_period = rows["key"].nunique()
    rows = rows[~_time_flags(c, rows["term"].to_numpy())]
    cl = _clusters(rows[rows["count"] > 0], distance)
    icols = ["issue", "label", "articles", "sources", "first", "last", "terms"]
    acols = ["issue", "id", "published", "source", "title", "centrality"]
    if cl.empty:
        empty = pd.DataFrame(columns=icols), pd.DataFrame(columns=acols)
        for d in empty:
            d.attrs.update(period_articles=total, clustered=min(total, cap))
        return empty
    n_issues = int(cl["issue"].max())
    cl = cl[cl["issue"] <= n]
    arts = _articles_of(c, aids[cl["key"].to_numpy(dtype=np.int64)])
    a = pd.concat([cl.reset_index(drop=True), arts.drop(columns=["aid"])], axis=1)
    r = rows.merge(cl[["key", "issue"]], on="key")
    # an issue's terms: in many of its articles, few of the period's others (df x idf)
    pdf = rows.groupby("term")["key"].nunique()
    tops = r.groupby(["issue", "term"])["key"].nunique().reset_index(name="df")
    tops["score"] = tops["df"] * np.log(n_period / tops["term"].map(pdf))
    tops = tops.sort_values(["issue", "score", "term"], ascending=[True, False, True])  # cid order = term order
    terms = tops.groupby("issue")["term"].apply(lambda s: ", ".join(topics.label_terms([names[t - 1] for t in s], 6)))
    g = a.groupby("issue")
    iss = pd.DataFrame({"label": g.apply(lambda d: d.loc[d["central"], "title"].iloc[0], include_groups=False),
                        "articles": g.size(), "sources": g["source"].nunique(),
                        "first": g["published"].min(), "last": g["published"].max(), "terms": terms}).reset_index()
    iss["label"] = iss["label"].fillna("(제목 미상)")
    arts_out = a[acols].reset_index(drop=True)
    iss = iss[icols]
    for d in (iss, arts_out):
        d.attrs.update(period_articles=total, clustered=min(total, cap), issues=n_issues)
    return iss, arts_out


def _period_rows(c: Corpus, cte: str, params: list, pick: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(key, term = cid, count, source = a code) of the picked articles' terms, decoded from the
    postings (queries/postings.py), else the same rows from the `tcx` view; and the aids the keys
    number (key k is aids[k], in aid order: pandas groups small dense keys much faster than
    aids, which are 256 apart)."""
    aids = np.sort(pick["aid"].to_numpy(dtype=np.int64))
    if postings.available(c):
        aid, cid, cnt = postings.article_terms(c, aids)
    else:
        cur = c.con.cursor()
        try:
            cur.register("pick_aids", pd.DataFrame({"aid": aids}))
            r = cur.execute("""SELECT t.aid, t.cid, CAST(t.count AS BIGINT) AS count FROM tcx t
                               JOIN pick_aids USING (aid)""").fetchnumpy()
        finally:
            cur.close()
        aid, cid, cnt = (np.asarray(r[k], dtype=np.int64) for k in ("aid", "cid", "count"))
    codes, _ = pd.factorize(pick["source"])
    order = np.argsort(pick["aid"].to_numpy(dtype=np.int64), kind="stable")
    key = np.searchsorted(aids, aid)  # aids: the picked aids ascending
    return pd.DataFrame({"key": key, "term": cid, "count": cnt, "source": codes[order][key]}), aids


def _word_cids(names: list[str], term: str) -> list[int]:
    """The canonical ids of a term's words (-1 for a word that is no term); names are sorted."""
    out = []
    for w in term.split():
        i = bisect.bisect_left(names, w)
        out.append(i + 1 if i < len(names) and names[i] == w else -1)
    return out


def _time_flags(c: Corpus, cids: np.ndarray) -> np.ndarray:
    """Per row: whether its canonical term is a date, time or bare figure (topics.is_time_term),
    each distinct term tested once per lexicon."""
    names = c._postings["names"]
    key, flags = c._postings.get("time_flags", ("", None))
    if key != c.lexicon_key or flags is None:
        flags = np.full(len(names) + 1, -1, dtype=np.int8)
    todo = unique(cids[flags[cids] < 0])
    flags[todo] = [topics.is_time_term(names[t - 1]) for t in todo]
    c._postings["time_flags"] = (c.lexicon_key, flags)
    return flags[cids] == 1


def _clusters(rows: pd.DataFrame, distance: float) -> pd.DataFrame:
    """topics.issue_clusters of (key, term = cid, count) rows, time terms already out."""
    if rows.empty:
        return pd.DataFrame(columns=topics.ISSUE_COLUMNS)
    keys, kidx = np.unique(rows["key"].to_numpy(), return_inverse=True)
    terms, tidx = np.unique(rows["term"].to_numpy(), return_inverse=True)
    return topics.coded_issue_clusters(keys, kidx, tidx, rows["count"].to_numpy(dtype=np.float64), len(terms),
                                       distance)


def issue_period(c: Corpus, f: Filters, days: int = 7, min_articles: int = 10) -> tuple[date, date] | None:
    """The default issue window: the latest `days` days (ending on an article's date) that hold at
    least `min_articles` filtered articles, else the last `days` days; None without dated articles."""
    cte, params = _fa(c, f, "a.published IS NOT NULL")
    df = c.sql(f"""WITH {cte}, d AS (SELECT published AS day, count(*) AS n FROM fa GROUP BY 1)
                   SELECT day, sum(n) OVER (ORDER BY day RANGE BETWEEN INTERVAL {int(days) - 1} DAYS PRECEDING
                                             AND CURRENT ROW) AS w FROM d ORDER BY day""", params)
    if df.empty:
        return None
    ok = df[df["w"] >= min_articles]
    end = pd.Timestamp((ok if not ok.empty else df)["day"].iloc[-1]).date()
    return end - timedelta(days=days - 1), end


# ---- Boolean queries compared over time --------------------------------------------------------
def series_filters(f: Filters, query: str) -> Filters:
    """The sidebar filters narrowed by one series query (both must match)."""
    q = query.strip()
    return replace(f, query=f"({f.query}) AND ({q})" if f.query.strip() else q)


def query_trend(c: Corpus, f: Filters, series: tuple[str, ...], granularity: str = "month",
                by_source: bool = False) -> pd.DataFrame:
    """Per period [and source] and series (a keyword query in the sidebar's syntax, applied on
    top of the filters): articles matching, share of the period's filtered articles, per_10k
    (matching articles per 10,000 of them). Periods where a series matches nothing show 0.
    Raises ValueError naming the series whose syntax is wrong."""
    series = (series,) if isinstance(series, str) else series  # one query given bare (CLI, notebook)
    series = tuple(dict.fromkeys(s.strip() for s in series if s.strip()))[:QUERY_SERIES_MAX]
    keys = ["period", "source"] if by_source else ["period"]
    cols = [*keys, "query", "articles", "share", "per_10k"]
    if not series:
        return pd.DataFrame(columns=cols)
    for s in series:
        try:
            parse_tree(s)
        except ValueError as e:
            raise ValueError(f"'{s}': {e}") from None
    per = _period(granularity, "published")

    def counts(flt: Filters) -> pd.DataFrame:
        cte, params = _fa(c, flt)
        return c.sql(f"WITH {cte} SELECT {per} AS period{', source' if by_source else ''}, count(*) AS n FROM fa "
                     f"GROUP BY ALL", params)

    base = counts(f).rename(columns={"n": "n_articles"})
    parts = []
    for s in series:
        hit = counts(series_filters(f, s)).rename(columns={"n": "articles"})
        m = base.merge(hit, on=keys, how="left")
        m["query"] = s
        parts.append(m)
    out = pd.concat(parts, ignore_index=True)
    out["articles"] = out["articles"].fillna(0).astype("int64")
    out["share"] = out["articles"] / out["n_articles"]
    out["per_10k"] = out["share"] * 10000
    out["_q"] = out["query"].map({s: i for i, s in enumerate(series)})
    out = out.sort_values([*keys, "_q"], na_position="last").reset_index(drop=True)
    return out[cols]
