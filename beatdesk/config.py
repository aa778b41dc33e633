"""Which database to use: ``--db URL``, else ``BEATDESK_DATABASE_URL``, else the embedded SQLite file."""

from __future__ import annotations

import os

from beatdesk.paths import default_database_file

ENV_DATABASE_URL = "BEATDESK_DATABASE_URL"


def database_url(cli_value: str | None = None) -> str:
    if cli_value:
        return cli_value
    env = os.environ.get(ENV_DATABASE_URL, "").strip()
    if env:
        return env
    return f"sqlite:///{default_database_file()}"


def is_embedded_default(url: str) -> bool:
    """True for the desk's own SQLite file: the only database BeatDesk fills with the demo force unasked."""
    return url == f"sqlite:///{default_database_file()}"
