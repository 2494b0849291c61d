"""The workflow blocks inside the dashboard (AppTest): 새로 떠오른 on the overview, the excerpt
notice and BIG Kinds comparison, saving a view from the sidebar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_workflows import _alert_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
pytestmark = pytest.mark.usefixtures("isolated_query_cache")


@pytest.fixture
def alert_env(tmp_path, monkeypatch):
    _alert_store(tmp_path / "store")
    (tmp_path / "lex").mkdir()
    monkeypatch.setenv("TM_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "lex"))
    return tmp_path / "store"


def test_overview_shows_the_injected_alert_and_saves_a_view(alert_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert "새로 떠오른 Newly rising" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "name" in d.value.columns and "kind_label" in d.value.columns)
    assert table[["name", "latest", "previous"]].values.tolist() == [["드론", 12, 0], ["홍길동", 8, 0]]
    assert any("2024-03-08~2024-03-14 (기사 30건)" in c.value for c in at.caption)
    assert not [w for w in at.warning if "200자" in w.value]  # no excerpts in this store
    from analytics.watch import append_log

    append_log(alert_env, {"at": "2024-03-15T00:00:00+00:00", "store_version": 1, "files_added": ["a", "b"],
                           "files_updated": [], "articles_added": 50, "alerts": [{"kind": "term", "name": "드론"}]})
    at.run()
    assert ("마지막 자동 수집 (watch) 2024\\-03\\-15T00\\:00\\:00\\+00\\:00: 파일 2개 추가, 0개 변경, 기사 +50 · "
            "저장소 v1 · 알림 1건") in [c.value for c in at.caption]
    at.sidebar.text_input(key="sv_name").input("드론 주간")
    next(b for b in at.button if "Save this view" in b.label).click().run()
    saved = json.loads((alert_env / "saved-views.json").read_text(encoding="utf-8"))
    assert [(v["name"], v["page"]) for v in saved["views"]] == [("드론 주간", "overview")]
    assert any("저장됨" in s.value for s in at.success)


def test_entities_and_keywords_pages_show_bigkinds_beside_ours_and_every_page_the_excerpt_notice(
        tmp_path, monkeypatch):
    from tests.test_bigkinds_compare import build_bk_store

    build_bk_store(tmp_path / "store")
    (tmp_path / "lex").mkdir()
    monkeypatch.setenv("TM_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "lex"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    notice = "본문 주의: 선택한 기사 3건 중 2건은 본문이 200자 발췌입니다"
    assert any(notice in w.value for w in at.warning)
    at.switch_page("app_pages/entities.py").run()
    assert not at.exception
    assert any(notice in w.value for w in at.warning)
    assert any("BIG Kinds 자체 분석과 비교" in e.label for e in at.expander)
    assert "**인물 People** · F1 66.7% (P 66.7%, R 66.7%)" in [m.value for m in at.markdown]
    at.switch_page("app_pages/keywords.py").run()
    assert not at.exception
    assert any("(precision@10) = 66.7%" in c.value for c in at.caption)
