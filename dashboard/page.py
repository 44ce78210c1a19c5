"""The page frame every view shares: settings, data, sidebar filters, language, URL.

Why separate from the views: each view gets a :class:`ViewContext` with the register already
loaded and filtered, so views only draw; and the rules that hold on every view (nothing is
hidden, state is in the URL, the language is a toggle) live here once. ``app.py`` passes
the views in, so this module imports none of them.
"""

from __future__ import annotations

import gc
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.data import NO_DISTRICT, Register, RegisterError, load_basemap, load_register, mtime
from dashboard.escaping import md_text
from dashboard.filters import SIDEBAR_FACETS, FilterIndex, FilterState, facet_options
from dashboard.i18n import (
    Lang,
    category_label,
    display_name,
    precision_label,
    review_label,
    status_label,
    streamlit_strings_script,
    t,
    tm,
    view_label,
)
from dashboard.structure import short_goal
from dashboard.styles import PAGE_CSS, PRESENTATION_CSS
from pipeline import corrections, reviews, store
from pipeline.store import StoreError
from works.settings import Settings, load_settings


@dataclass(frozen=True)
class ViewContext:
    """What a view draws from: the whole register, the filtered rows, the page state."""

    settings: Settings
    lang: Lang
    register: Register
    selected: pd.DataFrame
    page: state.PageState
    basemap: dict[str, Any] | None
    tiles: str | None

    def district_label(self, name: str) -> str:
        """A district as shown in the current language."""
        known = district_labels(self.register, self.register.version, self.lang)
        return known[name] if name in known else _district_label(self.register, name, self.lang)


View = Callable[[ViewContext], None]


