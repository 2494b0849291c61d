"""Dashboard speed and memory at 10,000 and 100,000 articles (issue 8 goals: page rerun < 500 ms,
dashboard RSS < 600 MB at 100,000).

    .venv/bin/python tests/bench/bench_dashboard.py [--sizes 10000 100000] [--reps 10] [--dir /tmp/tm-bench]

(1) Page reruns with streamlit's AppTest: each page once cold, then reruns that change the source
filter every time (cache misses, the realistic case) -> p50 / p95.
(2) A real `streamlit run` server visited page by page in headless Chromium; its peak RSS (VmHWM):
first every page twice with the default filters, then (unless --no-keywords) keyword-query
sessions: every page under each of several sidebar keyword queries (`?q=` in the URL, as a shared
link opens it) over frequent terms, the queries that select the largest article sets and so touch
the most postings and DuckDB pages. The server's RSS is split into heap (RssAnon) and file-backed
pages (RssFile: the memory-mapped postings and DuckDB file pages, evictable page cache).
The 토픽 page is left out: it fits a topic model of the filtered articles on first view (minutes
at 100k, hours at 1M).
Synthetic stores come from analytics.synth.write_synthetic_store (shared with bench_queries);
`--dir` names the folder holding synth-<N> (TM_QUERY_CACHE, if set, the query tables' cache).
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


def _status(pid: int) -> dict[str, float]:
    """VmRSS, VmHWM, RssAnon, RssFile of a process, MB."""
    out = {}
    for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = ln.partition(":")
        if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[k] = int(v.split()[0]) / 1024
    return out


def _settle(pg, pid: int, timeout_s: float = 900) -> float:
    """Wait until the page has its title and the server has been idle (under 2 % of a core) for
    1.5 s; the seconds until then. (With the toolbar in minimal mode the page shows no running
    indicator to wait for, so the server's own CPU time says when the script run is over.)"""
    import psutil

    t = time.perf_counter()
    pg.wait_for_selector("h1", timeout=timeout_s * 1000)
    server = psutil.Process(pid)
    quiet, last = None, sum(server.cpu_times()[:2])
    while time.perf_counter() - t < timeout_s:
        time.sleep(0.25)
        now = sum(server.cpu_times()[:2])
        if now - last > 0.005:
            quiet = None
        elif quiet is None:
            quiet = time.perf_counter()
        elif time.perf_counter() - quiet >= 1.5:
            return quiet - t
        last = now
    return time.perf_counter() - t


def keyword_queries(store: Path, n: int = 4) -> list[str]:
    """Sidebar keyword queries over the store's frequent terms (as bench_queries.py: `A OR B` of
    two of the 15 most frequent selects ~45 % of the articles): two ORs, one term, one AND."""
    from analytics import queries as q
    from analytics.filters import Filters

    top = q.top_keywords(q.open_corpus(store), Filters(), n=40, method="tf")["term"].tolist()
    t = top[5:15]
    return [f"{t[0]} OR {t[1]}", f"{t[2]} OR {t[3]}", t[4], f"{t[5]} AND {t[6]}"][:n]


def server_rss(store: Path, queries: list[str] | None = None) -> list[list[object]]:
    """Rows (phase, visits, seconds per visit p50 / max, peak RSS, RSS, heap, file-backed) of a
    streamlit server: every page twice with the default filters, then every page under each
    keyword query."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "TM_STORE": str(store)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                             "--server.port", str(port), "--server.headless", "true"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        time.sleep(5)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            pg = b.new_page()
            phases = [("default filters, every page twice", [f"/{page}" for _ in range(2) for page in PAGES])]
            for qq in queries or []:
                phases.append((f"keyword query '{qq}', every page", [f"/{page}?q={quote(qq)}" for page in PAGES]))
            for name, urls in phases:
                took = []
                for u in urls:
                    pg.goto(f"http://127.0.0.1:{port}{u}")
                    took.append(_settle(pg, proc.pid))
                m = _status(proc.pid)
                rows.append([name, len(urls), pct(took, 50), max(took), m["VmHWM"], m["VmRSS"], m["RssAnon"],
                             m["RssFile"]])
                print(f"  {name}: peak {m['VmHWM']:,.0f} MB", file=sys.stderr, flush=True)
            b.close()
        return rows
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/tm-bench"))
    ap.add_argument("--large-store", type=Path, default=os.environ.get("TM_BENCH_LARGE_STORE") or None,
                    help="also a large synthetic store already written (issue 17: RSS at 1,000,000 articles)")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-reruns", action="store_true", help="only the server's RSS")
    ap.add_argument("--no-keywords", action="store_true", help="no keyword-query sessions")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    stores = [(f"{n:,} articles", ensure_store(args.dir, n)) for n in args.sizes]
    if args.large_store is not None and (Path(args.large_store) / "snapshots").exists():
        stores.append((f"the large store {args.large_store}", Path(args.large_store)))
    elif max(args.sizes) < 1_000_000:
        print("\n1,000,000 articles: not measured, no large store given (--large-store DIR or TM_BENCH_LARGE_STORE)")
    for n, store in stores:
        if not args.no_reruns:
            print(f"\n### {n}: page reruns (AppTest, source filter changed on every rerun)")
            print(table(["page", "cold ms", "rerun p50 ms", "rerun p95 ms", ""], page_reruns(store, args.reps)))
        if not args.no_browser:
            qs = [] if args.no_keywords else keyword_queries(store)
            rows = server_rss(store, qs)
            print(f"\n### {n}: dashboard server memory (cumulative over the phases, MB; "
                  f"load average {os.getloadavg()[0]:.1f} at the end)")
            print(table(["phase", "visits", "s per visit p50", "max", "peak RSS", "RSS", "heap", "file-backed"], rows))
            print(f"dashboard server peak RSS: {max(r[4] for r in rows):,.0f} MB")


if __name__ == "__main__":
    main()
