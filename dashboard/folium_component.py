"""The one place that knows streamlit-folium's internals (``requirements.txt``: 0.27.x).

Why an adapter: the main map does not call ``st_folium`` on every script run (it renders the
map's templates twice per run, a third of a page view's CPU); it computes the component's
arguments once per map state and mounts the component with them. That needs four private
helpers of streamlit-folium and its component function. They are used here and nowhere
else, so an upgrade touches one file, and ``tests/test_folium_component.py`` fails loudly
when the installed version is not the one this was written against or builds its arguments
differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import folium
import folium.elements
import streamlit_folium
from streamlit_folium import st_folium

#: The streamlit-folium release line whose internals this module mirrors.
SUPPORTED_VERSION = "0.27."


def installed_version() -> str:
    """The installed streamlit-folium's version."""
    return version("streamlit-folium")


def _assets(element: Any) -> Iterator[Any]:
    """Every element of a map that brings its own CSS or JavaScript (as ``st_folium`` walks it)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _assets(child)


def payload_key(script: str, key: str) -> str:
    """The component key ``st_folium`` derives from the map's script and the caller's key."""
    return str(streamlit_folium.generate_js_hash(script, key, False))


def component_args(m: folium.Map, key: str) -> dict[str, Any]:
    """What ``st_folium(m, key=key, use_container_width=True, returned_objects=[])`` passes to
    its component, computed as it computes it (the map's assets already prepared).

    The map is rendered once here; ``st_folium`` renders it twice. The result depends only on
    the map, so callers may compute it once per map state and share it.
    """
    m.get_root().render()
    # In st_folium's order: the map string renames the map's variable (to map_div).
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    leaflet = streamlit_folium._get_map_string(m)
    css = [href for e in _assets(m) for _, href in getattr(e, "default_css", [])]
    js = [src for e in _assets(m) for _, src in getattr(e, "default_js", [])]
    return {
        "script": leaflet,
        "header": header,
        "html": html,
        "id": streamlit_folium.get_full_id(m),
        "key": payload_key(leaflet, key),
        "width": None,
        "returned_objects": [],
        "default": {},
        "zoom": None,
        "center": None,
        "feature_group": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(dict.fromkeys(css)),
        "js_links": list(dict.fromkeys(js)),
        "wrap_longitude": False,
    }


def mount(args: dict[str, Any], key: str, height: int) -> None:
    """Mount the map component with ``args`` (:func:`component_args`); like ``st_folium``, its
    value lands under the caller's ``key`` in the session state."""
    import streamlit as st

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(args["key"], {})

    streamlit_folium._component_func(**args, height=height, on_change=on_change)


def show(m: folium.Map, key: str, height: int, returned: list[str]) -> dict[str, Any]:
    """``st_folium`` itself, for maps that return what the reader clicks."""
    return st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned) or {}
