"""User-editable vocabulary applied at QUERY time: stopwords and aliases.

Analysis stores raw normalised terms; queries map them through `canonical` and drop user
stopwords, so an edit here recounts every chart without re-analysing a single article.
Files: `stopwords_user.txt` (one term a line, `#` comments) and `aliases.csv` (variant,canonical).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["canonical", "load_aliases", "load_stopwords", "save_aliases", "save_stopwords", "validate_term"]

STOPWORDS_FILE = "stopwords_user.txt"
ALIASES_FILE = "aliases.csv"
EDIT_LOG = "lexicon_edits.jsonl"  # one JSON line per saved edit: time, file, entries added and removed
MAX_TERM_CHARS = 40  # longer than any term the analysis produces (a compound noun phrase)
MAX_ENTRIES = 5000
TERM_PUNCTUATION = set(".·&'-_/+ ")  # A.I., K-팝, R&D, C++, 4차 산업혁명; nothing markdown or HTML uses
log = logging.getLogger("tm.lexicon")
_HEADER = (
    "# User stopwords, applied at QUERY time (edit and every chart recounts; no re-analysis).\n"
    "# One term per line, exactly as shown in the dashboard; '#' starts a comment. May be empty.\n"
)


def load_stopwords(directory: Path) -> set[str]:
    """The user's stopwords; a missing file means none."""
    path = Path(directory) / STOPWORDS_FILE
    if not path.exists():
        return set()
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {w for w in words if w}


def validate_term(term: str, what: str = "단어") -> str:
    """A term typed by a user, or ValueError saying why not (Korean + English).

    At most MAX_TERM_CHARS characters of letters, digits, marks, single spaces and TERM_PUNCTUATION,
    starting with a letter or digit: no control characters, markup (`[]()<>*#|`), or a leading
    `= + - @` that a spreadsheet would read as a formula."""
    t = unicodedata.normalize("NFC", str(term)).strip()
    if not t:
        raise ValueError(f"{what}가 비어 있습니다 (empty {what})")
    if len(t) > MAX_TERM_CHARS:
        raise ValueError(f"{what}가 너무 깁니다: {len(t)}자 > {MAX_TERM_CHARS}자 (too long): {t[:20]!r}…")
    if "  " in t:
        raise ValueError(f"{what}에 연속된 공백이 있습니다 (double space): {t!r}")
    if unicodedata.category(t[0])[0] not in "LN":
        raise ValueError(f"{what}는 글자나 숫자로 시작해야 합니다 (must start with a letter or digit): {t!r}")
    bad = sorted({ch for ch in t if unicodedata.category(ch)[0] not in "LNM" and ch not in TERM_PUNCTUATION})
    if bad:
        shown = " ".join(repr(ch) for ch in bad[:5])
        raise ValueError(f"{what}에 쓸 수 없는 문자가 있습니다 (characters not allowed): {shown} in {t!r}")
    return t


def _log_edit(directory: Path, file: str, before: set, after: set) -> None:
    """Append what an edit added and removed, with the time, to the edit log (and the app log)."""
    added, removed = sorted(after - before), sorted(before - after)
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "file": file,
             "added": added, "removed": removed}
    with (Path(directory) / EDIT_LOG).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    log.info("lexicon edit %s: %d added, %d removed", file, len(added), len(removed))


def save_stopwords(directory: Path, words: set[str] | list[str]) -> None:
    """Write the stopword file (sorted, with its explanatory header) after validating every
    entry (`validate_term`); the edit is logged with its time."""
    words = list(words)
    if len(words) > MAX_ENTRIES:
        raise ValueError(f"불용어가 너무 많습니다: {len(words)} > {MAX_ENTRIES} (too many stopwords)")
    clean = {validate_term(w, "불용어") for w in words}
    before = load_stopwords(directory)
    path = Path(directory) / STOPWORDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_HEADER + "".join(f"{w}\n" for w in sorted(clean)), encoding="utf-8")
    _log_edit(directory, STOPWORDS_FILE, before, clean)


def load_aliases(directory: Path) -> dict[str, str]:
    """variant -> canonical from aliases.csv (validated as on save); a missing file means none."""
    path = Path(directory) / ALIASES_FILE
    if not path.exists():
        return {}
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if rows and not {"variant", "canonical"} <= set(rows[0]):
        raise ValueError(f"{path}: columns must be variant,canonical")
    aliases = {(r["variant"] or "").strip(): (r["canonical"] or "").strip() for r in rows}
    validate_aliases(aliases)
    return aliases


def validate_aliases(aliases: dict[str, str]) -> None:
    """Reject empty sides, self-maps and chains/cycles (a canonical must not itself be a variant)."""
    for variant, canon in aliases.items():
        if not variant or not canon:
            raise ValueError(f"별칭의 양쪽이 모두 필요합니다 (empty alias side): {variant!r} -> {canon!r}")
        if variant == canon:
            raise ValueError(f"자기 자신으로의 별칭입니다 (alias maps to itself): {variant!r}")
    for variant, canon in aliases.items():
        if canon in aliases:
            seen, cur = [variant], canon
            while cur in aliases and cur not in seen:
                seen.append(cur)
                cur = aliases[cur]
            kind = "순환 (cycle)" if cur in seen else "연쇄 (chain)"
            path = " -> ".join([*seen, cur])
            raise ValueError(f"별칭 {kind}: {path}; 대표어는 다른 별칭의 변형일 수 없습니다")


def save_aliases(directory: Path, aliases: dict[str, str]) -> None:
    """Validate (every side by `validate_term`, then no self-maps, chains or cycles), write
    aliases.csv sorted by canonical and variant, and log the edit with its time."""
    if len(aliases) > MAX_ENTRIES:
        raise ValueError(f"별칭이 너무 많습니다: {len(aliases)} > {MAX_ENTRIES} (too many aliases)")
    clean = {validate_term(v, "변형어"): validate_term(c, "대표어") for v, c in aliases.items()}
    validate_aliases(clean)
    try:
        before = {f"{v} -> {c}" for v, c in load_aliases(directory).items()}
    except ValueError:  # a broken file is being replaced: everything in it counts as removed
        before = set()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["variant", "canonical"])
    for v, c in sorted(clean.items(), key=lambda vc: (vc[1], vc[0])):
        writer.writerow([v, c])
    path = Path(directory) / ALIASES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    _log_edit(directory, ALIASES_FILE, before, {f"{v} -> {c}" for v, c in clean.items()})


def canonical(term: str, aliases: dict[str, str]) -> str:
    """The canonical form of a term: exact variant first, then the space-free form (4차산업혁명)."""
    if term in aliases:
        return aliases[term]
    squeezed = term.replace(" ", "")
    for variant, canon in aliases.items():
        if variant.replace(" ", "") == squeezed:
            return canon
    return term
