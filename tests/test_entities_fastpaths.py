"""The entity features' fast paths (piece caches, inlined gazetteer matching) give exactly the rows
of the plain per-character code they replaced."""

from __future__ import annotations

from analytics.nlp.entities import features as F
from analytics.nlp.entities.base import EXTRA_FEATURES, TYPES, ctype
from analytics.nlp.entities.gazetteer import gazetteer_tags
from analytics.nlp.entities.matching import matches_at

TEXTS = ["", "가", "한국은행을 대한국민이 본다.", "서울시청 앞 김철수 씨(45)가 LG전자 ABC-1을",
         "a\x02b\x03c 한국", "  공백  두 칸 ", "東京 도쿄에서 3.5% 올랐다"]
GAZ = {"한국": "LC/LCP_COUNTRY", "한국은행": "OG/OGG_ECONOMY|OG:0.90,LC:0.10", "서울": "LC/LCP_CITY",
       "서울시청": "OG/OGG_POLITICS", "김철수": "PS/PS_NAME", "LG전자": "OG/OGG_ECONOMY",
       "도쿄": "AMB/LCP_CITY|LC:0.55,OG:0.45", "시청": "OG/OGG_POLITICS"}


def _plain_window(text: str, window: bool, shape: bool) -> list[list[str]]:
    padded = "\x02\x02" + text + "\x03\x03"
    types = "SS" + "".join(ctype(c) for c in text) + "SS"
    end = len(text) + 2
    rows = ([["b", "c=" + padded[j], "c-1=" + padded[j - 1], "c+1=" + padded[j + 1],
              "c-2=" + padded[j - 2], "c+2=" + padded[j + 2], "b-=" + padded[j - 1:j + 1],
              "b+=" + padded[j:j + 2], "t3=" + padded[j - 1:j + 2], "b--=" + padded[j - 2:j],
              "b++=" + padded[j + 1:j + 3]] for j in range(2, end)]
            if window else [["b", "c=" + c] for c in text])
    if shape:
        for f, j in zip(rows, range(2, end), strict=True):
            f += ("y=" + types[j], "y3=" + types[j - 1:j + 2], "y5=" + types[j - 2:j + 3])
    return rows


def _plain_gazetteer(text: str, gaz: dict[str, str], long_flag: bool, dist: bool) -> list[list[str]]:
    """The per-start `matches_at` loop, as before the inlining (dist features compared apart)."""
    n = len(text)
    best: list[dict | None] = [None] * n
    pos: list[dict | None] = [None] * n
    for s in range(n):
        if s and text[s - 1].isalnum() and ctype(text[s - 1]) == ctype(text[s]):
            continue
        for ln, label in matches_at(text, s, gaz, 12):
            if label[:2] not in TYPES:
                continue
            for i in range(s, s + ln):
                if best[i] is None:
                    best[i], pos[i] = {}, {}
                if best[i].get(label[:2], 0) < ln:
                    best[i][label[:2]] = ln
                    pos[i][label[:2]] = "B" if i == s else ("E" if i == s + ln - 1 else "I")
            break
    out = [[f"g{t}={p}" for t, p in d.items()] if d else [] for d in pos]
    if long_flag:
        for f, b in zip(out, best, strict=True):
            if b:
                f += [f"g{t}L" for t, ln in b.items() if ln >= 3]
    return out


def test_window_rows_equal_plain_code_also_after_cache_clears(monkeypatch):
    for window in (True, False):
        for shape in (True, False):
            for t in TEXTS:
                assert F._window_rows(t, "\x02\x02" + t + "\x03\x03", window, shape) == _plain_window(t, window, shape)
    monkeypatch.setattr(F, "_PIECE_CACHE_MAX", 3)  # forces the clear-when-full branch on each call
    for t in TEXTS:
        assert F._window_rows(t, "\x02\x02" + t + "\x03\x03", True, True) == _plain_window(t, True, True)
    # rows are fresh lists: appending to one must not leak into a cached piece
    rows = F._window_rows("한국", "\x02\x02한국\x03\x03", True, True)
    rows[0].append("X")
    assert F._window_rows("한국", "\x02\x02한국\x03\x03", True, True) == _plain_window("한국", True, True)


