"""Daily tasking: tasks that direct beat work, and templates to create common ones quickly.

A task is for one Europe/London duty day on one beat, at a place on that beat or a map point
(British National Grid), in a time window (UTC) within or spanning that day. Its priority (1 = P1 ...
4 = P4) is derived from its threat, harm, risk and vulnerability scores (1-5) and kept in step by the
services. A task carried over to the next duty day is a new task linked to the one it continues.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, Enum, Integer, Text
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
import beatdesk.models.people  # noqa: F401
import beatdesk.models.places  # noqa: F401
from beatdesk.models.types import UTCDateTime, enum_values, utcnow


class TaskType(StrEnum):
    HOTSPOT_PATROL = "hotspot patrol"
    COCOONING_VISIT = "cocooning visit"
    WARRANT = "warrant"
    ENGAGEMENT_EVENT = "engagement event"
    PPN_FOLLOW_UP = "PPN follow-up"
    PROBLEM_SOLVING = "problem-solving action"
    WATCH_SCHEME_VISIT = "watch-scheme visit"
    INTELLIGENCE = "intelligence development"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    NOT_DONE = "not done"

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.DONE, TaskStatus.NOT_DONE)


_THRV = ("threat", "harm", "risk", "vulnerability")


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        *(CheckConstraint(f"{s} >= 1 AND {s} <= 5", name=f"ck_task_{s}") for s in _THRV),
        CheckConstraint("priority >= 1 AND priority <= 4", name="ck_task_priority"),
        CheckConstraint("window_end > window_start", name="ck_task_window"),
        CheckConstraint("(point_easting IS NULL) = (point_northing IS NULL)", name="ck_task_point_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: TaskType = Field(
        sa_column=Column(Enum(TaskType, native_enum=False, length=30, values_callable=enum_values), nullable=False)
    )
    beat_id: int = Field(foreign_key="beat.id", index=True)
    place_id: int | None = Field(default=None, foreign_key="place.id")
    point_easting: float | None = None
    point_northing: float | None = None
    duty_date: date = Field(index=True, description="the Europe/London day the task is for")
    window_start: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    window_end: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    threat: int
    harm: int
    risk: int
    vulnerability: int
    priority: int = Field(description="1 = P1 (highest) ... 4 = P4, derived from the four scores")
    instruction: str = Field(max_length=500)
    local_priority: str = Field(default="", max_length=200)
    officer_id: int | None = Field(default=None, foreign_key="officer.id", index=True, description="assignee")
    status: TaskStatus = Field(
        default=TaskStatus.OPEN,
        sa_column=Column(Enum(TaskStatus, native_enum=False, length=20, values_callable=enum_values), nullable=False),
    )
    outcome: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    carried_from_task_id: int | None = Field(default=None, foreign_key="task.id", unique=True)
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    changed: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0", index=True),
        description="the change_clock stamp of the last write (see models/totals.py)",
    )


class TaskTemplate(SQLModel, table=True):
    """A common task ready to create: its type, scores, instruction and window in local times of day.

    ``window_start``/``window_end`` are minutes after midnight, Europe/London; an end before the start
    runs past midnight into the next day.
    """

    __tablename__ = "task_template"
    __table_args__ = (
        *(CheckConstraint(f"{s} >= 1 AND {s} <= 5", name=f"ck_task_template_{s}") for s in _THRV),
        CheckConstraint(
            "window_start >= 0 AND window_start < 1440 AND window_end >= 0 AND window_end < 1440 "
            "AND window_start != window_end",
            name="ck_task_template_window",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    type: TaskType = Field(
        sa_column=Column(Enum(TaskType, native_enum=False, length=30, values_callable=enum_values), nullable=False)
    )
    threat: int
    harm: int
    risk: int
    vulnerability: int
    instruction: str = Field(max_length=500)
    window_start: int
    window_end: int
    beat_id: int | None = Field(default=None, foreign_key="beat.id")
    place_id: int | None = Field(default=None, foreign_key="place.id")
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
