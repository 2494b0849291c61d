"""Kiwi tokenization, sentence splitting and normalised content units.

Every later stage (keywords, term counts, sentiment, entities) reads the `Sent` objects made here,
so an article is morphologically analysed exactly once. Units never contain particles or endings:
they are built from Kiwi's noun-like tags plus Latin words re-read from the text (Kiwi splits
`D-Lab` and `cities` into pieces), see docs/method/keywords.md for the rules.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from kiwipiepy import Kiwi, Token
from kiwipiepy.utils import Stopwords

__all__ = [
    "PlainToken", "Sent", "Span", "Unit", "analyze_batch", "content_runs", "get_kiwi", "is_english", "kiwi_threads",
    "is_list_term", "phrase_term", "repair_word_starts", "sentence_terms", "sentence_units", "split_sentences", "units_of_runs",
]

_kiwi: Kiwi | None = None
# Names Kiwi's dictionary splits into ordinary words (국민/의/힘): added as single proper nouns.
USER_WORDS = (("국민의힘", "NNP"), ("더불어민주당", "NNP"), ("국민의당", "NNP"), ("정의당", "NNP"))
_kiwi_lock = threading.Lock()


def get_kiwi(num_workers: int | None = None) -> Kiwi:
    """The one Kiwi of this process (loading costs ~1 s and ~100 MB, so never load it twice).

    `num_workers` only matters on the first call: -1 = Kiwi threads on every core; None = that,
    except inside a Dask worker (one single-threaded process per core, like the local pool's
    workers, which pass 1): Kiwi's own threads there would oversubscribe the machine and make
    per-core figures wrong. Kiwi analysis is thread-safe.
    """
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                if num_workers is None:
                    num_workers = 1 if _in_dask_worker() else -1
                kiwi = Kiwi(num_workers=num_workers)
                for word, tag in USER_WORDS:
                    kiwi.add_user_word(word, tag)
                _kiwi = kiwi
    return _kiwi


def kiwi_threads() -> int:
    """How many threads this process's Kiwi analyses with (loads it if needed)."""
    return get_kiwi().num_workers


def _in_dask_worker() -> bool:
    if "distributed" not in sys.modules:
        return False
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


class PlainToken(NamedTuple):
    """The picklable part of a kiwipiepy Token (kiwipiepy's own Token cannot cross processes)."""

    form: str
    tag: str
    start: int
    len: int
    id: int = -1  # Kiwi's morpheme id (2 = unknown common noun: the recognizer's `oov` feature)

    @property
    def end(self) -> int:
        return self.start + self.len


@dataclass
class Sent:
    """One sentence: `start`/`end` and every token offset are relative to the analysed text.

    `tokens` are kiwipiepy Tokens; a pickled Sent carries `PlainToken`s (form, tag, start, len, end).
    """

    text: str
    start: int
    end: int
    tokens: list[Token] = field(repr=False)

    def __getstate__(self) -> dict:
        plain = [PlainToken(t.form, t.tag, t.start, t.len, t.id) for t in self.tokens]
        return {"text": self.text, "start": self.start, "end": self.end, "tokens": plain}


class Unit(NamedTuple):
    """A normalised content unit; `cls` is common, proper, root, hanja, foreign, number, compound
    (a written word of several morphemes: 전기차, 백지화) or phrase. (A NamedTuple, immutable:
    tens of thousands are made per batch, at a third of a frozen dataclass's cost.)"""

    term: str
    cls: str


class Span(NamedTuple):
    """A content unit with its offsets in the analysed text (what `content_runs` yields)."""

    term: str
    cls: str
    start: int
    end: int


# Span((term, cls, start, end)) without the NamedTuple's Python-level __new__ (hot path)
_new_span = partial(tuple.__new__, Span)


def split_sentences(text: str) -> list[Sent]:
    """Kiwi sentences, further cut at every line break (headlines, bylines, bullets are lines)."""
    return analyze_batch([text])[0]


