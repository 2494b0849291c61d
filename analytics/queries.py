"""Read-only queries over the store under one Filters value -> DataFrames.

The dashboard asks only this module. `open_corpus` opens one consistent store snapshot and
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

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import config, lexicon
from analytics.config import UNKNOWN
from analytics.config import lexicon_dir as default_lexicon_dir
from analytics.filters import Filters, aggregate_where, article_where, parse_query
from analytics.store import SCHEMAS, Store, sql_str

__all__ = [
    "Corpus", "open_corpus", "parse_query", "articles", "article", "volume", "kpis", "sources", "years",
    "keyword_trend", "top_keywords", "rising_terms", "distinctive_terms", "related_terms",
    "cooccurrence_network", "kwic", "sentiment_over_time", "sentiment_by_source", "target_sentiment",
    "top_entities", "entity_timeline", "entity_network", "entity_articles", "explain_spike",
    "article_keywords", "article_entities", "article_sentences", "store_versions", "last_problems",
]

GRANULARITIES = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
LEXICON_FILES = (lexicon.STOPWORDS_FILE, lexicon.ALIASES_FILE)
# DuckDB's buffer limit: materialised tables beyond it are spilled to temp files, not kept in RSS
MEMORY_LIMIT = str(config.get("query_memory"))
BUILD_MEMORY_LIMIT = str(config.get("query_build_memory"))  # one-off build of a snapshot's tables
# related_terms(scope="sentence") reads the sentences of at most this many matching articles,
# the most recent first (the frame's attrs say how many matched and how many were read)
SENTENCE_SCOPE_ARTICLES = int(config.get("sentence_scope_articles"))
PRIOR_ALPHA0 = 1000.0  # total pseudo-count of the informative Dirichlet prior (distinctive_terms)

_ART_COLS = ("id, source, published, date_precision, year, title, author, url, language, origin, "
             "cluster_id, is_excerpt, synthetic, n_chars")


@dataclass
class Corpus:
    """A read handle: one store snapshot, a DuckDB connection, the lexicon applied to it."""

    store: Store
    snapshot: dict
    con: object
    lexicon_dir: Path | None = None
    lexicon_key: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    multi_tids: list[int] = field(default_factory=list)  # raw ids of alias groups (several forms)
    use_aggregates: bool = True  # False: always the per-article path (tests compare the two)
    _cells: dict = field(default_factory=dict, repr=False)

    @property
    def version(self) -> int:
        return int(self.snapshot["id"])

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        cur = self.con.cursor()  # one cursor per query: safe to share the Corpus across threads
        try:
            return cur.execute(query, params or []).df()
        finally:
            cur.close()

    def canon(self, term: str) -> str:
        """The canonical form of a user-typed term under the loaded aliases."""
        return _canonical(term.strip(), self.aliases, _squeezed(self.aliases))


# ---- opening ---------------------------------------------------------------------------------
def open_corpus(store_dir: Path | str, lexicon_dir: Path | str | None = None) -> Corpus:
    """Open the latest snapshot and load the lexicon (default data/lexicon).

    The per-article tables live in a DuckDB file built once per snapshot (`_base_db`) and attached
    read-only, so DuckDB's buffer manager, not the process heap, holds them (RSS stays bounded);
    the lexicon tables are small and live in memory."""
    import duckdb

    store = Store(store_dir)
    snap = store.snapshot()
    base = _base_db(store, snap)
    con = duckdb.connect(config={"threads": 2, "memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(Path(tempfile.gettempdir()) / "tm-duckdb")})
    _parquet_views(con, store, snap)
    con.execute(f"ATTACH {sql_str(str(base))} AS base (READ_ONLY)")
    for table in BASE_TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM base.{table}")
    c = Corpus(store, snap, con, Path(lexicon_dir) if lexicon_dir else default_lexicon_dir())
    reload_lexicon(c)
    return c


BASE_LAYOUT = 9  # bump when _materialise changes: older cache files are then rebuilt
AGG_LEVELS = ("1", "3", "2", "")  # coarsest first; see _materialise
BASE_TABLES = ("art", "vocab", "tm", "tma", "kw", "ent", "asent", "sent", "st", "sta", "tsx", "cells", "topbits", "amask",
               *(f"{t}{lv}" for t in ("agg", "kagg", "eagg", "ecagg") for lv in AGG_LEVELS))


def _parquet_views(con, store: Store, snap: dict) -> None:
    for table, schema in SCHEMAS.items():
        files = store.table_files(table, snap)
        if files:
            quoted = ", ".join(sql_str(f) for f in files)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{quoted}], union_by_name=true)")
        else:
            empty = schema.empty_table()  # noqa: F841 (DuckDB reads the local variable)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM empty")


def _base_db(store: Store, snap: dict) -> Path:
    """The DuckDB file of this snapshot's per-article tables, built on first use (atomically).

    Kept under the system temp dir, keyed by store path and snapshot id; older snapshots' files of
    the same store are removed once a newer one is built."""
    import duckdb

    key = hashlib.sha256(str(store.root.resolve()).encode()).hexdigest()[:12]
    folder = Path(str(config.get("query_cache")) or Path(tempfile.gettempdir()) / "tm-query-cache")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}-{int(snap['id'])}-v{BASE_LAYOUT}.duckdb"
    if path.exists():
        return path
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    bcon = duckdb.connect(str(tmp), config={"threads": 2, "memory_limit": BUILD_MEMORY_LIMIT,
                                            "temp_directory": str(folder / ".spill"),
                                            "preserve_insertion_order": False})
    try:
        _parquet_views(bcon, store, snap)
        _materialise(bcon)
        bcon.execute("CHECKPOINT")
    finally:
        bcon.close()
    os.replace(tmp, path)
    for old in folder.glob(f"{key}-*.duckdb"):
        if old != path:
            old.unlink(missing_ok=True)  # a reader that still has it open keeps its inode
    return path


def _materialise(con) -> None:
    con.execute(f"""CREATE TABLE art AS SELECT CAST(row_number() OVER (ORDER BY published NULLS LAST, id) AS INTEGER) AS aid, {_ART_COLS}
                    FROM articles ORDER BY aid""")
    con.execute("""CREATE TABLE vocab AS SELECT CAST(row_number() OVER (ORDER BY term) AS INTEGER) AS tid, term
                   FROM (SELECT term FROM terms UNION SELECT keyword FROM keywords UNION SELECT canonical FROM entities
                         UNION SELECT DISTINCT unnest(terms) FROM sentences) WHERE term IS NOT NULL""")
    con.execute("""CREATE TABLE tm AS SELECT a.aid, v.tid, CAST(sum(t.count) AS INTEGER) AS count
                   FROM terms t JOIN art a ON a.id = t.article_id JOIN vocab v ON v.term = t.term
                   GROUP BY a.aid, v.tid ORDER BY v.tid""")  # by term: a term's rows sit in few row groups
    con.execute("""CREATE TABLE kw AS SELECT a.aid, k.rank, v.tid, k.score
                   FROM keywords k JOIN art a ON a.id = k.article_id JOIN vocab v ON v.term = k.keyword""")
    con.execute("""CREATE TABLE ent AS SELECT a.aid, e.type, v.tid, e.surface, e.count, e.sentences
                   FROM entities e JOIN art a ON a.id = e.article_id JOIN vocab v ON v.term = e.canonical
                   ORDER BY v.tid, a.aid""")  # by name: one entity's (or a few nodes') rows sit in few row groups
    # sentences without their text (tone only) and their term ids, long form, ordered by term id so
    # that finding a term's sentences reads a few row groups; sentence text stays in Parquet
    con.execute("""CREATE TABLE sent AS SELECT a.aid, CAST(s.pos AS INTEGER) AS pos, s.label, s.score
                   FROM sentences s JOIN art a ON a.id = s.article_id ORDER BY a.aid, s.pos""")
    con.execute("""CREATE TABLE st AS SELECT DISTINCT a.aid, CAST(x.pos AS INTEGER) AS pos, v.tid
                   FROM (SELECT article_id, pos, unnest(terms) AS term FROM sentences) x
                   JOIN art a ON a.id = x.article_id JOIN vocab v USING (term) ORDER BY v.tid""")
    con.execute("""CREATE TABLE asent AS SELECT a.aid, s.mean_score, s.pos_share, s.neg_share, s.n_sentences
                   FROM article_sentiment s JOIN art a ON a.id = s.article_id""")
    # the same (article, term) rows ordered by article: a date window is a contiguous aid range
    con.execute("CREATE TABLE sta AS SELECT aid, pos, tid FROM st ORDER BY aid, pos")
    con.execute("CREATE TABLE tma AS SELECT aid, tid, count FROM tm ORDER BY aid, tid")
    # pre-aggregates: one cell per (month, source, year, language, story representative) -- the
    # dimensions a Filters value without a keyword query selects on (month-aligned dates only).
    # Cells are numbered in date order, so a date range is a contiguous cell range.
    con.execute(f"""CREATE TABLE cells AS
        SELECT CAST(row_number() OVER (ORDER BY published NULLS LAST, source NULLS LAST, year, language, rep)
                    AS INTEGER) AS cell, *
        FROM (SELECT {_period("month")} AS published, a.source, a.year, a.language,
                     coalesce(a.id = a.cluster_id, FALSE) AS rep, count(*) AS n_articles,
                     CAST(min(a.aid) AS INTEGER) AS aid_lo, CAST(max(a.aid) AS INTEGER) AS aid_hi
              FROM art a GROUP BY ALL)""")
    con.execute("""CREATE TEMP TABLE ac AS SELECT a.aid, c.cell, a.published AS day FROM art a JOIN cells c
                   ON c.published IS NOT DISTINCT FROM CAST(date_trunc('month', a.published) AS DATE)
                   AND c.source IS NOT DISTINCT FROM a.source AND c.year IS NOT DISTINCT FROM a.year
                   AND c.language IS NOT DISTINCT FROM a.language AND c.rep = coalesce(a.id = a.cluster_id, FALSE)""")
    con.execute("""CREATE TABLE agg AS SELECT ac.cell, tm.tid, CAST(sum(tm.count) AS BIGINT) AS tf,
                          CAST(count(*) AS BIGINT) AS df, min(ac.day) AS first
                   FROM tm JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""")
    con.execute("""CREATE TABLE kagg AS SELECT ac.cell, kw.tid, sum(1.0 / kw.rank) AS yk, count(*) AS n
                   FROM kw JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""")
    con.execute("""CREATE TABLE eagg AS SELECT ac.cell, ent.type, ent.tid, CAST(sum(ent.count) AS BIGINT) AS mentions,
                          CAST(count(DISTINCT ent.aid) AS BIGINT) AS articles
                   FROM ent JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""")
    # network presence: the 62 raw terms in most articles, one bit each, and every article's mask of them
    con.execute("""CREATE TABLE topbits AS SELECT tid, CAST(row_number() OVER (ORDER BY n DESC, tid) - 1 AS INTEGER) AS bit
                   FROM (SELECT tid, count(*) AS n FROM tm GROUP BY tid) ORDER BY n DESC, tid LIMIT 62""")
    con.execute("""CREATE TABLE amask AS SELECT tm.aid, bit_or(CAST(1 AS BIGINT) << CAST(b.bit AS BIGINT)) AS mask
                   FROM tm JOIN topbits b USING (tid) GROUP BY tm.aid ORDER BY tm.aid""")
    # entities by name whatever their type (network candidates): articles, the largest type
    con.execute("""CREATE TABLE ecagg AS SELECT ac.cell, ent.tid, CAST(count(DISTINCT ent.aid) AS BIGINT) AS articles,
                          max(ent.type) AS kind FROM ent JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""")
    con.execute("DROP TABLE ac")
    # target index: term or entity id -> the sentences naming it, with their tone, by id
    con.execute("""CREATE TABLE tsx AS SELECT x.tid, x.aid, x.pos, s.label, s.score FROM
                   (SELECT tid, aid, pos FROM st UNION
                    SELECT tid, aid, CAST(unnest(sentences) AS INTEGER) AS pos FROM ent) x
                   JOIN sent s USING (aid, pos) ORDER BY x.tid, x.aid, x.pos""")
    # coarser roll-ups of the same cells: level 1 (year of the date, year, rep), level 2 (the same
    # and source), level 3 (month, year, rep). A filter is answered at the coarsest level whose
    # cells it selects whole (see _agg_cells).
    keys = {"1": "year(published), year, rep", "2": "year(published), year, source, rep", "3": "published, year, rep"}
    for lv, k in keys.items():
        con.execute(f"ALTER TABLE cells ADD COLUMN c{lv} INTEGER")
        con.execute(f"""UPDATE cells SET c{lv} = r.c FROM (SELECT cell, CAST(dense_rank() OVER
                        (ORDER BY {", ".join(x + " NULLS LAST" for x in k.split(", "))}) AS INTEGER) AS c
                        FROM cells) r WHERE cells.cell = r.cell""")
        con.execute(f"""CREATE TABLE agg{lv} AS SELECT c.c{lv} AS cell, g.tid, sum(g.tf) AS tf, sum(g.df) AS df,
                               min(g.first) AS first FROM agg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""")
        con.execute(f"""CREATE TABLE kagg{lv} AS SELECT c.c{lv} AS cell, g.tid, sum(g.yk) AS yk, sum(g.n) AS n
                        FROM kagg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""")
        con.execute(f"""CREATE TABLE ecagg{lv} AS SELECT c.c{lv} AS cell, g.tid, sum(g.articles) AS articles,
                               max(g.kind) AS kind FROM ecagg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""")
        con.execute(f"""CREATE TABLE eagg{lv} AS SELECT c.c{lv} AS cell, g.type, g.tid, sum(g.mentions) AS mentions,
                               sum(g.articles) AS articles FROM eagg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 3""")


def lexicon_key(directory: Path | str | None) -> str:
    """A hash of the lexicon files' contents: dashboard caches key on it."""
    h = hashlib.sha256()
    for name in LEXICON_FILES:
        p = Path(directory or default_lexicon_dir()) / name
        h.update(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b"") + b"\0")
    return h.hexdigest()[:16]


