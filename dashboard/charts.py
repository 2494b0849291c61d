"""DataFrame -> Plotly figure. Pure functions, no `st.` calls, a CJK font in every layout.

Each chart takes a query result with the columns `analytics.queries` documents and returns a
styled figure; `custom_data` carries what a drill-down needs (source, period, term, entity).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard import escape
from dashboard.labels import DIRECTION, FIELDS, KIND, MEASURES

FONT = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
UNKNOWN_PERIOD = "미상"
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
TONE_COLORS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828",
               "긍정": "#2e7d32", "중립": "#9e9e9e", "부정": "#c62828"}
KIND_COLORS = {"term": "#2f6f8f", "PS": "#c0504d", "OG": "#9bbb59", "LC": "#f79646",
               "person": "#c0504d", "organization": "#9bbb59", "location": "#f79646"}


PALETTE = ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
           "#FF97FF", "#FECB52")  # plotly's default qualitative sequence (what plotly.express used)


def _bars(data: pd.DataFrame, x: str, y: str, color: str | None = None, orientation: str = "v",
          custom: list[str] | None = None, color_map: dict | None = None, colors: tuple = PALETTE,
          labels: dict | None = None, hover: dict | None = None, barmode: str = "relative") -> go.Figure:
    """Bars drawn with graph_objects (one trace per colour group, as plotly.express would), several
    times cheaper to build than px.bar. custom_data columns go to customdata in order."""
    labels = labels or {}
    groups = [(None, data)] if color is None else [(k, g) for k, g in data.groupby(color, sort=False, dropna=False)]
    fig = go.Figure()
    for i, (key, g) in enumerate(groups):
        cd = g[custom].to_numpy() if custom else None
        extra = "".join(f"<br>{labels.get(c, c)}=%{{customdata[{j}]}}" for j, c in
                        enumerate(hover or {}, start=len(custom or [])))
        if hover:
            cols = (custom or []) + list(hover)
            cd = g[cols].to_numpy()
        cval = (color_map or {}).get(str(key)) or (colors[i % len(colors)] if color else None)
        name = "" if key is None else str(key)
        fig.add_trace(go.Bar(
            x=g[x].to_numpy(), y=g[y].to_numpy(), orientation=orientation, name=name, customdata=cd,
            marker={"color": cval} if cval else None, showlegend=color is not None, legendgroup=name,
            hovertemplate=(f"{labels.get(x, x)}=%{{x}}<br>{labels.get(y, y)}=%{{y}}"
                           + (f"<br>{labels.get(color, color)}={name}" if color else "") + extra
                           + "<extra></extra>")))
    fig.update_layout(barmode=barmode, xaxis_title=labels.get(x, x), yaxis_title=labels.get(y, y),
                      legend_title_text=labels.get(color, color) if color else None)
    return fig


def _slim_template() -> go.layout.Template:
    """plotly_white without the parts these charts never use (3D, maps, polar, colour scales, most
    trace types): assigning the full template validated it on every figure (~45 ms each)."""
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    lay = white.layout.to_plotly_json()
    for k in ("colorscale", "coloraxis", "geo", "mapbox", "polar", "ternary", "scene", "annotationdefaults",
              "shapedefaults", "autotypenumbers"):
        lay.pop(k, None)
    data = {k: v for k, v in white.data.to_plotly_json().items() if k in ("bar", "scatter", "pie")}
    return go.layout.Template(layout=lay, data=data)


TEMPLATE = _slim_template()


def _esc_values(values):
    """Strings of a trace array escaped for Plotly (numbers, dates and None kept)."""
    if values is None or isinstance(values, str):
        return escape.plotly(values) if isinstance(values, str) else values
    try:
        items = list(values)
    except TypeError:
        return values
    if not any(isinstance(v, str) for v in items):
        return values
    return [escape.plotly(v) if isinstance(v, str) else v for v in items]


def escape_text(fig: go.Figure) -> go.Figure:
    """Every data-supplied text of a figure made literal for Plotly, which renders `<a href>`,
    `<b>`, `<br>` and friends in trace names, legends, hover, text, tick labels and titles:
    a source named `<a href="http://…">링크</a>` must show as that text, not become a link.
    customdata stays raw (selections hand it back to the page as the clicked value). Runs once
    per figure (from `style`, which every builder calls)."""
    if getattr(fig, "_tm_escaped", False):
        return fig
    for tr in fig.data:
        raw_name = getattr(tr, "name", None)
        if isinstance(raw_name, str) and raw_name:
            safe = escape.plotly(raw_name)
            if safe != raw_name:
                tr.name = safe
                if getattr(tr, "hovertemplate", None):  # group names are written into the template
                    tr.hovertemplate = tr.hovertemplate.replace(f"={raw_name}", f"={safe}")
                if getattr(tr, "legendgroup", None) == raw_name:
                    tr.legendgroup = safe
        for prop in ("x", "y", "text", "hovertext", "labels"):
            if prop in tr and tr[prop] is not None:
                tr[prop] = _esc_values(tr[prop])
    if fig.layout.title and fig.layout.title.text:
        fig.layout.title.text = escape.plotly(fig.layout.title.text)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        for prop in ("categoryarray", "ticktext"):
            if axis[prop] is not None:
                axis[prop] = _esc_values(axis[prop])
    fig._tm_escaped = True
    return fig


def style(fig: go.Figure, title: str | None = None) -> go.Figure:
    escape_text(fig)
    fig.update_layout(
        font={"family": FONT, "size": 13}, title={"text": escape.plotly(title)} if title else None,
        margin={"l": 40, "r": 20, "t": 50 if title else 20, "b": 40},
        # the legend right of the plot: below it, it ran into rotated date labels and the axis title
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"}, template=TEMPLATE,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


MANY_PERIODS = 12  # above this many periods the date labels are drawn slanted


def period_axis(fig: go.Figure, order: list[str]) -> go.Figure:
    """A category x axis in period order; many (daily) periods get slanted labels that the
    margin grows to fit instead of being cut."""
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order, automargin=True,
                     tickangle=-45 if len(order) > MANY_PERIODS else 0)
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


def _period_order(labels: pd.Series) -> list[str]:
    known = sorted(set(labels) - {UNKNOWN_PERIOD})
    return known + ([UNKNOWN_PERIOD] if UNKNOWN_PERIOD in set(labels) else [])


def _lines(data: pd.DataFrame, x: str, y: str, color: str, custom: list[str], labels: dict | None = None,
           hover: dict | None = None) -> go.Figure:
    """Lines with markers, one trace per `color` value, drawn with graph_objects (cheap to build)."""
    labels = labels or {}
    cols = custom + list(hover or {})
    fig = go.Figure()
    for i, (key, g) in enumerate(data.groupby(color, sort=False, dropna=False)):
        extra = "".join(f"<br>{labels.get(c, c)}=%{{customdata[{j}]{fmt if isinstance(fmt, str) else ''}}}"
                        for j, (c, fmt) in enumerate((hover or {}).items(), start=len(custom)))
        fig.add_trace(go.Scatter(
            x=g[x].to_numpy(), y=g[y].to_numpy(), mode="lines+markers", name=str(key), legendgroup=str(key),
            customdata=g[cols].to_numpy(), line={"color": PALETTE[i % len(PALETTE)]},
            hovertemplate=(f"{labels.get(color, color)}={key}<br>{labels.get(x, x)}=%{{x}}"
                           f"<br>{labels.get(y, y)}=%{{y}}{extra}<extra></extra>")))
    fig.update_layout(xaxis_title=labels.get(x, x), yaxis_title=labels.get(y, y),
                      legend_title_text=labels.get(color, color))
    return fig


def volume_chart(df: pd.DataFrame, granularity: str = "month", title: str | None = None) -> go.Figure:
    """Stacked bars of articles per period and source (미상 period last)."""
    data = df.copy()
    data["source"] = data["source"].fillna(UNKNOWN_PERIOD)
    data["기간"] = period_labels(data["period"], granularity)
    fig = _bars(data, "기간", "articles", color="source", barmode="stack", custom=["source", "기간"],
                labels={"articles": "기사 수", "source": "매체"})
    style(fig, title)
    return period_axis(fig, _period_order(data["기간"]))


def source_bar(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Articles per source (from the volume query), largest first; custom_data = source."""
    data = df.assign(source=df["source"].fillna(UNKNOWN_PERIOD)).groupby("source", as_index=False)["articles"].sum()
    data = data.sort_values("articles")
    fig = _bars(data, "articles", "source", orientation="h", custom=["source"],
                labels={"articles": "기사 수", "source": "매체"}, colors=PALETTE[:1])
    fig.update_traces(marker_color=PALETTE[0])
    return style(fig, title)


