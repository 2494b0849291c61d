"""dashboard.export: files other tools read (header first, Korean headers, dates as dates), every
export carries filters and store version, and no cell of untrusted text becomes a formula."""

from __future__ import annotations

import csv
import io
import struct
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import plotly.express as px
import pytest

from analytics import queries as q
from analytics.filters import Filters
from analytics.ingest import ingest
from dashboard import charts, export
from tests.test_queries import build_store

F = Filters(sources=("한겨레",), years=(2024,), query="인공지능")
ATTACKS = ['=HYPERLINK("http://evil.example/x","클릭")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
NEUTRAL = ["'" + a for a in ATTACKS]


def _table() -> pd.DataFrame:
    return pd.DataFrame({"term": ["인공지능", "반도체"], "articles": [3, 2],
                         "published": pd.to_datetime(["2024-01-01", "2024-02-01"]).tz_localize("Asia/Seoul"),
                         "tags": [["a", "b"], []]})


def _xlsx(blob: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(blob))


def _text(v: object) -> object:
    """A cell as Excel shows it: xlsx stores a CR as the escape _x000D_, which openpyxl leaves as is."""
    return v.replace("_x000D_", "\r") if isinstance(v, str) else v


def _formula_cells(wb: openpyxl.Workbook) -> list[str]:
    return [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_provenance_names_filters_and_version():
    cap = export.provenance(F.describe(), 7)
    assert "매체: 한겨레" in cap and "연도: 2024" in cap and "저장소 버전 v7" in cap


# ---- formula injection (issue 14 item 1) -------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+82 10", "'+82 10"), ("-3", "'-3"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("인공지능", "인공지능"), (" =1", " =1"), ("a=b", "a=b"), ("", ""), (-3, -3), (None, None),
])
def test_cell_prefixes_text_a_spreadsheet_would_run(value, expected):
    assert export.cell(value) == expected


def test_xlsx_of_crafted_text_has_no_formula_cells_and_the_exact_neutralised_values():
    df = pd.DataFrame({"title": ATTACKS, "source": ATTACKS[::-1], "articles": [1, -2, 3, 4, 5, 6]})
    wb = _xlsx(export.table_xlsx(df, "검색어: =1+1", 3))
    assert _formula_cells(wb) == []
    rows = list(wb["데이터"].values)
    assert rows[0] == ("제목", "매체", "기사 수")
    assert [_text(r[0]) for r in rows[1:]] == NEUTRAL
    assert [_text(r[1]) for r in rows[1:]] == NEUTRAL[::-1]
    assert [r[2] for r in rows[1:]] == [1, -2, 3, 4, 5, 6]  # numbers stay numbers, negatives too
    info = dict(list(wb[export.INFO_SHEET].values)[1:])
    assert info["필터 (filters)"] == "검색어: =1+1"  # a plain string cell, not a formula


