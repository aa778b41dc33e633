"""``beatdesk check [PATH]``: OK line and exit 0, each problem on its own line and exit 1, errors exit 2."""

from __future__ import annotations

import pytest

from beatdesk.cli.main import main

pytestmark = pytest.mark.realdata


@pytest.fixture
def db(tmp_path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path / 'check.sqlite'}"]


@pytest.mark.parametrize("fixture", ["wards_20m", "wards_200m"])
def test_plan_passes_against_the_real_files(db, request, fixture, capsys):
    path = request.getfixturevalue(fixture)
    assert main([*db, "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 36 beats, 57 wards, 2 LPAs, 8 sectors — checked against " + path.name)


def test_without_boundaries_only_structural_checks_and_no_database_is_created(db, tmp_path, capsys):
    assert main([*db, "check"]) == 0
    assert "structural checks only: no ward boundaries loaded" in capsys.readouterr().out
    assert not (tmp_path / "check.sqlite").exists()


def test_database_without_boundaries_says_so(db, tmp_path, capsys):
    from beatdesk.services.bootstrap import prepare

    prepare(f"sqlite:///{tmp_path / 'check.sqlite'}").dispose()
    assert main([*db, "check"]) == 0
    assert "structural checks only" in capsys.readouterr().out


def test_problems_each_on_their_own_line_exit_1(db, wards_20m, tmp_path, capsys):
    import geopandas

    frame = geopandas.read_file(wards_20m)
    path = tmp_path / "partial.geojson"
    frame[~frame.WD21CD.isin(["E05013246", "E05013231"])].to_file(path)
    assert main([*db, "check", str(path)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:2] == [
        "ward E05013231 (Oundle) of beat EN01 (Oundle) is not in the ward file",
        "ward E05013246 (Castle) of beat NT01 (Northampton Town Centre) is not in the ward file",
    ]
    assert len(lines) == 3
    assert lines[2].startswith("gap of 2.49 km² inside West Northamptonshire (LPA W) at E 475,")  # Castle's hole
    assert lines[2].endswith(
        "is in no beat; wards around it: E05013239 (Abington and Phippsville), E05013247 (Dallington Spencer), "
        "E05013251 (Delapre and Rushmere), E05013264 (St. George)"
    )
    assert err.startswith(f"3 problem(s) in the beat plan (checked against {path.name} ")


def test_unreadable_file_exits_2(db, tmp_path, capsys):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"not a geopackage")
    assert main([*db, "check", str(path)]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read broken.gpkg")


def test_unusable_plan_exits_2_listing_problems(db, monkeypatch, capsys):
    from beatdesk import plan

    def broken(path=None):
        problems = ["beat NT01 has no wards", "sector NT (Northampton Town Centre) has 4 beats"]
        raise plan.PlanError("beat_plan.toml", problems)

    monkeypatch.setattr(plan, "load_plan", broken)
    assert main([*db, "check"]) == 2
    err = capsys.readouterr().err
    assert "error: the beat plan beat_plan.toml is not usable:" in err
    assert "  beat NT01 has no wards\n" in err and "  sector NT (Northampton Town Centre) has 4 beats\n" in err
