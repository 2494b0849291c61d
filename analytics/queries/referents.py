"""The one entity -> referent mapping every entity count goes through (table `eref`).

Built once per snapshot and lexicon from a small per-name table (names, types, mention counts:
one row per stored entity name, not per article): user aliases first (they override), then
`nlp.entities.referents.merge_referents` (family name -> the dominant full name, `인천시` -> 인천,
one type per referent; a word the recognizer tags in few of the articles using it is left out).
Top lists, timelines, both co-occurrence networks, the articles of an
entity, the reader's entity table, the alerts and target sentiment all join `eref`, so a
referent is one row, one node and one series wherever it is counted.
"""

from __future__ import annotations

import threading

import pandas as pd

from analytics.filters import Filters
from analytics.queries.corpus import Corpus
from analytics.queries.sql import _cached_table, _cids, _fa, _in_ints

# A one-word name the recognizer tags in under this share of the articles that use the word (as a
# term, at least COMMON_MIN_ARTICLES of them) is a common noun it sometimes mistakes for a name
# (`접종`: 23 of 362 articles; `요양병원`: 3 of 70); real names are tagged in most (`국회` 17 of 19).
COMMON_SHARE = 0.2
COMMON_MIN_ARTICLES = 20


def _common_sql() -> str:
    """SQL of the entity ids that are common nouns by that rule (term counts from `gstat`)."""
    return f"""(SELECT e.tid FROM (SELECT tid, count(DISTINCT aid) AS ea FROM ent GROUP BY 1) e
               JOIN lexv l USING (tid) JOIN vocab v USING (tid) JOIN gstat g ON g.cid = l.cid
               WHERE g.df >= {COMMON_MIN_ARTICLES} AND e.ea < {COMMON_SHARE} * g.df AND NOT contains(v.term, ' '))"""


def build_eref(c: Corpus) -> list[int]:
    """Build (once per snapshot and lexicon) table `eref(tid, cid, type, multi)`: each entity id
    -> its referent's canonical id and type, `multi` when the referent has several forms or types
    (an article may name both `민주당` and `더불어민주당`: counted per article, not from the
    aggregates). Returns the entity ids of such referents; fills `c._ent_forms` (referent id ->
    its forms, the referent's own name first, then most mentioned first)."""
    key = (c.version, c.lexicon_key)
    if getattr(c, "_eref_key", None) == key:
        return c._eref_multi  # type: ignore[attr-defined]
    with _EREF_LOCK:  # one build at a time (the warm-up thread and a page's first entity query)
        if getattr(c, "_eref_key", None) == key:
            return c._eref_multi  # type: ignore[attr-defined]
        return _build_eref(c, key)


_EREF_LOCK = threading.RLock()


