"""Planners review the register work by work: confirm, correct, split, merge, mark, add.

Why a view of its own: the public map is only as trustworthy as its records, and rules alone
do not make it right (95% on the text they were tuned on, 32% on text they never saw). The
queue puts unreviewed works first, the most doubtful first (``works.review.review_queue``);
one screen shows a work beside its report lines, the deciding phrase highlighted; each action
is one form (Enter submits) and stores one decision (``pipeline.reviews``) with the planner's
name, the time and the reason. The three that take a work off the map as it stands (not a work,
split, merge) store only when "Потвърждавам" is ticked: a stray Enter cannot. The next work
loads at once. Decisions are applied at every
rebuild and, until then, on load (``dashboard.data``); nothing a planner decides is lost.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import pinning
from dashboard.escaping import html_text, md_text
from dashboard.i18n import (
    CATEGORIES,
    STATUSES,
    Lang,
    category_label,
    precision_label,
    review_label,
    status_label,
    status_text,
    t,
    tm,
)
from dashboard.locating import pick_location
from dashboard.page import ViewContext
from dashboard.pinning import planner_session
from dashboard.review_orphans import orphans_panel
from extraction.report import ReportError, read_report
from extraction.sentences import split_sentences
from geo.districts import PLOVDIV_DISTRICTS
from pipeline import reviews
from works.errors import PlovdivError
from works.geojson import from_feature
from works.model import PlaceKind, ReviewState, WorkRecord
from works.review import Action, Decision, make_decision, review_queue, seen_of

_CURRENT = "review_key"
#: A key shown in a code span: only the characters keys are made of.
_SAFE_KEY = re.compile(r"[^0-9A-Za-z.-]")
_FLASH = "review_flash"
#: The words that open a place name, and the kind the geocoder looks it up as.
_PLACE_PREFIXES: tuple[tuple[str, PlaceKind], ...] = (
    ("бул.", PlaceKind.BOULEVARD),
    ("ул.", PlaceKind.STREET),
    ("пл.", PlaceKind.SQUARE),
    ("парк", PlaceKind.PARK),
    ("градина", PlaceKind.GARDEN),
    ("ДГ", PlaceKind.KINDERGARTEN),
    ("ДЯ", PlaceKind.NURSERY),
    ("ОУ", PlaceKind.SCHOOL),
    ("СУ", PlaceKind.SCHOOL),
    ("ПГ", PlaceKind.SCHOOL),
    ("кв.", PlaceKind.NEIGHBOURHOOD),
    ("район", PlaceKind.DISTRICT),
    ("мост", PlaceKind.BRIDGE),
    ("подлез", PlaceKind.UNDERPASS),
)


@lru_cache(maxsize=4)
def _report_lines(path: str, mtime: float) -> tuple[str, tuple[str, ...]]:
    """The report's SHA-256 (as the build computes it) and its lines."""
    del mtime  # cache key only
    text = read_report(Path(path))
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), tuple(text.splitlines())


def place_from_text(text: str) -> dict[str, Any]:
    """A place a reviewer typed ("ул. „Кукуш“"), with the kind its type word says."""
    text = text.strip()
    kind = next((k for prefix, k in _PLACE_PREFIXES if text.startswith(prefix)), PlaceKind.FACILITY)
    return {"text": text, "kind": str(kind), "name": text}


def parse_years(text: str) -> list[int]:
    """ "2020, 2021" → [2020, 2021]; anything else is an error for the reviewer."""
    years = [int(y) for y in re.findall(r"\d{4}", text)]
    if re.sub(r"[\d\s,;–-]", "", text):
        raise PlovdivError(f"years: {text!r} is not a list of years")
    return sorted(set(years))


def parse_parts(text: str) -> list[dict[str, Any]]:
    """Split parts, one per line: ``name | status | categories | years`` (the last three optional)."""
    parts: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, status, cats, years = [*(c.strip() for c in line.split("|")), "", "", ""][:4]
        part: dict[str, Any] = {"name": name}
        if status:
            part["status"] = status
        if cats:
            part["categories"] = [c.strip() for c in re.split(r"[,;]", cats) if c.strip()]
        if years:
            part["years"] = parse_years(years)
        parts.append(part)
    return parts


