"""Tests for geocoding.normalize: matching keys, type prefixes, transliteration."""

from __future__ import annotations

import pytest

from geocoding.normalize import PREFIX_KINDS, normalize, strip_prefix, transliterate


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        # prefixes and quotes of every kind
        (["ул. „Иван Вазов“", 'ул. "Иван Вазов"', "улица Иван Вазов", "Иван Вазов"], "иван вазов"),
        (["бул. „Христо Ботев“", "булевард Христо Ботев", "бул.Христо Ботев"], "христо ботев"),
        (["ДГ „Буратино“", 'ДГ "Буратино"', "Буратино", "ДГ«Буратино»"], "буратино"),
        (["ж.к. Тракия", "жк Тракия", "ж. к. „Тракия“", "район „Тракия“"], "тракия"),
        (['кв. "Столипиново"', "квартал Столипиново"], "столипиново"),
        (["пл. „Съборище“", "площад Съборище"], "съборище"),
        (["с. Шишманци", "село Шишманци"], "шишманци"),
        (["СУ “Св. Седмочисленици”", 'СОУ "Св. Седмочисленици"'], "св седмочисленици"),
        # ordinals: digits with suffix, bare digits, words
        (
            ["бул. „6-ти септември“", "6 септември", "Шести септември", "6-ти Септември", "6ти септември"],
            "6 септември",
        ),
        (["ул. „4 януари“", "4-ти Януари", "Четвърти януари"], "4 януари"),
        (['ЦДГ "8-ми март"', "осми март"], "8 март"),
        # Roman numerals, including the pipe spelling seen in OSM ("Филип ||")
        (
            ["бул. „Цар Борис III Обединител“", "Цар Борис 3 Обединител", "Цар Борис Трети Обединител"],
            "цар борис 3 обединител",
        ),
        (["Филип II", "Филип ||", "Филип Втори"], "филип 2"),
        # saints
        (
            ["Свети Свети Кирил и Методий", "Св. св. Кирил и Методий", "Светите Кирил и Методий"],
            "св кирил и методии",
        ),
        (["МБАЛ „Св. Мина“", "Свети Мина", "МБАЛ“Св.Мина“ЕООД"], "св мина"),
        # dashes and spaces
        (["бул. „Марица – юг“", "Марица-юг", "Марица - юг", "Марица юг"], "марица юг"),
        # titles and initials
        (["Ген. Гурко", "Генерал Гурко"], "ген гурко"),
        (["Петко Д.Петков", "Петко Д. Петков"], "петко д петков"),
        (["Ив. Вазов", "Иван Вазов"], "иван вазов"),
        # й / ьо folding
        (["Йоаким Груев", "Иоаким Груев"], "иоаким груев"),
        # typos and short forms from the report and OSM
        (["Асеноградско шосе", "бул. „Асеновградско шосе“"], "асеновградско шосе"),
        (["ул. „Лев Толстой“", "Лев Толостой"], "лев толстои"),
        (["Стойчо Мошанов", "Стойчо Мушанов"], "стоичо мушанов"),
        (["бул. „Пещерско шосе“", "Пещерско шосе"], "пещерско шосе"),
        (["площад „Ст. Стамболов“", "площад Стефан Стамболов"], "стефан стамболов"),
        (["ОУ „Княз Александър I“", "Княз Александър I Батенберг"], "княз александър 1 батенберг"),
        (["парк „Бели брези“", "Белите брези"], "белите брези"),
    ],
)
def test_variants_share_one_key(variants: list[str], key: str) -> None:
    assert {normalize(v) for v in variants} == {key}


def test_distinct_places_keep_distinct_keys() -> None:
    assert normalize("Марица-юг") != normalize("Марица-север")
    assert normalize("Сухата река") == "сухата река"  # "СУ" prefix must not eat "Су…"
    assert normalize("Улицата") == "улицата"  # nor "ул" the start of a word
    assert normalize("Пета") == "пета"  # one-word names keep their ordinal-like word
    assert normalize("ДГ 5 и 6") == "5 и 6"  # the conjunction "и" is not an ordinal suffix


