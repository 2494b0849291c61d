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
    assert list(data.call(data.articles, Filters())["title"]) == ["옛 기사"]
    shutil.rmtree(tmp_path / "store")
    _tiny_store(tmp_path / "store", ["새 기사"], {"로봇": 1})
    data._version_memo.clear()  # the snapshot log's inode changed anyway; don't rely on timing
    assert list(data.call(data.articles, Filters())["title"]) == ["새 기사"]
    data.clear()


# ---- access control: read-only mode, write token, localhost default (issue 14 item 2) ----------
APP = str(ROOT / "dashboard" / "app.py")
TOKEN = "s3cret-토큰-7f3a"


@pytest.fixture
def write_env(tmp_path, monkeypatch):
    """A tiny store, an empty lexicon dir and no write settings (each test adds its own)."""
    from dashboard import access

    for name in ("TM_READ_ONLY", "TM_WRITE_TOKEN", "TM_WRITE_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    monkeypatch.setenv("TM_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("TM_LEXICON_DIR", str(tmp_path / "lex"))
    monkeypatch.setenv("TM_UPLOAD_DIR", str(tmp_path / "uploads"))
    (tmp_path / "lex").mkdir()
    _tiny_store(tmp_path / "store", ["기사"], {"반도체": 1})
    access._failures.clear()
    yield tmp_path
    access._failures.clear()


def _data_page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    return at


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def _force_click(button):
    """What a crafted websocket message does: 'press' a button the browser shows disabled."""
    button.proto.disabled = False
    return button.click()


def _page_text(at) -> str:
    return "\n".join(str(e.value) for kind in (at.info, at.warning, at.error, at.caption, at.success)
                     for e in kind)


@pytest.mark.parametrize("env,address,proxied,mode", [
    ({"TM_READ_ONLY": "1"}, "localhost", False, "read_only"),
    ({"TM_READ_ONLY": "1", "TM_WRITE_TOKEN": TOKEN}, "0.0.0.0", False, "read_only"),
    ({"TM_READ_ONLY": "0"}, "localhost", False, "open"),
    ({"TM_READ_ONLY": "true"}, "localhost", False, "read_only"),
    ({"TM_READ_ONLY": "ja"}, "localhost", False, "read_only"),  # an unreadable value fails closed
    ({}, "localhost", False, "open"),  # `make run`: a local user with no token writes as before
    ({}, "127.0.0.1", False, "open"),
    ({}, "0.0.0.0", False, "closed"),  # served to a network with no token: locked, never open
    ({}, None, False, "closed"),  # no address = every interface
    ({}, "localhost", True, "closed"),  # behind a proxy the visitors are not local
    ({"TM_WRITE_TOKEN": TOKEN}, "0.0.0.0", False, "token"),
    ({"TM_WRITE_TOKEN": TOKEN}, "localhost", False, "token"),
])
def test_write_policy_by_settings_and_bind_address(monkeypatch, env, address, proxied, mode):
    from dashboard import access

    for name in ("TM_READ_ONLY", "TM_WRITE_TOKEN", "TM_WRITE_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert access.policy(address, proxied).mode == mode


def test_write_token_from_a_file_and_an_unreadable_file_locks(tmp_path, monkeypatch):
    from dashboard import access

    monkeypatch.delenv("TM_WRITE_TOKEN", raising=False)
    monkeypatch.setenv("TM_WRITE_TOKEN_FILE", str(tmp_path / "token"))
    assert access.policy("localhost").mode == "closed"  # configured but missing: never open
    (tmp_path / "token").write_text(TOKEN + "\n", encoding="utf-8")
    p = access.policy("localhost")
    assert p.mode == "token" and access.token_matches(TOKEN, p.digest)
    assert not access.token_matches(TOKEN + "x", p.digest) and not access.token_matches("", p.digest)


def test_token_is_compared_with_hmac_compare_digest(monkeypatch):
    from dashboard import access

    calls = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    digest = access._digest(TOKEN)
    assert access.token_matches(TOKEN, digest) is True
    assert access.token_matches("wrong", digest) is False
    assert len(calls) == 2 and all(len(a) == len(b) == 32 for a, b in calls)  # digests: no length leak


def test_wrong_tokens_are_throttled_for_everyone():
    from dashboard import access

    access._failures.clear()
    digest = access._digest(TOKEN)
    assert [access.try_unlock("x", digest, now=100.0) for _ in range(5)] == ["wrong"] * 5
    assert access.try_unlock(TOKEN, digest, now=101.0) == "throttled"  # even the right one, for a minute
    assert access.try_unlock(TOKEN, digest, now=161.0) == "ok"
    access._failures.clear()


def test_read_only_mode_hides_the_uploader_and_refuses_a_forced_save(write_env, monkeypatch):
    from analytics import lexicon

    monkeypatch.setenv("TM_READ_ONLY", "1")
    at = _data_page()
    assert not at.exception
    assert "읽기 전용 모드입니다" in _page_text(at)
    assert len(at.get("file_uploader")) == 0
    save = _button(at, "lex_sw_save")
    assert save.disabled and _button(at, "lex_al_save").disabled
    assert all(b.disabled for b in at.button if "Ingest" in str(b.label))
    _force_click(save).run()  # a crafted websocket message can 'press' a disabled button
    assert not (write_env / "lex" / lexicon.STOPWORDS_FILE).exists()


def _require_app():
    import streamlit as st

    from dashboard import access

    st.write("allowed" if access.require() else "refused")


@pytest.mark.parametrize("env,expected,message", [
    ({"TM_READ_ONLY": "1"}, "refused", "읽기 전용"),
    ({"TM_WRITE_TOKEN": TOKEN}, "refused", "잠김"),
    ({}, "allowed", None),  # AppTest reads .streamlit/config.toml: bound to localhost, no token
])
def test_the_action_time_check_refuses_without_write_access(monkeypatch, env, expected, message):
    """access.require() runs when the action runs, not trusting the button's disabled state."""
    from streamlit.testing.v1 import AppTest

    for name in ("TM_READ_ONLY", "TM_WRITE_TOKEN", "TM_WRITE_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    at = AppTest.from_function(_require_app).run()
    assert [m.value for m in at.markdown] == [expected]
    assert [message in str(e.value) for e in at.error] == ([True] if message else [])


def test_write_token_locks_until_the_right_token_and_never_reaches_the_url_or_logs(write_env, monkeypatch,
                                                                                   caplog):
    import logging

    from analytics import lexicon

    monkeypatch.setenv("TM_WRITE_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    at = _data_page()
    assert not at.exception
    assert "잠김:" in _page_text(at)
    assert len(at.get("file_uploader")) == 0 and _button(at, "lex_sw_save").disabled
    _force_click(_button(at, "lex_sw_save")).run()  # forced while locked
    assert not (write_env / "lex" / lexicon.STOPWORDS_FILE).exists()

    token_box = next(t for t in at.text_input if t.key == "data_token")
    token_box.input("wrong-token")
    next(b for b in at.button if "Unlock" in str(b.label)).click().run()
    assert any("토큰이 맞지 않습니다" in str(e.value) for e in at.error)
    assert _button(at, "lex_sw_save").disabled

    next(t for t in at.text_input if t.key == "data_token").input(TOKEN)
    next(b for b in at.button if "Unlock" in str(b.label)).click().run()
    assert not at.exception
    assert "쓰기 가능" in _page_text(at)
    assert len(at.get("file_uploader")) == 1 and not _button(at, "lex_sw_save").disabled
    assert TOKEN not in str(dict(at.query_params))
    assert all(TOKEN not in r.getMessage() for r in caplog.records)

    _button(at, "lex_sw_save").click().run()  # an empty stopword list saves now
    assert (write_env / "lex" / lexicon.STOPWORDS_FILE).exists()
    assert any("저장했습니다" in str(e.value) for e in at.success)

    next(b for b in at.button if b.key == "data_lock").click().run()  # lock again
    assert "잠김:" in _page_text(at) and _button(at, "lex_sw_save").disabled


@pytest.mark.parametrize("term", [
    "=HYPERLINK(\"http://evil.example\",\"클릭\")", "+1", "-1+2", "@SUM(A1)", "[재로그인](http://evil.example)",
    "<img src=x>", "가" * 41, "줄\n바꿈", "탭\t문자", "널\x00", "**굵게**", "a  b", "`코드`", "#태그",
])
def test_lexicon_edits_refuse_bad_length_and_characters(tmp_path, term):
    from analytics import lexicon

    with pytest.raises(ValueError):
        lexicon.save_stopwords(tmp_path, [term])
    with pytest.raises(ValueError):
        lexicon.save_aliases(tmp_path, {term: "AI"})
    with pytest.raises(ValueError):
        lexicon.save_aliases(tmp_path, {"AI": term})
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing logged


def test_lexicon_edits_keep_real_terms_and_are_logged_with_time(tmp_path):
    import json
    from datetime import UTC, datetime, timedelta

    from analytics import lexicon

    lexicon.save_stopwords(tmp_path, ["기자", "A.I.", "R&D", "4차 산업혁명", "K-팝", "C++", "가" * 40])
    lexicon.save_aliases(tmp_path, {"인공지능": "AI", "A.I.": "AI"})
    lexicon.save_aliases(tmp_path, {"인공지능": "AI", "머신러닝": "기계학습"})
    assert lexicon.load_stopwords(tmp_path) == {"기자", "A.I.", "R&D", "4차 산업혁명", "K-팝", "C++", "가" * 40}
    entries = [json.loads(x) for x in (tmp_path / lexicon.EDIT_LOG).read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["added"], e["removed"]) for e in entries] == [
        ("stopwords_user.txt", sorted(["기자", "A.I.", "R&D", "4차 산업혁명", "K-팝", "C++", "가" * 40]), []),
        ("aliases.csv", ["A.I. -> AI", "인공지능 -> AI"], []),
        ("aliases.csv", ["머신러닝 -> 기계학습"], ["A.I. -> AI"]),
    ]
    for e in entries:
        assert abs(datetime.fromisoformat(e["at"]) - datetime.now(UTC)) < timedelta(minutes=1)


# ---- bounded keyword queries (issue 14 item 4) ------------------------------------------------
GROUPS = 20
BIG_QUERY = " AND ".join(f"(a{i:02d} OR b{i:02d})" for i in range(GROUPS))  # 2^20 groups if expanded; equal-length terms: none holds another


def _term_sets_store(root: Path, docs: dict[str, set[str]]):
    import json

    from analytics.store import Change, Store

    store = Store(root)
    ch = Change()
    ch.append("articles", [{"id": d, "source": "조선", "title": d, "text": "…", "language": "ko", "cluster_id": d,
                            "is_excerpt": False, "synthetic": False, "n_chars": 1} for d in docs])
    ch.append("terms", [{"article_id": d, "term": t, "cls": "common", "count": 1} for d, ts in docs.items() for t in ts])
    ch.append("sentences", [{"article_id": d, "pos": 0, "start": 0, "end": 1, "text": "…", "label": "neutral",
                             "score": 0.0, "terms": sorted(ts)} for d, ts in docs.items()])
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r"}))
    return store


def _docs() -> dict[str, set[str]]:
    """40 articles: d_all holds every a_i (matches), d_mix holds a_i or b_i alternately (matches),
    d_miss_k lacks both a_k and b_k (no match), the rest hold a random half of the terms."""
    import random

    rng = random.Random(14)
    docs = {"d_all": {f"a{i:02d}" for i in range(GROUPS)},
            "d_mix": {f"a{i:02d}" if i % 2 else f"b{i:02d}" for i in range(GROUPS)}}
    for k in range(GROUPS):
        docs[f"d_miss_{k:02d}"] = {f"{x}{i:02d}" for i in range(GROUPS) if i != k for x in "ab"}
    for j in range(18):
        docs[f"d_rand_{j:02d}"] = {f"{x}{i:02d}" for i in range(GROUPS) for x in "ab" if rng.random() < 0.8}
    return docs


def _expected(docs: dict[str, set[str]]) -> list[str]:
    return sorted(d for d, ts in docs.items() if all(f"a{i:02d}" in ts or f"b{i:02d}" in ts for i in range(GROUPS)))


def test_twenty_and_ed_or_groups_answer_without_expansion(tmp_path, monkeypatch):
    from analytics import queries
    from analytics.filters import Filters, parse_tree
    from analytics.queries import sql

    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    docs = _docs()
    _term_sets_store(tmp_path / "store", docs)
    c = queries.open_corpus(tmp_path / "store", tmp_path / "nolex")
    tree = parse_tree(BIG_QUERY)
    assert tree[0] == "and" and len(tree[1]) == GROUPS and all(k[0] == "or" and len(k[1]) == 2 for k in tree[1])
    looked_up = []
    real = sql._variant_tids
    monkeypatch.setattr(sql, "_variant_tids", lambda c, t: looked_up.append(t) or real(c, t))
    cond, _ = sql._query_sql(c, BIG_QUERY)
    assert sorted(looked_up) == sorted(f"{x}{i:02d}" for i in range(GROUPS) for x in "ab")  # each term once
    assert len(cond) < 200 * 2 * GROUPS  # linear in the query (the expansion had 2^20 groups)
    expected = _expected(docs)
    assert "d_all" in expected and "d_mix" in expected and not any(d.startswith("d_miss") for d in expected)
    assert sorted(queries.articles(c, Filters(query=BIG_QUERY))["id"]) == expected
    assert queries.kpis(c, Filters(query=BIG_QUERY))["articles"] == len(expected)
    # one group fewer matched by d_miss_19 too; OR of the two halves; a negated-by-absence check
    q19 = " AND ".join(f"(a{i:02d} OR b{i:02d})" for i in range(GROUPS - 1))
    assert "d_miss_19" in set(queries.articles(c, Filters(query=q19))["id"])
    assert sorted(queries.articles(c, Filters(query="(a00 AND b00) OR zz"))["id"]) == sorted(
        d for d, ts in docs.items() if {"a00", "b00"} <= ts)


@pytest.mark.parametrize("query,message", [
    ("가" * 1001, "검색어가 너무 깁니다"),
    (" OR ".join(f"t{i}" for i in range(65)), "검색어에 단어가 너무 많습니다"),
    ("(" * 11 + "a" + ")" * 11, "괄호가 너무 깊게"),
])
def test_query_limits_refuse_with_a_korean_message(query, message):
    from analytics.filters import QueryTooLarge, parse_tree

    with pytest.raises(QueryTooLarge, match=message):
        parse_tree(query)


def test_query_limits_hold_at_the_limit_and_parse_query_refuses_huge_expansions():
    from analytics.filters import MAX_QUERY_TERMS, QueryTooLarge, parse_query, parse_tree

    assert parse_tree(" OR ".join(f"t{i}" for i in range(MAX_QUERY_TERMS)))[0] == "or"
    assert parse_tree("(" * 10 + "a" + ")" * 10) == ("term", "a")
    assert parse_query("(a OR b) AND (c OR d)") == [["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"]]
    with pytest.raises(QueryTooLarge, match="조합"):
        parse_query(BIG_QUERY)


# ---- markdown / HTML / link injection (issue 14 item 3) -----------------------------------------
EVIL_LINK = '<a href="http://evil.example/x">링크</a>'


WJ = "\u2060"  # word joiner: invisible, breaks Streamlit's auto-linking of bare URLs


@pytest.mark.parametrize("text,literal", [
    ("[재로그인](http://evil.example/login)", r"\[재로그인\]\(http\:" + WJ + r"\/\/evil\.example\/login\)"),
    ("![t](http://evil.example/track.png) AND", r"\!\[t\]\(http\:" + WJ + r"\/\/evil\.example\/track\.png\) AND"),
    ("https://evil.example www.evil.example a@evil.example",
     r"https\:" + WJ + r"\/\/evil\.example www" + WJ + r"\.evil\.example a" + WJ + r"\@evil\.example"),
    ("<b>굵게</b>\n# 제목", r"\<b\>굵게\<\/b\> \# 제목"),
    (None, "미상"),
])
def test_markdown_escape_leaves_no_markup_links_or_line_breaks(text, literal):
    from dashboard import escape, ui

    assert escape.markdown(text) == literal
    assert ui.esc(text) == literal
    assert escape.markdown(text).replace(WJ, "").replace("\\", "") == (text or "미상").replace("\n", " ")


def test_plotly_text_of_every_chart_is_escaped_but_selections_keep_the_raw_value():
    import pandas as pd

    from dashboard import charts

    vol = charts.volume_chart(pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01"]),
                                            "source": [EVIL_LINK, "조선"], "articles": [3, 4]}), "month")
    evil = next(t for t in vol.data if "evil" in t.name)
    assert evil.name == "&lt;a href=\"http://evil.example/x\"&gt;링크&lt;/a&gt;"
    assert "<a " not in evil.hovertemplate and "&lt;a href" in evil.hovertemplate
    assert EVIL_LINK in [str(v) for row in evil.customdata for v in row]  # a click hands back the real name
    bar = charts.term_bar(pd.DataFrame({"term": [EVIL_LINK, "R&D"], "tf": [3, 2], "df": [1, 1], "score": [1.0, 1.0]}),
                          "tf", title="'<b>x</b>' 추이")
    assert list(bar.data[0].y) == ["R&amp;D", "&lt;a href=\"http://evil.example/x\"&gt;링크&lt;/a&gt;"]
    assert bar.layout.title.text == "'&lt;b&gt;x&lt;/b&gt;' 추이"
    charts.style(bar)  # styling again does not escape twice
    assert list(bar.data[0].y)[0] == "R&amp;D"
    net = charts.network_chart(pd.DataFrame({"id": [EVIL_LINK, "삼성"], "label": [EVIL_LINK, "삼성"],
                                             "kind": ["OG", "OG"], "size": [3, 2], "articles": [3, 2]}),
                               pd.DataFrame({"source": [EVIL_LINK], "target": ["삼성"], "weight": [2]}), "kind")
    texts = [str(t) for tr in net.data if tr.text is not None for t in (tr.text if not isinstance(tr.text, str)
                                                                          else [tr.text])]
    assert texts and not any("<a " in t for t in texts)


def test_exported_chart_html_has_no_live_link_from_data():
    import pandas as pd

    from dashboard import charts, export

    fig = charts.volume_chart(pd.DataFrame({"period": pd.to_datetime(["2024-01-01"]), "source": [EVIL_LINK],
                                            "articles": [3]}), "month")
    page = export.figure_html(fig, "매체: " + EVIL_LINK).decode("utf-8")
    assert 'href=\\"http://evil.example' not in page and 'href="http://evil.example' not in page
    assert "&lt;a href=" in page


def _alerts_app():
    import streamlit as st

    from dashboard import ui

    ui.empty("'[재로그인](http://evil.example/login)'의 언급이 없습니다.")
    ui.alert("error", "저장하지 못했습니다: ![t](http://evil.example/t.png)")
    st.markdown(f"**{ui.esc('https://evil.example/title')}**")


def test_alerts_and_empty_messages_escape_user_text():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_alerts_app).run()
    shown = [str(e.value) for kind in (at.info, at.error, at.markdown) for e in kind]
    assert shown == [r"\'\[재로그인\]\(http\:" + WJ + r"\/\/evil\.example\/login\)\'의 언급이 없습니다\.",
                     r"저장하지 못했습니다\: \!\[t\]\(http\:" + WJ + r"\/\/evil\.example\/t\.png\)",
                     r"**https\:" + WJ + r"\/\/evil\.example\/title**"]


