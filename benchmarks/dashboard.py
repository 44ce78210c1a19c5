"""Dashboard timings in headless Chromium, each against a static folium page of the same data.

Measured (printed, not asserted, like the other benchmarks):

* first map render: page opened on a freshly started server → the map has drawn its works
  (target ≤ 3 s);
* filter change: a status picked in the sidebar → the map shows exactly the matching works
  (target ≤ 1 s);
* map payload: bytes the browser receives for the page (websocket messages + HTTP bodies)
  (target ≤ 2 MB).

The reference is what a static site would do: the same folium map (same builder, same
vendored assets) saved as HTML and served by a plain HTTP server; its "filter change" is
loading the page of the filtered data. Ratios dashboard / static should stay ≤ 1.5.

Run: ``python -m benchmarks.dashboard`` (the real ``data/`` when built, else the test
fixtures), or call :func:`bench_dashboard` from ``benchmarks/__main__.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser_support import REPO_ROOT, RequestLog, launch_chromium, streamlit_server

FIRST_RENDER_TARGET_S = 3.0
FILTER_TARGET_S = 1.0
PAYLOAD_TARGET_B = 2 * 1024 * 1024
RATIO_TARGET = 1.5
TIMEOUT_S = 60.0
FIXTURES = REPO_ROOT / "tests" / "data" / "dashboard"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# The ids the map draws (markers in clusters included); null until Leaflet has run.
DRAWN_JS = """() => {
  const map = (typeof map_div !== 'undefined') ? map_div
    : Object.values(window).find(v => v && v instanceof L.Map);
  if (!map) return null;
  const ids = new Set();
  const walk = (l) => { const p = l.feature && l.feature.properties; if (p && p.pid) ids.add(p.pid);
                        if (l.getLayers) l.getLayers().forEach(walk); };
  map.eachLayer(walk);
  return [...ids].sort();
}"""


@dataclass
class Measure:
    """Seconds to draw, and bytes received, for one page load or change."""

    seconds: float
    bytes: int


@dataclass(frozen=True)
class Dataset:
    """What the benchmark runs on: the environment for the app and the register it reads."""

    label: str
    env: dict[str, str]
    projects: Path
    districts: Path
    basemap: Path


def dataset() -> Dataset:
    """The real build when present (as ``make run`` shows it), else the test fixtures."""
    real = REPO_ROOT / "data" / "projects.geojson"
    if real.is_file():
        data = REPO_ROOT / "data"
        return Dataset(
            "data/ (real build)", {}, real, data / "districts" / "districts.geojson", data / "basemap.geojson"
        )
    env = {
        "PLOVDIV_PROJECTS": str(FIXTURES / "projects.geojson"),
        "PLOVDIV_DISTRICTS": str(FIXTURES / "districts.geojson"),
        "PLOVDIV_BASEMAP": str(FIXTURES / "basemap.geojson"),
    }
    return Dataset(
        "tests/data/dashboard (fixtures)",
        env,
        FIXTURES / "projects.geojson",
        FIXTURES / "districts.geojson",
        FIXTURES / "basemap.geojson",
    )


def _wait_drawn(frame: Any, want: set[str] | None, deadline: float) -> list[str]:
    """Poll the map until it draws ``want`` (or anything, when None)."""
    while time.monotonic() < deadline:
        try:
            drawn = frame.locator("body").evaluate(DRAWN_JS)
        except Exception:  # noqa: BLE001 - the iframe is being replaced: poll again
            drawn = None
        if drawn is not None and (want is None or set(drawn) == want) and (want is not None or drawn):
            return drawn
        time.sleep(0.02)
    raise TimeoutError(f"map did not draw {sorted(want) if want else 'anything'} in {TIMEOUT_S}s")


class _Bytes:
    """Bytes a page receives (Chrome DevTools Protocol, iframes included), by kind.

    ``map``: the map component's iframe and the vendored Leaflet files; ``data``: websocket
    messages (the script's output: the map's data, and the page's tables); ``shell``:
    Streamlit's own frontend bundle (the same for every page, cached by browsers).
    """

    def __init__(self, context: Any, page: Any) -> None:
        self.by_kind: dict[str, int] = {"map": 0, "data": 0, "shell": 0}
        self._urls: dict[str, str] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on(
            "Network.responseReceived", lambda e: self._urls.__setitem__(e["requestId"], e["response"]["url"])
        )
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _finished(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"], "")
        kind = "map" if "/component/streamlit_folium" in url or "/vendor/" in url else "shell"
        if url.endswith(".html") and "/component/" not in url:
            kind = "map"  # the static page itself
        self.by_kind[kind] += int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict[str, Any]) -> None:
        response = event["response"]
        size = len(response["payloadData"])
        self.by_kind["data"] += size * 3 // 4 if response.get("opcode") == 2 else size  # binary is base64

    @property
    def total(self) -> int:
        """Bytes for the map: its component, assets and the page data (not the app shell)."""
        return self.by_kind["map"] + self.by_kind["data"]


def _expected(projects: Path, status: str | None = None) -> set[str]:
    """Ids the map should draw (located records), optionally of one status, via the app's loader."""
    from dashboard.data import load_register

    register = load_register(str(projects), 0.0, "", 0.0, str(projects.parent / "none.sqlite"), "none")
    rows = register.records[register.records["located"]]
    if status:
        rows = rows[rows["status"] == status]
    return set(rows["id"])


def _open_map(browser: Any, url: str, want: set[str]) -> tuple[Any, Any, _Bytes, Measure]:
    """A new context on ``url``; (context, page, byte counter, time until ``want`` is drawn)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    received = _Bytes(context, page)
    start = time.monotonic()
    page.goto(url, wait_until="commit")
    _wait_drawn(page.frame_locator(MAP_IFRAME).first, want, start + TIMEOUT_S)
    return context, page, received, Measure(time.monotonic() - start, received.total)


def measure_dashboard(
    browser: Any, base: str, data: Dataset, status: str, label: str
) -> tuple[Measure, Measure, Measure, int]:
    """(first render on the fresh server, a second page load, the filter change, shell bytes)."""
    want = _expected(data.projects)
    context, page, received, first = _open_map(browser, base, want)
    shell = received.by_kind["shell"]
    context.close()
    context, page, received, again = _open_map(browser, base, want)
    log = RequestLog()
    log.attach(context)
    try:
        page.get_by_role("combobox", name="Статус").click()
        option = page.get_by_role("option", name=re.compile("^" + re.escape(label))).first
        option.wait_for(timeout=TIMEOUT_S * 1000)
        before = received.total
        start = time.monotonic()
        option.click()
        frame = page.frame_locator(MAP_IFRAME).first
        _wait_drawn(frame, _expected(data.projects, status), start + TIMEOUT_S)
        change = Measure(time.monotonic() - start, received.total - before)
    finally:
        context.close()
    if log.off_host():
        raise RuntimeError(f"the dashboard requested hosts other than 127.0.0.1: {log.off_host()[:3]}")
    return first, again, change, shell


def static_page(data: Dataset, status: str | None, base_url: str) -> str:
    """The same folium map as the dashboard's, as a static page on the vendored assets."""
    from dashboard.assets.offline import use_local_assets
    from dashboard.data import load_basemap, load_register, mtime
    from dashboard.map_view import project_map

    register = load_register(
        str(data.projects),
        mtime(data.projects),
        str(data.districts),
        mtime(data.districts),
        "/nonexistent",
        "none",
    )
    records = register.records if status is None else register.records[register.records["status"] == status]
    basemap = load_basemap(str(data.basemap), mtime(data.basemap), "")
    m = project_map(records, register.districts, "bg", basemap=basemap)
    use_local_assets(m, base_url=base_url)
    return m.get_root().render()


@contextmanager
def _static_server(root: Path) -> Iterator[str]:
    """A quiet threaded HTTP server on 127.0.0.1 serving ``root``."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a browser closing a connection early is not news

    handler = functools.partial(Quiet, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def measure_static(browser: Any, url: str, want: set[str]) -> Measure:
    """Open a static map page in a fresh context; time until it draws ``want``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    received = _Bytes(context, page)
    try:
        start = time.monotonic()
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            drawn = page.evaluate(
                f"() => {{ try {{ return ({DRAWN_JS})(); }} catch (e) {{ return null; }} }}"
            )
            if drawn is not None and set(drawn) == want:
                break
            time.sleep(0.02)
        else:
            raise TimeoutError(f"static map did not draw in {TIMEOUT_S}s")
        return Measure(time.monotonic() - start, received.total)
    finally:
        context.close()


def _line(name: str, dash: Measure, static: Measure, target: float, unit: str = "s") -> str:
    if unit == "s":
        value, ref, shown = dash.seconds, static.seconds, f"{dash.seconds:.2f} s"
        ref_shown = f"{static.seconds:.2f} s"
    else:
        value, ref, shown = float(dash.bytes), float(static.bytes), f"{dash.bytes / 1024:.0f} kB"
        ref_shown = f"{static.bytes / 1024:.0f} kB"
    ratio = value / ref if ref else float("inf")
    limit = f"{target:.1f} s" if unit == "s" else f"{target / 1024 / 1024:.0f} MB"
    verdict = "ok" if value <= target and ratio <= RATIO_TARGET else "OVER"
    return (
        f"dashboard {name}: {shown} (target ≤ {limit}); static folium page {ref_shown}; "
        f"ratio {ratio:.2f} (target ≤ {RATIO_TARGET}) {verdict}"
    )


def bench_dashboard(status: str = "stalled", label: str = "Спрян") -> list[str]:
    """Run the three measurements; print and return the report lines."""
    from playwright.sync_api import sync_playwright

    data = dataset()
    want_all, want_status = _expected(data.projects), _expected(data.projects, status)
    lines = [f"dashboard benchmark on {data.label}: {len(want_all)} works drawn, {len(want_status)} {status}"]
    env = {"PLOVDIV_TILES": "off", "PLOVDIV_MAP_ASSETS": "local", "PLOVDIV_PLANNER_PASSWORD": "", **data.env}
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        root = Path(tmp)
        (root / "app" / "static").mkdir(parents=True)
        (root / "app" / "static" / "vendor").symlink_to(
            REPO_ROOT / "static" / "vendor", target_is_directory=True
        )
        (root / "all.html").write_text(static_page(data, None, "/app/static/vendor"), encoding="utf-8")
        (root / "status.html").write_text(static_page(data, status, "/app/static/vendor"), encoding="utf-8")
        with sync_playwright() as pw, _static_server(root) as static_base:
            browser = launch_chromium(pw)
            try:
                with streamlit_server(REPO_ROOT / "app.py", root / "streamlit.log", env) as base:
                    first, again, change, shell = measure_dashboard(browser, base, data, status, label)
                static_first = measure_static(browser, f"{static_base}/all.html", want_all)
                static_change = measure_static(browser, f"{static_base}/status.html", want_status)
            finally:
                browser.close()
    lines += [
        _line("first map render", first, static_first, FIRST_RENDER_TARGET_S),
        _line("map render, warm server", again, static_first, FIRST_RENDER_TARGET_S),
        _line("filter change → map", change, static_change, FILTER_TARGET_S),
        _line("map payload", first, static_first, PAYLOAD_TARGET_B, unit="B"),
        f"  (plus Streamlit's own frontend, the same for every page and cached: {shell / 1024:.0f} kB)",
    ]
    for line in lines:
        print(line)
    return lines


def main() -> int:
    """``python -m benchmarks.dashboard``."""
    os.environ.setdefault("PLOVDIV_MAP_ASSETS", "local")
    bench_dashboard()
    return 0


if __name__ == "__main__":
    sys.exit(main())
