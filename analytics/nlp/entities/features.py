"""Per-character CRF features: character window and class, Kiwi morpheme tags, gazetteer matches.

Switchable sets (`ALL_FEATURES`, `EXTRA_FEATURES` in `base`) make the ablation table of
docs/method/entities.md; `featurize` is the one entry point used by training and tagging.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analytics.nlp.entities.base import ALL_FEATURES, TITLE_SET, Morph, ctype
from analytics.nlp.entities.gazetteer import gazetteer_tags
from analytics.nlp.entities.namelike import NameLike


def token_spans(tokens: Sequence[Any], n: int, shift: int) -> list[Morph]:
    """Kiwi tokens -> (start, end, tag, form) in the sentence's own offsets (`shift` re-bases)."""
    out = []
    for t in tokens:
        s = t.start - shift
        e = s + t.len
        if 0 <= s < n:
            out.append((s, min(e, n), t.tag, t.form))
    return out


def char_morph_features(n: int, spans: list[Morph], conj: bool = False) -> list[list[str]]:
    """Kiwi tag of the morpheme covering each char, its BIES position, and the neighbours' tags.

    The feature list of one (morpheme, position) pair is built once and shared by the chars it
    covers (read-only: `featurize` copies it into each char's own list)."""
    empty: list[str] = []
    feats: list[list[str]] = [empty] * n
    owner = [-1] * n
    for k, (s, e, _tag, _form) in enumerate(spans):
        for i in range(s, e):
            if owner[i] < 0:
                owner[i] = k
    last = len(spans) - 1
    built: dict[tuple[int, str], list[str]] = {}
    for i in range(n):
        k = owner[i]
        if k < 0:
            continue
        s, e, tag, form = spans[k]
        p = "S" if e - s == 1 else ("B" if i == s else ("E" if i == e - 1 else "I"))
        f = built.get((k, p))
        if f is None:
            prv = spans[k - 1] if k > 0 else _BOS
            nxt = spans[k + 1] if k < last else _EOS
            key = (p, tag, form, prv[2], prv[3], nxt[2], nxt[3], conj)
            f = _MORPH_CACHE.get(key)
            if f is None:
                if len(_MORPH_CACHE) >= _MORPH_CACHE_MAX:
                    _MORPH_CACHE.clear()
                f = _MORPH_CACHE[key] = _morph_feats(*key)
            built[(k, p)] = f
        feats[i] = f
    return feats


_BOS = (0, 0, "BOS", "")
_EOS = (0, 0, "EOS", "")
# (position, tag, form, prev tag, prev form, next tag, next form, conj) -> features: the same
# morpheme in the same company recurs across sentences (particles, endings, common nouns).
_MORPH_CACHE: dict[tuple, list[str]] = {}
_MORPH_CACHE_MAX = 200_000


def _morph_feats(p: str, tag: str, form: str, prev_tag: str, prv: str, next_tag: str, nxt: str,
                 conj: bool) -> list[str]:
    f = [f"p={tag}", f"pp={p}{tag}", f"pt={prev_tag}|{tag}", f"nt={tag}|{next_tag}"]
    if p in "ES":
        f.append(f"ne={next_tag}")
        f.append("nf=" + ("TITLE" if nxt in TITLE_SET else nxt if len(nxt) <= 3 else "_"))
    if p in "BS":
        f.append(f"pb={prev_tag}")
        f.append("pf=" + ("TITLE" if prv in TITLE_SET else prv if len(prv) <= 3 else "_"))
    if len(form) <= 4 and not tag.startswith("NNP"):
        f.append(f"m={form}")
    if conj:
        f.append(f"pm={_short(prv)}/{prev_tag}")
        f.append(f"nm={_short(nxt)}/{next_tag}")
    return f


def _short(form: str) -> str:
    return "TITLE" if form in TITLE_SET else form if len(form) <= 3 else "_"


