"""The change clock's table (see ``services/changes.py``): small, and needed by every audited write."""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Column, Integer, event
from sqlmodel import Field, SQLModel


class ChangeClock(SQLModel, table=True):
    """One row: the stamp the last write to derived totals took, and the generation of bulk rebuilds."""

    __tablename__ = "change_clock"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    generation: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))


# the clock's one row exists from the start, as the migration creates it, also for create_all databases
event.listen(
    ChangeClock.__table__, "after_create", DDL("INSERT INTO change_clock (id, value, generation) VALUES (1, 0, 1)")
)
