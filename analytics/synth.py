"""Synthetic corpora for load tests, always labelled synthetic.

Two outputs:
- `synth_main` (`python -m analytics synth --articles N --out DIR [--seed S]`): a JSONL corpus to
  ingest like any upload (real NLP runs on it), recombining the real sentences of the sample
  corpus (data/articles/*.txt); every record carries `"synthetic": true`.
- `write_synthetic_store(root, n)`: a store written directly, articles plus analysis rows
  (sentences, terms, keywords, entities, tone), so the query benchmarks need no hours of NLP.
  Its vocabulary is real: data/synth/vocab.tsv (analytics/synth_vocab.py: 28k terms from our
  tokenizer over the BIG Kinds export and KLUE sentences, 12.7k konne entity names by type) plus
  120k two-term compounds and phrases of them; term tokens follow a Zipf-Mandelbrot law over
  those ranks (exponent TERM_ZIPF_S), each article repeats 6 topic terms (spike days share
  theirs), names 1 + Poisson(4) entities drawn by a Zipf law per type, and its tone has an
  article and an outlet bias (about 55 % neutral, 27 % negative, 18 % positive sentences).

Shape: 34 sources with Zipf-like sizes (1% unknown), ten years of dates growing over time with
a few news spikes (2% undated, some month-only), article lengths log-normal around 18 sentences,
5% near-duplicates sharing a story cluster. The numbers mean nothing, only volume and shape.
"""


from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from analytics.arrays import unique
from analytics.config import ROOT

SAMPLE_DIR = ROOT / "data" / "articles"
SOURCES = ("연합뉴스", "조선일보", "중앙일보", "동아일보", "한겨레", "경향신문", "한국일보", "매일경제", "한국경제",
           "서울경제", "머니투데이", "이데일리", "아시아경제", "헤럴드경제", "파이낸셜뉴스", "전자신문", "디지털타임스",
           "ZDNet Korea", "뉴시스", "뉴스1", "국민일보", "세계일보", "서울신문", "문화일보", "KBS", "MBC", "SBS",
           "YTN", "JTBC", "오마이뉴스", "프레시안", "블로터", "일경산업신문", "부산일보")
START, YEARS = date(2015, 1, 1), 10
N_TOPICS = 50_000


@dataclass
class Pool:
    """Sentences of the sample corpus with their content units (analysed once with Kiwi)."""

    texts: list[str]
    terms: list[list[str]]  # per sentence, sorted unique units
    counts: list[dict[str, int]]  # per sentence, unit -> occurrences
    proper: list[list[str]]  # per sentence, proper nouns (entity candidates)


