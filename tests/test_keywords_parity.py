"""yake-rust (what analysis runs) against the `yake` package (the reference YAKE): same keywords.

Tolerance: the same top-k list in the same order, and every YAKE score within 1e-9 of the
reference (measured: identical lists on all 607 texts of the seeds + the BIG Kinds export,
largest score difference 4e-17, i.e. float rounding).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.ingest.boilerplate import analysed_text
from analytics.nlp.keywords import extract_keywords, yake_scores
from analytics.nlp.tokenize import analyze_batch

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
TOL = 1e-9


def _assert_same(texts: list[str], top: int) -> int:
    compared = 0
    for doc in analyze_batch(analysed_text(t) for t in texts):
        ref = extract_keywords(doc, top=top, reference=True)
        fast = extract_keywords(doc, top=top)
        assert [k for k, _ in fast] == [k for k, _ in ref]
        assert all(abs(a - b) <= TOL for (_, a), (_, b) in zip(fast, ref, strict=True))
        compared += bool(ref)
    return compared


def test_seed_articles_top20_match_the_reference():
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    assert len(texts) == 5
    assert _assert_same(texts, top=20) == 5


def test_bigkinds_sample_top10_matches_the_reference(bigkinds_xlsx):
    import pandas as pd

    df = pd.read_excel(bigkinds_xlsx).iloc[::15]  # 41 of the 602 articles, title + 200-char excerpt
    texts = [f"{t}\n{b}" for t, b in zip(df["제목"].fillna(""), df["본문"].fillna(""), strict=True)]
    assert _assert_same(texts, top=10) == len(texts)


def test_raw_scores_match_on_a_coded_text():
    text = "qaaa qaab , qaac qaaa qaab ! qaaa qaad , qaab qaac ! qaae qaaa qaab !"
    ref = yake_scores(text, {"qaae"}, 20, reference=True)
    fast = yake_scores(text, {"qaae"}, 20)
    assert [k for k, _ in fast] == [k for k, _ in ref]
    assert ref[0][0] == "qaac qaaa qaab"
    assert fast[0][1] == pytest.approx(ref[0][1], abs=TOL)


def test_score_ties_keep_the_reference_order():
    """yake-rust orders equal scores differently from process to process; the reference's stable
    sort leaves them in first-occurrence order, and so does extract_keywords."""
    from analytics.nlp.keywords import _ties_in_text_order

    scored = [("qaab", 0.1), ("qaaa", 0.1 + 1e-17), ("qaac", 0.2)]
    assert _ties_in_text_order(scored, {"qaaa": 0, "qaab": 1, "qaac": 2}) == [
        ("qaaa", 0.1 + 1e-17), ("qaab", 0.1), ("qaac", 0.2)]
    text = "qaaa qaab ! qaac qaad ! qaae qaaf !"  # three symmetric sentences: every score tied
    ref = yake_scores(text, {"qzzz"}, 20, reference=True)
    assert len({round(h, 12) for _, h in ref}) < len(ref)
    order = {k: i for i, k in enumerate(["qaaa", "qaab", "qaaa qaab", "qaac", "qaad", "qaac qaad",
                                         "qaae", "qaaf", "qaae qaaf"])}
    assert [k for k, _ in _ties_in_text_order(yake_scores(text, {"qzzz"}, 20), order)] == [k for k, _ in ref]
