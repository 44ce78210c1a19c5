"""Place mentions in sentences written for the test."""

from __future__ import annotations

from extraction.places import canonical_district, find_initiatives, find_places, quoted_spans


def kinds(sentence: str) -> list[tuple[str, str]]:
    return [(p.kind, p.name) for p in find_places(sentence)]


def test_prefixed_names_and_lists() -> None:
    got = kinds('Готови са ДГ "Слънце" и „Луна“, а в ОУ „Христо Смирненски“ предстои ремонт.')
    assert got == [("kindergarten", "Слънце"), ("kindergarten", "Луна"), ("school", "Христо Смирненски")]


def test_segment_between_two_streets() -> None:
    (pm,) = find_places("Ремонт на ул. „Лозата“ в участъка от бул. „Изток“ до „Запад“.")
    assert (pm.kind, pm.name) == ("street", "Лозата")
    assert pm.as_dict()["between"] == ["бул. „Изток“", "бул. „Запад“"]


def test_endpoint_pair_without_road() -> None:
    (pm,) = find_places('Документация от бул. "Едно" до ул. "Две".')
    assert pm.role == "endpoint" and pm.name == "Едно" and pm.between == ["ул. „Две“"]


def test_block_of_streets() -> None:
    (pm,) = find_places("Улиците в карето: ул. „А“ – ул. „Б“ – ул. „В“ – бул. „Г“.")
    assert pm.kind == "block"
    assert pm.as_dict()["streets"] == ["ул. „А“", "ул. „Б“", "ул. „В“", "бул. „Г“"]


def test_junction_pairs() -> None:
    got = find_places('Обновени са кръстовищата на бул. "Едно" и "Две", "Три" и "Четири".')
    assert [(p.kind, p.streets) for p in got] == [
        ("junction", ["Едно", "Две"]),
        ("junction", ["Три", "Четири"]),
    ]


def test_districts_are_context_and_canonical() -> None:
    got = find_places('Пилотно в районите "Централен" и "Тракия", и в район Южния.')
    assert [(p.kind, p.name, p.role) for p in got] == [
        ("district", "Централен", "context"),
        ("district", "Тракия", "context"),
        ("district", "Южен", "context"),
    ]
    assert canonical_district("Северния") == "Северен" and canonical_district("Пловдив") is None


def test_organisation_names_are_not_places() -> None:
    assert kinds("Фирма „Запрянови - 03“ заведе дело; ОП „Чистота“ почиства.") == []


def test_nested_quotes() -> None:
    text = "проект „Улици на „Тютюнев град“ “, ул. „Първа“"
    inner = [t for _, _, t in quoted_spans(text)]
    assert "Тютюнев град" in inner and "Първа" in inner


def test_landmarks_without_prefix() -> None:
    assert ("garden", "Цар-Симеонова градина") in kinds("Камери в Цар-Симеоновата градина и Альоша.")


def test_unnamed_sites_placed_by_district() -> None:
    got = find_places('Избран е изпълнител за двете нови ДГ в "Южен" и в "Тракия".')
    sites = [(p.kind, p.district) for p in got if p.role == "object"]
    assert sites == [("kindergarten", "Южен"), ("kindergarten", "Тракия")]


def test_former_district_is_a_neighbourhood_but_a_title_is_not_a_place() -> None:
    assert kinds('В районите "Коматево" и "Прослав" се раздават компостери.') == [
        ("neighbourhood", "Коматево"),
        ("neighbourhood", "Прослав"),
    ]
    assert kinds("Концерти в районите – „Кино под звездите“.") == []


def test_a_long_programme_title_is_one_initiative() -> None:
    """Programme titles run long ("… и/или ремонти и сертифициране …"); the title is still one work."""
    title = (
        "Проектиране и изграждане на нови детски площадки и/или ремонти и сертифициране на "
        "съществуващи такива, облагородяване на дворни пространства в общинските детски градини"
    )
    (found,) = find_initiatives(f"Общината изпълнява за седма година подпрограма „{title}“.")
    assert found.name == title and found.kind == "initiative"
