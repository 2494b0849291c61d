"""비교 Compare: two groups (source vs source, period vs period) — distinctive terms, volume, tone, entities."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, data, labels, state, ui

st.title("비교 Compare")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
sources = data.sources() or []

mode = state.select("비교 방식 Mode", list(labels.COMPARE_MODES), "cmp_mode", "mode", widget="radio",
                    format_func=labels.COMPARE_MODES.get, horizontal=True)
c1, c2 = st.columns(2)
# both groups start filled (the latest period vs the one before; the two largest sources)
vol = data.volume(f, gran)
if mode == "period":
    found = state.latest_pair(lambda g: data.volume(f, g), gran)
    (da_from, da_to), (db_from, db_to) = found[0] if found else ((None, None), (None, None))
    a_from = state.date_in("A 시작 from", "cmp_a_from", "afrom", da_from, always=True, where=c1)
    a_to = state.date_in("A 끝 to", "cmp_a_to", "ato", da_to, always=True, where=c1)
    b_from = state.date_in("B 시작 from", "cmp_b_from", "bfrom", db_from, always=True, where=c2)
    b_to = state.date_in("B 끝 to", "cmp_b_to", "bto", db_to, always=True, where=c2)
    ready = all((a_from, a_to, b_from, b_to))
    fa = replace(f, years=(), date_from=a_from, date_to=a_to, include_undated=False)
    fb = replace(f, years=(), date_from=b_from, date_to=b_to, include_undated=False)
    label_a, label_b = f"A {a_from}~{a_to}", f"B {b_from}~{b_to}"
else:
    largest = [] if ui.is_empty(vol) else [s for s in vol.groupby("source")["articles"].sum()
                                          .sort_values(ascending=False, kind="stable").index if s in sources]
    sa = state.multi("A 매체 sources", sources, "cmp_a_src", "a", largest[:1], always=True, where=c1)
    sb = state.multi("B 매체 sources", sources, "cmp_b_src", "b", largest[1:2], always=True, where=c2)
    ready = bool(sa and sb)
    fa, fb = replace(f, sources=tuple(sa)), replace(f, sources=tuple(sb))
    label_a, label_b = "A " + ", ".join(sa), "B " + ", ".join(sb)
if not ready:
    st.info("두 그룹을 모두 고르세요. (Choose both groups.)")
    st.stop()

st.subheader("특징어 Distinctive terms")
st.caption("로그 오즈비 z-점수 (informative Dirichlet prior): 양수는 A, 음수는 B 쪽에 특징적인 단어입니다.")
ui.query_chart(data.distinctive_terms, (fa, fb, 30), charts.distinctive_chart, label_a, label_b, key="cmp_dist",
               title="특징어", f=f, table_at="expander")

cols = st.columns(2)
for col, (g, fg, lab) in zip(cols, [("a", fa, label_a), ("b", fb, label_b)], strict=True):
    with col:
        st.markdown(f"### {ui.esc(lab)}")
        k = data.kpis(fg) or {}
        st.metric("기사 Articles", f"{k.get('articles') or 0:,}")
        if ui.query_chart(data.volume, (fg, gran), charts.volume_chart, gran, key=f"cmp_vol_{g}",
                          title=f"기사량 {lab}", f=fg).result is None:
            continue
        ui.query_chart(data.sentiment_by_source, (fg,), charts.sentiment_source_chart, key=f"cmp_tone_{g}",
                       title=f"어조 {lab}", f=fg, empty_msg=None)
        for etype in ("PS", "OG", "LC"):
            ents = data.top_entities(fg, etype, 10)
            if not ui.is_empty(ents):
                st.markdown(f"**{labels.ENTITY_TYPES[etype]}**")
                ui.table(ents, f"cmp_ent_{g}_{etype}", f"개체 {etype} {lab}", fg, column_config=labels.columns(ents))
