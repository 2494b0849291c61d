"""Context retyping: what the words around a mention say it is (`루시드 주가` a company, `업체 허츠` a company,
`수도 다마스쿠스` a place, `재단` / `상` / `공장` after a person's name), the word lists it reads, and a company
glued before its chairman (`폭스콘 류양웨이 회장`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from analytics.nlp.entities.base import ATTACHED_TITLES, Entity
from analytics.nlp.entities.countries import (
    COUNTRY_NAMES,
)
from analytics.nlp.entities.names import (
    ADMIN_RE,
    APPOSITION_NOUNS,
    COMMON_SURNAMES,
    FOREIGN_STATE_RE,
    JOSA,
    ORG_SUFFIX_RE,
    SURNAME_TITLES,
    apposition_title,
    is_korean_full_name,
    title_after,
    word_morphs,
)
from analytics.nlp.entities.surface import SITE_WORDS, _company_cued, is_county

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"[가-힣A-Za-z0-9]{2,}")
_LITERAL_RE_2 = re.compile(r"(?:^|\s)([^\s]+)\s$")
_LITERAL_RE_3 = re.compile(r"([^\s·,]+?)(?:와|과|·|,|및)\s?$")
_LITERAL_RE_4 = re.compile(r"(?:와\s?|과\s?|·|,\s?|및\s|\s및\s)([^\s·,]+?)(?=[은는이가을를의와과도에·,\s]|$)")
_LITERAL_RE_5 = re.compile(r"[가-힣]+")
_LITERAL_RE_6 = re.compile(r"[가-힣]{5,}")
_LITERAL_RE_7 = re.compile(r"[가-힣]{2,6}")
_LITERAL_RE_8 = re.compile(r"[가-힣A-Za-z]{2,}")
_LITERAL_RE_9 = re.compile(r"[가-힣]{2,8}(?: [가-힣]{2,8})?|[가-힣] [가-힣]{3,8}")
_LITERAL_RE_10 = re.compile(r"[가-힣]{2,8}장")

# curated `referents.tsv` holds the ones KLUE tags most: 정부, 경찰, 검찰)
GENERIC_NOUNS = frozenset({"재판부", "지도부", "여당", "야당", "여야", "당정", "수사팀", "수사당국", "합수단", "연구소", "공장", "본사",
                           "사무실", "청사", "본부", "대표단", "선수단", "사절단", "유가족", "관계부처", "부처", "지자체",
                           "사법부", "입법부", "행정부", "의회", "집행부", "팬덤", "이사회", "주주총회",
                           # twelfth session: `각국 중앙은행`, `브라질 중앙은행` (the country split off): a class of bodies
                           "중앙은행", "국부펀드",
                           # fifteenth session: `노조는 반발했다` (the article's union, named in full elsewhere): a class of bodies
                           "노조", "노동조합"})
_GROUP_NOUNS = (" 대표단", " 선수단", " 사절단", " 관계자", " 일행", " 측근", " 유가족")
# a person span whose word goes on with no particle or title is part of a word (`오토|파일럿`)
_WORD_GOES_ON = re.compile(r"[가-힣]{2,}")
_CONTINUATIONS = JOSA + ATTACHED_TITLES + ("스님", "씨", "측", "등", "들", "家", "표", "발", "식", "이다", "이며", "이고", "였",
                                            "라고", "이라", "한테", "께", "님", "부부", "일가", "측근", "정부", "행정부", "마저", "조차",
                                            "밖에", "뿐", "라는", "란", "로서", "로써", "하고", "이랑", "다운", "다운", "같은")
# the word before a name that says it is a company (`업체 허츠`, `자산운용사 아크인베스트`)
# also the later names of a list after it (`업체 니오와 샤오펑이`)
_APPOSITION_RE = re.compile(r"(?:^|\s)" + APPOSITION_NOUNS + r"(?:\s+[^\s]+(?:와|과|및|,))*\s$")
_ROLE_AFTER_PLACE_RE = re.compile(r"^([가-힣]{1,5}(?:시|도|구|군)|경기|강원|충북|충남|전북|전남|경북|경남|제주|서울|부산|대구|인천|광주|"
                                  r"대전|울산|세종)(청장|구청장|시장|군수|도지사|지사|교육감|민|주민)$")
_LC_ORG_RE = re.compile(r"^[가-힣A-Za-z]{2,}(?:대학교|대학|초등학교|중학교|고등학교|병원|위원회|협회|공사|은행|그룹|전자|자동차|재단|연구소|FC|지청|지검|지법|"
                        r"법원|검찰청|캐피털|캐피탈|파트너스|홀딩스|증권|자산운용|인베스트먼트|벤처스|모터스|제약|바이오|"
                        r"에너지|솔루션|통신|신문|방송|"
                        # sixth session: police, education and fire offices, media and asset managers (`경북경찰청`,
                        # `코바나컨텐츠`, `화천대유자산관리`)
                        r"경찰청|경찰서|교육청|소방서|소방본부|고검|고법|지원|컨텐츠|콘텐츠|엔터테인먼트|미디어|자산관리|물산)$")


def _company_word(text: str, e: Entity) -> str | None:
    """The whole written word when a place was cut from a company's or office's name (`화천` of
    `화천대유자산관리`): the word goes on by two or more syllables and ends like one."""
    m = _LITERAL_RE_1.match(text[e.end:])
    if m is None or text[e.start:e.end] != e.canonical:
        return None
    word = e.canonical + m.group(0)
    return word if _LC_ORG_RE.match(word) or _COMPANY_END_RE.match(word) else None


# a body's or place's name followed by the title of its head or staff: a role, not the body
_ROLE_END_RE = re.compile(r"^([가-힣A-Za-z]{2,}?)(군수|구청장|교육감|경찰서장|소방서장|세무서장|서장|지검장|지청장|검사장|대법원장|원장|"
                          r"청장|총장|본부장|소장|국장|실장|처장|위원장|이사장|부사장|사장|부회장|회장|단장|센터장|지사장|"
                          r"비서관|수석|대변인|차관|장관|사령관|사단장|참모총장|보좌관|특별보좌관)$")


def _role_cut(name: str) -> str | None:
    """None when `name` names a body or place; "" when it is only a role (`양평군수`); the body
    before the role word (`청와대 민정비서관` -> 청와대)."""
    words = name.split(" ")
    last = words[-1]
    if not (_ROLE_END_RE.match(last) or last in SURNAME_TITLES and len(words) > 1):
        return None
    if len(words) == 1:
        return ""
    head = " ".join(words[:-1])
    return head if len(head) >= 2 else ""


# transliterated place prefixes before a person's name (`캠프 데이비드`, `포트 브래그`, `세인트 루이스`)
_PLACE_PREFIX_RE = re.compile(r"(?:^|(?<=[\s'\"‘“(]))(캠프|포트|마운트|케이프|세인트|레이크)\s$")
# the word before a name that says it is a facility (`노인요양시설인 정효원`, `요양병원 '…'`)
_FACILITY_BEFORE_RE = re.compile(r"(?:시설|요양원|요양병원|복지관|복지시설|어린이집|유치원|보육원|경로당)(?:인|의)?\s['‘\"“]?$")
# what follows a law's abbreviation (`IRA 요건을`), never a body's
_LAW_AFTER_RE = re.compile(r"(?:의)?\s?(?:요건|조항|세액공제|수혜|발효|법안|시행령|시행)(?![가-힣])|(?:의)?\s?(?:요건|조항|세액공제|수혜|발효|시행)[을를이가은는에의도]")
_MODEL_AFTER_RE = re.compile(r"\s(?:일렉트릭|EV|하이브리드|PHEV|플러그인하이브리드|전기차|SUV|세단)(?![가-힣A-Za-z])")
_PRIZE_RE = re.compile(r"상(?=[^가-힣]|[은는이을를의과와도에]|$)")
_FOUNDATION_RE = re.compile(r"\s?(재단|기념관|기념재단|센터)(?=[^가-힣]|[은는이을를의과와도에]|$)")
# eleventh session: a plant or site named after its owner (`단고테 정유공장`): a place, no person
_PLANT_RE = re.compile(r"\s(" + SITE_WORDS + r")(?=[^가-힣]|[은는이을를의과와도에]|$)")
# 인도 = delivery (of cars): in `인도량`, `인도했다`, before `행사/물량/일정`, after `첫`/`차량`/a count of cars
_DELIVERY_AFTER_RE = re.compile(r"(?:량|하|했|한다|식|받|된|돼|되|분|\s(?:행사|물량|일정|시점|대수|실적|지연|개시|목표|차질|시작))")
_DELIVERY_BEFORE_RE = re.compile(r"(?:(?:^|\s)(?:첫|차량|고객|조기|대량|직접|본격|신차|정식)|\d\s?대|모델[0-9A-Z]+)\s$")


# the end of an event's name (`항저우 아시안게임`, `2030 부산엑스포`, `KBO 한국시리즈`, `세계선수권대회`)
_EVENT_END_RE = re.compile(r"(?:아시안게임|게임즈|올림픽|패럴림픽|월드컵|엑스포|박람회|선수권대회|선수권|시리즈|영화제|페스티벌|축제|(?<!대표)대회)$")
# a word after a name that makes it a place's (`신장 위구르 자치구`, `돈바스 지역`, `가자 지구`)
_PLACE_HEAD_AFTER_RE = re.compile(r"\s(?:자치구|자치주|자치공화국|자치령|지역|일대|지방|지구|특별자치주)(?=[^가-힣]|[은는이가을를의도과와에]|에서|$)")
_PSEUDONYM_RE = re.compile(r"\s?\((?:가명|가칭|익명)[^)]{0,6}\)")
# titles of a place's head: `강남구 구청장` is no person called 강남구
_PLACE_ROLE_TITLES = frozenset({"구청장", "시장", "군수", "지사", "도지사", "청장", "교육감", "주지사", "의원", "의장", "원장"})
# a title glued to a "person" that is no name: the end of a body's or role's word (`…센터장`, `최우수선수`)
_GLUED_ROLE_RE = re.compile(r"(?:센터장|본부장|위원장|연구소장|연구원장|소장|원장|실장|국장|단장|처장|청장|부장|선수)(?=[^가-힣]|[은는이가을를의도과와에]|$)")
# nouns that say the quoted or following name is a product, a programme or a fund (`AI 서비스 '클로바X'`,

def _named_after(text: str, e: Entity) -> bool:
    """A person's name that is part of a place's, prize's or body's (`캠프 데이비드`, `댄 데이비드상`)."""
    return bool(_PLACE_PREFIX_RE.search(text, 0, e.start) or _PRIZE_RE.match(text, e.end) or _FOUNDATION_RE.match(text, e.end))


def _after_company(text: str, start: int, known: Mapping[str, str]) -> bool:
    """A name right after a known company's name (`현대차 코나`): a product or model."""
    m = _LITERAL_RE_2.search(text[max(0, start - 20):start])
    return m is not None and known.get(m.group(1)) == "OG"


