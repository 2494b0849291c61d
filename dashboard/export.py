"""Downloads: charts as PNG / SVG / interactive HTML, tables as CSV (UTF-8 BOM) and XLSX.

Pure functions, no `st.` calls. Every export says where it came from (the filters,
`Filters.describe()`, and the store version): in the file name (`file_name`), under the title of
images and HTML, and and on the XLSX's second sheet (정보).
A CSV's first line is its header row, so pandas.read_csv and Excel read it as a table.

Article text is untrusted: every table cell goes through `cell` (OWASP CSV injection: a text
starting with = + - @ tab or CR gets a leading ') and XLSX strings are written as strings, never
as formulas or links. The store is never changed; neutralising happens here, at export.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import unicodedata
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

BOM = "\ufeff"
CHROMIUM = "/usr/bin/chromium"
PNG_SIZE = (1200, 700)  # width, height in px of exported images (scale 1)
INFO_SHEET = "정보"
LOCAL_TZ = "Asia/Seoul"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV-injection list

# field name -> column header in exported files (Korean; English where the field's habit is English)
HEADERS: dict[str, str] = {
    "id": "ID", "article_id": "기사 ID", "cluster_id": "기사 묶음 ID", "published": "일자", "period": "기간",
    "date_precision": "일자 정밀도", "date_label": "일자 표시", "source": "매체", "title": "제목",
    "author": "저자", "url": "URL", "language": "언어", "is_excerpt": "발췌 여부", "n_chars": "글자 수",
    "text": "문장", "term": "단어", "keyword": "키워드", "rank": "순위", "score": "점수", "stop": "불용어",
    "tf": "빈도 (TF)", "df": "기사 수 (DF)", "articles": "기사 수", "share": "비율", "per_10k": "1만 단어당",
    "count": "빈도", "baseline_count": "직전 기간 빈도", "growth": "증감률", "g2": "G²", "direction": "방향",
    "first_seen": "처음 나온 날", "count_a": "A 빈도", "count_b": "B 빈도", "log_odds": "로그 오즈비",
    "z": "z 점수", "group": "집단", "cooc": "함께 나온 횟수", "pmi": "PMI", "jaccard": "자카드 계수",
    "label": "이름", "kind": "종류", "size": "크기", "weight": "가중치", "type": "개체 유형",
    "entity": "개체", "surface": "표기", "mentions": "언급 수", "sentences": "문장 수", "pos": "문장 번호",
    "start": "시작 위치", "end": "끝 위치", "terms": "단어들", "left": "앞 문맥", "right": "뒤 문맥",
    "mean_score": "평균 어조 점수", "pos_share": "긍정 비율", "neg_share": "부정 비율",
    "at": "시각 (KST)", "note": "메모", "path": "경로", "reason": "사유",
}
EDGE_HEADERS = {"source": "노드 A", "target": "노드 B"}  # a network's edge list, not outlets
SENTENCE_HEADERS = {"label": "어조"}  # sentence tables: label is the tone label
DATE_COLUMNS = {"published", "period", "first_seen", "at", "일자", "기간"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def provenance(filters_desc: str, version: int | None) -> str:
    """The one-line caption every export carries: filters, store version, time of export."""
    return f"필터: {filters_desc} · 저장소 버전 {_version(version)} · 생성 {datetime.now():%Y-%m-%d %H:%M}"


def _version(version: int | None) -> str:
    return "미상" if version is None else f"v{version}"


def cell(value: object) -> object:
    """A cell no spreadsheet runs: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def headers(columns: list[str]) -> list[str]:
    """Korean column headers for a table's fields (unknown names kept, neutralised)."""
    cols = [str(c) for c in columns]
    extra = EDGE_HEADERS if {"source", "target"} <= set(cols) else {}
    if "label" in cols and "text" in cols:
        extra = extra | SENTENCE_HEADERS
    return [str(cell(extra.get(c) or HEADERS.get(c) or c)) for c in cols]


