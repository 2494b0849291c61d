"""Bylines and datelines the boilerplate step left (`[이데일리 김민수 기자]`, `워싱턴=김현우 특파원`), and Hanja
surnames in headlines (`尹`, `李`)."""

from __future__ import annotations

import re

# `[이데일리 김민수 기자]`, `(서울=연합뉴스)`)
# ... and a dateline without brackets (`워싱턴=김현우 특파원` closing an article)
_BYLINE_RE = re.compile(r"[\[【(〔][^\]】)〕\n]{0,40}?(?:(?:기자|특파원|통신원|선임기자|객원기자)\s*[\]】)〕]|=[^\]】)〕\n]{0,25}[\]】)〕])"
                        r"|(?<![^\s])[가-힣A-Za-z]{1,12}(?:[·,][가-힣A-Za-z]{1,12})*\s?=\s?[가-힣]{2,4}\s?(?:기자|특파원|통신원|선임기자|객원기자)(?![가-힣])")

# a reporter's byline closing the text, with a photo credit or an e-mail address the boilerplate step left after it
_END_BYLINE_RE = re.compile(r"(?:^|\s)([가-힣]{2,4}\s?(?:기자|특파원|선임기자|객원기자|인턴기자))\s*(?:[(\[][^)\]\n]{0,30}[)\]]|"
                            r"[\w.+-]+@[\w.-]+)?\s*$")

# Hanja surnames a headline (or a body) writes for a person the article names in full (`尹 "…"` for
# 윤석열); 韓 is Korea and 全 "all", so neither is here
HANJA_SURNAMES = {"尹": "윤", "李": "이", "文": "문", "朴": "박", "金": "김", "安": "안", "洪": "홍", "宋": "송", "丁": "정",
                  "曺": "조", "趙": "조", "秋": "추", "元": "원", "崔": "최", "鄭": "정", "姜": "강", "張": "장",
                  "吳": "오", "黃": "황", "盧": "노", "申": "신", "權": "권", "劉": "유", "沈": "심"}
_HANJA_SURNAME_RE = re.compile(r"(?<![\u4e00-\u9fff])([" + "".join(HANJA_SURNAMES) + r"])(?![\u4e00-\u9fff])")
