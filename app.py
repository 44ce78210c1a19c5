"""Streamlit entry point: `streamlit run app.py` from the repository root. Only wires the views."""

from dashboard import map_view
from dashboard.page import run

run({"map": map_view.render})
