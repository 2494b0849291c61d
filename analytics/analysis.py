"""One article batch -> rows of every analysis table, from a single Kiwi pass.

Runs inside worker processes (local pool or Dask workers): models are loaded once per process
by the `load_*` functions, which cache. Pure with respect to the store: returns rows only.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from operator import itemgetter
from time import process_time

ANALYZER = "kiwi-yake-linear-crf/17"  # /17: a county after a Korean full name is the place (`구창민 화순군 감사실장`); /16: fourteenth-set rules (a country glued after a foreign name before a title, bare 노조 no body, spans cut from quoted words no entity); /15: thirteenth-set rules (union posts as titles, <it>그룹 bodies, institutes as bodies); /14: entity rules of the twelfth written set (one-syllable foreign family names, initials, titles and bodies cut from names, bank short forms, multi-word product names; companies named as such, clubs under their short name, meetings no places)


def analyze_articles(articles: Sequence[tuple], timings: dict[str, float] | None = None) -> dict[str, list[dict]]:
    """(id, text, content_hash[, title]) tuples -> {table: rows} for sentences, terms, keywords,
    entities, article_sentiment and analyzed. `timings`, when given, receives the CPU seconds of
    each stage, added up (tests/bench/bench_speed.py --stages).

    The headline is analysed with the body (it carries the most telling words, and BIG Kinds
    bodies are 200-character excerpts): its sentences get negative positions (-k..-1) and
    offsets into the title; body sentences have positions 0.. and offsets into the text."""
    # the cyclic garbage collector paused for the batch: the stages allocate many short-lived
    # objects (spans, units, feature strings, rows) and it ran a young-generation pass every 700 of
    # them that found nearly nothing to collect (measured 0.3-0.5 s of 4.8 s CPU on the export +
    # seeds, batch mode); reference counting still frees everything as usual
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(articles, timings)
    finally:
        if enabled:
            gc.enable()


def _analyze(articles: Sequence[tuple], timings: dict[str, float] | None) -> dict[str, list[dict]]:
    from analytics.ingest.boilerplate import analysed_text
    from analytics.nlp.entities import load_recognizer
    from analytics.nlp.keywords import extract_keywords, term_counts
    from analytics.nlp.sentiment import article_sentiment, load_sentiment_model
    from analytics.nlp.tokenize import analyze_batch, sentence_terms

    out: dict[str, list[dict]] = defaultdict(list)
    if not articles:
        return out
    lap = _Laps(timings)
    titles = [(a[3] if len(a) > 3 else None) or "" for a in articles]
    # boilerplate (bylines, credits, copyright, transcript markers) blanked to equal-length spaces:
    # never analysed, offsets still point into the stored text (analytics/ingest/boilerplate.py)
    clean = [analysed_text(a[1]) for a in articles] + [analysed_text(t) for t in titles]
    lap("boilerplate")
    docs = analyze_batch(clean)
    lap("kiwi")
    bodies, heads = docs[:len(articles)], docs[len(articles):]
    model = load_sentiment_model()
    recognizer = load_recognizer()
    stamp = datetime.now(UTC)
    # sentiment: one predict call for the whole batch's sentences (one matrix product, not one per
    # article), split back per article; each sentence's row is computed alone, so results are equal
    all_sents = [list(head) + list(body) for body, head in zip(bodies, heads, strict=True)]
    flat = [s for sents in all_sents for s in sents]
    lap("models loaded")
    all_tones = model.predict([s.text for s in flat], [s.tokens for s in flat]) if flat else []
    lap("sentiment")
    # entities: one extract call for the whole batch (its CRF scores and decodes all sentences at
    # once), split back per article; each sentence's labels are computed alone, so results are equal
    all_ents = recognizer.extract([s.text for s in flat], [s.tokens for s in flat]) if flat else []
    lap("entities")
    cut = 0
    for (aid, _text, chash, *_), sents, head in zip(articles, all_sents, heads, strict=True):
        first = -len(head)
        texts = [s.text for s in sents]
        lo, cut = cut, cut + len(sents)
        tones, ents = all_tones[lo:cut], all_ents[lo:cut]
        for pos, (sent, (label, score)) in enumerate(zip(sents, tones, strict=True), start=first):
            units = sentence_terms(sent)
            out["sentences"].append({"article_id": aid, "pos": pos, "start": sent.start, "end": sent.end,
                                     "text": sent.text, "label": label, "score": float(score), "terms": units})
        lap("sentence units")
        for term, cls, count in term_counts(sents):
            out["terms"].append({"article_id": aid, "term": term, "cls": cls, "count": count})
        lap("term counts")
        for rank, (kw, score) in enumerate(extract_keywords(sents, top=20), start=1):
            out["keywords"].append({"article_id": aid, "rank": rank, "keyword": kw, "score": float(score)})
        lap("keywords")
        out["entities"] += _entity_rows(aid, ents, first, texts)
        lap("entity rows")
        agg = article_sentiment(tones)
        out["article_sentiment"].append({"article_id": aid, **agg})
        out["analyzed"].append({"article_id": aid, "content_hash": chash, "analyzer": ANALYZER,
                                "analyzed_at": stamp})
        lap("rows")
    return out


class _Laps:
    """`lap(stage)` adds the CPU time since the previous lap to `timings[stage]`; a no-op
    without `timings` (the default, so the pipeline pays nothing)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = process_time() if timings is not None else 0.0

    def __call__(self, stage: str) -> None:
        if self.timings is not None:
            now = process_time()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now


def _entity_rows(aid: str, per_sentence: Sequence[Sequence], first: int = 0,
                 texts: Sequence[str] | None = None) -> list[dict]:
    """Mentions -> one row per referent of the article: short forms resolved to the full name
    the article gave (`윤 대통령` -> 윤석열, `머스크` -> 일론 머스크) or dropped, curated short
    names and country abbreviations mapped (`entities.canonical`); type = the referent's most
    frequent type in the article; surface = its most frequent form; sentence positions."""
    from analytics.nlp.entities.canonical import resolve_article

    if texts is not None:
        per_sentence = resolve_article(texts, per_sentence, n_head=max(0, -first))
    # plain dicts (a Counter's missing keys go through Python-level __missing__); `_most_common` is
    # Counter.most_common(1)'s pick: the first of the most frequent in first-seen order
    counts: dict[str, int] = {}
    types: dict[str, dict[str, int]] = {}
    surfaces: dict[str, dict[str, int]] = {}
    where: dict[str, set[int]] = {}
    for pos, ents in enumerate(per_sentence, start=first):
        for e in ents:
            c = e.canonical
            if c in counts:
                counts[c] += 1
                t, x = types[c], surfaces[c]
                t[e.type] = t.get(e.type, 0) + 1
                x[e.text] = x.get(e.text, 0) + 1
                where[c].add(pos)
            else:
                counts[c] = 1
                types[c], surfaces[c], where[c] = {e.type: 1}, {e.text: 1}, {pos}
    rows = [{"article_id": aid, "type": _most_common(types[c]), "canonical": c,
             "surface": _most_common(surfaces[c]), "count": n, "sentences": sorted(where[c])}
            for c, n in counts.items()]
    return sorted(rows, key=lambda r: (r["type"], r["canonical"]))


def _most_common(counts: dict[str, int]) -> str:
    return next(iter(counts)) if len(counts) == 1 else max(counts.items(), key=itemgetter(1))[0]
