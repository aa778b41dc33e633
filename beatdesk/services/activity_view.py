"""What the activity form reads and shows: a Qt-free read model (no writes, no rules of its own).

The officers an actor may log for, the kinds offered for a role, the beats and duties to choose from,
an officer's recent entries with their labels, an entry's history as lines, London wall-clock time to
aware UTC and back, and which form field a service message is about. Every rule stays in the services
(``beatdesk.services.activity``): the kinds offered for a PCSO only save a refusal, they do not replace it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from beatdesk.models import ActivityEntry, ActivityKind, Beat, DutyRecord, IntelSource, Officer, Role, Sector
from beatdesk.services.activity.inputs import HistoryItem
from beatdesk.services.activity.rules import KINDS_NOT_FOR_ROLE, duty_minutes, place_minutes
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied
from beatdesk.services import scope
from beatdesk.services.permissions import Action, require

LONDON = ZoneInfo("Europe/London")
TIME_FORMAT = "%d/%m/%Y %H:%M"
# Roles whose Blueprint work is logged; support staff log none.
LOGGING_ROLES = frozenset(r for r in Role if r is not Role.STAFF)
OUTSIDE_TARGET_PERCENT = 60  # the force's target share of a duty spent outside the station
_FIELD = re.compile(r"^([a-z_]+): ")


@dataclass(frozen=True)
class OfficerChoice:
    """An officer as the form's officer list shows them; ``label`` holds name and collar number to search."""

    id: int
    name: str
    collar_number: str
    role: Role
    beat_id: int | None
    posting: str  # beat code, or the sector's name for those posted to a sector

    @property
    def label(self) -> str:
        return f"{self.name} · {self.role.short} {self.collar_number} · {self.posting}"


@dataclass(frozen=True)
class BeatChoice:
    id: int
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class DutyChoice:
    id: int
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        start, end = to_london(self.start), to_london(self.end)
        return f"#{self.id} {start:%a %d/%m %H:%M}–{end:%H:%M}"


@dataclass(frozen=True)
class EntryRow:
    """One live entry as the recent-entries list shows it and the form loads it for editing."""

    id: int
    version: int
    officer_id: int
    kind: ActivityKind
    occurred_at: datetime  # aware UTC
    count: int
    minutes: int | None
    beat_id: int
    beat_code: str
    reference: str | None
    note: str
    intel_source: IntelSource | None
    outcome_linked: bool | None
    duty_id: int | None

    @property
    def when(self) -> str:
        return f"{to_london(self.occurred_at):{TIME_FORMAT}}"

    @property
    def amount(self) -> str:
        if self.kind.measured_in_minutes:
            return f"{self.minutes or 0} min"
        extra = ""
        if self.intel_source is not None:
            extra = f" · {self.intel_source.value}"
        elif self.outcome_linked:
            extra = " · linked"
        return f"{self.count}{extra}"

    def editable_values(self) -> dict:
        """The values ``edit_entry`` may change, as they are now: what an undo of an edit restores."""
        return {
            "kind": self.kind, "occurred_at": self.occurred_at, "count": self.count, "minutes": self.minutes,
            "beat_id": self.beat_id, "reference": self.reference, "note": self.note,
            "intel_source": self.intel_source, "outcome_linked": self.outcome_linked, "duty_id": self.duty_id,
        }


