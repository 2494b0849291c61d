"""데이터 Data: upload files and run the pipeline in the background; ingest report; store versions;
the user stopword and alias editor (applied at query time: every chart recounts at once)."""

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import config, lexicon
from analytics.filters import Filters
from analytics.ingest import report as ingest_report
from dashboard import access, data, jobs, ui

st.title("데이터 Data")
f = Filters()
writable = access.gate("data")  # read-only reason, 잠김 with the token form, or unlocked

# ---- upload ----------------------------------------------------------------------------------
st.subheader("파일 올리기 Upload")
max_mb = int(config.get("max_upload_mb"))
st.caption(f"허용 형식: {', '.join(jobs.ALLOWED)} · 파일당 최대 {max_mb} MB. BIG Kinds 내려받기(xlsx)도 그대로 올리면 됩니다. "
           "올린 파일은 임의의 안전한 이름으로 저장됩니다.")
# not rendered at all without write access: the uploader itself sends the file to the server
files = (st.file_uploader("파일 선택 Files", type=list(jobs.ALLOWED), accept_multiple_files=True, key="upl_files")
         if writable else None)
job = jobs.current()
running = job is not None and job.running
if st.button("불러오기·분석 시작 Ingest and analyse", type="primary", disabled=not files or running or not writable) \
        and access.require():
    try:
        paths = jobs.save_uploads([(u.name, u.getvalue()) for u in files], Path(str(config.get("upload_dir"))), max_mb)
        jobs.start(paths, data.store_path())
        st.rerun()
    except ValueError as e:
        ui.alert("error", str(e))


@st.fragment(run_every=1.0)
def job_status() -> None:
    j = jobs.current()
    if j is None:
        return
    st.progress(min(1.0, j.fraction), text=f"{j.stage_label} {j.done:,}/{j.total:,}" if j.total else j.stage_label)
    if j.running:
        return
    if j.error:
        ui.alert("error", f"작업 실패 (job failed): {j.error}")
    else:
        st.success("완료했습니다. 모든 페이지가 새 데이터를 보여 줍니다. (Done.)")
    if j.report:
        r = j.report
        st.write(f"추가 {r.get('added', 0)} · 갱신 {r.get('updated', 0)} · 변경 없음 {r.get('unchanged', 0)} · "
                 f"중복 {r.get('duplicates', 0)} · 파일 {r.get('files', 0)} · 문제 {len(r.get('problems', []))}")
        if r.get("problems"):
            st.dataframe(pd.DataFrame(r["problems"]), hide_index=True, width="stretch")
        if r.get("mapping"):  # which column became which field, what lacks a source or a date
            st.dataframe(pd.DataFrame(ingest_report.mapping_table(r)), hide_index=True, width="stretch")
    if not j.cleared:
        j.cleared = True
        data.clear()


job_status()

if ui.no_store():
    st.stop()

# ---- last ingest problems + store versions ---------------------------------------------------
st.subheader("최근 불러오기 문제 Ingest problems")
if ui.need("last_problems"):
    probs = ui.safe_q("last_problems")
    if ui.is_empty(probs):
        st.success("최근 불러오기에서 문제가 없었습니다. (No problems in the last ingest.)")
    else:
        ui.table(probs, "data_problems", "불러오기 문제", f)

st.subheader("저장소 버전 Store versions")
ui.query_table("store_versions", (), "data_versions", "저장소 버전", f, "버전 기록이 없습니다.")

# ---- lexicon editor ----------------------------------------------------------------------------
st.subheader("사용자 사전 User stopwords and aliases")
st.caption("불용어와 별칭은 질의할 때 적용됩니다. 저장하면 재분석 없이 모든 차트가 즉시 다시 집계됩니다.")
lex_dir = Path(data.lexicon_path())
c1, c2 = st.columns(2)
with c1:
    st.markdown("**불용어 Stopwords**")
    sw = pd.DataFrame({"term": sorted(lexicon.load_stopwords(lex_dir))}, dtype="string")
    sw_edit = st.data_editor(sw, num_rows="dynamic", hide_index=True, width="stretch", key="lex_sw",
                             disabled=not writable,
                             column_config={"term": st.column_config.TextColumn("단어 term", max_chars=lexicon.MAX_TERM_CHARS)})
    if st.button("불용어 저장 Save stopwords", key="lex_sw_save", disabled=not writable) and access.require():
        try:
            lexicon.save_stopwords(lex_dir, [t for t in sw_edit["term"].dropna() if str(t).strip()])
            data.clear()
            st.success("저장했습니다. (Saved.)")
        except ValueError as e:
            ui.alert("error", str(e))
with c2:
    st.markdown("**별칭 Aliases** (variant → canonical)")
    try:
        al = lexicon.load_aliases(lex_dir)
    except ValueError as e:
        ui.alert("error", f"aliases.csv를 읽지 못했습니다: {e}")
        al = {}
    al_df = pd.DataFrame({"variant": list(al), "canonical": list(al.values())}, dtype="string")
    al_edit = st.data_editor(al_df, num_rows="dynamic", hide_index=True, width="stretch", key="lex_al",
                             disabled=not writable,
                             column_config={"variant": st.column_config.TextColumn("변형 variant",
                                                                                    max_chars=lexicon.MAX_TERM_CHARS),
                                            "canonical": st.column_config.TextColumn("대표어 canonical",
                                                                                      max_chars=lexicon.MAX_TERM_CHARS)})
    if st.button("별칭 저장 Save aliases", key="lex_al_save", disabled=not writable) and access.require():
        rows = al_edit.dropna(how="all")
        try:
            lexicon.save_aliases(lex_dir, {str(v): str(c) for v, c in zip(rows["variant"].fillna(""),
                                                                         rows["canonical"].fillna(""), strict=True)})
            data.clear()
            st.success("저장했습니다. (Saved.)")
        except ValueError as e:
            ui.alert("error", str(e))
