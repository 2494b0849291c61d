"""Near-duplicate detection on the shared BIG Kinds export: the SimHash we replaced vs MinHash LSH.

Not a test. `python tests/bench/bench_neardup.py [XLSX]` prints, for the export's 602 article
excerpts: pairs by exact Jaccard of character 4-shingles, pairs each method finds, the duplicate
pairs BIG Kinds itself flags (분석제외 여부 = 중복, where the partner is in the export) that each
finds, and the time to sign and index every article. The SimHash here is a copy of the removed
`identity.simhash` (64 bits, Hamming <= 3, as ingest used) so the comparison can be re-run.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analytics.ingest import parse_bytes  # noqa: E402
from analytics.ingest.identity import ClusterIndex, minhash, shingles  # noqa: E402

XLSX = ROOT.parent / "shared" / "datasets" / "bigkinds" / "NewsResult_20210201-20210228.xlsx"
_WS = re.compile(r"\s+")


def old_simhash(text: str, k: int = 4) -> int:
    s = _WS.sub("", text)
    grams = {s[i:i + k] for i in range(max(1, len(s) - k + 1))}
    hashes = np.frombuffer(b"".join(hashlib.blake2b(x.encode(), digest_size=8).digest() for x in grams),
                           dtype=np.uint8).reshape(-1, 8)
    votes = np.unpackbits(hashes, axis=1).sum(axis=0) * 2 > len(grams)
    return int("".join("1" if b else "0" for b in votes), 2)


def main(path: Path = XLSX) -> None:
    arts, _ = parse_bytes(path.read_bytes(), path.name)
    texts = [a.text for a in arts]
    flags = [a.meta.get("분석제외 여부", "") for a in arts]
    n = len(texts)
    sets = [shingles(t) for t in texts]
    jac = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            jac[i, j] = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
    iu = list(zip(*np.triu_indices(n, 1), strict=True))

    t = time.perf_counter()
    sh = [old_simhash(x) for x in texts]
    t_sim = time.perf_counter() - t
    sim_pairs = {(i, j) for i, j in iu if bin(sh[i] ^ sh[j]).count("1") <= 3}

    t = time.perf_counter()
    index, sigs, clusters = ClusterIndex(0.6), [], []
    for i, x in enumerate(texts):
        sig = minhash(x)
        cid = index.find(sig) or str(i)
        index.add(str(i), sig, cid)
        sigs.append(sig)
        clusters.append(cid)
    t_mh = time.perf_counter() - t
    mh_pairs = {(i, j) for i, j in iu if clusters[i] == clusters[j]}

    partnered = {(i, j) for i, j in iu if ("중복" in flags[i] or "중복" in flags[j]) and jac[i, j] >= 0.4}
    print(f"{n} articles; pairs by exact Jaccard: "
          + ", ".join(f">={th}: {sum(jac[i, j] >= th for i, j in iu)}" for th in (0.5, 0.6, 0.8, 1.0)))
    print(f"BIG Kinds 중복 pairs with a partner in the export (Jaccard >= 0.4): {len(partnered)}")
    for name, pairs, sec in (("SimHash <= 3", sim_pairs, t_sim), ("MinHash LSH >= 0.6", mh_pairs, t_mh)):
        print(f"{name}: {len(pairs)} pairs, {len(partnered & pairs)}/{len(partnered)} BIG Kinds 중복 pairs, "
              f"exact Jaccard of its pairs {sorted(round(jac[p], 2) for p in pairs)}, {sec:.2f} s")
        for i, j in sorted(pairs, key=lambda p: -jac[p]):
            print(f"    J={jac[i, j]:.2f}  {arts[i].title[:40]}  ||  {arts[j].title[:40]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else XLSX)
