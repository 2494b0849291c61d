"""Short-form resolution of one mention (`_resolve`): a surname + title, family name or given name -> the full
name the article gave, a curated referent, or nothing (dropped)."""

from __future__ import annotations

import re
from dataclasses import replace

from analytics.nlp.entities.base import Entity
from analytics.nlp.entities.bylines import HANJA_SURNAMES
from analytics.nlp.entities.countries import (
    COUNTRY_ALIASES,
    COUNTRY_NAMES,
    foreign_country_before,
)
from analytics.nlp.entities.names import (
    ADMIN_RE,
    ORG_SUFFIX_RE,
    SURNAME_TITLE_RE,
    SURNAME_TITLES,
    SURNAMES,
    apposition_title,
    has_proper_noun,
    is_korean_full_name,
    title_after,
    word_morphs,
)
from analytics.nlp.entities.people_table import _People, _two_syllable_family
from analytics.nlp.entities.retype import (
    _ADJECTIVE_SUFFIX_RE,
    _APPOSITION_RE,
    _ASSET_BEFORE_RE,
    _BODY_HEAD_AFTER_RE,
    _BUILDING_WORDS,
    _CAPITAL_BEFORE_RE,
    _COMPANY_END_RE,
    _COMPOUND_APPOSITION_RE,
    _CUE_AFTER_RE,
    _DELIVERY_AFTER_RE,
    _DELIVERY_BEFORE_RE,
    _DIRECTION_BEFORE_RE,
    _EVENT_END_RE,
    _FACILITY_BEFORE_RE,
    _FACTION_RE,
    _FOUNDATION_RE,
    _GLUED_ROLE_RE,
    _GROUP_NOUNS,
    _KOREAN_NAME_BEFORE_RE,
    _LAW_AFTER_RE,
    _LC_ORG_RE,
    _LISTED_AS_RE,
    _LOCATIVE_PERSON_RE,
    _MATCH_AFTER_RE,
    _MEETING_END_RE,
    _MIXED_SCRIPT_RE,
    _MODEL_AFTER_RE,
    _NOT_PERSON_ENDINGS,
    _PERSONAL_TITLES,
    _PLACE_HEAD_AFTER_RE,
    _PLACE_PREFIX_RE,
    _PLACE_ROLE_TITLES,
    _PLANT_RE,
    _PRIZE_RE,
    _PSEUDONYM_RE,
    _QUOTED_AFFAIR_RE,
    _ROLE_AFTER_PLACE_RE,
    _RUNS_BEFORE_RE,
    _SWALLOWED,
    _USED_AS_PLACE_RE,
    GENERIC_NOUNS,
    _after_company,
    _company_word,
    _cut_from_word,
    _known_company_prefix,
    _listed_with_company,
    _place_cut_from_word,
    _role_cut,
)
from analytics.nlp.entities.spans import is_title
from analytics.nlp.entities.words import _common_noun, neighbour_type

# the literal patterns of this module's re.match / fullmatch / search calls, compiled once (a call with the
# pattern string looks it up in re's cache every time: ~0.6 us, tens of thousands of calls a batch)
_LITERAL_RE_1 = re.compile(r"(.)\s?(.+)")
_LITERAL_RE_2 = re.compile(r"[A-Z]{2,6}")
_LITERAL_RE_3 = re.compile(r"[A-Za-z]{2,}[가-힣]")
_LITERAL_RE_4 = re.compile(r"['‘\"“][^'’\"”]{0,12}$")
_LITERAL_RE_5 = re.compile(r"[가-힣]{2,6}(?: [가-힣]{1,6})?")
_LITERAL_RE_6 = re.compile(r"[가-힣]{2,6}")

# fourteenth session: a union post glued to its union's or company's name (`현대차지부장`, `금속노조위원장`)
_UNION_ROLE_GLUED_RE = re.compile(r"\s[가-힣A-Za-z]{2,}(?:지부장|지회장|분회장|노조위원장)(?=[^가-힣]|[은는이가을를의도과와에]|$)")
# fourteenth session: an institution's word after a name written apart (`카롤린스카 연구소`): the span is a body, no place
_INSTITUTION_WORDS = frozenset({"연구소", "연구원", "연구센터", "대학교", "대학", "병원", "의료원", "재단", "협회", "학회"})


