"""The dashboard in real Chromium (Playwright): pages open, the source filter changes the chart,
a shared URL reproduces the filters, CSV and PNG downloads carry Hangul / the right size."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.harness import WAIT, eventually, no_exception, shots

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


PAGES = ["keywords", "sentiment", "entities", "topics", "compare", "articles", "data", "method"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("e2e")
    shots.build_store(tmp / "store")
    port = shots.free_port()
    proc = shots.start_app(tmp / "store", port, tmp / "lexicon")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def bars(pg) -> int:
    return pg.locator("[data-testid='stPlotlyChart']").first.locator(".bars path").count()


def metric(pg, i: int = 0) -> str:
    return pg.locator("[data-testid='stMetricValue']").nth(i).inner_text().strip()


def pick_source(pg, name: str) -> None:
    box = pg.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    box.click()
    pg.get_by_role("option", name=name).click()
    pg.keyboard.press("Escape")
    pg.wait_for_function("() => location.search.includes('src=')", timeout=WAIT)
    shots.wait_rendered(pg, WAIT)


def test_every_page_opens(server, page):
    page.goto(server)
    shots.wait_rendered(page, WAIT)
    no_exception(page)
    for name in PAGES:
        page.goto(f"{server}/{name}")
        shots.wait_rendered(page, WAIT)
        no_exception(page)
        assert page.locator("h1").first.inner_text().strip()


def test_source_filter_changes_the_chart_and_the_url_reproduces_it(server, page, browser):
    page.goto(server)
    shots.wait_rendered(page, WAIT)
    assert metric(page) == "5"
    before = bars(page)
    pick_source(page, "브런치")
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stMetricValue']\").innerText.trim() === '1'", timeout=WAIT)
    shots.wait_rendered(page, WAIT)
    eventually(lambda: bars(page) < before)
    shared = page.url
    assert "src=" in shared

    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.set_default_timeout(WAIT)
    other.goto(shared)
    shots.wait_rendered(other, WAIT)
    eventually(lambda: metric(other) == "1")
    assert "브런치" in other.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text()
    other.context.close()


def test_csv_download_has_hangul(server, page, tmp_path):
    page.goto(f"{server}/articles")
    shots.wait_rendered(page, WAIT)
    with page.expect_download(timeout=WAIT) as dl:
        page.get_by_role("button", name="CSV", exact=True).first.click()
    path = tmp_path / "t.csv"
    dl.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(path, encoding="utf-8-sig")  # the header row is the first line
    assert list(df.columns)[:5] == ["일자", "매체", "제목", "저자", "URL"]
    assert "포쓰저널" in set(df["매체"])
    assert dl.value.suggested_filename.startswith("기사_목록_전체_v")  # filters and store version


def test_xlsx_download_has_a_data_and_an_info_sheet(server, page, tmp_path):
    import openpyxl

    page.goto(f"{server}/articles")
    shots.wait_rendered(page, WAIT)
    with page.expect_download(timeout=WAIT) as dl:
        page.get_by_role("button", name="XLSX", exact=True).first.click()
    path = tmp_path / "t.xlsx"
    dl.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["데이터", "정보"]
    assert [c.value for c in wb["데이터"][1]][:5] == ["일자", "매체", "제목", "저자", "URL"]
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert dict(list(wb["정보"].values)[1:])["표 (table)"] == "기사 목록"


def test_png_download_has_the_export_size(server, page, tmp_path):
    page.goto(server)
    shots.wait_rendered(page, WAIT)
    with page.expect_download(timeout=WAIT) as dl:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    path = tmp_path / "t.png"
    dl.value.save_as(path)
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1200, 700)


def test_volume_bar_click_explains_the_period(server, page):
    """Selecting a volume bar lists its articles and 'Why this period' (explain_spike)."""
    page.goto(server)
    shots.wait_rendered(page, WAIT)
    bar = page.locator("[data-testid='stPlotlyChart']").first.locator(".bars path").last
    bar.click(force=True)
    page.get_by_text("Why this period").first.wait_for(timeout=WAIT)
    no_exception(page)
