"""Every setting of the project, read from the environment in one place.

Why one module: the build (``python -m pipeline``) and the dashboard must agree on where the
register, the built geodata and the planners' corrections are. When each read the environment
on its own, ``PLOVDIV_DATA_DIR`` sent the dashboard's pins to a database the build never read.
Now both call :func:`load_settings`; command-line flags override it through ``overrides``.

| variable | default | meaning |
| --- | --- | --- |
| ``PLOVDIV_DATA_DIR`` | ``data/`` | every built or written file (the app writes nowhere else) |
| ``PLOVDIV_REPORT`` | ``../shared/seed/000_c7612c71fe12c5f9.txt`` | the programme report |
| ``PLOVDIV_OSM_PBF`` | ``../shared/geodata/…``, then ``<data>/cache/osm/`` | the OSM extract |
| ``PLOVDIV_OSM_URL`` | Geofabrik's Bulgaria | where a missing extract is downloaded from |
| ``PLOVDIV_PROJECTS`` | ``<data>/projects.geojson`` | the register |
| ``PLOVDIV_DISTRICTS`` | ``<data>/districts/districts.geojson`` | district polygons |
| ``PLOVDIV_GAZETTEER`` | ``<data>/gazetteer.parquet`` | named OSM objects |
| ``PLOVDIV_BASEMAP`` | ``<data>/basemap.geojson`` | offline basemap |
| ``PLOVDIV_CORRECTIONS_DB`` | ``<data>/corrections.sqlite`` | planners' pins and review decisions |
| ``PLOVDIV_DATABASE_URL`` | (none: the SQLite file above) | a shared store: ``postgresql+psycopg://…`` |
|  |  | (PostgreSQL + PostGIS) for the register, pins and review decisions of every app process |
| ``PLOVDIV_REVIEWS_DIR`` | ``reviews/`` (in the repo) | exported review decisions, one file per report |
| ``PLOVDIV_TILES`` | ``off`` | ``off``, ``osm`` or a tile URL template |
| ``PLOVDIV_MAP_ASSETS`` | ``local`` | ``local`` (vendored map libraries) or ``cdn`` |
| ``PLOVDIV_GEOCODER`` | (offline geocoder) | ``module:factory`` of another geocoder |
| ``PLOVDIV_PLANNER_PASSWORD`` | (none: editing off) | planner password, or ``scrypt$…`` hash |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from works.errors import PlovdivError

__all__ = [
    "DEFAULT_OSM",
    "DEFAULT_REPORT",
    "GEOFABRIK_URL",
    "OSM_ATTRIBUTION",
    "OSM_TILES",
    "REPO_ROOT",
    "SHARED",
    "ConfigError",
    "Settings",
    "database_url",
    "load_settings",
    "writable",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
DEFAULT_REPORT = SHARED / "seed" / "000_c7612c71fe12c5f9.txt"
DEFAULT_OSM = SHARED / "geodata" / "plovdiv-2023-01-02.osm.pbf"
GEOFABRIK_URL = "https://download.geofabrik.de/europe/bulgaria-latest.osm.pbf"
#: Credit required by the ODbL for anything built from OpenStreetMap.
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class ConfigError(PlovdivError):
    """A setting that cannot be honoured (e.g. a write target outside the data folder)."""


@dataclass(frozen=True)
class Settings:
    """Resolved paths and switches; frozen (hashable) so it can key Streamlit caches."""

    data_dir: Path
    report: Path
    #: The extract named by ``PLOVDIV_OSM_PBF`` (or ``--osm``); None: look in the defaults.
    osm_explicit: Path | None
    osm_url: str
    projects: Path
    districts: Path
    gazetteer: Path
    basemap: Path
    corrections_db: Path
    tiles: str
    map_assets: str
    geocoder: str
    planner_password: str
    #: ``--unresolved``; None: ``unresolved.csv`` beside the register.
    unresolved_csv: Path | None = None
    #: Review decisions exported for the repository, one file per report (``pipeline.reviews``).
    reviews_dir: Path = REPO_ROOT / "reviews"
    #: The shared store (PostgreSQL + PostGIS); empty: the embedded SQLite file.
    database_url: str = ""

    @property
    def unresolved(self) -> Path:
        """The list of unlocated place mentions (``unresolved.csv`` beside the register)."""
        return self.unresolved_csv or self.projects.with_name("unresolved.csv")

    @property
    def cache_dir(self) -> Path:
        """Downloads and caches (git-ignored)."""
        return self.data_dir / "cache"

    @property
    def osm_cache(self) -> Path:
        """Where a downloaded and clipped extract is kept."""
        return self.cache_dir / "osm" / "plovdiv.osm.pbf"

    @property
    def osm_pbf(self) -> Path:
        """The extract to read: the explicit one, else ../shared's, else the download cache."""
        if self.osm_explicit is not None:
            return self.osm_explicit
        return DEFAULT_OSM if DEFAULT_OSM.is_file() or not self.osm_cache.is_file() else self.osm_cache

    @property
    def tile_url(self) -> str | None:
        """The configured tile URL template, or None when tiles are off (the default: offline)."""
        if self.tiles.lower() in ("off", "none", "0", "false"):
            return None
        return OSM_TILES if self.tiles.lower() == "osm" else self.tiles

    def find_osm(self) -> tuple[Path | None, bool]:
        """The extract to build from and whether it was asked for explicitly.

        An explicit path is returned even when missing (the caller reports it). Otherwise the
        first that exists of ../shared/geodata/… and the download cache, or ``None`` when
        neither does (the caller may download).
        """
        if self.osm_explicit is not None:
            return self.osm_explicit, True
        for candidate in (DEFAULT_OSM, self.osm_cache):
            if candidate.is_file():
                return candidate, False
        return None, False

    def with_data_dir(self, data_dir: Path | str) -> Settings:
        """The same settings with every default under another data folder (``--data-dir``)."""
        return load_settings(data_dir=Path(data_dir))


