"""My day: one officer's or PCSO's duty and tasks for a day, with each task's place and the entries
logged against it. Qt-free, read-only; writes go through ``services.tasks`` and ``services.activity``.

Tasks are ordered by window start, then priority (P1 first), then id. The officer may see their own
day; sergeants, inspectors and administrators anyone's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlmodel import Session

from beatdesk.models import ActivityEntry, ActivityKind, Beat, DutyRecord, Officer, Place, Task, TaskStatus, TaskType
from beatdesk.models.places import PlaceKind
from beatdesk.services import scope
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.places import PlaceView
from beatdesk.services.tasks.inputs import Duty
from beatdesk.services.tasks.priority import Assessment, assess


@dataclass(frozen=True)
class TaskEntry:
    """An activity entry logged against a task (live entries only)."""

    id: int
    version: int
    kind: ActivityKind
    count: int
    minutes: int | None
    reference: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class MyTask:
    """A task as My day shows it. ``geometry`` is the place's, or the task's map point, or None."""

    id: int
    version: int
    type: TaskType
    beat_id: int
    beat_code: str
    beat_name: str
    place_id: int | None
    place_name: str | None
    place_kind: PlaceKind | None
    geometry: BaseGeometry | None
    window_start: datetime
    window_end: datetime
    priority: Assessment
    instruction: str
    status: TaskStatus
    outcome: str
    entries: tuple[TaskEntry, ...] = ()

    @property
    def where(self) -> str:
        """The place's name, the map point as grid coordinates, or the beat."""
        if self.place_name:
            return self.place_name
        if self.geometry is not None:
            return f"E {self.geometry.x:.0f} N {self.geometry.y:.0f}"
        return f"Beat {self.beat_code}"

    def map_place(self) -> PlaceView | None:
        """The task's place as the map's places layer draws it (a map point drawn as a hotspot)."""
        if self.geometry is None:
            return None
        return PlaceView(
            id=self.place_id or -self.id, version=0, beat_code=self.beat_code, beat_name=self.beat_name,
            name=self.where, kind=self.place_kind or PlaceKind.HOTSPOT, geometry=self.geometry, peak_text="",
            note=f"Task #{self.id}: {self.type.label} ({self.priority.label})",
        )


@dataclass(frozen=True)
class MyDay:
    officer_id: int
    collar_number: str
    name: str
    role: str
    beat_id: int | None
    day: date
    duty: Duty | None
    tasks: list[MyTask] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Tasks in all, by status (every status present, zero when none) and entries logged against them."""
        by_status = Counter(t.status for t in self.tasks)
        return {"tasks": len(self.tasks), **{s.value: by_status[s] for s in TaskStatus},
                "entries": sum(len(t.entries) for t in self.tasks)}

    def places(self) -> list[PlaceView]:
        """Each task's place once, for the map."""
        seen: dict[tuple, PlaceView] = {}
        for task in self.tasks:
            view = task.map_place()
            if view is not None:
                seen.setdefault((view.id, view.geometry.wkb), view)
        return list(seen.values())


def my_day(session: Session, actor: Actor, officer_id: int, day: date) -> MyDay:
    """The officer's duty on ``day`` (the first, if several), their tasks and what was logged against each."""
    require(actor, Action.VIEW_FORCE)
    if not scope.reach(session, actor).has_officer(officer_id):
        raise PermissionDenied(f"{actor.label} ({actor.role}) may see only their own day, or as a supervisor "
                               f"their team's, not officer #{officer_id}'s.")
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise ValidationError(f"officer: no officer has id {officer_id}.")
    d = DutyRecord
    duty = session.execute(
        select(d.start, d.end).where(d.officer_id == officer_id, d.duty_date == day).order_by(d.start).limit(1)
    ).first()
    t = Task
    rows = session.execute(
        select(t, Beat.code, Beat.name, Place).join(Beat, Beat.id == t.beat_id).outerjoin(Place, Place.id == t.place_id)
        .where(t.officer_id == officer_id, t.duty_date == day).order_by(t.window_start, t.priority, t.id)
    ).all()
    entries = _entries(session, [r[0].id for r in rows])
    tasks = [_task(r, code, beat_name, place, entries.get(r.id, ())) for r, code, beat_name, place in rows]
    return MyDay(
        officer.id, officer.collar_number, officer.name, str(getattr(officer.role, "value", officer.role)),
        officer.beat_id, day, Duty(duty.start, duty.end) if duty else None, tasks,
    )


def _entries(session: Session, task_ids: list[int]) -> dict[int, tuple[TaskEntry, ...]]:
    if not task_ids:
        return {}
    e = ActivityEntry
    found: dict[int, list[TaskEntry]] = {}
    for row in session.execute(
        select(e).where(e.task_id.in_(task_ids), e.deleted_at.is_(None)).order_by(e.occurred_at, e.id)
    ).scalars():
        found.setdefault(row.task_id, []).append(
            TaskEntry(row.id, row.version, ActivityKind(row.kind), row.count, row.minutes, row.reference, row.occurred_at)
        )
    return {k: tuple(v) for k, v in found.items()}


def _task(row: Task, code: str, beat_name: str, place: Place | None, entries: tuple[TaskEntry, ...]) -> MyTask:
    if place is not None:
        geometry = shapely.from_wkb(place.geometry_wkb)
    elif row.point_easting is not None:
        geometry = Point(row.point_easting, row.point_northing)
    else:
        geometry = None
    return MyTask(
        id=row.id, version=row.version, type=TaskType(row.type), beat_id=row.beat_id, beat_code=code,
        beat_name=beat_name, place_id=row.place_id, place_name=place.name if place else None,
        place_kind=PlaceKind(place.kind) if place else None, geometry=geometry, window_start=row.window_start,
        window_end=row.window_end, priority=assess((row.threat, row.harm, row.risk, row.vulnerability)),
        instruction=row.instruction, status=TaskStatus(row.status), outcome=row.outcome, entries=entries,
    )
