"""Per-corpus structures loaded before a page needs them.

The dashboard calls `warm_up` in a background thread when it opens a corpus, so the first
keyword query or network of a session does not pay for them (at 1,000,000 articles: numba's
import and disk cache ~0.5 s, the referent mapping and its article x referent matrix ~1 s).
Each piece is built once per corpus, under its own lock, exactly as the first query would build
it; answers do not change.
"""

from __future__ import annotations

from analytics.queries import postings
from analytics.queries.corpus import Corpus
from analytics.queries.terms import warm_networks


def warm_up(c: Corpus) -> None:
    """Map the postings, load the compiled loops and build the networks' per-corpus tables."""
    postings.warm_up(c)
    warm_networks(c)
    postings.trim_heap()  # the builds' transient arrays: their freed pages back to the system
