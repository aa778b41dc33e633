"""Creating, editing, assigning, completing and carrying over tasks: one transaction each, audited.

Every write checks the actor may direct work on the task's beat (sergeants only the beats they
direct, inspectors and administrators any; the assignee may set the status of their own task),
validates everything before writing, and refuses a task changed by someone else since it was opened
(``Conflict``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import DutyRecord, Task, TaskStatus, TaskTemplate, utcnow
from beatdesk.services import audit
from beatdesk.services.changes import stamp as change_stamp
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.tasks import rules
from beatdesk.services.tasks.inputs import EDITABLE, TaskInput
from beatdesk.services.tasks.priority import assess

ENTITY = "task"


def create_task(engine: Engine, actor: Actor, data: TaskInput) -> int:
    """Store a new open task, its priority derived from its scores, and audit it; returns its id."""
    require(actor, Action.MANAGE_TASKS)
    with session_scope(engine) as session:
        return _add(session, actor, rules.checked_task(session, actor, data))


def create_from_template(
    engine: Engine, actor: Actor, template_id: int, day: date, beat_id: int | None = None,
    overrides: dict | None = None,
) -> int:
    """A task for ``day`` from a template: its type, scores, instruction, place and local window, on
    ``beat_id`` (default the template's beat), with ``overrides`` of any TaskInput field."""
    require(actor, Action.MANAGE_TASKS)
    overrides = dict(overrides or {})
    unknown = set(overrides) - EDITABLE - {"officer_id"}
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))}: not a field of a task.")
    with session_scope(engine) as session:
        template = session.get(TaskTemplate, template_id)
        if template is None:
            raise ValidationError(f"template: no task template has id {template_id}.")
        beat = beat_id if beat_id is not None else template.beat_id
        if beat is None:
            raise ValidationError(f"beat: template {template.name!r} has no beat; choose one.")
        start = datetime.combine(day, _clock(template.window_start), tzinfo=rules.LONDON)
        end_day = day if template.window_end > template.window_start else day + timedelta(days=1)
        end = datetime.combine(end_day, _clock(template.window_end), tzinfo=rules.LONDON)
        data = TaskInput(
            type=template.type, beat_id=beat, duty_date=day, window_start=start.astimezone(UTC),
            window_end=end.astimezone(UTC), threat=template.threat, harm=template.harm, risk=template.risk,
            vulnerability=template.vulnerability, instruction=template.instruction,
            place_id=template.place_id if beat == template.beat_id else None,
        )
        data = rules.checked_task(session, actor, replace(data, **overrides))
        return _add(session, actor, data, template_id=template_id)


def update_task(engine: Engine, actor: Actor, task_id: int, changes: dict, expected_version: int) -> int:
    """Change fields of an open or in-progress task opened at ``expected_version``; returns the new
    version. A done or not-done task is refused: its outcome answers the task as it was set."""
    require(actor, Action.MANAGE_TASKS)
    if "officer_id" in changes:
        raise ValidationError("officer_id: change who does a task with assign.")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))}: cannot be changed on a task.")
    with session_scope(engine) as session:
        row = _current(session, actor, task_id, expected_version)
        status = TaskStatus(row.status)
        if status.finished:
            raise ValidationError(
                f"task: #{task_id} is {status.value} ({row.outcome}); a finished task stays as it was when its "
                "outcome was recorded. Mark it open again to change it."
            )
        before = TaskInput.of(row)
        where_too = bool({"place_id", "point", "beat_id"} & set(changes))
        data = rules.checked_task(session, actor, replace(before, **changes), where_too=where_too)
        old, new = _columns(before), _columns(data)
        old_diff = {k: v for k, v in old.items() if new[k] != v}
        if not old_diff:
            return row.version
        version = _bump(session, task_id, expected_version, {**new, "updated_at": utcnow()})
        audit.record(session, actor, "update_task", ENTITY, task_id, old=_plain(old_diff),
                     new=_plain({k: new[k] for k in old_diff}))
        return version


