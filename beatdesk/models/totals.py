"""Per-officer, per-beat, per-day totals of live activity entries, kept in step by every write.

Scoring reads these instead of scanning raw entries. ``day`` is the Europe/London calendar day of
``occurred_at``, so a late-shift arrest at 23:30 BST counts on the day the officer worked it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Enum, UniqueConstraint
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
import beatdesk.models.people  # noqa: F401
from beatdesk.models.enums import ActivityKind
from beatdesk.models.types import enum_values


class DailyTotal(SQLModel, table=True):
    __tablename__ = "daily_total"
    __table_args__ = (UniqueConstraint("officer_id", "beat_id", "day", "kind", name="uq_daily_total"),)

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id")
    beat_id: int = Field(foreign_key="beat.id", index=True)
    day: date = Field(index=True)
    kind: ActivityKind = Field(
        sa_column=Column(Enum(ActivityKind, native_enum=False, length=20, values_callable=enum_values), nullable=False)
    )
    count: int = Field(default=0, description="sum of the entries' counts")
    minutes: int = Field(default=0, description="sum of the entries' minutes")
    entries: int = Field(default=0, description="number of live entries")
