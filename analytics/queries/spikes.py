"""Explain a spike: the terms and representative articles that set a period apart."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.queries import postings
from analytics.queries.corpus import Corpus
from analytics.queries.sql import _cids, _fa, _in_ints
from analytics.queries.terms import rising_terms


# ---- spikes ----------------------------------------------------------------------------------
def explain_spike(c: Corpus, f: Filters, start: date, end: date, n_terms: int = 15,
                  n_articles: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What sets [start, end] apart from the equally long period before: the top rising terms,
    and representative articles (one per story), scored by the summed G² of the rising terms
    they contain."""
    terms = rising_terms(c, f, start, end, n=n_terms)
    terms = terms[terms["direction"] == "rising"].reset_index(drop=True)
    cols = ["id", "published", "source", "title", "score"]
    if terms.empty:
        return terms, pd.DataFrame(columns=cols)
    cte, params = _fa(c, f, "a.published BETWEEN ? AND ?", [start, end])
    if postings.available(c) and len(terms) <= postings.HITS_MAX:
        return terms, _spike_articles(c, cte, params, terms, n_articles)
    marks = ", ".join("(?, ?)" for _ in range(len(terms)))
    vals = [v for t, g in zip(terms["term"], terms["g2"], strict=True) for v in (t, float(g))]
    lo, hi = c.sql("SELECT coalesce(min(aid), 0) AS lo, coalesce(max(aid), -1) AS hi FROM art "
                   "WHERE published BETWEEN ? AND ?", [start, end]).iloc[0]
    cids = _cids(c, terms["term"].tolist())
    tids = c.sql(f"SELECT tid FROM lexv WHERE cid IN {_in_ints(cids)} AND NOT stop")["tid"].tolist()
    # the period is a contiguous aid range of the article-ordered term table; only the rising terms' rows
    arts = c.sql(f"""WITH {cte}, g(term, g2) AS (VALUES {marks}),
        gc AS (SELECT n.cid, g.g2 FROM g JOIN cnames n USING (term)),
        pa AS (SELECT DISTINCT t.aid, l.cid FROM tma t JOIN lexv l USING (tid)
               WHERE t.aid BETWEEN {int(lo)} AND {int(hi)} AND t.tid IN {_in_ints(tids)}),
        sa AS (SELECT pa.aid, sum(gc.g2) AS score FROM pa JOIN gc USING (cid) GROUP BY pa.aid),
        sc AS (SELECT fa.id, fa.published, fa.source, fa.title, fa.cluster_id, sa.score
               FROM sa JOIN fa USING (aid)),
        one AS (SELECT *, row_number() OVER (PARTITION BY coalesce(cluster_id, id)
                                             ORDER BY score DESC, id) AS r FROM sc)
        SELECT id, published, source, title, score FROM one WHERE r = 1
        ORDER BY score DESC, published DESC, id LIMIT {int(n_articles)}""", params + vals)
    return terms, arts


def _spike_articles(c: Corpus, cte: str, params: list, terms: pd.DataFrame, n: int) -> pd.DataFrame:
    """`explain_spike`'s articles with each window article's rising terms read off the postings
    (one walk over the window's runs) instead of the term table's rows of the window; the story
    de-duplication and order as the SQL's."""
    aids = postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
    names = terms["term"].tolist()
    tl = c.sql(f"""SELECT n.term, l.tid FROM cnames n JOIN lexv l USING (cid)
                   WHERE n.term IN ({', '.join('?' * len(names))}) AND NOT l.stop""", names)
    by = tl.groupby("term")["tid"].apply(list).to_dict()
    rows, _ = postings.term_hits(c, aids, [by.get(t, []) for t in names])
    score = np.zeros(len(aids))
    for q, g in enumerate(terms["g2"].to_numpy(dtype=float)):
        score += np.where(rows[:, q] > 0, g, 0.0)
    has = (rows > 0).any(axis=1)
    cur = c.con.cursor()
    try:
        cur.register("spike_sa", pd.DataFrame({"aid": aids[has].astype(np.int32), "score": score[has]}))
        return cur.execute(f"""WITH {cte},
            sc AS (SELECT fa.id, fa.published, fa.source, fa.title, fa.cluster_id, sa.score
                   FROM spike_sa sa JOIN fa USING (aid)),
            one AS (SELECT *, row_number() OVER (PARTITION BY coalesce(cluster_id, id)
                                                 ORDER BY score DESC, id) AS r FROM sc)
            SELECT id, published, source, title, score FROM one WHERE r = 1
            ORDER BY score DESC, published DESC, id LIMIT {int(n)}""", params).df()
    finally:
        cur.close()
