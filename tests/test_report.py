"""The one-click report (issue 15 item 3) on the five-article query corpus of test_queries plus one
hostile article: the file opens, holds the charts and the filters, and every data string is escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser

import pytest

from analytics.filters import Filters
from analytics.queries import open_corpus
from analytics.store import Change
from tests.conftest import ROOT
from tests.test_queries import build_store

pytestmark = pytest.mark.usefixtures("isolated_query_cache")

EVIL = "<script>alert(1)</script>"
FORMULA = "=HYPERLINK(\"http://x\")"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("report") / "store"
    store = build_store(root)
    ch = Change()
    ch.append("articles", [{"id": "x1", "source": EVIL, "published": date(2024, 2, 20), "year": 2024,
                            "title": EVIL, "text": "…", "language": "ko", "cluster_id": "x1",
                            "is_excerpt": True, "synthetic": False, "n_chars": 10}])
    ch.append("terms", [{"article_id": "x1", "term": t, "cls": "common", "count": 9} for t in (EVIL, FORMULA)])
    ch.append("entities", [{"article_id": "x1", "type": "PS", "canonical": EVIL, "surface": EVIL, "count": 9,
                            "sentences": [0]}])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r2"}))
    return root


@pytest.fixture(scope="module")
def corpus(store_dir, tmp_path_factory):
    return open_corpus(store_dir, tmp_path_factory.mktemp("lex"))


class Outline(HTMLParser):
    """Headings, table cells, script and attribute sources of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h2, self.h3, self.cells, self.urls, self.scripts = [], [], [], [], 0
        self._tag: str | None = None

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        self.scripts += tag == "script"
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        if self._tag == "h2":
            self.h2.append(data)
        elif self._tag == "h3":
            self.h3.append(data)
        elif self._tag == "td":
            self.cells.append(data)


def _outline(page: str) -> Outline:
    p = Outline()
    p.feed(page)
    return p


CHARTS_WITHOUT_TOPICS = ["기사량 추이 Volume over time", "매체별 기사 수 Articles per source",
                         "주요 키워드 Top keywords (빈도 TF)", "상위 5개 키워드 추이 Top 5 over time",
                         "어조 추이 Tone over time", "매체별 어조 Tone by source", "주요 인물 People",
                         "주요 기관 Organisations", "주요 장소 Places"]


def test_html_report_is_self_contained_and_holds_charts_tables_filters(corpus):
    from dashboard.report import report_bytes

    page = report_bytes(corpus, Filters(), "html").decode("utf-8")
    o = _outline(page)
    assert o.h2[:5] == ["개요 Overview", "새로 떠오른 Newly rising", "키워드 Keywords", "감성 Sentiment",
                        "개체 Entities"]
    assert o.h2[-1] == "방법 Method notes"
    charts = [h for h in o.h3 if h in CHARTS_WITHOUT_TOPICS]
    assert charts == CHARTS_WITHOUT_TOPICS
    n_figs = page.count('class="plotly-graph-div"')
    assert n_figs == len(CHARTS_WITHOUT_TOPICS) + page.count("토픽 비중 추이")
    # plotly.js once, inline; nothing loaded from anywhere
    assert o.scripts == 1 + n_figs and page.count("plotly.js v") >= 1
    assert o.urls == []
    assert "default-src 'none'" in page
    assert "필터 Filters</b>: 매체: 전체" in page and "저장소 버전 Store version</b>: v2" in page
    # the top keywords table, worked from test_queries' corpus (+ the hostile article's 9-count terms)
    rows = [o.cells[i:i + 3] for i in range(len(o.cells) - 2)]
    assert ["반도체", "6", "3"] in rows  # term, TF (1 + 2 + 3), articles (a1, a2, a3)
    assert [EVIL, "9", "1"] in rows
    assert "주의: 기사 6건 중 1건은 본문이 BIG Kinds의 200자 발췌입니다" in page


def test_every_data_string_is_escaped_and_formulas_neutralised(corpus):
    from dashboard.report import report_bytes

    page = report_bytes(corpus, Filters(), "html").decode("utf-8")
    assert EVIL not in page  # neither in tables, headings nor the figure JSON
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    o = _outline(page)
    assert EVIL in o.cells  # shown as text
    assert "'" + FORMULA in o.cells and FORMULA not in o.cells


def test_report_follows_the_filters(corpus):
    from dashboard.report import build_report

    rep = build_report(corpus, Filters(sources=("조선",), query="반도체"))
    assert dict(rep.meta)["필터 Filters"] == "매체: 조선 | 검색어: 반도체"
    kpi = rep.sections[0].items[0]
    assert kpi.df.iloc[0]["기사 수"] == 2  # a1, a2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_report_opens_with_text_fonts_and_chart_images(corpus, tmp_path):
    from analytics.cli import main

    out = tmp_path / "보고서.pdf"
    assert main(["report", "--store", str(corpus.store.root), "--source", "조선", "--source", "한겨레",
                 "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for want in ("트렌드 모니터 보고서", "매체: 조선, 한겨레", "저장소 버전 Store version: v2", "키워드 Keywords",
                 "기사량 추이 Volume over time", "매체별 어조 Tone by source", "반도체"):
        assert want in text, want
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    n_images = len([ln for ln in images.splitlines()[2:] if ln.strip()])
    assert n_images >= len(CHARTS_WITHOUT_TOPICS)  # one PNG per chart (soft masks may add more)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(ln.split()[-5] == "yes" for ln in fonts.splitlines()[2:] if ln.strip())  # embedded


def test_report_cli_rejects_an_unknown_format_and_a_missing_store(tmp_path, corpus):
    from analytics.cli import main

    assert main(["report", "--store", str(corpus.store.root), "--out", str(tmp_path / "r.docx")]) == 2
    assert main(["report", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "r.html")]) == 2
    assert not (tmp_path / "r.html").exists()


def test_layering_only_the_cli_reaches_into_dashboard_and_the_report_needs_no_streamlit():
    offenders = []
    for p in (ROOT / "analytics").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import) (dashboard|streamlit)\b", text, re.M) and p.name != "cli.py":
            offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []
    cli = (ROOT / "analytics" / "cli.py").read_text(encoding="utf-8")
    assert re.findall(r"^\s*from dashboard[.\w]* import \w+", cli, re.M) == ["    from dashboard.report import report_main"]
    code = "import sys, dashboard.report, dashboard.report_doc; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
