"""Issue 17's speed figure: our whole analysis beside Kiwi tokenization alone and warm KoNLPy Okt
nouns, on the same real texts in the same run, one process each (single-threaded).

Usage: python tests/bench/bench_speed.py [--repeat N] [--bigkinds XLSX]
Texts: the five seed articles (full bodies) and the titles + bodies of the shared BIG Kinds export
(200-character excerpts), repeated N times. Each stack runs in its own fresh process, warms up on
the first texts (Kiwi and the models loaded, Okt's JVM started and JIT-warmed), then is timed on all.
Prints characters/second and the ratios the issue sets as goals (>= 0.7x Kiwi, >= 1.0x Okt).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import machine, table  # noqa: E402

BIGKINDS = ROOT.parent / "shared" / "datasets" / "bigkinds" / "NewsResult_20210201-20210228.xlsx"


def load_texts(bigkinds: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    if bigkinds.exists():
        import pandas as pd

        df = pd.read_excel(bigkinds)
        texts += [f"{t}\n{b}" for t, b in zip(df["제목"].fillna(""), df["본문"].fillna(""), strict=True)]
    return texts


def _stack(name: str, texts: list[str]) -> dict:
    """Run one stack in this process: warm up, then time it on every text."""
    os.environ["OMP_NUM_THREADS"] = "1"
    if name == "kiwi":
        from analytics.nlp.tokenize import get_kiwi

        kiwi = get_kiwi(num_workers=1)

        def run(t: str) -> object:
            return kiwi.tokenize(t)
    elif name == "okt":
        from konlpy.tag import Okt

        okt = Okt()
        run = okt.nouns
    else:
        from analytics.analysis import analyze_articles
        from analytics.nlp.tokenize import get_kiwi

        get_kiwi(num_workers=1)

        def run(t: str) -> object:
            return analyze_articles([("bench", t, "h", "")])
    for t in texts[:50]:
        run(t)  # warm-up: models loaded, JVM JIT-compiled
    start = time.process_time()
    wall = time.perf_counter()
    for t in texts:
        run(t)
    return {"cpu": time.process_time() - start, "wall": time.perf_counter() - wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--bigkinds", type=Path, default=BIGKINDS)
    ap.add_argument("--stack", help=argparse.SUPPRESS)  # internal: run one stack and print JSON
    args = ap.parse_args(argv)
    texts = load_texts(args.bigkinds) * args.repeat
    if args.stack:
        print(json.dumps(_stack(args.stack, texts)))
        return 0
    chars = sum(map(len, texts))
    print(f"machine: {machine()}")
    print(f"{len(texts)} texts, {chars:,} characters (seeds + BIG Kinds titles and excerpts)")
    res, rows = {}, []
    for name, label in [("kiwi", "Kiwi tokenize alone"), ("analysis", "ours: full analysis"),
                        ("okt", "KoNLPy Okt nouns (warm JVM)")]:
        out = subprocess.run([sys.executable, __file__, "--stack", name, "--repeat", str(args.repeat),
                              "--bigkinds", str(args.bigkinds)], capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            rows.append([label, "failed", out.stderr.strip().splitlines()[-1] if out.stderr else ""])
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        res[name] = chars / r["cpu"]
        rows.append([label, f"{chars / r['cpu']:,.0f}", f"{chars / r['wall']:,.0f}"])
    print(table(["stack (one process)", "chars/s (CPU time)", "chars/s (wall)"], rows))
    if "kiwi" in res and "analysis" in res:
        print(f"analysis / Kiwi alone: {res['analysis'] / res['kiwi']:.2f}x (goal >= 0.7x)")
    if "okt" in res and "analysis" in res:
        print(f"analysis / Okt nouns:  {res['analysis'] / res['okt']:.2f}x (goal >= 1.0x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
