"""Trust when the extractor changes: a reviewed record keeps what its reviewer saw and says the
extractor changed it since; an orphaned decision gets its likely successors, re-stated in one
step, never applied by itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from extraction import extract_projects, parse_outline
from pipeline import cli, review_cli, reviews
from pipeline.succession import orphans_with_successors, restate
from tests.test_review import REPORT, _record
from works.keys import work_key
from works.model import Category, ReviewState, Status, StatusScope, WorkRecord
from works.review import Action, Decision, ReviewError, apply_decisions, make_decision, seen_of


def test_a_confirm_publishes_what_was_confirmed_when_the_extractor_changes_the_record() -> None:
    before = _record("a", name="Ремонт на ул. А", status=Status.COMPLETED, status_evidence="завършен")
    confirm = make_decision("a", "confirm", "Ана", seen=seen_of(before), at="t1")
    after = replace(
        before,
        name="Ул. А",
        status=Status.PLANNED,
        status_evidence="",
        categories=[Category.PARK],
        years=[2022],
    )
    applied = apply_decisions([after], [confirm])
    got = applied.records[0]
    assert (got.name, got.status, got.status_evidence, got.categories, got.years) == (
        "Ремонт на ул. А", Status.COMPLETED, "завършен", [Category.ROAD], [],
    )  # fmt: skip
    assert got.status_scope is before.status_scope and got.review is ReviewState.REVIEWED
    [drift] = applied.drifted
    assert (drift.key, drift.uid) == ("a", confirm.uid)
    assert set(drift.fields) == {"name", "status", "status_evidence", "categories", "years"}
    # Unchanged extraction: nothing is reported; a decision from before `seen` applies as before.
    assert not apply_decisions([before], [confirm]).drifted
    old = make_decision("a", "confirm", "Ана", at="t1")
    assert "seen" not in old.as_dict() and apply_decisions([after], [old]).records[0].name == "Ул. А"


def test_an_edit_keeps_its_change_and_the_fields_it_saw() -> None:
    before = _record("a", name="Ремонт", status=Status.PLANNED, districts=["Централен"])
    edit = make_decision("a", "edit", "Ана", changes={"name": "Ремонт на ул. А"}, seen=seen_of(before))
    after = replace(before, name="Друго", status=Status.STALLED, districts=["Централен", "Южен"])
    applied = apply_decisions([after], [edit])
    got = applied.records[0]
    assert (got.name, got.status, got.districts) == ("Ремонт на ул. А", Status.PLANNED, ["Централен"])
    assert applied.drifted[0].fields == ("status", "districts")  # not the name: they set it
    # A later look at the changed record (it saw the kept values) clears the report.
    again = make_decision("a", "confirm", "Боби", seen=seen_of(got), at="z")
    assert not apply_decisions([after], [edit, again]).drifted


def test_seen_is_refused_when_malformed_and_round_trips_byte_for_byte(tmp_path: Path) -> None:
    with pytest.raises(ReviewError):
        Decision.from_dict({"uid": "u", "key": "a", "action": "confirm", "reviewer": "Ана", "at": "t",
                            "seen": {"status": "done"}})  # fmt: skip
    with pytest.raises(ReviewError):
        Decision.from_dict({"uid": "u", "key": "a", "action": "confirm", "reviewer": "Ана", "at": "t",
                            "seen": {"colour": "red"}})  # fmt: skip
    assert not make_decision("a", "not_work", "Ана", "не", seen=seen_of(_record("a"))).seen
    db, other, sha = tmp_path / "a.sqlite", tmp_path / "b.sqlite", "0" * 64
    reviews.add_decision(db, "r.txt", sha, make_decision("a", "confirm", "Ана", seen=seen_of(_record("a"))))
    reviews.add_decision(db, "r.txt", sha, make_decision("b", "confirm", "Ана"))
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    reviews.export_reviews(db, first, "r.txt", sha)
    reviews.import_reviews(other, first)
    reviews.export_reviews(other, second, "r.txt", sha)
    assert first.read_bytes() == second.read_bytes()
    stored = reviews.list_decisions(other, "r.txt")
    assert [bool(d.seen) for d in sorted(stored, key=lambda d: d.key)] == [True, False]


def _changed_extractor(real: Callable[..., list[WorkRecord]], word: str) -> Callable[..., list[WorkRecord]]:
    """The extractor, but a later version that reads the record named with ``word`` otherwise."""

    def extract(*args: object, **kw: object) -> list[WorkRecord]:
        return [
            replace(r, status=Status.PLANNED, status_evidence="", status_scope=StatusScope.DEFAULT)
            if word in r.name
            else r
            for r in real(*args, **kw)
        ]

    return extract


def test_the_build_and_status_report_a_record_the_extractor_changed_since_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report, out, db = tmp_path / "r.txt", tmp_path / "p.geojson", tmp_path / "db.sqlite"
    report.write_text(REPORT, encoding="utf-8")
    for name, value in {"PLOVDIV_REVIEWS_DIR": str(tmp_path / "rv"), "PLOVDIV_REPORT": str(report),
                        "PLOVDIV_CORRECTIONS_DB": str(db)}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    first = next(r for r in extract_projects(parse_outline(REPORT)) if "Първа" in r.name)
    assert first.status is Status.COMPLETED
    assert review_cli.main(["decide", first.key, "confirm", "--reviewer", "Ана"]) == 0
    assert json.loads(capsys.readouterr().out)["seen"]["status"] == "completed"
    args = ["--report", str(report), "--out", str(out), "--corrections", str(db), "--no-geocode"]
    assert cli.main(args) == 0
    assert "CHANGED by the extractor" not in capsys.readouterr().out
    for module in (cli, review_cli):
        monkeypatch.setattr(module, "extract_projects", _changed_extractor(extract_projects, "Първа"))
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    built = json.loads(out.read_text(encoding="utf-8"))
    props = next(f["properties"] for f in built["features"] if f["properties"]["key"] == first.key)
    assert (props["status"], props["review"]) == ("completed", "reviewed")  # as confirmed
    assert built["metadata"]["reviews"]["drifted"] == [
        {"key": first.key, "uid": built["metadata"]["reviews"]["applied_uids"][0], "reviewer": "Ана",
         "fields": ["status", "status_evidence"]}
    ]  # fmt: skip
    assert f"CHANGED by the extractor since review (reviewed values kept): 1: {first.key}" in printed
    assert review_cli.main(["status"]) == 0
    assert f"{first.key} status, status_evidence (reviewed by Ана" in capsys.readouterr().out


LINE = "\t- Търси се финансиране за ул. „Втора“ и ул. „Трета“."


def test_an_orphan_gets_the_records_of_its_line_as_successors_and_is_restated_in_one_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = extract_projects(parse_outline(REPORT))
    lines = REPORT.splitlines()
    line = lines.index(LINE) + 1
    here = [r for r in records if r.source_line == line]
    assert len(here) == 2  # one per street
    # An earlier extractor made one record of the sentence, titled by the rules: orphaned now.
    old_key = work_key(LINE.strip(), [""])
    old = make_decision(old_key, "edit", "Ана", "спрян", {"status": "stalled", "status_evidence": "Търси се"})
    by_seen = make_decision("w-000000000000", "confirm", "Боби",
                            seen={**seen_of(here[1]), "name": here[1].name + " (стар запис)"})  # fmt: skip
    applied = apply_decisions(records, [old, by_seen])
    assert [d.uid for d in applied.orphaned] == [old.uid, by_seen.uid]  # never applied elsewhere
    assert [r.status for r in applied.records] == [r.status for r in records]
    found = orphans_with_successors(applied.orphaned, applied.records, lines)
    assert (found[0].line, found[0].found_by) == (line, "key")
    assert {s.key for s in found[0].successors} == {r.key for r in here}
    assert (found[1].line, found[1].found_by) == (line, "seen")
    assert found[1].successors[0].key == here[1].key  # the name it saw ranks its record first
    # Re-stated on a chosen successor: same action and changes, the orphan cited, not automatic.
    new = restate(old, here[0], "Вера")
    assert (new.key, new.action, dict(new.changes)) == (here[0].key, Action.EDIT, dict(old.changes))
    assert old.uid in new.reason and "Ана" in new.reason and new.seen["name"] == here[0].name
    again = apply_decisions(records, [old, new])
    assert next(r for r in again.records if r.key == here[0].key).status is Status.STALLED
    assert [d.uid for d in again.orphaned] == [old.uid]
    marked = orphans_with_successors(again.orphaned, again.records, lines, [old, new])
    assert next(s for s in marked[0].successors if s.key == here[0].key).restated_by == new.uid
    # The command line: listed with suggestions, re-stated by uid and key.
    report, db = tmp_path / "r.txt", tmp_path / "db.sqlite"
    report.write_text(REPORT, encoding="utf-8")
    for name, value in {"PLOVDIV_REVIEWS_DIR": str(tmp_path / "rv"), "PLOVDIV_REPORT": str(report),
                        "PLOVDIV_CORRECTIONS_DB": str(db)}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    reviews.add_decision(db, "r.txt", "0" * 64, old)
    assert review_cli.main(["status"]) == 0
    printed = capsys.readouterr().out
    assert f"{old.uid} edit {old_key}" in printed and f"→ {here[0].key} l{line}" in printed
    assert review_cli.main(["restate", old.uid, here[1].key, "--reviewer", "Вера"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert stored["key"] == here[1].key and old.uid in stored["reason"]
    assert review_cli.main(["orphans"]) == 0
    assert "re-stated by " + stored["uid"] in capsys.readouterr().out
    assert review_cli.main(["restate", "nope", here[1].key, "--reviewer", "Вера"]) == 2
    add = make_decision("-", Action.ADD, "Ана", changes={"name": "x", "status": "planned", "categories": ["road"],
                        "measure": "1.1", "source_line": line, "source_text": "x"})  # fmt: skip
    with pytest.raises(ReviewError):
        restate(add, here[0], "Вера")
