"""What every administration command does first: open the database, or say why it cannot."""

from __future__ import annotations

import sys

from sqlalchemy import Engine


class CannotOpen(Exception):
    """The database named cannot be opened; the message says which and why, for one line of output."""


def connect(url: str) -> Engine:
    """The database at ``url`` at the newest schema; CannotOpen instead of a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from beatdesk.config import shown_url
    from beatdesk.database import open_database

    try:
        return open_database(url)
    except ModuleNotFoundError as exc:
        raise CannotOpen(
            f"the database at {shown_url(url)} needs the Python package {exc.name!r}: for PostgreSQL install "
            "BeatDesk with its postgres extra (pip install -e '.[postgres]')"
        ) from None
    except (SQLAlchemyError, OSError) as exc:
        raise CannotOpen(f"the database at {shown_url(url)} could not be opened: {exc}") from None


def open_engine(db: str | None) -> Engine | None:
    """The migrated database with the beat plan installed, or None after printing why it cannot be."""
    from beatdesk.config import database_url
    from beatdesk.plan import PlanError
    from beatdesk.services import bootstrap

    try:
        engine = connect(database_url(db))
        bootstrap.install_plan_if_new(engine)
        return engine
    except (CannotOpen, PlanError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    return None
