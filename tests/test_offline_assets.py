"""The folium maps must work with no internet (municipal intranets, CI).

Unit tests check that a rendered map references only vendored files; the
browser test runs a real Streamlit + st_folium page in Chromium and asserts it
requests nothing outside 127.0.0.1 and that Leaflet actually draws the map.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import folium
import pytest
from folium.plugins import Fullscreen, HeatMap, MarkerCluster

from dashboard.assets import install, manifest
from dashboard.assets.offline import (
    ASSET_MODE_ENV,
    UnvendoredAssetError,
    asset_mode,
    default_base_url,
    prepare_assets,
    use_local_assets,
)
from tests.browser_support import (
    ARTIFACTS,
    CHROMIUM,
    LOCAL_HOSTS,
    REPO_ROOT,
    VENDOR_DIR,
    BrowserSupportError,
    RequestLog,
    launch_chromium,
    streamlit_server,
)

PLOVDIV = (42.1354, 24.7453)
LINK_RE = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)", re.I)


def build_map() -> folium.Map:
    """A map using every feature the dashboard relies on.

    With no tile layer Leaflet has no maxZoom, and MarkerCluster throws
    "Map has no maxZoom specified": offline maps must set it on the map.
    """
    m = folium.Map(location=PLOVDIV, zoom_start=14, tiles=None, maxZoom=19)
    cluster = MarkerCluster(name="works").add_to(m)
    for i in range(5):
        folium.Marker([PLOVDIV[0] + i * 1e-4, PLOVDIV[1] + i * 1e-4]).add_to(cluster)
    folium.Marker(
        [PLOVDIV[0] - 0.004, PLOVDIV[1] - 0.008],
        icon=folium.Icon(color="red", icon="info-sign"),  # glyphicon prefix
        tooltip="glyphicon marker",
    ).add_to(m)
    folium.Marker([PLOVDIV[0] - 0.004, PLOVDIV[1] + 0.008], tooltip="default marker").add_to(m)
    folium.Marker(
        [PLOVDIV[0] + 0.004, PLOVDIV[1] + 0.008],
        icon=folium.Icon(color="green", icon="road", prefix="fa", angle=45),
    ).add_to(m)
    folium.GeoJson(
        {
            "type": "Feature",
            "properties": {"name": "district"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[24.73, 42.13], [24.76, 42.13], [24.76, 42.145], [24.73, 42.13]]],
            },
        },
        name="district",
    ).add_to(m)
    Fullscreen().add_to(m)
    return m


def rendered_links(m: folium.Map) -> list[str]:
    return LINK_RE.findall(m.get_root().render())


# ---------------------------------------------------------------- unit tests


def test_local_map_references_no_internet_url() -> None:
    m = build_map()
    use_local_assets(m)
    links = rendered_links(m)
    assert links, "no <script>/<link> found: the regex no longer matches folium"
    external = [u for u in links if not u.startswith("/app/static/vendor/")]
    assert external == []
    vendored = {u.removeprefix("/app/static/vendor/") for u in links}
    assert vendored <= set(manifest.CDN_TO_LOCAL.values())


def test_default_marker_icon_path_is_set_before_markers() -> None:
    m = build_map()
    use_local_assets(m)
    use_local_assets(m)  # idempotent: one element, still first
    html = m.get_root().render()
    setter = 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/dist/images/";'
    assert html.count(setter) == 1
    assert html.index(setter) < html.index("L.marker(")
    assert "leaflet/dist/images" in manifest.SUPPORT


def test_rewrite_leaves_folium_classes_untouched() -> None:
    before = (list(folium.Map.default_js), list(MarkerCluster.default_css))
    use_local_assets(build_map())
    assert (folium.Map.default_js, MarkerCluster.default_css) == before
    assert any(u.startswith("https://") for u in rendered_links(build_map()))


def test_base_url_is_configurable() -> None:
    m = build_map()
    use_local_assets(m, base_url="/maps/app/static/vendor/")
    assert all(u.startswith("/maps/app/static/vendor/") for u in rendered_links(m))


def test_default_base_url_follows_streamlit_base_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda key: "/maps/")
    assert default_base_url() == "/maps/app/static/vendor"
    monkeypatch.setattr(config, "get_option", lambda key: "")
    assert default_base_url() == "/app/static/vendor"


def test_cdn_mode_keeps_cdn_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ASSET_MODE_ENV, "cdn")
    m = build_map()
    assert prepare_assets(m) == "cdn"
    assert all(u.startswith("https://") for u in rendered_links(m))


def test_mode_defaults_to_local_and_rejects_typos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ASSET_MODE_ENV, raising=False)
    assert asset_mode() == "local"
    monkeypatch.setenv(ASSET_MODE_ENV, "offline")
    with pytest.raises(ValueError, match=ASSET_MODE_ENV):
        asset_mode()


def test_unvendored_plugin_fails_loudly() -> None:
    m = build_map()
    HeatMap([PLOVDIV]).add_to(m)
    with pytest.raises(UnvendoredAssetError, match="HeatMap"):
        use_local_assets(m)


def test_every_folium_cdn_url_we_use_is_in_the_manifest() -> None:
    """Fails on a folium upgrade that bumps a library: re-pin package.json."""
    used = [*folium.Map.default_js, *folium.Map.default_css]
    for plugin in (MarkerCluster, Fullscreen):
        used += [*plugin.default_js, *plugin.default_css]
    assert {url for _, url in used} == set(manifest.CDN_TO_LOCAL)


def test_generated_css() -> None:
    css = install.glyphicons_css(
        'x{}\n@font-face {\n  font-family: "Glyphicons Halflings";\n  src: u;\n}\n'
        '.glyphicon-plus:before {\n  content: "+";\n}\n* {\n  box-sizing: b;\n}\n'
    )
    assert css.startswith("@font-face") and css.rstrip().endswith("}")
    assert "box-sizing" not in css
    assert ".fa-rotate-45{" in install.rotate_css()


def test_npm_error_summary_picks_the_reason() -> None:
    stderr = (
        "npm warn something\nnpm error code ECONNREFUSED\nnpm error errno E\n"
        "npm error FetchError: request failed\nnpm error A complete log ...\n"
    )
    assert install.npm_error_summary(stderr) == "ECONNREFUSED: FetchError: request failed"


def test_streamlit_config_serves_static_and_sends_no_stats() -> None:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


# ------------------------------------------------------------- browser test


def _app_source() -> str:
    """The app reuses build_map's source, so it needs no import of tests/."""
    return "\n".join(
        [
            "import folium",
            "import streamlit as st",
            "from folium.plugins import Fullscreen, MarkerCluster",
            "from streamlit_folium import st_folium",
            "from dashboard.assets.offline import prepare_assets",
            f"PLOVDIV = {PLOVDIV!r}",
            inspect.getsource(build_map),
            "st.title('offline map')",
            "m = build_map()",
            "prepare_assets(m)",
            "st_folium(m, height=500, width=800, returned_objects=[])",
        ]
    )


