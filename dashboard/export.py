"""Downloads: charts as PNG / SVG / interactive HTML, tables as CSV (UTF-8 BOM) and XLSX.

Pure functions, no `st.` calls. Every export carries where it came from: the filters
(`Filters.describe()`) and the store version — a caption line under images and HTML, metadata
lines at the top of a CSV, and a second sheet (필터 Filters) in an XLSX workbook.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

BOM = "\ufeff"
CHROMIUM = "/usr/bin/chromium"
PNG_SIZE = (1200, 700)  # width, height in px of exported images (scale 1)


def provenance(filters_desc: str, version: int | None) -> str:
    """The one-line caption every export carries: filters, store version, time of export."""
    v = "미상" if version is None else f"v{version}"
    return f"필터: {filters_desc} · 저장소 버전 {v} · 생성 {datetime.now():%Y-%m-%d %H:%M}"


def chromium_available() -> bool:
    """Whether kaleido can find a browser for static image export (sets BROWSER_PATH if needed)."""
    if os.environ.get("BROWSER_PATH") and os.path.exists(os.environ["BROWSER_PATH"]):
        return True
    for cand in (CHROMIUM, shutil.which("chromium"), shutil.which("google-chrome")):
        if cand and os.path.exists(cand):
            os.environ["BROWSER_PATH"] = cand
            return True
    return False


def with_caption(fig: go.Figure, caption: str) -> go.Figure:
    """A copy of the figure with the caption line under the plot (room made in the bottom margin)."""
    out = go.Figure(fig)
    margin_b = (out.layout.margin.b or 40) + 50
    out.add_annotation(text=caption, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-(margin_b - 15), showarrow=False,
                       font={"size": 11, "color": "#555"})
    out.update_layout(margin={"b": margin_b})
    return out


def figure_image(fig: go.Figure, caption: str, fmt: str = "png",
                 size: tuple[int, int] = PNG_SIZE) -> bytes:
    """PNG or SVG bytes of the figure with its caption (kaleido over the system Chromium)."""
    if fmt not in ("png", "svg"):
        raise ValueError("fmt must be png or svg")
    if not chromium_available():
        raise RuntimeError("Chromium이 없어 이미지를 만들 수 없습니다 (install chromium)")
    return with_caption(fig, caption).to_image(format=fmt, width=size[0], height=size[1], scale=1)


def figure_html(fig: go.Figure, caption: str) -> bytes:
    """A self-contained interactive HTML page of the figure (plotly.js embedded, works offline)."""
    return with_caption(fig, caption).to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Cells a spreadsheet can hold: tz-naive datetimes, lists/dicts as text, 미상 for missing labels."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.tz_localize(None)
        elif s.dtype == object:
            out[col] = s.map(lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple | set)
                             else (str(v) if isinstance(v, dict) else v))
    return out


def table_csv(df: pd.DataFrame, caption: str) -> bytes:
    """CSV in UTF-8 with a BOM (Excel shows Hangul), the caption as a `#` line above the header."""
    buf = io.StringIO()
    buf.write(BOM)
    csv.writer(buf, lineterminator="\n").writerow([f"# {caption}"])
    _plain(df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def table_xlsx(df: pd.DataFrame, filters_desc: str, version: int | None, sheet: str = "데이터") -> bytes:
    """An XLSX workbook: the table on the first sheet, the filters and store version on 필터 Filters."""
    meta = pd.DataFrame({"항목": ["필터 (filters)", "저장소 버전 (store version)", "생성 (exported)", "행 수 (rows)"],
                         "값": [filters_desc, "미상" if version is None else version,
                               f"{datetime.now():%Y-%m-%d %H:%M}", len(df)]})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xl:
        _plain(df).to_excel(xl, sheet_name=sheet[:31], index=False)
        meta.to_excel(xl, sheet_name="필터 Filters", index=False)
        xl.sheets["필터 Filters"].set_column(0, 1, 40)
    return buf.getvalue()


def safe_name(name: str) -> str:
    """A file-name stem from a chart or table title (Hangul kept, separators dropped)."""
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name.strip())
    return keep.strip("_")[:60] or "export"
