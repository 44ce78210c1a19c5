"""Score the extractor against a hand-labelled set (`tests/data/labelled_register*.csv`).

The sets are labelled against `docs/labelling_guide.md` (what counts as a work, its category,
its status): a figure measured against unwritten conventions says little.

A labelled row names a work by the report line where it is stated and a short anchor (the
place or facility name). A record matches the row when it is in the row's measure, cites the
row's line (its goal line, or a line its source sentence spans: report lines wrap) and
carries the anchor in its name, its place texts or — for a record that names no place — its
source text. The row is *fully right* when
a matching record also has the row's priority, status and exact category set.

`python -m extraction.evaluate [--report PATH] [--labels CSV]` prints the score and each miss.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from extraction.outline import parse_outline
from extraction.projects import extract_projects
from extraction.quotes import normalise_quotes
from extraction.report import read_report
from works.model import WorkRecord
from works.settings import load_settings

DEFAULT_LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled_register.csv"


@dataclass(frozen=True)
class Label:
    """One hand-labelled work."""

    line: int
    anchor: str
    priority: int
    measure: str
    categories: frozenset[str]
    status: str
    note: str = ""


@dataclass
class Score:
    """Outcome of an evaluation: matched rows, fully right rows and the misses explained."""

    total: int = 0
    found: int = 0
    right: int = 0
    status_right: int = 0
    categories_right: int = 0
    #: Records that cite a labelled line, and those of them that match no label. On a set
    #: labelled exhaustively line by line (every work on each chosen line) the unmatched ones are
    #: records the guide would not cut: over-cut works, narrative read as a work.
    records_on_lines: int = 0
    unmatched_records: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of labelled rows whose record is fully right."""
        return self.right / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        """Share of the records citing a labelled line that stand for a labelled work."""
        if not self.records_on_lines:
            return 0.0
        return 1 - len(self.unmatched_records) / self.records_on_lines


def load_labels(path: Path = DEFAULT_LABELS) -> list[Label]:
    """Read the labelled CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Label(
                int(row["line"]),
                row["anchor"],
                int(row["priority"]),
                row["measure"],
                frozenset(c for c in row["categories"].split("|") if c),
                row["status"],
                row.get("note", ""),
            )
            for row in csv.DictReader(fh)
        ]


def _haystack(rec: WorkRecord) -> str:
    parts = [rec.name, *(p.text for p in rec.places)]
    for p in rec.places:
        parts.extend(p.between)
        parts.extend(p.streets)
    if not rec.places:
        parts.append(rec.source_text)
    return normalise_quotes(" ".join(parts))


def matches(rec: WorkRecord, label: Label) -> bool:
    """Does `rec` stand for the labelled work?"""
    return (
        rec.measure == label.measure
        and (label.line == rec.goal_line or label.line in _cited_lines(rec))
        and normalise_quotes(label.anchor).casefold() in _haystack(rec).casefold()
    )


def _agreement(rec: WorkRecord, label: Label) -> int:
    return (rec.status == label.status) * 2 + (frozenset(rec.categories) == label.categories)


def evaluate(records: list[WorkRecord], labels: list[Label]) -> Score:
    """Compare records with labels; for each label the best-agreeing matching record counts."""
    score = Score(total=len(labels))
    for lab in labels:
        cands = [r for r in records if matches(r, lab)]
        if not cands:
            score.misses.append(
                f"MISSING  l{lab.line} {lab.anchor!r} ({lab.status}, {sorted(lab.categories)})"
            )
            continue
        score.found += 1

        best = max(cands, key=partial(_agreement, label=lab))
        ok_status = best.status == lab.status
        ok_cats = frozenset(best.categories) == lab.categories
        score.status_right += ok_status
        score.categories_right += ok_cats
        if ok_status and ok_cats and best.priority == lab.priority:
            score.right += 1
        else:
            what = []
            if not ok_status:
                what.append(f"status {best.status} (by {best.status_evidence!r}) ≠ {lab.status}")
            if not ok_cats:
                what.append(f"categories {best.categories} ≠ {sorted(lab.categories)}")
            score.misses.append(f"WRONG    l{lab.line} {lab.anchor!r}: " + "; ".join(what))
    lines = {lab.line for lab in labels}
    on_lines = [r for r in records if _cited_lines(r) & lines]
    score.records_on_lines = len(on_lines)
    score.unmatched_records = [
        f"EXTRA    l{r.source_line} {r.name!r}"
        for r in on_lines
        if not any(matches(r, lab) for lab in labels)
    ]
    return score


def _cited_lines(rec: WorkRecord) -> set[int]:
    return set(range(rec.source_line, max(rec.source_line, rec.source_line_end) + 1))


def main(argv: list[str] | None = None) -> int:
    """Print the score of the extractor on the labelled set and every miss."""
    parser = argparse.ArgumentParser(prog="python -m extraction.evaluate")
    parser.add_argument("--report")
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    args = parser.parse_args(argv)
    records = extract_projects(parse_outline(read_report(load_settings(report=args.report).report)))
    score = evaluate(records, load_labels(Path(args.labels)))
    for line in [*score.misses, *score.unmatched_records]:
        print(line)
    print(
        f"labelled {score.total}: found {score.found}, status right {score.status_right}, "
        f"categories right {score.categories_right}, fully right {score.right} ({score.accuracy:.1%}); "
        f"records citing a labelled line {score.records_on_lines}, of which matching a label "
        f"{score.records_on_lines - len(score.unmatched_records)} ({score.precision:.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