def analyze_batch(texts: Iterable[str]) -> list[list[Sent]]:
    """`split_sentences` for many texts in one Kiwi call, which parallelises across its threads.

    Kiwi's `tokenize(split_sents=True)` directly (what `split_into_sents` wraps, minus its
    per-token Python loop building sub-sentences we never read); blank texts never reach Kiwi."""
    texts = list(texts)
    todo = [i for i, t in enumerate(texts) if t and not t.isspace()]
    out: list[list[Sent]] = [[] for _ in texts]
    if not todo:
        return out
    kiwi = get_kiwi()
    if len(todo) == 1:  # a single str runs in this thread, without the pool's hand-off
        results = [kiwi.tokenize(texts[todo[0]], split_sents=True)]
    else:
        results = kiwi.tokenize(iter([texts[i] for i in todo]), split_sents=True)
    for i, sents in zip(todo, results, strict=True):
        out[i] = list(_cut_at_lines(texts[i], sents))
    return out


# A written word never begins with a derivational suffix. Kiwi, reading a word in context,
# sometimes does: "호남권 화이자 백신" → 권/XSN 화/XSN 이/VCP 자/EC, so 화이자 vanished from the
# terms, the keyword filter and the entities. Its other misreading of a name in context is a
# one-syllable noun + copula at the start of a word: "총리는 화이자 백신" → 화/NNG 이/VCP 자/EC
# ("it is 화, and"), 70 of the 190 화이자 of the BIG Kinds export. Both kinds of word are read
# again on their own (from their first letter: Kiwi alone reads "화이자" as 화이자/NNP), and the
# new reading is kept only when it no longer has the suspect start, and for a noun + copula only
# when it is a proper noun: a real "X이자" (학생이자, 꽃이자, 것이다) reads the same alone and stays,
# and "하루 전인" is not turned into a noun 전인 (what Kiwi reads for "전인" alone).
_NO_WORD_START = ("XS",)
_ONE_SYLLABLE_NOUN = frozenset({"NNG", "NNP", "NNB"})


def _suspect_start(tokens: list, i: int, after: str = " ") -> bool:
    """Whether token i starts a word with a suspect reading; `after` = the character before it
    (a suffix may follow a bracket, `(UAE)발`; a name may follow a quote, `“화이자`)."""
    t = tokens[i]
    if t.tag.startswith(_NO_WORD_START):
        return after.isspace()
    if t.tag in _ONE_SYLLABLE_NOUN and t.len == 1 and i + 1 < len(tokens) and not after.isalnum():
        nxt = tokens[i + 1]
        return nxt.tag == "VCP" and nxt.start == t.end
    return False


def repair_word_starts(text: str, tokens: list) -> list:
    """`tokens` with every written word that Kiwi read with a suspect start (see above)
    re-analysed alone (offsets kept in `text`); the same list object when nothing changed.

    Only tokens whose tag can start a suspect word (a suffix; a noun of one character) are
    looked at: one comprehension over the tokens instead of a call per token (~5 % of the Kiwi
    stage)."""
    kinds = _START_KIND
    cands = [i for i, t in enumerate(tokens) if (k := kinds.get(t.tag, 1)) == 1 or k == 2 and t.len == 1]
    if not cands:
        return tokens
    out: list = []
    pos, n = 0, len(tokens)  # tokens[:pos] are decided (copied into `out` or replaced)
    for i in cands:
        if i < pos:
            continue  # inside a word already read again
        t = tokens[i]
        if t.tag not in kinds:
            kinds[t.tag] = 1 if t.tag.startswith(_NO_WORD_START) else 2 if t.tag in _ONE_SYLLABLE_NOUN else 0
        if not _suspect_start(tokens, i, text[t.start - 1] if t.start else " "):
            continue
        end = t.start
        while end < len(text) and not text[end].isspace():
            end += 1
        again = _read_alone(text[t.start:end])
        if again and not _suspect_start(again, 0) and (
                t.tag.startswith(_NO_WORD_START) or again[0].tag == "NNP"):
            j = i
            while j < n and tokens[j].start < end:
                j += 1
            out.extend(tokens[pos:i])
            out.extend(PlainToken(r.form, r.tag, t.start + r.start, r.len, r.id) for r in again)
            pos = j
    if not pos:
        return tokens
    out.extend(tokens[pos:])
    return out


