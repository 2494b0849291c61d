"""토픽 Topics: a topic model of the filtered articles (topics over time and by source, their
articles) and 이슈 Issues: the period's articles clustered into events, ranked by size.

The model is fitted once per store version, lexicon, filters and number of topics (kept on disk
by analytics.queries.topics); a rerun only reads it. Titles and terms are untrusted text: shown
through st.dataframe / escaped markdown / escaped Plotly text only.
"""

from datetime import timedelta

import streamlit as st

from analytics import topics as tm
from analytics.queries import topics as qt
from dashboard import charts, data, state, ui
from dashboard import topic_charts as tc

st.title("토픽 Topics")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()
K_OPTIONS = [0, *range(2, 41)]


def reader(article_id: str) -> None:
    """The selected article: title, date, source and text (plain text: article text is untrusted)."""
    a = data.article(article_id)
    if not a:
        ui.empty("기사를 찾을 수 없습니다. (Article not found.)")
        return
    st.markdown(f"##### {ui.esc(a.get('title') or '(제목 미상)')}")
    st.caption(f"{ui.esc(a.get('published') or '미상')} · {ui.esc(a.get('source') or '미상')}"
               + (" · 200자 발췌 (excerpt)" if a.get("is_excerpt") else ""))
    st.text(a.get("text") or "")


