"""The report's own structure as a way in: priority → measure → goal → works.

Why: residents and councillors know the programme by its chapters ("Мярка 1.2"), not by
category codes. Beside the map, every priority, measure and goal is a row with its works
counted by status (coloured as on the map); a click on a row filters the map to that level
(``priority=``, ``measure=`` or ``goal=`` in the URL, like every other filter). The counts
follow every other filter (status, category, district, search…) but not the structure's own,
so the whole structure stays in view and says what a click would show.

Titles come from the report's ``ПРИОРИТЕТ N.`` and ``Мярка N.M.`` headings
(``extraction.outline``) when the configured report is the one the register was built from
(same SHA-256); otherwise only the codes are shown. Goals are shown shortened.

The tree is one HTML block built here, every report text escaped (``escaping.html_text``),
mounted by a small Streamlit component (``st.components.v2``) whose script only reports
which row was clicked. On a phone the tree starts collapsed (one line above the map).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.escaping import html_text
from dashboard.filters import STRUCTURE_FACETS, FilterState, apply_filters
from dashboard.i18n import STATUSES, Lang, status_label, t
from dashboard.styles import STATUS_STYLES
from extraction.outline import parse_outline
from extraction.report import ReportError, read_report

GOAL_CHARS = 90
_KEY = "pv_structure"


@dataclass(frozen=True)
class Titles:
    """Headings of the report: priority number → title, measure code → title."""

    priorities: dict[str, str] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)


@st.cache_data(show_spinner=False, max_entries=2)
def report_titles(path: str, mtime: float, sha: str) -> Titles:
    """The headings of the report at ``path`` if its SHA-256 is ``sha`` (else no titles)."""
    del mtime  # cache key only
    if not path or not sha:
        return Titles()
    try:
        text = read_report(Path(path))
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
            return Titles()
        outline = parse_outline(text)
    except (OSError, ReportError):
        return Titles()
    priorities = {str(p.number): _sentence_case(p.title) for p in outline.priorities if p.title}
    measures = {m.code: m.title for p in outline.priorities for m in p.measures if m.title}
    return Titles(priorities, measures)


def _sentence_case(text: str) -> str:
    """An all-capitals heading ("ЗЕЛЕНА ГРАДСКА СРЕДА") as a sentence ("Зелена градска среда")."""
    return text[:1] + text[1:].lower() if text.isupper() else text


def short_goal(text: str, limit: int = GOAL_CHARS) -> str:
    """A goal cut at a word boundary to about ``limit`` characters (… when cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return (cut or text[:limit]) + "…"


@dataclass
class Node:
    """One row of the structure: its level, code, title, and works by status."""

    level: str
    code: str
    title: str
    counts: dict[str, int] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Works under this row."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Outline:
    """The register's priorities → measures → goals, and each row's place in them.

    Why apart from the counts: the levels and goal titles depend only on the register, so
    they are found once per register version (:func:`structure_outline`); a filter state
    then only counts its rows (:func:`outline_tree`), a loop over a few hundred tuples
    instead of a pandas selection per row of the tree (~0.2 s of CPU per new state).
    """

    #: (priority, ((measure, ((goal code, goal title), …)), …)) in display order.
    levels: tuple[tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]], ...]
    #: Per register row: (priority, measure, goal code or "", status).
    rows: tuple[tuple[str, str, str, str], ...]


def structure_outline(records: pd.DataFrame) -> Outline:
    """The levels of ``records`` (every priority and measure; goals with a report line)."""
    levels = []
    for priority in sorted({p for p in records["priority"] if p}, key=_number_key):
        measures = {m for m, p in zip(records["measure"], records["priority"], strict=True) if p == priority}
        children = []
        for measure in sorted(m for m in measures if m):
            goals = records[(records["measure"] == measure) & (records["goal_line"] > 0)]
            titled = tuple(
                (str(int(line)), short_goal(str(group["goal"].iloc[0])))
                for line, group in goals.groupby("goal_line", sort=True)
            )
            children.append((measure, titled))
        levels.append((priority, tuple(children)))
    rows = tuple(
        (p, m, str(int(g)) if int(g) > 0 else "", s)
        for p, m, g, s in zip(
            records["priority"], records["measure"], records["goal_line"], records["status"], strict=True
        )
    )
    return Outline(tuple(levels), rows)


