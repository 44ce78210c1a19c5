"""Dashboard data layer: loading the register defensively, filters, URL state, escaping, labels."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.data import RegisterError, load_districts, load_register
from dashboard.escaping import html_text, md_text
from dashboard.filters import FilterState, apply_filters, facet_counts, facet_options, parse_params, to_params
from dashboard.map_features import popup_html, project_features, tooltip_html
from dashboard.map_view import project_map
from dashboard.state import PageState, parse_url, to_url
from dashboard.styles import CATEGORY_ICONS, STATUS_STYLES
from works.geojson import read_register

FIXTURES = Path(__file__).parent / "data" / "dashboard"
PROJECTS = FIXTURES / "projects.geojson"
DISTRICTS = FIXTURES / "districts.geojson"


def _load(tmp_path: Path, projects: Path = PROJECTS):
    return load_register(str(projects), 0.0, str(DISTRICTS), 0.0, str(tmp_path / "none.sqlite"), "none")


def _row(records: pd.DataFrame, record_id: str) -> pd.Series:
    return records.set_index("id").loc[record_id]


def test_every_record_is_kept_and_unlocated_ones_say_why(register) -> None:
    records = register.records
    assert len(records) == 14
    located = set(records.loc[records["located"], "id"])
    assert located == {
        "t-school", "t-segment", "t-street", "t-park", "t-parks", "t-cameras",
        "t-collection", "t-xss", "t-kukush", "t-unresolved",
    }  # fmt: skip
    reasons = dict(zip(records["id"], records["unlocated_reason"], strict=True))
    assert reasons["t-district"] == "district_only"
    assert reasons["t-city"] == "city_wide"
    assert reasons["t-noprec"] == "not_geocoded"  # a geometry without precision is not trusted
    assert reasons["t-invalid"] == "invalid_geometry"


def test_geometry_kinds_and_districts(register) -> None:
    records = register.records
    kinds = dict(zip(records["id"], records["kind"], strict=True))
    assert kinds["t-school"] == "point" and kinds["t-segment"] == "line" and kinds["t-street"] == "line"
    assert kinds["t-park"] == "polygon" and kinds["t-parks"] == "polygon" and kinds["t-collection"] == "mixed"
    assert _row(records, "t-school")["map_districts"] == ("Централен",)  # from the polygon
    assert _row(records, "t-parks")["map_districts"] == ("Северен",)  # named in the text
    assert _row(records, "t-unresolved")["map_districts"] == ("Южен / Западен",)
    assert _row(records, "t-city")["map_districts"] == ()


def test_districts_load_with_area_fallback() -> None:
    districts = load_districts(str(DISTRICTS), 0.0)
    assert len(districts) == 7
    assert districts["unresolved"].sum() == 1
    east = districts.set_index("name").loc["Източен"]  # no area_km2 in the file: computed
    assert 2.5 < east["area_km2"] < 3.0
    assert load_districts(str(FIXTURES / "missing.geojson"), 0.0).empty


def test_register_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(RegisterError, match="bad.geojson"):
        read_register(bad)
    bad.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    with pytest.raises(RegisterError, match="FeatureCollection"):
        read_register(bad)


def test_register_without_geocoding_properties_is_all_unlocated(tmp_path: Path) -> None:
    """Today's register (no geometry, no precision) loads, everything listed as unlocated."""
    features = json.loads(PROJECTS.read_text(encoding="utf-8"))["features"]
    for feature in features:
        feature["geometry"] = None
        for key in ("precision", "geocode_score", "geocode_source", "district_approximate"):
            feature["properties"].pop(key, None)
    path = tmp_path / "plain.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    records = _load(tmp_path, path).records
    assert len(records) == 14 and not records["located"].any()


