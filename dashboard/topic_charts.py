"""Topic and query-comparison charts: DataFrame -> Plotly figure, no `st.` calls.

Topic labels and queries come from article text and user input; every builder ends in
`charts.style`, which escapes trace names, axis labels and titles for Plotly (customdata stays
raw: a selection hands back the clicked value).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts

TOPIC_MEASURES = {"share": "비율 (share)", "articles": "기사 수 (main topic)"}


def topic_name(topic: int, label: str) -> str:
    return f"{int(topic)}. {label}"


def _period_axis(data: pd.DataFrame, granularity: str) -> tuple[pd.DataFrame, list[str]]:
    data = data.copy()
    data["기간"] = charts.period_labels(data["period"], granularity)
    order = charts._period_order(data["기간"])
    data["_o"] = data["기간"].map({p: i for i, p in enumerate(order)})
    return data.sort_values(["topic", "_o"]), order


def topic_time_chart(df: pd.DataFrame, granularity: str = "month", measure: str = "share",
                     topics: list[int] | None = None, title: str | None = None) -> go.Figure:
    """One line per topic over time (share: mean topic mix of the period's articles; articles:
    those whose main topic it is). custom_data = topic, 기간."""
    data = df if topics is None else df[df["topic"].isin(topics)]
    data, order = _period_axis(data, granularity)
    fig = go.Figure()
    for i, (t, g) in enumerate(data.groupby("topic", sort=True)):
        name = topic_name(t, g["label"].iloc[0])
        fig.add_trace(go.Scatter(
            x=g["기간"].to_numpy(), y=g[measure].to_numpy(), mode="lines+markers", name=name,
            customdata=g[["topic", "기간", "n_articles"]].to_numpy(),
            line={"color": charts.PALETTE[i % len(charts.PALETTE)]},
            hovertemplate=(f"%{{fullData.name}}<br>기간=%{{x}}<br>{TOPIC_MEASURES.get(measure, measure)}=%{{y:.3f}}"
                           "<br>기간 기사=%{customdata[2]}<extra></extra>")))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order, title="기간")
    fig.update_layout(yaxis_title=TOPIC_MEASURES.get(measure, measure), legend_title_text="토픽")
    if measure == "share":
        fig.update_yaxes(tickformat=".0%")
    return charts.style(fig, title)


def topic_source_chart(df: pd.DataFrame, n_sources: int = 15, title: str | None = None) -> go.Figure:
    """Heatmap of topic share by source (the n largest sources), topics by corpus weight; hover says all."""
    sources = list(dict.fromkeys(df["source"]))[:n_sources]
    data = df[df["source"].isin(sources)]
    piv = data.pivot_table(index="topic", columns="source", values="share", sort=False).reindex(columns=sources)
    # topics in the order of their weight in the corpus (as in the topic table), largest on top
    weight = (df["share"] * df["n_articles"]).groupby(df["topic"]).sum()
    piv = piv.reindex(weight.sort_values(ascending=False, kind="stable").index.intersection(piv.index, sort=False))
    names = data.drop_duplicates("topic").set_index("topic")["label"]
    ylab = [topic_name(t, names.get(t, "")) for t in piv.index]
    fig = go.Figure(go.Heatmap(
        z=piv.to_numpy(), x=list(piv.columns), y=ylab, colorscale="Blues", zmin=0,
        hovertemplate="매체=%{x}<br>토픽=%{y}<br>비율=%{z:.1%}<extra></extra>", colorbar={"tickformat": ".0%"}))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", title="매체")
    fig.update_layout(height=max(320, 28 * len(ylab) + 120))
    return charts.style(fig, title)


def k_scores_chart(df: pd.DataFrame | dict, title: str | None = None) -> go.Figure:
    """Coherence per candidate number of topics (± one standard error); the chosen one highlighted.
    Takes the k_scores frame or a topic_summary result."""
    if isinstance(df, dict):
        df = df["k_scores"]
    colors = [charts.PALETTE[1] if c else charts.PALETTE[0] for c in df["chosen"]]
    err = {"type": "data", "array": df["se"].to_numpy(), "visible": True} if "se" in df and df["se"].any() else None
    fig = go.Figure(go.Bar(x=df["k"].astype(str), y=df["coherence"], marker={"color": colors}, error_y=err,
                           hovertemplate="토픽 수=%{x}<br>coherence=%{y:.3f}<extra></extra>"))
    fig.update_layout(xaxis_title="토픽 수 k", yaxis_title="coherence (NPMI)", height=260)
    fig.update_xaxes(type="category")
    return charts.style(fig, title)


def query_trend_chart(df: pd.DataFrame, granularity: str = "month", measure: str = "articles",
                      title: str | None = None) -> go.Figure:
    """One line per query (per query and source when by source); custom_data = query, 기간.
    Reuses the keyword trend chart: a query plays the part of a term."""
    data = df.rename(columns={"query": "term"})
    fig = charts.keyword_trend_chart(data, granularity, measure, title)
    fig.update_layout(yaxis_title={"articles": "기사 수", "share": "비율 (share)",
                                   "per_10k": "1만 기사당 기사 수 (per 10k articles)"}.get(measure, measure))
    return fig
