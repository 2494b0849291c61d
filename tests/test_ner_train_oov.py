"""The `oov` feature (characters of a common noun outside Kiwi's dictionary) and the token id that
feeds it surviving the pickled-sentence path (exact strings on tiny inputs; no training)."""

from __future__ import annotations

import pickle
from typing import NamedTuple

from analytics.nlp.entities.features import featurize
from analytics.nlp.ner_train import OOV_FEATURES, SHIPPED_FEATURES
from analytics.nlp.tokenize import PlainToken, Sent, get_kiwi


class _Tok(NamedTuple):
    form: str
    tag: str
    start: int
    len: int
    id: int


def _oov(rows: list[list[str]]) -> list[list[str]]:
    return [[f for f in r if f.startswith("oov")] for r in rows]


def test_oov_marks_exactly_the_unknown_nouns_characters() -> None:
    text = "까락스 영화"
    toks = [_Tok("까락스", "NNG", 0, 3, 2), _Tok("영화", "NNG", 4, 2, 475)]
    rows = featurize(text, toks, None, frozenset({"window", "kiwi", "oov"}))
    assert _oov(rows) == [["oov", "oovB"], ["oov", "oovI"], ["oov", "oovI"], [], [], []]
    # the strings come last in each character's list (fastcrf reproduces featurize's order)
    assert rows[0][-2:] == ["oov", "oovB"]
    # off unless the model's feature set holds it; tokens without an id never count as unknown
    assert _oov(featurize(text, toks, None, frozenset({"window", "kiwi"}))) == [[]] * 6
    plain = [PlainToken("까락스", "NNG", 0, 3), PlainToken("영화", "NNG", 4, 2)]
    assert _oov(featurize(text, plain, None, frozenset({"window", "kiwi", "oov"}))) == [[]] * 6


def test_oov_follows_the_sentence_shift() -> None:
    # article-relative tokens re-based on the sentence (as the pipeline passes them)
    toks = [_Tok("까락스", "NNG", 10, 3, 2)]
    rows = featurize("까락스", toks, None, frozenset({"oov"}), shift=10)
    assert _oov(rows) == [["oov", "oovB"], ["oov", "oovI"], ["oov", "oovI"]]


def test_round6_features_add_it_and_kiwi_ids_survive_pickling() -> None:
    assert OOV_FEATURES - SHIPPED_FEATURES == {"oov"}
    text = "까락스 3부작 중 가장 난해하지만"
    toks = get_kiwi().tokenize(text)
    assert [(t.form, t.tag, t.id) for t in toks if t.id == 2] == [("까락스", "NNG", 2)]
    sent = pickle.loads(pickle.dumps(Sent(text, 0, len(text), list(toks))))
    assert [t.id for t in sent.tokens] == [t.id for t in toks]
    rows = featurize(text, sent.tokens, None, OOV_FEATURES)
    assert [i for i, r in enumerate(_oov(rows)) if r] == [0, 1, 2]
