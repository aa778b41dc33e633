"""Recording duties and the time outside the station, which caps time in dedicated places."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import DutyRecord, Officer
from beatdesk.services import audit
from beatdesk.services.activity import duty_totals, rules
from beatdesk.services.activity.totals import london_day
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services import scope
from beatdesk.services.permissions import Action, require


def record_duty(
    engine: Engine, actor: Actor, officer_id: int, start: datetime, end: datetime, minutes_outside: int | None = None
) -> int:
    """Store one duty worked; its day is the London calendar day it started, its beat the officer's posting."""
    require(actor, Action.RECORD_DUTY)
    with session_scope(engine) as session:
        scope.require_officer(session, actor, Action.RECORD_DUTY, officer_id)
        officer = rules.officer_of(session, officer_id)
        rules.check_moment("start", start, officer)
        rules.check_moment("end", end, officer)
        if end <= start:
            raise ValidationError(f"end: {end:%Y-%m-%d %H:%M} is not after the start {start:%Y-%m-%d %H:%M}.")
        _no_overlap(session, officer, start, end)
        duty = DutyRecord(
            officer_id=officer_id, duty_date=london_day(start), start=start, end=end, beat_id=officer.beat_id
        )
        _check_outside(session, duty, minutes_outside)
        duty.minutes_outside = minutes_outside
        session.add(duty)
        session.flush()
        duty_totals.add(session, duty, +1)
        audit.record(session, actor, "record_duty", "duty_record", duty.id, officer_id=officer_id,
                     start=start, end=end, minutes_outside=minutes_outside, beat_id=officer.beat_id)
        return duty.id


def set_time_outside(engine: Engine, actor: Actor, duty_id: int, minutes_outside: int) -> None:
    """Record the time outside the station for a duty already stored."""
    with session_scope(engine) as session:
        duty = session.get(DutyRecord, duty_id)
        if duty is None:
            raise ValidationError(f"duty: no duty has id {duty_id}.")
        scope.require_officer(session, actor, Action.RECORD_DUTY, duty.officer_id)
        _check_outside(session, duty, minutes_outside)
        duty_totals.add(session, duty, -1)
        old, duty.minutes_outside = duty.minutes_outside, minutes_outside
        duty_totals.add(session, duty, +1)
        session.add(duty)
        audit.record(session, actor, "set_time_outside", "duty_record", duty_id, old=old, new=minutes_outside)


def _check_outside(session: Session, duty: DutyRecord, minutes: int | None) -> None:
    """Time outside: not negative, not above the duty's length, not below the place time already logged."""
    if minutes is None:
        return
    length = rules.duty_minutes(duty)
    if minutes < 0:
        raise ValidationError(f"minutes_outside: must not be negative (got {minutes}).")
    if minutes > length:
        raise ValidationError(f"minutes_outside: {minutes} minutes outside the station is more than the "
                              f"duty's length of {length} minutes.")
    placed = rules.place_minutes(session, duty) if duty.id is not None else 0
    if minutes < placed:
        raise ValidationError(f"minutes_outside: {minutes} minutes is less than the {placed} minutes already "
                              f"logged in dedicated places on duty #{duty.id}.")


def _no_overlap(session: Session, officer: Officer, start: datetime, end: datetime) -> None:
    d = DutyRecord
    clash = session.execute(
        select(d.id, d.start, d.end).where(d.officer_id == officer.id, d.start < end, d.end > start).limit(1)
    ).first()
    if clash:
        raise ValidationError(f"start: {officer.collar_number} already has duty #{clash.id} "
                              f"{clash.start:%Y-%m-%d %H:%M}–{clash.end:%H:%M} UTC overlapping this one.")
