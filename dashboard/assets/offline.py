"""Point folium maps at the vendored JS/CSS instead of public CDNs.

Why: municipal intranets have no internet, and a folium map whose Leaflet
comes from a CDN is blank there.  ``python -m dashboard.assets.install`` puts
the files under ``static/vendor``; Streamlit serves them at
``/app/static/vendor`` when ``server.enableStaticServing`` is on.

The rewrite is per map (instance attributes), not a global patch of folium's
classes, so nothing else in the process changes behind anyone's back.  Call it
on the finished map, just before ``st_folium``; any asset that has no local
copy raises :class:`UnvendoredAssetError` rather than silently hitting a CDN.

Setting: ``PLOVDIV_MAP_ASSETS=local`` (default) or ``cdn``.

Offline maps have no tile layer (``folium.Map(tiles=None)``), so give the map
its own ``maxZoom=...``: MarkerCluster throws "Map has no maxZoom specified"
otherwise, and the map stays blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import folium
from branca.colormap import ColorMap
from branca.element import Element, MacroElement
from folium.template import Template

from works.errors import PlovdivError
from works.settings import ConfigError, load_settings

from .manifest import CDN_TO_LOCAL

ASSET_MODE_ENV = "PLOVDIV_MAP_ASSETS"
AssetMode = Literal["local", "cdn"]
_MODES: tuple[AssetMode, ...] = ("local", "cdn")
_EXTERNAL_PREFIXES = ("http://", "https://", "//")
_ICON_PATH_KEY = "local_default_icon_path"
_LEAFLET_IMAGES = "leaflet/dist/images/"


class UnvendoredAssetError(PlovdivError):
    """A map element needs a CDN file that the vendor folder does not hold."""


def asset_mode() -> AssetMode:
    """Read ``PLOVDIV_MAP_ASSETS``; a typo must not silently go to the CDN."""
    value = load_settings().map_assets
    if value not in _MODES:
        raise ConfigError(f"{ASSET_MODE_ENV}={value!r}; expected one of {_MODES}")
    return value


def default_base_url() -> str:
    """Absolute URL path of the vendor folder as Streamlit serves it.

    Absolute because st_folium loads the links from inside its component
    iframe (``/component/streamlit_folium.st_folium/index.html``), where a
    relative ``app/static/...`` would resolve under ``/component/``.
    Honours ``server.baseUrlPath`` for deployments behind a path prefix.
    """
    try:
        from streamlit import config

        prefix = str(config.get_option("server.baseUrlPath") or "").strip("/")
    except (ImportError, RuntimeError):
        prefix = ""
    return "/" + "/".join(part for part in (prefix, "app/static/vendor") if part)


class DefaultIconPath(MacroElement):
    """Set ``L.Icon.Default.imagePath`` before any marker is created.

    Why: st_folium appends the stylesheets without waiting for them and runs
    the map script at once, so Leaflet guesses the default-marker folder from
    the ``<link href=".../leaflet.css">`` and drops the ``/images/`` part
    (Leaflet issue #4968): plain ``folium.Marker`` icons would 404.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}"""
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "DefaultIconPath"
        self.path = path


def _set_default_icon_path(m: folium.Map, path: str) -> None:
    """Make the icon-path element the map's first child (runs before markers)."""
    m.add_child(DefaultIconPath(path), name=_ICON_PATH_KEY)
    m._children.move_to_end(_ICON_PATH_KEY, last=False)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def _is_external(url: str) -> bool:
    return url.lower().startswith(_EXTERNAL_PREFIXES)


def use_local_assets(*roots: Element, base_url: str | None = None) -> None:
    """Rewrite ``default_js``/``default_css`` of every element under ``roots``.

    Pass the map (and any feature groups handed separately to ``st_folium``
    via ``feature_group_to_add``).  Idempotent.  Raises
    :class:`UnvendoredAssetError` listing every URL without a local copy.
    """
    base = (base_url if base_url is not None else default_base_url()).rstrip("/")
    missing: list[str] = []
    for root in roots:
        for element in list(_walk(root)):
            if isinstance(element, folium.Map):
                _set_default_icon_path(element, f"{base}/{_LEAFLET_IMAGES}")
            if isinstance(element, ColorMap):
                # st_folium hard-codes d3 CDN links for colormaps.
                missing.append(f"{type(element).__name__} (d3 from CDN)")
            for attr in ("default_js", "default_css"):
                links = getattr(element, attr, None)
                if not isinstance(links, list):
                    continue
                rewritten = []
                for name, url in links:
                    if url in CDN_TO_LOCAL:
                        url = f"{base}/{CDN_TO_LOCAL[url]}"
                    elif _is_external(url):
                        missing.append(f"{type(element).__name__}: {url}")
                    rewritten.append((name, url))
                # A new list on the instance: folium's class-level lists are
                # shared by every map in the process.
                setattr(element, attr, rewritten)
    if missing:
        raise UnvendoredAssetError(
            "no local copy (add it to dashboard/assets/manifest.py and "
            "package.json, or set PLOVDIV_MAP_ASSETS=cdn): " + "; ".join(missing)
        )


def prepare_assets(*roots: Element, mode: AssetMode | None = None, base_url: str | None = None) -> AssetMode:
    """Apply the configured asset mode to ``roots``; return the mode used."""
    chosen = mode or asset_mode()
    if chosen == "local":
        use_local_assets(*roots, base_url=base_url)
    return chosen
