"""SQLModel tables. Knows nothing of services or Qt.

Names are loaded on first use (PEP 562): building a table class costs about half a millisecond a
column, and start-up needs only the force, its people and places, not activity, tasks or totals.
Each module imports the modules of the tables its foreign keys name, so a table never refers to one
that is not registered. Whoever needs every table on ``SQLModel.metadata`` (migrations, schema
comparisons, backups) calls :func:`load_all`.
"""

from __future__ import annotations

import importlib

_HOME = {
    "Account": "accounts",
    "ActivityEntry": "activity",
    "ActivityRevision": "activity",
    "AuditEntry": "audit",
    "AuditHead": "audit",
    "ActivityKind": "enums",
    "IntelSource": "enums",
    "Role": "enums",
    "Beat": "force",
    "Lpa": "force",
    "Sector": "force",
    "Ward": "force",
    "Meta": "meta",
    "BeatSergeant": "people",
    "DutyRecord": "people",
    "Officer": "people",
    "Place": "places",
    "PlaceKind": "places",
    "Target": "targets",
    "Task": "tasks",
    "TaskStatus": "tasks",
    "TaskTemplate": "tasks",
    "TaskType": "tasks",
    "ChangeClock": "clock",
    "DailyTotal": "totals",
    "DutyTotal": "totals",
    "UTCDateTime": "types",
    "utcnow": "types",
}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'beatdesk.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"beatdesk.models.{module}"), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


def load_all() -> None:
    """Register every table on ``SQLModel.metadata``."""
    for module in sorted(set(_HOME.values())):
        importlib.import_module(f"beatdesk.models.{module}")
