"""Rules of issue 13's fifteenth session, read off the fourteenth written set (data/labels/entities/fourteenth_corpus.jsonl:
news of 2025-26 on a local court, research grants, shipbuilding, K-pop agencies, insurance, railways, Japanese / Chinese /
Middle-East politics, a winter festival, telecoms and sports federations), which was judged before any of them was written (its
`before` rows). Real-looking sentences with the recognizer's spans given by hand pin each rule independently of the CRF; the
set's short forms and judged lists go through the real recognizer."""

from __future__ import annotations

import pytest

from tests.test_entities_generalise import (
    _article,
    _judged_top_lists_hold,
    _short_form_misses,
    _written_store,
)


def test_a_country_glued_after_a_foreign_name_before_a_title_is_the_country() -> None:
    got = _article(["레제프 타이이프 에르도안 튀르키예 대통령도 보증국 자격으로 서명했다."],
                   [[("PS", "레제프 타이이프 에르도안 튀르키예")]])
    assert got == [[("PS", "레제프 타이이프 에르도안", "레제프 타이이프 에르도안"), ("LC", "튀르키예", "튀르키예")]]
    # a two-word name before a title keeps its second word (`그로시` is no country)
    got = _article(["라파엘 그로시 사무총장은 이란을 방문했다."], [[("PS", "라파엘 그로시"), ("LC", "이란")]])
    assert got == [[("PS", "라파엘 그로시", "라파엘 그로시"), ("LC", "이란", "이란")]]


def test_a_bare_union_is_no_body() -> None:
    assert _article(["노조는 반발했다."], [[("OG", "노조")]]) == [[]]
    assert _article(["금속노조는 반발했다."], [[("OG", "금속노조")]]) == [[("OG", "금속노조", "금속노조")]]


def test_a_name_cut_from_a_quoted_word_or_a_quoted_title_with_its_year_is_no_entity() -> None:
    # `'마스가(MASGA)'`: `마스` is a known name, but the quoted word goes on
    assert _article(["한미 조선협력 프로젝트 '마스가(MASGA)'가 합의됐다."], [[("PS", "마스")]]) == [[]]
    assert _article(["합동 콘서트 'SMTOWN LIVE 2025'가 매진됐다."], [[("OG", "SMTOWN LIVE")]]) == [[]]
    # a quoted name that ends at the quote stays
    assert _article(["관중은 '손흥민'을 연호했다."], [[("PS", "손흥민")]]) == [[("PS", "손흥민", "손흥민")]]


def test_a_county_after_a_korean_full_name_is_the_place_not_part_of_the_person() -> None:
    # sixteenth session: the recognizer tagged `화순군` of `구창민 화순군 감사실장` a person (and a family name to join)
    assert _article(["구창민 화순군 감사실장은 \"공개하겠다\"고 말했다."], [[("PS", "화순군")]]) == [[("LC", "화순군", "화순군")]]
    assert _article(["구창민 화순군 감사실장은 \"공개하겠다\"고 말했다."], [[("PS", "구창민 화순군")]]) == [
        [("PS", "구창민", "구창민"), ("LC", "화순군", "화순군")]]
    # a Korean name ending in 구 (its first syllables a proper noun to Kiwi) stays a person
    assert _article(["수상자는 김철수 박상구 씨다."], [[("PS", "김철수"), ("PS", "박상구")]]) == [
        [("PS", "김철수", "김철수"), ("PS", "박상구", "박상구")]]


def test_the_fourteenth_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """The 76 hand-resolved rows of the fourteenth set: 63 right before the fifteenth session's rules, 64 after
    (`에르도안 대통령`); the 12 still wrong are pinned so that a change to them is seen."""
    assert sorted(_short_form_misses("fourteenth", 76)) == sorted(_STILL_WRONG)


_STILL_WRONG = [
    ('t14-ship-00', '펠런 장관', '0', '펠런'),  # `존 펠런 미 해군성` typed one body: the given name not joined
    ('t14-kpop-00', '박 CCO', '0', '-'),  # the title given only as `창의성총괄책임자(CCO)`
    ('t14-rail-00', '정 직무대행', '0', '-'),  # `정정래 코레일 사장 직무대행`: the title after a title
    ('t14-japan-00', '다카이치', '0', '다카이치'),  # `다카이치 사나에`: the given name `사나에` never tagged
    ('t14-japan-00', '요시무라 대표', '0', '요시무라'),  # `요시무라 히로후미 유신회`: the given name glued to the party
    ('t14-japan-00', '다카이치 총리', '0', '다카이치'),
    ('t14-japan-00', '다카이치 총리', '1', '다카이치'),
    ('t14-japan-00', '다카이치 총리', '2', '다카이치'),
    ('t14-japan-00', '다카이치 총리', '3', '다카이치'),
    ('t14-china-00', '허 부주석', '0', '-'),  # `허웨이둥 중앙군사위원회` typed one body
    ('t14-china-00', '먀오 전 주임', '0', '먀오'),  # `먀오화` never tagged whole
    ('t14-hk-e0', '리 행정장관', '0', '-'),  # `존 리`: a one-syllable family name after a Latin given name
]


@pytest.fixture(scope="module")
def fourteenth_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("fourteenth", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_fourteenth_set_top_lists_are_the_judged_canonical_names(fourteenth_store, typ: str) -> None:
    """The judged after list of the fourteenth set (it flatters: the rules were read off it; its before rows do not)."""
    _judged_top_lists_hold(fourteenth_store, "fourteenth", typ)
