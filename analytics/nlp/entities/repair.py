"""Rules on the CRF's spans that the character window cannot learn from 3,537 KLUE sentences.

Each rule reads only the span, the sentence's Kiwi morphemes and the name tables, and fixes an
error seen on news with the round-8 model (docs/method/entities.md, Round 8):

- `extend_cut_name`: a Korean full name cut after two syllables (`최윤` of `최윤호`, Kiwi reading
  `최윤/NNP 호/NNB`) is the whole word;
- `company_not_product`: an organisation span that glues a product to the company before it
  (`현대차 코나 일렉트릭`) is the company;
- `inside_code`: a span that starts inside a hyphenated code (`GMP` of `E-GMP`) is a fragment;
- `place_before_clause_noun`: a place span whose last word is a common noun ending a headline
  clause (`경남 거제 상륙…`: what happened there) ends before that noun;
- `place_then_person`: a one-word person right after a state or province (`미국 텍사스주 | 오스틴`)
  is the city in it: one place span, as KLUE writes an address;
- `unknown_only` (with `unknown.only_unknown`): an organisation or place span made only of nouns
  Kiwi does not know, and known to neither the gazetteer nor the lexicon (`렉키로나주`,
  `아나필락시스`), is no entity: in news such a word is as often a drug or a loanword as a name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analytics.nlp.entities.base import Morph
from analytics.nlp.entities.spans import _KOREAN_FULL_NAME, _SURNAME_CHARS, is_title
from analytics.nlp.entities.unknown import only_unknown

# syllables that end a word after a two-syllable name without being part of it (`김씨`, `박님`)
_NOT_A_NAME_END = frozenset("씨님군양측들등간쪽별")


def _hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


def extend_cut_name(text: str, start: int, end: int, typ: str, morphs: Sequence[Morph]) -> int:
    """End of a person span: a two-syllable span starting with a surname, inside a three-syllable
    Hangul word whose last syllable Kiwi reads as a noun (`최윤|호`, not a particle `김순|이` or a
    suffix `김|씨`), ends at the word's end."""
    if typ != "PS" or end - start != 2 or end >= len(text) or text[start] not in _SURNAME_CHARS:
        return end
    if not (_hangul(text[start]) and _hangul(text[start + 1]) and _hangul(text[end])):
        return end
    if (start and _hangul(text[start - 1])) or (end + 1 < len(text) and _hangul(text[end + 1])):
        return end
    if text[end] in _NOT_A_NAME_END:
        return end
    tag = next((t for s, _e, t, _f in morphs if s == end), "")
    if tag in ("NNB", "NNG", "NNP") or (not tag and any(s < end < e and t == "NNP" for s, e, t, _f in morphs)):
        return end + 1
    return end


def company_not_product(text: str, start: int, end: int, typ: str, known: Mapping[str, str],
                        namelike: Any, morphs: Sequence[Morph], unknown: Sequence[tuple[int, int]]) -> int:
    """End of an organisation span `<known organisation> <rest>` whose rest holds a noun Kiwi does
    not know, ends in no common noun or suffix (the head of a unit, `서울대 경영대학`, `서울고법
    형사12부`, keeps its span), is no known name and does not read as a person by its spelling
    (`namelike`): a product or model after the company (`현대차 코나 일렉트릭` -> 현대차)."""
    if typ != "OG" or namelike is None or not unknown:
        return end
    head, sep, rest = text[start:end].partition(" ")
    if not sep or not rest or known.get(head) != "OG":
        return end
    a = start + len(head) + 1
    if not any(u0 < end and a < u1 for u0, u1 in unknown):
        return end
    last = next((m for m in reversed(morphs) if m[0] < end <= m[1]), None)
    if last is None or last[2] in ("NNB", "XSN") or (last[2] == "NNG" and (last[0], last[1]) not in unknown):
        return end
    words = rest.split(" ")
    if any(known.get(w) for w in words) or known.get(rest):
        return end
    if len(words) == 1 and _KOREAN_FULL_NAME.match(rest) and rest[0] in _SURNAME_CHARS:
        return end
    if namelike.features(rest)[0].startswith("nl=PS"):
        return end
    return start + len(head)