def test_xlsx_never_writes_urls_as_links():
    df = pd.DataFrame({"url": ["http://evil.example/a", "javascript:alert(1)"]})
    wb = _xlsx(export.table_xlsx(df, "전체", 1))
    ws = wb["데이터"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["http://evil.example/a", "javascript:alert(1)"]
    assert all(ws.cell(r, 1).hyperlink is None for r in (2, 3))


def test_csv_of_crafted_text_has_only_neutralised_cells():
    df = pd.DataFrame({"title": ATTACKS, "author": ATTACKS})
    text = export.table_csv(df).decode("utf-8-sig")
    got = list(csv.reader(io.StringIO(text, newline="")))
    assert got[0] == ["제목", "저자"]
    assert [r[0] for r in got[1:]] == NEUTRAL and [r[1] for r in got[1:]] == NEUTRAL
    assert not [c for r in got[1:] for c in r if c.startswith(export.FORMULA_START)]


def test_ingested_attack_text_is_stored_as_given_and_neutralised_on_export(tmp_path, isolated_query_cache):
    """End to end: a scraped CSV with formula titles -> store (unchanged, leading tab kept) ->
    articles query -> CSV and XLSX exports, read back with csv and openpyxl."""
    src = tmp_path / "crafted.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "source", "author", "date", "body"])
        for i, a in enumerate(ATTACKS):
            w.writerow([a, ATTACKS[-1 - i], "+기자", f"2024-01-0{i + 1}", f"본문 {i}번 기사는 평범한 문장이다."])
    from analytics.store import Store
    store = Store(tmp_path / "store")
    report = ingest([src], store)
    assert (report.added, report.problems) == (6, [])
    arts = q.articles(q.open_corpus(store.root), Filters()).sort_values("published")
    assert list(arts["title"]) == ATTACKS  # stored text unchanged: "\t=1+1" is not turned into "=1+1"
    cols = arts[["published", "title", "source", "author"]]
    wb = _xlsx(export.table_xlsx(cols, "전체", report.version))
    assert _formula_cells(wb) == []
    rows = list(wb["데이터"].values)
    assert [_text(r[1]) for r in rows[1:]] == NEUTRAL and rows[1][3] == "'+기자"
    assert rows[1][0] == datetime(2024, 1, 1)  # a date cell, not text
    got = list(csv.reader(io.StringIO(export.table_csv(cols).decode("utf-8-sig"), newline="")))
    assert [r[1] for r in got[1:]] == NEUTRAL and [r[2] for r in got[1:]] == NEUTRAL[::-1]


def test_alias_edit_that_makes_a_formula_the_top_keyword_is_neutralised(tmp_path, isolated_query_cache):
    root = tmp_path / "store"
    build_store(root)
    lex = tmp_path / "lexicon"
    lex.mkdir()
    attack = '=HYPERLINK("http://evil.example","반도체")'
    (lex / "aliases.csv").write_text(f'variant,canonical\n반도체,"{attack.replace(chr(34), chr(34) * 2)}"\n',
                                     encoding="utf-8")
    top = q.top_keywords(q.open_corpus(root, lex), Filters(), 5, "tf")
    assert (top["term"].iloc[0], int(top["tf"].iloc[0])) == (attack, 6)  # 반도체: 1 + 2 + 3
    wb = _xlsx(export.table_xlsx(top, "전체", 1))
    assert _formula_cells(wb) == []
    assert list(wb["데이터"].values)[1][0] == "'" + attack
    first = pd.read_csv(io.BytesIO(export.table_csv(top)), encoding="utf-8-sig").iloc[0]
    assert first["단어"] == "'" + attack


# ---- files other tools read (issue 16 Exports) ----------------------------------------------------

def test_csv_header_row_comes_first_for_pandas():
    blob = export.table_csv(_table())
    assert blob.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(blob), encoding="utf-8-sig")
    assert list(df.columns) == ["단어", "기사 수", "일자", "tags"]
    assert list(df["단어"]) == ["인공지능", "반도체"] and list(df["기사 수"]) == [3, 2]
    assert list(df["일자"]) == ["2024-01-01", "2024-02-01"]  # dates as ISO dates, no time or zone
    assert list(df["tags"].fillna("")) == ["a, b", ""]


def test_article_table_exports_url_and_dates_as_dates():
    arts = pd.DataFrame({"published": ["2021-02-03", "2021-02", "미상"], "source": ["한겨레", "경향신문", "미상"],
                         "title": ["가", "나", "다"], "author": [None, "노도현 기자", None],
                         "url": ["https://www.hani.co.kr/arti/1.html", None, None], "id": ["a", "b", "c"]})
    df = pd.read_csv(io.BytesIO(export.table_csv(arts)), encoding="utf-8-sig")
    assert list(df.columns) == ["일자", "매체", "제목", "저자", "URL", "ID"]
    assert df["URL"].iloc[0] == "https://www.hani.co.kr/arti/1.html"
    ws = _xlsx(export.table_xlsx(arts, "전체", 2))["데이터"]
    assert ws["A2"].value == datetime(2021, 2, 3) and ws["A2"].number_format == "yyyy-mm-dd"
    assert (ws["A3"].value, ws["A4"].value) == ("2021-02", "미상")  # month precision stays as said


def test_edge_tables_name_nodes_not_outlets():
    edges = pd.DataFrame({"source": ["AI"], "target": ["반도체"], "weight": [3]})
    assert export.headers(list(edges.columns)) == ["노드 A", "노드 B", "가중치"]
    assert export.headers(["source", "articles"]) == ["매체", "기사 수"]
    assert export.headers(["text", "label", "score"]) == ["문장", "어조", "점수"]


