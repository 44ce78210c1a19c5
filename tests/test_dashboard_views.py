"""The views run in-process (Streamlit's AppTest): login, pins, uploads, notices, URL state.

Faster than the browser tests and independent of Chromium; the browser tests check what only
a browser can (drawing, downloads, offline requests).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.upload import UploadError, check_upload
from pipeline import corrections

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "dashboard"
#: The stable key of the fixture's district-only work (pins are stored against keys).
T_DISTRICT_KEY = "w-d2a5d71b7d27"
MINI_REPORT = (
    "\tОТЧЕТ\n\n"
    "\tПРИОРИТЕТ 1. ГРАДСКА СРЕДА\n\n"
    "\tМярка 1.1. Пътища\n\n"
    "\tРеконструкция на ул. „Първа“\n"
    "\t- Завършена е реконструкцията на ул. „Първа“.\n"
    "\t- Търси се финансиране за ул. „<script>Втора</script>“.\n"
)


def run_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def by_label(elements: object, label: str):  # noqa: ANN201 - an AppTest element
    return next(e for e in elements if e.label == label)  # type: ignore[attr-defined]


def test_editing_is_off_without_a_password(app_env: Path) -> None:
    at = run_app({"view": "planners"})
    assert not at.exception
    assert any("Редакцията е изключена" in m for m in texts(at.info))
    assert not [b for b in at.button if "Запази" in b.label]
    assert not (app_env / "corrections.sqlite").exists()


def test_planner_login_and_pin(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLOVDIV_PLANNER_PASSWORD", "s3cret")
    at = run_app({"view": "planners"})
    assert not [b for b in at.button if b.label == "Запази корекцията"]  # residents see no form
    by_label(at.text_input, "Вашето име").set_value("Ана")
    by_label(at.text_input, "Парола").set_value("wrong")
    at.button(key="FormSubmitter:planner_login-Вход").click().run()
    assert "Грешна парола." in texts(at.error)
    assert not [b for b in at.button if b.label == "Запази корекцията"]
    by_label(at.text_input, "Вашето име").set_value("Ана")
    by_label(at.text_input, "Парола").set_value("s3cret")
    at.button(key="FormSubmitter:planner_login-Вход").click().run()
    assert any("Влезли сте като Ана." in c for c in texts(at.caption))
    assert at.selectbox(key="pin_project").value == T_DISTRICT_KEY  # unlocated records first
    at.number_input(key="pin_lat").set_value(30.0)
    at.number_input(key="pin_lon").set_value(24.75)
    at.button(key="FormSubmitter:pin_form-Запази корекцията").click().run()
    assert "Точката е извън Пловдив; корекцията не е записана." in texts(at.error)
    at.number_input(key="pin_lat").set_value(42.1275)
    at.button(key="FormSubmitter:pin_form-Запази корекцията").click().run()
    assert "Корекция №1 е записана." in texts(at.success)
    [pin] = corrections.list_corrections(app_env / "corrections.sqlite")
    assert (pin.work_key, pin.project_id, pin.lat, pin.lon, pin.user) == (
        T_DISTRICT_KEY,
        "t-district",
        42.1275,
        24.75,
        "Ана",
    )
    assert any(
        c.startswith("14 от 14 проекта отговарят на филтрите: 11 на картата") for c in texts(at.caption)
    )
    at.button(key="pin_delete_1").click().run()
    assert len(corrections.list_corrections(app_env / "corrections.sqlite")) == 1  # asks first
    assert any("Да се изтрие ли корекция №1?" in w for w in texts(at.warning))
    at.button(key="pin_delete_yes_1").click().run()
    assert "Корекция №1 е изтрита." in texts(at.success)
    assert corrections.list_corrections(app_env / "corrections.sqlite") == []


def test_corrections_outside_the_data_folder_are_refused(
    app_env: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLOVDIV_PLANNER_PASSWORD", "s3cret")
    outside = tmp_path_factory.mktemp("elsewhere") / "corrections.sqlite"
    monkeypatch.setenv("PLOVDIV_CORRECTIONS_DB", str(outside))
    at = run_app({"view": "planners"})
    assert any("outside the data folder" in e for e in texts(at.error))
    assert not outside.exists()


def test_uploaded_report_is_extracted_in_memory(app_env: Path) -> None:
    at = run_app({"view": "planners"})
    uploader = at.file_uploader(key="report_upload")
    uploader.upload("other-year.txt", MINI_REPORT.encode("cp1251"), "text/plain").run()
    assert any(s.startswith(r"other\-year\.txt: 2 проекта") for s in texts(at.success))
    table = at.dataframe[-1].value
    assert "<script>" in " ".join(table["Име"])  # shown as text in a grid cell
    assert sorted(p.name for p in app_env.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.txt", b"a" * (5 * 1024 * 1024 + 1), "позволени са до 5 MiB"),
        ("empty.txt", b"", "Файлът empty\\.txt е празен"),
        ("binary.txt", b"\x00\x01\x02", "не може да се обработи"),
        ("plain.txt", "Просто текст без структура.".encode(), "не може да се обработи"),
    ],
)
def test_bad_uploads_get_clear_errors(app_env: Path, name: str, content: bytes, message: str) -> None:
    at = run_app({"view": "planners"})
    at.file_uploader(key="report_upload").upload(name, content, "text/plain").run()
    assert any(message in e for e in texts(at.error)), texts(at.error)


def test_invalid_url_values_are_reported_and_state_goes_to_the_url(app_env: Path) -> None:
    at = run_app({"status": ["stalled", "bogus"], "lang": "xx", "my": "Нигде"})
    [warning] = texts(at.warning)
    assert "status=bogus" in warning and "lang=xx" in warning and "my=Нигде" in warning
    assert at.query_params["status"] in ("stalled", ["stalled"])
    assert "lang" not in at.query_params
    by_label(at.text_input, "Търсене (кирилица или латиница)").set_value("парк").run()
    assert at.query_params["q"] in ("парк", ["парк"])


def test_only_small_txt_files_are_accepted() -> None:
    with pytest.raises(UploadError, match=r"\.txt"):
        check_upload("report.pdf", 10, "bg")
    with pytest.raises(UploadError, match="5242880"):
        check_upload("report.TXT", 5 * 1024 * 1024 + 1, "en")
    check_upload("report.TXT", 5 * 1024 * 1024, "en")


def test_missing_register_says_how_to_build_it(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLOVDIV_PROJECTS", str(app_env / "missing.geojson"))
    at = run_app()
    assert any("Регистърът липсва" in e for e in texts(at.error))


def test_place_search_degrades_without_a_geocoder(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLOVDIV_GEOCODER", "tests.no_such_module:Geocoder")
    at = run_app({"view": "residents", "place": "ул. Кукуш"})
    assert not at.exception
    assert any("Търсенето на места още не е налично" in m for m in texts(at.info))
    monkeypatch.setenv("PLOVDIV_GEOCODER", "tests.dashboard_fakes:BrokenGeocoder")
    at = run_app({"view": "residents", "place": "ул. Кукуш"})
    assert any("не е намерено" in w for w in texts(at.warning))


def test_values_from_links_and_files_cannot_inject_markdown(app_env: Path) -> None:
    at = run_app({"view": "residents", "place": "![x](http://example.com/x.png)"})
    [warning] = texts(at.warning)
    assert r"\!\[x\]\(http\://example\.com/x\.png\)" in warning  # escaped: shown as text
    at = run_app({"view": "planners"})
    at.file_uploader(key="report_upload").upload(
        "![x](http://e.com/x.png).txt", MINI_REPORT.encode(), "text/plain"
    ).run()
    assert any(r"\!\[x\]" in s for s in texts(at.success))


def test_unreachable_tile_server_falls_back_to_the_offline_basemap(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLOVDIV_TILES", "http://127.0.0.1:9/{z}/{x}/{y}.png")
    at = run_app()
    assert any("използва се офлайн основа" in m for m in texts(at.info))


def test_every_view_runs_in_english(app_env: Path) -> None:
    for view in ("map", "residents", "planners", "councillors"):
        at = run_app({"view": view, "lang": "en", "sd": "Тракия", "my": "Южен", "place": "Kamenitsa"})
        assert not at.exception, view
        assert at.title[0].value.startswith("Plovdiv — projects")


def test_the_reports_structure_and_the_goal_filter(app_env: Path) -> None:
    """goal= and measure= come from links like every facet; the goal shows as a removable chip."""
    at = run_app({"measure": "1.2"})
    assert not at.exception
    assert any(c.startswith("3 от 14 проекта") for c in texts(at.caption))
    at = run_app({"goal": ["101", "999"]})
    assert any(c.startswith("1 от 14 проекта") for c in texts(at.caption))
    assert any("goal=999" in w for w in texts(at.warning))
    assert at.query_params["goal"] in ("101", ["101"])
    chip = at.button(key="goal_chip_101")
    assert "Цел" in chip.label and "1\\.2" in chip.label
    chip.click().run()
    assert any(c.startswith("14 от 14 проекта") for c in texts(at.caption))
    assert "goal" not in at.query_params
    at = run_app({"goal": "101", "status": "completed"})
    at.button(key="reset_filters").click().run()
    assert "goal" not in at.query_params and "status" not in at.query_params
    at = run_app({"goal": "101", "lang": "en"})
    assert at.button(key="goal_chip_101").label.startswith("✕ Goal")


def test_choosing_a_level_of_the_structure_replaces_the_others(app_env: Path) -> None:
    """The component's click (``state.select_structure``): one level at a time, a toggle."""
    at = run_app({"priority": "1", "status": "stalled"})
    from dashboard import state

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(state.st, "session_state", at.session_state)
        state.select_structure("measure", "1.2")
        assert at.session_state["f_measure"] == ["1.2"] and at.session_state["f_priority"] == []
        state.select_structure("goal", "101")
        assert at.session_state["f_goal"] == ["101"] and at.session_state["f_measure"] == []
        state.select_structure("goal", "101")  # again: off
        assert at.session_state["f_goal"] == []
        state.select_structure("category", "road")  # not a level: ignored
        assert at.session_state["f_category"] == []
    assert at.session_state["f_status"] == ["stalled"]


