"""Names the recognizer left untagged or cut: a word before a title that the article's `surname + title` stands
for (`친강 외교부장`), a full name cut short, people spans, given names."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.names import (
    DETERMINERS,
    JOSA,
    SURNAME_TITLE_RE,
    SURNAME_TITLES,
    SURNAMES,
    apposition_title,
    has_proper_noun,
    is_korean_full_name,
    is_person_name,
    is_title_word,
    title_after,
)
from analytics.nlp.entities.occurrences import HANGUL, HANGUL_LATIN_DIGIT, find_any, find_word
from analytics.nlp.entities.words import (
    _PARTICLE_END_RE,
    _bare_word,
    _common_noun,
    _common_nouns_only,
    _latin_abbreviation,
)

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"(?:^|(?<=[\s'\"‘“(]))([가-힣]{2,4})\s$")
_LITERAL_RE_2 = re.compile(r" ([가-힣]{2,4})(?=\s)")
_LITERAL_RE_3 = re.compile(r"[가-힣]")
_LITERAL_RE_4 = re.compile(r"[가-힣]+")
_LITERAL_RE_5 = re.compile(r"[가-힣]{1,2}")

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
    found: dict[str, int] = {}
    for k, text in enumerate(texts):
        for m in _HANGUL_WORD_RE.finditer(text):
            w = m.group(1)
            if w[0] not in short:
                continue
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
    names_in_order = list(keep)
    out = []
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        extra = [Entity("PS", w, s, t, w) for s, t, w in find_any(text, names_in_order, HANGUL_LATIN_DIGIT, _NAME_END_RE)
                 if not any(a < t and s < b for a, b in spans[k]) and (
                     _PARTICLE_END_RE.match(text, t) or not HANGUL.match(text[t:t + 1]))]
        if extra:
            starts = {x.start for x in extra}
            ents = [e for e in ents if not (e.type == "PS" and e.end - e.start == 1 and e.start in starts)]
        out.append(sorted(list(ents) + extra, key=lambda x: x.start) if extra else list(ents))
    return out


# a Hangul word of two to four syllables (a name's candidate), and what may follow a name: a particle, no Hangul, the end
_HANGUL_WORD_RE = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,4})(?![가-힣])")
_NAME_END_RE = re.compile("|".join(JOSA) + r"|[^가-힣]|$")

# particles no Korean given name ends in (names do end in 이, 가, 도, 만, 로)
_CUT_NAME_PARTICLES = frozenset("은는을를의에와과")


def _cut_full_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], article: str) -> list[list[Entity]]:
    """A person span that stops inside a word (`한진` of a headline's `한진만`, Kiwi reading 만 as "only") is that word when
    it is a Korean full name the article writes before a title (`삼성전자 한진만 파운드리사업부장은`); so is every
    occurrence of the word on its own, tagged or not (tenth session)."""
    words: set[str] = set()
    for text, ents in zip(texts, per_sentence, strict=True):
        for e in ents:
            if e.type == "PS" and " " not in e.canonical and e.end < len(text) and _LITERAL_RE_3.match(text[e.end]):
                m = _LITERAL_RE_4.match(text[e.start:])
                w = m.group(0) if m else ""
                if len(w) == len(e.canonical) + 1 and w[-1] not in _CUT_NAME_PARTICLES and is_korean_full_name(w) and w not in words and any(
                        apposition_title(article, end) for _, end in find_word(article, w, HANGUL, HANGUL)) and not any(
                        apposition_title(article, end) for _, end in find_word(article, e.canonical, HANGUL, HANGUL)):
                    words.add(w)  # (`김용 전 부원장` written: 김용 is the name, `김용은 …` its particle)
    if not words:
        return [list(ents) for ents in per_sentence]
    in_order = sorted(words)
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        hits = list(find_any(text, in_order, HANGUL_LATIN_DIGIT, _NAME_END_RE))
        if not hits:
            out.append(list(ents))
            continue
        row = [e for e in ents if not any(e.type == "PS" and e.start == s and e.end < t for s, t, _ in hits)]
        row += [Entity("PS", w, s, t, w) for s, t, w in hits if not any(e.start < t and s < e.end for e in row)]
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
            m = _LITERAL_RE_1.search(text[max(0, e.start - 8):e.start])
            w = m.group(1) if m else ""
            if (m and w not in _HOLDER_WORDS and known.get(w) is None and not is_title_word(w) and w not in SURNAME_TITLES
                    and not _common_noun(w) and not _common_nouns_only(w) and not is_korean_full_name(w) and title_after(text, e.end) is None
                    and _LITERAL_RE_5.fullmatch(e.canonical) and _bare_word(w) and apposition_title(text, e.end)):
                s = e.start - len(w) - 1
                row[i] = replace(e, start=s, text=text[s:e.end], canonical=f"{w} {e.canonical}")
                continue
            # ... and a given name tagged alone (`잭` of `잭 도시 트위터 CEO`) with the family name after it
            # untagged: the whole name, when a title follows the family name (its affiliation between)
            m = _LITERAL_RE_2.match(text[e.end:e.end + 6])
            w = m.group(1) if m else ""
            if (m and not (i + 1 < len(row) and row[i + 1].start < e.end + 1 + len(w)) and title_after(text, e.end) is None
                    and w not in _HOLDER_WORDS and known.get(w) not in ("OG", "LC", "O") and not is_title_word(w)
                    and w not in SURNAME_TITLES and (e.canonical not in SURNAMES or has_proper_noun(w)) and _bare_word(w)
                    and apposition_title(text, e.end + 1 + len(w))):
                t = e.end + 1 + len(w)
                row[i] = replace(e, end=t, text=text[e.start:t], canonical=f"{e.canonical} {w}")
        out.append(row)
    return out


# a word of one to four syllables and a one-syllable word after it (`리사 수`, `또 럼`): a foreign name ending in a
# one-syllable family name
_SHORT_WORD_NAME_RE = re.compile(r"(?<![가-힣A-Za-z0-9\-])([가-힣]{1,4}(?:-[가-힣]{1,4})?) ([가-힣])(?![가-힣A-Za-z0-9])")


def _one_syllable_family_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str],
                               titled: Sequence[Sequence[re.Match]]) -> list[list[Entity]]:
    """Twelfth session: a foreign full name the recognizer left untagged whose family name is one syllable (`리사 수
    AMD CEO`, `또 럼 베트남 공산당 서기장`), when the article writes that syllable apart before a title (`수 CEO는`,
    `럼 서기장은`) and tags no person whose name ends in it: the untagged word and that syllable before a title (with
    its affiliation between) are that person. The first word is one
    syllable (`또 럼`), else a bare word Kiwi reads as no common nouns (`리사`; not `설연휴 뒤`, `알리려고 이`); the syllable is
    no Korean surname (those go to the article's Korean full names); holder words (`신임`, `당시`) and known names never."""
    tagged_last = {e.canonical.rsplit(" ", 1)[-1] for ents in per_sentence for e in ents if e.type == "PS"}
    # the syllable written on its own before a title of two or more syllables, not after another word (`용 시 교수` is no `시 교수`)
    short = {m.group(1) for t, ms in zip(texts, titled, strict=True) for m in ms if m.end(1) < m.start(2) and len(m.group(2)) >= 2 and (
        m.group(1) not in tagged_last and m.group(1) not in DETERMINERS and m.group(1) not in SURNAMES) and not re.search(
            r"[가-힣A-Za-z0-9\-]\s?$", t[:m.start(1)])}
    if not short:
        return [list(ents) for ents in per_sentence]
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        spans = [(e.start, e.end) for e in ents]
        extra = []
        for m in _SHORT_WORD_NAME_RE.finditer(text):
            w, x = m.group(1), m.group(2)
            if x not in short or any(a < m.end() and m.start() < b for a, b in spans) or not apposition_title(text, m.end()):
                continue
            if w in _HOLDER_WORDS or w in DETERMINERS or known.get(w) in ("OG", "LC", "O") or known.get(m.group(0)) in ("OG", "LC", "O"):
                continue
            if not (len(w) == 1 or "-" in w or _bare_word(w) and not _common_nouns_only(w)):
                continue  # `설연휴 뒤`, `알리려고 이`: common nouns or a verb's form, no first name
            extra.append(Entity("PS", m.group(0), m.start(), m.end(), m.group(0)))
        out.append(sorted([*ents, *extra], key=lambda e: e.start) if extra else list(ents))
    return out


# Latin initials written before a name (`J.D. 밴스`, `R.J. 스카린지`, `J. 로버트 오펜하이머`)
_INITIALS_BEFORE_RE = re.compile(r"(?<![A-Za-z0-9.])((?:[A-Z]\.\s?){1,3}[A-Z]?\.?) $")


def _initials_before_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]]) -> list[list[Entity]]:
    """Twelfth session: Latin initials right before a person's span are part of the name (`J.D. 밴스 부통령`: the
    recognizer tags `밴스`), so the full name as written is the referent its family name resolves to."""
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = list(ents)
        for i, e in enumerate(row):
            if e.type == "PS" and (m := _INITIALS_BEFORE_RE.search(text, 0, e.start)) is not None and m.group(1).endswith(".") and not any(
                    x.end > m.start(1) and x.start < e.start for x in row):
                initials = re.sub(r"\.\s", ".", m.group(1))  # `J. D.` -> `J.D.`
                row[i] = replace(e, text=text[m.start(1):e.end], start=m.start(1), canonical=f"{initials} {e.canonical}")
        out.append(row)
    return out


def _titles_cut_from_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]]) -> list[list[Entity]]:
    """Twelfth session: a person's span that ends in a title word (`방가 총재`, `크리스탈리나 게오르기에바 IMF 총재`) is
    the name before it; a Latin abbreviation between them (`IMF`, the body) goes with the title."""
    out = []
    for ents in per_sentence:
        row = []
        for e in ents:
            words = e.canonical.split(" ")
            n = len(words)
            if e.type == "PS" and n >= 2 and words[-1] in SURNAME_TITLES:
                n -= 1
                while n > 1 and _latin_abbreviation(words[n - 1]):
                    n -= 1
                if (m := re.match(r"\s+".join(map(re.escape, words[:n])), e.text)) is not None:
                    e = replace(e, text=m.group(0), end=e.start + m.end(), canonical=" ".join(words[:n]))
            row.append(e)
        out.append(row)
    return out
