"""Run the stages: ingest -> analyze -> commit, with progress and a summary.

Analysis streams: unanalysed articles are read from the store in record batches, analysed by
worker processes (one Kiwi and one model instance each, loaded once) and committed in groups,
so memory stays flat however large the corpus is.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from analytics import config
from analytics.store import ANALYSIS_TABLES, Change, Store

COMMIT_EVERY = 2000  # articles per store commit (bigger commits, fewer small files)


@dataclass
class AnalyzeReport:
    articles: int = 0
    sentences: int = 0
    seconds: float = 0.0
    chars: int = 0
    version: int | None = None

    def as_dict(self) -> dict:
        return {"articles": self.articles, "sentences": self.sentences, "seconds": round(self.seconds, 2),
                "chars": self.chars, "version": self.version}


def default_workers() -> int:
    n = int(config.get("workers"))
    return n if n > 0 else max(1, os.cpu_count() or 1)


def _current_condition() -> str:
    """An analysis is current when it was made of this text by this analyzer: upgrading the
    analysis (a new ANALYZER) re-analyses existing stores on the next `analyze`/`make run`."""
    from analytics import analysis

    return (f"z.article_id = a.id AND z.content_hash = a.content_hash "
            f"AND z.analyzer = '{analysis.ANALYZER.replace(chr(39), chr(39) * 2)}'")


def pending_batches(store: Store, batch_size: int) -> Iterator[list[tuple[str, str, str]]]:
    """Batches of (id, text, content_hash, title) of articles without a current analysis, streamed."""
    con = store.connect()
    reader = con.sql(
        f"""SELECT a.id, a.text, a.content_hash, coalesce(a.title, '') AS title FROM articles a
           ANTI JOIN analyzed z ON {_current_condition()}
           ORDER BY a.id"""
    ).to_arrow_reader(batch_size)
    for rb in reader:
        d = rb.to_pydict()
        yield list(zip(d["id"], d["text"], d["content_hash"], d["title"], strict=True))
    con.close()


def count_pending(store: Store) -> int:
    con = store.connect()
    n = con.execute(f"SELECT count(*) FROM articles a ANTI JOIN analyzed z ON {_current_condition()}").fetchone()[0]
    con.close()
    return int(n)


def _init_worker() -> None:
    """One Kiwi per worker, single-threaded: parallelism comes from the processes."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from analytics.nlp.tokenize import get_kiwi

    get_kiwi(num_workers=1)


def run_local(batches: Iterator[list], workers: int) -> Iterator[tuple[list, dict]]:
    """(batch, result) pairs in order; in-process for one worker, a process pool otherwise.

    A ProcessPoolExecutor, not multiprocessing.Pool: a worker that dies (even at start-up) breaks
    the pool with an error instead of being respawned forever.
    """
    from analytics.analysis import analyze_articles

    if workers <= 1:
        for b in batches:
            yield b, analyze_articles(b)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker) as pool:
        # bounded look-ahead keeps memory flat: at most 2 batches per worker in flight
        pending: list = []
        for b in batches:
            pending.append((b, pool.submit(analyze_articles, b)))
            if len(pending) >= workers * 2:
                bb, fut = pending.pop(0)
                yield bb, fut.result()
        for bb, fut in pending:
            yield bb, fut.result()


def analyze(store: Store, workers: int | None = None, batch_size: int | None = None,
            engine: str = "local", scheduler: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> AnalyzeReport:
    """Analyse every article not analysed yet (or whose text changed) and commit the results."""
    report = AnalyzeReport()
    if not store.exists():
        return report
    workers = workers or default_workers()
    batch_size = batch_size or int(config.get("batch_size"))
    start = time.perf_counter()
    with store.writer() as writer:
        total = count_pending(store)
        if total == 0:
            report.version = store.version()
            return report
        batches = pending_batches(store, batch_size)
        if engine == "dask":
            from analytics.engines.dask_engine import run_dask
            results = run_dask(batches, scheduler)
        else:
            results = run_local(batches, min(workers, max(1, -(-total // batch_size))))
        change, in_change = Change(), 0
        for batch, rows in results:
            ids = [a[0] for a in batch]
            in_list = ", ".join("'" + a.replace("'", "''") + "'" for a in ids)
            for t in ANALYSIS_TABLES:
                change.delete(t, f"article_id IN ({in_list})")
                change.append(t, rows.get(t, []))
            report.articles += len(batch)
            report.chars += sum(len(a[1]) + len(a[3]) for a in batch)
            report.sentences += len(rows.get("sentences", []))
            in_change += len(batch)
            if in_change >= COMMIT_EVERY:
                writer.commit(change, "analyze")
                change, in_change = Change(), 0
            if progress:
                progress(report.articles, total)
        report.version = writer.commit(change, "analyze")
    report.seconds = time.perf_counter() - start
    return report


# ---- CLI -------------------------------------------------------------------------------------

def _bar(label: str) -> Callable:
    """A tqdm progress callback on stderr (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(desc=label, unit="", disable=not sys.stderr.isatty(), file=sys.stderr)

    def update(done: int, total: int, *_: object) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update


def ingest_command(args: argparse.Namespace) -> int:
    from analytics.ingest import ingest

    mapping = {}
    for item in args.map:
        if "=" not in item:
            raise ValueError(f"--map takes FIELD=COLUMN, got {item!r}")
        k, v = item.split("=", 1)
        mapping[k.strip()] = v.strip()
    store = Store(args.store)
    report = ingest(list(args.paths), store, manifest=args.manifest, fmt=args.format,
                    mapping=mapping or None, progress=_bar("ingest"))
    result = report.as_dict()
    if not args.no_analyze:
        result["analysis"] = analyze(store, workers=args.workers, progress=_bar("analyze")).as_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"added {report.added} / updated {report.updated} / unchanged {report.unchanged} / "
              f"duplicates {report.duplicates} / problems {len(report.problems)}  "
              f"(files {report.files_seen}, store version {store.version()})")
        for p in report.problems:
            print(f"  problem: {p.path}: {p.reason}")
        from analytics.ingest.report import lines

        for line in lines(result):
            print(line)
        if "analysis" in result:
            a = result["analysis"]
            print(f"analysed {a['articles']} articles, {a['sentences']} sentences in {a['seconds']} s")
    return 0


def analyze_command(args: argparse.Namespace) -> int:
    store = Store(args.store)
    if not store.exists():
        print(f"no store at {args.store}: run `python -m analytics ingest PATH` first", file=sys.stderr)
        return 1
    rep = analyze(store, workers=args.workers, batch_size=args.batch_size, engine=args.engine,
                  scheduler=args.scheduler, progress=_bar("analyze"))
    rate = rep.chars / rep.seconds if rep.seconds else 0
    print(f"analysed {rep.articles} articles, {rep.sentences} sentences in {rep.seconds:.1f} s "
          f"({rate:,.0f} chars/s); store version {rep.version}")
    return 0


def ensure_store(articles_dir: Path, store_dir: Path) -> None:
    """`make run`'s set-up: ingest (incremental, so cheap when nothing changed) and analyse."""
    store = Store(store_dir)
    from analytics.ingest import ingest

    report = ingest([articles_dir], store)
    rep = analyze(store)
    print(f"store {store_dir}: +{report.added} new, {report.updated} updated, {report.unchanged} unchanged, "
          f"{len(report.problems)} problems; analysed {rep.articles}; version {store.version()}")
