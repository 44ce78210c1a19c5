"""Import a module on first use: the PostgreSQL store's SQLAlchemy and GeoAlchemy2.

Why: every dashboard process imports the store modules, but only a deployment with
``PLOVDIV_DATABASE_URL`` talks to PostgreSQL. Importing SQLAlchemy and GeoAlchemy2 up front
costs about 0.3 s of the first page after a restart; with SQLite (the default) they are never
needed. The stand-in is not put in ``sys.modules`` (``importlib.util.LazyLoader`` would be):
Streamlit's component registry walks ``sys.modules`` with ``inspect.getmodule``, which would
load every lazy module there at once.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["lazy_module"]


class _Lazy(ModuleType):
    """A stand-in that imports the real module when one of its names is first read, and reads
    every name from it (so a test that patches the real module patches what callers see)."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, imported when one of its names is first read."""
    return _Lazy(name)