def _listed_with_company(text: str, e: Entity, known: Mapping[str, str]) -> bool:
    """`BYD와 니오 등`, `니오·샤오펑·BYD`: joined by 와/과/·/, to a known company's name."""
    before = _LITERAL_RE_3.search(text[max(0, e.start - 20):e.start])
    after = _LITERAL_RE_4.match(text[e.end:e.end + 20])
    return any(m is not None and (known.get(m.group(1)) == "OG" or _COMPANY_END_RE.search(m.group(1)) is not None)
               for m in (before, after))


# a company's name ending (`이스타항공`, `삼성생명`): a name listed with one is a company (`에어프레미아와 이스타항공`)
_COMPANY_END_RE = re.compile(r"[가-힣A-Za-z]{2,}(?:항공|전자|그룹|은행|증권|생명|화재|제약|바이오|건설|중공업|화학|홀딩스|모터스|"
                             r"캐피탈|캐피털|물산|카드|보험|쇼핑|엔터테인먼트|뱅크)$")


# what follows a "person" and shows it is an asset or a listed company (`비트코인 가격`, `니콜라 주가`),
# also after a list (`솔라나와 리플 가격`)
_CUE_AFTER_RE = re.compile(r"(?:(?:와|과|,|및|이나)\s*[^\s,]+\s*)*\s*(가격|시세|코인|주가|시가총액|시총|주식)"
                           r"(?=[이은는을를도의가과와에\s.,]|$)")