def _ordered(counts: Counter[str]) -> dict[str, int]:
    """Counts by status in the legend's order (then any other status, most frequent first)."""
    ordered = {status: counts[status] for status in STATUSES if counts[status]}
    ordered.update((status, n) for status, n in counts.most_common() if status not in ordered)
    return ordered


def outline_tree(outline: Outline, rows: Iterable[bool], filters: FilterState, titles: Titles) -> list[Node]:
    """The tree of ``outline`` counting the rows flagged in ``rows`` (the register's rows that
    pass every non-structure filter); a goal is listed when it has works or is the chosen one."""
    by_priority: dict[str, Counter[str]] = {}
    by_measure: dict[tuple[str, str], Counter[str]] = {}
    by_goal: dict[tuple[str, str, str], Counter[str]] = {}
    for (priority, measure, goal, status), chosen in zip(outline.rows, rows, strict=True):
        if not chosen:
            continue
        by_priority.setdefault(priority, Counter())[status] += 1
        by_measure.setdefault((priority, measure), Counter())[status] += 1
        if goal:
            by_goal.setdefault((priority, measure, goal), Counter())[status] += 1
    chosen_goals = set(filters.goal)
    none: Counter[str] = Counter()
    tree: list[Node] = []
    for priority, measures in outline.levels:
        node = Node(
            "priority",
            priority,
            titles.priorities.get(priority, ""),
            _ordered(by_priority.get(priority, none)),
        )
        for measure, goals in measures:
            child = Node(
                "measure",
                measure,
                titles.measures.get(measure, ""),
                _ordered(by_measure.get((priority, measure), none)),
            )
            for code, title in goals:
                counts = by_goal.get((priority, measure, code), none)
                if counts or code in chosen_goals:
                    child.children.append(Node("goal", code, title, _ordered(counts)))
            node.children.append(child)
        tree.append(node)
    return tree


def structure_tree(records: pd.DataFrame, filters: FilterState, titles: Titles) -> list[Node]:
    """Priorities → measures → goals of the register, counted under every non-structure filter.

    Every priority and measure of the register is listed (with 0 when the other filters leave
    none of its works); a goal is listed when it has works or is the chosen one. Built from
    scratch; the map view shares the outline per register version (``map_view``).
    """
    other = replace(filters, priority=(), measure=(), goal=())
    return outline_tree(structure_outline(records), apply_filters(records, other), filters, titles)


def tree_rows(tree: Iterable[Node]) -> frozenset[str]:
    """Every row the tree draws as ``level:code``: the only values a click may choose."""
    return frozenset(
        f"{node.level}:{node.code}"
        for priority in tree
        for node in [priority, *priority.children, *(g for m in priority.children for g in m.children)]
    )


def _number_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def _badges(counts: dict[str, int], lang: Lang) -> str:
    """The counts by status as coloured pills (the map legend's colours), then the total."""
    e = html_text
    pills = []
    for status, n in counts.items():
        colour = STATUS_STYLES.get(status, STATUS_STYLES["unknown"]).hex
        label = e(f"{status_label(status, lang)}: {n}")
        pills.append(
            f'<span class="pv-n" style="--c:{colour}" title="{label}" aria-label="{label}">{n}</span>'
        )
    total = sum(counts.values())
    label = e(t("structure_total", lang, n=total))
    pills.append(f'<span class="pv-total" title="{label}" aria-label="{label}">{total}</span>')
    return f'<span class="pv-counts">{"".join(pills)}</span>'