def _build_eref(c: Corpus, key: tuple) -> list[int]:
    from analytics.nlp.entities.referents import is_abbreviation, merge_referents

    # one row per (entity id, type): its name under the user aliases and its mentions
    st = c.sql(f"""SELECT e.tid, e.type, l.cid, n.term AS name, v.term AS form, e.mentions
                   FROM (SELECT tid, type, sum(count) AS mentions FROM ent GROUP BY 1, 2) e
                   JOIN lexv l USING (tid) JOIN cnames n USING (cid) JOIN vocab v USING (tid)
                   WHERE e.tid NOT IN {_common_sql()}""")
    cid_of = dict(zip(st["name"], st["cid"].astype(int), strict=True))
    fixed = frozenset(c.aliases.values())
    by_name: dict[tuple[str, str], int] = {}
    for name, typ, n in zip(st["name"], st["type"], st["mentions"], strict=True):
        by_name[(name, typ)] = by_name.get((name, typ), 0) + int(n)
    surf = c.sql("SELECT tid, surface, sum(count) AS n FROM ent WHERE surface IS NOT NULL GROUP BY 1, 2")
    # an organisation's abbreviation some article wrote for its full name (`고위공직자범죄수사처(공수처)` … `공수처`):
    # the same referent in the articles that only write the abbreviation
    name_of = {int(t): nm for t, nm, ty in zip(st["tid"], st["name"], st["type"], strict=True) if ty == "OG"}
    seen: dict[str, dict[str, int]] = {}
    for tid, sf, n in zip(surf["tid"], surf["surface"], surf["n"], strict=True):
        full = name_of.get(int(tid))
        if full and sf and sf != full and (sf, "OG") in by_name and sf not in fixed and is_abbreviation(sf, full):
            seen.setdefault(sf, {})[full] = seen.get(sf, {}).get(full, 0) + int(n)
    abbreviations = {sf: max(fs, key=lambda f: (fs[f], f)) for sf, fs in seen.items()}
    ref = merge_referents(((nm, t, n) for (nm, t), n in by_name.items()), fixed, abbreviations)
    rows: dict[int, tuple[int, str]] = {}
    rnames: dict[int, str] = {}
    n_forms: dict[int, set[tuple[int, str]]] = {}
    forms: dict[int, dict[str, int]] = {}
    for tid, typ, name, form, n in zip(st["tid"], st["type"], st["name"], st["form"], st["mentions"], strict=True):
        rname, rtype = ref[name]
        rcid = cid_of.get(rname, cid_of[name])
        rows[int(tid)] = (rcid, rtype)
        rnames[rcid] = rname
        n_forms.setdefault(rcid, set()).add((int(tid), typ))
        fs = forms.setdefault(rcid, {})
        fs[form] = fs.get(form, 0) + int(n)
    for tid, sf, n in zip(surf["tid"], surf["surface"], surf["n"], strict=True):
        if int(tid) not in rows:
            continue  # a common noun (`_common_sql`): not counted
        fs = forms[rows[int(tid)][0]]
        if sf and sf not in fs:
            fs[sf] = int(n)
    eref_df = pd.DataFrame({"tid": list(rows), "cid": [r[0] for r in rows.values()],  # noqa: F841 (DuckDB)
                            "type": [r[1] for r in rows.values()],
                            "multi": [len(n_forms[r[0]]) > 1 for r in rows.values()]})
    c.con.execute("CREATE OR REPLACE TABLE eref AS SELECT CAST(tid AS INTEGER) tid, CAST(cid AS INTEGER) cid, "
                  "type, multi FROM eref_df ORDER BY tid")
    multi = sorted(t for t, r in rows.items() if len(n_forms[r[0]]) > 1)
    c._ent_forms = {  # type: ignore[attr-defined]
        rc: [f for f, _n in sorted(fs.items(), key=lambda x: (x[0] != rnames[rc], -x[1], x[0]))]
        for rc, fs in forms.items() if len(fs) > 1}
    c._eref_key, c._eref_multi = key, multi  # type: ignore[attr-defined]
    return multi


def multi_rows(c: Corpus) -> str:
    """SQL of (aid, type, cid, count): one row per article and referent with several forms or
    types (`build_eref`'s multi ids; count = its mentions there), from a table of (aid, cid,
    count) built once per referent mapping, ordered by aid (12 bytes a row: ~12 MB at 1,000,000
    articles), and each referent's one type. The counts of such referents under a filter join
    this to the filtered articles instead of scanning `ent` for ~2,000 ids each time (~25 ms a
    query at 100,000 articles, ~45-75 ms at 1,000,000: the entity list and both networks)."""
    multi = build_eref(c)  # (outside _cached_table's lock)
    name = _cached_table(c, ("mref", getattr(c, "_eref_key", None)), lambda: (
        f"""SELECT e.aid, r.cid, CAST(sum(e.count) AS INTEGER) AS count FROM ent e JOIN eref r USING (tid)
            WHERE e.tid IN {_in_ints(multi)} AND r.multi GROUP BY 1, 2 ORDER BY aid""", []))
    # a referent has one type (merge_referents decides it over its mentions)
    return f"""(SELECT m.aid, t.type, m.cid, m.count FROM {name} m
               JOIN (SELECT DISTINCT cid, type FROM eref WHERE multi) t USING (cid))"""