def sentence_pool(sample_dir: Path = SAMPLE_DIR) -> Pool:
    """Split and analyse the sample articles (Kiwi; a whitespace fallback if it is unavailable)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sample_dir).glob("*.txt"))]
    pool = Pool([], [], [], [])
    try:
        from analytics.nlp.tokenize import analyze_batch, sentence_units

        for sents in analyze_batch(texts):
            for s in sents:
                units = sentence_units(s)
                if len(s.text) < 8 or not units:
                    continue
                cnt: dict[str, int] = {}
                for u in units:
                    cnt[u.term] = cnt.get(u.term, 0) + 1
                pool.texts.append(s.text)
                pool.terms.append(sorted(cnt))
                pool.counts.append(cnt)
                pool.proper.append(sorted({u.term for u in units if u.cls == "proper"}))
    except ImportError:  # pragma: no cover - kiwipiepy is a pinned requirement
        for text in texts:
            for line in text.splitlines():
                words = [w.strip(".,'\"()") for w in line.split() if len(w) >= 2]
                if len(line) >= 8 and words:
                    cnt = {w: words.count(w) for w in set(words)}
                    pool.texts.append(line)
                    pool.terms.append(sorted(cnt))
                    pool.counts.append(cnt)
                    pool.proper.append([])
    if not pool.texts:
        raise ValueError(f"no sample sentences under {sample_dir}")
    return pool


@dataclass
class Plan:
    """Per-article choices shared by the JSONL and the direct-store outputs."""

    ids: list[str]
    sources: list[str | None]
    published: list[date | None]
    precision: list[str | None]
    cluster: list[str]
    sentences: list[np.ndarray]  # pool indices
    topics: list[np.ndarray]  # topic term indices


def plan(n: int, pool: Pool, seed: int = 0) -> Plan:
    rng = np.random.default_rng(seed)
    w = 1 / np.arange(1, len(SOURCES) + 1) ** 0.9
    src_idx = rng.choice(len(SOURCES), size=n, p=w / w.sum())
    unknown_src = rng.random(n) < 0.01
    days = YEARS * 365
    # growth over time plus a few spikes of breaking news
    base = rng.power(1.6, size=n) * days
    spikes = rng.choice(days, size=6, replace=False)
    in_spike = rng.random(n) < 0.08
    base[in_spike] = rng.choice(spikes, size=in_spike.sum()) + rng.integers(0, 10, size=in_spike.sum())
    day = np.clip(base.astype(int), 0, days - 1)
    undated = rng.random(n) < 0.02
    month_only = rng.random(n) < 0.03
    n_sent = np.clip(rng.lognormal(np.log(16), 0.5, size=n).astype(int), 3, 80)
    ranks = rng.zipf(1.3, size=(n, 12))
    ids, sources, published, precision, cluster, sentences, topics = [], [], [], [], [], [], []
    for i in range(n):
        aid = hashlib.blake2b(f"synth-{seed}-{i}".encode(), digest_size=8).hexdigest()
        ids.append(aid)
        sources.append(None if unknown_src[i] else SOURCES[src_idx[i]])
        if undated[i]:
            published.append(None)
            precision.append(None)
        else:
            d = START + timedelta(days=int(day[i]))
            published.append(d.replace(day=1) if month_only[i] else d)
            precision.append("month" if month_only[i] else "day")
        dup = i > 10 and rng.random() < 0.05
        if dup:
            j = int(rng.integers(0, i))
            cluster.append(cluster[j])
            sentences.append(sentences[j][: max(3, len(sentences[j]) - 1)])
        else:
            cluster.append(aid)
            sentences.append(rng.integers(0, len(pool.texts), size=n_sent[i]))
        topics.append(np.unique(ranks[i][ranks[i] <= N_TOPICS] - 1))
    return Plan(ids, sources, published, precision, cluster, sentences, topics)


def topic_terms(pool: Pool, seed: int = 0) -> list[str]:
    """N_TOPICS compound terms from pairs of real nouns, most common first."""
    rng = np.random.default_rng(seed + 1)
    nouns = sorted({t for ts in pool.terms for t in ts if " " not in t and len(t) >= 2})
    a = rng.integers(0, len(nouns), size=N_TOPICS * 2)
    b = rng.integers(0, len(nouns), size=N_TOPICS * 2)
    seen: dict[str, None] = {}
    for x, y in zip(a, b, strict=True):
        if x != y:
            seen.setdefault(nouns[x] + nouns[y], None)
        if len(seen) == N_TOPICS:
            break
    return list(seen)


def _title(pool: Pool, sents: np.ndarray) -> str:
    return pool.texts[int(sents[0])][:60]


def synth_main(args) -> int:
    """CLI: write N synthetic articles as JSONL (`corpus.jsonl` under --out)."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pool = sentence_pool()
    p = plan(int(args.articles), pool, int(args.seed))
    path = out / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, aid in enumerate(p.ids):
            sents = p.sentences[i]
            pub = p.published[i]
            rec = {"id": f"synth:{aid}", "title": _title(pool, sents), "source": p.sources[i],
                   "date": (pub.strftime("%Y-%m") if p.precision[i] == "month" else pub.isoformat()) if pub else None,
                   "author": None, "url": f"https://synthetic.invalid/{aid}",
                   "body": "\n".join(pool.texts[int(j)] for j in sents), "synthetic": True}
            fh.write(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False) + "\n")
    print(f"{len(p.ids)} synthetic articles -> {path}", file=sys.stderr)
    return 0


# ---- the direct-store generator (query benchmarks) ----------------------------------------------
# Zipf-Mandelbrot ranks: p(r) ~ 1 / (r + Q)^S. With the 28k derived terms the most frequent one
# takes ~0.3 % of the term tokens (a top news noun, in ~1/3 of the articles), rank 1,000 ~0.01 %.
TERM_ZIPF_S, TERM_ZIPF_Q = 1.05, 60.0
ENTITY_ZIPF_S, ENTITY_ZIPF_Q = 1.1, 5.0
N_COMPOUNDS = 120_000  # two-term compounds and phrases (백신접종, 정부 대책): the long tail
COMPOUND_SHARE = 0.06  # of the term tokens
TOPIC_SHARE = 0.25  # of an article's tokens come from its 6 topic terms (burstiness, co-occurrence)
ENTITY_TYPES = ("PS", "OG", "LC")
ENTITY_TYPE_P = (0.4, 0.35, 0.25)
# particles as (after a final consonant, after a vowel); "" = the bare word
PARTICLES = (("", ""), ("", ""), ("", ""), ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("의", "의"),
             ("에", "에"), ("에서", "에서"), ("도", "도"), ("으로", "로"))
