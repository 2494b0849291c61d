"""The store: Delta Lake tables under one directory, the only writer in the project.

Why Delta: ACID commits per table, readers in other processes never blocked, versions for
reproducible exports, and the same tables writable by Dask. A write touches several tables, so
consistency across tables comes from a `snapshots` table: each successful write appends one row
naming the version of every table. Readers open each table *at the snapshot's version*, so a
half-written batch (a crash between table commits) is never visible, and the next writer first
restores any table that moved past the last snapshot.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake

from analytics.config import UNKNOWN

TS = pa.timestamp("us", tz="UTC")

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("published", pa.date32()),
        ("date_precision", pa.string()), ("year", pa.int32()), ("title", pa.string()),
        ("author", pa.string()), ("url", pa.string()), ("text", pa.string()),
        ("language", pa.string()), ("origin", pa.string()), ("file_key", pa.string()),
        ("content_hash", pa.string()), ("simhash", pa.int64()), ("cluster_id", pa.string()),
        ("is_excerpt", pa.bool_()), ("synthetic", pa.bool_()), ("n_chars", pa.int32()),
        ("meta", pa.string()), ("provenance", pa.string()), ("ingested_at", TS),
    ]),
    "files": pa.schema([
        ("file_key", pa.string()), ("fingerprint", pa.string()), ("size", pa.int64()),
        ("mtime_ns", pa.int64()), ("format", pa.string()), ("n_articles", pa.int32()),
        ("ingested_at", TS),
    ]),
    "problems": pa.schema([
        ("run_id", pa.string()), ("path", pa.string()), ("reason", pa.string()), ("at", TS),
    ]),
    "analyzed": pa.schema([
        ("article_id", pa.string()), ("content_hash", pa.string()), ("analyzer", pa.string()),
        ("analyzed_at", TS),
    ]),
    "sentences": pa.schema([
        ("article_id", pa.string()), ("pos", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
        ("text", pa.string()), ("label", pa.string()), ("score", pa.float32()),
        ("terms", pa.list_(pa.string())),
    ]),
    "terms": pa.schema([
        ("article_id", pa.string()), ("term", pa.string()), ("cls", pa.string()), ("count", pa.int32()),
    ]),
    "keywords": pa.schema([
        ("article_id", pa.string()), ("rank", pa.int32()), ("keyword", pa.string()), ("score", pa.float32()),
    ]),
    "entities": pa.schema([
        ("article_id", pa.string()), ("type", pa.string()), ("canonical", pa.string()),
        ("surface", pa.string()), ("count", pa.int32()), ("sentences", pa.list_(pa.int32())),
    ]),
    "article_sentiment": pa.schema([
        ("article_id", pa.string()), ("mean_score", pa.float32()), ("pos_share", pa.float32()),
        ("neg_share", pa.float32()), ("n_sentences", pa.int32()),
    ]),
}
ANALYSIS_TABLES = ("sentences", "terms", "keywords", "entities", "article_sentiment", "analyzed")
IDENTITY_FILE = "store-id"  # one UUID per store creation: caches key on it, not on the path alone
SNAPSHOTS = pa.schema([("id", pa.int64()), ("at", TS), ("kind", pa.string()), ("versions", pa.string()),
                       ("note", pa.string())])


def _read_parquet(files: list[str], schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """The rows of one table version's Parquet files, read single-threaded.

    Not `DeltaTable.to_pyarrow_table()`: its dataset scanner leaves Arrow threads alive that
    intermittently abort the process at exit ("terminate called without an active exception",
    exit 134, apache/arrow#34314), which made a finished `ingest` look like a crash."""
    names = columns or schema.names
    parts = [pq.ParquetFile(f).read(columns=names, use_threads=False) for f in files]
    if not parts:
        return schema.empty_table().select(names)
    return pa.concat_tables(parts)


def now() -> datetime:
    return datetime.now(UTC)


def sql_str(value: str) -> str:
    """A SQL string literal (Delta predicates take SQL)."""
    return "'" + value.replace("'", "''") + "'"


@dataclass
class Change:
    """What one atomic write does: delete predicates then appends, per table."""

    deletes: dict[str, list[str]] = field(default_factory=dict)
    appends: dict[str, pa.Table] = field(default_factory=dict)

    def delete(self, table: str, predicate: str) -> None:
        self.deletes.setdefault(table, []).append(predicate)

    def append(self, table: str, rows: pa.Table | list[dict]) -> None:
        schema = SCHEMAS[table]
        tbl = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=schema)
        tbl = tbl.select(schema.names).cast(schema)
        if tbl.num_rows == 0:
            return
        prev = self.appends.get(table)
        self.appends[table] = tbl if prev is None else pa.concat_tables([prev, tbl])

    def empty(self) -> bool:
        return not self.deletes and not self.appends


