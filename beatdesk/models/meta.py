"""Small facts about the database itself: demo or real, where the ward boundaries came from."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(default="", max_length=2000)


DEMO_SEED = "demo_seed"
DEMO_GENERATED_AT = "demo_generated_at"
WARDS_SOURCE = "wards_source"
WARDS_IMPORTED_AT = "wards_imported_at"
