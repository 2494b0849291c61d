"""Watch a folder: re-ingest it when its files change, record what changed, compute the alerts.

Stages of one pass (`run_pass`): files table before -> incremental ingest + analysis -> files table
after (which files were added or updated) -> alerts (`analytics.alerts`) -> one entry appended to
the watch log (`watch-log.json` in the store directory, rewritten atomically). The loop
(`watch`) polls a cheap signature of the folder (paths, sizes, mtimes) every `--every` and runs a
pass only when it changed, so an idle folder does not add store versions.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from analytics.store import Store

LOG_FILE = "watch-log.json"
LOG_KEEP = 1000  # entries kept (oldest dropped)
_EVERY = re.compile(r"^\s*(\d+)\s*(s|m|h)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_every(text: str) -> int:
    """'30s' / '10m' / '1h' -> seconds (at least 1)."""
    m = _EVERY.match(str(text).lower())
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"--every takes a number with s, m or h (e.g. 30s, 10m, 1h), not {text!r}")
    return int(m.group(1)) * _UNITS[m.group(2)]


def folder_signature(path: Path) -> tuple:
    """(relative path, size, mtime_ns) of every visible file under `path` (or of `path` itself)."""
    if path.is_file():
        st = path.stat()
        return ((path.name, st.st_size, st.st_mtime_ns),)
    out = []
    for f in sorted(path.rglob("*")):
        rel = f.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            if f.is_file():
                st = f.stat()
                out.append((str(rel), st.st_size, st.st_mtime_ns))
        except OSError:  # deleted between listing and stat: the next poll sees it
            continue
    return tuple(out)


def _files(store: Store) -> dict[str, str]:
    if not store.exists():
        return {}
    con = store.connect()
    try:
        return dict(con.execute("SELECT file_key, fingerprint FROM files").fetchall())
    finally:
        con.close()


# ---- the log ---------------------------------------------------------------------------------
def read_log(store_dir: Path | str) -> list[dict]:
    """The watch log, oldest first; [] when there is none. A damaged log raises ValueError."""
    p = Path(store_dir) / LOG_FILE
    if not p.exists():
        return []
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"감시 기록을 읽을 수 없음 (watch log {p} is damaged: {exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ValueError(f"감시 기록 형식 오류 (watch log {p}: expected {{'entries': [...]}})")
    return [e for e in data["entries"] if isinstance(e, dict)]


def append_log(store_dir: Path | str, entry: dict) -> None:
    """Append one entry; the file is replaced atomically. A damaged log is kept aside, not lost."""
    root = Path(store_dir)
    root.mkdir(parents=True, exist_ok=True)
    try:
        entries = read_log(root)
    except ValueError:
        p = root / LOG_FILE
        os.replace(p, p.with_name(f"{LOG_FILE}.damaged-{int(time.time())}"))
        entries = []
    entries = (entries + [entry])[-LOG_KEEP:]
    tmp = root / f".{LOG_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"entries": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, root / LOG_FILE)


# ---- one pass --------------------------------------------------------------------------------
def run_pass(path: Path, store_dir: Path, workers: int | None = None, rule=None) -> dict:
    """Ingest `path` incrementally, analyse, compute alerts, log and return the log entry."""
    from analytics.alerts import find_alerts
    from analytics.ingest import ingest
    from analytics.pipeline import analyze
    from analytics.queries import open_corpus

    store = Store(store_dir)
    before = _files(store)
    report = ingest([path], store)
    rep = analyze(store, workers=workers)
    after = _files(store)
    added = sorted(k for k in after if k not in before)
    updated = sorted(k for k in after if k in before and after[k] != before[k])
    history = read_log(store_dir) if (Path(store_dir) / LOG_FILE).exists() else []
    try:
        result = find_alerts(open_corpus(store_dir), rule=rule, history=history)
    except ValueError as exc:
        result = {"alerts": [], "reason": str(exc)}
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "path": str(path), "store_version": store.version(),
        "files_added": added, "files_updated": updated,
        "articles_added": report.added, "articles_updated": report.updated, "articles_removed": report.removed,
        "duplicates": report.duplicates, "problems": len(report.problems), "analysed": rep.articles,
        "latest": result.get("latest"), "previous": result.get("previous"),
        "alerts": [{"kind": a["kind"], "name": a["name"], "latest": a["latest"], "previous": a["previous"],
                    "also": a.get("also", [])} for a in result.get("alerts", [])],
    }
    append_log(store_dir, entry)
    return entry


def watch(path: Path, store_dir: Path, every: int, once: bool = False, workers: int | None = None,
          on_pass: Callable[[dict], None] | None = None, stop: threading.Event | None = None,
          rule=None) -> int:
    """Run a pass now, then one whenever the folder's signature changes; returns passes run.

    `stop` (set by a signal handler or a test) ends the loop at the next wait."""
    if not path.exists():
        raise FileNotFoundError(f"감시할 경로가 없음 (path not found: {path})")
    stop = stop or threading.Event()
    passes, last = 0, None
    while True:
        sig = folder_signature(path)
        if sig != last:
            try:
                entry = run_pass(path, store_dir, workers=workers, rule=rule)
            except Exception as exc:
                if once or stop.is_set():
                    raise
                # a long-running watcher survives a bad pass (a model that fails to load, a full
                # disk): the error is logged and the pass retried at the next change or interval
                entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "path": str(path),
                         "error": f"{type(exc).__name__}: {exc}"}
                append_log(store_dir, entry)
                sig = None
            passes += 1
            last = sig if sig is None else folder_signature(path)  # files written during the pass: next time
            if on_pass:
                on_pass(entry)
        if once or stop.wait(every):
            return passes


def describe(entry: dict) -> str:
    """One line for the terminal."""
    if "error" in entry:
        return f"[{entry['at']}] 실패 (pass failed, retried later): {entry['error']}"
    names = ", ".join(a["name"] for a in entry["alerts"][:5])
    more = f" (+{len(entry['alerts']) - 5})" if len(entry["alerts"]) > 5 else ""
    return (f"[{entry['at']}] store v{entry['store_version']}: files +{len(entry['files_added'])} added, "
            f"{len(entry['files_updated'])} updated; articles +{entry['articles_added']}, "
            f"{entry['articles_updated']} updated; problems {entry['problems']}; "
            f"alerts {len(entry['alerts'])}" + (f": {names}{more}" if names else ""))


def watch_main(args) -> int:
    """`python -m analytics watch DIR --store S [--every 10m] [--once] [--json]`."""
    import signal
    import sys

    every = parse_every(args.every)
    stop = threading.Event()

    def handler(signum, frame):  # first Ctrl-C: finish the pass (if any) and exit
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("감시를 멈춥니다 (stopping after the current pass; Ctrl-C again to abort)", file=sys.stderr)

    old = signal.signal(signal.SIGINT, handler)

    def show(entry: dict) -> None:
        print(json.dumps(entry, ensure_ascii=False) if args.json else describe(entry), flush=True)

    try:
        if not args.json:
            print(f"watching {args.path} every {args.every} (store {args.store}); Ctrl-C to stop",
                  file=sys.stderr, flush=True)
        watch(args.path, args.store, every, once=args.once, workers=args.workers, on_pass=show, stop=stop)
    except Exception:
        if not stop.is_set():
            raise
        # Ctrl-C also reaches the analysis worker processes; the store keeps its last snapshot
        print("중단됨: 저장소는 마지막 완료 상태를 유지합니다 (interrupted; the store keeps its last "
              "complete snapshot)", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, old)
    return 0
