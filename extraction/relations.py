"""Relations between place mentions: segments, blocks, junctions, and sites placed by district.

Why apart from `places`: `places` finds single names; this module folds runs of them into the
one work the register keeps — `ул. X от Y до Z` (a segment), `карето A – B – C – D` (a block),
`кръстовището на A и B` (a junction) — and makes an unnamed site per district ("двете нови ДГ
в „Южен“ и в „Тракия“").
"""

from __future__ import annotations

import re

from extraction.lexicon import compile_pattern, load_rules, rule_pattern, rule_text
from extraction.placekinds import ROAD_KINDS, PlaceMention

__all__ = ["ends_segment", "fold_relations", "generic_sites"]


def _pattern(key: str) -> re.Pattern[str]:
    """A pattern of ``[pattern]`` in `rules/places.toml`: the special cases are written there."""
    return rule_pattern("places", "pattern", key)


def ends_segment(before: str) -> bool:
    """Does the text before a place make it an end of a segment ("ул. X от Y до Z")?"""
    return bool(_pattern("from_before").search(before) or _pattern("to_before").search(before))


def _chain(s: str, mentions: list[PlaceMention], i: int, gap_re: re.Pattern[str]) -> list[int]:
    """Indices of the run of road mentions starting at `i` joined by list separators."""
    run = [i]
    j = i + 1
    while j < len(mentions) and mentions[j].kind in ROAD_KINDS:
        if not gap_re.match(s[mentions[run[-1]].end : mentions[j].start]):
            break
        run.append(j)
        j += 1
    return run


def generic_sites(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Unnamed sites placed by district ("двете нови ДГ в „Южен“ и в „Тракия“"): one per district."""
    sites: list[PlaceMention] = []
    districts = [m for m in mentions if m.kind == "district"]
    for entry in load_rules("places").get("generic", []):
        for g in compile_pattern(entry["pattern"]).finditer(s):
            prev_end = g.end()
            first = True
            for d in districts:
                if d.start < prev_end:
                    continue
                gap_re = _pattern("generic_gap" if first else "district_chain_gap")
                if not gap_re.match(s[prev_end : d.start]):
                    break
                end = d.end
                paren = re.match(r"\s*\(([^()]{1,40})\)", s[end:])
                suffix = f" ({paren.group(1)})" if paren else ""
                if paren:
                    end += paren.end()
                sites.append(
                    PlaceMention(
                        rule_text("places", "display", "generic_name").format(
                            label=entry["label"], district=d.name, suffix=suffix
                        ),
                        entry["kind"],
                        g.start() if first else d.start,
                        end,
                        rule_text("places", "display", "generic_label").format(
                            label=entry["label"], district=d.name, suffix=suffix
                        ),
                        district=d.name,
                    )
                )
                prev_end, first = d.end, False
    return sites


def fold_relations(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Fold endpoints, block members and junction members into their relation mention."""
    out: list[PlaceMention] = []
    i = 0
    while i < len(mentions):
        pm = mentions[i]
        before = s[: pm.start]
        if pm.kind in ROAD_KINDS and _pattern("junction_before").search(before):
            run = _chain(s, mentions, i, _pattern("run_gap"))
            names: list[str] = []
            for k in run:
                names.extend(p.strip() for p in _pattern("junction_and").split(mentions[k].name))
            # Pair the names in order: "A и B, C и D" → (A, B), (C, D).
            for a in range(0, len(names) - 1, 2):
                pair = names[a : a + 2]
                out.append(
                    PlaceMention(
                        " / ".join(pair),
                        "junction",
                        mentions[run[0]].start if a == 0 else mentions[run[min(a, len(run) - 1)]].start,
                        mentions[run[-1]].end,
                        rule_text("places", "display", "junction").format(streets=" / ".join(pair)),
                        streets=pair,
                    )
                )
            i = run[-1] + 1
            continue
        if pm.kind in ROAD_KINDS:
            block_trigger = _pattern("block_before").search(before[-80:])
            run = _chain(s, mentions, i, _pattern("run_gap"))
            dash_run = _chain(s, mentions, i, _pattern("dash_gap"))
            between_trigger = _pattern("between_before").search(before)
            if (block_trigger and len(run) >= 2) or len(dash_run) >= 3 or (between_trigger and len(run) >= 3):
                members = run if len(run) >= len(dash_run) else dash_run
                streets = [mentions[k].display for k in members]
                out.append(
                    PlaceMention(
                        " – ".join(mentions[k].name for k in members),
                        "block",
                        pm.start,
                        mentions[members[-1]].end,
                        rule_text("places", "display", "block").format(streets=" – ".join(streets)),
                        streets=streets,
                    )
                )
                i = members[-1] + 1
                continue
        if ends_segment(before):
            pm.role = "endpoint"
        out.append(pm)
        i += 1
    # Attach "от Y до Z" endpoints to the road right before them ("ул. X от Y до Z").
    result: list[PlaceMention] = []
    for pm in out:
        if pm.role == "endpoint" and result:
            host = result[-1]
            gap = s[host.end : pm.start]
            from_ok = not host.between and _pattern("from_gap").match(gap)
            to_ok = len(host.between) == 1 and _pattern("to_gap").match(gap)
            if (
                host.role == "object"
                and host.kind in ROAD_KINDS | {"bridge", "underpass"}
                and (from_ok or to_ok)
            ):
                host.between.append(pm.display)
                host.end = pm.end
                continue
            if host.role == "endpoint" and _pattern("to_gap").match(gap):
                # "от Y до Z" with no road before it: a pair the caller attaches to the goal's road.
                host.between.append(pm.display)
                host.end = pm.end
                continue
        result.append(pm)
    return result
