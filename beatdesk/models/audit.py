"""The audit trail: one row appended by every write, in the write's own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from beatdesk.models.types import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor: str = Field(max_length=120, description="who acted: collar number or account name")
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=40)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
