"""Beside a peer: KoNLPy Okt nouns + counting (the stack most Korean text-mining tutorials use)
against our full per-article analysis, on the same texts in the same run.

Usage: python tests/bench/bench_peer.py [N_ARTICLES]   (needs `pip install -r requirements-bench.txt` and Java)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import machine, table  # noqa: E402


def texts(n: int) -> list[str]:
    import random

    sents = []
    for f in sorted((ROOT / "data" / "articles").glob("*.txt")):
        sents += [s.strip() + "." for s in f.read_text(encoding="utf-8").split(".") if len(s.strip()) > 20]
    rng = random.Random(1)
    return [" ".join(rng.choice(sents) for _ in range(rng.randint(8, 30))) for _ in range(n)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    docs = texts(n)
    chars = sum(map(len, docs))
    rows = []
    try:
        from konlpy.tag import Okt
    except ImportError:
        print("KoNLPy is not installed: pip install -r requirements-bench.txt (needs Java)")
        Okt = None
    if Okt is not None:
        okt = Okt()
        okt.nouns(docs[0])  # JVM warm-up
        t = time.perf_counter()
        counts = [Counter(okt.nouns(d)) for d in docs]
        dt = time.perf_counter() - t
        rows.append(["KoNLPy Okt nouns + Counter (peer)", n, dt, chars / dt, "noun counts only"])
        assert len(counts) == n
    from analytics.analysis import analyze_articles

    analyze_articles([("warm", docs[0], "h")])  # load Kiwi and the models once
    t = time.perf_counter()
    analyze_articles([(str(i), d, "h") for i, d in enumerate(docs)])
    dt = time.perf_counter() - t
    rows.append(["ours: full analysis, 1 process", n, dt, chars / dt,
                 "sentences, units, phrases, YAKE keywords, term counts, sentiment, entities"])
    print(f"machine: {machine()}")
    print(table(["stack", "articles", "seconds", "chars/s", "does"], rows))
    if len(rows) == 2:
        print(f"ours / peer speed: {rows[1][3] / rows[0][3]:.1f}x")


if __name__ == "__main__":
    main()
