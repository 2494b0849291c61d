"""The recognizer: Kiwi tokens -> features -> character CRF -> spans -> names (`extract`).

Pipeline of `EntityRecognizer.extract`: Kiwi tokens (shared pass, or our own) -> per-character
features (`features`) -> character CRF (python-crfsuite, model in `analytics/models/ner/`) ->
BIOES spans -> narrowed to the name (`spans`) -> curated lexicon types and back-off.
A character model is used because Korean names fuse with particles (`도요타자동차의`) and Kiwi's
morpheme edges are right for most but not all names; the CRF decides the edges, Kiwi only hints.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from analytics.nlp.entities.base import MODEL_DIR, TYPES, Entity, Morph
from analytics.nlp.entities.fastcrf import FastCRF
from analytics.nlp.entities.features import featurize, load_cong_types, token_spans
from analytics.nlp.entities.gazetteer import load_gazetteer, load_lexicon
from analytics.nlp.entities.matching import lengths_of, matches_at
from analytics.nlp.entities.namelike import load_namelike
from analytics.nlp.entities.neighbours import table as neighbour_table
from analytics.nlp.entities.repair import (
    company_not_product,
    extend_cut_name,
    inside_code,
    place_before_clause_noun,
    place_then_person,
    unknown_only,
)
from analytics.nlp.entities.spans import (
    _KOREAN_FULL_NAME,
    _SURNAME_CHARS,
    bio_to_spans,
    canonical_span,
    not_a_name,
    split_glued,
    whole_name_start,
)
from analytics.nlp.entities.spantype import (
    Feature,
    SpanTyper,
    candidate_spans,
    label_matrix,
    sentence_rows,
)
from analytics.nlp.entities.unknown import unknown_ranges
from analytics.nlp.keyindex import KeyIndex

_GATE_TAGS = frozenset({"NNP", "SL", "SH", "NR"})
_HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")


def _reads_as_person(piece: str, known: dict[str, str]) -> bool:
    words = piece.split(" ")
    return any(known.get(w) == "PS" for w in words) or (
        len(words) >= 2 and all(_HANGUL_NAME.match(w) and known.get(w) not in ("OG", "LC", "O") for w in words))


def _one_common_noun(text: str, start: int, end: int, morphs: Sequence[Morph]) -> bool:
    """Kiwi reads `text[start:end]` as exactly one short common noun (`접종`; not `중앙접종센터`)."""
    inside = [(s, e, tag) for s, e, tag, _f in morphs if start <= s and e <= end]
    return len(inside) == 1 and inside[0] == (start, end, "NNG") and end - start <= 3


def _unit_or_compound_noun(text: str, start: int, end: int, morphs: Sequence[Morph]) -> bool:
    """A one-word 'person' that is a unit after a number (`150만 도스`, `11만7천 도스`) or that Kiwi
    reads as two or more common nouns of 2+ characters (`귀뚜라미|보일러`): no person's name."""
    if " " in text[start:end]:
        return False
    inside = [(e - s, tag) for s, e, tag, _f in morphs if start <= s and e <= end]
    before = [tag for s, e, tag, _f in morphs if e <= start and text[e:start] in ("", " ")]
    word = text[start:end]
    if before and before[-1] in ("SN", "NR") and not (_KOREAN_FULL_NAME.match(word) and word[0] in _SURNAME_CHARS):
        return True
    return (len(inside) >= 2 and sum(n for n, _t in inside) == end - start
            and all(t == "NNG" and n >= 2 for n, t in inside))


def _get_kiwi() -> Any:
    try:
        from analytics.nlp.tokenize import get_kiwi  # the shared per-process Kiwi
    except ImportError:
        return _own_kiwi()
    return get_kiwi()


@lru_cache(maxsize=1)
def _own_kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def _shift_of(text: str, tokens: Sequence[Any]) -> int:
    """Tokens from `tokenize.split_sentences` are article-relative; re-base them on the text."""
    if not tokens:
        return 0
    lead = len(text) - len(text.lstrip())
    return max(0, tokens[0].start - lead)


