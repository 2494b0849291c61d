"""Dashboard speed and memory at 10,000 and 100,000 articles (issue 8 goals: page rerun < 500 ms,
dashboard RSS < 600 MB at 100,000).

    .venv/bin/python tests/bench/bench_dashboard.py [--sizes 10000 100000] [--reps 10] [--dir /tmp/tm-bench]

(1) Page reruns with streamlit's AppTest: each page once cold, then reruns that change the source
filter every time (cache misses, the realistic case) -> p50 / p95.
(2) A real `streamlit run` server visited page by page in headless Chromium; its peak RSS (VmHWM).
Synthetic stores come from analytics.synth.write_synthetic_store (shared with bench_queries).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import machine, pct, table  # noqa: E402

PAGES = ["overview", "keywords", "sentiment", "entities", "compare", "articles"]


def ensure_store(base: Path, n: int) -> Path:
    from analytics.store import Store
    from analytics.synth import write_synthetic_store

    root = base / f"synth-{n}"  # the same store as bench_queries.py
    if not Store(root).exists():
        t = time.perf_counter()
        write_synthetic_store(root, n)
        print(f"built synthetic store of {n:,} articles in {time.perf_counter() - t:.0f} s", flush=True)
    return root


def page_reruns(store: Path, reps: int) -> list[list[object]]:
    from streamlit.testing.v1 import AppTest

    from analytics.queries import open_corpus, sources

    os.environ["TM_STORE"] = str(store)
    srcs = sources(open_corpus(store))[:reps]
    rows = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
        t = time.perf_counter()
        at.run()
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py").run()
        cold = time.perf_counter() - t
        samples = []
        for i in range(reps):
            at.session_state["sources"] = [srcs[i % len(srcs)]]
            t = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - t)
        err = "error" if at.exception else ""
        rows.append([page, cold * 1000, pct(samples, 50) * 1000, pct(samples, 95) * 1000, err])
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_rss(store: Path) -> float:
    """Peak RSS (MB) of a streamlit server after a browser visits every page twice."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "TM_STORE": str(store)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                             "--server.port", str(port), "--server.headless", "true"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            pg = b.new_page()
            for _ in range(2):
                for page in PAGES:
                    pg.goto(f"http://127.0.0.1:{port}/{page}")
                    pg.wait_for_selector("h1", timeout=300_000)
                    pg.wait_for_timeout(4000)
            b.close()
        status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
        return int(next(ln for ln in status if ln.startswith("VmHWM")).split()[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/tm-bench"))
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    for n in args.sizes:
        store = ensure_store(args.dir, n)
        print(f"\n### {n:,} articles: page reruns (AppTest, source filter changed on every rerun)")
        print(table(["page", "cold ms", "rerun p50 ms", "rerun p95 ms", ""], page_reruns(store, args.reps)))
        if not args.no_browser:
            print(f"dashboard server peak RSS after visiting every page twice: {server_rss(store):,.0f} MB")


if __name__ == "__main__":
    main()
