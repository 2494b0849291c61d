"""User-editable vocabulary applied at QUERY time: stopwords and aliases.

Analysis stores raw normalised terms; queries map them through `canonical` and drop user
stopwords, so an edit here recounts every chart without re-analysing a single article.
Files: `stopwords_user.txt` (one term a line, `#` comments) and `aliases.csv` (variant,canonical).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

__all__ = ["canonical", "load_aliases", "load_stopwords", "save_aliases", "save_stopwords"]

STOPWORDS_FILE = "stopwords_user.txt"
ALIASES_FILE = "aliases.csv"
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


def save_stopwords(directory: Path, words: set[str] | list[str]) -> None:
    """Write the stopword file (sorted, with its explanatory header); rejects empty entries."""
    clean = []
    for w in words:
        term = str(w).strip()
        if not term:
            raise ValueError("불용어가 비어 있습니다 (empty stopword)")
        if "#" in term or "\n" in term:
            raise ValueError(f"불용어에 '#' 또는 줄바꿈을 넣을 수 없습니다: {term!r}")
        clean.append(term)
    path = Path(directory) / STOPWORDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_HEADER + "".join(f"{w}\n" for w in sorted(set(clean))), encoding="utf-8")


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
    """Validate, then write aliases.csv sorted by canonical and variant."""
    clean = {str(v).strip(): str(c).strip() for v, c in aliases.items()}
    validate_aliases(clean)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["variant", "canonical"])
    for v, c in sorted(clean.items(), key=lambda vc: (vc[1], vc[0])):
        writer.writerow([v, c])
    path = Path(directory) / ALIASES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")


def canonical(term: str, aliases: dict[str, str]) -> str:
    """The canonical form of a term: exact variant first, then the space-free form (4차산업혁명)."""
    if term in aliases:
        return aliases[term]
    squeezed = term.replace(" ", "")
    for variant, canon in aliases.items():
        if variant.replace(" ", "") == squeezed:
            return canon
    return term
