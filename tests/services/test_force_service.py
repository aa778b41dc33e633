"""Installing the beat plan: permission, validation, audit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from beatdesk.models import AuditEntry, Beat
from beatdesk.plan import load_plan
from beatdesk.services import force
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ValidationError


@pytest.fixture
def empty(db_url):
    from beatdesk.database import open_database

    engine = open_database(db_url)
    yield engine
    engine.dispose()


def _beats(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Beat)).one()


def test_only_an_administrator_installs_the_plan(empty):
    with Session(empty) as session, pytest.raises(PermissionDenied, match="may not install the beat plan"):
        force.install_beat_plan(session, Actor("1234", "PC"), load_plan())
    assert _beats(empty) == 0


def test_a_broken_plan_is_refused_whole(empty, admin):
    plan = load_plan()
    broken = replace(plan, beats=plan.beats[1:])
    with Session(empty) as session, pytest.raises(ValidationError, match=r"sector CB \(Corby\) has 3 beats"):
        force.install_beat_plan(session, admin, broken)
    assert _beats(empty) == 0


def test_install_writes_the_force_and_one_audit_entry_once(empty, admin):
    with Session(empty) as session:
        assert force.install_beat_plan(session, admin, load_plan()) is True
        assert force.install_beat_plan(session, admin, load_plan()) is False
        session.commit()
        audits = session.exec(select(AuditEntry).where(AuditEntry.action == "install_beat_plan")).all()
    assert _beats(empty) == 36
    assert len(audits) == 1 and audits[0].actor == "test-admin"
