"""Rules of issue 13's third session, read off the third written set (data/labels/entities/
third_corpus.jsonl): real-looking sentences with the recognizer's spans given by hand, so each rule
is pinned independently of the CRF, and the set's hand-resolved short forms through the real
recognizer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.nlp.entities import Entity

DEV = Path(__file__).resolve().parents[1] / "data" / "labels" / "entities"


def _article(texts: list[str], spans: list[list[tuple[str, str]]], n_head: int = 0) -> list[list[tuple[str, str, str]]]:
    """resolve_article over sentences with the recognizer's spans given by hand: (type, text, canonical)."""
    from analytics.nlp.entities.canonical import resolve_article

    ents = []
    for text, sp in zip(texts, spans, strict=True):
        at, row = 0, []
        for typ, span in sp:
            s = text.index(span, at)
            row.append(Entity(typ, span, s, s + len(span), " ".join(span.split())))
            at = s + len(span)
        ents.append(row)
    return [[(e.type, e.text, e.canonical) for e in es] for es in resolve_article(texts, ents, n_head=n_head)]


def test_surname_and_title_goes_to_the_person_given_that_title() -> None:
    # `이 대표` is 이재명 대표 even after 이화영 전 경기도 평화부지사 is named; `이 전 부지사` is 이화영
    got = _article(["이재명 더불어민주당 대표가 9일 수원지검에 출석했다.",
                    "이화영 전 경기도 평화부지사는 \"이 대표에게 보고했다\"고 진술했다.",
                    "이 전 부지사의 부인은 회유를 주장했다.", "김성태 전 쌍방울 회장은 \"이 대표의 방북을 위해 돈을 보냈다\"고 했다."],
                   [[("PS", "이재명"), ("OG", "더불어민주당"), ("OG", "수원지검")], [("PS", "이화영"), ("LC", "경기도")],
                    [("PS", "이")], [("PS", "김성태"), ("PS", "쌍방울")]])
    assert [c for _t, _x, c in got[1] if _t == "PS"] == ["이화영", "이재명"]
    assert got[2] == [("PS", "이 전 부지사", "이화영")]
    assert ("PS", "이 대표", "이재명") in got[3]
    # a title learnt from a short form: `김 대표` stays 김기현 after 김병민 (no title) is named
    got = _article(["국민의힘 새 당대표에 김기현 의원이 선출됐다.", "김 대표는 수락 연설을 했다.",
                    "최고위원에는 김재원·김병민 후보가 뽑혔다.", "윤석열 대통령은 김 대표에게 축하 전화를 걸었다."],
                   [[("OG", "국민의힘"), ("PS", "김기현")], [("PS", "김")], [("PS", "김재원"), ("PS", "김병민")],
                    [("PS", "윤석열"), ("PS", "김")]])
    assert got[1] == [("PS", "김 대표", "김기현")] and got[3][1] == ("PS", "김 대표", "김기현")
    # the title given with the affiliation between (`김정은 북한 국무위원장` ... `김 위원장`)
    got = _article(["김정은 북한 국무위원장이 푸틴 대통령과 만났다.", "회담에는 김여정 노동당 부부장이 배석했다.",
                    "조선중앙통신은 김 위원장이 공장도 둘러볼 예정이라고 전했다."],
                   [[("PS", "김정은"), ("OG", "북한"), ("PS", "푸틴")], [("PS", "김여정"), ("OG", "노동당")],
                    [("OG", "조선중앙통신"), ("PS", "김")]])
    assert got[2][1] == ("PS", "김 위원장", "김정은")
    # `조 전 장관` is 조국 전 법무부 장관, not 조민 씨 named since
    got = _article(["조국 전 법무부 장관이 1심에서 징역 2년을 선고받았다.", "딸 조민 씨는 소송을 냈다.",
                    "법조계는 조 전 장관의 출마를 주목한다."], [[("PS", "조국"), ("OG", "법무부")], [("PS", "조민")], [("PS", "조")]])
    assert got[2] == [("PS", "조 전 장관", "조국")]


