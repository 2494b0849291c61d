"""Per-article keywords (YAKE over Kiwi-normalised sentences) and term counts.

Pipeline of `extract_keywords`, in order:
1. drop boilerplate: noun runs holding a byline/header/copyright word (`작성자hjtic`, `김유준 기자`);
2. encode each content unit as an opaque lower-case ASCII code, so YAKE's segtok tokenizer cannot
   split `4차`, `A.I.` or `e-Palette`, and its casing features (which never fire on Hangul) are
   neutral for every term;
3. one YAKE "sentence" per Kiwi sentence, noun runs separated by commas (YAKE never builds an
   n-gram across a comma, so n-grams are real noun phrases, never `기업 실리콘밸리 진출`);
4. YAKE (n=3, window 1, no dedup) with the Korean news stopwords as YAKE stopwords, computed by
   `yake-rust` (the Rust YAKE: same candidates and scores as the `yake` package, several times
   faster; `yake` stays the reference, tests/test_keywords_parity.py holds them equal);
5. decode, drop number-only and single-syllable keywords, render each n-gram with the spacing the
   article used, merge near-identical phrases, keep YAKE's score (lower = more relevant).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yake
import yake_rust

from analytics.nlp.tokenize import (
    Sent,
    Span,
    content_runs,
    phrase_term,
    sentence_units,
    units_of_runs,
)

__all__ = ["boilerplate_words", "extract_keywords", "news_stopwords", "term_counts"]

LEXICON = Path(__file__).resolve().parent.parent.parent / "data" / "lexicon"
YAKE_N = 3
_MERGE_RATIO = 0.9
_ORDINAL_RE = re.compile(r"차$|[A-Za-z]")
_EOJEOL_RE = re.compile(r"\S+")
_HEADER_LINE = 40  # a line this short holding a furniture word is a header/copyright line
_BRACKET_RE = re.compile(r"\[[^\]\n]{0,60}\]")
_WS_RE = re.compile(r"\s+")


def _read_words(path: Path) -> frozenset[str]:
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


@lru_cache(maxsize=1)
def news_stopwords() -> frozenset[str]:
    """Korean news stopwords (data/lexicon/stopwords_ko.txt), applied at analysis time."""
    return _read_words(LEXICON / "stopwords_ko.txt")


@lru_cache(maxsize=1)
def boilerplate_words() -> frozenset[str]:
    """News furniture words (data/lexicon/boilerplate_ko.txt); their whole noun run is dropped."""
    return _read_words(LEXICON / "boilerplate_ko.txt")


@lru_cache(maxsize=4)
def _words_re(min_len: int) -> re.Pattern | None:
    """One alternation of the boilerplate words of at least `min_len` characters: a single regex
    search replaces a Python loop over the list for every sentence and run (hot path)."""
    words = sorted((w for w in boilerplate_words() if len(w) >= min_len), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def _has(pattern: re.Pattern | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _clean_runs(sent: Sent) -> list[list[Span]]:
    """Content runs minus boilerplate: header/copyright lines, words glued to a furniture word
    (`작성자hjtic`, `재배포`), bylines (`김유준 기자`, `[포쓰저널=김유준 기자]`).

    Memoised on the sentence: keywords and term counts both ask for it."""
    cached = getattr(sent, "_clean_runs", None)
    if cached is not None:
        return cached
    runs = _compute_clean_runs(sent)
    try:
        sent._clean_runs = runs
    except AttributeError:  # a slotted Sent: no memo, same result
        pass
    return runs


def _compute_clean_runs(sent: Sent) -> list[list[Span]]:
    long_re, any_re = _words_re(3), _words_re(1)
    if len(sent.text) <= _HEADER_LINE and _has(long_re, sent.text.replace(" ", "")):
        return []
    # one search of the whole sentence decides whether any word or run can hold a long furniture
    # word (every word and run surface is a piece of it): the per-word searches only then
    maybe_long = _has(long_re, _WS_RE.sub("", sent.text))
    masked = [
        (m.start() + sent.start, m.end() + sent.start)
        for m in _BRACKET_RE.finditer(sent.text) if _has(any_re, m.group())
    ]
    if maybe_long:
        masked += [
            (m.start() + sent.start, m.end() + sent.start)
            for m in _EOJEOL_RE.finditer(sent.text) if _has(long_re, m.group())
        ]
    words = boilerplate_words()
    out = []
    for r in content_runs(sent):
        if (r[0].term in words) if len(r) == 1 else not words.isdisjoint([s.term for s in r]):
            continue  # a run holding a furniture word
        if maybe_long and _has(long_re, phrase_term(r, sent.text, sent.start).replace(" ", "")):
            continue  # a long furniture word inside the run's surface (`작성자hjtic`); only searched
            # when the sentence holds one at all (`maybe_long`)
        if masked and any(lo < s.end and s.start < hi for s in r for lo, hi in masked):
            continue
        out.append(r)
    return out


@cache
def _code(i: int) -> str:
    """The i-th opaque YAKE token: lower-case letters only, so YAKE tags it as a plain word."""
    letters = []
    for _ in range(4):
        i, r = divmod(i, 26)
        letters.append(chr(97 + r))
    return "q" + "".join(reversed(letters))


def _words(run: list[Span], sent: Sent) -> list[tuple[str, bool]]:
    """A run cut where the text has spaces: `4차 산업혁명` -> [(4차, True), (산업혁명, False)].

    Units Kiwi found inside one spaced word are glued back (사회+혁신 -> 사회혁신), so YAKE never
    cuts an n-gram through the middle of a written word. The flag says "numbers only".
    """
    if len(run) == 1:  # most runs: one unit
        return [(run[0].term, run[0].cls == "number")]
    groups: list[list[Span]] = [[run[0]]]
    for s in run[1:]:
        if s.start == groups[-1][-1].end:
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for g in groups:
        term = g[0].term if len(g) == 1 else sent.text[g[0].start - sent.start:g[-1].end - sent.start]
        out.append((term, all(s.cls == "number" for s in g)))
    return out


def yake_scores(text: str, stopwords: set[str], n: int, reference: bool = False) -> list[tuple[str, float]]:
    """YAKE (n-grams up to YAKE_N, window 1, no dedup) over the coded text: the `n` best
    (candidate, H), lowest H first. `reference=True` runs the pure-Python `yake` package (the
    reference implementation; ~4x slower), otherwise `yake-rust`."""
    if reference:
        extractor = yake.KeywordExtractor(lan="en", n=YAKE_N, dedup_lim=1.0, window_size=1, top=n,
                                          stopwords=stopwords)
        return [(kw, float(h)) for kw, h in extractor.extract_keywords(text)]
    return yake_rust.Yake(stopwords=stopwords, ngrams=YAKE_N, window_size=1,
                          remove_duplicates=False).get_n_best(text, n=n)


def extract_keywords(sents: list[Sent], top: int = 20, min_phrase_tf: int = 2,
                     reference: bool = False) -> list[tuple[str, float]]:
    """The article's `top` keywords as (keyword, YAKE score); lower score = more relevant.

    Scores are YAKE's own H values (not normalised), comparable only within one article.
    Multi-word keywords must occur `min_phrase_tf` times (YAKE ranks every once-seen 3-gram
    above the article's main nouns otherwise). `reference=True` scores with the `yake` package
    (parity tests and comparisons only).
    """
    stop = news_stopwords()
    codes: dict[str, str] = {}
    words: dict[str, tuple[str, bool]] = {}  # code -> (word, numbers only)
    lines: list[str] = []
    for sent in sents:
        blocks = []
        for run in _clean_runs(sent):
            if len(run) == 1:  # most runs: one unit, one word (`_words`' first branch, inline)
                word = run[0].term
                code = codes.get(word)
                if code is None:
                    code = codes[word] = _code(len(codes))
                    words[code] = (word, run[0].cls == "number")
                blocks.append(code)
                continue
            block = []
            for word, numeric in _words(run, sent):
                code = codes.get(word)
                if code is None:
                    code = codes[word] = _code(len(codes))
                    words[code] = (word, numeric)
                block.append(code)
            blocks.append(" ".join(block))
        if blocks:
            lines.append(" , ".join(blocks) + " !")
    if not lines:
        return []
    coded = " ".join(lines)
    stop_codes = {c for w, c in codes.items() if w in stop}
    ranked = yake_scores(coded, stop_codes or {"qzzzzz"}, max(200, top * 10), reference=reference)
    # n-gram counts and first occurrences only for the candidates read (~40 of YAKE's 200), found
    # in the coded text: codes are 5 letters between single spaces and " , " / " ! " separators,
    # so a match of a candidate always starts and ends on code boundaries, inside one block
    scored = iter(ranked) if reference else _iter_ties_in_text_order(ranked, _first_seen(coded))
    out: list[tuple[str, float]] = []
    seen = _Kept()
    for kw, score in scored:
        ks = kw.split()
        parts = [words.get(p) for p in ks]
        if None in parts:
            continue
        if parts[-1][1] or not stop_codes.isdisjoint(ks):  # (a word is a stopword iff its code is)
            continue  # holding a stopword; number-only, or ending in a date/count (`산업혁명 2016년`)
        if parts[0][1] and not _ORDINAL_RE.search(parts[0][0]):
            continue  # a leading count (`3가지 요소`); ordinals and models stay (`4차 산업혁명`, `5G 통신`)
        if len(parts) == 1 and len(parts[0][0]) < 2:
            continue  # single syllables (눈, 앞, 면) read as noise out of context
        if len(parts) > 1 and _occurrences(coded, kw, min_phrase_tf) < min_phrase_tf:
            continue  # a phrase written once is a description, not a topic
        shown = " ".join(w for w, _ in parts)
        if seen.near_identical(shown):
            continue
        seen.add(shown)
        out.append((shown, float(score)))
        if len(out) == top:
            break
    return out


def _occurrences(coded: str, gram: str, enough: int) -> int:
    """How often `gram` occurs in `coded` (overlaps counted: `qa qa` twice in `qa qa qa`), up to
    `enough`."""
    n, i = 0, coded.find(gram)
    while i >= 0 and n < enough:
        n += 1
        i = coded.find(gram, i + 1)
    return n


def _first_seen(coded: str) -> Callable[[str], tuple[int, int]]:
    """candidate -> a sort key of its first occurrence in YAKE's candidate order (n-grams by end
    word, shorter first): (end offset of its first match in `coded`, length)."""
    def rank(gram: str) -> tuple[int, int]:
        i = coded.find(gram)
        return (i + len(gram), len(gram)) if i >= 0 else (len(coded) + 1, 0)
    return rank


def _ties_in_text_order(scored: list[tuple[str, float]], order: dict[str, int]) -> list[tuple[str, float]]:
    """Equal scores (within 1e-12) ordered by first occurrence, as the `yake` package's stable
    sort leaves them; yake-rust's order among ties changes from process to process."""
    last = len(order)
    return list(_iter_ties_in_text_order(scored, lambda kw: order.get(kw, last)))


