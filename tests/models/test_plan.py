"""The shipped beat plan obeys the Blueprint's rules; broken plans are named specifically."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from beatdesk.plan import PlanError, load_plan, structural_problems

SECTOR_BEATS = {
    "Corby": 4, "Kettering": 5, "East Northamptonshire": 5, "Wellingborough": 4,
    "Northampton Town Centre": 5, "Northampton Suburban": 6, "Daventry": 4, "South Northamptonshire": 3,
}
TOWN_CENTRE_WARDS = {
    "Castle", "St. George", "Abington and Phippsville", "Delapre and Rushmere", "Dallington Spencer", "Kingsthorpe South",
}


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_shipped_plan_has_no_structural_problems(plan):
    assert structural_problems(plan) == []
    assert len(plan.beats) == 36
    assert len(plan.ward_to_beat()) == 57


def test_sector_beat_counts_match_the_blueprint(plan):
    names = {s.code: s.name for s in plan.sectors}
    assert Counter(names[b.sector] for b in plan.beats) == SECTOR_BEATS
    assert Counter(plan.lpa_of_sector(b.sector).name for b in plan.beats) == {"North": 18, "West": 18}


def test_castle_ward_is_the_town_centre_beat(plan):
    castle = [b for b in plan.beats if any(w.name == "Castle" for w in b.wards)]
    assert len(castle) == 1 and [w.name for w in castle[0].wards] == ["Castle"]
    assert plan.sector(castle[0].sector).name == "Northampton Town Centre"


def test_sectors_follow_the_district_rule(plan, shared_data):
    """Sector = the pre-2021 district holding most of a ward, Northampton split into town centre and suburban."""
    import csv

    with open(shared_data / "wards_2021_districts.csv", newline="") as f:
        district = {row["WD21CD"]: (row["district"], row["WD21NM"]) for row in csv.DictReader(f)}
    assert set(district) == set(plan.ward_to_beat())
    for beat in plan.beats:
        sector = plan.sector(beat.sector).name
        for ward in beat.wards:
            d, name = district[ward.code]
            assert ward.name == name
            expected = (
                ("Northampton Town Centre" if name in TOWN_CENTRE_WARDS else "Northampton Suburban")
                if d == "Northampton" else d
            )
            assert sector == expected, (beat.code, ward.name)


def test_each_lpa_is_one_council(plan):
    for beat in plan.beats:
        council = plan.council_of_beat(beat)
        prefix_range = range(13213, 13239) if council.council_code == "E06000061" else range(13239, 13270)
        assert all(int(w.code[-5:]) in prefix_range for w in beat.wards), beat.code


def test_ward_in_two_beats_is_named(plan):
    extra = plan.beats[1].wards[0]
    broken = replace(plan, beats=(replace(plan.beats[0], wards=plan.beats[0].wards + (extra,)),) + plan.beats[1:])
    problems = structural_problems(broken)
    assert any(extra.code in p and plan.beats[0].code in p and plan.beats[1].code in p for p in problems)


def test_wrong_sector_count_is_named(plan):
    broken = replace(plan, beats=plan.beats[1:])
    problems = structural_problems(broken)
    assert any("sector CB (Corby) has 3 beats, the Blueprint gives it 4" in p for p in problems)
    assert any("LPA N (North) has 17 beats" in p for p in problems)


def test_unknown_sector_and_duplicate_code_are_named(plan):
    broken = replace(plan, beats=plan.beats + (replace(plan.beats[0], sector="XX"),))
    problems = structural_problems(broken)
    assert "beat CB01 names unknown sector XX" in problems
    assert "beat code CB01 is used 2 times" in problems


def test_malformed_file_gives_a_clear_error(tmp_path):
    bad = tmp_path / "plan.toml"
    bad.write_text('[[beat]]\ncode = "X1"\n')
    with pytest.raises(PlanError, match="malformed entry"):
        load_plan(bad)
    bad.write_text("this is = = not toml")
    with pytest.raises(PlanError, match="not valid TOML"):
        load_plan(bad)
    with pytest.raises(PlanError, match="cannot read"):
        load_plan(tmp_path / "missing.toml")