def test_former_and_serving_holders_of_one_title_and_korea_as_a_surname() -> None:
    # `이 전 대표` is 이준석 전 대표, `이 대표` 이재명 대표, whichever was named last
    got = _article(["이준석 전 국민의힘 대표가 신당 창당을 선언했다.", "이재명 더불어민주당 대표는 민생을 강조했다.",
                    "이 전 대표는 기득권 정치를 깨겠다고 말했다.", "이 대표는 정부를 비판했다."],
                   [[("PS", "이준석"), ("OG", "국민의힘")], [("PS", "이재명"), ("OG", "더불어민주당")], [("PS", "이")], [("PS", "이")]])
    assert got[2] == [("PS", "이 전 대표", "이준석")] and got[3] == [("PS", "이 대표", "이재명")]
    # `韓 장관` is 한동훈 장관 (Kiwi leaves the Hanja at the end of the sentence before); `韓` alone is Korea
    got = _article(["한동훈 법무부 장관과 한덕수 국무총리가 국회에 출석했다. 韓", "장관은 법대로 하겠다고 했다.", "韓 기업의 요구가 반영됐다."],
                   [[("PS", "한동훈"), ("OG", "법무부"), ("PS", "한덕수"), ("OG", "국회")], [], []])
    assert got[0][-1] == ("PS", "韓", "한동훈") and got[2] == [("LC", "韓", "한국")]
    # a Hanja surname glued to its title in one span (`丁총리`) is the article's 정 총리
    got = _article(["정세균 국무총리는 접종 현장을 찾았다.", "丁총리 \"백신 안전성 확인\""], [[("PS", "정세균")], [("PS", "丁총리")]])
    assert got[1] == [("PS", "丁총리", "정세균")]
    # a country's official name and its abbreviation are the country; a curated common noun written apart is none
    got = _article(["아랍에미리트연합(UAE)과 협정을 맺었다.", "방역 당국은 거리두기를 연장했다."],
                   [[("OG", "아랍에미리트연합"), ("OG", "UAE")], [("OG", "방역 당국")]])
    assert got == [[("LC", "아랍에미리트연합", "아랍에미리트")], []]
    # a company's short name cut by the recognizer is the referent table's whole word (`LG|엔솔`)
    assert _article(["LG엔솔, 테슬라에 배터리 공급"], [[("OG", "LG"), ("OG", "테슬라")]])[0] == [
        ("OG", "LG엔솔", "LG에너지솔루션"), ("OG", "테슬라", "테슬라")]


def test_foreign_family_name_of_one_syllable_and_misread_companies() -> None:
    # `쿡 CEO`, `리 회장`: a one-syllable family name before a title is the foreign name ending in it
    got = _article(["팀 쿡 애플 CEO는 말을 아꼈다.", "쿡 CEO는 자율주행이 핵심이라고 했다."], [[("PS", "팀 쿡"), ("OG", "애플")], [("PS", "쿡")]])
    assert got[1] == [("PS", "쿡 CEO", "팀 쿡")]
    # `아스트라제네카사` typed as a person: the company
    assert _article(["아스트라제네카사의 백신을 맞았다."], [[("PS", "아스트라제네카사")]])[0] == [
        ("OG", "아스트라제네카사", "아스트라제네카")]


def test_a_family_name_typed_as_an_organisation_goes_to_the_dominant_person() -> None:
    from analytics.nlp.entities.referents import merge_referents

    got = merge_referents([("일론 머스크", "PS", 40), ("머스크", "OG", 2), ("머스크", "PS", 1), ("헨리 포드", "PS", 3), ("포드", "OG", 50)])
    assert got["머스크"] == ("일론 머스크", "PS")  # typed OG in two excerpts: still Musk
    assert got["포드"] == ("포드", "OG")  # the company, not Henry Ford


