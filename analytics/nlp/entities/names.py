"""Name predicates shared by the counting steps: Korean surnames and full names, the titles a
surname takes (`윤 대통령`), institution and district endings, particles."""

from __future__ import annotations

import re
from functools import lru_cache

from analytics.nlp.entities.base import EDGE_PUNCT, TITLE_SET

EDGE_PUNCT_ALL = EDGE_PUNCT + "”’」』》〉）"

# Titles that follow a surname (`윤 대통령`, `이 대표`, `김 의원`, `원 장관`), besides TITLES.
SURNAME_TITLES = TITLE_SET | {
    "전 대통령", "당선인", "당선자", "후보", "예비후보", "원내대표", "최고위원", "비대위원장", "지사",
    "부총리", "총재", "단장", "씨", "여사", "전 대표", "전 장관", "전 의원", "위원", "측", "전 회장",
    "주석", "국가주석", "총통", "국왕", "왕세자", "사무총장", "주지사", "상원의원", "하원의원", "하원의장",
    "권한대행", "혁신위원장", "부장판사", "지검장", "검사장", "구청장", "군수",
    # third session: titles of 2023 politics and business news (`남 이사장`, `백 전 비서관`, `이 전 부지사`)
    "이사장", "비서관", "수석", "부지사", "국무위원장", "부부장", "외무상", "조정관", "서장", "교육감", "특보", "대사",
    "사무처장", "처장", "차장검사", "대법원장", "헌법재판소장", "경제부총리", "총괄사장",
    # fifth session (fourth written set: `이 후보자`, `친 부장`, `홍범도 장군`, `김범수 창업자`)
    "후보자", "장군", "창업자", "창업주", "외교부장", "특별검사", "특검", "구단주", "아나운서", "캐스터",
    # sixth session (sixth written set: `최 목사`, `박 대령`, `임 사단장`, `권 수석대변인`, `옐런 지명자`): clergy,
    # military ranks and commands, spokesmen, nominees
    "목사", "신부", "대령", "중령", "소령", "대위", "중위", "소위", "준장", "중장", "상병", "병장", "하사", "중사", "원사",
    "사단장", "사령관", "참모총장", "수석대변인", "원내대변인", "지명자", "정책위의장", "사무차장", "부원장",
    "애널리스트", "이코노미스트", "전략가", "펀드매니저",
    # seventh session (seventh written set, business news: `윤 창업회장`, `정 명예회장`)
    "창업회장", "명예회장", "선임고문",
    # eighth session (eighth written set: `양 총괄` for 양현석 YG 총괄프로듀서)
    "총괄",
    # ninth session (ninth written set: `유 추기경`, `정 대주교`, `다카이치 담당상` for a Japanese minister of state)
    "추기경", "대주교", "담당상",
    # tenth session (tenth written set, ministries, the central bank and business: `김 정책관`, `최 관리관`, `유 부총재`,
    # `주 부위원장`, `최 수석부회장`, `한 사업부장`)
    "정책관", "관리관", "부총재", "부총재보", "부위원장", "수석부회장", "사업부장",
    # twelfth session (twelfth written set, foreign governments, central banks and funds: `럼 서기장`, `가토 재무상`,
    # `슈나벨 집행이사`, `구랭샤 수석이코노미스트`, `베선트 재무장관`)
    "서기장", "총서기", "재무상", "재무장관", "재정부장", "집행이사", "수석이코노미스트",
    # fourteenth session (thirteenth written set, unions: `문 지부장` for a union branch's head, `김 지회장`, `박 분회장`)
    "지부장", "지회장", "분회장",
}
TITLE_ALT = "|".join(sorted((re.escape(t) for t in SURNAME_TITLES), key=len, reverse=True))
# what may follow a title: no more Hangul, or a particle (`윤 대통령은`, `이 대표에게`)
_TITLE_END = r"(?=[^가-힣]|[은는이가을를의도과와에께]|$)"
# `이 대표`, `윤 대통령`, `송 전 대표` (any title after `전`), `김 전 회장`
SURNAME_TITLE_RE = re.compile(r"(?<![가-힣])([가-힣])\s?((?:전\s)?(?:" + TITLE_ALT + r"))" + _TITLE_END)
_TITLE_AFTER_RE = re.compile(r"\s?((?:전\s)?(?:" + TITLE_ALT + r"))" + _TITLE_END)
_FULL_NAME_RE = re.compile(r"^[가-힣]{2,4}$")
HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")
# institutions' name endings; a one-word "person" that is no Korean full name and ends so is one
ORG_SUFFIX_RE = re.compile(r"^[가-힣]{2,}(?:대학교|대학|대|위원회|위|협회|공사|은행|그룹|전자|자동차|병원|센터|재단|연구소|연구원|"
                            r"청|처|부|당|회)$")
