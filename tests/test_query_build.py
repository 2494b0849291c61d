"""analytics.queries.build: an incremental build of the query tables equals a full build exactly;
deletions and replaced articles fall back to a full build."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import queries as q
from analytics.filters import Filters
from analytics.queries import build
from analytics.store import Change, Store, sql_str
from analytics.synth import write_synthetic_store

# per table: the columns that identify a row once ids are replaced by names (aid -> article id,
# tid -> term, cell -> its keys); aggregate tables are compared as sums per key
AGG_SUMS = {"agg": ("sum(tf)", "sum(df)", "min(first)"), "kagg": ("round(sum(yk), 9)", "sum(n)"),
            "eagg": ("sum(mentions)", "sum(articles)"), "ecagg": ("sum(articles)", "max(kind)"),
            "sagg": ("sum(n)", "sum(neg)", "sum(neu)", "sum(pos)", "sum(articles)"),
            "tcell": ("sum(n)", "sum(nneg)", "sum(npos)")}


def _canonical(path) -> dict[str, list]:
    """Every query table of a build file in id-free form, sorted (a delta file with its base)."""
    con = build.open_tables(path)
    out = {}
    out["art"] = con.execute("SELECT * EXCLUDE (aid) FROM art ORDER BY id").fetchall()
    out["art_order"] = [r[0] for r in con.execute("SELECT id FROM art ORDER BY aid").fetchall()]
    out["vocab"] = con.execute("SELECT term FROM vocab ORDER BY term").fetchall()
    cols = {t: [c[0] for c in con.execute(f"DESCRIBE {t}").fetchall()] for t in build.BASE_TABLES}
    for t in build.BASE_TABLES:
        if t in ("art", "vocab", "cells", "topbits", "amask", "vt", "vk", "an", "stl") or t.rstrip("123") in AGG_SUMS:
            continue
        sel = []
        joins = ""
        for c in cols[t]:
            if c == "aid":
                sel.append("a.id")
                joins += f" JOIN art a ON a.aid = {t}.aid"
            elif c == "tid":
                sel.append("v.term")
                joins += f" JOIN vocab v ON v.tid = {t}.tid"
            else:
                sel.append(f"{t}.{c}")
        out[t] = con.execute(f"SELECT {', '.join(sel)} FROM {t}{joins} ORDER BY ALL").fetchall()
    out["vt"] = con.execute("SELECT v.term, sum(tf), sum(df) FROM vt JOIN vocab v USING (tid) GROUP BY 1 ORDER BY 1").fetchall()
    out["stl"] = con.execute("""SELECT a.id, x.pos, list_sort(list(v.term)) FROM (SELECT aid, pos, unnest(tids) AS tid
                                FROM stl) x JOIN art a USING (aid) JOIN vocab v USING (tid) GROUP BY 1, 2 ORDER BY 1, 2""").fetchall()
    out["vk"] = con.execute("SELECT v.term, round(sum(yk), 9), sum(n) FROM vk JOIN vocab v USING (tid) GROUP BY 1 ORDER BY 1").fetchall()
    out["an"] = con.execute("SELECT a.id, sum(n) FROM an JOIN art a USING (aid) GROUP BY 1 ORDER BY 1").fetchall()
    # the network masks: an incremental build keeps the masked terms of its full build, so compare
    # each article's set of masked terms it holds, recomputed from tm, with its stored mask
    out["amask"] = con.execute("""SELECT count(*) FROM (SELECT tm.aid, bit_or(CAST(1 AS BIGINT) << CAST(b.bit AS BIGINT)) AS m
                                  FROM tm JOIN topbits b USING (tid) GROUP BY 1) x FULL JOIN amask a USING (aid)
                                  WHERE x.m IS DISTINCT FROM a.mask""").fetchall()
    keys = "published, source, year, language, rep"
    out["cells"] = con.execute(f"SELECT {keys}, n_articles FROM cells ORDER BY ALL").fetchall()
    for base, sums in AGG_SUMS.items():
        for lv in build.AGG_LEVELS:
            t = f"{base}{lv}"
            exprs = {"": keys.split(", "), **{k: list(v) for k, v in build._LEVEL_KEYS.items()}}[lv]
            typ = "g.type, " if base == "eagg" else ""
            ks = ", ".join(f"c.k{i}" for i in range(len(exprs)))
            sub = ", ".join(f"{e} AS k{i}" for i, e in enumerate(exprs))
            term = "" if base == "tcell" else "v.term, "
            vj = "" if base == "tcell" else "JOIN vocab v USING (tid)"
            out[t] = con.execute(f"""SELECT {ks}, {typ}{term}{", ".join(sums)} FROM {t} g
                JOIN (SELECT DISTINCT {f"c{lv}" if lv else "cell"} AS k, {sub} FROM cells) c ON c.k = g.cell
                {vj} GROUP BY ALL ORDER BY ALL""").fetchall()
    con.close()
    return out


def _queries(c: q.Corpus) -> dict[str, object]:
    top = q.top_keywords(c, Filters(), n=12, method="tf")["term"].tolist()
    src = q.sources(c)[0]
    ent = q.top_entities(c, Filters(), n=3)["entity"].tolist()[0]
    out: dict[str, object] = {}
    for i, f in enumerate([Filters(), Filters(sources=(src,)), Filters(query=f"{top[3]} OR {top[5]}"),
                           Filters(date_from=date(2021, 1, 1), date_to=date(2023, 6, 30), unique_stories=True)]):
        out[f"kpis{i}"] = q.kpis(c, f)
        out[f"volume{i}"] = q.volume(c, f, "month")
        out[f"articles{i}"] = q.articles(c, f, limit=50)
        out[f"tf{i}"] = q.top_keywords(c, f, 30, "tf")
        out[f"yake{i}"] = q.top_keywords(c, f, 30, "yake")
        out[f"trend{i}"] = q.keyword_trend(c, f, (top[2], top[7]), "year")
        out[f"rising{i}"] = q.rising_terms(c, f, date(2023, 1, 1), date(2023, 12, 31))
        out[f"related{i}"] = q.related_terms(c, f, top[4], "article")
        out[f"related_s{i}"] = q.related_terms(c, f, top[4], "sentence", max_articles=40)
        out[f"network{i}"] = q.cooccurrence_network(c, f, n_nodes=15)
        out[f"entities{i}"] = q.top_entities(c, f)
        out[f"entity_network{i}"] = q.entity_network(c, f, n_nodes=12)
        out[f"target{i}"] = q.target_sentiment(c, f, ent, limit=30)
        out[f"kwic{i}"] = q.kwic(c, f, top[6], limit=30)
        out[f"tone{i}"] = q.sentiment_over_time(c, f, "year")
        out[f"drivers{i}"] = q.sentiment_drivers(c, f)
    return out


def _same(a, b) -> None:
    assert a.keys() == b.keys()
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, tuple):
            for xi, yi in zip(x, y, strict=True):
                _same({k: xi}, {k: yi})
        elif isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_exact=False,
                                          rtol=1e-9, obj=k)  # float sums in another order: last bits
        else:
            assert x == y, k


@pytest.fixture
def grown(tmp_path, monkeypatch):
    """A 400-article store with its query tables built, then 12 more articles appended (dates
    spread over the years: most land between old articles)."""
    root = tmp_path / "store"
    inc = tmp_path / "qinc"
    monkeypatch.setenv("TM_QUERY_CACHE", str(inc))
    write_synthetic_store(root, 400, seed=5)
    store = Store(root)
    first = build.base_db(store, store.snapshot())
    assert build.built_how(first)["how"] == "full"
    write_synthetic_store(root, 12, seed=5, first=400)
    return store, inc, tmp_path


def test_incremental_build_equals_a_full_build(grown, monkeypatch):
    store, inc, tmp = grown
    b_inc = build.base_db(store, store.snapshot())
    how = build.built_how(b_inc)
    assert (how["how"], how["articles"], how["appended"]) == ("incremental", 412, 12)
    ci, cf = _equal_to_a_full_build(store, b_inc, inc, tmp, monkeypatch)
    # and every query answers the same
    _same(_queries(ci), _queries(cf))


def _equal_to_a_full_build(store, built, inc, tmp, monkeypatch):
    """A full build of the same snapshot, in a cache of its own, has the same tables as `built`; returns the
    corpora opened on the incremental cache `inc` and on the full one."""
    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp / "qfull"))
    full = build.base_db(store, store.snapshot(), incremental=False)
    assert build.built_how(full)["how"] == "full"
    a, b = _canonical(built), _canonical(full)
    for t in a:
        assert a[t] == b[t], t
    cf = q.open_corpus(store.root, tmp / "nolex")
    monkeypatch.setenv("TM_QUERY_CACHE", str(inc))
    ci = q.open_corpus(store.root, tmp / "nolex")
    return ci, cf


def test_deleted_or_replaced_articles_fall_back_to_a_full_build(grown, monkeypatch):
    store, inc, tmp = grown
    build.base_db(store, store.snapshot())  # incremental, as above
    c = q.open_corpus(store.root, tmp / "nolex")
    gone = c.sql("SELECT id FROM art ORDER BY id LIMIT 3")["id"].tolist()
    pred = f"IN ({', '.join(sql_str(i) for i in gone)})"
    with store.writer() as w:
        ch = Change()
        ch.delete("articles", f"id {pred}")
        for t in ("sentences", "terms", "keywords", "entities", "article_sentiment"):
            ch.delete(t, f"article_id {pred}")
        w.commit(ch, "test")
    path = build.base_db(store, store.snapshot())
    assert build.built_how(path)["how"] == "full"
    c2 = q.open_corpus(store.root, tmp / "nolex")
    assert q.kpis(c2, Filters())["articles"] == 409
    assert c2.sql(f"SELECT count(*) AS n FROM art WHERE id {pred}")["n"].iloc[0] == 0
    # a replaced article (same id, new content) rewrites files too: full build, new text counted
    art = c2.store.read("articles").to_pylist()[0]
    with store.writer() as w:
        ch = Change()
        ch.delete("articles", f"id = {sql_str(art['id'])}")
        ch.append("articles", [{**art, "title": "바뀐 제목"}])
        w.commit(ch, "test")
    path = build.base_db(store, store.snapshot())
    assert build.built_how(path)["how"] == "full"
    c3 = q.open_corpus(store.root, tmp / "nolex")
    assert c3.sql(f"SELECT title FROM art WHERE id = {sql_str(art['id'])}")["title"].tolist() == ["바뀐 제목"]


def test_an_appended_batch_of_analysis_for_analysed_articles_is_a_full_build(grown):
    store, _, _ = grown
    build.base_db(store, store.snapshot())
    c = store.read("terms").slice(0, 1).to_pylist()[0]
    with store.writer() as w:  # a second analysis row set for an article (no delete): a full build counts both
        ch = Change()
        ch.append("terms", [{**c, "term": "새용어"}])
        w.commit(ch, "test")
    path = build.base_db(store, store.snapshot())
    assert build.built_how(path)["how"] == "full"


def test_a_second_incremental_build_extends_the_delta_file(grown, monkeypatch):
    """Delta over delta: the new file holds only the rows appended since the full build (the full
    build's file is kept as its base, the superseded delta removed), the postings gain one segment
    per build, and tables, postings sums and queries equal a full build's."""
    from analytics.queries import postings

    store, inc, tmp = grown
    first = build.base_db(store, store.snapshot())  # +12: the first delta
    base, delta = build.layers(first)
    assert delta == first and base != first
    write_synthetic_store(store.root, 9, seed=5, first=412)
    second = build.base_db(store, store.snapshot())
    how = build.built_how(second)
    assert (how["how"], how["articles"], how["appended"], how["base"]) == ("incremental", 421, 21, base.name)
    assert sorted(p.name for p in inc.glob("*.duckdb")) == sorted([base.name, second.name])
    con = build.open_tables(second)
    assert con.execute("SELECT count(*) FROM delta.art").fetchone()[0] == 21
    assert con.execute("SELECT count(*) FROM base.art").fetchone()[0] == 400
    con.close()
    assert len(json_segments(second)) == 3
    ci, cf = _equal_to_a_full_build(store, second, inc, tmp, monkeypatch)
    for sql_text in ("SELECT aid FROM art", "SELECT aid FROM art WHERE year = 2023"):
        got = [postings.subset_freq(x, postings.subset_aids(x, sql_text)) for x in (ci, cf)]
        # aids differ between the two numberings: compare by canonical term
        named = [sorted((x._postings["names"][cid - 1], tf, df) for cid, tf, df in zip(*(v.tolist() for v in g), strict=True))
                 for x, g in zip((ci, cf), got, strict=True)]
        assert named[0] == named[1] and len(named[0]) > 100
    _same(_queries(ci), _queries(cf))


def json_segments(path) -> list[str]:
    import json

    from analytics.queries import postings

    return json.loads((postings.post_dir(path) / "segments.json").read_text())["segments"]
