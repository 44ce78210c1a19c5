"""Downloads: CSV (formula-safe), GeoJSON (pins applied, unlocated kept), standalone HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dashboard import export
from dashboard.map_view import project_map
from tests.browser_support import VENDOR_DIR


class ScriptTags(HTMLParser):
    """Counts <script> elements as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = self.closed = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.opened += tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.closed += tag == "script"


def test_csv_has_every_selected_record_and_no_live_formulas(register) -> None:
    rows = register.records.copy()
    rows.loc[rows["id"] == "t-city", "name"] = '=HYPERLINK("http://evil")'
    data = export.records_csv(rows, "en")
    assert data.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 14
    city = next(r for r in table if r["id"] == "t-city")
    assert (
        city["name"].startswith("'=")
        and city["located"] == "False"
        and city["unlocated_reason"] == "city_wide"
    )
    school = next(r for r in table if r["id"] == "t-school")
    assert (
        school["status_label"] == "Completed"
        and school["districts"] == "Централен"
        and school["lat"] == "42.142"
    )


def test_geojson_keeps_unlocated_records_with_null_geometry(register) -> None:
    collection = json.loads(export.records_geojson(register.records, {"source": "fixture"}))
    assert collection["metadata"]["records"] == 14 and collection["metadata"]["source"] == "fixture"
    by_id = {f["id"]: f for f in collection["features"]}
    assert by_id["t-city"]["geometry"] is None
    assert by_id["t-street"]["geometry"]["type"] == "MultiLineString"


@pytest.mark.skipif(not (VENDOR_DIR / "leaflet").is_dir(), reason="vendored assets not installed")
def test_standalone_html_inlines_every_asset(register) -> None:
    m = project_map(register.records, register.districts, "bg")
    page = export.standalone_html(m, "Тест <b>", "<p>body</p>", note="бележка")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", page)
    assert "L.AwesomeMarkers" in page and "markerClusterGroup" in page and "data:font/woff2;base64," in page
    assert "<h1>Тест &lt;b&gt;</h1>" in page and "<p>body</p>" in page and "@media print" in page
    tags = ScriptTags()
    tags.feed(page)
    # Inlined code never ends its <script> early: every script element closes where it should.
    assert tags.opened == tags.closed == page.count("</script>") and tags.opened >= 5


def test_inline_css_embeds_only_vendored_files(tmp_path: Path) -> None:
    css = tmp_path / "x.css"
    css.write_text("", encoding="utf-8")
    out = export.inline_css("a{background:url(../../etc/passwd)} b{src:url(https://cdn/x.woff2)}", css)
    assert out == "a{background:url(data:,)} b{src:url(data:,)}"


def test_public_files_never_name_a_planner() -> None:
    from dashboard.export import _public_feature

    feature = {
        "type": "Feature",
        "properties": {"geocode_source": ["manual correction #3 by Ана Планиращ at 2026-01-02T03:04:05Z"],
                       "reviewed_by": "Ана Планиращ", "reviewed_at": "2026-01-02"},
    }  # fmt: skip
    public = _public_feature(feature)["properties"]
    assert public["geocode_source"] == ["manual correction #3 at 2026-01-02T03:04:05Z"]
    assert "reviewed_by" not in public and public["reviewed_at"] == "2026-01-02"
