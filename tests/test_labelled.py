"""The extractor against the hand-labelled works (tests/data/labelled_register*.csv).

All four sets are labelled against docs/labelling_guide.md by readers who did not see the
extractor's output. They play different roles, so their floors differ:

* `labelled_register.csv` (first reader, relabelled by the guide): the rules were tuned on it.
* `labelled_register_holdout.csv` (second reader, relabelled): its misses were read to find
  generic bugs, so it is a development set too.
* `labelled_register_fresh.csv` (third reader, every work of every other eligible line): first
  measured blind at 25.8% fully right, then used for development.
* `labelled_register_final.csv` (fourth reader, every work of the remaining lines): measured
  only at the end of a round, with the rules frozen; it is the honest figure for text the
  rules were not tuned on. Its misses must not be used to tune the rules.

When the guide's §5 settled the readers' open questions, a fifth reader (again blind to the
extractor) relabelled the rows it decides in all four sets.

Each floor is the measured level rounded down, so a regression fails the suite. The issue's
target, 0.95 fully right, is met on the set the rules were tuned on; see README "Quality
(measured)" for why the other sets are below it.
"""

from __future__ import annotations

import pytest

from extraction.evaluate import DEFAULT_LABELS, evaluate, load_labels

TARGET = 0.95

#: file → (fully right floor, found floor, precision floor or None when the set is not exhaustive)
FLOORS: dict[str, tuple[float, float, float | None]] = {
    "labelled_register.csv": (TARGET, 0.98, None),
    "labelled_register_holdout.csv": (0.70, 0.87, None),
    "labelled_register_fresh.csv": (0.53, 0.80, 0.97),
    "labelled_register_final.csv": (0.38, 0.63, 0.90),
}
#: Measured only at the end of a round, rules frozen (see above).
FROZEN = frozenset({"labelled_register_final.csv"})


def test_labelled_sets_are_broad() -> None:
    labels = [lab for name in FLOORS for lab in load_labels(DEFAULT_LABELS.with_name(name))]
    assert len(labels) >= 80 * 4
    assert {lab.priority for lab in labels} == {1, 2, 3}
    assert len({lab.measure for lab in labels}) >= 14
    # The third and fourth readers took report lines no earlier set had used.
    lines = {n: {lab.line for lab in load_labels(DEFAULT_LABELS.with_name(n))} for n in FLOORS}
    earlier = lines["labelled_register.csv"] | lines["labelled_register_holdout.csv"]
    assert not lines["labelled_register_fresh.csv"] & earlier
    assert not lines["labelled_register_final.csv"] & (earlier | lines["labelled_register_fresh.csv"])


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_labelled_accuracy(real_records, name: str) -> None:
    right_floor, found_floor, precision_floor = FLOORS[name]
    labels = load_labels(DEFAULT_LABELS.with_name(name))
    assert len(labels) >= 80
    score = evaluate(real_records, labels)
    counts = f"found {score.found}/{score.total}, {score.right} fully right, precision {score.precision:.1%}"
    # The frozen set's misses are never printed: whoever reads a failure must not tune on them.
    frozen = name in FROZEN
    detail = counts if frozen else counts + "\n" + "\n".join(score.misses)
    # Plain numbers only: an assertion on the score object would print its misses.
    found_share, accuracy, precision = score.found / score.total, score.accuracy, score.precision
    assert found_share >= found_floor, detail
    assert accuracy >= right_floor, detail
    if precision_floor is not None:
        assert precision >= precision_floor, counts if frozen else "\n".join(score.unmatched_records)
