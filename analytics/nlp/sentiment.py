"""Sentence sentiment (negative / neutral / positive) with a score in [-1, 1], plus aggregation.

The shipped model is one linear layer over sparse binary features (Kiwi morpheme uni+bigrams,
character 2-3-grams, and direction x object, negation, contrast and news-tone cues such as `손실 감소`), an NB-LR model
(Wang & Manning 2012: per class one-vs-rest logistic regression on features scaled by their
naive-Bayes log-count ratio, folded into the weights), scored with numpy and scipy so that loading
it never unpickles anything. Its score is P(positive) - P(negative).
Training and the measured accuracy: `analytics.nlp.sentiment_train`, docs/method/sentiment.md.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from itertools import chain, repeat
from operator import or_
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy import sparse

from analytics import config
from analytics.nlp.keyindex import KeyIndex
from analytics.nlp.sentiment_lexicon import NEG_WORDS, POS_WORDS

__all__ = [
    "FEATURE_VERSION", "LABELS", "MODEL_DIR", "SentimentModel", "ShippedSentimentModel",
    "article_sentiment", "featurize", "tone_cues", "tone_hits", "load_sentiment_model", "target_sentiment", "token_pairs",
]

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "sentiment"
FEATURE_VERSION = "m12neg-c23-cue7-lex6b"  # bump whenever `featurize` changes: old weights then refuse to load
BLOCKS: tuple[str, str, str] = ("m", "c", "s")  # morphemes, characters, structural cues

# Direction words and the objects they move: `이익 증가` is good news, `손실 증가` bad news.
UP = frozenset("증가 상승 늘 성장 개선 확대 호전 급증 상회 오르 높 증대 향상 인상 배 강화 급등 "
               "흑자 늘어나 뛰 웃돌 신장 최고 치솟 폭등 반등 불어나 커지 껑충 최대 높이 늘리 끌어올리 넘어서 발생 "
               "최다 최대치 최고치".split())  # not 회복: RESOLVE
DOWN = frozenset("감소 하락 줄 축소 악화 급감 떨어지 낮 하회 둔화 급락 밑돌 줄어들 감축 삭감 인하 "
                 "적자 최저 최소 약화 부진 폭락 추락 주저앉 꺾이 뚝 내려오 내리 작아지 곤두박질 떨어뜨리 낮추 줄이 "
                 "끌어내리 아래".split())
GOOD = frozenset("이익 매출 수익 순이익 영업 판매 수주 주가 이윤 배당 실적 순매출 마진 점유율 주문 "
                 "매출액 수익성 현금 생산 가치 EBIT 수요 이익률 성장 계약 신뢰 지지율 고용률 성장률 취업자 "
                 "수출 투자 판매량 만족도 기대감 효과 효능 예방 면역 시총 코스피 코스닥 지수 증시 "
                 "관객 관중 시청률 지지도 예비율 여객 탑승객".split())
BAD = frozenset("손실 적자 비용 부채 해고 감원 손해 결손 손상 실업 위험 감가 상각 파업 부담 리스크 "
                "연체 채무 실업률 실업자 확진자 확진 사망자 사망 감염 감염자 환자 물가 연체율 부채비율 "
                "피해 피해자 폐업 이재민 불만 우려 불안 부작용 이상반응 사고 유출 위험성 공포 불확실성 "
                "환율 빚 가계빚 가계부채 금리 위중증 피해액 실종자 사상자 범죄 미분양 체불 온열질환자 결항".split())
NEGATION = frozenset("않 못 없 아니 안".split())
CONTRAST = frozenset("하지만 그러나 반면 그럼에도 불구".split())
_DIR_TAGS = frozenset("NNG VV VA XR MAG VV-R VA-R VV-I VA-I".split())
_SKIP_TAGS = frozenset("SF SP SS SSO SSC".split())
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@runtime_checkable
class SentimentModel(Protocol):
    """Anything that labels sentences; plug your own in with the `sentiment_model` setting."""

    def predict(self, texts: Sequence[str], tokens: Sequence[list] | None = None) -> list[tuple[str, float]]:
        """One (label, score) per text: label in LABELS, score in [-1, 1] (negative to positive)."""
        ...


# ---------------------------------------------------------------- features (shared with training)

def token_pairs(tokens: Iterable[Any]) -> list[tuple[str, str]]:
    """(form, tag) pairs from kiwipiepy Tokens, PlainTokens or plain tuples."""
    try:  # the pipeline's case: all tokens (no per-token hasattr)
        return [(t.form, t.tag) for t in tokens]
    except AttributeError:
        return [(t.form, t.tag) if hasattr(t, "form") else (t[0], t[1]) for t in tokens]


def featurize(text: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """Feature strings of one sentence; the first character names the block (m, c or s)."""
    head, tail = _token_features(pairs)
    s = _char_text(text)
    n = len(s)
    # character 2-3-grams: 4-grams were a third of all features and measured no better (news CV
    # 0.807 / 0.805 with them, 0.808 / 0.806 without; FPB 5-fold 0.782 / 0.743 both)
    return head + ["c" + s[i:i + k] for k in (2, 3) for i in range(n - k + 1)] + tail


def _char_text(text: str) -> str:
    """The text the character n-grams are read from: digits as 0, spaces collapsed, padded."""
    return " " + _SPACES.sub(" ", _DIGITS.sub("0", text)).strip() + " "


def _token_features(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """`featurize` minus the character n-grams: (morpheme uni+bigrams, cues), in its order."""
    morphs, cues = _morphs_and_cues(pairs)
    feats = morphs + [a + "_" + b[1:] for a, b in zip(morphs, morphs[1:], strict=False)]
    return feats, cues


def _morph_string(form: str, tag: str) -> str:
    """A morpheme's unigram feature (without its marks)."""
    return "m" + ("<N>" if tag == "SN" else form) + "/" + tag[:2]


