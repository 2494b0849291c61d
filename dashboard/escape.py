"""The one escaping helper for text that comes from users or data (names, titles, terms, URL
parameters, error messages) on its way into markdown or Plotly text.

Streamlit renders markdown (GitHub-flavoured: links, images, raw HTML blocks, and bare URLs turned
into links) in st.markdown, captions, alerts, headings and widget labels; Plotly renders a subset
of HTML (`<a href>`, `<b>`, `<br>`, `<span style>`) in trace names, legends, tick labels, hover and
text. Article text is scraped and a link is anyone's to craft, so neither may reach them raw.
Pure (no Streamlit): used by dashboard/ui.py (`ui.esc`) and dashboard/charts.py.
"""

from __future__ import annotations

import html
import math
import re

from analytics.config import UNKNOWN

# every character markdown or its extensions give a meaning to; ':' '/' '.' '@' too, so that no
# bare URL, www. address or e-mail becomes a link (GFM autolink literals need them contiguous)
MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&=\"'@/%^")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    return str(value)


# Streamlit turns bare URLs, www. addresses and e-mails into links *after* markdown is parsed (GFM
# autolink literals match the text, so backslash escapes do not stop them): a WORD JOINER (U+2060,
# invisible, zero width) inside each pattern does.
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")


def _unlink(s: str) -> str:
    return _AUTOLINK.sub(lambda m: {"://": ":" + _WJ + "//", "@": _WJ + "@"}.get(m.group(0),
                                                                                m.group(0)[:3] + _WJ + "."), s)


def markdown(value: object) -> str:
    """`value` as literal markdown text: every significant character backslash-escaped, bare URLs,
    www. addresses and e-mails kept from being auto-linked, line breaks flattened (a heading or a
    label stays one line), None/NaN shown as 미상."""
    s = _unlink(_text(value).replace("\r", " ").replace("\n", " "))
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in s)


def plotly(value: object) -> str:
    """`value` as literal Plotly text: `< > &` as entities (Plotly shows them as the characters)."""
    return html.escape(_text(value), quote=False)
