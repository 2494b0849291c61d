"""Rules of issue 13's fourteenth session, read off the thirteenth written set (data/labels/entities/thirteenth_corpus.jsonl:
domestic news of 2025 on agriculture and fisheries, unions, reconstruction, airlines, games and webtoons, the defence industry,
North Korea, medical research, the environment and regional governments), which was judged before any of them was written (its
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


def test_a_korean_full_name_before_a_union_post_is_a_person() -> None:
    # `문용문 현대차지부장은`: the name was a place, and `문 지부장` took no title
    got = _article(["문용문 현대차지부장은 집회에서 말했다.", "문 지부장은 \"성과급을 올려야 한다\"고 덧붙였다."], [[("LC", "문용문")], [("PS", "문")]])
    assert got == [[("PS", "문용문", "문용문")], [("PS", "문 지부장", "문용문")]]
    # a place before a union's branch is still a place
    got = _article(["울산 현대차지부는 파업을 결의했다."], [[("LC", "울산"), ("OG", "현대차지부")]])
    assert got == [[("LC", "울산", "울산"), ("OG", "현대차지부", "현대차지부")]]


def test_a_one_word_person_beside_its_group_is_a_body() -> None:
    got = _article(["대명소노그룹이 인수한 티웨이항공이 새 출발했다.", "대명소노 측은 통합 계획이 없다고 했다."],
                   [[("OG", "대명소노그룹"), ("OG", "티웨이항공")], [("PS", "대명소노")]])
    assert got == [[("OG", "대명소노그룹", "대명소노그룹"), ("OG", "티웨이항공", "티웨이항공")], [("OG", "대명소노", "대명소노")]]
    # a Korean full name beside a group of that name stays the person (`정몽구` beside a `정몽구그룹` is no group)
    got = _article(["정몽구그룹이 출범했다.", "정몽구 측은 말했다."], [[("OG", "정몽구그룹")], [("PS", "정몽구")]])
    assert got[1] == [("PS", "정몽구", "정몽구")]


def test_a_name_and_an_institutions_word_are_a_body() -> None:
    got = _article(["연구에는 스웨덴 카롤린스카 연구소의 연구진도 참여했다."], [[("LC", "스웨덴 카롤린스카 연구소")]])
    assert got == [[("LC", "스웨덴", "스웨덴"), ("OG", "카롤린스카 연구소", "카롤린스카 연구소")]]
    # the place alone stays a place
    assert _article(["스웨덴 카롤린스카에서 열렸다."], [[("LC", "스웨덴 카롤린스카")]]) == [
        [("LC", "스웨덴", "스웨덴"), ("LC", "카롤린스카", "카롤린스카")]]


def test_the_thirteenth_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """The 54 hand-resolved rows of the thirteenth set: 51 right before the fourteenth session's rules, 52 after (`문 지부장`);
    the 2 still wrong are pinned so that a change to them is seen."""
    assert sorted(_short_form_misses("thirteenth", 54)) == sorted(_STILL_WRONG)


_STILL_WRONG = [
    ('t13-defence-00', '코시니아크카미시 장관', '0', '코시니아크카미시'),  # the Polish first name `브와디스와프` not joined to it
    ('t13-kal-e0', '오트버그 CEO', '0', '-'),  # `켈리 오트버그 보잉 CEO`: only `켈리` tagged, `오트버그 CEO` typed a body
]


@pytest.fixture(scope="module")
def thirteenth_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("thirteenth", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_thirteenth_set_top_lists_are_the_judged_canonical_names(thirteenth_store, typ: str) -> None:
    """The judged after list of the thirteenth set (it flatters: the rules were read off it; its before rows do not)."""
    _judged_top_lists_hold(thirteenth_store, "thirteenth", typ)
