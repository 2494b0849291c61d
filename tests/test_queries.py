"""analytics.queries on a five-article corpus built here; every expected value is worked by hand.

Corpus (after the lexicon: 인공지능 -> AI, 삼성 -> 삼성전자, stopword 것):

| id | source | published  | terms                      | n_terms |
|----|--------|------------|----------------------------|---------|
| a1 | 조선   | 2024-01-10 | AI 2, 반도체 1, 수출 1      | 4       |
| a2 | 조선   | 2024-01-20 | 인공지능(AI) 1, 반도체 2    | 3       |
| a3 | 한겨레 | 2024-02-05 | 반도체 3, 수출 2            | 5       |
| a4 | 한겨레 | 2024-02-15 | AI 1, 로봇 1, (것 5 dropped) | 2       |
| a5 | 미상   | 미상       | AI 1, 로봇 2                | 3       |
"""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest

from analytics import queries as q
from analytics.config import UNKNOWN
from analytics.filters import Filters, parse_query
from analytics.store import Change, Store

ARTICLES = [
    ("a1", "조선", date(2024, 1, 10)), ("a2", "조선", date(2024, 1, 20)),
    ("a3", "한겨레", date(2024, 2, 5)), ("a4", "한겨레", date(2024, 2, 15)), ("a5", None, None),
]
TERMS = {
    "a1": {"AI": 2, "반도체": 1, "수출": 1}, "a2": {"인공지능": 1, "반도체": 2},
    "a3": {"반도체": 3, "수출": 2}, "a4": {"AI": 1, "로봇": 1, "것": 5}, "a5": {"AI": 1, "로봇": 2},
}
KEYWORDS = {"a1": ["AI", "반도체"], "a2": ["인공지능", "반도체"], "a3": ["반도체", "수출"], "a4": ["로봇", "AI", "것"]}
SENTENCES = {  # (text, terms, label, score)
    "a1": [("AI 반도체 수출이 늘었다.", ["AI", "반도체", "수출"], "positive", 0.8),
           ("AI 투자가 이어졌다.", ["AI"], "neutral", 0.1)],
    "a2": [("인공지능 반도체 경쟁이 치열하다.", ["인공지능", "반도체"], "negative", -0.6),
           ("반도체 가격이 떨어졌다.", ["반도체"], "negative", -0.4)],
    "a3": [("반도체 수출이 사상 최대다.", ["반도체", "수출"], "positive", 0.9),
           ("반도체 수출 호조에 반도체 업계가 웃었다.", ["반도체", "수출"], "positive", 0.7)],
    "a4": [("AI 로봇이 공장에 들어왔다.", ["AI", "로봇", "것"], "neutral", 0.0)],
    "a5": [("AI 로봇과 로봇 팔.", ["AI", "로봇"], "negative", -0.2)],
}
ENTITIES = [  # article, type, canonical, count, sentences
    ("a1", "OG", "삼성전자", 1, [1]), ("a1", "PS", "이재용", 1, [0]), ("a3", "OG", "삼성", 2, [0, 1]),
    ("a3", "LC", "서울", 1, [0]), ("a4", "LC", "서울", 1, [0]), ("a5", "LC", "서울", 1, [0]),
]
TONE = {"a1": (0.45, 0.5, 0.0, 2), "a2": (-0.5, 0.0, 1.0, 2), "a3": (0.8, 1.0, 0.0, 2),
        "a4": (0.0, 0.0, 0.0, 1), "a5": (-0.2, 0.0, 1.0, 1)}
ALL = Filters()


