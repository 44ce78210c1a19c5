"""Offline (vendored) browser assets for the folium maps; see offline.py."""