def test_gazetteer_tags_equal_matches_at_loop():
    for t in TEXTS:
        for long_flag in (False, True):
            assert gazetteer_tags(t, GAZ, long_flag=long_flag) == _plain_gazetteer(t, GAZ, long_flag, False)
    row = gazetteer_tags("한국은행을 서울시청", GAZ, long_flag=True)
    # at a start only the longest typed form counts (서울시청, not 서울); 시청 inside a word is ignored
    assert row[0] == ["gOG=B", "gOGL"] and row[6] == ["gOG=B", "gOGL"] and row[8] == ["gOG=I", "gOGL"]
    dist = gazetteer_tags("도쿄에서", GAZ, dist=True)
    assert dist[:2] == [["gdLC=3", "gdOG=2", "gdp=B", "gdpB=LC"], ["gdLC=3", "gdOG=2", "gdp=E", "gdpE=LC"]]
    assert dist[2:] == [[], []]
    assert gazetteer_tags("대한국민", GAZ) == [[], [], [], []]


# --- fastcrf: the CRF scored and decoded from attribute ids (no feature strings) -----------------

import functools  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analytics.nlp.entities import fastcrf as FC  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "data" / "articles"
# hand-made edge cases: control chars that are also the window padding, Latin/hanja/digits, an
# emoji past the model's characters, contractions Kiwi splits into overlapping morphemes (했다),
# gazetteer-like names glued to particles, one-char and blank-ish sentences
EDGE = [*[t for t in TEXTS if t], "a\x02\x03b", "🙂 삼성전자는 갤럭시를 냈다 🙂", "했다", "서울", "김",
        "문재인 대통령이 청와대에서 말했다.", "LG에너지솔루션·SK이노베이션 소송", "美 바이든 행정부, 中 시진핑",
        "   ", "가나다라마바사아자차카타파하" * 12]


@functools.lru_cache(maxsize=1)
def _sentences() -> tuple[list[str], list[list]]:
    from analytics.nlp.tokenize import analyze_batch, get_kiwi

    docs = analyze_batch([p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))])
    texts = [s.text for d in docs for s in d]
    tokens = [s.tokens for d in docs for s in d]
    kiwi = get_kiwi()
    texts += EDGE
    tokens += [list(kiwi.tokenize(t)) for t in EDGE]
    return texts, tokens


@functools.lru_cache(maxsize=1)
def _recognizers():
    from analytics.nlp.entities.recognizer import EntityRecognizer

    return EntityRecognizer(fast=False), EntityRecognizer(fast=True)


def _shifts(texts, tokens):
    from analytics.nlp.entities.recognizer import _shift_of

    return [_shift_of(t, k) for t, k in zip(texts, tokens, strict=True)]


def _spans(texts, tokens):
    return [F.token_spans(k, len(t), sh) for t, k, sh in zip(texts, tokens, _shifts(texts, tokens), strict=True)]


def _row_ids(fc, matrix) -> list[list[int]]:
    return [[i for i in matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]].tolist() if i != fc.zero]
            for r in range(matrix.shape[0])]


def test_weights_read_from_the_model_file_agree_with_crfsuite_dump():
    import pycrfsuite

    ref, _fast = _recognizers()
    labels, attrs, state, trans = FC.read_weights(ref._model_path)
    tagger = pycrfsuite.Tagger()
    tagger.open(ref._model_path)
    info = tagger.info()
    assert labels == tagger.labels()
    assert attrs == {a: int(i) for a, i in info.attributes.items()}
    lid = {x: k for k, x in enumerate(labels)}
    got = {(a, lab): state[attrs[a], lid[lab]] for a, lab in info.state_features}
    assert max(abs(got[k] - w) for k, w in info.state_features.items()) <= 5e-7  # the dump's 6 decimals
    assert max(abs(trans[lid[a], lid[b]] - w) for (a, b), w in info.transitions.items()) <= 5e-7
    assert np.count_nonzero(state) == len(info.state_features) and not state[-1].any()


