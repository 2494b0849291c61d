"""The view state: the global filters (sidebar, drawn once in app.py) and every page widget that
changes what a page shows, kept in the URL under short stable codes (`gran=day`, `src=조선일보`),
so a copied link reproduces the whole view in a fresh browser.

Streamlit's `bind="query-params"` writes the *formatted* option to the URL (`gran=일 (day)`) and
ignores a hand-typed code, so widgets are made through the wrappers below, which
  1. seed the widget's session-state value once per session from the URL (invalid values ignored),
  2. draw the widget by key (the seeded value is its value; no default argument),
  3. publish the value under its code, or drop the parameter when the value is the default.
app.py calls `begin(page)` before the page runs and `finish()` after: parameters of widgets not
drawn in this run (another page, a hidden input) leave the URL. A chart selection cannot be set
from the URL, so `chart_pick` keeps the selected element itself (`vsel=2021-02&vsel=조선일보`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from analytics.config import UNKNOWN
from analytics.filters import Filters
from dashboard import data
from dashboard.labels import GRANULARITY, PERIOD_MODES

_PUB, _KNOWN, _PAGE = "_url_published", "_url_known", "_url_page"
_PICK, _PICK_SEEN = "_pick:", "_pick_seen:"
TRUE, FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")


# ---- the URL binding ---------------------------------------------------------------------------

def begin(page: str) -> None:
    """Start a run of `page`: nothing published yet; a page change forgets the chart picks."""
    ss = st.session_state
    ss[_PUB] = set()
    if ss.get(_PAGE) != page:
        for k in [k for k in ss.keys() if str(k).startswith((_PICK, _PICK_SEEN))]:
            del ss[k]
        ss[_PAGE] = page


def finish() -> None:
    """End a run: the parameters of widgets not drawn in it leave the URL (others are left alone)."""
    ss = st.session_state
    for p in sorted(set(ss.get(_KNOWN, ())) - set(ss.get(_PUB, ()))):
        if p in st.query_params:
            del st.query_params[p]


def _code(v: object) -> str:
    return v.isoformat() if isinstance(v, date) else str(v)


def _seed(key: str, param: str, default: object, decode: Callable[[list[str]], Any]) -> None:
    """Give the widget its first value of this session: the URL's when valid, else the default."""
    ss = st.session_state
    if key in ss:
        return
    raw = st.query_params.get_all(param)
    value = default
    if raw:
        try:
            value = decode(raw)
        except (ValueError, TypeError, KeyError, IndexError):
            value = default
    ss[key] = value


def _publish(param: str, codes: Sequence[str] | None) -> None:
    """Put the codes in the URL (repeated parameter for several), or drop the parameter (None/[])."""
    ss = st.session_state
    ss.setdefault(_PUB, set()).add(param)
    ss.setdefault(_KNOWN, set()).add(param)
    qp = st.query_params
    if not codes:
        if param in qp:
            del qp[param]
    elif qp.get_all(param) != list(codes):
        qp[param] = list(codes) if len(codes) > 1 else codes[0]


def select(label: str, options: Sequence, key: str, param: str, default: object = None, *,
           widget: str = "selectbox", where: Any = None, format_func: Callable = str, **kw: Any) -> Any:
    """A selectbox / radio / segmented_control whose option codes go in the URL."""
    opts = list(options)
    by_code = {_code(o): o for o in opts}
    default = opts[0] if default is None and opts else default
    _seed(key, param, default, lambda raw: by_code[raw[0]])
    ss = st.session_state
    if ss[key] not in opts:  # an option that vanished (another store) falls back to the default
        ss[key] = default
    value = getattr(where or st, widget)(label, opts, key=key, format_func=format_func, **kw)
    _publish(param, None if value == default or value is None else [_code(value)])
    return value


def multi(label: str, options: Iterable, key: str, param: str, default: Sequence = (), *,
          where: Any = None, format_func: Callable = str, always: bool = False, **kw: Any) -> list:
    """A multiselect whose chosen option codes go in the URL as a repeated parameter (`always`:
    even when they are the default, for a default made from the data)."""
    opts = list(options)
    by_code = {_code(o): o for o in opts}
    _seed(key, param, list(default), lambda raw: [by_code[r] for r in raw if r in by_code])
    ss = st.session_state
    if any(v not in opts for v in ss[key]):
        ss[key] = [v for v in ss[key] if v in opts]
    value = list((where or st).multiselect(label, opts, key=key, format_func=format_func, **kw))
    _publish(param, None if value == list(default) and not always else [_code(v) for v in value])
    return value


