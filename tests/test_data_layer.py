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
