"""Terms match the text on a small fixed corpus (issue 12): compound terms counted in every
article that holds them, against a plain text search; spacing variants one term; one-syllable
fragments never listed; related words with hand-computed G²; the `query` command line."""

from __future__ import annotations

import json
import math

import pytest

from analytics.filters import Filters

ARTICLES = [
    ("t1", "2024-01-05", "조선", "테슬라 전기차 판매 급증",
     "테슬라의 전기차가 자율주행 기능을 앞세워 팔렸다. 전기차업체 니콜라는 수소트럭을 공개했다.\n"
     "(서울=연합뉴스) 김철수 기자 = 시가총액이 늘었다고 현지 시각 27일 발표했다.\n김철수 기자 kcs@yna.co.kr"),
    ("t2", "2024-01-20", "한겨레", "전기 차 보조금 축소",
     "정부는 전기 차 보조금을 줄인다. 자율주행차 규제도 풀었다고 현지시각 26일 발표했다."),
    ("t3", "2024-02-03", "조선", "원내대표 회동",
     "국민의힘 원내대표와 더불어민주당 원내대표가 만났다. 양평고속도로 백지화를 두고 다퉜다. 윤 대통령은 백지화를 지시했다."),
    ("t4", "2024-02-10", "한겨레", "인공 지능 투자",
     "인공 지능 기술 투자가 늘었다. 인공지능 반도체 수요가 많다. 주가는 27.58달러에 거래됐다."),
    ("t5", "2024-02-15", "조선", "수소트럭 시장",
     "니콜라의 수소트럭 시가총액은 11% 줄었다. 니콜라 주가가 떨어졌다. 니콜라 수소트럭 판매가 부진하다."),
    ("t6", "2024-02-20", "한겨레", "충전기 보급",
     "충전기 보급이 늘었다. 기차 여행객도 늘었다. 니콜라 주가도 올랐다."),
]


@pytest.fixture(scope="module")
def terms_store(tmp_path_factory, isolated_query_cache):
    from analytics.cli import main

    root = tmp_path_factory.mktemp("terms")
    path = root / "articles.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "date": d, "source": s, "title": t, "body": b},
                                         ensure_ascii=False) for i, d, s, t, b in ARTICLES), encoding="utf-8")
    assert main(["ingest", str(path), "--store", str(root / "store")]) == 0
    return root / "store"


@pytest.fixture(scope="module")
def corpus(terms_store, tmp_path_factory):
    from analytics.queries import open_corpus

    return open_corpus(terms_store, tmp_path_factory.mktemp("lexicon"))  # no user aliases/stopwords


def _plain(term: str, spaces: bool = True) -> int:
    """Articles whose title or body contains the term (ignoring spaces when `spaces`)."""
    sq = (lambda s: "".join(s.split())) if spaces else (lambda s: s)
    return sum(sq(term) in sq(t + "\n" + b) for *_, t, b in ARTICLES)


# term: articles the query layer must count (= the plain space-insensitive search, by hand)
COMPOUNDS = {"전기차": 2, "자율주행": 2, "원내대표": 1, "수소트럭": 2, "시가총액": 2, "백지화": 1,
             "인공지능": 1, "현지시각": 2, "양평고속도로": 1, "국민의힘": 1}


def test_compound_terms_are_counted_in_every_article_that_holds_them(corpus):
    from analytics.queries import keyword_trend, kpis

    trend = keyword_trend(corpus, Filters(), tuple(COMPOUNDS), granularity="year")
    got = {corpus.canon(t): 0 for t in COMPOUNDS}
    for term, n in trend.groupby("term")["articles"].sum().items():
        got[term] = int(n)
    for term, expected in COMPOUNDS.items():
        assert _plain(term) == expected, term  # the hand count is the plain search
        assert got[corpus.canon(term)] == expected, term
        assert kpis(corpus, Filters(query=term))["articles"] == expected, term  # the keyword filter agrees


