"""The force read model behind the map, tree and panel, without Qt."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest
import shapely
from sqlmodel import select

from beatdesk.database import session_scope
from beatdesk.models import Beat, Officer, Role, Sector
from beatdesk.models.meta import DEMO_SEED
from beatdesk.services import force
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied
from beatdesk.services.force_view import (
    NO_BOUNDARIES,
    banner_text,
    load_force_map,
    overview_lines,
    sector_legend,
    status_text,
    tooltip_lines,
)

TODAY = date(2026, 3, 2)


def post(engine, *officers):
    with session_scope(engine) as session:
        beats = {b.code: b.id for b in session.exec(select(Beat))}
        sectors = {s.code: s.id for s in session.exec(select(Sector))}
        for collar, name, role, beat, sector, start, end in officers:
            session.add(
                Officer(
                    collar_number=collar, name=name, role=role,
                    beat_id=beats.get(beat), sector_id=sectors.get(sector),
                    phone=f"01604 {collar}", email=f"{name.split()[0].lower()}@example.police.uk",
                    start_date=start, end_date=end,
                )
            )


def force_map(engine, actor, **kwargs):
    with session_scope(engine) as session:
        return load_force_map(session, actor, **kwargs)


@pytest.fixture
def staffed(engine):
    long_ago = date(2019, 1, 1)
    post(
        engine,
        ("100", "Yasmin Young", Role.PC, "KT01", None, long_ago, None),
        ("101", "Adam Archer", Role.PC, "KT01", None, long_ago, None),
        ("102", "Bea Brown", Role.PCSO, "KT01", None, long_ago, None),
        ("103", "Carl Cole", Role.SPECIAL, "KT01", None, long_ago, None),
        ("200", "Sara Sergeant", Role.SERGEANT, None, "KT", long_ago, None),
        ("201", "Ian Inspector", Role.INSPECTOR, None, "KT", long_ago, None),
        ("202", "Greg Beatsarge", Role.SERGEANT, "KT02", None, long_ago, None),
        ("300", "Olly Gone", Role.PC, "KT01", None, long_ago, TODAY - timedelta(days=1)),
        ("301", "Lara Lastday", Role.PC, "KT01", None, long_ago, TODAY),
        ("302", "Nina New", Role.PC, "KT01", None, TODAY + timedelta(days=1), None),
        ("400", "Stan Staff", Role.STAFF, None, "KT", long_ago, None),
        ("401", "Polly Sectorpc", Role.PC, None, "KT", long_ago, None),
        ("500", "Cora Corby", Role.SERGEANT, None, "CB", long_ago, None),
    )
    return engine


def test_structure_without_boundaries(engine, admin):
    fm = force_map(engine, admin)
    assert [lpa.name for lpa in fm.lpas] == ["North", "West"]
    assert len(fm.sectors) == 8 and len(fm.beats) == 36
    assert fm.ward_count == 57
    assert [s.name for s in fm.sectors_of("N")] == ["Corby", "Kettering", "East Northamptonshire", "Wellingborough"]
    assert [len(s.beat_codes) for s in fm.sectors] == [4, 5, 5, 4, 5, 6, 4, 3]
    assert not fm.has_boundaries and fm.mode == "hexagons"
    assert fm.boundary_source is None
    castle = fm.beat("NT01")
    assert castle.sector_name == "Northampton Town Centre" and castle.lpa_name == "West"
    assert castle.ward_names == ["Castle"]
    assert castle.geometry is None and castle.wards[0].geometry is None
    assert castle.hexagon.geom_type == "Polygon"
    assert fm.shape(castle) is castle.hexagon
    assert castle.team == ()


def test_hexagons_are_distinct_equal_and_near_their_beats(engine, admin):
    fm = force_map(engine, admin)
    hexes = [b.hexagon for b in fm.beats]
    areas = shapely.area(hexes)
    assert max(areas) - min(areas) < 1e-6 * max(areas)
    assert len({(round(h.centroid.x), round(h.centroid.y)) for h in hexes}) == 36
    union = shapely.union_all(hexes)
    assert abs(union.area - sum(areas)) < 1e-3 * union.area  # no overlaps
    minx, miny, maxx, maxy = fm.bounds
    assert 430_000 < minx < maxx < 530_000 and 220_000 < miny < maxy < 320_000


def test_team_is_active_beat_officers_plus_sector_supervisors_and_staff_by_rank_then_name(staffed, admin):
    fm = force_map(staffed, admin, today=TODAY)
    team = fm.beat("KT01").team
    assert [m.name for m in team] == [
        "Ian Inspector", "Sara Sergeant", "Adam Archer", "Lara Lastday", "Yasmin Young", "Bea Brown", "Carl Cole",
        "Stan Staff",
    ]
    assert [m.role for m in team][:2] == [Role.INSPECTOR, Role.SERGEANT]
    assert [m.sector_supervisor for m in team][:3] == [True, True, False]
    first = team[0]
    assert (first.collar_number, first.phone, first.email) == ("201", "01604 201", "ian@example.police.uk")
    assert first.short_title == "Insp Ian Inspector (201)"
    # a sergeant posted to a beat leads that beat's team, alongside the sector's supervisors
    assert [m.name for m in fm.beat("KT02").team] == ["Ian Inspector", "Greg Beatsarge", "Sara Sergeant", "Stan Staff"]
    # a PC posted to a sector rather than a beat is on no beat's team
    assert all(m.name != "Polly Sectorpc" for b in fm.beats for m in b.team)
    # other sectors' supervisors are not on the team
    assert [m.name for m in fm.beat("CB01").team] == ["Cora Corby"]
    assert fm.beat("NT01").team == ()


def test_inactive_officers_are_left_out(staffed, admin):
    names = {m.name for m in force_map(staffed, admin, today=TODAY).beat("KT01").team}
    assert "Olly Gone" not in names and "Nina New" not in names
    assert "Lara Lastday" in names
    later = {m.name for m in force_map(staffed, admin, today=TODAY + timedelta(days=2)).beat("KT01").team}
    assert "Lara Lastday" not in later and "Nina New" in later


@pytest.mark.realdata
def test_boundaries_after_ward_import(engine, admin, wards_20m):
    from beatdesk.services.wards import import_wards

    import_wards(engine, admin, wards_20m)
    fm = force_map(engine, admin)
    assert fm.has_boundaries and fm.mode == "boundaries"
    assert "wards_2021_bgc_northants.geojson" in fm.boundary_source
    assert all(b.geometry is not None and b.geometry.area > 0 for b in fm.beats)
    assert all(w.geometry is not None for b in fm.beats for w in b.wards)
    assert all(w.area_km2 and w.area_km2 > 0 for b in fm.beats for w in b.wards)
    county = sum(b.geometry.area for b in fm.beats) / 1e6
    assert 2_300 < county < 2_450  # Northamptonshire is about 2,364 km²
    castle = fm.beat("NT01")
    assert fm.shape(castle) is castle.geometry
    assert castle.hexagon is None  # the hexagon map is not laid out when it is not drawn
    x, y = fm.label_point(castle)
    assert castle.geometry.contains(shapely.Point(x, y))
    for beat in fm.beats:  # every label sits inside its beat
        assert beat.geometry.buffer(1).contains(shapely.Point(*fm.label_point(beat)))
    assert "57 wards" in status_text(fm) and "Boundaries: wards_2021_bgc_northants" in status_text(fm)


def test_tooltip_names_the_beat_its_wards_and_team(staffed, admin):
    lines = tooltip_lines(force_map(staffed, admin, today=TODAY).beat("KT01"))
    assert lines[0] == "KT01 Kettering North"
    assert lines[1] == "Kettering sector · North LPA"
    assert lines[2].startswith("Wards: ")
    assert "Insp Ian Inspector (201)" in "\n".join(lines)
    assert "PCSO Bea Brown (102)" in "\n".join(lines)
    empty = tooltip_lines(force_map(staffed, admin, today=TODAY).beat("NT01"))
    assert empty[2] == "Ward: Castle" and empty[-1] == "Team: no officers posted"


def test_status_line_without_boundaries(engine, admin):
    assert status_text(force_map(engine, admin)) == f"36 beats in 8 sectors · {NO_BOUNDARIES}"


def test_legend_groups_sectors_by_lpa(engine, admin):
    legend = sector_legend(force_map(engine, admin))
    assert [lpa.name for lpa, _ in legend] == ["North", "West"]
    assert [(s.name, n) for s, n in legend[1][1]] == [
        ("Northampton Town Centre", 5), ("Northampton Suburban", 6), ("Daventry", 4), ("South Northamptonshire", 3),
    ]


def test_overview(staffed, admin, engine):
    lines = overview_lines(force_map(staffed, admin, today=TODAY))
    assert lines[0] == "2 LPAs · 8 sectors · 36 beats · 57 wards"
    assert lines[1] == "North LPA: 4 sectors, 18 beats"
    # people on beat teams, each counted once (sector supervisors appear on several beats)
    assert lines[-1] == (
        "10 people in neighbourhood teams: 1 inspector, 3 sergeants, 3 PCs, 1 PCSO, 1 special constable, 1 staff"
    )
    assert overview_lines(force_map(engine, admin, today=date(2000, 1, 1)))[-1] == "No officers are posted yet."


def test_banner_only_on_demo_data(engine):
    assert banner_text(engine) is None
    with session_scope(engine) as session:
        force.set_meta(session, DEMO_SEED, "2021")
    text = banner_text(engine)
    assert "Demo" in text and "2021" in text
    seed = force_map(engine, Actor.administrator()).demo_seed
    assert seed == "2021" and banner_text(engine, seed) == text
    assert banner_text(engine, None) is None  # known real data: nothing read


def test_everyone_may_view_but_only_known_roles(engine):
    assert len(force_map(engine, Actor("pcso", "PCSO")).beats) == 36
    with pytest.raises(PermissionDenied):
        force_map(engine, Actor("visitor", "Visitor"))


def test_no_qt_and_no_heavy_geo_imports():
    import subprocess

    code = (
        "import sys, beatdesk.services.force_view, beatdesk.geo.hexmap;"
        "bad=[m for m in ('PySide6','geopandas','pyogrio','alembic') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_directing_sergeant_is_on_every_beat_of_their_team(engine, admin):
    from beatdesk.models import BeatSergeant

    long_ago = date(2019, 1, 1)
    post(
        engine,
        ("300", "Tom Lead", Role.SERGEANT, "CB01", None, long_ago, None),
        ("301", "Una Ended", Role.SERGEANT, "CB03", None, long_ago, TODAY - timedelta(days=1)),
    )
    with session_scope(engine) as session:
        beats = {b.code: b.id for b in session.exec(select(Beat))}
        ids = {o.collar_number: o.id for o in session.exec(select(Officer))}
        session.add_all(
            [BeatSergeant(beat_id=beats[c], officer_id=ids["300"]) for c in ("CB01", "CB02")]
            + [BeatSergeant(beat_id=beats[c], officer_id=ids["301"]) for c in ("CB03", "CB04")]
        )
    fmap = force_map(engine, admin, today=TODAY)
    for code in ("CB01", "CB02"):
        assert [m.name for m in fmap.beat(code).team] == ["Tom Lead"]  # once, also on the lead beat
    assert fmap.beat("CB03").team == () and fmap.beat("CB04").team == ()  # a sergeant who has left is not