class StoreError(RuntimeError):
    pass


class StoreReadOnly(StoreError):
    """The store directory cannot be written (permissions, a read-only mount): one clear line."""


class StoreCorrupt(StoreError):
    """A table's data file cannot be read; the message names the table and what to do."""

    def __init__(self, message: str, tables: list[str]):
        super().__init__(message)
        self.tables = tables


_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def is_not_writable(exc: BaseException) -> bool:
    """A permission or read-only-filesystem failure (deltalake reports them as 'os error 13/30')."""
    if isinstance(exc, OSError) and exc.errno in _NOT_WRITABLE:
        return True
    text = str(exc)
    return any(s in text for s in ("Permission denied", "Read-only file system", "os error 13", "os error 30"))


def not_writable_error(root: Path, exc: BaseException) -> StoreReadOnly:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return StoreReadOnly(f"저장소에 쓸 수 없습니다: {root} ({reason}). 쓰기 권한이 있는 경로를 --store(TM_STORE)로 "
                         f"지정하거나 폴더 권한을 고치세요. (store is not writable: {reason})")


def _repair_hint(table: str, root: Path) -> str:
    if table in ANALYSIS_TABLES:
        return (f"`python -m analytics repair --store {root}`로 손상된 파일을 치운 뒤 "
                f"`python -m analytics analyze --store {root}`로 빠진 분석을 다시 하세요")
    return (f"`python -m analytics repair --store {root}`로 손상된 파일을 치운 뒤, 빠진 기사는 원본 파일을 "
            f"다시 불러오세요 (`python -m analytics ingest 원본 --store {root}`)")


