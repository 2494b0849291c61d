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


# Limits on a keyword query: it arrives in a shared link, so its cost must be bounded before any work.
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64  # term occurrences; each is one indexed lookup of its article set
MAX_QUERY_DEPTH = 10  # nested parentheses
MAX_DNF_GROUPS = 256  # parse_query only: the expanded form, for display and tests

# A parsed query: ("term", "반도체") or ("and" | "or", (child, child, ...)); n-ary, no empty nodes.
Node = tuple


class QueryTooLarge(ValueError):
    """A keyword query over one of the limits; the message says which, in Korean and English."""


def parse_tree(query: str) -> Node | None:
    """A keyword query -> its boolean tree (None when empty), in time and size linear in the query.

    `AND` binds tighter than `OR`; parentheses group; `&` and `|` are accepted for AND and OR;
    a term may hold spaces ("4차 산업혁명") or be quoted to use AND/OR literally. Operators must be
    upper case so that English text such as "research and development" stays a term. Raises
    ValueError on a syntax error and QueryTooLarge past MAX_QUERY_CHARS / _TERMS / _DEPTH.
    Evaluating the tree over per-term article sets (queries.sql) never expands it, so
    `(a0 OR b0) AND … AND (a19 OR b19)` costs 40 lookups, not 2^20 groups."""
    query = query or ""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"검색어가 너무 깁니다: {len(query):,}자 (최대 {MAX_QUERY_CHARS:,}자). 검색어를 나누어 찾아 보세요. "
                            f"(query longer than {MAX_QUERY_CHARS} characters)")
    toks = _tokens(query)
    n_terms = sum(1 for t in toks if t not in _OPS and t not in "()")
    if n_terms > MAX_QUERY_TERMS:
        raise QueryTooLarge(f"검색어에 단어가 너무 많습니다: {n_terms}개 (최대 {MAX_QUERY_TERMS}개). "
                            f"(query has more than {MAX_QUERY_TERMS} terms)")
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def node(op: str, kids: list[Node]) -> Node:
        flat: list[Node] = []
        for k in kids:  # (a AND (b AND c)) -> and(a, b, c); repeated children once
            for x in (k[1] if k[0] == op else (k,)):
                if x not in flat:
                    flat.append(x)
        return flat[0] if len(flat) == 1 else (op, tuple(flat))

    def expr(depth: int) -> Node:
        kids = [conj(depth)]
        while peek() == "OR":
            take()
            kids.append(conj(depth))
        return node("or", kids)

    def conj(depth: int) -> Node:
        kids = [atom(depth)]
        while peek() == "AND":
            take()
            kids.append(atom(depth))
        return node("and", kids)

    def atom(depth: int) -> Node:
        tok = peek()
        if tok is None or tok in _OPS or tok == ")":
            raise ValueError(f"검색어 형식 오류 (query syntax): {query!r}")
        take()
        if tok == "(":
            if depth >= MAX_QUERY_DEPTH:
                raise QueryTooLarge(f"괄호가 너무 깊게 겹쳐 있습니다 (최대 {MAX_QUERY_DEPTH}단계). "
                                    f"(parentheses nested deeper than {MAX_QUERY_DEPTH})")
            inner = expr(depth + 1)
            if peek() != ")":
                raise ValueError(f"괄호가 닫히지 않았습니다 (unbalanced parenthesis): {query!r}")
            take()
            return inner
        return ("term", tok.lstrip("\x00"))

    if not toks:
        return None
    result = expr(0)
    if pos != len(toks):
        raise ValueError(f"검색어 형식 오류 (query syntax): {query!r}")
    return result


def query_terms(tree: Node | None) -> list[str]:
    """The distinct terms of a parsed query, in reading order."""
    if tree is None:
        return []
    if tree[0] == "term":
        return [tree[1]]
    return list(dict.fromkeys(t for kid in tree[1] for t in query_terms(kid)))


def _dnf_size(tree: Node) -> int:
    if tree[0] == "term":
        return 1
    sizes = [_dnf_size(k) for k in tree[1]]
    if tree[0] == "or":
        return sum(sizes)
    out = 1
    for n in sizes:
        out = min(out * n, MAX_DNF_GROUPS + 1)
    return out


def parse_query(query: str) -> list[list[str]]:
    """A keyword query -> OR of AND groups (disjunctive normal form), terms as written; [] if empty.

    For display and tests only: the expansion grows exponentially with AND-ed OR groups, so past
    MAX_DNF_GROUPS groups it raises QueryTooLarge. Matching uses `parse_tree` (never expanded)."""
    tree = parse_tree(query)
    if tree is None:
        return []
    if _dnf_size(tree) > MAX_DNF_GROUPS:
        raise QueryTooLarge(f"검색어를 펼치면 조합이 {MAX_DNF_GROUPS}개를 넘습니다 (DNF over {MAX_DNF_GROUPS} groups)")

    def dnf(t: Node) -> list[list[str]]:
        if t[0] == "term":
            return [[t[1]]]
        if t[0] == "or":
            return [g for k in t[1] for g in dnf(k)]
        groups: list[list[str]] = [[]]
        for k in t[1]:
            groups = [g + h for g in groups for h in dnf(k)]
        return groups

    dedup: list[list[str]] = []
    for g in dnf(tree):
        g = list(dict.fromkeys(g))
        if g not in dedup:
            dedup.append(g)
    return dedup
