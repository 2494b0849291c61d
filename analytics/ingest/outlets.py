"""The outlet of an article from its URL: host -> outlet through a maintained table (outlets.csv).

A plain news CSV often has no source column, only the article URL (pressian.com, hani.co.kr,
chosun.com…). `outlets.csv` maps a host to the outlet's name as BIG Kinds writes it (so derived
and stated sources agree), with its kind and its Naver News office id. A subdomain matches its
parent (news.khan.co.kr -> khan.co.kr) unless it is listed itself (biz.chosun.com is 조선비즈).

Portals: a Naver News URL names the outlet by office id (`/article/023/…`, `?oid=023`), so the
major outlets' ids are in the table. A Daum (v.daum.net) or Nate URL carries no outlet at all:
the outlet is only in the page, so such articles stay 미상 and `why_unknown` says why.
Edit the CSV to add an outlet (host,outlet,kind,naver_oid); no code change is needed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TABLE = Path(__file__).with_name("outlets.csv")
NAVER_HOSTS = ("news.naver.com", "entertain.naver.com", "sports.naver.com", "sports.news.naver.com")
# portals whose article URLs never name the outlet (it is only in the page)
OPAQUE_PORTALS = {"v.daum.net": "다음", "news.v.daum.net": "다음", "m.daum.net": "다음", "news.daum.net": "다음",
                  "news.nate.com": "네이트", "m.news.nate.com": "네이트", "news.zum.com": "줌",
                  "news.google.com": "구글 뉴스"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")  # a scheme, not host:port
_NAVER_PATH = re.compile(r"/article/(?:comment/)?(\d{3})/\d+")


@dataclass(frozen=True)
class Outlets:
    """The loaded table: host -> outlet name, Naver office id -> outlet name."""

    by_host: dict[str, str]
    by_naver_oid: dict[str, str]


def load(path: Path = TABLE) -> Outlets:
    """Read an outlet table (host,outlet,kind,naver_oid); hosts lower-case, without www."""
    by_host: dict[str, str] = {}
    by_oid: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            host, name = _host(row.get("host") or ""), (row.get("outlet") or "").strip()
            if not host or not name:
                continue
            by_host[host] = name
            if oid := (row.get("naver_oid") or "").strip():
                by_oid[oid.zfill(3)] = name
    return Outlets(by_host, by_oid)


@lru_cache(maxsize=1)
def default() -> Outlets:
    return load(TABLE)


def _host(value: str) -> str:
    h = value.strip().lower().rstrip(".")
    if "://" in h or "/" in h:
        h = urlsplit(h if "://" in h else "//" + h).hostname or ""
    return h[4:] if h.startswith("www.") else h


def host_of(url: str | None) -> str | None:
    """The URL's host, lower-case, without www. and port; None for a non-web URL."""
    if not url:
        return None
    u = url.strip()
    if "://" not in u:
        if _SCHEME.match(u):  # javascript:, data:, mailto: …
            return None
        u = "//" + u
    parts = urlsplit(u)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    host = _host(parts.hostname or "")
    return host or None


def _naver_oid(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if m := _NAVER_PATH.search(parts.path):
        return m.group(1)
    oid = parse_qs(parts.query).get("oid") or parse_qs(parts.query).get("officeId")
    return oid[0].zfill(3) if oid and oid[0].isdigit() else None


def _is_naver(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in NAVER_HOSTS)


def outlet_from_url(url: str | None, table: Outlets | None = None) -> str | None:
    """The outlet named by an article URL, or None when the table cannot tell."""
    host = host_of(url)
    if host is None:
        return None
    t = table or default()
    if _is_naver(host):
        oid = _naver_oid(url or "")
        return t.by_naver_oid.get(oid) if oid else None
    labels = host.split(".")
    for i in range(len(labels) - 1):  # the host, then each parent domain (never a bare TLD)
        if (name := t.by_host.get(".".join(labels[i:]))) is not None:
            return name
    return None


def why_unknown(url: str | None, table: Outlets | None = None) -> str:
    """Why `outlet_from_url` gave nothing: the reason a report shows next to the host."""
    host = host_of(url)
    if host is None:
        return "웹 URL 아님 (not an http/https URL)"
    if _is_naver(host):
        oid = _naver_oid(url or "")
        return (f"네이버 언론사 번호 {oid}가 표에 없음 (Naver office id not in the table)" if oid
                else "네이버 URL에 언론사 번호 없음 (Naver URL without office id)")
    if host in OPAQUE_PORTALS:
        return f"{OPAQUE_PORTALS[host]} URL에는 언론사가 없음: 페이지에만 있음 (portal URL names no outlet)"
    return "표에 없는 호스트 (host not in outlets.csv)"