# administrative place names (`서울시`, `도봉구`, `울진군`): places when two stand together
# (a province ends in 도 within four syllables: `경기도`, `충청북도`; `연방준비제도` is no province)
# A foreign state or province ends in 주 after two or more syllables (`캘리포니아주`, `아무르주`; a Korean
# city in 주 has two syllables, and `지주`, `맥주`, `주주`, `이번주` are no places).
_FOREIGN_STATE = r"[가-힣]+[가-힣](?<![번난음매지맥주소금월화수목토일])주"
ADMIN_RE = re.compile(r"^(?:[가-힣]{1,5}(?:특별시|광역시|특별자치시|특별자치도|시|구|군|읍|면|동)|[가-힣]{1,3}도"
                      rf"|{_FOREIGN_STATE})$")
FOREIGN_STATE_RE = re.compile(rf"^{_FOREIGN_STATE}$")

# nouns before a name that say it is a company (`업체 허츠`, `자산운용사 아크인베스트`)
APPOSITION_NOUNS = (r"(?:업체|기업|회사|스타트업|제조사|제조업체|제약사|투자은행|증권사|운용사|자산운용사|은행|"
                    r"브랜드|매체|방송사|신문사|통신사|완성차|렌터카업체|합작사|합작법인|자회사|계열사|모회사|"
                    # fifth session: `프랑스 경제지 레제코와`, `소속사 하이브`, `항공사 에어프레미아`
                    r"경제지|일간지|주간지|전문지|전문매체|외신|소속사|기획사|배급사|제작사|게임사|항공사|저비용항공사|이통사|플랫폼업체|"
                    # seventh session: `산하 레이블 어도어의`, `걸그룹 뉴진스`, `사모펀드 MBK파트너스`
                    r"레이블|걸그룹|보이그룹|아이돌그룹|사모펀드|구단|프로구단)")
# particles that a span may still carry when Kiwi read them as part of a proper noun (`아스트라제네카의`)
JOSA = ("에서", "에게", "으로", "까지", "부터", "처럼", "보다", "이나", "와의", "과의", "에는", "에도",
         "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로", "만")

# The surnames of most Korean names in the news: a three-syllable word on one of them, before a
# title, is a full name even where Kiwi does not say so (not `라`, `기`, `사`: `라파엘`, `기시다`, `사티아`
# begin foreign names).
COMMON_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석")
# Korean surnames (one syllable) that begin most names in the news.
SURNAMES = COMMON_SURNAMES | frozenset("선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부황보")


# syllables that before a title are a determiner, not a name (`두 대통령` = two presidents, `각 장관`)
DETERMINERS = frozenset("두세네각현전새양총부제이한그저본당첫옛")
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "망절")


def is_korean_full_name(name: str) -> bool:
    """Surname + given name in Hangul: three syllables (`윤석열`), or four with a two-syllable
    surname (`남궁민수`); a four-syllable word on a one-syllable surname is rarely a name
    (`성남지청`, `대한상의`). Memoised per form (~60,000 asks on 350 articles, of a few thousand forms)."""
    v = _FULL_NAMES.get(name)
    if v is None:
        v = len(name) >= 3 and _FULL_NAME_RE.match(name) is not None and name[0] in SURNAMES and (
            len(name) == 3 or name[:2] in _COMPOUND_SURNAMES)
        if len(_FULL_NAMES) >= 200_000:
            _FULL_NAMES.clear()
        _FULL_NAMES[name] = v
    return v


_FULL_NAMES: dict[str, bool] = {}  # name -> is_korean_full_name (bounded)


def is_person_name(name: str) -> bool:
    """A person name short forms can refer back to: a Korean full name, a multi-word name, or a
    one-word Hangul name of two to four syllables (`리창`, `시진핑`, `기시다`)."""
    return is_korean_full_name(name) or " " in name or (2 <= len(name) <= 4 and bool(HANGUL_NAME.match(name)))


