"""Where a given word stands in a text, with conditions on its neighbours, without a regex per word.

The per-article rules ask this of every name of the article (`(?<![가-힣A-Za-z])머스크(?![가-힣A-Za-z])`).
Written as one regex per name, each pattern was compiled anew: Python's compiler turns a Hangul class
such as `[가-힣]` into a map of 65,536 entries (~0.7 ms a class), and the distinct names of new text
miss `re`'s cache, so on the written entity sets (291 articles, each analysed once) compiling them
cost about as much CPU as Kiwi's whole tokenization (`tests/bench/bench_speed.py --texts written`).
Here the word is found with `str.find` and its neighbours are tested with patterns compiled once:
the same matches as `re.finditer` of the escaped word with those lookarounds (left to right, not
overlapping).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

HANGUL = re.compile(r"[가-힣]")
HANGUL_LATIN = re.compile(r"[가-힣A-Za-z]")
HANGUL_LATIN_DIGIT = re.compile(r"[가-힣A-Za-z0-9]")
SPACE = re.compile(" ")
WHITESPACE = re.compile(r"\s")


def find_word(text: str, word: str, not_before: re.Pattern | None = None, not_after: re.Pattern | None = None,
              then: re.Pattern | None = None, not_then: str = "") -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of `word` in `text`, as `re.finditer` of
    `(?<!B)word(?!A)(?=T)(?!not_then)` gives them: `not_before` / `not_after` = a one-character
    class that may not stand right before / after it, `then` = a pattern that must match right
    after it (`pattern.match(text, end)`), `not_then` = a literal that may not follow it."""
    if not word:
        return
    n = len(word)
    i = text.find(word)
    while i >= 0:
        j = i + n
        if ((not_before is None or i == 0 or not not_before.match(text, i - 1))
                and (not_after is None or not not_after.match(text, j))
                and (then is None or then.match(text, j))
                and not (not_then and text.startswith(not_then, j))):
            yield i, j
            i = text.find(word, j)
        else:
            i = text.find(word, i + 1)


def starts(text: str, word: str) -> Iterator[int]:
    """Every position where `word` begins in `text`, overlapping ones included (for a search whose
    conditions depend on the position: one of them holding is what `re.search` finds)."""
    if not word:
        return
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def find_any(text: str, words: Sequence[str], not_before: re.Pattern | None = None, then: re.Pattern | None = None
             ) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each match of `(?<!B)(w1|w2|…)(?=T)` in `text`, as `re.finditer` gives them:
    at each position (left to right, after the previous match) the first of `words` in their order
    that stands there."""
    at = sorted({i for w in words for i in starts(text, w)})
    pos = 0
    for i in at:
        if i < pos or not_before is not None and i > 0 and not_before.match(text, i - 1):
            continue
        for w in words:
            if w and text.startswith(w, i) and (then is None or then.match(text, i + len(w))):
                yield i, i + len(w), w
                pos = i + len(w)
                break
