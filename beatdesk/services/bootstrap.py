"""Opening a BeatDesk database ready for use: schema upgraded, the beat plan installed."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import select

from beatdesk.database import open_database, session_scope
from beatdesk.models import Beat, Officer
from beatdesk.models.meta import DEMO_SEED
from beatdesk.plan import load_plan
from beatdesk.services import force
from beatdesk.services.actor import Actor

SYSTEM = Actor.administrator("system")


def prepare(url: str) -> Engine:
    """Upgrade the schema and, on a new database, install the force's beat plan (one transaction)."""
    engine = open_database(url)
    install_plan_if_new(engine)
    return engine


def install_plan_if_new(engine: Engine) -> None:
    with session_scope(engine) as session:
        if session.exec(select(Beat.id).limit(1)).first() is None:
            force.install_beat_plan(session, SYSTEM, load_plan())


def is_empty_force(engine: Engine) -> bool:
    """True when nobody is posted yet: a first start, which the demo force fills."""
    with session_scope(engine) as session:
        return not session.exec(select(func.count()).select_from(Officer)).one()


def is_demo(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return force.get_meta(session, DEMO_SEED) is not None
