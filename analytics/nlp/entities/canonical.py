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
from collections import ChainMap, Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from analytics.nlp.entities.base import ATTACHED_TITLES, MODEL_DIR, Entity
from analytics.nlp.entities.countries import (  # noqa: F401  (COUNTRY_ABBREV: public here as before)
    COUNTRY_ABBREV,
    COUNTRY_ALIASES,
    COUNTRY_NAMES,
    country_mentions,
    foreign_country_before,
    split_country_prefix,
)
from analytics.nlp.entities.names import (  # noqa: F401  (is_korean_full_name, SURNAMES: public here as before)
    ADMIN_RE,
    APPOSITION_NOUNS,
    COMMON_SURNAMES,
    DETERMINERS,
    FOREIGN_STATE_RE,
    HANGUL_NAME,
    JOSA,
    ORG_SUFFIX_RE,
    SURNAME_TITLE_RE,
    SURNAME_TITLES,
    SURNAMES,
    apposition_title,
    has_proper_noun,
    is_korean_full_name,
    is_person_name,
    is_title_word,
    title_after,
    titles_match,
    word_morphs,
)
from analytics.nlp.entities.spans import is_title
from analytics.nlp.entities.surface import (
    _SITE_END_RE,
    article_abbreviations,
    clubs_named_in_full,
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
    """Full names given so far in an article, with the titles each was given (with the full name,
    `이재명 더불어민주당 대표`, or by a short form that resolved to it, `김 대표`)."""

    def __init__(self, prefer_first: bool = False) -> None:
        self.order: list[str] = []  # full names, most recent last
        self.first: list[str] = []  # full names in the order they were first given
        self.title: dict[str, set[str]] = {}
        self.short: dict[str, set[str]] = {}  # titles of the short forms resolved to each (`김 실장` said of 김대기)
        self.pos: dict[str, tuple[int, int]] = {}  # (sentence, offset) where each was last given in full
        # the whole article's names, for a headline: its `바이든` is the one the body names first (조 바이든),
        # not the last (질 바이든 여사)
        self.prefer_first = prefer_first
        # titles the whole article gives each full name (also after a short form: a caption's `권영세 국민의힘
        # 비상대책위원장이`), read when no name given so far carries the short form's title
        self.anywhere: dict[str, set[str]] = {}

    def add(self, name: str, title: str | None, pos: tuple[int, int] | None = None) -> None:
        if " " in name and (name.rsplit(" ", 1)[1] in SURNAME_TITLES or is_title(name.rsplit(" ", 1)[1])):
            return  # `추 부총리` as the recognizer's span: a short form, no full name
        if name in self.order:
            self.order.remove(name)
        else:
            self.first.append(name)
        self.order.append(name)
        if pos is not None:
            self.pos[name] = pos
        self.note(name, title)

    def said(self, name: str, title: str) -> None:
        """`김 대표` resolved to 김기현: his title from now on, and the short title he goes by."""
        self.note(name, title)
        self.short.setdefault(name, set()).add(title)

    def _full(self, name: str, surname: str) -> bool:
        """A Korean full name of that surname; also a two-syllable one given with a title (`김용 전 민주연구원
        부원장`, `박진 외교부 장관`, `김행 전 청와대 대변인`)."""
        return name[0] == surname and (is_korean_full_name(name) or (
            len(name) == 2 and surname in SURNAMES and bool(HANGUL_NAME.match(name)) and bool(self.title.get(name))))

    def by_preference(self) -> list[str]:
        return list(self.first) if self.prefer_first else list(reversed(self.order))

    def note(self, name: str, title: str | None) -> None:
        if title:
            self.title.setdefault(name, set()).add(title)

    def by_surname(self, surname: str, title: str | None) -> str | None:
        """The full name `surname + title` stands for: a Korean full name with that surname, else
        (a title always follows here) a one-word Hangul name starting with it (`리창` for
        `리 총리`, `시진핑` for `시 주석`), else a foreign name ending in that syllable (`팀 쿡` for
        `쿡 CEO`, `윌리엄 리` for `리 회장`). Among several, the most recent one given a fitting
        title (`이 대표` is 이재명 대표, not the 이화영 전 부지사 named since), else the most recent
        one given no title, else the most recent."""
        cands = [n for n in reversed(self.order) if self._full(n, surname)] or [
            n for n in reversed(self.order) if " " not in n and 2 <= len(n) <= 4 and n[0] == surname
            and HANGUL_NAME.match(n) and surname not in DETERMINERS] or [
            n for n in reversed(self.order) if " " in n and n.rsplit(" ", 1)[1] == surname]  # `쿡 CEO`: 팀 쿡
        if title and len(cands) > 1:
            titled = [n for n in cands if any(titles_match(t, title) for t in self.title.get(n, ()))]
            # `이 전 대표` is the former one (이준석 전 대표), `이 대표` the one in office (이재명 대표)
            former = [n for n in titled if any(titles_match(t, title) and t.startswith("전 ") == title.startswith("전 ")
                                               for t in self.title.get(n, ()))]
            # tenth session: `권 위원장` before the caption titles 권영세 so is him, not the untitled 권성동 of the headline
            elsewhere = [] if titled else [n for n in cands if any(titles_match(t, title) for t in self.anywhere.get(n, ()))]
            untitled = [n for n in cands if not self.title.get(n)]
            # one person goes by one short title in an article: 김대기 called `김 실장` is not the `김 후보자`
            unclaimed = [n for n in cands if all(titles_match(t, title) for t in self.short.get(n, ()))]
            return self._first_of_pair(former or titled or elsewhere or untitled or unclaimed or cands)
        return cands[0] if cands else None

    def _first_of_pair(self, cands: list[str]) -> str:
        """The most recent of `cands`, except that of equal candidates last named in one sentence (`이낙연 전
        더불어민주당 대표와 이준석 전 국민의힘 대표가`) the next paragraph's `이 전 대표` is the first named."""
        if len(cands) > 1 and (a := self.pos.get(cands[0])) and (b := self.pos.get(cands[1])) and a[0] == b[0]:
            return min((n for n in cands if self.pos.get(n, (-1, 0))[0] == a[0]), key=lambda n: self.pos[n][1])
        return cands[0]

    def by_part(self, word: str) -> str | None:
        """A foreign full name one of whose words is `word` (`머스크` -> `일론 머스크`), or a
        Korean full name whose given name is `word` (`석열` -> `윤석열`)."""
        for n in self.by_preference():
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
        w := e.canonical.rsplit(" ", 1)[1]) and re.fullmatch(r"[가-힣]{3,6}", w) and not is_title(w) and known.get(w) is None}
    per_sentence = [split_places(text, split_person_prefix(text, split_business_apposition(
        text, tidy(text, join_split_names(text, ents, article, known), known, refs, names, glosses), article), with_latin,
        families), known) for text, ents in zip(texts, per_sentence, strict=True)]
    per_sentence = _context_retypes(texts, per_sentence, known, split=True)
    # `surname + title` matches of each sentence, found once (read by `_untagged_titled_names` and below)
    surname_titles = [list(SURNAME_TITLE_RE.finditer(text)) for text in texts]
    per_sentence = clubs_named_in_full(_untagged_titled_names(
        texts, _given_names(texts, _cut_full_names(texts, _people_spans(texts, per_sentence), article), known), known,
        surname_titles), article, known)
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
    out = _district_and_school_types(texts, out, known)
    out = _places_after_places(texts, out, article, later, known)
    if "(" in article and (aged := _aged_names(article)):
        out = [_aged_people(text, es, aged) for text, es in zip(texts, out, strict=True)]
    out[:n_head] = [[_party_short_form(e, refs, article) for e in es] for es in out[:n_head]]
    return article_abbreviations(one_type_for_split_names(out, article, known, retype))


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
        for m in re.finditer(r"(?<![가-힣])" + re.escape(name) + r"(?=[(\s,.…'’\"”]|" + _PARTICLE_END_RE.pattern + r"|$)", text):
            if not any(e.start < m.end() and m.start() < e.end for e in out):
                out.append(Entity("PS", name, m.start(), m.end(), name))
    return sorted(out, key=lambda x: x.start)


def _party_short_form(e: Entity, refs: Mapping[str, tuple[str, str]], article: str) -> Entity:
    """A headline's party cut to its first syllables (`민주 "특검 해야"` for 민주당, `국힘`-style forms the
    curated table has not): the party the article names with `당` (or by its full name)."""
    if e.type != "OG" or len(e.canonical) < 2 or not re.fullmatch(r"[가-힣]+", e.canonical) or refs.get(e.canonical):
        return e
    party = e.canonical + "당"
    ref = refs.get(party, (party, "OG"))[0]
    return replace(e, canonical=ref) if ref != "-" and (party in article or ref in article) else e


