"""Integer key -> id look-ups for whole numpy arrays at once, by hashing instead of binary search.

The fast paths of the entity CRF and the sentiment model find the ids of character n-grams (their
code points packed into one integer) for every position of a batch. `np.searchsorted` into the
sorted keys costs ~13 unpredictable branches per query (~60 ns); an open-addressing table, a
quarter full, finds nearly every query in its first slot: a few vectorised passes over the
queries (~10 ns each). Exact: a query gets the id of an equal key or the default, as before.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the key times 2**64 / phi, top bits
_EMPTY = np.iinfo(np.int64).min


class KeyIndex:
    """A fixed set of int64 keys with their int64 ids (`get` = `dict.get` for a whole array)."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64)
        ids = np.asarray(ids, dtype=np.int64)
        if len(np.unique(keys)) != len(keys):
            raise ValueError("keys must be distinct")
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1) * 4))))  # at most a quarter full
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.full(1 << bits, _EMPTY, dtype=np.int64)
        self._ids = np.zeros(1 << bits, dtype=np.int64)
        self._empty = np.ones(1 << bits, dtype=bool)
        # insertion by rounds of linear probing: each round places the keys whose slot is free
        # and whose slot no earlier key of the same round claimed; a key placed in round r sits r
        # slots after its own, past occupied slots only, so `get` finds it within r + 1 probes
        pending = np.arange(len(keys))
        slot = self._slots(keys)
        self.probes = 0  # rounds taken = the most probes any stored key needs
        while len(pending):
            self.probes += 1
            s = slot[pending]
            first = np.zeros(len(s), dtype=bool)
            first[np.unique(s, return_index=True)[1]] = True
            put = self._empty[s] & first
            self._keys[s[put]] = keys[pending[put]]
            self._ids[s[put]] = ids[pending[put]]
            self._empty[s[put]] = False
            pending = pending[~put]
            slot[pending] = (slot[pending] + 1) & self._mask

    def __len__(self) -> int:
        return int((~self._empty).sum())

    def _slots(self, q: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((q.astype(np.uint64) * _GOLDEN) >> self._shift).astype(np.int64)

    def get(self, q: np.ndarray, default: int) -> np.ndarray:
        """The id of each query key, `default` where no key equals it."""
        q = np.asarray(q, dtype=np.int64)
        slot = self._slots(q)
        out = np.full(len(q), default, dtype=np.int64)
        pending = np.arange(len(q))
        for _ in range(self.probes):
            if not len(pending):
                break
            s = slot[pending]
            k = self._keys[s]
            qq = q[pending]
            hit = (k == qq) & ~self._empty[s]
            out[pending[hit]] = self._ids[s[hit]]
            more = ~hit & ~self._empty[s]  # another key's slot: probe the next (an empty one ends it)
            pending = pending[more]
            slot[pending] = (slot[pending] + 1) & self._mask
        return out
