"""Named items listed under a plural head: one work each (labelling guide §7.1).

Sentences written for the test in the report's shapes: a parenthesised list after the head,
a list after "са –", a list after a dash; and the lists that name no works of the head (the
stages of a financing, the schools that take part).
"""

from __future__ import annotations

from extraction import extract_projects, parse_outline
from extraction.named_lists import named_list_items

CALENDAR = (
    "В Календара присъстват утвърдени фестивали с дълга история („Алфа звук“, Международния "
    "фестивал на джаза, Летни фотографски срещи…), така и млади фестивали, които търсят своята "
    "публика („Бета“, „Здравей, Гама“….)"
)


def _names(sentence: str) -> list[str]:
    return [item.name for item in named_list_items(sentence)]


def test_a_parenthesised_list_after_its_head_is_one_work_per_name() -> None:
    assert _names(CALENDAR) == [
        "Фестивал „Алфа звук“",
        "Международния фестивал на джаза",  # says what it is: kept as written
        "Фестивал „Летни фотографски срещи“",
        "Фестивал „Бета“",
        "Фестивал „Здравей, Гама“",  # the comma inside the quotes separates nothing
    ]


def test_a_list_after_a_copula_and_a_dash() -> None:
    names = _names(
        "Собствени продукции са – откриващо събитие на града, Пътят към върха, Коледа и Нова година."
    )
    assert names == [
        "Продукция – откриващо събитие на града",
        "Продукция „Пътят към върха“",
        "Продукция „Коледа“",
        "Продукция „Нова година“",
    ]


def test_long_quoted_titles_are_names() -> None:
    sentence = "Проекти, насочени към читалищата – „Кино под звездите“, „Куклен театър на открито за деца от 3 до 103 години“."
    assert len(_names(sentence)) == 2


def test_lists_that_name_no_works_of_the_head() -> None:
    # The list names the stages of a financing (the gap has a clause of its own) …
    assert _names("Финансирането на проекти се осъществи на два етапа (ПЪРВИ и ВТОРИ), всеки с бюджет.") == []
    # … or the schools that hold the events (acronyms: who takes part, §5.7) …
    assert _names("Провеждат се събития на училищата по изкуства (НХГ „Цанко Лавренов“, НГСЕИ, НУМТИ).") == []
    # … or one title right after its head, which the initiative reading takes.
    assert _names("Проведен е фестивалът „Опера оупън“.") == []


REPORT = f"""\tОТЧЕТ

\tПРИОРИТЕТ 3. КУЛТУРА

\tМярка 3.5. Култура

\tРазвитие на културния календар.
\t{CALENDAR}
\tПроекти, насочени към откритите сцени – „Кино под звездите“, „Народен събор“.
\tПрез 2021 г. са проведени изложби („Първа“, „Втора“).
"""


def test_named_items_become_records_with_an_honest_stage() -> None:
    records = {r.name: r for r in extract_projects(parse_outline(REPORT))}
    festival = records["Фестивал „Здравей, Гама“"]
    # No stage stated: a festival the calendar holds took place (§7.1), and the record says so.
    assert festival.status == "completed" and festival.status_scope == "default"
    assert festival.categories == ["culture"]
    # A project is no calendar event: the rules' default, also marked as unstated.
    project = records["Проект „Народен събор“"]
    assert project.status == "planned" and project.status_scope == "default"
    # A stage the sentence states decides.
    shown = records["Изложба „Първа“"]
    assert shown.status == "completed" and shown.status_scope == "sentence"
    assert len({r.key for r in records.values()}) == len(records)