def reload_lexicon(c: Corpus, force: bool = False) -> bool:
    """(Re)apply stopwords and aliases from `c.lexicon_dir`; True when anything changed."""
    key = lexicon_key(c.lexicon_dir)
    if key == c.lexicon_key and not force:
        return False
    d = c.lexicon_dir
    aliases = lexicon.load_aliases(d) if d else {}
    stop = lexicon.load_stopwords(d) if d else set()
    vocab = c.con.execute("SELECT tid, term FROM vocab").df()
    sq = _squeezed(aliases)
    canon = [_canonical(t, aliases, sq) for t in vocab["term"]]
    names = sorted(set(canon) | set(aliases.values()))
    cid = {n: i for i, n in enumerate(names, start=1)}
    stop_cids = {cid[n] for t, n in zip(vocab["term"], canon, strict=True) if t in stop or n in stop}
    stop_cids |= {cid[n] for n in names if n in stop}
    lexv_df = pd.DataFrame({"tid": vocab["tid"].astype("int32"),  # noqa: F841 (read by DuckDB)
                            "cid": [cid[n] for n in canon],
                            "stop": [cid[n] in stop_cids for n in canon]})
    cnames_df = pd.DataFrame({"cid": list(cid.values()), "term": list(cid.keys())})  # noqa: F841
    con = c.con
    con.execute("CREATE OR REPLACE TABLE lexv AS SELECT CAST(tid AS INTEGER) tid, CAST(cid AS INTEGER) cid, stop, "
                "count(*) OVER (PARTITION BY cid) > 1 AS multi FROM lexv_df")
    con.execute("CREATE OR REPLACE TABLE cnames AS SELECT CAST(cid AS INTEGER) cid, term FROM cnames_df")
    # tca: term rows mapped to canonical ids (an article may hold two variants of one canonical);
    # tc: one row per (article, canonical term) without stopwords. Only alias groups (cid with
    # several raw forms) need the GROUP BY, so the common path is a plain join on a tiny table.
    con.execute("CREATE OR REPLACE VIEW tca AS SELECT tm.aid, l.cid, tm.count, l.stop FROM tm JOIN lexv l USING (tid)")
    con.execute("""CREATE OR REPLACE VIEW tc AS
                   SELECT tm.aid, l.cid, tm.count FROM tm JOIN lexv l USING (tid) WHERE NOT l.stop AND NOT l.multi
                   UNION ALL
                   SELECT tm.aid, l.cid, CAST(sum(tm.count) AS INTEGER) FROM tm JOIN lexv l USING (tid)
                   WHERE NOT l.stop AND l.multi GROUP BY tm.aid, l.cid""")
    # whole-corpus term statistics: the unfiltered views (the dashboard's default) read these
    con.execute("""CREATE OR REPLACE TABLE gstat AS SELECT cid, sum(count) AS tf, count(*) AS df
                   FROM tc GROUP BY cid ORDER BY df DESC""")
    con.execute("""CREATE OR REPLACE TABLE atot AS SELECT aid, CAST(sum(count) AS BIGINT) AS n_terms
                   FROM tc GROUP BY aid""")
    multi = con.execute("SELECT tid FROM lexv WHERE multi ORDER BY tid").fetchall()
    c.multi_tids = [int(r[0]) for r in multi]
    c.aliases, c.stopwords, c.lexicon_key = aliases, stop, key
    return True


def _squeezed(aliases: dict[str, str]) -> dict[str, str]:
    return {v.replace(" ", ""): cn for v, cn in aliases.items()}


def _canonical(term: str, aliases: dict[str, str], squeezed: dict[str, str]) -> str:
    """As analytics.lexicon.canonical, with the space-free lookup precomputed."""
    if term in aliases:
        return aliases[term]
    return squeezed.get(term.replace(" ", ""), term)


