"""The query tables of one store snapshot: a DuckDB file (per-article tables keyed by integer ids,
pre-aggregates, indexes), built in full or extended from the previous snapshot's file.

One SQL text serves both builds. Each step writes the rows of its table that are *new*
(`n_<table>`: in a full build a view of the whole table, in an incremental build a temp table of
the rows the new Parquet files bring) and appends them; every later step reads `n_*` for what it
adds. Aggregate tables are sums (several rows of one (cell, term) are summed by every reader), so
an appended batch of articles only appends its own aggregate rows. Article ids (`aid`) of a full
build are AID_GAP apart in (date, id) order, and an incremental build numbers a new
article into the gap where it belongs, so `aid` order stays (date, id) order (a date window is an aid
range, ties by aid are ties by id) and every query gives what a full build gives; without room
in a gap, a full build. Term ids (`tid`) carry no order: new terms are numbered after the old.
The ids of one snapshot thus depend on the builds before it: `_meta` carries an `epoch` (new at
each full build, kept by incremental ones), and anything cached on disk by aid keys on it.

Layers: an incremental build does not copy the full build's file. It writes a small *delta* file
(`_meta` names its `base`, the full build's file) holding only the rows appended since that full
build (the previous delta's rows copied, then the new ones) and a complete copy of the few tables
updated in place (`cells`); readers see each table as base UNION ALL delta (`attach_tables`). Its
cost thus follows the rows appended since the full build (at most MAX_DELTA_SHARE), not the corpus.

An incremental build is taken only when it gives exactly what a full build would (see
`_delta_files` and `_extend_ok`): every Parquet file of the previous snapshot is still part of the
new one (nothing deleted or rewritten: a deletion, a replaced article or a compaction rewrites files
-> full build), the new rows name no article already in the tables, and the appended share stays
small (beyond it a full build also re-sorts the tables).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd

from analytics import config
from analytics.queries import postings
from analytics.store import SCHEMAS, Store, sql_str

BASE_LAYOUT = 17  # bump when the tables change: older cache files are then rebuilt
AGG_LEVELS = ("1", "3", "2", "")  # coarsest first; see _aggregates
BASE_TABLES = ("art", "vocab", "vkey", "vt", "vk", "an", "tm", "tma", "kw", "ent", "asent", "sent", "asn", "stext", "st", "sta", "stl", "tsx", "cells",
               "topbits", "amask", "adone", *(f"{t}{lv}" for t in ("agg", "kagg", "eagg", "ecagg", "sagg", "tcell") for lv in AGG_LEVELS))
SOURCES = ("articles", "terms", "keywords", "entities", "sentences", "article_sentiment")
BUILD_MEMORY_LIMIT = str(config.get("query_build_memory"))
AID_GAP = 256  # a full build numbers articles 256, 512, ...: later ones are numbered into the gaps
MAX_DELTA_SHARE = 0.2  # new articles beyond this share of the old (or appended since the full build): full build
COMPLETE_TABLES = ("cells",)  # updated in place: a delta file holds the whole table
BASE_ONLY = ("topbits",)  # written by the full build only
LAYERED = tuple(t for t in BASE_TABLES if t not in COMPLETE_TABLES + BASE_ONLY)  # base rows + delta rows
_ART_COLS = ("id, source, published, date_precision, year, title, author, url, language, origin, "
             "cluster_id, is_excerpt, synthetic, n_chars")
_CELL_KEYS = ("published", "source", "year", "language", "rep")
_LEVEL_KEYS = {"1": ("year(published)", "year", "rep"), "2": ("year(published)", "year", "source", "rep"),
               "3": ("published", "year", "rep")}


def base_db(store: Store, snap: dict, incremental: bool = True) -> Path:
    """The DuckDB file of this snapshot's query tables, built on first use (atomically).

    Kept under the query cache folder, keyed by store path, store identity (a store deleted and
    rebuilt at the same path reaches the same snapshot ids with other data) and snapshot id. The
    newest older file of the same store is the starting point of an incremental build; the other
    files of the same path are removed once a newer one is built (a reader that still has one open
    keeps its inode)."""
    key = hashlib.sha256(str(store.root.resolve()).encode()).hexdigest()[:12]
    ident = hashlib.sha256(store.identity().encode()).hexdigest()[:12]
    folder = Path(str(config.get("query_cache")) or Path(tempfile.gettempdir()) / "tm-query-cache")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}-{ident}-{int(snap['id'])}-v{BASE_LAYOUT}.duckdb"
    if path.exists():
        return path
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    files = {t: store.table_files(t, snap) for t in SOURCES}
    prev = _previous(folder, f"{key}-{ident}-", int(snap["id"])) if incremental else None
    if prev is None or not _extend(prev, tmp, files, folder):
        tmp.unlink(missing_ok=True)
        shutil.rmtree(postings.post_dir(tmp), ignore_errors=True)
        build(tmp, files, folder)
    shutil.rmtree(postings.post_dir(path), ignore_errors=True)
    if postings.post_dir(tmp).exists():
        os.replace(postings.post_dir(tmp), postings.post_dir(path))
    os.replace(tmp, path)
    keep = {path, *layers(path)}
    for old in folder.glob(f"{key}-*.duckdb"):
        if old not in keep:
            old.unlink(missing_ok=True)
            shutil.rmtree(postings.post_dir(old), ignore_errors=True)
    return path


def _previous(folder: Path, prefix: str, sid: int) -> Path | None:
    best = None
    for p in folder.glob(f"{prefix}*-v{BASE_LAYOUT}.duckdb"):
        try:
            s = int(p.name[len(prefix):].split("-")[0])
        except ValueError:
            continue
        if s < sid and (best is None or s > best[0]):
            best = (s, p)
    return best[1] if best else None


def layers(path: Path | str) -> tuple[Path, Path | None]:
    """(full build's file, delta file or None) of a query-table file."""
    path = Path(path)
    base = built_how(path).get("base")
    return (path.parent / base, path) if base else (path, None)


def attach_tables(con, path: Path | str) -> dict:
    """Views of every query table on `con` (base rows, then a delta's), read-only; the build record."""
    base, delta = layers(path)
    con.execute(f"ATTACH {sql_str(str(base))} AS base (READ_ONLY)")
    if delta is not None:
        con.execute(f"ATTACH {sql_str(str(delta))} AS delta (READ_ONLY)")
    for t in BASE_TABLES:
        src = f"SELECT * FROM base.{t}" if delta is None else _layered(t, "base", "delta")
        con.execute(f"CREATE VIEW {t} AS {src}")
    top = "delta" if delta is not None else "base"
    return json.loads(con.execute(f"SELECT value FROM {top}._meta WHERE key = 'build'").fetchone()[0])


def _layered(table: str, base: str, delta: str) -> str:
    """What a table of a delta file's snapshot is, from the schemas `base` (the full build) and `delta`:
    the full build's rows only (BASE_ONLY), the delta's complete copy (COMPLETE_TABLES), or both."""
    if table in BASE_ONLY:
        return f"SELECT * FROM {base}.{table}"
    if table in COMPLETE_TABLES:
        return f"SELECT * FROM {delta}.{table}"
    return f"SELECT * FROM {base}.{table} UNION ALL SELECT * FROM {delta}.{table}"


def open_tables(path: Path | str):
    """A read-only in-memory connection with every query table of the file as a view (tests, tools)."""
    import duckdb

    con = duckdb.connect()
    attach_tables(con, path)
    return con


def built_how(path: Path | str) -> dict:
    """The build record of a query-table file: {"how": "full" | "incremental", "articles", ...}."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return json.loads(con.execute("SELECT value FROM _meta WHERE key = 'build'").fetchone()[0])
    finally:
        con.close()


def _connect(path: Path, folder: Path):
    import duckdb

    return duckdb.connect(str(path), config={"threads": 2, "memory_limit": BUILD_MEMORY_LIMIT,
                                             "temp_directory": str(folder / ".spill"),
                                             "preserve_insertion_order": False})


def _views(con, files: dict[str, list[str]], prefix: str = "") -> None:
    for table in SOURCES:
        fs = files.get(table) or []
        if fs:
            quoted = ", ".join(sql_str(f) for f in fs)
            con.execute(f"CREATE TEMP VIEW {prefix}{table} AS SELECT * FROM read_parquet([{quoted}], union_by_name=true)")
        else:
            empty = SCHEMAS[table].empty_table()  # noqa: F841 (DuckDB reads the local variable)
            con.execute(f"CREATE TEMP TABLE {prefix}{table} AS SELECT * FROM empty")


def build(path: Path, files: dict[str, list[str]], folder: Path) -> None:
    """A full build of the query tables into `path`."""
    con = _connect(path, folder)
    try:
        _views(con, files)
        _tables(con, "", incremental=False)
        n = con.execute("SELECT count(*) FROM art").fetchone()[0]
        epoch = uuid.uuid4().hex
        _finish(con, files, {"how": "full", "articles": int(n), "full_articles": int(n), "appended": 0,
                             "epoch": epoch})
        postings.write_full(con, path, epoch)
    finally:
        con.close()


def _extend(prev: Path, path: Path, files: dict[str, list[str]], folder: Path) -> bool:
    """A delta file over the previous snapshot's full build (the previous delta copied, if any)
    with the new files' rows appended; False (nothing kept) when only a full build gives the
    exact tables."""
    import duckdb

    try:
        pcon = duckdb.connect(str(prev), read_only=True)
        try:
            old = {}
            for t, f in pcon.execute("SELECT tbl, file FROM _files").fetchall():
                old.setdefault(t, set()).add(f)
            meta = json.loads(pcon.execute("SELECT value FROM _meta WHERE key = 'build'").fetchone()[0])
        finally:
            pcon.close()
    except (duckdb.Error, OSError, TypeError):
        return False
    delta = _delta_files(old, files)
    if delta is None or meta.get("orphans"):
        return False
    base = prev.parent / meta["base"] if meta.get("base") else prev
    if not base.exists():
        return False
    if meta.get("base"):
        shutil.copyfile(prev, path)  # the rows appended since the full build (small)
    con = _connect(path, folder)
    ok = False
    try:
        _layer(con, base, first=not meta.get("base"))
        _views(con, delta, "d_")
        ok = _extend_ok(con, meta)
        if ok:
            _tables(con, "d_", incremental=True)
            n = con.execute("SELECT count(*) FROM art").fetchone()[0]
            appended = int(meta["appended"]) + int(n) - int(meta["articles"])
            epoch = meta.get("epoch", "")
            _finish(con, files, {"how": "incremental", "articles": int(n), "full_articles": meta["full_articles"],
                                 "appended": appended, "epoch": epoch, "base": base.name})
            if not postings.write_delta(con, prev, path, epoch):  # the new rows only, beside the old segments
                postings.write_full(con, path, epoch)
    finally:
        con.close()
    if not ok:
        path.unlink(missing_ok=True)
        shutil.rmtree(postings.post_dir(path), ignore_errors=True)
    return ok


def _layer(con, base: Path, first: bool) -> None:
    """On a delta file's connection: the full build attached, each layered table seen as base rows
    UNION ALL this file's (temp views; `_put` appends to this file's table); `first`: create the
    file's tables (no rows; `cells` copied whole)."""
    con.execute(f"ATTACH {sql_str(str(base))} AS b (READ_ONLY)")
    db = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    own = f'"{db}".main'  # this file's own schema
    if first:
        for t in LAYERED:
            con.execute(f'CREATE TABLE {own}.{t} AS SELECT * FROM b.{t} LIMIT 0')
        for t in COMPLETE_TABLES:
            con.execute(f'CREATE TABLE {own}.{t} AS SELECT * FROM b.{t}')
        con.execute(f'CREATE INDEX stext_aid ON {own}.stext (aid)')
    for t in LAYERED + BASE_ONLY:  # `cells` (complete in this file) is this file's own table
        con.execute(f"CREATE TEMP VIEW {t} AS {_layered(t, 'b', own)}")
    con.execute(f"SET VARIABLE tm_into = '{own}.'")


