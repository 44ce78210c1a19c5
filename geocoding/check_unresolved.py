"""``python -m geocoding.check_unresolved``: search the whole extract for each unresolved place.

Why: ``data/unresolved.csv`` says *why* a place mention has no geometry, and a test holds the
build's reasons to a list checked by hand (``tests/data/unresolved_reasons.csv``). "Not in the
extract" is a claim about every OSM object, not about the gazetteer, so it must be checked
against every name in the ``.osm.pbf`` — including objects the gazetteer never keeps. This tool
does that search the same way each time, so a reviewer who adds a place (and the build that
then reports it unresolved) can check the claim in seconds instead of by hand-written scripts.

For every ``not_in_extract`` row it prints the OSM objects whose name, alt/old/official/short
name or ``name:bg`` matches the mention's normalised key with a partial fuzzy ratio at or above
``--threshold`` (rapidfuzz). A row with no candidates is truly absent by this search; rows with
candidates need a person to look. A ``new_road_not_in_extract`` row (a new road whose ends
were found with no planned road between them; a street's extension with no planned road
continuing it is drawn as the street, flagged, and is not listed) is checked against every road
the extract maps
as planned or being built: they are all listed, so a person can see none runs between the ends.
``--append`` adds the rows with no candidates to the hand list with the search recorded in their
``checked`` column.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import osmium
from rapidfuzz import fuzz

from geocoding.normalize import normalize, strip_prefix
from works.errors import PlovdivError
from works.files import atomic_write_text
from works.settings import load_settings

#: Tags whose values name an object.
NAME_TAGS = ("name", "name:bg", "alt_name", "old_name", "official_name", "short_name", "loc_name")

#: Tags that say what an object is, shown beside a candidate so a person can judge its kind.
KIND_TAGS = (
    "amenity",
    "leisure",
    "building",
    "highway",
    "railway",
    "place",
    "shop",
    "tourism",
    "historic",
    "landuse",
    "natural",
    "man_made",
    "office",
)

#: What the ``checked`` column of the hand list says for a row this search found nothing for.
CHECKED = (
    "searched: name, alt/old names and fuzzy (partial ratio >= {t}) over every OSM name: "
    "nothing of this kind (python -m geocoding.check_unresolved)"
)


@dataclass(frozen=True)
class Candidate:
    """An OSM object whose name resembles an unresolved mention."""

    osm: str  # "node/123", "way/…", "relation/…"
    name: str
    what: str  # the first kind tag, e.g. "amenity=kindergarten"
    score: float


def osm_names(pbf: Path) -> list[tuple[str, str, str, str]]:
    """Every (osm id, raw name, normalised key, kind tag) in the extract, one streaming pass.

    Why every object, not the gazetteer: the gazetteer keeps only the kinds the lookup uses, and
    "absent from the extract" must hold for all of them.
    """
    out: list[tuple[str, str, str, str]] = []
    for obj in osmium.FileProcessor(str(pbf)):
        prefix = {"n": "node", "w": "way", "r": "relation"}.get(obj.type_str())
        if prefix is None:
            continue
        what = next((f"{t}={obj.tags[t]}" for t in KIND_TAGS if t in obj.tags), "")
        for tag in NAME_TAGS:
            value = obj.tags.get(tag)
            if value:
                for part in value.split(";"):
                    key = normalize(part)
                    if key:
                        out.append((f"{prefix}/{obj.id}", part.strip(), key, what))
    return out


def planned_ways(pbf: Path) -> list[str]:
    """Every highway way the extract maps as planned or under construction, one line each.

    Why: "no planned road between its ends" is a claim about all such ways, not about the
    gazetteer's rows; the tags that say so are the same ones ``geocoding.gazetteer`` reads.
    """
    out: list[str] = []
    for obj in osmium.FileProcessor(str(pbf)).with_locations():
        if not isinstance(obj, osmium.osm.Way):
            continue
        tags = obj.tags
        highway = tags.get("highway")
        if not highway or not (
            highway in ("proposed", "construction") or tags.get("proposed") or tags.get("construction")
        ):
            continue
        nodes = [n for n in obj.nodes if n.location.valid()]
        where = f" at {nodes[0].lon:.4f},{nodes[0].lat:.4f}" if nodes else ""
        label = " ".join(f"{t}={tags[t]}" for t in ("highway", "name", "ref", "note") if t in tags)
        out.append(f"way/{obj.id} {label}{where}")
    return out


def candidates(
    text: str, names: list[tuple[str, str, str, str]], threshold: float = 80.0, limit: int = 5
) -> list[Candidate]:
    """OSM objects whose key matches ``text``'s key at ``threshold`` or more, best first.

    A partial match counts only between names of similar length (the shorter at least half the
    longer): otherwise every one-word name ("Пловдив", "Западен") inside a long mention would
    match it.
    """
    _, bare = strip_prefix(text)
    key = normalize(bare or text)
    if not key:
        return []
    found: dict[str, Candidate] = {}
    for osm, raw, other, what in names:
        short, long_ = sorted((len(key), len(other)))
        if short < 5 or short * 2 < long_:
            score = fuzz.ratio(key, other)
        else:
            score = fuzz.partial_ratio(key, other)
        if score >= threshold and (osm not in found or found[osm].score < score):
            found[osm] = Candidate(osm, raw, what, score)
    return sorted(found.values(), key=lambda c: (-c.score, c.osm))[:limit]


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise PlovdivError(f"{path} does not exist: build the register first (python -m pipeline)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main(argv: list[str] | None = None) -> int:
    """Check every ``not_in_extract`` (and ``new_road_not_in_extract``) row against the extract."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m geocoding.check_unresolved")
    parser.add_argument("--unresolved", type=Path, default=settings.unresolved)
    parser.add_argument("--osm", type=Path, default=settings.osm_pbf)
    parser.add_argument("--threshold", type=float, default=80.0)
    parser.add_argument(
        "--append",
        type=Path,
        help="hand list to extend with the rows this search finds absent and it lacks",
    )
    args = parser.parse_args(argv)
    try:
        every = _rows(args.unresolved)
        rows = [r for r in every if r["reason"] == "not_in_extract"]
        if not args.osm.exists():
            raise PlovdivError(f"{args.osm} does not exist: the OSM extract is needed")
        new_roads = [r for r in every if r["reason"] == "new_road_not_in_extract"]
        if new_roads:
            planned = planned_ways(args.osm)
            for row in new_roads:
                print(f"ROAD   {row['record_id']} {row['text']!r}: {row['detail']}")
            print(f"       the extract's {len(planned)} planned or under-construction highway ways:")
            for line in planned:
                print(f"         {line}")
        names = osm_names(args.osm)
        absent: list[dict[str, str]] = []
        for row in rows:
            found = candidates(row["text"], names, args.threshold)
            if found:
                shown = "; ".join(f"{c.osm} {c.name!r} [{c.what}] {c.score:.0f}" for c in found)
                print(f"LOOK   {row['record_id']} {row['text']!r}: {shown}")
            else:
                print(f"ABSENT {row['record_id']} {row['text']!r}")
                absent.append(row)
        if args.append:
            _append(args.append, absent, args.threshold)
    except (PlovdivError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _append(hand: Path, absent: list[dict[str, str]], threshold: float) -> None:
    """Add the absent rows the hand list lacks, with the search recorded."""
    existing = _rows(hand)
    have = {(r["key"], r["text"]) for r in existing}
    new = [
        {
            "record_id": r["record_id"],
            "key": r["key"],
            "text": r["text"],
            "reason": "not_in_extract",
            "checked": CHECKED.format(t=f"{threshold:.0f}"),
        }
        for r in absent
        if (r["key"], r["text"]) not in have
    ]
    if not new:
        return
    fields = list(existing[0].keys()) if existing else ["record_id", "key", "text", "reason", "checked"]
    lines = [",".join(fields)]
    for row in [*existing, *new]:
        lines.append(",".join(_cell(row.get(f, "")) for f in fields))
    atomic_write_text(hand, "\n".join(lines) + "\n")
    print(f"added {len(new)} rows to {hand}")


def _cell(value: str) -> str:
    """One CSV cell, quoted as the csv module would."""
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


if __name__ == "__main__":
    raise SystemExit(main())