def _row(node: Node, filters: FilterState, lang: Lang) -> str:
    """A row's button (code and title) and its counts; ``pv-on`` when it is the filter."""
    e = html_text
    on = node.code in filters.values(node.level)
    if node.level == "goal":
        head = e(t("structure_goal", lang))
    else:
        head = e(t("priority_n" if node.level == "priority" else "measure_n", lang, n=node.code))
    title = f' <span class="pv-title">{e(node.title)}</span>' if node.title else ""
    classes = "pv-row" + (" pv-on" if on else "") + (" pv-zero" if not node.total else "")
    return (
        f'<button type="button" class="{classes}" data-level="{e(node.level)}" data-code="{e(node.code)}"'
        f' aria-pressed="{"true" if on else "false"}" title="{e(t("structure_click", lang))}">'
        f'<span class="pv-head">{head}</span>{title}</button>{_badges(node.counts, lang)}'
    )


def _contains(node: Node, filters: FilterState) -> bool:
    """Whether the node or one of its descendants is a chosen filter value."""
    return node.code in filters.values(node.level) or any(_contains(c, filters) for c in node.children)


def structure_html(tree: Iterable[Node], filters: FilterState, lang: Lang) -> str:
    """The whole tree as nested ``<details>`` (the chosen row's branch open), escaped."""
    e = html_text
    legend = "".join(
        f'<span class="pv-key"><i style="background:{STATUS_STYLES[s].hex}"></i>'
        f"{e(status_label(s, lang))}</span>"
        for s in STATUSES
        if s != "unknown"
    )
    items = []
    for priority in tree:
        measures = []
        for measure in priority.children:
            goals = "".join(
                f'<li class="pv-goal">{_row(goal, filters, lang)}</li>' for goal in measure.children
            )
            is_open = " open" if _contains(measure, filters) else ""
            body = f"<ul>{goals}</ul>" if goals else ""
            measures.append(
                f'<li><details data-id="m{e(measure.code)}"{is_open}><summary>{_row(measure, filters, lang)}'
                f"</summary>{body}</details></li>"
            )
        nothing_chosen = not any(filters.values(f) for f in STRUCTURE_FACETS)
        is_open = " open" if nothing_chosen or _contains(priority, filters) else ""
        items.append(
            f'<li><details data-id="p{e(priority.code)}"{is_open}><summary>{_row(priority, filters, lang)}'
            f"</summary><ul>{''.join(measures)}</ul></details></li>"
        )
    hint = e(t("structure_hint", lang))
    return (
        f'<details class="pv-tree" data-id="root" data-wide-open="1"><summary class="pv-top">'
        f'{e(t("structure_title", lang))}</summary><p class="pv-hint">{hint}</p>'
        f'<div class="pv-legend-line">{legend}</div><ul class="pv-levels">{"".join(items)}</ul></details>'
    )


