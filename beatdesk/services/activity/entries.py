"""Logging, editing, deleting and restoring activity entries: one transaction each, totals and audit in step."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityEntry, ActivityRevision, utcnow
from beatdesk.services import audit
from beatdesk.services.activity import rules, totals
from beatdesk.services.activity.inputs import EDITABLE, EntryInput, HistoryItem, LoggedEntry
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, ValidationError
from beatdesk.services import scope
from beatdesk.services.permissions import Action, require

ENTITY = "activity_entry"


def log_entry(engine: Engine, actor: Actor, entry: EntryInput) -> LoggedEntry:
    """Store one entry, add it to its day's total and audit it; warnings flag a reference seen before."""
    require(actor, Action.LOG_ACTIVITY)
    with session_scope(engine) as session:
        scope.require_officer(session, actor, Action.LOG_ACTIVITY, entry.officer_id)
        data = rules.checked_entry(session, entry)
        warnings = rules.reference_warnings(session, data)
        columns = data.columns()
        row = ActivityEntry(**columns)
        session.add(row)
        session.flush()
        totals.add(session, columns, +1)
        audit.record(session, actor, "log_activity", ENTITY, row.id, **_plain(columns), warnings=list(warnings))
        return LoggedEntry(row.id, row.version, warnings)


def edit_entry(engine: Engine, actor: Actor, entry_id: int, changes: dict, expected_version: int) -> LoggedEntry:
    """Change fields of a live entry opened at ``expected_version``; the old values go to its history."""
    with session_scope(engine) as session:
        row = _live(session, actor, entry_id, expected_version)
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValidationError(f"{', '.join(sorted(unknown))}: cannot be changed on an entry.")
        before = EntryInput.of(row)
        moved = {"duty_id": None} if "duty_id" not in changes and "occurred_at" in changes else {}
        data = rules.checked_entry(session, replace(before, **moved, **changes), entry_id)
        warnings = rules.reference_warnings(session, data, entry_id)
        old, new = before.columns(), data.columns()
        old_diff = {k: v for k, v in old.items() if new[k] != v}
        if not old_diff:  # nothing changed: no new version, no empty revision, no audit noise
            return LoggedEntry(entry_id, row.version, warnings)
        new_diff = {k: new[k] for k in old_diff}
        version = _bump(session, row, expected_version, {**new, "updated_at": utcnow()})
        totals.add(session, old, -1)
        totals.add(session, new, +1)
        _revise(session, actor, entry_id, "edit", old_diff, new_diff, "")
        audit.record(session, actor, "edit_activity", ENTITY, entry_id, old=_plain(old_diff), new=_plain(new_diff))
        return LoggedEntry(entry_id, version, warnings)


def delete_entry(engine: Engine, actor: Actor, entry_id: int, reason: str, expected_version: int | None = None) -> int:
    """Soft-delete: the entry stays with who, when and why, and leaves the totals; returns its new version."""
    if not reason or not reason.strip():
        raise ValidationError("reason: say why the entry is deleted.")
    with session_scope(engine) as session:
        row = _live(session, actor, entry_id, expected_version)
        old = EntryInput.of(row).columns()
        now = utcnow()
        gone = {"deleted_at": now, "deleted_by": actor.label, "deleted_reason": reason.strip()}
        version = _bump(session, row, row.version, {**gone, "updated_at": now})
        totals.add(session, old, -1)
        _revise(session, actor, entry_id, "delete", _plain(old), _plain(gone), reason.strip())
        audit.record(session, actor, "delete_activity", ENTITY, entry_id, old=_plain(old), reason=reason.strip())
        return version


