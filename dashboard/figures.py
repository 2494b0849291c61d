"""Cached figures: a chart built from a cached query, keyed by the same small hashable values.

`figure("term_bar", "top_keywords", (f, 20, "tf"), "tf", n=20)` is
`charts.term_bar(queries.top_keywords(corpus, f, 20, "tf"), "tf", n=20)`, built once per store
version, lexicon key, query arguments and chart arguments. Chart builders are pure, so a rerun
with the same filters reuses the figure object (st.cache_resource: no pickling; nothing mutates a
figure after it is built — st.plotly_chart and the exports work on copies), and a changed filter
rebuilds only the figures whose query changed.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from analytics.store import StoreError
from dashboard import charts, data


@st.cache_resource(max_entries=160, show_spinner=False)
def _figure(builder: str, query: str, qargs: tuple, bargs: tuple, bkw: tuple, path: str, version: int,
            lexicon: str, stamp: str, lex_key: str, spread: bool, ident: str = "") -> go.Figure:
    res = data._cached(query, path, version, lexicon, stamp, lex_key, qargs, ident)
    fn = getattr(charts, builder)
    return fn(*res, *bargs, **dict(bkw)) if spread else fn(res, *bargs, **dict(bkw))


def figure(builder: str, query: str, qargs: tuple, *bargs: object, spread: bool = False,
           **bkw: object) -> go.Figure:
    """`charts.<builder>(q(query, *qargs), *bargs, **bkw)`, cached; spread=True unpacks a tuple
    result (nodes, edges) into the builder's first arguments."""
    v = data.current_version()
    if v is None:
        raise StoreError("no store")
    path, lex, stamp = data.store_path(), data.lexicon_path(), data.lexicon_stamp()
    return _figure(builder, query, tuple(qargs), tuple(bargs), tuple(sorted(bkw.items())), path, v, lex,
                   stamp, data.lexicon_key(), spread, data.store_identity())


def clear() -> None:
    _figure.clear()


__all__ = ["clear", "figure"]
