"""The unresolved-place checker's fuzzy search (offline, no extract needed)."""

from __future__ import annotations

from pathlib import Path

from geocoding.check_unresolved import candidates, main
from geocoding.normalize import normalize


def _names(*pairs: tuple[str, str]) -> list[tuple[str, str, str, str]]:
    return [(osm, name, normalize(name), "") for osm, name in pairs]


def test_an_old_or_inflected_name_is_offered_for_a_person_to_look_at() -> None:
    names = _names(("node/1", "Водната палата"), ("node/2", "Централна гара"))
    found = candidates("Водна палата", names)
    assert [c.osm for c in found] == ["node/1"]


def test_a_short_name_inside_a_long_mention_is_not_a_candidate() -> None:
    # "Пловдив" sits inside the mention, but it names the city, not the opera.
    names = _names(("relation/1", "Пловдив"), ("node/3", "Опера"))
    assert candidates("Държавна опера – Пловдив", names) == []


def test_a_missing_build_is_a_one_line_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["--unresolved", str(tmp_path / "none.csv"), "--osm", str(tmp_path / "x.pbf")])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
