"""A report document (sections of figures, tables and notes) -> one self-contained HTML or a PDF.

Pure functions, no `st.` calls, no network. The interactive HTML inlines plotly.js once and each
figure as JSON; the PDF is the static HTML (every chart a PNG drawn by kaleido over the system
Chromium, with the Noto CJK fonts) printed by Chromium headless, which embeds the fonts.

Article text is untrusted: every string of the document is HTML-escaped here, table cells are
neutralised against spreadsheet formulas (`export.cell`, as in CSV/XLSX downloads) and figure JSON
is embedded by plotly with `</` escaped. The page has a Content-Security-Policy that allows no
network request at all.
"""

from __future__ import annotations

import base64
import html
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import export

IMG_SIZE = (1000, 520)  # px of each chart image in the PDF (drawn at scale 2)
TABLE_ROWS = 30
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:")
CSS = """
body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
       margin: 24px auto; max-width: 1080px; color: #222; line-height: 1.5; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 20px; border-bottom: 2px solid #2f6f8f;
padding-bottom: 4px; margin-top: 32px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.meta { color: #555; font-size: 13px; } .note { color: #555; font-size: 12.5px; }
.warn { background: #fff4e5; border-left: 4px solid #f0a020; padding: 6px 10px; font-size: 13px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 4px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f0f4f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
img.chart { width: 100%; max-width: 1000px; } .fig { page-break-inside: avoid; margin-bottom: 8px; }
pre.method { white-space: pre-wrap; font-family: inherit; font-size: 12px; background: #fafafa;
             border: 1px solid #eee; padding: 8px; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
@media print { body { margin: 0; max-width: none; } }
"""


@dataclass
class Chart:
    title: str
    fig: go.Figure
    note: str = ""


@dataclass
class Table:
    title: str
    df: pd.DataFrame
    note: str = ""
    rows: int = TABLE_ROWS


