"""Successors of orphaned review decisions: where a re-cut record went, suggested, never applied.

Why: when the extractor re-cuts a record (a list split into its items, a sentence cut
differently), the key changes and the decisions on the old key are orphaned. They are kept and
listed (``works.review``), but a planner had to find the new records by hand. Here each orphan
is placed on its report line and the current records there (and in its goal, when known) are
ranked by how much their name and text share with the orphan's; a planner picks one and
re-states the decision on it (:func:`restate`: a new decision, its reason citing the orphan).

Where an orphan stood: the record its reviewer saw (``Decision.seen``: line and goal), an
added work's own line, or — for decisions made before ``seen`` was recorded — the report line
whose sentence, with what named the work there, hashes to the orphan's key (``works.keys``:
the key is a hash of that text, so the old anchor is found again while the report keeps it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extraction.sentences import split_sentences
from works.keys import normalise_text, work_key
from works.model import WorkRecord
from works.review import Action, Decision, ReviewError, make_decision, seen_of

__all__ = ["Orphan", "Successor", "orphans_with_successors", "restate", "restate_by_uid"]

#: A split part's ``.<i>`` and a repeated key's ``-<n>`` (``works.keys.unique_keys``).
_SUFFIX = re.compile(r"(?:\.\d+|-\d+)+$")


@dataclass(frozen=True)
class Successor:
    """A current record that may be what an orphan's record became."""

    key: str
    name: str
    source_line: int
    score: float
    review: str
    #: A decision on this record whose reason cites the orphan's uid (already re-stated), or "".
    restated_by: str = ""


@dataclass(frozen=True)
class Orphan:
    """An orphaned decision, the report line its record stood on (0: unknown) and how that
    was found (``seen``, ``add``, ``key``, ``""``), and the suggested successors, best first."""

    decision: Decision
    line: int = 0
    found_by: str = ""
    successors: list[Successor] = field(default_factory=list)


def _locate(d: Decision, lines: Sequence[str], records: Sequence[WorkRecord]) -> tuple[int, str, str, str]:
    """(line, goal, how, the text that named the work there) of an orphan's old record.

    ``records``: the extractor's (its names are what keys are made of)."""
    if d.seen.get("source_line"):
        return int(d.seen["source_line"]), str(d.seen.get("goal") or ""), "seen", str(d.seen.get("name", ""))
    if d.action is Action.ADD and d.changes.get("source_line"):
        return int(d.changes["source_line"]), str(d.changes.get("goal") or ""), "add", str(d.changes["name"])
    base = _SUFFIX.sub("", d.key)
    by_line: dict[int, list[WorkRecord]] = {}
    for r in records:
        by_line.setdefault(r.source_line, []).append(r)
        if r.goal_line and r.goal_line != r.source_line:
            by_line.setdefault(r.goal_line, []).append(r)
    for n, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        subjects: list[list[str]] = [[""]]
        for r in by_line.get(n, []):
            for labels in ([p.text for p in r.places], [p.name for p in r.places]):
                subjects += [[*labels, ""], [*labels, r.name]]
            subjects.append([r.name])
        anchors = {text, *split_sentences(text), *(r.source_text for r in by_line.get(n, []))}
        for anchor in anchors:
            for subject in subjects:
                if work_key(anchor, subject) == base:
                    return n, "", "key", " ".join(s for s in subject if s) or anchor
    return 0, "", "", ""


def _score(text: str, record: WorkRecord) -> float:
    """How much of the orphan's text a record shares: its name first, its sentence next."""
    name = fuzz.token_set_ratio(text, normalise_text(record.name))
    sentence = fuzz.token_set_ratio(text, normalise_text(record.source_text))
    return round(0.7 * name + 0.3 * sentence, 1)


def _orphan_text(d: Decision, named: str) -> str:
    """What the orphan says about its work: the names it saw or gave, else its reason."""
    parts = [named, str(d.changes.get("name") or "")]
    parts += [str(p.get("name", "")) for p in d.changes.get("parts") or [] if isinstance(p, dict)]
    text = " ".join(p for p in parts if p)
    return text or d.reason


def orphans_with_successors(
    orphaned: Sequence[Decision],
    records: Sequence[WorkRecord],
    lines: Sequence[str],
    decisions: Sequence[Decision] = (),
    extracted: Sequence[WorkRecord] | None = None,
    limit: int = 5,
) -> list[Orphan]:
    """Each orphan with the current records of its line (and goal) ranked by text overlap.

    ``records``: the register as it is now (decisions applied); ``extracted``: the extractor's
    records (default ``records``), whose names keys are made of; ``decisions``: every decision,
    to mark successors a decision already re-stated the orphan on. Nothing is applied. An
    orphan whose line is not found gets the register's records ranked by text alone
    (``found_by`` "text": a weak hint, said so).
    """
    out: list[Orphan] = []
    for d in orphaned:
        line, goal, how, named = _locate(d, lines, records if extracted is None else extracted)
        text = normalise_text(_orphan_text(d, named))
        if not line:
            here, how = list(records), "text"
        else:
            here = [r for r in records if r.source_line <= line <= max(r.source_line, r.source_line_end)]
            if not here:
                here = [r for r in records if r.goal_line == line]
            if goal:
                here = [r for r in here if r.goal == goal] or here
        cited = {(x.key, x.uid) for x in decisions if d.uid in x.reason}
        ranked = sorted(
            (
                Successor(
                    r.key,
                    r.name,
                    r.source_line,
                    _score(text, r),
                    str(r.review),
                    next((uid for key, uid in sorted(cited) if key == r.key), ""),
                )
                for r in here
                if r.key != d.key
            ),
            key=lambda s: (-s.score, s.source_line, s.key),
        )
        out.append(Orphan(d, line, how, ranked[:limit]))
    return out


def restate(orphan: Decision, successor: WorkRecord, reviewer: str) -> Decision:
    """The orphan's decision re-stated on ``successor``: same action and changes, a reason
    citing the orphan's uid and reviewer, and what the reviewer sees of the successor now."""
    if orphan.action is Action.ADD:
        raise ReviewError(
            f"{orphan.uid} added a work the extractor now finds: confirm or edit that record instead"
        )
    reason = f"Re-states orphaned decision {orphan.uid} by {orphan.reviewer}" + (
        f": {orphan.reason}" if orphan.reason else ""
    )
    return make_decision(
        successor.key,
        orphan.action,
        reviewer,
        reason[:1000],
        dict(orphan.changes),
        seen=seen_of(successor),
    )


def restate_by_uid(
    orphaned: Sequence[Decision], records: Sequence[WorkRecord], uid: str, key: str, reviewer: str
) -> Decision:
    """:func:`restate` by the orphan's uid and the successor's key, as a planner picks them (the
    command line's ``restate`` and the review view): an unknown uid or key is a ReviewError."""
    orphan = next((d for d in orphaned if d.uid == uid), None)
    if orphan is None:
        raise ReviewError(f"no orphaned decision {uid}")
    target = next((r for r in records if r.key == key), None)
    if target is None:
        raise ReviewError(f"no work with key {key}")
    return restate(orphan, target, reviewer)
