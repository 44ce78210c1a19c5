"""Turn the outline into project records: one per concrete piece of work.

Granularity (the register's contract):

* every work-place a progress sentence names gives its own record — a list of camera
  locations gives one record per location, nine kindergartens at nine stages give nine
  records, three streets at three stages give three records;
* a segment (`ул. X от Y до Z`), a block (`карето A – B – C – D`) or a junction is one record;
* "от Y до Z" with no street before it belongs to the road the goal names
  ("Доизграждане на бул. „Северен“" … "документация от бул. Брезовско шосе до ул. Победа");
* a goal whose notes name no place gives records for the places of the goal line (one record
  when the goal names a single project „…“), else one city-wide record;
* the status comes from the clause naming the work, then its sentence, paragraph and goal
  notes (see `rules/status.toml`); categories from `rules/categories.toml`;
* the same sentence naming the same place twice is one record; the same work in two
  measures stays two records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.outline import Goal, Measure, Note, Outline, Priority
from extraction.places import (
    OBJECT_KINDS,
    ROAD_KINDS,
    PlaceMention,
    find_common_works,
    find_initiatives,
    find_places,
    normalise_quotes,
)
from extraction.rules import (
    StatusDecision,
    category_cues,
    decide_categories,
    decide_status,
    is_locator,
    is_not_work,
    status_cues,
    work_noun,
)
from extraction.sentences import split_sentences
from extraction.years import stated_years
from works.keys import unique_keys, work_key
from works.model import Category, Place, Status, StatusScope, WorkRecord


@dataclass
class _Sentence:
    line: int
    text: str
    paragraph: str
    end_line: int = 0
    #: The first sentence of a bulleted note: one item of a list of activities.
    bullet_item: bool = False


def _title(noun: str | None, place: PlaceMention) -> str:
    label = place.display or place.name
    if place.between:
        label = f"{label} от {place.between[0]}" + (
            f" до {place.between[1]}" if len(place.between) > 1 else ""
        )
    if noun is None:
        return label[:1].upper() + label[1:]
    return (
        f"{noun} – {label}" if noun in ("Видеонаблюдение", "Еднопосочно движение") else f"{noun} на {label}"
    )


def _goal_title(goal: str) -> str:
    """A goal line as a record title: its project name „…“ when it has one, else the line."""
    m = re.search(r"проект[а]?\s*[„\"“]([^“\"”]+)", goal)
    return f"Проект „{m.group(1).strip()}“" if m else _short(goal)


def _short(text: str, limit: int = 110) -> str:
    text = text.strip().rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


def _note_sentences(note: Note) -> list[_Sentence]:
    """The sentences of a note, each with the report lines it starts and ends on."""
    out, pos = [], 0
    for i, text in enumerate(split_sentences(note.text)):
        start = note.text.find(text, pos)
        start = start if start >= 0 else pos
        pos = start + len(text)
        end_line = note.line_at(max(start, pos - 1))
        out.append(_Sentence(note.line_at(start), text, note.text, end_line, note.bullet and i == 0))
    return out


def _own_clause(after: str, before: str) -> tuple[str, str]:
    """The parts of the text around a listed work that are its own.

    The text between two listed works splits at its comma (or colon): in "X – готов, Y – се
    строи" X owns "– готов"; in "Изграден е парк X, ремонтиран е Y" Y owns "ремонтиран е".
    """
    parts = re.split(r"[,;:]", before)
    own_before = parts[-1]
    if len(parts) > 1 and re.match(r"\s*както и\b", own_before):
        # "подмяна на водопроводни клонове, както и преасфалтиране в кв. X": both are done at X.
        own_before = f"{parts[-2]},{own_before}"
    own_after, *rest = re.split(r"(?=[,;:])", after)
    if re.match(r"\s*(?:с|със)\s", own_after):
        # "пл. X с нова детска площадка, спортно игрище и паркинг, …": the features listed
        # after "с" are the work's own, up to the next clause that states a stage.
        for part in rest:
            if not part.startswith(",") or status_cues(part):
                break
            own_after += part
    return own_after, own_before


def _run_after(text: str, objects: list[PlaceMention], i: int) -> str:
    """The status text after a list of works that shares it ("ДГ A и двете нови ДГ … има избран
    изпълнител"): the own text after the last work of the run that starts at `i`."""
    j = i
    while j + 1 < len(objects) and not status_cues(text[objects[j].end : objects[j + 1].start]):
        j += 1
    nxt = objects[j + 1].start if j + 1 < len(objects) else len(text)
    return _own_clause(text[objects[j].end : nxt], "")[0]


class _GoalBuilder:
    """Collects the records of one goal."""

    def __init__(
        self, priority: Priority, measure: Measure, goal: Goal, seen: set[tuple[str, str]] | None = None
    ) -> None:
        self.priority, self.measure, self.goal = priority, measure, goal
        self.notes_text = " ".join(n.text for n in goal.notes)
        self.goal_places = find_places(goal.text)
        roads = [p for p in self.goal_places if p.kind in ROAD_KINDS and p.role == "object"]
        self.goal_objects = [p for p in self.goal_places if p.kind in OBJECT_KINDS and p.role == "object"]
        self.goal_road = roads[0] if roads else None
        self.sentences = [sent for n in goal.notes for sent in _note_sentences(n)]
        self.records: list[WorkRecord] = []
        self.place_records = 0
        self._last_sentence_record: tuple[WorkRecord, str] | None = None
        self._seen: set[tuple[str, str]] = seen if seen is not None else set()

    def _scopes(
        self, clause_after: str, clause_before: str, sent: _Sentence, run_after: str = ""
    ) -> list[tuple[str, str]]:
        # The text between two listed works splits at its comma: "X – готов, Y – се строи"
        # gives X "– готов"; "Изграден е парк X, ремонтиран е Y" gives Y "ремонтиран е".
        own_after, own_before = _own_clause(clause_after, clause_before)
        return [
            ("clause", own_after),
            ("clause", own_before),
            ("clause", run_after),
            ("clause", clause_before),
            ("clause", clause_after),
            ("sentence", sent.text),
            ("paragraph", sent.paragraph),
            ("goal", self.notes_text),
        ]

    def _add(
        self,
        place_list: list[PlaceMention],
        decision: StatusDecision,
        clause: str,
        line: int,
        source_text: str,
        districts: list[str],
        noun_texts: tuple[str, ...],
        context: str = "",
        name: str | None = None,
        end_line: int = 0,
        locator: bool = False,
        anchor: str = "",
    ) -> None:
        """Record one work, unless the same words already made it (see ``works.keys``).

        ``anchor`` is the text the work is stated in (default: ``source_text``); with the
        work's places or name it makes the stable ``key``.
        """
        subject = [*(p.display for p in place_list), name or ""]
        seen = (source_text, "|".join(subject))
        if seen in self._seen:
            return
        self._seen.add(seen)
        # A place that only locates the work ("паркинг до спортна зала …") says nothing of what it is.
        place_text = "" if locator else " ".join(p.display for p in place_list)
        kinds = [] if locator else [p.kind for p in place_list]
        # A place-less activity of a list under a goal is not the goal: the goal's words say what
        # the activities are for ("… кампании, стратегии …"), so only the measure's default fills in.
        goal_text = self.goal.text if (place_list or name is None) else ""
        cats = decide_categories(clause, kinds, goal_text, self.measure.code, context, place_text)
        if place_list and name is None and self._restated(place_list, cats, bool(category_cues(clause))):
            return
        noun = work_noun(*noun_texts)
        if name is None:
            name = _title(noun, place_list[0]) if place_list else _short(self.goal.text)
        if place_list:
            self.place_records += 1
        self.records.append(
            WorkRecord(
                key=work_key(anchor or source_text, subject),
                id="",
                name=name,
                categories=[Category(c) for c in cats],
                # A list item's stage is decided with its list's (`finish`); planned until then.
                status=Status(decision.status or Status.PLANNED),
                priority=self.priority.number,
                measure=self.measure.code,
                goal=self.goal.text,
                goal_line=self.goal.line,
                source_line=line,
                source_text=source_text,
                status_evidence=decision.evidence,
                status_scope=StatusScope(decision.scope),
                places=[p.to_place() for p in place_list],
                districts=districts,
                city_wide=not place_list and not districts,
                source_line_end=max(line, end_line),
            )
        )

    def _restated(self, place_list: list[PlaceMention], cats: list[str], own_words: bool) -> bool:
        """Is this the same work as an earlier record of the goal: the same places, and the same
        categories or no words of its own to say it is another work?

        A note that lists the one-way streets and then lists them again ("… бул. „Марица-север“ в
        участъка от ул. „Карловска“ до „Златна Панега“ …; … по бул. „Марица – север“ в участъка от
        улица „Карловска“ до „Златна панега“") names one work twice; the first mention stays.
        """
        mine = _place_key(place_list)
        return any(
            r.places and _place_key(r.places) == mine and (r.categories == cats or not own_words)
            for r in self.records
        )

    def _remembered(self, text: str, known: dict[str, list[PlaceMention]]) -> list[PlaceMention]:
        """A facility the report named with its type elsewhere, written bare at a sentence start.

        "Каменица се строи." follows a list of kindergartens; the report names ДГ „Каменица“ in
        another measure (and парк „Каменица“ in a third), so the kind whose category the goal
        shares is taken.
        """
        m = re.match(r"([А-Я][а-я]+)\s", text)
        if not m or m.group(1) not in known:
            return []
        goal_cats = set(decide_categories(self.goal.text, [], "", self.measure.code))
        for cand in known[m.group(1)]:
            if set(decide_categories("", [cand.kind], "", "")) & goal_cats:
                return [PlaceMention(cand.name, cand.kind, 0, m.end(1), cand.display, surface=m.group(1))]
        return []

    def _resolve_endpoints(self, pm: PlaceMention) -> PlaceMention:
        """An "от Y до Z" pair with no road before it belongs to the goal's road."""
        if pm.role != "endpoint":
            return pm
        if pm.between and self.goal_road is not None:
            host = PlaceMention(
                self.goal_road.name,
                self.goal_road.kind,
                pm.start,
                pm.end,
                self.goal_road.display,
                between=[pm.display, *pm.between],
            )
            return host
        pm.role = "object"
        return pm

    def from_sentence(self, sent: _Sentence, districts: list[str], previous_text: str = "") -> None:
        """A sentence naming no place but a work with a stage ("Подменени са 1913 тела с LED").

        A sentence that names no work of its own ("Почти на 80% е реализирана") continues the
        sentence before it: it joins that record, and the stage is weighed over both.
        """
        prev = self._last_sentence_record
        if (
            prev is not None
            and prev[1] == sent.paragraph
            and len(sent.text.split()) <= 15  # a short status remark, not a new statement
            and not (category_cues(sent.text) or work_noun(sent.text))
        ):
            rec = prev[0]
            rec.source_text = f"{rec.source_text} {sent.text}"
            decision = decide_status([("sentence", rec.source_text), ("paragraph", sent.paragraph)])
            rec.status, rec.status_evidence = Status(decision.status), decision.evidence
            rec.status_scope = StatusScope(decision.scope)
            rec.districts = list(dict.fromkeys([*rec.districts, *districts]))
            rec.city_wide = not rec.districts
            return
        if sent.text.rstrip().endswith(":") and not (category_cues(sent.text) or work_noun(sent.text)):
            # "Въведени бяха следните мерки, а именно:" leads a list and says no more of what:
            # its items are the works, and they take its stage (see `finish`).
            return
        cues = status_cues(sent.text)
        if not cues or (all(c.weak for c in cues) and not (category_cues(sent.text) or work_noun(sent.text))):
            if not sent.bullet_item or len(sent.text.split()) < 4:
                return  # no stage, or only "предстои" with nothing to say what
            # A bulleted item of a list of activities is a work even when its verb is not a cue
            # ("- подкрепи Посолството …"): it takes the stage its list states (see `finish`).
            decision = StatusDecision("", "", "list")
        else:
            decision = decide_status([("sentence", sent.text), ("paragraph", sent.paragraph)])
        clause = sent.text
        if not category_cues(clause) and _BACK_REFERENCE.search(clause):
            clause = f"{clause} {previous_text}"  # "стартира същия проект …": the one before
        self._add(
            [],
            decision,
            clause,
            sent.line,
            sent.text,
            districts,
            (),
            name=_short(sent.text),
            end_line=sent.end_line,
        )
        self._last_sentence_record = (self.records[-1], sent.paragraph)

    def finish(self) -> None:
        """Give each bulleted item that states no stage the stage of the list around it.

        A list continues the item before it ("- Подписан е Меморандум с Община Бургас; - Меморандум
        с Община София"): the nearest earlier record of the goal with a stated stage decides, else
        the nearest later one, else the goal's notes, else the rules' default.
        """
        stated = [i for i, r in enumerate(self.records) if r.status_scope != "list" and r.status_evidence]
        goal: StatusDecision | None = None
        for i, rec in enumerate(self.records):
            if rec.status_scope != "list":
                continue
            near = next((j for j in reversed(stated) if j < i), None)
            if near is None:
                near = next((j for j in stated if j > i), None)
            if near is not None:
                rec.status, rec.status_evidence = self.records[near].status, ""
                continue
            goal = goal or decide_status([("goal", self.notes_text)])
            rec.status, rec.status_evidence = Status(goal.status), goal.evidence
            rec.status_scope = StatusScope.LIST if goal.evidence else StatusScope.DEFAULT

    def _continue_previous(self, sent: _Sentence, previous: list[WorkRecord]) -> bool:
        """A place-less sentence that points back ("За нея има договор.") adds to the work before.

        Its stage is weighed with the stage phrase of the last work of the sentence before:
        "се очаква да стартира строителството … (Съдийски). За нея има договор." is procurement.
        """
        if not previous or not _ANAPHORA.match(sent.text):
            return False
        cues = status_cues(sent.text)
        if not any(not c.weak for c in cues):
            return False
        rec = previous[-1]
        decision = decide_status([("sentence", f"{rec.status_evidence} {sent.text}")])
        rec.status, rec.status_evidence = Status(decision.status), decision.evidence
        rec.status_scope = StatusScope.SENTENCE
        rec.source_text = f"{rec.source_text} {sent.text}"
        rec.source_line_end = max(rec.source_line_end, sent.end_line)
        return True

    def from_notes(self, known: dict[str, list[PlaceMention]]) -> None:
        previous: list[WorkRecord] = []  # the records of the sentence before, for pronouns
        previous_text = ""
        for sent in self.sentences:
            made = len(self.records)
            self._notes_sentence(sent, known, previous, previous_text)
            previous, previous_text = self.records[made:], sent.text

    def _notes_sentence(
        self,
        sent: _Sentence,
        known: dict[str, list[PlaceMention]],
        previous: list[WorkRecord],
        previous_text: str,
    ) -> None:
        """The records of one progress sentence: its places, initiatives and common-noun works."""
        mentions = find_places(sent.text) or self._remembered(sent.text, known)
        named = [m for m in mentions if m.kind == "district"]
        districts = list(dict.fromkeys(m.name for m in named))
        objects = [
            self._resolve_endpoints(m)
            for m in mentions
            if m.kind in OBJECT_KINDS and m.role in ("object", "endpoint")
        ]
        # Named initiatives that do not overlap a place are works too (no place of their own).
        objects += [
            i
            for i in find_initiatives(sent.text)
            if not any(o.start < i.end and i.start < o.end for o in objects)
        ]
        works, hosts = self._common_works(sent.text, objects)
        objects += works
        objects = [o for o in objects if o not in hosts.values()]
        objects.sort(key=lambda o: o.start)
        text = sent.text
        if is_not_work(text) and all(o.kind == "initiative" for o in objects):
            # Taking part in another body's conference or network (labelling guide §5.1).
            self._last_sentence_record = None
            return
        if objects:
            self._last_sentence_record = None
        if not objects and self._continue_previous(sent, previous):
            return
        if not objects and not self.goal_objects and len(self.sentences) > 1:
            # A place-less sentence under a goal that names places speaks of those places:
            # the goal record covers it. Under a place-less goal it is a work of its own —
            # unless it is the goal's only sentence, which just reports the goal's stage.
            self.from_sentence(sent, districts, previous_text)
        for i, obj in enumerate(objects):
            nxt = objects[i + 1].start if i + 1 < len(objects) else len(text)
            prv = objects[i - 1].end if i > 0 else 0
            after, before = text[obj.end : nxt], text[prv : obj.start]
            if len(objects) == 1:
                # One work in the sentence: the whole sentence speaks of it, so its cues are
                # weighed together ("Проведен дебат …, изготвено е задание за проект").
                decision = decide_status(self._scopes("", "", sent)[-3:])
            else:
                decision = decide_status(self._scopes(after, before, sent, _run_after(text, objects, i)))
            own_after, own_before = _own_clause(after, before)
            clause = f"{own_before} {own_after}"
            if not category_cues(f"{clause} {obj.display}"):
                clause = f"{before} {after}"
            if len(objects) > 1 and not category_cues(f"{clause} {obj.display}"):
                # A listed place with no words of its own shares the list's lead: "терени за
                # буферни паркинги – до …, на ул. „4 януари“, на кръстовището …".
                clause = f"{text[: objects[0].start]} {clause}"
            if not category_cues(clause) and _ANAPHORA.match(text):
                # "Тя ще обхваща булевардите …": the sentence before says what "тя" is.
                clause = f"{clause} {re.split(r'[,;:]', previous_text)[0]}"
            if not category_cues(text) and not category_cues(clause):
                clause = (
                    f"{clause} {self.goal.text}"  # the sentence only reports progress: the goal says what
                )
            if obj.kind == "initiative":
                clause = f"{obj.display} {clause}"  # "Доклад „…“", "Център за видеонаблюдение"
            host = hosts.get(id(obj))
            self._add(
                [host] if host else [] if obj.kind == "initiative" else [obj],
                decision,
                clause,
                sent.line,
                text,
                _own_districts(obj, named, prv, nxt, objects[0].start),
                (before, after, text[: obj.start]),
                text[: obj.start],
                name=obj.display if obj.kind == "initiative" else None,
                end_line=sent.end_line,
                locator=host is not None or (is_locator(text[: obj.start]) and bool(category_cues(clause))),
            )

    def _common_works(
        self, text: str, objects: list[PlaceMention]
    ) -> tuple[list[PlaceMention], dict[int, PlaceMention]]:
        """The common-noun works of a sentence that states a stage, beside its other `objects`.

        A place in the work's own clause is where it is ("Център за временно настаняване … на
        ул. „Мортагон“"), and so is the place a sentence opens with ("В ДКЦ II са разкрити
        Център за …, Център за …"): neither is a work of its own. Returns the works and a map
        giving each such work (by id) its host place; the caller adds the works to its objects and
        drops the hosts from them.
        """
        if not status_cues(text):
            return [], {}
        works = [
            w
            for w in find_common_works(text)
            if not any(o.start < w.end and w.start < o.end for o in objects)
        ]
        places = [o for o in objects if o.kind != "initiative"]
        hosts: dict[int, PlaceMention] = {}
        for w in works:
            own = next(
                (o for o in places if o.start >= w.end and not re.search(r"[,;]", text[w.end : o.start])),
                None,
            )
            if own is not None:
                hosts[id(w)] = own
        opener = next((o for o in places if re.fullmatch(r"\s*[Вв]ъ?\s*", text[: o.start])), None)
        if opener is not None and works and len(places) == 1:
            hosts.update({id(w): opener for w in works if id(w) not in hosts})
        return works, hosts

    def from_goal(self) -> None:
        """The notes name no place: records from the goal line (or one city-wide record)."""
        objects = self.goal_objects
        districts = list(
            dict.fromkeys(
                [p.name for p in self.goal_places if p.kind == "district"]
                + [m.name for s in self.sentences for m in find_places(s.text) if m.kind == "district"]
            )
        )
        decision = decide_status([("sentence", s.text) for s in self.sentences] + [("goal", self.notes_text)])
        line = next(
            (s.line for s in self.sentences if decision.evidence and decision.evidence in s.text),
            self.sentences[0].line if self.sentences else self.goal.line,
        )
        source = next((s.text for s in self.sentences if s.line == line), self.notes_text)
        source_text = f"{self.goal.text} — {source}"
        if objects:
            # A goal line is one work, however many places it names ("пътна връзка между …").
            # Named by the goal line itself: it is the work's title ("пътна връзка между …").
            self._add(
                objects,
                decision,
                self.goal.text,
                line,
                source_text,
                districts,
                (self.goal.text,),
                name=_goal_title(self.goal.text),
                anchor=self.goal.text,
            )
        else:
            self._add(
                [],
                decision,
                f"{self.goal.text} {self.notes_text}",
                line,
                source_text,
                districts,
                (),
                anchor=self.goal.text,
            )


#: A sentence that opens by pointing back at the work before ("Тя …", "За нея …").
_ANAPHORA = re.compile(r"(?:(?:За|С|В|От|При)\s+)?(?:нея|него|тях|тя|той|то|те)\b", re.IGNORECASE)


def _place_key(places: list[PlaceMention] | list[Place]) -> tuple[str, ...]:
    """Places compared as the same work: names, segment ends and block streets, case and dashes
    folded ("Марица-север" = "Марица – север", "Златна Панега" = "Златна панега")."""
    parts: list[str] = []
    for p in places:
        place = p.to_place() if isinstance(p, PlaceMention) else p
        for value in [place.name, *place.between, *place.streets]:
            parts.append(re.sub(r"[\s–-]+", "", normalise_quotes(value)).casefold())
    return tuple(sorted(parts))


#: Words that refer to the work of the sentence before ("същия проект", "тази кампания").
_BACK_REFERENCE = re.compile(r"\b(?:същ(?:ия|ият|ата|ото|ите)|този|тази|това|тези)\b", re.IGNORECASE)


def _own_districts(
    obj: PlaceMention, named: list[PlaceMention], prv: int, nxt: int, first_start: int
) -> list[str]:
    """Districts a work's text gives it: its own, those in its clause, those before the list.

    "Реализация в район „Западен“ на … ул. A … ул. B" puts A and B in Западен; in "камери в
    парк A, …, паркинг в район „Западен“, подлез B" only the parking is in Западен.
    """
    if obj.district:
        return [obj.district]
    own = [d.name for d in named if d.start < first_start or prv <= d.start < nxt]
    return list(dict.fromkeys(own))


def _named_facilities(outline: Outline) -> dict[str, list[PlaceMention]]:
    """Single-word facility names the report writes with a type word somewhere (ДГ „Каменица“)."""
    known: dict[str, list[PlaceMention]] = {}
    for _, _, goal in outline.goals():
        for text in [goal.text, *(n.text for n in goal.notes)]:
            for pm in find_places(text):
                if pm.kind in ("kindergarten", "nursery", "school", "park") and " " not in pm.name:
                    if all(k.kind != pm.kind for k in known.get(pm.name, [])):
                        known.setdefault(pm.name, []).append(pm)
    return known


def extract_projects(outline: Outline) -> list[WorkRecord]:
    """All work records of the report, in document order, with display ids and stable keys."""
    records: list[WorkRecord] = []
    known = _named_facilities(outline)
    seen: set[tuple[str, str]] = set()  # (sentence, places): the same text twice is one record
    for priority, measure, goal in outline.goals():
        if not goal.notes:
            continue  # a heading over the goals that follow, not a work
        builder = _GoalBuilder(priority, measure, goal, seen)
        builder.from_notes(known)
        if not builder.records or (builder.goal_objects and not builder.place_records):
            builder.from_goal()
        builder.finish()
        records.extend(builder.records)
    counters: dict[int, int] = {}
    for rec, key in zip(records, unique_keys(r.key for r in records), strict=True):
        counters[rec.source_line] = counters.get(rec.source_line, 0) + 1
        rec.id = f"m{rec.measure.replace('.', '-')}-l{rec.source_line:03d}-{counters[rec.source_line]:02d}"
        rec.key = key
        rec.years = stated_years(rec.source_text)
    return records