def to_utc(local: datetime) -> datetime:
    """A London wall-clock time (naive, as typed) as aware UTC; in the autumn's repeated hour, the first."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def to_london(moment: datetime) -> datetime:
    """An aware time as the London wall clock shows it (naive, for a date-time editor)."""
    return moment.astimezone(LONDON).replace(tzinfo=None)


def london_now() -> datetime:
    return datetime.now(LONDON).replace(tzinfo=None, second=0, microsecond=0)


def field_of(message: str) -> str | None:
    """The field a service message is about: its leading ``name:`` ("count: must not be negative")."""
    match = _FIELD.match(message)
    return match.group(1) if match else None


def without_field(message: str) -> str:
    """The message without its leading field name, to show beside that field."""
    rest = _FIELD.sub("", message, count=1)
    return rest[:1].upper() + rest[1:]


def kinds_for(role: Role | str) -> list[ActivityKind]:
    """The kinds worth offering to an officer of ``role`` (the service refuses the others anyway)."""
    barred = KINDS_NOT_FOR_ROLE.get(Role(role), frozenset())
    return [k for k in ActivityKind if k not in barred]


def officers_for(session: Session, actor: Actor, on: date | None = None) -> list[OfficerChoice]:
    """Officers in service on ``on`` (default today) whose activity ``actor`` may log, by name."""
    on = on or datetime.now(LONDON).date()
    o = Officer
    rows = session.execute(
        select(o.id, o.name, o.collar_number, o.role, o.beat_id, Beat.code, Sector.name)
        .outerjoin(Beat, Beat.id == o.beat_id)
        .outerjoin(Sector, Sector.id == o.sector_id)
        .where(o.start_date <= on, (o.end_date.is_(None)) | (o.end_date >= on))
        .order_by(o.name, o.collar_number)
    )
    choices = []
    try:
        require(actor, Action.LOG_ACTIVITY)
    except PermissionDenied:
        return choices
    mine = scope.reach(session, actor)
    for officer_id, name, collar, role, beat_id, beat_code, sector_name in rows:
        role = Role(role)
        if role not in LOGGING_ROLES or not mine.has_officer(officer_id):
            continue
        posting = beat_code or (f"{sector_name} sector" if sector_name else "no beat")
        choices.append(OfficerChoice(officer_id, name, collar, role, beat_id, posting))
    return choices


def beat_choices(session: Session) -> list[BeatChoice]:
    rows = session.execute(select(Beat.id, Beat.code, Beat.name).order_by(Beat.code))
    return [BeatChoice(*row) for row in rows]


def duty_choices(session: Session, officer_id: int, limit: int = 14, today: date | None = None) -> list[DutyChoice]:
    """The officer's most recent duties up to today, newest first: a rota planned ahead is not what
    anyone logs against yet."""
    today = today or datetime.now(LONDON).date()
    d = DutyRecord
    rows = session.execute(
        select(d.id, d.start, d.end).where(d.officer_id == officer_id, d.duty_date <= today)
        .order_by(d.start.desc()).limit(limit)
    )
    return [DutyChoice(*row) for row in rows]


def duty_label(start: datetime, end: datetime) -> str:
    """A duty as London's wall clock shows it: 'Tue 19 Nov 07:00–15:00' ('… (+1 day)' when it ends later)."""
    local_start, local_end = to_london(start), to_london(end)
    days = (local_end.date() - local_start.date()).days
    after = "" if days == 0 else f" (+{days} day{'s' if days > 1 else ''})"
    return f"{local_start:%a %d %b %H:%M}–{local_end:%H:%M}{after}"


def ends_next_day(start: time, end: time) -> bool:
    """A duty whose end, as typed, is earlier than its start is taken to end on the next day."""
    return end < start


def duty_times(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Start and end typed on London's wall clock (``day`` is the start's) as aware UTC; an end earlier
    than the start is on the next day. An end equal to the start is passed on as is, for the service to refuse."""
    end_day = day + timedelta(days=1) if ends_next_day(start, end) else day
    return to_utc(datetime.combine(day, start)), to_utc(datetime.combine(end_day, end))


def hours_minutes(minutes: int | None) -> str:
    """90 -> '1 h 30 min'; None -> 'not recorded'."""
    if minutes is None:
        return "not recorded"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


@dataclass(frozen=True)
class PlaceEntry:
    """One live entry of time in a dedicated place within a duty."""

    id: int
    occurred_at: datetime  # aware UTC
    minutes: int
    beat_code: str
    note: str

    @property
    def label(self) -> str:
        note = f" · {self.note}" if self.note else ""
        return f"{to_london(self.occurred_at):%H:%M} · {self.minutes} min · {self.beat_code}{note}"


@dataclass(frozen=True)
class DutySummary:
    """A duty's length, time outside the station and the dedicated-place time logged within it."""

    duty_id: int
    officer_id: int
    start: datetime  # aware UTC
    end: datetime
    length_minutes: int
    minutes_outside: int | None
    place_minutes: int
    places: tuple[PlaceEntry, ...]

    @property
    def label(self) -> str:
        return duty_label(self.start, self.end)

    @property
    def share_outside(self) -> float | None:
        """Time outside as a percentage of the duty's length; None until it is recorded."""
        if self.minutes_outside is None or self.length_minutes <= 0:
            return None
        return 100.0 * self.minutes_outside / self.length_minutes

    @property
    def meets_target(self) -> bool | None:
        share = self.share_outside
        return None if share is None else share >= OUTSIDE_TARGET_PERCENT


