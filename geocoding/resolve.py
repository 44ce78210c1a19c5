"""A register record's place mentions → one geometry, a precision, sources and districts.

Why one module: the rules that decide *how precisely* a work is placed must be in one readable
place. Each mention is resolved by its kind, in this order of preference for the record:

1. **facility** – a named school, kindergarten, hospital, museum, bridge … (its OSM polygon or
   point);
2. **segment** – ``ул. X от Y до Z``: X cut between its crossings with Y and Z
   (``geocoding.segments.cut_between``), or ``кръстовището на A и B``: the junction point;
3. **street** – the whole street when no bounds are given (or they cannot be used);
4. **area** – ``карето A – B – C – D``: the block the streets enclose; squares, parks,
   gardens, protected hills, the river;
5. **neighbourhood** – an OSM ``place=suburb`` point, used only when nothing finer is named;
6. **district** – the record names only districts: no geometry (the map draws the district
   outline; a district centroid is never passed off as a location);
7. **city** – the record names no place and no district: city-wide, no geometry.

``none`` means places were named but none could be located; each such mention is listed in
``data/unresolved.csv`` with a reason (nothing is dropped silently). All geometry work is in
EPSG:32635; output geometry is WGS 84 rounded to 6 decimals. Several located places give one
geometry: Multi* when they share a dimension (MultiPoint/MultiLineString/MultiPolygon), else a
GeometryCollection — the same rule for every record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.districts import PLOVDIV_DISTRICTS, assign_districts
from geo.projection import METRIC_CRS, round_coords, to_metric, to_wgs84
from geocoding.lookup import PRECISION_OF_KIND, GazetteerIndex, Match, Miss
from geocoding.new_roads import NewRoad, split_places
from geocoding.normalize import aliases_of, normalize, strip_prefix
from geocoding.segments import (
    BLOCK_GAP_M,
    CARRIAGEWAY_M,
    END_TOLERANCE_M,
    MAX_GAP_M,
    SNAP_M,
    Cut,
    Fail,
    block_between,
    cut_between,
    junction_of,
)
from works.model import PRECISE_PRECISIONS, Location, Precision, WorkRecord

__all__ = [
    "CITY_BUFFER_M",
    "PRECISIONS",
    "LOCATED",
    "PlaceResult",
    "RecordGeocode",
    "Resolver",
    "Unresolved",
    "to_geojson",
]

#: Precision values the geocoder gives, finest first: the domain's ``works.model.Precision``
#: order without ``manual`` (a planner's pin, never produced here).
PRECISIONS: tuple[str, ...] = tuple(p.value for p in Precision if p is not Precision.MANUAL)
#: Located *at the place the text names*: the domain's definition, ``works.model.PRECISE_PRECISIONS``
#: (``works.model.LOCATED_PRECISIONS`` also counts neighbourhoods and pins). Kept under this name
#: for ``pipeline.geocode_stage``; its members are ``Precision`` (a ``StrEnum``), so plain
#: precision strings test as members too.
LOCATED: frozenset[Precision] = PRECISE_PRECISIONS
#: Geometry must lie within the city (union of district polygons) buffered by this (metres).
CITY_BUFFER_M = 1_000.0
#: Simplification tolerance (metres) for published lines and polygons.
SIMPLIFY_M = 1.0
_ROAD_KINDS = frozenset({"street", "boulevard"})
#: A planned road is a new link's road only if the stretch between the link's two ends is at
#: least this share of it (a long planned road that merely passes both places is not the link).
NEW_ROAD_SPAN = 0.5
#: A planned road's other carriageway must lie this close (metres) to the chosen one along
#: this share of its cut to be drawn with it.
NEW_ROAD_ALONG = 0.8
#: An extension's planned road must come this close (metres) to a free end of the street it
#: extends: it continues that street, it does not merely lie somewhere near it.
EXTENSION_M = 100.0
#: An extension leaves the street's end within this angle (degrees) of the direction of its
#: target, or with no target named, of the street's own direction there (not a side road).
EXTENSION_ANGLE = 60.0
#: The street's direction at an end is taken over this much of it (metres).
EXTENSION_HEADING_M = 50.0
#: A planned road at least this share of which lies along the street (within
#: ``segments.CARRIAGEWAY_M``) is the street being rebuilt, not an extension of it.
EXTENSION_BEYOND = 0.5
#: A facility the record's words name that lies this close (metres) to the street its address
#: gives is the building at that address: the finest site the record has.
ADDRESS_FACILITY_M = 50.0
#: Gazetteer kinds that are not a building at an address: a stop is named after a place, an
#: unnamed crossing is found only beside its landmark.
_NOT_ADDRESS_KINDS = frozenset({"bus_stop", "unnamed_underpass", "unnamed_bridge", "bridge", "underpass"})
#: A house number right after a street's name ("ул. „Княз Александър I“ №15", "No 3").
_HOUSE_NUMBER = re.compile(r"^[\s„“\"”»]{0,3}(?:№|No\.?|номер)\s*\d", re.IGNORECASE)
#: A street named as an address ("на адрес ул. …", "с адрес: бул. …").
_ADDRESS_WORD = re.compile(r"\bадрес\w*\s*:?\s*$", re.IGNORECASE)
_RANK = {p: i for i, p in enumerate(PRECISIONS)}


#: Why a place mention has no geometry (``data/unresolved.csv``'s ``reason``):
#: ``new_road_not_in_extract`` is a new road whose ends were found with no planned road between,
#: or an extension whose street was found with no planned road continuing it.
UNRESOLVED_REASONS = frozenset(
    {
        "not_in_extract",
        "missed",
        "ambiguous",
        "outside_box",
        "no_intersection",
        "no_streets",
        "new_road_not_in_extract",
    }
)


@dataclass(frozen=True)
class Unresolved:
    """A place mention (or part of one) that could not be located, and why."""

    text: str
    kind: str
    #: one of :data:`UNRESOLVED_REASONS`
    reason: str
    detail: str = ""


@dataclass
class PlaceResult:
    """How one mention was located (geometry metric, ``None`` if not)."""

    text: str
    kind: str
    precision: str = "none"
    geometry: BaseGeometry | None = None
    score: float | None = None
    sources: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


@dataclass
class RecordGeocode:
    """The geocoding fields of one register record."""

    geometry: BaseGeometry | None  # WGS 84, rounded
    precision: str
    score: float | None
    sources: list[str]
    matched: list[str]
    flags: list[str]
    unresolved: list[Unresolved]
    metric: BaseGeometry | None = None  # the same geometry in EPSG:32635, for the district join
    districts: list[str] = field(default_factory=list)
    district_approximate: bool = False
    #: Districts the record's own places are (a ``district`` place: "нова ДГ в район „Южен“").
    place_districts: list[str] = field(default_factory=list)

    def to_location(self) -> Location:
        """The domain's :class:`works.model.Location` of this result (WGS 84 GeoJSON geometry)."""
        return Location(
            precision=Precision(self.precision),
            geometry=to_geojson(self.geometry),
            score=self.score,
            sources=list(self.sources),
            matched=list(self.matched),
            flags=list(self.flags),
            district_approximate=self.district_approximate,
        )