# a three-syllable word on a common surname right before (`민희진 어도어 대표`: a Korean full name)
_KOREAN_NAME_BEFORE_RE = re.compile(r"(?:^|(?<=\s))[" + "".join(sorted(COMMON_SURNAMES)) + r"][가-힣]{2}\s$")
# what follows a building's name used as a place (`백악관에서`, `백악관 국빈 만찬`, `엘리제궁 앞`)
_USED_AS_PLACE_RE = re.compile(r"(?:에서|으로|앞|인근|주변)(?![가-힣])|에서[는도]|\s(?:복귀|입성|귀환)(?![가-힣])|\s(?:앞|인근|주변|집무실|국빈\s만찬|만찬장?|정원|잔디밭|브리핑룸|상황실|이스트룸)")
# a club's match (`에버턴과의 홈경기`, `베르더 브레멘과의 원정 경기`, `AC밀란과의 조별리그 홈 경기`)
_MATCH_AFTER_RE = re.compile(r"(?:와|과)의\s(?:[^\s]+\s){0,2}(?:홈|원정)\s?(?:경기|개막전|평가전|맞대결)")
_NOT_PERSON_ENDINGS = ("코인", "토큰", "세", "법", "법안")
# sixth session (sixth written set, Tesla/crypto excerpts and 2023 politics):
# particles Kiwi keeps inside a noun it does not know (`카르나타카주 벵갈루루에`)
_SWALLOWED = ("에서", "으로", "에", "의")  # `의`: eighth session (`로스토프나도누의`)
# a quoted name followed by the word for a case or affair (`'부산 돌려차기' 사건`)
_QUOTED_AFFAIR_RE = re.compile(r"['’\"”]\s?(?:사건|사태|파문|논란)(?![가-힣])|['’\"”]\s?(?:사건|사태|파문|논란)[은는이가을를의에과와도]")
# factions (`비명계`, `친윤계`, `반윤계`; a person's: `이준석계`)
_FACTION_RE = re.compile(r"^(?:(?:친|비|반)[가-힣]{1,2}|[가-힣]{3})계$")
# a coin named after its class (`가상화폐 위믹스를`, `밈코인 시바이누`)
_ASSET_BEFORE_RE = re.compile(r"(?:^|\s)(?:가상화폐|암호화폐|가상자산|코인|스테이블코인|밈코인|알트코인|토큰|디지털자산)\s$")
# a compound apposition noun (`게임업체`, `유통업체`, `가상화폐거래소`) and a list of companies closed by
# `등` and their class (`업비트와 빗썸 등 국내 가상화폐 거래소`)
_BUSINESS_HEADS = r"(?:업체|기업|회사|거래소|제조사|운용사|증권사|플랫폼|헤지펀드)"
_COMPOUND_APPOSITION_RE = re.compile(r"(?:^|\s)(?:[가-힣]{1,6}" + _BUSINESS_HEADS + r"|거래소|앱|메신저|헤지펀드|사모펀드)\s$")
_LISTED_AS_RE = re.compile(r"(?:(?:와|과|,|·)\s*[^\s,]+?\s*)*\s등\s(?:[가-힣A-Za-z]+\s){0,2}" + _BUSINESS_HEADS
                           + r"(?=[이은는을를의가과와에들\s.,]|$)")