class Store:
    """A directory of Delta tables. Reading methods are safe from any process at any time."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    # ---- layout -------------------------------------------------------------------------
    def path(self, table: str) -> str:
        return str(self.root / table)

    def exists(self) -> bool:
        return DeltaTable.is_deltatable(self.path("snapshots"))

    def init(self) -> None:
        """Create every table empty and snapshot 0; a crashed init is wiped and redone."""
        if self.exists():
            self.identity()  # a store made before identities existed gets its id on first write
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self._write_identity(str(uuid.uuid4()))
        for name, schema in SCHEMAS.items():
            if not DeltaTable.is_deltatable(self.path(name)):
                shutil.rmtree(self.path(name), ignore_errors=True)
                write_deltalake(self.path(name), schema.empty_table(), mode="overwrite")
        versions = {name: DeltaTable(self.path(name)).version() for name in SCHEMAS}
        self._write_snapshot(0, "init", versions, "")

    # ---- identity -------------------------------------------------------------------------
    def identity(self) -> str:
        """This store's UUID, written when it was created.

        A store deleted and rebuilt at the same path has the same path and may reach the same
        snapshot id, so anything cached across processes (the query cache files) keys on this.
        A store made before identities existed gets a UUID derived from the time of its snapshot
        0, written back when the directory is writable: readers that cannot write compute the same
        value, so a read-only reader and the next writer agree."""
        try:
            text = (self.root / IDENTITY_FILE).read_text(encoding="ascii").strip()
            return str(uuid.UUID(text))
        except (OSError, ValueError):
            pass
        snaps = self.snapshots()
        if not snaps:
            raise StoreError(f"no store at {self.root} (run `python -m analytics ingest` first)")
        ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"tm-store:{snaps[0]['at'].isoformat()}"))
        self._write_identity(ident)
        return ident

    def _write_identity(self, ident: str) -> None:
        """Write the id file atomically; a read-only directory keeps the derived id in memory."""
        tmp = self.root / f".{IDENTITY_FILE}.{os.getpid()}.tmp"
        try:
            tmp.write_text(ident + "\n", encoding="ascii")
            os.replace(tmp, self.root / IDENTITY_FILE)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    # ---- snapshots ----------------------------------------------------------------------
    def _write_snapshot(self, sid: int, kind: str, versions: Mapping[str, int], note: str) -> None:
        row = pa.Table.from_pylist(
            [{"id": sid, "at": now(), "kind": kind, "versions": json.dumps(versions), "note": note}],
            schema=SNAPSHOTS,
        )
        write_deltalake(self.path("snapshots"), row, mode="append")

    def snapshots(self) -> list[dict]:
        if not self.exists():
            return []
        rows = _read_parquet(DeltaTable(self.path("snapshots")).file_uris(), SNAPSHOTS).to_pylist()
        return sorted(rows, key=lambda r: r["id"])

    def snapshot(self) -> dict:
        """The latest committed snapshot: {"id", "at", "kind", "versions": {table: version}}."""
        snaps = self.snapshots()
        if not snaps:
            raise StoreError(f"no store at {self.root} (run `python -m analytics ingest` first)")
        last = dict(snaps[-1])
        last["versions"] = json.loads(last["versions"])
        return last

    def last_run_id(self) -> str | None:
        """The run id of the last completed ingest (its problems are the ones to report)."""
        for snap in reversed(self.snapshots()):
            if snap["kind"] == "ingest" and snap["note"]:
                note = json.loads(snap["note"])
                if not note.get("partial"):
                    return note.get("run_id")
        return None

    def version(self) -> int:
        """The store version users see: the id of the latest snapshot."""
        return int(self.snapshot()["id"])

    # ---- reading ------------------------------------------------------------------------
    def table_files(self, table: str, snapshot: dict | None = None) -> list[str]:
        snap = snapshot or self.snapshot()
        v = snap["versions"].get(table)
        if v is None:
            return []
        return DeltaTable(self.path(table), version=v).file_uris()

    def read(self, table: str, columns: list[str] | None = None, snapshot: dict | None = None) -> pa.Table:
        snap = snapshot or self.snapshot()
        v = snap["versions"].get(table)
        if v is None:
            tbl = SCHEMAS[table].empty_table()
        else:
            tbl = _read_parquet(DeltaTable(self.path(table), version=v).file_uris(), SCHEMAS[table], columns)
        return tbl.select(columns) if columns else tbl

    def file_keys(self) -> set[str]:
        """The input files the store has ingested (their resolved paths), from the `files` table."""
        return set(self.read("files", ["file_key"]).column("file_key").to_pylist())

    def connect(self, snapshot: dict | None = None):
        """A DuckDB connection with one view per table at a consistent snapshot (read-only use)."""
        import duckdb

        con = duckdb.connect()
        self.create_views(con, snapshot or self.snapshot())
        return con

    def create_views(self, con, snapshot: dict) -> None:
        """One relation per table on `con`, at the snapshot's version: a view over its Parquet
        files, or an empty table of its schema (read_parquet needs at least one file)."""
        for table, schema in SCHEMAS.items():
            files = self.table_files(table, snapshot)
            if files:
                quoted = ", ".join(sql_str(f) for f in files)
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{quoted}], union_by_name=true)")
            else:
                empty = schema.empty_table()  # noqa: F841 (DuckDB reads the local variable)
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM empty")

    # ---- writing ------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[StoreWriter]:
        """Exclusive writer: one process at a time; recovers a crashed write first.

        A directory that cannot be written raises StoreReadOnly (one line for the CLI and the
        upload job), whether it fails at the lock or inside a commit."""
        try:
            self.init()
            lock = open(self.root / ".writer.lock", "a+")  # noqa: SIM115 (closed below)
        except OSError as e:
            if is_not_writable(e):
                raise not_writable_error(self.root, e) from e
            raise
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                w = StoreWriter(self)
                w.recover()
                yield w
            except OSError as e:
                if is_not_writable(e):
                    raise not_writable_error(self.root, e) from e
                raise
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def corrupt_files(self, snapshot: dict | None = None) -> dict[str, list[str]]:
        """{table: [data files of the snapshot that cannot be read]}. Each file is read whole, one
        at a time (damage may sit in any page, not only the footer): for the error path only."""
        snap = snapshot or self.snapshot()
        bad: dict[str, list[str]] = {}
        for table in SCHEMAS:
            for f in self.table_files(table, snap):
                try:
                    pq.ParquetFile(f.removeprefix("file://")).read(use_threads=False)
                except Exception:  # missing, truncated or overwritten: all unreadable alike
                    bad.setdefault(table, []).append(f)
        return bad

    def corruption_error(self, snapshot: dict | None = None) -> StoreCorrupt | None:
        """A StoreCorrupt naming every damaged table and what to do, or None when all files read."""
        bad = self.corrupt_files(snapshot)
        if not bad:
            return None
        lines = [f"저장소 표 '{t}'의 데이터 파일 {len(fs)}개가 손상되었습니다 ({Path(fs[0]).name}…). "
                 f"{_repair_hint(t, self.root)}." for t, fs in sorted(bad.items())]
        return StoreCorrupt(" ".join(lines) + " (corrupt Parquet in: " + ", ".join(sorted(bad)) + ")", sorted(bad))

    def status(self) -> dict:
        """Counts for `status --json`: articles, by source, by year, version, last problems.
        An unreadable data file raises StoreCorrupt naming the table and what to do."""
        import duckdb

        snap = self.snapshot()
        try:
            return self._status(snap)
        except (duckdb.Error, OSError) as e:
            err = self.corruption_error(snap)
            if err is not None:
                raise err from e
            raise

    def _status(self, snap: dict) -> dict:
        con = self.connect(snap)
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        sources = dict(con.execute(
            f"SELECT coalesce(source, '{UNKNOWN}') s, count(*) n FROM articles GROUP BY 1 ORDER BY n DESC, s"
        ).fetchall())
        years = {str(y): c for y, c in con.execute(
            f"SELECT coalesce(CAST(year AS VARCHAR), '{UNKNOWN}') y, count(*) FROM articles GROUP BY 1 ORDER BY 1"
        ).fetchall()}
        run_id = self.last_run_id()
        problems = [{"path": p, "reason": r} for p, r in con.execute(
            "SELECT path, reason FROM problems WHERE run_id = ? ORDER BY path", [run_id or ""]
        ).fetchall()]
        analyzed = con.execute("SELECT count(*) FROM analyzed").fetchone()[0]
        con.close()
        return {"articles": int(n), "sources": sources, "years": years, "version": int(snap["id"]),
                "problems": problems, "analyzed": int(analyzed)}


class StoreWriter:
    """Applies `Change`s atomically (from readers' point of view) via a new snapshot row."""

    def __init__(self, store: Store):
        self.store = store

    def recover(self) -> None:
        """Roll back tables that moved past the last snapshot and drop leftover temp files."""
        snap = self.store.snapshot()
        for table, v in snap["versions"].items():
            dt = DeltaTable(self.store.path(table))
            if dt.version() > v:
                dt.restore(v)
        for tmp in self.store.root.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)

    def commit(self, change: Change, kind: str, note: str = "", force: bool = False) -> int:
        """Apply deletes and appends to each table, then publish them as one new snapshot."""
        if change.empty() and not force:
            return self.store.version()
        snap = self.store.snapshot()
        versions = dict(snap["versions"])
        for table in sorted(set(change.deletes) | set(change.appends)):
            path = self.store.path(table)
            for pred in change.deletes.get(table, []):
                DeltaTable(path).delete(pred)
            if table in change.appends:
                write_deltalake(path, change.appends[table], mode="append")
            versions[table] = DeltaTable(path).version()
        sid = int(snap["id"]) + 1
        if os.environ.get("TM_CRASH_BEFORE_SNAPSHOT"):  # test hook: simulate a kill mid-commit
            os._exit(9)
        self.store._write_snapshot(sid, kind, versions, note)
        if sid % 200 == 0:
            self._compact_snapshots()
        return sid

    def repair(self) -> dict:
        """Move unreadable data files of the last snapshot to `.quarantine/`, drop them from their
        Delta tables (FSCK) and publish that as a snapshot; then make the loss redoable: articles
        whose analysis rows were in a damaged file lose their `analyzed` mark (`analyze` redoes
        them), and files whose articles were lost lose their `files` row (the next `ingest` of
        the originals reads them again). Returns {"tables": {table: files moved}, "reanalyse": n,
        "reingest_files": [file keys]}."""
        store = self.store
        snap = store.snapshot()
        bad = store.corrupt_files(snap)
        if not bad:
            return {"tables": {}, "reanalyse": 0, "reingest_files": []}
        qdir = store.root / ".quarantine" / now().strftime("%Y%m%dT%H%M%S")
        versions = dict(snap["versions"])
        for table, files in bad.items():
            (qdir / table).mkdir(parents=True, exist_ok=True)
            for f in files:
                src = Path(f.removeprefix("file://"))
                if src.exists():
                    shutil.move(str(src), str(qdir / table / src.name))
            dt = DeltaTable(store.path(table))
            dt.repair(dry_run=False)
            versions[table] = DeltaTable(store.path(table)).version()
        sid = int(snap["id"]) + 1
        store._write_snapshot(sid, "repair", versions, json.dumps({"quarantined": {t: len(f) for t, f in bad.items()}}))
        con = store.connect()
        change = Change()
        lost = [t for t in bad if t in ANALYSIS_TABLES and t != "analyzed"]
        redo: set[str] = set()
        for t in lost:
            redo |= {r[0] for r in con.execute(
                f"SELECT z.article_id FROM analyzed z ANTI JOIN {t} x ON x.article_id = z.article_id").fetchall()}
        reingest: list[str] = []
        if "articles" in bad:  # orphaned analysis rows go; files with missing articles are read again
            orphans = [r[0] for r in con.execute(
                "SELECT DISTINCT z.article_id FROM analyzed z ANTI JOIN articles a ON a.id = z.article_id").fetchall()]
            redo |= set(orphans)
            reingest = [r[0] for r in con.execute(
                """SELECT f.file_key FROM files f LEFT JOIN (SELECT file_key, count(*) AS n FROM articles
                   GROUP BY file_key) a USING (file_key) WHERE coalesce(a.n, 0) < f.n_articles ORDER BY 1""").fetchall()]
        con.close()
        for chunk in range(0, len(redo), 500):
            ids = sorted(redo)[chunk:chunk + 500]
            in_list = ", ".join(sql_str(i) for i in ids)
            for t in ANALYSIS_TABLES:
                change.delete(t, f"article_id IN ({in_list})")
        for chunk in range(0, len(reingest), 500):
            keys = ", ".join(sql_str(k) for k in reingest[chunk:chunk + 500])
            change.delete("files", f"file_key IN ({keys})")
        self.commit(change, "repair", note=json.dumps({"reanalyse": len(redo), "reingest_files": len(reingest)}))
        return {"tables": {t: len(f) for t, f in bad.items()}, "reanalyse": len(redo), "reingest_files": reingest}

    def _compact_snapshots(self) -> None:
        """Keep reading the snapshot log cheap: one file instead of one per commit."""
        dt = DeltaTable(self.store.path("snapshots"))
        dt.optimize.compact()
        dt.create_checkpoint()

    def vacuum(self, retention_hours: int = 168) -> list[str]:
        """Delete data files unreferenced for `retention_hours` (readers of old versions need them)."""
        removed: list[str] = []
        for table in (*SCHEMAS, "snapshots"):
            removed += DeltaTable(self.store.path(table)).vacuum(
                retention_hours=retention_hours, dry_run=False, enforce_retention_duration=False)
        return removed


def wait_for_store(root: Path, timeout: float = 10.0) -> Store:
    """A Store once it exists (used by readers started alongside a first ingest)."""
    store = Store(root)
    deadline = time.monotonic() + timeout
    while not store.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return store
