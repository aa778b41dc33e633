"""Who is acting. Every service call carries one, so permissions can be enforced in the services."""

from __future__ import annotations

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

    @property
    def is_administrator(self) -> bool:
        return self.role == ADMINISTRATOR
