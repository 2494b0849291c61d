"""crfsuite's Viterbi (`crf1dc_viterbi`) over many sentences' state scores at once, compiled.

The loop is crfsuite's, operation for operation, so the labels are the same doubles' argmax:
`score[t][j] = max_i(score[t-1][i] + trans[i][j]) + state[t][j]` with the first maximum winning
(strict `<`, from -DBL_MAX), the last label the first maximum of the last row, then the back
links. Compiled with numba (IEEE arithmetic: no fast-math, no reordering), cached on disk next to
this file; numpy's per-position steps (`viterbi_numpy`, the fallback when numba is missing) cost
~4x more here: each step touches every (i, j) cell several times over a length-13 axis, but
need no start-up (see `NUMBA_START_COST`).
"""

from __future__ import annotations

import time

import numpy as np

_DBL_MAX = float(np.finfo(np.float64).max)


def _viterbi_loop(emission: np.ndarray, starts: np.ndarray, lens: np.ndarray, trans: np.ndarray,
                  out: np.ndarray) -> None:  # pragma: no cover - compiled below; tested through `viterbi`
    n_lab = trans.shape[0]
    longest = 0
    for s in range(len(lens)):
        if lens[s] > longest:
            longest = lens[s]
    score = np.empty((longest, n_lab))
    back = np.zeros((longest, n_lab), dtype=np.int64)
    for s in range(len(lens)):
        o = starts[s]
        n = lens[s]
        if n == 0:
            continue
        for j in range(n_lab):
            score[0, j] = emission[o, j]
        for t in range(1, n):
            for j in range(n_lab):
                best = -_DBL_MAX
                arg = -1
                for i in range(n_lab):
                    v = score[t - 1, i] + trans[i, j]
                    if best < v:
                        best = v
                        arg = i
                if arg >= 0:
                    back[t, j] = arg
                score[t, j] = best + emission[o + t, j]
        best = -_DBL_MAX
        y = 0
        for i in range(n_lab):
            if best < score[n - 1, i]:
                best = score[n - 1, i]
                y = i
        out[o + n - 1] = y
        for t in range(n - 1, 0, -1):
            y = back[t, y]
            out[o + t - 1] = y


_compiled: list = []  # the numba kernel, compiled (or loaded from its disk cache) on first use


def _kernel() -> object | None:
    """numba is imported only here: importing it costs ~0.5 s, which only taggers should pay."""
    if not _compiled:
        try:
            from numba import njit

            _compiled.append(njit(cache=True, nogil=True)(_viterbi_loop))
        except ImportError:  # pragma: no cover - numba is in requirements.txt
            _compiled.append(None)
    return _compiled[0]


# numba costs ~0.5 s of CPU (0.7-0.9 s wall) once per process (its import, then the kernel from the
# disk cache) and then decodes 4-20x faster (more for small calls: numpy pays per position). Ski
# rental: a process decodes with numpy until numpy has cost it as much as numba's start-up, then
# switches, so a small ingest never pays the start-up and a large one at most twice the best it could.
NUMBA_START_COST = 0.5  # seconds of CPU
_numpy_spent = [0.0]


def viterbi(emission: np.ndarray, lens: np.ndarray, trans: np.ndarray, compiled: bool | None = None) -> np.ndarray:
    """Best label id of every character; `emission` (characters, labels) holds the sentences one
    after the other, `lens` their lengths (all > 0). `compiled`: force numba (True) or numpy
    (False); by default numpy until it has cost `NUMBA_START_COST`, numba after."""
    if compiled is None:
        compiled = _numpy_spent[0] >= NUMBA_START_COST
        if not compiled:
            t0 = time.process_time()
            out = viterbi_numpy(emission, lens, trans)
            _numpy_spent[0] += time.process_time() - t0
            return out
    kernel = _kernel() if compiled else None
    if kernel is None:
        return viterbi_numpy(emission, lens, trans)
    lens = np.ascontiguousarray(lens, dtype=np.int64)
    starts = np.cumsum(lens) - lens
    out = np.zeros(len(emission), dtype=np.int64)
    kernel(np.ascontiguousarray(emission, dtype=np.float64), starts, lens,  # type: ignore[operator]
           np.ascontiguousarray(trans, dtype=np.float64), out)
    return out


