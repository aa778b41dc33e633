"""Opening a BeatDesk database ready for use: schema upgraded, the beat plan installed.

Every start runs through here before the map can paint, so the usual case (plan installed, schema
current) is a few Core reads; the plan file and the services that install it load only when needed.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from beatdesk.database import open_database, session_scope
from beatdesk.models import Beat, Officer
from beatdesk.models.meta import DEMO_SEED, Meta
from beatdesk.services.actor import Actor

SYSTEM = Actor.administrator("system")


def prepare(url: str) -> Engine:
    """Upgrade the schema and, on a new database, install the force's beat plan (one transaction)."""
    engine = open_database(url)
    install_plan_if_new(engine)
    return engine


def install_plan_if_new(engine: Engine) -> None:
    if _first(engine, select(Beat.__table__.c.id).limit(1)) is not None:
        return
    from beatdesk.plan import load_plan
    from beatdesk.services import force

    with session_scope(engine) as session:
        force.install_beat_plan(session, SYSTEM, load_plan())  # does nothing if a beat appeared meanwhile


def is_empty_force(engine: Engine) -> bool:
    """True when nobody is posted yet: a first start, which the demo force fills."""
    return not _first(engine, select(func.count()).select_from(Officer.__table__))[0]


def is_demo(engine: Engine) -> bool:
    meta = Meta.__table__.c
    return _first(engine, select(meta.value).where(meta.key == DEMO_SEED)) is not None


def _first(engine: Engine, statement):
    with engine.connect() as conn:
        return conn.execute(statement).first()