class EntityRecognizer:
    """Character CRF over Kiwi + gazetteer features; one instance is shared per process."""

    def __init__(self, model_dir: Path = MODEL_DIR, gate: bool = False, fast: bool = True) -> None:
        """`gate`: skip the CRF on sentences without name evidence (`_may_hold_entity`); off by
        default: it saves ~7 % of the recognizer's time on news but loses real names there.
        `fast`: `extract` scores and decodes with `fastcrf` (the model's weights in numpy, no
        feature strings; the same labels as crfsuite); off = crfsuite's `Tagger`, the reference."""
        self.gate = gate
        self.fast = fast
        import pycrfsuite

        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self.features = frozenset(meta["features"])
        self.trained_on_all = meta.get("training") == "all"  # no unseen KLUE dev sentences left
        self.gazetteer = (load_gazetteer(model_dir / meta["gazetteer"], ambiguous="gazdist" in self.features)
                          if "gazetteer" in self.features else {})
        self._model_path = str(model_dir / meta["model"])
        lexicon = model_dir / meta.get("lexicon", "lexicon.tsv")
        self.lexicon = load_lexicon(lexicon) if lexicon.exists() else {}
        self._lex_max = max(map(len, self.lexicon), default=0)
        # whole-word types for splitting glued spans: typed gazetteer forms, the lexicon on top
        # (its O entries mark words that are no name: `미국 정부` -> 미국)
        self.known = {f: lab[:2] for f, lab in self.gazetteer.items() if lab[:2] in TYPES}
        self.known.update(self.lexicon)
        self.cong = (load_cong_types(model_dir / meta.get("cong", "cong_types.tsv"))
                     if "cong" in self.features else None)
        self.namelike = (load_namelike(model_dir / meta.get("namelike", "namelike.tsv"))
                         if "namelike" in self.features else None)
        self._local = threading.local()  # crfsuite taggers are not thread-safe
        self._pycrfsuite = pycrfsuite
        self._fastcrf: FastCRF | None = None
        self._fast_lock = threading.Lock()  # FastCRF's caches are not thread-safe either
        # round 10: the span re-typer (`spantype`), when the model folder has one
        typer = model_dir / meta.get("spantype", "spantype.tsv")
        self.spantyper = SpanTyper.read(typer) if meta.get("spantype") and typer.exists() else None
        self._label_mat: np.ndarray | None = None

    def _fast(self) -> FastCRF | None:
        """The numpy tagger, built on first use (~0.6 s: the model file read once per process);
        None when the model uses a feature set `fastcrf` does not reproduce."""
        if self._fastcrf is None:
            fc = FastCRF(self._model_path, self.features, self.gazetteer, self.cong, self.namelike)
            self._fastcrf = fc if fc.supports else False  # type: ignore[assignment]
        return self._fastcrf or None

    def _tagger(self) -> Any:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._pycrfsuite.Tagger()
            tagger.open(self._model_path)
            self._local.tagger = tagger
        return tagger

    def tag(self, text: str, tokens: Sequence[Any] | None, shift: int = 0,
            spans: list[Morph] | None = None) -> list[str]:
        """BIO label per character (used by training/eval as well as `extract`)."""
        if not text:
            return []
        return self._tagger().tag(featurize(text, tokens, self.gazetteer, self.features, shift, spans, self.cong,
                                           self.namelike))

    def tag_many(self, texts: Sequence[str], tokens: Sequence[Sequence[Any] | None],
                 spans: Sequence[list[Morph]] | None = None,
                 marginals_out: list[np.ndarray | None] | None = None) -> list[list[str]]:
        """`tag` of many sentences at once: one batched score and Viterbi (`fastcrf`) when `fast`,
        else crfsuite sentence by sentence; the labels are the same. `marginals_out`: filled with
        each sentence's (characters, labels) marginals, columns in `self.crf_labels()` order."""
        if spans is None:
            spans = [token_spans(t, len(x), _shift_of(x, t)) if t is not None else None
                     for x, t in zip(texts, tokens, strict=True)]
        fc = self._fast() if self.fast else None
        if fc is None:
            out = [self.tag(x, t, _shift_of(x, t) if t is not None else 0, sp)
                   for x, t, sp in zip(texts, tokens, spans, strict=True)]
            if marginals_out is not None:
                tagger, labels = self._tagger(), self.crf_labels()
                for k, (x, t, sp) in enumerate(zip(texts, tokens, spans, strict=True)):
                    if x:
                        tagger.set(featurize(x, t, self.gazetteer, self.features, _shift_of(x, t) if t is not None else 0,
                                             sp, self.cong, self.namelike))
                        marginals_out[k] = np.array([[tagger.marginal(lab, i) for lab in labels] for i in range(len(x))])
            return out
        shifts = [_shift_of(x, t) if t else 0 for x, t in zip(texts, tokens, strict=True)] if fc.oov else None
        with self._fast_lock:
            return fc.tag_many(texts, [sp if t is not None else None for t, sp in zip(tokens, spans, strict=True)],
                               tokens if fc.oov else None, shifts, marginals_out)

    def crf_labels(self) -> list[str]:
        """The CRF's labels in the order of `fastcrf`'s columns (the model file's label table)."""
        fc = self._fast() if self.fast else None
        if fc is not None:
            return list(fc.labels)
        labels = getattr(self, "_crf_labels", None)
        if labels is None:
            from analytics.nlp.entities.fastcrf import read_weights

            labels = self._crf_labels = read_weights(self._model_path)[0]
        return labels

    def extract(
        self, texts: Sequence[str], tokens: Sequence[list] | None = None,
        span_rows: list[list[tuple[Entity, list[Feature]]]] | None = None, retype: bool = True,
    ) -> list[list[Entity]]:
        """Entities per text; pass the Kiwi tokens of each text to avoid a second Kiwi pass.
        With a span re-typer (`spantype`, round 10) and `retype`, each entity's type is read again
        from the whole span. `span_rows`: filled with each text's (entity, span features) before
        that stage (what the re-typer is trained on, `ner_train`)."""
        if tokens is None:
            tokens = list(_get_kiwi().tokenize(list(texts))) if texts else []
        out: list[list[Entity]] = []
        all_morphs = [token_spans(toks, len(text), _shift_of(text, toks)) for text, toks in zip(texts, tokens, strict=True)]
        todo = [k for k, (text, toks) in enumerate(zip(texts, tokens, strict=True))
                if not self.gate or self._may_hold_entity(text, toks)]
        typer = self.spantyper if retype else None
        want_rows = typer is not None or span_rows is not None
        marg_todo: list[np.ndarray | None] | None = [None] * len(todo) if want_rows else None
        all_labels: list[list[str]] = [[] for _ in texts]
        all_marg: list[np.ndarray | None] = [None] * len(texts)
        for j, (k, lab) in enumerate(zip(todo, self.tag_many([texts[k] for k in todo], [tokens[k] for k in todo],
                                                             [all_morphs[k] for k in todo], marg_todo), strict=True)):
            all_labels[k] = lab
            if marg_todo is not None:
                all_marg[k] = marg_todo[j]
        if want_rows and self._label_mat is None:
            self._label_mat = label_matrix(self.crf_labels())
        neighbours = neighbour_table() if want_rows else None
        lex = self.lexicon
        starts = self._backoff_starts(texts)
        starts_of = iter(starts) if starts is not None else None
        for text, toks, morphs, labels, marg in zip(texts, tokens, all_morphs, all_labels, all_marg, strict=True):
            ents = []
            o_morphs = None  # the sentence's morphemes the lexicon marks as no name: all `_drop_common_words` reads
            unknown = None  # Kiwi-unknown noun ranges (`repair.unknown_only`), found on first need
            for s0, e0, typ0 in place_then_person(text, bio_to_spans(labels)):  # `텍사스주 오스틴` (round 8)
                s0 = whole_name_start(s0, e0, typ0, morphs)
                e0 = extend_cut_name(text, s0, e0, typ0, morphs)  # `최윤|호` -> 최윤호 (ner-accuracy, round 8)
                cs0, ce0 = canonical_span(text, s0, e0, typ0, morphs)
                if inside_code(text, cs0):  # `GMP` of `E-GMP` (round 8)
                    continue
                if typ0 == "LC" and " " in text[cs0:ce0]:  # `경남 거제 상륙…` -> 경남 거제 (round 8)
                    ce0 = place_before_clause_noun(text, cs0, ce0, typ0, self.known, morphs)
                if typ0 == "OG" and " " in text[cs0:ce0]:  # `현대차 코나 일렉트릭` -> 현대차 (round 8)
                    if unknown is None:
                        unknown = unknown_ranges(toks, len(text), _shift_of(text, toks))
                    ce0 = company_not_product(text, cs0, ce0, typ0, self.known, self.namelike, morphs, unknown)
                # a person span glued to an organisation (`일론 머스크 테슬라`) is split here; other
                # glued spans only when counting (KLUE keeps `경북 울진군` whole: -0.0015 F1 here)
                pieces = [q for ps, pe, pt in self._around_non_names(text, cs0, ce0, typ0, morphs)
                          for q in (split_glued(text, ps, pe, pt, self.known, places=False) if pt == "PS"
                                    else [(ps, pe, pt)])]
                for s, e, typ in pieces:
                    cs, ce = canonical_span(text, s, e, typ, morphs) if (s, e) != (cs0, ce0) else (s, e)
                    if o_morphs is None:
                        o_morphs = [m for m in morphs if lex.get(m[3]) == "O"]
                    cs, ce = self._drop_common_words(text, cs, ce, o_morphs)
                    canonical = " ".join(text[cs:ce].split())
                    typ = self.lexicon.get(canonical, typ)
                    if typ == "PS" and _unit_or_compound_noun(text, cs, ce, morphs):
                        continue
                    if typ in ("OG", "LC"):  # round 8: no organisation/place of Kiwi-unknown nouns alone
                        if unknown is None:
                            unknown = unknown_ranges(toks, len(text), _shift_of(text, toks))
                        if unknown_only(text, cs, ce, typ, unknown, self.gazetteer, self.lexicon):
                            continue
                    if ce > cs and typ != "O" and not not_a_name(text, cs, canonical, typ):
                        ents.append(Entity(typ, text[cs:ce], cs, ce, canonical))
            ents = self._lexicon_backoff(text, morphs, ents, next(starts_of) if starts_of is not None else None)
            ents = sorted(ents, key=lambda x: x.start)
            if want_rows:
                rows = sentence_rows(text, ents, morphs, marg, self._label_mat, self.gazetteer, self.lexicon,
                                     self.namelike, neighbours)
                cands: list[Entity] = []
                if marg is not None and (span_rows is not None or (typer is not None and typer.candidates)):
                    cands = [Entity(t, text[a:b], a, b, " ".join(text[a:b].split()))
                             for a, b, t in candidate_spans(text, marg, self._label_mat, ents, morphs)]
                c_rows = [[("c:" + n, v) for n, v in r] for r in sentence_rows(
                    text, cands, morphs, marg, self._label_mat, self.gazetteer, self.lexicon, self.namelike, neighbours)]
                if span_rows is not None:
                    span_rows.append([(e, r, False) for e, r in zip(ents, rows, strict=True)]
                                     + [(e, r, True) for e, r in zip(cands, c_rows, strict=True)])
                if typer is not None and ents:
                    ents = typer.decide(ents, typer.probabilities(rows), self.lexicon)
                if typer is not None and typer.candidates and cands:
                    ents = sorted(ents + typer.decide(cands, typer.probabilities(c_rows), self.lexicon, add=True),
                                  key=lambda x: x.start)
            out.append(ents)
        return out

    def _backoff_starts(self, texts: Sequence[str]) -> list[list[int]] | None:
        """The lexicon back-off's candidate starts of every text at once (what its regex and
        two-char test keep: a char not right after a letter or digit whose two chars begin some
        form of 2+ chars), from the batch's code points: most sentences have none and skip the
        per-char scan. None without the fast tagger (its char tables) or a lexicon."""
        fc = self._fast() if self.fast else None
        if fc is None or not self.lexicon or not texts:
            return None
        pre2 = self._lexicon_prefixes(lengths_of(self.lexicon))
        cached = getattr(self, "_pre2_index", None)
        if cached is None or cached[0] is not pre2:
            codes = np.array(sorted((ord(f[0]) << 21) | ord(f[1]) for f in pre2), dtype=np.int64)
            cached = self._pre2_index = (pre2, KeyIndex(codes, np.ones(len(codes), dtype=np.int64)) if len(codes) else None)
        index = cached[1]
        if index is None:
            return [[] for _ in texts]
        big = "\x00" + "\x00".join(texts)  # \x00: no letter or digit, in no form
        cps = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        alnum = fc._classes(cps)[1]
        pair = (cps[:-1] << 21) | cps[1:]  # pair[p] = big[p:p + 2]
        after_alnum = np.zeros(len(pair), dtype=bool)
        after_alnum[1:] = alnum[:len(pair) - 1]
        at = np.flatnonzero(index.get(pair, 0).astype(bool) & ~after_alnum)
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        off = np.cumsum(lens + 1) - lens  # each text's first char in `big`
        k = np.searchsorted(off, at, side="right") - 1
        local = at - off[k]
        bounds = np.searchsorted(k, np.arange(len(texts) + 1))
        flat = local.tolist()
        return [flat[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]

    def _around_non_names(self, text: str, start: int, end: int, typ: str, morphs: list[Morph] = ()  # type: ignore[assignment]
                          ) -> list[tuple[int, int, str]]:
        """A span with a non-name word inside (`테슬라 CEO 일론 머스크`) -> the pieces around it,
        each typed by the lexicon/gazetteer, as a person if it reads as one, else as the span; an
        unknown piece that Kiwi reads as one common noun is dropped (`코로나19 백신 접종` -> none)."""
        words, i = [], start
        for w in text[start:end].split(" "):
            words.append((i, i + len(w)))
            i += len(w) + 1
        inner = [k for k, (a, b) in enumerate(words[1:-1], start=1) if self.lexicon.get(text[a:b]) == "O"]
        if not inner:
            return [(start, end, typ)]
        out, k0 = [], 0
        for k in [*inner, len(words)]:
            if k > k0:
                a, b = words[k0][0], words[k - 1][1]
                piece = text[a:b]
                kind = self.known.get(piece)
                if kind in TYPES:
                    out.append((a, b, kind))
                elif _reads_as_person(piece, self.known):
                    out.append((a, b, "PS"))
                elif not _one_common_noun(text, a, b, morphs):
                    out.append((a, b, typ))
            k0 = k + 1
        return out

    def _may_hold_entity(self, text: str, tokens: Sequence[Any] | None) -> bool:
        """Cheap gate before the CRF (used with `gate=True`): a sentence with no proper noun,
        foreign/hanja word or numeral, no noun/root Kiwi read whose form (or first two chars) is a
        gazetteer or lexicon form, and no word starting with a 2-4 char gazetteer form.
        Off by default since 2026-12-01: on KLUE 5-fold it cost 0.002 F1, and on the BIG Kinds
        export it dropped 10 sentences' organisations (`중앙예방접종센터`, `교육당국`) for 7 % speed."""
        if tokens is None:
            return True
        gaz, lex = self.gazetteer, self.lexicon
        for t in tokens:
            tag = t.tag
            if tag in _GATE_TAGS:
                return True
            if tag.startswith(("NN", "XR")):
                form = t.form
                if form in gaz or form in lex or form[:2] in gaz:
                    return True
        return any(w[:k] in gaz for w in text.split() for k in (2, 3, 4))

    def _drop_common_words(self, text: str, start: int, end: int, morphs: list[Morph] = ()) -> tuple[int, int]:  # type: ignore[assignment]
        """`아스트라제네카 백신` -> `아스트라제네카`; a span holding another O word is no name at all,
        nor is a span cut out of one (`이노베` inside the morpheme `이노베이션`)."""
        for s, e, _tag, form in morphs:
            if s <= start < e and (e > end or s < start) and self.lexicon.get(form) == "O":
                return start, start
        words = text[start:end].split(" ")
        while len(words) > 1 and self.lexicon.get(words[-1]) == "O":
            words.pop()
        if len(words) > 1 and any(self.lexicon.get(w) == "O" for w in words):
            return start, start
        return start, start + len(" ".join(words))

    def _lexicon_backoff(
        self, text: str, morphs: list[Morph], found: list[Entity], candidates: list[int] | None = None
    ) -> list[Entity]:
        """Add curated names standing as a whole word (particles allowed) that the CRF missed or
        cut short (`사카` inside `사카나AI`); CRF spans only partly inside such a name win.
        `candidates`: the starts `_backoff_starts` found for this text (else found here)."""
        if not self.lexicon:
            return found
        if candidates is not None and not candidates:
            return list(found)
        lex = self.lexicon
        index = lengths_of(lex)
        starts = self._lexicon_starts(index)
        next_tag: dict[int, str] | None = None
        out = list(found)
        n, s = len(text), 0
        # candidate starts: a char some form begins with, not right after a letter or digit (the
        # regex class is `index`'s keys; `[^\W_]` is exactly `str.isalnum`)
        pre2 = self._lexicon_prefixes(index)
        for c in (m.start() for m in starts.finditer(text)) if candidates is None else candidates:
            if c < s or candidates is None and text[c:c + 2] not in pre2:  # no form begins with these two chars
                continue
            hit = None
            for ln, typ in matches_at(text, c, lex, self._lex_max):  # longest first, 2+ chars
                e = c + ln
                if next_tag is None:  # built only for the few sentences where a form matches
                    next_tag = dict(zip(map(itemgetter(0), morphs), map(itemgetter(2), morphs), strict=True))
                tag = next_tag.get(e, "")
                if typ in TYPES and (e == n or not text[e].isalnum() or tag.startswith("J") or tag in ("XSN", "VCP")):
                    hit = Entity(typ, text[c:e], c, e, text[c:e])
                    break
            if hit is None:
                continue
            overlap = [x for x in out if x.start < hit.end and hit.start < x.end]
            if all(hit.start <= x.start and x.end <= hit.end for x in overlap) and hit not in overlap:
                out = [x for x in out if x not in overlap] + [hit]
            s = hit.end
        return out

    def _lexicon_prefixes(self, index: dict[str, tuple[int, ...]]) -> frozenset[str]:
        """The first two characters of every lexicon form (all matches are 2+ characters): most
        candidate starts (~70 % on news) fail this one set look-up before any slicing per length."""
        cached = getattr(self, "_pre2", None)
        if cached is None or cached[0] is not index:
            cached = self._pre2 = (index, frozenset(f[:2] for f in self.lexicon if len(f) >= 2))
        return cached[1]

    def _lexicon_starts(self, index: dict[str, tuple[int, ...]]) -> re.Pattern[str]:
        """One regex finding the lexicon back-off's candidate starts (rebuilt if the index changed)."""
        cached = getattr(self, "_starts_re", None)
        if cached is None or cached[0] is not index:
            chars = "".join(re.escape(c) for c in sorted(index))
            cached = self._starts_re = (index, re.compile(f"(?<![^\\W_])[{chars}]" if chars else r"(?!)"))
        return cached[1]


@lru_cache(maxsize=1)
def load_recognizer() -> EntityRecognizer:
    """The shipped recognizer, loaded once per process."""
    return EntityRecognizer()
