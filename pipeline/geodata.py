"""Build the gazetteer and the district polygons when they are missing or stale.

Why here and not only in the Makefile: `python -m pipeline` must give the same result from any
entry point (make, tests, a developer's shell). A derived file is rebuilt when it is missing or
older than any of its inputs: the OSM extract and the code that builds it (modification times,
like make). The extract is found by ``works.settings.Settings.find_osm``; with none available the current
Geofabrik extract is downloaded and clipped (``geocoding.download``). Both outputs are written
atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.districts import build_districts, save_districts
from geocoding.download import DownloadError, fetch_extract
from geocoding.gazetteer import build_gazetteer, save_gazetteer
from works.errors import PlovdivError, one_line
from works.settings import REPO_ROOT, Settings

__all__ = ["GAZETTEER_CODE", "DISTRICTS_CODE", "GeoData", "GeodataError", "ensure_geodata", "is_stale"]

#: Code the gazetteer depends on (a change rebuilds it).
GAZETTEER_CODE: tuple[Path, ...] = tuple(
    REPO_ROOT / p
    for p in (
        "geocoding/gazetteer.py",
        "geocoding/normalize.py",
        "geocoding/name_variants.toml",
        "geo/names.py",
        "geo/projection.py",
    )
)
#: Code the district polygons depend on.
DISTRICTS_CODE: tuple[Path, ...] = tuple(
    REPO_ROOT / p for p in ("geo/districts.py", "geo/names.py", "geo/projection.py")
)


class GeodataError(PlovdivError):
    """No extract and no way to get one, or a build failed (one line, for the CLI)."""


@dataclass(frozen=True)
class GeoData:
    """Paths of the built files and of the extract they come from (``None``: not found)."""

    gazetteer: Path
    districts: Path
    osm: Path | None
    rebuilt: tuple[str, ...] = ()


def is_stale(target: Path, inputs: Iterable[Path]) -> bool:
    """True when *target* is missing or older than any existing input."""
    if not target.is_file():
        return True
    mtime = target.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > mtime for p in inputs)


def ensure_geodata(
    settings: Settings,
    progress: bool = True,
    allow_download: bool = True,
    log: Callable[[str], None] = lambda _msg: None,
) -> GeoData:
    """Make sure the gazetteer and district polygons of ``settings`` are current.

    The extract is the explicit one (``--osm`` or $PLOVDIV_OSM_PBF), else ../shared's, else
    the download cache, else a download (if *allow_download*). With no extract but both
    built files present, those are used as they are (their inputs cannot be checked).
    """
    gaz, dist = settings.gazetteer, settings.districts
    pbf, explicit = settings.find_osm()
    if explicit and (pbf is None or not pbf.is_file()):
        raise GeodataError(f"OSM extract not found: {pbf}")
    if pbf is None:
        if gaz.is_file() and dist.is_file():
            log("note: no OSM extract found; using the existing gazetteer and districts as built")
            return GeoData(gaz, dist, None)
        if not allow_download:
            raise GeodataError("no OSM extract found (set PLOVDIV_OSM_PBF or provide ../shared/geodata/)")
        log("no OSM extract found locally: downloading the Geofabrik extract of Bulgaria")
        try:
            pbf = fetch_extract(settings.osm_cache.parent, url=settings.osm_url, progress=progress)
        except DownloadError as exc:
            raise GeodataError(f"no OSM extract found and {exc}") from exc
    rebuilt: list[str] = []
    stale_gaz, stale_dist = is_stale(gaz, [pbf, *GAZETTEER_CODE]), is_stale(dist, [pbf, *DISTRICTS_CODE])
    if stale_gaz or stale_dist:
        _check_pbf(pbf)
    try:
        if stale_gaz:
            log(f"building {gaz} from {pbf.name}")
            save_gazetteer(build_gazetteer(pbf, progress=progress), gaz)
            rebuilt.append("gazetteer")
        if stale_dist:
            log(f"building {dist} from {pbf.name}")
            save_districts(build_districts(pbf), dist.parent)
            rebuilt.append("districts")
    except (RuntimeError, ValueError, OSError) as exc:
        raise GeodataError(f"cannot build geodata from {pbf}: {_one_line(exc)}") from exc
    return GeoData(gaz, dist, pbf, tuple(rebuilt))


def _one_line(exc: BaseException) -> str:
    return one_line(" ".join(str(exc).split())) or type(exc).__name__


def _check_pbf(pbf: Path) -> None:
    """Fail fast, before any progress output, when the extract is not a readable OSM file."""
    import osmium  # heavy C extension: only when an extract must be read

    try:
        reader = osmium.io.Reader(str(pbf), osmium.osm.NOTHING)
        reader.header()
        reader.close()
    except RuntimeError as exc:
        raise GeodataError(f"cannot build geodata from {pbf}: {_one_line(exc)}") from exc
