"""One-click report: the current view (filters) as one document — the main charts and tables of the
개요, 키워드, 감성, 개체 (and 토픽) pages, the alerts, method notes and the store version.

Streamlit-free: built from `analytics.queries` results and the pure chart functions of
`dashboard/charts.py` (the same figures the pages show), rendered by `dashboard/report_doc.py`.
Used by the dashboard's report button (`dashboard/report_ui.py`) and by
`python -m analytics report` (the CLI's one import into dashboard/, see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from analytics import queries
from analytics.filters import Filters
from dashboard import charts
from dashboard.report_doc import Chart, Note, Report, Section, Table, render

METHOD_DIR = Path(__file__).resolve().parent.parent / "docs" / "method"
ENTITY_TYPES = (("PS", "인물 People"), ("OG", "기관 Organisations"), ("LC", "장소 Places"))
Progress = Callable[[float, str], None]


def _safe(fn: Callable, *args, **kw):
    """A query result, or the exception (a failing section says so; the report still builds)."""
    try:
        return fn(*args, **kw)
    except Exception as e:  # noqa: BLE001 (every failure becomes a note in the report)
        return e


def _failed(obj: object, what: str) -> Note | None:
    if isinstance(obj, Exception):
        return Note(f"{what}: 계산하지 못했습니다 ({type(obj).__name__}: {obj})", warn=True)
    return None


def _empty(df: object) -> bool:
    return df is None or (isinstance(df, pd.DataFrame) and df.empty)


def method_notes(max_chars: int = 1800) -> list[tuple[str, str]]:
    """(title, opening text) of each docs/method page: how the figures are computed."""
    out = []
    for p in sorted(METHOD_DIR.glob("*.md")) if METHOD_DIR.is_dir() else []:
        text = p.read_text(encoding="utf-8")
        lines = text.splitlines()
        title = next((ln.lstrip("#").strip() for ln in lines if ln.startswith("#")), p.stem)
        body = "\n".join(ln for ln in lines if not ln.startswith("# ")).strip()
        if len(body) > max_chars:
            body = body[:max_chars].rsplit("\n", 1)[0] + f"\n… (전문: docs/method/{p.name})"
        out.append((title, body))
    return out


def _overview(c, f: Filters, gran: str) -> Section:
    s = Section("개요 Overview")
    k = _safe(queries.kpis, c, f)
    if isinstance(k, dict):
        s.items.append(Table("핵심 수치 Key figures", pd.DataFrame([{
            "기사 수": k.get("articles"), "매체 수": k.get("sources"), "첫 날짜": k.get("first"),
            "마지막 날짜": k.get("last"), "고유 기사": k.get("stories")}])))
    vol = _safe(queries.volume, c, f, gran)
    if (n := _failed(vol, "기사량")) is not None:
        s.items.append(n)
    elif not _empty(vol):
        s.items.append(Chart("기사량 추이 Volume over time", charts.volume_chart(vol, gran),
                             "매체별 기사 수, 기간 단위: " + gran))
        s.items.append(Chart("매체별 기사 수 Articles per source", charts.source_bar(vol)))
    return s


def _alerts(c, f: Filters) -> Section:
    from analytics.alerts import alerts_frame, find_alerts

    s = Section("새로 떠오른 Newly rising")
    res = _safe(find_alerts, c, f)
    if (n := _failed(res, "새로 떠오른")) is not None:
        s.items.append(n)
        return s
    if res.get("latest") is None:
        s.items.append(Note(res.get("reason") or "비교할 기간이 없습니다."))
        return s
    lt, pv, rule = res["latest"], res["previous"], res["rule"]
    s.items.append(Note(f"최근 {lt['from']}~{lt['to']} (기사 {lt['articles']:,}건) 대 직전 {pv['from']}~{pv['to']} "
                        f"(기사 {pv['articles']:,}건). 단측 G², Benjamini-Hochberg q ≤ {rule['fdr']:g}, 배율 ≥ "
                        f"{rule['min_ratio']:g}, 최근 기사 {rule['min_count']}건 이상 (검정 {res['tested']:,}개)."))
    df = alerts_frame(res)
    for col in ("share_latest", "share_previous"):
        df[col] = df[col].map(lambda v: f"{v:.1%}")
    if df.empty:
        s.items.append(Note("유의하게 떠오른 키워드·개체가 없습니다."))
    else:
        s.items.append(Table("새로 떠오른 키워드·개체", df.rename(columns={
            "kind_label": "종류", "name": "이름", "latest": "최근 기사", "previous": "직전 기사",
            "share_latest": "최근 비율", "share_previous": "직전 비율", "ratio": "배율", "q": "q (BH)",
            "first_seen": "처음 등장", "new": "신규", "first_alerted": "첫 알림", "also": "함께 오른 말"})))
    return s


def _keywords(c, f: Filters, gran: str) -> Section:
    s = Section("키워드 Keywords")
    top = _safe(queries.top_keywords, c, f, 20, "tf")
    if (n := _failed(top, "주요 키워드")) is not None:
        s.items.append(n)
        return s
    if _empty(top):
        s.items.append(Note("키워드가 없습니다."))
        return s
    s.items.append(Chart("주요 키워드 Top keywords (빈도 TF)", charts.term_bar(top, "tf", n=20)))
    s.items.append(Table("주요 키워드 표", top[[col for col in ("term", "tf", "df", "score") if col in top.columns]]))
    terms = tuple(top["term"].head(5))
    trend = _safe(queries.keyword_trend, c, f, terms, gran)
    if (n := _failed(trend, "키워드 추이")) is not None:
        s.items.append(n)
    elif not _empty(trend):
        s.items.append(Chart("상위 5개 키워드 추이 Top 5 over time", charts.keyword_trend_chart(trend, gran, "articles"),
                             "기사 수: 그 단어가 나온 기사"))
    yake = _safe(queries.top_keywords, c, f, 20, "yake")
    if not isinstance(yake, Exception) and not _empty(yake):
        s.items.append(Table("YAKE 키워드", yake[[col for col in ("term", "score", "df") if col in yake.columns]]))
    return s


def _sentiment(c, f: Filters, gran: str) -> Section:
    s = Section("감성 Sentiment")
    tl = _safe(queries.sentiment_over_time, c, f, gran)
    if (n := _failed(tl, "어조 추이")) is not None:
        s.items.append(n)
    elif not _empty(tl):
        s.items.append(Chart("어조 추이 Tone over time", charts.sentiment_time_chart(tl, gran)))
    bs = _safe(queries.sentiment_by_source, c, f)
    if (n := _failed(bs, "매체별 어조")) is not None:
        s.items.append(n)
    elif not _empty(bs):
        s.items.append(Chart("매체별 어조 Tone by source", charts.sentiment_source_chart(bs)))
        s.items.append(Table("매체별 어조 표", bs))
    if not s.items:
        s.items.append(Note("어조 결과가 없습니다."))
    return s


def _entities(c, f: Filters) -> Section:
    s = Section("개체 Entities")
    for etype, label in ENTITY_TYPES:
        ents = _safe(queries.top_entities, c, f, etype, 15)
        if (n := _failed(ents, label)) is not None:
            s.items.append(n)
        elif _empty(ents):
            s.items.append(Note(f"{label}: 해당 개체가 없습니다."))
        else:
            s.items.append(Chart(f"주요 {label}", charts.term_bar(ents, "mentions", label="entity", n=15)))
            s.items.append(Table(f"주요 {label} 표", ents[["entity", "mentions", "articles"]]))
    return s


def _topics(c, f: Filters, gran: str, progress: Progress | None = None) -> Section | None:
    """The 토픽 section when the topics query module is installed; None otherwise. A model not fitted
    yet for these filters is fitted here (cached on disk for the 토픽 page), with progress."""
    try:
        from analytics.queries import topics as tq
        from dashboard import topic_charts
    except ImportError:
        return None
    s = Section("토픽 Topics")
    res = _safe(tq.topic_model, c, f, 0, progress)
    if (n := _failed(res, "토픽 모델")) is not None:
        s.items.append(n)
        return s
    meta = res.get("meta", {})
    s.items.append(Note(f"토픽 {meta.get('k', '?')}개 (선택 기준: {meta.get('criterion', '?')}), "
                        f"기사 {meta.get('n_modelled', '?')}건으로 학습."))
    over = _safe(tq.topic_over_time, c, f, 0, gran)
    if not isinstance(over, Exception) and not _empty(over):
        s.items.append(Chart("토픽 비중 추이 Topic share over time", topic_charts.topic_time_chart(over, gran)))
    tt = res.get("topics")
    if isinstance(tt, pd.DataFrame) and not tt.empty:
        cols = [col for col in ("topic", "label", "terms", "articles", "weight", "coherence") if col in tt.columns]
        view = tt[cols].copy()
        if "terms" in view:
            view["terms"] = view["terms"].map(lambda t: ", ".join(map(str, t)) if isinstance(t, list | tuple) else
                                              ", ".join(map(str, list(t))) if hasattr(t, "tolist") else t)
        s.items.append(Table("토픽 표 Topics", view))
    return s


def _bigkinds(c, f: Filters) -> Section | None:
    """BIG Kinds' own entities and keywords beside ours, for BIG Kinds imports only."""
    from analytics.queries import bigkinds as bk

    share = _safe(bk.excerpt_share, c, f)
    if isinstance(share, Exception) or not share["bigkinds"]:
        return None
    s = Section("BIG Kinds 자체 분석과 비교 What the source already knew")
    ents = _safe(bk.entity_comparison, c, f)
    if (n := _failed(ents, "개체 비교")) is not None:
        s.items.append(n)
    else:
        s.items.append(Note(f"BIG Kinds 기사 {ents['articles']:,}건. 개체 일치도는 BIG Kinds 목록 중 우리 제목·발췌문에 나오는 "
                            "이름 기준 (BIG Kinds는 전문을 분석). `eval entities-vs-bigkinds`와 같은 계산이되 같은 대상의 다른 표기 "
                            "(식약처 = 식품의약품안전처)는 일치로 셉니다."))
        rows = [{"유형": t, "정밀도": f"{g['precision']:.1%}", "재현율": f"{g['recall']:.1%}", "F1": f"{g['f1']:.1%}",
                 "둘 다": g["tp"], "우리": g["pred"], "BIG Kinds": g["gold"]}
                for t, g in [*ents["agreement"].items(), ("전체", ents["all"])]]
        s.items.append(Table("개체 일치도 Entity agreement", pd.DataFrame(rows)))
        for typ, label in ENTITY_TYPES:
            df = ents["top"][typ].rename(columns={"name": "이름", "bigkinds": "BIG Kinds", "in_text": "본문에 있음",
                                                  "ours": "우리"})
            if not df.empty:
                s.items.append(Table(f"BIG Kinds {label}", df, rows=10))
    kw = _safe(bk.keyword_comparison, c, f)
    if (n := _failed(kw, "키워드 비교")) is not None:
        s.items.append(n)
    else:
        p = kw["p_at_10"]
        s.items.append(Table("키워드: BIG Kinds 특성추출 대 우리 키워드", kw["top"].rename(columns={
            "rank": "순위", "bigkinds": "BIG Kinds", "bigkinds_articles": "기사", "ours": "우리", "ours_articles": "기사 "}),
            note=f"precision@10 (우리 상위 10개 중 BIG Kinds 키워드 목록에 있는 비율의 평균) = "
                 f"{'미상' if p is None else f'{p:.1%}'}, 기사 {kw['scored']:,}건; 상위 {kw['n']}개 겹침 {kw['overlap']}개."))
    return s