def _review_app(app_env: Path, monkeypatch: pytest.MonkeyPatch, login: bool = True) -> AppTest:
    """The review view, logged in, on a register built from a three-work report."""
    from pipeline.cli import main as build

    report, out = app_env / "r.txt", app_env / "projects.geojson"
    report.write_text(MINI_REPORT.replace("<script>Втора</script>", "Втора"), encoding="utf-8")
    db = app_env / "corrections.sqlite"
    assert (
        build(
            ["--report", str(report), "--out", str(out), "--no-geocode", "--quiet", "--corrections", str(db)]
        )
        == 0
    )
    monkeypatch.setenv("PLOVDIV_PROJECTS", str(out))
    monkeypatch.setenv("PLOVDIV_REPORT", str(report))
    monkeypatch.setenv("PLOVDIV_REVIEWS_DIR", str(app_env / "rv"))
    monkeypatch.setenv("PLOVDIV_PLANNER_PASSWORD", "s3cret")
    at = run_app({"view": "review"})
    if not login:
        return at
    by_label(at.text_input, "Вашето име").set_value("Ана")
    by_label(at.text_input, "Парола").set_value("s3cret")
    at.button(key="FormSubmitter:planner_login-Вход").click().run()
    assert not at.exception
    return at


def test_taking_a_work_off_the_map_needs_the_tick(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import reviews

    at = _review_app(app_env, monkeypatch)
    key = at.session_state["review_key"]
    at.button(key=f"FormSubmitter:review_notwork_{key}-Отбележи: не е работа").click().run()
    assert any(w.startswith("Нищо не е записано") for w in texts(at.warning))
    assert reviews.list_decisions(app_env / "corrections.sqlite", "r.txt") == []
    at.button(key=f"FormSubmitter:review_merge_{key}-Обедини").click().run()
    assert reviews.list_decisions(app_env / "corrections.sqlite", "r.txt") == []
    at.text_input(key=f"nw_{key}").set_value("заглавие, не работа")
    at.checkbox(key=f"nwc_{key}").check()
    at.button(key=f"FormSubmitter:review_notwork_{key}-Отбележи: не е работа").click().run()
    [decision] = reviews.list_decisions(app_env / "corrections.sqlite", "r.txt")
    assert str(decision.action) == "not_work" and decision.reviewer == "Ана"


def _orphan(app_env: Path):  # noqa: ANN202 - a works.review.Decision
    """A decision on the mini report's second sentence as an earlier extractor keyed it."""
    from pipeline import reviews
    from works.keys import work_key
    from works.review import make_decision

    line = "- Търси се финансиране за ул. „Втора“."
    changes = {"status": "stalled", "status_evidence": "Търси се"}
    old = make_decision(work_key(line, [""]), "edit", "Боби", "спряно <b>", changes, at="2024-01-02T03:04:05")
    reviews.add_decision(app_env / "corrections.sqlite", "r.txt", "0" * 64, old)
    return old


def test_a_planner_restates_an_orphaned_decision_on_a_suggested_successor(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import reviews

    old = _orphan(app_env)
    at = _review_app(app_env, monkeypatch)
    [panel] = [e for e in at.expander if e.label == "Осиротели решения (1)"]
    shown = " ".join(texts(panel.markdown))
    assert "Поправка" in shown and "Боби" in shown and "2024\\-01\\-02 03\\:04" in shown
    assert "&lt;b&gt;" not in shown and "\\<b\\>" in shown  # escaped, not HTML
    assert "Втора" in shown and "ред 9" in shown
    db = app_env / "corrections.sqlite"
    assert [d.uid for d in reviews.list_decisions(db, "r.txt")] == [old.uid]  # nothing by itself
    [button] = [b for b in at.button if b.key.startswith(f"restate_{old.uid}_")]
    successor = button.key.removeprefix(f"restate_{old.uid}_")
    button.click().run()
    assert not at.exception
    new = next(d for d in reviews.list_decisions(db, "r.txt") if d.uid != old.uid)
    assert (new.key, str(new.action), dict(new.changes), new.reviewer) == (
        successor,
        "edit",
        old.changes,
        "Ана",
    )
    assert old.uid in new.reason and "Боби" in new.reason and new.seen["source_line"] == 9
    assert any(old.uid in s and successor.replace("-", "\\-") in s for s in texts(at.success))
    # Listed as re-stated, its button off; the orphan stays listed (kept, never applied).
    assert at.button(key=f"restate_{old.uid}_{successor}").disabled
    assert f"вече пренесено с {new.uid}" in " ".join(texts(at.markdown))


def test_orphans_are_not_shown_or_restated_without_a_login(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import reviews

    old = _orphan(app_env)
    at = _review_app(app_env, monkeypatch, login=False)
    assert not at.exception
    assert not [e for e in at.expander if e.label.startswith("Осиротели")]
    assert not [b for b in at.button if b.key and b.key.startswith("restate_")]
    assert [d.uid for d in reviews.list_decisions(app_env / "corrections.sqlite", "r.txt")] == [old.uid]
