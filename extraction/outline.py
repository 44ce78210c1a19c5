"""Recover the report's outline: priority → measure → goal → progress notes.

The report is plain text whose structure is carried by indentation and headings:

* ``ПРИОРИТЕТ N.`` opens a priority (its title may run onto the next line);
* ``Мярка N.M.`` opens a measure;
* inside a measure, a tab-indented, non-bulleted line after a blank line is a goal; a goal
  title broken over two lines continues on a line that starts in lower case;
* the lines that follow a goal (bullets ``-``/``–``, tab-indented paragraphs, unindented
  paragraphs, even after blank lines) are its progress notes, until the next goal or heading.

Every node keeps its 1-based line number so records can cite the exact line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.report import ReportError

_PRIORITY = re.compile(r"^\s*ПРИОРИТЕТ\s*(\d+)\s*\.\s*(.*)$")
_MEASURE = re.compile(r"^\s*Мярка\s*(\d+)\s*\.\s*(\d+)\s*\.?\s*(.*)$")
_BULLET = re.compile(r"^\s*[-–—•]\s*")
_TERMINAL = re.compile(r"[.!?;:…]\s*$")


@dataclass
class Note:
    """One progress-note paragraph or bullet (continuation lines already joined)."""

    line: int
    text: str
    bullet: bool = False
    #: (offset in `text`, report line) where each joined physical line starts.
    line_starts: list[tuple[int, int]] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """The report line holding character `offset` of the joined text."""
        found = self.line
        for start, line in self.line_starts:
            if start <= offset:
                found = line
        return found


@dataclass
class Goal:
    """A goal line of a measure with the progress notes reported under it."""

    line: int
    text: str
    notes: list[Note] = field(default_factory=list)


@dataclass
class Measure:
    """``Мярка N.M.``: a numbered measure of a priority."""

    code: str
    line: int
    title: str
    goals: list[Goal] = field(default_factory=list)


@dataclass
class Priority:
    """``ПРИОРИТЕТ N.``: one of the programme's top-level priorities."""

    number: int
    line: int
    title: str
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Outline:
    """The whole report as a tree."""

    title: str
    priorities: list[Priority] = field(default_factory=list)

    def goals(self) -> list[tuple[Priority, Measure, Goal]]:
        """Every goal with its priority and measure, in document order."""
        return [(p, m, g) for p in self.priorities for m in p.measures for g in m.goals]


def _clean(text: str) -> str:
    """Collapse runs of white space; the report has stray double spaces and tabs."""
    return re.sub(r"\s+", " ", text).strip()


def parse_outline(text: str) -> Outline:
    """Parse the report text into an `Outline`; raise `ReportError` if it has no structure."""
    lines = text.splitlines()
    outline = Outline(title="")
    priority: Priority | None = None
    measure: Measure | None = None
    goal: Goal | None = None
    prev_blank = True
    prev_kind = "blank"  # blank | priority | measure | goal | note | other
    for idx, raw in enumerate(lines):
        number = idx + 1
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            if prev_kind in ("priority", "measure"):
                prev_kind = "blank"
            continue
        m_pri = _PRIORITY.match(raw)
        m_mea = _MEASURE.match(raw)
        if m_pri:
            priority = Priority(int(m_pri.group(1)), number, _clean(m_pri.group(2)))
            outline.priorities.append(priority)
            measure, goal, prev_kind, prev_blank = None, None, "priority", False
            continue
        if m_mea:
            if priority is None:
                raise ReportError(f"line {number}: measure before any ПРИОРИТЕТ heading")
            code = f"{m_mea.group(1)}.{m_mea.group(2)}"
            measure = Measure(code, number, _clean(m_mea.group(3)))
            priority.measures.append(measure)
            goal, prev_kind, prev_blank = None, "measure", False
            continue
        if prev_kind == "priority" and priority is not None and stripped.isupper():
            priority.title = f"{priority.title} {_clean(stripped)}"
            continue
        if measure is None:
            if priority is None and not outline.title:
                outline.title = _clean(stripped)
            prev_blank = False
            continue
        indented = raw[:1] in ("\t", " ")
        bullet = bool(_BULLET.match(raw))
        starts_lower = stripped[:1].islower()
        if goal is not None and prev_kind == "goal" and not bullet and starts_lower and not indented:
            # A goal title broken over two lines ("... с" / "цел подобряване ...").
            goal.text = f"{goal.text} {_clean(stripped)}"
            prev_blank = False
            continue
        next_raw = lines[idx + 1] if idx + 1 < len(lines) else ""
        new_goal = (
            indented
            and not bullet
            and (
                prev_blank
                or goal is None
                # A heading glued to the previous note: " \tОсигуряване ..." then "\tБроят ...".
                or (prev_kind == "note" and raw.startswith(" \t") and next_raw.startswith("\t"))
            )
        )
        if new_goal:
            goal = Goal(number, _clean(stripped))
            measure.goals.append(goal)
            prev_kind, prev_blank = "goal", False
            continue
        body = _clean(_BULLET.sub("", raw, count=1)) if bullet else _clean(stripped)
        if not body:
            prev_blank = False
            continue
        if goal is None:
            goal = Goal(number, body)
            measure.goals.append(goal)
            prev_kind, prev_blank = "goal", False
            continue
        last = goal.notes[-1] if goal.notes else None
        if (
            last is not None
            and not bullet
            and starts_lower
            and not _TERMINAL.search(last.text)
            and not prev_blank
        ):
            last.line_starts.append((len(last.text) + 1, number))
            last.text = f"{last.text} {body}"
        else:
            goal.notes.append(Note(number, body, bullet, [(0, number)]))
        prev_kind, prev_blank = "note", False
    if not outline.priorities or not any(p.measures for p in outline.priorities):
        raise ReportError("no ПРИОРИТЕТ / Мярка structure found: is this the programme report?")
    return outline
