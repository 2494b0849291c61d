"""키워드 Keywords: terms over time, top keywords, rising/fading, related words, word cloud, KWIC."""

import streamlit as st

from dashboard import bigkinds_ui, charts, data, labels, query_compare, state, ui

st.title("키워드 Keywords")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()

# ---- compare up to 8 terms over time -------------------------------------------------------
st.subheader("키워드 추이 비교 Terms over time")
with st.container():  # one section of the page
    c1, c2, c3 = st.columns([4, 2, 1])
    top5 = data.top_keywords(f, 5, "tf")
    top5 = [] if ui.is_empty(top5) else [str(t) for t in top5["term"]]
    # starts with the top keywords (in the URL like any typed list); empty = the current top keywords
    raw = state.text("비교할 단어 (쉼표로 구분, 최대 8개) Terms, comma-separated", "kw_terms", "terms",
                     ", ".join(top5), where=c1, always=True, placeholder="예: 인공지능, 혁신, 스타트업")
    measure = state.select("척도 Measure", list(labels.MEASURES), "kw_measure", "measure", widget="radio",
                           where=c2, format_func=labels.MEASURES.get, horizontal=True)
    by_source = state.toggle("매체별 by source", "kw_bysrc", "bysrc", where=c3)
    terms = tuple(dict.fromkeys(t.strip() for t in (raw or "").split(",") if t.strip()))
    if not terms and top5:
        st.caption("단어 칸이 비어 있어 상위 키워드를 그립니다. (Empty: the top keywords.)")
        terms = tuple(top5)
    if len(terms) > 8:
        st.warning("최대 8개까지 비교합니다. 앞의 8개만 사용합니다. (Up to 8 terms.)")
        terms = terms[:8]
    if not terms:
        st.caption("단어를 입력하면 기간별 추이를 그립니다. (Enter terms to compare.)")
    else:
        ui.query_chart(data.keyword_trend, (f, terms, gran, by_source), charts.keyword_trend_chart, gran,
                       measure or "articles", key="kw_trend", title="키워드 추이", f=f, table_at="expander",
                       drill=ui.Drill("tsel", 2, lambda p: (state.drill_filters(f, period=p[1], gran=gran, term=p[0]),
                                                            f"{p[1]} · {p[0]} 기사"), "kw_drill"))

# ---- Boolean queries compared over time (dashboard/query_compare.py) ------------------------
query_compare.section(f, gran)

# ---- top keywords + word cloud -------------------------------------------------------------
st.subheader("주요 키워드 Top keywords")
with st.container():  # one section of the page
    c1, c2 = st.columns([1, 3])
    method = state.select("방법 Method", list(labels.METHODS), "kw_method", "method", widget="radio", where=c1,
                          format_func=labels.METHODS.get, horizontal=True)
    n = state.slider("개수 N", 10, 100, 30, 10, "kw_n", "n", where=c2)
    top = data.top_keywords(f, n, method)
    if ui.is_empty(top):
        ui.empty()
    else:
        left, right = st.columns([2, 3])
        with left:
            ui.table(top, "kw_top", "주요 키워드", f, column_config=labels.columns(top))
        with right:
            if state.toggle("워드클라우드 보기 Show word cloud", "kw_cloud_on", "cloud"):
                try:
                    ui.chart(data.figure(charts.keyword_cloud, data.top_keywords, (f, n, method)), "kw_cloud",
                             "워드클라우드", f)
                except FileNotFoundError as e:
                    ui.alert("warning", f"워드클라우드를 그릴 수 없습니다: {e}")
                except ValueError:
                    ui.empty("워드클라우드에 넣을 단어가 없습니다. (No words for the cloud.)")
            else:
                st.caption("워드클라우드는 켤 때만 그립니다. (The word cloud is drawn on demand.)")

bigkinds_ui.keywords_block(f)  # BIG Kinds' own keywords beside ours (issue 15 item 5)

