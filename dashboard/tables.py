"""Record tables shown on several views: works with their status, and the unlocated list.

Why ``st.dataframe``: it draws cells as text, so report wording (or an uploaded report's
``<script>``) is shown, never interpreted. Names are given in the page's language form
(Cyrillic, plus transliteration in English).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import (
    UNLOCATED_REASONS,
    Lang,
    category_label,
    display_name,
    review_label,
    status_texts,
    t,
)


def _names(rows: pd.DataFrame, lang: Lang) -> list[str]:
    return [display_name(n, latin, lang) for n, latin in zip(rows["name"], rows["name_latin"], strict=True)]


def works_table(rows: pd.DataFrame, lang: Lang, with_distance: bool = False) -> pd.DataFrame:
    """Name, status, categories, districts and id of each work (optionally its distance)."""
    table = pd.DataFrame(
        {
            t("name", lang): _names(rows, lang),
            t("status", lang): status_texts(rows, lang),
            t("categories", lang): [
                ", ".join(category_label(c, lang) for c in cs) for cs in rows["categories"]
            ],
            t("districts", lang): [", ".join(ds) for ds in rows["map_districts"]],
            t("years", lang): [", ".join(str(y) for y in ys) for ys in rows["years"]],
            t("review", lang): [review_label(r, lang) for r in rows["review"]],
            "id": rows["id"],
        }
    )
    if with_distance:
        table.insert(0, t("distance_m", lang), rows["distance_m"].astype(int).to_numpy())
    return table


def unlocated_frame(records: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The records not drawn on the map, with the reason and where in the report they are."""
    rows = records[~records["located"]]
    return pd.DataFrame(
        {
            t("record_code", lang): rows["id"],
            t("name", lang): _names(rows, lang),
            t("status", lang): status_texts(rows, lang),
            t("categories", lang): [
                ", ".join(category_label(c, lang) for c in cs) for cs in rows["categories"]
            ],
            t("reason", lang): [UNLOCATED_REASONS.get(r, {}).get(lang, r) for r in rows["unlocated_reason"]],
            t("districts", lang): [", ".join(ds) for ds in rows["map_districts"]],
            t("measure", lang): rows["measure"],
            t("line", lang): rows["source_line"],
        }
    )


def render_unlocated(records: pd.DataFrame, lang: Lang) -> None:
    """The unlocated list with its counts: never hidden, never collapsed."""
    if records.empty:
        return  # nothing matches: the view says so; "every work is on the map" would be wrong
    rows = records[~records["located"]]
    city = int((rows["unlocated_reason"] == "city_wide").sum())
    st.subheader(t("unlocated_title", lang, n=len(rows), city=city))
    if rows.empty:
        st.caption(t("unlocated_none", lang))
        return
    st.dataframe(unlocated_frame(records, lang), hide_index=True, width="stretch", key="unlocated_table")
