"""Surface clean-up before a mention is counted: glitches of the recognizer's span (stray
brackets, quotes, particles, names joined by 와/과, a span cut inside its word), glosses and
abbreviations an article introduces, and spans that glue a person to an organisation or a place to
a place. Pure functions over one sentence's mentions; `canonical.resolve_article` calls them."""

from __future__ import annotations

import re
from collections import ChainMap, Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analytics.nlp.entities.base import ATTACHED_TITLES, Entity
from analytics.nlp.entities.countries import COUNTRY_NAMES
from analytics.nlp.entities.names import (
    ADMIN_RE,
    APPOSITION_NOUNS,
    COMMON_SURNAMES,
    EDGE_PUNCT_ALL,
    FOREIGN_STATE_RE,
    HANGUL_NAME,
    JOSA,
    ORG_SUFFIX_RE,
    SURNAMES,
    TITLE_ALT,
    apposition_title,
    has_proper_noun,
    is_korean_full_name,
    is_title_word,
    title_after,
    word_morphs,
)
from analytics.nlp.entities.occurrences import HANGUL, HANGUL_LATIN, find_word, starts
from analytics.nlp.entities.spans import split_glued

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"[가-힣]+")
_LITERAL_RE_2 = re.compile(r"\s([가-힣]{2,})")
_LITERAL_RE_3 = re.compile(r"(?:기구|본부|국|원|소|단|사|군|청|부|처|회|당)$")
_LITERAL_RE_4 = re.compile(r"[A-Z]{2,5}")
_LITERAL_RE_5 = re.compile(r"[가-힣]{2,}")
_LITERAL_RE_6 = re.compile(r"\S[·ㆍ・]\S")
_LITERAL_RE_7 = re.compile(r"(?:기금|연합|연맹|공단|거래소|시장|펀드|은행)$")
_LITERAL_RE_8 = re.compile(r"[가-힣]{3,5}")
_LITERAL_RE_9 = re.compile(r"[A-Z]{2,3}")
_LITERAL_RE_10 = re.compile(r"[가-힣]{4,}")
_LITERAL_RE_11 = re.compile(r"[가-힣]")


def join_split_names(text: str, ents: list[Entity], article: str = "", known: Mapping[str, str] | None = None
                     ) -> list[Entity]:
    """Two person spans one space apart, not both Korean full names, are one foreign name
    (`기시다` `후미오` -> `기시다 후미오`); Korean names in a row stay apart. A person span followed
    by an organisation span whose first word the article gives a title on its own (`토마스` +
    `잉엔라트 폴스타` before `CEO`, `잉엔라트 CEO는` later) takes that word (`토마스 잉엔라트`, `폴스타`).
    Applied when counting only: on KLUE the recognizer's boundaries score better without it (-0.0028 F1)."""
    ents = sorted(ents, key=lambda x: x.start)
    out: list[Entity] = []
    for e in ents:
        prev = out[-1] if out else None
        first = e.canonical.split(" ")[0]
        if (article and prev is not None and prev.type == "PS" and e.type in ("OG", "LC") and " " in e.canonical
                and text[prev.end:e.start] == " " and text[e.start:e.end] == e.canonical and not is_korean_full_name(prev.canonical)
                and HANGUL_NAME.match(prev.canonical) and (known or {}).get(first) is None and (
                    (HANGUL_NAME.match(first) and (_titled_alone(first, article, prev.canonical) or _body_before_title(text, e, first, known or {})))
                    # ninth session: `레이` + `장 알리익스프레스코리아` before `대표`, `장 대표는` later: a one-syllable family name
                    or (_LITERAL_RE_11.fullmatch(first) is not None and len(e.canonical) - len(first) > 3
                        and title_after(text, e.end) is not None and _titled_alone(first, article, prev.canonical)))):
            cut = e.start + len(first)
            out[-1] = Entity("PS", text[prev.start:cut], prev.start, cut, text[prev.start:cut])
            out.append(Entity(e.type, e.canonical[len(first) + 1:], cut + 1, e.end, e.canonical[len(first) + 1:]))
            continue
        if (prev is not None and prev.type == e.type == "PS" and text[prev.end:e.start] == " " and " " not in prev.canonical
                and is_korean_full_name(e.canonical) and _one_common_noun(prev.canonical)):
            out[-1] = e  # `외야수 이정후`, `소설가 한강`: a role noun before a Korean name, the name alone
            continue
        if (prev is not None and prev.type == e.type == "PS" and text[prev.end:e.start] == " "
                and not (is_korean_full_name(prev.canonical) and is_korean_full_name(e.canonical))
                and HANGUL_NAME.match(prev.canonical) and HANGUL_NAME.match(e.canonical)
                and not text.startswith(ATTACHED_TITLES, e.end)):  # `질병관리|청장` was cut from a word
            joined = text[prev.start:e.end]
            out[-1] = Entity("PS", joined, prev.start, e.end, joined)
        else:
            out.append(e)
    return out


def _body_before_title(text: str, e: Entity, first: str, known: Mapping[str, str]) -> bool:
    """`우르줄라` + `폰데어라이엔 유럽연합` before `(EU) 집행위원장`: the rest of the organisation span is a body the
    lexicon knows and a title follows, so its unknown first word is the person's family name."""
    rest = e.canonical[len(first) + 1:]
    if known.get(rest) not in ("OG", "LC"):
        return False
    gloss = (_GLOSS_AFTER_RE.match(text, e.end) or _NO_MATCH).group(0)
    return bool(title_after(text, e.end) or gloss and _ends_in_title(text, e.end + len(gloss)))


_QUOTES = "\"'‘’“”`「」『』《》〈〉"
_CLOSE = {")": "(", "）": "（", "]": "["}
# an abbreviation in brackets right after a name: Latin (`세계보건기구(WHO)`, `아스트라제네카(AZ)`), or
# Hangul made of the name's own syllables (`전국교직원노동조합(전교조)`); other Hangul in brackets
# (`이재명(민주당) 의원`, `서울(연합뉴스)`) names a party or a dateline, not the same referent
_GLOSS_RE = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{0,11}|[가-힣]{2,5})\)")


# a law, treaty or index glossed in brackets (`인플레이션감축법(IRA)`): its abbreviation names no entity
_NOT_ENTITY_BEFORE_GLOSS = re.compile(r"[가-힣](?:법|법안|협정|조약|협약|지수|제도)$")