# a meeting or event typed an organisation (`국회 인사청문회`, `전당대회`, `세계스카우트잼버리`)
_MEETING_END_RE = re.compile(r"(?:청문회|국정감사|전당대회|의원총회|잼버리|콘퍼런스|컨퍼런스|토론회|공청회|기자회견|대정부질문|본회의|"
                             r"국무회의|최고위원회의|수석비서관회의|정상회의)$")
# job titles no body's head holds: the words before one are a person (`댄 아이브스 애널리스트`)
_PERSONAL_TITLES = frozenset({"애널리스트", "이코노미스트", "전략가", "펀드매니저", "연구원", "연구위원", "교수", "기자", "특파원",
                              "변호사", "회계사", "평론가", "칼럼니스트"})
_MIXED_SCRIPT_RE = re.compile(r"^[A-Z]{2,}&?[가-힣]{2,}$")
_BUILDING_WORDS = frozenset({"앞", "건물", "본관", "별관", "일대", "민원실", "브리핑룸"})
# what may follow a place inside one written word (`미국발`, `중국산`, `서울시민`, `부산항`)
_PLACE_CONTINUATIONS = JOSA + ("발", "산", "계", "형", "식", "풍", "내", "외", "간", "측", "인", "행", "전", "판", "민", "역",
                                "항", "주", "성", "청", "권", "시", "도", "구", "군", "읍", "면", "동", "리", "당국", "정부", "증시",
                                "지사", "교육청", "경찰")


