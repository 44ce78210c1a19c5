"""Works that build a NEW road: between two named places, or extending a named street.

Why: "новата отсечка на ринга между Асеновградско шосе и Скобелева майка" and "нова пътна
връзка … (естакада към бул. Кукленско шосе, мост над бул. Асеновградско шосе)" name the places
the new road joins, not the road: drawing those places (a 4.9 km boulevard and a monument)
would put the work where it is not. This module only reads the work's own words (its name,
never the whole sentence, which may list other works); ``geocoding.resolve`` then places the
work along a planned road of the extract between its ends, or leaves it unlocated.

A new road is a link noun (отсечка, пътна връзка, пробив, естакада, ринг, обходен/нов път) that
is either called new ("нов…" before it) or is said to run "между" two places. A road that is
itself named ("Пътна връзка „Модър – Царевец“") is not one: its places are the road. A
"топла връзка" (a heated passage between buildings) is no road.

An **extension** is a new road too: "продължение / удължение / удължаване на <street> [от X]
[до Y]" builds the street beyond its current end ("продължението на бул. „Македония“ от бул.
„Никола Вапцаров“ до ул. „Поручик Въльо Стефов“"). The named street is where the new road
starts, not the work: drawing the existing boulevard would put the work where it is not.
``geocoding.resolve`` places it along a planned road that continues from the street's end
(toward Y when Y is named), or leaves it unlocated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extraction.places import find_places
from geocoding.normalize import normalize

__all__ = ["EXTENSION_NOUN", "LINK_NOUN", "NewRoad", "extension", "new_road", "split_places"]

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
#: A noun that says a work builds a street further ("продължението на", "удължаване на"); the
#: verbs ("продължава", "ще удължи") say something else continues and are not matched.
EXTENSION_NOUN = r"(?:продължени\w*|удължени\w*|удължаван\w*)"
_EXTENDS = re.compile(r"\b" + EXTENSION_NOUN + r"\s+на\s+", re.IGNORECASE)
#: The street must be named right after "на" (a few characters of quotes/spaces allowed).
_EXTENDS_SLACK = 3
#: An extension's own words end at a comma or semicolon ("…, както и за изграждане на улици …").
_CLAUSE_END = re.compile(r"[,;]")
_OT = re.compile(r"\bот\b", re.IGNORECASE)
_DO = re.compile(r"\bдо\b", re.IGNORECASE)


@dataclass(frozen=True)
class NewRoad:
    """A work that builds a new road: its words and the places named as its ends."""

    text: str
    #: End places as register place dicts (``text``, ``kind``, ``name``), in the text's order.
    #: Empty for an extension (its street, start and target say where it runs).
    ends: tuple[Mapping[str, Any], ...]
    #: An extension: the named street it continues beyond its current end.
    extends: Mapping[str, Any] | None = None
    #: An extension's "от X": where the street ends now (the extension starts there).
    start: Mapping[str, Any] | None = None
    #: An extension's "до Y": where the extension runs to.
    toward: Mapping[str, Any] | None = None


def new_road(name: str) -> bool:
    """Does the work's own name say it builds a new road, link or section?"""
    return bool(_NEW.search(name) or _BETWEEN.search(name))


def _place(pm: Any) -> dict[str, Any]:
    return {"text": pm.display, "kind": pm.kind, "name": pm.display}


def _first_place(text: str) -> dict[str, Any] | None:
    found = [pm for pm in find_places(text) if pm.kind in _END_KINDS]
    return _place(min(found, key=lambda pm: pm.start)) if found else None


def extension(name: str) -> NewRoad | None:
    """The extension the work's own name builds ("продължение на бул. X от Y до Z"), or None.

    Why from the name: the extended street and its "от"/"до" places are the extension's
    anchors, and only the work's own words say which. The street is the street or boulevard
    named right after "<extension noun> на"; "от X" (where it ends now) and "до Y" (where it
    goes, also "до свързването му с Y") are read in the same clause (up to a comma). A noun
    followed by anything else ("удължаване на част от линиите на градския транспорт") is no
    street's extension.
    """
    found = _EXTENDS.search(name)
    if found is None:
        return None
    mentions = [
        pm
        for pm in find_places(name)
        if pm.kind in _ROAD_KINDS and found.end() <= pm.start <= found.end() + _EXTENDS_SLACK
    ]
    if not mentions:
        return None
    street = mentions[0]
    # The clause after the street's own name: the extractor may have read "X от Y до Z" as one
    # mention with bounds, so "от"/"до" are read from the words, not from the mention.
    at = name.find(street.name, street.start)
    after = at + len(street.name) if at >= 0 else street.end
    stop = _CLAUSE_END.search(name, after)
    clause = name[after : stop.start() if stop else len(name)]
    do = _DO.search(clause)
    ot = _OT.search(clause, 0, do.start() if do else len(clause))
    start = _first_place(clause[ot.end() : do.start() if do else len(clause)]) if ot else None
    toward = _first_place(clause[do.end() :]) if do else None
    return NewRoad(name, (), extends=_place(street), start=start, toward=toward)


def split_places(
    name: str, places: Sequence[Mapping[str, Any]]
) -> tuple[NewRoad | None, list[Mapping[str, Any]]]:
    """(the new road and its ends, the record's other places) — ``(None, places)`` if no new road.

    An extension (:func:`extension`) comes first: the record's places that name its street,
    start or target are its anchors, not the work, and are dropped; the others are returned.

    The ends are the places the name gives after "между" and the record's street/boulevard
    places; a place whose words are the link itself ("Комуникационен пробив под жп ареала…")
    is the work, not an end, and is dropped (the new road stands for it). Every other place
    (a district, a facility elsewhere in the name) is returned to be resolved as usual. With
    fewer than two ends there is nothing to place a road between: ``(None, places)``.
    """
    ext = extension(name)
    if ext is not None:
        anchors = {
            normalize(str(p.get("name") or p.get("text") or ""))
            for p in (ext.extends, ext.start, ext.toward)
            if p is not None
        }
        return ext, [p for p in places if normalize(str(p.get("name") or p.get("text") or "")) not in anchors]
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
