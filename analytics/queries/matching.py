"""Which stored terms are occurrences of a typed term, and which spellings are one term.

Analysis stores each written word's noun compound whole (전기차, 자율주행차, 백신접종자) and a
phrase per noun run (`테슬라 전기차`, `인공 지능 기술`). A typed term must still be found wherever
a reader sees it, so `match_forms` maps it to every stored form that holds it:

- the same letters up to spacing (`인공 지능` = `인공지능`, `현지 시각` = `현지시각`);
- a compound that holds it with real word pieces around it (`자율주행` in `자율주행차`, `정상회의`
  in `한미정상회의`; but not `전기` in `충전기`: `충` is no word), pieces being stored terms, Latin
  or digits, or one-syllable bound affixes from `_PREFIXES`/`_SUFFIXES`;
- a phrase in which it spans a space (`인공지능` in `인공 지능 기술`); when it sits inside one word
  of a phrase, that word is a stored compound already and counting the phrase would count twice.

Used by the keyword query filter (`analytics.queries.sql._variant_tids`), keyword trends, KWIC,
tone targets and related words, so all of them count the same occurrences. Lists (TF, YAKE,
related words, networks) count stored terms as they are; `spacing_aliases` makes the spacing
variants one term there, shown in the most frequent written form.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

import numpy as np

__all__ = ["match_forms", "matching_tids", "spacing_aliases", "squeeze"]

# One-syllable pieces that attach to a word without being a stored term of their own (stored
# terms have two characters or more): suffix nouns and bound suffixes after the match
# (접종자, 질병관리청장, 전기차용, 미국산), prefixes before it (신약, 탈원전, 친환경, 초고속).
_SUFFIXES = frozenset("""
자 장 청 원 관 국 부 처 실 팀 단 회 소 사 측 용 산 제 형 급 층 률 율 화 성 적 권 계 감 력 론 가 상
내 외 간 중 후 차 값 비 료 세 액 량 수 건 명 곳 점 식 법 안 금 표 업 품 증 기 선 망 로 길 역 항 들
님 씨 등 별 당 째 분 초 말 발 판 난 설 전 주 지 학 과 연
""".split())
_PREFIXES = frozenset("신 구 고 저 초 비 반 친 탈 재 총 대 소 한 미 일 북 남 현 새 첫 각 본 타 양 여 야 범 준 무 노 "
                      "중 영 독 불 러 호 인 주 시 도 군 구 국 공 민 사".split())
_OPEN_RE = re.compile(r"^[A-Za-z0-9.&+\-]+$")


def squeeze(term: str) -> str:
    """The spacing-free, case-free key of a term."""
    return "".join(term.split()).lower()


def _piece_ok(piece: str, words: Container[str], affixes: frozenset[str]) -> bool:
    return piece in words or piece in affixes or bool(_OPEN_RE.match(piece))


def _latin_joint(a: str, b: str) -> bool:
    """True when `a` ends and `b` starts with a Latin letter or digit: one Latin word (AI|DS)."""
    return bool(a) and bool(b) and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()


def _pieces_ok(piece: str, words: Container[str], affixes: frozenset[str]) -> bool:
    """Whether a remainder next to the match splits into word pieces (`접종자수`: 접종 + 자 + 수)."""
    ok = [True] + [False] * len(piece)
    for j in range(1, len(piece) + 1):
        ok[j] = any(ok[i] and _piece_ok(piece[i:j], words, affixes) for i in range(j))
    return ok[-1]


def match_forms(term: str, forms: Iterable[str], words: Container[str] | None = None) -> list[str]:
    """The stored `forms` that are occurrences of `term` (see the module docstring).

    `words`: stored single-word terms, to tell word pieces from fragments (default: the
    single-word forms among `forms`). A one-character term matches only itself."""
    key = squeeze(term)
    forms = list(dict.fromkeys(forms))
    if not key:
        return []
    if words is None:
        words = {squeeze(f) for f in forms if " " not in f.strip()}
    out = []
    for form in forms:
        sq = squeeze(form)
        if sq == key:
            out.append(form)
            continue
        if len(key) < 2 or key not in sq:
            continue
        parts = form.split()
        if len(parts) == 1:
            start = sq.find(key)
            while start >= 0:
                left, right = sq[:start], sq[start + len(key):]
                if (not _latin_joint(left, key) and not _latin_joint(key, right)
                        and _pieces_ok(left, words, _PREFIXES) and _pieces_ok(right, words, _SUFFIXES)):
                    out.append(form)
                    break
                start = sq.find(key, start + 1)
            continue
        # a phrase: word boundaries in squeezed coordinates
        bounds, pos = [], 0
        for p in parts:
            bounds.append((pos, pos + len(p)))
            pos += len(p)
        start = sq.find(key)
        while start >= 0:
            end = start + len(key)
            wi = next(i for i, (lo, hi) in enumerate(bounds) if lo <= start < hi)
            wj = next(i for i, (lo, hi) in enumerate(bounds) if lo < end <= hi)
            left, right = sq[bounds[wi][0]:start], sq[end:bounds[wj][1]]
            if wi != wj and not _latin_joint(left, key) and not _latin_joint(key, right) \
                    and _pieces_ok(left, words, _PREFIXES) and _pieces_ok(right, words, _SUFFIXES):
                out.append(form)
                break
            start = sq.find(key, start + 1)
    return out


def matching_tids(c, term: str) -> list[int]:
    """Vocabulary ids of every stored form that is an occurrence of `term`: its alias group
    (aliases and spacing variants, through the corpus lexicon) and the compounds and phrases
    holding any of the group's forms (`match_forms`). Cached per corpus and lexicon."""
    cache = c.__dict__.setdefault("_match_cache", {})
    key = (c.lexicon_key, c.version, term.strip())
    if key in cache:
        return cache[key]
    canon = c.canon(term)
    group = c.sql("SELECT v.tid, v.term FROM vocab v JOIN lexv l USING (tid) JOIN cnames n USING (cid) "
                  "WHERE n.term = ?", [canon])
    keys = sorted({squeeze(t) for t in [canon, term, *group["term"]] if t.strip()})
    tids = {int(x) for x in group["tid"]}
    long_keys = [k for k in keys if len(k) >= 2]
    if long_keys:
        vocab = vocab_index(c)
        by_form = vocab.holding(long_keys)
        if by_form:
            words = _Pieces(vocab.single, set(long_keys))
            for k in long_keys:
                for form in match_forms(k, by_form, words):
                    tids.add(by_form[form])
    out = sorted(tids)
    if len(cache) > 512:
        cache.clear()
    cache[key] = out
    return out


