"""Word forms through the lemmatiser (lemmagen3's Bulgarian model), on sentences written for the test."""

from __future__ import annotations

import pytest

from extraction.lemmas import lemma, tokens
from extraction.rules import category_cues, decide_status, status_cues


def status(text: str) -> str:
    return decide_status([("clause", text)]).status


def test_lemmas_of_inflected_forms() -> None:
    assert lemma("площадки") == "площадка"  # simplemma reads it as "площад"
    assert lemma("площадките") == "площадка"
    assert {lemma(w) for w in ("изграден", "изградена", "изградени", "изградиха")} == {"изградя"}
    # The imperfective verb is another lemma: "се изгражда" is work under way, not done.
    assert lemma("изгражда") == "изграждам"


def test_tokens_keep_offsets() -> None:
    text = "Рехабилитирани са ул. „Кукуш“ и ул. „Опълченска“."
    for start, end, word, _ in tokens(text):
        assert text[start:end].lower() == word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Forms no regular cue lists: the verb's lemma decides.
        ("Рехабилитирани са три улици в кв. Прослав", "completed"),
        ("Санирана е сградата на читалището", "completed"),
        ("Асфалтирани бяха две отсечки", "completed"),
        ("Доставени са 12 нови автобуса", "completed"),
        ("Оборудвани са четири кабинета", "completed"),
        ("Работниците укрепиха брега", "completed"),
        # An intention or a negation is no stage reached.
        ("Сградата ще бъде санирана догодина", "planned"),
        ("Предвижда се отсечките да бъдат асфалтирани", "planned"),
        # The imperfective present is work under way, never "done".
        ("Улицата се рехабилитира", "in_progress"),
    ],
)
def test_lemma_cues(text: str, expected: str) -> None:
    assert status(text) == expected


def test_negated_participle_is_no_cue() -> None:
    assert not [c for c in status_cues("Сградата не е санирана") if c.status == "completed"]


def test_attributive_participle_is_no_cue() -> None:
    # "the repaired streets" names them; it states no stage of this sentence's work.
    assert not [c for c in status_cues("Рехабилитираните улици") if c.status == "completed"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Any form of a listed noun, not only the endings a pattern lists.
        ("Ремонт на басейна в кв. Тракия", "sport"),
        ("Нови игрища в двора", "sport"),
        ("Открит е хосписът", "health"),
        ("Обществените трапезарии работят", "social"),
        ("Засадени са 300 дръвчета", "park"),
    ],
)
def test_category_lemmas(text: str, expected: str) -> None:
    assert expected in category_cues(text)
