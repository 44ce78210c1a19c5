"""The works of a place-less list under one action: one per item (labelling guide §2.3, §5.7).

Why: "Проведени са информационни срещи с гражданите, разработени аудиоклипове, публикации в
медиите, билборд кампании" names four works at one stage. Read as one record, the register
hides three of them and gives all four one category. Items that are with whom, through what
or where (partners, participants, channels, venues) are not works, so an item that only
continues a preposition's phrase stays with the item before it. The patterns are in
`rules/works.toml` under ``[list_items]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from extraction.lemmas import lemma, tokens
from extraction.lexicon import load_rules, rule_pattern
from extraction.rules import CueMatch, status_cues

__all__ = ["ListItem", "list_items", "stage_object"]

#: Auxiliaries and the conjunction an item may open with before its own words.
_AUX = frozenset({"са", "е", "бяха", "беше", "бе", "били", "и"})
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ListItem:
    """One listed work: ``title`` its own words (its stage words dropped), ``text`` the item as
    written (with them: its own stage cue, if any, decides its stage)."""

    title: str
    text: str


@cache
def _table() -> dict[str, Any]:
    return dict(load_rules("works")["list_items"])


def _pattern(key: str) -> re.Pattern[str]:
    return rule_pattern("works", "list_items", key, True)


def _blank_brackets(text: str) -> str:
    """Parenthesised and quoted text blanked (same length): its commas separate no items."""
    out = list(text)
    depth = 0
    quote = False
    for i, ch in enumerate(text):
        if ch in '„“"' and not depth:
            quote = ch == "„" or (ch == '"' and not quote)
            continue
        if ch == "(":
            depth += 1
        if depth or quote:
            out[i] = " "
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


def _region(text: str) -> tuple[int, int, str] | None:
    """Where the list stands: from the stage cue that opens the sentence ("Изработени са …"),
    or after a copula and a dash ("… са – А, Б, В"), to the first clause that qualifies it; and
    the text with its brackets blanked."""
    lead = _pattern("lead").search(text)
    cues = status_cues(text)
    if lead is not None:
        start = lead.end()
    elif (
        cues
        and "," not in text[: cues[0].start]
        and len(text[: cues[0].start].split()) <= int(_table()["max_before"])
    ):
        start = cues[0].start
    else:
        return None
    blanked = _blank_brackets(text)
    stop = _pattern("stop").search(blanked, start)
    end = stop.start() if stop else len(text)
    return start, len(text[:end].rstrip(" .")) if end == len(text) else end, blanked


def _split(part: str, offset: int, blanked: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of ``blanked[offset:offset+len(part)]``."""
    spans: list[tuple[int, int]] = []
    pos = offset
    for piece in blanked[offset : offset + len(part)].split(","):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return spans


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _split_and(text: str, span: tuple[int, int], several: bool) -> list[tuple[int, int]]:
    """The last "А и Б" of a list is two items, unless the "и" stands inside a phrase; "X на А и
    X на Б" is two items wherever it stands (the head word repeats)."""
    a, b = span
    piece = text[a:b]
    preps = set(_table()["not_openers"])
    for m in reversed(list(re.finditer(r"\sи\s", piece))):
        left, right = _words(piece[: m.start()]), _words(piece[m.end() :])
        if not left or not right:
            continue
        repeated = left[0] == right[0] and left[0] not in preps
        inside = any(w in preps for w in left[1:])
        if repeated or (several and not inside):
            return [(a, a + m.start()), (a + m.end(), b)]
    return [span]


_PARTICIPLE_END = re.compile(r"(?:[ая]н|ен|[аияеу]т)[аои]?$")


def _is_participle(word: str) -> bool:
    """Is `word` a past participle ("отпечатани", "заснети"), read from its lemma: a verb's
    ("отпечатам", "заснема", "проведа"), not an adjective's ("зелени" → "зелен") nor a noun's
    plural ("стени" → "стена")?"""
    word = word.casefold()
    if not _PARTICIPLE_END.search(word):
        return False
    base = lemma(word)
    return base != word and base[-1:] in ("м", "я", "а") and base != word[:-1] + "а"


def _opens_with_action(item: str) -> bool:
    """Does the item open with a stage word of its own ("разработени аудиоклипове")?"""
    words = item.split()
    cue = next((c for c in status_cues(item) if c.start == 0), None)
    return cue is not None or (len(words) > 1 and _is_participle(words[0].strip(",")))


