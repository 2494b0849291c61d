"""비교 Compare: two groups (source vs source, period vs period) — distinctive terms, volume, tone, entities."""

from dataclasses import replace

import streamlit as st

from dashboard import figures, state, ui

st.title("비교 Compare")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
sources = ui.safe_q("sources") or []

mode = st.radio("비교 방식 Mode", ["source", "period"], horizontal=True, key="cmp_mode", bind="query-params",
                format_func={"source": "매체 대 매체 (source vs source)", "period": "기간 대 기간 (period vs period)"}.get)
c1, c2 = st.columns(2)
if mode == "period":
    a_from = c1.date_input("A 시작 from", value=None, key="cmp_a_from")
    a_to = c1.date_input("A 끝 to", value=None, key="cmp_a_to")
    b_from = c2.date_input("B 시작 from", value=None, key="cmp_b_from")
    b_to = c2.date_input("B 끝 to", value=None, key="cmp_b_to")
    ready = all((a_from, a_to, b_from, b_to))
    fa = replace(f, years=(), date_from=a_from, date_to=a_to, include_undated=False)
    fb = replace(f, years=(), date_from=b_from, date_to=b_to, include_undated=False)
    label_a, label_b = f"A {a_from}~{a_to}", f"B {b_from}~{b_to}"
else:
    sa = c1.multiselect("A 매체 sources", sources, key="cmp_a_src")
    sb = c2.multiselect("B 매체 sources", sources, key="cmp_b_src")
    ready = bool(sa and sb)
    fa, fb = replace(f, sources=tuple(sa)), replace(f, sources=tuple(sb))
    label_a, label_b = "A " + ", ".join(sa), "B " + ", ".join(sb)
if not ready:
    st.info("두 그룹을 모두 고르세요. (Choose both groups.)")
    st.stop()

st.subheader("특징어 Distinctive terms")
st.caption("로그 오즈비 z-점수 (informative Dirichlet prior): 양수는 A, 음수는 B 쪽에 특징적인 단어입니다.")
if ui.need("distinctive_terms"):
    dist = ui.safe_q("distinctive_terms", fa, fb, 30)
    if ui.is_empty(dist):
        ui.empty()
    else:
        ui.chart(figures.figure("distinctive_chart", "distinctive_terms", (fa, fb, 30), label_a, label_b), "cmp_dist", "특징어", f)
        with st.expander("표 Table"):
            ui.table(dist, "cmp_dist_tbl", "특징어", f)

cols = st.columns(2)
for col, (g, fg, lab) in zip(cols, [("a", fa, label_a), ("b", fb, label_b)], strict=True):
    with col:
        st.markdown(f"### {ui.esc(lab)}")
        k = ui.safe_q("kpis", fg) or {}
        st.metric("기사 Articles", f"{k.get('articles') or 0:,}")
        vol = ui.safe_q("volume", fg, gran)
        if ui.is_empty(vol):
            ui.empty()
            continue
        ui.chart(figures.figure("volume_chart", "volume", (fg, gran), gran), f"cmp_vol_{g}", f"기사량 {lab}", fg)
        if ui.data.has("sentiment_by_source"):
            tone = ui.safe_q("sentiment_by_source", fg)
            if not ui.is_empty(tone):
                ui.chart(figures.figure("sentiment_source_chart", "sentiment_by_source", (fg,)), f"cmp_tone_{g}", f"어조 {lab}", fg)
        if ui.data.has("top_entities"):
            for etype in ("PS", "OG", "LC"):
                ents = ui.safe_q("top_entities", fg, etype, 10)
                if not ui.is_empty(ents):
                    st.markdown(f"**{etype}**")
                    ui.table(ents, f"cmp_ent_{g}_{etype}", f"개체 {etype} {lab}", fg)
