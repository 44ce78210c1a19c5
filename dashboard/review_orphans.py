"""Orphaned review decisions in the review view, each with its likely successors.

Why: when the extractor re-cuts a record its key changes and the decisions on the old key are
orphaned: kept, never applied. A planner sees each one (action, reviewer, date, reason) with
the records now on its report line ranked by text overlap (``pipeline.succession``, as
``review_cli orphans`` lists them) and re-states it on the record they pick — by the function
``review_cli restate`` uses, as a new decision in their name citing the orphan. Nothing is
applied by itself: only a planner's click stores a decision, and the caller stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import streamlit as st

from dashboard.escaping import md_text
from dashboard.i18n import Lang, t, tm
from dashboard.page import ViewContext
from extraction import extract_projects, parse_outline, read_report
from pipeline import reviews, succession
from works.errors import PlovdivError
from works.model import WorkRecord
from works.review import Action, Decision

#: Successors suggested per orphan.
LIMIT = 3


@lru_cache(maxsize=2)
def _extracted(path: str, mtime: float) -> tuple[WorkRecord, ...]:
    """The extractor's records of the report (their names are what old keys were made of)."""
    del mtime  # cache key only
    return tuple(extract_projects(parse_outline(read_report(Path(path)))))


@st.cache_resource(max_entries=4, show_spinner=False)
def _suggestions(
    version: str,
    _orphaned: tuple[Decision, ...],
    _records: tuple[WorkRecord, ...],
    _lines: tuple[str, ...],
    _decisions: tuple[Decision, ...],
    _extracted: tuple[WorkRecord, ...],
) -> list[succession.Orphan]:
    """The orphans with their successors (a few seconds on the full report: computed once per
    register, report and review file, shared by every session, read only)."""
    del version  # cache key only
    return succession.orphans_with_successors(_orphaned, _records, _lines, _decisions, _extracted, LIMIT)


def _orphaned(ctx: ViewContext, db: Path, sha: str) -> tuple[list[Decision], list[Decision], str]:
    """The orphaned decisions (the build's and those since), every decision, and a cache key."""
    info = ctx.register.metadata.get("reviews") or {}
    uids = {*(info.get("orphaned") or []), *ctx.register.orphan_reviews}
    if not uids:
        return [], [], ""
    report = ctx.settings.report.name
    review_file = reviews.review_file_for(ctx.settings.reviews_dir, report)
    decisions, _note = reviews.load_decisions(db, review_file, report, sha)
    mtime = review_file.stat().st_mtime if review_file.is_file() else 0.0
    key = f"{ctx.register.version}|{sha}|{review_file}|{mtime}"
    return [d for d in decisions if d.uid in uids], decisions, key


def _successor_line(s: succession.Successor, lang: Lang) -> str:
    text = tm("review_successor", lang, name=s.name, work=s.key, line=s.source_line, score=f"{s.score:.0f}")
    if s.restated_by:
        text += " · " + tm("review_restated_by", lang, uid=s.restated_by)
    return text


def orphans_panel(
    ctx: ViewContext, records: Sequence[WorkRecord], lines: tuple[str, ...], db: Path, sha: str, user: str
) -> tuple[Decision, Decision] | None:
    """The expander "Осиротели решения" (nothing when there are none).

    Returns the orphan and the decision a planner asked for — the orphan re-stated on the
    successor they picked, ``user`` its reviewer — for the caller to store; None otherwise.
    """
    lang = ctx.lang
    try:
        orphaned, decisions, version = _orphaned(ctx, db, sha)
        if not orphaned:
            return None
        extracted = _extracted(str(ctx.settings.report), ctx.settings.report.stat().st_mtime)
    except (OSError, PlovdivError) as exc:
        st.error(tm("review_orphans_error", lang, error=exc))
        return None
    found = _suggestions(version, tuple(orphaned), tuple(records), lines, tuple(decisions), extracted)
    chosen: tuple[Decision, Decision] | None = None
    with st.expander(t("review_orphans", lang, n=len(found)), key="review_orphans"):
        st.caption(t("review_orphans_hint", lang))
        for orphan in found:
            d = orphan.decision
            st.markdown(
                t(
                    "review_orphan",
                    lang,
                    action=md_text(t(f"review_action_{d.action}", lang)),
                    reviewer=md_text(d.reviewer),
                    at=md_text(d.at[:16].replace("T", " ")),
                    reason=md_text(d.reason or "—"),
                    uid=md_text(d.uid),
                )
            )
            if d.action is Action.ADD:  # ``succession.restate`` refuses it: say why, offer nothing
                st.caption(t("review_orphan_added", lang))
                continue
            if not orphan.line:
                st.caption(t("review_orphan_by_text", lang))
            elif not orphan.successors:
                st.caption(t("review_orphan_none", lang, line=orphan.line))
            for s in orphan.successors:
                text, button = st.columns([5, 1], vertical_alignment="center")
                text.markdown(_successor_line(s, lang))
                if button.button(
                    t("review_restate", lang),
                    key=f"restate_{d.uid}_{s.key}",
                    help=t("review_restate_help", lang),
                    disabled=bool(s.restated_by),
                ):
                    try:
                        chosen = d, succession.restate_by_uid(orphaned, records, d.uid, s.key, user)
                    except PlovdivError as exc:
                        st.error(md_text(exc))
    return chosen
