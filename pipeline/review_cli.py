"""`python -m pipeline.review_cli`: the review tool on the command line.

The same decisions, storage and rules as the planners' review view (``dashboard.review``), for
reviewing a register in bulk or from a script:

    python -m pipeline.review_cli queue --measure 1.2         # works to review, most doubtful first
    python -m pipeline.review_cli show w-3fa9c01b2e4d          # one work with its report lines
    python -m pipeline.review_cli decide w-… confirm --reviewer "Ана"
    python -m pipeline.review_cli decide w-… edit --reviewer "Ана" --reason "…" \\
        --changes '{"status": "completed", "status_evidence": "завършен"}'
    python -m pipeline.review_cli batch decisions.jsonl --reviewer "Ана"   # one JSON per line
    python -m pipeline.review_cli export                       # → the report's file in reviews/
    python -m pipeline.review_cli import reviews/programme-2019-2023.json
    python -m pipeline.review_cli status                       # reviewed share, drift, orphans
    python -m pipeline.review_cli orphans                      # orphans and their likely successors
    python -m pipeline.review_cli restate <uid> w-… --reviewer "Ана"  # an orphan's decision, re-stated

Every error is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from extraction import extract_projects, parse_outline, read_report
from pipeline import reviews, succession
from works.errors import PlovdivError
from works.model import WorkRecord
from works.review import (
    Action,
    Applied,
    Decision,
    ReviewError,
    apply_decisions,
    make_decision,
    review_queue,
    seen_of,
)
from works.settings import Settings, load_settings

EXIT_BAD_INPUT = 2


def _state(settings: Settings) -> tuple[str, list[str], Applied]:
    """The report's SHA-256, its lines, and the raw register with every decision applied."""
    sha, lines, _decisions, _extracted, applied = _full_state(settings)
    return sha, lines, applied


def _full_state(
    settings: Settings,
) -> tuple[str, list[str], list[Decision], list[WorkRecord], Applied]:
    """:func:`_state` with every decision and the extractor's records."""
    text = read_report(settings.report)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    decisions, _note = reviews.load_decisions(
        settings.corrections_db,
        reviews.review_file_for(settings.reviews_dir, settings.report.name),
        settings.report.name,
        sha,
    )
    extracted = extract_projects(parse_outline(text))
    return sha, text.splitlines(), decisions, extracted, apply_decisions(extracted, decisions)


def _brief(record: WorkRecord, doubts: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": record.key,
        "id": record.id,
        "review": str(record.review),
        "name": record.name,
        "status": str(record.status),
        "status_evidence": record.status_evidence,
        "status_scope": str(record.status_scope),
        "categories": [str(c) for c in record.categories],
        "years": record.years,
        "places": [p.as_dict() for p in record.places],
        "districts": record.districts,
        "measure": record.measure,
        "goal": record.goal,
        "source_line": record.source_line,
        "source_text": record.source_text,
    }
    if record.not_work:
        out["not_work"] = record.not_work
    if record.merged_into:
        out["merged_into"] = record.merged_into
    if doubts is not None:
        out["doubts"] = doubts
    return out


