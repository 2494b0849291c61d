"""보고서 Report in the sidebar: build the current view as HTML or PDF with a progress bar, then
offer the file for download (built on click, not on every rerun)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, export, state, ui

FORMATS = {"html": ("HTML (오프라인, 대화형)", "text/html"), "pdf": ("PDF (그림 이미지)", "application/pdf")}
_KEY = "_report_file"


def sidebar() -> None:
    """The report block: format choice, a build button with progress, the download."""
    with st.sidebar.expander("보고서 Report", icon=":material/summarize:"):
        fmt = st.radio("형식 Format", list(FORMATS), format_func=lambda k: FORMATS[k][0], key="rep_fmt",
                       horizontal=True)
        f, gran = state.current_filters(), state.granularity()
        wanted = (fmt, f, gran, data.current_version(), data.store_identity())
        if st.button("보고서 만들기 Build report", key="rep_build", icon=":material/description:"):
            c = data.corpus()
            if c is None:
                st.error("저장소가 비어 있습니다. (No store.)")
                return
            bar = st.progress(0.0, text="준비 중")

            def progress(frac: float, label: str) -> None:
                bar.progress(min(max(frac, 0.0), 1.0), text=label)

            from dashboard.report import report_bytes

            try:
                blob = report_bytes(c, f, fmt, gran, progress)
            except Exception as e:  # noqa: BLE001 (a failed build is a message, never a traceback)
                bar.empty()
                ui.alert("error", f"보고서를 만들지 못했습니다: {type(e).__name__}: {e}")
                return
            bar.empty()
            st.session_state[_KEY] = (wanted, blob)
        held = st.session_state.get(_KEY)
        if held and held[0] == wanted:
            name = export.file_name("보고서", f.describe(), data.current_version(), fmt)
            st.download_button(f"내려받기 {fmt.upper()} ({len(held[1]) / 1e6:.1f} MB)", held[1], name,
                               FORMATS[fmt][1], key="rep_dl", on_click="ignore", icon=":material/download:")
        elif held:
            st.caption("필터가 바뀌었습니다: 다시 만드세요. (Filters changed: build again.)")
        st.caption("지금 필터의 개요·키워드·감성·개체·토픽 그림과 표, 방법, 저장소 버전을 한 파일로. "
                   "(The current view as one file.)")
