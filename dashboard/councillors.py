"""Councillors' view: a one-page summary per district, downloads, and presentation mode.

Why a page that prints and a file that stands alone: the summary goes into council papers and
onto a projector. The on-screen summary has a print style (``styles.PAGE_CSS``); the HTML
download carries the same map and tables with every script inlined (``export``), so it opens
from disk with no server and no internet. CSV and GeoJSON hold exactly the records shown.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import export, state
from dashboard.i18n import CATEGORIES, STATUSES, Lang, category_label, display_name, status_label, t, tm
from dashboard.map_view import PRESENT_MAP_HEIGHT, fit_districts, project_map, show_map
from dashboard.page import ViewContext, presentation_header
from dashboard.tables import works_table
from dashboard.works_list import sort_by_name

#: The summary's map on screen and on paper (it and every work fit one A4 page).
SUMMARY_MAP_HEIGHT = 380
#: Presentation: the map under the one-line header and the row of headline numbers (1080 px).
PRESENT_SUMMARY_MAP_HEIGHT = PRESENT_MAP_HEIGHT - 150


def status_category_table(rows: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Statuses × categories (a work counts in each of its categories), with totals."""
    exploded = rows.explode("categories")
    if exploded.empty:
        return pd.DataFrame()
    table = pd.crosstab(exploded["status"], exploded["categories"])
    table = table.reindex(
        index=[s for s in STATUSES if s in table.index], columns=[c for c in CATEGORIES if c in table.columns]
    )
    table[t("total", lang)] = rows["status"].value_counts().reindex(table.index).fillna(0).astype(int)
    table.index = [status_label(s, lang) for s in table.index]
    table.columns = [*(category_label(c, lang) for c in table.columns[:-1]), t("total", lang)]
    return table


def summary_rows(ctx: ViewContext, district: str) -> pd.DataFrame:
    """The filtered records, restricted to ``district`` when one is chosen."""
    if not district:
        return ctx.selected
    return ctx.selected[ctx.selected["map_districts"].map(lambda ds: district in ds)]


def summary_html(ctx: ViewContext, district: str, rows: pd.DataFrame, title: str) -> str:
    """The standalone HTML summary (map with inlined assets, tables, print style)."""
    lang = ctx.lang
    fit = fit_districts(ctx.register.districts, (district,)) if district else None
    m = project_map(
        rows, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, fit=fit,
        highlight_district=district or None,
    )  # fmt: skip
    counts = pd.DataFrame({t("count", lang): rows["status"].value_counts().reindex(list(STATUSES)).dropna()})
    counts.index = [status_label(s, lang) for s in counts.index]
    body = "".join(
        [
            f"<h2>{export.html_text(t('by_status_category', lang))}</h2>",
            export.html_table(status_category_table(rows, lang)),
            f"<h2>{export.html_text(t('works_list', lang))}</h2>",
            export.html_table(works_table(rows, lang), index=False),
            f"<p class=pv-note>{export.html_text(t('attribution', lang))}</p>",
        ]
    )
    source = ctx.register.metadata.get("source", "")
    return export.standalone_html(m, title, body, note=t("generated", lang, source=source) if source else "")


def _enter_presentation() -> None:
    st.session_state["present"] = True


def summary_works_table(rows: pd.DataFrame, lang: Lang, label: Callable[[str], str]) -> pd.DataFrame:
    """Every work of the summary, by name: status, districts, years (all rows, for print too)."""
    ordered = sort_by_name(rows)
    return pd.DataFrame(
        {
            t("name", lang): [
                display_name(n, la, lang)
                for n, la in zip(ordered["name"], ordered["name_latin"], strict=True)
            ],
            t("status", lang): [status_label(s, lang) for s in ordered["status"]],
            t("districts", lang): [", ".join(label(d) for d in ds) for ds in ordered["map_districts"]],
            t("years", lang): [", ".join(str(y) for y in ys) for ys in ordered["years"]],
        }
    )


def _print_table(frame: pd.DataFrame, index: bool) -> None:
    """An escaped HTML table: every row on screen and on paper (a canvas table prints ~10)."""
    html = export.html_table(frame, index=index).replace(
        'class="dataframe"', 'class="dataframe pv-print-table"', 1
    )
    st.html(html)


