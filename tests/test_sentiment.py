"""Sentence sentiment: the shipped model's interface, aggregation helpers and the eval command."""

from __future__ import annotations

import argparse
import json
import pickle

import pytest

from analytics.nlp import sentiment as S
from analytics.nlp.sentiment_train import dedupe, eval_main, metrics, train_main

POSITIVE = "삼성전자의 2분기 영업이익은 전년 동기 대비 50% 증가하며 사상 최대 실적을 기록했다."
NEGATIVE = "회사는 영업손실이 확대되자 직원 300명을 해고했다."
NEUTRAL = "이 회사는 헬싱키에 본사를 두고 있다."


@pytest.fixture(scope="module")
def model() -> S.ShippedSentimentModel:
    return S.ShippedSentimentModel()


def test_clear_earnings_growth_is_positive(model):
    [(label, score)] = model.predict([POSITIVE])
    assert label == "positive" and score > 0


def test_layoffs_and_losses_are_negative(model):
    [(label, score)] = model.predict([NEGATIVE])
    assert label == "negative" and score < 0


def test_company_description_is_neutral(model):
    assert model.predict([NEUTRAL])[0][0] == "neutral"


def test_scores_lie_in_minus_one_to_one_and_labels_are_known(model):
    out = model.predict([POSITIVE, NEGATIVE, NEUTRAL, "", "ㅋㅋ", "Nokia"])
    assert len(out) == 6
    assert all(lab in S.LABELS and -1.0 <= s <= 1.0 for lab, s in out)


def test_given_tokens_equal_own_tokenization(model):
    from analytics.nlp.tokenize import get_kiwi

    texts = [POSITIVE, NEGATIVE]
    tokens = [list(t) for t in get_kiwi().tokenize(texts)]
    assert model.predict(texts, tokens) == model.predict(texts)


def test_empty_input_gives_empty_output(model):
    assert model.predict([]) == []


def test_loading_never_unpickles(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("pickle used while loading the sentiment model")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    assert S.ShippedSentimentModel().predict([NEUTRAL])


def test_load_sentiment_model_reads_the_setting(monkeypatch):
    monkeypatch.setenv("TM_SENTIMENT_MODEL", "tests.test_sentiment:AlwaysPositive")
    assert S.load_sentiment_model().predict(["아무 문장"]) == [("positive", 1.0)]
    assert type(S.load_sentiment_model(None)).__name__ == "AlwaysPositive"


def test_load_sentiment_model_rejects_a_bad_spec():
    with pytest.raises(ValueError):
        S.load_sentiment_model("no_colon_here")


class AlwaysPositive:
    """A plug-in model for the setting test."""

    def predict(self, texts, tokens=None):
        return [("positive", 1.0) for _ in texts]


def test_article_sentiment_averages_scores_and_counts_labels():
    got = S.article_sentiment([("positive", 0.8), ("neutral", 0.0), ("negative", -0.5), ("positive", 0.5)])
    assert got == {"mean_score": 0.2, "pos_share": 0.5, "neg_share": 0.25, "n_sentences": 4}


def test_article_sentiment_of_no_sentences_is_zero():
    assert S.article_sentiment([]) == {"mean_score": 0.0, "pos_share": 0.0, "neg_share": 0.0, "n_sentences": 0}


def test_target_sentiment_uses_aliases_and_returns_evidence():
    sentences = ["인공지능 투자가 크게 늘었다.", "A.I. 규제가 강화됐다.", "반도체 수출이 줄었다.", "SAID nothing"]
    labels = [("positive", 0.75), ("negative", -0.25), ("negative", -0.5), ("neutral", 0.0)]
    aliases = {"인공지능": "AI", "A.I.": "AI"}
    got = S.target_sentiment(sentences, labels, ["AI", "반도체", "우주"], aliases)
    assert got["AI"] == {
        "mean_score": 0.25,
        "n_sentences": 2,
        "evidence": [
            {"sentence": "인공지능 투자가 크게 늘었다.", "label": "positive", "score": 0.75},
            {"sentence": "A.I. 규제가 강화됐다.", "label": "negative", "score": -0.25},
        ],
    }
    assert got["반도체"]["mean_score"] == -0.5 and got["반도체"]["n_sentences"] == 1
    assert got["우주"] == {"mean_score": 0.0, "n_sentences": 0, "evidence": []}


def test_target_given_as_alias_is_reported_under_its_canonical_term():
    got = S.target_sentiment(["인공지능 호황"], [("positive", 0.5)], ["인공지능"], {"인공지능": "AI"})
    assert list(got) == ["AI"] and got["AI"]["n_sentences"] == 1


def test_near_duplicates_differing_only_in_figures_are_dropped():
    texts = ["매출이 5% 늘었다.", "매출이 7% 늘었다.", "이익이 줄었다."]
    assert dedupe(texts, ["", "", ""]) == [0, 2]


def test_metrics_on_a_hand_made_confusion():
    m = metrics(["positive", "negative", "neutral", "neutral"], ["positive", "neutral", "neutral", "neutral"])
    assert m["accuracy"] == 0.75
    assert m["per_class"] == {"negative": 0.0, "neutral": 0.8, "positive": 1.0}
    assert m["confusion"] == [[0, 1, 0], [0, 2, 0], [0, 0, 1]]


def test_eval_json_prints_exactly_the_contract_keys(tmp_path, capsys):
    csv = tmp_path / "tiny.csv"
    csv.write_text(f"labels,kor_sentence\npositive,{POSITIVE}\nnegative,{NEGATIVE}\nneutral,{NEUTRAL}\n",
                   encoding="utf-8")
    assert eval_main(argparse.Namespace(data=csv, json=True)) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"n", "accuracy", "macro_f1", "per_class", "sentences_per_s"}
    assert set(out["per_class"]) == {"negative", "neutral", "positive"}
    assert out["n"] == 3 and 0.0 <= out["accuracy"] <= 1.0 and out["sentences_per_s"] > 0


