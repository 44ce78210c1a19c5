"""Works named without a place: named initiatives and common-noun works.

Why apart from `places`: they are works, not places — the register lists them as records with
no place — but they are found the same way, as spans of a sentence (`PlaceMention` of kind
``initiative``), so the mentions stage can put them in one list with the places.
"""

from __future__ import annotations

import re
from functools import cache

from extraction.lexicon import compile_pattern, load_rules, rule_pattern, rule_text
from extraction.placekinds import PlaceMention
from extraction.quotes import clean_name, normalise_quotes, pretty_surface, quoted_spans

__all__ = ["find_common_works", "find_initiatives"]


def _reading_pattern(key: str, ignore_case: bool = False) -> re.Pattern[str]:
    """A pattern of ``[reading]`` in `rules/works.toml`: the special cases are written there."""
    return rule_pattern("works", "reading", key, ignore_case)


@cache
def _triggers() -> list[tuple[str, re.Pattern[str]]]:
    """The [[initiative]] words of `rules/works.toml`, each with the organiser that may follow."""
    organiser = rule_text("works", "reading", "organiser")
    return [
        (
            entry["label"],
            re.compile(r"(?<!\w)(?:" + entry["pattern"] + r")(?!\w)" + organiser + r"\s*[:–-]?\s*"),
        )
        for entry in load_rules("works").get("initiative", [])
    ]


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

    list_gap = _reading_pattern("title_list_gap")
    for label, trigger in _triggers():
        for m in trigger.finditer(s):
            q = next((t for t in spans if t[0] == m.end()), None)
            if q is None or any(f.start <= q[0] < f.end for f in found):
                continue
            add(m.start(), q, label)
            while True:  # the titles listed after it
                end = q[1]
                q = next(
                    (t for t in spans if t[0] > end and list_gap.fullmatch(s[end : t[0]])),
                    None,
                )
                if q is None or any(f.start <= q[0] < f.end for f in found):
                    break
                add(q[0], q, label)
    return sorted(found, key=lambda p: p.start)


def find_common_works(sentence: str) -> list[PlaceMention]:
    """Works named by a common noun ("Център за обучение на диабетици"), kind ``initiative``.

    Like named initiatives they are works, not places; `rules/works.toml` ([[common]]) lists
    the patterns. The caller keeps them only when the sentence states a stage.
    """
    found: list[PlaceMention] = []
    destination = _reading_pattern("destination", True)
    centre, centre_title = _reading_pattern("centre"), rule_text("works", "reading", "centre_title")
    for entry in load_rules("works").get("common", []):
        for m in compile_pattern(entry["pattern"]).finditer(sentence):
            if destination.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            title = m.group("title").strip()
            title = centre.sub(centre_title, title)
            title = title[:1].upper() + title[1:]
            pm = PlaceMention(title, "initiative", m.start(), m.end(), title)
            pm.surface = pretty_surface(sentence[m.start() : m.end()])
            found.append(pm)
    kept: list[PlaceMention] = []
    for pm in sorted(found, key=lambda p: (p.start, -p.end)):
        if not any(k.start < pm.end and pm.start < k.end for k in kept):
            kept.append(pm)
    return kept
