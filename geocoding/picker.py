"""Pick a place from the gazetteer for a work: search, cross streets, the place to store, a preview.

Why here, beside the resolver: a planner who picks an OSM object (or a street between two
cross streets) in the review screen must get, at the next build, exactly the geometry the
screen showed. The build only ever stores *places* (``works.model.Place``: text, kind, name,
``between``) and resolves them again (``geocoding.resolve.Resolver``), so the picker turns a
gazetteer row into the place the resolver will find it by, and checks that it does: a row
that shares its name with another object far away cannot be reached by name, and the picker
says so (:class:`PickError`) instead of storing a place that would land elsewhere. The preview
(:meth:`PlacePicker.preview`) is the resolver's own answer for the places to be stored.

Search folds Cyrillic and Latin alike (the gazetteer's keys transliterated, ``geo.names``)
and ranks with rapidfuzz, so "kukush", "Кукуш" and "кукущ" find ул. „Кукуш“.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import shapely
import shapely.ops
from rapidfuzz import fuzz, process

from extraction.placekinds import PLACE_KINDS, RELATION_KINDS, ROAD_KINDS
from geo.names import transliterate
from geocoding.normalize import normalize, strip_prefix
from geocoding.resolve import RecordGeocode, Resolver
from geocoding.segments import END_TOLERANCE_M
from works.errors import PlovdivError
from works.model import PlaceKind

__all__ = ["PICKABLE_KINDS", "Candidate", "PickError", "PlacePicker", "place_kind"]

#: Gazetteer kinds a place kind of the register names directly (the rest are facilities): every
#: place kind but those made of other places, the district (context, not a site) and facility.
_PLACE_KIND_OF: dict[str, PlaceKind] = {
    kind: PlaceKind(kind)
    for kind in PLACE_KINDS
    if kind not in RELATION_KINDS and kind not in ("district", "facility")
}
#: Gazetteer kinds that are never a work's place by name: a stop is named after a place, an
#: unnamed crossing has no name, a planned road is found only as a new link's road.
_NOT_PICKABLE = frozenset({"bus_stop", "unnamed_underpass", "unnamed_bridge", "planned_road"})
#: Every place kind a search may be narrowed to.
PICKABLE_KINDS: tuple[PlaceKind, ...] = (*_PLACE_KIND_OF.values(), PlaceKind.FACILITY)
_ROADS = ROAD_KINDS
_ROAD_WORD = {"street": "ул.", "boulevard": "бул."}
#: rapidfuzz WRatio a search candidate must reach.
SEARCH_CUTOFF = 70.0


class PickError(PlovdivError):
    """A pick the geocoder cannot reproduce at the next build (one line for the planner)."""


def place_kind(gazetteer_kind: str) -> PlaceKind:
    """The register place kind a gazetteer kind is looked up as (hospitals, museums… are facilities)."""
    return _PLACE_KIND_OF.get(gazetteer_kind, PlaceKind.FACILITY)


@dataclass(frozen=True)
class Candidate:
    """One gazetteer object a planner may pick: its row, name, kind, OSM objects, district."""

    row: int
    name: str
    kind: str
    osm: tuple[str, ...]
    district: str
    score: float

    @property
    def label(self) -> str:
        """How the report would write it: a road with its type word (ул. „X“), else the OSM name."""
        if self.kind in _ROADS and strip_prefix(self.name)[0] is None:
            return f"{_ROAD_WORD[self.kind]} „{self.name}“"
        return self.name

    @property
    def place_kind(self) -> PlaceKind:
        """The kind the resolver looks this object up as."""
        return place_kind(self.kind)

    @property
    def is_road(self) -> bool:
        """Streets and boulevards may be cut between two cross streets."""
        return self.kind in _ROADS


class PlacePicker:
    """Search, cross streets and places over one resolver (its gazetteer and districts)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.index = resolver.index

    @cached_property
    def _choices(self) -> tuple[list[str], list[int]]:
        """Every pickable row's name key in Latin letters (one list, built once)."""
        keys: list[str] = []
        rows: list[int] = []
        for row, (kind, key) in enumerate(zip(self.index.kinds, self.index.gdf["key"], strict=True)):
            if kind in _NOT_PICKABLE or not key:
                continue
            keys.append(transliterate(str(key)).lower())
            rows.append(row)
        return keys, rows

    def candidate(self, row: int, score: float = 100.0) -> Candidate:
        """The candidate of one gazetteer row (with the district its object lies in)."""
        return Candidate(
            row=row,
            name=str(self.index.names[row]),
            kind=str(self.index.kinds[row]),
            osm=tuple(self.index.osm_refs([row])),
            district=self._district(row),
            score=round(float(score), 1),
        )

    def _district(self, row: int) -> str:
        districts = self.resolver.districts
        if not len(districts):
            return ""
        point = self.index.wgs84[row].representative_point()
        for name, polygon in zip(districts["name"], districts.geometry, strict=True):
            if polygon is not None and polygon.covers(point):
                return str(name)
        return ""

    def search(self, query: str, kind: str | None = None, limit: int = 10) -> list[Candidate]:
        """Objects whose name is like ``query`` (Cyrillic or Latin, a typo allowed), best first.

        ``kind`` (a register place kind) narrows the answer to the objects looked up as it.
        """
        probe = transliterate(normalize(query)).lower()
        if not probe:
            return []
        keys, rows = self._choices
        wanted = [
            i for i, row in enumerate(rows) if kind is None or place_kind(str(self.index.kinds[row])) == kind
        ]
        if not wanted:
            return []
        subset = [keys[i] for i in wanted]
        found = process.extract(
            probe, subset, scorer=fuzz.WRatio, score_cutoff=SEARCH_CUTOFF, limit=limit * 3
        )
        # A name that contains the query as typed ranks first; then the score; then the shorter name.
        ranked = sorted(found, key=lambda hit: (probe not in hit[0], -hit[1], len(hit[0]), hit[0]))
        out: list[Candidate] = []
        for _choice, score, pos in ranked[:limit]:
            out.append(self.candidate(rows[wanted[pos]], score))
        return out

    @cached_property
    def _roads(self) -> tuple[shapely.STRtree, list[int]]:
        """A spatial index of every street and boulevard row (metric), built once."""
        rows = [row for row, kind in enumerate(self.index.kinds) if kind in _ROADS]
        return shapely.STRtree([self.index.metric[row] for row in rows]), rows

    def cross_streets(self, street: Candidate) -> list[Candidate]:
        """The streets that meet ``street``, in order along it (west or north end first as drawn).

        Why only these: a segment ends where its street meets a bound; a bound within
        ``segments.END_TOLERANCE_M`` gives an exact cut (``geocoding.segments.cut_between``),
        a farther one only an approximate one, so the list offers the exact ones.
        """
        if not street.is_road:
            return []
        line = self.index.metric[street.row]
        own = str(self.index.gdf.at[street.row, "key"])
        tree, rows = self._roads
        near: list[tuple[float, str, int]] = []
        along = _as_line(line)
        for pos in tree.query(line, predicate="dwithin", distance=END_TOLERANCE_M):
            row = rows[int(pos)]
            if row == street.row or str(self.index.gdf.at[row, "key"]) == own:
                continue
            where = shapely.ops.nearest_points(line, self.index.metric[row])[0]
            near.append((float(shapely.line_locate_point(along, where)), str(self.index.names[row]), row))
        return [self.candidate(row) for _at, _name, row in sorted(near)]

    def place(
        self, picked: Candidate, start: Candidate | None = None, end: Candidate | None = None
    ) -> dict[str, Any]:
        """The register place that resolves to ``picked`` (cut between ``start`` and ``end``).

        :class:`PickError` when the resolver would find another object by that name, or when
        only one bound is given.
        """
        if (start is None) != (end is None):
            raise PickError("a segment needs both a “from” and a “to” street")
        place: dict[str, Any] = {"text": picked.label, "kind": str(picked.place_kind), "name": picked.label}
        if start is not None and end is not None:
            if not picked.is_road:
                raise PickError(f"{picked.name} is not a street: only a street is cut between two others")
            place["between"] = [start.label, end.label]
            place["text"] = f"{picked.label} от {start.label} до {end.label}"
        found = self.resolver.resolve_place({k: v for k, v in place.items() if k != "between"})
        if not set(picked.osm) <= set(found.sources):
            other = ", ".join(found.sources[:3]) or "nothing"
            why = "; ".join(u.detail for u in found.unresolved)[:160]
            raise PickError(
                f"the geocoder finds {other} by the name {picked.label!r}, not {picked.osm[0]}"
                + (f" ({why})" if why else "")
                + ": pin the work on the map instead"
            )
        return place

    def preview(
        self,
        places: Sequence[Mapping[str, Any]],
        districts: Sequence[str],
        name: str = "",
        source_text: str = "",
    ) -> RecordGeocode:
        """What the build will give a work with these places: the resolver's own answer.

        The sentence is passed too: the build reads an address's facility from it.
        """
        result = self.resolver.resolve_record(
            {"places": list(places), "districts": list(districts), "name": name, "source_text": source_text}
        )
        self.resolver.assign([result], [list(districts)])
        return result


def _as_line(geom: Any) -> Any:
    """A line to measure along: a MultiLineString's parts merged where they touch."""
    if geom.geom_type == "MultiLineString":
        merged = shapely.line_merge(geom)
        return merged if merged.geom_type == "LineString" else max(merged.geoms, key=lambda g: g.length)
    return geom