def _excerpt_note(c, f: Filters) -> Note | None:
    from analytics.queries.sql import _where

    try:
        where, params = _where(c, f)
        n, ex = c.sql(f"SELECT count(*) AS n, count(*) FILTER (WHERE a.is_excerpt) AS ex FROM art a WHERE {where}",
                      params).iloc[0]
    except Exception:  # noqa: BLE001
        return None
    if int(ex) == 0:
        return None
    return Note(f"주의: 기사 {int(n):,}건 중 {int(ex):,}건은 본문이 BIG Kinds의 200자 발췌입니다. 빈도·어조·개체는 "
                "발췌문에서 센 값입니다. (Bodies of these articles are 200-character excerpts.)", warn=True)


def build_report(c, f: Filters, granularity: str = "month", progress: Progress | None = None) -> Report:
    """The report of corpus `c` under filters `f` (sections in page order)."""
    steps: list[tuple[str, Callable[[], Section | None]]] = [
        ("개요", lambda: _overview(c, f, granularity)), ("새로 떠오른", lambda: _alerts(c, f)),
        ("키워드", lambda: _keywords(c, f, granularity)), ("감성", lambda: _sentiment(c, f, granularity)),
        ("개체", lambda: _entities(c, f)), ("토픽", lambda: _topics(c, f, granularity, fit_progress)),
        ("BIG Kinds 비교", lambda: _bigkinds(c, f)),
    ]

    def fit_progress(frac: float, label: str) -> None:  # the topic fit: the last fifth of the build
        if progress:
            progress(0.4 + 0.1 * max(0.0, min(frac, 1.0)), f"토픽 모델: {label}")
    sections: list[Section] = []
    for i, (name, fn) in enumerate(steps):
        if progress:
            progress(0.5 * i / len(steps), f"{name} 계산 중")
        sec = fn()
        if sec is not None:
            sections.append(sec)
    note = _excerpt_note(c, f)
    if note is not None and sections:
        sections[0].items.insert(0, note)
    meta = [("필터 Filters", f.describe()), ("저장소 버전 Store version", f"v{c.version}"),
            ("저장소 Store", f"{Path(str(c.store.root)).name} · {c.store.identity()}"),
            ("기간 단위 Granularity", granularity),
            ("생성 Generated", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))]
    return Report("트렌드 모니터 보고서 Trend report", meta, sections, method_notes())


