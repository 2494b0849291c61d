"""`entities.occurrences` finds exactly what the per-word regexes it replaced found (the entity rules
asked them of every name of an article; compiling one per name cost as much as Kiwi on new text)."""

from __future__ import annotations

import random
import re

from analytics.nlp.entities.occurrences import (
    HANGUL,
    HANGUL_LATIN,
    HANGUL_LATIN_DIGIT,
    SPACE,
    find_any,
    find_word,
    starts,
)

TEXT = "머스크는 일론 머스크 CEO와 머스크머스크, 킴벌 머스크; 2머스크 '머스크' 머스크주 머스크 "


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


def test_a_name_with_its_boundaries_is_found_where_the_regex_finds_it():
    w = re.escape("머스크")
    assert list(find_word(TEXT, "머스크", HANGUL_LATIN, HANGUL_LATIN)) == _spans(rf"(?<![가-힣A-Za-z]){w}(?![가-힣A-Za-z])", TEXT)
    assert list(find_word(TEXT, "머스크", HANGUL_LATIN_DIGIT)) == _spans(rf"(?<![가-힣A-Za-z0-9]){w}", TEXT)
    assert list(find_word(TEXT, "머스크", HANGUL_LATIN_DIGIT, then=SPACE)) == _spans(rf"(?<![가-힣A-Za-z0-9]){w}(?= )", TEXT)
    assert list(find_word(TEXT, "머스크", not_then=" CEO")) == _spans(rf"{w}(?! CEO)", TEXT)
    # not `머스크는` (a particle glued), `머스크머스크`, `머스크주`; `2머스크` is (a digit is no Hangul)
    assert list(find_word(TEXT, "머스크", HANGUL, HANGUL)) == [(8, 11), (28, 31), (34, 37), (39, 42), (49, 52)]


def test_overlapping_words_are_found_once_left_to_right_as_finditer_does():
    assert list(find_word("aaaa", "aa")) == _spans("aa", "aaaa") == [(0, 2), (2, 4)]
    assert list(starts("aaaa", "aa")) == [0, 1, 2]
    assert list(find_word("abc", "")) == [] and list(starts("abc", "")) == []


def test_an_alternation_of_names_takes_the_first_that_stands_at_each_position():
    names = ["친강", "친강호", "왕이"]
    text = "친강호는 친강이 왕이와 친강 친강호 x친강"
    then = re.compile("|".join(["는", "이", "와"]) + r"|[^가-힣]|$")
    want = [(m.start(1), m.end(1), m.group(1)) for m in re.finditer(
        r"(?<![가-힣A-Za-z0-9])(" + "|".join(names) + r")(?=는|이|와|[^가-힣]|$)", text)]
    assert list(find_any(text, names, HANGUL_LATIN_DIGIT, then)) == want
    # `친강호는`: 친강 is tried first but 호 may not follow it, so 친강호; `x친강` has a letter before it
    assert [w for _, _, w in want] == ["친강호", "친강", "왕이", "친강", "친강호"]


def test_random_texts_agree_with_the_regexes():
    rng = random.Random(7)
    alphabet = "머스크주 가a1'"
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        word = "".join(rng.choice("머스크a") for _ in range(rng.randint(1, 3)))
        w = re.escape(word)
        assert list(find_word(text, word, HANGUL_LATIN, HANGUL_LATIN)) == _spans(rf"(?<![가-힣A-Za-z]){w}(?![가-힣A-Za-z])", text)
        assert list(find_word(text, word, HANGUL_LATIN_DIGIT, then=SPACE)) == _spans(rf"(?<![가-힣A-Za-z0-9]){w}(?= )", text)
        words = [word, word[:1] or "머", "스크"]
        got = [(s, t) for s, t, _ in find_any(text, words, HANGUL)]
        assert got == _spans(r"(?<![가-힣])(?:" + "|".join(map(re.escape, words)) + ")", text)
