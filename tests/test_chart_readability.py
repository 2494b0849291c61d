"""Readable charts: networks keep each node's strongest links and colour Louvain communities;
fading terms are as long as rising ones (log₂ growth); daily axes slant their labels and the
legend sits beside the plot, never under the axis title."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def two_triangles() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two tight groups (a b c) and (x y z) joined by one weak link c–x."""
    nodes = pd.DataFrame({"id": list("abcxyz"), "label": list("abcxyz"), "kind": ["term"] * 6,
                          "size": [10, 9, 8, 7, 6, 5]})
    edges = pd.DataFrame({"source": ["a", "a", "b", "x", "x", "y", "c"],
                          "target": ["b", "c", "c", "y", "z", "z", "x"],
                          "weight": [5, 5, 5, 4, 4, 4, 1]})
    return nodes, edges


def test_strongest_edges_keeps_each_nodes_top_links():
    edges = pd.DataFrame({"source": ["h", "h", "h", "h", "a"], "target": ["a", "b", "c", "d", "b"],
                          "weight": [9, 8, 7, 6, 1]})
    kept = charts.strongest_edges(edges, per_node=1)
    # h keeps h–a; a, b, c, d each keep their own strongest (a–h, b–h, c–h, d–h): a–b (1) goes
    assert list(zip(kept["source"], kept["target"], strict=True)) == [("h", "a"), ("h", "b"), ("h", "c"), ("h", "d")]
    kept2 = charts.strongest_edges(edges, per_node=2)
    assert ("a", "b") in set(zip(kept2["source"], kept2["target"], strict=True))


def test_communities_split_the_two_groups_the_same_way_every_time():
    nodes, edges = two_triangles()
    comm = charts.communities(list(nodes["id"]), edges, seed=7)
    assert comm == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1, "z": 1}
    assert charts.communities(list(nodes["id"]), edges.iloc[::-1], seed=7) == comm


def test_network_chart_colours_communities_and_labels_the_large_nodes():
    nodes, edges = two_triangles()
    fig = charts.network_chart(nodes, edges, "kind", labelled=2)
    groups = [t for t in fig.data if t.mode == "markers+text"]
    assert [t.name for t in groups] == ["묶음 1: a", "묶음 2: x"]
    legend = [t for t in fig.data if t.showlegend is not False and t.mode == "markers"]
    assert [(t.name, t.marker.symbol) for t in legend] == [("묶음 1: a", "circle"), ("묶음 2: x", "circle")]
    assert groups[0].marker.color != groups[1].marker.color
    # labelled: the 2 largest (a, b) and the largest of each community (a, x)
    assert list(groups[0].text) == ["a", "b", ""] and list(groups[1].text) == ["x", "", ""]


def test_fading_terms_are_as_long_as_rising_ones():
    df = pd.DataFrame({"term": ["up", "down"], "count": [8, 1], "baseline_count": [2, 4],
                       "growth": [4.0, 0.25], "g2": [5.0, 5.0], "direction": ["rising", "fading"]})
    fig = charts.rising_chart(df)
    x = {t.name: list(t.x) for t in fig.data}
    assert x == {"하락 (fading)": [-2.0], "상승 (rising)": [2.0]}


def test_daily_axis_slants_labels_and_legend_is_beside_the_plot():
    days = pd.date_range("2021-02-01", periods=20, freq="D")
    vol = pd.DataFrame({"period": days, "source": ["조선일보"] * 20, "articles": range(20)})
    fig = charts.volume_chart(vol, "day")
    assert fig.layout.xaxis.tickangle == -45 and fig.layout.xaxis.automargin is True
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.x > 1
    monthly = charts.volume_chart(vol.head(3).assign(period=pd.to_datetime(["2021-01-01", "2021-02-01",
                                                                             "2021-03-01"])), "month")
    assert monthly.layout.xaxis.tickangle == 0
