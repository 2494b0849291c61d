"""Tokenization invariants on real Korean news sentences (kiwipiepy test style)."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analytics.nlp.tokenize import (
    Unit,
    analyze_batch,
    get_kiwi,
    sentence_units,
    split_sentences,
)

SEEDS = sorted((Path(__file__).resolve().parent.parent / "data" / "articles").glob("*.txt"))

KOREAN = [
    "실리콘밸리로부터 배운다 -- 이노베이션 영향력, ‘ D-Lab’이 교량 역할",
    "일본 기업들의 실리콘밸리 진출 지원 등을 광범위하게 지원하고 있다.",
    "ICT 기술의 발전이 4차 산업혁명을 강요하며 우리에게 초연결의 인프라를 재촉하고 있기 때문이다.",
    "기존 제조업 인프라에 초연결의 ICT 인프라를 대입해 스마트 팩토리의 길로 모두를 안내한다.",
    "도요타는 A.I. 기반의 e-Palette를 공개했고, 5G 통신과 코로나19 이후 2만명이 몰렸다.",
    "과학기술정책연구원(STEPI)은 22일 오후 3시 세종시에서 포럼을 개최했다.",
]


def units_of(text: str) -> list[Unit]:
    return [u for s in split_sentences(text) for u in sentence_units(s)]


def terms_of(text: str) -> list[str]:
    return [u.term for u in units_of(text)]


def test_one_kiwi_per_process():
    assert get_kiwi() is get_kiwi()


def test_sentence_offsets_map_back_into_the_text():
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for s in split_sentences(text):
            assert text[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text
            for t in s.tokens:
                assert s.start <= t.start and t.end <= s.end


def test_sentences_are_cut_at_line_breaks():
    sents = split_sentences("제목 줄\n  • 작성자hjtic\n본문 첫 문장이다. 둘째 문장이다.")
    assert [s.text for s in sents] == ["제목 줄", "• 작성자hjtic", "본문 첫 문장이다.", "둘째 문장이다."]


def test_batch_equals_one_by_one():
    batch = analyze_batch(KOREAN)
    assert [[s.text for s in sents] for sents in batch] == [
        [s.text for s in split_sentences(t)] for t in KOREAN
    ]
    assert analyze_batch([]) == []


@pytest.mark.parametrize("text", KOREAN)
def test_no_unit_contains_a_particle_or_ending(text):
    kiwi = get_kiwi()
    for unit in units_of(text):
        tags = {t.tag for t in kiwi.tokenize(unit.term)}
        assert not any(tag.startswith(("J", "E", "V")) for tag in tags), (unit, tags)
        assert not any(tag.startswith("XS") for tag in tags) or unit.cls == "compound", (unit, tags)


def test_particle_attached_forms_are_normalised():
    terms = terms_of("실리콘밸리로부터 배워라! 일본 기업들의 실리콘밸리 진출")
    assert "실리콘밸리" in terms and "기업" in terms
    assert not any(t.endswith(("로부터", "들의", "들")) for t in terms)


def test_latin_words_with_inner_hyphens_and_dots_stay_whole():
    terms = terms_of("D-Lab의 활동과 A.I. 기반의 e-Palette, M-PESA 같은 서비스")
    for whole in ["D-Lab", "A.I.", "e-Palette", "M-PESA"]:
        assert whole in terms
    assert "Lab" not in terms and "Palette" not in terms


def test_numbers_keep_their_units_and_bare_numbers_are_dropped():
    units = units_of("4차 산업혁명과 5G, 2만명, 3D 프린터, 코로나19, 그리고 629")
    assert Unit("4차", "number") in units
    assert Unit("5G", "number") in units
    assert Unit("2만명", "number") in units
    assert Unit("코로나19", "proper") in units
    assert "629" not in [u.term for u in units]


def test_noun_compounds_become_phrases_with_the_texts_spacing():
    units = units_of("4차 산업혁명과 4차산업혁명, 스마트 팩토리, 실리콘밸리 D-Lab")
    phrases = [u.term for u in units if u.cls == "phrase"]
    assert phrases == ["4차 산업혁명", "4차산업혁명", "스마트 팩토리", "실리콘밸리 D-Lab"]
    # a written word's nouns are one compound unit; its parts are not counted on their own
    assert Unit("산업혁명", "compound") in units and Unit("산업", "common") not in units


def test_compounds_suffixes_and_one_syllable_units():
    units = units_of("테슬라 전기차를 샀다. 원내대표는 양평고속도로 백지화를 선언했다. 고령층 거리두기 비대면. "
                     "윤 대통령과 김 대표가 국민의힘 당 대표를 만났다. 기업들은 3월 초 美 FDA를 찾았다.")
    terms = [u.term for u in units]
    for compound in ("전기차", "원내대표", "양평고속도로", "백지화", "고령층", "거리두기", "비대면", "국민의힘"):
        assert compound in terms, compound
    assert not {"전기", "차", "원내", "백지", "고령", "윤", "김", "당", "힘", "초", "기업들"} & set(terms)
    assert {"윤 대통령", "김 대표", "기업", "美", "FDA", "테슬라 전기차"} <= set(terms)
    assert "3월 초" not in terms  # no one-syllable word at a phrase's right edge


def test_multiword_dictionary_names_give_word_units_and_the_whole_phrase():
    terms = terms_of("신종 코로나바이러스 감염증(코로나19) 백신")
    assert {"코로나바이러스", "감염증", "신종 코로나바이러스 감염증", "코로나19", "백신"} <= set(terms)


def test_function_words_are_never_units():
    terms = terms_of("그것은 우리 때문에 할 수 있는 것 등이다.")
    assert terms == []


def test_classes_of_korean_units():
    units = units_of("삼성전자가 인공지능 반도체를 발표했다.")
    assert Unit("삼성전자", "proper") in units
    assert Unit("반도체", "common") in units


def test_english_sentences_give_lower_cased_lemmas_without_stopwords():
    # names with an inner capital (e-Palette, IoT, ChatGPT) keep their form
    terms = terms_of("Toyota announced new e-Palette vehicles for smart cities with the IoT and ChatGPT.")
    assert terms == ["toyota", "announced", "e-Palette", "vehicle", "smart", "city", "IoT", "ChatGPT"]


def test_latin_names_inside_korean_sentences_keep_their_case():
    assert "Deloitte" in terms_of("파나소닉, Deloitte Tohmatsu에 소속된 일본인")


def test_sents_pickle_for_worker_processes():
    sents = split_sentences(KOREAN[0])
    back = pickle.loads(pickle.dumps(sents))
    assert [s.text for s in back] == [s.text for s in sents]
    assert [u for s in back for u in sentence_units(s)] == [u for s in sents for u in sentence_units(s)]


def test_one_kiwi_is_safe_to_share_across_threads():
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] * 4
    expected = [[u for s in split_sentences(t) for u in sentence_units(s)] for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda t: [u for s in split_sentences(t) for u in sentence_units(s)], texts))
    assert got == expected


def test_a_word_kiwi_reads_as_starting_with_a_suffix_is_read_again_alone():
    """Kiwi read 화이자 in '호남권 화이자 백신' as 권/XSN 화/XSN 이/VCP 자/EC: the word vanished."""
    from analytics.nlp.tokenize import sentence_units, split_sentences

    (sent,) = split_sentences("호남권 화이자 백신 26일 조선대에 도착")
    tags = {(t.form, t.tag) for t in sent.tokens}
    assert ("화이자", "NNP") in tags and ("화", "XSN") not in tags
    hwa = next(t for t in sent.tokens if t.form == "화이자")
    assert sent.text[hwa.start - sent.start:hwa.end - sent.start] == "화이자"
    assert "화이자" in {u.term for u in sentence_units(sent)}


def test_words_read_right_in_context_are_left_alone():
    from analytics.nlp.tokenize import repair_word_starts, split_sentences

    (sent,) = split_sentences("화이자 백신이 도착했고 정부는 최적화된 계획을 밝혔다.")
    assert repair_word_starts(sent.text, sent.tokens) is sent.tokens


def test_a_name_kiwi_reads_as_a_noun_and_copula_is_read_again_alone():
    """Kiwi read 화이자 in context as 화/NNG 이/VCP 자/EC ("it is 화, and"): 70 of the 190 화이자
    of the BIG Kinds export of February 2021, 19 of its 95 articles had no 화이자 term."""
    from analytics.nlp.tokenize import sentence_units, split_sentences

    for text in ("대통령은 아스트라제네카, 총리는 화이자 백신 접종 참관",
                 "내일부턴 “화이자도 맞는다”"):
        (sent,) = split_sentences(text)
        assert ("화", "NNG") not in {(t.form, t.tag) for t in sent.tokens}, text
        hwa = next(t for t in sent.tokens if t.form == "화이자")
        assert (hwa.tag, sent.text[hwa.start - sent.start:hwa.end - sent.start]) == ("NNP", "화이자")
        assert "화이자" in {u.term for u in sentence_units(sent)}


def test_a_real_noun_and_copula_stays_as_kiwi_read_it():
    """A noun + copula that is what it seems (교수이자, 것이다) is not changed, and a re-reading
    that is no proper noun is refused ("하루 전인 새벽" alone would give the noun 전인)."""
    from analytics.nlp.tokenize import repair_word_starts, sentence_units, split_sentences

    (sent,) = split_sentences("그는 의대 교수이자 연구자로, 출하되기 하루 전인 새벽 도착할 것이다.")
    assert repair_word_starts(sent.text, sent.tokens) is sent.tokens
    assert "전인" not in {u.term for u in sentence_units(sent)}


def test_analysis_restores_the_garbage_collector_state():
    """analyze_articles pauses the cyclic GC for its batch (speed) and gives it back as it found it,
    also when a stage raises."""
    import gc

    from analytics.analysis import analyze_articles

    assert gc.isenabled()
    rows = analyze_articles([("a", "정부가 백신 접종을 시작했다.", "h")])
    assert gc.isenabled() and [r["text"] for r in rows["sentences"]] == ["정부가 백신 접종을 시작했다."]
    gc.disable()
    try:
        analyze_articles([("a", "정부가 백신 접종을 시작했다.", "h")])
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises((TypeError, ValueError, IndexError)):
        analyze_articles([("a",)])
    assert gc.isenabled()


def test_sentence_terms_are_the_sorted_terms_of_sentence_units():
    from analytics.nlp.tokenize import sentence_terms

    sents = [s for doc in analyze_batch(KOREAN + [p.read_text(encoding="utf-8") for p in SEEDS]) for s in doc]
    assert len(sents) > 100
    for s in sents:
        assert sentence_terms(s) == sorted({u.term for u in sentence_units(s)}), s.text
    [toyota] = [s for s in sents if s.text.startswith("도요타는")]
    assert sentence_terms(toyota) == ["2만명", "5G", "5G 통신", "A.I.", "A.I. 기반", "e-Palette", "공개", "기반",
                                      "도요타", "이후", "코로나19", "코로나19 이후", "통신"]