def assign(engine: Engine, actor: Actor, task_id: int, officer_id: int | None, expected_version: int) -> int:
    """Give a task to ``officer_id`` (None: unassign); returns the new version."""
    require(actor, Action.MANAGE_TASKS)
    with session_scope(engine) as session:
        row = _current(session, actor, task_id, expected_version)
        return _assign(session, actor, row, officer_id)


def bulk_assign(engine: Engine, actor: Actor, task_ids: list[int], officer_id: int | None) -> list[int]:
    """Give every task in ``task_ids`` to ``officer_id``, all or none, in one transaction; returns the
    ids changed (a task already theirs is left as it is)."""
    require(actor, Action.MANAGE_TASKS)
    ids = list(dict.fromkeys(task_ids))
    if not ids:
        raise ValidationError("task_ids: choose at least one task.")
    with session_scope(engine) as session:
        rows = [_current(session, actor, task_id, None) for task_id in ids]
        for row in rows:  # every task checked before any is written
            if officer_id is not None:
                rules.check_assignee(session, actor, officer_id, row.type, row.duty_date)
        changed = []
        for row in rows:
            if row.officer_id != officer_id:
                _assign(session, actor, row, officer_id)
                changed.append(row.id)
        return changed


def set_status(
    engine: Engine, actor: Actor, task_id: int, status: TaskStatus | str, outcome: str | None, expected_version: int
) -> int:
    """Mark progress: open, in progress, done or not done (the last two with an outcome); returns the
    new version. Whoever directs the beat may, and so may the task's assignee."""
    with session_scope(engine) as session:
        row = session.get(Task, task_id)
        if row is None:
            raise ValidationError(f"task: no task has id {task_id}.")
        _may_update_status(session, actor, row)
        status, outcome = rules.check_status(status, outcome)
        if row.version != expected_version:
            raise Conflict(_stale(task_id))
        if (row.status, row.outcome) == (status, outcome):
            return row.version
        old = {"status": TaskStatus(row.status).value, "outcome": row.outcome}
        version = _bump(session, task_id, expected_version, {"status": status, "outcome": outcome, "updated_at": utcnow()})
        audit.record(session, actor, "set_task_status", ENTITY, task_id, old=old,
                     new={"status": status.value, "outcome": outcome})
        return version


def carry_over(engine: Engine, actor: Actor, from_day: date, to_day: date, beat_ids: list[int]) -> list[tuple[int, int]]:
    """Continue every open or in-progress task of ``from_day`` on ``beat_ids`` on ``to_day``.

    Each gets a linked copy at the same local times, kept with its assignee when they are on duty that
    day (a duty record) and unassigned otherwise; the old task becomes not done, "carried over to
    <date>". Running it again copies nothing more. Returns (old id, new id) pairs.
    """
    require(actor, Action.MANAGE_TASKS)
    if not isinstance(to_day, date) or to_day <= from_day:
        raise ValidationError(f"to_day: {to_day} is not after {from_day}.")
    if not beat_ids:
        raise ValidationError("beat_ids: choose at least one beat.")
    with session_scope(engine) as session:
        for beat_id in beat_ids:
            rules.require_beat(session, actor, rules.beat_of(session, beat_id))
        t = Task
        carried = select(t.carried_from_task_id).where(t.carried_from_task_id.is_not(None))
        rows = session.execute(
            select(t).where(t.duty_date == from_day, t.beat_id.in_(beat_ids),
                            t.status.in_([TaskStatus.OPEN, TaskStatus.IN_PROGRESS]), t.id.not_in(carried))
            .order_by(t.priority, t.window_start, t.id)
        ).scalars().all()
        on_duty = set(session.execute(select(DutyRecord.officer_id).where(DutyRecord.duty_date == to_day)).scalars())
        shift = to_day - from_day
        outcome = f"carried over to {to_day.isoformat()}"
        pairs = []
        for row in rows:
            start = _same_local_time(row.window_start, shift)
            data = replace(
                TaskInput.of(row), duty_date=to_day, window_start=start,
                window_end=start + (row.window_end - row.window_start),
                officer_id=row.officer_id if row.officer_id in on_duty else None,
            )
            old_id, old = row.id, {"status": TaskStatus(row.status).value, "outcome": row.outcome}
            new_id = _add(session, actor, data, carried_from_task_id=old_id, action="carry_over_task")
            _bump(session, old_id, row.version, {"status": TaskStatus.NOT_DONE, "outcome": outcome, "updated_at": utcnow()})
            audit.record(session, actor, "set_task_status", ENTITY, old_id, old=old,
                         new={"status": TaskStatus.NOT_DONE.value, "outcome": outcome})
            pairs.append((old_id, new_id))
        return pairs


