"""Boilerplate is blanked before analysis, kept in the stored text, offsets unchanged (issue 12)."""

from __future__ import annotations

import pytest

from analytics.ingest.boilerplate import analysed_text, boilerplate_spans

_KH_BRIEFING = ("경향신문의 특종과 기획, 해설과 분석 등 ‘독자적인 시각’을 모아 전해드립니다. 경향(京鄕) 각지 소식과 "
                "삶에 필요한 여러 정보, 시대의 경향(傾向)도 담아냅니다. \n뉴스 브리핑 [오늘은 이런 경향] 2월26일입니다."
                "\n\n\n 평균 연소득 15억원이 넘는 초고소득층인 상위 0.1%의 부가 빠르게 늘어나고 있습니다.")

# real-looking samples of each kind: (text, the boilerplate part, its kind)
SAMPLES = [
    ("[앵커]\n테슬라가 전기차 가격을 내렸습니다.", "[앵커]", "speaker"),
    ("[기자]\n미국 현지 시각 27일 테슬라는 가격을 인하했습니다.", "[기자]", "speaker"),
    ("◀ 앵커 ▶ 백신 접종이 시작됐습니다.", "◀ 앵커 ▶", "speaker"),
    ("원희룡 장관이 양평고속도로 백지화를 선언했다.\n2023.7.27/뉴스1 © News1 송원영 기자",
     "2023.7.27/뉴스1 © News1 송원영 기자", "caption"),
    ("원희룡 장관이 기자회견을 하고 있다.(사진=연합뉴스)", "(사진=연합뉴스)", "caption"),
    ("백신을 옮기고 있다. /강윤중 기자", "/강윤중 기자", "caption"),
    ("[경향포토] 화이자 백신 도착", "[경향포토]", "caption"),
    ("[포토] 국내 백신 접종 시작", "[포토]", "caption"),
    ("(서울=연합뉴스) 김철수 기자 = 정부가 백신 접종을 시작했다.", "(서울=연합뉴스) 김철수 기자 =", "byline"),
    ("[서울=뉴시스]이영희 기자 = 질병관리청은 28일 밝혔다.", "[서울=뉴시스]이영희 기자 =", "byline"),
    ("[이데일리 김무연 기자] 삼성전자가 반도체 투자를 늘린다.", "[이데일리 김무연 기자]", "byline"),
    ("가격을 인하했습니다.\nYTN 홍길동입니다.", "YTN 홍길동입니다.", "byline"),
    ("정부가 발표했다.\n홍길동 기자 hong@yna.co.kr", "hong@yna.co.kr", "email"),
    ("정부가 발표했다.\n<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>", "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>",
     "copyright"),
    ("정부가 발표했다.\n저작권자 © 한겨레 무단전재 및 재배포 금지", "저작권자 © 한겨레 무단전재 및 재배포 금지", "copyright"),
    ("정부가 발표했다.\nⓒ 경향신문 & 경향닷컴", "ⓒ 경향신문 & 경향닷컴", "copyright"),
    ("정부가 발표했다.\n▶ 네이버에서 연합뉴스 구독하기", "▶ 네이버에서 연합뉴스 구독하기", "link"),
    ("정부가 발표했다.\n☞ 제보하기 https://example.com/report", "☞ 제보하기 https://example.com/report", "link"),
    # outlet promos, as the BIG Kinds export of February 2021 has them (경향 was its #12 keyword)
    (_KH_BRIEFING, "경향신문의 특종과 기획, 해설과 분석 등 ‘독자적인 시각’을 모아 전해드립니다. 경향(京鄕) 각지 "
                   "소식과 삶에 필요한 여러 정보, 시대의 경향(傾向)도 담아냅니다.", "promo"),
    (_KH_BRIEFING, "뉴스 브리핑 [오늘은 이런 경향] 2월26일입니다.", "promo"),
    ("경향신문 사진기자들이 ‘오늘’ 한국의 사건사고 이슈 현장을 포착한 보도사진 [경향이 찍은 오늘] 2월26일입니다."
     "\n\n■ 코로나19 백신 접종 시작", "경향신문 사진기자들이 ‘오늘’ 한국의 사건사고 이슈 현장을 포착한 보도사진 "
     "[경향이 찍은 오늘] 2월26일입니다.", "promo"),
    ("[경향이 찍은 오늘]2월25일 코로나 백신, 1호 접종자는...", "[경향이 찍은 오늘]", "promo"),
    ("[오늘은 이런 경향] 2월15일 코로나19 덮친 ‘감옥’의 삶", "[오늘은 이런 경향]", "promo"),
    ("1961년부터 2011년까지 10년마다 경향신문의 같은 날 보도를 살펴보는 코너입니다. 매일 업데이트합니다.\n\n"
     "■2011년 2월15일. 백신, 소 돼지는 맞고", "1961년부터 2011년까지 10년마다 경향신문의 같은 날 보도를 살펴보는 "
     "코너입니다. 매일 업데이트합니다.", "promo"),
    ("한겨레 주간 뉴스레터 ‘휘클리(h weekly)’ 4호가 발송됐습니다. \n\n휘클리 4호는 코로나19 백신에 대해 물었습니다.",
     "한겨레 주간 뉴스레터 ‘휘클리(h weekly)’ 4호가 발송됐습니다.", "promo"),
    ("정부가 발표했다.\n네이버에서 경향신문 구독하기", "네이버에서 경향신문 구독하기", "promo"),
]