_ALONE: dict[str, list[PlainToken]] = {}  # written word -> Kiwi's reading of it alone (bounded)


def _read_alone(word: str) -> list[PlainToken]:
    """Kiwi's tokens of one written word read on its own, cached per process: the same words come
    back (화이자 190 times in the BIG Kinds export), and a one-word call costs ~0.1 ms."""
    hit = _ALONE.get(word)
    if hit is None:
        if len(_ALONE) >= 100_000:
            _ALONE.clear()
        hit = _ALONE[word] = [PlainToken(r.form, r.tag, r.start, r.len, r.id) for r in get_kiwi().tokenize(word)]
    return hit


# tag -> 1: may start a suspect word (a suffix), 2: only as a one-character token (a noun), 0: never;
# a tag not listed yet counts as 1 (looked at, then listed)
_START_KIND: dict[str, int] = {}


def _cut_at_lines(text: str, sents: list) -> Iterator[Sent]:
    """Kiwi's sentences (token lists) cut at line breaks and stripped, tokens repaired."""
    for toks in sents:
        if not toks:
            continue
        tokens = repair_word_starts(text, toks)
        start, end = toks[0].start, toks[-1].end
        span = text[start:end]
        if "\n" not in span and span == span.strip():  # the common case: one clean line
            yield Sent(text=span, start=start, end=end, tokens=tokens)
            continue
        pos = start
        for line in span.split("\n"):
            lo, hi = pos, pos + len(line)
            pos = hi + 1
            stripped = line.strip()
            if not stripped:
                continue
            lo += len(line) - len(line.lstrip())
            hi = lo + len(stripped)
            part = [t for t in tokens if lo <= t.start < hi]
            if part:
                yield Sent(text=text[lo:hi], start=lo, end=hi, tokens=part)


# --- content units -------------------------------------------------------------------------------

_NOUN_CLS = {"NNG": "common", "NNP": "proper", "XR": "root", "SH": "hanja"}
_COUNTER_TAGS = {"NR", "NNB", "SN"}
# the tags `content_runs` does anything with; every other token only ends a run
_RUN_TAGS = frozenset({"SN", "XPN", "XSN", "VV", "VA", *_NOUN_CLS})
# A Latin word with inner hyphens/dots/ampersands (D-Lab, e-Palette, AT&T), or a dotted acronym (A.I.).
_LATIN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")
_LATIN_CHAR_RE = re.compile(r"[A-Za-z]")
_HANGUL_RE = re.compile(r"[가-힣]")
_WS_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\S+")

_KIWI_STOP = Stopwords().stopwords  # (form, tag) pairs; only the noun-like ones can reach us
# Noun suffixes (XSN) that do not make a new word: plural/honorific/counting (기업들, 선생님,
# 지역별, 1인당, 첫째); every other XSN stays on its noun (백지화, 고령층, 경제적, 접종률).
# Nominalised verbs that fixed terms write both glued and spaced (거리두기 / 거리 두기, 줄서기 /
# 줄 서기); the spaced form joins its noun's phrase, so both spellings are one term.
_SPACED_STEMS = frozenset({"두", "서"})
_LOOSE_SUFFIXES = frozenset("들 님 께 끼리 짜리 쯤 여 가량 별 당 째 분 씩 꼴 경".split())

