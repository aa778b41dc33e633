"""Who is acting. Every service call carries one, so permissions can be enforced in the services."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

ADMINISTRATOR = "Administrator"


@dataclass(frozen=True)
class Actor:
    label: str
    role: str
    officer_id: int | None = None

    @classmethod
    def administrator(cls, label: str = "admin") -> Actor:
        return cls(label=label, role=ADMINISTRATOR)

    @classmethod
    def local_user(cls) -> Actor:
        """Whoever runs BeatDesk on this machine. Until sign-in exists, they administer it."""
        try:
            user = getpass.getuser()
        except Exception:  # no login name in some containers and services
            user = "local"
        return cls.administrator(user)

    @property
    def is_administrator(self) -> bool:
        return self.role == ADMINISTRATOR
