"""The review screen's location picker: an OSM object or a street segment, previewed, then saved.

Why through the geocoder: a reviewer's decision stores *places*, and the build locates them
again at every rebuild. Typing a place as text ("ул. „Кукуш“") works only if the text is
what the geocoder knows; here the planner searches the gazetteer itself (name and kind,
Cyrillic or Latin, a typo allowed: ``geocoding.picker``), sees each candidate's kind, OSM
object and district, may cut a street between two of its cross streets, and sees on a small
map the geometry the build's resolver gives for exactly the places that will be stored, with
its precision and approximations. Only then is the place saved, as an ``edit`` decision of
``places`` (``dashboard.review`` stores it with the planner, time and reason).

Every name shown comes from OSM or the report, so it goes through ``escaping`` (``md_text``)
or a widget label (plain text), never raw HTML.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.data import load_picker, mtime, record_row
from dashboard.escaping import md_text
from dashboard.i18n import Lang, object_kind_label, precision_label, t, tm
from dashboard.map_view import project_map, show_map
from dashboard.page import ViewContext
from geocoding.picker import PICKABLE_KINDS, Candidate, PickError, PlacePicker
from geocoding.resolve import RecordGeocode
from works.model import WorkRecord

__all__ = ["candidate_label", "pick_location"]

#: Flags are shown by their code only (their notes are for the build's log).
_MAX_FLAGS = 6


def candidate_label(c: Candidate, lang: Lang) -> str:
    """One line per candidate: name · kind · OSM object (+ how many more) · district."""
    more = f" +{len(c.osm) - 1}" if len(c.osm) > 1 else ""
    osm = (c.osm[0] if c.osm else "—") + more
    return f"{c.label} · {object_kind_label(c.kind, lang)} · {osm} · {c.district or '—'}"


def _picker(ctx: ViewContext) -> PlacePicker | None:
    gazetteer, districts = ctx.settings.gazetteer, ctx.settings.districts
    picker, why = load_picker(str(gazetteer), mtime(gazetteer), str(districts), mtime(districts))
    if picker is None:
        st.info(tm("loc_unavailable", ctx.lang, error=why))
    return picker


def _bounds(geojson: dict[str, Any] | None) -> list[list[float]] | None:
    if not geojson:
        return None
    from shapely.geometry import shape

    w, s, e, n = shape(geojson).bounds
    pad = 0.0015
    return [[s - pad, w - pad], [n + pad, e + pad]]


def _preview(ctx: ViewContext, record: WorkRecord, result: RecordGeocode) -> None:
    """The precision, sources, districts and flags the build will give, and a small map of it."""
    lang = ctx.lang
    location = result.to_location()
    st.markdown(f"**{tm('loc_preview', lang, precision=precision_label(result.precision, lang))}**")
    st.caption(
        tm(
            "loc_details",
            lang,
            sources=", ".join(result.sources[:4]) + (" …" if len(result.sources) > 4 else "") or "—",
            districts=", ".join(result.districts) or "—",
        )
    )
    codes = [f for f in result.flags if ":" not in f][:_MAX_FLAGS]
    if codes:
        st.caption(tm("loc_flags", lang, flags=", ".join(codes)))
    if location.geometry is None:
        st.warning(t("loc_not_located", lang))
        return
    preview = replace(record, location=location, districts=list(result.districts))
    row = pd.DataFrame([record_row(preview)])
    row["map_districts"] = [tuple(result.districts)]
    m = project_map(
        row,
        ctx.register.districts,
        lang,
        basemap=ctx.basemap,
        tiles=ctx.tiles,
        fit=_bounds(location.geometry),
        legend=False,
    )
    show_map(m, key=f"lmap_{record.key}", height=300)


def pick_location(ctx: ViewContext, record: WorkRecord) -> tuple[list[dict[str, Any]], str] | None:
    """Search, choose, preview; the places and the reason when the planner saves, else None."""
    lang, key = ctx.lang, record.key
    picker = _picker(ctx)
    if picker is None:
        return None
    left, right = st.columns([3, 1])
    query = left.text_input(t("loc_query", lang), max_chars=120, key=f"lq_{key}")
    kinds: list[str] = ["", *(str(k) for k in PICKABLE_KINDS)]
    kind = right.selectbox(
        t("loc_kind", lang),
        kinds,
        format_func=lambda k: object_kind_label(k, lang) if k else t("loc_any_kind", lang),
        key=f"lk_{key}",
    )
    if not query.strip():
        return None
    found = {c.row: c for c in picker.search(query, kind or None)}
    if not found:
        st.info(tm("loc_none_found", lang, q=query))
        return None
    row = st.selectbox(
        t("loc_candidate", lang),
        list(found),
        format_func=lambda r: candidate_label(found[r], lang),
        key=f"lc_{key}",
    )
    picked = found.get(row) if row is not None else None
    if picked is None:
        return None
    start = end = None
    if picked.is_road:
        cross = {c.row: c for c in picker.cross_streets(picked)}
        options: list[int | None] = [None, *cross]
        left, right = st.columns(2)
        whole = t("loc_whole", lang)
        first = left.selectbox(
            t("loc_from", lang),
            options,
            format_func=lambda r: candidate_label(cross[r], lang) if r is not None else whole,
            key=f"lf_{key}_{picked.row}",
        )
        second = right.selectbox(
            t("loc_to", lang),
            options,
            format_func=lambda r: candidate_label(cross[r], lang) if r is not None else whole,
            key=f"lt_{key}_{picked.row}",
        )
        start = cross.get(first) if first is not None else None
        end = cross.get(second) if second is not None else None
    keep = st.checkbox(t("loc_keep", lang), key=f"lkeep_{key}") if record.places else False
    try:
        place = picker.place(picked, start, end)
    except PickError as exc:
        st.error(md_text(exc))
        return None
    places = [*(p.as_dict() for p in record.places if keep), place]
    _preview(ctx, record, picker.preview(places, record.districts, record.name, record.source_text))
    reason = st.text_input(t("review_reason", lang), max_chars=500, key=f"lr_{key}")
    if st.button(t("loc_save", lang), key=f"ls_{key}", type="primary"):
        return places, reason
    return None
