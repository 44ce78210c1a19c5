"""Planners' view: where the works are, per district and per km², and what is stuck.

Why per km² and road length: districts differ fivefold in area, so raw counts favour the big
ones; road works are better compared by length than by number. Lengths are measured in
EPSG:32635 after clipping each line to each district, so a boulevard crossing two districts
counts in both by the part inside each. A record in several districts counts once in each
(the page says so). The unlocated and city-wide records are always listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from folium.plugins import Fullscreen
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from dashboard import pinning, state, upload
from dashboard.data import NO_DISTRICT
from dashboard.escaping import html_text
from dashboard.i18n import CATEGORIES, STATUSES, Lang, category_label, status_label, t, tm
from dashboard.map_elements import Attribution, DataLayer, MapControl
from dashboard.map_view import (
    MAX_ZOOM,
    PLOVDIV_CENTER,
    basemap_layer,
    bounds_of,
    lean_assets,
    show_map,
)
from dashboard.page import ViewContext
from dashboard.styles import BASE_CSS, CHOROPLETH_RAMP, STATUS_STYLES, UNRESOLVED_STYLE
from dashboard.tables import render_unlocated, works_table
from geo.projection import METRIC_CRS, STORAGE_CRS
from works.settings import OSM_ATTRIBUTION

if TYPE_CHECKING:
    import altair as alt

METRICS: tuple[str, ...] = ("metric_count", "metric_density", "metric_road_km")
#: Lines closer than this are one street (the road length counts it once).
SAME_STREET_M = 15.0


def explode_districts(records: pd.DataFrame) -> pd.DataFrame:
    """One row per (record, district); records with no district get :data:`NO_DISTRICT`."""
    rows = records.assign(district=records["map_districts"].map(lambda ds: list(ds) or [NO_DISTRICT]))
    return rows.explode("district")


def road_lengths(records: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Kilometres of road works per district (rows) and status (columns), clipped per district."""
    roads = records[records["located"] & records["categories"].map(lambda cs: "road" in cs)]
    if roads.empty or districts.empty:
        return pd.DataFrame(columns=list(STATUSES), dtype=float)
    lines = gpd.GeoDataFrame(
        {"status": roads["status"].to_numpy()}, geometry=list(roads["geometry"]), crs=STORAGE_CRS
    ).to_crs(METRIC_CRS)
    lines["geometry"] = [
        g if g.geom_type in ("LineString", "MultiLineString") else _lines_of(g) for g in lines.geometry
    ]
    areas = districts[["name", "geometry"]].to_crs(METRIC_CRS)
    pieces = gpd.overlay(lines[~lines.geometry.is_empty], areas, how="intersection", keep_geom_type=True)
    if pieces.empty:
        return pd.DataFrame(columns=list(STATUSES), dtype=float)
    # Each metre of street once: two records of one road (one stalled, one planned) or two
    # parts of a record over the same street would count twice. Statuses in STATUSES order
    # (the most advanced first) claim the street; later ones get only what is left.
    rows: list[tuple[str, str, float]] = []
    for name, group in pieces.groupby("name"):
        taken: BaseGeometry | None = None
        for status in STATUSES:
            part = group[group["status"] == status]
            if part.empty:
                continue
            geom = shapely.union_all(list(part.geometry))
            if taken is not None:
                geom = geom.difference(taken)
            rows.append((str(name), status, geom.length / 1000))
            claimed = geom.buffer(SAME_STREET_M)
            taken = claimed if taken is None else taken.union(claimed)
    frame = pd.DataFrame(rows, columns=["name", "status", "km"])
    table = frame.pivot_table(index="name", columns="status", values="km", aggfunc="sum", fill_value=0.0)
    return table.reindex(columns=[s for s in STATUSES if s in table.columns]).round(2)


def _lines_of(geom: BaseGeometry) -> MultiLineString:
    """The line parts of a mixed geometry (points and polygons have no road length)."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("LineString", "MultiLineString")]
    flat = [p for g in parts for p in getattr(g, "geoms", [g])]
    return MultiLineString(flat)


def district_stats(records: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per district: projects, area, projects per km², road-work km (all districts listed)."""
    counts = explode_districts(records)["district"].value_counts()
    stats = districts.set_index("name")[["area_km2"]].copy()
    stats["count"] = [int(counts.get(name, 0)) for name in stats.index]
    stats["per_km2"] = (stats["count"] / stats["area_km2"]).round(2)
    roads = road_lengths(records, districts)
    stats["road_km"] = [float(roads.loc[name].sum()) if name in roads.index else 0.0 for name in stats.index]
    stats["road_km"] = stats["road_km"].round(2)
    return stats


