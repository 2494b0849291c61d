"""The vocabulary of the synthetic corpora: real Korean terms and entity names with their counts.

Derived once from the shared corpora (`python -m analytics.synth_vocab`, writes
`data/synth/vocab.tsv`); only the derived counts are committed, never the texts:
- our own tokenizer (`analytics.nlp.tokenize.sentence_units`, the analysis' content units) over
  the BIG Kinds export's titles and 200-character excerpts and the KLUE-NER dev sentences;
- BIG Kinds' own keyword column (키워드: its nouns of each *full* article, repeats kept), which
  carries the counts of full-length news;
- the konne gazetteer (entity forms with their KLUE train frequency), typed PS / OG / LC.
The generator (analytics/synth.py) orders each list by count and draws from it with a Zipf law,
so the counts here fix the ranks, not the probabilities.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from analytics.config import ROOT

VOCAB_FILE = ROOT / "data" / "synth" / "vocab.tsv"
SHARED = ROOT.parent / "shared" / "datasets"
BIGKINDS = SHARED / "bigkinds" / "NewsResult_20210201-20210228.xlsx"
KLUE = SHARED / "ner" / "klue-ner-v1.1_dev-part.tsv"
KONNE = SHARED / "ner" / "konne_train_form_label_freq.tsv"
ENTITY_KINDS = ("PS", "OG", "LC")
_MARKUP = re.compile(r"<([^<>:]+):[A-Z]{2}>")
_NUMERIC = re.compile(r"^[0-9.,~%]+[가-힣A-Za-z]{0,2}$")  # 2만, 6.5%, 300명: amounts, not vocabulary


def _klue_sentences(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## klue-ner"):
            out.append(_MARKUP.sub(r"\1", line.split("\t", 1)[1]))
    return out


def derive(bigkinds: Path = BIGKINDS, klue: Path = KLUE, konne: Path = KONNE) -> tuple[Counter, dict[str, Counter]]:
    """(term counts, {PS/OG/LC: form counts}) from the shared corpora."""
    import pandas as pd

    from analytics.nlp.tokenize import analyze_batch, sentence_units

    bk = pd.read_excel(bigkinds, dtype=str).fillna("")
    texts = [t for t in list(bk["제목"]) + list(bk["본문"]) + _klue_sentences(klue) if t.strip()]
    terms: Counter = Counter()
    for sents in analyze_batch(texts):
        for s in sents:
            terms.update(u.term for u in sentence_units(s))
    for cell in bk["키워드"]:
        terms.update(w.strip() for w in cell.split(","))
    from analytics.nlp.keywords import news_stopwords

    stop = news_stopwords()  # removed at analysis time: never in a stored term list
    terms = Counter({t: k for t, k in terms.items()
                     if len(t) >= 2 and t not in stop and not _NUMERIC.match(t) and "\t" not in t})
    ents: dict[str, Counter] = {k: Counter() for k in ENTITY_KINDS}
    by_form: dict[str, Counter] = {}
    for line in konne.read_text(encoding="utf-8").splitlines()[1:]:
        form, label, freq = line.split("\t")
        kind = label[:2]
        if kind in ENTITY_KINDS and len(form) >= 2 and "\t" not in form and form.strip() == form:
            by_form.setdefault(form, Counter())[kind] += int(freq)
    for form, kinds in by_form.items():
        kind, freq = kinds.most_common(1)[0]
        ents[kind][form] = freq
    return terms, ents


def write(path: Path = VOCAB_FILE) -> None:
    terms, ents = derive()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# term<TAB>kind<TAB>count. Derived by analytics/synth_vocab.py: term counts from our tokenizer over the "
                 "BIG Kinds export (titles, excerpts; GitHub dataminds/textminds, LGPL-2.1, texts of the outlets) "
                 "and KLUE-NER dev sentences (CC BY-SA 4.0) plus the BIG Kinds keyword column; entity forms (PS/OG/LC) "
                 "with konne train counts (CC BY-SA 4.0). This list is CC BY-SA 4.0 (attribution: KLUE, konne).\n")
        for term, k in sorted(terms.items(), key=lambda x: (-x[1], x[0])):
            fh.write(f"{term}\tterm\t{k}\n")
        for kind in ENTITY_KINDS:
            for form, k in sorted(ents[kind].items(), key=lambda x: (-x[1], x[0])):
                fh.write(f"{form}\t{kind}\t{k}\n")
    print(f"{len(terms)} terms, " + ", ".join(f"{len(ents[k])} {k}" for k in ENTITY_KINDS) + f" -> {path}",
          file=sys.stderr)


def load(path: Path = VOCAB_FILE) -> dict[str, list[str]]:
    """{"term": [...], "PS": [...], "OG": [...], "LC": [...]}, each most frequent first."""
    out: dict[str, list[str]] = {"term": [], **{k: [] for k in ENTITY_KINDS}}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            term, kind, _ = line.rstrip("\n").split("\t")
            out[kind].append(term)
    return out


if __name__ == "__main__":
    write()