def _delta_files(old: dict[str, set[str]], new: dict[str, list[str]]) -> dict[str, list[str]] | None:
    """The files each source table gained, or None when one of the old files is gone."""
    delta = {}
    for t in SOURCES:
        have = set(new.get(t) or [])
        if not old.get(t, set()) <= have:
            return None
        delta[t] = sorted(have - old.get(t, set()))
    return delta


def _extend_ok(con, meta: dict) -> bool:
    """Whether appending the d_* rows gives exactly the full build: no new article already in the
    tables, no analysis row for an article that already has analysis rows or that exists in no
    articles table (a full build would drop it now and pick it up later), and a small delta."""
    n_new = con.execute("SELECT count(*) FROM d_articles").fetchone()[0]
    if n_new > MAX_DELTA_SHARE * max(1, meta["articles"]):
        return False
    if meta["appended"] + n_new > MAX_DELTA_SHARE * max(1, meta["full_articles"]) and n_new:
        return False
    again = con.execute("""SELECT count(*) FROM (SELECT DISTINCT id FROM d_articles) d JOIN art a USING (id)""").fetchone()[0]
    dup = con.execute("SELECT count(*) - count(DISTINCT id) FROM d_articles").fetchone()[0]
    ids = " UNION ".join(f"SELECT DISTINCT article_id FROM d_{t}" for t in SOURCES if t != "articles")
    bad = con.execute(f"""SELECT count(*) FROM ({ids}) x
        WHERE x.article_id IN (SELECT a.id FROM art a JOIN adone USING (aid))
           OR (x.article_id NOT IN (SELECT id FROM art) AND x.article_id NOT IN (SELECT id FROM d_articles))""").fetchone()[0]
    if again or dup or bad:
        return False
    # the new articles' ids, each in the gap between its old neighbours in (date, id) order
    con.execute(f"""CREATE TEMP TABLE newaid AS
        WITH r AS (SELECT published, id, aid FROM art UNION ALL SELECT published, id, NULL FROM d_articles),
        w AS (SELECT id, published, aid,
                     max(aid) OVER (ORDER BY published NULLS LAST, id ROWS UNBOUNDED PRECEDING) AS lo,
                     min(aid) OVER (ORDER BY published NULLS LAST, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS hi
              FROM r),
        g AS (SELECT id, coalesce(lo, 0) AS lo, hi, row_number() OVER (PARTITION BY lo ORDER BY published NULLS LAST, id) AS k,
                     count(*) OVER (PARTITION BY lo) AS m FROM w WHERE aid IS NULL)
        SELECT id, lo + k * (CASE WHEN hi IS NULL THEN {AID_GAP} ELSE (hi - lo) // (m + 1) END) AS aid,
               CASE WHEN hi IS NULL THEN {AID_GAP} ELSE (hi - lo) // (m + 1) END AS step FROM g""")
    room, top = con.execute("SELECT coalesce(min(step), 1), coalesce(max(aid), 0) FROM newaid").fetchone()
    return room >= 1 and top < 2**31 - 1


