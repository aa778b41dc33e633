"""Sign-in accounts: who may use BeatDesk, in which role, as which officer.

Passwords are kept only as argon2 hashes. Failed attempts are counted per account so that further
tries are slowed (see ``beatdesk.services.accounts``); a successful sign-in clears the count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

import beatdesk.models.people  # noqa: F401  (registers the tables its foreign keys name)
from beatdesk.models.types import UTCDateTime, utcnow


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=60, description="what is typed to sign in, lower case")
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=40, description="Administrator, or a Role value")
    officer_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("officer.id", name="fk_account_officer"), nullable=True, index=True),
    )
    password_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    failed_attempts: int = Field(default=0)
    last_failed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    last_sign_in_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    created_by: str = Field(max_length=120)
    version: int = Field(default=1)
