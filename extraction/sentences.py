"""Stage 1 of extraction: a goal's progress notes → sentences, each with its report lines.

Why sentences: a sentence is the unit a record cites (``source_text``, ``source_line``) and the
unit its stable key is computed from, so every later stage works sentence by sentence.

"ул. „Царевец“" and "бул. Брезовско шосе" contain a full stop followed by a capital or a
quote; splitting there would cut a street from its name, so the abbreviations listed under
``abbreviations`` in `rules/sentences.toml` never end a sentence. A semicolon ends one: the
report uses it between list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extraction.lexicon import load_rules
from extraction.outline import Goal, Note

__all__ = ["Sentence", "goal_sentences", "note_sentences", "split_sentences"]

_CANDIDATE = re.compile(r"(?<=[.!?;])\s+(?=[\"„“(A-ZА-ЯЁ0-9-])")


@cache
def _abbreviations() -> frozenset[str]:
    """Words written with a full stop that does not end a sentence ("ул.", "бул.", "Св.")."""
    return frozenset(load_rules("sentences")["abbreviations"])


@dataclass(frozen=True)
class Sentence:
    """One sentence of a goal's notes.

    ``line`` and ``end_line`` are the report lines it starts and ends on (a sentence may wrap:
    a record cites both). ``paragraph`` is its whole note, the widest text that still speaks of
    its works. ``so_far`` is the note up to the end of this sentence: where its status is looked
    for when the sentence states none, since a note tells a work's stage before or as it names
    it, and a later sentence speaks of other works ("Тази година се предвижда още …").
    ``bullet_item`` marks the first sentence of a bulleted note: one item of a list
    of activities, which takes its list's stage when it states none.
    """

    line: int
    text: str
    paragraph: str
    end_line: int = 0
    bullet_item: bool = False
    so_far: str = ""


def split_sentences(text: str) -> list[str]:
    """Sentences of one note, in order, stripped; empty pieces dropped."""
    abbreviations = _abbreviations()
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        head = text[start : m.start()]
        last_word = re.search(r"([\w.-]+)[.]$", head)
        if last_word and last_word.group(1).rstrip(".") in abbreviations and head.endswith("."):
            continue
        piece = head.strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def note_sentences(note: Note) -> list[Sentence]:
    """The sentences of a note, each with the report lines it starts and ends on."""
    out: list[Sentence] = []
    pos = 0
    for i, text in enumerate(split_sentences(note.text)):
        start = note.text.find(text, pos)
        start = start if start >= 0 else pos
        pos = start + len(text)
        end_line = note.line_at(max(start, pos - 1))
        item = note.bullet and i == 0
        out.append(Sentence(note.line_at(start), text, note.text, end_line, item, note.text[:pos]))
    return out


def goal_sentences(goal: Goal) -> list[Sentence]:
    """All sentences of a goal's notes, in report order."""
    return [sent for note in goal.notes for sent in note_sentences(note)]
