"""Planners pin unlocated or mislocated projects: login, click or type, save, withdraw.

Why behind a login: a pin changes what every resident sees and what the next rebuild
publishes, so only a planner who logged in (``auth``) may add or withdraw one, and each pin
records who made it and when (``corrections``). Residents see neither the form nor the list.
The database path is checked against the data folder before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import auth
from dashboard.escaping import md_text
from dashboard.i18n import Lang, display_name, status_label, t, tm
from dashboard.map_view import fit_works, project_map, show_map
from dashboard.page import ViewContext
from pipeline import corrections
from works.settings import ConfigError, writable

#: Pins must fall inside the districts' box widened by this much (degrees, ~2 km).
MARGIN_DEG = 0.02
_USER = "planner_user"
#: Where a saved pin leaves its message for the next run (the view shows and clears it).
FLASH = "pin_flash"
_CONFIRM = "pin_delete_confirm"


def inside_plovdiv(ctx: ViewContext, lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies in the districts' extent (or the extract's box without districts)."""
    districts = ctx.register.districts
    if len(districts):
        w, s, e, n = districts.total_bounds
    else:
        w, s, e, n = 24.658, 42.104, 24.824, 42.184
    return s - MARGIN_DEG <= lat <= n + MARGIN_DEG and w - MARGIN_DEG <= lon <= e + MARGIN_DEG


def _client() -> str:
    """The browser's address as the server sees it ("unknown" when Streamlit cannot say)."""
    try:
        return str(st.context.ip_address or "unknown")
    except (AttributeError, RuntimeError):
        return "unknown"


def _login(lang: Lang, stored: auth.StoredHash, db: Path) -> None:
    """The login form; sets the session's planner name on success (lockout kept in ``db``)."""
    guard = auth.LoginGuard(db)
    client = _client()
    with st.form("planner_login", clear_on_submit=True):
        st.markdown(f"**{md_text(t('login', lang))}**")
        user = st.text_input(t("login_user", lang), max_chars=100)
        password = st.text_input(t("password", lang), type="password", max_chars=200)
        submitted = st.form_submit_button(t("login_button", lang))
    if not submitted:
        st.caption(t("login_to_edit", lang))
        return
    if not user.strip():
        st.error(t("login_need_user", lang))
        return
    wait = guard.remaining_lock(user, client)
    if wait:
        st.error(t("login_locked", lang, s=wait))
        return
    ok = auth.verify(password, stored)
    guard.record(user, client, ok)
    if not ok:
        st.error(t("login_failed", lang))
        return
    st.session_state[_USER] = user.strip()[:100]
    st.rerun()


def _take_map_click(prefix: str) -> None:
    """Copy a new click on the pin map into the coordinate inputs (before they are drawn)."""
    clicked = (st.session_state.get(f"{prefix}_map") or {}).get("last_clicked")
    used = f"{prefix}_click_used"
    if clicked and clicked != st.session_state.get(used):
        st.session_state[f"{prefix}_lat"] = round(float(clicked["lat"]), 6)
        st.session_state[f"{prefix}_lon"] = round(float(clicked["lng"]), 6)
        st.session_state[used] = clicked


def pin_editor(ctx: ViewContext, db: Path, user: str, work_key: str, *, prefix: str = "pin") -> None:
    """The click map, coordinates, note and save for one work, stored against its stable key.

    Why a function of the work's key: the planners' tab chooses the work from a list, the
    review screen pins the work it shows; both store the same pin (``corrections``: the
    planner, the time, the note) and it is applied the same way on load and at the rebuild.
    ``prefix`` keeps the widgets of two editors apart. A saved pin flashes :data:`FLASH`.
    """
    lang = ctx.lang
    records = ctx.register.records
    chosen = records[records["key"] == work_key]
    st.caption(t("pin_hint", lang))
    if st.session_state.get(f"{prefix}_for") != work_key:
        # Another work: no coordinates until the planner clicks or types them (never the last
        # work's, never a point the planner did not choose: 0, 0 is refused as outside the city).
        st.session_state[f"{prefix}_for"] = work_key
        st.session_state[f"{prefix}_lat"] = 0.0
        st.session_state[f"{prefix}_lon"] = 0.0
    _take_map_click(prefix)
    m = project_map(
        chosen, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, legend=False,
        fit=fit_works(chosen),  # the work itself in view; the whole city when it is not drawn
    )  # fmt: skip
    show_map(m, key=f"{prefix}_map", height=420, returned=("last_clicked",))
    with st.form(f"{prefix}_form"):
        col_lat, col_lon = st.columns(2)
        lat = col_lat.number_input(
            t("lat", lang), min_value=-90.0, max_value=90.0, format="%.6f", key=f"{prefix}_lat"
        )
        lon = col_lon.number_input(
            t("lon", lang), min_value=-180.0, max_value=180.0, format="%.6f", key=f"{prefix}_lon"
        )
        note = st.text_input(t("note", lang), max_chars=500, key=f"{prefix}_note")
        save = st.form_submit_button(t("save_pin", lang), type="primary")
    if save:
        if not inside_plovdiv(ctx, lat, lon):
            st.error(t("pin_outside", lang))
        else:
            display_id = str(chosen["id"].iloc[0]) if len(chosen) else ""
            pin = corrections.add_correction(db, work_key, lat, lon, user, note, project_id=display_id)
            st.session_state[FLASH] = t("pin_saved", lang, id=pin.id)
            st.rerun()


