"""The analysis pipeline: every table filled, incremental, engines agree."""

from __future__ import annotations

import pytest

from analytics.ingest import ingest
from analytics.pipeline import analyze, count_pending
from analytics.store import Store
from tests.conftest import SAMPLE_DIR

TABLES = ("sentences", "terms", "keywords", "entities", "article_sentiment")


def table_rows(store: Store, table: str, order: str) -> list[tuple]:
    con = store.connect()
    try:
        cols = {"sentences": "article_id, pos, text, label, round(score, 4)",
                "terms": "article_id, term, cls, count",
                "keywords": "article_id, rank, keyword",
                "entities": "article_id, type, canonical, count",
                "article_sentiment": "article_id, round(mean_score, 4), n_sentences"}[table]
        return con.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("pipe") / "store")
    ingest([SAMPLE_DIR], store)
    report = analyze(store, workers=1)
    assert report.articles == 5
    return store


def test_every_analysis_table_is_filled_for_every_article(analysed):
    con = analysed.connect()
    for table in TABLES:
        n = con.execute(f"SELECT count(DISTINCT article_id) FROM {table}").fetchone()[0]
        assert n == 5, table
    assert count_pending(analysed) == 0


def test_sentences_map_back_into_the_article_text(analysed):
    con = analysed.connect()
    bad = con.execute("""SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id
                         WHERE substr(CASE WHEN s.pos < 0 THEN a.title ELSE a.text END,
                                      s.start + 1, s."end" - s.start) <> s.text""").fetchone()[0]
    assert bad == 0


def test_headlines_are_analysed_as_negative_positions(analysed):
    con = analysed.connect()
    rows = con.execute("""SELECT a.title, list(s.text ORDER BY s.pos) FROM sentences s JOIN articles a
                          ON a.id = s.article_id WHERE s.pos < 0 GROUP BY a.title""").fetchall()
    assert {t for t, _ in rows} == {t for (t,) in con.execute(
        "SELECT title FROM articles WHERE title IS NOT NULL").fetchall()}
    assert all(" ".join(parts).replace(" ", "") == t.replace(" ", "") for t, parts in rows)


def test_sample_corpus_entities_include_the_ones_a_reader_sees(analysed):
    con = analysed.connect()
    found = set(con.execute("SELECT type, canonical FROM entities").fetchall())
    for expected in [("OG", "파나소닉"), ("LC", "샌프란시스코"), ("OG", "히타치")]:
        assert expected in found


def test_article_sentiment_is_the_mean_of_its_sentences(analysed):
    con = analysed.connect()
    diff = con.execute("""SELECT max(abs(s.m - a.mean_score)) FROM article_sentiment a JOIN
                          (SELECT article_id, avg(score) m FROM sentences GROUP BY 1) s USING (article_id)""").fetchone()[0]
    assert diff < 1e-4


def test_second_run_does_no_work(analysed):
    assert analyze(analysed, workers=1).articles == 0


def test_two_workers_give_the_same_rows_as_one(tmp_path, analysed):
    store = Store(tmp_path / "store")
    ingest([SAMPLE_DIR], store)
    analyze(store, workers=2, batch_size=2)
    for table in TABLES:
        order = "1, 2, 3"
        assert table_rows(store, table, order) == table_rows(analysed, table, order), table


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_dask_engine_on_real_scheduler_and_worker_processes_gives_identical_results(tmp_path, analysed):
    """The README's cluster steps as written: `dask scheduler`, `dask worker ADDR --nthreads 1`,
    started outside the repository with no PYTHONPATH (the workers import the installed project)."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from dask.distributed import Client

    bindir = Path(sys.executable).parent
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    logs = open(tmp_path / "dask.log", "wb")  # noqa: SIM115 - closed in finally
    procs = [subprocess.Popen([str(bindir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=elsewhere, env=env, stdout=logs, stderr=logs)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([str(bindir / "dask"), "worker", addr, "--nthreads", "1",
                                           "--no-dashboard"], cwd=elsewhere, env=env, stdout=logs,
                                          stderr=logs))
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(addr, timeout=5) as c:
                    if len(c.scheduler_info()["workers"]) == 2:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "dask.log").read_text(errors="replace")[-2000:]
            time.sleep(0.5)
        store = Store(tmp_path / "store")
        ingest([SAMPLE_DIR], store)
        rep = analyze(store, engine="dask", scheduler=addr, batch_size=2)
        with Client(addr, timeout=5) as c:  # each single-threaded worker's Kiwi runs one thread too
            from analytics.nlp.tokenize import kiwi_threads

            threads = set(c.run(kiwi_threads).values())
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        logs.close()
    assert rep.articles == 5
    assert threads == {1}
    for table in TABLES:
        assert table_rows(store, table, "1, 2, 3") == table_rows(analysed, table, "1, 2, 3"), table


def test_a_new_analyzer_version_makes_every_article_pending_again(analysed, monkeypatch):
    """Upgrading the analysis re-analyses stores built by the previous one (make run included)."""
    import analytics.analysis

    assert count_pending(analysed) == 0
    monkeypatch.setattr(analytics.analysis, "ANALYZER", "next-analyzer/99")
    assert count_pending(analysed) == 5
