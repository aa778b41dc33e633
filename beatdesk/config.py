"""Which database to use: ``--db URL``, else ``BEATDESK_DATABASE_URL``, else the desk's settings file
(``beatdesk database --set URL`` writes it, for a force's shared PostgreSQL database), else the embedded
SQLite file in the user's data folder."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from beatdesk.paths import default_database_file, user_config_dir

ENV_DATABASE_URL = "BEATDESK_DATABASE_URL"
SETTINGS_KEY = "database_url"


class ConfigError(Exception):
    """The settings file cannot be read; the message names the file and what is wrong."""


def settings_file() -> Path:
    return user_config_dir() / "beatdesk.toml"


def database_url(cli_value: str | None = None) -> str:
    return database_choice(cli_value)[0]


def database_choice(cli_value: str | None = None) -> tuple[str, str]:
    """The database URL and where it came from, for ``beatdesk database`` to explain."""
    if cli_value:
        return cli_value, "the --db option"
    env = os.environ.get(ENV_DATABASE_URL, "").strip()
    if env:
        return env, f"the {ENV_DATABASE_URL} environment variable"
    configured = configured_url()
    if configured:
        return configured, f"the settings file {settings_file()}"
    return f"sqlite:///{default_database_file()}", "the embedded default"


def configured_url() -> str | None:
    path = settings_file()
    if not path.is_file():
        return None
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    value = settings.get(SETTINGS_KEY)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {SETTINGS_KEY} must be a database URL in quotes, not {value!r}")
    return value.strip()


def save_database_url(url: str | None) -> Path:
    """Remember ``url`` as this desk's database (None forgets it: back to the embedded default)."""
    path = settings_file()
    if url is None:
        path.unlink(missing_ok=True)
        return path
    escaped = url.replace("\\", "\\\\").replace('"', '\\"')
    text = f'# BeatDesk desk settings\n{SETTINGS_KEY} = "{escaped}"\n'
    # the URL may carry the database password: readable by this user only
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(path, 0o600)
    return path


def shown_url(url: str) -> str:
    """A database URL fit to print: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 (not a URL at all: nothing to hide)
        return url


def is_embedded_default(url: str) -> bool:
    """True for the desk's own SQLite file: the only database BeatDesk fills with the demo force unasked."""
    return url == f"sqlite:///{default_database_file()}"
