"""개요 Overview: corpus KPIs and article volume over time by source (drill down to articles)."""

import streamlit as st

from dashboard import charts, data, state

st.title("개요 Overview")
if data.corpus() is None:
    st.info("저장소가 비어 있습니다. `python -m analytics ingest 경로`로 기사를 불러오세요. (No store yet.)")
    st.stop()
f = state.current_filters()
gran = state.granularity()
k = data.q("kpis", f)
c1, c2, c3, c4 = st.columns(4)
c1.metric("기사 Articles", f"{k['articles']:,}")
c2.metric("매체 Sources", k["sources"])
c3.metric("기간 Date span", f"{k['first'] or '미상'} ~ {k['last'] or '미상'}")
c4.metric("고유 기사 Unique stories", f"{k['stories']:,}")
vol = data.q("volume", f, gran)
if vol.empty:
    st.warning("선택한 필터에 해당하는 기사가 없습니다. (No articles match these filters.)")
    st.stop()
st.subheader("기사량 추이 Volume over time")
event = st.plotly_chart(charts.volume_chart(vol, gran), on_select="rerun", selection_mode="points",
                        key="vol_chart", width="stretch")
points = (event or {}).get("selection", {}).get("points", []) if event else []
if points:
    src, period = points[0]["customdata"][0], points[0]["customdata"][1]
    st.markdown(f"**{period} · {src}** 기사")
    arts = data.q("articles", f)
    arts = arts[arts["source"] == src]
    labels = charts.period_labels(arts["published"], gran) if not arts.empty else arts["published"]
    st.dataframe(arts[labels == period][["published", "source", "title"]], hide_index=True, width="stretch")
