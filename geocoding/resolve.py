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

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.districts import PLOVDIV_DISTRICTS, assign_districts
from geo.projection import METRIC_CRS, to_metric
from geocoding import _new_road_resolve
from geocoding._new_road_resolve import free_ends, leads_on
from geocoding._results import (
    SIMPLIFY_M,
    UNRESOLVED_REASONS,
    PlaceResult,
    RecordGeocode,
    Unresolved,
    combine,
    publish,
    retext,
    same_dimension,
    to_geojson,
)
from geocoding.lookup import PRECISION_OF_KIND, GazetteerIndex, Match, Miss
from geocoding.new_roads import NewRoad, split_places
from geocoding.normalize import aliases_of, normalize, strip_prefix
from geocoding.segments import (
    BLOCK_GAP_M,
    END_TOLERANCE_M,
    SNAP_M,
    Cut,
    block_between,
    cut_between,
    junction_of,
)
from works.model import PRECISE_PRECISIONS, Precision, WorkRecord

__all__ = [
    "CITY_BUFFER_M",
    "PRECISIONS",
    "LOCATED",
    "PlaceResult",
    "RecordGeocode",
    "Resolver",
    "SIMPLIFY_M",
    "UNRESOLVED_REASONS",
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
_ROAD_KINDS = frozenset({"street", "boulevard"})
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
                out.unresolved.append(retext(miss, text, kind))
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
                out.unresolved.append(retext(miss, text, "street", f"bound of {out.text}: "))
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
                out.unresolved.append(retext(miss, str(text), "street", f"member of {out.text}: "))
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
                for end, heading in free_ends(geom):
                    for r in roads:
                        road = self.index.metric[r]
                        if road.distance(end) > SNAP_M or not leads_on(road, end, heading):
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
        """A NEW road between named places, or an extension of a street: along a planned road
        of the extract, else as ``geocoding._new_road_resolve`` explains."""
        return _new_road_resolve.new_road(self, link)

    def resolve_extension(self, link: NewRoad) -> PlaceResult:
        """An extension of a named street (``geocoding._new_road_resolve.extension``)."""
        return _new_road_resolve.extension(self, link)

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
        out.geometry = same_dimension(clipped, out.geometry)
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
            metric = combine([r.geometry for r in located if r.geometry is not None])
            precision = min((r.precision for r in located), key=_RANK.__getitem__)
            scores = [r.score for r in located if r.score is not None]
            sources: list[str] = []
            matched: list[str] = []
            for r in located:
                sources.extend(s for s in r.sources if s not in sources)
                matched.extend(m for m in r.matched if m not in matched)
            return RecordGeocode(
                geometry=publish(metric),
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
