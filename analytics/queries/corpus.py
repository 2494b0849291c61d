"""The read handle: one store snapshot, its per-snapshot DuckDB cache file (queries/build.py: per-article
tables, pre-aggregates, indexes) and the user lexicon applied at query time."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import config, lexicon
from analytics.config import lexicon_dir as default_lexicon_dir
from analytics.nlp.keywords import news_stopwords
from analytics.queries.build import AGG_LEVELS, BASE_TABLES, attach_tables, base_db  # noqa: F401 (AGG_LEVELS: sql.py)
from analytics.queries.matching import spacing_aliases
from analytics.store import Store

GRANULARITIES = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
LEXICON_FILES = (lexicon.STOPWORDS_FILE, lexicon.ALIASES_FILE)
# DuckDB's buffer limit: materialised tables beyond it are spilled to temp files, not kept in RSS
MEMORY_LIMIT = str(config.get("query_memory"))
# related_terms(scope="sentence") reads the sentences of at most this many matching articles,
# the most recent first (the frame's attrs say how many matched and how many were read)
SENTENCE_SCOPE_ARTICLES = int(config.get("sentence_scope_articles"))
PRIOR_ALPHA0 = 1000.0  # total pseudo-count of the informative Dirichlet prior (distinctive_terms)


@dataclass
class Corpus:
    """A read handle: one store snapshot, a DuckDB connection, the lexicon applied to it."""

    store: Store
    snapshot: dict
    con: object
    lexicon_dir: Path | None = None
    lexicon_key: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)  # the user's and the analysis' own (news_stopwords)
    multi_tids: list[int] = field(default_factory=list)  # raw ids of alias groups (several forms)
    use_aggregates: bool = True  # False: always the per-article path (tests compare the two)
    tables_epoch: str = ""  # the query tables' id numbering (queries/build.py): on-disk caches by aid key on it
    _cells: dict = field(default_factory=dict, repr=False)
    _termsets: dict = field(default_factory=dict, repr=False)  # (lexicon key, term) -> table (queries/sql.py)
    _postings: dict = field(default_factory=dict, repr=False)  # numpy term rows (queries/postings.py)
    _squeezed: dict = field(default_factory=dict, repr=False)  # space-free alias -> canonical, per lexicon

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
        if self.aliases and not self._squeezed:  # aliases set without reload_lexicon (tests)
            self._squeezed = _squeezed(self.aliases)
        return _canonical(term.strip(), self.aliases, self._squeezed)


# ---- opening ---------------------------------------------------------------------------------
def open_corpus(store_dir: Path | str, lexicon_dir: Path | str | None = None) -> Corpus:
    """Open the latest snapshot and load the lexicon (default data/lexicon).

    The per-article tables live in a DuckDB file built once per snapshot (`build.base_db`, in full
    or from the previous snapshot's file) and attached
    read-only, so DuckDB's buffer manager, not the process heap, holds them (RSS stays bounded);
    the lexicon tables are small and live in memory."""
    import duckdb

    store = Store(store_dir)
    snap = store.snapshot()
    try:
        base = base_db(store, snap)
    except (duckdb.Error, OSError) as e:  # an unreadable data file: say which table, what to do
        err = store.corruption_error(snap)
        if err is not None:
            raise err from e
        raise
    con = duckdb.connect(config={"threads": 2, "memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(Path(tempfile.gettempdir()) / "tm-duckdb")})
    # no ART index scans: the text table's index fetched each sentence row alone (~23 us a row);
    # its readers filter by aid ranges instead (sql._with_text), which skip row groups by min/max
    con.execute("SET index_scan_max_count = 0")
    con.execute("SET index_scan_percentage = 0")
    store.create_views(con, snap)
    meta = attach_tables(con, base)  # the full build's tables, UNION ALL a delta's (queries/build.py)
    c = Corpus(store, snap, con, Path(lexicon_dir) if lexicon_dir else default_lexicon_dir())
    c._postings["path"] = base  # its postings folder sits next to it (queries/postings.py)
    c.tables_epoch = str(meta.get("epoch", ""))
    reload_lexicon(c)
    return c


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
    # the user's stopwords, and the analysis' own: article terms never hold the latter, but the
    # sentence term lists (drivers, sentence-scope related words) do (65세 '이상' as a driver)
    stop = (lexicon.load_stopwords(d) if d else set()) | news_stopwords()
    vocab = c.con.sql("SELECT tid, term FROM vocab").to_arrow_table()
    terms = vocab.column("term").to_pylist()  # plain lists: pandas string maps were slower
    sq = _squeezed(aliases)
    canon = [_canonical(t, aliases, sq) for t in terms] if aliases else terms
    names = sorted(set(canon) | set(aliases.values()))
    cid = {n: i for i, n in enumerate(names, start=1)}
    cids = np.array([cid[n] for n in canon], dtype=np.int32)
    stop_cids = {cid[n] for t, n in zip(terms, canon, strict=True) if t in stop or n in stop} if stop else set()
    stop_cids |= {cid[n] for n in names if n in stop}
    lexv_df = pa.table({"tid": vocab.column("tid").cast(pa.int32()), "cid": cids,  # noqa: F841 (read by DuckDB)
                        "stop": np.isin(cids, np.fromiter(stop_cids, dtype=np.int32, count=len(stop_cids)))})
    cnames_df = pa.table({"cid": np.arange(1, len(names) + 1, dtype=np.int32), "term": pa.array(names, pa.string())})  # noqa: F841
    con = c.con
    con.execute("CREATE OR REPLACE TABLE lexv AS SELECT CAST(tid AS INTEGER) tid, CAST(cid AS INTEGER) cid, stop, "
                "count(*) OVER (PARTITION BY cid) > 1 AS multi FROM lexv_df")
    con.execute("CREATE OR REPLACE TABLE cnames AS SELECT CAST(cid AS INTEGER) cid, term FROM cnames_df")
    # tca: term rows mapped to canonical ids (an article may hold two variants of one canonical);
    # tc: one row per (article, canonical term) without stopwords. Only alias groups (cid with
    # several raw forms) need the GROUP BY, so the common path is a plain join on a tiny table.
    con.execute("CREATE OR REPLACE VIEW tca AS SELECT tm.aid, l.cid, tm.count, l.stop FROM tm JOIN lexv l USING (tid)")
    # the alias groups' rows, summed per article once per lexicon (mrows, article order): their
    # raw ids are spread over the whole term table, so reading them per query scanned all of tm
    multi = [int(r[0]) for r in con.execute("SELECT tid FROM lexv WHERE multi ORDER BY tid").fetchall()]
    stops = [int(r[0]) for r in con.execute("SELECT tid FROM lexv WHERE stop ORDER BY tid").fetchall()]
    ins = lambda ids: "(" + ", ".join(map(str, ids or [-1])) + ")"  # noqa: E731
    con.execute(f"""CREATE OR REPLACE TABLE mrows AS SELECT tm.aid, l.cid, CAST(sum(tm.count) AS BIGINT) AS count
                    FROM tm JOIN lexv l USING (tid) WHERE tm.tid IN {ins(multi)} AND NOT l.stop
                    GROUP BY 1, 2 ORDER BY 1, 2""")
    con.execute("""CREATE OR REPLACE VIEW tc AS
                   SELECT tm.aid, l.cid, tm.count FROM tm JOIN lexv l USING (tid) WHERE NOT l.stop AND NOT l.multi
                   UNION ALL
                   SELECT aid, cid, CAST(count AS INTEGER) FROM mrows""")
    # the same rows from the article-ordered copy: for a few recent articles (a date window is an
    # aid range, which the scan then skips to)
    con.execute("""CREATE OR REPLACE VIEW tcx AS
                   SELECT tm.aid, l.cid, tm.count FROM tma tm JOIN lexv l USING (tid) WHERE NOT l.stop AND NOT l.multi
                   UNION ALL
                   SELECT aid, cid, CAST(count AS INTEGER) FROM mrows""")
    # whole-corpus term statistics: the unfiltered views (the dashboard's default) read these
    # (from the per-term and per-article totals: only alias groups and stopwords read term rows)
    con.execute("""CREATE OR REPLACE TABLE gstat AS SELECT cid, CAST(sum(tf) AS HUGEINT) AS tf, CAST(sum(df) AS BIGINT) AS df
                    FROM (SELECT l.cid, sum(v.tf) AS tf, sum(v.df) AS df FROM vt v JOIN lexv l USING (tid)
                          WHERE NOT l.stop AND NOT l.multi GROUP BY l.cid
                          UNION ALL
                          SELECT cid, sum(count), count(*) FROM mrows GROUP BY cid)
                    GROUP BY cid ORDER BY df DESC""")
    con.execute(f"""CREATE OR REPLACE TABLE atot AS SELECT aid, CAST(n - coalesce(s, 0) AS BIGINT) AS n_terms
                    FROM (SELECT aid, sum(n) AS n FROM an GROUP BY aid)
                    LEFT JOIN (SELECT aid, sum(count) AS s FROM tm WHERE tid IN {ins(stops)} GROUP BY aid) USING (aid)
                    WHERE n - coalesce(s, 0) > 0""")
    c.multi_tids = multi
    c._postings["names"] = names  # cid i is names[i - 1] (queries/postings.py)
    c.aliases, c.stopwords, c.lexicon_key, c._squeezed = aliases, stop, key, sq
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
