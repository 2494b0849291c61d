"""Throughput of the whole per-article analysis beside Kiwi tokenization alone.

Run: `.venv/bin/python tests/bench/bench_nlp.py [--repeat 20]` (a script, not collected by pytest).
On the same texts in the same run it measures characters/second of
(a) Kiwi tokenization alone and (b) sentences + units + keywords + term counts,
with 1 and 2 worker processes (one Kiwi per worker, Kiwi single-threaded inside), and peak RSS.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _init_worker() -> None:
    from analytics.nlp.tokenize import get_kiwi

    get_kiwi(num_workers=1)  # one Kiwi per worker; parallelism comes from the processes


def _tokenize_only(text: str) -> int:
    from analytics.nlp.tokenize import get_kiwi

    return len(get_kiwi().tokenize(text))


def _full_analysis(text: str) -> int:
    """Everything the pipeline does per article: sentences, units, keywords, term counts,
    sentiment per sentence, entities (analytics.analysis.analyze_articles)."""
    from analytics.analysis import analyze_articles

    rows = analyze_articles([("bench", text, "h")])
    return sum(len(v) for v in rows.values())


def _peak_rss_mb(pids: list[int]) -> float:
    """Sum over workers of peak RSS (VmHWM on Linux; current RSS elsewhere)."""
    total = 0.0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            hwm = [ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM:")]
            total += int(hwm[0].split()[1]) / 1024
        else:
            total += psutil.Process(pid).memory_info().rss / 2**20
    return total


def run_case(fn, texts: list[str], workers: int) -> tuple[float, float]:
    """(chars/second, summed peak RSS MB of the workers) for fn over texts."""
    chars = sum(map(len, texts))
    with mp.get_context("spawn").Pool(workers, initializer=_init_worker) as pool:
        pool.map(fn, texts[:workers * 2])  # warm up: load Kiwi in every worker
        pids = [p.pid for p in pool._pool]
        t0 = time.perf_counter()
        pool.map(fn, texts, chunksize=4)
        elapsed = time.perf_counter() - t0
        rss = _peak_rss_mb(pids)
    return chars / elapsed, rss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="times the seed corpus is repeated")
    args = ap.parse_args(argv)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    texts = seeds * args.repeat
    print(f"{len(texts)} articles, {sum(map(len, texts)):,} characters, {psutil.cpu_count()} cores")
    print(f"{'stage':<34}{'workers':>8}{'chars/s':>12}{'peak RSS MB':>15}")
    res = {}
    for name, fn in [("(a) Kiwi tokenize", _tokenize_only),
                     ("(b) full analysis", _full_analysis)]:
        for workers in (1, 2):
            cps, rss = run_case(fn, texts, workers)
            res[(name[:3], workers)] = cps
            print(f"{name:<34}{workers:>8}{cps:>12,.0f}{rss:>15,.0f}")
    print(f"(b)/(a) with 1 worker: {res[('(b)', 1)] / res[('(a)', 1)]:.2f} (issue 17 goal >= 0.7; tests/bench/bench_speed.py compares with Okt)")
    print(f"(b) 2 workers / 1 worker: {res[('(b)', 2)] / res[('(b)', 1)]:.2f} (goal >= 1.7)")
    own = psutil.Process().memory_info().rss / 2**20
    print(f"parent RSS {own:,.0f} MB (parent never loads Kiwi)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