def unknown_only(text: str, start: int, end: int, typ: str, ranges: Sequence[tuple[int, int]],
                 gazetteer: Mapping[str, str], lexicon: Mapping[str, str]) -> bool:
    """An organisation or place span made only of Kiwi-unknown nouns that neither the gazetteer
    nor the lexicon knows: dropped (round 7: 14 of 17 such KLUE organisations were wrong)."""
    if typ not in ("OG", "LC") or not ranges:
        return False
    form = " ".join(text[start:end].split())
    if form in gazetteer or form in lexicon:
        return False
    return only_unknown(text, start, end, ranges)


def inside_code(text: str, start: int) -> bool:
    """A Latin span that starts right after `X-` with no space (`GMP` of `E-GMP`): a piece of a
    code or product name, no name of its own (Hangul after a hyphen, `빌-힐러리`, is left alone)."""
    return (start >= 2 and text[start - 1] == "-" and text[start - 2].isascii() and text[start - 2].isalnum()
            and text[start].isascii() and text[start].isalpha())



_CLAUSE_BREAKS = frozenset("…,·;:!?)]\"'”’")


def place_before_clause_noun(text: str, start: int, end: int, typ: str, known: Mapping[str, str],
                             morphs: Sequence[Morph]) -> int:
    """End of a place span `<known place> ... <noun>` whose last word is one common noun Kiwi knows,
    no name in the tables, and which ends a clause (a break or the text's end right after it, as a
    headline drops its verb: `태풍 '카눈' 경남 거제 상륙…`): the place ends before the noun.
    Within a sentence the noun is mostly part of the place (`해운대 해수욕장에서`, `샌프란시스코
    공항에`), so only a clause end counts."""
    if typ != "LC" or (end < len(text) and text[end] not in _CLAUSE_BREAKS):
        return end
    head, sep, last = text[start:end].rpartition(" ")
    if not sep or known.get(last):
        return end
    a = end - len(last)
    prev = head.split(" ")[-1]
    p0 = a - 1 - len(prev)
    if known.get(prev) != "LC" and [m[:3] for m in morphs if p0 <= m[0] and m[1] <= a - 1] != [(p0, a - 1, "NNP")]:
        return end
    if [m[:3] for m in morphs if a <= m[0] and m[1] <= end] == [(a, end, "NNG")]:
        return a - 1
    return end


_DIVISION_ENDS = ("주", "성", "도", "현")  # 텍사스주, 광둥성, 경기도, 가나가와현
_PLACE_PARTICLES = ("에", "으로", "로")


def place_then_person(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge a one-word person span that follows a place span ending in a state or province word
    after one space (`미국 텍사스주` + `오스틴에` -> one place, `캘리포니아주 팔로알토`) unless a title
    follows it (`경기도 김동연 지사`) or it reads as a Korean full name without a place particle."""
    out: list[tuple[int, int, str]] = []
    for s, e, t in spans:
        if out and t == "PS" and out[-1][2] == "LC" and s == out[-1][1] + 1 and text[s - 1] == " ":
            word = text[s:e]
            last = text[out[-1][0]:out[-1][1]].split(" ")[-1]
            after = text[e:].lstrip(" ").split(" ", 1)[0]
            korean = _KOREAN_FULL_NAME.match(word) and word[0] in _SURNAME_CHARS
            if (" " not in word and len(last) >= 3 and last.endswith(_DIVISION_ENDS) and not is_title(after)
                    and not (korean and not text[e:].startswith(_PLACE_PARTICLES))):
                out[-1] = (out[-1][0], e, "LC")
                continue
        out.append((s, e, t))
    return out
