"""Alembic environment: runs migrations on the engine BeatDesk hands over (see beatdesk.database).

On SQLite two things need care. Python's sqlite3 driver commits before DDL on its own, so a migration
that failed part-way would leave half a schema: the migration connection is put in the driver's
autocommit mode and BeatDesk opens the transaction itself, which makes DDL roll back like the rest.
And foreign keys are switched off while migrating: a batch operation rebuilds a table by copying and
dropping it, which with foreign keys on would fail or cascade into the rows that refer to it.
Integrity is checked before the migration commits, and both settings restored afterwards.
"""

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import beatdesk.models

beatdesk.models.load_all()  # every table on SQLModel.metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        raw = connection.connection.driver_connection
        legacy_isolation = raw.isolation_level
        raw.isolation_level = None  # no implicit commits: the BEGIN below covers DDL too
        raw.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        raw.execute("BEGIN")
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
            if sqlite:
                broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(f"migration would break {len(broken)} references, first: {tuple(broken[0])}")
    finally:
        if sqlite:
            if raw.in_transaction:
                raw.rollback()
            raw.execute("PRAGMA foreign_keys=ON")
            raw.isolation_level = legacy_isolation
