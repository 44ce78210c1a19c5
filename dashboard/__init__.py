"""The Streamlit views: what residents, planners and councillors see (`app.py` only wires them)."""
