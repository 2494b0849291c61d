"""analytics.ingest.outlets: host -> outlet through outlets.csv, subdomains, Naver office ids."""

from __future__ import annotations

import pytest

from analytics.ingest.outlets import default, host_of, load, outlet_from_url, why_unknown


@pytest.mark.parametrize("url,outlet", [
    ("https://www.chosun.com/politics/2021/02/28/X/", "조선일보"),
    ("https://news.chosun.com/site/data/html_dir/2021/02/28/1.html", "조선일보"),  # subdomain -> parent
    ("https://biz.chosun.com/site/data/html_dir/2021/02/24/2.html", "조선비즈"),  # listed subdomain wins
    ("https://www.joongang.co.kr/article/1", "중앙일보"), ("https://www.donga.com/news/1", "동아일보"),
    ("https://www.hani.co.kr/arti/1.html", "한겨레"), ("http://news.khan.co.kr/kh_news/x", "경향신문"),
    ("http://www.munhwa.com/news/view.html?no=1", "문화일보"), ("https://news.kmib.co.kr/article/1", "국민일보"),
    ("https://www.seoul.co.kr/news/1", "서울신문"), ("https://www.segye.com/newsView/1", "세계일보"),
    ("https://www.hankookilbo.com/News/Read/1", "한국일보"), ("https://www.mk.co.kr/news/1", "매일경제"),
    ("https://www.hankyung.com/economy/1", "한국경제"), ("https://news.kbs.co.kr/news/view.do?ncd=1", "KBS"),
    ("https://imnews.imbc.com/news/1", "MBC"), ("https://news.sbs.co.kr/news/1", "SBS"),
    ("https://news.jtbc.co.kr/article/1", "JTBC"), ("https://www.ytn.co.kr/_ln/1", "YTN"),
    ("https://www.mbn.co.kr/news/1", "MBN"), ("http://news.tvchosun.com/1", "TV조선"),
    ("http://www.ichannela.com/news/1", "채널A"), ("https://www.yna.co.kr/view/AKR1", "연합뉴스"),
    ("https://newsis.com/view/?id=1", "뉴시스"), ("https://www.news1.kr/articles/1", "뉴스1"),
    ("https://www.pressian.com/pages/articles/1", "프레시안"), ("http://www.ohmynews.com/NWS_Web/1", "오마이뉴스"),
    ("http://www.mediatoday.co.kr/news/1", "미디어오늘"), ("HTTPS://WWW.HANI.CO.KR/arti/1", "한겨레"),
    ("hani.co.kr/arti/1", "한겨레"), ("https://www.hani.co.kr:443/arti/1", "한겨레"),
])
def test_hosts_give_their_outlet(url, outlet):
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize("url,outlet", [
    ("https://n.news.naver.com/mnews/article/023/0003600000?sid=100", "조선일보"),
    ("https://n.news.naver.com/article/028/0002530000", "한겨레"),
    ("https://n.news.naver.com/mnews/article/comment/032/0003050000", "경향신문"),
    ("https://news.naver.com/main/read.naver?mode=LSD&mid=sec&sid1=101&oid=001&aid=0012200000", "연합뉴스"),
    ("https://m.news.naver.com/read.nhn?oid=056&aid=0011000000", "KBS"),
    ("https://sports.news.naver.com/news.nhn?oid=076&aid=0003700000", "스포츠조선"),
])
def test_naver_urls_give_the_outlet_by_office_id(url, outlet):
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize("url,reason", [
    ("https://v.daum.net/v/20210224100012345", "다음 URL에는 언론사가 없음"),
    ("https://n.news.naver.com/article/999/1", "네이버 언론사 번호 999가 표에 없음"),
    ("https://www.example-local-news.kr/1", "표에 없는 호스트"),
    ("javascript:alert(1)", "웹 URL 아님"), ("data:text/html,<b>x</b>", "웹 URL 아님"),
])
def test_what_cannot_be_derived_says_why(url, reason):
    assert outlet_from_url(url) is None
    assert why_unknown(url).startswith(reason)


def test_a_bare_public_suffix_never_matches():
    assert outlet_from_url("https://co.kr/x") is None and outlet_from_url("https://kr/") is None
    assert host_of("https://www.chosun.com/a") == "chosun.com"


def test_the_shipped_table_is_consistent(tmp_path):
    t = default()
    assert len(t.by_host) >= 120 and len(t.by_naver_oid) >= 70
    assert {"조선일보", "중앙일보", "동아일보", "한겨레", "경향신문", "연합뉴스", "KBS"} <= set(t.by_naver_oid.values())
    own = tmp_path / "mine.csv"
    own.write_text("host,outlet,kind,naver_oid\nwww.Local.kr,지역신문,regional,7\n", encoding="utf-8")
    mine = load(own)
    assert outlet_from_url("https://news.local.kr/1", mine) == "지역신문"
    assert outlet_from_url("https://n.news.naver.com/article/007/1", mine) == "지역신문"


def test_every_table_row_is_well_formed():
    """The table is edited by hand: hosts lower-case without www., known kinds, 3-digit Naver ids,
    no host or office id twice."""
    import csv

    from analytics.ingest.outlets import TABLE

    rows = list(csv.DictReader(TABLE.open(encoding="utf-8")))
    assert list(rows[0]) == ["host", "outlet", "kind", "naver_oid"]
    kinds = {"daily", "economic", "it", "broadcast", "agency", "online", "magazine", "regional", "sports", "blog"}
    for r in rows:
        assert r["host"] == r["host"].strip().lower() and not r["host"].startswith("www.") and "." in r["host"], r
        assert r["outlet"].strip() == r["outlet"] and r["outlet"], r
        assert r["kind"] in kinds, r
        assert r["naver_oid"] == "" or (len(r["naver_oid"]) == 3 and r["naver_oid"].isdigit()), r
    hosts = [r["host"] for r in rows]
    oids = [r["naver_oid"] for r in rows if r["naver_oid"]]
    assert len(hosts) == len(set(hosts)) and len(oids) == len(set(oids))