def keyword_trend_chart(df: pd.DataFrame, granularity: str = "month", measure: str = "articles",
                        title: str | None = None) -> go.Figure:
    """One line per term over time; measure is articles, share or per_10k. custom_data = term, 기간."""
    data = df.copy()
    data["기간"] = period_labels(data["period"], granularity)
    if "source" in data.columns:
        data["series"] = data["term"].astype(str) + " · " + data["source"].fillna(UNKNOWN_PERIOD).astype(str)
    else:
        data["series"] = data["term"]
    order = _period_order(data["기간"])
    data["_o"] = data["기간"].map({p: i for i, p in enumerate(order)})
    data = data.sort_values(["series", "_o"])
    fig = _lines(data, "기간", measure, "series", ["term", "기간"],
                 labels={measure: MEASURES.get(measure, measure), "series": "검색어", "term": "단어"})
    style(fig, title)
    return period_axis(fig, order)


def term_bar(df: pd.DataFrame, value: str, label: str = "term", title: str | None = None,
             color: str | None = None, n: int = 30) -> go.Figure:
    """Horizontal bars of the first n rows by `value` (largest on top); custom_data = label."""
    data = df.head(n).iloc[::-1]
    fig = _bars(data, value, label, color=color, orientation="h", custom=[label],
                color_map=TONE_COLORS | KIND_COLORS, labels=FIELDS)
    if color is None:
        fig.update_traces(marker_color=PALETTE[0])
    fig.update_yaxes(type="category", title=None)
    fig.update_layout(height=max(300, 22 * len(data) + 80))
    return style(fig, title)


