"""Query latency benchmark: p50 / p95 of every analytics.queries function on synthetic stores.

    .venv/bin/python tests/bench/bench_queries.py [--sizes 100000] [--reps 20] [--dir /tmp/tm-bench]
        [--large-store DIR]   # also a large store already written (issue 17: 1,000,000 articles)

Stores are written directly by analytics.synth.write_synthetic_store (no NLP: a Zipf vocabulary of
real Korean terms, see docs/PERFORMANCE.md) and reused when present. A 1,000,000-article store is
not written here (~9 min to write, ~50 min for its query tables on 2 cores): `--large-store` (or
TM_BENCH_LARGE_STORE) names one, e.g. written by `python -m analytics synth --articles 1000000
--out DIR`; its query tables are built on first open (TM_QUERY_CACHE says where) and reused. Each query runs once to warm up, then `--reps` times with varied arguments
(different terms, sources, periods) so no single cached plan flatters it.
Not a pytest test: it prints a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analytics import queries as q  # noqa: E402
from analytics.alerts import find_alerts  # noqa: E402
from analytics.filters import Filters  # noqa: E402
from analytics.queries import bigkinds as bk  # noqa: E402
from analytics.queries.tone import sentiment_drivers  # noqa: E402
from analytics.synth import write_synthetic_store  # noqa: E402


def rss_mb(field: str = "VmRSS") -> float:
    """This process' resident memory (MB): VmRSS, or RssAnon (heap), RssFile (mapped files: the
    memory-mapped postings, evictable page cache), VmHWM (peak)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_line() -> str:
    return (f"RSS {rss_mb():.0f} MB (anon {rss_mb('RssAnon'):.0f}, file-backed {rss_mb('RssFile'):.0f}), "
            f"peak {rss_mb('VmHWM'):.0f} MB")


def cases(c: q.Corpus) -> dict[str, list]:
    """name -> list of zero-argument callables (the varied repetitions cycle through them)."""
    top = q.top_keywords(c, Filters(), n=40, method="tf")["term"].tolist()
    terms = top[5:15] or ["반도체"]
    ents = q.top_entities(c, Filters(), n=10)["entity"].tolist() or ["서울"]
    srcs = q.sources(c)[:4]
    fs = [Filters(), Filters(sources=(srcs[0],)), Filters(years=(2023,)),
          Filters(date_from=date(2021, 1, 1), date_to=date(2022, 12, 31)),
          Filters(query=f"{terms[0]} OR {terms[1]}"), Filters(sources=tuple(srcs[1:3]), unique_stories=True)]
    d = [(date(2019, 3, 1), date(2019, 3, 31)), (date(2022, 6, 1), date(2022, 8, 31)), (date(2024, 1, 1), date(2024, 12, 31))]
    return {
        "volume": [lambda f=f: q.volume(c, f, "month") for f in fs],
        "kpis": [lambda f=f: q.kpis(c, f) for f in fs],
        "articles": [lambda f=f: q.articles(c, f, limit=500) for f in fs],
        "keyword_trend": [lambda f=f, t=t: q.keyword_trend(c, f, (t, terms[2]), "month") for f in fs for t in terms[:2]],
        "keyword_trend/source": [lambda f=f: q.keyword_trend(c, f, (terms[3],), "year", by_source=True) for f in fs],
        "top_keywords/yake": [lambda f=f: q.top_keywords(c, f, 50, "yake") for f in fs],
        "top_keywords/tf": [lambda f=f: q.top_keywords(c, f, 50, "tf") for f in fs],
        "rising_terms": [lambda f=f, a=a, b=b: q.rising_terms(c, f, a, b) for f in fs[:3] for a, b in d],
        "distinctive_terms": [lambda a=a, b=b: q.distinctive_terms(c, Filters(sources=(a,)), Filters(sources=(b,)))
                              for a, b in zip(srcs, srcs[1:], strict=False)],
        "related/article": [lambda f=f, t=t: q.related_terms(c, f, t, "article") for f in fs[:3] for t in terms[:3]],
        "related/sentence": [lambda f=f, t=t: q.related_terms(c, f, t, "sentence") for f in fs[:3] for t in terms[:3]],
        "cooccurrence_network": [lambda f=f: q.cooccurrence_network(c, f) for f in fs],
        "kwic": [lambda f=f, t=t: q.kwic(c, f, t) for f in fs[:3] for t in terms[:3]],
        "sentiment_over_time": [lambda f=f: q.sentiment_over_time(c, f) for f in fs],
        "sentiment_by_source": [lambda f=f: q.sentiment_by_source(c, f) for f in fs],
        "target_sentiment": [lambda f=f, t=t: q.target_sentiment(c, f, t) for f in fs[:3] for t in ents[:3]],
        "top_entities": [lambda f=f: q.top_entities(c, f) for f in fs],
        "entity_timeline": [lambda f=f, e=e: q.entity_timeline(c, f, e) for f in fs[:3] for e in ents[:3]],
        "entity_network": [lambda f=f: q.entity_network(c, f) for f in fs],
        "entity_articles": [lambda f=f, e=e: q.entity_articles(c, f, e, limit=500) for f in fs[:3] for e in ents[:3]],
        "explain_spike": [lambda f=f, a=a, b=b: q.explain_spike(c, f, a, b) for f in fs[:3] for a, b in d],
        "article_reader": [lambda i=i: (q.article_keywords(c, i), q.article_entities(c, i), q.article_sentences(c, i))
                           for i in q.articles(c, Filters(), limit=5)["id"]],
        "sentiment_drivers": [lambda f=f, t=t: sentiment_drivers(c, f, t) for f in fs[:3] for t in (None, ents[0])],
        "sentiment_driver_evidence": [lambda f=f, t=t: q.sentiment_driver_evidence(c, f, t, "negative")
                                      for f in fs[:3] for t in terms[:2]],
        "query_trend": [lambda f=f: q.query_trend(c, f, (f"{terms[0]} AND {terms[1]}", f"{terms[2]} OR {terms[3]}"))
                        for f in fs],
        "issues": [lambda f=f: q.issues(c, f, *q.issue_period(c, f)) for f in fs[:3]],
        "alerts": [lambda f=f: find_alerts(c, f) for f in fs[:3]],
        "bigkinds_comparison": [lambda f=f: (bk.excerpt_share(c, f), bk.entity_comparison(c, f), bk.keyword_comparison(c, f))
                                for f in fs[:3]],
    }