ENDINGS = ("밝혔다.", "전했다.", "말했다.", "보인다.", "예정이다.", "설명했다.", "했다.", "나타났다.", "지적했다.", "강조했다.")


@dataclass
class Vocab:
    """The generator's names: single terms, then compounds/phrases, then entity forms not already
    terms; `ent_ids[type]` = ids of that type's forms, most frequent first."""

    names: pa.Array
    n_terms: int
    n_single: int
    ent_ids: dict[str, np.ndarray]
    term_cdf: np.ndarray
    comp_cdf: np.ndarray
    ent_cdf: dict[str, np.ndarray]
    is_entity: np.ndarray  # per name id
    vowel_end: np.ndarray  # per name id: ends in a syllable without a final consonant (가, 는, 를)


def _zipf_cdf(n: int, s: float, q: float) -> np.ndarray:
    w = 1.0 / (np.arange(1, n + 1) + q) ** s
    c = np.cumsum(w)
    return c / c[-1]


def vocabulary(seed: int = 0) -> Vocab:
    """Names and rank distributions from data/synth/vocab.tsv (analytics/synth_vocab.py)."""
    from analytics.synth_vocab import load

    lists = load()
    single = lists["term"]
    rng = np.random.default_rng(seed + 7)
    head = min(3000, len(single))
    a, b = rng.integers(0, head, size=2 * N_COMPOUNDS), rng.integers(0, head, size=2 * N_COMPOUNDS)
    spaced = rng.random(2 * N_COMPOUNDS) < 0.5
    seen = set(single)
    comps: list[str] = []
    for x, y, sp in zip(a.tolist(), b.tolist(), spaced.tolist(), strict=True):
        if x == y:
            continue
        form = f"{single[x]} {single[y]}" if sp else single[x] + single[y]
        key = single[x] + single[y]
        if form in seen or key in seen:
            continue
        seen.add(form)
        seen.add(key)
        comps.append(form)
        if len(comps) == N_COMPOUNDS:
            break
    names = single + comps
    index = {t: i for i, t in enumerate(names)}
    ent_ids = {}
    for kind in ENTITY_TYPES:
        ids = []
        for form in lists[kind]:
            if form not in index:
                index[form] = len(names)
                names.append(form)
            ids.append(index[form])
        ent_ids[kind] = np.array(ids, dtype=np.int64)
    is_ent = np.zeros(len(names), dtype=bool)
    for ids in ent_ids.values():
        is_ent[ids] = True
    return Vocab(pa.array(names, pa.string()), len(single) + len(comps), len(single), ent_ids,
                 _zipf_cdf(len(single), TERM_ZIPF_S, TERM_ZIPF_Q), _zipf_cdf(len(comps), 1.0, TERM_ZIPF_Q),
                 {k: _zipf_cdf(len(v), ENTITY_ZIPF_S, ENTITY_ZIPF_Q) for k, v in ent_ids.items()}, is_ent,
                 np.array([not ("가" <= t[-1] <= "힣") or (ord(t[-1]) - 0xAC00) % 28 == 0 for t in names]))


def _draw(rng, cdf: np.ndarray, size) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(size)), len(cdf) - 1)


def write_synthetic_store(root: Path | str, n: int, seed: int = 0, chunk: int = 20_000, first: int = 0) -> None:
    """A store of n synthetic articles with analysis rows, written directly (no NLP).

    Articles `first` .. `first + n - 1` (ids depend on seed and index only): `first` > 0 appends
    more articles of the same corpus to an existing store (the incremental-build benchmark).
    One commit per `chunk` articles. Shape: see the module docstring and docs/PERFORMANCE.md."""
    from analytics.store import Change, Store

    voc = vocabulary(seed)
    g = np.random.default_rng(seed)
    days = YEARS * 365
    spikes = g.choice(days, size=6, replace=False)
    spike_topics = g.integers(30, 3000, size=(6, 6))
    src_w = 1 / np.arange(1, len(SOURCES) + 1) ** 0.9
    src_bias = g.normal(0, 0.25, size=len(SOURCES))
    store = Store(root)
    stamp = datetime.now(UTC)
    with store.writer() as w:
        for lo in range(first, first + n, chunk):
            hi = min(first + n, lo + chunk)
            rows = _chunk_rows(lo, hi, seed, voc, spikes, spike_topics, src_w / src_w.sum(), src_bias, stamp)
            ch = Change()
            for table, tbl in rows.items():
                ch.append(table, tbl)
            w.commit(ch, "synthetic", note=json.dumps({"synthetic": True, "articles": [lo, hi]}))


