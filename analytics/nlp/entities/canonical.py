"""Within one article: every mention -> the referent an analyst would count it under.

Korean news names a person in full once (`윤석열 대통령`) and then by surname and title
(`윤 대통령`), a foreigner by family name (`머스크`), an organisation by its short name
(`민주당`), a country by a one-character abbreviation (`美`, `한·미`). `resolve_article` maps
each such short form to the full name the article gave (earlier, or in the body for a headline),
drops a short form nothing resolves (`이 대표` with no 이○○ in the article), and maps curated
abbreviations and short names to one referent (`analytics/models/ner/referents.tsv`); context
retypes what the lexicon does not know (`루시드 주가`, `솔라나 가격`, `업체 허츠`). The span clean-up
before it is `surface`, the country abbreviations `countries`, the name predicates `names`.
The steps `resolve_article` calls live one job a module: `people_table` (full names given so far),
`appositions`, `places`, `untagged` (names the recognizer missed), `mentions` (surname + title found),
`bylines`, `products`, `retype` (context retyping), `shortforms` (`_resolve`), over `words`.
Corpus-wide merging (`머스크` in an article that never says `일론 머스크`) and the one type per
referent are decided at query time (`referents.merge_referents` via `analytics/queries/referents.py`).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from analytics.nlp.entities.appositions import (
    _HANJA_MODIFIER_RE,
    _aged_names,
    _aged_people,
    _apposition_cuts,
    _hanja_modifier_split,
    _party_short_form,
)
from analytics.nlp.entities.base import MODEL_DIR, Entity
from analytics.nlp.entities.bylines import _BYLINE_RE, _END_BYLINE_RE
from analytics.nlp.entities.countries import (  # noqa: F401  (COUNTRY_ABBREV: public here as before)
    COUNTRY_ABBREV,
    country_mentions,
    split_country_prefix,
)
from analytics.nlp.entities.mentions import _more_person_mentions
from analytics.nlp.entities.names import (  # noqa: F401  (is_korean_full_name, SURNAMES: public here as before)
    SURNAME_TITLE_RE,
    SURNAMES,
    apposition_title,
    is_korean_full_name,
    is_person_name,
    is_title_word,
    title_after,
)
from analytics.nlp.entities.people_table import _People
from analytics.nlp.entities.places import (
    _district_and_school_types,
    _listed_with_places,
    _places_after_places,
)
from analytics.nlp.entities.products import _inside_product_names, _is_product, _products
from analytics.nlp.entities.retype import (
    _MATCH_AFTER_RE,
    _PLACE_HEAD_AFTER_RE,
    _company_before_person,
    _context_retypes,
    _named_after,
)
from analytics.nlp.entities.shortforms import _resolve
from analytics.nlp.entities.spans import is_title
from analytics.nlp.entities.surface import (
    article_abbreviations,
    club_short_names,
    clubs_named_in_full,
    gloss_names,
    headline_affiliations,
    join_split_names,
    one_type_for_split_names,
    split_business_apposition,
    split_person_prefix,
    split_places,
    tidy,
)
from analytics.nlp.entities.untagged import (
    _cut_full_names,
    _given_names,
    _initials_before_names,
    _one_syllable_family_names,
    _people_spans,
    _titles_cut_from_names,
    _untagged_titled_names,
)
from analytics.nlp.entities.words import _common_noun, _latin_abbreviation

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"[가-힣]{3,6}")


def load_referents(path: Path) -> dict[str, tuple[str, str]]:
    """`form<TAB>referent<TAB>type` rows (curated) -> form -> (referent, type); referent `-`
    marks a form that is not counted as an entity."""
    out: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and not line.startswith("#") and parts[0]:
                out[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return out


@lru_cache(maxsize=1)
def shipped_referents() -> dict[str, tuple[str, str]]:
    """The curated referent table shipped with the model (`referents.tsv`)."""
    return load_referents(MODEL_DIR / "referents.tsv")



def resolve_article(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]],
                    referents: dict[str, tuple[str, str]] | None = None, n_head: int = 0,
                    known: dict[str, str] | None = None) -> list[list[Entity]]:
    """Mentions of one article's sentences (in reading order, the `n_head` headline sentences
    first) -> the same mentions with `canonical` set to their referent; surname mentions that no
    full name given earlier resolves are dropped (a headline's may be resolved by the body).

    Also adds mentions the recognizer does not tag on its own: country abbreviations that stand
    for their country, and `surname + title` (`윤 대통령`) when the article names that person."""
    refs = shipped_referents() if referents is None else referents
    people = _People()
    # full names from the whole article, for short forms that come before the full name (headline)
    later = _People(prefer_first=True)
    if known is None:
        from analytics.nlp.entities.recognizer import load_recognizer

        known = load_recognizer().known
    names = {e.canonical for ents in per_sentence for e in ents}
    per_sentence = [_apposition_cuts(text, ents, names) for text, ents in zip(texts, per_sentence, strict=True)]
    per_sentence = _context_retypes(texts, per_sentence, known)
    per_sentence = _company_before_person(texts, per_sentence)
    glosses = gloss_names(texts, per_sentence, known, refs)
    article = "\n".join(texts)
    # Latin abbreviations the article tags as organisations or places (`UAE`): known there, so a person
    # glued before one is split off (`무함마드 빈 자예드 알나하얀 UAE 대통령`)
    latin = {e.canonical: e.type for ents in per_sentence for e in ents
             if e.type != "PS" and _latin_abbreviation(e.canonical)}
    with_latin = ChainMap(latin, known) if latin else known
    if _HANJA_MODIFIER_RE.search(article):
        per_sentence = [_hanja_modifier_split(text, ents, known) for text, ents in zip(texts, per_sentence, strict=True)]
    # family names of the foreign full names the article tags (`라마포사` of 시릴 라마포사): a person before a place or body
    families = {w for ents in per_sentence for e in ents if e.type == "PS" and e.canonical.count(" ") >= 1 and (
        w := e.canonical.rsplit(" ", 1)[1]) and _LITERAL_RE_1.fullmatch(w) and not is_title(w) and known.get(w) is None}
    per_sentence = [split_places(text, split_person_prefix(text, split_business_apposition(
        text, tidy(text, join_split_names(text, ents, article, known), known, refs, names, glosses), article), with_latin,
        families), known) for text, ents in zip(texts, per_sentence, strict=True)]
    per_sentence = _context_retypes(texts, per_sentence, known, split=True)
    # `surname + title` matches of each sentence, found once (read by `_untagged_titled_names` and below)
    surname_titles = [list(SURNAME_TITLE_RE.finditer(text)) for text in texts]
    per_sentence = clubs_named_in_full(_one_syllable_family_names(texts, _untagged_titled_names(
        texts, _given_names(texts, _cut_full_names(texts, _initials_before_names(texts, _titles_cut_from_names(texts, _people_spans(texts, per_sentence))), article),
                            known), known,
        surname_titles), known, surname_titles), article, known)
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        for e in ents:
            if e.type == "PS" and is_person_name(e.canonical) and not _named_after(text, e) and not _MATCH_AFTER_RE.match(text, e.end) and not (
                    _PLACE_HEAD_AFTER_RE.match(text, e.end) and not is_korean_full_name(e.canonical)):
                later.add(e.canonical, apposition_title(text, e.end), (k, e.start))
    for n in [n for n in later.order if n.count(" ") == 1 and _common_noun(n.split(" ")[1]) and any(
            m != n and n.split(" ")[0] in m.split(" ") for m in later.order)]:
        later.order.remove(n)  # `머스크 트윗` (a headline's family name glued to a noun) is no full name to resolve to
        later.first.remove(n)
    people.anywhere = later.title
    out: list[list[Entity]] = []
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        body_names = later if k < n_head else _People()
        kept: list[Entity] = []
        countries = {e.start: e for e in country_mentions(text)}
        for s, c in list(countries.items()):
            # `韓 장관` (한동훈) in a headline: 韓 with a title is a person the article names, not Korea
            # (Kiwi's sentence split leaves a leading Hanja at the end of the sentence before: look on)
            nxt = texts[k + 1] if s + 1 == len(text.rstrip()) and k + 1 < len(texts) else None
            title = (title_after(text, s + 1) or (title_after(nxt, 0) if nxt else None)) if c.text == "韓" else None
            name = (people.by_surname("한", title) or later.by_surname("한", title)) if title else None
            if name:
                del countries[s]
                kept.append(Entity("PS", "韓", s, s + 1, name))
        covered = [(e.start, e.end) for e in ents] + [(e.start, e.end) for e in kept]
        for e in split_country_prefix(ents, countries):
            r = _resolve(text, e, people, body_names, later, refs, countries, known)
            if r is not None:
                kept.append(r)
                if r.type == "PS" and r.canonical == e.canonical and is_person_name(r.canonical):
                    people.add(r.canonical, apposition_title(text, e.end), (k, e.start))
                elif r.type == "PS" and (m := SURNAME_TITLE_RE.fullmatch(r.text)) is not None:
                    people.said(r.canonical, m.group(2))  # `김 대표` said of 김기현: his title from now on
        for s, c in countries.items():
            if not any(a <= s < b for a, b in covered):
                kept.append(c)
        for m in surname_titles[k]:
            s = m.start(1)
            if any(a <= s < b for a, b in covered) or s in countries or (
                    m.end(1) == m.start(2) and is_title_word(m.group(1) + m.group(2))):
                continue  # `KBS 이사장`: a title word, no `이 사장`
            name = people.by_surname(m.group(1), m.group(2)) or body_names.by_surname(m.group(1), m.group(2))
            if name:
                kept.append(Entity("PS", f"{m.group(1)} {m.group(2)}", s, s + 1, name))
                people.said(name, m.group(2))
        kept += _more_person_mentions(text, kept, people, later if k < n_head else people, article)
        bylines = [(m.start(), m.end()) for m in _BYLINE_RE.finditer(text)]
        if (tail := _END_BYLINE_RE.search(text)) is not None:
            bylines.append((tail.start(1), tail.end()))  # `이유진 기자 (사진=뉴시스)` closing the article: its reporter
        if bylines:  # `[아시아경제 뉴욕=백종민 특파원]`: the outlet, dateline and reporter are not the story's
            kept = [e for e in kept if not any(a <= e.start < b for a, b in bylines)]
        out.append(sorted(kept, key=lambda x: x.start))
    retype = {g.canonical: t if (t := known.get(abbr)) in ("OG", "LC") else "OG" for abbr, g in glosses.items()
              if g is not None and g.type == "PS" and _latin_abbreviation(abbr)}
    products = _products(article)
    if products[0] or products[1]:
        out = [[e for e in es if known.get(e.canonical) in ("OG", "LC") or e.type == "PS" and (
            " " in e.canonical or is_korean_full_name(e.canonical)) or not _is_product(e.canonical, products)] for es in out]
        out = [_inside_product_names(text, es, products[0]) for text, es in zip(texts, out, strict=True)]
    out = _district_and_school_types(texts, out, known)
    out = _listed_with_places(texts, _places_after_places(texts, out, article, later, known), known)
    if "(" in article and (aged := _aged_names(article)):
        out = [_aged_people(text, es, aged) for text, es in zip(texts, out, strict=True)]
    out[:n_head] = [[_party_short_form(e, refs, article) for e in es] for es in out[:n_head]]
    out = club_short_names(out, known)
    out = headline_affiliations(texts, out, n_head)
    return article_abbreviations(one_type_for_split_names(out, article, known, retype))