def database_url() -> str:
    """``PLOVDIV_DATABASE_URL``: the shared store's SQLAlchemy URL, or "" (the SQLite file).

    Read on its own (no paths resolved) because the store asks on every call: a test or a
    process may switch it, and every pin and decision must go where the setting says.
    """
    return os.environ.get("PLOVDIV_DATABASE_URL", "").strip()


def _env_path(env: str) -> Path | None:
    value = os.environ.get(env, "").strip()
    return Path(value).expanduser().resolve() if value else None


def load_settings(**overrides: Any) -> Settings:
    """Read the environment (cheap: called on every dashboard rerun so tests can change it).

    ``overrides`` are command-line values (``report=``, ``osm_explicit=``, ``data_dir=``,
    ``projects=``, ``corrections_db=`` …); a ``None`` override is ignored. Paths that default
    under the data folder follow an overridden ``data_dir`` unless set themselves.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    data_dir = Path(given.pop("data_dir", None) or _env_path("PLOVDIV_DATA_DIR") or REPO_ROOT / "data")
    data_dir = data_dir.expanduser().resolve()

    def under(env: str, *parts: str) -> Path:
        return _env_path(env) or data_dir.joinpath(*parts)

    settings = Settings(
        data_dir=data_dir,
        report=_env_path("PLOVDIV_REPORT") or DEFAULT_REPORT,
        osm_explicit=_env_path("PLOVDIV_OSM_PBF"),
        osm_url=os.environ.get("PLOVDIV_OSM_URL", "").strip() or GEOFABRIK_URL,
        projects=under("PLOVDIV_PROJECTS", "projects.geojson"),
        districts=under("PLOVDIV_DISTRICTS", "districts", "districts.geojson"),
        gazetteer=under("PLOVDIV_GAZETTEER", "gazetteer.parquet"),
        basemap=under("PLOVDIV_BASEMAP", "basemap.geojson"),
        corrections_db=under("PLOVDIV_CORRECTIONS_DB", "corrections.sqlite"),
        tiles=os.environ.get("PLOVDIV_TILES", "off").strip() or "off",
        map_assets=os.environ.get("PLOVDIV_MAP_ASSETS", "local").strip().lower() or "local",
        geocoder=os.environ.get("PLOVDIV_GEOCODER", "").strip(),
        planner_password=os.environ.get("PLOVDIV_PLANNER_PASSWORD", ""),
        reviews_dir=_env_path("PLOVDIV_REVIEWS_DIR") or REPO_ROOT / "reviews",
        database_url=database_url(),
    )
    paths = {k: Path(v) for k, v in given.items() if isinstance(v, str | Path) and k in _PATH_FIELDS}
    rest = {k: v for k, v in given.items() if k not in paths}
    changes: dict[str, Any] = {**paths, **rest}
    return replace(settings, **changes)


_PATH_FIELDS = frozenset(
    {
        "report",
        "osm_explicit",
        "projects",
        "districts",
        "gazetteer",
        "basemap",
        "corrections_db",
        "unresolved_csv",
        "reviews_dir",
    }
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
