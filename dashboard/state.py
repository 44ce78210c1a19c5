"""What the page remembers — language, view, filters, searches — and its URL form.

Why here: a shared link must reproduce the view, so every piece of state has one canonical
value in ``st.session_state`` (codes, never translated labels), is seeded from the URL when a
session starts (invalid values are dropped and reported), and is written back to the URL on
every run.

Widgets are bound to the canonical value through :func:`stateful`. Streamlit stores a
select widget's value as its *displayed label*, so a widget whose labels change (language,
counts that follow the filters) would silently lose its selection; :func:`stateful` keys the
widget by a fingerprint of its labels and seeds each new widget from the canonical value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from dashboard.filters import FACETS, STRUCTURE_FACETS, FilterState, parse_params, to_params
from dashboard.i18n import LANGS, Lang

VIEW_CODES: tuple[str, ...] = ("map", "residents", "planners", "councillors", "review")
RADII: tuple[int, ...] = (250, 500, 750, 1000, 1500, 2000)
DEFAULT_RADIUS = 500
MAX_PLACE = 120
_SEEDED = "_url_seeded"
_WARNINGS = "_url_warnings"
_WIDGET_PREFIX = "w_"
_GENERATION = "_filters_generation"


@dataclass(frozen=True)
class PageState:
    """Everything a link carries."""

    lang: Lang = "bg"
    view: str = "map"
    present: bool = False
    filters: FilterState = field(default_factory=FilterState)
    my: str = ""
    place: str = ""
    radius: int = DEFAULT_RADIUS
    sd: str = ""


def _one(params: Mapping[str, list[str]], key: str) -> str:
    values = params.get(key) or []
    return str(values[-1]).strip() if values else ""


def parse_url(
    params: Mapping[str, list[str]], options: Mapping[str, list[str]], districts: Iterable[str]
) -> tuple[PageState, list[str]]:
    """The state a URL asks for and the ``key=value`` items ignored as invalid."""
    filters, invalid = parse_params(params, options)
    district_names = set(districts)
    lang = _one(params, "lang") or "bg"
    if lang not in LANGS:
        invalid.append(f"lang={lang}")
        lang = "bg"
    view = _one(params, "view") or "map"
    if view not in VIEW_CODES:
        invalid.append(f"view={view}")
        view = "map"
    mode = _one(params, "mode")
    if mode not in ("", "present"):
        invalid.append(f"mode={mode}")
    radius_text = _one(params, "radius")
    radius = DEFAULT_RADIUS
    if radius_text:
        if radius_text.isdigit() and int(radius_text) in RADII:
            radius = int(radius_text)
        else:
            invalid.append(f"radius={radius_text}")
    chosen: dict[str, str] = {}
    for key in ("my", "sd"):
        value = _one(params, key)
        if value and value not in district_names:
            invalid.append(f"{key}={value}")
            value = ""
        chosen[key] = value
    place = _one(params, "place")
    if len(place) > MAX_PLACE:
        invalid.append(f"place ({len(place)} > {MAX_PLACE})")
        place = place[:MAX_PLACE]
    state = PageState(lang, view, mode == "present", filters, chosen["my"], place, radius, chosen["sd"])  # type: ignore[arg-type]
    return state, invalid


def to_url(state: PageState) -> dict[str, list[str]]:
    """The query-string form of ``state``; defaults are left out so links stay short."""
    params: dict[str, list[str]] = {}
    if state.lang != "bg":
        params["lang"] = [state.lang]
    if state.view != "map":
        params["view"] = [state.view]
    if state.present:
        params["mode"] = ["present"]
    params.update(to_params(state.filters))
    for key, value in (("my", state.my), ("place", state.place), ("sd", state.sd)):
        if value:
            params[key] = [value]
    if state.radius != DEFAULT_RADIUS:
        params["radius"] = [str(state.radius)]
    return params


def _store(state: PageState) -> None:
    """Write ``state`` into the canonical session keys."""
    ss = st.session_state
    ss["lang"], ss["view"], ss["present"] = state.lang, state.view, state.present
    for facet in FACETS:
        ss[f"f_{facet}"] = list(state.filters.values(facet))
    ss["f_q"] = state.filters.q
    ss["my"], ss["place"], ss["radius"], ss["sd"] = state.my, state.place, state.radius, state.sd


def seed_from_url(options: Mapping[str, list[str]], districts: Iterable[str]) -> None:
    """On a session's first run: take the state from the URL and remember what was invalid."""
    if st.session_state.get(_SEEDED):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, invalid = parse_url(params, options, districts)
    _store(state)
    st.session_state[_WARNINGS] = invalid
    st.session_state[_SEEDED] = True