def test_parts_count_only_where_they_stand_alone(corpus):
    from analytics.queries import kpis

    # 기차 is written alone in t6 only; in 전기차 it is no word (plain search finds 2)
    assert kpis(corpus, Filters(query="기차"))["articles"] == 1 and _plain("기차", spaces=False) == 2
    # 전기 stands in 전기차 (t1) and 전기 차 (t2), not in 충전기 (t6), which a plain search counts
    assert kpis(corpus, Filters(query="전기"))["articles"] == 2 and _plain("전기", spaces=False) == 3
    assert kpis(corpus, Filters(query="수소트럭 AND 시가총액"))["articles"] == 2
    assert kpis(corpus, Filters(query="백지화 OR 인공지능"))["articles"] == 2


def test_term_list_has_whole_compounds_one_form_per_spelling_and_no_fragments(corpus):
    from analytics.queries import top_keywords

    tf = top_keywords(corpus, Filters(), n=200, method="tf").set_index("term")
    assert tf.loc["니콜라", "df"] == 3 and tf.loc["수소트럭", "tf"] == 4 and tf.loc["원내대표", "tf"] == 3
    assert tf.loc["백지화", "tf"] == 2 and (tf.loc["전기차", "tf"], tf.loc["전기차", "df"]) == (2, 1)
    assert not {t for t in tf.index if len(t.replace(" ", "")) == 1}  # 차, 윤, 기 ...
    assert not {"원내", "백지", "시가", "총액", "수소", "트럭", "연합뉴스", "김철수", "kcs"} & set(tf.index)
    # 현지 시각 (t1, its trailing date trimmed) and 현지시각 (t2) are one term; on a tie the
    # spelling without spaces is shown
    assert [t for t in tf.index if t.replace(" ", "") == "현지시각"] == ["현지시각"]
    assert (tf.loc["현지시각", "tf"], tf.loc["현지시각", "df"]) == (2, 2)