@pytest.fixture
def streamlit_app(tmp_path: Path) -> Iterator[str]:
    """Run the app; yield its URL.  Streamlit serves <script dir>/static, so
    the temp app dir gets a symlink to the repo's installed static/ folder."""
    if not install.is_up_to_date(VENDOR_DIR, install.install_hash()):
        pytest.fail("vendored assets missing/stale: run `python -m dashboard.assets.install`")
    (tmp_path / "app.py").write_text(_app_source())
    (tmp_path / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    try:
        with streamlit_server(
            tmp_path / "app.py", tmp_path / "streamlit.log", {ASSET_MODE_ENV: "local"}
        ) as url:
            yield url
    except BrowserSupportError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def chromium() -> Path:
    """Debian's chromium (Playwright's bundled browsers need a download)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    return CHROMIUM


@pytest.mark.browser
def test_browser_offline_page_stays_on_localhost(chromium: Path, streamlit_app: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")

    log = RequestLog()
    with sync_api.sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            log.attach(context)
            page = context.new_page()
            log.watch(page)
            page.goto(streamlit_app, wait_until="domcontentloaded", timeout=60_000)

            frame = page.frame_locator('iframe[src*="streamlit_folium.st_folium"]')
            try:
                for selector in (
                    ".leaflet-container",  # Leaflet ran and the iframe got its height
                    ".marker-cluster",  # MarkerCluster JS + CSS
                    ".awesome-marker",  # awesome-markers JS + CSS sprite
                    'img.leaflet-marker-icon[src$="/images/marker-icon.png"]',  # default icon
                    ".leaflet-control-zoom-fullscreen",  # Fullscreen plugin
                    "path.leaflet-interactive",  # the GeoJson polygon
                ):
                    frame.locator(selector).first.wait_for(state="visible", timeout=30_000)
                # Fonts and sprites load lazily: let them settle first.
                page.wait_for_load_state("networkidle", timeout=30_000)
                loaded_fonts = frame.locator("body").evaluate(
                    """async () => { await document.fonts.ready;
                       return [...document.fonts].filter(f => f.status === 'loaded')
                         .map(f => f.family.replace(/["']/g, '')); }"""
                )
            except sync_api.TimeoutError as exc:
                pytest.fail(f"map not rendered: {exc}\nJS errors: {log.errors}\nfailed: {log.failed}")
            finally:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "offline_map.png"), full_page=True)
        finally:
            browser.close()

    assert log.errors == [], f"JavaScript errors: {log.errors}"
    assert log.requested, "no requests recorded"
    assert log.external == [], f"page tried to reach the internet: {log.external}"
    assert all(urlsplit(u).hostname in LOCAL_HOSTS for u in log.requested if "://" in u)
    assert log.failed == [], f"failed local requests: {log.failed}"
    vendor_hits = [u for u in log.requested if "/app/static/vendor/" in u]
    assert any(u.endswith("leaflet/dist/leaflet.js") for u in vendor_hits)
    assert any("/webfonts/" in u or "/fonts/" in u for u in vendor_hits)
    assert {"Glyphicons Halflings", "Font Awesome 6 Free"} <= set(loaded_fonts)