def highlight(line: str, phrase: str) -> str:
    """A report line as HTML, escaped, with the deciding phrase marked."""
    escaped = html_text(line)
    if phrase and phrase in line:
        start = line.index(phrase)
        return (
            html_text(line[:start])
            + f"<mark>{html_text(phrase)}</mark>"
            + html_text(line[start + len(phrase) :])
        )
    return escaped


def _records(ctx: ViewContext) -> list[WorkRecord]:
    frames = [ctx.register.records, ctx.register.hidden]
    return [from_feature(f, i) for frame in frames if len(frame) for i, f in enumerate(frame["feature"])]


@dataclass(frozen=True)
class _Desk:
    """Where a planner's decisions go: the database, the report (name and version), who."""

    db: Path
    report: str
    sha: str
    user: str
    lang: Lang


def _store(
    desk: _Desk,
    key: str,
    action: Action,
    reason: str,
    changes: dict[str, Any],
    what: str = "",
    record: WorkRecord | None = None,
) -> None:
    """Store one decision; ``record``: the work as the planner sees it (kept with a confirm or
    an edit, so a later extractor cannot change what they reviewed unnoticed)."""
    try:
        seen = seen_of(record) if record is not None else None
        decision = make_decision(key, action, desk.user, reason, changes, seen=seen)
    except PlovdivError as exc:
        st.error(md_text(exc))
        return
    _save(desk, decision, what or t(f"review_{action}", desk.lang))


def _save(desk: _Desk, decision: Decision, what: str, next_work: bool = True) -> None:
    """Store a decision made here, say so, and (``next_work``) load the next work of the queue."""
    try:
        reviews.add_decision(desk.db, desk.report, desk.sha, decision)
    except PlovdivError as exc:
        st.error(md_text(exc))
        return
    st.session_state[_FLASH] = t("review_saved", desk.lang, action=what)
    if next_work:
        st.session_state.pop(_CURRENT, None)
    st.rerun()


def _context_lines(record: WorkRecord, lines: tuple[str, ...]) -> None:
    start = max(record.source_line - 3, 0)
    end = min(max(record.source_line, record.source_line_end) + 2, len(lines))
    rows = []
    for n in range(start, end):
        own = record.source_line <= n + 1 <= max(record.source_line, record.source_line_end)
        body = highlight(lines[n], record.status_evidence)
        rows.append(f'<div class="pv-line{" pv-own" if own else ""}"><span>{n + 1}</span> {body}</div>')
    st.html(
        "<style>.pv-line{font-family:monospace;font-size:.85rem;white-space:pre-wrap;padding:1px 4px}"
        ".pv-own{background:#fff7d6;color:#222}.pv-line span{color:#888}</style>" + "".join(rows)
    )


def _summary(record: WorkRecord, doubts: list[str], lang: Lang) -> None:
    st.markdown(f"### {md_text(record.name)}")
    status = status_text(record.status, str(record.status_scope), lang)
    facts = [
        f"**{md_text(t('status', lang))}:** {md_text(status)}"
        + (f" — „{md_text(record.status_evidence)}“" if record.status_evidence else ""),
        f"**{md_text(t('categories', lang))}:** "
        + md_text(", ".join(category_label(c, lang) for c in record.categories)),
        f"**{md_text(t('years', lang))}:** {md_text(', '.join(map(str, record.years)) or '—')}",
        f"**{md_text(t('places', lang))}:** {md_text('; '.join(p.name for p in record.places) or '—')}",
        f"**{md_text(t('districts', lang))}:** {md_text(', '.join(record.districts) or '—')}",
        f"**{md_text(t('review', lang))}:** {md_text(review_label(record.review, lang))}"
        + (
            f" ({md_text(record.reviewed_by)}, {md_text(record.reviewed_at[:16])})"
            if record.reviewed_by
            else ""
        ),
        f"`{_SAFE_KEY.sub('', record.key)}` · {md_text(t('measure', lang))} {md_text(record.measure)}",
    ]
    if record.not_work:
        facts.append(f"**{md_text(t('review_not_work', lang))}:** {md_text(record.not_work)}")
    if doubts:
        facts.append(
            f"**{md_text(t('review_doubts', lang))}:** "
            + ", ".join(md_text(t(f"doubt_{d}", lang)) for d in doubts)
        )
    st.markdown("  \n".join(facts))


