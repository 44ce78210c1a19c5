"""Report → register: parse the programme report and extract one record per piece of work.

The package is pure text processing (no geometry). `report` reads and decodes the file and
`outline` recovers the priority → measure → goal → notes tree; then `extract_projects`
(`projects`) runs a straight line of stages, each a module with typed input and output:

    sentences → mentions → clauses → decisions → records

`sentences` splits a goal's notes; `mentions` finds the works of a sentence (with `places`,
`relations`, `initiatives`); `clauses` cuts the sentence into each work's own text;
`decisions` asks `rules` for the status and categories; `records` makes the `WorkRecord`.
The readable rules and the Bulgarian special cases are in `rules/*.toml` (`lexicon`).
"""

from extraction.outline import Goal, Measure, Note, Outline, Priority, parse_outline
from extraction.projects import extract_projects
from extraction.report import ReportError, read_report

__all__ = [
    "Goal",
    "Measure",
    "Note",
    "Outline",
    "Priority",
    "ReportError",
    "extract_projects",
    "parse_outline",
    "read_report",
]
