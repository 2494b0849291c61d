"""The normalized record every format parser produces, and the per-file problem entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class RawArticle:
    """One article as parsed, before identity and clustering. Unknown values stay None."""

    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: date | None = None
    date_precision: str = "unknown"  # day / month / year / unknown
    url: str | None = None
    source_id: str | None = None  # an id the source gives (BIG Kinds 뉴스 식별자)
    is_excerpt: bool = False
    synthetic: bool = False
    meta: dict = field(default_factory=dict)  # provided metadata kept as-is (e.g. BIG Kinds columns)
    provenance: dict = field(default_factory=dict)  # field -> "stated" | "estimated" | "manifest" | "url" (source from the URL host)


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str


class ParseError(ValueError):
    """A whole file cannot be read; becomes a Problem with this message."""