def _place_cut_from_word(text: str, e: Entity, known: Mapping[str, str]) -> bool:
    """Only a one-syllable rest that is no particle or place suffix (`반도|체`, `서울|대`): longer
    rests are mostly compounds that do name the place (`인천공항`, `제주지역`, `이천물류센터`)."""
    m = _LITERAL_RE_5.match(text[e.end:])
    if m is None or len(m.group(0)) != 1 or len(e.canonical) < 2 or not _LITERAL_RE_5.fullmatch(e.canonical):
        return False
    word = e.canonical + m.group(0)
    return m.group(0) not in _PLACE_CONTINUATIONS + ("서", "엔") and known.get(word) in (None, "O")


def _cut_from_word(text: str, e: Entity) -> bool:
    m = _WORD_GOES_ON.match(text, e.end)
    return m is not None and not m.group(0).startswith(_CONTINUATIONS)


# eighth session: -적 after a country's name (`인도적`, `한국적`), an adjective of its own
_ADJECTIVE_SUFFIX_RE = re.compile(r"적(?:인|으로|이다|이고|이며)?(?![가-힣])")
# a locative particle after a "person": persons take 에게, places 에서 (`테헤란에서`, a headline's `테헤란서 피살`)
# and `에 도착`; `에 대해`, `에 따르면` are said of people too, so `에` alone is no cue
_LOCATIVE_PERSON_RE = re.compile(r"(?:에서|서)(?:는|도|의|만)?(?=[\s,.…'’\"”]|$)|에\s(?:도착|머물|입성|도달|위치한|있는)")
# `…를 운영하는 X`, `운영사 X`: X runs something, a company
_RUNS_BEFORE_RE = re.compile(r"(?:[을를]\s운영하는|운영사인?|운영업체인?)\s$")
# the word before a place that says it is one (`이란 수도 테헤란`, `우크라이나 수도 키이우를`)
_CAPITAL_BEFORE_RE = re.compile(r"(?:^|\s)(?:수도|항구도시|국경도시|접경도시|휴양도시|소도시|해안도시)\s$")


def _known_company_prefix(name: str, known: Mapping[str, str]) -> str | None:
    """The known company a one-word name begins with, two Hangul syllables or more left after it
    (`쿠팡이츠` = 쿠팡 + 이츠, `카카오페이`); None for names of their own (`메타` + `버스`? not known)."""
    if len(name) < 4 or not _LITERAL_RE_5.fullmatch(name):
        return None
    for n in range(len(name) - 2, 1, -1):
        if known.get(name[:n]) == "OG":
            return name[:n]
    return None


# ninth session (ninth written set: elections abroad, energy, space, labour, religion, sports, obituaries)
# a role that comes before a person's name (`FTX 창업자 샘 뱅크먼프리드가`, `부인 멜라니아`, `극작가 폭스 루트비히`)
_ROLE_BEFORE_PERSON_RE = re.compile(r"(?:^|\s)(?:창업자|공동창업자|설립자|창립자|창업주|극작가|작가|소설가|시인|배우|가수|판사|"
                                    r"연인|부인|남편|아내|딸|아들)\s$")
