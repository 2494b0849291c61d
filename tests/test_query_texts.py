"""Sentence texts from the compressed file beside the postings (queries/texts.py) are the text
table's own values: round trips over block and chunk boundaries, misses, and whole stores built
in full and incrementally."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analytics import queries as q
from analytics.queries import postings, texts
from analytics.synth import write_synthetic_store

pytestmark = pytest.mark.usefixtures("isolated_query_cache")


def _segment(tmp_path, chunks):
    """A segment folder written chunk by chunk (as `_write_segment` does), loaded back."""
    w = postings._Writer(tmp_path / "seg", dict(texts.DTYPES))
    ok = all(texts.add(w, np.array(a), np.array(p), t) for a, p, t in chunks)
    w.close({})
    meta = json.loads((tmp_path / "seg" / "meta.json").read_text())["arrays"]
    arrs = [np.fromfile(tmp_path / "seg" / f"{k}.bin", dtype=meta[k]["dtype"]) for k in texts.DTYPES]
    return ok, texts.Texts(*arrs)


def test_texts_round_trip_over_blocks_and_chunks(tmp_path):
    n = texts.BLOCK * 2 + 5  # a chunk ending inside a block, a second chunk starting a new one
    first = ([7] * n, list(range(n)), [f"문장 {i}: 윤석열 대통령은 “말했다” 🙂" * (i % 3 + 1) for i in range(n)])
    second = ([9, 9, 12], [0, 3, 0], ["", "한 줄\n두 줄", "x"])
    ok, seg = _segment(tmp_path, [first, second])
    assert ok
    aid = np.array([12, 7, 7, 9, 9, 7], dtype=np.int64)
    pos = np.array([0, n - 1, 0, 3, 0, texts.BLOCK])
    assert texts.lookup([seg], aid, pos) == ["x", first[2][n - 1], first[2][0], "한 줄\n두 줄", "",
                                             first[2][texts.BLOCK]]


def test_a_sentence_no_segment_holds_is_none_and_later_segments_are_searched(tmp_path):
    _, old = _segment(tmp_path / "a", [([1, 1], [0, 1], ["가", "나"])])
    _, new = _segment(tmp_path / "b", [([5], [0], ["다"])])
    got = texts.lookup([old, new], np.array([5, 1, 1, 6]), np.array([0, 1, 2, 0]))
    assert got == ["다", "나", None, None]


def test_a_missing_text_leaves_the_segment_without_texts(tmp_path):
    w = postings._Writer(tmp_path / "seg", dict(texts.DTYPES))
    assert texts.add(w, np.array([1, 1]), np.array([0, 1]), ["가", None]) is False
    assert texts.add(w, np.array([1]), np.array([1 << texts.POS_BITS]), ["가"]) is False


@pytest.mark.parametrize("incremental", [False, True])
def test_every_stored_sentence_reads_back_from_the_postings(tmp_path, incremental):
    root = tmp_path / "store"
    write_synthetic_store(root, 180 if incremental else 200, chunk=200)
    if incremental:
        q.open_corpus(root)
        write_synthetic_store(root, 20, chunk=20, first=180)
    c = q.open_corpus(root)
    p = postings._post(c)
    assert len(p.segs) == (2 if incremental else 1) and all(s.texts is not None for s in p.segs)
    rows = c.sql("SELECT aid, pos, text FROM stext ORDER BY aid, pos")
    assert len(rows) > 1000
    got = texts.lookup([s.texts for s in p.segs], rows["aid"].to_numpy(), rows["pos"].to_numpy())
    assert got == rows["text"].tolist()
