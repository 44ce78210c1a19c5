"""Quotes in the report: which quote opens and which closes, and one quote character for all.

Why a module of its own: place names, initiative titles and status cues all need to know what
is inside quotes (a quoted title names a programme, it does not state a stage), and the report
mixes „…“, "…", “…” and «…» — also nested. Every other module reads quotes through this one.
"""

from __future__ import annotations

import re

__all__ = ["QUOTE_CHARS", "clean_name", "normalise_quotes", "pretty_surface", "quoted_spans"]

QUOTE_CHARS = '„“”"«»‟″'
_QUOTE_TABLE = str.maketrans({c: '"' for c in QUOTE_CHARS})
_QUOTE = re.compile(f"[{QUOTE_CHARS}]")


def normalise_quotes(text: str) -> str:
    """Map every quote character to ``"`` (one character for one, offsets unchanged)."""
    return text.translate(_QUOTE_TABLE)


def quoted_spans(s: str, original: str | None = None) -> list[tuple[int, int, str]]:
    """Spans of quoted text as (start, end, inner text), nested quotes resolved innermost-first.

    Bulgarian text mixes „…“ with "…" and “…”, and nests them („Проект на „Тютюнев град““),
    so direction comes from context: „ and « open, » closes, and a straight or curly quote
    opens after a space or at the start and closes after a letter — unless nothing is open.
    """
    src = original if original is not None else s
    stack: list[int] = []
    spans: list[tuple[int, int, str]] = []
    for m in _QUOTE.finditer(src):
        i, ch = m.start(), m.group(0)
        prev = src[i - 1] if i else " "
        if ch in "„«":
            opening = True
        elif ch == "»":
            opening = False
        else:
            opening = prev.isspace() or prev in "(/-–:;,"
        if opening or not stack:
            stack.append(i)
            continue
        a = stack.pop()
        if 0 < i - a - 1 <= 200:
            spans.append((a, i + 1, s[a + 1 : i]))
    spans.sort()
    return spans


def pretty_surface(text: str) -> str:
    """The mention as written, with its quotes made Bulgarian („…“) and spaces collapsed."""
    out, opened = [], False
    for ch in re.sub(r"\s+", " ", text.strip()):
        if ch in QUOTE_CHARS:
            out.append("“" if opened else "„")
            opened = not opened
        else:
            out.append(ch)
    return "".join(out).strip(" ,;")


def clean_name(name: str) -> str:
    """A name with its spaces collapsed and stray dashes and commas trimmed."""
    return re.sub(r"\s+", " ", name).strip(" -–,")
