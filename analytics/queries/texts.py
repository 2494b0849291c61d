"""Sentence texts by (article, position), read from a compressed file beside the postings.

The evidence lists (`kwic`, `target_sentiment`, `sentiment_driver_evidence`) show ~200 of the
newest matching sentences, spread over hundreds of articles and most of the text table's row
groups: DuckDB then decompresses every text vector those articles touch (100-180 ms at 100,000
articles, 400 ms for 200 sentences spread over the corpus), for a few kilobytes of text. Here
each postings segment also holds its sentences' texts (`stext`, in (aid, pos) order), zlib-
compressed in blocks of BLOCK sentences, with a sorted key per sentence: a look-up is a binary
search and one small block decompressed per hit (~1 ms for 200). The texts are the table's own
values, byte for byte; a segment written before this (no `text.*` arrays) leaves the readers on
the SQL path. Files, like the rest of a segment, are memory-mapped (page cache, not heap).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

BLOCK = 32  # sentences per compressed block (~5 KB of text: one small decompression per hit)
POS_BITS = 20  # key = aid << POS_BITS | pos (a sentence position < 2**20)
DTYPES = {"text.key": "i8", "text.len": "i4", "text.bstart": "i8", "text.boff": "i8", "text.blob": "u1"}


def keys(aid: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return (np.asarray(aid, dtype=np.int64) << POS_BITS) | np.asarray(pos, dtype=np.int64)


def add(w, aid: np.ndarray, pos: np.ndarray, text: list[str]) -> bool:
    """Append sentences (sorted by (aid, pos)) to the text arrays of the segment writer `w`
    (a `postings._Writer` made with DTYPES among its arrays); False (nothing written) when a
    text is missing or a position too large, so the caller leaves the segment without texts."""
    pos = np.asarray(pos, dtype=np.int64)
    if any(t is None for t in text) or (len(pos) and (pos.min() < 0 or pos.max() >= 1 << POS_BITS)):
        return False
    raw = [t.encode("utf-8") for t in text]
    n0 = w.meta["text.key"]["n"]
    finish(w)
    starts, offs, at = [], [], w.meta["text.blob"]["n"]
    for i in range(0, len(raw), BLOCK):
        blob = zlib.compress(b"".join(raw[i:i + BLOCK]), 1)
        w.add("text.blob", np.frombuffer(blob, dtype=np.uint8))
        at += len(blob)
        starts.append(n0 + min(i + BLOCK, len(raw)))
        offs.append(at)
    w.add("text.key", keys(aid, pos))
    w.add("text.len", np.fromiter(map(len, raw), dtype=np.int32, count=len(raw)))
    w.add("text.bstart", np.asarray(starts, dtype=np.int64))
    w.add("text.boff", np.asarray(offs, dtype=np.int64))
    return True


def finish(w) -> None:
    """Give the block arrays their leading 0 (first sentence, first byte) if nothing wrote it yet:
    every segment, one without sentences too, has one more block start than blocks."""
    if w.meta["text.bstart"]["n"] == 0:
        w.add("text.bstart", np.zeros(1, np.int64))
        w.add("text.boff", np.zeros(1, np.int64))


@dataclass
class Texts:
    """One segment's sentence texts: sorted keys, byte lengths, blocks (first sentence of each
    block and one past the last; byte offsets into the compressed blob)."""
    key: np.ndarray
    length: np.ndarray
    bstart: np.ndarray
    boff: np.ndarray
    blob: np.ndarray

    def find(self, k: np.ndarray) -> np.ndarray:
        """Each key's sentence index in this segment, -1 where it has none."""
        if not len(self.key):
            return np.full(len(k), -1, dtype=np.int64)
        i = np.minimum(np.searchsorted(self.key, k), len(self.key) - 1)
        return np.where(self.key[i] == k, i, -1)

    def get(self, idx: np.ndarray) -> list[str]:
        """The texts of sentence indexes `idx` (all found), decompressing each block once."""
        out: list[str] = [""] * len(idx)
        blocks = np.searchsorted(self.bstart, idx, side="right") - 1
        for b in np.unique(blocks):
            lo, hi = int(self.bstart[b]), int(self.bstart[b + 1])
            data = zlib.decompress(self.blob[int(self.boff[b]):int(self.boff[b + 1])].tobytes())
            ends = np.cumsum(self.length[lo:hi])
            for j in np.flatnonzero(blocks == b):
                s = int(idx[j]) - lo
                out[j] = data[int(ends[s]) - int(self.length[lo + s]):int(ends[s])].decode("utf-8")
        return out


def lookup(segs: list[Texts], aid: np.ndarray, pos: np.ndarray) -> list[str | None]:
    """The texts of sentences (aid[i], pos[i]) over the segments (an article's sentences are all
    in the segment that added it); None where no segment holds one."""
    k = keys(aid, pos)
    out: list[str | None] = [None] * len(k)
    todo = np.arange(len(k))
    for s in segs:
        if not len(todo):
            break
        at = s.find(k[todo])
        hit = at >= 0
        for j, t in zip(todo[hit].tolist(), s.get(at[hit]), strict=True):
            out[j] = t
        todo = todo[~hit]
    return out
