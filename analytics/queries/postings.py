"""Term counts of an arbitrary large set of articles, summed over disk-backed postings instead
of a DuckDB join.

A keyword query (`A OR B` over two frequent terms selects ~45 % of the articles) or the articles
holding a frequent term select an arbitrary subset no pre-aggregate covers; DuckDB then joins
millions of article x term rows to the subset and groups them by term (~300 ms at 100,000
articles, ~3 s at 1,000,000). Here the same rows (`tma`: one per article and raw term; `kw`: the
YAKE lists) are written once per snapshot next to its DuckDB file, one run per article (its term
ids ascending, stored as uint16 gaps: ~2 bytes per row), and memory-mapped: their pages are the
kernel's page cache, shared and evictable, not heap. A subset becomes a mask over articles; the
sums walk only the selected articles' runs (past half of them, the other articles', subtracted
from the stored totals: integer sums, exact), compiled with numba. Results are exactly those of
`sql._art_freq`: stopwords out, alias groups (one canonical term with several raw forms) counted
once per article from `mrows`; the YAKE sums add 1 / rank in article order, as the per-article SQL.
Three more count streams per segment (`TONE_STREAMS`: per article and raw term its sentences, its
negative and its positive ones) give the sentiment drivers of a keyword query (`tone_counts`)
without unnesting every sentence's terms (14.7 s -> ~0.15 s at 100,000 articles).

Files (`<snapshot>.duckdb.post/<segment>/`): a full build writes one segment (`write_full`); an
incremental build links the previous snapshot's segments and adds one of its new rows
(`write_delta`), so its cost follows the new rows, not the corpus. A snapshot file without
postings (built before they existed) gets them on first use (`ensure`).
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analytics.queries import texts

ESC = 65535  # a token of ESC adds 65535 to the running term id without emitting one
CHUNK_ARTICLES = 50_000  # articles read per DuckDB query while writing (bounds the writer's memory)
_LOCK = threading.Lock()
RELEASE_PAGES = True  # drop the mapped pages from the RSS after use (see `release`) ...
RELEASE_EVERY = 30.0  # ... at most once in this many seconds (a page's queries share the mapped pages)
DENSE_WALK = 16  # a walk over >= 1/16 of a stream's runs (selected or not) drops its pages as it goes ...
WALK_CHUNKS = 16  # ... in this many slices of runs (see `_sum_stream`)


# ---- writing (at build time) -------------------------------------------------------------------
def post_dir(db_path: Path | str) -> Path:
    """The postings folder of a query-table file."""
    return Path(str(db_path) + ".post")


def _encode(aid: np.ndarray, tid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by (aid, tid) -> (distinct aids, run pointers into the tokens, uint16 tokens,
    the token index of each row): a run holds its term ids as gaps from the previous one (the
    first from 0), a gap g as g // ESC tokens ESC then g % ESC."""
    if not len(aid):
        return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.uint16), np.zeros(0, np.int64)
    first = np.r_[True, aid[1:] != aid[:-1]]
    prev = np.r_[0, tid[:-1]].astype(np.int64)
    gap = tid.astype(np.int64) - np.where(first, 0, prev)
    width = gap // ESC + 1
    end = np.cumsum(width)
    tok = np.full(int(end[-1]), ESC, dtype=np.uint16)
    tok[end - 1] = (gap % ESC).astype(np.uint16)
    starts = np.flatnonzero(first)
    ptr = np.r_[end - width, end[-1]][np.r_[starts, len(aid)]].astype(np.int64)
    return aid[starts].astype(np.int64), ptr, tok, end - 1


class _Writer:
    """Arrays appended chunk by chunk to raw files of one segment folder, described in meta.json;
    pointer arrays are shifted by the length so far of the array they point into."""

    def __init__(self, folder: Path, dtypes: dict[str, str]):
        folder.mkdir(parents=True)
        self.folder = folder
        self.fh = {k: open(folder / f"{k}.bin", "wb") for k in dtypes}
        self.meta = {k: {"dtype": np.dtype(t).str, "n": 0} for k, t in dtypes.items()}

    def add(self, name: str, arr: np.ndarray) -> None:
        self.fh[name].write(np.ascontiguousarray(arr, dtype=self.meta[name]["dtype"]).tobytes())
        self.meta[name]["n"] += len(arr)

    def add_ptr(self, name: str, ptr: np.ndarray, into: str) -> None:
        if self.meta[name]["n"] == 0:
            self.add(name, np.zeros(1, np.int64))
        self.add(name, ptr[1:] + self.meta[into]["n"])

    def close(self, extra: dict, drop: tuple[str, ...] = ()) -> None:
        """Close the files and write meta.json; the arrays `drop` are left out (files removed)."""
        for fh in self.fh.values():
            fh.close()
        for k in drop:
            (self.folder / f"{k}.bin").unlink(missing_ok=True)
            del self.meta[k]
        (self.folder / "meta.json").write_text(json.dumps({"arrays": self.meta, **extra}))


