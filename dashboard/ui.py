"""Page building blocks: a chart or table with its downloads, empty messages, drill-down lists.

Downloads are generated on demand (`data=callable`, `on_click="ignore"`): nothing is rendered
until the user clicks, and a click does not rerun the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.config import UNKNOWN
from analytics.filters import Filters
from analytics.store import StoreCorrupt
from dashboard import data, escape, export, labels

EMPTY = "선택한 필터에 해당하는 결과가 없습니다. 필터를 넓혀 보세요. (No results for these filters.)"


def esc(text: object) -> str:
    """User or data text as literal markdown (dashboard.escape.markdown): for every name, title,
    term, URL parameter and error message put into st.markdown, captions, alerts or labels."""
    return escape.markdown(text)


def caption(f: Filters) -> str:
    return export.provenance(f.describe(), data.current_version())


def empty(msg: str = EMPTY) -> None:
    """An 'empty result' note; the message is escaped (callers put terms and names in it)."""
    st.info(esc(msg), icon="🔍")


def alert(kind: str, msg: str) -> None:
    """st.error / st.warning / st.success / st.info of a message holding user or data text, escaped."""
    getattr(st, kind)(esc(msg))


def store_damage() -> StoreCorrupt | None:
    """The damaged tables of the store with what to do, or None (also when it cannot be checked)."""
    return data.store_damage()


def is_empty(obj: object) -> bool:
    if obj is None:
        return True
    if isinstance(obj, pd.DataFrame):
        return obj.empty
    if isinstance(obj, tuple | list):
        return all(is_empty(o) for o in obj) if obj else True
    return False


def _downloads_chart(fig: go.Figure, key: str, name: str, f: Filters) -> None:
    cap = caption(f)
    stem = export.file_stem(name, f.describe(), data.current_version())
    row = st.container(horizontal=True)
    cols = [row, row, row]
    png: Callable[[], bytes] = lambda: export.figure_image(fig, cap, "png", title=name)  # noqa: E731
    svg: Callable[[], bytes] = lambda: export.figure_image(fig, cap, "svg", title=name)  # noqa: E731
    html: Callable[[], bytes] = lambda: export.figure_html(fig, cap, title=name)  # noqa: E731
    cols[0].download_button("PNG", png, f"{stem}.png", "image/png", key=f"{key}_png", on_click="ignore",
                            icon=":material/download:")
    cols[1].download_button("SVG", svg, f"{stem}.svg", "image/svg+xml", key=f"{key}_svg", on_click="ignore",
                            icon=":material/download:")
    cols[2].download_button("HTML", html, f"{stem}.html", "text/html", key=f"{key}_html", on_click="ignore",
                            icon=":material/download:")


def chart(fig: go.Figure, key: str, name: str, f: Filters, select: bool = False,
          selection_mode: str = "points") -> list[dict]:
    """Show a figure with PNG/SVG/HTML downloads; with select=True, return the selected points."""
    if select:
        event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode=selection_mode, width="stretch")
    else:
        st.plotly_chart(fig, key=key, width="stretch")
        event = None
    _downloads_chart(fig, key, name, f)
    try:
        return list(event.selection.points) if event else []
    except AttributeError:
        return list((event or {}).get("selection", {}).get("points", []))


def downloads_table(df: pd.DataFrame, key: str, name: str, f: Filters) -> None:
    desc, v = f.describe(), data.current_version()
    row = st.container(horizontal=True)
    cols = [row, row]
    cols[0].download_button("CSV", lambda: export.table_csv(df), export.file_name(name, desc, v, "csv"), "text/csv",
                            key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    cols[1].download_button("XLSX", lambda: export.table_xlsx(df, desc, v, name=name),
                            export.file_name(name, desc, v, "xlsx"),
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")


def table(df: pd.DataFrame, key: str, name: str, f: Filters, select: bool = False, **kwargs) -> list[int]:
    """Show a table (as data, never HTML) with CSV/XLSX downloads; returns selected row positions.
    Headers are the Korean labels of dashboard.labels unless `column_config` says otherwise."""
    kwargs["column_config"] = labels.columns(df) | dict(kwargs.get("column_config") or {})
    if select:
        ev = st.dataframe(df, key=key, hide_index=True, width="stretch", on_select="rerun",
                          selection_mode="single-row", **kwargs)
        rows = list(ev.selection.rows) if ev else []
    else:
        st.dataframe(df, key=key, hide_index=True, width="stretch", **kwargs)
        rows = []
    downloads_table(df, key, name, f)
    return rows


ARTICLE_COLS = {"published": "일자", "source": "매체", "title": "제목", "author": "저자",
                "url": st.column_config.LinkColumn("URL")}


def safe_link(url: object) -> str | None:
    """The URL if it is a plain http(s) link to a host, else None: article URLs are scraped data,
    and a `javascript:` or `data:` URL must never become a clickable link."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        return None
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    return u if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(
        ch in u for ch in "\"\'<> \n\r\t") else None


