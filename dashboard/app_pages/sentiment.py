"""감성 Sentiment: tone over time and by source with their n, tone towards a target with evidence,
and the words that carry negative and positive sentences (감성 연관어)."""

import streamlit as st

from dashboard import charts, data, state, ui

# Korean headers for the tone columns (query results keep English names)
TONE_COLUMNS = {
    "period": "기간", "source": "매체", "articles": "기사 수", "sentences": "문장 수",
    "neg_sentences": "부정 문장", "neu_sentences": "중립 문장", "pos_sentences": "긍정 문장",
    "neg_articles": "부정 기사", "neu_articles": "중립 기사", "pos_articles": "긍정 기사",
    "neg_share": "부정 문장 비율", "neu_share": "중립 문장 비율", "pos_share": "긍정 문장 비율",
    "neg_article_share": "부정 기사 비율", "neu_article_share": "중립 기사 비율",
    "pos_article_share": "긍정 기사 비율", "mean_score": "평균 어조", "neg_lo": "부정 비율 95% 하한",
    "neg_hi": "부정 비율 95% 상한", "pos_lo": "긍정 비율 95% 하한", "pos_hi": "긍정 비율 95% 상한",
    "small": "표본 작음",
}
for _k in [k for k in TONE_COLUMNS if "share" in k or k.endswith(("_lo", "_hi"))]:
    TONE_COLUMNS[_k] = st.column_config.NumberColumn(TONE_COLUMNS[_k], format="percent")
TONE_COLUMNS["mean_score"] = st.column_config.NumberColumn("평균 어조", format="%.2f")
DRIVER_COLUMNS = {"tone": "어조", "rank": "순위", "term": "단어", "count": "해당 어조 문장", "sentences": "전체 문장 수",
                  "negative": "부정", "neutral": "중립", "positive": "긍정", "articles": "기사 수", "share": "비율",
                  "lift": st.column_config.NumberColumn("향상도 (lift)", format="%.2f"), "small": "표본 작음"}
DRIVER_COLUMNS["share"] = st.column_config.NumberColumn("비율", format="percent")
# On the BIG Kinds vaccine export, a floor of 1.0 put 코로나19 (lift 1.14) first among the negative and
# second among the positive drivers, and 이상 (`65세 이상`) in both lists; 1.5 leaves the telling words.
DRIVER_MIN_LIFT = 1.5
SMALL_CAPTION = ("속이 빈 점과 '(n 작음)' 표시는 기사 10건 미만 또는 문장 30개 미만인 묶음입니다: 추세로 읽지 마세요. "
                 "95% 구간(Wilson)은 문장을 서로 독립으로 보고 계산하므로 실제보다 좁습니다. "
                 "기사 어조 = 부정 문장이 긍정 문장보다 많으면 부정, 적으면 긍정, 같으면 중립. "
                 "(Hollow markers / '(n 작음)': fewer than 10 articles or 30 sentences.)")
MEASURES = {"neg_share": "부정 문장 비율", "pos_share": "긍정 문장 비율", "neg_article_share": "부정 기사 비율",
            "pos_article_share": "긍정 기사 비율", "mean_score": "평균 어조"}

st.title("감성 Sentiment")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
st.caption("문장마다 부정·중립·긍정을 붙인 모델의 측정 정확도와 라벨 기준: 방법 페이지 / docs/method/sentiment.md")

st.subheader("어조 추이 Tone over time")
measure = state.select("지표 Measure", list(MEASURES), "st_measure", "smeasure", widget="radio",
                       format_func=MEASURES.get, horizontal=True)
ui.query_chart(data.sentiment_over_time, (f, gran), charts.sentiment_time_chart, gran, bkw={"measure": measure},
               key="st_time", title="어조 추이", f=f, note=SMALL_CAPTION, table_at="expander",
               column_config=TONE_COLUMNS, drill=ui.drill_period_source(f, gran, "tsel", "st_drill"))

st.subheader("매체별 어조 Tone by source")
ui.query_chart(data.sentiment_by_source, (f,), charts.sentiment_source_chart, key="st_src", title="매체별 어조", f=f,
               table_at="below", column_config=TONE_COLUMNS, drill=ui.drill_source(f, "ssel", "st_src_drill"))

