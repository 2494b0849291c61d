"""The one longest-match helper over a form dictionary (gazetteer, lexicon, referent table).

Hot path: for each start only the lengths some form starting with that character has are tried,
longest first, from an index cached per dictionary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

V = TypeVar("V")


def length_index(forms: dict[str, object]) -> dict[str, tuple[int, ...]]:
    """First character -> the lengths (longest first) of the forms starting with it."""
    by_first: dict[str, set[int]] = {}
    for form in forms:
        if form:
            by_first.setdefault(form[0], set()).add(len(form))
    return {c: tuple(sorted(lens, reverse=True)) for c, lens in by_first.items()}


_INDEXES: dict[int, tuple[dict, int, dict[str, tuple[int, ...]]]] = {}


def lengths_of(forms: dict[str, V]) -> dict[str, tuple[int, ...]]:
    """The cached `length_index` of a dict (rebuilt if the dict changed size or identity)."""
    hit = _INDEXES.get(id(forms))
    if hit is None or hit[0] is not forms or hit[1] != len(forms):
        hit = (forms, len(forms), length_index(forms))  # type: ignore[arg-type]
        _INDEXES[id(forms)] = hit
    return hit[2]


def matches_at(text: str, start: int, forms: dict[str, V], max_len: int, min_len: int = 2
               ) -> Iterator[tuple[int, V]]:
    """(length, value) of every form of `forms` that `text` holds at `start`, longest first."""
    lens = lengths_of(forms).get(text[start]) if start < len(text) else None
    if lens is None:
        return
    room = min(max_len, len(text) - start)
    for ln in lens:
        if ln > room:
            continue
        if ln < min_len:
            return
        value = forms.get(text[start:start + ln])
        if value is not None:
            yield ln, value