def test_filters_each_facet(register) -> None:
    records = register.records
    options = facet_options(records, register.districts["name"])

    def ids(**facets) -> set[str]:
        state = FilterState(**{k: tuple(v) if isinstance(v, list) else v for k, v in facets.items()})
        return set(records.loc[apply_filters(records, state), "id"])

    assert ids(priority=["3"]) == {"t-park", "t-parks", "t-invalid", "t-unresolved"}
    assert ids(status=["stalled"]) == {"t-street", "t-noprec"}
    assert ids(category=["sport"]) == {"t-parks", "t-unresolved"}
    assert ids(district=["Тракия"]) == {"t-segment", "t-district"}
    assert "none" in options["district"] and "t-city" in ids(district=["none"])
    assert ids(measure=["1.5"]) == {"t-cameras"}
    assert ids(precision=["city"]) == {"t-city"}
    assert ids(q="кукуш") == {"t-kukush"}
    assert ids(q="Kukush") == {"t-kukush"}  # Latin finds Cyrillic through transliteration
    assert ids(q="лаута парк") == {"t-park"}  # every word, any order
    assert ids(status=["completed"], category=["road"]) == {"t-kukush"}


def test_facet_counts_follow_the_other_filters(register) -> None:
    records = register.records
    state = FilterState(category=("road",))
    counts = facet_counts(records, state, "status", ["completed", "stalled", "design"])
    assert counts == {"completed": 1, "stalled": 1, "design": 0}
    # the facet's own selection does not restrict its counts
    assert facet_counts(records, state, "category", ["road", "park"]) == {"road": 3, "park": 2}


def test_url_round_trip_and_invalid_values(register) -> None:
    options = facet_options(register.records, register.districts["name"])
    districts = list(register.districts["name"])
    state = PageState(
        lang="en",
        view="residents",
        filters=FilterState(status=("stalled", "design"), district=("Тракия",), q="парк"),
        my="Южен",
        place="ул. Кукуш",
        radius=1000,
    )
    params = to_url(state)
    assert parse_url(params, options, districts) == (state, [])
    assert to_url(PageState()) == {}
    parsed, invalid = parse_url(
        {"status": ["stalled,bogus"], "lang": ["fr"], "radius": ["3"], "my": ["Нигде"], "priority": ["9"]},
        options,
        districts,
    )
    assert parsed.filters.status == ("stalled",) and parsed.lang == "bg" and parsed.radius == 500
    assert sorted(invalid) == ["lang=fr", "my=Нигде", "priority=9", "radius=3", "status=bogus"]


def test_filter_params_drop_duplicates_and_cap_the_query() -> None:
    options = {
        "priority": ["1"],
        "status": ["stalled"],
        "category": [],
        "district": [],
        "measure": [],
        "precision": [],
    }
    state, invalid = parse_params({"status": ["stalled", "stalled"], "q": ["x" * 500]}, options)
    assert state.status == ("stalled",) and len(state.q) == 200 and invalid == ["q (500 > 200)"]
    assert to_params(state) == {"status": ["stalled"], "q": ["x" * 200]}