# ---- helpers ------------------------------------------------------------------------------------


def _add(session: Session, actor: Actor, data: TaskInput, action: str = "create_task", **extra) -> int:
    columns = _columns(data)
    row = Task(**columns, created_by=actor.label, changed=change_stamp(session), **extra)
    session.add(row)
    session.flush()
    audit.record(session, actor, action, ENTITY, row.id, **_plain(columns), **extra)
    return row.id


def _columns(data: TaskInput) -> dict:
    return {**data.columns(), "priority": assess(data.thrv).level}


def _current(session: Session, actor: Actor, task_id: int, expected_version: int | None) -> Task:
    """The task to change, if it exists, is on a beat the actor directs and is as they last saw it."""
    row = session.get(Task, task_id)
    if row is None:
        raise ValidationError(f"task: no task has id {task_id}.")
    rules.require_beat(session, actor, rules.beat_of(session, row.beat_id))
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_stale(task_id))
    return row


def _assign(session: Session, actor: Actor, row: Task, officer_id: int | None) -> int:
    if officer_id is not None:
        rules.check_assignee(session, actor, officer_id, row.type, row.duty_date)
    if row.officer_id == officer_id:
        return row.version
    old = row.officer_id
    version = _bump(session, row.id, row.version, {"officer_id": officer_id, "updated_at": utcnow()})
    audit.record(session, actor, "assign_task", ENTITY, row.id, old={"officer_id": old}, new={"officer_id": officer_id})
    return version


def _may_update_status(session: Session, actor: Actor, row: Task) -> None:
    try:
        rules.require_beat(session, actor, rules.beat_of(session, row.beat_id))
        return
    except PermissionDenied:
        pass
    require(actor, Action.UPDATE_OWN_TASK)
    if actor.officer_id is None or actor.officer_id != row.officer_id:
        raise PermissionDenied(
            f"{actor.label} ({actor.role}) may {Action.UPDATE_OWN_TASK}, and task #{row.id} is not theirs."
        )


def _bump(session: Session, task_id: int, expected: int, values: dict) -> int:
    """Write ``values`` and the next version, only if nobody else has written in between."""
    done = session.execute(
        update(Task).where(Task.id == task_id, Task.version == expected)
        .values(**values, version=expected + 1, changed=change_stamp(session)).execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise Conflict(_stale(task_id))
    row = session.get(Task, task_id)
    if row is not None:
        session.expire(row)
    return expected + 1


def _stale(task_id: int) -> str:
    return f"task #{task_id} was changed by someone else since you opened it: reopen it to see their change."


def _same_local_time(moment: datetime, shift: timedelta) -> datetime:
    local = moment.astimezone(rules.LONDON)
    moved = datetime.combine(local.date() + shift, local.time(), tzinfo=rules.LONDON)
    return moved.astimezone(UTC)


def _clock(minutes: int) -> time:
    return time(*divmod(minutes, 60))


def _plain(values: dict) -> dict:
    """JSON-ready values: enums by value, dates and times in ISO form."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "value", v)) for k, v in values.items()}
