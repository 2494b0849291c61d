"""Command line: `python -m analytics <command>`.

The flags and `--json` keys here are a contract relied on by outside checks; keep them exactly.
Each command lazily imports the module that does the work, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analytics import config
from analytics.store import StoreError


def _add_store(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=None, help="store directory (default data/store)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="Korean trend monitor: ingest, analyse, query.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files, folders, zips, CSV/JSONL/XLSX, BIG Kinds exports")
    p.add_argument("paths", nargs="+", type=Path)
    _add_store(p)
    p.add_argument("--manifest", type=Path, default=None, help="CSV that overrides or fills metadata per file")
    p.add_argument("--format", default="auto", choices=["auto", "txt", "csv", "jsonl", "xlsx", "bigkinds"])
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="explicit column mapping for tabular files, e.g. --map body=내용 (repeatable)")
    p.add_argument("--no-analyze", action="store_true", help="ingest only; run `analyze` later")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")

    p = sub.add_parser("analyze", help="analyse every article not analysed yet")
    _add_store(p)
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--engine", default="local", choices=["local", "dask"])
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://HOST:8786")
    p.add_argument("--batch-size", type=int, default=None)

    p = sub.add_parser("status", help="articles by source and year, store version, last problems")
    _add_store(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train", help="train a shipped model from ../shared/datasets")
    tsub = p.add_subparsers(dest="what", required=True)
    t = tsub.add_parser("sentiment")
    t.add_argument("--data", type=Path, default=Path("../shared/datasets/sentiment/finance_data_dev-part.csv"))
    t.add_argument("--news", type=Path, default=Path("data/labels/news_sentiment.csv"),
                   help="hand-labelled news set; only its split=train rows are trained on")
    t.add_argument("--out", type=Path, default=None)
    t = tsub.add_parser("ner")
    t.add_argument("--data", type=Path, default=Path("../shared/datasets/ner/klue-ner-v1.1_dev-part.tsv"))
    t.add_argument("--gazetteer", type=Path, default=Path("../shared/datasets/ner/konne_train_form_label_freq.tsv"))
    t.add_argument("--out", type=Path, default=None)
    t.add_argument("--folds", type=int, default=5, help="k-fold figures written to meta.json first (0: none)")
    t.add_argument("--split", action="store_true",
                   help="train on the seeded 80 %% only and score the other 20 %% (default: all sentences)")

    p = sub.add_parser("eval", help="measure a shipped model or analysis")
    esub = p.add_subparsers(dest="what", required=True)
    e = esub.add_parser("sentiment")
    e.add_argument("--data", type=Path, required=True)
    e.add_argument("--split", default=None, help="only rows whose `split` column has this value (e.g. test)")
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("ner")
    e.add_argument("--data", type=Path, required=True)
    e.add_argument("--held-out", action="store_true",
                   help="only the seeded 20 %% split the shipped model was not trained on (KLUE dev part)")
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("keywords")
    e.add_argument("--bigkinds", type=Path, required=True)
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("entities-vs-bigkinds")
    e.add_argument("--bigkinds", type=Path, required=True)
    e.add_argument("--json", action="store_true")

    _add_workflow_commands(sub)

    from analytics.query_cli import add_query_command  # `query NAME`: issue 12 item 4
    add_query_command(sub)

    p = sub.add_parser("repair", help="move unreadable (corrupt) data files aside; mark the lost work to redo")
    _add_store(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("synth", help="make a synthetic corpus for load tests (labelled synthetic)")
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "store", "absent") is None:
        args.store = config.store_dir()
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("중단됨 (interrupted)", file=sys.stderr)
        return 130
    except (FileNotFoundError, ValueError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only store or folder met outside Store.writer: one line
        from analytics.store import is_not_writable, not_writable_error

        if not is_not_writable(exc):
            raise
        print(f"error: {not_writable_error(Path(exc.filename or getattr(args, 'store', '') or ''), exc)}",
              file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "ingest":
        from analytics.pipeline import ingest_command
        return ingest_command(args)
    if cmd == "analyze":
        from analytics.pipeline import analyze_command
        return analyze_command(args)
    if cmd == "status":
        return _status(args)
    if cmd == "train" and args.what == "sentiment":
        from analytics.nlp.sentiment_train import train_main
        return train_main(args)
    if cmd == "train" and args.what == "ner":
        from analytics.nlp.ner_train import train_main
        return train_main(args)
    if cmd == "eval" and args.what == "sentiment":
        from analytics.nlp.sentiment_train import eval_main
        return eval_main(args)
    if cmd == "eval" and args.what == "ner":
        from analytics.nlp.ner_train import eval_main
        return eval_main(args)
    if cmd == "eval" and args.what == "keywords":
        from analytics.nlp.keywords_eval import eval_main
        return eval_main(args)
    if cmd == "eval" and args.what == "entities-vs-bigkinds":
        from analytics.nlp.ner_train import eval_vs_bigkinds_main
        return eval_vs_bigkinds_main(args)
    if cmd in ("watch", "alerts", "report", "views"):
        return _workflow_dispatch(args)
    if cmd == "query":
        from analytics.query_cli import query_main
        return query_main(args)
    if cmd == "repair":
        return _repair(args)
    if cmd == "synth":
        from analytics.synth import synth_main
        return synth_main(args)
    raise ValueError(f"unknown command {cmd}")


def _status(args: argparse.Namespace) -> int:
    from analytics.store import Store

    status = Store(args.store).status()
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
        return 0
    print(f"store: {args.store}  version: {status['version']}")
    print(f"articles: {status['articles']}")
    for name, n in status["sources"].items():
        print(f"  {name}: {n}")
    print("years: " + ", ".join(f"{y}: {n}" for y, n in status["years"].items()))
    if status["problems"]:
        print(f"problems of the last ingest ({len(status['problems'])}):")
        for pr in status["problems"]:
            print(f"  {pr['path']}: {pr['reason']}")
    return 0


def _repair(args: argparse.Namespace) -> int:
    """Quarantine unreadable data files (issue 14 item 6) and say what to run next."""
    from analytics.store import Store

    with Store(args.store).writer() as w:
        rep = w.repair()
    if args.json:
        print(json.dumps(rep, ensure_ascii=False))
        return 0
    if not rep["tables"]:
        print("손상된 파일이 없습니다 (no unreadable data files)")
        return 0
    moved = ", ".join(f"{t} {n}" for t, n in sorted(rep["tables"].items()))
    print(f"손상된 파일을 {Path(args.store) / '.quarantine'}로 옮겼습니다: {moved}")
    if rep["reanalyse"]:
        print(f"다시 분석할 기사 {rep['reanalyse']}건: python -m analytics analyze --store {args.store}")
    if rep["reingest_files"]:
        print(f"기사를 잃은 파일 {len(rep['reingest_files'])}개: 원본을 다시 불러오세요 "
              f"(python -m analytics ingest 원본 --store {args.store}): " + ", ".join(rep["reingest_files"][:10]))
    return 0


# ---- watch / alerts / report (issue 15 items 3-4) -------------------------------------------
def _add_workflow_commands(sub) -> None:
    from analytics.cli_filters import add_filter_args

    p = sub.add_parser("watch", help="re-ingest a folder when its files change; log changes and alerts")
    p.add_argument("path", type=Path, metavar="DIR")
    _add_store(p)
    p.add_argument("--every", default="10m", help="poll interval: 30s, 10m, 1h (default 10m)")
    p.add_argument("--once", action="store_true", help="one pass, then exit (scripts, tests)")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--json", action="store_true", help="print each pass's log entry as one JSON line")

    p = sub.add_parser("alerts", help="terms and entities whose share rose significantly (새로 떠오른)")
    _add_store(p)
    add_filter_args(p)
    p.add_argument("--window", type=int, default=7, help="days in the latest and previous window (default 7)")
    p.add_argument("--end", default=None, metavar="YYYY-MM-DD", help="last day of the latest window")
    p.add_argument("--min-count", type=int, default=5, help="articles needed in the latest window (default 5)")
    p.add_argument("--fdr", type=float, default=0.01, help="Benjamini-Hochberg q threshold (default 0.01)")
    p.add_argument("--min-ratio", type=float, default=2.0, help="share ratio latest/previous (default 2)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("views", help="the saved views of a store (name, page, shareable URL)")
    _add_store(p)
    p.add_argument("--base", default="", help="server address to prefix the URLs with, e.g. http://host:8501")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("report", help="the current view as one HTML or PDF file (format by extension)")
    _add_store(p)
    add_filter_args(p)
    p.add_argument("--granularity", default="month", choices=["day", "week", "month", "quarter", "year"])
    p.add_argument("--out", type=Path, required=True, help="FILE.html or FILE.pdf")


def _workflow_dispatch(args: argparse.Namespace) -> int:
    if args.command == "watch":
        from analytics.watch import watch_main
        return watch_main(args)
    if args.command == "alerts":
        from analytics.alerts import alerts_main
        return alerts_main(args)
    if args.command == "views":
        from analytics.views import views_main
        return views_main(args)
    # the report needs the dashboard's chart functions (pure, streamlit-free): the one import from
    # the CLI into dashboard/, documented in docs/ARCHITECTURE.md
    from dashboard.report import report_main
    return report_main(args)
