"""Which proper nouns Kiwi's CoNg embedding places among organisations or places, read from a table.

`words.neighbour_type` asks Kiwi for a one-word person name's nearest proper nouns
(`most_similar_morphemes`, a brute-force search of the model's vectors: ~1 ms a known form) and
retypes the name when the gazetteer types most of them OG or LC (`도봉구`). On new text nearly every
name is new, so the search ran for each: 313 calls, ~13 % of the analysis after Kiwi on the written
sets' full bodies. The answer depends only on the form, Kiwi's model and the gazetteer, so it is
computed once for every proper noun in Kiwi's dictionary (`build`, ~2 min) and shipped as
`analytics/models/ner/neighbour_types.tsv` (the forms whose answer is OG or LC; every other form,
known or not, answers None). The table records the kiwipiepy and kiwipiepy_model versions and the
gazetteer's hash it was built with; with any other, `neighbour_type` falls back to the live search.

    python -m analytics.nlp.entities.neighbours   # rebuild the table
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "models" / "ner" / "neighbour_types.tsv"
GAZETTEER = TABLE.with_name("gazetteer.tsv")
DEFAULTS = (12, 4, 0.75)  # top_n, min_typed, min_share: the only arguments the table answers for


def _stamp() -> str:
    """kiwipiepy / kiwipiepy_model versions and the gazetteer's hash: what a table's answers depend on."""
    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"
    gaz = hashlib.sha256(GAZETTEER.read_bytes()).hexdigest()[:16] if GAZETTEER.exists() else "-"
    return f"kiwipiepy={ver('kiwipiepy')} kiwipiepy_model={ver('kiwipiepy_model')} gazetteer={gaz}"


@cache
def table() -> dict[str, str] | None:
    """form -> OG/LC of the shipped table, or None when it is missing or was built for another
    Kiwi model or gazetteer (the caller then searches live)."""
    if not TABLE.exists():
        return None
    with TABLE.open(encoding="utf-8") as fh:
        head = fh.readline().rstrip("\n")
        if head != "# " + _stamp():
            return None
        return dict(line.rstrip("\n").split("\t", 1) for line in fh if line.strip())


def proper_nouns() -> list[str]:
    """Every distinct NNP form of Kiwi's dictionary, in dictionary order."""
    from analytics.nlp.entities.recognizer import _get_kiwi

    kiwi = _get_kiwi()
    out: dict[str, None] = {}
    i = 0
    while True:
        try:
            m = kiwi.morpheme(i)
        except (ValueError, IndexError):
            break
        i += 1
        if m.tag == "NNP" and m.form:
            out.setdefault(m.form, None)
    return list(out)


def build(path: Path = TABLE) -> int:
    """Write the table: the live answer for every proper noun of Kiwi's dictionary (OG/LC rows only)."""
    from analytics.nlp.entities.words import _neighbour_type

    rows = [(form, t) for form in proper_nouns() if (t := _neighbour_type(form, *DEFAULTS)) is not None]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# " + _stamp() + "\n")
        fh.writelines(f"{form}\t{t}\n" for form, t in rows)
    table.cache_clear()
    return len(rows)


if __name__ == "__main__":  # pragma: no cover - a build step
    print(f"{build()} forms typed OG/LC -> {TABLE}", file=sys.stderr)
