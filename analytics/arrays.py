"""Array helpers shared by the analysis and query layers."""

from __future__ import annotations

import numpy as np


def unique(a: np.ndarray) -> np.ndarray:
    """`np.unique(a)` for a 1-d numeric array, by sorting: numpy 2.3+ answers a plain `np.unique`
    through a hash table that is ~50x slower than a sort on large integer arrays (100,000 random
    int64: 111 ms against 2 ms; 1,000,000: 1.3 s against 27 ms)."""
    s = np.sort(np.asarray(a).ravel())
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s
