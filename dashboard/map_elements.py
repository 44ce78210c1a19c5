"""The map's own Leaflet elements: data layers, controls, and the works' overlay script.

Why apart from ``map_view``: these are the pieces folium does not have (a GeoJSON layer drawn
from its features' own properties, static controls, touch scrolling, the attribution line, and
one script per category of works made from features serialised once). They know nothing of
filters or pages, so the map built per request (``map_view.project_map``) and the map built
once and shared (``map_view.map_skeleton``) use the same ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer, LayerControl
from folium.plugins import MarkerCluster
from folium.template import Template
from folium.utilities import JsCode

from dashboard.escaping import html_text
from dashboard.i18n import (
    CATEGORIES,
    Lang,
    category_label,
)
from dashboard.styles import (
    CATEGORY_ICONS,
)

_POINT_TO_LAYER = JsCode(
    """function(feature, latlng) {
    var p = feature.properties;
    return L.marker(latlng, {
        icon: L.AwesomeMarkers.icon({icon: p.icon, prefix: 'fa', markerColor: p.marker, iconColor: 'white'}),
        title: p.title, alt: p.title, riseOnHover: true
    });
}"""
)
# Tooltip and popup are pre-escaped HTML strings built in Python.
_BIND_TEXTS = JsCode(
    """function(feature, layer) {
    var p = feature.properties;
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
    // Never wider than the map (a phone's map is ~360 px wide).
    if (p.pop) { layer.bindPopup(p.pop, {maxWidth: Math.min(380, window.innerWidth - 70)}); }
}"""
)


class MapControl(MacroElement):
    """A static Leaflet control (legend, notes) holding ready-made, escaped HTML."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, html: str, position: str = "bottomright", css_class: str = "pv-legend") -> None:
        super().__init__()
        self._name = "MapControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class TouchScroll(MacroElement):
    """On touch screens one finger scrolls the page and two move the map.

    Why: a phone's map fills most of the screen, so a swipe that pans the map traps the
    reader in it. Leaflet's dragging is off for a coarse pointer and turned on while two
    fingers touch; pinch zoom stays as it is.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function(map) {
            if (!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches)) { return; }
            map.dragging.disable();
            var box = map.getContainer();
            box.classList.add('pv-touch');
            box.addEventListener('touchstart', function(e) {
                if (e.touches.length > 1) { map.dragging.enable(); }
            }, {passive: true});
            box.addEventListener('touchend', function(e) {
                if (e.touches.length === 0) { map.dragging.disable(); }
            }, {passive: true});
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "TouchScroll"


class Attribution(MacroElement):
    """Adds a line to the map's attribution control (the ODbL requires the credit)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


