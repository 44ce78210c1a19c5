"""Shared fixtures for geocoding tests: the real extract's built gazetteer and districts.

Built once per session into a temp dir from ``$PLOVDIV_OSM_PBF`` or ``../shared/geodata/…``
(tests that need them skip when the extract is absent). ODbL data never enters the repo.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest

REPO = Path(__file__).resolve().parents[1]


def gazetteer_row(name: str, kind: str, osm_id: int, geom, alt: str = "", osm_type: str = "way") -> dict:
    """One hand-made gazetteer row (same columns as ``geocoding.gazetteer``) for unit tests."""
    from geocoding.normalize import normalize

    return {
        "name": name,
        "name_en": name,
        "kind": kind,
        "osm_type": osm_type,
        "osm_id": osm_id,
        "osm_ids": str(osm_id),
        "key": normalize(name),
        "alt_keys": alt,
        "geometry": geom,
    }


PBF = Path(
    os.environ.get("PLOVDIV_OSM_PBF", REPO.parent / "shared" / "geodata" / "plovdiv-2023-01-02.osm.pbf")
)
needs_extract = pytest.mark.skipif(
    not PBF.is_file(), reason=f"OSM extract not found at {PBF} (set PLOVDIV_OSM_PBF or provide ../shared)"
)


@pytest.fixture(scope="session")
def real_gazetteer() -> gpd.GeoDataFrame:
    from geocoding.gazetteer import build_gazetteer

    if not PBF.is_file():
        pytest.skip(f"OSM extract not found at {PBF}")
    return build_gazetteer(PBF, progress=False)


@pytest.fixture(scope="session")
def real_districts() -> gpd.GeoDataFrame:
    from geo.districts import build_districts

    if not PBF.is_file():
        pytest.skip(f"OSM extract not found at {PBF}")
    return build_districts(PBF)


@pytest.fixture(scope="session")
def real_index(real_gazetteer: gpd.GeoDataFrame):
    from geocoding.lookup import GazetteerIndex

    return GazetteerIndex(real_gazetteer)


@pytest.fixture(scope="session")
def real_resolver(real_index, real_districts):
    from geocoding.resolve import Resolver

    return Resolver(real_index, real_districts)
