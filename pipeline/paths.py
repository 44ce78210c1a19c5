"""Where the build finds its inputs and writes its outputs.

Inputs are never committed: each is looked up from an environment variable first, then in
`../shared/` beside the repository (where developers and CI have them), then — for the OSM
extract — in the download cache under `data/cache/`.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
DATA_DIR = REPO_ROOT / "data"

REPORT_ENV = "PLOVDIV_REPORT"
DEFAULT_REPORT = SHARED / "seed" / "000_c7612c71fe12c5f9.txt"
DEFAULT_PROJECTS = DATA_DIR / "projects.geojson"

OSM_ENV = "PLOVDIV_OSM_PBF"
DEFAULT_OSM = SHARED / "geodata" / "plovdiv-2023-01-02.osm.pbf"
CACHE_DIR = DATA_DIR / "cache"
CORRECTIONS_ENV = "PLOVDIV_CORRECTIONS_DB"


def osm_cache_dir(data_dir: Path = DATA_DIR) -> Path:
    """Where a downloaded and clipped extract is kept (``geocoding.download.fetch_extract``)."""
    return Path(data_dir) / "cache" / "osm"


def gazetteer_path(data_dir: Path = DATA_DIR) -> Path:
    """The built gazetteer (GeoParquet)."""
    return Path(data_dir) / "gazetteer.parquet"


def districts_path(data_dir: Path = DATA_DIR) -> Path:
    """The built district polygons (GeoJSON)."""
    return Path(data_dir) / "districts" / "districts.geojson"


def report_path(cli_value: str | None = None) -> Path:
    """The report: `--report`, else $PLOVDIV_REPORT, else ../shared/seed/…"""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(REPORT_ENV)
    return Path(env) if env else DEFAULT_REPORT


def osm_path(cli_value: str | None = None) -> Path:
    """The OSM extract: `--osm`, else $PLOVDIV_OSM_PBF, else ../shared/geodata/…"""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(OSM_ENV)
    return Path(env) if env else DEFAULT_OSM


def find_osm(cli_value: str | None = None, data_dir: Path = DATA_DIR) -> tuple[Path | None, bool]:
    """The extract to build from and whether it was asked for explicitly.

    `--osm` or $PLOVDIV_OSM_PBF are explicit: returned even if missing (the caller reports
    it). Otherwise the first that exists of ../shared/geodata/… and the download cache, or
    ``None`` when neither does (the caller may download).
    """
    explicit = cli_value or os.environ.get(OSM_ENV)
    if explicit:
        return Path(explicit), True
    for candidate in (DEFAULT_OSM, osm_cache_dir(data_dir) / "plovdiv.osm.pbf"):
        if candidate.is_file():
            return candidate, False
    return None, False


def corrections_db(data_dir: Path = DATA_DIR) -> Path:
    """The planners' pins: $PLOVDIV_CORRECTIONS_DB, else data/corrections.sqlite."""
    env = os.environ.get(CORRECTIONS_ENV)
    return Path(env) if env else Path(data_dir) / "corrections.sqlite"
