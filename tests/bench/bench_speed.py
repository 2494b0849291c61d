"""Issue 17's speed figure: our whole analysis beside Kiwi tokenization alone and warm KoNLPy Okt
nouns, on the same real texts in the same run, one process each (single-threaded).

Usage: python tests/bench/bench_speed.py [--repeat N] [--texts export|seeds|written] [--batch-size B] [--stages] [--passes P]
Texts: the five seed articles (full bodies) and the titles + bodies of the shared BIG Kinds export
(200-character excerpts), repeated N times; `--texts seeds` = the seeds alone (full bodies; few
texts, so noisier). Each stack runs in its own fresh process with the same settings (Kiwi
`num_workers=1`, `OMP_NUM_THREADS=1`), warms up on the first texts (Kiwi and the models loaded,
Okt's JVM started and JIT-warmed), then is timed on all, in CPU time of that process (the
machine is shared: wall time includes waiting for a core) and wall time. Two ways of calling:
`batch` = lists of `--batch-size` texts per call (how `analyze` and the Dask engine run the
analysis; Kiwi alone then gets the same lists as one `tokenize` call each) and `article` = one
text per call. Okt has no batch call: one text per call. Prints characters/second and the ratios
the issue sets as goals (>= 0.7x Kiwi, >= 1.0x Okt); `--stages` adds the CPU seconds of each
stage of `analyze_articles` (its own `timings`), per sentence. `--passes P` times every stack P
times after its warm-up and keeps the fastest pass (on a shared machine a pass can only gain time;
one pass of the seeds moved by +-20 % between runs of the same tree).
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
STACKS = [("kiwi", "batch", "Kiwi tokenize alone"), ("analysis", "batch", "ours: full analysis"),
          ("kiwi", "article", "Kiwi tokenize alone"), ("analysis", "article", "ours: full analysis"),
          ("okt", "article", "KoNLPy Okt nouns (warm JVM)")]


WRITTEN = ROOT / "data" / "labels" / "entities"
DESCRIBED = {"export": "seeds + BIG Kinds titles and excerpts", "seeds": "seed articles, full bodies",
             "written": "the written entity sets' titles + bodies, each text once (warm-up on the seeds)"}


def load_texts(bigkinds: Path, which: str = "export") -> list[str]:
    """The timed texts. `written`: the ~290 articles of data/labels/entities/*_corpus.jsonl (news
    written for the entity sets: full bodies and BIG Kinds-style excerpts), every name and text
    distinct, so nothing a text needs is left cached by an earlier copy of it (`seeds` repeats five
    articles: per-name work such as the entity rules' name patterns is paid once for eight copies)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    if which == "written":
        rows = [json.loads(line) for f in sorted(WRITTEN.glob("*_corpus.jsonl"))
                for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in rows]
    texts = seeds
    if which == "export" and bigkinds.exists():
        import pandas as pd

        df = pd.read_excel(bigkinds)
        texts += [f"{t}\n{b}" for t, b in zip(df["제목"].fillna(""), df["본문"].fillna(""), strict=True)]
    return texts


def _batches(texts: list[str], size: int) -> list[list[str]]:
    return [texts[i:i + size] for i in range(0, len(texts), size)]


def _stack(name: str, mode: str, texts: list[str], batch_size: int, stages: bool = False, passes: int = 1,
           warm_texts: list[str] | None = None) -> dict:
    """Run one stack in this process: warm up (on `warm_texts`, default the first 50 texts), then
    time it on every text (`passes` times: the fastest pass counts)."""
    os.environ["OMP_NUM_THREADS"] = "1"
    timings: dict[str, float] = {}
    if name == "okt":
        from konlpy.tag import Okt

        okt = Okt()
        run = okt.nouns
    else:
        from analytics.nlp.tokenize import get_kiwi

        kiwi = get_kiwi(num_workers=1)
        if name == "kiwi":
            def run(batch: list[str] | str) -> object:
                return kiwi.tokenize(batch) if isinstance(batch, str) else list(kiwi.tokenize(iter(batch)))
        else:
            from analytics.analysis import analyze_articles

            def run(batch: list[str] | str, t: dict | None = None) -> object:
                items = [batch] if isinstance(batch, str) else batch
                arts = [(str(i), x, "h", "") for i, x in enumerate(items)]
                return analyze_articles(arts) if t is None else analyze_articles(arts, timings=t)
    work = _batches(texts, batch_size) if mode == "batch" else texts
    first = (warm_texts or texts)[:50]
    warm = _batches(first, 50) if mode == "batch" else first
    for w in warm:
        run(w)  # warm-up: models loaded, JVM JIT-compiled
    cpus, walls = [], []
    for _ in range(max(1, passes)):  # the fastest of `passes` timed passes (a shared machine only adds time)
        start = time.process_time()
        wall = time.perf_counter()
        for w in work:
            run(w)
        cpus.append(time.process_time() - start)
        walls.append(time.perf_counter() - wall)
    out = {"cpu": min(cpus), "wall": min(walls), "cpu_passes": cpus}
    if name == "analysis" and stages:  # the stage split, in a second pass (not in the timed one)
        sentences = 0
        for w in work:
            sentences += len(run(w, timings)["sentences"])
        out["stages"], out["sentences"] = timings, sentences
    return out


def main(argv: list[str] | None = None) -> int:
    from analytics import config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--bigkinds", type=Path, default=BIGKINDS)
    ap.add_argument("--texts", choices=tuple(DESCRIBED), default="export")
    ap.add_argument("--batch-size", type=int, default=int(config.get("batch_size")))
    ap.add_argument("--modes", default="batch,article", help="comma-separated: batch, article")
    ap.add_argument("--stages", action="store_true", help="print the CPU time of each analysis stage")
    ap.add_argument("--passes", type=int, default=1,
                    help="timed passes per stack, the fastest counts (on a shared machine every pass only gains time)")
    ap.add_argument("--stack", help=argparse.SUPPRESS)  # internal: run one stack and print JSON
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    texts = load_texts(args.bigkinds, args.texts) * args.repeat
    if args.stack:
        warm = load_texts(args.bigkinds, "seeds") if args.texts == "written" else None
        print(json.dumps(_stack(args.stack, args.mode, texts, args.batch_size, args.stages, args.passes, warm)))
        return 0
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    chars = sum(map(len, texts))
    print(f"machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{len(texts)} texts, {chars:,} characters ({DESCRIBED[args.texts]}); "
          f"batch = {args.batch_size} texts per call; Kiwi num_workers=1, one process per stack; "
          f"fastest of {args.passes} timed pass(es)")
    res: dict[tuple[str, str], dict] = {}
    rows = []
    for name, mode, label in STACKS:
        if mode not in modes and name != "okt":
            continue
        cmd = [sys.executable, __file__, "--stack", name, "--mode", mode, "--repeat", str(args.repeat),
               "--bigkinds", str(args.bigkinds), "--texts", args.texts, "--batch-size", str(args.batch_size),
               "--passes", str(args.passes)]
        cmd += ["--stages"] if args.stages else []
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            rows.append([label, mode, "failed", out.stderr.strip().splitlines()[-1] if out.stderr else ""])
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        res[(name, mode)] = r
        rows.append([label, mode, f"{chars / r['cpu']:,.0f}", f"{chars / r['wall']:,.0f}"])
    print(table(["stack (one process)", "calls", "chars/s (CPU time)", "chars/s (wall)"], rows))
    for mode in modes:
        a, k, o = res.get(("analysis", mode)), res.get(("kiwi", mode)), res.get(("okt", "article"))
        if a and k:
            print(f"[{mode}] analysis / Kiwi alone: {k['cpu'] / a['cpu']:.2f}x (goal >= 0.7x)")
        if a and o:
            print(f"[{mode}] analysis / Okt nouns:  {o['cpu'] / a['cpu']:.2f}x (goal >= 1.0x)")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.stages:
        for mode in modes:
            a, k = res.get(("analysis", mode)), res.get(("kiwi", mode))
            if not a or "stages" not in a:
                continue
            n = a["sentences"]
            total = sum(a["stages"].values())
            srows = [[st, f"{s:.3f}", f"{1000 * s / n:.3f}", f"{s / k['cpu']:.2f}" if k else ""]
                     for st, s in sorted(a["stages"].items(), key=lambda kv: -kv[1])]
            srows.append(["total", f"{total:.3f}", f"{1000 * total / n:.3f}", f"{total / k['cpu']:.2f}" if k else ""])
            print(f"\nstages of analyze_articles [{mode}], {n:,} sentences (CPU s; x = share of Kiwi alone's "
                  f"{k['cpu'] if k else float('nan'):.3f} s)")
            print(table(["stage", "CPU s", "ms / sentence", "x Kiwi alone"], srows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
