"""The time a report is read at: given (tests, reprints) or the current hour."""

from __future__ import annotations

from datetime import datetime

from beatdesk.models import utcnow
from beatdesk.services.errors import ValidationError


def report_time(now: datetime | None) -> datetime:
    """``now``, or the current hour as the dashboard reads it (so its cached scores serve the report too)."""
    if now is None:
        return utcnow().replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValidationError(f"now: {now!r} has no time zone.")
    return now
