"""Stable work keys: text inserted or removed elsewhere keeps every other work's key and name,
and a planner's pin follows its work (never another); a pin whose work is gone is orphaned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction import extract_projects, parse_outline, read_report
from pipeline.cli import main
from pipeline.corrections import add_correction
from works.keys import KEY_PATTERN, normalise_text, unique_keys, work_key
from works.model import WorkRecord

#: New paragraphs, each a goal with one progress note naming a place, for two measures.
INSERTED = {
    "Мярка 1.2.": "\tРеконструкция на улици в кв. „Христо Смирненски“\n"
    "\tЗавършена е реконструкцията на ул. „Ясна поляна“. Предстои ремонт на тротоарите.\n\n",
    "Мярка 3.3.": "\tИзграждане на нов център за социални услуги\n"
    "\tСключен е договор за проектиране на Център за социални услуги на ул. „Огоста“.\n\n",
}


def _insert(text: str) -> str:
    """The report with a paragraph inserted before the first goal of each measure in INSERTED."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    pending = ""
    for line in lines:
        if pending and line.strip():
            out.append(pending)
            pending = ""
        out.append(line)
        for heading, block in INSERTED.items():
            if line.strip().startswith(heading):
                pending = "\n" + block if not line.endswith("\n\n") else block
    return "".join(out)


def _removable(records: list[WorkRecord], lines: list[str]) -> WorkRecord:
    """A located-by-place work that is alone on its report line (removing the line removes it)."""
    per_line: dict[int, int] = {}
    for r in records:
        per_line[r.source_line] = per_line.get(r.source_line, 0) + 1
    for r in records:
        line = lines[r.source_line - 1]
        if (
            r.measure not in ("1.2", "3.3")
            and r.places
            and per_line[r.source_line] == 1
            and r.source_line == r.source_line_end
            and r.source_text in line
            and r.source_line != r.goal_line
        ):
            return r
    raise AssertionError("no removable work")


def test_keys_are_unique_and_well_formed(real_records: list[WorkRecord]) -> None:
    keys = [r.key for r in real_records]
    assert len(set(keys)) == len(keys)
    assert all(KEY_PATTERN.match(k) for k in keys)


def test_key_ignores_quotes_dashes_and_spaces_but_not_words() -> None:
    a = work_key("Ремонтирана е ул. „Кукуш“ – I етап.", ["ул. „Кукуш“"])
    assert a == work_key('Ремонтирана е  ул. "Кукуш" - I етап.', ["ул. “Кукуш”"])
    assert a != work_key("Ремонтирана е ул. „Кукуш“ – II етап.", ["ул. „Кукуш“"])
    assert a != work_key("Ремонтирана е ул. „Кукуш“ – I етап.", ["ул. „Огоста“"])
    assert normalise_text(" А  „Б“ – в ") == 'а "б" - в'
    assert unique_keys(["w-1", "w-2", "w-1"]) == ["w-1", "w-2", "w-1-2"]


def test_inserted_paragraphs_keep_other_keys_and_pins_follow_their_work(
    real_report: Path, tmp_path: Path
) -> None:
    data_dir = Path(__file__).resolve().parent.parent / "data"
    if not (data_dir / "gazetteer.parquet").is_file():
        pytest.skip("gazetteer not built (run `make data`)")
    original = read_report(real_report)
    before = extract_projects(parse_outline(original))
    lines = original.splitlines()
    removed = _removable(before, lines)
    edited_lines = lines[: removed.source_line - 1] + lines[removed.source_line :]
    edited = _insert("\n".join(edited_lines) + "\n")
    assert all(block in edited for block in INSERTED.values())
    after = extract_projects(parse_outline(edited))

    # ≥ 98% of the other works keep their key and their name.
    by_key = {r.key: r for r in after}
    others = [r for r in before if r.key != removed.key]
    kept = [r for r in others if r.key in by_key and by_key[r.key].name == r.name]
    assert len(kept) / len(others) >= 0.98, [r.name for r in others if r not in kept][:10]
    assert removed.key not in by_key
    new_names = {r.name for r in after} - {r.name for r in before}
    assert any("Ясна поляна" in n for n in new_names) and any("Огоста" in n for n in new_names)

    # A pin on a work whose display id moves (lines were inserted above it) stays on that work.
    moved = next(
        r for r in before if r.measure == "1.2" and r.places and r.key in by_key and by_key[r.key].id != r.id
    )
    first = tmp_path / "before.geojson"
    args = ["--no-download", "--quiet", "--data-dir", str(data_dir)]
    assert main(["--report", str(real_report), "--out", str(first), *args]) == 0
    db = tmp_path / "corrections.sqlite"
    add_correction(db, moved.key, 42.1428, 24.7497, "Ана", "по снимка", project_id=moved.id)
    add_correction(db, removed.key, 42.1428, 24.7497, "Ана", project_id=removed.id)
    report = tmp_path / "edited.txt"
    report.write_text(edited, encoding="utf-8")
    out = tmp_path / "after.geojson"
    assert main(["--report", str(report), "--out", str(out), "--corrections", str(db), *args]) == 0
    register = json.loads(out.read_text(encoding="utf-8"))
    pinned = [f["properties"] for f in register["features"] if f["properties"].get("corrected")]
    assert [(p["key"], p["name"]) for p in pinned] == [(moved.key, moved.name)]
    assert pinned[0]["id"] != moved.id  # the display id moved; the key did not
    assert pinned[0]["precision"] == "manual"
    summary = register["metadata"]["corrections"]
    assert summary["applied"] == 1 and summary["orphaned"] == [2]


def test_a_better_title_does_not_change_the_key(monkeypatch: pytest.MonkeyPatch, real_report: Path) -> None:
    """Titles are the rules' words: retitling every sentence and goal record keeps every key."""
    import extraction.projects as projects

    outline = parse_outline(read_report(real_report))
    before = [r.key for r in extract_projects(outline)]
    monkeypatch.setattr(projects, "short", lambda text, limit=110: "Друго заглавие")
    monkeypatch.setattr(projects, "goal_title", lambda goal: "Друго заглавие на цел")
    after = extract_projects(outline)
    assert any(r.name.startswith("Друго заглавие") for r in after)
    assert [r.key for r in after] == before
