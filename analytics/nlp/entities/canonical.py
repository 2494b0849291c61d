"""Within one article: every mention -> the referent an analyst would count it under.

Korean news names a person in full once (`윤석열 대통령`) and then by surname and title
(`윤 대통령`), a foreigner by family name (`머스크`), an organisation by its short name
(`민주당`), a country by a one-character abbreviation (`美`, `한·미`). `resolve_article` maps
each such short form to the full name the article gave (earlier, or in the body for a headline),
drops a short form nothing resolves (`이 대표` with no 이○○ in the article), and maps curated
abbreviations and short names to one referent (`analytics/models/ner/referents.tsv`).
Corpus-wide merging (`머스크` in an article that never says `일론 머스크`) and the one type per
referent are decided at query time (`analytics/queries/entities.py`).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from analytics.nlp.entities.base import ATTACHED_TITLES, EDGE_PUNCT, MODEL_DIR, TITLE_SET, Entity
from analytics.nlp.entities.spans import is_title, split_glued

# One-character country abbreviations. Hanja ones stand for the country wherever they stand
# alone; Hangul ones are also ordinary syllables (한 = one, 일 = day, 중 = during), so they count
# only in `·` chains (`한·미`, `미·중`) or, for the unambiguous few, before a space (`미 국무부`).
COUNTRY_ABBREV = {
    "美": "미국", "中": "중국", "韓": "한국", "日": "일본", "北": "북한", "英": "영국", "獨": "독일",
    "佛": "프랑스", "露": "러시아", "印": "인도", "濠": "호주", "臺": "대만", "伊": "이탈리아",
    "미": "미국", "중": "중국", "한": "한국", "일": "일본", "북": "북한", "영": "영국", "독": "독일",
    "러": "러시아", "불": "프랑스", "호": "호주", "인": "인도", "남": "한국",
}
# country names a party or body name can follow (`미국 민주당`): the abbreviations' countries and more
COUNTRY_NAMES = {c: c for c in set(COUNTRY_ABBREV.values()) | {
    "캐나다", "멕시코", "브라질", "스페인", "네덜란드", "스웨덴", "대만", "이스라엘", "튀르키예", "터키", "우크라이나",
    "베트남", "태국", "필리핀", "인도네시아", "싱가포르", "말레이시아", "뉴질랜드", "아르헨티나", "남아공", "이란"}}
_HANJA_ABBREV = "美中韓日北英獨佛露印濠臺伊"
_HANGUL_BEFORE_SPACE = "미북러"  # `미 국무부`, `북 매체`, `러 외무부`; not 한/일/중 (한 병원, 일 년)
_HANGUL_IN_CHAIN = "미중한일북영독러불호인남"
_NOT_WORD = r"(?<![가-힣A-Za-z0-9\u4e00-\u9fff])"
_HANJA_RE = re.compile(_NOT_WORD + f"([{_HANJA_ABBREV}])" + r"(?![A-Za-z0-9\u4e00-\u9fff])")  # `中에`
_CHAIN_RE = re.compile(_NOT_WORD + f"([{_HANGUL_IN_CHAIN}{_HANJA_ABBREV}](?:[·ㆍ・][{_HANGUL_IN_CHAIN}{_HANJA_ABBREV}])+)"
                       + r"(?![가-힣A-Za-z0-9])")
_SPACE_RE = re.compile(r"(?:^|(?<=[\s'\"‘“(\[]))" + f"([{_HANGUL_BEFORE_SPACE}])" + r" (?=[가-힣A-Za-z])")
# `한미`, `미중`, `한중일` written as one word before what two countries do together
_PAIR_RE = re.compile(r"(?<![가-힣])([한미중일러]{2,3})(?=\s?(?:정상회담|정상|관계|동맹|협력|갈등|무역|회담|외교|공조|"
                      r"연합훈련|훈련|FTA|통화스와프|경쟁|합의|공동|패권))")
# Hangul after a `미 `/`북 ` that shows the syllable is no abbreviation (`미 지급`, `북 쪽`).
EDGE_PUNCT_ALL = EDGE_PUNCT + "”’」』》〉）"
_NOT_AFTER_SPACE = ("쪽", "측면", "지급", "해결", "확인", "완료", "방향")

# Titles that follow a surname (`윤 대통령`, `이 대표`, `김 의원`, `원 장관`), besides TITLES.
_SURNAME_TITLES = TITLE_SET | {
    "전 대통령", "당선인", "당선자", "후보", "예비후보", "원내대표", "최고위원", "비대위원장", "지사",
    "부총리", "총재", "단장", "씨", "여사", "전 대표", "전 장관", "전 의원", "위원", "측", "전 회장",
    "주석", "국가주석", "총통", "국왕", "왕세자", "사무총장", "주지사", "상원의원", "하원의원", "하원의장",
    "권한대행", "혁신위원장", "부장판사", "지검장", "검사장", "구청장", "군수",
}
_TITLE_ALT = "|".join(sorted((re.escape(t) for t in _SURNAME_TITLES), key=len, reverse=True))
_SURNAME_TITLE_RE = re.compile(r"(?<![가-힣])([가-힣])\s?(" + _TITLE_ALT + r")(?=[^가-힣]|[은는이가을를의도과와에께]|$)")
_FULL_NAME_RE = re.compile(r"^[가-힣]{2,4}$")
_HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")
# institutions' name endings; a one-word "person" that is no Korean full name and ends so is one
_ORG_SUFFIX_RE = re.compile(r"^[가-힣]{2,}(?:대학교|대학|대|위원회|위|협회|공사|은행|그룹|전자|자동차|병원|센터|재단|연구소|연구원|"
                            r"청|처|부|당|회)$")
# administrative place names (`서울시`, `도봉구`, `울진군`): places when two stand together
# (a province ends in 도 within four syllables: `경기도`, `충청북도`; `연방준비제도` is no province)
_ADMIN_RE = re.compile(r"^(?:[가-힣]{1,5}(?:특별시|광역시|특별자치시|특별자치도|시|구|군|읍|면|동)|[가-힣]{1,3}도)$")

# Korean surnames (one syllable) that begin most names in the news.
SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석"
    "선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부황보"
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


def country_mentions(text: str) -> list[Entity]:
    """Country abbreviations that stand for their country in `text` (`美 FDA`, `한·미`, `미 국무부`,
    `한미 정상회담`),
    as LC mentions whose canonical is the country (`美` -> `미국`)."""
    found: dict[int, Entity] = {}
    for m in _HANJA_RE.finditer(text):
        s = m.start(1)
        found[s] = Entity("LC", m.group(1), s, s + 1, COUNTRY_ABBREV[m.group(1)])
    for m in _CHAIN_RE.finditer(text):
        base = m.start(1)
        for k, ch in enumerate(m.group(1)):
            if ch in COUNTRY_ABBREV:
                found[base + k] = Entity("LC", ch, base + k, base + k + 1, COUNTRY_ABBREV[ch])
    for m in _PAIR_RE.finditer(text):
        base = m.start(1)
        if len(set(m.group(1))) == len(m.group(1)):
            for k, ch in enumerate(m.group(1)):
                found[base + k] = Entity("LC", ch, base + k, base + k + 1, COUNTRY_ABBREV[ch])
    for m in _SPACE_RE.finditer(text):
        s = m.start(1)
        if not text.startswith(_NOT_AFTER_SPACE, s + 2):
            found.setdefault(s, Entity("LC", m.group(1), s, s + 1, COUNTRY_ABBREV[m.group(1)]))
    return [found[k] for k in sorted(found)]


# syllables that before a title are a determiner, not a name (`두 대통령` = two presidents, `각 장관`)
_DETERMINERS = frozenset("두세네각현전새양총부제이한그저본당첫옛")
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "망절")


def is_korean_full_name(name: str) -> bool:
    """Surname + given name in Hangul: three syllables (`윤석열`), or four with a two-syllable
    surname (`남궁민수`); a four-syllable word on a one-syllable surname is rarely a name
    (`성남지청`, `대한상의`)."""
    if not (len(name) >= 3 and _FULL_NAME_RE.match(name) and name[0] in SURNAMES):
        return False
    return len(name) == 3 or name[:2] in _COMPOUND_SURNAMES


def _is_full_name(name: str) -> bool:
    """A person name short forms can refer back to: a Korean full name, a multi-word name, or a
    one-word Hangul name of two to four syllables (`리창`, `시진핑`, `기시다`)."""
    return is_korean_full_name(name) or " " in name or (2 <= len(name) <= 4 and bool(_HANGUL_NAME.match(name)))


class _People:
    """Full names given so far in an article, with the title each was last given."""

    def __init__(self) -> None:
        self.order: list[str] = []  # full names, most recent last
        self.title: dict[str, str] = {}

    def add(self, name: str, title: str | None) -> None:
        if name in self.order:
            self.order.remove(name)
        self.order.append(name)
        if title:
            self.title[name] = title

    def by_surname(self, surname: str, title: str | None) -> str | None:
        """The full name `surname + title` stands for: a Korean full name with that surname, else
        (a title always follows here) a one-word Hangul name starting with it (`리창` for
        `리 총리`, `시진핑` for `시 주석`)."""
        cands = [n for n in reversed(self.order) if is_korean_full_name(n) and n[0] == surname] or [
            n for n in reversed(self.order) if " " not in n and 2 <= len(n) <= 4 and n[0] == surname
            and _HANGUL_NAME.match(n) and surname not in _DETERMINERS]
        if title:
            titled = [n for n in cands if self.title.get(n) == title]
            if titled:
                return titled[0]
        return cands[0] if cands else None

    def by_part(self, word: str) -> str | None:
        """A foreign full name one of whose words is `word` (`머스크` -> `일론 머스크`), or a
        Korean full name whose given name is `word` (`석열` -> `윤석열`)."""
        for n in reversed(self.order):
            if " " in n and word in n.split(" "):
                return n
        for n in reversed(self.order):
            if is_korean_full_name(n) and len(word) >= 2 and n[1:] == word:
                return n
        return None


def _title_after(text: str, end: int) -> str | None:
    m = re.match(r"\s?(" + _TITLE_ALT + ")", text[end:end + 8])
    return m.group(1) if m else None


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
    later = _People()
    if known is None:
        from analytics.nlp.entities.recognizer import load_recognizer

        known = load_recognizer().known
    names = {e.canonical for ents in per_sentence for e in ents}
    glosses = _gloss_names(texts, per_sentence, known)
    article = "\n".join(texts)
    per_sentence = [_split_places(text, _split_person_prefix(text, _split_business_apposition(
        text, _tidy(text, _join_split_names(text, ents), known, refs, names, glosses), article), known), known)
        for text, ents in zip(texts, per_sentence, strict=True)]
    for text, ents in zip(texts, per_sentence, strict=True):
        for e in ents:
            if e.type == "PS" and _is_full_name(e.canonical):
                later.add(e.canonical, _title_after(text, e.end))
    out: list[list[Entity]] = []
    for k, (text, ents) in enumerate(zip(texts, per_sentence, strict=True)):
        body_names = later if k < n_head else _People()
        kept: list[Entity] = []
        countries = {e.start: e for e in country_mentions(text)}
        covered = [(e.start, e.end) for e in ents]
        for e in _split_country_prefix(ents, countries):
            r = _resolve(text, e, people, body_names, later, refs, countries, known)
            if r is not None:
                kept.append(r)
                if r.type == "PS" and r.canonical == e.canonical and _is_full_name(r.canonical):
                    people.add(r.canonical, _title_after(text, e.end))
        for s, c in countries.items():
            if not any(a <= s < b for a, b in covered):
                kept.append(c)
        for m in _SURNAME_TITLE_RE.finditer(text):
            s = m.start(1)
            if any(a <= s < b for a, b in covered) or s in countries:
                continue
            name = people.by_surname(m.group(1), m.group(2)) or body_names.by_surname(m.group(1), m.group(2))
            if name:
                kept.append(Entity("PS", f"{m.group(1)} {m.group(2)}", s, s + 1, name))
        out.append(sorted(kept, key=lambda x: x.start))
    return _article_abbreviations(_one_type_for_split_names(out))


def _one_type_for_split_names(out: list[list[Entity]]) -> list[list[Entity]]:
    """A one-word "person" the article also names as an organisation (`폴스타`, split off
    `토마스 잉엔라트 폴스타 CEO`) is that organisation everywhere in the article, unless it is a
    word of a person's multi-word name there (`머스크` of 일론 머스크)."""
    orgs = {e.canonical for es in out for e in es if e.type == "OG"}
    words = {w for es in out for e in es if e.type == "PS" and " " in e.canonical for w in e.canonical.split(" ")}
    if not orgs:
        return out
    return [[replace(e, type="OG") if e.type == "PS" and e.canonical in orgs and e.canonical not in words
             and " " not in e.canonical and not is_korean_full_name(e.canonical) else e for e in es] for es in out]


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