def compact_json(obj: Any) -> str:
    """JSON for a ``<script>``: UTF-8 (not ``\\uXXXX``: Cyrillic would triple in size), no
    spaces, and the characters that could end the script or the JS string escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


class DataLayer(Layer):
    """A GeoJSON layer drawn from its features' own properties.

    ``style`` styles lines and polygons; points become awesome-markers from ``marker`` and
    ``icon``; ``tip`` and ``pop`` are bound as tooltip and popup (already escaped HTML).
    Why not ``folium.GeoJson``: it writes the data ASCII-escaped and adds a style table per
    feature; this layer ships each feature once, compactly.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data }}, {
            pointToLayer: {{ this.point_to_layer }},
            onEachFeature: {{ this.bind_texts }},
            style: function(feature) { return feature.properties.style || {}; },
            interactive: {{ this.interactive|tojson }}
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(
        self,
        features: list[dict[str, Any]] | str,
        name: str | None = None,
        *,
        interactive: bool = True,
        control: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "DataLayer"
        # A string is the FeatureCollection already serialised (:func:`compact_json`).
        self.data = (
            features
            if isinstance(features, str)
            else compact_json({"type": "FeatureCollection", "features": features})
        )
        self.interactive = interactive
        self.point_to_layer = _POINT_TO_LAYER.js_code
        self.bind_texts = _BIND_TEXTS.js_code


def collection_json(features: Sequence[str]) -> str:
    """A FeatureCollection from features already serialised by :func:`compact_json` (the same
    text ``compact_json`` gives for the whole collection)."""
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


@dataclass(frozen=True)
class WorkGroup:
    """One category's overlay: its label in the layer control, and its features as
    FeatureCollection JSON (lines and polygons drawn as they are, points clustered)."""

    label: str
    shapes: str | None
    points: str | None


def work_groups(layers: Mapping[str, tuple[Sequence[str], Sequence[str]]], lang: Lang) -> list[WorkGroup]:
    """The overlays of serialised (point, shape) features per category, in the legend's order."""
    groups = []
    for category in [c for c in CATEGORIES if c in layers] + [c for c in layers if c not in CATEGORIES]:
        points, shapes = layers[category]
        icon = CATEGORY_ICONS.get(category, "circle-info")
        name = html_text(category_label(category, lang))
        label = f'<i class="fa fa-{icon}"></i> {name} ({len(points) + len(shapes)})'
        shape_json = collection_json(shapes) if shapes else None
        groups.append(WorkGroup(label, shape_json, collection_json(points) if points else None))
    return groups


_CLUSTER_OPTIONS = {"showCoverageOnHover": False, "maxClusterRadius": 40, "disableClusteringAtZoom": 17}
#: Stands for the works' script in a map built once and shared (:func:`map_skeleton`).
WORKS_TOKEN = "/*@@PV_WORKS@@*/"


def works_calls(groups: Sequence[WorkGroup]) -> str:
    """One line per overlay: the call of :func:`works_script`'s ``group`` with its data."""
    return "\n".join(
        f"            group({compact_json(g.label)}, {g.shapes or 'null'}, {g.points or 'null'});"
        for g in groups
    )


def works_script(calls: str, map_name: str, control_name: str) -> str:
    """The works' JavaScript: per category (a line of ``calls``, :func:`works_calls`) a feature
    group on the map, listed in the layer control, holding its lines/polygons and a marker
    cluster of its points."""
    return f"""        (function(map, control) {{
            var options = {{
                pointToLayer: {_POINT_TO_LAYER.js_code},
                onEachFeature: {_BIND_TEXTS.js_code},
                style: function(feature) {{ return feature.properties.style || {{}}; }},
                interactive: true
            }};
            function group(label, shapes, points) {{
                var layer = L.featureGroup();
                if (shapes) {{ L.geoJson(shapes, options).addTo(layer); }}
                if (points) {{
                    var cluster = L.markerClusterGroup({json.dumps(_CLUSTER_OPTIONS)});
                    L.geoJson(points, options).addTo(cluster);
                    cluster.addTo(layer);
                }}
                layer.addTo(map);
                control.addOverlay(layer, label);
            }}
{calls}
        }})({map_name}, {control_name});"""


class WorkLayers(JSCSSMixin, MacroElement):
    """The works on the map, one overlay per category (added to ``control``, after the layers
    the control was made with).

    Why one element with its own script rather than folium groups: the script is made from
    features serialised once per record (:func:`works_calls`), so a shared map
    (:func:`compose_map_args`) can put any filter state's works into a map built once.
    ``groups=None`` writes :data:`WORKS_TOKEN` instead of the calls.
    """

    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.script(this._parent.get_name(), this.control.get_name()) }}"
        "{% endmacro %}"
    )

    def __init__(self, groups: Sequence[WorkGroup] | None, control: LayerControl) -> None:
        super().__init__()
        self._name = "WorkLayers"
        self.groups = groups
        self.control = control

    def script(self, map_name: str, control_name: str) -> str:
        """The works' script (or the token) for the map and control variables given."""
        calls = WORKS_TOKEN if self.groups is None else works_calls(self.groups)
        return works_script(calls, map_name, control_name)
