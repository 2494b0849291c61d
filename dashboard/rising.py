"""새로 떠오른 (newly rising): the overview's block of alerts (analytics.alerts), as data, never HTML."""

from __future__ import annotations

import streamlit as st

from analytics.alerts import alerts_frame
from analytics.filters import Filters
from dashboard import data, ui

COLUMNS = {
    "kind_label": "종류 kind", "name": "이름 name",
    "latest": st.column_config.NumberColumn("최근 기사 latest", format="%d"),
    "previous": st.column_config.NumberColumn("직전 기사 previous", format="%d"),
    "share_latest": st.column_config.NumberColumn("최근 비율", format="percent"),
    "share_previous": st.column_config.NumberColumn("직전 비율", format="percent"),
    "ratio": st.column_config.NumberColumn("배율 ×", format="%.1f"),
    "q": st.column_config.NumberColumn("q (BH)", format="%.1e"),
    "first_seen": "처음 등장 first seen", "new": st.column_config.CheckboxColumn("신규 new"),
    "first_alerted": "첫 알림 first alerted (watch)", "also": "함께 오른 말 also",
}


def _last_watch() -> None:
    """What the last `watch` pass brought in (store/watch-log.json), when there is a log."""
    from analytics.watch import read_log

    try:
        log = read_log(data.store_path())
    except ValueError as e:
        st.caption(ui.esc(e))
        return
    if not log:
        return
    e = log[-1]
    if "error" in e:
        st.caption(f"마지막 자동 수집 {ui.esc(e.get('at'))}: 실패 ({ui.esc(e['error'])})")
        return
    st.caption(f"마지막 자동 수집 (watch) {ui.esc(e.get('at'))}: 파일 {len(e.get('files_added') or [])}개 추가, "
               f"{len(e.get('files_updated') or [])}개 변경, 기사 +{e.get('articles_added', 0):,} · "
               f"저장소 v{e.get('store_version')} · 알림 {len(e.get('alerts') or [])}건")


def block(f: Filters) -> None:
    """The alerts of the current filters: the windows compared, the rule, the table."""
    st.subheader("새로 떠오른 Newly rising")
    try:
        res = data.alerts(f)
    except Exception as e:  # the overview keeps working when the alerts fail
        ui.alert("warning", f"새로 떠오른 항목을 계산하지 못했습니다: {type(e).__name__}: {e}")
        return
    if res.get("latest") is None:
        ui.empty(res.get("reason") or ui.EMPTY)
        return
    _last_watch()
    lt, pv, rule = res["latest"], res["previous"], res["rule"]
    st.caption(
        f"최근 {lt['from']}~{lt['to']} (기사 {lt['articles']:,}건)을 직전 {pv['from']}~{pv['to']} "
        f"(기사 {pv['articles']:,}건)과 비교: 기사 비율이 오른 키워드·개체 중 최근 기사 {rule['min_count']}건 이상, "
        f"배율 {rule['min_ratio']:g}배 이상, 단측 G² 검정의 BH q ≤ {rule['fdr']:g} (검정 {res['tested']:,}개). "
        "방법: 방법 페이지 / docs/method/alerts.md. 처음 등장 = 이 필터에서 그 이름이 나온 가장 이른 기사 날짜."
    )
    df = alerts_frame(res)
    if df.empty:
        ui.empty("유의하게 떠오른 키워드·개체가 없습니다. (Nothing rose significantly.)")
        return
    ui.table(df, "ov_rising", "새로 떠오른", f, column_config=COLUMNS)
