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
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
import streamlit as st
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer, LayerControl
from folium.plugins import Fullscreen, MarkerCluster
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry import GeometryCollection, mapping
from shapely.geometry.base import BaseGeometry

from dashboard import folium_component, state
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
    status_text,
    t,
    tm,
)
from dashboard.page import ViewContext, filter_index, presentation_header
from dashboard.structure import (
    Outline,
    Titles,
    outline_tree,
    report_titles,
    show_structure,
    structure_html,
    structure_outline,
    tree_rows,
)
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
from dashboard.works_list import compose_works_list, show_works_list, sort_by_name, work_items
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
        features: list[dict[str, Any]] | str,
        name: str | None = None,
        *,
        interactive: bool = True,
        control: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "DataLayer"
        # A string is the FeatureCollection already serialised (:func:`compact_json`).
        self.data = (
            features
            if isinstance(features, str)
            else compact_json({"type": "FeatureCollection", "features": features})
        )
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
    status = f'<b style="color:{style.hex}">{e(status_text(row["status"], row["status_scope"], lang))}</b>'
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
    return f"<b>{e(name)}</b><br>{e(status_text(row['status'], row['status_scope'], lang))} · {e(cats)}"


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


def record_features(row: Any, lang: Lang) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A located record's map features: one point feature per point (each clusters), and one
    feature for its lines and polygons however many parts they have (its popup shipped once)."""
    style = STATUS_STYLES.get(row["status"], STATUS_STYLES["unknown"])
    props = {
        "pid": row["id"],
        "status": row["status"],
        "title": row["name"],
        "tip": tooltip_html(row, lang),
        "pop": popup_html(row, lang),
    }
    points, others = _parts(row["geometry"])
    point_props = {
        **props,
        "marker": style.marker,
        "icon": CATEGORY_ICONS.get(row["category"], "circle-info"),
    }
    point_features = [{"type": "Feature", "properties": point_props, "geometry": mapping(p)} for p in points]
    if not others:
        return point_features, None
    shape = row["geometry"] if not points else others[0] if len(others) == 1 else GeometryCollection(others)
    polygonal = any(part.geom_type.endswith("Polygon") for part in others)
    lines = any(part.geom_type.endswith("LineString") for part in others)
    shape_style = {
        "color": style.hex,
        "weight": 5 if lines else 2,
        "opacity": 0.9,
        "fillColor": style.hex,
        "fillOpacity": 0.35 if polygonal else 0.0,
    }
    return point_features, {
        "type": "Feature",
        "properties": {**props, "style": shape_style},
        "geometry": mapping(shape),
    }


def project_features(records: pd.DataFrame, lang: Lang) -> dict[str, tuple[list[dict], list[dict]]]:
    """Per category: (point features, line/polygon features), ready for GeoJSON layers."""
    layers: dict[str, tuple[list[dict], list[dict]]] = {}
    for _, row in records[records["located"]].iterrows():
        points, shape = record_features(row, lang)
        point_list, shape_list = layers.setdefault(row["category"], ([], []))
        point_list.extend(points)
        if shape is not None:
            shape_list.append(shape)
    return layers


def _collection(features: Sequence[str]) -> str:
    """A FeatureCollection from features already serialised by :func:`compact_json` (the same
    text ``compact_json`` gives for the whole collection)."""
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


@dataclass(frozen=True)
class WorkGroup:
    """One category's overlay: its label in the layer control, and its features as
    FeatureCollection JSON (lines and polygons drawn as they are, points clustered)."""

    label: str
    shapes: str | None
    points: str | None


def work_groups(layers: Mapping[str, tuple[Sequence[str], Sequence[str]]], lang: Lang) -> list[WorkGroup]:
    """The overlays of serialised (point, shape) features per category, in the legend's order."""
    groups = []
    for category in [c for c in CATEGORIES if c in layers] + [c for c in layers if c not in CATEGORIES]:
        points, shapes = layers[category]
        icon = CATEGORY_ICONS.get(category, "circle-info")
        name = html_text(category_label(category, lang))
        label = f'<i class="fa fa-{icon}"></i> {name} ({len(points) + len(shapes)})'
        groups.append(
            WorkGroup(label, _collection(shapes) if shapes else None, _collection(points) if points else None)
        )
    return groups


