"""Reads during writes: the query layer never sees a mix of two versions, and never fails.

A writer process ingests batch after batch (one commit each) while reader threads here loop over
`Store.connect` (what `queries.open_corpus` opens) and `Store.status`. Every read must succeed and see one whole snapshot:
article count equal to the `files` table's n_articles sum, and a count that some commit produced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from analytics import queries
from analytics.store import Store
from tests.conftest import ROOT

BATCHES = 8
PER_BATCH = 25
READERS = 2
KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."
STATS = {"reads": 0}

WRITER = """
import sys
from pathlib import Path
from analytics.ingest import ingest
from analytics.store import Store
store = Store(sys.argv[1])
for folder in sys.argv[2:]:
    ingest([Path(folder)], store)
"""


def make_batches(root: Path) -> list[Path]:
    folders = []
    for b in range(BATCHES):
        d = root / f"batch{b}"
        d.mkdir(parents=True)
        for i in range(PER_BATCH):
            (d / f"{i}.txt").write_text(f"묶음 {b} 기사 {i}\n\n{KO} 묶음 {b}의 {i}번째 기사.", encoding="utf-8")
        folders.append(d)
    return folders


def read_once(store_dir: Path) -> tuple[int, int, int]:
    """(version, articles, files' n_articles sum) of one read at one snapshot (Store.connect)."""
    store = Store(store_dir)
    snap = store.snapshot()
    con = store.connect(snap)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        f = con.execute("SELECT coalesce(sum(n_articles), 0) FROM files").fetchone()[0]
        return int(snap["id"]), int(n), int(f)
    finally:
        con.close()


def test_query_layer_opens_a_store_that_is_not_analysed_yet(tmp_path):
    from analytics.ingest import ingest

    folders = make_batches(tmp_path / "corpus")
    ingest([folders[0]], Store(tmp_path / "store"))
    c = queries.open_corpus(tmp_path / "store")
    assert c.version == 1


def test_reads_during_ingest_see_whole_versions_and_never_fail(tmp_path):
    folders = make_batches(tmp_path / "corpus")
    st = tmp_path / "store"
    from analytics.ingest import ingest

    ingest([folders[0]], Store(st))  # the store exists before readers start
    errors: list[str] = []
    seen: list[tuple[int, int, int]] = []
    done = threading.Event()

    def reader() -> None:
        last_version = -1
        while not done.is_set():
            try:
                version, n, f = read_once(st)
                status = Store(st).status()
                assert n == f, f"articles {n} != files' n_articles {f} at version {version}"
                assert n % PER_BATCH == 0, f"a partial batch is visible: {n} articles"
                assert version >= last_version, "went back in time"
                assert status["articles"] % PER_BATCH == 0
                last_version = version
                seen.append((version, n, f))
            except Exception as exc:  # every failure counts: the dashboard must never see one
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in threads:
        t.start()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(st), *map(str, folders[1:])], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE)
    _, err = writer.communicate(timeout=300)
    time.sleep(0.3)
    done.set()
    for t in threads:
        t.join(timeout=60)
    assert writer.returncode == 0, err.decode()[-2000:]
    STATS["reads"] = len(seen)
    assert errors == []
    counts = {n for _, n, _ in seen}
    assert len(counts) >= 3, f"reads should have seen several versions, saw {sorted(counts)}"
    assert read_once(st)[1:] == (BATCHES * PER_BATCH, BATCHES * PER_BATCH)
    print(f"\nconcurrency: {len(seen)} reads during {BATCHES - 1} commits, "
          f"{len(counts)} distinct versions seen, 0 errors")
