"""Dates as scraped pages and exports write them, with their precision."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_YM = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[.\-/년]\s*(\d{1,2})\s*월?(?![\d.])")
_EN = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})[.,]?\s+((?:19|20)\d{2})\b")
_Y = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*년?(?!\d)")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(value: object) -> tuple[date | None, str]:
    """(date, precision) from a cell or string; precision is day / month / year / unknown."""
    if value is None:
        return None, "unknown"
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 < value < 10**9:  # also NaN and inf: not a year or yyyymmdd
            return None, "unknown"
        value = str(int(value))
    s = str(value).strip()
    if not s:
        return None, "unknown"
    for rx in (_YMD, _COMPACT):
        m = rx.search(s)
        if m and (d := _safe(int(m[1]), int(m[2]), int(m[3]))):
            return d, "day"
    m = _EN.search(s)
    if m and m[1].lower() in MONTHS and (d := _safe(int(m[3]), MONTHS[m[1].lower()], int(m[2]))):
        return d, "day"
    m = _YM.search(s)
    if m and 1 <= int(m[2]) <= 12:
        return date(int(m[1]), int(m[2]), 1), "month"
    m = _Y.fullmatch(s) or (_Y.search(s) if len(s) <= 6 else None)
    if m:
        return date(int(m[1]), 1, 1), "year"
    return None, "unknown"
