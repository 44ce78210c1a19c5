"""The geocoding stage of the build: work records → location, precision, districts.

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
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd

from geocoding.gazetteer import load_gazetteer
from geocoding.lookup import GazetteerIndex
from geocoding.resolve import RecordGeocode, Resolver
from pipeline.geodata import GeodataError
from works.errors import one_line
from works.files import atomic_write_text
from works.model import PRECISE_PRECISIONS, Precision, WorkRecord

__all__ = ["UNRESOLVED_COLUMNS", "StageResult", "geocode_records", "load_resolver", "write_unresolved"]

UNRESOLVED_COLUMNS = ("record_id", "key", "text", "kind", "reason", "detail")


@dataclass
class StageResult:
    """The located records (new objects, aligned with the input) and the unlocated mentions."""

    records: list[WorkRecord]
    unresolved: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """Totals: records by precision, precisely located share of place-naming records, unresolved."""
        works = [r for r in self.records if r.public]  # not works and duplicates are not counted
        counts = Counter(r.precision for r in works)
        naming = [r for r in works if r.places]
        precise = sum(1 for r in naming if r.precision in PRECISE_PRECISIONS)
        share = 100.0 * precise / len(naming) if naming else 0.0
        reasons = Counter(row["reason"] for row in self.unresolved)
        lines = [
            "  by precision: " + ", ".join(f"{p} {counts[p]}" for p in Precision if counts[p]),
            f"  place-naming records located at facility/segment/street/area: {precise} of "
            f"{len(naming)} ({share:.1f}%)",
            f"  unresolved place mentions: {len(self.unresolved)}"
            + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + ")" if reasons else ""),
        ]
        approx = sum(1 for r in self.records if r.location is not None and r.location.district_approximate)
        if approx:
            lines.append(f"  districts approximate (unresolved Южен/Западен area): {approx}")
        return "\n".join(lines)


def load_resolver(gazetteer: Path, districts: Path) -> Resolver:
    """Load the built gazetteer and district polygons once and index them.

    A damaged file is a ``GeodataError`` (one line, exit 2) naming the file to delete.
    """
    try:
        return Resolver(GazetteerIndex(load_gazetteer(gazetteer)), gpd.read_file(districts))
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        first = one_line(str(exc)) or type(exc).__name__
        raise GeodataError(
            f"cannot read the built geodata ({first}); delete {gazetteer} and {districts} to rebuild"
        ) from exc


def geocode_records(records: Sequence[WorkRecord], resolver: Resolver) -> StageResult:
    """Resolve every record; return copies with ``location`` and ``districts`` set."""
    results: list[RecordGeocode] = [resolver.resolve_work(r) for r in records]
    resolver.assign(results, [r.districts for r in records])
    located: list[WorkRecord] = []
    unresolved: list[dict[str, str]] = []
    for record, result in zip(records, results, strict=True):
        located.append(_with_location(record, result))
        unresolved.extend(
            {
                "record_id": record.id,
                "key": record.key,
                "text": u.text,
                "kind": u.kind,
                "reason": u.reason,
                "detail": u.detail,
            }
            for u in result.unresolved
        )
    return StageResult(located, unresolved)


def _with_location(record: WorkRecord, result: RecordGeocode) -> WorkRecord:
    return replace(record, districts=list(result.districts), location=result.to_location())


def write_unresolved(path: Path, rows: Sequence[dict[str, str]]) -> None:
    """``unresolved.csv`` (UTF-8, one row per unlocated mention), written atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(UNRESOLVED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(Path(path), buf.getvalue())
