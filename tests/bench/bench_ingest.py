"""Ingest of an unchanged corpus again costs at most 5% of the first run (goal of issue 8).

Usage: python tests/bench/bench_ingest.py [N_ARTICLES]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analytics.ingest import ingest  # noqa: E402
from analytics.store import Store  # noqa: E402
from tests.bench.common import machine, table  # noqa: E402


def make_corpus(folder: Path, n: int) -> None:
    """n text files recombined from the sample corpus sentences (synthetic, never shown as real)."""
    import random

    sents = []
    for f in sorted((ROOT / "data" / "articles").glob("*.txt")):
        sents += [s.strip() + "." for s in f.read_text(encoding="utf-8").split(".") if len(s.strip()) > 20]
    rng = random.Random(0)
    for i in range(n):
        body = " ".join(rng.choice(sents) for _ in range(rng.randint(8, 30)))
        (folder / f"synthetic_{i:06d}.txt").write_text(f"합성 기사 {i}\n\n{body}", encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        make_corpus(corpus, n)
        store = Store(tmp / "store")
        t = time.perf_counter()
        first = ingest([corpus], store)
        t_first = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest([corpus], store)
        t_again = time.perf_counter() - t
        print(f"machine: {machine()}")
        print(table(["run", "articles", "seconds", "share of first"], [
            ["first ingest", first.added, t_first, 1.0],
            ["unchanged re-ingest", again.unchanged, t_again, t_again / t_first],
        ]))
        print(f"goal: re-ingest <= 5% of first -> {'met' if t_again <= 0.05 * t_first else 'NOT met'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
