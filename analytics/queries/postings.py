"""Term counts of an arbitrary large set of articles, summed in numpy instead of a DuckDB join.

A keyword query (`A OR B` over two frequent terms selects ~45 % of the articles) or the articles
holding a frequent term select an arbitrary subset no pre-aggregate covers; DuckDB then joins
millions of article x term rows to the subset and groups them by term (~300 ms at 100,000
articles). Here the same rows (`tma`, one per article and raw term) are held once per snapshot as
sparse article x term matrices; a subset becomes a 0/1 vector over articles and the sums are
two sparse matrix-vector products (~35 ms at 100,000 articles, whatever the subset's size). Results are exactly those of `sql._art_freq`: stopwords out, alias groups (one
canonical term with several raw forms) counted once per article from `mrows`.

Memory: ~8 bytes per row (scipy CSR: term id + a float32 one; the 9 % of rows counted more than
once again apart; ~130 MB at 100,000 articles). Above POSTINGS_MAX_ROWS rows the arrays
are not built and callers keep the SQL path (`available` is False).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

POSTINGS_MAX_ROWS = 40_000_000  # ~350 MB of arrays at most; beyond, the SQL path
_LOCK = threading.Lock()


@dataclass
class _Rows:
    aids: np.ndarray  # the distinct article ids holding terms, ascending (the matrices' rows)
    ones: object  # scipy CSR, article x raw term, 1 per (article, term) row: df = ones.T @ selection
    extra: object  # the same shape, count - 1 of the rows counted more than once (9 %): tf = df + extra.T @ s


@dataclass
class _Lex:
    key: str
    cid_of_tid: np.ndarray  # canonical id of a raw id (0: stopword or alias group: counted from mrows)
    m_aid: np.ndarray  # mrows: (article, alias group) rows, article order
    m_cid: np.ndarray
    m_count: np.ndarray
    n_cids: int
    cid_any: np.ndarray  # canonical id of a raw id, alias groups included (0: stopword)


def _rows(c) -> _Rows | None:
    if "rows" not in c._postings:
        with _LOCK:
            if "rows" not in c._postings:
                c._postings["rows"] = _load_rows(c)
    return c._postings["rows"]


def _load_rows(c) -> _Rows | None:
    import scipy.sparse as sp

    cur = c.con.cursor()
    try:
        n = cur.execute("SELECT count(*) FROM tma").fetchone()[0]
        if n > POSTINGS_MAX_ROWS:
            return None
        r = cur.execute("SELECT aid, tid, count FROM tma").fetchnumpy()
        n_tid = int(cur.execute("SELECT coalesce(max(tid), 0) + 1 FROM vocab").fetchone()[0])
    finally:
        cur.close()
    aid = np.asarray(r["aid"], dtype=np.int64)
    tid = np.asarray(r["tid"], dtype=np.int32)
    cnt = np.asarray(r["count"], dtype=np.int64)
    if len(aid) and np.any(aid[1:] < aid[:-1]):  # an incremental build appends new articles' rows at the end
        order = np.argsort(aid, kind="stable")
        aid, tid, cnt = aid[order], tid[order], cnt[order]
    starts = np.flatnonzero(np.r_[True, aid[1:] != aid[:-1]]) if len(aid) else np.zeros(0, dtype=np.int64)
    indptr = np.r_[starts, len(aid)].astype(np.int32 if len(aid) < 2**31 else np.int64)
    shape = (len(starts), n_tid)
    # float32 sums of ones are exact below 2**24 articles; the extras (few) in float64
    ones = sp.csr_matrix((np.ones(len(tid), dtype=np.float32), tid, indptr), shape=shape)
    more = cnt > 1
    row = np.repeat(np.arange(len(starts)), np.diff(indptr))[more]
    extra = sp.csr_matrix(((cnt[more] - 1).astype(np.float64), (row, tid[more])), shape=shape)
    return _Rows(aid[starts], ones, extra)


def _lex(c) -> _Lex:
    lx = c._postings.get("lex")
    if lx is not None and lx.key == c.lexicon_key:
        return lx
    cur = c.con.cursor()
    try:
        t = cur.execute("SELECT tid, cid, stop OR multi AS apart, stop FROM lexv").fetchnumpy()
        m = cur.execute("SELECT aid, cid, count FROM mrows ORDER BY aid").fetchnumpy()
        n_cids = int(cur.execute("SELECT coalesce(max(cid), 0) FROM cnames").fetchone()[0])
    finally:
        cur.close()
    tid = np.asarray(t["tid"], dtype=np.int64)
    cid_of = np.zeros(int(tid.max()) + 1 if len(tid) else 1, dtype=np.int32)
    cid_of[tid] = np.where(np.asarray(t["apart"], dtype=bool), 0, np.asarray(t["cid"], dtype=np.int32))
    cid_any = np.zeros(len(cid_of), dtype=np.int32)
    cid_any[tid] = np.where(np.asarray(t["stop"], dtype=bool), 0, np.asarray(t["cid"], dtype=np.int32))
    lx = _Lex(c.lexicon_key, cid_of, np.asarray(m["aid"], dtype=np.int64), np.asarray(m["cid"], dtype=np.int64),
              np.asarray(m["count"], dtype=np.int64), n_cids, cid_any)
    c._postings["lex"] = lx
    return lx


def available(c) -> bool:
    """Whether the arrays exist for this corpus (small enough, aggregates not switched off)."""
    return bool(c.use_aggregates) and _rows(c) is not None


def subset_aids(c, sql: str, params: list | None = None) -> np.ndarray:
    """The distinct aids a query returns (first column), ascending."""
    cur = c.con.cursor()
    try:
        col = next(iter(cur.execute(sql, params or []).fetchnumpy().values()))
    finally:
        cur.close()
    a = np.sort(np.asarray(col, dtype=np.int64))
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def held(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Mask over `ids`: which of them `sorted_ids` (ascending, distinct) holds."""
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=bool)
    j = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[j] == ids