# tenth session (tenth written set: domestic politics, local elections, the economy)
_DISTRICT_RE = re.compile(r"^[가-힣]{2,4}(시|군|구|읍|면)$")
_GLUED_PLACE_ROLE_RE = re.compile(r"(?:청장|수|장)(?=[^가-힣]|[은는이가을를의도과와에]|선거|$)")
_CONSTITUENCY_RE = re.compile(r"^([가-힣]{2,4})(갑|을|병)$")
# `이강덕 포항시장도`: a city's or province's head right after the person, a role (시장 alone is also a market: only here)
_PLACE_HEAD_ROLE_RE = re.compile(r"^[가-힣]{2,4}(?:시장|도지사)$")
_NAME_PARTICLES = frozenset({"델", "데", "다", "드", "디", "두", "도스", "다스", "델라", "데라", "반", "판", "폰", "본", "르", "라"})
_PLACE_ROLE_GLUED_RE = re.compile(r"(?:군수|시장|구청장|군수선거|시장선거)(?=[^가-힣]|[은는이가을를의도과와에]|$)")


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
                        m := re.match(r" ([가-힣]{2,6})(?![가-힣])", text[e.end:]) or re.match(
                            r" ([가-힣]{2,6}?)(?:" + "|".join(JOSA) + r")(?![가-힣])", text[e.end:])) and not any(
                            x.start == e.end + 1 for x in row):
                    full = name + " " + m.group(1)
                    row[i] = replace(e, text=text[e.start:e.end + 1 + len(m.group(1))], end=e.end + 1 + len(m.group(1)), canonical=full)
                continue
            after = text[e.end:]
            prev = row[i - 1] if i else None
            nxt = row[i + 1] if i + 1 < len(row) else None
            if e.type == "PS" and (m := _DISTRICT_RE.match(name)) and title_after(text, e.end) in (None, *_PLACE_ROLE_TITLES):
                glued = bool(_GLUED_PLACE_ROLE_RE.match(after))
                placed = prev is not None and prev.type == "LC" and prev.end + 1 == e.start
                if m.group(1) != "구" or glued or placed or known.get(name[:-1]) == "LC":
                    row[i] = replace(e, type="LC")
            elif e.type == "PS" and (m := _CONSTITUENCY_RE.match(name)) and (known.get(m.group(1)) == "LC" or ADMIN_RE.match(m.group(1))):
                row[i] = replace(e, type="LC")
            elif e.type == "LC" and len(name) >= 3 and name.endswith("대") and (known.get(name[:-1]) == "LC" or ADMIN_RE.match(name[:-1])) and (
                    not re.match(r"[가-힣]", after[:1]) or _PARTICLE_END_RE.match(after)):
                row[i] = replace(e, type="OG")
            elif e.type == "OG" and _DISTRICT_RE.match(name) and not ORG_SUFFIX_RE.match(name) and known.get(name) != "OG" and nxt is not None and (
                    nxt.type == "LC" and ADMIN_RE.match(nxt.canonical) and re.fullmatch(r"(?:과|와)?\s?,?\s?|,\s", text[e.end:nxt.start])):
                row[i] = replace(e, type="LC")
            elif e.type == "OG" and re.fullmatch(r"[가-힣]{2,4}", name) and known.get(name) != "OG" and _PLACE_ROLE_GLUED_RE.match(after) and (
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


_LOCATIVE_RE = re.compile(r"(?:에서|에|으로|로|까지)(?![가-힣])")


def _dictionary_proper_noun(word: str) -> bool:
    """Kiwi's dictionary has `word` as one proper noun (`리야드`; `노스볼트` it does not know)."""
    toks = word_morphs(word)
    return len(toks) == 1 and toks[0][0] == "NNP" and toks[0][1] > 3


def _titled(word: str, article: str) -> bool:
    """`word` stands before a title somewhere in the article."""
    return any(title_after(article, m.end()) for m in re.finditer(r"(?<![가-힣A-Za-z])" + re.escape(word) + r"(?![가-힣A-Za-z])", article))


# words before a title that say which holder, not who (`신임 대표`, `당시 장관`, `공동 대표`)
_HOLDER_WORDS = frozenset({"신임", "전임", "후임", "당시", "현직", "전직", "공동", "초대", "차기", "역대", "수석", "상임", "명예",
                           "사무", "대행", "직무", "임시", "해당", "이날", "단독", "각자", "현지", "부대", "전현직", "전문",
                           "정부", "국가", "여당", "야당", "지역", "시민", "주민", "국회", "당내", "외부", "내부", "한국", "우리"})


# particles that end no Korean name (unlike 이, 가, 도, 만, 로)
_CLEAR_PARTICLES = ("에서", "에게", "으로", "까지", "부터", "에는", "에도", "와의", "과의", "은", "는", "을", "를", "의", "에", "과", "와")


def _untagged_titled_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str],
                           titled: Sequence[Sequence[re.Match]]) -> list[list[Entity]]:
    """A name the recognizer left untagged (`친강 외교부장`, `전진선 양평군수는`, `왕이 … 위원`) when the
    article's `surname + title` (`친 부장`, `전 군수`, `왕 부장`) has no tagged name to stand for: the one
    untagged word of two to four syllables starting with that syllable that stands before a title
    (with its affiliation between) is that person, and so is every occurrence of that word on its own
    (`친강은`, `친강을`). Common nouns (`신임 대표`, Kiwi's one-noun words) and known names are never taken."""
    # a lone syllable the recognizer cut off the name (`박` of `박진 외교부 장관`) does not cover the word
    # (nor does the recognizer's own `surname + title` span: `유 부총재`, tenth session)
    spans = [[(e.start, e.end) for e in ents if (e.end - e.start > 1 or e.type != "PS") and not (
        e.type == "PS" and SURNAME_TITLE_RE.fullmatch(text[e.start:e.end]))] for text, ents in zip(texts, per_sentence, strict=True)]
    # the first sentence naming someone of each first syllable (`박구연` named after `박 장관` leaves it unresolved)
    tagged: dict[str, int] = {}
    for k, ents in enumerate(per_sentence):
        for e in ents:
            if e.type == "PS" and is_person_name(e.canonical) and not SURNAME_TITLE_RE.fullmatch(e.canonical):
                tagged.setdefault(e.canonical[0], k)
    short: set[str] = set()
    for k, matches in enumerate(titled):
        for m in matches:
            s = m.start(1)  # the recognizer may have tagged the lone syllable (`왕` of `왕 부장`)
            if tagged.get(m.group(1), k + 1) > k and not any(a <= s < b and (b - a > 1) for a, b in spans[k]) and m.end(1) < m.start(2) and (
                    m.group(1) not in DETERMINERS or m.group(1) in SURNAMES):
                short.add(m.group(1))  # written apart only (`당대표`, `부대표` glued are words); `두 대표` = two
    if not short:
        return [list(ents) for ents in per_sentence]
    word_re = re.compile(r"(?<![가-힣A-Za-z0-9])([" + "".join(sorted(short)) + r"][가-힣]{1,3})(?![가-힣])")
    found: dict[str, int] = {}
    for k, text in enumerate(texts):
        for m in word_re.finditer(text):
            w = m.group(1)
            if any(a < m.end() and m.start() < b for a, b in spans[k]) or w in _HOLDER_WORDS or known.get(w) in ("OG", "LC", "O"):
                continue
            if any(w.endswith(j) and len(w) - len(j) >= 2 for j in _CLEAR_PARTICLES):
                continue  # `당대표에`: a word with its particle (`왕이` stays: no two-syllable stem; names end in 이/도/만)
            if apposition_title(text, m.end()) and not _common_noun(w):
                found[w] = found.get(w, 0) + 1
    names: dict[str, str] = {}
    for w in sorted(found, key=lambda x: -found[x]):
        names.setdefault(w[0], w)  # one name per syllable: the one most often titled
    if not names:
        return [list(ents) for ents in per_sentence]
    keep = set(names.values())
    occ_re = re.compile(r"(?<![가-힣A-Za-z0-9])(" + "|".join(map(re.escape, keep)) + r")(?=" + "|".join(JOSA) + r"|[^가-힣]|$)")
    out = []
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        extra = [Entity("PS", m.group(1), m.start(1), m.end(1), m.group(1)) for m in occ_re.finditer(text)
                 if not any(a < m.end(1) and m.start(1) < b for a, b in spans[k]) and (
                     _PARTICLE_END_RE.match(text, m.end(1)) or not re.match(r"[가-힣]", text[m.end(1):m.end(1) + 1]))]
        if extra:
            starts = {x.start for x in extra}
            ents = [e for e in ents if not (e.type == "PS" and e.end - e.start == 1 and e.start in starts)]
        out.append(sorted(list(ents) + extra, key=lambda x: x.start) if extra else list(ents))
    return out


# particles no Korean given name ends in (names do end in 이, 가, 도, 만, 로)
_CUT_NAME_PARTICLES = frozenset("은는을를의에와과")


def _cut_full_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], article: str) -> list[list[Entity]]:
    """A person span that stops inside a word (`한진` of a headline's `한진만`, Kiwi reading 만 as "only") is that word when
    it is a Korean full name the article writes before a title (`삼성전자 한진만 파운드리사업부장은`); so is every
    occurrence of the word on its own, tagged or not (tenth session)."""
    words: set[str] = set()
    for text, ents in zip(texts, per_sentence, strict=True):
        for e in ents:
            if e.type == "PS" and " " not in e.canonical and e.end < len(text) and re.match(r"[가-힣]", text[e.end]):
                m = re.match(r"[가-힣]+", text[e.start:])
                w = m.group(0) if m else ""
                if len(w) == len(e.canonical) + 1 and w[-1] not in _CUT_NAME_PARTICLES and is_korean_full_name(w) and w not in words and any(
                        apposition_title(article, a.end()) for a in re.finditer(r"(?<![가-힣])" + w + r"(?![가-힣])", article)) and not any(
                        apposition_title(article, a.end()) for a in re.finditer(r"(?<![가-힣])" + e.canonical + r"(?![가-힣])", article)):
                    words.add(w)  # (`김용 전 부원장` written: 김용 is the name, `김용은 …` its particle)
    if not words:
        return [list(ents) for ents in per_sentence]
    occ = re.compile(r"(?<![가-힣A-Za-z0-9])(" + "|".join(sorted(words)) + r")(?=" + "|".join(JOSA) + r"|[^가-힣]|$)")
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        hits = list(occ.finditer(text))
        if not hits:
            out.append(list(ents))
            continue
        row = [e for e in ents if not any(e.type == "PS" and e.start == m.start(1) and e.end < m.end(1) for m in hits)]
        row += [Entity("PS", m.group(1), m.start(1), m.end(1), m.group(1)) for m in hits
                if not any(e.start < m.end(1) and m.start(1) < e.end for e in row)]
        out.append(sorted(row, key=lambda x: x.start))
    return out