_CLUSTER_OPTIONS = {"showCoverageOnHover": False, "maxClusterRadius": 40, "disableClusteringAtZoom": 17}
#: Stands for the works' script in a map built once and shared (:func:`map_skeleton`).
WORKS_TOKEN = "/*@@PV_WORKS@@*/"


def works_calls(groups: Sequence[WorkGroup]) -> str:
    """One line per overlay: the call of :func:`works_script`'s ``group`` with its data."""
    return "\n".join(
        f"            group({compact_json(g.label)}, {g.shapes or 'null'}, {g.points or 'null'});"
        for g in groups
    )


def works_script(calls: str, map_name: str, control_name: str) -> str:
    """The works' JavaScript: per category (a line of ``calls``, :func:`works_calls`) a feature
    group on the map, listed in the layer control, holding its lines/polygons and a marker
    cluster of its points."""
    return f"""        (function(map, control) {{
            var options = {{
                pointToLayer: {_POINT_TO_LAYER.js_code},
                onEachFeature: {_BIND_TEXTS.js_code},
                style: function(feature) {{ return feature.properties.style || {{}}; }},
                interactive: true
            }};
            function group(label, shapes, points) {{
                var layer = L.featureGroup();
                if (shapes) {{ L.geoJson(shapes, options).addTo(layer); }}
                if (points) {{
                    var cluster = L.markerClusterGroup({json.dumps(_CLUSTER_OPTIONS)});
                    L.geoJson(points, options).addTo(cluster);
                    cluster.addTo(layer);
                }}
                layer.addTo(map);
                control.addOverlay(layer, label);
            }}
{calls}
        }})({map_name}, {control_name});"""


class WorkLayers(JSCSSMixin, MacroElement):
    """The works on the map, one overlay per category (added to ``control``, after the layers
    the control was made with).

    Why one element with its own script rather than folium groups: the script is made from
    features serialised once per record (:func:`works_calls`), so a shared map
    (:func:`compose_map_args`) can put any filter state's works into a map built once.
    ``groups=None`` writes :data:`WORKS_TOKEN` instead of the calls.
    """

    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.script(this._parent.get_name(), this.control.get_name()) }}"
        "{% endmacro %}"
    )

    def __init__(self, groups: Sequence[WorkGroup] | None, control: LayerControl) -> None:
        super().__init__()
        self._name = "WorkLayers"
        self.groups = groups
        self.control = control

    def script(self, map_name: str, control_name: str) -> str:
        """The works' script (or the token) for the map and control variables given."""
        calls = WORKS_TOKEN if self.groups is None else works_calls(self.groups)
        return works_script(calls, map_name, control_name)


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


def district_features(districts: Any, lang: Lang, highlight: str | None) -> list[dict[str, Any]]:
    """The districts' outlines (unresolved area dashed grey; ``highlight`` emphasised)."""
    features = []
    for _, row in districts.iterrows():
        label = display_name(row["name"], row["name_en"], lang)
        if row["unresolved"]:
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
    return features


def _district_layer(districts: Any, lang: Lang, outlines: str) -> folium.FeatureGroup:
    """Outlines (``outlines``: their FeatureCollection JSON) and a label at each district's inner point."""
    group = folium.FeatureGroup(name=html_text(t("layer_districts", lang)))
    for _, row in districts.iterrows():
        html_label = html_text(display_name(row["name"], row["name_en"], lang))
        if row["unresolved"]:
            html_label += f"<br><small>({html_text(t('unresolved_district', lang))})</small>"
        point = row["geometry"].representative_point()
        css = "pv-district-label pv-unresolved" if row["unresolved"] else "pv-district-label"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="{css}">{html_label}</div>', class_name="pv-district-icon"),
            interactive=False,
        ).add_to(group)
    DataLayer(outlines, control=False).add_to(group)
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
    layers = {
        category: ([compact_json(f) for f in points], [compact_json(f) for f in shapes])
        for category, (points, shapes) in project_features(records, lang).items()
    }
    outlines = compact_json(
        {"type": "FeatureCollection", "features": district_features(districts, lang, highlight_district)}
    )
    return _map_frame(
        districts,
        lang,
        outlines=outlines,
        groups=work_groups(layers, lang),
        legend=legend_html(records, lang) if legend else None,
        box=fit or bounds_of(records, districts),
        basemap=basemap,
        tiles=tiles,
        search=search,
        large=large,
    )


