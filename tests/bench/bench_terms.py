"""Do the terms match the text? Compound-term article counts against a plain text search, the
TF and YAKE top-30, and the related words of frequent terms, on the shared BIG Kinds export.

Run: `.venv/bin/python tests/bench/bench_terms.py [--store /tmp/bench-terms-store] [--reuse]`
(a script, not collected by pytest). It ingests and analyses the BIG Kinds export plus the seed
articles into `--store` (skipped with `--reuse` when the store exists), then prints:

1. for each compound term: articles whose title or body contains it (plain search, as written;
   and ignoring spaces), the articles the query layer counts (`keyword_trend`, summed over
   years) and under the keyword filter (`kpis` with `Filters(query=term)`), and the ratio
   query / space-insensitive plain search (goal 0.9-1.05; spacing variants are one term, so
   `백신 접종` counts for 백신접종). The lexicon is empty here unless `--lexicon` is given, so
   user aliases (인공지능 -> AI) do not count other words;
2. the TF top-30 and the YAKE top-30 of the whole corpus, one-syllable terms flagged;
3. the related words (article scope and sentence scope) of five frequent terms.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BIGKINDS = ROOT.parent / "shared" / "datasets" / "bigkinds" / "NewsResult_20210201-20210228.xlsx"
SEEDS = ROOT / "data" / "articles"

# Compound nouns of the export (written together in one eojeol; Kiwi splits most of them) and a
# few of the seeds; chosen by reading the text, before looking at any count.
COMPOUNDS = (
    "이상반응", "접종자", "확진자", "신규확진자", "예방접종", "질병관리청", "방역당국", "집단면역",
    "접종률", "고령층", "요양병원", "의료진", "거리두기", "치료제", "백신접종", "코로나바이러스",
    "긴급사용", "아스트라제네카", "국민의힘", "재난지원금", "부작용", "접종센터", "보건당국",
    "의료기관", "정은경", "모더나", "산업혁명", "인공지능",
)
RELATED_OF = ("백신", "접종", "코로나19", "화이자", "정부")


def ensure_store(store: Path, reuse: bool) -> None:
    if reuse and store.exists():
        return
    cmd = [sys.executable, "-m", "analytics", "ingest", str(BIGKINDS), str(SEEDS), "--store", str(store)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    print(f"ingest + analysis: {time.perf_counter() - t0:.1f} s")


def plain_counts(c, terms: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Articles whose title or text contains each term: (as written, ignoring spaces)."""
    df = c.sql("SELECT coalesce(title, '') || '\n' || coalesce(text, '') AS t FROM articles")
    texts = list(df["t"])
    squeezed = [t.replace(" ", "").replace("\n", "") for t in texts]
    return {term: (sum(term in t for t in texts), sum(term.replace(" ", "") in s for s in squeezed))
            for term in terms}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=Path("/tmp/bench-terms-store"))
    ap.add_argument("--reuse", action="store_true", help="use the store as it is when it exists")
    ap.add_argument("--terms", default="", help="comma-separated compound terms (default: the built-in list)")
    ap.add_argument("--lexicon", type=Path, default=None, help="lexicon directory (default: none, no aliases)")
    args = ap.parse_args(argv)
    ensure_store(args.store, args.reuse)

    import tempfile

    from analytics.filters import Filters
    from analytics.queries import keyword_trend, kpis, open_corpus, related_terms, top_keywords

    c = open_corpus(args.store, args.lexicon or tempfile.mkdtemp(prefix="bench-terms-lexicon-"))
    terms = tuple(t.strip() for t in args.terms.split(",") if t.strip()) or COMPOUNDS
    plain = plain_counts(c, terms)
    trend = keyword_trend(c, Filters(), terms, granularity="year")
    by_term = trend.groupby("term")["articles"].sum().to_dict()
    print(f"\n## Compound terms: articles (plain search vs query layer), {kpis(c, Filters())['articles']} articles")
    print(f"{'term':<14}{'text':>6}{'text±sp':>9}{'trend':>7}{'filter':>8}{'ratio':>7}")
    ratios = []
    for t in terms:
        n_text, n_sq = plain[t]
        n_q = int(by_term.get(c.canon(t), 0))
        n_f = int(kpis(c, Filters(query=t))["articles"])
        ratio = n_q / n_sq if n_sq else float("nan")
        ratios.append(ratio)
        flag = "" if n_sq == 0 or 0.9 <= ratio <= 1.05 else "  <- outside 0.9-1.05"
        print(f"{t:<14}{n_text:>6}{n_sq:>9}{n_q:>7}{n_f:>8}{ratio:>7.2f}{flag}")
    ok = [r for r in ratios if r == r]
    print(f"terms in 0.9-1.05: {sum(0.9 <= r <= 1.05 for r in ok)}/{len(ok)}; "
          f"min {min(ok):.2f}, mean {sum(ok) / len(ok):.2f}")

    from analytics.config import lexicon_dir

    c = open_corpus(args.store, lexicon_dir())  # the lists as the dashboard shows them
    print(f"\n(lists below with the lexicon of {lexicon_dir()})")
    for method in ("tf", "yake"):
        top = top_keywords(c, Filters(), n=30, method=method)
        print(f"\n## {method.upper()} top-30")
        for i, r in enumerate(top.itertuples(index=False), start=1):
            mark = "  <- one syllable" if len(r.term.replace(" ", "")) == 1 else ""
            mark += "  <- number" if r.term[:1].isdigit() else ""
            print(f"{i:>3}. {r.term:<16} score {r.score:>9.2f}  tf {r.tf:>5}  df {r.df:>4}{mark}")

    for scope in ("article", "sentence"):
        for t in RELATED_OF:
            rel = related_terms(c, Filters(), t, scope=scope, n=15)
            score = [col for col in rel.columns if col not in ("term", "cooc")][:2]
            print(f"\n## related words of {t} ({scope} scope): " + ", ".join(
                f"{r['term']} ({r['cooc']}; " + " ".join(f"{k}={r[k]:.3f}" for k in score) + ")"
                for _, r in rel.iterrows()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