def _people_spans(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]]) -> list[list[Entity]]:
    """A long foreign name the recognizer cut in two (`루이스 이나시우` + `룰라 다시우바`, one space between):
    one person."""
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row: list[Entity] = []
        for e in ents:
            p = row[-1] if row else None
            if (p is not None and p.type == e.type == "PS" and e.start == p.end + 1 and text[p.end] == " " and p.canonical.count(" ") == 1
                    and e.canonical.count(" ") == 1 and apposition_title(text, e.end)):  # a title follows: one person
                row[-1] = replace(p, end=e.end, text=text[p.start:e.end], canonical=f"{p.canonical} {e.canonical}")
                continue
            row.append(e)
        out.append(row)
    return out


def _given_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str]) -> list[list[Entity]]:
    """A foreign family name of one or two syllables tagged alone (`싱` of `자그딥 싱 퀀텀스케이프 CEO`) with
    the given name before it untagged: the whole name, when that word is no common noun, title or known name."""
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = list(ents)
        for i, e in enumerate(row):
            if e.type != "PS" or " " in e.canonical or len(e.canonical) > 2 or text[e.start:e.end] != e.canonical or (
                    i and row[i - 1].end > e.start - 6):
                continue
            m = re.search(r"(?:^|(?<=[\s'\"‘“(]))([가-힣]{2,4})\s$", text[max(0, e.start - 8):e.start])
            w = m.group(1) if m else ""
            if (m and w not in _HOLDER_WORDS and known.get(w) is None and not is_title_word(w) and w not in SURNAME_TITLES
                    and not _common_noun(w) and not _common_nouns_only(w) and not is_korean_full_name(w) and title_after(text, e.end) is None
                    and re.fullmatch(r"[가-힣]{1,2}", e.canonical) and _bare_word(w) and apposition_title(text, e.end)):
                s = e.start - len(w) - 1
                row[i] = replace(e, start=s, text=text[s:e.end], canonical=f"{w} {e.canonical}")
                continue
            # ... and a given name tagged alone (`잭` of `잭 도시 트위터 CEO`) with the family name after it
            # untagged: the whole name, when a title follows the family name (its affiliation between)
            m = re.match(r" ([가-힣]{2,4})(?=\s)", text[e.end:e.end + 6])
            w = m.group(1) if m else ""
            if (m and not (i + 1 < len(row) and row[i + 1].start < e.end + 1 + len(w)) and title_after(text, e.end) is None
                    and w not in _HOLDER_WORDS and known.get(w) not in ("OG", "LC", "O") and not is_title_word(w)
                    and w not in SURNAME_TITLES and (e.canonical not in SURNAMES or has_proper_noun(w)) and _bare_word(w)
                    and apposition_title(text, e.end + 1 + len(w))):
                t = e.end + 1 + len(w)
                row[i] = replace(e, end=t, text=text[e.start:t], canonical=f"{e.canonical} {w}")
        out.append(row)
    return out


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
# `[이데일리 김민수 기자]`, `(서울=연합뉴스)`)
# ... and a dateline without brackets (`워싱턴=김현우 특파원` closing an article)
_BYLINE_RE = re.compile(r"[\[【(〔][^\]】)〕\n]{0,40}?(?:(?:기자|특파원|통신원|선임기자|객원기자)\s*[\]】)〕]|=[^\]】)〕\n]{0,25}[\]】)〕])"
                        r"|(?<![^\s])[가-힣A-Za-z]{1,12}(?:[·,][가-힣A-Za-z]{1,12})*\s?=\s?[가-힣]{2,4}\s?(?:기자|특파원|통신원|선임기자|객원기자)(?![가-힣])")

# a reporter's byline closing the text, with a photo credit or an e-mail address the boilerplate step left after it
_END_BYLINE_RE = re.compile(r"(?:^|\s)([가-힣]{2,4}\s?(?:기자|특파원|선임기자|객원기자|인턴기자))\s*(?:[(\[][^)\]\n]{0,30}[)\]]|"
                            r"[\w.+-]+@[\w.-]+)?\s*$")

# Hanja surnames a headline (or a body) writes for a person the article names in full (`尹 "…"` for
# 윤석열); 韓 is Korea and 全 "all", so neither is here
HANJA_SURNAMES = {"尹": "윤", "李": "이", "文": "문", "朴": "박", "金": "김", "安": "안", "洪": "홍", "宋": "송", "丁": "정",
                  "曺": "조", "趙": "조", "秋": "추", "元": "원", "崔": "최", "鄭": "정", "姜": "강", "張": "장",
                  "吳": "오", "黃": "황", "盧": "노", "申": "신", "權": "권", "劉": "유", "沈": "심"}
_HANJA_SURNAME_RE = re.compile(r"(?<![\u4e00-\u9fff])([" + "".join(HANJA_SURNAMES) + r"])(?![\u4e00-\u9fff])")


def _most_named(surname: str, cands: list[str], article: str, people: _People) -> str | None:
    """Of several people of one surname, the one the article names most (full name, plus `surname +
    title` with one of the titles that person was given): a bare `尹` in a headline is its main person."""
    if not cands:
        return None
    short = [m.group(2) for m in SURNAME_TITLE_RE.finditer(article) if m.group(1) == surname]

    def score(n: str) -> int:
        return article.count(n) + sum(any(titles_match(t, x) for t in people.title.get(n, ())) for x in short)

    return max(cands, key=lambda n: (score(n), -cands.index(n)))


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
        if not free(s, s + 1) or (title is None and re.match(r"[가-힣]", text[s + 1:s + 2]) and not _PARTICLE_END_RE.match(text, s + 1)):
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
        if len(last) < 2 or not HANGUL_NAME.match(last):
            continue
        for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(last), text):
            s, t = m.start(), m.end()
            if not free(s, t):
                continue
            if name.split(" ")[0] in SURNAMES and _common_noun(last):
                break  # `윤 아나운서` read as a name: a surname and a common noun, no family name
            if _PLANT_RE.match(text, t):
                continue  # `단고테 정유공장`: the owner's plant, no mention of him (eleventh session)
            if title_after(text, t) or (len(last) >= 3 and (not re.match(r"[가-힣]", text[t:t + 1]) or _PARTICLE_END_RE.match(text, t))) or (
                    _BEFORE_QUOTE_RE.match(text, t)) or _topic_at_start(text, s, t):  # `올트먼이`, `프리고진은`; `파월 "추가 긴축…"`
                out.append(Entity("PS", last, s, t, name))
                spans.append((s, t))
    # ninth session: a Japanese family name, written first, before a title (`다카이치 사나에` … `다카이치 담당상이`)
    for name in full.by_preference():
        if name.count(" ") != 1 or len(first := name.split(" ")[0]) < 3 or not HANGUL_NAME.match(first) or _common_noun(first):
            continue
        for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(first) + r"(?= )", text):
            s, t = m.start(), m.end()
            if free(s, t) and title_after(text, t) and not text.startswith(" " + name.split(" ")[1], t):
                out.append(Entity("PS", first, s, t, name))
                spans.append((s, t))
    # ninth session: a two-syllable family name before a title (`라이 당선인`, `허우 후보`) for a one-word Chinese name
    for name in full.by_preference():
        if " " in name or not 4 <= len(name) <= 5 or not HANGUL_NAME.match(name) or is_korean_full_name(name):
            continue
        for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(name[:2]) + r"(?=\s)", text):
            s, t = m.start(), m.end()
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
        for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(given) + r"(?! " + re.escape(name.rsplit(" ", 1)[1]) + ")", text):
            s, t = m.start(), m.end()
            if free(s, t) and (title_after(text, t) or _PARTICLE_END_RE.match(text, t) or _BEFORE_QUOTE_RE.match(text, t)):
                out.append(Entity("PS", given, s, t, name))
                spans.append((s, t))
    return out


def _topic_at_start(text: str, s: int, t: int) -> bool:
    """Ninth session: a two-syllable family name opening the sentence with a subject or topic particle, read by Kiwi
    as a noun and that particle (`코다는 22일`, `코다가`; not `바라는`, a verb's form)."""
    if text[:s].strip(" \"'“‘") or not (p := re.match(r"(?:은|는|이|가)(?=[\s,\"“]|$)", text[t:])):
        return False
    mo = word_morphs(text[s:t] + p.group(0))
    return len(mo) == 2 and mo[0][0] in ("NNG", "NNP") and mo[1][0] in ("JX", "JKS")


# a particle that ends the word (`尹과 `, `올트먼이 `, `프리고진은`): the name before it is the whole word
_PARTICLE_END_RE = re.compile(r"(?:" + "|".join(sorted(JOSA, key=len, reverse=True)) + r")(?![가-힣])")
# a name right before a quotation or the end of the line (`파월 "추가 긴축…"`, `…푸틴 "등에 칼"`): a
# headline's speaker, so a two-syllable family name counts too (`메리 바라` … `바라는` does not)
_BEFORE_QUOTE_RE = re.compile(r"\s?[\"“'‘]|[,·…]|\s*$")


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


# common nouns for bodies and places that the recognizer tags but that name none in particular (the
# curated `referents.tsv` holds the ones KLUE tags most: 정부, 경찰, 검찰)
GENERIC_NOUNS = frozenset({"재판부", "지도부", "여당", "야당", "여야", "당정", "수사팀", "수사당국", "합수단", "연구소", "공장", "본사",
                           "사무실", "청사", "본부", "대표단", "선수단", "사절단", "유가족", "관계부처", "부처", "지자체",
                           "사법부", "입법부", "행정부", "의회", "집행부", "팬덤", "이사회", "주주총회"})
_GROUP_NOUNS = (" 대표단", " 선수단", " 사절단", " 관계자", " 일행", " 측근", " 유가족")
# a person span whose word goes on with no particle or title is part of a word (`오토|파일럿`)
_WORD_GOES_ON = re.compile(r"[가-힣]{2,}")
_CONTINUATIONS = JOSA + ATTACHED_TITLES + ("스님", "씨", "측", "등", "들", "家", "표", "발", "식", "이다", "이며", "이고", "였",
                                            "라고", "이라", "한테", "께", "님", "부부", "일가", "측근", "정부", "행정부", "마저", "조차",
                                            "밖에", "뿐", "라는", "란", "로서", "로써", "하고", "이랑", "다운", "다운", "같은")
