"""Stage 3 of extraction: the text of a sentence that belongs to each of its works.

Why: a sentence often lists several works at different stages ("ДГ „А“ – готова, ДГ „Б“ се
строи"). Each work's status and category must come from its own words first, then from wider
text, so this stage cuts the sentence at its works and says, for each, which words around it
are its own clause and which nested scopes the status is looked for in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extraction.lexicon import rule_pattern
from extraction.places import PlaceMention
from extraction.rules import status_cues

__all__ = ["Clause", "Span", "clause_districts", "clauses_of", "own_clause", "status_scopes"]

#: A work's character span in its sentence: (start, end).
Span = tuple[int, int]

_SEPARATOR = re.compile(r"[,;:]")
_BEFORE_SEPARATOR = re.compile(r"(?=[,;:])")


@dataclass(frozen=True)
class Clause:
    """The text of a sentence around one of its works.

    ``before``/``after`` run to the neighbouring works (``prev_end``/``next_start``);
    ``own_before``/``own_after`` are the parts of them that are this work's own (see
    `own_clause`); ``run_after`` is the status text shared by a run of works listed together
    (empty for a lone work); ``lead`` is the sentence before its first work and ``prefix`` the
    sentence before this one.
    """

    before: str
    after: str
    own_before: str
    own_after: str
    run_after: str
    lead: str
    prefix: str
    prev_end: int
    next_start: int


def own_clause(after: str, before: str) -> tuple[str, str]:
    """The parts of the text around a listed work that are its own: (own after, own before).

    The text between two listed works splits at its comma (or colon): in "X – готов, Y – се
    строи" X owns "– готов"; in "Изграден е парк X, ремонтиран е Y" Y owns "ремонтиран е".
    """
    parts = _SEPARATOR.split(before)
    own_before = parts[-1]
    if len(parts) > 1 and rule_pattern("sentences", "clause", "also").match(own_before):
        # "подмяна на водопроводни клонове, както и преасфалтиране в кв. X": both are done at X.
        own_before = f"{parts[-2]},{own_before}"
    own_after, *rest = _BEFORE_SEPARATOR.split(after)
    if rule_pattern("sentences", "clause", "with_features").match(own_after):
        # "пл. X с нова детска площадка, спортно игрище и паркинг, …": the features listed
        # after "с" are the work's own, up to the next clause that states a stage.
        for part in rest:
            if not part.startswith(",") or status_cues(part):
                break
            own_after += part
    return own_after, own_before


def _run_after(text: str, spans: Sequence[Span], i: int) -> str:
    """The status text after a list of works that shares it ("ДГ A и двете нови ДГ … има избран
    изпълнител"): the own text after the last work of the run that starts at `i`."""
    j = i
    while j + 1 < len(spans) and not status_cues(text[spans[j][1] : spans[j + 1][0]]):
        j += 1
    nxt = spans[j + 1][0] if j + 1 < len(spans) else len(text)
    return own_clause(text[spans[j][1] : nxt], "")[0]


def clauses_of(text: str, spans: Sequence[Span]) -> list[Clause]:
    """One `Clause` per work span of the sentence `text`, in the same order."""
    out: list[Clause] = []
    lead = text[: spans[0][0]] if spans else ""
    for i, (start, end) in enumerate(spans):
        nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        prv = spans[i - 1][1] if i > 0 else 0
        after, before = text[end:nxt], text[prv:start]
        own_after, own_before = own_clause(after, before)
        run = _run_after(text, spans, i) if len(spans) > 1 else ""
        out.append(Clause(before, after, own_before, own_after, run, lead, text[:start], prv, nxt))
    return out


def status_scopes(
    clause: Clause | None, sentence: str, so_far: str, notes: str, note: str = ""
) -> list[tuple[str, str]]:
    """The texts a work's status is looked for in, narrowest first (see `rules/status.toml`).

    A lone work (``clause`` None) has no clause of its own: the whole sentence speaks of it,
    so its cues are weighed together ("Проведен дебат …, изготвено е задание за проект").
    ``so_far`` is its note up to the end of its sentence (a later sentence's stage is another
    work's: "… са кръстовищата A, B. Тази година се предвижда още …"); ``note`` is the whole
    note, read only for a later "stalled" ("… Търси се финансиране за изпълнение на обекта").
    """
    wide = [("sentence", sentence), ("paragraph", so_far), ("goal", notes), ("note", note)]
    if clause is None:
        return wide
    return [
        ("clause", clause.own_after),
        ("clause", clause.own_before),
        ("clause", clause.run_after),
        ("clause", clause.before),
        ("clause", clause.after),
        *wide,
    ]


def clause_districts(found: PlaceMention, districts: list[PlaceMention], clause: Clause) -> list[str]:
    """Districts a work's text gives it: its own, those in its clause, those before the list.

    "Реализация в район „Западен“ на … ул. A … ул. B" puts A and B in Западен; in "камери в
    парк A, …, паркинг в район „Западен“, подлез B" only the parking is in Западен.
    """
    if found.district:
        return [found.district]
    first_start = len(clause.lead)
    own = [
        d.name for d in districts if d.start < first_start or clause.prev_end <= d.start < clause.next_start
    ]
    return list(dict.fromkeys(own))
