"""The character CRF without feature strings: crfsuite's own weights, scored and decoded in numpy.

crfsuite's `Tagger.tag` wants ~1,100 Python strings per sentence (~45 per character), and
building them costs as much again. Here the same attributes are produced as *ids* of the model's
attribute table, for a whole batch of sentences at once: the character window, bigrams, trigram
and shape from the code points by hashed key look-ups (`analytics.nlp.keyindex`), each Kiwi
(morpheme, position) once as a cached id list, and the rarer gazetteer / namelike / CoNg / eojeol
attributes per character in Python. The state scores are one sparse product (attribute ids in
`featurize`'s order per character x the weight matrix) and the Viterbi runs over all sentences of
the batch at once, one max-plus step per character position.

Exact by construction, not approximately: the weights are read from the model file itself
(`Tagger.info()` prints them to 6 decimals), every character's attributes are added in the order
`featurize` lists them (the order crfsuite adds them in, so the sums are the same doubles), and
the Viterbi does crfsuite's arithmetic (`prev[i] + trans[i][j]`, first maximum wins, then
`+ state[j]`). `tests/test_entities_fastpaths.py` asserts both: the ids equal the ids of
`featurize`'s strings, and the labels equal crfsuite's. A feature set this module does not know
(`FAST_FEATURES`) makes `FastCRF.supports` false and the recognizer uses crfsuite.
"""

from __future__ import annotations

import functools
import itertools
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse._sparsetools import (
    csr_matvecs as _csr_matvecs,  # y += A @ x in place (scipy's own kernel)
)

from analytics.nlp.entities.base import Morph, _ctype_of, ctype
from analytics.nlp.entities.features import (
    _BOS,
    _EOS,
    _morph_feats,
    _short,
    eojeol_features,
    run_context,
)
from analytics.nlp.entities.features import (
    _RUN_TAGS as _NOUN_RUN_TAGS,
)
from analytics.nlp.entities.gazetteer import MAX_LEN, match_features
from analytics.nlp.entities.viterbi import marginals, viterbi
from analytics.nlp.keyindex import KeyIndex

FAST_FEATURES = frozenset({"window", "shape", "kiwi", "conj", "gazetteer", "gazlen", "gazdist", "namelike",
                           "cong", "eojeol", "oov", "runctx", "wordctx"})
_CTYPE_CODES = {c: k for k, c in enumerate("HSDULCP")}
_S = _CTYPE_CODES["S"]
_P = np.uint64(0x100000001B3)  # multiplier of the gazetteer forms' polynomial hash (mod 2**64)
_POOL_MAX = 200_000
# characters scored and decoded at once: big enough that the Viterbi's per-position numpy calls are
# shared by hundreds of sentences, small enough to bound the batch arrays (~40 MB at 60k chars)
_CHUNK_CHARS = 60_000  # (morpheme, position) id lists kept; cleared when full, like features._MORPH_CACHE


