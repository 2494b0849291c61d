"""The global filter widgets (sidebar, defined once in app.py) and the Filters value they make.

Widgets are bound to the URL (`bind="query-params"`), so a link reproduces the view.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analytics.config import UNKNOWN
from analytics.filters import Filters
from dashboard import data

GRANULARITY_LABELS = {"day": "일", "week": "주", "month": "월", "quarter": "분기", "year": "연"}
PERIOD_MODES = {"year": "연도 Year", "range": "날짜 범위 Dates"}


def _options(name: str) -> list:
    try:
        return list(data.q(name))
    except Exception:  # an unreadable store shows no options rather than a traceback
        return []


def sidebar_filters() -> None:
    """Draw the global filters. Options come from the store; an empty store shows none."""
    c = data.corpus()
    sources = _options("sources") if c else []
    years = _options("years") if c else []
    sb = st.sidebar
    sb.header("필터 Filters")
    sb.multiselect("매체 Source", sources, key="sources", placeholder="전체 (all)", bind="query-params")
    sb.radio("기간 방식 Period", list(PERIOD_MODES), format_func=PERIOD_MODES.get, key="pmode",
             horizontal=True, bind="query-params")
    if st.session_state.get("pmode", "year") == "range":
        sb.date_input("시작 From", value=None, key="dfrom", bind="query-params")
        sb.date_input("끝 To", value=None, key="dto", bind="query-params")
    else:
        sb.multiselect("연도 Year", years, key="years", placeholder="전체 (all)", bind="query-params")
    sb.selectbox("단위 Granularity", list(GRANULARITY_LABELS), index=2, key="gran",
                 format_func=lambda g: f"{GRANULARITY_LABELS[g]} ({g})", bind="query-params")
    sb.text_input("키워드 검색 Keyword", key="q", placeholder="예: AI OR 인공지능", bind="query-params")
    sb.toggle("고유 기사만 (unique stories)", key="uniq", bind="query-params")
    v = data.current_version()
    sb.caption(f"저장소 버전 store v{v if v is not None else '미상'} · 링크를 복사하면 같은 화면을 공유합니다.")


def current_filters() -> Filters:
    ss = st.session_state
    ranged = ss.get("pmode", "year") == "range"
    years = tuple(y if y == UNKNOWN else int(y) for y in (ss.get("years") or ())) if not ranged else ()
    return Filters(
        sources=tuple(ss.get("sources") or ()),
        years=years,
        date_from=ss.get("dfrom") if ranged else None,
        date_to=ss.get("dto") if ranged else None,
        query=(ss.get("q") or "").strip(),
        unique_stories=bool(ss.get("uniq")),
    )


def granularity() -> str:
    return st.session_state.get("gran") or "month"


def period_range(label: str, gran: str) -> tuple[date, date] | None:
    """The first and last day of a period label as drawn by charts.period_labels (None for 미상)."""
    if not label or label == UNKNOWN:
        return None
    if gran == "quarter":
        y, qn = label.split("-Q")
        start = date(int(y), 3 * (int(qn) - 1) + 1, 1)
        end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    elif gran == "year":
        start, end = date(int(label), 1, 1), date(int(label), 12, 31)
    elif gran == "month":
        start = date.fromisoformat(label + "-01")
        end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    elif gran == "week":
        start = date.fromisoformat(label)
        end = start + timedelta(days=6)
    else:
        start = end = date.fromisoformat(label)
    return start, end


def drill_filters(f: Filters, period: str | None = None, gran: str = "month",
                  source: str | None = None, term: str | None = None) -> Filters:
    """The filters narrowed to one chart element: a period (미상 = undated), a source, a term."""
    out = f
    if source:
        out = replace(out, sources=(source,))
    if period:
        rng = period_range(period, gran)
        if rng is None:
            out = replace(out, years=(UNKNOWN,), date_from=None, date_to=None)
        else:
            out = replace(out, years=(), date_from=rng[0], date_to=rng[1], include_undated=False)
    if term:
        out = replace(out, query=term)  # the clicked term replaces the search box query
    return out
