"""A corpus of nasty files, written by the test, among good articles.

The good articles are ingested, the report (and `status`) lists each bad file with a reason, and
nothing already stored is lost. The corpus goes to tests/fixtures/bad/ (git-ignored) when that
folder is writable, so a failing run leaves the files to look at; otherwise to tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pytest

from analytics.ingest import MAX_ARTICLE_CHARS, ingest
from analytics.store import Store

KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."
FIXTURES = Path(__file__).parent / "fixtures" / "bad"
BIG_LINE_MB = 50


def _csv(rows: list[tuple]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def _xlsx(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    return buf.getvalue()


# name -> (bytes, expected reason fragment); None = ingested despite looking bad
def bad_files() -> dict[str, tuple[bytes, str | None]]:
    cut = ("잘린 파일\n\n" + KO + " 마지막 글자가 잘렸").encode("utf-8")[:-1]  # mid-character
    unbalanced = _csv([("제목", "본문"), ("좋은 행", KO + " 표 하나.")]) + '"열린 따옴표,닫히지 않은 본문\n' \
        + _csv([("다음 행", KO)])
    jsonl = "\n".join([json.dumps({"title": "첫 줄", "body": KO + " 첫째."}, ensure_ascii=False),
                       '{"title": "깨진 줄", "body": "닫히지 않음',
                       json.dumps({"title": "셋째 줄", "body": KO + " 셋째."}, ensure_ascii=False)])
    return {
        "empty.txt": (b"", "빈 파일"),
        "blank.txt": (b" \n\t\r\n ", "빈 파일"),
        "binary.txt": (bytes(range(256)) * 64, "바이너리"),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500), "바이너리"),
        "truncated_utf8.txt": (cut, None),
        "cp949_labelled_utf8.txt": (("CP949 기사\n\n" + KO + " 완성형 한글이다.").encode("cp949"), None),
        "headers_only.txt": ("기사일자 2020.1.1\n신문사 한겨레\n-- 끝 --".encode(), "본문 없음"),
        "unbalanced_quotes.csv": (unbalanced.encode("utf-8"), "row 3"),
        "no_body.xlsx": (_xlsx(pd.DataFrame({"제목": ["a"], "일자": ["2020-01-01"]})), "본문 열 없음"),
        "broken_middle.jsonl": (jsonl.encode("utf-8"), "line 2"),
        "not_a_workbook.xlsx": (b"PK\x03\x04 this is not a workbook", "XLSX"),
        "broken.zip": (b"PK\x03\x04" + bytes(100), "zip"),
        "report.pdf": (b"%PDF-1.4 ...", "지원하지 않는 형식"),
        "all_garbage.jsonl": (b"{{{{\n]]]]\n", "no JSON objects"),
    }


def good_files() -> dict[str, bytes]:
    return {
        "good_one.txt": ("좋은 기사 하나\n\n" + KO + " 하나.").encode("utf-8"),
        "good_two.txt": ("좋은 기사 둘\n\n" + KO + " 둘.").encode("utf-8-sig"),
        "good_rows.csv": _csv([("title", "body"), ("표 기사", KO + " 표.")]).encode("utf-8"),
    }


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    try:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        out = FIXTURES / uuid.uuid4().hex[:8]  # one folder per run: parallel runs do not collide
        out.mkdir()
    except OSError:
        out = tmp_path / "bad"
        out.mkdir()
    yield out
    shutil.rmtree(out, ignore_errors=True)


def _titles(store: Store) -> set[str | None]:
    con = store.connect()
    try:
        return {r[0] for r in con.execute("SELECT title FROM articles").fetchall()}
    finally:
        con.close()


def test_bad_files_are_each_reported_good_ones_ingested_nothing_stored_lost(corpus_dir, tmp_path):
    store = Store(tmp_path / "store")
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("이미 저장된 기사\n\n" + KO + " 이전.", encoding="utf-8")
    ingest([earlier], store)
    bad = bad_files()
    for name, (data, _) in bad.items():
        (corpus_dir / name).write_bytes(data)
    for name, data in good_files().items():
        (corpus_dir / name).write_bytes(data)

    report = ingest([corpus_dir], store)

    titles = _titles(store)
    assert {"이미 저장된 기사", "좋은 기사 하나", "좋은 기사 둘", "표 기사", "잘린 파일", "CP949 기사",
            "좋은 행", "첫 줄", "셋째 줄"} <= titles
    assert "깨진 줄" not in titles
    reasons = {Path(p.path).name: p.reason for p in report.problems}
    for name, (_, why) in bad.items():
        if why is None:
            assert name not in reasons, f"{name} should ingest: {reasons.get(name)}"
        else:
            assert name in reasons and why in reasons[name], (name, reasons.get(name))
    status = store.status()
    assert {Path(p["path"]).name for p in status["problems"]} == set(reasons)
    assert status["articles"] == len(titles)


def test_cp949_and_truncated_utf8_decode_to_the_right_korean_not_mojibake(corpus_dir, tmp_path):
    store = Store(tmp_path / "store")
    bad = bad_files()
    for name in ("truncated_utf8.txt", "cp949_labelled_utf8.txt"):
        (corpus_dir / name).write_bytes(bad[name][0])
    report = ingest([corpus_dir], store)
    assert report.added == 2 and report.problems == []
    con = store.connect()
    texts = dict(con.execute("SELECT title, text FROM articles").fetchall())
    con.close()
    assert texts["CP949 기사"] == KO + " 완성형 한글이다."
    assert texts["잘린 파일"] == KO + " 마지막 글자가 잘"  # only the cut character is lost


def test_a_50_mb_single_line_is_refused_quickly_and_the_rest_goes_on(corpus_dir, tmp_path, monkeypatch):
    """Behaviour: a text line over 1 MB is not article text (a refusal before decoding, so no
    50 MB string is built); in a CSV/JSONL cell, an article over MAX_ARTICLE_CHARS is refused."""
    store = Store(tmp_path / "store")
    with open(corpus_dir / "one_line.txt", "wb") as fh:
        chunk = ("가나다라마바사아자차" * 10_000).encode()  # 300 KB, no newline
        for _ in range(BIG_LINE_MB * 1024 * 1024 // len(chunk)):
            fh.write(chunk)
    (corpus_dir / "long_cell.jsonl").write_text(
        json.dumps({"title": "긴 칸", "body": "가" * (MAX_ARTICLE_CHARS + 1)}, ensure_ascii=False) + "\n"
        + json.dumps({"title": "짧은 칸", "body": KO + " 짧은."}, ensure_ascii=False), encoding="utf-8")
    (corpus_dir / "good.txt").write_text("좋은 기사\n\n" + KO, encoding="utf-8")
    import analytics.ingest.text as text_format

    decoded: list[int] = []
    real_decode = text_format.decode
    monkeypatch.setattr(text_format, "decode", lambda data: decoded.append(len(data)) or real_decode(data))
    report = ingest([corpus_dir], store)
    reasons = {Path(p.path).name: p.reason for p in report.problems}
    assert "줄이 너무 김" in reasons["one_line.txt"]
    assert "기사가 너무 김" in reasons["long_cell.jsonl"]
    assert _titles(store) == {"좋은 기사", "짧은 칸"}
    assert decoded and max(decoded) < text_format.MAX_LINE_BYTES  # refused before decoding: no 50 MB string


def test_a_file_over_max_file_mb_is_a_problem_without_being_read(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("TM_MAX_FILE_MB", "1")
    store = Store(tmp_path / "store")
    (corpus_dir / "big.txt").write_bytes(("큰 파일\n\n" + KO + "\n").encode() * 20_000)  # ~2.4 MB
    (corpus_dir / "good.txt").write_text("좋은 기사\n\n" + KO, encoding="utf-8")
    report = ingest([corpus_dir], store)
    assert report.added == 1
    assert [(Path(p.path).name, "파일이 너무 큼" in p.reason) for p in report.problems] == [("big.txt", True)]
