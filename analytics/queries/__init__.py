"""Read-only queries over the store under one Filters value -> DataFrames.

The dashboard asks only this package; its modules: corpus (opening, cache, lexicon), sql (shared
SQL and pre-aggregate planning), articles, terms, tone, entities, spikes. `open_corpus` opens one consistent store snapshot and
materialises the small per-article tables into in-memory DuckDB tables keyed by an integer
article id (`aid`), with every term, keyword and entity name replaced by an id into one
vocabulary (`vocab`). The user lexicon (stopwords, aliases) is applied at QUERY time through two
tiny tables built from that vocabulary: `lexv(tid, cid, stop)` maps a raw term to its canonical
id, `cnames(cid, term)` names it; editing the lexicon rebuilds only those (see `reload_lexicon`).
Sentence text stays in Parquet and is read only for the few articles a query needs.

Every query starts from one CTE of filtered articles (`fa`), built by `_fa` from `Filters`,
including the keyword query (`Filters.query`, parsed by `parse_query`). Formulas are documented
in docs/method/queries.md.
"""

from __future__ import annotations

from analytics.filters import parse_query
from analytics.queries.articles import (
    article,
    article_entities,
    article_keywords,
    article_sentences,
    articles,
    kpis,
    last_problems,
    sources,
    store_versions,
    volume,
    years,
)
from analytics.queries.corpus import (
    GRANULARITIES,
    PRIOR_ALPHA0,
    SENTENCE_SCOPE_ARTICLES,
    Corpus,
    lexicon_key,
    open_corpus,
    reload_lexicon,
)
from analytics.queries.entities import (
    entity_articles,
    entity_forms,
    entity_network,
    entity_timeline,
    top_entities,
)
from analytics.queries.spikes import explain_spike
from analytics.queries.sql import _agg_cells, _plan  # noqa: F401  (internals the tests check)
from analytics.queries.terms import (
    cooccurrence_network,
    distinctive_terms,
    keyword_trend,
    kwic,
    related_terms,
    rising_terms,
    top_keywords,
)
from analytics.queries.tone import (
    sentiment_by_source,
    sentiment_driver_evidence,
    sentiment_drivers,
    sentiment_over_time,
    target_sentiment,
)
from analytics.queries.topics import (
    issue_period,
    issues,
    query_trend,
    topic_articles,
    topic_by_source,
    topic_model,
    topic_model_ready,
    topic_over_time,
    topic_summary,
)
from analytics.queries.warm import warm_up

__all__ = [
    "GRANULARITIES",
    "PRIOR_ALPHA0",
    "SENTENCE_SCOPE_ARTICLES",
    "lexicon_key",
    "reload_lexicon",
    "Corpus",
    "open_corpus",
    "warm_up",
    "parse_query",
    "articles",
    "article",
    "volume",
    "kpis",
    "sources",
    "years",
    "keyword_trend",
    "top_keywords",
    "rising_terms",
    "distinctive_terms",
    "related_terms",
    "cooccurrence_network",
    "kwic",
    "sentiment_over_time",
    "sentiment_by_source",
    "target_sentiment",
    "sentiment_drivers",
    "sentiment_driver_evidence",
    "top_entities",
    "entity_timeline",
    "entity_network",
    "entity_articles",
    "entity_forms",
    "explain_spike",
    "article_keywords",
    "article_entities",
    "article_sentences",
    "store_versions",
    "last_problems",
    "topic_model",
    "topic_model_ready",
    "topic_summary",
    "topic_over_time",
    "topic_by_source",
    "topic_articles",
    "issues",
    "issue_period",
    "query_trend",
]
