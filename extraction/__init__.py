"""Report → register: parse the programme report and extract one record per piece of work.

The package is pure text processing (no geometry): `report` reads and decodes the file,
`outline` recovers the priority → measure → goal → notes tree, `places` finds place mentions,
`rules` applies the readable status/category rules in `rules/*.toml`, and `projects` turns the
outline into project records.
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
