"""저장된 보기 Saved views in the sidebar: save the current view (page + URL query), open one, delete.

A saved view is its URL (analytics.views), so opening one is following a link: it opens in a new
tab, where the page reads its filters and widgets from the URL like any shared link. Saving and
deleting write to the store directory, so they are write actions behind dashboard.access.
"""

from __future__ import annotations

import streamlit as st

from analytics import views
from dashboard import access, data, ui

_JUST_SAVED = "_sv_just_saved"


def _current_query() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp}


def _absolute(url: str) -> str:
    """The view's URL with this server's scheme and host (as the browser sees them), for copying."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(st.context.url or ""))
    except Exception:  # no request context (AppTest)
        return url
    return f"{parts.scheme}://{parts.netloc}{url}" if parts.scheme and parts.netloc else url


def sidebar(page: str, pages: set[str]) -> None:
    """The saved-views block; `page` is the url path of the page being shown."""
    page = "overview" if page in ("", "home") else page  # the default page's own path
    sb = st.sidebar
    with sb.expander("저장된 보기 Saved views", icon=":material/bookmark:"):
        path = data.store_path()
        saved, problems = views.load_views(path)
        for p in problems:
            st.caption(ui.esc(p))
        shown = [v for v in saved if v.page in pages]
        just = st.session_state.pop(_JUST_SAVED, None)
        for v in shown:
            if v.name == just:
                st.success(f"저장됨: {ui.esc(v.name)} — 링크 (link):")
                st.code(_absolute(v.url()), language=None)
        if not shown:
            st.caption("저장된 보기가 없습니다. 아래에서 지금 화면을 저장하세요. (No saved views yet.)")
        for v in shown:
            # the name is validated (letters, digits, a little punctuation) and escaped; the URL is
            # percent-encoded by urlencode and its page is one of ours
            st.markdown(f"[{ui.esc(v.name)}]({v.url()})", help=f"{v.page} · {v.created_at}")
        writable = access.can_write()
        with st.form("sv_form", clear_on_submit=True, border=False):
            name = st.text_input("이름 Name", key="sv_name", max_chars=views.MAX_NAME,
                                 placeholder="예: 백신 2월 조선일보", disabled=not writable)
            if st.form_submit_button("지금 보기 저장 Save this view", disabled=not writable,
                                     icon=":material/bookmark_add:") and access.require():
                try:
                    v = views.save_view(path, name, page, _current_query())
                except (views.ViewError, OSError) as e:
                    st.error(f"저장하지 못했습니다: {ui.esc(e)}")
                else:
                    st.session_state[_JUST_SAVED] = v.name
                    st.rerun()  # the list above shows the new view
        if not writable:
            st.caption("보기 저장·삭제는 쓰기 작업입니다 (데이터 페이지에서 잠금 해제). "
                       "(Saving views is a write action.)")
        if shown and writable:
            gone = st.selectbox("삭제 Delete", [v.name for v in shown], index=None, key="sv_del",
                                placeholder="삭제할 보기 선택")
            if gone and st.button("삭제 Delete", key="sv_del_btn", icon=":material/delete:") and access.require():
                views.delete_view(path, gone)
                st.rerun()
        st.caption("보기는 링크입니다: 새 탭에서 열리며 주소를 복사해 공유할 수 있습니다. "
                   "(A view is its link: opens in a new tab; copy it to share.)")