@pytest.mark.parametrize(("text", "part", "kind"), SAMPLES)
def test_each_kind_is_found_and_blanked_with_offsets_kept(text, part, kind):
    lo = text.index(part)
    spans = boilerplate_spans(text)
    assert any(s <= lo and lo + len(part) <= e and k == kind for s, e, k in spans), spans
    out = analysed_text(text)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert out[lo:lo + len(part)].strip() == ""
    rest = [i for i in range(len(text)) if not any(s <= i < e for s, e, _ in spans)]
    assert all(out[i] == text[i] for i in rest)  # everything else untouched, same offsets


def test_article_text_is_not_boilerplate():
    body = ("김 위원장은 저작권자 보호를 위해 법을 바꿔야 한다고 말했다. 홍길동 기자가 보도합니다.\n"
            "▶ 올해 수출 10% 증가 전망\n베냐민 네타냐후 총리는 20일(현지 시각) 기자회견을 열었다.\n"
            "코로나19 백신 접종을 중요한 일이라고 인식하는 경향은 50%를 넘었다.\n"
            "기초과학연구원(IBS)은 ‘코로나19 과학 리포트 2’를 연재합니다.\n[세계경제 전망] 수출이 늘었다.\n"
            "유튜브 채널 구독자가 100만명을 넘었다.\n서울신문 취재 결과 재산세 고지서가 발송됐습니다.\n"
            "지역경제 활성화 방안을 소개합니다.")
    assert boilerplate_spans(body) == []
    assert analysed_text(body) == body


def test_credit_lines_never_become_sentences_terms_or_keywords():
    from analytics.analysis import analyze_articles

    text = ("(서울=연합뉴스) 김철수 기자 = 질병관리청은 28일 백신 접종을 시작했다고 밝혔다.\n"
            "2023.7.27/뉴스1 © News1 송원영 기자\n김철수 기자 kcs@yna.co.kr\n"
            "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>\n▶ 네이버에서 연합뉴스 구독하기")
    rows = analyze_articles([("a", text, "h", "[앵커] 백신 접종 시작")])
    sents = [r["text"] for r in rows["sentences"]]
    assert sents == ["백신 접종 시작", "질병관리청은 28일 백신 접종을 시작했다고 밝혔다."]
    body = next(r for r in rows["sentences"] if r["pos"] == 0)
    assert text[body["start"]:body["end"]] == body["text"]  # offsets point into the stored text
    terms = {r["term"] for r in rows["terms"]} | {r["keyword"] for r in rows["keywords"]}
    assert not {"연합뉴스", "뉴스1", "News1", "송원영", "김철수", "앵커", "기자"} & terms
    assert not any("연합뉴스" in r["canonical"] or "News1" in r["canonical"] for r in rows["entities"])


def test_names_in_brackets_and_slashes_in_text_stay():
    body = "공영방송(KBS)과 민영방송(SBS)이 중계했다.\n카테고리: 연구/ 기타\n[파이낸셜뉴스] 정부가 발표했다."
    spans = boilerplate_spans(body)
    assert [body[s:e] for s, e, _ in spans] == ["[파이낸셜뉴스]"]


def test_rules_without_their_literal_alternatives_find_the_same_spans():
    """A text without `사진` / `@` is searched by the caption and byline rules minus the
    alternatives that need them (and without the e-mail rule): the same spans as the full rules."""
    from analytics.ingest import boilerplate as B

    texts = ["[이데일리 김무연 기자] 본문이다. 홍길동 기자 hong@yna.co.kr", "사진공동취재단 /사진기자단 정부는 말했다.",
             "(서울=연합뉴스) 김철수 기자 = 정부가 발표했다.\n김철수 기자", "2023.7.27/뉴스1 © News1 송원영 기자",
             "정부가 3일 발표했다. / 김기남", "평범한 문장에는 아무것도 없다.", ""]
    gated = {kind: (literal, less) for kind, _full, literal, less in B._GATED}
    assert gated["caption"][0] == "사진" and gated["byline"][0] == "@" and gated["email"] == ("@", None)
    for text in texts:
        full = sorted((m.start(), m.end(), kind) for kind, rx in B._RULES for m in rx.finditer(text))
        assert sorted(f for f in B.boilerplate_spans(text) if f[2] != "promo") == [f for f in full if f[1] > f[0]]
    spans = B.boilerplate_spans(texts[0]) + B.boilerplate_spans(texts[1])
    assert {"byline", "email", "caption"} <= {k for _s, _e, k in spans}
