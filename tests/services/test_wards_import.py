"""Importing ward boundaries: the real files load in full; every refusal leaves the database as it was."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
import shapely
from sqlalchemy import text
from sqlmodel import select

from beatdesk.database import session_scope
from beatdesk.models import AuditEntry, Beat, Ward
from beatdesk.models.meta import WARDS_IMPORTED_AT, WARDS_SOURCE
from beatdesk.services import force
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ImportFailed, PermissionDenied
from beatdesk.services.wards import WardImportReport, import_wards, loaded_layer, wards_loaded

pytestmark = pytest.mark.realdata

CASTLE = "E05013246"


@pytest.fixture(scope="module")
def frame(wards_20m):
    import geopandas

    return geopandas.read_file(wards_20m)


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of the tables an import touches, to prove a refusal changed nothing."""
    with engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in ("ward", "beat", "meta", "audit_entry")
        }


def write(frame, path):
    frame.to_file(path)
    return path


# -- the real files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["wards_20m", "wards_200m"])
def test_real_file_loads_every_ward_and_beat(engine, admin, request, fixture):
    path = request.getfixturevalue(fixture)
    report = import_wards(engine, admin, path)
    assert isinstance(report, WardImportReport)
    assert (report.wards_updated, report.beats_built, report.warnings) == (57, 36, ())
    assert report.area_km2 == pytest.approx(2367, abs=3)
    with session_scope(engine) as session:
        wards = session.exec(select(Ward)).all()
        beats = session.exec(select(Beat)).all()
        assert all(w.geometry_wkb and w.display_wkb and w.area_km2 > 0 for w in wards)
        assert all(b.geometry_wkb and b.display_wkb for b in beats)
        assert sum(shapely.from_wkb(b.geometry_wkb).area for b in beats) / 1e6 == pytest.approx(2367, abs=3)
        assert sum(w.area_km2 for w in wards) == pytest.approx(report.area_km2, rel=1e-6)
        assert path.name in force.get_meta(session, WARDS_SOURCE)
        assert "2021" in force.get_meta(session, WARDS_SOURCE)
        assert datetime.fromisoformat(force.get_meta(session, WARDS_IMPORTED_AT)).utcoffset().total_seconds() == 0
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import_wards")).one()
        assert entry.actor == admin.label and '"wards": 57' in entry.detail
        assert wards_loaded(session)


def test_castle_beat_is_the_castle_ward_alone(engine, admin, wards_20m):
    import_wards(engine, admin, wards_20m)
    with session_scope(engine) as session:
        beat = session.exec(select(Beat).where(Beat.code == "NT01")).one()
        wards = session.exec(select(Ward).where(Ward.beat_id == beat.id)).all()
        assert [w.code for w in wards] == [CASTLE]
        beat_shape, ward_shape = shapely.from_wkb(beat.geometry_wkb), shapely.from_wkb(wards[0].geometry_wkb)
        assert beat_shape.equals(ward_shape)
        assert (beat.centroid_easting, beat.centroid_northing) == pytest.approx(
            (ward_shape.centroid.x, ward_shape.centroid.y), abs=0.1
        )
        display = shapely.from_wkb(beat.display_wkb)
        assert display.is_valid and shapely.get_num_coordinates(display) < shapely.get_num_coordinates(beat_shape)


def test_centroids_match_the_plan(engine, admin, wards_20m):
    from beatdesk.plan import load_plan

    import_wards(engine, admin, wards_20m)
    planned = {b.code: b.centroid for b in load_plan().beats}
    with session_scope(engine) as session:
        for beat in session.exec(select(Beat)):
            assert (beat.centroid_easting, beat.centroid_northing) == pytest.approx(planned[beat.code], abs=2)


@pytest.mark.parametrize(("suffix", "driver", "crs"), [(".gpkg", "GPKG", 27700), (".shp", "ESRI Shapefile", 3857)])
def test_geopackage_and_shapefile_in_other_crs_import_the_same(engine, admin, frame, tmp_path, suffix, driver, crs):
    path = tmp_path / f"wards{suffix}"
    frame.to_crs(crs).to_file(path, driver=driver)
    report = import_wards(engine, admin, path)
    assert (report.wards_updated, report.beats_built) == (57, 36)
    assert report.area_km2 == pytest.approx(2367.07, abs=0.01)


def test_reimport_replaces_the_geometry(engine, admin, wards_20m, wards_200m):
    import_wards(engine, admin, wards_200m)
    import_wards(engine, admin, wards_20m)
    with session_scope(engine) as session:
        assert "bgc" in force.get_meta(session, WARDS_SOURCE)
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "import_wards")).all()) == 2


