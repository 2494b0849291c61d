"""The 토픽 page and the 검색식 비교 block in real Chromium against a real server, on the two-theme
corpus of tests/test_topics.py: a shared URL (k=2, a query list) reproduces the view."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from tests.e2e.harness import WAIT, eventually, no_exception, shots
from tests.test_topics import build_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("e2e-topics")
    build_store(tmp / "store")
    port = shots.free_port()
    proc = shots.start_app(tmp / "store", port, tmp / "lexicon", env={"TM_QUERY_CACHE": str(tmp / "qcache")})
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shots.CHROMIUM, args=shots.CHROMIUM_ARGS)
        ctx = b.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.set_default_timeout(WAIT)
        yield pg
        b.close()


def test_topics_page_from_a_shared_url_shows_two_topics_and_the_issues(server, page):
    page.goto(f"{server}/topics?k=2")
    shots.wait_rendered(page, WAIT)
    eventually(lambda: "토픽 2개 (사용자 지정)" in page.inner_text("body"))
    eventually(lambda: "2024-03-17 ~ 2024-03-23 기사 4건 중 이슈 1개" in page.inner_text("body"))  # drawn last
    no_exception(page)
    body = page.inner_text("body")
    assert "토픽 추이 Topics over time" in body and "이슈 Issues" in body
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 2
    assert "k=2" in page.url


def test_query_comparison_from_a_shared_url_counts_the_series(server, page):
    qs = urllib.parse.urlencode({"qc_series": "반도체 AND 수출\n백신"})
    page.goto(f"{server}/keywords?{qs}")
    shots.wait_rendered(page, WAIT)
    eventually(lambda: "반도체 AND 수출: " in page.inner_text("body"))
    no_exception(page)
    assert "반도체 AND 수출: 6건 · 백신: 10건" in page.inner_text("body")
