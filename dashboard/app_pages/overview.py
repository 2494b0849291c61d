"""개요 Overview: KPIs, volume by source (drill down), top keywords, tone summary, top entities."""

import streamlit as st

from dashboard import charts, data, labels, rising, state, ui

st.title("개요 Overview")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
k = data.kpis(f) or {}
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
vol = ui.query_chart(data.volume, (f, gran), charts.volume_chart, gran, key="vol_chart", title="기사량 추이", f=f,
                    note="막대를 선택하면 해당 기사를 볼 수 있습니다. (Select a bar to list its articles.)",
                    drill=ui.drill_period_source(f, gran, "vsel", "vol_drill"))
if vol.pick:
    ui.spike_explanation(f, vol.pick[1], gran, "vol_spike")
if vol.result is not None:
    with st.expander("매체별 기사 수 Articles per source"):
        ui.chart(data.figure(charts.source_bar, data.volume, (f, gran)), "src_chart", "매체별 기사 수", f)

left, right = st.columns(2)
with left:
    st.subheader("주요 키워드 Top keywords")
    ui.query_chart(data.top_keywords, (f, 20, "tf"), charts.term_bar, "tf", bkw={"n": 20}, key="ov_kw",
                   title="주요 키워드", f=f)
with right:
    st.subheader("어조 요약 Tone")
    ui.query_chart(data.sentiment_by_source, (f,), charts.sentiment_source_chart, key="ov_tone", title="매체별 어조",
                   f=f)

st.subheader("주요 개체 Top entities")
cols = st.columns(3)
for col, (etype, label) in zip(cols, [("PS", "인물 People"), ("OG", "기관 Organisations"),
                                      ("LC", "장소 Places")], strict=True):
    with col:
        st.markdown(f"**{label}**")
        ents = data.top_entities(f, etype, 10)
        if ui.is_empty(ents):
            ui.empty("해당 개체가 없습니다. (None found.)")
        else:
            ui.table(ents[["entity", "mentions", "articles"]], f"ov_ent_{etype}", f"주요 개체 {etype}", f,
                     column_config=labels.columns(ents[["entity", "mentions", "articles"]]))
