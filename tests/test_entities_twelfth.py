"""Rules of issue 13's twelfth session, read off the twelfth written set (data/labels/entities/twelfth_corpus.jsonl:
international finance, business and tech news of 2024-25 -- central banks, funds and ratings agencies, foreign chiefs with
one-syllable family names or initials, Vietnamese / Thai / Malay names, foreign places that read like people, Korean bank
short forms), which was judged before any of them was written (its `before` rows). Real-looking sentences with the
recognizer's spans given by hand pin each rule independently of the CRF; the set's short forms and judged lists go through
the real recognizer."""

from __future__ import annotations

import pytest

from tests.test_entities_generalise import (
    _article,
    _judged_top_lists_hold,
    _short_form_misses,
    _written_store,
)


def test_an_untagged_foreign_name_ending_in_a_one_syllable_family_name() -> None:
    # the recognizer tags neither `리사 수` nor `또 럼`; the article writes `수 CEO`, `럼 서기장` apart
    got = _article(["리사 수 AMD CEO는 신제품을 공개했다.", "수 CEO는 \"추론에서 앞선다\"고 말했다."], [[("OG", "AMD")], []])
    assert got == [[("PS", "리사 수", "리사 수"), ("OG", "AMD", "AMD")], [("PS", "수 CEO", "리사 수")]]
    got = _article(["또 럼 베트남 공산당 서기장이 방한했다.", "럼 서기장은 삼성전자를 찾았다."],
                   [[("LC", "베트남"), ("OG", "공산당")], [("OG", "삼성전자")]])
    assert got == [[("PS", "또 럼", "또 럼"), ("LC", "베트남", "베트남"), ("OG", "공산당", "공산당")],
                   [("PS", "럼 서기장", "또 럼"), ("OG", "삼성전자", "삼성전자")]]
    # a Korean surname is no such family name (`또 이 대표`), nor a syllable written only after another word (`페이-용 시 교수`)
    assert _article(["그는 또 이 대표를 만났다.", "이 대표는 답하지 않았다."], [[], []]) == [[], []]
    assert _article(["미국 텍사스 의대의 페이-용 시 교수는 말했다."], [[("LC", "미국 텍사스")]]) == [
        [("LC", "미국", "미국"), ("LC", "텍사스", "텍사스")]]


def test_initials_before_a_name_are_part_of_it() -> None:
    got = _article(["J.D. 밴스 부통령은 감세를 촉구했다.", "밴스 부통령은 법안 처리를 서두르자고 했다."], [[("PS", "밴스")], [("PS", "밴스")]])
    assert got == [[("PS", "J.D. 밴스", "J.D. 밴스")], [("PS", "밴스", "J.D. 밴스")]]


def test_a_title_and_its_body_are_cut_from_a_persons_span() -> None:
    got = _article(["크리스탈리나 게오르기에바 IMF 총재는 연설했다.", "게오르기에바 총재는 균형을 주문했다."],
                   [[("PS", "크리스탈리나 게오르기에바 IMF 총재")], [("PS", "게오르기에바 총재")]])
    assert got == [[("PS", "크리스탈리나 게오르기에바", "크리스탈리나 게오르기에바")], [("PS", "게오르기에바", "크리스탈리나 게오르기에바")]]


def test_a_person_listed_with_a_place_is_a_place() -> None:
    got = _article(["항구도시 라타키아와 타르투스의 물류 시설이 망가졌다."], [[("LC", "라타키아"), ("PS", "타르투스")]])
    assert got == [[("LC", "라타키아", "라타키아"), ("LC", "타르투스", "타르투스")]]
    # the family name of a person the article names stays that person
    got = _article(["조 바이든 대통령은 회견을 열었다.", "미국과 바이든 행정부는 제재를 풀었다."],
                   [[("PS", "조 바이든")], [("LC", "미국"), ("PS", "바이든")]])
    assert got == [[("PS", "조 바이든", "조 바이든")], [("LC", "미국", "미국"), ("PS", "바이든", "조 바이든")]]