def test_a_title_word_is_no_surname_and_title() -> None:
    # `KBS 이사장`: 이 + 사장 is the word 이사장, not 이동관 사장
    got = _article(["이동관 방송통신위원장은 취임했다.", "방통위는 남영진 KBS 이사장의 해임을 의결했다.", "남 이사장은 소송을 냈다."],
                   [[("PS", "이동관")], [("OG", "방통위"), ("PS", "남영진"), ("OG", "KBS")], [("PS", "남")]])
    assert got[1] == [("OG", "방통위", "방통위"), ("PS", "남영진", "남영진"), ("OG", "KBS", "KBS")]
    assert got[2] == [("PS", "남 이사장", "남영진")]


def test_hanja_surname_and_foreign_family_name_with_a_title() -> None:
    # a headline's 尹 is the article's 윤석열 (named most), not 윤강현 named once
    got = _article(["尹 \"UAE의 적은 이란\" 발언 파장", "윤석열 대통령이 아크부대를 찾았다.", "외교부는 윤강현 주이란 대사를 통해 설명했다.",
                    "윤 대통령은 다보스로 이동한다."], [[("LC", "이란")], [("PS", "윤석열")], [("OG", "외교부"), ("PS", "윤강현")], [("PS", "윤")]],
                   n_head=1)
    assert got[0][0] == ("PS", "尹", "윤석열")
    # `우드 CEO` untagged by the recognizer: the family name of 캐시 우드 before a title
    got = _article(["캐시 우드 아크인베스트먼트 CEO가 목표주가를 제시했다.", "우드 CEO는 보고서에서 분석했다."],
                   [[("PS", "캐시 우드"), ("OG", "아크인베스트먼트")], []])
    assert got[1] == [("PS", "우드", "캐시 우드")]
    # a Chinese name cut by the recognizer (`싱하|이밍`) is the whole word before a title; `싱 대사` resolves
    got = _article(["싱하이밍 주한 중국대사가 이재명 대표와 만났다.", "외교부는 싱 대사를 초치했다."],
                   [[("PS", "싱하"), ("LC", "중국"), ("PS", "이재명")], [("OG", "외교부"), ("PS", "싱")]])
    assert got[0][0] == ("PS", "싱하이밍", "싱하이밍") and got[1][1] == ("PS", "싱 대사", "싱하이밍")
    # ... but a Korean full name keeps its suffix out (`이준석계` is 이준석's faction)
    assert _article(["천 후보는 이준석계 최고위원 후보들을 위로했다."], [[("PS", "이준석")]])[0] == [("PS", "이준석", "이준석")]


def test_companies_glued_to_or_listed_with_people() -> None:
    # `자그딥 싱 퀀텀스케이프 CEO` read as `싱 퀀텀스케이프`: `싱 CEO` later, the company never titled
    got = _article(["퀀텀스케이프의 주가가 급등했다.", "자그딥 싱 퀀텀스케이프 CEO는 말했다.", "싱 CEO는 2024년을 목표로 제시했다."],
                   [[("PS", "퀀텀스케이프")], [("PS", "싱 퀀텀스케이프")], [("PS", "싱")]])
    assert got[0] == [("OG", "퀀텀스케이프", "퀀텀스케이프")]
    # the given name the recognizer left untagged is joined (fifth session): `싱 CEO` is 자그딥 싱
    assert got[1] == [("PS", "자그딥 싱", "자그딥 싱"), ("OG", "퀀텀스케이프", "퀀텀스케이프")]
    assert got[2] == [("PS", "싱 CEO", "자그딥 싱")]
    # a person glued to a company the article calls a company (`업체 니오와 샤오펑이`)
    got = _article(["중국 전기차 업체 니오와 샤오펑이 기록을 세웠다.", "허샤오펑 샤오펑 회장은 투자를 강조했다."],
                   [[("LC", "중국"), ("PS", "니오"), ("PS", "샤오펑")], [("PS", "허샤오펑 샤오펑")]])
    assert got[0] == [("LC", "중국", "중국"), ("OG", "니오", "니오"), ("OG", "샤오펑", "샤오펑")]
    assert got[1] == [("PS", "허샤오펑", "허샤오펑"), ("OG", "샤오펑", "샤오펑")]
    # a name glossed by a company's abbreviation; a company's group named in the article; a company + country
    got = _article(["버크셔해서웨이가 투자한 비야디(BYD)의 주가가 올랐다.", "찰리 멍거 버크셔 부회장도 거들었다.",
                    "검찰은 쌍방울그룹을 압수수색했다.", "쌍방울이 돈을 보냈다.", "테슬라의 한국법인 테슬라코리아를 조사했다."],
                   [[("PS", "버크셔해서웨이"), ("PS", "비야디"), ("OG", "BYD")], [("PS", "찰리 멍거 버크셔")], [("OG", "쌍방울그룹")],
                    [("PS", "쌍방울")], [("OG", "테슬라"), ("LC", "테슬라코리아")]])
    assert got[0] == [("OG", "버크셔해서웨이", "버크셔해서웨이"), ("OG", "비야디", "비야디")]
    assert got[1] == [("PS", "찰리 멍거", "찰리 멍거"), ("OG", "버크셔", "버크셔")]
    assert got[3] == [("OG", "쌍방울", "쌍방울")] and got[4][1] == ("OG", "테슬라코리아", "테슬라코리아")
    # listed with a known company; a model right after its maker or before 일렉트릭
    got = _article(["BYD와 니오 등 중국 전기차 업체들은 판매를 늘렸다.", "현대자동차가 코나 일렉트릭 8만여 대를 리콜한다."],
                   [[("OG", "BYD"), ("PS", "니오"), ("LC", "중국")], [("OG", "현대자동차"), ("PS", "코나")]])
    assert got == [[("OG", "BYD", "BYD"), ("OG", "니오", "니오"), ("LC", "중국", "중국")], [("OG", "현대자동차", "현대자동차")]]


