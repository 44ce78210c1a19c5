"""Residents' view: my district, and "what is being done near this place?".

Why distances in metres: "within 500 m" must mean 500 m, so places and works are projected to
EPSG:32635 (``geo.projection``) and the distance is to the work's geometry (a street
segment's nearest point, not its middle). Places are found by the offline geocoder
(``geocoding.OfflineGeocoder``, a geopy Geocoder over the OSM gazetteer); while it is not
available the view says so and the rest of the page works. ``PLOVDIV_GEOCODER=module:factory``
swaps in another geocoder (the tests inject a fake one).
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from dashboard import state
from dashboard.escaping import md_text
from dashboard.i18n import status_label, t, tm
from dashboard.map_view import SearchPin, fit_districts, project_map, show_map
from dashboard.page import ViewContext
from dashboard.search import match_district
from dashboard.tables import works_table
from dashboard.works_list import render_works_list
from geo.projection import METRIC_CRS, STORAGE_CRS, to_metric

_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Place:
    """A geocoded place: its label, a point to centre on, and its shape when known."""

    label: str
    lat: float
    lon: float
    geometry: BaseGeometry


def _factory(spec: str) -> Any:
    """``module:attr`` → the attribute (a geocoder class or factory)."""
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "OfflineGeocoder")


@st.cache_resource(show_spinner=False)
def load_geocoder(spec: str, gazetteer: str) -> tuple[Any | None, str]:
    """(geocoder, "") or (None, why not): built once per process (the gazetteer index is big)."""
    try:
        factory = _factory(spec or "geocoding:OfflineGeocoder")
    except (ImportError, AttributeError) as exc:
        return None, str(exc)
    try:
        try:
            return factory(Path(gazetteer)), ""
        except TypeError:
            return factory(), ""
    except Exception as exc:  # noqa: BLE001 - any failure to build means "no search", said on the page
        return None, f"{type(exc).__name__}: {exc}"


def _raw_geometry(raw: Any) -> BaseGeometry | None:
    """A geometry the geocoder may return in ``raw`` (GeoJSON mapping or shapely)."""
    geom = raw.get("geometry") if isinstance(raw, dict) else None
    if isinstance(geom, BaseGeometry):
        return geom
    if isinstance(geom, dict):
        try:
            return shape(geom)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
    return None


# Streamlined System (2009) read backwards, longest letter groups first; a guess good enough
# for searching ("ul. Kukush" → "ул. Кукуш", "Kamenitsa" → "Каменица", "Trakia" → "Тракия").
_LATIN_TO_CYRILLIC: tuple[tuple[str, str], ...] = (
    ("sht", "щ"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("w", "в"), ("x", "кс"), ("c", "ц"),
    ("q", "к"), ("j", "й"),
)  # fmt: skip
_LATIN_RE = re.compile(r"[a-z]")
_WORD_END_IA = re.compile(r"иа$")
_WORD_RE = re.compile(r"[A-Za-z]+")
_ROMAN_RE = re.compile(r"[IVX]{1,5}")


def cyrillic_guess(query: str) -> str | None:
    """A Cyrillic spelling of a Latin query (None when the query has no Latin letters)."""
    if not _LATIN_RE.search(query.lower()):
        return None
    return _WORD_RE.sub(_word_to_cyrillic, query)


def _word_to_cyrillic(match: re.Match[str]) -> str:
    word = match.group(0)
    if _ROMAN_RE.fullmatch(word):  # regnal numbers stay: "Цар Борис III"
        return word
    lowered, out, i = word.lower(), [], 0
    while i < len(lowered):
        for latin, cyrillic in _LATIN_TO_CYRILLIC:
            if lowered.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(lowered[i])
            i += 1
    return _WORD_END_IA.sub("ия", "".join(out))


def _geocode(geocoder: Any, query: str) -> Any:
    try:
        location = geocoder.geocode(query)
    except Exception:  # noqa: BLE001 - a geocoder bug must not take the page down
        return None
    return (location[0] if location else None) if isinstance(location, list) else location


def find_place(geocoder: Any, query: str) -> Place | None:
    """Geocode ``query`` (a Latin query is tried in Cyrillic first); None when not found."""
    guess = cyrillic_guess(query)
    location = (_geocode(geocoder, guess) if guess else None) or _geocode(geocoder, query)
    if location is None:
        return None
    lat, lon = float(location.latitude), float(location.longitude)
    raw = getattr(location, "raw", {}) or {}
    label = str(raw.get("name") or getattr(location, "address", "") or query)
    return Place(label, lat, lon, _raw_geometry(raw) or Point(lon, lat))


def suggestions(geocoder: Any, query: str, limit: int = 3) -> list[str]:
    """Nearest names for a query that found nothing (a typo: "Кукущ" → "Кукуш"); [] if none.

    Uses the geocoder's ``suggest`` when it has one (the offline geocoder: rapidfuzz over the
    gazetteer's names); a Latin query is tried in Cyrillic first.
    """
    suggest = getattr(geocoder, "suggest", None)
    if not callable(suggest):
        return []
    for q in (cyrillic_guess(query), query):
        if not q:
            continue
        try:
            found = [str(n) for n in suggest(q, limit=limit)]
        except Exception:  # noqa: BLE001 - a geocoder bug must not take the page down
            return []
        if found:
            return found
    return []


def nearby(records: pd.DataFrame, place: Place, radius_m: float) -> pd.DataFrame:
    """Located works within ``radius_m`` of the place, nearest first, with ``distance_m``."""
    located = records[records["located"]]
    if located.empty:
        return located.assign(distance_m=pd.Series(dtype=float))
    works = gpd.GeoSeries(list(located["geometry"]), index=located.index, crs=STORAGE_CRS).to_crs(METRIC_CRS)
    distances = works.distance(to_metric(place.geometry))
    within = distances[distances <= radius_m]
    return located.loc[within.index].assign(distance_m=within.round(0)).sort_values(["distance_m", "id"])


def circle_bounds(lat: float, lon: float, radius_m: float) -> list[list[float]]:
    """The box around a circle (to fit the map on the search area, centred on the place)."""
    dlat = radius_m / _METRES_PER_DEGREE
    dlon = radius_m / (_METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return [[lat - dlat, lon - dlon], [lat + dlat, lon + dlon]]


def render(ctx: ViewContext) -> None:
    """My-district summary, place search with radius, the map centred there, nearby works."""
    lang = ctx.lang
    districts = ctx.register.districts
    # The boundary gap („Южен / Западен“) is not a district anyone lives in.
    names = list(districts.loc[~districts["unresolved"].astype(bool), "name"])
    left, middle, right = st.columns([1, 2, 1])
    with left:
        state.stateful(
            st.selectbox,
            "my",
            [lang, *names],
            label=t("my_district", lang),
            options=["", *names],
            format_func=lambda n: ctx.district_label(n) if n else t("choose", lang),
        )
    with middle:
        state.stateful(
            st.text_input, "place", [lang], label=t("place_search", lang), max_chars=state.MAX_PLACE
        )
    with right:
        state.stateful(
            st.select_slider,
            "radius",
            [lang],
            label=t("radius", lang),
            options=list(state.RADII),
            format_func=lambda r: f"{r} m" if r < 1000 else f"{r / 1000:g} km",
        )
    page = state.current()
    selected = ctx.selected
    pin: SearchPin | None = None
    close: pd.DataFrame | None = None
    found_district: str | None = None
    query = page.place.strip()
    if query:
        geocoder, why = load_geocoder(ctx.settings.geocoder, str(ctx.settings.gazetteer))
        place = find_place(geocoder, query) if geocoder is not None else None
        if place is None:
            # A district by its name ("жк Тракия", "rayon Trakia"): the register knows them all.
            districts = ctx.register.districts
            resolved = districts[~districts["unresolved"].astype(bool)]
            found_district = match_district(query, zip(resolved["name"], resolved["name_en"], strict=True))
        if place is not None:
            st.success(tm("place_found", lang, name=place.label))
            pin = SearchPin(place.lat, place.lon, place.label, page.radius)
            close = nearby(selected, place, page.radius)
        elif found_district:
            st.success(tm("place_found", lang, name=ctx.district_label(found_district)))
        elif geocoder is None:
            st.info(tm("geocoder_missing", lang, error=why))
        else:
            st.warning(tm("place_not_found", lang, q=query))
            close_names = suggestions(geocoder, query)
            if close_names:
                st.caption(t("did_you_mean", lang) + ", ".join(f"„{md_text(n)}“" for n in close_names))
    fit = circle_bounds(pin.lat, pin.lon, pin.radius_m) if pin else None
    area = found_district or page.my
    if fit is None and area:
        fit = fit_districts(ctx.register.districts, (area,))
    m = project_map(
        selected, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, fit=fit,
        highlight_district=area or None, search=pin,
    )  # fmt: skip
    show_map(m, key="residents_map", height=520)
    if found_district:
        inside = selected[selected["map_districts"].map(lambda ds: found_district in ds)]
        st.subheader(tm("in_my_district", lang, d=ctx.district_label(found_district), n=len(inside)))
        render_works_list(inside, lang, ctx.district_label)
    if close is not None and pin is not None:
        if close.empty:
            st.caption(t("nearby_none", lang, r=page.radius))
        else:
            st.subheader(tm("nearby", lang, n=len(close), r=page.radius, q=pin.label))
            st.dataframe(
                works_table(close, lang, with_distance=True), hide_index=True, width="stretch", key="nearby"
            )
    if page.my:
        mine = selected[selected["map_districts"].map(lambda ds: page.my in ds)]
        st.subheader(tm("in_my_district", lang, d=ctx.district_label(page.my), n=len(mine)))
        counts = mine["status"].value_counts()
        cols = st.columns(max(len(counts), 1))
        for col, (status, n) in zip(cols, counts.items(), strict=False):
            col.metric(status_label(str(status), lang), int(n))
        st.dataframe(works_table(mine, lang), hide_index=True, width="stretch", key="my_district_works")
