"""The outline parser on small texts written for the quirks, and on the real report."""

from __future__ import annotations

import pytest

from extraction import ReportError, parse_outline

QUIRKY = (
    "\tОТЧЕТ\n\n"
    "\tПРИОРИТЕТ 1. ПЪРВИ РЕД НА ДЪЛЪГ\nЗАГЛАВЕН РЕД\n\n"
    "\tМярка 1.1. Пътища\n\n"
    "\tГрупа цели без бележки\n\n"
    "\tРеконструкция на ул. „Първа“\n"
    "\t- Завършена е  ул. „Първа“.\n"
    '- Започна ремонт на ул. "Втора"\n'
    "– Трети булет с тире\n"
    "-Без интервал\n\n"
    "Абзац без отстъп, пак бележка, който продължава\n"
    "на следващия ред.\n\n"
    "\tЦел, пренесена на два реда и\n"
    "продължена с малка буква\n\n"
    "\tЦел с бележка в отстъп\n"
    "\tБележка в отстъп веднага след целта.\n\n"
    "\tПРИОРИТЕТ 2.ВТОРИ\n\n"
    "   Мярка 2.1 Без точка след номера\n\n"
    "    Цел с интервали\n"
    "\tБележка\n"
)


def test_quirky_structure() -> None:
    outline = parse_outline(QUIRKY)
    assert [p.number for p in outline.priorities] == [1, 2]
    assert outline.priorities[0].title.endswith("ЗАГЛАВЕН РЕД")
    assert [m.code for p in outline.priorities for m in p.measures] == ["1.1", "2.1"]
    goals = outline.priorities[0].measures[0].goals
    assert [g.text for g in goals][:2] == ["Група цели без бележки", "Реконструкция на ул. „Първа“"]
    notes = goals[1].notes
    assert [n.text for n in notes][:4] == [
        "Завършена е ул. „Първа“.",
        'Започна ремонт на ул. "Втора"',
        "Трети булет с тире",
        "Без интервал",
    ]
    assert notes[4].text == "Абзац без отстъп, пак бележка, който продължава на следващия ред."
    assert notes[0].line == 11 and notes[4].line == 16
    assert goals[2].text == "Цел, пренесена на два реда и продължена с малка буква"
    assert goals[3].notes[0].text == "Бележка в отстъп веднага след целта."
    m21 = outline.priorities[1].measures[0]
    assert m21.goals[0].text == "Цел с интервали" and m21.goals[0].notes[0].text == "Бележка"


def test_no_structure_is_an_error() -> None:
    with pytest.raises(ReportError, match="ПРИОРИТЕТ"):
        parse_outline("Просто текст\nбез структура\n")


def test_real_report_outline(real_report) -> None:
    from extraction import read_report

    outline = parse_outline(read_report(real_report))
    assert [p.number for p in outline.priorities] == [1, 2, 3]
    codes = [m.code for p in outline.priorities for m in p.measures]
    assert codes == [f"1.{i}" for i in range(1, 7)] + [f"2.{i}" for i in range(1, 5)] + [
        f"3.{i}" for i in range(1, 7)
    ]
    assert outline.priorities[0].title.endswith("ЕКОЛОГИЧНИ РЕШЕНИЯ")  # heading broken over two lines
    goals = outline.goals()
    assert len(goals) > 150
    lines = [g.line for _, _, g in goals]
    assert lines == sorted(lines)
