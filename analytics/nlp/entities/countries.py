"""Country abbreviations (`美`, `한·미`, `미 국무부`, `한미 정상회담`) that stand for their country,
and the foreign country named right before a mention (`미국 민주당`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analytics.nlp.entities.base import Entity

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"([가-힣]{2,6})(?:의)?\s$")

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
    "베트남", "태국", "필리핀", "인도네시아", "싱가포르", "말레이시아", "뉴질랜드", "아르헨티나", "남아공", "이란",
    "이라크", "사우디아라비아", "사우디", "아랍에미리트", "카타르", "쿠웨이트", "이집트", "요르단", "시리아", "레바논",
    "폴란드", "헝가리", "체코", "오스트리아", "스위스", "벨기에", "포르투갈", "그리스", "노르웨이", "핀란드", "덴마크",
    "아일랜드", "몽골", "카자흐스탄", "우즈베키스탄", "파키스탄", "방글라데시", "캄보디아", "라오스", "미얀마", "칠레",
    "콜롬비아", "페루", "베네수엘라", "쿠바", "나이지리아", "케냐", "에티오피아", "남아프리카공화국", "북한", "한국",
    # fifth session (fourth written set: `알렉산드르 루카셴코 벨라루스 대통령` typed a person): the rest of the
    # countries Korean news names (not those that are also common words: 가나, 수단, 오만, 부탄, 말리)
    "벨라루스", "조지아", "아제르바이잔", "아르메니아", "몰도바", "루마니아", "불가리아", "세르비아", "크로아티아", "슬로베니아",
    "슬로바키아", "보스니아", "몬테네그로", "알바니아", "코소보", "리투아니아", "라트비아", "에스토니아", "아이슬란드",
    "룩셈부르크", "몰타", "키프로스", "키르기스스탄", "타지키스탄", "투르크메니스탄", "아프가니스탄", "네팔", "스리랑카",
    "몰디브", "브루나이", "동티모르", "파푸아뉴기니", "피지", "바레인", "예멘", "팔레스타인", "리비아",
    "튀니지", "알제리", "모로코", "남수단", "소말리아", "우간다", "탄자니아", "르완다", "콩고", "세네갈",
    "니제르", "카메룬", "앙골라", "모잠비크", "짐바브웨", "잠비아", "나미비아", "보츠와나", "마다가스카르",
    "에콰도르", "볼리비아", "파라과이", "우루과이", "파나마", "코스타리카", "과테말라", "온두라스", "엘살바도르",
    "니카라과", "아이티", "도미니카공화국", "자메이카", "호주", "오스트레일리아", "이탈리아", "프랑스", "독일", "영국"}}
# other written forms of a country (counted under the country's name)
COUNTRY_ALIASES = {"UAE": "아랍에미리트", "아랍에미리트연합": "아랍에미리트", "아랍에미리트연합국": "아랍에미리트", "사우디": "사우디아라비아", "美國": "미국", "中國": "중국", "日本": "일본"}
_HANJA_ABBREV = "美中韓日北英獨佛露印濠臺伊"
_HANGUL_BEFORE_SPACE = "미북러"  # `미 국무부`, `북 매체`, `러 외무부`; not 한/일/중 (한 병원, 일 년)
_HANGUL_IN_CHAIN = "미중한일북영독러불호인남"
_NOT_WORD = r"(?<![가-힣A-Za-z0-9\u4e00-\u9fff])"
_HANJA_RE = re.compile(_NOT_WORD + f"([{_HANJA_ABBREV}])" + r"(?![A-Za-z0-9\u4e00-\u9fff])")  # `中에`
_CHAIN_RE = re.compile(_NOT_WORD + f"([{_HANGUL_IN_CHAIN}{_HANJA_ABBREV}](?:[·ㆍ・][{_HANGUL_IN_CHAIN}{_HANJA_ABBREV}])+)"
                       + r"(?![가-힣A-Za-z0-9])")
_SPACE_RE = re.compile(r"(?:^|(?<=[\s'\"‘“(\[]))" + f"([{_HANGUL_BEFORE_SPACE}])" + r" (?=[가-힣A-Za-z])")
# `한미`, `미중`, `한중일` written as one word before what two countries do together
_PAIR_RE = re.compile(r"(?<![가-힣])([한미중일러북]{2,3})(?=\s?(?:정상회담|정상|관계|동맹|협력|갈등|무역|회담|외교|공조|"
                      r"연합훈련|훈련|FTA|통화스와프|경쟁|합의|공동|패권|밀착|군사협력|무기|밀월|(?:간|사이)(?![가-힣])|간[에의]))")
# what each rule needs somewhere in the text (a rule cannot match a text without it: skipped)
_HANJA_ANY = re.compile(f"[{_HANJA_ABBREV}]")
_CHAIN_ANY = re.compile("[·ㆍ・]")
_PAIR_ANY = re.compile("[한미중일러북]{2}")
_SPACE_ANY = re.compile(f"[{_HANGUL_BEFORE_SPACE}] ")
# Hangul after a `미 `/`북 ` that shows the syllable is no abbreviation (`미 지급`, `북 쪽`).
_NOT_AFTER_SPACE = ("쪽", "측면", "지급", "해결", "확인", "완료", "방향")


def country_mentions(text: str) -> list[Entity]:
    """Country abbreviations that stand for their country in `text` (`美 FDA`, `한·미`, `미 국무부`,
    `한미 정상회담`),
    as LC mentions whose canonical is the country (`美` -> `미국`)."""
    found: dict[int, Entity] = {}
    for m in _HANJA_RE.finditer(text) if _HANJA_ANY.search(text) else ():
        s = m.start(1)
        found[s] = Entity("LC", m.group(1), s, s + 1, COUNTRY_ABBREV[m.group(1)])
    for m in _CHAIN_RE.finditer(text) if _CHAIN_ANY.search(text) else ():
        base = m.start(1)
        for k, ch in enumerate(m.group(1)):
            if ch in COUNTRY_ABBREV:
                found[base + k] = Entity("LC", ch, base + k, base + k + 1, COUNTRY_ABBREV[ch])
    for m in _PAIR_RE.finditer(text) if _PAIR_ANY.search(text) else ():
        base = m.start(1)
        if len(set(m.group(1))) == len(m.group(1)):
            for k, ch in enumerate(m.group(1)):
                found[base + k] = Entity("LC", ch, base + k, base + k + 1, COUNTRY_ABBREV[ch])
    for m in _SPACE_RE.finditer(text) if _SPACE_ANY.search(text) else ():
        s = m.start(1)
        if not text.startswith(_NOT_AFTER_SPACE, s + 2):
            found.setdefault(s, Entity("LC", m.group(1), s, s + 1, COUNTRY_ABBREV[m.group(1)]))
    return [found[k] for k in sorted(found)]


def split_country_prefix(ents: Sequence[Entity], countries: dict[int, Entity]) -> list[Entity]:
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


_KOREA = frozenset({"한국", "대한민국", "남한"})


def foreign_country_before(text: str, start: int) -> str | None:
    """The foreign country named right before a mention (`미국 민주당`, `일본 자민당`), or None."""
    m = _LITERAL_RE_1.search(text[max(0, start - 12):start])
    if m is None:
        return None
    country = COUNTRY_NAMES.get(m.group(1))
    return country if country and country not in _KOREA else None
