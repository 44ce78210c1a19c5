"""Downloads: the selected records as CSV and GeoJSON, and a standalone HTML summary with its map.

Why a standalone file with everything inlined: councillors open the summary from a mail or a
USB stick, often with no internet; a folium page that loads Leaflet from a CDN would be blank
there. The vendored files (``static/vendor``, ``dashboard.assets``) are inlined — scripts,
stylesheets, and the fonts and sprites they reference as ``data:`` URLs — so the file needs
nothing but a browser. A file the vendor folder lacks keeps its CDN link (the summary then
says it needs internet).

CSV cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are
prefixed with an apostrophe.
"""

from __future__ import annotations

import base64
import io
import json
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import pandas as pd

from dashboard.assets.manifest import CDN_TO_LOCAL
from dashboard.escaping import html_text
from dashboard.i18n import Lang, category_label, precision_label, review_label, status_texts
from dashboard.styles import EXPORT_CSS
from works.settings import OSM_ATTRIBUTION, REPO_ROOT

VENDOR_DIR = REPO_ROOT / "static" / "vendor"
_SCRIPT_RE = re.compile(r'<script src="([^"]+)"></script>')
_LINK_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/>')
_CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_INLINE_KINDS = {".woff2", ".png", ".svg", ".gif", ".jpg"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def records_csv(rows: pd.DataFrame, lang: Lang) -> bytes:
    """The records as CSV (UTF-8 with BOM so spreadsheets read the Cyrillic right)."""
    table = pd.DataFrame(
        {
            "id": rows["id"],
            "name": rows["name"],
            "name_latin": rows["name_latin"],
            "status": rows["status"],
            "status_label": status_texts(rows, lang),
            "status_evidence": rows["status_evidence"],
            "status_scope": rows["status_scope"],
            "categories": [";".join(cs) for cs in rows["categories"]],
            "category_labels": [";".join(category_label(c, lang) for c in cs) for cs in rows["categories"]],
            "priority": rows["priority"],
            "measure": rows["measure"],
            "goal": rows["goal"],
            "years": [";".join(str(y) for y in ys) for ys in rows["years"]],
            "review": rows["review"],
            "review_label": [review_label(r, lang) for r in rows["review"]],
            "reviewed_at": rows["reviewed_at"],
            "districts": [";".join(ds) for ds in rows["map_districts"]],
            "precision": rows["precision"],
            "precision_label": [precision_label(p, lang) for p in rows["precision"]],
            "located": rows["located"],
            "unlocated_reason": rows["unlocated_reason"],
            "lat": rows["lat"].round(6),
            "lon": rows["lon"].round(6),
            "geocode_source": [_no_names(str(src)) for src in rows["geocode_source"]],
            "source_line": rows["source_line"],
            "source_text": rows["source_text"],
        }
    )
    table = table.map(_cell)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


def records_geojson(rows: pd.DataFrame, metadata: Mapping[str, Any] | None = None) -> bytes:
    """The records' features (pins applied; unlocated ones with ``geometry: null``).

    The public file says whether each work was reviewed and when, not by whom.
    """
    features = [_public_feature(f) for f in rows["feature"]]
    collection = {
        "type": "FeatureCollection",
        "metadata": {**(metadata or {}), "records": len(rows), "attribution": OSM_ATTRIBUTION},
        "features": features,
    }
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: "manual correction #3 by <planner> at <time>": the public files keep the number and the time.
_PIN_BY = re.compile(r"(manual correction #\d+) by .*? (at \S+)")


def _no_names(source: str) -> str:
    """A geocode source without the planner's name (the public side never shows who)."""
    return _PIN_BY.sub(r"\1 \2", source)


def _public_feature(feature: Mapping[str, Any]) -> dict[str, Any]:
    """A feature for a public file: who reviewed or pinned it is left out, when is kept."""
    props = {k: v for k, v in feature["properties"].items() if k != "reviewed_by"}
    if isinstance(props.get("geocode_source"), list):
        props["geocode_source"] = [_no_names(str(s)) for s in props["geocode_source"]]
    return {**feature, "properties": props}


def _data_url(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":
        mime = "font/woff2"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(css: str, css_path: Path) -> str:
    """The stylesheet with its fonts and images as data URLs (only woff2 among fonts)."""

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (css_path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if (
            target.suffix in _INLINE_KINDS
            and target.is_file()
            and target.is_relative_to(VENDOR_DIR.resolve())
        ):
            return f"url({_data_url(target)})"
        # Older font formats (every browser that runs Leaflet reads woff2), remote or unknown files.
        return "url(data:,)"

    return _CSS_URL_RE.sub(replace, css)


def inline_assets(page: str, vendor: Path = VENDOR_DIR) -> tuple[str, list[str]]:
    """Replace CDN ``<script>``/``<link>`` tags by the vendored files; return (html, urls left)."""
    missing: list[str] = []

    def script(match: re.Match[str]) -> str:
        local = CDN_TO_LOCAL.get(match.group(1))
        path = vendor / local if local else None
        if path is None or not path.is_file():
            missing.append(match.group(1))
            return match.group(0)
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def link(match: re.Match[str]) -> str:
        local = CDN_TO_LOCAL.get(match.group(1))
        path = vendor / local if local else None
        if path is None or not path.is_file():
            missing.append(match.group(1))
            return match.group(0)
        css = inline_css(path.read_text(encoding="utf-8"), path).replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    page = _SCRIPT_RE.sub(script, page)
    page = _LINK_RE.sub(link, page)
    return page, missing


def standalone_html(m: folium.Map, title: str, body_html: str, note: str = "") -> str:
    """A one-page summary: heading, the map, then ``body_html`` (already escaped); print-ready.

    ``m`` must be a map built without ``prepare_assets`` (its links are folium's CDN URLs,
    which are swapped for the inlined vendored files here).
    """
    page, missing = inline_assets(m.get_root().render())
    if missing:
        note += " This file loads some map files from the internet: " + ", ".join(
            html_text(u) for u in missing
        )
    head = f"<title>{html_text(title)}</title><style>{EXPORT_CSS}</style>"
    page = page.replace("<head>", "<head>" + head, 1)
    top = f"<h1>{html_text(title)}</h1>{f'<p class=pv-note>{html_text(note)}</p>' if note else ''}"
    page = re.sub(r"<body>", "<body>" + top, page, count=1)
    return page.replace("</body>", body_html + "</body>", 1)


def html_table(frame: pd.DataFrame, index: bool = True) -> str:
    """A pandas table as escaped HTML."""
    return frame.to_html(escape=True, border=0, na_rep="", index=index)
