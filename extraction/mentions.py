"""Stage 2 of extraction: a sentence → the works it names (one typed `Mention` list).

Why one list: a sentence names its works in several ways — a place (`ул. „Кукуш“`), a named
initiative (кампанията „Книги за смет“), a common-noun work (Център за обучение на диабетици),
an "от Y до Z" pair that belongs to the road of its goal, a facility written bare because the
report names it elsewhere. The later stages (clauses, decisions, records) treat them alike, so
this stage resolves all of them, in text order, before any status or category is decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.lexicon import load_rules, rule_pattern
from extraction.outline import Outline
from extraction.places import (
    OBJECT_KINDS,
    ROAD_KINDS,
    PlaceMention,
    find_common_works,
    find_initiatives,
    find_places,
)
from extraction.rules import decide_categories, is_not_work, status_cues
from extraction.sentences import Sentence

__all__ = [
    "Facilities",
    "GoalContext",
    "Mention",
    "SentenceMentions",
    "find_mentions",
    "goal_context",
    "named_facilities",
]

#: Single-word facility names → the facilities the report names so, with their type word.
Facilities = dict[str, list[PlaceMention]]


@dataclass(frozen=True)
class GoalContext:
    """What a goal line says that its sentences' works depend on.

    ``places`` are all the goal line's places; ``objects`` those that are work sites;
    ``road`` the first road it names, which an "от Y до Z" pair with no road of its own belongs
    to ("Доизграждане на бул. „Северен“" … "документация от бул. Брезовско шосе до ул. Победа").
    """

    text: str
    measure: str
    places: list[PlaceMention]
    objects: list[PlaceMention]
    road: PlaceMention | None


@dataclass(frozen=True)
class Mention:
    """One work a sentence names.

    ``found`` is the words naming it: a place, or an initiative or common-noun work (kind
    ``initiative``, no place of its own). ``host`` is the place a common-noun work stands at
    ("Център за временно настаняване … на ул. „Мортагон“"): the record's place, not a work.
    """

    found: PlaceMention
    host: PlaceMention | None = None

    @property
    def start(self) -> int:
        """Where the work's words start in the sentence (a hosted work: its own words)."""
        return self.found.start

    @property
    def end(self) -> int:
        """Where the work's words end in the sentence."""
        return self.found.end

    @property
    def is_initiative(self) -> bool:
        """Is it a work named without a place (a named initiative or a common-noun work)?"""
        return self.found.kind == "initiative"

    @property
    def places(self) -> list[PlaceMention]:
        """The record's places: the host, else the place itself (an initiative has none)."""
        if self.host is not None:
            return [self.host]
        return [] if self.is_initiative else [self.found]

    @property
    def name(self) -> str | None:
        """An initiative's own name (its title); a place's work is titled later, from its noun."""
        return self.found.display if self.is_initiative else None


@dataclass(frozen=True)
class SentenceMentions:
    """The works of one sentence, in text order, and the districts it names.

    ``not_work`` marks a sentence about taking part in another body's conference or network
    (labelling guide §5.1) whose works are all initiatives: it makes no record.
    """

    sentence: Sentence
    works: list[Mention]
    districts: list[PlaceMention]
    not_work: bool

    @property
    def district_names(self) -> list[str]:
        """The districts the sentence names, each once, in text order."""
        return list(dict.fromkeys(d.name for d in self.districts))


def _pattern(key: str) -> re.Pattern[str]:
    """A pattern of ``[mention]`` in `rules/sentences.toml`: the special cases are written there."""
    return rule_pattern("sentences", "mention", key)


def goal_context(text: str, measure: str) -> GoalContext:
    """The places of a goal line: all of them, its work sites, and its road."""
    places = find_places(text)
    roads = [p for p in places if p.kind in ROAD_KINDS and p.role == "object"]
    objects = [p for p in places if p.kind in OBJECT_KINDS and p.role == "object"]
    return GoalContext(text, measure, places, objects, roads[0] if roads else None)


