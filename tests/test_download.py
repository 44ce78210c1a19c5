"""geocoding.download and the pipeline's "no extract → download + clip" path, against a local
HTTP server (http.server on 127.0.0.1 serving a small .pbf written here) — never the internet.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import osmium
import pytest

from geocoding.download import DownloadError, clip_extract, download, fetch_extract
from works.errors import PlovdivError

BOX = (24.70, 42.10, 24.80, 42.20)


def write_country(path: Path) -> Path:
    """A tiny "Bulgaria": a street crossing the box edge, one far away, an area and a route
    half outside, a district boundary partly outside the box."""
    nodes = {
        1: (24.75, 42.15),  # inside
        2: (24.85, 42.15),  # outside, end of the crossing street
        3: (25.50, 42.50),  # far away
        4: (25.51, 42.50),
        10: (24.78, 42.18),  # park polygon: two corners outside the box
        11: (24.82, 42.18),
        12: (24.82, 42.22),
        13: (24.78, 42.22),
        20: (24.71, 42.11),  # district boundary ring, half outside (south-west)
        21: (24.71, 42.05),
        22: (24.65, 42.05),
        23: (24.65, 42.11),
    }
    with osmium.SimpleWriter(str(path), overwrite=True) as writer:
        for nid, loc in sorted(nodes.items()):
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=loc, version=1))
        ways = {
            100: ([1, 2], {"highway": "residential", "name": "Пресечна"}),
            101: ([3, 4], {"highway": "residential", "name": "Далечна"}),
            102: ([10, 11, 12], {}),
            103: ([12, 13, 10], {}),
            104: ([20, 21, 22], {"boundary": "administrative"}),
            105: ([22, 23, 20], {"boundary": "administrative"}),
        }
        for wid, (refs, tags) in ways.items():
            writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags, version=1))
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=200,
                members=[("w", 102, "outer"), ("w", 103, "outer")],
                tags={"type": "multipolygon", "leisure": "park", "name": "Парк"},
                version=1,
            )
        )
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=201,
                members=[("w", 104, "outer"), ("w", 105, "outer")],
                tags={"type": "boundary", "boundary": "administrative", "admin_level": "8", "name": "Район"},
                version=1,
            )
        )
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=202,
                members=[("w", 100, ""), ("w", 101, "")],
                tags={"type": "route", "route": "bus", "name": "Автобус"},
                version=1,
            )
        )
    return path


def contents(path: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {"n": set(), "w": set(), "r": set()}
    for obj in osmium.FileProcessor(str(path)):
        out[obj.type_str()].add(obj.id)
    return out


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server over tmp_path/www; yields its base URL and folder."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def test_clip_keeps_ways_and_areas_whole_and_drops_the_rest(tmp_path: Path) -> None:
    src = write_country(tmp_path / "country.osm.pbf")
    out = clip_extract(src, tmp_path / "city.osm.pbf", BOX, progress=False)
    got = contents(out)
    assert got["w"] == {100, 102, 103, 104, 105}  # far-away way 101 dropped
    assert {1, 2} <= got["n"]  # the crossing street keeps its outside node
    assert {10, 11, 12, 13, 20, 21, 22, 23} <= got["n"]  # area and boundary complete
    assert not {3, 4} & got["n"]
    assert got["r"] == {200, 201, 202}  # the route stays, with only its inside member
    box = osmium.FileProcessor(str(out)).header.box()
    assert (box.bottom_left.lon, box.top_right.lat) == pytest.approx((24.70, 42.20))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_fetch_downloads_from_a_local_server_and_clips(server: tuple[str, Path], tmp_path: Path) -> None:
    base, root = server
    write_country(root / "bulgaria-latest.osm.pbf")
    cache = tmp_path / "cache"
    out = fetch_extract(cache, url=f"{base}/bulgaria-latest.osm.pbf", bbox=BOX, progress=False)
    assert out == cache / "plovdiv.osm.pbf"
    assert 101 not in contents(out)["w"] and 100 in contents(out)["w"]
    assert sorted(p.name for p in cache.iterdir()) == ["plovdiv.osm.pbf"]  # source removed


def test_download_errors_are_one_line(server: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = server
    with pytest.raises(DownloadError, match="cannot download .*missing.osm.pbf"):
        download(f"{base}/missing.osm.pbf", tmp_path / "x.osm.pbf", progress=False)
    assert not list(tmp_path.glob("*.pbf")) and not list(tmp_path.glob(".*.tmp"))


def test_download_errors_are_plovdiv_errors(server: tuple[str, Path], tmp_path: Path) -> None:
    """One base class for the entry points; an empty body is reported once, not re-wrapped."""
    base, root = server
    (root / "empty.osm.pbf").write_bytes(b"")
    with pytest.raises(PlovdivError, match=r"^download of .*empty.osm.pbf gave an empty file$"):
        download(f"{base}/empty.osm.pbf", tmp_path / "x.osm.pbf", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www"]  # no file, no temporary
    (tmp_path / "junk.osm.pbf").write_bytes(b"not an OSM file")
    with pytest.raises(DownloadError, match="cannot clip junk.osm.pbf"):
        clip_extract(tmp_path / "junk.osm.pbf", tmp_path / "city.osm.pbf", BOX, progress=False)
    assert not (tmp_path / "city.osm.pbf").exists() and not list(tmp_path.glob(".*.tmp"))


def test_pipeline_downloads_when_no_extract_is_found(
    server: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ensure_geodata` with no --osm, no env, no ../shared and an empty cache downloads."""
    import works.settings
    from pipeline.geodata import GeodataError, ensure_geodata

    base, root = server
    write_country(root / "bulgaria-latest.osm.pbf")
    monkeypatch.delenv("PLOVDIV_OSM_PBF", raising=False)
    monkeypatch.setattr(works.settings, "DEFAULT_OSM", tmp_path / "no-shared.osm.pbf")
    monkeypatch.setenv("PLOVDIV_OSM_URL", f"{base}/bulgaria-latest.osm.pbf")
    data = tmp_path / "data"
    settings = works.settings.load_settings(data_dir=data)
    with pytest.raises(GeodataError, match="no OSM extract found"):
        ensure_geodata(settings, progress=False, allow_download=False)
    geo = ensure_geodata(settings, progress=False)
    assert geo.osm == data / "cache" / "osm" / "plovdiv.osm.pbf"
    assert geo.rebuilt == ("gazetteer", "districts")
    assert geo.gazetteer.is_file() and geo.districts.is_file()
    # Second run: the cached extract is found, nothing is rebuilt or downloaded.
    (root / "bulgaria-latest.osm.pbf").unlink()
    again = ensure_geodata(settings, progress=False)
    assert again.osm == geo.osm and again.rebuilt == ()
    monkeypatch.setenv("PLOVDIV_OSM_URL", f"{base}/gone.osm.pbf")
    (data / "cache" / "osm" / "plovdiv.osm.pbf").unlink()
    kept = ensure_geodata(settings, progress=False)  # built files exist: used as they are
    assert kept.osm is None and kept.rebuilt == ()
