"""A manifest CSV that overrides or fills metadata per file (the sample corpus ships one).

Columns: file, title, source, author, published, date_precision, url, and optional
`<field>_status` columns (stated / estimated / unknown) saying where each value came from.
An empty cell means unknown and leaves what the text states.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analytics.ingest.dates import parse_date
from analytics.ingest.records import RawArticle

FIELDS = ("title", "source", "author", "published", "url")


def load_manifest(path: Path) -> dict[str, dict[str, str]]:
    """file name -> row (keys stripped, empty cells dropped)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and "file" not in rows[0]:
        raise ValueError(f"manifest {path} needs a 'file' column")
    return {r["file"].strip(): {k.strip(): (v or "").strip() for k, v in r.items() if k and (v or "").strip()}
            for r in rows if r.get("file")}


def find_manifest(folder: Path) -> Path | None:
    cand = folder / "manifest.csv"
    return cand if cand.is_file() else None


def apply_manifest(art: RawArticle, row: dict[str, str]) -> RawArticle:
    for field in FIELDS:
        value = row.get(field)
        if not value:
            continue
        status = row.get(f"{field}_status", "manifest")
        if field == "published":
            d, precision = parse_date(value)
            if d is None:
                continue
            art.published, art.date_precision = d, row.get("date_precision") or precision
        else:
            setattr(art, field, value)
        art.provenance[field] = status
    return art
