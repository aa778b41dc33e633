"""The audit trail: one row appended by every write, in the write's own transaction.

The rows form a hash chain: each carries its place in the trail (``seq``, 1, 2, 3 … without gaps)
and a SHA-256 over its own content and the previous row's hash, so an edited, removed or inserted row
breaks the chain at that point (``beatdesk audit verify``). ``audit_head`` holds the newest ``seq``
and hash: appending locks that one row, which puts concurrent writers in a line instead of letting
two of them chain onto the same predecessor, and it shows when rows were cut off the end. Database
triggers refuse UPDATE and DELETE on ``audit_entry`` (migration 0009).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from beatdesk.models.types import UTCDateTime, utcnow

GENESIS = "0" * 64  # the "previous hash" of the first row


def chain_hash(seq: int, at: datetime, actor: str, action: str, entity: str, entity_id: str, detail: str,
               prev_hash: str) -> str:
    """The hash of one audit row. Its inputs and their layout are fixed for good: changing them would
    make every trail already written look tampered with."""
    fields = (str(seq), at.astimezone(UTC).isoformat(timespec="microseconds"), actor, action, entity,
              entity_id, detail, prev_hash)
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, description="place in the trail: 1, 2, 3 … without gaps")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor: str = Field(max_length=120, description="who acted: collar number or account name")
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=40)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The one row saying where the trail ends."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0)
    hash: str = Field(default=GENESIS, max_length=64)
