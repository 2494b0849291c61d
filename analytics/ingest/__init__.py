"""Ingest: files, folders, zips and tables -> normalized articles in the store.

Stages: enumerate inputs -> skip unchanged files (size+mtime, then content fingerprint) ->
parse by format -> apply manifest -> identity, duplicates, story clusters -> commit in batches.
Every unreadable input becomes a problem entry; nothing already stored is lost.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from analytics import config
from analytics.ingest.archive import iter_zip
from analytics.ingest.bigkinds import is_bigkinds, parse_bigkinds
from analytics.ingest.identity import (
    ClusterIndex,
    article_id,
    content_hash,
    language,
    load_signatures,
    minhash,
    save_signatures,
)
from analytics.ingest.manifest import apply_manifest, find_manifest, load_manifest
from analytics.ingest.outlets import host_of, outlet_from_url, why_unknown
from analytics.ingest.records import ParseError, Problem, RawArticle
from analytics.ingest.report import FileReport, IngestReport
from analytics.ingest.tabular import URL_VALUE, parse_csv, parse_jsonl, parse_xlsx, read_xlsx
from analytics.ingest.text import parse_text_file
from analytics.store import ANALYSIS_TABLES, Change, Store, now, sql_str

FORMATS = ("auto", "txt", "csv", "jsonl", "xlsx", "bigkinds")
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "txt", ".csv": "csv", ".tsv": "csv",
              ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".xlsx": "xlsx", ".zip": "zip"}
BATCH_ARTICLES = 2000
# A longer "article" (a dump, a 50 MB single line in a CSV/JSONL cell) would stall SimHash and
# analysis; it becomes a problem entry instead, and the rest of its file is still ingested.
MAX_ARTICLE_CHARS = 1_000_000


@dataclass
class _Input:
    path: Path
    key: str
    manifest_row: dict[str, str]


def _enumerate(paths: list[Path], manifest: dict[str, dict[str, str]] | None,
               report: IngestReport) -> Iterator[_Input]:
    for p in paths:
        if not p.exists():
            report.problems.append(Problem(str(p), "경로 없음 (path not found)"))
            continue
        if p.is_dir():
            local = manifest
            if local is None and (m := find_manifest(p)) is not None:
                local = load_manifest(m)
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts) \
                        and f.name != "manifest.csv":
                    yield _Input(f, str(f.resolve()), (local or {}).get(f.name, {}))
        else:
            yield _Input(p, str(p.resolve()), (manifest or {}).get(p.name, {}))


def parse_bytes(data: bytes, name: str, fmt: str = "auto", mapping: Mapping[str, str] | None = None,
                info: dict | None = None) -> tuple[list[RawArticle], list[str]]:
    """Articles and per-row problems of one file's bytes; ParseError if the whole file fails.
    A table's column mapping goes into `info` (columns, how, meta_columns) when one is given."""
    kind = fmt if fmt != "auto" else EXTENSIONS.get(Path(name).suffix.lower())
    if kind is None:
        raise ParseError(f"지원하지 않는 형식 (unsupported file type '{Path(name).suffix}')")
    if kind == "txt":
        return parse_text_file(data, name), []
    if kind == "csv":
        return parse_csv(data, name, mapping, info)
    if kind == "jsonl":
        return parse_jsonl(data, name, mapping, info)
    if kind == "bigkinds":
        return parse_bigkinds(data, name, info)
    if kind == "xlsx":
        if not mapping and is_bigkinds(read_xlsx(data).columns):
            return parse_bigkinds(data, name, info)
        return parse_xlsx(data, name, mapping, info)
    raise ParseError(f"지원하지 않는 형식 ({kind})")


def _file_report(label: str, kind: str, info: dict) -> FileReport:
    return FileReport(label, kind, columns=info.get("columns", {}), how=info.get("how", {}),
                      meta_columns=info.get("meta_columns", []))


def _parse_input(data: bytes, inp: _Input, fmt: str, mapping: Mapping[str, str] | None,
                 report: IngestReport) -> list[tuple[RawArticle, str, FileReport]]:
    """(article, origin format, its file's report) of one input; zips are opened entry by entry."""
    name = inp.path.name
    if Path(name).suffix.lower() == ".zip" and fmt in ("auto", "zip"):
        out: list[tuple[RawArticle, str, FileReport]] = []
        for entry, content, why in iter_zip(data):
            label = f"{inp.path}::{entry}"
            if why is not None:
                report.problems.append(Problem(label, why))
                continue
            if Path(entry).suffix.lower() == ".zip":
                report.problems.append(Problem(label, "중첩 zip은 읽지 않음 (nested zip skipped)"))
                continue
            info: dict = {}
            try:
                arts, row_problems = parse_bytes(content or b"", entry, "auto", mapping, info)
            except ParseError as exc:
                report.problems.append(Problem(label, str(exc)))
                continue
            report.problems += [Problem(label, r) for r in row_problems]
            kind = EXTENSIONS.get(Path(entry).suffix.lower(), "txt")
            fr = _file_report(label, "bigkinds" if arts and arts[0].meta.get("format") == "bigkinds" else kind, info)
            out += [(a, kind, fr) for a in arts]
        return out
    info = {}
    arts, row_problems = parse_bytes(data, name, fmt, mapping, info)
    report.problems += [Problem(str(inp.path), r) for r in row_problems]
    kind = fmt if fmt != "auto" else EXTENSIONS.get(Path(name).suffix.lower(), "txt")
    origin = "bigkinds" if arts and arts[0].meta.get("format") == "bigkinds" else kind
    fr = _file_report(str(inp.path), origin, info)
    return [(a, "bigkinds" if a.meta.get("format") == "bigkinds" else kind, fr) for a in arts]