def _g2(a, nx, nw, n):
    cells = [(a, nx * nw / n), (nx - a, nx * (n - nw) / n), (nw - a, (n - nx) * nw / n),
             (n - nx - nw + a, (n - nx) * (n - nw) / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def test_related_words_article_scope_hand_computed(corpus):
    from analytics.queries import related_terms

    r = related_terms(corpus, Filters(), "니콜라", scope="article", min_count=2)
    # N = 6 articles, 니콜라 in t1, t5, t6 (3); 수소트럭, 시가총액, 판매 each in t1, t5 (2, both
    # with 니콜라: expected 1); 주가 in t4, t5, t6 (3; 2 with 니콜라: expected 1.5); ties by term.
    # 니콜라의 / 니콜라 주가 / 니콜라 수소트럭 / 27.58달러 / 11% are never listed.
    assert r["term"].tolist() == ["수소트럭", "시가총액", "판매", "주가"]
    assert r[["cooc", "freq"]].values.tolist() == [[2, 2], [2, 2], [2, 2], [2, 3]]
    assert r["g2"].tolist() == pytest.approx([_g2(2, 3, 2, 6)] * 3 + [_g2(2, 3, 3, 6)])
    assert r["pmi"].tolist() == pytest.approx([1.0] * 3 + [math.log2(2 * 6 / 9)])
    assert r["g2"].nunique() == 2
    assert not [t for t in r["term"] if "니콜라" in t or any(ch.isdigit() for ch in t)]


def test_kwic_finds_spacing_variants_and_compounds(corpus):
    from analytics.queries import kwic

    k = kwic(corpus, Filters(), "전기차", width=6)
    # t1's 전기차업체 is not a line: 업체 is no word of this corpus, so the remainder is not
    # known to be a word (in a real corpus it is, and 전기차업체 then counts)
    assert sorted(k["keyword"]) == ["전기 차", "전기 차", "전기차", "전기차"]
    k = kwic(corpus, Filters(), "자율주행", width=6)
    assert sorted(zip(k["keyword"], k["right"], strict=True)) == [("자율주행", " 기능을 앞"), ("자율주행", "차 규제도 ")]
    assert k["article_id"].nunique() == 2
    assert k["article_id"].nunique() == 2


# ---- the query command line ----------------------------------------------------------------
def _cli(capsys, *argv):
    from analytics.cli import main

    rc = main(["query", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_query_cli_json_rows_with_iso_dates_and_tuple_args(terms_store, capsys):
    rc, out, _ = _cli(capsys, "keyword_trend", "--store", str(terms_store), "--arg", "terms=수소트럭,백지화",
                      "--arg", "granularity=month", "--json")
    rows = json.loads(out)
    assert rc == 0 and isinstance(rows, list)
    assert rows == [
        {"period": "2024-01-01", "term": "백지화", "articles": 0, "share": 0.0, "per_10k": 0.0},
        {"period": "2024-01-01", "term": "수소트럭", "articles": 1, "share": 0.5, "per_10k": rows[1]["per_10k"]},
        {"period": "2024-02-01", "term": "백지화", "articles": 1, "share": 0.25, "per_10k": rows[2]["per_10k"]},
        {"period": "2024-02-01", "term": "수소트럭", "articles": 1, "share": 0.25, "per_10k": rows[3]["per_10k"]},
    ]
    rc, out, _ = _cli(capsys, "kpis", "--store", str(terms_store), "--source", "조선", "--from", "2024-02-01",
                      "--to", "2024-02-29", "--q", "니콜라 OR 백지화", "--json")
    assert rc == 0 and json.loads(out) == [{"articles": 2, "sources": 1, "first": "2024-02-03",
                                            "last": "2024-02-15", "stories": 2}]
    rc, out, _ = _cli(capsys, "related_terms", "--store", str(terms_store), "--arg", "term=니콜라",
                      "--arg", "scope=article", "--arg", "n=1", "--json")
    assert rc == 0 and [r["term"] for r in json.loads(out)] == ["수소트럭"]


def test_query_cli_table_and_errors(terms_store, capsys):
    rc, out, _ = _cli(capsys, "top_keywords", "--store", str(terms_store), "--year", "2024", "--unique",
                      "--arg", "n=3", "--arg", "method=tf")
    assert rc == 0 and out.splitlines()[0].split() == ["term", "score", "tf", "df"] and len(out.splitlines()) == 4
    rc, _, err = _cli(capsys, "no_such_query", "--store", str(terms_store), "--json")
    assert rc == 2 and "unknown query 'no_such_query'" in err
    rc, _, err = _cli(capsys, "top_keywords", "--store", str(terms_store), "--arg", "bogus=1", "--json")
    assert rc == 2 and "unknown argument 'bogus'" in err and "n, method" in err
    rc, _, err = _cli(capsys, "top_keywords", "--store", str(terms_store), "--arg", "n=many", "--json")
    assert rc == 2 and "--arg n" in err
    rc, _, err = _cli(capsys, "kwic", "--store", str(terms_store), "--json")
    assert rc == 2 and "needs --arg term=VALUE" in err


def test_match_forms_rules():
    from analytics.queries.matching import match_forms

    forms = ["전기차", "전기차업체", "업체", "충전기", "테슬라 전기차", "전기 차", "전기", "인공 지능 기술", "인공지능",
             "기술", "자율주행차", "자율주행", "한미정상회의", "한미", "정상회의", "백신접종자수", "백신접종", "접종",
             "코로나19 백신 접종", "AZ백신", "백신", "AIDS", "AI반도체", "반도체", "AI", "ChatGPT", "코로나19", "코로나"]
    assert match_forms("전기차", forms) == ["전기차", "전기차업체", "전기 차"]  # not the phrase 테슬라 전기차 (its unit counts)
    assert match_forms("전기", forms) == ["전기차", "전기차업체", "전기"]  # not 충전기: 충 is no word
    assert match_forms("기차", forms) == []  # 전 is no prefix
    assert match_forms("인공 지능", forms) == ["인공 지능 기술", "인공지능"]
    assert match_forms("자율주행", forms) == ["자율주행차", "자율주행"]
    assert match_forms("정상회의", forms) == ["한미정상회의", "정상회의"]
    assert match_forms("백신접종", forms) == ["백신접종자수", "백신접종", "코로나19 백신 접종"]
    assert match_forms("AI", forms) == ["AI반도체", "AI"]  # not AIDS, not ChatGPT
    assert match_forms("코로나", forms) == ["코로나19", "코로나"]
    assert match_forms("차", forms) == []  # one character: only itself
