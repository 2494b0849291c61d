"""District, school and constituency typing (`강서구`, `○○초`, `수원갑`), and a place named after a place
(`미국 뉴욕`) split or typed by what the article says of it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.countries import (
    COUNTRY_NAMES,
)
from analytics.nlp.entities.names import (
    ADMIN_RE,
    FOREIGN_STATE_RE,
    JOSA,
    ORG_SUFFIX_RE,
    is_korean_full_name,
    title_after,
)
from analytics.nlp.entities.people_table import _People
from analytics.nlp.entities.retype import _PLACE_ROLE_TITLES, _cut_from_word
from analytics.nlp.entities.surface import (
    _SITE_END_RE,
)
from analytics.nlp.entities.words import (
    _LOCATIVE_RE,
    _PARTICLE_END_RE,
    _dictionary_proper_noun,
    _titled,
)

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r" ([가-힣]{2,6})(?![가-힣])")
_LITERAL_RE_2 = re.compile(r"[가-힣]")
_LITERAL_RE_3 = re.compile(r"(?:과|와)?\s?,?\s?|,\s")
_LITERAL_RE_4 = re.compile(r"[가-힣]{2,4}")

# tenth session (tenth written set: domestic politics, local elections, the economy)
_DISTRICT_RE = re.compile(r"^[가-힣]{2,4}(시|군|구|읍|면)$")
# a district's head glued to its name (`양평군수`, `강서구청장`, `포항시장`, `○○읍장`; `…군수선거`): read after the stem
# (`양평` + `군수`) or after the district's suffix (`양평군` + `수`: the suffix is matched again, `name[-1]`)
_PLACE_ROLE_GLUED_RE = re.compile(r"(?:구청장|군수|시장|읍장|면장)(?=[^가-힣]|[은는이가을를의도과와에]|선거|$)")
_CONSTITUENCY_RE = re.compile(r"^([가-힣]{2,4})(갑|을|병)$")
# `이강덕 포항시장도`: a city's or province's head right after the person, a role (시장 alone is also a market: only here)
_PLACE_HEAD_ROLE_RE = re.compile(r"^[가-힣]{2,4}(?:시장|도지사)$")
_NAME_PARTICLES = frozenset({"델", "데", "다", "드", "디", "두", "도스", "다스", "델라", "데라", "반", "판", "폰", "본", "르", "라"})


def _district_and_school_types(texts: Sequence[str], out: list[list[Entity]], known: Mapping[str, str]) -> list[list[Entity]]:
    """Types a district's or a constituency's shape settles, and a foreign name cut at its particle:
    - a one-word person span shaped like a district (`홍성군`, `금정구`: stem + 시/군/구/읍/면) that no person's title
      follows is a place; on 구 (which ends many given names: 김민구) only after a place span (`부산 금정구청장에`),
      before a glued 청장, or on a stem known as a place;
    - a person span of a place + 갑/을/병 (`복기왕 의원(아산갑)`) is that constituency, a place;
    - a place span of a place + 대 (`목포대와`, `순천대 총장`) is the university, an organisation;
    - an organisation span shaped like a district listed with a district place (`예산군과 서산시`), or right before a
      glued 군수 / 시장 / 구청장 (`전남 영광군수`), is a place;
    - a person span ending in a name particle (`카를로스 델` + `토로`) takes the next word;
    - a place or body span of a city's or province's head right after a person (`이강덕 포항시장도`) is his role, no name;
    - a site (`포항제철소`) the article writes as a place somewhere (within its place's span) is a place throughout."""
    sites = {e.canonical for es in out for e in es if e.type == "LC" and _SITE_END_RE.search(e.canonical)}
    if sites:
        out = [[replace(e, type="LC") if e.type == "OG" and e.canonical in sites else e for e in es] for es in out]
    res = []
    for text, es in zip(texts, out, strict=True):
        row = [e for i, e in enumerate(es) if not (
            e.type in ("LC", "OG") and i and es[i - 1].type == "PS" and es[i - 1].end + 1 == e.start and _PLACE_HEAD_ROLE_RE.match(e.canonical))]
        for i, e in enumerate(row):
            name = e.canonical
            if " " in name or known.get(name) == "PS":
                if e.type == "PS" and " " in name and name.rsplit(" ", 1)[1] in _NAME_PARTICLES and text[e.end:e.end + 1] == " " and (
                        m := _LITERAL_RE_1.match(text[e.end:]) or re.match(
                            r" ([가-힣]{2,6}?)(?:" + "|".join(JOSA) + r")(?![가-힣])", text[e.end:])) and not any(
                            x.start == e.end + 1 for x in row):
                    full = name + " " + m.group(1)
                    row[i] = replace(e, text=text[e.start:e.end + 1 + len(m.group(1))], end=e.end + 1 + len(m.group(1)), canonical=full)
                continue
            after = text[e.end:]
            prev = row[i - 1] if i else None
            nxt = row[i + 1] if i + 1 < len(row) else None
            if e.type == "PS" and (m := _DISTRICT_RE.match(name)) and title_after(text, e.end) in (None, *_PLACE_ROLE_TITLES):
                glued = bool(_PLACE_ROLE_GLUED_RE.match(name[-1] + after))
                placed = prev is not None and prev.type == "LC" and prev.end + 1 == e.start
                if m.group(1) != "구" or glued or placed or known.get(name[:-1]) == "LC":
                    row[i] = replace(e, type="LC")
            elif e.type == "PS" and (m := _CONSTITUENCY_RE.match(name)) and (known.get(m.group(1)) == "LC" or ADMIN_RE.match(m.group(1))):
                row[i] = replace(e, type="LC")
            elif e.type == "LC" and len(name) >= 3 and name.endswith("대") and (known.get(name[:-1]) == "LC" or ADMIN_RE.match(name[:-1])) and (
                    not _LITERAL_RE_2.match(after[:1]) or _PARTICLE_END_RE.match(after)):
                row[i] = replace(e, type="OG")
            elif e.type == "OG" and _DISTRICT_RE.match(name) and not ORG_SUFFIX_RE.match(name) and known.get(name) != "OG" and nxt is not None and (
                    nxt.type == "LC" and ADMIN_RE.match(nxt.canonical) and _LITERAL_RE_3.fullmatch(text[e.end:nxt.start])):
                row[i] = replace(e, type="LC")
            elif e.type == "OG" and _LITERAL_RE_4.fullmatch(name) and known.get(name) != "OG" and _PLACE_ROLE_GLUED_RE.match(after) and (
                    prev is not None and prev.type == "LC" and prev.end + 1 == e.start):
                row[i] = replace(e, type="LC")
        res.append(row)
    return res


def _places_after_places(texts: Sequence[str], out: list[list[Entity]], article: str, people: _People,
                         known: Mapping[str, str]) -> list[list[Entity]]:
    """A one-word name right after a foreign state (`브란덴부르크주 그륀하이데에`), or after a country with
    a locative particle (`사우디아라비아 리야드에서`; `스웨덴 노스볼트가` is a company), is a place of it,
    when it is typed a person that no title follows anywhere and that is no part of a person's name
    (`미국 바이든 행정부` stays), or an organisation (after a state only: `영국 아스트라제네카` is the
    company) that no body's ending or title follows."""
    res = []
    for text, es in zip(texts, out, strict=True):
        row = list(es)
        for i in range(1, len(row)):
            a, b = row[i - 1], row[i]
            if a.type != "LC" or b.start != a.end + 1 or text[a.end] != " " or " " in b.canonical or b.type == "LC":
                continue
            state = bool(FOREIGN_STATE_RE.match(a.canonical))
            if not (state or a.canonical in COUNTRY_NAMES) or known.get(b.canonical) in ("OG", "PS") or is_korean_full_name(b.canonical):
                continue
            if b.type == "PS" and (people.by_part(b.canonical) or _titled(b.canonical, article)):
                continue
            if not state and not (_LOCATIVE_RE.match(text, b.end) or b.type == "PS" and _PARTICLE_END_RE.match(text, b.end) and (
                    _dictionary_proper_noun(b.canonical))):
                continue  # `스웨덴 노스볼트가`: after a country, a company as often as a city (`사우디아라비아 리야드를`:
                # a proper noun in Kiwi's dictionary, typed a person, is the city)
            if b.type == "OG" and (not state or ORG_SUFFIX_RE.match(b.canonical) or _titled(b.canonical, article)):
                continue
            if b.type in ("PS", "OG") and not _cut_from_word(text, b):
                row[i] = replace(b, type="LC")
        res.append(row)
    # the other one-word mentions follow through one_type_for_split_names (`리야드는 1차 투표에서`); a
    # multi-word name typed a place at least as often as a person, and never titled, is a place throughout
    # (`신장 위구르` in a headline, `신장 위구르 자치구의` in the body)
    kinds: dict[str, Counter] = {}
    for es in res:
        for e in es:
            if " " in e.canonical and " " in e.text:
                kinds.setdefault(e.canonical, Counter())[e.type] += 1
    places = {n for n, c in kinds.items() if c["PS"] and c["LC"] >= c["PS"] and not _titled(n, article)}
    if places:  # ... and a one-word mention resolved to it as a family name was no person (`위구르 여성들`)
        res = [[replace(e, type="LC") if e.type == "PS" and e.canonical in places and " " in e.text else e for e in es
                if not (e.type == "PS" and e.canonical in places and " " not in e.text)] for es in res]
    return res


# what joins two names of a list (`알레포와 홈스`, `박닌성과 타이응우옌성`, `라타키아, 타르투스`)
_LIST_JOIN_RE = re.compile(r"(?:와|과)\s|,\s?|·|ㆍ")


def _listed_with_places(texts: Sequence[str], out: list[list[Entity]], known: Mapping[str, str]) -> list[list[Entity]]:
    """Twelfth session: a one-word "person" listed with a place right before or after it (`라타키아와 타르투스의`,
    `박닌성과 타이응우옌성에`) is a place too, unless it is a person elsewhere in the article: a Korean full name, a name
    the lexicon has as a person, the last word of a person's multi-word name, or a word a title follows."""
    titled = {e.canonical for t, es in zip(texts, out, strict=True) for e in es if e.type == "PS" and title_after(t, e.end)}
    families = {w for es in out for e in es if e.type == "PS" and " " in e.canonical for w in e.canonical.split(" ")}
    res = []
    for text, es in zip(texts, out, strict=True):
        row = list(es)
        for i, e in enumerate(row):
            name = e.canonical
            if e.type != "PS" or " " in name or is_korean_full_name(name) or known.get(name) == "PS" or name in titled or name in families:
                continue
            prev = row[i - 1] if i else None
            nxt = row[i + 1] if i + 1 < len(row) else None
            if (prev is not None and prev.type == "LC" and _LIST_JOIN_RE.fullmatch(text[prev.end:e.start])) or (
                    nxt is not None and nxt.type == "LC" and _LIST_JOIN_RE.fullmatch(text[e.end:nxt.start])):
                row[i] = replace(e, type="LC")
        res.append(row)
    return res
