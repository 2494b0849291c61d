"""Rules of issue 13's eighth session, read off the eighth written set (data/labels/entities/eighth_corpus.jsonl:
diplomacy and war 2022-24, courts and crime, local government and disasters, the medical-quota strike, K-pop
agencies, platforms, shipping / aviation and education), which was judged before any of them was written (its
`before` rows). Real-looking sentences with the recognizer's spans given by hand pin each rule independently of
the CRF; the set's short forms and judged lists go through the real recognizer."""

from __future__ import annotations

import pytest

from tests.test_entities_generalise import (
    _article,
    _judged_top_lists_hold,
    _short_form_misses,
    _written_store,
)


def test_humanitarian_is_no_india() -> None:
    # `인도적` (人道的, humanitarian): -적 after a country's name makes a word of its own
    got = _article(["두 정상은 안보·인도적 지원에 합의했다.", "구테흐스 사무총장은 즉각적인 인도적 휴전을 촉구했다."],
                   [[("LC", "인도")], [("PS", "구테흐스"), ("LC", "인도")]])
    assert got == [[], [("PS", "구테흐스", "구테흐스")]]
    # India itself stays
    got = _article(["모디 총리는 인도 뉴델리에서 회견을 했다."], [[("PS", "모디"), ("LC", "인도"), ("LC", "뉴델리")]])
    assert [(t, c) for t, _x, c in got[0]] == [("PS", "모디"), ("LC", "인도"), ("LC", "뉴델리")]


def test_a_person_in_a_locative_or_after_capital_is_a_place() -> None:
    # persons take 에게; `테헤란에서`, a headline's `테헤란서`, `수도 키이우를` are places, throughout the article
    got = _article(["하니예, 테헤란서 피살", "이스마일 하니예가 이란 수도 테헤란에서 숨졌다.", "하니예는 취임식에 참석하려 테헤란을 찾았다."],
                   [[("PS", "하니예"), ("PS", "테헤란")], [("PS", "이스마일 하니예"), ("LC", "이란"), ("PS", "테헤란")],
                    [("PS", "하니예"), ("PS", "테헤란")]], n_head=1)
    assert [(t, c) for es in got for t, _x, c in es if c == "테헤란"] == [("LC", "테헤란")] * 3
    assert [c for es in got for t, _x, c in es if t == "PS"] == ["이스마일 하니예"] * 3
    got = _article(["윤 대통령은 우크라이나 수도 키이우를 방문했다.", "키이우에 도착한 윤 대통령은 부차를 찾았다."],
                   [[("LC", "우크라이나"), ("PS", "키이우")], [("PS", "키이우")]])
    assert [(t, c) for es in got for t, _x, c in es] == [("LC", "우크라이나"), ("LC", "키이우"), ("LC", "키이우")]
    # `에 대해` is said of a person; a person named in full keeps his short form whatever particle follows
    got = _article(["조 바이든 대통령은 말했다.", "공화당은 바이든에 대해 비판했다.", "참모들은 바이든에게 보고했다."],
                   [[("PS", "조 바이든")], [("OG", "공화당"), ("PS", "바이든")], [("PS", "바이든")]])
    assert [c for es in got for t, _x, c in es if t == "PS"] == ["조 바이든"] * 3


def test_a_known_company_and_more_is_its_unit_and_what_runs_a_service_is_a_company() -> None:
    # `쿠팡이츠` (쿠팡 known as a company + 이츠): its delivery unit, no person
    got = _article(["점주들 \"쿠팡이츠와 출혈경쟁\"", "쿠팡이츠는 점유율을 늘렸다."], [[("PS", "쿠팡이츠")], [("PS", "쿠팡이츠")]], n_head=1)
    assert [(t, c) for es in got for t, _x, c in es] == [("OG", "쿠팡이츠")] * 2
    # `토스를 운영하는 비바리퍼블리카의`: what runs an app is a company
    got = _article(["간편송금 앱 토스를 운영하는 비바리퍼블리카의 이승건 대표가 말했다."], [[("LC", "비바리퍼블리카"), ("PS", "이승건")]])
    assert got[0] == [("OG", "비바리퍼블리카", "비바리퍼블리카"), ("PS", "이승건", "이승건")]


