"""Issue 12: mechanisms that must hold on text the rules were not written from.

Every sentence here is written for the test (none is copied from the report).
"""

from __future__ import annotations

import pytest

from extraction import extract_projects, parse_outline
from extraction.items import list_items
from extraction.records import thing_at_place
from extraction.rules import (
    decide_categories,
    decide_status,
    describes,
    head_categories,
    head_phrase,
    is_narrative,
)

MINI = """\tОТЧЕТ

\tПРИОРИТЕТ 1. ГРАД

\tМярка 1.3. Зелена система

\tОбновяване на зелените площи.
\tПреди да започне ремонтът, градинката беше пуста и тъмна.
\tАко министерството одобри сумата, ще се подобри поливането.
\tВ новите обекти е задължително да има чешми.
\tЗасадени са 400 липи по крайбрежната алея.
\tТъй като сушата продължава, поливането е по-често.

\tМярка 3.4. Спорт

\tПодкрепа на спортните клубове.
\tРехабилитирани са две спортни зали.
"""


def records():
    return extract_projects(parse_outline(MINI))


@pytest.mark.parametrize(
    "sentence",
    [
        "Преди да започне ремонтът, градинката беше пуста и тъмна.",
        "Ако министерството одобри сумата, ще се подобри поливането.",
        "- Тъй като сушата продължава, поливането е по-често.",
        "За да се намали шумът, движението е пренасочено.",
        "В новите обекти е задължително да има чешми.",
    ],
)
def test_explaining_sentences_are_narrative(sentence: str) -> None:
    assert is_narrative(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Засадени са 400 липи по крайбрежната алея.", "Рехабилитирани са две спортни зали."],
)
def test_work_sentences_are_not_narrative(sentence: str) -> None:
    assert not is_narrative(sentence)


def test_narrative_makes_no_record() -> None:
    texts = [r.source_text for r in records()]
    assert not any(t.startswith(("Преди да", "Ако ", "В новите обекти", "Тъй като")) for t in texts)
    assert any(t.startswith("Засадени са 400 липи") for t in texts)


def test_a_participle_no_rule_lists_is_read_as_done() -> None:
    halls = [r for r in records() if "Рехабилитирани" in r.source_text]
    assert [(r.status, r.status_scope) for r in halls] == [("completed", "sentence")]


def status(text: str) -> str:
    return decide_status([("sentence", text)]).status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A step held on the way to a work is not the work's stage.
        ("Проведено е обществено обсъждане за изграждане на хоспис", "planned"),
        ("Проведен публичен дебат за нов мост", "planned"),
        ("Проведена е среща с живущите, изготвено е техническо задание", "design"),
        # "Текущи" ремонти are routine repairs: done when the text says they were made.
        ("Извършени са текущи ремонти на трите клуба", "completed"),
    ],
)
def test_step_words_are_not_the_stage(text: str, expected: str) -> None:
    assert status(text) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("- Чрез чести участия в местните медии се разказва за парковете", True),
        ("- За настилките все по-често се използва гранит", True),
        # A counted batch of things is a work (guide §2.5); so is a purchase with its price (§6.5).
        ("- Особено внимание се обръща на 300 пешеходни пътеки", False),
        ("- Необходими средства за четирите района – около 200 000 лв.", False),
        ("- подкрепи фондацията при подготовката на градския маратон", False),
        ("- Меморандум за сътрудничество с Община Русе", False),
        ("- Предоставяне на консултации на малки фирми", False),
    ],
)
def test_list_items_that_only_describe(item: str, expected: bool) -> None:
    assert describes(item) is expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        # The place only locates the work: the title is the thing, not "Изграждане на <place>".
        ("Монтирана е нова асансьорна уредба в ", "Нова асансьорна уредба в"),
        (
            "Засадени са 40 кестена, обособен е терен за градина на мястото на бившия ",
            "Градина на мястото на бившия",
        ),
        ("Изградена е лятна сцена в двора на ", "Лятна сцена в двора на"),
        ("За ремонт в ", "Ремонт в"),
        # The place is the work's object, or the text says where, not what: no such title.
        ("Ремонтирана е ", None),
        ("Отпадъците, които се извозват до депото в ", None),
        ("Кабинет, намиращ се в ", None),
    ],
)
def test_title_of_a_work_the_place_only_locates(before: str, expected: str | None) -> None:
    assert thing_at_place(before) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Works listed under one action, each with or without its own stage word.
        (
            "Изработени са брошура за рециклиране, два видеоклипа и мобилно приложение.",
            ["Брошура за рециклиране", "Два видеоклипа", "Мобилно приложение"],
        ),
        (
            "Проведени са обучения на домоуправители (по едно в квартал) с експерти, отпечатани "
            "плакати, радиоспотове.",
            ["Обучения на домоуправители с експерти", "Плакати", "Радиоспотове"],
        ),
        (
            "Нашите постановки са – Зимна приказка, Пролетен бал, есенните четения.",
            ["Зимна приказка", "Пролетен бал", "Есенните четения"],
        ),
        # Partners, participants and channels are not works (guide §5.7).
        ("Проведени са срещи с кметовете, експертите и гражданите.", []),
        ("Подписано е споразумение с Общината, ТПК-Пловдив, местни фирми и сдружения.", []),
        # One thing, or a clause after the action: no list of works.
        ("Закупени са 12 нови автобуса.", []),
        ("Целта е до края на годината да бъдат обновени три площада, две градинки и една алея.", []),
        ("Ще се ремонтират покривите и ще се сменят прозорците.", []),
        ("Осигурени са таблети за ученици и учители.", []),
    ],
)
def test_list_items_under_one_action(sentence: str, expected: list[str]) -> None:
    assert [item.title for item in list_items(sentence)] == expected