def gloss_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str],
                refs: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Entity | None]:
    """Abbreviations an article introduces in brackets after a name (`세계보건기구(WHO)`,
    `국제원자력기구(IAEA)`) -> that name's mention: the abbreviation is the same referent there and
    wherever the article uses it again; after a law or an index (`인플레이션감축법(IRA)`) -> None,
    no entity. A Korean short name past a dropped prefix or the name's tail (`연제협`, `평가원`) is taken
    only when the curated referents (`refs`) do not already resolve it (`의협`, `방대본` stay theirs)."""
    out: dict[str, Entity | None] = {}
    refs = refs or {}
    for text, ents in zip(texts, per_sentence, strict=True):
        ends = {e.end: e for e in ents if len(e.canonical) > 1}
        for m in _GLOSS_RE.finditer(text):
            e = ends.get(m.start())
            if (e is None or _NOT_ENTITY_BEFORE_GLOSS.search(e.canonical)) and m.group(1).isascii() and \
                    _NOT_ENTITY_BEFORE_GLOSS.search(text, 0, m.start()):
                out.setdefault(m.group(1), None)
            elif e is None and m.group(1).isascii() and (w := _COMMON_TERM_BEFORE_GLOSS.search(text, 0, m.start())) is not None and (
                    not any(x.start <= w.start(1) and m.start() <= x.end for x in ents)) and _vocabulary_term(w.group(1)):
                out.setdefault(m.group(1), None)  # `대륙간탄도미사일(ICBM)`, `고객확인(KYC)`: a common term's abbreviation
            elif e is not None and m.group(1) != e.canonical and (m.group(1).isascii() or (
                    e.type == "OG" and (_abbreviates(m.group(1), e.canonical.split(" ")[-1]) or m.group(1) not in refs and (
                        _glossed_short_name(m.group(1), e.canonical.split(" ")[-1]))))):
                # the name's last piece: `미국 국제무역위원회(ITC)` -> 국제무역위원회
                out.setdefault(m.group(1), split_places(text, [e], known)[-1] if " " in e.canonical else e)
    return out


# ninth session: a Latin abbreviation glossing a word the recognizer left untagged that Kiwi reads as known common
# nouns only (`대륙간탄도미사일(ICBM)`, `고객확인(KYC)`, `최우수선수(MVP)`) is a term's, no entity; an organisation's
# name (`금융정보분석원(FIU)`: tagged, or ending like a body's name) and a name Kiwi does not know stay
_COMMON_TERM_BEFORE_GLOSS = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,12})$")
_TERM_MORPHS = frozenset({"NNG", "NNB", "XPN", "XSN"})


def _vocabulary_term(word: str) -> bool:
    if ORG_SUFFIX_RE.match(word) or _LITERAL_RE_3.search(word):
        return False
    mo = word_morphs(word)
    if len(mo) == 1 and mo[0][0] == "NNP" and len(word) >= 4 and not _LITERAL_RE_7.search(word):
        # tenth session: a compound Kiwi lists whole as a proper noun (`액화천연가스(LNG)`) that splits into two
        # words each of common nouns only (액화 + 천연가스) is a term too
        return any(_common_term_part(word[:k]) and _common_term_part(word[k:]) for k in range(2, len(word) - 1))
    return len(mo) >= 2 and all(t in _TERM_MORPHS for t, _ in mo) and all(i > 3 for t, i in mo if t in ("NNG", "NNB"))


def _common_term_part(word: str) -> bool:
    mo = word_morphs(word)
    return bool(mo) and all(t == "NNG" for t, _ in mo) and all(i > 3 for _t, i in mo)


def _abbreviates(short: str, name: str) -> bool:
    """`전교조` abbreviates `전국교직원노동조합`: same first syllable, its syllables in order in the
    name, the name at least two syllables longer."""
    if not (2 <= len(short) and len(name) >= len(short) + 2 and short[0] == name[0]):
        return False
    i = 0
    for ch in name:
        if i < len(short) and ch == short[i]:
            i += 1
    return i == len(short)


def _glossed_short_name(short: str, name: str) -> bool:
    """A Korean short name in brackets right after an organisation's name is that name's when it abbreviates
    it (`전국교직원노동조합(전교조)`), also past a prefix short names drop (`한국연예제작자협회(연제협)`), or is
    its last three syllables or more (`한국교육과정평가원(평가원)`): the brackets say so (eighth session)."""
    return _abbreviates(short, name) or any(name.startswith(p) and _abbreviates(short, name[len(p):]) for p in _DROPPED_PREFIXES) or (
        len(short) >= 3 and len(name) >= len(short) + 2 and name.endswith(short))


# what an organisation's short name leaves out at its start (`권익위` of 국민권익위원회, `인권위` of 국가인권위원회)
_DROPPED_PREFIXES = ("국민", "국가", "중앙", "한국", "대한")


def _abbreviates_org(short: str, name: str) -> bool:
    """Same last syllable, or `…위` for `…위원회` (`중앙선관위` / 중앙선거관리위원회); the first syllable the
    name's, or the first after a prefix short names drop (`권익위` / 국민권익위원회)."""
    if not (name[-1] == short[-1] or short[-1] == "위" and name.endswith("위원회")):
        return False
    return _abbreviates(short, name) or any(name.startswith(p) and _abbreviates(short, name[len(p):]) for p in _DROPPED_PREFIXES)


def article_abbreviations(out: list[list[Entity]]) -> list[list[Entity]]:
    """An organisation's short name the article also gives in full (`기재부` / `기획재정부`,
    `국토부` / `국토교통부`): three or more syllables, same first and last syllable, the others in
    order; counted under the full name."""
    orgs = {e.canonical for es in out for e in es if e.type == "OG" and " " not in e.canonical}
    full = sorted((n for n in orgs if _LITERAL_RE_10.fullmatch(n)), key=lambda n: (len(n), n))
    short_of: dict[str, str] = _bank_short_forms(out, orgs)
    # a Latin short name before an investment firm's ending the article writes whole (`MBK` / `MBK파트너스`); not a group's
    # (`LG` of LG 트윈스 beside `LG그룹`: the guideline's own organisations)
    for n in orgs:
        if _LITERAL_RE_4.fullmatch(n):
            hits = [f for f in orgs if f.startswith(n) and _FIRM_TAIL_RE.fullmatch(f[len(n):])]
            if len(hits) == 1:
                short_of[n] = hits[0]
    if not full and not short_of:
        return out
    for es in out:
        for e in es:
            n = e.canonical
            if e.type == "OG" and 3 <= len(n) <= 5 and _LITERAL_RE_1.fullmatch(n) and n not in short_of:
                hits = [f for f in full if f != n and _abbreviates_org(n, f)]
                if len(hits) == 1:
                    short_of[n] = hits[0]
    if not short_of:
        return out
    return [[replace(e, type="OG", canonical=short_of[e.canonical]) if e.canonical in short_of and (
        e.type == "OG" or _BANK_SHORT_RE.fullmatch(e.canonical)) else e for e in es] for es in out]


