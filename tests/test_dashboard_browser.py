"""The real dashboard (``app.py``) in headless Chromium, on the fixture register.

One server serves the module (the pin test starts its own two, to restart); each test opens
its own browser context. Every wait is bounded. Each view is photographed into
``test-artifacts/`` (look at them: they are the visual check). Requests off 127.0.0.1 are
aborted and fail the test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.assets import install
from tests.browser_support import (
    ARTIFACTS,
    CHROMIUM,
    REPO_ROOT,
    VENDOR_DIR,
    BrowserSupportError,
    RequestLog,
    launch_chromium,
    streamlit_server,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser
expect.set_options(timeout=25_000)

FIXTURES = Path(__file__).parent / "data" / "dashboard"
PASSWORD = "correct horse battery"
WAIT_MS = 25_000
LOCATED = {
    "t-school", "t-segment", "t-street", "t-park", "t-parks", "t-cameras",
    "t-collection", "t-xss", "t-kukush", "t-unresolved",
}  # fmt: skip
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Everything the map draws: project ids and district names, found by walking Leaflet's layers
# (markers inside clusters included), plus the view.
MAP_STATE_JS = """() => {
  if (typeof map_div === 'undefined') return null;
  const ids = new Set(), districts = new Set();
  const walk = (layer) => {
    const p = layer.feature && layer.feature.properties;
    if (p && p.pid) ids.add(p.pid);
    if (p && p.district) districts.add(p.district);
    if (layer.getLayers) layer.getLayers().forEach(walk);
  };
  map_div.eachLayer(walk);
  const c = map_div.getCenter();
  return {ids: [...ids].sort(), districts: [...districts].sort(), lat: c.lat, lon: c.lng, zoom: map_div.getZoom()};
}"""


def _env(data_dir: Path, password: str = PASSWORD) -> dict[str, str]:
    return {
        "PLOVDIV_DATA_DIR": str(data_dir),
        "PLOVDIV_PROJECTS": str(FIXTURES / "projects.geojson"),
        "PLOVDIV_DISTRICTS": str(FIXTURES / "districts.geojson"),
        "PLOVDIV_BASEMAP": str(FIXTURES / "basemap.geojson"),
        "PLOVDIV_GAZETTEER": str(data_dir / "no-gazetteer.parquet"),
        "PLOVDIV_GEOCODER": "tests.dashboard_fakes:FakeGeocoder",
        "PLOVDIV_PLANNER_PASSWORD": password,
        "PLOVDIV_TILES": "off",
        "PLOVDIV_MAP_ASSETS": "local",
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the fixtures, one per module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    if not install.is_up_to_date(VENDOR_DIR, install.install_hash()):
        pytest.fail("vendored assets missing/stale: run `python -m dashboard.assets.install`")
    data_dir = tmp_path_factory.mktemp("dashboard-data")
    try:
        with streamlit_server(REPO_ROOT / "app.py", data_dir / "streamlit.log", _env(data_dir)) as url:
            yield url
    except BrowserSupportError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as pw:
        chromium = launch_chromium(pw)
        try:
            yield chromium
        finally:
            chromium.close()


class Session:
    """One browser context on the app, with its request log."""

    def __init__(self, browser: Any, base: str, height: int = 1000) -> None:
        self.base = base
        self.log = RequestLog()
        self.context = browser.new_context(viewport={"width": 1400, "height": height}, accept_downloads=True)
        self.context.set_default_timeout(WAIT_MS)
        self.log.attach(self.context)
        self.page = self.context.new_page()
        self.log.watch(self.page)

    def open(self, query: str = "") -> Any:
        self.page.goto(f"{self.base}/{query}", wait_until="domcontentloaded")
        expect(self.page.get_by_role("heading", level=1)).to_be_visible()
        return self.page

    def shown(self, n: int, total: int = 14) -> None:
        """Wait for the "n of total" caption (the run after a change has finished)."""
        expect(self.page.get_by_text(re.compile(rf"^{n} (от|of) {total} (проекта|projects)"))).to_be_visible()

    def map_state(self, want: set[str] | None = None, timeout_s: float = 25) -> dict[str, Any]:
        """The drawn map (polling until it draws ``want`` when given)."""
        deadline = time.monotonic() + timeout_s
        state: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            frame = self.page.frame_locator(MAP_IFRAME).first
            try:
                frame.locator(".leaflet-container").wait_for(state="visible", timeout=5_000)
                state = frame.locator("body").evaluate(MAP_STATE_JS)
            except sync_api.Error:
                state = None
            if state is not None and (want is None or set(state["ids"]) == want):
                return state
            time.sleep(0.3)
        pytest.fail(
            f"map never drew {sorted(want or [])}; last state: {state}\nJS errors: {self.log.errors} failed: {self.log.failed}"
        )

    def choose(self, label: str, option: str) -> None:
        """Pick the multiselect option whose label starts with ``option``."""
        box = self.page.get_by_role("combobox", name=label)
        box.click()
        self.page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
        self.page.keyboard.press("Escape")
        # Blur: a focused multiselect is taller, and shrinks under the next click.
        box.blur()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.wait_for_timeout(600)  # tiles of fonts and sprites settle
        self.page.screenshot(path=str(ARTIFACTS / f"dashboard_{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.log.off_host() == [], f"requests off 127.0.0.1: {self.log.off_host()}"
        assert self.log.errors == [], f"JavaScript errors: {self.log.errors}"
        # ERR_ABORTED: a map iframe replaced by the next run while it loaded (not a failure).
        failed = [f for f in self.log.failed if "/_stcore/" not in f and not f.startswith("net::ERR_ABORTED")]
        assert failed == [], failed

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Any, server: str) -> Iterator[Session]:
    s = Session(browser, server)
    try:
        yield s
    finally:
        s.close()


def test_map_shows_districts_projects_and_the_unlocated_list(session: Session) -> None:
    page = session.open()
    session.shown(14)
    state = session.map_state(LOCATED)
    assert len(state["districts"]) == 7 and "Южен / Западен" in state["districts"]
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".pv-district-label")).to_have_count(7)
    expect(frame.locator(".pv-unresolved")).to_contain_text("неуточнена граница")
    expect(frame.locator(".pv-legend")).to_contain_text("Завършен (4)")
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("© OpenStreetMap contributors")
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()
    expect(frame.locator(".awesome-marker .fa-school").first).to_be_visible()
    expect(page.get_by_text("Без местоположение на картата: 4 (от тях за целия град: 1)")).to_be_visible()
    session.shot("map")
    session.assert_clean()


def test_report_text_in_popups_and_tooltips_stays_text(session: Session) -> None:
    page = session.open()
    session.map_state(LOCATED)
    frame = page.frame_locator(MAP_IFRAME).first
    opened = frame.locator("body").evaluate(
        """async () => {
      let target = null;
      const walk = (l) => { const p = l.feature && l.feature.properties;
        if (p && p.pid === 't-xss' && l.getLatLng) target = l; if (l.getLayers) l.getLayers().forEach(walk); };
      map_div.eachLayer(walk);
      map_div.setView(target.getLatLng(), 18, {animate: false});
      await new Promise(r => setTimeout(r, 400));
      target.openTooltip(); target.openPopup();
      await new Promise(r => setTimeout(r, 200));
      const popup = document.querySelector('.leaflet-popup-content');
      const tip = document.querySelector('.leaflet-tooltip');
      return {popupText: popup.innerText, popupImgs: popup.querySelectorAll('img, script, b > b').length,
              tipText: tip ? tip.innerText : '', xss: window.__xss === undefined ? null : window.__xss};
    }"""
    )
    assert opened["xss"] is None
    assert "<script>window.__xss=1</script>Училище <b>X</b>" in opened["popupText"]
    assert '<img src=x onerror="window.__xss=2">' in opened["popupText"]
    assert "${window.__xss=3}" in opened["popupText"] and "`бектик`" in opened["popupText"]
    assert "ред 111" in opened["popupText"] and "„<b>завършено</b>“" in opened["popupText"]
    assert opened["popupImgs"] == 0
    assert "<script>" in opened["tipText"]
    session.shot("popup")
    # The same text in the tables (st.dataframe draws cells as text) and in the page itself.
    assert page.evaluate("() => window.__xss === undefined")
    session.assert_clean()


@pytest.mark.parametrize(
    ("label", "option", "shown", "drawn"),
    [
        ("Приоритет", "Приоритет 3 (", 4, {"t-park", "t-parks", "t-unresolved"}),
        ("Статус", "Спрян", 2, {"t-street"}),
        ("Категория", "Спорт (", 2, {"t-parks", "t-unresolved"}),
        ("Район", "Тракия (", 2, {"t-segment"}),
        ("Мярка", "Мярка 1.5 (", 1, {"t-cameras"}),
        ("Точност на местоположението", "Площ (", 1, {"t-park"}),
    ],
)
def test_each_filter_changes_counts_and_features(
    session: Session, label: str, option: str, shown: int, drawn: set[str]
) -> None:
    page = session.open()
    session.shown(14)
    session.map_state(LOCATED)
    session.choose(label, option)
    session.shown(shown)
    session.map_state(drawn)
    page.get_by_role("button", name="Изчисти филтрите").click()
    session.shown(14)
    session.map_state(LOCATED)
    session.assert_clean()


def test_the_reports_structure_filters_the_map_by_measure_and_goal(session: Session) -> None:
    """A click on a measure, then on one of its goals, filters the map; the URL follows."""
    page = session.open()
    session.shown(14)
    session.map_state(LOCATED)
    measure = page.get_by_role("button", name=re.compile(r"^Мярка 1\.2\b"))
    expect(measure).to_be_visible()
    row = page.locator("summary").filter(has=measure)
    expect(row.locator(".pv-total")).to_have_text("3")  # counts by status, before any click
    stalled = row.locator('.pv-n[title="Спрян / без финансиране: 1"]')
    expect(stalled).to_have_attribute("style", re.compile("#d63e2a"))  # the legend's colour
    measure.click()
    session.shown(3)
    session.map_state({"t-segment", "t-street", "t-kukush"})
    expect(page).to_have_url(re.compile(r"measure=1\.2"))
    goals = page.get_by_role("button", name=re.compile("^Цел:"))
    expect(goals).to_have_count(3)  # the chosen measure's goals, open
    goals.first.click()
    session.shown(1)
    session.map_state({"t-segment"})
    expect(page).to_have_url(re.compile(r"goal=101"))
    expect(page).not_to_have_url(re.compile(r"measure="))
    chip = page.get_by_test_id("stSidebar").get_by_role("button", name=re.compile("Цел \\(1\\.2\\)"))
    expect(chip).to_be_visible()
    session.shot("structure")
    # Counts follow the other filters; the chip removes the goal.
    session.choose("Статус", "Спрян")
    session.shown(0)
    expect(row.locator(".pv-total")).to_have_text("1")
    chip.click()
    session.shown(2)
    expect(page).not_to_have_url(re.compile(r"goal="))
    session.assert_clean()


def test_search_filter_cyrillic_and_latin(session: Session) -> None:
    page = session.open()
    box = page.get_by_role("textbox", name="Търсене (кирилица или латиница)")
    box.fill("лаута")
    box.press("Enter")
    session.shown(1)
    session.map_state({"t-park"})
    box = page.get_by_role("textbox", name="Търсене (кирилица или латиница)")
    box.fill("Kukush")
    box.press("Enter")
    session.shown(1)
    session.map_state({"t-kukush"})
    session.assert_clean()


def test_counts_follow_filters_and_the_url_round_trips(session: Session, browser: Any, server: str) -> None:
    page = session.open()
    session.choose("Статус", "Завършен")
    session.shown(5)
    session.choose("Категория", "Пътища и улици (1)")  # counts under status=completed
    session.shown(1)
    session.map_state({"t-kukush"})
    expect(page).to_have_url(re.compile(r"status=completed"))
    expect(page).to_have_url(re.compile(r"category=road"))
    url = page.url
    session.shot("filtered")
    other = Session(browser, server)
    try:
        other.page.goto(url, wait_until="domcontentloaded")
        other.shown(1)
        other.map_state({"t-kukush"})
        expect(other.page.get_by_role("combobox", name="Статус")).to_be_visible()
        expect(other.page.get_by_test_id("stMultiSelect").filter(has_text="Завършен (1)")).to_be_visible()
        other.assert_clean()
    finally:
        other.close()


def test_invalid_url_values_are_ignored_with_a_notice(session: Session) -> None:
    page = session.open("?status=stalled&status=bogus&radius=7&view=nowhere")
    expect(page.get_by_test_id("stAlert").filter(has_text="status=bogus")).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="view=nowhere")).to_be_visible()
    session.shown(2)
    session.map_state({"t-street"})


def test_place_search_centres_the_map_and_lists_nearby_works(session: Session) -> None:
    page = session.open("?view=residents&radius=250")
    box = page.get_by_role("textbox", name=re.compile("^Място"))
    box.fill("ул. Кукуш")
    box.press("Enter")
    expect(page.get_by_text("Намерено: ул. „Кукуш“")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^1 проекта до 250 м"))).to_be_visible()
    state = session.map_state(LOCATED)
    assert abs(state["lat"] - 42.1302) < 0.002 and abs(state["lon"] - 24.7351) < 0.002
    assert state["zoom"] >= 15
    expect(page).to_have_url(re.compile(r"place="))
    # Latin, wider radius: nearest first, with distances.
    page.goto(f"{session.base}/?view=residents&place=Kamenitsa&radius=1000", wait_until="domcontentloaded")
    expect(page.get_by_text("Намерено: Каменица")).to_be_visible()
    heading = page.get_by_role("heading", name=re.compile(r"проекта до 1000 м"))
    expect(heading).to_be_visible()
    state = session.map_state(LOCATED)
    assert abs(state["lat"] - 42.1420) < 0.002 and abs(state["lon"] - 24.7480) < 0.002
    session.shot("residents")
    page.goto(f"{session.base}/?view=residents&place=Никъде", wait_until="domcontentloaded")
    expect(page.get_by_text("Мястото „Никъде“ не е намерено.")).to_be_visible()
    # Markdown in a shared link is shown as text, not fetched as an image.
    page.goto(
        f"{session.base}/?view=residents&place=![x](http://example.com/x.png)", wait_until="domcontentloaded"
    )
    expect(page.get_by_text("Мястото „![x](http://example.com/x.png)“ не е намерено.")).to_be_visible()
    session.assert_clean()


def test_language_toggle(session: Session) -> None:
    page = session.open()
    page.get_by_role("radio", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Plovdiv — projects"))
    expect(page).to_have_url(re.compile(r"lang=en"))
    session.shown(14)
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".pv-legend")).to_contain_text("Completed (4)")
    expect(frame.locator(".pv-district-label").filter(has_text="Тракия (Trakia)")).to_be_visible()
    page.get_by_role("combobox", name="District").click()
    expect(page.get_by_role("option", name=re.compile(r"^Тракия \(Trakia\) \(2\)"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_text("Not on the map: 4 (city-wide: 1)")).to_be_visible()
    session.shot("english")
    session.assert_clean()


def _leaflet_fills_its_frame(page: Any) -> bool:
    """Is the drawn map as tall as its frame (a map kept across a resize is not)?"""
    box = page.locator(MAP_IFRAME).first.bounding_box()
    inner = page.frame_locator(MAP_IFRAME).first.locator(".leaflet-container").bounding_box()
    return box is not None and inner is not None and inner["height"] >= 0.9 * box["height"]


def test_the_summary_map_redraws_when_presentation_is_switched(session: Session) -> None:
    """Entering and leaving presentation mode from the district summary draws the map at its
    new size (it stayed a third of the frame, and then blank)."""
    page = session.open("?view=councillors&sd=Централен")
    session.map_state({"t-school", "t-cameras"})
    page.get_by_role("button", name="Режим презентация").click()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    session.map_state({"t-school", "t-cameras"})
    page.wait_for_timeout(800)
    assert _leaflet_fills_its_frame(page)
    page.get_by_role("button", name="Изход от презентация").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    session.map_state({"t-school", "t-cameras"})
    page.wait_for_timeout(800)
    assert _leaflet_fills_its_frame(page)
    session.assert_clean()


def test_presentation_mode(session: Session) -> None:
    page = session.open("?mode=present&view=councillors&sd=Централен")
    expect(page.get_by_role("heading", name="Централен: проекти по статус и категория")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    size = page.get_by_role("heading", level=1).evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
    assert size >= 40
    session.map_state({"t-school", "t-cameras"})
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None and box["width"] >= 0.9 * 1400 - 60 and box["height"] >= 700
    session.shot("presentation")
    page.get_by_role("button", name="Изход от презентация").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    session.assert_clean()


def _download(page: Any, name: str) -> bytes:
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("button", name=name).click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_exports_download_parse_and_work_offline(session: Session, browser: Any, tmp_path: Path) -> None:
    page = session.open("?view=councillors&sd=Тракия")
    expect(page.get_by_role("heading", name="Тракия: проекти по статус и категория")).to_be_visible()
    session.map_state({"t-segment"})
    session.shot("councillors")
    rows = list(csv.DictReader(io.StringIO(_download(page, "Таблица (CSV)").decode("utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == ["t-district", "t-segment"]
    geo = json.loads(_download(page, "Данни (GeoJSON)"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert {f["id"]: f["geometry"] is None for f in geo["features"]} == {
        "t-district": True,
        "t-segment": False,
    }
    html = _download(page, "Обобщение (HTML с карта)").decode("utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
    export = tmp_path / "summary.html"
    export.write_text(html, encoding="utf-8")
    session.assert_clean()

    offline = RequestLog()
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    offline.attach(context)
    try:
        view = context.new_page()
        offline.watch(view)
        view.goto(export.as_uri(), wait_until="load")
        expect(view.get_by_role("heading", name="Тракия: проекти по статус и категория")).to_be_visible()
        expect(view.locator(".leaflet-container")).to_be_visible()
        expect(view.locator("path.leaflet-interactive").first).to_be_visible()
        expect(view.locator(".pv-legend")).to_contain_text("В изпълнение (1)")
        # The marker icon font is inlined as a data: URL and loads from the file alone.
        fonts = view.evaluate(
            "async () => (await document.fonts.load('900 16px \"Font Awesome 6 Free\"')).length"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        view.wait_for_timeout(600)  # fitBounds animates the zoom on load
        view.screenshot(path=str(ARTIFACTS / "dashboard_export_summary.png"), full_page=True)
        view.emulate_media(media="print")
        view.screenshot(path=str(ARTIFACTS / "dashboard_export_print.png"), full_page=True)
    finally:
        context.close()
    assert offline.off_host() == [], offline.off_host()
    assert offline.errors == []
    assert fonts >= 1


def test_unauthenticated_user_cannot_edit(session: Session) -> None:
    page = session.open("?view=planners")
    expect(page.get_by_text("Вход за планиращи")).to_be_visible()
    expect(page.get_by_role("button", name="Запази корекцията")).to_have_count(0)
    page.get_by_label("Вашето име").fill("Някой")
    page.get_by_label("Парола", exact=True).fill("wrong")
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_text("Грешна парола.")).to_be_visible()
    expect(page.get_by_role("button", name="Запази корекцията")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Изтрий"))).to_have_count(0)
    session.shot("planners")
    session.assert_clean()


def test_a_pin_survives_a_restart(browser: Any, tmp_path: Path) -> None:
    if not install.is_up_to_date(VENDOR_DIR, install.install_hash()):
        pytest.fail("vendored assets missing/stale: run `python -m dashboard.assets.install`")
    env = _env(tmp_path)
    with streamlit_server(REPO_ROOT / "app.py", tmp_path / "first.log", env) as base:
        s = Session(browser, base)
        try:
            page = s.open("?view=planners")
            page.get_by_label("Вашето име").fill("Тест Планиращ")
            page.get_by_label("Парола", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Вход").click()
            expect(page.get_by_text("Влезли сте като Тест Планиращ.")).to_be_visible()
            project = page.get_by_role("combobox", name="Проект за отбелязване")
            project.click()
            page.keyboard.type("Нова детска")
            page.keyboard.press("Enter")
            expect(project).to_have_value(re.compile("^Нова детска градина"))
            # A click on the pin map fills the coordinates (st_folium returns last_clicked only).
            frame = page.frame_locator(MAP_IFRAME).last  # the first map is the choropleth
            frame.locator(".leaflet-container").click(position={"x": 300, "y": 200})
            lat_box = page.get_by_label("Ширина (lat)")
            expect(lat_box).not_to_have_value("0.000000")
            lat_box.fill("42.127500")
            page.get_by_label("Дължина (lon)").fill("24.750000")
            page.get_by_role("button", name="Запази корекцията").click()
            expect(page.get_by_text("Корекция №1 е записана.")).to_be_visible()
            s.shot("pin_saved")
            s.assert_clean()
        finally:
            s.close()
    assert (tmp_path / "corrections.sqlite").is_file()
    with streamlit_server(REPO_ROOT / "app.py", tmp_path / "second.log", env) as base:
        s = Session(browser, base)
        try:
            page = s.open()
            s.shown(14)
            s.map_state(LOCATED | {"t-district"})
            expect(
                page.get_by_text("Без местоположение на картата: 3 (от тях за целия град: 1)")
            ).to_be_visible()
            source = (
                page.frame_locator(MAP_IFRAME)
                .first.locator("body")
                .evaluate(
                    """() => { let pop = null; const walk = (l) => { const p = l.feature && l.feature.properties;
                  if (p && p.pid === 't-district') pop = p.pop; if (l.getLayers) l.getLayers().forEach(walk); };
                  map_div.eachLayer(walk); return pop; }"""
                )
            )
            assert "ръчна корекция №1 от планиращ, " in source
            assert "Тест Планиращ" not in source  # the public never sees who pinned it
        finally:
            s.close()


def test_real_build_renders_and_stays_on_localhost(browser: Any, tmp_path: Path) -> None:
    """The app on the real data/ (when built): map drawn, nothing requested off 127.0.0.1."""
    projects = REPO_ROOT / "data" / "projects.geojson"
    if not projects.is_file():
        pytest.skip("data/projects.geojson not built (make data)")
    env = {"PLOVDIV_TILES": "off", "PLOVDIV_MAP_ASSETS": "local", "PLOVDIV_PLANNER_PASSWORD": ""}
    with streamlit_server(REPO_ROOT / "app.py", tmp_path / "real.log", env) as base:
        s = Session(browser, base)
        try:
            page = s.open()
            expect(page.get_by_text(re.compile(r"^\d+ от \d+ проекта"))).to_be_visible()
            state = s.map_state()
            total = len(json.loads(projects.read_text(encoding="utf-8"))["features"])
            assert len(state["ids"]) <= total
            if (REPO_ROOT / "data" / "districts" / "districts.geojson").is_file():
                assert len(state["districts"]) >= 6
            expect(page.get_by_text(re.compile("^Без местоположение на картата: \\d+"))).to_be_visible()
            s.shot("real_map")
            s.assert_clean()
        finally:
            s.close()


REVIEW_REPORT = (
    "\tОТЧЕТ\n\n\tПРИОРИТЕТ 1. ГРАДСКА СРЕДА\n\n\tМярка 1.1. Пътища\n\n\tРеконструкция на улици\n"
    "\t- Завършена е реконструкцията на ул. „Първа“ през 2021 г.\n"
    "\t- Търси се финансиране за ул. „Втора“ и ул. „Трета“.\n"
    "\t- Изградена е нова детска площадка в парк „Лаута“. Монтирани са и нови пейки.\n"
)


def _open_review(s: Session) -> Any:
    """The review view, logged in as a planner, with nothing reviewed yet."""
    page = s.open("?view=review")
    page.get_by_label("Вашето име").fill("Ана Планиращ")
    page.get_by_label("Парола", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_text(re.compile("^Проверени: 0 от"))).to_be_visible()
    return page


def test_a_planner_reviews_one_work_of_each_kind(browser: Any, tmp_path: Path) -> None:
    """Confirm, edit a status, split (only once confirmed), add — in Chromium, each stored with
    the planner's name."""
    from pipeline import reviews
    from pipeline.cli import main as build

    if not install.is_up_to_date(VENDOR_DIR, install.install_hash()):
        pytest.fail("vendored assets missing/stale: run `python -m dashboard.assets.install`")
    report, out = tmp_path / "r.txt", tmp_path / "projects.geojson"
    report.write_text(REVIEW_REPORT, encoding="utf-8")
    args = ["--report", str(report), "--out", str(out), "--no-geocode", "--quiet"]
    assert build([*args, "--corrections", str(tmp_path / "corrections.sqlite")]) == 0
    env = {
        **_env(tmp_path),
        "PLOVDIV_PROJECTS": str(out),
        "PLOVDIV_REPORT": str(report),
        "PLOVDIV_REVIEWS_DIR": str(tmp_path / "rv"),
    }
    with streamlit_server(REPO_ROOT / "app.py", tmp_path / "review.log", env) as base:
        s = Session(browser, base, height=1200)
        try:
            page = _open_review(s)
            s.shot("review")
            started = time.monotonic()
            page.get_by_role("button", name="Потвърди").click()
            expect(page.get_by_text("Записано: Потвърди.")).to_be_visible()
            expect(page.get_by_text(re.compile("^Проверени: 1 от"))).to_be_visible()
            one_review_s = time.monotonic() - started
            expect(page.get_by_role("button", name="Запази промените")).to_have_count(1)
            status = page.locator('[data-testid="stForm"]').get_by_role("combobox", name="Статус")
            status.click()  # the sidebar has a "Статус" filter too: this one is in the form
            page.keyboard.type("Проектиране")
            page.keyboard.press("Enter")
            expect(status).to_have_value("Проектиране")
            page.get_by_role("button", name="Запази промените").click()
            expect(page.get_by_text("Записано: Запази промените.")).to_be_visible()
            expect(page.get_by_label("Части")).to_have_count(1)  # the last screen's elements are gone
            page.get_by_text("Раздели на няколко работи").click()
            page.get_by_label("Части").fill(
                "Първа част | completed | road\nВтора част | planned | road | 2022"
            )
            page.get_by_role("button", name="Раздели", exact=True).click()  # not confirmed yet
            expect(page.get_by_text(re.compile("^Нищо не е записано: отбележете"))).to_be_visible()
            # The split's expander (keyed ``spx_<work key>``) holds its own confirmation.
            page.locator('[class*="st-key-spx_"]').get_by_text("Потвърждавам", exact=True).click()
            page.get_by_role("button", name="Раздели", exact=True).click()
            expect(page.get_by_text("Записано: Раздели на няколко работи.")).to_be_visible()
            expect(page.get_by_label("Части")).to_have_count(1)
            page.get_by_text("Добави пропусната работа").click()
            # The add form, in its expander: wait for it to be drawn, so a rerun still finishing
            # after the split cannot swallow the typing.
            add = page.get_by_test_id("stExpander").filter(has_text="Добави пропусната работа")
            name = add.get_by_label("Име", exact=True)
            expect(name).to_be_visible()
            name.fill("Нови пейки в парк „Лаута“")
            expect(name).to_have_value("Нови пейки в парк „Лаута“")
            add.get_by_role("button", name="Добави", exact=True).click()
            expect(page.get_by_text("Записано: Добави пропусната работа.")).to_be_visible()
            s.shot("review_done")
            s.assert_clean()
        finally:
            s.close()
    decisions = reviews.list_decisions(tmp_path / "corrections.sqlite", "r.txt")
    assert [str(d.action) for d in decisions] == ["confirm", "edit", "split", "add"]
    assert {d.reviewer for d in decisions} == {"Ана Планиращ"}
    assert decisions[1].changes["status"] == "design"
    assert decisions[3].changes["name"] == "Нови пейки в парк „Лаута“"
    assert one_review_s < 15, f"one review took {one_review_s:.1f} s"
    (ARTIFACTS / "review_timing.txt").write_text(f"one confirm, click to next work: {one_review_s:.2f} s\n")


