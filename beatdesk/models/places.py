"""Dedicated places: hotspots, high-risk and vulnerable locations on a beat (Operation Predict).

Geometry is a point or a polygon kept as WKB in British National Grid (EPSG:27700). Peak days are a
bit set (bit 0 Monday ... bit 6 Sunday); peak hours are minutes after midnight, and the end may be
before the start when the peak runs past midnight (22:00-03:00). A place is retired, never deleted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Enum, Integer, LargeBinary, Text
from sqlmodel import Field, SQLModel

import beatdesk.models.force  # noqa: F401  (registers the tables its foreign keys name)
from beatdesk.models.types import UTCDateTime, enum_values, utcnow


class PlaceKind(StrEnum):
    HOTSPOT = "hotspot"
    HIGH_RISK = "high-risk location"
    VULNERABLE = "vulnerable location"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


class Place(SQLModel, table=True):
    __tablename__ = "place"
    __table_args__ = (
        CheckConstraint("peak_days >= 0 AND peak_days < 128", name="ck_place_peak_days"),
        CheckConstraint(
            "(peak_start IS NULL) = (peak_end IS NULL)", name="ck_place_peak_pair"
        ),
        CheckConstraint(
            "peak_start IS NULL OR (peak_start >= 0 AND peak_start < 1440 AND peak_end >= 0 AND peak_end < 1440)",
            name="ck_place_peak_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    beat_id: int = Field(foreign_key="beat.id", index=True)
    name: str = Field(max_length=120)
    kind: PlaceKind = Field(
        sa_column=Column(Enum(PlaceKind, native_enum=False, length=20, values_callable=enum_values), nullable=False)
    )
    geometry_wkb: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    peak_days: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    peak_start: int | None = Field(default=None, description="minutes after midnight, Europe/London")
    peak_end: int | None = Field(default=None, description="minutes after midnight; before start if it wraps")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    active: bool = True
    retired_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    retired_by: str | None = Field(default=None, max_length=120)
    retired_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
