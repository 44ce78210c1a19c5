"""New roads and extensions, resolved along the extract's planned roads (private to ``geocoding``).

Why apart from ``resolve``: a new link ("новата отсечка … между X и Y") or an extension
("продължението на бул. X") is not located like a named place — its named places are its ends,
and its geometry, when the extract has it at all, is a ``planned_road`` row
(``highway=proposed``/``construction``). ``geocoding.new_roads`` reads which works these are;
this module draws them for :class:`geocoding.resolve.Resolver`, whose lookups it uses. Its
street-end helpers (:func:`free_ends`, :func:`leads_on`) also serve the resolver's block outlines,
which follow a road continuing a listed street across a gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geocoding._results import PlaceResult, Unresolved, combine, flatten, retext
from geocoding.lookup import Match
from geocoding.new_roads import NewRoad
from geocoding.segments import CARRIAGEWAY_M, END_TOLERANCE_M, MAX_GAP_M, SNAP_M, Cut, Fail, cut_between

if TYPE_CHECKING:
    from geocoding.resolve import Resolver

#: A planned road is a new link's road only if the stretch between the link's two ends is at
#: least this share of it (a long planned road that merely passes both places is not the link).
NEW_ROAD_SPAN = 0.5
#: A planned road's other carriageway must lie this close (metres) to the chosen one along
#: this share of its cut to be drawn with it.
NEW_ROAD_ALONG = 0.8
#: An extension's planned road must come this close (metres) to a free end of the street it
#: extends: it continues that street, it does not merely lie somewhere near it.
EXTENSION_M = 100.0
#: An extension leaves the street's end within this angle (degrees) of the direction of its
#: target, or with no target named, of the street's own direction there (not a side road).
EXTENSION_ANGLE = 60.0
#: The street's direction at an end is taken over this much of it (metres).
EXTENSION_HEADING_M = 50.0
#: A planned road at least this share of which lies along the street (within
#: ``segments.CARRIAGEWAY_M``) is the street being rebuilt, not an extension of it.
EXTENSION_BEYOND = 0.5


def new_road(resolver: Resolver, link: NewRoad) -> PlaceResult:
    """A NEW road between named places: along a planned road of the extract, or unlocated.

    Why: the places a new link joins are its ends, not the work (``geocoding.new_roads``).
    The ends are found like any place; the road is a ``planned_road`` row of the gazetteer
    (``highway=proposed``/``construction``) that comes within ``segments.MAX_GAP_M`` of two
    ends and whose stretch between them (``segments.cut_between``) is at least
    :data:`NEW_ROAD_SPAN` of it; the nearest such road wins, and a planned road running
    alongside it between the same ends (its other carriageway) is drawn with it. The cut is
    a segment, flagged ``new_road`` (and ``segment_approx`` where the planned road stops
    short of an end: the extract's clipping). With no planned road, nothing is drawn: the
    mention is unresolved ``new_road_not_in_extract`` — the bounding roads are never
    passed off as the work.
    """
    if link.extends is not None:
        return extension(resolver, link)
    out = PlaceResult(text=link.text, kind="new_road")
    ends: list[tuple[str, Match]] = []
    for place in link.ends:
        text = str(place.get("text") or place.get("name") or "")
        match, miss = resolver._find(str(place.get("name") or text), str(place.get("kind") or "") or None)
        if match is None:
            out.unresolved.append(retext(miss, text, str(place.get("kind") or ""), f"end of {link.text}: "))
        else:
            ends.append((text, match))
    if len(ends) < 2:
        out.flags.append("new_road_ends_missing")
        return out
    geoms = [resolver.index.geometry(m.rows) for _t, m in ends]
    planned = [r for r in range(len(resolver.index.kinds)) if resolver.index.kinds[r] == "planned_road"]
    best: tuple[float, int, int, int, Cut] | None = None
    for i in range(len(ends)):
        for j in range(i + 1, len(ends)):
            for r in planned:
                road = resolver.index.metric[r]
                gap = max(road.distance(geoms[i]), road.distance(geoms[j]))
                if gap > MAX_GAP_M or (best is not None and gap >= best[0]):
                    continue
                cut = cut_between(road, geoms[i], geoms[j])
                if isinstance(cut, Cut) and cut.geometry.length >= NEW_ROAD_SPAN * road.length:
                    best = (gap, r, i, j, cut)
    names = " – ".join(t for t, _m in ends)
    if best is None:
        out.flags.append("new_road_not_in_extract")
        out.unresolved.append(
            Unresolved(
                link.text,
                "new_road",
                "new_road_not_in_extract",
                f"no highway=proposed/construction way runs between {names}: those are the new "
                "road's ends, not the work, and are not drawn",
            )
        )
        return out
    _gap, row, i, j, cut = best
    refs, road_name = _draw_along(
        resolver, out, row, cut.geometry, planned, lambda road: cut_between(road, geoms[i], geoms[j])
    )
    (start, _ms), (end, _me) = ends[i], ends[j]
    out.flags.extend(["new_road", f"new_road: {road_name} ({', '.join(refs)}) between {start} and {end}"])
    out.flags.extend(cut.flags)
    for note in cut.notes:
        note = note.replace("the start bound", start).replace("the end bound", end)
        out.flags.append(f"{cut.flags[0] if cut.flags else 'segment'}: {note}")
    for _t, m in (ends[i], ends[j]):
        resolver._add_sources(out, m)
    return resolver._inside_city(out)


def _draw_along(
    resolver: Resolver,
    out: PlaceResult,
    row: int,
    piece: BaseGeometry,
    planned: Sequence[int],
    cut: Callable[[BaseGeometry], Cut | Fail],
) -> tuple[list[str], str]:
    """Draw ``out`` along planned row ``row``'s ``piece`` (and its other carriageway).

    Returns the OSM refs drawn and the planned road's name, for the caller's flag. Why one
    helper: a new link and an extension are drawn the same way once their road is chosen.
    """
    rows, pieces = _alongside(resolver, row, piece, planned, cut)
    out.geometry = combine(pieces)
    out.precision = "segment"
    refs = resolver.index.osm_refs(rows)
    road_name = str(resolver.index.names[row])
    out.sources.extend(refs)
    out.matched.append(road_name)
    out.score = 100.0
    return refs, road_name


def _alongside(
    resolver: Resolver,
    row: int,
    piece: BaseGeometry,
    planned: Sequence[int],
    cut: Callable[[BaseGeometry], Cut | Fail],
) -> tuple[list[int], list[BaseGeometry]]:
    """The chosen planned row and the planned rows running alongside it (its other carriageway).

    Why: OSM maps a divided planned road as two ways; each other planned row, *cut* the same
    way as the chosen one, is drawn with it when at least :data:`NEW_ROAD_ALONG` of its cut
    lies within ``segments.CARRIAGEWAY_M`` of the chosen piece.
    """
    rows, pieces = [row], [piece]
    for r in planned:
        if r == row:
            continue
        other = cut(resolver.index.metric[r])
        if (
            isinstance(other, Cut)
            and other.geometry.length > 0
            and other.geometry.intersection(piece.buffer(CARRIAGEWAY_M)).length
            >= NEW_ROAD_ALONG * other.geometry.length
        ):
            rows.append(r)
            pieces.append(other.geometry)
    return rows, pieces


def extension(resolver: Resolver, link: NewRoad) -> PlaceResult:
    """An extension of a named street: along a planned road continuing it, else the street, flagged.

    Why: "продължението на бул. „Македония“" is a new road beyond the boulevard's current
    end, not the boulevard (``geocoding.new_roads.extension``). The street (and its "от X"
    and "до Y" places) are found like any place. The extension is a ``planned_road`` row of
    the gazetteer (``highway=proposed``/``construction``) that

    * comes within :data:`EXTENSION_M` of a free end of the street (an end of its ways that
      no other of its ways continues; with "от X", only the end nearest X);
    * lies mostly beyond the street (less than :data:`EXTENSION_BEYOND` of it within
      ``segments.CARRIAGEWAY_M`` of the street: else it is the street being rebuilt);
    * runs away from that end (``_runs_away``): toward Y when Y is named, else on in the
      street's own direction (within :data:`EXTENSION_ANGLE`).

    The nearest such road wins (with its other carriageway); it is cut from the street's
    end to Y when Y is named (``segments.cut_between``; ``segment_approx`` where it stops
    short), and flagged ``extension`` with its OSM ids (precision segment). With none, the
    extract does not map the extension, and the existing street is the best object it has
    for the work (the first labelled set's choice for бул. „Македония“): the whole street at
    ``street`` precision, flagged ``extension_not_in_extract`` with a note saying so — never
    a segment or an ``extension`` geometry, so it is not passed off as the mapped extension.
    A street that is not found leaves the mention unresolved as usual.
    """
    assert link.extends is not None
    out = PlaceResult(text=link.text, kind="extension")
    out.flags.append("extension")
    found: dict[str, tuple[str, Match]] = {}
    for role, place in (("street", link.extends), ("start", link.start), ("toward", link.toward)):
        if place is None:
            continue
        text = str(place.get("text") or place.get("name") or "")
        kind = str(place.get("kind") or "") or None
        match, miss = resolver._find(str(place.get("name") or text), kind)
        if match is None:
            label = "street" if role == "street" else "end"
            out.unresolved.append(retext(miss, text, kind or "", f"{label} of {link.text}: "))
        else:
            found[role] = (text, match)
    if "street" not in found:
        out.flags.append("new_road_ends_missing")
        return out
    street_text, street_match = found["street"]
    street = resolver.index.geometry(street_match.rows)
    ends = free_ends(street)
    if "start" in found and ends:
        start = resolver.index.geometry(found["start"][1].rows)
        ends = [min(ends, key=lambda e: e[0].distance(start))]
    toward = resolver.index.geometry(found["toward"][1].rows) if "toward" in found else None
    planned = [r for r in range(len(resolver.index.kinds)) if resolver.index.kinds[r] == "planned_road"]
    near = street.buffer(CARRIAGEWAY_M)
    best: tuple[float, int, Point] | None = None
    for r in planned:
        road = resolver.index.metric[r]
        if road.length == 0 or road.intersection(near).length >= EXTENSION_BEYOND * road.length:
            continue
        for end, heading in ends:
            gap = road.distance(end)
            if gap > EXTENSION_M or (best is not None and gap >= best[0]):
                continue
            if _runs_away(road, end, heading, toward):
                best = (gap, r, end)
    target = f" toward {found['toward'][0]}" if "toward" in found else ""
    if best is None:
        # The extract does not map the extension: the existing street is the best object
        # it has for the work, drawn as that street and said to be so (never a segment).
        resolver._use(out, street_match, street, "street")
        out.flags.extend(
            [
                "extension_not_in_extract",
                f"extension_not_in_extract: no highway=proposed/construction way continues "
                f"{street_text} from its end (within {EXTENSION_M:.0f} m){target}; the existing "
                "street is drawn as the nearest mapped object, not the extension itself",
            ]
        )
        if street_match.dropped:
            out.flags.extend(
                ["homonym_dropped", f"homonym_dropped: {resolver.index.dropped_note(street_match)}"]
            )
        return resolver._inside_city(out)
    gap, row, end = best
    piece: BaseGeometry = resolver.index.metric[row]
    notes: list[str] = []
    if toward is not None:
        goal, goal_text = toward, found["toward"][0]
        cut = cut_between(piece, end, goal)
        if isinstance(cut, Cut) and cut.geometry.length > 0:
            piece = cut.geometry
            notes = [n.replace("the end bound", goal_text) for n in cut.notes if "the end bound" in n]
        refs, road_name = _draw_along(
            resolver, out, row, piece, planned, lambda road: cut_between(road, end, goal)
        )
    else:
        refs, road_name = _draw_along(resolver, out, row, piece, planned, Cut)
    out.flags.append(
        f"extension: {road_name} ({', '.join(refs)}) continues {street_text} from its end "
        f"({gap:.0f} m){target}"
    )
    if notes:  # the planned road stops short of Y (the start's gap is in the flag above)
        out.flags.append("segment_approx")
        out.flags.extend(f"segment_approx: {n}" for n in notes)
    for role in ("street", "toward"):
        if role in found:
            resolver._add_sources(out, found[role][1])
    return resolver._inside_city(out)


def free_ends(street: BaseGeometry) -> list[tuple[Point, tuple[float, float]]]:
    """The street's free ends, each with the street's unit direction arriving there.

    A free end is an end of a merged line that no other line of the street comes within
    ``segments.SNAP_M`` of (where the named street stops in the data). The direction is taken
    over the last :data:`EXTENSION_HEADING_M` of the line.
    """
    lines = [g for g in flatten(shapely.line_merge(street)) if isinstance(g, LineString) and g.length > 0]
    out: list[tuple[Point, tuple[float, float]]] = []
    for k, line in enumerate(lines):
        others = [g for m, g in enumerate(lines) if m != k]
        rest = shapely.union_all(others) if others else None
        for at_start in (True, False):
            end = Point(line.coords[0] if at_start else line.coords[-1])
            if rest is not None and rest.distance(end) <= SNAP_M:
                continue
            if line.is_closed:
                continue
            back = line.interpolate(
                min(EXTENSION_HEADING_M, line.length)
                if at_start
                else max(line.length - EXTENSION_HEADING_M, 0.0)
            )
            dx, dy = end.x - back.x, end.y - back.y
            norm = math.hypot(dx, dy)
            if norm > 0:
                out.append((end, (dx / norm, dy / norm)))
    return out


def leads_on(road: BaseGeometry, end: Point, heading: tuple[float, float]) -> bool:
    """Does *road*, starting at a street's *end*, go on in the street's *heading*?

    The road's point :data:`EXTENSION_HEADING_M` along from where it meets the end (on its
    part nearest the end, the longer way) must lie within :data:`EXTENSION_ANGLE` of the
    heading: a cross street at the end goes sideways and is not a continuation.
    """
    parts = [g for g in flatten(shapely.line_merge(road)) if isinstance(g, LineString) and g.length > 0]
    if not parts:
        return False
    part = min(parts, key=lambda g: g.distance(end))
    at = part.project(end)
    ahead = part.interpolate(min(at + EXTENSION_HEADING_M, part.length))
    back = part.interpolate(max(at - EXTENSION_HEADING_M, 0.0))
    point = ahead if ahead.distance(end) >= back.distance(end) else back
    return _within_angle(point, end, heading)


def _runs_away(
    road: BaseGeometry, end: Point, heading: tuple[float, float], toward: BaseGeometry | None
) -> bool:
    """Does *road* lead away from the street's *end*: toward *toward*, else straight on?

    Why: a planned road that merely passes near the end (a side road, or one going back along
    the street) is not its continuation. With a target, the road's point nearest the target
    must lie in the target's direction from the end (within :data:`EXTENSION_ANGLE`) and either
    reach it (``segments.END_TOLERANCE_M``) or lie at least :data:`EXTENSION_M` from the end (a
    road whose nearest point to the target is the end itself leads elsewhere). Without one,
    the road's farthest point from the end must lie within :data:`EXTENSION_ANGLE` of the
    street's own *heading* there.
    """
    if toward is not None:
        point, goal = nearest_points(road, toward)
        if toward.distance(point) > END_TOLERANCE_M and point.distance(end) < EXTENSION_M:
            return False
        return _within_angle(point, end, (goal.x - end.x, goal.y - end.y))
    coords = [c for g in flatten(road) for c in getattr(g, "coords", [])]
    if not coords:
        return False
    far = Point(max(coords, key=lambda c: Point(c).distance(end)))
    return _within_angle(far, end, heading)


def _within_angle(point: Point, end: Point, direction: tuple[float, float]) -> bool:
    """Is *point* seen from *end* within :data:`EXTENSION_ANGLE` of *direction*?"""
    dx, dy = point.x - end.x, point.y - end.y
    norm, size = math.hypot(dx, dy), math.hypot(*direction)
    if norm == 0 or size == 0:
        return False
    cos = (dx * direction[0] + dy * direction[1]) / (norm * size)
    return cos >= math.cos(math.radians(EXTENSION_ANGLE))
