"""Label sequences <-> spans, and a predicted span narrowed to the name itself.

The CRF's span may hold edge punctuation, trailing particles, a title (`이노우에 영사`) or a
Hanja gloss; these functions cut it to the name the analyst would write down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from analytics.nlp.entities.base import ATTACHED_TITLES, EDGE_PUNCT, ROLE_ENDINGS, TITLE_SET, Morph
from analytics.nlp.entities.names import apposition_title

_NON_NAME_SUFFIXES = frozenset({"들", "산", "발", "측", "별", "간", "쪽", "씩", "짜리"})
_KOREAN_FULL_NAME = re.compile(r"^[가-힣]{3,4}$")
_SURNAME_CHARS = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석")


def bio_to_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO or BIOES labels -> (start, end, type); a stray I-/E- starts a new span, as conlleval does.

    `E-` closes the span after its character and `S-` is a one-character span, so the same decoder
    reads models trained with either scheme.
    """
    spans: list[tuple[int, int, str]] = []
    if labels.count("O") == len(labels):  # most sentences of news hold few names: skip the O runs
        return spans
    start, typ, prev = -1, "", -2
    for i in [i for i, lab in enumerate(labels) if lab != "O"]:
        if i != prev + 1 and start >= 0:  # an O in between closes the open span
            spans.append((start, prev + 1, typ))
            start, typ = -1, ""
        lab = labels[i]
        head, t = lab[:1], lab[2:]
        if head in "BS" or t != typ:
            if start >= 0:
                spans.append((start, i, typ))
            start, typ = i, t
        if head in "ES":
            spans.append((start, i + 1, typ))
            start, typ = -1, ""
        prev = i
    if start >= 0:
        spans.append((start, prev + 1, typ))
    return spans


def to_bioes(labels: Sequence[str]) -> list[str]:
    """BIO -> BIOES (B/I/E/S of each span, O elsewhere), via the spans BIO decodes to."""
    out = ["O"] * len(labels)
    for s, e, t in bio_to_spans(labels):
        if e - s == 1:
            out[s] = f"S-{t}"
        else:
            out[s], out[e - 1] = f"B-{t}", f"E-{t}"
            for i in range(s + 1, e - 1):
                out[i] = f"I-{t}"
    return out


def canonical_span(
    text: str, start: int, end: int, typ: str, morphs: list[Morph]
) -> tuple[int, int]:
    """Narrow a span to the name itself: drop edge punctuation, titles and trailing particles."""
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    # An opened bracket the span does not close starts a gloss: `도요타(豊田` -> `도요타`.
    for open_, close in ("()", "（）", "[]"):
        k = text.find(open_, start, end)
        if k > start and text.find(close, k, end) < 0:
            end = k
    # Trailing particles / 들 by Kiwi's reading; a name Kiwi reads as one proper noun is never cut.
    trimmed = True
    while trimmed:
        trimmed = False
        for s, e, tag, form in morphs:
            # a one-character particle is cut only after 3+ characters, and a suffix only when it
            # never ends a name (`들`, `러시아|산`, `브라질|발`): Kiwi reads the last syllable of many
            # names so (`최홍|만`, `고은|아`, `류더|화`, `수도|권`, `경제산업|성`), and the CRF, trained
            # on spans without particles, rarely takes one in (KLUE 5-fold F1 +0.0023 against
            # cutting every trailing J*/XSN)
            if e == end and s > start and ((tag.startswith("J") and (e - s >= 2 or s - start >= 3))
                                           or (tag == "XSN" and form in _NON_NAME_SUFFIXES)):
                end, trimmed = s, True
                break
    words = text[start:end].split(" ")
    if len(words) == 2 and typ == "PS" and len(words[0]) == 1 and is_title(words[1]):
        pass  # `김 비서관`: a surname with its title is the mention (as KLUE marks it); resolved later
    elif len(words) > 1 and is_title(words[-1]):
        end = start + len(" ".join(words[:-1]))
    elif len(words) > 1 and typ == "PS" and is_title(words[0]):
        start += len(words[0]) + 1
    elif typ == "PS":
        word = text[start:end]
        for t in ATTACHED_TITLES:
            if word.endswith(t) and len(word) - len(t) >= 2:
                end -= len(t)
                break
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def whole_name_start(start: int, end: int, typ: str, morphs: list[Morph]) -> int:
    """A person span that is the last word of a multi-word proper noun Kiwi read as one
    (`이노우에 유키`) starts where that noun starts: given name and surname are one mention."""
    if typ != "PS":
        return start
    for s, e, tag, form in morphs:
        if e == end and s < start and tag == "NNP" and " " in form:
            return s
    return start


