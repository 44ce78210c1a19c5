"""Works named without a place: named initiatives and common-noun works.

Why apart from `places`: they are works, not places — the register lists them as records with
no place — but they are found the same way, as spans of a sentence (`PlaceMention` of kind
``initiative``), so the mentions stage can put them in one list with the places.
"""

from __future__ import annotations

import re

from extraction.lexicon import load_rules
from extraction.placekinds import PlaceMention
from extraction.quotes import clean_name, normalise_quotes, pretty_surface, quoted_spans

__all__ = ["find_common_works", "find_initiatives"]

_ORGANISER = r"(?:\s+[А-ЯA-Z][\w–-]*(?:\s*[–-]\s*[А-Я][\w]*)?){0,2}"
_TITLE_LIST_GAP = re.compile(r"\s*(?:,\s*(?:и\s+)?|\s+и\s+)$")


def find_initiatives(sentence: str) -> list[PlaceMention]:
    """Named initiatives ("кампанията „Книги за смет“") as mentions of kind ``initiative``.

    They are works, not places: the register lists them as records with no place, and the
    extractor keeps them out of `places`. Quoted titles listed after the first one ("изложби
    „А“, „Б“ и „В“") are initiatives of the same kind.
    """
    s = normalise_quotes(sentence)
    spans = quoted_spans(s, sentence)
    found: list[PlaceMention] = []

    def add(start: int, q: tuple[int, int, str], label: str) -> None:
        title = clean_name(q[2])
        if title:
            pm = PlaceMention(title, "initiative", start, q[1], f"{label} „{title}“")
            pm.surface = pretty_surface(sentence[start : q[1]])
            found.append(pm)

    for entry in load_rules("works").get("initiative", []):
        trigger = re.compile(r"(?<!\w)(?:" + entry["pattern"] + r")(?!\w)" + _ORGANISER + r"\s*[:–-]?\s*")
        for m in trigger.finditer(s):
            q = next((t for t in spans if t[0] == m.end()), None)
            if q is None or any(f.start <= q[0] < f.end for f in found):
                continue
            add(m.start(), q, entry["label"])
            while True:  # the titles listed after it
                end = q[1]
                q = next((t for t in spans if t[0] > end and _TITLE_LIST_GAP.fullmatch(s[end : t[0]])), None)
                if q is None or any(f.start <= q[0] < f.end for f in found):
                    break
                add(q[0], q, entry["label"])
    return sorted(found, key=lambda p: p.start)


_DESTINATION = re.compile(r"(?:\b(?:към|в|във|на|от|до|за|с|със)\s+(?:\w+\s+)?)$", re.IGNORECASE)


def find_common_works(sentence: str) -> list[PlaceMention]:
    """Works named by a common noun ("Център за обучение на диабетици"), kind ``initiative``.

    Like named initiatives they are works, not places; `rules/works.toml` ([[common]]) lists
    the patterns. The caller keeps them only when the sentence states a stage.
    """
    found: list[PlaceMention] = []
    for entry in load_rules("works").get("common", []):
        for m in re.finditer(entry["pattern"], sentence):
            if _DESTINATION.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            title = m.group("title").strip()
            title = re.sub(r"^[Цц]ент(?:ъра|ърът)\b", "Център", title)
            title = title[:1].upper() + title[1:]
            pm = PlaceMention(title, "initiative", m.start(), m.end(), title)
            pm.surface = pretty_surface(sentence[m.start() : m.end()])
            found.append(pm)
    kept: list[PlaceMention] = []
    for pm in sorted(found, key=lambda p: (p.start, -p.end)):
        if not any(k.start < pm.end and pm.start < k.end for k in kept):
            kept.append(pm)
    return kept
