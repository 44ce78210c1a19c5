"""Fetch a current OpenStreetMap extract of Plovdiv when none is at hand.

Why: the build must work from a clean checkout with network access and no ``../shared``.
Geofabrik publishes a daily extract of Bulgaria; we download it once (with a progress bar) and
clip it to the city's box (``geo.extent.PLOVDIV_BBOX``) with pyosmium, in the spirit of
``osmium extract --strategy smart``:

* every node inside the box;
* every way with a node inside the box, with *all* its nodes (no cut-off ways);
* every relation with a member inside the box; multipolygons and boundaries down to the city's
  level (``admin_level`` ≥ 7) are kept *complete* (all member ways and their nodes), so district
  and city polygons close — the gap the shared BBBike extract has.

The result is written atomically (``works.files.atomic_path``) to the cache under
``data/cache/osm/`` (git-ignored: the data is © OpenStreetMap contributors, ODbL 1.0, and is
never committed). The Bulgaria file is deleted after clipping unless asked to keep it.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import osmium
from tqdm import tqdm

from geo.extent import PLOVDIV_BBOX
from works.errors import PlovdivError
from works.files import atomic_path
from works.settings import GEOFABRIK_URL, load_settings

__all__ = [
    "GEOFABRIK_URL",
    "URL_ENV",
    "DownloadError",
    "clip_extract",
    "download",
    "fetch_extract",
]

#: Environment variable overriding the download URL (a mirror, or a local server in tests);
#: read by ``works.settings`` (``Settings.osm_url``), named here for reference.
URL_ENV = "PLOVDIV_OSM_URL"
USER_AGENT = "plovdiv-projects-map/1 (+offline geocoder build)"
_CHUNK = 1 << 20

BBox = tuple[float, float, float, float]


class DownloadError(PlovdivError):
    """The extract could not be downloaded or clipped (one line, for the CLI).

    A ``PlovdivError`` (hence a ``ValueError``), no longer a ``RuntimeError``: callers catch
    it by name (``pipeline.geodata``) or as ``PlovdivError``.
    """


def download(url: str, dest: Path, progress: bool = True, timeout: float = 60.0) -> Path:
    """Stream *url* to *dest* (atomically), showing a tqdm bar sized by Content-Length."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with atomic_path(dest) as tmp:
            with urllib.request.urlopen(request, timeout=timeout) as response, tmp.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0) or None
                with tqdm(
                    total=total,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=f"Downloading {url.rsplit('/', 1)[-1]}",
                    disable=not progress,
                ) as bar:
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        bar.update(len(chunk))
            if tmp.stat().st_size == 0:
                raise DownloadError(f"download of {url} gave an empty file")
    except DownloadError:
        raise  # already one line; a PlovdivError is a ValueError and must not be re-wrapped
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(f"cannot download {url}: {reason}") from exc
    return dest


def _inside(lon: float, lat: float, bbox: BBox) -> bool:
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def _keep_whole(tags: Mapping[str, str] | osmium.osm.TagList) -> bool:
    """Relations worth completing: areas, and boundaries from the city's level down."""
    kind = tags.get("type")
    if kind == "multipolygon":
        return True
    if kind == "boundary":
        level = tags.get("admin_level")
        try:
            return int(level if level is not None else "99") >= 7
        except ValueError:
            return False
    return False


def clip_extract(src: Path, dest: Path, bbox: BBox = PLOVDIV_BBOX, progress: bool = True) -> Path:
    """Clip *src* to *bbox* as described in the module docstring; atomic write to *dest*."""
    src, dest = Path(src), Path(dest)
    tracker = osmium.IdTracker()
    steps = tqdm(total=5, desc="Clipping to Plovdiv", unit=" pass", disable=not progress)
    try:
        for node in osmium.FileProcessor(str(src), osmium.osm.NODE):
            if not isinstance(node, osmium.osm.Node):  # only nodes are read; narrows the type
                continue
            loc = node.location
            if loc.valid() and _inside(loc.lon, loc.lat, bbox):
                tracker.add_node(node.id)
        steps.update()
        for way in osmium.FileProcessor(str(src), osmium.osm.WAY):
            if tracker.contains_any_references(way):
                tracker.add_way(way.id)
        steps.update()
        for rel in osmium.FileProcessor(str(src), osmium.osm.RELATION):
            if isinstance(rel, osmium.osm.Relation) and tracker.contains_any_references(rel):
                tracker.add_relation(rel.id)
                if _keep_whole(rel.tags):
                    for member in rel.members:
                        if member.type == "w":
                            tracker.add_way(member.ref)
                        elif member.type == "n":
                            tracker.add_node(member.ref)
        steps.update()
        way_ids = tracker.way_ids()
        for way in osmium.FileProcessor(str(src), osmium.osm.WAY):
            if way.id in way_ids:
                tracker.add_references(way)  # complete ways: all their nodes
        steps.update()
        header = osmium.io.Header()
        header.add_box(osmium.osm.Box(*bbox))
        header.set("generator", "plovdiv-projects-map clip_extract (pyosmium)")
        # overwrite=True: atomic_path has already created the (empty) temporary file.
        with (
            atomic_path(dest) as tmp,
            osmium.SimpleWriter(osmium.io.File(str(tmp), "pbf"), header=header, overwrite=True) as writer,
        ):
            for obj in osmium.FileProcessor(str(src)).with_filter(tracker.id_filter()):
                writer.add(obj)
        steps.update()
    except RuntimeError as exc:  # osmium reports unreadable input as RuntimeError
        raise DownloadError(f"cannot clip {src.name}: {exc}") from exc
    finally:
        steps.close()
    return dest


def fetch_extract(
    cache_dir: Path,
    url: str | None = None,
    bbox: BBox = PLOVDIV_BBOX,
    progress: bool = True,
    keep_source: bool = False,
) -> Path:
    """Download the (Geofabrik) extract into *cache_dir* and clip it to Plovdiv.

    Returns the clipped file ``<cache_dir>/plovdiv.osm.pbf``. *url* defaults to
    ``$PLOVDIV_OSM_URL`` or :data:`GEOFABRIK_URL` (``works.settings.load_settings().osm_url``).
    """
    url = url or load_settings().osm_url
    cache_dir = Path(cache_dir)
    source = cache_dir / url.rsplit("/", 1)[-1]
    if not source.name.endswith(".osm.pbf"):
        source = cache_dir / "source.osm.pbf"
    download(url, source, progress=progress)
    try:
        return clip_extract(source, cache_dir / "plovdiv.osm.pbf", bbox, progress=progress)
    finally:
        if not keep_source:
            source.unlink(missing_ok=True)
