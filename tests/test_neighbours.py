"""The shipped table of Kiwi CoNg neighbour types gives exactly the live search's answers."""

from __future__ import annotations

import random

from analytics.nlp.entities import neighbours
from analytics.nlp.entities.words import _neighbour_type, neighbour_type


def test_the_table_is_built_for_the_installed_kiwi_model_and_gazetteer():
    """A kiwipiepy or gazetteer change needs `python -m analytics.nlp.entities.neighbours` again
    (otherwise every name is searched live: correct, ~1 ms slower each)."""
    assert neighbours.table() is not None, "rebuild analytics/models/ner/neighbour_types.tsv"
    assert set(neighbours.table().values()) <= {"OG", "LC"}


def test_table_answers_equal_the_live_search():
    table = neighbours.table()
    forms = list(table)[:150] + random.Random(5).sample(neighbours.proper_nouns(), 250)
    forms += ["도봉구", "머스크", "정세균", "서울", "없는이름말", "ABC", ""]
    assert [table.get(f) for f in forms] == [_neighbour_type(f, *neighbours.DEFAULTS) for f in forms]
    assert neighbour_type("도봉구") == "LC" and neighbour_type("정세균") is None


def test_other_arguments_are_searched_live():
    assert neighbour_type("도봉구", 12, 4, 0.99) == _neighbour_type("도봉구", 12, 4, 0.99)
