"""CSV, JSONL and XLSX article tables with automatic column mapping (or an explicit one)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping

from analytics.ingest.dates import parse_date
from analytics.ingest.encoding import decode, normalize
from analytics.ingest.records import ParseError, RawArticle

# field -> accepted column names (compared case-insensitively, spaces and _ ignored)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "제목", "headline", "기사제목", "subject"),
    "published": ("date", "일자", "published", "publishedat", "pubdate", "날짜", "발행일", "작성일", "datetime", "time"),
    "source": ("source", "언론사", "press", "publisher", "매체", "media", "outlet", "신문사"),
    "text": ("body", "본문", "text", "content", "contents", "내용", "article", "기사본문"),
    "url": ("url", "link", "주소", "기사url", "originallink"),
    "author": ("author", "기고자", "기자", "writer", "byline", "작성자"),
    "source_id": ("id", "뉴스식별자", "articleid", "docid", "guid"),
}
FIELDS = tuple(COLUMN_NAMES)


def _key(name: str) -> str:
    return "".join(str(name).lower().split()).replace("_", "").replace("-", "")


def map_columns(columns: Iterable[str], explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """field -> column. Explicit entries win; a missing body column is an error with the columns seen."""
    cols = [str(c) for c in columns]
    mapping: dict[str, str] = {}
    for field, col in (explicit or {}).items():
        if field not in FIELDS:
            raise ParseError(f"알 수 없는 필드 '{field}' (fields: {', '.join(FIELDS)})")
        if col not in cols:
            raise ParseError(f"열 '{col}' 없음 (column not found; columns: {', '.join(cols)})")
        mapping[field] = col
    by_key = {_key(c): c for c in cols}
    for field, names in COLUMN_NAMES.items():
        if field in mapping:
            continue
        for name in names:
            if _key(name) in by_key:
                mapping[field] = by_key[_key(name)]
                break
    if "text" not in mapping:
        raise ParseError(f"본문 열 없음 (no body column; expected one of body/본문/text/content; columns: {', '.join(cols)})")
    return mapping


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    s = str(value).strip()
    return s or None


_LEAD = re.compile(r"[\t\r]+")


def _label(value: object) -> str | None:
    """A title/source/author as given, normalised, but with a leading tab or CR kept: stripping it
    would turn "\t=1+1" into the formula "=1+1" (exports neutralise both; the store keeps the text)."""
    v = _clean(value)
    if v is None:
        return None
    lead = _LEAD.match(str(value).lstrip(" "))
    return (lead.group(0) if lead else "") + normalize(v)


def row_to_article(row: Mapping[str, object], mapping: Mapping[str, str]) -> RawArticle | None:
    """One table row -> article; rows without text are skipped (None)."""
    text = _clean(row.get(mapping["text"]))
    if not text:
        return None
    art = RawArticle(text=normalize(text))
    for field in ("title", "source", "author", "url", "source_id"):
        if field not in mapping:
            continue
        raw = row.get(mapping[field])
        v = _label(raw) if field in ("title", "source", "author") else _clean(raw)
        if v:
            setattr(art, field, normalize(v) if field == "url" else v)
            art.provenance[field] = "stated"
    if "published" in mapping:
        art.published, art.date_precision = parse_date(row.get(mapping["published"]))
        if art.published:
            art.provenance["published"] = "stated"
    used = set(mapping.values())
    extra = {k: v for k, v in row.items() if k not in used and _clean(v) is not None}
    if extra:
        art.meta = {str(k): (v if isinstance(v, (int, float, bool)) else str(v)) for k, v in extra.items()}
    return art


def parse_csv(data: bytes, name: str, explicit: Mapping[str, str] | None = None) -> tuple[list[RawArticle], list[str]]:
    """Articles and per-row problems ("row N: reason") of a CSV file."""
    text = decode(data)
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if not reader.fieldnames:
        raise ParseError("CSV 머리글 없음 (no header row)")
    mapping = map_columns(reader.fieldnames, explicit)
    arts, problems = [], []
    n_cols = len(reader.fieldnames)
    rows = iter(enumerate(reader, start=2))
    while True:
        try:
            i, row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest past the field limit
            line = reader.line_num
            problems.append(f"줄 {line}: CSV 오류, 이후 행 읽지 않음 (line {line}: {exc}; rest of file skipped)")
            break
        if None in row or len(row) != n_cols or any(v is None for v in row.values()):
            problems.append(f"행 {i}: 열 개수가 머리글과 다름 (row {i}: wrong number of fields)")
            continue
        if (art := row_to_article(row, mapping)) is not None:
            arts.append(art)
    return arts, problems


def _json_error(exc: Exception) -> str:
    """A short reason: the decoder's message, or why Python refused the value (nesting, digits)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:120]


def parse_jsonl(data: bytes, name: str, explicit: Mapping[str, str] | None = None) -> tuple[list[RawArticle], list[str]]:
    """JSON Lines (or a JSON array of objects); a broken line is a problem, the rest goes on."""
    text = decode(data)
    rows: list[tuple[int, dict]] = []
    problems: list[str] = []
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            loaded = json.loads(stripped)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON 오류 (invalid JSON: {_json_error(exc)})") from exc
        rows = [(i + 1, r) for i, r in enumerate(loaded) if isinstance(r, dict)]
    else:
        for i, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:
                problems.append(f"줄 {i}: JSON 오류 (line {i}: {_json_error(exc)})")
                continue
            if isinstance(obj, dict):
                rows.append((i, obj))
            else:
                problems.append(f"줄 {i}: 객체가 아님 (line {i}: not a JSON object)")
    if not rows:
        raise ParseError("기사 행 없음 (no JSON objects)" + (f"; {problems[0]}" if problems else ""))
    columns: dict[str, None] = {}
    for _, r in rows:
        columns.update(dict.fromkeys(r))
    mapping = map_columns(columns, explicit)
    arts = [a for _, r in rows if (a := row_to_article(r, mapping)) is not None]
    return arts, problems


def read_xlsx(data: bytes):
    """First sheet of a workbook as a DataFrame of strings (ids must not become floats)."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for broken files
            raise ParseError(f"XLSX를 읽을 수 없음 (unreadable workbook: {type(exc).__name__})") from exc


def parse_xlsx(data: bytes, name: str, explicit: Mapping[str, str] | None = None) -> tuple[list[RawArticle], list[str]]:
    df = read_xlsx(data)
    mapping = map_columns(df.columns, explicit)
    arts = [a for r in df.to_dict("records") if (a := row_to_article(r, mapping)) is not None]
    return arts, []