# twelfth session: a bank's two-syllable short form (`산은` 한국산업은행, `수은` 한국수출입은행, `기은` IBK기업은행)
_BANK_SHORT_RE = re.compile(r"[가-힣]은")


def _bank_short_forms(out: list[list[Entity]], orgs: set[str]) -> dict[str, str]:
    """`X은` for the one bank the article names whose name, without a Latin or `한국` prefix, starts with X and ends
    in 은행 (typed a person or a body): counted under that bank's longest name in the article."""
    banks = [n for n in orgs if n.endswith("은행")]
    res: dict[str, str] = {}
    for n in {e.canonical for es in out for e in es if e.type in ("OG", "PS") and _BANK_SHORT_RE.fullmatch(e.canonical)}:
        hits = [b for b in banks if re.sub(r"^(?:[A-Z]{2,5}|한국)", "", b).startswith(n[0]) and len(b) >= 4]
        if hits and all(h in max(hits, key=len) for h in hits):
            res[n] = max(hits, key=len)
    return res


def tidy(text: str, ents: Sequence[Entity], known: Mapping[str, str], refs: Mapping[str, tuple[str, str]],
          names: set[str], glosses: dict[str, Entity | None]) -> list[Entity]:
    """Surface glitches of a span fixed before it is counted: a bracket the span closes but did not
    open (`코로나19)`, `SK)바이오사이언스`, `AZ)사`, `WHO) 자문단`), a gloss in brackets inside it
    (`감염증(코로나19)`), quotes inside it (`질병청 ”아스트라제네카`: two names), a particle left on
    a name the article or the lexicon knows without it (`아스트라제네카의`), `사` after a company
    (`아스트라제네카사`); an abbreviation the article introduced after a name counts as that name,
    and the bracketed gloss itself is not a second mention. A piece that is a known non-name
    (`코로나19`) is dropped."""
    out: list[Entity] = []
    for e in _split_conjoined(text, [_whole_name(text, e, names, refs) for e in ents], known, refs, names):
        for piece in _clean_pieces(text, e, known):
            if piece is None:
                continue
            name = piece.canonical
            if name in glosses and glosses[name] is None:
                continue  # `IRA` after `인플레이션감축법(IRA)`: a law
            if " " in name and (last := name.rsplit(" ", 1)[1]).isascii() and last in glosses and glosses[last] is None:
                continue  # `한국시리즈 MVP` after `최우수선수(MVP)` (ninth session): the term is the span's head
            g = glosses.get(name)
            if g is not None:
                if text[piece.start - 1:piece.start] == "(" and g.end == piece.start - 1:
                    continue  # the gloss right after its name: one mention, counted under the name
                piece = replace(piece, canonical=g.canonical, type=g.type)
                name = g.canonical
            stem = _strip_tail(name, piece.type, known, refs, names)
            if stem != name and text[piece.start:piece.end] == name and not name.endswith("사"):
                piece = replace(piece, canonical=stem, text=stem, end=piece.start + len(stem))  # a particle: cut
            elif stem != name:
                piece = replace(piece, canonical=stem)  # `아스트라제네카사`: the written form stays the surface
            if known.get(piece.canonical) == "O" or len(piece.canonical) == 0:
                continue
            out.append(piece)
    return out


_AND = ("와", "과", "및", "랑", "이랑", ",")


def _whole_name(text: str, e: Entity, names: set[str], refs: Mapping[str, tuple[str, str]] | None = None) -> Entity:
    """A span cut short inside its word (`이창` of `이창양`, `SK` of `SK온`) is the whole word when
    the article names it so elsewhere or the referent table knows it (`LG|엔솔`), and a person's when
    a title follows the word (`싱하|이밍 주한 중국대사`: the rest is no particle)."""
    if text[e.start:e.end] != e.canonical:
        return e
    run = _LITERAL_RE_1.match(text[e.end:e.end + 6])
    if e.type == "PS" and run and len(run.group(0)) >= 2 and _LITERAL_RE_5.fullmatch(e.canonical) and not (
            is_korean_full_name(e.canonical)):  # `이준석|계 최고위원`: a full name and a suffix
        rest = run.group(0)
        word = e.canonical + rest
        if (len(word) <= 5 and rest not in JOSA and not rest.startswith(ATTACHED_TITLES) and not is_title_word(rest)
                and not text[e.end + len(rest):e.end + len(rest) + 1].isalnum() and apposition_title(text, e.end + len(rest))):
            return replace(e, text=word, end=e.end + len(rest), canonical=word)
    for k in (1, 2):
        word = text[e.start:e.end + k]
        if len(word) == len(e.canonical) + k and " " not in word[len(e.canonical):] and (word in names or word in (refs or {})) and (
                e.end + k == len(text) or not ("가" <= text[e.end + k] <= "힣") or text[e.end + k] in "은는이가을를의에도와과"):
            return replace(e, text=word, end=e.end + k, canonical=word)
    return e


def _split_conjoined(text: str, ents: Sequence[Entity], known: Mapping[str, str],
                     refs: Mapping[str, tuple[str, str]], names: set[str]) -> list[Entity]:
    """A span over `A와 B` (`아스트라제네카와 영국 옥스퍼드대`) is two mentions when A is a name the
    article or the lexicon knows: names joined by `와/과/및` are never one name."""
    out: list[Entity] = []
    for e in ents:
        span = text[e.start:e.end]
        cut = -1
        if " " in span and span == e.canonical:
            pos = 0
            for w in span.split(" ")[:-1]:
                for j in _AND:
                    if not w.endswith(j):
                        continue
                    stem = w[:-len(j)]
                    if len(stem) >= 2 and (stem in names or known.get(stem) in ("PS", "OG", "LC") or stem in refs):
                        cut = pos + len(stem)
                        break
                if cut >= 0:
                    break
                pos += len(w) + 1
        if cut < 0:
            out.append(e)
            continue
        rest_at = span.index(" ", cut) + 1
        head, rest = span[:cut], span[rest_at:]
        out.append(Entity(known.get(head, e.type) if known.get(head) in ("PS", "OG", "LC") else e.type, head,
                          e.start, e.start + cut, head))
        out += _split_conjoined(text, [Entity(e.type, rest, e.start + rest_at, e.end, rest)], known, refs, names)
    return out


