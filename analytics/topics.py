"""Topic models and issue clusters over per-article term counts (pure: no store, no streamlit).

Stages of `fit_topics`, the entry point:
1. `prepare_docs`: per-article (term, count) rows -> bags of terms; numeric date/time expressions,
   one outlet's house-style terms (`house_style_terms`), and terms in more than MAX_DF of the
   articles (the corpus' own subject, e.g. 백신 in a 백신 export) or fewer than MIN_DF are left
   out, since they name no topic.
2. `choose_k` (when k is 0): LDA fitted for each candidate k on a seeded sample (two seeds); the
   fewest topics whose mean document-level NPMI coherence of their top terms is within one
   standard error of the best candidate's wins.
3. `fit_lda`: tomotopy LDA (collapsed Gibbs sampling, one worker, fixed seed: deterministic),
   `iterations_for` sweeps.
4. `topic_table` / `topic_shares`: topics named by their top terms, each article's topic mix.

`issue_clusters` groups the articles of a period into events: TF-IDF over their terms, average-
linkage agglomerative clustering on cosine distance with a distance threshold (scikit-learn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

SEED = 20210201
ITERATIONS = 200  # Gibbs sweeps of the final model on a small corpus ...
MIN_ITERATIONS = 100  # ... and at least this many on a large one:
SWEEP_BUDGET = 170_000_000  # sweeps x tokens (10,000 news articles of ~170 terms get 100 sweeps)
SELECT_ITERATIONS = 100  # sweeps per candidate fit while choosing k
SELECT_SAMPLE = 1000  # articles the candidates are fitted on (all when fewer)
SELECT_SEEDS = 2  # fits per candidate (their coherence is averaged; their spread sets the tolerance)
K_CANDIDATES = (3, 5, 8, 10, 15, 20, 30)
MIN_DOCS = 10  # fewer articles than this make no topic model
DOCS_PER_TOPIC = 5  # a candidate k needs at least this many articles per topic
MAX_DF = 0.5  # terms in more than this share of the articles are left out
MIN_DF = 2
TOP_N = 10  # top terms per topic (its name uses the first few, coherence all)
LABEL_TERMS = 4
COHERENCE = "문서 단위 NPMI (top 10)"  # the stated criterion (docs/method/topics.md)

_TIME_WORD = re.compile(r"^(\d+([.,]\d+)?(일|시|분|초|월|년|주|시간|일간|개월)|오전|오후|이날|당일|지난해|올해|전날|내일|오늘|어제)$")
# a bare number or an amount (226만2천명, 3억원, 40%): a figure names no topic (65세, 1차, 1호 stay)
_AMOUNT = re.compile(r"^[\d,.]+(만|천|백|억|조)?([\d,.]*(만|천|백|억|조))*(명|건|개|원|달러|엔|곳|회|번|배|%|퍼센트|명분)?$")

Progress = Callable[[float, str], None]


def drop_time_terms(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` without the rows whose `term` is a date, time or bare figure (see is_time_term)."""
    if rows.empty:
        return rows
    codes, uniques = pd.factorize(rows["term"])  # each distinct term tested once (a period: 90k rows, 30k terms)
    flags = np.fromiter((is_time_term(str(t)) for t in uniques.tolist()), dtype=bool, count=len(uniques))
    return rows[~np.where(codes >= 0, flags[codes], False)]  # (code -1: a missing term, kept)


@lru_cache(maxsize=200_000)  # terms recur across periods and calls
def is_time_term(term: str) -> bool:
    """True for date/time expressions and bare figures (26일, 오전 9시, 3개월, 226만2천명): every
    word of the term is one."""
    words = term.split()
    return bool(words) and all(_TIME_WORD.match(w) or _AMOUNT.match(w) for w in words)


@dataclass
class Docs:
    """Bags of terms for the topic model: `keys[i]` is the article id of `bags[i]` (articles left
    with no terms after filtering are dropped)."""

    keys: np.ndarray
    bags: list[list[str]]
    n_input: int  # articles given, including dropped ones
    dropped_terms: list[str]  # the most frequent terms left out for being in > MAX_DF of articles
    style_terms: list[str] = field(default_factory=list)  # house-style terms left out (house_style_terms)


