"""SQLModel tables. Knows nothing of services or Qt."""

from beatdesk.models.activity import ActivityEntry
from beatdesk.models.audit import AuditEntry
from beatdesk.models.enums import ActivityKind, IntelSource, Role
from beatdesk.models.force import Beat, Lpa, Sector, Ward
from beatdesk.models.meta import Meta
from beatdesk.models.people import BeatSergeant, DutyRecord, Officer
from beatdesk.models.types import UTCDateTime, utcnow

__all__ = [
    "ActivityEntry",
    "ActivityKind",
    "AuditEntry",
    "Beat",
    "BeatSergeant",
    "DutyRecord",
    "IntelSource",
    "Lpa",
    "Meta",
    "Officer",
    "Role",
    "Sector",
    "UTCDateTime",
    "Ward",
    "utcnow",
]