def render(ctx: ViewContext) -> None:
    """The review queue and the screen of one work (planners only)."""
    lang = ctx.lang
    st.subheader(t("review_title", lang))
    session = planner_session(ctx)
    if session is None:
        return
    user, db = session
    for flash_key in (_FLASH, pinning.FLASH):
        if flash := st.session_state.pop(flash_key, None):
            st.success(flash)
    try:
        sha, lines = _report_lines(str(ctx.settings.report), ctx.settings.report.stat().st_mtime)
    except (OSError, ReportError) as exc:
        st.error(tm("review_no_report", lang, error=exc))
        return
    if sha != ctx.register.metadata.get("source_sha256"):
        st.error(t("review_other_report", lang))
        return
    records = _records(ctx)
    desk = _Desk(db, ctx.settings.report.name, sha, user, lang)
    restated = orphans_panel(ctx, records, lines, db, sha, user)
    if restated is not None:  # a planner's click, never by itself; the current work stays
        orphan, decision = restated
        what = tm("review_restated_action", lang, uid=orphan.uid, work=decision.key)
        _save(desk, decision, what, next_work=False)
    drifted = (ctx.register.metadata.get("reviews") or {}).get("drifted") or []
    if drifted:
        st.warning(
            tm(
                "review_drifted",
                lang,
                works="; ".join(f"{d['key']} ({', '.join(d['fields'])})" for d in drifted),
            )
        )
    queue = review_queue(records)
    done = sum(1 for r in records if r.review is not ReviewState.MACHINE)
    # Every record is reviewed, the ones taken off the map too; say how many are works, so the
    # total does not read as another count of the register's works.
    works = sum(1 for r in records if r.public)
    text = t("review_progress", lang, done=done, total=len(records), works=works, off=len(records) - works)
    st.progress(done / max(len(records), 1), text=text)
    labels = {
        r.key: ("" if r.review is not ReviewState.MACHINE else "● ")
        + f"{r.name[:90]} · {r.measure} · l{r.source_line}"
        for r, _ in queue
    }
    current = st.session_state.get(_CURRENT)
    if current not in labels:
        st.session_state[_CURRENT] = queue[0][0].key if queue else None
    key = st.selectbox(
        t("review_work", lang), list(labels), format_func=lambda k: labels.get(k, k), key=_CURRENT
    )
    if key is None:
        return
    record, doubts = next((r, d) for r, d in queue if r.key == key)
    _summary(record, doubts, lang)
    _context_lines(record, lines)
    _forms(record, records, lines, desk, ctx)


def _location(ctx: ViewContext, record: WorkRecord, desk: _Desk) -> None:
    """The work's location: a place picked through the geocoder (an ``edit`` of ``places``,
    stored like every decision), or a pin on the map (``pinning``: a correction by key)."""
    lang = desk.lang
    precision = precision_label(str(record.precision), lang)
    with st.expander(t("loc_title", lang), key=f"locx_{record.key}"):  # keyed: stays open on a rerun
        st.caption(
            tm("loc_now", lang, places="; ".join(p.name for p in record.places) or "—", precision=precision)
        )
        pick, pin = st.tabs([t("loc_pick", lang), t("loc_pin", lang)])
        with pick:
            chosen = pick_location(ctx, record)
            if chosen is not None:
                places, reason = chosen
                what = t("loc_saved_action", lang)
                _store(desk, record.key, Action.EDIT, reason, {"places": places}, what, record)
        with pin:
            pinning.pin_editor(ctx, desk.db, desk.user, record.key, prefix=f"rpin_{record.key}")