# ---- faults: corrupt Parquet, read-only store, job queue, unfinished work (issue 14 item 6) -----
def _analysed_store(root: Path, n: int = 3):
    """_tiny_store plus `analyzed` rows for every article (as a finished analysis leaves them)."""
    import json

    from analytics.store import Change

    store = _tiny_store(root, [f"기사 {i}" for i in range(n)], {"반도체": 1})
    ch = Change()
    ch.append("analyzed", [{"article_id": f"a{i}", "content_hash": None, "analyzer": "test"} for i in range(n)])
    with store.writer() as w:
        w.commit(ch, "analyze", note=json.dumps({}))
    return store


def _corrupt(store, table: str) -> str:
    path = store.table_files(table)[0].removeprefix("file://")
    with open(path, "r+b") as fh:
        fh.write(b"not parquet" * 8)
    return path


def test_a_corrupt_table_is_named_with_what_to_do(tmp_path, monkeypatch):
    from analytics import queries
    from analytics.store import StoreCorrupt

    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    store = _analysed_store(tmp_path / "store")
    _corrupt(store, "terms")
    with pytest.raises(StoreCorrupt) as err:
        queries.open_corpus(tmp_path / "store", tmp_path / "nolex")
    assert err.value.tables == ["terms"]
    msg = str(err.value)
    assert "저장소 표 'terms'" in msg and "python -m analytics repair" in msg and "analyze" in msg
    assert "Traceback" not in msg and "\n" not in msg
    assert store.status()["articles"] == 3  # status does not read terms: still answers
    _corrupt(store, "articles")
    with pytest.raises(StoreCorrupt, match="'articles'.*다시 불러오세요"):
        store.status()