def test_train_and_eval_skip_when_the_data_is_absent(tmp_path, capsys):
    missing = tmp_path / "absent.csv"
    assert train_main(argparse.Namespace(data=missing, out=tmp_path / "m", news=missing)) == 0
    assert eval_main(argparse.Namespace(data=missing, json=True)) == 0
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def _cues_of(text):
    from analytics.nlp.tokenize import get_kiwi

    return S._cues(S.token_pairs(get_kiwi().tokenize(text)))


def test_cues_know_whose_figure_moved_and_turnarounds():
    cues = _cues_of("회사의 세전 손실은 700만 유로에서 100만 유로로 줄었다.")
    assert "sNUM:down" in cues and "sNUMOBJ:pos" in cues
    assert "sTURN:pos" in _cues_of("회사는 3분기에 흑자로 전환했다.")
    assert "sTURN:neg" in _cues_of("회사는 적자 전환했다.")


def test_probabilities_sum_to_one(model):
    p = model.probabilities([POSITIVE, NEGATIVE, NEUTRAL])
    assert p.shape == (3, 3) and abs(p.sum(axis=1) - 1).max() < 1e-9


# ---------------------------------------------------------------- news rules (real news sentences)

def _pairs(text):
    from analytics.nlp.tokenize import get_kiwi

    return S.token_pairs(get_kiwi().tokenize(text))


def _hits(text):
    pairs = _pairs(text)
    return [(pairs[i][0], tone, flipped) for i, tone, flipped in S.tone_hits(pairs)]


def test_negation_flips_the_tone_word_before_it():
    # 발생 is the movement of 피해 (a bad figure appearing): it takes 피해's tone and the negator flips it
    assert _hits("다행히 인명 피해는 발생하지 않았다.") == [("발생", "pos", True)]
    assert _hits("이 회사는 목표 실적을 달성하지 못했다.") == [("달성", "neg", True)]
    assert _hits("새 장비는 안전하지 않다는 지적을 받았다.") == [("안전", "neg", True), ("지적", "neg", False)]
    assert _hits("그는 새 제품에 대해 \"단점을 찾기 어렵다\"고 평가했다.") == [("단점", "pos", True)]


