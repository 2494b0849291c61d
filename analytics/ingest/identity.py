"""Article identity, exact-duplicate hashes, near-duplicate SimHash and language."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from analytics.ingest.records import RawArticle

_WS = re.compile(r"\s+")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")
BANDS = 4  # SimHash split into 4 x 16-bit bands: distance <= 3 shares at least one band exactly


def _h(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def content_hash(text: str) -> str:
    return _h(_WS.sub(" ", text).strip())


def article_id(art: RawArticle) -> str:
    """The id the source gives (BIG Kinds id, URL) where there is one, else source + content."""
    if art.source_id:
        return "id-" + _h("id", art.source or "", art.source_id)[:20]
    if art.url:
        return "url-" + _h("url", art.url.strip().rstrip("/"))[:20]
    return "h-" + _h("content", art.source or "", content_hash(art.text))[:20]


def simhash(text: str, k: int = 4) -> int:
    """64-bit SimHash over character k-shingles (spaces removed), as a signed int64."""
    s = _WS.sub("", text)
    shingles = {s[i:i + k] for i in range(max(1, len(s) - k + 1))}
    if not shingles:
        return 0
    hashes = np.frombuffer(
        b"".join(hashlib.blake2b(x.encode("utf-8"), digest_size=8).digest() for x in shingles), dtype=np.uint8
    ).reshape(-1, 8)
    bits = np.unpackbits(hashes, axis=1)  # (n, 64)
    votes = bits.sum(axis=0) * 2 > len(shingles)
    value = int("".join("1" if b else "0" for b in votes), 2)
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def bands(h: int) -> list[tuple[int, int]]:
    u = h & ((1 << 64) - 1)
    return [(i, (u >> (16 * i)) & 0xFFFF) for i in range(BANDS)]


class ClusterIndex:
    """Assigns story clusters: an article joins the cluster of any earlier near-duplicate."""

    def __init__(self, max_distance: int = 3):
        self.max_distance = max_distance
        self.buckets: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def add(self, h: int, cluster_id: str) -> None:
        for b in bands(h):
            self.buckets.setdefault(b, []).append((h, cluster_id))

    def find(self, h: int, min_chars: int = 0) -> str | None:
        best: tuple[int, str] | None = None
        for b in bands(h):
            for other, cid in self.buckets.get(b, ()):
                d = hamming(h, other)
                if d <= self.max_distance and (best is None or d < best[0]):
                    best = (d, cid)
        return best[1] if best else None


def language(text: str) -> str:
    """ko / en / other by script share (enough to route Korean vs English analysis)."""
    sample = text[:5000]
    ko, la = len(_HANGUL.findall(sample)), len(_LATIN.findall(sample))
    if ko == 0 and la == 0:
        return "other"
    return "ko" if ko >= la * 0.25 else "en"