def duty_summary(session: Session, duty_id: int) -> DutySummary | None:
    """The summary of one duty, or None when there is no such duty."""
    duty = session.get(DutyRecord, duty_id)
    if duty is None:
        return None
    e = ActivityEntry
    rows = session.execute(
        select(e.id, e.occurred_at, e.minutes, Beat.code, e.note)
        .join(Beat, Beat.id == e.beat_id)
        .where(e.officer_id == duty.officer_id, e.kind == ActivityKind.DEDICATED_PLACE, e.deleted_at.is_(None),
               e.occurred_at >= duty.start, e.occurred_at <= duty.end)
        .order_by(e.occurred_at, e.id)
    )
    places = tuple(PlaceEntry(i, at, minutes or 0, code, note or "") for i, at, minutes, code, note in rows)
    return DutySummary(duty.id, duty.officer_id, duty.start, duty.end, duty_minutes(duty), duty.minutes_outside,
                       place_minutes(session, duty), places)


def _entry_query():
    e = ActivityEntry
    return select(
        e.id, e.version, e.officer_id, e.kind, e.occurred_at, e.count, e.minutes, e.beat_id, Beat.code,
        e.reference, e.note, e.intel_source, e.outcome_linked, e.duty_id,
    ).join(Beat, Beat.id == e.beat_id)


def _row(values) -> EntryRow:
    (entry_id, version, officer_id, kind, at, count, minutes, beat_id, beat_code, reference, note, source,
     linked, duty_id) = values
    return EntryRow(
        entry_id, version, officer_id, ActivityKind(kind), at, count, minutes, beat_id, beat_code, reference,
        note or "", None if source is None else IntelSource(source), linked, duty_id,
    )


def recent_entries(session: Session, actor: Actor, officer_id: int, limit: int = 50) -> list[EntryRow]:
    """The officer's live entries, latest first, for whoever may read their records."""
    scope.require_read_officer(session, actor, officer_id)
    e = ActivityEntry
    query = _entry_query().where(e.officer_id == officer_id, e.deleted_at.is_(None))
    rows = session.execute(query.order_by(e.occurred_at.desc(), e.id.desc()).limit(limit))
    return [_row(r) for r in rows]


def entry_row(session: Session, entry_id: int) -> EntryRow | None:
    """One live entry as it is now, or None when it is gone or deleted."""
    e = ActivityEntry
    values = session.execute(_entry_query().where(e.id == entry_id, e.deleted_at.is_(None))).first()
    return None if values is None else _row(values)


def format_entry(row: EntryRow) -> str:
    """One line for a list or a confirmation: '#12 03/03/2025 14:05 Arrests 1 ref CR/123 (NT01)'."""
    parts = [f"#{row.id}", row.when, row.kind.label, row.amount]
    if row.reference:
        parts.append(f"ref {row.reference}")
    return " ".join(parts) + f" ({row.beat_code})"


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if key in {"occurred_at", "deleted_at"} and isinstance(value, str):
        try:
            return f"{to_london(datetime.fromisoformat(value)):{TIME_FORMAT}}"
        except ValueError:
            return value
    if key == "kind":
        try:
            return ActivityKind(value).label
        except ValueError:
            return str(value)
    return str(value)


DELETE_FIELDS = frozenset({"deleted_at", "deleted_by", "deleted_reason"})


def history_lines(items: list[HistoryItem]) -> list[str]:
    """Each change as 'when · who · what: field old → new; …' (London time), oldest first."""
    lines = []
    for item in items:
        head = f"{to_london(item.at):{TIME_FORMAT}} · {item.actor} · {item.change}"
        reason = [f"reason: {item.reason}"] if item.reason else []
        if item.change == "delete":
            body = "; ".join(reason)
        else:
            # a restore clears the deleted_* fields: its reason says more than they would
            skip = DELETE_FIELDS if item.change == "restore" else frozenset()
            keys = sorted((set(item.old_values) | set(item.new_values)) - skip)
            body = "; ".join(
                (reason if item.change == "restore" else [])
                + [f"{k}: {_value(k, item.old_values.get(k))} → {_value(k, item.new_values.get(k))}" for k in keys]
            )
        lines.append(f"{head}: {body}" if body else head)
    return lines
