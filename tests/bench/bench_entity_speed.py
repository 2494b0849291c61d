"""The entity recognizer's own speed, numpy tagger (`fastcrf`) beside crfsuite's `Tagger`, on real text.

Usage: python tests/bench/bench_entity_speed.py [--texts export|seeds] [--batch-size B] [--passes N]
Sentences: the seed articles and the BIG Kinds export's titles + excerpts as `analyze_batch` splits
them (Kiwi tokens computed once, outside the timing); `extract` is called as `analyze_articles`
calls it, one call per batch of `--batch-size` articles. Each pass runs both paths, alternating,
in one process and one thread, CPU time (`time.process_time`: the machine is shared); the first
pass has cold feature caches. Also checks that both paths give the same labels and entities.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from tests.bench.bench_speed import BIGKINDS, load_texts  # noqa: E402
from tests.bench.common import machine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from analytics.ingest.boilerplate import analysed_text
    from analytics.nlp.entities.recognizer import EntityRecognizer
    from analytics.nlp.tokenize import analyze_batch

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", choices=("export", "seeds"), default="export")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    docs = analyze_batch([analysed_text(t) for t in load_texts(BIGKINDS, args.texts)])
    batches = []
    for i in range(0, len(docs), args.batch_size):
        sents = [s for d in docs[i:i + args.batch_size] for s in d]
        batches.append(([s.text for s in sents], [s.tokens for s in sents]))
    n_sent = sum(len(b[0]) for b in batches)
    n_char = sum(len(t) for b in batches for t in b[0])
    print(f"{len(docs)} texts, {n_sent:,} sentences, {n_char:,} characters; batches of {args.batch_size} texts")
    from analytics.nlp.entities import viterbi as V

    fast = EntityRecognizer(fast=True)
    # fastcrf decodes with numpy until that has cost numba's start-up (~1 s), then with numba:
    # both timed here (at this size a fresh process would stay on numpy)
    paths = {"crfsuite": EntityRecognizer(fast=False), "fastcrf": fast, "fastcrf+numba": fast}
    start_cost = {"crfsuite": V.NUMBA_START_COST, "fastcrf": float("inf"), "fastcrf+numba": 0.0}
    t0 = time.process_time()
    fast._fast()
    print(f"fastcrf tables built in {time.process_time() - t0:.2f} s CPU (once per process)")
    t0 = time.process_time()
    V._kernel()
    fast.tag_many(batches[0][0][:2], batches[0][1][:2])
    print(f"numba imported and its kernel loaded in {time.process_time() - t0:.2f} s CPU (once per process)")
    results: dict[str, list] = {}
    times: dict[str, list[float]] = {k: [] for k in paths}
    tag_times: dict[str, list[float]] = {k: [] for k in paths}
    for p in range(args.passes):
        for name in (list(paths) if p % 2 == 0 else list(paths)[::-1]):
            rec = paths[name]
            V.NUMBA_START_COST = start_cost[name]
            t0 = time.process_time()
            out = [rec.extract(texts, toks) for texts, toks in batches]
            times[name].append(time.process_time() - t0)
            t0 = time.process_time()
            for texts, toks in batches:
                rec.tag_many(texts, toks)
            tag_times[name].append(time.process_time() - t0)
            results[name] = out
    for name in paths:
        ms = [1000 * t / n_sent for t in times[name]]
        tag_ms = [1000 * t / n_sent for t in tag_times[name]]
        print(f"{name:13s} extract ms/sentence per pass: {' '.join(f'{x:.3f}' for x in ms)} "
              f"(best {n_sent / min(times[name]):,.0f} sentences/s); features + tagging alone: "
              f"{' '.join(f'{x:.3f}' for x in tag_ms)}")
    same = results["crfsuite"] == results["fastcrf"]
    labels = [paths[n].tag_many(t, k) for n in ("crfsuite", "fastcrf") for t, k in batches[:1]]
    print(f"entities identical: {same}; first batch's labels identical: {labels[0] == labels[1]}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