st.subheader("대상 어조 Tone towards a keyword or entity")
with st.container():  # one section of the page
    top_ent = data.top_entities(f, None, 1)
    top_ent = "" if ui.is_empty(top_ent) else str(top_ent["entity"].iloc[0])  # starts on the top entity
    target = state.text("대상 (단어 또는 개체) Target", "st_target", "target", top_ent, always=True,
                        placeholder="예: 삼성전자")
    if target.strip():
        res = data.target_sentiment(f, target.strip())
        summary, evidence = res if res else ({}, None)
        if not summary or not summary.get("sentences"):
            ui.empty(f"'{target}'가 나오는 문장이 없습니다. (No sentences mention it.)")
        else:
            c1, c2 = st.columns([1, 2])
            with c1:
                st.metric("문장 수 (기사 수)", f"{summary['sentences']:,} ({summary['articles']:,})")
                st.metric("부정 · 중립 · 긍정 문장",
                          f"{summary['neg_sentences']:,} · {summary['neu_sentences']:,} · {summary['pos_sentences']:,}")
                st.metric("부정 비율 (95% 구간)",
                          f"{summary['neg_share']:.0%} ({summary['neg_lo']:.0%}–{summary['neg_hi']:.0%})")
                st.metric("긍정 비율 (95% 구간)",
                          f"{summary['pos_share']:.0%} ({summary['pos_lo']:.0%}–{summary['pos_hi']:.0%})")
                st.metric("평균 어조", f"{summary['mean_score']:.2f}")
                if summary.get("small"):
                    st.caption("표본 작음: 기사 10건 미만 또는 문장 30개 미만 (small sample)")
            with c2:
                ui.chart(charts.tone_pie(summary), "st_target_pie", f"어조 {target}", f)
            if not ui.is_empty(evidence):
                st.caption("근거 문장: 초록 긍정 · 회색 중립 · 빨강 부정 (evidence sentences coloured by label)")
                ui.tone_table(ui.evidence_view(evidence), "st_evidence")
                ui.downloads_table(evidence, "st_evidence_dl", f"근거 문장 {target}", f)

st.subheader("감성 연관어 Sentiment drivers")
with st.container():  # one section of the page
    st.caption("부정·긍정 문장에 가장 자주 나오는 단어입니다. 대상을 비우면 필터된 기사의 모든 문장, 적으면 그 대상이 "
               "나오는 문장만 셉니다. 막대를 누르면 근거 문장이 나옵니다. 향상도(lift) = 이 단어 문장 중 그 어조의 비율 ÷ "
               f"전체 문장 중 그 어조의 비율이며, 향상도 {DRIVER_MIN_LIFT} 이상인 단어만 보입니다(어디에나 나오는 주제어 제외). "
               "(Words most often in negative / positive sentences, lift >= 1.5; click a bar for the evidence.)")
    dtarget = state.text("대상 (선택) Target (optional)", "st_drv_target", "dtarget", placeholder="예: 백신").strip()
    drv = data.sentiment_drivers(f, dtarget or None, min_lift=DRIVER_MIN_LIFT)
    if ui.is_empty(drv):
        ui.empty("연관어가 없습니다. (No words in the sentences in scope.)")
    else:
        pts_all: list[dict] = []
        cols = st.columns(2)
        for col, tone, name in ((cols[0], "negative", "부정 연관어"), (cols[1], "positive", "긍정 연관어")):
            with col:
                if (drv["tone"] == tone).any():
                    pts = ui.chart(charts.sentiment_driver_chart(drv, tone), f"st_drv_{tone}", name, f, select=True)
                    pts_all = pts_all or pts
                else:
                    ui.empty(f"{name}가 없습니다.")
        with st.expander("표 Table"):
            ui.table(drv, "st_drv_tbl", "감성 연관어", f, column_config=DRIVER_COLUMNS)
        picked = state.chart_pick("dsel", pts_all, 2)  # (term, tone), in the URL
        if picked:
            term, tone = picked
            ev = data.sentiment_driver_evidence(f, term, tone, dtarget or None)
            label = {"negative": "부정", "positive": "긍정"}.get(tone, tone)
            st.markdown(f"#### {ui.esc(term)} · {label} 근거 문장")
            if ui.is_empty(ev):
                ui.empty()
            else:
                ui.tone_table(ui.evidence_view(ev), "st_drv_evidence")
                ui.downloads_table(ev, "st_drv_evidence_dl", f"감성 연관어 근거 {term}", f)
