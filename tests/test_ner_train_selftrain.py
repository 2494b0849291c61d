"""Round-9 self-training (`ner_train.pseudo_labelled`): the labels added for an unlabelled sentence
are exactly the shipped pipeline's spans, and only sentences the CRF is sure of are added (shipped
model, three fixed news lines; no training)."""

from __future__ import annotations

from analytics.nlp.entities import MODEL_DIR, EntityRecognizer, bio_to_spans
from analytics.nlp.entities.recognizer import _shift_of
from analytics.nlp.ner_train import pseudo_labelled, tokenize_all

TEXTS = [
    "정은경 질병관리청장은 서울 중구 국립중앙의료원에서 브리핑을 했다.",
    "아스트라제네카 백신이 26일부터 요양병원에서 접종된다.",
    "ㅋㅋ 그거 진짜 어디서 샀냐 대박",
]


def test_pseudo_labels_are_the_pipelines_spans_and_the_filter_is_the_crfs_probability() -> None:
    tokens = tokenize_all(TEXTS)
    rec = EntityRecognizer(MODEL_DIR, fast=False)
    spans = [{(e.start, e.end, e.type) for e in es} for es in rec.extract(TEXTS, tokens)]
    probs = [rec._tagger().probability(rec.tag(t, k, _shift_of(t, k))) if rec.tag(t, k, _shift_of(t, k)) else 0.0
             for t, k in zip(TEXTS, tokens, strict=True)]
    kept, kept_tokens = pseudo_labelled(MODEL_DIR, TEXTS, tokens, min_p=0.0)
    assert [s.text for s in kept] == TEXTS and kept_tokens == tokens
    assert [set(bio_to_spans(s.labels)) for s in kept] == spans
    assert all(len(s.labels) == len(s.text) for s in kept)
    assert spans[0] == {(0, 3, "PS"), (12, 25, "LC")}  # 정은경; 서울 중구 국립중앙의료원 (KLUE: address + facility)
    cut = sorted(probs)[1]
    assert [s.text for s in pseudo_labelled(MODEL_DIR, TEXTS, tokens, min_p=cut)[0]] == [
        t for t, p in zip(TEXTS, probs, strict=True) if p >= cut]
    assert pseudo_labelled(MODEL_DIR, TEXTS, tokens, min_p=1.01)[0] == []
