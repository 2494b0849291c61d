"""The entity features' fast paths (piece caches, inlined gazetteer matching) give exactly the rows
of the plain per-character code they replaced."""

from __future__ import annotations

from analytics.nlp.entities import features as F
from analytics.nlp.entities.base import TYPES, ctype
from analytics.nlp.entities.gazetteer import gazetteer_tags
from analytics.nlp.entities.matching import matches_at

TEXTS = ["", "가", "한국은행을 대한국민이 본다.", "서울시청 앞 김철수 씨(45)가 LG전자 ABC-1을",
         "a\x02b\x03c 한국", "  공백  두 칸 ", "東京 도쿄에서 3.5% 올랐다"]
GAZ = {"한국": "LC/LCP_COUNTRY", "한국은행": "OG/OGG_ECONOMY|OG:0.90,LC:0.10", "서울": "LC/LCP_CITY",
       "서울시청": "OG/OGG_POLITICS", "김철수": "PS/PS_NAME", "LG전자": "OG/OGG_ECONOMY",
       "도쿄": "AMB/LCP_CITY|LC:0.55,OG:0.45", "시청": "OG/OGG_POLITICS"}


def _plain_window(text: str, window: bool, shape: bool) -> list[list[str]]:
    padded = "\x02\x02" + text + "\x03\x03"
    types = "SS" + "".join(ctype(c) for c in text) + "SS"
    end = len(text) + 2
    rows = ([["b", "c=" + padded[j], "c-1=" + padded[j - 1], "c+1=" + padded[j + 1],
              "c-2=" + padded[j - 2], "c+2=" + padded[j + 2], "b-=" + padded[j - 1:j + 1],
              "b+=" + padded[j:j + 2], "t3=" + padded[j - 1:j + 2], "b--=" + padded[j - 2:j],
              "b++=" + padded[j + 1:j + 3]] for j in range(2, end)]
            if window else [["b", "c=" + c] for c in text])
    if shape:
        for f, j in zip(rows, range(2, end), strict=True):
            f += ("y=" + types[j], "y3=" + types[j - 1:j + 2], "y5=" + types[j - 2:j + 3])
    return rows


def _plain_gazetteer(text: str, gaz: dict[str, str], long_flag: bool, dist: bool) -> list[list[str]]:
    """The per-start `matches_at` loop, as before the inlining (dist features compared apart)."""
    n = len(text)
    best: list[dict | None] = [None] * n
    pos: list[dict | None] = [None] * n
    for s in range(n):
        if s and text[s - 1].isalnum() and ctype(text[s - 1]) == ctype(text[s]):
            continue
        for ln, label in matches_at(text, s, gaz, 12):
            if label[:2] not in TYPES:
                continue
            for i in range(s, s + ln):
                if best[i] is None:
                    best[i], pos[i] = {}, {}
                if best[i].get(label[:2], 0) < ln:
                    best[i][label[:2]] = ln
                    pos[i][label[:2]] = "B" if i == s else ("E" if i == s + ln - 1 else "I")
            break
    out = [[f"g{t}={p}" for t, p in d.items()] if d else [] for d in pos]
    if long_flag:
        for f, b in zip(out, best, strict=True):
            if b:
                f += [f"g{t}L" for t, ln in b.items() if ln >= 3]
    return out


def test_window_rows_equal_plain_code_also_after_cache_clears(monkeypatch):
    for window in (True, False):
        for shape in (True, False):
            for t in TEXTS:
                assert F._window_rows(t, "\x02\x02" + t + "\x03\x03", window, shape) == _plain_window(t, window, shape)
    monkeypatch.setattr(F, "_PIECE_CACHE_MAX", 3)  # forces the clear-when-full branch on each call
    for t in TEXTS:
        assert F._window_rows(t, "\x02\x02" + t + "\x03\x03", True, True) == _plain_window(t, True, True)
    # rows are fresh lists: appending to one must not leak into a cached piece
    rows = F._window_rows("한국", "\x02\x02한국\x03\x03", True, True)
    rows[0].append("X")
    assert F._window_rows("한국", "\x02\x02한국\x03\x03", True, True) == _plain_window("한국", True, True)


def test_gazetteer_tags_equal_matches_at_loop():
    for t in TEXTS:
        for long_flag in (False, True):
            assert gazetteer_tags(t, GAZ, long_flag=long_flag) == _plain_gazetteer(t, GAZ, long_flag, False)
    row = gazetteer_tags("한국은행을 서울시청", GAZ, long_flag=True)
    # at a start only the longest typed form counts (서울시청, not 서울); 시청 inside a word is ignored
    assert row[0] == ["gOG=B", "gOGL"] and row[6] == ["gOG=B", "gOGL"] and row[8] == ["gOG=I", "gOGL"]
    dist = gazetteer_tags("도쿄에서", GAZ, dist=True)
    assert dist[:2] == [["gdLC=3", "gdOG=2", "gdp=B", "gdpB=LC"], ["gdLC=3", "gdOG=2", "gdp=E", "gdpE=LC"]]
    assert dist[2:] == [[], []]
    assert gazetteer_tags("대한국민", GAZ) == [[], [], [], []]
