"""`python -m pipeline`: build the register from the report and print a summary.

Every expected failure (missing, empty or undecodable report, a file with no programme
structure, an unwritable output) ends with one line on stderr and exit code 2, and leaves any
existing dataset untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

from extraction import ReportError, extract_projects, parse_outline, read_report
from pipeline.output import feature_collection, write_geojson
from pipeline.paths import DEFAULT_PROJECTS, report_path

EXIT_BAD_INPUT = 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Build data/projects.geojson from the report."
    )
    parser.add_argument("--report", help="programme report (default: $PLOVDIV_REPORT or ../shared/seed/…)")
    parser.add_argument("--out", default=str(DEFAULT_PROJECTS), help="output GeoJSON (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="print no summary")
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


def main(argv: list[str] | None = None) -> int:
    """Run the build; return the process exit code."""
    args = _parse_args(argv)
    report = report_path(args.report)
    out = Path(args.out)
    try:
        props, meta = build_register(report)
        write_geojson(out, feature_collection(props, metadata=meta))
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"wrote {out}")
        print(_summary(props))
    return 0