def _join_split_names(text: str, ents: list[Entity]) -> list[Entity]:
    """Two person spans one space apart, not both Korean full names, are one foreign name
    (`기시다` `후미오` -> `기시다 후미오`); Korean names in a row stay apart. Applied when
    counting only: on KLUE the recognizer's boundaries score better without it (-0.0028 F1)."""
    ents = sorted(ents, key=lambda x: x.start)
    out: list[Entity] = []
    for e in ents:
        prev = out[-1] if out else None
        if (prev is not None and prev.type == e.type == "PS" and text[prev.end:e.start] == " "
                and not (is_korean_full_name(prev.canonical) and is_korean_full_name(e.canonical))
                and _HANGUL_NAME.match(prev.canonical) and _HANGUL_NAME.match(e.canonical)
                and not text.startswith(ATTACHED_TITLES, e.end)):  # `질병관리|청장` was cut from a word
            joined = text[prev.start:e.end]
            out[-1] = Entity("PS", joined, prev.start, e.end, joined)
        else:
            out.append(e)
    return out


# particles that a span may still carry when Kiwi read them as part of a proper noun (`아스트라제네카의`)
_JOSA = ("에서", "에게", "으로", "까지", "부터", "처럼", "보다", "이나", "와의", "과의", "에는", "에도",
         "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로", "만")
