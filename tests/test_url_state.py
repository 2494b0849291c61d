"""The view in the URL (AppTest): every page opened from a URL with its widgets set shows them;
widgets write stable codes (gran=day, src=브런치); invalid values are ignored; pages start with
answers (top keywords over time, the latest period vs the one before, both compare groups); and
no raw English field name reaches a label, header or metric on any page."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "keywords", "sentiment", "entities", "topics", "compare", "articles", "data", "method"]


@pytest.fixture
def env(app_env):
    """The sample store and a private lexicon (tests/conftest.py's app_env)."""
    return app_env


def corpus(store: Path):
    from analytics.queries import open_corpus

    return open_corpus(store)


def open_url(page: str, **params: str | list[str]) -> AppTest:
    """A fresh session opened on `page` with these query parameters (a pasted link)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def trace_names(chart) -> set[str]:
    return {t.get("name") for t in json.loads(chart.proto.spec)["data"]}


def qp(at: AppTest) -> dict:
    return dict(at.query_params)


# ---- the sidebar: codes in, codes out ------------------------------------------------------------

def test_hand_typed_codes_set_the_sidebar(env):
    at = open_url("overview", gran="day", src="브런치", uniq="1")
    assert at.selectbox(key="gran").value == "day"
    assert at.multiselect(key="sources").value == ["브런치"]
    assert at.toggle(key="uniq").value is True
    assert at.metric[0].value == "1"  # the view follows: one article from 브런치


def test_date_range_from_the_url(env):
    at = open_url("articles", period="range", **{"from": "2017-01-01", "to": "2018-12-31"})
    assert at.radio(key="pmode").value == "range"
    assert str(at.date_input(key="dfrom").value) == "2017-01-01"
    # the two dated 2017/2018 articles and the two undated ones (a range keeps undated articles)
    assert sorted(at.dataframe[0].value["source"]) == ["미상", "브런치", "일경산업신문", "포쓰저널"]


def test_widgets_write_codes_and_drop_defaults(env):
    at = open_url("overview")
    assert "gran" not in qp(at)
    at.selectbox(key="gran").set_value("week").run()
    assert qp(at)["gran"] == "week"
    at.multiselect(key="sources").set_value(["브런치", "포쓰저널"]).run()
    assert qp(at)["src"] == ["브런치", "포쓰저널"]
    at.selectbox(key="gran").set_value("month").run()
    assert "gran" not in qp(at)  # back to the default: out of the URL


@pytest.mark.parametrize("bad", ["일 (day)", "fortnight", ""])
def test_invalid_values_are_ignored(env, bad):
    at = open_url("overview", gran=bad, src=["없는매체", "브런치"], n="999")
    assert at.selectbox(key="gran").value == "month"
    assert at.multiselect(key="sources").value == ["브런치"]
    assert "gran" not in qp(at) and qp(at)["src"] == "브런치"


def test_another_pages_parameters_leave_the_url(env):
    at = open_url("keywords", terms="일본", kwic="일본")
    assert qp(at)["kwic"] == "일본"
    at.switch_page("app_pages/overview.py").run()
    assert "kwic" not in qp(at) and "terms" not in qp(at)


# ---- each page from its URL ----------------------------------------------------------------------

def test_keywords_page_from_the_url(env):
    at = open_url("keywords", terms="일본, 기술", measure="share", method="tf", n="20", rel="기업",
                  scope="article", kwic="일본", nodes="15", minw="1", ents="1", cloud="0")
    assert at.text_input(key="kw_terms").value == "일본, 기술"
    assert at.radio(key="kw_measure").value == "share"
    assert at.radio(key="kw_method").value == "tf"
    assert at.slider(key="kw_n").value == 20
    assert at.slider(key="net_nodes").value == 15 and at.slider(key="net_weight").value == 1
    assert at.toggle(key="net_ents").value is True
    assert at.text_input(key="rel_term").value == "기업" and at.radio(key="rel_scope").value == "article"
    assert at.text_input(key="kwic_term").value == "일본"
    assert {"일본", "기술"} in [trace_names(c) for c in at.get("plotly_chart")]
    kwic = next(d.value for d in at.dataframe if "keyword" in d.value.columns)
    assert set(kwic["keyword"]) == {"일본"}
    top = next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["term", "score"])
    assert len(top) == 20


def test_keyword_drill_down_from_the_url(env):
    at = open_url("keywords", terms="일본", tsel=["일본", "2018-01"])
    assert "2018\\-01 · 일본 기사" in markdown(at)
    drill = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert list(drill["source"]) == ["일경산업신문"]


def test_overview_drill_down_from_the_url(env):
    at = open_url("overview", gran="year", vsel=["브런치", "2017"])
    assert "2017 · 브런치 기사" in markdown(at)
    assert "Why this period" in markdown(at)


def test_a_drill_down_from_the_url_can_be_cleared(env):
    at = open_url("overview", gran="year", vsel=["브런치", "2017"])
    assert "2017 · 브런치 기사" in markdown(at)
    next(b for b in at.button if b.key == "_clear_vsel").click().run()
    assert "2017 · 브런치 기사" not in markdown(at)
    assert "vsel" not in qp(at)


def test_compare_groups_from_the_url(env):
    at = open_url("compare", mode="source", a="브런치", b="일경산업신문")
    assert at.multiselect(key="cmp_a_src").value == ["브런치"]
    assert at.multiselect(key="cmp_b_src").value == ["일경산업신문"]
    assert [m.value for m in at.metric] == ["1", "1"]
    at = open_url("compare", mode="period", afrom="2017-01-01", ato="2017-12-31", bfrom="2018-01-01",
                  bto="2018-12-31")
    assert str(at.date_input(key="cmp_b_to").value) == "2018-12-31"
    assert [m.value for m in at.metric] == ["1", "1"]


def test_entities_page_from_the_url(env):
    at = open_url("entities", entity="히타치", n="5", types="OG", minw="1", nodes="10")
    assert at.text_input(key="ent_pick").value == "히타치"
    assert at.slider(key="ent_n").value == 5
    assert at.multiselect(key="ent_net_types").value == ["OG"]
    assert "**히타치** 기사" in markdown(at)


def test_sentiment_target_from_the_url(env):
    at = open_url("sentiment", target="일본", dtarget="기업", smeasure="mean_score")
    assert at.text_input(key="st_target").value == "일본"
    assert at.text_input(key="st_drv_target").value == "기업"
    assert at.radio(key="st_measure").value == "mean_score"
    assert any(m.label.startswith("문장") for m in at.metric)
    assert qp(at)["target"] == "일본" and qp(at)["dtarget"] == "기업"


def test_articles_open_article_from_the_url(env):
    from analytics.filters import Filters
    from analytics.queries import articles

    arts = articles(corpus(env), Filters())
    row = arts[arts["source"] == "일경산업신문"].iloc[0]
    at = open_url("articles", art=row["id"])
    assert at.subheader[0].value.replace("\\", "") == row["title"]


# ---- start with answers --------------------------------------------------------------------------

def test_terms_over_time_start_with_the_top_keywords(env):
    from analytics.filters import Filters
    from analytics.queries import top_keywords

    top5 = list(top_keywords(corpus(env), Filters(), 5, "tf")["term"])
    at = open_url("keywords")
    assert at.text_input(key="kw_terms").value == ", ".join(top5)
    assert qp(at)["terms"] == ", ".join(top5)  # in the URL: the link reproduces it later too
    assert at.text_input(key="rel_term").value == top5[0] == at.text_input(key="kwic_term").value


def test_rising_terms_start_with_the_latest_period_vs_the_one_before(env):
    at = open_url("keywords", gran="year")
    assert at.radio(key="rise_mode").value == "latest"
    # years with articles: 2017, 2018, 2025 -> 2018 vs 2017 (2025 has no neighbour: a stray article)
    assert any("2018-01-01 ~ 2018-12-31" in c.value and "2017-01-01 ~ 2017-12-31" in c.value for c in at.caption)
    rise = next(d.value for d in at.dataframe if "direction" in d.value.columns)
    assert not rise.empty and set(rise["direction"]) <= {"rising", "fading"}


def test_latest_two_periods_skips_a_stray_period():
    from datetime import date

    from dashboard.state import latest_two_periods

    assert latest_two_periods(["2021-02-27", "2021-02-28", "2025-01-01", "미상"], "day") == (
        (date(2021, 2, 28), date(2021, 2, 28)), (date(2021, 2, 27), date(2021, 2, 27)))
    assert latest_two_periods(["2021-01", "2021-03"], "month") == (
        (date(2021, 3, 1), date(2021, 3, 31)), (date(2021, 1, 1), date(2021, 1, 31)))
    assert latest_two_periods(["2021-03", "미상"], "month") is None


def test_latest_pair_goes_finer_when_the_sidebar_unit_has_no_adjacent_periods():
    """A one-month export plus one stray article at 월: the latest week against the week before."""
    from datetime import date

    from dashboard.state import latest_pair

    days = pd.to_datetime(["2021-02-08", "2021-02-16", "2021-02-23", "2025-01-01"])
    trunc = {"month": days.to_period("M").to_timestamp(), "week": days.to_period("W-SUN").start_time,
             "day": days}
    vol = lambda g: pd.DataFrame({"period": trunc[g]}) if g in trunc else None  # noqa: E731
    assert latest_pair(vol, "month") == (((date(2021, 2, 22), date(2021, 2, 28)),
                                          (date(2021, 2, 15), date(2021, 2, 21))), "week")


def test_compare_starts_with_both_groups(env):
    at = open_url("compare")
    assert len(at.multiselect(key="cmp_a_src").value) == 1 and len(at.multiselect(key="cmp_b_src").value) == 1
    assert len(at.metric) == 2


# ---- Korean labels -------------------------------------------------------------------------------

def shown_labels(at: AppTest) -> list[str]:
    """What a user reads as a label: headings, widget labels, metric names, table headers."""
    out = [str(e.value) for kind in (at.title, at.header, at.subheader) for e in kind]
    for kind in ("text_input", "selectbox", "multiselect", "radio", "slider", "toggle", "date_input"):
        out += [str(w.label) for w in at.get(kind)]
    out += [str(m.label) for m in at.metric]
    for chart in at.get("plotly_chart"):  # axis and legend titles, series names
        spec = json.loads(chart.proto.spec)
        lay = spec.get("layout", {})
        for ax in [k for k in lay if k.startswith(("xaxis", "yaxis"))]:
            out.append(str((lay[ax].get("title") or {}).get("text") or ""))
        out.append(str(((lay.get("legend") or {}).get("title") or {}).get("text") or ""))
        out += [str(t.get("name") or "") for t in spec["data"]]
    for d in at.dataframe:
        cfg = json.loads(d.proto.columns or "{}")
        for col in d.value.columns:
            spec = cfg.get(str(col))
            shown = spec.get("label") if isinstance(spec, dict) else spec
            if spec is not None and shown != "" and (not isinstance(spec, dict) or not spec.get("hidden")):
                out.append(str(shown if shown is not None else col))
            elif spec is None:
                out.append(str(col))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_field_name_in_any_label(env, page):
    from analytics.filters import Filters
    from analytics.queries import articles
    from dashboard.labels import RAW_NAMES

    first = str(articles(corpus(env), Filters())["id"].iloc[0])
    extra = {"keywords": {"terms": "일본, 기술", "cloud": "0"}, "sentiment": {"target": "일본"},
             "articles": {"art": first}, "entities": {"entity": "일본"},
             "overview": {"vsel": ["브런치", "2017-04"]}}.get(page, {})
    at = open_url(page, **extra)
    raw = [lab for lab in shown_labels(at) if lab.strip().lower() in RAW_NAMES]
    assert raw == [], f"{page}: raw field names shown: {raw}"
    # sentence tone labels read 긍정 / 중립 / 부정 (articles: the open article; sentiment: evidence)
    for d in at.dataframe:
        if "label" in d.value.columns:
            assert set(d.value["label"]) <= {"긍정", "중립", "부정"}, set(d.value["label"])


def test_per_10k_is_labelled_per_ten_thousand_terms():
    from dashboard import charts

    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"]), "term": ["a"], "articles": [1], "share": [0.5],
                       "per_10k": [3.0]})
    fig = charts.keyword_trend_chart(df, "month", "per_10k")
    assert fig.layout.yaxis.title.text == "1만 단어당 (per 10k terms)"


def test_method_page_opens_on_the_korean_analyst_guides(env):
    at = open_url("method")
    labels = [t.label for t in at.tabs]
    assert labels[:6] == ["읽는 법 (How to read the figures)", "키워드와 단어 (Keywords and terms)",
                          "감성: 부정·중립·긍정 (Sentiment)", "개체: 인물·기관·장소 (Named entities)",
                          "토픽·이슈·검색식 비교 (Topics, issues, query comparison)", "새로 떠오른 (Newly rising: alerts)"]
    assert labels[-1].startswith("개발자 문서")
    assert "주소(URL)" in at.markdown[0].value