# ---- the topic model ---------------------------------------------------------------------------
def topic_section() -> None:
    """Topics: table, over time, by source, a topic's articles."""
    st.subheader("토픽 모델 Topic model")
    c1, c2 = st.columns([1, 2])
    k = state.select("토픽 수 Topics", K_OPTIONS, "tp_k", "k", 0, where=c1,
                     format_func=lambda v: "자동 auto (coherence)" if v == 0 else str(v))
    measure = state.select("척도 Measure", list(tc.TOPIC_MEASURES), "tp_measure", "tmeasure", widget="radio",
                           where=c2, format_func=tc.TOPIC_MEASURES.get, horizontal=True)
    k = int(k or 0)
    corpus = data.corpus()
    if corpus is not None and not qt.topic_model_ready(corpus, f, k):
        bar = st.progress(0.0, text="토픽 모델 학습 준비 중… (fitting the topic model, once per filter set)")
        try:
            qt.topic_model(corpus, f, k, progress=lambda frac, msg: bar.progress(min(max(frac, 0.0), 1.0), text=msg))
        except ValueError as e:
            bar.empty()
            ui.empty(str(e))
            return
        bar.empty()
    res = data.topic_summary(f, k)
    if res is None:
        return
    meta, topics, ktab = res["meta"], res["topics"], res["k_scores"]
    how = (f"자동 선택: 후보 {', '.join(str(x) for x in ktab['k'])} 중 coherence ({meta['criterion']})가 "
           "최고값에서 표준오차 1개 안에 드는 가장 적은 토픽 수"
           if meta["auto"] else "사용자 지정")
    st.caption(f"LDA (tomotopy, seed {meta['seed']}, {meta['iterations']} sweeps) · 토픽 {meta['k']}개 ({how}) · "
               f"기사 {meta['n_modelled']:,} / {meta['n_articles']:,}건 모델링. "
               + (f"기사의 절반 넘게 나오는 단어는 토픽을 가르지 못해 뺐습니다: {', '.join(meta['dropped_terms'][:8])}. "
                  if meta["dropped_terms"] else "")
               + (f"한 매체만의 표기 습관인 단어도 뺐습니다: {', '.join(meta.get('style_terms', [])[:8])}."
                  if meta.get("style_terms") else ""))
    if meta["auto"]:
        with st.expander("토픽 수 선택 근거 Coherence by number of topics"):
            st.plotly_chart(data.figure(charts.k_scores_chart, data.topic_summary, (f, k)), key="tp_kscores", width="stretch")
            st.caption(f"후보마다 같은 표본(최대 {tm.SELECT_SAMPLE:,}건)으로 시드 {tm.SELECT_SEEDS}개씩 LDA를 학습하고 "
                       "각 토픽 상위 10개 단어 쌍의 문서 단위 NPMI 평균을 비교했습니다. 높을수록 상위 단어가 같은 기사에 "
                       "함께 나옵니다. 막대 위 선은 시드 간 표준오차입니다. (docs/method/topics.md)")

    order = [c for c in ("topic", "label", "examples", "articles", "weight", "terms", "coherence") if c in topics]
    view = topics[order].rename(columns={"topic": "토픽", "label": "이름 label", "terms": "상위 단어 top terms",
                                  "weight": "비중 weight", "articles": "기사 수", "coherence": "coherence",
                                  "examples": "대표 기사 examples"})
    st.caption("행을 선택하면 그 토픽의 대표 기사를 보고, 기사를 선택하면 본문을 읽습니다. "
               "(Select a topic to see its articles, an article to read it.)")
    rows = ui.table(view, "tp_table", "토픽", f, select=True,
                    column_config={"비중 weight": st.column_config.NumberColumn(format="percent"),
                                   "coherence": st.column_config.NumberColumn(format="%.3f")})
    picked = int(topics.iloc[rows[0]]["topic"]) if rows else None

    st.markdown("#### 토픽 추이 Topics over time")
    tl = data.topic_over_time(f, k, gran)
    if ui.is_empty(tl):
        ui.empty()
    else:
        names = topics.set_index("topic")["label"]
        shown = state.multi("토픽 Topics shown", list(topics["topic"]), "tp_shown", "tshow",
                            list(topics["topic"][:8]), format_func=lambda t: tc.topic_name(t, names.get(t, "")))
        sizes = tl.dropna(subset=["period"]).drop_duplicates("period")["n_articles"]
        if gran in ("month", "quarter", "year") and len(sizes) and sizes.max() >= 0.8 * sizes.sum():
            st.caption("기사 대부분이 한 기간에 있습니다. 사이드바의 단위를 주(week)나 일(day)로 바꾸면 추이가 보입니다. "
                       "(Most articles fall in one period: pick a finer granularity in the sidebar.)")
        pts = ui.chart(data.figure(charts.topic_time_chart, data.topic_over_time, (f, k, gran), gran, measure or "share",
                                   tuple(shown) or None), "tp_time", "토픽 추이", f, select=True)
        pick = state.chart_pick("tsel", pts, 2)
        if pick:
            t_pt, period = int(pick[0]), str(pick[1])
            rng = state.period_range(period, gran)
            drill = data.topic_articles(f, k, t_pt, 500, *(rng or (None, None)))
            if rng is None and not ui.is_empty(drill):  # 미상: the undated articles
                drill = drill[drill["published"].isna()]
            st.markdown(f"##### {ui.esc(period)} · 토픽 {t_pt} 기사")
            if ui.is_empty(drill):
                ui.empty("이 시기에 이 토픽이 주된 기사는 없습니다. (No article has this as its main topic here.)")
            else:
                ui.table(ui.display_articles(drill), "tp_time_drill", f"토픽 {t_pt} {period}", f,
                         column_config=ui.ARTICLE_COLS | {"id": None})
        with st.expander("표 Table"):
            ui.table(tl, "tp_time_tbl", "토픽 추이", f)

    st.markdown("#### 매체별 토픽 Topics by source")
    ui.query_chart(data.topic_by_source, (f, k), charts.topic_source_chart, key="tp_src", title="매체별 토픽", f=f,
                   table_at="expander")

    if picked is not None:
        label = topics.set_index("topic")["label"][picked]
        st.markdown(f"#### 토픽 {picked} · {ui.esc(label)} 기사")
        arts = data.topic_articles(f, k, picked, 200)
        if ui.is_empty(arts):
            ui.empty("이 토픽이 주된 기사가 없습니다. (No article has this as its main topic.)")
        else:
            st.caption(f"이 토픽이 주된 기사 {len(arts):,}건, 이 토픽을 가장 잘 대표하는 순. 기사를 선택하면 본문을 읽습니다.")
            view = ui.display_articles(arts).assign(weight=arts["weight"].to_numpy())
            sel = ui.table(view, "tp_arts", f"토픽 {picked} 기사", f, select=True, column_config=ui.ARTICLE_COLS | {
                "id": None, "weight": st.column_config.NumberColumn("토픽 비중", format="percent")})
            if sel:
                reader(str(view.iloc[sel[0]]["id"]))


