"""Plain-text articles scraped from the web: metadata from the page furniture, boilerplate out.

Recognised (as the sample corpus shows): header bullets (`기사일자 2018.1.29`, `신문사 …`,
`작성자…`, `조회수629`), press datelines (`[포쓰저널=김유준 기자]`), copyright lines
(`저작권자 © 포쓰저널 무단전재 및 재배포 금지`), brunch bylines (`by On the Road Apr 14. 2017`)
and end marks (`-- 끝 --`, `<끝>`, `목록`).
"""

from __future__ import annotations

import re

from analytics.ingest.dates import parse_date
from analytics.ingest.encoding import decode, normalize
from analytics.ingest.records import ParseError, RawArticle

_BULLET = r"^[•·\-\*▶■□◆◇○●]?\s*"
_HEADER_KEYS = {
    "기사일자": "published", "신문사": "source", "언론사": "source", "매체": "source",
    "작성자": "author", "기자": "author", "글쓴이": "author", "날짜": "posted", "등록일": "posted",
    "입력": "posted", "카테고리": "category", "게재면": "page", "조회수": "views", "조회": "views",
}
_HEADER = re.compile(_BULLET + r"(" + "|".join(sorted(_HEADER_KEYS, key=len, reverse=True)) + r")\s*[:：]?\s*(.*)$")
_DATELINE = re.compile(r"^\[([^=\]\[]{1,30})=\s*([^\]]{1,40}?)\s*(?:기자|특파원|객원기자|통신원)?\]")
_COPYRIGHT = re.compile(r"(?:저작권자|Copyright|ⓒ|©)\s*(?:ⓒ|©|\(c\))?\s*([^\s,.]{2,20})?.*?(?:무단\s*전재|재배포|All rights reserved)", re.I)
_BRUNCH_BY = re.compile(r"^by\s+(.+?)\s+([A-Z][a-z]{2}\s+\d{1,2}\.?\s+(?:19|20)\d{2})\s*$")
_END_MARKS = re.compile(r"^(?:-{1,3}\s*끝\s*-{1,3}|<\s*끝\s*>|\(\s*끝\s*\)|\[\s*끝\s*\]|목록|끝)$")
_BOILER = re.compile(
    r"^(?:브런치는 최신 브라우저에 최적화 되어있습니다.*|매거진의 (?:이전|다음)글.*|"
    r"You can make anything|by writing|C\.S\.Lewis|brunch|구독하기|좋아요\s*\d*|댓글\s*\d*|공유하기|"
    r"기사제보.*|무단\s*전재.*금지.*|\(?계속\)?)$",
    re.I,
)
_TRAILING_MARK = re.compile(r"\s*(?:\(계속\)|<끝>|\(끝\))$")
_PLATFORMS = {"brunch": "브런치"}


MAX_LINE_BYTES = 1 << 20  # no paragraph of a real article is 1 MB; refuse before decoding it


def parse_text_file(data: bytes, name: str) -> list[RawArticle]:
    """One article per text file (metadata extracted, boilerplate stripped)."""
    if len(data) > MAX_LINE_BYTES and _longest_line(data) > MAX_LINE_BYTES:
        raise ParseError(f"줄이 너무 김 (a line longer than {MAX_LINE_BYTES >> 20} MB: not article text)")
    return [parse_text(decode(data), name)]


def _longest_line(data: bytes) -> int:
    """Length in bytes of the longest line, without copying the data."""
    longest, start = 0, 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        longest = max(longest, end - start)
        start = end + 1
    return longest


def parse_text(raw: str, name: str = "") -> RawArticle:
    text = normalize(raw)
    if not text:
        raise ParseError("빈 파일 (empty file)")
    lines = text.split("\n")
    art = RawArticle(text="")
    keep: list[str] = []
    header_at: int | None = None
    posted: str | None = None
    first_line = next((ln for ln in lines if ln), "")
    if first_line.lower() in _PLATFORMS:
        art.source = _PLATFORMS[first_line.lower()]
        art.provenance["source"] = "stated"
    byline_at: int | None = None
    for ln in lines:
        m = _HEADER.match(ln)
        if m and len(ln) < 80:
            field, value = _HEADER_KEYS[m[1]], m[2].strip()
            header_at = len(keep) if header_at is None else header_at
            if field == "published":
                art.published, art.date_precision = parse_date(value)
                art.provenance["published"] = "stated"
            elif field == "posted":
                posted = value
            elif field in ("source", "author") and value:
                setattr(art, field, value)
                art.provenance[field] = "stated"
            elif value:
                art.meta[field] = value
            continue
        if (m := _BRUNCH_BY.match(ln)) is not None:
            art.author = art.author or m[1].strip()
            art.provenance.setdefault("author", "stated")
            if art.published is None:
                art.published, art.date_precision = parse_date(m[2])
                art.provenance["published"] = "stated"
            byline_at = len(keep)
            continue
        if (m := _DATELINE.match(ln)) is not None:
            art.source = art.source or m[1].strip()
            art.author = art.author or m[2].strip()
            art.provenance.setdefault("source", "stated")
            art.provenance.setdefault("author", "stated")
            ln = ln[m.end():].strip()
            if not ln:
                continue
        if (m := _COPYRIGHT.search(ln)) is not None and len(ln) < 120:
            if m[1] and not art.source:
                art.source = m[1].strip()
                art.provenance["source"] = "stated"
            continue
        if _END_MARKS.match(ln) or (_BOILER.match(ln) and len(ln) < 120):  # long lines hold article text
            continue
        keep.append(ln)
    if art.published is None and posted:
        art.published, art.date_precision = parse_date(posted)
        if art.published:
            art.provenance["published"] = "estimated"  # posting date of the page, not of the article
    title, body = _split_title(keep, header_at, byline_at)
    if title:
        art.title = title
        art.provenance["title"] = "stated"
    art.text = _TRAILING_MARK.sub("", "\n".join(body).strip()).strip()
    if not art.text:
        raise ParseError("본문 없음 (no article text after removing headers)")
    return art


def _split_title(lines: list[str], header_at: int | None, byline_at: int | None) -> tuple[str | None, list[str]]:
    """The headline: the line before a header block, the first after a byline, else a short first line."""
    if header_at is not None and header_at > 0:
        idx = header_at - 1
    elif byline_at is not None and byline_at < len(lines):
        idx = next((i for i in range(byline_at, len(lines)) if lines[i]), None)
    else:
        idx = next((i for i, ln in enumerate(lines) if ln), None)
    if idx is None:
        return None, lines
    cand = lines[idx]
    if len(cand) > 100 or cand.endswith(("다.", "다", ".")) and len(cand) > 60:
        return None, lines
    body = lines[:idx] + lines[idx + 1:] if header_at is None else lines[idx + 1:]
    return cand, body