def _editor(ctx: ViewContext, db: Path) -> None:
    """Project choice, the pin editor, the list with withdraw buttons."""
    lang, user = ctx.lang, st.session_state[_USER]
    records = ctx.register.records
    st.caption(tm("logged_in_as", lang, user=user))
    if st.button(t("logout_button", lang)):
        del st.session_state[_USER]
        st.rerun()
    # Unlocated first; a pin is stored against the work's stable key, never its display id.
    order = records[records["key"] != ""].sort_values(["located", "source_line"])
    labels = {
        row.key: f"{display_name(row.name, row.name_latin, lang)} — {status_label(row.status, lang)}"
        + ("" if row.located else " ⚠")
        for row in order.itertuples()
    }
    work_key = st.selectbox(
        t("pin_project", lang), list(labels), format_func=lambda k: labels.get(k, k), key="pin_project"
    )
    if work_key is not None:
        pin_editor(ctx, db, user, str(work_key))
    pins = corrections.list_corrections(db)
    if pins:
        st.markdown(f"**{md_text(t('corrections_list', lang))}**")
        for pin in reversed(pins):
            text = (
                f"#{pin.id} · {pin.project_id} · {pin.lat:.6f}, {pin.lon:.6f} · {pin.user} · {pin.created_at}"
            )
            left, right = st.columns([5, 1])
            left.text(text + (f" · {pin.note}" if pin.note else ""))
            if right.button(t("delete", lang, id=pin.id), key=f"pin_delete_{pin.id}"):
                st.session_state[_CONFIRM] = pin.id
            if st.session_state.get(_CONFIRM) == pin.id:
                # Withdrawing a pin moves a work for every resident: ask once more.
                st.warning(t("delete_confirm", lang, id=pin.id))
                yes, no = st.columns(2)
                if yes.button(
                    t("delete_yes", lang, id=pin.id), key=f"pin_delete_yes_{pin.id}", type="primary"
                ):
                    del st.session_state[_CONFIRM]
                    corrections.delete_correction(db, pin.id, user)
                    st.session_state[FLASH] = t("deleted", lang, id=pin.id)
                    st.rerun()
                if no.button(t("cancel", lang), key=f"pin_delete_no_{pin.id}"):
                    del st.session_state[_CONFIRM]
                    st.rerun()


def planner_session(ctx: ViewContext) -> tuple[str, Path] | None:
    """The logged-in planner and the database they write to; None after drawing why not.

    Shared by the pins and the review view: editing is off without a configured password,
    the database must lie in the data folder, and a planner must log in first.
    """
    lang = ctx.lang
    stored = auth.parse_setting(auth.configured_setting(ctx.settings.planner_password))
    if stored is None:
        st.info(t("editing_off", lang))
        return None
    try:
        db = writable(ctx.settings.corrections_db, ctx.settings)
    except ConfigError as exc:
        st.error(tm("corrections_error", lang, error=exc))
        return None
    if not st.session_state.get(_USER):
        _login(lang, stored, db)
        return None
    return str(st.session_state[_USER]), db


def render(ctx: ViewContext) -> None:
    """The corrections section: off, login, or the editor."""
    lang = ctx.lang
    st.subheader(t("corrections", lang))
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    if ctx.register.orphan_corrections:
        ids = ", ".join(f"#{i}" for i in ctx.register.orphan_corrections)
        st.warning(tm("orphans", lang, ids=ids))
    session = planner_session(ctx)
    if session is None:
        return
    try:
        _editor(ctx, session[1])
    except (OSError, corrections.sqlite3.Error, ValueError) as exc:
        st.error(tm("corrections_error", lang, error=exc))
