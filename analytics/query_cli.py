"""`python -m analytics query NAME --store DIR [filters] [--arg KEY=VALUE]... [--json]`.

Runs the public query `analytics.queries.NAME` over one store snapshot for scripts and notebooks.
The sidebar's filters become one `Filters` value (passed as the query's `f`); `--arg` fills the
query's other keyword arguments, converted by the parameter's type: numbers for int/float
parameters (and for untyped values that look numeric), comma-separated values for tuple
parameters (`--arg terms=백신,접종`), `YYYY-MM-DD` for dates, true/false for flags. Output: one
JSON array of objects (dates as ISO strings, missing values as null) with `--json`, else a
readable table. An unknown query or argument raises ValueError (the CLI prints it, exit 2).
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import typing
from datetime import date, datetime
from pathlib import Path

from analytics.config import UNKNOWN

__all__ = ["add_query_command", "convert_arg", "query_names", "query_main", "run_query", "to_records"]

# public names of analytics.queries that are not queries over (corpus, filters)
_NOT_QUERIES = {"open_corpus", "parse_query", "lexicon_key", "reload_lexicon", "Corpus"}


def add_query_command(sub) -> None:
    p = sub.add_parser("query", help="run a query of analytics.queries (JSON array or table)")
    p.add_argument("name", metavar="NAME", help="query name, e.g. keyword_trend, top_keywords, related_terms")
    p.add_argument("--store", type=Path, default=None, help="store directory (default data/store)")
    p.add_argument("--source", action="append", default=[], metavar="S", help="a source (repeatable)")
    p.add_argument("--year", action="append", default=[], metavar="Y", help=f"a year or {UNKNOWN} (repeatable)")
    p.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--q", default="", metavar="QUERY", help='keyword query, e.g. "백신 AND 접종"')
    p.add_argument("--unique", action="store_true", help="unique stories only")
    p.add_argument("--arg", action="append", default=[], metavar="KEY=VALUE", help="a query argument (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON array of objects")


def query_names() -> list[str]:
    """The queries the command runs: public callables of analytics.queries taking a corpus."""
    import analytics.queries as q

    out = []
    for name in q.__all__:
        fn = getattr(q, name, None)
        if name in _NOT_QUERIES or not inspect.isfunction(fn):
            continue
        params = list(inspect.signature(fn).parameters)
        if params and params[0] == "c":
            out.append(name)
    return sorted(out)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{what} takes a date YYYY-MM-DD, not {text!r}") from exc


def _filters(args: argparse.Namespace):
    from analytics.filters import Filters, parse_tree

    years: list[int | str] = []
    for y in args.year:
        if y == UNKNOWN:
            years.append(UNKNOWN)
        elif str(y).strip().isdigit():
            years.append(int(y))
        else:
            raise ValueError(f"--year takes a year or {UNKNOWN}, not {y!r}")
    d0 = _day(args.date_from, "--from") if args.date_from else None
    d1 = _day(args.date_to, "--to") if args.date_to else None
    if d0 and d1 and d0 > d1:
        raise ValueError("--from is after --to")
    parse_tree(args.q)  # a syntax error or a query over the limits is reported before any work (linear)
    return Filters(sources=tuple(args.source), years=tuple(years), date_from=d0, date_to=d1,
                   query=args.q.strip(), unique_stories=bool(args.unique))


def _looks_number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def convert_arg(value: str, annotation) -> object:
    """A --arg value converted for a parameter annotated `annotation` (see the module docstring)."""
    ann = annotation if not isinstance(annotation, str) else annotation.replace(" ", "")
    text = value.strip()
    origin = typing.get_origin(ann)
    if ann is tuple or origin is tuple or (isinstance(ann, str) and ann.startswith("tuple")):
        return tuple(v.strip() for v in text.split(",") if v.strip())
    if ann is bool or ann == "bool":
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected true or false, not {value!r}")
    if ann is date or (isinstance(ann, str) and ann.split("|")[0] == "date"):
        return _day(text, "a date argument")
    if ann is int or (isinstance(ann, str) and ann.split("|")[0] == "int"):
        n = _looks_number(text)
        if not isinstance(n, int):
            if text.lower() == "none" and "None" in str(ann):
                return None
            raise ValueError(f"expected an integer, not {value!r}")
        return n
    if ann is float or ann == "float":
        n = _looks_number(text)
        if n is None:
            raise ValueError(f"expected a number, not {value!r}")
        return float(n)
    if isinstance(ann, str) and ann.split("|")[0] == "str":
        return value
    n = _looks_number(text)
    return value if n is None else n


def run_query(name: str, store: Path, f, raw_args: list[str]):
    """The query's result for `f` and the KEY=VALUE arguments (ValueError on a bad name or arg)."""
    import analytics.queries as q

    names = query_names()
    if name not in names:
        raise ValueError(f"unknown query {name!r}; one of: {', '.join(names)}")
    fn = getattr(q, name)
    sig = inspect.signature(fn)
    kwargs: dict[str, object] = {}
    for item in raw_args:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--arg takes KEY=VALUE, not {item!r}")
        if key not in sig.parameters or key in ("c", "f"):
            usable = [p for p in sig.parameters if p not in ("c", "f")]
            raise ValueError(f"unknown argument {key!r} for {name}; its arguments: {', '.join(usable) or 'none'}")
        try:
            kwargs[key] = convert_arg(value, sig.parameters[key].annotation)
        except ValueError as exc:
            raise ValueError(f"--arg {key}: {exc}") from exc
    call: dict[str, object] = {}
    for pname, p in sig.parameters.items():
        if pname == "c":
            continue
        if pname == "f":
            call["f"] = f
        elif pname in kwargs:
            call[pname] = kwargs[pname]
        elif p.default is inspect.Parameter.empty:
            if p.annotation in ("Filters", ) or getattr(p.annotation, "__name__", "") == "Filters":
                raise ValueError(f"{name} compares two filter sets; it is not available from the command line")
            raise ValueError(f"{name} needs --arg {pname}=VALUE")
    if not Path(store).exists():
        raise FileNotFoundError(f"no store at {store}")
    corpus = q.open_corpus(store)
    return fn(corpus, **call)