# the word before a name that says it is a company (`업체 허츠`, `자산운용사 아크인베스트`)
# also the later names of a list after it (`업체 니오와 샤오펑이`)
_APPOSITION_RE = re.compile(r"(?:^|\s)" + APPOSITION_NOUNS + r"(?:\s+[^\s]+(?:와|과|및|,))*\s$")
_ROLE_AFTER_PLACE_RE = re.compile(r"^([가-힣]{1,5}(?:시|도|구|군)|경기|강원|충북|충남|전북|전남|경북|경남|제주|서울|부산|대구|인천|광주|"
                                  r"대전|울산|세종)(청장|구청장|시장|군수|도지사|지사|교육감|민|주민)$")
_LC_ORG_RE = re.compile(r"^[가-힣A-Za-z]{2,}(?:대학교|대학|초등학교|중학교|고등학교|병원|위원회|협회|공사|은행|그룹|전자|자동차|재단|연구소|FC|지청|지검|지법|"
                        r"법원|검찰청|캐피털|캐피탈|파트너스|홀딩스|증권|자산운용|인베스트먼트|벤처스|모터스|제약|바이오|"
                        r"에너지|솔루션|통신|신문|방송|"
                        # sixth session: police, education and fire offices, media and asset managers (`경북경찰청`,
                        # `코바나컨텐츠`, `화천대유자산관리`)
                        r"경찰청|경찰서|교육청|소방서|소방본부|고검|고법|지원|컨텐츠|콘텐츠|엔터테인먼트|미디어|자산관리|물산)$")


def _company_word(text: str, e: Entity) -> str | None:
    """The whole written word when a place was cut from a company's or office's name (`화천` of
    `화천대유자산관리`): the word goes on by two or more syllables and ends like one."""
    m = re.match(r"[가-힣A-Za-z0-9]{2,}", text[e.end:])
    if m is None or text[e.start:e.end] != e.canonical:
        return None
    word = e.canonical + m.group(0)
    return word if _LC_ORG_RE.match(word) or _COMPANY_END_RE.match(word) else None


# a body's or place's name followed by the title of its head or staff: a role, not the body
_ROLE_END_RE = re.compile(r"^([가-힣A-Za-z]{2,}?)(군수|구청장|교육감|경찰서장|소방서장|세무서장|서장|지검장|지청장|검사장|대법원장|원장|"
                          r"청장|총장|본부장|소장|국장|실장|처장|위원장|이사장|부사장|사장|부회장|회장|단장|센터장|지사장|"
                          r"비서관|수석|대변인|차관|장관|사령관|사단장|참모총장|보좌관|특별보좌관)$")


def _role_cut(name: str) -> str | None:
    """None when `name` names a body or place; "" when it is only a role (`양평군수`); the body
    before the role word (`청와대 민정비서관` -> 청와대)."""
    words = name.split(" ")
    last = words[-1]
    if not (_ROLE_END_RE.match(last) or last in SURNAME_TITLES and len(words) > 1):
        return None
    if len(words) == 1:
        return ""
    head = " ".join(words[:-1])
    return head if len(head) >= 2 else ""


# transliterated place prefixes before a person's name (`캠프 데이비드`, `포트 브래그`, `세인트 루이스`)
_PLACE_PREFIX_RE = re.compile(r"(?:^|(?<=[\s'\"‘“(]))(캠프|포트|마운트|케이프|세인트|레이크)\s$")
# the word before a name that says it is a facility (`노인요양시설인 정효원`, `요양병원 '…'`)
_FACILITY_BEFORE_RE = re.compile(r"(?:시설|요양원|요양병원|복지관|복지시설|어린이집|유치원|보육원|경로당)(?:인|의)?\s['‘\"“]?$")
# what follows a law's abbreviation (`IRA 요건을`), never a body's
_LAW_AFTER_RE = re.compile(r"(?:의)?\s?(?:요건|조항|세액공제|수혜|발효|법안|시행령|시행)(?![가-힣])|(?:의)?\s?(?:요건|조항|세액공제|수혜|발효|시행)[을를이가은는에의도]")
_MODEL_AFTER_RE = re.compile(r"\s(?:일렉트릭|EV|하이브리드|PHEV|플러그인하이브리드|전기차|SUV|세단)(?![가-힣A-Za-z])")
_PRIZE_RE = re.compile(r"상(?=[^가-힣]|[은는이을를의과와도에]|$)")
_FOUNDATION_RE = re.compile(r"\s?(재단|기념관|기념재단|센터)(?=[^가-힣]|[은는이을를의과와도에]|$)")
# eleventh session: a plant or site named after its owner (`단고테 정유공장`): a place, no person
_PLANT_RE = re.compile(r"\s(정유공장|제철소|발전소|공장|광산|농장)(?=[^가-힣]|[은는이을를의과와도에]|$)")
# 인도 = delivery (of cars): in `인도량`, `인도했다`, before `행사/물량/일정`, after `첫`/`차량`/a count of cars
_DELIVERY_AFTER_RE = re.compile(r"(?:량|하|했|한다|식|받|된|돼|되|분|\s(?:행사|물량|일정|시점|대수|실적|지연|개시|목표|차질|시작))")
_DELIVERY_BEFORE_RE = re.compile(r"(?:(?:^|\s)(?:첫|차량|고객|조기|대량|직접|본격|신차|정식)|\d\s?대|모델[0-9A-Z]+)\s$")


# the end of an event's name (`항저우 아시안게임`, `2030 부산엑스포`, `KBO 한국시리즈`, `세계선수권대회`)
_EVENT_END_RE = re.compile(r"(?:아시안게임|게임즈|올림픽|패럴림픽|월드컵|엑스포|박람회|선수권대회|선수권|시리즈|영화제|페스티벌|축제|(?<!대표)대회)$")
# a word after a name that makes it a place's (`신장 위구르 자치구`, `돈바스 지역`, `가자 지구`)
_PLACE_HEAD_AFTER_RE = re.compile(r"\s(?:자치구|자치주|자치공화국|자치령|지역|일대|지방|지구|특별자치주)(?=[^가-힣]|[은는이가을를의도과와에]|에서|$)")
_PSEUDONYM_RE = re.compile(r"\s?\((?:가명|가칭|익명)[^)]{0,6}\)")
# titles of a place's head: `강남구 구청장` is no person called 강남구
_PLACE_ROLE_TITLES = frozenset({"구청장", "시장", "군수", "지사", "도지사", "청장", "교육감", "주지사", "의원", "의장", "원장"})
# a title glued to a "person" that is no name: the end of a body's or role's word (`…센터장`, `최우수선수`)
_GLUED_ROLE_RE = re.compile(r"(?:센터장|본부장|위원장|연구소장|연구원장|소장|원장|실장|국장|단장|처장|청장|부장|선수)(?=[^가-힣]|[은는이가을를의도과와에]|$)")
# nouns that say the quoted or following name is a product, a programme or a fund (`AI 서비스 '클로바X'`,
# `코미디 프로그램 '새터데이나이트라이브(SNL)'`, `상장지수펀드(ETF)인 ARKK`)
_PRODUCT_NOUNS = (r"(?:AI|인공지능|서비스|모델|앱|애플리케이션|플랫폼|챗봇|검색|프로그램|예능|드라마|영화|게임|펀드|상장지수펀드|ETF|"
                  r"스마트폰|칩|메모리|반도체|전기차|신차|차종|제품|소프트웨어|운영체제|멤버십|요금제|캐릭터|콘텐츠|"
                  r"콘퍼런스|컨퍼런스|포럼|세미나|행사|캠페인|토론회|서밋|회의)")
_PRODUCT_NAME_RE = re.compile(r"(?<![가-힣A-Za-z])" + _PRODUCT_NOUNS + r"(?:\([A-Za-z]{2,6}\))?\s?(?:['‘\"“]([^'’\"”\n]{2,24})['’\"”]|"
                              r"인\s([가-힣A-Za-z0-9]{2,15}?)(?:은|는|이|가|의|을|를)?(?=[\s,.]))")
# a term (a technology, a product class) and its abbreviation: `고대역폭메모리(HBM)`, `그래픽처리장치(GPU)`
_TERM_HEADS = (r"(?:메모리|반도체|장치|칩|배터리|전지|기술|소재|공정|엔진|플랫폼|소프트웨어|모듈|센서|디스플레이|패널|지능|언어모델|"
               r"모델|네트워크|프로세서|컴퓨팅|자율주행|주행|상장지수펀드|치료제|연료)")
_TERM_GLOSS_RE = re.compile(r"([가-힣]{0,10}" + _TERM_HEADS + r")\(([A-Z][A-Za-z0-9]{1,7})\)|([A-Z][A-Za-z0-9]{1,7})\(([가-힣]{0,10}"
                            + _TERM_HEADS + r")\)")


def _products(article: str) -> tuple[set[str], tuple[str, ...]]:
    """Names the article calls a product, programme or fund (exact names), and abbreviations of
    technologies or product classes (`HBM`, also `HBM3E`, `HBM3E 양산`): neither is an organisation."""
    names: set[str] = set()
    for m in _PRODUCT_NAME_RE.finditer(article):
        n = (m.group(1) or m.group(2) or "").strip()
        g = re.fullmatch(r"(.+?)\(([A-Za-z]{2,8})\)", n)  # `새터데이나이트라이브(SNL)`: both
        names.update((g.group(1), g.group(2)) if g else (n,))
    names.update(m.group(1) for m in _VEHICLE_NAME_RE.finditer(article))  # ninth session: `탐사선 다누리`
    abbrs: set[str] = set()
    for m in _term_glosses(article):
        term, abbr = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        names.add(term)
        abbrs.add(abbr)
    return names, tuple(abbrs)


# every `_TERM_GLOSS_RE` match holds the first `(` at or after its start, at most 16 characters in (ten
# Hangul and a six-syllable head), and ends at most 18 after it: the bounds (with slack) of a search near
# each `(`
_GLOSS_BEFORE, _GLOSS_AFTER = 20, 24


