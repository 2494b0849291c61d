"""Saved views: a name for a page and its URL query string (filters and widget state).

A view *is* its URL: the dashboard binds every filter and page widget to query parameters, so
`/{page}?{query}` reproduces it and can be shared. Views are kept per store in
`saved-views.json` in the store directory, rewritten atomically under a lock; the file is
validated on read (bad entries are reported and skipped, never shown).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

VIEWS_FILE = "saved-views.json"
MAX_VIEWS = 200
MAX_NAME = 60
MAX_PARAMS = 60
MAX_VALUE = 2000
_PAGE = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")
_PARAM = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,40}$")
_NAME_PUNCT = set(" -_.()·,&+#")


class ViewError(ValueError):
    pass


@dataclass(frozen=True)
class SavedView:
    name: str
    page: str
    query: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (parameter, values) in order
    created_at: str = field(default="")

    def params(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.query}

    def url(self) -> str:
        """The view's shareable relative URL: `/{page}?{query}`."""
        qs = urlencode([(k, v) for k, vals in self.query for v in vals])
        return f"/{self.page}" + (f"?{qs}" if qs else "")

    def as_dict(self) -> dict:
        return {"name": self.name, "page": self.page, "query": self.params(), "created_at": self.created_at}


def check_name(name: object) -> str:
    """A valid view name (NFC, trimmed) or ViewError saying why not: 1-60 letters (any script),
    digits, spaces and - _ . ( ) · , & + #; no control characters, no leading dot."""
    if not isinstance(name, str):
        raise ViewError("이름은 문자열이어야 합니다 (name must be text)")
    s = unicodedata.normalize("NFC", name).strip()
    if not s:
        raise ViewError("이름이 비어 있습니다 (name is empty)")
    if len(s) > MAX_NAME:
        raise ViewError(f"이름이 너무 깁니다 (name longer than {MAX_NAME} characters)")
    bad = [ch for ch in s if not (ch.isalnum() or ch in _NAME_PUNCT)]
    if bad:
        raise ViewError(f"이름에 쓸 수 없는 문자 (characters not allowed in a name): {''.join(sorted(set(bad)))!r}")
    if s.startswith("."):
        raise ViewError("이름은 점으로 시작할 수 없습니다 (name cannot start with a dot)")
    return s


def make_view(name: str, page: str, query: Mapping[str, object], created_at: str = "") -> SavedView:
    """A validated SavedView; ViewError on a bad name, page or query parameter."""
    name = check_name(name)
    if not isinstance(page, str) or not _PAGE.match(page):
        raise ViewError(f"페이지 이름 오류 (invalid page {page!r})")
    if not isinstance(query, Mapping) or len(query) > MAX_PARAMS:
        raise ViewError("조회 조건 형식 오류 (query must be a mapping of at most 60 parameters)")
    items = []
    for k, v in query.items():
        if not isinstance(k, str) or not _PARAM.match(k):
            raise ViewError(f"매개변수 이름 오류 (invalid parameter {k!r})")
        vals = [v] if isinstance(v, str) else list(v) if isinstance(v, list | tuple) else None
        if vals is None or not all(isinstance(x, str) and len(x) <= MAX_VALUE for x in vals):
            raise ViewError(f"매개변수 값 오류 (parameter {k!r} must hold text values)")
        if any(unicodedata.category(ch) == "Cc" for x in vals for ch in x):
            raise ViewError(f"매개변수 값에 제어 문자 (control character in parameter {k!r})")
        items.append((k, tuple(vals)))
    return SavedView(name, page, tuple(items), created_at or datetime.now(UTC).isoformat(timespec="seconds"))


def _path(store_dir: Path | str) -> Path:
    return Path(store_dir) / VIEWS_FILE


def load_views(store_dir: Path | str) -> tuple[list[SavedView], list[str]]:
    """(valid views sorted by name, problems). A missing file is no views; an unreadable file is
    one problem (the file is left as it is for the user to inspect)."""
    p = _path(store_dir)
    if not p.exists():
        return [], []
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [f"저장된 보기 파일을 읽을 수 없음 ({p.name}: {exc})"]
    entries = raw.get("views") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return [], [f"저장된 보기 파일 형식 오류 ({p.name}: expected {{'views': [...]}})"]
    views, problems, names = [], [], set()
    for i, e in enumerate(entries[:MAX_VIEWS]):
        try:
            if not isinstance(e, dict):
                raise ViewError("not an object")
            v = make_view(e.get("name"), e.get("page"), e.get("query") or {}, str(e.get("created_at") or ""))
        except ViewError as exc:
            problems.append(f"보기 #{i + 1} 건너뜀 (view #{i + 1} skipped: {exc})")
            continue
        if v.name in names:
            problems.append(f"중복된 이름 건너뜀 (duplicate name skipped: {v.name})")
            continue
        names.add(v.name)
        views.append(v)
    return sorted(views, key=lambda v: v.name), problems


@contextmanager
def _locked(store_dir: Path | str) -> Iterator[None]:
    root = Path(store_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".views.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _set_aside_if_damaged(store_dir: Path | str, problems: list[str]) -> None:
    """An unreadable views file is renamed (kept for the user), not overwritten."""
    p = _path(store_dir)
    if p.exists() and problems and problems[0].startswith("저장된 보기 파일"):
        os.replace(p, p.with_name(f"{VIEWS_FILE}.damaged-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"))


def _write(store_dir: Path | str, views: list[SavedView]) -> None:
    p = _path(store_dir)
    tmp = p.with_name(f".{VIEWS_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"views": [v.as_dict() for v in views]}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    os.replace(tmp, p)


def save_view(store_dir: Path | str, name: str, page: str, query: Mapping[str, object]) -> SavedView:
    """Save (or replace, by name) a view; returns it. ViewError on bad input or too many views."""
    view = make_view(name, page, query)
    with _locked(store_dir):
        views, problems = load_views(store_dir)
        _set_aside_if_damaged(store_dir, problems)
        views = [v for v in views if v.name != view.name]
        if len(views) >= MAX_VIEWS:
            raise ViewError(f"저장된 보기는 {MAX_VIEWS}개까지입니다 (at most {MAX_VIEWS} views)")
        _write(store_dir, sorted([*views, view], key=lambda v: v.name))
    return view


def delete_view(store_dir: Path | str, name: str) -> bool:
    """Delete a view by name; True when it existed."""
    name = check_name(name)
    with _locked(store_dir):
        views, _ = load_views(store_dir)
        kept = [v for v in views if v.name != name]
        if len(kept) == len(views):
            return False
        _write(store_dir, kept)
    return True


def views_main(args) -> int:
    """`python -m analytics views --store S [--base URL] [--json]`: the saved views, for scripts."""
    import sys

    saved, problems = load_views(args.store)
    for p in problems:
        print(p, file=sys.stderr)
    base = str(args.base or "").rstrip("/")
    rows = [{**v.as_dict(), "url": base + v.url()} for v in saved]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("저장된 보기가 없습니다 (no saved views)")
    for r in rows:
        print(f"{r['name']}\t{r['page']}\t{r['url']}")
    return 0
