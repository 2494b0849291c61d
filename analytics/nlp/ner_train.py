"""Train and measure the entity recognizer (`python -m analytics train|eval ner ...`).

Data are read in place from ../shared/datasets (CC BY-SA 4.0) and never copied into the repo:
KLUE-NER v1.1 dev part (char/BIO TSV) for the CRF, konne form/label counts for the gazetteer.
`train_main` trains the shipped model on a seeded 80 % split and reports its figures on the other
20 % (our own split of the dev part; those sentences never enter training, so `eval ner` on the
held-out split measures unseen data, on the whole file it does not). `python -m analytics.nlp.ner_train [--folds K]` prints the
feature-set table of docs/method/entities.md.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analytics.nlp.entities import (
    ALL_FEATURES,
    EXTRA_FEATURES,
    MODEL_DIR,
    TYPES,
    EntityRecognizer,
    _get_kiwi,
    bio_to_spans,
    featurize,
    load_recognizer,
    to_bioes,
)
from analytics.nlp.entities.gazetteer import load_lexicon
from analytics.nlp.entities.namelike import (
    NameLike,
    compile_namelike,
    load_namelike,
    write_namelike,
)

SEED = 13
HELD_OUT = 0.2
MAX_ITERATIONS = 150
# The round-4 model's features (KLUE 5-fold 0.7790), the base of rounds 6-8.
ROUND4_FEATURES = ALL_FEATURES | {"conj", "gazdist", "namelike"}
# Shipped configuration since round 8 (docs/method/entities.md): + the head of each noun run and the
# morpheme after it (`runctx`) and the heads of the neighbouring words (`wordctx`): KLUE 5-fold
# 0.7790 -> 0.7831, every fold up.
SHIPPED_FEATURES = ROUND4_FEATURES | {"runctx", "wordctx"}
# Round 6: + Kiwi's unknown nouns (round 4's features + oov 0.7836; with runctx 0.7854); not shipped:
# on news an unknown noun is as often a coin, product or drug as a name (`솔라나`, `SUV` in the
# written sets' top-20s), which is the error issue 13 is about.
OOV_FEATURES = SHIPPED_FEATURES | {"oov"}
SCHEME = "bioes"  # "bio" or "bioes" training labels; the decoder reads both
# Round 9: self-training on unlabelled news (the shared BIG Kinds export's titles + excerpts): the
# model trained on the labelled sentences tags them, the sentences it is sure of (crfsuite sequence
# probability >= SELFTRAIN_MIN_P) are added with the pipeline's spans as labels, and it is trained again.
BIGKINDS = Path("../shared/datasets/bigkinds/NewsResult_20210201-20210228.xlsx")
SELFTRAIN_MIN_P = 0.9
# Off: KLUE folds 0-2 pooled 0.7845 -> 0.7847 with it, fold 1 down (docs/method/entities.md, Round 9).
SHIPPED_SELFTRAIN = False  # whether `train ner` self-trains on BIGKINDS
C1, C2 = 0.01, 0.05  # held-out F1 0.7772 vs 0.7717 at 0.02/0.1 (docs/method/entities.md)
# Round 10: a second stage, the span re-typer (`entities.spantype`): a logistic regression over each
# CRF span's features re-types or drops it, and adds the spans the CRF half believed in. Its
# settings (L2 strength C, drop and add thresholds) are chosen per run by leave-one-fold-out over
# cross-fitted rows; the grid below. `SHIPPED_RETYPE`: whether `train ner` ships one (trained on the
# k-fold models' rows of their own test folds, `ship_retyper`).
RETYPE_GRID = [(c, drop, add) for c in (0.03, 0.1, 0.3) for drop in (0.0, 0.25, 0.39) for add in (None, 0.39, 0.5)]
# Off: nested KLUE 5-fold 0.7831 -> 0.7849, folds 1 and 3 down; and it halves the recognizer's speed as
# written (docs/method/entities.md, Round 10).
SHIPPED_RETYPE = False
Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    text: str
    labels: tuple[str, ...]

    @property
    def domain(self) -> str:
        return "news" if self.id.endswith("wikitree") else "review" if self.id.endswith("nsmc") else "other"

    @property
    def spans(self) -> set[Span]:
        return set(bio_to_spans(self.labels))


# --- data ------------------------------------------------------------------------------------


def read_klue(path: Path) -> list[Sample]:
    """KLUE-NER char TSV -> samples with only PS/OG/LC kept (DT/TI/QT become O)."""
    samples: list[Sample] = []
    sid, chars, labels = "", [], []

    def flush() -> None:
        if sid and chars:
            samples.append(Sample(sid, "".join(chars), tuple(labels)))

    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("## "):
                head = line[3:].split("\t", 1)[0]
                if head.startswith("klue-"):
                    flush()
                    sid, chars, labels = head, [], []
                continue
            if not line:
                continue
            ch, _, tag = line.rpartition("\t")
            chars.append(ch if ch else " ")
            labels.append(tag if tag[2:] in TYPES else "O")
    flush()
    return samples


def compile_gazetteer(path: Path, min_share: float = 0.6, min_freq: int = 1) -> dict[str, str]:
    """konne form/label counts -> form -> `TYPE/FINE_LABEL|PS:..,OG:..,LC:..`, typed when TYPE
    holds most uses; forms mostly PS/OG/LC together but without such a type are `AMB/`."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    fine: dict[str, Counter[str]] = defaultdict(Counter)
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or not parts[2].isdigit():
                continue
            form, label, freq = parts[0].strip(), parts[1], int(parts[2])
            counts[form][label[:2] if label[:2] in TYPES else "other"] += freq
            fine[form][label] += freq
    gaz: dict[str, str] = {}
    for form, c in counts.items():
        if len(form) < 2:
            continue
        total = sum(c.values())
        shares = ",".join(f"{t}:{c[t] / total:.2f}" for t in TYPES if c[t])
        typ, n = c.most_common(1)[0]
        if typ in TYPES and n >= min_freq and n / total >= min_share:
            label = next(lab for lab, _ in fine[form].most_common() if lab.startswith(typ))
            gaz[form] = f"{typ}/{label}|{shares}"
        elif sum(c[t] for t in TYPES) / total >= min_share:
            gaz[form] = f"AMB/|{shares}"
    return gaz


