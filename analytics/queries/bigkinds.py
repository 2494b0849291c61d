"""What the source already knew: BIG Kinds' own 인물/기관/위치/키워드/특성추출 columns (kept in each
imported article's `meta` JSON) beside ours, with agreement figures, and the excerpt share.

Agreement is computed as `eval entities-vs-bigkinds` and `eval keywords` compute it, but from the
stored analysis (nothing re-analysed): entities per article and type, BIG Kinds' names restricted to
forms present in our text (title + 200-character excerpt), micro P/R/F1 with `ner_train.prf`; one
difference: BIG Kinds' forms are first named as ours are (the shipped referent table and the user
aliases: 식약처 -> 식품의약품안전처), so one referent under two spellings is agreement, not a miss;
keywords as precision@10 of our stored top-10 keywords against the article's 키워드 list. The keyword
hit rule is `keywords_eval.is_hit` without its Kiwi step (the dashboard runs no models): exact
(spaces, case ignored) or every word of a phrase listed.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analytics.filters import Filters
from analytics.queries.corpus import Corpus
from analytics.queries.sql import _fa

ENTITY_COLUMNS = {"PS": "인물", "OG": "기관", "LC": "위치"}
KEYWORD_COLUMN, FEATURE_COLUMN = "키워드", "특성추출(가중치순 상위 50개)"
K = 10


def _list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [x.strip() for x in str(value).split(",") if x.strip()]


def _top(counts: Counter, n: int) -> list[tuple[str, int]]:
    """The n most frequent, ties by name (deterministic)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def excerpt_share(c: Corpus, f: Filters) -> dict:
    """Filtered articles: n, excerpts (200-character bodies), bigkinds (imported from BIG Kinds)."""
    cte, params = _fa(c, f)
    row = c.sql(f"""WITH {cte} SELECT count(*) AS n, count(*) FILTER (WHERE a.is_excerpt) AS excerpts,
                           count(*) FILTER (WHERE a.origin = 'bigkinds') AS bigkinds
                    FROM fa JOIN art a USING (aid)""", params).iloc[0]
    return {k: int(row[k]) for k in ("n", "excerpts", "bigkinds")}


def _bigkinds_rows(c: Corpus, f: Filters) -> pd.DataFrame:
    """aid, title, text, and the BIG Kinds columns of the filtered BIG Kinds articles."""
    cte, params = _fa(c, f)
    cols = [*ENTITY_COLUMNS.values(), KEYWORD_COLUMN, FEATURE_COLUMN]
    picks = ", ".join(f"json_extract_string(x.meta, '$.\"{col}\"') AS \"{col}\"" for col in cols)
    # which articles first (query tables), then the text and metadata of those only (Parquet)
    ids = c.sql(f"""WITH {cte} SELECT fa.id FROM fa JOIN art a USING (aid) WHERE a.origin = 'bigkinds'""",
                params)["id"].tolist()
    if not ids:
        return pd.DataFrame(columns=["aid", "title", "text", *cols])
    return c.sql(f"""SELECT a.aid, coalesce(x.title, '') AS title, coalesce(x.text, '') AS text, {picks}
                     FROM art a JOIN articles x ON x.id = a.id
                     WHERE a.origin = 'bigkinds' AND x.id IN (SELECT unnest(?)) ORDER BY a.aid""", [ids])


def _our_entities(c: Corpus, aids: list[int]) -> pd.DataFrame:
    if not aids:
        return pd.DataFrame(columns=["aid", "type", "name"])
    return c.sql("""SELECT e.aid, e.type, n.term AS name FROM ent e JOIN lexv l USING (tid) JOIN cnames n USING (cid)
                    WHERE e.aid IN (SELECT unnest(?))""", [aids])


