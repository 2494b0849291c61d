"""The old string form of `data.figure` (kept while pages move to the typed call; no cache here).

`figure("term_bar", "top_keywords", (f, 20, "tf"), "tf", n=20)` is
`charts.term_bar(queries.top_keywords(corpus, f, 20, "tf"), "tf", n=20)`, built once per store
version, lexicon key, query arguments and chart arguments. Chart builders are pure, so a rerun
with the same filters reuses the figure object (st.cache_resource: no pickling; nothing mutates a
figure after it is built — st.plotly_chart and the exports work on copies), and a changed filter
rebuilds only the figures whose query changed.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import data


def figure(builder: str, query: str, qargs: tuple, *bargs: object, spread: bool = False,
           **bkw: object) -> go.Figure:
    """`charts.<builder>(q(query, *qargs), *bargs, **bkw)`, cached; spread=True unpacks a tuple
    result (nodes, edges) into the builder's first arguments."""
    return data._figure_named(("dashboard.charts", builder), query, qargs, bargs, bkw, spread)


def clear() -> None:
    data._figure.clear()


__all__ = ["clear", "figure"]
