"""The stable identity of a work: a key derived from its own words, not its position.

Why: a planner's correction is stored against a work. The display id
(``m<measure>-l<line>-<n>``) counts lines and records, so a paragraph inserted earlier in the
report, or a rule change that adds a record earlier in a goal, moves it onto another work —
18 of 453 ids named a different work between two builds. The key is a hash of the text the
work comes from (its sentence, or its goal line for a record made from the goal) and of what
names the work in that text (its places, or the title the text gives an initiative; never a
title the rules made, so retitling a work keeps its key). Text inserted or removed elsewhere,
and rules that change other sentences, leave it unchanged. Editing the work's own sentence
changes it: the correction is then reported as orphaned, never applied to another work.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["KEY_PATTERN", "normalise_text", "unique_keys", "work_key"]

#: ``w-`` and 12 hex digits (48 bits: a collision among a few thousand works is ~1e-8).
KEY_PATTERN = re.compile(r"^w-[0-9a-f]{12}(?:-[0-9]+)?$")
_QUOTES = re.compile(r"[„“”\"«»'`‘’‚]")
_DASHES = re.compile(r"[‐‑‒–—―-]")
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as the key sees it: NFC, one quote and one dash character, single spaces, casefolded.

    The report mixes „…“, "…" and “…”, en dashes and hyphens and stray spaces; a re-typed
    quote must not orphan a correction.
    """
    text = unicodedata.normalize("NFC", text)
    text = _DASHES.sub("-", _QUOTES.sub('"', text))
    return _SPACE.sub(" ", text).strip().casefold()


def work_key(anchor: str, subject: Iterable[str]) -> str:
    """The key of the work ``subject`` (its place labels or its name) stated in ``anchor``.

    >>> work_key("Ремонтирана е ул. „Кукуш“.", ["ул. „Кукуш“"]) == work_key(
    ...     "Ремонтирана е  ул. \\"Кукуш\\".", ["ул. „Кукуш“"])
    True
    """
    parts = [normalise_text(anchor), *(normalise_text(s) for s in subject)]
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=6).hexdigest()
    return f"w-{digest}"


def unique_keys(keys: Iterable[str]) -> list[str]:
    """The keys in order, a repeat suffixed ``-2``, ``-3`` … (the same words twice in a report)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out
