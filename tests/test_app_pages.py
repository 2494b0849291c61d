"""Every dashboard page on the sample corpus (streamlit AppTest): renders, follows the filters,
and says so in Korean when nothing matches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "keywords", "sentiment", "entities", "topics", "compare", "articles", "data", "method"]
EMPTY = "결과가 없습니다"


def need_analysis() -> None:
    """Kept as a marker of the tests that read analysis tables (analysis must succeed)."""


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in (at.info, at.warning, at.error, at.caption, at.markdown)
                     for e in kind)


def chart_text(at: AppTest, key: str | None = None) -> str:
    """Every Plotly figure on the page (or the one with this key) as one JSON text (Hangul unescaped)."""
    import json

    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")
                     if key is None or c.key == key)


def trend_terms(at: AppTest) -> set[str]:
    """The series of the terms-over-time chart."""
    import json

    chart = next(c for c in at.get("plotly_chart") if c.key == "kw_trend")
    return {t["name"] for t in json.loads(chart.proto.spec)["data"]}


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(app_env, page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value
    assert not at.error


def test_overview_kpis_follow_the_source_filter(app_env):
    at = open_page("overview")
    before = at.metric[0].value
    assert before == "5"
    at.multiselect(key="sources").set_value(["브런치"]).run()
    assert not at.exception
    assert at.metric[0].value == "1"


def test_articles_table_follows_the_source_filter(app_env):
    at = open_page("articles")
    n_all = len(at.dataframe[0].value)
    at.multiselect(key="sources").set_value(["포쓰저널"]).run()
    assert not at.exception
    assert len(at.dataframe[0].value) < n_all
    assert set(at.dataframe[0].value["source"]) == {"포쓰저널"}


def test_unknown_source_is_shown_as_misang(app_env):
    at = open_page("articles")
    assert "미상" in set(at.dataframe[0].value["source"])


def test_keyword_trend_follows_the_terms(app_env):
    need_analysis()
    at = open_page("keywords")
    from analytics.filters import Filters
    from analytics.queries import open_corpus, top_keywords

    top5 = set(top_keywords(open_corpus(app_env), Filters(), 5, "tf")["term"])
    assert len(top5) == 5 and trend_terms(at) == top5  # starts with the top 5 keywords
    at.text_input(key="kw_terms").input("일본, 기술").run()
    assert not at.exception
    assert trend_terms(at) == {"일본", "기술"}


@pytest.mark.parametrize("page", ["overview", "articles", "keywords", "sentiment", "entities"])
def test_empty_filters_show_the_korean_message(app_env, page):
    at = open_page(page)
    at.multiselect(key="sources").set_value(["브런치"])
    at.multiselect(key="years").set_value([2025])
    at.run()
    if page == "keywords":
        at.text_input(key="kw_terms").input("일본").run()
    assert not at.exception, [e.value for e in at.exception]
    expected = "해당 개체가 없습니다" if page == "entities" else EMPTY
    assert expected in texts(at)


def test_compare_two_sources(app_env):
    at = open_page("compare")
    at.multiselect(key="cmp_a_src").set_value(["브런치"])
    at.multiselect(key="cmp_b_src").set_value(["일경산업신문"])
    at.run()
    assert not at.exception
    assert len(at.metric) == 2


def test_alias_edit_changes_the_keyword_counts(app_env):
    """Saving an alias from the entities page recounts without re-analysis (new lexicon key)."""
    from analytics import lexicon

    need_analysis()
    from analytics.filters import Filters
    from analytics.queries import keyword_trend, open_corpus

    lex_dir = Path(os.environ["TM_LEXICON_DIR"])
    at = open_page("keywords")
    at.text_input(key="kw_terms").input("일본").run()
    before = keyword_trend(open_corpus(app_env, lex_dir), Filters(), ("일본",), "year")
    n_japan = int(before["articles"].sum())
    assert n_japan > 0 and set(before["term"]) == {"일본"}
    assert "일본" in chart_text(at, "kw_trend") and "니혼" not in chart_text(at, "kw_trend")

    lexicon.save_aliases(lex_dir, {"일본": "니혼"})
    after = keyword_trend(open_corpus(app_env, lex_dir), Filters(), ("일본",), "year")
    assert set(after["term"]) == {"니혼"}  # the typed form is counted under its canonical name
    assert int(after["articles"].sum()) == n_japan
    at.run()
    assert not at.exception
    assert "니혼" in chart_text(at, "kw_trend") and "일본" not in chart_text(at, "kw_trend")  # recounted


def test_uploads_get_generated_names_whitelisted_extensions_and_a_size_cap(tmp_path, monkeypatch):
    """The Data page saves through the one strict guard, analytics.uploads (dashboard.jobs has no copy)."""
    from analytics import uploads
    from dashboard import jobs

    assert not hasattr(jobs, "save_uploads")
    monkeypatch.setenv("TM_MAX_UPLOAD_MB", "1")
    paths = uploads.save_uploads([("../../etc/기사 목록.CSV", b"title,text\n"), ("a.jsonl", b"{}\n")], tmp_path)
    assert [p.suffix for p in paths] == [".csv", ".jsonl"]
    assert all(p.parent == tmp_path and len(p.stem) == 32 for p in paths)
    with pytest.raises(ValueError, match="허용되지 않는 파일 형식"):
        uploads.save_uploads([("ok.txt", b"x"), ("evil.exe", b"MZ")], tmp_path)
    with pytest.raises(ValueError, match="너무 큽니다"):
        uploads.save_uploads([("big.txt", b"x" * (1024 * 1024 + 1))], tmp_path)
    with pytest.raises(ValueError, match="빈 파일"):
        uploads.save_uploads([("empty.txt", b"")], tmp_path)
    visible = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert len(visible) == 2  # nothing written when a batch is refused


def test_background_job_ingests_an_upload(tmp_path):
    import time

    from analytics import uploads
    from dashboard import jobs

    src = ROOT / "data" / "articles" / "002_433e754b1ad61430.txt"
    paths = uploads.save_uploads([(src.name, src.read_bytes())], tmp_path / "up")
    job = jobs.submit("visitor-1", "ingest", str(tmp_path / "store"), paths)
    deadline = time.time() + 120
    while job.running and time.time() < deadline:
        time.sleep(0.5)
    assert not job.running
    assert job.report.get("added") == 1
    assert job.fraction == 1.0
    assert uploads.pending_uploads(tmp_path / "up") == []  # ingested: not pending at the next start


def test_why_this_period_lists_rising_terms_and_articles(app_env):
    """The overview drill-down's 'Why this period' block (analytics.queries.explain_spike)."""
    from analytics.filters import Filters

    def script():
        import os

        from analytics.filters import Filters
        from analytics.queries import open_corpus, volume
        from dashboard import charts, ui

        vol = volume(open_corpus(os.environ["TM_STORE"]), Filters(), "year")
        labels = [p for p in charts.period_labels(vol["period"], "year") if p != "미상"]
        ui.spike_explanation(Filters(), labels[-1], "year", "t")

    import sys

    main = sys.modules["__main__"]
    try:
        at = AppTest.from_function(script, default_timeout=120).run()
    finally:
        # AppTest runs the function as a temporary __main__ script; left in place, every later
        # multiprocessing "spawn" child would re-run that script and die at start-up.
        sys.modules["__main__"] = main
    assert not at.exception, [e.value for e in at.exception]
    assert any("Why this period" in str(m.value) for m in at.markdown)
    from analytics.queries import explain_spike, open_corpus, volume
    from dashboard import charts, state

    vol = volume(open_corpus(app_env), Filters(), "year")
    last = [p for p in charts.period_labels(vol["period"], "year") if p != "미상"][-1]
    terms, arts = explain_spike(open_corpus(app_env), Filters(), *state.period_range(last, "year"), 15, 5)
    assert len(terms) > 0 and len(arts) > 0  # the sample's latest year has rising terms
    assert len(at.dataframe) == 2
    assert list(at.dataframe[0].value.iloc[:, 0]) == list(terms["term"])
    assert len(at.dataframe[1].value) == len(arts)


def test_articles_table_prefers_the_date_label():
    import pandas as pd

    from dashboard import ui

    arts = pd.DataFrame({"id": ["a", "b", "c"], "published": pd.to_datetime(["2024-03-01", "2024-05-02", None]),
                         "date_label": ["2024-03", None, None], "source": ["x", None, "y"], "title": ["t", "u", None]})
    view = ui.display_articles(arts)
    assert list(view["published"]) == ["2024-03", "2024-05-02", "미상"]
    assert list(view["source"]) == ["x", "미상", "y"]


def test_entities_page_shows_the_forms_merged_under_the_chosen_entity(app_env):
    """The 개체 page names the written forms counted under the entity chosen for the timeline
    (issue 13: 'the UI shows which forms were merged')."""
    at = open_page("entities")
    at.text_input(key="ent_pick").input("이노우에").run()
    assert not at.exception
    caption = next(str(c.value) for c in at.caption if "가장 많이 쓴 표기" in str(c.value))
    assert caption.startswith("**이노우에 유키** 합쳐진 표기") and caption.endswith(": 이노우에 유키, 이노우에 (1)")
