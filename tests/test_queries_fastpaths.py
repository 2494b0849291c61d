"""The fast paths of analytics.queries give exactly the plain SQL path's answers.

On a 400-article synthetic store (analytics.synth: Zipf vocabulary, alias groups from spacing
variants, entities, tones) and one built incrementally from 360 + 40 of the same articles:
- queries/postings.py (term and YAKE sums over large arbitrary subsets as sparse products) equals
  `sql._art_freq` and the per-article keyword SQL, row for row;
- `mrows` (alias-group rows summed once per lexicon) equals the per-query GROUP BY over tm;
- the cached target and alias-group sentence sets equal their inline SQL;
- the public queries whose keyword-query, related-word, network and tone paths use them equal
  the per-article path (`use_aggregates=False`) under keyword-query, source and year filters.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics import queries as q
from analytics.filters import Filters
from analytics.queries import postings, sql
from analytics.queries.alerts import window_counts as _window_counts
from analytics.queries.tone import sentiment_drivers
from analytics.synth import write_synthetic_store
from tests.test_queries import _same as _same_values

pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    root = tmp_path_factory.mktemp("fast") / "store"
    write_synthetic_store(root, 400, chunk=400)
    return q.open_corpus(root)


@pytest.fixture(scope="module")
def c_inc(tmp_path_factory):
    """360 articles, their query tables built, then 40 more: an incremental build (rows of the
    new articles appended after the old ones in the article-ordered tables)."""
    root = tmp_path_factory.mktemp("fastinc") / "store"
    write_synthetic_store(root, 360, chunk=360)
    q.open_corpus(root)
    write_synthetic_store(root, 40, chunk=40, first=360)
    c = q.open_corpus(root)
    from analytics.queries.build import base_db, built_how

    assert built_how(base_db(c.store, c.snapshot))["how"] == "incremental"
    return c


def _terms(c) -> list[str]:
    top = q.top_keywords(c, Filters(), 12, "tf")["term"].tolist()
    return top[2:6]


def _filters(c) -> list[Filters]:
    t = _terms(c)
    src = q.sources(c)
    return [Filters(query=f"{t[0]} OR {t[1]}"), Filters(query=t[2]), Filters(query=f"{t[0]} AND {t[3]}"),
            Filters(sources=(src[0],)), Filters(years=(2023,)), Filters(query=f"{t[1]} OR {t[2]}", sources=tuple(src[:3]))]


def _art_freq_sql(c, aid_sql: str) -> pd.DataFrame:
    df = c.sql(f"SELECT cid, tf, df FROM ({sql._art_freq(c, '(' + aid_sql + ')', '')})")
    return df.astype("int64").sort_values("cid").reset_index(drop=True)


@pytest.mark.parametrize("which", ["c", "c_inc"])
def test_subset_sums_equal_the_sql_group_by(which, request):
    c = request.getfixturevalue(which)
    assert postings.available(c)
    t = _terms(c)
    subsets = ["SELECT aid FROM art", "SELECT aid FROM art WHERE aid % 3 = 0", "SELECT aid FROM art WHERE FALSE",
               sql._term_aids(c, t[0]), f"SELECT aid FROM art WHERE source = {sql.sql_str(q.sources(c)[0])}"]
    for s in subsets:
        want = _art_freq_sql(c, s)
        cid, tf, df = postings.subset_freq(c, postings.subset_aids(c, s))
        got = pd.DataFrame({"cid": cid, "tf": tf, "df": df}).sort_values("cid").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert len(want) > 0 or "FALSE" in s
        # YAKE reciprocal-rank sums over the same set, stopwords out
        ks = c.sql(f"""SELECT l.cid, sum(1.0 / k.rank) AS score FROM kw k JOIN ({s}) x USING (aid)
                       JOIN lexv l USING (tid) WHERE NOT l.stop GROUP BY l.cid ORDER BY l.cid""")
        kc, sc = postings.keyword_scores(c, postings.subset_aids(c, s))
        assert kc.tolist() == ks["cid"].astype(int).tolist()
        np.testing.assert_allclose(sc, ks["score"].to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("which", ["c", "c_inc"])
def test_term_hits_equal_the_term_rows_grouped_by_article_and_group(which, request, tmp_path):
    """Per article and group of raw ids: its rows and their counts, as tm joined to the groups
    (an id in two groups counts in both; a stopword's rows in none)."""
    t = _terms(request.getfixturevalue(which))
    (tmp_path / "stopwords_user.txt").write_text(f"{t[2]}\n", encoding="utf-8")
    c = q.open_corpus(request.getfixturevalue(which).store.root, tmp_path)  # the same store, t[2] a stopword
    stop = c.sql("SELECT tid FROM lexv WHERE stop ORDER BY tid")["tid"].tolist()
    assert stop
    g0, g1 = sql._variant_tids(c, t[0]), sql._variant_tids(c, t[1])
    groups = [g0, [*g1, g0[0]], stop, [*stop, *g1]]
    vals = ", ".join(f"({x}, {i})" for i, g in enumerate(groups) for x in g)
    want = c.sql(f"""SELECT tm.aid, m.q, count(*) AS n, sum(tm.count) AS k FROM tm JOIN (VALUES {vals}) m(tid, q)
                     USING (tid) JOIN lexv l USING (tid) WHERE NOT l.stop AND tm.aid % 3 = 0 GROUP BY ALL""")
    aids = postings.subset_aids(c, "SELECT aid FROM art WHERE aid % 3 = 0")
    rows, counts = postings.term_hits(c, aids, groups)
    w_rows, w_counts = np.zeros_like(rows), np.zeros_like(counts)
    at = np.searchsorted(aids, want["aid"].to_numpy(dtype=np.int64))
    w_rows[at, want["q"]] = want["n"]
    w_counts[at, want["q"]] = want["k"]
    assert rows[:, 0].sum() > 30 and (rows[:, 0] < counts[:, 0]).any() and not rows[:, 2].any()
    np.testing.assert_array_equal(rows, w_rows)
    np.testing.assert_array_equal(counts, w_counts)
    with pytest.raises(ValueError, match="at most 63"):
        postings.term_hits(c, aids, [[1]] * 64)


def test_alias_group_rows_equal_the_per_query_group_by(c):
    assert len(c.multi_tids) > 0  # the synthetic vocabulary has spacing variants (인공 지능 = 인공지능)
    want = c.sql(f"""SELECT tm.aid, l.cid, CAST(sum(tm.count) AS BIGINT) AS count FROM tm JOIN lexv l USING (tid)
                     WHERE tm.tid IN {sql._in_ints(c.multi_tids)} AND NOT l.stop GROUP BY 1, 2 ORDER BY 1, 2""")
    got = c.sql("SELECT aid, cid, count FROM mrows ORDER BY 1, 2")
    pd.testing.assert_frame_equal(got, want)
    ms = c.sql(f"SELECT * FROM {sql._multi_sentences(c)} ORDER BY ALL")
    inline = c.sql(f"""SELECT DISTINCT st.aid, st.pos, s.label, l.cid FROM st JOIN lexv l USING (tid)
                       JOIN sent s USING (aid, pos) WHERE st.tid IN {sql._in_ints(c.multi_tids)} AND NOT l.stop
                       ORDER BY ALL""")
    assert len(ms) > 0
    pd.testing.assert_frame_equal(ms, inline)


def test_target_sentence_set_equals_the_index_rows(c):
    ent = q.top_entities(c, Filters(), n=1)["entity"].iloc[0]
    from analytics.queries.entities import referent_tids

    tids = sorted(set(sql._variant_tids(c, ent)) | set(referent_tids(c, ent)))
    cached = c.sql(f"SELECT * FROM ({sql._target_sentences(c, tids)}) ORDER BY aid, pos")
    inline = c.sql(f"SELECT DISTINCT aid, pos, label, score FROM tsx WHERE tid IN {sql._in_ints(tids)} ORDER BY aid, pos")
    assert len(inline) > 0
    pd.testing.assert_frame_equal(cached, inline)


def _same(x, y):
    _same_values(x, y, attrs=True)


QUERIES = {
    "keyword_trend": lambda c, f, t, e: q.keyword_trend(c, f, (t, e, "없는말"), "month"),
    "keyword_trend/source": lambda c, f, t, e: q.keyword_trend(c, f, (t,), "year", by_source=True),
    "keyword_trend/week": lambda c, f, t, e: q.keyword_trend(c, f, (e, t), "week"),
    "top_keywords/tf": lambda c, f, t, e: q.top_keywords(c, f, 30, "tf"),
    "top_keywords/yake": lambda c, f, t, e: q.top_keywords(c, f, 30, "yake"),
    "related/article": lambda c, f, t, e: q.related_terms(c, f, t, "article"),
    "related/article/all": lambda c, f, t, e: q.related_terms(c, f, t, "article", min_count=1, n=500),
    "related/sentence": lambda c, f, t, e: q.related_terms(c, f, t, "sentence"),
    "related/sentence/all": lambda c, f, t, e: q.related_terms(c, f, t, "sentence", min_count=1, n=500,
                                                               max_articles=40),
    "network": lambda c, f, t, e: q.cooccurrence_network(c, f),
    "target_sentiment": lambda c, f, t, e: q.target_sentiment(c, f, e),
    "drivers": lambda c, f, t, e: sentiment_drivers(c, f),
    "drivers/target": lambda c, f, t, e: sentiment_drivers(c, f, e),
    "driver_evidence": lambda c, f, t, e: q.sentiment_driver_evidence(c, f, t, "negative"),
    "kwic": lambda c, f, t, e: q.kwic(c, f, t),
    "rising_terms": lambda c, f, t, e: q.rising_terms(c, f, date(2022, 6, 1), date(2022, 8, 31)),
    "rising_terms/overlap": lambda c, f, t, e: q.rising_terms(c, f, date(2022, 1, 1), date(2022, 12, 31),
                                                              date(2021, 7, 1), date(2022, 6, 30), n=10),
    "explain_spike": lambda c, f, t, e: q.explain_spike(c, f, date(2023, 1, 1), date(2023, 3, 31)),
    "window_counts": lambda c, f, t, e: _window_counts(c, f, (date(2023, 1, 1), date(2023, 6, 30)),
                                                       (date(2022, 7, 1), date(2022, 12, 31))),
    "window_counts/overlap": lambda c, f, t, e: _window_counts(c, f, (date(2022, 1, 1), date(2022, 12, 31)),
                                                               (date(2021, 7, 1), date(2022, 6, 30))),
    "top_entities": lambda c, f, t, e: q.top_entities(c, f),
    "top_entities/PS": lambda c, f, t, e: q.top_entities(c, f, "PS", n=5),
    "entity_network": lambda c, f, t, e: q.entity_network(c, f),
    "entity_network/small": lambda c, f, t, e: q.entity_network(c, f, ("PS", "OG"), n_nodes=8),
    "issues": lambda c, f, t, e: q.issues(c, f, *q.issue_period(c, f)),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("which", ["c", "c_inc"])
def test_fast_paths_equal_the_per_article_path(which, name, request):
    c = request.getfixturevalue(which)
    fn = QUERIES[name]
    t = _terms(c)[1]
    e = q.top_entities(c, Filters(), n=1)["entity"].iloc[0]
    for f in [Filters(), *_filters(c)]:
        fast = fn(c, f, t, e)
        c.use_aggregates = False
        try:
            slow = fn(c, f, t, e)
        finally:
            c.use_aggregates = True
        _same(fast, slow)


def test_fast_paths_answer_something(c):
    """The comparison above is not between two empty frames."""
    f = _filters(c)[0]
    assert len(q.top_keywords(c, f, 30, "tf")) == 30
    assert len(q.top_keywords(c, f, 30, "yake")) == 30
    assert len(q.related_terms(c, f, _terms(c)[1], "article")) > 0
    nodes, edges = q.cooccurrence_network(c, f)
    assert len(nodes) == 40 and len(edges) > 0


@pytest.mark.parametrize("limit", [3, 40, 200])
def test_newest_hits_equal_the_whole_join(c, limit):
    """kwic reads the newest articles first (k, 4k, ...): the same sentences as one join over all."""
    from analytics.queries.terms import _newest_hits

    for f in [Filters(), *_filters(c)]:
        for term in _terms(c)[:3]:
            tids = sql._variant_tids(c, term)
            cte, params = sql._fa(c, f)
            want = c.sql(f"""WITH {cte}, xa AS (SELECT fa.* FROM fa WHERE aid IN ({sql._term_aids(c, term)}))
                SELECT DISTINCT xa.id AS article_id, xa.published, xa.source, s.pos FROM st s
                JOIN xa USING (aid) WHERE s.tid IN {sql._in_ints(tids)}
                ORDER BY xa.published DESC NULLS LAST, xa.id, s.pos LIMIT {limit}""", params)
            got = _newest_hits(c, cte, params, term, tids, limit)
            pd.testing.assert_frame_equal(got[list(want.columns)], want, check_dtype=False)


def test_driver_evidence_equals_the_sentence_join(c):
    from analytics.queries.tone import _scope

    term = _terms(c)[1]
    seen = 0
    for f in [Filters(), *_filters(c)]:
        for tone in (None, "negative"):
            body, params, _ = _scope(c, f, None)
            tids = c.sql("SELECT tid FROM lexv WHERE cid = (SELECT cid FROM cnames WHERE term = ?)", [term])["tid"].tolist()
            cond = "AND u.label = ?" if tone else ""
            want = c.sql(f"""WITH {body},
                h AS (SELECT DISTINCT u.aid, u.pos FROM u JOIN sta USING (aid, pos) WHERE sta.tid IN {sql._in_ints(tids)} {cond})
                SELECT fa.id AS article_id, fa.published, fa.source, fa.title, h.pos, s.label, s.score
                FROM h JOIN fa USING (aid) JOIN sent s ON s.aid = h.aid AND s.pos = h.pos
                ORDER BY fa.published DESC NULLS LAST, fa.id, h.pos LIMIT 100""", params + ([tone] if tone else []))
            got = q.sentiment_driver_evidence(c, f, term, tone)
            seen += len(want)
            pd.testing.assert_frame_equal(got.drop(columns="text").reset_index(drop=True),
                                          want[got.columns.drop("text")], check_dtype=False)
    assert seen > 100


def test_drivers_towards_a_target_equal_the_unnested_sentences(c, monkeypatch):
    """The cached word set of a target's sentences gives the drivers the term lists give."""
    e = q.top_entities(c, Filters(), n=3)["entity"].tolist()
    fast = {(t, f): sentiment_drivers(c, f, t, limit=50) for t in e for f in [Filters(), *_filters(c)]}
    monkeypatch.setattr(sql, "TARGET_TERMS_MAX", 0)  # and no cached word set: the unnest path
    monkeypatch.setattr(c, "_termsets", {k: v for k, v in c._termsets.items() if k[0] != "tterms"})
    assert sql._target_terms(c, [1]) is None
    n = 0
    for (t, f), got in fast.items():
        want = sentiment_drivers(c, f, t, limit=50)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
        n += len(want)
    assert n > 100


@pytest.mark.parametrize("which", ["c", "c_inc"])
def test_article_terms_from_the_postings_equal_the_term_view(which, request):
    """The issue clustering's rows (postings.article_terms) are the `tcx` view's rows."""
    c = request.getfixturevalue(which)
    all_aids = c.sql("SELECT aid FROM art ORDER BY aid")["aid"].to_numpy()
    for aids in (all_aids, all_aids[::7], all_aids[-40:], all_aids[:0]):
        aid, cid, cnt = postings.article_terms(c, aids)
        got = pd.DataFrame({"aid": aid, "cid": cid, "count": cnt}).sort_values(["aid", "cid"]).reset_index(drop=True)
        want = c.sql(f"SELECT aid, cid, CAST(count AS BIGINT) AS count FROM tcx WHERE aid IN {sql._in_ints(list(aids))} "
                     "ORDER BY 1, 2")
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert len(want) > 0 or not len(aids)
    assert (want["count"] > 1).any() if len(want) else True


def _sklearn_issue_clusters(rows: pd.DataFrame, distance: float) -> pd.DataFrame:
    """issue_clusters as written before the per-component linkage: the dense n x n cosine matrix
    from scipy's sparse product and scikit-learn's AgglomerativeClustering on all of it."""
    from scipy.sparse import csr_matrix
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    from analytics import topics

    rows = topics.drop_time_terms(rows[rows["count"] > 0])
    keys, kidx = np.unique(rows["key"].to_numpy(), return_inverse=True)
    terms, tidx = np.unique(rows["term"].to_numpy(dtype=object).astype(str), return_inverse=True)
    counts = csr_matrix((rows["count"].to_numpy(dtype=np.float64), (kidx, tidx)), shape=(len(keys), len(terms)))
    x = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts)).astype(np.float32)
    sims = (x @ x.T).toarray()
    dist = np.clip(1.0 - sims, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=distance).fit_predict(dist)
    out = pd.DataFrame({"key": keys, "label": labels})
    out["size"] = out["label"].map(out["label"].value_counts()).astype("int64")
    out = out[out["size"] >= 2].copy()
    cent = np.zeros(len(out))
    for _, g in out.groupby("label"):
        ii = g.index.to_numpy()
        block = sims[np.ix_(ii, ii)]
        cent[out.index.get_indexer(g.index)] = (block.sum(axis=1) - np.diag(block)) / max(len(ii) - 1, 1)
    out["centrality"] = cent
    first = out.groupby("label")["key"].transform("min")
    order = out[["label", "size"]].assign(first=first).drop_duplicates("label").sort_values(["size", "first"],
                                                                                          ascending=[False, True])
    out["issue"] = out["label"].map({lab: i + 1 for i, lab in enumerate(order["label"])})
    out = out.sort_values(["issue", "centrality", "key"], ascending=[True, False, True])
    out["central"] = ~out["issue"].duplicated()
    return out.reset_index(drop=True)[["key", "issue", "size", "centrality", "central"]]


