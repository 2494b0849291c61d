"""What the source already knew: the excerpt notice (every page) and BIG Kinds' own 인물/기관/위치 and
키워드 beside ours (entities and keywords pages), shown only for BIG Kinds imports. Tables are data,
never HTML."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analytics.filters import Filters
from analytics.queries import Corpus
from analytics.queries import bigkinds as bq
from dashboard import data, ui

TYPE_LABELS = {"PS": "인물 People", "OG": "기관 Organisations", "LC": "장소 Places (위치)"}


def _get(query: Callable[[Corpus, Filters], dict], f: Filters) -> dict | None:
    try:
        return data.bigkinds(query, f)
    except Exception:  # noqa: BLE001 (an unreadable store: the page shows its own message)
        return None


def excerpt_notice(f: Filters) -> None:
    """A plain warning on every page when filtered bodies are 200-character excerpts."""
    if data.current_version() is None:
        return
    s = _get(bq.excerpt_share, f)
    if not s or not s["excerpts"]:
        return
    st.warning(f"본문 주의: 선택한 기사 {s['n']:,}건 중 {s['excerpts']:,}건은 본문이 200자 발췌입니다 (BIG Kinds 내보내기). "
               "빈도·키워드·어조·개체는 제목과 발췌문에서 센 값이라 전문 기준보다 적습니다. "
               f"(Bodies of {s['excerpts']:,} of {s['n']:,} articles are 200-character excerpts.)",
               icon=":material/content_cut:")


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _comparison(f: Filters, title: str, query):
    """The frame of both comparison blocks: an expander only where the filters hold BIG Kinds
    articles; inside it, the comparison query's result (or the empty message and None)."""
    s = _get(bq.excerpt_share, f)
    if not s or not s["bigkinds"]:
        return None, None
    box = st.expander(f"{title} · 기사 {s['bigkinds']:,}건", icon=":material/compare:")
    with box:
        res = _get(query, f)
        if res is None:
            ui.empty()
    return box, res


def entities_block(f: Filters) -> None:
    """BIG Kinds' 인물/기관/위치 beside ours, with per-type agreement."""
    box, res = _comparison(f, "BIG Kinds 자체 분석과 비교 (BIG Kinds' own entities)", bq.entity_comparison)
    if res is None:
        return
    with box:
        a = res["all"]
        st.caption(f"일치도 (BIG Kinds 목록 중 우리 본문에 나오는 이름 기준): 정밀도 {_pct(a['precision'])}, "
                   f"재현율 {_pct(a['recall'])}, F1 {_pct(a['f1'])} (둘 다 {a['tp']:,} / 우리 {a['pred']:,} / "
                   f"BIG Kinds {a['gold']:,}). BIG Kinds는 전문을 분석했고 우리는 제목과 200자 발췌만 봅니다: "
                   "'BIG Kinds' 열은 전문 기준, '본문에 있음'은 우리가 가진 글에 그 이름이 나오는 기사 수. "
                   "`python -m analytics eval entities-vs-bigkinds`와 같은 계산이되, 같은 대상의 다른 표기 "
                   "(식약처 = 식품의약품안전처)는 일치로 셉니다.")
        cols = st.columns(3)
        for col, (typ, label) in zip(cols, TYPE_LABELS.items(), strict=True):
            with col:
                g = res["agreement"][typ]
                st.markdown(f"**{label}** · F1 {_pct(g['f1'])} (P {_pct(g['precision'])}, R {_pct(g['recall'])})")
                df = res["top"][typ]
                if df.empty:
                    ui.empty("BIG Kinds 목록이 없습니다.")
                else:
                    ui.table(df, f"bk_ent_{typ}", f"BIG Kinds {label}", f,
                             column_config={"name": "이름", "bigkinds": "BIG Kinds", "in_text": "본문에 있음",
                                            "ours": "우리"})


def keywords_block(f: Filters) -> None:
    """BIG Kinds' 특성추출 top keywords beside our top keywords, with precision@10 against 키워드."""
    box, res = _comparison(f, "BIG Kinds 자체 키워드와 비교 (BIG Kinds' own keywords)", bq.keyword_comparison)
    if res is None:
        return
    with box:
        p = res["p_at_10"]
        st.caption(f"일치도: 기사마다 우리 상위 10개 키워드 중 BIG Kinds 키워드 목록에 있는 비율의 평균 "
                   f"(precision@10) = {_pct(p) if p is not None else '미상'} (기사 {res['scored']:,}건; 띄어쓰기·대소문자 무시, "
                   "구는 모든 낱말이 목록에 있으면 일치). 상위 "
                   f"{res['n']}개 목록의 겹침: {res['overlap']}개. BIG Kinds 열은 그들의 특성추출(가중치 상위) 목록에 "
                   "그 말을 둔 기사 수, 우리 열은 우리 키워드(상위 20)에 둔 기사 수. 전체 평가(형태소 분해 포함): "
                   "`python -m analytics eval keywords`.")
        ui.table(res["top"], "bk_kw", "BIG Kinds 키워드 비교", f,
                 column_config={"rank": "순위", "bigkinds": "BIG Kinds 특성추출", "bigkinds_articles": "기사",
                                "ours": "우리 키워드", "ours_articles": "기사"})