def test_places_prizes_roles_and_homonyms() -> None:
    got = _article(["한미일 정상이 미국 메릴랜드주 캠프 데이비드에서 만났다.", "앤서니 파우치 소장이 댄 데이비드상 수상자로 선정됐다.",
                    "전진선 양평군수는 사업 재개를 호소했다.", "백원우 전 청와대 민정비서관은 집행유예를 받았다.",
                    "박희영 용산구청장과 이임재 전 용산경찰서장의 재판", "테슬라 상하이 기가팩토리 첫 인도…모델3 인도 행사",
                    "윤 대통령은 인도 뉴델리에 도착했다."],
                   [[("LC", "미국"), ("LC", "메릴랜드주"), ("PS", "데이비드")], [("PS", "앤서니 파우치"), ("PS", "댄 데이비드")],
                    [("OG", "양평군수")], [("PS", "백원우"), ("OG", "청와대 민정비서관")],
                    [("PS", "박희영"), ("LC", "용산구청장"), ("PS", "이임재"), ("OG", "용산경찰서장")],
                    [("OG", "테슬라"), ("LC", "상하이"), ("LC", "인도"), ("LC", "인도")], [("LC", "인도"), ("LC", "뉴델리")]])
    assert got[0][-1] == ("LC", "캠프 데이비드", "캠프 데이비드")
    assert got[1] == [("PS", "앤서니 파우치", "앤서니 파우치")]  # 댄 데이비드상 is a prize
    assert got[2] == [] and got[3] == [("PS", "백원우", "백원우"), ("OG", "청와대", "청와대")]
    assert got[4] == [("PS", "박희영", "박희영"), ("PS", "이임재", "이임재")]
    assert got[5] == [("OG", "테슬라", "테슬라"), ("LC", "상하이", "상하이")]  # 인도 = delivery
    assert got[6] == [("LC", "인도", "인도"), ("LC", "뉴델리", "뉴델리")]  # 인도 = India


