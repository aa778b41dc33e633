"""Reading ONS ward files: formats, CRSs, field detection, repair, and every refusal's message."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from beatdesk.geo.wardfile import read_ward_file
from beatdesk.services.errors import ImportFailed

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def frame(wards_20m):
    import geopandas

    return geopandas.read_file(wards_20m)


def test_reads_the_20m_file_into_british_national_grid(wards_20m):
    layer = read_ward_file(wards_20m)
    assert len(layer) == 57
    assert layer.vintage == "2021"
    assert layer.warnings == ()
    assert "wards_2021_bgc_northants.geojson" in layer.source and "2021" in layer.source
    assert set(layer.council_codes) == {"E06000061", "E06000062"}
    assert layer.names[layer.index("E05013246")] == "Castle"
    assert layer.council_of("E05013246") == "E06000062"
    minx, miny, maxx, maxy = shapely.total_bounds(layer.geometries)
    assert 420_000 < minx < maxx < 520_000 and 220_000 < miny < maxy < 320_000
    assert sum(g.area for g in layer.geometries) / 1e6 == pytest.approx(2367, abs=2)


def test_reads_the_200m_file(wards_200m):
    layer = read_ward_file(wards_200m)
    assert len(layer) == 57 and all(g.is_valid for g in layer.geometries)


@pytest.mark.parametrize(("suffix", "driver", "crs"), [(".gpkg", "GPKG", 27700), (".shp", "ESRI Shapefile", 3857)])
def test_other_formats_and_crs_read_the_same(frame, wards_20m, tmp_path, suffix, driver, crs):
    path = tmp_path / f"wards{suffix}"
    frame.to_crs(crs).to_file(path, driver=driver)
    reference = read_ward_file(wards_20m)
    layer = read_ward_file(path)
    assert layer.codes == reference.codes and layer.names == reference.names
    assert f"EPSG:{crs}" in layer.source
    areas = [g.area for g in layer.geometries]
    assert areas == pytest.approx([g.area for g in reference.geometries], rel=1e-6)


def test_fields_are_found_by_pattern_case_insensitively(frame, tmp_path):
    path = tmp_path / "lower.geojson"
    frame.rename(columns={c: c.lower() for c in ("WD21CD", "WD21NM", "LAD21CD", "LAD21NM")}).to_file(path)
    layer = read_ward_file(path)
    assert len(layer) == 57 and layer.council_codes is not None


def test_layer_without_council_fields_is_read(frame, tmp_path):
    path = tmp_path / "nocouncil.geojson"
    frame.drop(columns=["LAD21CD", "LAD21NM"]).to_file(path)
    layer = read_ward_file(path)
    assert layer.council_codes is None and layer.council_of("E05013246") is None


def test_geopackage_with_several_layers_uses_the_polygon_layer(frame, tmp_path):
    path = tmp_path / "multi.gpkg"
    points = frame.copy()
    points["geometry"] = frame.geometry.representative_point()
    points.to_file(path, layer="centres", driver="GPKG")
    frame.to_file(path, layer="wards", driver="GPKG")
    assert len(read_ward_file(path)) == 57


def test_shapefile_without_crs_in_lon_lat_is_assumed_wgs84(frame, tmp_path):
    path = tmp_path / "nocrs.shp"
    frame.to_file(path)
    path.with_suffix(".prj").unlink()
    layer = read_ward_file(path)
    assert len(layer) == 57
    assert any("assumed EPSG:4326" in w for w in layer.warnings)


def test_shapefile_without_crs_in_metres_is_refused(frame, tmp_path):
    path = tmp_path / "nocrs.shp"
    frame.to_crs(27700).to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(ImportFailed, match="does not say its coordinate reference system.*not longitude/latitude"):
        read_ward_file(path)


def test_bow_tie_is_repaired_with_a_warning(tmp_path):
    import geopandas

    bow_tie = shapely.Polygon([(-0.9, 52.2), (-0.8, 52.3), (-0.8, 52.2), (-0.9, 52.3)])
    square = shapely.box(-0.7, 52.2, -0.6, 52.3)
    path = tmp_path / "bowtie.geojson"
    geopandas.GeoDataFrame(
        {"WD21CD": ["E05000001", "E05000002"], "WD21NM": ["Bow", "Square"]}, geometry=[bow_tie, square], crs=4326
    ).to_file(path)
    layer = read_ward_file(path)
    assert [w for w in layer.warnings if "E05000001 (Bow)" in w and "repaired" in w]
    assert not [w for w in layer.warnings if "Square" in w]
    fixed = layer.geometries[0]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and fixed.area > 0


# -- refusals: each with a message that says what is wrong with this file --------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ImportFailed, match="ward file not found: .*nowhere.geojson"):
        read_ward_file(tmp_path / "nowhere.geojson")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(ImportFailed, match="is a folder"):
        read_ward_file(tmp_path)


def test_truncated_file_is_corrupt(wards_20m, tmp_path):
    path = tmp_path / "truncated.geojson"
    path.write_bytes(wards_20m.read_bytes()[:5000])
    with pytest.raises(ImportFailed, match="cannot read truncated.geojson: it is corrupt"):
        read_ward_file(path)


def test_zero_byte_file(tmp_path):
    path = tmp_path / "zero.gpkg"
    path.touch()
    with pytest.raises(ImportFailed, match=r"zero.gpkg is empty \(0 bytes\)"):
        read_ward_file(path)


def test_empty_layer(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ImportFailed, match="empty.geojson has no features"):
        read_ward_file(path)


def test_no_ward_fields_names_the_fields_found(frame, tmp_path):
    path = tmp_path / "renamed.geojson"
    frame.rename(columns={"WD21CD": "code", "WD21NM": "label"}).to_file(path)
    found = r"no ONS ward fields .*WDnnCD.*its fields are: code, label, LAD21CD, LAD21NM"
    with pytest.raises(ImportFailed, match=found):
        read_ward_file(path)


def test_point_layer(frame, tmp_path):
    path = tmp_path / "points.geojson"
    points = frame.copy()
    points["geometry"] = frame.geometry.representative_point()
    points.to_file(path)
    with pytest.raises(ImportFailed, match="not a layer of ward polygons: it holds 57 Point"):
        read_ward_file(path)


def test_duplicate_codes(frame, tmp_path):
    import geopandas

    path = tmp_path / "dupes.geojson"
    geopandas.GeoDataFrame(pd.concat([frame, frame.iloc[[3]]]), crs=frame.crs).to_file(path)
    with pytest.raises(ImportFailed, match=r"repeats ward code E05013216 \(2 times\)"):
        read_ward_file(path)


def test_null_geometry_names_the_ward(frame, tmp_path):
    path = tmp_path / "null.geojson"
    broken = frame.copy()
    broken.loc[broken.WD21CD == "E05013246", "geometry"] = None
    broken.to_file(path)
    with pytest.raises(ImportFailed, match=r"no geometry for ward E05013246 \(Castle\)"):
        read_ward_file(path)


def test_collection_keeps_its_polygon_parts_and_a_lone_point_is_refused(tmp_path):
    import geopandas

    square = shapely.box(-0.7, 52.2, -0.6, 52.3)
    mixed = shapely.GeometryCollection([square, shapely.LineString([(-0.5, 52.0), (-0.4, 52.1)])])
    path = tmp_path / "mixed.geojson"
    geopandas.GeoDataFrame({"WD21CD": ["E05000001"], "WD21NM": ["Mixed"]}, geometry=[mixed], crs=4326).to_file(path)
    layer = read_ward_file(path)
    assert layer.geometries[0].geom_type == "Polygon"
    assert layer.warnings == ("ward E05000001 (Mixed) had invalid geometry (a GeometryCollection with non-polygon "
                              "parts); repaired",)

    path = tmp_path / "point.geojson"
    geopandas.GeoDataFrame(
        {"WD21CD": ["E05000001", "E05000002"], "WD21NM": ["Square", "Dot"]},
        geometry=[square, shapely.Point(-0.5, 52.0)], crs=4326,
    ).to_file(path)
    with pytest.raises(ImportFailed, match=r"ward E05000002 \(Dot, Point\) is not a polygon"):
        read_ward_file(path)
