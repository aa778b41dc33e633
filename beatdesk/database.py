"""Engine, sessions and schema upgrades.

SQLite is the embedded default (WAL, foreign keys on); any SQLAlchemy URL, PostgreSQL included, works
the same. The schema is owned by the Alembic migrations in ``db/``: opening a database upgrades it to
the newest revision, and the fast path skips importing Alembic when it is already there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from beatdesk.paths import migrations_dir


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back entirely if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def head_revision() -> str:
    """The newest migration, read from the file names (``NNNN_*.py``) without importing Alembic."""
    names = sorted(p.name for p in (migrations_dir() / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    if not names:
        raise RuntimeError("no migrations found")
    return names[-1][:4]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to ``revision``; returns True when anything was migrated."""
    if revision == "head" and current_revision(engine) == head_revision():
        return False
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
    return True


def open_database(url: str) -> Engine:
    """An engine on ``url`` with its schema at the newest revision."""
    engine = make_engine(url)
    upgrade(engine)
    return engine
