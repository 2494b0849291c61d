"""Rules of issue 13's eleventh session, read off the eleventh written set (data/labels/entities/eleventh_corpus.jsonl:
international and business news of 2025 heavy in foreign names -- NATO and EU summits, Syria and Lebanon, Latin American,
African and Asian elections, global companies and their chiefs), which was judged before any of them was written (its
`before` rows). Real-looking sentences with the recognizer's spans given by hand pin each rule independently of the CRF;
the set's short forms and judged lists go through the real recognizer."""

from __future__ import annotations

import pytest

from tests.test_entities_generalise import (
    _article,
    _judged_top_lists_hold,
    _short_form_misses,
    _written_store,
)


def test_a_first_name_left_out_before_a_tagged_family_name() -> None:
    # the recognizer tags `곤살레스` alone and leaves `루이사` out: the untagged word before it, with a title after, is her first name
    got = _article(["노보아 대통령이 시민혁명운동의 루이사 곤살레스 후보를 앞섰다.", "곤살레스 후보는 재검표를 요구했다."],
                   [[("PS", "노보아"), ("OG", "시민혁명운동"), ("PS", "곤살레스")], [("PS", "곤살레스")]])
    assert [[(t, x, c) for t, x, c in es if t == "PS"] for es in got] == [
        [("PS", "노보아", "노보아"), ("PS", "루이사 곤살레스", "루이사 곤살레스")], [("PS", "곤살레스", "루이사 곤살레스")]]
    # a party's name before the family name is no first name (`민중당 커원저 후보`)
    got = _article(["민중당 커원저 후보는 3위에 그쳤다.", "커원저 후보는 승복했다."], [[("PS", "커원저")], [("PS", "커원저")]])
    assert [[c for t, _x, c in es if t == "PS"] for es in got] == [["커원저"], ["커원저"]]


def test_a_company_glued_before_its_chairman_in_a_headline() -> None:
    got = _article(["폭스콘 류양웨이 회장 \"AI 서버 공장\"", "대만 폭스콘의 류양웨이 회장은 공장을 짓는다고 밝혔다.", "폭스콘은 미국에도 공장이 있다."],
                   [[("PS", "폭스콘 류양웨이")], [("LC", "대만"), ("OG", "폭스콘"), ("PS", "류양웨이")], [("OG", "폭스콘"), ("LC", "미국")]],
                   n_head=1)
    assert got[0] == [("OG", "폭스콘", "폭스콘"), ("PS", "류양웨이", "류양웨이")]
    assert [(t, c) for t, _x, c in got[1]] == [("LC", "대만"), ("OG", "폭스콘"), ("PS", "류양웨이")]
    assert [(t, c) for t, _x, c in got[2]] == [("OG", "폭스콘"), ("LC", "미국")]
    # a two-word name whose first word the article never tags an organisation stays one person
    got = _article(["마크 카니 총리는 오타와에서 말했다.", "카니 총리는 승리를 선언했다."], [[("PS", "마크 카니"), ("LC", "오타와")], [("PS", "카니")]])
    assert [[c for t, _x, c in es if t == "PS"] for es in got] == [["마크 카니"], ["마크 카니"]]


def test_a_family_name_glued_to_a_country_or_a_common_noun_or_a_role() -> None:
    # `라마포사 남아공 대통령` typed one organisation: the family name of 시릴 라마포사, then the country
    got = _article(["라마포사 남아공 대통령 \"아프리카의 목소리\"", "시릴 라마포사 남아프리카공화국 대통령은 개회사를 했다."],
                   [[("OG", "라마포사 남아공"), ("LC", "아프리카")], [("PS", "시릴 라마포사"), ("LC", "남아프리카공화국")]], n_head=1)
    assert [(t, c) for t, _x, c in got[0]] == [("PS", "시릴 라마포사"), ("LC", "남아프리카공화국"), ("LC", "아프리카")]
    # `폴란드 대선 나브로츠키 당선` and `나브로츠키 당선인은` typed bodies: the person the article names in full
    got = _article(["폴란드 대선 나브로츠키 당선", "역사학자 카롤 나브로츠키 후보가 당선됐다.", "나브로츠키 당선인은 그단스크에서 말했다."],
                   [[("OG", "폴란드 대선 나브로츠키")], [("PS", "카롤 나브로츠키")], [("OG", "나브로츠키 당선인"), ("LC", "그단스크")]], n_head=1)
    assert [[(t, c) for t, _x, c in es] for es in got] == [
        [("LC", "폴란드"), ("PS", "카롤 나브로츠키")], [("PS", "카롤 나브로츠키")], [("PS", "카롤 나브로츠키"), ("LC", "그단스크")]]


