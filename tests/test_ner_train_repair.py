"""Round-8 rules on the CRF's spans (`entities.repair`): exact results on hand-made morphemes copied
from Kiwi's readings of the news lines they were written for (no Kiwi, no training)."""

from __future__ import annotations

from analytics.nlp.entities.repair import (
    company_not_product,
    extend_cut_name,
    inside_code,
    unknown_only,
)


class _Spelling:
    """A stand-in for the namelike table: PS for the listed forms, OG for the rest."""

    def __init__(self, persons: set[str]) -> None:
        self.persons = persons

    def features(self, form: str) -> tuple[str, ...]:
        return ("nl=PS4",) if form in self.persons else ("nl=OG2", "nlX=1")


def test_a_korean_name_cut_after_two_syllables_runs_to_the_end_of_its_word() -> None:
    text = "최윤호 삼성SDI 사장은"
    morphs = [(0, 2, "NNP", "최윤"), (2, 3, "NNB", "호"), (4, 6, "NNP", "삼성"), (6, 9, "SL", "SDI")]
    assert extend_cut_name(text, 0, 2, "PS", morphs) == 3
    # a particle or a suffix after the two syllables is no part of the name; nor is a 4-syllable word
    assert extend_cut_name("김순이 말했다", 0, 2, "PS", [(0, 2, "NNP", "김순"), (2, 3, "JKS", "이")]) == 2
    assert extend_cut_name("김철씨 말했다", 0, 2, "PS", [(0, 2, "NNP", "김철"), (2, 3, "XSN", "씨")]) == 2
    assert extend_cut_name("최윤호준 말했다", 0, 2, "PS", [(0, 2, "NNP", "최윤"), (2, 4, "NNG", "호준")]) == 2
    # only persons, only from a surname
    assert extend_cut_name(text, 0, 2, "OG", morphs) == 2
    assert extend_cut_name("아윤호 사장", 0, 2, "PS", [(0, 2, "NNP", "아윤"), (2, 3, "NNB", "호")]) == 2


def test_a_product_after_a_company_is_cut_off_the_organisation() -> None:
    known = {"현대차": "OG", "서울대": "OG", "테슬라": "OG"}
    nl = _Spelling({"일론 머스크"})
    text = "현대차 코나 일렉트릭 리콜"
    morphs = [(0, 3, "NNP", "현대차"), (4, 6, "NNG", "코나"), (7, 11, "NNP", "일렉트릭"), (12, 14, "NNG", "리콜")]
    unknown = [(4, 6)]  # Kiwi does not know 코나
    assert company_not_product(text, 0, 11, "OG", known, nl, morphs, unknown) == 3
    # the head of a unit is a common noun Kiwi knows: the unit keeps its span
    text2 = "서울대 경영대학"
    assert company_not_product(text2, 0, 8, "OG", known, nl, [(0, 3, "NNP", "서울대"), (4, 8, "NNG", "경영대학")],
                               [(4, 6)]) == 8
    # a person after the company (by its spelling) is left to the counting rules
    text3 = "테슬라 일론 머스크"
    assert company_not_product(text3, 0, 10, "OG", known, nl, [(0, 3, "NNP", "테슬라"), (4, 6, "NNP", "일론"),
                                                                (7, 10, "NNP", "머스크")], [(4, 6)]) == 10
    # nothing Kiwi does not know in the rest, or no known organisation first: unchanged
    assert company_not_product(text, 0, 11, "OG", known, nl, morphs, []) == 11
    assert company_not_product(text, 0, 11, "OG", {}, nl, morphs, unknown) == 11


def test_a_latin_piece_of_a_hyphenated_code_is_no_name() -> None:
    text = "전용 플랫폼 E-GMP 공개"
    assert inside_code(text, text.index("GMP"))
    assert not inside_code(text, text.index("E-GMP"))
    assert not inside_code("빌-힐러리 클린턴", 2)  # Hangul after a hyphen is left alone


def test_places_and_organisations_of_unknown_nouns_alone_need_the_tables() -> None:
    text = "렉키로나주 투여"
    ranges = [(0, 5)]
    assert unknown_only(text, 0, 5, "OG", ranges, {}, {})
    assert not unknown_only(text, 0, 5, "PS", ranges, {}, {})  # persons are left alone (review names)
    assert not unknown_only(text, 0, 5, "OG", ranges, {"렉키로나주": "OG/OGG_ECONOMY"}, {})
    assert not unknown_only(text, 0, 5, "OG", ranges, {}, {"렉키로나주": "OG"})
    assert not unknown_only("셀트리온 렉키로나주", 0, 10, "OG", [(5, 10)], {}, {})  # 셀트리온 is known to Kiwi


def test_a_headline_place_ends_before_the_noun_that_ends_its_clause() -> None:
    from analytics.nlp.entities.repair import place_before_clause_noun

    text = "태풍 '카눈' 경남 거제 상륙…남부지방 물폭탄"
    a = text.index("경남")
    morphs = [(a, a + 2, "NNP", "경남"), (a + 3, a + 5, "NNP", "거제"), (a + 6, a + 8, "NNG", "상륙")]
    assert place_before_clause_noun(text, a, a + 8, "LC", {}, morphs) == a + 5
    # inside a sentence the noun is part of the place (KLUE: `해운대 해수욕장에서`)
    text2 = "부산 해운대 해수욕장에서"
    m2 = [(0, 2, "NNP", "부산"), (3, 6, "NNP", "해운대"), (7, 11, "NNG", "해수욕장"), (11, 13, "JKB", "에서")]
    assert place_before_clause_noun(text2, 0, 11, "LC", {}, m2) == 11
    # at a clause end too, a known name or a noun Kiwi reads in pieces stays
    assert place_before_clause_noun(text, a, a + 8, "LC", {"상륙": "LC"}, morphs) == a + 8
    assert place_before_clause_noun(text, a, a + 8, "OG", {}, morphs) == a + 8


def test_a_person_right_after_a_state_is_the_city_in_it() -> None:
    from analytics.nlp.entities.repair import place_then_person

    text = "테슬라가 미국 텍사스주 오스틴에 새 공장을"
    spans = [(0, 3, "OG"), (5, 12, "LC"), (13, 16, "PS")]
    assert place_then_person(text, spans) == [(0, 3, "OG"), (5, 16, "LC")]
    # a title after it, or a Korean full name without a place particle: a person
    assert place_then_person("경기도 김동연 지사는", [(0, 3, "LC"), (4, 7, "PS")]) == [(0, 3, "LC"), (4, 7, "PS")]
    assert place_then_person("경기도 김동연은", [(0, 3, "LC"), (4, 7, "PS")]) == [(0, 3, "LC"), (4, 7, "PS")]
    assert place_then_person("텍사스주 오스틴 공장", [(0, 4, "LC"), (5, 8, "PS")]) == [(0, 4, "LC"), (5, 8, "PS")]
    assert place_then_person("캘리포니아주 팔로알토 본사", [(0, 6, "LC"), (7, 11, "PS")]) == [(0, 11, "LC")]
    # no state or province word before it: unchanged
    assert place_then_person("미국 오스틴", [(0, 2, "LC"), (3, 6, "PS")]) == [(0, 2, "LC"), (3, 6, "PS")]
