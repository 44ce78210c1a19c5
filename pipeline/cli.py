"""`python -m pipeline`: build the register from the report and print a summary.

Stages: extraction (report → work records), geodata (gazetteer and district polygons built
from the OSM extract when missing or stale, ``pipeline.geodata``), geocoding (records →
location, precision, districts, ``pipeline.geocode_stage``), planners' corrections
(``pipeline.corrections``: applied by work key; orphans reported), output
(``data/projects.geojson`` and ``data/unresolved.csv``, both atomic).

Every expected failure (missing, empty or undecodable report, a file with no programme
structure, no OSM extract and no download, an unwritable output) ends with one line on stderr
and exit code 2, and leaves any existing dataset untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd

from extraction import extract_projects, parse_outline, read_report
from pipeline import corrections, reviews, store
from pipeline.geocode_stage import StageResult, geocode_records, load_resolver, write_unresolved
from pipeline.geodata import ensure_geodata
from works.errors import PlovdivError
from works.geojson import write_register
from works.model import ReviewState, WorkRecord
from works.review import apply_decisions
from works.settings import OSM_ATTRIBUTION, Settings, load_settings

EXIT_BAD_INPUT = 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Build data/projects.geojson from the report."
    )
    parser.add_argument("--report", help="programme report (default: $PLOVDIV_REPORT or ../shared/seed/…)")
    parser.add_argument(
        "--out", help="output GeoJSON (default: $PLOVDIV_PROJECTS or <data dir>/projects.geojson)"
    )
    parser.add_argument(
        "--osm",
        help="OSM extract (.osm.pbf; default: $PLOVDIV_OSM_PBF, ../shared/geodata/…, data/cache/osm/)",
    )
    parser.add_argument(
        "--unresolved", help="CSV of unlocated place mentions (default: unresolved.csv beside --out)"
    )
    parser.add_argument("--data-dir", help="built gazetteer/districts (default: $PLOVDIV_DATA_DIR or data/)")
    parser.add_argument(
        "--corrections",
        help="planners' pins (default: $PLOVDIV_CORRECTIONS_DB or <data dir>/corrections.sqlite)",
    )
    parser.add_argument("--no-geocode", action="store_true", help="write the register without geometry")
    parser.add_argument(
        "--no-reviews",
        action="store_true",
        help="the raw extractor output: apply no review decision (what extractor metrics measure)",
    )
    parser.add_argument("--no-download", action="store_true", help="never download an extract")
    parser.add_argument("--quiet", action="store_true", help="print no summary or progress")
    return parser.parse_args(argv)


def _summary(records: Sequence[WorkRecord]) -> str:
    lines = [f"{len(records)} project records"]
    for label, values in (
        ("priority", [str(r.priority) for r in records]),
        ("measure", [r.measure for r in records]),
        ("status", [str(r.status) for r in records]),
    ):
        counts = Counter(values)
        lines.append(f"  by {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    cats = Counter(str(c) for r in records for c in r.categories)
    lines.append("  by category: " + ", ".join(f"{k} {v}" for k, v in cats.most_common()))
    city = sum(1 for r in records if r.city_wide)
    lines.append(f"  city-wide (no place named): {city}")
    return "\n".join(lines)


def build_register(report: Path) -> tuple[list[WorkRecord], dict[str, Any]]:
    """Read the report and return its work records and the collection metadata."""
    text = read_report(report)
    records = extract_projects(parse_outline(text))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta: dict[str, Any] = {"source": report.name, "source_sha256": digest, "records": len(records)}
    return records, meta


def _review_summary(info: dict[str, Any] | None) -> str:
    if info is None:
        return "  reviews: not applied (--no-reviews: the raw extractor output)"
    share = 100.0 * info["reviewed"] / max(info["works"], 1)
    line = (
        f"  reviews: {info['decisions']} decisions ({info['file'] or 'database only'}); "
        f"{info['reviewed']} of {info['works']} works reviewed ({share:.1f}%); "
        f"{info['not_works']} not works, {info['merged']} merged (off the map, listed for planners)"
    )
    if info.get("applied"):
        line += "\n  decisions applied: " + ", ".join(f"{k} {v}" for k, v in info["applied"].items())
    if info.get("drifted"):
        line += (
            f"\n  CHANGED by the extractor since review (reviewed values kept): {len(info['drifted'])}: "
            + ", ".join(f"{x['key']} ({', '.join(x['fields'])})" for x in info["drifted"])
        )
    if info["orphaned"]:
        line += f"\n  ORPHANED review decisions (work gone; kept, not applied): {len(info['orphaned'])}"
    if info.get("note"):
        line += f"\n  note: {info['note']}"
    return line


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _previous_features(path: Path) -> list[dict[str, Any]]:
    """The register a rebuild replaces (schema-1 pins were made against it); [] if unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    features = data.get("features") if isinstance(data, dict) else None
    return [f for f in features if isinstance(f, dict)] if isinstance(features, list) else []


