"""Targets inspectors set per role and criterion, effective from a date; never overwritten.

A correction is a new row, so ``target_history`` shows every figure, who set it and when. The target
for a period is the one in force on its last day (the latest ``effective_from`` on or before it; for
the same date, the one set last).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import Target
from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.scoring.criteria import Criteria, load_criteria

NOTE_MAX = 500


@dataclass(frozen=True)
class TargetRecord:
    id: int
    role: str
    criterion: str
    value: float
    effective_from: date
    set_by: str
    set_at: datetime
    note: str

    @property
    def source(self) -> str:
        """Where the figure came from, as an explanation shows it."""
        return f"target set by {self.set_by} on {self.set_at:%d %b %Y}, effective from {self.effective_from:%d %b %Y}"


def set_target(
    engine: Engine, actor: Actor, role: str, criterion: str, value: float, effective_from: date, note: str = "",
    criteria: Criteria | None = None,
) -> int:
    """Add a target for ``role``'s ``criterion`` (in its unit) from ``effective_from``; returns its id."""
    require(actor, Action.SET_TARGETS)
    criteria = criteria or load_criteria()
    found = _criterion(criteria, role, criterion)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValidationError(f"value: a target must be a number above 0 {found.unit} (got {value!r}).")
    if "%" in found.unit and value > 100:
        raise ValidationError(f"value: {found.label} is a percentage of duty time, at most 100 (got {value:g}).")
    if not isinstance(effective_from, date) or isinstance(effective_from, datetime):
        raise ValidationError(f"effective_from: {effective_from!r} is not a date.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"note: {len(note)} characters is more than {NOTE_MAX}.")
    with session_scope(engine) as session:
        row = Target(role=role, criterion=criterion, value=float(value), effective_from=effective_from,
                     set_by=actor.label, note=note)
        session.add(row)
        session.flush()
        audit.record(session, actor, "set_target", "target", row.id, role=role, criterion=criterion,
                     value=float(value), effective_from=effective_from.isoformat(), note=note)
        return row.id


def target_history(session: Session, actor: Actor, role: str | None = None,
                   criterion: str | None = None) -> list[TargetRecord]:
    """Every target set, newest first; optionally for one role and criterion."""
    require(actor, Action.VIEW_FORCE)
    t = Target
    query = select(t).order_by(t.effective_from.desc(), t.set_at.desc(), t.id.desc())
    if role is not None:
        query = query.where(t.role == role)
    if criterion is not None:
        query = query.where(t.criterion == criterion)
    return [_record(row) for row in session.execute(query).scalars()]


def effective_target(session: Session, role: str, criterion: str, on: date) -> TargetRecord | None:
    """The target in force for ``role``'s ``criterion`` on day ``on``, or None where none is set."""
    return effective_targets(session, on).get((role, criterion))


def effective_targets(session: Session, on: date) -> dict[tuple[str, str], TargetRecord]:
    """Every target in force on ``on``, keyed by (role, criterion): one query for a whole score."""
    t = Target
    rows = session.execute(
        select(t).where(t.effective_from <= on).order_by(t.effective_from, t.set_at, t.id)
    ).scalars()
    return {(row.role, row.criterion): _record(row) for row in rows}  # later rows replace earlier ones


def _criterion(criteria: Criteria, role: str, key: str):
    try:
        group = criteria.role(role)
    except KeyError:
        names = ", ".join(r.key for r in criteria.roles)
        raise ValidationError(f"role: {role!r} is not scored (the criteria file scores {names}).") from None
    try:
        return group.criterion(key)
    except KeyError:
        names = ", ".join(c.key for c in group.criteria)
        raise ValidationError(f"criterion: {role} has no criterion {key!r} (it has {names}).") from None


def _record(row: Target) -> TargetRecord:
    return TargetRecord(row.id, row.role, row.criterion, row.value, row.effective_from, row.set_by, row.set_at,
                        row.note)
