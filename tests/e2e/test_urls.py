"""Shared links in real Chromium (Playwright, a real server): every page's URL path opens (not
"Page not found"), hand-typed stable codes set the widgets, a URL with a page's widgets set shows
that view in a fresh browser, and a URL copied after using the widgets reproduces it."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.e2e.harness import WAIT, eventually, shots

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


PAGES = {"overview": "개요", "keywords": "키워드", "sentiment": "감성", "entities": "개체", "compare": "비교",
         "articles": "기사", "data": "데이터", "method": "방법"}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The five sample articles ingested and analysed (TM_TEST_STORE: reuse one already built)."""
    if os.environ.get("TM_TEST_STORE"):
        return Path(os.environ["TM_TEST_STORE"])
    tmp = tmp_path_factory.mktemp("e2e_urls")
    shots.build_store(tmp / "store")
    return tmp / "store"


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    port = shots.free_port()
    proc = shots.start_app(store, port, tmp_path_factory.mktemp("lex"))
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def fresh(browser, url: str):
    """A new browser context (no cookies, no session) opened on url."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(WAIT)
    pg.goto(url)
    shots.wait_rendered(pg, WAIT)
    assert pg.locator("[data-testid='stException']").count() == 0, pg.locator(
        "[data-testid='stException']").first.inner_text()
    return pg


def q(**params: str | list[str]) -> str:
    parts = []
    for k, v in params.items():
        for x in (v if isinstance(v, list) else [v]):
            parts.append(f"{k}={quote(x)}")
    return "?" + "&".join(parts)


def input_value(pg, label: str) -> str:
    return pg.locator(f"input[aria-label='{label}']").first.input_value()


def gran_shown(pg) -> str:
    """The granularity box's shown value (the sidebar's only selectbox)."""
    return pg.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first.input_value()


def body(pg) -> str:
    return pg.locator("[data-testid='stMain']").inner_text()


def test_every_page_path_opens(server, browser):
    for path, word in PAGES.items():
        pg = fresh(browser, f"{server}/{path}")
        assert "Page not found" not in pg.locator("body").inner_text()
        assert word in pg.locator("h1").first.inner_text(), path
        pg.context.close()


def test_hand_typed_codes(server, browser):
    pg = fresh(browser, f"{server}/overview" + q(gran="day", src="브런치"))
    side = pg.locator("[data-testid='stSidebar']")
    eventually(lambda: gran_shown(pg) == "일 (day)")
    assert "브런치" in side.locator("[data-testid='stMultiSelect']").first.inner_text()
    eventually(lambda: pg.locator("[data-testid='stMetricValue']").first.inner_text().strip() == "1")
    assert "gran=day" in pg.url and "src=" in pg.url
    pg.context.close()


def test_keywords_url(server, browser):
    pg = fresh(browser, f"{server}/keywords" + q(terms="일본, 기술", kwic="기업", rel="일본", method="tf"))
    eventually(lambda: input_value(pg, "비교할 단어 (쉼표로 구분, 최대 8개) Terms, comma-separated") == "일본, 기술")
    eventually(lambda: input_value(pg, "단어 Term") == "기업")
    eventually(lambda: input_value(pg, "이 단어의 연관어 Related to") == "일본")
    def legends() -> list[list[str]]:
        return [sorted(c.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)"))
                for c in pg.locator("[data-testid='stPlotlyChart']").all()]

    eventually(lambda: ["기술", "일본"] in legends())  # the terms-over-time chart draws the two terms
    pg.context.close()


def test_drill_down_url(server, browser):
    pg = fresh(browser, f"{server}/" + q(gran="year", vsel=["브런치", "2017"]))
    pg.get_by_text("2017 · 브런치 기사").first.wait_for(timeout=WAIT)
    pg.get_by_text("Why this period").first.wait_for(timeout=WAIT)
    pg.context.close()


def test_compare_url(server, browser):
    pg = fresh(browser, f"{server}/compare" + q(mode="source", a="브런치", b="일경산업신문"))
    text = body(pg)
    assert "A 브런치" in text and "B 일경산업신문" in text
    assert "두 그룹을 모두 고르세요" not in text
    eventually(lambda: [m.strip() for m in pg.locator("[data-testid='stMetricValue']").all_inner_texts()]
               == ["1", "1"])
    pg.context.close()


def test_entities_and_sentiment_urls(server, browser):
    pg = fresh(browser, f"{server}/entities" + q(entity="히타치"))
    eventually(lambda: input_value(pg, "개체 Entity") == "히타치")
    eventually(lambda: "히타치 기사" in body(pg))
    pg.context.close()
    pg = fresh(browser, f"{server}/sentiment" + q(target="일본"))
    eventually(lambda: input_value(pg, "대상 (단어 또는 개체) Target") == "일본")
    eventually(lambda: "문장 수" in body(pg))
    pg.context.close()


def test_articles_url_opens_the_article(server, browser, store):
    from analytics.filters import Filters
    from analytics.queries import articles, open_corpus

    arts = articles(open_corpus(store), Filters())
    row = arts[arts["source"] == "일경산업신문"].iloc[0]
    pg = fresh(browser, f"{server}/articles" + q(art=row["id"]))
    assert pg.locator("h3").filter(has_text=row["title"][:10]).count() >= 1
    pg.context.close()


def test_copied_url_reproduces_the_view(server, browser):
    """Use the widgets, copy the address, open it in a fresh browser: the same view."""
    pg = fresh(browser, f"{server}/keywords")
    kwic = pg.locator("input[aria-label='단어 Term']").first
    kwic.fill("실리콘밸리")
    kwic.press("Enter")
    pg.wait_for_function("() => location.search.includes('kwic=')", timeout=WAIT)
    shots.wait_rendered(pg, WAIT)
    pg.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    pg.get_by_role("option", name="연 (year)").click()
    pg.wait_for_function("() => location.search.includes('gran=year')", timeout=WAIT)
    shots.wait_rendered(pg, WAIT)
    shared = pg.url
    assert "kwic=" in shared and "gran=year" in shared, shared
    pg.context.close()

    other = fresh(browser, shared)
    assert "/keywords" in other.url
    eventually(lambda: input_value(other, "단어 Term") == "실리콘밸리")
    eventually(lambda: gran_shown(other) == "연 (year)")
    other.context.close()


def sidebar_version(pg) -> int | None:
    import re

    m = re.search(r"store v(\d+)", pg.locator("[data-testid='stSidebar']").inner_text())
    return int(m.group(1)) if m else None


def test_upload_shows_the_new_store_version_without_a_reload(store, browser, tmp_path):
    """After an upload's job finishes, the sidebar and the Data page show the new version at once."""
    import shutil

    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    own = tmp_path / "store"
    shutil.copytree(store, own)  # the upload writes: not the shared store of the other tests
    port = shots.free_port()
    proc = shots.start_app(own, port, tmp_path / "lex")
    try:
        pg = fresh(browser, f"http://127.0.0.1:{port}/data")
        before = sidebar_version(pg)
        assert before is not None
        art = tmp_path / "새 기사.txt"
        art.write_text("서울시, 전기버스 100대 추가 도입\n\n서울시는 내년까지 전기버스 100대를 추가로 도입한다고 밝혔다. "
                       "시는 충전소도 함께 늘린다.\n", encoding="utf-8")
        pg.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(art))
        button = pg.get_by_role("button", name="불러오기·분석 시작 Ingest and analyse")
        eventually(lambda: button.is_enabled())
        button.click()
        pg.get_by_text("완료했습니다").first.wait_for(timeout=WAIT)
        eventually(lambda: (sidebar_version(pg) or 0) > before)  # no reload: the same page object
        pg.context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
