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


def _isolated(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_the_settings_file_comes_after_the_environment(monkeypatch, tmp_path):
    from beatdesk.config import database_choice, save_database_url, settings_file

    _isolated(monkeypatch, tmp_path)
    save_database_url("postgresql+psycopg://desk@db.force.example/beatdesk")
    assert settings_file() == tmp_path / "config" / "BeatDesk" / "beatdesk.toml"
    url, source = database_choice(None)
    assert url == "postgresql+psycopg://desk@db.force.example/beatdesk" and "settings file" in source
    monkeypatch.setenv(ENV_DATABASE_URL, "sqlite:///from-env.sqlite")
    assert database_choice(None) == ("sqlite:///from-env.sqlite", f"the {ENV_DATABASE_URL} environment variable")
    assert database_choice("sqlite:///cli.sqlite")[0] == "sqlite:///cli.sqlite"
    monkeypatch.delenv(ENV_DATABASE_URL)
    save_database_url(None)
    assert database_choice(None)[1] == "the embedded default"


def test_a_malformed_settings_file_is_named_with_its_line(monkeypatch, tmp_path):
    import pytest

    from beatdesk.config import ConfigError, settings_file

    _isolated(monkeypatch, tmp_path)
    settings_file().write_text('# desk\ndatabase_url = "postgresql://x\n')
    with pytest.raises(ConfigError, match=r"beatdesk\.toml: .*line 2"):
        database_url(None)
    settings_file().write_text("database_url = 5\n")
    with pytest.raises(ConfigError, match="must be a database URL in quotes, not 5"):
        database_url(None)


def test_beatdesk_database_sets_only_a_database_that_opens(monkeypatch, tmp_path, capsys):
    from beatdesk.cli.main import main
    from beatdesk.config import database_choice, settings_file

    _isolated(monkeypatch, tmp_path)
    assert main(["database", "--set", "nonsense"]) == 2
    assert "is not a database URL" in capsys.readouterr().err
    assert main(["database", "--set", "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 2
    assert "the setting was not changed" in capsys.readouterr().err
    assert not settings_file().exists()

    shared = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert main(["database", "--set", shared]) == 0
    assert database_choice(None) == (shared, f"the settings file {settings_file()}")
    capsys.readouterr()
    assert main(["database"]) == 0
    assert capsys.readouterr().out.startswith(shared)
    assert main(["database", "--reset"]) == 0
    assert database_choice(None)[1] == "the embedded default"


def test_an_unreadable_settings_file_stops_a_command_with_one_line(monkeypatch, tmp_path, capsys):
    from beatdesk.cli.main import main
    from beatdesk.config import settings_file

    _isolated(monkeypatch, tmp_path)
    settings_file().write_text("database_url = [\n")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the desk's settings cannot be read:") and "beatdesk.toml" in err


def test_the_settings_file_is_private_and_passwords_are_never_printed(monkeypatch, tmp_path, capsys):
    from beatdesk.cli.main import main
    from beatdesk.config import save_database_url, settings_file, shown_url

    _isolated(monkeypatch, tmp_path)
    path = save_database_url("postgresql+psycopg://desk:s3cret@db.force.example/beatdesk")
    assert path.stat().st_mode & 0o777 == 0o600
    assert shown_url("postgresql+psycopg://desk:s3cret@db/x") == "postgresql+psycopg://desk:***@db/x"
    assert main(["database"]) == 0
    assert "s3cret" not in capsys.readouterr().out
    assert main(["database", "--set", "postgresql+psycopg://desk:s3cret@127.0.0.1:1/none"]) == 2
    assert "s3cret" not in capsys.readouterr().err
    assert settings_file().read_text().count("s3cret") == 1  # the setting itself is unchanged
