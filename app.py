"""Streamlit entry point: `streamlit run app.py` from the repository root. Only wires the views."""

from dashboard import councillors, map_view, planners, residents, review
from dashboard.page import run

run(
    {
        "map": map_view.render,
        "residents": residents.render,
        "planners": planners.render,
        "councillors": councillors.render,
        "review": review.render,
    }
)
