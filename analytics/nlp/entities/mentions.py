"""More person mentions in one sentence: `surname + title` and family names the article names in full
(`윤 대통령`, `머스크`)."""

from __future__ import annotations

import re
from collections import Counter

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.bylines import _HANJA_SURNAME_RE, HANJA_SURNAMES
from analytics.nlp.entities.names import (
    HANGUL_NAME,
    SURNAMES,
    is_korean_full_name,
    title_after,
    word_morphs,
)
from analytics.nlp.entities.occurrences import HANGUL_LATIN_DIGIT, SPACE, WHITESPACE, find_word
from analytics.nlp.entities.people_table import _most_named, _People, _two_syllable_family
from analytics.nlp.entities.retype import _PLANT_RE
from analytics.nlp.entities.words import _BEFORE_QUOTE_RE, _PARTICLE_END_RE, _common_noun

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"[가-힣]")
_LITERAL_RE_2 = re.compile(r"(?:은|는|이|가)(?=[\s,\"“]|$)")


def _more_person_mentions(text: str, kept: list[Entity], people: _People, full: _People, article: str = ""
                          ) -> list[Entity]:
    """Person mentions the recognizer left untagged that the article's full names resolve: a Hanja
    surname (`尹`, with or without a title) standing for the one person of that surname, and the family
    name of a multi-word name given before (`캐시 우드` … `우드 CEO`; `머스크 SNL` in a headline) with a
    title after it, or on its own or with a particle when it has three or more syllables (`올트먼이`), or
    before a quotation (`파월 "…"`: a two-syllable one is often a word, `메리 바라` … `바라는`). `full`
    holds the names the mention may refer to (the whole article's for a headline)."""
    spans = [(e.start, e.end) for e in kept]
    out: list[Entity] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in spans)

    for m in _HANJA_SURNAME_RE.finditer(text):
        s = m.start(1)
        title = title_after(text, s + 1)
        if not free(s, s + 1) or (title is None and _LITERAL_RE_1.match(text[s + 1:s + 2]) and not _PARTICLE_END_RE.match(text, s + 1)):
            continue  # `尹과 첫 정상회담`: a particle may follow it
        sur = HANJA_SURNAMES[m.group(1)]
        if title:
            name = people.by_surname(sur, title) or full.by_surname(sur, title)
        else:  # no title: the person of that surname the article names most
            name = _most_named(sur, [n for n in reversed(full.order) if is_korean_full_name(n) and n[0] == sur],
                               article, full)
        if name:
            out.append(Entity("PS", m.group(1), s, s + 1, name))
            spans.append((s, s + 1))
    for name in full.by_preference():
        if " " not in name:
            continue
        last = name.split(" ")[-1]
        if not HANGUL_NAME.match(last) and not (len(last) == 1 and _LITERAL_RE_1.fullmatch(last)):
            continue
        for s, t in find_word(text, last, HANGUL_LATIN_DIGIT):
            if not free(s, t) or (len(last) == 1 and not title_after(text, t)):
                continue  # twelfth session: a one-syllable family name counts only before a title (`리사 수` … `수 CEO`)
            if name.split(" ")[0] in SURNAMES and _common_noun(last):
                break  # `윤 아나운서` read as a name: a surname and a common noun, no family name
            if _PLANT_RE.match(text, t):
                continue  # `단고테 정유공장`: the owner's plant, no mention of him (eleventh session)
            if title_after(text, t) or (len(last) >= 3 and (not _LITERAL_RE_1.match(text[t:t + 1]) or _PARTICLE_END_RE.match(text, t))) or (
                    _BEFORE_QUOTE_RE.match(text, t)) or _topic_at_start(text, s, t):  # `올트먼이`, `프리고진은`; `파월 "추가 긴축…"`
                out.append(Entity("PS", last, s, t, name))
                spans.append((s, t))
    # ninth session: a Japanese family name, written first, before a title (`다카이치 사나에` … `다카이치 담당상이`)
    for name in full.by_preference():
        if name.count(" ") != 1 or len(first := name.split(" ")[0]) < 3 or not HANGUL_NAME.match(first) or _common_noun(first):
            continue
        for s, t in find_word(text, first, HANGUL_LATIN_DIGIT, then=SPACE):
            if free(s, t) and title_after(text, t) and not text.startswith(" " + name.split(" ")[1], t):
                out.append(Entity("PS", first, s, t, name))
                spans.append((s, t))
    # ninth session: a two-syllable family name before a title (`라이 당선인`, `허우 후보`) for a one-word Chinese name
    for name in full.by_preference():
        if " " in name or not 4 <= len(name) <= 5 or not HANGUL_NAME.match(name) or is_korean_full_name(name):
            continue
        for s, t in find_word(text, name[:2], HANGUL_LATIN_DIGIT, then=WHITESPACE):
            if free(s, t) and title_after(text, t) and _two_syllable_family(name[:2], people, full) == name:
                out.append(Entity("PS", name[:2], s, t, name))
                spans.append((s, t))
    # a given name alone where two people share the family name (`킴벌 머스크` beside `일론 머스크`: `킴벌은`)
    families = Counter(n.rsplit(" ", 1)[1] for n in full.order if n.count(" ") == 1)
    for name in full.by_preference():
        if name.count(" ") != 1 or families[name.rsplit(" ", 1)[1]] < 2:
            continue
        given = name.split(" ")[0]
        if len(given) < 2 or not HANGUL_NAME.match(given) or _common_noun(given):
            continue
        for s, t in find_word(text, given, HANGUL_LATIN_DIGIT, not_then=" " + name.rsplit(" ", 1)[1]):
            if free(s, t) and (title_after(text, t) or _PARTICLE_END_RE.match(text, t) or _BEFORE_QUOTE_RE.match(text, t)):
                out.append(Entity("PS", given, s, t, name))
                spans.append((s, t))
    return out


def _topic_at_start(text: str, s: int, t: int) -> bool:
    """Ninth session: a two-syllable family name opening the sentence with a subject or topic particle, read by Kiwi
    as a noun and that particle (`코다는 22일`, `코다가`; not `바라는`, a verb's form)."""
    if text[:s].strip(" \"'“‘") or not (p := _LITERAL_RE_2.match(text[t:])):
        return False
    mo = word_morphs(text[s:t] + p.group(0))
    return len(mo) == 2 and mo[0][0] in ("NNG", "NNP") and mo[1][0] in ("JX", "JKS")
