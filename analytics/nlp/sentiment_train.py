"""Train and measure the shipped sentence sentiment model (`python -m analytics train|eval sentiment`).

Data: the Korean Financial PhraseBank translation (finance news) plus the `split=train` part of our
hand-labelled news set (data/labels/news_sentiment.csv; its `split=test` part is never trained on),
the news sentences weighted NEWS_WEIGHT times.
Steps: read the labelled CSVs -> drop near-duplicate sentences (so no test sentence has a twin in
training) -> Kiwi tokens -> `sentiment.featurize` (morphemes, characters, direction and lexicon cues
with negation and contrast) -> binary features, L2-normalised per block -> NB-LR (Wang & Manning
2012): per class, one-vs-rest class-balanced logistic regression on the features scaled by their
naive-Bayes log-count ratio; the ratio is folded into the weights, so the artefact stays one linear
layer -> figures: FPB stratified held-out 20 % (seed 42) and the news test part (real articles and
written sentences apart), from a model fitted on FPB 80 % + news train; FPB stratified 5-fold CV (news
train always in training); grouped 5-fold CV over the news train part (an article, or a written
sentence, is one group), whose out-of-fold scores also fit the probability temperature -> refit on all
FPB + news train and write weights.npz / vocab.json / meta.json (no pickle).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analytics.nlp import sentiment as S

SEED = 42
HOLDOUT = 0.2
MIN_DF = 1
BLOCK_WEIGHT = (1.0, 1.0, 1.0)  # morphemes, characters, cues
C = 1.0  # round 5 (lex6 + final-predicate cue), news train grouped CV over 3 fold draws: real articles
# 0.782 / 0.737 (C 0.5) vs 0.786 / 0.739 (C 1), written round-5 0.855 / 0.833 vs 0.848 / 0.824; FPB 5-fold
# 0.776 / 0.736 vs 0.788 / 0.746, so C 1 (round 3 chose 0.5 on 855 news sentences)
NEWS_WEIGHT = 4.0  # one hand-labelled news sentence counts as four finance ones
NB_ALPHA = 0.5  # smoothing of the naive-Bayes log-count ratio
CLASSIFIER = f"NB-LR: one-vs-rest LogisticRegression(C={C}, class_weight=balanced, liblinear) " \
             f"on binary features x log-count ratio (alpha={NB_ALPHA}); news sentences weight {NEWS_WEIGHT}"
LICENCE = "trained on the Korean Financial PhraseBank translation, CC BY-NC-SA 3.0 (non-commercial), " \
          "and on the train part of this repository's hand-labelled news set (data/labels/news_sentiment.csv)"


# ---------------------------------------------------------------- data

def read_labelled(path: Path, split: str | None = None) -> tuple[list[str], list[str], list[str]]:
    """(Korean sentences, labels, English originals or "") from a CSV like finance_data_dev-part.csv;
    with `split`, only the rows whose `split` column equals it (data/labels/news_sentiment.csv)."""
    import pandas as pd

    df = pd.read_csv(path)
    if split is not None:
        if "split" not in df.columns:
            raise ValueError(f"{path}: --split given but the file has no split column")
        df = df[df["split"].astype(str) == split]
    label_col = next((c for c in ("labels", "label") if c in df.columns), None)
    text_col = next((c for c in ("kor_sentence", "sentence", "text") if c in df.columns), None)
    if label_col is None or text_col is None:
        raise ValueError(f"{path}: need a labels column and a kor_sentence/sentence/text column")
    df = df.dropna(subset=[label_col, text_col])
    labels = [str(x).strip().lower() for x in df[label_col]]
    bad = sorted(set(labels) - set(S.LABELS))
    if bad:
        raise ValueError(f"{path}: unknown labels {bad}; expected {list(S.LABELS)}")
    english = df["sentence"].astype(str).tolist() if text_col == "kor_sentence" and "sentence" in df else [""] * len(df)
    return df[text_col].astype(str).tolist(), labels, english


def near_dup_key(text: str) -> str:
    """Digits, spacing and punctuation removed: sentences differing only in figures collide."""
    return re.sub(r"[^가-힣a-z]", "", re.sub(r"\d+", "0", text.lower()))


def dedupe(texts: Sequence[str], english: Sequence[str]) -> list[int]:
    """Indices of the first sentence of each near-duplicate group (Korean or English key)."""
    seen: set[str] = set()
    keep = []
    for i, (t, e) in enumerate(zip(texts, english, strict=True)):
        keys = {"k" + near_dup_key(t)} | ({"e" + near_dup_key(e)} if e else set())
        if not keys & seen:
            keep.append(i)
        seen |= keys
    return keep


def tokenize(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    from analytics.nlp.tokenize import get_kiwi

    return [S.token_pairs(t) for t in get_kiwi().tokenize(list(texts))]


# ---------------------------------------------------------------- model

class Trained:
    """A fitted linear model in artefact form: vocab, idf, block weights, W, b."""

    def __init__(self, vocab: list[str], idf: np.ndarray, w: np.ndarray, b: np.ndarray) -> None:
        self.vocab, self.idf, self.w, self.b = vocab, idf, w, b
        self.features = S.LinearFeatures(vocab, idf, np.array(BLOCK_WEIGHT), binary=True)

    def predict_feats(self, feats: Sequence[Sequence[str]]) -> np.ndarray:
        x = self.features.transform(feats)
        return np.asarray(x @ self.w) + self.b


def fit(feats: Sequence[Sequence[str]], labels: Sequence[str], weights: Sequence[float] | None = None,
        c: float | None = None) -> Trained:
    """NB-LR: per class, balanced one-vs-rest LR on binary features x naive-Bayes log-count ratio.

    `weights` (one per sentence) up-weights the news sentences next to the finance ones."""
    from sklearn.linear_model import LogisticRegression

    df = Counter(f for fs in feats for f in set(fs))
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    trained = Trained(vocab, np.ones(len(vocab)), np.zeros((len(vocab), 3)), np.zeros(3))
    x = trained.features.transform(feats)
    present = (x > 0).astype(np.float64)
    y = np.asarray(labels)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    for k, lab in enumerate(S.LABELS):
        pos = y == lab
        p = NB_ALPHA + np.asarray(present[pos].multiply(w[pos][:, None]).sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(present[~pos].multiply(w[~pos][:, None]).sum(axis=0)).ravel()
        r = np.log(p / p.sum()) - np.log(q / q.sum())
        clf = LogisticRegression(C=C if c is None else c, class_weight="balanced", max_iter=3000,
                                 solver="liblinear")
        clf.fit(x.multiply(r).tocsr(), pos.astype(int), sample_weight=w)
        trained.w[:, k] = r * clf.coef_.ravel()  # (x * r) . w == x . (r * w)
        trained.b[k] = clf.intercept_[0]
    return trained


def fit_temperature(z: np.ndarray, y: Sequence[int]) -> float:
    """The T minimising the log-loss of the one-vs-rest probabilities of z / T (labels unchanged:
    dividing by T > 0 keeps each row's order). Fitted on out-of-fold news scores."""
    y = np.asarray(y)
    grid = np.round(np.arange(0.3, 3.001, 0.05), 2)
    nll = [-np.log(S._ovr_probabilities(z / t)[np.arange(len(y)), y]).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def fpb_kfold(feats: Sequence[Sequence[str]], labels: Sequence[str], news_feats: Sequence[Sequence[str]],
              news_labels: Sequence[str], k: int = 5) -> dict:
    """FPB stratified k-fold CV (seed 42) with the news train part in every fold: mean and sd."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    accs, f1s = [], []
    for a, b in StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y):
        m = fit([feats[i] for i in a] + list(news_feats), list(y[a]) + list(news_labels),
                [1.0] * len(a) + [NEWS_WEIGHT] * len(news_feats))
        r = metrics(y[b], _labels_of(m.predict_feats([feats[i] for i in b])))
        accs.append(r["accuracy"])
        f1s.append(r["macro_f1"])
    return {"k": k, "accuracy_mean": float(np.mean(accs)), "accuracy_sd": float(np.std(accs)),
            "macro_f1_mean": float(np.mean(f1s)), "macro_f1_sd": float(np.std(f1s))}


def save(trained: Trained, out: Path, meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", W=trained.w.astype(np.float32), b=trained.b.astype(np.float32),
                        idf=trained.idf.astype(np.float32), block_weight=np.array(BLOCK_WEIGHT, np.float32))
    (out / "vocab.json").write_text(json.dumps(trained.vocab, ensure_ascii=False), encoding="utf-8")
    meta = {"labels": list(S.LABELS), "feature_version": S.FEATURE_VERSION, "values": "binary",
            "output": "one_vs_rest", **meta}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- metrics

def metrics(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """Accuracy, macro-F1, per-class F1 and the confusion matrix (rows gold, columns predicted)."""
    labels = list(S.LABELS)
    cm = np.zeros((3, 3), dtype=int)
    for g, p in zip(gold, pred, strict=True):
        cm[labels.index(g), labels.index(p)] += 1
    f1 = {}
    for k, lab in enumerate(labels):
        tp, fp, fn = cm[k, k], cm[:, k].sum() - cm[k, k], cm[k, :].sum() - cm[k, k]
        f1[lab] = float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0
    n = int(cm.sum())
    return {"n": n, "accuracy": float(np.trace(cm) / n) if n else 0.0,
            "macro_f1": float(np.mean(list(f1.values()))), "per_class": f1, "confusion": cm.tolist()}


def _labels_of(scores: np.ndarray) -> list[str]:
    return [S.LABELS[k] for k in scores.argmax(axis=1)]


def _stratified_folds(labels: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    idx = np.arange(len(labels))
    return [te for _, te in StratifiedKFold(k, shuffle=True, random_state=seed).split(idx, labels)]


def _print_report(name: str, m: dict) -> None:
    print(f"{name}: n={m['n']}  accuracy={m['accuracy']:.3f}  macro-F1={m['macro_f1']:.3f}")
    print("  per-class F1: " + "  ".join(f"{k}={v:.3f}" for k, v in m["per_class"].items()))
    print("  confusion (rows gold, cols predicted; negative, neutral, positive):")
    for lab, row in zip(S.LABELS, m["confusion"], strict=True):
        print(f"    {lab:>8} " + " ".join(f"{v:5d}" for v in row))


def _speed(model: Trained, texts: Sequence[str], pairs: Sequence[list]) -> float:
    """Sentences per CPU-second (one core) from Kiwi tokens to labels (featurize + score), best of 3."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        model.predict_feats([S.featurize(t, p) for t, p in zip(texts, pairs, strict=True)])
        best = min(best, time.process_time() - t0)
    return len(texts) / best


# ---------------------------------------------------------------- commands

def _missing(path: Path) -> bool:
    if path.is_file():
        return False
    print(f"skipped: sentiment data {path} not found (see analytics/models/sentiment/README.md)",
          file=sys.stderr)
    return True


def cv_group(doc: str, text: str) -> str:
    """The CV group of a news sentence: its article (`doc`), except the sentences written one by one in
    rounds 1 and 3 (`written:<topic>`, no article), which are each their own group."""
    return "w" + text if doc.startswith("written:") and "-" not in doc else doc


def news_subset(doc: str) -> str:
    """`real` (BIG Kinds, seeds), `written` (rounds 1 and 3 sentences) or `written5` (round-5 articles)."""
    return "written5" if doc.startswith("written:r5-") else "written" if doc.startswith("written") else "real"


def read_news(path: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """(sentences, labels, split, doc) of the hand-labelled news set."""
    import pandas as pd

    df = pd.read_csv(path)
    missing = {"kor_sentence", "labels", "split", "doc"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    labels = [str(x).strip().lower() for x in df["labels"]]
    bad = sorted(set(labels) - set(S.LABELS))
    if bad:
        raise ValueError(f"{path}: unknown labels {bad}; expected {list(S.LABELS)}")
    return df["kor_sentence"].astype(str).tolist(), labels, df["split"].astype(str).tolist(), \
        df["doc"].astype(str).tolist()


def train_main(args: argparse.Namespace) -> int:
    """Held-out figures (FPB 20 %, news test part), grouped CV on news train, then the artefact."""
    if _missing(args.data):
        return 0
    texts, labels, english = read_labelled(args.data)
    keep = dedupe(texts, english)
    print(f"FPB: {len(texts)} sentences, {len(texts) - len(keep)} near-duplicates dropped, {len(keep)} kept")
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    news_path = getattr(args, "news", None)
    if news_path is not None and not Path(news_path).is_file():
        print(f"news set {news_path} not found: training on FPB only", file=sys.stderr)
        news_path = None
    n_text, n_lab, n_split, n_doc = read_news(news_path) if news_path else ([], [], [], [])
    tr_i = [i for i, s in enumerate(n_split) if s == "train"]
    te_i = [i for i, s in enumerate(n_split) if s == "test"]
    test_keys = {near_dup_key(n_text[i]) for i in te_i}
    leaked = [i for i in tr_i if near_dup_key(n_text[i]) in test_keys]
    if leaked:
        raise ValueError(f"{len(leaked)} news train sentences duplicate test ones, e.g. {n_text[leaked[0]]!r}")
    print(f"news: {len(tr_i)} train, {len(te_i)} test (test never trained on)")
    pairs = tokenize(texts)
    feats = [S.featurize(t, p) for t, p in zip(texts, pairs, strict=True)]
    n_pairs = tokenize(n_text) if n_text else []
    n_feats = [S.featurize(t, p) for t, p in zip(n_text, n_pairs, strict=True)]
    y = np.array(labels)
    ny = np.array(n_lab)
    nw = [NEWS_WEIGHT] * len(tr_i)

    from sklearn.model_selection import GroupKFold, train_test_split

    tr, te = train_test_split(np.arange(len(y)), test_size=HOLDOUT, stratify=y, random_state=SEED)
    model = fit([feats[i] for i in tr] + [n_feats[i] for i in tr_i], list(y[tr]) + list(ny[tr_i]),
                [1.0] * len(tr) + nw)
    held = metrics(y[te], _labels_of(model.predict_feats([feats[i] for i in te])))
    _print_report(f"FPB held-out ({HOLDOUT:.0%}, stratified, seed {SEED})", held)
    news_test = news_test_real = news_test_written = news_test_written5 = None
    if te_i:
        pred_te = _labels_of(model.predict_feats([n_feats[i] for i in te_i]))
        news_test = metrics(ny[te_i], pred_te)
        _print_report("news test part (never trained on)", news_test)
        parts = {}
        for sub, name in (("real", "real-article sentences"), ("written", "written sentences, rounds 1 and 3 (flatter)"),
                          ("written5", "written articles, round 5 (flatter)")):
            ks = [k for k, i in enumerate(te_i) if news_subset(n_doc[i]) == sub]
            parts[sub] = metrics(ny[te_i][ks], [pred_te[k] for k in ks]) if ks else None
            if parts[sub]:
                _print_report("  of which " + name, parts[sub])
        news_test_real, news_test_written, news_test_written5 = parts["real"], parts["written"], parts["written5"]
    speed = _speed(model, [texts[i] for i in te], [pairs[i] for i in te])
    print(f"  speed given Kiwi tokens: {speed:,.0f} sentences/s")

    news_cv = news_cv_real = news_cv_written5 = None
    temperature = 1.0
    if len(tr_i) >= 20:
        z = np.zeros((len(tr_i), 3))
        groups = [cv_group(n_doc[i], n_text[i]) for i in tr_i]
        for fit_k, test_k in GroupKFold(5).split(tr_i, groups=groups):
            m = fit(feats + [n_feats[tr_i[k]] for k in fit_k], labels + [n_lab[tr_i[k]] for k in fit_k],
                    [1.0] * len(feats) + [NEWS_WEIGHT] * len(fit_k))
            z[test_k] = m.predict_feats([n_feats[tr_i[k]] for k in test_k])
        news_cv = metrics(ny[tr_i], _labels_of(z))
        _print_report("news train, grouped 5-fold CV (all FPB in training)", news_cv)
        real = [k for k, i in enumerate(tr_i) if news_subset(n_doc[i]) == "real"]
        if real:
            news_cv_real = metrics(ny[tr_i][real], _labels_of(z[real]))
            _print_report("  of which real-article sentences", news_cv_real)
        w5 = [k for k, i in enumerate(tr_i) if news_subset(n_doc[i]) == "written5"]
        if w5:
            news_cv_written5 = metrics(ny[tr_i][w5], _labels_of(z[w5]))
            _print_report("  of which written round-5 articles", news_cv_written5)
        temperature = fit_temperature(z, [S.LABELS.index(x) for x in ny[tr_i]])
        print(f"  probability temperature (out-of-fold NLL): {temperature:.2f}")
    fpb_cv = fpb_kfold(feats, labels, [n_feats[i] for i in tr_i], [n_lab[i] for i in tr_i])
    print(f"FPB stratified 5-fold CV (news train in every fold): accuracy {fpb_cv['accuracy_mean']:.3f} "
          f"(sd {fpb_cv['accuracy_sd']:.3f}), macro-F1 {fpb_cv['macro_f1_mean']:.3f} (sd {fpb_cv['macro_f1_sd']:.3f})")

    final = fit(feats + [n_feats[i] for i in tr_i], labels + [n_lab[i] for i in tr_i], [1.0] * len(feats) + nw)
    out = args.out or S.MODEL_DIR
    save(final, out, {
        "licence": LICENCE, "data": args.data.name, "n_train": len(labels), "n_dropped_near_duplicates":
        len(english) - len(keep), "news_data": str(news_path) if news_path else None,
        "n_news_train": len(tr_i), "news_weight": NEWS_WEIGHT, "classifier": CLASSIFIER,
        "block_weight": list(BLOCK_WEIGHT), "n_features": len(final.vocab),
        "temperature": temperature, "heldout": held, "fpb_cv5": fpb_cv, "news_test": news_test,
        "news_test_real": news_test_real, "news_test_written": news_test_written,
        "news_test_written5": news_test_written5, "news_train_cv5": news_cv, "news_train_cv5_real": news_cv_real,
        "news_train_cv5_written5": news_cv_written5,
        "sentences_per_s_given_tokens": round(speed),
    })
    print(f"wrote {out} ({len(final.vocab)} features)")
    return 0


def eval_main(args: argparse.Namespace) -> int:
    """Score the shipped model on a labelled CSV (note: the training CSV measures training fit)."""
    if _missing(args.data):
        return 0
    texts, labels, _ = read_labelled(args.data, getattr(args, "split", None))
    model = S.load_sentiment_model()
    t0 = time.process_time()
    tokens = tokenize(texts)
    t_tok = time.process_time() - t0
    t0 = time.process_time()
    pred = model.predict(texts, tokens)
    t_pred = max(time.process_time() - t0, 1e-9)
    m = metrics(labels, [lab for lab, _ in pred])
    speed = len(texts) / t_pred
    if args.json:
        print(json.dumps({"n": m["n"], "accuracy": m["accuracy"], "macro_f1": m["macro_f1"],
                          "per_class": m["per_class"], "sentences_per_s": speed}))
        return 0
    _print_report(str(args.data), m)
    print(f"  sentences/s given Kiwi tokens: {speed:,.0f};  including tokenization: "
          f"{len(texts) / (t_tok + t_pred):,.0f}")
    return 0