class Resolver:
    """Resolves places against a gazetteer index and checks them against the city's extent."""

    def __init__(self, index: GazetteerIndex, districts: gpd.GeoDataFrame) -> None:
        self.index = index
        self.districts = districts
        metric = to_metric(districts) if len(districts) else gpd.GeoDataFrame(geometry=[], crs=METRIC_CRS)
        self._district_metric = metric
        city = shapely.union_all(list(metric.geometry)) if len(metric) else None
        self.city: BaseGeometry | None = city.buffer(CITY_BUFFER_M) if city is not None else None

    # --- one mention ----------------------------------------------------------------------

    def _find(self, text: str, kind: str | None) -> tuple[Match | None, Unresolved | None]:
        found = self.index.lookup(text, kind)
        if isinstance(found, Miss):
            return None, Unresolved(text, kind or "street", found.reason, found.detail)
        return found, None

    def _road(self, text: str) -> tuple[Match | None, Unresolved | None]:
        """A street named as a bound or member: its own prefix decides, else street/boulevard."""
        kind = strip_prefix(text)[0] or "street"
        return self._find(text, kind)

    def resolve_place(self, place: Mapping[str, Any]) -> PlaceResult:
        """Locate one ``places[]`` entry of the register."""
        kind = str(place.get("kind") or "")
        text = str(place.get("text") or place.get("name") or "")
        name = str(place.get("name") or text)
        out = PlaceResult(text=text, kind=kind)
        if kind == "district":
            out.precision = "district"
            return out
        if kind in ("junction", "block") and not place.get("streets"):
            # A junction or block is located by its streets; one that lists none cannot be
            # placed, and says so (nothing is left unlocated without a reason).
            out.unresolved.append(Unresolved(text, kind, "no_streets", f"the {kind} names no streets"))
        elif kind == "junction":
            self._junction(place, out)
        elif kind == "block":
            self._block(place, out)
        else:
            match, miss = self._find(name, kind or None)
            if match is None:
                out.unresolved.append(_retext(miss, text, kind))
            else:
                self._use(out, match, self.index.geometry(match.rows), match.precision)
                if match.method == "part":
                    out.flags.extend(["part_of", f"part_of: {match.name} (the whole object, not the part)"])
                if match.method == "beside":
                    out.flags.extend(["beside_landmark", f"beside_landmark: {match.name}, {match.note}"])
                if match.method == "school_type":
                    out.flags.append(f"school_type: {match.name} (the type the text names)")
                if match.dropped:
                    note = self.index.dropped_note(match)
                    out.flags.extend(["homonym_dropped", f"homonym_dropped: {note}"])
                between = [str(b) for b in place.get("between") or []]
                if kind in _ROAD_KINDS and match.kind in _ROAD_KINDS and len(between) == 2:
                    self._segment(out, between)
        return self._inside_city(out)

    def _use(self, out: PlaceResult, match: Match, geom: BaseGeometry, precision: str) -> None:
        out.geometry = geom
        out.precision = precision
        out.score = match.score if out.score is None else min(out.score, match.score)
        out.sources.extend(r for r in self.index.osm_refs(match.rows) if r not in out.sources)
        if match.name not in out.matched:
            out.matched.append(match.name)

    def _add_sources(self, out: PlaceResult, match: Match) -> None:
        out.score = match.score if out.score is None else min(out.score, match.score)
        out.sources.extend(r for r in self.index.osm_refs(match.rows) if r not in out.sources)
        if match.name not in out.matched:
            out.matched.append(match.name)

    def _segment(self, out: PlaceResult, between: Sequence[str]) -> None:
        """Cut the street found in *out* between two bounding streets (falls back to the whole)."""
        bounds: list[Match] = []
        for text in between:
            match, miss = self._road(text)
            if match is None:
                out.unresolved.append(_retext(miss, text, "street", f"bound of {out.text}: "))
            else:
                bounds.append(match)
                if match.method == "beside":
                    out.flags.append(f"beside_landmark: bound {text} = {match.name}, {match.note}")
        if len(bounds) != 2 or out.geometry is None:
            out.flags.append("segment_bound_missing")
            return
        cut = cut_between(out.geometry, *(self.index.geometry(m.rows) for m in bounds))
        if isinstance(cut, Cut):
            out.geometry = cut.geometry
            out.precision = "segment"
            out.flags.extend(cut.flags)
            names = dict(zip(("start", "end"), between, strict=False))
            for note in cut.notes:
                for label, bound in names.items():
                    note = note.replace(f"the {label} bound", bound)
                out.flags.append(f"{cut.flags[0] if cut.flags else 'segment'}: {note}")
            for m in bounds:
                self._add_sources(out, m)
        else:
            out.flags.append("segment_not_cut")
            out.unresolved.append(
                Unresolved(out.text, out.kind, cut.reason, f"segment not cut: {cut.detail}")
            )

    def _members(self, place: Mapping[str, Any], out: PlaceResult) -> list[Match]:
        found: list[Match] = []
        for text in place.get("streets") or []:
            match, miss = self._road(str(text))
            if match is None:
                out.unresolved.append(_retext(miss, str(text), "street", f"member of {out.text}: "))
            else:
                found.append(match)
        return found

    def _junction(self, place: Mapping[str, Any], out: PlaceResult) -> None:
        members = self._members(place, out)
        if len(members) < 2:
            return _fallback_streets(self, out, members)
        cut = junction_of(self.index.geometry(members[0].rows), self.index.geometry(members[1].rows))
        if isinstance(cut, Cut):
            out.geometry, out.precision = cut.geometry, "segment"
            out.flags.extend(cut.flags)
            for m in members:
                self._add_sources(out, m)
        else:
            out.unresolved.append(Unresolved(out.text, "junction", cut.reason, cut.detail))
            _fallback_streets(self, out, members)

    def _block(self, place: Mapping[str, Any], out: PlaceResult) -> None:
        members = self._members(place, out)
        if len(members) < 2:
            return _fallback_streets(self, out, members)
        geoms = [self.index.geometry(m.rows) for m in members]
        cut = block_between(geoms)
        continued: list[tuple[int, int]] = []
        if isinstance(cut, Cut) and cut.gap_m > BLOCK_GAP_M:
            cut, continued = self._continue_block(members, geoms, cut)
        if isinstance(cut, Cut):
            out.geometry, out.precision = cut.geometry, "area"
            out.flags.extend(cut.flags)
            out.flags.extend(f"{cut.flags[0]}: {note}" for note in cut.notes if cut.flags)
            if len(members) < len(place.get("streets") or []):
                out.flags.append("block_member_missing")
            for m in members:
                self._add_sources(out, m)
            streets = [str(s) for s in place.get("streets") or []]
            for i, row in continued:
                refs = self.index.osm_refs([row])
                out.sources.extend(r for r in refs if r not in out.sources)
                listed = streets[i] if i < len(streets) else members[i].name
                out.flags.extend(
                    [
                        "block_continued",
                        f"block_continued: {listed} ends in the extract; its side follows "
                        f"{self.index.names[row]} ({', '.join(refs)}), which continues it across the gap",
                    ]
                )
        else:
            out.unresolved.append(Unresolved(out.text, "block", cut.reason, cut.detail))
            _fallback_streets(self, out, members)

    def _continue_block(
        self, members: Sequence[Match], geoms: list[BaseGeometry], cut: Cut
    ) -> tuple[Cut, list[tuple[int, int]]]:
        """A block outline with a long straight gap: follow a street continuing a listed one.

        Why: OSM may give the last stretch of a block's side another name (бул. „Княгиня Мария
        Луиза“ ends at бул. „Източен“ and goes on as бул. „Цариградско шосе“), so the outline
        closes the gap with a straight line that cuts off part of the block. Each road row of
        the gazetteer not among the listed streets that starts at a free end of a listed street
        (within ``segments.SNAP_M``: the shared OSM node) and leads on in that street's
        direction (within :data:`EXTENSION_ANGLE`) is tried as part of that street (only its
        stretch near the outline); the one that shortens the longest straight gap most, by more
        than ``segments.END_TOLERANCE_M``, with a walked outline (never a hull) is kept (then
        again, for a second gap).
        Returns the best cut and the (listed street index, row) continuations it used; the
        ``block_gap`` flag stays when the gap is still longer than ``segments.BLOCK_GAP_M``.
        """
        used = {r for m in members for r in m.rows}
        roads = [
            r for r in range(len(self.index.kinds)) if self.index.kinds[r] in _ROAD_KINDS and r not in used
        ]
        continued: list[tuple[int, int]] = []
        for _round in range(2):
            if cut.gap_m <= BLOCK_GAP_M:
                break
            best: tuple[float, int, int, Cut, BaseGeometry] | None = None
            for i, geom in enumerate(geoms):
                for end, heading in _free_ends(geom):
                    for r in roads:
                        road = self.index.metric[r]
                        if road.distance(end) > SNAP_M or not _leads_on(road, end, heading):
                            continue
                        # Only the road's stretch by the block (a boulevard may run on for km).
                        piece = road.intersection(cut.geometry.buffer(cut.gap_m + 100.0))
                        if piece.is_empty:
                            continue
                        trial = list(geoms)
                        trial[i] = shapely.union_all([geom, piece])
                        other = block_between(trial)
                        if (
                            isinstance(other, Cut)
                            and "block_hull" not in other.flags
                            and other.gap_m < cut.gap_m - END_TOLERANCE_M
                            and (best is None or other.gap_m < best[0])
                        ):
                            best = (other.gap_m, i, r, other, trial[i])
            if best is None:
                break
            _gap, i, r, cut, geoms[i] = best
            roads.remove(r)
            continued.append((i, r))
        return cut, continued

    def resolve_new_road(self, link: NewRoad) -> PlaceResult:
        """A NEW road between named places: along a planned road of the extract, or unlocated.

        Why: the places a new link joins are its ends, not the work (``geocoding.new_roads``).
        The ends are found like any place; the road is a ``planned_road`` row of the gazetteer
        (``highway=proposed``/``construction``) that comes within ``segments.MAX_GAP_M`` of two
        ends and whose stretch between them (``segments.cut_between``) is at least
        :data:`NEW_ROAD_SPAN` of it; the nearest such road wins, and a planned road running
        alongside it between the same ends (its other carriageway) is drawn with it. The cut is
        a segment, flagged ``new_road`` (and ``segment_approx`` where the planned road stops
        short of an end: the extract's clipping). With no planned road, nothing is drawn: the
        mention is unresolved ``new_road_not_in_extract`` — the bounding roads are never
        passed off as the work.
        """
        if link.extends is not None:
            return self.resolve_extension(link)
        out = PlaceResult(text=link.text, kind="new_road")
        ends: list[tuple[str, Match]] = []
        for place in link.ends:
            text = str(place.get("text") or place.get("name") or "")
            match, miss = self._find(str(place.get("name") or text), str(place.get("kind") or "") or None)
            if match is None:
                out.unresolved.append(
                    _retext(miss, text, str(place.get("kind") or ""), f"end of {link.text}: ")
                )
            else:
                ends.append((text, match))
        if len(ends) < 2:
            out.flags.append("new_road_ends_missing")
            return out
        geoms = [self.index.geometry(m.rows) for _t, m in ends]
        planned = [r for r in range(len(self.index.kinds)) if self.index.kinds[r] == "planned_road"]
        best: tuple[float, int, int, int, Cut] | None = None
        for i in range(len(ends)):
            for j in range(i + 1, len(ends)):
                for r in planned:
                    road = self.index.metric[r]
                    gap = max(road.distance(geoms[i]), road.distance(geoms[j]))
                    if gap > MAX_GAP_M or (best is not None and gap >= best[0]):
                        continue
                    cut = cut_between(road, geoms[i], geoms[j])
                    if isinstance(cut, Cut) and cut.geometry.length >= NEW_ROAD_SPAN * road.length:
                        best = (gap, r, i, j, cut)
        names = " – ".join(t for t, _m in ends)
        if best is None:
            out.flags.append("new_road_not_in_extract")
            out.unresolved.append(
                Unresolved(
                    link.text,
                    "new_road",
                    "new_road_not_in_extract",
                    f"no highway=proposed/construction way runs between {names}: those are the new "
                    "road's ends, not the work, and are not drawn",
                )
            )
            return out
        _gap, row, i, j, cut = best
        refs, road_name = self._draw_along(
            out, row, cut.geometry, planned, lambda road: cut_between(road, geoms[i], geoms[j])
        )
        (start, _ms), (end, _me) = ends[i], ends[j]
        out.flags.extend(["new_road", f"new_road: {road_name} ({', '.join(refs)}) between {start} and {end}"])
        out.flags.extend(cut.flags)
        for note in cut.notes:
            note = note.replace("the start bound", start).replace("the end bound", end)
            out.flags.append(f"{cut.flags[0] if cut.flags else 'segment'}: {note}")
        for _t, m in (ends[i], ends[j]):
            self._add_sources(out, m)
        return self._inside_city(out)

    def _draw_along(
        self,
        out: PlaceResult,
        row: int,
        piece: BaseGeometry,
        planned: Sequence[int],
        cut: Callable[[BaseGeometry], Cut | Fail],
    ) -> tuple[list[str], str]:
        """Draw ``out`` along planned row ``row``'s ``piece`` (and its other carriageway).

        Returns the OSM refs drawn and the planned road's name, for the caller's flag. Why one
        helper: a new link and an extension are drawn the same way once their road is chosen.
        """
        rows, pieces = self._alongside(row, piece, planned, cut)
        out.geometry = _combine(pieces)
        out.precision = "segment"
        refs = self.index.osm_refs(rows)
        road_name = str(self.index.names[row])
        out.sources.extend(refs)
        out.matched.append(road_name)
        out.score = 100.0
        return refs, road_name

    def _alongside(
        self,
        row: int,
        piece: BaseGeometry,
        planned: Sequence[int],
        cut: Callable[[BaseGeometry], Cut | Fail],
    ) -> tuple[list[int], list[BaseGeometry]]:
        """The chosen planned row and the planned rows running alongside it (its other carriageway).

        Why: OSM maps a divided planned road as two ways; each other planned row, *cut* the same
        way as the chosen one, is drawn with it when at least :data:`NEW_ROAD_ALONG` of its cut
        lies within ``segments.CARRIAGEWAY_M`` of the chosen piece.
        """
        rows, pieces = [row], [piece]
        for r in planned:
            if r == row:
                continue
            other = cut(self.index.metric[r])
            if (
                isinstance(other, Cut)
                and other.geometry.length > 0
                and other.geometry.intersection(piece.buffer(CARRIAGEWAY_M)).length
                >= NEW_ROAD_ALONG * other.geometry.length
            ):
                rows.append(r)
                pieces.append(other.geometry)
        return rows, pieces

    def resolve_extension(self, link: NewRoad) -> PlaceResult:
        """An extension of a named street: along a planned road continuing it, else the street, flagged.

        Why: "продължението на бул. „Македония“" is a new road beyond the boulevard's current
        end, not the boulevard (``geocoding.new_roads.extension``). The street (and its "от X"
        and "до Y" places) are found like any place. The extension is a ``planned_road`` row of
        the gazetteer (``highway=proposed``/``construction``) that

        * comes within :data:`EXTENSION_M` of a free end of the street (an end of its ways that
          no other of its ways continues; with "от X", only the end nearest X);
        * lies mostly beyond the street (less than :data:`EXTENSION_BEYOND` of it within
          ``segments.CARRIAGEWAY_M`` of the street: else it is the street being rebuilt);
        * runs away from that end (``_runs_away``): toward Y when Y is named, else on in the
          street's own direction (within :data:`EXTENSION_ANGLE`).

        The nearest such road wins (with its other carriageway); it is cut from the street's
        end to Y when Y is named (``segments.cut_between``; ``segment_approx`` where it stops
        short), and flagged ``extension`` with its OSM ids (precision segment). With none, the
        extract does not map the extension, and the existing street is the best object it has
        for the work (the first labelled set's choice for бул. „Македония“): the whole street at
        ``street`` precision, flagged ``extension_not_in_extract`` with a note saying so — never
        a segment or an ``extension`` geometry, so it is not passed off as the mapped extension.
        A street that is not found leaves the mention unresolved as usual.
        """
        assert link.extends is not None
        out = PlaceResult(text=link.text, kind="extension")
        out.flags.append("extension")
        found: dict[str, tuple[str, Match]] = {}
        for role, place in (("street", link.extends), ("start", link.start), ("toward", link.toward)):
            if place is None:
                continue
            text = str(place.get("text") or place.get("name") or "")
            kind = str(place.get("kind") or "") or None
            match, miss = self._find(str(place.get("name") or text), kind)
            if match is None:
                label = "street" if role == "street" else "end"
                out.unresolved.append(_retext(miss, text, kind or "", f"{label} of {link.text}: "))
            else:
                found[role] = (text, match)
        if "street" not in found:
            out.flags.append("new_road_ends_missing")
            return out
        street_text, street_match = found["street"]
        street = self.index.geometry(street_match.rows)
        ends = _free_ends(street)
        if "start" in found and ends:
            start = self.index.geometry(found["start"][1].rows)
            ends = [min(ends, key=lambda e: e[0].distance(start))]
        toward = self.index.geometry(found["toward"][1].rows) if "toward" in found else None
        planned = [r for r in range(len(self.index.kinds)) if self.index.kinds[r] == "planned_road"]
        near = street.buffer(CARRIAGEWAY_M)
        best: tuple[float, int, Point] | None = None
        for r in planned:
            road = self.index.metric[r]
            if road.length == 0 or road.intersection(near).length >= EXTENSION_BEYOND * road.length:
                continue
            for end, heading in ends:
                gap = road.distance(end)
                if gap > EXTENSION_M or (best is not None and gap >= best[0]):
                    continue
                if _runs_away(road, end, heading, toward):
                    best = (gap, r, end)
        target = f" toward {found['toward'][0]}" if "toward" in found else ""
        if best is None:
            # The extract does not map the extension: the existing street is the best object
            # it has for the work, drawn as that street and said to be so (never a segment).
            self._use(out, street_match, street, "street")
            out.flags.extend(
                [
                    "extension_not_in_extract",
                    f"extension_not_in_extract: no highway=proposed/construction way continues "
                    f"{street_text} from its end (within {EXTENSION_M:.0f} m){target}; the existing "
                    "street is drawn as the nearest mapped object, not the extension itself",
                ]
            )
            if street_match.dropped:
                out.flags.extend(
                    ["homonym_dropped", f"homonym_dropped: {self.index.dropped_note(street_match)}"]
                )
            return self._inside_city(out)
        gap, row, end = best
        piece: BaseGeometry = self.index.metric[row]
        notes: list[str] = []
        if toward is not None:
            goal, goal_text = toward, found["toward"][0]
            cut = cut_between(piece, end, goal)
            if isinstance(cut, Cut) and cut.geometry.length > 0:
                piece = cut.geometry
                notes = [n.replace("the end bound", goal_text) for n in cut.notes if "the end bound" in n]
            refs, road_name = self._draw_along(
                out, row, piece, planned, lambda road: cut_between(road, end, goal)
            )
        else:
            refs, road_name = self._draw_along(out, row, piece, planned, Cut)
        out.flags.append(
            f"extension: {road_name} ({', '.join(refs)}) continues {street_text} from its end "
            f"({gap:.0f} m){target}"
        )
        if notes:  # the planned road stops short of Y (the start's gap is in the flag above)
            out.flags.append("segment_approx")
            out.flags.extend(f"segment_approx: {n}" for n in notes)
        for role in ("street", "toward"):
            if role in found:
                self._add_sources(out, found[role][1])
        return self._inside_city(out)

    def _address_facility(self, out: PlaceResult, texts: Sequence[str]) -> None:
        """An address's street → the facility at it that the record's words name (in place).

        Why: "ремонт на покрива на Залите … на ГХГ – Пловдив, ул. „Княз Александър I“ №15"
        is a work on the gallery's building at that address, not on the 737 m street; the
        extractor keeps the street (the house number is not in the extract), so the street
        is drawn unless a finer site is found. The site is every gazetteer facility (a
        school, museum, hospital … — not a stop or an unnamed crossing) lying within
        :data:`ADDRESS_FACILITY_M` of the street whose name, OSM alternative name or alias
        (``name_variants.toml``: „ГХГ“ → Градска художествена галерия) occurs as whole words in
        the record's name, else in its sentence. Only its rows near the street are drawn (the
        gallery's other buildings elsewhere are not this address). Found: precision
        ``facility``, flagged ``address_facility`` with the OSM ids and distance; else the
        street stays as it was.
        """
        street = out.geometry
        if street is None:
            return
        for text in texts:
            words = f" {normalize(text)} "
            if not words.strip():
                continue
            rows: list[int] = []
            said: list[str] = []
            for r in range(len(self.index.kinds)):
                kind = str(self.index.kinds[r])
                if PRECISION_OF_KIND.get(kind, "facility") != "facility" or kind in _NOT_ADDRESS_KINDS:
                    continue
                names = _facility_keys(self.index, r)
                hit = next((k for k in names if f" {k} " in words), None)
                if hit is None or self.index.metric[r].distance(street) > ADDRESS_FACILITY_M:
                    continue
                rows.append(r)
                said.append(hit)
            if not rows:
                continue
            geom = self.index.geometry(rows)
            refs = self.index.osm_refs(rows)
            names = sorted({str(self.index.names[r]) for r in rows})
            gap = max(self.index.metric[r].distance(street) for r in rows)
            out.flags.extend(
                [
                    "address_facility",
                    f"address_facility: {', '.join(names)} ({', '.join(refs)}), named in the text as "
                    f"„{said[0]}“, lies {gap:.0f} m from {out.text}, the address the text gives: the "
                    "building at the address, not the whole street",
                ]
            )
            out.geometry, out.precision = geom, "facility"
            out.sources = refs
            out.matched = names + [m for m in out.matched if m not in names]
            return

    def _inside_city(self, out: PlaceResult) -> PlaceResult:
        """Clip to the city (+1 km); a place wholly outside becomes unresolved ``outside_box``."""
        if out.geometry is None or self.city is None:
            return out
        if self.city.contains(out.geometry):
            return out
        clipped = out.geometry.intersection(self.city)
        if clipped.is_empty:
            out.unresolved.append(
                Unresolved(
                    out.text, out.kind, "outside_box", f"{', '.join(out.matched)} lies outside the city"
                )
            )
            out.geometry, out.precision, out.sources, out.score = None, "none", [], None
            return out
        out.geometry = _same_dimension(clipped, out.geometry)
        out.flags.append("clipped_to_city")
        return out

    # --- one record -------------------------------------------------------------------------

    def resolve_record(self, props: Mapping[str, Any]) -> RecordGeocode:
        """Geometry, precision, score and sources of a register record's properties.

        Reads ``places`` (the register's JSON form) and ``districts``; see :meth:`assign` for
        the districts the result gets.
        """
        return self._resolve(
            props.get("places") or [],
            props.get("districts") or [],
            str(props.get("name") or ""),
            str(props.get("source_text") or ""),
        )

    def resolve_work(self, record: WorkRecord) -> RecordGeocode:
        """:meth:`resolve_record` for a domain record (its places, districts, name and sentence)."""
        return self._resolve(
            [place.as_dict() for place in record.places],
            record.districts,
            record.name,
            record.source_text,
        )

    def _resolve(
        self,
        places: Sequence[Mapping[str, Any]],
        districts: Sequence[str],
        name: str = "",
        sentence: str = "",
    ) -> RecordGeocode:
        result = self._resolve_places(places, districts, name, sentence)
        known = set(PLOVDIV_DISTRICTS.values())
        result.place_districts = [
            name
            for p in places
            if p.get("kind") == "district"
            for name in [_district_name(str(p.get("name") or p.get("text") or ""))]
            if name in known
        ]
        return result

    def _resolve_places(
        self,
        places: Sequence[Mapping[str, Any]],
        districts: Sequence[str],
        name: str = "",
        sentence: str = "",
    ) -> RecordGeocode:
        link, rest = split_places(name, places)
        results = [self.resolve_place(p) for p in rest]
        for place, result in zip(rest, results, strict=True):
            if _is_address(place, result, sentence):
                self._address_facility(result, (name, sentence))
        if link is not None:
            results.insert(0, self.resolve_new_road(link))
        unresolved = [u for r in results for u in r.unresolved]
        flags = sorted({f for r in results for f in r.flags})
        located = [r for r in results if r.precision in LOCATED and r.geometry is not None]
        if not located:
            located = [
                r for r in results if r.precision == Precision.NEIGHBOURHOOD and r.geometry is not None
            ]
        if located:
            metric = _combine([r.geometry for r in located if r.geometry is not None])
            precision = min((r.precision for r in located), key=_RANK.__getitem__)
            scores = [r.score for r in located if r.score is not None]
            sources: list[str] = []
            matched: list[str] = []
            for r in located:
                sources.extend(s for s in r.sources if s not in sources)
                matched.extend(m for m in r.matched if m not in matched)
            return RecordGeocode(
                geometry=_publish(metric),
                precision=precision,
                score=round(min(scores), 1) if scores else None,
                sources=sources,
                matched=matched,
                flags=flags,
                unresolved=unresolved,
                metric=metric,
            )
        named = list(districts)
        if named:
            ids = {name: rid for rid, name in PLOVDIV_DISTRICTS.items()}
            sources = ["rule:district_named_in_text"] + [f"relation/{ids[n]}" for n in named if n in ids]
            return RecordGeocode(None, "district", None, sources, [], flags, unresolved)
        if results:
            return RecordGeocode(None, "none", None, [], [], flags, unresolved)
        return RecordGeocode(None, "city", None, ["rule:city_wide"], [], flags, unresolved)

    def assign(self, records: Sequence[RecordGeocode], named: Sequence[Sequence[str]]) -> None:
        """Fill each record's ``districts`` (in place).

        A record with geometry gets the districts the geometry lies in (by share, see
        ``geo.districts.assign_districts``) plus those its own places are; one without gets
        the districts its text names.

        One spatial join for all records (``geo.districts.assign_districts``). A geometry only
        in the unresolved Южен/Западен area gets the district its text names among the
        candidates, else the candidate whose own polygon is nearest; either way
        ``district_approximate`` is set.
        """
        order = {n: i for i, n in enumerate(PLOVDIV_DISTRICTS.values())}
        located = [i for i, r in enumerate(records) if r.metric is not None]
        joined = None
        if located and len(self.districts):
            series = gpd.GeoSeries([records[i].metric for i in located], crs=METRIC_CRS)
            joined = assign_districts(series.to_crs(self.districts.crs), self.districts)
        spatial: dict[int, tuple[list[str], list[str]]] = {}
        if joined is not None:
            for pos, i in enumerate(located):
                row = joined.iloc[pos]
                spatial[i] = (list(row["districts"]), list(row["candidates"]))
        for i, rec in enumerate(records):
            text = list(named[i])
            found, candidates = spatial.get(i, ([], []))
            # A located work takes the districts of its own place only: a district the
            # sentence names for another place is not this work's (Гребна база is not in
            # Южен because ул. „Кукуш“ in the same sentence is).
            own = rec.place_districts if rec.metric is not None else text
            names = set(own) | set(found)
            if not found and candidates and rec.metric is not None:
                chosen = [c for c in candidates if c in text] or [self._nearest(rec.metric, candidates)]
                names |= set(chosen)
                rec.district_approximate = True
            rec.districts = sorted(names, key=lambda n: order.get(n, 99))

    def _nearest(self, geom: BaseGeometry, candidates: Iterable[str]) -> str:
        frame = self._district_metric
        best = min(
            candidates,
            key=lambda n: min((g.distance(geom) for g in frame.geometry[frame["name"] == n]), default=1e12),
        )
        return best


