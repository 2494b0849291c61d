"""Ingestion: every format, metadata extraction, identity, duplicates, bad input, incremental runs."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest

from analytics.config import UNKNOWN
from analytics.ingest import ingest, parse_bytes
from analytics.ingest.dates import parse_date
from analytics.ingest.encoding import decode
from analytics.ingest.records import ParseError
from analytics.ingest.text import parse_text
from tests.conftest import SAMPLE_DIR

KO = "인공지능 기술이 산업 전반을 바꾸고 있다. 정부는 반도체 투자를 늘리기로 했다."


def rows(store, sql):
    con = store.connect()
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---- text files -----------------------------------------------------------------------------

def test_text_header_bullets_give_date_source_author_and_title():
    raw = ("일본산업뉴스요약\n\n실리콘밸리로부터 배운다\n • 기사일자 2018.1.29\n • 신문사 일경산업신문\n"
           " • 작성자hjtic\n • 조회수629\n\n본문 첫 문장이다.\n\n -- 끝 --\n\n목록\n")
    a = parse_text(raw)
    assert (a.title, a.source, a.author, a.published, a.date_precision) == (
        "실리콘밸리로부터 배운다", "일경산업신문", "hjtic", date(2018, 1, 29), "day")
    assert a.text == "본문 첫 문장이다."
    assert a.meta["views"] == "629"


def test_press_dateline_and_copyright_line_are_metadata_not_text():
    raw = ("포럼 온라인 개최\n\n[포쓰저널=김유준 기자] 포럼이 열렸다.\n\n마지막 문장.\n\n"
           "저작권자 © 포쓰저널 무단전재 및 재배포 금지")
    a = parse_text(raw)
    assert (a.title, a.source, a.author) == ("포럼 온라인 개최", "포쓰저널", "김유준")
    assert a.text == "포럼이 열렸다.\n\n마지막 문장."
    assert "무단전재" not in a.text


def test_brunch_byline_gives_author_date_and_strips_platform_lines():
    raw = ("brunch\n\nYou can make anything\nby writing\n\nC.S.Lewis\n\nby On the Road Apr 14. 2017\n\n"
           "4차 산업 혁명과 크라우드 소싱\n\n본문이다.\n매거진의 이전글 무엇\n"
           "브런치는 최신 브라우저에 최적화 되어있습니다. IE chrome safari")
    a = parse_text(raw)
    assert (a.source, a.author, a.published) == ("브런치", "On the Road", date(2017, 4, 14))
    assert a.title == "4차 산업 혁명과 크라우드 소싱"
    assert a.text == "본문이다."


@pytest.mark.parametrize("value,expected", [
    ("2018.1.29", (date(2018, 1, 29), "day")),
    ("20210228", (date(2021, 2, 28), "day")),
    ("2018-02-05 09:45:46", (date(2018, 2, 5), "day")),
    ("2019년 3월", (date(2019, 3, 1), "month")),
    ("2020", (date(2020, 1, 1), "year")),
    ("Apr 14. 2017", (date(2017, 4, 14), "day")),
    ("어제", (None, "unknown")),
    ("2021.13.45", (None, "unknown")),
])
def test_dates_parse_with_their_precision(value, expected):
    assert parse_date(value) == expected


def test_sample_corpus_matches_its_manifest(store):
    report = ingest([SAMPLE_DIR], store)
    assert (report.added, report.problems) == (5, [])
    got = {r[0]: r[1:] for r in rows(store, "SELECT title, source, published, date_precision FROM articles")}
    assert got["4차 산업 혁명과 크라우드 소싱"] == ("브런치", date(2017, 4, 14), "day")
    assert got["실리콘밸리로부터 배운다 -- 이노베이션 영향력, ‘D-Lab’이 교량 역할"] == (
        "일경산업신문", date(2018, 1, 29), "day")
    assert got["STEPI 주최 19차 '과학기술+사회혁신 포럼' 온라인 개최"] == ("포쓰저널", None, "unknown")
    assert got[None] == (None, None, "unknown")  # article 004: nothing stated, nothing invented
    status = store.status()
    assert status["sources"][UNKNOWN] == 2 and status["years"][UNKNOWN] == 2


# ---- encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16"])
def test_korean_text_decodes_from_common_encodings(encoding):
    assert decode(KO.encode(encoding)) == KO


def test_binary_and_empty_files_are_refused_with_a_reason():
    with pytest.raises(ParseError, match="바이너리"):
        decode(bytes(range(256)) * 10)
    with pytest.raises(ParseError, match="빈 파일"):
        decode(b"   \n ")


# ---- tables ----------------------------------------------------------------------------------

def _csv(rows_, header=("제목", "일자", "언론사", "본문", "url")) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows_)
    return buf.getvalue().encode("utf-8")


def test_csv_columns_are_mapped_automatically():
    arts, problems = parse_bytes(_csv([("제목1", "2020-05-01", "한겨레", KO, "http://x/1")]), "a.csv")
    a = arts[0]
    assert (a.title, a.source, a.published, a.url, a.text, problems) == (
        "제목1", "한겨레", date(2020, 5, 1), "http://x/1", KO, [])


def test_explicit_mapping_wins_and_a_missing_body_column_is_a_clear_error():
    data = _csv([("t", "2020", "s", KO, "")], header=("headline", "when", "press", "내용물", "link"))
    with pytest.raises(ParseError, match="본문 열 없음"):
        parse_bytes(data, "a.csv")
    arts, _ = parse_bytes(data, "a.csv", mapping={"text": "내용물", "published": "when"})
    assert (arts[0].text, arts[0].published, arts[0].date_precision) == (KO, date(2020, 1, 1), "year")


def test_jsonl_broken_line_is_reported_and_the_rest_ingested():
    lines = [json.dumps({"title": "a", "body": KO}, ensure_ascii=False), "{broken",
             json.dumps({"title": "b", "body": KO + " 둘"}, ensure_ascii=False)]
    arts, problems = parse_bytes("\n".join(lines).encode(), "a.jsonl")
    assert [a.title for a in arts] == ["a", "b"]
    assert len(problems) == 1 and "줄 2" in problems[0]


def test_xlsx_without_body_column_is_a_problem_not_a_crash(tmp_path, store):
    import pandas as pd

    path = tmp_path / "nobody.xlsx"
    pd.DataFrame({"제목": ["a"], "일자": ["2020-01-01"]}).to_excel(path, index=False)
    good = tmp_path / "good.txt"
    good.write_text("제목\n\n" + KO, encoding="utf-8")
    report = ingest([path, good], store)
    assert report.added == 1
    assert [p.path for p in report.problems] == [str(path)]
    assert "본문 열 없음" in report.problems[0].reason


def test_bigkinds_export_keeps_all_columns_flags_and_counts(bigkinds_xlsx, store):
    report = ingest([bigkinds_xlsx], store)
    status = store.status()
    assert (report.added, status["articles"]) == (602, 602)
    assert status["sources"] == {"조선일보": 207, "경향신문": 186, "한겨레": 122, "문화일보": 87}
    flags = dict(rows(store, """SELECT json_extract_string(meta, '$."분석제외 여부"') f, count(*)
                                FROM articles GROUP BY 1"""))
    assert flags["중복"] == 5 and flags["예외"] == 34 and flags["중복, 예외"] == 4
    meta = json.loads(rows(store, "SELECT meta FROM articles LIMIT 1")[0][0])
    assert {"인물", "위치", "기관", "키워드", "통합 분류1", "뉴스 식별자"} <= set(meta)
    assert rows(store, "SELECT count(*) FROM articles WHERE is_excerpt")[0][0] > 500


# ---- zips, identity, incremental ---------------------------------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_entries_ingest_and_unsafe_paths_are_rejected(tmp_path, store):
    z = tmp_path / "batch.zip"
    z.write_bytes(_zip({"a/one.txt": ("하나\n\n" + KO).encode(), "../evil.txt": b"x" * 50,
                        "/abs.txt": b"y" * 50, "two.txt": ("둘\n\n" + KO + " 추가 문장이다.").encode("cp949")}))
    report = ingest([z], store)
    assert report.added == 2
    reasons = sorted(p.reason for p in report.problems)
    assert any("path traversal" in r for r in reasons) and any("absolute path" in r for r in reasons)


def test_zip_bomb_is_rejected(tmp_path, store):
    z = tmp_path / "bomb.zip"
    z.write_bytes(_zip({"big.txt": b"0" * 5_000_000}))
    report = ingest([z], store)
    assert report.added == 0 and "zip bomb" in report.problems[0].reason


def test_same_article_twice_is_stored_once_and_counted_as_duplicate(tmp_path, store):
    (tmp_path / "a.txt").write_text("같은 기사\n\n" + KO, encoding="utf-8")
    (tmp_path / "copy.txt").write_text("같은 기사\n\n" + KO, encoding="utf-8")
    report = ingest([tmp_path], store)
    assert (report.added, report.duplicates, store.status()["articles"]) == (1, 1, 1)


def test_near_duplicates_share_a_story_cluster(tmp_path, store):
    body = " ".join(f"{KO} 문단 {i}번째 내용이 이어진다." for i in range(20))
    (tmp_path / "a.txt").write_text("원문\n\n" + body, encoding="utf-8")
    (tmp_path / "b.txt").write_text("재게시\n\n" + body + " 끝에 한 줄 추가.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("다른 기사\n\n전혀 다른 내용의 기사로 날씨와 스포츠 이야기를 다룬다. " * 5, encoding="utf-8")
    ingest([tmp_path], store)
    clusters = rows(store, "SELECT count(DISTINCT cluster_id) FROM articles")[0][0]
    assert clusters == 2


def test_bigkinds_story_clusters_join_republished_and_corrected_articles(bigkinds_xlsx, store):
    """MinHash LSH on the real export (200-character excerpts): the pairs read by eye."""
    ingest([bigkinds_xlsx], store)
    got = rows(store, """SELECT list(title ORDER BY title) FROM articles GROUP BY cluster_id
                         HAVING count(*) > 1 ORDER BY 1""")
    assert [tuple(t[:12] for t in r[0]) for r in got] == [
        ("[경향포토] 백신 보관", "[경향포토] 코로나19"),  # same event, another photo (exact Jaccard 0.58)
        ("[경향포토] 백신 수송", "[경향포토] 백신 수송"),  # identical caption, BIG Kinds 중복
        ("[경향포토] 보건소 도", "[경향포토] 보건소에 "),  # re-edited caption, BIG Kinds 중복
        ("[코로나리포트] mRN", "[코로나리포트] 코로나"),  # identical excerpts of two articles (SimHash too)
        ("[흑백 민주주의⑥]‘공", "[흑백 민주주의⑥]‘탄"),  # wrong: excerpts share only the series preface
        ("일본 차기 총리 1위 ", "일본 차기 총리 1위 "),  # typo fix (고도 -> 고노), BIG Kinds 중복
        ("페루 고위층 ‘백신 새", "페루 백신 ‘새치기 접"),  # updated story
    ]
    assert rows(store, "SELECT count(*) FROM articles WHERE id = cluster_id")[0][0] == 595


def test_near_duplicate_of_a_stored_article_joins_its_cluster_without_the_signature_file(tmp_path, store):
    from analytics.ingest.identity import SIGNATURES_FILE

    body = " ".join(f"{KO} 문단 {i}번째 내용이 이어진다." for i in range(20))
    (tmp_path / "a.txt").write_text("원문\n\n" + body, encoding="utf-8")
    ingest([tmp_path / "a.txt"], store)
    (store.root / SIGNATURES_FILE).unlink()  # an older store, or a lost cache: recomputed from text
    (tmp_path / "b.txt").write_text("재게시\n\n" + body + " 끝에 한 줄 추가.", encoding="utf-8")
    ingest([tmp_path / "b.txt"], store)
    assert rows(store, "SELECT count(DISTINCT cluster_id), count(*) FROM articles")[0] == (1, 2)
    assert (store.root / SIGNATURES_FILE).exists()


def test_reingest_unchanged_does_nothing_and_a_changed_file_replaces_its_articles(tmp_path, store):
    f = tmp_path / "a.csv"
    f.write_bytes(_csv([("하나", "2020-01-01", "A", KO, "u1"), ("둘", "2020-01-02", "A", KO + " 둘", "u2")]))
    first = ingest([f], store)
    again = ingest([f], store)
    assert (first.added, again.added, again.unchanged, again.files_unchanged) == (2, 0, 2, 1)
    f.write_bytes(_csv([("하나 수정", "2020-01-01", "A", KO + " 수정", "u1")]))
    changed = ingest([f], store)
    assert (changed.updated, changed.removed) == (1, 1)
    assert rows(store, "SELECT title FROM articles") == [("하나 수정",)]


def test_bad_files_become_problems_and_keep_what_was_stored(tmp_path, store):
    (tmp_path / "good.txt").write_text("좋은 기사\n\n" + KO, encoding="utf-8")
    ingest([tmp_path], store)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "rows.csv").write_bytes(b'title,body\n"a,"unbalanced\n')
    (bad / "notes.pdf").write_bytes(b"%PDF-1.4")
    report = ingest([bad], store)
    assert report.added == 0
    assert len(report.problems) == 4
    assert store.status()["articles"] == 1
    assert {p["path"] for p in store.status()["problems"]} == {p.path for p in report.problems}


# ---- a plain news CSV: URL column, outlet from the host, extra columns kept, mapping report -----

NEWS_CSV = """seq,title,date,content,article_url,label1,label2
1,백신 접종 속도,2021-02-26,정부는 다음 달부터 백신 접종 대상을 넓히기로 했다.,https://www.pressian.com/pages/articles/2021022612345,정치,긍정
2,반도체 수출 최대,2021-02-27,반도체 수출이 지난달 사상 최대를 기록했다.,https://www.hani.co.kr/arti/economy/984567.html,경제,긍정
3,신규 확진 400명대,2021-02-28,코로나19 신규 확진자가 이틀째 400명대를 기록했다.,https://news.chosun.com/site/data/html_dir/2021/02/28/1.html,사회,부정
4,전기차 보조금,2021-02-25,환경부는 전기차 보조금 대상을 늘린다고 밝혔다.,https://n.news.naver.com/mnews/article/001/0012212345?sid=101,경제,중립
5,조선비즈 기사,2021-02-24,환율이 이틀째 올랐다는 경제 기사 본문이다.,http://biz.chosun.com/site/data/html_dir/2021/02/24/2.html,경제,중립
6,포털 기사,2021-02-24,다음 포털에서 가져온 기사 본문이다.,https://v.daum.net/v/20210224100012345,사회,중립
7,날짜 없는 기사,,날짜 없이 올라온 기사 본문이다.,https://www.example-local-news.kr/news/1,사회,중립
"""
NEWS_SOURCES = {"1": "프레시안", "2": "한겨레", "3": "조선일보", "4": "연합뉴스", "5": "조선비즈", "6": None, "7": None}


def test_plain_news_csv_gets_source_from_url_host_url_kept_and_extras_in_meta(tmp_path, store):
    path = tmp_path / "news.csv"
    path.write_text(NEWS_CSV, encoding="utf-8")
    report = ingest([path], store)
    assert (report.added, report.problems) == (7, [])
    got = rows(store, "SELECT json_extract_string(meta, '$.seq'), source, url, meta, provenance FROM articles")
    assert {seq: src for seq, src, *_ in got} == NEWS_SOURCES
    by_seq = {r[0]: r for r in got}
    assert by_seq["2"][2] == "https://www.hani.co.kr/arti/economy/984567.html"
    assert json.loads(by_seq["2"][3]) == {"seq": "2", "label1": "경제", "label2": "긍정"}
    assert json.loads(by_seq["2"][4])["source"] == "url"  # derived, not stated
    fr = report.as_dict()["mapping"][0]
    assert fr["columns"] == {"title": "title", "published": "date", "text": "content", "url": "article_url"}
    assert fr["meta_columns"] == ["seq", "label1", "label2"]
    assert (fr["articles"], fr["source_from_url"], fr["no_source"], fr["no_date"]) == (7, 5, 2, 1)
    assert [(h["host"], h["articles"]) for h in fr["unknown_hosts"]] == [("v.daum.net", 1), ("example-local-news.kr", 1)]
    assert "다음" in fr["unknown_hosts"][0]["reason"]


def test_ingest_command_prints_the_mapping_report(tmp_path, capsys):
    from analytics.cli import main

    path = tmp_path / "news.csv"
    path.write_text(NEWS_CSV, encoding="utf-8")
    assert main(["ingest", str(path), "--store", str(tmp_path / "s"), "--no-analyze"]) == 0
    out = capsys.readouterr().out.splitlines()
    i = next(n for n, line in enumerate(out) if line.startswith(f"file {path} (csv)"))
    assert out[i] == f"file {path} (csv): 7 articles"
    assert out[i + 1] == ("  columns: 제목 (title) ← title, 일자 (published) ← date, "
                          "매체 (source) ← URL 호스트 (host, 5), 본문 (text) ← content, URL ← article_url")
    assert out[i + 2] == "  not found: 저자 (author), ID (source_id)"
    assert out[i + 3] == "  kept as metadata (meta): seq, label1, label2"
    assert out[i + 4] == "  no source (매체 미상): 2 · no date (일자 미상): 1"
    assert out[i + 5].startswith("    v.daum.net: 1 — ")


def test_a_url_mapped_as_source_gives_the_outlet_not_the_url(tmp_path, store):
    path = tmp_path / "news.csv"
    path.write_text(NEWS_CSV, encoding="utf-8")
    report = ingest([path], store, mapping={"source": "article_url"})
    assert report.added == 7
    got = dict(rows(store, "SELECT json_extract_string(meta, '$.seq'), source FROM articles"))
    assert got == NEWS_SOURCES
    assert rows(store, "SELECT count(*) FROM articles WHERE url LIKE 'http%'")[0][0] == 7


@pytest.mark.parametrize("name", ["article_url", "link", "originallink", "URL", "기사 URL", "링크", "news_url",
                                  "원문링크"])
def test_url_like_column_names_are_recognised(name):
    data = _csv([("t", "2021-02-01", KO, "https://www.khan.co.kr/a/1")], header=("title", "date", "body", name))
    arts, _ = parse_bytes(data, "a.csv")
    assert arts[0].url == "https://www.khan.co.kr/a/1"


def test_a_url_column_with_an_unknown_name_is_found_by_its_values():
    data = _csv([("t", KO, "https://www.donga.com/news/1"), ("u", KO + " 둘", "https://www.kmib.co.kr/a")],
                header=("title", "body", "주소1"))
    info: dict = {}
    arts, _ = parse_bytes(data, "a.csv", info=info)
    assert [a.url for a in arts] == ["https://www.donga.com/news/1", "https://www.kmib.co.kr/a"]
    assert info["columns"]["url"] == "주소1" and info["how"]["url"] == "값이 URL (values)"


def test_bigkinds_urls_all_give_the_stated_outlet(bigkinds_xlsx):
    """The table agrees with BIG Kinds on its own export: every URL's host -> the 언론사 it states."""
    import pandas as pd

    from analytics.ingest.outlets import outlet_from_url

    df = pd.read_excel(bigkinds_xlsx, dtype=str)
    pairs = [(s, outlet_from_url(u)) for s, u in zip(df["언론사"], df["URL"], strict=True)]
    assert len(pairs) == 602 and all(s == o for s, o in pairs)


