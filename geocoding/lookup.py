"""Name → gazetteer rows: exact key, alternative key, descriptor-stripped key, then fuzzy.

Why this order: an exact dictionary lookup on the normalised key (``geocoding.normalize``) is
fast, explainable and right for most names; only what is left goes to rapidfuzz, and even then
a fuzzy hit must pass a token check, so "клуб „Централен“" (a pensioners' club) never becomes
площад „Централен“. The kind of the mention (or the prefix of a free query) restricts which
gazetteer kinds may answer: a "ДГ" is looked up among kindergartens and nurseries only.

The index is built once per gazetteer (dicts per key, rapidfuzz choice lists per kind group
built lazily, once); a lookup costs microseconds when exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from rapidfuzz import fuzz, process
from shapely.geometry.base import BaseGeometry

from geo.projection import to_metric
from geocoding.normalize import (
    descriptors,
    known_miss,
    landmark_probe,
    normalize,
    part_of,
    school_type,
    strip_prefix,
)

__all__ = [
    "FUZZY_CUTOFF",
    "KIND_GROUPS",
    "PRECISION_OF_KIND",
    "GazetteerIndex",
    "Match",
    "Miss",
]

#: rapidfuzz WRatio score (0–100) a fuzzy candidate must reach.
FUZZY_CUTOFF = 85.0
#: Rows with one key and kind closer than this (metres) are pieces of one object (a school's two
#: buildings, a park mapped as three polygons); farther apart they are different places.
SAME_OBJECT_M = 500.0
#: Shortest key fuzzy matching is tried for (short keys match too much by accident).
FUZZY_MIN_LEN = 5
#: An unnamed under/overpass is "beside" its landmark when it lies this close (metres): the
#: underpasses the report names after Чифте баня and the stops „Водната палата“ are 20–65 m away.
BESIDE_M = 100.0
#: Crossing ways closer than this (metres) to each other are one under/overpass (the three
#: footways of one underpass, the carriageways and ramps of one overpass).
CROSSING_GROUP_M = 60.0
#: A second crossing within this many metres of the nearest one's distance makes the choice
#: ambiguous (two underpasses of one boulevard are equally "beside" it).
CROSSING_MARGIN_M = 20.0
#: Mention kind → the gazetteer kinds a crossing beside a landmark may be.
CROSSING_KINDS: dict[str, tuple[str, ...]] = {
    "underpass": ("unnamed_underpass", "underpass"),
    "bridge": ("unnamed_bridge", "bridge"),
}

_FACILITY_KINDS = (
    "facility",
    "hospital",
    "stadium",
    "sport",
    "museum",
    "heritage",
    "zoo",
    "station",
    "school",
    "kindergarten",
    "park",
    "garden",
    "natural",
    "square",
    "river",
    "railway",
)
#: Mention kind → gazetteer kinds that may answer, in order of preference.
KIND_GROUPS: dict[str | None, tuple[str, ...]] = {
    "street": ("street", "boulevard"),
    "boulevard": ("boulevard", "street"),
    "square": ("square",),
    "park": ("park", "garden", "natural"),
    "garden": ("garden", "park"),
    "kindergarten": ("kindergarten", "nursery"),
    "nursery": ("nursery", "kindergarten"),
    "school": ("school",),
    "underpass": ("underpass",),
    "bridge": ("bridge",),
    "neighbourhood": ("neighbourhood", "village"),
    "village": ("village", "neighbourhood"),
    # A named site the report calls by a bare name may be a quarter named after it ("бившата
    # Гарнизонна фурна" is now place=suburb): last resort, at neighbourhood precision.
    "facility": (*_FACILITY_KINDS, "neighbourhood"),
    # A query without a type word: everything but bus stops (a stop is named after a place,
    # it is not the place).
    None: (
        "street",
        "boulevard",
        "square",
        "park",
        "garden",
        "natural",
        "school",
        "kindergarten",
        "nursery",
        "hospital",
        "stadium",
        "sport",
        "museum",
        "heritage",
        "zoo",
        "station",
        "facility",
        "bridge",
        "underpass",
        "river",
        "railway",
        "neighbourhood",
        "village",
    ),
}
#: Gazetteer kind → the precision a record located by it gets.
PRECISION_OF_KIND: dict[str, str] = {
    **{k: "facility" for k in _FACILITY_KINDS},
    "bridge": "facility",
    "underpass": "facility",
    "nursery": "facility",
    "street": "street",
    "boulevard": "street",
    "square": "area",
    "park": "area",
    "garden": "area",
    "natural": "area",
    "river": "area",
    "neighbourhood": "neighbourhood",
    "village": "neighbourhood",
    "bus_stop": "facility",
    "unnamed_underpass": "facility",
    "unnamed_bridge": "facility",
}
#: Gazetteer kinds of a named road (one street name may be split into one row of each).
_ROAD_KINDS = frozenset({"street", "boulevard"})
# Tokens that may differ between a query and a fuzzy candidate: titles, saints, initials.
_MINOR_TOKENS = frozenset(
    {"ген", "др", "проф", "акад", "полк", "кап", "пор", "митр", "патр", "арх", "инж", "св", "бул", "ул"}
    # Inside Plovdiv the city's name adds nothing ("Гребен канал „Пловдив“" is OSM "Гребен канал").
    | {"пловдив"}
)


@dataclass(frozen=True)
class Match:
    """A found place: gazetteer row positions (one object, possibly in pieces) and how."""

    rows: tuple[int, ...]
    kind: str
    name: str
    score: float
    method: str  # exact | alt | descriptor | part | fuzzy | school_type | beside
    key: str
    #: For ``beside``: how the crossing was chosen (its distance from the landmark and which).
    note: str = ""
    #: Rows of the same name left out because the text's type word fits another kind (the
    #: residential „Свобода“ for "бул. „Свобода“"); said in the record's flags.
    dropped: tuple[int, ...] = ()

    @property
    def precision(self) -> str:
        return PRECISION_OF_KIND.get(self.kind, "facility")


@dataclass(frozen=True)
class Miss:
    """Why a name was not found: ``not_in_extract`` or ``ambiguous`` (with a detail)."""

    reason: str
    detail: str = ""


@dataclass
class _Group:
    keys: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


class GazetteerIndex:
    """Lookup structures over a gazetteer frame (EPSG:4326, columns of ``gazetteer.COLUMNS``)."""

    def __init__(self, gazetteer: gpd.GeoDataFrame) -> None:
        self.gdf = gazetteer.reset_index(drop=True)
        self.kinds: np.ndarray = self.gdf["kind"].to_numpy()
        self.names: np.ndarray = self.gdf["name"].to_numpy()
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_alt: dict[str, list[int]] = defaultdict(list)
        for i, (key, alts) in enumerate(zip(self.gdf["key"], self.gdf["alt_keys"], strict=True)):
            if key:
                self.by_key[key].append(i)
            for alt in (alts or "").split("|"):
                if alt:
                    self.by_alt[alt].append(i)
        self._groups: dict[tuple[str, ...], _Group] = {}

    @cached_property
    def metric(self) -> np.ndarray:
        """Row geometries in EPSG:32635 (computed once, on first need)."""
        return np.asarray(to_metric(self.gdf.geometry).values, dtype=object)

    @property
    def wgs84(self) -> np.ndarray:
        return np.asarray(self.gdf.geometry.values, dtype=object)

    def geometry(self, rows: Sequence[int], metric: bool = True) -> BaseGeometry:
        """Union of the rows' geometries (metric by default)."""
        geoms = [(self.metric if metric else self.wgs84)[i] for i in rows]
        return geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)

    def osm_refs(self, rows: Sequence[int]) -> list[str]:
        """``type/id`` of every OSM object behind the rows (merged streets list all their ways)."""
        refs: list[str] = []
        for i in rows:
            osm_type = self.gdf.at[i, "osm_type"]
            for oid in str(self.gdf.at[i, "osm_ids"]).split(","):
                if oid and f"{osm_type}/{oid}" not in refs:
                    refs.append(f"{osm_type}/{oid}")
        return refs

    # --- lookup ------------------------------------------------------------------------------

    def lookup(self, text: str, kind: str | None = None) -> Match | Miss:
        """Find *text* among the kinds *kind* allows (its own prefix decides when *kind* is None)."""
        if kind is None:
            kind = strip_prefix(text)[0]
        kinds = KIND_GROUPS.get(kind, KIND_GROUPS[None])
        key = normalize(text)
        if not key:
            return Miss("not_in_extract", "empty name")
        stripped, desc_kinds = _strip_descriptor(key)
        # A descriptor with kinds ("ФК", "река") narrows every probe, the full key's included.
        if desc_kinds:
            kinds = tuple(k for k in desc_kinds if k in kinds) or kinds
        desc_group = kinds
        typed = strip_prefix(text)[0] is not None
        for method, table, probe, group in (
            ("exact", self.by_key, key, kinds),
            ("alt", self.by_alt, key, kinds),
            ("descriptor", self.by_key, stripped, desc_group),
            ("descriptor", self.by_alt, stripped, desc_group),
        ):
            if not probe:
                continue
            found = self._pick(table.get(probe, []), group, probe, method, 100.0, typed)
            if found is not None:
                return self._school_type(text, found)
        whole = part_of(key)
        if whole is not None:
            # A part of a named object: the whole object, flagged by the caller (method "part").
            found = self.lookup(whole, None)
            if isinstance(found, Match):
                return Match(found.rows, found.kind, found.name, found.score, "part", key)
        fuzzy = self._fuzzy(key, kinds)
        if isinstance(fuzzy, Miss) and kind in CROSSING_KINDS:
            beside = self.beside_landmark(text, kind)
            if beside is not None:
                return beside  # the crossing, or why the choice is ambiguous
        fuzzy = self._school_type(text, fuzzy)
        objects = known_miss(kind, key) if isinstance(fuzzy, Miss) else None
        if objects:
            # In the extract (checked by hand) but not matched by name: say so, never "absent".
            return Miss("missed", f"in the extract as {objects}, not matched by name ({key!r})")
        return fuzzy

    def candidates(self, text: str, kind: str | None = None, limit: int = 5) -> list[Match]:
        """Several answers, best first (geopy's ``exactly_one=False``)."""
        first = self.lookup(text, kind)
        out = [first] if isinstance(first, Match) else []
        kinds = KIND_GROUPS.get(kind if kind is not None else strip_prefix(text)[0], KIND_GROUPS[None])
        group = self._group(kinds)
        key = normalize(text)
        if group.keys and key:
            for _choice, score, pos in process.extract(
                key, group.keys, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF, limit=limit * 2
            ):
                row = group.rows[pos]
                if any(row in m.rows for m in out):
                    continue
                out.append(
                    Match((row,), str(self.kinds[row]), str(self.names[row]), float(score), "fuzzy", key)
                )
                if len(out) >= limit:
                    break
        return out

    def _pick(
        self,
        rows: list[int],
        kinds: tuple[str, ...],
        key: str,
        method: str,
        score: float,
        typed: bool = True,
    ) -> Match | Miss | None:
        """Rows of the most preferred kind; pieces of one object merge, distant twins are ambiguous.

        A street name the gazetteer splits by kind (a boulevard and a far-away residential
        street of one name, ``gazetteer.SAME_STREET_M``): a *typed* query ("бул.", "ул.") takes
        the kind its type word prefers and lists the other in :attr:`Match.dropped`; an untyped
        one ("Цар Борис III" in a list of a block's streets) cannot choose, so it takes every
        road piece of the name, as one street (the bounds or members then decide the geometry).
        """
        for kind in kinds:
            same = [r for r in rows if self.kinds[r] == kind]
            if not same:
                continue
            road = kind in _ROAD_KINDS
            homonyms = [r for r in rows if road and self.kinds[r] in _ROAD_KINDS and r not in same]
            if homonyms and not typed:
                return Match(tuple(same + homonyms), kind, str(self.names[same[0]]), score, method, key)
            if len(same) > 1 and not self._one_object(same):
                names = ", ".join(f"{self.gdf.at[r, 'osm_type']}/{self.gdf.at[r, 'osm_id']}" for r in same)
                return Miss("ambiguous", f"{len(same)} {kind} objects named {key!r} far apart: {names}")
            name = str(self.names[same[0]])
            return Match(tuple(same), kind, name, score, method, key, dropped=tuple(homonyms))
        return None

    def dropped_note(self, match: Match) -> str:
        """Which same-named road pieces *match* left out, and how far they lie (metres)."""
        if not match.dropped:
            return ""
        kept = self.geometry(match.rows)
        parts = [
            f"{self.names[r]} ({self.kinds[r]}, {', '.join(self.osm_refs([r]))}, "
            f"{self.metric[r].distance(kept):.0f} m away)"
            for r in match.dropped
        ]
        return f"{'; '.join(parts)}: the text's type word names the {match.kind}"

    def _school_type(self, text: str, found: Match | Miss) -> Match | Miss:
        """Keep *found* only if its school type (СУ, ОУ, ПГ …) agrees with the one *text* names.

        Why: Plovdiv has same-named schools of different types (ОУ „Васил Левски“ on ул.
        „Ралица“ and Спортно СОУ „Васил Левски“ 3.8 km away); the type word the report writes
        decides between them. A school whose type disagrees is replaced by the one school
        whose name has the query's type and every word of its name; with none, the miss says
        which school of another type was rejected (never placed at the wrong one).
        """
        want = school_type(text)
        if want is None or not isinstance(found, Match) or found.kind != "school":
            return found
        have = school_type(found.name)
        if have is None or have == want:
            return found
        words = set(normalize(strip_prefix(text)[1]).split())
        same = [
            r
            for r in range(len(self.names))
            if self.kinds[r] == "school"
            and school_type(str(self.names[r])) == want
            and words <= set(str(self.gdf.at[r, "key"]).split())
        ]
        if same and self._one_object(same):
            name = str(self.names[same[0]])
            return Match(tuple(same), "school", name, found.score, "school_type", found.key)
        detail = f"no {want} named {found.key!r}: {found.name} is a {have}"
        if same:
            return Miss("ambiguous", detail + f"; {len(same)} {want} schools far apart")
        return Miss("not_in_extract", detail)

    def beside_landmark(self, text: str, kind: str) -> Match | Miss | None:
        """The unnamed under/overpass beside the landmark a mention names, or ``None``.

        "подлез „Чифте баня“", "подлез на бул. „Санкт Петербург“", "надлез „Родопи“": OSM maps
        such crossings as unnamed ``tunnel``/``bridge`` ways, the name belongs to the landmark
        next to them (a bath, a boulevard, the bus stops „Надлез „Родопи““). The landmark is
        every gazetteer object with the mention's bare name (a stop whose own name carries the
        mention's type word, "Надлез …", is the crossing's namesake and wins); it must be one
        object. The crossing is the nearest one of the mention's kind within :data:`BESIDE_M`,
        with the ways of the same crossing (:data:`CROSSING_GROUP_M`); a second crossing about
        as near makes it an ``ambiguous`` miss; ``None`` when there is no landmark or crossing.
        """
        probe = landmark_probe(text)
        if not probe:
            return None
        rows = list(dict.fromkeys(self.by_key.get(probe, []) + self.by_alt.get(probe, [])))
        rows = [r for r in rows if self.kinds[r] not in CROSSING_KINDS[kind]] or rows
        namesakes = [r for r in rows if strip_prefix(str(self.names[r]))[0] == kind]
        rows = namesakes or rows
        if not rows or not self._one_object(rows):
            return None
        landmark = self.geometry(rows)
        wanted = set(CROSSING_KINDS[kind])
        near = [
            (float(self.metric[r].distance(landmark)), r)
            for r in range(len(self.kinds))
            if self.kinds[r] in wanted and r not in rows
        ]
        near = sorted((d, r) for d, r in near if d <= BESIDE_M)
        if not near:
            return None
        group = [near[0][1]]
        grown = True
        while grown:
            grown = False
            for _d, r in near:
                if r not in group and any(
                    self.metric[r].distance(self.metric[g]) <= CROSSING_GROUP_M for g in group
                ):
                    group.append(r)
                    grown = True
        others = [d for d, r in near if r not in group]
        landmark_name = str(self.names[rows[0]])
        refs = ", ".join(f"{self.gdf.at[r, 'osm_type']}/{self.gdf.at[r, 'osm_id']}" for r in rows[:3])
        if others and others[0] - near[0][0] < CROSSING_MARGIN_M:
            return Miss(
                "ambiguous",
                f"{len(near)} {kind} ways within {BESIDE_M:.0f} m of {landmark_name} ({refs}), "
                f"two crossings {near[0][0]:.0f} m and {others[0]:.0f} m away",
            )
        note = f"{near[0][0]:.0f} m from {landmark_name} ({refs})"
        name = f"{self.names[group[0]]} при {landmark_name}"
        return Match(tuple(group), str(self.kinds[group[0]]), name, 100.0, "beside", probe, note)

    def _one_object(self, rows: list[int]) -> bool:
        geoms = [self.metric[r] for r in rows]
        return all(a.distance(b) <= SAME_OBJECT_M for i, a in enumerate(geoms) for b in geoms[i + 1 :])

    def _group(self, kinds: tuple[str, ...]) -> _Group:
        """Fuzzy choice list for a kind group, built once (keys and alternative keys)."""
        group = self._groups.get(kinds)
        if group is None:
            group = _Group()
            wanted = set(kinds)
            for table in (self.by_key, self.by_alt):
                for key, rows in table.items():
                    for r in rows:
                        if self.kinds[r] in wanted:
                            group.keys.append(key)
                            group.rows.append(r)
            self._groups[kinds] = group
        return group

    def _fuzzy(self, key: str, kinds: tuple[str, ...]) -> Match | Miss:
        probes: list[tuple[str, tuple[str, ...]]] = [(key, kinds)]
        stripped, _desc_kinds = _strip_descriptor(key)
        if stripped:
            probes.append((stripped, kinds))  # kinds are already narrowed by lookup()
        best: tuple[float, int, str, tuple[str, ...]] | None = None
        best_any: tuple[str, float] | None = None
        for probe, probe_kinds in probes:
            group = self._group(probe_kinds)
            if len(probe) < FUZZY_MIN_LEN or not group.keys:
                continue
            for choice, score, pos in process.extract(
                probe, group.keys, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF, limit=10
            ):
                if best_any is None:
                    best_any = (choice, score)
                if not _tokens_compatible(probe, choice):
                    continue
                if best is None or score > best[0]:
                    best = (float(score), group.rows[pos], choice, probe_kinds)
                break
        if best is None:
            detail = f"no {'/'.join(kinds[:3])}{'…' if len(kinds) > 3 else ''} named {key!r}"
            if best_any:
                detail += f" (nearest {best_any[0]!r} {best_any[1]:.0f} rejected)"
            return Miss("not_in_extract", detail)
        score, row, choice, probe_kinds = best
        rows = self.by_key.get(choice, []) or self.by_alt.get(choice, [])
        picked = self._pick(rows or [row], probe_kinds, choice, "fuzzy", score)
        if picked is None:
            kind = str(self.kinds[row])
            return Match((row,), kind, str(self.names[row]), score, "fuzzy", choice)
        return picked


