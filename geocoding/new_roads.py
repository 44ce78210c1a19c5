"""Works that build a NEW road between two named places: which words say so, and the ends.

Why: "новата отсечка на ринга между Асеновградско шосе и Скобелева майка" and "нова пътна
връзка … (естакада към бул. Кукленско шосе, мост над бул. Асеновградско шосе)" name the places
the new road joins, not the road: drawing those places (a 4.9 km boulevard and a monument)
would put the work where it is not. This module only reads the work's own words (its name,
never the whole sentence, which may list other works); ``geocoding.resolve`` then places the
work along a planned road of the extract between its ends, or leaves it unlocated.

A new road is a link noun (отсечка, пътна връзка, пробив, естакада, ринг, обходен/нов път) that
is either called new ("нов…" before it) or is said to run "между" two places. A road that is
itself named ("Пътна връзка „Модър – Царевец“", "продължението на бул. „Македония“") is not
one: its places are the road. A "топла връзка" (a heated passage between buildings) is no road.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extraction.places import find_places
from geocoding.normalize import normalize

__all__ = ["LINK_NOUN", "NewRoad", "new_road", "split_places"]

#: A noun for a stretch of road that a work builds.
LINK_NOUN = r"(?:отсечк\w*|пътн\w*\s+връзк\w*|пробив\w*|естакад\w*|ринг\w*|обходн\w*\s+път\w*)"
_NEW = re.compile(r"\bнов\w*\s+(?:\w+\s+){0,2}?(?:" + LINK_NOUN + r"|път\w*|улиц\w*)", re.IGNORECASE)
_BETWEEN = re.compile(LINK_NOUN + r"[^.;]*?\bмежду\b", re.IGNORECASE)
_LINK = re.compile(LINK_NOUN, re.IGNORECASE)
_MEZHDU = re.compile(r"\bмежду\b", re.IGNORECASE)
#: Place kinds that can be a new road's end (a district is a context, not an end).
_END_KINDS = frozenset({"street", "boulevard", "bridge", "underpass", "square", "facility", "junction"})
#: Kinds of a record's place that are ends even when the name does not say "между" (the
#: roads a new link crosses or joins: "естакада към бул. Кукленско шосе").
_ROAD_KINDS = frozenset({"street", "boulevard"})


@dataclass(frozen=True)
class NewRoad:
    """A work that builds a new road: its words and the places named as its ends."""

    text: str
    #: End places as register place dicts (``text``, ``kind``, ``name``), in the text's order.
    ends: tuple[Mapping[str, Any], ...]


def new_road(name: str) -> bool:
    """Does the work's own name say it builds a new road, link or section?"""
    return bool(_NEW.search(name) or _BETWEEN.search(name))


def split_places(
    name: str, places: Sequence[Mapping[str, Any]]
) -> tuple[NewRoad | None, list[Mapping[str, Any]]]:
    """(the new road and its ends, the record's other places) — ``(None, places)`` if no new road.

    The ends are the places the name gives after "между" and the record's street/boulevard
    places; a place whose words are the link itself ("Комуникационен пробив под жп ареала…")
    is the work, not an end, and is dropped (the new road stands for it). Every other place
    (a district, a facility elsewhere in the name) is returned to be resolved as usual. With
    fewer than two ends there is nothing to place a road between: ``(None, places)``.
    """
    if not new_road(name):
        return None, list(places)
    ends: list[Mapping[str, Any]] = []
    seen: set[str] = set()

    def add(place: Mapping[str, Any]) -> None:
        key = normalize(str(place.get("name") or place.get("text") or ""))
        if key and key not in seen:
            seen.add(key)
            ends.append(place)

    between = _MEZHDU.search(name)
    named_after = set()
    if between is not None:
        for pm in find_places(name):
            if pm.start >= between.end() and pm.kind in _END_KINDS:
                named_after.add(normalize(pm.name))
                add({"text": pm.display, "kind": pm.kind, "name": pm.display})
    rest: list[Mapping[str, Any]] = []
    for place in places:
        kind = str(place.get("kind") or "")
        text = str(place.get("text") or place.get("name") or "")
        key = normalize(str(place.get("name") or text))
        if _LINK.search(text):
            continue  # the link itself, in the report's words
        if kind in _ROAD_KINDS or key in seen or key in named_after:
            add(place)
        else:
            rest.append(place)
    if len(ends) < 2:
        # One end or none ("Вътрешен ринг – нови пътни връзки", a principle for every new road):
        # nothing to place a road between; the record's places are resolved as they are.
        return None, list(places)
    return NewRoad(name, tuple(ends)), rest
