"""Background ingest + analysis of uploaded files (one job at a time, progress polled by the page).

Uploads are saved under generated names (never the user's file name) with a whitelisted
extension and a size cap; the job runs the same pipeline as the CLI: ingest, then analyze.
"""

from __future__ import annotations

import threading
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED = ("txt", "zip", "csv", "jsonl", "xlsx")
STAGES = {"queued": "대기 중", "ingest": "불러오는 중 (ingest)", "analyze": "분석 중 (analyze)",
          "done": "완료 (done)", "failed": "실패 (failed)"}


@dataclass
class Job:
    paths: list[Path]
    stage: str = "queued"
    done: int = 0
    total: int = 0
    report: dict = field(default_factory=dict)
    error: str = ""
    cleared: bool = False

    @property
    def running(self) -> bool:
        return self.stage in ("queued", "ingest", "analyze")

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def fraction(self) -> float:
        if self.stage in ("done", "failed"):
            return 1.0
        base = 0.0 if self.stage in ("queued", "ingest") else 0.5
        return base + (0.5 * self.done / self.total if self.total else 0.0)


_lock = threading.Lock()
_current: dict[str, Job] = {}


def save_uploads(files: list[tuple[str, bytes]], upload_dir: Path, max_mb: int) -> list[Path]:
    """Save (name, bytes) uploads as <random>.<ext>; refuses other extensions and files over max_mb."""
    out = []
    for name, blob in files:
        ext = Path(name).suffix.lower().lstrip(".")
        if ext not in ALLOWED:
            raise ValueError(f"허용하지 않는 형식입니다: .{ext} ({', '.join(ALLOWED)}만 가능)")
        if len(blob) > max_mb * 1024 * 1024:
            raise ValueError(f"파일이 너무 큽니다 (최대 {max_mb} MB): {len(blob) / 1e6:.1f} MB")
    upload_dir.mkdir(parents=True, exist_ok=True)
    for name, blob in files:
        ext = Path(name).suffix.lower().lstrip(".")
        path = upload_dir / f"{uuid.uuid4().hex}.{ext}"
        path.write_bytes(blob)
        out.append(path)
    return out


def _run(job: Job, store_dir: str) -> None:
    from analytics.ingest import ingest
    from analytics.pipeline import analyze
    from analytics.store import Store

    def ingest_progress(done: int, total: int, *_: object) -> None:
        job.done, job.total = done, total

    try:
        store = Store(store_dir)
        job.stage = "ingest"
        job.report = ingest(list(job.paths), store, progress=ingest_progress).as_dict()
        job.stage, job.done, job.total = "analyze", 0, 0
        try:
            rep = analyze(store, workers=1, progress=ingest_progress)
            job.report["analysis"] = rep.as_dict()
        except Exception as e:  # ingest is committed even when analysis fails
            job.error = f"분석 단계 실패 (analysis failed; articles are ingested): {type(e).__name__}: {e}"
        job.stage = "done" if not job.error else "failed"
    except Exception as e:
        job.error = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
        job.stage = "failed"


def start(paths: list[Path], store_dir: str) -> Job:
    """Start a background job unless one is running (then return that one)."""
    with _lock:
        cur = _current.get("job")
        if cur is not None and cur.running:
            return cur
        job = Job(paths=list(paths))
        _current["job"] = job
    threading.Thread(target=_run, args=(job, store_dir), daemon=True, name="tm-ingest").start()
    return job


def current() -> Job | None:
    return _current.get("job")
