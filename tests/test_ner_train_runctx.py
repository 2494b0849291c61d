"""The `runctx` switch (head of each noun run and the morpheme after it; round 7, shipped in round 8):
exact strings on tiny hand-made morphemes (no Kiwi, no training)."""

from __future__ import annotations

from analytics.nlp.entities.base import EXTRA_FEATURES
from analytics.nlp.entities.features import featurize, run_context


def test_run_context_gives_the_runs_head_and_what_follows_it() -> None:
    text = "대한축구협회는 독일 팀과"
    spans = [(0, 2, "NNP", "대한"), (2, 4, "NNG", "축구"), (4, 6, "NNG", "협회"), (6, 7, "JX", "는"),
             (8, 10, "NNP", "독일"), (11, 12, "NNG", "팀"), (12, 13, "JKB", "과")]
    # `독일` and `팀` are two runs (a space between); the noun after one space is marked `_`
    assert run_context(text, spans) == [
        (0, 6, ["rs1=회", "rs2=협회", "ra=J는"]),
        (8, 10, ["rs1=일", "rs2=독일", "ra=_팀"]),
        (11, 12, ["rs1=팀", "ra=J과"]),
    ]


def test_run_context_strings_sit_on_the_runs_characters_only_when_switched_on() -> None:
    text = "서울시 발표"
    spans = [(0, 2, "NNP", "서울"), (2, 3, "XSN", "시"), (4, 6, "NNG", "발표")]
    rows = featurize(text, [], None, frozenset({"kiwi", "runctx"}), spans=spans)
    ctx = [[f for f in r if f.startswith(("rs", "ra="))] for r in rows]
    assert ctx == [["rs1=시", "rs2=울시", "ra=_발표"]] * 3 + [[]] + [["rs1=표", "rs2=발표"]] * 2
    assert [[f for f in r if f.startswith(("rs", "ra="))]
            for r in featurize(text, [], None, frozenset({"kiwi"}), spans=spans)] == [[]] * 6
    assert "runctx" in EXTRA_FEATURES


def test_a_model_with_runctx_keeps_the_fast_scorer() -> None:
    import numpy as np

    from analytics.nlp.entities.fastcrf import FastCRF

    fc = FastCRF(None, frozenset({"window", "kiwi", "runctx"}), {},
                 weights=(["O"], {}, np.zeros((1, 1)), np.zeros((1, 1))))
    assert fc.supports  # round 8: fastcrf reproduces runctx (tests/test_entities_fastpaths.py checks the ids)


def test_word_context_gives_the_neighbouring_words_heads() -> None:
    from analytics.nlp.entities.features import word_context

    text = "서울가정법원 가사4부는 판결했다"
    spans = [(0, 6, "NNP", "서울가정법원"), (7, 9, "NNG", "가사"), (9, 10, "SN", "4"), (10, 11, "NNB", "부"),
             (11, 12, "JX", "는"), (13, 15, "NNG", "판결"), (15, 16, "XSV", "하"), (16, 17, "EF", "다")]
    got = word_context(text, spans)
    # the noun part's last two chars, particles left out; a word without a noun run keeps `~` + its end
    assert got[0] == (0, ["nw=가사"])  # 4 and 부 (SN, NNB) are no noun-run tags: the run ends at 가사
    assert got[6] == (6, ["pw=법원", "nw=가사"])  # the space between gets both sides
    assert got[7] == (7, ["pw=법원", "nw=판결"])
    assert got[-1] == (16, ["pw=가사"])
    assert [i for i, _f in got] == list(range(len(text)))
    assert word_context("서울", spans[:1]) == []
    assert word_context("가 나", None) == [(0, ["nw=~나"]), (1, ["pw=~가", "nw=~나"]), (2, ["pw=~가"])]
    rows = featurize(text, [], None, frozenset({"kiwi", "wordctx"}), spans=spans)
    assert [f for f in rows[0] if f.startswith(("pw=", "nw="))] == ["nw=가사"]
    assert "wordctx" in EXTRA_FEATURES
