"""What a work looks like on the map: its popup, tooltip, features, and the legend.

Why a module of its own: the popup and tooltip are the public face of a record, built from
the report's text, so they are escaped here, in one place (``escaping.html_text``), and the
features carry them pre-escaped. ``map_view`` only assembles maps from these.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from shapely.geometry import GeometryCollection, mapping
from shapely.geometry.base import BaseGeometry

from dashboard.escaping import html_text
from dashboard.i18n import (
    STATUSES,
    Lang,
    category_label,
    display_name,
    precision_label,
    review_label,
    status_label,
    status_text,
    t,
)
from dashboard.styles import (
    CATEGORY_ICONS,
    DISTRICT_STYLE,
    HIGHLIGHT_DISTRICT_STYLE,
    STATUS_STYLES,
    UNRESOLVED_STYLE,
)
from geocoding.normalize import transliterate

GOAL_CHARS = 220

_MANUAL_RE = re.compile(r"manual correction #(\d+) by .*? at (\d{4}-\d{2}-\d{2})\S*")


#: A popup names this many OSM objects of a work's geometry; the rest are counted.
_SOURCES_SHOWN = 2


def public_source(source: str, lang: Lang) -> str:
    """The geocode source as the public sees it: a pin says when, never who (in ``lang``).

    A street drawn from twenty OSM ways is two ids and a count in a popup (the full list is in
    the exports and the planners' tables): a resident needs to know the geometry is OSM's,
    not every way of it.
    """
    shown = _MANUAL_RE.sub(lambda m: t("manual_source", lang, id=m.group(1), date=m.group(2)), source)
    parts = [p.strip() for p in shown.split(";") if p.strip()]
    if len(parts) <= _SOURCES_SHOWN + 1:
        return shown
    first = "; ".join(parts[:_SOURCES_SHOWN])
    return t("more_sources", lang, first=first, n=len(parts) - _SOURCES_SHOWN)


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
