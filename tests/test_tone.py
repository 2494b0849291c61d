"""Tone queries (analytics.queries.tone) on a four-article store built here; values worked by hand.

| id | source | published  | sentences (label: terms)                                                      |
|----|--------|------------|-------------------------------------------------------------------------------|
| b1 | 조선   | 2024-01-10 | neg: 백신 부작용 우려 · neu: 백신 접종 · neg: 정부 대응                           |
| b2 | 조선   | 2024-01-20 | pos: 백신 효과 · pos: 정부 대응                                                  |
| b3 | 한겨레 | 2024-02-05 | neg: 백신 부작용 논란 · neu: 접종 일정                                            |
| b4 | 미상   | 미상       | pos: 코로나 백신 효과                                                           |

8 sentences: 3 negative, 2 neutral, 3 positive.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics import queries as q
from analytics.config import UNKNOWN
from analytics.filters import Filters
from analytics.queries.tone import wilson
from analytics.store import Change, Store

ARTICLES = [("b1", "조선", date(2024, 1, 10)), ("b2", "조선", date(2024, 1, 20)),
            ("b3", "한겨레", date(2024, 2, 5)), ("b4", None, None)]
SENTENCES = {  # (text, terms, label, score)
    "b1": [("백신 부작용 우려가 커졌다.", ["백신", "부작용", "우려"], "negative", -0.7),
           ("백신 접종이 시작됐다.", ["백신", "접종"], "neutral", 0.0),
           ("정부 대응을 비판했다.", ["정부", "대응"], "negative", -0.6)],
    "b2": [("백신 효과가 입증됐다.", ["백신", "효과"], "positive", 0.8),
           ("정부 대응이 신속했다.", ["정부", "대응"], "positive", 0.6)],
    "b3": [("백신 부작용 논란이 일었다.", ["백신", "부작용", "논란"], "negative", -0.8),
           ("접종 일정이 발표됐다.", ["접종", "일정"], "neutral", 0.1)],
    "b4": [("코로나 백신 효과가 컸다.", ["코로나", "백신", "효과", "코로나 백신"], "positive", 0.5)],
}
ALL = Filters()
pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    return _corpus(tmp_path_factory, ARTICLES, SENTENCES)


def _corpus(tmp_path_factory, articles, sentences):
    root = tmp_path_factory.mktemp("tone") / "store"
    store = Store(root)
    ch = Change()
    ch.append("articles", [{"id": i, "source": s, "published": d, "year": d.year if d else None,
                            "title": f"제목 {i}", "text": "…", "language": "ko", "cluster_id": i,
                            "is_excerpt": False, "synthetic": False, "n_chars": 10} for i, s, d in articles])
    ch.append("terms", [{"article_id": a, "term": t, "cls": "common", "count": 1}
                        for a, ss in sentences.items() for t in sorted({t for _, ts, _, _ in ss for t in ts})])
    ch.append("sentences", [{"article_id": a, "pos": p, "start": 0, "end": len(t), "text": t, "label": lab,
                             "score": sc, "terms": ts}
                            for a, ss in sentences.items() for p, (t, ts, lab, sc) in enumerate(ss)])
    ch.append("article_sentiment", [
        {"article_id": a, "mean_score": sum(s[3] for s in ss) / len(ss),
         "pos_share": sum(s[2] == "positive" for s in ss) / len(ss),
         "neg_share": sum(s[2] == "negative" for s in ss) / len(ss), "n_sentences": len(ss)}
        for a, ss in sentences.items()])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r1"}))
    lex = tmp_path_factory.mktemp("lex")
    (lex / "aliases.csv").write_text("variant,canonical\n", encoding="utf-8")
    (lex / "stopwords_user.txt").write_text("", encoding="utf-8")
    return q.open_corpus(root, lex)


def test_wilson_interval_by_hand():
    lo, hi = wilson(2, 5)
    assert (float(lo), float(hi)) == pytest.approx((0.11762, 0.76928), abs=1e-5)
    lo, hi = wilson(np.array([0]), np.array([0]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_sentiment_by_source_has_counts_shares_intervals_and_small_flag(c):
    s = q.sentiment_by_source(c, ALL)
    assert s["source"].tolist() == ["조선", UNKNOWN, "한겨레"]  # most articles first, then by name
    assert s[["articles", "sentences"]].values.tolist() == [[2, 5], [1, 1], [1, 2]]
    assert s[["neg_sentences", "neu_sentences", "pos_sentences"]].values.tolist() == [[2, 1, 2], [0, 0, 1], [1, 1, 0]]
    # b1 is negative (2 negative, 0 positive sentences), b2 and b4 positive, b3 negative
    assert s[["neg_articles", "neu_articles", "pos_articles"]].values.tolist() == [[1, 0, 1], [0, 0, 1], [1, 0, 0]]
    assert s["neg_share"].tolist() == pytest.approx([0.4, 0.0, 0.5])
    assert s["pos_article_share"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert s["mean_score"].tolist() == pytest.approx([0.1 / 5, 0.5, -0.35])
    assert (s["neg_lo"].iloc[0], s["neg_hi"].iloc[0]) == pytest.approx((0.11762, 0.76928), abs=1e-5)
    assert s["small"].tolist() == [True, True, True]


def test_sentiment_over_time_per_period_and_source(c):
    t = q.sentiment_over_time(c, ALL, "month")
    assert t["source"].tolist() == ["조선", "한겨레", UNKNOWN]
    assert t[["articles", "sentences", "neg_sentences", "pos_sentences"]].values.tolist() == \
        [[2, 5, 2, 2], [1, 2, 1, 0], [1, 1, 0, 1]]
    assert pd.isna(t["period"].iloc[2])


def test_drivers_rank_words_by_their_negative_and_positive_sentences(c):
    d = q.sentiment_drivers(c, ALL)
    neg = d[d["tone"] == "negative"]
    # count first; ties: fewer sentences overall (more specific), then the word
    assert neg["term"].tolist() == ["부작용", "백신", "논란", "우려", "대응", "정부"]
    assert neg["count"].tolist() == [2, 2, 1, 1, 1, 1]
    assert neg["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    row = neg.iloc[1]
    assert (row["sentences"], row["negative"], row["neutral"], row["positive"], row["articles"]) == (5, 2, 1, 2, 4)
    assert row["share"] == pytest.approx(0.4) and row["lift"] == pytest.approx(0.4 / (3 / 8))
    assert neg.iloc[0]["lift"] == pytest.approx(1 / (3 / 8))
    pos = d[d["tone"] == "positive"]
    assert pos["term"].tolist() == ["효과", "백신", "코로나", "코로나 백신", "대응", "정부"]
    assert d["small"].all()


def test_drivers_never_list_a_stopword_of_the_analysis(tmp_path_factory):
    # sentence term lists keep every unit (65세 이상 -> 이상); the analysis' stopwords
    # (data/lexicon/stopwords_ko.txt) are no driver, as they are no keyword
    sents = {"s1": [("65세 이상 부작용 우려", ["65세", "이상", "부작용", "우려"], "negative", -0.7)],
             "s2": [("65세 이상 효과 입증", ["65세", "이상", "효과"], "positive", 0.7)]}
    c2 = _corpus(tmp_path_factory, [("s1", "조선", date(2024, 1, 1)), ("s2", "조선", date(2024, 1, 2))], sents)
    d = q.sentiment_drivers(c2, ALL)
    assert d[d["tone"] == "negative"]["term"].tolist() == ["부작용", "우려", "65세"]
    assert d[d["tone"] == "positive"]["term"].tolist() == ["효과", "65세"]


def test_drivers_keep_words_above_the_lift_floor(c):
    d = q.sentiment_drivers(c, ALL, min_lift=1.5)  # 백신 (0.4 / 0.375) and 정부, 대응 (0.5 / 0.375) drop out
    assert d[d["tone"] == "negative"]["term"].tolist() == ["부작용", "논란", "우려"]
    assert q.sentiment_drivers(c, ALL, min_lift=0.0)["term"].tolist() == \
        q.sentiment_drivers(c, ALL)["term"].tolist()  # here every word is at or above 1


def test_a_lift_floor_above_what_the_scope_allows_is_lowered(c):
    # towards 부작용 every sentence is negative (base 1): no word can have a lift above 1, so a floor of
    # 1.5 is lowered to (1 + 1/1) / 2 = 1 and the negative words stay listed
    d = q.sentiment_drivers(c, ALL, target="부작용", min_lift=1.5)
    assert d[d["tone"] == "negative"]["term"].tolist() == \
        q.sentiment_drivers(c, ALL, target="부작용")[lambda x: x["tone"] == "negative"]["term"].tolist()
    assert len(d[d["tone"] == "negative"]) > 0


def test_drivers_towards_a_target_leave_the_target_out(c):
    d = q.sentiment_drivers(c, ALL, target="백신")
    assert d[d["tone"] == "negative"]["term"].tolist() == ["부작용", "논란", "우려"]
    assert d[d["tone"] == "positive"]["term"].tolist() == ["효과", "코로나"]
    assert "백신" not in set(d["term"]) and "코로나 백신" not in set(d["term"])  # nor its compounds


def test_drivers_follow_the_filters_and_limit(c):
    d = q.sentiment_drivers(c, Filters(sources=("한겨레",)), limit=1)
    # only b3: 논란, 백신, 부작용 each in its one negative sentence; the tie goes by the word
    assert d[["tone", "term", "count", "sentences"]].values.tolist() == [["negative", "논란", 1, 1]]


def test_driver_evidence_is_the_sentences_behind_the_count(c):
    ev = q.sentiment_driver_evidence(c, ALL, "부작용", "negative")
    assert ev["article_id"].tolist() == ["b3", "b1"]  # newest first
    assert ev["text"].tolist() == ["백신 부작용 논란이 일었다.", "백신 부작용 우려가 커졌다."]
    assert ev["label"].tolist() == ["negative", "negative"]
    ev = q.sentiment_driver_evidence(c, ALL, "효과", "positive", target="백신")
    assert ev["article_id"].tolist() == ["b2", "b4"]  # undated last
    assert q.sentiment_driver_evidence(c, ALL, "없는말").empty
    with pytest.raises(ValueError):
        q.sentiment_driver_evidence(c, ALL, "효과", "good")


def test_target_sentiment_summary_has_counts_and_interval(c):
    summary, ev = q.target_sentiment(c, ALL, "백신")
    assert (summary["sentences"], summary["articles"]) == (5, 4)
    assert (summary["neg_sentences"], summary["neu_sentences"], summary["pos_sentences"]) == (2, 1, 2)
    assert (summary["neg_lo"], summary["neg_hi"]) == pytest.approx((0.11762, 0.76928), abs=1e-5)
    assert summary["small"] is True
    assert len(ev) == 5
