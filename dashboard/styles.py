"""How the map and the page look, as data: status colours, category icons, CSS.

Why data: the legend, the markers, the lines and the charts must agree on a status's colour,
and a reviewer should change a colour or an icon in one table. Marker colours are limited to
the palette of Leaflet.awesome-markers (its sprite holds those colours only); ``hex`` is the
sprite's colour, used for lines, polygons, the legend and the charts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusStyle:
    """A status's marker colour (awesome-markers palette name) and its hex for vectors."""

    marker: str
    hex: str


#: In the order shown in legends and filters: done → under way → paperwork → not started.
STATUS_STYLES: dict[str, StatusStyle] = {
    "completed": StatusStyle("green", "#72b026"),
    "in_progress": StatusStyle("blue", "#38aadd"),
    "procurement": StatusStyle("purple", "#d252b9"),
    "design": StatusStyle("orange", "#f69730"),
    "planned": StatusStyle("cadetblue", "#436978"),
    "stalled": StatusStyle("red", "#d63e2a"),
    "unknown": StatusStyle("gray", "#575757"),
}

#: Font Awesome 6 (free, solid) icon per category: vendored, so markers work offline.
CATEGORY_ICONS: dict[str, str] = {
    "road": "road",
    "park": "tree",
    "school": "school",
    "camera": "video",
    "sport": "futbol",
    "water": "droplet",
    "parking": "square-parking",
    "health": "hospital",
    "social": "hands-holding-child",
    "culture": "masks-theater",
    "waste": "recycle",
    "lighting": "lightbulb",
    "transport": "bus",
    "planning": "compass-drafting",
    "other": "circle-info",
}

#: Precision codes of records that have a drawable place, most precise first.
LOCATED_PRECISIONS: tuple[str, ...] = ("facility", "segment", "street", "area", "neighbourhood", "manual")
#: Precision codes of records that are listed but not drawn.
UNLOCATED_PRECISIONS: tuple[str, ...] = ("district", "city", "none")

DISTRICT_STYLE = {"color": "#333333", "weight": 2, "fillColor": "#ffffff", "fillOpacity": 0.0}
UNRESOLVED_STYLE = {
    "color": "#888888",
    "weight": 2,
    "dashArray": "6 6",
    "fillColor": "#9e9e9e",
    "fillOpacity": 0.18,
}
HIGHLIGHT_DISTRICT_STYLE = {"color": "#1f4e9c", "weight": 4, "fillColor": "#1f4e9c", "fillOpacity": 0.06}

BASEMAP_STYLES: dict[str, dict[str, object]] = {
    # Pale, thin water: project lines "in progress" are a saturated blue drawn thicker.
    "water": {"color": "#bcd8ec", "weight": 1, "fillColor": "#d5e7f4", "fillOpacity": 0.9},
    "river": {"color": "#bcd8ec", "weight": 3, "fillOpacity": 0.0},
    "park": {"color": "#9fcf8f", "weight": 0.5, "fillColor": "#cfe8c2", "fillOpacity": 0.7},
    "major": {"color": "#b5b5b5", "weight": 3, "fillOpacity": 0.0},
    "street": {"color": "#cfcfcf", "weight": 1.5, "fillOpacity": 0.0},
    "rail": {"color": "#9a8f87", "weight": 1.5, "dashArray": "4 3", "fillOpacity": 0.0},
}

#: Sequential ramp for the district choropleth (light → dark, ColorBrewer "Blues").
CHOROPLETH_RAMP: tuple[str, ...] = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

#: Shared CSS: district labels, legend, popups; print style for every page.
BASE_CSS = """
<style>
.pv-district-label {font: 600 12px/1.2 sans-serif; color: #222; text-shadow: 0 0 3px #fff, 0 0 3px #fff;
  white-space: nowrap; transform: translate(-50%, -50%); display: inline-block; pointer-events: none;
  text-align: center;}
.pv-district-label.pv-unresolved {color: #666; font-style: italic;}
.pv-legend {background: rgba(255,255,255,.94); color: #222; padding: 6px 9px; border-radius: 4px;
  font: 12px/1.35 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 260px;}
.leaflet-popup-content, .leaflet-tooltip, .leaflet-control-layers {color: #222;}
.pv-legend i.pv-swatch {display: inline-block; width: 12px; height: 12px; margin-right: 5px;
  border-radius: 2px; vertical-align: -1px;}
.pv-popup {font: 13px/1.35 sans-serif; max-width: min(340px, calc(100vw - 90px)); overflow-wrap: anywhere;}
.pv-popup blockquote {margin: 6px 0 0; padding: 4px 6px; border-left: 3px solid #bbb; background: #f6f6f6;
  max-height: 9em; overflow: auto;}
</style>
"""