def _term_glosses(article: str) -> list[re.Match]:
    """`_TERM_GLOSS_RE.finditer(article)`, the same matches, searched only around each `(` (the
    pattern's leading `[가-힣]{0,10}` made a scan of the whole text cost ~12 % of `resolve_article` on
    full bodies)."""
    out: list[re.Match] = []
    pos, find, search = 0, article.find, _TERM_GLOSS_RE.search
    while (q := find("(", pos)) >= 0:
        m = search(article, max(pos, q - _GLOSS_BEFORE), q + _GLOSS_AFTER)
        if m is not None and m.start() <= q:  # the leftmost match from `pos`: none starts before the window
            out.append(m)
            pos = m.end()
        else:
            pos = q + 1
    return out


def _is_product(name: str, products: tuple[set[str], tuple[str, ...]]) -> bool:
    names, abbrs = products
    return name in names or any(name == a or name.startswith(a) and re.fullmatch(r"[0-9A-Za-z]*(?:\s.*)?", name[len(a):])
                                for a in abbrs)


def _named_after(text: str, e: Entity) -> bool:
    """A person's name that is part of a place's, prize's or body's (`캠프 데이비드`, `댄 데이비드상`)."""
    return bool(_PLACE_PREFIX_RE.search(text, 0, e.start) or _PRIZE_RE.match(text, e.end) or _FOUNDATION_RE.match(text, e.end))


def _after_company(text: str, start: int, known: Mapping[str, str]) -> bool:
    """A name right after a known company's name (`현대차 코나`): a product or model."""
    m = re.search(r"(?:^|\s)([^\s]+)\s$", text[max(0, start - 20):start])
    return m is not None and known.get(m.group(1)) == "OG"


def _listed_with_company(text: str, e: Entity, known: Mapping[str, str]) -> bool:
    """`BYD와 니오 등`, `니오·샤오펑·BYD`: joined by 와/과/·/, to a known company's name."""
    before = re.search(r"([^\s·,]+?)(?:와|과|·|,|및)\s?$", text[max(0, e.start - 20):e.start])
    after = re.match(r"(?:와\s?|과\s?|·|,\s?|및\s|\s및\s)([^\s·,]+?)(?=[은는이가을를의와과도에·,\s]|$)", text[e.end:e.end + 20])
    return any(m is not None and (known.get(m.group(1)) == "OG" or _COMPANY_END_RE.search(m.group(1)) is not None)
               for m in (before, after))


# a company's name ending (`이스타항공`, `삼성생명`): a name listed with one is a company (`에어프레미아와 이스타항공`)
_COMPANY_END_RE = re.compile(r"[가-힣A-Za-z]{2,}(?:항공|전자|그룹|은행|증권|생명|화재|제약|바이오|건설|중공업|화학|홀딩스|모터스|"
                             r"캐피탈|캐피털|물산|카드|보험|쇼핑|엔터테인먼트|뱅크)$")


# what follows a "person" and shows it is an asset or a listed company (`비트코인 가격`, `니콜라 주가`),
# also after a list (`솔라나와 리플 가격`)
_CUE_AFTER_RE = re.compile(r"(?:(?:와|과|,|및|이나)\s*[^\s,]+\s*)*\s*(가격|시세|코인|주가|시가총액|시총|주식)"
                           r"(?=[이은는을를도의가과와에\s.,]|$)")
# a three-syllable word on a common surname right before (`민희진 어도어 대표`: a Korean full name)
_KOREAN_NAME_BEFORE_RE = re.compile(r"(?:^|(?<=\s))[" + "".join(sorted(COMMON_SURNAMES)) + r"][가-힣]{2}\s$")
# what follows a building's name used as a place (`백악관에서`, `백악관 국빈 만찬`, `엘리제궁 앞`)
_USED_AS_PLACE_RE = re.compile(r"(?:에서|으로|앞|인근|주변)(?![가-힣])|에서[는도]|\s(?:복귀|입성|귀환)(?![가-힣])|\s(?:앞|인근|주변|집무실|국빈\s만찬|만찬장?|정원|잔디밭|브리핑룸|상황실|이스트룸)")
# a club's match (`에버턴과의 홈경기`, `베르더 브레멘과의 원정 경기`, `AC밀란과의 조별리그 홈 경기`)
_MATCH_AFTER_RE = re.compile(r"(?:와|과)의\s(?:[^\s]+\s){0,2}(?:홈|원정)\s?(?:경기|개막전|평가전|맞대결)")
_NOT_PERSON_ENDINGS = ("코인", "토큰", "세", "법", "법안")
# sixth session (sixth written set, Tesla/crypto excerpts and 2023 politics):
# particles Kiwi keeps inside a noun it does not know (`카르나타카주 벵갈루루에`)
_SWALLOWED = ("에서", "으로", "에", "의")  # `의`: eighth session (`로스토프나도누의`)
# a quoted name followed by the word for a case or affair (`'부산 돌려차기' 사건`)
_QUOTED_AFFAIR_RE = re.compile(r"['’\"”]\s?(?:사건|사태|파문|논란)(?![가-힣])|['’\"”]\s?(?:사건|사태|파문|논란)[은는이가을를의에과와도]")
# factions (`비명계`, `친윤계`, `반윤계`; a person's: `이준석계`)
_FACTION_RE = re.compile(r"^(?:(?:친|비|반)[가-힣]{1,2}|[가-힣]{3})계$")
# a coin named after its class (`가상화폐 위믹스를`, `밈코인 시바이누`)
_ASSET_BEFORE_RE = re.compile(r"(?:^|\s)(?:가상화폐|암호화폐|가상자산|코인|스테이블코인|밈코인|알트코인|토큰|디지털자산)\s$")
# a compound apposition noun (`게임업체`, `유통업체`, `가상화폐거래소`) and a list of companies closed by
# `등` and their class (`업비트와 빗썸 등 국내 가상화폐 거래소`)
_BUSINESS_HEADS = r"(?:업체|기업|회사|거래소|제조사|운용사|증권사|플랫폼|헤지펀드)"
_COMPOUND_APPOSITION_RE = re.compile(r"(?:^|\s)(?:[가-힣]{1,6}" + _BUSINESS_HEADS + r"|거래소|앱|메신저|헤지펀드|사모펀드)\s$")
_LISTED_AS_RE = re.compile(r"(?:(?:와|과|,|·)\s*[^\s,]+?\s*)*\s등\s(?:[가-힣A-Za-z]+\s){0,2}" + _BUSINESS_HEADS
                           + r"(?=[이은는을를의가과와에들\s.,]|$)")
# a meeting or event typed an organisation (`국회 인사청문회`, `전당대회`, `세계스카우트잼버리`)
_MEETING_END_RE = re.compile(r"(?:청문회|국정감사|전당대회|의원총회|잼버리|콘퍼런스|컨퍼런스|토론회|공청회|기자회견|대정부질문|본회의|"
                             r"국무회의|최고위원회의|수석비서관회의|정상회의)$")
# job titles no body's head holds: the words before one are a person (`댄 아이브스 애널리스트`)
_PERSONAL_TITLES = frozenset({"애널리스트", "이코노미스트", "전략가", "펀드매니저", "연구원", "연구위원", "교수", "기자", "특파원",
                              "변호사", "회계사", "평론가", "칼럼니스트"})
_MIXED_SCRIPT_RE = re.compile(r"^[A-Z]{2,}&?[가-힣]{2,}$")
_BUILDING_WORDS = frozenset({"앞", "건물", "본관", "별관", "일대", "민원실", "브리핑룸"})
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


# eighth session: -적 after a country's name (`인도적`, `한국적`), an adjective of its own
_ADJECTIVE_SUFFIX_RE = re.compile(r"적(?:인|으로|이다|이고|이며)?(?![가-힣])")
# a locative particle after a "person": persons take 에게, places 에서 (`테헤란에서`, a headline's `테헤란서 피살`)
# and `에 도착`; `에 대해`, `에 따르면` are said of people too, so `에` alone is no cue
_LOCATIVE_PERSON_RE = re.compile(r"(?:에서|서)(?:는|도|의|만)?(?=[\s,.…'’\"”]|$)|에\s(?:도착|머물|입성|도달|위치한|있는)")
# `…를 운영하는 X`, `운영사 X`: X runs something, a company
_RUNS_BEFORE_RE = re.compile(r"(?:[을를]\s운영하는|운영사인?|운영업체인?)\s$")
# the word before a place that says it is one (`이란 수도 테헤란`, `우크라이나 수도 키이우를`)
_CAPITAL_BEFORE_RE = re.compile(r"(?:^|\s)(?:수도|항구도시|국경도시|접경도시|휴양도시|소도시|해안도시)\s$")


def _known_company_prefix(name: str, known: Mapping[str, str]) -> str | None:
    """The known company a one-word name begins with, two Hangul syllables or more left after it
    (`쿠팡이츠` = 쿠팡 + 이츠, `카카오페이`); None for names of their own (`메타` + `버스`? not known)."""
    if len(name) < 4 or not re.fullmatch(r"[가-힣]+", name):
        return None
    for n in range(len(name) - 2, 1, -1):
        if known.get(name[:n]) == "OG":
            return name[:n]
    return None


# ninth session (ninth written set: elections abroad, energy, space, labour, religion, sports, obituaries)
# a role that comes before a person's name (`FTX 창업자 샘 뱅크먼프리드가`, `부인 멜라니아`, `극작가 폭스 루트비히`)
_ROLE_BEFORE_PERSON_RE = re.compile(r"(?:^|\s)(?:창업자|공동창업자|설립자|창립자|창업주|극작가|작가|소설가|시인|배우|가수|판사|"
                                    r"연인|부인|남편|아내|딸|아들)\s$")
_STATE_END_RE = re.compile(r"(?<=[가-힣]{2})주$")
_HYPHEN_PAIR_BEFORE_RE = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,4})-([가-힣A-Za-z]{2,6}) $")


