"""The work record: one piece of municipal work named in the report, as every layer sees it.

Why one type: extraction makes records, geocoding gives them a location, the pipeline applies
corrections and publishes them, and the dashboard shows them. When each layer had its own
shape (a dataclass, a dict, parallel lists, a re-validated table row) the register's fields
were spelled out in five places and "located" had three definitions. Here there is one of
each. The enums are ``StrEnum`` so a record serialises to the same JSON strings as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "LOCATED_PRECISIONS",
    "PRECISE_PRECISIONS",
    "Category",
    "Location",
    "Place",
    "PlaceKind",
    "Precision",
    "ReviewState",
    "Status",
    "StatusScope",
    "WorkRecord",
    "is_located",
]


class Status(StrEnum):
    """The latest stage a work reached (labelling guide §4), most advanced first."""

    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    PROCUREMENT = "procurement"
    DESIGN = "design"
    PLANNED = "planned"
    STALLED = "stalled"


class StatusScope(StrEnum):
    """Where the phrase that decided the status was found."""

    CLAUSE = "clause"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    GOAL = "goal"
    LIST = "list"  # a bulleted item with no cue of its own takes its list's stage
    DEFAULT = "default"  # no cue anywhere: the rules' default
    REVIEW = "review"  # a reviewer chose the status and its evidence phrase


class Category(StrEnum):
    """What a work is (labelling guide §3), not whom it serves."""

    ROAD = "road"
    PARK = "park"
    SCHOOL = "school"
    CAMERA = "camera"
    SPORT = "sport"
    WATER = "water"
    PARKING = "parking"
    HEALTH = "health"
    SOCIAL = "social"
    CULTURE = "culture"
    WASTE = "waste"
    LIGHTING = "lighting"
    TRANSPORT = "transport"
    PLANNING = "planning"
    OTHER = "other"


class PlaceKind(StrEnum):
    """The kind of a place the report names."""

    STREET = "street"
    BOULEVARD = "boulevard"
    SQUARE = "square"
    PARK = "park"
    GARDEN = "garden"
    KINDERGARTEN = "kindergarten"
    NURSERY = "nursery"
    SCHOOL = "school"
    UNDERPASS = "underpass"
    BRIDGE = "bridge"
    JUNCTION = "junction"
    BLOCK = "block"
    NEIGHBOURHOOD = "neighbourhood"
    DISTRICT = "district"
    VILLAGE = "village"
    FACILITY = "facility"


class ReviewState(StrEnum):
    """Whether a person has looked at a record (a machine record says it was not)."""

    MACHINE = "machine"  # straight from the extractor, nobody has reviewed it
    REVIEWED = "reviewed"  # a planner confirmed it as extracted
    CORRECTED = "corrected"  # a planner changed a field, or it is a part of a split record
    ADDED = "added"  # a work the extractor missed, added by a planner from a report sentence


class Precision(StrEnum):
    """How exactly a record is placed, finest first."""

    FACILITY = "facility"
    SEGMENT = "segment"
    STREET = "street"
    AREA = "area"
    NEIGHBOURHOOD = "neighbourhood"
    MANUAL = "manual"  # a planner's pin
    DISTRICT = "district"  # names only districts: no geometry
    CITY = "city"  # names no place: city-wide, no geometry
    NONE = "none"  # names places, none found

    @property
    def located(self) -> bool:
        """Does a record of this precision stand at a place on the map?"""
        return self in LOCATED_PRECISIONS


#: Precisions that put a record at a place on the map — THE definition of "located".
LOCATED_PRECISIONS = frozenset(
    {
        Precision.FACILITY,
        Precision.SEGMENT,
        Precision.STREET,
        Precision.AREA,
        Precision.NEIGHBOURHOOD,
        Precision.MANUAL,
    }
)
#: Located at the place the text names (not only its quarter): the geocoder's quality figure.
PRECISE_PRECISIONS = frozenset({Precision.FACILITY, Precision.SEGMENT, Precision.STREET, Precision.AREA})


@dataclass
class Place:
    """A place the report names for a work: as written, its kind, its canonical label.

    A segment (``ул. X от Y до Z``) adds ``between`` = [Y, Z]; a block and a junction add the
    ``streets`` they are made of.
    """

    text: str
    kind: PlaceKind
    name: str
    between: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The register's JSON form (``between`` and ``streets`` only when present)."""
        out: dict[str, Any] = {"text": self.text, "kind": str(self.kind), "name": self.name}
        if self.between:
            out["between"] = list(self.between)
        if self.streets:
            out["streets"] = list(self.streets)
        return out


@dataclass
class Location:
    """Where a record is drawn, and how that was decided.

    ``geometry`` is a GeoJSON geometry mapping in WGS 84 (None when the record is not at a
    place); ``sources`` name the OSM objects or the manual decision it comes from.
    """

    precision: Precision = Precision.NONE
    geometry: dict[str, Any] | None = None
    score: float | None = None
    sources: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    district_approximate: bool = False
    #: The planner's correction applied (its id in the corrections store), if any.
    correction_id: int | None = None

    @property
    def corrected(self) -> bool:
        """Was this location set by a planner rather than the geocoder?"""
        return self.correction_id is not None


@dataclass
class WorkRecord:
    """One work of the register.

    ``key`` is the stable identity (``works.keys``): corrections are stored against it. ``id``
    is the readable display id (measure, line, counter) and may change when text moves.
    ``location`` is None until geocoding ran (``python -m pipeline --no-geocode``).
    """

    key: str
    id: str
    name: str
    categories: list[Category]
    status: Status
    priority: int
    measure: str
    goal: str
    goal_line: int
    source_line: int
    source_text: str
    status_evidence: str
    status_scope: StatusScope
    places: list[Place] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    city_wide: bool = False
    location: Location | None = None
    #: Last report line of the source sentence (a sentence may wrap); not published.
    source_line_end: int = 0
    #: The year(s) the text states for the work ("през 2021 г."); empty when none is stated.
    years: list[int] = field(default_factory=list)
    review: ReviewState = ReviewState.MACHINE
    reviewed_by: str = ""
    reviewed_at: str = ""
    #: Why a reviewer says this is not a work (it then leaves the map and the counts).
    not_work: str = ""
    #: The key of the work this record duplicates (it then leaves the map and the counts).
    merged_into: str = ""

    @property
    def public(self) -> bool:
        """Is the record a work on the public map and in the counts (not a non-work or duplicate)?"""
        return not (self.not_work or self.merged_into)

    @property
    def precision(self) -> Precision:
        """The location's precision; ``city``/``district``/``none`` before geocoding."""
        if self.location is not None:
            return self.location.precision
        if self.city_wide:
            return Precision.CITY
        return Precision.NONE if self.places else Precision.DISTRICT


def is_located(record: WorkRecord) -> bool:
    """THE definition of located: a geometry at a place (not a district or the city)."""
    loc = record.location
    return loc is not None and loc.geometry is not None and loc.precision.located
