"""The rules read the report; they do not memorise it line by line (issue 12).

A status or category pattern that matches exactly one line of the report was most likely written
from that line. Word forms now come from the lemmatiser (`extraction/lemmas.py`), and the
single-line patterns that mechanism made redundant were removed; these ceilings keep them out.
"""

from __future__ import annotations

from pathlib import Path

from extraction.report import read_report
from extraction.rule_usage import rule_usage

#: rule file → (most patterns, most single-line patterns), as measured when the ceilings were set.
CEILINGS = {"status": (145, 51), "categories": (176, 35)}


def test_few_rules_match_a_single_line(real_report: Path) -> None:
    for usage in rule_usage(read_report(real_report)):
        most, most_single = CEILINGS[usage.name]
        assert len(usage.lines) <= most, usage.name
        assert len(usage.single_line) <= most_single, (usage.name, usage.single_line)
