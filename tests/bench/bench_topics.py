"""Topic model speed (issue 15 goals: topics for 10,000 articles under a minute on one core; the
토픽 page rerun under 500 ms once computed).

    .venv/bin/python tests/bench/bench_topics.py [--sizes 10000] [--reps 10] [--dir /tmp/tm-bench]

The process is pinned to one core (sched_setaffinity) before anything runs. For each synthetic
store (analytics.synth.write_synthetic_store, shared with the other benchmarks): reading the terms,
the automatic choice of k plus the final fit (what the page does on first open), a fixed k = 10
fit, and then the page's reruns with streamlit's AppTest once the model is on disk (p50 / p95).
CPU seconds are printed beside wall seconds: on a shared machine the wall clock includes waiting
for the core, the process CPU time is what one uncontended core would take.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_dashboard import ensure_store  # noqa: E402
from tests.bench.common import machine, pct, table  # noqa: E402


def fit_times(store: Path) -> list[list[object]]:
    from analytics import topics as tm
    from analytics.filters import Filters
    from analytics.queries import open_corpus, topic_model
    from analytics.queries import topics as qt

    c = open_corpus(store)
    shutil.rmtree(qt._cache_root(), ignore_errors=True)
    t, cpu = time.perf_counter(), time.process_time()
    rows = qt.topic_terms(c, Filters())
    docs = tm.prepare_docs(rows)
    read, read_cpu = time.perf_counter() - t, time.process_time() - cpu
    tokens = sum(len(b) for b in docs.bags)
    out = [["read terms + bags", len(docs.bags), tokens, "", read, read_cpu]]
    for k, name in ((0, "auto k (candidates + final fit)"), (10, "fixed k = 10")):
        t, cpu = time.perf_counter(), time.process_time()
        res = topic_model(c, Filters(), k)
        out.append([name, res["meta"]["n_modelled"], tokens, res["meta"]["k"], time.perf_counter() - t,
                    time.process_time() - cpu])
    return out


def page_reruns(store: Path, reps: int) -> tuple[float, list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["TM_STORE"] = str(store)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    at.run()
    t = time.perf_counter()
    at.switch_page("app_pages/topics.py").run()
    first = time.perf_counter() - t
    assert not at.exception, [e.value for e in at.exception]
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - t)
    return first, samples


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/tm-bench"))
    a = ap.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    os.environ.setdefault("TM_QUERY_CACHE", str(a.dir / "qcache"))
    print(machine(), "· pinned to 1 core", flush=True)
    for n in a.sizes:
        store = ensure_store(a.dir, n)
        rows = fit_times(store)
        print(f"\n### {n:,} synthetic articles: fit (seconds, one core)")
        print(table(["step", "articles", "tokens", "k", "wall s", "CPU s"], rows))
        first, samples = page_reruns(store, a.reps)
        print(f"\n### {n:,} articles: 토픽 page (model on disk)")
        print(table(["first open (s)", "rerun p50 (ms)", "rerun p95 (ms)"],
                    [[first, pct(samples, 50) * 1000, pct(samples, 95) * 1000]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