def forms_of(c: Corpus, cid: int) -> str:
    """The merged forms of referent `cid`, comma-separated (empty when it has one form)."""
    build_eref(c)
    return ", ".join(getattr(c, "_ent_forms", {}).get(int(cid), []))


def ref_ids(c: Corpus, entity: str) -> list[int]:
    """The referent ids a typed name stands for: a stored name (`머스크` -> the id of 일론 머스크),
    else a written form the articles used (`민주당`, `윤 대통령`: the referent it was most often
    counted under)."""
    build_eref(c)
    ids = _cids(c, [entity]) or [-1]
    df = c.sql(f"SELECT DISTINCT r.cid FROM eref r JOIN lexv l USING (tid) WHERE l.cid IN {_in_ints(ids)}")
    if df.empty and entity.strip():
        df = c.sql("""SELECT r.cid FROM ent e JOIN eref r USING (tid) WHERE e.surface = ?
                      GROUP BY 1 ORDER BY sum(e.count) DESC, 1 LIMIT 1""", [entity.strip()])
    return [int(x) for x in df["cid"]] or ids


def referent_tids(c: Corpus, entity: str) -> list[int]:
    """Vocabulary ids of every form counted under the referent `entity` names (`일론 머스크` ->
    the ids of 일론 머스크 and 머스크): target sentiment reads their sentences."""
    ids = ref_ids(c, entity)
    df = c.sql(f"SELECT tid FROM eref WHERE cid IN {_in_ints(ids)} ORDER BY tid")
    return [int(x) for x in df["tid"]]


def entity_forms(c: Corpus, f: Filters, entity: str) -> pd.DataFrame:
    """The forms counted under the referent `entity` names, over the filtered articles: form,
    merged (True for a stored name merged into the referent across the corpus, `머스크` under
    일론 머스크; False for the referent's own name and for written forms the article-level step
    resolved, `윤 대통령`, `美`), articles (those whose most used form of the referent it is: an
    article is counted under one form; 0 for a stored name no article used most), mentions (all of
    the referent's mentions in those articles), the referent's own name first. attrs: referent, type."""
    ids = ref_ids(c, entity)[:1]
    cols = ["form", "merged", "articles", "mentions"]
    cte, params = _fa(c, f)
    df = c.sql(f"""WITH {cte},
        x AS (SELECT e.aid, v.term AS name, coalesce(e.surface, v.term) AS form, e.count FROM ent e
              JOIN eref r USING (tid) JOIN vocab v USING (tid) JOIN fa USING (aid) WHERE r.cid = ?),
        main AS (SELECT form, count(DISTINCT aid) AS articles, sum(count) AS mentions FROM x GROUP BY 1),
        named AS (SELECT DISTINCT name AS form FROM x)
        SELECT coalesce(m.form, n.form) AS form, n.form IS NOT NULL AS named, coalesce(m.articles, 0) AS articles,
               coalesce(m.mentions, 0) AS mentions
        FROM main m FULL JOIN named n USING (form) ORDER BY mentions DESC, articles DESC, form""", params + ids)
    meta = c.sql(f"SELECT n.term, r.type FROM eref r JOIN cnames n USING (cid) WHERE r.cid = {int(ids[0])} LIMIT 1")
    referent = str(meta["term"].iloc[0]) if len(meta) else entity.strip()
    out = pd.DataFrame({"form": df["form"], "merged": df["named"].astype(bool) & (df["form"] != referent),
                        "articles": df["articles"].astype("int64"), "mentions": df["mentions"].astype("int64")},
                       columns=cols)
    out = out.sort_values("form", key=lambda x: x != referent, kind="stable").reset_index(drop=True)  # its own name first
    out.attrs.update(referent=referent, type=str(meta["type"].iloc[0]) if len(meta) else "")
    return out