def query_table(query: Callable[..., Any], args: tuple, key: str, title: str, f: Filters,
                empty_msg: str = EMPTY, column_config: dict | None = None) -> Any:
    """`query(*args)` (a typed function of dashboard.data) as a table with downloads, or `empty_msg`
    when it has no rows (after a failure, data's message alone); returns the result."""
    df = query(*args)
    if df is not None and is_empty(df):
        empty(empty_msg)
    elif df is not None:
        table(df, key, title, f, column_config=column_config)
    return df


class Drill(NamedTuple):
    """A chart's drill-down: the URL parameter holding the picked element (`n` values, see
    state.chart_pick), and `to(pick) -> (filters, heading)` of the articles behind it."""
    param: str
    n: int
    to: Callable[[tuple], tuple[Filters, str]]
    key: str


def drill_period_source(f: Filters, gran: str, param: str, key: str) -> Drill:
    """The drill-down of a (source, period) chart element: that source's articles of that period."""
    from dashboard import state

    return Drill(param, 2, lambda p: (state.drill_filters(f, period=p[1], gran=gran, source=p[0]),
                                      f"{p[1]} · {p[0]} 기사"), key)


def drill_source(f: Filters, param: str, key: str) -> Drill:
    """The drill-down of a (source,) chart element: that source's articles."""
    from dashboard import state

    return Drill(param, 1, lambda p: (state.drill_filters(f, source=p[0]), f"{p[0]} 기사"), key)


class Shown(NamedTuple):
    result: Any  # the query's result, None when it failed or was empty
    pick: tuple | None  # the drilled-down element, None without a selection
    points: list[dict] = []  # the selected points (select=True or a drill-down)


def query_chart(query: Callable[..., Any], args: tuple, builder: Callable[..., go.Figure], *bargs: object,
                key: str, title: str, f: Filters, empty_msg: str | None = EMPTY, bkw: dict | None = None,
                spread: bool = False, drill: Drill | None = None, table_at: str | None = None,
                column_config: dict | None = None, note: str | None = None, select: bool = False) -> Shown:
    """The block of the overview, keyword and sentiment pages, arguments written once:
    `query(*args)` → empty message → cached chart `builder(result, *bargs, **bkw)` with downloads →
    the articles behind a selected element (`drill`) → the table ("below" or in an "expander");
    `note` is a caption above the chart."""
    res = query(*args)
    if is_empty(res):
        if res is not None and empty_msg:  # a failed query has already said why; None: say nothing
            empty(empty_msg)
        return Shown(None, None)
    if note:
        st.caption(note)
    fig = data.figure(builder, query, args, *bargs, spread=spread, **(bkw or {}))
    pts = chart(fig, key, title, f, select=select or drill is not None)
    pick = None
    if drill is not None:
        from dashboard import state

        pick = state.chart_pick(drill.param, pts, drill.n)
        if pick:
            df, heading = drill.to(tuple(pick))
            article_list(df, drill.key, heading)
    if table_at == "expander":
        with st.expander("표 Table"):
            table(res, f"{key}_tbl", title, f, column_config=column_config)
    elif table_at == "below":
        table(res, f"{key}_tbl", title, f, column_config=column_config)
    return Shown(res, tuple(pick) if pick else None, pts)


def article_list(f: Filters, key: str, heading: str) -> None:
    """The articles behind a chart element (drill-down), with downloads."""
    arts = data.articles(f)
    st.markdown(f"#### {esc(heading)}")
    if arts is None or arts.empty:
        empty("이 항목에 해당하는 기사가 없습니다. (No articles behind this point.)")
        return
    view = display_articles(arts)
    table(view, key, "기사 목록", f, column_config=ARTICLE_COLS)


def date_text(dates: pd.Series, labels: pd.Series | None = None) -> pd.Series:
    """Dates as text: the query's `date_label` (which respects the date's precision: 2024, 2024-03,
    2024-03-05) where there is one, else the published value; 미상 when unknown."""
    out = dates.astype("string")
    if labels is not None:
        out = labels.astype("string").where(labels.notna() & (labels.astype("string") != ""), out)
    return out.fillna(UNKNOWN)


