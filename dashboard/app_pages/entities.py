"""개체 Entities: top people / organisations / places, timeline, network, merge into an alias."""

from pathlib import Path

import streamlit as st

from analytics import lexicon
from dashboard import access, bigkinds_ui, charts, data, state, ui

TYPES = {"PS": "인물 People", "OG": "기관 Organisations", "LC": "장소 Places"}

st.title("개체 Entities")
if ui.no_store():
    st.stop()
f = state.current_filters()
gran = state.granularity()

st.subheader("주요 개체 Top entities")
picked = None
with st.container():  # one section of the page
    n = state.slider("개수 N", 5, 50, 15, 5, "ent_n", "n")
    cols = st.columns(3)
    for col, (etype, label) in zip(cols, TYPES.items(), strict=True):
        with col:
            st.markdown(f"**{label}**")
            shown = ui.query_chart(data.top_entities, (f, etype, n), charts.term_bar, "mentions",
                                   bkw={"label": "entity", "n": n}, key=f"ent_bar_{etype}", title=f"주요 개체 {etype}",
                                   f=f, select=True, table_at="expander", empty_msg="해당 개체가 없습니다. (None found.)")
            if shown.result is None:
                continue
            ents = shown.result
            if shown.points:
                picked = shown.points[0]["customdata"][0]
            merged = ents[ents["forms"] != ""] if "forms" in ents else ents.iloc[:0]
            if not merged.empty:  # one referent counted under several forms (민주당 + 더불어민주당)
                st.caption("합쳐진 표기 Merged forms: " + "; ".join(
                    f"{ui.esc(e)} ← {ui.esc(fm)}" for e, fm in zip(merged["entity"], merged["forms"], strict=True)))

bigkinds_ui.entities_block(f)  # BIG Kinds' own 인물/기관/위치 beside ours (issue 15 item 5)

st.subheader("개체 추이 Entity timeline")
if picked and st.session_state.get("ent_last_pick") != picked:  # a newly selected bar fills the box
    st.session_state["ent_pick"] = st.session_state["ent_last_pick"] = picked
top_ent = data.top_entities(f, None, 1)
top_ent = "" if ui.is_empty(top_ent) else str(top_ent["entity"].iloc[0])  # starts on the top entity
entity = state.text("개체 Entity", "ent_pick", "entity", top_ent, always=True,
                    placeholder="막대를 선택하거나 입력하세요").strip()
if entity:
    forms = data.entity_forms(f, entity)  # which written forms are counted under this referent
    if not ui.is_empty(forms):
        ref = forms.attrs.get("referent", entity)
        if len(forms) > 1:
            st.caption(f"**{ui.esc(ref)}** 합쳐진 표기 Merged forms (가장 많이 쓴 표기로서의 기사 수 articles): " + ", ".join(
                ui.esc(fm) + (f" ({n})" if n else "") + (" ← 말뭉치 병합" if m else "")
                for fm, m, n in zip(forms["form"], forms["merged"], forms["articles"], strict=True)))
        elif ref != entity:
            st.caption(f"'{ui.esc(entity)}' → **{ui.esc(ref)}**")
    ui.query_chart(data.entity_timeline, (f, entity, gran), charts.timeline_chart, gran, key="ent_tl",
                   title=f"개체 추이 {entity}", f=f, empty_msg=f"'{entity}'의 언급이 없습니다. (No mentions.)")
    arts = data.entity_articles(f, entity)
    if not ui.is_empty(arts):
        st.markdown(f"**{ui.esc(entity)}** 기사")
        ui.table(ui.display_articles(arts), "ent_arts", f"개체 기사 {entity}", f,
                 column_config=ui.ARTICLE_COLS | {"id": None})

st.subheader("개체 네트워크 Entity network")
with st.container():  # one section of the page
    c1, c2, c3 = st.columns([2, 1, 1])
    types = state.multi("유형 Types", list(TYPES), "ent_net_types", "types", list(TYPES), where=c1,
                        format_func=TYPES.get)
    min_w = state.slider("최소 가중치 Weight ≥", 1, 20, 1, 1, "ent_net_w", "minw", where=c2)
    n_nodes = state.slider("개체 수 Nodes", 10, 80, 30, 5, "ent_net_n", "nodes", where=c3)
    if not types:
        ui.empty("유형을 하나 이상 고르세요. (Pick at least one type.)")
    else:
        net = ui.query_chart(data.entity_network, (f, tuple(types), min_w, n_nodes), charts.network_chart, "type",
                             spread=True, key="ent_net", title="개체 네트워크", f=f,
                             empty_msg="이 가중치 이상인 연결이 없습니다. (No links at this weight.)")
        if net.result is not None:
            with st.expander("연결 표 Edges"):
                ui.table(net.result[1], "ent_net_edges", "개체 연결", f)

st.subheader("개체 합치기 Merge entities into an alias")
st.caption("여러 표기를 하나의 대표어로 묶습니다 (예: 삼성, 삼성전자 → 삼성전자). 저장하면 모든 차트가 즉시 다시 집계됩니다.")
lex_dir = Path(data.lexicon_path())
writable = access.gate("ent_merge")  # issue 14: merging edits the alias file (a write action)
with st.form("ent_merge"):
    variants = st.text_input("변형들 (쉼표로 구분) Variants", placeholder="예: 삼성, Samsung")
    canon = st.text_input("대표어 Canonical", placeholder="예: 삼성전자")
    if st.form_submit_button("합치기 Merge", disabled=not writable) and access.require():
        vs = [v.strip() for v in variants.split(",") if v.strip() and v.strip() != canon.strip()]
        if not vs or not canon.strip():
            st.warning("변형과 대표어를 모두 입력하세요. (Both sides are needed.)")
        else:
            try:
                aliases = lexicon.load_aliases(lex_dir)
                aliases.update({v: canon.strip() for v in vs})
                lexicon.save_aliases(lex_dir, aliases)
                data.clear()
                ui.alert("success", f"저장했습니다: {', '.join(vs)} → {canon.strip()}")
            except ValueError as e:
                ui.alert("error", f"저장하지 못했습니다: {e}")
