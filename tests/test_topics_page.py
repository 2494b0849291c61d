"""The 토픽 page and the 검색식 비교 block (streamlit AppTest) on the two-theme corpus of
tests/test_topics.py: topics, the number of topics control, issues, query counts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import queries as q
from analytics.filters import Filters
from tests.test_topics import build_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture(scope="module")
def theme_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("tpage") / "store"
    build_store(root)
    return root


@pytest.fixture
def env(theme_store, tmp_path, monkeypatch):
    monkeypatch.setenv("TM_STORE", str(theme_store))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "lexicon"))
    monkeypatch.setenv("TM_UPLOAD_DIR", str(tmp_path / "uploads"))
    return theme_store


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_topics_page_shows_the_model_and_the_number_of_topics_control(env):
    at = open_page("topics")
    assert at.title[0].value == "토픽 Topics"
    assert len(frame(at, "상위 단어 top terms")) == 3  # auto: 24 articles allow only the candidate 3
    at.selectbox(key="tp_k").set_value(2).run()
    assert not at.exception
    topics = frame(at, "상위 단어 top terms")
    assert len(topics) == 2
    assert {t.split(", ")[0] for t in topics["상위 단어 top terms"]} <= {"반도체", "수출", "메모리", "공장", "웨이퍼",
                                                                     "파운드리", "백신", "접종", "병원", "고령",
                                                                     "부작용", "화이자"}
    t0 = time.perf_counter()
    at.run()  # a rerun reads the fitted model: no refit
    assert time.perf_counter() - t0 < 5
    assert not [p for p in at.get("progress")]


def test_selecting_a_topic_lists_its_articles_and_selecting_one_opens_it(env):
    from tests.test_topics import CHIP_IDS, VACCINE_IDS

    at = open_page("topics")
    at.selectbox(key="tp_k").set_value(2).run()
    at.session_state["tp_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    arts = frame(at, "weight")
    assert len(arts) == 12 and (set(arts["id"]) == set(CHIP_IDS) or set(arts["id"]) == set(VACCINE_IDS))
    at.session_state["tp_arts"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert any(m.value == f"##### {arts['title'].iloc[0]}" for m in at.markdown)
    assert [t.value for t in at.text] == ["…"]


def test_topics_page_ranks_the_issues_of_the_default_week(env):
    at = open_page("topics")
    iss = frame(at, "이슈 (중심 기사 제목)")
    assert list(iss["기사 수"]) == [4]  # vaccine articles of 2024-03-17 .. 23
    assert any("2024-03-17 ~ 2024-03-23" in c.value for c in at.caption)


def test_keywords_page_compares_queries_with_the_keyword_filter_counts(env, theme_store):
    at = open_page("keywords")
    at.text_area(key="qc_series").set_value("반도체 AND 수출\n백신").run()
    assert not at.exception
    c = q.open_corpus(theme_store)
    n1 = len(q.articles(c, Filters(query="반도체 AND 수출")))
    n2 = len(q.articles(c, Filters(query="백신")))
    assert any(c_.value == f"반도체 AND 수출: {n1:,}건 · 백신: {n2:,}건" for c_ in at.caption)


def test_keywords_page_says_which_query_is_malformed(env):
    at = open_page("keywords")
    at.text_area(key="qc_series").set_value("백신\n(반도체 OR").run()
    assert not at.exception
    assert any("(반도체 OR" in w.value for w in at.warning)

