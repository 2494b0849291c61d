"""`python -m analytics eval keywords --bigkinds XLSX`: our keywords against BIG Kinds' own.

For every article of a BIG Kinds export we analyse 제목 + 본문 (the export cuts 본문 at 200
characters; boilerplate blanked as in the pipeline, analytics/ingest/boilerplate.py) and score our top 10 keywords against the 키워드 column (comma-separated nouns BIG
Kinds extracted from the full article). Baseline: plain YAKE with default settings on the raw text.

A keyword is a hit when, ignoring spaces and case, it is a BIG Kinds keyword, or each of its
words is, or each noun Kiwi finds in it is (BIG Kinds lists compounds split: 사회, 혁신).
Precision = hits / keywords returned (at most 10); an article with no keyword scores 0.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import pandas as pd
import yake

from analytics.ingest.boilerplate import analysed_text
from analytics.nlp.keywords import extract_keywords
from analytics.nlp.tokenize import analyze_batch, get_kiwi

__all__ = ["eval_main", "evaluate", "is_hit", "load_bigkinds"]

K = 10
_NOUNS = {"NNG", "NNP", "SL", "SH", "XR"}


def load_bigkinds(path: Path) -> pd.DataFrame:
    """제목, 본문, 키워드 of a BIG Kinds xlsx export (rows without 키워드 are skipped)."""
    if not Path(path).exists():
        raise FileNotFoundError(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Workbook contains no default style"
        df = pd.read_excel(path, usecols=["제목", "본문", "키워드"])
    df = df.fillna("")
    return df[df["키워드"].str.strip() != ""].reset_index(drop=True)


def _norm(s: str) -> str:
    return s.replace(" ", "").lower()


def is_hit(keyword: str, gold: set[str]) -> bool:
    """Whether a keyword matches a BIG Kinds keyword set (already passed through `_norm`)."""
    if _norm(keyword) in gold:
        return True
    words = keyword.split()
    if len(words) > 1 and all(_norm(w) in gold for w in words):
        return True
    nouns = [t.form for t in get_kiwi().tokenize(keyword) if t.tag in _NOUNS]
    return bool(nouns) and all(_norm(n) in gold for n in nouns)


def _precision(keywords: list[str], gold: set[str]) -> float:
    top = keywords[:K]
    return sum(is_hit(k, gold) for k in top) / len(top) if top else 0.0


def evaluate(df: pd.DataFrame) -> dict[str, float | int]:
    """p@10 of ours and of the plain-YAKE baseline, averaged over articles."""
    texts = [f"{t}\n{b}" for t, b in zip(df["제목"], df["본문"], strict=True)]
    golds = [{_norm(k) for k in str(g).split(",") if k.strip()} for g in df["키워드"]]
    baseline = yake.KeywordExtractor(top=K)
    ours, base = [], []
    # ours reads what the pipeline analyses (boilerplate blanked); the baseline the raw text
    for text, sents, gold in zip(texts, analyze_batch([analysed_text(t) for t in texts]), golds, strict=True):
        ours.append(_precision([k for k, _ in extract_keywords(sents, top=K)], gold))
        base.append(_precision([k for k, _ in baseline.extract_keywords(text)], gold))
    n = len(texts)
    return {
        "articles": n,
        "p_at_10": round(sum(ours) / n, 4) if n else 0.0,
        "baseline_p_at_10": round(sum(base) / n, 4) if n else 0.0,
    }


def eval_main(args: argparse.Namespace) -> int:
    result = evaluate(load_bigkinds(args.bigkinds))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"BIG Kinds 키워드 대비 상위 {K}개 키워드 정밀도 (precision@{K}), 기사 {result['articles']}건")
    print(f"  ours (Kiwi + YAKE):   {result['p_at_10']:.3f}")
    print(f"  baseline (raw YAKE):  {result['baseline_p_at_10']:.3f}")
    return 0
