"""My day at service level: the officer's duty and tasks for a day in window order with places and
the entries logged against each; who may see it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind, DutyRecord, Officer, Role, TaskStatus, TaskType
from beatdesk.models.places import PlaceKind
from beatdesk.services.activity import EntryInput, delete_entry, log_entry
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ValidationError
from beatdesk.services.my_day import my_day
from beatdesk.services.places import PlaceInput, create_place
from beatdesk.services.tasks import TaskInput, create_task, set_status

DAY = date(2024, 7, 1)


def utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _officer(engine, collar, role=Role.PC) -> int:
    with session_scope(engine) as session:
        row = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=1, start_date=date(2020, 1, 1))
        session.add(row)
        session.flush()
        return row.id


def _task(engine, admin, officer_id, start, scores=2, day=DAY, **kw) -> int:
    return create_task(engine, admin, TaskInput(**({
        "type": TaskType.HOTSPOT_PATROL, "beat_id": 1, "duty_date": day, "window_start": utc(day, start),
        "window_end": utc(day, start + 2), "threat": scores, "harm": scores, "risk": scores, "vulnerability": scores,
        "instruction": f"Task at {start}", "officer_id": officer_id,
    } | kw)))


@pytest.fixture
def day(engine, admin):
    pc, other = _officer(engine, "1001"), _officer(engine, "1002")
    place = create_place(engine, admin, PlaceInput(beat=1, name="Market Square", kind="hotspot",
                                                   geometry="E 475601 N 260638"))
    with session_scope(engine) as session:
        session.add(DutyRecord(officer_id=pc, duty_date=DAY, start=utc(DAY, 7), end=utc(DAY, 15)))
    ids = {
        "late": _task(engine, admin, pc, 12, place_id=place),
        "low": _task(engine, admin, pc, 8, scores=1),
        "high": _task(engine, admin, pc, 8, scores=5, point=(475700.0, 260700.0)),
        "bare": _task(engine, admin, pc, 10),
        "tomorrow": _task(engine, admin, pc, 8, day=DAY + timedelta(days=1)),
        "theirs": _task(engine, admin, other, 8),
    }
    return pc, other, ids


def _read(engine, actor, officer_id, on=DAY):
    with Session(engine) as session:
        return my_day(session, actor, officer_id, on)


def test_tasks_that_day_in_window_then_priority_order_with_places(engine, admin, day):
    pc, _, ids = day
    mine = _read(engine, admin, pc)
    assert (mine.collar_number, mine.duty.start, mine.duty.end) == ("1001", utc(DAY, 7), utc(DAY, 15))
    assert [t.id for t in mine.tasks] == [ids["high"], ids["low"], ids["bare"], ids["late"]]
    high, low, bare, late = mine.tasks
    assert (high.priority.label, low.priority.label) == ("P1", "P4")
    assert (late.place_name, late.place_kind, late.where) == ("Market Square", PlaceKind.HOTSPOT, "Market Square")
    assert (late.geometry.x, late.geometry.y) == (475601, 260638)
    assert (high.where, high.geometry.x) == ("E 475700 N 260700", 475700)
    assert (bare.geometry, bare.where, bare.map_place()) == (None, "Beat " + bare.beat_code, None)
    assert sorted(p.name for p in mine.places()) == ["E 475700 N 260700", "Market Square"]
    assert mine.counts == {"tasks": 4, "open": 4, "in progress": 0, "done": 0, "not done": 0, "entries": 0}


def test_entries_and_statuses_are_counted(engine, admin, day):
    pc, _, ids = day
    set_status(engine, admin, ids["low"], TaskStatus.DONE, "Patrolled; no issues", 1)
    set_status(engine, admin, ids["late"], TaskStatus.IN_PROGRESS, None, 1)
    first = log_entry(engine, admin, EntryInput(pc, ActivityKind.ENGAGEMENT, utc(DAY, 9), task_id=ids["low"]))
    log_entry(engine, admin, EntryInput(pc, ActivityKind.INCIDENT, utc(DAY, 9), reference="INC-1", task_id=ids["low"]))
    gone = log_entry(engine, admin, EntryInput(pc, ActivityKind.INCIDENT, utc(DAY, 10), task_id=ids["bare"]))
    delete_entry(engine, admin, gone.entry_id, "Logged twice")
    log_entry(engine, admin, EntryInput(pc, ActivityKind.INCIDENT, utc(DAY, 11)))  # on its own
    mine = _read(engine, admin, pc)
    low = next(t for t in mine.tasks if t.id == ids["low"])
    assert (low.status, low.outcome) == (TaskStatus.DONE, "Patrolled; no issues")
    assert [(e.id, e.kind) for e in low.entries][0] == (first.entry_id, ActivityKind.ENGAGEMENT)
    assert [e.reference for e in low.entries] == [None, "INC-1"]
    assert mine.counts == {"tasks": 4, "open": 2, "in progress": 1, "done": 1, "not done": 0, "entries": 2}


def test_a_day_without_duty_or_tasks(engine, admin, day):
    pc, _, _ = day
    empty = _read(engine, admin, pc, DAY - timedelta(days=1))
    assert (empty.duty, empty.tasks, empty.places(), empty.counts["tasks"]) == (None, [], [], 0)


def test_the_officer_themself_or_a_supervisor_may_see_it(engine, admin, day, supervisors):
    pc, other, _ = day
    assert _read(engine, Actor("1001", Role.PC.value, officer_id=pc), pc).tasks
    for supervisor in supervisors:  # the sergeant directing beat 1, the inspector of its sector
        assert _read(engine, supervisor, pc).tasks
    for actor in (Actor("1002", Role.PC.value, officer_id=other), Actor("s", Role.STAFF.value),
                  Actor("p", Role.PCSO.value, officer_id=None), Actor("x", Role.SERGEANT.value)):
        with pytest.raises(PermissionDenied, match="may see only their own day"):
            _read(engine, actor, pc)
    with pytest.raises(ValidationError, match="^officer: no officer has id 9999"):
        _read(engine, admin, 9999)