def named_facilities(outline: Outline) -> Facilities:
    """Single-word facility names the report writes with a type word somewhere (ДГ „Каменица“)."""
    kinds: list[str] = load_rules("sentences")["mention"]["remembered_kinds"]
    known: Facilities = {}
    for _, _, goal in outline.goals():
        for text in [goal.text, *(n.text for n in goal.notes)]:
            for pm in find_places(text):
                if pm.kind in kinds and " " not in pm.name:
                    if all(k.kind != pm.kind for k in known.get(pm.name, [])):
                        known.setdefault(pm.name, []).append(pm)
    return known


def _remembered(text: str, goal: GoalContext, known: Facilities) -> list[PlaceMention]:
    """A facility the report named with its type elsewhere, written bare at a sentence start.

    "Каменица се строи." follows a list of kindergartens; the report names ДГ „Каменица“ in
    another measure (and парк „Каменица“ in a third), so the kind whose category the goal
    shares is taken.
    """
    m = _pattern("bare_name").match(text)
    if not m or m.group(1) not in known:
        return []
    goal_cats = set(decide_categories(goal.text, [], "", goal.measure))
    for cand in known[m.group(1)]:
        if set(decide_categories("", [cand.kind], "", "")) & goal_cats:
            return [PlaceMention(cand.name, cand.kind, 0, m.end(1), cand.display, surface=m.group(1))]
    return []


def _resolve_endpoints(pm: PlaceMention, goal: GoalContext) -> PlaceMention:
    """An "от Y до Z" pair with no road before it belongs to the goal's road."""
    if pm.role != "endpoint":
        return pm
    if pm.between and goal.road is not None:
        road = goal.road
        return PlaceMention(
            road.name, road.kind, pm.start, pm.end, road.display, between=[pm.display, *pm.between]
        )
    pm.role = "object"
    return pm


def _overlaps(a: PlaceMention, b: PlaceMention) -> bool:
    return a.start < b.end and b.start < a.end


def _common_works(
    text: str, objects: list[PlaceMention]
) -> tuple[list[PlaceMention], dict[int, PlaceMention]]:
    """The common-noun works of a sentence that states a stage, beside its other `objects`.

    A place in the work's own clause is where it is ("Център за временно настаняване … на
    ул. „Мортагон“"), and so is the place a sentence opens with ("В ДКЦ II са разкрити
    Център за …, Център за …"): neither is a work of its own. Returns the works and a map
    giving each such work (by id) its host place.
    """
    if not status_cues(text):
        return [], {}
    works = [w for w in find_common_works(text) if not any(_overlaps(o, w) for o in objects)]
    places = [o for o in objects if o.kind != "initiative"]
    hosts: dict[int, PlaceMention] = {}
    for w in works:
        own = next(
            (o for o in places if o.start >= w.end and not re.search(r"[,;]", text[w.end : o.start])), None
        )
        if own is not None:
            hosts[id(w)] = own
    opener_re = _pattern("opener")
    opener = next((o for o in places if opener_re.fullmatch(text[: o.start])), None)
    if opener is not None and works and len(places) == 1:
        hosts.update({id(w): opener for w in works if id(w) not in hosts})
    return works, hosts


def find_mentions(sentence: Sentence, goal: GoalContext, known: Facilities) -> SentenceMentions:
    """The works of `sentence`: places, initiatives and common-noun works, in text order.

    A place that hosts a common-noun work is that work's place, not a work of its own; a named
    initiative or common-noun work overlapping a place is that place.
    """
    text = sentence.text
    found = find_places(text) or _remembered(text, goal, known)
    districts = [m for m in found if m.kind == "district"]
    objects = [
        _resolve_endpoints(m, goal)
        for m in found
        if m.kind in OBJECT_KINDS and m.role in ("object", "endpoint")
    ]
    objects += [i for i in find_initiatives(text) if not any(_overlaps(o, i) for o in objects)]
    works, hosts = _common_works(text, objects)
    objects += works
    # Compared by value, as before: a place equal to a host is the host.
    host_places = list(hosts.values())
    objects = [o for o in objects if o not in host_places]
    objects.sort(key=lambda o: o.start)
    mentions = [Mention(o, hosts.get(id(o))) for o in objects]
    not_work = is_not_work(text) and all(m.is_initiative for m in mentions)
    return SentenceMentions(sentence, mentions, districts, not_work)
