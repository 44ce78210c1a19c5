"""The year(s) the text states for a work: "през 2021 г.", "до края на 2022 г.", "2020-2021 г.".

Why a stage of its own: residents ask *when*, and the report often says it in the work's own
sentence. Only years written as years ("2021 г.", "2021 година") count, so a count ("2021
дръвчета") is not a year; the date of a law or ordinance ("Наредба № 6 от 10 август 2011 г.")
is not the work's year; nor is a period that starts before the programme's time (a national
strategy "/2012-2020 г./" is context, not the work's dates).
"""

from __future__ import annotations

import re

__all__ = ["EARLIEST", "LATEST", "stated_years"]

#: Years outside this span are context (earlier strategies, distant horizons), not a work's dates.
EARLIEST, LATEST = 2016, 2030
_YEAR = re.compile(
    r"(?<![\d])((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?\s*(?:г\.|г\b|год)",
)
#: "Наредба № 6 от 10 август 2011 г.", "Решение № 123 от 2020 г.": the date of a legal act.
_ACT_DATE = re.compile(r"№\s*\S+\s+от\s+[^.;„“\"]{0,25}$")


def stated_years(text: str) -> list[int]:
    """The years stated in ``text``, sorted, each once (a range gives every year in it)."""
    years: set[int] = set()
    for m in _YEAR.finditer(text):
        if _ACT_DATE.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if first < EARLIEST or last > LATEST or last < first or last - first > 10:
            continue
        years.update(range(first, last + 1))
    return sorted(years)
