"""Cuts inside one sentence's spans before resolution: an apposition inside a span (`HMM 노조인 해원연합노조`),
a Hanja modifier glued to a name (`美向`), a person given with an age (`김모(45)씨`), a party's short form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.countries import (
    COUNTRY_NAMES,
)
from analytics.nlp.entities.occurrences import HANGUL, find_word
from analytics.nlp.entities.words import _PARTICLE_END_RE, _common_nouns_only

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"[가-힣]+")

# eighth session (eighth written set: diplomacy and war, disasters, courts, platforms, shipping, education):
# a Korean abbreviation in brackets right after a name (`행정중심복합도시건설청(행복청)`)
_KOREAN_ABBR_AFTER_RE = re.compile(r"\(([가-힣]{2,5})\)")
# a word inside a span that introduces the name after it (`HMM 노조인 해원연합노조`, `PB 자회사 씨피엘비`,
# `민간군사기업 바그너`): "X, which is a union / a subsidiary / a company" -- the name is what follows
_INNER_APPOSITION_RE = re.compile(r"^([가-힣]{0,6}?)(노조|노동조합|자회사|계열사|모회사|손자회사|지주사|기업|업체|회사|단체)(인?)$")


# ninth session: a business's class glued before its name in a person span (`이커머스 알리익스프레스`)
_BUSINESS_CLASS_RE = re.compile(r"(?:이커머스|전자상거래|쇼핑몰|오픈마켓|배달앱|플랫폼|거래소|유통업체|업체|기업|회사|제조사|스타트업)")


def _inner_apposition(word: str) -> bool:
    """`노조인`, `자회사`, `민간군사기업`: a class of bodies (its modifier common nouns), not a name."""
    m = _INNER_APPOSITION_RE.match(word)
    return m is not None and (not m.group(1) or _common_nouns_only(m.group(1)))


def _apposition_cuts(text: str, ents: Sequence[Entity], names: set[str]) -> list[Entity]:
    """Common words glued before an organisation's name, cut off before anything reads the name:
    - before the bracketed Korean abbreviation a name introduces, the name begins at the word the
      abbreviation begins with, when the words before it are common nouns (`국무조정실은 감찰 결과
      행정중심복합도시건설청(행복청)이`: the office is 행정중심복합도시건설청, and so is 행복청);
    - an apposition inside the span (`HMM 노조인 해원연합노조`, `PB 자회사 씨피엘비`, `민간군사기업 바그너`):
      the name after it is an organisation; the words before it stay a name only when the article
      names them on their own (`HMM`) or they are a country (`러시아 민간군사기업 바그너`)."""
    out: list[Entity] = []
    for e in ents:
        span = text[e.start:e.end]
        words = span.split(" ")
        if e.type == "PS" and len(words) == 2 and span == e.canonical and _BUSINESS_CLASS_RE.fullmatch(words[0]) and len(words[1]) >= 2:
            cut = len(words[0]) + 1  # `중국 이커머스 알리익스프레스(알리)`: a business's class, then its name
            out.append(Entity("OG", words[1], e.start + cut, e.end, words[1]))
            continue
        if e.type in ("OG", "LC") and len(words) >= 2 and "  " not in span and span == e.canonical:
            m = _KOREAN_ABBR_AFTER_RE.match(text, e.end)
            i = next((i for i, w in enumerate(words) if m is not None and w[:1] == m.group(1)[0]), 0)
            if i > 0 and all(_common_nouns_only(w) for w in words[:i]):
                cut = len(" ".join(words[:i])) + 1
                out.append(replace(e, text=span[cut:], start=e.start + cut, canonical=span[cut:]))
                continue
            k = next((k for k in range(len(words) - 1) if _inner_apposition(words[k]) and words[k] not in names), None)
            if k is not None and len(words[-1]) >= 2:
                cut = len(" ".join(words[:k + 1])) + 1
                head = " ".join(words[:k])
                if head and (head in names or head in COUNTRY_NAMES):
                    out.append(Entity("LC" if head in COUNTRY_NAMES else "OG", head, e.start, e.start + len(head), head))
                out.append(Entity("OG", span[cut:], e.start + cut, e.end, span[cut:]))
                continue
        out.append(e)
    return out


# a Hanja suffix glued to a name (`엔비디아向 HBM` = HBM for Nvidia, `트럼프發 관세`, `중국産`): the name, then a modifier
_HANJA_MODIFIER_RE = re.compile(r"(?<=[가-힣A-Za-z0-9])[向發産製](?![一-龥])")


def _hanja_modifier_split(text: str, ents: Sequence[Entity], known: Mapping[str, str]) -> list[Entity]:
    """A span holding `X向`/`X發`/`X産`/`X製`: the name X alone (typed as known, else as tagged); what the
    suffix modifies (`HBM`, `관세`) is no part of it."""
    out: list[Entity] = []
    for e in ents:
        m = _HANJA_MODIFIER_RE.search(e.text)
        if m is None or m.start() < 1:
            out.append(e)
            continue
        head = e.text[:m.start()].strip()
        if head:
            out.append(Entity(known.get(head) if known.get(head) in ("PS", "OG", "LC") else e.type, head, e.start,
                              e.start + len(head), " ".join(head.split())))
    return out


# an age in brackets after a name, the name after a role or a common noun (`피의자 조선(33)의`, `소설가 한강(53)이`):
# a person, however else the word reads (`조선`, `한강`); no list of counts (`서울(45), 경기(30)`)
_AGE_RE = re.compile(r"\((\d{1,3})\)(?=[이가은는을를의와과도에씨]|\s|$)")
_AGED_BEFORE_RE = re.compile(r"(?:^|\s)([가-힣]{2,6})\s([가-힣]{2,4})$")


def _aged_names(article: str) -> set[str]:
    """Names the article gives an age after a common noun (searched from each `(digits)`: a scan for the
    name pattern itself at every character cost more)."""
    out: set[str] = set()
    for m in _AGE_RE.finditer(article):
        b = _AGED_BEFORE_RE.search(article, max(0, m.start() - 12), m.start())
        if b is not None and int(m.group(1)) <= 110 and not b.group(2).endswith("모") and _common_nouns_only(b.group(1)) and (
                not _common_nouns_only(b.group(2))):  # `양계순 할머니(85)가`: the age is of a name given before
            out.add(b.group(2))
    return out


def _aged_people(text: str, ents: list[Entity], aged: set[str]) -> list[Entity]:
    """Every mention of a name the article gives an age (`조선(33)`) is that person: retyped, and its
    untagged mentions (`한강을`) added."""
    out = [replace(e, type="PS", canonical=e.text) if e.type != "PS" and e.text in aged else e for e in ents]
    for name in aged:
        for s, t in find_word(text, name, HANGUL, then=_AGE_NAME_END_RE):
            if not any(e.start < t and s < e.end for e in out):
                out.append(Entity("PS", name, s, t, name))
    return sorted(out, key=lambda x: x.start)


_AGE_NAME_END_RE = re.compile(r"[(\s,.…'’\"”]|" + _PARTICLE_END_RE.pattern + r"|$")


def _party_short_form(e: Entity, refs: Mapping[str, tuple[str, str]], article: str) -> Entity:
    """A headline's party cut to its first syllables (`민주 "특검 해야"` for 민주당, `국힘`-style forms the
    curated table has not): the party the article names with `당` (or by its full name)."""
    if e.type != "OG" or len(e.canonical) < 2 or not _LITERAL_RE_1.fullmatch(e.canonical) or refs.get(e.canonical):
        return e
    party = e.canonical + "당"
    ref = refs.get(party, (party, "OG"))[0]
    return replace(e, canonical=ref) if ref != "-" and (party in article or ref in article) else e
