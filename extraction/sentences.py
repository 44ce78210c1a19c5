"""Split progress notes into sentences without breaking on Bulgarian abbreviations.

"ул. „Царевец“" and "бул. Брезовско шосе" contain a full stop followed by a capital or a
quote; splitting there would cut a street from its name, so the abbreviations in `_ABBREV`
never end a sentence. A semicolon ends one: the report uses it between list items.
"""

from __future__ import annotations

import re

_ABBREV = {
    "ул",
    "бул",
    "пл",
    "кв",
    "с",
    "р",
    "г",
    "гр",
    "лв",
    "бр",
    "др",
    "т.н",
    "св",
    "арх",
    "проф",
    "ст",
    "ж.к",
    "д-р",
    "инж",
    "хил",
    "млн",
    "т.е",
    "вкл",
    "м",
    "км",
    "№",
    "н",
    "о",
    "п",
    "с.",
    "Св",
    "Ст",
    "Н",
    "О",
    "Ц",
    "Д",
    "Г",
    "С",
    "П",
    "Б",
}
_CANDIDATE = re.compile(r"(?<=[.!?;])\s+(?=[\"„“(A-ZА-ЯЁ0-9-])")


def split_sentences(text: str) -> list[str]:
    """Sentences of one note, in order, stripped; empty pieces dropped."""
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        head = text[start : m.start()]
        last_word = re.search(r"([\w.-]+)[.]$", head)
        if last_word and last_word.group(1).rstrip(".") in _ABBREV and head.endswith("."):
            continue
        piece = head.strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
