"""Kiwi's unknown common nouns (token id 2) and the guard on organisation/place spans made of them.

With the `oov` feature the CRF learns that a word outside Kiwi's dictionary is often a name: right in
movie reviews (`까락스`), wrong in news, where such a word is as often a new drug, product or compound
(`렉키로나주`, `아나필락시스`, `커넥티드카`). Organisations and places made only of such words are the
news false positives (on the KLUE 5-fold 3 of 17 organisations of that kind were right), so they need
other evidence: the gazetteer or the curated lexicon (round 7, docs/method/entities.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

UNKNOWN_NOUN_ID = 2  # Kiwi's id for a common noun outside its dictionary


def unknown_ranges(tokens: Sequence[Any] | None, n: int, shift: int) -> list[tuple[int, int]]:
    """(start, end) in the sentence of each token Kiwi read as an unknown common noun; tokens
    without an id (`PlainToken` built without one) never count."""
    if not tokens:
        return []
    out = []
    for t in tokens:
        if getattr(t, "id", -1) == UNKNOWN_NOUN_ID:
            a = t.start - shift
            if a < n and a + t.len > 0:
                out.append((max(a, 0), min(a + t.len, n)))
    return out


def only_unknown(text: str, start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Every non-space character of `text[start:end]` lies in an unknown common noun."""
    if not ranges or start >= end:
        return False
    cover = [(a, b) for a, b in ranges if a < end and start < b]
    return bool(cover) and all(text[i].isspace() or any(a <= i < b for a, b in cover) for i in range(start, end))