STYLE_SOURCE_SHARE = 0.9  # a term whose articles are at least this share from one source ...
STYLE_IN_SOURCE = 0.1  # ... and that is in at least this share of that source's articles ...
STYLE_MIN_SOURCES = 3  # ... is a house-style term (only in a corpus of this many sources or more)


def _style_table(rows: pd.DataFrame, min_df: int = 5) -> pd.DataFrame:
    """(term, source) of the house-style terms (see house_style_terms)."""
    if rows.empty or "source" not in rows or rows["source"].nunique() < STYLE_MIN_SOURCES:
        return pd.DataFrame(columns=["term", "source", "n"])
    per = rows.drop_duplicates(["key", "term"]).groupby(["term", "source"], sort=False).size().rename("n").reset_index()
    df = per.groupby("term")["n"].transform("sum")
    size = rows.drop_duplicates("key").groupby("source").size()
    per = per.assign(df=df, ns=per["source"].map(size))
    hit = per[(per["df"] >= min_df) & (per["n"] >= STYLE_SOURCE_SHARE * per["df"]) &
              (per["n"] >= STYLE_IN_SOURCE * per["ns"])]
    return hit.sort_values(["n", "term"], ascending=[False, True])[["term", "source", "n"]]


def house_style_terms(rows: pd.DataFrame, min_df: int = 5) -> list[str]:
    """Terms that name the outlet rather than the story, from `rows` (key, term, source): one
    source's way of writing (문화일보's 신종 코로나바이러스 감염증, 한겨레's 65살, a section name), i.e.
    in at least `min_df` articles, STYLE_SOURCE_SHARE of them from one source, and in
    STYLE_IN_SOURCE of that source's articles. Left in, they make topics of outlets, not stories."""
    return list(_style_table(rows, min_df)["term"])


def without_house_style(rows: pd.DataFrame, words: Callable[[object], list] | None = None) -> pd.DataFrame:
    """`rows` (key, term, count, source) without the house-style terms of its own articles.
    `words(term)` gives a term's words as values of the term column (default: its space-separated
    parts; the queries pass integer term ids and their own look-up)."""
    return _without_style(rows, _style_table(rows), words)


def _without_style(rows: pd.DataFrame, style: pd.DataFrame, split: Callable[[object], list] | None = None) -> pd.DataFrame:
    """`rows` without house-style terms, and without the words of a house-style phrase in that
    source's articles (문화일보's 신종 코로나바이러스 감염증 leaves no 신종 / 감염증 behind there)."""
    if style.empty:
        return rows
    drop = rows["term"].isin(set(style["term"]))
    for term, source in zip(style["term"], style["source"], strict=True):
        words = split(term) if split else term.split()
        if len(words) > 1:
            drop |= (rows["source"] == source).to_numpy() & rows["term"].isin(words).to_numpy()
    return rows[~drop]


def prepare_docs(rows: pd.DataFrame, max_df: float = MAX_DF, min_df: int = MIN_DF) -> Docs:
    """`rows` (key, term, count[, source]), one per article and term -> bags of terms (a term
    repeated `count` times), without time expressions, house-style terms (with a source column)
    and too common or too rare terms."""
    if rows.empty:
        return Docs(np.array([], dtype=object), [], 0, [], [])
    table = _style_table(rows)
    style = list(table["term"])
    n = rows["key"].nunique()
    df0 = rows.groupby("term", sort=False)["key"].nunique()  # the corpus' subject, before style removal
    common = df0[df0 > max_df * n].sort_values(ascending=False) if n >= MIN_DOCS else df0.iloc[:0]
    rows = _without_style(rows, table)[["key", "term", "count"]]
    df = rows.groupby("term", sort=False)["key"].nunique()
    keep = df[(df >= min(min_df, n)) & ~df.index.isin(common.index)].index
    keep = keep[~pd.Series(keep, dtype=object).map(is_time_term).to_numpy()] if len(keep) else keep
    r = rows[rows["term"].isin(keep) & (rows["count"] > 0)].sort_values(["key", "term"], kind="stable")
    n_input = n
    reported = [str(t) for t in common.index if not is_time_term(str(t))][:20]
    if r.empty:
        return Docs(np.array([], dtype=object), [], n_input, reported, style)
    keys = r["key"].to_numpy()
    bounds = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    terms = np.repeat(r["term"].to_numpy(dtype=object), r["count"].to_numpy(dtype=np.int64))
    ends = np.cumsum(r["count"].to_numpy(dtype=np.int64))
    cuts = ends[bounds - 1] if len(bounds) else np.array([], dtype=np.int64)
    bags = [list(b) for b in np.split(terms, cuts)]
    doc_keys = np.concatenate([keys[:1], keys[bounds]]) if len(keys) else keys
    return Docs(doc_keys, bags, n_input, reported, style)


