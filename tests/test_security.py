"""No pickle/eval of user data, no raw HTML built from article data: a scan of the source tree.

The scan walks the AST of every module under analytics/ and dashboard/ (so `con.execute(...)` is
not mistaken for `exec(...)`) and fails on any hit that is not in ALLOWED with a reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCANNED = ("analytics", "dashboard")
# (relative path, rule) -> why it is safe. Keep this short, and justify every entry.
ALLOWED: dict[tuple[str, str], str] = {}

UNSAFE_LOADS = {  # module-ish name -> functions that deserialise arbitrary objects
    "pickle": {"load", "loads", "Unpickler"}, "cPickle": {"load", "loads"}, "dill": {"load", "loads"},
    "joblib": {"load"}, "marshal": {"load", "loads"}, "shelve": {"open"}, "torch": {"load"},
    "cloudpickle": {"load", "loads"}, "pd": {"read_pickle"}, "pandas": {"read_pickle"},
}
HTML_SINKS = {"html", "markdown", "write", "caption", "components"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _literal(node: ast.expr | None) -> bool:
    """A constant string (static markup): nothing from the data can reach it."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def scan_source(source: str) -> list[tuple[int, str]]:
    """(line, rule) for each dangerous construct in one module's source."""
    hits: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] in ("pickle", "cPickle", "dill", "marshal", "shelve", "cloudpickle")
                   for n in names):
                hits.append((node.lineno, "imports a pickle-like deserialiser"))
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        head, _, attr = name.rpartition(".")
        if name in ("eval", "exec", "builtins.eval", "builtins.exec"):
            hits.append((node.lineno, f"{name}("))
        elif name in ("__import__", "compile") and node.args and not _literal(node.args[0]):
            hits.append((node.lineno, f"{name}( of a computed value"))
        elif attr in UNSAFE_LOADS.get(head.split(".")[-1], ()):
            hits.append((node.lineno, f"{name}( deserialises arbitrary objects"))
        elif attr == "unsafe_load" or (name.endswith("yaml.load") and not _safe_loader(node)):
            hits.append((node.lineno, "yaml.load( without SafeLoader"))
        elif attr == "load" and _is_true(_kw(node, "allow_pickle")):
            hits.append((node.lineno, "np.load(allow_pickle=True)"))
        elif _is_true(_kw(node, "shell")):
            hits.append((node.lineno, "subprocess with shell=True"))
        elif _is_true(_kw(node, "unsafe_allow_html")) and not all(_literal(a) for a in node.args):
            hits.append((node.lineno, "unsafe_allow_html=True with computed content"))
        elif attr == "html" and head.split(".")[-1] in ("st", "components", "v1") and node.args \
                and not _literal(node.args[0]):
            hits.append((node.lineno, f"{name}( of computed content"))
    return hits