_QUOTE_OR_BRACKET_RE = re.compile("[" + re.escape(_QUOTES + "()（）[]") + "]")  # one search, not a scan per character


def _clean_pieces(text: str, e: Entity, known: Mapping[str, str]) -> list[Entity | None]:
    """`e` with stray brackets, inner quotes and middle dots resolved: zero, one or several
    mentions (`삼성SDI·스텔란티스` is two companies, `서울·경기` two places)."""
    span = text[e.start:e.end]
    plain = e.canonical == " ".join(span.split())  # (the span as written, spacing aside: asked up to three times)
    if plain and _LITERAL_RE_6.search(span) and len(span) > 3:
        return _split_at(e, re.split("[·ㆍ・]", span), 1)
    if "…" in span and plain:
        # a headline's clauses glued over `…` (`거제 상륙…남부지방`): each piece's leading proper names only
        out: list[Entity | None] = []
        for piece in _split_at(e, span.split("…"), 1):
            if piece is None:
                continue
            words = piece.canonical.split(" ")
            k = next((i for i, w in enumerate(words) if not has_proper_noun(w)), len(words))
            if k:
                name = " ".join(words[:k])
                out.append(replace(piece, text=name, end=piece.start + len(name), canonical=name))
        return out
    if not plain or _QUOTE_OR_BRACKET_RE.search(span) is None:
        return [e]
    for close, open_ in _CLOSE.items():
        k = span.find(close)
        if k >= 0 and open_ not in span[:k]:
            gloss, rest = span[:k], span[k + 1:]
            if rest and not rest[0].isspace() and len(rest) >= 2 and gloss.isascii():
                joined = gloss + rest  # `(SK)바이오사이언스`: the bracket only glossed the group name
                return [replace(e, text=joined, canonical=" ".join(joined.split()))]
            gloss = gloss.strip(EDGE_PUNCT_ALL)
            return [replace(e, text=gloss, end=e.start + len(gloss), canonical=gloss)] if len(gloss) >= 2 else []
        k = span.find(open_)
        if k > 0 and close in span[k:]:
            j = span.index(close, k)
            head, inner = span[:k].strip(), span[k + 1:j].strip()
            if len(head) < 2 or known.get(inner) == "O" or known.get(head) == "O":
                return []  # `감염증(코로나19)`: a disease glossed, no name
            return [replace(e, text=head, end=e.start + len(head), canonical=" ".join(head.split()))]
    return _split_at(e, re.split("[" + re.escape(_QUOTES) + "]", span), 1)


def _split_at(e: Entity, parts: list[str], gap: int) -> list[Entity | None]:
    """`e`'s span cut into `parts` (consecutive, `gap` characters between them): one mention per
    part of two or more characters, edge punctuation removed."""
    out: list[Entity | None] = []
    i = 0
    for part in parts:
        s = e.start + i
        i += len(part) + gap
        word = part.strip(EDGE_PUNCT_ALL)
        if len(word) >= 2:
            s += part.index(word)
            out.append(Entity(e.type, word, s, s + len(word), " ".join(word.split())))
    return out


def _strip_tail(name: str, typ: str, known: Mapping[str, str], refs: Mapping[str, tuple[str, str]],
                names: set[str]) -> str:
    """`아스트라제네카의` -> 아스트라제네카, `아스트라제네카사` / `AZ사` -> the company, when the name
    without the ending is one the article or the lexicon knows (a Latin abbreviation + `사` always)."""
    def is_name(x: str) -> bool:
        return len(x) >= 2 and (x in names or listed(x))

    def listed(x: str) -> bool:  # the span itself is in `names`: only the lexicon vouches for it
        return known.get(x) in ("PS", "OG", "LC") or x in refs

    if " " not in name and name.endswith(JOSA) and not (typ == "PS" and len(name) == 3 and is_korean_full_name(name)):  # 김정은
        for j in JOSA:
            if name.endswith(j) and is_name(name[:-len(j)]) and not listed(name):
                return name[:-len(j)]
    if typ == "OG" and name.endswith("사") and len(name) >= 3 and (
            is_name(name[:-1]) or name[:-1].isascii() and name[:-1].isalpha()) and not listed(name):
        return name[:-1]
    return name


_BUSINESS_TITLE_RE = re.compile(r"\s?(?:CEO|COO|CFO|CTO|최고경영자|회장|부회장|사장|창업자|공동창업자|대표이사|의장)(?![A-Za-z])")