# Small built-in English function-word list (no NLTK download); acronyms are never stopwords.
ENGLISH_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever every few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most much my myself no nor not now of off on once only or other our ours
ourselves out over own per same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up upon us very via was we were what
when where which while who whom why will with within without would yet you your yours yourself
yourselves may might must shall can't won't don't isn't aren't wasn't weren't let get got make made
one two new said says say like well back way since still many across among around
jan feb mar apr may jun jul aug sep sept oct nov dec
""".split())


def is_english(text: str) -> bool:
    """True when Latin letters clearly outnumber Hangul (an English sentence or passage)."""
    if _LATIN_CHAR_RE.search(text) is None:  # most Korean sentences: no Hangul count needed
        return False
    latin = len(_LATIN_CHAR_RE.findall(text))
    return latin >= 2 * len(_HANGUL_RE.findall(text))


def _sent_is_english(sent: Sent) -> bool:
    """`is_english(sent.text)`, memoised on the sentence (content runs and both unit passes ask)."""
    return _memo(sent, "_english", lambda s: is_english(s.text))


def _memo(sent: Sent, key: str, compute):
    """`compute(sent)`, kept in the sentence's `__dict__` under `key` so every stage that asks reads one
    result (a sentence object without a `__dict__`: computed each time)."""
    d = getattr(sent, "__dict__", None)
    if d is None:
        return compute(sent)
    v = d.get(key)
    if v is None:
        v = d[key] = compute(sent)
    return v


def _english_lemma(word: str) -> str:
    """Lower-case and strip regular plural -s (cities -> city).

    Words with a capital after the first letter (AI, IoT, ChatGPT) are names and keep their form.
    """
    if any(c.isupper() for c in word[1:]):
        return word
    w = word.lower()
    if "-" in w or "." in w or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "os", "as")):
        return w[:-1]
    return w


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and word[0].isupper()


def content_runs(sent: Sent) -> list[list[Span]]:
    """Content units in text order, grouped into runs of units separated only by spaces (or none).

    Anything else between two units (a particle, an ending, punctuation, a function word) ends the
    run, so a run is what a reader sees as one noun phrase: `4차 산업혁명`, `스마트 팩토리`.
    Memoised on the sentence (the sentence table, term counts and keywords all read it; callers
    must not mutate the lists).
    """
    return _memo(sent, "_content_runs", _compute_content_runs)


def _compute_content_runs(sent: Sent) -> list[list[Span]]:
    text, base = sent.text, sent.start
    english = _sent_is_english(sent)
    # every Latin word holds a Latin letter: most sentences have none, and one charset search is far
    # cheaper than _LATIN_RE tried at every position
    latin = [(m.start() + base, m.end() + base, m.group()) for m in _LATIN_RE.finditer(text)] \
        if _LATIN_CHAR_RE.search(text) is not None else []
    items: list[Span | None] = []
    li = 0
    toks = sent.tokens
    i = 0
    n_tok, n_lat = len(toks), len(latin)
    prefix: int | None = None
    while i < n_tok or li < n_lat:
        if li < n_lat and latin[li][0] <= (toks[i].start if i < n_tok else 10**12):
            lo, hi, word = latin[li]
            li += 1
            while i < n_tok and toks[i].start < hi:  # Kiwi's pieces of this Latin word
                i += 1
            item = _latin_item(word, lo, hi, english)
            prev = items[-1] if items else None
            if item is not None and item.cls == "foreign" and prev is not None and prev.end == lo \
                    and prev.cls not in ("number", "foreign"):
                items[-1] = _glue(prev, hi, text, base)  # 한국GM: one written word
            else:
                items.append(item)
            continue
        tok = toks[i]
        tag = tok.tag
        if tag not in _RUN_TAGS:  # a particle, ending, verb, punctuation…: it only ends a run
            if not items or items[-1] is not None:
                items.append(None)
            prefix = None
            i += 1
            continue
        if tag == "SN":
            j = i + 1
            while j < len(toks) and toks[j].tag in _COUNTER_TAGS and toks[j].start == toks[j - 1].end:
                j += 1
            if j < len(toks) and toks[j].form == "%" and toks[j].start == toks[j - 1].end:
                j += 1
            lo, hi = tok.start, toks[j - 1].end
            prev = items[-1] if items else None
            if j == i + 1 and prev is not None and prev.end == lo and prev.cls in ("proper", "foreign"):
                items[-1] = Span(prev.term + text[lo - base:hi - base], prev.cls, prev.start, hi)  # 코로나19
            else:
                items.append(Span(text[lo - base:hi - base], "number", lo, hi) if j > i + 1 else None)
            i = j
            continue
        if tag == "XPN" and i + 1 < n_tok and toks[i + 1].start == tok.end \
                and toks[i + 1].tag in _NOUN_CLS:
            prefix = tok.start  # 비+대면, 탈+원전: a bound prefix belongs to the noun it precedes
            i += 1
            continue
        prev = items[-1] if items else None
        glued = prev is not None and prev.end == tok.start and prev.cls != "number"
        if tag == "XSN" and glued and tok.form not in _LOOSE_SUFFIXES:
            items[-1] = _glue(prev, tok.end, text, base)  # 백지+화, 고령+층, 경제+적
            i += 1
            continue
        if (tag in ("VV", "VA") and i + 1 < n_tok and toks[i + 1].tag == "ETN"
                and toks[i + 1].form == "기" and toks[i + 1].start == tok.end and prev is not None
                and prev.cls != "number"
                and (glued or (tok.form in _SPACED_STEMS and text[prev.end - base:tok.start - base] == " "))):
            if glued:
                items[-1] = _glue(prev, toks[i + 1].end, text, base)  # 거리+두+기: one nominalised compound
            else:  # 거리 두기: the same word spaced; only a phrase part, never a term alone
                items.append(Span(text[tok.start - base:toks[i + 1].end - base], "verbal", tok.start, toks[i + 1].end))
            i += 2
            continue
        cls = _NOUN_CLS.get(tag)
        if cls is not None and " " in tok.form:
            # a dictionary name written in several words (신종 코로나바이러스 감염증): one unit per
            # word, so the run still yields the whole name as its phrase
            surface = text[tok.start - base:tok.end - base]
            items.extend(Span(m.group(), cls, tok.start + m.start(), tok.start + m.end())
                         for m in _WORD_RE.finditer(surface))
            prefix = None
            i += 1
            continue
        if cls is None or ((tok.form, tag) in _KIWI_STOP and prefix is None and not glued):
            items.append(None)
        else:
            lo = tok.start if prefix is None else prefix
            if glued:
                items[-1] = _glue(prev, tok.end, text, base)  # 전기+차, 시가+총액: one written word
            else:
                items.append(_new_span((text[lo - base:tok.end - base] if prefix is not None else tok.form, cls, lo,
                                        tok.end)))
        prefix = None
        i += 1
    return _group(items, text, base)


def _glue(prev: Span, end: int, text: str, base: int) -> Span:
    """`prev` extended to `end` within one written word: the compound's surface as written."""
    cls = "compound" if prev.cls != "compound" else prev.cls
    return _new_span((text[prev.start - base:end - base], cls, prev.start, end))


