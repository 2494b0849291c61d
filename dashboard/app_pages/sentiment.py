"""감성 Sentiment: tone over time and by source; tone towards a keyword or entity, with evidence."""

import streamlit as st

from dashboard import charts, figures, labels, state, ui

st.title("감성 Sentiment")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()

st.subheader("어조 추이 Tone over time")
if ui.need("sentiment_over_time"):
    tl = ui.safe_q("sentiment_over_time", f, gran)
    if ui.is_empty(tl):
        ui.empty()
    else:
        pts = ui.chart(figures.figure("sentiment_time_chart", "sentiment_over_time", (f, gran), gran), "st_time", "어조 추이", f, select=True)
        pick = state.chart_pick("tsel", pts, 2)
        if pick:
            src, period = pick
            ui.article_list(state.drill_filters(f, period=period, gran=gran, source=src), "st_drill",
                            f"{period} · {src} 기사")
        with st.expander("표 Table"):
            ui.table(tl, "st_time_tbl", "어조 추이", f, column_config=labels.columns(tl))

st.subheader("매체별 어조 Tone by source")
if ui.need("sentiment_by_source"):
    bs = ui.safe_q("sentiment_by_source", f)
    if ui.is_empty(bs):
        ui.empty()
    else:
        pts = ui.chart(figures.figure("sentiment_source_chart", "sentiment_by_source", (f,)), "st_src", "매체별 어조", f, select=True)
        pick = state.chart_pick("ssel", pts, 1)
        if pick:
            src = pick[0]
            ui.article_list(state.drill_filters(f, source=src), "st_src_drill", f"{src} 기사")
        ui.table(bs, "st_src_tbl", "매체별 어조", f, column_config=labels.columns(bs))

st.subheader("대상 어조 Tone towards a keyword or entity")
if ui.need("target_sentiment"):
    top_ent = ui.safe_q("top_entities", f, None, 1) if ui.data.has("top_entities") else None
    top_ent = "" if ui.is_empty(top_ent) else str(top_ent["entity"].iloc[0])  # starts on the top entity
    target = state.text("대상 (단어 또는 개체) Target", "st_target", "target", top_ent, always=True,
                        placeholder="예: 삼성전자")
    if target.strip():
        res = ui.safe_q("target_sentiment", f, target.strip())
        summary, evidence = res if res else ({}, None)
        if not summary and ui.is_empty(evidence):
            ui.empty(f"'{target}'가 나오는 문장이 없습니다. (No sentences mention it.)")
        else:
            c1, c2 = st.columns([1, 2])
            with c1:
                for k, v in (summary or {}).items():
                    if isinstance(v, int | float):
                        st.metric(labels.field(k), f"{v:.2f}" if isinstance(v, float) else f"{v:,}")
            with c2:
                if summary:
                    ui.chart(charts.tone_pie(summary), "st_target_pie", f"어조 {target}", f)
            if not ui.is_empty(evidence):
                st.caption("근거 문장: 초록 긍정 · 회색 중립 · 빨강 부정 (evidence sentences coloured by label)")
                ui.tone_table(ui.evidence_view(evidence), "st_evidence")
                ui.downloads_table(evidence, "st_evidence_dl", f"근거 문장 {target}", f)