def test_adverbial_verbs_do_not_stop_negation_and_surplus_is_a_tone_word():
    assert ("기대", "neg", True) in _hits("그러나 정책 효과는 기대에 크게 못 미쳤다는 평가가 나온다.")
    assert _hits("적자에 시달리던 회사는 1년 만에 흑자를 냈다.")[-1] == ("흑자", "pos", False)


def test_negation_does_not_reach_past_another_verb():
    assert _hits("시민들의 분노는 좀처럼 가라앉지 않고 있다.") == [("분노", "neg", False)]


def test_direction_and_resolve_words_take_the_tone_of_what_moved():
    assert _hits("실업률은 3년 만에 가장 낮은 수준으로 떨어졌다.") == [("낮", "pos", False), ("떨어지", "pos", False)]
    assert _hits("논란이 됐던 보안 취약점은 패치로 완전히 해결됐다.") == [("해결", "pos", False)]
    assert _hits("매출은 늘었지만 영업이익은 크게 줄었다.") == [("늘", "pos", False), ("줄", "neg", False)]


def test_concession_marks_the_main_clause():
    cues = S.tone_cues(_pairs("실적 악화 우려에도 불구하고 주가는 5% 상승했다."))
    assert [c for c in cues if c.startswith(("sMAIN", "sSUB", "sCON"))] == ["sMAIN:pos", "sSUB:neg", "sCON:neg>pos"]
    cues = S.tone_cues(_pairs("정부의 거듭된 해명에도 불구하고 논란은 계속되고 있다."))
    assert "sMAIN:neg" in cues


def test_a_feared_event_that_did_not_happen_clears_the_fear():
    # BIG Kinds, 2021-02 (real article): the flipped compound 이상+반응
    assert _hits("다만 모두 경미한 이상 반응이었고, 중증 이상 반응이 발생한 사례는 없었던 것으로 나타났다.")[-1] \
        == ("반응", "pos", True)
    # 태풍 (lex6) stays negative: it is in another clause (`지나가면서`); the sentence is still positive below
    assert _hits("태풍이 예상보다 약해진 채 지나가면서 우려했던 큰 피해는 발생하지 않았다.") == [("태풍", "neg", False),
                                                                      ("발생", "pos", True)]
    # a negator reaches through 이어지다: `피해로 이어지지 않았다`
    assert _hits("해킹 공격이 있었지만 고객 정보는 암호화돼 있어 피해로 이어지지 않았다.")[-1] == ("피해", "pos", True)


def test_resolving_verbs_and_their_negation():
    # 환율 is a bad figure since lex6: its fall is good news too
    assert _hits("원·달러 환율이 하락하며 외환시장 불안이 진정됐다.") == [("하락", "pos", False), ("진정", "pos", False)]
    assert _hits("방역 당국의 신속한 조치로 확산을 막았다.") == [("막", "pos", False)]
    assert _hits("방역 당국은 결국 확산을 막지 못했다.") == [("막", "neg", True)]
    assert _hits("노조와 사측은 밤샘 협상 끝에 임금 협상을 타결해 파업을 피했다.") == [("타결", "pos", False),
                                                                         ("피하", "pos", False)]


def test_a_tone_noun_before_a_frame_noun_is_a_topic():
    text = "경찰은 사고 원인을 조사하고 있다."
    assert _hits(text) == []
    assert "mFRM_사고/NN" in S.featurize(text, _pairs(text))


def test_the_outcome_after_kkeute_decides():
    cues = S.tone_cues(_pairs("기술적 결함으로 한 차례 연기됐던 발사는 재도전 끝에 성공했다."))
    assert [c for c in cues if c.startswith(("sMAIN", "sSUB", "sCON"))] == ["sMAIN:pos", "sSUB:neg", "sCON:neg>pos"]


def test_a_negator_inside_a_quote_does_not_reach_outside_it():
    # BIG Kinds, 2021-02 (real headline): 안 negates 맞다 inside the quote, not 확산 before it
    assert _hits("아스트라 백신, 유럽서 거부 확산 獨 52% “안맞겠다”") == [("거부", "neg", False), ("확산", "neg", False)]


