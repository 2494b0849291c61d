"""The filter flags shared by CLI commands that read the store (report, alerts) -> a Filters value.

The same choices as the dashboard sidebar: sources, years (or a date range), keyword query,
unique stories."""

from __future__ import annotations

import argparse
from datetime import date

from analytics.config import UNKNOWN
from analytics.filters import Filters, parse_tree


def add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", action="append", default=[], metavar="S", help="a source (repeatable)")
    p.add_argument("--year", action="append", default=[], metavar="Y", help=f"a year or {UNKNOWN} (repeatable)")
    p.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--q", default="", help='keyword query, e.g. "백신 AND 접종" (same syntax as the sidebar)')
    p.add_argument("--unique", action="store_true", help="unique stories only")


def _day(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{flag} takes a date YYYY-MM-DD, not {text!r}") from exc


def filters_from_args(args: argparse.Namespace) -> Filters:
    """A Filters value; ValueError with the flag's name on a bad year, date or query."""
    years: list[int | str] = []
    for y in args.year:
        if y == UNKNOWN:
            years.append(UNKNOWN)
        elif str(y).isdigit():
            years.append(int(y))
        else:
            raise ValueError(f"--year takes a year or {UNKNOWN}, not {y!r}")
    d0, d1 = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if d0 and d1 and d0 > d1:
        raise ValueError("--from is after --to")
    if (d0 or d1) and years:
        raise ValueError("use either --year or --from/--to, not both")
    parse_tree(args.q)  # a syntax error is reported before any work
    return Filters(sources=tuple(args.source), years=tuple(years), date_from=d0, date_to=d1,
                   query=args.q.strip(), unique_stories=bool(args.unique))