def test_escaping_neutralises_html_js_templates_and_markdown() -> None:
    assert html_text('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert "${" not in html_text("${alert(1)}") and "`" not in html_text("`x`")
    assert md_text("![x](http://e/x.png) <b>") == r"\!\[x\]\(http\://e/x\.png\) \<b\>"


def test_popups_and_tooltips_escape_report_text(register) -> None:
    row = _row(register.records, "t-xss").copy()
    row["id"] = "t-xss"
    for text in (popup_html(row, "bg"), tooltip_html(row, "en")):
        assert "<script>" not in text and "<img" not in text and "${" not in text and "`" not in text
        assert "&lt;script&gt;" in text
    popup = popup_html(row, "bg")
    assert "ред 111" in popup and "&lt;b&gt;завършено&lt;/b&gt;" in popup
    rendered = project_map(register.records, register.districts, "bg").get_root().render()
    assert "<script>window.__xss" not in rendered and 'onerror="window' not in rendered


def test_map_draws_each_geometry_type_by_category(register) -> None:
    layers = project_features(register.records, "bg")
    points = {f["properties"]["pid"] for pts, _ in layers.values() for f in pts}
    shapes = {f["properties"]["pid"] for _, shp in layers.values() for f in shp}
    assert points == {"t-school", "t-cameras", "t-collection", "t-xss", "t-kukush", "t-unresolved"}
    assert shapes == {"t-segment", "t-street", "t-park", "t-parks", "t-collection"}
    cameras = [f for f in layers["camera"][0] if f["properties"]["pid"] == "t-cameras"]
    assert len(cameras) == 2  # a MultiPoint becomes one clustered marker per point
    assert cameras[0]["properties"]["icon"] == CATEGORY_ICONS["camera"]
    assert cameras[0]["properties"]["marker"] == STATUS_STYLES["procurement"].marker
    street = next(f for f in layers["road"][1] if f["properties"]["pid"] == "t-street")
    assert street["properties"]["style"]["color"] == STATUS_STYLES["stalled"].hex


def test_both_languages_have_every_label() -> None:
    for table in (
        i18n.TEXT,
        i18n.STATUSES,
        i18n.CATEGORIES,
        i18n.PRECISIONS,
        i18n.VIEWS,
        i18n.UNLOCATED_REASONS,
    ):
        for key, labels in table.items():
            assert set(labels) == set(i18n.LANGS), key
            assert all(labels.values()), key
    assert set(i18n.CATEGORIES) == set(CATEGORY_ICONS)
    assert set(i18n.STATUSES) == set(STATUS_STYLES)
    assert i18n.display_name("Тракия", "Trakia", "en") == "Тракия (Trakia)"
    assert i18n.display_name("Тракия", "Trakia", "bg") == "Тракия"


def test_the_structure_counts_by_status_under_the_other_filters_and_escapes(register) -> None:
    from dashboard.filters import FilterState
    from dashboard.structure import Titles, short_goal, structure_html, structure_tree

    records = register.records
    titles = Titles({"1": "<script>x</script>"}, {"1.2": "Пътища & улици"})
    tree = structure_tree(records, FilterState(measure=("1.5",)), titles)
    assert [p.code for p in tree] == ["1", "2", "3"]
    [m12] = [m for m in tree[0].children if m.code == "1.2"]
    assert m12.counts == {"completed": 1, "in_progress": 1, "stalled": 1}  # the measure filter is not applied
    assert [g.code for g in m12.children] == ["101", "102", "111"]
    stalled = structure_tree(records, FilterState(status=("stalled",)), titles)
    assert sum(p.total for p in stalled) == 2
    html = structure_html(tree, FilterState(measure=("1.5",)), "bg")
    assert "<script>" not in html and "&lt;script&gt;" in html and "Пътища &amp; улици" in html
    assert 'data-code="1.5" aria-pressed="true"' in html
    assert short_goal("дума " * 40, 20) == "дума дума дума дума…"


def test_a_default_status_says_the_text_states_no_stage(register) -> None:
    """Issue 12: a record whose text states no stage must not pose as "planned"."""
    from dashboard.export import records_csv
    from dashboard.tables import works_table
    from dashboard.works_list import work_items

    records = register.records.copy()
    stated = records.iloc[0].copy()
    default = stated.copy()
    default["status_scope"] = "default"
    unstated = i18n.UNSTATED_STAGE["bg"]
    assert unstated in popup_html(default, "bg") and unstated not in popup_html(stated, "bg")
    assert i18n.UNSTATED_STAGE["en"] in tooltip_html(default, "en")
    assert unstated not in tooltip_html(stated, "bg")
    records.loc[records.index[0], "status_scope"] = "default"
    rows = records.iloc[:2]
    table = works_table(rows, "bg")
    assert unstated in table.iloc[0, 1] and unstated not in table.iloc[1, 1]
    csv_lines = records_csv(rows, "bg").decode("utf-8-sig").splitlines()
    assert unstated in csv_lines[1] and ",default," in csv_lines[1] and unstated not in csv_lines[2]
    assert unstated in next(iter(work_items(rows, "bg", str).values()))


def test_a_popup_names_two_osm_objects_and_counts_the_rest() -> None:
    from dashboard.map_features import public_source

    many = "; ".join(f"way/{n}" for n in range(1, 23))
    assert public_source(many, "bg") == "way/1; way/2 и още 20 обекта от OpenStreetMap"
    assert public_source(many, "en") == "way/1; way/2 and 20 more OpenStreetMap objects"
    assert public_source("way/1; way/2; node/3", "bg") == "way/1; way/2; node/3"  # few: all
    pinned = "manual correction #4 by Ана at 2026-11-29T10:00:00Z"
    assert public_source(pinned, "bg") == "ръчна корекция №4 от планиращ, 2026-11-29"  # never who