def _chunk_rows(lo: int, hi: int, seed: int, voc: Vocab, spikes, spike_topics, src_p, src_bias, stamp) -> dict:
    """Every table's rows for articles lo..hi-1, built with numpy/Arrow (no per-token Python)."""
    import pyarrow.compute as pc

    rng = np.random.default_rng([seed, lo])
    m = hi - lo
    days = YEARS * 365
    # ---- per article: source, date, story cluster, length, tone, topic terms
    src = rng.choice(len(SOURCES), size=m, p=src_p)
    unknown = rng.random(m) < 0.01
    day = (rng.power(1.6, size=m) * days).astype(int)
    spike = np.where(rng.random(m) < 0.08, rng.integers(0, len(spikes), size=m), -1)
    day = np.where(spike >= 0, spikes[np.maximum(spike, 0)] + rng.integers(0, 10, size=m), day)
    day = np.clip(day, 0, days - 1)
    undated = rng.random(m) < 0.02
    month_only = rng.random(m) < 0.03
    n_sent = np.clip(rng.lognormal(np.log(16), 0.5, size=m).astype(np.int64), 3, 80)
    topics = np.minimum(_draw(rng, voc.term_cdf, (m, 6)) + 30, voc.n_single - 1)
    topics[spike >= 0] = spike_topics[spike[spike >= 0]]
    bias = rng.normal(0, 0.5, size=m) + np.where(unknown, 0, src_bias[src])
    dup_of = np.full(m, -1)
    cand = np.flatnonzero(rng.random(m) < 0.05)
    cand = cand[cand > 10]
    dup_of[cand] = (rng.random(len(cand)) * cand).astype(int)
    dup_of[dup_of >= 0] = np.where(dup_of[dup_of[dup_of >= 0]] >= 0, -1, dup_of[dup_of >= 0])  # no chains
    is_dup = dup_of >= 0
    # ---- base sentences (non-duplicates): tokens
    base_art = np.repeat(np.flatnonzero(~is_dup), n_sent[~is_dup])
    nb = len(base_art)
    n_tok = rng.poisson(9, size=nb) + 2
    tok_sent = np.repeat(np.arange(nb), n_tok)
    t = len(tok_sent)
    tok = _draw(rng, voc.term_cdf, t)
    comp = rng.random(t) < COMPOUND_SHARE
    tok[comp] = voc.n_single + _draw(rng, voc.comp_cdf, int(comp.sum()))
    top = rng.random(t) < TOPIC_SHARE
    tok[top] = topics[base_art[tok_sent[top]], rng.integers(0, 6, size=int(top.sum()))]
    flag = np.zeros(t, dtype=bool)
    # entities: 1 + Poisson(4) names per article, each in 1 + Geometric sentences
    n_ent = 1 + rng.poisson(4, size=m)
    n_ent[is_dup] = 0
    e_art = np.repeat(np.arange(m), n_ent)
    e_type = rng.choice(len(ENTITY_TYPES), size=len(e_art), p=ENTITY_TYPE_P)
    e_id = np.empty(len(e_art), dtype=np.int64)
    for k, kind in enumerate(ENTITY_TYPES):
        sel = e_type == k
        e_id[sel] = voc.ent_ids[kind][_draw(rng, voc.ent_cdf[kind], int(sel.sum()))]
    mentions = np.minimum(rng.geometric(0.45, size=len(e_art)), 8)
    m_art = np.repeat(e_art, mentions)
    m_id = np.repeat(e_id, mentions)
    first_base = np.concatenate([[0], np.cumsum(np.where(is_dup, 0, n_sent))])[:-1]
    m_sent = first_base[m_art] + (rng.random(len(m_art)) * n_sent[m_art]).astype(int)
    tok = np.concatenate([tok, m_id])
    tok_sent = np.concatenate([tok_sent, m_sent])
    flag = np.concatenate([flag, np.ones(len(m_id), dtype=bool)])
    order = np.argsort(tok_sent, kind="stable")
    tok, tok_sent, flag = tok[order], tok_sent[order], flag[order]
    b_off = np.concatenate([[0], np.cumsum(np.bincount(tok_sent, minlength=nb))])
    # ---- output sentences: a duplicate re-uses its story's sentences but the last
    out_n = np.where(is_dup, np.maximum(3, n_sent[np.maximum(dup_of, 0)] - 1), n_sent)
    out_n = np.where(is_dup, np.minimum(out_n, n_sent[np.maximum(dup_of, 0)]), out_n)
    src_art = np.where(is_dup, dup_of, np.arange(m))
    s_art = np.repeat(np.arange(m), out_n)
    s_pos = np.arange(len(s_art)) - np.repeat(np.cumsum(out_n) - out_n, out_n)
    s_base = first_base[src_art[s_art]] + s_pos
    s_len = b_off[s_base + 1] - b_off[s_base]
    gather = np.repeat(b_off[s_base] - np.cumsum(np.concatenate([[0], s_len[:-1]])), s_len) + np.arange(s_len.sum())
    o_tok, o_flag = tok[gather], flag[gather]
    o_sent = np.repeat(np.arange(len(s_art)), s_len)
    o_art = s_art[o_sent]
    # ---- sentence text (tokens with particles, an ending), tone
    particle = rng.integers(0, len(PARTICLES), len(o_tok)) * 2 + voc.vowel_end[o_tok]
    words = pc.binary_join_element_wise(voc.names.take(pa.array(o_tok)),
                                        pa.array([x for pair in PARTICLES for x in pair]).take(pa.array(particle)), "")
    s_off = pa.array(np.concatenate([[0], np.cumsum(s_len)]).astype(np.int32))
    body = pc.binary_join(pa.ListArray.from_arrays(s_off, words), " ")
    text = pc.binary_join_element_wise(body, pa.array(ENDINGS).take(pa.array(rng.integers(0, len(ENDINGS), len(s_art)))), " ")
    u = bias[s_art] + rng.normal(0, 1, size=len(s_art))
    label = np.where(u < -0.6, "negative", np.where(u > 0.9, "positive", "neutral"))
    score = np.tanh(u * 0.9).astype(np.float32)
    tlen = pc.utf8_length(text).to_numpy().astype(np.int64)
    art_first_s = np.cumsum(out_n) - out_n
    cum = np.cumsum(tlen + 1)
    start = cum - (tlen + 1) - np.repeat(np.concatenate([[0], cum])[art_first_s], out_n)
    # ---- ids, articles
    ids = [hashlib.blake2b(f"synth-{seed}-{i}".encode(), digest_size=8).hexdigest() for i in range(lo, hi)]
    ids_arr = pa.array(ids)
    cluster = pa.array([ids[d] if d >= 0 else ids[i] for i, d in enumerate(dup_of.tolist())])
    a_off = pa.array(np.concatenate([[0], np.cumsum(out_n)]).astype(np.int32))
    art_text = pc.binary_join(pa.ListArray.from_arrays(a_off, text), "\n")
    pub = [None if undated[i] else START + timedelta(days=int(day[i])) for i in range(m)]
    pub = [d.replace(day=1) if d is not None and month_only[i] else d for i, d in enumerate(pub)]
    sources = [None if unknown[i] else SOURCES[src[i]] for i in range(m)]
    hashes = [hashlib.sha1(x.encode()).hexdigest() for x in art_text.to_pylist()]
    articles = pa.table({
        "id": ids_arr, "source": pa.array(sources, pa.string()), "published": pa.array(pub, pa.date32()),
        "date_precision": pa.array([None if d is None else ("month" if mo else "day") for d, mo in zip(pub, month_only, strict=True)], pa.string()),
        "year": pa.array([d.year if d else None for d in pub], pa.int32()),
        "title": pc.utf8_slice_codeunits(text.take(pa.array(art_first_s)), 0, 60), "author": pa.nulls(m, pa.string()),
        "url": pa.array([f"https://synthetic.invalid/{x}" for x in ids]), "text": art_text,
        "language": pa.array(["ko"] * m), "origin": pa.array(["synthetic"] * m), "file_key": pa.array(["synthetic"] * m),
        "content_hash": pa.array(hashes), "simhash": pa.array(np.zeros(m, dtype=np.int64)), "cluster_id": cluster,
        "is_excerpt": pa.array(np.zeros(m, dtype=bool)), "synthetic": pa.array(np.ones(m, dtype=bool)),
        "n_chars": pc.utf8_length(art_text).cast(pa.int32()), "meta": pa.array(['{"synthetic": true}'] * m),
        "provenance": pa.array(["{}"] * m), "ingested_at": pa.array([stamp] * m, pa.timestamp("us", tz="UTC"))})
    # ---- sentences: unique terms per sentence
    nv = len(voc.names)
    sk = unique(o_sent.astype(np.int64) * nv + o_tok)
    st_sent, st_tid = sk // nv, sk % nv
    st_off = pa.array(np.concatenate([[0], np.cumsum(np.bincount(st_sent, minlength=len(s_art)))]).astype(np.int32))
    sentences = pa.table({
        "article_id": ids_arr.take(pa.array(s_art)), "pos": pa.array(s_pos.astype(np.int32)),
        "start": pa.array(start.astype(np.int32)), "end": pa.array((start + tlen).astype(np.int32)), "text": text,
        "label": pa.array(label), "score": pa.array(score),
        "terms": pa.ListArray.from_arrays(st_off, voc.names.take(pa.array(st_tid)))})
    # ---- terms: (article, term) counts; keywords: the 20 most frequent of each article
    ak, cnt = np.unique(o_art.astype(np.int64) * nv + o_tok, return_counts=True)
    t_art, t_tid = ak // nv, ak % nv
    terms = pa.table({"article_id": ids_arr.take(pa.array(t_art)), "term": voc.names.take(pa.array(t_tid)),
                      "cls": pa.array(np.where(voc.is_entity[t_tid], "proper", "common")),
                      "count": pa.array(cnt.astype(np.int32))})
    o = np.lexsort((t_tid, -cnt, t_art))
    first_row = np.searchsorted(t_art[o], t_art[o])
    rank = np.arange(len(o)) - first_row + 1
    keep = o[rank <= 20]
    rk = rank[rank <= 20]
    keywords = pa.table({"article_id": ids_arr.take(pa.array(t_art[keep])), "rank": pa.array(rk.astype(np.int32)),
                         "keyword": voc.names.take(pa.array(t_tid[keep])),
                         "score": pa.array((0.01 * rk / cnt[keep]).astype(np.float32))})
    # ---- entities: flagged mentions -> (article, name) with count and sentence positions
    ek = unique(o_art[o_flag].astype(np.int64) * nv + o_tok[o_flag])
    mk = o_art[o_flag].astype(np.int64) * nv + o_tok[o_flag]
    e_cnt = np.bincount(np.searchsorted(ek, mk), minlength=len(ek))
    pk = unique(mk * 128 + s_pos[o_sent[o_flag]])
    p_row = np.searchsorted(ek, pk // 128)
    p_off = pa.array(np.concatenate([[0], np.cumsum(np.bincount(p_row, minlength=len(ek)))]).astype(np.int32))
    etype = np.empty(nv, dtype=object)
    for kind in ENTITY_TYPES[::-1]:  # a form listed under several types keeps the first
        etype[voc.ent_ids[kind]] = kind
    e_tid = ek % nv
    ename = voc.names.take(pa.array(e_tid))
    entities = pa.table({"article_id": ids_arr.take(pa.array(ek // nv)), "type": pa.array(etype[e_tid].astype(str)),
                         "canonical": ename, "surface": ename, "count": pa.array(e_cnt.astype(np.int32)),
                         "sentences": pa.ListArray.from_arrays(p_off, pa.array((pk % 128).astype(np.int32)))})
    # ---- article tone
    k = np.bincount(s_art, minlength=m)
    sentiment = pa.table({
        "article_id": ids_arr, "mean_score": pa.array((np.bincount(s_art, score, minlength=m) / k).astype(np.float32)),
        "pos_share": pa.array((np.bincount(s_art, label == "positive", minlength=m) / k).astype(np.float32)),
        "neg_share": pa.array((np.bincount(s_art, label == "negative", minlength=m) / k).astype(np.float32)),
        "n_sentences": pa.array(k.astype(np.int32))})
    return {"articles": articles, "sentences": sentences, "terms": terms, "keywords": keywords,
            "entities": entities, "article_sentiment": sentiment}
