"""The one-page beat profile as plain data: who and where the beat is, its team, what it works on, what
its team did and how it performs, read in one go so the interface only lays it out.

What everyone who may view the force sees (as the map's side panel shows it): the beat, its wards and
outline, its team with contacts, its dedicated places, its score, criteria and 12-month trend. Its records
(tasks, the local priorities they serve, activity totals) only for those who read the beat
(``services.scope``), as the drill-down behind a score; others get a note saying why they are left out.
Recent tasks and activity cover the 28 days to the end of the period (or to today, if sooner).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, case, func, select
from sqlmodel import Session

from beatdesk.models import ActivityKind, Beat, DailyTotal, Task, TaskStatus
from beatdesk.services import scope
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.force_view import TeamMember, load_force_map
from beatdesk.services.permissions import Action, require
from beatdesk.services.places import places_for_map
from beatdesk.services.scoring.periods import reading_time
from beatdesk.services.scoring import Level, Period, PeriodKind, Score, score, tasks_behind
from beatdesk.services.scoring.periods import LONDON
from beatdesk.services.scoring.tables import Trend, trend
from beatdesk.services.tasks.board import local_priorities

RECENT_DAYS = 28
RECORDS_HIDDEN = ("Tasks, local priorities and activity are the team's records: they are shown to those who "
                  "work, direct or supervise this beat.")


@dataclass(frozen=True)
class WardLine:
    code: str
    name: str
    council: str
    area_km2: float | None
    outline: BaseGeometry | None  # display outline, None before boundaries are imported


@dataclass(frozen=True)
class PlaceLine:
    name: str
    kind: str
    peak: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class TaskCounts:
    """Tasks of the beat for the days of ``window``: set, done; due (window ended) and done on time
    (the tasks-on-time measure's rule); and open now, of any day up to today."""

    window: Period
    set: int
    done: int
    due: int
    on_time: int
    open_now: int

    @property
    def on_time_percent(self) -> float | None:
        return self.on_time / self.due * 100 if self.due else None


@dataclass(frozen=True)
class ActivityLine:
    kind: str
    label: str
    count: int
    minutes: int
    entries: int

    @property
    def text(self) -> str:
        if ActivityKind(self.kind).measured_in_minutes:
            return f"{self.minutes / 60:,.1f} h ({self.entries:,} visits)"
        return f"{self.count:,}"


@dataclass(frozen=True)
class BeatProfile:
    beat_id: int
    code: str
    name: str
    sector: str
    lpa: str
    period: Period
    generated_at: datetime
    wards: tuple[WardLine, ...]
    outline: BaseGeometry
    outline_kind: str  # "boundaries" (the beat's display outline) or "hexagons" (its hexagon)
    neighbours: tuple[tuple[str, BaseGeometry], ...]  # other beats near it, for context on the map
    team: tuple[TeamMember, ...]
    places: tuple[PlaceLine, ...]
    records_shown: bool
    records_note: str
    local_priorities: tuple[str, ...]
    tasks: TaskCounts | None
    activity_window: Period
    activity: tuple[ActivityLine, ...]
    score: Score
    trend: Trend

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"


def recent_window(period: Period, now: datetime) -> Period:
    """The 28 days to the period's end, or to today if the period ends later."""
    today = now.astimezone(LONDON).date()
    return Period.ending(PeriodKind.DAYS_28, min(period.end, today))


def build_profile(engine: Engine, actor: Actor, beat_id: int, period: Period, now: datetime | None = None
                  ) -> BeatProfile:
    """Everything the beat profile shows for ``beat_id`` and ``period`` (see the module)."""
    require(actor, Action.VIEW_FORCE)
    now = reading_time(now)
    today = now.astimezone(LONDON).date()
    with Session(engine) as session:
        beat = session.get(Beat, beat_id) if isinstance(beat_id, int) and not isinstance(beat_id, bool) else None
        if beat is None:
            raise ValidationError(f"beat: no beat has id {beat_id!r}.")
        force_map = load_force_map(session, actor, today=today)
        view = force_map.beat(beat.code)
        places = tuple(PlaceLine(p.name, p.kind.label, p.peak_text, p.geometry)
                       for p in places_for_map(session, actor) if p.beat_code == beat.code)
        shown = scope.reach(session, actor).reads_beat(beat_id)
        window = recent_window(period, now)
        priorities = tuple(local_priorities(session, actor, beat_id)) if shown else ()
        counts = _tasks(session, beat_id, window, today) if shown else None
        activity = _activity(session, beat_id, window) if shown else ()
    outline = force_map.shape(view)
    if counts is not None:
        behind = tasks_behind(engine, actor, Level.BEAT, beat_id, window, now=now)
        counts = TaskCounts(window, counts[0], counts[1], len(behind), sum(t.on_time for t in behind), counts[2])
    scored = score(engine, actor, Level.BEAT, beat_id, period, now=now)
    scored.roles  # noqa: B018 (works out the breakdown here, off the interface's thread)
    return BeatProfile(
        beat_id=beat_id, code=view.code, name=view.name, sector=view.sector_name, lpa=view.lpa_name, period=period,
        generated_at=now,
        wards=tuple(WardLine(w.code, w.name, w.council_name, w.area_km2, w.geometry) for w in view.wards),
        outline=outline, outline_kind=force_map.mode, neighbours=_neighbours(force_map, view, outline),
        team=view.team, places=places, records_shown=shown, records_note="" if shown else RECORDS_HIDDEN,
        local_priorities=priorities, tasks=counts, activity_window=window, activity=activity, score=scored,
        trend=trend(engine, actor, Level.BEAT, beat_id, period.end, now=now),
    )


def _neighbours(force_map, view, outline: BaseGeometry) -> tuple[tuple[str, BaseGeometry], ...]:
    """The other beats whose shapes reach into the map's frame around ``outline``."""
    from shapely.geometry import box

    x0, y0, x1, y1 = outline.bounds
    pad = max(x1 - x0, y1 - y0) * 0.25
    frame = box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    found = []
    for other in force_map.beats:
        shape = force_map.shape(other)
        if other.code != view.code and shape is not None and shape.intersects(frame):
            found.append((other.code, shape))
    return tuple(found)


def _tasks(session: Session, beat_id: int, window: Period, today: date) -> tuple[int, int, int]:
    """(set, done) on the window's days; open now, of any day up to today."""
    t = Task
    set_, done = session.execute(
        select(func.count(), func.sum(case((t.status == TaskStatus.DONE, 1), else_=0)))
        .where(t.beat_id == beat_id, t.duty_date >= window.start, t.duty_date <= window.end)
    ).one()
    open_now = session.scalar(
        select(func.count()).where(t.beat_id == beat_id, t.duty_date <= today,
                                   t.status.in_([TaskStatus.OPEN, TaskStatus.IN_PROGRESS]))
    )
    return int(set_ or 0), int(done or 0), int(open_now or 0)


def _activity(session: Session, beat_id: int, window: Period) -> tuple[ActivityLine, ...]:
    """Every kind's totals logged on the beat in the window (zeros included: a gap is news too)."""
    d = DailyTotal
    rows = {ActivityKind(k): (int(c or 0), int(m or 0), int(e or 0)) for k, c, m, e in session.execute(
        select(d.kind, func.sum(d.count), func.sum(d.minutes), func.sum(d.entries))
        .where(d.beat_id == beat_id, d.day >= window.start, d.day <= window.end).group_by(d.kind)
    )}
    return tuple(ActivityLine(k.value, k.label, *rows.get(k, (0, 0, 0))) for k in ActivityKind)


def beat_id_of(engine: Engine, actor: Actor, code: str) -> int:
    """The id of the beat with ``code`` (as the map and tree name beats)."""
    require(actor, Action.VIEW_FORCE)
    with Session(engine) as session:
        found = session.scalar(select(Beat.id).where(Beat.code == code))
    if found is None:
        raise ValidationError(f"beat: no beat has code {code!r}.")
    return found
