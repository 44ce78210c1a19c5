"""The one base class of the project's user-facing errors.

Why one base: every entry point (``python -m pipeline``, ``python -m dashboard.basemap``, the
dashboard's notices) turns an expected failure into one line for a person and a non-zero exit,
never a traceback. They can only do that if every such error shares a class. It subclasses
``ValueError`` in the spirit of osmnx and geopandas: bad input is a value problem.
"""

from __future__ import annotations

__all__ = ["PlovdivError", "one_line"]


class PlovdivError(ValueError):
    """An expected failure whose message is one line meant for the user."""

    def __str__(self) -> str:
        return one_line(super().__str__())


def one_line(message: str) -> str:
    """The first non-empty line of ``message`` (a multi-line library message, shortened)."""
    for line in message.splitlines():
        if line.strip():
            return line.strip()
    return message.strip()