def bench(store: Path, reps: int, only: list[str] | None = None) -> tuple[int, list[tuple[str, float, float, float]]]:
    """(articles in the store, rows (query, p50 ms, p95 ms, cpu p95 ms))."""
    t = time.perf_counter()
    c = q.open_corpus(store)
    n = int(c.sql("SELECT count(*) AS n FROM art")["n"].iloc[0])
    print(f"  {n:,} articles: open_corpus {time.perf_counter() - t:.1f} s, {rss_line()}", file=sys.stderr)
    t = time.perf_counter()
    q.warm_up(c)  # as the dashboard does in a background thread when it opens a corpus
    print(f"  warm_up (postings maps, compiled loops) {time.perf_counter() - t:.2f} s", file=sys.stderr)
    out = []
    for name, fns in cases(c).items():
        if only and not any(name.startswith(o) for o in only):
            continue
        fns[0]()
        times, cpu = [], []
        for i in range(reps):
            t, tc = time.perf_counter(), time.process_time()
            fns[i % len(fns)]()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - tc) * 1000)
        times.sort()
        cpu.sort()
        at95 = min(len(times) - 1, int(round(0.95 * (len(times) - 1))))
        out.append((name, statistics.median(times), times[at95], cpu[at95]))
    print(f"  after the queries: {rss_line()}", file=sys.stderr)
    return n, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000],
                    help="synthetic store sizes under --dir (none: only the large store)")
    ap.add_argument("--large-store", type=Path, default=os.environ.get("TM_BENCH_LARGE_STORE") or None,
                    help="a large synthetic store already written (default: TM_BENCH_LARGE_STORE)")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--only", nargs="*", help="query name prefixes to run (default: all)")
    ap.add_argument("--dir", type=Path, default=Path(os.environ.get("TM_BENCH_DIR", "/tmp/tm-bench")))
    args = ap.parse_args()
    results = {}
    for n in args.sizes:
        store = args.dir / f"synth-{n}"
        if not (store / "snapshots").exists():
            t = time.perf_counter()
            write_synthetic_store(store, n)
            print(f"wrote {n} synthetic articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        print(f"benchmarking {n} articles", file=sys.stderr)
        results[n] = bench(store, args.reps, args.only)[1]
    if args.large_store is None:
        print("1,000,000 articles: not measured, no large store given (--large-store DIR or TM_BENCH_LARGE_STORE; "
              "write one with `python -m analytics synth --articles 1000000 --out DIR`, ~9 min, and its query "
              "tables take ~50 min on first open)")
    elif not (Path(args.large_store) / "snapshots").exists():
        print(f"large store {args.large_store}: no store there, not measured")
    else:
        print(f"benchmarking the large store {args.large_store}", file=sys.stderr)
        n, rows = bench(Path(args.large_store), args.reps, args.only)
        results[n] = rows
    names = [r[0] for r in next(iter(results.values()))]
    print(f"load average {os.getloadavg()[0]:.1f} at the end (2 cores); cpu = the process' CPU time (all its threads)")
    head = "| query | " + " | ".join(f"p50 {n:,} | p95 {n:,} | cpu p95 {n:,}" for n in results) + " |"
    print(head)
    print("|" + "---|" * (1 + 3 * len(results)))
    for i, name in enumerate(names):
        cells = " | ".join(f"{results[n][i][1]:.0f} ms | {results[n][i][2]:.0f} ms | {results[n][i][3]:.0f} ms"
                           for n in results)
        print(f"| {name} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