def _iter_ties_in_text_order(scored: list[tuple[str, float]], rank: Callable[[str], Any]
                             ) -> Iterator[tuple[str, float]]:
    """`_ties_in_text_order`, group by group: the caller stops once it has its top keywords
    (~20 of YAKE's 200 candidates), so the groups after them are never sorted."""
    i, n = 0, len(scored)
    while i < n:
        j = i + 1
        while j < n and scored[j][1] - scored[j - 1][1] <= 1e-12 * max(1.0, abs(scored[j][1])):
            j += 1
        if j == i + 1:
            yield scored[i]
        else:
            yield from sorted(scored[i:j], key=lambda kv: rank(kv[0]))
        i = j


class _Kept:
    """The keywords kept so far, indexed so that `near_identical(a)` gives the answer of
    `any(_near_identical(a, k) for k in kept)` without comparing `a` with every kept keyword
    (hot path: ~200 candidates an article): equal keys and one-word-more edges are set lookups,
    and SequenceMatcher runs only against kept keys whose length can reach the ratio. Two
    different keys match in at most min(la, lb) characters, one fewer when la == lb, so
    2·that/(la+lb) < 0.9 rules a pair out (all pairs of different words under 10 characters of
    equal length, and most others); each matcher holds its kept key as `b`, prepared once."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._edges: set[str] = set()  # edge-trimmed forms of the kept keywords
        self._by_len: dict[int, list[str]] = {}
        self._matchers: dict[str, SequenceMatcher] = {}

    @staticmethod
    def _parts(a: str) -> tuple[str, tuple[str, ...]]:
        """(key, edge-trimmed keys) of a keyword; memoised (asked by near_identical, then add, and
        the same words recur across articles)."""
        v = _PARTS.get(a)
        if v is None:
            ws = a.lower().split()
            v = a.replace(" ", "").lower(), (("".join(ws[1:]), "".join(ws[:-1])) if len(ws) > 1 else ())
            if len(_PARTS) < 200_000:
                _PARTS[a] = v
        return v

    def add(self, kept: str) -> None:
        key, edges = self._parts(kept)
        if key not in self._keys:
            self._keys.add(key)
            self._by_len.setdefault(len(key), []).append(key)
        self._edges.update(edges)

    def _matcher(self, key: str) -> SequenceMatcher:
        sm = self._matchers.get(key)
        if sm is None:
            sm = self._matchers[key] = SequenceMatcher(None)
            sm.set_seq2(key)
        return sm

    def near_identical(self, a: str) -> bool:
        ka, edges_a = self._parts(a)
        if ka in self._keys or ka in self._edges or any(e in self._keys for e in edges_a):
            return True
        la = len(ka)
        for lb, keys in self._by_len.items():
            if 2.0 * (min(la, lb) - (la == lb)) / (la + lb) < _MERGE_RATIO:
                continue
            for kb in keys:
                sm = self._matcher(kb)
                sm.set_seq1(ka)
                if sm.quick_ratio() >= _MERGE_RATIO and sm.ratio() >= _MERGE_RATIO:
                    return True
        return False


_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {}


def _near_identical(a: str, b: str) -> bool:
    """Same phrase up to spacing/case/a typo, or one more word at either edge (`4차 산업혁명 시대`)."""
    ka, kb = a.replace(" ", "").lower(), b.replace(" ", "").lower()
    if ka == kb:
        return True
    la, lb = len(ka), len(kb)
    if 2.0 * min(la, lb) / (la + lb) >= _MERGE_RATIO:  # SequenceMatcher.real_quick_ratio: an upper bound
        sm = SequenceMatcher(None, ka, kb)
        if sm.quick_ratio() >= _MERGE_RATIO and sm.ratio() >= _MERGE_RATIO:
            return True
    longer, short = (a, kb) if len(ka) > len(kb) else (b, ka)
    ws = longer.lower().split()
    return len(ws) > 1 and short in ("".join(ws[1:]), "".join(ws[:-1]))


def term_counts(sents: list[Sent]) -> list[tuple[str, str, int]]:
    """(term, class, count) for every normalised unit of the article, phrases included.

    Boilerplate runs and news stopwords are left out; user stopwords and aliases are applied later,
    at query time. Sorted by count, then term, so output is deterministic.
    """
    stop = news_stopwords()
    counts: Counter[tuple[str, str]] = Counter()
    for sent in sents:
        runs = _clean_runs(sent)
        if len(runs) == len(content_runs(sent)) and stop.isdisjoint([sp.term for run in runs if len(run) > 1
                                                                       for sp in run]):
            # no run dropped and no stopword in a run of several units: the sentences table's units
            # (computed already), minus the one-unit runs that are stopwords (`units_of_runs(runs,
            # sent, stop)` gives exactly that: stopwords only trim phrases, and these runs make none)
            units = sentence_units(sent)
            if stop.isdisjoint([r[0].term for r in runs if len(r) == 1]):
                counts.update(units)
            else:
                counts.update([u for u in units if u.cls == "phrase" or u.term not in stop])
        else:
            counts.update(units_of_runs(runs, sent, stop))  # a Unit is its (term, cls) pair
    return sorted(((t, c, n) for (t, c), n in counts.items()), key=lambda r: (-r[2], r[0], r[1]))
