"""geocoding.segments: cutting a street between two others, junctions and blocks (metres).

Synthetic lines in EPSG:32635 pin the rules; real streets check that lengths are plausible.
"""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from geocoding.lookup import GazetteerIndex, Match
from geocoding.segments import Cut, Fail, block_between, cut_between, junction_of
from tests.geo_fixtures import needs_extract, real_gazetteer, real_index  # noqa: F401

X0, Y0 = 310_000.0, 4_668_000.0


def h(y: float, x1: float = -500, x2: float = 1500) -> LineString:
    """An east-west street at *y* metres north of the origin."""
    return LineString([(X0 + x1, Y0 + y), (X0 + x2, Y0 + y)])


def v(x: float, y1: float = -500, y2: float = 1500) -> LineString:
    """A north-south street at *x* metres east of the origin."""
    return LineString([(X0 + x, Y0 + y1), (X0 + x, Y0 + y2)])


def test_cut_between_two_crossing_streets() -> None:
    cut = cut_between(h(0), v(200), v(700))
    assert isinstance(cut, Cut) and cut.flags == ()
    assert cut.geometry.length == pytest.approx(500.0)
    assert cut.geometry.distance(Point(X0 + 200, Y0)) < 1e-6


def test_dual_carriageway_gives_two_cuts_and_order_does_not_matter() -> None:
    street = MultiLineString([h(0), h(20)])
    cut = cut_between(street, v(700), v(200))
    assert isinstance(cut, Cut) and cut.geometry.geom_type == "MultiLineString"
    assert cut.geometry.length == pytest.approx(1000.0)


def test_bound_that_does_not_reach_is_approximate_then_too_far() -> None:
    near = cut_between(h(0), v(200), v(700, y1=100))  # stops 100 m short
    assert isinstance(near, Cut) and near.flags == ("segment_approx",)
    assert near.geometry.length == pytest.approx(500.0)
    far = cut_between(h(0, x2=600), v(200), v(3000, y1=1200))
    assert isinstance(far, Fail) and far.reason == "no_intersection"


def test_junction_of_crossing_and_dual_carriageways() -> None:
    point = junction_of(h(0), v(300))
    assert isinstance(point, Cut) and point.geometry.distance(Point(X0 + 300, Y0)) < 1e-6
    dual = junction_of(MultiLineString([h(0), h(20)]), MultiLineString([v(300), v(320)]))
    assert isinstance(dual, Cut) and dual.geometry.distance(Point(X0 + 310, Y0 + 10)) < 1e-6
    assert isinstance(junction_of(h(0), h(900)), Fail)


def test_junction_of_streets_crossing_twice_is_ambiguous() -> None:
    loop = LineString([(X0, Y0 - 100), (X0, Y0 + 100), (X0 + 900, Y0 + 100), (X0 + 900, Y0 - 100)])
    assert junction_of(loop, h(0)) == Fail("ambiguous", junction_of(loop, h(0)).detail)


def test_block_of_four_streets() -> None:
    block = block_between([h(0), v(400), h(300), v(0)])
    assert isinstance(block, Cut) and block.flags == ()
    assert block.geometry.area == pytest.approx(400 * 300)
    # Listed in an order that does not go round the block: same block.
    again = block_between([h(0), h(300), v(0), v(400)])
    assert isinstance(again, Cut) and again.geometry.area == pytest.approx(400 * 300)


def test_block_with_a_street_stopping_short_is_a_hull() -> None:
    # The east side stops 50 m short of the north street: no closed face, the corners' hull.
    block = block_between([h(0), v(400, y2=250), h(300), v(0)])
    assert isinstance(block, Cut) and block.flags == ("block_hull",)
    assert isinstance(block.geometry, Polygon)
    assert 0.8 * 400 * 300 < block.geometry.area <= 400 * 300 + 1


@needs_extract
def test_tsarevets_between_hadzhi_dimitar_and_peshtersko_shose(real_index: GazetteerIndex) -> None:  # noqa: F811
    """The issue's example: they meet in the extract; ~0.5 km of the ~0.9 km street."""

    def street(name: str):
        found = real_index.lookup(name, "street")
        assert isinstance(found, Match), name
        return real_index.geometry(found.rows)

    whole = street("ул. „Царевец“")
    cut = cut_between(whole, street("бул. „Хаджи Димитър“"), street("бул. „Пещерско шосе“"))
    assert isinstance(cut, Cut) and cut.flags == ()
    assert 400 < cut.geometry.length < 700 < whole.length < 1_200
    assert cut.geometry.distance(street("бул. „Хаджи Димитър“")) < 1
    assert cut.geometry.distance(street("бул. „Пещерско шосе“")) < 1


@needs_extract
def test_real_junctions_and_blocks(real_index: GazetteerIndex) -> None:  # noqa: F811
    def street(name: str):
        return real_index.geometry(real_index.lookup(name, "street").rows)

    orfei = junction_of(street("Орфей"), street("Звезда"))
    assert isinstance(orfei, Cut) and orfei.flags == ()
    # The centre of the crossing points (Звезда meets Орфей in two places a few metres apart).
    assert orfei.geometry.distance(street("Орфей")) < 20 and orfei.geometry.distance(street("Звезда")) < 20
    # "карето бул. България – ул. Победа – бул. Дунав – ул. Васил Левски": a real closed block.
    block = block_between([street(n) for n in ("България", "Победа", "Дунав", "Васил Левски")])
    assert isinstance(block, Cut) and block.flags == ()
    assert 50_000 < block.geometry.area < 400_000
