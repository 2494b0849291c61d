"""Round 10, the span re-typer (`entities.spantype`, `ner_train --retype`): the CRF marginals it reads
equal crfsuite's, reading span rows leaves the recognizer's output alone, the features of a real news
sentence are the expected ones, a re-typer re-types / drops / adds as its thresholds say and survives
its artefact, and the nested k-fold harness runs on a tiny slice of KLUE."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analytics.nlp.entities import ALL_FEATURES, MODEL_DIR, Entity, EntityRecognizer
from analytics.nlp.entities.features import featurize
from analytics.nlp.entities.recognizer import _shift_of
from analytics.nlp.entities.spantype import CLASSES, SpanTyper, gold_class, label_matrix
from analytics.nlp.entities.viterbi import marginals
from analytics.nlp.ner_train import (
    RETYPE_GRID,
    cross_validate,
    read_klue,
    retyped,
    ship_retyper,
    tokenize_all,
)

KLUE = Path(__file__).resolve().parents[2] / "shared/datasets/ner/klue-ner-v1.1_dev-part.tsv"
TEXTS = [
    "정은경 질병관리청장은 서울 중구 국립중앙의료원에서 브리핑을 했다.",
    "미국이 시리아에 대한 공습을 검토하고 있다고 로이터통신이 보도했다.",
    "ㅋㅋ 그거 진짜 어디서 샀냐 대박",
]


def test_marginals_equal_crfsuites_and_sum_to_one() -> None:
    tokens = tokenize_all(TEXTS)
    fast = EntityRecognizer(MODEL_DIR)
    marg: list = [None] * len(TEXTS)
    labels = fast.tag_many(TEXTS, tokens, None, marg)
    assert labels == fast.tag_many(TEXTS, tokens)  # asking for marginals does not change the labels
    slow = EntityRecognizer(MODEL_DIR, fast=False)
    tagger = slow._tagger()
    names = fast.crf_labels()
    assert names == slow.crf_labels()
    for text, toks, m in zip(TEXTS, tokens, marg, strict=True):
        tagger.set(featurize(text, toks, slow.gazetteer, slow.features, _shift_of(text, toks), None, None, slow.namelike))
        ref = np.array([[tagger.marginal(lab, i) for lab in names] for i in range(len(text))])
        assert m.shape == (len(text), len(names))
        assert np.abs(m - ref).max() < 1e-9
        assert np.allclose(m.sum(axis=1), 1.0)
    # a batch of sentences of different lengths gives each one its own marginals
    one = marginals(np.zeros((3, 2)), np.array([3]), np.zeros((2, 2)))
    assert np.allclose(one, 0.5)


def test_span_rows_leave_the_output_alone_and_read_the_span() -> None:
    tokens = tokenize_all(TEXTS)
    rec = EntityRecognizer(MODEL_DIR)
    assert rec.spantyper is None  # nothing shipped in round 10
    plain = rec.extract(TEXTS, tokens)
    rows: list = []
    assert rec.extract(TEXTS, tokens, span_rows=rows) == plain
    assert [[e for e, _f, cand in r if not cand] for r in rows] == plain
    assert [(e.canonical, e.type) for e in plain[0]] == [("정은경", "PS"), ("서울 중구 국립중앙의료원", "LC")]
    feats = dict(next(f for e, f, cand in rows[0] if e.canonical == "정은경"))
    assert feats["t=PS"] == 1.0 and feats["f=정은경"] == 1.0 and feats["len=3"] == 1.0
    assert feats["nxw=NNG/질병"] == 1.0 and feats["nx2=NNG/_리청"] == 1.0  # the next word, after a space
    assert feats["pv=BOS"] == 1.0 and feats["sc=H"] == 1.0 and feats["g=-"] == 1.0 and feats["vv=하"] == 1.0
    assert feats["mPS"] > 0.9 and feats["mPS=4"] == 1.0 and feats["t=PS|mPS=4"] == 1.0
    place = dict(next(f for e, f, cand in rows[0] if e.canonical.endswith("국립중앙의료원")))
    assert place["nx=JKB/에서"] == 1.0 and place["nw=3"] == 1.0 and place["gf=LC"] == 1.0 and place["gl=OG"] == 1.0
    assert place["pvw=JX/은"] == 1.0 and place["ts=NNP+NNP+NNP"] == 1.0 and place["t=LC|mLC=4"] == 1.0
    assert rows[2] == []  # no name, no candidate in a chat line


def _typer(add_above: float | None = None, drop_below: float = 0.0) -> SpanTyper:
    """A hand-made re-typer: `nx=JKS` (a subject particle after the span) makes a place an
    organisation; `f=시리아` is no entity at all; `f=로이터` a body."""
    w = {"nx=JKS": np.array([0.0, 4.0, -4.0, 0.0]), "f=시리아": np.array([0.0, 0.0, 0.0, 9.0]),
         "t=LC": np.array([0.0, 0.0, 3.0, 0.0]), "t=PS": np.array([3.0, 0.0, 0.0, 0.0]),
         "f=로이터": np.array([0.0, 6.0, 0.0, 0.0])}
    return SpanTyper(w, np.zeros(len(CLASSES)), drop_below=drop_below, add_above=add_above)


def test_decide_retypes_drops_and_adds(tmp_path: Path) -> None:
    usa = Entity("LC", "미국", 0, 2, "미국")
    syria = Entity("LC", "시리아", 4, 7, "시리아")
    rows = [[("t=LC", 1.0), ("nx=JKS", 1.0), ("f=미국", 1.0)], [("t=LC", 1.0), ("nx=JKB", 1.0), ("f=시리아", 1.0)]]
    typer = _typer()
    p = typer.probabilities(rows)
    assert p.shape == (2, 4) and np.allclose(p.sum(axis=1), 1.0)
    assert [e.type for e in typer.decide([usa, syria], p, {})] == ["OG", "LC"]  # re-typed; kept (no drop)
    assert typer.decide([usa, syria], p, {"미국": "LC"})[0].type == "LC"  # the curated lexicon wins
    dropping = _typer(drop_below=0.39)
    assert [e.canonical for e in dropping.decide([usa, syria], dropping.probabilities(rows), {})] == ["미국"]
    cand = Entity("PS", "로이터", 0, 3, "로이터")
    c_rows = [[("t=PS", 1.0), ("f=로이터", 1.0)]]
    assert _typer().decide([cand], _typer().probabilities(c_rows), {}, add=True) == []  # no candidates
    adding = _typer(add_above=0.5)
    assert adding.decide([cand], adding.probabilities(c_rows), {}, add=True) == [Entity("OG", "로이터", 0, 3, "로이터")]
    path = tmp_path / "spantype.tsv"
    adding.write(path)
    back = SpanTyper.read(path)
    assert back.add_above == 0.5 and back.drop_below == 0.0 and back.keep_lexicon
    assert np.allclose(back.probabilities(rows + c_rows), adding.probabilities(rows + c_rows), atol=1e-4)
    assert gold_class(0, 2, {(0, 2, "OG")}) == "OG" and gold_class(0, 3, {(0, 2, "OG")}) == "NONE"
    assert label_matrix(["O", "B-PS", "E-PS", "S-OG"]).tolist()[1] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_retyped_without_a_typer_is_the_pipeline() -> None:
    e = Entity("LC", "미국", 0, 2, "미국")
    rows = [({(0, 2, "OG")}, [(e, [("t=LC", 1.0)], "OG", False), (Entity("PS", "김", 5, 6, "김"), [], "NONE", True)])]
    assert retyped(None, rows, {}) == [{(0, 2, "LC")}]
    assert retyped(_typer(), [({(0, 2, "OG")}, [(e, [("t=LC", 1.0), ("nx=JKS", 1.0)], "OG", False)])], {}) == [{(0, 2, "OG")}]


@pytest.mark.skipif(not KLUE.exists(), reason="shared KLUE dev part not found")
def test_nested_kfold_harness_runs_on_a_tiny_slice(tmp_path: Path) -> None:
    samples = read_klue(KLUE)[:36]
    tokens = tokenize_all([s.text for s in samples])
    oof: list = []
    cv = cross_validate(samples, tokens, {}, ALL_FEATURES, 3, log=False, retype=True, oof_rows=oof)
    rt = cv["retype"]
    assert len(cv["per_fold"]) == 3 and len(rt["per_fold"]) == 3 and len(rt["chosen"]) == 3
    assert [len(rows) for rows in oof] == [12, 12, 12]
    assert 0.0 <= rt["pooled_f1"] <= 1.0
    for base, new, ch in zip(cv["per_fold"], rt["per_fold"], rt["chosen"], strict=True):
        if ch["setting"] is None:  # no setting beat the CRF inside the training folds: its spans stand
            assert new == base
    out = tmp_path / "model"
    out.mkdir()
    shipped = ship_retyper(oof, out, {})
    assert (shipped is None) == (not (out / "spantype.tsv").exists())
    if shipped is not None:
        assert tuple(shipped["setting"]) in [tuple(c) for c in RETYPE_GRID]
        assert shipped["lofo_f1"] > shipped["lofo_crf_f1"]
        assert SpanTyper.read(out / "spantype.tsv").names
