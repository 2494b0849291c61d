"""Across a corpus: the forms of one referent merged, and one type per referent.

Within an article `canonical.resolve_article` already maps short forms to the full name the
article gives. An article that only says `머스크` or `바이든` (a headline, a 200-character BIG
Kinds excerpt) is merged here, at query time, with the corpus's full name (`일론 머스크`,
`조 바이든`) when one full name clearly dominates; a referent's type is the type most of its
mentions carry, so `북한` is counted in one list only. Pure: names and counts in, a map out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from analytics.nlp.entities.names import FOREIGN_STATE_RE

# A short form is merged into a full name only when that full name holds at least this share of
# the mentions of all full names containing the short form (`트럼프` -> 도널드 트럼프, not when
# 이방카 트럼프 is nearly as frequent).
DOMINANT_SHARE = 0.7


def is_abbreviation(short: str, full: str) -> bool:
    """`SEC` for 증권거래위원회 (an all-capitals gloss of a Hangul name), `공수처` for 고위공직자범죄수사처 (its
    syllables in order in the name, the name at least two syllables longer)."""
    if re.fullmatch(r"[A-Z][A-Z0-9&]{1,6}", short):
        return re.fullmatch(r"[가-힣 ]{3,}", full) is not None  # not `SK` of SK온: a span cut short
    if not re.fullmatch(r"[가-힣]{2,5}", short) or len(full) < len(short) + 2 or full.startswith(short) or not (
            full[-1] == short[-1] or short[-1] == "위" and full.endswith("위원회")):
        return False  # `현대` of 현대모비스 is cut short, no abbreviation
    i = 0
    for ch in full:
        if i < len(short) and ch == short[i]:
            i += 1
    return i == len(short)


def merge_referents(stats: Iterable[tuple[str, str, int]], fixed: frozenset[str] = frozenset(),
                    abbreviations: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """(name, type, mentions) rows -> name -> (referent name, referent type) for every name.

    A city, district, county or province named with its 시/구/군/도 goes to the bare name when the corpus
    also has it as a place (`인천시` -> 인천, `강서구` -> 강서, `예천군` -> 예천, `경북도` -> 경북, `조지아주` -> 조지아), a company with `사` to its bare name (`화이자사`), a
    company name with 차 for 자동차 to the official form when the corpus has it (`현대차그룹` ->
    현대자동차그룹), an airline's short name to the full one (`아시아나` -> 아시아나항공), a financial holding's to its
    official name (`KB금융` -> KB금융지주), an organisation's
    abbreviation to the full name some article wrote it for (`abbreviations`: short -> full, read off the
    articles' surfaces: `공수처` written for 고위공직자범죄수사처, `SEC` for 증권거래위원회).
    A one-word person name (`머스크`, `일론`) goes to the multi-word person name holding it as a
    word (`일론 머스크`) when that name dominates, and so does a one-word name of another type when
    that person has more than twice its mentions (`머스크` typed OG: still Musk; `포드` stays); `fixed` names (user alias targets) are never
    moved. The referent's type is the type with most mentions over all its merged names."""
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    for name, typ, n in stats:
        by_type[name][typ] = by_type[name].get(typ, 0) + int(n)
    total = {name: sum(t.values()) for name, t in by_type.items()}
    ps = {name for name, t in by_type.items() if t.get("PS", 0) * 2 >= total[name]}
    holders: dict[str, list[str]] = defaultdict(list)
    for name in ps:
        words = name.split(" ")
        if len(words) > 1:
            for w in set(words):
                holders[w].append(name)
    target: dict[str, str] = {}
    places = {name for name, t in by_type.items() if t.get("LC", 0) * 2 >= total[name]}
    orgs = {name for name, t in by_type.items() if t.get("OG", 0) * 2 >= total[name]}
    # `현대차그룹` and `현대자동차그룹`, `쌍용차` and `쌍용자동차`: 차 abbreviates 자동차 in company names
    official = {name.replace("자동차", "차"): name for name in orgs if "자동차" in name}
    for name in by_type:
        stem = name[:-1]
        full = official.get(name) if name in orgs and "차" in name and "자동차" not in name else None
        if full is None and name in orgs and name + "항공" in orgs:
            full = name + "항공"  # `아시아나` beside `아시아나항공`: an airline's short name
        if full is None and name in orgs and name.endswith("금융") and len(name) >= 3 and name + "지주" in orgs:
            full = name + "지주"  # thirteenth session: `KB금융` beside `KB금융지주`: a financial holding's usual and official names
        if full is None and abbreviations and name in orgs and abbreviations.get(name) in orgs:
            full = abbreviations[name]  # `공수처` in the articles that never write 고위공직자범죄수사처
        if full and name not in fixed:
            target[name] = full
            continue
        if len(stem) >= 2 and name not in fixed and (
                name in places and (name.endswith(("시", "도", "구", "군")) or FOREIGN_STATE_RE.match(name)) and stem in places
                # `인천시`, `경북도`; a foreign state `조지아주`, `텍사스주` beside `조지아`, `텍사스`
                or name in orgs and name.endswith("사") and stem in orgs):  # `아스트라제네카사`
            target[name] = stem  # -> 인천, 경북, 아스트라제네카 when the corpus also names the bare form
            continue
        cands = holders.get(name) if " " not in name and name not in fixed else None
        if not cands:
            target[name] = name
            continue
        best = max(cands, key=lambda x: (total[x], x))
        share = total[best] / sum(total[x] for x in cands)
        # a name counted mostly as an organisation or place (`머스크` typed OG in two excerpts) goes to the
        # person only when that person outnumbers it (`포드` the company stays, beside `헨리 포드`)
        target[name] = best if share >= DOMINANT_SHARE and (name in ps or total[best] > 2 * total[name]) else name
    types: dict[str, dict[str, int]] = defaultdict(dict)
    for name, ref in target.items():
        for typ, n in by_type[name].items():
            types[ref][typ] = types[ref].get(typ, 0) + n
    rtype = {ref: max(t, key=lambda k: (t[k], k == "PS", k)) for ref, t in types.items()}
    return {name: (ref, rtype[ref]) for name, ref in target.items()}