def candidate_ks(n_docs: int, candidates: Sequence[int] = K_CANDIDATES) -> list[int]:
    """The candidate numbers of topics for a corpus of n_docs articles (at least [2])."""
    ks = [k for k in candidates if k * DOCS_PER_TOPIC <= n_docs]
    return ks or [2]


def iterations_for(bags: Sequence[Sequence[str]]) -> int:
    """Sweeps of the final fit: ITERATIONS, fewer on a large corpus (down to MIN_ITERATIONS), so a
    fit's cost grows with the corpus only past SWEEP_BUDGET / MIN_ITERATIONS tokens."""
    tokens = max(1, sum(len(b) for b in bags))
    return int(min(ITERATIONS, max(MIN_ITERATIONS, SWEEP_BUDGET // tokens)))


def fit_lda(bags: Sequence[Sequence[str]], k: int, seed: int = SEED, iterations: int = ITERATIONS,
            progress: Progress | None = None, step: int = 20):
    """A tomotopy LDAModel of k topics trained on the bags (one worker: the same seed gives the
    same model). `progress(fraction, message)` is called every `step` sweeps."""
    import tomotopy as tp

    model = tp.LDAModel(k=int(k), seed=int(seed), alpha=0.1, eta=0.01)
    for bag in bags:
        model.add_doc(bag, ignore_empty_words=True)
    done = 0
    while done < iterations:
        n = min(step, iterations - done)
        model.train(n, workers=1, parallel=tp.ParallelScheme.NONE)
        done += n
        if progress:
            progress(done / iterations, f"{k}개 토픽 학습 {done}/{iterations}")
    return model


def coherence(model, top_n: int = TOP_N) -> list[float]:
    """Per topic: mean NPMI of its top terms' pairs, probabilities estimated from document
    co-occurrence in the model's own articles (bags have no word order, so no sliding window)."""
    import tomotopy as tp

    c = tp.coherence
    coh = c.Coherence(model, coherence=(c.ProbEstimation.DOCUMENT, c.Segmentation.ONE_ONE, c.ConfirmMeasure.NPMI),
                      top_n=top_n)
    return [float(coh.get_score(topic_id=t)) for t in range(model.k)]


def choose_k(bags: Sequence[Sequence[str]], candidates: Sequence[int] | None = None, seed: int = SEED,
             sample: int = SELECT_SAMPLE, iterations: int = SELECT_ITERATIONS, seeds: int = SELECT_SEEDS,
             progress: Progress | None = None) -> pd.DataFrame:
    """Coherence of each candidate k (the mean over `seeds` fits on one seeded sample of at most
    `sample` bags): k, coherence, se, chosen. Chosen: the fewest topics whose coherence is within
    one standard error (seed-to-seed, pooled over candidates) of the best; coherence is flat and
    noisy over a wide range of k on news, and its bare maximum drifts to the largest candidate."""
    ks = list(candidates) if candidates else candidate_ks(len(bags))
    idx = np.arange(len(bags))
    if len(bags) > sample:
        idx = np.sort(np.random.default_rng(seed).choice(len(bags), sample, replace=False))
    sub = [bags[i] for i in idx]
    scores = []
    runs = len(ks) * seeds
    for i, k in enumerate(ks):
        per_seed = []
        for j in range(seeds):
            step = i * seeds + j

            def prog(frac: float, msg: str, step: int = step) -> None:
                if progress:
                    progress((step + frac) / runs, f"토픽 수 고르기: {msg}")
            per_seed.append(float(np.mean(coherence(fit_lda(sub, k, seed + j, iterations, prog if progress else None)))))
        scores.append(per_seed)
    runs_ = np.array(scores)
    out = pd.DataFrame({"k": ks, "coherence": runs_.mean(axis=1)})
    # one-standard-error rule: the seed-to-seed spread, pooled over candidates, sets how far below
    # the best a candidate may score and still count as as good
    sd = float(np.sqrt(runs_.var(axis=1, ddof=1).mean())) if seeds > 1 else 0.0
    out["se"] = sd / np.sqrt(seeds)
    ok = out[out["coherence"] >= out["coherence"].max() - out["se"]]
    out["chosen"] = out.index == ok["k"].idxmin()
    return out


def label_terms(terms: Sequence[str], n: int = LABEL_TERMS) -> list[str]:
    """The first n terms, skipping a word already inside a chosen compound (크라우드 after
    크라우드 소싱) and a compound whose words are all already chosen."""
    chosen: list[str] = []
    words: set[str] = set()
    for t in terms:
        parts = t.split()
        if (len(parts) == 1 and t in words) or (len(parts) > 1 and all(p in words for p in parts)):
            continue
        chosen.append(t)
        words.update(parts)
        if len(chosen) == n:
            break
    return chosen


RELEVANCE_LAMBDA = 0.6  # Sievert & Shirley (2014): the weight of a term's probability in its relevance


def relevant_terms(model, topic: int, n: int, lam: float = RELEVANCE_LAMBDA) -> list[str]:
    """A topic's n most relevant terms: lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w)), so a
    term frequent everywhere (정부, 국내) ranks below one frequent in this topic only (LDAvis)."""
    vocab = list(model.used_vocabs)
    freq = np.asarray(model.used_vocab_freq, dtype=np.float64)
    phi = np.asarray(model.get_topic_word_dist(topic), dtype=np.float64)
    with np.errstate(divide="ignore"):
        rel = lam * np.log(phi) + (1 - lam) * np.log(phi / (freq / freq.sum()))
    order = np.lexsort((np.arange(len(vocab)), -rel))  # ties: vocabulary order (deterministic)
    return [vocab[i] for i in order[:n]]


def topic_table(model, theta: np.ndarray, top_n: int = TOP_N) -> pd.DataFrame:
    """One row per topic (numbered from 1): label and terms (its most relevant terms, see
    relevant_terms), weight (mean share of the articles' topic mix), articles (whose main topic it
    is), coherence (of its top_n most probable terms); ordered by weight."""
    coh = coherence(model, top_n)
    main = theta.argmax(axis=1) if len(theta) else np.array([], dtype=int)
    rows = []
    for t in range(model.k):
        words = relevant_terms(model, t, top_n * 2)
        rows.append({"topic": t + 1, "label": " · ".join(label_terms(words)), "terms": ", ".join(words[:top_n]),
                     "weight": float(theta[:, t].mean()) if len(theta) else 0.0,
                     "articles": int((main == t).sum()), "coherence": coh[t]})
    return pd.DataFrame(rows).sort_values(["weight", "topic"], ascending=[False, True]).reset_index(drop=True)


def doc_topics(model) -> np.ndarray:
    """The articles' topic mixes (rows sum to 1), in the order they were added."""
    if not len(model.docs):
        return np.zeros((0, model.k))
    return np.vstack([np.asarray(d.get_topic_dist(), dtype=np.float64) for d in model.docs])


@dataclass
class TopicFit:
    """A fitted topic model's results (what the store-side cache keeps; no model object)."""

    topics: pd.DataFrame  # see topic_table
    keys: np.ndarray  # article ids, row order of theta
    theta: np.ndarray  # n_docs x k topic mixes
    k_scores: pd.DataFrame  # choose_k's table; one row (the given k) when k was fixed
    dropped_terms: list[str]
    fit: np.ndarray  # per article, how well it represents its main topic (fit_scores)
    iterations: int = ITERATIONS  # sweeps of the final fit
    style_terms: list[str] = field(default_factory=list)


def fit_topics(docs: Docs, k: int = 0, seed: int = SEED, progress: Progress | None = None) -> TopicFit:
    """The whole model: k chosen by coherence when 0, then the final fit on every article."""
    if len(docs.bags) < MIN_DOCS:
        raise ValueError(f"토픽 모델에는 단어가 있는 기사가 {MIN_DOCS}건 이상 필요합니다 "
                         f"(현재 {len(docs.bags)}건). (Too few articles for a topic model.)")

    def part(lo: float, hi: float) -> Progress | None:
        return (lambda f, m: progress(lo + (hi - lo) * f, m)) if progress else None

    if k <= 0:
        scores = choose_k(docs.bags, seed=seed, progress=part(0.0, 0.6))
        k = int(scores.loc[scores["chosen"], "k"].iloc[0])
        final = part(0.6, 1.0)
    else:
        scores = None
        final = part(0.0, 1.0)
    iterations = iterations_for(docs.bags)
    model = fit_lda(docs.bags, k, seed, iterations, final)
    theta = doc_topics(model)
    topics = topic_table(model, theta)
    if scores is None:
        scores = pd.DataFrame({"k": [k], "coherence": [float(topics["coherence"].mean())], "se": [0.0],
                               "chosen": [True]})
    tops = [[w for w, _ in model.get_topic_words(t, top_n=2 * TOP_N)] for t in range(k)]
    return TopicFit(topics, docs.keys, theta, scores, docs.dropped_terms, fit_scores(docs.bags, theta, tops),
                    iterations, docs.style_terms)


def topic_shares(theta: np.ndarray, groups: pd.Series, topics: Sequence[int] | None = None) -> pd.DataFrame:
    """Per group (a period, a source) and topic: share = the mean of the group's articles' topic
    mix for that topic (a group's shares sum to 1), articles = those whose main topic it is, and
    n_articles of the group. `groups` aligns with theta's rows; topics are numbered from 1."""
    k = theta.shape[1]
    names = list(topics) if topics is not None else list(range(1, k + 1))
    cols = ["group", "topic", "share", "articles", "n_articles"]
    if not len(theta):
        return pd.DataFrame(columns=cols)
    g = pd.Series(groups).reset_index(drop=True)
    frame = pd.DataFrame(theta, columns=range(1, k + 1))
    frame["group"] = g
    means = frame.groupby("group", dropna=False, sort=True).mean()
    main = pd.DataFrame({"group": g, "topic": theta.argmax(axis=1) + 1})
    counts = main.groupby(["group", "topic"], dropna=False).size().rename("articles").reset_index()
    sizes = main.groupby("group", dropna=False).size().rename("n_articles").reset_index()
    out = means.reset_index().melt(id_vars="group", var_name="topic", value_name="share")
    out["topic"] = out["topic"].astype(int)
    out = out[out["topic"].isin(names)]
    out = out.merge(counts, on=["group", "topic"], how="left").merge(sizes, on="group", how="left")
    out["articles"] = out["articles"].fillna(0).astype("int64")
    out["n_articles"] = out["n_articles"].astype("int64")
    return out.sort_values(["group", "topic"], na_position="last").reset_index(drop=True)[cols]


def fit_scores(bags: Sequence[Sequence[str]], theta: np.ndarray, top_terms: Sequence[Sequence[str]]) -> np.ndarray:
    """Per article: its main topic's share times the fraction of its words that are among that
    topic's top terms. High for an article made of the topic's own words; a short article pulled
    into a topic by one shared word (총리 in a 의사 파업 topic) scores low."""
    main = theta.argmax(axis=1) if len(theta) else np.array([], dtype=int)
    tops = [set(t) for t in top_terms]
    out = np.zeros(len(bags))
    for i, (bag, t) in enumerate(zip(bags, main, strict=True)):
        if bag:
            out[i] = theta[i, t] * sum(w in tops[t] for w in bag) / len(bag)
    return out


def representative(theta: np.ndarray, topic: int, n: int = 10, scores: np.ndarray | None = None) -> np.ndarray:
    """Row positions of the n most representative articles of `topic` (numbered from 1) among
    those whose main topic it is, best first: by `scores` (see fit_scores), else by topic share."""
    if not len(theta):
        return np.array([], dtype=int)
    t = topic - 1
    mine = np.flatnonzero(theta.argmax(axis=1) == t)
    key = theta[mine, t] if scores is None else scores[mine]
    order = mine[np.argsort(-key, kind="stable")]
    return order[:n]


# ---- issues: articles on the same event ------------------------------------------------------
# cosine distance (average linkage) under which articles join one issue; chosen on the labelled
# day 2021-02-15 of data/labels/issues (tests/bench/eval_issues.py, docs/method/topics.md)
ISSUE_DISTANCE = 0.9
ISSUE_GRAINS = (0.8, ISSUE_DISTANCE, 0.95)  # 좁게 narrow, 보통 normal, 넓게 broad
ISSUE_MAX_ARTICLES = 4000  # more articles in a period: the most recent this many are clustered


def issue_clusters(rows: pd.DataFrame, distance: float = ISSUE_DISTANCE, min_size: int = 2) -> pd.DataFrame:
    """`rows` (key, term, count) of a period's articles -> (key, issue, size, centrality, central):
    issues numbered from 1 by size (largest first), only those of at least min_size articles;
    `central` marks each issue's most central article (highest mean cosine to its issue)."""
    rows = drop_time_terms(rows[rows["count"] > 0])
    if rows.empty:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    keys, kidx = np.unique(rows["key"].to_numpy(), return_inverse=True)
    terms, tidx = np.unique(rows["term"].to_numpy(dtype=object).astype(str), return_inverse=True)
    return coded_issue_clusters(keys, kidx, tidx, rows["count"].to_numpy(dtype=np.float64), len(terms), distance,
                                min_size)


ISSUE_COLUMNS = ["key", "issue", "size", "centrality", "central"]


def coded_issue_clusters(keys: np.ndarray, kidx: np.ndarray, tidx: np.ndarray, counts: np.ndarray, n_terms: int,
                         distance: float = ISSUE_DISTANCE, min_size: int = 2) -> pd.DataFrame:
    """issue_clusters of rows given as codes: article `keys[kidx[r]]` holds term number `tidx[r]`
    (< n_terms; terms numbered in their sorted order) `counts[r]` times (> 0, one row per article
    and term); time terms are the caller's to drop. The queries pass integer term ids here
    instead of strings (a 7-day window at 1M articles: 400,000 rows)."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    n = len(keys)
    if n < max(2, min_size):
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    counts = csr_matrix((counts, (kidx, tidx)), shape=(n, n_terms))
    x = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts)).astype(np.float32)
    sims, diag = cosine_pairs(x)
    out = pd.DataFrame({"key": keys, "label": _average_linkage_cut(sims, n, distance)})
    sizes = out["label"].map(out["label"].value_counts())
    out["size"] = sizes.astype("int64")
    out = out[out["size"] >= min_size].copy()
    if out.empty:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    cent = np.zeros(len(out))
    for _, g in out.groupby("label"):
        ii = g.index.to_numpy()  # out's index is the row position in keys
        block = _block(sims, diag, n, ii)
        cent[out.index.get_indexer(g.index)] = (block.sum(axis=1) - np.diag(block)) / max(len(ii) - 1, 1)
    out["centrality"] = cent
    first_key = out.groupby("label")["key"].transform("min")
    order = (out[["label", "size"]].assign(first=first_key).drop_duplicates("label")
             .sort_values(["size", "first"], ascending=[False, True]))
    out["issue"] = out["label"].map({lab: i + 1 for i, lab in enumerate(order["label"])})
    out = out.sort_values(["issue", "centrality", "key"], ascending=[True, False, True])
    out["central"] = ~out["issue"].duplicated()
    return out.reset_index(drop=True)[ISSUE_COLUMNS]


def _average_linkage_cut(sims: np.ndarray, n: int, distance: float) -> np.ndarray:
    """Flat clusters of average-linkage agglomerative clustering on the cosine distances
    clip(1 - sims, 0, 2) (sims: condensed float32), cut at `distance`: what scikit-learn's
    AgglomerativeClustering(metric="precomputed", linkage="average", distance_threshold=distance)
    gives, with the same scipy linkage, but run per connected component of the pairs closer than
    `distance`: an average of distances none of which is below the cut is not below it either,
    so no two such components ever merge under it. A period's articles mostly fall into small
    components, and the linkage's O(n^2) pass then runs over a few pairs instead of all of them."""
    from scipy.cluster.hierarchy import linkage
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    dist = np.clip(1.0 - sims, 0.0, 2.0)
    near = np.flatnonzero(dist < distance + 1e-6)  # a margin: more joined components stay exact
    starts = np.cumsum(np.r_[0, np.arange(n - 1, 0, -1)])  # condensed position of each row's first pair
    a = np.searchsorted(starts, near, side="right") - 1
    b = near - starts[a] + a + 1
    _, comp = connected_components(coo_matrix((np.ones(len(near)), (a, b)), shape=(n, n)), directed=False)
    if 2 * np.bincount(comp).max() > n:  # one component holds most articles: one linkage of them all
        comp = np.zeros(n, dtype=np.int64)
    labels = np.arange(n)
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    for ii in np.split(order, bounds):  # members ascending within each component
        if len(ii) < 2:
            continue
        tree = linkage(_sub_condensed(dist, n, ii).astype(np.float64), method="average")
        _, first, inv = np.unique(_cut_tree(tree, len(ii), distance), return_index=True, return_inverse=True)
        labels[ii] = ii[first[inv]]  # each cluster named by its first member
    return labels


def _sub_condensed(cond: np.ndarray, n: int, ii: np.ndarray) -> np.ndarray:
    """The condensed matrix of the members `ii` (ascending) of a condensed n x n matrix."""
    m = len(ii)
    if m == n:
        return cond
    out = np.empty(m * (m - 1) // 2, dtype=cond.dtype)
    at = 0
    for a in range(m - 1):
        out[at:at + m - a - 1] = cond[_pair_index(n, ii[a], ii[a + 1:])]
        at += m - a - 1
    return out


def _cut_tree(tree: np.ndarray, n: int, distance: float) -> np.ndarray:
    """Flat cluster of each of the n leaves of a scipy linkage (merges in ascending distance):
    the merges below `distance` kept, the rest undone (scikit-learn's cut at its threshold)."""
    m = int(np.count_nonzero(tree[:, 2] < distance))
    parent = np.full(2 * n - 1, -1, dtype=np.int64)
    kids = tree[:m, :2].astype(np.int64)
    parent[kids[:, 0]] = parent[kids[:, 1]] = n + np.arange(m)
    root = np.arange(2 * n - 1)
    for node in range(n + m - 1, -1, -1):  # a merge's node number is above its children's
        if parent[node] >= 0:
            root[node] = root[parent[node]]
    return root[:n]


def _pair_index(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Position of the pair (a, b), a < b, in a condensed n x n matrix (scipy's order)."""
    return a * (2 * n - a - 1) // 2 + (b - a - 1)


def _block(sims: np.ndarray, diag: np.ndarray, n: int, ii: np.ndarray) -> np.ndarray:
    """The square block of rows/columns `ii` of the symmetric matrix given as condensed pairs and
    diagonal."""
    a, b = np.meshgrid(ii, ii, indexing="ij")
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    block = sims[np.where(lo < hi, _pair_index(n, lo, np.maximum(hi, lo + 1)), 0)]
    np.fill_diagonal(block, diag[ii])
    return block


_GRAM: dict = {}


def cosine_pairs(x) -> tuple[np.ndarray, np.ndarray]:
    """(condensed upper triangle, diagonal) of x @ x.T for a float32 CSR matrix x, in float32,
    each entry summed over the shared columns in ascending order (what scipy's sparse product
    does), but one pass over each row's pairs to the right: at a few thousand articles the
    sparse product and its dense n x n copy were most of a period's issue clustering."""
    n = x.shape[0]
    x = x.tocsr()
    x.sort_indices()
    col = x.tocsc()
    col.sort_indices()
    if "k" not in _GRAM:
        from numba import njit

        _GRAM["k"] = njit(cache=True, nogil=True)(_gram_kernel)
    sims = np.zeros(n * (n - 1) // 2, dtype=np.float32)
    diag = np.zeros(n, dtype=np.float32)
    _GRAM["k"](n, x.indptr, x.indices, x.data, col.indptr.astype(np.int64), col.indices, col.data,
               col.indptr[:-1].astype(np.int64), sims, diag)
    return sims, diag


def _gram_kernel(n, indptr, indices, data, cptr, crow, cdata, cur, sims, diag):  # pragma: no cover - numba
    """sims[pair(i, j)] (i < j) and diag[i] of x @ x.T. Rows are visited in order, so column k's
    cursor cur[k] stands on row i's own entry whenever row i holds k: the rows after it are
    the pairs (i, j > i) that column adds to."""
    off = 0
    for i in range(n):
        for p in range(indptr[i], indptr[i + 1]):
            k = indices[p]
            v = data[p]
            q0 = cur[k]
            diag[i] += v * cdata[q0]
            for q in range(q0 + 1, cptr[k + 1]):
                sims[off + crow[q] - i - 1] += v * cdata[q]
            cur[k] = q0 + 1
        off += n - i - 1