def test_the_words_of_a_products_name_are_no_mentions() -> None:
    got = _article(["엔비디아는 차세대 칩 '베라 루빈'을 공개했다.", "베라 루빈은 내년에 나온다."],
                   [[("OG", "엔비디아"), ("OG", "베라"), ("PS", "루빈")], [("PS", "베라 루빈")]])
    assert got == [[("OG", "엔비디아", "엔비디아")], []]


def test_a_person_glued_before_a_financial_group_or_a_country_and_a_title() -> None:
    got = _article(["진옥동 신한금융지주 회장은 실적을 설명했다.", "진 회장은 일본 법인을 예로 들었다."],
                   [[("LC", "진옥동 신한금융지주")], [("PS", "진")]])
    assert got == [[("PS", "진옥동", "진옥동"), ("OG", "신한금융지주", "신한금융지주")], [("PS", "진 회장", "진옥동")]]
    got = _article(["리창 중국 국무원 총리가 목표를 제시했다.", "리 총리는 내수 확대를 말했다."],
                   [[("OG", "리창 중국 국무원")], [("PS", "리 총리")]])
    assert got == [[("PS", "리창", "리창"), ("LC", "중국", "중국"), ("OG", "국무원", "국무원")], [("PS", "리 총리", "리창")]]


def test_a_one_word_person_the_article_calls_a_company_is_that_company() -> None:
    # thirteenth session: `전기차 업체 빈패스트가` says it is a company: every untitled `빈패스트` is, and no first name is glued to it
    # (`레 티 투 투이 빈패스트 CEO` gave a person `투이 빈패스트` before)
    got = _article(["베트남 전기차 업체 빈패스트가 인도에 조립공장을 가동했다.", "빈패스트는 미국 공장 가동을 2028년으로 미뤘다.",
                    "레 티 투 투이 빈패스트 CEO는 \"인도 시장에서 앞서겠다\"고 말했다."],
                   [[("LC", "베트남"), ("PS", "빈패스트"), ("LC", "인도")], [("PS", "빈패스트"), ("LC", "미국")], [("LC", "인도")]])
    assert got == [[("LC", "베트남", "베트남"), ("OG", "빈패스트", "빈패스트"), ("LC", "인도", "인도")],
                   [("OG", "빈패스트", "빈패스트"), ("LC", "미국", "미국")], [("LC", "인도", "인도")]]


def test_a_meeting_is_no_place() -> None:
    got = _article(["일본은행(BOJ)이 24일 금융정책결정회의에서 금리를 올렸다."], [[("OG", "일본은행"), ("OG", "BOJ"), ("LC", "금융정책결정회의")]])
    assert got == [[("OG", "일본은행", "일본은행")]]


def test_a_club_is_counted_under_its_short_name() -> None:
    # `KIA 타이거즈` and the nickname alone under `KIA` (the club; `기아` the company apart), `삼성 라이온즈` under `삼성`
    got = _article(["프로야구 KIA 타이거즈가 삼성 라이온즈를 꺾고 우승했다.", "KIA는 7년 만에 통합 우승을 차지했다.",
                    "기아 측은 \"기아와 타이거즈는 도전을 공유한다\"고 말했다.", "삼성은 준우승에 그쳤다."],
                   [[("OG", "KIA 타이거즈"), ("OG", "삼성 라이온즈")], [("OG", "KIA")], [("OG", "기아"), ("OG", "기아"), ("PS", "타이거즈")],
                    [("OG", "삼성")]])
    assert got == [[("OG", "KIA 타이거즈", "KIA"), ("OG", "삼성 라이온즈", "삼성")], [("OG", "KIA", "KIA")],
                   [("OG", "기아", "기아"), ("OG", "기아", "기아"), ("OG", "타이거즈", "KIA")], [("OG", "삼성", "삼성")]]
    # the full name stays when the article never writes the short name alone
    assert _article(["LG 트윈스가 한화를 꺾었다."], [[("OG", "LG 트윈스"), ("OG", "한화")]]) == [
        [("OG", "LG 트윈스", "LG 트윈스"), ("OG", "한화", "한화")]]