def viterbi_numpy(emission: np.ndarray, lens: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """The same in numpy: all sentences advanced together one position at a time (sorted longest
    first, so those still running at position t are a prefix, their rows packed from `off[t]`)."""
    n_s = len(lens)
    n_lab = emission.shape[1]
    order = np.argsort(-lens, kind="stable")
    rank = np.empty(n_s, dtype=np.int64)
    rank[order] = np.arange(n_s, dtype=np.int64)
    slen = lens[order]
    t_max = int(slen[0])
    active_a = np.searchsorted(-slen, -np.arange(t_max + 1), side="left")  # sentences longer than t
    off_a = np.zeros(t_max + 1, dtype=np.int64)
    np.cumsum(active_a[:-1], out=off_a[1:])
    total = len(emission)
    sid = np.repeat(np.arange(n_s, dtype=np.int64), lens)
    t_of = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    packed = off_a[t_of] + rank[sid]  # char -> its row in the packed (position-major) layout
    em = np.empty_like(emission)
    em[packed] = emission
    back = np.empty((total, n_lab), dtype=np.int64)
    trans_t = np.ascontiguousarray(trans.T)
    score = em[:n_s].copy()  # position 0 of every sentence (rank order)
    final = np.empty(n_s, dtype=np.int64)
    # the per-position steps cost numpy calls, not arithmetic, on small batches (one article: ~1 ms):
    # positions as Python ints, results written into preallocated buffers, the winners gathered by
    # one flat index (row r of `cand`, flat, starts at r * n_lab)
    active, off = active_a.tolist(), off_a.tolist()
    rows = np.arange(n_s * n_lab, dtype=np.int64) * n_lab
    buf = np.empty((n_s, n_lab, n_lab))
    for t in range(1, t_max):
        k, kp, o = active[t], active[t - 1], off[t]
        if k < kp:  # sentences of length t end at t - 1
            final[k:kp] = score[k:kp].argmax(axis=1)
        cand = buf[:k]
        np.add(score[:k, None, :], trans_t, out=cand)  # [b, j, i] = score[b, i] + trans[i, j]
        bp = back[o:o + k]
        np.argmax(cand, axis=2, out=bp)  # the first maximum, as crfsuite's strict `<`
        score = cand.reshape(-1)[rows[:k * n_lab] + bp.reshape(-1)].reshape(k, n_lab)
        score += em[o:o + k]
    k = active[t_max - 1]
    final[:k] = score[:k].argmax(axis=1)
    path = np.empty(total, dtype=np.int64)
    flat_back = back.ravel()
    y = np.zeros(n_s, dtype=np.int64)
    row_of = np.arange(n_s, dtype=np.int64) * n_lab  # sentence rank i's row within a position's block
    for t in range(t_max - 1, -1, -1):
        k, k_next, o = active[t], active[t + 1], off[t]
        if k_next < k:
            y[k_next:k] = final[k_next:k]  # sentences whose last position is t
        path[o:o + k] = y[:k]
        if t:
            y[:k] = flat_back[o * n_lab:][row_of[:k] + y[:k]]
    return path[packed]


def marginals(emission: np.ndarray, lens: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """P(label | sentence) of every character (forward-backward of the same CRF: state scores
    `emission`, transitions `trans[i, j]` from label i to j), the sentences packed as in `viterbi`.
    Scaled in probability space (each position's forward and backward vectors renormalised), all
    sentences advanced together one position at a time, as `viterbi_numpy` does; used by the span
    re-typer (`entities.spantype`), which reads the CRF's own belief in each span's type."""
    n_s = len(lens)
    n_lab = emission.shape[1]
    total = len(emission)
    if not total:
        return np.zeros((0, n_lab))
    order = np.argsort(-lens, kind="stable")
    rank = np.empty(n_s, dtype=np.int64)
    rank[order] = np.arange(n_s, dtype=np.int64)
    slen = lens[order]
    t_max = int(slen[0])
    active = np.searchsorted(-slen, -np.arange(t_max + 1), side="left").tolist()  # sentences longer than t
    off = [0] * (t_max + 1)
    for t in range(1, t_max + 1):
        off[t] = off[t - 1] + active[t - 1]
    sid = np.repeat(np.arange(n_s, dtype=np.int64), lens)
    t_of = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    packed = np.asarray(off, dtype=np.int64)[t_of] + rank[sid]
    em = np.empty_like(emission)
    em[packed] = emission
    em -= em.max(axis=1, keepdims=True)
    np.exp(em, out=em)  # per-position scale factors cancel in the normalised marginals
    tmax = trans.max()
    ex = np.exp(trans - tmax)
    alpha = np.empty_like(em)
    a = em[:active[0]]
    alpha[:active[0]] = a / a.sum(axis=1, keepdims=True)
    for t in range(1, t_max):
        k, o, po = active[t], off[t], off[t - 1]
        a = (alpha[po:po + k] @ ex) * em[o:o + k]
        alpha[o:o + k] = a / a.sum(axis=1, keepdims=True)
    beta = np.empty_like(em)
    for t in range(t_max - 1, -1, -1):
        k, o = active[t], off[t]
        k_next = active[t + 1] if t + 1 <= t_max else 0
        if k_next < k:
            beta[o + k_next:o + k] = 1.0  # sentences whose last position is t
        if k_next:
            no = off[t + 1]
            b = (em[no:no + k_next] * beta[no:no + k_next]) @ ex.T
            beta[o:o + k_next] = b / b.sum(axis=1, keepdims=True)
    p = alpha * beta
    p /= p.sum(axis=1, keepdims=True)
    return p[packed]