def eojeol_features(text: str, spans: list[Morph] | None) -> list[list[str]]:
    """Per char: its word's first/last two chars, length, the char's place in it, and the word's
    tail after its noun part (`씨`, `대표`, `는`), which tells what kind of name the noun part is."""
    n = len(text)
    feats: list[list[str]] = [[] for _ in range(n)]
    noun_end: dict[int, int] = {}
    if spans:
        for s, e, tag, _f in spans:
            if tag.startswith(("NN", "SL", "SH", "XSN")):
                noun_end[s] = e
    i = 0
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        word = text[i:j]
        ln = j - i
        # tail: what follows the last noun morpheme that starts inside the word
        k, last = i, -1
        for s in range(i, j):
            if s in noun_end:
                last = max(last, noun_end[s])
        tail = text[last:j] if 0 <= last < j else ("" if last == j else "?")
        tail = "TITLE" if tail in TITLE_SET else tail if len(tail) <= 3 else tail[:2] + "~"
        common = [f"w2={word[:2]}", f"we={word[-2:]}", f"wl={min(ln, 8)}", f"wt={tail}"]
        for k in range(i, j):
            p = k - i
            q = j - 1 - k
            pos = "S" if ln == 1 else "B" if p == 0 else "E" if q == 0 else "I"
            feats[k] = [*common, f"wp={pos}", f"wi={min(p, 5)}", f"wq={min(q, 5)}", f"wpt={pos}|{tail}"]
        i = j
    return feats


def featurize(
    text: str,
    tokens: Sequence[Any] | None,
    gaz: dict[str, str] | None,
    features: frozenset[str] = ALL_FEATURES,
    shift: int = 0,
    spans: list[Morph] | None = None,
    cong: dict[str, str] | None = None,
    namelike: NameLike | None = None,
) -> list[list[str]]:
    """Feature strings per character, grouped into switchable sets for the ablation table.

    `spans` are `token_spans(tokens, len(text), shift)` when the caller already has them; `cong`
    is the CoNg neighbour-type table (`load_cong_types`), used when "cong" is in `features`."""
    n = len(text)
    mspans = None
    if tokens is not None and "kiwi" in features:
        mspans = spans if spans is not None else token_spans(tokens, n, shift)
    morph = char_morph_features(n, mspans, "conj" in features) if mspans is not None else None
    gtags = gazetteer_tags(text, gaz, long_flag="gazlen" in features, dist="gazdist" in features) if gaz and "gazetteer" in features else None
    eoj = eojeol_features(text, mspans) if "eojeol" in features else None
    conj = "conj" in features
    window, shape = "window" in features, "shape" in features
    padded = "\x02\x02" + text + "\x03\x03"
    rows = _window_rows(text, padded, window, shape)
    if morph is not None:
        if conj:
            for f, m, c in zip(rows, morph, text, strict=True):
                if m:
                    f += m
                    f.append("cp=" + c + m[0][1:])
        else:
            for f, m in zip(rows, morph, strict=True):
                f += m
    if gtags is not None:
        for f, g in zip(rows, gtags, strict=True):
            if g:
                f += g
    if eoj is not None:
        for f, w in zip(rows, eoj, strict=True):
            f += w
    if namelike is not None and mspans is not None and "namelike" in features:
        for s, e in noun_runs(mspans):
            if e - s >= 2:
                top, *more = namelike.features(text[s:e])
                for i in range(s, e):
                    rows[i].append(top)
                    rows[i].append(top + ("B" if i == s else "E" if i == e - 1 else "I"))
                    if more:
                        rows[i] += more
    if cong and mspans is not None and "cong" in features:
        for s, e, tag, form in mspans:
            label = cong.get(form) if tag == "NNP" else None
            if label is not None:
                for i in range(s, e):
                    rows[i].append(label)
                    rows[i].append(label + ("B" if i == s else "I"))
    if mspans is not None and "runctx" in features:
        # round 7, not shipped (KLUE 5-fold: +0.0018 with oov, -0.002 without; docs/method/entities.md);
        # `fastcrf` does not reproduce it, so a model with it is tagged by crfsuite
        for s, e, f in run_context(text, mspans):
            for i in range(s, e):
                rows[i] += f
    if "wordctx" in features:
        # round 8: the heads of the neighbouring words (KLUE 5-fold with runctx 0.7797 -> 0.7831)
        for a, b, f in word_spans(text, mspans):
            for i in range(a, b):
                rows[i] += f
    if tokens is not None and "oov" in features:
        # a common noun outside Kiwi's dictionary (id 2): in reviews often a name Kiwi does not know
        # (`까락스`); KLUE 5-fold F1 0.7790 -> 0.7836 (docs/method/entities.md, round 6)
        for t in tokens:
            if getattr(t, "id", -1) == 2:  # PlainTokens built without an id carry -1
                a = t.start - shift
                b = min(a + t.len, n)
                for i in range(max(a, 0), b):
                    rows[i].append("oov")
                    rows[i].append("oov" + ("B" if i == a else "I"))
    return rows