_STATE_END_RE = re.compile(r"(?<=[가-힣]{2})주$")
_HYPHEN_PAIR_BEFORE_RE = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,4})-([가-힣A-Za-z]{2,6}) $")


_FULL_NAME_BEFORE_RE = re.compile(r"(?<![가-힣])([가-힣]{3}) $")


def _context_retypes(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]], known: Mapping[str, str],
                   split: bool = False) -> list[list[Entity]]:
    """Types the words around a span settle, read once before the spans are joined and cut (and once after, `split`):
    - a one-word person span that is the tail of an organisation the article names (`조계종` beside 대한불교조계종) is
      that organisation (and is no first name to join to the next: `조계종 진우스님`);
    - a place or body span right after a role that comes before a person's name (`FTX 창업자 샘 뱅크먼프리드가`) is
      that person, and one that glues a post to a Korean full name before a title (`서울대교구장 정순택 대주교`) is him;
    - a one-word person span the article writes inside a place's span (`조지아`, `카터스빌` beside `미국 조지아주
      카터스빌에`), with no title or a place's (`조지아 주지사`), is that place."""
    if split:  # sixteenth session: `구창민 화순군 감사실장` tagged `화순군` a person: the county (no family name to join to)
        per_sentence = [[replace(e, type="LC") if e.type == "PS" and text[e.start:e.end] == e.canonical and is_county(e.canonical, known)
                         and (m := _FULL_NAME_BEFORE_RE.search(text, 0, e.start)) is not None and is_korean_full_name(m.group(1))
                         else e for e in ents] for text, ents in zip(texts, per_sentence, strict=True)]
    orgs = [e.canonical for ents in per_sentence for e in ents if e.type == "OG" and _LITERAL_RE_6.fullmatch(e.canonical)]
    place_words: set[str] = set()
    for ents in per_sentence:
        for e in ents:
            if e.type == "LC":
                for w in e.canonical.split(" "):
                    place_words.add(w)
                    if _STATE_END_RE.search(w) and FOREIGN_STATE_RE.match(w):
                        place_words.add(w[:-1])
    family = {e.canonical for ents in per_sentence for e in ents if e.type == "PS" and _LITERAL_RE_7.fullmatch(e.canonical)
              and not is_korean_full_name(e.canonical)}
    # the article's family names, longest first (as an alternation of them would try them)
    families = sorted(family, key=len, reverse=True) if split and family else None
    # thirteenth session: a one-word "person" the article also calls a company (`전기차 업체 빈패스트가`, `… 주가`) is that
    # company wherever no title follows it, unless a multi-word person the article tags holds it as a word (`헨리 포드`)
    article = "\n".join(texts) if not split else ""
    words_of_people = {w for ents in per_sentence for e in ents if e.type == "PS" and " " in e.canonical
                       for w in e.canonical.split(" ")} if not split else set()
    cued: dict[str, bool] = {}

    def company(name: str) -> bool:
        if name not in cued:
            cued[name] = name not in words_of_people and _company_cued(name, article)
        return cued[name]

    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = []
        if families is not None:
            added, replaced = _first_names_before(text, ents, families)
            ents = sorted([x for x in ents if not any(x is r for r in replaced)] + added, key=lambda x: x.start)
        for e in ents:
            name = e.canonical
            if not split and e.type == "PS" and " " not in name and len(name) >= 2 and text[e.start:e.end] == name and (
                    known.get(name) != "PS") and not is_korean_full_name(name) and title_after(text, e.end) is None and company(name):
                row.append(replace(e, type="OG"))
                continue
            if split and row and len(row) >= 1 and e.type == "LC" and (
                    m := _HYPHEN_PAIR_BEFORE_RE.search(text, max(0, e.start - 14), e.start)) and (
                    row[-1].end == m.end(2) and (row[-1].start == m.start(2) or row[-1].start == m.start(1))):
                while row and row[-1].start >= m.start(1):
                    row.pop()  # `광주-기아 챔피언스필드`: a stadium named by two names joined with a hyphen, one place
                whole = text[m.start(1):e.end]
                row.append(Entity("LC", whole, m.start(1), e.end, whole))
                continue
            if e.type == "PS" and " " not in name and known.get(name) != "PS" and len(name) >= 3 and title_after(text, e.end) is None and (
                    full := next((o for o in orgs if o.endswith(name) and len(o) - len(name) >= 2), None)):
                e = replace(e, type="OG", canonical=full)
            elif e.type == "PS" and not split and " " not in name and known.get(name) != "PS" and not is_korean_full_name(name) and (
                    text[e.start:e.end] == name and name + "그룹" in orgs and title_after(text, e.end) in (None, "측")
                    and not _PLANT_RE.match(text, e.end)):
                # fourteenth session: `대명소노 측은` beside `대명소노그룹이`: a body (under the name as written), no person; not
                # before a site word (`단고테 정유공장`, a place)
                e = replace(e, type="OG")
            elif e.type in ("LC", "OG") and not split and _LITERAL_RE_9.fullmatch(name) and (
                    known.get(name) is None and known.get(name.split(" ")[0]) is None and name not in COUNTRY_NAMES
                    and not ORG_SUFFIX_RE.match(name.split(" ")[-1]) and not ADMIN_RE.match(name.split(" ")[-1])
                    and text[e.start:e.end] == name and _ROLE_BEFORE_PERSON_RE.search(text, max(0, e.start - 8), e.start)):
                e = replace(e, type="PS")
            elif e.type in ("LC", "OG") and not split and (w := name.split(" ")) and len(w) == 2 and _LITERAL_RE_10.fullmatch(w[0]) and (
                    is_korean_full_name(w[1]) and text[e.start:e.end] == name and title_after(text, e.end) is not None):
                row.append(Entity("PS", w[1], e.end - len(w[1]), e.end, w[1]))  # `서울대교구장 정순택 대주교`: his post, then him
                continue
            elif e.type == "LC" and not split and (w := name.split(" ")) and len(w) == 2 and (known.get(w[0]) == "LC" or ADMIN_RE.match(w[0])) and (
                    is_korean_full_name(w[1]) and known.get(w[1]) is None and text[e.start:e.end] == name
                    and apposition_title(text, e.end) is not None):
                # tenth session: `서울시 한병용 주택실장은`: the place (its office), then the person before his title
                row.append(Entity("LC", w[0], e.start, e.start + len(w[0]), w[0]))
                row.append(Entity("PS", w[1], e.end - len(w[1]), e.end, w[1]))
                continue
            elif e.type == "PS" and " " not in name and name in place_words and known.get(name) != "PS" and not is_korean_full_name(name) and (
                    (t := title_after(text, e.end)) is None or t in _PLACE_ROLE_TITLES):
                e = replace(e, type="LC")
            row.append(e)
        out.append(row)
    return out


