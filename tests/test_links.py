"""Article URLs are shown as links only when they are plain http(s) links (scraped data)."""

from __future__ import annotations

import pandas as pd

from dashboard import ui


def test_only_http_and_https_urls_become_links():
    arts = pd.DataFrame({
        "title": ["a", "b", "c", "d", "e", "f", "g"],
        "url": ["https://n.news.naver.com/article/023/0003600000?sid=101", "HTTP://www.hani.co.kr/a.html",
                "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", " jAvAsCrIpT:alert(1)",
                "http://", None],
    })
    urls = ui.display_articles(arts)["url"]
    assert [u if isinstance(u, str) else None for u in urls] == [
        "https://n.news.naver.com/article/023/0003600000?sid=101", "HTTP://www.hani.co.kr/a.html",
        None, None, None, None, None]


def test_a_url_with_quotes_or_spaces_is_not_a_link():
    assert ui.safe_link('http://x.kr/"onmouseover="alert(1)') is None
    assert ui.safe_link("http://x.kr/a b") is None
    assert ui.safe_link("https://www.chosun.com/economy/2021/02/01/") == "https://www.chosun.com/economy/2021/02/01/"
