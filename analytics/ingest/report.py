"""What an ingest run tells the user: counts, problems, and per file which column became which
field, what was kept as metadata, and how many articles lack a source or a date (and why).

A CSV that ingests with "problems 0" but gives every article source 미상 is a silent failure;
this report makes it visible in the CLI (`lines`) and on the Data page (`mapping_table`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from analytics.ingest.records import Problem

FIELD_LABELS = {"title": "제목 (title)", "published": "일자 (published)", "source": "매체 (source)",
                "text": "본문 (text)", "url": "URL", "author": "저자 (author)", "source_id": "ID (source_id)"}


@dataclass(eq=False)
class FileReport:
    """One parsed input (a file, or a zip entry); `articles` counts every parsed article."""

    path: str
    format: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> column (tables only)
    how: dict[str, str] = field(default_factory=dict)  # field -> how the column was chosen
    meta_columns: list[str] = field(default_factory=list)  # kept in the article's meta JSON
    articles: int = 0
    no_source: int = 0
    no_date: int = 0
    source_from_url: int = 0
    unknown_hosts: Counter = field(default_factory=Counter)  # (host, reason) -> articles without source

    def as_dict(self) -> dict:
        return {"path": self.path, "format": self.format, "columns": self.columns, "how": self.how,
                "meta_columns": self.meta_columns, "articles": self.articles, "no_source": self.no_source,
                "no_date": self.no_date, "source_from_url": self.source_from_url,
                "unknown_hosts": [{"host": h, "reason": r, "articles": n}
                                  for (h, r), n in self.unknown_hosts.most_common()]}


@dataclass
class IngestReport:
    run_id: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    files_seen: int = 0
    files_unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    version: int | None = None
    files: list[FileReport] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "duplicates": self.duplicates, "removed": self.removed,
                "files": self.files_seen, "files_unchanged": self.files_unchanged,
                "problems": [{"path": p.path, "reason": p.reason} for p in self.problems],
                "version": self.version, "mapping": [f.as_dict() for f in self.files]}


def _field_text(f: dict, fld: str) -> str:
    if fld in f["columns"]:
        return f"{FIELD_LABELS.get(fld, fld)} ← {f['columns'][fld]}"
    if fld == "source" and f["source_from_url"]:
        return f"{FIELD_LABELS['source']} ← URL 호스트 (host, {f['source_from_url']})"
    return ""


def _tables_and_rest(report: dict) -> tuple[list[dict], dict | None]:
    """Files with a column mapping one by one; every other file (text pages) summed into one."""
    files = report.get("mapping", [])
    tables = [f for f in files if f["columns"]]
    rest = [f for f in files if not f["columns"]]
    if not rest:
        return tables, None
    hosts: Counter = Counter()
    for f in rest:
        for h in f["unknown_hosts"]:
            hosts[(h["host"], h["reason"])] += h["articles"]
    summary = {"path": f"{len(rest)} files" if len(rest) > 1 else rest[0]["path"],
               "format": "/".join(sorted({f["format"] for f in rest})), "columns": {}, "how": {},
               "meta_columns": [], "unknown_hosts": [{"host": h, "reason": r, "articles": n}
                                                     for (h, r), n in hosts.most_common()]}
    for k in ("articles", "no_source", "no_date", "source_from_url"):
        summary[k] = sum(f[k] for f in rest)
    return tables, summary


def lines(report: dict) -> list[str]:
    """The mapping part of the CLI output: a block per table file, one for all text files."""
    out: list[str] = []
    tables, rest = _tables_and_rest(report)
    for f in tables + ([rest] if rest else []):
        out.append(f"file {f['path']} ({f['format']}): {f['articles']} articles")
        if f["columns"]:
            parts = [t for fld in FIELD_LABELS if (t := _field_text(f, fld))]
            out.append("  columns: " + ", ".join(parts))
            unused = [FIELD_LABELS[fld] for fld in FIELD_LABELS
                      if fld not in f["columns"] and not (fld == "source" and f["source_from_url"])]
            if unused:
                out.append("  not found: " + ", ".join(unused))
        elif f["source_from_url"]:
            out.append(f"  {_field_text(f, 'source')}")
        if f["meta_columns"]:
            out.append("  kept as metadata (meta): " + ", ".join(f["meta_columns"]))
        out.append(f"  no source (매체 미상): {f['no_source']} · no date (일자 미상): {f['no_date']}")
        for h in f["unknown_hosts"][:10]:
            out.append(f"    {h['host']}: {h['articles']} — {h['reason']}")
    return out


def mapping_table(report: dict) -> list[dict]:
    """One row per table file (and one for all text files) for the Data page: columns mapped,
    metadata kept, what is missing."""
    rows = []
    tables, rest = _tables_and_rest(report)
    for f in tables + ([rest] if rest else []):
        cols = ", ".join(t for fld in FIELD_LABELS if (t := _field_text(f, fld)))
        hosts = ", ".join(f"{h['host']} {h['articles']}" for h in f["unknown_hosts"][:5])
        rows.append({"파일 (file)": f["path"].rsplit("/", 1)[-1], "형식 (format)": f["format"],
                     "기사 (articles)": f["articles"], "열 → 필드 (columns)": cols or "-",
                     "메타데이터로 보관 (meta)": ", ".join(f["meta_columns"]) or "-",
                     "매체 미상 (no source)": f["no_source"], "일자 미상 (no date)": f["no_date"],
                     "표에 없는 호스트 (unmapped hosts)": hosts or "-"})
    return rows