def entity_comparison(c: Corpus, f: Filters, n: int = 15) -> dict:
    """BIG Kinds' people / organisations / places beside ours on the same articles.

    {"articles": BIG Kinds articles under f, "agreement": {type: prf dict}, "all": prf dict,
     "top": {type: DataFrame(name, bigkinds, in_text, ours)}}: articles BIG Kinds lists it for (from
     the full article), articles whose title + excerpt contain it, articles we found it in."""
    from analytics.nlp.entities.canonical import shipped_referents
    from analytics.nlp.ner_train import prf

    referents = shipped_referents()

    def same_referent(form: str) -> str:  # 식약처 -> 식품의약품안전처, as our entities are named
        ref = referents.get(form, (form, ""))[0]
        return c.canon(form if ref == "-" else ref)

    rows = _bigkinds_rows(c, f)
    ours = _our_entities(c, [int(a) for a in rows["aid"]])
    by_article: dict[tuple[int, str], set[str]] = {}
    for aid, typ, name in ours.itertuples(index=False):
        by_article.setdefault((int(aid), typ), set()).add(name)
    tp, npred, ngold = Counter(), Counter(), Counter()
    theirs_n: dict[str, Counter] = {t: Counter() for t in ENTITY_COLUMNS}
    ours_n: dict[str, Counter] = {t: Counter() for t in ENTITY_COLUMNS}
    text_n: dict[str, Counter] = {t: Counter() for t in ENTITY_COLUMNS}
    for d in rows.to_dict("records"):
        text = f"{d['title']}\n{d['text']}"
        for typ, col in ENTITY_COLUMNS.items():
            listed: dict[str, set[str]] = {}  # our name of it -> their forms
            for x in _list(d[col]):
                listed.setdefault(same_referent(x), set()).add(x)
            theirs_n[typ].update(listed.keys())
            mine = by_article.get((int(d["aid"]), typ), set())
            ours_n[typ].update(mine)
            in_text = {name for name, forms in listed.items() if any(x in text for x in forms)}
            text_n[typ].update(in_text)
            tp[typ] += len(mine & in_text)
            npred[typ] += len(mine)
            ngold[typ] += len(in_text)
    top = {}
    for typ in ENTITY_COLUMNS:
        names = [name for name, _ in _top(theirs_n[typ], n)]
        top[typ] = pd.DataFrame({"name": names, "bigkinds": [theirs_n[typ][x] for x in names],
                                 "in_text": [text_n[typ][x] for x in names],
                                 "ours": [ours_n[typ][x] for x in names]})
    return {"articles": int(len(rows)),
            "agreement": {t: prf(tp[t], npred[t], ngold[t]) for t in ENTITY_COLUMNS},
            "all": prf(sum(tp.values()), sum(npred.values()), sum(ngold.values())), "top": top}


def _hit(keyword: str, gold: set[str]) -> bool:
    """keywords_eval.is_hit without the Kiwi noun step: exact, or every word of a phrase listed."""
    from analytics.nlp.keywords_eval import _norm

    if _norm(keyword) in gold:
        return True
    words = keyword.split()
    return len(words) > 1 and all(_norm(w) in gold for w in words)


def keyword_comparison(c: Corpus, f: Filters, n: int = 20) -> dict:
    """BIG Kinds' keywords beside ours on the same articles.

    {"articles", "scored" (articles with a 키워드 list), "p_at_10" (our stored top-10 keywords against
    키워드), "top": DataFrame(rank, bigkinds, bigkinds_articles, ours, ours_articles) — BIG Kinds'
    특성추출 (their weighted top keywords) and our keywords, each by articles listing it,
    "overlap": how many of their top n are in our top n}."""
    from analytics.nlp.keywords_eval import _norm

    rows = _bigkinds_rows(c, f)
    aids = [int(a) for a in rows["aid"]]
    kw = (c.sql("""SELECT k.aid, k.rank, n.term FROM kw k JOIN lexv l USING (tid) JOIN cnames n USING (cid)
                   WHERE k.aid IN (SELECT unnest(?)) AND NOT l.stop ORDER BY k.aid, k.rank""", [aids])
          if aids else pd.DataFrame(columns=["aid", "rank", "term"]))
    ours_by: dict[int, list[str]] = {}
    for aid, _, term in kw.itertuples(index=False):
        ours_by.setdefault(int(aid), []).append(term)
    scores, theirs_n, ours_n = [], Counter(), Counter()
    for d in rows.to_dict("records"):
        gold = {_norm(x) for x in _list(d[KEYWORD_COLUMN])}
        mine = list(dict.fromkeys(ours_by.get(int(d["aid"]), [])))
        ours_n.update(mine)
        theirs_n.update(set(_list(d[FEATURE_COLUMN])))
        if gold:
            top = mine[:K]
            scores.append(sum(_hit(k, gold) for k in top) / len(top) if top else 0.0)
    theirs = _top(theirs_n, n)
    mine = _top(ours_n, n)
    length = max(len(theirs), len(mine))
    pad = lambda xs: xs + [(None, None)] * (length - len(xs))  # noqa: E731
    top = pd.DataFrame({"rank": range(1, length + 1),
                        "bigkinds": [x for x, _ in pad(theirs)], "bigkinds_articles": [y for _, y in pad(theirs)],
                        "ours": [x for x, _ in pad(mine)], "ours_articles": [y for _, y in pad(mine)]})
    ours_set = {_norm(x) for x, _ in mine}
    return {"articles": int(len(rows)), "scored": len(scores),
            "p_at_10": round(sum(scores) / len(scores), 4) if scores else None, "top": top,
            "overlap": sum(_norm(x) in ours_set for x, _ in theirs), "n": n}