# ---- shared SQL ------------------------------------------------------------------------------
def _period(granularity: str, col: str = "a.published") -> str:
    unit = GRANULARITIES.get(granularity)
    if unit is None:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    return f"CAST(date_trunc('{unit}', {col}) AS DATE)"


def _query_sql(c: Corpus, query: str) -> tuple[str, list]:
    """`Filters.query` -> a condition on `a.aid` (aliases applied, stopwords ignored for matching)."""
    groups = parse_query(query)
    if not groups:
        return "TRUE", []
    ors = []
    for g in groups:
        ors.append("(" + " AND ".join(f"a.aid IN (SELECT aid FROM tm WHERE tid IN {_in_ints(_variant_tids(c, t))})"
                                      for t in g) + ")")
    return "(" + " OR ".join(ors) + ")", []


def _where(c: Corpus, f: Filters) -> tuple[str, list]:
    w = article_where(f)
    q, qp = _query_sql(c, f.query)
    return f"{w.where} AND {q}", w.params + qp


def _fa(c: Corpus, f: Filters, extra: str = "TRUE", extra_params: list | None = None) -> tuple[str, list]:
    """The shared CTE `fa`: filtered articles (aid, id, published, source, title, cluster_id)."""
    where, params = _where(c, f)
    cte = (f"fa AS (SELECT a.aid, a.id, a.published, coalesce(a.source, '{UNKNOWN}') AS source, a.title, "
           f"a.cluster_id FROM art a WHERE {where} AND {extra})")
    return cte, params + list(extra_params or [])


def _unfiltered(c: Corpus, f: Filters) -> bool:
    """True when the filters select every article (whole-corpus aggregates then apply)."""
    return _where(c, f)[0] == "TRUE AND TRUE"


# ---- pre-aggregates --------------------------------------------------------------------------
class _Cells(str):
    """A condition on `cell` (the string) for the aggregate tables of level `sfx` (agg{sfx}, ...)."""

    sfx: str = ""


def _cell_cond(ids: np.ndarray, sfx: str) -> _Cells:
    if len(ids) == 0:
        out = _Cells("FALSE")
    elif int(ids[-1]) - int(ids[0]) + 1 == len(ids):
        out = _Cells(f"cell BETWEEN {int(ids[0])} AND {int(ids[-1])}")
    else:
        out = _Cells(f"cell BETWEEN {int(ids[0])} AND {int(ids[-1])} AND "
                     f"cell IN (SELECT unnest([{', '.join(str(int(x)) for x in ids)}]))")
    out.sfx = sfx
    return out


def _agg_cells(c: Corpus, f: Filters, start: date | None = None, end: date | None = None) -> _Cells | None:
    """A condition on `cell` selecting the aggregate cells of `f` (optionally within the whole
    months [start, end]), or None when `f` needs the per-article path. The condition is for the
    coarsest roll-up whose cells the filters select whole (its tables: agg{cond.sfx}, ...)."""
    if not c.use_aggregates:
        return None
    w = aggregate_where(f)
    if w is None:
        return None
    key = (f, start, end)
    cond = c._cells.get(key)
    if cond is None:
        if "__cells" not in c._cells:
            c._cells["__cells"] = c.sql("SELECT cell, c1, c2, c3 FROM cells ORDER BY cell")
        allc = c._cells["__cells"]
        extra, ep = "TRUE", []
        if start is not None:
            extra, ep = "a.published BETWEEN ? AND ?", [start, end]
        sel = c.sql(f"SELECT cell FROM cells a WHERE {w.where} AND {extra} ORDER BY cell", w.params + ep)["cell"]
        picked = allc["cell"].isin(sel).to_numpy()
        cond = _cell_cond(sel.to_numpy(), "")
        for lv in AGG_LEVELS[:-1]:
            coarse = allc[f"c{lv}"].to_numpy()
            inside = np.unique(coarse[picked])
            if not np.isin(coarse[~picked], inside).any():  # every coarse cell selected whole or not at all
                cond = _cell_cond(inside, lv)
                break
        if len(c._cells) > 256:
            c._cells.clear()
        c._cells[key] = cond
    return cond


def _multi_rows(c: Corpus) -> str:
    """(aid, cid, count) rows of the alias groups with several raw forms: an article may hold two
    forms, so their article counts cannot be summed from the aggregates."""
    return (f"(SELECT tm.aid, l.cid, CAST(sum(tm.count) AS BIGINT) AS count FROM tm JOIN lexv l USING (tid) "
            f"WHERE tm.tid IN {_in_ints(c.multi_tids)} AND NOT l.stop GROUP BY 1, 2)")


def _lit(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, date):
        return f"DATE '{v.isoformat()}'"
    return sql_str(str(v))


def _inline(sql: str, params: list) -> str:
    """Positional parameters written into the SQL as literals (for a subquery placed anywhere)."""
    parts = sql.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError("parameter count mismatch")
    return parts[0] + "".join(_lit(v) + p for v, p in zip(params, parts[1:], strict=True))


def _plan(c: Corpus, f: Filters) -> tuple[str, _Cells | None, str]:
    """How to count over `f`'s articles: ("agg", cells, "") from the aggregates; ("comp", cells,
    fx) when `f` has a keyword query matching most articles: the aggregates of the filters without
    the query minus the per-article counts of the few articles it excludes (subquery `fx` of aids);
    ("art", None, "") per article over `fa`."""
    cells = _agg_cells(c, f)
    if cells is not None:
        return "agg", cells, ""
    if not f.query.strip() or not c.use_aggregates:
        return "art", None, ""
    base = Filters(**{**f.__dict__, "query": ""})
    bcells = _agg_cells(c, base)
    if bcells is None:
        return "art", None, ""
    key = ("comp", f)
    if key not in c._cells:
        w = article_where(base)
        qc, _ = _query_sql(c, f.query)
        fx = _inline(f"SELECT a.aid FROM art a WHERE {w.where} AND NOT {qc}", w.params)
        n_out, n_base = c.sql(f"SELECT (SELECT count(*) FROM ({fx})) AS o, "
                              f"(SELECT count(*) FROM art a WHERE {_inline(w.where, w.params)}) AS b").iloc[0]
        c._cells[key] = fx if n_out * 2 < n_base else ""
    fx = c._cells[key]
    return ("comp", bcells, fx) if fx else ("art", None, "")


def _art_freq(c: Corpus, fa: str, lim: str, multi: bool = True) -> str:
    """(cid, tf, df) per article over the aid set `fa` (a table name or a parenthesised subquery)."""
    return f"""SELECT l.cid, sum(r.tf) AS tf, sum(r.df) AS df
               FROM (SELECT t.tid, sum(t.count) AS tf, count(*) AS df FROM tma t JOIN {fa} x USING (aid)
                     GROUP BY t.tid) r JOIN lexv l USING (tid)
               WHERE NOT l.stop AND NOT l.multi{lim.replace("cid", "l.cid", 1)} GROUP BY l.cid""" + (f"""
               UNION ALL
               SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN {fa} x USING (aid)
               WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid""" if multi else "")


def _freq(c: Corpus, f: Filters, only: str = "") -> str:
    """SQL of (cid, tf, df) over the filtered articles `fa` (stopwords out); `only`: a subquery of
    cids to restrict to. From the aggregates when the filters allow it (see _plan)."""
    how, cells, fx = _plan(c, f)
    lim = f" AND cid IN ({only})" if only else ""
    if how == "art":
        return _art_freq(c, "(SELECT aid FROM fa)", lim)
    agg = f"""SELECT l.cid, sum(g.tf) AS tf, sum(g.df) AS df FROM agg{cells.sfx} g JOIN lexv l USING (tid)
               WHERE {cells} AND NOT l.stop AND NOT l.multi{lim.replace("cid", "l.cid", 1)} GROUP BY l.cid"""
    if how == "agg":
        return f"""{agg} UNION ALL
                   SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN fa USING (aid)
                   WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid"""
    return f"""SELECT cid, sum(tf) AS tf, sum(df) AS df FROM
               ({agg} UNION ALL SELECT cid, -tf, -df FROM ({_art_freq(c, f"({fx})", lim, multi=False)})
                UNION ALL SELECT m.cid, sum(m.count), count(*) FROM {_multi_rows(c)} m JOIN fa USING (aid)
                WHERE TRUE{lim.replace("cid", "m.cid", 1)} GROUP BY m.cid)
               GROUP BY cid HAVING sum(tf) > 0"""


def _tf(c: Corpus, f: Filters, fa: str = "fa", name: str = "tf") -> str:
    """SQL of (cid, <name>) occurrences over the filtered articles `fa` (stopwords out)."""
    how, cells, fx = _plan(c, f)
    if how == "art":
        return f"SELECT cid, tf AS {name} FROM ({_art_freq(c, f'(SELECT aid FROM {fa})', '')})"
    agg = (f"SELECT l.cid, sum(g.tf) AS tf, sum(g.df) AS df FROM agg{cells.sfx} g JOIN lexv l USING (tid) "
           f"WHERE {cells} AND NOT l.stop GROUP BY l.cid")
    if how == "agg":
        return f"SELECT cid, tf AS {name} FROM ({agg})"
    return f"""SELECT cid, sum(tf) AS {name} FROM ({agg} UNION ALL
               SELECT cid, -tf, -df FROM ({_art_freq(c, f"({fx})", "")})) GROUP BY cid HAVING sum(tf) > 0"""