def _strip_descriptor(key: str) -> tuple[str, tuple[str, ...]]:
    """The key without one leading generic word and the kinds that word implies.

    "спортна зала колодрума" → ("колодрума", (sport, stadium, facility)); ("", ()) when the key
    starts with no descriptor.
    """
    for word, kinds in descriptors():
        if key.startswith(word + " "):
            return normalize(key[len(word) + 1 :]), kinds  # aliases apply to the rest too
    return "", ()


def _minor(tok: str) -> bool:
    return tok in _MINOR_TOKENS or (len(tok) <= 2 and not tok.isdigit()) or tok in _descriptor_tokens()


def _descriptor_tokens() -> frozenset[str]:
    return frozenset(t for word, _k in descriptors() for t in word.split())


def _tokens_compatible(query: str, choice: str) -> bool:
    """A fuzzy candidate must not add a real word the query lacks, nor drop one it has.

    Tokens may differ by a typo ("толостой"/"толстой", ratio ≥ 80) or be minor (titles,
    initials, descriptors: "полк сава муткуров" ~ "сава муткуров", "фк марица" ~ "стадион
    марица"). The gazetteer name may carry *extra* words only when the query has two or more
    words and every one of them is found ("къща стамболян" ~ "къща верен стамболян").
    Why: WRatio scores a subset highly ("клуб централен" ~ "централен"), which must not pass.
    """
    q, c = query.split(), choice.split()

    def covered(tok: str, others: list[str]) -> bool:
        return _minor(tok) or any(tok == o or fuzz.ratio(tok, o) >= 80 for o in others)

    if not all(covered(t, c) for t in q):
        return False
    extra = [t for t in c if not covered(t, q)]
    return not extra or sum(1 for t in q if _informative(t)) >= 2


def _informative(tok: str) -> bool:
    """A word that says something: not an initial, number or kind-less descriptor ("обект")."""
    empty = {word for word, kinds in descriptors() if not kinds}
    return len(tok) > 2 and not tok.isdigit() and tok not in empty