def _district_name(text: str) -> str:
    """ "район „Южен“" → "Южен" (the register's district place names carry the prefix or not)."""
    return strip_prefix(text)[1].strip(' „“"”') if text else ""


def _fallback_streets(resolver: Resolver, out: PlaceResult, members: Sequence[Match]) -> None:
    """A junction or block that could not be built: its found streets, at street precision."""
    if not members:
        return
    geoms = [resolver.index.geometry(m.rows) for m in members]
    out.geometry = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
    out.precision = "street"
    out.flags.append(f"{out.kind}_as_streets")
    for m in members:
        resolver._add_sources(out, m)


def _is_address(place: Mapping[str, Any], result: PlaceResult, sentence: str) -> bool:
    """Is this whole-street result the street of an address (a house number, or "адрес …")?

    Why only then: "ремонт на ул. X пред училище Y" is work on the street; "…, ул. X №15"
    and "на адрес ул. X" give where a building is. A segment, a junction or a street not
    written in the sentence is never an address.
    """
    if result.kind not in _ROAD_KINDS or result.precision != "street" or place.get("between"):
        return False
    text = str(place.get("text") or "")
    if not text or not sentence:
        return False
    for found in re.finditer(re.escape(text), sentence):
        if _HOUSE_NUMBER.match(sentence[found.end() :]) or _ADDRESS_WORD.search(sentence[: found.start()]):
            return True
    return False