def _term_rows(c: Corpus, terms: list[str]) -> str:
    """A subquery of the (aid, cid, count) rows of a few terms (all alias variants), read by term id."""
    tids = [t for term in terms for t in _variant_tids(c, term)]
    return (f"(SELECT tm.aid, l.cid, tm.count FROM tm JOIN lexv l USING (tid) "
            f"WHERE tm.tid IN {_in_ints(tids)} AND NOT l.stop)")


def _cids(c: Corpus, terms: list[str]) -> list[int]:
    if not terms:
        return []
    canon = [c.canon(t) for t in terms]
    df = c.sql(f"SELECT cid FROM cnames WHERE term IN ({', '.join('?' * len(canon))})", canon)
    return [int(x) for x in df["cid"]]


def _variant_tids(c: Corpus, term: str) -> list[int]:
    """Vocabulary ids of every raw form that maps to `term`'s canonical form."""
    df = c.sql("SELECT l.tid FROM lexv l JOIN cnames n USING (cid) WHERE n.term = ?", [c.canon(term)])
    return [int(x) for x in df["tid"]]


def _in_ints(ids: list[int]) -> str:
    """A literal integer IN list (constant lists let DuckDB skip row groups by min/max)."""
    return "(" + ", ".join(str(int(i)) for i in ids or [-1]) + ")"


def _with_text(c: Corpus, hits: pd.DataFrame) -> pd.DataFrame:
    """Add each hit's sentence text, read from Parquet for those few articles only."""
    if hits.empty:
        return hits.assign(text=pd.Series(dtype=object))
    ids = sorted(set(hits["article_id"]))
    txt = c.sql(f"""SELECT article_id, CAST(pos AS INTEGER) AS pos, text FROM sentences
                    WHERE article_id IN ({", ".join("?" * len(ids))})""", ids)
    return hits.merge(txt, on=["article_id", "pos"], how="left")


def _variants(c: Corpus, term: str) -> list[str]:
    """Every raw vocabulary form that maps to `term`'s canonical form (for sentence term lists)."""
    canon = c.canon(term)
    df = c.sql("SELECT v.term FROM vocab v JOIN lexv l USING (tid) JOIN cnames n USING (cid) WHERE n.term = ?",
               [canon])
    return sorted(set(df["term"]) | {canon, term.strip()})


# ---- articles and volume ---------------------------------------------------------------------
# the date as precise as it is known: never an invented day (a year-precision 2025 reads 2025)
_DATE_LABEL = f"""CASE WHEN a.date_precision = 'unknown' OR (a.published IS NULL AND a.year IS NULL) THEN '{UNKNOWN}'
                      WHEN a.published IS NULL THEN CAST(a.year AS VARCHAR)
                      WHEN a.date_precision = 'year' THEN strftime(a.published, '%Y')
                      WHEN a.date_precision = 'month' THEN strftime(a.published, '%Y-%m')
                      ELSE strftime(a.published, '%Y-%m-%d') END"""


def _articles_where(c: Corpus, f: Filters, extra: str, extra_params: list, limit: int) -> pd.DataFrame:
    where, params = _where(c, f)
    return c.sql(f"""SELECT a.id, a.published, a.date_precision, {_DATE_LABEL} AS date_label,
                            coalesce(a.source, '{UNKNOWN}') AS source,
                            a.title, a.author, a.url, a.language, a.is_excerpt, a.n_chars, a.cluster_id
                     FROM art a WHERE {where} AND {extra}
                     ORDER BY a.published DESC NULLS LAST, source, a.id LIMIT {int(limit)}""",
                 params + extra_params)


def articles(c: Corpus, f: Filters, limit: int = 5000) -> pd.DataFrame:
    """The filtered articles (no text): id, published, date_precision, date_label (the date at its
    known precision: YYYY-MM-DD, YYYY-MM, YYYY or 미상), source, title, author, url, excerpt flag."""
    return _articles_where(c, f, "TRUE", [], limit)


def article(c: Corpus, article_id: str) -> dict | None:
    """One article with its text and metadata, or None."""
    df = c.sql("SELECT * FROM articles WHERE id = ?", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def volume(c: Corpus, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Articles per period and source: period, source, articles, share (of the filtered corpus).

    Articles with an unknown date are counted in a period labelled 미상 (period = NaT)."""
    per = _period(granularity)
    where, params = _where(c, f)
    df = c.sql(f"""SELECT {per} AS period, coalesce(a.source, '{UNKNOWN}') AS source, count(*) AS articles
                   FROM art a WHERE {where} GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params)
    total = df["articles"].sum()
    df["share"] = df["articles"] / total if total else 0.0
    return df


def kpis(c: Corpus, f: Filters) -> dict:
    """Headline numbers: articles, sources, first and last date, unique stories."""
    where, params = _where(c, f)
    row = c.sql(f"""SELECT count(*) AS articles, count(DISTINCT coalesce(a.source, '{UNKNOWN}')) AS sources,
                           min(a.published) AS first, max(a.published) AS last,
                           count(DISTINCT a.cluster_id) AS stories
                    FROM art a WHERE {where}""", params).iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in row.to_dict().items()}


def sources(c: Corpus) -> list[str]:
    """Every source in the store (미상 last), for the source filter."""
    df = c.sql(f"SELECT DISTINCT coalesce(source, '{UNKNOWN}') s FROM art ORDER BY s")
    names = [s for s in df["s"] if s != UNKNOWN]
    return names + ([UNKNOWN] if UNKNOWN in set(df["s"]) else [])


def years(c: Corpus) -> list[int | str]:
    df = c.sql("SELECT DISTINCT year FROM art ORDER BY year")
    ys = [int(y) for y in df["year"].dropna()]
    return ys + ([UNKNOWN] if df["year"].isna().any() else [])


# ---- keywords and terms ----------------------------------------------------------------------
def keyword_trend(c: Corpus, f: Filters, terms: tuple[str, ...], granularity: str = "month",
                  by_source: bool = False) -> pd.DataFrame:
    """Per period [and source] and term: articles mentioning it, share of the period's filtered
    articles, and occurrences per 10,000 terms. Periods where a term is absent show 0."""
    per = _period(granularity, "published")
    keys = "period, source" if by_source else "period"
    cols = ["period", "source", "term", "articles", "share", "per_10k"] if by_source else \
        ["period", "term", "articles", "share", "per_10k"]
    canon = list(dict.fromkeys(c.canon(t) for t in terms if t.strip()))
    if not canon:
        return pd.DataFrame(columns=cols)
    cte, params = _fa(c, f)
    marks = ", ".join("(?)" for _ in canon)
    df = c.sql(f"""WITH {cte},
        fp AS (SELECT aid, {per} AS period, source FROM fa),
        q(term) AS (VALUES {marks}),
        qc AS (SELECT q.term, n.cid FROM q LEFT JOIN cnames n USING (term)),
        base AS (SELECT {keys}, count(*) AS n_articles, sum(coalesce(t.n_terms, 0)) AS n_terms
                 FROM fp LEFT JOIN atot t USING (aid) GROUP BY ALL),
        hits AS (SELECT {keys}, qc.term, count(DISTINCT fp.aid) AS articles, sum(x.count) AS cnt
                 FROM {_term_rows(c, canon)} x JOIN fp USING (aid) JOIN qc USING (cid) GROUP BY ALL)
        SELECT {", ".join("base." + k for k in keys.split(", "))}, q.term,
               coalesce(h.articles, 0) AS articles,
               coalesce(h.articles, 0) / base.n_articles AS share,
               CASE WHEN base.n_terms > 0 THEN coalesce(h.cnt, 0) * 10000.0 / base.n_terms ELSE 0 END AS per_10k
        FROM base CROSS JOIN q
        LEFT JOIN hits h ON h.term = q.term AND h.period IS NOT DISTINCT FROM base.period
             {"AND h.source = base.source" if by_source else ""}
        ORDER BY base.period NULLS LAST, {"base.source, " if by_source else ""}q.term""", params + canon)
    df["articles"] = df["articles"].astype("int64")
    return df[cols]


