"""Load test (``make load``): N sessions open the map and change a filter, against 1 and 2 app
processes behind nginx, all on 127.0.0.1.

Sessions are driven at Streamlit's protocol level (``benchmarks.protocol``: the websocket
``/_stcore/stream`` and its protobuf messages), so no browser competes with the app for the
machine's cores. Each session starts at a random moment within ``--within`` seconds, opens
the map (connect + first script run; *time to map* = until the map component's data has
arrived), then picks a status in the sidebar (*filter change* = until the new run ends), and
disconnects. Reported: p50/p95 of both, errors (a failed connection, a timeout, an exception
on the page, no map), and the app processes' CPU seconds (``/proc``) per session.

Bounded: at most :data:`MAX_SESSIONS` sessions, :data:`TIMEOUT_S` per step, 127.0.0.1 only.
Target (issue 15, 2-core machine): 20 sessions within 10 s, p95 ≤ 3 s, no errors.

``--store postgres`` (``make load LOAD_STORE=postgres``) runs the same against the shared
store: a throw-away PostgreSQL + PostGIS server started as the tests start theirs
(``tests.pg_support``), the built register published to it, every app process reading the
register, pins and decisions from it (``PLOVDIV_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from benchmarks.cluster import NODE_COOKIE, Cluster, cluster
from benchmarks.protocol import Session
from benchmarks.server_cpu import STATUS_LABEL, STATUS_OPTIONS, app_env
from pipeline import store
from tests.browser_support import cpu_seconds
from works.geojson import read_register
from works.settings import load_settings

MAX_SESSIONS = 100
TIMEOUT_S = 30.0
P95_TARGET_S = 3.0


@dataclass
class Outcome:
    """What one session saw."""

    to_map: float | None = None
    filter_change: float | None = None
    error: str = ""


@dataclass
class LoadResult:
    """The figures of one run."""

    processes: int
    sessions: int
    outcomes: list[Outcome] = field(default_factory=list)
    cpu_s: float = 0.0
    wall_s: float = 0.0
    store: str = "sqlite"

    def _pct(self, values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    @property
    def errors(self) -> list[str]:
        return [o.error for o in self.outcomes if o.error]

    def line(self) -> str:
        maps = [o.to_map for o in self.outcomes if o.to_map is not None]
        changes = [o.filter_change for o in self.outcomes if o.filter_change is not None]
        p95 = self._pct(maps, 0.95)
        verdict = "ok" if not self.errors and p95 <= P95_TARGET_S else "OVER"
        return (
            f"{self.store}, {self.processes} process{'es' if self.processes > 1 else ''}, "
            f"{self.sessions} sessions: "
            f"time to map p50 {statistics.median(maps) if maps else float('nan'):.2f} s, p95 {p95:.2f} s "
            f"(target ≤ {P95_TARGET_S} s) {verdict}; filter change p50 "
            f"{statistics.median(changes) if changes else float('nan'):.2f} s, "
            f"p95 {self._pct(changes, 0.95):.2f} s; "
            f"errors {len(self.errors)}; server CPU {self.cpu_s:.1f} s "
            f"({self.cpu_s / max(1, self.sessions):.3f} s per session) in {self.wall_s:.1f} s"
        )


def _visit(base: str, start_at: float, option: str, out: Outcome) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))
    try:
        began = time.monotonic()
        with Session(base, timeout=TIMEOUT_S, cookies={NODE_COOKIE: uuid.uuid4().hex}) as session:
            run = session.rerun()
            if run.exceptions:
                out.error = "; ".join(run.exceptions)
                return
            if run.seconds_to_map is None:
                out.error = "no map"
                return
            out.to_map = time.monotonic() - began - (run.seconds - run.seconds_to_map)
            change = session.choose(STATUS_LABEL, option)
            if change.exceptions:
                out.error = "; ".join(change.exceptions)
                return
            out.filter_change = change.seconds
    except Exception as exc:  # noqa: BLE001 - every failure is an error of the run, counted
        out.error = f"{type(exc).__name__}: {exc}"


def run_load(target: Cluster, sessions: int, within: float, seed: int = 15) -> LoadResult:
    """``sessions`` visitors arriving at random within ``within`` seconds."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1–{MAX_SESSIONS}")
    rng = random.Random(seed)
    result = LoadResult(len(target.pids), sessions, [Outcome() for _ in range(sessions)])
    cpu_before = sum(cpu_seconds(pid) for pid in target.pids)
    t0 = time.monotonic()
    threads = [
        threading.Thread(
            target=_visit,
            args=(target.base, t0 + rng.uniform(0, within), STATUS_OPTIONS[i % len(STATUS_OPTIONS)], out),
            daemon=True,
        )
        for i, out in enumerate(result.outcomes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=within + 3 * TIMEOUT_S)
    result.wall_s = time.monotonic() - t0
    result.cpu_s = sum(cpu_seconds(pid) for pid in target.pids) - cpu_before
    return result


def warm(target: Cluster) -> None:
    """One visit per process first: each loads the register once (reported apart, not timed)."""
    for _ in range(4 * len(target.pids)):
        with Session(target.base, cookies={NODE_COOKIE: uuid.uuid4().hex}) as session:
            session.rerun()


@contextmanager
def store_env(kind: str) -> Iterator[dict[str, str]]:
    """The app's environment for ``kind``: "sqlite" (files + SQLite, as built) or "postgres"
    (a throw-away PostgreSQL + PostGIS holding the built register, stopped afterwards)."""
    if kind == "sqlite":
        yield app_env()
        return
    from tests.pg_support import postgis_server, unavailable

    if reason := unavailable():
        raise SystemExit(f"error: --store postgres needs PostgreSQL + PostGIS (make services): {reason}")
    built = read_register(load_settings().projects)
    with postgis_server() as url:
        previous = os.environ.get("PLOVDIV_DATABASE_URL")
        os.environ["PLOVDIV_DATABASE_URL"] = url
        try:
            store.publish_register(built.records, built.metadata)
        finally:
            if previous is None:
                os.environ.pop("PLOVDIV_DATABASE_URL", None)
            else:
                os.environ["PLOVDIV_DATABASE_URL"] = previous
        yield {**app_env(), "PLOVDIV_DATABASE_URL": url}


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.load [--sessions 20] [--within 10] [--processes 1 2] [--store sqlite]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--within", type=float, default=10.0, help="seconds over which sessions arrive")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--store", choices=["sqlite", "postgres"], default="sqlite", help="where the register and pins live"
    )
    args = parser.parse_args(argv)
    results = []
    with store_env(args.store) as env:
        for n in args.processes:
            with cluster(n, env) as target:
                warm(target)
                result = run_load(target, args.sessions, args.within)
            result.store = args.store
            print(result.line(), flush=True)
            for error in sorted(set(result.errors))[:5]:
                print(f"  error: {error}")
            results.append(result)
    return 0 if all(not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
