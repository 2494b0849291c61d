"""dashboard.charts: pure DataFrame -> figure functions, a CJK font in every layout, 미상 periods."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts


def _volume() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01", None]),
                         "source": ["한겨레", "조선일보", None], "articles": [3, 2, 1], "share": [0.5, 0.33, 0.17]})


def test_volume_chart_has_cjk_font_and_unknown_period_last():
    fig = charts.volume_chart(_volume(), "month")
    assert "Noto Sans CJK KR" in fig.layout.font.family
    xs = [x for tr in fig.data for x in tr.x]
    assert set(xs) == {"2024-01", "2024-02", "미상"}
    assert list(fig.layout.xaxis.categoryarray)[-1] == "미상"
    assert {tr.name for tr in fig.data} == {"한겨레", "조선일보", "미상"}


def test_period_labels_quarter_and_unknown():
    s = pd.Series(pd.to_datetime(["2023-04-01", None]))
    assert list(charts.period_labels(s, "quarter")) == ["2023-Q2", "미상"]


def test_keyword_trend_chart_one_line_per_term_with_drill_data():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"]),
                       "term": ["인공지능", "반도체", "인공지능", "반도체"], "articles": [1, 2, 3, 4],
                       "share": [0.1, 0.2, 0.3, 0.4], "per_10k": [1.0, 2.0, 3.0, 4.0]})
    fig = charts.keyword_trend_chart(df, "month", "per_10k")
    assert {tr.name for tr in fig.data} == {"인공지능", "반도체"}
    assert fig.data[0].customdata[0][0] in {"인공지능", "반도체"}
    assert "Noto Sans CJK KR" in fig.layout.font.family


def test_distinctive_chart_splits_groups_by_sign():
    df = pd.DataFrame({"term": ["반도체", "부동산"], "count_a": [9, 1], "count_b": [1, 9],
                       "log_odds": [1.2, -1.1], "z": [2.5, -2.2], "group": ["a", "b"]})
    fig = charts.distinctive_chart(df, "A 한겨레", "B 조선일보")
    assert {tr.name for tr in fig.data} == {"A 한겨레", "B 조선일보"}


def test_sentiment_source_chart_shares_add_to_one():
    df = pd.DataFrame({"source": ["한겨레", None], "mean_score": [0.1, -0.2], "pos_share": [0.5, 0.2],
                       "neg_share": [0.2, 0.5], "articles": [3, 2], "sentences": [30, 20]})
    fig = charts.sentiment_source_chart(df)
    totals = {}
    for tr in fig.data:
        for x, y in zip(tr.x, tr.y, strict=True):
            totals[y] = totals.get(y, 0) + x
    assert set(totals) == {"한겨레", "미상"}
    assert all(abs(v - 1.0) < 1e-9 for v in totals.values())


def test_network_chart_draws_every_node_and_edge():
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "label": ["삼성", "애플", "구글"], "kind": ["OG", "OG", "term"],
                          "size": [5, 3, 1]})
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [3, 1]})
    fig = charts.network_chart(nodes, edges)
    markers = [tr for tr in fig.data if tr.mode == "markers+text"]
    assert sum(len(tr.x) for tr in markers) == 3
    lines = [tr for tr in fig.data if tr.mode == "lines"]
    assert sum(list(tr.x).count(None) for tr in lines) == 2  # every edge drawn, one segment each
    assert len(lines) <= charts.EDGE_CLASSES  # edges grouped by width class, not a trace per edge


def test_bars_carry_drill_data_and_tone_colours():
    df = pd.DataFrame({"term": ["인공지능", "반도체", "혁신"], "tf": [9, 5, 1]})
    fig = charts.term_bar(df, "tf", n=2)
    assert list(fig.data[0].y) == ["반도체", "인공지능"]  # first n rows, largest on top
    assert fig.data[0].customdata[-1][0] == "인공지능"
    assert "Noto Sans CJK KR" in fig.layout.font.family
    vol = charts.volume_chart(_volume(), "month")
    assert all(tr.customdata is not None and len(tr.customdata[0]) == 2 for tr in vol.data)
    tone = charts.sentiment_source_chart(pd.DataFrame({"source": ["한겨레"], "pos_share": [0.5], "neg_share": [0.2]}))
    assert {tr.name: tr.marker.color for tr in tone.data}["부정"] == charts.TONE_COLORS["부정"]


def test_tone_pie_from_shares():
    fig = charts.tone_pie({"pos_share": 0.5, "neg_share": 0.25})
    assert list(fig.data[0].values) == [0.5, 0.25, 0.25]


def test_wordcloud_uses_the_korean_font():
    if charts.font_file() is None:
        pytest.skip("Noto Sans CJK is not installed (fonts-noto-cjk)")
    img = charts.wordcloud_image({"인공지능": 10, "반도체": 5, "혁신": 3}, width=300, height=150)
    assert img.shape == (150, 300, 3)
    assert (img < 250).any()  # something was drawn

    fig = charts.keyword_cloud(pd.DataFrame({"term": ["인공지능", "반도체"], "tf": [10, 5]}))
    assert fig.data[0].type == "image" and fig.data[0].source.startswith("data:image/png;base64,")