def top_keywords(c: Corpus, f: Filters, n: int = 50, method: str = "yake") -> pd.DataFrame:
    """Top terms of the filtered corpus: term, score, tf (occurrences), df (articles).

    method="yake": score = sum over articles of 1/rank of the term in that article's YAKE list
    (reciprocal-rank fusion, higher = more relevant); "tf": score = tf."""
    if method not in ("yake", "tf"):
        raise ValueError('method must be "yake" or "tf"')
    cte, params = _fa(c, f)
    stats = ("freq AS (SELECT cid, tf, df FROM gstat)" if _unfiltered(c, f) else f"freq AS ({_freq(c, f)})")
    how, cells, fx = _plan(c, f)
    kw_art = ("SELECT l.cid, sum(1.0 / k.rank) AS score, count(*) AS n FROM kw k JOIN {} x USING (aid) "
              "JOIN lexv l USING (tid) WHERE NOT l.stop GROUP BY l.cid")
    if how == "art":
        ys = kw_art.format("(SELECT aid FROM fa)")
    else:
        ys = (f"SELECT l.cid, sum(k.yk) AS score, sum(k.n) AS n FROM kagg{cells.sfx} k JOIN lexv l USING (tid) "
              f"WHERE {cells} AND NOT l.stop GROUP BY l.cid")
        if how == "comp":
            ys = (f"SELECT cid, sum(score) AS score FROM ({ys} UNION ALL SELECT cid, -score, -n FROM "
                  f"({kw_art.format('(' + fx + ')')})) GROUP BY cid HAVING sum(n) > 0")
    if method == "tf":
        sql = f"""WITH {cte}, {stats}
                  SELECT n.term, CAST(tf AS DOUBLE) AS score, tf, df FROM freq JOIN cnames n USING (cid)
                  ORDER BY tf DESC, df DESC, n.term LIMIT {int(n)}"""
    else:
        sql = f"""WITH {cte},
                  ys AS ({ys}),
                  top AS (SELECT * FROM ys ORDER BY score DESC LIMIT {int(n) * 2}),
                  freq AS ({_freq(c, f, "SELECT cid FROM top")})
                  SELECT n.term, top.score, coalesce(freq.tf, 0) AS tf, coalesce(freq.df, 0) AS df
                  FROM top JOIN cnames n USING (cid) LEFT JOIN freq USING (cid)
                  ORDER BY top.score DESC, n.term LIMIT {int(n)}"""
    df = c.sql(sql, params)
    return df.astype({"tf": "int64", "df": "int64", "score": "float64"})


def _window_rows(c: Corpus, f: Filters, start: date, end: date, flag: int, fx: str = "") -> list[str]:
    """SQL parts of (target, cid, cnt) rows: term occurrences in [start, end] under `f` (stopwords
    out). Whole months come from the aggregates; the days of a month cut by the window from the
    article-ordered term table over the aid range of those days (articles are in date order)."""
    import calendar

    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = end if end.day == calendar.monthrange(end.year, end.month)[1] else end.replace(day=1) - timedelta(days=1)
    edges = [(start, end)] if first > last else [r for r in ((start, first - timedelta(days=1)),
                                                               (last + timedelta(days=1), end)) if r[0] <= r[1]]
    parts = []
    if first <= last:
        cells = _agg_cells(c, f, first, last)
        parts.append(f"""SELECT {flag} AS target, l.cid, sum(g.tf) AS cnt FROM agg{cells.sfx} g JOIN lexv l USING (tid)
                         WHERE {cells} AND NOT l.stop GROUP BY l.cid""")
        if fx:  # the aggregates hold the filters without the keyword query: minus the excluded articles
            parts.append(f"""SELECT {flag} AS target, l.cid, -sum(t.count) AS cnt FROM tma t JOIN lexv l USING (tid)
                             WHERE NOT l.stop AND t.aid IN (SELECT x.aid FROM ({fx}) x JOIN art a2 USING (aid)
                             WHERE a2.published BETWEEN DATE '{first}' AND DATE '{last}') GROUP BY l.cid""")
    for lo_d, hi_d in edges:
        lo, hi = c.sql("SELECT min(aid) AS lo, max(aid) AS hi FROM art WHERE published BETWEEN ? AND ?",
                       [lo_d, hi_d]).iloc[0]
        if pd.isna(lo):
            continue
        parts.append(f"""SELECT {flag} AS target, l.cid, sum(t.count) AS cnt FROM tma t JOIN lexv l USING (tid)
                         WHERE t.aid BETWEEN {int(lo)} AND {int(hi)} AND NOT l.stop
                         AND t.aid IN (SELECT aid FROM fa WHERE aid BETWEEN {int(lo)} AND {int(hi)}
                                       AND published BETWEEN DATE '{lo_d}' AND DATE '{hi_d}')
                         GROUP BY l.cid""")
    return parts or [f"SELECT {flag} AS target, NULL::INTEGER AS cid, 0 AS cnt WHERE FALSE"]


def _g2(a: pd.Series, b: pd.Series, n1: float, n0: float) -> pd.Series:
    """Dunning's log-likelihood G² of a term's counts a (of n1) against b (of n0)."""
    tot = n1 + n0
    e1 = n1 * (a + b) / tot
    e0 = n0 * (a + b) / tot
    t1 = (a * (a / e1).where(a > 0, 1.0).map(math.log)).where(a > 0, 0.0)
    t0 = (b * (b / e0).where(b > 0, 1.0).map(math.log)).where(b > 0, 0.0)
    return 2 * (t1 + t0)


