"""Filling the database with the demo force: a year of a plausible, wholly fictitious force.

History (duties worked, activity logged) ends yesterday. From today the rota runs on as planned duties
for two weeks (no time outside recorded yet), and every beat has today's tasks, with yesterday's
unfinished ones carried over, so the tasking board and My day open on a working day.

One transaction: it refuses before writing anything if real officers are present, and a cancel or a
failure part-way leaves the database exactly as it was. Rows go in by SQLAlchemy Core in chunks,
because a year is some 60,000 duties and 150,000 entries and ORM objects would take minutes.
The same seed and ``today`` always give the same rows: every generator draws from its own
``random.Random`` seeded from the demo seed and a fixed label.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import (
    ActivityEntry, ActivityRevision, Beat, BeatSergeant, DailyTotal, DutyRecord, DutyTotal, Officer, Place, Role, Sector, Task,
    TaskTemplate,
)
from beatdesk.models.meta import DEMO_GENERATED_AT, DEMO_SEED
from beatdesk.services import audit, force
from beatdesk.services.activity.duty_totals import rebuild_duty_totals
from beatdesk.services.activity.totals import rebuild_totals
from beatdesk.services.actor import Actor
from beatdesk.services.demo import establishment
from beatdesk.services.demo.accounts import DEMO_PASSWORD, add_demo_accounts, release_demo_officers
from beatdesk.services.demo.activity import ActivityMaker
from beatdesk.services.demo.establishment import BeatInfo
from beatdesk.services.demo.places import BeatPlaces
from beatdesk.services.demo.places_seed import seed_places
from beatdesk.services.demo.rota import LONDON, Duty, duties_for
from beatdesk.services.demo.tasks_seed import seed_tasks
from beatdesk.services.errors import ServiceError, ValidationError
from beatdesk.services.permissions import Action, require

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

CHUNK = 5000
MAX_MONTHS = 36
PLANNED_DAYS = 14  # today and the 13 days after it


class DemoCancelled(ServiceError):
    """The user cancelled; the transaction is rolled back and nothing was written."""


@dataclass(frozen=True)
class DemoReport:
    officers: int
    duties: int
    entries: int
    seed: int
    period_start: date
    period_end: date
    planned_duties: int = 0  # rostered from the day after period_end to planned_until
    planned_until: date | None = None
    tasks: int = 0  # today's, carried over ones included
    carried: int = 0
    accounts: tuple[str, ...] = ()  # the documented demo accounts added
    tasks_before: int = 0  # the period's, before today: all finished (done on time, late, or not done)

    def lines(self) -> list[str]:
        lines = [
            f"Demo force generated (seed {self.seed}), {force.DEMO_NOTICE}.",
            f"Period: {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}.",
            f"{self.officers:,} officers and staff, {self.duties:,} duties, {self.entries:,} activity entries.",
        ]
        if self.planned_until is not None:
            lines.append(f"Rota planned to {self.planned_until:%d %b %Y} ({self.planned_duties:,} duties); "
                         f"{self.tasks:,} tasks for today, {self.carried:,} of them carried over; "
                         f"{self.tasks_before:,} tasks set over the period.")
        if self.accounts:
            lines.append(f"Demo accounts: {', '.join(self.accounts)} (password {DEMO_PASSWORD}).")
        return lines


def generate_demo(
    engine: Engine,
    actor: Actor,
    *,
    seed: int = 2021,
    months: int = 12,
    today: date | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> DemoReport:
    """Create the demo force's people, duties and activity for the ``months`` months before ``today``,
    its planned rota for today and the next 13 days, and every beat's tasks for the period and today.

    Refuses (ServiceError) when officers exist, unless ``replace`` is set and the database is a demo;
    real data is never wiped. ``progress(done, total, message)`` reports in thousandths; when
    ``cancelled()`` returns True, :class:`DemoCancelled` is raised and nothing is kept.
    """
    require(actor, Action.GENERATE_DEMO)
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(f"Months of history must be between 1 and {MAX_MONTHS}, not {months}.")
    today = today or datetime.now(UTC).date()
    period_start, period_end = months_before(today, months), today - timedelta(days=1)
    planned_until = today + timedelta(days=PLANNED_DAYS - 1)
    tracker = _Tracker(progress, cancelled)
    with session_scope(engine) as session:
        _clear_or_refuse(session, actor, replace)
        conn = session.connection()
        beats, places = _load_beats(conn, seed)
        if not beats:
            raise ServiceError("The force has no beats yet: install the beat plan first.")
        tracker.at(0.0, "Posting officers")
        members = establishment.build(random.Random(f"{seed}:establishment"), beats, period_start, period_end)
        _insert_officers(conn, members)
        seed_places(session, actor, random.Random(f"{seed}:places-seed"))
        duties, planned = _rotas(members, seed, period_start, today, planned_until, tracker)
        written = duties + planned
        for done in _write(conn, DutyRecord, (d.row() for d in written)):
            tracker.at(0.10 + 0.20 * done / len(written), f"Writing duties ({done:,} of {len(written):,})")
        maker, entries = ActivityMaker(seed, places), 0
        for entries in _write(conn, ActivityEntry, maker.rows(duties)):
            tracker.at(0.30 + 0.65 * maker.duties_seen / len(duties), f"Logging activity ({entries:,} entries)")
        tracker.at(0.95, "Setting the period's tasks")
        tasks = seed_tasks(conn, random.Random(f"{seed}:tasks:{today.isoformat()}"), today, members, duties, planned,
                           places, actor.label, history=random.Random(f"{seed}:task-history"))
        tracker.at(1.0, "Totalling activity by day")
        rebuild_totals(session)
        rebuild_duty_totals(session)
        session.flush()
        accounts = add_demo_accounts(session, actor)
        report = DemoReport(len(members), len(duties), entries, seed, period_start, period_end, len(planned),
                            planned_until, tasks.today, tasks.carried, accounts, tasks.history + tasks.yesterday)
        force.set_meta(session, DEMO_SEED, str(seed))
        force.set_meta(session, DEMO_GENERATED_AT, datetime.now(UTC).isoformat(timespec="seconds"))
        audit.record(
            session, actor, "generate_demo", "force", seed,
            officers=report.officers, duties=report.duties, entries=report.entries, months=months,
            period_start=period_start.isoformat(), period_end=period_end.isoformat(), replaced=replace,
            planned_duties=report.planned_duties, planned_until=planned_until.isoformat(), tasks=report.tasks,
            carried=report.carried, tasks_yesterday=tasks.yesterday, templates=tasks.templates,
            tasks_before=report.tasks_before,
        )
    return report


def demo_label(engine: Engine) -> str | None:
    """The banner the interface shows on a demo database, or None on real data."""
    with session_scope(engine) as session:
        seed = force.get_meta(session, DEMO_SEED)
    return None if seed is None else force.demo_notice(seed)


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (clamped to the month's end)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _clear_or_refuse(session: Session, actor: Actor, replace: bool) -> None:
    officers = session.execute(select(func.count()).select_from(Officer)).scalar_one()
    if not officers:
        return
    seed = force.get_meta(session, DEMO_SEED)
    if seed is None:
        raise ServiceError(
            f"This database holds {officers:,} officers and is not a demo: the demo force is never "
            "generated over real data. Open a new database for the demo."
        )
    if not replace:
        raise ServiceError(f"The demo force (seed {seed}) is already here; choose replace to generate it again.")
    release_demo_officers(session, actor)  # accounts tied to the people about to go
    try:
        for model in (DailyTotal, DutyTotal, ActivityRevision, ActivityEntry, Task, TaskTemplate, DutyRecord, BeatSergeant,
                      Officer, Place):
            session.execute(delete(model.__table__))
    except IntegrityError as exc:
        raise ServiceError(f"The demo force could not be removed: other records refer to it ({exc.orig}).") from exc


def _load_beats(conn: Connection, seed: int) -> tuple[list[BeatInfo], dict[int, BeatPlaces]]:
    rows = conn.execute(
        select(Beat.id, Beat.code, Beat.sector_id, Sector.code, Beat.centroid_easting, Beat.centroid_northing,
               Beat.geometry_wkb)
        .join(Sector, Sector.id == Beat.sector_id)
        .order_by(Beat.code)
    ).all()
    beats = [BeatInfo.of(*r[:6]) for r in rows]
    places = {
        beat.id: BeatPlaces(beat, random.Random(f"{seed}:places:{beat.code}"), row[6])
        for beat, row in zip(beats, rows, strict=True)
    }
    return beats, places


def _insert_officers(conn: Connection, members: list[establishment.Member]) -> None:
    conn.execute(insert(Officer.__table__), [m.row() for m in members])
    ids = {collar: id_ for collar, id_ in conn.execute(select(Officer.collar_number, Officer.id))}
    for member in members:
        member.officer_id = ids[member.collar_number]
    links = [
        {"beat_id": beat.id, "officer_id": m.officer_id}
        for m in members
        if m.role is Role.SERGEANT
        for beat in m.covers
    ]
    if links:
        conn.execute(insert(BeatSergeant.__table__), links)


def _rotas(
    members: list[establishment.Member], seed: int, first: date, today: date, until: date, tracker: _Tracker
) -> tuple[list[Duty], list[Duty]]:
    """Everyone's duties worked before today and planned from today to ``until``, each in the order they
    start, so activity and its references run in time order. One rota runs through both, so rest days
    and leave carry on across today."""
    # History ends with yesterday: a night shift that began yesterday evening would run into today,
    # and logged work is never in the future, so worked duties must be over by local midnight.
    cutoff = datetime.combine(today, time(0), tzinfo=LONDON)
    worked: list[Duty] = []
    planned: list[Duty] = []
    for i, member in enumerate(members):
        rota = duties_for(member, random.Random(f"{seed}:rota:{member.collar_number}"), first, until, today)
        worked += [d for d in rota if d.duty_date < today and d.end <= cutoff]
        planned += [d for d in rota if d.duty_date >= today]
        if i % 20 == 0:
            tracker.at(0.02 + 0.08 * i / len(members), "Drawing up rotas")
    return sorted(worked, key=_start_order), sorted(planned, key=_start_order)


def _start_order(duty: Duty) -> tuple:
    return duty.start, duty.member.collar_number


def _write(conn: Connection, model, rows: Iterable[dict]) -> Iterable[int]:
    """Insert ``rows`` in chunks, yielding the running total after each so the caller can report."""
    table, chunk, total = model.__table__, [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            conn.execute(insert(table), chunk)
            total += len(chunk)
            chunk = []
            yield total
    if chunk:
        conn.execute(insert(table), chunk)
        total += len(chunk)
        yield total


class _Tracker:
    """Reports progress in thousandths and turns a cancel request into DemoCancelled."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None):
        self._progress, self._cancelled = progress, cancelled

    def at(self, fraction: float, message: str) -> None:
        if self._cancelled is not None and self._cancelled():
            raise DemoCancelled("Demo generation cancelled; nothing was written.")
        if self._progress is not None:
            self._progress(min(1000, round(fraction * 1000)), 1000, message)