def _finish(con, files: dict[str, list[str]], build: dict) -> None:
    """Record the source files and the build kind, then checkpoint."""
    rows = [(t, f) for t, fs in files.items() for f in fs]
    con.execute("CREATE OR REPLACE TABLE _files (tbl VARCHAR, file VARCHAR)")
    if rows:
        con.executemany("INSERT INTO _files VALUES (?, ?)", rows)
    if build["how"] == "full":  # analysis rows of articles missing from `articles`: dropped now, never later
        ids = " UNION ".join(f"SELECT DISTINCT article_id FROM {t}" for t in SOURCES if t != "articles")
        build["orphans"] = int(con.execute(f"SELECT count(*) FROM ({ids}) x ANTI JOIN art a ON a.id = x.article_id")
                               .fetchone()[0])
    con.execute("CREATE OR REPLACE TABLE _meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO _meta VALUES ('build', ?)", [json.dumps(build)])
    con.execute("CHECKPOINT")


def _put(con, table: str, select: str, incremental: bool) -> None:
    """Write the new rows of `table` (SQL `select`): n_<table> holds them, `table` all rows."""
    if incremental:  # appended to the delta file's own table (see _layer)
        con.execute(f"CREATE TEMP TABLE n_{table} AS {select}")
        into = con.execute("SELECT getvariable('tm_into')").fetchone()[0] or ""
        con.execute(f"INSERT INTO {into}{table} SELECT * FROM n_{table}")
    else:
        con.execute(f"CREATE TABLE {table} AS {select}")
        con.execute(f"CREATE TEMP VIEW n_{table} AS SELECT * FROM {table}")


