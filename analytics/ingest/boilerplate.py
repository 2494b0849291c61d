"""News furniture that is not the article: found in the stored text, blanked before analysis.

The store keeps every article exactly as ingested; analysis reads `analysed_text(text)`, the same
string with each boilerplate span replaced by spaces of equal length (line breaks kept), so no
credit line becomes a sentence, a term or an entity, and every sentence offset computed on the
analysed text still points into the stored text. Kinds (`boilerplate_spans` names them):

- `speaker`: broadcast transcript markers `[앵커]`, `[기자]`, `◀ 앵커 ▶`, `<앵커 멘트>`, `[녹취]`;
- `caption`: photo credit lines `2023.7.27/뉴스1 © News1 송원영 기자`, `(사진=연합뉴스)`,
  `[게티이미지뱅크 제공]`, `사진공동취재단`, `[경향포토]`, a caption's trailing `/김기남 기자`;
- `byline`: agency datelines and reporter credits `(서울=연합뉴스) 김철수 기자 =`, `[이데일리 김무연
  기자]`, `홍길동 기자 hong@yna.co.kr`, broadcast sign-offs `YTN 홍길동입니다.`;
- `email`: any e-mail address;
- `copyright`: `ⓒ 연합뉴스`, `저작권자 © …`, `무단 전재·재배포 금지`, `Copyright …` lines;
- `link`: `▶`/`☞`/`▷` lines pointing elsewhere (구독, 바로가기, 제보, 관련기사, URLs);
- `promo`: an outlet's words about itself, not the news: the introduction of its series or
  newsletter (`경향신문의 특종과 기획 … 모아 전해드립니다. 경향(京鄕) 각지 소식과 … 담아냅니다.`,
  `한겨레 주간 뉴스레터 ‘휘클리’ 4호가 발송됐습니다.`, `… 경향신문의 같은 날 보도를 살펴보는
  코너입니다. 매일 업데이트합니다.`), the series' own line (`뉴스 브리핑 [오늘은 이런 경향]
  2월26일입니다.`), a bracketed series tag holding the outlet's name (`[경향이 찍은 오늘]`,
  `[한겨레 프리즘]`) and subscription calls (`네이버에서 경향신문 구독하기`, `뉴스레터 신청하기`).
"""

from __future__ import annotations

import re

__all__ = ["analysed_text", "boilerplate_spans"]

_AGENCY = (r"(?:연합뉴스(?:TV)?|뉴스1|뉴시스|news1|NEWSIS|YTN|KBS|MBC|SBS|JTBC|MBN|TV조선|채널A|이데일리|"
           r"머니투데이|헤럴드경제|아시아경제|파이낸셜뉴스|한국경제|매일경제|노컷뉴스|오마이뉴스|프레시안|"
           r"서울신문|국민일보|세계일보|조선일보|중앙일보|동아일보|한겨레|경향신문|문화일보|한국일보|"
           r"조선비즈|디지털타임스|전자신문|아주경제|뉴스핌|데일리안|연합인포맥스|EBN|[가-힣A-Za-z]{2,8}(?:뉴스|일보|신문|경제|투데이|타임스|방송))")
# An outlet's own name as it writes it in its series tags and promos, by name only (the generic
# `…경제`, `…뉴스` of _AGENCY would take `[세계경제 전망]` or `지역경제 …를 소개합니다`).
_OUTLET_NAME = (r"(?:경향|한겨레|조선일보|중앙일보|동아일보|한국일보|서울신문|국민일보|세계일보|문화일보|"
                r"연합뉴스|뉴스1|뉴시스|머니투데이|이데일리|헤럴드|파이낸셜뉴스|노컷|오마이뉴스|프레시안|"
                r"데일리안|뉴스핌|조선비즈|YTN|KBS|MBC|SBS|JTBC|MBN|TV조선|채널A|한경|매경)")
_OUTLET = (r"(?:" + _OUTLET_NAME[3:-1] + r"|아시아경제|헤럴드경제|한국경제|매일경제|아주경제|전자신문|"
           r"디지털타임스|연합인포맥스|노컷뉴스|EBN)")
