"""A second stage on the CRF's spans: a small classifier re-types (or drops) each span.

The character CRF sees ±2 characters and the heads of the neighbouring words; whether `미국` is the
country (LC) or its government (OG), whether a review's `장혁이` is a person, is often read off the
whole span: the CRF's own probability of each type over it (`viterbi.marginals`), its form in the
gazetteer, its last morpheme and the particle or word after it. For every span the pipeline gives
(`EntityRecognizer.extract`, before this stage) `span_features` lists such features, and a
multinomial logistic regression over PS / OG / LC / NONE (NONE: no gold mention has exactly this
span) says which it is. The span keeps its place; its type becomes the most probable of PS/OG/LC,
and it is dropped when even that one is less likely than `drop_below`; spans the CRF half believed
in but did not output (`candidate_spans`) are added at `add_above` (round 10 of docs/method/entities.md:
measured nested on KLUE 5-fold, 0.7831 -> 0.7849 with two folds down; not shipped, so the shipped model
folder has no `spantype.tsv` and `extract` computes none of this).

Trained on spans the CRF tagged *without* having seen their sentences (cross-fitted: the k-fold
models' predictions, `ner_train`), so it learns how the CRF errs on new text, not on its training
data. The artefact `spantype.tsv` is one row per feature (its four weights); inference is a sparse
product in numpy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analytics.nlp.entities.base import TYPES, Entity, Morph, ctype

CLASSES = (*TYPES, "NONE")
CANDIDATE_MASS = 0.3  # a run of characters at least this likely inside some entity is a candidate
Feature = tuple[str, float]
_PARTICLE_TAGS = ("J", "E", "X", "V")  # particles, endings, affixes, copula/verbs: the form is kept


def label_columns(labels: Sequence[str]) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]], int]:
    """Columns of a BIOES/BIO label list: per type all its labels, its span-start labels (B, S) and
    its span-end labels (E, S; with BIO also B and I, which can end a span); and the O column."""
    inside: dict[str, list[int]] = {t: [] for t in TYPES}
    first: dict[str, list[int]] = {t: [] for t in TYPES}
    last: dict[str, list[int]] = {t: [] for t in TYPES}
    bioes = any(lab[:2] in ("E-", "S-") for lab in labels)
    o = -1
    for k, lab in enumerate(labels):
        if lab == "O":
            o = k
            continue
        pos, _, t = lab.partition("-")
        if t not in inside:
            continue
        inside[t].append(k)
        if pos in ("B", "S"):
            first[t].append(k)
        if pos in ("E", "S") or not bioes:
            last[t].append(k)
    return inside, first, last, o


_BINS = tuple(f"={k}" for k in range(5))  # a probability p in [0, 1] -> _BINS[int(p * 4.999)]
_CONTENT = ("NNG", "NNP", "VV", "VA", "SL", "SH")


def _near(form: str, tag: str) -> str:
    return f"{tag}/{form}" if tag.startswith(_PARTICLE_TAGS) or len(form) <= 2 else f"{tag}/_{form[-2:]}"


def label_matrix(labels: Sequence[str]) -> np.ndarray:
    """(labels, 4 + 3 + 3): which CRF labels make each type's mass PS/OG/LC/O, its span-start mass
    (B, S) and its span-end mass (E, S; with BIO any label of the type can end a span)."""
    inside, first, last, o = label_columns(labels)
    a = np.zeros((len(labels), 10))
    for k, t in enumerate(TYPES):
        a[inside[t], k] = 1.0
        a[first[t], 4 + k] = 1.0
        a[last[t], 7 + k] = 1.0
    if o >= 0:
        a[o, 3] = 1.0
    return a


def sentence_rows(text: str, ents: Sequence[Entity], morphs: Sequence[Morph], marg: np.ndarray | None,
                  lmat: np.ndarray | None, gazetteer: Mapping[str, str], lexicon: Mapping[str, str],
                  namelike: Any = None, neighbours: Mapping[str, str] | None = None) -> list[list[Feature]]:
    """`span_features` of every entity of one sentence (the CRF marginals summed once per sentence)."""
    if not ents:
        return []
    stats = None
    if marg is not None and lmat is not None and len(marg):
        mass = marg @ lmat  # (chars, 10)
        csum = np.zeros((len(mass) + 1, 4))
        np.cumsum(mass[:, :4], axis=0, out=csum[1:])
        st = np.array([e.start for e in ents])
        en = np.array([e.end for e in ents])
        mean = (csum[en] - csum[st]) / np.maximum(en - st, 1)[:, None]
        low = np.minimum(mass[st, 4:7], mass[np.maximum(en - 1, 0), 7:10])
        o_before = np.where(st > 0, mass[np.maximum(st - 1, 0), 3], 1.0)
        o_after = np.where(en < len(mass), mass[np.minimum(en, len(mass) - 1), 3], 1.0)
        stats = np.hstack([mean, low, o_before[:, None], o_after[:, None]]).clip(0.0, 1.0).tolist()
    m_starts = [m[0] for m in morphs]
    m_ends = [m[1] for m in morphs]
    return [span_features(text, e.start, e.end, e.type, e.canonical, morphs, m_starts, m_ends,
                          stats[k] if stats is not None else None, gazetteer, lexicon, namelike, neighbours)
            for k, e in enumerate(ents)]


def candidate_spans(text: str, marg: np.ndarray, lmat: np.ndarray, ents: Sequence[Entity], morphs: list[Morph],
                    min_mass: float | None = None) -> list[tuple[int, int, str]]:
    """Spans the CRF half believed in but did not output: maximal runs of characters outside every
    entity whose probability of being in some entity is at least `min_mass`, typed by their most
    probable type, narrowed as the pipeline narrows a span (`spans.canonical_span`)."""
    from analytics.nlp.entities.spans import canonical_span

    mass = marg @ lmat[:, :4]
    ne = 1.0 - mass[:, 3]
    on = ne >= (CANDIDATE_MASS if min_mass is None else min_mass)
    for e in ents:
        on[e.start:e.end] = False
    if not on.any():
        return []
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
    for a, b in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        typ = TYPES[int(np.argmax(mass[a:b, :3].sum(axis=0)))]
        cs, ce = canonical_span(text, a, b, typ, morphs)
        if ce > cs and text[cs:ce].strip():
            out.append((cs, ce, typ))
    return out


def span_features(text: str, start: int, end: int, typ: str, canonical: str, morphs: Sequence[Morph],
                  m_starts: Sequence[int], m_ends: Sequence[int], stats: Sequence[float] | None,
                  gazetteer: Mapping[str, str], lexicon: Mapping[str, str], namelike: Any = None,
                  neighbours: Mapping[str, str] | None = None) -> list[Feature]:
    """The features of one span `text[start:end]` of type `typ` (the pipeline's), as (name, value).
    `stats`: the CRF's mean PS/OG/LC/O probability over the span, the lower of (the first char's
    start, the last char's end) probability per type, O before and after."""
    f: list[Feature] = [("b", 1.0), ("t=" + typ, 1.0)]
    add = f.append
    if stats is not None:
        for k, t in enumerate(TYPES):
            m_in = stats[k]
            b = _BINS[int(m_in * 4.999)]
            add(("m" + t, m_in))
            add(("m" + t + b, 1.0))
            add(("t=" + typ + "|m" + t + b, 1.0))
            add(("n" + t + _BINS[int(stats[4 + k] * 4.999)], 1.0))
        add(("mO", stats[3]))
        add(("mO" + _BINS[int(stats[3] * 4.999)], 1.0))
        add(("ob" + _BINS[int(stats[7] * 4.999)], 1.0))
        add(("oa" + _BINS[int(stats[8] * 4.999)], 1.0))
    g = gazetteer.get(canonical, "")
    gt = g[:3].rstrip("/") if g else "-"
    add(("g=" + gt, 1.0))
    add((f"t={typ}|g={gt}", 1.0))
    if g and "|" in g:
        for part in g.partition("|")[2].split(","):
            t, _, v = part.partition(":")
            if t in TYPES and v:
                add(("gs" + t, float(v)))
    words = canonical.split(" ")
    if len(words) > 1:
        add(("gl=" + (gazetteer.get(words[-1], "")[:2] or "-"), 1.0))
        add(("gf=" + (gazetteer.get(words[0], "")[:2] or "-"), 1.0))
    add(("lx=" + lexicon.get(canonical, "-"), 1.0))
    add(("f=" + canonical, 1.0))
    add(("s1=" + canonical[-1:], 1.0))
    add(("s2=" + canonical[-2:], 1.0))
    add((f"t={typ}|s1={canonical[-1:]}", 1.0))
    add((f"len={min(len(canonical), 8)}", 1.0))
    add((f"nw={min(len(words), 3)}", 1.0))
    add(("sc=" + "".join(sorted({"A" if c in "UL" else c for c in map(ctype, canonical) if c != "S"})), 1.0))
    lo = bisect_left(m_starts, start)  # first morpheme starting at or after the span
    hi = bisect_left(m_starts, end)  # first morpheme starting at or after its end
    inner = [m for m in morphs[lo:hi] if m[1] <= end]
    if inner:
        add((f"lm={inner[-1][2]}/{inner[-1][3]}", 1.0))
        add(("lt=" + inner[-1][2], 1.0))
        add(("ft=" + inner[0][2], 1.0))
        add(("ts=" + "+".join(m[2] for m in inner[-3:]), 1.0))
    else:
        add(("lt=-", 1.0))
    if hi >= len(morphs):
        add(("nx=EOS", 1.0))
    else:
        nxt = morphs[hi]
        glued = nxt[0] == end
        key = "nx=" if glued else "nxw="
        add((key + _near(nxt[3], nxt[2]), 1.0))
        add((key + nxt[2], 1.0))
        add((f"t={typ}|{key}{nxt[2]}", 1.0))
        if hi + 1 < len(morphs):
            after = morphs[hi + 1]
            add(("nx2=" + ("" if after[0] == nxt[1] else "_") + _near(after[3], after[2]), 1.0))
        # the next content word and the next predicate of the sentence (`미국이 … 주장했다`)
        c = next((m for m in morphs[hi:hi + 6] if m[2] in _CONTENT), None)
        if c is not None:
            add(("nc=" + c[3], 1.0))
        v = next((m for m in morphs[hi:] if m[2] in ("VV", "VA")), None)
        add(("vv=" + (v[3] if v is not None else "-"), 1.0))
    p_end = bisect_right(m_ends, start)  # morphemes ending at or before the span's start
    if p_end == 0:
        add(("pv=BOS", 1.0))
    else:
        prv = morphs[p_end - 1]
        key = "pv=" if prv[1] == start else "pvw="
        add((key + _near(prv[3], prv[2]), 1.0))
        add((key + prv[2], 1.0))
        c = next((m for m in reversed(morphs[max(0, p_end - 4):p_end]) if m[2] in _CONTENT), None)
        if c is not None:
            add(("pc=" + c[3], 1.0))
    if namelike is not None:
        for x in namelike.features(canonical):
            add(("nl:" + x, 1.0))
    if neighbours is not None:
        add(("cg=" + neighbours.get(canonical, "-"), 1.0))
    return f


class SpanTyper:
    """The trained classifier: weights per feature name for CLASSES, and the drop threshold."""

    def __init__(self, weights: dict[str, np.ndarray], intercept: np.ndarray, drop_below: float = 0.0,
                 keep_lexicon: bool = True, add_above: float | None = None) -> None:
        self.names = list(weights)
        self.index = {n: k for k, n in enumerate(self.names)}
        self.matrix = np.array([weights[n] for n in self.names], dtype=np.float64).reshape(len(self.names), len(CLASSES))
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.drop_below = drop_below
        self.keep_lexicon = keep_lexicon  # forms of the curated lexicon keep their type
        self.add_above = add_above  # candidate spans (`candidate_spans`) this likely are added; None: none

    def probabilities(self, rows: Sequence[Sequence[Feature]]) -> np.ndarray:
        """P(class) per row (rows x CLASSES); unknown feature names add nothing."""
        if not rows:
            return np.zeros((0, len(CLASSES)))
        index = self.index
        ids: list[int] = []
        vals: list[float] = []
        seg = np.zeros(len(rows) + 1, dtype=np.int64)
        for r, row in enumerate(rows):
            for name, v in row:
                k = index.get(name)
                if k is not None:
                    ids.append(k)
                    vals.append(v)
            seg[r + 1] = len(ids)
        scores = np.tile(self.intercept, (len(rows), 1))
        if ids:
            contrib = self.matrix[np.asarray(ids)] * np.asarray(vals)[:, None]
            csum = np.concatenate([np.zeros((1, len(CLASSES))), np.cumsum(contrib, axis=0)])
            scores += csum[seg[1:]] - csum[seg[:-1]]
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    @property
    def candidates(self) -> bool:
        return self.add_above is not None

    def decide(self, ents: Sequence[Entity], probs: np.ndarray, lexicon: Mapping[str, str],
               add: bool = False) -> list[Entity]:
        """Each entity re-typed to its most probable type, or dropped below `drop_below`; with `add`
        (candidate spans) kept only at `add_above` or more."""
        out = []
        floor = (self.add_above if self.add_above is not None else 2.0) if add else self.drop_below
        for e, p in zip(ents, probs, strict=True):
            if self.keep_lexicon and e.canonical in lexicon:
                if not add:
                    out.append(e)
                continue
            k = int(np.argmax(p[:len(TYPES)]))
            if p[k] < floor:
                continue
            t = TYPES[k]
            out.append(e if t == e.type else Entity(t, e.text, e.start, e.end, e.canonical))
        return out

    # --- artefact --------------------------------------------------------------------------------
    def write(self, path: Path, note: str = "") -> None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("# span re-typer (entities/spantype.py): feature<TAB>weights for " + " ".join(CLASSES)
                     + (f"; {note}" if note else "") + "\n")
            fh.write(f"#drop_below\t{self.drop_below}\n#keep_lexicon\t{int(self.keep_lexicon)}\n")
            if self.add_above is not None:
                fh.write(f"#add_above\t{self.add_above}\n")
            fh.write("#intercept\t" + "\t".join(f"{v:.6g}" for v in self.intercept) + "\n")
            for name, row in zip(self.names, self.matrix, strict=True):
                fh.write(name.replace("\t", " ").replace("\n", " ") + "\t" + "\t".join(f"{v:.4g}" for v in row) + "\n")

    @classmethod
    def read(cls, path: Path) -> SpanTyper:
        weights: dict[str, np.ndarray] = {}
        intercept = np.zeros(len(CLASSES))
        drop, keep, add = 0.0, True, None
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if line.startswith("#drop_below\t"):
                    drop = float(parts[1])
                elif line.startswith("#add_above\t"):
                    add = float(parts[1])
                elif line.startswith("#keep_lexicon\t"):
                    keep = parts[1] == "1"
                elif line.startswith("#intercept\t"):
                    intercept = np.array([float(v) for v in parts[1:]])
                elif line.startswith("# ") or len(parts) != len(CLASSES) + 1:
                    continue
                else:
                    weights[parts[0]] = np.array([float(v) for v in parts[1:]])
        return cls(weights, intercept, drop, keep, add)


def train(rows: Sequence[Sequence[Feature]], labels: Sequence[str], c: float = 1.0, drop_below: float = 0.0,
          keep_lexicon: bool = True, min_count: int = 2, prune: float = 1e-3) -> SpanTyper:
    """Multinomial logistic regression (scikit-learn, L2, `c`) over the rows' features; features seen
    in fewer than `min_count` rows are left out, weights below `prune` in every class dropped."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for row in rows:
        for name, _v in row:
            counts[name] = counts.get(name, 0) + 1
    names = [n for n, k in counts.items() if k >= min_count]
    index = {n: k for k, n in enumerate(names)}
    ind, val, ptr = [], [], [0]
    for row in rows:
        for name, v in row:
            k = index.get(name)
            if k is not None:
                ind.append(k)
                val.append(v)
        ptr.append(len(ind))
    x = sparse.csr_matrix((val, ind, ptr), shape=(len(rows), len(names)))
    y = np.array([CLASSES.index(lab) for lab in labels])
    present = sorted(set(y.tolist()))
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, y)
    coef = np.zeros((len(CLASSES), len(names)))
    icpt = np.full(len(CLASSES), -30.0)  # a class never seen in training is never predicted
    coef[present] = clf.coef_ if len(present) > 2 else np.vstack([-clf.coef_[0] / 2, clf.coef_[0] / 2])
    icpt[present] = clf.intercept_ if len(present) > 2 else [-clf.intercept_[0] / 2, clf.intercept_[0] / 2]
    weights = {n: coef[:, k] for n, k in index.items() if np.abs(coef[:, k]).max() >= prune}
    return SpanTyper(weights, icpt, drop_below, keep_lexicon)


def gold_class(start: int, end: int, gold: set[tuple[int, int, str]]) -> str:
    """The type of the gold mention with exactly this span, else NONE."""
    for t in TYPES:
        if (start, end, t) in gold:
            return t
    return "NONE"

