"""Per-corpus structures loaded before a page needs them.

The dashboard calls `warm_up` in a background thread when it opens a corpus, so the first
keyword query, network or drivers view of a session does not pay for them (at 1,000,000
articles: numba's import and disk cache ~0.5 s, the referent mapping and its article x referent
matrix ~1 s, the drivers' arrays ~2.6 s and ~150 MB of transient arrays, the vocabulary index of typed terms ~0.3 s, the entity rows of keyword-query entity
lists ~0.5 s at 100,000 articles, which then fall where
the server's RSS is lowest). Each piece is what the first query would build, cached the same
way (a page asking meanwhile builds the same result); answers do not change.
"""

from __future__ import annotations

from analytics.queries import entity_sums, postings
from analytics.queries.corpus import Corpus
from analytics.queries.matching import vocab_index
from analytics.queries.terms import warm_networks
from analytics.queries.tone import warm_tones


def warm_up(c: Corpus) -> None:
    """Map the postings, load the compiled loops, build the networks' and the drivers' per-corpus tables
    the vocabulary index of typed terms and the entity rows (`entity_sums`)."""
    for step in (postings.warm_up, warm_networks, warm_tones, vocab_index, entity_sums.rows):
        step(c)
        postings.trim_heap()  # each build's transient arrays: their freed pages back to the system
