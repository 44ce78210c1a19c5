"""The map's component arguments, computed once per state, are what ``st_folium`` would send.

Why: the dashboard no longer calls ``st_folium`` for the main map on every run; it computes
``st_folium``'s arguments once per map state (``map_view.component_args``) and shares them
across sessions. If streamlit-folium changes how it builds them, this test says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import streamlit_folium

from dashboard.data import load_register
from dashboard.filters import FilterState
from dashboard.map_view import component_args, project_map, show_map
from dashboard.page import selected_rows

FIXTURES = Path(__file__).parent / "data" / "dashboard"
_HEX = re.compile(r"[0-9a-f]{32}")


def _normalise(text: str) -> str:
    """Random element ids out; a repeated line (st_folium renders twice) once."""
    lines: list[str] = []
    for line in _HEX.sub("ID", text).splitlines():
        if line.strip() and (not lines or line != lines[-1]):
            lines.append(line)
    return "\n".join(lines)


def _register(tmp_path: Path):
    return load_register(
        str(FIXTURES / "projects.geojson"),
        0.0,
        str(FIXTURES / "districts.geojson"),
        0.0,
        str(tmp_path / "none.sqlite"),
        "none",
    )


def test_component_args_are_st_folium_s(tmp_path: Path) -> None:
    register = _register(tmp_path)
    ours = component_args(project_map(register.records, register.districts, "bg"), "main_map")
    theirs: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", lambda **kw: theirs.update(kw)):
        show_map(project_map(register.records, register.districts, "bg"), key="main_map")
    assert set(theirs) - set(ours) == {"height", "on_change"}
    for name in ours:
        if name == "key":  # a hash of the script, which st_folium's second render repeats parts of
            continue
        mine, reference = ours[name], theirs[name]
        if isinstance(mine, str):
            assert _normalise(mine) == _normalise(reference), name
        else:
            assert mine == reference, name


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