def write_gazetteer(gaz: dict[str, str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# form<TAB>type<TAB>fine label<TAB>type shares, compiled from konne train"
                 " form/label counts (CC BY-SA 4.0); AMB = no type holds 60 % of the uses\n")
        for form in sorted(gaz):
            head, _, shares = gaz[form].partition("|")
            typ, fine = head.split("/", 1)
            fh.write(f"{form}\t{typ}\t{fine}\t{shares}\n")


def compile_cong_types(gaz: dict[str, str], path: Path, top_n: int = 20, min_typed: int = 3) -> int:
    """The optional `cong` feature's table: for every Kiwi proper noun (NNP, 2+ chars) with a CoNg
    vector, the similarity-weighted gazetteer type of its `top_n` nearest morphemes (when at least
    `min_typed` of them are typed). Pretrained vectors shipped with kiwipiepy; nothing downloaded.
    Returns the number of forms written. Tried in round 3 (+0.001 F1), not shipped."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(model_type="cong")
    rows: dict[str, tuple[str, float]] = {}
    i, misses = 0, 0
    while misses < 5000:  # ids past the embedded vocabulary have no neighbours
        m = kiwi.morpheme(i)
        i += 1
        if str(m.tag) != "NNP" or len(m.form) < 2 or m.form in rows:
            continue
        sims = kiwi.most_similar_morphemes(i - 1, top_n=top_n)
        misses = 0 if sims else misses + 1
        votes: Counter[str] = Counter()
        for sm in sims:
            if gaz.get(sm.form, "")[:2] in TYPES:
                votes[gaz[sm.form][:2]] += sm.score
        if sum(1 for sm in sims if gaz.get(sm.form, "")[:2] in TYPES) >= min_typed:
            typ, v = votes.most_common(1)[0]
            rows[m.form] = (typ, v / sum(votes.values()))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# form<TAB>type<TAB>share of its CoNg neighbours' gazetteer types\n")
        for form, (typ, share) in sorted(rows.items()):
            fh.write(f"{form}\t{typ}\t{share:.2f}\n")
    return len(rows)


def tokenize_all(texts: Sequence[str]) -> list[list[Any]]:
    return list(_get_kiwi().tokenize(list(texts)))


def split(samples: Sequence[Sample], seed: int = SEED, held_out: float = HELD_OUT) -> tuple[list[int], list[int]]:
    idx = list(range(len(samples)))
    random.Random(seed).shuffle(idx)
    cut = int(len(idx) * held_out)
    return sorted(idx[cut:]), sorted(idx[:cut])


# --- training --------------------------------------------------------------------------------


def train_crf(
    samples: Sequence[Sample], tokens: Sequence[list[Any]], gaz: dict[str, str],
    features: frozenset[str], model_path: Path, max_iterations: int = MAX_ITERATIONS,
    c1: float = C1, c2: float = C2, scheme: str = SCHEME, cong: dict[str, str] | None = None,
    namelike: NameLike | None = None,
) -> None:
    """L-BFGS CRF with elastic-net; a bounded iteration count keeps training to ~1-2 min/core."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s, toks in zip(samples, tokens, strict=True):
        labels = to_bioes(s.labels) if scheme == "bioes" else list(s.labels)
        trainer.append(featurize(s.text, toks, gaz, features, cong=cong, namelike=namelike), labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


def write_meta(out: Path, features: frozenset[str], extra: dict[str, Any]) -> None:
    meta = {"model": "ner.crfsuite", "gazetteer": "gazetteer.tsv", "lexicon": "lexicon.tsv",
            "features": sorted(features), **({"namelike": "namelike.tsv"} if "namelike" in features else {}),
            **extra}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- scoring ---------------------------------------------------------------------------------


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def score_spans(gold: Iterable[set[Span]], pred: Iterable[set[Span]]) -> dict[str, dict[str, float]]:
    """Entity-level micro P/R/F1: a prediction counts only with exact start, end and type."""
    tp: Counter[str] = Counter()
    ng: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for _s, _e, t in g:
            ng[t] += 1
        for _s, _e, t in p:
            npred[t] += 1
        for _s, _e, t in g & p:
            tp[t] += 1
    out = {t: prf(tp[t], npred[t], ng[t]) for t in TYPES}
    out["all"] = prf(sum(tp.values()), sum(npred.values()), sum(ng.values()))
    return out


def predict_spans(rec: EntityRecognizer, samples: Sequence[Sample], tokens: Sequence[list[Any]]) -> tuple[list[set[Span]], float]:
    """Predicted (canonical) spans per sample and the recognizer's own seconds (Kiwi excluded)."""
    t0 = time.perf_counter()
    ents = rec.extract([s.text for s in samples], tokens)
    secs = time.perf_counter() - t0
    return [{(e.start, e.end, e.type) for e in es} for es in ents], secs


def evaluate(rec: EntityRecognizer, samples: Sequence[Sample], tokens: Sequence[list[Any]]) -> dict[str, Any]:
    pred, secs = predict_spans(rec, samples, tokens)
    gold = [s.spans for s in samples]
    report: dict[str, Any] = {"n": len(samples), "all": score_spans(gold, pred),
                              "sentences_per_s": len(samples) / secs if secs else 0.0}
    for dom in ("news", "review"):
        keep = [i for i, s in enumerate(samples) if s.domain == dom]
        if keep:
            report[dom] = score_spans([gold[i] for i in keep], [pred[i] for i in keep])
    return report


def print_report(title: str, rep: dict[str, Any]) -> None:
    print(f"== {title}: {rep['n']} sentences, {rep['sentences_per_s']:.0f} sentences/s (recognizer, Kiwi tokens given)")
    for part in ("all", "news", "review"):
        if part not in rep:
            continue
        sc = rep[part]
        cells = "  ".join(f"{t} P {sc[t]['precision']:.3f} R {sc[t]['recall']:.3f} F1 {sc[t]['f1']:.3f}" for t in (*TYPES, "all"))
        print(f"  {part:6s} {cells}")


def _check(*paths: Path) -> bool:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"skipped: dataset not found: {', '.join(missing)} (expected under ../shared/datasets/ner)", file=sys.stderr)
    return not missing


# --- CLI entry points ------------------------------------------------------------------------


def unlabelled_sentences(path: Path) -> list[str]:
    """Distinct Kiwi sentences (8-300 characters) of a BIG Kinds export's titles and bodies, sorted
    (the order is fixed, so a self-trained model is reproducible)."""
    from analytics.ingest.bigkinds import parse_bigkinds

    kiwi = _get_kiwi()
    arts, _problems = parse_bigkinds(path.read_bytes(), path.name)
    out = set()
    for a in arts:
        for part in ([a.title] if a.title else []) + [a.text]:
            for line in part.split("\n"):
                out.update(t for t in (s.text.strip() for s in kiwi.split_into_sents(line)) if 8 <= len(t) <= 300)
    return sorted(out)


def pseudo_labelled(model_dir: Path, texts: Sequence[str], tokens: Sequence[list[Any]],
                    min_p: float = SELFTRAIN_MIN_P) -> tuple[list[Sample], list[list[Any]]]:
    """The sentences the model in `model_dir` is sure of (crfsuite probability of its label sequence
    >= `min_p`), labelled with the pipeline's spans (lexicon, clean-up and repair rules applied)."""
    from analytics.nlp.entities.recognizer import _shift_of

    rec = EntityRecognizer(model_dir, fast=False)
    tagger = rec._tagger()
    out_s: list[Sample] = []
    out_t: list[list[Any]] = []
    for text, toks, ents in zip(texts, tokens, rec.extract(list(texts), list(tokens)), strict=True):
        if tagger.probability(rec.tag(text, toks, _shift_of(text, toks))) < min_p:
            continue
        bio = ["O"] * len(text)
        for e in ents:
            bio[e.start:e.end] = ["B-" + e.type] + ["I-" + e.type] * (e.end - e.start - 1)
        out_s.append(Sample(f"bigkinds-{len(out_s)}", text, tuple(bio)))
        out_t.append(toks)
    return out_s, out_t


def _fit(samples: list[Sample], tokens: list[list[Any]], gaz: dict[str, str], features: frozenset[str],
         tr: Sequence[int], workdir: Path, konne: Path | None = None,
         unlabelled: tuple[Sequence[str], Sequence[list[Any]]] | None = None) -> int:
    """Train on the sentences `tr` and write a complete model folder (CRF, gazetteer, name-likeness
    table when used, the shipped lexicon, meta) into `workdir`. With `unlabelled` (texts, tokens):
    self-training, the first model's confident sentences added and trained again (round 9; only the
    sentences `tr` ever label them). Returns the number of sentences added."""
    if unlabelled is not None:
        _fit(samples, tokens, gaz, features, tr, workdir, konne)
        extra_s, extra_t = pseudo_labelled(workdir, *unlabelled)
        n = len(samples)
        _fit(samples + extra_s, tokens + extra_t, gaz, features, [*tr, *range(n, n + len(extra_s))], workdir, konne)
        return len(extra_s)
    workdir.mkdir(parents=True, exist_ok=True)
    namelike = None
    if "namelike" in features:
        if konne is None:
            raise ValueError("the namelike feature needs the konne counts (--gazetteer)")
        write_namelike(compile_namelike(konne), workdir / "namelike.tsv")
        namelike = load_namelike(workdir / "namelike.tsv")
    train_crf([samples[i] for i in tr], [tokens[i] for i in tr], gaz, features, workdir / "ner.crfsuite",
              namelike=namelike)
    write_gazetteer(gaz, workdir / "gazetteer.tsv")
    if (MODEL_DIR / "lexicon.tsv").exists() and workdir.resolve() != MODEL_DIR.resolve():
        shutil.copy(MODEL_DIR / "lexicon.tsv", workdir / "lexicon.tsv")  # score the pipeline as shipped
    write_meta(workdir, features, {})
    return 0


def _fit_and_score(samples: list[Sample], tokens: list[list[Any]], gaz: dict[str, str],
                   features: frozenset[str], tr: list[int], te: list[int], workdir: Path,
                   konne: Path | None = None,
                   unlabelled: tuple[Sequence[str], Sequence[list[Any]]] | None = None) -> dict[str, Any]:
    _fit(samples, tokens, gaz, features, tr, workdir, konne, unlabelled)
    return evaluate(EntityRecognizer(workdir), [samples[i] for i in te], [tokens[i] for i in te])


def span_rows_of(model_dir: Path, samples: Sequence[Sample], tokens: Sequence[list[Any]]
                 ) -> list[tuple[set[Span], list[tuple[Any, list[Any], str, bool]]]]:
    """(gold spans, [(entity, span features, gold class, is candidate)]) per sentence, as the model in
    `model_dir` tags them: the re-typer's training rows (`entities.spantype`)."""
    from analytics.nlp.entities.spantype import gold_class

    rows: list[list[tuple[Any, list[Any], bool]]] = []
    EntityRecognizer(model_dir).extract([s.text for s in samples], list(tokens), span_rows=rows, retype=False)
    out = []
    for s, r in zip(samples, rows, strict=True):
        g = s.spans
        out.append((g, [(e, f, gold_class(e.start, e.end, g), c) for e, f, c in r]))
    return out


def retyped(typer: Any, rows: Sequence[tuple[set[Span], list[tuple[Any, list[Any], str, bool]]]],
            lexicon: dict[str, str]) -> list[set[Span]]:
    """Predicted spans per sentence after the re-typer (None: the CRF pipeline's own spans)."""
    flat = [f for _g, r in rows for _e, f, _c, _k in r]
    probs = typer.probabilities(flat) if typer is not None and flat else None
    out, at = [], 0
    for _g, r in rows:
        ents = [e for e, _f, _c, cand in r if not cand]
        if typer is None or probs is None:
            out.append({(e.start, e.end, e.type) for e in ents})
            continue
        p = probs[at:at + len(r)]
        at += len(r)
        new = typer.decide(ents, p[:len(ents)], lexicon)
        if typer.candidates:
            new += typer.decide([e for e, _f, _c, cand in r if cand], p[len(ents):], lexicon, add=True)
        out.append({(e.start, e.end, e.type) for e in new})
    return out


def fit_retyper(rows: Sequence[tuple[set[Span], list[tuple[Any, list[Any], str, bool]]]], c: float,
                drop: float, add: float | None) -> Any:
    """A re-typer trained on `rows` (None when they hold fewer than two classes)."""
    from analytics.nlp.entities import spantype

    feats = [f for _g, r in rows for _e, f, _c, _k in r]
    labels = [lab for _g, r in rows for _e, _f, lab, _k in r]
    if len(set(labels)) < 2:
        return None
    typer = spantype.train(feats, labels, c=c)
    typer.drop_below, typer.add_above = drop, add
    return typer


def choose_retyper(by_fold: Sequence[Sequence[tuple[set[Span], list[tuple[Any, list[Any], str, bool]]]]],
                   lexicon: dict[str, str], grid: Sequence[tuple[float, float, float | None]] = RETYPE_GRID,
                   ) -> tuple[tuple[float, float, float | None] | None, float, float]:
    """The grid setting with the best pooled F1 over leave-one-fold-out of `by_fold` (cross-fitted
    rows per fold), against the CRF pipeline alone on the same rows: (setting, its F1, the CRF's F1);
    setting None when no re-typer beats the pipeline alone."""
    gold = [g for rows in by_fold for g, _r in rows]
    base = score_spans(gold, [p for rows in by_fold for p in retyped(None, rows, lexicon)])["all"]["f1"]
    preds: dict[tuple[float, float, float | None], list[set[Span]]] = {cfg: [] for cfg in grid}
    for j, held in enumerate(by_fold):
        train_rows = [x for i, rows in enumerate(by_fold) if i != j for x in rows]
        for c in sorted({cfg[0] for cfg in grid}):
            typer = fit_retyper(train_rows, c, 0.0, None)
            for cfg in grid:
                if cfg[0] != c:
                    continue
                if typer is not None:
                    typer.drop_below, typer.add_above = cfg[1], cfg[2]
                preds[cfg] += retyped(typer, held, lexicon)
    scores = {cfg: score_spans(gold, p)["all"]["f1"] for cfg, p in preds.items()}
    best = max(grid, key=lambda cfg: scores[cfg])
    return (best if scores[best] > base else None), scores[best], base


def ship_retyper(oof_rows: Sequence[Sequence[tuple[set[Span], list[tuple[Any, list[Any], str, bool]]]]],
                 out: Path, lexicon: dict[str, str]) -> dict[str, Any] | None:
    """Write `out`/spantype.tsv: the re-typer trained on every fold's rows (each fold tagged by the
    k-fold model that did not see it), its setting chosen by leave-one-fold-out over them; None (and
    no file) when no setting beats the CRF alone. Returns what `meta.json` records of it."""
    cfg, f1, base = choose_retyper(oof_rows, lexicon)
    if cfg is None:
        return None
    typer = fit_retyper([x for rows in oof_rows for x in rows], *cfg)
    if typer is None:
        return None
    typer.write(out / "spantype.tsv", f"C {cfg[0]}, trained on {sum(map(len, oof_rows))} cross-fitted sentences")
    return {"setting": list(cfg), "lofo_f1": round(f1, 4), "lofo_crf_f1": round(base, 4)}


def kfold(n: int, folds: int, seed: int = SEED) -> list[list[int]]:
    """Test indices of each fold: a seeded shuffle dealt round-robin (every sentence tested once)."""
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    return [sorted(idx[k::folds]) for k in range(folds)]


def _summary(folds: int, per_fold: list[dict[str, float]], gold: list[set[Span]], pred: list[set[Span]],
             dom: list[str]) -> dict[str, Any]:
    pooled = score_spans(gold, pred)
    by_dom = {d: round(score_spans([g for g, x in zip(gold, dom, strict=True) if x == d],
                                   [p for p, x in zip(pred, dom, strict=True) if x == d])["all"]["f1"], 4)
              for d in ("news", "review")}
    return {"folds": folds, "per_fold": per_fold,
            "mean_f1": round(sum(f["f1"] for f in per_fold) / folds, 4),
            "pooled_f1": round(pooled["all"]["f1"], 4),
            "precision": round(pooled["all"]["precision"], 4), "recall": round(pooled["all"]["recall"], 4),
            "by_type": {t: round(pooled[t]["f1"], 4) for t in TYPES},
            "news_f1": by_dom["news"], "review_f1": by_dom["review"]}


def _fold_figures(g: list[set[Span]], p: list[set[Span]]) -> dict[str, float]:
    sc = score_spans(g, p)
    return {"f1": round(sc["all"]["f1"], 4), **{t: round(sc[t]["f1"], 4) for t in TYPES}}


def cross_validate(samples: list[Sample], tokens: list[list[Any]], gaz: dict[str, str],
                   features: frozenset[str], folds: int, konne: Path | None = None,
                   log: bool = True, unlabelled: tuple[Sequence[str], Sequence[list[Any]]] | None = None,
                   retype: bool = False, oof_rows: list[Any] | None = None) -> dict[str, Any]:
    """k-fold figures: per fold and pooled over all sentences (each scored by the model that did
    not see it), overall, per type and per domain.

    `retype` (round 10): also the span re-typer's figures (`retype` in the result), nested so that
    no label of a test fold reaches it: for test fold k the re-typer is trained on the other folds'
    spans, each fold j tagged by a CRF trained without j *and* k (one model per pair of folds,
    k(k-1)/2 extra trainings), its setting chosen by leave-one-fold-out over those rows
    (`choose_retyper`), then applied to fold k as tagged by fold k's own model. `oof_rows`: filled
    with every fold's rows as its own model tags them (what `train ner` trains the shipped
    re-typer on)."""
    import tempfile

    parts = kfold(len(samples), folds)
    per_fold, gold, pred, rt_fold, rt_pred, chosen = [], [], [], [], [], []
    lexicon = load_lexicon(MODEL_DIR / "lexicon.tsv") if retype and (MODEL_DIR / "lexicon.tsv").exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        pair_rows: dict[tuple[int, int], Any] = {}  # (fold tagged, other fold left out) -> rows

        def rows_without(j: int, k: int) -> Any:
            """Rows of fold j tagged by a CRF trained without folds j and k (trained once per pair)."""
            key = (min(j, k), max(j, k))
            if (j, k) not in pair_rows:
                drop = set(parts[j]) | set(parts[k])
                d = Path(tmp) / f"pair{key[0]}{key[1]}"
                _fit(samples, tokens, gaz, features, [i for i in range(len(samples)) if i not in drop], d, konne, unlabelled)
                for a, b in ((j, k), (k, j)):
                    pair_rows[(a, b)] = span_rows_of(d, [samples[i] for i in parts[a]], [tokens[i] for i in parts[a]])
                shutil.rmtree(d)
            return pair_rows[(j, k)]

        for k, te in enumerate(parts):
            keep = set(te)
            tr = [i for i in range(len(samples)) if i not in keep]
            _fit(samples, tokens, gaz, features, tr, Path(tmp), konne, unlabelled)
            ss, tt = [samples[i] for i in te], [tokens[i] for i in te]
            p, _secs = predict_spans(EntityRecognizer(Path(tmp)), ss, tt)
            g = [s.spans for s in ss]
            per_fold.append(_fold_figures(g, p))
            line = f"fold {k}: " + " ".join(f"{key} {v:.4f}" for key, v in per_fold[-1].items())
            if retype or oof_rows is not None:
                own = span_rows_of(Path(tmp), ss, tt)
                if oof_rows is not None:
                    oof_rows.append(own)
            if retype:
                inner = [rows_without(j, k) for j in range(folds) if j != k]
                cfg, inner_f1, inner_base = choose_retyper(inner, lexicon)
                typer = fit_retyper([x for rows in inner for x in rows], *cfg) if cfg is not None else None
                q = retyped(typer, own, lexicon)
                rt_fold.append(_fold_figures(g, q))
                rt_pred += q
                chosen.append({"setting": cfg, "inner_f1": round(inner_f1, 4), "inner_crf_f1": round(inner_base, 4)})
                line += f" | re-typed {rt_fold[-1]['f1']:.4f} (setting {cfg}, inner {inner_base:.4f} -> {inner_f1:.4f})"
            if log:
                print(line, flush=True)
            gold += g
            pred += p
    dom = [s.domain for s in [samples[i] for te in parts for i in te]]
    out = _summary(folds, per_fold, gold, pred, dom)
    if retype:
        out["retype"] = {**_summary(folds, rt_fold, gold, rt_pred, dom), "chosen": chosen}
    return out


def train_main(args: argparse.Namespace) -> int:
    """k-fold figures for the shipped features, then the shipped model trained on every sentence
    of the file (`--split`: on the seeded 80 % only, scored on the other 20 %)."""
    if not _check(args.data, args.gazetteer):
        return 1
    out: Path = args.out or MODEL_DIR
    folds = getattr(args, "folds", 5)
    on_split = getattr(args, "split", False)
    samples = read_klue(args.data)
    gaz = compile_gazetteer(args.gazetteer)
    print(f"{len(samples)} sentences, gazetteer {len(gaz)} forms; tokenizing with Kiwi ...")
    tokens = tokenize_all([s.text for s in samples])
    extra: dict[str, Any] = {"max_iterations": MAX_ITERATIONS, "labels": SCHEME, "c1": C1, "c2": C2, "seed": SEED}
    unl = None
    if SHIPPED_SELFTRAIN:
        if not _check(BIGKINDS):
            return 1
        texts = unlabelled_sentences(BIGKINDS)
        print(f"self-training on {len(texts)} unlabelled sentences of {BIGKINDS.name} (p >= {SELFTRAIN_MIN_P}) ...")
        unl = (texts, tokenize_all(texts))
        extra["selftrain"] = {"data": BIGKINDS.name, "sentences": len(texts), "min_p": SELFTRAIN_MIN_P}
    oof: list[Any] | None = [] if SHIPPED_RETYPE else None
    if folds > 1:
        print(f"{folds}-fold cross-validation ...")
        cv = cross_validate(samples, tokens, gaz, SHIPPED_FEATURES, folds, args.gazetteer, unlabelled=unl,
                            oof_rows=oof)
        print(f"  {folds}-fold: mean F1 {cv['mean_f1']:.4f}, pooled {cv['pooled_f1']:.4f} "
              + " ".join(f"{t} {v:.4f}" for t, v in cv["by_type"].items()))
        extra["cv"] = cv
    if on_split:
        tr, te = split(samples)
        print(f"training on {len(tr)} sentences (seed {SEED}); {len(te)} held out ...")
        rep = _fit_and_score(samples, tokens, gaz, SHIPPED_FEATURES, tr, te, out, args.gazetteer, unl)
        print_report(f"held-out (seed {SEED}, {len(te)} sentences never seen in training)", rep)
        extra["held_out"] = {"n": rep["n"], "f1": round(rep["all"]["all"]["f1"], 4),
                             "by_type": {t: round(rep["all"][t]["f1"], 4) for t in TYPES},
                             "news_f1": round(rep["news"]["all"]["f1"], 4),
                             "review_f1": round(rep["review"]["all"]["f1"], 4)}
        extra.update({"trained_on": len(tr), "training": "split", "held_out_fraction": HELD_OUT})
    else:
        print(f"training on all {len(samples)} sentences ...")
        added = _fit(samples, tokens, gaz, SHIPPED_FEATURES, range(len(samples)), out, args.gazetteer, unl)
        extra.update({"trained_on": len(samples), "training": "all"})
        if unl is not None:
            extra["selftrain"]["added"] = added
    if oof:
        lexicon = load_lexicon(MODEL_DIR / "lexicon.tsv") if (MODEL_DIR / "lexicon.tsv").exists() else {}
        shipped = ship_retyper(oof, out, lexicon)
        if shipped is not None:
            extra.update({"spantype": "spantype.tsv", "spantype_fit": shipped})
    write_meta(out, SHIPPED_FEATURES, extra)
    print(f"wrote {out}")
    return 0


def held_out_samples(data: Path) -> list[Sample]:
    """The sentences of our own seeded split that the shipped model was not trained on."""
    samples = read_klue(data)
    return [samples[i] for i in split(samples)[1]]


def eval_main(args: argparse.Namespace) -> int:
    """Entity-level P/R/F1 of the shipped model on a KLUE-format TSV (news and review apart)."""
    if not _check(args.data):
        return 1
    samples = held_out_samples(args.data) if getattr(args, "held_out", False) else read_klue(args.data)
    rec = load_recognizer()
    if rec.trained_on_all:
        print("note: the shipped model was trained on every sentence of the shared KLUE dev part, so scores "
              "on it (held-out split included) touch training data; its k-fold figures are in meta.json (cv)",
              file=sys.stderr)
    t0 = time.perf_counter()
    tokens = tokenize_all([s.text for s in samples])
    kiwi_secs = time.perf_counter() - t0
    rep = evaluate(rec, samples, tokens)
    if args.json:
        news = rep.get("news", rep["all"])["all"]["f1"]
        print(json.dumps({"n": rep["n"], "f1": rep["all"]["all"]["f1"],
                          "by_type": {t: rep["all"][t]["f1"] for t in TYPES},
                          "news_f1": news, "sentences_per_s": rep["sentences_per_s"]}))
        return 0
    print_report(str(args.data), rep)
    total = kiwi_secs + rep["n"] / rep["sentences_per_s"] if rep["sentences_per_s"] else 0.0
    if total:
        print(f"  with our own Kiwi pass: {rep['n'] / total:.0f} sentences/s")
    return 0


def eval_vs_bigkinds_main(args: argparse.Namespace) -> int:
    """Agreement with BIG Kinds' 인물/위치/기관 lists, theirs restricted to forms in our text."""
    import pandas as pd

    if not _check(args.bigkinds):
        return 1
    df = pd.read_excel(args.bigkinds).fillna("")
    texts = [f"{t}\n{b}" for t, b in zip(df["제목"].astype(str), df["본문"].astype(str), strict=True)]
    from analytics.nlp.entities.canonical import resolve_article

    # counted entities, as the store holds them: each article resolved as one (title, then body)
    ents = [[e for es in resolve_article([t], [es], n_head=0) for e in es]
            for t, es in zip(texts, load_recognizer().extract(texts), strict=True)]
    columns = {"PS": "인물", "LC": "위치", "OG": "기관"}
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for i, text in enumerate(texts):
        for typ, col in columns.items():
            theirs = {f.strip() for f in str(df[col].iloc[i]).split(",") if f.strip() and f.strip() in text}
            ours = {e.canonical for e in ents[i] if e.type == typ}
            tp[typ] += len(ours & theirs)
            npred[typ] += len(ours)
            ngold[typ] += len(theirs)
    by_type = {t: prf(tp[t], npred[t], ngold[t]) for t in TYPES}
    overall = prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    if args.json:
        print(json.dumps({"n": len(texts), "by_type": by_type, "all": overall}, ensure_ascii=False))
        return 0
    print(f"{len(texts)} articles (제목 + 본문); BIG Kinds lists as a peer reference")
    for t, sc in [*by_type.items(), ("all", overall)]:
        print(f"  {t:3s} P {sc['precision']:.3f} R {sc['recall']:.3f} F1 {sc['f1']:.3f}  (ours {sc['pred']}, theirs {sc['gold']}, both {sc['tp']})")
    return 0


FEATURE_SETS: list[tuple[str, frozenset[str]]] = [
    ("char only", frozenset()),
    ("+ char window (±2, bigrams, trigram)", frozenset({"window"})),
    ("+ char type / spacing", frozenset({"window", "shape"})),
    ("+ Kiwi morpheme tag/position", frozenset({"window", "shape", "kiwi"})),
    ("+ konne gazetteer (all)", ALL_FEATURES),
    ("gazetteer without Kiwi", frozenset({"window", "shape", "gazetteer"})),
    ("+ conj + gazdist", ALL_FEATURES | {"conj", "gazdist"}),
    ("+ conj + gazdist + namelike (round 4)", ROUND4_FEATURES),
    ("+ runctx + wordctx (round 8, shipped)", SHIPPED_FEATURES),
    ("+ oov (round 6, not shipped)", OOV_FEATURES),
]  # all rows trained with SCHEME labels (rows 1-6 of the docs table were measured with BIO)


def ablation(data: Path, gazetteer: Path, folds: int = 0, oov: bool = False, add: Sequence[str] = (),
             round4: bool = False, selftrain: Path | None = None, retype: bool = False) -> int:
    """Held-out F1 per feature set (and k-fold for the shipped set, or with `oov` and the switches
    in `add` when asked, when folds > 1)."""
    import tempfile

    if not _check(data, gazetteer):
        return 1
    samples = read_klue(data)
    gaz = compile_gazetteer(gazetteer)
    tokens = tokenize_all([s.text for s in samples])
    tr, te = split(samples)
    with tempfile.TemporaryDirectory() as tmp:
        if folds <= 1:
            print("| features | F1 | PS | OG | LC | news F1 | review F1 | sent/s |")
            print("|---|---|---|---|---|---|---|---|")
            for name, feats in FEATURE_SETS:
                rep = _fit_and_score(samples, tokens, gaz, feats, tr, te, Path(tmp), gazetteer)
                a = rep["all"]
                print(f"| {name} | {a['all']['f1']:.3f} | {a['PS']['f1']:.3f} | {a['OG']['f1']:.3f} | {a['LC']['f1']:.3f} "
                      f"| {rep['news']['all']['f1']:.3f} | {rep['review']['all']['f1']:.3f} | {rep['sentences_per_s']:.0f} |", flush=True)
            return 0
        feats = (ROUND4_FEATURES if round4 else SHIPPED_FEATURES) | frozenset(add) | (
            frozenset({"oov"}) if oov else frozenset())
        unl = None
        if selftrain is not None:
            if not _check(selftrain):
                return 1
            texts = unlabelled_sentences(selftrain)
            unl = (texts, tokenize_all(texts))
        cv = cross_validate(samples, tokens, gaz, feats, folds, gazetteer, unlabelled=unl, retype=retype)
        print(json.dumps(cv, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="NER feature ablation / k-fold")
    ap.add_argument("--data", type=Path, default=Path("../shared/datasets/ner/klue-ner-v1.1_dev-part.tsv"))
    ap.add_argument("--gazetteer", type=Path, default=Path("../shared/datasets/ner/konne_train_form_label_freq.tsv"))
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--oov", action="store_true", help="k-fold of the shipped features + oov (round 6)")
    ap.add_argument("--round4", action="store_true", help="k-fold of the round-4 model's features instead")
    ap.add_argument("--add", nargs="*", default=[], choices=sorted(EXTRA_FEATURES),
                    help="k-fold with these optional switches on top (round 7: runctx; round 8: wordctx)")
    ap.add_argument("--selftrain", type=Path, nargs="?", const=BIGKINDS, default=None,
                    help="k-fold with self-training on this BIG Kinds export (round 9; default: the shared one)")
    ap.add_argument("--retype", action="store_true",
                    help="k-fold with the span re-typer on top, nested (round 10; k(k-1)/2 extra trainings)")
    a = ap.parse_args()
    sys.exit(ablation(a.data, a.gazetteer, a.folds, a.oov, a.add, a.round4, a.selftrain, a.retype))