def _facility_keys(index: GazetteerIndex, row: int) -> list[str]:
    """A facility's names as matching keys: its key, OSM alternative names and aliases.

    Single-word keys are kept only as aliases (abbreviations such as „ГХГ“, checked in the
    extract): a one-word OSM name ("Център", "Пловдив") is too common to find in a sentence.
    """
    key = str(index.gdf.at[row, "key"] or "")
    alts = [a for a in str(index.gdf.at[row, "alt_keys"] or "").split("|") if a]
    own = [k for k in [key, *alts] if len(k.split()) >= 2]
    return sorted({*own, *(aliases_of(key) if key else ())}, key=len, reverse=True)


def _free_ends(street: BaseGeometry) -> list[tuple[Point, tuple[float, float]]]:
    """The street's free ends, each with the street's unit direction arriving there.

    A free end is an end of a merged line that no other line of the street comes within
    ``segments.SNAP_M`` of (where the named street stops in the data). The direction is taken
    over the last :data:`EXTENSION_HEADING_M` of the line.
    """
    lines = [g for g in _flatten(shapely.line_merge(street)) if isinstance(g, LineString) and g.length > 0]
    out: list[tuple[Point, tuple[float, float]]] = []
    for k, line in enumerate(lines):
        others = [g for m, g in enumerate(lines) if m != k]
        rest = shapely.union_all(others) if others else None
        for at_start in (True, False):
            end = Point(line.coords[0] if at_start else line.coords[-1])
            if rest is not None and rest.distance(end) <= SNAP_M:
                continue
            if line.is_closed:
                continue
            back = line.interpolate(
                min(EXTENSION_HEADING_M, line.length)
                if at_start
                else max(line.length - EXTENSION_HEADING_M, 0.0)
            )
            dx, dy = end.x - back.x, end.y - back.y
            norm = math.hypot(dx, dy)
            if norm > 0:
                out.append((end, (dx / norm, dy / norm)))
    return out