def _jsonable(v):
    import numpy as np
    import pandas as pd

    if v is None:
        return None
    if isinstance(v, (datetime, pd.Timestamp)):
        if pd.isna(v):
            return None
        midnight = v.hour == v.minute == v.second == v.microsecond == 0 and v.tzinfo is None
        return v.date().isoformat() if midnight else v.isoformat()  # a DATE column reads back as a Timestamp
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if v is pd.NaT:
        return None
    return v


def to_records(result) -> list[dict]:
    """Any query result as a list of flat objects: a frame's rows; a pair of frames (network
    nodes and edges) as rows tagged `part`; a dict as one object; a list as `value` objects."""
    import pandas as pd

    if isinstance(result, pd.DataFrame):
        return [{str(k): _jsonable(v) for k, v in row.items()} for row in result.to_dict(orient="records")]
    if isinstance(result, tuple) and all(isinstance(x, pd.DataFrame) for x in result):
        parts = ("nodes", "edges") if len(result) == 2 else tuple(str(i) for i in range(len(result)))
        return [{"part": part, **row} for part, df in zip(parts, result, strict=True) for row in to_records(df)]
    if isinstance(result, dict):
        return [{str(k): _jsonable(v) for k, v in result.items()}]
    if result is None:
        return []
    if isinstance(result, (list, tuple)):
        return [{"value": _jsonable(v)} for v in result]
    return [{"value": _jsonable(result)}]


def query_main(args: argparse.Namespace) -> int:
    rows = to_records(run_query(args.name, args.store, _filters(args), args.arg))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("(결과 없음 / no rows)")
        return 0
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0