def test_below_is_a_direction_and_questions_are_marked():
    # BIG Kinds, 2021-02 (real headline): cases back below 400
    assert _hits("코로나 356명 신규확진 다시 400명 아래로") == [("아래", "pos", False)]
    assert "s__Q" in _cues_of("아스트라제네카, 조건부로 허용되나?")
    assert "s__Q" not in _cues_of("아스트라제네카 백신이 조건부로 허용됐다.")


def test_inevitability_prefix_words_and_outbreaks():
    # BIG Kinds, 2021-02 (real article): `-ㄹ 수밖에 없다` is not a negation
    assert _hits("텅빈 뉴스피드를 보고 당혹스러울 수밖에 없었을 것이다.") == [("당혹", "neg", False)]
    # 불+투명 read as one word (불투명), not as 투명 flipped
    assert _hits("불투명해진 아스트라제네카 백신 고령층 접종") == [("투명", "neg", False)]
    assert _hits("검찰은 무혐의 처분을 내렸다.") == [("혐의", "pos", False)]
    # BIG Kinds, 2021-02 (real headline): cases breaking out (발생 moves 확진자 up)
    assert _hits("전주 헬스장 관련 코로나19 확진자 29명 집단 발생") == [("발생", "neg", False)]


def test_short_negation_flips_the_predicate_after_it():
    # BIG Kinds, 2021-02 (real headline): 안 stands before its predicate, so it flips 아프 after it
    assert _hits("백신 맞은 94세 英여왕 “하나도 안 아파, 남 위해서라도 접종해야”") == [("아프", "pos", True)]
    assert _hits("방역 당국이 결국 확산을 못 막았다.") == [("막", "neg", True)]
    # no tone predicate right after 못: it still reaches back (`기대에 못 미쳤다`)
    assert ("기대", "neg", True) in _hits("그러나 정책 효과는 기대에 크게 못 미쳤다는 평가가 나온다.")


def test_too_early_or_hard_to_be_relieved_and_fear_denied():
    # BIG Kinds, 2021-02 (real sentences): `-기(는) 이르다 / 어렵다` negate 안심; `두렵지 않다` is relief
    assert _hits("전문가 “아직 안심하긴 일러”") == [("안심", "neg", True)]
    assert _hits("가족 지인모임을 비롯한 일상 공간 곳곳에서 산발적 집단감염이 이어지고 있어 안심하긴 어려운 상황이다.") \
        == [("감염", "neg", False), ("안심", "neg", True)]
    assert _hits("부산 창원 첫 접종자 “어르신 시설 종사자로서 맞는 것 두렵지 않아”") == [("두렵", "pos", True)]


def test_negated_words_are_distinct_morpheme_features():
    pairs = _pairs("다행히 인명 피해는 발생하지 않았다.")
    feats = S.featurize("다행히 인명 피해는 발생하지 않았다.", pairs)
    assert "mNOT_피해/NN" in feats and "mNOT_발생/NN" in feats and "m피해/NN" not in feats


def test_the_final_predicate_carries_the_reported_speech_act():
    # BIG Kinds, 2021-02 (real sentences, train part): Korean is verb-final, so `…라며 비판했다` ends on 비판
    pairs = _pairs("대한의사협회가 의사의 면허 취소 요건을 확대하는 의료법 개정안 통과에 반발하며 백신 접종에 협력하지 "
                   "않을 수 있다고 시사하자 여당이 “백신 불안 조장” “최악의 집단이기주의”라며 강하게 비판했다.")
    assert pairs[S._end_index(pairs)] == ("비판", "NNG") and "sENDT:neg" in S.tone_cues(pairs)
    pairs = _pairs("국립중앙의료원이 코로나19 ‘중앙예방접종센터' 시설을 완비하고 1일 내부를 공개했다.")
    assert pairs[S._end_index(pairs)] == ("공개", "NNG") and "sENDT:none" in S.tone_cues(pairs)
    # a title without a verb ends on its last noun
    pairs = _pairs("단속 힘들고 불편만 ‘5인 이상 가족모임 금지’ 유지 논란")
    assert pairs[S._end_index(pairs)] == ("논란", "NNG") and "sENDT:neg" in S.tone_cues(pairs)
    # the written round-5 articles (train part): praise at the end
    assert "sENDT:pos" in S.tone_cues(_pairs("피해자 단체는 \"늦었지만 첫걸음을 뗐다는 데 의미가 있다\"고 환영했다."))


