"""Article text with <script>, HTML and Markdown is shown as text in the dashboard: no script runs.

Ingests one hostile article, starts the real app (`streamlit run`) on a free port against that
store, opens the Articles page in Chromium, selects the article and checks that
`window.__xss` stays undefined while the literal `<script>` text is visible.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
MD = "**bold** [link](javascript:alert(1))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    tmp = tmp_path_factory.mktemp("xss")
    (tmp / "in").mkdir()
    (tmp / "in" / "hostile.txt").write_text(
        f"악성 제목 {SCRIPT} {IMG}\n\n본문은 글자로만 보여야 한다. {SCRIPT}\n{IMG}\n{MD}\n"
        "인공지능 기술이 산업 전반을 바꾸고 있다.", encoding="utf-8")
    store = tmp / "store"
    out = subprocess.run([sys.executable, "-m", "analytics", "ingest", str(tmp / "in"), "--store", str(store),
                          "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port",
                             str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env={**os.environ, "TM_STORE": str(store)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_hostile_article_is_shown_as_text_and_no_script_runs(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(app + "/articles", wait_until="networkidle")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        canvas = grid.locator("canvas").first
        canvas.wait_for(timeout=30_000)
        box = canvas.bounding_box()
        # glide-data-grid draws on a canvas: click the first data row's selection marker
        # (left edge, below the header row), retrying while the app settles
        reader = page.locator('[data-testid="stText"]').filter(has_text="window.__xss=1")
        for _ in range(5):
            page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
            try:
                reader.first.wait_for(timeout=6_000)
                break
            except Exception:
                time.sleep(1)
        reader.first.wait_for(timeout=10_000)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert SCRIPT in reader.first.inner_text() and reader.first.is_visible()
        assert page.locator("script:text('window.__xss')").count() == 0
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
        assert dialogs == []
        browser.close()