def _map_frame(
    districts: Any,
    lang: Lang,
    *,
    outlines: str,
    groups: Sequence[WorkGroup] | None,
    legend: str | None,
    box: Any,
    basemap: dict[str, Any] | None,
    tiles: str | None,
    search: SearchPin | None,
    large: bool,
) -> folium.Map:
    """The map with its parts given: the district outlines' JSON, the works' overlays (None:
    :data:`WORKS_TOKEN`), the legend's HTML, the bounds to fit (tokens in a skeleton)."""
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
        _district_layer(districts, lang, outlines).add_to(m)
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
    if legend is not None:
        m.add_child(MapControl(legend))
    control = LayerControl(collapsed=True)
    m.add_child(control)
    m.add_child(WorkLayers(groups, control))
    Fullscreen(position="topleft").add_to(m)
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
    return folium_component.show(m, key, height, list(returned))


def component_args(m: folium.Map, key: str) -> dict[str, Any]:
    """What ``st_folium`` passes to its component for ``m`` on the vendored assets
    (``folium_component.component_args``; ``tests/test_folium_component.py`` checks it)."""
    prepare_assets(m)
    return folium_component.component_args(m, key)


# A shared map is a skeleton built once (folium, with tokens where a filter state's parts go)
# and per-record pieces serialised once per register version and language; a new filter state
# only selects pieces and joins strings. ``tests/test_shared_map.py`` checks the composition
# equals the map built from scratch.
_OUTLINES_TOKEN = "@@PV_DISTRICTS@@"
_LEGEND_TOKEN = "@@PV_LEGEND@@"
_BOUNDS_TOKEN = "@@PV_BOUNDS@@"
_TOJSON = Template("{{ value|tojson }}")  # the filter folium's templates write values with


def _tojson(value: Any) -> str:
    return _TOJSON.render(value=value)


_TOKENS = {
    WORKS_TOKEN: "works",
    _OUTLINES_TOKEN: "outlines",
    _tojson(_LEGEND_TOKEN): "legend",
    _tojson(_BOUNDS_TOKEN): "bounds",
}
_TOKEN_RE = re.compile("|".join(re.escape(token) for token in _TOKENS))


@dataclass(frozen=True)
class MapPieces:
    """What every filter state's map, structure and lists are made of, built once per register
    version and language (read only): the register's rows serialised one by one."""

    #: Per located row (by index): its category, point features and line/polygon feature (JSON).
    features: dict[Hashable, tuple[str, tuple[str, ...], str | None]]
    #: Per district: its name, its outline's feature JSON, and highlighted.
    outlines: tuple[tuple[str, str, str], ...]
    #: Per row: its item in the list under the map; the rows in the list's order.
    items: dict[Hashable, str]
    order: tuple[Hashable, ...]
    #: The table of the works not on the map, every row of the register (indexed like it).
    unlocated: pd.DataFrame
    outline: Outline


