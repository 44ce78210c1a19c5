"""The register's geometry against hand-checked records (tests/data/labelled_geometry.csv).

Measured on the published register built from the 2023-01-02 extract (issues #13, 13d):
104 records — right 100 (96.2%), approximate 4, wrong 0, missing 0 (99 before issue 13d, when
бул. „Свобода“ also took the separate residential way „Свобода“; right 94, wrong 2, missing 3
before the unnamed under/overpasses beside a landmark, the children's railway and the school
type word). The four approximate ones are extract gaps: ул. „Кукуш“ and ул. „Даме Груев“ stop
136–147 m short of надлез „Родопи“, бул. „Северен“ short of ул. „Победа“, Индустриална short of
Кукленско шосе. The floors are that level.

A second, independent set (tests/data/labelled_geometry_independent.csv, 50 records not in the
first, seed 20240531, labelled by a checker who chose the expected objects from the sentence
before looking at the record) measured right 46 (92.0%), approximate 3, wrong 1 on first
reading; after issue 13d right 48 (96.0%), approximate 1, wrong 0, missing 1. The ring-road
section between Асеновградско шосе and Скобелева майка is drawn along the proposed ring road
(ref 56), not as its two ends; бул. „Свобода“ №19-31 drops the residential „Свобода“. Line
109's new link Тракия – Южен is missing on purpose: the extract holds no planned road between
its ends (new_road_not_in_extract), and its two whole boulevards are not the work. The
approximate one (line 115, "Изграждане на бул. „6-ти септември“") is a record the review had
already merged (off the map); the scorer still reads it. Its floors are that level — but it is
no longer blind: its first reading found the classes 13d fixed.

A third set (tests/data/labelled_geometry_remaining.csv) holds every located public record the
first two do not — 21 — labelled the same way after 13d, blind: right 19 (90.5%), approximate 2
(the пробив under Централна гара stops short on construction ways; the gallery's halls at ул.
„Княз Александър I“ №15 are the whole street though the gallery's building is in the extract),
wrong 0. Its checker also judged one block right by the scorer approximate (Мария Луиза's gap
to бул. Източен closed by a straight line: 79% of the block). This is the honest figure for
records nobody had looked at, and it is below the issue's 95%. After issue 13f (an address's
building named in the sentence; a block's gap followed along the road that continues a listed
street) it reads right 20 (95.2%), approximate 1 — no longer blind. Floors at that level.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from geocoding.evaluate_geometry import (
    DEFAULT_LABELS,
    VERDICTS,
    evaluate_geometry,
    load_geometry_labels,
    read_osm_geometries,
)
from tests.geo_fixtures import PBF, needs_extract
from works.settings import load_settings

RIGHT_FLOOR = 0.96
WRONG_CEILING = 0.0
INDEPENDENT = DEFAULT_LABELS.with_name("labelled_geometry_independent.csv")
REMAINING = DEFAULT_LABELS.with_name("labelled_geometry_remaining.csv")
#: (labels, right floor, wrong ceiling) for each set.
SETS = [(DEFAULT_LABELS, RIGHT_FLOOR, WRONG_CEILING), (INDEPENDENT, 0.96, 0.0), (REMAINING, 0.95, 0.0)]


def test_the_sets_share_no_record() -> None:
    first = {lab.key for lab in load_geometry_labels(DEFAULT_LABELS)}
    second = {lab.key for lab in load_geometry_labels(INDEPENDENT)}
    third = {lab.key for lab in load_geometry_labels(REMAINING)}
    assert len(second) >= 50 and len(third) >= 20
    assert not first & second and not (first | second) & third


def test_labelled_geometry_is_large_stratified_and_well_formed() -> None:
    labels = load_geometry_labels(DEFAULT_LABELS)
    assert len(labels) >= 60
    by = Counter(lab.precision for lab in labels)
    assert by["facility"] >= 15 and by["segment"] >= 10 and by["street"] >= 10
    assert by["area"] >= 10 and by["neighbourhood"] >= 5
    assert len({lab.key for lab in labels}) == len(labels)
    labels = labels + load_geometry_labels(INDEPENDENT) + load_geometry_labels(REMAINING)
    for lab in labels:
        assert lab.verdict in VERDICTS, lab
        assert lab.expected or lab.ends, lab
        assert all(r.split("/")[0] in {"node", "way", "relation"} for r in lab.refs), lab
        if lab.precision == "segment":
            assert len(lab.ends) == 2, lab


@needs_extract
@pytest.mark.parametrize(("path", "right_floor", "wrong_ceiling"), SETS, ids=lambda v: getattr(v, "stem", v))
def test_register_geometry_floors(path, right_floor: float, wrong_ceiling: float) -> None:  # type: ignore[no-untyped-def]
    projects = load_settings().projects
    if not projects.exists():
        pytest.skip("no built register (python -m pipeline)")
    labels = load_geometry_labels(path)
    features = json.loads(projects.read_text(encoding="utf-8"))["features"]
    osm = read_osm_geometries(PBF, {r for lab in labels for r in lab.refs})
    # Every labelled object is in the extract (a way clipped to one node has no geometry).
    assert all(any(r in osm for r in group) for lab in labels for group in (lab.expected, *lab.ends) if group)
    score = evaluate_geometry(labels, features, osm)
    assert score.share("right") >= right_floor, [r for r in score.rows if r[1] != "right"]
    assert score.share("wrong") <= wrong_ceiling, [r for r in score.rows if r[1] == "wrong"]
