"""Load benchmark (not a test): 20 headless browser sessions change filters at once against one app.

Usage: .venv/bin/python tests/bench/bench_load.py [--url http://127.0.0.1:8501] [--sessions 20]
         [--rounds 5] [--store data/store]
Without --url it starts `streamlit run dashboard/app.py` on a free port over --store. Each session
(one Chromium, one browser context per session) opens the overview, then per round sets the URL filter
state (granularity and keyword, which live in the query string) and measures the time until the
app has finished rerunning (Streamlit's status widget gone, main block rendered). Prints errors
and p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VARIANTS = ["?gran=year", "?gran=month&q=%EC%9D%B8%EA%B3%B5%EC%A7%80%EB%8A%A5", "?gran=week", "?gran=quarter&uniq=true",
            "?gran=day&q=AI"]


def start_app(store: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"], cwd=ROOT,
                            env={**os.environ, "TM_STORE": store}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("app did not start")


async def wait_updated(page) -> None:
    await page.wait_for_selector('[data-testid="stMain"]', timeout=120_000)
    await page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
        && document.querySelectorAll('[data-testid="stMetric"], [data-testid="stAlert"], .js-plotly-plot').length > 0""",
                                 timeout=120_000, polling=50)


async def session(browser, url: str, rounds: int, times: list[float], errors: list[str], ready) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    try:
        await page.goto(url + "/overview", wait_until="domcontentloaded", timeout=120_000)
        await wait_updated(page)
        for r in range(rounds):
            await ready(r)  # every session changes its filters at the same moment
            start = time.perf_counter()
            await page.goto(url + "/overview" + VARIANTS[r % len(VARIANTS)], wait_until="domcontentloaded",
                            timeout=120_000)
            await wait_updated(page)
            times.append(time.perf_counter() - start)
            exc = page.locator('[data-testid="stException"]')
            if await exc.count():
                errors.append("exception shown: " + (await exc.first.inner_text())[:200])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        await ctx.close()


async def run(url: str, sessions: int, rounds: int) -> tuple[list[float], list[str]]:
    """One Chromium, one context per session (20 browsers would measure the browsers, not the app)."""
    import asyncio

    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    arrived = [0] * rounds
    gates = [asyncio.Event() for _ in range(rounds)]

    async def ready(r: int) -> None:
        arrived[r] += 1
        if arrived[r] >= sessions - sum(1 for e in errors if not e.startswith(("pageerror", "exception"))):
            gates[r].set()
        await asyncio.wait_for(gates[r].wait(), timeout=300)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        await asyncio.gather(*(session(browser, url, rounds, times, errors, ready) for _ in range(sessions)))
        await browser.close()
    return times, errors


def main() -> int:
    import asyncio

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default=None)
    ap.add_argument("--store", default=str(ROOT / "data" / "store"))
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    proc, url = (None, args.url) if args.url else start_app(args.store)
    try:
        times, errors = asyncio.run(run(url, args.sessions, args.rounds))
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=20)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else float("nan")
    print(f"sessions {args.sessions} x rounds {args.rounds}: {len(times)} updates, {len(errors)} errors")
    if times:
        print(f"time until updated: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s")
    for e in errors[:20]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