def _tables(con, s: str, incremental: bool) -> None:
    """Every query table from the source relations `{s}articles`, `{s}terms`, ... (see module doc)."""
    inc = incremental
    max_tid = con.execute("SELECT coalesce(max(tid), 0) FROM vocab").fetchone()[0] if inc else 0
    aid = ("(SELECT CAST(n.aid AS INTEGER) FROM newaid n WHERE n.id = x.id)" if inc else
           f"CAST(row_number() OVER (ORDER BY published NULLS LAST, id) * {AID_GAP} AS INTEGER)")
    _put(con, "art", f"SELECT {aid} AS aid, {_ART_COLS} FROM {s}articles x ORDER BY aid", inc)
    _put(con, "vocab", f"""SELECT CAST(row_number() OVER (ORDER BY term) + {max_tid} AS INTEGER) AS tid, term
        FROM (SELECT term FROM {s}terms UNION SELECT keyword FROM {s}keywords UNION SELECT canonical FROM {s}entities
              UNION SELECT DISTINCT unnest(terms) FROM {s}sentences)
        WHERE term IS NOT NULL {"AND term NOT IN (SELECT term FROM vocab)" if inc else ""}""", inc)
    from analytics.queries.matching import squeeze

    new = con.execute("SELECT tid, term FROM n_vocab").df()
    con.register("vkey_df", pd.DataFrame({"tid": new["tid"].astype("int32"), "key": [squeeze(t) for t in new["term"]]}))
    _put(con, "vkey", "SELECT CAST(tid AS INTEGER) AS tid, CAST(key AS VARCHAR) AS key FROM vkey_df", inc)
    con.unregister("vkey_df")
    _put(con, "tm", f"""SELECT a.aid, v.tid, CAST(sum(t.count) AS INTEGER) AS count
        FROM {s}terms t JOIN art a ON a.id = t.article_id JOIN vocab v ON v.term = t.term
        GROUP BY a.aid, v.tid ORDER BY v.tid""", inc)  # by term: a term's rows sit in few row groups
    _put(con, "kw", f"""SELECT a.aid, k.rank, v.tid, k.score
        FROM {s}keywords k JOIN art a ON a.id = k.article_id JOIN vocab v ON v.term = k.keyword""", inc)
    _put(con, "ent", f"""SELECT a.aid, e.type, v.tid, e.surface, e.count, e.sentences
        FROM {s}entities e JOIN art a ON a.id = e.article_id JOIN vocab v ON v.term = e.canonical
        ORDER BY v.tid, a.aid""", inc)  # by name: one entity's (or a few nodes') rows sit in few row groups
    # sentences without their text (tone only), their text apart (read for a few articles), and
    # their term ids, long form, ordered by term id so that finding a term's sentences reads a few
    # row groups
    _put(con, "sent", f"""SELECT a.aid, CAST(s.pos AS INTEGER) AS pos, s.label, s.score
        FROM {s}sentences s JOIN art a ON a.id = s.article_id ORDER BY a.aid, s.pos""", inc)
    # per article: its sentences by label and their score sum (the tone over time / by source
    # sum these 100,000 rows instead of grouping 1.8 million sentences under every filter)
    _put(con, "asn", """SELECT aid, CAST(count(*) AS BIGINT) AS n,
                               CAST(count(*) FILTER (WHERE label = 'negative') AS BIGINT) AS neg,
                               CAST(count(*) FILTER (WHERE label = 'positive') AS BIGINT) AS pos, sum(score) AS score_sum
                        FROM n_sent GROUP BY aid ORDER BY aid""", inc)
    # (with the offsets and term lists: the reader shows one article's sentences from here, not
    # from a scan of the store's sentence files)
    _put(con, "stext", f"""SELECT a.aid, CAST(s.pos AS INTEGER) AS pos, s.text, s.start, s."end", s.terms
        FROM {s}sentences s JOIN art a ON a.id = s.article_id ORDER BY a.aid, s.pos""", inc)
    if not inc:  # a few articles' text by index (queries/sql.py _with_text), not a scan of every row group
        con.execute("CREATE INDEX stext_aid ON stext (aid)")  # (an incremental build's inserts extend it)
    _put(con, "st", f"""SELECT DISTINCT a.aid, CAST(x.pos AS INTEGER) AS pos, v.tid
        FROM (SELECT article_id, pos, unnest(terms) AS term FROM {s}sentences) x
        JOIN art a ON a.id = x.article_id JOIN vocab v USING (term) ORDER BY v.tid""", inc)
    _put(con, "asent", f"""SELECT a.aid, s.mean_score, s.pos_share, s.neg_share, s.n_sentences
        FROM {s}article_sentiment s JOIN art a ON a.id = s.article_id""", inc)
    # the same (article, term) rows ordered by article: a date window is an aid range
    _put(con, "sta", "SELECT aid, pos, tid FROM n_st ORDER BY aid, pos", inc)
    # each sentence's term ids as one list (a few sentences' terms without scanning sta)
    _put(con, "stl", "SELECT aid, pos, list(tid) AS tids FROM n_st GROUP BY aid, pos ORDER BY aid, pos", inc)
    _put(con, "tma", "SELECT aid, tid, count FROM n_tm ORDER BY aid, tid", inc)
    # per term and per article totals (sums over appended rows): the whole-corpus statistics and
    # the spacing variants at open time come from these, not from a scan of tm
    _put(con, "vt", "SELECT tid, CAST(sum(count) AS BIGINT) AS tf, CAST(count(*) AS BIGINT) AS df FROM n_tm GROUP BY tid", inc)
    _put(con, "vk", "SELECT tid, sum(1.0 / rank) AS yk, CAST(count(*) AS BIGINT) AS n FROM n_kw GROUP BY tid", inc)
    _put(con, "an", "SELECT aid, CAST(sum(count) AS BIGINT) AS n FROM n_tm GROUP BY aid ORDER BY aid", inc)
    _put(con, "adone", """SELECT aid FROM n_tm UNION SELECT aid FROM n_kw UNION SELECT aid FROM n_ent
                          UNION SELECT aid FROM n_sent UNION SELECT aid FROM n_asent""", inc)
    _cells(con, inc)
    _aggregates(con, inc)