def test_fastcrf_ids_equal_featurize_strings_and_labels_equal_crfsuite():
    ref, fast = _recognizers()
    fc = fast._fast()
    assert fc is not None and fc.supports
    texts, tokens = _sentences()
    spans = _spans(texts, tokens)
    shifts = _shifts(texts, tokens)
    keep = [k for k, t in enumerate(texts) if t]
    want = [fc.ids(row) for k in keep for row in F.featurize(
        texts[k], tokens[k], ref.gazetteer, ref.features, shifts[k], spans[k], ref.cong, ref.namelike)]
    got = _row_ids(fc, fc.attribute_matrix([texts[k] for k in keep], [spans[k] for k in keep],
                                           ([tokens[k] for k in keep], [shifts[k] for k in keep])))
    assert len(got) == sum(len(texts[k]) for k in keep) > 14_000
    assert got == want
    labels = fast.tag_many(texts, tokens)
    assert labels == [ref.tag(t, k, sh, sp) for t, k, sh, sp in zip(texts, tokens, shifts, spans, strict=True)]
    assert sum(1 for lab in labels for x in lab if x != "O") > 500  # the seeds hold many names


def test_emissions_by_family_equal_the_one_matrix_product_bit_for_bit():
    """`emissions` adds each family's CSR product into the scores in turn: the same doubles as
    `attribute_matrix @ state`, every char, every label (the shipped model on the seed sentences)."""
    _ref, fast = _recognizers()
    fc = fast._fast()
    texts, tokens = _sentences()
    keep = [k for k, t in enumerate(texts) if t]
    texts, spans = [texts[k] for k in keep], [_spans(texts, tokens)[k] for k in keep]
    want = np.asarray(fc.attribute_matrix(texts, spans) @ fc.state)
    got = fc.emissions(texts, spans)
    assert got.shape == want.shape and got.shape[0] > 14_000
    assert np.array_equal(got.view(np.int64), want.view(np.int64))  # the bits, signed zeros included


def test_namelike_runs_found_in_numpy_equal_noun_runs():
    """The batch's noun runs from the morpheme arrays are `features.noun_runs` of each sentence,
    suffixes, touching and spaced morphemes, out-of-order readings and hand-made spans included."""
    _ref, fast = _recognizers()
    fc = fast._fast()
    texts, tokens = _sentences()
    texts, tokens = texts[:80] + EDGE, tokens[:80] + tokens[-len(EDGE):]
    spans = _spans(texts, tokens)
    made = [(0, 2, "NNP", "가나"), (2, 3, "XSN", "들"), (3, 4, "NNG", "다"), (5, 6, "XSN", "라"), (6, 8, "NNG", "마바"),
            (8, 9, "SL", "A"), (1, 3, "NNP", "나다"), (9, 10, "JKS", "가"), (10, 12, "NR", "하나")]
    texts, spans = [*texts, "가나들다 라마바A가하나", "가나"], [*spans, made, [(0, 2, "XSN", "가나")]]
    base = np.concatenate([[0], np.cumsum([len(t) for t in texts])[:-1]]).astype(np.int64)
    fc._morph_units(spans, base)
    got = [tuple(r) for r in fc._namelike_segments(texts, base).tolist()]
    want = []
    for k, sp in enumerate(spans):
        for s, e in F.noun_runs(sp or []):
            if e - s >= 2:
                u = fc._units[texts[k][s:e]]
                want += [(base[k] + s, 1, u[0])] + ([(base[k] + s + 1, e - s - 2, u[1])] if e - s > 2 else [])
                want.append((base[k] + e - 1, 1, u[2]))
    assert got == want and len(want) > 300


def test_fastcrf_same_labels_in_small_chunks_and_after_cache_clears(monkeypatch):
    ref, fast = _recognizers()
    fc = fast._fast()
    texts, tokens = _sentences()
    texts, tokens = texts[:60] + EDGE, tokens[:60] + tokens[-len(EDGE):]
    want = fast.tag_many(texts, tokens)
    monkeypatch.setattr(FC, "_CHUNK_CHARS", 50)
    monkeypatch.setattr(FC, "_POOL_MAX", 10)
    assert fast.tag_many(texts, tokens) == want
    assert fast.tag_many(texts[::-1], tokens[::-1]) == want[::-1]
    assert fc._pool.n < 2_000  # cleared when full
    assert fast.tag_many(["", "서울"], [[], tokens[texts.index("서울")]])[0] == []