def _context_retypes(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str],
                   split: bool = False) -> list[list[Entity]]:
    """Types the words around a span settle, read once before the spans are joined and cut (and once after, `split`):
    - a one-word person span that is the tail of an organisation the article names (`조계종` beside 대한불교조계종) is
      that organisation (and is no first name to join to the next: `조계종 진우스님`);
    - a place or body span right after a role that comes before a person's name (`FTX 창업자 샘 뱅크먼프리드가`) is
      that person, and one that glues a post to a Korean full name before a title (`서울대교구장 정순택 대주교`) is him;
    - a one-word person span the article writes inside a place's span (`조지아`, `카터스빌` beside `미국 조지아주
      카터스빌에`), with no title or a place's (`조지아 주지사`), is that place."""
    orgs = [e.canonical for ents in per_sentence for e in ents if e.type == "OG" and re.fullmatch(r"[가-힣]{5,}", e.canonical)]
    place_words: set[str] = set()
    for ents in per_sentence:
        for e in ents:
            if e.type == "LC":
                for w in e.canonical.split(" "):
                    place_words.add(w)
                    if _STATE_END_RE.search(w) and FOREIGN_STATE_RE.match(w):
                        place_words.add(w[:-1])
    family = {e.canonical for ents in per_sentence for e in ents if e.type == "PS" and re.fullmatch(r"[가-힣]{2,6}", e.canonical)
              and not is_korean_full_name(e.canonical)}
    # the article's family names as one pattern, built once (escaping them per sentence cost ~0.1 s per 40 articles)
    family_re = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,4}) (" + "|".join(map(re.escape, sorted(family, key=len, reverse=True)))
                           + r")(?= )") if split and family else None
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = []
        if family_re is not None:
            added, replaced = _first_names_before(text, ents, family_re)
            ents = sorted([x for x in ents if not any(x is r for r in replaced)] + added, key=lambda x: x.start)
        for e in ents:
            name = e.canonical
            if split and row and len(row) >= 1 and e.type == "LC" and (
                    m := _HYPHEN_PAIR_BEFORE_RE.search(text, max(0, e.start - 14), e.start)) and (
                    row[-1].end == m.end(2) and (row[-1].start == m.start(2) or row[-1].start == m.start(1))):
                while row and row[-1].start >= m.start(1):
                    row.pop()  # `광주-기아 챔피언스필드`: a stadium named by two names joined with a hyphen, one place
                whole = text[m.start(1):e.end]
                row.append(Entity("LC", whole, m.start(1), e.end, whole))
                continue
            if e.type == "PS" and " " not in name and known.get(name) != "PS" and len(name) >= 3 and title_after(text, e.end) is None and (
                    full := next((o for o in orgs if o.endswith(name) and len(o) - len(name) >= 2), None)):
                e = replace(e, type="OG", canonical=full)
            elif e.type in ("LC", "OG") and not split and re.fullmatch(r"[가-힣]{2,8}(?: [가-힣]{2,8})?|[가-힣] [가-힣]{3,8}", name) and (
                    known.get(name) is None and known.get(name.split(" ")[0]) is None and name not in COUNTRY_NAMES
                    and not ORG_SUFFIX_RE.match(name.split(" ")[-1]) and not ADMIN_RE.match(name.split(" ")[-1])
                    and text[e.start:e.end] == name and _ROLE_BEFORE_PERSON_RE.search(text, max(0, e.start - 8), e.start)):
                e = replace(e, type="PS")
            elif e.type in ("LC", "OG") and not split and (w := name.split(" ")) and len(w) == 2 and re.fullmatch(r"[가-힣]{2,8}장", w[0]) and (
                    is_korean_full_name(w[1]) and text[e.start:e.end] == name and title_after(text, e.end) is not None):
                row.append(Entity("PS", w[1], e.end - len(w[1]), e.end, w[1]))  # `서울대교구장 정순택 대주교`: his post, then him
                continue
            elif e.type == "LC" and not split and (w := name.split(" ")) and len(w) == 2 and (known.get(w[0]) == "LC" or ADMIN_RE.match(w[0])) and (
                    is_korean_full_name(w[1]) and known.get(w[1]) is None and text[e.start:e.end] == name
                    and apposition_title(text, e.end) is not None):
                # tenth session: `서울시 한병용 주택실장은`: the place (its office), then the person before his title
                row.append(Entity("LC", w[0], e.start, e.start + len(w[0]), w[0]))
                row.append(Entity("PS", w[1], e.end - len(w[1]), e.end, w[1]))
                continue
            elif e.type == "PS" and " " not in name and name in place_words and known.get(name) != "PS" and not is_korean_full_name(name) and (
                    (t := title_after(text, e.end)) is None or t in _PLACE_ROLE_TITLES):
                e = replace(e, type="LC")
            row.append(e)
        out.append(row)
    return out


def _company_before_person(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]]) -> list[list[Entity]]:
    """A two-word person span whose first word the article tags on its own (or ending an organisation's span) as an
    organisation and never as a person, and whose second word it tags on its own as a person (`폭스콘 류양웨이 회장` beside
    `대만 폭스콘(…)의 류양웨이 회장`, `폭스콘은`): the company, then its man (eleventh session)."""
    org = {e.canonical.split(" ")[-1] for ents in per_sentence for e in ents if e.type == "OG"}
    ps = {e.canonical for ents in per_sentence for e in ents if e.type == "PS" and " " not in e.canonical}
    org -= ps
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = []
        for e in ents:
            words = e.canonical.split(" ")
            if e.type == "PS" and len(words) == 2 and text[e.start:e.end] == e.canonical and words[0] in org and words[1] in ps and (
                    re.fullmatch(r"[가-힣A-Za-z]{2,}", words[0]) and len(words[1]) >= 2):
                cut = e.start + len(words[0])
                row += [Entity("OG", words[0], e.start, cut, words[0]), Entity("PS", words[1], cut + 1, e.end, words[1])]
            else:
                row.append(e)
        out.append(row)
    return out


def _first_names_before(text: str, ents: Sequence[Entity], family_re: re.Pattern) -> tuple[list[Entity], list[Entity]]:
    """`페트르 피알라 체코 총리는` left untagged where the article tags `피알라` elsewhere: a word Kiwi does not know right
    before that family name, with a title after the two (an affiliation between allowed), is the person's first name.
    `family_re`: a word, a space and one of the article's family names (`_context_retypes`).
    Eleventh session: also where the family name itself is tagged a one-word person and the first name before it is left out
    (`루이사 곤살레스 후보`, `나와프 살람 총리`); that span is then replaced (returned second)."""
    out, replaced = [], []
    for m in family_re.finditer(text):
        over = [x for x in ents if x.start < m.end() and m.start() < x.end]
        if apposition_title(text, m.end()) is None or over and not (
                len(over) == 1 and over[0].type == "PS" and (over[0].start, over[0].end) == m.span(2)
                and not ORG_SUFFIX_RE.match(m.group(1))):  # `민중당 커원저 후보`: his party, no first name
            continue
        mo = word_morphs(m.group(1))
        if len(mo) == 1 and (mo[0][0] == "NNP" or mo[0][0] == "NNG" and mo[0][1] <= 3):
            out.append(Entity("PS", m.group(0), m.start(), m.end(), m.group(0)))
            replaced += over
    return out, replaced


# a direction before a place (`남부 타이난 시장`, `북부 하르키우`): the word after it is a place
_DIRECTION_BEFORE_RE = re.compile(r"(?:^|\s)(?:남부|북부|동부|서부|중부|남동부|남서부|북동부|북서부|동남부|서남부|동북부|서북부)\s$")
_BODY_HEAD_AFTER_RE = re.compile(r"\s?(?:대학교|대학|연구소|연구원|병원|공항|은행|그룹)(?![가-힣])")  # `남부 피발레 대학`: a university's
# a vehicle's class before its name (`달 탐사선 다누리`, `한국형 발사체 누리호`): a product, no organisation or person
_VEHICLE_NAME_RE = re.compile(r"(?:탐사선|발사체|우주선|로켓|탐사로버|인공위성|위성|탄도미사일|미사일|전투기|잠수함|구축함|항공모함|호위함)\s"
                              r"([가-힣][가-힣A-Za-z0-9\-]{1,11}?)(?=(?:은|는|이|가|을|를|의|와|과|도|로)?[\s,.(]|$)")


def _two_syllable_family(name: str, people: _People, later: _People) -> str | None:
    """`라이` (of 라이칭더), `허우` (of 허우유이): a Chinese or Taiwanese two-syllable family name, standing before
    a title for the one-word name of four or five syllables that begins with it."""
    if len(name) != 2 or not HANGUL_NAME.match(name):
        return None
    return next((n for n in (*people.order[::-1], *later.first) if " " not in n and 4 <= len(n) <= 5 and n.startswith(name)
                 and HANGUL_NAME.match(n) and not is_korean_full_name(n)), None)


