"""The streamlit-folium adapter: fails loudly when the installed version behaves differently.

Why: ``dashboard.folium_component`` mirrors four private helpers of streamlit-folium 0.27 to
send the main map's arguments without ``st_folium``'s double render. An upgrade that changes
them must stop the suite here, not show a blank or stale map to the public.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import streamlit_folium

from dashboard import folium_component
from dashboard.map_view import component_args, project_map, show_map
from tests.conftest import load_fixture_register

_HEX = re.compile(r"[0-9a-f]{32}")


def _normalise(text: str) -> str:
    """Random element ids out; a repeated line (st_folium renders twice) once."""
    lines: list[str] = []
    for line in _HEX.sub("ID", text).splitlines():
        if line.strip() and (not lines or line != lines[-1]):
            lines.append(line)
    return "\n".join(lines)


def test_the_installed_streamlit_folium_is_the_one_the_adapter_mirrors() -> None:
    installed = folium_component.installed_version()
    assert installed.startswith(folium_component.SUPPORTED_VERSION), (
        f"streamlit-folium {installed} is installed; dashboard/folium_component.py mirrors "
        f"{folium_component.SUPPORTED_VERSION}x internals: check it against the new version"
    )


def test_component_args_are_st_folium_s(tmp_path: Path) -> None:
    """Every argument the adapter computes is the one ``st_folium`` passes its component."""
    register = load_fixture_register(tmp_path)
    ours = component_args(project_map(register.records, register.districts, "bg"), "main_map")
    theirs: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", lambda **kw: theirs.update(kw)):
        show_map(project_map(register.records, register.districts, "bg"), key="main_map")
    assert set(theirs) - set(ours) == {"height", "on_change"}
    assert ours["script"].count("L.geoJson(") >= 2  # the map is there, not an empty frame
    for name in ours:
        if name == "key":  # a hash of the script, which st_folium's second render repeats parts of
            continue
        mine, reference = ours[name], theirs[name]
        if isinstance(mine, str):
            assert _normalise(mine) == _normalise(reference), name
        else:
            assert mine == reference, name


def test_mount_passes_the_arguments_and_the_caller_s_key() -> None:
    args = {"key": "abc", "script": "var x;"}
    seen: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", lambda **kw: seen.update(kw)):
        folium_component.mount(args, "main_map", 620)
    assert seen["script"] == "var x;" and seen["key"] == "abc" and seen["height"] == 620
    assert callable(seen["on_change"])


def test_payload_key_follows_the_script_and_the_key() -> None:
    a = folium_component.payload_key("var a = 1;", "main_map")
    assert a == folium_component.payload_key("var a = 1;", "main_map")
    assert a != folium_component.payload_key("var a = 2;", "main_map")
    assert a != folium_component.payload_key("var a = 1;", "other")