@pytest.mark.parametrize("distance", [0.5, 0.8, 0.9, 0.95, 0.99])
def test_issue_clusters_equal_scikit_learn_on_the_whole_matrix(c, distance):
    """Per-component average linkage and the one-pass cosine kernel give scikit-learn's clusters
    and the same float32 centralities, exactly, from small components (0.5) to one (0.99)."""
    from analytics import topics

    rows = c.sql("SELECT t.aid AS key, n.term, CAST(t.count AS BIGINT) AS count FROM tcx t JOIN cnames n USING (cid)")
    # the near-duplicates make tied distances of 0; a cut at 0.5 leaves dozens of small issues
    want = _sklearn_issue_clusters(rows, distance)
    got = topics.issue_clusters(rows, distance)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert want["issue"].nunique() >= (1 if distance > 0.95 else 5)


def test_released_postings_pages_give_the_same_sums(c):
    """After their pages leave the RSS (madvise DONTNEED) the mapped postings read the same."""
    aids = postings.subset_aids(c, "SELECT aid FROM art WHERE aid % 2 = 0")
    before = postings.subset_freq(c, aids)
    p = postings._post(c)
    assert sum(len(s.maps) for s in p.segs) > 0
    postings.release(p)
    for x, y in zip(postings.subset_freq(c, aids), before, strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("which", ["c", "c_inc"])
def test_keyword_drivers_from_the_tone_streams_equal_the_unnested_sentences(which, request, monkeypatch):
    """Under a keyword query (no aggregate covers the subset) the drivers sum the postings' tone
    streams (per article and term: its sentences, negative and positive ones) instead of unnesting
    every sentence's terms: the same rows and numbers, alias groups and an incremental build included."""
    c = request.getfixturevalue(which)
    assert postings.has_tones(c) and c.multi_tids
    if which == "c_inc":
        assert len(postings._post(c).segs) == 2  # the appended articles' segment has its streams too
    calls = []
    real = postings.tone_counts
    monkeypatch.setattr(postings, "tone_counts", lambda *a: calls.append(1) or real(*a))
    queries = [f for f in _filters(c) if f.query]
    fast = [sentiment_drivers(c, f, limit=500) for f in queries]
    assert len(calls) == len(queries)
    monkeypatch.setattr(postings, "has_tones", lambda c: False)
    n = 0
    for f, got in zip(queries, fast, strict=True):
        want = sentiment_drivers(c, f, limit=500)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
        n += len(want)
    assert n > 100
    assert len(calls) == len(queries)


def test_warm_up_loads_the_postings_and_kernels_and_changes_no_answer(tmp_path):
    """`warm_up` (the dashboard runs it in a thread on opening a corpus) maps the postings and
    compiles the loops, concurrently with a page's first query, and leaves every answer as it was."""
    import threading

    root = tmp_path / "store"
    write_synthetic_store(root, 120, chunk=120)
    c0 = q.open_corpus(root)
    f = Filters(query=" OR ".join(_terms(c0)[:2]))
    want = q.top_keywords(c0, f, 20, "yake"), q.top_keywords(c0, f, 20, "tf")
    c1 = q.open_corpus(root)
    assert "post" not in c1._postings
    t = threading.Thread(target=q.warm_up, args=(c1,))
    t.start()
    got = q.top_keywords(c1, f, 20, "yake"), q.top_keywords(c1, f, 20, "tf")
    t.join()
    assert {"post", "ent", "amask"} <= set(c1._postings) and {"count", "weigh", "rows"} <= set(postings._kernels)
    for x, y in zip(q.cooccurrence_network(c1, f), q.cooccurrence_network(c0, f), strict=True):
        pd.testing.assert_frame_equal(x, y)
    for x, y in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(x, y)
    q.warm_up(c1)  # twice is harmless


def test_mask_pair_counts_equal_the_matrix_product_of_the_expanded_masks():
    """The compiled pair count over bit masks equals B.T @ diag(k) @ B of their 0/1 rows."""
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 40, 62):
        bits = rng.random((500, n)) < rng.uniform(0.02, 0.4)
        masks = (bits.astype(np.int64) << np.arange(n, dtype=np.int64)).sum(axis=1)
        k = rng.integers(1, 50, len(masks)).astype(np.float64)
        b = bits.astype(np.float64)
        np.testing.assert_array_equal(postings.mask_pair_counts(masks, k, n), (b * k[:, None]).T @ b)
    assert postings.mask_pair_counts(np.zeros(0, np.int64), np.zeros(0), 3).tolist() == [[0.0] * 3] * 3