def read_weights(path: str | Path) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray]:
    """(labels in crfsuite's id order, attribute -> id, state weights (n_attrs + 1, L) with a zero
    last row for unknown attributes, transitions (L, L)), read from the model file itself: the
    doubles crfsuite uses (`Tagger.info()` prints them to 6 decimals) and the names in its two
    string tables, in ~0.05 s (`info()` parses a text dump: ~0.5 s).

    crf1d model format: a 48-byte header (magic `lCRF`, size, type, version, counts, then the
    offsets of the features, the label and attribute string tables); features = `FEAT`, size,
    count, then per feature type/src/dst as uint32 and the weight as a double (type 0 = state:
    attribute -> label, 1 = transition); a string table is a CQDB chunk whose backward array gives
    each id's record (id, byte length, the UTF-8 bytes and a NUL). All little-endian."""
    blob = Path(path).read_bytes()
    if blob[:4] != b"lCRF" or blob[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    off_features, off_labels, off_attrs = struct.unpack_from("<III", blob, 28)
    labels = _cqdb_strings(blob, off_labels, path)
    names = _cqdb_strings(blob, off_attrs, path)
    attrs = {name: i for i, name in enumerate(names)}
    if blob[off_features:off_features + 4] != b"FEAT":
        raise ValueError(f"{path}: no feature chunk where the header says")
    count = struct.unpack_from("<I", blob, off_features + 8)[0]
    rec = np.frombuffer(blob, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
                        count=count, offset=off_features + 12)
    n_lab = len(labels)
    state = np.zeros((len(names) + 1, n_lab))
    trans = np.zeros((n_lab, n_lab))
    st = rec[rec["type"] == 0]
    tr = rec[rec["type"] == 1]
    if len(st) + len(tr) != count or (len(st) and (st["src"].max() >= len(names) or st["dst"].max() >= n_lab)):
        raise ValueError(f"{path}: features do not fit the model's labels and attributes")
    state[st["src"].astype(np.int64), st["dst"].astype(np.int64)] = st["w"]
    trans[tr["src"].astype(np.int64), tr["dst"].astype(np.int64)] = tr["w"]
    return labels, attrs, state, trans


def _cqdb_strings(blob: bytes, off: int, path: str | Path) -> list[str]:
    """The strings of the CQDB chunk at `off`, by id."""
    chunk, _size, _flag, _order, n, bwd = struct.unpack_from("<4sIIIII", blob, off)
    if chunk != b"CQDB":
        raise ValueError(f"{path}: no string table where the header says")
    out = []
    for i, rec in enumerate(struct.unpack_from(f"<{n}I", blob, off + bwd)):
        rid, size = struct.unpack_from("<II", blob, off + rec)
        if rid != i:
            raise ValueError(f"{path}: string table out of order")
        start = off + rec + 8
        out.append(blob[start:start + size - 1].decode("utf-8"))
    return out


def _key_table(attrs: dict[str, int], prefix: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Attributes `prefix + s` with `len(s) == width` -> (sorted code-point keys of s, their ids)."""
    keys, ids = [], []
    n = len(prefix)
    for name, aid in attrs.items():
        if name.startswith(prefix) and len(name) == n + width:
            k = 0
            for ch in name[n:]:
                k = (k << 21) | ord(ch)
            keys.append(k)
            ids.append(aid)
    order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
    return (np.array(keys, dtype=np.int64)[order] if keys else np.zeros(0, np.int64),
            np.array(ids, dtype=np.int64)[order] if ids else np.zeros(0, np.int64))


def _key_set(keys: np.ndarray) -> KeyIndex:
    """Membership of int64 keys as a `KeyIndex` (id 1 = in the set)."""
    return KeyIndex(keys, np.ones(len(keys), dtype=np.int64))


class _Pool:
    """Id lists of cached units (a (morpheme, position) pair, a namelike run), flat in one array."""

    def __init__(self) -> None:
        self.flat = np.zeros(1 << 16, dtype=np.int64)
        self.used = 0
        self.n = 0
        self.off = np.zeros(1 << 12, dtype=np.int64)
        self.len = np.zeros(1 << 12, dtype=np.int64)

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def add(self, ids: list[int]) -> int:
        n = len(ids)
        if self.used + n > len(self.flat):
            self.flat = np.concatenate([self.flat, np.zeros(max(n, len(self.flat)), dtype=np.int64)])
        if self.n == len(self.off):
            self.off = np.concatenate([self.off, np.zeros(len(self.off), dtype=np.int64)])
            self.len = np.concatenate([self.len, np.zeros(len(self.len), dtype=np.int64)])
        self.flat[self.used:self.used + n] = ids
        pid = self.n
        self.off[pid] = self.used
        self.len[pid] = n
        self.used += n
        self.n += 1
        return pid


@functools.cache
def _space_table() -> np.ndarray:
    """`str.isspace` of every BMP code point (what `\\s` matches in a str regex)."""
    return np.array([chr(c).isspace() for c in range(0x10000)], dtype=bool)


def _expand(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenated ranges [starts[k], starts[k] + lens[k])."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.cumsum(lens) + lens, lens)
    return shift + np.arange(total, dtype=np.int64)


class FastCRF:
    """The shipped CRF's tagger for batches of sentences; labels equal crfsuite's (see module doc)."""

    def __init__(self, model_path: str | Path | None, features: frozenset[str], gazetteer: dict[str, str],
                 cong: dict[str, str] | None = None, namelike: Any = None,
                 weights: tuple[list[str], dict[str, int], np.ndarray, np.ndarray] | None = None) -> None:
        """`weights` (labels, attribute ids, state, transitions as `read_weights` gives) instead of
        a model file: for tests with attribute sets no shipped model has."""
        self.features = features
        self.supports = features <= FAST_FEATURES
        self.labels, self.attrs, self.state, self.trans = weights if weights is not None else read_weights(model_path)  # type: ignore[arg-type]
        self._label_names = np.array(self.labels, dtype=object)
        a, zero = self.attrs, len(self.attrs)
        self.zero = zero
        self.bias = a.get("b", zero)
        self.window, self.shape = "window" in features, "shape" in features
        self.kiwi, self.conj = "kiwi" in features, "conj" in features
        self.gaz_on = "gazetteer" in features
        self.gazlen, self.gazdist = "gazlen" in features, "gazdist" in features
        self.eojeol = "eojeol" in features
        self.oov = "oov" in features
        self.runctx = "runctx" in features  # ner-accuracy, round 8
        self.wordctx = "wordctx" in features  # ner-accuracy, round 8
        self.namelike = namelike if "namelike" in features else None
        self.cong = cong if "cong" in features else None
        self.gazetteer = gazetteer
        # unigrams: code point -> char id (dense map) -> attribute id per window offset
        uni = [_key_table(a, p, 1) for p in ("c=", "c-1=", "c+1=", "c-2=", "c+2=")]
        chars = np.unique(np.concatenate([k for k, _ in uni])) if uni else np.zeros(0, np.int64)
        self._cp_map = np.full(int(chars.max()) + 2 if len(chars) else 1, len(chars), dtype=np.int64)
        self._cp_map[chars] = np.arange(len(chars))
        self._uni_ids = []
        for keys, ids in uni:
            table = np.full(len(chars) + 1, zero, dtype=np.int64)
            table[np.searchsorted(chars, keys)] = ids
            self._uni_ids.append(table)
        # bigrams: one sorted key set for the four offsets, an id table per offset
        bi = [_key_table(a, p, 2) for p in ("b-=", "b+=", "b--=", "b++=")]
        self._bi_keys = np.unique(np.concatenate([k for k, _ in bi]))
        self._bi_ids = []
        for keys, ids in bi:
            table = np.full(len(self._bi_keys) + 1, zero, dtype=np.int64)
            table[np.searchsorted(self._bi_keys, keys)] = ids
            self._bi_ids.append(table)
        self._bi_index = KeyIndex(self._bi_keys, np.arange(len(self._bi_keys), dtype=np.int64))
        self._tri = KeyIndex(*_key_table(a, "t3=", 3))
        # shapes: dense tables over the 7 classes' codes (base 8)
        self._y1 = np.full(8, zero, dtype=np.int64)
        self._y3 = np.full(8 ** 3, zero, dtype=np.int64)
        self._y5 = np.full(8 ** 5, zero, dtype=np.int64)
        for name, aid in a.items():
            for pre, width, table in (("y=", 1, self._y1), ("y3=", 3, self._y3), ("y5=", 5, self._y5)):
                rest = name[len(pre):]
                if name.startswith(pre) and len(rest) == width and all(c in _CTYPE_CODES for c in rest):
                    k = 0
                    for c in rest:
                        k = k * 8 + _CTYPE_CODES[c]
                    table[k] = aid
        # `cp=<char>=<tag>` keyed by (code point, tag code)
        self._tags: dict[str, int] = {}
        cp_keys, cp_ids = [], []
        for name, aid in a.items():
            if name.startswith("cp=") and len(name) >= 6 and name[4] == "=":
                code = self._tags.setdefault(name[5:], len(self._tags))
                cp_keys.append((ord(name[3]) << 8) | code)
                cp_ids.append(aid)
        order = np.argsort(np.array(cp_keys, dtype=np.int64))
        self._cp = KeyIndex(np.array(cp_keys, dtype=np.int64)[order], np.array(cp_ids, dtype=np.int64)[order])
        # gazetteer forms of 2..12 characters: per length, sorted polynomial hashes
        self._gaz_first = _key_set(np.array(sorted({ord(f[0]) for f in gazetteer if len(f) >= 2}), dtype=np.int64))
        by_len: dict[int, list[int]] = {}
        prefixes: dict[int, set[int]] = {}  # length L -> hashes of the first L chars of the forms of L+ chars
        mask = (1 << 64) - 1
        mult = int(_P)
        for f in gazetteer:
            if 2 <= len(f) <= MAX_LEN:
                h = 0
                for k, ch in enumerate(f, start=1):
                    h = (h * mult + ord(ch)) & mask
                    if k >= 2:
                        prefixes.setdefault(k, set()).add(h)
                by_len.setdefault(len(f), []).append(h)
        # hashed look-ups of the uint64 hashes' bits (`_key_set`: membership, not binary search)
        self._gaz_hash = {ln: _key_set(np.unique(np.array(hs, dtype=np.uint64)).view(np.int64))
                          for ln, hs in by_len.items()}
        self._gaz_prefix = {ln: _key_set(np.array(sorted(hs), dtype=np.uint64).view(np.int64))
                            for ln, hs in prefixes.items()}
        self._pool = _Pool()
        self._decomposed = decomposition_holds()  # else whole (morpheme, neighbours) units via _morph_feats
        self._units: dict[Any, list[int]] = {}  # (morpheme, neighbours) or namelike form -> pool ids
        self._reset_units()
        self._ctype_cache: dict[int, tuple[int, bool]] = {}  # past the BMP
        self._bmp: tuple[np.ndarray, np.ndarray] | None = None
        self._row_cache: dict[tuple[str, ...], tuple[int, ...]] = {}
        self._head_ids: dict[int, tuple[int, int]] = {}  # coded word head -> (pw=, nw=) attribute ids (-1: none)

    # ----------------------------------------------------------------------------------------------
    def ids(self, strings: Sequence[str]) -> list[int]:
        """Known attribute ids of feature strings (unknown ones add nothing in crfsuite)."""
        a = self.attrs
        return [a[s] for s in strings if s in a]

    def tag_many(self, texts: Sequence[str], spans: Sequence[list[Morph] | None],
                 tokens: Sequence[Sequence[Any] | None] | None = None, shifts: Sequence[int] | None = None,
                 marginals_out: list[np.ndarray | None] | None = None) -> list[list[str]]:
        """Labels per sentence (`spans` = `token_spans` of each, None without Kiwi tokens; `tokens`
        and their `shifts` only for the features read from the raw tokens: `oov`). With
        `marginals_out` (a list as long as `texts`): each sentence's (characters, labels) marginal
        probabilities are written into it (`viterbi.marginals`, columns in `self.labels` order)."""
        out: list[list[str]] = [[] for _ in texts]
        keep = [k for k, t in enumerate(texts) if t]
        if not keep:
            return out
        for lo, hi in _chunks([len(texts[k]) for k in keep], _CHUNK_CHARS):
            part = keep[lo:hi]
            texts_p = [texts[k] for k in part]
            lens = np.array([len(t) for t in texts_p], dtype=np.int64)
            raw = ([tokens[k] for k in part], [shifts[k] if shifts else 0 for k in part]) if tokens is not None else None
            emission = self.emissions(texts_p, [spans[k] for k in part], raw)
            flat = self._label_names[viterbi(emission, lens, self.trans)].tolist()
            marg = marginals(emission, lens, self.trans) if marginals_out is not None else None
            at = 0
            for k, n in zip(part, lens.tolist(), strict=True):
                out[k] = flat[at:at + n]
                if marg is not None:
                    marginals_out[k] = marg[at:at + n]  # type: ignore[index]
                at += n
        return out

    # ----------------------------------------------------------------------------------------------
    def attribute_matrix(self, texts: Sequence[str], spans: Sequence[list[Morph] | None],
                         raw: tuple[Sequence[Sequence[Any] | None], Sequence[int]] | None = None) -> sparse.csr_matrix:
        """(characters of all texts) x (attributes): per character the ids `featurize` gives, in its
        order (`raw` = (Kiwi tokens, shift) per text, for the `oov` feature)."""
        return self._assemble(*self._families(texts, spans, raw))

    def _families(self, texts: Sequence[str], spans: Sequence[list[Morph] | None],
                  raw: tuple[Sequence[Sequence[Any] | None], Sequence[int]] | None = None
                  ) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
        """The attribute ids of `attribute_matrix` as families in `featurize`'s order, each
        (count per char, its ids in char order), and the number of characters."""
        if self._pool.n >= _POOL_MAX or len(self._tf_keys) >= _POOL_MAX:
            self._pool.clear()
            self._units.clear()
            self._reset_units()
        if len(self._row_cache) >= _POOL_MAX:
            self._row_cache.clear()
        if len(self._ctype_cache) >= _POOL_MAX:
            self._ctype_cache.clear()
        n_s = len(texts)
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        total = int(lens.sum())
        base = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)  # char index of each text
        big = "".join(["\x02\x02" + t + "\x03\x03" for t in texts])
        cps = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        sid = np.repeat(np.arange(n_s, dtype=np.int64), lens)
        pos = np.arange(total, dtype=np.int64) + 4 * sid + 2  # each char's index in `big`
        ctypes, alnum = self._classes(cps)
        families: list[tuple[np.ndarray, np.ndarray]] = []  # (count per char, ids in char order)
        # 1. window and shape, as `_window_rows`
        cols = [np.full(total, self.bias, dtype=np.int64)]
        if self.window:
            cid = self._char_ids(cps)
            for table, d in zip(self._uni_ids, (0, -1, 1, -2, 2), strict=True):
                cols.append(table[cid[pos + d]])
            pair = (cps[:-1] << 21) | cps[1:]  # pair[i] = big[i:i + 2]
            bid = self._bi_index.get(pair, len(self._bi_keys))
            for table, d in zip(self._bi_ids, (-1, 0, -2, 1), strict=True):  # b-, b+, b--, b++
                cols.append(table[bid[pos + d]])
            tri = (cps[pos - 1] << 42) | (cps[pos] << 21) | cps[pos + 1]
            # featurize's order: b, c, c-1, c+1, c-2, c+2, b-, b+, t3, b--, b++
            cols = cols[:8] + [self._tri.get(tri, self.zero)] + cols[8:]
        else:
            cols.append(self._uni_ids[0][self._char_ids(cps)[pos]])
        if self.shape:
            ty = ctypes.copy()
            pad = np.ones(len(big), dtype=bool)
            pad[pos] = False
            ty[pad] = _S
            cols.append(self._y1[ty[pos]])
            cols.append(self._y3[(ty[pos - 1] * 8 + ty[pos]) * 8 + ty[pos + 1]])
            cols.append(self._y5[(((ty[pos - 2] * 8 + ty[pos - 1]) * 8 + ty[pos]) * 8 + ty[pos + 1]) * 8 + ty[pos + 2]])
        fixed = np.stack(cols, axis=1)
        families.append((np.full(total, fixed.shape[1], dtype=np.int64), fixed.ravel()))
        # 2. Kiwi morphemes: each (morpheme, position) unit's ids, then `cp=` per char
        nl_segs: list = []
        if self.kiwi:
            owner, ids, chars, tag, odd = self._morph_units(spans, base)
            if odd:  # texts with morphemes out of order: the per-char owner rule
                segs = self._morph_segments([texts[k] for k in odd], [spans[k] for k in odd], base[odd])
                count2, ids2, chars2, seg_of, arr = self._segment_family(segs, 4, total)
                owner = np.concatenate([owner, np.repeat(chars2, count2[chars2])])
                ids = np.concatenate([ids, ids2])
                order = np.argsort(owner, kind="stable")
                owner, ids = owner[order], ids[order]
                chars = np.concatenate([chars, chars2])
                tag = np.concatenate([tag, arr[seg_of, 3]])
                order = np.argsort(chars, kind="stable")
                chars, tag = chars[order], tag[order]
            nl_segs = self._namelike_segments(texts, base) if self.namelike is not None else []
            if len(chars):
                families.append((np.bincount(owner, minlength=total), ids))
                if self.conj:
                    key = (cps[pos[chars]] << 8) | np.where(tag >= 0, tag, 255)
                    ids = self._cp.get(key, self.zero)
                    count = np.zeros(total, dtype=np.int64)
                    count[chars] = 1
                    families.append((count, ids))
        # 3. the per-character families (gazetteer, eojeol, namelike, CoNg, oov), in featurize's order
        if self.gaz_on and self.gazetteer:
            _add_rows(families, self._gazetteer_rows(texts, big, cps, ctypes, alnum, base), total)
        if self.eojeol:
            rows: dict[int, list[int]] = {}
            for k, t in enumerate(texts):
                for i, f in enumerate(eojeol_features(t, spans[k] if self.kiwi else None)):
                    if f:
                        rows[int(base[k]) + i] = self._cached_ids(f)
            _add_rows(families, rows, total)
        if len(nl_segs):
            families.append(self._segment_family(nl_segs, 3, total)[:2])
        if self.cong and self.kiwi:
            _add_rows(families, self._cong_rows(spans, base), total)
        if self.runctx and self.kiwi:
            fam = self._runctx_family(texts, spans, cps[pos], base, total)
            if fam is not None:
                families.append(fam)
        if self.wordctx:
            fam = self._wordctx_family(cps[pos], sid, lens, base)
            if fam is not None:
                families.append(fam)
        if self.oov and raw is not None:
            _add_rows(families, self._oov_rows(texts, raw, base), total)
        return families, total

    def _context_family(self, segs: list, base: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray] | None:
        """`runctx` / `wordctx` (ner-accuracy, round 8): (start, end, strings) segments per text
        (`features.run_context`, `features.word_spans`: disjoint, in order) as one family, each
        distinct string list pooled once, as `featurize` adds them (runctx after CoNg, wordctx
        after runctx, both before oov)."""
        units, pool, rows = self._units, self._pool, []
        for k, sg in enumerate(segs):
            b0 = int(base[k])
            for a, b, f in sg:
                key = ("\x00ctx", *f)
                u = units.get(key)
                if u is None:
                    u = units[key] = [pool.add(self.ids(f))]
                rows += (b0 + a, b - a, u[0])
        return self._segment_family(rows, 3, total)[:2] if rows else None

    def _wordctx_family(self, cp: np.ndarray, sid: np.ndarray, lens: np.ndarray, base: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray] | None:
        """`wordctx` (`features.word_spans` of every text, as `_context_family` scores them) for the
        whole batch in numpy: words are the runs of non-space chars (`\\S+`: `str.isspace`, one table),
        each word's head (the last two chars of its last noun-like morpheme, else `~` + its last two
        chars) is coded as an integer and only the distinct heads are looked up as `pw=`/`nw=`
        strings; a word's chars get (pw of the word before, nw of the word after), a gap's chars
        (pw of the word before, nw of the word after it), in that order (equal ids to the strings'
        path on every sentence: tests/test_entities_fastpaths.py)."""
        total = len(cp)
        if not total:
            return None
        word = ~_space_table()[np.minimum(cp, 0xFFFF)]  # no space char lies past the BMP
        li = np.arange(total, dtype=np.int64) - base[sid]  # each char's index in its text
        first_c = li == 0
        last_c = li == lens[sid] - 1
        prev_w = np.empty(total, dtype=bool)
        prev_w[0] = False
        prev_w[1:] = word[:-1]
        prev_w[first_c] = False
        next_w = np.empty(total, dtype=bool)
        next_w[-1] = False
        next_w[:-1] = word[1:]
        next_w[last_c] = False
        ws = np.flatnonzero(word & ~prev_w)  # word starts (global char index), in order
        we = np.flatnonzero(word & ~next_w) + 1  # their ends
        if len(ws) < 2:
            return None
        wt = sid[ws]  # each word's text
        n_w = np.bincount(wt, minlength=len(lens))
        w_first = np.cumsum(n_w) - n_w  # index of each text's first word
        j = np.arange(len(ws), dtype=np.int64) - w_first[wt]  # word index within its text
        last_j = n_w[wt] - 1
        wid = np.cumsum(word & ~prev_w) - 1  # per char: the word it is in, or the last one before it
        # noun end per word: the last (in morpheme order) noun-like morpheme starting inside it
        nend = np.full(len(ws), -1, dtype=np.int64)  # global end, -1: none
        flat = self._flat if self.kiwi else None
        if flat is not None:
            which, msid, S, E, T, _first = flat
            run = self._tf_run_classes()[T] > 0
            k = np.array(which, dtype=np.int64)[msid]
            ok = run & (S >= 0) & (S < lens[k])
            g = base[k] + np.where(ok, S, 0)
            ok &= word[g]
            mw = wid[g[ok]]
            me = np.minimum(E[ok] + base[k[ok]], we[mw])
            if len(mw):
                rev_w = mw[::-1]
                uw, at = np.unique(rev_w, return_index=True)
                nend[uw] = me[::-1][at]
        # `if e` in word_spans: an end at 0 (only a zero-length morpheme at a text's start) is none
        has = (nend >= 0) & (nend != base[wt])
        h_end = np.where(has, nend, we)
        h_lo = np.maximum(ws, h_end - 2)
        h_len = np.maximum(h_end - h_lo, 0)
        c1 = np.where(h_len >= 1, cp[np.minimum(h_lo, total - 1)], 0)
        c2 = np.where(h_len >= 2, cp[np.minimum(h_lo + 1, total - 1)], 0)
        code = (np.where(has, 0, 1) << 44) | (h_len << 42) | (c1 << 21) | c2
        uniq, inv = np.unique(code, return_inverse=True)
        table = self._head_ids
        pn = [table.get(c) for c in uniq.tolist()]
        if None in pn:
            attrs = self.attrs
            for q, c in enumerate(uniq.tolist()):
                if pn[q] is None:
                    ln = (c >> 42) & 3
                    h = "".join(chr((c >> sh) & 0x1FFFFF) for sh in (21, 0)[:ln])
                    h = h if not (c >> 44) else "~" + h
                    pn[q] = table[c] = (attrs.get("pw=" + h, -1), attrs.get("nw=" + h, -1))
        pn_a = np.array(pn, dtype=np.int64).reshape(-1, 2)[inv.ravel()]
        pw, nw = pn_a[:, 0], pn_a[:, 1]
        none = np.int64(-1)
        n_all = len(ws)
        prev_pw = np.full(n_all, none)
        prev_pw[1:] = pw[:-1]
        next_nw = np.full(n_all, none)
        next_nw[:-1] = nw[1:]
        in_multi = n_w[wt] >= 2
        # a word's slots: pw of the word before (not for the first), nw of the word after (not for the last)
        wa = np.where(in_multi & (j > 0), prev_pw, none)
        wb = np.where(in_multi & (j < last_j), next_nw, none)
        # a gap's slots (after word w, not the text's last): pw of w, nw of w + 1
        ga = np.where(in_multi & (j < last_j), pw, none)
        gb = np.where(in_multi & (j < last_j), next_nw, none)
        cw = np.maximum(wid, 0)
        in_text_gap = (~word) & (wid >= 0) & (wt[cw] == sid) & (j[cw] < last_j[cw])
        s1 = np.where(word, wa[cw], np.where(in_text_gap, ga[cw], none))
        s2 = np.where(word, wb[cw], np.where(in_text_gap, gb[cw], none))
        slots = np.stack([s1, s2], axis=1)
        known = slots >= 0
        count = known.sum(axis=1)
        if not count.any():
            return None
        return count.astype(np.int64), slots[known]

    def _oov_rows(self, texts: Sequence[str], raw: tuple[Sequence[Sequence[Any] | None], Sequence[int]],
                  base: np.ndarray) -> dict[int, list[int]]:
        """`oov`, then `oovB`/`oovI`, on the chars of each common noun outside Kiwi's dictionary
        (token id 2), as the last block of `featurize` adds them."""
        out: dict[int, list[int]] = {}
        first = self._cached_ids(["oov", "oovB"])
        inner = self._cached_ids(["oov", "oovI"])
        for k, (toks, shift) in enumerate(zip(*raw, strict=True)):
            if not toks:
                continue
            n, b0 = len(texts[k]), int(base[k])
            for t in toks:
                if getattr(t, "id", -1) == 2:
                    a = t.start - shift
                    for i in range(max(a, 0), min(a + t.len, n)):
                        out.setdefault(b0 + i, []).extend(first if i == a else inner)
        return out

    def _assemble(self, families: list[tuple[np.ndarray, np.ndarray]], total: int) -> sparse.csr_matrix:
        counts = np.stack([c for c, _ in families]) if families else np.zeros((0, total), np.int64)
        per_char = counts.sum(axis=0)
        indptr = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(per_char, out=indptr[1:])
        indices = np.empty(int(indptr[-1]), dtype=np.int64)
        before = indptr[:-1].copy()
        for (count, ids) in families:
            if len(ids):
                within = np.arange(len(ids), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
                indices[np.repeat(before, count) + within] = ids
            before += count
        data = np.ones(len(indices))
        return sparse.csr_matrix((data, indices, indptr), shape=(total, self.zero + 1))

    def emissions(self, texts: Sequence[str], spans: Sequence[list[Morph] | None],
                  raw: tuple[Sequence[Sequence[Any] | None], Sequence[int]] | None = None) -> np.ndarray:
        """State scores (characters, labels): crfsuite's sums, added in the same order.

        `attribute_matrix @ state` without building the matrix: each family is its own CSR
        product added into the same scores, family after family (scipy's kernel does
        `y[i] += 1.0 * state[id]` per stored id, in row order), so every character gets the same
        additions in the same order as from the one matrix, and the same doubles; the assembly
        of the one matrix (interleaving the families per character) was ~40 % of the stage."""
        families, total = self._families(texts, spans, raw)
        state = self.state
        out = np.zeros((total, state.shape[1]))
        if not total:
            return out
        ones = np.ones(max(len(ids) for _c, ids in families))
        x, y = state.ravel(), out.ravel()
        indptr = np.zeros(total + 1, dtype=np.int64)
        for count, ids in families:
            if len(ids):
                np.cumsum(count, out=indptr[1:])
                _csr_matvecs(total, state.shape[0], state.shape[1], indptr, ids.astype(np.int64, copy=False),
                             ones[:len(ids)], x, y)
        return out

    # ----------------------------------------------------------------------------------------------
    def _char_ids(self, cps: np.ndarray) -> np.ndarray:
        """Char id of each code point (the unknown id past the map's end)."""
        m = self._cp_map
        return m[np.minimum(cps, len(m) - 1)]

    def _classes(self, cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`ctype` code and `str.isalnum` of each code point: dense tables over the BMP (built once),
        a per-code-point cache past it."""
        if self._bmp is None:
            chars = [chr(c) for c in range(0x10000)]
            self._bmp = (np.array([_CTYPE_CODES[_ctype_of(ch)] for ch in chars], dtype=np.int64),
                         np.array([ch.isalnum() for ch in chars], dtype=bool))
        codes_t, alnum_t = self._bmp
        inside = np.minimum(cps, 0xFFFF)
        codes, alnum = codes_t[inside], alnum_t[inside]
        past = np.flatnonzero(cps > 0xFFFF)
        if len(past):
            cache = self._ctype_cache
            for k in past.tolist():
                c = int(cps[k])
                hit = cache.get(c)
                if hit is None:
                    ch = chr(c)
                    hit = cache[c] = (_CTYPE_CODES[ctype(ch)], ch.isalnum())
                codes[k], alnum[k] = hit
        return codes, alnum

    def _morph_units(self, spans: Sequence[list[Morph] | None], base: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """`char_morph_features` for a whole batch in numpy: each morpheme's (tag, form) interned
        once in Python, the chars it owns (the first morpheme covering a char) and their B/I/E/S
        found by array operations. Returns (owner char of each id, the ids, the owned chars, their
        `cp=` tag codes, the texts whose morphemes are out of order: left to `_morph_segments`)."""
        tf, tf_keys = self._tf, self._tf_keys
        sizes: list[int] = []
        s_all: list[tuple] = []
        e_all: list[tuple] = []
        ids_all: list[list] = []
        which: list[int] = []
        for k, sp in enumerate(spans):
            if not sp:
                continue
            ss, es, tg, fm = zip(*sp, strict=True)
            ids = list(map(tf.get, zip(tg, fm, strict=True)))  # map: no bytecode per morpheme
            if None in ids:
                for q, x in enumerate(zip(tg, fm, strict=True)):
                    if ids[q] is None:
                        ids[q] = tf.get(x)
                        if ids[q] is None:
                            ids[q] = tf[x] = len(tf_keys)
                            tf_keys.append(x)
            which.append(k)
            sizes.append(len(sp))
            s_all.append(ss)
            e_all.append(es)
            ids_all.append(ids)
        z = np.zeros(0, dtype=np.int64)
        self._flat = None
        if not sizes:
            return z, z, z, z, []
        m = sum(sizes)
        chain = itertools.chain.from_iterable
        S = np.fromiter(chain(s_all), dtype=np.int64, count=m)
        E = np.fromiter(chain(e_all), dtype=np.int64, count=m)
        T = np.fromiter(chain(ids_all), dtype=np.int64, count=m)
        cnt = np.array(sizes, dtype=np.int64)
        sid = np.repeat(np.arange(len(sizes), dtype=np.int64), cnt)
        first = np.zeros(m, dtype=bool)
        first_idx = np.cumsum(cnt) - cnt
        first[first_idx] = True
        last = np.zeros(m, dtype=bool)
        last[first_idx + cnt - 1] = True
        self._flat = (which, sid, S, E, T, first)  # for `_namelike_segments`
        # out of order (a start before the previous one): those texts go the general way
        back = np.flatnonzero((S[1:] < S[:-1]) & ~first[1:]) + 1
        bad = np.unique(sid[back])  # their places in `which` (increasing, as `which` is)
        odd: list[int] = [which[int(q)] for q in bad]
        prev_t = np.empty(m, dtype=np.int64)
        prev_t[1:] = T[:-1]
        prev_t[first] = 0  # BOS
        next_t = np.empty(m, dtype=np.int64)
        next_t[:-1] = T[1:]
        next_t[last] = 1  # EOS
        key = (prev_t << 42) | (T << 21) | next_t
        # owner rule: chars from max(start, the furthest end of the text's earlier morphemes)
        big = np.int64(1 << 32)
        reach = np.maximum.accumulate(E + sid * big)
        hi = np.empty(m, dtype=np.int64)
        hi[1:] = reach[:-1]
        hi = np.where(first, 0, hi - sid * big)
        a = np.maximum(S, hi)
        ok = E > a
        if odd:
            ok &= ~np.isin(sid, bad)
        gbase = base[np.array(which, dtype=np.int64)][sid]
        own = np.where(ok, E - a, 0)
        chars = _expand(a + gbase, own)  # every owned char, in order
        mi = np.repeat(np.arange(m, dtype=np.int64), own)  # its morpheme
        local = chars - gbase[mi]
        s_m, e_m = S[mi], E[mi]
        p = np.where(e_m - s_m == 1, 0, np.where(local == s_m, 1, np.where(local == e_m - 1, 3, 2)))  # S B I E
        tcode = self._tf_tag_codes()[T[mi]]
        if self._decomposed:
            owner, ids = self._decomposed_ids(chars, p, T[mi], prev_t[mi], next_t[mi])
        else:
            owner, ids = self._unit_ids(chars, p, mi, key, prev_t, T, next_t)
        return owner, ids, chars, tcode, odd

    def _unit_ids(self, chars: np.ndarray, p: np.ndarray, mi: np.ndarray, key: np.ndarray, prev_t: np.ndarray,
                  T: np.ndarray, next_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Morpheme ids by whole units: `_morph_feats` of (position, morpheme, neighbours), cached."""
        units, tf_keys = self._unit_ix, self._tf_keys
        kl = key.tolist()
        u = [units.get(x, -1) for x in kl]
        if -1 in u:
            for q, x in enumerate(kl):
                if u[q] == -1:
                    hit = units.get(x)
                    if hit is None:
                        hit = units[x] = len(self._unit_key)
                        pt, ct, nt = tf_keys[int(prev_t[q])], tf_keys[int(T[q])], tf_keys[int(next_t[q])]
                        self._unit_key.append((ct[0], ct[1], pt[0], pt[1], nt[0], nt[1]))
                    u[q] = hit
            if len(self._unit_key) > len(self._unit_pids):
                grown = np.full((max(2 * len(self._unit_pids), len(self._unit_key)), 4), -1, dtype=np.int64)
                grown[:len(self._unit_pids)] = self._unit_pids
                self._unit_pids = grown
        unit = np.array(u, dtype=np.int64)[mi]
        table = self._unit_pids
        pids = table[unit, p]
        missing = np.flatnonzero(pids < 0)
        for q in missing.tolist():
            uu, pp = int(unit[q]), int(p[q])
            pid = int(table[uu, pp])
            if pid < 0:
                pid = self._pool.add(self.ids(_morph_feats("SBIE"[pp], *self._unit_key[uu], self.conj)))  # type: ignore[arg-type]
                table[uu, pp] = pid
            pids[q] = pid
        ln = self._pool.len[pids]
        return np.repeat(chars, ln), self._pool.flat[_expand(self._pool.off[pids], ln)]

    def _decomposed_ids(self, chars: np.ndarray, p: np.ndarray, t: np.ndarray, pt: np.ndarray, nt: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Morpheme ids from per-(tag, form) and per-tag-pair attribute tables, in `_morph_feats`'
        order: p, pp, pt, nt, [ne, nf], [pb, pf], [m], [pm, nm] (checked against it at start-up)."""
        tfa = self._tf_attrs()
        tc = tfa[:, 12]
        pair_pt, pair_nt = self._pair_tables()
        none = np.int64(-1)
        es = (p == 0) | (p == 3)
        bs = (p == 0) | (p == 1)
        cols = [tfa[t, 0], tfa[t, 1 + p], pair_pt[tc[pt], tc[t]], pair_nt[tc[t], tc[nt]],
                np.where(es, tfa[nt, 5], none), np.where(es, tfa[nt, 6], none),
                np.where(bs, tfa[pt, 7], none), np.where(bs, tfa[pt, 8], none), tfa[t, 9]]
        if self.conj:
            cols += [tfa[pt, 10], tfa[nt, 11]]
        slots = np.stack(cols, axis=1)
        known = slots >= 0
        return np.repeat(chars, known.sum(axis=1)), slots[known]

    def _tf_attrs(self) -> np.ndarray:
        """Per interned (tag, form): attribute ids (-1: none) of `_tf_strings`, and its tag code."""
        have = self._tfa_n
        if have < len(self._tf_keys):
            need = len(self._tf_keys)
            if need > len(self._tfa):
                grown = np.full((max(2 * len(self._tfa), need), 13), -1, dtype=np.int64)
                grown[:have] = self._tfa[:have]
                self._tfa = grown
            attrs, codes = self.attrs, self._mtags
            for q in range(have, need):
                tag, form = self._tf_keys[q]
                row = [attrs.get(x, -1) if x is not None else -1 for x in _tf_strings(tag, form)]
                row.append(codes.setdefault(tag, len(codes)))
                self._tfa[q] = row
            self._tfa_n = need
        return self._tfa

    def _pair_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """`pt=<prev tag>|<tag>` and `nt=<tag>|<next tag>` attribute ids by tag codes."""
        tags = list(self._mtags)
        n = len(tags)
        if self._pairs[0].shape[0] != n:
            pt = np.full((n, n), -1, dtype=np.int64)
            nt = np.full((n, n), -1, dtype=np.int64)
            attrs = self.attrs
            for i, x in enumerate(tags):
                for j, y in enumerate(tags):
                    pt[i, j] = attrs.get(_pt_string(x, y), -1)
                    nt[i, j] = attrs.get(_nt_string(x, y), -1)
            self._pairs = (pt, nt)
        return self._pairs

    def _reset_units(self) -> None:
        self._tf: dict[tuple[str, str], int] = {("BOS", ""): 0, ("EOS", ""): 1}  # (tag, form) -> id
        self._tf_keys: list[tuple[str, str]] = [("BOS", ""), ("EOS", "")]
        self._tf_codes = np.zeros(0, dtype=np.int64)
        self._tf_run = np.zeros(0, dtype=np.int64)
        self._tf_ra = np.zeros(0, dtype=np.int64)
        self._runctx_pids: dict[int, int] = {}  # `_runctx_family`'s run code -> pool id (tf ids and pool reset together)
        self._runs_of: tuple | None = None  # (the `_flat` they were found in, (first, last) morpheme of each noun run)
        self._flat: tuple | None = None
        self._unit_ix: dict[int, int] = {}  # (prev, this, next) ids packed -> unit
        self._unit_key: list[tuple[str, ...]] = []
        self._unit_pids = np.full((1024, 4), -1, dtype=np.int64)  # pool ids of each unit's S, B, I, E lists
        self._tfa = np.full((1024, 13), -1, dtype=np.int64)  # `_tf_attrs` rows
        self._tfa_n = 0
        self._mtags: dict[str, int] = {}  # Kiwi tag -> code of the pair tables
        self._pairs = (np.zeros((0, 0), dtype=np.int64), np.zeros((0, 0), dtype=np.int64))

    def _tf_tag_codes(self) -> np.ndarray:
        """`cp=` tag code of each interned (tag, form) (-1: a tag no `cp=` attribute has)."""
        have = len(self._tf_codes)
        if have != len(self._tf_keys):
            tags = self._tags
            more = np.array([tags.get(t, -1) for t, _f in self._tf_keys[have:]], dtype=np.int64)
            self._tf_codes = np.concatenate([self._tf_codes, more])
        return self._tf_codes

    def _morph_segments(self, texts: Sequence[str], spans: Sequence[list[Morph] | None], base: np.ndarray
                        ) -> list[int]:
        """The chars of texts whose morphemes are out of order (`_morph_units` takes the others in
        numpy), as `char_morph_features` assigns them: the first morpheme covering a char owns it,
        B/I/E/S by the char's place in it; flat (char, 1, pool id, tag code) quadruples."""
        segs: list[int] = []
        add = segs.extend
        units, tags, unit_pid = self._units, self._tags, self._unit_pid
        for k, sp in enumerate(spans):
            if not sp:
                continue
            b0 = int(base[k])
            last = len(sp) - 1
            for j, a, e in _owned_ranges(sp, len(texts[k])):
                s, e_full, tag, form = sp[j]
                prv = sp[j - 1] if j else _BOS
                nxt = sp[j + 1] if j < last else _EOS
                key = (tag, form, prv[2], prv[3], nxt[2], nxt[3])
                u = units.setdefault(key, [-1, -1, -1, -1])
                tcode = tags.get(tag, -1)
                for i in range(a, e):
                    p = 0 if e_full - s == 1 else 1 if i == s else 3 if i == e_full - 1 else 2
                    add((b0 + i, 1, u[p] if u[p] >= 0 else unit_pid(u, p, key), tcode))
        return segs

    def _namelike_segments(self, texts: Sequence[str], base: np.ndarray) -> np.ndarray:
        """The namelike runs as (first char, length, pool id) rows: `top`, `top` + B/I/E and the
        other classes for each char of a noun run of 2+ chars, as `featurize` adds them.

        The runs are `features.noun_runs` of every sentence, found at once from the morpheme
        arrays `_morph_units` just made: a morpheme is in a run when a run tag (not a suffix)
        stands at or before it with only touching run-tag morphemes between (`inrun[i] =
        starter[i] or link[i] and inrun[i - 1]`, solved per chain of links); only the forms are
        looked up in Python."""
        z = np.zeros((0, 3), dtype=np.int64)
        if self._flat is None:
            return z
        which, sid, S, E, _T, _first = self._flat
        begin, end = self._noun_run_bounds()
        s, e = S[begin], E[end]
        two = e - s >= 2
        begin, s, e = begin[two], s[two], e[two]
        if not len(begin):
            return z
        k = np.array(which, dtype=np.int64)[sid[begin]]
        units, nl = self._units, self.namelike
        forms = [texts[q][a:b] for q, a, b in zip(k.tolist(), s.tolist(), e.tolist(), strict=True)]
        us = list(map(units.get, forms))
        if None in us:
            for q, form in enumerate(forms):
                u = us[q] = units.get(form)
                if u is None:
                    top, *more = nl.features(form)  # type: ignore[union-attr]
                    u = us[q] = units[form] = [self._pool.add(self.ids([top, top + p, *more])) for p in "BIE"]
        u = np.array(us, dtype=np.int64)
        g, n = base[k] + s, e - s
        rows = np.stack([np.stack([g, np.ones_like(g), u[:, 0]], axis=1),
                         np.stack([g + 1, n - 2, u[:, 1]], axis=1),
                         np.stack([g + n - 1, np.ones_like(g), u[:, 2]], axis=1)], axis=1)  # (runs, B/I/E, 3)
        keep = np.ones((len(g), 3), dtype=bool)
        keep[:, 1] = n > 2
        return rows[keep]

    def _noun_run_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(first, last) morpheme index in `self._flat` of every noun run (`features.noun_runs`),
        found at once (see `_namelike_segments`); memoised per `_morph_units` call."""
        flat = self._flat
        cached = self._runs_of
        if cached is not None and cached[0] is flat:
            return cached[1]
        _which, _sid, S, E, T, first = flat  # type: ignore[misc]
        cls = self._tf_run_classes()[T]  # 1: a run tag, 2: a suffix (continues a run only), 0: none
        m = len(S)
        link = np.zeros(m, dtype=bool)
        link[1:] = (cls[1:] > 0) & (S[1:] == E[:-1])
        link &= ~first
        idx = np.arange(m, dtype=np.int64)
        chain_start = np.maximum.accumulate(np.where(link, 0, idx))
        inrun = np.maximum.accumulate(np.where(cls == 1, idx, -1)) >= chain_start
        cont = np.zeros(m, dtype=bool)
        cont[1:] = link[1:] & inrun[:-1]
        ends = inrun.copy()
        ends[:-1] &= ~cont[1:]
        out = np.flatnonzero(inrun & ~cont), np.flatnonzero(ends)
        self._runs_of = (flat, out)
        return out

    def _runctx_family(self, texts: Sequence[str], spans: Sequence[list[Morph] | None], cp: np.ndarray,
                       base: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray] | None:
        """`runctx` (`features.run_context` of every text, as `_context_family` scores them) from the
        batch's noun runs in numpy: per run its last char (`rs1=`), last two (`rs2=`, 2+ chars) and
        the morpheme after it when it touches or follows one space (`ra=`), coded as integers; only
        the distinct codes build their strings (exactly as `run_context` does) and get a pool id
        through the same `_units` as `_context_family`."""
        flat = self._flat if self.kiwi else None
        if flat is None:
            return None
        which, sid, S, E, T, first = flat
        begin, end = self._noun_run_bounds()
        if not len(begin):
            return None
        k = np.array(which, dtype=np.int64)[sid[begin]]
        s, e = S[begin], E[end]
        if (e <= s).any():  # an empty run (zero-length morphemes): the strings' path, as before
            return self._context_family([run_context(t, sp) if sp else () for t, sp in
                                         zip(texts, spans, strict=True)], base, total)
        g_s, g_e = base[k] + s, base[k] + e
        c1 = cp[g_e - 1]
        c2 = np.where(e - s >= 2, cp[np.maximum(g_e - 2, 0)] + 1, 0)
        m = len(S)
        nxt = np.minimum(end + 1, m - 1)
        has_next = (end + 1 < m) & ~first[nxt]
        a = S[nxt]
        touch = a <= e
        spaced = (a == e + 1) & (cp[np.minimum(g_e, total - 1)] == 32)  # a = e + 1 < the text's length
        ra_kind = self._tf_ra_kinds()[T[nxt]]  # 1: a particle (J…), 2: a noun (NN…), 0: neither
        ra = np.where(has_next & (touch | spaced) & (ra_kind > 0), T[nxt] * 2 + spaced + 1, 0)
        # (rs2 char + 1, rs1 char, ra) in one int64: 21 + 21 + 21 bits (ra < 2 * the interned (tag, form)s + 2)
        code = (((c2 << 21) | c1) << 21) | ra
        uniq, inv = np.unique(code, return_inverse=True)
        units, pool, tf_keys, known = self._units, self._pool, self._tf_keys, self._runctx_pids
        pids = []
        for q in uniq.tolist():
            pid = known.get(q)
            if pid is not None:
                pids.append(pid)
                continue
            cc, rr = q >> 21, q & 0x1FFFFF
            last, prev = chr(cc & 0x1FFFFF), cc >> 21
            f = ["rs1=" + last]
            if prev:
                f.append("rs2=" + chr(prev - 1) + last)
            if rr:
                tag, form = tf_keys[(rr - 1) >> 1]
                if tag.startswith("J"):
                    f.append("ra=J" + form)
                else:
                    f.append("ra=" + ("_" if (rr - 1) & 1 else "") + (form if len(form) <= 3 else "_"))
            key = ("\x00ctx", *f)
            u = units.get(key)
            if u is None:
                u = units[key] = [pool.add(self.ids(f))]
            pids.append(u[0])
            known[q] = u[0]
        pid = np.array(pids, dtype=np.int64)[inv.ravel()]
        rows = np.stack([g_s, e - s, pid], axis=1)
        return self._segment_family(rows, 3, total)[:2]

    def _tf_ra_kinds(self) -> np.ndarray:
        """Per interned (tag, form): 1 for a particle tag (`J…`), 2 for a noun tag (`NN…`), else 0."""
        have = len(self._tf_ra)
        if have != len(self._tf_keys):
            more = np.array([1 if t.startswith("J") else 2 if t.startswith("NN") else 0 for t, _f in self._tf_keys[have:]],
                            dtype=np.int64)
            self._tf_ra = np.concatenate([self._tf_ra, more])
        return self._tf_ra

    def _tf_run_classes(self) -> np.ndarray:
        """Per interned (tag, form): 1 for a noun-run tag, 2 for a suffix (`XSN`), 0 otherwise."""
        have = len(self._tf_run)
        if have != len(self._tf_keys):
            more = np.array([(2 if t == "XSN" else 1) if t in _NOUN_RUN_TAGS else 0 for t, _f in self._tf_keys[have:]],
                            dtype=np.int64)
            self._tf_run = np.concatenate([self._tf_run, more])
        return self._tf_run

    def _unit_pid(self, u: list[int], p: int, key: tuple) -> int:
        full = ("SBIE"[p], *key, self.conj)
        pid = u[p] = self._pool.add(self.ids(_morph_feats(*full)))  # type: ignore[arg-type]
        return pid

    def _segment_family(self, segs: list[int] | np.ndarray, width: int, total: int
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(count per char, ids in char order, the chars, segment index per char, the segments) of
        pooled segments given flat, `width` numbers each (first char, length, pool id, ...)."""
        arr = segs if isinstance(segs, np.ndarray) else np.array(segs, dtype=np.int64).reshape(-1, width)
        starts, slen = arr[:, 0], arr[:, 1]
        chars = _expand(starts, slen)
        seg_of = np.repeat(np.arange(len(arr), dtype=np.int64), slen)
        pid = arr[seg_of, 2]
        off = self._pool.off[pid]
        ln = self._pool.len[pid]
        ids = self._pool.flat[_expand(off, ln)]
        if len(chars) > 1 and (np.diff(chars) <= 0).any():  # overlapping runs (morphemes out of order)
            owner = np.repeat(chars, ln)
            return np.bincount(owner, minlength=total), ids[np.argsort(owner, kind="stable")], chars, seg_of, arr
        count = np.zeros(total, dtype=np.int64)
        count[chars] = ln
        return count, ids, chars, seg_of, arr

    def _cached_ids(self, strings: list[str] | tuple[str, ...]) -> list[int]:
        key = tuple(strings)
        hit = self._row_cache.get(key)
        if hit is None:
            hit = self._row_cache[key] = tuple(self.ids(strings))
        return list(hit)

    def _gazetteer_rows(self, texts: Sequence[str], big: str, cps: np.ndarray, ctypes: np.ndarray,
                        alnum: np.ndarray, base: np.ndarray) -> dict[int, list[int]]:
        """`gazetteer_tags` for all texts: candidate (start, length) pairs from the forms' hashes
        (vectorised), each checked against the dict, then `gazetteer_tags`' own per-start rules."""
        gaz = self.gazetteer
        real = np.ones(len(big), dtype=bool)
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        offs = np.concatenate([[0], np.cumsum(lens + 4)[:-1]]).astype(np.int64)  # each text's padded start
        for d in (0, 1):
            real[offs + d] = False
            real[offs + lens + 2 + d] = False
        start = np.flatnonzero(real)
        # a form must start at a word or script boundary (the text's first char always may)
        prev = start - 1
        ok = ~(alnum[prev] & (ctypes[prev] == ctypes[start]) & real[prev])
        start = start[ok]
        first = self._gaz_first
        if len(first):
            start = start[first.get(cps[start], 0).astype(bool)]
        if not len(start):
            return {}
        ext = np.concatenate([cps, np.zeros(MAX_LEN, dtype=np.int64)]).astype(np.uint64)
        h = ext[start].copy()
        hits_s: list[np.ndarray] = []
        hits_l: list[np.ndarray] = []
        with np.errstate(over="ignore"):
            for ln in range(2, MAX_LEN + 1):
                h = h * _P + ext[start + ln - 1]
                table = self._gaz_hash.get(ln)
                if table is not None and len(table):
                    m = table.get(h.view(np.int64), 0).astype(bool)
                    if m.any():
                        hits_s.append(start[m])
                        hits_l.append(np.full(int(m.sum()), ln, dtype=np.int64))
                # only starts whose first `ln` chars begin some form can match a longer one (a trie
                # walk: the candidates shrink with every length; a hash collision only keeps one more)
                pre = self._gaz_prefix.get(ln)
                if pre is None or not len(pre):
                    break
                keep = pre.get(h.view(np.int64), 0).astype(bool)
                start, h = start[keep], h[keep]
                if not len(start):
                    break
        if not hits_s:
            return {}
        hs = np.concatenate(hits_s)
        hl = np.concatenate(hits_l)
        order = np.lexsort((-hl, hs))  # by start, longest first
        hs, hl = hs[order], hl[order]
        sent = np.searchsorted(offs, hs, side="right") - 1
        local = hs - offs[sent] - 2
        out: dict[int, list[int]] = {}
        groups: dict[int, list[tuple[int, int]]] = {}
        for k, s, ln in zip(sent.tolist(), local.tolist(), hl.tolist(), strict=True):
            groups.setdefault(k, []).append((s, ln))
        for k, cand in groups.items():
            text = texts[k]
            b0 = int(base[k])
            for i, f in match_features(text, cand, gaz, MAX_LEN, self.gazlen, self.gazdist).items():
                out[b0 + i] = self._cached_ids(f)
        return out

    def _cong_rows(self, spans: Sequence[list[Morph] | None], base: np.ndarray) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        cong = self.cong
        for k, sp in enumerate(spans):
            if not sp:
                continue
            b0 = int(base[k])
            for s, e, tag, form in sp:
                label = cong.get(form) if tag == "NNP" else None  # type: ignore[union-attr]
                if label is not None:
                    for i in range(s, e):
                        out.setdefault(b0 + i, []).extend(self._cached_ids([label, label + ("B" if i == s else "I")]))
        return out

    # ----------------------------------------------------------------------------------------------


def _tf_strings(tag: str, form: str) -> list[str | None]:
    """The `_morph_feats` strings one (tag, form) contributes, as itself or as a neighbour:
    p, pp (S B I E), ne, nf, pb, pf, m (None when absent), pm, nm."""
    short = _short(form)
    return [f"p={tag}", *(f"pp={q}{tag}" for q in "SBIE"), f"ne={tag}", f"nf={short}", f"pb={tag}", f"pf={short}",
            f"m={form}" if len(form) <= 4 and not tag.startswith("NNP") else None, f"pm={short}/{tag}",
            f"nm={short}/{tag}"]


def _pt_string(prev_tag: str, tag: str) -> str:
    return f"pt={prev_tag}|{tag}"


def _nt_string(tag: str, next_tag: str) -> str:
    return f"nt={tag}|{next_tag}"


def _decomposed_strings(p: str, tag: str, form: str, prev_tag: str, prv: str, next_tag: str, nxt: str,
                        conj: bool) -> list[str]:
    """`_morph_feats` rebuilt from `_tf_strings` and the tag pairs, in the order `_decomposed_ids`
    emits them: equal lists on the probes at start-up, or the decomposed path is not used."""
    cur, before, after = _tf_strings(tag, form), _tf_strings(prev_tag, prv), _tf_strings(next_tag, nxt)
    out = [cur[0], cur[1 + "SBIE".index(p)], _pt_string(prev_tag, tag), _nt_string(tag, next_tag)]
    if p in "ES":
        out += [after[5], after[6]]
    if p in "BS":
        out += [before[7], before[8]]
    if cur[9] is not None:
        out.append(cur[9])
    if conj:
        out += [before[10], after[11]]
    return out  # type: ignore[return-value]


def decomposition_holds() -> bool:
    """Whether `_decomposed_strings` equals `_morph_feats` on a grid of probes covering its branches
    (positions, proper nouns, titles, short/long forms, sentence edges, conj on/off)."""
    from itertools import product

    from analytics.nlp.entities.base import TITLES

    pairs = [(t, f) for t in ("NNG", "NNP", "NNB", "JKS", "XSN", "SL", "BOS", "EOS")
             for f in ("", "가", "가나", "가나다", "가나다라", "가나다라마", "CEO", TITLES[0], "씨")]
    side = pairs[::5]
    for (tag, form), p, conj in product(pairs, "SBIE", (False, True)):
        for (pt, pf), (nt, nf) in zip(side, side[::-1], strict=True):
            if _morph_feats(p, tag, form, pt, pf, nt, nf, conj) != _decomposed_strings(p, tag, form, pt, pf, nt, nf, conj):
                return False
    return True


def _chunks(lens: list[int], size: int) -> list[tuple[int, int]]:
    """Consecutive index ranges of about `size` characters (whole sentences)."""
    out, lo, acc = [], 0, 0
    for i, n in enumerate(lens):
        acc += n
        if acc >= size:
            out.append((lo, i + 1))
            lo, acc = i + 1, 0
    if lo < len(lens):
        out.append((lo, len(lens)))
    return out


def _add_rows(families: list[tuple[np.ndarray, np.ndarray]], rows: dict[int, list[int]], total: int) -> None:
    """Append a per-character family given as {char: its ids} (chars without ids absent) as
    (ids per char, the ids in char order)."""
    if rows:
        chars = sorted(rows)
        count = np.zeros(total, dtype=np.int64)
        count[chars] = [len(rows[c]) for c in chars]
        families.append((count, np.array([x for c in chars for x in rows[c]], dtype=np.int64)))


def _owned_ranges(sp: list[Morph], n: int) -> list[tuple[int, int, int]]:
    """(morpheme index, first, end) of the chars each morpheme owns: the first one covering a char."""
    out = []
    owner = [-1] * n
    for j, (s, e, _t, _f) in enumerate(sp):
        for i in range(s, e):
            if owner[i] < 0:
                owner[i] = j
    i = 0
    while i < n:
        j = owner[i]
        if j < 0:
            i += 1
            continue
        k = i
        while k < n and owner[k] == j:
            k += 1
        out.append((j, i, k))
        i = k
    return out
