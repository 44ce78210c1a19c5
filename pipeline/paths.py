"""Where the build finds its inputs and writes its outputs.

Inputs are never committed: each is looked up from an environment variable first, then in
`../shared/` beside the repository (where developers and CI have them).
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