_CSS = """
:host, .pv-wrap {display: block; font-size: .9rem; line-height: 1.3;}
.pv-tree > summary.pv-top {font-weight: 700; font-size: 1rem; cursor: pointer; padding: .2rem 0;}
.pv-hint {margin: .2rem 0 .3rem; font-size: .8rem; opacity: .75;}
.pv-legend-line {display: flex; flex-wrap: wrap; gap: .15rem .6rem; font-size: .75rem; margin-bottom: .3rem;}
.pv-key i {display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin-right: .25rem;
  vertical-align: -1px;}
.pv-levels {max-height: 560px; overflow: auto; padding-right: .2rem;}
ul {list-style: none; margin: 0; padding: 0 0 0 .9rem;}
.pv-levels {padding-left: 0;}
li {margin: 0;}
summary {cursor: pointer; padding: .15rem 0; border-bottom: 1px solid rgba(128,128,128,.2);
  list-style: none; display: grid; grid-template-columns: 1rem 1fr; align-items: start;}
summary::-webkit-details-marker {display: none;}
summary::before {content: "▸"; opacity: .7;}
details[open] > summary::before {content: "▾";}
summary > .pv-counts {grid-column: 2;}
.pv-goal {padding: .15rem 0 .15rem 1rem; border-bottom: 1px dotted rgba(128,128,128,.25);}
.pv-row {all: unset; cursor: pointer; border-radius: 3px; padding: 0 .15rem;}
.pv-row:hover .pv-head, .pv-row:hover .pv-title, .pv-row:focus-visible .pv-title {text-decoration: underline;}
.pv-row:focus-visible {outline: 2px solid #1f4e9c;}
.pv-row.pv-on {background: rgba(31,78,156,.16); box-shadow: inset 3px 0 0 #1f4e9c; padding-left: .35rem;}
.pv-row.pv-zero {opacity: .55;}
.pv-head {font-weight: 700; white-space: nowrap;}
.pv-goal .pv-head {font-weight: 600; opacity: .8;}
.pv-counts {display: block; margin: .1rem 0 0 .15rem; white-space: normal;}
.pv-n, .pv-total {display: inline-block; min-width: 1.1rem; text-align: center; margin: 0 .15rem .1rem 0;
  padding: 0 .3rem; border-radius: .6rem; font-size: .75rem; line-height: 1.15rem;}
.pv-n {background: var(--c); color: #fff; font-weight: 600;}
.pv-total {border: 1px solid rgba(128,128,128,.6);}
"""

#: Draws the escaped HTML it is given and reports the clicked row; remembers which branches
#: the reader opened or closed (the HTML opens the chosen row's branch). The outer block is
#: open on a wide screen, closed on a phone, until the reader toggles it.
_JS = """
const remembered = new Map();
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let box = parentElement.querySelector('.pv-wrap');
  if (!box) {
    box = document.createElement('div');
    box.className = 'pv-wrap';
    parentElement.appendChild(box);
    box.addEventListener('click', (event) => {
      const row = event.target.closest('button.pv-row');
      if (row) {
        event.preventDefault();
        setTriggerValue('select', row.dataset.level + ':' + row.dataset.code);
        return;
      }
      const summary = event.target.closest('summary');
      if (summary) { remembered.set(summary.parentElement.dataset.id, !summary.parentElement.open); }
    });
  }
  box.innerHTML = data;
  box.querySelectorAll('details[data-id]').forEach((d) => {
    if (remembered.has(d.dataset.id)) { d.open = remembered.get(d.dataset.id); }
    else if (d.dataset.wideOpen) { d.open = window.matchMedia('(min-width: 641px)').matches; }
  });
  // The chosen row in view inside the scrolled list.
  const levels = box.querySelector('.pv-levels');
  const chosen = box.querySelector('.pv-on');
  if (levels && chosen) {
    const top = chosen.getBoundingClientRect().top - levels.getBoundingClientRect().top;
    if (top < 0 || top > levels.clientHeight - 40) { levels.scrollTop += top - 60; }
  }
}
"""

_COMPONENT = st.components.v2.component("pv_structure", css=_CSS, js=_JS)


def _on_select(valid: frozenset[str]) -> None:
    """Component callback: the clicked ``level:code`` becomes the structure filter."""
    value = st.session_state[_KEY].get("select")
    if not isinstance(value, str) or value not in valid:
        return  # only rows the tree drew
    level, _, code = value.partition(":")
    state.select_structure(level, code)


def show_structure(html: str, rows: frozenset[str]) -> None:
    """Mount the tree's HTML (:func:`structure_html`); a click on one of ``rows``
    (:func:`tree_rows`) becomes the structure filter."""
    _COMPONENT(data=html, key=_KEY, on_select_change=partial(_on_select, rows))


def render_structure(records: pd.DataFrame, filters: FilterState, titles: Titles, lang: Lang) -> None:
    """The structure block (the caller places it beside the map), built from scratch."""
    tree = structure_tree(records, filters, titles)
    show_structure(structure_html(tree, filters, lang), tree_rows(tree))