def test_extract_fast_equals_crfsuite_path():
    ref, fast = _recognizers()
    texts, tokens = _sentences()
    assert fast.extract(texts, tokens) == ref.extract(texts, tokens)


def _plain_viterbi(emission: np.ndarray, trans: np.ndarray) -> list[int]:
    """crfsuite's crf1dc_viterbi, loop for loop (strict `<`: the first maximum wins)."""
    n, n_lab = emission.shape
    score = [list(emission[0])]
    back = []
    for t in range(1, n):
        row, bp = [], []
        for j in range(n_lab):
            best, arg = -np.inf, -1
            for i in range(n_lab):
                s = score[-1][i] + trans[i, j]
                if best < s:
                    best, arg = s, i
            row.append(best + emission[t, j])
            bp.append(arg)
        score.append(row)
        back.append(bp)
    y = [max(range(n_lab), key=lambda j: (score[-1][j], -j))]
    for bp in reversed(back):
        y.append(bp[y[-1]])
    return y[::-1]


def test_every_feature_family_scored_exactly_with_synthetic_weights():
    """All families `fastcrf` reproduces (eojeol, gazlen, CoNg too, which the shipped model lacks),
    against weights on every string `featurize` gives: ids, scores and the Viterbi path."""
    from analytics.nlp.entities.namelike import load_namelike

    ref, _fast = _recognizers()
    texts, tokens = _sentences()
    texts, tokens = texts[:40] + EDGE, tokens[:40] + tokens[-len(EDGE):]
    spans = _spans(texts, tokens)
    shifts = _shifts(texts, tokens)
    feats = FC.FAST_FEATURES
    nl = load_namelike(F.Path(ref._model_path).parent / "namelike.tsv")
    cong = {"서울": "cg=LC2", "삼성전자": "cg=OG1", "문재인": "cg=PS2"}
    rows = [F.featurize(t, k, GAZ | ref.gazetteer, feats, sh, sp, cong, nl)
            for t, k, sh, sp in zip(texts, tokens, shifts, spans, strict=True)]
    vocab = sorted({a for r in rows for row in r for a in row})
    assert {"wp=B", "gOGL", "cg=LC2B", "gdp=B"} <= set(vocab)
    assert "oovB" in vocab or "oov" not in EXTRA_FEATURES  # unknown common nouns (id 2) occur in the seeds
    rng = np.random.default_rng(7)
    attrs = {a: k for k, a in enumerate(vocab[: len(vocab) - 50])}  # 50 strings unknown to the "model"
    n_lab = 5
    state = np.round(rng.normal(size=(len(attrs) + 1, n_lab)), 3)
    state[-1] = 0
    trans = np.round(rng.normal(size=(n_lab, n_lab)), 3)  # rounded: ties happen and must break alike
    fc = FC.FastCRF(None, feats, GAZ | ref.gazetteer, cong, nl, weights=([f"L{k}" for k in range(n_lab)], attrs, state, trans))
    keep = [k for k, t in enumerate(texts) if t]
    got = _row_ids(fc, fc.attribute_matrix([texts[k] for k in keep], [spans[k] for k in keep],
                                           ([tokens[k] for k in keep], [shifts[k] for k in keep])))
    assert got == [fc.ids(row) for k in keep for row in rows[k]]
    labels = fc.tag_many(texts, spans, tokens, shifts)
    for k in keep:
        emission = np.array([functools.reduce(lambda acc, i: acc + state[i], fc.ids(row), np.zeros(n_lab))
                             for row in rows[k]])  # added one by one, as crfsuite does
        assert labels[k] == [f"L{y}" for y in _plain_viterbi(emission, trans)], texts[k]