def _company_before_person(texts: Sequence[str], per_sentence: Sequence[Sequence[Entity]]) -> list[list[Entity]]:
    """A two-word person span whose first word the article tags on its own (or ending an organisation's span) as an
    organisation and never as a person, and whose second word it tags on its own as a person (`폭스콘 류양웨이 회장` beside
    `대만 폭스콘(…)의 류양웨이 회장`, `폭스콘은`): the company, then its man (eleventh session)."""
    org = {e.canonical.split(" ")[-1] for ents in per_sentence for e in ents if e.type == "OG"}
    ps = {e.canonical for ents in per_sentence for e in ents if e.type == "PS" and " " not in e.canonical}
    org -= ps
    out = []
    for text, ents in zip(texts, per_sentence, strict=True):
        row = []
        for e in ents:
            words = e.canonical.split(" ")
            if e.type == "PS" and len(words) == 2 and text[e.start:e.end] == e.canonical and words[0] in org and words[1] in ps and (
                    _LITERAL_RE_8.fullmatch(words[0]) and len(words[1]) >= 2):
                cut = e.start + len(words[0])
                row += [Entity("OG", words[0], e.start, cut, words[0]), Entity("PS", words[1], cut + 1, e.end, words[1])]
            else:
                row.append(e)
        out.append(row)
    return out


