"""Streamlit entry point: `streamlit run app.py`. Thin by design — the views live in `dashboard/`."""

from dashboard.register_page import render
from pipeline.paths import DEFAULT_PROJECTS

render(DEFAULT_PROJECTS)
