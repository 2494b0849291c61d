"""DataFrame -> Plotly figure. Pure functions, no `st.` calls, a CJK font in every layout."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

FONT = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
UNKNOWN_PERIOD = "미상"


def style(fig: go.Figure, title: str | None = None) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13}, title={"text": title} if title else None,
        margin={"l": 40, "r": 20, "t": 50 if title else 20, "b": 40},
        legend={"orientation": "h", "y": -0.2}, template="plotly_white",
    )
    return fig


def period_labels(periods: pd.Series, granularity: str) -> pd.Series:
    """Readable period labels; unknown dates become 미상."""
    fmt = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "quarter": "%Y-Q", "year": "%Y"}[granularity]
    out = []
    for p in pd.to_datetime(periods):
        if pd.isna(p):
            out.append(UNKNOWN_PERIOD)
        elif granularity == "quarter":
            out.append(f"{p.year}-Q{(p.month - 1) // 3 + 1}")
        else:
            out.append(p.strftime(fmt))
    return pd.Series(out, index=periods.index)


def volume_chart(df: pd.DataFrame, granularity: str = "month", title: str | None = None) -> go.Figure:
    """Stacked bars of articles per period and source (미상 period last)."""
    data = df.copy()
    data["기간"] = period_labels(data["period"], granularity)
    order = sorted(set(data["기간"]) - {UNKNOWN_PERIOD}) + ([UNKNOWN_PERIOD] if UNKNOWN_PERIOD in set(data["기간"]) else [])
    fig = px.bar(data, x="기간", y="articles", color="source", barmode="stack",
                 category_orders={"기간": order}, labels={"articles": "기사 수", "source": "매체"},
                 custom_data=["source", "기간"])
    fig.update_xaxes(type="category")
    return style(fig, title)
