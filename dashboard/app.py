"""Entry point: page navigation and the global filters (shared by every page, kept in the URL)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` from anywhere
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import bigkinds_ui, malloc, report_ui, saved_views, state  # noqa: E402

malloc.limit_arenas()  # page threads reuse freed heap (dashboard/malloc.py)

st.set_page_config(page_title="트렌드 모니터 Trend Monitor", page_icon="📰", layout="wide")

PAGES = Path(__file__).parent / "app_pages"
PAGE_SPECS = [  # file, title, icon, url path
    ("overview.py", "개요 Overview", ":material/dashboard:", "overview"),
    ("keywords.py", "키워드 Keywords", ":material/text_fields:", "keywords"),
    ("sentiment.py", "감성 Sentiment", ":material/sentiment_satisfied:", "sentiment"),
    ("entities.py", "개체 Entities", ":material/groups:", "entities"),
    ("topics.py", "토픽 Topics", ":material/category:", "topics"),
    ("compare.py", "비교 Compare", ":material/compare_arrows:", "compare"),
    ("articles.py", "기사 Articles", ":material/article:", "articles"),
    ("data.py", "데이터 Data", ":material/database:", "data"),
    ("method.py", "방법 Method", ":material/menu_book:", "method"),
]
pages = [st.Page(PAGES / file, title=title, icon=icon, url_path=url) for file, title, icon, url in PAGE_SPECS]
# the default page is served at "/" only (its own path would be "Page not found"), so the first page
# is listed twice: visible at "/", and hidden under its own path (/overview) for typed or shared links
home_file, home_title, home_icon, home_url = PAGE_SPECS[0]
pages[0] = st.Page(PAGES / home_file, title=home_title, icon=home_icon, url_path="home", default=True)
pages.append(st.Page(PAGES / home_file, title=home_title, icon=home_icon, url_path=home_url, visibility="hidden"))
nav = st.navigation(pages)
state.begin(nav.url_path or home_url)
try:
    state.sidebar_filters()
    saved_views.sidebar(nav.url_path or home_url, {url for *_, url in PAGE_SPECS})  # issue 15 item 4
    report_ui.sidebar()  # issue 15 item 3
    bigkinds_ui.excerpt_notice(state.current_filters())  # every page: 200-character excerpts (issue 15 item 5)
    nav.run()
finally:  # also after st.stop(): the URL holds exactly the widgets this run drew
    state.finish()
