"""Activity entries: one row per logged item of beat work, for the Blueprint measures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
import beatdesk.models.people  # noqa: F401
import beatdesk.models.tasks  # noqa: F401
from beatdesk.models.enums import ActivityKind, IntelSource
from beatdesk.models.types import UTCDateTime, enum_values, utcnow


class ActivityEntry(SQLModel, table=True):
    """What an officer did on a beat at a time. Holds references and counts, never personal details.

    ``count`` counts items (arrests, engagement returns); ``minutes`` measures time (time in a
    dedicated place). ``outcome_linked`` marks a stop-search as positive: its outcome was linked to
    the object of the search. ``intel_source`` is set for intelligence reports only.
    """

    __tablename__ = "activity_entry"
    __table_args__ = (
        CheckConstraint("count >= 0", name="ck_activity_count"),
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="ck_activity_minutes"),
        CheckConstraint(
            "(kind = 'intelligence') = (intel_source IS NOT NULL)", name="ck_activity_intel_source"
        ),
        Index("ix_activity_officer_time", "officer_id", "occurred_at"),
        Index("ix_activity_beat_time", "beat_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ActivityKind = Field(
        sa_column=Column(Enum(ActivityKind, native_enum=False, length=20, values_callable=enum_values), nullable=False)
    )
    count: int = 1
    minutes: int | None = None
    officer_id: int = Field(foreign_key="officer.id")
    beat_id: int = Field(foreign_key="beat.id")
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reference: str | None = Field(default=None, max_length=40, index=True)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    point_easting: float | None = None
    point_northing: float | None = None
    intel_source: IntelSource | None = Field(
        default=None, sa_column=Column(Enum(IntelSource, native_enum=False, length=20, values_callable=enum_values), nullable=True)
    )
    outcome_linked: bool | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    duty_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("duty_record.id", name="fk_activity_entry_duty"), nullable=True, index=True),
    )
    # The task the entry was logged against, if any (same officer, beat and duty day as the task).
    task_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("task.id", name="fk_activity_entry_task"), nullable=True, index=True),
    )
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    # Soft delete: a deleted entry stays, with who deleted it, when and why; totals leave it out.
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    deleted_by: str | None = Field(default=None, max_length=120)
    deleted_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ActivityRevision(SQLModel, table=True):
    """One change to an activity entry (edit, delete, restore) with the values before and after, as JSON."""

    __tablename__ = "activity_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="activity_entry.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    actor: str = Field(max_length=120)
    change: str = Field(max_length=10, description="edit, delete or restore")
    old_values: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    new_values: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