def _pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (its page objects are ``/Type /Page``)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_street_search_finds_exactly_the_works_on_that_street(session: Session) -> None:
    page = session.open()
    box = page.get_by_role("textbox", name="Търсене (кирилица или латиница)")
    box.fill("ул. Кукущ")  # a typo, with the place word
    box.press("Enter")
    session.shown(1)
    state = session.map_state({"t-kukush"})
    assert state["zoom"] >= 15  # the map zoomed to what was found
    items = page.locator(".pv-works li")
    expect(items).to_have_count(1)
    assert items.first.get_attribute("data-pid") == "t-kukush"
    expect(items.first.locator(".pv-badge")).to_have_text("Завършен")
    items.first.get_by_role("button").click()  # the list shows the work on the map
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Ремонт на ул. „Кукуш“")
    # Nothing found: said so, and not "every selected work is on the map".
    box.fill("Несъществуваща")
    box.press("Enter")
    session.shown(0)
    expect(page.get_by_text(re.compile("^Нито една работа не отговаря"))).to_be_visible()
    expect(page.get_by_text("Всички избрани проекти са на картата.")).to_have_count(0)
    session.assert_clean()


def test_residents_find_a_housing_estate_by_its_place_word(session: Session) -> None:
    page = session.open("?view=residents")
    box = page.get_by_role("textbox", name=re.compile("^Място"))
    box.fill("жк Тракия")
    box.press("Enter")
    expect(page.get_by_text("Намерено: Тракия")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^В район Тракия: 2 проекта"))).to_be_visible()
    expect(page.locator('.pv-works li[data-pid="t-segment"]')).to_be_visible()
    session.assert_clean()


def test_presentation_fills_a_projector_screen(browser: Any, server: str) -> None:
    s = Session(browser, server)
    s.context.close()
    s.context = browser.new_context(viewport={"width": 1920, "height": 1080})
    s.log.attach(s.context)
    s.page = s.context.new_page()
    s.log.watch(s.page)
    try:
        page = s.open("?mode=present&view=councillors&sd=Тракия")
        s.map_state({"t-segment"})
        box = page.locator(MAP_IFRAME).first.bounding_box()
        assert box is not None
        # The header, the row of headline numbers and the map, all on the first screen.
        assert box["y"] <= 300 and box["height"] >= 700 and box["y"] + box["height"] <= 1080, box
        assert box["width"] >= 1800
        numbers = page.get_by_test_id("stMetric").last.bounding_box()
        assert numbers is not None and numbers["y"] + numbers["height"] <= box["y"], numbers
        frame = page.frame_locator(MAP_IFRAME).first
        size = frame.locator(".pv-legend").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20
        # The district changes within presentation mode.
        page.get_by_role("combobox", name="Обобщение за район").click()
        page.get_by_role("option", name="Централен").click()
        expect(page.get_by_role("heading", name="Централен: проекти по статус и категория")).to_be_visible()
        s.map_state({"t-school", "t-cameras"})
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        s.page.wait_for_timeout(600)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard_projector_1920x1080.png"))
        s.assert_clean()
    finally:
        s.close()


def test_the_district_summary_prints_on_one_a4_page(session: Session) -> None:
    page = session.open("?view=councillors&sd=Тракия")
    session.map_state({"t-segment"})
    rows = page.locator(".pv-print-table").nth(1).locator("tbody tr")
    expect(rows).to_have_count(2)  # every work of the district, the unlocated one too
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "dashboard_summary_print.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == 1
    expect(page.get_by_test_id("stSelectbox")).to_be_hidden()  # no selectors on paper
    expect(page.get_by_test_id("stButtonGroup").last).to_be_hidden()  # no view tabs
    page.set_viewport_size({"width": 718, "height": 1060})  # A4's printable width
    page.wait_for_timeout(600)
    page.screenshot(path=str(ARTIFACTS / "dashboard_summary_print.png"), full_page=True)
    session.assert_clean()


def test_the_phone_view_shows_the_map_and_each_works_status(browser: Any, server: str) -> None:
    log = RequestLog()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(WAIT_MS)
    log.attach(context)
    try:
        page = context.new_page()
        log.watch(page)
        page.goto(f"{server}/", wait_until="domcontentloaded")
        frame_box = page.locator(MAP_IFRAME).first
        expect(frame_box).to_be_visible()
        box = frame_box.bounding_box()
        assert box is not None and box["y"] < 844 and box["x"] >= 0 and box["x"] + box["width"] <= 390
        frame = page.frame_locator(MAP_IFRAME).first
        # One finger scrolls the page; the map moves with two.
        expect(frame.locator(".leaflet-container.pv-touch")).to_have_count(1)
        items = page.locator(".pv-works li")
        expect(items).to_have_count(len(LOCATED))
        for i in range(len(LOCATED)):
            badge = items.nth(i).locator(".pv-badge")
            expect(badge).to_have_text(re.compile(r"\S"))
            badge_box = badge.bounding_box()
            assert badge_box is not None and badge_box["x"] + badge_box["width"] <= 390
        page.wait_for_timeout(600)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard_phone_390x844.png"))
        assert log.off_host() == [] and log.errors == []
    finally:
        context.close()


def test_a_planner_picks_a_place_for_a_work_in_review(browser: Any, tmp_path: Path) -> None:
    """The review screen's picker in Chromium: search the gazetteer by keyboard, see the
    preview, save; the decision stores the place with the planner's name and reason."""
    from pipeline import reviews
    from pipeline.cli import main as build
    from tests.test_review_location import located_data

    if not install.is_up_to_date(VENDOR_DIR, install.install_hash()):
        pytest.fail("vendored assets missing/stale: run `python -m dashboard.assets.install`")
    report = tmp_path / "r.txt"
    report.write_text(REVIEW_REPORT, encoding="utf-8")
    located_data(tmp_path)
    args = ["--report", str(report), "--data-dir", str(tmp_path), "--quiet", "--no-download"]
    assert build([*args, "--corrections", str(tmp_path / "corrections.sqlite")]) == 0
    env = {
        **_env(tmp_path),
        "PLOVDIV_PROJECTS": str(tmp_path / "projects.geojson"),
        "PLOVDIV_DISTRICTS": str(tmp_path / "districts" / "districts.geojson"),
        "PLOVDIV_GAZETTEER": str(tmp_path / "gazetteer.parquet"),
        "PLOVDIV_REPORT": str(report),
        "PLOVDIV_REVIEWS_DIR": str(tmp_path / "rv"),
    }
    with streamlit_server(REPO_ROOT / "app.py", tmp_path / "locate.log", env) as base:
        s = Session(browser, base, height=1400)
        try:
            page = _open_review(s)
            page.get_by_text("Местоположение: обект или участък от OSM, или карфица").click()
            search = page.get_by_label("Търсене в OSM (име; на кирилица или латиница)")
            search.fill("testovo")  # Latin finds the Cyrillic name
            search.press("Enter")
            expect(page.get_by_role("combobox", name="Обект")).to_have_value(
                'СУ "Тестово" · училище · way/15 · Южен'
            )
            expect(page.get_by_text("Така ще бъде при следващото построяване: Обект")).to_be_visible()
            page.locator('[class*="st-key-lr_"]').get_by_label("Причина (по желание)").fill("училището")
            s.shot("review_location")
            page.get_by_role("button", name="Запази мястото").click()
            expect(page.get_by_text("Записано: място.")).to_be_visible()
            expect(page.get_by_text(re.compile("^Проверени: 1 от"))).to_be_visible()
            s.assert_clean()
        finally:
            s.close()
    decisions = reviews.list_decisions(tmp_path / "corrections.sqlite", "r.txt")
    assert [(str(d.action), d.reviewer, d.reason) for d in decisions] == [
        ("edit", "Ана Планиращ", "училището")
    ]
    assert decisions[0].changes == {
        "places": [{"text": 'СУ "Тестово"', "kind": "school", "name": 'СУ "Тестово"'}]
    }