def _own_words(item: str, cues: list[CueMatch] | None = None) -> str:
    """The item without the stage cue and auxiliaries it opens with ("разработени аудиоклипове").

    A cue of more than two words may hold the thing itself ("проведени са информационни
    срещи" is a step cue): only its first word, the verb, is dropped then. The cues are found
    once, in the whole item (`cues`: already found, offsets in `item`)."""
    text = item.lstrip(" ,–-")
    shift = len(item) - len(text)
    text = text.rstrip(" ,–-")
    found = status_cues(text) if cues is None else [c for c in cues if c.start >= shift]
    starts = {c.start - (0 if cues is None else shift): c for c in found}
    pos = 0
    while pos < len(text):
        first = text[pos:].split(maxsplit=1)
        if not first:
            break
        cue = starts.get(pos)
        word_end = pos + len(first[0])
        if cue is not None and len(cue.text.split()) <= 2:
            pos = pos + len(cue.text)
        elif cue is not None or first[0].casefold() in _AUX or (len(first) > 1 and _is_participle(first[0])):
            pos = word_end
        else:
            break
        pos += len(text[pos:]) - len(text[pos:].lstrip())
    return text[pos:].strip()


def _is_thing(words: str) -> bool:
    """Can the item's own words name a work: a noun phrase, not a clause, a person or a channel?"""
    toks = tokens(words)
    table = _table()
    if not toks or len(toks) > int(table["max_words"]) or toks[0][0] != 0:
        return False
    if toks[0][2] in table["not_openers"]:
        return False
    heads = set(table["not_work_heads"])
    # The head of a Bulgarian noun phrase is its last word before the first preposition.
    preps = set(table["not_openers"])
    head = next((t for i, t in enumerate(toks) if i + 1 == len(toks) or toks[i + 1][2] in preps), toks[-1])
    return head[2] not in heads and head[3] not in heads


def _opens_phrase(raw: str) -> str:
    """ "with" when the item ends in a phrase of with whom ("сътрудничество с А"), "where" when
    of through what or where ("публикации в медиите"), "" when in neither. A name's own words
    ("Пътят към върха") are no such phrase."""
    if raw[:1].isupper():
        return ""
    table = _table()
    words = _words(raw)[1:]
    if any(w in table["with_whom"] for w in words):
        return "with"
    return "where" if any(w in table["partner_prepositions"] for w in words) else ""


def _continues_phrase(own: str) -> bool:
    """Is the item one more partner, participant, channel or venue: a person's or a channel's
    word, or a name?"""
    toks = tokens(own)
    heads = set(_table()["not_work_heads"])
    return own[:1].isupper() or any(t[2] in heads or t[3] in heads for t in toks[:3])


def list_items(text: str) -> list[ListItem]:
    """The works listed under one action of a place-less sentence; [] when it lists fewer than two.

    An item with no stage cue of its own after an item that ends in a partner's, channel's or
    venue's phrase continues that phrase ("срещи с кметовете, експертите и гражданите" is one
    work); so does an item that is no thing (a clause, a person, a channel).
    """
    region = _region(text)
    if region is None:
        return []
    start, end, blanked = region
    parts = _split(text[start:end], start, blanked)
    # Only the last part's "и" joins list items ("А, Б и В"); a lone part splits only at a
    # repeated head ("X на А и X на Б").
    spans = [*parts[:-1], *_split_and(blanked, parts[-1], several=len(parts) > 1)]
    items: list[ListItem] = []
    phrase = ""  # the item before ends in a partner's ("with") or a channel's or venue's phrase
    for a, b in spans:
        raw = text[a:b].strip()
        own = _own_words(re.sub(r"\s*\([^()]*\)", "", raw))
        has_cue = _opens_with_action(raw)
        if phrase and not has_cue and (phrase == "with" or _continues_phrase(own)):
            continue  # one more partner, participant, channel or venue
        if not _is_thing(own):
            if not items:
                return []  # the action's object is no list of things
            continue
        items.append(ListItem(own[:1].upper() + own[1:], raw))
        phrase = _opens_phrase(own)
    return items if len(items) > 1 else []


@lru_cache(maxsize=4096)
def stage_object(text: str) -> str:
    """The words after a sentence's first stage cue, its stage words dropped: the object the
    action is done to ("Приет е правилник за дейността" → "правилник за дейността"), "" when the
    sentence states no stage. Its head says what the work is (`rules.head_categories`)."""
    cues = status_cues(text)
    if not cues:
        return ""
    start = cues[0].start  # the sentence's cues, moved to the object's offsets: no new scan
    moved = [replace(c, start=c.start - start, end=c.end - start) for c in cues]
    return _own_words(text[start:], moved)