def district_category_table(records: pd.DataFrame, lang: Lang, label: Callable[[str], str]) -> pd.DataFrame:
    """Districts × categories counts, with totals (a record counts in each of its categories)."""
    rows = explode_districts(records).explode("categories")
    if rows.empty:
        return pd.DataFrame()
    table = pd.crosstab(rows["district"], rows["categories"])
    table = table.reindex(columns=[c for c in CATEGORIES if c in table.columns])
    table.columns = [category_label(c, lang) for c in table.columns]
    table.index = [label(d) for d in table.index]
    table[t("total", lang)] = explode_districts(records).groupby("district").size().rename(index=label)
    return table


def _bins(values: pd.Series) -> list[float]:
    """Upper bounds of five equal classes from 0 to the maximum."""
    top = float(values.max()) if len(values) and values.max() > 0 else 1.0
    return [top * (i + 1) / len(CHOROPLETH_RAMP) for i in range(len(CHOROPLETH_RAMP))]


def _colour(value: float, bins: list[float]) -> str:
    for colour, upper in zip(CHOROPLETH_RAMP, bins, strict=True):
        if value <= upper:
            return colour
    return CHOROPLETH_RAMP[-1]


def choropleth_map(ctx: ViewContext, stats: pd.DataFrame, metric: str) -> folium.Map:
    """Districts filled by ``metric`` (own colour ramp: branca colormaps need d3 from a CDN)."""
    lang = ctx.lang
    column = {"metric_count": "count", "metric_density": "per_km2", "metric_road_km": "road_km"}[metric]
    districts = ctx.register.districts
    m = folium.Map(location=PLOVDIV_CENTER, zoom_start=12, tiles=None, maxZoom=MAX_ZOOM, zoomSnap=0.25)
    m.get_root().header.add_child(  # type: ignore[attr-defined]  # folium: Figure, typed Element
        folium.Element(BASE_CSS)
    )
    if ctx.basemap:
        basemap_layer(ctx.basemap, lang).add_to(m)
    m.add_child(Attribution(html_text(OSM_ATTRIBUTION)))  # the districts are OSM data too
    resolved = stats.loc[[n for n in stats.index if not _unresolved(districts, n)], column]
    bins = _bins(resolved)
    features = []
    for _, row in districts.iterrows():
        value = float(stats.loc[row["name"], column])
        label = ctx.district_label(row["name"])
        tip = f"<b>{html_text(label)}</b><br>{html_text(t(metric, lang))}: {value:g}"
        style = (
            UNRESOLVED_STYLE
            if row["unresolved"]
            else {"color": "#333", "weight": 2, "fillColor": _colour(value, bins), "fillOpacity": 0.75}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"district": row["name"], "tip": tip, "style": style},
                "geometry": row["geometry"].__geo_interface__,
            }
        )
    DataLayer(features, control=False).add_to(m)
    for _, row in districts.iterrows():
        point = row["geometry"].representative_point()
        text = f"{html_text(ctx.district_label(row['name']))}<br>{float(stats.loc[row['name'], column]):g}"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div class="pv-district-label">{text}</div>', class_name="pv-district-icon"
            ),
            interactive=False,
        ).add_to(m)
    lower = 0.0
    legend = [f"<b>{html_text(t(metric, lang))}</b>"]
    for colour, upper in zip(CHOROPLETH_RAMP, bins, strict=True):
        legend.append(f'<i class="pv-swatch" style="background:{colour}"></i>{lower:.3g} – {upper:.3g}')
        lower = upper
    m.add_child(MapControl("<br>".join(legend)))
    box = bounds_of(ctx.selected, districts)
    if box:
        m.fit_bounds(box)
    Fullscreen(position="topleft").add_to(m)
    return lean_assets(m)


def _unresolved(districts: gpd.GeoDataFrame, name: str) -> bool:
    match = districts[districts["name"] == name]
    return bool(len(match) and match["unresolved"].iloc[0])


