"""Targets an inspector sets for a Blueprint criterion, per role, effective from a date.

Rows are never changed or deleted: a new target, or a correction, is a new row, so the history of
who set what and when stays. The target in force on a day is the row with the latest
``effective_from`` on or before it, and among rows for the same date the one set last.
``role`` and ``criterion`` are the keys of ``resources/criteria.toml``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Text
from sqlmodel import Field, SQLModel

from beatdesk.models.types import UTCDateTime, utcnow


class Target(SQLModel, table=True):
    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("value > 0", name="ck_target_value"),
        Index("ix_target_lookup", "role", "criterion", "effective_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(max_length=40, description="a [[role]] key of the criteria file, e.g. PCSO")
    criterion: str = Field(max_length=60, description="a criterion key of that role")
    value: float = Field(description="in the criterion's unit (per 100 duty hours, or % of duty time)")
    effective_from: date
    set_by: str = Field(max_length=120)
    set_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