# ---- issues of a period ------------------------------------------------------------------------
def issue_section() -> None:
    """Issues of a period, ranked by size, and an issue's articles."""
    st.subheader("이슈 Issues")
    st.caption("기간 안의 기사를 같은 사건끼리 묶어 크기순으로 보여 줍니다 (단어 TF-IDF 코사인, 평균 연결 군집). "
               "이름은 묶음의 중심 기사 제목입니다. (Articles of the period clustered into events, largest first.)")
    default = data.issue_period(f)
    if default is None:
        ui.empty("날짜가 있는 기사가 없습니다. (No dated articles.)")
        return
    c1, c2, c3 = st.columns([1, 1, 1])
    d_from = state.date_in("시작 From", "iss_from", "ifrom", where=c1)
    d_to = state.date_in("끝 To", "iss_to", "ito", where=c2)
    GRAINS = dict(zip(tm.ISSUE_GRAINS, ("좁게 narrow", "보통 normal", "넓게 broad"), strict=True))
    dist = state.select("묶음 범위 Grouping", list(GRAINS), "iss_dist", "igroup", tm.ISSUE_DISTANCE,
                        widget="select_slider", where=c3, format_func=GRAINS.get)
    if d_to and not d_from:
        d_from = d_to - timedelta(days=6)
    d_from, d_to = d_from or default[0], d_to or default[1]
    if d_from > d_to:
        st.warning("시작이 끝보다 늦습니다. (From is after To.)")
        return
    if not (st.session_state.get("iss_from") and st.session_state.get("iss_to")):
        st.caption(f"기간을 고르지 않으면 기사가 10건 이상인 가장 최근 7일: {d_from} ~ {d_to}")
    res_i = data.issues(f, d_from, d_to, float(dist), 30)
    if res_i is None:
        return
    iss, iarts = res_i
    n_period = iss.attrs.get("period_articles", 0)
    if ui.is_empty(iss):
        ui.empty(f"이 기간의 기사 {n_period:,}건 중 같은 사건으로 묶인 기사가 없습니다. (No issue of two or more articles.)")
        return
    note = (f" 가장 최근 {iss.attrs['clustered']:,}건만 묶었습니다." if iss.attrs.get("clustered", 0) < n_period else "")
    n_all = int(iss.attrs.get("issues", len(iss)))
    shown = f"이슈 {n_all}개" + (f" 중 상위 {len(iss)}개" if n_all > len(iss) else "")
    st.caption(f"{d_from} ~ {d_to} 기사 {n_period:,}건 중 {shown}.{note} 행을 선택하면 기사를 봅니다.")
    iview = iss.rename(columns={"issue": "순위", "label": "이슈 (중심 기사 제목)", "articles": "기사 수",
                                "sources": "매체 수", "first": "처음", "last": "마지막", "terms": "주요 단어"})
    sel = ui.table(iview, "iss_table", "이슈 랭킹", f, select=True)
    if sel:
        i = int(iss.iloc[sel[0]]["issue"])
        st.markdown(f"#### 이슈 {i} · {ui.esc(iss.iloc[sel[0]]['label'])}")
        mine = iarts[iarts["issue"] == i]
        view = ui.display_articles(mine).assign(centrality=mine["centrality"].to_numpy())
        sel_a = ui.table(view, "iss_arts", f"이슈 {i} 기사", f, select=True, column_config=ui.ARTICLE_COLS | {
            "id": None, "centrality": st.column_config.NumberColumn("중심성", format="%.2f")})
        if sel_a:
            reader(str(view.iloc[sel_a[0]]["id"]))


topic_section()
issue_section()