def text(label: str, key: str, param: str, default: str = "", *, where: Any = None, always: bool = False,
         **kw: Any) -> str:
    """A text input in the URL (`always`: even when it holds the default, e.g. a data-made default)."""
    _seed(key, param, default, lambda raw: raw[0])
    value = (where or st).text_input(label, key=key, **kw) or ""
    _publish(param, [value] if value and (always or value != default) else None)
    return value


def _bool(raw: list[str]) -> bool:
    s = raw[0].strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise ValueError(s)


def toggle(label: str, key: str, param: str, default: bool = False, *, where: Any = None, **kw: Any) -> bool:
    """A toggle in the URL as 1 / 0 (true/false, on/off also read)."""
    _seed(key, param, default, _bool)
    value = bool((where or st).toggle(label, key=key, **kw))
    _publish(param, None if value == default else ["1" if value else "0"])
    return value


def slider(label: str, lo: int, hi: int, default: int, step: int, key: str, param: str, *,
           where: Any = None, **kw: Any) -> int:
    """An integer slider in the URL (values outside [lo, hi] ignored)."""
    def decode(raw: list[str]) -> int:
        v = int(raw[0])
        if not lo <= v <= hi:
            raise ValueError(v)
        return v

    _seed(key, param, default, decode)
    value = int((where or st).slider(label, lo, hi, step=step, key=key, **kw))
    _publish(param, None if value == default else [str(value)])
    return value


def date_in(label: str, key: str, param: str, default: date | None = None, *, where: Any = None,
            always: bool = False, **kw: Any) -> date | None:
    """A date input in the URL as YYYY-MM-DD."""
    _seed(key, param, default, lambda raw: date.fromisoformat(raw[0]))
    value = (where or st).date_input(label, value=None, key=key, **kw)
    value = value if isinstance(value, date) else None
    _publish(param, None if value is None or (value == default and not always) else [value.isoformat()])
    return value


def chart_pick(param: str, points: list[dict], n: int) -> tuple[str, ...] | None:
    """The chart element a drill-down shows: the selected point's first n custom_data values, kept
    in the URL so a link opens the same drill-down. A selection read from the URL stays until the
    user selects another point, clears the chart's selection or presses 선택 해제."""
    ss = st.session_state
    k, seen = _PICK + param, _PICK_SEEN + param
    if k not in ss:
        raw = st.query_params.get_all(param)
        ss[k] = tuple(raw) if len(raw) == n else None
    cur = tuple(str(v) for v in points[0]["customdata"][:n]) if points and points[0].get("customdata") else None
    if cur is not None:
        ss[k] = cur
    elif ss.get(seen):  # the chart had a selection and the user cleared it
        ss[k] = None
    ss[seen] = cur is not None
    if ss[k] is not None and cur is None:
        st.button("선택 해제 (clear selection)", key=f"_clear_{param}", on_click=ss.__setitem__, args=(k, None),
                  icon=":material/close:")
    _publish(param, list(ss[k]) if ss[k] else None)
    return ss[k]


# ---- the global filters ------------------------------------------------------------------------

def _options(query: Callable[[], list]) -> list:
    try:
        return list(data.call(query))
    except Exception:  # an unreadable store shows no options rather than a traceback
        return []


def sidebar_filters() -> None:
    """Draw the global filters. Options come from the store; an empty store shows none."""
    c = data.corpus()
    sources = _options(data.sources) if c else []
    years = _options(data.years) if c else []
    sb = st.sidebar
    sb.header("필터 Filters")
    multi("매체 Source", sources, "sources", "src", where=sb, placeholder="전체 (all)")
    mode = select("기간 방식 Period", list(PERIOD_MODES), "pmode", "period", "year", widget="radio", where=sb,
                  format_func=PERIOD_MODES.get, horizontal=True)
    if mode == "range":
        date_in("시작 From", "dfrom", "from", where=sb)
        date_in("끝 To", "dto", "to", where=sb)
    else:
        multi("연도 Year", years, "years", "year", where=sb, placeholder="전체 (all)")
    select("단위 Granularity", list(GRANULARITY), "gran", "gran", "month", where=sb,
           format_func=lambda g: f"{GRANULARITY[g]} ({g})")
    text("키워드 검색 Keyword", "q", "q", where=sb, placeholder="예: AI OR 인공지능")
    toggle("고유 기사만 (unique stories)", "uniq", "uniq", where=sb)
    v = data.current_version()
    sb.caption(f"저장소 버전 store v{v if v is not None else '미상'} · 링크를 복사하면 같은 화면을 공유합니다.")


