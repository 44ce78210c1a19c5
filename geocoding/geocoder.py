"""geopy-compatible geocoders: the offline OSM gazetteer, and Nominatim as an optional backend.

Why geopy's interface: code that geocodes (the pipeline's checks, a notebook, the dashboard's
search box) can swap the offline gazetteer for OpenStreetMap's Nominatim without changing a
line — both return :class:`geopy.location.Location` objects. The offline one is the default:
it needs no network, answers thousands of lookups per second and says *how* it matched in
``Location.raw`` (precision, matched name, kind, OSM type/id, score). Nominatim's usage policy
allows one request per second, so the online backend is wrapped in geopy's ``RateLimiter``,
bounded to Plovdiv's box and cached on disk under ``data/cache/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point as GeoPoint
from rapidfuzz import fuzz, process
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.extent import viewbox
from geo.projection import to_metric, to_wgs84
from geocoding.gazetteer import load_gazetteer
from geocoding.lookup import GazetteerIndex, Match
from geocoding.normalize import normalize, strip_prefix
from works.files import atomic_write_text
from works.settings import load_settings

__all__ = [
    "NOMINATIM_MIN_DELAY_S",
    "CachedNominatim",
    "OfflineGeocoder",
    "make_geocoder",
]

#: Nominatim's usage policy: at most one request per second.
NOMINATIM_MIN_DELAY_S = 1.0
#: ``reverse`` answers with streets at most this far (metres) from the point.
REVERSE_MAX_M = 500.0
_STREET_KINDS = ("street", "boulevard")
#: rapidfuzz WRatio a "did you mean" suggestion must reach (lower than a match's cutoff).
SUGGEST_CUTOFF = 70.0


class OfflineGeocoder(Geocoder):
    """Geocoder over the offline gazetteer (``data/gazetteer.parquet``) and district polygons.

    ``geocode("ул. „Царевец“")`` → a :class:`~geopy.location.Location` at a point *on* the
    place (the middle of a street, a point inside a polygon); ``raw`` carries ``precision``,
    ``name`` (matched OSM name), ``kind``, ``osm_type``/``osm_id``/``osm_ids``, ``score``
    (0–100) and ``method`` (exact/alt/descriptor/fuzzy). ``reverse((lat, lon))`` → the nearest
    street and the district the point is in. Nothing is sent anywhere: the HTTP adapter geopy's
    base class creates is never used.
    """

    def __init__(
        self,
        gazetteer: gpd.GeoDataFrame | str | Path | None = None,
        districts: gpd.GeoDataFrame | str | Path | None = None,
        *,
        index: GazetteerIndex | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if index is None:
            if gazetteer is None:
                gazetteer = load_settings().gazetteer
            if not isinstance(gazetteer, gpd.GeoDataFrame):
                gazetteer = load_gazetteer(Path(gazetteer))
            index = GazetteerIndex(gazetteer)
        self.index = index
        frame: gpd.GeoDataFrame | None
        if districts is None:
            default = load_settings().districts
            frame = gpd.read_file(default) if default.is_file() else None
        elif isinstance(districts, gpd.GeoDataFrame):
            frame = districts
        else:
            frame = gpd.read_file(Path(districts))
        self.districts = frame
        self._streets: tuple[shapely.STRtree, np.ndarray] | None = None
        self._suggest_keys: tuple[list[str], list[str]] | None = None

    # --- geocode ------------------------------------------------------------------------------

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        kind: str | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Find *query* (a place name, prefix optional: "ДГ „Буратино“", "бул. Марица").

        *kind* restricts the answer (a register place kind: street, school, park …); by default
        the query's own prefix does. Returns ``None`` when nothing matches, as geopy does.
        *timeout* is accepted for interface compatibility (nothing is remote).
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError("query must be a non-empty place name")
        if kind is None and strip_prefix(query)[0] == "district":
            district = self._area_word(query, kind)  # "район Тракия": the district itself
            if district is not None:
                return district if exactly_one else [district]
        if exactly_one:
            found = self.index.lookup(query, kind)
            if isinstance(found, Match):
                return self._location(found, query)
            return self._area_word(query, kind)
        matches = self.index.candidates(query, kind, limit=limit or 5)
        answers = [self._location(m, query) for m in matches]
        if not answers:
            area = self._area_word(query, kind)
            answers = [area] if area is not None else []
        return answers or None

    def _area_word(self, query: str, kind: str | None) -> Location | None:
        """A query for a quarter or district ("жк Тракия", "ж.к. Тракия", "кв. X", "район Y").

        Why: residents write the area word the way they say it; Тракия is a district and a
        ж.к. (OSM has no place=suburb for it, only the district boundary and streets named
        "ж.к. Тракия"). In order: a district polygon of that name, then any place of that name
        (a quarter's streets, a park), never a bus stop.
        """
        prefix, bare = strip_prefix(query)
        if kind is not None or prefix not in ("neighbourhood", "district") or not bare.strip():
            return None
        name = normalize(bare)
        if self.districts is not None and len(self.districts):
            for _, row in self.districts.iterrows():
                if normalize(str(row["name"])) == name and not bool(row.get("unresolved", False)):
                    return self._district_location(row, query)
        found = self.index.lookup(bare, None)
        return self._location(found, query) if isinstance(found, Match) else None

    def _district_location(self, row: Any, query: str) -> Location:
        geom = row.geometry
        anchor = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        rel = row.get("osm_relation_id")
        raw = {
            "query": query,
            "precision": "district",
            "name": f"район {row['name']}",
            "kind": "district",
            "osm_type": "relation",
            "osm_id": None if rel is None or rel != rel else int(rel),
            "osm_ids": [] if rel is None or rel != rel else [f"relation/{int(rel)}"],
            "score": 100.0,
            "method": "district",
            "key": normalize(str(row["name"])),
            "lat": round(anchor.y, 6),
            "lon": round(anchor.x, 6),
            "boundingbox": [round(miny, 6), round(maxy, 6), round(minx, 6), round(maxx, 6)],
            "geometry": shapely.geometry.mapping(geom),
        }
        return Location(f"район {row['name']}, Пловдив", (raw["lat"], raw["lon"]), raw)

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """The gazetteer names nearest to a query that found nothing ("Кукущ" → ["Кукуш", …]).

        rapidfuzz WRatio over every name's key (bus stops excluded), at least
        :data:`SUGGEST_CUTOFF`; one name per key, best first. For "did you mean …?" only:
        a suggestion is never used as an answer.
        """
        if not isinstance(query, str) or not query.strip():
            return []
        key = normalize(query)
        if not key:
            return []
        if self._suggest_keys is None:
            seen: dict[str, str] = {}
            for k, name, kind in zip(self.index.gdf["key"], self.index.names, self.index.kinds, strict=True):
                if k and kind != "bus_stop" and k not in seen:
                    seen[k] = str(name)
            self._suggest_keys = (list(seen), list(seen.values()))
        keys, names = self._suggest_keys
        hits = process.extract(key, keys, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF, limit=limit * 3)
        hits.sort(key=lambda h: (-h[1], abs(len(h[0]) - len(key)), h[0]))
        out: list[str] = []
        for _choice, _score, pos in hits:
            if names[pos] not in out:
                out.append(names[pos])
            if len(out) >= limit:
                break
        return out

    def _location(self, match: Match, query: str) -> Location:
        metric = self.index.geometry(match.rows)
        anchor = to_wgs84(_anchor(metric))
        minx, miny, maxx, maxy = self.index.geometry(match.rows, metric=False).bounds
        raw = {
            "query": query,
            "precision": match.precision,
            "name": match.name,
            "kind": match.kind,
            "osm_type": str(self.index.gdf.at[match.rows[0], "osm_type"]),
            "osm_id": int(self.index.gdf.at[match.rows[0], "osm_id"]),
            "osm_ids": self.index.osm_refs(match.rows),
            "score": round(float(match.score), 1),
            "method": match.method,
            "key": match.key,
            "lat": round(anchor.y, 6),
            "lon": round(anchor.x, 6),
            "boundingbox": [round(miny, 6), round(maxy, 6), round(minx, 6), round(maxx, 6)],
            # The place's whole shape (WGS 84 GeoJSON), so "within 500 m" of a street is
            # measured from the street's nearest point, not from one point of it.
            "geometry": shapely.geometry.mapping(self.index.geometry(match.rows, metric=False)),
        }
        return Location(f"{match.name}, Пловдив", (raw["lat"], raw["lon"]), raw)

    # --- reverse ------------------------------------------------------------------------------

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """The nearest street(s) to a point and the district it lies in.

        *query*: ``(lat, lon)``, ``"lat, lon"`` or a :class:`geopy.point.Point`, like geopy.
        ``None`` when no street is within 500 m (outside the city).
        """
        try:
            point = query if isinstance(query, GeoPoint) else GeoPoint(query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"not a point: {query!r}") from exc
        wgs = Point(point.longitude, point.latitude)
        metric = to_metric(wgs)
        tree, rows = self._street_tree()
        near = tree.query(metric, predicate="dwithin", distance=REVERSE_MAX_M)
        if len(near) == 0:
            return None
        ranked = sorted((self.index.metric[rows[i]].distance(metric), int(rows[i])) for i in near)
        district = self._district(wgs)
        answers = [
            self._reverse_location(r, d, district, point)
            for d, r in ranked[: (1 if exactly_one else limit or 5)]
        ]
        return answers[0] if exactly_one else answers

    def _street_tree(self) -> tuple[shapely.STRtree, np.ndarray]:
        if self._streets is None:
            rows = np.flatnonzero(np.isin(self.index.kinds, _STREET_KINDS))
            self._streets = (shapely.STRtree(self.index.metric[rows]), rows)
        return self._streets

    def _district(self, wgs: Point) -> dict[str, Any]:
        if self.districts is None or not len(self.districts):
            return {"name": None, "osm_relation_id": None, "exact": False}
        hits = self.districts[self.districts.geometry.covers(wgs)]
        if not len(hits):
            return {"name": None, "osm_relation_id": None, "exact": False}
        row = hits.iloc[0]
        rel = row.get("osm_relation_id")
        return {
            "name": str(row["name"]),
            "osm_relation_id": None if rel is None or rel != rel else int(rel),  # NaN/NA → None
            "exact": bool(row.get("exact", False)) and not bool(row.get("unresolved", False)),
        }

    def _reverse_location(
        self, row: int, distance: float, district: dict[str, Any], point: GeoPoint
    ) -> Location:
        name = str(self.index.names[row])
        raw = {
            "precision": "street",
            "name": name,
            "kind": str(self.index.kinds[row]),
            "osm_type": str(self.index.gdf.at[row, "osm_type"]),
            "osm_id": int(self.index.gdf.at[row, "osm_id"]),
            "osm_ids": self.index.osm_refs([row]),
            "score": 100.0,
            "distance_m": round(distance, 1),
            "district": district["name"],
            "district_osm_id": district["osm_relation_id"],
            "district_exact": district["exact"],
            "lat": round(point.latitude, 6),
            "lon": round(point.longitude, 6),
        }
        where = f", район {district['name']}" if district["name"] else ""
        return Location(f"{name}{where}, Пловдив", (point.latitude, point.longitude), raw)


def _anchor(geom: BaseGeometry) -> Point:
    """A point on the place: the middle of its longest line, inside a polygon, or the point."""
    parts = list(getattr(geom, "geoms", [geom]))
    lines = [p for p in parts if isinstance(p, LineString)]
    if lines:
        longest = max(lines, key=lambda ln: ln.length)
        return longest.interpolate(0.5, normalized=True)
    return geom.representative_point() if not isinstance(geom, Point) else geom


# --- the online alternative ---------------------------------------------------------------------


class CachedNominatim:
    """Nominatim through geopy's ``RateLimiter`` (1 request/s), bounded to Plovdiv, disk-cached.

    Same ``geocode`` / ``reverse`` calls and :class:`~geopy.location.Location` results as
    :class:`OfflineGeocoder`. Each distinct query is sent once, ever: answers are kept in a JSON
    file (default ``data/cache/nominatim.json``, written atomically). *geocoder* injects a
    Nominatim-like object (tests pass a fake; nothing in the test suite reaches the network).
    """

    def __init__(
        self,
        user_agent: str = "plovdiv-projects-map",
        cache_path: str | Path | None = None,
        geocoder: Any = None,
        min_delay_seconds: float = NOMINATIM_MIN_DELAY_S,
    ) -> None:
        if geocoder is None:
            # Lazy third-party import: only the online backend needs geopy's Nominatim adapter.
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=user_agent, timeout=10)
        if cache_path is None:
            cache_path = load_settings().cache_dir / "nominatim.json"
        self.backend = geocoder
        self.cache_path = Path(cache_path)
        self._geocode: Callable[..., Any] = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds)
        self._reverse: Callable[..., Any] = RateLimiter(geocoder.reverse, min_delay_seconds=min_delay_seconds)
        self._cache: dict[str, Any] = self._load()

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        """Nominatim ``geocode`` restricted to Plovdiv's viewbox (``bounded=True``), cached."""
        key = f"geocode|{int(exactly_one)}|{query}"
        if key not in self._cache:
            answer = self._geocode(
                query,
                exactly_one=exactly_one,
                viewbox=viewbox(),
                bounded=True,
                country_codes="bg",
                **kwargs,
            )
            self._store(key, answer)
        return self._restore(self._cache[key])

    def reverse(
        self, query: Any, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        """Nominatim ``reverse``, cached per rounded point."""
        point = query if isinstance(query, GeoPoint) else GeoPoint(query)
        key = f"reverse|{int(exactly_one)}|{point.latitude:.6f},{point.longitude:.6f}"
        if key not in self._cache:
            self._store(
                key, self._reverse((point.latitude, point.longitude), exactly_one=exactly_one, **kwargs)
            )
        return self._restore(self._cache[key])

    # --- cache ---------------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        try:
            return json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _store(self, key: str, answer: Location | list[Location] | None) -> None:
        def plain(loc: Location) -> dict[str, Any]:
            return {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}

        if answer is None:
            self._cache[key] = None
        elif isinstance(answer, list):
            self._cache[key] = [plain(loc) for loc in answer]
        else:
            self._cache[key] = plain(answer)
        atomic_write_text(
            self.cache_path, json.dumps(self._cache, ensure_ascii=False, sort_keys=True, indent=1)
        )

    @staticmethod
    def _restore(entry: Any) -> Location | list[Location] | None:
        if entry is None:
            return None
        if isinstance(entry, list):
            return [Location(e["address"], (e["lat"], e["lon"]), e["raw"]) for e in entry]
        return Location(entry["address"], (entry["lat"], entry["lon"]), entry["raw"])


def make_geocoder(backend: str = "offline", **kwargs: Any) -> OfflineGeocoder | CachedNominatim:
    """``"offline"`` → :class:`OfflineGeocoder`; ``"nominatim"`` → :class:`CachedNominatim`.

    Keyword arguments go to the chosen class (e.g. ``gazetteer=``, or ``user_agent=``,
    ``cache_path=``, ``geocoder=`` for Nominatim).
    """
    if backend == "offline":
        return OfflineGeocoder(**kwargs)
    if backend == "nominatim":
        return CachedNominatim(**kwargs)
    raise ValueError(f"unknown geocoder backend {backend!r} (expected 'offline' or 'nominatim')")