def _leads_on(road: BaseGeometry, end: Point, heading: tuple[float, float]) -> bool:
    """Does *road*, starting at a street's *end*, go on in the street's *heading*?

    The road's point :data:`EXTENSION_HEADING_M` along from where it meets the end (on its
    part nearest the end, the longer way) must lie within :data:`EXTENSION_ANGLE` of the
    heading: a cross street at the end goes sideways and is not a continuation.
    """
    parts = [g for g in _flatten(shapely.line_merge(road)) if isinstance(g, LineString) and g.length > 0]
    if not parts:
        return False
    part = min(parts, key=lambda g: g.distance(end))
    at = part.project(end)
    ahead = part.interpolate(min(at + EXTENSION_HEADING_M, part.length))
    back = part.interpolate(max(at - EXTENSION_HEADING_M, 0.0))
    point = ahead if ahead.distance(end) >= back.distance(end) else back
    return _within_angle(point, end, heading)


def _runs_away(
    road: BaseGeometry, end: Point, heading: tuple[float, float], toward: BaseGeometry | None
) -> bool:
    """Does *road* lead away from the street's *end*: toward *toward*, else straight on?

    Why: a planned road that merely passes near the end (a side road, or one going back along
    the street) is not its continuation. With a target, the road's point nearest the target
    must lie in the target's direction from the end (within :data:`EXTENSION_ANGLE`) and either
    reach it (``segments.END_TOLERANCE_M``) or lie at least :data:`EXTENSION_M` from the end (a
    road whose nearest point to the target is the end itself leads elsewhere). Without one,
    the road's farthest point from the end must lie within :data:`EXTENSION_ANGLE` of the
    street's own *heading* there.
    """
    if toward is not None:
        point, goal = nearest_points(road, toward)
        if toward.distance(point) > END_TOLERANCE_M and point.distance(end) < EXTENSION_M:
            return False
        return _within_angle(point, end, (goal.x - end.x, goal.y - end.y))
    coords = [c for g in _flatten(road) for c in getattr(g, "coords", [])]
    if not coords:
        return False
    far = Point(max(coords, key=lambda c: Point(c).distance(end)))
    return _within_angle(far, end, heading)


