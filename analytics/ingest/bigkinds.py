"""BIG Kinds news-search exports (xlsx), natively: all 19 columns kept.

BIG Kinds cuts 본문 at 200 characters, so such articles are marked as excerpts; its own
analysis (통합 분류, 인물, 위치, 기관, 키워드, 특성추출) and flags (분석제외 여부: 중복/예외)
are kept as provided metadata, a peer's output to compare against.
"""

from __future__ import annotations

from collections.abc import Iterable

from analytics.ingest.dates import parse_date
from analytics.ingest.encoding import normalize
from analytics.ingest.records import ParseError, RawArticle
from analytics.ingest.tabular import _clean, read_xlsx

REQUIRED = ("뉴스 식별자", "일자", "언론사", "제목", "본문")
PROVIDED = ("통합 분류1", "통합 분류2", "통합 분류3", "사건/사고 분류1", "사건/사고 분류2", "사건/사고 분류3",
            "인물", "위치", "기관", "키워드", "특성추출(가중치순 상위 50개)", "분석제외 여부")
EXCERPT_CHARS = 200


def is_bigkinds(columns: Iterable[str]) -> bool:
    cols = {str(c).strip() for c in columns}
    return all(c in cols for c in REQUIRED)


def _author(value: str | None) -> str | None:
    """'노도현 기자  hyunee@kyunghyang.com' -> '노도현 기자 hyunee@kyunghyang.com' (kept as given)."""
    return " ".join(value.split()) if value else None


COLUMNS = {"source_id": "뉴스 식별자", "published": "일자", "source": "언론사", "author": "기고자", "title": "제목",
           "text": "본문", "url": "URL"}


def parse_bigkinds(data: bytes, name: str, info: dict | None = None) -> tuple[list[RawArticle], list[str]]:
    df = read_xlsx(data)
    df.columns = [str(c).strip() for c in df.columns]
    if not is_bigkinds(df.columns):
        missing = [c for c in REQUIRED if c not in df.columns]
        raise ParseError(f"BIG Kinds 형식 아님 (missing columns: {', '.join(missing)})")
    if info is not None:
        cols = {f: c for f, c in COLUMNS.items() if c in df.columns}
        info.update(columns=cols, how=dict.fromkeys(cols, "BIG Kinds 형식 (format)"),
                    meta_columns=[c for c in df.columns if c not in cols.values()])
    arts: list[RawArticle] = []
    problems: list[str] = []
    for i, row in enumerate(df.to_dict("records"), start=2):
        body = _clean(row.get("본문"))
        title = _clean(row.get("제목"))
        if not body and not title:
            problems.append(f"행 {i}: 본문과 제목 없음 (row {i}: no body and no title)")
            continue
        published, precision = parse_date(_clean(row.get("일자")))
        art = RawArticle(
            text=normalize(body or ""), title=normalize(title) if title else None,
            source=_clean(row.get("언론사")), author=_author(_clean(row.get("기고자"))),
            published=published, date_precision=precision, url=_clean(row.get("URL")),
            source_id=_clean(row.get("뉴스 식별자")),
        )
        art.is_excerpt = bool(body) and (len(body) >= EXCERPT_CHARS - 5 or body.endswith(".."))
        art.meta = {k: str(v) for k, v in row.items() if _clean(v) is not None}
        art.meta["format"] = "bigkinds"
        art.provenance = {f: "stated" for f in ("title", "source", "author", "published", "url")
                          if getattr(art, f) is not None}
        if not art.text:
            art.text = art.title or ""
            art.is_excerpt = True
        arts.append(art)
    return arts, problems
