"""The 검색식 비교 block (keywords page): Boolean keyword queries compared over time.

Each line is one series in the sidebar's query syntax (AND, OR, parentheses, quotes), applied on
top of the sidebar filters; the series live in the URL like every other widget.
"""

from __future__ import annotations

import streamlit as st

from analytics.filters import Filters
from analytics.queries.topics import QUERY_SERIES_MAX, series_filters
from dashboard import charts, data, state, ui

QUERY_MEASURES = {"articles": "기사 수", "share": "비율 (share)", "per_10k": "1만 기사당 (per 10k articles)"}


def parse_series(raw: str) -> list[str]:
    """One query per line (blank lines ignored, duplicates once), at most QUERY_SERIES_MAX."""
    return list(dict.fromkeys(ln.strip() for ln in (raw or "").splitlines() if ln.strip()))


def section(f: Filters, gran: str) -> None:
    st.subheader("검색식 비교 Compare queries over time")
    c1, c2, c3 = st.columns([4, 2, 1])
    # the raw text is its own URL code (a text area has no formatted value), so Streamlit's binding suffices
    raw = c1.text_area("검색식 (한 줄에 하나, 최대 8개) Queries, one per line", key="qc_series",
                       placeholder="예:\n테슬라 AND 주가\n니콜라 OR 수소트럭", height=110, bind="query-params")
    measure = state.select("척도 Measure", list(QUERY_MEASURES), "qc_measure", "qmeasure", widget="radio",
                           where=c2, format_func=QUERY_MEASURES.get)
    by_source = state.toggle("매체별 by source", "qc_bysrc", "qbysrc", where=c3)
    series = parse_series(raw)
    if len(series) > QUERY_SERIES_MAX:
        st.warning(f"최대 {QUERY_SERIES_MAX}개까지 비교합니다. 앞의 {QUERY_SERIES_MAX}개만 사용합니다.")
        series = series[:QUERY_SERIES_MAX]
    st.caption("사이드바 검색과 같은 문법입니다: AND, OR, 괄호, 따옴표. 사이드바 필터(검색어 포함) 안에서 셉니다. "
               "(Same syntax as the sidebar keyword box, counted within the sidebar filters.)")
    if not series:
        return
    try:
        trend = data.call(data.query_trend, f, tuple(series), gran, bool(by_source))  # its own messages below
    except ValueError as e:
        ui.alert("warning", f"검색식 형식 오류: {e}")
        return
    except Exception as e:  # the page keeps working when the query fails
        ui.alert("warning", f"질의 query_trend를 실행하지 못했습니다: {type(e).__name__}: {e}")
        return
    if ui.is_empty(trend):
        ui.empty()
        return
    pts = ui.chart(data.figure(charts.query_trend_chart, data.query_trend, (f, tuple(series), gran, bool(by_source)),
                               gran, measure or "articles"), "qc_chart", "검색식 비교", f, select=True)
    pick = state.chart_pick("qsel", pts, 2)
    if pick:
        q, period = (pick[0] if pick[0] in series else None), pick[1]
        if q:
            ui.article_list(state.drill_filters(series_filters(f, q), period=period, gran=gran), "qc_drill",
                            f"{period} · {q} 기사")
    totals = trend.groupby("query", sort=False)["articles"].sum()
    st.caption(" · ".join(f"{ui.esc(q)}: {int(n):,}건" for q, n in totals.items()))
    with st.expander("표 Table"):
        ui.table(trend, "qc_tbl", "검색식 비교", f)
