"""One registry of settings with defaults and help text (documented in docs/ARCHITECTURE.md).

Each setting can be overridden by an environment variable `TM_<NAME>` (upper case).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN = "미상"  # shown for any unknown source, date or author


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("store", str(ROOT / "data" / "store"), "Directory holding the Delta Lake tables."),
    Setting("articles_dir", str(ROOT / "data" / "articles"), "Bundled sample corpus ingested by `make run`."),
    Setting("lexicon_dir", str(ROOT / "data" / "lexicon"), "Stopword and alias files applied at query time."),
    Setting("upload_dir", str(ROOT / "data" / "uploads"), "Where dashboard uploads are saved under generated names."),
    Setting("max_upload_mb", 200, "Largest accepted upload (also in .streamlit/config.toml)."),
    Setting("max_file_mb", 100, "Largest single file read by ingest; larger files become a problem entry."),
    Setting("zip_max_total_mb", 1024, "Largest total uncompressed size of a zip archive."),
    Setting("zip_max_ratio", 200, "Largest compression ratio of a zip entry (zip-bomb guard)."),
    Setting("zip_max_entries", 100_000, "Most entries read from one zip archive."),
    Setting("batch_size", 256, "Articles per analysis batch sent to one worker (results are committed every 2,000 articles)."),
    Setting("workers", 0, "Analysis worker processes; 0 means one per core."),
    Setting("sentiment_model", "analytics.nlp.sentiment:ShippedSentimentModel", "SentimentModel class (module:Class)."),
    Setting("query_cache", "", "Folder for per-snapshot query tables (DuckDB files); empty = $TMPDIR/tm-query-cache."),
    Setting("query_memory", "400MB", "DuckDB memory limit of the dashboard's query connection."),
    Setting("query_build_memory", "1GB", "DuckDB memory limit while building a snapshot's query tables."),
    Setting("sentence_scope_articles", 1000, "Related words in the same sentence: only the most recent N matching articles are read."),
    Setting("near_dup_jaccard", 0.6, "Estimated Jaccard similarity (MinHash, character 4-shingles) at or above which two articles form one story."),
    Setting("read_only", False, "Dashboard read-only mode (1 = no uploads, no stopword or alias edits)."),
    Setting("write_token", "", "Token that unlocks dashboard write actions (uploads, lexicon edits); empty = none."),
    Setting("write_token_file", "", "File holding the write token (first line); used when `write_token` is empty."),
)
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def get(name: str) -> object:
    """The value of a setting: environment override `TM_NAME`, else the default (cast to its type)."""
    for s in SETTINGS:
        if s.name == name:
            raw = os.environ.get(f"TM_{name.upper()}")
            if raw is None:
                return s.default
            if isinstance(s.default, bool):  # bool("0") is True: parse the usual spellings
                if raw.strip().lower() not in _TRUE | _FALSE:
                    raise ValueError(f"TM_{name.upper()} must be 1 or 0, not {raw!r}")
                return raw.strip().lower() in _TRUE
            return type(s.default)(raw)
    raise KeyError(name)


def store_dir() -> Path:
    return Path(str(get("store")))


def lexicon_dir() -> Path:
    return Path(str(get("lexicon_dir")))
