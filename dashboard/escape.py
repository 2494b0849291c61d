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

from analytics.config import UNKNOWN

# every character markdown or its extensions give a meaning to; ':' '/' '.' '@' too, so that no
# bare URL, www. address or e-mail becomes a link (GFM autolink literals need them contiguous)
MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&=\"'@/%^")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    return str(value)


def markdown(value: object) -> str:
    """`value` as literal markdown text: every significant character backslash-escaped, line
    breaks flattened (a heading or a label stays one line), None/NaN shown as 미상."""
    s = _text(value).replace("\r", " ").replace("\n", " ")
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in s)


def plotly(value: object) -> str:
    """`value` as literal Plotly text: `< > &` as entities (Plotly shows them as the characters)."""
    return html.escape(_text(value), quote=False)
