"""Entities: top by type, timeline, network, the articles mentioning one, the forms of one.

Every count goes through the referent table `eref` (`queries/referents.py`): a referent is one
row, one node and one series whatever form an article used."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.queries import entity_sums, postings
from analytics.queries.articles import _articles_where
from analytics.queries.corpus import Corpus
from analytics.queries.referents import (
    build_eref,
    entity_forms,
    forms_of,
    multi_rows,
    ref_ids,
    referent_tids,
)
from analytics.queries.sql import _fa, _in_ints, _period, _plan, _unfiltered
from analytics.queries.terms import _pair_counts
from analytics.store import sql_str

__all__ = ["entity_articles", "entity_forms", "entity_network", "entity_timeline", "referent_tids",
           "top_entities"]


# ---- entities --------------------------------------------------------------------------------
def _ents(types_sql: str = "TRUE") -> str:
    return f"""fe AS (SELECT e.aid, r.type, r.cid, e.count, fa.published, fa.source
                      FROM ent e JOIN fa USING (aid) JOIN eref r USING (tid) WHERE {types_sql})"""


def _ent_stats(c: Corpus, f: Filters, types_sql: str) -> str:
    """SQL of (type, cid, mentions, articles) per referent over the filtered articles `fa`;
    `types_sql` is a condition on the referent's type `r.type`. From the entity aggregates when
    the filters allow it (referents with several forms or types are counted per article: one
    article may name both `민주당` and `더불어민주당`)."""
    build_eref(c)
    how, cells, fx = _plan(c, f)
    art = """SELECT r.type, r.cid, sum(e.count) AS mentions, count(DISTINCT e.aid) AS articles
             FROM ent e JOIN {} x USING (aid) JOIN eref r USING (tid) WHERE {} GROUP BY 1, 2"""
    if how == "art":
        return art.format("(SELECT aid FROM fa)", types_sql)
    agg = f"""SELECT r.type, r.cid, sum(e.mentions) AS mentions, sum(e.articles) AS articles
               FROM eagg{cells.sfx} e JOIN eref r USING (tid) WHERE {cells} AND NOT r.multi AND {types_sql} GROUP BY 1, 2
               UNION ALL
               SELECT r.type, r.cid, sum(r.count), count(*)
               FROM {multi_rows(c)} r JOIN fa USING (aid) WHERE {types_sql} GROUP BY 1, 2"""
    if how == "agg":
        return agg
    fx_non_multi = art.format(f"({fx})", f"NOT r.multi AND {types_sql}")
    return f"""SELECT type, cid, sum(mentions) AS mentions, sum(articles) AS articles FROM
               ({agg} UNION ALL SELECT type, cid, -mentions, -articles FROM ({fx_non_multi}))
               GROUP BY 1, 2 HAVING sum(articles) > 0"""


def _art_stats(c: Corpus, f: Filters, types: tuple[str, ...] | None) -> pd.DataFrame | None:
    """(type, cid, mentions, articles) per referent over `f`'s articles from the entity
    arrays (`entity_sums`), when `f` is counted per article (no aggregate covers it); else None."""
    if _plan(c, f)[0] != "art":
        return None
    er = entity_sums.rows(c)
    if er is None:
        return None
    cte, params = _fa(c, f)
    return entity_sums.stats(c, er, postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params), types)


def _named(c: Corpus, es: pd.DataFrame) -> pd.DataFrame:
    return es.assign(term=pd.Series(postings.names_of(c, es["cid"].to_numpy()), index=es.index, dtype="str"))


def top_entities(c: Corpus, f: Filters, type: str | None = None, n: int = 30) -> pd.DataFrame:  # noqa: A002
    """Most mentioned referents (aliases applied, then forms of one referent merged): type,
    entity, mentions, articles, forms (the merged forms, most mentioned first; empty if one)."""
    cte, params = _fa(c, f)
    es = _art_stats(c, f, (type,) if type else None)
    if es is not None:  # a filter no aggregate covers (a keyword query): numpy sums
        es = es.sort_values(["mentions", "articles"], ascending=False)
        if len(es) > int(n):  # names only for the rows that can rank (the n-th row's ties included)
            last = es.iloc[int(n) - 1] if int(n) > 0 else es.iloc[0]
            es = es[(es["mentions"] > last["mentions"]) | ((es["mentions"] == last["mentions"])
                                                           & (es["articles"] >= last["articles"]))]
        df = _named(c, es).rename(columns={"term": "entity"}).sort_values(
            ["mentions", "articles", "entity", "type"], ascending=[False, False, True, True]).head(int(n))
        df = df[["type", "cid", "entity", "mentions", "articles"]].reset_index(drop=True)
    else:
        cond = f"r.type = {sql_str(type)}" if type else "TRUE"
        df = c.sql(f"""WITH {cte}, es AS ({_ent_stats(c, f, cond)})
            SELECT es.type, es.cid, n.term AS entity, sum(es.mentions) AS mentions, sum(es.articles) AS articles
            FROM es JOIN cnames n USING (cid) GROUP BY 1, 2, 3
            ORDER BY mentions DESC, articles DESC, entity LIMIT {int(n)}""", params)
    df["forms"] = [forms_of(c, int(x)) for x in df["cid"]]
    return df.drop(columns="cid").astype({"mentions": "int64", "articles": "int64"})


def entity_timeline(c: Corpus, f: Filters, entity: str, granularity: str = "month") -> pd.DataFrame:
    """Mentions and articles of one entity per period and source (undated: period NaT)."""
    per = _period(granularity, "fe.published")
    ids = ref_ids(c, entity)[:1]
    cte, params = _fa(c, f)
    return c.sql(f"""WITH {cte}, {_ents("r.cid = ?")}
        SELECT {per} AS period, fe.source, sum(fe.count) AS mentions, count(DISTINCT fe.aid) AS articles
        FROM fe GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params + ids)


