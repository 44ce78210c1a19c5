"""The register's domain: what a work is, how it is keyed, and how it is published.

This package is the bottom layer (see the README's layer picture): every other package may
import it and it imports none of them. It holds

* ``model`` – the work record, its places and location, the enums for status, category,
  precision and place kind, and the one definition of *located*;
* ``keys`` – the stable, content-derived ``key`` of a work (corrections are stored against it);
* ``geojson`` – the register's GeoJSON schema: records to and from features, validated;
* ``settings`` – every ``PLOVDIV_*`` variable and default path, read in one place;
* ``errors`` – the base of every error whose message is one line for a person;
* ``files`` – the one atomic-write helper.
"""

from works.errors import PlovdivError
from works.keys import unique_keys, work_key
from works.model import (
    LOCATED_PRECISIONS,
    PRECISE_PRECISIONS,
    Category,
    Location,
    Place,
    PlaceKind,
    Precision,
    Status,
    StatusScope,
    WorkRecord,
    is_located,
)

__all__ = [
    "LOCATED_PRECISIONS",
    "PRECISE_PRECISIONS",
    "Category",
    "Location",
    "Place",
    "PlaceKind",
    "PlovdivError",
    "Precision",
    "Status",
    "StatusScope",
    "WorkRecord",
    "is_located",
    "unique_keys",
    "work_key",
]
