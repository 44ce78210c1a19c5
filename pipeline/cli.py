"""`python -m pipeline`: build the register from the report and print a summary.

Stages: extraction (report → records), geodata (gazetteer and district polygons built from the
OSM extract when missing or stale, ``pipeline.geodata``), geocoding (records → geometry,
precision, districts, ``pipeline.geocode_stage``), planners' pins (``pipeline.pins``), output
(``data/projects.geojson`` and ``data/unresolved.csv``, both atomic).

Every expected failure (missing, empty or undecodable report, a file with no programme
structure, no OSM extract and no download, an unwritable output) ends with one line on stderr
and exit code 2, and leaves any existing dataset untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

from extraction import ReportError, extract_projects, parse_outline, read_report
from pipeline.geodata import GeodataError, ensure_geodata
from pipeline.output import feature_collection, write_geojson
from pipeline.paths import DATA_DIR, DEFAULT_PROJECTS, corrections_db, report_path
from pipeline.pins import apply_pins

#: Credit required by the ODbL for anything built from OpenStreetMap.
OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"

EXIT_BAD_INPUT = 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Build data/projects.geojson from the report."
    )
    parser.add_argument("--report", help="programme report (default: $PLOVDIV_REPORT or ../shared/seed/…)")
    parser.add_argument("--out", default=str(DEFAULT_PROJECTS), help="output GeoJSON (default: %(default)s)")
    parser.add_argument(
        "--osm",
        help="OSM extract (.osm.pbf; default: $PLOVDIV_OSM_PBF, ../shared/geodata/…, data/cache/osm/)",
    )
    parser.add_argument(
        "--unresolved", help="CSV of unlocated place mentions (default: unresolved.csv beside --out)"
    )
    parser.add_argument(
        "--data-dir", default=str(DATA_DIR), help="built gazetteer/districts (default: %(default)s)"
    )
    parser.add_argument(
        "--corrections", help="planners' pins (default: $PLOVDIV_CORRECTIONS_DB or data/corrections.sqlite)"
    )
    parser.add_argument("--no-geocode", action="store_true", help="write the register without geometry")
    parser.add_argument("--no-download", action="store_true", help="never download an extract")
    parser.add_argument("--quiet", action="store_true", help="print no summary or progress")
    return parser.parse_args(argv)


def _summary(props: list[dict]) -> str:
    lines = [f"{len(props)} project records"]
    for label, key in (("priority", "priority"), ("measure", "measure"), ("status", "status")):
        counts = Counter(str(p[key]) for p in props)
        lines.append(f"  by {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    cats = Counter(c for p in props for c in p["categories"])
    lines.append("  by category: " + ", ".join(f"{k} {v}" for k, v in cats.most_common()))
    city = sum(1 for p in props if p["city_wide"])
    lines.append(f"  city-wide (no place named): {city}")
    return "\n".join(lines)


def build_register(report: Path) -> tuple[list[dict], dict]:
    """Read the report and return the records' properties and the collection metadata."""
    text = read_report(report)
    records = extract_projects(parse_outline(text))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = {"source": report.name, "source_sha256": digest, "records": len(records)}
    return [r.properties() for r in records], meta


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Run the build; return the process exit code."""
    args = _parse_args(argv)
    report = report_path(args.report)
    out = Path(args.out)
    unresolved_path = Path(args.unresolved) if args.unresolved else out.with_name("unresolved.csv")
    geometries = None
    stage = None
    try:
        props, meta = build_register(report)
        if not args.no_geocode:
            from pipeline.geocode_stage import geocode_records, load_resolver, write_unresolved

            log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
            geo = ensure_geodata(
                args.osm,
                data_dir=Path(args.data_dir),
                progress=not args.quiet,
                allow_download=not args.no_download,
                log=log,
            )
            stage = geocode_records(props, load_resolver(geo.gazetteer, geo.districts))
            props, geometries = stage.properties, stage.geometries
            meta["geocoding"] = {
                "osm_extract": geo.osm.name if geo.osm else None,
                "osm_sha256": _sha256(geo.osm) if geo.osm else None,
                "attribution": OSM_ATTRIBUTION,
                "unresolved": unresolved_path.name,
            }
        collection = feature_collection(props, geometries, metadata=meta)
        pins_db = Path(args.corrections) if args.corrections else corrections_db(Path(args.data_dir))
        collection["features"], pinned = apply_pins(
            collection["features"], pins_db, geo.districts if stage is not None else None
        )
        if pinned:
            meta["corrections"] = {"database": pins_db.name, "applied": pinned}
        write_geojson(out, collection)
        if stage is not None:
            write_unresolved(unresolved_path, stage.unresolved)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot write {exc.filename or out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"wrote {out}" + (f" and {unresolved_path}" if stage is not None else ""))
        print(_summary(props))
        if stage is not None:
            print(stage.summary())
    return 0
