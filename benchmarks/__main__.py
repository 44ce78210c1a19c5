"""Time the stages of the build and print times and ratios against their targets.

Run as `python -m benchmarks` (`make bench`). Not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import statistics
import sys
import time

from extraction import extract_projects, parse_outline, read_report
from works.settings import load_settings

EXTRACTION_TARGET_S = 2.0


def _time(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def bench_extraction() -> None:
    """Full extraction: read + parse + extract, median of 5 runs (the first run loads rules)."""
    path = load_settings().report
    cold0 = time.perf_counter()
    extract_projects(parse_outline(read_report(path)))
    cold = time.perf_counter() - cold0
    median, records = _time(lambda: extract_projects(parse_outline(read_report(path))))
    n = len(records)  # type: ignore[arg-type]
    print(
        f"extraction: {n} records; cold {cold:.3f} s, warm median {median:.3f} s "
        f"(target ≤ {EXTRACTION_TARGET_S:.1f} s, ratio {median / EXTRACTION_TARGET_S:.2f})"
    )


def main() -> int:
    """Run every benchmark."""
    from benchmarks.dashboard import bench_dashboard
    from benchmarks.geocoding import bench_gazetteer, bench_geocoder, bench_pipeline
    from benchmarks.server_cpu import bench_server_cpu

    bench_extraction()
    bench_gazetteer()
    bench_pipeline()
    bench_geocoder()
    bench_dashboard()
    bench_server_cpu()
    return 0


if __name__ == "__main__":
    sys.exit(main())
