"""Issue 15 items 3-4 in real Chromium against the real server: save the current view, open its link
in a fresh tab (the filters come back), build the report from the sidebar and download it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import WAIT, shots

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e




@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("e2e-wf")
    shots.build_store(tmp / "store")
    port = shots.free_port()
    proc = shots.start_app(tmp / "store", port, tmp / "lexicon")
    yield f"http://127.0.0.1:{port}", tmp / "store"
    proc.terminate()
    proc.wait(timeout=20)


def _sidebar(pg):
    return pg.locator("[data-testid='stSidebar']")


def test_save_a_view_and_open_its_link(server, page, browser):
    url, store = server
    page.goto(url + "/keywords?src=" + "%EB%B8%8C%EB%9F%B0%EC%B9%98")  # 브런치
    shots.wait_rendered(page, WAIT)
    sb = _sidebar(page)
    sb.get_by_text("저장된 보기 Saved views").click()
    sb.get_by_label("이름 Name").fill("브런치 키워드")
    sb.get_by_role("button", name="지금 보기 저장 Save this view").click()
    link = sb.get_by_role("link", name="브런치 키워드")
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith("/keywords?") and "src=%EB%B8%8C%EB%9F%B0%EC%B9%98" in href
    saved = (store / "saved-views.json").read_text(encoding="utf-8")
    assert '"브런치 키워드"' in saved and '"keywords"' in saved
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    fresh.set_default_timeout(WAIT)
    fresh.goto(url + href)
    shots.wait_rendered(fresh, WAIT)
    chosen = _sidebar(fresh).locator("[data-testid='stMultiSelect']").first.inner_text()
    assert "브런치" in chosen
    assert fresh.locator("h1", has_text="키워드").count() == 1
    fresh.context.close()


def test_bad_view_name_is_refused_in_the_page(server, page):
    url, store = server
    page.goto(url)
    shots.wait_rendered(page, WAIT)
    sb = _sidebar(page)
    sb.get_by_text("저장된 보기 Saved views").click()
    sb.get_by_label("이름 Name").fill("<b>x</b>")
    sb.get_by_role("button", name="지금 보기 저장 Save this view").click()
    page.get_by_text("저장하지 못했습니다").wait_for()
    f = store / "saved-views.json"
    assert not f.exists() or "<b>x</b>" not in f.read_text(encoding="utf-8")


def test_report_button_builds_an_offline_html_with_the_filters(server, page, tmp_path):
    url, _ = server
    page.goto(url + "/?src=" + "%EB%B8%8C%EB%9F%B0%EC%B9%98")
    shots.wait_rendered(page, WAIT)
    sb = _sidebar(page)
    sb.get_by_text("보고서 Report").click()
    sb.get_by_role("button", name="보고서 만들기 Build report").click()
    dl_button = sb.get_by_role("button", name="내려받기 HTML")
    dl_button.wait_for()
    with page.expect_download() as info:
        dl_button.click()
    path = tmp_path / "report.html"
    info.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert "매체: 브런치" in html and "키워드 Keywords" in html and "plotly-graph-div" in html
    assert "default-src 'none'" in html
