"""Every command refuses a database it cannot open with one clear line, never a traceback."""

from __future__ import annotations

import pytest

from beatdesk.cli.main import main


@pytest.mark.parametrize("command", [["demo", "--months", "1"], ["wards", "import", "x.geojson"]])
def test_database_in_a_folder_that_cannot_exist(tmp_path, capsys, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["--db", f"sqlite:///{blocker / 'beatdesk.sqlite'}", *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the database at sqlite:///") and "could not be opened" in err
    assert "Traceback" not in err


def test_file_that_is_not_a_database(tmp_path, capsys):
    bogus = tmp_path / "beatdesk.sqlite"
    bogus.write_bytes(b"this is not an SQLite database, just some text that is long enough" * 20)
    assert main(["--db", f"sqlite:///{bogus}", "demo", "--months", "1"]) == 2
    assert "could not be opened" in capsys.readouterr().err
    assert bogus.read_bytes().startswith(b"this is not an SQLite database")  # left as it was


def test_missing_database_driver_is_named(capsys):
    assert main(["--db", "postgresql+nosuchdriver://desk@localhost/beatdesk", "demo"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_postgres_without_its_driver_says_how_to_install_it(capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name, *args, **kwargs):
        if name.split(".")[0] == "psycopg":
            raise ModuleNotFoundError(f"No module named {name!r}", name="psycopg")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    assert main(["--db", "postgresql+psycopg://desk@localhost/beatdesk", "wards", "import", "x.geojson"]) == 2
    assert "'.[postgres]'" in capsys.readouterr().err


def test_check_reports_a_database_it_cannot_open(tmp_path, capsys):
    bogus = tmp_path / "beatdesk.sqlite"
    bogus.write_bytes(b"not a database at all, only text" * 40)
    assert main(["--db", f"sqlite:///{bogus}", "check"]) == 2
    assert "could not be opened" in capsys.readouterr().err
