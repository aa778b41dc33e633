"""Where BeatDesk finds its shipped files and keeps the user's data.

In a source checkout (and an editable install) the beat plan, resources and migrations sit at the top
of the repository; a built wheel carries them inside the package under ``_data``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"BeatDesk's {name!r} folder is missing from this installation")


def boundaries_dir() -> Path:
    return _shipped("boundaries")


def resources_dir() -> Path:
    return _shipped("resources")


def migrations_dir() -> Path:
    return _shipped("db")


def beat_plan_file() -> Path:
    return boundaries_dir() / "beat_plan.toml"


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("BeatDesk", appauthor=False, ensure_exists=True)


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("BeatDesk", appauthor=False, ensure_exists=True)


def default_database_file() -> Path:
    return user_data_dir() / "beatdesk.sqlite"
