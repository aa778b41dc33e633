"""What callers hand to the activity services and what they get back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from beatdesk.models import ActivityEntry, ActivityKind, IntelSource

EDITABLE = frozenset(
    {"kind", "occurred_at", "count", "minutes", "beat_id", "reference", "note", "intel_source", "outcome_linked",
     "point", "duty_id", "task_id"}
)


@dataclass(frozen=True)
class EntryInput:
    """One entry as typed in the form. ``beat_id`` defaults to the officer's beat; ``point`` is (E, N)."""

    officer_id: int
    kind: ActivityKind
    occurred_at: datetime
    count: int = 1
    minutes: int | None = None
    beat_id: int | None = None
    reference: str | None = None
    note: str = ""
    intel_source: IntelSource | None = None
    outcome_linked: bool | None = None
    point: tuple[float, float] | None = None
    duty_id: int | None = None
    task_id: int | None = None  # the task the entry is logged against, if any

    @classmethod
    def of(cls, row: ActivityEntry) -> EntryInput:
        """The input that would store ``row`` as it is, to apply an edit's changes to."""
        point = None if row.point_easting is None else (row.point_easting, row.point_northing)
        return cls(
            row.officer_id, ActivityKind(row.kind), row.occurred_at, row.count, row.minutes, row.beat_id,
            row.reference, row.note, row.intel_source, row.outcome_linked, point, row.duty_id,
            row.task_id,
        )

    def columns(self) -> dict:
        """The entry's column values (beat and duty as resolved by validation)."""
        east, north = self.point if self.point else (None, None)
        return {
            "officer_id": self.officer_id, "kind": ActivityKind(self.kind), "occurred_at": self.occurred_at,
            "count": self.count, "minutes": self.minutes, "beat_id": self.beat_id, "reference": self.reference,
            "note": self.note, "intel_source": self.intel_source, "outcome_linked": self.outcome_linked,
            "point_easting": east, "point_northing": north, "duty_id": self.duty_id,
            "task_id": self.task_id,
        }


@dataclass(frozen=True)
class LoggedEntry:
    """A stored entry: its id, its version now, and warnings the form should show (not refusals)."""

    entry_id: int
    version: int
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class HistoryItem:
    """One change to an entry: who, when, what it was and what it became."""

    at: datetime
    actor: str
    change: str
    old_values: dict
    new_values: dict
    reason: str