# fifteenth session: the quoted word goes on after the span up to the closing quote (syllables, a gloss, a year)
_QUOTED_WORD_GOES_ON_RE = re.compile(r"(?:[가-힣]{1,3}(?:\([A-Za-z]{2,8}\))?|\s(?:19|20)\d\d)['’]")


def _resolve(text: str, e: Entity, people: _People, head_names: _People, later: _People,
             refs: dict[str, tuple[str, str]], countries: dict[int, Entity], known: dict[str, str]
             ) -> Entity | None:
    """One mention -> itself, its referent, or None (dropped); see `resolve_article`."""
    name = e.canonical
    if name.endswith(_SWALLOWED) and " " not in name and text[e.start:e.end] == name and (
            p := next(j for j in _SWALLOWED if name.endswith(j))) and len(name) - len(p) >= 3 and (
            word_morphs(name) == (("NNG", 2),)):  # `벵갈루루에`: Kiwi knows no such word and kept the particle
        name = name[:-len(p)]
        e = replace(e, canonical=name, text=name, end=e.end - len(p))
    elif " " not in name and text[e.start:e.end] == name and len(name) >= 4 and _LITERAL_RE_3.match(name) and (
            (mo := word_morphs(name)) and mo[-1][0] in ("JKB", "JKG") and name.endswith(("으로", "로", "의"))) and (
            known.get(name) is None):
        p = "으로" if name.endswith("으로") else name[-1]  # `사모펀드 JKL파트너스로 컨소시엄을`: the particle Kiwi reads
        name = name[:-len(p)]
        e = replace(e, canonical=name, text=name, end=e.end - len(p))
    if e.type in ("PS", "OG") and known.get(name) is None and _QUOTED_AFFAIR_RE.match(text, e.end) and (
            _LITERAL_RE_4.search(text[max(0, e.start - 12):e.start]) or text[e.start - 1:e.start] in "'‘\"“"):
        return None  # `'부산 돌려차기' 사건`: the name a case goes by, no person or body
    if e.type in ("PS", "OG") and text[e.start - 1:e.start] in ("'", "‘") and e.start > 0 and (
            _QUOTED_WORD_GOES_ON_RE.match(text, e.end)):
        return None  # `'마스가(MASGA)'`, `'SMTOWN LIVE 2025'`: cut from a quoted word or a quoted title with its year
    if e.type in ("PS", "OG") and _FACTION_RE.match(name) and known.get(name) is None and (
            name[0] in "친비반" or is_korean_full_name(name[:-1])):
        return None  # `비명계`, `친윤계`, `이준석계`: a faction, no person or body
    if e.type == "PS" and name.count(" ") == 1 and text[e.start:e.end] == name and (
            (first := name.split(" ")[0]) and len(name) - len(first) > 2 and _common_noun(name.split(" ")[1])
            and title_after(text, e.end) is None and not _cut_from_word(text, e)) and (
            any(n != name and first in n.split(" ") for n in (*people.order, *later.order))):
        # `머스크 트윗에`, `바이든 행정부` in a headline: the family name of a person the article names in full and a common
        # noun, the person only (not `잭 도시` or `찰스 댄스`, names of their own)
        return _resolve(text, replace(e, text=first, end=e.start + len(first), canonical=first), people, head_names, later,
                        refs, countries, known)
    if e.type == "PS" and name.count(" ") == 1 and (last := name.split(" ")[1]) in COUNTRY_NAMES and (
            text[e.end - len(last):e.end] == last and apposition_title(text, e.end) is None):
        return replace(e, type="LC", canonical=last, text=last, start=e.end - len(last))  # `중미 엘살바도르가`
    if len(name) == 1:
        # a lone syllable or letter: a country abbreviation standing for its country, a surname
        # before a title that the article resolves, or nothing (`A씨`, `미` inside a phrase)
        if e.start in countries:
            return replace(countries[e.start], end=e.end)
        if name in SURNAMES or "가" <= name <= "힣":  # `싱 대사` for 싱하이밍: any syllable with a title
            title = title_after(text, e.end)
            full = (people.by_surname(name, title) or head_names.by_surname(name, title)) if title else None
            if not full:  # a surname stands for a person only with a title (`한일` is no 한동훈)
                return None
            return replace(e, type="PS", canonical=full, text=f"{name} {title}" if title else name)
        return None
    if e.type in ("LC", "OG") and len(name) >= 3 and name.endswith("어") and name[:-1] in COUNTRY_NAMES:
        return None  # `한국어`, `중국어`: a language, no place
    if e.type in ("LC", "PS") and _EVENT_END_RE.search(name) and refs.get(name) is None:
        return None  # `아시안게임`, `부산엑스포`, `한국시리즈`: an event, no place or person
    if e.type == "OG" and _MEETING_END_RE.search(name) and refs.get(name) is None and known.get(name) is None:
        return None  # `인사청문회`, `새만금 세계스카우트잼버리`, `전당대회`: a meeting or event, no body
    if (e.type == "LC" and name.endswith("회의") or e.type == "OG" and name.endswith("결정회의")) and refs.get(name) is None and (
            known.get(name) is None):
        return None  # thirteenth session: `금융정책결정회의`, `통화정책회의`: a meeting, no place (nor a body)
    if e.type == "OG" and " " not in name and len(name) >= 3 and name[-1] in "관궁" and _USED_AS_PLACE_RE.match(text, e.end):
        return replace(e, type="LC")  # `백악관에서 정상회담을`, `크렘린궁 집무실`: a named building used as a place
    if e.type in ("LC", "PS") and _MATCH_AFTER_RE.match(text, e.end) and known.get(name) != "PS":
        return replace(e, type="OG")  # `베르더 브레멘과의 원정 경기`: a home or away match is a club's
    if e.type in ("LC", "PS") and name.endswith("리그") and len(name) >= 4 and " " not in name:
        return replace(e, type="OG")  # `메이저리그`, `프리미어리그`: a league, an organisation
    if e.type == "LC" and " " in name and name.rsplit(" ", 1)[1] in _INSTITUTION_WORDS and known.get(name) is None and (
            refs.get(name) is None):
        return replace(e, type="OG")  # fourteenth session: `카롤린스카 연구소`: a name and an institution's word, a body
    if e.type in ("OG", "PS") and name.endswith("카운티") and len(name) >= 5:
        return replace(e, type="LC")  # `브라이언카운티`, `풀턴카운티`: a county
    if e.type == "OG" and name.endswith("당국") and refs.get(name) is None:
        head = name.split(" ")[0]
        if " " in name and head in COUNTRY_NAMES and text[e.start:e.start + len(head)] == head:
            return replace(e, type="LC", text=head, end=e.start + len(head), canonical=head)  # `모로코 당국`: the country
        return None  # `군사 당국`, `금융당국`: no particular body
    if e.type in ("LC", "OG") and is_korean_full_name(name) and known.get(name) is None and refs.get(name) is None and (
            (t := title_after(text, e.end)) is not None and t not in _PLACE_ROLE_TITLES and t != "측" and not ORG_SUFFIX_RE.match(name)
            and not _KOREAN_NAME_BEFORE_RE.search(text, max(0, e.start - 5), e.start)):  # `민희진 어도어 대표`: her label
        return replace(e, type="PS")  # `홍범도 장군`: a Korean full name with a person's title (not `…구 구청장`)
    if e.type in ("LC", "OG") and is_korean_full_name(name) and known.get(name) is None and refs.get(name) is None and (
            _UNION_ROLE_GLUED_RE.match(text, e.end)):
        return replace(e, type="PS")  # fourteenth session: `문용문 현대차지부장은`: a Korean full name before a union post
    if e.type in ("LC", "OG") and name.count(" ") == 1 and text[e.start:e.end] == name and known.get(name) is None and (
            refs.get(name) is None) and all(_LITERAL_RE_6.fullmatch(w) and known.get(w) is None and w not in COUNTRY_NAMES
                                            and not ORG_SUFFIX_RE.match(w) and not ADMIN_RE.match(w) and not _LC_ORG_RE.match(w)
                                            and not _common_noun(w) and not _COMPANY_END_RE.match(w) for w in name.split(" ")) and (
            (t := title_after(text, e.end)) is not None and t not in _PLACE_ROLE_TITLES and t != "측"):
        return replace(e, type="PS")  # `패통탄 친나왓 총리의`, `수리야 중룽르앙낏 부총리가`: two unknown words and a person's title
    if e.type == "PS" and " " not in name and known.get(name) != "PS" and _GLUED_ROLE_RE.match(text, e.end) is not None and (
            not (people.by_part(name) or later.by_part(name))) and not has_proper_noun(name):
        return None  # `미래이니셔티브|센터장`, `최우수|선수(MVP)`: part of a body's or role's word, no person
    if e.type == "PS" and not is_korean_full_name(name) and known.get(name) != "PS" and _PLACE_HEAD_AFTER_RE.match(text, e.end):
        return replace(e, type="LC")  # `신장 위구르 자치구의`, `돈바스 지역`: a place
    if e.type == "PS" and name.endswith("족") and len(name) >= 3 and " " not in name and not is_korean_full_name(name):
        return None  # `위구르족`, `쿠르드족`: a people, no person
    if e.type == "PS" and _PSEUDONYM_RE.match(text, e.end):
        return None  # `김진주(가명)씨`: a pseudonym, an anonymised person
    if e.type == "LC" and name == "인도" and (_DELIVERY_AFTER_RE.match(text, e.end) or _DELIVERY_BEFORE_RE.search(text, 0, e.start)):
        return None  # `첫 인도`, `인도량`, `모델3 인도 행사`: 인도 = delivery, not India
    if e.type == "LC" and name in COUNTRY_NAMES and _ADJECTIVE_SUFFIX_RE.match(text, e.end):
        return None  # `인도적 지원`, `즉각적인 인도적 휴전`: -적 (的) makes a word of its own (humanitarian), no country
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _LOCATIVE_PERSON_RE.match(text, e.end) or _CAPITAL_BEFORE_RE.search(text, 0, e.start)) and (
            title_after(text, e.end) is None and not (people.by_part(name) or later.by_part(name))):
        return replace(e, type="LC")  # `테헤란에서 숨졌다`, `테헤란서 피살`, `수도 키이우를`: a place, no person
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _DIRECTION_BEFORE_RE.search(text, max(0, e.start - 6), e.start)) and not _BODY_HEAD_AFTER_RE.match(text, e.end) and (
            (t := title_after(text, e.end)) is None or t in _PLACE_ROLE_TITLES) and not (people.by_part(name) or later.by_part(name)):
        return replace(e, type="LC")  # `남부 타이난 시장과`: a place after a direction
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            _known_company_prefix(name, known)) and title_after(text, e.end) is None and (
            not (people.by_part(name) or later.by_part(name))):
        return replace(e, type="OG")  # `쿠팡이츠`, `카카오페이`: a known company's name and more, its service or unit
    if e.type in ("LC", "PS") and " " not in name and known.get(name) not in ("LC", "PS") and not is_korean_full_name(name) and (
            _RUNS_BEFORE_RE.search(text, max(0, e.start - 12), e.start)):
        return replace(e, type="OG")  # `토스를 운영하는 비바리퍼블리카의`: what runs an app or a service is a company
    if e.type == "PS" and name[0] in HANJA_SURNAMES and (title := title_after(name, 1)) and len(name) == 1 + len(
            title) + (name[1] == " "):  # `丁총리`, `尹 대통령` tagged as one span
        full = people.by_surname(HANJA_SURNAMES[name[0]], title) or head_names.by_surname(HANJA_SURNAMES[name[0]], title)
        return replace(e, canonical=full) if full else None
    title = name[1:].lstrip(" ")
    m = SURNAME_TITLE_RE.match(text, e.start) if e.type == "PS" and len(name) >= 2 and (
        name[1] == " " or name[0] in SURNAMES) else None
    if m is None and e.type == "PS" and len(name) >= 2 and name[0] in SURNAMES and (title in SURNAME_TITLES or (
            name[1] == " " and is_title(title))):
        m = _LITERAL_RE_1.match(name)
    if m is not None and (name[1] == " " or name[0] in SURNAMES):
        # `정총리`, `김 비서관`, `윤 원내(대표)`, `리 총리`: one syllable with its title, attached or not
        sur, title = m.group(1), m.group(2)
        full = people.by_surname(sur, title) or head_names.by_surname(sur, title)
        return replace(e, canonical=full, text=f"{sur} {title}") if full else None
    if e.type == "PS" and (pre := _PLACE_PREFIX_RE.search(text, 0, e.start)) is not None:
        place = text[pre.start(1):e.end]  # `캠프 데이비드`, `포트 브래그`: a place named after someone
        return replace(e, type="LC", text=place, start=pre.start(1), canonical=" ".join(place.split()))
    if e.type == "PS" and _PRIZE_RE.match(text, e.end):
        return None  # `댄 데이비드상`, `노벨상`: a prize named after someone
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and (plant := _PLANT_RE.match(text, e.end)) is not None:
        site = text[e.start:e.end + len(plant.group(0))]  # `단고테 정유공장 가동률`: the plant, a place
        return replace(e, type="LC", text=site, end=e.start + len(site), canonical=site)
    if e.type == "PS" and (fnd := _FOUNDATION_RE.match(text, e.end)) is not None:
        body = text[e.start:e.end + len(fnd.group(0))]  # `댄 데이비드 재단`: a body named after someone
        return replace(e, type="OG", text=body, end=e.start + len(body), canonical=" ".join(body.split()))
    if e.type in ("OG", "LC") and " " not in name and known.get(name) is None and refs.get(name) is None and (
            (full := people.by_part(name) or later.by_part(name)) and " " in full):
        return replace(e, type="PS", canonical=full)  # `러몬도`, `잉엔라트` typed as a place or company
    if e.type in ("OG", "LC") and name.count(" ") == 1 and text[e.start:e.end] == name and known.get(name) is None and (
            refs.get(name) is None) and _common_noun(name.split(" ")[0]) and known.get(last := name.split(" ")[1]) is None and (
            (full := people.by_part(last) or later.by_part(last)) and " " in full):
        # `대선 나브로츠키` (a headline's `폴란드 대선 나브로츠키 당선`) typed a body: a common noun, then the person (eleventh session)
        return replace(e, type="PS", canonical=full, text=last, start=e.end - len(last))
    if e.type == "PS" and (cue := _CUE_AFTER_RE.match(text, e.end)) is not None and not is_korean_full_name(name) and (
            known.get(name) != "PS" and not (people.by_part(name) or later.by_part(name))):  # `머스크 주가 조작`
        if cue.group(1) in ("가격", "시세", "코인"):
            return None  # `비트코인 가격`, `솔라나와 리플 가격`: an asset has a price, a person has none
        e = replace(e, type="OG")  # `니콜라 주가`, `루시드 시가총액`: a listed company
    if e.type == "PS" and name.endswith(_NOT_PERSON_ENDINGS) and len(name) >= 4 and " " not in name:
        return None  # `도지코인`, `억만장자세`: a coin, a tax, a bill
    if e.type in ("PS", "OG") and known.get(name) is None and refs.get(name) is None and _ASSET_BEFORE_RE.search(text, 0, e.start) and (
            not (people.by_part(name) or later.by_part(name))):
        return None  # `가상화폐 위믹스를`: a coin named after its class
    ref = refs.get(name)
    if ref is None and " " in name and refs.get(name.replace(" ", ""), ("",))[0] == "-":
        return None  # `방역 당국`, `보건 당국`: written apart, still no particular body
    if ref is not None and ref[1] == "OG" and ref[0] != name and (country := foreign_country_before(text, e.start)):
        return replace(e, canonical=f"{country} {name}")  # `미국 민주당` is not 더불어민주당
    if ref is not None:
        if ref[0] == "-":  # a common noun KLUE tags (`정부`, `경찰`): not counted
            return None
        return replace(e, canonical=ref[0], type=ref[1] if ref[1] else e.type)
    if name in COUNTRY_NAMES or name in COUNTRY_ALIASES:  # `이란 측에`, `UAE`: a country is counted as a place
        return e if e.type == "LC" and name not in COUNTRY_ALIASES else replace(
            e, type="LC", canonical=COUNTRY_ALIASES.get(name, name))
    if name in GENERIC_NOUNS or e.type == "PS" and name.endswith(_GROUP_NOUNS):
        return None  # `재판부`, `지도부`; `미국 스카우트 대표단`: no particular body or person
    part = None  # people.by_part(name) or later.by_part(name) of a one-word person, asked once (the tables do not change here)
    if e.type == "PS" and " " not in name and (part := people.by_part(name) or later.by_part(name)) and " " in part:
        return replace(e, canonical=part)  # `러몬도` -> 지나 러몬도 before any retyping (CoNg may call it a place)
    if e.type == "PS" and known.get(name) in ("OG", "LC"):
        return replace(e, type=known[name])  # `니콜라`, `벤츠`: a known company or place
    if e.type == "PS" and name.endswith("사") and len(name) >= 3 and known.get(name[:-1]) == "OG":
        return replace(e, type="OG", canonical=name[:-1])  # `아스트라제네카사` typed PS: the company
    if name.endswith("지수"):  # an index (`다우존스30산업평균지수`) is no organisation
        return None
    if e.type == "PS" and ORG_SUFFIX_RE.match(name) and (not is_korean_full_name(name) or _common_noun(name)):
        return replace(e, type="OG")  # `옥스퍼드대`, `약심위`, `윤리위` (a common noun to Kiwi): an institution's (short) name
    if e.type == "PS" and " " not in name and _COMPANY_END_RE.match(name) and not is_korean_full_name(name) and known.get(name) != "PS":
        return replace(e, type="OG")  # `키움증권`, `이스타항공`: a company's name ending
    if e.type == "PS" and " " not in name and not is_korean_full_name(name) and known.get(name) != "PS" and (
            title_after(text, e.end) is None) and (
            (product := _after_company(text, e.start, known)) or _listed_with_company(text, e, known)):
        if product:
            return None  # `현대차 코나`, `기아 텔루라이드`: a company's product, not a person
        return replace(e, type="OG")  # `BYD와 니오 등`: listed with a company, a company
    if e.type in ("OG", "PS") and _LITERAL_RE_2.fullmatch(name) and _LAW_AFTER_RE.match(text, e.end):
        return None  # `IRA 요건`, `IRA 세액공제`: a law's abbreviation, no body
    if e.type == "PS" and " " not in name and _MODEL_AFTER_RE.match(text, e.end):
        return None  # `코나 일렉트릭`, `아이오닉 EV`: a car model
    if e.type == "PS" and _cut_from_word(text, e):
        return None  # `오토` out of `오토파일럿`: part of a word, no name
    if e.type == "LC" and _place_cut_from_word(text, e, known):
        return None  # `반도` out of `반도체`
    if e.type == "PS" and " " not in name and _FACILITY_BEFORE_RE.search(text, 0, e.start) and known.get(name) != "PS":
        return replace(e, type="OG")  # `노인요양시설인 정효원`: a care home, not a person
    if e.type in ("PS", "LC") and _APPOSITION_RE.search(text, 0, e.start) and known.get(name) not in ("PS", "LC"):
        return replace(e, type="OG")  # `렌터카 업체 허츠`, `합작사 블루오벌SK`: a company
    if e.type in ("PS", "LC") and known.get(name) not in ("PS", "LC") and not is_korean_full_name(name) and (
            _COMPOUND_APPOSITION_RE.search(text, 0, e.start) or _LISTED_AS_RE.match(text, e.end)) and apposition_title(text, e.end) is None:
        return replace(e, type="OG")  # `게임업체 위메이드가`; `업비트와 빗썸 등 국내 가상화폐 거래소`: companies
    if e.type == "PS" and " " not in name and ADMIN_RE.match(name) and not is_korean_full_name(name):
        return replace(e, type="LC")  # `대장동`: a district's name
    if e.type in ("LC", "OG") and " " in name and (pt := name.rsplit(" ", 1))[1] in _PERSONAL_TITLES and known.get(pt[0]) is None and (
            _LITERAL_RE_5.fullmatch(pt[0]) and not ORG_SUFFIX_RE.match(pt[0]) and not _LC_ORG_RE.match(pt[0])
            and text[e.start:e.start + len(pt[0])] == pt[0]):
        # `아이브스 애널리스트` typed an organisation: a person and his job (an analyst heads no body)
        return replace(e, type="PS", canonical=pt[0], text=pt[0], end=e.start + len(pt[0]))
    if e.type == "PS" and _MIXED_SCRIPT_RE.match(name):
        return replace(e, type="OG")  # `JP모건`, `SK이노베이션`: a Latin prefix glued to Hangul names a company, no person
    if e.type in ("LC", "OG") and refs.get(name) is None and known.get(name) is None and (
            role_cut := _role_cut(name)) is not None:
        # `양평군수`, `용산경찰서장`: a role (the person is named on its own); `청와대 민정비서관` -> 청와대
        r = replace(e, canonical=role_cut, text=role_cut, end=e.start + len(role_cut)) if role_cut and (
            text[e.start:e.start + len(role_cut)] == role_cut) else (replace(e, canonical=role_cut) if role_cut else None)
        if r is not None and " " not in role_cut and known.get(role_cut) is None and (
                (full := people.by_part(role_cut) or later.by_part(role_cut)) and " " in full):
            return replace(r, type="PS", canonical=full)  # `나브로츠키 당선인` typed a body: 카롤 나브로츠키 and his role
        return r
    if e.type in ("LC", "OG") and (role := _ROLE_AFTER_PLACE_RE.match(name)) and refs.get(name) is None:
        if role.group(2) in ("민", "주민"):  # `강서구민`: the district's residents -> the district
            return replace(e, type="LC", canonical=role.group(1))
        return None  # `강서구청장`, `경기지사`: a role, not a place (the person is named on its own)
    if e.type == "LC" and _LC_ORG_RE.match(name):
        return replace(e, type="OG")  # `성남FC`, `서울중앙지검`, `처칠캐피털`: an institution or company
    if e.type == "LC" and " " in name and _LC_ORG_RE.match(head := name.split(" ")[0]):
        if all(w in GENERIC_NOUNS or w in _BUILDING_WORDS for w in name.split(" ")[1:]) and text[e.start:e.start + len(head)] == head:
            return replace(e, type="OG", canonical=head, text=head, end=e.start + len(head))  # `서울중앙지검 청사` -> the office
        return replace(e, type="OG")  # `서울중앙지검 반부패수사3부`: the office's department
    if e.type == "LC" and " " not in name and (whole := _company_word(text, e)) is not None:
        return replace(e, type="OG", canonical=whole, text=whole, end=e.start + len(whole))  # `화천|대유자산관리`
    if e.type in ("LC", "OG") and name.endswith("증시") and known.get(name[:-2]) == "LC":
        return replace(e, type="LC", canonical=name[:-2])  # `홍콩증시` -> 홍콩
    if e.type == "PS" and " " not in name and (nb := neighbour_type(name)) is not None:
        return replace(e, type=nb)  # `도봉구`: Kiwi's CoNg neighbours are all districts
    if e.type == "PS" and " " not in name:
        full = part  # (the same condition as where `part` was set)
        if full and (" " in full or not is_korean_full_name(name)):
            return replace(e, canonical=full)
        if title_after(text, e.end) and (full := _two_syllable_family(name, people, later)):
            return replace(e, canonical=full)  # `라이 후보는` for 라이칭더
    return e