def current_filters() -> Filters:
    ss = st.session_state
    ranged = ss.get("pmode", "year") == "range"
    years = tuple(y if y == UNKNOWN else int(y) for y in (ss.get("years") or ())) if not ranged else ()
    return Filters(
        sources=tuple(ss.get("sources") or ()),
        years=years,
        date_from=ss.get("dfrom") if ranged else None,
        date_to=ss.get("dto") if ranged else None,
        query=(ss.get("q") or "").strip(),
        unique_stories=bool(ss.get("uniq")),
    )


def granularity() -> str:
    return st.session_state.get("gran") or "month"


def period_range(label: str, gran: str) -> tuple[date, date] | None:
    """The first and last day of a period label as drawn by charts.period_labels (None for 미상)."""
    if not label or label == UNKNOWN:
        return None
    if gran == "quarter":
        y, qn = label.split("-Q")
        start = date(int(y), 3 * (int(qn) - 1) + 1, 1)
        end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    elif gran == "year":
        start, end = date(int(label), 1, 1), date(int(label), 12, 31)
    elif gran == "month":
        start = date.fromisoformat(label + "-01")
        end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    elif gran == "week":
        start = date.fromisoformat(label)
        end = start + timedelta(days=6)
    else:
        start = end = date.fromisoformat(label)
    return start, end


def latest_two_periods(periods: Iterable[str], gran: str,
                       adjacent_only: bool = False) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """"The latest period vs the one before" as day ranges: the latest period with articles whose
    calendar predecessor also has articles (so a stray far-future or very old article does not
    become "the latest period"), else (unless `adjacent_only`) the last two periods with articles;
    None with fewer than two. `periods` are labels as charts.period_labels draws them."""
    known = sorted({p for p in periods if p and p != UNKNOWN})
    ranges = [r for r in (period_range(p, gran) for p in known) if r]
    if len(ranges) < 2:
        return None
    for prev, latest in reversed(list(zip(ranges, ranges[1:], strict=False))):
        if prev[1] + timedelta(days=1) == latest[0]:
            return latest, prev
    return None if adjacent_only else (ranges[-1], ranges[-2])


UNITS = ("year", "quarter", "month", "week", "day")  # coarse to fine


def latest_pair(volume: Callable[[str], pd.DataFrame | None], gran: str
                ) -> tuple[tuple[tuple[date, date], tuple[date, date]], str] | None:
    """latest_two_periods at the sidebar's unit, or, when no two adjacent periods there hold
    articles (a one-month BIG Kinds export at 월), at the first finer unit where two do; else the
    last two periods with articles at the sidebar's unit. Returns (pair, unit used)."""
    from dashboard.charts import period_labels

    def labels_at(g: str) -> list[str]:
        vol = volume(g)
        return [] if vol is None or vol.empty else list(period_labels(vol["period"], g))

    start = UNITS.index(gran) if gran in UNITS else 0
    for g in UNITS[start:]:
        pair = latest_two_periods(labels_at(g), g, adjacent_only=True)
        if pair:
            return pair, g
    pair = latest_two_periods(labels_at(gran), gran)
    return (pair, gran) if pair else None


def drill_filters(f: Filters, period: str | None = None, gran: str = "month",
                  source: str | None = None, term: str | None = None) -> Filters:
    """The filters narrowed to one chart element: a period (미상 = undated), a source, a term."""
    out = f
    if source:
        out = replace(out, sources=(source,))
    if period:
        rng = period_range(period, gran)
        if rng is None:
            out = replace(out, years=(UNKNOWN,), date_from=None, date_to=None)
        else:
            out = replace(out, years=(), date_from=rng[0], date_to=rng[1], include_undated=False)
    if term:
        out = replace(out, query=term)  # the clicked term replaces the search box query
    return out