def _cells(con, inc: bool) -> None:
    """Pre-aggregate cells: one per (month, source, year, language, story representative), the
    dimensions a Filters value without a keyword query selects on (month-aligned dates only).
    A full build numbers them in date order (a date range is then a cell range); new cells of an
    incremental build come after. c1/c2/c3: the cell's roll-up at each coarser level (see
    _LEVEL_KEYS), an existing roll-up keeping its number."""
    keys = ", ".join(_CELL_KEYS)
    con.execute("""CREATE TEMP TABLE ncell AS SELECT CAST(date_trunc('month', published) AS DATE) AS published, source,
                          year, language, coalesce(id = cluster_id, FALSE) AS rep, count(*) AS n_articles
                   FROM n_art GROUP BY ALL""")
    if not inc:
        con.execute(f"""CREATE TABLE cells (cell INTEGER, {", ".join(f"{k} {t}" for k, t in zip(
            _CELL_KEYS, ("DATE", "VARCHAR", "INTEGER", "VARCHAR", "BOOLEAN"), strict=True))}, n_articles BIGINT,
            c1 INTEGER, c2 INTEGER, c3 INTEGER)""")
    same = " AND ".join(f"c.{k} IS NOT DISTINCT FROM n.{k}" for k in _CELL_KEYS)
    con.execute(f"UPDATE cells c SET n_articles = c.n_articles + n.n_articles FROM ncell n WHERE {same}")
    base = con.execute("SELECT coalesce(max(cell), 0) FROM cells").fetchone()[0]
    order = ", ".join(f"n.{k} NULLS LAST" for k in _CELL_KEYS)
    con.execute(f"""INSERT INTO cells (cell, {keys}, n_articles)
        SELECT CAST(row_number() OVER (ORDER BY {order}) + {base} AS INTEGER), {", ".join("n." + k for k in _CELL_KEYS)},
               n.n_articles FROM ncell n WHERE NOT EXISTS (SELECT 1 FROM cells c WHERE {same})""")
    for lv, ks in _LEVEL_KEYS.items():
        col = f"c{lv}"
        same_lv = " AND ".join(f"{k.replace('published', 'o.published')} IS NOT DISTINCT FROM "
                               f"{k.replace('published', 'c.published')}" if "(" in k else
                               f"o.{k} IS NOT DISTINCT FROM c.{k}" for k in ks)
        con.execute(f"""UPDATE cells c SET {col} = (SELECT any_value(o.{col}) FROM cells o
                        WHERE o.{col} IS NOT NULL AND {same_lv}) WHERE c.{col} IS NULL""")
        top = con.execute(f"SELECT coalesce(max({col}), 0) FROM cells").fetchone()[0]
        kx = ", ".join(f"{k} NULLS LAST" for k in ks)
        con.execute(f"""UPDATE cells SET {col} = r.c FROM (
                          SELECT cell, CAST(dense_rank() OVER (ORDER BY {kx}) + {top} AS INTEGER) AS c
                          FROM cells WHERE {col} IS NULL) r WHERE cells.cell = r.cell""")
    con.execute("DROP TABLE ncell")


