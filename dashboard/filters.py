"""The sidebar filters as a value: parsed from and written to the URL, applied to the table.

Why a value object: a shared link must reproduce the view, so the filter state has exactly
one serialised form (the query string, language-independent codes such as
``?status=stalled&district=Тракия``) and one parser that validates it — values not in the
vocabulary are dropped and reported, never guessed. Counts for each option are computed with
every *other* filter applied (facet counts), so they say what choosing the option would give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data import NO_DISTRICT
from dashboard.i18n import CATEGORIES, PRECISIONS, REVIEWS, STATUSES
from dashboard.search import names_mask

FACETS: tuple[str, ...] = (
    "priority", "status", "category", "district", "measure", "precision", "review", "goal",
)  # fmt: skip
#: The facets the sidebar offers as drop-downs; a goal is chosen in the report's structure
#: (``dashboard.structure``) and shown in the sidebar as a removable chip.
SIDEBAR_FACETS: tuple[str, ...] = tuple(f for f in FACETS if f != "goal")
#: The report's own levels, priority → measure → goal (one is chosen at a time there).
STRUCTURE_FACETS: tuple[str, ...] = ("priority", "measure", "goal")
MAX_QUERY = 200


@dataclass(frozen=True)
class FilterState:
    """Selected codes per facet (empty = no restriction) and the free-text query."""

    priority: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    measure: tuple[str, ...] = ()
    precision: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    #: Goals by the report line they stand on (``goal_line``), as text: ``("101",)``.
    goal: tuple[str, ...] = ()
    q: str = ""

    def values(self, facet: str) -> tuple[str, ...]:
        """The selection of one facet."""
        return tuple(getattr(self, facet))

    def with_values(self, facet: str, values: Iterable[str]) -> FilterState:
        """A copy with one facet changed."""
        changes: dict[str, Any] = {facet: tuple(values)}
        return replace(self, **changes)

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any(getattr(self, f.name) for f in fields(self))


def facet_options(records: pd.DataFrame, district_names: Iterable[str]) -> dict[str, list[str]]:
    """Every valid code per facet, in display order (vocabularies, then what the data holds)."""

    def sorted_unique(values: Iterable[str]) -> list[str]:
        return sorted({v for v in values if v})

    data_districts = {d for ds in records["map_districts"] for d in ds} if len(records) else set()
    districts = list(dict.fromkeys([*district_names, *sorted(data_districts)]))
    return {
        "priority": sorted_unique(["1", "2", "3", *records["priority"]]),
        "status": [s for s in STATUSES if s != "unknown" or (records["status"] == "unknown").any()],
        "category": list(CATEGORIES),
        "district": [*districts, NO_DISTRICT],
        "measure": sorted_unique(records["measure"]),
        "precision": list(PRECISIONS),
        "review": list(REVIEWS),
        "goal": goal_options(records),
    }


def goal_options(records: pd.DataFrame) -> list[str]:
    """The goals' line numbers as text, in report order (0 = no goal line is left out)."""
    lines = sorted({int(n) for n in records["goal_line"] if int(n) > 0}) if len(records) else []
    return [str(n) for n in lines]


def _split(raw: Iterable[str]) -> list[str]:
    """Repeated parameters and comma-separated lists are both accepted."""
    return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


def parse_params(
    params: Mapping[str, list[str]], options: Mapping[str, list[str]]
) -> tuple[FilterState, list[str]]:
    """The filter state a URL asks for, and the ``key=value`` items that were ignored."""
    invalid: list[str] = []
    chosen: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        values = _split(params.get(facet, []))
        valid = [v for v in values if v in options[facet]]
        invalid += [f"{facet}={v}" for v in values if v not in options[facet]]
        chosen[facet] = tuple(dict.fromkeys(valid))
    query = " ".join(params.get("q", [])).strip()
    if len(query) > MAX_QUERY:
        invalid.append(f"q ({len(query)} > {MAX_QUERY})")
        query = query[:MAX_QUERY]
    return FilterState(**chosen, q=query), invalid


def to_params(state: FilterState) -> dict[str, list[str]]:
    """The query-string form of ``state`` (only what is set, so default links stay clean)."""
    params = {facet: list(state.values(facet)) for facet in FACETS if state.values(facet)}
    if state.q:
        params["q"] = [state.q]
    return params