def split_business_apposition(text: str, ents: Sequence[Entity], article: str) -> list[Entity]:
    """`토마스 잉엔라트 폴스타 CEO`, `윌리엄 리 니오 회장`: in a person span of three or more words
    before a business title, the last word is the company when the article also writes it on its own;
    in a two-word one (`자그딥 싱 퀀텀스케이프 CEO` read as `싱 퀀텀스케이프`) when the first word takes a
    title on its own elsewhere (`싱 CEO`) and the last never does (`일론 머스크 CEO` stays whole:
    `머스크 CEO`)."""
    out: list[Entity] = []
    for e in ents:
        words = e.canonical.split(" ")
        last = words[-1]
        if (e.type == "PS" and len(words) >= 2 and text[e.start:e.end] == e.canonical and len(last) >= 2
                and (bt := _BUSINESS_TITLE_RE.match(text, e.end)) and not is_title_word(last + bt.group(0))  # `홍 정책위|의장`
                and (len(words) >= 3 and _count(article, last) >= 2
                     or _titled_alone(words[-2], article, words[-3] if len(words) > 2 else "") and not _titled_alone(last, article, words[-2])
                     and _count(article, last) >= 2
                     or not _titled_alone(last, article, words[-2]) and _company_cued(last, article))):
            cut = e.end - len(last) - 1
            out += [Entity("PS", text[e.start:cut], e.start, cut, " ".join(words[:-1])),
                    Entity("OG", last, cut + 1, e.end, last)]
        elif (e.type in ("PS", "OG") and len(words) >= 3 and text[e.start:e.end] == e.canonical and len(last) >= 2
              and ((gloss := (_GLOSS_AFTER_RE.match(text, e.end) or _NO_MATCH).group(0)) and _ends_in_title(text, e.end + len(gloss))
                   or title_after(text, e.end))
              and not _titled_alone(last, article, words[-2])
              and (_count(article, last) >= 2 or gloss)
              and (_is_place_word(last, article) or _titled_alone(words[-2], article, words[-3]) or gloss)):
            # any title: `엔제 포스테코글루 토트넘 감독` (… `포스테코글루 감독`), `브라이언 켐프 조지아 주지사`
            # (조지아주 in the article): the person, then the club, company or place he is introduced by
            cut = e.end - len(last) - 1
            out += [Entity("PS", text[e.start:cut], e.start, cut, " ".join(words[:-1])),
                    Entity("LC" if _is_place_word(last, article) else "OG", last, cut + 1, e.end, last)]
        elif (e.type == "PS" and len(words) == 2 and text[e.start:e.end] == e.canonical and len(last) >= 2
              and is_korean_full_name(words[0]) and words[0][0] in COMMON_SURNAMES and not _one_common_noun(words[0])
              and title_after(text, e.end) and not is_title_word(last) and not _one_common_noun(last)
              and not _titled_alone(last, article, words[0])):  # `라파엘 그로시 사무총장` (… `그로시 사무총장`) stays whole
            # `방시혁 하이브 의장`, `민희진 어도어 대표`: a Korean full name is one word, so a second word before a
            # title is the body he is introduced by
            cut = e.end - len(last) - 1
            out += [Entity("PS", text[e.start:cut], e.start, cut, words[0]),
                    Entity("LC" if _is_place_word(last, article) else "OG", last, cut + 1, e.end, last)]
        else:
            out.append(e)
    return out


def _one_common_noun(word: str) -> bool:
    """Kiwi reads `word` as one common noun of its dictionary (`외야수`, `소설가`), no name."""
    from analytics.nlp.entities.names import word_morphs

    toks = word_morphs(word)
    return len(toks) == 1 and toks[0][0] == "NNG" and toks[0][1] > 3


# an abbreviation glossing the last word (`우르줄라 폰데어라이엔 유럽연합(EU) 집행위원장`): that word is a body
_GLOSS_AFTER_RE = re.compile(r"\([A-Z][A-Za-z]{1,7}\)")
_NO_MATCH = re.compile("").match("")


def _ends_in_title(text: str, end: int) -> bool:
    """The next word ends in a title (`(EU) 집행위원장`)."""
    m = _LITERAL_RE_2.match(text[end:])
    if m is None:
        return False
    word = next((m.group(1)[:-len(j)] for j in JOSA if m.group(1).endswith(j) and len(m.group(1)) > len(j) + 1), m.group(1))
    return any(word.endswith(t) for t in ("위원장", "총장", "의장", "대표", "총재", "사무총장", "대변인", "대사"))


def _is_place_word(word: str, article: str) -> bool:
    """A country, or a state the article names with `주` (`조지아` beside `조지아주`)."""
    return word in COUNTRY_NAMES or any(find_word(article, word + "주", HANGUL, HANGUL))


def _company_cued(word: str, article: str) -> bool:
    """The article calls `word` a company somewhere (`업체 니오와 샤오펑이`, `브랜드 폴스타가`)."""
    # (`re.search` of `(?:^|\s)<class word>(?:\s+\S+(?:와|과|및|,))*\s<word><particle or boundary>|<word>(?:은|는|이|가)?\s주가`:
    # the word's every position, the text before it read backwards from there by `_CUED_BEFORE_RE`)
    return any(_CUED_AFTER_RE.match(article, i + len(word)) and _CUED_BEFORE_RE.search(article, 0, i)
               or _STOCK_AFTER_RE.match(article, i + len(word)) for i in starts(article, word))


_CUED_BEFORE_RE = re.compile(r"(?:^|\s)" + APPOSITION_NOUNS + r"(?:\s+[^\s]+(?:와|과|및|,))*\s\Z")
_CUED_AFTER_RE = re.compile(r"[은는이가을를의와과도에]|(?![가-힣A-Za-z0-9])")
_STOCK_AFTER_RE = re.compile(r"(?:은|는|이|가)?\s(?:주가|시가총액|시총)")


def _count(article: str, word: str) -> int:
    """How often `word` stands in the article not right after a letter (`re.findall` of `(?<![가-힣A-Za-z])word`)."""
    return sum(1 for _ in find_word(article, word, HANGUL_LATIN))


def _titled_alone(word: str, article: str, after: str = "", personal: bool = False) -> bool:
    """`word` stands on its own before a title somewhere in the article (`싱 CEO는`); with `after`,
    occurrences right after that word do not count (the span being split); with `personal`, business
    titles do not count either (`퀀텀스케이프 CEO` is the company's CEO), nor a title after a Korean full
    name and the word (`민희진 어도어 대표`: 어도어 is her label)."""
    for start, end in find_word(article, word, HANGUL_LATIN, HANGUL_LATIN):
        t = title_after(article, end)
        if t and not (after and article[:start].endswith(after + " ")) and not (
                personal and (_BUSINESS_TITLE_RE.fullmatch(" " + t) or (
                    (pw := _FULL_NAME_BEFORE_RE.search(article[max(0, start - 5):start])) is not None
                    and is_korean_full_name(pw.group(1))))):
            return True
    return False


_FULL_NAME_BEFORE_RE = re.compile(r"(?:^|\s)([가-힣]{3})\s$")


def _unknown_name_word(word: str) -> bool:
    """Thirteenth session: a person span's last word that ends like a body only by one syllable (`부`, `처`, `당`, ...) and that Kiwi
    reads as one word outside its dictionary (`가쓰노부` of 가토 가쓰노부; not `외교부`, `재무부`, `연세대`): a given name, no body."""
    if not _LITERAL_RE_8.fullmatch(word) or word[-1] not in "부처청당회위대":
        return False
    toks = word_morphs(word)
    return len(toks) == 1 and toks[0][0] == "NNG" and toks[0][1] <= 3


