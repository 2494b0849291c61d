"""Entry point: page navigation and the global filters (shared by every page, kept in the URL)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` from anywhere
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import state  # noqa: E402

st.set_page_config(page_title="트렌드 모니터 Trend Monitor", page_icon="📰", layout="wide")

PAGES = Path(__file__).parent / "app_pages"
pages = [
    st.Page(PAGES / "overview.py", title="개요 Overview", icon="📊", default=True, url_path="overview"),
    st.Page(PAGES / "articles.py", title="기사 Articles", icon="📰", url_path="articles"),
]
nav = st.navigation(pages)
state.sidebar_filters()
nav.run()
