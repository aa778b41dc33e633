"""Which database BeatDesk opens: --db, else $BEATDESK_DATABASE_URL, else the user's data folder."""

from __future__ import annotations

from pathlib import Path

from beatdesk import paths
from beatdesk.config import ENV_DATABASE_URL, database_url


def test_command_line_wins(monkeypatch):
    monkeypatch.setenv(ENV_DATABASE_URL, "sqlite:///from-env.sqlite")
    assert database_url("postgresql+psycopg://desk@localhost/beatdesk") == "postgresql+psycopg://desk@localhost/beatdesk"


def test_environment_next(monkeypatch):
    monkeypatch.setenv(ENV_DATABASE_URL, "  sqlite:///from-env.sqlite ")
    assert database_url(None) == "sqlite:///from-env.sqlite"


def test_default_is_an_sqlite_file_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = database_url(None)
    assert url.startswith("sqlite:///")
    database = Path(url.removeprefix("sqlite:///"))
    assert database.name == "beatdesk.sqlite"
    assert database.parent == tmp_path / "BeatDesk"
    assert database.parent.is_dir()


def test_the_gui_default_is_created_and_filled_on_first_open(monkeypatch, tmp_path):
    """The first start's database: created in the data folder with the 36-beat plan installed."""
    from beatdesk.services.bootstrap import is_empty_force, prepare

    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    engine = prepare(database_url(None))
    assert (tmp_path / "BeatDesk" / "beatdesk.sqlite").is_file()
    assert is_empty_force(engine)  # the application then generates the demo force
    engine.dispose()


def test_shipped_folders_are_found():
    assert (paths.beat_plan_file()).is_file()
    assert (paths.migrations_dir() / "env.py").is_file()
    assert (paths.resources_dir() / "icons" / "beatdesk.svg").is_file()
