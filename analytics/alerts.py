"""새로 떠오른 (newly rising): terms and entities whose share of articles rose significantly in the
latest period against the previous one.

Stages: pick the windows (`choose_windows`) -> count articles naming each term and entity in both
(`queries.alerts.window_counts`) -> test each name (`score`: one-sided log-likelihood G² on the 2x2
table of article counts, Benjamini-Hochberg over every name tested) -> keep those passing the rule
(`AlertRule`) -> add first-seen dates. The method and its threshold are documented in
docs/method/alerts.md; the `alerts --json` keys in the README.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.stats import chi2

from analytics.filters import Filters

KIND_LABELS = {"term": "키워드", "PS": "인물", "OG": "기관", "LC": "장소"}
# Dates and clock times ("26일", "오전 9시") are new in every new period by construction: not tested.
_TIME_TOKEN = re.compile(r"^(\d+(년|월|일|시|분|초|주|주년|개월|시간)|오전|오후|새벽|이날|지난달|올해|작년|내년)$")
TEST_NAME = "one-sided log-likelihood G² (2x2 article counts, latest vs previous window), Benjamini-Hochberg FDR"


@dataclass(frozen=True)
class AlertRule:
    """When a name is an alert. Defaults are documented in docs/method/alerts.md."""

    window_days: int = 7  # length of the latest and of the previous window
    min_count: int = 5  # articles naming it in the latest window (fewer are not tested)
    min_ratio: float = 2.0  # smoothed share ratio latest / previous
    fdr: float = 0.01  # Benjamini-Hochberg q-value at or below which a rise is significant
    min_window_articles: int = 20  # articles each window needs for the test to be run at all

    def __post_init__(self) -> None:
        if self.window_days < 1:
            raise ValueError("window must be at least 1 day")
        if self.min_count < 1:
            raise ValueError("min count must be at least 1")
        if not 0 < self.fdr < 1:
            raise ValueError("FDR must be between 0 and 1")
        if self.min_ratio < 1:
            raise ValueError("minimum ratio must be at least 1")


def choose_windows(days: pd.DataFrame, rule: AlertRule, end: date | None = None
                   ) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """The latest window (`window_days` ending at `end`) and the equally long window before it.

    Without `end`: the most recent publication day whose window and previous window both hold at
    least `min_window_articles` articles, so a stray future-dated or very old article does not
    become "the latest period". `days` has columns day, articles. None when no day qualifies."""
    if days.empty:
        return None
    s = pd.Series(days["articles"].to_numpy(), index=pd.to_datetime(days["day"])).sort_index()
    w = rule.window_days

    def windows(e: date) -> tuple[tuple[date, date], tuple[date, date]]:
        latest = (e - timedelta(days=w - 1), e)
        return latest, (latest[0] - timedelta(days=w), latest[0] - timedelta(days=1))

    if end is not None:
        return windows(end)
    # every candidate end day at once: articles in [e - w + 1, e] and [e - 2w + 1, e - w] from the
    # running sum over the sorted days (a mask per day took ~0.15 s for 838 days)
    day = s.index.to_numpy().astype("datetime64[D]")
    run = np.concatenate([[0], np.cumsum(s.to_numpy(dtype=np.int64))])

    def upto(d: np.ndarray) -> np.ndarray:  # articles on days <= d
        return run[np.searchsorted(day, d, side="right")]

    ends = day[::-1]
    one = np.timedelta64(w, "D")
    latest_n = upto(ends) - upto(ends - one)
    previous_n = upto(ends - one) - upto(ends - 2 * one)
    ok = np.flatnonzero((latest_n >= rule.min_window_articles) & (previous_n >= rule.min_window_articles))
    if not len(ok):
        return None
    return windows(ends[ok[0]].astype(date))


def g2(a: np.ndarray, n1: float, b: np.ndarray, n0: float) -> np.ndarray:
    """Log-likelihood G² of the 2x2 table [[a, n1-a], [b, n0-b]] (0·log 0 = 0)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    obs = np.stack([a, n1 - a, b, n0 - b])
    tot = n1 + n0
    col = np.stack([a + b, tot - a - b])
    exp = np.stack([n1 * col[0], n1 * col[1], n0 * col[0], n0 * col[1]]) / tot
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(obs > 0, obs * np.log(obs / exp), 0.0)
    return np.maximum(2.0 * terms.sum(axis=0), 0.0)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted q-values (monotone, capped at 1), in the input order."""
    p = np.asarray(p, float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def is_time_expression(name: str) -> bool:
    """True for a date or clock-time expression: every space-separated part like 26일, 9시, 오전."""
    parts = str(name).split()
    return bool(parts) and all(_TIME_TOKEN.match(p) for p in parts)


def score(counts: pd.DataFrame, n_latest: int, n_previous: int, rule: AlertRule) -> pd.DataFrame:
    """Test every name with at least `min_count` articles in the latest window.

    Adds share_latest, share_previous, ratio (shares smoothed by +0.5 article), g2, p (one-sided:
    rising), q (BH over all names tested) and alert (q <= fdr, ratio >= min_ratio, share rose)."""
    df = counts[counts["latest"] >= rule.min_count]
    df = df[~df["name"].map(is_time_expression)].copy()
    cols = ["kind", "name", "latest", "previous", "share_latest", "share_previous", "ratio", "g2", "p", "q", "alert"]
    if df.empty or n_latest == 0 or n_previous == 0:
        return pd.DataFrame(columns=cols)
    a, b = df["latest"].to_numpy(float), df["previous"].to_numpy(float)
    df["share_latest"] = a / n_latest
    df["share_previous"] = b / n_previous
    df["ratio"] = ((a + 0.5) / (n_latest + 1)) / ((b + 0.5) / (n_previous + 1))
    df["g2"] = g2(a, n_latest, b, n_previous)
    rising = df["share_latest"].to_numpy() > df["share_previous"].to_numpy()
    half = chi2.sf(df["g2"].to_numpy(), 1) / 2
    df["p"] = np.where(rising, half, 1 - half)
    df["q"] = benjamini_hochberg(df["p"].to_numpy())
    df["alert"] = rising & (df["q"].to_numpy() <= rule.fdr) & (df["ratio"].to_numpy() >= rule.min_ratio)
    return df.sort_values(["alert", "g2", "latest", "name"], ascending=[False, False, False, True])[cols]


def find_alerts(c, f: Filters | None = None, rule: AlertRule | None = None, end: date | None = None,
                history: list[dict] | None = None) -> dict:
    """The alerts of a store snapshot under `f` (default: everything) as a JSON-ready dict.

    `history` (the watch log, oldest first) adds `first_alerted`: when a name first appeared in a
    logged alert list. Keys documented in README ("alerts --json")."""
    from analytics.queries.alerts import dated_counts, first_seen, window_counts

    f = f or Filters()
    rule = rule or AlertRule()
    out: dict = {"store_version": int(c.version), "test": TEST_NAME, "rule": asdict(rule),
                 "filters": f.describe(), "latest": None, "previous": None, "tested": 0, "alerts": []}
    win = choose_windows(dated_counts(c, f), rule, end)
    if win is None:
        out["reason"] = (f"두 기간 모두 기사 {rule.min_window_articles}건 이상인 날짜가 없습니다 "
                         f"(no {rule.window_days}-day window pair with ≥{rule.min_window_articles} articles each)")
        return out
    latest, previous = win
    counts = window_counts(c, f, latest, previous)
    n1, n0 = counts.attrs["n_latest"], counts.attrs["n_previous"]
    out["latest"] = {"from": latest[0].isoformat(), "to": latest[1].isoformat(), "articles": n1}
    out["previous"] = {"from": previous[0].isoformat(), "to": previous[1].isoformat(), "articles": n0}
    scored = score(counts, n1, n0, rule)
    out["tested"] = int(len(scored))
    hits = scored[scored["alert"]] if not scored.empty else scored
    keys = [(k, n) for k, n in zip(hits["kind"], hits["name"], strict=True)]
    seen = first_seen(c, f, keys)
    alerted = first_alerted(history or [])
    for r in hits.itertuples(index=False):
        fs = seen.get((r.kind, r.name))
        out["alerts"].append({
            "kind": r.kind, "kind_label": KIND_LABELS.get(r.kind, r.kind), "name": r.name,
            "latest": int(r.latest), "previous": int(r.previous),
            "share_latest": round(float(r.share_latest), 6), "share_previous": round(float(r.share_previous), 6),
            "ratio": round(float(r.ratio), 3), "g2": round(float(r.g2), 3),
            "p": float(f"{r.p:.4g}"), "q": float(f"{r.q:.4g}"),
            "first_seen": fs.isoformat() if fs else None,
            "new": bool(fs is not None and fs >= latest[0]),
            "first_alerted": alerted.get((r.kind, r.name)),
        })
    out["alerts"] = collapse_nested(out["alerts"])
    return out


def _contains(longer: str, shorter: str) -> bool:
    """Whether the words of `shorter` occur as a contiguous run in `longer` (or as its suffix/prefix
    inside one word: 요양보호사 contains 보호사)."""
    lw, sw = longer.split(), shorter.split()
    if len(sw) < len(lw):
        return any(lw[i:i + len(sw)] == sw for i in range(len(lw) - len(sw) + 1))
    return len(sw) == len(lw) == 1 and shorter != longer and shorter in longer


def collapse_nested(alerts: list[dict]) -> list[dict]:
    """One alert per story of words: a name inside a longer alert of the same kind with exactly the
    same article counts (표준 in 기술 표준, 12 -> 12 each) is the same rise; it is listed under the
    longer name's `also` instead of as an alert of its own. Order is kept."""
    drop: dict[int, int] = {}  # alert index -> the longest same-count alert holding its name
    for i, a in enumerate(alerts):
        for j, b in enumerate(alerts):
            if i != j and a["kind"] == b["kind"] and (a["latest"], a["previous"]) == (b["latest"], b["previous"]) \
                    and _contains(b["name"], a["name"]):
                best = drop.get(i)
                if best is None or len(b["name"]) > len(alerts[best]["name"]):
                    drop[i] = j
    for i in list(drop):  # a chain (표준 -> 기술 표준 -> 국제 기술 표준) ends at a kept alert
        j = drop[i]
        while j in drop:
            j = drop[j]
        drop[i] = j
    kept = []
    for i, a in enumerate(alerts):
        if i in drop:
            continue
        also = sorted((alerts[k]["name"] for k, j in drop.items() if j == i), key=len)
        kept.append({**a, "also": also})
    return kept


