"""Sentiment over time, by source and towards a target term or entity."""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries.corpus import Corpus
from analytics.queries.sql import _fa, _in_ints, _period, _variant_tids, _with_text

# ---- sentiment -------------------------------------------------------------------------------
_TONE = """sum(s.mean_score * s.n_sentences) / nullif(sum(s.n_sentences), 0) AS mean_score,
           sum(s.pos_share * s.n_sentences) / nullif(sum(s.n_sentences), 0) AS pos_share,
           sum(s.neg_share * s.n_sentences) / nullif(sum(s.n_sentences), 0) AS neg_share,
           count(*) AS articles"""


def sentiment_over_time(c: Corpus, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Sentence-weighted tone per period and source: mean_score, pos_share, neg_share, articles."""
    per = _period(granularity, "fa.published")
    cte, params = _fa(c, f)
    return c.sql(f"""WITH {cte} SELECT {per} AS period, fa.source, {_TONE}
                     FROM fa JOIN asent s USING (aid) GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params)


def sentiment_by_source(c: Corpus, f: Filters) -> pd.DataFrame:
    """Sentence-weighted tone per source, with article and sentence counts."""
    cte, params = _fa(c, f)
    return c.sql(f"""WITH {cte} SELECT fa.source, {_TONE}, sum(s.n_sentences) AS sentences
                     FROM fa JOIN asent s USING (aid) GROUP BY 1 ORDER BY articles DESC, 1""", params)


def target_sentiment(c: Corpus, f: Filters, target: str, limit: int = 200) -> tuple[dict, pd.DataFrame]:
    """Tone of the sentences that mention a target (term or entity, aliases applied).

    Summary over every such sentence; evidence: up to `limit` sentences, newest first."""
    tids = _variant_tids(c, target)
    cte, params = _fa(c, f)
    # tsx: (term or entity id -> sentence) index ordered by id, so only the target's rows are read
    base = f"""WITH {cte},
        m AS (SELECT DISTINCT aid, pos, label, score FROM tsx WHERE tid IN {_in_ints(tids)}),
        hit AS (SELECT fa.id AS article_id, fa.published, fa.source, fa.title, m.pos, m.label, m.score
                FROM m JOIN fa USING (aid))"""
    summ = c.sql(f"""{base} SELECT count(*) AS sentences, avg(score) AS mean_score,
                        avg(CASE WHEN label = 'positive' THEN 1.0 ELSE 0 END) AS pos_share,
                        avg(CASE WHEN label = 'negative' THEN 1.0 ELSE 0 END) AS neg_share,
                        count(DISTINCT article_id) AS articles FROM hit""", params).iloc[0].to_dict()
    summary = {k: (None if pd.isna(v) else (int(v) if k in ("sentences", "articles") else float(v)))
               for k, v in summ.items()}
    ev = _with_text(c, c.sql(f"""{base} SELECT * FROM hit ORDER BY published DESC NULLS LAST, article_id, pos
                   LIMIT {int(limit)}""", params))  # text read only for these `limit` sentences
    cols = ["article_id", "published", "source", "title", "pos", "text", "label", "score"]
    return summary, ev[cols]