def district_label(register: Register, name: str, lang: Lang) -> str:
    """A district name in ``lang`` (Cyrillic, plus its Latin name in English)."""
    known = district_labels(register, register.version, lang)
    return known[name] if name in known else _district_label(register, name, lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def district_labels(_register: Register, version: str, lang: Lang) -> dict[str, str]:
    """Every district's label in ``lang``, once per register state (shared: read only)."""
    del version  # cache key only
    names = [*_register.districts["name"], NO_DISTRICT]
    return {name: _district_label(_register, name, lang) for name in names}


def _district_label(register: Register, name: str, lang: Lang) -> str:
    if name == NO_DISTRICT:
        return t("no_district", lang)
    match = register.districts[register.districts["name"] == name]
    latin = str(match["name_en"].iloc[0]) if len(match) else ""
    shown = display_name(name, latin, lang)
    if len(match) and bool(match["unresolved"].iloc[0]):
        return t("boundary_gap", lang, d=shown)  # a gap in the boundary data, not a district
    return shown


@st.cache_data(ttl=300, show_spinner=False)
def tile_server_reachable(url: str) -> bool:
    """Whether the tile host answers a TCP connect within 1.5 s (re-checked every 5 min)."""
    parts = urlsplit(url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=1.5):
            return True
    except OSError:
        return False


def _load(settings: Settings, lang: Lang) -> Register | None:
    """The register, or None after an error message on the page.

    When the store (pins, decisions; the register too with a shared database) cannot be read —
    locked, damaged, not answering — the page says so and shows the register file as built:
    nothing is written, so nothing is lost.
    """
    try:
        state_now = store.register_state(settings.projects)
        db_version = corrections.version(settings.corrections_db) + reviews.version(settings.corrections_db)
        if not state_now:
            st.error(tm("register_missing", lang, path=settings.projects))
            return None
        return load_register(
            str(settings.projects),
            state_now,
            str(settings.districts),
            mtime(settings.districts),
            str(settings.corrections_db),
            db_version,
            str(settings.gazetteer),
            mtime(settings.gazetteer),
        )
    except StoreError as exc:
        st.warning(tm("corrections_error", lang, error=exc))
    except RegisterError as exc:
        st.error(tm("register_invalid", lang, error=exc))
        return None
    return _load_built(settings, lang)


def _load_built(settings: Settings, lang: Lang) -> Register | None:
    """The register file as the build wrote it, without the store."""
    if not settings.projects.exists():
        st.error(tm("register_missing", lang, path=settings.projects))
        return None
    try:
        projects, districts = settings.projects, settings.districts
        return load_register(str(projects), mtime(projects), str(districts), mtime(districts), "", "")
    except RegisterError as exc:
        st.error(tm("register_invalid", lang, error=exc))
        return None


# The page's derived tables, computed once per register state and filter state and shared by
# every session (``st.cache_resource``: no copy per run; callers only read them). The register's
# ``version`` keys them, so a pin or a review decision invalidates them; the frozen
# ``FilterState`` is keyed by its ``repr`` (the unhashed ``_`` arguments are the data itself).


@st.cache_resource(show_spinner=False, max_entries=8)
def facet_choices(_register: Register, version: str) -> dict[str, list[str]]:
    """Every facet's options in the register (shared: read only)."""
    del version  # cache key only
    return facet_options(_register.records, list(_register.districts["name"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def filter_index(_register: Register, version: str) -> FilterIndex:
    """Every facet option's rows, once per register state (shared: read only): a new filter
    state is then filtered and counted with a few array operations."""
    del version  # cache key only
    return FilterIndex.build(_register.records, facet_choices(_register, _register.version))


@st.cache_resource(show_spinner=False, max_entries=256)
def selected_rows(_register: Register, version: str, filters_key: str, _filters: FilterState) -> pd.DataFrame:
    """The rows matching the filters (shared: read only)."""
    del filters_key  # cache key only
    return _register.records[filter_index(_register, version).mask(_filters)]


@st.cache_resource(show_spinner=False, max_entries=1024)
def facet_counts_of(
    _register: Register, version: str, filters_key: str, _filters: FilterState, facet: str
) -> dict[str, int]:
    """A facet's counts under the other filters (shared: read only)."""
    del filters_key  # cache key only
    options = facet_choices(_register, version)[facet]
    return filter_index(_register, version).counts(_filters, facet, options)


@st.cache_resource(show_spinner=False, max_entries=1)
def settle_heap(version: str) -> str:
    """Once per register state: collect, then freeze what lives on (``gc.freeze``).

    Why: Streamlit runs a full garbage collection after every script run
    (``runner.postScriptGC``), and a full collection walks every object in the process — the
    register, the caches, the libraries: ~0.1 s of CPU per page view. Frozen objects are not
    walked; what a run allocates still is. Unfreezing first lets an edit's old register go.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return version


def _sidebar(
    register: Register, options: dict[str, list[str]], lang: Lang, district_label: Callable[[str], str]
) -> None:
    """Language, filters with counts that follow the other filters, reset."""
    labellers: dict[str, Callable[[str], str]] = {
        "priority": lambda c: t("priority_n", lang, n=c),
        "status": lambda c: status_label(c, lang),
        "category": lambda c: category_label(c, lang),
        "district": district_label,
        "measure": lambda c: f"{t('measure', lang)} {c}",
        "precision": lambda c: precision_label(c, lang),
        "review": lambda c: review_label(c, lang),
    }
    with st.sidebar:
        state.stateful(
            st.segmented_control,
            "lang",
            ["lang"],
            label=t("language", lang),
            options=["bg", "en"],
            format_func={"bg": "Български", "en": "English"}.get,
            required=True,
        )
        st.header(t("filters", lang))
        current = state.current().filters
        for facet in SIDEBAR_FACETS:
            counts = facet_counts_of(register, register.version, repr(current), current, facet)
            labels = {code: f"{labellers[facet](code)} ({counts[code]})" for code in options[facet]}
            chosen = state.stateful(
                st.multiselect,
                f"f_{facet}",
                [lang, *labels.values()],
                label=t(facet, lang),
                options=options[facet],
                format_func=labels.get,
                placeholder=t("any", lang),
            )
            current = current.with_values(facet, chosen)
        _goal_chips(register.records, current.goal, lang)
        st.button(t("reset", lang), on_click=state.reset_filters, width="stretch", key="reset_filters")


def _goal_chips(records: pd.DataFrame, goals: tuple[str, ...], lang: Lang) -> None:
    """The goal filter (chosen in the report's structure) as removable chips."""
    for line in goals:
        rows = records[records["goal_line"].map(str) == line]
        measure = str(rows["measure"].iloc[0]) if len(rows) else "?"
        goal = short_goal(str(rows["goal"].iloc[0]), 60) if len(rows) else line
        st.button(
            md_text(t("goal_chip", lang, measure=measure, goal=goal)),
            key=f"goal_chip_{line}",
            help=t("goal_chip_help", lang),
            on_click=state.drop_value,
            args=("goal", line),
            width="stretch",
        )


def _leave_presentation() -> None:
    st.session_state["present"] = False


def presentation_header(title: str, lang: Lang, switcher: Callable[[], None] | None = None) -> None:
    """Presentation mode's one line: the title, an optional switcher, the way out.

    Why one line: on a 1920×1080 projector the map must start near the top and fit the
    screen, so nothing else stands above it.
    """
    if switcher is None:
        left, right = st.columns([8.5, 3], vertical_alignment="center")
    else:
        left, middle, right = st.columns([6, 2.5, 3], vertical_alignment="center")
        with middle:
            switcher()
    left.title(title, anchor=False)
    right.button(t("presentation_exit", lang), on_click=_leave_presentation, key="leave_presentation")


def _search_box(lang: Lang) -> None:
    """The search, above the map on every view: the first thing a resident uses."""
    state.stateful(
        st.text_input,
        "f_q",
        [lang],
        label=t("search", lang),
        max_chars=200,
        placeholder=t("search_placeholder", lang),
        icon=":material/search:",
    )


def run(views: Mapping[str, View]) -> None:
    """Draw the page and the chosen view."""
    settings = load_settings()
    st.set_page_config(page_title=t("page_title", "bg"), page_icon="🗺️", layout="wide")
    st.html(PAGE_CSS)
    lang: Lang = st.session_state.get("lang", "bg")
    register = _load(settings, lang)
    if register is None:
        return
    settle_heap(register.version)
    records = register.records
    district_names = list(register.districts["name"])
    options = facet_choices(register, register.version)
    state.seed_from_url(options, district_names)
    lang = st.session_state["lang"]
    page = state.current()

    if page.present:
        st.html(PRESENTATION_CSS)
    else:
        _sidebar(register, options, lang, lambda name: district_label(register, name, lang))
        lang = st.session_state["lang"]
    st.html(streamlit_strings_script(lang), unsafe_allow_javascript=True)
    if not page.present:
        st.title(t("title", lang), anchor=False)
        _search_box(lang)
    page = state.current()
    selected = selected_rows(register, register.version, repr(page.filters), page.filters)

    if state.url_warnings():
        st.warning(tm("url_invalid", lang, items=", ".join(state.url_warnings())))
    if not page.present:
        state.stateful(
            st.segmented_control,
            "view",
            [lang],
            label=t("view", lang),
            options=list(views),
            format_func=lambda code: view_label(code, lang),
            required=True,
            label_visibility="collapsed",
        )
        page = state.current()
    located = int(selected["located"].sum())
    if not page.present:
        st.caption(
            t(
                "shown",
                lang,
                shown=len(selected),
                total=len(records),
                located=located,
                unlocated=len(selected) - located,
            )
        )
    tiles = settings.tile_url
    if tiles and not tile_server_reachable(tiles):
        st.info(t("tiles_unreachable", lang))
        tiles = None
    basemap = (
        None
        if tiles
        else load_basemap(str(settings.basemap), mtime(settings.basemap), str(settings.gazetteer))
    )
    ctx = ViewContext(settings, lang, register, selected, page, basemap, tiles)
    views.get(page.view, views["map"])(ctx)
    state.sync_url(state.current())
