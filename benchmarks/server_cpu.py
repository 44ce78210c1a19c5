"""Server CPU seconds per page view and per filter change (``make bench``).

What is measured: the Streamlit process's own CPU time (user + system, ``/proc/<pid>/stat``),
never wall time, while sessions driven at the protocol level (``benchmarks.protocol``: no
browser on the server's cores) open the map and change a filter one after another. A *page
view* is a new session: connect, the first script run with the URL's query string, the map's
data and HTML received, disconnect. A *filter change* is one status picked in the sidebar in
an open session. The first view after the start is reported apart (it loads the register).

Targets (issue 15): ≤ 0.15 s per page view, ≤ 0.05 s per filter change.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.protocol import Session
from tests.browser_support import REPO_ROOT, cpu_seconds, streamlit_process

VIEW_TARGET_S = 0.15
FILTER_TARGET_S = 0.05
STATUS_LABEL = "Статус"
#: The statuses a filter change cycles through (their Bulgarian labels' starts).
STATUS_OPTIONS = ("Спрян", "Завършен", "В изпълнение", "Проектиране")


@dataclass(frozen=True)
class CpuFigures:
    """CPU seconds of the server process."""

    first_view: float
    per_view: float
    #: A filter state no session had asked for since the start (the map is built).
    per_new_filter: float
    #: A filter state some session has seen (the map and the counts are shared).
    per_filter: float
    views: int
    filters: int


def app_env(data_dir: Path | None = None) -> dict[str, str]:
    """The app's environment for benchmarks: offline, vendored assets, editing off."""
    env = {"PLOVDIV_TILES": "off", "PLOVDIV_MAP_ASSETS": "local", "PLOVDIV_PLANNER_PASSWORD": ""}
    if data_dir is not None:
        env["PLOVDIV_DATA_DIR"] = str(data_dir)
    return env


@contextmanager
def _server(log: Path) -> Iterator[tuple[str, int]]:
    with streamlit_process(REPO_ROOT / "app.py", log, app_env()) as (base, proc):
        yield base, proc.pid


def measure(base: str, pid: int, views: int = 10, filters: int = 8) -> CpuFigures:
    """Sequential page views, then filter changes in one session; CPU seconds of ``pid``."""
    before = cpu_seconds(pid)
    with Session(base) as session:
        session.rerun()
    first = cpu_seconds(pid) - before
    view_costs = []
    for _ in range(views):
        before = cpu_seconds(pid)
        with Session(base) as session:
            session.rerun()
        view_costs.append(cpu_seconds(pid) - before)
    new_costs, filter_costs = [], []
    with Session(base) as session:
        session.rerun()
        for i in range(len(STATUS_OPTIONS) + filters):
            before = cpu_seconds(pid)
            session.choose(STATUS_LABEL, STATUS_OPTIONS[i % len(STATUS_OPTIONS)])
            (new_costs if i < len(STATUS_OPTIONS) else filter_costs).append(cpu_seconds(pid) - before)
    return CpuFigures(
        first,
        statistics.mean(view_costs),
        statistics.mean(new_costs),
        statistics.mean(filter_costs),
        len(view_costs),
        len(filter_costs),
    )


def bench_server_cpu() -> list[str]:
    """Start the app on the real data (``data/``), measure, print and return the lines."""
    with (
        tempfile.TemporaryDirectory(prefix="cpu-bench-") as tmp,
        _server(Path(tmp) / "streamlit.log") as (
            base,
            pid,
        ),
    ):
        figures = measure(base, pid)
    ok_view = "ok" if figures.per_view <= VIEW_TARGET_S else "OVER"
    ok_filter = "ok" if figures.per_filter <= FILTER_TARGET_S else "OVER"
    ok_new = "ok" if figures.per_new_filter <= FILTER_TARGET_S else "OVER"
    lines = [
        f"server CPU, first page view after start (loads the register): {figures.first_view:.2f} s",
        f"server CPU per page view: {figures.per_view:.3f} s "
        f"(mean of {figures.views}; target ≤ {VIEW_TARGET_S} s) {ok_view}",
        f"server CPU per filter change to a state some session has seen: {figures.per_filter:.3f} s "
        f"(mean of {figures.filters}; target ≤ {FILTER_TARGET_S} s) {ok_filter}",
        f"server CPU per filter change to a state no session has seen: {figures.per_new_filter:.3f} s "
        f"(mean of {len(STATUS_OPTIONS)}; target ≤ {FILTER_TARGET_S} s) {ok_new}",
    ]
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    bench_server_cpu()
    sys.exit(0)