def entity_network(c: Corpus, f: Filters, types: tuple[str, ...] = ("PS", "OG", "LC"), min_weight: int = 1,
                   n_nodes: int = 50) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities of the given types as nodes (id "TYPE:name", size = articles); edges = articles
    mentioning both (weight >= min_weight). Nodes from the aggregates when the filters allow it;
    pairs counted only among the nodes."""
    cte, params = _fa(c, f)
    tys = list(types) or ["-"]
    es = _art_stats(c, f, tuple(tys))
    if es is not None:  # a filter no aggregate covers (a keyword query): numpy sums
        nd = es.rename(columns={"articles": "size"}).sort_values(
            ["size", "type", "cid"], ascending=[False, True, True]).head(int(n_nodes))
        nd = _named(c, nd)[["type", "cid", "term", "size"]].reset_index(drop=True)
    else:
        cond = f"r.type IN ({', '.join(sql_str(t) for t in tys)})"
        nd = c.sql(f"""WITH {cte}, es AS ({_ent_stats(c, f, cond)})
            SELECT es.type, es.cid, n.term, sum(es.articles) AS size FROM es JOIN cnames n USING (cid)
            GROUP BY 1, 2, 3 ORDER BY size DESC, es.type, es.cid LIMIT {int(n_nodes)}""", params)
    nodes = pd.DataFrame({"id": nd["type"] + ":" + nd["term"], "label": nd["term"], "type": nd["type"],
                          "size": nd["size"].astype("int64")})
    nodes = nodes.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)
    if nd.empty:
        return nodes, pd.DataFrame(columns=["source", "target", "weight"])
    er = entity_sums.rows(c) if len(nd) <= 62 else None
    if er is not None:  # per-article node masks from the arrays
        aids = None if _unfiltered(c, f) else postings.subset_aids(c, f"WITH {cte} SELECT aid FROM fa", params)
        masks, k = entity_sums.pair_masks(c, er, aids, list(zip(nd["type"], nd["cid"], strict=True)))
        co = postings.mask_pair_counts(masks, k, len(nd))
    else:
        idx = ", ".join(f"({sql_str(t)}, {int(x)}, {i})" for i, (t, x) in enumerate(zip(nd["type"], nd["cid"], strict=True)))
        etids = _in_ints(c.sql(f"SELECT tid FROM eref WHERE cid IN {_in_ints(nd['cid'].tolist())}")["tid"].tolist())
        pres = f"""WITH {cte}, ix(type, cid, node) AS (VALUES {idx})
                   SELECT e.aid, ix.node FROM ent e JOIN eref r USING (tid) JOIN ix ON ix.type = r.type AND ix.cid = r.cid
                   WHERE e.tid IN {etids} AND e.aid IN (SELECT aid FROM fa)"""
        co = _pair_counts(c, pres, params, len(nd))
    i, j = np.triu_indices(len(nd), k=1)
    w = np.rint(co[i, j]).astype(np.int64)
    keep = (w >= int(min_weight)) & (w > 0)
    ids_ = (nd["type"] + ":" + nd["term"]).tolist()
    key = list(zip(nd["type"], nd["cid"], strict=True))
    # an edge runs from the smaller (type, cid) to the larger, as in the per-article SQL
    src = [ids_[x] if key[x] < key[y] else ids_[y] for x, y in zip(i[keep], j[keep], strict=True)]
    dst = [ids_[y] if key[x] < key[y] else ids_[x] for x, y in zip(i[keep], j[keep], strict=True)]
    edges = pd.DataFrame({"source": src, "target": dst, "weight": w[keep]})
    return nodes, edges.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def entity_articles(c: Corpus, f: Filters, entity: str, limit: int = 5000) -> pd.DataFrame:
    """The filtered articles mentioning an entity (aliases applied, any form of its referent);
    columns as `articles`."""
    ids = ref_ids(c, entity)[:1]
    return _articles_where(c, f, "a.aid IN (SELECT e.aid FROM ent e JOIN eref r USING (tid) WHERE r.cid = ?)",
                           ids, limit)
