"""Status cues and category lexicon, on sentences written for the test."""

from __future__ import annotations

import pytest

from extraction.rules import decide_categories, decide_status, is_not_work, status_cues


def status(text: str) -> str:
    return decide_status([("clause", text)]).status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Паркът се строи", "in_progress"),
        ("ГОТОВИ СА двете градини", "completed"),
        ("Има пусната поръчка по ЗОП", "procurement"),
        ("Избран е изпълнител, предстои сключване на договор", "procurement"),
        ("Изготвя се проектна документация", "design"),
        ("Има разрешение за строеж", "design"),
        ("Предвидени за втората част на мандата", "planned"),
        ("Налична е проектна документация. Търси се финансиране", "stalled"),
        ("На този етап няма средства, предвидени в бюджета", "stalled"),
        ("Очаква се решение на съда по делото", "stalled"),
        ("Ремонтът е завършен", "completed"),
        ("Обектът се изпълнява", "in_progress"),
        # Labelling guide §5.4: reduced is not stopped.
        ("Значително намалени дейности поради пандемията", "in_progress"),
        ("Стартирано е сътрудничество с два университета", "in_progress"),
        ("Стартирана процедура по ЗОП за доставка", "procurement"),
        ("Изграден е, но сега функционира като склад", "completed"),
        ("Вече три години се осигури грижа в дома; закупени са два автомобила", "in_progress"),
        ("Повече от 12 години съществува партньорство с тях", "planned"),  # not "вече"
        # Labelling guide §5.6: drafted and put forward, not adopted.
        ("Изготвено е предложение за защитена зона", "in_progress"),
        ("Все още няма изготвена стратегия, затова е предложен оперативен план", "in_progress"),
        ("Все още няма изготвена и приета стратегия", "planned"),
        ("Закупуване на котел след провеждане на обществена поръчка", "planned"),
        ("Доставка на котел по реда на Закона за обществени поръчки", "planned"),
        # A programme's title states no stage: „Проектиране и изграждане …“ is its name.
        ("Подпрограма „Проектиране и изграждане на площадки“ – изградени са 12", "completed"),
    ],
)
def test_status_of_a_clause(text: str, expected: str) -> None:
    assert status(text) == expected


def test_longer_cue_contains_shorter() -> None:
    # "открита процедура" is procurement; the "открит" (opened = completed) inside it is dropped.
    assert [c.status for c in status_cues("Обявена е открита процедура")] == ["procurement"]
    # "в процес на изготвяне" is design, not the in_progress "в процес на …".
    assert status("В процес на изготвяне е техническият проект") == "design"


def test_weak_cue_loses_to_strong() -> None:
    assert status("Предстои ремонт, има проект съгласуван от НИНКН") == "design"
    assert status("Предстои") == "planned"


def test_scopes_clause_first_then_wider() -> None:
    d = decide_status([("clause", "за ДГ „Слънце“"), ("sentence", "Строи се ДГ „Слънце“")])
    assert (d.status, d.scope, d.evidence) == ("in_progress", "sentence", "Строи се")
    d = decide_status([("clause", "нищо тук")])
    assert (d.status, d.scope, d.evidence) == ("planned", "default", "")


def test_categories() -> None:
    assert decide_categories("изграждане на физкултурен салон", ["school"], "", "3.1") == ["school", "sport"]
    # A camera in a park is a camera, not a park work.
    assert decide_categories("монтирани камери", ["park"], "", "1.1") == ["camera"]
    assert decide_categories("реконструкция", ["street"], "", "1.2") == ["road"]
    assert decide_categories("нещо", [], "", "3.2") == ["health"]  # the measure's default


def test_purposes_and_organisations_set_no_category() -> None:
    assert decide_categories("реконструкция за облекчаване на трафика", ["street"], "", "1.2") == ["road"]
    assert decide_categories("техника за ОП „Градини и паркове“ и отпадъци", [], "", "1.4") == ["waste"]


def test_purpose_infinitive_is_not_work_under_way() -> None:
    assert status("Предстои обществена поръчка, с която да се модернизира базата") == "procurement"


def test_buildings_that_locate_a_work_are_not_its_category() -> None:
    from extraction.rules import category_cues

    assert category_cues("Освежени са 40 пешеходни пътеки пред училищата и детските заведения.") == ["road"]
    assert "school" in category_cues("Ремонтирани са покривите на 5 училища.")


def test_a_playground_in_a_kindergarten_is_a_school_work() -> None:
    from extraction.rules import category_cues

    assert category_cues("Изградени са 20 детски площадки в 12 общински детски градини.") == ["school"]
    assert category_cues("Изградени са 3 детски площадки в кв. „Изгрев“.") == ["park"]