def split_person_prefix(text: str, ents: Sequence[Entity], known: Mapping[str, str],
                        families: frozenset[str] | set[str] = frozenset()) -> list[Entity]:
    """A person glued before an organisation or place anywhere in a span (`제롬 파월 미국
    연방준비제도`, `호세 무뇨스 현대차 북미`, `인요한 연세대`, `박진 외교부` before `장관`): the
    person apart, the rest as its own mention (split further by `split_places`). `families`: the family names of the
    article's foreign full names, each a person on its own (`라마포사 남아공 대통령`, eleventh session)."""
    out: list[Entity] = []
    for e in ents:
        words = e.canonical.split(" ")
        span = text[e.start:e.end]
        titled = title_after(text, e.end) is not None
        k = next((i for i, w in enumerate(words) if i >= 1 and (
            known.get(w) in ("OG", "LC") or len(w) >= 3 and ORG_SUFFIX_RE.match(w) and not (
                i == len(words) - 1 and _unknown_name_word(w)) or titled and _FINANCE_BODY_RE.match(w)
            or _glued_place(words, i, titled, known))), 0) if (
            span == e.canonical) else 0
        head = words[:k]
        if k and (_reads_as_person(head, known, titled) or len(head) == 1 and head[0] in families or (
                titled and k == 1 and words[1] in COUNTRY_NAMES and _name_before_country(head[0], known))):
            cut = len(" ".join(head))
            rest = span[cut + 1:]
            out.append(Entity("PS", span[:cut], e.start, e.start + cut, span[:cut]))
            out.append(Entity(known.get(rest) if known.get(rest) in ("OG", "LC") else
                              "LC" if _glued_place(words, k, titled, known) else
                              (known.get(words[k]) or "OG") if e.type == "PS" else "OG" if _FINANCE_BODY_RE.match(rest) else e.type,
                              rest, e.start + cut + 1, e.end, rest))
        else:
            out.append(e)
    return out


def _glued_place(words: list[str], i: int, titled: bool, known: Mapping[str, str]) -> bool:
    """Fifteenth session: the last word of a span before a title is a country glued after a foreign name of two words
    or more (`레제프 타이이프 에르도안 튀르키예 대통령` -> the president, 튀르키예); one word before a country keeps
    the twelfth session's stricter test (`리창 중국 국무원 총리`)."""
    return titled and i >= 2 and i == len(words) - 1 and words[i] in COUNTRY_NAMES or _glued_county(words, i, known)


_COUNTY_RE = re.compile(r"^[가-힣]{2,4}[시군구]$")


def is_county(word: str, known: Mapping[str, str]) -> bool:
    """Sixteenth session: a city, county or district and its unit: a place the lexicon knows (`강남구`, `김해시`), or a
    proper noun to Kiwi and its unit that does not read as a Korean full name (`화순군`, `광명시`; not `연구`, `박상구`)."""
    if not _COUNTY_RE.match(word):
        return False
    if "LC" in (known.get(word), known.get(word[:-1])):
        return True
    return known.get(word) is None and not is_korean_full_name(word) and has_proper_noun(word[:-1])


def _glued_county(words: list[str], i: int, known: Mapping[str, str]) -> bool:
    """Sixteenth session: a Korean full name glued before a city, county or district (`구창민 화순군 감사실장`,
    `홍길순 강남구 보건소장`): the official of that place, and the place."""
    return i == 1 == len(words) - 1 and is_korean_full_name(words[0]) and is_county(words[1], known)


# twelfth session: a financial group's or firm's name (`진옥동 신한금융지주 회장`: the chairman, then the holding)
_FINANCE_BODY_RE = re.compile(r"^[가-힣A-Za-z]{2,}(?:금융지주|금융그룹|금융|지주|증권|생명|화재|캐피탈|카드|보험)$")


def _name_before_country(word: str, known: Mapping[str, str]) -> bool:
    """Twelfth session: a one-word name of two to four syllables before a country, its body and a title (`리창 중국
    국무원 총리`): a proper noun to Kiwi, no known body or place."""
    return bool(HANGUL_NAME.match(word)) and len(word) <= 4 and known.get(word) is None and has_proper_noun(word)


def _reads_as_person(words: list[str], known: Mapping[str, str], titled: bool) -> bool:
    """Words before an organisation that name a person: a Korean full name, a known person name,
    a two-syllable Korean name right before a title (`박진 외교부 장관`), or two short Hangul words
    none of which is a known non-person (`제롬 파월`; up to five before a title)."""
    if any(known.get(w) in ("OG", "LC", "O") for w in words):
        return False
    if len(words) == 1:
        w = words[0]
        return is_korean_full_name(w) or known.get(w) == "PS" or (
            titled and len(w) == 2 and w[0] in SURNAMES and bool(HANGUL_NAME.match(w)))
    # two short Hangul words (`제롬 파월`), or up to five before a title (`무함마드 빈 자예드 알나하얀 UAE 대통령`)
    return (len(words) == 2 or titled and len(words) <= 5) and all(
        1 <= len(w) <= 5 and HANGUL_NAME.match(w) or len(w) == 1 for w in words)


_ORDINAL_FACILITY_RE = re.compile(r"^[^ ]+ 제\d+[가-힣]")


def split_places(text: str, ents: Sequence[Entity], known: Mapping[str, str]) -> list[Entity]:
    """Places glued to a place or an organisation count apart (`미국 뉴욕` -> 미국, 뉴욕;
    `서울 여의도 국회` -> 서울, 여의도, 국회); a piece that is no name (`정부`) is dropped."""
    out: list[Entity] = []
    for e in ents:
        if " " not in e.canonical or e.text != e.canonical or e.type == "OG" and _ORDINAL_FACILITY_RE.search(e.canonical):
            out.append(e)  # `후쿠시마 제1원자력발전소`: a facility numbered within its place is one name
            continue
        words = e.canonical.split(" ")
        if (e.type == "OG" and len(words) == 2 and _LITERAL_RE_9.fullmatch(words[0]) and known.get(words[0]) == "LC"
                and known.get(words[1]) == "OG"):
            # `LA 다저스`: a club named with its city's Latin abbreviation is one organisation, counted under its usual
            # short name (a city written out stays apart: `홍콩 사우스차이나모닝포스트`, `부산 경찰`)
            s = e.end - len(words[1])
            out.append(Entity("OG", words[1], s, e.end, words[1]))
            continue
        admin = [w for w in words if known.get(w) == "LC" or ADMIN_RE.match(w)]
        states = {w: "LC" for w in words[:-1] if FOREIGN_STATE_RE.match(w)}  # `오하이오주 로즈타운`
        local = ChainMap({w: "LC" for w in admin}, known) if len(admin) >= 2 else ChainMap(states, known) if states else known
        # a place span's words after a place are never a person (`캘리포니아주 앨러미다 카운티`)
        for s, t_end, typ in split_glued(text, e.start, e.end, e.type, local, places=True, strict=e.type == "LC"):
            piece = text[s:t_end]
            if _SITE_WORD_RE.fullmatch(piece) and s > e.start:
                continue  # `울산 조선소에서`: the shipyard of that place, a common noun (tenth session)
            if e.type == "LC" and s > e.start and typ == "OG" and _SITE_END_RE.search(piece):
                typ = "LC"  # `경북 포항시 남구 포항제철소를 찾아`: a site written within its place is a place (tenth session)
            if known.get(piece) != "O":
                out.append(Entity(typ, piece, s, t_end, " ".join(piece.split())))
    return out