_RUN_TAGS = frozenset({"NNP", "NNG", "SL", "SH", "NR", "XR", "XSN"})


def noun_runs(spans: list[Morph]) -> list[tuple[int, int]]:
    """Maximal runs of touching noun-like morphemes (`곽지민`, `여성가족부`, `샤를리즈`): the units
    whose spelling `namelike` scores; a suffix (`XSN`) only continues a run."""
    out: list[tuple[int, int]] = []
    start = end = -1
    for s, e, tag, _form in spans:
        if tag in _RUN_TAGS and start >= 0 and s == end:
            end = e
            continue
        if start >= 0:
            out.append((start, end))
            start = end = -1
        if tag in _RUN_TAGS and tag != "XSN":
            start, end = s, e
    if start >= 0:
        out.append((start, end))
    return out


def run_context(text: str, spans: list[Morph]) -> list[tuple[int, int, list[str]]]:
    """Per noun run (`noun_runs`): its last one and two characters, the head of a compound name
    (`…협회`, `…위원회`, `…구`, `…대`), and the morpheme right after it when it touches the run or
    follows one space: a particle (`ra=J이`) or a noun (`ra=팀`, `ra=_감독` after a space), which
    tells a country acting as a team or government from the place (round 7). One pass over the
    morphemes (the runs as `noun_runs` finds them)."""
    out: list[tuple[int, int, list[str]]] = []
    run_tags = _RUN_TAGS
    n = len(spans)
    k = 0
    while k < n:
        s, e, tag, _f = spans[k]
        if tag not in run_tags or tag == "XSN":
            k += 1
            continue
        while k + 1 < n and spans[k + 1][2] in run_tags and spans[k + 1][0] == e:
            k += 1
            e = spans[k][1]
        word = text[s:e]
        f = ["rs1=" + word[-1]]
        if e - s >= 2:
            f.append("rs2=" + word[-2:])
        if k + 1 < n:
            a, _b, tag, form = spans[k + 1]
            gap = text[e:a]  # empty when the next morpheme touches (or overlaps) the run
            if gap in ("", " "):
                if tag.startswith("J"):
                    f.append("ra=J" + form)
                elif tag.startswith("NN"):
                    f.append("ra=" + ("_" if gap else "") + (form if len(form) <= 3 else "_"))
        out.append((s, e, f))
        k += 1
    return out


_WORD_RE = re.compile(r"\S+")


def word_context(text: str, spans: list[Morph] | None) -> list[tuple[int, list[str]]]:
    """`word_spans`' strings per character: (index, strings)."""
    return [(i, f) for a, b, f in word_spans(text, spans) for i in range(a, b)]


