"""The beat plan against ward geometry: the shipped plan passes; each crafted fault is named."""

from __future__ import annotations

import dataclasses

import pytest
import shapely

from beatdesk.geo.plan_check import check_plan
from beatdesk.geo.wardfile import WardLayer, read_ward_file
from beatdesk.plan import load_plan

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def layer(wards_20m):
    return read_ward_file(wards_20m)


def with_beats(plan, **changes):
    """The plan with some beats' ward lists replaced: ``CB01=("E05013216", ...)``."""
    names = {w.code: w for b in plan.beats for w in b.wards}
    beats = tuple(
        dataclasses.replace(b, wards=tuple(names[c] for c in changes[b.code])) if b.code in changes else b
        for b in plan.beats
    )
    return dataclasses.replace(plan, beats=beats)


def wards_of(plan, code):
    return tuple(w.code for w in next(b for b in plan.beats if b.code == code).wards)


def without(layer, *codes):
    keep = [i for i, c in enumerate(layer.codes) if c not in codes]
    pick = lambda values: tuple(values[i] for i in keep) if values else values  # noqa: E731
    return WardLayer(
        pick(layer.codes), pick(layer.names), pick(layer.geometries), pick(layer.council_codes),
        pick(layer.council_names), source="test",
    )


def test_shipped_plan_passes_against_the_20m_file(plan, layer):
    assert check_plan(plan, layer) == []


def test_shipped_plan_passes_against_the_200m_file(plan, wards_200m):
    assert check_plan(plan, read_ward_file(wards_200m)) == []


def test_non_contiguous_beat_names_the_beat_and_its_parts(plan, layer):
    # Raunds (south-east) moved into Corby Rural (the far north): two separate pieces.
    crafted = with_beats(plan, CB01=("E05013216", "E05013232"), EN05=("E05013225",))
    problems = check_plan(crafted, layer)
    assert (
        "beat CB01 (Corby Rural) is not contiguous: it falls into 2 separate parts: "
        "[E05013216 (Corby Rural)] | [E05013232 (Raunds)]"
    ) in problems


def test_ward_in_two_beats_is_named_and_overlaps(plan, layer):
    crafted = with_beats(plan, KT01=(*wards_of(plan, "KT01"), "E05013238"))
    problems = check_plan(crafted, layer)
    assert "ward E05013238 is in 2 beats (KT01, KT02)" in problems
    overlap = [p for p in problems if p.startswith("beats KT01 (")]
    assert len(overlap) == 1
    assert "KT02 (" in overlap[0] and "both include ward E05013238 (Windmill)" in overlap[0]


def test_ward_missing_from_the_plan_is_in_no_beat_and_leaves_a_gap(plan, layer):
    # Castle sits inside Northampton: dropping it from NT01 leaves a hole in West Northamptonshire.
    crafted = with_beats(plan, NT01=())
    problems = check_plan(crafted, layer)
    assert "beat NT01 has no wards" in problems
    assert "ward E05013246 (Castle, West Northamptonshire) is in the ward file but in no beat" in problems
    gaps = [p for p in problems if p.startswith("gap of")]
    assert len(gaps) == 1 and "inside West Northamptonshire (LPA W)" in gaps[0] and "E05013246 (Castle)" in gaps[0]


def test_plan_ward_absent_from_the_file(plan, layer):
    problems = check_plan(plan, without(layer, "E05013231"))
    assert "ward E05013231 (Oundle) of beat EN01 (Oundle) is not in the ward file" in problems


def test_wrong_beat_counts(plan, layer):
    sectors = tuple(dataclasses.replace(s, beats=s.beats + 1) if s.code == "DV" else s for s in plan.sectors)
    problems = check_plan(dataclasses.replace(plan, sectors=sectors), layer)
    assert any(p.startswith("sector DV (Daventry) has 4 beats, the Blueprint gives it 5") for p in problems)


def test_beat_outside_its_council(plan, layer):
    crafted = with_beats(plan, CB01=("E05013216", "E05013246"), NT01=())
    problems = check_plan(crafted, layer)
    assert (
        "beat CB01 (Corby Rural) is in LPA N (North Northamptonshire), but its ward E05013246 (Castle) "
        "is in West Northamptonshire (E06000062)"
    ) in problems


def test_overlapping_ward_geometry_is_found_without_shared_wards(plan, layer):
    i, j = layer.index("E05013246"), layer.index("E05013239")  # Castle, Abington and Phippsville
    geoms = list(layer.geometries)
    geoms[i] = shapely.union_all([geoms[i], shapely.buffer(geoms[j], -100)])
    overlapping = dataclasses.replace(layer, geometries=tuple(geoms))
    problems = [p for p in check_plan(plan, overlapping) if p.startswith("beats ")]
    assert len(problems) == 1
    assert "NT01 (Northampton Town Centre)" in problems[0] and "km²" in problems[0]


def test_file_without_council_fields_still_checks_coverage(plan, layer):
    bare = dataclasses.replace(without(layer), council_codes=None, council_names=None)
    assert check_plan(plan, bare) == []
    crafted = with_beats(plan, NT01=())
    assert "ward E05013246 (Castle) is in the ward file but in no beat" in check_plan(crafted, bare)


def test_file_of_another_vintage_lacks_both_councils(plan, shared_data):
    layer = read_ward_file(shared_data / "wards_2020_districts_bsc_northants.geojson")
    problems = check_plan(plan, layer)
    assert "the ward file has no wards of North Northamptonshire (E06000061), the council of LPA N (North)" in problems
    assert not [p for p in problems if "Castle" in p]