_QUOTES = "\"'‘’“”`「」『』《》〈〉"
_CLOSE = {")": "(", "）": "（", "]": "["}
# an abbreviation in brackets right after a name: Latin (`세계보건기구(WHO)`, `아스트라제네카(AZ)`), or
# Hangul made of the name's own syllables (`전국교직원노동조합(전교조)`); other Hangul in brackets
# (`이재명(민주당) 의원`, `서울(연합뉴스)`) names a party or a dateline, not the same referent
_GLOSS_RE = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{0,11}|[가-힣]{2,5})\)")


def _gloss_names(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str]
                 ) -> dict[str, Entity]:
    """Abbreviations an article introduces in brackets after a name (`세계보건기구(WHO)`,
    `국제원자력기구(IAEA)`) -> that name's mention: the abbreviation is the same referent there and
    wherever the article uses it again."""
    out: dict[str, Entity] = {}
    for text, ents in zip(texts, per_sentence, strict=True):
        ends = {e.end: e for e in ents if len(e.canonical) > 1}
        for m in _GLOSS_RE.finditer(text):
            e = ends.get(m.start())
            if e is not None and m.group(1) != e.canonical and (m.group(1).isascii() or (
                    e.type == "OG" and _abbreviates(m.group(1), e.canonical.split(" ")[-1]))):  # the name's last piece (`미국 국제무역위원회(ITC)`)
                out.setdefault(m.group(1), _split_places(text, [e], known)[-1] if " " in e.canonical else e)
    return out


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