def _within_angle(point: Point, end: Point, direction: tuple[float, float]) -> bool:
    """Is *point* seen from *end* within :data:`EXTENSION_ANGLE` of *direction*?"""
    dx, dy = point.x - end.x, point.y - end.y
    norm, size = math.hypot(dx, dy), math.hypot(*direction)
    if norm == 0 or size == 0:
        return False
    cos = (dx * direction[0] + dy * direction[1]) / (norm * size)
    return cos >= math.cos(math.radians(EXTENSION_ANGLE))


def _retext(miss: Unresolved | None, text: str, kind: str, prefix: str = "") -> Unresolved:
    assert miss is not None
    return Unresolved(text, kind or miss.kind, miss.reason, prefix + miss.detail)


def _same_dimension(clipped: BaseGeometry, original: BaseGeometry) -> BaseGeometry:
    """Keep only the parts of a clipped geometry with the original's dimension."""
    dim = shapely.get_dimensions(original)
    parts = [g for g in _flatten(clipped) if shapely.get_dimensions(g) == dim]
    return _combine(parts) if parts else clipped


def _flatten(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, (MultiPoint, MultiLineString, MultiPolygon, GeometryCollection)):
        return [p for g in geom.geoms for p in _flatten(g)]
    return [geom]


def _combine(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """One geometry from several: the single part itself, Multi* of one dimension, else a collection."""
    parts = [p for g in geoms for p in _flatten(g)]
    if len(parts) == 1:
        return parts[0]
    points = [p for p in parts if isinstance(p, Point)]
    if len(points) == len(parts):
        return MultiPoint(points)
    lines = [p for p in parts if isinstance(p, LineString)]
    if len(lines) == len(parts):
        return MultiLineString(lines)
    polygons = [p for p in parts if isinstance(p, Polygon)]
    if len(polygons) == len(parts):
        return MultiPolygon(polygons)
    return GeometryCollection(parts)


def _publish(metric: BaseGeometry) -> BaseGeometry:
    """Simplify (1 m), reproject to WGS 84 and round to 6 decimals, keeping the geometry type."""
    parts = []
    for part in _flatten(metric):
        if not isinstance(part, Point):
            part = part.simplify(SIMPLIFY_M, preserve_topology=True)
        wgs = round_coords(to_wgs84(part), 6)
        if wgs is not None and not wgs.is_empty:
            parts.extend(_flatten(wgs))
    if not parts:
        return GeometryCollection()
    combined = _combine(parts)
    # A Multi* that simplifies to one part stays a Multi* (the part keeps its dimension).
    if isinstance(metric, MultiPoint) and isinstance(combined, Point):
        return MultiPoint([combined])
    if isinstance(metric, MultiLineString) and isinstance(combined, LineString):
        return MultiLineString([combined])
    if isinstance(metric, MultiPolygon) and isinstance(combined, Polygon):
        return MultiPolygon([combined])
    return combined


def to_geojson(geom: BaseGeometry | None) -> dict[str, Any] | None:
    """GeoJSON geometry dict with coordinates rounded to 6 decimals (stable float text)."""
    if geom is None or geom.is_empty:
        return None
    return _round_mapping(shapely.geometry.mapping(geom))


def _round_mapping(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round_mapping(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round_mapping(v) for k, v in obj.items()}
    return obj