def _marked(pairs: Sequence[tuple[str, str]]) -> tuple[dict[int, str], list[str]]:
    """{index: its marked unigram feature} and the cues: what `_token_features` reads of `_tone4`."""
    fl = _flags(pairs)
    hits, flipped, resolved, framed = _tone4(pairs, fl)
    # a negated, resolved or framed tone word is another feature (`피해 ... 않았다`, `위기 극복`,
    # `사고 원인`): its own weight would otherwise outvote the cue
    marked = {i: "m" + ("NOT_" if i in flipped else "RES_" if i in resolved else "FRM_") + pairs[i][0] + "/"
              + pairs[i][1][:2] for i in flipped | resolved | framed}
    return marked, _cues(pairs, fl) + _tone_cue_list(pairs, [(i, t, i in flipped) for i, t in sorted(hits.items())], fl)


def _morphs_and_cues(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The unigram feature of every morpheme not skipped (marked ones as such), and the cues."""
    marked, cues = _marked(pairs)
    morphs = [_morph_string(form, tag) if i not in marked else marked[i]
              for i, (form, tag) in enumerate(pairs) if tag not in _SKIP_TAGS]
    return morphs, cues


def _cues(pairs: Sequence[tuple[str, str]], fl: list[int] | None = None) -> list[str]:
    """Direction x object cues, numeric from-to direction (and whose figure moved), turnarounds,
    their balance, negation and contrast markers. `fl` = `_flags(pairs)` when the caller has them:
    each loop visits only the morphemes its test can be true for (the others do nothing)."""
    out: list[str] = []
    if fl is None:
        fl = _flags(pairs)
    u = reduce(or_, fl, 0)
    forms = [f for f, _ in pairs]
    for i in ([i for i, f in enumerate(fl) if f & _F_DIR] if u & _F_DIR else ()):
        form = pairs[i][0]
        up = form in UP
        out.append("sDIR:" + ("up" if up else "down"))
        for j in range(i - 1, max(-1, i - 9), -1):
            obj = forms[j]
            if obj in GOOD or obj in BAD:
                good = obj in GOOD
                positive = (up == good) != any(f in NEGATION for f in forms[i + 1:i + 5])
                out += ["sCOMP:" + ("pos" if positive else "neg"),
                        f"sDP:{'up' if up else 'down'}|{'good' if good else 'bad'}",
                        f"sDO:{'up' if up else 'down'}|{obj}"]
                break
    last = start = None  # "X 에서 ... Y 로": did the number go up or down?
    start_at = 0
    for i in ([i for i, f in enumerate(fl) if f & _F_NUM] if u & _F_NUM else ()):
        form, tag = pairs[i]
        if tag == "SN":
            try:
                last = float(form.replace(",", ""))
            except ValueError:
                pass
        elif tag == "JKB" and form == "에서" and last is not None:
            start, last, start_at = last, None, i
        elif tag == "JKB" and form in ("로", "으로") and start is not None and last is not None:
            if last != start:
                up = last > start
                out.append("sNUM:" + ("up" if up else "down"))
                for j in range(start_at - 1, max(-1, start_at - 12), -1):  # whose figure moved?
                    if forms[j] in GOOD or forms[j] in BAD:
                        tone = "pos" if up == (forms[j] in GOOD) else "neg"
                        out.append("sNUMOBJ:" + tone)
                        break
            start = None
    for i in ([i for i, f in enumerate(fl) if f & _F_TURN] if u & _F_TURN else ()):  # 흑자 전환 / 적자 전환
        before = forms[max(0, i - 4):i]
        if "흑자" in before:
            out.append("sTURN:pos")
        if "적자" in before or "손실" in before:
            out.append("sTURN:neg")
    tones = [f.rpartition(":")[2] for f in out if f.startswith(("sCOMP:", "sNUMOBJ:", "sTURN:"))]
    n_pos, n_neg = tones.count("pos"), tones.count("neg")
    if n_pos or n_neg:  # the balance of all direction x object findings
        out.append("sBAL:" + ("pos" if n_pos > n_neg else "neg" if n_neg > n_pos else "mix"))
    if u & _F_NEGW:
        out.append("s__NEG")
    if u & _F_CONTR:
        out.append("s__CONTR")
    if u & _F_Q:  # questions report no event (`조건부로 허용되나?`): the guideline's neutral
        out.append("s__Q")
    return out


_NEGATORS = frozenset({("않", "VX"), ("못", "MAG"), ("못하", "VX"), ("없", "VA"), ("없이", "MAG"),
                       ("아니", "VCN"), ("안", "MAG"), ("불능", "NNG"), ("불가", "NNG"), ("불가능", "NNG")})
_CONTRAST_WORDS = frozenset({("지만", "EC"), ("불구", "NNG"), ("불구하", "VV"), ("달리", "MAG"),
                             ("그러나", "MAJ"), ("하지만", "MAJ"), ("그럼에도", "MAJ"), ("다만", "MAJ"),
                             ("반면", "NNG"), ("반면", "MAJ")})
# Words that end a negative state: `위기 극복`, `의혹 해소`, `취약점 해결` are good news.
RESOLVE = frozenset("해결 해소 극복 넘기 벗어나 빠져나오 회복 만회 진화 수습 타개 잠재우 불식 일축 진정 정상화 "
                    "완화 되찾 이겨내 딛 면하 모면 털어내 일단락 마무리".split())
# Verbs that resolve only as verbs (`파업을 피했다`, `확산을 막았다`; not 막/MAG "just").
RESOLVE_VV = frozenset("피하 막 이기".split())
# Nouns that make the tone word before them a topic, not an event: `사고 원인을 조사`, `피해 신고 접수`,
# `의혹 관련 자료`, `갈등 구조를 분석`.
FRAME = frozenset("원인 경위 관련 절차 방식 구조 현황 실태 예방 방지 신고 접수 유형 기준 전문".split())
# Predicates a negator reaches through to the tone word before them (`피해가 발생하지 않았다`,
# `호평을 받지 못했다`, `단점을 찾기 어렵다`); any other verb or adjective stops it.
_PASS = frozenset("하 되 이 있 발생 나타나 일어나 생기 나오 보이 받 찾 보 입 당하 겪 내 이어지 번지 빚".split())
_LEX_TAGS = ("NN", "VV", "VA", "XR", "MA", "XP")
_LEX_NOT_DIR = frozenset({"흑자", "적자"})  # tone words in themselves, not movements of what precedes them
_GLUE_EC = frozenset("지 게 어 아 기".split())  # endings inside one predicate (하지 않다, 하게 되다)
_WINDOW = 7
# `-기 어렵다 / 힘들다 / 이르다` negate what comes before them (`단점을 찾기 어렵다`, `안심하긴 이르다`)
_HARD = frozenset("어렵 힘들 이르".split())
_SHORT_NEG = frozenset({("안", "MAG"), ("못", "MAG")})
_LEX_ALL = NEG_WORDS | POS_WORDS
# every prefix of a lexicon word ("" and the word itself included): a joined `prev + form` can be
# a lexicon word only when `prev` is one of them
_LEX_PREFIXES = frozenset(w[:k] for w in _LEX_ALL for k in range(len(w) + 1))

# What each cue loop can react to, per (form, tag), as bits (`_flags`, cached): a loop then visits
# only the morphemes with its bit, which is every morpheme it did anything with before
_F_LEX, _F_PRE, _F_NN, _F_XPN, _F_DIR, _F_DIRT, _F_RES, _F_NEGR = (1 << k for k in range(8))
_F_XPN3, _F_NUM, _F_TURN, _F_NEGW, _F_CONTR, _F_Q, _F_CAT = (1 << k for k in range(8, 15))
_FLAGS: dict[tuple[str, str], int] = {}


def _flag_of(form: str, tag: str) -> int:
    direction = tag in _DIR_TAGS and (form in UP or form in DOWN)
    return ((form in _LEX_ALL) * _F_LEX | (form in _LEX_PREFIXES) * _F_PRE | (tag[:2] == "NN") * _F_NN
            | (tag == "XPN") * _F_XPN | direction * _F_DIR | (direction and form not in _LEX_NOT_DIR) * _F_DIRT
            | ((form in RESOLVE and tag.startswith(_LEX_TAGS)) or (form in RESOLVE_VV and tag.startswith("VV"))) * _F_RES
            | ((form, tag) in _NEGATORS or (form in _HARD and tag.startswith(("VA", "VV")))) * _F_NEGR
            | (tag == "XPN" and form in ("무", "불", "비")) * _F_XPN3
            | (tag == "SN" or (tag == "JKB" and form in ("에서", "로", "으로"))) * _F_NUM
            | (form == "전환") * _F_TURN | (form in NEGATION) * _F_NEGW | (form in CONTRAST) * _F_CONTR
            | ((form, tag) == ("?", "SF")) * _F_Q
            | ((form, tag) in _CONTRAST_WORDS or (form, tag) in (("도", "JX"), ("에", "JKB"))) * _F_CAT)


def _flags(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """`_flag_of` of every (form, tag), from a per-process cache (bounded)."""
    fl = list(map(_FLAGS.get, pairs))
    if None in fl:
        if len(_FLAGS) > 500_000:
            _FLAGS.clear()
        for q, p in enumerate(pairs):
            if fl[q] is None:
                fl[q] = _FLAGS[p] = _flag_of(*p)
    return fl  # type: ignore[return-value]


def _is_boundary(form: str, tag: str) -> bool:
    return tag in ("SF", "SP") or (tag == "EC" and form not in _GLUE_EC) or (form, tag) in _CONTRAST_WORDS


def _after_gi(pairs: Sequence[tuple[str, str]], i: int) -> bool:
    """Whether the nominal ending 기 (optionally with a particle: 하기는 -> 하긴) stands right before i."""
    return bool(i) and (pairs[i - 1] == ("기", "ETN")
                        or (i > 1 and pairs[i - 1][1] == "JX" and pairs[i - 2] == ("기", "ETN")))


def _lex_tone(pairs: Sequence[tuple[str, str]], i: int) -> str | None:
    form, tag = pairs[i]
    if not tag.startswith(_LEX_TAGS):
        return None
    if i and pairs[i - 1][1] == "XPN" and pairs[i - 1][0] + form in _LEX_ALL:  # 불+투명 = 불투명
        return "neg" if pairs[i - 1][0] + form in NEG_WORDS else "pos"
    if i and tag.startswith("NN") and pairs[i - 1][1].startswith("NN"):  # compounds split by Kiwi: 집단+감염
        joined = pairs[i - 1][0] + form
        if joined in NEG_WORDS or joined in POS_WORDS:
            return "neg" if joined in NEG_WORDS else "pos"
    return "neg" if form in NEG_WORDS else "pos" if form in POS_WORDS else None


def _clause_back(pairs: Sequence[tuple[str, str]], i: int, window: int = _WINDOW, quote: bool = False) -> range:
    """Indices before i in the same clause, nearest first, at most `window`; with `quote`, an opening
    quotation mark ends the clause too (`거부 확산 … “안 맞겠다”`: the quoted 안 negates 맞다 only)."""
    j = i - 1
    while j >= max(0, i - window) and not _is_boundary(*pairs[j]) and not (quote and pairs[j][1] == "SSO"):
        j -= 1
    return range(i - 1, j, -1)


def tone_hits(pairs: Sequence[tuple[str, str]]) -> list[tuple[int, str, bool]]:
    """Tone words as (index, tone, flipped), sorted by index (see `_tone4`)."""
    hits, flipped, _, _ = _tone4(pairs)
    return [(i, t, i in flipped) for i, t in sorted(hits.items())]


def _tone(pairs: Sequence[tuple[str, str]]) -> tuple[dict[int, str], set[int], set[int]]:
    """Tone per word index (after flips), the flipped indices and the negative words resolved."""
    hits, flipped, resolved, _ = _tone4(pairs)
    return hits, flipped, resolved


def _tone4(pairs: Sequence[tuple[str, str]], fl: list[int] | None = None
           ) -> tuple[dict[int, str], set[int], set[int], set[int]]:
    """Tone per word index (after flips), the flipped, resolved and framed indices.

    Steps: lexicon words (`sentiment_lexicon`); a direction word and the figure it moves in the same
    clause replace both (`실업률이 떨어졌다` good, `이익이 줄었다` bad); a RESOLVE word clears the
    negative words before it and is good (`위기를 극복`); a negator (않다, 못하다, 없다, 아니다, 안,
    불능, `-기 어렵다 / 힘들다 / 이르다`) flips the nearest tone word before it in its clause unless
    another verb stands between (`분노는 가라앉지 않았다` is not flipped), and the short 안/못 flips the
    tone predicate right after it instead when there is one (`안 아파`, `못 막았다`); 무-/불- prefixed to one flips it; a
    negative word turned positive by a negator also clears the negative words before it in its clause
    (`우려했던 큰 피해는 발생하지 않았다`: what was feared did not happen). A tone noun followed by a
    FRAME noun (`사고 원인`, `의혹 관련`) is a topic, not an event: it is dropped from the hits."""
    hits: dict[int, str] = {}
    resolved: set[int] = set()
    framed: set[int] = set()
    moved: dict[int, int] = {}  # direction word -> the figure it moved (`피해 … 발생`)
    if fl is None:
        fl = _flags(pairs)
    u = reduce(or_, fl, 0)
    # each loop visits only the morphemes its test can be true for (`_flags`; the others do nothing):
    # a lexicon form, or a noun after a noun / a word after a prefix that joins it into one
    cands = [i for i, f in enumerate(fl)
             if f & _F_LEX or (i and fl[i - 1] & _F_PRE and (fl[i - 1] & _F_XPN or f & fl[i - 1] & _F_NN)
                               and pairs[i - 1][0] + pairs[i][0] in _LEX_ALL)] if u & (_F_LEX | _F_PRE) else ()
    for i in cands:
        t = _lex_tone(pairs, i)
        if t:
            if i + 1 < len(pairs) and pairs[i][1].startswith("NN") and pairs[i + 1][0] in FRAME \
                    and pairs[i + 1][1] == "NNG":
                framed.add(i)
                continue
            hits[i] = t
    for i in ([i for i, f in enumerate(fl) if f & (_F_DIRT | _F_RES)] if u & (_F_DIRT | _F_RES) else ()):
        form, tag = pairs[i]
        if fl[i] & _F_DIRT:
            for j in _clause_back(pairs, i, 12):
                obj = pairs[j][0]
                if obj in GOOD or obj in BAD:
                    hits.pop(j, None)
                    hits[i] = "pos" if (form in UP) == (obj in GOOD) else "neg"
                    moved[i] = j
                    break
        else:  # a RESOLVE word
            cleared = [j for j in _clause_back(pairs, i, 12) if hits.get(j) == "neg"]
            if cleared:
                for j in cleared:
                    hits.pop(j)
                resolved.update(cleared)
                hits[i] = "pos"
    flipped: set[int] = set()
    # without tone words no negator or prefix flips anything
    for i in ([i for i, f in enumerate(fl) if f & (_F_NEGR | _F_XPN3)] if hits and u & (_F_NEGR | _F_XPN3) else ()):
        form, tag = pairs[i]
        negator = ((form, tag) in _NEGATORS and not (i and pairs[i - 1] == ("밖에", "JX"))  # -ㄹ 수밖에 없다
                   or (form in _HARD and tag.startswith(("VA", "VV")) and _after_gi(pairs, i)))
        if negator and (form, tag) in _SHORT_NEG and i + 1 < len(pairs) and i + 1 in hits \
                and pairs[i + 1][1].startswith(("VV", "VA")):
            flipped.add(i + 1)  # short negation precedes its predicate: `하나도 안 아파`, `피해를 못 막았다`
        elif negator:
            for j in _clause_back(pairs, i, quote=True):
                if j in hits:
                    flipped.add(j)
                    if hits[j] == "neg":  # `우려했던 피해는 없었다`: the fear goes with the event
                        for k in _clause_back(pairs, j, 12):
                            if hits.get(k) == "neg" and k not in flipped:
                                hits.pop(k)
                                resolved.add(k)
                    break
                f, t = pairs[j]
                adverbial = j + 1 < len(pairs) and pairs[j + 1] == ("게", "EC")  # 크게, 빠르게
                if t.startswith(("VV", "VA")) and f not in _PASS and not adverbial:
                    break
        elif tag == "XPN" and form in ("무", "불", "비") and i + 1 in hits and form + pairs[i + 1][0] not in _LEX_ALL:
            flipped.add(i + 1)
    other = {"neg": "pos", "pos": "neg"}
    tones = {i: other[t] if i in flipped else t for i, t in hits.items()}
    # a negated movement negates its figure too: `피해는 발생하지 않았다` marks NOT_피해 as well as NOT_발생
    flipped |= {j for i, j in moved.items() if i in flipped}
    return tones, flipped, resolved, framed


def _contrast_at(pairs: Sequence[tuple[str, str]], fl: list[int] | None = None) -> int:
    """Index after the last contrast or concession marker (-지만, 에도 (불구하고), 와 달리, 그러나), or
    after `끝에` (`재도전 끝에 성공했다`: the outcome decides), or -1."""
    at = -1
    if fl is None:
        fl = _flags(pairs)
    for i in [i for i, f in enumerate(fl) if f & _F_CAT]:
        form, tag = pairs[i]
        if (form, tag) in _CONTRAST_WORDS or (form == "도" and tag == "JX" and i and pairs[i - 1] == ("에", "JKB")) \
                or (form == "에" and tag == "JKB" and i and pairs[i - 1] == ("끝", "NNG")):
            at = i + 1
    return at


def _balance(tones: Sequence[str]) -> str:
    p, n = tones.count("pos"), tones.count("neg")
    return "none" if not (p or n) else "pos" if p > n else "neg" if n > p else "mix"


def tone_cues(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """Lexicon tone (after negation), its balance, and the main clause's tone after a contrast."""
    return _tone_cue_list(pairs, tone_hits(pairs))


_END_PRED = frozenset(("VV", "VA"))
_END_LIGHT = frozenset(("XSV", "XSA", "VCP"))
_END_SKIP = frozenset("SF SE SS SSO SSC SP EF EP ETM ETN EC JX VX NNB SW SL SN".split())


def _end_index(pairs: Sequence[tuple[str, str]]) -> int | None:
    """Index of the sentence's final predicate (Korean is verb-final): the last verb or adjective, the
    noun before a light verb (`비판/NNG 하/XSV 었다` -> 비판), or a title's last noun (`…2400선 붕괴`);
    endings, auxiliaries (`하고 있다`) and symbols after it are skipped; None if another tag ends it."""
    for i in range(len(pairs) - 1, -1, -1):
        tag = pairs[i][1].split("-")[0]
        if tag in _END_PRED:
            return i
        if tag in _END_LIGHT:
            return i - 1 if i and pairs[i - 1][1].startswith(("NN", "XR")) else i
        if tag.startswith("NN") and tag != "NNB":
            return i
        if tag not in _END_SKIP:
            return None
    return None


def _tone_cue_list(pairs: Sequence[tuple[str, str]], hits: Sequence[tuple[int, str, bool]],
                   fl: list[int] | None = None) -> list[str]:
    end = _end_index(pairs)
    # the final predicate's tone (after flips): `…라고 비판했다`, `…고 환영했다`, `…로 급락했다`; reported
    # speech puts the speech act last (news train grouped CV: real articles 0.775 -> 0.783 with lex6)
    out = ["sEND:none" if end is None else "sENDT:" + next((t for i, t, _ in hits if i == end), "none")]
    out += ["sL:" + t for _, t, _ in hits]
    out += ["sNOT:" + pairs[i][0] + ">" + t for i, t, f in hits if f]
    tones = [t for _, t, _ in hits]
    out.append("sLB:" + _balance(tones))
    for t in ("neg", "pos"):
        if tones.count(t) >= 2:
            out.append(f"sL2:{t}")
    at = _contrast_at(pairs, fl)
    if at > 0:
        sub = _balance([t for i, t, _ in hits if i < at])
        main = _balance([t for i, t, _ in hits if i >= at])
        out += ["sMAIN:" + main, "sSUB:" + sub, f"sCON:{sub}>{main}"]
    return out


class LinearFeatures:
    """Feature strings -> rows, L2-normalised per block and then weighted.

    Values are sublinear TF-IDF, or with `binary=True` presence (1) times `idf` (all ones for NB-LR).
    """

    def __init__(self, vocab: Sequence[str], idf: np.ndarray, block_weight: np.ndarray,
                 binary: bool = False) -> None:
        self.vocab = {f: i for i, f in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.block = np.array([BLOCKS.index(f[0]) for f in vocab], dtype=np.int64)
        self.block_weight = np.asarray(block_weight, dtype=np.float64)
        self.binary = binary
        self._chars: list[KeyIndex] | None = None
        self._morph: tuple[np.ndarray, KeyIndex, dict[str, int], int] | None = None
        self._pair_codes: dict[tuple[str, str], int] = {}  # (form, tag) -> code of its unigram string

    def transform(self, feature_lists: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """One sparse row per sentence; unknown features are dropped."""
        rows, ids = self._lookup(feature_lists)
        return self._matrix(rows, ids, len(feature_lists))

    def transform_sentences(self, texts: Sequence[str], pair_lists: Sequence[Sequence[tuple[str, str]]]
                            ) -> sparse.csr_matrix:
        """`transform([featurize(t, p) ...])`, equal to it entry for entry, without building the
        character n-gram strings (~3/4 of a sentence's features): their ids are looked up for the
        whole batch at once, each n-gram read as one integer of its code points (predict's path)."""
        n_rows = len(texts)
        mrows, mids, cues = self._morph_ids(pair_lists)
        rows, ids = self._lookup(cues)
        crows, cids = self._char_ids([_char_text(t) for t in texts])
        return self._matrix(np.concatenate([mrows, rows, crows]), np.concatenate([mids, ids, cids]), n_rows)

    def _morph_ids(self, pair_lists: Sequence[Sequence[tuple[str, str]]]
                   ) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
        """(row, vocabulary id) of every known morpheme unigram and bigram of `_token_features`,
        and each sentence's cue strings, without building the uni/bigram strings: each morpheme's
        unigram string is coded once per (form, tag) (`_morph_tables`), a sentence's bigrams are
        the pairs of neighbouring codes, looked up for the whole batch at once."""
        uni, bigrams, codes, n_codes = self._morph_tables()
        cache = self._pair_codes
        if len(cache) > 500_000:  # bounded: a new corpus's rare forms
            cache.clear()
        flat: list[int] = []
        cue_lists: list[list[str]] = []
        skip, sep = -2, -3
        for pairs in pair_lists:
            got = list(map(cache.get, pairs))
            if None in got:
                for q, (form, tag) in enumerate(pairs):
                    if got[q] is None:
                        got[q] = cache[(form, tag)] = skip if tag in _SKIP_TAGS else codes.get(_morph_string(form, tag), -1)
            marked, cues = _marked(pairs)
            for i, m in marked.items():
                if got[i] != skip:
                    got[i] = codes.get(m, -1)
            flat += got
            flat.append(sep)
            cue_lists.append(cues)
        arr = np.array(flat, dtype=np.int64)
        row = np.cumsum(arr == sep) - (arr == sep)  # each morpheme's sentence
        keep = arr != skip
        arr, row = arr[keep], row[keep]
        z = np.zeros(0, dtype=np.int64)
        known = np.flatnonzero(arr >= 0)
        u = uni[arr[known]]
        hit = u >= 0
        out_rows, out_ids = [row[known[hit]]], [u[hit]]
        if len(arr) > 1 and len(bigrams):
            a, b = arr[:-1], arr[1:]
            both = np.flatnonzero((a >= 0) & (b >= 0))  # a separator (-3) or an uncoded morpheme: none
            ids = bigrams.get(a[both] * n_codes + b[both], -1)
            found = ids >= 0
            out_rows.append(row[both[found]])
            out_ids.append(ids[found])
        return (np.concatenate(out_rows) if out_rows else z, np.concatenate(out_ids) if out_ids else z, cue_lists)

    def _morph_tables(self) -> tuple[np.ndarray, KeyIndex, dict[str, int], int]:
        """Codes of every string a known morpheme feature is made of, built on first use: each
        `m` feature of the vocabulary as a unigram, and split at each `_` as a bigram `a + "_" +
        b[1:]` (a form may hold `_`, so every split is kept: a pair of codes produces exactly one
        string, so it finds that feature or none). Returns (vocabulary id of each code's unigram
        or -1, bigram keys `a * n + b` -> their ids, string -> code, n)."""
        if self._morph is None:
            codes: dict[str, int] = {}
            pairs: list[tuple[int, int, int]] = []
            for f, i in self.vocab.items():
                if f[0] != "m":
                    continue
                codes.setdefault(f, len(codes))
                at = f.find("_")
                while at >= 0:
                    left, right = f[:at], "m" + f[at + 1:]
                    pairs.append((codes.setdefault(left, len(codes)), codes.setdefault(right, len(codes)), i))
                    at = f.find("_", at + 1)
            n = len(codes)
            uni = np.full(n, -1, dtype=np.int64)
            for f, c in codes.items():
                uni[c] = self.vocab.get(f, -1)
            keys = np.array([a * n + b for a, b, _i in pairs], dtype=np.int64)
            ids = np.array([i for _a, _b, i in pairs], dtype=np.int64)
            self._morph = (uni, KeyIndex(keys, ids), codes, n)
        return self._morph

    def _lookup(self, feature_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every known feature string."""
        n_rows = len(feature_lists)
        lens = np.fromiter(map(len, feature_lists), np.int64, n_rows)
        flat = list(chain.from_iterable(feature_lists))
        ids = np.fromiter(map(self.vocab.get, flat, repeat(-1)), np.int64, len(flat))
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lens)
        known = ids >= 0
        return rows[known], ids[known]

    def _char_keys(self) -> list[KeyIndex]:
        """Per n-gram length 2 and 3: the vocabulary's character n-grams as integer keys (code
        points, 21 bits each) -> their ids, hashed; built on first use."""
        if self._chars is None:
            tables = []
            for k in (2, 3):
                grams = [(f[1:], i) for f, i in self.vocab.items() if f[0] == "c" and len(f) == k + 1]
                tables.append(KeyIndex(_gram_keys([g for g, _ in grams], k), np.array([i for _, i in grams], dtype=np.int64)))
            self._chars = tables
        return self._chars

    def _char_ids(self, char_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every known character 2- and 3-gram of each `_char_text`.

        The texts are joined by one separator whose code is set to -1: an n-gram across two texts
        gets a negative key, which no vocabulary key is (few numpy calls: one-article calls too)."""
        n = len(char_texts)
        if not n:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lens = np.fromiter(map(len, char_texts), np.int64, n) + 1
        codes = np.frombuffer("\0".join(char_texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = codes.astype(np.int64)
        codes[np.cumsum(lens[:-1]) - 1] = -1
        row_of = np.repeat(np.arange(n, dtype=np.int64), lens)
        key2 = (codes[:-1] << 21) | codes[1:]
        out_rows, out_ids = [], []
        for key, index in zip((key2, (key2[:-1] << 21) | codes[2:]), self._char_keys(), strict=True):
            if not len(index) or not len(key):
                continue
            ids = index.get(key, -1)
            hit = np.flatnonzero(ids >= 0)
            out_rows.append(row_of[hit])
            out_ids.append(ids[hit])
        if not out_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(out_rows), np.concatenate(out_ids)

    def _matrix(self, rows: np.ndarray, ids: np.ndarray, n_rows: int) -> sparse.csr_matrix:
        n_cols = len(self.idf)
        # repeated (row, feature) pairs summed, columns sorted within each row (canonical CSR)
        cell, counts = np.unique(rows * n_cols + ids, return_counts=True)
        r, c = np.divmod(cell, n_cols)
        indptr = np.searchsorted(r, np.arange(n_rows + 1, dtype=np.int64))
        x = sparse.csr_matrix((counts.astype(np.float64), c, indptr), shape=(n_rows, n_cols))
        val = (1.0 if self.binary else 1.0 + np.log(x.data)) * self.idf[c]
        nb = len(BLOCKS)
        group = r * nb + self.block[c]
        norm = np.sqrt(np.bincount(group, weights=val * val, minlength=n_rows * nb))
        x.data = val / norm[group] * self.block_weight[self.block[c]]
        return x


def _gram_keys(grams: Sequence[str], k: int) -> np.ndarray:
    """Each k-character string as one integer: its code points, 21 bits each (k <= 3)."""
    codes = np.frombuffer("".join(grams).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.astype(np.int64).reshape(len(grams), k)
    key = codes[:, 0].copy()
    for d in range(1, k):
        key = (key << 21) | codes[:, d]
    return key


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _ovr_probabilities(z: np.ndarray) -> np.ndarray:
    """One-vs-rest decision values -> per-class sigmoids normalised to sum to one."""
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
    return p / p.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- the shipped model

class ShippedSentimentModel:
    """The committed artefact (weights.npz, vocab.json, meta.json), loaded without pickle."""

    def __init__(self, model_dir: Path | str | None = None) -> None:
        d = Path(model_dir) if model_dir else MODEL_DIR
        self.meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        if self.meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{d}: trained with features {self.meta.get('feature_version')!r}, "
                             f"code expects {FEATURE_VERSION!r}; retrain (python -m analytics train sentiment)")
        with np.load(d / "weights.npz", allow_pickle=False) as z:
            self.weights = z["W"].astype(np.float64)
            self.bias = z["b"].astype(np.float64)
            idf, block_weight = z["idf"], z["block_weight"]
        vocab = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
        self.features = LinearFeatures(vocab, idf, block_weight, binary=self.meta.get("values") == "binary")
        self.labels: tuple[str, ...] = tuple(self.meta["labels"])
        self.one_vs_rest = self.meta.get("output") == "one_vs_rest"
        # decision values are divided by it: fitted on out-of-fold news scores so that a 0.8
        # probability is right about 80 % of the time (labels do not change)
        self.temperature = float(self.meta.get("temperature", 1.0))

    def probabilities(self, texts: Sequence[str], tokens: Sequence[list] | None = None) -> np.ndarray:
        """Class probabilities, columns in `self.labels` order."""
        texts = list(texts)
        if tokens is None:
            tokens = [list(t) for t in _kiwi().tokenize(texts)] if texts else []
        if len(tokens) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(tokens)} token lists")
        x = self.features.transform_sentences(texts, [token_pairs(toks) for toks in tokens])
        z = (np.asarray(x @ self.weights) + self.bias) / self.temperature
        return _ovr_probabilities(z) if self.one_vs_rest else _softmax(z)

    def predict(self, texts: Sequence[str], tokens: Sequence[list] | None = None) -> list[tuple[str, float]]:
        """(label, P(positive) - P(negative)) per text."""
        p = self.probabilities(texts, tokens)
        if not len(p):
            return []
        score = p[:, self.labels.index("positive")] - p[:, self.labels.index("negative")]
        best = p.argmax(axis=1)
        return [(self.labels[k], float(s)) for k, s in zip(best, np.clip(score, -1.0, 1.0), strict=True)]


def _kiwi() -> Any:
    """The pipeline's shared Kiwi (analytics.nlp.tokenize.get_kiwi)."""
    from analytics.nlp.tokenize import get_kiwi
    return get_kiwi()


_loaded: dict[str, SentimentModel] = {}


def load_sentiment_model(spec: str | None = None) -> SentimentModel:
    """The model named by `spec` or the `sentiment_model` setting ("module:Class"), cached per spec."""
    spec = spec or str(config.get("sentiment_model"))
    if spec not in _loaded:
        module, _, name = spec.partition(":")
        if not module or not name:
            raise ValueError(f"sentiment_model must look like 'module:Class', got {spec!r}")
        model = getattr(importlib.import_module(module), name)()
        if not isinstance(model, SentimentModel):
            raise ValueError(f"{spec} has no predict(texts, tokens=None) method")
        _loaded[spec] = model
    return _loaded[spec]


# ---------------------------------------------------------------- aggregation (pure)

def article_sentiment(scores_labels: Iterable[tuple[str, float]]) -> dict[str, float | int]:
    """Tone of an article from its sentences' (label, score): mean score and label shares."""
    items = list(scores_labels)
    n = len(items)
    if n == 0:
        return {"mean_score": 0.0, "pos_share": 0.0, "neg_share": 0.0, "n_sentences": 0}
    return {
        "mean_score": sum(s for _, s in items) / n,
        "pos_share": sum(1 for lab, _ in items if lab == "positive") / n,
        "neg_share": sum(1 for lab, _ in items if lab == "negative") / n,
        "n_sentences": n,
    }


def target_sentiment(
    sentences: Sequence[str],
    scores_labels: Sequence[tuple[str, float]],
    target_terms: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Tone towards each target: the sentences mentioning it (or an alias of it) and their mean.

    `aliases` maps a surface form to its canonical term (`{"인공지능": "AI", "A.I.": "AI"}`); targets
    given as aliases are reported under their canonical term. Korean terms match as substrings
    (particles attach to them); Latin terms match as whole words, case-insensitively.
    """
    if len(sentences) != len(scores_labels):
        raise ValueError(f"{len(sentences)} sentences but {len(scores_labels)} (label, score) pairs")
    aliases = dict(aliases or {})
    canon = {aliases.get(t, t) for t in target_terms}
    out: dict[str, dict[str, Any]] = {}
    for target in sorted(canon):
        forms = {target} | {a for a, c in aliases.items() if c == target}
        pattern = _mention_pattern(forms)
        evidence = [{"sentence": s, "label": lab, "score": sc}
                    for s, (lab, sc) in zip(sentences, scores_labels, strict=True) if pattern.search(s)]
        n = len(evidence)
        out[target] = {
            "mean_score": sum(e["score"] for e in evidence) / n if n else 0.0,
            "n_sentences": n,
            "evidence": evidence,
        }
    return out


def _mention_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for f in sorted(forms, key=len, reverse=True):
        esc = re.escape(f)
        parts.append(rf"(?<![A-Za-z0-9]){esc}(?![A-Za-z0-9])" if f.isascii() else esc)
    return re.compile("|".join(parts), re.IGNORECASE)
