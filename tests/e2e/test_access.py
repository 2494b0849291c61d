"""Write actions on a real server in Chromium (issue 14 item 2): read-only mode and the write token.

The app is started with `streamlit run` on a free port against a small analysed store, once with
TM_READ_ONLY=1 and once with a write token; the Data page is driven as a visitor would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.harness import shots
from tests.e2e.test_xss import ARGS, CHROMIUM, free_port

pytestmark = pytest.mark.e2e
TOKEN = "e2e-토큰-correct-horse"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    tmp = tmp_path_factory.mktemp("access")
    out = subprocess.run([sys.executable, "-m", "analytics", "ingest", str(ROOT / "data" / "articles"), "--store",
                          str(tmp / "store"), "--no-analyze"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (tmp / "lex").mkdir()
    return tmp


def _serve(tmp: Path, env: dict):
    port = free_port()
    log = open(tmp / f"server-{port}.log", "w")  # noqa: SIM115 (closed below)
    proc = shots.start_app(tmp / "store", port, tmp / "lex", env={"TM_UPLOAD_DIR": str(tmp / "uploads"), **env},
                           log=log)
    return proc, log, f"http://127.0.0.1:{port}"


def _page(pw, url: str):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(url + "/data", wait_until="networkidle")
    page.get_by_text("사용자 사전").first.wait_for(timeout=60_000)
    return browser, page


def test_read_only_server_offers_no_upload_and_no_edit(store):
    from playwright.sync_api import sync_playwright

    proc, log, url = _serve(store, {"TM_READ_ONLY": "1"})
    try:
        with sync_playwright() as pw:
            browser, page = _page(pw, url)
            assert page.get_by_text("읽기 전용 모드입니다").first.is_visible()
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
            for label in ("불용어 저장 Save stopwords", "별칭 저장 Save aliases"):
                assert page.get_by_role("button", name=label).is_disabled()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert not (store / "lex" / "stopwords_user.txt").exists()


def test_write_token_unlocks_only_with_the_right_token_and_stays_out_of_url_and_logs(store):
    from playwright.sync_api import sync_playwright

    proc, log, url = _serve(store, {"TM_WRITE_TOKEN": TOKEN})
    try:
        with sync_playwright() as pw:
            browser, page = _page(pw, url)
            assert page.get_by_text("잠김:").first.is_visible()
            save = page.get_by_role("button", name="불용어 저장 Save stopwords")
            assert save.is_disabled() and page.locator('[data-testid="stFileUploader"]').count() == 0
            box = page.get_by_label("쓰기 토큰 Write token")
            box.fill("wrong-token")
            page.get_by_role("button", name="잠금 풀기 Unlock").click()
            page.get_by_text("토큰이 맞지 않습니다").first.wait_for(timeout=20_000)
            assert save.is_disabled()
            page.get_by_label("쓰기 토큰 Write token").fill(TOKEN)
            page.get_by_role("button", name="잠금 풀기 Unlock").click()
            page.get_by_text("쓰기 가능").first.wait_for(timeout=20_000)
            page.locator('[data-testid="stFileUploader"]').first.wait_for(timeout=20_000)
            assert not page.get_by_role("button", name="불용어 저장 Save stopwords").is_disabled()
            assert TOKEN not in page.url
            page.get_by_role("button", name="불용어 저장 Save stopwords").click()
            page.get_by_text("저장했습니다").first.wait_for(timeout=20_000)
            other = browser.new_page()  # another visitor is still locked
            other.goto(url + "/data", wait_until="networkidle")
            other.get_by_text("잠김:").first.wait_for(timeout=60_000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert (store / "lex" / "stopwords_user.txt").exists()
    assert TOKEN not in "".join(p.read_text(encoding="utf-8", errors="replace") for p in store.glob("server-*.log"))