def derive_source(art: RawArticle) -> tuple[bool, tuple[str, str] | None]:
    """Fill a missing source from the URL's host (outlets.csv). A URL given as the source (e.g.
    `--map source=article_url`) becomes the URL. Returns (derived?, (host, reason) if it failed)."""
    if art.source and URL_VALUE.match(art.source):
        art.url = art.url or art.source
        art.source = None
        art.provenance.pop("source", None)
    if art.url and "&amp;" in art.url:  # a URL copied from HTML: &amp; is & (issue 16)
        art.url = art.url.replace("&amp;", "&")
    if art.source or not art.url:
        return False, None
    if (name := outlet_from_url(art.url)) is not None:
        art.source = name
        art.provenance["source"] = "url"
        return True, None
    return False, (host_of(art.url) or art.url[:60], why_unknown(art.url))


def _count(fr: FileReport, art: RawArticle, derived: bool, failed: tuple[str, str] | None) -> None:
    fr.articles += 1
    fr.source_from_url += derived
    fr.no_source += not art.source
    fr.no_date += art.published is None
    if failed and not art.source:
        fr.unknown_hosts[failed] += 1


def _cluster_index(store: Store, con) -> tuple[ClusterIndex, dict]:
    """The story-cluster index over the stored articles, and content hash -> MinHash signature
    (from the signature file; articles missing from it, e.g. of an older store, are hashed now)."""
    index = ClusterIndex(float(config.get("near_dup_jaccard")))
    sigs = load_signatures(store.root)
    stored = con.execute("SELECT id, content_hash, cluster_id FROM articles").fetchall()
    missing = sorted({h for _, h, _ in stored if h not in sigs})
    for start in range(0, len(missing), 1000):
        part = missing[start:start + 1000]
        for h, text in con.execute("SELECT content_hash, any_value(text) FROM articles WHERE content_hash IN ("
                                   + ", ".join("?" * len(part)) + ") GROUP BY 1", part).fetchall():
            sigs[h] = minhash(text)
    for aid, h, cid in stored:
        if h in sigs:
            index.add(aid, sigs[h], cid)
    return index, sigs


def _article_row(art: RawArticle, aid: str, chash: str, cluster: str, origin: str, key: str) -> dict:
    return {
        "id": aid, "source": art.source, "published": art.published, "date_precision": art.date_precision,
        "year": art.published.year if art.published else None, "title": art.title, "author": art.author,
        "url": art.url, "text": art.text, "language": language(art.text), "origin": origin,
        "file_key": key, "content_hash": chash, "simhash": None,  # legacy SimHash column: clusters now use MinHash
        "cluster_id": cluster,
        "is_excerpt": art.is_excerpt, "synthetic": art.synthetic or bool(art.meta.get("synthetic")),
        "n_chars": len(art.text), "meta": json.dumps(art.meta, ensure_ascii=False, default=str),
        "provenance": json.dumps(art.provenance, ensure_ascii=False), "ingested_at": now(),
    }