LIST = """\tОТЧЕТ

\tПРИОРИТЕТ 1. ГРАД

\tМярка 1.4. Въздух

\tИнформиране на гражданите за чистотата на въздуха.
\tКампанията започна през пролетта.
\tИзработени са листовки за отоплението, заснети видеоклипове, проведен е концерт в парка.
"""


def test_each_listed_work_is_its_own_record() -> None:
    recs = extract_projects(parse_outline(LIST))
    names = {r.name: r for r in recs}
    assert {"Листовки за отоплението", "Видеоклипове", "Концерт в парка"} <= set(names)
    assert names["Концерт в парка"].categories == ["culture"]  # its head says what it is, not the venue
    assert all(names[n].status == "completed" for n in ("Листовки за отоплението", "Концерт в парка"))


@pytest.mark.parametrize(
    ("phrase", "head", "expected"),
    [
        # The head decides; the venue, topic or audience after it does not.
        ("Концерт на открито в Лятната градина", "Концерт", ["culture"]),
        ("преговори с няколко спортни клуба за общ турнир", "преговори", ["other"]),
        ("правилник за работата на комисията по спорт", "правилник", ["planning"]),
        ("Изложба „Старите мостове на града“", "Изложба", ["culture"]),
        # A cue that reads what follows it still can: playgrounds in kindergartens are no park.
        ("30 детски площадки в 12 детски градини", "30 детски площадки", []),
        # A generic head (an action, a project by name) says nothing: the wider text decides.
        ("ремонт на покрива на читалището", "ремонт", []),
        ("Проект „Зелени дворове“", "Проект", []),
        # A weak cue (a memorandum) never decides as a head.
        ("меморандум с две фирми за споделени велосипеди", "меморандум", []),
    ],
)
def test_the_head_of_a_work_says_what_it_is(phrase: str, head: str, expected: list[str]) -> None:
    assert head_phrase(phrase) == head
    assert head_categories(phrase) == expected


def test_head_first_then_the_sentence() -> None:
    # Found in the head, the category decides alone; a generic head leaves the sentence to decide.
    assert decide_categories("Фестивал на улицата с нова настилка", [], "", "1.1", head="Фестивал") == [
        "culture"
    ]
    assert decide_categories("ремонт на настилката", [], "", "1.1", head="ремонт на настилката") == ["road"]


HEAD = """\tОТЧЕТ

\tПРИОРИТЕТ 3. ХОРА

\tМярка 3.5. Социални дейности

\tПодобряване на социалните услуги.
\tСъздаден е съвет по въпросите на социалното подпомагане към кмета.
\tПриет е правилник за работата на съвета.
"""


def test_a_short_sentence_whose_head_names_a_work_is_no_remark() -> None:
    recs = extract_projects(parse_outline(HEAD))
    cats = {r.source_text.split()[0]: r.categories for r in recs}
    assert cats == {"Създаден": ["other"], "Приет": ["planning"]}


def test_a_surface_inside_a_building_is_no_road_work() -> None:
    """Issue 12, class 5: "настилка" inside a house does not make its repair a road work; on a
    street (or with no place) it still does."""
    from extraction.rules import decide_categories

    house = "ремонт на вътрешната настилка и на входна врата на Къщата на художника"
    assert "road" not in decide_categories(house, ["facility"], "", "3.5")
    street = "подменена е настилката на ул. „Алфа“"
    assert "road" in decide_categories(street, ["street"], "", "1.2")
    assert "road" in decide_categories("положена е нова настилка", [], "", "1.2")
