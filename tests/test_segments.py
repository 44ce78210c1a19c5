"""geocoding.segments: cutting a street between two others, junctions and blocks (metres).

Synthetic lines in EPSG:32635 pin the rules; real streets check that lengths are plausible.
"""

from __future__ import annotations

import pytest
import shapely
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


def test_block_with_a_street_stopping_short_is_walked_along_the_streets() -> None:
    # The east side stops 50 m short of the north street: no closed face; the outline is walked
    # along the four streets and the 50 m gap is joined, flagged and explained.
    block = block_between([h(0), v(400, y2=250), h(300), v(0)])
    assert isinstance(block, Cut) and block.flags == ("block_outline",) and "50 m" in block.notes[0]
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


def test_cut_follows_the_street_across_a_branch() -> None:
    # The street forks at x=300 (a slip road of the same name goes north-east); the bound at
    # x=800 crosses the main branch only. The cut follows the branch that reaches it.
    main = LineString([(X0 - 500, Y0), (X0 + 300, Y0), (X0 + 1500, Y0)])
    slip = LineString([(X0 + 300, Y0), (X0 + 600, Y0 + 300)])
    cut = cut_between(MultiLineString([main, slip]), v(0), v(800, y1=-100, y2=100))
    assert isinstance(cut, Cut) and cut.flags == ()
    assert cut.geometry.length == pytest.approx(800.0)


def test_cut_crosses_a_short_gap_in_the_name_without_drawing_it() -> None:
    # The named street is interrupted for 40 m (a roundabout with another name).
    street = MultiLineString([h(0, x2=380), h(0, x1=420)])
    cut = cut_between(street, v(100), v(900))
    assert isinstance(cut, Cut) and cut.flags == ()
    assert cut.geometry.length == pytest.approx(760.0)  # the 40 m gap is not drawn


def test_each_carriageway_is_cut_even_when_a_bound_reaches_one() -> None:
    # The bound at x=700 reaches only the southern carriageway (it stops between the two).
    street = MultiLineString([h(0), h(25)])
    cut = cut_between(street, v(200), v(700, y1=-100, y2=10))
    assert isinstance(cut, Cut) and cut.flags == ()
    assert cut.geometry.geom_type == "MultiLineString" and len(cut.geometry.geoms) == 2
    assert cut.geometry.length == pytest.approx(1000.0, abs=30)


def test_an_end_farther_than_30_m_is_flagged_and_explained() -> None:
    close = cut_between(h(0), v(200), v(700, y1=25))  # 25 m short: within tolerance
    assert isinstance(close, Cut) and close.flags == ()
    far = cut_between(h(0), v(200), v(700, y1=60))
    assert isinstance(far, Cut) and far.flags == ("segment_approx",)
    assert "60 m" in far.notes[0]


@needs_extract
def test_real_segments_reach_their_bounds(real_index: GazetteerIndex) -> None:  # noqa: F811
    """Issue #13: Северен from its crossing with Брезовско шосе; both carriageways of Копривщица."""

    def street(name: str):
        return real_index.geometry(real_index.lookup(name, "street").rows)

    brezovsko, pobeda = street("бул. „Брезовско шосе“"), street("ул. „Победа“")
    severen = cut_between(street("бул. „Северен“"), brezovsko, pobeda)
    assert isinstance(severen, Cut) and severen.flags == ("segment_approx",)
    assert severen.geometry.distance(brezovsko) < 1  # it starts at the crossing, not 548 m short
    assert "439 m" in severen.notes[0]  # the planned extension to Победа is not in the extract
    botev, peshtersko = street("бул. „Христо Ботев“"), street("бул. „Пещерско шосе“")
    koprivshtitsa = cut_between(street("бул. „Копривщица“"), botev, peshtersko)
    assert isinstance(koprivshtitsa, Cut) and koprivshtitsa.flags == ()
    assert koprivshtitsa.geometry.geom_type == "MultiLineString" and len(koprivshtitsa.geometry.geoms) == 2
    assert koprivshtitsa.geometry.distance(botev) < 1 and koprivshtitsa.geometry.distance(peshtersko) < 1


@needs_extract
def test_real_blocks_touch_every_listed_street(real_index: GazetteerIndex) -> None:  # noqa: F811
    """Issue #13: Тютюнев град's block lies between Иван Вазов and Дюстабанов, not across it."""

    def street(name: str):
        return real_index.geometry(real_index.lookup(name, "street").rows)

    names = ("Иван Вазов", "Авксентий Велешки", "Цанко Дюстабанов", "Христо Ботев")
    streets = [street(n) for n in names]
    block = block_between(streets)
    # Вазов stops ~90 m short: a straight closing line longer than BLOCK_GAP_M (issue 13f).
    assert isinstance(block, Cut) and block.flags == ("block_outline", "block_gap")
    assert all(s.distance(block.geometry.exterior) < 30 for s in streets)
    assert block.geometry.buffer(-5).intersection(streets[2]).length < 1  # a side, not a diagonal
    outline = block.geometry.exterior
    near = outline.intersection(shapely.union_all(streets).buffer(30)).length / outline.length
    assert near > 0.9
