"""Reading the audit trail for the viewer: filtered, newest first, a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.models import AuditEntry
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require

LONDON = ZoneInfo("Europe/London")
PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    """Each part narrows the trail; empty parts do not. Days are Europe/London calendar days."""

    who: str = ""
    action: str = ""
    entity: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    detail: dict

    @property
    def when(self) -> str:
        return f"{self.at.astimezone(LONDON):%d/%m/%Y %H:%M:%S}"

    @property
    def what(self) -> str:
        return f"{self.entity} #{self.entity_id}" if self.entity_id else self.entity

    @property
    def summary(self) -> str:
        """The detail on one line: key=value pairs, long values shortened."""
        parts = []
        for key, value in self.detail.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
            parts.append(f"{key}={text[:60] + '…' if len(text) > 60 else text}")
        return "; ".join(parts)

    @property
    def detail_text(self) -> str:
        return json.dumps(self.detail, indent=2, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int  # every matching row, the newest included
    more: bool  # older matching rows follow these


def query(session: Session, actor: Actor, where: AuditFilter = AuditFilter(), before: int | None = None,
          limit: int = PAGE) -> AuditPage:
    """Matching rows, newest first; ``before`` (a ``seq``) continues after the last row shown. Paging
    by place in the trail, not by count, so rows written meanwhile neither repeat nor skip a row."""
    require(actor, Action.VIEW_AUDIT)
    if where.since and where.until and where.until < where.since:
        raise ValidationError(f"until: {where.until:%d/%m/%Y} is before {where.since:%d/%m/%Y}.")
    conditions = []
    if where.who.strip():
        conditions.append(func.lower(AuditEntry.actor).contains(where.who.strip().lower(), autoescape=True))
    if where.action:
        conditions.append(AuditEntry.action == where.action)
    if where.entity:
        conditions.append(AuditEntry.entity == where.entity)
    if where.since:
        conditions.append(AuditEntry.at >= _start_of(where.since))
    if where.until:
        conditions.append(AuditEntry.at < _start_of(where.until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    older = [AuditEntry.seq < before] if before is not None else []
    rows = session.scalars(
        select(AuditEntry).where(*conditions, *older).order_by(AuditEntry.seq.desc()).limit(limit + 1)
    ).all()
    return AuditPage(tuple(_row(r) for r in rows[:limit]), total, len(rows) > limit)


def choices(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The actions and the kinds of record in the trail, for the viewer's filter lists."""
    require(actor, Action.VIEW_AUDIT)
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)).all()
    return list(actions), list(entities)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


def _row(entry: AuditEntry) -> AuditRow:
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        detail = {"detail": entry.detail}
    if not isinstance(detail, dict):
        detail = {"detail": detail}
    return AuditRow(entry.seq, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, detail)