def _latin_item(word: str, lo: int, hi: int, english: bool) -> Span | None:
    if len(word) < 2 or word.isdigit():
        return None
    if not _is_acronym(word) and word.lower() in ENGLISH_STOPWORDS:
        return None
    if word[0].isdigit():
        return Span(word, "number", lo, hi)  # 5G, 3D
    return Span(_english_lemma(word) if english else word, "foreign", lo, hi)


def _group(items: list[Span | None], text: str, base: int) -> list[list[Span]]:
    runs: list[list[Span]] = []
    cur: list[Span] = []
    for it in items:
        # only whitespace (or nothing: glued, the common case) between the two units
        if it is not None and cur and (cur[-1].end >= it.start or text[cur[-1].end - base:it.start - base].isspace()):
            cur.append(it)
            continue
        if cur:
            runs.append(cur)
        cur = [it] if it is not None else []
    if cur:
        runs.append(cur)
    return runs


def phrase_term(run: list[Span], text: str, base: int) -> str:
    """The surface of a run with whitespace collapsed: a space where the text had one, none where
    it had none (`4차 산업혁명`, `4차산업혁명` are stored as written; the query layer treats spacing
    variants as one term, shown in its most frequent written form)."""
    return _WS_RE.sub(" ", text[run[0].start - base:run[-1].end - base])


_MAX_PHRASE = 4


