"""The predict path's batched featurizer equals `transform(featurize(...))` entry for entry."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.nlp import sentiment as S
from analytics.nlp.tokenize import analyze_batch

TEXTS = [
    "삼성전자의 2분기 영업이익은 전년 동기 대비 50% 증가하며 사상 최대 실적을 기록했다.",
    "회사는 영업손실이 확대되자 직원 300명을 해고했다.\n우려했던 큰 피해는 발생하지 않았다.",
    "코로나19 확진자 1,234명… “안 맞겠다” 거부 확산 😷",
    "Apple's iPhone 15 sales fell 3% in Q2.",
    "가",
]


@pytest.fixture(scope="module")
def batch():
    sents = [s for doc in analyze_batch(TEXTS) for s in doc]
    texts = [s.text for s in sents] + ["", "  ", "\ud800 lone surrogate 가나"]
    pairs = [S.token_pairs(s.tokens) for s in sents] + [[], [], [("가나", "NNG")]]
    return texts, pairs


def _same(a, b) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and a.data.tobytes() == b.data.tobytes())


def _reference(lf, feats):
    """The former transform: COO -> CSR, duplicates summed by scipy."""
    from scipy import sparse

    rows = [i for i, f in enumerate(feats) for x in f if x in lf.vocab]
    ids = [lf.vocab[x] for f in feats for x in f if x in lf.vocab]
    x = sparse.csr_matrix((np.ones(len(ids)), (rows, ids)), shape=(len(feats), len(lf.idf)))
    x.sum_duplicates()
    c = x.indices
    r = np.repeat(np.arange(len(feats)), np.diff(x.indptr))
    val = (1.0 if lf.binary else 1.0 + np.log(x.data)) * lf.idf[c]
    group = r * 3 + lf.block[c]
    norm = np.sqrt(np.bincount(group, weights=val * val, minlength=len(feats) * 3))
    x.data = val / norm[group] * lf.block_weight[lf.block[c]]
    return x


def test_transform_sentences_equals_featurize_then_transform(batch):
    texts, pairs = batch
    lf = S.ShippedSentimentModel().features
    want = lf.transform([S.featurize(t, p) for t, p in zip(texts, pairs, strict=True)])
    assert want.nnz > 400
    assert _same(want, _reference(lf, [S.featurize(t, p) for t, p in zip(texts, pairs, strict=True)]))
    assert _same(lf.transform_sentences(texts, pairs), want)
    for i in range(len(texts)):  # one sentence per call gives the same rows
        assert _same(lf.transform_sentences(texts[i:i + 1], pairs[i:i + 1]), want[i])
    assert lf.transform_sentences([], []).shape == (0, want.shape[1])


def test_char_grams_found_by_key_are_the_featurize_strings():
    lf = S.LinearFeatures(["c 가", "c가나", "c가나다", "m가/NN", "s__Q", "c😷 "], np.ones(6), np.ones(3))
    rows, ids = lf._char_ids([S._char_text("가나다 😷")])
    assert sorted(ids.tolist()) == [0, 1, 2, 5] and rows.tolist() == [0, 0, 0, 0]
    assert S.featurize("가나", [("가나", "NNG")])[:2] == ["m가나/NN", "c 가"]


def test_token_pairs_reads_tokens_and_tuples():
    assert S.token_pairs([("가", "NNG"), ("는", "JX")]) == [("가", "NNG"), ("는", "JX")]
    assert S.token_pairs(analyze_batch(["가방"])[0][0].tokens) == [("가방", "NNG")]


def test_morpheme_codes_find_features_whose_forms_hold_underscores():
    """Uni/bigrams are found by pairs of codes: a form with `_` (`a_b/SW`), a marked word
    (`mNOT_피해/NN`) and a bigram of both are the strings `_token_features` builds."""
    pairs = [("a_b", "SW"), ("피해", "NNG"), ("가", "JKS"), ("발생", "NNG"), ("하", "XSV"), ("지", "EC"),
             ("않", "VX"), ("았", "EP"), ("다", "EF"), (".", "SF"), ("_", "SW")]
    feats, _cues = S._token_features(pairs)
    assert {"ma_b/SW", "mNOT_피해/NN", "ma_b/SW_NOT_피해/NN", "m다/EF__/SW"} <= set(feats)
    vocab = ["ma_b/SW", "mNOT_피해/NN", "ma_b/SW_NOT_피해/NN", "m다/EF__/SW", "m_/SW", "m가/JK_NOT_발생/NN", "mNOT"]
    lf = S.LinearFeatures(vocab, np.ones(len(vocab)), np.ones(3), binary=True)
    rows, ids, cues = lf._morph_ids([pairs, [], pairs[:2]])
    want = sorted((r, lf.vocab[f]) for r, p in enumerate([pairs, [], pairs[:2]])
                  for f in S._token_features(p)[0] if f in lf.vocab)
    assert sorted(zip(rows.tolist(), ids.tolist(), strict=True)) == want and len(want) >= 6
    assert cues == [S._token_features(p)[1] for p in [pairs, [], pairs[:2]]]
