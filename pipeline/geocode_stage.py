"""The geocoding stage of the build: register properties → geometries, precision, districts.

Why a stage of its own: extraction is pure text; this stage adds everything that needs the
OSM-derived data (``geocoding.resolve``), writes the list of unlocated place mentions to
``data/unresolved.csv`` (nothing is dropped silently) and prints the totals the issue asks for.
The gazetteer and the districts are loaded once per run.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from geocoding.gazetteer import load_gazetteer
from geocoding.lookup import GazetteerIndex
from geocoding.resolve import LOCATED, PRECISIONS, RecordGeocode, Resolver, to_geojson
from pipeline.output import atomic_write_text

__all__ = ["UNRESOLVED_COLUMNS", "StageResult", "geocode_records", "load_resolver", "write_unresolved"]

UNRESOLVED_COLUMNS = ("record_id", "text", "kind", "reason", "detail")


@dataclass
class StageResult:
    """Geometries (GeoJSON dicts) and updated properties, aligned with the input records."""

    properties: list[dict[str, Any]]
    geometries: list[dict[str, Any] | None]
    unresolved: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """Totals: records by precision, located share of place-naming records, unresolved."""
        counts = Counter(p["precision"] for p in self.properties)
        naming = [p for p in self.properties if p.get("places")]
        located = sum(1 for p in naming if p["precision"] in LOCATED)
        share = 100.0 * located / len(naming) if naming else 0.0
        reasons = Counter(row["reason"] for row in self.unresolved)
        lines = [
            "  by precision: " + ", ".join(f"{k} {counts[k]}" for k in PRECISIONS if counts[k]),
            f"  place-naming records located at facility/segment/street/area: {located} of "
            f"{len(naming)} ({share:.1f}%)",
            f"  unresolved place mentions: {len(self.unresolved)}"
            + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + ")" if reasons else ""),
        ]
        approx = sum(1 for p in self.properties if p.get("district_approximate"))
        if approx:
            lines.append(f"  districts approximate (unresolved Южен/Западен area): {approx}")
        return "\n".join(lines)


def load_resolver(gazetteer: Path, districts: Path) -> Resolver:
    """Load the built gazetteer and district polygons once and index them.

    A damaged file is a ``GeodataError`` (one line, exit 2) naming the file to delete.
    """
    from pipeline.geodata import GeodataError

    try:
        return Resolver(GazetteerIndex(load_gazetteer(gazetteer)), gpd.read_file(districts))
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GeodataError(
            f"cannot read the built geodata ({first}); delete {gazetteer} and {districts} to rebuild"
        ) from exc


def geocode_records(props: Sequence[dict[str, Any]], resolver: Resolver) -> StageResult:
    """Resolve every record; return new property dicts (old keys kept, new ones appended)."""
    results: list[RecordGeocode] = [resolver.resolve_record(p) for p in props]
    resolver.assign(results, [p.get("districts") or [] for p in props])
    out_props: list[dict[str, Any]] = []
    geometries: list[dict[str, Any] | None] = []
    unresolved: list[dict[str, str]] = []
    for p, r in zip(props, results, strict=True):
        new = dict(p)
        new["districts"] = r.districts
        new.update(r.properties())
        out_props.append(new)
        geometries.append(to_geojson(r.geometry))
        for u in r.unresolved:
            unresolved.append(
                {
                    "record_id": str(p["id"]),
                    "text": u.text,
                    "kind": u.kind,
                    "reason": u.reason,
                    "detail": u.detail,
                }
            )
    return StageResult(out_props, geometries, unresolved)


def write_unresolved(path: Path, rows: Sequence[dict[str, str]]) -> None:
    """``unresolved.csv`` (UTF-8, one row per unlocated mention), written atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(UNRESOLVED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(Path(path), buf.getvalue())