def restore_entry(engine: Engine, actor: Actor, entry_id: int, reason: str,
                  expected_version: int | None = None) -> LoggedEntry:
    """Undo a soft delete: the entry is checked as if logged now, rejoins the totals, and its history says why."""
    if not reason or not reason.strip():
        raise ValidationError("reason: say why the entry is restored.")
    with session_scope(engine) as session:
        row = _deleted(session, actor, entry_id, expected_version)
        before = EntryInput.of(row)
        data = rules.checked_entry(session, before, entry_id)  # the rules may have moved on since it was deleted
        warnings = rules.reference_warnings(session, data, entry_id)
        old, new = before.columns(), data.columns()
        linked = {k: new[k] for k, v in old.items() if new[k] != v}  # e.g. a duty recorded since now covers it
        gone = {"deleted_at": row.deleted_at, "deleted_by": row.deleted_by, "deleted_reason": row.deleted_reason}
        back = dict.fromkeys(gone)
        version = _bump(session, row, row.version, {**back, **linked, "updated_at": utcnow()})
        totals.add(session, new, +1)
        was = {**gone, **{k: old[k] for k in linked}}
        _revise(session, actor, entry_id, "restore", was, {**back, **linked}, reason.strip())
        audit.record(session, actor, "restore_activity", ENTITY, entry_id, new=_plain(new), reason=reason.strip(),
                     warnings=list(warnings))
        return LoggedEntry(entry_id, version, warnings)


def entry_history(session: Session, actor: Actor, entry_id: int) -> list[HistoryItem]:
    """Every edit, delete and restore of an entry, oldest first."""
    require(actor, Action.VIEW_FORCE)
    r = ActivityRevision
    rows = session.execute(select(r).where(r.entry_id == entry_id).order_by(r.at, r.id)).scalars()
    return [
        HistoryItem(x.at, x.actor, x.change, json.loads(x.old_values), json.loads(x.new_values), x.reason) for x in rows
    ]


def _live(session: Session, actor: Actor, entry_id: int, expected_version: int | None) -> ActivityEntry:
    """The entry to change, if it exists, is live, is the actor's to change and is as they last saw it."""
    row = session.get(ActivityEntry, entry_id)
    if row is None:
        raise ValidationError(f"entry: no activity entry has id {entry_id}.")
    scope.require_officer(session, actor, Action.EDIT_ACTIVITY, row.officer_id)
    if row.deleted_at is not None:
        raise ValidationError(f"entry: #{entry_id} was deleted on {row.deleted_at:%Y-%m-%d %H:%M} by {row.deleted_by}.")
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_stale(entry_id))
    return row


def _deleted(session: Session, actor: Actor, entry_id: int, expected_version: int | None) -> ActivityEntry:
    """The entry to restore, if it exists, is deleted, is the actor's to change and is as they last saw it."""
    row = session.get(ActivityEntry, entry_id)
    if row is None:
        raise ValidationError(f"entry: no activity entry has id {entry_id}.")
    scope.require_officer(session, actor, Action.EDIT_ACTIVITY, row.officer_id)
    if row.deleted_at is None:
        r = ActivityRevision
        last = session.execute(select(r).where(r.entry_id == entry_id, r.change == "restore")
                               .order_by(r.at.desc(), r.id.desc()).limit(1)).scalars().first()
        by = f" ({last.actor} restored it on {last.at:%Y-%m-%d %H:%M})" if last else ""
        raise ValidationError(f"entry: #{entry_id} is not deleted{by}, so there is nothing to restore.")
    if expected_version is not None and row.version != expected_version:
        raise Conflict(_stale(entry_id))
    return row


def _bump(session: Session, row: ActivityEntry, expected: int, values: dict) -> int:
    """Write ``values`` and the next version, only if nobody else has written in between."""
    e = ActivityEntry
    done = session.execute(
        update(e).where(e.id == row.id, e.version == expected).values(**values, version=expected + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise Conflict(_stale(row.id))
    session.expire(row)
    return expected + 1


def _stale(entry_id: int) -> str:
    return f"entry #{entry_id} was changed by someone else since you opened it: reopen it to see their change."


def _revise(session: Session, actor: Actor, entry_id: int, change: str, old: dict, new: dict, reason: str) -> None:
    session.add(ActivityRevision(
        entry_id=entry_id, actor=actor.label, change=change, reason=reason,
        old_values=json.dumps(_plain(old), sort_keys=True), new_values=json.dumps(_plain(new), sort_keys=True),
    ))


def _plain(values: dict) -> dict:
    """JSON-ready values: enums by value, times in ISO form."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "value", v)) for k, v in values.items()}