def display_articles(arts: pd.DataFrame) -> pd.DataFrame:
    """The article columns a person reads; unknown values shown as 미상. The date column is the
    `date_label` when analytics.queries provides one (kept under the name `published`)."""
    cols = [c for c in ("published", "source", "title", "author", "url", "id") if c in arts.columns]
    view = arts[cols].copy()
    if "published" in view:
        view["published"] = date_text(view["published"], arts["date_label"] if "date_label" in arts else None)
    for c in ("source", "author"):
        if c in view:
            view[c] = view[c].fillna(UNKNOWN)
    if "title" in view:
        view["title"] = view["title"].fillna("(제목 미상)")
    if "url" in view:
        view["url"] = view["url"].map(safe_link)
    return view


def spike_explanation(f: Filters, period: str, gran: str, key: str) -> None:
    """이 시기에 두드러진 단어: the rising terms of a selected period against the equally long period
    before it, and representative articles (analytics.queries.explain_spike)."""
    from dashboard import state

    rng = state.period_range(period, gran)
    st.markdown(f"#### 이 시기에 두드러진 단어 Why this period · {esc(period)}")
    if rng is None:
        empty("날짜 미상 기사는 시기를 비교할 수 없습니다. (Undated articles have no period to compare.)")
        return
    res = data.explain_spike(f, rng[0], rng[1], 15, 5)
    if res is None:
        return
    terms, arts = res
    if is_empty(terms):
        empty("직전 같은 길이의 기간보다 두드러지게 늘어난 단어가 없습니다. (No term rose against the period before.)")
        return
    st.caption(f"{rng[0]} ~ {rng[1]}을 직전 같은 길이의 기간과 비교했습니다 (G² 순). "
               "(Compared with the equally long period just before, ranked by G².)")
    left, right = st.columns([2, 3])
    with left:
        tcols = [c for c in ("term", "count", "baseline_count", "growth", "g2") if c in terms.columns]
        table(terms[tcols], f"{key}_terms", f"두드러진 단어 {period}", f,
              column_config={"term": "단어", "count": "이 시기", "baseline_count": "직전 기간",
                             "growth": st.column_config.NumberColumn("증감 growth", format="%.2f"),
                             "g2": st.column_config.NumberColumn("G²", format="%.1f")})
    with right:
        if is_empty(arts):
            empty("대표 기사가 없습니다. (No representative articles.)")
        else:
            table(display_articles(arts), f"{key}_arts", f"대표 기사 {period}", f,
                  column_config=ARTICLE_COLS | {"id": None})


def no_store() -> bool:
    """Show the empty-store (or damaged-store) message and return True when there is nothing to
    show yet."""
    if data.corpus() is None:
        damage = store_damage()
        if damage is not None:  # not "no store": which table is damaged and what to do
            alert("error", str(damage))
            return True
        st.info("저장소가 비어 있습니다. 데이터 페이지에서 파일을 올리거나 `make run`으로 예시 기사를 불러오세요. "
                "(No store yet.)")
        return True
    return False


def mark_entities(text: str, names: list[str]) -> str:
    """The text with each entity mention wrapped in 【】 (longest names first, no nesting)."""
    import re

    names = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return pattern.sub(lambda m: f"【{m.group(0)}】", text)


TONE_BG = {"positive": "#d9f2dc", "negative": "#f9d9d9", "긍정": "#d9f2dc", "부정": "#f9d9d9",
           "pos": "#d9f2dc", "neg": "#f9d9d9"}
TONE_COLS = {"text": st.column_config.TextColumn("문장 sentence", width="large"), "label": "어조 label",
             "score": st.column_config.NumberColumn("점수 score", format="%.2f"),
             "published": "일자", "source": "매체", "title": "제목"}


def tone_table(df: pd.DataFrame, key: str) -> None:
    """Sentences as a table (text, never HTML), each row shaded by its tone label."""
    def shade(row: pd.Series) -> list[str]:
        bg = TONE_BG.get(str(row.get("label")), "")
        return [f"background-color: {bg}" if bg else ""] * len(row)

    if "label" in df.columns:  # 긍정 / 중립 / 부정, not positive / neutral / negative
        df = df.assign(label=df["label"].map(labels.tone))
    st.dataframe(df.style.apply(shade, axis=1), hide_index=True, width="stretch", key=key,
                 column_config=labels.columns(df) | TONE_COLS)


def evidence_view(ev: pd.DataFrame) -> pd.DataFrame:
    """Evidence sentences for display: date/source/title (미상 when unknown), sentence, label, score."""
    cols = [c for c in ("published", "source", "title", "text", "label", "score") if c in ev.columns]
    out = ev[cols].copy()
    if "published" in out:
        out["published"] = out["published"].astype("string").fillna(UNKNOWN)
    for c in ("source", "title"):
        if c in out:
            out[c] = out[c].fillna(UNKNOWN)
    return out
