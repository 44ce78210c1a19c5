"""Two app processes behind nginx (``deploy/nginx.conf.template``) share one store.

A real nginx from Debian and two ``streamlit run`` processes on 127.0.0.1, driven at the
protocol level (``benchmarks.protocol``): each browser (its ``plovdiv_node`` cookie) stays on
one process, browsers spread over both, and a pin stored in the shared PostgreSQL database
shows on both processes' maps. Skips (with the reason) without nginx or PostgreSQL + PostGIS.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.cluster import NODE_COOKIE, cluster, nginx_missing
from benchmarks.protocol import Session
from pipeline import corrections, store
from works.geojson import read_register

FIXTURES = Path(__file__).parent / "data" / "dashboard"
_SHOWN = re.compile(r"(\d+) от (\d+) проекта отговарят на филтрите: (\d+) на картата")


def _located(base: str, node: str) -> int:
    with Session(base, cookies={NODE_COOKIE: node}) as session:
        run = session.rerun()
    assert not run.exceptions, run.exceptions
    assert run.seconds_to_map is not None
    found = [m for m in map(_SHOWN.search, run.texts) if m]
    assert found, run.texts
    return int(found[0].group(3))


def test_two_processes_behind_nginx_share_one_store(shared_store: str, tmp_path: Path) -> None:
    if reason := nginx_missing():
        pytest.skip(reason)
    built = read_register(FIXTURES / "projects.geojson")
    store.publish_register(built.records, built.metadata)
    env = {
        "PLOVDIV_DATA_DIR": str(tmp_path),
        "PLOVDIV_PROJECTS": str(tmp_path / "not-read.geojson"),  # the register comes from the database
        "PLOVDIV_DISTRICTS": str(FIXTURES / "districts.geojson"),
        "PLOVDIV_BASEMAP": str(FIXTURES / "basemap.geojson"),
        "PLOVDIV_GEOCODER": "tests.dashboard_fakes:FakeGeocoder",
        "PLOVDIV_TILES": "off",
        "PLOVDIV_PLANNER_PASSWORD": "",
        "PLOVDIV_DATABASE_URL": shared_store,
    }
    nodes = [uuid.uuid4().hex for _ in range(8)]
    with cluster(2, env, tmp_path / "cluster") as target:
        before = {node: _located(target.base, node) for node in nodes}
        unlocated = next(r for r in built.records if r.location is None or r.location.geometry is None)
        corrections.add_correction(tmp_path / "unused.sqlite", unlocated.key, 42.145, 24.75, "anna")
        after = {node: _located(target.base, node) for node in nodes}
        again = _located(target.base, nodes[0])
    log = (tmp_path / "cluster" / "nginx" / "access.log").read_text(encoding="utf-8")
    upstreams: dict[str, set[str]] = defaultdict(set)
    for line in log.splitlines():
        if "/_stcore/stream" in line:
            upstream, node = line.split()[-2:]
            upstreams[node].add(upstream)
    assert set(nodes) <= set(upstreams)
    assert all(len(upstreams[node]) == 1 for node in nodes), upstreams  # sticky
    assert len({next(iter(upstreams[node])) for node in nodes}) == 2  # both processes serve
    assert len(set(before.values())) == 1
    assert all(after[node] == before[node] + 1 for node in nodes)  # the pin, on both processes
    assert again == after[nodes[0]]
