"""dashboard.export: downloads carry filters and store version; Hangul survives every format."""

from __future__ import annotations

import io
import struct

import openpyxl
import pandas as pd
import plotly.express as px
import pytest

from analytics.filters import Filters
from dashboard import charts, export

F = Filters(sources=("한겨레",), years=(2024,), query="인공지능")


def _table() -> pd.DataFrame:
    return pd.DataFrame({"term": ["인공지능", "반도체"], "articles": [3, 2],
                         "published": pd.to_datetime(["2024-01-01", "2024-02-01"]).tz_localize("Asia/Seoul"),
                         "tags": [["a", "b"], []]})


def test_provenance_names_filters_and_version():
    cap = export.provenance(F.describe(), 7)
    assert "매체: 한겨레" in cap and "연도: 2024" in cap and "저장소 버전 v7" in cap


def test_csv_starts_with_bom_and_keeps_hangul():
    blob = export.table_csv(_table(), export.provenance(F.describe(), 3))
    assert blob.startswith(b"\xef\xbb\xbf")
    text = blob.decode("utf-8-sig")
    first, header = text.splitlines()[:2]
    assert first.startswith("# 필터: 매체: 한겨레") and "v3" in first
    assert header == "term,articles,published,tags"
    assert "인공지능" in text and "a, b" in text


def test_xlsx_has_data_and_filters_sheets():
    blob = export.table_xlsx(_table(), F.describe(), 5)
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    assert wb.sheetnames == ["데이터", "필터 Filters"]
    data = list(wb["데이터"].values)
    assert data[0] == ("term", "articles", "published", "tags") and data[1][0] == "인공지능"
    meta = dict(list(wb["필터 Filters"].values)[1:])
    assert meta["필터 (filters)"] == F.describe()
    assert meta["저장소 버전 (store version)"] == 5


def test_html_is_interactive_and_captioned():
    fig = charts.style(px.bar(x=["한국", "일본"], y=[1, 2]))
    html = export.figure_html(fig, "필터: 전체 · 저장소 버전 v1").decode("utf-8")
    assert "plotly" in html.lower() and "v1" in html
    assert "저장소" in html or "\\uc800\\uc7a5\\uc18c" in html  # plotly JSON may escape Hangul


def test_caption_is_added_without_touching_the_original():
    fig = charts.style(px.bar(x=["한국"], y=[1]))
    out = export.with_caption(fig, "캡션")
    assert [a.text for a in out.layout.annotations] == ["캡션"]
    assert not fig.layout.annotations


def test_safe_name_keeps_hangul_drops_separators():
    assert export.safe_name("기사량 추이 / 2024") == "기사량_추이___2024"


@pytest.mark.slow
def test_png_of_a_hangul_chart_has_the_requested_size():
    if not export.chromium_available():
        pytest.skip("Chromium is absent: PNG export needs /usr/bin/chromium")
    fig = charts.style(px.bar(x=["인공지능", "반도체"], y=[3, 2]), "키워드")
    png = export.figure_image(fig, export.provenance(F.describe(), 1), "png", size=(800, 500))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (800, 500)
    svg = export.figure_image(fig, "캡션 v1", "svg", size=(800, 500)).decode("utf-8")
    assert "Noto Sans CJK KR" in svg and "v1" in svg
