"""Counts behind the "새로 떠오른" alerts: articles naming each term or entity in two date windows.

The statistics (the test, the threshold) live in `analytics.alerts`; this module only counts.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.queries import postings
from analytics.queries.corpus import Corpus
from analytics.queries.referents import build_eref
from analytics.queries.sql import _fa, _in_ints, _window_aids

COUNT_COLUMNS = ["kind", "name", "latest", "previous"]


def dated_counts(c: Corpus, f: Filters) -> pd.DataFrame:
    """Filtered articles per publication day: day, articles (undated articles are left out)."""
    cte, params = _fa(c, f)
    return c.sql(f"""WITH {cte} SELECT published AS day, count(*) AS articles FROM fa
                     WHERE published IS NOT NULL GROUP BY 1 ORDER BY 1""", params)


def window_counts(c: Corpus, f: Filters, latest: tuple[date, date], previous: tuple[date, date]) -> pd.DataFrame:
    """Per term (kind "term") and entity (kind PS/OG/LC): articles naming it in the latest and
    previous windows (both inclusive). Aliases are applied, stopwords dropped (as on every page).
    attrs: n_latest, n_previous (filtered articles in each window)."""
    build_eref(c)  # entities are counted under their referent (queries/referents.py)
    cte, params = _fa(c, f)
    win = [latest[0], latest[1], previous[0], previous[1], latest[0], latest[1]]
    tg = """tg AS (SELECT aid, CASE WHEN published BETWEEN ? AND ? THEN 1 ELSE 0 END AS hit FROM fa
                   WHERE published BETWEEN ? AND ? OR published BETWEEN ? AND ?)"""
    if postings.available(c):
        return _window_counts_postings(c, cte, params, tg, win, latest, previous)
    tot = c.sql(f"""WITH {cte}, {tg} SELECT coalesce(sum(hit), 0) AS n1, coalesce(sum(1 - hit), 0) AS n0,
                           min(aid) AS lo, max(aid) AS hi FROM tg""", params + win).iloc[0]
    # the windows' aids as constants: the entity table is in name order, so the range is tested in
    # its scan instead of probing every entity row against tg (at 1M: 4.5 million rows)
    rng = "BETWEEN 0 AND -1" if pd.isna(tot["lo"]) else f"BETWEEN {int(tot['lo'])} AND {int(tot['hi'])}"
    # a term's rows are one per (article, canonical term) (tma is grouped by aid, tid; alias groups
    # summed per article in mrows; a delta only adds new articles): summed per term without a
    # DISTINCT over ~2 million (term, article) rows at 1M; entity rows (one per surface) need it
    df = c.sql(f"""WITH {cte}, {tg},
        x AS (SELECT 'term' AS kind, tc.cid, sum(tg.hit) AS latest, sum(1 - tg.hit) AS previous
              FROM tcx tc JOIN tg USING (aid) WHERE tc.aid {rng} GROUP BY tc.cid
              UNION ALL
              SELECT kind, cid, sum(hit), sum(1 - hit) FROM (
                  SELECT DISTINCT r.type AS kind, r.cid, tg.aid, tg.hit FROM ent e JOIN tg USING (aid)
                  JOIN eref r USING (tid) JOIN lexv l USING (tid) WHERE NOT l.stop AND e.aid {rng}) GROUP BY kind, cid)
        SELECT x.kind, n.term AS name, CAST(sum(x.latest) AS BIGINT) AS latest,
               CAST(sum(x.previous) AS BIGINT) AS previous
        FROM x JOIN cnames n USING (cid) GROUP BY 1, 2 ORDER BY 1, 2""", params + win)
    df = df[COUNT_COLUMNS] if not df.empty else pd.DataFrame(columns=COUNT_COLUMNS)
    df.attrs.update(n_latest=int(tot["n1"]), n_previous=int(tot["n0"]))
    return df


def _window_counts_postings(c: Corpus, cte: str, params: list, tg: str, win: list,
                            latest: tuple[date, date], previous: tuple[date, date]) -> pd.DataFrame:
    """`window_counts` with the terms' article counts summed over the postings of the two windows'
    filtered articles (an article in both counts for the latest, as the SQL's CASE); the entities'
    from the same SQL as before (one row per surface: they need its DISTINCT)."""
    t_aids, p_aids = _window_aids(c, cte, params, latest, previous)
    both = np.concatenate([t_aids, p_aids])
    rng = f"BETWEEN {int(both.min())} AND {int(both.max())}" if len(both) else "BETWEEN 0 AND -1"
    (c1, _, d1), (c0, _, d0) = postings.subset_freq(c, t_aids, tf=False), postings.subset_freq(c, p_aids, tf=False)
    size = int(max(c1.max(initial=0), c0.max(initial=0))) + 1
    lat, prev = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    lat[c1], prev[c0] = d1, d0
    cid = np.flatnonzero((lat > 0) | (prev > 0))
    ents = c.sql(f"""WITH {cte}, {tg}
        SELECT kind, cid, sum(hit) AS latest, sum(1 - hit) AS previous FROM (
            SELECT DISTINCT r.type AS kind, r.cid, tg.aid, tg.hit FROM ent e JOIN tg USING (aid)
            JOIN eref r USING (tid) JOIN lexv l USING (tid) WHERE NOT l.stop AND e.aid {rng}) GROUP BY kind, cid""",
                 params + win)
    # one row per (kind, canonical id) already (a term's counts from the postings, an entity's grouped
    # above), and a canonical id has one name: the SQL's GROUP BY kind, name is only the names' order
    kinds = np.concatenate([np.full(len(cid), "term", dtype=object), ents["kind"].to_numpy(dtype=object)])
    ids = np.concatenate([cid, ents["cid"].to_numpy(dtype=np.int64)])
    out = pd.DataFrame({"kind": pd.Series(kinds, dtype="str"), "name": pd.Series(postings.names_of(c, ids), dtype="str"),
                        "latest": np.concatenate([lat[cid], ents["latest"].to_numpy(dtype=np.int64)]),
                        "previous": np.concatenate([prev[cid], ents["previous"].to_numpy(dtype=np.int64)])})
    out = out.sort_values(["kind", "name"], kind="stable").reset_index(drop=True)
    out.attrs.update(n_latest=len(t_aids), n_previous=len(p_aids))
    return out


def first_seen(c: Corpus, f: Filters, names: list[tuple[str, str]]) -> dict[tuple[str, str], date]:
    """(kind, name) -> the earliest publication date of a filtered article naming it, any date
    filter removed (a name's history is not cut by the window)."""
    if not names:
        return {}
    undated = Filters(**{**f.__dict__, "date_from": None, "date_to": None, "years": ()})
    cte, params = _fa(c, undated)
    wanted = sorted({n for _, n in names})
    cids = c.sql("SELECT cid, term FROM cnames WHERE term IN (SELECT unnest(?))", [wanted])
    if cids.empty:
        return {}
    inl = _in_ints([int(x) for x in cids["cid"]])
    build_eref(c)
    df = c.sql(f"""WITH {cte},
        x AS (SELECT 'term' AS kind, tc.cid, min(fa.published) AS first FROM tc JOIN fa USING (aid)
              WHERE tc.cid IN {inl} GROUP BY 1, 2
              UNION ALL
              SELECT r.type, r.cid, min(fa.published) FROM ent e JOIN fa USING (aid) JOIN eref r USING (tid)
              WHERE r.cid IN {inl} GROUP BY 1, 2)
        SELECT x.kind, n.term AS name, x.first FROM x JOIN cnames n USING (cid)""", params)
    out = {}
    for kind, name, first in df.itertuples(index=False):
        if first is not None and not pd.isna(first):
            out[(kind, name)] = pd.Timestamp(first).date()
    return {k: v for k, v in out.items() if k in set(names)}