def title_after(text: str, end: int) -> str | None:
    """The title right after a name or surname (`윤 대통령은` -> 대통령), whole words only: `이사장`
    after `이` is no `이 사장`, `대표단` no `대표`."""
    m = _TITLE_AFTER_RE.match(text, end)
    if m is None:
        return None
    if m.start(1) == end and end > 0 and is_title_word(text[end - 1] + m.group(1)):
        return None  # `KBS 이사장`: the syllable and the "title" are one title word
    return m.group(1)


def is_title_word(word: str) -> bool:
    """`이사장`, `부사장`: a surname syllable glued to a title that together make another title."""
    return word in SURNAME_TITLES or word in _TITLE_PREFIXES


# every proper prefix of a title (`이사`, `부사` of 이사장, 부사장): is_title_word by look-up, not a scan
_TITLE_PREFIXES = frozenset(t[:k] for t in SURNAME_TITLES for k in range(len(t)))


def core_title(title: str) -> str:
    """`전 장관` -> 장관: a former holder is named by the same title."""
    return title[2:] if title.startswith("전 ") else title


def titles_match(given: str, short: str) -> bool:
    """A title given with a full name (`국무위원장`, `원내대표`) fits a later short one (`위원장`,
    `대표`) when one ends the other."""
    a, b = core_title(given), core_title(short)
    return a.endswith(b) or b.endswith(a)


_APPOSITION_WORDS = 3
_PLAIN_WORD_RE = re.compile(r"[가-힣A-Za-z0-9]+")
_LONGEST_TITLE = max(len(t) for t in SURNAME_TITLES)


def apposition_title(text: str, end: int) -> str | None:
    """The title given with a full name, also after its affiliation (`이재명 더불어민주당 대표`,
    `이화영 전 경기도 평화부지사`, `김정은 북한 국무위원장`): the first of the next three words that ends
    in a title (its longest title ending), stopping at a word that carries a particle."""
    t = title_after(text, end)
    if t:
        return t
    words = text[end:end + 40].split()
    if not text[end:end + 1].isspace():
        return None
    former = bool(words) and words[0] == "전"
    for i, w in enumerate(words[:_APPOSITION_WORDS]):
        hit, stem, w = _title_ending(w)
        if hit and hit != stem and i + 1 < len(words) and (nxt := _title_ending(words[i + 1])[0]):
            hit = nxt  # `김용 전 민주연구원 부원장`: a body ending like a title (`…연구원`), then the title
        if hit:
            return ("전 " if former else "") + hit  # `이화영 전 경기도 평화부지사` -> 전 부지사 (the longest title ending)
        if stem != w or not _PLAIN_WORD_RE.fullmatch(w):
            return None  # the apposition ended (`윤석열 정부의 …`)
    return None


@lru_cache(maxsize=65536)
def _title_ending(word: str) -> tuple[str | None, str, str]:
    """(the longest title `word` ends in, its stem without a particle, the word without edge quotes)."""
    w = word.strip("\"'‘’“”()[],.·")
    stem = next((w[:-len(j)] for j in JOSA if w.endswith(j) and len(w) > len(j) + 1), w)
    hit = stem if stem in SURNAME_TITLES else next(
        (stem[-n:] for n in range(min(len(stem) - 1, _LONGEST_TITLE), 1, -1) if stem[-n:] in SURNAME_TITLES), None)
    return hit, stem, w


@lru_cache(maxsize=8192)
def word_morphs(word: str) -> tuple[tuple[str, int], ...]:
    """Kiwi's (tag, morpheme id) of `word` read on its own: the one cached tokenization that every test of
    a single word (here and in canonical) reads, so a word is tokenized once however many ask."""
    from analytics.nlp.tokenize import get_kiwi

    return tuple((t.tag, getattr(t, "id", 0)) for t in get_kiwi().tokenize(word))


def has_proper_noun(word: str) -> bool:
    """Kiwi reads a proper noun or a foreign word in `word` (`김유준`, `토트넘`, `LG`), not only common
    nouns and affixes (`최|우수`, `신규|확진자`)."""
    return any(tag in ("NNP", "SL", "SH") for tag, _ in word_morphs(word))
