"""The global filter widgets (sidebar, defined once in app.py) and the Filters value they make.

Widgets are bound to the URL (`bind="query-params"`), so a link reproduces the view.
"""

from __future__ import annotations

import streamlit as st

from analytics.filters import Filters
from dashboard import data

GRANULARITY_LABELS = {"day": "일", "week": "주", "month": "월", "quarter": "분기", "year": "연"}


def sidebar_filters() -> None:
    """Draw the global filters. Options come from the store; an empty store shows none."""
    c = data.corpus()
    sources = data.q("sources") if c else []
    years = data.q("years") if c else []
    sb = st.sidebar
    sb.header("필터 Filters")
    sb.multiselect("매체 Source", sources, key="sources", placeholder="전체", bind="query-params")
    sb.multiselect("연도 Year", years, key="years", placeholder="전체", bind="query-params")
    sb.selectbox("단위 Granularity", list(GRANULARITY_LABELS), index=2, key="gran",
                 format_func=lambda g: f"{GRANULARITY_LABELS[g]} ({g})", bind="query-params")
    sb.text_input("키워드 검색 Keyword", key="q", placeholder="예: AI OR 인공지능", bind="query-params")
    sb.toggle("고유 기사만 (unique stories)", key="uniq", bind="query-params")


def current_filters() -> Filters:
    return Filters(
        sources=tuple(st.session_state.get("sources") or ()),
        years=tuple(st.session_state.get("years") or ()),
        query=(st.session_state.get("q") or "").strip(),
        unique_stories=bool(st.session_state.get("uniq")),
    )


def granularity() -> str:
    return st.session_state.get("gran") or "month"