def test_other_is_what_nothing_else_is() -> None:
    from extraction.rules import decide_categories

    # An e-service is "other" whatever its sentence mentions (the registers it reads from).
    text = "Услугите използват данни от първичните регистри чрез системата Regix."
    assert decide_categories(text, [], "", "3.6") == ["other"]
    # A memorandum is "other" unless it says what it is about.
    assert decide_categories("Подписан е меморандум с Община Бургас.", [], "Стратегия", "3.6") == ["other"]
    assert decide_categories("Подписан е меморандум за тротинетките под наем.", [], "", "2.1") == [
        "transport"
    ]


def test_design_contract_started_and_running_and_draft_awaiting_consultation() -> None:
    from extraction.rules import decide_status

    def status(text: str) -> str:
        return decide_status([("sentence", text)]).status

    assert status("Сключен е договор с архитекти за реставрацията на кино „Луна“.") == "design"
    assert status("Сключен е договор за строителството.") == "procurement"
    assert status("През 2021 г. стартира първата паралелка.") == "in_progress"
    assert status("Кампанията стартира през май и продължи до 15 декември.") == "completed"
    assert status("В общината функционират 12 паралелки.") == "in_progress"
    assert status("Изработена е стратегия, на която предстои второ обществено обсъждане.") == "in_progress"


def test_plans_hold_works_and_reports_are_studies() -> None:
    from extraction.rules import category_cues, decide_status

    # The plan only holds the parks it foresees: the work is a park.
    assert category_cues("В новия ОУП са залегнали 2 нови паркови пространства.") == ["park"]
    assert category_cues("Изготвен е доклад за икономиката на града.") == ["planning"]
    assert category_cues("Въведени са правила за докладване на нарушения.") == []
    assert decide_status([("sentence", "Разработен е предварителен проект на ОУП.")]).status == "in_progress"
    assert decide_status([("sentence", "Провеждат се мащабни акции за почистване.")]).status == "in_progress"


def test_a_quoted_service_is_a_work() -> None:
    from extraction.places import find_initiatives

    (svc,) = find_initiatives("Социалната услуга „Личен помощник“ се предоставя от 2020 г.")
    assert svc.display == "Услуга „Личен помощник“"


def test_audience_and_partners_say_who_not_what() -> None:
    from extraction.rules import category_cues

    assert category_cues("Проведени са 40 музейни урока за ученици.") == ["culture"]
    assert category_cues("Проведени са обучения за учители.") == ["school"]
    assert category_cues("Кампании в партньорство с 3 футболни клуба.") == []
    assert category_cues("Публикации в социалните мрежи.") == []
    assert category_cues("Нова социална услуга.") == ["social"]


def test_a_place_less_activity_does_not_take_its_goals_words() -> None:
    from extraction import extract_projects, parse_outline

    text = (
        "\tОТЧЕТ\n\n\tПРИОРИТЕТ 2. ИКОНОМИКА\n\n\tМярка 2.2. Инвестиции\n\n"
        "\tПопуляризиране чрез кампании, стратегии и реклама.\n"
        "- организира конференцията „Бизнес 2021“;\n"
        "- представи града в изданието „Инвестиции“.\n"
    )
    recs = extract_projects(parse_outline(text))
    assert len(recs) == 2
    for rec in recs:
        assert rec.categories == ["other"]  # not "planning" from the goal's "стратегии"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("- взе участие в няколко уебинара и конференции;", True),
        ("Участие с презентация на годишния форум на асоциацията", True),
        ("- продължи участието на общината в мрежата „Градове“", True),
        ("Периодично се организират срещи и изяви по телевизията", True),
        ("Участие в проект „Чиста река“ с две общини", False),
        ("Организиран е форум за млади предприемачи", False),
        ("Реконструкция на ул. „Алфа“ с участие на живущите", False),
    ],
)
def test_taking_part_in_others_events_is_not_a_work(sentence: str, expected: bool) -> None:
    """Labelling guide §5.1: conferences, networks and media are how the office works, not works."""
    assert is_not_work(sentence) is expected


def test_cameras_among_the_parts_of_a_repair_do_not_make_it_a_camera_work() -> None:
    """Labelling guide §2.4: the parts of one object are one work, of the object's category."""
    repair = "Ремонт на сграда „Изгрев“, включва ремонт на покрива и поставяне на видеонаблюдение"
    assert decide_categories(repair, [], "", "3.5") == ["culture"]
    assert decide_categories("Поставяне на видеонаблюдение в сграда „Изгрев“", [], "", "3.5") == ["camera"]


def test_required_text_of_a_pattern() -> None:
    from extraction.rules import required_text

    assert required_text("търс(?:и|ят)(?: се)? финансиране") == "финансиране"
    assert required_text("[пп]ровежда(?:т)? се") == "ровежда"
    assert required_text("съдът|по делото") == ""  # alternatives at the top: no one text
    assert required_text("готови?") == "готов"  # an optional letter is not required
    assert required_text(r"\bе\b") == ""
