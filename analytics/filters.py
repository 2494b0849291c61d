"""One typed Filters value used by every query, and its translation to SQL over `articles a`."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
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


def _in_or_unknown(column: str, values: tuple, cast: type, params: list) -> str:
    """`column IN (...)` for the named values, `OR column IS NULL` when 미상 is selected."""
    named = [cast(v) for v in values if v != UNKNOWN]
    ors = []
    if named:
        ors.append(f"{column} IN ({', '.join('?' * len(named))})")
        params += named
    if UNKNOWN in values:
        ors.append(f"{column} IS NULL")
    return "(" + " OR ".join(ors) + ")"


def article_where(f: Filters, alias: str = "a") -> Sql:
    """SQL over the articles table for source, date, year, language filters (not the keyword query)."""
    clauses, params = [], []
    if f.sources:
        clauses.append(_in_or_unknown(f"{alias}.source", f.sources, str, params))
    if f.years:
        clauses.append(_in_or_unknown(f"{alias}.year", f.years, int, params))
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


def month_aligned(date_from: date | None, date_to: date | None) -> bool:
    """True when a date range covers whole calendar months (open ends count as aligned)."""
    return ((date_from is None or date_from.day == 1) and
            (date_to is None or date_to.day == calendar.monthrange(date_to.year, date_to.month)[1]))


def aggregate_where(f: Filters, alias: str = "a") -> Sql | None:
    """The same filters over the per-month aggregate cells (columns published = first day of the
    month, source, year, language, rep = story representative), or None when the filters cannot be
    answered from whole months (a keyword query, or a date range that cuts a month)."""
    if f.query.strip() or not month_aligned(f.date_from, f.date_to):
        return None
    w = article_where(replace(f, unique_stories=False), alias)
    if f.unique_stories:
        w.where = f"{w.where} AND {alias}.rep"
    return w


_OPS = {"AND", "OR"}


def _tokens(query: str) -> list[str]:
    """Split a keyword query into '(', ')', 'AND', 'OR' and terms (a term may contain spaces)."""
    out: list[str] = []
    buf: list[str] = []
    i, n = 0, len(query)

    def flush() -> None:
        words = "".join(buf).split()
        buf.clear()
        term: list[str] = []
        for w in words:
            if w.upper() in _OPS and w.isupper():
                if term:
                    out.append(" ".join(term))
                    term = []
                out.append(w.upper())
            else:
                term.append(w)
        if term:
            out.append(" ".join(term))

    while i < n:
        ch = query[i]
        if ch in "()":
            flush()
            out.append(ch)
        elif ch == '"':
            flush()
            j = query.find('"', i + 1)
            if j < 0:
                raise ValueError("따옴표가 닫히지 않았습니다 (unclosed quote)")
            if query[i + 1:j].strip():
                out.append("\x00" + query[i + 1:j].strip())  # quoted: never an operator
            i = j
        else:
            buf.append(ch if ch not in "&|" else {"&": " AND ", "|": " OR "}[ch])
        i += 1
    flush()
    return out


def parse_query(query: str) -> list[list[str]]:
    """A keyword query -> OR of AND groups (disjunctive normal form), terms as written.

    `AND` binds tighter than `OR`; parentheses group; `&` and `|` are accepted for AND and OR;
    a term may hold spaces ("4차 산업혁명") or be quoted to use AND/OR literally. Empty -> [].
    Operators must be upper case so that English text such as "research and development" stays a term.
    """
    toks = _tokens(query or "")
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def expr() -> list[list[str]]:
        groups = conj()
        while peek() == "OR":
            take()
            groups = groups + conj()
        return groups

    def conj() -> list[list[str]]:
        groups = atom()
        while peek() == "AND":
            take()
            right = atom()
            groups = [g + h for g in groups for h in right]
        return groups

    def atom() -> list[list[str]]:
        tok = peek()
        if tok is None or tok in _OPS or tok == ")":
            raise ValueError(f"검색어 형식 오류 (query syntax): {query!r}")
        take()
        if tok == "(":
            inner = expr()
            if peek() != ")":
                raise ValueError(f"괄호가 닫히지 않았습니다 (unbalanced parenthesis): {query!r}")
            take()
            return inner
        return [[tok.lstrip("\x00")]]

    if not toks:
        return []
    result = expr()
    if pos != len(toks):
        raise ValueError(f"검색어 형식 오류 (query syntax): {query!r}")
    dedup: list[list[str]] = []
    for g in result:
        g = list(dict.fromkeys(g))
        if g not in dedup:
            dedup.append(g)
    return dedup
