"""What every administration command does first: open the database, or say why it cannot."""

from __future__ import annotations

import sys

from sqlalchemy import Engine



def open_engine(db: str | None) -> Engine | None:
    """The migrated database with the beat plan installed, or None after printing why it cannot be."""
    from sqlalchemy.exc import SQLAlchemyError

    from beatdesk.config import database_url
    from beatdesk.plan import PlanError
    from beatdesk.services import bootstrap

    url = database_url(db)
    try:
        return bootstrap.prepare(url)
    except PlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (SQLAlchemyError, OSError) as exc:
        print(f"error: the database at {url} could not be opened: {exc}", file=sys.stderr)
    return None
