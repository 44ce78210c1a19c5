"""Plovdiv's extent: the box the OSM extract is clipped to and online geocoders are bounded by.

Why one constant: the downloader (clip box), the Nominatim backend (viewbox) and the checks
("no geometry outside the city") must agree on where Plovdiv is. The city (OSM relation
1955801, admin_level 7) spans about lon 24.66–24.83, lat 42.09–42.19; the box adds a margin of
~2 km so boundary ways and relations near the edge are kept whole.
"""

from __future__ import annotations

__all__ = ["PLOVDIV_BBOX", "viewbox"]

#: (min_lon, min_lat, max_lon, max_lat), WGS 84.
PLOVDIV_BBOX: tuple[float, float, float, float] = (24.62, 42.06, 24.86, 42.21)


def viewbox() -> tuple[tuple[float, float], tuple[float, float]]:
    """The box as geopy's ``viewbox``: two (lat, lon) corners, south-west then north-east."""
    min_lon, min_lat, max_lon, max_lat = PLOVDIV_BBOX
    return (min_lat, min_lon), (max_lat, max_lon)