def test_countries_states_and_one_type_per_name() -> None:
    got = _article(["새만금 잼버리 조기 퇴영", "전북 부안군 새만금에서 열리고 있는 잼버리 참가자들이 떠났다.",
                    "이란 측에 오해가 없도록 설명했다.", "LG에너지솔루션은 오하이오주 로즈타운에 공장을 짓는다.",
                    "백악관과 日 정부는 북러 간 무기 거래를 경고했다.", "아랍에미리트(UAE)의 무함마드 빈 자예드 알나하얀 UAE 대통령과 만났다."],
                   [[("PS", "새만금")], [("LC", "전북 부안군 새만금")], [("OG", "이란")], [("OG", "LG에너지솔루션"), ("LC", "오하이오주 로즈타운")],
                    [("OG", "백악관"), ("PS", "북러")],
                    [("LC", "아랍에미리트"), ("OG", "UAE"), ("OG", "무함마드 빈 자예드 알나하얀 UAE")]], n_head=1)
    assert got[0] == [("LC", "새만금", "새만금")]  # typed PS in the headline, a place in the body
    assert got[1] == [("LC", "전북", "전북"), ("LC", "부안군", "부안군"), ("LC", "새만금", "새만금")]
    assert got[2] == [("LC", "이란", "이란")]
    assert got[3] == [("OG", "LG에너지솔루션", "LG에너지솔루션"), ("LC", "오하이오주", "오하이오주"), ("LC", "로즈타운", "로즈타운")]
    assert got[4] == [("OG", "백악관", "백악관"), ("LC", "日", "일본"), ("LC", "북", "북한"), ("LC", "러", "러시아")]
    assert got[5] == [("LC", "아랍에미리트", "아랍에미리트"), ("PS", "무함마드 빈 자예드 알나하얀", "무함마드 빈 자예드 알나하얀"),
                      ("LC", "UAE", "아랍에미리트")]
    # common nouns for bodies and a law's abbreviation are not counted
    got = _article(["재판부는 공정성을 훼손했다고 지적했다.", "최윤호 삼성SDI 사장은 IRA 요건을 맞추겠다고 했다."],
                   [[("OG", "재판부")], [("PS", "최윤호"), ("OG", "삼성SDI"), ("OG", "IRA")]])
    assert got == [[], [("PS", "최윤호", "최윤호"), ("OG", "삼성SDI", "삼성SDI")]]


def test_the_third_sets_short_forms_resolve_as_judged_by_hand() -> None:
    """Every surname + title, family name and Hanja surname of the third written set, through the real
    recognizer: all 82 hand-resolved rows (58 before the third session's rules, 80 after them; the two
    names the recognizer never tags, `자그딥` of 자그딥 싱 and `전진선` glued to 양평군수, are found since the
    fifth session's rules on untagged given names and untagged names before a title)."""
    assert _short_form_misses("third", 82) == []


def _written_store(name: str, factory: pytest.TempPathFactory):
    """The written set `<name>_corpus.jsonl` ingested into a store of its own, opened without user aliases
    (the fixtures of every written set's judged-list tests)."""
    from analytics.cli import main
    from analytics.queries import open_corpus

    store = factory.mktemp(name) / "store"
    assert main(["ingest", str(DEV / f"{name}_corpus.jsonl"), "--store", str(store), "--workers", "1"]) == 0
    return open_corpus(store, lexicon_dir=factory.mktemp("nolex"))


@pytest.fixture(scope="module")
def third_store(tmp_path_factory: pytest.TempPathFactory, isolated_query_cache: None):
    return _written_store("third", tmp_path_factory)


@pytest.mark.parametrize("typ", ["PS", "OG", "LC"])
def test_third_set_top_lists_are_the_judged_canonical_names(third_store, typ: str) -> None:
    """The judged after list of the third set (it flatters: the rules were read off it): the top-10
    exactly, every top-20 name judged and as precise, none of the names judged wrong before."""
    from analytics.filters import Filters
    from analytics.queries import top_entities

    rows = [ln.split("\t") for ln in (DEV / "judged_third_corpus.tsv").read_text(encoding="utf-8").splitlines()
            if not ln.startswith(("#", "list\t")) and ln.split("\t")[1] == typ]
    top = top_entities(third_store, Filters(), typ, 30)
    after = [r for r in rows if r[0] == "after"]
    assert top["entity"].head(10).tolist() == [r[3] for r in after if int(r[2]) <= 10]
    marks = {r[3]: r[7] for r in sorted(rows, key=lambda r: r[0] != "after")}
    top20 = top["entity"].head(20).tolist()
    assert all(n in marks for n in top20), [n for n in top20 if n not in marks]
    assert sum(marks[n] == "correct" for n in top20) >= sum(r[7] == "correct" for r in after if int(r[2]) <= 20)
    assert not {r[3] for r in rows if r[0] == "before" and r[7] != "correct"} & set(top["entity"])
    forms = dict(zip(top["entity"], top["forms"], strict=True))
    expected = {"PS": {"이재명": "이재명, 이 대표", "싱하이밍": "싱하이밍, 싱 대사", "조국": "조국, 조 전 장관"},
                "OG": {"더불어민주당": "더불어민주당, 민주당", "비야디": "비야디, BYD"},
                "LC": {"미국": "미국, 美", "중국": "중국, 中"}}[typ]
    assert {k: forms.get(k) for k in expected} == expected