# sites a company or a body runs, named after a place (`포항제철소`, `기흥캠퍼스`), after its owner (`단고테 정유공장`:
# `retype._PLANT_RE`) or on their own (`조선소`): one list for the three
SITE_WORDS = r"(?:정유공장|제철소|조선소|캠퍼스|발전소|사업장|공장|광산|농장)"
_SITE_WORD_RE = re.compile(r"(?:" + SITE_WORDS + r"|사업소|도청|시청|군청|구청)")
_SITE_END_RE = re.compile(r"[가-힣]{2,}" + SITE_WORDS + r"$")


def one_type_for_split_names(out: list[list[Entity]], article: str = "", known: Mapping[str, str] | None = None,
                             retype: Mapping[str, str] | None = None) -> list[list[Entity]]:
    """One type per name within an article. A one-word "person" that is no Korean full name, no word
    of a person's multi-word name there (`머스크` of 일론 머스크), no known person and never followed
    by a title in the article is the organisation or place the article otherwise makes it:
    - the article names it so at least as often (`폴스타`, split off `토마스 잉엔라트 폴스타 CEO`;
      `새만금` in a headline, a place in the body), or it is a word of an organisation's or place's
      span (`보스토치니` of `보스토치니 우주기지`);
    - the article names its group or holding (`쌍방울` beside `쌍방울그룹`), or it extends an
      organisation's name (`버크셔해서웨이` beside `버크셔`);
    - `retype`: a name glossed by an organisation's abbreviation (`비야디(BYD)`).
    A one-word place made of a company's name and a country (`테슬라코리아`, `현대차인도네시아`) is
    that company's subsidiary, an organisation."""
    known = known or {}
    retype = retype or {}
    whole: dict[str, Counter] = {}
    words_of: dict[str, str] = {}
    person_words: set[str] = set()
    for es in out:
        for e in es:
            whole.setdefault(e.canonical, Counter())[e.type] += 1
            if " " in e.canonical:
                for w in e.canonical.split(" "):
                    if e.type == "PS":
                        person_words.add(w)
                    else:
                        words_of.setdefault(w, e.type)
    article_orgs = {n for n, c in whole.items() if c.get("OG", 0) > c.get("PS", 0) and len(n) >= 2}
    orgs = ChainMap(dict.fromkeys(article_orgs, "OG"), known)
    decided: dict[str, str] = {}
    people: dict[str, str] = {}
    for name, c in whole.items():
        if not (c.get("PS") and c.get("OG")):
            continue
        # a person typed an organisation once (`장제원) 연대`, a headline's `킴벌 머스크`): a person throughout, when
        # a title follows the Korean full name, or the foreign name's family name is another person's too
        if (is_korean_full_name(name) and known.get(name) in (None, "PS") and article and _titled_alone(name, article, personal=True)) or (
                name.count(" ") == 1 and any(w != name and w.endswith(" " + name.split(" ")[1]) for w in whole if whole[w].get("PS"))):
            people[name] = "PS"
    if people:
        out = [[replace(e, type="PS") if e.canonical in people else e for e in es] for es in out]
    for name, c in whole.items():
        if " " in name or name in person_words or name in people:
            continue
        if c.get("PS") and c.get("OG") and known.get(name) != "PS" and (not is_korean_full_name(name) or c["OG"] >= c["PS"] and (
                article and not _titled_alone(name, article, personal=True))):
            decided[name] = "OG"  # `폴스타` split off `… 폴스타 CEO`, or once after `브랜드`: a company throughout
            continue
        if c.get("PS") and name in retype:
            decided[name] = retype[name]
            continue
        if c.get("LC") and _subsidiary(name, orgs):
            decided[name] = "OG"
            continue
        if not c.get("PS") or is_korean_full_name(name) or known.get(name) == "PS" or (
                article and _titled_alone(name, article, personal=True)):
            continue
        other = {t: n for t, n in c.items() if t != "PS"}
        if name in words_of:
            other[words_of[name]] = other.get(words_of[name], 0) + 1
        if other and sum(other.values()) >= c["PS"]:
            decided[name] = max(other, key=lambda t: (other[t], t == "OG"))
        elif any(o != name and (o.startswith(name) and o[len(name):] in _GROUP_ENDINGS
                                or len(o) >= 2 and name.startswith(o) and len(name) >= len(o) + 2)
                 for o in article_orgs):
            decided[name] = "OG"
    # a place that begins a company's name the article writes in full (`화천대유에서` beside `화천대유자산관리`): that company
    whole_of = {name: o for name, c in whole.items() if c.get("LC") and " " not in name and known.get(name) is None
                for o in article_orgs if o.startswith(name) and _COMPANY_TAIL_RE.fullmatch(o[len(name):])}
    # ... also when the recognizer left the company's word untagged (`화천대유자산관리 대주주`)
    for name, c in whole.items():
        if c.get("LC") and name not in whole_of and " " not in name and len(name) >= 2 and known.get(name) is None and article:
            tail = next((m.group(1) for i in starts(article, name) if (i == 0 or not HANGUL.match(article, i - 1))
                         and (m := _COMPANY_TAIL_END_RE.match(article, i + len(name)))), None)
            if tail is not None:
                whole_of[name] = name + tail
    if whole_of:
        out = [[replace(e, type="OG", canonical=whole_of[e.canonical]) if e.type == "LC" and e.canonical in whole_of else e
                for e in es] for es in out]
    if not decided:
        return out
    return [[replace(e, type=decided[e.canonical]) if e.canonical in decided and e.type in ("PS", "LC") else e
             for e in es] for es in out]


