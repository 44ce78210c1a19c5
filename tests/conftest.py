"""Shared fixtures: the real inputs from ../shared (tests needing them skip with a reason)."""

from __future__ import annotations

from pathlib import Path

import pytest

from works.settings import DEFAULT_REPORT, load_settings


@pytest.fixture(scope="session")
def real_report() -> Path:
    """The programme report from ../shared (or $PLOVDIV_REPORT)."""
    path = load_settings().report
    if not path.exists():
        pytest.skip(f"report not found at {path} (expected beside the repo: {DEFAULT_REPORT})")
    return path


@pytest.fixture(scope="session")
def real_records(real_report: Path):
    """The register extracted from the real report, once per session."""
    from extraction import extract_projects, parse_outline, read_report

    return extract_projects(parse_outline(read_report(real_report)))


#: The small hand-made register and district polygons the dashboard tests run on.
DASHBOARD_FIXTURES = Path(__file__).parent / "data" / "dashboard"


def load_fixture_register(tmp_path: Path):
    """The dashboard's register loaded from the hand-made fixtures, with no pins and no geocoder.

    A function as well as the ``register`` fixture: some tests load it twice (two processes'
    views of one register).
    """
    from dashboard.data import load_register

    return load_register(
        str(DASHBOARD_FIXTURES / "projects.geojson"),
        0.0,
        str(DASHBOARD_FIXTURES / "districts.geojson"),
        0.0,
        str(tmp_path / "none.sqlite"),
        "none",
    )


@pytest.fixture
def register(tmp_path: Path):
    """:func:`load_fixture_register` as a fixture."""
    return load_fixture_register(tmp_path)


@pytest.fixture(scope="session")
def postgis_url():
    """A real PostgreSQL + PostGIS server for the session (Debian's packages); skips without them."""
    from tests.pg_support import postgis_server, unavailable

    reason = unavailable()
    if reason:
        print(f"\nSKIP shared-store tests: {reason}")
        pytest.skip(reason)
    with postgis_server() as url:
        yield url


@pytest.fixture
def shared_store(postgis_url, monkeypatch):
    """``PLOVDIV_DATABASE_URL`` set to a clean database for one test."""
    import sqlalchemy as sa

    from pipeline import _postgres

    engine = sa.create_engine(postgis_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("DROP TABLE IF EXISTS works, registers, reviews, corrections, login_failures CASCADE")
        )
    engine.dispose()
    _postgres.dispose()
    monkeypatch.setenv("PLOVDIV_DATABASE_URL", postgis_url)
    yield postgis_url
    _postgres.dispose()


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app on the fixture register in a fresh data folder (returned), no password, no store."""
    for name, value in {
        "PLOVDIV_DATA_DIR": str(tmp_path),
        "PLOVDIV_PROJECTS": str(DASHBOARD_FIXTURES / "projects.geojson"),
        "PLOVDIV_DISTRICTS": str(DASHBOARD_FIXTURES / "districts.geojson"),
        "PLOVDIV_BASEMAP": str(DASHBOARD_FIXTURES / "basemap.geojson"),
        "PLOVDIV_GEOCODER": "tests.dashboard_fakes:FakeGeocoder",
        "PLOVDIV_TILES": "off",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("PLOVDIV_PLANNER_PASSWORD", "PLOVDIV_CORRECTIONS_DB", "PLOVDIV_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path