def test_progress_is_reported_and_a_cancel_keeps_nothing(engine, admin, wards_20m):
    calls = []
    import_wards(engine, admin, wards_20m, progress=lambda done, total, msg: calls.append((done, total, msg)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] and all(isinstance(c[2], str) for c in calls)

    before = dump(engine)

    def cancel(done, total, message):
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_wards(engine, admin, wards_20m, progress=cancel)
    assert dump(engine) == before


def test_loaded_layer_reads_back_the_geometry(engine, admin, wards_20m):
    with session_scope(engine) as session:
        assert not wards_loaded(session) and loaded_layer(session) is None
    import_wards(engine, admin, wards_20m)
    with session_scope(engine) as session:
        layer = loaded_layer(session)
    assert len(layer) == 57 and "wards_2021_bgc_northants.geojson" in layer.source
    assert layer.geometries[layer.index(CASTLE)].area / 1e6 == pytest.approx(2.49, abs=0.01)


def test_bow_tie_ward_is_repaired_with_a_warning(engine, admin, frame, tmp_path):
    broken = frame.copy()
    row = broken.index[broken.WD21CD == CASTLE][0]
    minx, miny, maxx, maxy = broken.geometry[row].bounds
    bow_tie = shapely.Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy)])  # edges cross
    assert not bow_tie.is_valid
    broken.loc[row, "geometry"] = bow_tie
    report = import_wards(engine, admin, write(broken, tmp_path / "bowtie.geojson"))
    assert report.wards_updated == 57
    assert len(report.warnings) == 1 and "ward E05013246 (Castle) had invalid geometry" in report.warnings[0]
    with session_scope(engine) as session:
        ward = session.exec(select(Ward).where(Ward.code == CASTLE)).one()
        assert shapely.from_wkb(ward.geometry_wkb).is_valid


# -- refusals: the specific message, and the database exactly as it was ----------------------------


def refused(engine, admin, path, match):
    before = dump(engine)
    with pytest.raises(ImportFailed, match=match):
        import_wards(engine, admin, path)
    assert dump(engine) == before


@pytest.fixture
def loaded(engine, admin, wards_200m):
    """A database that already holds boundaries, so 'unchanged' means more than 'still empty'."""
    import_wards(engine, admin, wards_200m)
    return engine


def test_file_of_another_vintage_is_refused(loaded, admin, shared_data):
    refused(
        loaded, admin, shared_data / "wards_2020_districts_bsc_northants.geojson",
        r"no ward codes matched: none of the 57 wards of the beat plan .* 143 wards have unknown codes",
    )


def test_missing_wards_are_named(loaded, admin, frame, tmp_path):
    path = write(frame[~frame.WD21CD.isin([CASTLE, "E05013231"])], tmp_path / "partial.geojson")
    refused(loaded, admin, path, r"lacks 2 ward\(s\) of the beat plan: E05013231 \(Oundle\), E05013246 \(Castle\)")


def test_unknown_ward_of_the_same_council_is_named(loaded, admin, frame, tmp_path):
    extra = frame[frame.WD21CD == CASTLE].copy()
    extra["WD21CD"], extra["WD21NM"] = "E05099999", "Castle Annexe"
    extra["geometry"] = extra.geometry.translate(0.001, 0.001)
    path = write(pd.concat([frame, extra]), tmp_path / "extra.geojson")
    refused(
        loaded, admin, path, r"1 ward\(s\) in the force's councils .*unknown ward codes\): E05099999 \(Castle Annexe\)"
    )


def test_unknown_ward_without_council_fields_is_found_by_area(loaded, admin, frame, tmp_path):
    extra = frame[frame.WD21CD == CASTLE].copy()
    extra["WD21CD"], extra["WD21NM"] = "E05099999", "Castle Annexe"
    combined = pd.concat([frame, extra]).drop(columns=["LAD21CD", "LAD21NM"])
    refused(loaded, admin, write(combined, tmp_path / "extra.geojson"), r"unknown ward codes\): E05099999")


def test_ward_outside_the_force_is_ignored_with_a_warning(engine, admin, frame, tmp_path):
    extra = frame[frame.WD21CD == CASTLE].copy()
    extra["WD21CD"], extra["WD21NM"], extra["LAD21CD"] = "E05099999", "Elsewhere", "E06000099"
    report = import_wards(engine, admin, write(pd.concat([frame, extra]), tmp_path / "wider.geojson"))
    assert report.warnings == ("1 ward(s) outside the force area ignored",)


def test_no_ward_fields(loaded, admin, frame, tmp_path):
    path = write(frame.rename(columns={"WD21CD": "code", "WD21NM": "name"}), tmp_path / "renamed.geojson")
    refused(loaded, admin, path, r"no ONS ward fields.*its fields are: code, name, LAD21CD, LAD21NM")


def test_corrupt_file(loaded, admin, wards_20m, tmp_path):
    path = tmp_path / "truncated.geojson"
    path.write_bytes(wards_20m.read_bytes()[:20000])
    refused(loaded, admin, path, "cannot read truncated.geojson: it is corrupt")


def test_point_layer(loaded, admin, frame, tmp_path):
    points = frame.copy()
    points["geometry"] = frame.geometry.representative_point()
    path = write(points, tmp_path / "points.geojson")
    refused(loaded, admin, path, "not a layer of ward polygons: it holds 57 Point")


def test_empty_file(loaded, admin, tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    refused(loaded, admin, path, "empty.geojson has no features")


def test_nonexistent_path(loaded, admin, tmp_path):
    refused(loaded, admin, tmp_path / "nowhere.gpkg", "ward file not found")


def test_duplicate_codes(loaded, admin, frame, tmp_path):
    path = write(pd.concat([frame, frame[frame.WD21CD == CASTLE]]), tmp_path / "dupes.geojson")
    refused(loaded, admin, path, r"repeats ward code E05013246 \(2 times\)")


def test_only_an_administrator_may_import(loaded, wards_20m):
    before = dump(loaded)
    with pytest.raises(PermissionDenied):
        import_wards(loaded, Actor(label="1234", role="PC"), wards_20m)
    assert dump(loaded) == before