def _resolve(text: str, e: Entity, people: _People, head_names: _People, later: _People,
             refs: dict[str, tuple[str, str]], countries: dict[int, Entity], known: dict[str, str]
             ) -> Entity | None:
    """One mention -> itself, its referent, or None (dropped); see `resolve_article`."""
    name = e.canonical
    if name.endswith(_SWALLOWED) and " " not in name and text[e.start:e.end] == name and (
            p := next(j for j in _SWALLOWED if name.endswith(j))) and len(name) - len(p) >= 3 and (
            word_morphs(name) == (("NNG", 2),)):  # `벵갈루루에`: Kiwi knows no such word and kept the particle
        name = name[:-len(p)]
        e = replace(e, canonical=name, text=name, end=e.end - len(p))
    elif " " not in name and text[e.start:e.end] == name and len(name) >= 4 and re.match(r"[A-Za-z]{2,}[가-힣]", name) and (
            (mo := word_morphs(name)) and mo[-1][0] in ("JKB", "JKG") and name.endswith(("으로", "로", "의"))) and (
            known.get(name) is None):
        p = "으로" if name.endswith("으로") else name[-1]  # `사모펀드 JKL파트너스로 컨소시엄을`: the particle Kiwi reads
        name = name[:-len(p)]
        e = replace(e, canonical=name, text=name, end=e.end - len(p))
    if e.type in ("PS", "OG") and known.get(name) is None and _QUOTED_AFFAIR_RE.match(text, e.end) and (
            re.search(r"['‘\"“][^'’\"”]{0,12}$", text[max(0, e.start - 12):e.start]) or text[e.start - 1:e.start] in "'‘\"“"):
        return None  # `'부산 돌려차기' 사건`: the name a case goes by, no person or body
    if e.type in ("PS", "OG") and _FACTION_RE.match(name) and known.get(name) is None and (
            name[0] in "친비반" or is_korean_full_name(name[:-1])):
        return None  # `비명계`, `친윤계`, `이준석계`: a faction, no person or body
    if e.type == "PS" and name.count(" ") == 1 and text[e.start:e.end] == name and (
            (first := name.split(" ")[0]) and len(name) - len(first) > 2 and _common_noun(name.split(" ")[1])
            and title_after(text, e.end) is None and not _cut_from_word(text, e)) and (
            any(n != name and first in n.split(" ") for n in (*people.order, *later.order))):
        # `머스크 트윗에`, `바이든 행정부` in a headline: the family name of a person the article names in full and a common
        # noun, the person only (not `잭 도시` or `찰스 댄스`, names of their own)
        return _resolve(text, replace(e, text=first, end=e.start + len(first), canonical=first), people, head_names, later,
                        refs, countries, known)
    if e.type == "PS" and name.count(" ") == 1 and (last := name.split(" ")[1]) in COUNTRY_NAMES and (
            text[e.end - len(last):e.end] == last and apposition_title(text, e.end) is None):
        return replace(e, type="LC", canonical=last, text=last, start=e.end - len(last))  # `중미 엘살바도르가`
    if len(name) == 1:
        # a lone syllable or letter: a country abbreviation standing for its country, a surname
        # before a title that the article resolves, or nothing (`A씨`, `미` inside a phrase)
        if e.start in countries:
            return replace(countries[e.start], end=e.end)
        if name in SURNAMES or "가" <= name <= "힣":  # `싱 대사` for 싱하이밍: any syllable with a title
            title = title_after(text, e.end)
            full = (people.by_surname(name, title) or head_names.by_surname(name, title)) if title else None
            if not full:  # a surname stands for a person only with a title (`한일` is no 한동훈)
                return None
            return replace(e, type="PS", canonical=full, text=f"{name} {title}" if title else name)
        return None
    if e.type in ("LC", "OG") and len(name) >= 3 and name.endswith("어") and name[:-1] in COUNTRY_NAMES:
        return None  # `한국어`, `중국어`: a language, no place
    if e.type in ("LC", "PS") and _EVENT_END_RE.search(name) and refs.get(name) is None:
        return None  # `아시안게임`, `부산엑스포`, `한국시리즈`: an event, no place or person
    if e.type == "OG" and _MEETING_END_RE.search(name) and refs.get(name) is None and known.get(name) is None:
        return None  # `인사청문회`, `새만금 세계스카우트잼버리`, `전당대회`: a meeting or event, no body
    if e.type == "OG" and " " not in name and len(name) >= 3 and name[-1] in "관궁" and _USED_AS_PLACE_RE.match(text, e.end):
        return replace(e, type="LC")  # `백악관에서 정상회담을`, `크렘린궁 집무실`: a named building used as a place
    if e.type in ("LC", "PS") and _MATCH_AFTER_RE.match(text, e.end) and known.get(name) != "PS":
        return replace(e, type="OG")  # `베르더 브레멘과의 원정 경기`: a home or away match is a club's
    if e.type in ("LC", "PS") and name.endswith("리그") and len(name) >= 4 and " " not in name:
        return replace(e, type="OG")  # `메이저리그`, `프리미어리그`: a league, an organisation
    if e.type in ("OG", "PS") and name.endswith("카운티") and len(name) >= 5:
        return replace(e, type="LC")  # `브라이언카운티`, `풀턴카운티`: a county
    if e.type == "OG" and name.endswith("당국") and refs.get(name) is None:
        head = name.split(" ")[0]
        if " " in name and head in COUNTRY_NAMES and text[e.start:e.start + len(head)] == head:
            return replace(e, type="LC", text=head, end=e.start + len(head), canonical=head)  # `모로코 당국`: the country
        return None  # `군사 당국`, `금융당국`: no particular body
    if e.type in ("LC", "OG") and is_korean_full_name(name) and known.get(name) is None and refs.get(name) is None and (
            (t := title_after(text, e.end)) is not None and t not in _PLACE_ROLE_TITLES and t != "측" and not ORG_SUFFIX_RE.match(name)
            and not _KOREAN_NAME_BEFORE_RE.search(text, max(0, e.start - 5), e.start)):  # `민희진 어도어 대표`: her label
        return replace(e, type="PS")  # `홍범도 장군`: a Korean full name with a person's title (not `…구 구청장`)
    if e.type in ("LC", "OG") and name.count(" ") == 1 and text[e.start:e.end] == name and known.get(name) is None and (
            refs.get(name) is None) and all(re.fullmatch(r"[가-힣]{2,6}", w) and known.get(w) is None and w not in COUNTRY_NAMES
                                            and not ORG_SUFFIX_RE.match(w) and not ADMIN_RE.match(w) and not _LC_ORG_RE.match(w)
                                            and not _common_noun(w) and not _COMPANY_END_RE.match(w) for w in name.split(" ")) and (
            (t := title_after(text, e.end)) is not None and t not in _PLACE_ROLE_TITLES and t != "측"):
        return replace(e, type="PS")  # `패통탄 친나왓 총리의`, `수리야 중룽르앙낏 부총리가`: two unknown words and a person's title
    if e.type == "PS" and " " not in name and known.get(name) != "PS" and _GLUED_ROLE_RE.match(text, e.end) is not None and (
            not (people.by_part(name) or later.by_part(name))) and not has_proper_noun(name):
        return None  # `미래이니셔티브|센터장`, `최우수|선수(MVP)`: part of a body's or role's word, no person
    if e.type == "PS" and not is_korean_full_name(name) and known.get(name) != "PS" and _PLACE_HEAD_AFTER_RE.match(text, e.end):
        return replace(e, type="LC")  # `신장 위구르 자치구의`, `돈바스 지역`: a place
    if e.type == "PS" and name.endswith("족") and len(name) >= 3 and " " not in name and not is_korean_full_name(name):
        return None  # `위구르족`, `쿠르드족`: a people, no person
    if e.type == "PS" and _PSEUDONYM_RE.match(text, e.end):
        return None  # `김진주(가명)씨`: a pseudonym, an anonymised person
    if e.type == "LC" and name == "인도" and (_DELIVERY_AFTER_RE.match(text, e.end) or _DELIVERY_BEFORE_RE.search(text, 0, e.start)):
        return None  # `첫 인도`, `인도량`, `모델3 인도 행사`: 인도 = delivery, not India
    if e.type == "LC" and name in COUNTRY_NAMES and _ADJECTIVE_SUFFIX_RE.match(text, e.end):
        return None  # `인도적 지원`, `즉각적인 인도적 휴전`: -적 (的) makes a word of its own (humanitarian), no country
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _LOCATIVE_PERSON_RE.match(text, e.end) or _CAPITAL_BEFORE_RE.search(text, 0, e.start)) and (
            title_after(text, e.end) is None and not (people.by_part(name) or later.by_part(name))):
        return replace(e, type="LC")  # `테헤란에서 숨졌다`, `테헤란서 피살`, `수도 키이우를`: a place, no person
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _DIRECTION_BEFORE_RE.search(text, max(0, e.start - 6), e.start)) and not _BODY_HEAD_AFTER_RE.match(text, e.end) and (
            (t := title_after(text, e.end)) is None or t in _PLACE_ROLE_TITLES) and not (people.by_part(name) or later.by_part(name)):
        return replace(e, type="LC")  # `남부 타이난 시장과`: a place after a direction
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _known_company_prefix(name, known)) and title_after(text, e.end) is None and (
            not (people.by_part(name) or later.by_part(name))):
        return replace(e, type="OG")  # `쿠팡이츠`, `카카오페이`: a known company's name and more, its service or unit
    if e.type in ("LC", "PS") and " " not in name and known.get(name) not in ("LC", "PS") and not is_korean_full_name(name) and (
            _RUNS_BEFORE_RE.search(text, max(0, e.start - 12), e.start)):
        return replace(e, type="OG")  # `토스를 운영하는 비바리퍼블리카의`: what runs an app or a service is a company
    if e.type == "PS" and name[0] in HANJA_SURNAMES and (title := title_after(name, 1)) and len(name) == 1 + len(
            title) + (name[1] == " "):  # `丁총리`, `尹 대통령` tagged as one span
        full = people.by_surname(HANJA_SURNAMES[name[0]], title) or head_names.by_surname(HANJA_SURNAMES[name[0]], title)
        return replace(e, canonical=full) if full else None
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
    if e.type == "PS" and (pre := _PLACE_PREFIX_RE.search(text, 0, e.start)) is not None:
        place = text[pre.start(1):e.end]  # `캠프 데이비드`, `포트 브래그`: a place named after someone
        return replace(e, type="LC", text=place, start=pre.start(1), canonical=" ".join(place.split()))
    if e.type == "PS" and _PRIZE_RE.match(text, e.end):
        return None  # `댄 데이비드상`, `노벨상`: a prize named after someone
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and (plant := _PLANT_RE.match(text, e.end)) is not None:
        site = text[e.start:e.end + len(plant.group(0))]  # `단고테 정유공장 가동률`: the plant, a place
        return replace(e, type="LC", text=site, end=e.start + len(site), canonical=site)
    if e.type == "PS" and (fnd := _FOUNDATION_RE.match(text, e.end)) is not None:
        body = text[e.start:e.end + len(fnd.group(0))]  # `댄 데이비드 재단`: a body named after someone
        return replace(e, type="OG", text=body, end=e.start + len(body), canonical=" ".join(body.split()))
    if e.type in ("OG", "LC") and " " not in name and known.get(name) is None and refs.get(name) is None and (
            (full := people.by_part(name) or later.by_part(name)) and " " in full):
        return replace(e, type="PS", canonical=full)  # `러몬도`, `잉엔라트` typed as a place or company
    if e.type in ("OG", "LC") and name.count(" ") == 1 and text[e.start:e.end] == name and known.get(name) is None and (
            refs.get(name) is None) and _common_noun(name.split(" ")[0]) and known.get(last := name.split(" ")[1]) is None and (
            (full := people.by_part(last) or later.by_part(last)) and " " in full):
        # `대선 나브로츠키` (a headline's `폴란드 대선 나브로츠키 당선`) typed a body: a common noun, then the person (eleventh session)
        return replace(e, type="PS", canonical=full, text=last, start=e.end - len(last))
    if e.type == "PS" and (cue := _CUE_AFTER_RE.match(text, e.end)) is not None and not is_korean_full_name(name) and (
            known.get(name) != "PS" and not (people.by_part(name) or later.by_part(name))):  # `머스크 주가 조작`
        if cue.group(1) in ("가격", "시세", "코인"):
            return None  # `비트코인 가격`, `솔라나와 리플 가격`: an asset has a price, a person has none
        e = replace(e, type="OG")  # `니콜라 주가`, `루시드 시가총액`: a listed company
    if e.type == "PS" and name.endswith(_NOT_PERSON_ENDINGS) and len(name) >= 4 and " " not in name:
        return None  # `도지코인`, `억만장자세`: a coin, a tax, a bill
    if e.type in ("PS", "OG") and known.get(name) is None and refs.get(name) is None and _ASSET_BEFORE_RE.search(text, 0, e.start) and (
            not (people.by_part(name) or later.by_part(name))):
        return None  # `가상화폐 위믹스를`: a coin named after its class
    ref = refs.get(name)
    if ref is None and " " in name and refs.get(name.replace(" ", ""), ("",))[0] == "-":
        return None  # `방역 당국`, `보건 당국`: written apart, still no particular body
    if ref is not None and ref[1] == "OG" and ref[0] != name and (country := foreign_country_before(text, e.start)):
        return replace(e, canonical=f"{country} {name}")  # `미국 민주당` is not 더불어민주당
    if ref is not None:
        if ref[0] == "-":  # a common noun KLUE tags (`정부`, `경찰`): not counted
            return None
        return replace(e, canonical=ref[0], type=ref[1] if ref[1] else e.type)
    if name in COUNTRY_NAMES or name in COUNTRY_ALIASES:  # `이란 측에`, `UAE`: a country is counted as a place
        return e if e.type == "LC" and name not in COUNTRY_ALIASES else replace(
            e, type="LC", canonical=COUNTRY_ALIASES.get(name, name))
    if name in GENERIC_NOUNS or e.type == "PS" and name.endswith(_GROUP_NOUNS):
        return None  # `재판부`, `지도부`; `미국 스카우트 대표단`: no particular body or person
    if e.type == "PS" and " " not in name and (full := people.by_part(name) or later.by_part(name)) and " " in full:
        return replace(e, canonical=full)  # `러몬도` -> 지나 러몬도 before any retyping (CoNg may call it a place)
    if e.type == "PS" and known.get(name) in ("OG", "LC"):
        return replace(e, type=known[name])  # `니콜라`, `벤츠`: a known company or place
    if e.type == "PS" and name.endswith("사") and len(name) >= 3 and known.get(name[:-1]) == "OG":
        return replace(e, type="OG", canonical=name[:-1])  # `아스트라제네카사` typed PS: the company
    if name.endswith("지수"):  # an index (`다우존스30산업평균지수`) is no organisation
        return None
    if e.type == "PS" and ORG_SUFFIX_RE.match(name) and (not is_korean_full_name(name) or _common_noun(name)):
        return replace(e, type="OG")  # `옥스퍼드대`, `약심위`, `윤리위` (a common noun to Kiwi): an institution's (short) name
    if e.type == "PS" and " " not in name and _COMPANY_END_RE.match(name) and not is_korean_full_name(name) and known.get(name) != "PS":
        return replace(e, type="OG")  # `키움증권`, `이스타항공`: a company's name ending
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            title_after(text, e.end) is None) and (
            (product := _after_company(text, e.start, known)) or _listed_with_company(text, e, known)):
        if product:
            return None  # `현대차 코나`, `기아 텔루라이드`: a company's product, not a person
        return replace(e, type="OG")  # `BYD와 니오 등`: listed with a company, a company
    if e.type in ("OG", "PS") and re.fullmatch(r"[A-Z]{2,6}", name) and _LAW_AFTER_RE.match(text, e.end):
        return None  # `IRA 요건`, `IRA 세액공제`: a law's abbreviation, no body
    if e.type == "PS" and " " not in name and _MODEL_AFTER_RE.match(text, e.end):
        return None  # `코나 일렉트릭`, `아이오닉 EV`: a car model
    if e.type == "PS" and _cut_from_word(text, e):
        return None  # `오토` out of `오토파일럿`: part of a word, no name
    if e.type == "LC" and _place_cut_from_word(text, e, known):
        return None  # `반도` out of `반도체`
    if e.type == "PS" and " " not in name and _FACILITY_BEFORE_RE.search(text, 0, e.start) and known.get(name) != "PS":
        return replace(e, type="OG")  # `노인요양시설인 정효원`: a care home, not a person
    if e.type in ("PS", "LC") and _APPOSITION_RE.search(text, 0, e.start) and known.get(name) not in ("PS", "LC"):
        return replace(e, type="OG")  # `렌터카 업체 허츠`, `합작사 블루오벌SK`: a company
    if e.type in ("PS", "LC") and known.get(name) not in ("PS", "LC") and not is_korean_full_name(name) and (
            _COMPOUND_APPOSITION_RE.search(text, 0, e.start) or _LISTED_AS_RE.match(text, e.end)) and apposition_title(text, e.end) is None:
        return replace(e, type="OG")  # `게임업체 위메이드가`; `업비트와 빗썸 등 국내 가상화폐 거래소`: companies
    if e.type == "PS" and " " not in name and ADMIN_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="LC")  # `대장동`: a district's name
    if e.type in ("LC", "OG") and " " in name and (pt := name.rsplit(" ", 1))[1] in _PERSONAL_TITLES and known.get(pt[0]) is None and (
            re.fullmatch(r"[가-힣]{2,6}(?: [가-힣]{1,6})?", pt[0]) and not ORG_SUFFIX_RE.match(pt[0]) and not _LC_ORG_RE.match(pt[0])
            and text[e.start:e.start + len(pt[0])] == pt[0]):
        # `아이브스 애널리스트` typed an organisation: a person and his job (an analyst heads no body)
        return replace(e, type="PS", canonical=pt[0], text=pt[0], end=e.start + len(pt[0]))
    if e.type == "PS" and _MIXED_SCRIPT_RE.match(name):
        return replace(e, type="OG")  # `JP모건`, `SK이노베이션`: a Latin prefix glued to Hangul names a company, no person
    if e.type in ("LC", "OG") and refs.get(name) is None and known.get(name) is None and (
            role_cut := _role_cut(name)) is not None:
        # `양평군수`, `용산경찰서장`: a role (the person is named on its own); `청와대 민정비서관` -> 청와대
        r = replace(e, canonical=role_cut, text=role_cut, end=e.start + len(role_cut)) if role_cut and (
            text[e.start:e.start + len(role_cut)] == role_cut) else (replace(e, canonical=role_cut) if role_cut else None)
        if r is not None and " " not in role_cut and known.get(role_cut) is None and (
                (full := people.by_part(role_cut) or later.by_part(role_cut)) and " " in full):
            return replace(r, type="PS", canonical=full)  # `나브로츠키 당선인` typed a body: 카롤 나브로츠키 and his role
        return r
    if e.type in ("LC", "OG") and (role := _ROLE_AFTER_PLACE_RE.match(name)) and refs.get(name) is None:
        if role.group(2) in ("민", "주민"):  # `강서구민`: the district's residents -> the district
            return replace(e, type="LC", canonical=role.group(1))
        return None  # `강서구청장`, `경기지사`: a role, not a place (the person is named on its own)
    if e.type == "LC" and _LC_ORG_RE.match(name):
        return replace(e, type="OG")  # `성남FC`, `서울중앙지검`, `처칠캐피털`: an institution or company
    if e.type == "LC" and " " in name and _LC_ORG_RE.match(head := name.split(" ")[0]):
        if all(w in GENERIC_NOUNS or w in _BUILDING_WORDS for w in name.split(" ")[1:]) and text[e.start:e.start + len(head)] == head:
            return replace(e, type="OG", canonical=head, text=head, end=e.start + len(head))  # `서울중앙지검 청사` -> the office
        return replace(e, type="OG")  # `서울중앙지검 반부패수사3부`: the office's department
    if e.type == "LC" and " " not in name and (whole := _company_word(text, e)) is not None:
        return replace(e, type="OG", canonical=whole, text=whole, end=e.start + len(whole))  # `화천|대유자산관리`
    if e.type in ("LC", "OG") and name.endswith("증시") and known.get(name[:-2]) == "LC":
        return replace(e, type="LC", canonical=name[:-2])  # `홍콩증시` -> 홍콩
    if e.type == "PS" and " " not in name and (nb := neighbour_type(name)) is not None:
        return replace(e, type=nb)  # `도봉구`: Kiwi's CoNg neighbours are all districts
    if e.type == "PS" and " " not in name:
        full = people.by_part(name) or later.by_part(name)
        if full and (" " in full or not is_korean_full_name(name)):
            return replace(e, canonical=full)
        if title_after(text, e.end) and (full := _two_syllable_family(name, people, later)):
            return replace(e, canonical=full)  # `라이 후보는` for 라이칭더
    return e