def first_alerted(history: list[dict]) -> dict[tuple[str, str], str]:
    """(kind, name) -> the time of the first watch-log entry that listed it as an alert."""
    out: dict[tuple[str, str], str] = {}
    for entry in history:
        for a in entry.get("alerts") or []:
            if not isinstance(a, dict):
                continue
            key = (str(a.get("kind")), str(a.get("name")))
            out.setdefault(key, str(entry.get("at")))
    return out


def alerts_frame(result: dict) -> pd.DataFrame:
    """The alerts of `find_alerts` as a table for display (Korean column names set by callers)."""
    cols = ["kind_label", "name", "latest", "previous", "share_latest", "share_previous", "ratio", "q",
            "first_seen", "new", "first_alerted", "also"]
    df = pd.DataFrame(result.get("alerts") or [], columns=cols)
    df["also"] = df["also"].map(lambda xs: ", ".join(xs) if isinstance(xs, list) else "")
    return df


def alerts_main(args) -> int:
    """`python -m analytics alerts --store S [filters] [--json]`."""
    import json

    from analytics.cli_filters import filters_from_args
    from analytics.queries import open_corpus
    from analytics.store import Store, StoreError
    from analytics.watch import read_log

    f = filters_from_args(args)
    rule = AlertRule(window_days=args.window, min_count=args.min_count, min_ratio=args.min_ratio, fdr=args.fdr)
    end = date.fromisoformat(args.end) if args.end else None
    if not Store(args.store).exists():
        raise StoreError(f"no store at {args.store} (run `python -m analytics ingest` first)")
    try:
        history = read_log(args.store)
    except ValueError:
        history = []  # a damaged log only loses first_alerted
    result = find_alerts(open_corpus(args.store), f, rule, end, history)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if result["latest"] is None:
        print(result.get("reason", "no windows"))
        return 0
    lt, pv = result["latest"], result["previous"]
    print(f"store v{result['store_version']}: {lt['from']}~{lt['to']} ({lt['articles']} articles) vs "
          f"{pv['from']}~{pv['to']} ({pv['articles']}); {result['tested']} names tested, "
          f"{len(result['alerts'])} alerts")
    for a in result["alerts"]:
        new = " NEW" if a["new"] else ""
        print(f"  {a['kind_label']}\t{a['name']}\t{a['previous']} -> {a['latest']} articles\t"
              f"x{a['ratio']:.1f}\tq={a['q']:.2g}\tfirst seen {a['first_seen']}{new}")
    return 0
