"""Stage 4 of extraction: the status and categories of a work, from `rules` and its texts.

Why a stage of its own: `rules` knows cues and lexicons but not sentences; the stages before
know sentences and works but decide nothing. This module says which text each decision is read
from — the work's clause, its sentence, the sentence before, its goal — and asks `rules`.
The special cases it applies (pronouns pointing back, "същия проект") are in
`rules/sentences.toml` under ``[reference]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.clauses import Clause, status_scopes
from extraction.items import stage_object
from extraction.lexicon import rule_pattern, rule_text
from extraction.mentions import Mention
from extraction.named_lists import NamedItem
from extraction.places import PlaceMention
from extraction.rules import (
    StatusDecision,
    category_cues,
    decide_categories,
    decide_status,
    describes,
    head_categories,
    is_locator,
    is_narrative,
    status_cues,
    work_noun,
)
from extraction.sentences import Sentence

__all__ = [
    "WorkDecision",
    "decide_item",
    "decide_mention",
    "decide_named",
    "decide_place_less",
    "goal_status",
    "is_remark",
    "list_status",
    "points_back",
    "pointed_back_status",
    "says_what",
    "sentence_status",
    "work_categories",
]

#: A place-less sentence longer than this is a new statement, not a remark on the one before.
_REMARK_WORDS = 15
#: A bulleted item with no stage cue needs at least this many words to be an activity.
_ITEM_WORDS = 4


@dataclass(frozen=True)
class WorkDecision:
    """What the texts around a work decide, before its record is made.

    ``clause`` is the text its categories are read from; ``noun_texts`` the texts its title
    noun is looked for in, in order; ``context`` the sentence before it (an exclusive category
    named there covers a whole list); ``locator`` says its place only locates it ("паркинг до
    спортна зала …"), so the place's kind and name say nothing of what it is.
    """

    status: StatusDecision
    clause: str
    noun_texts: tuple[str, ...] = ()
    context: str = ""
    locator: bool = False
    #: The work's own noun phrase (a listed item, an initiative's title, the object of a
    #: place-less sentence): its head decides the categories when it names one.
    head: str = ""


def _reference(name: str) -> re.Pattern[str]:
    """A pattern of ``[reference]`` in `rules/sentences.toml` (matched case-insensitively)."""
    return rule_pattern("sentences", "reference", name, True)


def points_back(text: str) -> bool:
    """Does the sentence open with a pronoun for the work before ("Тя ще обхваща …", "За нея …")?"""
    return bool(_reference("anaphora").match(text))


def says_what(text: str) -> bool:
    """Does the text name what a work is (a category cue, a work noun, or a head noun that says
    what a work is: "Приет е правилник …" is a work of its own, not a remark on the one before)?"""
    return bool(category_cues(text) or work_noun(text) or head_categories(stage_object(text)))


def is_remark(sentence: Sentence) -> bool:
    """A short place-less sentence that names no work: "Почти на 80% е реализирана"."""
    return len(sentence.text.split()) <= _REMARK_WORDS and not says_what(sentence.text)


def sentence_status(text: str, so_far: str, note: str = "") -> StatusDecision:
    """The status a place-less sentence (or a sentence and its remark) states: its own cue,
    else its note's up to it (``status_scopes``), a later stalled cue of the note overriding."""
    return decide_status([("sentence", text), ("paragraph", so_far), ("note", note)])


def pointed_back_status(evidence: str, text: str) -> StatusDecision | None:
    """The stage of a sentence that points back, weighed with the stage phrase before it.

    "се очаква да стартира строителството … (Съдийски). За нея има договор." is procurement.
    None when the sentence states no strong stage of its own.
    """
    if not any(not c.weak for c in status_cues(text)):
        return None
    return decide_status([("sentence", f"{evidence} {text}")])


def list_status(notes: str) -> StatusDecision:
    """The stage a goal's notes state, for list items with no stated stage near them."""
    return decide_status([("goal", notes)])


def goal_status(sentences: list[Sentence], notes: str) -> StatusDecision:
    """The stage of a record made from the goal line: the first sentence with a cue, else the notes."""
    return decide_status([("sentence", s.text) for s in sentences] + [("goal", notes)])


def decide_place_less(sentence: Sentence, previous_text: str) -> WorkDecision | None:
    """A sentence naming no place but a work with a stage ("Подменени са 1913 тела с LED").

    None when it is no work: a sentence that only explains (`rules.is_narrative`); a lead-in
    to a list ("Въведени бяха следните мерки, а именно:"
    says no more of what — its items are the works), or no stage and nothing to say what. A
    bulleted item of a list of activities is a work even when its verb is not a cue ("-
    подкрепи Посолството …"): it gets an empty ``list`` decision and takes its list's stage —
    unless it opens with a circumstance ("Чрез участия в медии …"): it describes.
    """
    text = sentence.text
    if text.rstrip().endswith(":") and not says_what(text):
        return None
    if is_narrative(text):
        return None  # a condition, a reason, what was before, a rule of law: no work
    cues = status_cues(text)
    if not cues or (all(c.weak for c in cues) and not says_what(text)):
        if not sentence.bullet_item or len(text.split()) < _ITEM_WORDS or describes(text):
            return None
        status = StatusDecision("", "", "list")
    else:
        status = sentence_status(text, sentence.so_far, sentence.paragraph)
    clause = text
    if not category_cues(clause) and _reference("back_reference").search(clause):
        clause = f"{clause} {previous_text}"  # "стартира същия проект …": the one before
    return WorkDecision(status, clause, head=stage_object(text))


def decide_item(title: str, text: str, listed: WorkDecision) -> WorkDecision:
    """One item of a place-less list under one action (`extraction.items`).

    Its own stage cue decides its stage ("разработени аудиоклипове"), else the list's; what it
    is comes from its own words, and only when they name no category from the sentence's.
    """
    status = listed.status
    if any(not c.weak for c in status_cues(text)):
        status = decide_status([("clause", text)])
    clause = title if category_cues(title) else listed.clause
    return WorkDecision(status, clause, head=title)


def decide_named(item: NamedItem, sentence: Sentence) -> WorkDecision:
    """One named item of a list under a plural head (`extraction.named_lists`).

    Its stage is its sentence's (or its note's up to it). Where the text states none, a named
    event a calendar holds took place (guide §7.1, §4.9: ``[named_lists] event_status``); the
    record still says no stage was stated (scope ``default``). What it is comes from its head
    and its own words.
    """
    status = decide_status([("sentence", sentence.text), ("paragraph", sentence.so_far)])
    if status.scope == "default" and item.event:
        status = StatusDecision(rule_text("works", "named_lists", "event_status"), "", "default")
    own = f"{item.label} {item.text}"
    # What the list's lead says of all its items ("Проекти, насочени към откритите сцени и
    # читалищата – …"), not the rest of the sentence, when the item's own words name nothing.
    return WorkDecision(status, own if category_cues(own) else f"{own} {item.lead}", head=item.name)


def decide_mention(
    mention: Mention,
    clause: Clause,
    sentence: Sentence,
    lone: bool,
    goal_text: str,
    notes: str,
    previous_text: str,
) -> WorkDecision:
    """The status of one work of a sentence, and the text its categories are read from.

    The category text widens until it names a category: the work's own clause, the text to its
    neighbours, the list's lead ("терени за буферни паркинги – до …, на ул. „4 януари“"), the
    sentence before when this one opens with a pronoun, the goal line when the sentence only
    reports progress.
    """
    text = sentence.text
    scopes = status_scopes(None if lone else clause, text, sentence.so_far, notes, sentence.paragraph)
    status = decide_status(scopes)
    display = mention.found.display
    words = f"{clause.own_before} {clause.own_after}"
    if not category_cues(f"{words} {display}"):
        words = f"{clause.before} {clause.after}"
    if not lone and not category_cues(f"{words} {display}"):
        words = f"{clause.lead} {words}"
    if not category_cues(words) and points_back(text):
        # "Тя ще обхваща булевардите …": the sentence before says what "тя" is.
        words = f"{words} {re.split(r'[,;:]', previous_text)[0]}"
    if not category_cues(text) and not category_cues(words):
        words = f"{words} {goal_text}"  # the sentence only reports progress: the goal says what
    if mention.is_initiative:
        words = f"{display} {words}"  # "Доклад „…“", "Център за видеонаблюдение"
    locator = mention.host is not None or (is_locator(clause.prefix) and bool(category_cues(words)))
    head = display if mention.is_initiative else ""
    return WorkDecision(
        status, words, (clause.before, clause.after, clause.prefix), clause.prefix, locator, head
    )


def work_categories(
    places: list[PlaceMention],
    name: str | None,
    decision: WorkDecision,
    goal_text: str,
    measure: str,
) -> list[str]:
    """The categories of a work from its clause, its places, its goal and its measure.

    A place that only locates the work says nothing of what it is. A place-less activity of a
    list under a goal is not the goal: the goal's words say what the activities are for ("…
    кампании, стратегии …"), so only the measure's default fills in.
    """
    place_text = "" if decision.locator else " ".join(p.display for p in places)
    kinds = [] if decision.locator else [p.kind for p in places]
    goal = goal_text if (places or name is None) else ""
    return decide_categories(
        decision.clause, kinds, goal, measure, decision.context, place_text, decision.head
    )
