"""Officers and staff of the neighbourhood teams, and their duties."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
from beatdesk.models.enums import Role
from beatdesk.models.types import UTCDateTime, enum_values


class Officer(SQLModel, table=True):
    """A member of a neighbourhood team, posted to one beat or (sergeants, inspectors) a sector."""

    __tablename__ = "officer"
    __table_args__ = (
        CheckConstraint("beat_id IS NOT NULL OR sector_id IS NOT NULL", name="ck_officer_posted"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_officer_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collar_number: str = Field(unique=True, max_length=12)
    name: str = Field(max_length=120)
    role: Role = Field(sa_column=Column(Enum(Role, native_enum=False, length=20, values_callable=enum_values), nullable=False))
    beat_id: int | None = Field(default=None, foreign_key="beat.id", index=True)
    sector_id: int | None = Field(default=None, foreign_key="sector.id", index=True)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    start_date: date
    end_date: date | None = None

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class DutyRecord(SQLModel, table=True):
    """One duty worked: its date, start and end; time outside the station once recorded.

    ``beat_id`` is the beat the officer was posted to when they worked it, so an officer who moves
    beats counts their hours to the beat they worked then (None for sector-wide supervisors).
    """

    __tablename__ = "duty_record"
    __table_args__ = (
        UniqueConstraint("officer_id", "start", name="uq_duty_officer_start"),
        CheckConstraint('"end" > start', name="ck_duty_end_after_start"),
        CheckConstraint("minutes_outside IS NULL OR minutes_outside >= 0", name="ck_duty_outside"),
    )

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    duty_date: date = Field(index=True)
    start: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    end: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    minutes_outside: int | None = Field(default=None, description="time outside the police station")
    beat_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("beat.id", name="fk_duty_record_beat"), nullable=True, index=True),
    )


class BeatSergeant(SQLModel, table=True):
    """Which sergeant directs which beat: one sergeant leads the team of two or three beats.

    A sergeant is posted to one beat (their lead beat) like everyone else; this link says which other
    beats they run the daily tasking for.
    """

    __tablename__ = "beat_sergeant"

    beat_id: int = Field(foreign_key="beat.id", primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", primary_key=True, index=True)
