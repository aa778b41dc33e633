"""Places at service level: rules with specific messages, nothing written on refusal, audit, parsing."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, Polygon
from sqlalchemy import text
from sqlmodel import Session, select

from beatdesk.models import PlaceKind
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError
from beatdesk.services.places import (
    PlaceInput, beat_choices, beat_for_geometry, coordinates_text, create_place, describe_coordinates,
    parse_coordinates, peak_text, place_for_edit, places_for_map, retire_place, update_place,
)

CASTLE = "52.2368, -0.8971"  # Northampton town centre, in Castle ward (beat NT01)


def _dump(engine):
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in ("place", "audit_entry")}


def _input(**over):
    data = dict(beat="NT01", name="Market Square", kind="hotspot", geometry="E 475601 N 260638",
                peak_days=("Fri", "Sat"), peak_start="22:00", peak_end="03:00")
    return PlaceInput(**(data | over))


@pytest.fixture
def bounded(engine, admin, wards_20m):
    from beatdesk.services.wards import import_wards

    import_wards(engine, admin, wards_20m)
    return engine


def test_create_list_and_audit(engine, admin):
    place_id = create_place(engine, admin, _input())
    with Session(engine) as session:
        [view] = places_for_map(session, admin)
    assert (view.id, view.beat_code, view.name, view.kind, view.version) == (place_id, "NT01", "Market Square", PlaceKind.HOTSPOT, 1)
    assert view.geometry.equals(Point(475601, 260638))
    assert view.peak_text == "Fri–Sat 22:00–03:00"
    audits = [r for r in _dump(engine)["audit_entry"] if r[3] == "create_place"]
    assert len(audits) == 1 and "Market Square" in audits[0][6]


@pytest.mark.parametrize(
    "over, message",
    [
        ({"name": "  "}, "name: a place needs a name"),
        ({"beat": "ZZ99"}, "there is no beat 'ZZ99'"),
        ({"kind": "pub"}, "'pub' is not a kind of place"),
        ({"geometry": "somewhere near the pub"}, "'somewhere near the pub' is not a point"),
        ({"geometry": "E 300000 N 100000"}, "outside the force area"),
        ({"geometry": "475600 260600; 475700 260700; 475700 260600; 475600 260700"}, "edges cross"),
        ({"geometry": "475600 260600; 475605 260600; 475605 260605"}, "too small"),
        ({"peak_start": "25:00"}, "peak start '25:00' is not a time of day"),
        ({"peak_end": None}, "give both a start and an end"),
        ({"peak_days": ("Fri", "Funday")}, "'Funday' is not a day of the week"),
    ],
)
def test_refusals_name_the_problem_and_write_nothing(engine, admin, over, message):
    before = _dump(engine)
    with pytest.raises(ValidationError, match=message):
        create_place(engine, admin, _input(**over))
    assert _dump(engine) == before


def test_point_outside_its_beat_names_beat_and_distance(bounded, admin):
    before = _dump(bounded)
    # Kettering town centre is far outside Northampton's Castle ward
    with pytest.raises(ValidationError, match=r"is [\d,]+ m outside beat NT01 \(Northampton Town Centre\)"):
        create_place(bounded, admin, _input(geometry="52.3990, -0.7260"))
    assert _dump(bounded) == before


def test_wgs84_point_in_castle_ward_is_accepted_in_nt01(bounded, admin):
    place_id = create_place(bounded, admin, _input(geometry=CASTLE))
    with Session(bounded) as session:
        [view] = places_for_map(session, admin)
    assert view.id == place_id and view.beat_code == "NT01"
    assert abs(view.geometry.x - 475413) < 50 and abs(view.geometry.y - 260418) < 50


def test_polygon_mostly_outside_its_beat_is_refused(bounded, admin):
    far = "52.399, -0.727; 52.399, -0.720; 52.395, -0.720; 52.395, -0.727"
    with pytest.raises(ValidationError, match=r"only 0% of the polygon lies within beat NT01"):
        create_place(bounded, admin, _input(geometry=far))


def test_update_bumps_version_and_stale_version_is_refused(engine, admin):
    place_id = create_place(engine, admin, _input())
    assert update_place(engine, admin, place_id, {"note": "CCTV covers the west side", "peak_days": (5, 6, 0)}, 1) == 2
    with Session(engine) as session:
        [view] = places_for_map(session, admin)
    assert view.peak_text == "Sat–Mon 22:00–03:00" and view.note == "CCTV covers the west side"
    before = _dump(engine)
    with pytest.raises(Conflict, match="changed by someone else"):
        update_place(engine, admin, place_id, {"name": "Old Market"}, 1)
    with pytest.raises(ValidationError, match="location: cannot be changed"):
        update_place(engine, admin, place_id, {"location": "x"}, 2)
    assert _dump(engine) == before
    assert [r[3] for r in _dump(engine)["audit_entry"]].count("update_place") == 1


def test_retire_is_soft_and_audited(engine, admin):
    place_id = create_place(engine, admin, _input())
    with pytest.raises(ValidationError, match="say why"):
        retire_place(engine, admin, place_id, " ")
    retire_place(engine, admin, place_id, "Redeveloped")
    with Session(engine) as session:
        assert places_for_map(session, admin) == []
    assert len(_dump(engine)["place"]) == 1  # kept, not deleted
    with pytest.raises(ValidationError, match="was retired on"):
        update_place(engine, admin, place_id, {"note": "x"}, 2)
    assert "retire_place" in [r[3] for r in _dump(engine)["audit_entry"]]


@pytest.mark.parametrize("role", ["PC", "PCSO", "Staff"])
def test_pc_and_pcso_may_not_manage_places(engine, admin, role):
    place_id = create_place(engine, admin, _input())
    before = _dump(engine)
    actor = Actor("1001", role, officer_id=1)
    with pytest.raises(PermissionDenied, match="may not manage places"):
        create_place(engine, actor, _input(name="Bus Station"))
    with pytest.raises(PermissionDenied):
        update_place(engine, actor, place_id, {"note": "x"}, 1)
    with pytest.raises(PermissionDenied):
        retire_place(engine, actor, place_id, "no")
    assert _dump(engine) == before


@pytest.mark.parametrize("role", ["Sergeant", "Inspector"])
def test_sergeants_and_inspectors_manage_places_on_the_beats_they_direct(engine, role):
    from datetime import date

    from beatdesk.database import session_scope
    from beatdesk.models import Beat, BeatSergeant, Officer

    with session_scope(engine) as session:
        nt01 = session.exec(select(Beat).where(Beat.code == "NT01")).one()
        officer = Officer(collar_number="2004", name="Supervisor", role=role, sector_id=nt01.sector_id,
                          start_date=date(2015, 1, 1))
        session.add(officer)
        session.flush()
        session.add(BeatSergeant(beat_id=nt01.id, officer_id=officer.id))  # ignored for an inspector
    supervisor = Actor("2004", role, officer_id=officer.id)
    assert create_place(engine, supervisor, _input()) > 0
    with pytest.raises(PermissionDenied, match="may manage places only on the beats"):
        create_place(engine, supervisor, _input(beat="KT01", geometry="E 486000 N 278000"))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("E 475601 N 260638", (475601, 260638)),
        ("e475,601 n260,638", (475601, 260638)),
        ("475601, 260638", (475601, 260638)),
        ("475601.5 260638", (475601.5, 260638)),
    ],
)
def test_parse_grid_references(typed, expected):
    assert parse_coordinates(typed).equals(Point(expected))


def test_parse_wgs84_reprojects_to_british_national_grid():
    point = parse_coordinates(CASTLE)
    assert abs(point.x - 475413) < 20 and abs(point.y - 260418) < 20


def test_parse_polygon_of_mixed_pairs_closing_point_optional():
    poly = parse_coordinates("475600 260600; 475700 260600; 475700 260700; 475600 260600")
    assert isinstance(poly, Polygon) and poly.area == pytest.approx(5000)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "none typed"),
        ("north of the church", "'north of the church' is not a point"),
        ("48.0, 5.0", "'48.0, 5.0' read as latitude 48.0, longitude 5.0 is not in Great Britain"),
        ("E 9999999 N 1", "'E 9999999 N 1' is not a British National Grid reference"),
        ("475600 260600; 475700 260600", "needs at least 3"),
    ],
)
def test_parse_refusals_quote_the_text(typed, message):
    with pytest.raises(ValidationError, match=message):
        parse_coordinates(typed)


@pytest.mark.parametrize(
    "days, start, end, text_",
    [
        (0b0110000, 22 * 60, 3 * 60, "Fri–Sat 22:00–03:00"),
        (0b1111111, None, None, "Every day"),
        (0b0010101, None, None, "Mon, Wed, Fri"),
        (0b1100001, 8 * 60, 9 * 60 + 30, "Sat–Mon 08:00–09:30"),
        (0, 20 * 60, 23 * 60, "20:00–23:00"),
        (0, None, None, ""),
    ],
)
def test_peak_text(days, start, end, text_):
    assert peak_text(days, start, end) == text_


def test_demo_places_lie_inside_their_beats(bounded, admin):
    import random

    import shapely

    from beatdesk.database import session_scope
    from beatdesk.services.demo.places_seed import seed_places
    from beatdesk.services.force_view import load_force_map

    with session_scope(bounded) as session:
        assert seed_places(session, admin, random.Random(1)) >= 36
    with Session(bounded) as session:
        places = places_for_map(session, admin)
        outlines = {b.code: b.geometry for b in load_force_map(session, admin).beats}
    assert {p.beat_code for p in places} == set(outlines)
    for place in places:
        assert shapely.intersection(place.geometry, outlines[place.beat_code]).area >= 0.8 * place.geometry.area
        if place.geometry.geom_type == "Point":
            assert outlines[place.beat_code].covers(place.geometry)


# ---- reads for the place dialog ------------------------------------------------------------------


def test_place_for_edit_gives_the_fields_as_typed_and_the_version(engine, admin):
    place_id = create_place(engine, admin, _input(note="CCTV on the corner"))
    with Session(engine) as session:
        form = place_for_edit(session, admin, place_id)
    assert (form.id, form.version, form.beat_code, form.name, form.kind) == (
        place_id, 1, "NT01", "Market Square", PlaceKind.HOTSPOT)
    assert form.peak_days == frozenset({4, 5}) and (form.peak_start, form.peak_end) == ("22:00", "03:00")
    assert form.note == "CCTV on the corner" and coordinates_text(form.geometry) == "E 475601 N 260638"
    retire_place(engine, admin, place_id, "Redeveloped")
    with Session(engine) as session, pytest.raises(ValidationError, match="was retired on"):
        place_for_edit(session, admin, place_id)


def test_coordinates_text_reads_back_as_the_same_geometry():
    square = Polygon([(475600, 260600), (475700, 260600), (475700, 260700), (475600, 260700)])
    text_ = coordinates_text(square)
    assert text_ == "E 475600 N 260600; E 475700 N 260600; E 475700 N 260700; E 475600 N 260700"
    assert parse_coordinates(text_).equals(square)
    assert coordinates_text(Point(475601.4, 260638.6)) == "E 475601 N 260639"


def test_describe_coordinates_checks_as_a_save_would(bounded, admin):
    before = _dump(bounded)
    with Session(bounded) as session:
        assert describe_coordinates(session, admin, "NT01", CASTLE).startswith("Point E 475,4")
        assert describe_coordinates(session, admin, "NT01", CASTLE).endswith("within beat NT01")
        area = "52.2360, -0.8990; 52.2360, -0.8975; 52.2350, -0.8975; 52.2350, -0.8990"
        assert describe_coordinates(session, admin, "NT01", area).startswith("Area of 4 corners, 1.1 ha")
        assert describe_coordinates(session, admin, None, "475600 260600; 475605 260600; 475605 260700") \
            .startswith("Area of 3 corners, 250 m²")
        with pytest.raises(ValidationError, match="m outside beat NT01"):
            describe_coordinates(session, admin, "NT01", "52.3990, -0.7260")
        with pytest.raises(ValidationError, match="too small"):
            describe_coordinates(session, admin, None, "475600 260600; 475605 260600; 475605 260605")
    assert _dump(bounded) == before


def test_beat_for_geometry_finds_the_beat_under_a_drawn_place(bounded, admin):
    with Session(bounded) as session:
        assert beat_for_geometry(session, admin, parse_coordinates(CASTLE)) == "NT01"
        assert beat_for_geometry(session, admin, parse_coordinates("E 300000 N 100000")) is None
        area = parse_coordinates("52.2360, -0.8990; 52.2360, -0.8975; 52.2350, -0.8975; 52.2350, -0.8990")
        assert beat_for_geometry(session, admin, area) == "NT01"
        choices = beat_choices(session, admin)
    assert len(choices) == 36 and ("NT01", "NT01 Northampton Town Centre") in choices