def report_bytes(c, f: Filters, fmt: str, granularity: str = "month", progress: Progress | None = None) -> bytes:
    """HTML or PDF bytes of the report (fmt "html" | "pdf")."""
    rep = build_report(c, f, granularity, progress)
    out = render(rep, fmt, progress)
    if progress:
        progress(1.0, "완료")
    return out


def report_main(args: argparse.Namespace) -> int:
    """`python -m analytics report --store DIR [filters] [--granularity G] --out FILE.html|FILE.pdf`."""
    from analytics.cli_filters import filters_from_args
    from analytics.store import Store, StoreError

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("html", "pdf"):
        raise ValueError(f"--out must end in .html or .pdf (the format), not {out.name!r}")
    f = filters_from_args(args)
    if not Store(args.store).exists():
        raise StoreError(f"no store at {args.store} (run `python -m analytics ingest` first)")
    start = time.perf_counter()

    def show(frac: float, label: str) -> None:
        if sys.stderr.isatty():
            print(f"\r[{int(frac * 100):3d}%] {label:<30}", end="", file=sys.stderr, flush=True)

    data = report_bytes(queries.open_corpus(args.store), f, fmt, args.granularity, show)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"report written: {out} ({len(data):,} bytes, {fmt}, {time.perf_counter() - start:.1f} s; "
          f"filters: {f.describe()})")
    return 0
