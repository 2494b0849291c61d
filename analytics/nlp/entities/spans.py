"""Label sequences <-> spans, and a predicted span narrowed to the name itself.

The CRF's span may hold edge punctuation, trailing particles, a title (`이노우에 영사`) or a
Hanja gloss; these functions cut it to the name the analyst would write down.
"""

from __future__ import annotations

from collections.abc import Sequence

from analytics.nlp.entities.base import ATTACHED_TITLES, EDGE_PUNCT, ROLE_ENDINGS, TITLE_SET, Morph


def bio_to_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO or BIOES labels -> (start, end, type); a stray I-/E- starts a new span, as conlleval does.

    `E-` closes the span after its character and `S-` is a one-character span, so the same decoder
    reads models trained with either scheme.
    """
    spans: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        head, t = lab[:1], lab[2:]
        if lab == "O" or head in "BS" or t != typ:
            if start >= 0:
                spans.append((start, i, typ))
            start, typ = (i, t) if lab != "O" else (-1, "")
        if head in "ES" and start >= 0:
            spans.append((start, i + 1, typ))
            start, typ = -1, ""
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
        for s, e, tag, _form in morphs:
            if e == end and s > start and (tag.startswith("J") or tag == "XSN"):
                end, trimmed = s, True
                break
    words = text[start:end].split(" ")
    if len(words) > 1 and is_title(words[-1]):
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
    if word in TITLE_SET:
        return True
    return any(word.endswith(t) for t in ATTACHED_TITLES if len(t) >= 2)