def _short_form_misses(name: str, n: int) -> list[tuple[str, str, str, str]]:
    """The hand-resolved short forms of the written set `name` (exactly `n` rows) that the real recognizer
    and resolve_article get wrong: (article, form, k-th occurrence, what we resolved it to or "-")."""
    from analytics.ingest.boilerplate import analysed_text
    from analytics.nlp.entities import load_recognizer
    from analytics.nlp.entities.canonical import resolve_article
    from analytics.nlp.tokenize import analyze_batch

    gold = [ln.split("\t") for ln in (DEV / f"{name}_corpus_short_forms.tsv").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
    arts = {a["id"]: a for a in map(json.loads, (DEV / f"{name}_corpus.jsonl").read_text(encoding="utf-8").splitlines())}
    rec = load_recognizer()
    resolved = {}
    for aid in dict.fromkeys(g[0] for g in gold):
        body, head = analyze_batch([analysed_text(arts[aid]["text"]), analysed_text(arts[aid]["title"])])
        sents = list(head) + list(body)
        texts = [s.text for s in sents]
        resolved[aid] = (texts, resolve_article(texts, rec.extract(texts, [s.tokens for s in sents]), n_head=len(head)))
    wrong = []
    for aid, form, k, expected in gold:
        texts, res = resolved[aid]
        i, j = [(i, j) for i, t in enumerate(texts) for j in range(len(t)) if t.startswith(form, j)][int(k)]
        hit = [e.canonical for e in res[i] if e.type == "PS" and j <= e.start < j + len(form)]
        if (hit[0] if hit else "-") != expected:
            wrong.append((aid, form, k, hit[0] if hit else "-"))
    assert len(gold) == n
    return wrong


def _judged_top_lists_hold(corpus, name: str, typ: str) -> None:
    """The judged `after` list of `judged_<name>_corpus.tsv` for type `typ` holds on `corpus`: the
    top-10 exactly, every top-20 name judged and as precise, none of the names judged wrong before
    (unless the after list judges it again: `아시아나항공`, a duplicate before, is the merged airline
    after; `아미` is wrong still)."""
    from analytics.filters import Filters
    from analytics.queries import top_entities

    rows = [ln.split("\t") for ln in (DEV / f"judged_{name}_corpus.tsv").read_text(encoding="utf-8").splitlines()
            if not ln.startswith(("#", "list\t")) and ln.split("\t")[1] == typ]
    top = top_entities(corpus, Filters(), typ, 30)
    after = [r for r in rows if r[0] == "after"]
    assert top["entity"].head(10).tolist() == [r[3] for r in after if int(r[2]) <= 10]
    marks = {r[3]: r[7] for r in sorted(rows, key=lambda r: r[0] == "after")}  # the after judgment wins
    top20 = top["entity"].head(20).tolist()
    assert all(n in marks for n in top20), [n for n in top20 if n not in marks]
    assert sum(marks[n] == "correct" for n in top20) >= sum(r[7] == "correct" for r in after if int(r[2]) <= 20)
    assert not ({r[3] for r in rows if r[0] == "before" and r[7] != "correct"} - {r[3] for r in after}) & set(top["entity"])
