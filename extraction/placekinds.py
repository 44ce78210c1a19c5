"""The place kinds of the register and `PlaceMention`, a place named at a span of a sentence.

Why a module of its own: the place finder (`places`), the relations it folds (`relations`)
and the works named without a place (`initiatives`) all make `PlaceMention`s; geocoding builds
on the kind lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from works.model import Place, PlaceKind

__all__ = ["OBJECT_KINDS", "PLACE_KINDS", "RELATION_KINDS", "ROAD_KINDS", "PlaceMention"]

#: The register's place kinds (`places[].kind`); geocoding builds on this one list.
PLACE_KINDS: tuple[str, ...] = (
    "street",
    "boulevard",
    "square",
    "park",
    "garden",
    "kindergarten",
    "nursery",
    "school",
    "underpass",
    "bridge",
    "junction",
    "block",
    "neighbourhood",
    "district",
    "village",
    "facility",
)
#: Kinds made of other named places (a junction, a block): no name of their own to look up.
RELATION_KINDS = frozenset({"junction", "block"})
ROAD_KINDS = frozenset({"street", "boulevard"})
#: Kinds that are the object of a work (a district is context, not a work site).
OBJECT_KINDS = frozenset(PLACE_KINDS) - {"district"}


@dataclass
class PlaceMention:
    """One place named in the text, with its character span in the sentence."""

    name: str
    kind: str
    start: int
    end: int
    display: str = ""
    between: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    role: str = "object"  # object | endpoint | member | context
    surface: str = ""  # the words as the report writes them
    district: str = ""  # for an unnamed site placed by district ("нова ДГ в район Южен")

    def to_place(self) -> Place:
        """The register's place (``works.model.Place``) this mention stands for."""
        return Place(
            text=self.surface or self.display or self.name,
            kind=PlaceKind(self.kind),
            name=self.display or self.name,
            between=list(self.between),
            streets=list(self.streets),
        )

    def as_dict(self) -> dict[str, object]:
        """The register's JSON form: the text as written, its kind, a canonical label, relations."""
        out: dict[str, object] = {
            "text": self.surface or self.display or self.name,
            "kind": self.kind,
            "name": self.display or self.name,
        }
        if self.between:
            out["between"] = list(self.between)
        if self.streets:
            out["streets"] = list(self.streets)
        return out
