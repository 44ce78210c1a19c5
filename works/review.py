"""Review decisions: what a planner decided about a work, and how it changes the register.

Why in the domain: the build (``python -m pipeline``), the planners' review view and the
import/export of ``reviews/*.json`` must apply a decision the same way, and a decision is
about a work (by its stable key), not about a file or a screen. Decisions are applied in the
order they were made, so a later decision wins; none is ever deleted, so the history stays.
A decision whose work is not in the register any more (a rule change, another report) is
*orphaned*: returned to the caller to be listed, never applied to another work.

Actions:

* ``confirm`` – the record is right as it stands (clears an earlier not-a-work or merge);
* ``edit`` – new values for some of :data:`EDITABLE` fields;
* ``not_work`` – the record is not a work (``reason`` says why); it leaves the map and counts;
* ``split`` – one record is several works: ``changes["parts"]`` lists each part's fields;
  part *i* gets the key ``<key>.<i>`` (1-based) so later decisions can address it;
* ``merge`` – the record duplicates ``changes["into"]`` (a key); it leaves the map and counts;
* ``add`` – a work the extractor missed, from a report sentence: ``changes`` holds its fields
  (``name``, ``status``, ``categories``, ``measure``, ``source_line``, ``source_text`` …) and
  ``key`` is :func:`added_key` of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from works.errors import PlovdivError
from works.keys import work_key
from works.model import (
    Category,
    Place,
    PlaceKind,
    Precision,
    ReviewState,
    Status,
    StatusScope,
    WorkRecord,
)

__all__ = [
    "EDITABLE",
    "SEEN",
    "Action",
    "Applied",
    "Decision",
    "Drift",
    "ReviewError",
    "added_key",
    "apply_decisions",
    "doubts",
    "make_decision",
    "review_queue",
    "seen_of",
    "validate_changes",
]

#: Fields a reviewer may change with ``edit`` (and give a part of a split or an added work).
EDITABLE = ("name", "status", "status_evidence", "categories", "years", "districts", "places")
#: Fields an added work must have.
#: What a ``confirm`` or ``edit`` records the planner saw (``Decision.seen``): the reviewable
#: fields, and where the record stood in the report (``source_line``, ``goal``: to find its
#: successors if a later extractor re-cuts it). Old decisions have no ``seen``.
SEEN = (*EDITABLE, "status_scope", "source_line", "goal")
#: The fields a later extractor may change under a reviewed record (kept at the seen value).
_DRIFT = ("name", "status", "status_evidence", "categories", "years", "districts", "places")
_ADD_REQUIRED = ("name", "status", "categories", "measure", "source_line", "source_text")
_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d|2100)$")


class ReviewError(PlovdivError):
    """A decision that cannot be stored or applied as given (one line for the reviewer)."""


class Action(StrEnum):
    """What a reviewer decided."""

    CONFIRM = "confirm"
    EDIT = "edit"
    NOT_WORK = "not_work"
    SPLIT = "split"
    MERGE = "merge"
    ADD = "add"


@dataclass(frozen=True)
class Decision:
    """One review decision; ``uid`` identifies it across databases and files (idempotent import)."""

    uid: str
    key: str
    action: Action
    reviewer: str
    at: str
    reason: str = ""
    changes: Mapping[str, Any] = field(default_factory=dict)
    #: The record as the reviewer saw it when confirming or editing (:func:`seen_of`); empty
    #: for decisions made before it was recorded (they apply as before).
    seen: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The decision as stored in ``reviews/*.json`` (one line each, sorted keys)."""
        out: dict[str, Any] = {
            "uid": self.uid,
            "key": self.key,
            "action": str(self.action),
            "reviewer": self.reviewer,
            "at": self.at,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.changes:
            out["changes"] = dict(self.changes)
        if self.seen:
            out["seen"] = dict(self.seen)
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Decision:
        """A decision read from a file or a database row; :class:`ReviewError` when malformed."""
        try:
            action = Action(raw["action"])
            decision = cls(
                uid=str(raw["uid"]),
                key=str(raw["key"]),
                action=action,
                reviewer=str(raw["reviewer"]),
                at=str(raw["at"]),
                reason=str(raw.get("reason") or ""),
                changes=dict(raw.get("changes") or {}),
                seen=dict(raw.get("seen") or {}),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ReviewError(f"malformed review decision {dict(raw)!r:.120}: {exc}") from None
        _check(decision)
        return decision


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def added_key(changes: Mapping[str, Any]) -> str:
    """The key of an added work: the same hash as an extracted one (its sentence and name)."""
    return work_key(str(changes.get("source_text", "")), [str(changes.get("name", ""))])


def make_decision(
    key: str,
    action: Action | str,
    reviewer: str,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    at: str | None = None,
    seen: Mapping[str, Any] | None = None,
) -> Decision:
    """A new, validated decision with its time and uid (an ``add`` computes its own key).

    ``seen``: the record as the reviewer saw it (:func:`seen_of`); kept for ``confirm`` and
    ``edit`` only, where it pins the values they reviewed."""
    action = Action(action)
    changes = dict(changes or {})
    reviewer = reviewer.strip()[:100]
    if action is Action.ADD:
        key = added_key(changes)
    at = at or _now()
    body = json.dumps([key, str(action), reviewer, at, reason, changes], ensure_ascii=False, sort_keys=True)
    uid = hashlib.blake2b(body.encode("utf-8"), digest_size=8).hexdigest()
    kept = dict(seen or {}) if action in (Action.CONFIRM, Action.EDIT) else {}
    decision = Decision(uid, key.strip(), action, reviewer, at, reason.strip()[:1000], changes, kept)
    _check(decision)
    return decision


def _check(d: Decision) -> None:
    if not d.reviewer:
        raise ReviewError("a review decision needs a reviewer")
    if not d.key:
        raise ReviewError("a review decision needs the key of its work")
    if d.seen:
        unknown = sorted(set(d.seen) - set(SEEN))
        if unknown or d.action not in (Action.CONFIRM, Action.EDIT):
            raise ReviewError(f"what the reviewer saw has unknown fields {unknown} or no confirm/edit")
        validate_changes(d.seen)
    if d.action is Action.EDIT:
        if not d.changes:
            raise ReviewError("an edit changes nothing")
        validate_changes(d.changes)
    elif d.action is Action.NOT_WORK and not d.reason:
        raise ReviewError("say why this is not a work")
    elif d.action is Action.SPLIT:
        parts = d.changes.get("parts")
        if not isinstance(parts, list) or len(parts) < 2:
            raise ReviewError("a split needs at least two parts")
        for part in parts:
            if not isinstance(part, Mapping) or not str(part.get("name", "")).strip():
                raise ReviewError("every part of a split needs a name")
            validate_changes(part)
    elif d.action is Action.MERGE:
        into = d.changes.get("into")
        if not isinstance(into, str) or not into or into == d.key:
            raise ReviewError("a merge needs the key of another work")
    elif d.action is Action.ADD:
        missing = [f for f in _ADD_REQUIRED if f not in d.changes]
        if missing:
            raise ReviewError(f"an added work needs {', '.join(missing)}")
        validate_changes({k: v for k, v in d.changes.items() if k in EDITABLE})


def validate_changes(changes: Mapping[str, Any]) -> None:
    """Check the values of editable fields; :class:`ReviewError` names the first bad one."""
    for name, value in changes.items():
        if name in ("measure", "source_text", "goal", "status_scope", "name"):
            if not isinstance(value, str) or (name in ("name", "source_text") and not value.strip()):
                raise ReviewError(f"{name} must be non-empty text")
        elif name == "source_line":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ReviewError("source_line must be a report line number")
        elif name == "status":
            _member(Status, value, name)
        elif name == "status_evidence":
            if not isinstance(value, str):
                raise ReviewError("status_evidence must be text")
        elif name == "categories":
            if not isinstance(value, list) or not value:
                raise ReviewError("categories must be a non-empty list")
            for c in value:
                _member(Category, c, "category")
        elif name == "years":
            if not isinstance(value, list) or not all(_YEAR.match(str(y)) for y in value):
                raise ReviewError("years must be a list of years like 2021")
        elif name == "districts":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ReviewError("districts must be a list of district names")
        elif name == "places":
            if not isinstance(value, list):
                raise ReviewError("places must be a list")
            for p in value:
                _place(p)
        else:
            raise ReviewError(f"{name} is not a field a review can set")


def _member(kind: type[StrEnum], value: Any, name: str) -> None:
    try:
        kind(value)
    except ValueError:
        raise ReviewError(f"{name} {value!r} is not one of {', '.join(kind)}") from None


def _place(raw: Any) -> Place:
    if not isinstance(raw, Mapping) or not str(raw.get("name") or raw.get("text") or "").strip():
        raise ReviewError("a place needs a name")
    _member(PlaceKind, raw.get("kind", "facility"), "place kind")
    name = str(raw.get("name") or raw.get("text"))
    kind = PlaceKind(raw.get("kind", "facility"))
    streets = [str(x) for x in raw.get("streets") or []]
    if kind in (PlaceKind.BLOCK, PlaceKind.JUNCTION) and not streets:
        streets = _streets_of(name)
    return Place(
        text=str(raw.get("text") or name),
        kind=kind,
        name=name,
        between=[str(x) for x in raw.get("between") or []],
        streets=streets,
    )


#: A street or boulevard as a reviewer writes it in a block's or junction's name.
_STREET = re.compile(r"(?:ул\.|бул\.|пл\.)\s*[„\"“][^“”\"]+[“”\"]")


def _streets_of(name: str) -> list[str]:
    """The streets a reviewer's block or junction name lists ("каре ул. „А“ – ул. „Б“ – …")."""
    return _STREET.findall(name)


def _changed(record: WorkRecord, changes: Mapping[str, Any]) -> WorkRecord:
    """The record with the editable fields of ``changes`` set (a status keeps its evidence)."""
    updates: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "status":
            updates["status"] = Status(value)
            updates["status_scope"] = StatusScope.REVIEW
        elif name == "categories":
            updates["categories"] = [Category(c) for c in value]
        elif name == "years":
            updates["years"] = sorted({int(y) for y in value})
        elif name == "places":
            updates["places"] = [_place(p) for p in value]
            updates["city_wide"] = not value and not changes.get("districts", record.districts)
        elif name == "districts":
            updates["districts"] = list(value)
        elif name in ("name", "status_evidence"):
            updates[name] = str(value)
    return replace(record, **updates)


def seen_of(record: WorkRecord) -> dict[str, Any]:
    """What a reviewer sees of ``record`` (stored with a confirm or an edit as ``seen``)."""
    return {
        "name": record.name,
        "status": str(record.status),
        "status_evidence": record.status_evidence,
        "status_scope": str(record.status_scope),
        "categories": [str(c) for c in record.categories],
        "years": list(record.years),
        "districts": list(record.districts),
        "places": [p.as_dict() for p in record.places],
        "source_line": record.source_line,
        "goal": record.goal,
    }


def _drifted(record: WorkRecord, d: Decision) -> tuple[WorkRecord, list[str]]:
    """The record with the values ``d``'s reviewer saw for the fields they did not change and
    the extractor changed since, and the names of those fields.

    Districts: a reviewer sees districts the geometry adds to the text's (the review view
    shows the built register), and the build applies decisions before geocoding; so only a
    district the text now names that they did not see is a change (those they saw are kept).
    """
    seen, now = d.seen, seen_of(record)
    fields: list[str] = []
    for name in _DRIFT:
        if name not in seen or name in d.changes:
            continue
        if name == "districts":
            differs = bool(set(now["districts"]) - set(seen["districts"]))
        elif name == "places":
            differs = [p.get("name") for p in now["places"]] != [p.get("name") for p in seen["places"]]
        elif name == "categories":
            differs = sorted(now["categories"]) != sorted(seen["categories"])
        else:
            differs = now[name] != seen[name]
        if differs:
            fields.append(name)
    if not fields:
        return record, []
    kept = _changed(record, {f: seen[f] for f in fields})
    if "status" in fields:  # the stage they saw, with the scope it had
        kept = replace(kept, status_scope=StatusScope(seen.get("status_scope", str(record.status_scope))))
    return kept, fields


@dataclass(frozen=True)
class Drift:
    """A reviewed record the extractor changed since the review: the reviewed values are kept."""

    key: str
    uid: str
    reviewer: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """For the build's metadata and the planners' view."""
        return {"key": self.key, "uid": self.uid, "reviewer": self.reviewer, "fields": list(self.fields)}


def _stamp(record: WorkRecord, d: Decision, state: ReviewState) -> WorkRecord:
    return replace(record, review=state, reviewed_by=d.reviewer, reviewed_at=d.at)


@dataclass
class Applied:
    """The register after the decisions, the decisions applied and those orphaned."""

    records: list[WorkRecord]
    applied: list[Decision] = field(default_factory=list)
    orphaned: list[Decision] = field(default_factory=list)
    #: Confirmed or edited records whose machine values changed since the review.
    drifted: list[Drift] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        """Applied decisions by action (``split`` counts records split, ``added`` works added)."""
        return Counter(str(d.action) for d in self.applied)


def _context(records: Sequence[WorkRecord], measure: str, line: int) -> WorkRecord | None:
    """The record an added work sits beside: same measure, the nearest line at or before it."""
    same = [r for r in records if r.measure == measure]
    before = [r for r in same if r.source_line <= line]
    return max(before, key=lambda r: r.source_line) if before else (same[0] if same else None)


def _added(d: Decision, records: Sequence[WorkRecord], n: int) -> WorkRecord:
    c = d.changes
    near = _context(records, str(c["measure"]), int(c["source_line"]))
    measure = str(c["measure"])
    record = WorkRecord(
        key=d.key,
        id=f"m{measure.replace('.', '-')}-l{int(c['source_line']):03d}-a{n:02d}",
        name=str(c["name"]),
        categories=[Category(x) for x in c["categories"]],
        status=Status(c["status"]),
        priority=near.priority if near else int(measure.split(".")[0] or 0),
        measure=measure,
        goal=str(c.get("goal") or (near.goal if near else "")),
        goal_line=near.goal_line if near else 0,
        source_line=int(c["source_line"]),
        source_text=str(c["source_text"]),
        status_evidence=str(c.get("status_evidence") or ""),
        status_scope=StatusScope.REVIEW,
        source_line_end=int(c["source_line"]),
    )
    record = _changed(record, {k: v for k, v in c.items() if k in ("years", "places", "districts")})
    if not record.places and not record.districts:
        record = replace(record, city_wide=True)
    return _stamp(record, d, ReviewState.ADDED)


def apply_decisions(records: Sequence[WorkRecord], decisions: Iterable[Decision]) -> Applied:
    """Apply ``decisions`` in time order to ``records`` (inputs are not modified).

    Records are kept in report order; split parts take their record's place and added works
    go after the record they sit beside. Orphaned decisions are returned, never applied.
    """
    out: list[WorkRecord] = list(records)
    result = Applied(out)
    added = 0
    for d in sorted(decisions, key=lambda d: (d.at, d.uid)):
        index = {r.key: i for i, r in enumerate(out)}
        if d.action is Action.ADD:
            if d.key in index:  # the extractor found it since: the decision is already true
                result.orphaned.append(d)
                continue
            added += 1
            new = _added(d, out, added)
            after = [
                i for i, r in enumerate(out) if r.measure == new.measure and r.source_line <= new.source_line
            ]
            out.insert((after[-1] + 1) if after else len(out), new)
            result.applied.append(d)
            continue
        i = index.get(d.key)
        if i is None or (d.action is Action.MERGE and d.changes["into"] not in index):
            result.orphaned.append(d)
            continue
        rec = out[i]
        if d.seen:  # what the reviewer confirmed is what is published
            rec, fields = _drifted(rec, d)
            result.drifted = [x for x in result.drifted if x.key != d.key]  # a later look wins
            if fields:
                result.drifted.append(Drift(d.key, d.uid, d.reviewer, tuple(fields)))
        kept = ReviewState.ADDED if rec.review is ReviewState.ADDED else None
        if d.action is Action.CONFIRM:
            state = kept or (
                ReviewState.CORRECTED if rec.review is ReviewState.CORRECTED else ReviewState.REVIEWED
            )
            out[i] = _stamp(replace(rec, not_work="", merged_into=""), d, state)
        elif d.action is Action.EDIT:
            out[i] = _stamp(_changed(rec, d.changes), d, kept or ReviewState.CORRECTED)
        elif d.action is Action.NOT_WORK:
            out[i] = _stamp(replace(rec, not_work=d.reason, merged_into=""), d, kept or ReviewState.REVIEWED)
        elif d.action is Action.MERGE:
            into = str(d.changes["into"])
            out[i] = _stamp(replace(rec, merged_into=into, not_work=""), d, kept or ReviewState.REVIEWED)
        elif d.action is Action.SPLIT:
            parts = [
                _stamp(
                    replace(_changed(rec, part), key=f"{rec.key}.{n}", id=f"{rec.id}-{n}"),
                    d,
                    ReviewState.CORRECTED,
                )
                for n, part in enumerate(d.changes["parts"], start=1)
            ]
            out[i : i + 1] = parts
        result.applied.append(d)
    return result


def doubts(record: WorkRecord, same_sentence: int = 1) -> list[str]:
    """Why a record may be wrong, most telling first (the review queue's order)."""
    out: list[str] = []
    if record.status_scope in (StatusScope.DEFAULT, StatusScope.LIST) or not record.status_evidence:
        out.append("no_status_evidence")
    if record.source_text.startswith(record.goal) or record.goal.startswith(record.name.rstrip("…")):
        out.append("name_from_goal")
    if same_sentence > 1:
        out.append("several_from_one_sentence")
    loc = record.location
    if record.places and loc is not None and not loc.precision.located:
        out.append("not_located")
    elif loc is not None and (loc.flags or loc.precision is Precision.NEIGHBOURHOOD):
        out.append("approximate_geometry")
    return out


def review_queue(records: Sequence[WorkRecord]) -> list[tuple[WorkRecord, list[str]]]:
    """Records to review: unreviewed first, then by how many doubts they raise, then report order."""
    per_sentence = Counter((r.source_line, r.source_text) for r in records)
    rows = [(r, doubts(r, per_sentence[(r.source_line, r.source_text)])) for r in records]
    return sorted(
        rows,
        key=lambda row: (row[0].review is not ReviewState.MACHINE, -len(row[1]), row[0].source_line),
    )
