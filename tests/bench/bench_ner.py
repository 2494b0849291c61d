"""Entity recognizer speed on one core and entity F1 on our own held-out KLUE split.

Run: `nice .venv/bin/python tests/bench/bench_ner.py [--repeat 5]` (a script, not collected by pytest).
The timed sentences are the seeded 20 % of the shared KLUE-NER dev part (`ner_train.split`). Since
2026-12-01 the shipped model is trained on every sentence of that file, so the F1 printed for them
touches training data (it says so); the figure for unseen sentences is the k-fold one from
`meta.json` (`cv`), printed beside it. Speed = sentences/s of `EntityRecognizer.extract`
with Kiwi tokens given (as in the pipeline), best and median of `repeat` passes, one thread;
`canonical` adds the article-level resolution (`canonical.resolve_article`, each sentence an article).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from analytics.nlp.entities import MODEL_DIR, load_recognizer
    from analytics.nlp.entities.canonical import resolve_article
    from analytics.nlp.ner_train import evaluate, held_out_samples, tokenize_all
    from tests.bench.common import machine

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/datasets/ner/klue-ner-v1.1_dev-part.tsv")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 1
    samples = held_out_samples(args.data)
    tokens = tokenize_all([s.text for s in samples])
    rec = load_recognizer()
    rep = evaluate(rec, samples, tokens)
    texts = [s.text for s in samples]
    secs, secs_c = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ents = rec.extract(texts, tokens)
        secs.append(time.perf_counter() - t)
        t = time.perf_counter()
        for text, es in zip(texts, ents, strict=True):
            resolve_article([text], [es])
        secs_c.append(time.perf_counter() - t + secs[-1])
    n = len(samples)
    a = rep["all"]
    print(machine())
    seen = "TRAINED ON (model trained on all sentences)" if rec.trained_on_all else "own seeded split, never trained on"
    print(f"held-out split ({seen}): {n} sentences; entity F1 {a['all']['f1']:.4f} "
          f"(P {a['all']['precision']:.3f} R {a['all']['recall']:.3f}); "
          + ", ".join(f"{t} {a[t]['f1']:.3f}" for t in ("PS", "OG", "LC")))
    cv = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8")).get("cv")
    if cv:
        print(f"{cv['folds']}-fold cross-validation (each sentence scored by a model that did not see it): mean F1 "
              f"{cv['mean_f1']:.4f}, pooled {cv['pooled_f1']:.4f}; " + ", ".join(f"{t} {v:.3f}" for t, v in cv["by_type"].items())
              + "; per fold " + " / ".join(f"{f['f1']:.4f}" for f in cv["per_fold"]))
    print(f"recognizer: best {n / min(secs):.0f} sentences/s, median {n / statistics.median(secs):.0f}")
    print(f"recognizer + canonical: best {n / min(secs_c):.0f} sentences/s, median {n / statistics.median(secs_c):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