def test_rising_terms_ranked_on_numpy_logs_equal_the_exact_ranking():
    """G² with numpy's log for every term and math.log's only near the top ranks the same rows
    with the same (exact) values as math.log's G² for every term."""
    from analytics.queries.terms import _g2, _g2_fast, _top_g2

    rng = np.random.default_rng(11)
    for trial in range(20):
        m = int(rng.integers(5, 3000))
        a = rng.integers(0, 40, m).astype(float)
        b = rng.integers(0, 40, m).astype(float)
        a[rng.random(m) < 0.1] = a[0]  # ties
        b[rng.random(m) < 0.1] = b[0]
        n1, n0 = float(a.sum() + 5), float(b.sum() + 7)
        df = pd.DataFrame({"cid": np.arange(m, dtype=np.int64), "cnt": a, "base": b})
        exact = df.assign(g2=_g2(df["cnt"], df["base"], n1, n0))
        g, tol = _g2_fast(a, b, n1, n0)
        for n in (0, 1, 15, 30, m + 1):
            want = _top_g2(exact, n)
            got = _top_g2(df.assign(g2=g), n, n1, n0, tol)
            pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"trial {trial}, n {n}")


def test_vocabulary_index_finds_exactly_what_the_vocabulary_scan_finds(c):
    """`matching.VocabIndex` (typed-term look-ups in memory) = the SQL it replaced: the terms whose
    spacing-free lower-case form holds a key, and which pieces next to a key are one-word terms."""
    from analytics.queries.matching import _Pieces, squeeze, vocab_index

    index = vocab_index(c)
    vocab = c.sql("SELECT tid, term FROM vocab")
    keys = [squeeze(t) for t in _terms(c)] + ["정부", "ai", "없는말"]
    for k in keys:
        want = c.sql("SELECT tid, term FROM vocab WHERE contains(lower(replace(term, ' ', '')), ?)", [k])
        assert index.holding([k]) == dict(zip(want["term"], want["tid"].astype(int), strict=True))
    pieces = {squeeze(t) for t in vocab["term"].head(50)} | {"없는말", "인공 지능", keys[0]}
    want = set(c.sql("SELECT lower(term) AS t FROM vocab WHERE lower(term) IN (SELECT unnest(?))", [sorted(pieces)])["t"])
    words = _Pieces(index.single, {keys[0]})
    assert {p for p in pieces if p in words} == {p for p in want if len(p) >= 2} - {keys[0]}
    assert keys[0] in want and keys[0] not in words  # a key is never a piece next to itself
    assert index.holding(["없는말"]) == {}


