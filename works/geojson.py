"""The register's GeoJSON schema: work records to and from features, validated.

Why here: the register file is the contract between the build and everything that reads it
(the dashboard, exports, other cities' tools). Its fields, their order and their checks live
in one place, so a reader never re-checks which properties exist and a writer cannot publish
a record the readers would reject. Output is deterministic (same records → same bytes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from works.errors import PlovdivError
from works.files import atomic_write_text
from works.model import (
    Category,
    Location,
    Place,
    PlaceKind,
    Precision,
    ReviewState,
    Status,
    StatusScope,
    WorkRecord,
)

__all__ = [
    "FIELDS",
    "Register",
    "RegisterError",
    "dumps",
    "feature_collection",
    "from_feature",
    "read_register",
    "to_feature",
    "to_properties",
    "write_register",
]

#: The published properties, in order, with their meaning (the README's table is this one).
FIELDS: dict[str, str] = {
    "id": "display id `m<measure>-l<line>-<n>`; readable, may change when text moves",
    "key": "stable identity `w-<hash>` of the work's own words; corrections are stored against it",
    "name": "short Bulgarian title of the work",
    "categories": "what the work is: road, park, school, camera, sport, water, parking, health, "
    "social, culture, waste, lighting, transport, planning, other",
    "status": "latest stage reached: completed, in_progress, procurement, design, planned, stalled",
    "priority": "programme priority 1–3",
    "measure": "programme measure `1.1` … `3.6`",
    "goal": "the goal line the work is reported under",
    "goal_line": "its 1-based report line",
    "source_line": "1-based report line the record comes from",
    "source_text": "the sentence (or goal — sentence) the record comes from",
    "status_evidence": "the phrase that decided the status (empty when none was found)",
    "status_scope": "where that phrase was: clause, sentence, paragraph, goal, list, default",
    "places": "place mentions `{text, kind, name}` (+ `between` of a segment, `streets` of a "
    "block or junction)",
    "districts": "districts the text names plus those the geometry lies in",
    "city_wide": "true when the work names no place and no district",
    "years": "the year(s) the text states for the work (empty when none)",
    "precision": "facility, segment, street, area, neighbourhood, manual, district, city, none",
    "geocode_score": "0–100, the weakest name match used; null without geometry",
    "geocode_source": "the OSM objects (`way/…`, `node/…`, `relation/…`) or the rule or manual "
    "correction the geometry comes from",
    "geocode_matched": "the OSM names matched",
    "geocode_flags": "approximations taken (`segment_approx`, `block_hull`, …)",
    "district_approximate": "true when the district comes from the text or the nearer district "
    "because the extract lacks the boundary",
    "corrected": "present and true when a planner's correction set the location",
    "correction_id": "the correction applied (its id in the corrections store)",
    "review": "machine (not reviewed), reviewed (confirmed as extracted), corrected (a field "
    "changed by a reviewer, or a part of a split record) or added (missed by the extractor)",
    "reviewed_by": "who made the latest review decision (empty for machine records)",
    "reviewed_at": "when (UTC, ISO 8601)",
    "not_work": "present when a reviewer decided this is not a work: the reason (off the map)",
    "merged_into": "present when a reviewer merged this record into another work: its key",
}

_E = TypeVar("_E", bound=StrEnum)


class RegisterError(PlovdivError):
    """The register file or one of its features cannot be used; the message is one line."""


@dataclass(frozen=True)
class Register:
    """A register as read from disk: its records and the collection's metadata."""

    records: list[WorkRecord]
    metadata: dict[str, Any]


def to_properties(record: WorkRecord) -> dict[str, Any]:
    """A record's Feature properties, in :data:`FIELDS` order (geocoding fields only once set)."""
    props: dict[str, Any] = {
        "id": record.id,
        "key": record.key,
        "name": record.name,
        "categories": [str(c) for c in record.categories],
        "status": str(record.status),
        "priority": record.priority,
        "measure": record.measure,
        "goal": record.goal,
        "goal_line": record.goal_line,
        "source_line": record.source_line,
        "source_text": record.source_text,
        "status_evidence": record.status_evidence,
        "status_scope": str(record.status_scope),
        "places": [p.as_dict() for p in record.places],
        "districts": list(record.districts),
        "city_wide": record.city_wide,
        "years": list(record.years),
    }
    loc = record.location
    if loc is not None:
        props.update(
            precision=str(loc.precision),
            geocode_score=loc.score,
            geocode_source=list(loc.sources),
            geocode_matched=list(loc.matched),
            geocode_flags=list(loc.flags),
            district_approximate=loc.district_approximate,
        )
        if loc.correction_id is not None:
            props.update(corrected=True, correction_id=loc.correction_id)
    props.update(review=str(record.review), reviewed_by=record.reviewed_by, reviewed_at=record.reviewed_at)
    if record.not_work:
        props["not_work"] = record.not_work
    if record.merged_into:
        props["merged_into"] = record.merged_into
    return props


def to_feature(record: WorkRecord) -> dict[str, Any]:
    """A record as a GeoJSON Feature (``id`` = the display id, as before keys existed)."""
    geometry = record.location.geometry if record.location is not None else None
    return {"type": "Feature", "id": record.id, "geometry": geometry, "properties": to_properties(record)}


