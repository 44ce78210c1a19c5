"""The project map: districts, works drawn by geometry, legend, layers per category.

Why data-driven layers: each category is one GeoJSON layer whose features carry their own
style, icon and pre-escaped tooltip/popup HTML, so the page ships the data once instead of
one JavaScript block per marker (the map payload stays a few hundred kB for the whole
register). Points go into a MarkerCluster per category; lines and polygons are drawn as
they are, coloured by status. Everything comes from the vendored assets
(``dashboard.assets``), so the map needs nothing beyond the dashboard's own server.

Text from the report is escaped here (``escaping.html_text``) before it becomes popup HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import folium
import folium.elements
import pandas as pd
import streamlit as st
import streamlit_folium
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.plugins import Fullscreen, MarkerCluster
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry import GeometryCollection, mapping
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from dashboard import state, structure, works_list
from dashboard.assets.offline import prepare_assets
from dashboard.data import mtime
from dashboard.escaping import html_text
from dashboard.filters import FilterState
from dashboard.i18n import (
    CATEGORIES,
    STATUSES,
    Lang,
    category_label,
    display_name,
    precision_label,
    review_label,
    status_label,
    t,
    tm,
)
from dashboard.page import ViewContext, presentation_header
from dashboard.structure import Titles, report_titles, structure_html, structure_tree
from dashboard.styles import (
    BASE_CSS,
    BASEMAP_STYLES,
    CATEGORY_ICONS,
    DISTRICT_STYLE,
    HIGHLIGHT_DISTRICT_STYLE,
    LARGE_MAP_CSS,
    STATUS_STYLES,
    UNRESOLVED_STYLE,
)
from dashboard.tables import unlocated_frame
from dashboard.works_list import works_list_html
from geocoding.normalize import transliterate
from works.settings import OSM_ATTRIBUTION

PLOVDIV_CENTER = (42.1426, 24.7496)
MAX_ZOOM = 19
#: Presentation mode: the map fills a 1920×1080 screen under a one-line header.
PRESENT_MAP_HEIGHT = 900
GOAL_CHARS = 220

# Points become awesome-markers built from the feature's own properties.
_POINT_TO_LAYER = JsCode(
    """function(feature, latlng) {
    var p = feature.properties;
    return L.marker(latlng, {
        icon: L.AwesomeMarkers.icon({icon: p.icon, prefix: 'fa', markerColor: p.marker, iconColor: 'white'}),
        title: p.title, alt: p.title, riseOnHover: true
    });
}"""
)
# Tooltip and popup are pre-escaped HTML strings built in Python.
_BIND_TEXTS = JsCode(
    """function(feature, layer) {
    var p = feature.properties;
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
    // Never wider than the map (a phone's map is ~360 px wide).
    if (p.pop) { layer.bindPopup(p.pop, {maxWidth: Math.min(380, window.innerWidth - 70)}); }
}"""
)


@dataclass(frozen=True)
class SearchPin:
    """A searched place drawn on the map with its search radius."""

    lat: float
    lon: float
    label: str
    radius_m: float


class MapControl(MacroElement):
    """A static Leaflet control (legend, notes) holding ready-made, escaped HTML."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, html: str, position: str = "bottomright", css_class: str = "pv-legend") -> None:
        super().__init__()
        self._name = "MapControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class TouchScroll(MacroElement):
    """On touch screens one finger scrolls the page and two move the map.

    Why: a phone's map fills most of the screen, so a swipe that pans the map traps the
    reader in it. Leaflet's dragging is off for a coarse pointer and turned on while two
    fingers touch; pinch zoom stays as it is.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function(map) {
            if (!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches)) { return; }
            map.dragging.disable();
            var box = map.getContainer();
            box.classList.add('pv-touch');
            box.addEventListener('touchstart', function(e) {
                if (e.touches.length > 1) { map.dragging.enable(); }
            }, {passive: true});
            box.addEventListener('touchend', function(e) {
                if (e.touches.length === 0) { map.dragging.disable(); }
            }, {passive: true});
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "TouchScroll"


class Attribution(MacroElement):
    """Adds a line to the map's attribution control (the ODbL requires the credit)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


