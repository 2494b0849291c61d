"""analytics.synth: synthetic corpora are shaped like news, reproducible, and always labelled."""

from __future__ import annotations

import json
from argparse import Namespace

import pytest

from analytics import queries as q
from analytics.config import UNKNOWN
from analytics.filters import Filters
from analytics.synth import SOURCES, synth_main, write_synthetic_store

pytestmark = pytest.mark.usefixtures("isolated_query_cache")


def test_synth_jsonl_is_labelled_and_reproducible(tmp_path):
    assert synth_main(Namespace(articles=300, out=tmp_path / "a", seed=3)) == 0
    assert synth_main(Namespace(articles=300, out=tmp_path / "b", seed=3)) == 0
    a = (tmp_path / "a" / "corpus.jsonl").read_text(encoding="utf-8")
    assert a == (tmp_path / "b" / "corpus.jsonl").read_text(encoding="utf-8")
    recs = [json.loads(line) for line in a.splitlines()]
    assert len(recs) == 300 and all(r["synthetic"] is True for r in recs)
    assert len({r["id"] for r in recs}) == 300
    assert len({r.get("source") for r in recs}) >= 20
    years = {r["date"][:4] for r in recs if "date" in r}
    assert len(years) >= 8
    assert all(len(r["body"]) > 100 for r in recs)


def test_synthetic_store_answers_queries(tmp_path):
    write_synthetic_store(tmp_path / "s", 400, seed=1, chunk=150)
    c = q.open_corpus(tmp_path / "s", tmp_path / "nolexicon")
    assert q.kpis(c, Filters())["articles"] == 400
    assert c.sql("SELECT bool_and(synthetic) AS s FROM articles")["s"].iloc[0]
    assert set(q.sources(c)) <= set(SOURCES) | {UNKNOWN}
    assert c.sql("SELECT count(*) AS n FROM sentences")["n"].iloc[0] >= 400 * 3
    assert not q.top_keywords(c, Filters(), method="tf").empty
    assert not q.top_entities(c, Filters()).empty
    assert len(q.store_versions(c)) == 4  # init + three chunks


def test_synthetic_store_has_a_zipf_vocabulary_of_real_terms(tmp_path):
    from analytics.store import Store
    from analytics.synth_vocab import load

    write_synthetic_store(tmp_path / "z", 2000, seed=2)
    con = Store(tmp_path / "z").connect()
    freq = [r[1] for r in con.execute("SELECT term, sum(count) FROM terms GROUP BY term ORDER BY 2 DESC").fetchall()]
    assert len(freq) > 20_000  # tens of thousands of distinct terms already at 2,000 articles
    import numpy as np

    ranks = np.arange(50, 2000)
    slope = np.polyfit(np.log(ranks + 60), np.log(np.array(freq[49:1999], dtype=float)), 1)[0]
    assert -1.3 < slope < -0.8  # Zipf-Mandelbrot exponent ~1.05 (topic terms bend the head)
    vocab = load()
    names = {t for k in vocab.values() for t in k}
    sample = [r[0] for r in con.execute("SELECT DISTINCT term FROM terms ORDER BY term LIMIT 500").fetchall()]
    single_or_pair = [t for t in sample if t in names or any(t.startswith(a) for a in vocab["term"][:3000])]
    assert len(single_or_pair) == 500  # every term is a derived term, a gazetteer name or a compound of them
    types = dict(con.execute("SELECT type, count(*) FROM entities GROUP BY 1").fetchall())
    assert set(types) == {"PS", "OG", "LC"} and min(types.values()) > 1000
    per_type = con.execute("SELECT type, canonical FROM entities LIMIT 200").fetchall()
    assert all(name in vocab[kind] for kind, name in per_type)
    labels = dict(con.execute("SELECT label, count(*) / sum(count(*)) OVER () FROM sentences GROUP BY 1").fetchall())
    assert 0.4 < labels["neutral"] < 0.7 and labels["negative"] > 0.15 and labels["positive"] > 0.1
    assert con.execute("SELECT count(DISTINCT source) FROM articles").fetchone()[0] >= 25
    assert con.execute("SELECT max(year) - min(year) FROM articles").fetchone()[0] >= 8