def word_spans(text: str, spans: list[Morph] | None) -> list[tuple[int, int, list[str]]]:
    """(start, end, strings) per word and per gap between words: the heads of the words before and
    after (`pw=법원`, `nw=4부`; a gap gets the words on both sides), a head being the last two
    characters of the word's noun part (particles left out), else `~` and its last two characters.
    Whether a name runs on over a space (`서울가정법원 가사4부`, `서울대 경영대학`) is decided by
    the next word's head, which the character window does not reach (round 8)."""
    words = [m.span() for m in _WORD_RE.finditer(text)]
    nw = len(words)
    if nw < 2:
        return []
    starts = [a for a, _b in words]
    noun_end: dict[int, int] = {}  # word index -> end of its last noun-like morpheme
    if spans:
        run_tags = _RUN_TAGS
        for s, e, tag, _f in spans:
            if tag in run_tags:
                k = bisect_right(starts, s) - 1
                if k >= 0 and s < words[k][1]:
                    b = words[k][1]
                    noun_end[k] = e if e < b else b
    pw, nx = [], []
    for k, (a, b) in enumerate(words):
        e = noun_end.get(k)
        h = text[max(a, e - 2):e] if e else "~" + text[max(a, b - 2):b]
        pw.append("pw=" + h)
        nx.append("nw=" + h)
    out: list[tuple[int, int, list[str]]] = []
    last = nw - 1
    for k in range(last):
        a, b = words[k]
        out.append((a, b, [pw[k - 1], nx[k + 1]] if k else [nx[1]]))
        out.append((b, starts[k + 1], [pw[k], nx[k + 1]]))
    out.append((words[last][0], words[last][1], [pw[last - 1]]))
    return out


def _window_rows(text: str, padded: str, window: bool, shape: bool) -> list[list[str]]:
    """Per char: `b`, the character window (unigrams, bigrams, trigram at -2..+2) and the shape.

    The prefixed strings of each character, bigram and 5-char shape are built once (bounded
    caches: a corpus has few distinct characters and shapes, and bigrams recur) and shared by
    the rows that use them; only the trigram is concatenated per character."""
    n = len(text)
    end = n + 2
    if window:
        uni, bi = _UNI, _BI
        if len(uni) >= _PIECE_CACHE_MAX:
            uni.clear()
        if len(bi) >= _PIECE_CACHE_MAX:
            bi.clear()
        us = []
        for ch in padded:
            u = uni.get(ch)
            if u is None:
                u = uni[ch] = ("c=" + ch, "c-1=" + ch, "c+1=" + ch, "c-2=" + ch, "c+2=" + ch)
            us.append(u)
        bs = []
        for k in range(n + 3):
            g = padded[k:k + 2]
            v = bi.get(g)
            if v is None:
                v = bi[g] = ("b-=" + g, "b+=" + g, "b--=" + g, "b++=" + g)
            bs.append(v)
        rows = [
            ["b", us[j][0], us[j - 1][1], us[j + 1][2], us[j - 2][3], us[j + 2][4],
             bs[j - 1][0], bs[j][1], "t3=" + padded[j - 1:j + 2], bs[j - 2][2], bs[j + 1][3]]
            for j in range(2, end)
        ]
    else:
        rows = [["b", "c=" + c] for c in text]
    if shape:
        types = "SS" + "".join([ctype(c) for c in text]) + "SS"
        ys = _SHAPES
        for f, j in zip(rows, range(2, end), strict=True):
            y5 = types[j - 2:j + 3]
            y = ys.get(y5)
            if y is None:
                y = ys[y5] = ("y=" + y5[2], "y3=" + y5[1:4], "y5=" + y5)
            f += y
    return rows


# character -> its 5 window strings, bigram -> its 4, 5-char shape -> its 3 (cleared when full)
_UNI: dict[str, tuple[str, ...]] = {}
_BI: dict[str, tuple[str, ...]] = {}
_SHAPES: dict[str, tuple[str, ...]] = {}
_PIECE_CACHE_MAX = 200_000


def load_cong_types(path: Path) -> dict[str, str]:
    """`form<TAB>type<TAB>share<TAB>typed neighbours` (built by `ner_train.compile_cong_types`)
    -> form -> feature string `cg=PS2` (type of its CoNg neighbours, share in halves)."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and not line.startswith("#"):
                out[parts[0]] = f"cg={parts[1]}{round(float(parts[2]) * 2)}"
    return out
