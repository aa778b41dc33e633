"""The checks an entry or a duty must pass before anything is written, each with its own message."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.models import ActivityEntry, ActivityKind, Beat, DutyRecord, IntelSource, Officer, Role, Task, utcnow
from beatdesk.services.activity.inputs import EntryInput
from beatdesk.services.activity.totals import london_day
from beatdesk.services.errors import ValidationError

CLOCK_SKEW = timedelta(minutes=5)  # a desk clock a little ahead of the server is not "the future"
KINDS_NOT_FOR_ROLE = {Role.PCSO: frozenset({ActivityKind.ARREST, ActivityKind.WARRANT})}  # powers a PCSO does not hold
K = ActivityKind


def checked_entry(session: Session, data: EntryInput, entry_id: int | None = None) -> EntryInput:
    """``data`` validated, with its beat and duty filled in; raises ValidationError on the first fault."""
    data = _typed(data)
    officer = officer_of(session, data.officer_id)
    beat_id = data.beat_id if data.beat_id is not None else officer.beat_id
    if beat_id is None:
        raise ValidationError(f"beat: officer {officer.collar_number} is posted to no beat, so choose one.")
    if session.get(Beat, beat_id) is None:
        raise ValidationError(f"beat: no beat has id {beat_id}.")
    _numbers(data)
    _kind_fields(data)
    check_moment("occurred_at", data.occurred_at, officer)
    if data.kind in KINDS_NOT_FOR_ROLE.get(Role(officer.role), ()):
        raise ValidationError(f"kind: a {officer.role} cannot log {data.kind.label.lower()} ({data.kind.value}).")
    _task(session, data, officer, beat_id)
    duty = _duty(session, data)
    if duty is not None and data.kind is K.DEDICATED_PLACE:
        _place_minutes(session, data, duty, entry_id)
    return replace(data, beat_id=beat_id, duty_id=duty.id if duty else None)


def officer_of(session: Session, officer_id: int) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise ValidationError(f"officer: no officer has id {officer_id}.")
    return officer


def check_moment(field: str, moment: datetime, officer: Officer) -> None:
    """Not in the future, not outside the officer's service (by the London calendar day)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(f"{field}: {moment!r} has no time zone; give an aware date and time.")
    if moment > utcnow() + CLOCK_SKEW:
        raise ValidationError(f"{field}: {moment:%Y-%m-%d %H:%M} is in the future.")
    day = london_day(moment)
    if day < officer.start_date:
        raise ValidationError(f"{field}: {day} is before {officer.collar_number} joined on {officer.start_date}.")
    if officer.end_date is not None and day > officer.end_date:
        raise ValidationError(f"{field}: {day} is after {officer.collar_number} left on {officer.end_date}.")


def _typed(data: EntryInput) -> EntryInput:
    try:
        kind = ActivityKind(data.kind)
    except ValueError:
        raise ValidationError(f"kind: {data.kind!r} is not one of {', '.join(k.value for k in K)}.") from None
    try:
        source = None if data.intel_source is None else IntelSource(data.intel_source)
    except ValueError:
        names = ", ".join(s.value for s in IntelSource)
        raise ValidationError(f"intel_source: {data.intel_source!r} is not one of {names}.") from None
    return replace(data, kind=kind, intel_source=source)


def _numbers(data: EntryInput) -> None:
    if data.count < 0:
        raise ValidationError(f"count: must not be negative (got {data.count}).")
    if data.minutes is not None and data.minutes < 0:
        raise ValidationError(f"minutes: must not be negative (got {data.minutes}).")
    if data.kind is not K.DEDICATED_PLACE and data.count < 1:
        raise ValidationError(f"count: {data.kind.label.lower()} need a count of at least 1 (got {data.count}).")


def _kind_fields(data: EntryInput) -> None:
    """Minutes only for time in a dedicated place, a source only for intelligence, an outcome only for searches."""
    if data.kind is K.DEDICATED_PLACE and not data.minutes:
        raise ValidationError(f"minutes: time in a dedicated place needs minutes above 0 (got {data.minutes}).")
    if data.kind is not K.DEDICATED_PLACE and data.minutes is not None:
        raise ValidationError(f"minutes: only time in a dedicated place takes minutes, not {data.kind.value} ({data.minutes}).")
    if data.kind is K.INTELLIGENCE and data.intel_source is None:
        raise ValidationError("intel_source: an intelligence report needs one source "
                              f"({', '.join(s.value for s in IntelSource)}).")
    if data.kind is not K.INTELLIGENCE and data.intel_source is not None:
        raise ValidationError(f"intel_source: only intelligence reports have a source, not {data.kind.value} "
                              f"({data.intel_source.value}).")
    if data.kind is not K.STOP_SEARCH and data.outcome_linked is not None:
        raise ValidationError(f"outcome_linked: only stop-searches have a linked outcome, not {data.kind.value}.")