def _article_abbreviations(out: list[list[Entity]]) -> list[list[Entity]]:
    """An organisation's short name the article also gives in full (`기재부` / `기획재정부`,
    `국토부` / `국토교통부`): three or more syllables, same first and last syllable, the others in
    order; counted under the full name."""
    full = sorted({e.canonical for es in out for e in es if e.type == "OG" and " " not in e.canonical
                   and re.fullmatch(r"[가-힣]{4,}", e.canonical)}, key=len)
    if not full:
        return out
    short_of: dict[str, str] = {}
    for es in out:
        for e in es:
            n = e.canonical
            if e.type == "OG" and 3 <= len(n) <= 5 and re.fullmatch(r"[가-힣]+", n) and n not in short_of:
                hits = [f for f in full if f != n and f[-1] == n[-1] and _abbreviates(n, f)]
                if len(hits) == 1:
                    short_of[n] = hits[0]
    return [[replace(e, canonical=short_of[e.canonical]) if e.type == "OG" and e.canonical in short_of else e
             for e in es] for es in out] if short_of else out


def _tidy(text: str, ents: Sequence[Entity], known: Mapping[str, str], refs: Mapping[str, tuple[str, str]],
          names: set[str], glosses: dict[str, Entity]) -> list[Entity]:
    """Surface glitches of a span fixed before it is counted: a bracket the span closes but did not
    open (`코로나19)`, `SK)바이오사이언스`, `AZ)사`, `WHO) 자문단`), a gloss in brackets inside it
    (`감염증(코로나19)`), quotes inside it (`질병청 ”아스트라제네카`: two names), a particle left on
    a name the article or the lexicon knows without it (`아스트라제네카의`), `사` after a company
    (`아스트라제네카사`); an abbreviation the article introduced after a name counts as that name,
    and the bracketed gloss itself is not a second mention. A piece that is a known non-name
    (`코로나19`) is dropped."""
    out: list[Entity] = []
    for e in _split_conjoined(text, [_whole_name(text, e, names) for e in ents], known, refs, names):
        for piece in _clean_pieces(text, e, known):
            if piece is None:
                continue
            name = piece.canonical
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


