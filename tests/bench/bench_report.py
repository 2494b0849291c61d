"""Benchmark (not a test): the one-click report of a store, HTML and PDF, whole and by stage.

    .venv/bin/python tests/bench/bench_report.py --store /tmp/workflows-store [--repeat 3]

Goal (issue 15): under 30 s for the sample corpus. Prints a Markdown table for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import machine, table  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from analytics.filters import Filters
    from analytics.queries import open_corpus
    from dashboard.report import build_report
    from dashboard.report_doc import chart_images, html_to_pdf, render_html

    c = open_corpus(args.store)
    n = int(c.sql("SELECT count(*) AS n FROM art").iloc[0]["n"])
    rows = []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        rep = build_report(c, Filters())
        t1 = time.perf_counter()
        page = render_html(rep)
        t2 = time.perf_counter()
        images = chart_images(rep.charts())
        t3 = time.perf_counter()
        pdf = html_to_pdf(render_html(rep, images))
        t4 = time.perf_counter()
        rows.append([i + 1, f"{n:,}", len(rep.charts()), f"{t1 - t0:.2f}", f"{t2 - t1:.2f}",
                     f"{(t2 - t0):.2f} ({len(page) / 1e6:.1f} MB)", f"{t3 - t2:.2f}", f"{t4 - t3:.2f}",
                     f"{(t1 - t0) + (t4 - t2):.2f} ({len(pdf) / 1e6:.1f} MB)"])
    print(machine())
    print(table(["run", "articles", "charts", "queries+figures s", "HTML render s", "HTML total s",
                 "chart PNGs s", "Chromium print s", "PDF total s"], rows))


if __name__ == "__main__":
    main()