# the verbs an outlet uses to present its own service to the reader (a newsletter "was sent": only
# after 레터, since 발송됐습니다 alone is news: `고지서가 발송됐습니다`)
_PROMO_VERB = (r"(?:(?:전해|보내|알려|들려|모아|담아)\s?드립니다|담아냅니다|담았습니다|코너입니다|연재입니다|"
               r"(?:업데이트|연재|소개)합니다|레터[^\n.!?]{0,40}?발송(?:됐습니다|되었습니다|합니다)|찾아갑니다|찾아옵니다)")
_REPORTER = r"[가-힣]{2,4}\s?(?:선임|수석|전문|객원|인턴|대기자|)\s?(?:기자|특파원|앵커|통신원|기상캐스터|PD)"

# Alternatives that need a literal (`사진`, `@`) and are tried at nearly every position: a text
# without the literal is searched by the rule without them (`_gated`), which finds the same spans
# (an alternative that can match nowhere in a text never wins anywhere in it)
_POOL_PHOTO = r"(?:/\s*)?[가-힣]{0,6}사진(?:공동)?(?:취재|기자)단"
_MAIL_CREDIT = r"(?<=\s)" + _REPORTER + r"\s*(?=[\w.+-]+@[\w-]+\.)"

_RULES: list[tuple[str, re.Pattern]] = [
    ("speaker", re.compile(r"\[\s*(?:앵커|기자|리포트|녹취|인터뷰|현장음|자막|앵커\s?멘트|기자\s?멘트|클로징|"
                           r"반론보도|정정보도)\s*\]|◀\s*(?:앵커|리포트|기자|인터뷰)\s*▶|"
                           r"<\s*(?:앵커|기자)\s*(?:멘트)?\s*>|^\s*(?:앵커|기자)\s*[:：]", re.M)),
    ("caption", re.compile(r"^[^\n]{0,80}\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*/\s*" + _AGENCY + r"[^\n]*$|"
                           r"^[^\n]{0,60}(?:©|ⓒ)\s*(?:News1|뉴스1|연합뉴스|뉴시스|NEWSIS)[^\n]{0,40}$|"
                           r"[\(\[]\s*(?:사진|그래픽|자료|영상|출처|사진\s?출처|자료사진)\s*[=:]\s*[^\)\]\n]{1,40}[\)\]]|"
                           r"/\s?사진\s?=\s?[^\n,.)]{1,30}|"
                           r"\[\s*[^\]\n]{1,30}\s제공\s*\]|\(\s*[^)\n]{1,30}\s제공\s*\)|"
                           + _POOL_PHOTO + r"|\[\s*[가-힣A-Za-z]{0,10}포토\s*\]|"
                           r"/\s*" + _REPORTER + r"|(?<=[.)다”\"])\s*/\s*[가-힣]{2,4}\s*$", re.M | re.I)),
    ("byline", re.compile(r"[\(\[【]\s*[가-힣A-Za-z]{1,12}\s*=\s*" + _AGENCY + r"\s*[\)\]】]\s*(?:" + _REPORTER +
                          r"(?:\s*·\s*" + _REPORTER + r")*)?\s*=?|"
                          r"[\(\[【]\s*" + _AGENCY + r"\s+" + _REPORTER + r"\s*[\)\]】]|"
                          r"^\s*[\[【]\s*" + _AGENCY + r"\s*[\]】]|"
                          r"^\s*" + _REPORTER + r"\s*(?==|$|[\w.+-]+@)|"
                          + _MAIL_CREDIT + r"|"
                          r"^[^\n]{0,20}" + _AGENCY + r"\s[가-힣]{2,4}입니다\.?\s*$", re.M | re.I)),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("copyright", re.compile(r"^[^\n]{0,60}(?:무단\s?전재|재배포\s?금지|무단\s?복제|All rights reserved)[^\n]{0,60}$|"
                             r"^\s*[<\[(]?\s*(?:저작권자|Copyright|ⓒ|©)[^\n]{0,60}$|"
                             r"<\s*[^<>\n]{0,60}무단[^<>\n]{0,40}>", re.M | re.I)),
    ("link", re.compile(r"^\s*[▶☞▷►][^\n]*(?:구독|바로\s?가기|제보|관련\s?기사|클릭|다운로드|더\s?보기|"
                        r"https?://|www\.|\.com|\.kr|카카오톡|네이버|유튜브|채널\s?추가)[^\n]*$", re.M | re.I)),
]


