"""Turn the outline into project records: one per concrete piece of work.

The extraction is a straight line of stages, each a module with typed input and output:

    sentences  (`Sentence`)          a goal's notes split into sentences with their report lines
    mentions   (`SentenceMentions`)  the works each sentence names: places, initiatives, …
    clauses    (`Clause`)            the text around each work that is its own
    decisions  (`WorkDecision`)      its status and the text its categories are read from
    records    (`WorkRecord`)        its title, key and fields

A stage imports only the stages before it. This module runs them goal by goal and holds the
steps that look across sentences — the only places where one sentence's records change
another's — each a named method of `_GoalWorks`:

* `_continue_remark`: a short place-less remark continues the sentence before;
* `_point_back`: a sentence opening with a pronoun ("За нея има договор.") adds to the last
  work of the sentence before;
* `_restated`: the same places named again in the goal are one work;
* `goal_records`: a goal whose notes name no place gives records for the places of the goal
  line (one record, titled by its project „…“ when it names one), else one city-wide record;
* `list_items_take_list_stage`: a bulleted item with no stage takes its list's.

Granularity (the register's contract):

* every work-place a progress sentence names gives its own record — a list of camera
  locations gives one record per location, nine kindergartens at nine stages give nine
  records, three streets at three stages give three records;
* a segment (`ул. X от Y до Z`), a block (`карето A – B – C – D`) or a junction is one record;
* "от Y до Z" with no street before it belongs to the road the goal names;
* the status comes from the clause naming the work, then its sentence, paragraph and goal
  notes (see `rules/status.toml`); categories from `rules/categories.toml`;
* the same sentence naming the same place twice is one record; the same work in two
  measures stays two records.
"""

from __future__ import annotations

from extraction.clauses import clause_districts, clauses_of
from extraction.decisions import (
    WorkDecision,
    decide_item,
    decide_mention,
    decide_named,
    decide_place_less,
    goal_status,
    is_remark,
    list_status,
    pointed_back_status,
    points_back,
    sentence_status,
    work_categories,
)
from extraction.items import list_items
from extraction.mentions import Facilities, SentenceMentions, find_mentions, goal_context, named_facilities
from extraction.named_lists import named_list_items
from extraction.outline import Outline
from extraction.places import PlaceMention
from extraction.records import GoalRef, WorkDraft, build_record, goal_title, place_key, short
from extraction.rules import StatusDecision, category_cues
from extraction.sentences import Sentence, goal_sentences
from extraction.years import stated_years
from works.keys import unique_keys
from works.model import Status, StatusScope, WorkRecord

__all__ = ["extract_projects"]