def _first_names_before(text: str, ents: Sequence[Entity], families: Sequence[str]) -> tuple[list[Entity], list[Entity]]:
    """`페트르 피알라 체코 총리는` left untagged where the article tags `피알라` elsewhere: a word Kiwi does not know right
    before that family name, with a title after the two (an affiliation between allowed), is the person's first name.
    `families`: the article's family names, longest first (`_context_retypes`).
    Eleventh session: also where the family name itself is tagged a one-word person and the first name before it is left out
    (`루이사 곤살레스 후보`, `나와프 살람 총리`); that span is then replaced (returned second)."""
    out, replaced = [], []
    for m in _family_after_word(text, families):
        over = [x for x in ents if x.start < m.end() and m.start() < x.end]
        if apposition_title(text, m.end()) is None or over and not (
                len(over) == 1 and over[0].type == "PS" and (over[0].start, over[0].end) == m.span(2)
                and not ORG_SUFFIX_RE.match(m.group(1))):  # `민중당 커원저 후보`: his party, no first name
            continue
        mo = word_morphs(m.group(1))
        if len(mo) == 1 and (mo[0][0] == "NNP" or mo[0][0] == "NNG" and mo[0][1] <= 3):
            out.append(Entity("PS", m.group(0), m.start(), m.end(), m.group(0)))
            replaced += over
    return out, replaced


class _Pair:
    """What `_first_names_before` reads of a match of `<word> <family name>`: group 1 the word, 2 the name."""

    def __init__(self, text: str, s: int, j: int, e: int) -> None:
        self.text, self.s, self.j, self.e = text, s, j, e

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def span(self, g: int) -> tuple[int, int]:
        return (self.j, self.e) if g == 2 else (self.s, self.e)

    def group(self, g: int = 0) -> str:
        return self.text[self.s:self.e] if g == 0 else self.text[self.s:self.j - 1] if g == 1 else self.text[self.j:self.e]


_WORD_THEN_SPACE_RE = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,4}) ")


def _family_after_word(text: str, families: Sequence[str]) -> Iterator[_Pair]:
    """The matches of `(?<![가-힣A-Za-z0-9])([가-힣]{2,4}) (F1|F2|…)(?= )` over `families`, found without compiling
    that pattern per article (its two Hangul classes cost ~1.5 ms to compile; see `entities.occurrences`)."""
    pos = 0
    while (m := _WORD_THEN_SPACE_RE.search(text, pos)) is not None:
        j = m.end()
        fam = next((f for f in families if text.startswith(f, j) and text.startswith(" ", j + len(f))), None)
        if fam is None:
            pos = m.start() + 1
            continue
        yield _Pair(text, m.start(), j, j + len(fam))
        pos = j + len(fam)


# a direction before a place (`남부 타이난 시장`, `북부 하르키우`): the word after it is a place
_DIRECTION_BEFORE_RE = re.compile(r"(?:^|\s)(?:남부|북부|동부|서부|중부|남동부|남서부|북동부|북서부|동남부|서남부|동북부|서북부)\s$")
_BODY_HEAD_AFTER_RE = re.compile(r"\s?(?:대학교|대학|연구소|연구원|병원|공항|은행|그룹)(?![가-힣])")  # `남부 피발레 대학`: a university's
# a vehicle's class before its name (`달 탐사선 다누리`, `한국형 발사체 누리호`): a product, no organisation or person
_VEHICLE_NAME_RE = re.compile(r"(?:탐사선|발사체|우주선|로켓|탐사로버|인공위성|위성|탄도미사일|미사일|전투기|잠수함|구축함|항공모함|호위함)\s"
                              r"([가-힣][가-힣A-Za-z0-9\-]{1,11}?)(?=(?:은|는|이|가|을|를|의|와|과|도|로)?[\s,.(]|$)")