def test_lexicon_round_5_words():
    # BIG Kinds, 2021-02 (real headline and sentence, train and test part): 싸늘, 늑장 (lex6)
    assert ("싸늘", "neg", False) in _hits("‘총파업’ 여론 싸늘 의협 “개정안 전체 반대 아냐” 수위 조절")
    assert _hits("코로나19 백신 접종이 시작된 26일, 야권은 정부의 백신 늑장 도입을 비판하면서")[:2] == [
        ("늑장", "neg", False), ("비판", "neg", False)]
    # written round-5 articles (train part): sports results, scuffles, good deeds
    assert _hits("한국 야구 대표팀이 아시안게임 조별리그에서 대만에 0-4로 완패했다.") == [("완패", "neg", False)]
    assert _hits("한국 축구 대표팀이 승부차기 끝에 사우디아라비아를 꺾고 아시안컵 8강에 올랐다.") == [("꺾", "pos", False)]
    assert _hits("여당 의원들은 의장석 앞으로 몰려가 고성을 지르며 항의했고, 일부는 몸싸움까지 벌였다.") == [
        ("고성", "neg", False), ("항의", "neg", False), ("몸싸움", "neg", False)]


def test_exchange_rates_debt_and_record_highs_of_bad_figures():
    # written round-5 articles (train part): 환율, 빚 and 위중증 are bad figures; 최다 / 최대치 move them up
    assert _hits("원·달러 환율이 13년 만에 처음으로 1400원을 넘어섰다.") == [("넘어서", "neg", False)]
    assert _hits("위중증 환자도 246명으로 역대 최다를 기록했다.") == [("최다", "neg", False)]
    assert _hits("가계 빚이 1875조원을 넘어 또다시 사상 최대치를 경신했다.") == [("최대", "neg", False)]


