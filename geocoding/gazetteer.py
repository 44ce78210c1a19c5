"""Gazetteer of named places in Plovdiv built from an OpenStreetMap extract.

Why: the municipal report names streets, schools, kindergartens, parks, squares, bridges and
neighbourhoods; to put them on a map we need one table of *named* OSM features with a
matching key (:func:`geocoding.normalize.normalize`) and a geometry. Streets are split into
many ways in OSM (one per block, per carriageway, per bridge); the report names the street,
so all highway ways with the same key become one (Multi)LineString that keeps every way id.
Facilities keep their real geometry (a school's grounds polygon, a bus stop's point).

The extract is © OpenStreetMap contributors, ODbL 1.0; so is everything built from it. The
built file lives under ``data/`` (git-ignored) and is never committed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import osmium
import shapely
from shapely.geometry import LineString, MultiPolygon
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

from geo.projection import METRIC_CRS, STORAGE_CRS
from geocoding.normalize import PREFIX_KINDS, bank_aliases, normalize, strip_prefix, transliterate
from works.files import atomic_path

__all__ = [
    "COLUMNS",
    "KINDS",
    "NO_KEY_KINDS",
    "SAME_STREET_M",
    "UNNAMED_NAMES",
    "build_gazetteer",
    "classify",
    "load_gazetteer",
    "save_gazetteer",
]

#: Every value of the ``kind`` column: the register's nameable place kinds (no districts:
#: those come from ``geo.districts``) plus the finer facility kinds OSM tags tell apart.
KINDS: tuple[str, ...] = tuple(k for k in PREFIX_KINDS if k != "district") + (
    "hospital",
    "stadium",
    "sport",
    "museum",
    "heritage",
    "station",
    "bus_stop",
    "zoo",
    "natural",
    "river",
    "railway",
    # Unnamed crossings (no name of their own): found only beside a named landmark
    # (``lookup.GazetteerIndex`` "beside"), never by name; their ``name`` is the type word.
    "unnamed_underpass",
    "unnamed_bridge",
    # Roads OSM maps as planned or being built (``highway=proposed``/``construction``, or a
    # road with a ``proposed=*``/``construction=*`` tag), named or not: found only as the
    # road a NEW link runs along between two named places (``resolve``), never by name.
    "planned_road",
)
#: The ``name`` of an unnamed crossing row (its ``key`` is empty, so no name lookup finds it).
UNNAMED_NAMES = {"unnamed_underpass": "подлез", "unnamed_bridge": "надлез"}
#: Kinds never found by name: their ``key`` is empty.
NO_KEY_KINDS = frozenset({*UNNAMED_NAMES, "planned_road"})
#: Pieces of one street name farther apart than this (metres) may be different streets: when
#: their kinds differ (a boulevard and a residential street „Свобода“ 1 km apart) they become
#: separate rows, so the type word the report writes chooses between them (``lookup``).
SAME_STREET_M = 500.0
#: ``route=*`` values of named route relations kept as one row (Детска железница „Знаме на
#: мира“ is mapped only as a ``route=railway`` relation of narrow-gauge ways).
_ROUTE_KINDS = {"railway": "railway"}

#: An object's tags: osmium's ``TagList`` as read, or a plain mapping (a way's copied tags).
Tags = Mapping[str, str] | osmium.osm.TagList

#: Column order of the gazetteer table.
COLUMNS: tuple[str, ...] = (
    "name",
    "name_en",
    "kind",
    "osm_type",
    "osm_id",
    "osm_ids",
    "key",
    "alt_keys",
    "geometry",
)

# Secondary name tags whose keys go to ``alt_keys`` (report may use an old or short name).
_ALT_NAME_TAGS = (
    "alt_name",
    "old_name",
    "short_name",
    "official_name",
    "loc_name",
    "name:bg",
)
# Highway values that are not places people name in a works report.
_NOT_STREETS = frozenset({"bus_stop", "platform", "raceway", "proposed", "abandoned", "elevator"})
_AMENITY_KINDS = {
    "school": "school",
    "kindergarten": "kindergarten",
    "childcare": "nursery",
    "hospital": "hospital",
    "clinic": "hospital",
    "theatre": "facility",
    "library": "facility",
    "community_centre": "facility",
    "arts_centre": "facility",
    "townhall": "facility",
    "cinema": "facility",  # "Кино Космос"
    "music_school": "school",  # НУМТИ "Добрин Петков" is tagged music_school
}
_BUILDING_KINDS = {
    "school": "school",
    "kindergarten": "kindergarten",
    "hospital": "hospital",
    "theatre": "facility",
    "library": "facility",
    "community_centre": "facility",
}
_LEISURE_KINDS = {
    "park": "park",
    "garden": "garden",
    "stadium": "stadium",
    "sports_centre": "sport",
    "pitch": "sport",
}
_TOURISM_KINDS = {"museum": "museum", "zoo": "zoo", "attraction": "facility"}
_NURSERY_RE = re.compile(r"(?<!\w)ясл[аи](?!\w)", re.IGNORECASE)
_PLACE_KINDS = {
    "square": "square",
    "suburb": "neighbourhood",
    "neighbourhood": "neighbourhood",
    "quarter": "neighbourhood",
    "village": "village",
    "hamlet": "village",
}


def classify(tags: Tags, name: str, *, is_area: bool = False) -> str | None:
    """Gazetteer kind of a named non-street OSM object, or ``None`` if it is not wanted.

    Why a single ordered function: an object often has several relevant tags (a school that is
    also ``historic=yes``, a square that is also ``highway=pedestrian``); the first rule wins so
    the kind is predictable. *is_area* says the geometry is a polygon (closed way/multipolygon).
    """
    prefix_kind, _bare = strip_prefix(name)
    place = tags.get("place")
    if place in _PLACE_KINDS:
        return _PLACE_KINDS[place]
    amenity = tags.get("amenity")
    if amenity in _AMENITY_KINDS:
        kind = _AMENITY_KINDS[amenity]
        if kind == "kindergarten" and (prefix_kind == "nursery" or _NURSERY_RE.search(name)):
            return "nursery"  # "30-та ясла", "Детска ясла …" are tagged kindergarten in OSM
        return kind
    if amenity == "doctors":
        return "hospital" if prefix_kind == "facility" else "facility"
    leisure = tags.get("leisure")
    if leisure in _LEISURE_KINDS:
        return _LEISURE_KINDS[leisure]
    tourism = tags.get("tourism")
    if tourism in _TOURISM_KINDS:
        return _TOURISM_KINDS[tourism]
    if tags.get("historic") not in (None, "no"):
        return "heritage"
    # Protected natural sites: the three hills ("Данов хълм", "Младежки хълм", "Хълм на
    # освободителите") exist only as boundary=protected_area polygons.
    if tags.get("boundary") == "protected_area":
        return "natural"
    if tags.get("man_made") == "wastewater_plant":
        return "facility"
    if tags.get("natural") == "water" and tags.get("sport"):
        return "sport"  # the rowing canal ("Гребна база" is its alt_name)
    if tags.get("railway") in ("station", "halt") or tags.get("building") == "train_station":
        return "station"  # "Централна гара" is mapped as a building=train_station only
    if amenity == "bus_station":
        return "station"
    highway = tags.get("highway")
    if highway == "bus_stop":
        return "bus_stop"
    if highway == "pedestrian" and is_area and prefix_kind == "square":
        return "square"
    building = tags.get("building")
    if building in _BUILDING_KINDS:
        return _BUILDING_KINDS[building]
    return None


@dataclass
class _Way:
    """A highway/bridge/tunnel way kept until streets are merged."""

    osm_id: int
    name: str
    tags: dict[str, str]
    refs: tuple[int, ...]
    line: LineString
    length_m: float = 0.0
    #: The line in EPSG:32635 (set with ``length_m``), for distances between pieces.
    metric: LineString | None = None


@dataclass
class _Row:
    name: str
    kind: str
    osm_type: str
    osm_id: int
    geometry: BaseGeometry
    name_en: str | None = None
    osm_ids: list[int] = field(default_factory=list)
    alt_names: list[str] = field(default_factory=list)


def _alt_names(tags: Tags) -> list[str]:
    out: list[str] = []
    for tag in _ALT_NAME_TAGS:
        value = tags.get(tag)
        if value:
            out.extend(part.strip() for part in value.split(";") if part.strip())
    return out


def _interesting_way(tags: Mapping[str, str]) -> bool:
    return (
        "highway" in tags
        or "bridge" in tags
        or "tunnel" in tags
        or "railway" in tags
        or tags.get("waterway") == "river"
    )


def _crossing_kind(tags: Tags) -> str | None:
    """``unnamed_underpass`` / ``unnamed_bridge`` for a road or path way that crosses under or
    over something and has no name of its own, else ``None``.

    Why: the report names pedestrian underpasses and overpasses by the landmark beside them
    ("подлез „Чифте баня“", "надлез „Родопи“"); OSM maps them as unnamed ``tunnel=yes`` (or
    ``layer<0``) footways and ``bridge=yes`` ways. They are kept so the lookup can choose the
    one beside the landmark. A building passage is not an underpass; railway ways are not
    roads people walk or drive.
    """
    if not tags.get("highway") or tags.get("highway") in _NOT_STREETS:
        return None
    if tags.get("name") or tags.get("tunnel:name") or tags.get("bridge:name"):
        return None
    # A pedestrian underpass is a tunnel=yes way, or a footway/steps below ground (layer<0)
    # mapped without the tunnel tag; a cycle path at layer -1 runs under bridges along the
    # river for hundreds of metres and is no underpass.
    if tags.get("tunnel") == "yes" or (
        tags.get("highway") in ("footway", "steps")
        and _int_or_zero(tags.get("layer")) < 0
        and tags.get("tunnel", "no") == "no"
    ):
        return "unnamed_underpass"
    if tags.get("bridge", "no") != "no" or tags.get("man_made") == "bridge":
        return "unnamed_bridge"
    return None


def _planned(tags: Tags) -> bool:
    """A road OSM maps as planned or under construction (named or not).

    Why: a work that builds a NEW road ("новата отсечка на ринга между X и Y") is drawn along
    the road OSM already holds as ``highway=proposed``/``construction`` (the ring road is
    ``highway=proposed``, ref 56), never as the places at its ends. A road being rebuilt keeps
    its class and adds ``construction=*``; both count. Areas (``landuse=construction``) and
    buildings do not.
    """
    highway = tags.get("highway")
    if not highway or tags.get("area") == "yes":
        return False
    return highway in ("proposed", "construction") or bool(tags.get("proposed") or tags.get("construction"))


def _read(pbf: Path, progress: bool) -> tuple[list[_Row], list[_Way]]:
    """One streaming pass (plus osmium's relation pre-pass) over the extract.

    Besides named objects it keeps unnamed crossings (:func:`_crossing_kind`, as ways with an
    empty name) and the lines of railway ways, which named ``route=railway`` relations are
    assembled from (relations come after ways in a ``.pbf``).
    """
    factory = osmium.geom.WKBFactory()
    rows: dict[tuple[str, int], _Row] = {}
    ways: list[_Way] = []
    rail_lines: dict[int, LineString] = {}
    processor = osmium.FileProcessor(str(pbf)).with_locations().with_areas()
    bar = tqdm(desc="Reading OSM", unit=" obj", unit_scale=True, disable=not progress)
    count = 0
    for obj in processor:
        count += 1
        if count % 20000 == 0:
            bar.update(20000)
        if isinstance(obj, osmium.osm.Way) and (
            "railway" in obj.tags or _crossing_kind(obj.tags) or _planned(obj.tags)
        ):
            line = _way_line(factory, obj)
            if line is not None:
                tags = dict(obj.tags)
                if "railway" in tags:
                    rail_lines[obj.id] = line
                refs = tuple(n.ref for n in obj.nodes)
                crossing = _crossing_kind(tags)
                if crossing:
                    ways.append(_Way(obj.id, "", {**tags, "_crossing": crossing}, refs, line))
                if _planned(tags):
                    ways.append(_Way(obj.id, "", {**tags, "_crossing": "planned_road"}, refs, line))
        name = obj.tags.get("name")
        if not name:
            continue
        name = name.strip()
        if isinstance(obj, osmium.osm.Relation):
            route = _ROUTE_KINDS.get(obj.tags.get("route") or "")
            lines = [rail_lines[m.ref] for m in obj.members if m.type == "w" and m.ref in rail_lines]
            if route and lines and obj.tags.get("type") == "route":
                merged = shapely.line_merge(shapely.MultiLineString(lines))
                rows[("relation", obj.id)] = _row(name, route, "relation", obj.id, merged, obj.tags)
        elif isinstance(obj, osmium.osm.Node):
            kind = classify(obj.tags, name)
            if kind:
                geom = shapely.Point(obj.location.lon, obj.location.lat)
                rows[("node", obj.id)] = _row(name, kind, "node", obj.id, geom, obj.tags)
        elif isinstance(obj, osmium.osm.Way):
            tags = dict(obj.tags)
            refs = tuple(n.ref for n in obj.nodes)
            line = _way_line(factory, obj)
            if line is None:
                continue
            if _interesting_way(tags):
                ways.append(_Way(obj.id, name, tags, refs, line))
            kind = classify(tags, name)
            if kind and ("way", obj.id) not in rows:
                # Placeholder for open ways (and a fallback if area assembly fails);
                # the polygon from the area pass replaces it for closed ways.
                rows[("way", obj.id)] = _row(name, kind, "way", obj.id, line, tags)
        elif isinstance(obj, osmium.osm.Area):
            if obj.tags.get("boundary") == "administrative":
                continue  # districts are built by geo.districts
            kind = classify(obj.tags, name, is_area=True)
            if not kind:
                continue
            try:
                area: BaseGeometry = shapely.from_wkb(factory.create_multipolygon(obj))
            except RuntimeError:
                continue  # broken or clipped multipolygon: keep the way placeholder if any
            if isinstance(area, MultiPolygon) and len(area.geoms) == 1:
                area = area.geoms[0]
            osm_type = "way" if obj.from_way() else "relation"
            rows[(osm_type, obj.orig_id())] = _row(name, kind, osm_type, obj.orig_id(), area, obj.tags)
    bar.update(count % 20000)
    bar.close()
    return list(rows.values()), ways


def _way_line(factory: osmium.geom.WKBFactory, way: osmium.osm.Way) -> LineString | None:
    try:
        line = shapely.from_wkb(factory.create_linestring(way))
    except (RuntimeError, osmium.InvalidLocationError):
        return None  # fewer than two distinct located nodes (clipped away)
    return line if isinstance(line, LineString) else None  # create_linestring: always one


def _row(
    name: str,
    kind: str,
    osm_type: str,
    osm_id: int,
    geom: BaseGeometry,
    tags: Tags,
) -> _Row:
    return _Row(
        name=name,
        kind=kind,
        osm_type=osm_type,
        osm_id=osm_id,
        geometry=geom,
        name_en=tags.get("name:en"),
        osm_ids=[osm_id],
        alt_names=_alt_names(tags),
    )


def _components(ways: list[_Way]) -> list[list[_Way]]:
    """Group ways that share a node (union-find): one group per physical bridge/tunnel."""
    seen: dict[int, int] = {}
    links = []
    for i, way in enumerate(ways):
        for ref in way.refs:
            j = seen.setdefault(ref, i)
            if j != i:
                links.append((i, j))
    return _linked_groups(ways, links)


def _linked_groups(ways: list[_Way], links: Iterable[tuple[int, int]]) -> list[list[_Way]]:
    """Union-find: the groups of ``ways`` joined by ``links`` (index pairs), in input order.

    Why one helper: ways join into one object by a shared node (a bridge's parts) or by
    distance (a street's pieces); only what links them differs.
    """
    parent = list(range(len(ways)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in links:
        if find(i) != find(j):
            parent[find(i)] = find(j)
    groups: dict[int, list[_Way]] = defaultdict(list)
    for i, way in enumerate(ways):
        groups[find(i)].append(way)
    return list(groups.values())


def _merged_row(group: list[_Way], kind: str, name_tag: str = "name") -> _Row:
    """One row from several ways: merged line, most common name and name:en, all ids."""
    names = Counter(w.tags.get(name_tag) or w.name for w in group)
    name = max(names, key=lambda n: (names[n], len(n), n))
    en = Counter(w.tags["name:en"] for w in group if w.tags.get("name:en"))
    # line_merge on the raw parts (no noding): ways joined end to end become one LineString,
    # separate pieces (dual carriageways, gaps) stay parts of a MultiLineString.
    merged = shapely.line_merge(shapely.MultiLineString([w.line for w in group]))
    ids = sorted(w.osm_id for w in group)
    alts = [alt for w in group for alt in _alt_names(w.tags)]
    return _Row(
        name=name,
        kind=kind,
        osm_type="way",
        osm_id=ids[0],
        geometry=merged,
        name_en=en.most_common(1)[0][0] if en else None,
        osm_ids=ids,
        alt_names=alts,
    )


#: A street without a "бул." name is still a boulevard if this much of it is primary/trunk
#: (e.g. OSM "6-ти Септември", "Васил Априлов"); 300 m keeps short primary links out.
BOULEVARD_MIN_PRIMARY_M = 300.0


def _street_kind(group: list[_Way]) -> str:
    """street / boulevard / square / bridge / underpass from names and road class."""
    kinds = Counter(strip_prefix(w.name)[0] for w in group)
    primary_m = sum(w.length_m for w in group if w.tags.get("highway") in ("primary", "trunk"))
    if kinds["boulevard"] or primary_m >= BOULEVARD_MIN_PRIMARY_M:
        return "boulevard"
    if kinds["square"]:
        return "square"
    words = {word.strip('.,„“"').lower() for w in group for word in w.name.split()}
    if kinds["underpass"] or "подлез" in words:
        return "underpass"
    if kinds["bridge"] or words & {"мост", "надлез"}:
        return "bridge"
    return "street"


def _planned_name(group: list[_Way]) -> str:
    """What a planned road is called on the map: its name, else its ref, and that it is planned."""
    names = Counter(w.name or w.tags.get("name", "") for w in group if w.name or w.tags.get("name"))
    refs = Counter(w.tags["ref"] for w in group if w.tags.get("ref"))
    proposed = any(w.tags.get("highway") == "proposed" or w.tags.get("proposed") for w in group)
    state = "проектен път" if proposed else "път в строеж"
    if names:
        return f"{names.most_common(1)[0][0]} ({state})"
    return f"{state} {refs.most_common(1)[0][0]}" if refs else state


def _street_rows(group: list[_Way]) -> list[_Row]:
    """One row per street name, or one per kind when far-apart pieces differ in kind.

    Why: OSM has a boulevard „Свобода“ and, 1 km away, a residential street „Свобода“;
    merged into one row, "бул. „Свобода“" would draw both. Pieces within
    :data:`SAME_STREET_M` of each other are one street (a gap at a junction, a missing block);
    when the far-apart pieces are all of one kind they stay one row as before (a street
    broken by the extract's clipping), only differing kinds are split.
    """
    clusters = _near_clusters(group, SAME_STREET_M)
    kinds = [_street_kind(c) for c in clusters]
    if len(set(kinds)) <= 1:
        return [_merged_row(group, _street_kind(group))]
    return [_merged_row(c, k) for c, k in zip(clusters, kinds, strict=True)]


def _near_clusters(ways: list[_Way], distance_m: float) -> list[list[_Way]]:
    """Single-linkage groups of ways closer than *distance_m* (metric lines), in input order."""
    metric = [w.metric if w.metric is not None else w.line for w in ways]
    links = (
        (i, j)
        for i in range(len(ways))
        for j in range(i + 1, len(ways))
        if metric[i].distance(metric[j]) <= distance_m
    )
    return _linked_groups(ways, links)


def _streets_bridges_tunnels(ways: list[_Way], progress: bool) -> list[_Row]:
    metric = gpd.GeoSeries([w.line for w in ways], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    for way, line in zip(ways, metric, strict=True):
        way.length_m, way.metric = float(line.length), line
    streets: dict[str, list[_Way]] = defaultdict(list)
    bridges: dict[str, list[_Way]] = defaultdict(list)
    tunnels: dict[str, list[_Way]] = defaultdict(list)
    rivers: dict[str, list[_Way]] = defaultdict(list)
    crossings: dict[str, list[_Way]] = defaultdict(list)
    for way in ways:
        tags = way.tags
        if "_crossing" in tags:
            crossings[tags["_crossing"]].append(way)
            continue
        highway = tags.get("highway")
        if tags.get("waterway") == "river":
            rivers[normalize(way.name)].append(way)
            continue
        is_area = tags.get("area") == "yes"
        if highway and highway not in _NOT_STREETS and not is_area:
            streets[normalize(way.name)].append(way)
        # Railway bridges are named after the railway line ("Пловдив - Стара Загора - Бургас"),
        # so only road bridges or ones with their own bridge:name count as named bridges.
        if tags.get("bridge", "no") != "no" and (highway or tags.get("bridge:name")):
            bridges[normalize(tags.get("bridge:name") or way.name)].append(way)
        layer = _int_or_zero(tags.get("layer"))
        # Like bridges: a railway way carries the *line's* name, not the tunnel's.
        if (tags.get("tunnel") == "yes" and (highway or tags.get("tunnel:name"))) or (
            highway == "footway" and layer < 0 and "подлез" in way.name.lower()
        ):
            tunnels[normalize(tags.get("tunnel:name") or way.name)].append(way)

    rows: list[_Row] = []
    for key, group in tqdm(
        sorted(streets.items()),
        desc="Merging streets",
        unit=" street",
        disable=not progress,
    ):
        if key:
            rows.extend(_street_rows(group))
    for groups, kind, name_tag in (
        (bridges, "bridge", "bridge:name"),
        (tunnels, "underpass", "tunnel:name"),
    ):
        for key, group in sorted(groups.items()):
            if key:
                rows.extend(_merged_row(c, kind, name_tag) for c in _components(group))
    rows.extend(_merged_row(group, "river") for key, group in sorted(rivers.items()) if key)
    for kind, group in sorted(crossings.items()):
        for component in _components(group):
            row = _merged_row(component, kind)
            if kind == "planned_road":
                row.name, row.name_en, row.alt_names = _planned_name(component), None, []
            else:
                row.name, row.name_en, row.alt_names = UNNAMED_NAMES[kind], None, []
            rows.append(row)
    rows.extend(_bank_rows(streets, rivers))
    return rows


#: A northward ray this long (degrees of latitude, ~5.5 km) crosses the whole river corridor.
_RAY_DEG = 0.05


def _north_of(line: BaseGeometry, river: BaseGeometry) -> bool:
    """True when the middle of *line* lies north of *river* (lon/lat).

    Why a ray-crossing count: the river has side channels around islands, so "nearest river
    point is to the south" is unreliable; a ray due north crosses the river corridor an odd
    number of times from the south bank and an even number (0) from the north bank.
    """
    mid = line.interpolate(0.5, normalized=True)
    ray = shapely.LineString([(mid.x, mid.y), (mid.x, mid.y + _RAY_DEG)])
    hits = ray.intersection(river)
    crossings = 0 if hits.is_empty else len(getattr(hits, "geoms", [hits]))
    return crossings % 2 == 0


def _bank_rows(streets: Mapping[str, list[_Way]], rivers: Mapping[str, list[_Way]]) -> list[_Row]:
    """Rows for names the report gives one bank of a riverside street ("Марица-север").

    Why: OSM names both embankment boulevards "(бул.) Марица"; the report says "бул.
    „Марица-север“" / "„Марица – юг“". ``name_variants.toml`` ``[bank_aliases]`` says which
    street, river and bank each such name means; the ways are chosen by their side of the
    river *in the data*, so the alias is checked against geometry, never assumed. Each row
    keeps the ids of exactly the ways on that bank.
    """
    rows: list[_Row] = []
    for alias, spec in sorted(bank_aliases().items()):
        group = streets.get(normalize(spec["street"]), [])
        river_ways = rivers.get(normalize(spec["river"]), [])
        if not group or not river_ways:
            continue
        river = shapely.union_all([w.line for w in river_ways])
        want_north = spec["bank"] == "north"
        side = [w for w in group if _north_of(w.line, river) == want_north]
        if side:
            row = _merged_row(side, _street_kind(group))
            row.name, row.name_en, row.alt_names = alias, None, []
            rows.append(row)
    return rows


def _int_or_zero(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _to_frame(rows: Iterable[_Row]) -> gpd.GeoDataFrame:
    records = []
    for row in rows:
        key = "" if row.kind in NO_KEY_KINDS else normalize(row.name)
        alt = sorted({k for a in row.alt_names if len(k := normalize(a)) >= 3} - {key, ""})
        records.append(
            {
                "name": row.name,
                "name_en": row.name_en or transliterate(row.name),
                "kind": row.kind,
                "osm_type": row.osm_type,
                "osm_id": int(row.osm_id),
                "osm_ids": ",".join(str(i) for i in row.osm_ids),
                "key": key,
                "alt_keys": "|".join(alt),
                "geometry": row.geometry,
            }
        )
    gdf = gpd.GeoDataFrame(records, columns=list(COLUMNS), geometry="geometry", crs=STORAGE_CRS)
    gdf["osm_id"] = gdf["osm_id"].astype("int64")
    gdf = gdf.sort_values(["kind", "key", "osm_type", "osm_id"], kind="stable")
    return gdf.reset_index(drop=True)


def build_gazetteer(pbf: Path, progress: bool = True) -> gpd.GeoDataFrame:
    """Build the gazetteer GeoDataFrame (EPSG:4326) from an ``.osm.pbf`` extract.

    Rows: streets and boulevards (all highway ways per normalised name merged into one
    (Multi)LineString; ``osm_id`` is the lowest way id, ``osm_ids`` lists all), bridges and
    underpasses (connected bridge/tunnel ways per name), facilities (schools, kindergartens,
    nurseries, hospitals, parks, gardens, squares, stadiums, sports grounds, museums, heritage,
    zoo, stations, named bus stops, theatres/libraries/community centres; polygons stay
    polygons) and neighbourhoods/villages (``place=*``). Columns: see :data:`COLUMNS`.
    """
    pbf = Path(pbf)
    if not pbf.is_file():
        raise FileNotFoundError(f"OSM extract not found: {pbf}")
    facility_rows, ways = _read(pbf, progress)
    street_rows = _streets_bridges_tunnels(ways, progress)
    return _to_frame([*street_rows, *facility_rows])


def save_gazetteer(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write the gazetteer as GeoParquet atomically (``works.files.atomic_path``).

    Why atomic: the dashboard and the pipeline may read the file while a rebuild runs; they
    must see either the old or the new file, never a half-written one.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        gdf.to_parquet(tmp, index=False)
    return path


def load_gazetteer(path: Path) -> gpd.GeoDataFrame:
    """Read a gazetteer written by :func:`save_gazetteer`."""
    return gpd.read_parquet(Path(path))