def _task(session: Session, data: EntryInput, officer: Officer, beat_id: int) -> None:
    """A linked task must exist, be the officer's, be on the entry's beat and be for the entry's London day."""
    if data.task_id is None:
        return
    task = session.get(Task, data.task_id)
    if task is None:
        raise ValidationError(f"task_id: no task has id {data.task_id}.")
    if task.officer_id != data.officer_id:
        raise ValidationError(f"task_id: task #{task.id} is not assigned to {officer.collar_number}.")
    if task.beat_id != beat_id:
        raise ValidationError(f"task_id: task #{task.id} is on another beat than the entry.")
    day = london_day(data.occurred_at)
    if task.duty_date != day:
        raise ValidationError(f"task_id: task #{task.id} is for {task.duty_date}, not the entry's day {day}.")


def _duty(session: Session, data: EntryInput) -> DutyRecord | None:
    """The duty the entry belongs to: the one named, which must be the officer's and cover it, or the one covering it."""
    if data.duty_id is None:
        return session.execute(
            select(DutyRecord).where(
                DutyRecord.officer_id == data.officer_id, DutyRecord.start <= data.occurred_at,
                DutyRecord.end >= data.occurred_at,
            ).limit(1)
        ).scalars().first()
    duty = session.get(DutyRecord, data.duty_id)
    if duty is None or duty.officer_id != data.officer_id:
        raise ValidationError(f"duty_id: officer #{data.officer_id} has no duty with id {data.duty_id}.")
    if not duty.start <= data.occurred_at <= duty.end:
        raise ValidationError(f"occurred_at: {data.occurred_at:%Y-%m-%d %H:%M} is outside duty #{duty.id} "
                              f"({duty.start:%H:%M}–{duty.end:%H:%M} UTC).")
    return duty


def place_minutes(session: Session, duty: DutyRecord, excluding: int | None = None) -> int:
    """Minutes in dedicated places already logged (live) within ``duty``."""
    e = ActivityEntry
    query = select(func.coalesce(func.sum(e.minutes), 0)).where(
        e.officer_id == duty.officer_id, e.kind == K.DEDICATED_PLACE, e.deleted_at.is_(None),
        e.occurred_at >= duty.start, e.occurred_at <= duty.end,
    )
    if excluding is not None:
        query = query.where(e.id != excluding)
    return session.execute(query).scalar_one()


def _place_minutes(session: Session, data: EntryInput, duty: DutyRecord, entry_id: int | None) -> None:
    limit = duty.minutes_outside if duty.minutes_outside is not None else duty_minutes(duty)
    what = "time outside the station" if duty.minutes_outside is not None else "length"
    total = place_minutes(session, duty, entry_id) + data.minutes
    if total > limit:
        raise ValidationError(f"minutes: {total} minutes in dedicated places on duty #{duty.id} would exceed "
                              f"its {what} of {limit} minutes.")


def duty_minutes(duty: DutyRecord) -> int:
    return int((duty.end - duty.start).total_seconds() // 60)


def reference_warnings(session: Session, data: EntryInput, entry_id: int | None = None) -> tuple[str, ...]:
    """A reference already on a live entry of the same kind is flagged, not refused (it may be a shared job)."""
    if not data.reference:
        return ()
    e = ActivityEntry
    query = (
        select(e.occurred_at, Officer.collar_number)
        .join(Officer, Officer.id == e.officer_id)
        .where(e.reference == data.reference, e.kind == data.kind, e.deleted_at.is_(None))
        .order_by(e.occurred_at)
    )
    if entry_id is not None:
        query = query.where(e.id != entry_id)
    return tuple(
        f"reference {data.reference} was already logged on {london_day(at)} by {collar}"
        for at, collar in session.execute(query)
    )
