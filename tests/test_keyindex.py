"""The hashed key look-up answers exactly what a dict would, hits, misses and edge keys alike."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.nlp.keyindex import KeyIndex


@pytest.mark.parametrize("n", [0, 1, 2, 17, 5_000])
def test_get_equals_dict_get(n):
    rng = np.random.default_rng(n)
    keys = np.unique(np.concatenate([rng.integers(-2**62, 2**62, n), rng.integers(0, 50, n // 2)]))[:n]
    ids = rng.integers(0, 10**6, len(keys))
    index = KeyIndex(keys, ids)
    assert len(index) == len(keys)
    edge = [np.iinfo(np.int64).min, np.iinfo(np.int64).max, 0, -1, 1]
    q = np.concatenate([keys, keys[::-1], rng.integers(-2**62, 2**62, 300), rng.integers(0, 50, 100), edge])
    want = dict(zip(keys.tolist(), ids.tolist(), strict=True))
    assert index.get(q, -7).tolist() == [want.get(x, -7) for x in q.tolist()]
    assert index.get(np.zeros(0, dtype=np.int64), 3).tolist() == []


def test_crowded_slots_still_found():
    """Keys that share their first slot (multiples of the table size after hashing) need probes."""
    keys = np.arange(0, 64 * 1000, 64, dtype=np.int64)
    index = KeyIndex(keys, keys * 2)
    assert index.probes >= 1
    q = np.concatenate([keys, keys + 1])
    assert index.get(q, -1).tolist() == (keys * 2).tolist() + [-1] * len(keys)


def test_duplicate_keys_refused():
    with pytest.raises(ValueError):
        KeyIndex(np.array([3, 3]), np.array([1, 2]))
