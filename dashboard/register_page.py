"""Placeholder page until the map dashboard lands: the register as a filterable table.

It already honours the product's rule that nothing is hidden: every record of the register is
listed, with its status evidence and source line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st


@st.cache_data
def load_register(path: str) -> pd.DataFrame:
    """Read the register's properties into a table (cached across reruns)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = [f["properties"] for f in data["features"]]
    df = pd.DataFrame(rows)
    df["categories"] = df["categories"].map(", ".join)
    df["districts"] = df["districts"].map(", ".join)
    df["places"] = df["places"].map(lambda ps: "; ".join(str(p["text"]) for p in ps))
    return df


def render(path: Path) -> None:
    """Draw the page: title, counts by status, and the table (Streamlit escapes cell text)."""
    st.set_page_config(page_title="Пловдив — общински проекти", layout="wide")
    st.title("Пловдив — проекти от Програмата за управление 2019–2023")
    if not path.exists():
        st.error(f"Регистърът липсва: {path}. Изпълнете `make run` (или `python -m pipeline`).")
        return
    df = load_register(str(path))
    st.caption(f"{len(df)} проекта; картата предстои.")
    cols = st.columns(6)
    for col, (status, count) in zip(cols, df["status"].value_counts().items(), strict=False):
        col.metric(status, int(count))
    st.dataframe(
        df[
            [
                "id",
                "name",
                "status",
                "status_evidence",
                "categories",
                "measure",
                "places",
                "districts",
                "source_line",
            ]
        ],
        hide_index=True,
        use_container_width=True,
    )