# ---- rising and fading ---------------------------------------------------------------------
st.subheader("급상승·하락 단어 Rising and fading terms")
with st.container():  # one section of the page
    mode = state.select("비교 구간 Windows", list(labels.RISE_MODES), "rise_mode", "rise", widget="radio",
                        format_func=labels.RISE_MODES.get, horizontal=True)
    start = end = bstart = bend = None
    if mode == "latest":
        found = state.latest_pair(lambda g: data.volume(f, g), gran)
        pair, unit = found if found else (None, gran)
        if pair is None:
            st.info("기사가 있는 기간이 하나뿐이라 비교할 수 없습니다. 사이드바의 단위를 더 작게 (주, 일) 바꾸거나 "
                    "구간을 직접 고르세요. (Only one period: pick a finer granularity or custom windows.)")
        else:
            (start, end), (bstart, bend) = pair
            finer = f" (사이드바 단위에는 이어진 두 기간이 없어 {labels.GRANULARITY[unit]} 단위)" if unit != gran else ""
            st.caption(f"최근 {labels.GRANULARITY[unit]} 단위 기간 {start} ~ {end}을 기사가 있는 직전 기간 "
                       f"{bstart} ~ {bend}과 비교합니다{finer} (G² 순). (Latest period vs the one before.)")
    else:
        st.caption("최근 구간을 기준 구간과 비교합니다. 기준을 비우면 최근 구간 바로 앞의 같은 길이 기간이 기준입니다. "
                   "(Recent window vs a baseline; empty baseline = the equally long period just before.)")
        c1, c2, c3, c4 = st.columns(4)
        start = state.date_in("최근 시작 Recent from", "rise_start", "rfrom", where=c1)
        end = state.date_in("최근 끝 Recent to", "rise_end", "rto", where=c2)
        bstart = state.date_in("기준 시작 Baseline from", "rise_bstart", "bfrom", where=c3)
        bend = state.date_in("기준 끝 Baseline to", "rise_bend", "bto", where=c4)
    if not start or not end:
        if mode != "latest":
            st.caption("최근 구간의 시작과 끝을 고르세요. (Pick the recent window.)")
    else:
        ui.query_chart(data.rising_terms, (f, start, end, bstart, bend, 30), charts.rising_chart, key="kw_rise",
                       title="급상승 하락 단어", f=f, table_at="expander")

# ---- related words network -----------------------------------------------------------------
st.subheader("연관어 네트워크 Related words")
with st.container():  # one section of the page
    c1, c2, c3 = st.columns(3)
    n_nodes = state.slider("단어 수 Nodes", 10, 80, 30, 5, "net_nodes", "nodes", where=c1)
    min_w = state.slider("최소 동시출현 Weight ≥", 1, 20, 2, 1, "net_weight", "minw", where=c2)
    with_ents = state.toggle("개체 포함 include entities", "net_ents", "ents", where=c3)
    net = ui.query_chart(data.cooccurrence_network, (f, n_nodes, min_w, with_ents), charts.network_chart, "kind",
                         spread=True, key="kw_net", title="연관어 네트워크", f=f,
                         empty_msg="이 가중치 이상인 연결이 없습니다. 슬라이더를 낮춰 보세요. (No links at this weight.)")
    if net.result is not None:
        with st.expander("연결 표 Edges"):
            ui.table(net.result[1], "kw_net_edges", "연관어 연결", f)
top1 = data.top_keywords(f, 5, "tf")  # the cached list of the terms-over-time default: its first is the top term
top1 = "" if ui.is_empty(top1) else str(top1["term"].iloc[0])  # related words and KWIC start on it
with st.container():  # one section of the page
    c1, c2 = st.columns([3, 1])
    rel_term = state.text("이 단어의 연관어 Related to", "rel_term", "rel", top1, where=c1, always=True,
                          placeholder="예: 혁신")
    scope = state.select("범위 Scope", list(labels.SCOPES), "rel_scope", "scope", widget="radio", where=c2,
                         format_func=labels.SCOPES.get, horizontal=True)
    if rel_term.strip():
        ui.query_chart(data.related_terms, (f, rel_term.strip(), scope, 2, 30), charts.term_bar, "g2", bkw={"n": 30},
                       key="kw_rel", title=f"연관어 {rel_term}", f=f, table_at="below")

# ---- keyword in context --------------------------------------------------------------------
st.subheader("문맥 속 키워드 Keyword in context")
with st.container():  # one section of the page
    kw = state.text("단어 Term", "kwic_term", "kwic", top1, always=True, placeholder="예: 인공지능")
    if kw.strip():
        rows = data.kwic(f, kw.strip(), 40, 200)
        if ui.is_empty(rows):
            ui.empty()
        else:
            ui.table(rows, "kwic_tbl", f"KWIC {kw}", f,
                     column_config=labels.columns(rows, article_id=None,
                                                  left=st.column_config.TextColumn(labels.field("left")),
                                                  right=st.column_config.TextColumn(labels.field("right"))))