_FIRM_TAIL_RE = re.compile(r"파트너스|자산운용|자산관리|인베스트먼트|캐피털|캐피탈|프라이빗에쿼티|PE")
_COMPANY_TAIL_RE = re.compile(r"(?:자산관리|자산운용|홀딩스|그룹|캐피털|캐피탈|파트너스|인베스트먼트|증권|은행|건설|전자|산업|컨텐츠|콘텐츠)")
_COMPANY_TAIL_END_RE = re.compile(r"(" + _COMPANY_TAIL_RE.pattern + r")(?![가-힣])")


def clubs_named_in_full(out: list[list[Entity]], article: str, known: Mapping[str, str]) -> list[list[Entity]]:
    """A multi-word "person" whose first word the article also types as an organisation and that no
    title follows anywhere (`토트넘 홋스퍼의 주장` beside `… 토트넘 감독` split off a person): the club or
    company, counted under that first word."""
    orgs = {e.canonical for es in out for e in es if e.type == "OG" and " " not in e.canonical and len(e.canonical) >= 2
            and not is_korean_full_name(e.canonical) and known.get(e.canonical) != "PS"}
    if not orgs:
        return out

    people = {e.canonical.split(" ")[-1] for es in out for e in es if e.type == "PS"}

    def titled(word: str) -> bool:  # before a title, not as the affiliation after a person (`포스테코글루 토트넘 감독`)
        for start, end in find_word(article, word, HANGUL_LATIN, HANGUL_LATIN):
            prev = article[:start].rstrip().rsplit(None, 1)
            if title_after(article, end) and not (prev and prev[-1] in people):
                return True
        return False

    def club(e: Entity) -> bool:
        w = e.canonical.split(" ")
        return (e.type == "PS" and len(w) >= 2 and w[0] in orgs and has_proper_noun(w[0]) and not titled(w[0]) and not _titled_alone(w[-1], article)
                and not any(_TITLE_NEXT_RE.match(article, i + len(e.canonical)) for i in starts(article, e.canonical)))

    # counted under the short name the article uses (`토트넘`), as one organisation
    return [[replace(e, type="OG", canonical=e.canonical.split(" ")[0]) if club(e) else e for e in es] for es in out]


# thirteenth session: a club's nickname, an English plural in Hangul (`타이거즈`, `라이온즈`, `트윈스`, `이글스`), not a company's ending
_NICKNAME_RE = re.compile(r"[가-힣]{2,6}[스즈츠]")
_NOT_NICKNAMES = ("홀딩스", "파트너스", "모터스", "벤처스", "시스템즈", "솔루션스", "솔루션즈", "테크놀로지스", "랩스", "웍스", "에어라인스",
                  "타임스", "뉴스", "서비스", "비즈", "일렉트로닉스", "머티리얼즈", "그룹스", "마켓츠", "캐피털스", "인더스트리즈")


def club_short_names(out: list[list[Entity]], known: Mapping[str, str]) -> list[list[Entity]]:
    """Thirteenth session: a club written `<short name> <nickname>` (`KIA 타이거즈`, `삼성 라이온즈`) in an article that also
    writes the short name alone as an organisation (`KIA는 … 우승을 차지했다`) is counted under that short name, as the
    guideline counts a club (`LG` for LG 트윈스), and so is the nickname alone (`기아와 타이거즈는`)."""
    alone = {e.canonical for es in out for e in es if e.type == "OG" and " " not in e.canonical}
    clubs: dict[str, str] = {}
    for es in out:
        for e in es:
            w = e.canonical.split(" ")
            if (e.type == "OG" and len(w) == 2 and w[0] in alone and _NICKNAME_RE.fullmatch(w[1]) and not w[1].endswith(_NOT_NICKNAMES)
                    and known.get(w[1]) is None and known.get(e.canonical) in (None, "OG") and not is_korean_full_name(w[0])):
                clubs.setdefault(e.canonical, w[0])
                clubs.setdefault(w[1], w[0])
    if not clubs:
        return out
    return [[replace(e, type="OG", canonical=clubs[e.canonical]) if e.canonical in clubs and e.type in ("OG", "PS") else e for e in es]
            for es in out]


def headline_affiliations(texts: Sequence[str], out: list[list[Entity]], n_head: int) -> list[list[Entity]]:
    """Thirteenth session: a headline's short company name right before a person (`KB 양종희 "…"`) is the company the body
    names that person with (`양종희 KB금융 회장`: the organisation right after his name, whose name starts with the short one)."""
    if not n_head:
        return out
    affiliation: dict[str, str] = {}
    for text, es in zip(texts[n_head:], out[n_head:], strict=True):
        for a, b in zip(es, es[1:], strict=False):
            if a.type == "PS" and b.type == "OG" and b.start == a.end + 1 and text[a.end] == " ":
                affiliation.setdefault(a.canonical, b.canonical)
    if not affiliation:
        return out
    head = []
    for text, es in zip(texts[:n_head], out[:n_head], strict=True):
        row = list(es)
        for i, (a, b) in enumerate(zip(es, es[1:], strict=False)):
            full = affiliation.get(b.canonical) if a.type == "OG" and b.type == "PS" and b.start == a.end + 1 else None
            if full and " " not in a.canonical and full != a.canonical and full.startswith(a.canonical) and text[a.end] == " ":
                row[i] = replace(a, canonical=full)
        head.append(row)
    return head + out[n_head:]


_TITLE_NEXT_RE = re.compile(r"\s?(?:" + TITLE_ALT + ")")
_GROUP_ENDINGS = ("그룹", "홀딩스", "지주", "계열", "계열사", "코리아", "재단")
_SUBSIDIARY_PLACES = ("코리아", "차이나", "재팬", "저팬", "아메리카", "유럽", "아시아", "인디아", "인도네시아", "베트남", "미국",
                      "중국", "일본", "독일", "인도", "브라질", "멕시코", "캐나다", "호주", "영국", "프랑스")


def _subsidiary(name: str, orgs: Mapping[str, str]) -> bool:
    """`테슬라코리아`: a company's name (the article's or the lexicon's) followed by a country's."""
    return name.endswith(_SUBSIDIARY_PLACES) and any(name.endswith(p) and len(name) > len(p) + 1 and orgs.get(name[:-len(p)]) == "OG" for p in _SUBSIDIARY_PLACES)
