"""기사 Articles: the filtered articles; select one to read it. Text is always shown as text."""

import streamlit as st

from dashboard import data, state

st.title("기사 Articles")
if data.corpus() is None:
    st.info("저장소가 비어 있습니다. (No store yet.)")
    st.stop()
f = state.current_filters()
df = data.q("articles", f)
if df.empty:
    st.warning("선택한 필터에 해당하는 기사가 없습니다. (No articles match these filters.)")
    st.stop()
view = df.assign(published=df["published"].astype("string").fillna("미상"),
                 title=df["title"].fillna("(제목 미상)"), author=df["author"].fillna("미상"))
st.caption(f"{len(df):,}건 · 행을 선택하면 본문을 읽을 수 있습니다.")
sel = st.dataframe(view[["published", "source", "title", "author"]], hide_index=True, width="stretch",
                   on_select="rerun", selection_mode="single-row", key="art_table",
                   column_config={"published": "일자", "source": "매체", "title": "제목", "author": "저자"})
rows = sel.selection.rows if sel else []
if rows:
    a = data.q("article", df.iloc[rows[0]]["id"])
    st.divider()
    st.subheader(a["title"] or "(제목 미상)")
    st.caption(f"{a['source'] or '미상'} · {a['published'] or '미상'} · {a['author'] or '미상'}"
               + (" · 발췌본 (excerpt)" if a["is_excerpt"] else ""))
    st.text(a["text"])  # never markdown/HTML: article text is untrusted
