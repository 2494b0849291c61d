"""Saved views, watch and alerts (issue 15 item 4), on small corpora built here.

Alert corpus (articles; every article has the term 경제):

| window          | dates            | articles | 드론 | 홍길동 (PS) | 금리 | 26일 |
|-----------------|------------------|----------|------|-------------|------|------|
| history         | 2023-05-02       | 1        | 1    | 0           | 0    | 0    |
| previous        | 2024-03-01..07   | 20       | 0    | 0           | 10   | 0    |
| latest          | 2024-03-08..14   | 30       | 12   | 8           | 10   | 12   |

드론 and 홍길동 rise (12/30 vs 0/20, 8/30 vs 0/20); 금리 falls (10/30 vs 10/20); 경제 stays at 100 %;
26일 rises but is a date, never tested.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.stats import chi2, chi2_contingency

from analytics import views
from analytics.alerts import (
    AlertRule,
    benjamini_hochberg,
    choose_windows,
    find_alerts,
    g2,
    is_time_expression,
)
from analytics.filters import Filters
from analytics.queries import open_corpus
from analytics.store import Change, Store
from analytics.watch import folder_signature, parse_every, read_log, watch

pytestmark = pytest.mark.usefixtures("isolated_query_cache")


# ---- the statistics ----------------------------------------------------------------------------
def test_g2_equals_scipy_log_likelihood_on_2x2_tables():
    for a, n1, b, n0 in [(30, 100, 10, 100), (7, 40, 3, 60), (5, 245, 1, 156)]:
        ref = chi2_contingency([[a, n1 - a], [b, n0 - b]], correction=False, lambda_="log-likelihood")[0]
        assert g2(np.array([a]), n1, np.array([b]), n0)[0] == pytest.approx(ref, rel=1e-12)


def test_g2_with_a_zero_cell_is_the_limit_value():
    # 12 of 30 vs 0 of 20: 2 * sum(O ln(O/E)), the empty cell contributing 0
    # expected: latest 30 x (12 | 38) / 50 = 7.2 | 22.8; previous 20 x (12 | 38) / 50 = 4.8 | 15.2
    ref = 2 * (12 * np.log(12 / 7.2) + 18 * np.log(18 / 22.8) + 20 * np.log(20 / 15.2))
    assert g2(np.array([12]), 30, np.array([0]), 20)[0] == pytest.approx(ref, rel=1e-12)


def test_benjamini_hochberg_by_hand():
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2]))
    assert q.tolist() == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])


def test_time_expressions_are_recognised():
    assert [is_time_expression(t) for t in ["26일", "26일 오전 9시", "오후", "3월", "1호", "드론", "26일 접종"]] == \
        [True, True, True, True, False, False, False]


def test_windows_skip_a_stray_future_article():
    import pandas as pd

    days = pd.DataFrame({"day": [date(2024, 3, 1) + timedelta(days=i) for i in range(14)] + [date(2030, 1, 1)],
                         "articles": [3] * 14 + [1]})
    latest, previous = choose_windows(days, AlertRule(min_window_articles=20))
    assert latest == (date(2024, 3, 8), date(2024, 3, 14))
    assert previous == (date(2024, 3, 1), date(2024, 3, 7))
    assert choose_windows(days, AlertRule(min_window_articles=22)) is None


def test_chosen_windows_are_the_latest_day_a_plain_count_accepts():
    """The windows (running sums over the sorted days) are those a day-by-day count picks: the
    latest publication day whose window and the one before it each hold >= min articles."""
    import pandas as pd

    rng = np.random.default_rng(7)
    for trial in range(30):
        day0 = date(2023, 1, 1)
        picked = sorted({day0 + timedelta(days=int(x)) for x in rng.integers(0, 120, rng.integers(1, 60))})
        days = pd.DataFrame({"day": picked, "articles": rng.integers(1, 6, len(picked))})
        rule = AlertRule(window_days=int(rng.integers(1, 15)), min_window_articles=int(rng.integers(1, 30)))
        n = dict(zip(days["day"], days["articles"], strict=True))

        def count(a: date, b: date, n: dict = n) -> int:
            return sum(v for d, v in n.items() if a <= d <= b)

        want = None
        for e in reversed(picked):
            latest = (e - timedelta(days=rule.window_days - 1), e)
            previous = (latest[0] - timedelta(days=rule.window_days), latest[0] - timedelta(days=1))
            if count(*latest) >= rule.min_window_articles and count(*previous) >= rule.min_window_articles:
                want = (latest, previous)
                break
        assert choose_windows(days.sample(frac=1, random_state=trial), rule) == want, trial


def test_alert_rule_rejects_nonsense():
    for kw in ({"window_days": 0}, {"fdr": 0}, {"fdr": 1.5}, {"min_count": 0}, {"min_ratio": 0.5}):
        with pytest.raises(ValueError):
            AlertRule(**kw)


# ---- alerts on a store -------------------------------------------------------------------------
def _alert_store(root) -> Store:
    arts, terms, ents = [], [], []

    def add(aid: str, d: date, words: dict[str, int], people: tuple[str, ...] = ()) -> None:
        arts.append({"id": aid, "source": "테스트일보", "published": d, "year": d.year, "title": aid, "text": "…",
                     "language": "ko", "cluster_id": aid, "is_excerpt": False, "synthetic": False, "n_chars": 1})
        terms.extend({"article_id": aid, "term": t, "cls": "common", "count": n} for t, n in words.items())
        ents.extend({"article_id": aid, "type": "PS", "canonical": p, "surface": p, "count": 1, "sentences": [0]}
                    for p in people)

    add("h0", date(2023, 5, 2), {"경제": 1, "드론": 1})
    for i in range(20):
        add(f"p{i}", date(2024, 3, 1) + timedelta(days=i % 7), {"경제": 2, **({"금리": 1} if i < 10 else {})})
    for i in range(30):
        w = {"경제": 1, **({"금리": 1} if i < 10 else {}), **({"드론": 2, "26일": 1} if i >= 18 else {})}
        add(f"l{i}", date(2024, 3, 8) + timedelta(days=i % 7), w, ("홍길동",) if i < 8 else ())
    store = Store(root)
    ch = Change()
    ch.append("articles", arts)
    ch.append("terms", terms)
    ch.append("entities", ents)
    with store.writer() as w:
        w.commit(ch, "ingest", note=json.dumps({"run_id": "r1"}))
    return store


@pytest.fixture(scope="module")
def alert_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("alerts") / "store"
    _alert_store(root)
    lex = tmp_path_factory.mktemp("lex")
    return open_corpus(root, lex)


def test_alerts_are_the_injected_term_and_person_with_exact_counts(alert_corpus):
    res = find_alerts(alert_corpus)
    assert res["latest"] == {"from": "2024-03-08", "to": "2024-03-14", "articles": 30}
    assert res["previous"] == {"from": "2024-03-01", "to": "2024-03-07", "articles": 20}
    assert res["tested"] == 4  # 경제, 금리, 드론, 홍길동 (26일 is a date; nothing else has 5 articles)
    got = [(a["kind"], a["name"], a["latest"], a["previous"]) for a in res["alerts"]]
    assert got == [("term", "드론", 12, 0), ("PS", "홍길동", 8, 0)]
    drone, person = res["alerts"]
    assert drone["g2"] == pytest.approx(g2(np.array([12]), 30, np.array([0]), 20)[0], abs=1e-3)
    p = chi2.sf(drone["g2"], 1) / 2
    assert drone["p"] == pytest.approx(p, rel=1e-3)
    assert drone["share_latest"] == pytest.approx(0.4) and drone["share_previous"] == 0
    assert drone["ratio"] == pytest.approx((12.5 / 31) / (0.5 / 21), abs=1e-3)
    assert drone["first_seen"] == "2023-05-02" and drone["new"] is False  # the 2023 article counts
    assert person["first_seen"] == "2024-03-08" and person["new"] is True
    assert drone["kind_label"] == "키워드" and person["kind_label"] == "인물"


def test_a_strict_threshold_drops_the_weaker_rise(alert_corpus):
    names = [a["name"] for a in find_alerts(alert_corpus, rule=AlertRule(fdr=0.001))["alerts"]]
    assert names == ["드론"]


def test_alerts_follow_the_filters(alert_corpus):
    res = find_alerts(alert_corpus, Filters(sources=("다른일보",)))
    assert res["latest"] is None and res["alerts"] == [] and "reason" in res


def test_first_alerted_comes_from_the_watch_log(alert_corpus):
    history = [{"at": "2024-03-09T00:00:00+00:00", "alerts": []},
               {"at": "2024-03-10T00:00:00+00:00", "alerts": [{"kind": "term", "name": "드론"}]},
               {"at": "2024-03-11T00:00:00+00:00", "alerts": [{"kind": "term", "name": "드론"}]}]
    res = find_alerts(alert_corpus, history=history)
    assert [a["first_alerted"] for a in res["alerts"]] == ["2024-03-10T00:00:00+00:00", None]


def test_alerts_cli_json_keys(alert_corpus, capsys):
    from analytics.cli import main

    assert main(["alerts", "--store", str(alert_corpus.store.root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"store_version", "test", "rule", "filters", "latest", "previous", "tested", "alerts"}
    assert set(out["alerts"][0]) == {"kind", "kind_label", "name", "latest", "previous", "share_latest",
                                     "share_previous", "ratio", "g2", "p", "q", "first_seen", "new", "first_alerted", "also"}
    assert main(["alerts", "--store", str(alert_corpus.store.root), "--year", "20x4"]) == 2


# ---- saved views -------------------------------------------------------------------------------
def test_saved_views_round_trip_as_urls(tmp_path):
    views.save_view(tmp_path, "백신 2월 (조선)", "keywords", {"src": ["조선일보", "한겨레"], "q": "백신 AND 접종"})
    views.save_view(tmp_path, "개요", "overview", {})
    saved, problems = views.load_views(tmp_path)
    assert problems == []
    assert [v.name for v in saved] == ["개요", "백신 2월 (조선)"]
    v = saved[1]
    assert v.page == "keywords" and v.params() == {"src": ["조선일보", "한겨레"], "q": ["백신 AND 접종"]}
    assert v.url() == ("/keywords?src=%EC%A1%B0%EC%84%A0%EC%9D%BC%EB%B3%B4&src=%ED%95%9C%EA%B2%A8%EB%A0%88"
                       "&q=%EB%B0%B1%EC%8B%A0+AND+%EC%A0%91%EC%A2%85")
    assert saved[0].url() == "/overview"
    views.save_view(tmp_path, "개요", "sentiment", {"gran": "day"})  # same name replaces
    saved, _ = views.load_views(tmp_path)
    assert [(s.name, s.page) for s in saved] == [("개요", "sentiment"), ("백신 2월 (조선)", "keywords")]
    assert views.delete_view(tmp_path, "개요") is True and views.delete_view(tmp_path, "개요") is False
    assert [s.name for s in views.load_views(tmp_path)[0]] == ["백신 2월 (조선)"]


@pytest.mark.parametrize("bad", ["", "   ", "a/b", "<script>", "x" * 61, ".hidden", "이름\n둘", "a\x00b",
                                 "[링크](javascript:x)", None, 3])
def test_saved_view_names_are_validated(tmp_path, bad):
    with pytest.raises(views.ViewError):
        views.save_view(tmp_path, bad, "overview", {})
    assert not (tmp_path / views.VIEWS_FILE).exists()


@pytest.mark.parametrize("page, query", [("../etc", {}), ("Overview", {}), ("overview", {"a b": "x"}),
                                         ("overview", {"q": 3}), ("overview", {"q": "x\ny"})])
def test_saved_view_page_and_query_are_validated(tmp_path, page, query):
    with pytest.raises(views.ViewError):
        views.make_view("좋은 이름", page, query)


def test_a_damaged_views_file_is_reported_and_kept_aside(tmp_path):
    (tmp_path / views.VIEWS_FILE).write_text('{"views": [{"name": "ok", "page": "overview", "query": {}}, '
                                             '{"name": "<b>", "page": "overview"}, 7]}', encoding="utf-8")
    saved, problems = views.load_views(tmp_path)
    assert [v.name for v in saved] == ["ok"] and len(problems) == 2
    (tmp_path / views.VIEWS_FILE).write_text("{not json", encoding="utf-8")
    saved, problems = views.load_views(tmp_path)
    assert saved == [] and len(problems) == 1
    views.save_view(tmp_path, "새 보기", "overview", {})
    assert [v.name for v in views.load_views(tmp_path)[0]] == ["새 보기"]
    aside = list(tmp_path.glob(f"{views.VIEWS_FILE}.damaged-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{not json"


# ---- watch -------------------------------------------------------------------------------------
BASE = ["정부가 물가 안정 대책을 발표했다.", "수출 기업의 실적이 개선됐다.", "시장 금리가 소폭 올랐다.",
        "환율 변동에 투자자들이 주목했다.", "중소기업 지원 예산이 늘었다."]


def _jsonl(path, n: int, start: date, offset: int, extra: str = "") -> None:
    rows = []
    for i in range(n):
        k = offset + i
        rows.append({"id": f"w{k}", "title": f"경제 소식 {k}", "date": (start + timedelta(days=i % 7)).isoformat(),
                     "source": "테스트일보",
                     "body": f"{BASE[k % 5]} {BASE[(k + 2) % 5]} {extra}관계자는 {k}번째 설명회에서 이같이 말했다."})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")


def test_parse_every():
    assert [parse_every(x) for x in ("30s", "10m", "1h", " 2M ")] == [30, 600, 3600, 120]
    for bad in ("10", "0s", "1d", "m", "-5s"):
        with pytest.raises(ValueError):
            parse_every(bad)


def test_watch_once_picks_up_a_new_file_and_alerts_on_its_term(tmp_path, capsys):
    from analytics.cli import main

    folder, store = tmp_path / "in", tmp_path / "store"
    folder.mkdir()
    _jsonl(folder / "old.jsonl", 20, date(2024, 3, 1), 0)
    _jsonl(folder / "old2.jsonl", 20, date(2024, 3, 8), 20)
    entries: list[dict] = []
    assert watch(folder, store, every=1, once=True, workers=1, on_pass=entries.append) == 1
    first = entries[0]
    assert [p.rsplit("/", 1)[-1] for p in first["files_added"]] == ["old.jsonl", "old2.jsonl"]
    assert first["articles_added"] == 40 and first["files_updated"] == []
    assert "드론" not in [a["name"] for a in first["alerts"]]
    sig = folder_signature(folder)
    _jsonl(folder / "new.jsonl", 10, date(2024, 3, 8), 100, "드론 배송이 시작됐다. ")
    assert folder_signature(folder) != sig
    assert main(["watch", str(folder), "--store", str(store), "--once", "--workers", "1", "--json"]) == 0
    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [p.rsplit("/", 1)[-1] for p in entry["files_added"]] == ["new.jsonl"]
    assert entry["articles_added"] == 10 and entry["files_updated"] == []
    assert entry["latest"] == {"from": "2024-03-08", "to": "2024-03-14", "articles": 30}
    # the injected sentence is "드론 배송이 시작됐다": 드론, 배송 and 드론 배송 rise together: one alert
    assert entry["alerts"] == [{"kind": "term", "name": "드론 배송", "latest": 10, "previous": 0, "also": ["드론", "배송"]}]
    log = read_log(store)
    assert [e["store_version"] for e in log] == [first["store_version"], entry["store_version"]]
    assert entry["store_version"] > first["store_version"]
    extra = {"id": "w500", "title": "경제 소식 500", "date": "2024-03-02", "source": "테스트일보",
             "body": "환율이 크게 올랐다. 관계자는 500번째 설명회에서 이같이 말했다."}
    with open(folder / "old.jsonl", "a", encoding="utf-8") as fh:  # the same file, one article more
        fh.write("\n" + json.dumps(extra, ensure_ascii=False))
    entries.clear()
    watch(folder, store, every=1, once=True, workers=1, on_pass=entries.append)
    third = entries[0]
    assert [p.rsplit("/", 1)[-1] for p in third["files_updated"]] == ["old.jsonl"] and third["files_added"] == []
    assert (third["articles_added"], third["articles_updated"]) == (1, 20)


def test_watch_loop_stops_on_the_event_and_skips_unchanged_folders(tmp_path):
    import threading

    folder, store = tmp_path / "in", tmp_path / "store"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", 3, date(2024, 3, 1), 0)
    stop = threading.Event()
    passes = watch(folder, store, every=60, workers=1, on_pass=lambda e: stop.set(), stop=stop)
    assert passes == 1 and len(read_log(store)) == 1
    with pytest.raises(FileNotFoundError):
        watch(tmp_path / "absent", store, every=1, once=True)


def test_watch_cli_exits_cleanly_on_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    folder, store = tmp_path / "in", tmp_path / "store"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", 3, date(2024, 3, 1), 0)
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "watch", str(folder), "--store", str(store),
                             "--every", "1h", "--workers", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (store / "watch-log.json").exists():  # the first pass is done: now it waits an hour
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "store v" in out and "articles +3" in out
    assert "Traceback" not in err and "감시를 멈춥니다" in err


def test_a_failing_pass_is_logged_and_retried_without_stopping_the_watcher(tmp_path, monkeypatch):
    import threading

    import analytics.watch as w

    folder, store = tmp_path / "in", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("본문", encoding="utf-8")
    calls = []

    def flaky(path, store_dir, workers=None, rule=None):
        calls.append(path)
        if len(calls) == 1:
            raise OSError("디스크 가득 참 (disk full)")
        return {"at": "t", "alerts": []}

    monkeypatch.setattr(w, "run_pass", flaky)
    stop = threading.Event()
    seen: list[dict] = []

    def on_pass(e: dict) -> None:
        seen.append(e)
        if len(seen) == 2:
            stop.set()

    assert w.watch(folder, store, every=0.01, on_pass=on_pass, stop=stop) == 2
    assert seen[0]["error"] == "OSError: 디스크 가득 참 (disk full)" and seen[1] == {"at": "t", "alerts": []}
    assert [e.get("error") for e in w.read_log(store)] == ["OSError: 디스크 가득 참 (disk full)"]
    assert w.describe(seen[0]).endswith("OSError: 디스크 가득 참 (disk full)")
    monkeypatch.setattr(w, "run_pass", lambda *a, **k: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError):  # --once: the failure is the command's result
        w.watch(folder, store, every=1, once=True)


def test_nested_phrases_with_the_same_counts_are_one_alert():
    from analytics.alerts import collapse_nested

    def a(name, latest=12, previous=0, kind="term"):
        return {"kind": kind, "name": name, "latest": latest, "previous": previous}

    got = collapse_nested([a("표준"), a("여권", 13), a("기술 표준"), a("국제 기술 표준"), a("보호사", 16),
                           a("요양보호사", 16), a("서울", 41, 2), a("서울", 41, 2, "LC"), a("1호", 43, 3),
                           a("1호 접종자", 13)])
    assert [(x["kind"], x["name"], x["also"]) for x in got] == [
        ("term", "여권", []), ("term", "국제 기술 표준", ["표준", "기술 표준"]), ("term", "요양보호사", ["보호사"]),
        ("term", "서울", []), ("LC", "서울", []), ("term", "1호", []), ("term", "1호 접종자", [])]


def test_views_cli_lists_names_and_urls(tmp_path, capsys):
    from analytics.cli import main

    views.save_view(tmp_path, "백신", "keywords", {"q": "백신"})
    assert main(["views", "--store", str(tmp_path), "--base", "http://host:8501/", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["page"], r["url"]) for r in out] == [
        ("백신", "keywords", "http://host:8501/keywords?q=%EB%B0%B1%EC%8B%A0")]
    assert set(out[0]) == {"name", "page", "query", "created_at", "url"}