def _confirm_box(key: str, lang: Lang) -> bool:
    """The tick a destructive form needs (a stray Enter submits a form, never ticks a box)."""
    return st.checkbox(t("review_i_confirm", lang), key=key, help=t("review_i_confirm_help", lang))


def _confirmed(ticked: bool, lang: Lang) -> bool:
    """True when ticked; otherwise says that nothing was saved."""
    if not ticked:
        st.warning(t("review_tick_first", lang))
    return ticked


def _forms(
    record: WorkRecord, records: list[WorkRecord], lines: tuple[str, ...], desk: _Desk, ctx: ViewContext
) -> None:
    """One form per action; each stores one decision and loads the next work."""
    key, lang = record.key, desk.lang
    with st.form(f"review_edit_{key}"):
        name = st.text_input(t("name", lang), value=record.name, max_chars=300)
        left, right = st.columns(2)
        status = left.selectbox(
            t("status", lang),
            [s for s in STATUSES if s != "unknown"],
            index=[s for s in STATUSES if s != "unknown"].index(str(record.status)),
            format_func=lambda s: status_label(s, lang),
            key=f"es_{key}",
        )
        evidence = right.text_input(t("evidence", lang), value=record.status_evidence, max_chars=300)
        categories = st.multiselect(
            t("categories", lang),
            list(CATEGORIES),
            default=[str(c) for c in record.categories],
            format_func=lambda c: category_label(c, lang),
            placeholder=t("any", lang),
        )
        left, right = st.columns(2)
        years = left.text_input(t("years", lang), value=", ".join(map(str, record.years)))
        districts = right.multiselect(
            t("districts", lang),
            list(PLOVDIV_DISTRICTS.values()),
            default=[d for d in record.districts if d in PLOVDIV_DISTRICTS.values()],
            placeholder=t("any", lang),
        )
        places = st.text_area(
            t("review_places", lang), value="\n".join(p.name for p in record.places), height=68
        )
        reason = st.text_input(t("review_reason", lang), max_chars=500)
        ok, save = st.columns(2)
        confirm = ok.form_submit_button(t("review_confirm", lang), type="primary")
        edit = save.form_submit_button(t("review_edit", lang))
    if confirm:
        _store(desk, key, Action.CONFIRM, reason, {}, record=record)
    if edit:
        try:
            changes = _changes(record, name, status, evidence, categories, years, districts, places)
        except PlovdivError as exc:
            st.error(md_text(exc))
            return
        if not changes:
            st.info(t("review_nothing_changed", lang))
        else:
            _store(desk, key, Action.EDIT, reason, changes, record=record)
    _location(ctx, record, desk)
    with st.expander(t("review_not_work", lang), key=f"nwx_{key}"):  # keyed: stays open on a rerun
        with st.form(f"review_notwork_{key}"):
            why = st.text_input(t("review_reason", lang), max_chars=500, key=f"nw_{key}")
            sure = _confirm_box(f"nwc_{key}", lang)
            if st.form_submit_button(t("review_mark_not_work", lang)) and _confirmed(sure, lang):
                _store(desk, key, Action.NOT_WORK, why, {})
    with st.expander(t("review_split", lang), key=f"spx_{key}"):  # keyed: stays open on a rerun
        with st.form(f"review_split_{key}"):
            st.caption(t("review_split_hint", lang))
            default = "\n".join(
                f"{record.name} | {record.status} | {','.join(record.categories)}" for _ in range(2)
            )
            text = st.text_area(t("review_parts", lang), value=default, key=f"sp_{key}")
            why = st.text_input(t("review_reason", lang), max_chars=500, key=f"spr_{key}")
            sure = _confirm_box(f"spc_{key}", lang)
            if st.form_submit_button(t("review_split_button", lang)) and _confirmed(sure, lang):
                try:
                    parts = parse_parts(text)
                except PlovdivError as exc:
                    st.error(md_text(exc))
                else:
                    _store(desk, key, Action.SPLIT, why, {"parts": parts})
    with st.expander(t("review_merge", lang), key=f"mrx_{key}"):  # keyed: stays open on a rerun
        with st.form(f"review_merge_{key}"):
            others = [r for r in records if r.key != key and r.measure == record.measure and r.public]
            into = st.selectbox(
                t("review_merge_into", lang),
                [r.key for r in others],
                format_func=lambda k: next(f"{r.name[:90]} · l{r.source_line}" for r in others if r.key == k),
            )
            why = st.text_input(t("review_reason", lang), max_chars=500, key=f"mr_{key}")
            sure = _confirm_box(f"mrc_{key}", lang)
            if st.form_submit_button(t("review_merge_button", lang)) and into and _confirmed(sure, lang):
                _store(desk, key, Action.MERGE, why, {"into": into})
    with st.expander(t("review_add", lang)):
        _add_form(record, lines, desk)


