"""Escaping of report text before it reaches HTML or Markdown.

Why a module: the register quotes a public document and an uploaded report can say anything,
so a line such as ``<img src=x onerror=alert(1)>`` must show as text everywhere. folium
places popup and tooltip HTML inside JavaScript template literals, where ``${…}`` and
backticks are live even after HTML escaping, so :func:`html_text` neutralises those too.
Markdown (``st.markdown``) turns ``![](http://…)`` into an image request, so text shown
there goes through :func:`md_text`.
"""

from __future__ import annotations

import html
import re

# Markdown punctuation, plus ":" and "@" so GFM does not autolink "http://…" or e-mail addresses.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:@])")


def html_text(value: object) -> str:
    """Text safe inside HTML and inside a JS template literal."""
    return html.escape(str(value), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def md_text(value: object) -> str:
    """Text shown literally by ``st.markdown`` (no links, images, HTML or emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")