def chromium_available() -> bool:
    """Whether kaleido can find a browser for static image export (sets BROWSER_PATH if needed)."""
    if os.environ.get("BROWSER_PATH") and os.path.exists(os.environ["BROWSER_PATH"]):
        return True
    for cand in (CHROMIUM, shutil.which("chromium"), shutil.which("google-chrome")):
        if cand and os.path.exists(cand):
            os.environ["BROWSER_PATH"] = cand
            return True
    return False


def _text_width(text: str, size: float) -> float:
    """Rough rendered width in px: Hangul/CJK one em, other characters about 0.58 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.58 * size for ch in text)


def wrap(text: str, width_px: float, size: float) -> list[str]:
    """Lines of `text` that fit `width_px` at font `size` (broken at spaces; a longer word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        cand = f"{line} {word}" if line else word
        if _text_width(cand, size) <= width_px:
            line = cand
            continue
        if line:
            lines.append(line)
        line = word
        while _text_width(line, size) > width_px and len(line) > 1:  # one very long word
            cut = max(1, next(i for i in range(len(line), 0, -1) if _text_width(line[:i], size) <= width_px))
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


CAPTION_SIZE = 12
TITLE_SIZE = 18


def with_caption(fig: go.Figure, caption: str, title: str | None = None, width: int = PNG_SIZE[0]) -> go.Figure:
    """A copy of the figure with its title and the caption (wrapped to the width) under the title.

    The caption is the title's subtitle, so Plotly's automargin makes room for every line: nothing
    is clipped however long the filter description. Text is HTML-escaped (Plotly renders tags)."""
    out = go.Figure(fig)
    current = out.layout.title.text if out.layout.title and out.layout.title.text else None
    heading = current if current else (html.escape(title) if title else "")
    margin = out.layout.margin
    avail = width - (margin.l if margin.l is not None else 80) - (margin.r if margin.r is not None else 80) - 20
    lines = wrap(caption, avail, CAPTION_SIZE)
    out.update_layout(
        title={"text": heading or " ", "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "yref": "container", "automargin": True, "font": {"size": TITLE_SIZE},
               "subtitle": {"text": "<br>".join(html.escape(ln) for ln in lines),
                            "font": {"size": CAPTION_SIZE, "color": "#555"}}})
    return out


def figure_image(fig: go.Figure, caption: str, fmt: str = "png", size: tuple[int, int] = PNG_SIZE,
                 title: str | None = None) -> bytes:
    """PNG or SVG bytes of the figure with its title and caption (kaleido over the system Chromium)."""
    if fmt not in ("png", "svg"):
        raise ValueError("fmt must be png or svg")
    if not chromium_available():
        raise RuntimeError("Chromium이 없어 이미지를 만들 수 없습니다 (install chromium)")
    return with_caption(fig, caption, title, size[0]).to_image(format=fmt, width=size[0], height=size[1], scale=1)


def figure_html(fig: go.Figure, caption: str, title: str | None = None) -> bytes:
    """A self-contained interactive HTML page of the figure (plotly.js embedded, works offline)."""
    return with_caption(fig, caption, title).to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def _value(v: object, column: str) -> object:
    """One cell as a plain Python value: lists/dicts as text, timestamps local and tz-naive,
    missing as None; ISO day strings in a date column become dates."""
    if isinstance(v, list | tuple | set):
        return ", ".join(map(str, v))
    if isinstance(v, dict):
        return str(v)
    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return None
    if isinstance(v, datetime) and not isinstance(v, pd.Timestamp) and v.tzinfo is not None:
        v = pd.Timestamp(v)
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_convert(LOCAL_TZ).tz_localize(None)
        py = v.to_pydatetime()
        return py.date() if py.time() == datetime.min.time() else py
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v
    if isinstance(v, str) and column in DATE_COLUMNS and _ISO_DAY.fullmatch(v):
        return date.fromisoformat(v)
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        return v.item()
    return v


def _rows(df: pd.DataFrame) -> list[list[object]]:
    cols = [str(c) for c in df.columns]
    return [[cell(_value(v, c)) for v, c in zip(row, cols, strict=True)]
            for row in df.itertuples(index=False, name=None)]


def _csv_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _cells_wide(text: str) -> int:
    """Width of a text in Excel column units (a Hangul syllable takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (Excel shows Hangul); the header row is the first line."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR in a cell gets quoted
    w.writerow(headers(list(df.columns)))
    w.writerows([[_csv_text(v) for v in row] for row in _rows(df)])
    return buf.getvalue().encode("utf-8")


def info_rows(filters_desc: str, version: int | None, df: pd.DataFrame, name: str = "") -> list[tuple[str, object]]:
    """What the 정보 sheet says: table, filters, version, time, rows, columns."""
    rows: list[tuple[str, object]] = [
        ("표 (table)", name or "-"), ("필터 (filters)", filters_desc),
        ("저장소 버전 (store version)", "미상" if version is None else version),
        ("생성 (exported)", f"{datetime.now():%Y-%m-%d %H:%M}"), ("행 수 (rows)", len(df))]
    rows += [(f"열 {h}", str(c)) for h, c in zip(headers(list(df.columns)), df.columns, strict=True)]
    return [(str(cell(k)), cell(v)) for k, v in rows]


def table_xlsx(df: pd.DataFrame, filters_desc: str, version: int | None, sheet: str = "데이터",
               name: str = "") -> bytes:
    """An XLSX workbook: the table on the first sheet, its provenance on 정보.

    Written cell by cell with xlsxwriter so that text is always a string cell (never a formula or
    a link, whatever it starts with), numbers numbers, dates dates."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = wb.add_format({"bold": True})

    def put(ws, r: int, c: int, v: object) -> None:
        if v is None:
            ws.write_blank(r, c, None)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, int | float):
            if v != v or v in (float("inf"), float("-inf")):  # NaN / inf: no number cell holds them
                ws.write_blank(r, c, None)
            else:
                ws.write_number(r, c, v)
        elif isinstance(v, datetime):
            ws.write_datetime(r, c, v, stamp)
        elif isinstance(v, date):
            ws.write_datetime(r, c, datetime(v.year, v.month, v.day), day)
        else:
            ws.write_string(r, c, str(v))

    ws = wb.add_worksheet(str(sheet)[:31])
    heads = headers(list(df.columns))
    rows = _rows(df)
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, bold)
        sample = [h] + [_csv_text(r[c]) for r in rows[:200]]
        ws.set_column(c, c, min(60, max(6, max(_cells_wide(x) for x in sample) + 2)))
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            put(ws, r, c, v)
    ws.freeze_panes(1, 0)
    if heads:
        ws.autofilter(0, 0, len(rows), len(heads) - 1)
    info = wb.add_worksheet(INFO_SHEET)
    info.write_string(0, 0, "항목", bold)
    info.write_string(0, 1, "값", bold)
    for r, (k, v) in enumerate(info_rows(filters_desc, version, df, name), start=1):
        put(info, r, 0, k)
        put(info, r, 1, v)
    info.set_column(0, 1, 40)
    wb.close()
    return buf.getvalue()


def safe_name(name: str) -> str:
    """A file-name stem from a chart or table title (Hangul kept, separators dropped)."""
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name.strip())
    return keep.strip("_")[:60] or "export"


def file_stem(name: str, filters_desc: str, version: int | None) -> str:
    """`<title>_<filters>_<version>`: a downloaded file says what it holds and where it came from."""
    filt = re.sub(r"_+", "_", safe_name(filters_desc.replace("매체: 전체", "전체")))[:80].strip("_")
    return "_".join(p for p in (safe_name(name), filt, _version(version).replace("미상", "v미상")) if p)


def file_name(name: str, filters_desc: str, version: int | None, ext: str) -> str:
    return f"{file_stem(name, filters_desc, version)}.{ext}"