_COUNT_DTYPES = {"aids": "i8", "ptr": "i8", "tok": "u2", "xptr": "i8", "xtok": "u2", "xcnt": "i4",
                 "tot_df": "i8", "tot_x": "i8"}
_DTYPES = {**_COUNT_DTYPES, "kaids": "i8", "kptr": "i8", "ktok": "u2", "krank": "u1"}
_OFFSETS = frozenset({"ptr", "xptr", "kptr"})  # run offsets into the token arrays (ascending)


TONE_STREAMS = ("all", "neg", "pos")  # per (article, term): its sentences, its negative ones, its positive ones
_LABEL = {"neg": "negative", "pos": "positive"}


def _add_counts(w: _Writer, p: str, aid: np.ndarray, tid: np.ndarray, cnt: np.ndarray,
                tot_df: np.ndarray, tot_x: np.ndarray) -> None:
    """Rows (aid, tid, count) sorted by (aid, tid) appended to the count stream of prefix `p`:
    one run of term ids per article, and the rows counted more than once (~9 % of the term rows)
    as count - 1 at the row's token, one run per article."""
    n_tid = len(tot_df)
    a, ptr, tok, _ = _encode(aid, tid)
    w.add(p + "aids", a)
    w.add_ptr(p + "ptr", ptr, p + "tok")
    w.add(p + "tok", tok)
    tot_df += np.bincount(tid, minlength=n_tid)[:n_tid]
    more = cnt > 1
    xa, xp, xt, xend = _encode(aid[more], tid[more])
    per = np.zeros(len(a), dtype=np.int64)
    per[np.searchsorted(a, xa)] = np.diff(xp)
    xc = np.zeros(len(xt), dtype=np.int32)
    xc[xend] = cnt[more] - 1
    w.add_ptr(p + "xptr", np.r_[0, np.cumsum(per)], p + "xtok")
    w.add(p + "xtok", xt)
    w.add(p + "xcnt", xc)
    tot_x += np.bincount(tid[more], weights=cnt[more] - 1, minlength=n_tid).astype(np.int64)[:n_tid]


def _tone_sql(name: str, st: str, sent: str, where: str) -> str:
    """(aid, tid, count) rows of a tone stream: a term's sentences in an article (all, or those of one label)."""
    if name == "all":
        return f"SELECT aid, tid, count(*) AS count FROM {st} WHERE {where} GROUP BY aid, tid ORDER BY aid, tid"
    return f"""SELECT x.aid, x.tid, count(*) AS count FROM {st} x JOIN {sent} s USING (aid, pos)
               WHERE {where.replace("aid", "x.aid")} AND s.label = '{_LABEL[name]}'
               GROUP BY x.aid, x.tid ORDER BY x.aid, x.tid"""


def _write_segment(con, folder: Path, aids: np.ndarray, tm: str, kw: str, chunked: bool,
                   st: str, sent: str, stext: str) -> None:
    """One segment: the rows of the term table `tm`, the YAKE table `kw`, the tone streams
    (sentence-term table `st` with the labels of `sent`) and the sentence texts (`stext`, see
    `texts`) of the articles `aids` (ascending), read CHUNK_ARTICLES articles at a time (by aid
    range when `chunked`)."""
    n_tid = int(con.execute("SELECT coalesce(max(tid), 0) + 1 FROM vocab").fetchone()[0])
    w = _Writer(folder, {**_DTYPES, **{f"{t}.{k}": v for t in TONE_STREAMS for k, v in _COUNT_DTYPES.items()},
                         **texts.DTYPES})
    with_text = True
    tot = {p: (np.zeros(n_tid, dtype=np.int64), np.zeros(n_tid, dtype=np.int64)) for p in ("", *TONE_STREAMS)}
    step = CHUNK_ARTICLES if chunked else max(1, len(aids))
    for i in range(0, len(aids), step):
        where = f"aid BETWEEN {int(aids[i])} AND {int(aids[min(i + step, len(aids)) - 1])}" if chunked else "TRUE"
        sources = [("", f"SELECT aid, tid, count FROM {tm} WHERE {where} ORDER BY aid, tid")]
        sources += [(f"{t}.", _tone_sql(t, st, sent, where)) for t in TONE_STREAMS]
        for p, sql in sources:
            r = con.execute(sql).fetchnumpy()
            aid, tid, cnt = (np.asarray(r[k], dtype=np.int64) for k in ("aid", "tid", "count"))
            _add_counts(w, p, aid, tid, cnt, *tot[p.rstrip(".")])
        k = con.execute(f"SELECT aid, tid, rank FROM {kw} WHERE {where} ORDER BY aid, tid").fetchnumpy()
        krank = np.asarray(k["rank"], dtype=np.int64)
        if len(krank) and (krank.min() < 1 or krank.max() > 255):
            raise ValueError("YAKE ranks must be 1-255 for the postings")
        ka, kp, kt, kend = _encode(np.asarray(k["aid"], dtype=np.int64), np.asarray(k["tid"], dtype=np.int64))
        kr = np.zeros(len(kt), dtype=np.uint8)
        kr[kend] = krank
        w.add("kaids", ka)
        w.add_ptr("kptr", kp, "ktok")
        w.add("ktok", kt)
        w.add("krank", kr)
        if with_text:
            x = con.execute(f"SELECT aid, pos, text FROM {stext} WHERE {where} ORDER BY aid, pos").fetchnumpy()
            with_text = texts.add(w, x["aid"], x["pos"], list(x["text"]))
    for name in ("ptr", "xptr", "kptr", *(f"{t}.{q}" for t in TONE_STREAMS for q in ("ptr", "xptr"))):
        if w.meta[name]["n"] == 0:
            w.add(name, np.zeros(1, np.int64))
    for p, (df, x) in tot.items():
        pre = f"{p}." if p else ""
        w.add(pre + "tot_df", df)
        w.add(pre + "tot_x", x)
    if with_text:
        texts.finish(w)
    w.close({"n_tid": n_tid}, drop=() if with_text else tuple(texts.DTYPES))


