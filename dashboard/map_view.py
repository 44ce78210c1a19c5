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

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
import streamlit as st
from branca.element import Element
from folium.map import LayerControl
from folium.plugins import Fullscreen
from folium.template import Template
from shapely.geometry import GeometryCollection

from dashboard import folium_component, state
from dashboard.assets.offline import prepare_assets
from dashboard.data import mtime
from dashboard.escaping import html_text
from dashboard.filters import FilterState
from dashboard.i18n import (
    Lang,
    display_name,
    t,
    tm,
)
from dashboard.map_elements import (
    WORKS_TOKEN,
    Attribution,
    DataLayer,
    MapControl,
    TouchScroll,
    WorkGroup,
    WorkLayers,
    collection_json,
    compact_json,
    work_groups,
    works_calls,
)
from dashboard.map_features import (
    district_features,
    legend_html,
    project_features,
    record_features,
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
    HIGHLIGHT_DISTRICT_STYLE,
    LARGE_MAP_CSS,
)
from dashboard.tables import unlocated_frame
from dashboard.works_list import compose_works_list, show_works_list, sort_by_name, work_items
from works.settings import OSM_ATTRIBUTION

PLOVDIV_CENTER = (42.1426, 24.7496)
MAX_ZOOM = 19
#: Presentation mode: the map fills a 1920×1080 screen under a one-line header.
PRESENT_MAP_HEIGHT = 900

# Points become awesome-markers built from the feature's own properties.


@dataclass(frozen=True)
class SearchPin:
    """A searched place drawn on the map with its search radius."""

    lat: float
    lon: float
    label: str
    radius_m: float


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
        "outlines": collection_json(
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