def _print(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _queue(args: argparse.Namespace, settings: Settings) -> int:
    _sha, _lines, applied = _state(settings)
    rows = [
        (r, d)
        for r, d in review_queue(applied.records)
        if (not args.measure or r.measure == args.measure) and (args.all or r.review.value == "machine")
    ]
    if args.in_order:
        rows.sort(key=lambda row: (row[0].source_line, row[0].id))
    for record, doubts in rows[: args.limit or None]:
        _print(_brief(record, doubts))
    return 0


def _show(args: argparse.Namespace, settings: Settings) -> int:
    _sha, lines, applied = _state(settings)
    found = [r for r in applied.records if r.key == args.key]
    if not found:
        raise ReviewError(f"no work with key {args.key}")
    record = found[0]
    _print(_brief(record))
    start = max(record.source_line - 1 - args.context, 0)
    end = min(max(record.source_line, record.source_line_end) + args.context, len(lines))
    for n in range(start, end):
        print(f"{n + 1:4d}{'>' if record.source_line <= n + 1 <= record.source_line_end else ' '} {lines[n]}")
    return 0


def _decide(args: argparse.Namespace, settings: Settings) -> int:
    sha, _lines, applied = _state(settings)
    changes = json.loads(args.changes) if args.changes else {}
    decision = make_decision(
        args.key, args.action, args.reviewer, args.reason, changes, seen=_seen(args.key, applied)
    )
    _check_target(decision, applied)
    reviews.add_decision(settings.corrections_db, settings.report.name, sha, decision)
    _print(decision.as_dict())
    return 0


def _seen(key: str, applied: Applied) -> dict[str, Any]:
    """What the reviewer is shown of the work (kept with a confirm or an edit)."""
    found = [r for r in applied.records if r.key == key]
    return seen_of(found[0]) if found else {}


def _check_target(decision: Decision, applied: Applied) -> None:
    """A decision must name a work of the register (an add must name a new one)."""
    keys = {r.key for r in applied.records}
    if decision.action is Action.ADD:
        if decision.key in keys:
            raise ReviewError(f"the added work already exists as {decision.key}")
    elif decision.key not in keys:
        raise ReviewError(f"no work with key {decision.key}")


def _batch(args: argparse.Namespace, settings: Settings) -> int:
    sha, _lines, applied = _state(settings)
    decisions: list[Decision] = []
    for n, line in enumerate(Path(args.file).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            now = apply_decisions(applied.records, decisions)
            decision = make_decision(
                str(raw.get("key", "")),
                raw["action"],
                args.reviewer,
                str(raw.get("reason", "")),
                raw.get("changes") or {},
                seen=_seen(str(raw.get("key", "")), now),
            )
            _check_target(decision, now)
        except (json.JSONDecodeError, KeyError, ValueError) as exc:
            raise ReviewError(f"{args.file}:{n}: {exc}") from None
        decisions.append(decision)
    reviews.add_decisions(settings.corrections_db, settings.report.name, sha, decisions)
    print(f"stored {len(decisions)} decisions")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    text = read_report(settings.report)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    target = (
        Path(args.file) if args.file else reviews.review_file_for(settings.reviews_dir, settings.report.name)
    )
    n = reviews.export_reviews(settings.corrections_db, target, settings.report.name, sha)
    print(f"wrote {n} decisions to {target}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    new, _sha = reviews.import_reviews(settings.corrections_db, Path(args.file))
    print(f"imported {new} new decisions from {args.file}")
    return 0


def _orphan_lines(orphans: list[succession.Orphan], limit: int) -> list[str]:
    out: list[str] = []
    for o in orphans:
        d = o.decision
        out.append(f"    {d.uid} {d.action} {d.key} by {d.reviewer} at {d.at}")
        if not o.line:
            out.append("      its report line is not found; by text alone (a weak hint):")
        elif not o.successors:
            out.append(f"      line {o.line} (found by {o.found_by}): no record there now")
        for s in o.successors[:limit]:
            done = f", re-stated by {s.restated_by}" if s.restated_by else ""
            out.append(f"      → {s.key} l{s.source_line} {s.score:.0f}% [{s.review}{done}] {s.name[:80]}")
    return out


def _orphans(args: argparse.Namespace, settings: Settings) -> int:
    _sha, lines, decisions, extracted, applied = _full_state(settings)
    found = succession.orphans_with_successors(
        applied.orphaned, applied.records, lines, decisions, extracted, args.limit
    )
    print(f"{len(found)} orphaned decisions; likely successors (same line, by text overlap; never applied):")
    for line in _orphan_lines(found, args.limit):
        print(line)
    return 0


def _restate(args: argparse.Namespace, settings: Settings) -> int:
    sha, _lines, applied = _state(settings)
    decision = succession.restate_by_uid(applied.orphaned, applied.records, args.uid, args.key, args.reviewer)
    _check_target(decision, applied)
    reviews.add_decision(settings.corrections_db, settings.report.name, sha, decision)
    _print(decision.as_dict())
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    _sha, lines, decisions, extracted, applied = _full_state(settings)
    records = applied.records
    public = [r for r in records if r.public]
    states = Counter(str(r.review) for r in public)
    reviewed = sum(n for s, n in states.items() if s != "machine")
    print(f"{len(public)} works on the register ({len(records) - len(public)} not works or duplicates)")
    print(
        f"  reviewed {reviewed} ({100.0 * reviewed / max(len(public), 1):.1f}%): "
        + ", ".join(f"{s} {n}" for s, n in sorted(states.items()))
    )
    print("  decisions applied: " + ", ".join(f"{a} {n}" for a, n in sorted(applied.counts().items())))
    if applied.drifted:
        print(f"  CHANGED by the extractor since review (reviewed values kept): {len(applied.drifted)}")
        for x in applied.drifted:
            print(f"    {x.key} {', '.join(x.fields)} (reviewed by {x.reviewer}, {x.uid})")
    if applied.orphaned:
        print(f"  ORPHANED decisions (work gone; kept, not applied): {len(applied.orphaned)}")
        found = succession.orphans_with_successors(
            applied.orphaned, applied.records, lines, decisions, extracted, 3
        )
        for line in _orphan_lines(found, 3):
            print(line)
        print("    (re-state one on a successor: review_cli restate <uid> <key> --reviewer …)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.review_cli", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--report", help="the report (default: $PLOVDIV_REPORT or ../shared/seed/…)")
    parser.add_argument("--db", help="the planners' database (default: $PLOVDIV_CORRECTIONS_DB …)")
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("queue", help="works to review, most doubtful first (JSON lines)")
    q.add_argument("--measure")
    q.add_argument("--limit", type=int, default=0)
    q.add_argument("--all", action="store_true", help="also reviewed works")
    q.add_argument("--in-order", action="store_true", help="in report order instead of by doubt")
    s = sub.add_parser("show", help="one work and its report lines")
    s.add_argument("key")
    s.add_argument("--context", type=int, default=3)
    d = sub.add_parser("decide", help="store one decision")
    d.add_argument("key", help="the work's key ('-' for add)")
    d.add_argument("action", choices=[str(a) for a in Action])
    d.add_argument("--reviewer", required=True)
    d.add_argument("--reason", default="")
    d.add_argument("--changes", help="JSON object of changed fields (edit, add), parts (split), into (merge)")
    b = sub.add_parser("batch", help="store a JSON-lines file of decisions in one transaction")
    b.add_argument("file")
    b.add_argument("--reviewer", required=True)
    e = sub.add_parser("export", help="write the report's file in reviews/")
    e.add_argument("--file")
    i = sub.add_parser("import", help="read a review file into the database")
    i.add_argument("file")
    sub.add_parser("status", help="reviewed share, decisions, drift, orphans")
    o = sub.add_parser("orphans", help="orphaned decisions and their likely successors (never applied)")
    o.add_argument("--limit", type=int, default=5)
    r = sub.add_parser("restate", help="re-state an orphaned decision on a successor (a new decision)")
    r.add_argument("uid", help="the orphaned decision")
    r.add_argument("key", help="the successor's key")
    r.add_argument("--reviewer", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit code."""
    args = _parser().parse_args(argv)
    settings = load_settings(report=args.report, corrections_db=args.db)
    command = {
        "queue": _queue,
        "show": _show,
        "decide": _decide,
        "batch": _batch,
        "export": _export,
        "import": _import,
        "status": _status,
        "orphans": _orphans,
        "restate": _restate,
    }[args.command]
    try:
        return command(args, settings)
    except PlovdivError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except json.JSONDecodeError as exc:
        print(f"error: --changes is not JSON: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
