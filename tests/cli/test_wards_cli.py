"""``beatdesk wards import PATH``: a concise report and exit 0, or ``error: ...`` and exit 2."""

from __future__ import annotations

import pytest

from beatdesk.cli.main import main

pytestmark = pytest.mark.realdata


@pytest.fixture
def db(tmp_path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path / 'cli.sqlite'}"]


def test_import_reports_wards_and_beats(db, wards_200m, capsys):
    assert main([*db, "wards", "import", str(wards_200m)]) == 0
    out, err = capsys.readouterr()
    assert "Imported 57 wards into 36 beats" in out and "wards_2021_bsc_northants.geojson" in out
    assert "No warnings." in out and err == ""


def test_import_then_check_uses_the_database(db, wards_20m, capsys):
    assert main([*db, "wards", "import", str(wards_20m)]) == 0
    capsys.readouterr()
    assert main([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 36 beats, 57 wards, 2 LPAs, 8 sectors — checked against the ward boundaries in the")


def test_refused_file_prints_the_error_and_exits_2(db, shared_data, capsys):
    assert main([*db, "wards", "import", str(shared_data / "wards_2020_districts_bsc_northants.geojson")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: no ward codes matched")


def test_missing_file_exits_2(db, tmp_path, capsys):
    assert main([*db, "wards", "import", str(tmp_path / "nowhere.geojson")]) == 2
    assert "error: ward file not found" in capsys.readouterr().err