def build_store(root) -> Store:
    store = Store(root)
    ch = Change()
    ch.append("articles", [{"id": i, "source": s, "published": d, "year": d.year if d else None,
                            "title": f"제목 {i}", "text": "…", "language": "ko", "cluster_id": i,
                            "is_excerpt": False, "synthetic": False, "n_chars": 10} for i, s, d in ARTICLES])
    ch.append("terms", [{"article_id": a, "term": t, "cls": "common", "count": n}
                        for a, ts in TERMS.items() for t, n in ts.items()])
    ch.append("keywords", [{"article_id": a, "rank": r, "keyword": k, "score": 0.1 * r}
                           for a, ks in KEYWORDS.items() for r, k in enumerate(ks, start=1)])
    ch.append("sentences", [{"article_id": a, "pos": p, "start": 0, "end": len(t), "text": t, "label": lab,
                             "score": sc, "terms": ts}
                            for a, ss in SENTENCES.items() for p, (t, ts, lab, sc) in enumerate(ss)])
    ch.append("entities", [{"article_id": a, "type": ty, "canonical": cn, "surface": cn, "count": n, "sentences": ps}
                           for a, ty, cn, n, ps in ENTITIES])
    ch.append("article_sentiment", [{"article_id": a, "mean_score": m, "pos_share": p, "neg_share": ng,
                                     "n_sentences": k} for a, (m, p, ng, k) in TONE.items()])
    ch.append("problems", [{"run_id": "r1", "path": "bad.txt", "reason": "빈 파일"}])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r1"}))
    return store


pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture(scope="module")
def lex_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("lexicon")
    (d / "aliases.csv").write_text("variant,canonical\n인공지능,AI\n삼성,삼성전자\n", encoding="utf-8")
    (d / "stopwords_user.txt").write_text("# test\n것\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def c(tmp_path_factory, lex_dir):
    root = tmp_path_factory.mktemp("qstore") / "store"
    build_store(root)
    return q.open_corpus(root, lex_dir)


def ids(df: pd.DataFrame, col: str = "id") -> list[str]:
    return sorted(df[col])


# ---- parse_query and filters -----------------------------------------------------------------
def test_parse_query_and_binds_tighter_than_or_and_parentheses_distribute():
    assert parse_query("AI OR 인공지능") == [["AI"], ["인공지능"]]
    assert parse_query("반도체 AND 수출 OR 로봇") == [["반도체", "수출"], ["로봇"]]
    assert parse_query("(AI OR 로봇) AND 일자리") == [["AI", "일자리"], ["로봇", "일자리"]]
    assert parse_query("4차 산업혁명") == [["4차 산업혁명"]]
    assert parse_query("research and development") == [["research and development"]]
    assert parse_query('"OR" | x') == [["OR"], ["x"]]
    assert parse_query("  ") == []


@pytest.mark.parametrize("bad", ["AND x", "(a OR b", "a OR", '"open'])
def test_parse_query_rejects_malformed(bad):
    with pytest.raises(ValueError):
        parse_query(bad)


def test_query_and(c):
    assert ids(q.articles(c, Filters(query="반도체 AND 수출"))) == ["a1", "a3"]


def test_query_or_applies_aliases(c):
    # 인공지능 is an alias of AI: it matches articles holding either form
    assert ids(q.articles(c, Filters(query="인공지능"))) == ["a1", "a2", "a4", "a5"]
    assert ids(q.articles(c, Filters(query="인공지능 OR 수출"))) == ["a1", "a2", "a3", "a4", "a5"]
    assert ids(q.articles(c, Filters(query="(AI OR 로봇) AND 반도체"))) == ["a1", "a2"]


def test_keyword_query_term_sets_are_materialised_with_the_same_articles(tmp_path, lex_dir, monkeypatch):
    """A typed term's article set is built once per corpus and lexicon (a table) and holds the same
    articles as the scan of tm it replaces; past TERM_SETS_MAX the scan is used again, same result."""
    from analytics.queries import sql as qs

    root = tmp_path / "store"
    build_store(root)
    c2 = q.open_corpus(root, lex_dir)
    for term in ["인공지능", "AI", "반도체", "수출", "로봇", "없는말"]:
        got = qs._term_aids(c2, term)
        assert got.startswith("SELECT aid FROM _termset_")
        assert sorted(c2.sql(got)["aid"]) == sorted(set(c2.sql(qs._term_aids_inline(c2, term))["aid"]))
    assert qs._term_aids(c2, "AI") == qs._term_aids(c2, "AI") and len(c2._termsets) == 6
    queries = ["인공지능", "반도체 AND 수출", "인공지능 OR 수출", "(AI OR 로봇) AND 반도체"]
    cached = [ids(q.articles(c2, Filters(query=x))) for x in queries]
    views = [(q.kwic, ("반도체",)), (q.related_terms, ("반도체", "article")), (q.related_terms, ("AI", "sentence"))]
    cached_views = [fn(c2, Filters(query="인공지능 OR 수출"), *a) for fn, a in views]
    assert all(len(v) > 0 for v in cached_views)
    monkeypatch.setattr(qs, "TERM_SETS_MAX", 0)
    c3 = q.open_corpus(root, lex_dir)
    for (fn, a), want in zip(views, cached_views, strict=True):
        pd.testing.assert_frame_equal(fn(c3, Filters(query="인공지능 OR 수출"), *a), want)
    assert qs._term_aids(c3, "반도체").startswith("SELECT aid FROM tm") and not c3._termsets
    assert [ids(q.articles(c3, Filters(query=x))) for x in queries] == cached == [
        ["a1", "a2", "a4", "a5"], ["a1", "a3"], ["a1", "a2", "a3", "a4", "a5"], ["a1", "a2"]]


def test_query_restricts_every_query(c):
    f = Filters(query="수출")
    assert q.kpis(c, f)["articles"] == 2
    tk = q.top_keywords(c, f, method="tf")
    assert dict(zip(tk["term"], tk["tf"], strict=True)) == {"반도체": 4, "수출": 3, "AI": 2}


def test_unknown_source_and_year_are_selectable(c):
    assert ids(q.articles(c, Filters(sources=(UNKNOWN,)))) == ["a5"]
    assert ids(q.articles(c, Filters(years=(UNKNOWN,)))) == ["a5"]
    assert ids(q.articles(c, Filters(sources=("조선", UNKNOWN)))) == ["a1", "a2", "a5"]


def test_date_range_keeps_undated_unless_asked(c):
    f = Filters(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29))
    assert ids(q.articles(c, f)) == ["a3", "a4", "a5"]
    assert ids(q.articles(c, Filters(date_from=date(2024, 2, 1), include_undated=False))) == ["a3", "a4"]


