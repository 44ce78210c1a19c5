"""Stage 5 of extraction: a decided work → its `works.model.WorkRecord`.

Why here: the record's title, key and fields are written in one place, so the stable ``key``
(``works.keys``) is computed from the same words for every kind of work — a place of a
sentence, a place-less sentence, a goal line. How titles are worded is in
`rules/sentences.toml` under ``[title]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.decisions import WorkDecision
from extraction.lexicon import load_rules, rule_pattern, rule_text
from extraction.outline import Goal, Measure, Priority
from extraction.places import PlaceMention, normalise_quotes
from extraction.rules import status_cues, work_noun
from works.keys import work_key
from works.model import Category, Place, Status, StatusScope, WorkRecord

__all__ = ["GoalRef", "WorkDraft", "build_record", "goal_title", "place_key", "short"]


@dataclass(frozen=True)
class GoalRef:
    """Where a work stands in the outline: its priority, measure and goal."""

    priority: Priority
    measure: Measure
    goal: Goal


@dataclass
class WorkDraft:
    """Everything a record is made from.

    ``source_text`` is the text the record cites; ``anchor`` the text its key is computed from
    (default: ``source_text``; a goal record's is its goal line). ``name`` is an initiative's
    or a sentence's own title; None means "title it from its work noun and first place".
    """

    places: list[PlaceMention]
    decision: WorkDecision
    line: int
    source_text: str
    districts: list[str]
    name: str | None = None
    end_line: int = 0
    anchor: str = ""
    categories: list[str] = field(default_factory=list)
    #: What names the work in its anchor for its key when its ``name`` is a title made from the
    #: anchor itself (a sentence's or a goal's): "" — so a better title never changes the key.
    key_name: str | None = None

    @property
    def subject(self) -> list[str]:
        """What the work is in its text: its place labels and the name the text gives it
        (an initiative's title), never a title the rules made (``works.keys``)."""
        own = (self.name or "") if self.key_name is None else self.key_name
        return [*(p.display for p in self.places), own]


def _template(name: str) -> str:
    """A title template of ``[title]`` in `rules/sentences.toml` ("{noun} на {place}")."""
    return rule_text("sentences", "title", name)


def short(text: str, limit: int = 110) -> str:
    """A text cut at a word before `limit` characters, as a title ("…" marks the cut)."""
    text = text.strip().rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


def _title(noun: str | None, place: PlaceMention) -> str:
    """A place's work as a title: "Ремонт на ул. „Кукуш“", "Видеонаблюдение – парк „Лаута“"."""
    label = place.display or place.name
    if place.between:
        label = _template("segment_from").format(place=label, start=place.between[0]) + (
            _template("segment_to").format(end=place.between[1]) if len(place.between) > 1 else ""
        )
    if noun is None:
        return label[:1].upper() + label[1:]
    dash_nouns: list[str] = load_rules("sentences")["title"]["dash_nouns"]
    template = "work_dash_place" if noun in dash_nouns else "work_on_place"
    return _template(template).format(noun=noun, place=label)


def thing_at_place(before: str) -> str | None:
    """The work's own words before a place that only locates it, its stage words dropped:
    "…, обособен е терен за парк на мястото на бившата " → "Терен за парк на мястото на бившата".
    None when the place is the work's object (no locative before it) or no thing is named."""
    segment = re.split(r"[,;:]", before)[-1]
    if not rule_pattern("sentences", "title", "locative", True).search(segment):
        return None
    aux = set(load_rules("sentences")["title"]["aux"])
    text = segment.strip()
    while text:
        first = text.split(maxsplit=1)
        cue = next((c for c in status_cues(text) if c.start == 0), None)
        if cue is not None:
            text = text[cue.end :].strip()
        elif first[0].casefold() in aux:
            text = first[1].strip() if len(first) > 1 else ""
        else:
            break
    if rule_pattern("sentences", "title", "not_thing", True).match(text):
        return None
    words = text.split()
    limit = int(load_rules("sentences")["title"]["thing_words"])
    thing = rule_pattern("sentences", "title", "locative", True).sub("", text).split()
    if not thing or len(words) > limit or not any(len(w) >= 3 and w.isalpha() for w in thing):
        return None
    return text[:1].upper() + text[1:]


def goal_title(goal: str) -> str:
    """A goal line as a record title: its project name „…“ when it has one, else the line."""
    m = rule_pattern("sentences", "title", "goal_project").search(goal)
    return _template("goal_project_title").format(name=m.group(1).strip()) if m else short(goal)


def place_key(places: list[PlaceMention] | list[Place]) -> tuple[str, ...]:
    """Places compared as the same work: names, segment ends and block streets, case and dashes
    folded ("Марица-север" = "Марица – север", "Златна Панега" = "Златна панега")."""
    parts: list[str] = []
    for p in places:
        place = p.to_place() if isinstance(p, PlaceMention) else p
        for value in [place.name, *place.between, *place.streets]:
            parts.append(re.sub(r"[\s–-]+", "", normalise_quotes(value)).casefold())
    return tuple(sorted(parts))


def build_record(draft: WorkDraft, where: GoalRef) -> WorkRecord:
    """The record of a draft whose categories are decided (its id is set for the whole report).

    A list item's stage is decided with its list's (`projects`); it is planned until then.
    """
    decision = draft.decision
    name = draft.name
    if name is None:
        thing = thing_at_place(decision.noun_texts[0]) if draft.places and decision.noun_texts else None
        if thing is not None:
            name = f"{thing} {draft.places[0].display or draft.places[0].name}"
        else:
            noun = work_noun(*decision.noun_texts)
            name = _title(noun, draft.places[0]) if draft.places else short(where.goal.text)
    status = decision.status
    return WorkRecord(
        key=work_key(draft.anchor or draft.source_text, draft.subject),
        id="",
        name=name,
        categories=[Category(c) for c in draft.categories],
        status=Status(status.status or Status.PLANNED),
        priority=where.priority.number,
        measure=where.measure.code,
        goal=where.goal.text,
        goal_line=where.goal.line,
        source_line=draft.line,
        source_text=draft.source_text,
        status_evidence=status.evidence,
        status_scope=StatusScope(status.scope),
        places=[p.to_place() for p in draft.places],
        districts=draft.districts,
        city_wide=not draft.places and not draft.districts,
        source_line_end=max(draft.line, draft.end_line),
    )