def rising_terms(c: Corpus, f: Filters, start: date, end: date, baseline_start: date | None = None,
                 baseline_end: date | None = None, n: int = 30) -> pd.DataFrame:
    """Terms whose frequency in [start, end] differs most from a baseline (default: the equally
    long period just before), ranked by log-likelihood G². Up to n rising then up to n fading:
    term, count, baseline_count, growth, g2, direction, first_seen."""
    if baseline_start is None or baseline_end is None:
        days = (end - start).days + 1
        baseline_end = start - timedelta(days=1)
        baseline_start = baseline_end - timedelta(days=days - 1)
    cte, params = _fa(c, f)
    overlap = start <= baseline_end and baseline_start <= end
    how, _, fx = _plan(c, f)
    if how != "art" and not overlap:
        fb = f if how == "agg" else Filters(**{**f.__dict__, "query": ""})
        parts = (_window_rows(c, fb, start, end, 1, fx) + _window_rows(c, fb, baseline_start, baseline_end, 0, fx))
        df = c.sql(f"""WITH {cte}, w AS ({" UNION ALL ".join(parts)}),
            cnt AS (SELECT cid, sum(CASE WHEN target = 1 THEN cnt ELSE 0 END) AS cnt,
                                sum(CASE WHEN target = 0 THEN cnt ELSE 0 END) AS base FROM w GROUP BY cid),
            tot AS (SELECT sum(cnt) AS n1, sum(base) AS n0 FROM cnt)
            SELECT cnt.cid, cnt.cnt, cnt.base, tot.n1, tot.n0 FROM cnt, tot""", params)
        df = df[(df["cnt"] > 0) | (df["base"] > 0)].reset_index(drop=True)
    else:
        df = c.sql(f"""WITH {cte},
            tg AS (SELECT aid, CASE WHEN published BETWEEN ? AND ? THEN 1 ELSE 0 END AS target FROM fa
                   WHERE published BETWEEN ? AND ? OR published BETWEEN ? AND ?),
            cnt AS (SELECT cid, sum(CASE WHEN target = 1 THEN count ELSE 0 END) AS cnt,
                                sum(CASE WHEN target = 0 THEN count ELSE 0 END) AS base
                    FROM tc JOIN tg USING (aid) GROUP BY cid),
            tot AS (SELECT sum(CASE WHEN target = 1 THEN n_terms ELSE 0 END) AS n1,
                           sum(CASE WHEN target = 0 THEN n_terms ELSE 0 END) AS n0
                    FROM tg JOIN atot USING (aid))
            SELECT cnt.cid, cnt.cnt, cnt.base, tot.n1, tot.n0 FROM cnt, tot""",
                   params + [start, end, start, end, baseline_start, baseline_end])
    cols = ["term", "count", "baseline_count", "growth", "g2", "direction", "first_seen"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    n1, n0 = float(df["n1"].iloc[0] or 0), float(df["n0"].iloc[0] or 0)
    a, b = df["cnt"].astype(float), df["base"].astype(float)
    df["g2"] = _g2(a, b, n1, n0) if n1 > 0 and n0 > 0 else 0.0
    df["growth"] = ((a + 1) / (n1 + 1)) / ((b + 1) / (n0 + 1))
    rate1 = a / n1 if n1 else a * 0
    rate0 = b / n0 if n0 else b * 0
    df["direction"] = (rate1 > rate0).map({True: "rising", False: "fading"})
    df = df[rate1 != rate0]
    ranked = df.sort_values(["g2", "cnt", "cid"], ascending=[False, False, True])
    picked = pd.concat([ranked[ranked["direction"] == "rising"].head(n),
                        ranked[ranked["direction"] == "fading"].head(n)])
    if picked.empty:
        return pd.DataFrame(columns=cols)
    ids = [int(x) for x in picked["cid"]]
    # first appearance: over the same filters but any date (a term's history is not cut by the window)
    tids = c.sql(f"SELECT tid FROM lexv WHERE cid IN {_in_ints(ids)}")["tid"].tolist()
    undated = Filters(**{**f.__dict__, "date_from": None, "date_to": None, "years": ()})
    cells = _agg_cells(c, undated)
    if cells is not None:  # the aggregates keep each cell's first date of every term
        first = c.sql(f"""SELECT t.cid, n.term, min(g.first) AS first_seen
                          FROM agg{cells.sfx} g JOIN lexv t USING (tid) JOIN cnames n USING (cid)
                          WHERE {cells} AND g.tid IN {_in_ints(tids)} GROUP BY t.cid, n.term""")
    else:
        where, wp = _where(c, undated)
        first = c.sql(f"""SELECT t.cid, n.term, min(a.published) AS first_seen
                          FROM tm JOIN lexv t USING (tid) JOIN art a USING (aid) JOIN cnames n USING (cid)
                          WHERE {where} AND tm.tid IN {_in_ints(tids)} GROUP BY t.cid, n.term""", wp)
    out = picked.merge(first, on="cid", how="left").rename(columns={"cnt": "count", "base": "baseline_count"})
    out["count"] = out["count"].astype("int64")
    out["baseline_count"] = out["baseline_count"].astype("int64")
    return out[cols].reset_index(drop=True)


def distinctive_terms(c: Corpus, a: Filters, b: Filters, n: int = 30) -> pd.DataFrame:
    """Terms that set group a apart from group b: weighted log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008) from the pooled counts, and its z-score.
    Up to n terms of group "a" (z > 0, descending) then up to n of group "b"."""
    cte_a, pa_ = _fa(c, a)
    cte_b, pb_ = _fa(c, b)
    cte_b = cte_b.replace("fa AS (", "fb AS (", 1)
    df = c.sql(f"""WITH {cte_a}, {cte_b},
        ca AS ({_tf(c, a, "fa", "ya")}),
        cb AS ({_tf(c, b, "fb", "yb")}),
        y AS (SELECT cid, coalesce(ya, 0) AS ya, coalesce(yb, 0) AS yb FROM ca FULL JOIN cb USING (cid)),
        nn AS (SELECT sum(ya) AS na, sum(yb) AS nb FROM y),
        w AS (SELECT y.*, nn.na, nn.nb, {PRIOR_ALPHA0} * (ya + yb) / (nn.na + nn.nb) AS alpha FROM y, nn),
        d AS (SELECT cid, ya, yb,
                     ln((ya + alpha) / (na + {PRIOR_ALPHA0} - ya - alpha))
                     - ln((yb + alpha) / (nb + {PRIOR_ALPHA0} - yb - alpha)) AS log_odds,
                     1.0 / (ya + alpha) + 1.0 / (yb + alpha) AS var
              FROM w WHERE na > 0 AND nb > 0),
        z AS (SELECT *, log_odds / sqrt(var) AS z FROM d),
        ra AS (SELECT * FROM z WHERE z > 0 ORDER BY z DESC LIMIT {int(n)}),
        rb AS (SELECT * FROM z WHERE z < 0 ORDER BY z ASC LIMIT {int(n)})
        SELECT n.term, ya AS count_a, yb AS count_b, log_odds, z, g AS "group" FROM
          (SELECT *, 'a' AS g FROM ra UNION ALL SELECT *, 'b' AS g FROM rb) JOIN cnames n USING (cid)
        ORDER BY "group", abs(z) DESC, n.term""", pa_ + pb_)
    return df.astype({"count_a": "int64", "count_b": "int64"})


def related_terms(c: Corpus, f: Filters, term: str, scope: str = "sentence", min_count: int = 2,
                  n: int = 30, max_articles: int | None = None) -> pd.DataFrame:
    """Terms co-occurring with `term`: cooc (units holding both), PMI and Jaccard, PMI-ranked with
    the floor cooc >= min_count. scope="article": units are filtered articles; "sentence": units
    are the sentences of the most recent `max_articles` (default SENTENCE_SCOPE_ARTICLES) filtered
    articles that mention the term (a within-context PMI). attrs: articles_matching,
    articles_used, capped (sentence scope)."""
    if scope not in ("sentence", "article"):
        raise ValueError('scope must be "sentence" or "article"')
    ids = _cids(c, [term])
    cols = ["term", "cooc", "pmi", "jaccard"]
    if not ids:
        return pd.DataFrame(columns=cols)
    x = ids[0]
    cte, params = _fa(c, f)
    xa = f"xa AS (SELECT DISTINCT aid FROM {_term_rows(c, [term])} x JOIN fa USING (aid))"
    attrs = {}
    if scope == "article":
        # only the articles holding the term are expanded (raw term ids first, article-ordered
        # table); df(w) is read for the co-occurring terms (from the aggregates when possible)
        dfw = ("SELECT cid, df AS dfw FROM gstat WHERE cid IN (SELECT cid FROM co)" if _unfiltered(c, f) else
               f"SELECT cid, df AS dfw FROM ({_freq(c, f, 'SELECT cid FROM co')})")
        n_x, n_all = c.sql(f"WITH {cte}, {xa} SELECT (SELECT count(*) FROM xa) AS x, (SELECT count(*) FROM fa) AS n",
                           params).iloc[0]
        co = f"SELECT cid, df AS cooc FROM ({_art_freq(c, 'xa', '')}) WHERE cid <> ? AND df >= ?"
        if c.use_aggregates and n_x * 2 > n_all:  # most articles hold x: all articles minus those without it
            every = ("SELECT cid, df FROM gstat" if _unfiltered(c, f) else f"SELECT cid, df FROM ({_freq(c, f)})")
            co = f"""SELECT cid, sum(df) AS cooc FROM ({every} UNION ALL SELECT cid, -df FROM ({_art_freq(
                         c, "(SELECT aid FROM fa WHERE aid NOT IN (SELECT aid FROM xa))", "")}))
                     WHERE cid <> ? GROUP BY cid HAVING sum(df) >= ? AND sum(df) > 0"""
        body = f"""{xa},
            co AS ({co}),
            dfw AS ({dfw}),
            dx AS (SELECT count(*) AS dx FROM xa),
            nu AS (SELECT count(*) AS n FROM fa)"""
    else:
        k = int(max_articles if max_articles is not None else SENTENCE_SCOPE_ARTICLES)
        hits = c.sql(f"""WITH {cte}, {xa} SELECT xa.aid FROM xa JOIN fa USING (aid)
                         ORDER BY fa.published DESC NULLS LAST, xa.aid DESC""", params)["aid"].to_numpy()
        attrs = {"articles_matching": int(len(hits)), "articles_used": int(min(len(hits), k)),
                 "capped": bool(len(hits) > k)}
        used = np.sort(hits[:k])
        lo, hi = (int(used[0]), int(used[-1])) if len(used) else (0, -1)
        sel = f"sta.aid BETWEEN {lo} AND {hi} AND sta.aid IN (SELECT unnest([{', '.join(map(str, used.tolist())) or '-1'}]))"
        body = f"""xa AS (SELECT DISTINCT aid FROM sta WHERE {sel}),
            su AS (SELECT CAST(sta.aid AS BIGINT) * 100000 + sta.pos AS unit, sta.tid FROM sta WHERE {sel}),
            u AS (SELECT DISTINCT su.unit, l.cid FROM su JOIN lexv l USING (tid) WHERE NOT l.stop),
            nu AS (SELECT count(*) AS n FROM sent WHERE aid BETWEEN {lo} AND {hi} AND aid IN (SELECT aid FROM xa)),
            xu AS (SELECT unit FROM u WHERE cid = {int(x)}),
            co AS (SELECT u.cid, count(*) AS cooc FROM u JOIN xu USING (unit) WHERE u.cid <> ?
                   GROUP BY u.cid HAVING count(*) >= ?),
            dfw AS (SELECT cid, count(*) AS dfw FROM u WHERE cid IN (SELECT cid FROM co) GROUP BY cid),
            dx AS (SELECT count(*) AS dx FROM xu)"""
    df = c.sql(f"""WITH {cte}, {body}
        SELECT n.term, co.cooc, log2(co.cooc * nu.n / (dx.dx * dfw.dfw)) AS pmi,
               co.cooc / (dx.dx + dfw.dfw - co.cooc) AS jaccard
        FROM co JOIN dfw USING (cid) JOIN cnames n USING (cid), nu, dx
        ORDER BY pmi DESC, co.cooc DESC, n.term LIMIT {int(n)}""", params + [x, int(min_count)])
    out = df.astype({"cooc": "int64"})[cols]
    out.attrs.update(attrs)
    return out


def _ent_name_stats(c: Corpus, f: Filters) -> str:
    """SQL of (cid, kind, size) entity names over `fa`: articles naming them (any type), largest type."""
    how, cells, fx = _plan(c, f)
    art = ("SELECT l.cid, max(e.type) AS kind, count(DISTINCT e.aid) AS size FROM ent e JOIN {} x USING (aid) "
           "JOIN lexv l USING (tid) WHERE {} GROUP BY l.cid")
    if how == "art":
        return art.format("(SELECT aid FROM fa)", "TRUE")
    out = f"""SELECT l.cid, max(g.kind) AS kind, sum(g.articles) AS size FROM ecagg{cells.sfx} g
               JOIN lexv l USING (tid) WHERE {cells} AND NOT l.multi GROUP BY l.cid
               UNION ALL {art.format("fa", "e.tid IN " + _in_ints(c.multi_tids) + " AND l.multi")}"""
    if how == "agg":
        return out
    # complement: sizes are base minus the excluded articles; the largest type (not subtractable)
    # is then read over the filtered articles for the names that remain
    return f"""SELECT s.cid, k.kind, s.size FROM
               (SELECT cid, sum(size) AS size FROM ({out} UNION ALL SELECT cid, NULL, -size FROM
                ({art.format("(" + fx + ")", "NOT l.multi")})) GROUP BY cid HAVING sum(size) > 0) s
               JOIN (SELECT l.cid, max(e.type) AS kind FROM ent e JOIN fa USING (aid) JOIN lexv l USING (tid)
                     GROUP BY l.cid) k USING (cid)"""


def _pair_counts(c: Corpus, pres_sql: str, params: list, n: int) -> np.ndarray:
    """n x n co-occurrence counts of node indexes 0..n-1 from a query of (aid, node) rows: each
    article's set of nodes becomes a bit mask in DuckDB, the masks are counted, and only the
    distinct masks (few) are expanded here."""
    if n <= 62:
        df = c.sql(f"""WITH p AS ({pres_sql}),
                       mk AS (SELECT bit_or(CAST(1 AS BIGINT) << CAST(node AS BIGINT)) AS mask FROM p GROUP BY aid)
                       SELECT mask, count(*) AS k FROM mk GROUP BY mask""", params)
        masks = df["mask"].to_numpy(dtype=np.int64)
        bits = ((masks[:, None] >> np.arange(n, dtype=np.int64)[None, :]) & 1).astype(np.float64)
        return (bits * df["k"].to_numpy(dtype=np.float64)[:, None]).T @ bits
    pres = c.sql(f"SELECT DISTINCT aid, node FROM ({pres_sql})", params)
    aids = pd.factorize(pres["aid"])[0]
    mat = np.zeros((int(aids.max()) + 1 if len(aids) else 0, n), dtype=np.float32)
    mat[aids, pres["node"].to_numpy()] = 1.0
    return mat.T @ mat


def cooccurrence_network(c: Corpus, f: Filters, n_nodes: int = 40, min_weight: int = 2,
                         include_entities: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top terms (and entities) by articles as nodes; edges weighted by articles holding both.

    nodes: id (the label), label, kind ("term" or the entity type), size (articles);
    edges: source, target (node ids), weight >= min_weight. Candidates come from the aggregates
    when the filters allow it; pairs are counted only among the chosen nodes."""
    cte, params = _fa(c, f)
    k = int(n_nodes)
    ent = (f"""UNION ALL SELECT * FROM (SELECT cid, kind, size FROM ({_ent_name_stats(c, f)})
              ORDER BY size DESC, cid LIMIT {k})""" if include_entities else "")
    top_df = (f"SELECT cid, 'term' AS kind, df AS size FROM gstat ORDER BY size DESC, cid LIMIT {k}"
              if _unfiltered(c, f) else
              f"""SELECT cid, 'term' AS kind, df AS size FROM ({_freq(c, f)}) ORDER BY size DESC, cid LIMIT {k}""")
    nd = c.sql(f"""WITH {cte},
        cand AS (SELECT * FROM ({top_df}) {ent})
        SELECT cid, n.term, coalesce(max(CASE WHEN kind <> 'term' THEN kind END), 'term') AS kind,
               max(size) AS size FROM cand JOIN cnames n USING (cid) GROUP BY cid, n.term
        ORDER BY size DESC, cid LIMIT {k}""", params)
    node_df = pd.DataFrame({"id": nd["term"], "label": nd["term"], "kind": nd["kind"],
                            "size": nd["size"].astype("int64")})
    node_df = node_df.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)
    edge_cols = ["source", "target", "weight"]
    if nd.empty:
        return node_df, pd.DataFrame(columns=edge_cols)
    # presence of the node terms per article, read only for the node ids (tm is ordered by term id)
    node_cids = nd["cid"].tolist()
    idx = ", ".join(f"({int(x)}, {i})" for i, x in enumerate(node_cids))
    cids = _in_ints(node_cids)
    tids = _in_ints(c.sql(f"SELECT tid FROM lexv WHERE cid IN {cids} AND NOT stop")["tid"].tolist())
    etids = _in_ints(c.sql(f"SELECT tid FROM lexv WHERE cid IN {cids}")["tid"].tolist())
    ent_pres = (f"UNION ALL SELECT e.aid, l.cid FROM ent e JOIN lexv l USING (tid) "
                f"WHERE e.tid IN {etids} AND e.aid IN (SELECT aid FROM fa)" if include_entities else "")
    pres = f"""WITH {cte}, ix(cid, node) AS (VALUES {idx})
               SELECT r.aid, ix.node FROM (SELECT tm.aid, l.cid FROM tm JOIN lexv l USING (tid)
                                           WHERE tm.tid IN {tids} AND tm.aid IN (SELECT aid FROM fa)
                                           {ent_pres}) r JOIN ix USING (cid)"""
    co = None
    if len(node_cids) <= 62 and c.use_aggregates:  # the node terms are among the pre-masked top terms: read one mask per article
        tb = c.sql(f"""SELECT l.cid, l.tid, b.bit FROM lexv l LEFT JOIN topbits b USING (tid)
                       WHERE l.cid IN {cids} AND NOT l.stop""")
        if tb["bit"].notna().all():
            node_of = {int(x): i for i, x in enumerate(node_cids)}
            bits: dict[int, int] = {}
            for cid, bit in zip(tb["cid"], tb["bit"], strict=True):
                bits[node_of[int(cid)]] = bits.get(node_of[int(cid)], 0) | (1 << int(bit))
            in_fa = "TRUE" if _unfiltered(c, f) else "m.aid IN (SELECT aid FROM fa)"
            remap = " | ".join(f"(CASE WHEN m.mask & {b} <> 0 THEN {1 << i} ELSE 0 END)" for i, b in bits.items())
            ent_rows = (f"""UNION ALL SELECT e.aid, CAST(1 AS BIGINT) << CAST(ix.node AS BIGINT) FROM ent e
                            JOIN lexv l USING (tid) JOIN ix USING (cid)
                            WHERE e.tid IN {etids} AND {in_fa.replace("m.aid", "e.aid")}""" if include_entities else "")
            df = c.sql(f"""WITH {cte}, ix(cid, node) AS (VALUES {idx}),
                           r AS (SELECT m.aid, CAST({remap or '0'} AS BIGINT) AS b FROM amask m
                                 WHERE {in_fa} {ent_rows}),
                           mk AS (SELECT bit_or(b) AS mask FROM r GROUP BY aid)
                           SELECT mask, count(*) AS k FROM mk WHERE mask <> 0 GROUP BY mask""", params)
            masks = df["mask"].to_numpy(dtype=np.int64)
            n = len(node_cids)
            bitm = ((masks[:, None] >> np.arange(n, dtype=np.int64)[None, :]) & 1).astype(np.float64)
            co = (bitm * df["k"].to_numpy(dtype=np.float64)[:, None]).T @ bitm
    if co is None:
        co = _pair_counts(c, pres, params, len(node_cids))
    i, j = np.triu_indices(len(node_cids), k=1)
    w = np.rint(co[i, j]).astype(np.int64)
    keep = w >= int(min_weight)
    names = nd["term"].tolist()
    a, b = [names[x] for x in i[keep]], [names[y] for y in j[keep]]
    edge_df = pd.DataFrame({"source": [min(x, y) for x, y in zip(a, b, strict=True)],
                            "target": [max(x, y) for x, y in zip(a, b, strict=True)], "weight": w[keep]})
    edge_df = edge_df.sort_values(["weight", "source", "target"], ascending=[False, True, True])
    return node_df, edge_df.reset_index(drop=True)[edge_cols]


def kwic(c: Corpus, f: Filters, term: str, width: int = 40, limit: int = 200) -> pd.DataFrame:
    """Concordance lines from the sentences of filtered articles: one line per occurrence of the
    term or any alias variant, newest first: article_id, published, source, left, keyword, right."""
    cols = ["article_id", "published", "source", "left", "keyword", "right"]
    forms = _variants(c, term)
    ids = _cids(c, [term])
    if not ids:
        return pd.DataFrame(columns=cols)
    cte, params = _fa(c, f)
    df = _with_text(c, c.sql(f"""WITH {cte},
        xa AS (SELECT fa.* FROM fa WHERE aid IN (SELECT aid FROM tm WHERE tid IN {_in_ints(_variant_tids(c, term))}))
        SELECT DISTINCT xa.id AS article_id, xa.published, xa.source, s.pos FROM st s
        JOIN xa USING (aid) WHERE s.tid IN {_in_ints(_variant_tids(c, term))}
        ORDER BY xa.published DESC NULLS LAST, xa.id, s.pos LIMIT {int(limit)}""",
               params))
    rows = []
    needles = sorted(forms, key=len, reverse=True)
    for r in df.itertuples(index=False):
        low = r.text.lower()
        hits, i = [], 0
        while i < len(low):
            found = min(((low.find(nd.lower(), i), nd) for nd in needles if low.find(nd.lower(), i) >= 0),
                        default=None)
            if found is None:
                break
            j, nd = found
            hits.append((j, j + len(nd)))
            i = j + len(nd)
        for lo, hi in hits or [(len(r.text), len(r.text))]:
            rows.append((r.article_id, r.published, r.source, r.text[max(0, lo - width):lo],
                         r.text[lo:hi], r.text[hi:hi + width]))
    return pd.DataFrame(rows[:limit], columns=cols)


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


# ---- entities --------------------------------------------------------------------------------
def _ents(types_sql: str = "TRUE") -> str:
    return f"""fe AS (SELECT e.aid, e.type, l.cid, e.count, fa.published, fa.source
                      FROM ent e JOIN fa USING (aid) JOIN lexv l USING (tid) WHERE {types_sql})"""


def _ent_stats(c: Corpus, f: Filters, types_sql: str) -> str:
    """SQL of (type, cid, mentions, articles) over the filtered articles `fa`; `types_sql` is a
    condition on `e.type`. From the entity aggregates when the filters allow it (alias groups with
    several forms are counted per article: one article may name both forms)."""
    how, cells, fx = _plan(c, f)
    art = """SELECT e.type, l.cid, sum(e.count) AS mentions, count(DISTINCT e.aid) AS articles
             FROM ent e JOIN {} x USING (aid) JOIN lexv l USING (tid) WHERE {} GROUP BY 1, 2"""
    if how == "art":
        return art.format("(SELECT aid FROM fa)", types_sql)
    agg = f"""SELECT e.type, l.cid, sum(e.mentions) AS mentions, sum(e.articles) AS articles
               FROM eagg{cells.sfx} e JOIN lexv l USING (tid) WHERE {cells} AND NOT l.multi AND {types_sql} GROUP BY 1, 2
               UNION ALL
               SELECT e.type, l.cid, sum(e.count), count(DISTINCT e.aid)
               FROM ent e JOIN fa USING (aid) JOIN lexv l USING (tid)
               WHERE e.tid IN {_in_ints(c.multi_tids)} AND l.multi AND {types_sql} GROUP BY 1, 2"""
    if how == "agg":
        return agg
    fx_non_multi = art.format(f"({fx})", f"NOT l.multi AND {types_sql}")
    return f"""SELECT type, cid, sum(mentions) AS mentions, sum(articles) AS articles FROM
               ({agg} UNION ALL SELECT type, cid, -mentions, -articles FROM ({fx_non_multi}))
               GROUP BY 1, 2 HAVING sum(articles) > 0"""


def top_entities(c: Corpus, f: Filters, type: str | None = None, n: int = 30) -> pd.DataFrame:  # noqa: A002
    """Most mentioned entities (aliases applied): type, entity, mentions, articles."""
    cte, params = _fa(c, f)
    cond = f"e.type = {sql_str(type)}" if type else "TRUE"
    df = c.sql(f"""WITH {cte}, es AS ({_ent_stats(c, f, cond)})
        SELECT es.type, n.term AS entity, sum(es.mentions) AS mentions, sum(es.articles) AS articles
        FROM es JOIN cnames n USING (cid) GROUP BY 1, 2
        ORDER BY mentions DESC, articles DESC, entity LIMIT {int(n)}""", params)
    return df.astype({"mentions": "int64", "articles": "int64"})


def entity_timeline(c: Corpus, f: Filters, entity: str, granularity: str = "month") -> pd.DataFrame:
    """Mentions and articles of one entity per period and source (undated: period NaT)."""
    per = _period(granularity, "fe.published")
    ids = _cids(c, [entity]) or [-1]
    cte, params = _fa(c, f)
    return c.sql(f"""WITH {cte}, {_ents("l.cid = ?")}
        SELECT {per} AS period, fe.source, sum(fe.count) AS mentions, count(DISTINCT fe.aid) AS articles
        FROM fe GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""", params + ids)


def entity_network(c: Corpus, f: Filters, types: tuple[str, ...] = ("PS", "OG", "LC"), min_weight: int = 1,
                   n_nodes: int = 50) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities of the given types as nodes (id "TYPE:name", size = articles); edges = articles
    mentioning both (weight >= min_weight). Nodes from the aggregates when the filters allow it;
    pairs counted only among the nodes."""
    cte, params = _fa(c, f)
    tys = list(types) or ["-"]
    cond = f"e.type IN ({', '.join(sql_str(t) for t in tys)})"
    nd = c.sql(f"""WITH {cte}, es AS ({_ent_stats(c, f, cond)})
        SELECT es.type, es.cid, n.term, sum(es.articles) AS size FROM es JOIN cnames n USING (cid)
        GROUP BY 1, 2, 3 ORDER BY size DESC, es.type, es.cid LIMIT {int(n_nodes)}""", params)
    nodes = pd.DataFrame({"id": nd["type"] + ":" + nd["term"], "label": nd["term"], "type": nd["type"],
                          "size": nd["size"].astype("int64")})
    nodes = nodes.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)
    if nd.empty:
        return nodes, pd.DataFrame(columns=["source", "target", "weight"])
    idx = ", ".join(f"({sql_str(t)}, {int(x)}, {i})" for i, (t, x) in enumerate(zip(nd["type"], nd["cid"], strict=True)))
    etids = _in_ints(c.sql(f"SELECT tid FROM lexv WHERE cid IN {_in_ints(nd['cid'].tolist())}")["tid"].tolist())
    pres = f"""WITH {cte}, ix(type, cid, node) AS (VALUES {idx})
               SELECT e.aid, ix.node FROM ent e JOIN lexv l USING (tid) JOIN ix ON ix.type = e.type AND ix.cid = l.cid
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
    """The filtered articles mentioning an entity (aliases applied); columns as `articles`."""
    ids = _cids(c, [entity]) or [-1]
    return _articles_where(c, f, "a.aid IN (SELECT e.aid FROM ent e JOIN lexv l USING (tid) WHERE l.cid = ?)",
                           ids, limit)


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
        sc AS (SELECT fa.id, fa.published, fa.source, fa.title, fa.cluster_id, sum(gc.g2) AS score
               FROM pa JOIN fa USING (aid) JOIN gc USING (cid)
               GROUP BY ALL),
        one AS (SELECT *, row_number() OVER (PARTITION BY coalesce(cluster_id, id)
                                             ORDER BY score DESC, id) AS r FROM sc)
        SELECT id, published, source, title, score FROM one WHERE r = 1
        ORDER BY score DESC, published DESC, id LIMIT {int(n_articles)}""", params + vals)
    return terms, arts


