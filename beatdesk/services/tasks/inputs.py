"""What callers hand to the task services and what they get back."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time

from beatdesk.models import Task, TaskStatus, TaskType
from beatdesk.services.tasks.priority import THRV, Assessment


@dataclass(frozen=True)
class TaskInput:
    """One task as typed. ``place_id`` or ``point`` (easting, northing in EPSG:27700), or neither;
    ``window_start``/``window_end`` aware datetimes; ``officer_id`` the assignee (None: unassigned)."""

    type: TaskType | str
    beat_id: int
    duty_date: date
    window_start: datetime
    window_end: datetime
    threat: int
    harm: int
    risk: int
    vulnerability: int
    instruction: str
    place_id: int | None = None
    point: tuple[float, float] | None = None
    local_priority: str = ""
    officer_id: int | None = None

    @property
    def thrv(self) -> THRV:
        return THRV(self.threat, self.harm, self.risk, self.vulnerability)

    @classmethod
    def of(cls, row: Task) -> TaskInput:
        """The input that would store ``row`` as it is, to apply an edit's changes to."""
        point = None if row.point_easting is None else (row.point_easting, row.point_northing)
        return cls(
            TaskType(row.type), row.beat_id, row.duty_date, row.window_start, row.window_end, row.threat, row.harm,
            row.risk, row.vulnerability, row.instruction, row.place_id, point, row.local_priority, row.officer_id,
        )

    def columns(self) -> dict:
        east, north = self.point if self.point else (None, None)
        return {
            "type": TaskType(self.type), "beat_id": self.beat_id, "place_id": self.place_id,
            "point_easting": east, "point_northing": north, "duty_date": self.duty_date,
            "window_start": self.window_start, "window_end": self.window_end, "threat": self.threat,
            "harm": self.harm, "risk": self.risk, "vulnerability": self.vulnerability,
            "instruction": self.instruction, "local_priority": self.local_priority, "officer_id": self.officer_id,
        }


# update_task changes these; who does the task changes through assign, its status through set_status
EDITABLE = frozenset(f.name for f in fields(TaskInput)) - {"officer_id"}


@dataclass(frozen=True)
class TemplateInput:
    """A task template. ``window_start``/``window_end`` are local (Europe/London) times of day, a
    ``time`` or "HH:MM"; an end before the start runs past midnight."""

    name: str
    type: TaskType | str
    threat: int
    harm: int
    risk: int
    vulnerability: int
    instruction: str
    window_start: time | str
    window_end: time | str
    beat_id: int | None = None
    place_id: int | None = None

    @property
    def thrv(self) -> THRV:
        return THRV(self.threat, self.harm, self.risk, self.vulnerability)


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    type: TaskType
    threat: int
    harm: int
    risk: int
    vulnerability: int
    instruction: str
    window_start: time
    window_end: time
    beat_id: int | None
    place_id: int | None


@dataclass(frozen=True)
class TaskView:
    """A task as the board shows it; ``carried_in`` flags a task continued from an earlier day."""

    id: int
    version: int
    type: TaskType
    beat_id: int
    beat_code: str
    place_id: int | None
    place_name: str | None
    point: tuple[float, float] | None
    duty_date: date
    window_start: datetime
    window_end: datetime
    priority: Assessment
    instruction: str
    local_priority: str
    officer_id: int | None
    status: TaskStatus
    outcome: str
    carried_from_task_id: int | None
    thrv: THRV | None = None  # the four scores the priority comes from

    @property
    def carried_in(self) -> bool:
        return self.carried_from_task_id is not None

    def as_input(self) -> TaskInput:
        """What the task holds now, to compare an edit with (``thrv`` must have been read)."""
        t = self.thrv
        return TaskInput(
            self.type, self.beat_id, self.duty_date, self.window_start, self.window_end, t.threat, t.harm, t.risk,
            t.vulnerability, self.instruction, self.place_id, self.point, self.local_priority, self.officer_id,
        )


@dataclass(frozen=True)
class Duty:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PersonTasks:
    """One person on the board: their duties that day (none when tasked but not on duty) and tasks."""

    officer_id: int
    collar_number: str
    name: str
    role: str
    beat_id: int | None
    duties: tuple[Duty, ...]
    tasks: list[TaskView] = field(default_factory=list)

    @property
    def on_duty(self) -> bool:
        return bool(self.duties)


@dataclass(frozen=True)
class Board:
    day: date
    beat_ids: tuple[int, ...]
    people: list[PersonTasks]
    unassigned: list[TaskView]
    carried_in: list[TaskView]
