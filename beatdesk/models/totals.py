"""Derived totals kept in step by every write, so scoring never scans raw entries or duties.

``daily_total``: per officer, beat, day, kind, and the two fields criteria filter on (a stop-search's
linked outcome, an intelligence report's source). ``duty_total``: duty minutes per officer, beat worked
and day. ``day`` is the Europe/London calendar day, so a late-shift arrest at 23:30 BST counts on the
day the officer worked it.

Every row written carries ``changed``: the value of the ``change_clock`` its transaction took, so a
reader holding totals in memory fetches only the rows changed since it last looked. Rows are never
deleted (a total that falls to zero stays, as zero), else a reader could not see it go. Bulk rebuilds
bump the clock's ``generation`` instead: readers then reload everything.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Column, Enum, String, UniqueConstraint
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
import beatdesk.models.people  # noqa: F401
from beatdesk.models.enums import ActivityKind
from beatdesk.models.types import enum_values


class DailyTotal(SQLModel, table=True):
    __tablename__ = "daily_total"
    __table_args__ = (
        UniqueConstraint("officer_id", "beat_id", "day", "kind", "outcome_linked", "intel_source", name="uq_daily_total"),
    )

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
    outcome_linked: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default="0"),
        description="stop-searches whose outcome was linked to the object of the search",
    )
    intel_source: str = Field(
        default="", sa_column=Column(String(20), nullable=False, server_default=""),
        description="an intelligence report's source; empty for every other kind",
    )
    changed: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0", index=True))


class DutyTotal(SQLModel, table=True):
    """Duty minutes per officer, beat worked (0: none, as for sector-wide supervisors) and London day."""

    __tablename__ = "duty_total"
    __table_args__ = (UniqueConstraint("officer_id", "beat_id", "day", name="uq_duty_total"),)

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id")
    beat_id: int = Field(default=0, description="the beat worked; 0 for none (no foreign key for that reason)")
    day: date = Field(index=True)
    minutes: int = Field(default=0, description="whole minutes on duty")
    outside: int = Field(default=0, description="minutes outside the station recorded")
    outside_base: int = Field(default=0, description="duty minutes of the duties with time outside recorded")
    duties: int = Field(default=0)
    changed: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0", index=True))
