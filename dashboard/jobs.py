"""Background work for the Data page: a queue of jobs (ingest + analyse an upload, analyse the
unanalysed articles, repair a damaged store), run one at a time because the store has one writer.

Each job belongs to the visitor (browser session) who submitted it: a page shows only its own
jobs and their place in the queue, and a visitor may have one unfinished job at a time (a second
submission is refused with a message instead of being dropped). Files are checked and saved by
`analytics.uploads` (the one upload guard) before a job is submitted; a saved upload is marked
ingested only when its ingest has committed, so a server killed mid-job leaves it listed as
pending at the next start (`analytics.uploads.pending_uploads`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("tm.jobs")

STAGES = {"queued": "대기 중", "ingest": "불러오는 중 (ingest)", "analyze": "분석 중 (analyze)",
          "repair": "복구 중 (repair)", "done": "완료 (done)", "failed": "실패 (failed)"}
KINDS = ("ingest", "analyze", "repair")
KEEP_FINISHED = 50  # finished jobs remembered (their reports) before the oldest are forgotten


class JobRefused(ValueError):
    """A submission that was not queued; the message says why (Korean + English)."""


@dataclass
class Job:
    owner: str
    kind: str = "ingest"
    paths: list[Path] = field(default_factory=list)
    store_dir: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    stage: str = "queued"
    done: int = 0
    total: int = 0
    report: dict = field(default_factory=dict)
    error: str = ""
    cleared: bool = False

    @property
    def running(self) -> bool:
        return self.stage in ("queued", "ingest", "analyze", "repair")

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def fraction(self) -> float:
        if self.stage in ("done", "failed"):
            return 1.0
        if self.stage == "queued":
            return 0.0
        base = 0.5 if (self.stage == "analyze" and self.kind == "ingest") else 0.0
        span = 0.5 if self.kind == "ingest" else 1.0
        return base + (span * self.done / self.total if self.total else 0.0)


_lock = threading.Lock()
_wake = threading.Condition(_lock)
_jobs: list[Job] = []  # in submission order: queued, running and recently finished
_worker: threading.Thread | None = None


def submit(owner: str, kind: str, store_dir: str, paths: list[Path] | None = None) -> Job:
    """Queue a job for `owner`; JobRefused when that visitor already has an unfinished job."""
    global _worker
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    with _lock:
        mine = [j for j in _jobs if j.owner == owner and j.running]
        if mine:
            raise JobRefused("이미 진행 중이거나 대기 중인 작업이 있습니다. 끝난 뒤에 다시 시도하세요. "
                             "(You already have a job queued or running.)")
        job = Job(owner=owner, kind=kind, paths=list(paths or []), store_dir=store_dir)
        _jobs.append(job)
        finished = [j for j in _jobs if not j.running]
        for old in finished[:max(0, len(finished) - KEEP_FINISHED)]:
            _jobs.remove(old)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, daemon=True, name="tm-jobs")
            _worker.start()
        _wake.notify_all()
    return job


def jobs_of(owner: str) -> list[Job]:
    """This visitor's jobs, oldest first."""
    with _lock:
        return [j for j in _jobs if j.owner == owner]


def ahead_of(job: Job) -> int:
    """How many jobs (of anyone) run or wait before this one."""
    with _lock:
        if job.stage != "queued":
            return 0
        return sum(1 for j in _jobs[:_jobs.index(job)] if j.running) if job in _jobs else 0


def busy_paths() -> set[Path]:
    """Saved uploads that an unfinished job will ingest (not 'pending' for the Data page)."""
    with _lock:
        return {p for j in _jobs if j.running for p in j.paths}


def any_running() -> bool:
    with _lock:
        return any(j.running for j in _jobs)


def _next() -> Job:
    with _lock:
        while True:
            job = next((j for j in _jobs if j.stage == "queued"), None)
            if job is not None:
                return job
            _wake.wait()


def _work() -> None:
    while True:
        job = _next()
        run(job)


def run(job: Job) -> None:
    """Run one job to completion (the worker thread calls this; tests may call it directly)."""
    from analytics import uploads
    from analytics.ingest import ingest
    from analytics.pipeline import analyze
    from analytics.store import Store, StoreError

    def progress(done: int, total: int, *_: object) -> None:
        job.done, job.total = done, total

    store = Store(job.store_dir)
    try:
        if job.kind == "repair":
            job.stage = "repair"
            with store.writer() as w:
                job.report = {"repair": w.repair()}
        if job.kind == "ingest":
            job.stage = "ingest"
            job.report = ingest(list(job.paths), store, progress=progress).as_dict()
            uploads.mark_ingested(job.paths)  # committed: no longer pending after a restart
        if job.kind in ("ingest", "analyze"):
            job.stage, job.done, job.total = "analyze", 0, 0
            try:
                job.report["analysis"] = analyze(store, workers=1, progress=progress).as_dict()
            except StoreError as e:
                job.error = f"분석 단계 실패 (analysis failed; articles are ingested): {e}"
            except Exception as e:  # ingest is committed even when analysis fails
                log.exception("analysis job %s failed", job.id)
                job.error = f"분석 단계 실패 (analysis failed; articles are ingested): {type(e).__name__}: {e}"
        if job.kind in ("ingest", "analyze"):
            _warm_query_tables(store)
        job.stage = "done" if not job.error else "failed"
    except StoreError as e:  # read-only store, corrupt table: the message is the whole story
        job.error, job.stage = str(e), "failed"
    except Exception as e:  # one line for the page; the traceback goes to the server log only
        log.exception("job %s failed", job.id)
        job.error, job.stage = f"{type(e).__name__}: {e}", "failed"


def _warm_query_tables(store) -> None:
    """Build the new snapshot's query tables (incrementally from the previous ones) inside the job,
    so the first page view after an upload does not wait for them. Best effort: a failure here
    only means the first view builds them."""
    try:
        from analytics.queries.build import base_db

        base_db(store, store.snapshot())
    except Exception:  # noqa: BLE001 (the pages report real store problems themselves)
        log.warning("query tables of the new snapshot not pre-built", exc_info=True)
