"""Topics, issues and query comparison on a two-theme corpus built here.

Corpus: 12 articles on chips (조선, January 2024) and 12 on vaccines (한겨레, March 2024). Article
i of a theme holds 4 of its theme's 6 words (a different pair left out each time) with count 1
or 2, plus 정부 (in every article: more than half, so left out of the model) and 26일 (a date,
never a topic word). Two articles per theme also mention the other theme's first word once.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics import queries as q
from analytics import topics as tm
from analytics.filters import Filters
from analytics.queries import topics as qt
from analytics.store import Change, Store

CHIPS = ["반도체", "수출", "메모리", "공장", "웨이퍼", "파운드리"]
VACCINE = ["백신", "접종", "병원", "고령", "부작용", "화이자"]
ALL = Filters()
JAN, MAR = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")


def theme_terms(words: list[str], i: int) -> dict[str, int]:
    skip = {i % 6, (i + 3) % 6} if i % 2 else {i % 6, (i + 1) % 6}
    terms = {w: 1 + (j + i) % 2 for j, w in enumerate(words) if j not in skip}
    return terms | {"정부": 1, "26일": 1}


def corpus_rows() -> tuple[list[dict], dict[str, dict[str, int]]]:
    arts, terms = [], {}
    for i in range(12):
        for theme, words, other, src, month in (("c", CHIPS, VACCINE, "조선", 1), ("v", VACCINE, CHIPS, "한겨레", 3)):
            aid = f"{theme}{i:02d}"
            d = date(2024, month, 1 + 2 * i)
            arts.append({"id": aid, "source": src, "published": d, "year": 2024, "title": f"{theme} 기사 {i}",
                         "text": "…", "language": "ko", "cluster_id": aid, "is_excerpt": False,
                         "synthetic": False, "n_chars": 10})
            terms[aid] = theme_terms(words, i) | ({other[0]: 1} if i in (4, 9) else {})
    return arts, terms


CHIP_IDS = [f"c{i:02d}" for i in range(12)]
VACCINE_IDS = [f"v{i:02d}" for i in range(12)]


def build_store(root) -> Store:
    store = Store(root)
    arts, terms = corpus_rows()
    ch = Change()
    ch.append("articles", arts)
    ch.append("terms", [{"article_id": a, "term": t, "cls": "common", "count": n}
                        for a, ts in terms.items() for t, n in ts.items()])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r1"}))
    return store


pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    root = tmp_path_factory.mktemp("tstore") / "store"
    build_store(root)
    lex = tmp_path_factory.mktemp("lex")
    return q.open_corpus(root, lex)


@pytest.fixture(scope="module")
def fit(c):
    return q.topic_model(c, ALL, 2)


def theme_of(terms: str) -> str:
    top = set(terms.split(", ")[:6])
    return "chips" if top == set(CHIPS) else "vaccine" if top == set(VACCINE) else f"mixed: {terms}"


def topic_no(fit, theme: str) -> int:
    return int(fit["topics"].loc[fit["topics"]["terms"].map(theme_of) == theme, "topic"].iloc[0])


# ---- the model -----------------------------------------------------------------------------------
def test_two_themes_give_two_topics_whose_top_terms_are_the_themes_words(fit):
    assert sorted(fit["topics"]["terms"].map(theme_of)) == ["chips", "vaccine"]
    assert sorted(fit["topics"]["articles"]) == [12, 12]
    assert fit["meta"]["k"] == 2 and fit["meta"]["n_modelled"] == 24


def test_each_topic_lists_its_most_representative_titles(c, fit):
    for _, row in fit["topics"].iterrows():
        best = q.topic_articles(c, ALL, 2, int(row["topic"]), 3)
        assert row["examples"] == " | ".join(best["title"])


def test_every_article_is_assigned_to_its_themes_topic(fit):
    docs = fit["docs"]
    chips = topic_no(fit, "chips")
    assert sorted(docs.loc[docs["topic"] == chips, "id"]) == CHIP_IDS
    assert sorted(docs.loc[docs["topic"] != chips, "id"]) == VACCINE_IDS


def test_common_and_date_terms_are_left_out_of_the_model(fit):
    assert fit["meta"]["dropped_terms"] == ["정부"]
    words = {w for t in fit["topics"]["terms"] for w in t.split(", ")}
    assert "정부" not in words and "26일" not in words


def test_topic_share_over_time_follows_when_each_theme_was_dated(c, fit):
    tl = q.topic_over_time(c, ALL, 2, "month")
    chips = topic_no(fit, "chips")
    jan = tl[(tl["period"] == JAN) & (tl["topic"] == chips)].iloc[0]
    mar = tl[(tl["period"] == MAR) & (tl["topic"] == chips)].iloc[0]
    assert (jan["articles"], jan["n_articles"], mar["articles"], mar["n_articles"]) == (12, 12, 0, 12)
    assert jan["share"] > 0.8 and mar["share"] < 0.2
    sums = tl.groupby("period")["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    assert list(tl["period"].drop_duplicates()) == [JAN, MAR]


def test_topic_by_source_and_topic_articles(c, fit):
    bs = q.topic_by_source(c, ALL, 2)
    chips = topic_no(fit, "chips")
    got = bs[bs["topic"] == chips].set_index("source")["articles"].to_dict()
    assert got == {"조선": 12, "한겨레": 0}
    arts = q.topic_articles(c, ALL, 2, chips, 5)
    assert len(arts) == 5 and set(arts["id"]) <= set(CHIP_IDS)
    fit_of = fit["docs"].set_index("id")["fit"]
    assert list(fit_of[arts["id"]]) == sorted(fit_of[fit_of.index.isin(CHIP_IDS)], reverse=True)[:5]


def test_topic_summary_is_the_model_without_the_article_frame(c, fit):
    s = q.topic_summary(c, ALL, 2)
    assert set(s) == {"topics", "k_scores", "meta"}
    pd.testing.assert_frame_equal(s["topics"], fit["topics"])


def test_topic_articles_of_a_period(c, fit):
    chips = topic_no(fit, "chips")
    jan = q.topic_articles(c, ALL, 2, chips, 100, date(2024, 1, 1), date(2024, 1, 9))
    assert sorted(jan["id"]) == ["c00", "c01", "c02", "c03", "c04"]
    assert q.topic_articles(c, ALL, 2, chips, 100, date(2024, 3, 1), date(2024, 3, 31)).empty


def test_topic_model_is_deterministic_and_cached_on_disk(c, fit):
    assert q.topic_model_ready(c, ALL, 2)
    assert not q.topic_model_ready(c, ALL, 3)
    again = q.topic_model(c, ALL, 2)
    pd.testing.assert_frame_equal(again["docs"], fit["docs"])
    docs = tm.prepare_docs(qt.topic_terms(c, ALL).rename(columns={"key": "key"}))
    refit = tm.fit_topics(docs, 2)
    mix = fit["docs"][["t1", "t2"]].to_numpy()
    assert np.array_equal(refit.theta, mix)


def test_a_store_rebuilt_at_the_same_path_is_fitted_again(tmp_path):
    import shutil

    root = tmp_path / "store"
    build_store(root)
    first = q.topic_model(q.open_corpus(root, tmp_path / "lex"), ALL, 2)
    shutil.rmtree(root)
    store = build_store(root)  # same path, same snapshot id, another store
    c2 = q.open_corpus(root, tmp_path / "lex")
    assert c2.version == 1 and store.identity()
    assert not q.topic_model_ready(c2, ALL, 2)
    assert q.topic_model(c2, ALL, 2)["meta"]["n_modelled"] == first["meta"]["n_modelled"]


def test_filters_change_the_model(c):
    with pytest.raises(ValueError, match="10건 이상"):
        q.topic_model(c, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 9)), 2)
    res = q.topic_model(c, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 11)), 2)
    assert res["meta"]["n_modelled"] == 18
    assert sorted(res["docs"]["id"]) == CHIP_IDS + VACCINE_IDS[:6]
    assert sorted(res["topics"]["articles"]) == [6, 12]


def test_choose_k_scores_each_candidate_and_marks_one():
    arts, terms = corpus_rows()
    rows = pd.DataFrame([(a, t, n) for a, ts in terms.items() for t, n in ts.items()], columns=["key", "term", "count"])
    docs = tm.prepare_docs(rows)
    tab = tm.choose_k(docs.bags, (2, 3))
    assert list(tab["k"]) == [2, 3] and tab["chosen"].sum() == 1
    best, se = tab["coherence"].max(), tab["se"].iloc[0]
    assert tab.loc[tab["chosen"], "k"].iloc[0] == tab.loc[tab["coherence"] >= best - se, "k"].min()
    assert tab.equals(tm.choose_k(docs.bags, (2, 3)))
    assert tm.candidate_ks(24) == [3] and tm.candidate_ks(9) == [2] and tm.candidate_ks(100)[-1] == 20


def test_large_corpora_get_fewer_sweeps():
    assert tm.iterations_for([["a"] * 100] * 100) == 200
    assert tm.iterations_for([["a"] * 170] * 10_000) == 100
    assert tm.iterations_for([["a"] * 170] * 5_000) == 200 == tm.ITERATIONS


# ---- pure helpers ---------------------------------------------------------------------------------
def test_prepare_docs_repeats_counts_and_drops_rare_and_time_terms():
    rows = pd.DataFrame([("a", "반도체", 2), ("a", "오전 9시", 1), ("a", "수출", 1), ("b", "반도체", 1),
                         ("b", "수출", 1), ("b", "희귀", 1)], columns=["key", "term", "count"])
    d = tm.prepare_docs(rows)
    assert list(d.keys) == ["a", "b"] and d.bags == [["반도체", "반도체", "수출"], ["반도체", "수출"]]


def test_house_style_terms_and_their_words_leave_that_outlets_articles():
    rows = []
    for i in range(10):  # 문화 always writes the long name; the others write 코로나19
        rows += [(f"m{i}", "신종 코로나바이러스 감염증", 1, "문화"), (f"m{i}", "감염증", 1, "문화"), (f"m{i}", "백신", 1, "문화")]
        rows += [(f"h{i}", "코로나19", 1, "한겨레"), (f"h{i}", "백신", 1, "한겨레"), (f"h{i}", "감염증", 1, "한겨레")]
        rows += [(f"j{i}", "코로나19", 1, "조선"), (f"j{i}", "백신", 1, "조선")]
    frame = pd.DataFrame(rows, columns=["key", "term", "count", "source"])
    assert tm.house_style_terms(frame) == ["신종 코로나바이러스 감염증"]
    d = tm.prepare_docs(frame, max_df=1.0)
    assert d.style_terms == ["신종 코로나바이러스 감염증"]
    bags = dict(zip(d.keys, d.bags, strict=True))
    assert bags["m0"] == ["백신"] and bags["h0"] == ["감염증", "백신", "코로나19"]
    two_sources = frame[frame["source"] != "조선"]
    assert tm.house_style_terms(two_sources) == []  # fewer than 3 sources: no outlet style to tell


@pytest.mark.parametrize(("term", "expected"), [("26일", True), ("오전 9시", True), ("3개월", True),
                                                ("226만2천명", True), ("40%", True), ("3억원", True), ("7억5천만원", True),
                                                ("65세", False), ("1차", False), ("1호", False),
                                                ("17일 일본", False), ("백신", False)])
def test_is_time_term_drops_dates_and_bare_figures(term, expected):
    assert tm.is_time_term(term) is expected


def test_fit_scores_prefer_articles_made_of_the_topics_words():
    theta = np.array([[0.9, 0.1], [0.95, 0.05]])
    bags = [["의사", "면허", "파업", "총리"], ["총리", "트위터", "팔로워", "아베"]]
    s = tm.fit_scores(bags, theta, [["의사", "면허", "파업", "총리"], ["백신"]])
    assert s == pytest.approx([0.9, 0.95 / 4])
    assert list(tm.representative(theta, 1, 2, s)) == [0, 1]
    assert list(tm.representative(theta, 1, 2)) == [1, 0]


def test_label_terms_skip_the_parts_of_a_compound():
    assert tm.label_terms(["크라우드 소싱", "크라우드", "소싱", "혁신", "플랫폼", "기업"]) == \
        ["크라우드 소싱", "혁신", "플랫폼", "기업"]


def test_topic_shares_means_and_main_topic_counts():
    theta = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    out = tm.topic_shares(theta, pd.Series(["x", "x", "y"]))
    assert out.to_dict("list") == {"group": ["x", "x", "y", "y"], "topic": [1, 2, 1, 2],
                                   "share": pytest.approx([0.75, 0.25, 0.2, 0.8]),
                                   "articles": [2, 0, 0, 1], "n_articles": [2, 2, 1, 1]}


# ---- issues ---------------------------------------------------------------------------------------
def test_issue_clusters_group_articles_of_one_event_largest_first():
    # articles of about ten terms: 6 of their event's 8 words, 3 words of their own, and 백신 for
    # every article of the first event and the first unrelated one
    ev = {"p": ["화이자", "도착", "인천공항", "물량", "대한항공", "화물기", "냉동", "코백스"],
          "q": ["의협", "면허", "파업", "의료법", "개정안", "국회", "총파업", "취소"]}
    rows = []
    for prefix, n in (("p", 4), ("q", 3)):
        for i in range(n):
            key = f"{prefix}{i}"
            rows += [(key, w, 1) for j, w in enumerate(ev[prefix]) if j not in (i % 8, (i + 4) % 8)]
            rows += [(key, f"{key}고유{j}", 1) for j in range(3)] + ([(key, "백신", 1)] if prefix == "p" else [])
    rows += [("s1", w, 1) for w in ("날씨", "기온", "한파", "눈", "출근길", "도로", "결빙", "제설", "기상청", "백신")]
    rows += [("s2", w, 1) for w in ("주가", "코스피", "외국인", "매도", "환율", "금리", "채권", "달러", "증시")]
    cl = tm.issue_clusters(pd.DataFrame(rows, columns=["key", "term", "count"]))
    assert cl.groupby("issue")["key"].apply(sorted).to_dict() == {1: ["p0", "p1", "p2", "p3"],
                                                                  2: ["q0", "q1", "q2"]}
    assert list(cl["size"].drop_duplicates()) == [4, 3]
    assert cl["central"].sum() == 2


def test_issues_of_an_empty_or_one_article_period_are_empty(c):
    for d0, d1 in ((date(2023, 1, 1), date(2023, 1, 31)), (date(2024, 1, 1), date(2024, 1, 1))):
        iss, arts = q.issues(c, ALL, d0, d1)
        assert iss.empty and arts.empty and list(iss.columns)[:3] == ["issue", "label", "articles"]
    empty = pd.DataFrame({"key": pd.Series(dtype=object), "term": pd.Series(dtype=object),
                          "count": pd.Series(dtype="int64")})
    assert tm.issue_clusters(empty).empty


def test_issues_of_a_period_label_them_by_their_central_article(c):
    iss, arts = q.issues(c, ALL, date(2024, 1, 1), date(2024, 1, 31))
    assert list(iss["articles"]) == [12] and iss["sources"].iloc[0] == 1
    assert set(arts["id"]) == set(CHIP_IDS)
    top = arts.sort_values("centrality", ascending=False).iloc[0]
    assert iss["label"].iloc[0] == top["title"]
    assert iss.attrs["period_articles"] == 12 and iss.attrs["issues"] == 1
    assert set(iss["terms"].iloc[0].split(", ")) <= set(CHIPS) | {"백신"}


def test_issue_period_is_the_latest_week_with_enough_articles(c):
    assert q.issue_period(c, ALL) == (date(2024, 3, 17), date(2024, 3, 23))
    assert q.issue_period(c, ALL, days=7, min_articles=5) == (date(2024, 3, 17), date(2024, 3, 23))
    assert q.issue_period(c, Filters(query="없는단어")) is None


# ---- query comparison -----------------------------------------------------------------------------
SERIES = ("반도체 AND 수출", "백신 OR 반도체", "(고령 AND 접종) OR 메모리")


@pytest.mark.parametrize("gran", ["month", "week"])
def test_query_trend_counts_equal_the_keyword_filter_counts(c, gran):
    tr = q.query_trend(c, ALL, SERIES, gran)
    for s in SERIES:
        mine = tr[tr["query"] == s].set_index("period")["articles"]
        vol = q.volume(c, replace(ALL, query=s), gran).groupby("period")["articles"].sum()
        assert mine[mine > 0].to_dict() == vol.to_dict()
        assert int(mine.sum()) == len(q.articles(c, replace(ALL, query=s)))


def test_query_trend_shares_and_per_10k(c):
    tr = q.query_trend(c, ALL, ("반도체 AND 수출",), "month")
    # chips article i lacks 반도체 or 수출 when the skipped pair holds index 0 or 1
    n = sum(1 for i in range(12) if {"반도체", "수출"} <= set(theme_terms(CHIPS, i)))
    jan = tr[tr["period"] == JAN].iloc[0]
    assert (jan["articles"], jan["share"], jan["per_10k"]) == (n, n / 12, n / 12 * 10000)
    mar = tr[tr["period"] == MAR].iloc[0]
    assert (mar["articles"], mar["share"]) == (0, 0.0)


def test_query_trend_within_the_sidebar_query_and_by_source(c):
    tr = q.query_trend(c, Filters(query="반도체"), ("백신",), "month", by_source=True)
    both = len(q.articles(c, Filters(query="반도체 AND 백신")))
    assert int(tr["articles"].sum()) == both == 2
    assert set(tr.columns) == {"period", "source", "query", "articles", "share", "per_10k"}


def test_query_trend_takes_one_bare_query(c):
    assert q.query_trend(c, ALL, "백신", "month").equals(q.query_trend(c, ALL, ("백신",), "month"))


def test_query_trend_names_the_malformed_series(c):
    with pytest.raises(ValueError, match="'반도체 AND'"):
        q.query_trend(c, ALL, ("백신", "반도체 AND"), "month")
    assert q.query_trend(c, ALL, ("", "  "), "month").empty


def test_topic_chart_text_is_escaped():
    from dashboard import topic_charts as tc

    df = pd.DataFrame({"period": [date(2024, 1, 1)], "topic": [1], "label": ["<b>x</b>"], "share": [1.0],
                       "articles": [1], "n_articles": [1]})
    fig = tc.topic_time_chart(df, "month")
    assert fig.data[0].name == "1. &lt;b&gt;x&lt;/b&gt;"


def test_topic_source_heatmap_lists_topics_by_weight():
    from dashboard import topic_charts as tc

    df = pd.DataFrame({"source": ["a", "a", "b", "b"], "topic": [1, 2, 1, 2], "label": ["x", "y", "x", "y"],
                       "share": [0.2, 0.8, 0.4, 0.6], "articles": [1, 4, 2, 3], "n_articles": [5, 5, 5, 5]})
    fig = tc.topic_source_chart(df)
    assert list(fig.data[0].y) == ["2. y", "1. x"] and fig.data[0].z.tolist() == [[0.8, 0.6], [0.2, 0.4]]