# ---- one article (reader page) ---------------------------------------------------------------
def article_keywords(c: Corpus, article_id: str) -> pd.DataFrame:
    """YAKE keywords of one article: rank, keyword, term (canonical), score (lower = more relevant)."""
    return c.sql("""SELECT k.rank, v.term AS keyword, n.term, k.score, l.stop
                    FROM kw k JOIN art a USING (aid) JOIN vocab v USING (tid) JOIN lexv l USING (tid)
                    JOIN cnames n USING (cid) WHERE a.id = ? ORDER BY k.rank""", [article_id])


def article_entities(c: Corpus, article_id: str) -> pd.DataFrame:
    """Entities of one article: type, entity (canonical, aliases applied), surface, count, sentences."""
    return c.sql("""SELECT e.type, n.term AS entity, e.surface, e.count, e.sentences
                    FROM ent e JOIN art a USING (aid) JOIN lexv l USING (tid) JOIN cnames n USING (cid)
                    WHERE a.id = ? ORDER BY e.count DESC, n.term""", [article_id])


def article_sentences(c: Corpus, article_id: str) -> pd.DataFrame:
    """Sentences of one article with their tone: pos, start, end, text, label, score, terms."""
    return c.sql("""SELECT pos, start, "end", text, label, score, terms FROM sentences
                    WHERE article_id = ? ORDER BY pos""", [article_id])


# ---- store -----------------------------------------------------------------------------------
def store_versions(c: Corpus) -> pd.DataFrame:
    """Every snapshot of the store: id, at, kind, note (newest first)."""
    rows = c.store.snapshots()
    df = pd.DataFrame(rows, columns=["id", "at", "kind", "versions", "note"])
    return df[["id", "at", "kind", "note"]].sort_values("id", ascending=False).reset_index(drop=True)


def last_problems(c: Corpus) -> pd.DataFrame:
    """Problems (path, reason) of the last completed ingest."""
    run_id = c.store.last_run_id()
    return c.sql("SELECT path, reason FROM problems WHERE run_id = ? ORDER BY path", [run_id or ""])