def rising_chart(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Diverging bars of log₂ growth per term (0 = unchanged): a term at a quarter of its baseline
    rate is as long a bar (-2) as one at four times (+2), where a plain ratio drew fading terms as
    near-zero bars. Coloured by direction (상승 / 하락)."""
    data = df.copy()
    growth = pd.to_numeric(data["growth"], errors="coerce").replace([np.inf, -np.inf], np.nan)
    cap = growth.abs().max()
    data["growth"] = growth.fillna(cap if pd.notna(cap) else 1.0)
    data["log2_growth"] = np.log2(data["growth"].clip(lower=1e-9))
    data["direction"] = data["direction"].map(lambda d: DIRECTION.get(str(d), str(d)))
    data = data.sort_values("log2_growth")
    hover = {c: True for c in ("count", "baseline_count", "growth") if c in data.columns}
    fig = _bars(data, "log2_growth", "term", color="direction", orientation="h", custom=["term"], hover=hover,
                color_map={DIRECTION["rising"]: "#2e7d32", DIRECTION["fading"]: "#c62828",
                           DIRECTION["new"]: "#2f6f8f"},
                labels=FIELDS | {"log2_growth": "증감 log₂ (최근 비율 ÷ 기준 비율)"})
    fig.update_yaxes(type="category", title=None)
    fig.add_vline(x=0, line_color="#888", line_width=1)
    fig.update_layout(height=max(300, 22 * len(data) + 80))
    return style(fig, title)


def distinctive_chart(df: pd.DataFrame, label_a: str = "A", label_b: str = "B",
                      title: str | None = None) -> go.Figure:
    """Log-odds z-scores: positive leans to group A, negative to group B."""
    data = df.sort_values("z").copy()
    data["그룹"] = np.where(data["z"] >= 0, label_a, label_b)
    fig = px.bar(data, x="z", y="term", orientation="h", color="그룹", custom_data=["term"],
                 color_discrete_sequence=["#2f6f8f", "#c0504d"],
                 hover_data={"count_a": True, "count_b": True, "log_odds": ":.2f"},
                 labels={k: FIELDS[k] for k in ("z", "term", "count_a", "count_b", "log_odds")})
    fig.update_yaxes(type="category")
    fig.update_layout(height=max(300, 22 * len(data) + 80))
    return style(fig, title)


TONE_MEASURES = {"neg_share": "부정 문장 비율", "pos_share": "긍정 문장 비율", "mean_score": "평균 어조 (mean tone)",
                 "neg_article_share": "부정 기사 비율", "pos_article_share": "긍정 기사 비율"}
SMALL_NOTE = "표본 작음 (small sample)"


def _tone_hover(data: pd.DataFrame) -> pd.DataFrame:
    """Hover columns: n, counts by label, the 95 % interval and the small flag, as text."""
    out = pd.DataFrame(index=data.index)
    nan = pd.Series(np.nan, index=data.index)
    arts, sents = data.get("articles", nan), data.get("sentences", nan)
    out["n"] = [" · ".join(([f"기사 {int(a):,}"] if pd.notna(a) else []) + ([f"문장 {int(k):,}"] if pd.notna(k) else []))
                or "–" for a, k in zip(arts, sents, strict=True)]
    if {"neg_sentences", "neu_sentences", "pos_sentences"} <= set(data.columns):
        out["counts"] = [f"부정 {int(a)} · 중립 {int(b)} · 긍정 {int(c)}" for a, b, c in
                         zip(data["neg_sentences"], data["neu_sentences"], data["pos_sentences"], strict=True)]
    else:
        out["counts"] = ""
    if {"neg_articles", "neu_articles", "pos_articles"} <= set(data.columns):
        out["acounts"] = [f"부정 {int(a)} · 중립 {int(b)} · 긍정 {int(c)}" for a, b, c in
                          zip(data["neg_articles"], data["neu_articles"], data["pos_articles"], strict=True)]
    else:
        out["acounts"] = ""

    def ci(t: str) -> list[str]:
        if {f"{t}_lo", f"{t}_hi"} <= set(data.columns):
            return [f"{lo:.0%}–{hi:.0%}" if pd.notna(lo) else "–" for lo, hi in
                    zip(data[f"{t}_lo"], data[f"{t}_hi"], strict=True)]
        return ["–"] * len(data)
    out["neg_ci"], out["pos_ci"] = ci("neg"), ci("pos")
    out["small"] = [SMALL_NOTE if bool(x) else "" for x in data.get("small", pd.Series(False, index=data.index))]
    return out


_TONE_HOVER = ("<br>표본 n: %{customdata[2]}<br>문장 수 (부정·중립·긍정): %{customdata[3]}"
               "<br>기사 수 (부정·중립·긍정): %{customdata[4]}<br>부정 비율 95% 구간: %{customdata[5]}"
               "<br>긍정 비율 95% 구간: %{customdata[6]}<br>%{customdata[7]}<extra></extra>")


def sentiment_time_chart(df: pd.DataFrame, granularity: str = "month", title: str | None = None,
                         measure: str = "neg_share") -> go.Figure:
    """One line per source over time: the share of negative (or positive) sentences, with its
    Wilson 95 % interval as error bars; small groups (few articles or sentences) drawn as hollow
    markers and named in the hover with their n. custom_data = source, 기간."""
    data = df.copy()
    data["source"] = data["source"].fillna(UNKNOWN_PERIOD)
    data["기간"] = period_labels(data["period"], granularity)
    order = _period_order(data["기간"])
    data["_o"] = data["기간"].map({p: i for i, p in enumerate(order)})
    data = data.sort_values(["source", "_o"])
    if measure not in data.columns:
        measure = "mean_score"
    hov = _tone_hover(data)
    label = TONE_MEASURES.get(measure, measure)
    fig = go.Figure()
    for i, (src, g) in enumerate(data.groupby("source", sort=False)):
        h = hov.loc[g.index]
        cd = np.column_stack([g["source"], g["기간"], h["n"], h["counts"], h["acounts"], h["neg_ci"],
                              h["pos_ci"], h["small"]])
        err = None
        t = measure.split("_")[0]
        if measure in ("neg_share", "pos_share") and {f"{t}_lo", f"{t}_hi"} <= set(g.columns):
            err = {"type": "data", "symmetric": False, "array": (g[f"{t}_hi"] - g[measure]).to_numpy(),
                   "arrayminus": (g[measure] - g[f"{t}_lo"]).to_numpy(), "thickness": 1, "width": 3}
        small = g["small"].to_numpy(dtype=bool) if "small" in g else np.zeros(len(g), bool)
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(
            x=g["기간"].to_numpy(), y=g[measure].to_numpy(), mode="lines+markers", name=str(src),
            legendgroup=str(src), customdata=cd, error_y=err, line={"color": color},
            marker={"symbol": ["circle-open" if x else "circle" for x in small], "size": 9, "color": color},
            hovertemplate=f"매체=%{{customdata[0]}}<br>기간=%{{x}}<br>{label}=%{{y:.1%}}" + _TONE_HOVER
            if measure != "mean_score" else "매체=%{customdata[0]}<br>기간=%{x}<br>평균 어조=%{y:.2f}" + _TONE_HOVER))
    fig.update_layout(xaxis_title="기간", yaxis_title=label, legend_title_text="매체")
    if measure == "mean_score":
        fig.add_hline(y=0, line_dash="dot", line_color="#888")
    else:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    style(fig, title)
    return period_axis(fig, order)


def sentiment_source_chart(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Stacked shares of negative / neutral / positive sentences per source; the hover gives the
    counts, n and intervals, and small sources are marked `(n 작음)` on their axis label."""
    data = df.copy()
    data["source"] = data["source"].fillna(UNKNOWN_PERIOD)
    if "neu_share" not in data:
        data["neu_share"] = (1 - data["pos_share"] - data["neg_share"]).clip(lower=0)
    hov = _tone_hover(data)
    small = data["small"].astype(bool) if "small" in data else pd.Series(False, index=data.index)
    data["axis"] = [f"{s} (n 작음)" if x else str(s) for s, x in zip(data["source"], small, strict=True)]
    fig = go.Figure()
    for col, name in (("pos_share", "긍정"), ("neu_share", "중립"), ("neg_share", "부정")):
        cd = np.column_stack([data["source"], np.full(len(data), name), hov["n"], hov["counts"], hov["acounts"],
                              hov["neg_ci"], hov["pos_ci"], hov["small"]])
        fig.add_trace(go.Bar(x=data[col].to_numpy(), y=data["axis"].to_numpy(), orientation="h", name=name,
                             marker={"color": TONE_COLORS[name]}, customdata=cd, legendgroup=name,
                             hovertemplate="매체=%{customdata[0]}<br>어조=%{customdata[1]}<br>비율=%{x:.1%}"
                             + _TONE_HOVER))
    fig.update_layout(barmode="stack", xaxis_title="문장 비율", yaxis_title="매체", legend_title_text="어조")
    fig.update_xaxes(tickformat=".0%")
    return style(fig, title)


def sentiment_driver_chart(df: pd.DataFrame, tone: str, title: str | None = None, n: int = 20) -> go.Figure:
    """The words most often in sentences of one tone (감성 연관어), most on top; the hover gives
    that count, all the word's sentences, its share and lift. custom_data = term, tone."""
    data = df[df["tone"] == tone].head(n).iloc[::-1]
    name = {"negative": "부정", "positive": "긍정"}.get(tone, tone)
    cd = np.column_stack([data["term"], data["tone"], data["sentences"], data["share"], data["lift"],
                          data["articles"], [SMALL_NOTE if x else "" for x in data["small"]]]) if len(data) else None
    fig = go.Figure(go.Bar(
        x=data["count"].to_numpy(), y=data["term"].to_numpy(), orientation="h", customdata=cd,
        marker={"color": TONE_COLORS.get(tone, PALETTE[0])}, name=name,
        hovertemplate=(f"단어=%{{customdata[0]}}<br>{name} 문장=%{{x}}<br>이 단어의 전체 문장=%{{customdata[2]}}"
                       f"<br>{name} 비율=%{{customdata[3]:.0%}}<br>향상도 (lift)=%{{customdata[4]:.2f}}"
                       "<br>기사 수=%{customdata[5]}<br>%{customdata[6]}<extra></extra>")))
    fig.update_layout(xaxis_title=f"{name} 문장 수", height=max(300, 22 * len(data) + 80))
    fig.update_yaxes(type="category", title=None)
    return style(fig, title)


def tone_pie(summary: dict, title: str | None = None) -> go.Figure:
    """Positive / neutral / negative sentences from a summary: counts when it has them (the pie
    then shows them in the hover), else the shares pos_share and neg_share."""
    if all(summary.get(k) is not None for k in ("neg_sentences", "neu_sentences", "pos_sentences")):
        counts = {"긍정": summary["pos_sentences"], "중립": summary["neu_sentences"], "부정": summary["neg_sentences"]}
    else:
        pos = float(summary.get("pos_share") or 0.0)
        neg = float(summary.get("neg_share") or 0.0)
        counts = {"긍정": pos, "중립": max(0.0, 1.0 - pos - neg), "부정": neg}
    fig = go.Figure(go.Pie(labels=list(counts), values=list(counts.values()), hole=0.5,
                           marker={"colors": [TONE_COLORS[k] for k in counts]}, sort=False,
                           hovertemplate="%{label}: %{value} (%{percent})<extra></extra>"))
    return style(fig, title)


def timeline_chart(df: pd.DataFrame, granularity: str = "month", title: str | None = None) -> go.Figure:
    """A generic count-over-time line: first numeric column per period (per source when present)."""
    data = df.copy()
    data["기간"] = period_labels(data["period"], granularity)
    value = next(c for c in ("mentions", "articles", "count") if c in data.columns)
    color = "source" if "source" in data.columns else None
    if color:
        data["source"] = data["source"].fillna(UNKNOWN_PERIOD)
    fig = _bars(data, "기간", value, color=color, custom=["기간"],
                labels={value: "언급 수" if value == "mentions" else "기사 수", "source": "매체"})
    if color is None:
        fig.update_traces(marker_color=PALETTE[0])
    style(fig, title)
    return period_axis(fig, _period_order(data["기간"]))


EDGE_CLASSES = 5
LAYOUT_ITERATIONS = 50
BIG_NETWORK = 150  # above this many nodes a cheap circular layout replaces the force layout
EDGES_PER_NODE = 3  # a node keeps its strongest links: 30 nodes with every link were a hairball
LABELLED_NODES = 20  # the largest nodes (and the largest of each community) carry a text label
SYMBOLS = {"term": "circle", "PS": "diamond", "OG": "square", "LC": "triangle-up"}


def layout(g: nx.Graph, seed: int = 7) -> dict:
    """Node positions: a seeded spring layout, circular for very large graphs."""
    if not len(g):
        return {}
    if len(g) > BIG_NETWORK:
        return nx.circular_layout(g)
    return nx.spring_layout(g, seed=seed, weight="weight", iterations=LAYOUT_ITERATIONS)


def strongest_edges(edges: pd.DataFrame, per_node: int = EDGES_PER_NODE, by: str = "weight") -> pd.DataFrame:
    """The backbone: an edge stays when it is among the `per_node` strongest (column `by`) of
    either of its nodes (ties broken by the other node's name, so the result does not depend on
    row order)."""
    if edges.empty:
        return edges
    e = edges.reset_index(drop=True)
    ends = pd.concat([pd.DataFrame({"node": e["source"], "other": e["target"], "s": e[by], "i": e.index}),
                      pd.DataFrame({"node": e["target"], "other": e["source"], "s": e[by], "i": e.index})])
    ends["other"] = ends["other"].astype(str)
    ranked = ends.sort_values(["s", "other"], ascending=[False, True], kind="stable")
    keep = sorted(set(ranked.groupby("node", sort=False).head(per_node)["i"]))
    return e.loc[keep].sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def communities(nodes: list, edges: pd.DataFrame, seed: int = 7) -> dict:
    """Node -> community number (0 = the largest) by networkx's Louvain method on the edge
    weights, seeded so a figure is the same on every run; an unlinked node is its own community."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for r in edges.itertuples(index=False):
        if r.source in g and r.target in g:
            g.add_edge(r.source, r.target, weight=float(r.weight))
    groups = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else \
        [{n} for n in nodes]
    order = {n: i for i, n in enumerate(nodes)}  # nodes come largest first
    groups = sorted(groups, key=lambda c: (-len(c), min(order[n] for n in c)))
    return {n: i for i, c in enumerate(groups) for n in c}


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, kind_col: str = "kind",
                  title: str | None = None, seed: int = 7, per_node: int = EDGES_PER_NODE,
                  labelled: int = LABELLED_NODES) -> go.Figure:
    """A readable network: each node's strongest links only (strongest_edges), nodes coloured by
    Louvain community (legend: the community's largest node), shaped by kind (● 단어 ◆ 인물 ■ 기관
    ▲ 장소), sized by articles, and labelled when they are among the largest `labelled` or the
    largest of their community; every node names itself on hover."""
    nodes = nodes.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)
    ids = list(nodes["id"])
    e = edges[edges["source"].isin(set(ids)) & edges["target"].isin(set(ids))]
    # links ranked by how much two nodes' articles overlap (Jaccard), not by the raw count, which
    # sends every node's strongest links to the two or three most frequent nodes (a star)
    size = dict(zip(ids, nodes["size"].astype(float), strict=True))
    union = np.array([size[a] + size[b] for a, b in zip(e["source"], e["target"], strict=True)], dtype=float)
    e = e.assign(jaccard=e["weight"].astype(float) / np.maximum(union - e["weight"].astype(float), 1.0))
    backbone = strongest_edges(e, per_node, by="jaccard")
    comm = communities(ids, backbone.assign(weight=backbone["jaccard"]), seed)
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_weighted_edges_from((r.source, r.target, float(r.jaccard)) for r in backbone.itertuples(index=False))
    pos = layout(g, seed)
    fig = go.Figure()
    wmax = max([float(w) for w in backbone["weight"]] or [1.0])
    # edges in a few width classes, one trace each (None breaks the line): a trace per edge made
    # the figure slow to build and to serialise
    buckets: dict[int, tuple[list, list]] = {}
    for r in backbone.itertuples(index=False):
        (x0, y0), (x1, y1) = pos[r.source], pos[r.target]
        b = min(EDGE_CLASSES - 1, int(EDGE_CLASSES * float(r.weight) / wmax))
        xs, ys = buckets.setdefault(b, ([], []))
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    for b, (xs, ys) in sorted(buckets.items()):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": 0.5 + 4 * (b + 1) / EDGE_CLASSES, "color": "#b0bec5"}))
    smax = max([float(x) for x in nodes["size"]] or [1.0])
    kinds = (nodes[kind_col].fillna("term") if kind_col in nodes.columns else pd.Series("term", index=nodes.index))
    nodes = nodes.assign(_kind=kinds.astype(str), _comm=[comm[i] for i in ids])
    shown = set(ids[:labelled]) | set(nodes.groupby("_comm", sort=False)["id"].first())
    for c, sub in nodes.groupby("_comm", sort=True):
        head = str(sub["label"].iloc[0])
        # the legend entry is a plain circle of the community's colour (a node trace's legend symbol
        # would be its first node's shape); clicking it hides the community's nodes too
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"묶음 {c + 1}: {head}",
                                 legendgroup=f"c{c}", hoverinfo="skip",
                                 marker={"size": 12, "color": PALETTE[c % len(PALETTE)], "symbol": "circle"}))
        fig.add_trace(go.Scatter(
            x=[pos[i][0] for i in sub["id"]], y=[pos[i][1] for i in sub["id"]], mode="markers+text",
            name=f"묶음 {c + 1}: {head}", legendgroup=f"c{c}", showlegend=False,
            text=[str(lab) if i in shown else "" for i, lab in zip(sub["id"], sub["label"], strict=True)],
            textposition="top center",
            customdata=np.column_stack([sub["label"].astype(str), sub["_kind"].map(lambda k: KIND.get(k, k)),
                                        sub["size"].astype("int64")]),
            marker={"size": [10 + 30 * float(x) / smax for x in sub["size"]], "color": PALETTE[c % len(PALETTE)],
                    "symbol": [SYMBOLS.get(k, "circle") for k in sub["_kind"]], "line": {"width": 1, "color": "#fff"}},
            hovertemplate="%{customdata[0]}<br>종류=%{customdata[1]}<br>기사 수=%{customdata[2]}"
                          f"<br>묶음={c + 1}<extra></extra>"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=600, legend_title_text="묶음 (공동체) Community")
    if len(set(nodes["_kind"])) > 1:  # the shapes are read off this note, the colours off the legend
        fig.add_annotation(text="모양: ● 단어  ◆ 인물  ■ 기관  ▲ 장소", xref="paper", yref="paper", x=0, y=-0.02,
                           xanchor="left", yanchor="top", showarrow=False, font={"size": 12, "color": "#666"})
    return style(fig, title)


def font_file() -> Path | None:
    """The system Noto Sans CJK font file (for images drawn outside the browser), or None."""
    for p in FONT_FILES:
        if Path(p).exists():
            return Path(p)
    return None


CLOUD_SIZE = (800, 400)
CLOUD_WORDS = 100


def wordcloud_image(weights: dict[str, float], width: int = CLOUD_SIZE[0], height: int = CLOUD_SIZE[1],
                    max_words: int = CLOUD_WORDS) -> np.ndarray:
    """A word cloud drawn with the Korean font; raises FileNotFoundError when the font is absent."""
    from wordcloud import WordCloud

    font = font_file()
    if font is None:
        raise FileNotFoundError("Noto Sans CJK 글꼴이 없습니다 (sudo apt-get install fonts-noto-cjk)")
    # the layout is searched on a half-size canvas and drawn at scale 2: about half the time
    scale = 2 if width >= 400 and width % 2 == 0 and height % 2 == 0 else 1
    wc = WordCloud(font_path=str(font), width=width // scale, height=height // scale, scale=scale,
                   background_color="white", colormap="viridis", prefer_horizontal=0.95, random_state=7,
                   max_words=max_words)
    return wc.generate_from_frequencies({k: float(v) for k, v in weights.items() if v and v > 0}).to_array()


def wordcloud_figure(weights: dict[str, float], title: str | None = None) -> go.Figure:
    """The word cloud as a Plotly image figure (so it downloads like every other chart).

    The image goes in as one PNG data URI (go.Image source), cheaper than plotly.express.imshow."""
    import base64
    import io

    from PIL import Image

    img = wordcloud_image(weights)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", compress_level=1)
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    fig = go.Figure(go.Image(source=src, hoverinfo="skip"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return style(fig, title)


def keyword_cloud(top: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The word cloud of a top_keywords result (weights = term frequency)."""
    return wordcloud_figure(dict(zip(top["term"], top["tf"], strict=True)), title)


# ---- topics and query comparison (built in dashboard/topic_charts.py) ---------------------------
# Named here too, so that pages find every builder in this one module (data.figure caches any); the
# import is deferred because topic_charts builds on this module.
def topic_time_chart(*args: object, **kwargs: object) -> go.Figure:
    from dashboard import topic_charts

    return topic_charts.topic_time_chart(*args, **kwargs)


def topic_source_chart(*args: object, **kwargs: object) -> go.Figure:
    from dashboard import topic_charts

    return topic_charts.topic_source_chart(*args, **kwargs)


def k_scores_chart(*args: object, **kwargs: object) -> go.Figure:
    from dashboard import topic_charts

    return topic_charts.k_scores_chart(*args, **kwargs)


def query_trend_chart(*args: object, **kwargs: object) -> go.Figure:
    from dashboard import topic_charts

    return topic_charts.query_trend_chart(*args, **kwargs)
