"""Within one article: every mention -> the referent an analyst would count it under.

Korean news names a person in full once (`윤석열 대통령`) and then by surname and title
(`윤 대통령`), a foreigner by family name (`머스크`), an organisation by its short name
(`민주당`), a country by a one-character abbreviation (`美`, `한·미`). `resolve_article` maps
each such short form to the full name the article gave (earlier, or in the body for a headline),
drops a short form nothing resolves (`이 대표` with no 이○○ in the article), and maps curated
abbreviations and short names to one referent (`analytics/models/ner/referents.tsv`); context
retypes what the lexicon does not know (`루시드 주가`, `솔라나 가격`, `업체 허츠`). The span clean-up
before it is `surface`, the country abbreviations `countries`, the name predicates `names`.
Corpus-wide merging (`머스크` in an article that never says `일론 머스크`) and the one type per
referent are decided at query time (`referents.merge_referents` via `analytics/queries/referents.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from analytics.nlp.entities.base import ATTACHED_TITLES, MODEL_DIR, Entity
from analytics.nlp.entities.countries import (  # noqa: F401  (COUNTRY_ABBREV: public here as before)
    COUNTRY_ABBREV,
    country_mentions,
    foreign_country_before,
    split_country_prefix,
)
from analytics.nlp.entities.names import (  # noqa: F401  (is_korean_full_name, SURNAMES: public here as before)
    ADMIN_RE,
    DETERMINERS,
    HANGUL_NAME,
    JOSA,
    ORG_SUFFIX_RE,
    SURNAME_TITLE_RE,
    SURNAME_TITLES,
    SURNAMES,
    is_korean_full_name,
    is_person_name,
    title_after,
)
from analytics.nlp.entities.spans import is_title
from analytics.nlp.entities.surface import (
    article_abbreviations,
    gloss_names,
    join_split_names,
    one_type_for_split_names,
    split_business_apposition,
    split_person_prefix,
    split_places,
    tidy,
)


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


class _People:
    """Full names given so far in an article, with the title each was last given."""

    def __init__(self) -> None:
        self.order: list[str] = []  # full names, most recent last
        self.title: dict[str, str] = {}

    def add(self, name: str, title: str | None) -> None:
        if name in self.order:
            self.order.remove(name)
        self.order.append(name)
        if title:
            self.title[name] = title

    def by_surname(self, surname: str, title: str | None) -> str | None:
        """The full name `surname + title` stands for: a Korean full name with that surname, else
        (a title always follows here) a one-word Hangul name starting with it (`리창` for
        `리 총리`, `시진핑` for `시 주석`)."""
        cands = [n for n in reversed(self.order) if is_korean_full_name(n) and n[0] == surname] or [
            n for n in reversed(self.order) if " " not in n and 2 <= len(n) <= 4 and n[0] == surname
            and HANGUL_NAME.match(n) and surname not in DETERMINERS]
        if title:
            titled = [n for n in cands if self.title.get(n) == title]
            if titled:
                return titled[0]
        return cands[0] if cands else None

    def by_part(self, word: str) -> str | None:
        """A foreign full name one of whose words is `word` (`머스크` -> `일론 머스크`), or a
        Korean full name whose given name is `word` (`석열` -> `윤석열`)."""
        for n in reversed(self.order):
            if " " in n and word in n.split(" "):
                return n
        for n in reversed(self.order):
            if is_korean_full_name(n) and len(word) >= 2 and n[1:] == word:
                return n
        return None


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
    later = _People()
    if known is None:
        from analytics.nlp.entities.recognizer import load_recognizer

        known = load_recognizer().known
    names = {e.canonical for ents in per_sentence for e in ents}
    glosses = gloss_names(texts, per_sentence, known)
    article = "\n".join(texts)
    per_sentence = [split_places(text, split_person_prefix(text, split_business_apposition(
        text, tidy(text, join_split_names(text, ents), known, refs, names, glosses), article), known), known)
        for text, ents in zip(texts, per_sentence, strict=True)]
    for text, ents in zip(texts, per_sentence, strict=True):
        for e in ents:
            if e.type == "PS" and is_person_name(e.canonical):
                later.add(e.canonical, title_after(text, e.end))
    out: list[list[Entity]] = []
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        body_names = later if k < n_head else _People()
        kept: list[Entity] = []
        countries = {e.start: e for e in country_mentions(text)}
        covered = [(e.start, e.end) for e in ents]
        for e in split_country_prefix(ents, countries):
            r = _resolve(text, e, people, body_names, later, refs, countries, known)
            if r is not None:
                kept.append(r)
                if r.type == "PS" and r.canonical == e.canonical and is_person_name(r.canonical):
                    people.add(r.canonical, title_after(text, e.end))
        for s, c in countries.items():
            if not any(a <= s < b for a, b in covered):
                kept.append(c)
        for m in SURNAME_TITLE_RE.finditer(text):
            s = m.start(1)
            if any(a <= s < b for a, b in covered) or s in countries:
                continue
            name = people.by_surname(m.group(1), m.group(2)) or body_names.by_surname(m.group(1), m.group(2))
            if name:
                kept.append(Entity("PS", f"{m.group(1)} {m.group(2)}", s, s + 1, name))
        out.append(sorted(kept, key=lambda x: x.start))
    return article_abbreviations(one_type_for_split_names(out))


@lru_cache(maxsize=65536)
def neighbour_type(form: str, top_n: int = 12, min_typed: int = 4, min_share: float = 0.75) -> str | None:
    """OG or LC when the proper nouns nearest to `form` in Kiwi's CoNg embedding (pretrained,
    shipped with kiwipiepy) are mostly gazetteer organisations or places; None otherwise or when
    Kiwi has no vector for the form. Used to retype a person mention (`도봉구` -> LC)."""
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


# a person span whose word goes on with no particle or title is part of a word (`오토|파일럿`)
_WORD_GOES_ON = re.compile(r"[가-힣]{2,}")
_CONTINUATIONS = JOSA + ATTACHED_TITLES + ("씨", "측", "등", "들", "家", "표", "발", "식", "이다", "이며", "이고", "였",
                                            "라고", "이라", "한테", "께", "님", "부부", "일가", "측근", "정부", "행정부", "마저", "조차",
                                            "밖에", "뿐", "라는", "란", "로서", "로써", "하고", "이랑", "다운", "다운", "같은")
# the word before a name that says it is a company (`업체 허츠`, `자산운용사 아크인베스트`)
_APPOSITION_RE = re.compile(r"(?:^|\s)(?:업체|기업|회사|스타트업|제조사|제조업체|제약사|투자은행|증권사|운용사|자산운용사|은행|"
                            r"브랜드|매체|방송사|신문사|통신사|완성차|렌터카업체|합작사|합작법인|자회사|계열사|모회사)\s$")
_ROLE_AFTER_PLACE_RE = re.compile(r"^([가-힣]{1,5}(?:시|도|구|군)|경기|강원|충북|충남|전북|전남|경북|경남|제주|서울|부산|대구|인천|광주|"
                                  r"대전|울산|세종)(청장|구청장|시장|군수|도지사|지사|교육감|민|주민)$")
_LC_ORG_RE = re.compile(r"^[가-힣A-Za-z]{2,}(?:대학교|대학|위원회|협회|공사|은행|그룹|전자|자동차|재단|연구소|FC|지청|지검|지법|"
                        r"법원|검찰청|캐피털|캐피탈|파트너스|홀딩스|증권|자산운용|인베스트먼트|벤처스|모터스|제약|바이오|"
                        r"에너지|솔루션|통신|신문|방송)$")


# what follows a "person" and shows it is an asset or a listed company (`비트코인 가격`, `니콜라 주가`),
# also after a list (`솔라나와 리플 가격`)
_CUE_AFTER_RE = re.compile(r"(?:(?:와|과|,|및|이나)\s*[^\s,]+\s*)*\s*(가격|시세|코인|주가|시가총액|시총|주식)"
                           r"(?=[이은는을를도의가과와에\s.,]|$)")
_NOT_PERSON_ENDINGS = ("코인", "토큰", "세", "법", "법안")
# what may follow a place inside one written word (`미국발`, `중국산`, `서울시민`, `부산항`)
_PLACE_CONTINUATIONS = JOSA + ("발", "산", "계", "형", "식", "풍", "내", "외", "간", "측", "인", "행", "전", "판", "민", "역",
                                "항", "주", "성", "청", "권", "시", "도", "구", "군", "읍", "면", "동", "리", "당국", "정부", "증시",
                                "지사", "교육청", "경찰")


def _place_cut_from_word(text: str, e: Entity, known: Mapping[str, str]) -> bool:
    """Only a one-syllable rest that is no particle or place suffix (`반도|체`, `서울|대`): longer
    rests are mostly compounds that do name the place (`인천공항`, `제주지역`, `이천물류센터`)."""
    m = re.match(r"[가-힣]+", text[e.end:])
    if m is None or len(m.group(0)) != 1 or len(e.canonical) < 2 or not re.fullmatch(r"[가-힣]+", e.canonical):
        return False
    word = e.canonical + m.group(0)
    return m.group(0) not in _PLACE_CONTINUATIONS + ("서", "엔") and known.get(word) in (None, "O")


def _cut_from_word(text: str, e: Entity) -> bool:
    m = _WORD_GOES_ON.match(text, e.end)
    return m is not None and not m.group(0).startswith(_CONTINUATIONS)


def _resolve(text: str, e: Entity, people: _People, head_names: _People, later: _People,
             refs: dict[str, tuple[str, str]], countries: dict[int, Entity], known: dict[str, str]
             ) -> Entity | None:
    """One mention -> itself, its referent, or None (dropped); see `resolve_article`."""
    name = e.canonical
    if len(name) == 1:
        # a lone syllable or letter: a country abbreviation standing for its country, a surname
        # before a title that the article resolves, or nothing (`A씨`, `미` inside a phrase)
        if e.start in countries:
            return replace(countries[e.start], end=e.end)
        if name in SURNAMES:
            title = title_after(text, e.end)
            full = (people.by_surname(name, title) or head_names.by_surname(name, title)) if title else None
            if not full:  # a surname stands for a person only with a title (`한일` is no 한동훈)
                return None
            return replace(e, type="PS", canonical=full, text=f"{name} {title}" if title else name)
        return None
    title = name[1:].lstrip(" ")
    m = SURNAME_TITLE_RE.match(text, e.start) if e.type == "PS" and len(name) >= 2 and (
        name[1] == " " or name[0] in SURNAMES) else None
    if m is None and e.type == "PS" and len(name) >= 2 and name[0] in SURNAMES and (title in SURNAME_TITLES or (
            name[1] == " " and is_title(title))):
        m = re.match(r"(.)\s?(.+)", name)
    if m is not None and (name[1] == " " or name[0] in SURNAMES):
        # `정총리`, `김 비서관`, `윤 원내(대표)`, `리 총리`: one syllable with its title, attached or not
        sur, title = m.group(1), m.group(2)
        full = people.by_surname(sur, title) or head_names.by_surname(sur, title)
        return replace(e, canonical=full, text=f"{sur} {title}") if full else None
    if e.type in ("OG", "LC") and " " not in name and known.get(name) is None and refs.get(name) is None and (
            (full := people.by_part(name) or later.by_part(name)) and " " in full):
        return replace(e, type="PS", canonical=full)  # `러몬도`, `잉엔라트` typed as a place or company
    if e.type == "PS" and (cue := _CUE_AFTER_RE.match(text, e.end)) is not None and not is_korean_full_name(name) and (
            known.get(name) != "PS" and not (people.by_part(name) or later.by_part(name))):  # `머스크 주가 조작`
        if cue.group(1) in ("가격", "시세", "코인"):
            return None  # `비트코인 가격`, `솔라나와 리플 가격`: an asset has a price, a person has none
        e = replace(e, type="OG")  # `니콜라 주가`, `루시드 시가총액`: a listed company
    if e.type == "PS" and name.endswith(_NOT_PERSON_ENDINGS) and len(name) >= 4 and " " not in name:
        return None  # `도지코인`, `억만장자세`: a coin, a tax, a bill
    ref = refs.get(name)
    if ref is not None and ref[1] == "OG" and ref[0] != name and (country := foreign_country_before(text, e.start)):
        return replace(e, canonical=f"{country} {name}")  # `미국 민주당` is not 더불어민주당
    if ref is not None:
        if ref[0] == "-":  # a common noun KLUE tags (`정부`, `경찰`): not counted
            return None
        return replace(e, canonical=ref[0], type=ref[1] if ref[1] else e.type)
    if e.type == "PS" and " " not in name and (full := people.by_part(name) or later.by_part(name)) and " " in full:
        return replace(e, canonical=full)  # `러몬도` -> 지나 러몬도 before any retyping (CoNg may call it a place)
    if e.type == "PS" and known.get(name) in ("OG", "LC"):
        return replace(e, type=known[name])  # `니콜라`, `벤츠`: a known company or place
    if name.endswith("지수"):  # an index (`다우존스30산업평균지수`) is no organisation
        return None
    if e.type == "PS" and ORG_SUFFIX_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="OG")  # `옥스퍼드대`, `약심위`: an institution's (short) name
    if e.type == "PS" and _cut_from_word(text, e):
        return None  # `오토` out of `오토파일럿`: part of a word, no name
    if e.type == "LC" and _place_cut_from_word(text, e, known):
        return None  # `반도` out of `반도체`
    if e.type in ("PS", "LC") and _APPOSITION_RE.search(text, 0, e.start) and known.get(name) not in ("PS", "LC"):
        return replace(e, type="OG")  # `렌터카 업체 허츠`, `합작사 블루오벌SK`: a company
    if e.type == "PS" and " " not in name and ADMIN_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="LC")  # `대장동`: a district's name
    if e.type in ("LC", "OG") and (role := _ROLE_AFTER_PLACE_RE.match(name)) and refs.get(name) is None:
        if role.group(2) in ("민", "주민"):  # `강서구민`: the district's residents -> the district
            return replace(e, type="LC", canonical=role.group(1))
        return None  # `강서구청장`, `경기지사`: a role, not a place (the person is named on its own)
    if e.type == "LC" and _LC_ORG_RE.match(name):
        return replace(e, type="OG")  # `성남FC`, `서울중앙지검`, `처칠캐피털`: an institution or company
    if e.type in ("LC", "OG") and name.endswith("증시") and known.get(name[:-2]) == "LC":
        return replace(e, type="LC", canonical=name[:-2])  # `홍콩증시` -> 홍콩
    if e.type == "PS" and " " not in name and (nb := neighbour_type(name)) is not None:
        return replace(e, type=nb)  # `도봉구`: Kiwi's CoNg neighbours are all districts
    if e.type == "PS" and " " not in name:
        full = people.by_part(name) or later.by_part(name)
        if full and (" " in full or not is_korean_full_name(name)):
            return replace(e, canonical=full)
    return e