def map_pieces(records: pd.DataFrame, districts: Any, lang: Lang, label: Callable[[str], str]) -> MapPieces:
    """Serialise every row of the register once (:class:`MapPieces`)."""
    features: dict[Hashable, tuple[str, tuple[str, ...], str | None]] = {}
    for index, row in records[records["located"]].iterrows():
        points, shape = record_features(row, lang)
        features[index] = (
            row["category"],
            tuple(compact_json(p) for p in points),
            compact_json(shape) if shape is not None else None,
        )
    plain = district_features(districts, lang, None)
    outlines = tuple(
        (str(name), compact_json(normal), compact_json(lit))
        for name, normal, lit in zip(
            districts["name"] if len(districts) else [],
            plain,
            [{**f, "properties": {**f["properties"], "style": HIGHLIGHT_DISTRICT_STYLE}} for f in plain],
            strict=True,
        )
    )
    return MapPieces(
        features,
        outlines,
        work_items(records, lang, label),
        tuple(sort_by_name(records).index),
        unlocated_frame(records, lang),
        structure_outline(records),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def shared_pieces(
    _records: pd.DataFrame, _districts: Any, version: str, lang: Lang, _label: Callable[[str], str]
) -> MapPieces:
    """:func:`map_pieces` once per register ``version`` and language (shared: read only)."""
    del version  # cache key only
    return map_pieces(_records, _districts, lang, _label)


@dataclass(frozen=True)
class MapSkeleton:
    """A map's component arguments with its script cut at the tokens (:func:`map_skeleton`)."""

    args: dict[str, Any]
    #: The script's text between tokens, and the part each token stands for.
    segments: tuple[str, ...]
    parts: tuple[str, ...]


def map_skeleton(
    districts: Any,
    lang: Lang,
    key: str,
    *,
    basemap: dict[str, Any] | None,
    tiles: str | None,
    has_box: bool,
    large: bool,
) -> MapSkeleton:
    """The main map with tokens for the works, the district outlines, the legend and the bounds."""
    m = _map_frame(
        districts,
        lang,
        outlines=_OUTLINES_TOKEN,
        groups=None,
        legend=_LEGEND_TOKEN,
        box=_BOUNDS_TOKEN if has_box else None,
        basemap=basemap,
        tiles=tiles,
        search=None,
        large=large,
    )
    args = component_args(m, key)
    script = args["script"]
    segments, parts, start = [], [], 0
    for match in _TOKEN_RE.finditer(script):
        segments.append(script[start : match.start()])
        parts.append(_TOKENS[match.group()])
        start = match.end()
    segments.append(script[start:])
    return MapSkeleton(args, tuple(segments), tuple(parts))


@st.cache_resource(show_spinner=False, max_entries=32)
def shared_skeleton(
    _districts: Any,
    state_key: str,
    lang: Lang,
    key: str,
    _basemap: dict[str, Any] | None,
    tiles: str | None,
    has_box: bool,
    large: bool,
) -> MapSkeleton:
    """:func:`map_skeleton` once per ``state_key`` (the register's version, the basemap's file,
    the assets' setting) and view options (shared: read only)."""
    del state_key  # cache key only
    return map_skeleton(_districts, lang, key, basemap=_basemap, tiles=tiles, has_box=has_box, large=large)


def compose_map_args(
    skeleton: MapSkeleton,
    pieces: MapPieces,
    selected: pd.DataFrame,
    districts: Any,
    lang: Lang,
    key: str,
    *,
    fit: list[list[float]] | None = None,
    highlight_district: str | None = None,
) -> dict[str, Any]:
    """The component arguments of ``project_map(selected, …)``, from the skeleton and pieces:
    a selection and string joins, no folium."""
    layers: dict[str, tuple[list[str], list[str]]] = {}
    for index in selected.index[selected["located"].to_numpy(dtype=bool)]:
        category, points, shape = pieces.features[index]
        point_list, shape_list = layers.setdefault(category, ([], []))
        point_list.extend(points)
        if shape is not None:
            shape_list.append(shape)
    values = {
        "works": works_calls(work_groups(layers, lang)),
        "outlines": _collection(
            [lit if name == highlight_district else plain for name, plain, lit in pieces.outlines]
        ),
        "legend": _tojson(legend_html(selected, lang)),
        "bounds": _tojson(fit or bounds_of(selected, districts)),
    }
    script = skeleton.segments[0] + "".join(
        values[part] + segment for part, segment in zip(skeleton.parts, skeleton.segments[1:], strict=True)
    )
    return {**skeleton.args, "script": script, "key": folium_component.payload_key(script, key)}


def show_shared_map(args: dict[str, Any], key: str, height: int = 620) -> None:
    """The main map (it returns nothing) from component arguments shared across sessions."""
    folium_component.mount(args, key, height)


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_map_args(
    state_key: str, _skeleton: MapSkeleton, _pieces: MapPieces, _selected: pd.DataFrame, _districts: Any,
    lang: Lang, key: str, _fit: list[list[float]] | None, _highlight: str | None,
) -> dict[str, Any]:  # fmt: skip
    """:func:`compose_map_args` once per ``state_key`` (everything the map is drawn from)."""
    del state_key  # cache key only
    return compose_map_args(
        _skeleton, _pieces, _selected, _districts, lang, key, fit=_fit, highlight_district=_highlight
    )


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_structure(
    _records: pd.DataFrame, _outline: Outline, _rows: np.ndarray, state_key: str, _filters: FilterState,
    _titles: Titles, lang: Lang,
) -> tuple[str, frozenset[str]]:  # fmt: skip
    """The report's structure as HTML and the rows it draws, once per state (read only).

    ``state_key`` names the register's version, the filters and the report's titles; the
    outline is the register's (once per version), ``_rows`` the rows the other filters pass.
    """
    del _records, state_key  # cache key only
    tree = outline_tree(_outline, _rows, _filters, _titles)
    return structure_html(tree, _filters, lang), tree_rows(tree)


def render_shared_structure(ctx: ViewContext, pieces: MapPieces, titles: Titles, titles_key: str) -> None:
    """``structure.render_structure`` with its outline shared per register version and its HTML
    per state."""
    filters = ctx.page.filters
    state_key = repr((ctx.register.version, filters, titles_key, ctx.lang))
    others = filters.with_values("priority", ()).with_values("measure", ()).with_values("goal", ())
    rows = filter_index(ctx.register, ctx.register.version).mask(others)
    html, valid = shared_structure(
        ctx.register.records, pieces.outline, rows, state_key, filters, titles, ctx.lang
    )
    show_structure(html, valid)


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_works_list(_pieces: MapPieces, _located: pd.DataFrame, state_key: str) -> str:
    """The list of the works on the map as HTML, once per state (``state_key``: the register's
    version, the filters, the language), joined from the pieces' items."""
    del state_key  # cache key only
    chosen = set(_located.index)
    return compose_works_list(_pieces.items, (i for i in _pieces.order if i in chosen))


@st.cache_resource(show_spinner=False, max_entries=256)
def shared_unlocated(_pieces: MapPieces, _rows: pd.DataFrame, state_key: str) -> pd.DataFrame:
    """The table of the works not on the map, once per state (read only): the pieces' rows."""
    del state_key  # cache key only
    return _pieces.unlocated.loc[_rows.index]


def render_lists(ctx: ViewContext, pieces: MapPieces) -> None:
    """``works_list.render_works_list`` and ``tables.render_unlocated`` (same elements, same
    order), their HTML and table shared across sessions."""
    lang = ctx.lang
    state_key = repr((ctx.register.version, ctx.page.filters, lang))
    located = ctx.selected[ctx.selected["located"]]
    st.subheader(t("on_map_title", lang, n=len(located)))
    if not located.empty:
        st.caption(t("on_map_hint", lang))
        show_works_list(shared_works_list(pieces, located, state_key))
    rows = ctx.selected[~ctx.selected["located"]]
    city = int((rows["unlocated_reason"] == "city_wide").sum())
    st.subheader(t("unlocated_title", lang, n=len(rows), city=city))
    if rows.empty:
        st.caption(t("unlocated_none", lang))
        return
    table = shared_unlocated(pieces, rows, state_key)
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
    register = ctx.register
    pieces = shared_pieces(register.records, register.districts, register.version, lang, ctx.district_label)
    # Everything the map is drawn from (the basemap by its file's state, the assets by setting).
    frame_key = repr(
        (register.version, ctx.tiles, bool(ctx.basemap), mtime(ctx.settings.basemap), ctx.settings.map_assets)
    )
    has_box = bool(fit or bounds_of(ctx.selected, register.districts))
    skeleton = shared_skeleton(
        register.districts, frame_key, lang, "main_map", ctx.basemap, ctx.tiles, has_box, ctx.page.present
    )
    state_key = repr((frame_key, ctx.page.filters, lang, fit, highlight, ctx.page.present, has_box))
    args = shared_map_args(
        state_key, skeleton, pieces, ctx.selected, register.districts, lang, "main_map", fit, highlight
    )
    height = PRESENT_MAP_HEIGHT if ctx.page.present else 620
    if ctx.page.present:
        show_shared_map(args, key="main_map", height=height)
    else:
        # The report's structure beside the map (above it on a phone, collapsed there).
        left, right = st.columns([1, 2.5])
        with left:
            meta = register.metadata
            titles_key = (
                str(ctx.settings.report),
                mtime(ctx.settings.report),
                str(meta.get("source_sha256") or ""),
            )
            titles = report_titles(*titles_key)
            render_shared_structure(ctx, pieces, titles, repr(titles_key))
        with right:
            show_shared_map(args, key="main_map", height=height)
    if ctx.register.districts.empty:
        st.info(tm("districts_missing", lang, path=ctx.settings.districts))
    if not ctx.basemap and not ctx.tiles:
        st.caption(t("basemap_missing", lang))
    if ctx.selected.empty:
        return
    render_lists(ctx, pieces)