@dataclass
class Note:
    text: str
    warn: bool = False


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)  # Chart | Table | Note, in order


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]  # (label, value): filters, store version, generated at, ...
    sections: list[Section]
    method: list[tuple[str, str]] = field(default_factory=list)  # (title, plain text)

    def charts(self) -> list[Chart]:
        return [it for s in self.sections for it in s.items if isinstance(it, Chart)]


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _cell(v: object) -> tuple[str, bool]:
    """(escaped text, is number) of one table value; unknown as 미상, text formula-neutralised."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return "미상", False
    if isinstance(v, bool):
        return ("예" if v else "아니오"), False
    if isinstance(v, int):
        return f"{v:,}", True
    if isinstance(v, float):
        return (f"{v:,.4g}" if abs(v) < 1 else f"{v:,.2f}"), True
    if hasattr(v, "isoformat"):
        return esc(v.isoformat()[:10] if getattr(v, "hour", 0) == 0 else v.isoformat(sep=" ")[:16]), False
    return esc(export.cell(str(v))), False


def table_html(df: pd.DataFrame, rows: int = TABLE_ROWS) -> str:
    """A table with Korean headers (export.headers), at most `rows` rows, every cell escaped."""
    shown = df.head(rows)
    head = "".join(f"<th>{esc(h)}</th>" for h in export.headers(list(shown.columns)))
    body = []
    for rec in shown.itertuples(index=False):
        cells = []
        for v in rec:
            text, num = _cell(v.item() if hasattr(v, "item") else v)
            cells.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = (f'<p class="note">상위 {rows}행만 실었습니다 (전체 {len(df):,}행). (First {rows} of {len(df):,} rows.)</p>'
            if len(df) > rows else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _figure_div(fig: go.Figure) -> str:
    # plotly escapes "</" in the embedded JSON, so a term such as "</script>" stays data
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       config={"displaylogo": False, "responsive": True})


def render_html(report: Report, images: dict[int, bytes] | None = None) -> str:
    """The report as one HTML page. Without `images`: interactive (plotly.js inlined once); with
    `images` (chart index -> PNG bytes): static, each chart an inline image (for print / PDF)."""
    parts = [f"<h1>{esc(report.title)}</h1>", '<p class="meta">' +
             "<br>".join(f"<b>{esc(k)}</b>: {esc(v)}" for k, v in report.meta) + "</p>"]
    toc = "".join(f"<li>{esc(s.title)}</li>" for s in report.sections)
    parts.append(f'<ol class="meta">{toc}</ol>')
    n = 0
    for s in report.sections:
        parts.append(f"<h2>{esc(s.title)}</h2>")
        for it in s.items:
            if isinstance(it, Chart):
                if images is not None and n in images:
                    b64 = base64.b64encode(images[n]).decode("ascii")
                    body = f'<img class="chart" alt="{esc(it.title)}" src="data:image/png;base64,{b64}">'
                elif images is not None:
                    body = '<p class="warn">그림을 만들지 못했습니다. (Chart image unavailable.)</p>'
                else:
                    body = _figure_div(it.fig)
                n += 1
                note = f'<p class="note">{esc(it.note)}</p>' if it.note else ""
                parts.append(f'<div class="fig"><h3>{esc(it.title)}</h3>{body}{note}</div>')
            elif isinstance(it, Table):
                note = f'<p class="note">{esc(it.note)}</p>' if it.note else ""
                parts.append(f"<h3>{esc(it.title)}</h3>{table_html(it.df, it.rows)}{note}")
            elif isinstance(it, Note):
                parts.append(f'<p class="{"warn" if it.warn else "note"}">{esc(it.text)}</p>')
    if report.method:
        parts.append("<h2>방법 Method notes</h2>")
        for title, text in report.method:
            parts.append(f'<h3>{esc(title)}</h3><pre class="method">{esc(text)}</pre>')
    script = ""
    if images is None and report.charts():
        from plotly.offline import get_plotlyjs

        script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    return ("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{esc(report.title)}</title><style>{CSS}</style>{script}</head><body>"
            + "\n".join(parts) + "</body></html>")


# ---- static images and PDF ---------------------------------------------------------------------
_kaleido_lock = threading.Lock()


def chart_images(charts: list[Chart], progress: Callable[[int, int], None] | None = None) -> dict[int, bytes]:
    """PNG bytes per chart index, drawn by kaleido over one Chromium kept for the whole batch
    (about 0.6 s a chart instead of 3.5 s with a browser per image). A chart that fails is left out."""
    if not export.chromium_available():
        raise RuntimeError("Chromium이 없어 그림을 만들 수 없습니다 (no Chromium for chart images: "
                           "install chromium or set BROWSER_PATH)")
    import warnings

    import kaleido

    out: dict[int, bytes] = {}
    with _kaleido_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts ignored when using a server"
        started = False
        try:
            kaleido.start_sync_server(silence_warnings=True)
            started = True
        except Exception:  # already running (another caller) or unavailable: per-image browsers
            started = False
        try:
            for i, ch in enumerate(charts):
                try:
                    out[i] = ch.fig.to_image(format="png", width=IMG_SIZE[0], height=IMG_SIZE[1], scale=2)
                except Exception:
                    pass
                if progress:
                    progress(i + 1, len(charts))
        finally:
            if started:
                kaleido.stop_sync_server(silence_warnings=True)
    return out


def html_to_pdf(page: str, timeout: float = 120.0) -> bytes:
    """PDF bytes of an HTML page, printed by Chromium headless (fonts embedded, no header/footer)."""
    if not export.chromium_available():
        raise RuntimeError("Chromium이 없어 PDF를 만들 수 없습니다 (no Chromium: install chromium or set BROWSER_PATH)")
    browser = os.environ["BROWSER_PATH"]
    with tempfile.TemporaryDirectory(prefix="tm-report-") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-extensions", "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if not out.exists() or out.stat().st_size == 0:
            err = proc.stderr.decode("utf-8", "replace")[-400:]
            raise RuntimeError(f"PDF를 만들지 못했습니다 (Chromium print failed, exit {proc.returncode}): {err}")
        return out.read_bytes()


def render(report: Report, fmt: str, progress: Callable[[float, str], None] | None = None) -> bytes:
    """The report's bytes as "html" (interactive, offline) or "pdf" (static images)."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt != "pdf":
        raise ValueError(f"보고서 형식은 html 또는 pdf입니다 (report format must be html or pdf, not {fmt!r})")
    charts = report.charts()

    def step(done: int, total: int) -> None:
        if progress:
            progress(0.5 + 0.4 * done / max(total, 1), f"그림 {done}/{total}")

    images = chart_images(charts, step)
    if progress:
        progress(0.92, "PDF 인쇄 (printing)")
    return html_to_pdf(render_html(report, images))
