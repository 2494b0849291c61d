"""Products, programmes, funds and technology terms an article names as such (`AI 서비스 '클로바X'`,
`고대역폭메모리(HBM)`): their names are no entities."""

from __future__ import annotations

import re

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.retype import _VEHICLE_NAME_RE

# `코미디 프로그램 '새터데이나이트라이브(SNL)'`, `상장지수펀드(ETF)인 ARKK`)
_PRODUCT_NOUNS = (r"(?:AI|인공지능|서비스|모델|앱|애플리케이션|플랫폼|챗봇|검색|프로그램|예능|드라마|영화|게임|펀드|상장지수펀드|ETF|"
                  r"스마트폰|칩|메모리|반도체|전기차|신차|차종|제품|소프트웨어|운영체제|멤버십|요금제|캐릭터|콘텐츠|"
                  r"콘퍼런스|컨퍼런스|포럼|세미나|행사|캠페인|토론회|서밋|회의)")
_PRODUCT_NAME_RE = re.compile(r"(?<![가-힣A-Za-z])" + _PRODUCT_NOUNS + r"(?:\([A-Za-z]{2,6}\))?\s?(?:['‘\"“]([^'’\"”\n]{2,24})['’\"”]|"
                              r"인\s([가-힣A-Za-z0-9]{2,15}?)(?:은|는|이|가|의|을|를)?(?=[\s,.]))")
# a term (a technology, a product class) and its abbreviation: `고대역폭메모리(HBM)`, `그래픽처리장치(GPU)`
_TERM_HEADS = (r"(?:메모리|반도체|장치|칩|배터리|전지|기술|소재|공정|엔진|플랫폼|소프트웨어|모듈|센서|디스플레이|패널|지능|언어모델|"
               r"모델|네트워크|프로세서|컴퓨팅|자율주행|주행|상장지수펀드|치료제|연료)")
_TERM_GLOSS_RE = re.compile(r"([가-힣]{0,10}" + _TERM_HEADS + r")\(([A-Z][A-Za-z0-9]{1,7})\)|([A-Z][A-Za-z0-9]{1,7})\(([가-힣]{0,10}"
                            + _TERM_HEADS + r")\)")


def _products(article: str) -> tuple[set[str], tuple[str, ...]]:
    """Names the article calls a product, programme or fund (exact names), and abbreviations of
    technologies or product classes (`HBM`, also `HBM3E`, `HBM3E 양산`): neither is an organisation."""
    names: set[str] = set()
    for m in _PRODUCT_NAME_RE.finditer(article):
        n = (m.group(1) or m.group(2) or "").strip()
        g = re.fullmatch(r"(.+?)\(([A-Za-z]{2,8})\)", n)  # `새터데이나이트라이브(SNL)`: both
        names.update((g.group(1), g.group(2)) if g else (n,))
    names.update(m.group(1) for m in _VEHICLE_NAME_RE.finditer(article))  # ninth session: `탐사선 다누리`
    abbrs: set[str] = set()
    for m in _term_glosses(article):
        term, abbr = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        names.add(term)
        abbrs.add(abbr)
    return names, tuple(abbrs)


# every `_TERM_GLOSS_RE` match holds the first `(` at or after its start, at most 16 characters in (ten
# Hangul and a six-syllable head), and ends at most 18 after it: the bounds (with slack) of a search near
# each `(`
_GLOSS_BEFORE, _GLOSS_AFTER = 20, 24


def _term_glosses(article: str) -> list[re.Match]:
    """`_TERM_GLOSS_RE.finditer(article)`, the same matches, searched only around each `(` (the
    pattern's leading `[가-힣]{0,10}` made a scan of the whole text cost ~12 % of `resolve_article` on
    full bodies)."""
    out: list[re.Match] = []
    pos, find, search = 0, article.find, _TERM_GLOSS_RE.search
    while (q := find("(", pos)) >= 0:
        m = search(article, max(pos, q - _GLOSS_BEFORE), q + _GLOSS_AFTER)
        if m is not None and m.start() <= q:  # the leftmost match from `pos`: none starts before the window
            out.append(m)
            pos = m.end()
        else:
            pos = q + 1
    return out


def _is_product(name: str, products: tuple[set[str], tuple[str, ...]]) -> bool:
    names, abbrs = products
    return name in names or any(name == a or name.startswith(a) and re.fullmatch(r"[0-9A-Za-z]*(?:\s.*)?", name[len(a):])
                                for a in abbrs)


def _inside_product_names(text: str, ents: list[Entity], names: set[str]) -> list[Entity]:
    """Twelfth session: the words of a product's name of several words that the article gives as one (`칩 '베라 루빈'`:
    `베라` and `루빈` tagged apart, a chip named after a person) are no mentions wherever that name is written."""
    spans = [(m.start(), m.end()) for n in names if " " in n for m in re.finditer(re.escape(n), text)]
    if not spans:
        return ents
    return [e for e in ents if not any(a <= e.start and e.end <= b and (e.start, e.end) != (a, b) for a, b in spans)]