class VocabIndex:
    """The corpus vocabulary in memory for `matching_tids`' two look-ups, which as SQL scanned
    every stored term with `lower`/`replace` (~35 + ~20 ms a typed term at 100,000 articles, the
    largest part of a tone target's or keyword filter's first use): every term's `squeeze` key
    joined into one string (a key's occurrences are found by `str.find`, C speed) and the keys of
    the one-word terms as a set (`single`: which pieces next to a key are words). ~30 MB of heap
    for the 138,175 terms of the 100,000-article synthetic store (tracemalloc)."""

    def __init__(self, tids: list[int], terms: list[str]) -> None:
        self.tids, self.terms = tids, terms
        keys = [squeeze(t) for t in terms]
        self.single = {k for k, t in zip(keys, terms, strict=True) if " " not in t}
        self.joined = "\n".join(keys) + "\n"
        self.starts = np.cumsum([0] + [len(k) + 1 for k in keys[:-1]]) if keys else np.zeros(0, np.int64)

    def holding(self, keys: Iterable[str]) -> dict[str, int]:
        """form -> tid of every stored term whose key contains one of `keys` (vocabulary order)."""
        hits: set[int] = set()
        joined = self.joined
        for k in keys:
            at = joined.find(k)
            while at >= 0:
                i = int(np.searchsorted(self.starts, at, side="right")) - 1
                hits.add(i)
                at = joined.find(k, at + 1)
        return {self.terms[i]: self.tids[i] for i in sorted(hits)}


def vocab_index(c) -> VocabIndex:
    """The corpus' `VocabIndex`, built on first use (or by `queries.warm_up`) per snapshot."""
    got = c.__dict__.get("_vocab_index")
    if got is None or got[0] != c.version:
        cur = c.con.cursor()  # its own cursor: `warm_up` builds it in a background thread beside page queries
        try:
            vocab = cur.execute("SELECT tid, term FROM vocab ORDER BY tid").fetchnumpy()
        finally:
            cur.close()
        got = c.__dict__["_vocab_index"] = (c.version, VocabIndex([int(x) for x in vocab["tid"]],
                                                                   [str(x) for x in vocab["term"]]))
    return got[1]


class _Pieces:
    """`piece in words` for `match_forms`: whether a piece next to a key is a one-word stored term
    (two characters or more, not one of the keys themselves), asked of the vocabulary's key set as
    `match_forms` goes instead of first listing every substring of every candidate (~35 ms for a
    frequent term's hundreds of compounds at 100,000 articles; the same answers)."""

    def __init__(self, single: set[str], keys: set[str]) -> None:
        self.single, self.keys = single, keys

    def __contains__(self, piece: object) -> bool:
        return isinstance(piece, str) and len(piece) >= 2 and piece in self.single and piece not in self.keys


def spacing_aliases(con, aliases: dict[str, str]) -> dict[str, str]:
    """variant -> representative for stored terms that differ only in spacing (`인공 지능`,
    `인공지능`): the representative is the form written most often (ties: fewer spaces, then
    alphabetical). Groups the user's aliases already cover are left to them."""
    # vkey: each term's squeeze() key, vt: its occurrences (queries/build.py); only keys of several terms
    multi = con.execute("""SELECT v.term, k.key, coalesce(t.n, 0) AS n FROM vocab v JOIN vkey k USING (tid)
                           LEFT JOIN (SELECT tid, sum(tf) AS n FROM vt GROUP BY tid) t USING (tid)
                           WHERE k.key IN (SELECT key FROM vkey GROUP BY key HAVING count(*) > 1)""").df()
    if multi.empty:
        return {}
    user = {squeeze(v) for v in aliases} | {squeeze(v) for v in aliases.values()}
    multi = multi.assign(spaces=[t.count(" ") for t in multi["term"]])
    multi = multi.sort_values(["key", "n", "spaces", "term"], ascending=[True, False, True, True])
    out: dict[str, str] = {}
    for key, grp in multi.groupby("key", sort=False):
        if key in user:
            continue
        terms = list(grp["term"])
        for t in terms[1:]:
            out[t] = terms[0]
    return out