def _add_form(record: WorkRecord, lines: tuple[str, ...], desk: _Desk) -> None:
    """A missed work from a report sentence near this work (same measure)."""
    lang = desk.lang
    start = max(record.goal_line or record.source_line, 1)
    sentences = [
        (n, s)
        for n in range(start, min(start + 40, len(lines) + 1))
        for s in split_sentences(lines[n - 1].strip())
        if s.strip()
    ]
    with st.form(f"review_add_{record.key}"):
        here = next((i for i, (n, _) in enumerate(sentences) if n == record.source_line), 0)
        choice = st.selectbox(
            t("review_sentence", lang),
            list(range(len(sentences))),
            index=here if sentences else None,
            format_func=lambda i: f"{sentences[i][0]}: {sentences[i][1][:140]}",
        )
        name = st.text_input(t("name", lang), max_chars=300, key=f"an_{record.key}")
        left, right = st.columns(2)
        status = left.selectbox(
            t("status", lang),
            [s for s in STATUSES if s != "unknown"],
            format_func=lambda s: status_label(s, lang),
            key=f"as_{record.key}",
        )
        categories = right.multiselect(
            t("categories", lang),
            list(CATEGORIES),
            format_func=lambda c: category_label(c, lang),
            key=f"ac_{record.key}",
            placeholder=t("any", lang),
        )
        why = st.text_input(t("review_reason", lang), max_chars=500, key=f"ar_{record.key}")
        if st.form_submit_button(t("review_add_button", lang)) and sentences:
            line, sentence = sentences[choice or 0]
            changes = {
                "name": name.strip() or sentence[:110],
                "status": status,
                "categories": categories or ["other"],
                "measure": record.measure,
                "source_line": line,
                "source_text": sentence,
            }
            _store(desk, "-", Action.ADD, why, changes)


def _changes(
    record: WorkRecord,
    name: str,
    status: str,
    evidence: str,
    categories: list[str],
    years: str,
    districts: list[str],
    places: str,
) -> dict[str, Any]:
    """The fields the reviewer changed (nothing else is stored)."""
    changes: dict[str, Any] = {}
    if name.strip() != record.name:
        changes["name"] = name.strip()
    if status != record.status or evidence.strip() != record.status_evidence:
        changes["status"], changes["status_evidence"] = status, evidence.strip()
    if sorted(categories) != sorted(str(c) for c in record.categories):
        changes["categories"] = categories
    year_list = parse_years(years)
    if year_list != record.years:
        changes["years"] = year_list
    if sorted(districts) != sorted(d for d in record.districts if d in PLOVDIV_DISTRICTS.values()):
        changes["districts"] = districts
    typed = [p.strip() for p in places.splitlines() if p.strip()]
    if typed != [p.name for p in record.places]:
        changes["places"] = [place_from_text(p) for p in typed]
    return changes
