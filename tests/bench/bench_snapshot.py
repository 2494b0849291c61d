"""Snapshot query tables: full build vs incremental build after an ingest of 1% more articles, and
the first page view after that upload (open the corpus + the overview's queries).

    .venv/bin/python tests/bench/bench_snapshot.py [--size 100000] [--share 0.01] [--dir /tmp/tm-bench]

The store is a copy of the synthetic store of bench_queries (analytics.synth), so the benchmark
store itself is never grown. Not a pytest test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analytics import queries as q  # noqa: E402
from analytics.filters import Filters  # noqa: E402
from analytics.queries import build, postings  # noqa: E402
from analytics.store import Store  # noqa: E402
from analytics.synth import write_synthetic_store  # noqa: E402
from tests.bench.common import machine  # noqa: E402


def first_view(store: Path) -> float:
    """Seconds to open the new snapshot and answer the overview page's queries."""
    t = time.perf_counter()
    c = q.open_corpus(store)
    f = Filters()
    q.kpis(c, f)
    q.volume(c, f, "month")
    q.top_keywords(c, f, 20, "tf")
    q.top_entities(c, f, n=10)
    q.sentiment_over_time(c, f)
    return time.perf_counter() - t


_spent: dict[str, float] = {}


def _timed(name: str, fn):
    """`fn`, its time added to _spent[name] (the postings' share of a build)."""
    def run(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - t
    return run


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--share", type=float, default=0.01)
    ap.add_argument("--dir", type=Path, default=Path(os.environ.get("TM_BENCH_DIR", "/tmp/tm-bench")))
    ap.add_argument("--work", type=Path, default=None, help="folder for the store copy (default: the temp dir)")
    args = ap.parse_args()
    src = args.dir / f"synth-{args.size}"
    if not (src / "snapshots").exists():
        write_synthetic_store(src, args.size)
    postings.write_full = _timed("full", postings.write_full)
    postings.write_delta = _timed("delta", postings.write_delta)
    work = Path(tempfile.mkdtemp(prefix="tm-bench-snap-", dir=args.work))
    os.environ["TM_QUERY_CACHE"] = str(work / "cache")
    try:
        store_dir = work / "store"
        shutil.copytree(src, store_dir)
        store = Store(store_dir)
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
        t = time.perf_counter()
        build.base_db(store, store.snapshot())
        full = time.perf_counter() - t
        print(f"full build, {args.size:,} articles: {full:.1f} s (of which postings {_spent.get('full', 0):.1f} s)")
        k = max(1, int(args.size * args.share))
        t = time.perf_counter()
        write_synthetic_store(store_dir, k, first=args.size)
        print(f"ingest of {k:,} more articles (direct write): {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        path = build.base_db(store, store.snapshot())
        inc = time.perf_counter() - t
        print(f"incremental build (+{k:,}): {inc:.2f} s = {100 * inc / full:.1f}% of the full build "
              f"({build.built_how(path)['how']}; postings {_spent.get('delta', 0):.2f} s; delta file "
              f"{path.stat().st_size / 1e6:.0f} MB, base {build.layers(path)[0].stat().st_size / 1e6:.0f} MB)")
        print(f"first page view after the upload (open + overview queries): {first_view(store_dir):.2f} s; "
              f"load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