def test_vocabulary_index_follows_the_snapshot(tmp_path):
    """A new snapshot (more articles, new terms) gets a new index, not the old one."""
    from analytics.queries.matching import vocab_index

    write_synthetic_store(tmp_path / "s", 30, chunk=30)
    c1 = q.open_corpus(tmp_path / "s")
    n1 = len(vocab_index(c1).terms)
    write_synthetic_store(tmp_path / "s", 200, chunk=200, first=30)
    c2 = q.open_corpus(tmp_path / "s")
    assert len(vocab_index(c2).terms) == int(c2.sql("SELECT count(*) AS n FROM vocab")["n"].iloc[0]) > n1


def test_keyword_query_entity_lists_are_summed_from_the_entity_rows(c, monkeypatch):
    """Under a keyword query (no aggregate covers it) the entity list and the network's nodes come
    from `entity_sums` (equal to the SQL above), and its rows count each article once per referent."""
    from analytics.queries import entity_sums

    calls = []
    real = entity_sums.stats
    monkeypatch.setattr(entity_sums, "stats", lambda *a: calls.append(1) or real(*a))
    f = _filters(c)[1]
    top = q.top_entities(c, f, n=3)
    q.entity_network(c, f)
    assert len(calls) == 2 and len(top) == 3
    er = entity_sums.rows(c)
    pairs = np.stack([er.at, er.key], axis=1)
    assert len(np.unique(pairs, axis=0)) == len(pairs)
    whole = c.sql("SELECT count(*) AS n FROM (SELECT DISTINCT e.aid, r.type, r.cid FROM ent e JOIN eref r USING (tid))")
    assert len(pairs) == int(whole["n"].iloc[0])
