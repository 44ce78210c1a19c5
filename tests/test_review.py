"""Reviewed register: decisions survive rebuilds, restarts and unrelated edits; orphans are
reported; export → import round-trips byte for byte; no login, no writes; the raw output stays raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from extraction import extract_projects, parse_outline
from pipeline import reviews
from pipeline.cli import main
from pipeline.review_cli import main as review_main
from works.keys import work_key
from works.model import Category, ReviewState, Status, StatusScope, WorkRecord
from works.review import Action, ReviewError, apply_decisions, make_decision, review_queue

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "dashboard"
REPORT = (
    "\tОТЧЕТ\n\n"
    "\tПРИОРИТЕТ 1. ГРАДСКА СРЕДА\n\n"
    "\tМярка 1.1. Пътища\n\n"
    "\tРеконструкция на улици\n"
    "\t- Завършена е реконструкцията на ул. „Първа“ през 2021 г.\n"
    "\t- Търси се финансиране за ул. „Втора“ и ул. „Трета“.\n"
    "\t- Изградена е нова детска площадка в парк „Лаута“.\n\n"
    "\tМярка 1.2. Паркове\n\n"
    "\tОбновяване на паркове\n"
    "\t- Ремонтиран е парк „Отдих“. Предстои засаждане на дървета в градина „Сад“.\n"
)
INSERTED = "\tНова цел за площади\n\t- Реконструиран е пл. „Нов“.\n\n"


def _record(key: str, **kw: object) -> WorkRecord:
    base: dict[str, object] = dict(
        key=key, id=f"id-{key}", name=f"Работа {key}", categories=[Category.ROAD], status=Status.PLANNED,
        priority=1, measure="1.1", goal="Цел", goal_line=1, source_line=2, source_text=f"Текст {key}.",
        status_evidence="", status_scope=StatusScope.DEFAULT,
    )  # fmt: skip
    base.update(kw)
    return WorkRecord(**base)  # type: ignore[arg-type]


def test_each_action_and_later_decisions_win() -> None:
    records = [_record("a"), _record("b"), _record("c", source_line=5)]
    decide = make_decision
    decisions = [
        decide("a", "edit", "Ана", changes={"status": "completed", "status_evidence": "е завършен"}, at="t1"),
        decide("a", "edit", "Боби", changes={"status": "in_progress", "status_evidence": "се строи"}, at="t2"),
        decide("b", "split", "Ана", changes={"parts": [{"name": "Б1"}, {"name": "Б2", "years": [2021]}]}, at="t3"),
        decide("b.2", "confirm", "Боби", at="t4"),
        decide("c", "merge", "Ана", changes={"into": "a"}, at="t5"),
        decide("-", "add", "Ана", changes={"name": "Нова", "status": "completed", "categories": ["park"],
                                          "measure": "1.1", "source_line": 3, "source_text": "Ново."}, at="t6"),
        decide("gone", "confirm", "Ана", at="t7"),
    ]  # fmt: skip
    applied = apply_decisions(records, decisions)
    by_key = {r.key: r for r in applied.records}
    a = by_key["a"]
    assert (a.status, a.status_evidence, a.review, a.reviewed_by) == (
        "in_progress",
        "се строи",
        "corrected",
        "Боби",
    )
    assert [r.key for r in applied.records] == ["a", "b.1", "b.2", work_key("Ново.", ["Нова"]), "c"]
    assert by_key["b.2"].years == [2021] and by_key["b.2"].review is ReviewState.CORRECTED
    assert by_key["c"].merged_into == "a" and not by_key["c"].public
    added = applied.records[3]
    assert added.review is ReviewState.ADDED and added.city_wide and added.status == "completed"
    assert [d.key for d in applied.orphaned] == ["gone"]
    assert records[0].status == "planned"  # inputs untouched
    restored = apply_decisions(applied.records, [decide("c", "confirm", "Ана", at="t8")])
    assert restored.records[-1].public  # a later confirm puts a merged record back


def test_bad_decisions_are_refused() -> None:
    for key, action, changes, reason in (
        ("a", "edit", {}, ""),
        ("a", "edit", {"status": "done"}, ""),
        ("a", "edit", {"years": ["21"]}, ""),
        ("a", "not_work", {}, ""),
        ("a", "split", {"parts": [{"name": "x"}]}, ""),
        ("a", "merge", {"into": "a"}, ""),
        ("-", "add", {"name": "x"}, ""),
    ):
        with pytest.raises(ReviewError):
            make_decision(key, action, "Ана", reason, changes)


def test_queue_puts_unreviewed_and_doubtful_first() -> None:
    sure = _record(
        "sure", status_evidence="завършен", status_scope=StatusScope.CLAUSE, name="Ремонт на ул. А"
    )
    doubtful = _record("doubt", name="Цел", source_line=9)
    done = apply_decisions([_record("done", name="Цел")], [make_decision("done", "confirm", "Ана")]).records[
        0
    ]
    order = [r.key for r, _ in review_queue([sure, done, doubtful])]
    assert order == ["doubt", "sure", "done"]


def test_export_import_round_trips_byte_for_byte(tmp_path: Path) -> None:
    db, other = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    sha = "0" * 64
    reviews.add_decision(
        db, "report.txt", sha, make_decision("w-1", Action.CONFIRM, "Ана", at="2026-01-01T00:00:00.000001Z")
    )
    reviews.add_decision(
        db,
        "report.txt",
        sha,
        make_decision(
            "w-2", Action.EDIT, "Боби", "по-точно", {"name": "Ново „име“"}, at="2026-01-02T00:00:00Z"
        ),
    )
    first = tmp_path / "one" / "report.json"
    assert reviews.export_reviews(db, first, "report.txt", sha) == 2
    new, got = reviews.import_reviews(other, first)
    assert (new, got) == (2, sha)
    assert reviews.import_reviews(other, first)[0] == 0  # idempotent
    second = tmp_path / "two" / "report.json"
    reviews.export_reviews(other, second, "report.txt", sha)
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text(encoding="utf-8").splitlines()) == 4  # header, one line each, close


def _build(report: Path, out: Path, db: Path, reviews_dir: Path, *extra: str) -> dict:
    args = ["--report", str(report), "--out", str(out), "--corrections", str(db), "--no-geocode", "--quiet"]
    assert main([*args, *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_decisions_survive_rebuild_restart_and_an_unrelated_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report, out, db, rdir = (
        tmp_path / "r.txt",
        tmp_path / "p.geojson",
        tmp_path / "db.sqlite",
        tmp_path / "rv",
    )
    report.write_text(REPORT, encoding="utf-8")
    monkeypatch.setenv("PLOVDIV_REVIEWS_DIR", str(rdir))
    monkeypatch.setenv("PLOVDIV_REPORT", str(report))
    monkeypatch.setenv("PLOVDIV_CORRECTIONS_DB", str(db))
    raw = _build(report, out, db, rdir)
    by_name = {f["properties"]["name"]: f["properties"] for f in raw["features"]}
    second = next(p for n, p in by_name.items() if "Втора" in n)
    park = next(p for n, p in by_name.items() if "Отдих" in n)
    assert review_main(["decide", second["key"], "edit", "--reviewer", "Ана", "--changes",
                        '{"status": "stalled", "status_evidence": "Търси се финансиране"}']) == 0  # fmt: skip
    assert review_main(["decide", park["key"], "not_work", "--reviewer", "Ана", "--reason", "тест"]) == 0
    assert review_main(["export"]) == 0
    # A paragraph inserted in the first measure moves every line below it.
    report.write_text(
        REPORT.replace("\tРеконструкция на улици\n", INSERTED + "\tРеконструкция на улици\n"), "utf-8"
    )
    # Decisions apply by key to the edited report (the file notes it was made on another version).
    rebuilt = _build(report, out, db, rdir)
    props = {f["properties"]["key"]: f["properties"] for f in rebuilt["features"]}
    assert props[second["key"]]["status"] == "stalled" and props[second["key"]]["review"] == "corrected"
    assert (
        props[second["key"]]["source_line"] != second["source_line"]
    )  # the display id moved; the key did not
    assert props[park["key"]]["not_work"] == "тест"
    assert rebuilt["metadata"]["reviews"]["reviewed"] == 1  # the not-a-work leaves the counts
    # A restart with only the repository file (no database) gives the same reviewed register.
    report.write_text(REPORT, encoding="utf-8")
    db.unlink()
    again = _build(report, out, db, rdir)
    props = {f["properties"]["key"]: f["properties"] for f in again["features"]}
    assert props[second["key"]]["status"] == "stalled" and props[park["key"]]["not_work"] == "тест"
    # The raw extractor output ignores every decision.
    plain = _build(report, out, db, rdir, "--no-reviews")
    assert plain["metadata"]["reviews"] is None
    assert all(f["properties"]["review"] == "machine" for f in plain["features"])
    raw_records = extract_projects(parse_outline(REPORT))
    assert [f["properties"]["status"] for f in plain["features"]] == [r.status for r in raw_records]
    # A decision whose work was removed from the report is orphaned, never applied elsewhere.
    report.write_text(REPORT.replace("\t- Търси се финансиране за ул. „Втора“ и ул. „Трета“.\n", ""), "utf-8")
    capsys.readouterr()
    assert main(["--report", str(report), "--out", str(out), "--no-geocode"]) == 0
    printed = capsys.readouterr().out
    gone = json.loads(out.read_text(encoding="utf-8"))
    assert len(gone["metadata"]["reviews"]["orphaned"]) == 1 and "ORPHANED review decisions" in printed
    assert not any(f["properties"]["status"] == "stalled" for f in gone["features"])


@pytest.fixture
def review_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    report, out = tmp_path / "r.txt", tmp_path / "projects.geojson"
    report.write_text(REPORT, encoding="utf-8")
    monkeypatch.setenv("PLOVDIV_REVIEWS_DIR", str(tmp_path / "rv"))
    assert main(["--report", str(report), "--out", str(out), "--no-geocode", "--quiet",
                 "--corrections", str(tmp_path / "corrections.sqlite")]) == 0  # fmt: skip
    for name, value in {
        "PLOVDIV_DATA_DIR": str(tmp_path), "PLOVDIV_PROJECTS": str(out), "PLOVDIV_REPORT": str(report),
        "PLOVDIV_DISTRICTS": str(FIXTURES / "districts.geojson"), "PLOVDIV_BASEMAP": str(FIXTURES / "basemap.geojson"),
        "PLOVDIV_TILES": "off",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PLOVDIV_CORRECTIONS_DB", raising=False)
    return tmp_path


def _app(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_no_login_no_review_writes(review_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app({"view": "review"})
    assert not at.exception
    assert any("Редакцията е изключена" in str(i.value) for i in at.info)
    monkeypatch.setenv("PLOVDIV_PLANNER_PASSWORD", "s3cret")
    at = _app({"view": "review"})
    assert not [b for b in at.button if b.label == "Потвърди"]  # the login form only
    assert not reviews.list_decisions(review_env / "corrections.sqlite", "r.txt")


def test_a_planner_confirms_edits_splits_and_adds(review_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLOVDIV_PLANNER_PASSWORD", "s3cret")
    at = _app({"view": "review"})
    next(e for e in at.text_input if e.label == "Вашето име").set_value("Ана")
    next(e for e in at.text_input if e.label == "Парола").set_value("s3cret")
    at.button(key="FormSubmitter:planner_login-Вход").click().run()
    assert not at.exception
    first = at.selectbox(key="review_key").value
    at.button(key=f"FormSubmitter:review_edit_{first}-Потвърди").click().run()
    assert any("Записано" in str(s.value) for s in at.success)
    second = at.selectbox(key="review_key").value
    assert second != first  # the next work loads at once
    at.selectbox(key=f"es_{second}").set_value("design")
    at.button(key=f"FormSubmitter:review_edit_{second}-Запази промените").click().run()
    third = at.selectbox(key="review_key").value
    at.text_area(key=f"sp_{third}").set_value(
        "Първа част | completed | road\nВтора част | planned | road | 2022"
    )
    at.button(key=f"FormSubmitter:review_split_{third}-Раздели").click().run()
    assert at.selectbox(key="review_key").value == third  # not stored without the tick
    at.checkbox(key=f"spc_{third}").check()
    at.button(key=f"FormSubmitter:review_split_{third}-Раздели").click().run()
    fourth = at.selectbox(key="review_key").value
    at.text_input(key=f"an_{fourth}").set_value("Пропусната работа")
    at.button(key=f"FormSubmitter:review_add_{fourth}-Добави").click().run()
    assert not at.exception
    db = review_env / "corrections.sqlite"
    decisions = reviews.list_decisions(db, "r.txt")
    assert [str(d.action) for d in decisions] == ["confirm", "edit", "split", "add"]
    assert {d.reviewer for d in decisions} == {"Ана"}
    assert decisions[1].changes["status"] == "design"
    # A confirm and an edit keep the work as the planner saw it; the others do not need to.
    assert decisions[0].seen["source_line"] and decisions[1].seen["status"] != "design"
    assert not decisions[2].seen and not decisions[3].seen
    assert [p["name"] for p in decisions[2].changes["parts"]] == ["Първа част", "Втора част"]


def test_a_review_file_is_found_by_the_report_its_header_names(tmp_path: Path) -> None:
    sha = "1" * 64
    named = tmp_path / "programme-2019-2023.json"
    reviews.write_review_file(
        named, reviews.ReviewFile("000_abc.txt", sha, [make_decision("w-1", "confirm", "Ана")])
    )
    assert reviews.review_file_for(tmp_path, "000_abc.txt") == named
    assert reviews.review_file_for(tmp_path, "other.txt") == tmp_path / "other.json"  # where an export goes
    assert reviews.review_file_for(tmp_path / "none", "000_abc.txt") == tmp_path / "none" / "000_abc.json"