def _aggregates(con, inc: bool) -> None:
    """Per-cell sums of the new rows (appended: readers sum several rows of one cell and term),
    then their roll-ups; the network bit masks; the target index."""
    same = " AND ".join(f"c.{k} IS NOT DISTINCT FROM x.{k}" for k in ("source", "year", "language"))
    con.execute(f"""CREATE TEMP TABLE ac AS SELECT x.aid, c.cell, x.published AS day FROM
        (SELECT aid, published, CAST(date_trunc('month', published) AS DATE) AS month, source, year, language,
                coalesce(id = cluster_id, FALSE) AS rep FROM art WHERE aid IN (SELECT aid FROM n_adone)) x
        JOIN cells c ON c.published IS NOT DISTINCT FROM x.month AND {same} AND c.rep = x.rep""")
    _put(con, "agg", """SELECT ac.cell, tm.tid, CAST(sum(tm.count) AS BIGINT) AS tf, CAST(count(*) AS BIGINT) AS df,
                               min(ac.day) AS first FROM n_tm tm JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""", inc)
    _put(con, "kagg", """SELECT ac.cell, kw.tid, sum(1.0 / kw.rank) AS yk, count(*) AS n
                         FROM n_kw kw JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""", inc)
    _put(con, "eagg", """SELECT ac.cell, ent.type, ent.tid, CAST(sum(ent.count) AS BIGINT) AS mentions,
                                CAST(count(DISTINCT ent.aid) AS BIGINT) AS articles
                         FROM n_ent ent JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""", inc)
    # entities by name whatever their type (network candidates): articles, the largest type
    _put(con, "ecagg", """SELECT ac.cell, ent.tid, CAST(count(DISTINCT ent.aid) AS BIGINT) AS articles,
                                 max(ent.type) AS kind FROM n_ent ent JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""", inc)
    # sentence tone per (cell, term): sentences holding the term by label, articles (the drivers
    # without a target); tcell: every sentence of the cell by label
    _put(con, "sagg", """SELECT ac.cell, st.tid, CAST(count(*) AS BIGINT) AS n,
                                CAST(count(*) FILTER (WHERE s.label = 'negative') AS BIGINT) AS neg,
                                CAST(count(*) FILTER (WHERE s.label = 'neutral') AS BIGINT) AS neu,
                                CAST(count(*) FILTER (WHERE s.label = 'positive') AS BIGINT) AS pos,
                                CAST(count(DISTINCT st.aid) AS BIGINT) AS articles
                         FROM n_st st JOIN sent s USING (aid, pos) JOIN ac USING (aid) GROUP BY ALL ORDER BY cell, tid""", inc)
    _put(con, "tcell", """SELECT ac.cell, CAST(count(*) AS BIGINT) AS n,
                                 CAST(count(*) FILTER (WHERE s.label = 'negative') AS BIGINT) AS nneg,
                                 CAST(count(*) FILTER (WHERE s.label = 'positive') AS BIGINT) AS npos
                          FROM n_sent s JOIN ac USING (aid) GROUP BY ALL ORDER BY cell""", inc)
    con.execute("DROP TABLE ac")
    # network presence: the 62 raw terms in most articles at the full build, one bit each, and
    # every article's mask of them (kept by incremental builds: the queries check the bits they use)
    if not inc:
        con.execute("""CREATE TABLE topbits AS SELECT tid, CAST(row_number() OVER (ORDER BY n DESC, tid) - 1 AS INTEGER) AS bit
                       FROM (SELECT tid, count(*) AS n FROM tm GROUP BY tid) ORDER BY n DESC, tid LIMIT 62""")
    _put(con, "amask", """SELECT tm.aid, bit_or(CAST(1 AS BIGINT) << CAST(b.bit AS BIGINT)) AS mask
                          FROM n_tm tm JOIN topbits b USING (tid) GROUP BY tm.aid ORDER BY tm.aid""", inc)
    # target index: term or entity id -> the sentences naming it, with their tone, by id
    _put(con, "tsx", """SELECT x.tid, x.aid, x.pos, s.label, s.score FROM
                        (SELECT tid, aid, pos FROM n_st UNION
                         SELECT tid, aid, CAST(unnest(sentences) AS INTEGER) AS pos FROM n_ent) x
                        JOIN sent s USING (aid, pos) ORDER BY x.tid, x.aid, x.pos""", inc)
    # coarser roll-ups of the same sums: a filter is answered at the coarsest level whose cells it
    # selects whole (queries/sql.py _agg_cells)
    for lv in _LEVEL_KEYS:
        _put(con, f"agg{lv}", f"""SELECT c.c{lv} AS cell, g.tid, sum(g.tf) AS tf, sum(g.df) AS df, min(g.first) AS first
                                  FROM n_agg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""", inc)
        _put(con, f"kagg{lv}", f"""SELECT c.c{lv} AS cell, g.tid, sum(g.yk) AS yk, sum(g.n) AS n
                                   FROM n_kagg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""", inc)
        _put(con, f"ecagg{lv}", f"""SELECT c.c{lv} AS cell, g.tid, sum(g.articles) AS articles, max(g.kind) AS kind
                                    FROM n_ecagg g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1, 2""", inc)
        _put(con, f"eagg{lv}", f"""SELECT c.c{lv} AS cell, g.type, g.tid, sum(g.mentions) AS mentions,
                                   sum(g.articles) AS articles FROM n_eagg g JOIN cells c USING (cell)
                                   GROUP BY ALL ORDER BY 1, 3""", inc)
        _put(con, f"sagg{lv}", f"""SELECT c.c{lv} AS cell, g.tid, sum(g.n) AS n, sum(g.neg) AS neg, sum(g.neu) AS neu,
                                   sum(g.pos) AS pos, sum(g.articles) AS articles FROM n_sagg g JOIN cells c USING (cell)
                                   GROUP BY ALL ORDER BY 1, 2""", inc)
        _put(con, f"tcell{lv}", f"""SELECT c.c{lv} AS cell, sum(g.n) AS n, sum(g.nneg) AS nneg, sum(g.npos) AS npos
                                    FROM n_tcell g JOIN cells c USING (cell) GROUP BY ALL ORDER BY 1""", inc)
