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