def _safe_loader(call: ast.Call) -> bool:
    loader = _kw(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
    return loader is not None and _dotted(loader).split(".")[-1] in ("SafeLoader", "CSafeLoader", "BaseLoader")


def _modules() -> list[Path]:
    return sorted(p for d in SCANNED for p in (ROOT / d).rglob("*.py") if ".venv" not in p.parts)


def test_source_tree_has_no_pickle_eval_or_raw_html_of_data():
    found = []
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        for line, rule in scan_source(path.read_text(encoding="utf-8")):
            if (rel, rule) not in ALLOWED:
                found.append(f"{rel}:{line}: {rule}")
    assert found == [], "dangerous constructs (fix, or allow-list with a reason):\n" + "\n".join(found)


def test_allow_list_entries_are_justified_and_still_needed():
    for (rel, rule), why in ALLOWED.items():
        assert len(why) > 20, f"say why {rel} may use {rule}"
        assert rule in {r for _, r in scan_source((ROOT / rel).read_text(encoding="utf-8"))}, \
            f"stale allow-list entry {rel}: {rule}"


@pytest.mark.parametrize("snippet,rule", [
    ("import pickle\npickle.loads(data)", "imports a pickle-like deserialiser"),
    ("import joblib\njoblib.load(path)", "joblib.load( deserialises arbitrary objects"),
    ("import pandas as pd\npd.read_pickle(p)", "pd.read_pickle( deserialises arbitrary objects"),
    ("eval(user_text)", "eval("),
    ("exec(code)", "exec("),
    ("import yaml\nyaml.load(s)", "yaml.load( without SafeLoader"),
    ("import yaml\nyaml.load(s, Loader=yaml.Loader)", "yaml.load( without SafeLoader"),
    ("np.load(p, allow_pickle=True)", "np.load(allow_pickle=True)"),
    ("st.markdown(f'<b>{title}</b>', unsafe_allow_html=True)", "unsafe_allow_html=True with computed content"),
    ("st.html(article['text'])", "st.html( of computed content"),
    ("subprocess.run(cmd, shell=True)", "subprocess with shell=True"),
])
def test_the_scan_catches_each_dangerous_construct(snippet, rule):
    assert rule in {r for _, r in scan_source(snippet)}


@pytest.mark.parametrize("snippet", [
    "con.execute('SELECT 1')",
    "import yaml\nyaml.load(s, Loader=yaml.SafeLoader)",
    "yaml.safe_load(s)",
    "np.load(p, allow_pickle=False)",
    "st.markdown('<style>.x{}</style>', unsafe_allow_html=True)",
    "st.text(article['text'])",
    "re.compile(r'x')",
])
def test_the_scan_passes_safe_code(snippet):
    assert scan_source(snippet) == []


# ---- stale data: a store rebuilt at the same path (issue 14 item 5) ------------------------------
def _tiny_store(root: Path, titles: list[str], terms: dict[str, int]):
    """A store with one commit of articles titled `titles`, each holding `terms`."""
    import json

    from analytics.store import Change, Store

    store = Store(root)
    ch = Change()
    ch.append("articles", [{"id": f"a{i}", "source": "조선", "title": t, "text": "…", "language": "ko",
                            "cluster_id": f"a{i}", "is_excerpt": False, "synthetic": False, "n_chars": 1}
                           for i, t in enumerate(titles)])
    ch.append("terms", [{"article_id": f"a{i}", "term": k, "cls": "common", "count": n}
                        for i in range(len(titles)) for k, n in terms.items()])
    ch.append("sentences", [{"article_id": f"a{i}", "pos": 0, "start": 0, "end": 1, "text": "…",
                             "label": "neutral", "score": 0.0, "terms": list(terms)} for i in range(len(titles))])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r"}))
    return store


def test_a_store_rebuilt_at_the_same_path_shows_its_own_articles(tmp_path, monkeypatch):
    import shutil

    from analytics import queries
    from analytics.filters import Filters

    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    root = tmp_path / "store"
    first = _tiny_store(root, ["옛 기사 1", "옛 기사 2"], {"반도체": 2})
    old_id = first.identity()
    c = queries.open_corpus(root, tmp_path / "nolex")
    assert sorted(queries.articles(c, Filters())["title"]) == ["옛 기사 1", "옛 기사 2"]
    c.con.close()
    shutil.rmtree(root)
    second = _tiny_store(root, ["새 기사"], {"로봇": 1})
    assert second.version() == first.version() == 1  # same path, same snapshot id, other data
    assert second.identity() != old_id
    c = queries.open_corpus(root, tmp_path / "nolex")
    assert list(queries.articles(c, Filters())["title"]) == ["새 기사"]
    assert queries.top_keywords(c, Filters(), 5, "tf")["term"].tolist() == ["로봇"]
    # the deleted store's cache file is gone, only the new store's remains
    assert len(list((tmp_path / "qcache").glob("*.duckdb"))) == 1


def test_a_store_without_an_identity_gets_one_derived_from_its_creation(tmp_path, monkeypatch):
    from analytics import store as store_mod
    from analytics.store import IDENTITY_FILE, Store

    root = tmp_path / "store"
    ident = _tiny_store(root, ["기사"], {"AI": 1}).identity()
    (root / IDENTITY_FILE).unlink()  # a store made before identities existed
    derived = Store(root).identity()
    assert derived != ident
    assert (root / IDENTITY_FILE).read_text().strip() == derived  # written back on first read
    (root / IDENTITY_FILE).unlink()
    with monkeypatch.context() as m:  # a reader that cannot write (tests may run as root) ...
        m.setattr(store_mod.Path, "write_text", _read_only_write)
        assert Store(root).identity() == derived  # ... computes the same id
        assert not (root / IDENTITY_FILE).exists()
    with Store(root).writer():
        pass
    assert (root / IDENTITY_FILE).read_text().strip() == derived


def _read_only_write(self, *args, **kwargs):
    raise PermissionError(13, "Permission denied", str(self))


def test_dashboard_caches_key_on_the_store_identity(tmp_path, monkeypatch):
    import shutil

    from analytics.filters import Filters
    from dashboard import data

    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    monkeypatch.setenv("TM_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "nolex"))
    data.clear()
    _tiny_store(tmp_path / "store", ["옛 기사"], {"반도체": 1})
    assert list(data.q("articles", Filters())["title"]) == ["옛 기사"]
    shutil.rmtree(tmp_path / "store")
    _tiny_store(tmp_path / "store", ["새 기사"], {"로봇": 1})
    data._version_memo.clear()  # the snapshot log's inode changed anyway; don't rely on timing
    assert list(data.q("articles", Filters())["title"]) == ["새 기사"]
    data.clear()
