"""The audit viewer's reading: filters, newest first, pages, and who may read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from beatdesk.models import Role
from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.services.audit_view import AuditFilter, choices, query
from beatdesk.services.errors import PermissionDenied, ValidationError


def _fill(engine):
    with Session(engine) as session:
        for i in range(30):
            who = Actor("sgt.smith" if i % 3 == 0 else "pc.jones", Role.SERGEANT.value)
            audit.record(session, who, "log_activity" if i % 2 else "create_task", "activity_entry", i, count=i,
                         note="x" * 100)
        session.commit()


def test_newest_first_in_pages_with_filters(engine, admin):
    _fill(engine)
    with Session(engine) as session:
        everything = query(session, admin)
        assert [r.seq for r in everything.rows] == sorted((r.seq for r in everything.rows), reverse=True)
        assert everything.total == 31 and not everything.more  # the beat plan's install is the first row
        first = query(session, admin, limit=10)
        page = query(session, admin, limit=10, before=first.rows[-1].seq)
        assert len(page.rows) == 10 and page.more and page.rows[0].seq == everything.rows[10].seq
        audit.record(session, Actor("late", Role.PC.value), "log_activity", "activity_entry", 99)
        session.commit()  # written meanwhile: the next page neither repeats nor skips a row
        rest = query(session, admin, limit=50, before=page.rows[-1].seq)
        assert [r.seq for r in rest.rows] == [r.seq for r in everything.rows[20:]] and not rest.more
        smith = query(session, admin, AuditFilter(who="SMITH"))
        assert smith.total == 10 and {r.actor for r in smith.rows} == {"sgt.smith"}
        tasks = query(session, admin, AuditFilter(action="create_task", who="jones"))
        assert tasks.total == 10 and {(r.action, r.actor) for r in tasks.rows} == {("create_task", "pc.jones")}
        actions, entities = choices(session, admin)
        assert {"create_task", "log_activity", "install_beat_plan"} <= set(actions) and "activity_entry" in entities
        row = smith.rows[0]
        assert row.what.startswith("activity_entry #") and "count=" in row.summary and "…" in row.summary
        assert '"note"' in row.detail_text


def test_days_are_london_days(engine, admin):
    _fill(engine)
    today = datetime.now(UTC).date()
    with Session(engine) as session:
        assert query(session, admin, AuditFilter(since=today, until=today)).total == 31
        assert query(session, admin, AuditFilter(until=today - timedelta(days=2))).total == 0
        with pytest.raises(ValidationError, match="until: .* is before"):
            query(session, admin, AuditFilter(since=today, until=today - timedelta(days=1)))


@pytest.mark.parametrize("role", [Role.PC, Role.PCSO, Role.SPECIAL, Role.SERGEANT, Role.STAFF])
def test_only_inspectors_and_administrators_read_the_trail(engine, role):
    with Session(engine) as session, pytest.raises(PermissionDenied, match="may not view the audit trail"):
        query(session, Actor("someone", role.value))
    with Session(engine) as session:
        assert query(session, Actor("insp", Role.INSPECTOR.value)).total >= 1
