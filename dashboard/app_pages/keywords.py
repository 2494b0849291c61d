"""키워드 Keywords: terms over time, top keywords, rising/fading, related words, word cloud, KWIC."""

import streamlit as st

from dashboard import charts, figures, query_compare, state, ui

st.title("키워드 Keywords")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()

# ---- compare up to 8 terms over time -------------------------------------------------------
st.subheader("키워드 추이 비교 Terms over time")
if ui.need("keyword_trend"):
    c1, c2, c3 = st.columns([4, 2, 1])
    raw = c1.text_input("비교할 단어 (쉼표로 구분, 최대 8개) Terms, comma-separated", key="kw_terms",
                        placeholder="예: 인공지능, 혁신, 스타트업", bind="query-params")
    measure = c2.radio("척도 Measure", list(charts.MEASURES), format_func=charts.MEASURES.get,
                       horizontal=True, key="kw_measure", bind="query-params")
    by_source = c3.toggle("매체별 by source", key="kw_bysrc")
    terms = tuple(dict.fromkeys(t.strip() for t in (raw or "").split(",") if t.strip()))
    if len(terms) > 8:
        st.warning("최대 8개까지 비교합니다. 앞의 8개만 사용합니다. (Up to 8 terms.)")
        terms = terms[:8]
    if not terms:
        st.caption("단어를 입력하면 기간별 추이를 그립니다. (Enter terms to compare.)")
    else:
        trend = ui.safe_q("keyword_trend", f, terms, gran, by_source)
        if ui.is_empty(trend):
            ui.empty()
        else:
            pts = ui.chart(figures.figure("keyword_trend_chart", "keyword_trend", (f, terms, gran, by_source), gran,
                                           measure or "articles"), "kw_trend",
                           "키워드 추이", f, select=True)
            if pts:
                term, period = pts[0]["customdata"][0], pts[0]["customdata"][1]
                ui.article_list(state.drill_filters(f, period=period, gran=gran, term=term), "kw_drill",
                                f"{period} · {term} 기사")
            with st.expander("표 Table"):
                ui.table(trend, "kw_trend_tbl", "키워드 추이", f)

# ---- Boolean queries compared over time (dashboard/query_compare.py) ------------------------
query_compare.section(f, gran)

# ---- top keywords + word cloud -------------------------------------------------------------
st.subheader("주요 키워드 Top keywords")
if ui.need("top_keywords"):
    c1, c2 = st.columns([1, 3])
    method = c1.radio("방법 Method", ["yake", "tf"], key="kw_method", horizontal=True,
                      format_func={"yake": "YAKE", "tf": "빈도 TF"}.get, bind="query-params")
    n = c2.slider("개수 N", 10, 100, 30, 10, key="kw_n")
    top = ui.safe_q("top_keywords", f, n, method)
    if ui.is_empty(top):
        ui.empty()
    else:
        left, right = st.columns([2, 3])
        with left:
            ui.table(top, "kw_top", "주요 키워드", f,
                     column_config={"term": "단어", "score": "점수", "tf": "빈도", "df": "기사 수"})
        with right:
            if st.toggle("워드클라우드 보기 Show word cloud", key="kw_cloud_on"):
                try:
                    ui.chart(figures.figure("keyword_cloud", "top_keywords", (f, n, method)), "kw_cloud",
                             "워드클라우드", f)
                except FileNotFoundError as e:
                    ui.alert("warning", f"워드클라우드를 그릴 수 없습니다: {e}")
                except ValueError:
                    ui.empty("워드클라우드에 넣을 단어가 없습니다. (No words for the cloud.)")
            else:
                st.caption("워드클라우드는 켤 때만 그립니다. (The word cloud is drawn on demand.)")

# ---- rising and fading ---------------------------------------------------------------------
st.subheader("급상승·하락 단어 Rising and fading terms")
if ui.need("rising_terms"):
    st.caption("최근 구간을 기준 구간과 비교합니다. 기준을 비우면 그 이전 전체가 기준입니다. "
               "(Recent window vs a baseline; empty baseline = everything before.)")
    c1, c2, c3, c4 = st.columns(4)
    start = c1.date_input("최근 시작 Recent from", value=None, key="rise_start")
    end = c2.date_input("최근 끝 Recent to", value=None, key="rise_end")
    bstart = c3.date_input("기준 시작 Baseline from", value=None, key="rise_bstart")
    bend = c4.date_input("기준 끝 Baseline to", value=None, key="rise_bend")
    if not start or not end:
        st.caption("최근 구간의 시작과 끝을 고르세요. (Pick the recent window.)")
    else:
        rise = ui.safe_q("rising_terms", f, start, end, bstart, bend, 30)
        if ui.is_empty(rise):
            ui.empty()
        else:
            ui.chart(figures.figure("rising_chart", "rising_terms", (f, start, end, bstart, bend, 30)), "kw_rise", "급상승 하락 단어", f)
            with st.expander("표 Table"):
                ui.table(rise, "kw_rise_tbl", "급상승 하락 단어", f)

# ---- related words network -----------------------------------------------------------------
st.subheader("연관어 네트워크 Related words")
if ui.need("cooccurrence_network"):
    c1, c2, c3 = st.columns(3)
    n_nodes = c1.slider("단어 수 Nodes", 10, 80, 30, 5, key="net_nodes")
    min_w = c2.slider("최소 동시출현 Weight ≥", 1, 20, 2, key="net_weight")
    with_ents = c3.toggle("개체 포함 include entities", key="net_ents")
    res = ui.safe_q("cooccurrence_network", f, n_nodes, min_w, with_ents)
    if ui.is_empty(res) or res[0].empty:
        ui.empty("이 가중치 이상인 연결이 없습니다. 슬라이더를 낮춰 보세요. (No links at this weight.)")
    else:
        nodes, edges = res
        ui.chart(figures.figure("network_chart", "cooccurrence_network", (f, n_nodes, min_w, with_ents), "kind",
                                 spread=True), "kw_net", "연관어 네트워크", f)
        with st.expander("연결 표 Edges"):
            ui.table(edges, "kw_net_edges", "연관어 연결", f)
if ui.need("related_terms"):
    c1, c2 = st.columns([3, 1])
    rel_term = c1.text_input("이 단어의 연관어 Related to", key="rel_term", placeholder="예: 혁신")
    scope = c2.radio("범위 Scope", ["sentence", "article"], horizontal=True, key="rel_scope",
                     format_func={"sentence": "문장", "article": "기사"}.get)
    if rel_term.strip():
        rel = ui.safe_q("related_terms", f, rel_term.strip(), scope, 2, 30)
        if ui.is_empty(rel):
            ui.empty()
        else:
            ui.chart(figures.figure("term_bar", "related_terms", (f, rel_term.strip(), scope, 2, 30), "pmi", n=30),
                     "kw_rel", f"연관어 {rel_term}", f)
            ui.table(rel, "kw_rel_tbl", f"연관어 {rel_term}", f)

# ---- keyword in context --------------------------------------------------------------------
st.subheader("문맥 속 키워드 Keyword in context")
if ui.need("kwic"):
    kw = st.text_input("단어 Term", key="kwic_term", placeholder="예: 인공지능")
    if kw.strip():
        rows = ui.safe_q("kwic", f, kw.strip(), 40, 200)
        if ui.is_empty(rows):
            ui.empty()
        else:
            ui.table(rows, "kwic_tbl", f"KWIC {kw}", f,
                     column_config={"article_id": None, "published": "일자", "source": "매체",
                                    "left": st.column_config.TextColumn("앞 left"),
                                    "keyword": "단어", "right": st.column_config.TextColumn("뒤 right")})
