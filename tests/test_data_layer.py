"""dashboard.data is the one typed data layer: a function per query the dashboard uses, with the
query's signature minus the Corpus, and no module of the dashboard that data imports back."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from analytics import queries
from dashboard import data

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
# Public names of analytics.queries that are no per-request query of a page.
NOT_PAGE_QUERIES = {"GRANULARITIES", "PRIOR_ALPHA0", "SENTENCE_SCOPE_ARTICLES", "Corpus", "open_corpus",
                    "reload_lexicon", "lexicon_key", "parse_query", "topic_model", "topic_model_ready"}


def _dashboard_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DASHBOARD.rglob("*.py"))
                     if p.name not in ("data.py",))


def test_every_query_the_dashboard_uses_has_a_typed_function_with_its_signature():
    src = _dashboard_source()
    used = [n for n in queries.__all__ if n not in NOT_PAGE_QUERIES and re.search(rf"\b{n}\b", src)]
    assert "top_keywords" in used and "sentiment_by_source" in used  # the search sees the pages
    for name in used:
        typed = getattr(data, name, None)
        assert callable(typed), f"dashboard.data has no typed function {name}"
        assert typed.__module__ == "dashboard.data"
        want = list(inspect.signature(getattr(queries, name)).parameters.values())[1:]  # minus the Corpus
        got = list(inspect.signature(typed).parameters.values())
        assert [(p.name, p.default) for p in got] == [(p.name, p.default) for p in want], name
        assert typed.__doc__ and "\n" not in typed.__doc__.strip(), f"{name}: one-line docstring"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "dashboard":
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("dashboard.")}
    return out


def test_data_imports_no_dashboard_module_that_imports_it_back():
    assert _imports(DASHBOARD / "data.py") <= {"escape"}
    assert "data" not in _imports(DASHBOARD / "escape.py")
    assert "figures" not in _imports(DASHBOARD / "data.py")


def test_no_page_calls_a_query_or_a_figure_by_name():
    src = _dashboard_source()
    for old in ("safe_q(", "ui.need(", "data.has(", "data.q(", "figures.figure("):
        assert old not in src, old
    assert not (DASHBOARD / "figures.py").exists()  # the cached figures live in data.figure


def test_a_failing_query_gives_none_and_one_korean_message(tmp_path, monkeypatch):
    from analytics.filters import Filters

    shown: list[str] = []
    monkeypatch.setattr(data, "_warn", shown.append)
    monkeypatch.setenv("TM_STORE", str(tmp_path / "nostore"))
    data.clear()
    assert data.top_keywords(Filters(), 5, "tf") is None
    assert shown == ["질의 top_keywords를 실행하지 못했습니다: StoreError: no store"]


def test_typed_calls_and_figures_are_the_query_under_the_filters(tmp_path, monkeypatch):
    from test_security import _tiny_store

    from analytics.filters import Filters
    from dashboard import charts

    shown: list[str] = []
    monkeypatch.setattr(data, "_warn", shown.append)
    monkeypatch.setenv("TM_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "nolex"))
    data.clear()
    _tiny_store(tmp_path / "store", ["가 기사", "나 기사"], {"반도체": 2, "로봇": 1})
    top = data.top_keywords(Filters(), 5, "tf")
    assert list(zip(top["term"], top["tf"], strict=True)) == [("반도체", 4), ("로봇", 2)]
    fig = data.figure(charts.term_bar, data.top_keywords, (Filters(), 5, "tf"), "tf", n=5)
    assert fig is data.figure(charts.term_bar, data.top_keywords, (Filters(), 5, "tf"), "tf", n=5)  # cached
    assert sorted(fig.data[0].y if fig.data[0].orientation == "h" else fig.data[0].x) == ["로봇", "반도체"]
    # bad user input: the parser's message, in Korean, and None
    assert data.top_keywords(Filters(query="(" * 50 + "반도체"), 5, "tf") is None
    assert len(shown) == 1 and "괄호" in shown[0]
    data.clear()
