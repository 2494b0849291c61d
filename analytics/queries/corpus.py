"""The read handle: one store snapshot, its per-snapshot DuckDB cache file (per-article tables,
pre-aggregates, indexes) and the user lexicon applied at query time."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import config, lexicon
from analytics.config import lexicon_dir as default_lexicon_dir
from analytics.queries.matching import spacing_aliases
from analytics.store import Store, sql_str

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
    try:
        base = _base_db(store, snap)
    except (duckdb.Error, OSError) as e:  # an unreadable data file: say which table, what to do
        err = store.corruption_error(snap)
        if err is not None:
            raise err from e
        raise
    con = duckdb.connect(config={"threads": 2, "memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(Path(tempfile.gettempdir()) / "tm-duckdb")})
    store.create_views(con, snap)
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




def _base_db(store: Store, snap: dict) -> Path:
    """The DuckDB file of this snapshot's per-article tables, built on first use (atomically).

    Kept under the system temp dir, keyed by store path, store identity (a store deleted and
    rebuilt at the same path reaches the same snapshot ids with other data) and snapshot id; other
    files of the same path (older snapshots, earlier stores) are removed once a newer one is built."""
    import duckdb

    key = hashlib.sha256(str(store.root.resolve()).encode()).hexdigest()[:12]
    ident = hashlib.sha256(store.identity().encode()).hexdigest()[:12]
    folder = Path(str(config.get("query_cache")) or Path(tempfile.gettempdir()) / "tm-query-cache")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}-{ident}-{int(snap['id'])}-v{BASE_LAYOUT}.duckdb"
    if path.exists():
        return path
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    bcon = duckdb.connect(str(tmp), config={"threads": 2, "memory_limit": BUILD_MEMORY_LIMIT,
                                            "temp_directory": str(folder / ".spill"),
                                            "preserve_insertion_order": False})
    try:
        store.create_views(bcon, snap)
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
    aliases = {**spacing_aliases(c.con, aliases), **aliases}  # 인공 지능 = 인공지능 (queries/matching.py)
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

def _period(granularity: str, col: str = "a.published") -> str:
    unit = GRANULARITIES.get(granularity)
    if unit is None:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    return f"CAST(date_trunc('{unit}', {col}) AS DATE)"