def test_repair_quarantines_the_file_and_marks_the_lost_analysis_to_redo(tmp_path, monkeypatch):
    from analytics import queries
    from analytics.pipeline import count_pending

    monkeypatch.setenv("TM_QUERY_CACHE", str(tmp_path / "qcache"))
    store = _analysed_store(tmp_path / "store")
    bad = _corrupt(store, "terms")
    with store.writer() as w:
        rep = w.repair()
    assert rep == {"tables": {"terms": 1}, "reanalyse": 3, "reingest_files": []}
    assert not Path(bad).exists() and len(list((tmp_path / "store" / ".quarantine").rglob("*.parquet"))) == 1
    assert store.corrupt_files() == {}
    assert count_pending(store) == 3  # `analyze` redoes the three articles whose terms were lost
    c = queries.open_corpus(tmp_path / "store", tmp_path / "nolex")  # readable again
    assert sorted(queries.articles(c, __import__("analytics.filters").filters.Filters())["id"]) == ["a0", "a1", "a2"]
    with store.writer() as w:
        assert w.repair() == {"tables": {}, "reanalyse": 0, "reingest_files": []}


def test_cli_reports_a_corrupt_table_and_a_read_only_store_in_one_line(tmp_path, monkeypatch, capsys):
    import errno

    from analytics import cli
    from analytics.store import Store

    store = _analysed_store(tmp_path / "store")
    _corrupt(store, "articles")
    assert cli.main(["status", "--store", str(tmp_path / "store")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: 저장소 표 'articles'")

    def read_only(self):
        raise OSError(errno.EROFS, "Read-only file system", str(self.root / ".writer.lock"))

    monkeypatch.setattr(Store, "init", read_only)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("제목\n\n본문입니다.", encoding="utf-8")
    assert cli.main(["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "ro"), "--no-analyze"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: 저장소에 쓸 수 없습니다") and "Read-only file system" in err


def test_an_upload_job_on_a_read_only_store_fails_with_one_line(tmp_path, monkeypatch):
    import errno

    from analytics import uploads
    from analytics.store import Store
    from dashboard import jobs

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.root))

    monkeypatch.setattr(Store, "init", denied)
    paths = uploads.save_uploads([("a.txt", "제목\n\n본문입니다.".encode())], tmp_path / "up")
    job = jobs.Job(owner="v", kind="ingest", paths=paths, store_dir=str(tmp_path / "store"))
    jobs.run(job)
    assert job.stage == "failed" and "\n" not in job.error and "Traceback" not in job.error
    assert job.error.startswith("저장소에 쓸 수 없습니다") and "Permission denied" in job.error
    assert [p["path"] for p in uploads.pending_uploads(tmp_path / "up")] == paths  # kept, still pending


def test_upload_jobs_queue_per_visitor_and_a_second_job_of_one_visitor_is_refused(monkeypatch):
    import threading

    from dashboard import jobs

    release, started = threading.Event(), []

    def fake_run(job):
        started.append(job.owner)
        job.stage = "ingest"
        release.wait(10)
        job.stage = "done"

    monkeypatch.setattr(jobs, "run", fake_run)
    with jobs._lock:
        jobs._jobs.clear()
    a = jobs.submit("visitor-a", "ingest", "/nonexistent")
    b = jobs.submit("visitor-b", "ingest", "/nonexistent")
    with pytest.raises(jobs.JobRefused, match="이미 진행 중이거나 대기 중인 작업"):
        jobs.submit("visitor-a", "ingest", "/nonexistent")
    for _ in range(100):
        if started:
            break
        threading.Event().wait(0.05)
    assert jobs.jobs_of("visitor-a") == [a] and jobs.jobs_of("visitor-b") == [b]  # each sees their own
    assert b.stage == "queued" and jobs.ahead_of(b) == 1
    release.set()
    for _ in range(100):
        if not a.running and not b.running:
            break
        threading.Event().wait(0.05)
    assert (a.stage, b.stage) == ("done", "done") and started == ["visitor-a", "visitor-b"]
    with jobs._lock:
        jobs._jobs.clear()


def test_saved_uploads_stay_pending_until_ingested(tmp_path):
    from analytics import uploads

    first, second = uploads.save_uploads([("가.txt", b"x"), ("b.csv", b"title,text\n1,2\n")], tmp_path)
    assert [p["original_name"] for p in uploads.pending_uploads(tmp_path)] == ["가.txt", "b.csv"]
    assert [p["path"] for p in uploads.pending_uploads(tmp_path, busy={first})] == [second]
    uploads.mark_ingested([first])
    assert [p["path"] for p in uploads.pending_uploads(tmp_path)] == [second]
    assert uploads.pending_uploads(tmp_path, ingested_keys={str(second.resolve())}) == []  # the store lists it
    with pytest.raises(uploads.UploadRejected, match="빈 파일"):
        uploads.check_upload("c.txt", 0)  # refused from the size alone, before any byte is saved


def test_data_page_stays_usable_on_a_corrupt_store(write_env):
    from analytics.store import Store

    _corrupt(Store(write_env / "store"), "terms")
    at = _data_page()
    assert not at.exception
    assert any("저장소 표 'terms'" in str(e.value).replace("\\", "") for e in at.error)  # escaped markdown
    assert len(at.get("file_uploader")) == 1 and not _button(at, "lex_sw_save").disabled
    assert not _button(at, "data_repair").disabled


def test_data_page_reports_unanalysed_articles_and_pending_uploads(write_env):
    from analytics import uploads

    uploads.save_uploads([("지난주 기사.txt", "제목\n\n본문".encode())], write_env / "uploads")
    at = _data_page()
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert any("분석되지 않은 기사가 1건" in w for w in warnings)  # _tiny_store has no analysis marks
    assert any("아직 불러오지 않은 파일이 1개" in w for w in warnings)
    assert "지난주 기사.txt" in str(at.dataframe[0].value.to_dict()) or any(
        "지난주 기사.txt" in str(d.value.to_dict()) for d in at.dataframe)
    assert not _button(at, "data_analyze").disabled and not _button(at, "data_pending").disabled
    up = at.get("file_uploader")[0]
    from analytics import config

    assert up.proto.max_upload_size_mb == int(config.get("max_upload_mb"))


def test_streamlit_upload_cap_is_the_max_upload_mb_setting():
    import tomllib

    from analytics import config

    toml = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert toml["server"]["maxUploadSize"] == config.get("max_upload_mb")
    assert toml["server"]["address"] == "localhost"
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--server.maxUploadSize" in make and "max_upload_mb" in make


def test_repair_of_a_lost_articles_file_makes_the_next_ingest_read_its_inputs_again(tmp_path):
    import shutil

    from analytics.ingest import ingest
    from analytics.store import Store

    src = tmp_path / "src"
    shutil.copytree(ROOT / "data" / "articles", src)
    store = Store(tmp_path / "store")
    ingest([src], store)
    n = store.status()["articles"]
    _corrupt(store, "articles")
    with store.writer() as w:
        rep = w.repair()
    assert rep["tables"] == {"articles": 1}
    assert len(rep["reingest_files"]) == n  # one article per seed file, all in the damaged file
    assert store.status()["articles"] == 0
    report = ingest([src], store)  # the files lost their `files` rows: read again, not skipped
    assert report.as_dict()["added"] == n and store.status()["articles"] == n
