"""The tasking board for a day and a team: who is on duty, each person's tasks, unassigned tasks.

Who is on duty comes from duty records: officers posted to the chosen beats with a duty whose
(Europe/London) duty date is the day. A task given to someone not on duty still shows, under them,
so nothing is silently dropped. Tasks are ordered by priority (P1 first), then window, then id;
tasks carried in from an earlier day are flagged and also listed together. ``task_view`` reads one
task the same way, and ``local_priorities`` the local priorities already used on a beat.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.models import Beat, DutyRecord, Officer, Place, Task, TaskStatus, TaskType
from beatdesk.services import scope
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.tasks.inputs import Board, Duty, PersonTasks, TaskView
from beatdesk.services.tasks.priority import THRV, assess


def board(session: Session, actor: Actor, day: date, beat_ids: list[int]) -> Board:
    """Who is on duty on ``beat_ids`` on ``day`` and their tasks; only beats the actor works or directs."""
    require(actor, Action.VIEW_FORCE)
    beats = tuple(dict.fromkeys(beat_ids))
    mine = scope.reach(session, actor)
    hidden = [b for b in beats if not mine.reads_beat(b)]
    if hidden:
        codes = ", ".join(session.scalars(select(Beat.code).where(Beat.id.in_(hidden)).order_by(Beat.code)))
        raise PermissionDenied(f"{actor.label} ({actor.role}) may see the boards of the beats they work or "
                               f"direct, not {codes or hidden}.")
    d, o = DutyRecord, Officer
    duties = session.execute(
        select(o, d.start, d.end).join(d, d.officer_id == o.id)
        .where(d.duty_date == day, o.beat_id.in_(beats)).order_by(d.start, o.collar_number)
    ).all()
    tasks = _tasks(session, day, beats)
    people: dict[int, PersonTasks] = {}
    for officer, start, end in duties:
        person = people.get(officer.id) or _person(officer, ())
        people[officer.id] = _with_duty(person, Duty(start, end))
    assignees = {t.officer_id for t in tasks if t.officer_id is not None} - set(people)
    if assignees:
        for officer in session.execute(select(o).where(o.id.in_(assignees))).scalars():
            people[officer.id] = _person(officer, ())
    unassigned = []
    for task in tasks:
        (people[task.officer_id].tasks if task.officer_id is not None else unassigned).append(task)
    ordered = sorted(people.values(), key=lambda p: (not p.on_duty, p.collar_number))
    return Board(day, beats, ordered, unassigned, [t for t in tasks if t.carried_in])


def _tasks(session: Session, day: date, beats: tuple[int, ...]) -> list[TaskView]:
    t = Task
    return _views(session, (t.duty_date == day, t.beat_id.in_(beats)))


def task_view(session: Session, actor: Actor, task_id: int) -> TaskView:
    """One task as the board shows it, read afresh (to edit it, or to reload it after a conflict)."""
    require(actor, Action.VIEW_FORCE)
    found = _views(session, (Task.id == task_id,))
    if not found:
        raise ValidationError(f"task: no task has id {task_id}.")
    return found[0]


def local_priorities(session: Session, actor: Actor, beat_id: int) -> list[str]:
    """The local priorities tasks on a beat have been linked to, most used first, to offer again."""
    require(actor, Action.VIEW_FORCE)
    t = Task
    rows = session.execute(
        select(t.local_priority, func.count()).where(t.beat_id == beat_id, t.local_priority != "")
        .group_by(t.local_priority).order_by(func.count().desc(), t.local_priority)
    ).all()
    return [text for text, _ in rows]


def _views(session: Session, where: tuple) -> list[TaskView]:
    t = Task
    rows = session.execute(
        select(t, Beat.code, Place.name).join(Beat, Beat.id == t.beat_id).outerjoin(Place, Place.id == t.place_id)
        .where(*where).order_by(t.priority, t.window_start, t.id)
    ).all()
    return [
        TaskView(
            id=r.id, version=r.version, type=TaskType(r.type), beat_id=r.beat_id, beat_code=code, place_id=r.place_id,
            place_name=place, point=None if r.point_easting is None else (r.point_easting, r.point_northing),
            duty_date=r.duty_date, window_start=r.window_start, window_end=r.window_end,
            priority=assess((r.threat, r.harm, r.risk, r.vulnerability)), instruction=r.instruction,
            local_priority=r.local_priority, officer_id=r.officer_id, status=TaskStatus(r.status), outcome=r.outcome,
            carried_from_task_id=r.carried_from_task_id, thrv=THRV(r.threat, r.harm, r.risk, r.vulnerability),
        )
        for r, code, place in rows
    ]


def _person(officer: Officer, duties: tuple[Duty, ...]) -> PersonTasks:
    return PersonTasks(officer.id, officer.collar_number, officer.name, str(getattr(officer.role, "value", officer.role)),
                       officer.beat_id, duties, [])


def _with_duty(person: PersonTasks, duty: Duty) -> PersonTasks:
    return PersonTasks(person.officer_id, person.collar_number, person.name, person.role, person.beat_id,
                       person.duties + (duty,), person.tasks)