# Promo rules, each run only when a cheap gate finds its key words in the text (the outlet-name
# alternation tried at every sentence start would triple the cost of blanking otherwise).
_NOTHING = re.compile(r"(?!)")

_PROMO_RULES: list[tuple[re.Pattern, re.Pattern]] = [
    # a run of sentences presenting the outlet's service, the first naming the outlet
    (re.compile(_PROMO_VERB),
     re.compile(r"(?:^|(?<=[.!?]\s))[^\n.!?]{0,150}?" + _OUTLET + r"[^\n.!?]{0,150}?" + _PROMO_VERB + r"\.?"
                r"(?:[ \t]*[^\n.!?]{0,150}?" + _PROMO_VERB + r"\.?)*", re.M)),
    # the series' own line: `뉴스 브리핑 [오늘은 이런 경향] 2월26일입니다.`
    (re.compile(r"일(?:자)?입니다"),
     re.compile(r"^[^\n]{0,120}[\[【][^\]】\n]{1,30}[\]】]\s*\d{0,2}월\s?\d{0,2}일(?:자)?입니다\.?[ \t]*$", re.M)),
    # a series tag holding the outlet's name: `[경향이 찍은 오늘]`, `[오늘은 이런 경향]` (the name
    # alone, `[파이낸셜뉴스]`, is a byline)
    (re.compile(_OUTLET_NAME),
     re.compile(r"[\[【](?:[^\]】\n]{1,20}" + _OUTLET_NAME + r"[^\]】\n]{0,20}|" + _OUTLET_NAME
                + r"[^\]】\n]{1,20})[\]】]")),
    # subscription calls
    (re.compile(r"구독|뉴스레터"),
     re.compile(r"^[^\n]{0,60}(?:구독|뉴스레터)[^\n]{0,20}(?:하기|해\s?주세요|하세요|신청|받아\s?보(?:기|세요))"
                r"[^\n]{0,40}$", re.M)),
]


def _gated(rules: list[tuple[str, re.Pattern]]) -> list[tuple[str, re.Pattern, str, re.Pattern | None]]:
    """(kind, rule, literal, the rule without its alternatives needing `literal` (None: the whole
    rule needs it)) per rule; literal "" = nothing to gate."""
    out = []
    for kind, rx in rules:
        for literal, alt in (("사진", _POOL_PHOTO), ("@", _MAIL_CREDIT)):
            if kind != "email" and alt in rx.pattern:
                parts = rx.pattern.split("|" + alt) if ("|" + alt) in rx.pattern else rx.pattern.split(alt + "|")
                out.append((kind, rx, literal, re.compile("".join(parts), rx.flags)))
                break
        else:
            out.append((kind, rx, "@", None) if kind == "email" else (kind, rx, "", rx))
    return out


_GATED = _gated(_RULES)


def boilerplate_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every boilerplate span in `text`, in text order (spans of different
    kinds may overlap: `(사진=연합뉴스)` is a caption and looks like a dateline)."""
    text = text or ""
    found = [(m.start(), m.end(), kind) for kind, full, literal, less in _GATED
             for m in (full if literal in text else less or _NOTHING).finditer(text)]
    found += [(m.start(), m.end(), "promo") for gate, rx in _PROMO_RULES if gate.search(text)
              for m in rx.finditer(text)]
    return sorted(f for f in found if f[1] > f[0])


def analysed_text(text: str) -> str:
    """`text` with its boilerplate blanked: same length and line breaks, so offsets still hold."""
    if not text:
        return text or ""
    spans = boilerplate_spans(text)
    if not spans:
        return text
    chars = list(text)
    for lo, hi, _ in spans:
        for i in range(lo, hi):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
