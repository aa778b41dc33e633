"""An activity entry may be logged against a task: the officer's own task, on the entry's beat, for
the entry's London day. Refusals name task_id and change nothing; edits keep or change the link."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityEntry, ActivityKind, Officer, Role, TaskType
from beatdesk.services.activity import EntryInput, edit_entry, log_entry
from beatdesk.services.errors import ValidationError
from beatdesk.services.tasks import TaskInput, create_task

DAY = date(2024, 7, 1)


def utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _officer(engine, collar, beat_id=1) -> int:
    with session_scope(engine) as session:
        row = Officer(collar_number=collar, name=f"Officer {collar}", role=Role.PC, beat_id=beat_id,
                      start_date=date(2020, 1, 1))
        session.add(row)
        session.flush()
        return row.id


def _task(engine, admin, officer_id, beat_id=1, day=DAY) -> int:
    return create_task(engine, admin, TaskInput(
        type=TaskType.HOTSPOT_PATROL, beat_id=beat_id, duty_date=day, window_start=utc(day, 7),
        window_end=utc(day, 9), threat=2, harm=2, risk=2, vulnerability=2, instruction="Patrol", officer_id=officer_id,
    ))


@pytest.fixture
def setup(engine, admin):
    pc, other = _officer(engine, "1001"), _officer(engine, "1002")
    return pc, other, _task(engine, admin, pc)


def _entry(pc, task_id, **kw) -> EntryInput:
    return EntryInput(**({"officer_id": pc, "kind": ActivityKind.ENGAGEMENT, "occurred_at": utc(DAY, 8),
                          "task_id": task_id} | kw))


def _entries(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id, task_id, version FROM activity_entry ORDER BY id")).fetchall()


def test_an_entry_logged_against_a_task_stores_the_link(engine, admin, setup):
    pc, _, task = setup
    logged = log_entry(engine, admin, _entry(pc, task))
    with Session(engine) as session:
        assert session.get(ActivityEntry, logged.entry_id).task_id == task
    assert log_entry(engine, admin, _entry(pc, None)).entry_id  # on its own, as before
    assert [r.task_id for r in _entries(engine)] == [task, None]


def test_link_refusals_name_task_id_and_change_nothing(engine, admin, setup):
    pc, other, task = setup
    theirs = _task(engine, admin, other)
    far = _task(engine, admin, pc, beat_id=2)
    later = _task(engine, admin, pc, day=date(2024, 7, 2))
    cases = [
        (_entry(pc, 9999), "task_id: no task has id 9999"),
        (_entry(pc, theirs), f"task_id: task #{theirs} is not assigned to 1001"),
        (_entry(pc, far), f"task_id: task #{far} is on another beat"),
        (_entry(pc, later), f"task_id: task #{later} is for 2024-07-02, not the entry's day 2024-07-01"),
        (_entry(pc, task, occurred_at=utc(DAY, 23)), f"task_id: task #{task} is for 2024-07-01, not the entry's day 2024-07-02"),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError, match="^" + message.replace("(", r"\(")):
            log_entry(engine, admin, data)
    assert _entries(engine) == []


def test_editing_keeps_or_changes_the_link_under_the_same_rules(engine, admin, setup):
    pc, other, task = setup
    logged = log_entry(engine, admin, _entry(pc, task))
    kept = edit_entry(engine, admin, logged.entry_id, {"note": "Spoke to shop staff"}, logged.version)
    assert _entries(engine)[0][1:] == (task, kept.version)
    with pytest.raises(ValidationError, match="^task_id: .* is not assigned to 1001"):
        edit_entry(engine, admin, logged.entry_id, {"task_id": _task(engine, admin, other)}, kept.version)
    with pytest.raises(ValidationError, match="^task_id: .* is for 2024-07-01"):
        edit_entry(engine, admin, logged.entry_id, {"occurred_at": utc(date(2024, 7, 2), 8)}, kept.version)
    second = _task(engine, admin, pc)
    moved = edit_entry(engine, admin, logged.entry_id, {"task_id": second}, kept.version)
    assert _entries(engine)[0][1] == second
    edit_entry(engine, admin, logged.entry_id, {"task_id": None}, moved.version)
    assert _entries(engine)[0][1] is None