@pytest.mark.parametrize(("text", "label"), [
    # the example: a lie and irreparable damage
    ("그의 주장은 새빨간 거짓말임에도 불구하고 피해자는 회복 불능의 피해를 입었다.", "negative"),
    ("새빨간 거짓말임에도 회복 불능의 피해를 입었다.", "negative"),
    # criticism, accusation and conflict verbs
    ("야당은 정부의 대책을 강하게 비판했다.", "negative"),
    ("시민단체들은 경찰의 과잉 대응을 규탄했다.", "negative"),
    ("노조는 회사의 일방적 결정에 거세게 반발했다.", "negative"),
    ("검찰은 전 대표를 사기 혐의로 기소했다.", "negative"),
    ("정부의 거듭된 해명에도 불구하고 논란은 계속되고 있다.", "negative"),
    # negation flips
    ("이 회사는 목표 실적을 달성했다.", "positive"),
    ("이 회사는 목표 실적을 달성하지 못했다.", "negative"),
    ("큰 피해는 없었다.", "positive"),
    ("새 장비는 안전하지 않다는 지적을 받았다.", "negative"),
    # concession and contrast: the main clause decides
    ("실적 악화 우려에도 불구하고 주가는 5% 상승했다.", "positive"),
    ("매출은 늘었지만 영업이익은 크게 줄었다.", "negative"),
    ("매출은 줄었지만 영업이익은 크게 늘었다.", "positive"),
    # share prices
    ("테슬라 주가는 사기 의혹에 30% 급락했다.", "negative"),
    ("회사의 주가가 호실적에 힘입어 12% 급등했다.", "positive"),
    # facts
    ("이 회사는 서울에 본사를 두고 있다.", "neutral"),
    ("경찰은 범행 동기를 조사하고 있다.", "neutral"),
    # relief: the feared event did not happen, a resolving verb, the outcome after 끝에
    ("다만 모두 경미한 이상 반응이었고, 중증 이상 반응이 발생한 사례는 없었던 것으로 나타났다.", "positive"),
    ("태풍이 예상보다 약해진 채 지나가면서 우려했던 큰 피해는 발생하지 않았다.", "positive"),
    ("원·달러 환율이 하락하며 외환시장 불안이 진정됐다.", "positive"),
    ("방역 당국은 결국 확산을 막지 못했다.", "negative"),
    ("기술적 결함으로 한 차례 연기됐던 발사는 재도전 끝에 성공했다.", "positive"),
    # a loaded word as the topic of a factual sentence
    ("경찰은 사고 원인을 조사하고 있다.", "neutral"),
    # politics: insults and accusations
    ("국민의힘은 이재명 대표의 단식을 \"방탄용 정치쇼\"라고 깎아내렸다.", "negative"),
    ("대통령실은 야당의 주장을 \"사실무근\"이라고 일축했다.", "negative"),
    # BIG Kinds, 2021-02 (real sentences; the first, third and fourth are in the news set's train part,
    # the second in its test part): short negation, `-긴 이르다`, lexicon round 5
    ("백신 맞은 94세 英여왕 “하나도 안 아파, 남 위해서라도 접종해야”", "positive"),
    ("전문가 “아직 안심하긴 일러”", "negative"),
    ("[오늘은 이런 경향] 2월16일 재야의 거목이 스러졌다", "negative"),
    ("화이자 백신의 첫 공급시기도 3분기에서 1분기인 3월 말로 앞당겼다.", "positive"),
    # BIG Kinds, 2021-02 (real sentences, train part): the speech act at the end, lexicon round 5 (싸늘, 불편)
    ("대한의사협회가 의사의 면허 취소 요건을 확대하는 의료법 개정안 통과에 반발하며 백신 접종에 협력하지 않을 수 있다고 "
     "시사하자 여당이 “백신 불안 조장” “최악의 집단이기주의”라며 강하게 비판했다.", "negative"),
    ("국립중앙의료원이 코로나19 ‘중앙예방접종센터' 시설을 완비하고 1일 내부를 공개했다.", "neutral"),
    ("‘총파업’ 여론 싸늘 의협 “개정안 전체 반대 아냐” 수위 조절", "negative"),
    ("단속 힘들고 불편만 ‘5인 이상 가족모임 금지’ 유지 논란", "negative"),
    # written round-5 articles (train part): record highs of bad figures, the reported speech act,
    # sports results, contrast and a feared event that did not happen
    ("원·달러 환율이 13년 만에 처음으로 1400원을 넘어섰다.", "negative"),
    ("가계 빚이 1875조원을 넘어 또다시 사상 최대치를 경신했다.", "negative"),
    ("위중증 환자도 246명으로 역대 최다를 기록했다.", "negative"),
    ("한국 야구 대표팀이 아시안게임 조별리그에서 대만에 0-4로 완패했다.", "negative"),
    ("한국 축구 대표팀이 승부차기 끝에 사우디아라비아를 꺾고 아시안컵 8강에 올랐다.", "positive"),
    ("올여름 전력 수요가 사상 최고치를 기록했지만 우려했던 대규모 정전은 일어나지 않았다.", "positive"),
    ("국민의힘은 \"수사 검사를 겁박하는 사법 방해이자 보복 탄핵\"이라고 강하게 반발했다.", "negative"),
    ("피해자 단체는 \"늦었지만 첫걸음을 뗐다는 데 의미가 있다\"고 환영했다.", "positive"),
])
def test_news_sentences_get_their_label(model, text, label):
    assert model.predict([text])[0][0] == label


def test_news_set_split_is_fixed_by_article_and_disjoint():
    import pandas as pd

    d = pd.read_csv("data/labels/news_sentiment.csv")
    assert set(d.columns) >= {"kor_sentence", "labels", "origin", "doc", "split"}
    assert len(d) >= 600 and set(d.labels) == set(S.LABELS)
    assert set(d.origin) == {"bigkinds", "seed", "written"}
    real = d[d.origin != "written"]
    assert real.groupby("doc").split.nunique().max() == 1  # an article is wholly train or wholly test
    assert not set(d[d.split == "train"].kor_sentence) & set(d[d.split == "test"].kor_sentence)


def test_eval_split_reads_only_that_part(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    csv.write_text(f"kor_sentence,labels,split\n{POSITIVE},positive,test\n{NEGATIVE},negative,train\n",
                   encoding="utf-8")
    assert eval_main(argparse.Namespace(data=csv, json=True, split="test")) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 1