def test_empty_result_gives_empty_frames(c):
    f = Filters(sources=("없는매체",))
    assert q.volume(c, f).empty
    assert q.kpis(c, f)["articles"] == 0
    assert q.keyword_trend(c, f, ("AI",)).empty
    assert q.top_keywords(c, f).empty
    assert q.rising_terms(c, f, date(2024, 2, 1), date(2024, 2, 29)).empty
    assert q.kwic(c, f, "AI").empty
    assert q.sentiment_by_source(c, f).empty
    assert q.top_entities(c, f).empty
    nodes, edges = q.cooccurrence_network(c, f)
    assert nodes.empty and edges.empty
    summary, ev = q.target_sentiment(c, f, "반도체")
    assert summary["sentences"] == 0 and ev.empty


# ---- volume, kpis ----------------------------------------------------------------------------
def test_volume_keeps_undated_as_nat(c):
    v = q.volume(c, ALL, "month")
    assert list(v["source"]) == ["조선", "한겨레", UNKNOWN]
    assert list(v["articles"]) == [2, 2, 1]
    assert v["period"].iloc[0] == pd.Timestamp("2024-01-01") and pd.isna(v["period"].iloc[2])
    assert list(v["share"]) == [0.4, 0.4, 0.2]


def test_volume_one_source(c):
    v = q.volume(c, Filters(sources=("한겨레",)), "year")
    assert v[["source", "articles"]].values.tolist() == [["한겨레", 2]]


def test_kpis(c):
    k = q.kpis(c, ALL)
    assert (k["articles"], k["sources"], k["stories"]) == (5, 3, 5)
    assert (k["first"], k["last"]) == (date(2024, 1, 10), date(2024, 2, 15)) or \
        (pd.Timestamp(k["first"]), pd.Timestamp(k["last"])) == (pd.Timestamp("2024-01-10"), pd.Timestamp("2024-02-15"))


def test_sources_years(c):
    assert q.sources(c) == ["조선", "한겨레", UNKNOWN]
    assert q.years(c) == [2024, UNKNOWN]


