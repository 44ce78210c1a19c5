"""Find place mentions in a sentence of the report.

A mention is a type word plus a proper name (`бул. „Копривщица“`), a name continuing a list
after such a mention (`ДГ "Перуника" и "Снежанка"`), or a landmark the report names bare
(`Цар-Симеоновата градина`); see `rules/places.toml`. On top of single mentions the scanner
recognises three relations the register keeps (folded by `relations`):

* a segment: `ул. X (в участъка) от Y до Z` → X with ``between = [Y, Z]``;
* a block: `в карето (между) A – B – C – D` (or a dash chain of three or more streets)
  → one ``block`` mention with ``streets``;
* a junction: `кръстовището на бул. A и B` → one ``junction`` mention with ``streets``.

Quotes are normalised to ``"`` character by character, so offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

from extraction.initiatives import find_common_works, find_initiatives
from extraction.lexicon import compile_pattern, load_rules, rule_pattern, rule_text
from extraction.placekinds import OBJECT_KINDS, PLACE_KINDS, RELATION_KINDS, ROAD_KINDS, PlaceMention
from extraction.quotes import QUOTE_CHARS, clean_name, normalise_quotes, pretty_surface, quoted_spans
from extraction.relations import ends_segment, fold_relations, generic_sites

__all__ = [
    "OBJECT_KINDS",
    "PLACE_KINDS",
    "QUOTE_CHARS",
    "RELATION_KINDS",
    "ROAD_KINDS",
    "PlaceMention",
    "canonical_district",
    "find_common_works",
    "find_initiatives",
    "find_places",
    "normalise_quotes",
    "quoted_spans",
]


@cache
def _prefix_table() -> list[tuple[str, str, re.Pattern[str]]]:
    rules = load_rules("places")
    table = []
    for entry in rules["prefix"]:
        pat = re.compile(r"(?<![\w.])(?:" + entry["pattern"] + r")(?:(?<=\.)|(?=[\s\"]|$))")
        table.append((entry["kind"], entry.get("display", ""), pat))
    return table


@cache
def _district_forms() -> list[tuple[str, re.Pattern[str]]]:
    rules = load_rules("places")
    return [(canon, re.compile(rf"^(?:{forms})$")) for canon, forms in rules["district"].items()]


def canonical_district(name: str) -> str | None:
    """Map a district form ("Южния", "Тракия") to its canonical name, or None."""
    bare = name.strip().strip('"').strip()
    for canon, pat in _district_forms():
        if pat.match(bare):
            return canon
    return None


@cache
def _display_rules() -> dict[str, Any]:
    return dict(load_rules("places")["display"])


def _label(key: str) -> str:
    """A label template of ``[display]`` in `rules/places.toml` ("район „{name}“")."""
    return rule_text("places", "display", key)


def _pattern(key: str) -> re.Pattern[str]:
    """A pattern of ``[pattern]`` in `rules/places.toml`: the special cases are written there."""
    return rule_pattern("places", "pattern", key)


def _display(kind: str, prefix_display: str, prefix_text: str, name: str) -> str:
    """A place's label: its prefix's short form and its name in quotes ("ДГ „Зорница“")."""
    rules = _display_rules()
    if kind in ("district",):
        return _label("district").format(name=name)
    label = prefix_display or prefix_text
    if kind in ("school", "facility"):
        label = prefix_text
    if kind == "bridge" and prefix_text.lower().startswith(rules["bridge"]):
        label = rules["bridge"]
    if not label or label.lower() in rules["plural_prefixes"]:
        label = rules["kind_labels"].get(kind, label)
    for short, forms in rules["short_labels"].items():
        if label.lower() in forms:
            label = short
    return f"{label} „{name}“".strip() if label else f"„{name}“"


@cache
def _any_landmark() -> re.Pattern[str]:
    """Does a text name any landmark? (One scan before the landmarks are looked for one by one.)"""
    return re.compile("|".join(f"(?:{entry['pattern']})" for entry in load_rules("places")["landmark"]))


def _raw_mentions(s: str, original: str) -> list[PlaceMention]:
    """Prefixed names, bare landmarks and bare quoted strings (kind ``?``) in order."""
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    quoted = quoted_spans(s, original)
    inside_quote = [(a, b) for a, b, _ in quoted]
    for kind, disp, pat in _prefix_table():
        for m in pat.finditer(s):
            a = m.start()
            if not free(a, m.end()) or any(x < a < y for x, y in inside_quote):
                continue
            rest = s[m.end() :]
            gap = re.match(r"\s*(?:[-–:]\s*)?", rest)
            pos = m.end() + (gap.end() if gap else 0)
            q = next((t for t in quoted if t[0] == pos), None)
            if q is not None:
                name, end = q[2], q[1]
            else:
                um = _pattern("unquoted_name").match(s[m.end() :].lstrip())
                if not um or not (s[m.end() : m.end() + 1].isspace()):
                    continue
                off = len(s[m.end() :]) - len(s[m.end() :].lstrip())
                name, end = um.group(0), m.end() + off + um.end()
            name = clean_name(name)
            if not name:
                continue
            found.append(PlaceMention(name, kind, a, end, _display(kind, disp, m.group(0), name)))
            taken.append((a, end))
    landmarks = load_rules("places")["landmark"]
    for entry in landmarks if _any_landmark().search(s) else []:
        for m in compile_pattern(entry["pattern"]).finditer(s):
            if free(m.start(), m.end()):
                found.append(PlaceMention(entry["name"], entry["kind"], m.start(), m.end(), entry["name"]))
                taken.append((m.start(), m.end()))
    for a, b, text in quoted:
        if free(a, b):
            found.append(PlaceMention(clean_name(text), "?", a, b, f"„{clean_name(text)}“"))
    found.sort(key=lambda p: p.start)
    return found


def _resolve_bare(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Give bare quoted names a kind from list context, or drop them (they name organisations)."""
    out: list[PlaceMention] = []
    for pm in mentions:
        if pm.kind != "?":
            out.append(pm)
            continue
        before = s[: pm.start]
        prev = out[-1] if out else None
        gap = s[prev.end : pm.start] if prev else None
        if prev is not None and prev.kind != "?" and gap is not None and _pattern("list_gap").match(gap):
            kind = prev.kind
        elif ends_segment(before) and any(p.kind in ROAD_KINDS for p in out):
            kind = next(p.kind for p in reversed(out) if p.kind in ROAD_KINDS)
        elif canonical_district(pm.name) and _pattern("district_before").search(before):
            kind = "district"
        else:
            continue
        if kind == "district":
            pm.display = _label("district").format(name=pm.name)
        else:
            prefix = prev.display.split("„")[0].strip() if prev is not None and prev.kind == kind else ""
            pm.display = f"{prefix} „{pm.name}“".strip()
        pm.kind = kind
        out.append(pm)
    return out