def test_data_page_mapping_table_names_columns_meta_and_gaps(tmp_path, store):
    from analytics.ingest.report import mapping_table

    path = tmp_path / "news.csv"
    path.write_text(NEWS_CSV, encoding="utf-8")
    (row,) = mapping_table(ingest([path], store).as_dict())
    assert row == {"파일 (file)": "news.csv", "형식 (format)": "csv", "기사 (articles)": 7,
                   "열 → 필드 (columns)": "제목 (title) ← title, 일자 (published) ← date, 매체 (source) ← URL 호스트 "
                                         "(host, 5), 본문 (text) ← content, URL ← article_url",
                   "메타데이터로 보관 (meta)": "seq, label1, label2", "매체 미상 (no source)": 2, "일자 미상 (no date)": 1,
                   "표에 없는 호스트 (unmapped hosts)": "v.daum.net 1, example-local-news.kr 1"}


def test_text_files_are_summed_in_one_report_block(store):
    from analytics.ingest.report import lines

    report = ingest([SAMPLE_DIR], store)
    assert lines(report.as_dict()) == ["file 5 files (txt): 5 articles",
                                       "  no source (매체 미상): 2 · no date (일자 미상): 2"]  # as the manifest says


def test_a_url_copied_from_html_loses_its_amp_entities(tmp_path, store):
    path = tmp_path / "a.csv"
    path.write_text("title,body,link\n가,본문이다.,https://news.naver.com/main/read.naver?mode=LSD&amp;oid=028&amp;aid=1\n",
                    encoding="utf-8")
    ingest([path], store)
    assert rows(store, "SELECT source, url FROM articles") == [
        ("한겨레", "https://news.naver.com/main/read.naver?mode=LSD&oid=028&aid=1")]