# ---- keywords --------------------------------------------------------------------------------
def test_keyword_trend_alias_merges_two_terms(c):
    # AI per month: Jan a1 (2) + a2 (인공지능 1) of 7 terms; Feb a4 (1) of 7; undated a5 (1) of 3
    kt = q.keyword_trend(c, ALL, ("인공지능",), "month")
    assert list(kt.columns) == ["period", "term", "articles", "share", "per_10k"]
    assert list(kt["term"]) == ["AI"] * 3
    assert list(kt["articles"]) == [2, 1, 1]
    assert list(kt["share"]) == [1.0, 0.5, 1.0]
    assert kt["per_10k"].tolist() == pytest.approx([3 / 7 * 1e4, 1 / 7 * 1e4, 1 / 3 * 1e4])
    assert pd.isna(kt["period"].iloc[2])


def test_keyword_trend_by_source_shows_zero_periods(c):
    kt = q.keyword_trend(c, ALL, ("수출", "로봇"), "month", by_source=True)
    jan = kt[(kt["source"] == "조선")]
    assert jan[["term", "articles"]].values.tolist() == [["로봇", 0], ["수출", 1]]
    feb = kt[(kt["source"] == "한겨레")].set_index("term")
    assert feb.loc["수출", "share"] == 0.5 and feb.loc["수출", "per_10k"] == pytest.approx(2 / 7 * 1e4)


def test_top_keywords_tf_drops_stopwords(c):
    tk = q.top_keywords(c, ALL, method="tf")
    assert tk[["term", "tf", "df"]].values.tolist() == [["반도체", 6, 3], ["AI", 5, 4], ["로봇", 3, 2], ["수출", 3, 2]]


def test_top_keywords_yake_reciprocal_rank(c):
    tk = q.top_keywords(c, ALL, method="yake")
    # AI: 1/1 (a1) + 1/1 (a2, 인공지능) + 1/2 (a4); 반도체: 1/2 + 1/2 + 1/1; 로봇 1; 수출 1/2; 것 dropped
    assert tk["term"].tolist() == ["AI", "반도체", "로봇", "수출"]
    assert tk["score"].tolist() == pytest.approx([2.5, 2.0, 1.0, 0.5])
    assert tk["df"].tolist() == [4, 3, 2, 2]


def test_rising_terms_g2_growth_first_seen(c):
    r = q.rising_terms(c, ALL, date(2024, 2, 1), date(2024, 2, 29))
    # target a3+a4 (7 terms) vs 2024-01-03..01-31 a1+a2 (7 terms); 반도체 3 vs 3 is unchanged
    assert r[["term", "count", "baseline_count", "direction"]].values.tolist() == [
        ["로봇", 1, 0, "rising"], ["수출", 2, 1, "rising"], ["AI", 1, 3, "fading"]]
    g2_robot = 2 * math.log(2)
    g2_export = 2 * (2 * math.log(2 / 1.5) + math.log(1 / 1.5))
    g2_ai = 2 * (math.log(0.5) + 3 * math.log(1.5))
    assert r["g2"].tolist() == pytest.approx([g2_robot, g2_export, g2_ai])
    assert r["growth"].tolist() == pytest.approx([2.0, 1.5, 0.5])
    assert [pd.Timestamp(x) for x in r["first_seen"]] == [pd.Timestamp(d) for d in
                                                          ("2024-02-15", "2024-01-10", "2024-01-10")]


def test_distinctive_terms_log_odds_informative_prior(c):
    d = q.distinctive_terms(c, Filters(sources=("조선",)), Filters(sources=("한겨레",)))
    # A = 조선: AI 3, 반도체 3, 수출 1 (7); B = 한겨레: 반도체 3, 수출 2, AI 1, 로봇 1 (7)
    a0 = q.PRIOR_ALPHA0

    def expect(ya, yb):
        al = a0 * (ya + yb) / 14
        lo = math.log((ya + al) / (7 + a0 - ya - al)) - math.log((yb + al) / (7 + a0 - yb - al))
        return lo, lo / math.sqrt(1 / (ya + al) + 1 / (yb + al))

    row = d.set_index("term")
    assert row.loc["AI", "group"] == "a" and (row.loc["AI", "count_a"], row.loc["AI", "count_b"]) == (3, 1)
    assert (row.loc["AI", "log_odds"], row.loc["AI", "z"]) == pytest.approx(expect(3, 1))
    assert row.loc["로봇", "group"] == "b" and row.loc["로봇", "z"] == pytest.approx(expect(0, 1)[1])
    assert "반도체" not in row.index  # 3 vs 3 of equal totals: log-odds 0, in neither group
    assert d["group"].tolist() == ["a", "b", "b"]


