"""One typed Filters value used by every query, and its translation to SQL over `articles a`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from analytics.config import UNKNOWN


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples mean "all"; UNKNOWN (미상) selects unknown values.

    Hashable and small, so dashboard caches can key on it.
    """

    sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    years: tuple[int | str, ...] = ()  # ints, or UNKNOWN for articles with no date
    query: str = ""  # keyword query: terms with AND / OR (see analytics.queries.parse_query)
    unique_stories: bool = False
    languages: tuple[str, ...] = ()
    include_undated: bool = True  # with a date range: keep articles whose date is unknown

    def describe(self) -> str:
        """A one-line human description (captions of exported charts and tables)."""
        parts = [f"매체: {', '.join(self.sources) if self.sources else '전체'}"]
        if self.years:
            parts.append("연도: " + ", ".join(str(y) for y in self.years))
        if self.date_from or self.date_to:
            parts.append(f"기간: {self.date_from or '…'} ~ {self.date_to or '…'}")
        if self.query:
            parts.append(f"검색어: {self.query}")
        if self.unique_stories:
            parts.append("고유 기사만")
        if self.languages:
            parts.append("언어: " + ", ".join(self.languages))
        return " | ".join(parts)


@dataclass
class Sql:
    """A WHERE clause with its positional parameters."""

    where: str = "TRUE"
    params: list = field(default_factory=list)


def article_where(f: Filters, alias: str = "a") -> Sql:
    """SQL over the articles table for source, date, year, language filters (not the keyword query)."""
    clauses, params = [], []
    if f.sources:
        named = [s for s in f.sources if s != UNKNOWN]
        ors = []
        if named:
            ors.append(f"{alias}.source IN ({', '.join('?' * len(named))})")
            params += named
        if UNKNOWN in f.sources:
            ors.append(f"{alias}.source IS NULL")
        clauses.append("(" + " OR ".join(ors) + ")")
    if f.years:
        named_y = [int(y) for y in f.years if y != UNKNOWN]
        ors = []
        if named_y:
            ors.append(f"{alias}.year IN ({', '.join('?' * len(named_y))})")
            params += named_y
        if UNKNOWN in f.years:
            ors.append(f"{alias}.year IS NULL")
        clauses.append("(" + " OR ".join(ors) + ")")
    if f.date_from or f.date_to:
        rng = []
        if f.date_from:
            rng.append(f"{alias}.published >= ?")
            params.append(f.date_from)
        if f.date_to:
            rng.append(f"{alias}.published <= ?")
            params.append(f.date_to)
        cond = " AND ".join(rng)
        clauses.append(f"(({cond}) OR {alias}.published IS NULL)" if f.include_undated else f"({cond})")
    if f.languages:
        clauses.append(f"{alias}.language IN ({', '.join('?' * len(f.languages))})")
        params += list(f.languages)
    if f.unique_stories:
        clauses.append(f"{alias}.id = {alias}.cluster_id")
    return Sql(" AND ".join(clauses) or "TRUE", params)