def comparable(rows: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """(record, district) rows of real districts only: not "no district" (mostly city-wide
    works, a bar that dwarfs every district) and not the boundary gap, which is no district."""
    real = set(districts.loc[~districts["unresolved"].astype(bool), "name"]) if len(districts) else set()
    return rows[rows["district"].isin(real)]


def status_chart(
    records: pd.DataFrame, lang: Lang, label: Callable[[str], str], districts: gpd.GeoDataFrame
) -> alt.Chart:
    """Projects per district, stacked by status in the map's status colours (districts only).

    Altair is imported here: only the planners' summary draws a chart, and the import costs the
    first page of every other view after a restart."""
    import altair as alt

    rows = comparable(explode_districts(records), districts)
    data = rows.groupby(["district", "status"]).size().reset_index(name="n")
    data["district"] = data["district"].map(label)
    data["status"] = data["status"].map(lambda s: status_label(s, lang))
    present = [s for s in STATUSES if s in set(rows["status"])]
    domain = [status_label(s, lang) for s in present]
    colours = [STATUS_STYLES[s].hex for s in present]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("district:N", title=t("district", lang), sort="-y"),
            y=alt.Y("n:Q", title=t("count", lang)),
            color=alt.Color(
                "status:N", title=t("status", lang), scale=alt.Scale(domain=domain, range=colours)
            ),
            tooltip=["district", "status", "n"],
        )
    )


def render_hidden(hidden: pd.DataFrame, lang: Lang) -> None:
    """Records a reviewer took off the map (not works, duplicates): listed, never dropped."""
    st.subheader(t("hidden_title", lang, n=len(hidden)))
    if hidden.empty:
        return
    table = pd.DataFrame(
        {
            t("name", lang): hidden["name"],
            t("review_not_work", lang): hidden["not_work"],
            t("review_merge_into", lang): hidden["merged_into"],
            t("measure", lang): hidden["measure"],
            t("line", lang): hidden["source_line"],
            "key": hidden["key"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="hidden_records")


def render(ctx: ViewContext) -> None:
    """Choropleth, district tables and charts, stalled works, unlocated list, pins, uploads."""
    lang = ctx.lang
    records = ctx.selected
    districts = ctx.register.districts
    if districts.empty:
        st.info(tm("districts_missing", lang, path=ctx.settings.districts))
    else:
        stats = district_stats(records, districts)
        st.session_state.setdefault("pmetric", METRICS[0])
        metric = state.stateful(
            st.segmented_control,
            "pmetric",
            [lang],
            label=t("choropleth_metric", lang),
            options=list(METRICS),
            format_func=lambda code: t(code, lang),
            required=True,
        )
        show_map(choropleth_map(ctx, stats, metric), key="choropleth", height=480)
        st.caption(t("multi_district_note", lang))
        table = stats.rename_axis(t("district", lang)).rename(
            index=ctx.district_label,
            columns={
                "count": t("metric_count", lang),
                "area_km2": t("area_km2", lang),
                "per_km2": t("per_km2", lang),
                "road_km": t("metric_road_km", lang),
            },
        )
        st.dataframe(table, width="stretch", key="district_stats")
        st.altair_chart(status_chart(records, lang, ctx.district_label, districts), width="stretch")
        exploded = explode_districts(records)
        gap_names = set(districts.loc[districts["unresolved"].astype(bool), "name"])
        outside = exploded[exploded["district"].isin(gap_names | {NO_DISTRICT})]
        st.caption(
            t(
                "chart_districts_only",
                lang,
                none=int((outside["district"] == NO_DISTRICT).sum()),
                gap=int((outside["district"] != NO_DISTRICT).sum()),
            )
        )
        roads = road_lengths(records, districts)
        st.subheader(t("road_length", lang))
        if not roads.empty:
            st.dataframe(
                roads.rename_axis(t("district", lang))
                .rename(index=ctx.district_label, columns=lambda s: status_label(s, lang))
                .rename_axis(columns=None),
                width="stretch",
                key="road_lengths",
            )
    st.subheader(t("district_category", lang))
    st.dataframe(
        district_category_table(records, lang, ctx.district_label), width="stretch", key="district_category"
    )
    st.subheader(t("stalled_title", lang))
    stalled = records[records["status"] == "stalled"]
    if stalled.empty:
        st.caption(t("stalled_none", lang))
    else:
        by_district = (
            comparable(explode_districts(stalled), districts)
            .groupby("district")
            .size()
            .rename(index=ctx.district_label)
        )
        st.bar_chart(by_district, color=STATUS_STYLES["stalled"].hex, horizontal=True)
        st.dataframe(works_table(stalled, lang), hide_index=True, width="stretch", key="stalled_works")
    render_unlocated(records, lang)
    render_hidden(ctx.register.hidden, lang)
    pinning.render(ctx)
    upload.render(ctx)