def _publish(tmp: Path, final: Path, manifest: dict) -> None:
    (tmp / "segments.json").write_text(json.dumps(manifest))
    try:
        os.replace(tmp, final)
    except OSError:  # another process wrote them first
        shutil.rmtree(tmp, ignore_errors=True)


def _fresh(final: Path) -> Path:
    tmp = Path(f"{final}.{os.getpid()}.{threading.get_ident()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def write_full(con, db_path: Path | str, epoch: str) -> None:
    """The postings of every article of the tables `con` reads (one segment)."""
    final = post_dir(db_path)
    tmp = _fresh(final)
    aids = np.asarray(con.execute("SELECT aid FROM art ORDER BY aid").fetchnumpy()["aid"], dtype=np.int64)
    _write_segment(con, tmp / "s0", aids, "tma", "kw", chunked=True, st="sta", sent="sent", stext="stext")
    _publish(tmp, final, {"epoch": epoch, "segments": ["s0"]})


def write_delta(con, prev_db: Path | str, db_path: Path | str, epoch: str) -> bool:
    """The previous snapshot's segments (hard links) plus one of the rows an incremental build
    appended (`n_tma`, `n_kw` of its articles `n_adone`, on `con`); False when the previous
    postings are missing or of another numbering (epoch)."""
    prev = post_dir(prev_db)
    try:
        seg = json.loads((prev / "segments.json").read_text())
    except (OSError, ValueError):
        return False
    if seg.get("epoch") != epoch:
        return False
    final = post_dir(db_path)
    tmp = _fresh(final)
    try:
        for s in seg["segments"]:
            (tmp / s).mkdir()
            for f in (prev / s).iterdir():
                os.link(f, tmp / s / f.name)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    name = f"s{len(seg['segments'])}"
    aids = np.asarray(con.execute("SELECT aid FROM n_adone ORDER BY aid").fetchnumpy()["aid"], dtype=np.int64)
    _write_segment(con, tmp / name, aids, "n_tma", "n_kw", chunked=False, st="n_st", sent="n_sent",
                   stext="n_stext")
    _publish(tmp, final, {"epoch": epoch, "segments": [*seg["segments"], name]})
    return True


def ensure(c) -> Path | None:
    """The postings folder of the corpus' query tables, written now if missing (a file built
    before they existed); None when the corpus has no file path (nothing to write next to)."""
    path = c._postings.get("path")
    if path is None:
        return None
    final = post_dir(path)
    if not (final / "segments.json").exists():
        cur = c.con.cursor()
        try:
            write_full(cur, path, c.tables_epoch)
        finally:
            cur.close()
    return final


# ---- reading ---------------------------------------------------------------------------------
@dataclass
class _Counts:
    """One count stream of a segment: per article a run of term ids, the counts above 1 apart."""
    aids: np.ndarray
    ptr: np.ndarray
    tok: np.ndarray  # memory-mapped
    xptr: np.ndarray
    xtok: np.ndarray
    xcnt: np.ndarray
    tot_df: np.ndarray
    tot_x: np.ndarray
    pos: np.ndarray  # index of each article row in the corpus' article list (`_Post.aids`)


@dataclass
class _Seg(_Counts):
    """A segment: its term stream (the _Counts fields), its YAKE stream, its tone streams."""
    kaids: np.ndarray
    kptr: np.ndarray
    ktok: np.ndarray
    krank: np.ndarray
    kpos: np.ndarray
    maps: list = field(default_factory=list)  # the mmap objects behind the memory-mapped arrays
    tones: dict | None = None  # TONE_STREAMS name -> _Counts (None: postings written before they existed)
    texts: texts.Texts | None = None  # the sentence texts (None: written before them, or a text missing)


@dataclass
class _Post:
    aids: np.ndarray  # every article id of the tables, ascending
    segs: list[_Seg]
    n_tid: int
    released: float = 0.0  # time.monotonic() of the last `release`


def _load_seg(folder: Path, all_aids: np.ndarray) -> _Seg:
    meta = json.loads((folder / "meta.json").read_text())["arrays"]

    maps = []

    def arr(name: str, mapped: bool) -> np.ndarray:
        m = meta[name]
        if m["n"] == 0:
            return np.zeros(0, dtype=m["dtype"])
        if mapped:
            mm = np.memmap(folder / f"{name}.bin", dtype=m["dtype"], mode="r", shape=(m["n"],))
            maps.append(mm._mmap)
            return mm.view(np.ndarray)
        return np.fromfile(folder / f"{name}.bin", dtype=m["dtype"])

    big = {"tok", "xtok", "xcnt", "ktok", "krank"}

    def held(name: str, mapped: bool) -> np.ndarray:
        x = arr(name, mapped)
        # run offsets are ascending: held as int32 when the last fits (the heap's offset arrays,
        # ~9 of 8 MB each at 1,000,000 articles, halved; the loops take either width)
        if name.rsplit(".", 1)[-1] in _OFFSETS and len(x) and x.dtype == np.int64 and int(x[-1]) < 2**31:
            return x.astype(np.int32)
        return x

    def positions(ids: np.ndarray) -> np.ndarray:  # each run's article index in `all_aids`
        p = np.searchsorted(all_aids, ids)
        return p.astype(np.int32) if len(all_aids) < 2**31 else p

    a = {k: held(k, k in big) for k in meta if "." not in k}
    tones = None
    if all(f"{t}.aids" in meta for t in TONE_STREAMS):
        tones = {}
        for t in TONE_STREAMS:
            x = {k: held(f"{t}.{k}", k in big) for k in _COUNT_DTYPES}
            tones[t] = _Counts(**x, pos=positions(x["aids"]))
    txt = None
    if "text.key" in meta:
        txt = texts.Texts(*(arr(k, True) for k in texts.DTYPES))
    return _Seg(**a, pos=positions(a["aids"]), kpos=positions(a["kaids"]), maps=maps, tones=tones, texts=txt)


def _releasing(fn):
    """`fn(c, ...)` that walks the mapped postings, then releases their pages (`release`; at most every
    RELEASE_EVERY seconds, so the queries of one page view reuse them)."""
    @functools.wraps(fn)
    def run(c, *args, **kw):
        try:
            return fn(c, *args, **kw)
        finally:
            p = c._postings.get("post")
            if p is not None and RELEASE_PAGES and time.monotonic() - p.released >= RELEASE_EVERY:
                p.released = time.monotonic()
                release(p)
    return run


def _drop_range(a: np.ndarray, lo: int, hi: int) -> None:
    """madvise DONTNEED on the whole pages of the file mapping behind the memory-mapped array `a`
    that hold its items lo..hi-1 (no-op for an array read into the heap)."""
    b = a
    while b is not None and not isinstance(b, mmap.mmap):
        b = getattr(b, "_mmap", None) or getattr(b, "base", None)
    if b is None or hi <= lo:
        return
    start = lo * a.itemsize // mmap.PAGESIZE * mmap.PAGESIZE
    stop = min(len(b), -(-hi * a.itemsize // mmap.PAGESIZE) * mmap.PAGESIZE)
    if stop > start:
        b.madvise(mmap.MADV_DONTNEED, start, stop - start)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's `malloc_trim`, or None (another C library)."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def trim_heap() -> None:
    """Hand the heap's free pages back to the system (glibc `malloc_trim(0)`; elsewhere nothing).
    The transient arrays of a build or a walk (a 1,000,000-article matrix's 5 million pairs)
    leave freed pages inside the heap that glibc keeps: at 1M, 114 MB of RSS after the
    warm-up's builds. A few ms; safe at any time."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def release(p: _Post) -> None:
    """Drop the mapped pages from this process' resident set (madvise DONTNEED): they stay in the
    kernel's page cache, so the next query maps them again with minor faults, but a long-running
    server no longer counts every posting page any query ever touched (462 MB at 1M articles)
    in its RSS. Safe while another thread reads them: a read-only file mapping is only re-faulted."""
    for s in p.segs:
        for mm in s.maps:
            if mm is not None:
                mm.madvise(mmap.MADV_DONTNEED)
    trim_heap()


def _post(c) -> _Post | None:
    if "post" not in c._postings:
        with _LOCK:
            if "post" not in c._postings:
                c._postings["post"] = _load(c)
    return c._postings["post"]


def _load(c) -> _Post | None:
    folder = ensure(c)
    if folder is None:
        return None
    manifest = json.loads((folder / "segments.json").read_text())
    cur = c.con.cursor()
    try:
        all_aids = np.asarray(cur.execute("SELECT aid FROM art ORDER BY aid").fetchnumpy()["aid"], dtype=np.int64)
        n_tid = int(cur.execute("SELECT coalesce(max(tid), 0) + 1 FROM vocab").fetchone()[0])
    finally:
        cur.close()
    return _Post(all_aids, [_load_seg(folder / s, all_aids) for s in manifest["segments"]], n_tid)


_kernels: dict = {}
_KERNELS_LOCK = threading.Lock()


def _kernel(name: str):
    """The numba-compiled loops (numba is imported only here, on first use; disk-cached). Under a
    lock: `warm_up`'s thread and a page's query may ask at once."""
    if "rows" not in _kernels:
        with _KERNELS_LOCK:
            if "rows" not in _kernels:
                from numba import njit

                opts = {"cache": True, "nogil": True}
                _kernels["count"] = njit(**opts)(_count_runs)
                _kernels["weigh"] = njit(**opts)(_weigh_runs)
                _kernels["pairs"] = njit(**opts)(_mask_pairs)
                _kernels["hits"] = njit(**opts)(_hit_runs)
                _kernels["rows"] = njit(**opts)(_decode_runs)
    return _kernels[name]


def mask_pair_counts(masks: np.ndarray, k: np.ndarray, n: int) -> np.ndarray:
    """n x n counts of node pairs (and each node on the diagonal) over bit masks (node i = bit i,
    n <= 63) weighted by k: `B.T @ diag(k) @ B` of the masks' 0/1 matrix B, as float64 sums of
    the integer weights (exact), without expanding B (a 10^6 x 40 matrix at 1,000,000 articles)."""
    co = np.zeros((n, n), dtype=np.float64)
    if len(masks):
        _kernel("pairs")(np.ascontiguousarray(masks, dtype=np.int64), np.ascontiguousarray(k, dtype=np.float64), n, co)
    return co + np.triu(co, 1).T


def warm_up(c) -> None:
    """Map the postings (building them for a snapshot written before they existed) and load the
    compiled loops for the dtypes the queries use (numba's import and its disk cache: ~0.5 s at
    100,000 articles), so the first keyword query of a page does not pay them: the dashboard
    calls this in a background thread when it opens a corpus. Results are discarded."""
    p = _post(c)
    if p is None or not len(p.aids):
        return
    one = p.aids[:1]
    subset_freq(c, one)
    keyword_scores(c, one)
    article_terms(c, one)
    term_hits(c, one, [[0]])
    if has_tones(c):
        tone_counts(c, one)
    mask_pair_counts(np.array([3], dtype=np.int64), np.array([1.0]), 2)


def _count_runs(sel, want, ptr, tok, out):  # pragma: no cover - compiled by numba
    """out[term] += 1 for every term of the runs r with sel[r] == want."""
    for r in range(len(sel)):
        if sel[r] == want:
            t = 0
            for k in range(ptr[r], ptr[r + 1]):
                v = tok[k]
                t += v
                if v != 65535:
                    out[t] += 1


def _weigh_runs(sel, want, ptr, tok, val, recip, out):  # pragma: no cover - compiled by numba
    """out[term] += val (or 1 / val when `recip`) of every term of the runs r with sel[r] == want."""
    for r in range(len(sel)):
        if sel[r] == want:
            t = 0
            for k in range(ptr[r], ptr[r + 1]):
                v = tok[k]
                t += v
                if v != 65535:
                    out[t] += (1.0 / val[k]) if recip else val[k]


def _hit_runs(runs, rows, ptr, tok, val, weighted, qbits, nq, out):  # pragma: no cover - compiled by numba
    """out[rows[i], q] += 1 (or val[k] when `weighted`) for every term t of run runs[i] whose
    bit q is set in qbits[t]."""
    for i in range(len(runs)):
        r = runs[i]
        o = rows[i]
        t = 0
        for k in range(ptr[r], ptr[r + 1]):
            v = tok[k]
            t += v
            if v != 65535:
                m = qbits[t]
                if m != 0:
                    w = val[k] if weighted else 1
                    for q in range(nq):
                        if (m >> q) & 1:
                            out[o, q] += w


def _mask_pairs(masks, k, n, co):  # pragma: no cover - compiled by numba
    """co[i, j] += k[r] (i <= j) for every pair of bits i, j set in masks[r]."""
    bits = np.empty(64, np.int64)
    for r in range(len(masks)):
        m = masks[r]
        nb = 0
        i = 0
        while i < n and (m >> i) != 0:
            if (m >> i) & 1:
                bits[nb] = i
                nb += 1
            i += 1
        w = k[r]
        for a in range(nb):
            x = bits[a]
            for b in range(a, nb):
                co[x, bits[b]] += w


def _decode_runs(runs, ptr, tok, xptr, xtok, xcnt, out_run, out_tid, out_cnt):  # pragma: no cover - numba
    """The (run, term, count) rows of the runs `runs`: each run's term ids, with the counts of its
    rows counted more than once (the run's `x` tokens, same term order) merged in; returns the
    number of rows written."""
    n = 0
    for r in runs:
        t = 0
        xt = 0
        q = xptr[r]
        while q < xptr[r + 1] and xtok[q] == 65535:
            xt += 65535
            q += 1
        if q < xptr[r + 1]:
            xt += xtok[q]
        for k in range(ptr[r], ptr[r + 1]):
            v = tok[k]
            t += v
            if v == 65535:
                continue
            c = 1
            if q < xptr[r + 1] and xt == t:
                c += xcnt[q]
                q += 1
                while q < xptr[r + 1] and xtok[q] == 65535:
                    xt += 65535
                    q += 1
                if q < xptr[r + 1]:
                    xt += xtok[q]
            out_run[n] = r
            out_tid[n] = t
            out_cnt[n] = c
            n += 1
    return n


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions in `sorted_ids` (ascending, distinct) of those of `ids` (ascending) it holds."""
    if not len(sorted_ids) or not len(ids):
        return np.zeros(0, np.int64)
    i = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return i[sorted_ids[i] == ids].astype(np.int64)


@_releasing
def article_terms(c, aids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(aid, cid, count) of the articles `aids` (distinct), one row per article and canonical
    term, in no particular order: the rows the `tc`/`tcx` views give for them (stopwords out,
    alias groups summed from `mrows`), decoded from the postings instead of a join of the term
    table (a period's few thousand articles: one run each)."""
    p, lx = _post(c), _lex(c)
    aids = np.sort(np.asarray(aids, dtype=np.int64))
    decode = _kernel("rows")
    parts = []
    for s in p.segs:
        runs = _positions(s.aids, aids)
        if not len(runs):
            continue
        size = int((s.ptr[runs + 1] - s.ptr[runs]).sum())
        run, tid, cnt = np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.int64)
        m = decode(runs, s.ptr, s.tok, s.xptr, s.xtok, s.xcnt, run, tid, cnt)
        cid = lx.cid_of_tid[tid[:m]]
        keep = cid > 0
        parts.append((s.aids[run[:m][keep]], cid[keep].astype(np.int64), cnt[:m][keep]))
    if len(lx.m_pos):  # alias groups: their per-article rows (m_pos ascending)
        pos = _positions(p.aids, aids)
        lo, hi = np.searchsorted(lx.m_pos, pos, "left"), np.searchsorted(lx.m_pos, pos, "right")
        n = hi - lo
        mi = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))  # lo[a] .. hi[a] - 1 of each article
        parts.append((p.aids[lx.m_pos[mi]], lx.m_cid[mi], lx.m_count[mi]))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    aid, cid, cnt = (np.concatenate([pt[i] for pt in parts]) for i in range(3))
    return aid, cid, cnt


@dataclass
class _Lex:
    key: str
    cid_of_tid: np.ndarray  # canonical id of a raw id (0: stopword or alias group: counted from mrows)
    m_pos: np.ndarray  # mrows: (article, alias group) rows, article order; the article's index in _Post.aids
    m_cid: np.ndarray
    m_count: np.ndarray
    n_cids: int
    cid_any: np.ndarray  # canonical id of a raw id, alias groups included (0: stopword)


def _lex(c) -> _Lex:
    lx = c._postings.get("lex")
    if lx is not None and lx.key == c.lexicon_key:
        return lx
    p = _post(c)
    cur = c.con.cursor()
    try:
        t = cur.execute("SELECT tid, cid, stop OR multi AS apart, stop FROM lexv").fetchnumpy()
        m = cur.execute("SELECT aid, cid, count FROM mrows ORDER BY aid").fetchnumpy()
        n_cids = int(cur.execute("SELECT coalesce(max(cid), 0) FROM cnames").fetchone()[0])
    finally:
        cur.close()
    tid = np.asarray(t["tid"], dtype=np.int64)
    size = max(int(tid.max()) + 1 if len(tid) else 1, p.n_tid)
    cid_of = np.zeros(size, dtype=np.int32)
    cid_of[tid] = np.where(np.asarray(t["apart"], dtype=bool), 0, np.asarray(t["cid"], dtype=np.int32))
    cid_any = np.zeros(size, dtype=np.int32)
    cid_any[tid] = np.where(np.asarray(t["stop"], dtype=bool), 0, np.asarray(t["cid"], dtype=np.int32))
    # int32: at 1M articles mrows holds ~4.6 million rows (110 MB of heap as int64)
    lx = _Lex(c.lexicon_key, cid_of, np.searchsorted(p.aids, np.asarray(m["aid"], dtype=np.int64)).astype(np.int32),
              np.asarray(m["cid"], dtype=np.int32), np.asarray(m["count"], dtype=np.int32), n_cids, cid_any)
    c._postings["lex"] = lx
    return lx


def available(c) -> bool:
    """Whether the postings exist for this corpus (a query-table file, aggregates not switched off)."""
    return bool(c.use_aggregates) and _post(c) is not None


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


def _sum_stream(st, mask: np.ndarray, n_tid: int, tf: bool, df_t: np.ndarray, x_t: np.ndarray | None) -> None:
    """Add to df_t (rows per term) and x_t (their counts above 1) the rows of the stream `st`
    (a _Seg or _Counts) of the articles `mask` selects: the selected runs, or past half of
    them the others', subtracted from the stream's totals (integer sums, exact).

    A dense walk (>= 1/DENSE_WALK of the runs) goes WALK_CHUNKS slices of runs at a time and
    drops each slice's mapped pages after it, so the RSS holds one slice of the stream at a time
    instead of all of it (at 1M articles a keyword query walked the term stream's ~380 MB and the
    three tone streams' ~570 MB; their pages then stayed resident until `release`)."""
    count = _kernel("count")
    weigh = _kernel("weigh")
    sel = mask[st.pos]
    n_sel = int(sel.sum())
    if not n_sel:
        return
    want = 2 * n_sel <= len(sel)  # True: the selected runs; False: the others', subtracted from the totals
    dense = RELEASE_PAGES and DENSE_WALK * min(n_sel, len(sel) - n_sel) >= len(sel)
    cuts = np.linspace(0, len(sel), WALK_CHUNKS + 1).astype(np.int64) if dense else np.array([0, len(sel)])
    d_out = df_t if want else np.zeros(n_tid, dtype=np.int64)
    x_out = (x_t if want else np.zeros(n_tid, dtype=np.float64)) if tf else None
    for r0, r1 in zip(cuts[:-1], cuts[1:], strict=True):
        if r1 <= r0:
            continue
        count(sel[r0:r1], want, st.ptr[r0:r1 + 1], st.tok, d_out)
        if tf:
            weigh(sel[r0:r1], want, st.xptr[r0:r1 + 1], st.xtok, st.xcnt, False, x_out)
        if dense:
            _drop_range(st.tok, int(st.ptr[r0]), int(st.ptr[r1]))
            if tf:
                for a in (st.xtok, st.xcnt):
                    _drop_range(a, int(st.xptr[r0]), int(st.xptr[r1]))
    if not want:
        df_t[:len(st.tot_df)] += st.tot_df
        df_t -= d_out
        if tf:
            x_t[:len(st.tot_x)] += st.tot_x
            x_t -= x_out


@_releasing
def subset_freq(c, aids: np.ndarray, tf: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cid, tf, df) of every canonical term (stopwords out) over the articles `aids` (ascending,
    distinct), the rows of `sql._art_freq` over that set; tf is None when not asked for."""
    p, lx = _post(c), _lex(c)
    n_tid = len(lx.cid_of_tid)
    mask = selection(p.aids, aids, np.bool_)
    df_t = np.zeros(n_tid, dtype=np.int64)
    x_t = np.zeros(n_tid, dtype=np.float64) if tf else None
    for s in p.segs:
        _sum_stream(s, mask, n_tid, tf, df_t, x_t)
    keep = np.flatnonzero((df_t > 0) & (lx.cid_of_tid > 0))
    cid = lx.cid_of_tid[keep].astype(np.int64)
    df = df_t[keep]
    tfv = (df + np.rint(x_t[keep]).astype(np.int64)) if tf else None
    if len(lx.m_pos):  # alias groups: their per-article rows
        mm = mask[lx.m_pos]
        mc = lx.m_cid[mm]
        mdf = np.bincount(mc, minlength=lx.n_cids + 1)
        mk = np.flatnonzero(mdf)
        cid = np.concatenate([cid, mk.astype(np.int64)])
        df = np.concatenate([df, mdf[mk].astype(np.int64)])
        if tf:
            mtf = np.bincount(mc, weights=lx.m_count[mm], minlength=lx.n_cids + 1)
            tfv = np.concatenate([tfv, np.rint(mtf[mk]).astype(np.int64)])
    return cid, tfv, df


HITS_MAX = 63  # term groups `term_hits` counts in one pass (bits of an int64)


@_releasing
def term_hits(c, aids: np.ndarray, groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, counts), each len(aids) x len(groups): per article of `aids` (ascending, distinct)
    and group of raw term ids, the article's term rows of the group's ids (stopwords out) and the
    sum of their counts: `tm`'s rows of the ids joined to the articles, grouped by article and
    group (an id in several groups counts in each), in one walk over the articles' runs."""
    p, lx = _post(c), _lex(c)
    nq = len(groups)
    if nq > HITS_MAX:
        raise ValueError(f"at most {HITS_MAX} term groups")
    # the narrowest bit width: the walk looks up every term of every article (a 138 KB table of
    # 100,000 articles' vocabulary stays in cache, a 1.1 MB one does not)
    width = next(d for d in (np.uint8, np.uint16, np.uint32, np.int64) if nq <= 8 * np.dtype(d).itemsize - (d is np.int64))
    qbits = np.zeros(len(lx.cid_any), dtype=width)
    for q, tids in enumerate(groups):
        t = np.asarray([x for x in tids if 0 <= x < len(qbits)], dtype=np.int64)
        t = t[lx.cid_any[t] > 0]
        qbits[t] |= width(1) << width(q)
    aids = np.asarray(aids, dtype=np.int64)
    rows = np.zeros((len(aids), nq), dtype=np.int64)
    extra = np.zeros((len(aids), nq), dtype=np.int64)
    hits = _kernel("hits")
    for s in p.segs:
        runs = _positions(s.aids, aids)
        if not len(runs):
            continue
        at = np.searchsorted(aids, s.aids[runs])
        hits(runs, at, s.ptr, s.tok, s.xcnt, False, qbits, nq, rows)
        hits(runs, at, s.xptr, s.xtok, s.xcnt, True, qbits, nq, extra)
    return rows, rows + extra


def names_of(c, cids: np.ndarray) -> np.ndarray:
    """The canonical names of `cids` (cid i is `c._postings["names"][i - 1]`) as an object array,
    by one take from the names held as an array once per lexicon (a list comprehension over
    tens of thousands of ids costs ~20 ms)."""
    names = c._postings["names"]
    got = c._postings.get("names_array")
    if got is None or got[0] is not names:
        got = c._postings["names_array"] = (names, np.asarray(names, dtype=object))
    return got[1][np.asarray(cids, dtype=np.int64) - 1]


def article_term_totals(c) -> np.ndarray:
    """Per article of the postings' list its term total (`atot.n_terms`: occurrences of non-stopword
    terms; 0 for an article without one), once per corpus and lexicon."""
    key = ("n_terms", c.lexicon_key)
    got = c._postings.get(key)
    if got is None:
        aids = _post(c).aids
        cur = c.con.cursor()
        try:
            r = cur.execute("SELECT aid, n_terms FROM atot").fetchnumpy()
        finally:
            cur.close()
        got = np.zeros(len(aids), dtype=np.int64)
        got[np.searchsorted(aids, np.asarray(r["aid"], dtype=np.int64))] = np.asarray(r["n_terms"], dtype=np.int64)
        for k in [k for k in c._postings if isinstance(k, tuple) and k[0] == "n_terms"]:
            del c._postings[k]  # an older lexicon's (its stopwords)
        c._postings[key] = got
    return got


def has_tones(c) -> bool:
    """Whether every segment of the corpus' postings holds the tone streams (postings written
    before they existed do not: the drivers then take the SQL path)."""
    p = _post(c) if available(c) else None
    return p is not None and all(s.tones is not None for s in p.segs)


@_releasing
def tone_counts(c, aids: np.ndarray) -> tuple[np.ndarray, ...]:
    """(cid, sentences, negative, positive, articles) of every canonical term with one raw form
    (stopwords and alias groups out: a sentence may hold two forms of a group, see
    `sql._multi_sentences`) over the sentences of the articles `aids` (ascending, distinct): the
    per-term counts `tone.sentiment_drivers` groups from the sentence-term rows, summed from the
    tone streams (`has_tones` must hold)."""
    p, lx = _post(c), _lex(c)
    n_tid = len(lx.cid_of_tid)
    mask = selection(p.aids, aids, np.bool_)
    got = {}
    for t in TONE_STREAMS:
        df_t = np.zeros(n_tid, dtype=np.int64)
        x_t = np.zeros(n_tid, dtype=np.float64)
        for s in p.segs:
            _sum_stream(s.tones[t], mask, n_tid, True, df_t, x_t)
        got[t] = (df_t, df_t + np.rint(x_t).astype(np.int64))
    articles, sentences = got["all"]
    keep = np.flatnonzero((sentences > 0) & (lx.cid_of_tid > 0))
    return (lx.cid_of_tid[keep].astype(np.int64), sentences[keep], got["neg"][1][keep], got["pos"][1][keep],
            articles[keep])


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


@_releasing
def keyword_scores(c, aids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cid, score) of the YAKE reciprocal-rank sums over the articles `aids` (ascending,
    distinct), stopwords out: the rows of top_keywords' per-article `ys` over that set."""
    p, lx = _post(c), _lex(c)
    mask = selection(p.aids, aids, np.bool_)
    weigh = _kernel("weigh")
    s_t = np.zeros(len(lx.cid_any), dtype=np.float64)
    for s in p.segs:
        sel = mask[s.kpos]
        if sel.any():
            weigh(sel, True, s.kptr, s.ktok, s.krank, True, s_t)
    keep = np.flatnonzero((s_t > 0) & (lx.cid_any > 0))
    score = np.bincount(lx.cid_any[keep], weights=s_t[keep], minlength=lx.n_cids + 1)
    cid = np.flatnonzero(score > 0)
    return cid.astype(np.int64), score[cid]
