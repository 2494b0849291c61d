"""기사 Articles: search and filter; a reader with metadata, keywords, entities and tone.

Article text and metadata are untrusted: always shown through st.text / st.dataframe / plotly or
escaped markdown, never as HTML.
"""

import pandas as pd
import streamlit as st

from analytics.config import UNKNOWN
from dashboard import data, state, ui

st.title("기사 Articles")
if ui.no_store():
    st.stop()
f = state.current_filters()
arts = data.articles(f)
if ui.is_empty(arts):
    ui.empty()
    st.stop()
view = ui.display_articles(arts)
st.caption(f"{len(view):,}건 · 행을 선택하면 본문을 읽을 수 있습니다. (Select a row to read the article.)")
rows = ui.table(view, "art_table", "기사 목록", f, select=True, column_config=ui.ARTICLE_COLS | {"id": None})
# the open article is kept in the URL (art=<id>): a shared link opens the same article
pick = state.chart_pick("art", [{"customdata": [view.iloc[rows[0]]["id"]]}] if rows else [], 1)
if not pick:
    st.stop()
aid = pick[0]
shown = view[view["id"].astype(str) == aid]
a = data.article(aid)
if not a:
    ui.empty("기사를 찾을 수 없습니다. (Article not found.)")
    st.stop()
# the date as the table shows it: date_label (respects the date's precision) when the query gives one
day = ui.date_text(pd.Series([a.get("published")]), pd.Series([a.get("date_label")]) if "date_label" in a
                   else pd.Series([shown["published"].iloc[0] if len(shown) else a.get("published")]))[0]
st.divider()
st.subheader(ui.esc(a.get("title") or "(제목 미상)"))
meta = {
    "매체 source": a.get("source") or UNKNOWN, "일자 published": day,
    "저자 author": a.get("author") or UNKNOWN, "URL": a.get("url") or UNKNOWN,
    "언어 language": a.get("language") or UNKNOWN, "발췌본 excerpt": "예" if a.get("is_excerpt") else "아니오",
    "출처 origin": a.get("origin") or UNKNOWN, "ID": a.get("id"),
}
st.dataframe(pd.DataFrame({"항목": list(meta), "값": [str(v) for v in meta.values()]}), hide_index=True,
             width="stretch")
if link := ui.safe_link(a.get("url")):  # http(s) only: scraped URLs never become javascript: links
    st.link_button("원문 보기 (open the original)", link)

tabs = st.tabs(["본문 Text", "문장 어조 Sentences", "키워드 Keywords", "개체 Entities"])
with tabs[0]:
    text = a.get("text") or ""
    ents0 = data.article_entities(aid)
    names = [] if ui.is_empty(ents0) else list(ents0["entity"].astype(str))
    if names and state.toggle("개체 표시 【】 (mark entities)", "art_mark", "mark", True):
        text = ui.mark_entities(text, names)
    st.text(text)  # never markdown/HTML: article text is untrusted
with tabs[1]:
    sents = data.article_sentences(aid)
    if ui.is_empty(sents):
        ui.empty("문장 분석 결과가 없습니다. (Not analysed yet.)")
    else:
        st.caption("문장별 어조: 초록 긍정 · 회색 중립 · 빨강 부정 (sentences shaded by tone)")
        ui.tone_table(sents[[c for c in ("text", "label", "score") if c in sents.columns]], "art_sents")
        ui.downloads_table(sents, "art_sents_dl", "기사 문장 어조", f)
with tabs[2]:
    ui.query_table(data.article_keywords, (aid,), "art_kw", "기사 키워드", f, "키워드가 없습니다. (No keywords.)")
with tabs[3]:
    # `sentences` holds sentence positions (-1 = the title): a reader has no use for them
    ui.query_table(data.article_entities, (aid,), "art_ent", "기사 개체", f, "개체가 없습니다. (No entities.)",
                   column_config={"sentences": None})