def _canonicalise_districts(mentions: list[PlaceMention]) -> list[PlaceMention]:
    out = []
    for pm in mentions:
        if pm.kind == "district":
            canon = canonical_district(pm.name)
            if canon is None:
                # "район „Коматево“" (a former district) is a neighbourhood; a quoted title
                # after "районите – „Кино под звездите“" is not a place at all.
                if _pattern("former_district").fullmatch(pm.name):
                    pm.kind, pm.display = "neighbourhood", _label("neighbourhood").format(name=pm.name)
                    out.append(pm)
                continue
            pm.name, pm.display, pm.role = canon, _label("district").format(name=canon), "context"
        out.append(pm)
    return out


def find_places(sentence: str) -> list[PlaceMention]:
    """All place mentions in `sentence`, relations folded, in textual order.

    The same text is scanned more than once (a one-sentence note is also its sentence), so the
    answer is cached; each caller gets its own copies, which it may change.
    """
    return [replace(pm, between=list(pm.between), streets=list(pm.streets)) for pm in _find_places(sentence)]


@lru_cache(maxsize=4096)
def _find_places(sentence: str) -> tuple[PlaceMention, ...]:
    return tuple(_scan_places(sentence))


def _scan_places(sentence: str) -> list[PlaceMention]:
    s = normalise_quotes(sentence)
    mentions = _raw_mentions(s, sentence)
    for pm in mentions:
        pm.surface = pretty_surface(sentence[pm.start : pm.end])
    mentions = _resolve_bare(s, mentions)
    mentions = _canonicalise_districts(mentions)
    # A place in parentheses locates another one ("Зала по бадминтон (в двора на СУ „Васил
    # Левски“)"): it is context, not a work site of its own.
    for pm in mentions:
        opened = s.rfind("(", max(0, pm.start - 60), pm.start)
        closed = s.find(")", pm.end, pm.end + 60)
        if pm.role == "object" and opened >= 0 and ")" not in s[opened : pm.start] and closed >= 0:
            pm.role = "context"
    sites = generic_sites(s, mentions)
    for site in sites:
        site.surface = pretty_surface(sentence[site.start : site.end])
    mentions = sorted(mentions + sites, key=lambda p: (p.start, p.end))
    return fold_relations(s, mentions)