def test_xlsx_has_data_and_info_sheets():
    blob = export.table_xlsx(_table(), F.describe(), 5, name="주요 키워드")
    wb = _xlsx(blob)
    assert wb.sheetnames == ["데이터", "정보"]
    data = list(wb["데이터"].values)
    assert data[0] == ("단어", "기사 수", "일자", "tags")
    assert data[1][:3] == ("인공지능", 3, datetime(2024, 1, 1))
    assert (wb["데이터"].freeze_panes, wb["데이터"].auto_filter.ref) == ("A2", "A1:D3")  # header kept, filterable
    meta = dict(list(wb["정보"].values)[1:])
    assert meta["표 (table)"] == "주요 키워드"
    assert meta["필터 (filters)"] == F.describe()
    assert meta["저장소 버전 (store version)"] == 5 and meta["행 수 (rows)"] == 2
    assert meta["열 단어"] == "term"


def test_file_name_carries_title_filters_and_version():
    assert export.file_name("주요 키워드", F.describe(), 7, "csv") == \
        "주요_키워드_매체_한겨레_연도_2024_검색어_인공지능_v7.csv"
    assert export.file_name("기사 목록", Filters().describe(), None, "xlsx") == "기사_목록_전체_v미상.xlsx"


@pytest.mark.parametrize("stamp", [pd.Timestamp("2024-01-01 15:30:00", tz="UTC"),
                                   datetime(2024, 1, 1, 15, 30, tzinfo=UTC)])
def test_timestamps_are_local_time(stamp):
    df = pd.DataFrame({"at": pd.Series([stamp], dtype=object if not isinstance(stamp, pd.Timestamp) else None)})
    ws = _xlsx(export.table_xlsx(df, "전체", 1))["데이터"]
    assert (ws["A1"].value, ws["A2"].value) == ("시각 (KST)", datetime(2024, 1, 2, 0, 30))
    assert pd.read_csv(io.BytesIO(export.table_csv(df)), encoding="utf-8-sig").iloc[0, 0] == "2024-01-02 00:30:00"


def test_caption_wraps_to_the_width_and_is_escaped():
    long = "매체: " + ", ".join(["경향신문", "한겨레", "조선일보", "중앙일보", "동아일보"] * 4) + " | 검색어: <b>AI</b>"
    lines = export.wrap(long, 500, 12)
    assert len(lines) > 2 and " ".join(lines) == long
    assert all(export._text_width(ln, 12) <= 500 for ln in lines)
    fig = charts.style(px.bar(x=["한국"], y=[1]))
    out = export.with_caption(fig, long, title="기사량 <추이>", width=600)
    assert out.layout.title.text == "기사량 &lt;추이&gt;"
    sub = out.layout.title.subtitle.text
    assert "<b>" not in sub and "&lt;b&gt;AI&lt;/b&gt;" in sub and sub.count("<br>") == len(lines) - 1
    assert not fig.layout.title.text  # the original is untouched


def test_html_is_interactive_and_captioned():
    fig = charts.style(px.bar(x=["한국", "일본"], y=[1, 2]))
    html = export.figure_html(fig, "필터: 전체 · 저장소 버전 v1", title="기사량").decode("utf-8")
    assert "plotly" in html.lower() and "v1" in html
    assert "저장소" in html or "\\uc800\\uc7a5\\uc18c" in html  # plotly JSON may escape Hangul


def test_safe_name_keeps_hangul_drops_separators():
    assert export.safe_name("기사량 추이 / 2024") == "기사량_추이___2024"


@pytest.mark.slow
def test_png_and_svg_carry_title_and_whole_caption():
    if not export.chromium_available():
        pytest.skip("Chromium is absent: PNG export needs /usr/bin/chromium")
    fig = charts.style(px.bar(x=["인공지능", "반도체"], y=[3, 2]))
    cap = export.provenance("매체: " + ", ".join(["경향신문", "한겨레", "조선일보", "중앙일보"] * 3), 1)
    png = export.figure_image(fig, cap, "png", size=(800, 500), title="주요 키워드")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (800, 500)
    svg = export.figure_image(fig, cap, "svg", size=(800, 500), title="주요 키워드").decode("utf-8")
    assert "Noto Sans CJK KR" in svg and "주요 키워드" in svg
    shown = " ".join(export.wrap(cap, 800 - 60 - 20, export.CAPTION_SIZE))
    assert all(part in svg for part in shown.split(" ")[-3:])  # the caption's end is drawn
    assert date.today().isoformat() in svg