def selection(sorted_ids: np.ndarray, ids: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """0/1 vector over `sorted_ids` (ascending, distinct): 1 where the id is one of `ids`
    (ascending, distinct), the right-hand side of a posting matrix product."""
    sel = np.zeros(len(sorted_ids), dtype=dtype)
    if len(ids) and len(sorted_ids):
        i = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        sel[i[sorted_ids[i] == ids]] = 1.0
    return sel


def subset_freq(c, aids: np.ndarray, tf: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cid, tf, df) of every canonical term (stopwords out) over the articles `aids` (ascending,
    distinct), the rows of `sql._art_freq` over that set; tf is None when not asked for."""
    p, lx = _rows(c), _lex(c)
    n_tid = min(len(lx.cid_of_tid), p.ones.shape[1])
    sel = selection(p.aids, aids)
    df_t = np.rint(p.ones.T @ sel).astype(np.int64)[:n_tid]
    tf_t = (df_t + np.rint(p.extra.T @ sel.astype(np.float64)).astype(np.int64)[:n_tid]) if tf else None
    keep = np.flatnonzero((df_t > 0) & (lx.cid_of_tid[:n_tid] > 0))
    cid = lx.cid_of_tid[keep].astype(np.int64)
    df = df_t[keep]
    tfv = tf_t[keep] if tf else None
    if len(lx.m_aid):  # alias groups: their per-article rows
        mm = held(aids, lx.m_aid)
        mc = lx.m_cid[mm]
        mdf = np.bincount(mc, minlength=lx.n_cids + 1)
        mk = np.flatnonzero(mdf)
        cid = np.concatenate([cid, mk.astype(np.int64)])
        df = np.concatenate([df, mdf[mk].astype(np.int64)])
        if tf:
            mtf = np.bincount(mc, weights=lx.m_count[mm], minlength=lx.n_cids + 1)
            tfv = np.concatenate([tfv, np.rint(mtf[mk]).astype(np.int64)])
    return cid, tfv, df


def top_rows(keys: list[np.ndarray], n: int) -> np.ndarray:
    """Indexes of the rows ranked in the first n by `keys` (each descending, the first most
    significant), every row tied with the n-th included (a later tie-break decides among them)."""
    m = len(keys[0])
    if m <= n:
        return np.arange(m)
    order = np.lexsort(tuple(-k for k in reversed(keys)))
    last = order[n - 1]
    cut = np.ones(m, dtype=bool)
    worse = np.zeros(m, dtype=bool)  # strictly after the n-th row in the ranking
    for k in keys:
        worse |= cut & (k < k[last])
        cut &= k == k[last]
    return np.flatnonzero(~worse)


def global_df(c) -> tuple[np.ndarray, np.ndarray]:
    """(cid, df) of the whole corpus (the lexicon's `gstat`), once per lexicon."""
    g = c._postings.get("gstat")
    if g is None or g[0] != c.lexicon_key:
        cur = c.con.cursor()
        try:
            r = cur.execute("SELECT cid, df FROM gstat").fetchnumpy()
        finally:
            cur.close()
        g = (c.lexicon_key, np.asarray(r["cid"], dtype=np.int64), np.asarray(r["df"], dtype=np.int64))
        c._postings["gstat"] = g
    return g[1], g[2]


def _kw(c):
    """(article ids, CSR article x raw term of 1 / rank): the YAKE lists as a matrix, once per snapshot."""
    import scipy.sparse as sp

    if "kw" not in c._postings:
        with _LOCK:
            if "kw" not in c._postings:
                cur = c.con.cursor()
                try:
                    r = cur.execute("SELECT aid, tid, rank FROM kw ORDER BY aid").fetchnumpy()
                    n_tid = int(cur.execute("SELECT coalesce(max(tid), 0) + 1 FROM vocab").fetchone()[0])
                finally:
                    cur.close()
                aid = np.asarray(r["aid"], dtype=np.int64)
                aids, row = np.unique(aid, return_inverse=True)
                m = sp.csr_matrix((1.0 / np.asarray(r["rank"], dtype=np.float64), (row, np.asarray(r["tid"], dtype=np.int64))),
                                  shape=(len(aids), n_tid))
                c._postings["kw"] = (aids, m)
    return c._postings["kw"]


def keyword_scores(c, aids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cid, score) of the YAKE reciprocal-rank sums over the articles `aids` (ascending,
    distinct), stopwords out: the rows of top_keywords' per-article `ys` over that set."""
    kaids, m = _kw(c)
    lx = _lex(c)
    sel = selection(kaids, aids, np.float64)
    n_tid = min(len(lx.cid_any), m.shape[1])
    s_t = (m.T @ sel)[:n_tid]
    keep = np.flatnonzero((s_t > 0) & (lx.cid_any[:n_tid] > 0))
    score = np.bincount(lx.cid_any[keep], weights=s_t[keep], minlength=lx.n_cids + 1)
    cid = np.flatnonzero(score > 0)
    return cid.astype(np.int64), score[cid]