def test_a_headlines_short_company_before_a_person_is_his_company_in_the_body() -> None:
    got = _article(["KB 양종희 \"주주환원 확대\"", "양종희 KB금융 회장은 자사주 매입을 발표했다."],
                   [[("OG", "KB"), ("PS", "양종희")], [("PS", "양종희"), ("OG", "KB금융")]], n_head=1)
    assert got == [[("OG", "KB", "KB금융"), ("PS", "양종희", "양종희")], [("PS", "양종희", "양종희"), ("OG", "KB금융", "KB금융")]]


def test_a_financial_holdings_short_name_goes_to_its_official_name() -> None:
    from analytics.nlp.entities.referents import merge_referents

    assert merge_referents([("KB금융", "OG", 2), ("KB금융지주", "OG", 1), ("하나금융", "OG", 2)]) == {
        "KB금융": ("KB금융지주", "OG"), "KB금융지주": ("KB금융지주", "OG"), "하나금융": ("하나금융", "OG")}


def test_a_given_name_ending_like_a_body_stays_in_the_name() -> None:
    # `가쓰노부` ends in 부 like a ministry, but Kiwi knows no such word: the given name, not a body split off the person
    got = _article(["가토 가쓰노부 재무상은 \"적절히 판단했다\"고 밝혔다.", "가토 재무상은 엔화 약세에 대응하겠다고 말했다."],
                   [[("PS", "가토 가쓰노부")], [("PS", "가토")]])
    assert got == [[("PS", "가토 가쓰노부", "가토 가쓰노부")], [("PS", "가토", "가토 가쓰노부")]]
    # a ministry Kiwi knows is still split off (`박진 외교부 장관`)
    got = _article(["박진 외교부 장관은 회견을 열었다."], [[("PS", "박진 외교부")]])
    assert got == [[("PS", "박진", "박진"), ("OG", "외교부", "외교부")]]


def test_the_twelfth_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """The 98 hand-resolved rows of the twelfth set: 68 right before the twelfth session's rules, 84 after, 85 after the thirteenth
    session's (`가토 재무상`); the 13 still wrong are pinned so that a change to them is seen."""
    assert sorted(_short_form_misses("twelfth", 98)) == sorted(_STILL_WRONG)


_STILL_WRONG = [
    ('t12-ecb-00', '빌루아 총재', '0', '프랑수아 빌루아'),  # the particle-like `드갈로` left off the full name
    ('t12-vn-00', '찐 총리', '1', '-'),  # a Vietnamese one-word name read by its last syllable
    ('t12-vn-00', '박닌성', '0', '박닌성'),  # a province that reads as a Korean full name
    ('t12-syria-00', '홈스', '0', '홈스'),  # a city listed with an untagged one (`알레포와 홈스`)
    ('t12-syria-00', '방가 총재', '0', '방가'),  # `아제이` cut to `아제`: the full name lost
    ('t12-syria-00', '아사드', '0', '-'),  # `아사드 정권` typed a body
    ('t12-syria-00', '하마', '0', '하마'),  # two cities listed, neither tagged a place
    ('t12-syria-00', '이들리브', '0', '이들리브'),  # two cities listed, neither tagged a place
    ('t12-sg-00', '필레이 CEO', '0', '필레이'),  # `딜한` left out of the name
    ('t12-vinfast-e0', '브엉 회장', '0', '브엉'),  # `팜녓브엉` typed a body
    ('t12-vinfast-e0', '브엉 회장', '2', '브엉'),  # `팜녓브엉` typed a body
    ('t12-apple-e0', '쿡', '0', '-'),  # a one-syllable family name before a company in a headline
    ('t12-softbank-e0', '트럼프', '0', '트럼프'),  # a headline's family name left as written
]


@pytest.fixture(scope="module")
def twelfth_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("twelfth", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_twelfth_set_top_lists_are_the_judged_canonical_names(twelfth_store, typ: str) -> None:
    """The judged after list of the twelfth set (it flatters: the rules were read off it; its before rows do not)."""
    _judged_top_lists_hold(twelfth_store, "twelfth", typ)
