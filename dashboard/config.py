"""Every setting of the dashboard, read from the environment in one place.

Why one place: the browser tests point the app at fixture files through these variables, so
they must be the only way the views find their inputs; and the rule "the app never writes
outside data/" is enforced here (:func:`writable`), not in each caller.

| variable | default | meaning |
| --- | --- | --- |
| ``PLOVDIV_DATA_DIR`` | ``data/`` | the only folder the app writes to |
| ``PLOVDIV_PROJECTS`` | ``data/projects.geojson`` | the register |
| ``PLOVDIV_DISTRICTS`` | ``data/districts/districts.geojson`` | district polygons |
| ``PLOVDIV_BASEMAP`` | ``data/basemap.geojson`` | offline basemap (``python -m dashboard.basemap``) |
| ``PLOVDIV_GAZETTEER`` | ``data/gazetteer.parquet`` | streets for the basemap fallback |
| ``PLOVDIV_CORRECTIONS_DB`` | ``<data dir>/corrections.sqlite`` | planners' pins (inside the data dir) |
| ``PLOVDIV_TILES`` | ``off`` | ``off``, ``osm`` or a tile URL template (used only when reachable) |
| ``PLOVDIV_GEOCODER`` | (``geocoding.OfflineGeocoder``) | ``module:factory`` of another geocoder |
| ``PLOVDIV_PLANNER_PASSWORD`` | (none: editing off) | planner password, or ``scrypt$…`` hash |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import DATA_DIR, DEFAULT_PROJECTS, osm_path

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


class ConfigError(ValueError):
    """A setting that cannot be honoured (e.g. a write target outside the data folder)."""


@dataclass(frozen=True)
class Settings:
    """Resolved paths and switches; frozen so it can key Streamlit caches."""

    data_dir: Path
    projects: Path
    districts: Path
    basemap: Path
    gazetteer: Path
    osm_pbf: Path
    corrections_db: Path
    tiles: str
    geocoder: str
    planner_password: str


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env, "").strip()
    return Path(value).expanduser().resolve() if value else default.resolve()


def load_settings() -> Settings:
    """Read the environment (cheap; called on every rerun so tests can change it per server)."""
    data_dir = _path("PLOVDIV_DATA_DIR", DATA_DIR)
    tiles = os.environ.get("PLOVDIV_TILES", "off").strip() or "off"
    return Settings(
        data_dir=data_dir,
        projects=_path("PLOVDIV_PROJECTS", DEFAULT_PROJECTS),
        districts=_path("PLOVDIV_DISTRICTS", DATA_DIR / "districts" / "districts.geojson"),
        basemap=_path("PLOVDIV_BASEMAP", DATA_DIR / "basemap.geojson"),
        gazetteer=_path("PLOVDIV_GAZETTEER", DATA_DIR / "gazetteer.parquet"),
        osm_pbf=osm_path(),
        corrections_db=_path("PLOVDIV_CORRECTIONS_DB", data_dir / "corrections.sqlite"),
        tiles=tiles,
        geocoder=os.environ.get("PLOVDIV_GEOCODER", "").strip(),
        planner_password=os.environ.get("PLOVDIV_PLANNER_PASSWORD", ""),
    )


def writable(path: Path, settings: Settings) -> Path:
    """``path`` resolved, if it lies inside the data folder; else :class:`ConfigError`.

    Why: the dashboard is reachable by residents; whatever a setting says, it may only ever
    create or change files under the data folder.
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(settings.data_dir):
        raise ConfigError(f"{resolved} is outside the data folder {settings.data_dir}")
    return resolved


def tile_url(settings: Settings) -> str | None:
    """The configured tile URL template, or None when tiles are off."""
    if settings.tiles.lower() in ("off", "none", "0", "false"):
        return None
    return OSM_TILES if settings.tiles.lower() == "osm" else settings.tiles