def ingest(paths: list[Path], store: Store, manifest: Path | None = None, fmt: str = "auto",
           mapping: Mapping[str, str] | None = None,
           progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
    """Ingest paths into the store; returns the report (also kept in the store's problems table)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    report = IngestReport(run_id=uuid.uuid4().hex[:12])
    manifest_rows = load_manifest(manifest) if manifest else None
    max_bytes = int(config.get("max_file_mb")) * 1024 * 1024
    inputs = list(_enumerate(list(paths), manifest_rows, report))
    with store.writer() as writer:
        con = store.connect()
        files = {r[0]: r[1:] for r in con.execute(
            "SELECT file_key, fingerprint, size, mtime_ns, n_articles FROM files").fetchall()}
        existing = {r[0]: (r[1], r[2]) for r in con.execute(
            "SELECT id, file_key, content_hash FROM articles").fetchall()}
        index, sigs = _cluster_index(store, con)
        con.close()
        seen_ids: set[str] = set()
        change, pending = Change(), 0
        for i, inp in enumerate(inputs):
            if progress:
                progress(i, len(inputs), str(inp.path))
            report.files_seen += 1
            try:
                st = inp.path.stat()
            except OSError as exc:
                report.problems.append(Problem(str(inp.path), f"읽을 수 없음 ({exc.strerror})"))
                continue
            mhash = hashlib.sha1(json.dumps(inp.manifest_row, sort_keys=True).encode()).hexdigest()[:12]
            prev = files.get(inp.key)
            if prev and prev[1] == st.st_size and prev[2] == st.st_mtime_ns and prev[0].endswith(mhash):
                report.files_unchanged += 1
                report.unchanged += prev[3]
                continue
            if st.st_size > max_bytes:
                report.problems.append(Problem(str(inp.path), f"파일이 너무 큼 ({st.st_size >> 20} MB > {max_bytes >> 20} MB)"))
                continue
            try:
                data = inp.path.read_bytes()
            except OSError as exc:
                report.problems.append(Problem(str(inp.path), f"읽을 수 없음 ({exc.strerror})"))
                continue
            fingerprint = hashlib.sha256(data).hexdigest() + ":" + mhash
            if prev and prev[0] == fingerprint:
                report.files_unchanged += 1
                report.unchanged += prev[3]
                change.delete("files", f"file_key = {sql_str(inp.key)}")
                change.append("files", [_file_row(inp.key, fingerprint, st, prev[3], fmt)])
                continue
            try:
                parsed = _parse_input(data, inp, fmt, mapping, report)
            except ParseError as exc:
                report.problems.append(Problem(str(inp.path), str(exc)))
                continue
            except Exception as exc:  # a parser bug must not lose the run
                report.problems.append(Problem(str(inp.path), f"읽기 오류 ({type(exc).__name__}: {exc})"))
                continue
            old_ids = {aid for aid, (fk, _) in existing.items() if fk == inp.key}
            rows, kept_hashes = [], {}
            for fr in dict.fromkeys(fr for _, _, fr in parsed):
                report.files.append(fr)
            for art, origin, fr in parsed:
                if len(art.text) > MAX_ARTICLE_CHARS:
                    report.problems.append(Problem(str(inp.path), f"기사가 너무 김 (article of {len(art.text):,} "
                                                   f"characters > {MAX_ARTICLE_CHARS:,}: skipped)"))
                    continue
                if inp.manifest_row:
                    apply_manifest(art, inp.manifest_row)
                _count(fr, art, *derive_source(art))
                aid = article_id(art)
                if aid in seen_ids or (aid in existing and aid not in old_ids):
                    report.duplicates += 1
                    continue
                seen_ids.add(aid)
                chash = content_hash(art.text)
                sig = sigs[chash] if chash in sigs else minhash(art.text)
                sigs[chash] = sig
                cluster = index.find(sig) or aid
                index.add(aid, sig, cluster)
                rows.append(_article_row(art, aid, chash, cluster, origin, inp.key))
                kept_hashes[aid] = chash
                if aid in old_ids:
                    report.updated += 1
                else:
                    report.added += 1
            if old_ids:
                change.delete("articles", f"file_key = {sql_str(inp.key)}")
                stale = [a for a in old_ids if kept_hashes.get(a) != existing[a][1]]
                report.removed += len(old_ids - set(kept_hashes))
                if stale:
                    in_list = ", ".join(sql_str(a) for a in stale)
                    for t in ANALYSIS_TABLES:
                        change.delete(t, f"article_id IN ({in_list})")
            change.append("articles", rows)
            for r in rows:
                existing[r["id"]] = (inp.key, r["content_hash"])
            change.delete("files", f"file_key = {sql_str(inp.key)}")
            change.append("files", [_file_row(inp.key, fingerprint, st, len(rows), fmt)])
            pending += len(rows) + 1
            if pending >= BATCH_ARTICLES:
                writer.commit(change, "ingest", json.dumps({"run_id": report.run_id, "partial": True}))
                change, pending = Change(), 0
        if report.problems:
            change.append("problems", [{"run_id": report.run_id, "path": p.path, "reason": p.reason, "at": now()}
                                       for p in report.problems])
        # always a snapshot, even for a no-op run, so `status` reports this run's problems
        report.version = writer.commit(change, "ingest", json.dumps({"run_id": report.run_id}), force=True)
        live = {h for _, h in existing.values()}
        save_signatures(store.root, {h: v for h, v in sigs.items() if h in live})
    if progress:
        progress(len(inputs), len(inputs), "")
    return report


def _file_row(key: str, fingerprint: str, st, n: int, fmt: str) -> dict:
    return {"file_key": key, "fingerprint": fingerprint, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "format": fmt, "n_articles": n, "ingested_at": now()}
