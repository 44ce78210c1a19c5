"""The shared map, lists and structure: composed from per-record pieces, equal to a fresh build.

Why: the dashboard builds the main map's component arguments, the structure, the works list
and the unlocated table of a new filter state from pieces made once per register version
(``map_view.map_pieces``, ``map_view.map_skeleton``, ``filters.FilterIndex``). These tests
pin that composition to what the plain, from-scratch functions give, so the caches cannot
drift from them. (That the arguments are ``st_folium``'s: ``tests/test_folium_component.py``.)
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import folium
import pandas as pd
import pytest

from dashboard.data import load_register
from dashboard.filters import FACETS, FilterIndex, FilterState, apply_filters, facet_counts, facet_options
from dashboard.map_view import (
    component_args,
    compose_map_args,
    fit_districts,
    map_pieces,
    map_skeleton,
    project_map,
)
from dashboard.page import district_label, selected_rows
from dashboard.structure import Titles, outline_tree, structure_html, structure_tree, tree_rows
from dashboard.tables import unlocated_frame
from dashboard.works_list import compose_works_list, works_list_html
from tests.conftest import load_fixture_register

FIXTURES = Path(__file__).parent / "data" / "dashboard"
#: A two-feature offline basemap (a street and a park).
BASEMAP = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"layer": "street"},
            "geometry": {"type": "LineString", "coordinates": [[24.70, 42.13], [24.76, 42.16]]},
        },
        {
            "type": "Feature",
            "properties": {"layer": "park"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[24.72, 42.14], [24.73, 42.14], [24.73, 42.15], [24.72, 42.14]]],
            },
        },
    ],
}


def _register(tmp_path: Path):
    return load_fixture_register(tmp_path)


#: Filter states no session has seen: each composed from the pieces must equal a fresh build.
STATES = [
    FilterState(),
    FilterState(status=("completed",)),
    FilterState(status=("stalled", "design"), category=("road",)),
    FilterState(district=("Тракия",)),
    FilterState(district=("none",), review=("machine",)),
    FilterState(q="Кукуш"),
    FilterState(status=("no-such-status",)),  # nothing matches
]


def _label(register, lang):
    return lambda name: district_label(register, name, lang)


@pytest.mark.parametrize("lang", ["bg", "en"])
@pytest.mark.parametrize("filters", STATES, ids=repr)
def test_composed_map_equals_a_build_from_scratch(tmp_path: Path, filters: FilterState, lang: str) -> None:
    """The map made of per-record pieces and a skeleton built once is byte for byte the map
    ``project_map`` builds for that state, so the shared pieces cannot drift from it."""
    register = _register(tmp_path)
    pieces = map_pieces(register.records, register.districts, lang, _label(register, lang))
    selected = register.records[apply_filters(register.records, filters)]
    highlight = filters.district[0] if filters.district and filters.district[0] != "none" else None
    fit = fit_districts(register.districts, filters.district) if highlight else None
    for large, basemap in ((False, None), (True, BASEMAP)):
        skeleton = map_skeleton(
            register.districts, lang, "main_map", basemap=basemap, tiles=None, has_box=True, large=large
        )
        composed = compose_map_args(
            skeleton,
            pieces,
            selected,
            register.districts,
            lang,
            "main_map",
            fit=fit,
            highlight_district=highlight,
        )
        scratch = component_args(
            project_map(
                selected,
                register.districts,
                lang,
                basemap=basemap,
                fit=fit,
                highlight_district=highlight,
                large=large,
            ),
            "main_map",
        )
        assert composed == scratch
    # …and the map is not the same whatever the state: the works are in it.
    for pid in selected.loc[selected["located"], "id"]:
        assert f'"pid":"{pid}"' in composed["script"]


@pytest.mark.parametrize("filters", STATES, ids=repr)
def test_composed_lists_and_structure_equal_a_build_from_scratch(
    tmp_path: Path, filters: FilterState
) -> None:
    register = _register(tmp_path)
    records = register.records
    options = facet_options(records, list(register.districts["name"]))
    index = FilterIndex.build(records, options)
    mask = apply_filters(records, filters)
    assert (index.mask(filters) == mask.to_numpy()).all()
    for facet in FACETS:
        assert index.counts(filters, facet, options[facet]) == facet_counts(
            records, filters, facet, options[facet]
        )
    pieces = map_pieces(records, register.districts, "en", _label(register, "en"))
    selected = records[mask]
    located = selected[selected["located"]]
    chosen = set(located.index)
    composed = compose_works_list(pieces.items, (i for i in pieces.order if i in chosen))
    assert composed == works_list_html(located, "en", _label(register, "en"))
    unlocated = selected[~selected["located"]]
    if len(unlocated):  # the view shows no table when every shown work is on the map
        pd.testing.assert_frame_equal(pieces.unlocated.loc[unlocated.index], unlocated_frame(selected, "en"))
    others = filters.with_values("priority", ()).with_values("measure", ()).with_values("goal", ())
    titles = Titles({"1": "Заглавие"}, {"1.5": "Мярка"})
    shared = outline_tree(pieces.outline, index.mask(others), filters, titles)
    scratch = structure_tree(records, filters, titles)
    assert structure_html(shared, filters, "en") == structure_html(scratch, filters, "en")
    assert tree_rows(shared) == tree_rows(scratch)


def test_a_new_state_is_composed_without_folium(tmp_path: Path) -> None:
    """Cheap by construction: once the skeleton and the pieces exist, a state never renders a
    folium template (the costly part of a map)."""
    register = _register(tmp_path)
    pieces = map_pieces(register.records, register.districts, "bg", _label(register, "bg"))
    skeleton = map_skeleton(
        register.districts, "bg", "main_map", basemap=None, tiles=None, has_box=True, large=False
    )
    with mock.patch.object(folium.Map, "render", side_effect=AssertionError("folium rendered")):
        for filters in STATES:
            selected = register.records[apply_filters(register.records, filters)]
            compose_map_args(skeleton, pieces, selected, register.districts, "bg", "main_map")


def test_register_is_shared_and_versioned(tmp_path: Path) -> None:
    """One object per state: no copy per session; another store version is another state."""
    a, b = _register(tmp_path), _register(tmp_path)
    assert a is b and a.version
    other = load_register(
        str(FIXTURES / "projects.geojson"),
        0.0,
        str(FIXTURES / "districts.geojson"),
        0.0,
        str(tmp_path / "none.sqlite"),
        "pins changed",
    )
    assert other is not a and other.version != a.version


def test_selected_rows_follow_the_register_version(tmp_path: Path) -> None:
    register = _register(tmp_path)
    filters = FilterState(status=("completed",))
    rows = selected_rows(register, register.version, repr(filters), filters)
    assert set(rows["status"]) <= {"completed"}
    assert rows is selected_rows(register, register.version, repr(filters), filters)