def _apply_corrections(
    records: list[WorkRecord], settings: Settings, districts: gpd.GeoDataFrame | None
) -> tuple[list[WorkRecord], dict[str, Any]]:
    """Pins applied by key; a summary for the metadata (applied, migrated, orphaned ids)."""
    db = settings.corrections_db
    if not db.is_file():
        return records, {}
    migrated = corrections.migrate_legacy(db, _previous_features(settings.projects), records)
    fixed = corrections.apply_corrections(records, db, districts)
    applied = sum(1 for r in fixed if r.location is not None and r.location.corrected)
    orphaned = [pin.id for pin in corrections.orphans(fixed, db)]
    info: dict[str, Any] = {"database": db.name, "applied": applied, "orphaned": orphaned}
    if migrated:
        info["migrated"] = migrated
    return fixed, info if (applied or orphaned or migrated) else {}


def _apply_reviews(
    records: list[WorkRecord], settings: Settings, sha: str
) -> tuple[list[WorkRecord], dict[str, Any]]:
    """Review decisions (repository file ∪ database) applied, and a summary."""
    review_file = reviews.review_file_for(settings.reviews_dir, settings.report.name)
    decisions, note = reviews.load_decisions(settings.corrections_db, review_file, settings.report.name, sha)
    applied = apply_decisions(records, decisions)
    public = [r for r in applied.records if r.public]
    reviewed = sum(1 for r in public if r.review is not ReviewState.MACHINE)
    info: dict[str, Any] = {
        "file": review_file.name if review_file.is_file() else None,
        "decisions": len(decisions),
        "applied": dict(sorted(applied.counts().items())),
        "orphaned": [d.uid for d in applied.orphaned],
        # What the dashboard must not apply again (it applies decisions made since the build).
        "applied_uids": sorted(d.uid for d in applied.applied),
        "reviewed": reviewed,
        "works": len(public),
        "not_works": sum(1 for r in applied.records if r.not_work),
        "merged": sum(1 for r in applied.records if r.merged_into),
    }
    if applied.drifted:  # what planners confirmed is published; they should look again
        info["drifted"] = [x.as_dict() for x in applied.drifted]
    if note:
        info["note"] = note
    return applied.records, info


def run(
    settings: Settings, geocode: bool, allow_download: bool, quiet: bool, apply_reviews: bool = True
) -> tuple[list[WorkRecord], dict[str, Any], StageResult | None]:
    """Every stage; writes the register (and unresolved.csv) atomically. Raises PlovdivError."""
    records, meta = build_register(settings.report)
    if apply_reviews:
        # A reviewer's districts are the districts the text gives the work: geocoding adds
        # those its own geometry lies in, as for any record.
        records, meta["reviews"] = _apply_reviews(records, settings, meta["source_sha256"])
    else:
        meta["reviews"] = None  # the raw extractor output (--no-reviews)
    stage: StageResult | None = None
    districts: gpd.GeoDataFrame | None = None  # the resolver's polygons, for the pins too
    if geocode:
        log = (lambda msg: None) if quiet else (lambda msg: print(msg, file=sys.stderr))
        geo = ensure_geodata(settings, progress=not quiet, allow_download=allow_download, log=log)
        resolver = load_resolver(geo.gazetteer, geo.districts)
        stage = geocode_records(records, resolver)
        records, districts = stage.records, resolver.districts
        meta["geocoding"] = {
            "osm_extract": geo.osm.name if geo.osm else None,
            "osm_sha256": _sha256(geo.osm) if geo.osm else None,
            "attribution": f"{OSM_ATTRIBUTION}, ODbL 1.0",
            "unresolved": settings.unresolved.name,
        }
    records, pins = _apply_corrections(records, settings, districts)
    if pins:
        meta["corrections"] = pins
    write_register(settings.projects, records, meta)
    store.publish_register(records, meta)  # with a shared database: there too, one transaction
    if stage is not None:
        write_unresolved(settings.unresolved, stage.unresolved)
    return records, meta, stage


def main(argv: list[str] | None = None) -> int:
    """Run the build; return the process exit code."""
    args = _parse_args(argv)
    settings = load_settings(
        report=args.report,
        osm_explicit=args.osm,
        data_dir=args.data_dir,
        projects=args.out,
        corrections_db=args.corrections,
        unresolved_csv=args.unresolved,
    )
    try:
        records, meta, stage = run(
            settings, not args.no_geocode, not args.no_download, args.quiet, not args.no_reviews
        )
    except PlovdivError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(
            f"error: cannot write {exc.filename or settings.projects}: {exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"wrote {settings.projects}" + (f" and {settings.unresolved}" if stage is not None else ""))
        print(_summary(records))
        if stage is not None:
            print(stage.summary())
        print(_review_summary(meta.get("reviews")))
        pins = meta.get("corrections")
        if pins:
            print(
                f"  corrections: {pins['applied']} applied"
                + (f", {pins['migrated']} migrated to work keys" if pins.get("migrated") else "")
                + (
                    f", {len(pins['orphaned'])} ORPHANED (their work is gone; kept, not applied): "
                    + ", ".join(f"#{i}" for i in pins["orphaned"])
                    if pins["orphaned"]
                    else ""
                )
            )
    return 0
