"""The konne gazetteer and the curated lexicon: loading, and per-character match features."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analytics.nlp.entities.base import TYPES, ctype
from analytics.nlp.entities.matching import lengths_of


def load_gazetteer(path: Path, ambiguous: bool = False) -> dict[str, str]:
    """Read a `form<TAB>type<TAB>fine label[<TAB>shares]` TSV (our compiled artefact) into
    form -> `LC/LCP_CITY` (or `LC/LCP_CITY|PS:0.10,OG:0.05,LC:0.85` when shares are given).

    Rows typed `AMB` (no type holds 60 % of the form's uses) are kept only when `ambiguous`.
    """
    gaz: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            form, typ, fine, shares = (line.rstrip("\n").split("\t") + ["", ""])[:4]
            if typ in TYPES or (ambiguous and typ == "AMB"):
                gaz[form] = f"{typ}/{fine}" + (f"|{shares}" if shares else "")
    return gaz


def load_lexicon(path: Path) -> dict[str, str]:
    """Hand-curated `form<TAB>PS|OG|LC|O` overrides; O marks loanwords that are not names."""
    lex: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and not line.startswith("#") and parts[1] in (*TYPES, "O"):
                lex[parts[0]] = parts[1]
    return lex


@lru_cache(maxsize=65536)
def shares(label: str) -> dict[str, float]:
    """The PS/OG/LC shares of a gazetteer label (`LC/LCP_CITY|PS:0.10,LC:0.90`)."""
    _, _, tail = label.partition("|")
    out = {}
    for part in tail.split(","):
        t, _, v = part.partition(":")
        if t in TYPES:
            out[t] = float(v)
    return out


@lru_cache(maxsize=65536)
def _share_feats(label: str) -> tuple[str, ...]:
    return tuple(f"gd{t}={round(v * 5)}" for t, v in shares(label).items() if v >= 0.1)


@lru_cache(maxsize=65536)
def _top_type(label: str) -> str:
    sh = shares(label)
    return max(sh, key=sh.get) if sh else ""  # type: ignore[arg-type]


MAX_LEN = 12  # longest gazetteer form matched (characters)


def gazetteer_tags(
    text: str, gaz: dict[str, str], max_len: int = MAX_LEN, long_flag: bool = False, dist: bool = False
) -> list[list[str]]:
    """Per character, the position/type of the longest gazetteer match of each type covering it.

    Only matches that start at a word or script boundary count, so `한국` inside `대한국민` is
    ignored but `한국` in `한국은행을` is seen. With `dist`, also the konne type shares (in fifths)
    and position of the longest match of any type, ambiguous forms included.
    """
    n = len(text)
    # `matches_at` inlined (same order: longest first, forms of 2+ chars): the index is fetched
    # once per sentence, and only starts whose character begins some form are boundary-checked
    index = lengths_of(gaz)
    cand: list[tuple[int, int]] = []
    for s in range(n):
        lens = index.get(text[s])
        if lens is None:
            continue
        if s and text[s - 1].isalnum() and ctype(text[s - 1]) == ctype(text[s]):
            continue
        room = min(max_len, n - s)
        for ln in lens:
            if ln > room:
                continue
            if ln < 2:
                break
            cand.append((s, ln))
    feats = match_features(text, cand, gaz, max_len, long_flag, dist)
    return [feats.get(i, []) for i in range(n)]


def match_features(text: str, cand: list[tuple[int, int]], gaz: dict[str, str], max_len: int = MAX_LEN,
                   long_flag: bool = False, dist: bool = False) -> dict[int, list[str]]:
    """`gazetteer_tags`' strings of the characters that have any, from the candidate (start,
    length) pairs at boundaries (start order, longest first): the first typed match ends its
    start. Shared with the fast scorer (`fastcrf`), which finds its candidates by hashing."""
    n = len(text)
    best: dict[int, dict[str, int]] = {}  # char -> type -> length of its best match
    pos: dict[int, dict[str, str]] = {}
    any_best: dict[int, int] = {}
    any_feats: dict[int, list[str]] = {}
    done = -1
    for s, ln in cand:
        if s == done or ln > min(max_len, n - s):
            continue
        label = gaz.get(text[s:s + ln])
        if label is None:
            continue
        typ = label[:2]
        if dist:
            for i in range(s, s + ln):
                if any_best.get(i, 0) < ln:
                    any_best[i] = ln
                    p = "B" if i == s else ("E" if i == s + ln - 1 else "I")
                    any_feats[i] = [*_share_feats(label), f"gdp={p}", f"gdp{p}={_top_type(label)}"]
        if typ not in TYPES:
            continue
        for i in range(s, s + ln):
            b = best.get(i)
            if b is None:
                b = best[i] = {}
                pos[i] = {}
            if b.get(typ, 0) < ln:
                b[typ] = ln
                pos[i][typ] = "B" if i == s else ("E" if i == s + ln - 1 else "I")
        done = s
    out: dict[int, list[str]] = {}
    for i in sorted(set(pos) | set(any_feats)):
        f = [f"g{t}={p}" for t, p in pos[i].items()] if i in pos else []
        if long_flag and i in best:
            f += [f"g{t}L" for t, ln in best[i].items() if ln >= 3]
        if dist and i in any_feats:
            f += any_feats[i]
        if f:
            out[i] = f
    return out
