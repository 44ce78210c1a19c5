"""The list of the works drawn on the map, under the map: a click shows the work on the map.

Why HTML with a small script rather than a table widget: a resident scans names and statuses
(a canvas table hid the status column on a phone and printed only its visible rows), and a
click must move the map at once, without a server round trip. The list is plain, escaped HTML
(``escaping.html_text``); the script finds the work's layer in the map frame (same origin)
by its ``pid`` and zooms to it, opening its popup. Works are sorted by name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping

import pandas as pd
import streamlit as st

from dashboard.data import fold
from dashboard.escaping import html_text
from dashboard.i18n import Lang, display_name, status_text, t
from dashboard.styles import STATUS_STYLES

#: Runs in the page (``st.html(..., unsafe_allow_javascript=True)``); binds each list once.
_SCRIPT = """<script>
(function () {
  function focusWork(pid) {
    var frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    var map = frame && frame.contentWindow && frame.contentWindow.map_div;
    if (!map) { return; }
    var target = null, parent = null;
    function walk(layer, up) {
      var p = layer.feature && layer.feature.properties;
      if (!target && p && p.pid === pid) { target = layer; parent = up; }
      if (layer.getLayers) { layer.getLayers().forEach(function (c) { walk(c, layer); }); }
    }
    map.eachLayer(function (l) { walk(l, null); });
    if (!target) { return; }
    frame.scrollIntoView({block: 'center'});
    if (parent && parent.zoomToShowLayer) {
      parent.zoomToShowLayer(target, function () { target.openPopup(); });
    } else if (target.getBounds) {
      map.fitBounds(target.getBounds(), {maxZoom: 17, animate: false});
      target.openPopup();
    } else if (target.getLatLng) {
      map.setView(target.getLatLng(), 17, {animate: false});
      target.openPopup();
    }
  }
  document.querySelectorAll('.pv-works').forEach(function (list) {
    if (list.dataset.bound) { return; }
    list.dataset.bound = '1';
    list.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-pid]');
      if (button) { focusWork(button.dataset.pid); }
    });
  });
})();
</script>"""

LIST_CSS = """<style>
.pv-works {list-style: none; margin: 0; padding: 0; columns: 2 28rem; column-gap: 1.5rem;}
.pv-works li {break-inside: avoid; padding: .35rem 0; border-bottom: 1px solid rgba(128,128,128,.25);
  line-height: 1.35;}
.pv-works button {all: unset; cursor: pointer; font-weight: 600; color: inherit;}
.pv-works button:hover, .pv-works button:focus-visible {text-decoration: underline; outline: none;}
.pv-badge {display: inline-block; margin-left: .4rem; padding: 0 .45rem; border-radius: .7rem;
  font-size: .8rem; color: #fff; background: var(--c); white-space: nowrap; vertical-align: 1px;}
.pv-meta {display: block; font-size: .85rem; opacity: .75;}
@media (max-width: 640px) {.pv-works {columns: 1;}}
@media print {.pv-works {columns: 2; font-size: 9pt;} .pv-works li {padding: 1px 0;}}
</style>"""


def sort_by_name(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order of their names (case, quotes and spacing ignored)."""
    return rows.assign(_order=rows["name"].map(fold)).sort_values(["_order", "id"]).drop(columns="_order")


def work_items(rows: pd.DataFrame, lang: Lang, district_label: Callable[[str], str]) -> dict[Hashable, str]:
    """Each row's list item (by the row's index): name (a button), status badge, districts and
    years when known. Why per row: the map view makes them once per register version and
    language, and a filter state only picks and joins them (:func:`compose_works_list`)."""
    e = html_text
    tip = e(t("show_on_map", lang))
    items: dict[Hashable, str] = {}
    for index, row in zip(rows.index, rows.itertuples(), strict=True):
        colour = STATUS_STYLES.get(row.status, STATUS_STYLES["unknown"]).hex
        name = display_name(row.name, row.name_latin, lang)
        meta = [", ".join(district_label(d) for d in row.map_districts) or t("no_district", lang)]
        if row.years:
            meta.append(", ".join(str(y) for y in row.years))
        button = (
            f'<button type="button" data-pid="{e(row.id)}" title="{tip}">{e(name)}</button>'
            if row.located
            else f"<span>{e(name)}</span>"
        )
        badge = e(status_text(row.status, row.status_scope, lang))
        items[index] = (
            f'<li data-pid="{e(row.id)}">{button}'
            f'<span class="pv-badge" style="--c:{colour}">{badge}</span>'
            f'<span class="pv-meta">{e(" · ".join(meta))}</span></li>'
        )
    return items


def compose_works_list(items: Mapping[Hashable, str], order: Iterable[Hashable]) -> str:
    """The list of the items named by ``order`` (row indexes sorted by name), as HTML."""
    return f'{LIST_CSS}<ul class="pv-works">{"".join(items[i] for i in order)}</ul>'


def works_list_html(rows: pd.DataFrame, lang: Lang, district_label: Callable[[str], str]) -> str:
    """One item per work, sorted by name (built from scratch)."""
    return compose_works_list(work_items(rows, lang, district_label), sort_by_name(rows).index)


def show_works_list(html: str) -> None:
    """Put the list's HTML (:func:`works_list_html`) on the page with the script that moves the map."""
    st.html(html + _SCRIPT, unsafe_allow_javascript=True)


def render_works_list(rows: pd.DataFrame, lang: Lang, district_label: Callable[[str], str]) -> None:
    """The heading and the list (nothing when no work is drawn)."""
    located = rows[rows["located"]]
    st.subheader(t("on_map_title", lang, n=len(located)))
    if located.empty:
        return
    st.caption(t("on_map_hint", lang))
    show_works_list(works_list_html(located, lang, district_label))