#: Presentation mode: legend, labels and popups readable from the back of the room.
LARGE_MAP_CSS = """
<style>
.pv-district-label {font-size: 22px;}
.pv-legend {font-size: 22px; line-height: 1.4; max-width: 460px; padding: 10px 14px;}
.pv-legend i.pv-swatch {width: 20px; height: 20px; vertical-align: -3px; margin-right: 8px;}
.pv-popup {font-size: 18px; max-width: 520px;}
.leaflet-control-zoom a {width: 44px !important; height: 44px !important; line-height: 44px !important;
  font-size: 26px !important;}
/* The fullscreen button sits in the zoom bar: its two-state sprite must grow with it, or both
   states show at once. */
.leaflet-control-zoom a.fullscreen-icon {background-size: 44px 88px !important;
  background-position: 0 0 !important;}
.leaflet-control-zoom a.fullscreen-icon.leaflet-fullscreen-on {background-position: 0 -44px !important;}
</style>
"""

#: Streamlit page CSS: the phone layout, and the print style (one A4 page: no sidebar, tabs,
#: selectors or buttons; the page flows instead of scrolling inside a 100vh frame).
PAGE_CSS = """
<style>
@media (max-width: 640px) {
  h1 {font-size: 1.25rem !important; line-height: 1.3 !important; padding: 0 0 .2rem !important;}
  h2 {font-size: 1.15rem !important;} h3 {font-size: 1.05rem !important;}
  .block-container, [data-testid="stMainBlockContainer"] {padding: 3.2rem .6rem 1rem !important;}
  [data-testid="stMain"] [data-testid="stVerticalBlock"] {gap: .55rem !important;}
  [data-testid="stButtonGroup"] button {padding: .15rem .5rem !important; min-height: 2rem !important;}
}
@media print {
  @page {size: A4 portrait; margin: 8mm;}
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  section.main, .main {height: auto !important; min-height: 0 !important; overflow: visible !important;
    position: static !important;}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stSegmentedControl"], [data-testid="stButtonGroup"],
  .stButton, [data-testid="stButton"], [data-testid="stFileUploader"], [data-testid="stExpander"],
  [data-testid="stTextInput"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
  [data-testid="stCaptionContainer"], [data-testid="stElementToolbar"], .pv-noprint,
  [data-testid="stDataFrame"], [data-testid="stAlert"] {display: none !important;}
  .block-container, [data-testid="stMainBlockContainer"] {padding: 0 !important; max-width: 100% !important;}
  [data-testid="stVerticalBlock"] {gap: 2mm !important;}
  h1 {font-size: 15pt !important; padding: 0 !important;}
  h2 {font-size: 13pt !important; padding: 0 !important;}
  h3 {font-size: 11pt !important; padding: 0 !important; margin: 0 !important;}
  [data-testid="stMetricValue"] {font-size: 14pt !important;}
  [data-testid="stMetricLabel"] p {font-size: 8pt !important;}
  iframe {width: 100% !important; page-break-inside: avoid; break-inside: avoid;}
  .pv-print-table {font-size: 7pt !important; line-height: 1.2 !important;}
  .pv-print-table th, .pv-print-table td {padding: 0 3px !important;}
  /* A district summary is its own page: its title stands in for the page's. */
  [data-testid="stMainBlockContainer"]:has(.pv-print-table) h1, .st-key-pv_exports {display: none !important;}
}
.pv-print-table {border-collapse: collapse; width: 100%; font-size: .85rem;}
.pv-print-table th, .pv-print-table td {border: 1px solid rgba(128,128,128,.45); padding: 2px 6px;
  text-align: left; vertical-align: top;}
.pv-print-table td.pv-n, .pv-print-table th.pv-n {text-align: right;}
</style>
"""

#: Presentation mode: no sidebar or toolbar, large type, the map filling a 1920×1080 screen
#: under a single header line.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: .6rem 1.5rem 1rem !important;
  max-width: 100% !important;}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {gap: .6rem !important;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem !important;}
h1 {font-size: 2.2rem !important; padding: 0 !important; line-height: 1.15 !important;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
.stButton button p {white-space: nowrap;}
[data-testid="stMetricValue"] {font-size: 3rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem !important;}
[data-testid="stSelectbox"] div[data-baseweb="select"] {font-size: 1.5rem !important;}
.stButton button {font-size: 1.3rem !important; min-height: 3rem !important;}
</style>
"""

#: Standalone export (summary page): print on A4 landscape, one page.
EXPORT_CSS = """
body {font: 14px/1.4 sans-serif; padding: 12px 16px !important; box-sizing: border-box; color: #222;}
h1 {font-size: 22px; margin: 0 0 8px;}
table {border-collapse: collapse; margin: 8px 0 16px; font-size: 13px;}
th, td {border: 1px solid #bbb; padding: 3px 7px; text-align: left;}
th {background: #eee;}
.folium-map {height: 560px !important; width: 100%;}
.pv-note {color: #555; font-size: 12px;}
@media print {
  @page {size: A4 landscape; margin: 10mm;}
  body {padding: 0 !important;}
  .folium-map {height: 120mm !important; page-break-inside: avoid;}
  .leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-zoom-fullscreen {display: none;}
}
"""
