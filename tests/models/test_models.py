"""Table rules that hold whatever service writes: aware UTC datetimes, constraints, enums by value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from beatdesk.models import ActivityEntry, ActivityKind, Beat, DutyRecord, IntelSource, Officer, Role


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def officer(session):
    beat = session.exec(select(Beat).where(Beat.code == "NT01")).one()
    officer = Officer(collar_number="1001", name="Sam Okafor", role=Role.PC, beat_id=beat.id, start_date=date(2022, 1, 1))
    session.add(officer)
    session.commit()
    return officer


def test_naive_datetime_is_refused(session, officer):
    session.add(
        DutyRecord(
            officer_id=officer.id, duty_date=date(2024, 5, 1),
            start=datetime(2024, 5, 1, 7), end=datetime(2024, 5, 1, 15),
        )
    )
    with pytest.raises(StatementError, match="naive datetime"):
        session.commit()


def test_other_zones_are_stored_as_utc(session, officer):
    bst = timezone(timedelta(hours=1))
    duty = DutyRecord(
        officer_id=officer.id, duty_date=date(2024, 5, 1),
        start=datetime(2024, 5, 1, 8, tzinfo=bst), end=datetime(2024, 5, 1, 16, tzinfo=bst),
    )
    session.add(duty)
    session.commit()
    session.expire_all()
    stored = session.get(DutyRecord, duty.id)
    assert stored.start == datetime(2024, 5, 1, 7, tzinfo=UTC)
    assert stored.start.tzinfo == UTC


def test_duty_must_end_after_it_starts(session, officer):
    at = datetime(2024, 5, 1, 7, tzinfo=UTC)
    session.add(DutyRecord(officer_id=officer.id, duty_date=at.date(), start=at, end=at))
    with pytest.raises(IntegrityError, match="ck_duty_end_after_start"):
        session.commit()


def test_collar_numbers_are_unique(session, officer):
    session.add(Officer(collar_number="1001", name="Other", role=Role.PCSO, beat_id=officer.beat_id, start_date=date(2023, 1, 1)))
    with pytest.raises(IntegrityError):
        session.commit()


def test_officer_must_be_posted(session):
    session.add(Officer(collar_number="9", name="Nowhere", role=Role.PC, start_date=date(2023, 1, 1)))
    with pytest.raises(IntegrityError, match="ck_officer_posted"):
        session.commit()


def _entry(officer, **kw):
    base = dict(kind=ActivityKind.ARREST, officer_id=officer.id, beat_id=officer.beat_id,
                occurred_at=datetime(2024, 5, 1, 9, tzinfo=UTC))
    return ActivityEntry(**(base | kw))


def test_intelligence_needs_exactly_one_source(session, officer):
    session.add(_entry(officer, kind=ActivityKind.INTELLIGENCE))
    with pytest.raises(IntegrityError, match="ck_activity_intel_source"):
        session.commit()
    session.rollback()
    session.add(_entry(officer, kind=ActivityKind.ARREST, intel_source=IntelSource.COMMUNITY))
    with pytest.raises(IntegrityError, match="ck_activity_intel_source"):
        session.commit()
    session.rollback()
    session.add(_entry(officer, kind=ActivityKind.INTELLIGENCE, intel_source=IntelSource.OBSERVATIONS))
    session.commit()


def test_negative_counts_are_refused(session, officer):
    session.add(_entry(officer, count=-1))
    with pytest.raises(IntegrityError, match="ck_activity_count"):
        session.commit()


def test_enums_are_stored_by_value(session, officer):
    session.add(_entry(officer, kind=ActivityKind.INTELLIGENCE, intel_source=IntelSource.POLICE_ACTIVITY))
    session.commit()
    row = session.execute(text("SELECT kind, intel_source FROM activity_entry")).one()
    assert tuple(row) == ("intelligence", "Police activity")
    assert session.execute(text("SELECT role FROM officer")).scalar() == "PC"


def test_active_on(officer):
    officer.end_date = date(2024, 1, 31)
    assert officer.active_on(date(2024, 1, 31))
    assert not officer.active_on(date(2024, 2, 1))
    assert not officer.active_on(date(2021, 12, 31))
