"""Score the geocoder against hand-labelled place mentions (`tests/data/labelled_places.csv`).

Each labelled row is a place mention taken from the report (its line, the name as the register
writes it, the register kind) and the OSM object it must resolve to (``way/…``, ``node/…``,
``relation/…``) — or nothing, for places that are not in the extract (those must *not* be
matched: a wrong object is worse than none). The expected objects were checked by hand in the
extract (tags and geometry), not copied from the geocoder's output.

* **precision** – of the mentions the geocoder located, the share located on the right object;
* **recall** – of the mentions that have an object, the share located on it;
* **negatives right** – of the absent places, the share left unresolved.

`python -m geocoding.evaluate [--labels CSV] [--gazetteer PARQUET | --osm PBF]` prints the
scores and every miss (the gazetteer defaults to ``works.settings``' ``data/gazetteer.parquet``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from geocoding.gazetteer import build_gazetteer, load_gazetteer
from geocoding.lookup import GazetteerIndex, Match
from works.settings import load_settings

__all__ = ["DEFAULT_LABELS", "PlaceLabel", "PlaceScore", "evaluate", "load_labels", "main"]

DEFAULT_LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled_places.csv"
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class PlaceLabel:
    """One labelled mention: report line, text, register kind, expected OSM ref ('' = absent)."""

    line: int
    text: str
    kind: str
    expected: str
    note: str = ""


@dataclass
class PlaceScore:
    """Counts behind precision and recall, and the misses explained."""

    total: int = 0
    positives: int = 0  # rows with an expected object
    predicted: int = 0  # rows the geocoder located (on any object)
    correct: int = 0  # located on the expected object
    negatives_right: int = 0  # absent places left unresolved
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.positives if self.positives else 0.0

    @property
    def negatives(self) -> int:
        return self.total - self.positives


def load_labels(path: Path = DEFAULT_LABELS) -> list[PlaceLabel]:
    """Read the labelled CSV (columns line, text, kind, expected, note)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [
            PlaceLabel(int(r["line"]), r["text"], r["kind"], r["expected"].strip(), r.get("note", ""))
            for r in csv.DictReader(fh)
        ]


def evaluate(index: GazetteerIndex, labels: list[PlaceLabel]) -> PlaceScore:
    """Look every label up as the pipeline does (its text, restricted by its kind)."""
    score = PlaceScore(total=len(labels))
    for lab in labels:
        found = index.lookup(lab.text, lab.kind or None)
        if isinstance(found, Match):
            refs, name, why = index.osm_refs(found.rows), found.name, "found without an OSM reference"
        else:
            refs, name, why = [], "", f"{found.reason}: {found.detail}"
        if lab.expected:
            score.positives += 1
        if refs:
            score.predicted += 1
        where = f"l{lab.line} {lab.kind} {lab.text!r}"
        if lab.expected and lab.expected in refs:
            score.correct += 1
        elif lab.expected and refs:
            score.misses.append(f"WRONG    {where} → {name} {refs[:3]} ≠ {lab.expected}")
        elif lab.expected:
            score.misses.append(f"MISSED   {where} → {why} (expected {lab.expected})")
        elif refs:
            score.misses.append(f"FALSE+   {where} → {name} {refs[:3]} (not in the extract: {lab.note})")
        else:
            score.negatives_right += 1
    return score


def _index(args: argparse.Namespace) -> GazetteerIndex:
    if args.osm:
        return GazetteerIndex(build_gazetteer(Path(args.osm), progress=False))
    path = Path(args.gazetteer) if args.gazetteer else load_settings().gazetteer
    if not path.is_file():
        raise FileNotFoundError(f"gazetteer not found: {path} (run `python -m pipeline` or pass --osm)")
    return GazetteerIndex(load_gazetteer(path))


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and every miss on the labelled places."""
    parser = argparse.ArgumentParser(prog="python -m geocoding.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--gazetteer", help="built gazetteer (default: data/gazetteer.parquet)")
    source.add_argument("--osm", help="build the gazetteer from this .osm.pbf instead")
    args = parser.parse_args(argv)
    try:
        labels = load_labels(Path(args.labels))
        index = _index(args)
    except (OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    score = evaluate(index, labels)
    for line in score.misses:
        print(line)
    print(
        f"labelled {score.total} mentions ({score.positives} in the extract, {score.negatives} absent): "
        f"precision {score.precision:.1%} ({score.correct}/{score.predicted}), "
        f"recall {score.recall:.1%} ({score.correct}/{score.positives}), "
        f"absent left unresolved {score.negatives_right}/{score.negatives}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
