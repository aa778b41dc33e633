"""SQLModel tables. Knows nothing of services or Qt."""

from beatdesk.models.activity import ActivityEntry, ActivityRevision
from beatdesk.models.audit import AuditEntry
from beatdesk.models.enums import ActivityKind, IntelSource, Role
from beatdesk.models.force import Beat, Lpa, Sector, Ward
from beatdesk.models.meta import Meta
from beatdesk.models.people import BeatSergeant, DutyRecord, Officer
from beatdesk.models.places import Place, PlaceKind
from beatdesk.models.targets import Target
from beatdesk.models.tasks import Task, TaskStatus, TaskTemplate, TaskType
from beatdesk.models.totals import DailyTotal
from beatdesk.models.types import UTCDateTime, utcnow

__all__ = [
    "ActivityEntry",
    "ActivityKind",
    "ActivityRevision",
    "AuditEntry",
    "Beat",
    "BeatSergeant",
    "DailyTotal",
    "DutyRecord",
    "IntelSource",
    "Lpa",
    "Meta",
    "Officer",
    "Place",
    "PlaceKind",
    "Role",
    "Sector",
    "Target",
    "Task",
    "TaskStatus",
    "TaskTemplate",
    "TaskType",
    "UTCDateTime",
    "Ward",
    "utcnow",
]
