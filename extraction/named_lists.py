"""Named items listed under a plural head: one work per name (labelling guide §7.1).

Why: "утвърдени фестивали („Сцена на кръстопът“, Международния фестивал на камерната музика,
Международните фотографски срещи …)" names four festivals, "Собствени продукции са – откриващо
събитие на ЕСИ, Пътят към върха, Коледа …" seven productions. A careful reader lists each one;
read as a sentence they make no record at all (no stage word), and the initiative reading
(`initiatives`) only sees a title that follows its head word directly. The heads, the list's
openers and which heads are events are in `rules/works.toml` under ``[named_lists]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from extraction.lemmas import tokens
from extraction.lexicon import load_rules, rule_pattern
from extraction.quotes import QUOTE_CHARS, clean_name, quoted_spans

__all__ = ["NamedItem", "named_list_items"]


@dataclass(frozen=True)
class NamedItem:
    """One named work of a list: ``name`` its record's title, ``text`` the item as written
    (from ``start`` to ``end`` of the sentence), ``label`` its head's label, ``event`` whether
    the head is an event a calendar holds (see ``[named_lists]``), ``lead`` the sentence up to
    the list (the head and what it says of all the items)."""

    name: str
    text: str
    label: str
    event: bool
    start: int
    end: int
    lead: str = ""


@cache
def _table() -> dict[str, Any]:
    return dict(load_rules("works")["named_lists"])


def _pattern(key: str) -> re.Pattern[str]:
    return rule_pattern("works", "named_lists", key, True)


def _blank_quotes(text: str) -> str:
    """The text with quoted titles blanked (same length): their commas separate nothing."""
    out = list(text)
    for start, end, _ in quoted_spans(text):
        out[start:end] = " " * (end - start)
    return "".join(out)


def _region(text: str, blanked: str, head_end: int) -> tuple[int, int] | None:
    """Where the list after a head stands: after its opener, to the closing bracket (for "(")
    or the clause's end; None when no opener follows within ``max_gap`` in the same clause."""
    gap = blanked[head_end : head_end + int(_table()["max_gap"])]
    m = _pattern("opener").search(gap)
    if (
        m is None
        or any(ch in gap[: m.start()] for ch in '.;("„“”')
        or _pattern("clause").search(gap[: m.start()])
    ):
        return None
    start = head_end + m.end()
    if m.group(0) == "(":
        close = blanked.find(")", start)
        end = close if close >= 0 else len(text)
    else:
        stops = [i for i in (blanked.find(";", start), blanked.find("(", start)) if i >= 0]
        end = min(stops) if stops else len(text)
    return start, end


def _items(text: str, blanked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma-separated items of ``text[start:end]`` (a final "А и Б" of two
    names is two items)."""
    spans: list[tuple[int, int]] = []
    pos = start
    for piece in blanked[start:end].split(","):
        a, b = pos, pos + len(piece)
        pos = b + 1
        etc = _pattern("etc").search(text[a:b])
        if etc is not None:
            b = a + etc.start()
        while a < b and text[a].isspace():
            a += 1
        b = a + len(text[a:b].rstrip(" .…"))
        if a < b:
            spans.append((a, b))
    if spans:
        a, b = spans[-1]
        m = re.search(r"\sи\s", blanked[a:b])
        if m is not None and _named(text[a : a + m.start()]) and _named(text[a + m.end() : b]):
            spans[-1:] = [(a, a + m.start()), (a + m.end(), b)]
    return spans


def _named(item: str) -> bool:
    """Is the item a name: quoted, or opening with a capital letter?"""
    item = item.strip()
    return bool(item) and (item[0] in QUOTE_CHARS or item[0].isupper())


def _organisation(item: str) -> bool:
    """Does the item open with an acronym ("НХГ „Цанко Лавренов“", "НГСЕИ")? Lists of those
    name schools and institutes — who takes part (§5.7), not what is held."""
    first = item.strip().strip("".join(QUOTE_CHARS)).split(maxsplit=1)
    return bool(first) and len(first[0]) > 1 and first[0].isupper()


def _title(item: str, label: str, head: str) -> str:
    """The record's name: the item itself when it says what it is ("Международния фестивал на
    камерната музика"), else the head's label with the name („Сцена на кръстопът“)."""
    bare = clean_name(item.strip().strip("".join(QUOTE_CHARS)))
    if any(lemma == head for _, _, _, lemma in tokens(bare)):
        return bare[:1].upper() + bare[1:]
    if _named(item):
        return f"{label} „{bare}“"
    return f"{label} – {bare}"


def named_list_items(sentence: str) -> list[NamedItem]:
    """The named works listed under a plural head in ``sentence``, in order (see module doc)."""
    if _pattern("opener").search(sentence) is None:
        return []  # no list opens anywhere: skip lemmatising the sentence (most sentences)
    table = _table()
    heads: dict[str, str] = table["heads"]
    events = set(table["events"])
    plural = _pattern("plural")
    blanked = _blank_quotes(sentence)
    found: list[NamedItem] = []
    for start, end, word, lemma in tokens(sentence):
        if lemma not in heads or word == lemma or not plural.search(word):
            continue
        if found and start < found[-1].end:
            continue  # a head inside a list already read
        region = _region(sentence, blanked, end)
        if region is None:
            continue
        spans = _items(sentence, blanked, *region)
        texts = [sentence[a:b] for a, b in spans]
        max_words = int(table["max_words"])  # a quoted title may be longer: it is a name
        if (
            len(spans) < int(table["min_items"])
            or any(len(t.split()) > max_words and t.strip()[0] not in QUOTE_CHARS for t in texts)
            or sum(_named(t) for t in texts) * 2 < len(texts)
            or sum(_organisation(t) for t in texts) * 2 >= len(texts)
            or not _named(texts[-1])
        ):
            continue
        for (a, b), text in zip(spans, texts, strict=True):
            found.append(
                NamedItem(_title(text, heads[lemma], lemma), text, heads[lemma], lemma in events, a, b)
            )
    return found