def _g2(a, nx, nw, n):
    """G² of the 2x2 table written out cell by cell (hand formula for the tests)."""
    cells = [(a, nx * nw / n), (nx - a, nx * (n - nw) / n), (nw - a, (n - nx) * nw / n),
             (n - nx - nw + a, (n - nx) * (n - nw) / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def test_related_terms_article_scope(c):
    r = q.related_terms(c, ALL, "AI", scope="article", min_count=1)
    # N = 5 articles; AI in 4; 로봇 df 2 cooc 2 (expected 1.6: associated); 반도체 df 3 cooc 2
    # (expected 2.4) and 수출 df 2 cooc 1 (expected 1.6) co-occur less than chance: not listed
    assert r["term"].tolist() == ["로봇"]
    assert r[["cooc", "freq"]].values.tolist() == [[2, 2]]
    assert r["g2"].tolist() == pytest.approx([_g2(2, 4, 2, 5)])
    assert r["pmi"].tolist() == pytest.approx([math.log2(10 / 8)])
    assert r["jaccard"].tolist() == pytest.approx([2 / 4])
    assert q.related_terms(c, ALL, "AI", scope="article", min_count=3).empty


def test_related_terms_sentence_scope(c):
    r = q.related_terms(c, ALL, "인공지능", scope="sentence", min_count=1)
    # the 6 sentences of a1, a2, a4, a5; AI in 5; 로봇 in 2 (both with AI); 수출 in 1 (with AI);
    # 반도체 in 3 (2 with AI: expected 2.5, not associated). Ranked by G².
    assert r[["term", "cooc"]].values.tolist() == [["로봇", 2], ["수출", 1]]
    assert r["g2"].tolist() == pytest.approx([_g2(2, 5, 2, 6), _g2(1, 5, 1, 6)])
    assert r["pmi"].tolist() == pytest.approx([math.log2(12 / 10), math.log2(6 / 5)])
    assert r["jaccard"].tolist() == pytest.approx([2 / 5, 1 / 5])
    assert r.attrs["units"] == 6 and r.attrs["units_with_term"] == 5


def test_cooccurrence_network(c):
    nodes, edges = q.cooccurrence_network(c, ALL, n_nodes=3, min_weight=1, include_entities=False)
    assert nodes[["id", "kind", "size"]].values.tolist() == [["AI", "term", 4], ["반도체", "term", 3], ["로봇", "term", 2]]
    assert edges.values.tolist() == [["AI", "로봇", 2], ["AI", "반도체", 2]]
    nodes, _ = q.cooccurrence_network(c, ALL, n_nodes=4, min_weight=1)
    assert dict(zip(nodes["id"], nodes["kind"], strict=True))["서울"] == "LC"


def test_kwic_matches_alias_variants_newest_first(c):
    k = q.kwic(c, ALL, "AI", width=4)
    assert k["article_id"].tolist() == ["a4", "a2", "a1", "a1", "a5"]
    assert k.iloc[0][["left", "keyword", "right"]].tolist() == ["", "AI", " 로봇이"]
    assert k.iloc[1][["left", "keyword", "right"]].tolist() == ["", "인공지능", " 반도체"]
    k = q.kwic(c, ALL, "반도체", width=3)
    a3 = k[k["article_id"] == "a3"]
    assert len(a3) == 3  # two occurrences in the second sentence of a3
    assert a3.iloc[2][["left", "keyword", "right"]].tolist() == ["호조에 "[-3:], "반도체", " 업계"]


# ---- sentiment -------------------------------------------------------------------------------
def test_sentiment_by_source_is_sentence_weighted(c):
    s = q.sentiment_by_source(c, ALL)
    assert s["source"].tolist() == ["조선", "한겨레", UNKNOWN]
    assert s["mean_score"].tolist() == pytest.approx([(0.9 - 1.0) / 4, 1.6 / 3, -0.2])
    assert s["pos_share"].tolist() == pytest.approx([0.25, 2 / 3, 0.0])
    assert s["neg_share"].tolist() == pytest.approx([0.5, 0.0, 1.0])
    assert s[["articles", "sentences"]].values.tolist() == [[2, 4], [2, 3], [1, 1]]


def test_sentiment_over_time(c):
    s = q.sentiment_over_time(c, ALL, "month")
    assert s["source"].tolist() == ["조선", "한겨레", UNKNOWN]
    assert s["articles"].tolist() == [2, 2, 1]
    assert pd.isna(s["period"].iloc[2])


def test_target_sentiment_term(c):
    summary, ev = q.target_sentiment(c, ALL, "반도체")
    assert summary["sentences"] == 5 and summary["articles"] == 3
    assert summary["mean_score"] == pytest.approx(1.4 / 5)
    assert (summary["pos_share"], summary["neg_share"]) == pytest.approx((0.6, 0.4))
    assert list(ev.columns) == ["article_id", "published", "source", "title", "pos", "text", "label", "score"]
    assert ev["article_id"].tolist() == ["a3", "a3", "a2", "a2", "a1"]


def test_target_sentiment_entity_through_alias(c):
    summary, ev = q.target_sentiment(c, ALL, "삼성")  # 삼성 -> 삼성전자: a1 sentence 1, a3 sentences 0 and 1
    assert summary["sentences"] == 3 and summary["articles"] == 2
    assert summary["mean_score"] == pytest.approx((0.1 + 0.9 + 0.7) / 3)
    assert sorted(zip(ev["article_id"], ev["pos"], strict=True)) == [("a1", 1), ("a3", 0), ("a3", 1)]


# ---- entities --------------------------------------------------------------------------------
def test_top_entities_alias_merges(c):
    e = q.top_entities(c, ALL)
    assert e.values.tolist() == [["LC", "서울", 3, 3, ""], ["OG", "삼성전자", 3, 2, "삼성전자, 삼성"],
                                 ["PS", "이재용", 1, 1, ""]]
    assert q.top_entities(c, ALL, type="PS")["entity"].tolist() == ["이재용"]


def test_entity_timeline(c):
    t = q.entity_timeline(c, ALL, "서울")
    assert t[["source", "mentions", "articles"]].values.tolist() == [["한겨레", 2, 2], [UNKNOWN, 1, 1]]
    assert pd.isna(t["period"].iloc[1])


def test_entity_network(c):
    nodes, edges = q.entity_network(c, ALL)
    assert nodes[["id", "label", "type", "size"]].values.tolist() == [
        ["LC:서울", "서울", "LC", 3], ["OG:삼성전자", "삼성전자", "OG", 2], ["PS:이재용", "이재용", "PS", 1]]
    assert edges.values.tolist() == [["LC:서울", "OG:삼성전자", 1], ["OG:삼성전자", "PS:이재용", 1]]


def test_entity_articles(c):
    df = q.entity_articles(c, ALL, "삼성")
    assert df["id"].tolist() == ["a3", "a1"]
    assert list(df.columns) == list(q.articles(c, ALL).columns)


# ---- spikes, reader, store -------------------------------------------------------------------
def test_explain_spike(c):
    terms, arts = q.explain_spike(c, ALL, date(2024, 2, 1), date(2024, 2, 29))
    assert terms["term"].tolist() == ["로봇", "수출"]
    assert arts["id"].tolist() == ["a4", "a3"]
    assert arts["score"].tolist() == pytest.approx([2 * math.log(2), 2 * (2 * math.log(2 / 1.5) + math.log(1 / 1.5))])


def test_article_reader_tables(c):
    assert q.article_keywords(c, "a2")[["rank", "keyword", "term"]].values.tolist() == [
        [1, "인공지능", "AI"], [2, "반도체", "반도체"]]
    assert q.article_entities(c, "a3")[["type", "entity", "count"]].values.tolist() == [
        ["OG", "삼성전자", 2], ["LC", "서울", 1]]
    s = q.article_sentences(c, "a3")
    assert s["pos"].tolist() == [0, 1] and s["label"].tolist() == ["positive", "positive"]
    assert q.article(c, "a1")["title"] == "제목 a1" and q.article(c, "zz") is None


def test_article_sentences_from_query_tables_equal_the_store_sentences(c):
    """The reader reads one article's sentences from the query tables: the same rows, columns and
    types as the store's own sentence files."""
    n = 0
    for aid in c.sql("SELECT id FROM art ORDER BY id")["id"]:
        want = c.sql("""SELECT pos, start, "end", text, label, score, terms FROM sentences
                        WHERE article_id = ? ORDER BY pos""", [aid])
        got = q.article_sentences(c, aid)
        pd.testing.assert_frame_equal(got, want)
        n += len(got)
    assert n == c.sql("SELECT count(*) AS n FROM sentences")["n"][0] > 0


def test_store_versions_and_problems(c):
    v = q.store_versions(c)
    assert v["kind"].tolist() == ["ingest", "init"] and list(v.columns) == ["id", "at", "kind", "note"]
    assert q.last_problems(c).values.tolist() == [["bad.txt", "빈 파일"]]


def test_lexicon_key_changes_and_reload_recounts(tmp_path, lex_dir):
    root = tmp_path / "store"
    build_store(root)
    d = tmp_path / "lex"
    d.mkdir()
    c2 = q.open_corpus(root, d)  # no lexicon files: 인공지능 and 것 counted as themselves
    key = c2.lexicon_key
    tk = q.top_keywords(c2, ALL, method="tf")
    assert tk["term"].tolist()[:2] == ["반도체", "것"] and "인공지능" in set(tk["term"])
    (d / "aliases.csv").write_text("variant,canonical\n인공지능,AI\n", encoding="utf-8")
    (d / "stopwords_user.txt").write_text("것\n", encoding="utf-8")
    assert q.lexicon_key(d) != key
    assert q.reload_lexicon(c2) is True
    assert q.top_keywords(c2, ALL, method="tf")["term"].tolist() == ["반도체", "AI", "로봇", "수출"]
    assert q.reload_lexicon(c2) is False


def test_corpus_shared_across_threads(c):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as ex:
        out = list(ex.map(lambda _: q.top_keywords(c, ALL, method="tf")["tf"].sum(), range(8)))
    assert out == [17] * 8


def test_store_without_analysis_rows_opens_and_answers(tmp_path, lex_dir):
    store = Store(tmp_path / "store")
    ch = Change()
    ch.append("articles", [{"id": "x1", "source": "조선", "published": date(2024, 3, 1), "year": 2024,
                            "title": "t", "text": "본문", "cluster_id": "x1"}])
    with store.writer() as w:
        w.commit(ch, "ingest")
    c2 = q.open_corpus(tmp_path / "store", lex_dir)
    assert q.volume(c2, ALL)["articles"].tolist() == [1]
    assert q.top_keywords(c2, ALL, method="tf").empty and q.top_keywords(c2, ALL).empty
    assert q.keyword_trend(c2, ALL, ("AI",))["articles"].tolist() == [0]
    assert q.articles(c2, Filters(query="AI")).empty
    assert q.kwic(c2, ALL, "AI").empty and q.top_entities(c2, ALL).empty
    nodes, edges = q.cooccurrence_network(c2, ALL)
    assert nodes.empty and edges.empty


# ---- pre-aggregates: the aggregate path gives the per-article path's answers --------------------
PARITY_FILTERS = [
    ALL, Filters(sources=("조선",)), Filters(sources=(UNKNOWN, "한겨레")), Filters(years=(2024,)),
    Filters(years=(UNKNOWN,)), Filters(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29)),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31), include_undated=False),
    Filters(unique_stories=True, sources=("조선", "한겨레")), Filters(languages=("ko",)),
    Filters(query="AI"), Filters(query="AI OR 수출"), Filters(query="반도체", sources=("조선",)),
    Filters(query="로봇", date_from=date(2024, 1, 1), date_to=date(2024, 2, 29), include_undated=False),
]
PARITY_QUERIES = {
    "top_keywords/tf": lambda c, f: q.top_keywords(c, f, 10, "tf"),
    "top_keywords/yake": lambda c, f: q.top_keywords(c, f, 10, "yake"),
    "rising/aligned": lambda c, f: q.rising_terms(c, f, date(2024, 2, 1), date(2024, 2, 29),
                                                  date(2024, 1, 1), date(2024, 1, 31)),
    "rising/cut": lambda c, f: q.rising_terms(c, f, date(2024, 2, 1), date(2024, 2, 29)),
    "rising/days": lambda c, f: q.rising_terms(c, f, date(2024, 2, 1), date(2024, 2, 10),
                                               date(2024, 1, 15), date(2024, 1, 31)),
    "distinctive": lambda c, f: q.distinctive_terms(c, f, Filters(sources=("한겨레",))),
    "related/article": lambda c, f: q.related_terms(c, f, "AI", "article", min_count=1),
    "related/sentence": lambda c, f: q.related_terms(c, f, "반도체", "sentence", min_count=1),
    "network": lambda c, f: q.cooccurrence_network(c, f, min_weight=1),
    "top_entities": lambda c, f: q.top_entities(c, f),
    "entity_network": lambda c, f: q.entity_network(c, f),
    "target_sentiment": lambda c, f: q.target_sentiment(c, f, "삼성"),
    "explain_spike": lambda c, f: q.explain_spike(c, f, date(2024, 2, 1), date(2024, 2, 29)),
    "sentiment_drivers": lambda c, f: q.sentiment_drivers(c, f),
    "sentiment_drivers/target": lambda c, f: q.sentiment_drivers(c, f, target="반도체"),
}