class _GoalWorks:
    """The records of one goal, made sentence by sentence, and the cross-sentence steps."""

    def __init__(self, where: GoalRef, known: Facilities, seen: set[tuple[str, str]]) -> None:
        goal = where.goal
        self.where = where
        self.context = goal_context(goal.text, where.measure.code)
        self.sentences = goal_sentences(goal)
        self.notes = " ".join(n.text for n in goal.notes)
        self.records: list[WorkRecord] = []
        #: Records with places made from the notes: none means the goal line's places are the works.
        self.place_records = 0
        self._known = known
        #: (sentence, places) already recorded in the report: the same text twice is one record.
        self._seen = seen
        #: The last place-less sentence's record and its paragraph, for a remark that continues it.
        self._last_sentence_record: tuple[WorkRecord, str] | None = None
        #: The districts the notes name, sentence by sentence (for a goal record).
        self._note_districts: list[str] = []

    # -- making a record ---------------------------------------------------------------------

    def _add(self, draft: WorkDraft) -> None:
        """Record one work, unless the same words already made it (see ``works.keys``) or it
        restates a work of the goal (`_restated`)."""
        seen = (draft.source_text, "|".join(draft.subject))
        if seen in self._seen:
            return
        self._seen.add(seen)
        goal = self.where.goal
        cats = work_categories(draft.places, draft.name, draft.decision, goal.text, self.where.measure.code)
        if draft.places and draft.name is None:
            if self._restated(draft.places, cats, bool(category_cues(draft.decision.clause))):
                return
        draft.categories = cats
        if draft.places:
            self.place_records += 1
        self.records.append(build_record(draft, self.where))

    def _restated(self, places: list[PlaceMention], cats: list[str], own_words: bool) -> bool:
        """Is this the same work as an earlier record of the goal: the same places, and the same
        categories or no words of its own to say it is another work?

        A note that lists the one-way streets and then lists them again ("… бул. „Марица-север“ в
        участъка от ул. „Карловска“ до „Златна Панега“ …; … по бул. „Марица – север“ в участъка от
        улица „Карловска“ до „Златна панега“") names one work twice; the first mention stays.
        """
        mine = place_key(places)
        return any(
            r.places and place_key(r.places) == mine and (r.categories == cats or not own_words)
            for r in self.records
        )

    # -- the notes, sentence by sentence -----------------------------------------------------

    def notes_records(self) -> None:
        """The records of the goal's progress sentences, in order."""
        previous: list[WorkRecord] = []  # the records of the sentence before, for pronouns
        previous_text = ""
        for sent in self.sentences:
            made = len(self.records)
            self._sentence_records(sent, previous, previous_text)
            previous, previous_text = self.records[made:], sent.text

    def _sentence_records(self, sent: Sentence, previous: list[WorkRecord], previous_text: str) -> None:
        """The records of one progress sentence: its places, initiatives and common-noun works."""
        found = find_mentions(sent, self.context, self._known)
        self._note_districts += [d.name for d in found.districts]
        if found.not_work:
            self._last_sentence_record = None
            return
        named = self._named_records(sent, found)
        if found.works:
            self._last_sentence_record = None
            self._mention_records(found, previous_text)
        elif named or self._point_back(sent, previous):
            return
        elif not self.context.objects and len(self.sentences) > 1:
            # A place-less sentence under a goal that names places speaks of those places:
            # the goal record covers it. Under a place-less goal it is a work of its own —
            # unless it is the goal's only sentence, which just reports the goal's stage.
            self._place_less_record(sent, found.district_names, previous_text)

    def _named_records(self, sent: Sentence, found: SentenceMentions) -> bool:
        """One record per named item listed under a plural head ("фестивали („А“, Б, В …)",
        `extraction.named_lists`) that no place or initiative of the sentence already covers."""
        taken = [(m.start, m.end) for m in found.works]
        items = [
            i for i in named_list_items(sent.text) if not any(a < i.end and i.start < b for a, b in taken)
        ]
        for item in items:
            decision = decide_named(item, sent)
            self._add(
                WorkDraft([], decision, sent.line, sent.text, found.district_names, item.name, sent.end_line)
            )
        if items:
            self._last_sentence_record = None
        return bool(items)

    def _mention_records(self, found: SentenceMentions, previous_text: str) -> None:
        """One record per work the sentence names, each decided from its own clause."""
        sent = found.sentence
        clauses = clauses_of(sent.text, [(m.start, m.end) for m in found.works])
        lone = len(found.works) == 1
        for mention, clause in zip(found.works, clauses, strict=True):
            decision = decide_mention(
                mention, clause, sent, lone, self.where.goal.text, self.notes, previous_text
            )
            districts = clause_districts(mention.found, found.districts, clause)
            self._add(
                WorkDraft(
                    mention.places,
                    decision,
                    sent.line,
                    sent.text,
                    districts,
                    name=mention.name,
                    end_line=sent.end_line,
                )
            )

    def _place_less_record(self, sent: Sentence, districts: list[str], previous_text: str) -> None:
        """A sentence naming no place but a work with a stage is a work of its own."""
        last = self._last_sentence_record
        if last is not None and last[1] == sent.paragraph and is_remark(sent):
            self._continue_remark(last[0], sent, districts)
            return
        decision = decide_place_less(sent, previous_text)
        if decision is None:
            return
        items = list_items(sent.text)
        if items:
            # One work per listed item, each decided from its own words first (§2.3, §5.7).
            for item in items:
                own = decide_item(item.title, item.text, decision)
                self._add(WorkDraft([], own, sent.line, sent.text, districts, item.title, sent.end_line))
        else:
            draft = WorkDraft(
                [], decision, sent.line, sent.text, districts, short(sent.text), sent.end_line, key_name=""
            )
            self._add(draft)
        # The goal's last record, as it always was (the sentence's own unless its words repeat
        # an earlier sentence of the report).
        self._last_sentence_record = (self.records[-1], sent.paragraph)

    # -- steps across sentences --------------------------------------------------------------

    def _continue_remark(self, rec: WorkRecord, sent: Sentence, districts: list[str]) -> None:
        """A short remark that names no work ("Почти на 80% е реализирана") continues the
        place-less sentence before it: it joins that record, and the stage is weighed over both."""
        rec.source_text = f"{rec.source_text} {sent.text}"
        decision = sentence_status(rec.source_text, sent.so_far, sent.paragraph)
        rec.status, rec.status_evidence = Status(decision.status), decision.evidence
        rec.status_scope = StatusScope(decision.scope)
        rec.districts = list(dict.fromkeys([*rec.districts, *districts]))
        rec.city_wide = not rec.districts

    def _point_back(self, sent: Sentence, previous: list[WorkRecord]) -> bool:
        """A place-less sentence that points back ("За нея има договор.") adds to the work before.

        Its stage is weighed with the stage phrase of the last work of the sentence before:
        "се очаква да стартира строителството … (Съдийски). За нея има договор." is procurement.
        """
        if not previous or not points_back(sent.text):
            return False
        rec = previous[-1]
        decision = pointed_back_status(rec.status_evidence, sent.text)
        if decision is None:
            return False
        rec.status, rec.status_evidence = Status(decision.status), decision.evidence
        rec.status_scope = StatusScope.SENTENCE
        rec.source_text = f"{rec.source_text} {sent.text}"
        rec.source_line_end = max(rec.source_line_end, sent.end_line)
        return True

    def goal_records(self) -> None:
        """The notes name no place: records from the goal line (or one city-wide record).

        A goal line is one work, however many places it names ("пътна връзка между …"), titled
        by the goal line itself. Its stage is the first sentence's with a cue, cited from there.
        """
        goal = self.where.goal
        goal_districts = [p.name for p in self.context.places if p.kind == "district"]
        districts = list(dict.fromkeys(goal_districts + self._note_districts))
        decision = goal_status(self.sentences, self.notes)
        line = next(
            (s.line for s in self.sentences if decision.evidence and decision.evidence in s.text),
            self.sentences[0].line if self.sentences else goal.line,
        )
        source = next((s.text for s in self.sentences if s.line == line), self.notes)
        source_text = f"{goal.text} — {source}"
        if self.context.objects:
            work = WorkDecision(decision, goal.text, (goal.text,))
            name: str | None = goal_title(goal.text)
        else:
            work, name = WorkDecision(decision, f"{goal.text} {self.notes}"), None
        self._add(
            WorkDraft(
                self.context.objects, work, line, source_text, districts, name, anchor=goal.text, key_name=""
            )
        )

    def list_items_take_list_stage(self) -> None:
        """Give each bulleted item that states no stage the stage of the list around it.

        A list continues the item before it ("- Подписан е Меморандум с Община Бургас; - Меморандум
        с Община София"): the nearest earlier record of the goal with a stated stage decides, else
        the nearest later one, else the goal's notes, else the rules' default.
        """
        stated = [i for i, r in enumerate(self.records) if r.status_scope != "list" and r.status_evidence]
        notes: StatusDecision | None = None
        for i, rec in enumerate(self.records):
            if rec.status_scope != "list":
                continue
            near = next((j for j in reversed(stated) if j < i), None)
            if near is None:
                near = next((j for j in stated if j > i), None)
            if near is not None:
                rec.status, rec.status_evidence = self.records[near].status, ""
                continue
            notes = notes or list_status(self.notes)
            rec.status, rec.status_evidence = Status(notes.status), notes.evidence
            rec.status_scope = StatusScope.LIST if notes.evidence else StatusScope.DEFAULT


def extract_projects(outline: Outline) -> list[WorkRecord]:
    """All work records of the report, in document order, with display ids and stable keys."""
    records: list[WorkRecord] = []
    known = named_facilities(outline)
    seen: set[tuple[str, str]] = set()  # (sentence, places): the same text twice is one record
    for priority, measure, goal in outline.goals():
        if not goal.notes:
            continue  # a heading over the goals that follow, not a work
        works = _GoalWorks(GoalRef(priority, measure, goal), known, seen)
        works.notes_records()
        if not works.records or (works.context.objects and not works.place_records):
            works.goal_records()
        works.list_items_take_list_stage()
        records.extend(works.records)
    counters: dict[int, int] = {}
    for rec, key in zip(records, unique_keys(r.key for r in records), strict=True):
        counters[rec.source_line] = counters.get(rec.source_line, 0) + 1
        rec.id = f"m{rec.measure.replace('.', '-')}-l{rec.source_line:03d}-{counters[rec.source_line]:02d}"
        rec.key = key
        rec.years = stated_years(rec.source_text)
    return records
