"""개요 Overview: KPIs, volume by source (drill down), top keywords, tone summary, top entities."""

import streamlit as st

from dashboard import figures, labels, rising, state, ui

st.title("개요 Overview")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
k = ui.safe_q("kpis", f) or {}
if not k.get("articles"):
    ui.empty()
    st.stop()
c1, c2, c3, c4 = st.columns(4)
c1.metric("기사 Articles", f"{k['articles']:,}")
c2.metric("매체 Sources", k["sources"])
c3.metric("기간 Date span", f"{str(k['first'] or '미상')[:10]} ~ {str(k['last'] or '미상')[:10]}")
c4.metric("고유 기사 Unique stories", f"{k['stories']:,}")

rising.block(f)  # 새로 떠오른 (issue 15 item 4)

st.subheader("기사량 추이 Volume over time")
vol = ui.safe_q("volume", f, gran)
if ui.is_empty(vol):
    ui.empty()
else:
    st.caption("막대를 선택하면 해당 기사를 볼 수 있습니다. (Select a bar to list its articles.)")
    points = ui.chart(figures.figure("volume_chart", "volume", (f, gran), gran), "vol_chart", "기사량 추이", f, select=True)
    pick = state.chart_pick("vsel", points, 2)
    if pick:
        src, period = pick
        ui.article_list(state.drill_filters(f, period=period, gran=gran, source=src), "vol_drill",
                        f"{period} · {src} 기사")
        ui.spike_explanation(f, period, gran, "vol_spike")
    with st.expander("매체별 기사 수 Articles per source"):
        ui.chart(figures.figure("source_bar", "volume", (f, gran)), "src_chart", "매체별 기사 수", f)

left, right = st.columns(2)
with left:
    st.subheader("주요 키워드 Top keywords")
    if ui.need("top_keywords"):
        kw = ui.safe_q("top_keywords", f, 20, "tf")
        if ui.is_empty(kw):
            ui.empty()
        else:
            ui.chart(figures.figure("term_bar", "top_keywords", (f, 20, "tf"), "tf", n=20), "ov_kw", "주요 키워드", f)
with right:
    st.subheader("어조 요약 Tone")
    if ui.need("sentiment_by_source"):
        tone = ui.safe_q("sentiment_by_source", f)
        if ui.is_empty(tone):
            ui.empty()
        else:
            ui.chart(figures.figure("sentiment_source_chart", "sentiment_by_source", (f,)), "ov_tone", "매체별 어조", f)

st.subheader("주요 개체 Top entities")
if ui.need("top_entities"):
    cols = st.columns(3)
    for col, (etype, label) in zip(cols, [("PS", "인물 People"), ("OG", "기관 Organisations"),
                                          ("LC", "장소 Places")], strict=True):
        with col:
            st.markdown(f"**{label}**")
            ents = ui.safe_q("top_entities", f, etype, 10)
            if ui.is_empty(ents):
                ui.empty("해당 개체가 없습니다. (None found.)")
            else:
                ui.table(ents[["entity", "mentions", "articles"]], f"ov_ent_{etype}", f"주요 개체 {etype}", f,
                         column_config=labels.columns(ents[["entity", "mentions", "articles"]]))
