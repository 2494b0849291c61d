"""How much a word looks like a person, organisation or place name: a character-bigram naive
Bayes over the konne forms, for names the gazetteer does not hold.

The gazetteer only knows forms seen in konne; this model generalises them by spelling (`곽지민`
reads as a Korean full name, `샤를리즈` as a transliterated given name, `…위원회` as a body, `…시`
as a place). Classes: PS, OG, LC and X (every other konne label: works, artefacts, terms, ...). A fifth class
of Kiwi's 30,000 most frequent common nouns was tried and lost 0.003 F1 (KLUE 5-fold): Kiwi's
nouns include many bodies and places (`전력거래소`, `북촌`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from pathlib import Path

CLASSES = ("PS", "OG", "LC", "X")
_ALPHA = 0.5


class NameLike:
    """Posterior class of a form from its boundary-marked character bigrams (`^곽 곽지 지민 민$`)."""

    def __init__(self, counts: dict[str, tuple[int, ...]], forms: tuple[int, ...]) -> None:
        totals = [sum(c[k] for c in counts.values()) for k in range(len(CLASSES))]
        vocab = len(counts) + 1
        self._unseen = tuple(math.log(_ALPHA / (t + _ALPHA * vocab)) for t in totals)
        self._logp = {bg: tuple(math.log((c[k] + _ALPHA) / (totals[k] + _ALPHA * vocab)) for k in range(len(CLASSES)))
                      for bg, c in counts.items()}
        n = sum(forms)
        self._prior = tuple(math.log(f / n) if f else -math.inf for f in forms)
        self._cache: dict[str, tuple[str, ...]] = {}

    def posterior(self, form: str) -> list[float]:
        """P(class | spelling) for each of `CLASSES`."""
        scores = list(self._prior)
        logp, unseen = self._logp, self._unseen
        s = "^" + form + "$"
        for i in range(len(s) - 1):
            lp = logp.get(s[i:i + 2], unseen)
            for k in range(len(scores)):
                scores[k] += lp[k]
        top = max(scores)
        ex = [math.exp(v - top) for v in scores]
        z = sum(ex)
        return [v / z for v in ex]

    def features(self, form: str) -> tuple[str, ...]:
        """`nl=PS3` (the most likely class, its posterior times 5 rounded down: 1-4) and `nlOG=1` for each
        other class holding at least 20 % (cached per form)."""
        f = self._cache.get(form)
        if f is None:
            if len(self._cache) >= 200_000:
                self._cache.clear()
            post = self.posterior(form)
            k = post.index(max(post))
            f = self._cache[form] = (f"nl={CLASSES[k]}{int(post[k] * 4.999)}", *(
                f"nl{c}={int(p * 4.999)}" for j, (c, p) in enumerate(zip(CLASSES, post, strict=True)) if j != k and p >= 0.2))
        return f


def compile_namelike(konne: Path) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """konne form/label counts -> bigram counts per class (each form counted once, under the
    class most of its uses carry) and the number of forms per class."""
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    with open(konne, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[2].isdigit() and len(parts[0].strip()) >= 2:
                lab = parts[1][:2]
                uses[parts[0].strip()][lab if lab in CLASSES else "X"] += int(parts[2])
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(CLASSES))
    forms = [0] * len(CLASSES)
    for form, c in uses.items():
        k = CLASSES.index(c.most_common(1)[0][0])
        forms[k] += 1
        s = "^" + form + "$"
        for i in range(len(s) - 1):
            counts[s[i:i + 2]][k] += 1
    return {bg: tuple(c) for bg, c in counts.items()}, tuple(forms)


def write_namelike(table: tuple[dict[str, tuple[int, ...]], tuple[int, ...]], path: Path) -> None:
    counts, forms = table
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# character bigram<TAB>PS<TAB>OG<TAB>LC<TAB>X form counts, compiled from konne train"
                 " form/label counts (CC BY-SA 4.0); ^ and $ mark the word's edges\n")
        fh.write("\t".join(["#forms", *map(str, forms)]) + "\n")
        for bg in sorted(counts):
            fh.write("\t".join([bg, *map(str, counts[bg])]) + "\n")


def load_namelike(path: Path) -> NameLike:
    counts: dict[str, tuple[int, ...]] = {}
    forms: tuple[int, ...] = (1,) * len(CLASSES)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "#forms":
                forms = tuple(int(x) for x in parts[1:])
            elif not line.startswith("#") and len(parts) == len(CLASSES) + 1:
                counts[parts[0]] = tuple(int(x) for x in parts[1:])
    return NameLike(counts, forms)