def feature_collection(
    records: Iterable[WorkRecord], metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The register as a FeatureCollection (``metadata`` first, as published)."""
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    if metadata:
        fc["metadata"] = dict(metadata)
    fc["features"] = [to_feature(r) for r in records]
    return fc


def dumps(collection: Mapping[str, Any]) -> str:
    """The register's bytes: UTF-8 (not ASCII-escaped), indented, one trailing newline."""
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def write_register(path: Path | str, records: Sequence[WorkRecord], metadata: Mapping[str, Any]) -> None:
    """Write the register atomically (a reader never sees half a file)."""
    atomic_write_text(path, dumps(feature_collection(records, metadata)))


def _enum(kind: type[_E], value: Any, field: str, where: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise RegisterError(f"{where}: {field} {value!r} is not one of {', '.join(kind)}") from None


def _str_list(value: Any, field: str, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegisterError(f"{where}: {field} must be a list of strings")
    return list(value)


def _int(value: Any, field: str, where: str, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise RegisterError(f"{where}: {field} must be a whole number, not {value!r}")
    return value


def _place(raw: Any, where: str) -> Place:
    if not isinstance(raw, dict) or not isinstance(raw.get("name", raw.get("text")), str):
        raise RegisterError(f"{where}: a place must be an object with text, kind and name")
    name = str(raw.get("name") or raw.get("text"))
    return Place(
        text=str(raw.get("text") or name),
        kind=_enum(PlaceKind, raw.get("kind", "facility"), "place kind", where),
        name=name,
        between=_str_list(raw.get("between"), "between", where),
        streets=_str_list(raw.get("streets"), "streets", where),
    )


def _geometry(raw: Any, where: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise RegisterError(f"{where}: geometry must be a GeoJSON geometry or null")
    return raw


def _location(props: Mapping[str, Any], geometry: dict[str, Any] | None, where: str) -> Location | None:
    if "precision" not in props and geometry is None:
        return None
    score = props.get("geocode_score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        raise RegisterError(f"{where}: geocode_score must be a number or null")
    correction = props.get("correction_id")
    return Location(
        precision=_enum(Precision, props.get("precision") or "none", "precision", where),
        geometry=geometry,
        score=None if score is None else float(score),
        sources=_str_list(props.get("geocode_source"), "geocode_source", where),
        matched=_str_list(props.get("geocode_matched"), "geocode_matched", where),
        flags=_str_list(props.get("geocode_flags"), "geocode_flags", where),
        district_approximate=bool(props.get("district_approximate")),
        correction_id=_int(correction, "correction_id", where) if correction is not None else None,
    )


def from_feature(feature: Any, index: int = 0) -> WorkRecord:
    """A validated record from a Feature; :class:`RegisterError` names what is wrong and where."""
    where = f"feature {index + 1}"
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise RegisterError(f"{where}: not a GeoJSON Feature with properties")
    props = feature["properties"]
    rid = props.get("id") or feature.get("id")
    if not isinstance(rid, str) or not rid:
        raise RegisterError(f"{where}: no id")
    where = f"feature {rid}"
    name = props.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegisterError(f"{where}: no name")
    places = props.get("places") or []
    if not isinstance(places, list):
        raise RegisterError(f"{where}: places must be a list")
    categories = [
        _enum(Category, c, "category", where) for c in _str_list(props.get("categories"), "categories", where)
    ]
    return WorkRecord(
        key=str(props.get("key") or ""),
        id=rid,
        name=name,
        categories=categories or [Category.OTHER],
        status=_enum(Status, props.get("status"), "status", where),
        priority=_int(props.get("priority"), "priority", where, default=0),
        measure=str(props.get("measure") or ""),
        goal=str(props.get("goal") or ""),
        goal_line=_int(props.get("goal_line"), "goal_line", where, default=0),
        source_line=_int(props.get("source_line"), "source_line", where, default=0),
        source_text=str(props.get("source_text") or ""),
        status_evidence=str(props.get("status_evidence") or ""),
        status_scope=_enum(StatusScope, props.get("status_scope") or "default", "status_scope", where),
        places=[_place(p, where) for p in places],
        districts=_str_list(props.get("districts"), "districts", where),
        city_wide=bool(props.get("city_wide")),
        location=_location(props, _geometry(feature.get("geometry"), where), where),
        years=[_int(y, "year", where) for y in props.get("years") or []],
        review=_enum(ReviewState, props.get("review") or "machine", "review", where),
        reviewed_by=str(props.get("reviewed_by") or ""),
        reviewed_at=str(props.get("reviewed_at") or ""),
        not_work=str(props.get("not_work") or ""),
        merged_into=str(props.get("merged_into") or ""),
    )


def read_register(path: Path | str) -> Register:
    """Read and validate a register file; :class:`RegisterError` (one line) when unusable."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterError(f"{p.name}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise RegisterError(f"{p.name}: not a GeoJSON FeatureCollection")
    records = [from_feature(f, i) for i, f in enumerate(data["features"])]
    return Register(records, dict(data.get("metadata") or {}))