def _same(x, y, attrs: bool = False):
    """Two query results hold the same values (floats approx); `attrs`: their frames' attrs too."""
    if isinstance(x, tuple):
        for a, b in zip(x, y, strict=True):
            _same(a, b, attrs)
    elif isinstance(x, dict):
        assert x.keys() == y.keys()
        for k in x:
            assert x[k] == pytest.approx(y[k]) if isinstance(x[k], float) else x[k] == y[k]
    else:
        if attrs:
            assert x.attrs == y.attrs
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("name", sorted(PARITY_QUERIES))
def test_aggregate_path_matches_per_article_path(c, name):
    fn = PARITY_QUERIES[name]
    for f in PARITY_FILTERS:
        c.use_aggregates = False
        try:
            slow = fn(c, f)
        finally:
            c.use_aggregates = True
        _same(fn(c, f), slow)


def test_aggregates_answer_whole_month_filters_only(c):
    assert q._agg_cells(c, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))) is not None
    assert q._agg_cells(c, Filters(date_from=date(2024, 1, 2))) is None
    assert q._agg_cells(c, Filters(query="AI")) is None
    assert q._plan(c, Filters(query="AI"))[0] == "comp"  # 4 of 5 articles: counted as all minus a3
    # the aggregate path really answers (a wrong cell would change the numbers)
    tk = q.top_keywords(c, Filters(sources=("조선",)), 10, "tf").set_index("term")
    assert tk.loc["AI", "tf"] == 3 and tk.loc["AI", "df"] == 2  # a1 AI 2 + a2 인공지능 1 (alias group)