def sentence_units(sent: Sent) -> list[Unit]:
    """Every content unit of a sentence, then one `phrase` unit per run of 2-4 units.

    Phrases are skipped in English sentences (no POS for English, so runs there are not phrases)
    and when the run is numbers only (`2016년 4명`). Memoised on the sentence like `content_runs`
    (the sentences table and term counts both read it; callers must not mutate the list).
    """
    return _memo(sent, "_units", lambda s: units_of_runs(content_runs(s), s))


def sentence_terms(sent: Sent) -> list[str]:
    """The sentences table's terms: the distinct terms of `sentence_units`, sorted."""
    return sorted({u.term for u in sentence_units(sent)})


# One-character terms a reader accepts on their own in a term list: the hanja abbreviations of
# countries used in headlines (美 FDA, 中 경제). Every other one-syllable unit (차, 주, 윤, 김,
# 당, 힘) is a fragment or a bare surname out of context: it stays inside compounds and phrases
# (전기차, 윤 대통령) but is never a term of its own. Latin words need two letters anyway.
ONE_CHAR_TERMS = frozenset("美 中 日 韓 北 英 獨 佛 露 印 濠 加 伊 獨 臺 台 EU".split())


# A date or clock time on its own (26일, 3월, 2021년, 9시, 30분) says when, not what: never a
# term of its own (it stays inside phrases: `3월 위기설`). Counts and ages stay (65세, 1호, 2만명).
_DATE_RE = re.compile(r"^[0-9]{1,4}(?:년|월|일|시|분|초)(?:께|쯤|경)?$")


def is_list_term(term: str) -> bool:
    """Whether a unit may stand alone as a term: not a single syllable (see ONE_CHAR_TERMS), not
    a bare date or time."""
    v = _LIST_TERM.get(term)
    if v is None:
        v = (len(term) > 1 or term in ONE_CHAR_TERMS) and not _DATE_RE.match(term)
        if len(_LIST_TERM) < 200_000:  # terms repeat: a bounded memo instead of a regex per unit
            _LIST_TERM[term] = v
    return v


_LIST_TERM: dict[str, bool] = {}
# Unit((term, cls)) without the NamedTuple's Python-level __new__ (a Span's first two fields are a
# Unit's): tens of thousands per batch
_new_unit = partial(tuple.__new__, Unit)


def units_of_runs(runs: list[list[Span]], sent: Sent, stop: frozenset[str] = frozenset()) -> list[Unit]:
    """`sentence_units` over chosen runs; units in `stop` are dropped and trimmed off phrase edges.

    A unit is a whole written word's noun compound (see `content_runs`); one-syllable units are
    kept only inside phrases, and neither they nor numbers end a phrase (`3월 초`, `현지 시각 27일`)."""
    english = _sent_is_english(sent)
    units: list[Unit] = []
    phrases: list[Unit] = []
    memo = _LIST_TERM
    unit = _new_unit
    for run in runs:
        if len(run) == 1:  # most runs: one unit, never a phrase
            sp = run[0]
            t = sp.term
            if t not in stop and sp.cls != "verbal" and (memo.get(t) or is_list_term(t)):
                units.append(unit(sp[:2]))
            continue
        units += [unit(sp[:2]) for sp in run
                  if sp.term not in stop and sp.cls != "verbal" and (memo.get(sp.term) or is_list_term(sp.term))]
        lo, hi = 0, len(run)
        while lo < hi and (run[lo].term in stop or _DATE_RE.match(run[lo].term)):
            lo += 1  # nor does a phrase start with a date (`26일 오전 9시 접종`)
        while hi > lo and (run[hi - 1].term in stop or not is_list_term(run[hi - 1].term)
                           or run[hi - 1].cls == "number"):
            hi -= 1  # a date or count at the right edge says when, not what (`현지 시각 27일`)
        core = run[lo:hi]
        if not english and 2 <= len(core) <= _MAX_PHRASE and any(sp.cls not in ("number", "verbal") for sp in core):
            phrases.append(Unit(phrase_term(core, sent.text, sent.start), "phrase"))
    return units + phrases