def test_edge_cases() -> None:
    assert normalize("") == ""
    assert normalize("   ") == ""
    assert normalize("Парк") == "парк"  # a bare prefix word is kept, not emptied
    assert normalize("Plovdiv") == "plovdiv"
    assert normalize("Пл\u043eвдив") == normalize("Плoвдив") == "пловдив"  # Latin 'o' homoglyph
    assert normalize("XIX век") == normalize("19 век") == "19 век"  # centuries too
    assert normalize("Хан Крум") == "хан крум"  # a lone Cyrillic "Х" is not a numeral


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ул. „Иван Вазов“", ("street", "Иван Вазов")),
        ("бул. Цар Борис III Обединител", ("boulevard", "Цар Борис III Обединител")),
        ("пл. Никола Мушанов", ("square", "Никола Мушанов")),
        ("парк „Цар Симеоновата градина“", ("park", "Цар Симеоновата градина")),
        ("градина Дондукова", ("garden", "Дондукова")),
        ('ДГ "Чучулига"', ("kindergarten", "Чучулига")),
        ("Детска градина „Слънце“", ("kindergarten", "Слънце")),
        ("ДЯ „Веселушка“", ("nursery", "Веселушка")),
        ('ОУ "Душо Хаджидеков"', ("school", "Душо Хаджидеков")),
        ('ПМГ "Акад. Кирил Попов"', ("school", "Акад. Кирил Попов")),
        ("подлез „Чифте баня“", ("underpass", "Чифте баня")),
        ('Надлез "Родопи"', ("bridge", "Родопи")),
        ("мост над р. Марица", ("bridge", "над р. Марица")),
        ('кв. "Кършияка"', ("neighbourhood", "Кършияка")),
        ("район „Южен“", ("district", "Южен")),
        ("с. Шишманци", ("village", "Шишманци")),
        ("УМБАЛ „Св. Георги“", ("facility", "Св. Георги")),
        ("„ул. Капитан Райчо“", ("street", "Капитан Райчо")),
        ("Дондукова градина", (None, "Дондукова градина")),
        ("Сухата река", (None, "Сухата река")),
    ],
)
def test_strip_prefix(text: str, expected: tuple[str | None, str]) -> None:
    kind, bare = strip_prefix(text)
    assert (kind, bare) == expected
    assert kind is None or kind in PREFIX_KINDS


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Пловдив", "Plovdiv"),
        ("Тракия", "Trakia"),  # -ия at the end of a word → -ia
        ("София", "Sofia"),
        ("Жълтуша", "Zhaltusha"),
        ("Щастливеца", "Shtastlivetsa"),  # щ → sht, ц → ts (the Act has no "c")
        ("Централен", "Tsentralen"),
        ("Южен", "Yuzhen"),
        ("Западен", "Zapaden"),
        ("Източен", "Iztochen"),
        ("Северен", "Severen"),
        ("Юрий Гагарин", "Yuriy Gagarin"),
        ("Мальовица", "Malyovitsa"),  # ь → y
        ("Ястребова", "Yastrebova"),
        ("Цар Борис III", "Tsar Boris III"),  # Latin passes through
        ("ЩАСТЛИВЕЦА", "SHTASTLIVETSA"),  # all caps stay all caps
        ("ЖК Тракия", "ZHK Trakia"),
        ("Ясна поляна", "Yasna polyana"),
        ("Илиянци", "Iliyantsi"),  # "ия" inside a word is i + ya
        ("България", "Bulgaria"),  # the country's established form (Art. 4 of the Act)
        ("бул. „6-ти септември“", "bul. „6-ti septemvri“"),
    ],
)
def test_transliterate(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic) == latin


def test_report_spellings_meet_osm_spellings() -> None:
    """Variants added for the report's places (name_variants.toml), each checked against OSM."""
    from geocoding.normalize import bank_aliases, descriptors

    assert normalize("Математическата гимназия") == normalize('ОМГ "Акад. Кирил Попов"')
    assert (
        normalize("Голяма базилика")
        == normalize("Епископската базилика на Филипопол")
        == "епископска базилика"
    )
    assert normalize("Зоологическа градина") == normalize("Пловдивски Зоопарк")
    assert (
        normalize("НУМТИ „Добрин Петков“")
        == normalize('Музикално училище "Добрин Петков"')
        == "добрин петков"
    )
    assert normalize("бул. „Марица – север“") == normalize("„Марица-север“") == "марица север"
    assert set(bank_aliases()) == {"Марица-север", "Марица-юг"}
    words = dict(descriptors())
    assert words["фк"] == ("stadium", "sport") and words["река"] == ("river",)
    assert list(words)[:2] == ["спортен комплекс", "спортна зала"]  # longest first
