"""데이터 Data: upload files and run the pipeline in the background; ingest report; unfinished work
left by an earlier run (uploads not ingested, articles not analysed, damaged tables); store
versions; the user stopword and alias editor (applied at query time: every chart recounts at once).

Uploads pass the one upload guard (`analytics.uploads`) and run as this visitor's job in the
queue of `dashboard.jobs`; write actions need write access (`dashboard.access`)."""

import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import config, lexicon, uploads
from analytics.filters import Filters
from analytics.ingest import report as ingest_report
from analytics.store import Store, StoreError
from dashboard import access, data, jobs, labels, ui

st.title("데이터 Data")
f = Filters()
writable = access.gate("data")  # read-only reason, 잠김 with the token form, or unlocked
owner = st.session_state.setdefault("_tm_job_owner", uuid.uuid4().hex)  # this visitor's jobs
upload_dir = Path(str(config.get("upload_dir")))


def submit(kind: str, paths: list[Path] | None = None) -> None:
    try:
        jobs.submit(owner, kind, data.store_path(), paths)
        st.rerun()
    except jobs.JobRefused as e:
        ui.alert("warning", str(e))


# ---- upload ----------------------------------------------------------------------------------
st.subheader("파일 올리기 Upload")
max_mb = int(config.get("max_upload_mb"))
st.caption(f"허용 형식: {', '.join(uploads.ALLOWED_EXTENSIONS)} · 파일당 최대 {max_mb} MB. BIG Kinds 내려받기(xlsx)도 "
           "그대로 올리면 됩니다. 올린 파일은 임의의 안전한 이름으로 저장됩니다.")
# not rendered at all without write access: the uploader itself sends the file to the server.
# max_upload_size: the browser refuses a larger file before sending it (same setting as the guard)
files = (st.file_uploader("파일 선택 Files", type=list(uploads.ALLOWED_EXTENSIONS), accept_multiple_files=True,
                          key="upl_files", max_upload_size=max_mb) if writable else None)
refused = []
for u in files or []:  # an empty or oversized file is refused as soon as it is chosen
    try:
        uploads.check_upload(u.name, u.size)
    except uploads.UploadRejected as e:
        refused.append(f"{u.name}: {e}")
for msg in refused:
    ui.alert("error", msg)
active = any(j.running for j in jobs.jobs_of(owner))
if st.button("불러오기·분석 시작 Ingest and analyse", type="primary",
             disabled=not files or bool(refused) or active or not writable) and access.require():
    try:
        saved = uploads.save_uploads([(u.name, u.getvalue()) for u in files], upload_dir)
    except (ValueError, OSError) as e:
        ui.alert("error", f"파일을 저장하지 못했습니다: {e}")
    else:
        submit("ingest", saved)


def show_job(j: jobs.Job) -> None:
    if j.stage == "queued":
        st.progress(0.0, text=f"{j.stage_label}: 앞에 작업 {jobs.ahead_of(j)}개 (waiting for other uploads)")
        return
    st.progress(min(1.0, j.fraction), text=f"{j.stage_label} {j.done:,}/{j.total:,}" if j.total else j.stage_label)
    if j.running:
        return
    if j.error:
        ui.alert("error", f"작업 실패 (job failed): {j.error}")
    else:
        st.success("완료했습니다. 모든 페이지가 새 데이터를 보여 줍니다. (Done.)")
    r = j.report
    if r and j.kind == "ingest":
        st.write(f"추가 {r.get('added', 0)} · 갱신 {r.get('updated', 0)} · 변경 없음 {r.get('unchanged', 0)} · "
                 f"중복 {r.get('duplicates', 0)} · 파일 {r.get('files', 0)} · 문제 {len(r.get('problems', []))}")
        if r.get("problems"):
            probs = pd.DataFrame(r["problems"])
            st.dataframe(probs, hide_index=True, width="stretch", column_config=labels.columns(probs))
        if r.get("mapping"):  # which column became which field, what lacks a source or a date
            st.dataframe(pd.DataFrame(ingest_report.mapping_table(r)), hide_index=True, width="stretch")
    if r.get("repair"):
        rep = r["repair"]
        st.write(f"치운 파일: {rep['tables']} · 다시 분석할 기사 {rep['reanalyse']}건 · "
                 f"다시 불러올 파일 {len(rep['reingest_files'])}개")


@st.fragment(run_every=1.0)
def job_status() -> None:
    mine = jobs.jobs_of(owner)
    if not mine:
        return
    for j in [j for j in mine if j.running] or mine[-1:]:
        show_job(j)
    for j in mine:
        if not j.running and not j.cleared:
            j.cleared = True
            data.clear()
            st.rerun()  # the whole app, not just this fragment: the sidebar and the tables show the new version


job_status()

# ---- unfinished work left by an earlier run, a damaged store ----------------------------------
damage = ui.store_damage() if data.corpus() is None else None  # a full read of the files: only when opening failed
if damage is not None:
    ui.alert("error", str(damage))
    if st.button("손상된 파일 치우기 Repair", key="data_repair", disabled=not writable or active) and access.require():
        submit("repair")
pending = uploads.pending_uploads(upload_dir, jobs.busy_paths())
if pending and damage is None:  # uploads the store already lists were ingested (older sidecars lack the mark)
    try:
        pending = uploads.pending_uploads(upload_dir, jobs.busy_paths(), Store(data.store_path()).file_keys())
    except (StoreError, OSError):
        pass
if pending:
    st.warning(f"올렸지만 아직 불러오지 않은 파일이 {len(pending)}개 있습니다 (이전 작업이 끝나지 않았습니다). "
               "(Uploads saved but never ingested.)")
    st.dataframe(pd.DataFrame({"파일 file": [p["original_name"] for p in pending],
                               "올린 시각 uploaded": [p["uploaded_at"] for p in pending]}), hide_index=True)
    if st.button("남은 파일 불러오기 Ingest them", key="data_pending", disabled=not writable or active) \
            and access.require():
        submit("ingest", [p["path"] for p in pending])
n_unanalysed = data.pending_analysis() if damage is None and not jobs.any_running() else 0
if n_unanalysed:
    st.warning(f"분석되지 않은 기사가 {n_unanalysed:,}건 있습니다 (이전 작업이 분석 중에 멈췄을 수 있습니다). "
               f"분석하면 모든 페이지에 반영됩니다. ({n_unanalysed:,} articles not analysed yet.)")
    if st.button("분석 실행 Analyse", key="data_analyze", disabled=not writable or active) and access.require():
        submit("analyze")

store_ok = damage is None and not ui.no_store()

# ---- last ingest problems + store versions ---------------------------------------------------
if store_ok:
    st.subheader("최근 불러오기 문제 Ingest problems")
    probs = data.last_problems()  # None: the failure is already shown
    if probs is not None and ui.is_empty(probs):
        st.success("최근 불러오기에서 문제가 없었습니다. (No problems in the last ingest.)")
    elif probs is not None:
        ui.table(probs, "data_problems", "불러오기 문제", f)

    st.subheader("저장소 버전 Store versions")
    ui.query_table(data.store_versions, (), "data_versions", "저장소 버전", f, "버전 기록이 없습니다.")

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
        except (ValueError, OSError) as e:  # invalid entries, or a lexicon folder that cannot be written
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
        except (ValueError, OSError) as e:  # invalid entries, or a lexicon folder that cannot be written
            ui.alert("error", str(e))