def url_warnings() -> list[str]:
    """The URL items ignored when the session started."""
    return list(st.session_state.get(_WARNINGS, []))


def current() -> PageState:
    """The state as the widgets left it."""
    ss = st.session_state
    filters = FilterState(**{facet: tuple(ss.get(f"f_{facet}", ())) for facet in FACETS}, q=ss.get("f_q", ""))
    return PageState(
        ss.get("lang", "bg"),
        ss.get("view", "map"),
        bool(ss.get("present", False)),
        filters,
        ss.get("my", ""),
        ss.get("place", ""),
        int(ss.get("radius", DEFAULT_RADIUS)),
        ss.get("sd", ""),
    )


def sync_url(state: PageState) -> None:
    """Make the address bar show ``state`` (only when it differs, to avoid churn)."""
    wanted = to_url(state)
    now = {key: st.query_params.get_all(key) for key in st.query_params}
    if now != wanted:
        st.query_params.from_dict(wanted)


def reset_filters() -> None:
    """Button callback: clear every filter and the URL warnings."""
    ss = st.session_state
    for facet in FACETS:
        ss[f"f_{facet}"] = []
    ss["f_q"] = ""
    ss[_WARNINGS] = []
    # New widgets (a new generation in their keys): a dropdown closed with Escape may still
    # send its old value when it loses focus to this button; that value goes to a widget
    # that is no longer drawn and is dropped, so one click clears everything.
    ss[_GENERATION] = int(ss.get(_GENERATION, 0)) + 1


def select_structure(facet: str, code: str) -> None:
    """Choose one level of the report's structure (a priority, a measure or a goal).

    The other two levels are cleared (a measure of another priority would show nothing);
    choosing the level that is already the only one chosen clears it (a toggle). The
    sidebar's drop-downs get new keys so they show the new selection.
    """
    if facet not in STRUCTURE_FACETS:
        return
    ss = st.session_state
    alone = all(list(ss.get(f"f_{f}", [])) == ([code] if f == facet else []) for f in STRUCTURE_FACETS)
    for level in STRUCTURE_FACETS:
        ss[f"f_{level}"] = [code] if level == facet and not alone else []
    ss[_GENERATION] = int(ss.get(_GENERATION, 0)) + 1


def drop_value(facet: str, value: str) -> None:
    """Button callback: drop one value of a facet's selection (the goal chip's ✕)."""
    st.session_state[f"f_{facet}"] = [v for v in st.session_state.get(f"f_{facet}", []) if v != value]
    st.session_state[_GENERATION] = int(st.session_state.get(_GENERATION, 0)) + 1


def fingerprint(labels: Iterable[object]) -> str:
    """Short digest of a widget's labels (part of its key, see the module docstring)."""
    return hashlib.sha1("\x1f".join(map(str, labels)).encode()).hexdigest()[:10]


def _copy_back(widget_key: str, name: str) -> None:
    st.session_state[name] = st.session_state[widget_key]


def stateful(widget: Callable[..., Any], name: str, labels: Iterable[object], **kwargs: Any) -> Any:
    """Render ``widget`` bound to the canonical session value ``name``; return its value."""
    if name.startswith("f_"):
        labels = [*labels, st.session_state.get(_GENERATION, 0)]
    key = f"{_WIDGET_PREFIX}{name}_{fingerprint(labels)}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(name)
    value = widget(key=key, on_change=_copy_back, args=(key, name), **kwargs)
    st.session_state[name] = value
    return value
