"""The equal-area hexagon map: one distinct cell per beat, deterministic, sectors kept together."""

from __future__ import annotations

import math
import random
import time

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from beatdesk.geo import hexmap
from beatdesk.geo.hexmap import NEIGHBOURS, hex_layout
from beatdesk.plan import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def inputs(plan):
    centroids = {b.code: b.centroid for b in plan.beats}
    sectors = {b.code: b.sector for b in plan.beats}
    lpas = {b.code: plan.sector(b.sector).lpa for b in plan.beats}
    return centroids, sectors, lpas


@pytest.fixture(scope="module")
def layout(inputs):
    return hex_layout(*inputs)


def pieces(cells):
    cells = set(cells)
    seen, count = set(), 0
    for start in cells:
        if start in seen:
            continue
        count += 1
        stack = [start]
        seen.add(start)
        while stack:
            q, r = stack.pop()
            for dq, dr in NEIGHBOURS:
                nxt = (q + dq, r + dr)
                if nxt in cells and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    return count


def test_36_beats_in_36_distinct_cells(layout, inputs):
    assert set(layout.cells) == set(inputs[0])
    assert len(set(layout.cells.values())) == 36


def test_every_hexagon_has_the_same_area_and_none_overlap(layout):
    areas = [p.area for p in layout.polygons.values()]
    assert max(areas) - min(areas) < 1e-6 * max(areas)
    assert math.isclose(areas[0], layout.cell_area, rel_tol=1e-9)
    union = shapely.union_all(list(layout.polygons.values()))
    assert math.isclose(union.area, sum(areas), rel_tol=1e-6)
    assert all(len(p.exterior.coords) == 7 for p in layout.polygons.values())


def test_deterministic_whatever_the_input_order(inputs):
    centroids, sectors, lpas = inputs
    first = hex_layout(centroids, sectors, lpas)
    hexmap._cached_layout.cache_clear()
    codes = list(centroids)
    random.Random(7).shuffle(codes)
    again = hex_layout({c: centroids[c] for c in codes}, {c: sectors[c] for c in codes}, lpas)
    assert again.cells == first.cells
    assert again.centres == first.centres


def test_each_sector_is_one_contiguous_group(layout, inputs):
    _, sectors, _ = inputs
    for sector in set(sectors.values()):
        cells = [layout.cells[c] for c, s in sectors.items() if s == sector]
        assert pieces(cells) == 1, sector


def test_each_lpa_is_one_contiguous_group(layout, inputs):
    _, _, lpas = inputs
    for lpa in ("N", "W"):
        cells = [layout.cells[c] for c, g in lpas.items() if g == lpa]
        assert pieces(cells) == 1, lpa


def test_every_beat_touches_another_of_its_sector(layout, inputs):
    _, sectors, _ = inputs
    for code in layout.cells:
        assert any(sectors[n] == sectors[code] for n in layout.neighbours(code)), code


def test_beats_stay_near_their_centroids(layout, inputs):
    centroids = inputs[0]
    spacing = math.sqrt(3) * layout.size
    displacement = [math.dist(layout.centres[c], centroids[c]) / spacing for c in centroids]
    assert sum(displacement) / len(displacement) < 1.5
    assert max(displacement) < 3.5
    # the geography reads right: Corby north of Brackley, East Northants east of Daventry
    assert layout.centres["CB01"][1] > layout.centres["SN01"][1]
    assert layout.centres["EN02"][0] > layout.centres["DV01"][0]


def test_fast_enough_for_start_up(inputs):
    hexmap._cached_layout.cache_clear()
    start = time.perf_counter()
    hex_layout(*inputs)
    assert time.perf_counter() - start < 0.5


def test_empty_and_single():
    assert hex_layout({}).cells == {}
    one = hex_layout({"A": (450_000.0, 260_000.0)})
    assert one.cells == {"A": (0, 0)}
    assert one.polygons["A"].contains(shapely.Point(450_000, 260_000))


def test_coincident_centroids_still_get_their_own_cells():
    layout = hex_layout({c: (100.0, 100.0) for c in "ABCDEFG"}, size=10.0)
    assert len(set(layout.cells.values())) == 7
    assert pieces(layout.cells.values()) == 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 50_000), st.floats(0, 50_000), st.sampled_from("abcd")),
        min_size=1,
        max_size=40,
    )
)
def test_any_points_get_distinct_equal_hexagons(points):
    centroids = {f"B{i:02d}": (x, y) for i, (x, y, _) in enumerate(points)}
    groups = {f"B{i:02d}": g for i, (_, _, g) in enumerate(points)}
    layout = hex_layout(centroids, groups)
    assert len(set(layout.cells.values())) == len(points)
    areas = {round(p.area, 3) for p in layout.polygons.values()}
    assert len(areas) == 1
