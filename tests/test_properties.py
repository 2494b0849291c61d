"""Property tests for every parser: random and mutated inputs never crash.

The contract (issue 9): each input either yields articles or raises `ParseError` (a problem with
a reason); any other exception is a parser bug. Inputs are random bytes/text and valid files
mutated by hypothesis (truncated, bytes flipped, spliced), in every format the ingest reads.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics.ingest import parse_bytes
from analytics.ingest.archive import iter_zip, unsafe_name
from analytics.ingest.bigkinds import REQUIRED
from analytics.ingest.dates import parse_date
from analytics.ingest.encoding import decode
from analytics.ingest.records import ParseError, RawArticle
from analytics.ingest.text import parse_text

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."
# page furniture the text parser recognises, mixed with free text to reach every branch
FRAGMENTS = ["기사일자 2018.1.29", " • 신문사 일경산업신문", "작성자hjtic", "조회수629", "입력 2020-01-01",
             "[포쓰저널=김유준 기자] 포럼이 열렸다.", "[x=]", "저작권자 © 포쓰저널 무단전재 및 재배포 금지",
             "ⓒ 무단 전재", "brunch", "by On the Road Apr 14. 2017", "-- 끝 --", "<끝>", "목록", "(계속)",
             "좋아요 3", "", " ", "\t", "\r\n", "\u3000", "\ufeff", "한", KO, "A" * 150, "다." * 40]
KOREAN = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
TEXTISH = st.text(alphabet=st.one_of(KOREAN, st.characters(codec="utf-8")), max_size=200)
LINES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), TEXTISH), max_size=25)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16", "utf-16-le", "latin-1"])

COUNTER = {"inputs": 0}


def articles_or_problem(fn, *args, **kwargs) -> list[RawArticle] | None:
    """Call a parser; return its articles, None for a ParseError; anything else fails the test."""
    COUNTER["inputs"] += 1
    try:
        result = fn(*args, **kwargs)
    except ParseError as exc:
        assert str(exc), "a problem needs a reason"
        return None
    arts = result[0] if isinstance(result, tuple) else result
    arts = arts if isinstance(arts, list) else [arts]
    for a in arts:
        assert isinstance(a, RawArticle) and isinstance(a.text, str)
        assert a.published is None or isinstance(a.published, date)
    if isinstance(result, tuple):
        assert all(isinstance(r, str) and r for r in result[1])
    return arts


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` truncated, with bytes flipped, a slice duplicated or random bytes spliced in."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "dup", "splice", "delete"]))
        if not b:
            break
        i = draw(st.integers(0, len(b) - 1))
        if op == "truncate":
            del b[i:]
        elif op == "flip":
            b[i] = draw(st.integers(0, 255))
        elif op == "dup":
            j = draw(st.integers(i, min(len(b), i + 64)))
            b[i:i] = b[i:j]
        elif op == "splice":
            b[i:i] = draw(st.binary(max_size=16))
        else:
            del b[i:i + draw(st.integers(1, 16))]
    return bytes(b)


# ---- text ---------------------------------------------------------------------------------------

@FAST
@given(LINES)
@example(["기사일자 2018.1.29", "-- 끝 --"])  # headers only: no body
@example(["[포쓰저널=김유준 기자]"])
def test_parse_text_gives_an_article_with_text_or_a_reason(lines):
    arts = articles_or_problem(parse_text, "\n".join(lines), "a.txt")
    if arts:
        assert arts[0].text.strip() and "\r" not in arts[0].text


@FAST
@given(LINES, ENCODINGS, st.data())
def test_txt_bytes_in_any_encoding_and_mutated_never_crash(lines, encoding, data):
    raw = "\n".join(lines).encode(encoding, errors="replace")
    if data.draw(st.booleans()):
        raw = data.draw(mutated(raw)) if raw else raw
    articles_or_problem(parse_bytes, raw, "a.txt")


# ---- encoding -----------------------------------------------------------------------------------

@FAST
@given(st.one_of(st.binary(max_size=300), TEXTISH.flatmap(
    lambda t: ENCODINGS.flatmap(lambda e: mutated(t.encode(e, errors="replace") or b"x")))))
@example(b"\xff\xfe")  # a BOM alone
@example(b"\xef\xbb\xbf\xff")  # UTF-8 BOM then invalid
@example(b"\xfe\xff\x00")  # odd-length UTF-16
def test_decode_returns_text_or_a_reason(data):
    COUNTER["inputs"] += 1
    try:
        out = decode(data)
    except ParseError as exc:
        assert str(exc)
        return
    assert isinstance(out, str)


@FAST
@given(TEXTISH, st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16"]))
def test_korean_text_round_trips_through_decode(text, encoding):
    """Text that is clearly text (Korean, no control characters) decodes back exactly."""
    text = "".join(c for c in text if c.isprintable()) + KO
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return  # not representable in CP949
    COUNTER["inputs"] += 1
    assert decode(raw) == text.removeprefix("\ufeff") or encoding == "utf-16"


# ---- dates --------------------------------------------------------------------------------------

@FAST
@given(st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(), st.booleans(),
                 st.dates(), st.datetimes(),
                 st.from_regex(r"(19|20)\d\d[.\-/년 ]{1,2}\d{1,2}[.\-/월 ]{1,2}\d{1,3}일?", fullmatch=True),
                 st.from_regex(r"[A-Z][a-z]{2}\.? \d{1,2}[.,]? (19|20)\d\d", fullmatch=True)))
@example(float("inf"))
@example(-float("inf"))
@example(10 ** 5000)
@example("２０２０년 ３월")  # full-width digits
def test_parse_date_returns_a_date_and_precision_never_raises(value):
    COUNTER["inputs"] += 1
    d, precision = parse_date(value)
    assert precision in ("day", "month", "year", "unknown")
    assert (d is None) == (precision == "unknown")
    assert d is None or isinstance(d, date) and not isinstance(d, datetime)


# ---- CSV / JSONL --------------------------------------------------------------------------------

CELL = st.one_of(TEXTISH, st.sampled_from(["", '"', '""', ",", "\n", "\r", "2020-01-01", KO, "\x00"]))
HEADERS = st.lists(st.sampled_from(["제목", "일자", "언론사", "본문", "url", "body", "text", "id", "x", "",
                                    "Body ", "날짜"]), min_size=1, max_size=6)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


@FAST
@given(HEADERS, st.lists(st.lists(CELL, max_size=7), max_size=8), ENCODINGS, st.data())
@example(["title", "body"], [['"a,', "unbalanced"]], "utf-8", None)
def test_csv_random_and_mutated_never_crash(header, rows, encoding, data):
    raw = _csv(header, rows).encode(encoding, errors="replace")
    if data is not None and data.draw(st.booleans()):
        raw = data.draw(mutated(raw))
    articles_or_problem(parse_bytes, raw, "a.csv")


@FAST
@given(st.text(alphabet=',;|\t"\n\r 본문제목abcx1', max_size=300))
@example('body\n"' + "x" * 200_000)  # an unclosed quote swallowing the file: over csv's field limit
def test_csv_of_separators_and_quotes_never_crash(text):
    articles_or_problem(parse_bytes, text.encode(), "a.csv")


JSON_VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTISH),
                          lambda kids: st.lists(kids, max_size=3) | st.dictionaries(TEXTISH, kids, max_size=3),
                          max_leaves=8)
JSON_ROW = st.dictionaries(st.sampled_from(["title", "body", "본문", "date", "source", "id", "url", "x"]),
                           JSON_VALUE, max_size=6)


@FAST
@given(st.lists(st.one_of(JSON_ROW.map(lambda r: json.dumps(r, ensure_ascii=False)), TEXTISH), max_size=8),
       st.booleans(), st.data())
@example(["[" * 100_000], False, None)  # nesting deeper than the JSON parser's recursion
@example(['{"body": "a", "date": ' + "9" * 5000 + "}"], False, None)  # int over Python's digit limit
@example(['[{"body": 1e999}]'], False, None)
def test_jsonl_random_and_mutated_never_crash(lines, as_array, data):
    raw = ("[" + ",".join(lines) + "]" if as_array else "\n".join(lines)).encode()
    if data is not None and data.draw(st.booleans()):
        raw = data.draw(mutated(raw or b"{}"))
    articles_or_problem(parse_bytes, raw, "a.jsonl")


# ---- XLSX / BIG Kinds ---------------------------------------------------------------------------

XCELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(alphabet=st.one_of(KOREAN, st.characters(min_codepoint=32, max_codepoint=126)),
                          max_size=30), st.dates())


def _xlsx(columns: list[str], rows: list[list]) -> bytes:
    import pandas as pd

    buf = io.BytesIO()
    width = len(columns)
    pd.DataFrame([(r + [None] * width)[:width] for r in rows], columns=columns).to_excel(buf, index=False)
    return buf.getvalue()


@SLOW
@given(st.lists(st.sampled_from(["제목", "일자", "본문", "body", "x", "id", "언론사", "날짜"]), min_size=1,
                max_size=5, unique=True),
       st.lists(st.lists(XCELL, max_size=5), max_size=5), st.booleans(), st.data())
def test_xlsx_random_and_mutated_never_crash(columns, rows, mutate, data):
    raw = _xlsx(columns, rows)
    if mutate:
        raw = data.draw(mutated(raw))
    articles_or_problem(parse_bytes, raw, "a.xlsx")


@SLOW
@given(st.lists(st.lists(XCELL, min_size=len(REQUIRED), max_size=len(REQUIRED) + 2), max_size=5),
       st.sets(st.sampled_from(REQUIRED), max_size=2), st.data())
def test_bigkinds_random_rows_and_missing_columns_never_crash(rows, drop, data):
    columns = [c for c in (*REQUIRED, "기고자", "URL") if c not in drop]
    raw = _xlsx(columns, rows)
    fmt = data.draw(st.sampled_from(["bigkinds", "auto"]))
    arts = articles_or_problem(parse_bytes, raw, "export.xlsx", fmt)
    if arts is not None and not drop and fmt == "bigkinds":
        assert all(a.text for a in arts)


# ---- zip ----------------------------------------------------------------------------------------

NAMES = st.one_of(st.text(max_size=30), st.sampled_from([
    "../evil.txt", "a/../../b.txt", "/etc/passwd", "C:\\x.txt", "c:x", "..\\..\\w.txt", "a/./b.txt",
    "ok.txt", "..", ".", "a/..", "...txt", "dir/", "\\\\server\\share.txt"]))


@FAST
@given(NAMES)
def test_unsafe_name_answers_for_any_name(name):
    COUNTER["inputs"] += 1
    why = unsafe_name(name)
    assert why is None or isinstance(why, str)
    norm = name.replace("\\", "/")
    if norm.startswith("/") or ".." in norm.split("/"):
        assert why is not None


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries:
            zf.writestr(zipfile.ZipInfo(name or "x"), content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _drain_zip(raw: bytes) -> list:
    COUNTER["inputs"] += 1
    try:
        return list(iter_zip(raw))
    except ParseError as exc:
        assert str(exc)
        return []


@FAST
@given(st.lists(st.tuples(NAMES.filter(lambda n: "\x00" not in n), st.binary(max_size=200)), max_size=5),
       st.data())
def test_zip_random_and_mutated_never_crash_and_never_yield_unsafe_entries(entries, data):
    raw = _zip(entries)
    if data.draw(st.booleans()):
        raw = data.draw(mutated(raw))
    for name, content, why in _drain_zip(raw):
        assert (content is None) != (why is None)
        if content is not None:
            assert unsafe_name(name) is None


@FAST
@given(st.binary(max_size=400))
def test_zip_of_random_bytes_is_a_problem_not_a_crash(raw):
    _drain_zip(b"PK\x03\x04" + raw)
    articles_or_problem(parse_bytes, raw, "a.txt")


@pytest.fixture(scope="module", autouse=True)
def _report_inputs():
    yield
    print(f"\nhypothesis: {COUNTER['inputs']} parser inputs tried")