def test_articles_date_label_respects_precision(tmp_path, lex_dir):
    store = Store(tmp_path / "store")
    ch = Change()
    rows = [("d", date(2025, 3, 14), "day"), ("m", date(2025, 3, 1), "month"), ("y", date(2025, 1, 1), "year"),
            ("u", None, "unknown")]
    ch.append("articles", [{"id": i, "source": "조선", "published": d, "date_precision": p,
                            "year": d.year if d else None, "title": i, "text": "…", "language": "ko",
                            "cluster_id": i, "is_excerpt": False, "synthetic": False, "n_chars": 1}
                           for i, d, p in rows])
    with store.writer() as w:
        w.commit(ch, "ingest")
    df = q.articles(q.open_corpus(store.root, lex_dir), ALL).set_index("id")
    assert df["date_label"].to_dict() == {"d": "2025-03-14", "m": "2025-03", "y": "2025", "u": UNKNOWN}


def test_related_sentence_scope_caps_to_recent_articles(c):
    full = q.related_terms(c, ALL, "반도체", "sentence", min_count=1)
    assert {k: full.attrs[k] for k in ("articles_matching", "articles_used", "capped")} == \
        {"articles_matching": 3, "articles_used": 3, "capped": False}
    one = q.related_terms(c, ALL, "반도체", "sentence", min_count=1, max_articles=1)
    assert {k: one.attrs[k] for k in ("articles_matching", "articles_used", "capped")} == \
        {"articles_matching": 3, "articles_used": 1, "capped": True}
    # a3 (newest) only: both its sentences hold 반도체 (and 수출): nothing beats chance
    assert one.attrs["units"] == 2 and one.attrs["units_with_term"] == 2 and one.empty