def facet_mask(records: pd.DataFrame, facet: str, values: tuple[str, ...]) -> pd.Series:
    """Rows matching one facet's selection (all rows when it is empty)."""
    if not values:
        return pd.Series(True, index=records.index)
    wanted = set(values)
    if facet == "category":
        return records["categories"].map(lambda cats: bool(wanted.intersection(cats)))
    if facet == "district":
        return records["map_districts"].map(
            lambda ds: bool(wanted.intersection(ds)) or (NO_DISTRICT in wanted and not ds)
        )
    if facet == "goal":
        return records["goal_line"].map(lambda n: str(n) in wanted)
    return records[facet].isin(wanted)


def text_mask(records: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose name, places or districts match every word (``dashboard.search``)."""
    return names_mask(records, query)


def apply_filters(records: pd.DataFrame, state: FilterState, skip: str | None = None) -> pd.Series:
    """Rows matching every filter except ``skip`` (used for facet counts)."""
    mask = pd.Series(True, index=records.index)
    for facet in FACETS:
        if facet != skip:
            mask &= facet_mask(records, facet, state.values(facet))
    if skip != "q":
        mask &= text_mask(records, state.q)
    return mask


def facet_counts(
    records: pd.DataFrame, state: FilterState, facet: str, options: Iterable[str]
) -> dict[str, int]:
    """For each option: how many records match it together with every other filter."""
    base = records[apply_filters(records, state, skip=facet)]
    return {option: int(facet_mask(base, facet, (option,)).sum()) for option in options}


@dataclass
class FilterIndex:
    """The register's rows per facet option, as boolean arrays: filtering and facet counts for a
    filter state no session has asked for yet in well under a millisecond.

    Why: the sidebar shows every facet's counts under the other filters, and the map, the
    structure and the lists all start from the filtered rows. With pandas masks on the whole
    table that costs ~30 ms of the server's CPU for each new state; with the options' rows
    precomputed once per register version it is a few ``numpy`` ANDs. Every array is built
    by :func:`facet_mask`, the one definition of what an option matches, so the index cannot
    drift from :func:`apply_filters` (``tests/test_shared_map.py`` checks both agree).
    Read only once built; the search masks are filled in as queries arrive.
    """

    records: pd.DataFrame
    rows: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    _text: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, records: pd.DataFrame, options: Mapping[str, Iterable[str]]) -> FilterIndex:
        """Every option's rows of every facet (``options``: :func:`facet_options`)."""
        rows = {
            facet: {o: facet_mask(records, facet, (o,)).to_numpy(dtype=bool) for o in options.get(facet, [])}
            for facet in FACETS
        }
        return cls(records, rows)

    def facet_rows(self, facet: str, values: tuple[str, ...]) -> np.ndarray:
        """Rows matching one facet's selection (all rows when it is empty)."""
        if not values:
            return np.ones(len(self.records), dtype=bool)
        known = self.rows[facet]
        if any(v not in known for v in values):  # not an option of the register: ask the table
            return facet_mask(self.records, facet, values).to_numpy(dtype=bool)
        return np.logical_or.reduce([known[v] for v in values])

    def text_rows(self, query: str) -> np.ndarray:
        """Rows the search matches, computed once per query (at most 256 kept)."""
        found = self._text.get(query)
        if found is None:
            found = text_mask(self.records, query).to_numpy(dtype=bool)
            if len(self._text) >= 256:
                self._text.clear()
            self._text[query] = found
        return found

    def mask(self, state: FilterState, skip: str | None = None) -> np.ndarray:
        """:func:`apply_filters` as a boolean array."""
        mask = np.ones(len(self.records), dtype=bool)
        for facet in FACETS:
            if facet != skip:
                mask &= self.facet_rows(facet, state.values(facet))
        if skip != "q" and state.q:
            mask &= self.text_rows(state.q)
        return mask

    def counts(self, state: FilterState, facet: str, options: Iterable[str]) -> dict[str, int]:
        """:func:`facet_counts` from the index."""
        base = self.mask(state, skip=facet)
        return {option: int((base & self.facet_rows(facet, (option,))).sum()) for option in options}
