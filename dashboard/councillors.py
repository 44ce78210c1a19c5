"""Councillors' view: a one-page summary per district, downloads, and presentation mode.

Why a page that prints and a file that stands alone: the summary goes into council papers and
onto a projector. The on-screen summary has a print style (``styles.PAGE_CSS``); the HTML
download carries the same map and tables with every script inlined (``export``), so it opens
from disk with no server and no internet. CSV and GeoJSON hold exactly the records shown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import export, state
from dashboard.i18n import CATEGORIES, STATUSES, Lang, category_label, status_label, t, tm
from dashboard.map_view import fit_districts, project_map, show_map
from dashboard.page import ViewContext
from dashboard.tables import works_table


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


def render(ctx: ViewContext) -> None:
    """District choice, summary (metrics, map, tables), downloads, presentation mode."""
    lang = ctx.lang
    names = list(ctx.register.districts["name"])
    if not ctx.page.present:
        left, right = st.columns([3, 1])
        with left:
            state.stateful(
                st.selectbox,
                "sd",
                [lang, *names],
                label=t("summary_district", lang),
                options=["", *names],
                format_func=lambda n: ctx.district_label(n) if n else t("whole_city", lang),
            )
        right.button(t("presentation", lang), on_click=_enter_presentation, width="stretch")
    district = state.current().sd
    rows = summary_rows(ctx, district)
    label = ctx.district_label(district) if district else t("whole_city", lang)
    title = t("summary_title", lang, d=label)
    st.header(tm("summary_title", lang, d=label))
    counts = rows["status"].value_counts()
    shown = [s for s in STATUSES if counts.get(s, 0)]
    for col, status in zip(st.columns(max(len(shown), 1)), shown, strict=False):
        col.metric(status_label(status, lang), int(counts[status]))
    fit = fit_districts(ctx.register.districts, (district,)) if district else None
    m = project_map(
        rows, ctx.register.districts, lang, basemap=ctx.basemap, tiles=ctx.tiles, fit=fit,
        highlight_district=district or None,
    )  # fmt: skip
    show_map(m, key="summary_map", height=760 if ctx.page.present else 520)
    st.subheader(t("by_status_category", lang))
    st.dataframe(status_category_table(rows, lang), width="stretch", key="status_category")
    st.subheader(t("works_list", lang))
    st.dataframe(works_table(rows, lang), hide_index=True, width="stretch", key="summary_works")
    if ctx.page.present:
        return
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
