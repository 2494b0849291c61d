"""The guard every upload passes before it touches the disk (called by the dashboard's upload page).

An upload is untrusted: its name may hold a path (`../../x`, `C:\\x`, NUL bytes), its size may be
anything, its extension may lie. So: allowed extensions only, a size cap (setting
`max_upload_mb`), and a generated file name (uuid + whitelisted extension) under `upload_dir`.
The original name is kept only as metadata in a hidden JSON sidecar (`meta_path`), never
used as a path.
Zip contents are checked again when ingested (`analytics.ingest.archive`: traversal, bombs).
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from analytics import config

ALLOWED_EXTENSIONS = ("txt", "zip", "csv", "jsonl", "json", "xlsx")


class UploadRejected(ValueError):
    """An upload that is not saved; the message says why in Korean and English."""


def upload_extension(name: str) -> str:
    """The whitelisted, lower-case extension of an uploaded name, or UploadRejected."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    ext = base.rsplit(".", 1)[-1].lower().strip() if "." in base else ""
    if "\x00" in str(name) or ext not in ALLOWED_EXTENSIONS:
        raise UploadRejected(
            f"허용되지 않는 파일 형식입니다: '{ext or '(없음)'}'. 허용: {', '.join(ALLOWED_EXTENSIONS)} "
            f"(file type not allowed; allowed: {', '.join(ALLOWED_EXTENSIONS)})")
    return ext


def meta_path(saved: Path) -> Path:
    """The metadata sidecar of a saved upload (hidden: ingesting the folder skips it)."""
    return saved.with_name(f".{saved.name}.meta.json")


def check_upload(name: str, size: int) -> str:
    """The checks that need only the name and size (run on every file of a batch before any is
    saved, and as soon as a file is chosen); returns the extension or raises UploadRejected."""
    ext = upload_extension(name)
    max_mb = int(config.get("max_upload_mb"))
    if size > max_mb * 1024 * 1024:
        raise UploadRejected(f"파일이 너무 큽니다: {size / 1048576:.1f} MB > {max_mb} MB "
                             f"(upload larger than the {max_mb} MB limit)")
    if size <= 0:
        raise UploadRejected("빈 파일입니다 (empty upload)")
    return ext


def save_upload(name: str, data: bytes, upload_dir: Path) -> Path:
    """Check an upload and write it under a generated name; returns the saved path.

    Raises UploadRejected for a disallowed extension, an empty file or one over `max_upload_mb`.
    """
    ext = check_upload(name, len(data))
    upload_dir = Path(upload_dir)
    upload_dir.mkdir(parents=True, exist_ok=True)
    target = upload_dir / f"{uuid.uuid4().hex}.{ext}"
    tmp = upload_dir / f".tmp-{target.name}"
    # O_EXCL: never follow or overwrite an existing file or symlink
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)  # a reader never sees a half-written upload
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    meta = {"original_name": str(name)[:255], "size": len(data), "saved_as": target.name,
            "uploaded_at": datetime.now(UTC).isoformat()}
    meta_path(target).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return target


def save_uploads(files: list[tuple[str, bytes]], upload_dir: Path) -> list[Path]:
    """Check every (name, bytes) first, then save them all: one bad file saves none of the batch."""
    for name, data in files:
        try:
            check_upload(name, len(data))
        except UploadRejected as e:
            raise UploadRejected(f"{str(name)[:80]}: {e}") from None
    return [save_upload(name, data, upload_dir) for name, data in files]


def _meta(saved: Path) -> dict:
    try:
        return json.loads(meta_path(saved).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def mark_ingested(paths: list[Path]) -> None:
    """Record in each upload's sidecar that its ingest committed (it is no longer pending)."""
    stamp = datetime.now(UTC).isoformat()
    for p in paths:
        meta = _meta(Path(p)) or {"saved_as": Path(p).name}
        meta["ingested_at"] = stamp
        meta_path(Path(p)).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def pending_uploads(upload_dir: Path, busy: set[Path] | None = None,
                    ingested_keys: set[str] | None = None) -> list[dict]:
    """Saved uploads whose ingest never committed (e.g. the server stopped mid-job), oldest first:
    {"path", "original_name", "uploaded_at"}; `busy` paths (in a queued or running job) excluded,
    and so are uploads the store already lists (`ingested_keys`: its `files.file_key`, the resolved
    path; uploads saved before the sidecar had an `ingested_at` mark)."""
    d = Path(upload_dir)
    if not d.is_dir():
        return []
    busy = {Path(b).resolve() for b in (busy or set())}
    out = []
    for p in sorted(d.iterdir()):
        if p.name.startswith(".") or not p.is_file() or p.resolve() in busy:
            continue
        if p.suffix.lower().lstrip(".") not in ALLOWED_EXTENSIONS:
            continue
        meta = _meta(p)
        if meta.get("ingested_at") or str(p.resolve()) in (ingested_keys or set()):
            continue
        out.append({"path": p, "original_name": meta.get("original_name", p.name),
                    "uploaded_at": meta.get("uploaded_at", "")})
    return sorted(out, key=lambda r: r["uploaded_at"])
