"""Benchmarks of the geodata and geocoding stages (printed by `make bench`, not asserted).

* gazetteer build from the OSM extract (target ≤ 30 s);
* the full pipeline once the gazetteer exists (target ≤ 5 s);
* offline geocoder throughput (target ≥ 1,000 lookups/s) and the ratio against the online
  alternative at its allowed rate — Nominatim's usage policy allows 1 request/s, so the ratio is
  computed from that rate, never measured by calling it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from works.settings import load_settings

GAZETTEER_TARGET_S = 30.0
PIPELINE_TARGET_S = 5.0
LOOKUPS_TARGET_PER_S = 1_000.0


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_gazetteer() -> None:
    """Build the gazetteer (and the districts) from the extract, median of 3."""
    from geo.districts import build_districts
    from geocoding.gazetteer import build_gazetteer

    pbf, _explicit = load_settings().find_osm()
    if pbf is None or not pbf.is_file():
        print("gazetteer: skipped (no OSM extract found)")
        return
    gaz = _median(lambda: build_gazetteer(pbf, progress=False), 3)
    dist = _median(lambda: build_districts(pbf), 3)
    print(
        f"gazetteer build ({pbf.name}): median {gaz:.2f} s (target ≤ {GAZETTEER_TARGET_S:.0f} s, "
        f"ratio {gaz / GAZETTEER_TARGET_S:.2f}); districts {dist:.2f} s"
    )


def bench_pipeline() -> None:
    """`python -m pipeline` end to end with the gazetteer built, median of 3 (output to a temp dir)."""
    from pipeline.cli import main
    from pipeline.geodata import ensure_geodata

    ensure_geodata(load_settings(), progress=False)  # build once, outside the timing
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "projects.geojson"
        args = ["--out", str(out), "--quiet", "--no-download"]
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", *args], check=True)
        fresh = time.perf_counter() - t0
        seconds = _median(lambda: main(args), 3)
    print(
        f"pipeline (gazetteer built): new process {fresh:.2f} s, in-process median {seconds:.2f} s "
        f"(target ≤ {PIPELINE_TARGET_S:.0f} s, ratio {fresh / PIPELINE_TARGET_S:.2f})"
    )


def bench_geocoder() -> None:
    """Lookups per second on the labelled mentions (exact, fuzzy and misses mixed), load excluded."""
    from geocoding.evaluate import DEFAULT_LABELS, load_labels
    from geocoding.geocoder import NOMINATIM_MIN_DELAY_S, OfflineGeocoder
    from pipeline.geodata import ensure_geodata

    geo = ensure_geodata(load_settings(), progress=False)
    t0 = time.perf_counter()
    geocoder = OfflineGeocoder(geo.gazetteer, geo.districts)
    geocoder.geocode("ул. „Царевец“")  # first call builds lazy structures
    load = time.perf_counter() - t0
    queries = [(lab.text, lab.kind) for lab in load_labels(DEFAULT_LABELS)]
    rounds = 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text, kind in queries:
            geocoder.index.lookup(text, kind)
    lookup_rate = rounds * len(queries) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for text, kind in queries * 5:
        geocoder.geocode(text, kind=kind)
    location_rate = 5 * len(queries) / (time.perf_counter() - t0)
    online_rate = 1.0 / NOMINATIM_MIN_DELAY_S
    n = len(queries)
    ratio = location_rate / LOOKUPS_TARGET_PER_S
    print(
        f"geocoder: load {load:.2f} s; {lookup_rate:,.0f} lookups/s, {location_rate:,.0f} geopy "
        f"Locations/s (target ≥ {LOOKUPS_TARGET_PER_S:,.0f}/s, ratio {ratio:.1f})"
    )
    print(
        f"  vs Nominatim at its allowed {online_rate:.0f} request/s (computed, not called): "
        f"{location_rate / online_rate:,.0f}× faster; the {n} labelled mentions take "
        f"{n / location_rate * 1000:.0f} ms offline vs {n / online_rate:.0f} s online"
    )
