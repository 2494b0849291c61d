"""The store: consistent snapshots, crash safety, versions, CLI status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from analytics.store import Change, Store
from tests.conftest import ROOT

KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."


def _run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def test_new_store_starts_empty_at_version_zero(store):
    store.init()
    assert store.status() == {"articles": 0, "sources": {}, "years": {}, "version": 0, "problems": [],
                              "analyzed": 0}


def test_each_commit_is_one_new_version_and_old_versions_stay_readable(store):
    with store.writer() as w:
        c = Change()
        c.append("problems", [{"run_id": "r1", "path": "p", "reason": "x", "at": None}])
        v1 = w.commit(c, "test")
    first = store.snapshot()
    with store.writer() as w:
        c = Change()
        c.append("problems", [{"run_id": "r2", "path": "q", "reason": "y", "at": None}])
        v2 = w.commit(c, "test")
    assert (v1, v2) == (1, 2)
    assert store.read("problems", snapshot=first).num_rows == 1
    assert store.read("problems").num_rows == 2


def test_kill_mid_commit_leaves_previous_version_and_rerun_completes(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("첫 기사\n\n" + KO, encoding="utf-8")
    st = str(tmp_path / "store")
    assert _run_cli("ingest", str(corpus), "--store", st, "--no-analyze").returncode == 0
    (corpus / "b.txt").write_text("둘째 기사\n\n" + KO + " 추가 문장이다.", encoding="utf-8")
    crashed = _run_cli("ingest", str(corpus), "--store", st, "--no-analyze",
                       env={"TM_CRASH_BEFORE_SNAPSHOT": "1"})
    assert crashed.returncode != 0
    store = Store(st)
    assert store.status()["articles"] == 1  # the half-written batch is not visible
    version_before = store.version()
    rerun = _run_cli("ingest", str(corpus), "--store", st, "--no-analyze")
    assert rerun.returncode == 0, rerun.stderr
    assert store.status()["articles"] == 2 and store.version() > version_before


def test_status_json_has_the_contract_keys(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("첫 기사\n\n" + KO, encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"")
    st = str(tmp_path / "store")
    out = _run_cli("ingest", str(corpus), "--store", st, "--no-analyze")
    assert out.returncode == 0 and "added 1" in out.stdout and "problems 1" in out.stdout
    status = json.loads(_run_cli("status", "--store", st, "--json").stdout)
    assert set(status) >= {"articles", "sources", "years", "version", "problems"}
    assert status["articles"] == 1 and status["sources"] == {"미상": 1}
    assert [p["path"].endswith("bad.txt") for p in status["problems"]] == [True]


def test_missing_store_gives_a_clear_message(tmp_path):
    out = _run_cli("status", "--store", str(tmp_path / "nothing"))
    assert out.returncode != 0 and "no store" in out.stderr
