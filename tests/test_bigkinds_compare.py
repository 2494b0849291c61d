"""BIG Kinds' own columns beside ours (issue 15 item 5), on three articles built here.

| id | origin   | title + text              | BIG Kinds 인물 | ours PS | BIG Kinds 키워드 | our keywords (rank) |
|----|----------|---------------------------|----------------|---------|------------------|---------------------|
| b1 | bigkinds | 정은경 청장과 문재인 ...  | 정은경,문재인,정재훈 | 정은경, 홍길동 | 백신,접종,청장 | 백신, 접종 속도, 날씨 |
| b2 | bigkinds | 정은경 청장 브리핑        | 정은경          | 정은경   | 브리핑          | 브리핑              |
| t1 | txt      | (not BIG Kinds)           |                |         |                  | 백신                |

Entities PS: theirs in our text = {정은경, 문재인} (b1; 정재훈 is not in the excerpt) + {정은경} (b2) = 3;
ours = {정은경, 홍길동} + {정은경} = 3; both = 정은경 twice = 2 -> P 2/3, R 2/3.
Entities OG: b2's 식약처 is our 식품의약품안전처 (the shipped referent table): agreement 1 of 1.
Keywords p@10: b1 1/3 (백신 exact; 접종 속도 has 속도 unlisted; 날씨 no), b2 1/1 -> (1/3 + 1) / 2.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from analytics.filters import Filters
from analytics.queries import open_corpus
from analytics.queries.bigkinds import entity_comparison, excerpt_share, keyword_comparison
from analytics.store import Change, Store

pytestmark = pytest.mark.usefixtures("isolated_query_cache")


def build_bk_store(root) -> None:
    meta = {
        "b1": {"인물": "정은경,문재인,정재훈", "기관": "질병관리청", "위치": "", "키워드": "백신,접종,청장",
               "특성추출(가중치순 상위 50개)": "백신,정은경"},
        "b2": {"인물": "정은경", "기관": "식약처", "위치": "서울", "키워드": "브리핑", "특성추출(가중치순 상위 50개)": "브리핑,백신"},
    }
    texts = {"b1": ("정은경 청장과 문재인 대통령", "백신 접종 속도가 빨라졌다."), "b2": ("정은경 청장 브리핑", "서울에서 식약처가 브리핑했다."),
             "t1": ("다른 글", "백신 이야기")}
    ch = Change()
    ch.append("articles", [{"id": a, "source": "매체", "published": date(2021, 2, 1), "year": 2021, "title": t,
                            "text": body, "language": "ko", "cluster_id": a, "is_excerpt": a != "t1",
                            "synthetic": False, "n_chars": len(body), "origin": "bigkinds" if a in meta else "txt",
                            "meta": json.dumps(meta.get(a, {}), ensure_ascii=False)}
                           for a, (t, body) in texts.items()])
    ch.append("entities", [{"article_id": a, "type": "PS", "canonical": n, "surface": n, "count": 1, "sentences": [0]}
                           for a, n in [("b1", "정은경"), ("b1", "홍길동"), ("b2", "정은경")]]
              + [{"article_id": "b2", "type": "OG", "canonical": "식품의약품안전처", "surface": "식약처", "count": 1,
                  "sentences": [0]}])
    ch.append("keywords", [{"article_id": a, "rank": r, "keyword": k, "score": 0.1}
                           for a, ks in {"b1": ["백신", "접종 속도", "날씨"], "b2": ["브리핑"], "t1": ["백신"]}.items()
                           for r, k in enumerate(ks, start=1)])
    ch.append("terms", [{"article_id": "b1", "term": "백신", "cls": "common", "count": 1}])
    with Store(root).writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r"}))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bk") / "store"
    build_bk_store(root)
    return open_corpus(root, tmp_path_factory.mktemp("lex"))


def test_excerpt_share_counts_excerpts_and_bigkinds_articles(corpus):
    assert excerpt_share(corpus, Filters()) == {"n": 3, "excerpts": 2, "bigkinds": 2}
    assert excerpt_share(corpus, Filters(query="백신")) == {"n": 1, "excerpts": 1, "bigkinds": 1}


def test_entity_agreement_by_hand(corpus):
    res = entity_comparison(corpus, Filters())
    assert res["articles"] == 2
    ps = res["agreement"]["PS"]
    assert (ps["tp"], ps["pred"], ps["gold"]) == (2, 3, 3)
    assert ps["precision"] == pytest.approx(2 / 3) and ps["recall"] == pytest.approx(2 / 3)
    # 질병관리청 is not in b1's title or text; b2's 식약처 is our 식품의약품안전처 (shipped referents)
    og = res["agreement"]["OG"]
    assert (og["tp"], og["pred"], og["gold"]) == (1, 1, 1)
    assert res["top"]["OG"].to_dict("records") == [
        {"name": "식품의약품안전처", "bigkinds": 1, "in_text": 1, "ours": 1},
        {"name": "질병관리청", "bigkinds": 1, "in_text": 0, "ours": 0}]
    assert res["top"]["PS"].to_dict("records") == [
        {"name": "정은경", "bigkinds": 2, "in_text": 2, "ours": 2},
        {"name": "문재인", "bigkinds": 1, "in_text": 1, "ours": 0},
        {"name": "정재훈", "bigkinds": 1, "in_text": 0, "ours": 0}]


def test_keyword_precision_at_10_by_hand(corpus):
    res = keyword_comparison(corpus, Filters(), n=5)
    assert res["articles"] == 2 and res["scored"] == 2
    assert res["p_at_10"] == pytest.approx(round((1 / 3 + 1) / 2, 4))
    top = res["top"]
    assert list(top["bigkinds"].iloc[:3]) == ["백신", "브리핑", "정은경"] and top["bigkinds"].isna().iloc[3]
    assert list(top["bigkinds_articles"].iloc[:3]) == [2, 1, 1]
    # one article each (t1's 백신 is not a BIG Kinds article), ties by name
    assert list(top["ours"]) == ["날씨", "백신", "브리핑", "접종 속도"]
    assert list(top["ours_articles"]) == [1, 1, 1, 1]
    assert res["overlap"] == 2  # 백신, 브리핑
