"""Word predicates the article-level steps share: Kiwi's reading of one word (a bare word, a common noun, a
proper noun of its dictionary), a word before a title, a Latin abbreviation, and `neighbour_type` (OG / LC
read off Kiwi's CoNg neighbours)."""

from __future__ import annotations

import re
from functools import lru_cache

from analytics.nlp.entities import neighbours
from analytics.nlp.entities.names import (
    JOSA,
    title_after,
    word_morphs,
)
from analytics.nlp.entities.occurrences import HANGUL_LATIN, find_word

_LOCATIVE_RE = re.compile(r"(?:에서|에|으로|로|까지)(?![가-힣])")


def _dictionary_proper_noun(word: str) -> bool:
    """Kiwi's dictionary has `word` as one proper noun (`리야드`; `노스볼트` it does not know)."""
    toks = word_morphs(word)
    return len(toks) == 1 and toks[0][0] == "NNP" and toks[0][1] > 3


def _titled(word: str, article: str) -> bool:
    """`word` stands before a title somewhere in the article."""
    return any(title_after(article, end) for _, end in find_word(article, word, HANGUL_LATIN, HANGUL_LATIN))

def _bare_word(word: str) -> bool:
    """Kiwi finds no particle, ending or verb in `word` (`자그딥`; not `회의에는`, `따르면`, `관계자인`)."""
    toks = word_morphs(word)
    return bool(toks) and not any(tag[0] in "JEVX" for tag, _ in toks) and toks[0][0] not in ("MAJ", "MAG")


def _common_nouns_only(word: str) -> bool:
    """Kiwi reads `word` as common nouns of its dictionary only (`영화감독`, `배우`)."""
    return all(tag == "NNG" and mid > 3 for tag, mid in word_morphs(word))


def _common_noun(word: str) -> bool:
    """Kiwi reads `word` as one common noun of its dictionary (`신임`, `당시`), not an unknown or proper one."""
    toks = word_morphs(word)
    return len(toks) == 1 and toks[0][0] in ("NNG", "NNB", "MAG", "MM", "NP") and toks[0][1] > 3


def _latin_abbreviation(name: str) -> bool:
    """`UAE`, `BYD`, `WHO`: two or more upper-case Latin letters (digits allowed)."""
    return name.isascii() and name.isupper() and len(name) >= 2


# a byline or dateline in brackets the boilerplate step left (`[아시아경제 뉴욕=백종민 특파원]`,

# a particle that ends the word (`尹과 `, `올트먼이 `, `프리고진은`): the name before it is the whole word
_PARTICLE_END_RE = re.compile(r"(?:" + "|".join(sorted(JOSA, key=len, reverse=True)) + r")(?![가-힣])")
# a name right before a quotation or the end of the line (`파월 "추가 긴축…"`, `…푸틴 "등에 칼"`): a
# headline's speaker, so a two-syllable family name counts too (`메리 바라` … `바라는` does not)
_BEFORE_QUOTE_RE = re.compile(r"\s?[\"“'‘]|[,·…]|\s*$")


@lru_cache(maxsize=65536)
def neighbour_type(form: str, top_n: int = 12, min_typed: int = 4, min_share: float = 0.75) -> str | None:
    """OG or LC when the proper nouns nearest to `form` in Kiwi's CoNg embedding (pretrained,
    shipped with kiwipiepy) are mostly gazetteer organisations or places; None otherwise or when
    Kiwi has no vector for the form. Used to retype a person mention (`도봉구` -> LC). Read from the
    shipped table of every proper noun's answer (`entities.neighbours`); searched live when that table
    is missing or was built for another Kiwi model or gazetteer."""
    if (top_n, min_typed, min_share) == neighbours.DEFAULTS and (shipped := neighbours.table()) is not None:
        return shipped.get(form)  # every proper noun's answer, computed once (entities/neighbours.py)
    return _neighbour_type(form, top_n, min_typed, min_share)


def _neighbour_type(form: str, top_n: int, min_typed: int, min_share: float) -> str | None:
    """`neighbour_type` by Kiwi's live neighbour search (~1 ms a form it has a vector for)."""
    from analytics.nlp.entities.recognizer import _get_kiwi, load_recognizer

    try:
        sims = _get_kiwi().most_similar_morphemes((form, "NNP"), top_n=top_n)
    except (ValueError, RuntimeError, AttributeError, OSError):  # unknown form, or no CoNg model
        return None
    gaz = load_recognizer().gazetteer
    votes: dict[str, float] = {}
    for sm in sims:
        label = gaz.get(sm.form, "")[:2]
        if label in ("PS", "OG", "LC"):
            votes[label] = votes.get(label, 0.0) + sm.score
    n_typed = sum(1 for sm in sims if gaz.get(sm.form, "")[:2] in ("PS", "OG", "LC"))
    if n_typed < min_typed:
        return None
    best = max(votes, key=votes.get)  # type: ignore[arg-type]
    return best if best != "PS" and votes[best] >= min_share * sum(votes.values()) else None


# common nouns for bodies and places that the recognizer tags but that name none in particular (the
