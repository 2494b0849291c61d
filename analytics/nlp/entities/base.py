"""What every entity module shares: the mention record, the types, the model folder, titles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ner"
TYPES = ("PS", "OG", "LC")
ALL_FEATURES = frozenset({"window", "shape", "kiwi", "gazetteer"})
# Optional sets tried on top of ALL_FEATURES (docs/method/entities.md, feature table):
# conj = char x Kiwi tag and neighbouring morpheme form/tag pairs; eojeol = the space-delimited
# word around the char (edges, length, position, what follows its noun part); gazlen = long-match flag.
# gazdist = konne type shares of the longest gazetteer match, ambiguous forms included.
# namelike = class of each run of noun morphemes by its spelling (`entities.namelike`).
# oov = the characters of a common noun Kiwi does not have in its dictionary (token id 2).
# runctx = the last one/two chars of each noun run and the morpheme after it (round 7, not shipped).
# wordctx = the heads (last two chars of the noun part) of the previous and next word (round 8).
EXTRA_FEATURES = frozenset({"conj", "eojeol", "gazlen", "gazdist", "namelike", "oov", "runctx", "wordctx"})

# Titles and roles that follow (or precede) a name but are not part of it.
TITLES = (
    "대통령", "부통령", "총리", "장관", "차관", "의원", "의장", "위원장", "위원", "연구위원",
    "대표", "회장", "부회장", "사장", "부사장", "전무", "상무", "이사", "감사", "고문",
    "센터장", "본부장", "실장", "팀장", "국장", "부장", "차장", "과장", "원장", "소장", "총장",
    "청장", "구청장", "시장", "지사", "도지사", "군수", "행장", "교수", "박사", "연구원",
    "기자", "특파원", "앵커", "논설위원", "대변인", "변호사", "판사", "검사", "검찰총장",
    "영사", "총영사", "대사", "공사", "감독", "코치", "선수", "작가", "씨", "님", "군", "양",
    "CEO", "COO", "CTO", "CFO",
)
TITLE_SET = frozenset(TITLES)
# Attached (no space) titles are stripped only from PS spans and only when long enough to be
# unambiguous: one-syllable ones like 양/군 end many real names.
ATTACHED_TITLES = tuple(sorted((t for t in TITLES if len(t) >= 2 or t == "씨"), key=len, reverse=True))
# Roles that end a person's description, never an organisation's name (unlike 연구원, 의원).
ROLE_ENDINGS = ("센터장", "연구위원", "본부장", "회장", "사장", "대표", "기자", "장관", "교수")
EDGE_PUNCT = " \t\n'\"‘’“”`()[]<>《》〈〉「」『』,.·:;!?-"

Morph = tuple[int, int, str, str]  # (start, end, Kiwi tag, form), offsets into one sentence


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity mention; `start`/`end` are offsets into the text it came from."""

    type: str
    text: str
    start: int
    end: int
    canonical: str


def ctype(ch: str) -> str:
    """Character class: H Hangul, S space, D digit, U/L upper/lower Latin, C Hanja, P other."""
    t = _CTYPES.get(ch)
    if t is None:
        t = _CTYPES[ch] = _ctype_of(ch)
    return t


_CTYPES: dict[str, str] = {}


def _ctype_of(ch: str) -> str:
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3:
        return "H"
    if ch.isspace():
        return "S"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "U" if ch.isupper() else "L"
    if 0x4E00 <= o <= 0x9FFF:
        return "C"
    return "P"
