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

# field -> accepted column names, best first (compared case-insensitively; spaces, _ and - ignored)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "제목", "headline", "기사제목", "subject", "뉴스제목"),
    "published": ("date", "일자", "published", "publishedat", "pubdate", "날짜", "발행일", "작성일", "datetime",
                  "time", "기사일자", "발행일자", "작성일시", "등록일", "등록일시", "입력일", "입력일시", "게재일",
                  "createdat", "regdate", "timestamp"),
    "source": ("source", "언론사", "press", "publisher", "매체", "media", "outlet", "신문사", "언론사명", "매체명",
               "newspaper", "sitename", "site", "출처"),
    "text": ("body", "본문", "text", "content", "contents", "내용", "article", "기사본문", "기사내용", "본문내용",
             "description", "요약", "summary"),
    "url": ("url", "articleurl", "originallink", "기사url", "newsurl", "기사주소", "기사링크", "원문url",
            "원문링크", "원문주소", "link", "링크", "주소", "href", "permalink", "sourceurl", "weburl", "uri"),
    "author": ("author", "기고자", "기자", "writer", "byline", "작성자", "기자명", "reporter"),
    "source_id": ("id", "뉴스식별자", "articleid", "docid", "guid", "newsid", "기사id"),
}
URL_VALUE = re.compile(r"https?://[^\s/]+\.[^\s/]+", re.IGNORECASE)
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


def sniff_url_column(rows: list[Mapping[str, object]], columns: Iterable[str], mapping: dict[str, str]) -> str | None:
    """An unmapped column whose values are web URLs (8 in 10 of the first 50 filled cells)."""
    used = set(mapping.values())
    for col in columns:
        if col in used:
            continue
        vals = [str(v).strip() for r in rows[:200] if (v := _clean(r.get(col))) is not None][:50]
        if len(vals) >= 1 and sum(bool(URL_VALUE.match(v)) for v in vals) >= 0.8 * len(vals):
            return col
    return None


def complete_mapping(rows: list[Mapping[str, object]], columns: Iterable[str], mapping: dict[str, str],
                     info: dict | None, explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """Add a URL column found by its values; record in `info` which column became which field."""
    cols = [str(c) for c in columns]
    how = {f: "지정 (--map)" if f in (explicit or {}) else "열 이름 (name)" for f in mapping}
    if "url" not in mapping and (col := sniff_url_column(rows, cols, mapping)) is not None:
        mapping = {**mapping, "url": col}
        how["url"] = "값이 URL (values)"
    if info is not None:
        used = set(mapping.values())
        info.update(columns=dict(mapping), how=how, meta_columns=[c for c in cols if c not in used])
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


def parse_csv(data: bytes, name: str, explicit: Mapping[str, str] | None = None,
              info: dict | None = None) -> tuple[list[RawArticle], list[str]]:
    """Articles and per-row problems ("row N: reason") of a CSV file; `info` gets the column mapping."""
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
    good: list[dict] = []
    problems: list[str] = []
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
        good.append(row)
    mapping = complete_mapping(good, reader.fieldnames, mapping, info, explicit)
    arts = [a for row in good if (a := row_to_article(row, mapping)) is not None]
    return arts, problems


def _json_error(exc: Exception) -> str:
    """A short reason: the decoder's message, or why Python refused the value (nesting, digits)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:120]


def parse_jsonl(data: bytes, name: str, explicit: Mapping[str, str] | None = None,
                info: dict | None = None) -> tuple[list[RawArticle], list[str]]:
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
    mapping = complete_mapping([r for _, r in rows], columns, map_columns(columns, explicit), info, explicit)
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


def parse_xlsx(data: bytes, name: str, explicit: Mapping[str, str] | None = None,
               info: dict | None = None) -> tuple[list[RawArticle], list[str]]:
    df = read_xlsx(data)
    records = df.to_dict("records")
    mapping = complete_mapping(records, df.columns, map_columns(df.columns, explicit), info, explicit)
    arts = [a for r in records if (a := row_to_article(r, mapping)) is not None]
    return arts, []