@pytest.mark.parametrize("features", [frozenset({"window"}), frozenset({"shape", "kiwi"}), frozenset({"kiwi", "gazetteer"})])
def test_reduced_feature_sets_give_featurize_ids(features):
    ref, _fast = _recognizers()
    texts, tokens = _sentences()
    texts, tokens = texts[:20] + EDGE, tokens[:20] + tokens[-len(EDGE):]
    spans = _spans(texts, tokens)
    rows = [F.featurize(t, k, GAZ, features, 0, sp) for t, k, sp in zip(texts, tokens, spans, strict=True)]
    vocab = sorted({a for r in rows for row in r for a in row})
    attrs = {a: k for k, a in enumerate(vocab)}
    fc = FC.FastCRF(None, features, GAZ, weights=(["A", "B"], attrs, np.zeros((len(attrs) + 1, 2)), np.zeros((2, 2))))
    keep = [k for k, t in enumerate(texts) if t]
    assert _row_ids(fc, fc.attribute_matrix([texts[k] for k in keep], [spans[k] for k in keep])) == [
        fc.ids(row) for k in keep for row in rows[k]]


def test_unknown_feature_set_falls_back_to_crfsuite():
    fc = FC.FastCRF(None, frozenset({"window", "someday"}), {}, weights=(["A"], {}, np.zeros((1, 1)), np.zeros((1, 1))))
    assert not fc.supports


def test_compiled_and_numpy_viterbi_equal_crfsuites_loop_ties_included():
    from analytics.nlp.entities.viterbi import _kernel, viterbi, viterbi_numpy

    assert _kernel() is not None  # numba is installed (requirements.txt)
    rng = np.random.default_rng(3)
    lens = np.array([1, 5, 2, 9, 1, 3, 7], dtype=np.int64)
    for scale in (1.0, 0.0):  # 0.0: every score ties, the first label must win everywhere
        emission = np.round(rng.normal(size=(int(lens.sum()), 4)), 1) * scale
        trans = np.round(rng.normal(size=(4, 4)), 1) * scale
        want: list[int] = []
        at = 0
        for n in lens.tolist():
            want += _plain_viterbi(emission[at:at + n], trans)
            at += n
        assert viterbi(emission, lens, trans, compiled=True).tolist() == want
        assert viterbi(emission, lens, trans).tolist() == want  # numpy: few sentences decoded so far
        assert viterbi_numpy(emission, lens, trans).tolist() == want
    assert want == [0] * int(lens.sum())


def _plain_bio_to_spans(labels):
    spans, start, typ = [], -1, ""
    for i, lab in enumerate([*labels, "O"]):
        head, t = lab[:1], lab[2:]
        if lab == "O" or head in "BS" or t != typ:
            if start >= 0:
                spans.append((start, i, typ))
            start, typ = (i, t) if lab != "O" else (-1, "")
        if head in "ES" and start >= 0:
            spans.append((start, i + 1, typ))
            start, typ = -1, ""
    return spans


def test_bio_to_spans_skipping_o_runs_equals_the_per_label_loop():
    import itertools

    from analytics.nlp.entities.spans import bio_to_spans

    labels = ["O", "B-PS", "I-PS", "E-PS", "S-PS", "I-OG", "S-LC"]
    for n in range(6):
        for seq in itertools.product(labels, repeat=n):
            assert bio_to_spans(list(seq)) == _plain_bio_to_spans(seq), seq
    assert bio_to_spans(["B-PS", "E-PS", "O", "I-OG", "I-OG"]) == [(0, 2, "PS"), (3, 5, "OG")]


def test_morpheme_features_decompose_exactly_and_whole_units_agree(monkeypatch):
    """`_morph_feats` = per-(tag, form) strings + tag pairs (the fast path). If this fails after an
    edit of `_morph_feats`, fastcrf falls back to whole units (exact, slower): update
    `fastcrf._tf_strings`/`_decomposed_strings` to the new strings."""
    assert FC.decomposition_holds()
    ref, fast = _recognizers()
    texts, tokens = _sentences()
    texts, tokens = texts[:80] + EDGE, tokens[:80] + tokens[-len(EDGE):]
    spans = _spans(texts, tokens)
    fc = fast._fast()
    keep = [k for k, t in enumerate(texts) if t]
    args = ([texts[k] for k in keep], [spans[k] for k in keep])
    got = _row_ids(fc, fc.attribute_matrix(*args))
    monkeypatch.setattr(fc, "_decomposed", False)
    assert _row_ids(fc, fc.attribute_matrix(*args)) == got
    monkeypatch.setattr(FC, "_morph_feats", lambda *key: ["p=NEVER"])  # a changed _morph_feats...
    assert not FC.decomposition_holds()  # ...is noticed


