"""Keyword queries `(a0 OR b0) AND … AND (aN OR bN)`: parse and answer times by number of groups.

Before issue 14 the query was expanded to 2^N AND groups: 6 groups cost 14-16 s of CPU per uncached
query, 7 ran DuckDB out of memory, 8 failed with "max_expression_depth", and parsing 14 groups
took 2.5 s. Now the boolean tree is evaluated over per-term article sets (queries.sql._query_sql).
Store: N_ARTICLES articles, each holding each of the 2 x 20 terms with probability 0.8.
Usage: python tests/bench/bench_boolean_query.py [--articles 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def build(root: Path, n: int) -> None:
    from analytics.store import Change, Store

    rng = random.Random(14)
    docs = {f"d{k:06d}": {f"{x}{i:02d}" for i in range(20) for x in "ab" if rng.random() < 0.8} for k in range(n)}
    ch = Change()
    ch.append("articles", [{"id": d, "source": "조선", "title": d, "text": "…", "language": "ko", "cluster_id": d,
                            "is_excerpt": False, "synthetic": True, "n_chars": 1} for d in docs])
    ch.append("terms", [{"article_id": d, "term": t, "cls": "common", "count": 1} for d, ts in docs.items() for t in ts])
    ch.append("sentences", [{"article_id": d, "pos": 0, "start": 0, "end": 1, "text": "…", "label": "neutral",
                             "score": 0.0, "terms": sorted(ts)} for d, ts in docs.items()])
    with Store(root).writer() as w:
        w.commit(ch, "synthetic", note=json.dumps({"synthetic": True}))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=5000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-boolq-"))
    os.environ["TM_QUERY_CACHE"] = str(tmp / "qcache")
    from analytics import queries
    from analytics.filters import Filters, parse_tree

    build(tmp / "store", args.articles)
    c = queries.open_corpus(tmp / "store", tmp / "nolex")
    print(f"{args.articles:,} articles (synthetic, seeded); times are wall clock on a shared machine")
    print("| groups | chars | parse ms | articles query ms | kpis ms | matching articles |")
    print("|---|---|---|---|---|---|")
    for groups in (1, 6, 8, 14, 20, 32):
        q = " AND ".join(f"(a{i % 20:02d} OR b{i % 20:02d})" for i in range(groups))
        t0 = time.perf_counter()
        parse_tree(q)
        t1 = time.perf_counter()
        n = len(queries.articles(c, Filters(query=q)))
        t2 = time.perf_counter()
        queries.kpis(c, Filters(query=q))
        t3 = time.perf_counter()
        print(f"| {groups} | {len(q)} | {1000 * (t1 - t0):.2f} | {1000 * (t2 - t1):.0f} | {1000 * (t3 - t2):.0f} | {n:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