def district_choices(ctx: ViewContext) -> list[str]:
    """Districts a summary can be made for: the boundary gap is not a district."""
    districts = ctx.register.districts
    return list(districts.loc[~districts["unresolved"].astype(bool), "name"])


def _district_select(ctx: ViewContext, collapsed: bool = False) -> None:
    lang = ctx.lang
    names = district_choices(ctx)
    state.stateful(
        st.selectbox,
        "sd",
        [lang, *names],
        label=t("summary_district", lang),
        options=["", *names],
        format_func=lambda n: ctx.district_label(n) if n else t("whole_city", lang),
        label_visibility="collapsed" if collapsed else "visible",
    )


def render(ctx: ViewContext) -> None:
    """District choice, summary (metrics, map, tables), downloads, presentation mode."""
    lang = ctx.lang
    present = ctx.page.present
    district = state.current().sd
    label = ctx.district_label(district) if district else t("whole_city", lang)
    title = t("summary_title", lang, d=label)
    if present:
        presentation_header(title, lang, lambda: _district_select(ctx, collapsed=True))
        district = state.current().sd
        label = ctx.district_label(district) if district else t("whole_city", lang)
        title = t("summary_title", lang, d=label)
    else:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        with left:
            _district_select(ctx)
        right.button(t("presentation", lang), on_click=_enter_presentation, width="stretch")
        district = state.current().sd
        label = ctx.district_label(district) if district else t("whole_city", lang)
        title = t("summary_title", lang, d=label)
        st.header(tm("summary_title", lang, d=label), anchor=False)
    rows = summary_rows(ctx, district)
    counts = rows["status"].value_counts()
    shown = [s for s in STATUSES if counts.get(s, 0)]
    fit = fit_districts(ctx.register.districts, (district,)) if district else None
    m = project_map(
        rows, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, fit=fit,
        highlight_district=district or None, large=present,
    )  # fmt: skip
    # The headline numbers above the map in both modes: on a 1920×1080 projector they must be
    # on the first screen, so the presented map is shorter by their row.
    for col, status in zip(st.columns(max(len(shown), 1)), shown, strict=False):
        col.metric(status_label(status, lang), int(counts[status]))
    # One key per mode: the map is drawn anew at its new size (a map kept across the switch
    # stays the size it was, in a frame of the other size: a third of it, or blank).
    if present:
        show_map(m, key="summary_map_present", height=PRESENT_SUMMARY_MAP_HEIGHT)
    else:
        show_map(m, key="summary_map", height=SUMMARY_MAP_HEIGHT)
    st.subheader(t("by_status_category", lang), anchor=False)
    _print_table(status_category_table(rows, lang), index=True)
    st.subheader(t("works_list_n", lang, n=len(rows)), anchor=False)
    _print_table(summary_works_table(rows, lang, ctx.district_label), index=False)
    if present:
        return
    with st.container(key="pv_exports"):  # not printed
        st.subheader(t("export", lang))
        stem = "plovdiv-" + (
            ctx.register.districts.set_index("name").loc[district, "name_en"] if district else "city"
        )
        stem = stem.lower().replace(" / ", "-").replace(" ", "-")
        c1, c2, c3 = st.columns(3)
        c1.download_button(
            t("export_html", lang),
            data=lambda: summary_html(ctx, district, rows, title),
            file_name=f"{stem}-summary.html",
            mime="text/html",
            on_click="ignore",
            key="dl_html",
        )
        c2.download_button(
            t("export_csv", lang),
            data=lambda: export.records_csv(rows, lang),
            file_name=f"{stem}-projects.csv",
            mime="text/csv",
            on_click="ignore",
            key="dl_csv",
        )
        c3.download_button(
            t("export_geojson", lang),
            data=lambda: export.records_geojson(rows, ctx.register.metadata),
            file_name=f"{stem}-projects.geojson",
            mime="application/geo+json",
            on_click="ignore",
            key="dl_geojson",
        )
        st.caption(t("print_hint", lang))
