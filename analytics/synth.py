"""Synthetic corpora for load tests, always labelled synthetic.

Two outputs, both recombining the real sentences of the sample corpus (data/articles/*.txt):
- `synth_main` (`python -m analytics synth --articles N --out DIR [--seed S]`): a JSONL corpus to
  ingest like any upload; every record carries `"synthetic": true` (kept in the article metadata).
- `write_synthetic_store(root, n)`: a store written directly, articles plus analysis rows
  (sentences, terms, keywords, entities, tone), so the query benchmark needs no hours of NLP.

Shape: 34 sources with Zipf-like sizes (1% unknown), ten years of dates growing over time with
a few news spikes (2% undated, some month-only), article lengths log-normal around 18 sentences,
5% near-duplicates sharing a story cluster. The sample's ~260 sentences carry a small vocabulary,
so each article also gets Zipf-distributed compound topic terms (pairs of real nouns) to give a
realistic long-tailed vocabulary of ~50,000 terms. Tone and entity types are random: the numbers
mean nothing, only their volume and shape matter.
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


def write_synthetic_store(root: Path | str, n: int, seed: int = 0, chunk: int = 5000) -> None:
    """A store of n synthetic articles with analysis rows, written directly (no NLP)."""
    from analytics.store import Change, Store

    pool = sentence_pool()
    p = plan(n, pool, seed)
    topics = topic_terms(pool, seed)
    rng = np.random.default_rng(seed + 2)
    labels = rng.choice(["positive", "neutral", "negative"], size=len(pool.texts), p=[0.3, 0.45, 0.25])
    scores = np.where(labels == "positive", rng.uniform(0.2, 1, len(labels)),
                      np.where(labels == "negative", rng.uniform(-1, -0.2, len(labels)), rng.uniform(-0.2, 0.2, len(labels))))
    etype = {t: ("PS", "OG", "LC")[int(hashlib.md5(t.encode()).hexdigest(), 16) % 3]
             for ts in pool.proper for t in ts}
    store = Store(root)
    stamp = datetime.now(UTC)
    with store.writer() as w:
        for lo in range(0, n, chunk):
            ch = Change()
            rows = {k: [] for k in ("articles", "sentences", "terms", "keywords", "entities", "article_sentiment")}
            for i in range(lo, min(n, lo + chunk)):
                _article_rows(i, p, pool, topics, labels, scores, etype, stamp, rows)
            for table, rs in rows.items():
                ch.append(table, pa.Table.from_pylist(rs))
            w.commit(ch, "synthetic", note=json.dumps({"synthetic": True, "articles": [lo, min(n, lo + chunk)]}))


def _article_rows(i, p: Plan, pool: Pool, topics, labels, scores, etype, stamp, rows) -> None:
    aid, sents = p.ids[i], p.sentences[i]
    texts = [pool.texts[int(j)] for j in sents]
    pub = p.published[i]
    counts: dict[str, int] = {}
    ent: dict[str, list[int]] = {}
    start = 0
    topic_at = {int(t): int(k) % len(sents) for k, t in enumerate(p.topics[i])}
    by_pos: dict[int, list[str]] = {}
    for t, pos in topic_at.items():
        by_pos.setdefault(pos, []).append(topics[t])
    for pos, j in enumerate(sents):
        j = int(j)
        extra = by_pos.get(pos, [])
        for t, k in pool.counts[j].items():
            counts[t] = counts.get(t, 0) + k
        for t in extra:
            counts[t] = counts.get(t, 0) + 1
        for t in pool.proper[j]:
            ent.setdefault(t, []).append(pos)
        text = texts[pos]
        rows["sentences"].append({"article_id": aid, "pos": pos, "start": start, "end": start + len(text),
                                  "text": text, "label": str(labels[j]), "score": float(scores[j]),
                                  "terms": sorted(set(pool.terms[j]) | set(extra))})
        start += len(text) + 1
    body = "\n".join(texts)
    rows["articles"].append({
        "id": aid, "source": p.sources[i], "published": pub, "date_precision": p.precision[i],
        "year": pub.year if pub else None, "title": texts[0][:60], "author": None,
        "url": f"https://synthetic.invalid/{aid}", "text": body, "language": "ko", "origin": "synthetic",
        "file_key": "synthetic", "content_hash": hashlib.sha1(body.encode()).hexdigest(), "simhash": 0,
        "cluster_id": p.cluster[i], "is_excerpt": False, "synthetic": True, "n_chars": len(body),
        "meta": json.dumps({"synthetic": True}), "provenance": "{}", "ingested_at": stamp})
    rows["terms"] += [{"article_id": aid, "term": t, "cls": "common", "count": k} for t, k in counts.items()]
    top = sorted(counts.items(), key=lambda tk: (-tk[1], tk[0]))[:20]
    rows["keywords"] += [{"article_id": aid, "rank": r, "keyword": t, "score": 0.01 * r / k}
                         for r, (t, k) in enumerate(top, start=1)]
    rows["entities"] += [{"article_id": aid, "type": etype[t], "canonical": t, "surface": t, "count": len(ps),
                          "sentences": sorted(set(ps))} for t, ps in ent.items()]
    lab = labels[sents.astype(int)]
    rows["article_sentiment"].append({
        "article_id": aid, "mean_score": float(scores[sents.astype(int)].mean()),
        "pos_share": float((lab == "positive").mean()), "neg_share": float((lab == "negative").mean()),
        "n_sentences": len(sents)})