def not_a_name(text: str, start: int, canonical: str, typ: str) -> bool:
    """Hanja glosses after a name (`이노우에(井上`) and role phrases read as organisations."""
    if start and text[start - 1] in "(（" and all(0x4E00 <= ord(c) <= 0x9FFF for c in canonical if c != " "):
        return True
    return typ == "OG" and canonical.endswith(ROLE_ENDINGS)


def is_title(word: str) -> bool:
    return word in TITLE_SET or word.endswith(_LONG_ATTACHED_TITLES)


_LONG_ATTACHED_TITLES = tuple(t for t in ATTACHED_TITLES if len(t) >= 2)  # str.endswith takes the tuple


def split_glued(text: str, start: int, end: int, typ: str, known: Mapping[str, str], places: bool = True,
                strict: bool = False) -> list[tuple[int, int, str]]:
    """Split a span that glues neighbouring names: a person and an organisation
    (`일론 머스크 테슬라`, `제프 베이조스 아마존`) or, with `places`, leading places before a place
    or an organisation (`미국 뉴욕`, `서울 여의도 국회`, `영국 아스트라제네카`). `known` gives the
    type of a whole word (curated lexicon, then typed gazetteer forms); unknown words stay together.

    The recognizer splits persons only: KLUE-NER (and so its F1) keeps an address as one place
    (`경북 울진군`); counting splits places too (`canonical.resolve_article`). With `strict`
    (spans not typed PS) the person part needs a known person word or a Korean full name."""
    words: list[tuple[int, int]] = []
    i = start
    for w in text[start:end].split(" "):
        if w:
            words.append((i, i + len(w)))
        i += len(w) + 1
    if len(words) < 2:
        return [(start, end, typ)]
    kind = [known.get(text[s:e]) for s, e in words]
    if kind[-1] in ("OG", "LC") and _personish(text, words[:-1], kind[:-1], typ, strict):
        return [(words[0][0], words[-2][1], "PS"), (words[-1][0], words[-1][1], kind[-1])]
    if kind[0] in ("OG", "LC") and _personish(text, words[1:], kind[1:], typ, strict):
        return [(words[0][0], words[0][1], kind[0]), (words[1][0], words[-1][1], "PS")]
    if not places:
        return [(start, end, typ)]
    if all(k in ("OG", "LC") for k in kind):  # `카카오 판교`, `영국 아스트라제네카`: each its own
        return [(s, e, k) for (s, e), k in zip(words, kind, strict=True)]  # type: ignore[misc]
    if strict and typ == "LC" and kind[-1] == "OG" and "O" not in kind:
        # a place span ending in a known organisation (`남아공도 아스트라제네카`): the place, then the organisation; known
        # places lead (`영국 제약사 아스트라제네카`: 영국, and the common noun between them is no name)
        n = 0
        while n < len(words) - 1 and kind[n] == "LC":
            n += 1
        lead = [(s, e, "LC") for s, e in words[:n]] or [(words[0][0], words[-2][1], "LC")]
        return [*lead, (words[-1][0], words[-1][1], "OG")]
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(words) - 1 and kind[k] == "LC":
        out.append((words[k][0], words[k][1], "LC"))
        k += 1
    if not out:
        return [(start, end, typ)]
    rest = text[words[k][0]:end]
    out.append((words[k][0], end, known.get(rest) or (kind[k] if k == len(words) - 1 and kind[k] else typ)))
    return out


def _personish(text: str, words: list[tuple[int, int]], kind: list[str | None], typ: str, strict: bool = False
               ) -> bool:
    """Whether these words of a span read as a person's name: none is a known place or
    organisation, and the span was typed PS, or a word is a known person name, or they are two or
    more short Hangul words (`일론 머스크`, `제프 베이조스`)."""
    if any(k in ("OG", "LC", "O") for k in kind):
        return False
    forms = [text[s:e] for s, e in words]
    if "PS" in kind:
        return True
    if len(forms) == 1 and _KOREAN_FULL_NAME.match(forms[0]) and forms[0][0] in _SURNAME_CHARS:
        # in a place span, a word shaped like a Korean name is a person only before a title (`부산 박형준 시장`;
        # `텍사스 오스틴에`, `텍사스주 오스틴으로` are cities)
        return not (strict and typ == "LC") or apposition_title(text, words[-1][1]) is not None
    if strict and typ != "OG":  # an address (`인천 송도 ...`) is no person + place
        return False
    if typ == "PS":
        return True
    return len(forms) >= 2 and all(1 <= len(f) <= 4 and all(0xAC00 <= ord(c) <= 0xD7A3 for c in f) for f in forms)