def test_common_words_glued_before_an_organisation() -> None:
    # `감찰 결과 행정중심복합도시건설청(행복청)`: the name begins at the word its abbreviation begins with; 행복청 is it
    got = _article(["국무조정실은 감찰 결과 행정중심복합도시건설청(행복청)이 제방을 허물었다고 발표했다.", "행복청은 입장을 냈다."],
                   [[("OG", "국무조정실"), ("OG", "감찰 결과 행정중심복합도시건설청"), ("OG", "행복청")], [("OG", "행복청")]])
    assert [c for es in got for _t, _x, c in es] == ["국무조정실", "행정중심복합도시건설청", "행정중심복합도시건설청"]
    # an apposition inside the span: `HMM 노조인 해원연합노조` (the union of HMM), `PB 자회사 씨피엘비`, `러시아 민간군사기업 바그너`
    got = _article(["HMM은 국적선사다.", "HMM 노조인 해원연합노조는 입장을 냈다."], [[("OG", "HMM")], [("OG", "HMM 노조인 해원연합노조")]])
    assert got[1] == [("OG", "HMM", "HMM"), ("OG", "해원연합노조", "해원연합노조")]
    got = _article(["공정위는 쿠팡과 PB 자회사 씨피엘비가 후기를 달았다고 판단했다."], [[("OG", "공정위"), ("OG", "쿠팡"), ("OG", "PB 자회사 씨피엘비")]])
    assert got[0][-1] == ("OG", "씨피엘비", "씨피엘비")
    got = _article(["러시아 민간군사기업 바그너 그룹의 수장이 반란을 일으켰다."], [[("LC", "러시아 민간군사기업 바그너")]])
    assert got[0] == [("LC", "러시아", "러시아"), ("OG", "바그너", "바그너")]
    # a name of several words with no apposition stays whole
    got = _article(["서울중앙지법 민사합의50부는 신청을 기각했다."], [[("OG", "서울중앙지법 민사합의50부")]])
    assert got[0] == [("OG", "서울중앙지법 민사합의50부", "서울중앙지법 민사합의50부")]


def test_a_korean_short_name_in_brackets_past_a_dropped_prefix_or_the_names_tail() -> None:
    # `한국교육과정평가원(평가원)`, `한국연예제작자협회(연제협)`: the bracketed short name is the body's wherever it is used
    got = _article(["한국교육과정평가원(평가원)의 원장이 사의를 밝혔다.", "평가원은 출제 경위를 설명했다."],
                   [[("OG", "한국교육과정평가원"), ("OG", "평가원")], [("OG", "평가원")]])
    assert [c for es in got for _t, _x, c in es] == ["한국교육과정평가원", "한국교육과정평가원"]
    got = _article(["한국연예제작자협회(연제협)는 성명을 냈다.", "연제협은 템퍼링을 비판했다."],
                   [[("OG", "한국연예제작자협회"), ("OG", "연제협")], [("OG", "연제협")]])
    assert [c for es in got for _t, _x, c in es] == ["한국연예제작자협회", "한국연예제작자협회"]


def test_particles_a_span_keeps_and_a_dateline_of_two_places() -> None:
    # `JKL파트너스로` (Kiwi reads 로 as a particle), `로스토프나도누의` (a word Kiwi does not know, 의 kept)
    got = _article(["하림은 팬오션과 사모펀드 JKL파트너스로 컨소시엄을 꾸렸다."], [[("OG", "하림"), ("OG", "팬오션"), ("OG", "JKL파트너스로")]])
    assert got[0][-1] == ("OG", "JKL파트너스", "JKL파트너스")
    got = _article(["그는 남부 로스토프나도누의 군 사령부를 장악했다."], [[("OG", "로스토프나도누의")]])
    assert [(x, c) for _t, x, c in got[0]] == [("로스토프나도누", "로스토프나도누")]
    # `평양·모스크바=이정수 기자` closing the article: the dateline and its reporter are not the story's
    assert _article(["평양·모스크바=이정수 기자"], [[("LC", "평양"), ("LC", "모스크바"), ("PS", "이정수")]]) == [[]]


def test_a_surname_with_a_producers_short_title() -> None:
    # `양 총괄` for 양현석 YG 총괄프로듀서
    got = _article(["양현석 YG 총괄프로듀서는 지원하겠다고 밝혔다.", "양 총괄은 개인 활동은 따로 정한다고 덧붙였다."],
                   [[("PS", "양현석"), ("OG", "YG")], []])
    assert got[1] == [("PS", "양 총괄", "양현석")]


def test_the_eighth_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """All 64 hand-resolved rows of the eighth set (63 before this session's rules: `양 총괄` missed)."""
    assert _short_form_misses("eighth", 64) == []


@pytest.fixture(scope="module")
def eighth_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("eighth", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_eighth_set_top_lists_are_the_judged_canonical_names(eighth_store, typ: str) -> None:
    """The judged after list of the eighth set (it flatters: the rules were read off it; its before rows do not)."""
    _judged_top_lists_hold(eighth_store, "eighth", typ)