def test_overlapping_and_out_of_order_morphemes_follow_the_first_owner_rule():
    ref, fast = _recognizers()
    fc = fast._fast()
    text = "서울시청에서 했다"
    odd = [(4, 6, "JKB", "에서"), (0, 2, "NNP", "서울"), (1, 4, "NNG", "울시청"), (7, 8, "VV", "하"),
           (7, 8, "EP", "었"), (8, 9, "EF", "다")]
    ordered = sorted(odd)
    overlap = [(0, 4, "NNP", "서울시청"), (2, 4, "NNG", "시청"), (2, 6, "NNG", "청에서"), (7, 9, "VV", "했다")]
    for sp in (odd, ordered, overlap):
        want = [fc.ids(r) for r in F.featurize(text, [], ref.gazetteer, ref.features, 0, sp, ref.cong, ref.namelike)]
        for texts, spans in (([text], [sp]), (["가나", text, "다"], [[(0, 2, "NNG", "가나")], sp, []])):
            rows = _row_ids(fc, fc.attribute_matrix(texts, spans))
            at = sum(len(t) for t in texts[:texts.index(text)])
            assert rows[at:at + len(text)] == want


def _batch_arrays(texts):
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    base = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    big = "".join(["\x02\x02" + t + "\x03\x03" for t in texts])
    cps = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    sid = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
    pos = np.arange(int(lens.sum()), dtype=np.int64) + 4 * sid + 2
    return lens, base, cps[pos], sid


def test_word_and_run_context_families_in_numpy_equal_the_strings_path():
    """`wordctx` and `runctx` built for the batch in numpy (`_wordctx_family`, `_runctx_family`) give
    the (count, ids) that `features.word_spans` / `run_context` strings give through
    `_context_family`: spaces of every kind, one-word and blank-edged texts, out-of-order and
    hand-made morphemes (suffix-only runs, a noun after one space, a particle touching), any chunk."""
    _ref, fast = _recognizers()
    fc = fast._fast()
    assert fc.wordctx and fc.runctx
    texts, tokens = _sentences()
    spans = _spans(texts, tokens)
    made = [("가나들다 라마바A가하나", [(0, 2, "NNP", "가나"), (2, 3, "XSN", "들"), (3, 4, "NNG", "다"), (5, 6, "XSN", "라"),
                                  (6, 8, "NNG", "마바"), (8, 9, "SL", "A"), (1, 3, "NNP", "나다"), (9, 10, "JKS", "가"),
                                  (10, 12, "NR", "하나")]),
            ("가나", [(0, 2, "XSN", "가나")]), ("가나 다라마바", [(0, 2, "NNG", "가나"), (3, 7, "NNG", "다라마바")]),
            ("a\u3000b\u00a0c\x1cd  e\t", []), (" 한 ", None)]
    texts = [*texts, *(t for t, _s in made)]
    spans = [*spans, *(s for _t, s in made)]
    keep = [k for k, t in enumerate(texts) if t]
    texts, spans = [texts[k] for k in keep], [spans[k] for k in keep]
    words = 0
    for size in (400, 7):
        for lo in range(0, len(texts), size):
            xs, sp = texts[lo:lo + size], spans[lo:lo + size]
            lens, base, cp, sid = _batch_arrays(xs)
            total = int(lens.sum())
            fc._morph_units(sp, base)
            for new, old in ((fc._wordctx_family(cp, sid, lens, base),
                              fc._context_family([F.word_spans(t, s) for t, s in zip(xs, sp, strict=True)], base, total)),
                             (fc._runctx_family(xs, sp, cp, base, total),
                              fc._context_family([F.run_context(t, s) if s else () for t, s in zip(xs, sp, strict=True)],
                                                 base, total))):
                none = (np.zeros(total, dtype=np.int64), np.zeros(0, dtype=np.int64))  # no family: no ids
                new, old = new or none, old or none
                assert np.array_equal(new[0], old[0]) and np.array_equal(new[1], old[1])
                words += int(old[0].sum())
    assert words > 20_000
