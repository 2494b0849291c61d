"""Regenerate docs/screenshots/<page>.png: every dashboard page on the sample corpus.

Builds a store from data/articles in a temporary directory (ingest + analyze), starts
`streamlit run dashboard/app.py` on a free port against it, and captures each page in the
system Chromium with Playwright.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--store DIR]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = {  # url path (overview is the default page at /) -> extra query string that fills the page with something to see
    "overview": "",
    "keywords": "terms=혁신,기술,일본",
    "sentiment": "target=혁신",
    "entities": "",
    "compare": "",
    "articles": "",
    "data": "",
    "method": "",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(store_dir: Path) -> None:
    from analytics.ingest import ingest
    from analytics.pipeline import analyze
    from analytics.store import Store

    store = Store(store_dir)
    ingest([ROOT / "data" / "articles"], store)
    try:
        analyze(store, workers=1)
    except Exception as e:  # screenshots of the ingest-only pages are still useful
        print(f"analyze failed ({type(e).__name__}: {e}); continuing with ingest only", file=sys.stderr)


def start_app(store_dir: Path, port: int, lexicon_dir: Path | None = None, env: dict | None = None,
              log=None) -> subprocess.Popen:
    """`streamlit run` on `port` against `store_dir`, returned once it answers its health check.
    `env` adds settings (TM_READ_ONLY, TM_WRITE_TOKEN…); `log`, an open file, receives its output."""
    env = dict(os.environ, TM_STORE=str(store_dir), BROWSER_PATH=CHROMIUM, **(env or {}))
    if lexicon_dir is not None:
        env["TM_LEXICON_DIR"] = str(lexicon_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT if log else subprocess.PIPE)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start within 90 s")


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app is idle: a page title is shown and no element is still running."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(1000)
    if page.locator("[data-testid='stPlotlyChart']").count():  # plotly draws after the script finishes
        page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=timeout_ms)
    page.wait_for_timeout(1500)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--store", default=None, help="an existing store (default: build one in a temp dir)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(args.store) if args.store else Path(tmp) / "store"
        if not args.store:
            build_store(store_dir)
        port = free_port()
        proc = start_app(store_dir, port, Path(tmp) / "lexicon")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for name, query in PAGES.items():
                    page.goto(f"http://127.0.0.1:{port}/{'' if name == 'overview' else name}" + (f"?{query}" if query else ""))
                    wait_rendered(page)
                    page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                    print(f"wrote {out / f'{name}.png'}")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