def compact_json(obj: Any) -> str:
    """JSON for a ``<script>``: UTF-8 (not ``\\uXXXX``: Cyrillic would triple in size), no
    spaces, and the characters that could end the script or the JS string escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


class DataLayer(Layer):
    """A GeoJSON layer drawn from its features' own properties.

    ``style`` styles lines and polygons; points become awesome-markers from ``marker`` and
    ``icon``; ``tip`` and ``pop`` are bound as tooltip and popup (already escaped HTML).
    Why not ``folium.GeoJson``: it writes the data ASCII-escaped and adds a style table per
    feature; this layer ships each feature once, compactly.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data }}, {
            pointToLayer: {{ this.point_to_layer }},
            onEachFeature: {{ this.bind_texts }},
            style: function(feature) { return feature.properties.style || {}; },
            interactive: {{ this.interactive|tojson }}
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(
        self,
        features: list[dict[str, Any]],
        name: str | None = None,
        *,
        interactive: bool = True,
        control: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "DataLayer"
        self.data = compact_json({"type": "FeatureCollection", "features": features})
        self.interactive = interactive
        self.point_to_layer = _POINT_TO_LAYER.js_code
        self.bind_texts = _BIND_TEXTS.js_code


_MANUAL_RE = re.compile(r"manual correction #(\d+) by .*? at (\d{4}-\d{2}-\d{2})\S*")


def public_source(source: str, lang: Lang) -> str:
    """The geocode source as the public sees it: a pin says when, never who (in ``lang``)."""
    return _MANUAL_RE.sub(lambda m: t("manual_source", lang, id=m.group(1), date=m.group(2)), source)


def _latin(text: str, lang: Lang) -> str:
    """In English, the report's Bulgarian words also in Latin letters (escaped HTML)."""
    if lang != "en" or not text:
        return ""
    label = html_text(t("in_latin", lang))
    return f'<br><small class="pv-latin">({label}: {html_text(transliterate(text))})</small>'


def popup_html(row: pd.Series, lang: Lang) -> str:
    """The popup: name, status with its evidence, categories, programme place, location, source."""
    e = html_text
    style = STATUS_STYLES.get(row["status"], STATUS_STYLES["unknown"])
    evidence = (
        f" — „{e(row['status_evidence'])}“"
        if row["status_evidence"]
        else f" — <i>{e(t('no_evidence', lang))}</i>"
    )
    goal = row["goal"] if len(row["goal"]) <= GOAL_CHARS else row["goal"][:GOAL_CHARS].rstrip() + "…"
    districts = ", ".join(display_name(d, transliterate(d), lang) for d in row["map_districts"]) or t(
        "no_district", lang
    )
    location = e(precision_label(row["precision"], lang))
    if row["geocode_source"]:
        location += f" <small>({e(public_source(row['geocode_source'], lang))})</small>"
    name = display_name(row["name"], row["name_latin"], lang)
    status = f'<b style="color:{style.hex}">{e(status_label(row["status"], lang))}</b>'
    categories = ", ".join(category_label(c, lang) for c in row["categories"])
    source = t("source_line", lang, n=row["source_line"])
    years = ", ".join(str(y) for y in row["years"])
    review = review_label(row["review"], lang) + (f" · {row['reviewed_at']}" if row["reviewed_at"] else "")
    lines = [
        f'<div class="pv-popup"><b>{e(name)}</b>',
        f"<div>{e(t('status', lang))}: {status}{evidence}</div>",
        f"<div>{e(t('categories', lang))}: {e(categories)}</div>",
        f"<div>{e(t('years', lang))}: {e(years)}</div>" if years else "",
        f"<div>{e(t('priority', lang))} {e(row['priority'])} · {e(t('measure', lang))} {e(row['measure'])}"
        f" · {e(t('goal', lang))}: {e(goal)}{_latin(goal, lang)}</div>",
        f"<div>{e(t('districts', lang))}: {e(districts)}</div>",
        f"<div>{e(t('precision', lang))}: {location}</div>",
        f"<div>{e(t('review', lang))}: {e(review)}</div>",
        f"<blockquote>{e(source)}: {e(row['source_text'])}"
        f"{_latin(row['source_text'], lang)}</blockquote></div>",
    ]
    return "".join(lines)


def tooltip_html(row: pd.Series, lang: Lang) -> str:
    """The tooltip: name, status, categories (escaped)."""
    e = html_text
    cats = ", ".join(category_label(c, lang) for c in row["categories"])
    name = display_name(row["name"], row["name_latin"], lang)
    return f"<b>{e(name)}</b><br>{e(status_label(row['status'], lang))} · {e(cats)}"


def _parts(geom: BaseGeometry) -> tuple[list[BaseGeometry], list[BaseGeometry]]:
    """(points, other parts): multi-points and collections are split so each point clusters."""
    points: list[BaseGeometry] = []
    others: list[BaseGeometry] = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Point":
            points.append(part)
        elif part.geom_type == "MultiPoint":
            points.extend(part.geoms)
        elif part.geom_type == "GeometryCollection":
            sub_points, sub_others = _parts(part)
            points += sub_points
            others += sub_others
        else:
            others.append(part)
    return points, others


def project_features(records: pd.DataFrame, lang: Lang) -> dict[str, tuple[list[dict], list[dict]]]:
    """Per category: (point features, line/polygon features), ready for GeoJSON layers."""
    layers: dict[str, tuple[list[dict], list[dict]]] = {}
    for _, row in records[records["located"]].iterrows():
        style = STATUS_STYLES.get(row["status"], STATUS_STYLES["unknown"])
        props = {
            "pid": row["id"],
            "status": row["status"],
            "title": row["name"],
            "tip": tooltip_html(row, lang),
            "pop": popup_html(row, lang),
        }
        points, others = _parts(row["geometry"])
        point_list, shape_list = layers.setdefault(row["category"], ([], []))
        for point in points:
            point_props = {
                **props,
                "marker": style.marker,
                "icon": CATEGORY_ICONS.get(row["category"], "circle-info"),
            }
            point_list.append({"type": "Feature", "properties": point_props, "geometry": mapping(point)})
        if others:
            # One feature per record (its popup shipped once), however many parts it has.
            shape = (
                row["geometry"]
                if not points
                else others[0]
                if len(others) == 1
                else GeometryCollection(others)
            )
            polygonal = any(part.geom_type.endswith("Polygon") for part in others)
            lines = any(part.geom_type.endswith("LineString") for part in others)
            shape_style = {
                "color": style.hex,
                "weight": 5 if lines else 2,
                "opacity": 0.9,
                "fillColor": style.hex,
                "fillOpacity": 0.35 if polygonal else 0.0,
            }
            shape_props = {**props, "style": shape_style}
            shape_list.append({"type": "Feature", "properties": shape_props, "geometry": mapping(shape)})
    return layers


def legend_html(records: pd.DataFrame, lang: Lang) -> str:
    """Status colours with the number of works drawn, and how many are not on the map."""
    e = html_text
    located = records[records["located"]]
    counts = located["status"].value_counts()
    rows = [f"<b>{e(t('legend_status', lang))}</b>"]
    for status in STATUSES:
        n = int(counts.get(status, 0))
        if n or status != "unknown":
            colour = STATUS_STYLES[status].hex
            rows.append(
                f'<i class="pv-swatch" style="background:{colour}"></i>{e(status_label(status, lang))} ({n})'
            )
    unlocated = int((~records["located"]).sum())
    if unlocated:
        rows.append(f"<i>{e(t('legend_unlocated', lang, n=unlocated))}</i>")
    return "<br>".join(rows)


def _district_layer(districts: Any, lang: Lang, highlight: str | None) -> folium.FeatureGroup:
    """Outlines (unresolved area dashed grey) and a label at each district's inner point."""
    group = folium.FeatureGroup(name=html_text(t("layer_districts", lang)))
    features = []
    for _, row in districts.iterrows():
        label = display_name(row["name"], row["name_en"], lang)
        html_label = html_text(label)
        if row["unresolved"]:
            html_label += f"<br><small>({html_text(t('unresolved_district', lang))})</small>"
            label = f"{label} ({t('unresolved_district', lang)})"
            style = UNRESOLVED_STYLE
        else:
            style = HIGHLIGHT_DISTRICT_STYLE if row["name"] == highlight else DISTRICT_STYLE
        features.append(
            {
                "type": "Feature",
                "properties": {"district": row["name"], "tip": f"<b>{html_text(label)}</b>", "style": style},
                "geometry": mapping(row["geometry"]),
            }
        )
        point = row["geometry"].representative_point()
        css = "pv-district-label pv-unresolved" if row["unresolved"] else "pv-district-label"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="{css}">{html_label}</div>', class_name="pv-district-icon"),
            interactive=False,
        ).add_to(group)
    DataLayer(features, control=False).add_to(group)
    return group


def basemap_layer(basemap: dict[str, Any], lang: Lang) -> DataLayer:
    """The offline basemap: non-interactive, styled per layer."""
    features = [
        {
            **f,
            "properties": {
                "style": BASEMAP_STYLES.get(f["properties"].get("layer"), BASEMAP_STYLES["street"])
            },
        }
        for f in basemap.get("features", [])
    ]
    return DataLayer(features, name=html_text(t("layer_basemap", lang)), interactive=False)


def bounds_of(records: pd.DataFrame, districts: Any) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the districts, else of the located works."""
    if len(districts):
        w, s, e, n = districts.total_bounds
        return [[float(s), float(w)], [float(n), float(e)]]
    located = records[records["located"]]
    if located.empty:
        return None
    return [
        [float(located["lat"].min()), float(located["lon"].min())],
        [float(located["lat"].max()), float(located["lon"].max())],
    ]


def project_map(
    records: pd.DataFrame,
    districts: Any,
    lang: Lang,
    *,
    basemap: dict[str, Any] | None = None,
    tiles: str | None = None,
    fit: list[list[float]] | None = None,
    highlight_district: str | None = None,
    search: SearchPin | None = None,
    legend: bool = True,
    large: bool = False,
) -> folium.Map:
    """The folium map of ``records`` (unlocated rows are counted in the legend, not drawn)."""
    m = folium.Map(
        location=PLOVDIV_CENTER,
        zoom_start=13,
        tiles=None,
        maxZoom=MAX_ZOOM,
        minZoom=10,
        control_scale=True,
        zoomSnap=0.25,
        zoomDelta=0.5,
    )
    m.get_root().header.add_child(  # type: ignore[attr-defined]  # folium: Figure, typed Element
        Element(BASE_CSS + (LARGE_MAP_CSS if large else ""))
    )
    m.add_child(TouchScroll())
    if tiles:
        folium.TileLayer(
            tiles=tiles, attr=html_text(OSM_ATTRIBUTION), name="OpenStreetMap", max_zoom=MAX_ZOOM
        ).add_to(m)
    else:
        if basemap:
            basemap_layer(basemap, lang).add_to(m)
        # Districts and geocoded places come from OpenStreetMap too: always credited.
        m.add_child(Attribution(html_text(OSM_ATTRIBUTION)))
    if len(districts):
        _district_layer(districts, lang, highlight_district).add_to(m)
    layers = project_features(records, lang)
    for category in [c for c in CATEGORIES if c in layers] + [c for c in layers if c not in CATEGORIES]:
        points, shapes = layers[category]
        icon = CATEGORY_ICONS.get(category, "circle-info")
        name = html_text(category_label(category, lang))
        label = f'<i class="fa fa-{icon}"></i> {name} ({len(points) + len(shapes)})'
        group = folium.FeatureGroup(name=label).add_to(m)
        if shapes:
            DataLayer(shapes).add_to(group)
        if points:
            cluster = MarkerCluster(
                control=False,
                options={"showCoverageOnHover": False, "maxClusterRadius": 40, "disableClusteringAtZoom": 17},
            ).add_to(group)
            DataLayer(points).add_to(cluster)
    if search is not None:
        folium.Circle(
            [search.lat, search.lon],
            radius=search.radius_m,
            color="#1f4e9c",
            weight=2,
            dash_array="6 4",
            fill=False,
        ).add_to(m)
        folium.Marker(
            [search.lat, search.lon],
            icon=folium.Icon(color="darkblue", icon="location-dot", prefix="fa"),
            tooltip=folium.Tooltip(f"<b>{html_text(search.label)}</b>"),
        ).add_to(m)
    if legend:
        m.add_child(MapControl(legend_html(records, lang)))
    folium.LayerControl(collapsed=True).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    box = fit or bounds_of(records, districts)
    if box:
        m.fit_bounds(box)
    return lean_assets(m)


#: What our maps use of folium's default libraries: no jQuery, Bootstrap or glyphicons (only
#: folium's own popups and icons need them; ours are plain Leaflet + Font Awesome).
_LEAN_JS = {"leaflet", "awesome_markers"}
_LEAN_CSS = {"leaflet_css", "awesome_markers_font_css", "awesome_markers_css"}


def lean_assets(m: folium.Map) -> folium.Map:
    """Drop the libraries the map does not use (~400 kB less to load and parse per map)."""
    m.default_js = [(name, url) for name, url in m.default_js if name in _LEAN_JS]
    m.default_css = [(name, url) for name, url in m.default_css if name in _LEAN_CSS]
    return m


def show_map(m: folium.Map, key: str, height: int = 620, returned: tuple[str, ...] = ()) -> dict[str, Any]:
    """Render with st_folium on the vendored assets, returning only ``returned`` objects.

    Why ``returned_objects``: every other interaction (pan, zoom, hover) would rerun the
    whole script; the main map returns nothing, the planners' pin map only ``last_clicked``.
    """
    prepare_assets(m)
    return (
        st_folium(m, key=key, height=height, use_container_width=True, returned_objects=list(returned)) or {}
    )


def _assets(element: Any) -> Iterator[Any]:
    """Every element of a map that brings its own CSS or JavaScript (as ``st_folium`` walks it)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _assets(child)


def component_args(m: folium.Map, key: str) -> dict[str, Any]:
    """What ``st_folium(m, key=key, use_container_width=True, returned_objects=[])`` passes to
    its component, computed as it computes it (streamlit-folium 0.27, ``requirements.txt``).

    Why by hand: ``st_folium`` renders the map's templates twice on every script run (a third
    of a page view's CPU; the second render only repeats the first); the result depends only
    on the map, so :func:`show_shared_map` computes it once per map state and every session
    sends the same strings. ``tests/test_shared_map.py`` checks it equals ``st_folium``'s.
    """
    prepare_assets(m)
    m.get_root().render()
    # In st_folium's order: the map string renames the map's variable (to map_div).
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    leaflet = streamlit_folium._get_map_string(m)
    css = [href for e in _assets(m) for _, href in getattr(e, "default_css", [])]
    js = [src for e in _assets(m) for _, src in getattr(e, "default_js", [])]
    return {
        "script": leaflet,
        "header": header,
        "html": html,
        "id": streamlit_folium.get_full_id(m),
        "key": streamlit_folium.generate_js_hash(leaflet, key, False),
        "width": None,
        "returned_objects": [],
        "default": {},
        "zoom": None,
        "center": None,
        "feature_group": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(dict.fromkeys(css)),
        "js_links": list(dict.fromkeys(js)),
        "wrap_longitude": False,
    }


@st.cache_resource(show_spinner=False, max_entries=64)
def shared_component_args(state_key: str, key: str, _build: Callable[[], folium.Map]) -> dict[str, Any]:
    """:func:`component_args` of the map ``_build`` makes, once per ``state_key`` (read only).

    ``state_key`` must name everything the map is drawn from: the register's version (pins
    and review decisions change it), the filters, the language, the view's options.
    """
    return component_args(_build(), key)


def show_shared_map(state_key: str, build: Callable[[], folium.Map], key: str, height: int = 620) -> None:
    """The main map (it returns nothing), its component arguments shared across sessions."""
    args = shared_component_args(state_key, key, build)

    def on_change() -> None:  # as st_folium's: the component's value under the caller's key
        st.session_state[key] = st.session_state.get(args["key"], {})

    streamlit_folium._component_func(**args, height=height, on_change=on_change)


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_structure(
    _records: pd.DataFrame, state_key: str, _filters: FilterState, _titles: Titles, lang: Lang
) -> tuple[str, frozenset[str]]:
    """The report's structure as HTML and the rows it draws, once per state (read only).

    ``state_key`` names the register's version, the filters and the report's titles.
    """
    tree = structure_tree(_records, _filters, _titles)
    valid = frozenset(
        f"{node.level}:{node.code}"
        for priority in tree
        for node in [priority, *priority.children, *(g for m in priority.children for g in m.children)]
    )
    return structure_html(tree, _filters, lang), valid


def render_shared_structure(ctx: ViewContext, titles: Titles, titles_key: str) -> None:
    """``structure.render_structure`` with its tree and HTML shared across sessions."""
    state_key = repr((ctx.register.version, ctx.page.filters, titles_key))
    html, valid = shared_structure(ctx.register.records, state_key, ctx.page.filters, titles, ctx.lang)
    structure._COMPONENT(data=html, key=structure._KEY, on_select_change=partial(structure._on_select, valid))


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_works_list(
    _located: pd.DataFrame, state_key: str, _label: Callable[[str], str], lang: Lang
) -> str:
    """The list of the works on the map as HTML, once per state (``state_key``: the register's
    version, the filters, the language)."""
    return works_list_html(_located, lang, _label) + works_list._SCRIPT


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_unlocated(_records: pd.DataFrame, state_key: str, lang: Lang) -> pd.DataFrame:
    """The table of the works not on the map, once per state (read only)."""
    return unlocated_frame(_records, lang)


def render_lists(ctx: ViewContext) -> None:
    """``works_list.render_works_list`` and ``tables.render_unlocated`` (same elements, same
    order), their HTML and table shared across sessions."""
    lang = ctx.lang
    state_key = repr((ctx.register.version, ctx.page.filters, lang))
    located = ctx.selected[ctx.selected["located"]]
    st.subheader(t("on_map_title", lang, n=len(located)))
    if not located.empty:
        st.caption(t("on_map_hint", lang))
        html = shared_works_list(located, state_key, ctx.district_label, lang)
        st.html(html, unsafe_allow_javascript=True)
    rows = ctx.selected[~ctx.selected["located"]]
    city = int((rows["unlocated_reason"] == "city_wide").sum())
    st.subheader(t("unlocated_title", lang, n=len(rows), city=city))
    if rows.empty:
        st.caption(t("unlocated_none", lang))
        return
    table = shared_unlocated(ctx.selected, state_key, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="unlocated_table")


def fit_districts(districts: Any, names: tuple[str, ...]) -> list[list[float]] | None:
    """Bounds of the named districts (None when none of them is known)."""
    chosen = districts[districts["name"].isin(names)] if len(districts) else districts
    if not len(chosen):
        return None
    w, s, e, n = chosen.total_bounds
    return [[float(s), float(w)], [float(n), float(e)]]


def fit_works(records: pd.DataFrame) -> list[list[float]] | None:
    """Bounds of the located works (None when none is located)."""
    located = [
        g for g, ok in zip(records["geometry"], records["located"], strict=True) if ok and g is not None
    ]
    if not located:
        return None
    w, s, e, n = GeometryCollection(located).bounds
    # A single point or a short street: keep some of the surroundings in view.
    pad = 0.003
    return [[s - pad, w - pad], [n + pad, e + pad]]


def render(ctx: ViewContext) -> None:
    """The map view: every filtered work on the map, listed under it; the unlocated ones too."""
    lang = ctx.lang
    if ctx.page.present:
        presentation_header(t("title", lang), lang)
    if ctx.selected.empty:
        st.warning(t("no_results", lang))
        st.button(t("reset", lang), on_click=state.reset_filters, key="reset_empty")
    chosen = tuple(d for d in ctx.page.filters.district if d != "none")
    fit = fit_districts(ctx.register.districts, chosen) if chosen else None
    if ctx.page.filters.q.strip():
        # A search zooms to what it found.
        fit = fit_works(ctx.selected) or fit
    highlight = chosen[0] if len(chosen) == 1 else None

    def build() -> folium.Map:
        return project_map(
            ctx.selected, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, fit=fit,
            highlight_district=highlight, large=ctx.page.present,
        )  # fmt: skip

    # Everything the map is drawn from (the basemap by its file's state, the assets by setting).
    state_key = repr(
        (
            ctx.register.version,
            ctx.page.filters,
            lang,
            fit,
            highlight,
            ctx.page.present,
            ctx.tiles,
            bool(ctx.basemap),
            mtime(ctx.settings.basemap),
            ctx.settings.map_assets,
        )
    )
    if ctx.page.present:
        show_shared_map(state_key, build, key="main_map", height=PRESENT_MAP_HEIGHT)
    else:
        # The report's structure beside the map (above it on a phone, collapsed there).
        left, right = st.columns([1, 2.5])
        with left:
            meta = ctx.register.metadata
            titles_key = (
                str(ctx.settings.report),
                mtime(ctx.settings.report),
                str(meta.get("source_sha256") or ""),
            )
            titles = report_titles(*titles_key)
            render_shared_structure(ctx, titles, repr(titles_key))
        with right:
            show_shared_map(state_key, build, key="main_map", height=620)
    if ctx.register.districts.empty:
        st.info(tm("districts_missing", lang, path=ctx.settings.districts))
    if not ctx.basemap and not ctx.tiles:
        st.caption(t("basemap_missing", lang))
    if ctx.selected.empty:
        return
    render_lists(ctx)