def test_a_plant_named_after_its_owner_is_no_mention_of_him() -> None:
    got = _article(["단고테 정유공장 가동률 85%", "알리코 단고테 회장이 이끄는 단고테그룹은 단고테 정유공장 가동률을 밝혔다.", "단고테 회장은 수출을 말했다."],
                   [[("PS", "단고테")], [("PS", "알리코 단고테"), ("OG", "단고테그룹")], [("PS", "단고테")]], n_head=1)
    assert got[0] == [("LC", "단고테 정유공장", "단고테 정유공장")]
    assert [c for t, _x, c in got[1] if t == "PS"] == ["알리코 단고테"]
    assert [c for t, _x, c in got[2] if t == "PS"] == ["알리코 단고테"]


def test_two_unknown_words_typed_a_place_before_a_persons_title() -> None:
    got = _article(["헌법재판소가 패통탄 친나왓 총리의 직무를 정지했다.", "수리야 중룽르앙낏 부총리가 직무를 대행한다.", "패통탄 총리는 반발했다."],
                   [[("OG", "헌법재판소"), ("LC", "패통탄 친나왓")], [("LC", "수리야 중룽르앙낏")], [("PS", "패통탄")]])
    assert [[(t, c) for t, _x, c in es] for es in got] == [
        [("OG", "헌법재판소"), ("PS", "패통탄 친나왓")], [("PS", "수리야 중룽르앙낏")], [("PS", "패통탄 친나왓")]]
    # a coach and his club (`아본단자 흥국생명 감독`: a company's ending) and a place and its mayor stay as they were
    got = _article(["마르첼로 아본단자 흥국생명 감독은 말했다."], [[("PS", "마르첼로"), ("OG", "아본단자 흥국생명")]])
    assert ("OG", "아본단자 흥국생명") in [(t, c) for t, _x, c in got[0]]


def test_the_eleventh_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """The 125 hand-resolved rows of the eleventh set: 87 right before this session's rules, 105 after; the 20 still wrong are
    pinned so that a change to them is seen (foreign one-syllable family names with a title, headline family names, given
    names shared across articles, foreign places read as people)."""
    assert sorted(_short_form_misses("eleventh", 125)) == sorted(_STILL_WRONG)


_STILL_WRONG = [
    ("t11-eu-00", "칼라스", "1", "-"),
    ("t11-idn-00", "누산타라", "2", "누산타라"),
    ("t11-idn-00", "물야니 장관", "0", "물야니"),
    ("t11-idn-00", "조코위", "0", "조코위"),
    ("t11-idn-00", "지브란", "1", "지브란 라카부밍"),
    ("t11-idn-00", "프라보워", "0", "-"),
    ("t11-ind-00", "지오 플랫폼스", "0", "지오"),
    ("t11-intel-00", "웨이 회장", "0", "-"),
    ("t11-intel-00", "탄 CEO", "0", "-"),
    ("t11-intel-00", "탄 CEO", "1", "-"),
    ("t11-mex-00", "몬테레이", "0", "몬테레이"),
    ("t11-mex-00", "사카테카스", "0", "사카테카스"),
    ("t11-mex-00", "셰인바움", "0", "-"),
    ("t11-mys-e0", "안와르 총리", "0", "안와르"),
    ("t11-pol-e0", "트샤스코프스키", "0", "트샤스코프스키"),
    ("t11-soil-e0", "에쓰오일", "0", "에쓰오일 샤힌"),
    ("t11-soil-e0", "에쓰오일", "1", "에쓰오일 샤힌"),
    ("t11-syria-00", "다마스쿠스", "0", "다마스쿠스"),
    ("t11-syria-00", "알레포", "0", "알레포"),
    ("t11-tha-e0", "패통탄", "0", "패통탄"),
]


@pytest.fixture(scope="module")
def eleventh_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("eleventh", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_eleventh_set_top_lists_are_the_judged_canonical_names(eleventh_store, typ: str) -> None:
    """The judged after list of the eleventh set (it flatters: the rules were read off it; its before rows do not)."""
    _judged_top_lists_hold(eleventh_store, "eleventh", typ)