def _whole_name(text: str, e: Entity, names: set[str]) -> Entity:
    """A span cut short inside its word (`이창` of `이창양`, `SK` of `SK온`) is the whole word when
    the article names it so elsewhere."""
    if text[e.start:e.end] != e.canonical:
        return e
    for k in (1, 2):
        word = text[e.start:e.end + k]
        if len(word) == len(e.canonical) + k and " " not in word[len(e.canonical):] and word in names and (
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
                    stem = w[:-len(j)]
                    if w.endswith(j) and len(stem) >= 2 and (stem in names or known.get(stem) in ("PS", "OG", "LC")
                                                             or stem in refs):
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


def _clean_pieces(text: str, e: Entity, known: Mapping[str, str]) -> list[Entity | None]:
    """`e` with stray brackets and inner quotes resolved: zero, one or several mentions."""
    span = text[e.start:e.end]
    if e.canonical != " ".join(span.split()) or not any(ch in span for ch in _QUOTES + "()（）[]"):
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

    if " " not in name and not (typ == "PS" and len(name) == 3 and is_korean_full_name(name)):  # 김정은
        for j in _JOSA:
            if name.endswith(j) and is_name(name[:-len(j)]) and not listed(name):
                return name[:-len(j)]
    if typ == "OG" and name.endswith("사") and len(name) >= 3 and (
            is_name(name[:-1]) or name[:-1].isascii() and name[:-1].isalpha()) and not listed(name):
        return name[:-1]
    return name


_BUSINESS_TITLE_RE = re.compile(r"\s?(?:CEO|COO|CFO|CTO|최고경영자|회장|부회장|사장|창업자|공동창업자|대표이사|의장)(?![A-Za-z])")


def _split_business_apposition(text: str, ents: Sequence[Entity], article: str) -> list[Entity]:
    """`토마스 잉엔라트 폴스타 CEO`, `윌리엄 리 니오 회장`: in a person span of three or more words
    before a business title, the last word is the company when the article also writes it on its own."""
    out: list[Entity] = []
    for e in ents:
        words = e.canonical.split(" ")
        last = words[-1]
        if (e.type == "PS" and len(words) >= 3 and text[e.start:e.end] == e.canonical and len(last) >= 2
                and _BUSINESS_TITLE_RE.match(text, e.end)
                and len(re.findall(r"(?<![가-힣A-Za-z])" + re.escape(last), article)) >= 2):
            cut = e.end - len(last) - 1
            out += [Entity("PS", text[e.start:cut], e.start, cut, " ".join(words[:-1])),
                    Entity("OG", last, cut + 1, e.end, last)]
        else:
            out.append(e)
    return out


def _split_person_prefix(text: str, ents: Sequence[Entity], known: Mapping[str, str]) -> list[Entity]:
    """A person glued before an organisation or place anywhere in a span (`제롬 파월 미국
    연방준비제도`, `호세 무뇨스 현대차 북미`, `인요한 연세대`, `박진 외교부` before `장관`): the
    person apart, the rest as its own mention (split further by `_split_places`)."""
    out: list[Entity] = []
    for e in ents:
        words = e.canonical.split(" ")
        span = text[e.start:e.end]
        k = next((i for i, w in enumerate(words) if i >= 1 and (
            known.get(w) in ("OG", "LC") or len(w) >= 3 and _ORG_SUFFIX_RE.match(w))), 0) if span == e.canonical else 0
        head = words[:k]
        if k and _reads_as_person(head, known, _title_after(text, e.end) is not None):
            cut = len(" ".join(head))
            rest = span[cut + 1:]
            out.append(Entity("PS", span[:cut], e.start, e.start + cut, span[:cut]))
            out.append(Entity(known.get(rest) if known.get(rest) in ("OG", "LC") else
                              (known.get(words[k]) or "OG") if e.type == "PS" else e.type,
                              rest, e.start + cut + 1, e.end, rest))
        else:
            out.append(e)
    return out


def _reads_as_person(words: list[str], known: Mapping[str, str], titled: bool) -> bool:
    """Words before an organisation that name a person: a Korean full name, a known person name,
    a two-syllable Korean name right before a title (`박진 외교부 장관`), or two short Hangul words
    none of which is a known non-person (`제롬 파월`)."""
    if any(known.get(w) in ("OG", "LC", "O") for w in words):
        return False
    if len(words) == 1:
        w = words[0]
        return is_korean_full_name(w) or known.get(w) == "PS" or (
            titled and len(w) == 2 and w[0] in SURNAMES and bool(_HANGUL_NAME.match(w)))
    return len(words) == 2 and all(1 <= len(w) <= 5 and _HANGUL_NAME.match(w) or len(w) == 1 for w in words)


def _split_places(text: str, ents: Sequence[Entity], known: Mapping[str, str]) -> list[Entity]:
    """Places glued to a place or an organisation count apart (`미국 뉴욕` -> 미국, 뉴욕;
    `서울 여의도 국회` -> 서울, 여의도, 국회); a piece that is no name (`정부`) is dropped."""
    out: list[Entity] = []
    for e in ents:
        if " " not in e.canonical or e.text != e.canonical:
            out.append(e)
            continue
        words = e.canonical.split(" ")
        admin = [w for w in words if known.get(w) == "LC" or _ADMIN_RE.match(w)]
        local = ChainMap({w: "LC" for w in admin}, known) if len(admin) >= 2 else known
        for s, t_end, typ in split_glued(text, e.start, e.end, e.type, local, places=True):
            piece = text[s:t_end]
            if known.get(piece) != "O":
                out.append(Entity(typ, piece, s, t_end, " ".join(piece.split())))
    return out


def _split_country_prefix(ents: Sequence[Entity], countries: dict[int, Entity]) -> list[Entity]:
    """`미 국무부` / `美 FDA` read as one name -> the country and the rest (`국무부`, `FDA`);
    `한일` read as one name -> 한국, 일본."""
    out: list[Entity] = []
    for e in ents:
        head = countries.get(e.start)
        if len(e.text) > 1 and all(i in countries for i in range(e.start, e.end)):
            out += [countries[i] for i in range(e.start, e.end)]
        elif head is not None and len(e.text) > 2 and e.text[1] == " ":
            rest = e.text[2:].lstrip()
            s = e.end - len(rest)
            out += [head, Entity(e.type, rest, s, e.end, " ".join(rest.split()))]
        else:
            out.append(e)
    return out


# a person span whose word goes on with no particle or title is part of a word (`오토|파일럿`)
_WORD_GOES_ON = re.compile(r"[가-힣]{2,}")
_CONTINUATIONS = _JOSA + ATTACHED_TITLES + ("씨", "측", "등", "들", "家", "표", "발", "식", "이다", "이며", "이고", "였",
                                            "라고", "이라", "한테", "께", "님", "부부", "일가", "측근", "정부", "행정부", "마저", "조차",
                                            "밖에", "뿐", "라는", "란", "로서", "로써", "하고", "이랑", "다운", "다운", "같은")
# the word before a name that says it is a company (`업체 허츠`, `자산운용사 아크인베스트`)
_APPOSITION_RE = re.compile(r"(?:^|\s)(?:업체|기업|회사|스타트업|제조사|제조업체|제약사|투자은행|증권사|운용사|자산운용사|은행|"
                            r"브랜드|매체|방송사|신문사|통신사|완성차|렌터카업체|합작사|합작법인|자회사|계열사|모회사)\s$")
_ROLE_AFTER_PLACE_RE = re.compile(r"^([가-힣]{1,5}(?:시|도|구|군)|경기|강원|충북|충남|전북|전남|경북|경남|제주|서울|부산|대구|인천|광주|"
                                  r"대전|울산|세종)(청장|구청장|시장|군수|도지사|지사|교육감|민|주민)$")
_LC_ORG_RE = re.compile(r"^[가-힣A-Za-z]{2,}(?:대학교|대학|위원회|협회|공사|은행|그룹|전자|자동차|재단|연구소|FC|지청|지검|지법|"
                        r"법원|검찰청)$")


# what follows a "person" and shows it is an asset or a listed company (`비트코인 가격`, `니콜라 주가`),
# also after a list (`솔라나와 리플 가격`)
_CUE_AFTER_RE = re.compile(r"(?:(?:와|과|,|및|이나)\s*[^\s,]+\s*)*\s*(가격|시세|코인|주가|시가총액|시총|주식)"
                           r"(?=[이은는을를도의가과와에\s.,]|$)")
_NOT_PERSON_ENDINGS = ("코인", "토큰", "세", "법", "법안")
_KOREA = frozenset({"한국", "대한민국", "남한"})


def _foreign_country_before(text: str, start: int) -> str | None:
    """The foreign country named right before a mention (`미국 민주당`, `일본 자민당`), or None."""
    m = re.search(r"([가-힣]{2,6})(?:의)?\s$", text[max(0, start - 12):start])
    if m is None:
        return None
    country = COUNTRY_NAMES.get(m.group(1))
    return country if country and country not in _KOREA else None


# what may follow a place inside one written word (`미국발`, `중국산`, `서울시민`, `부산항`)
_PLACE_CONTINUATIONS = _JOSA + ("발", "산", "계", "형", "식", "풍", "내", "외", "간", "측", "인", "행", "전", "판", "민", "역",
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


def _resolve(text: str, e: Entity, people: _People, head_names: _People, later: _People,
             refs: dict[str, tuple[str, str]], countries: dict[int, Entity], known: dict[str, str]
             ) -> Entity | None:
    """One mention -> itself, its referent, or None (dropped); see `resolve_article`."""
    name = e.canonical
    if len(name) == 1:
        # a lone syllable or letter: a country abbreviation standing for its country, a surname
        # before a title that the article resolves, or nothing (`A씨`, `미` inside a phrase)
        if e.start in countries:
            return replace(countries[e.start], end=e.end)
        if name in SURNAMES:
            title = _title_after(text, e.end)
            full = (people.by_surname(name, title) or head_names.by_surname(name, title)) if title else None
            if not full:  # a surname stands for a person only with a title (`한일` is no 한동훈)
                return None
            return replace(e, type="PS", canonical=full, text=f"{name} {title}" if title else name)
        return None
    title = name[1:].lstrip(" ")
    m = _SURNAME_TITLE_RE.match(text, e.start) if e.type == "PS" and len(name) >= 2 and (
        name[1] == " " or name[0] in SURNAMES) else None
    if m is None and e.type == "PS" and len(name) >= 2 and name[0] in SURNAMES and (title in _SURNAME_TITLES or (
            name[1] == " " and is_title(title))):
        m = re.match(r"(.)\s?(.+)", name)
    if m is not None and (name[1] == " " or name[0] in SURNAMES):
        # `정총리`, `김 비서관`, `윤 원내(대표)`, `리 총리`: one syllable with its title, attached or not
        sur, title = m.group(1), m.group(2)
        full = people.by_surname(sur, title) or head_names.by_surname(sur, title)
        return replace(e, canonical=full, text=f"{sur} {title}") if full else None
    if e.type in ("OG", "LC") and " " not in name and known.get(name) is None and refs.get(name) is None and (
            (full := people.by_part(name) or later.by_part(name)) and " " in full):
        return replace(e, type="PS", canonical=full)  # `러몬도`, `잉엔라트` typed as a place or company
    if e.type == "PS" and (cue := _CUE_AFTER_RE.match(text, e.end)) is not None and not is_korean_full_name(name) and (
            known.get(name) != "PS" and not (people.by_part(name) or later.by_part(name))):  # `머스크 주가 조작`
        if cue.group(1) in ("가격", "시세", "코인"):
            return None  # `비트코인 가격`, `솔라나와 리플 가격`: an asset has a price, a person has none
        e = replace(e, type="OG")  # `니콜라 주가`, `루시드 시가총액`: a listed company
    if e.type == "PS" and name.endswith(_NOT_PERSON_ENDINGS) and len(name) >= 4 and " " not in name:
        return None  # `도지코인`, `억만장자세`: a coin, a tax, a bill
    ref = refs.get(name)
    if ref is not None and ref[1] == "OG" and ref[0] != name and (country := _foreign_country_before(text, e.start)):
        return replace(e, canonical=f"{country} {name}")  # `미국 민주당` is not 더불어민주당
    if ref is not None:
        if ref[0] == "-":  # a common noun KLUE tags (`정부`, `경찰`): not counted
            return None
        return replace(e, canonical=ref[0], type=ref[1] if ref[1] else e.type)
    if e.type == "PS" and " " not in name and (full := people.by_part(name) or later.by_part(name)) and " " in full:
        return replace(e, canonical=full)  # `러몬도` -> 지나 러몬도 before any retyping (CoNg may call it a place)
    if e.type == "PS" and known.get(name) in ("OG", "LC"):
        return replace(e, type=known[name])  # `니콜라`, `벤츠`: a known company or place
    if name.endswith("지수"):  # an index (`다우존스30산업평균지수`) is no organisation
        return None
    if e.type == "PS" and _ORG_SUFFIX_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="OG")  # `옥스퍼드대`, `약심위`: an institution's (short) name
    if e.type == "PS" and _cut_from_word(text, e):
        return None  # `오토` out of `오토파일럿`: part of a word, no name
    if e.type == "LC" and _place_cut_from_word(text, e, known):
        return None  # `반도` out of `반도체`
    if e.type in ("PS", "LC") and _APPOSITION_RE.search(text, 0, e.start) and known.get(name) not in ("PS", "LC"):
        return replace(e, type="OG")  # `렌터카 업체 허츠`, `합작사 블루오벌SK`: a company
    if e.type == "PS" and " " not in name and _ADMIN_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="LC")  # `대장동`: a district's name
    if e.type in ("LC", "OG") and (role := _ROLE_AFTER_PLACE_RE.match(name)) and refs.get(name) is None:
        if role.group(2) in ("민", "주민"):  # `강서구민`: the district's residents -> the district
            return replace(e, type="LC", canonical=role.group(1))
        return None  # `강서구청장`, `경기지사`: a role, not a place (the person is named on its own)
    if e.type == "LC" and _LC_ORG_RE.match(name):
        return replace(e, type="OG")  # `성남FC`, `서울중앙지검`: an institution
    if e.type == "PS" and " " not in name and (nb := neighbour_type(name)) is not None:
        return replace(e, type=nb)  # `도봉구`: Kiwi's CoNg neighbours are all districts
    if e.type == "PS" and " " not in name:
        full = people.by_part(name) or later.by_part(name)
        if full and (" " in full or not is_korean_full_name(name)):
            return replace(e, canonical=full)
    return e
