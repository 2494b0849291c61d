"""Kill ingest and analysis with SIGKILL at random moments: the store never shows a half-written batch.

20 kills (seeded): 17 of `python -m analytics ingest` (the corpus changes a little before each run,
so every run has work: new files, rewritten files whose articles are replaced, and every fourth run
dies just before publishing its snapshot via TM_CRASH_BEFORE_SNAPSHOT), 3 of `analyze`. After each
kill the store opens at a committed version and is self-consistent; a final rerun gives the same
articles as one uninterrupted run over the final corpus, and leaves no temporary files.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.store import Store
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SEED = 9
INGEST_KILLS = 17
ANALYZE_KILLS = 3
WORDS = ("인공지능 반도체 정부 투자 기술 산업 시장 기업 경제 성장 정책 발표 연구 개발 데이터 플랫폼 서비스 "
         "혁신 교육 환경 기후 에너지 수출 금리 물가 고용 청년 지역 의료 교통").split()
STATS = {"kills": 0, "mid_commit": 0, "checks": 0}


def _article(rng: random.Random, n: int, version: int = 0) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 50)))
    return f"기사 {n} 제목 {rng.choice(WORDS)}\n\n{body}. 번호 {n}-{version}번 기사이다."


def make_corpus(root: Path, rng: random.Random, n: int, folders: int = 6) -> list[Path]:
    files = []
    for i in range(n):
        d = root / f"f{i % folders}"
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"a{i:04}.txt"
        f.write_text(_article(rng, i), encoding="utf-8")
        files.append(f)
    return files


def mutate_corpus(root: Path, files: list[Path], rng: random.Random, step: int) -> None:
    """Rewrite a few files (their articles get replaced) and add a few new ones."""
    for f in rng.sample(files, 8):
        f.write_text(_article(rng, int(f.stem[1:]), step), encoding="utf-8")
    for j in range(5):
        f = root / "new" / f"s{step:02}_{j}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(_article(rng, 10_000 + step * 10 + j), encoding="utf-8")
        files.append(f)


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analytics", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "TM_WORKERS": "1", **(env or {})})


def _run(*args: str) -> None:
    p = _cli(*args)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err.decode()[-2000:]


def kill_at(p: subprocess.Popen, delay: float) -> bool:
    """SIGKILL after `delay` s; True if the process was still running (a real kill)."""
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True


def assert_consistent(store: Store) -> None:
    """The store opens at a committed snapshot and that snapshot holds only whole batches."""
    if not store.exists():
        return  # killed during the very first init: nothing committed, nothing to see
    STATS["checks"] += 1
    status = store.status()
    con = store.connect()
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert status["articles"] == one("SELECT count(*) FROM articles")
        assert one("SELECT count(*) FROM articles") == one("SELECT coalesce(sum(n_articles), 0) FROM files")
        assert one("SELECT count(*) FROM articles a ANTI JOIN files f USING (file_key)") == 0
        assert one("SELECT count(*) - count(DISTINCT file_key) FROM files") == 0
        assert one("SELECT count(*) - count(DISTINCT id) FROM articles") == 0
        assert one("SELECT count(*) FROM analyzed z ANTI JOIN articles a ON a.id = z.article_id") == 0
        for t in ("sentences", "terms", "keywords", "entities", "article_sentiment"):
            assert one(f"SELECT count(*) FROM {t} x ANTI JOIN analyzed z USING (article_id)") == 0, t
    finally:
        con.close()


def content(store: Store) -> list[tuple[str, str]]:
    con = store.connect()
    try:
        return sorted(con.execute("SELECT id, content_hash FROM articles").fetchall())
    finally:
        con.close()


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".tmp-") or p.name.endswith(".tmp")]


def test_sigkill_during_ingest_never_shows_a_half_written_batch(tmp_path):
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus"
    files = make_corpus(corpus, rng, 200)
    st = tmp_path / "store"
    store = Store(st)
    # kill moments are drawn within the measured length of one uninterrupted incremental run, so
    # that most kills land mid-run on a fast machine and on a loaded one alike
    _run("ingest", str(corpus), "--store", str(st), "--no-analyze")
    mutate_corpus(corpus, files, rng, 99)
    t0 = time.perf_counter()
    _run("ingest", str(corpus), "--store", str(st), "--no-analyze")
    run_seconds = time.perf_counter() - t0
    for k in range(INGEST_KILLS):
        mutate_corpus(corpus, files, rng, k)
        mid_commit = k % 4 == 3
        env = {"TM_CRASH_BEFORE_SNAPSHOT": "1"} if mid_commit else None
        p = _cli("ingest", str(corpus), "--store", str(st), "--no-analyze", env=env)
        if mid_commit:
            p.wait(timeout=300)
            STATS["mid_commit"] += p.returncode == 9
        else:
            STATS["kills"] += kill_at(p, rng.uniform(0.05, 0.9) * run_seconds)
        assert_consistent(store)
    (tmp_path / "store" / ".tmp-leftover").mkdir()  # as a killed writer would leave it
    _run("ingest", str(corpus), "--store", str(st), "--no-analyze")
    assert_consistent(store)
    assert leftovers(st) == []

    reference = Store(tmp_path / "reference")
    _run("ingest", str(corpus), "--store", str(reference.root), "--no-analyze")
    assert content(store) == content(reference)
    assert store.status()["articles"] == len(files)
    assert STATS["kills"] + STATS["mid_commit"] >= INGEST_KILLS * 3 // 4  # most runs really died


def test_sigkill_during_analysis_keeps_analysis_rows_only_for_analysed_articles(tmp_path):
    rng = random.Random(SEED + 1)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, rng, 20, folders=2)
    st = tmp_path / "store"
    _run("ingest", str(corpus), "--store", str(st), "--no-analyze")
    store = Store(st)
    before = content(store)
    for k in range(ANALYZE_KILLS):
        env = {"TM_CRASH_BEFORE_SNAPSHOT": "1"} if k == 0 else None
        p = _cli("analyze", "--store", str(st), "--workers", "1", "--batch-size", "8", env=env)
        if env:
            p.wait(timeout=300)
        else:
            STATS["kills"] += kill_at(p, rng.uniform(1.0, 4.0))
        assert_consistent(store)
        assert content(store) == before
    start = time.perf_counter()
    _run("analyze", "--store", str(st), "--workers", "1")
    assert_consistent(store)
    assert store.status()["analyzed"] == len(before), f"analyze took {time.perf_counter() - start:.1f} s"
    assert leftovers(st) == []


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\ncrash: {STATS['kills']} SIGKILLs + {STATS['mid_commit']} deaths before snapshot survived, "
          f"{STATS['checks']} consistency checks")
