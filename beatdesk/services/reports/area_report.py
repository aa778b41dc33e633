"""The performance report of a sector or an LPA as plain data: its headline score with the change from
the previous period, its 12-month trend, its criteria, and league tables of its beats and officers.

Every figure is the scoring service's own (``score``, ``tables.league``), for the same period and
``now``, so the report says what the map and the dashboard say. Scores are viewed force-wide (like the
dashboard); the report shows no records behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import Lpa, Sector
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.scoring.periods import reading_time
from beatdesk.services.scoring import Level, Period, Score, score
from beatdesk.services.scoring.criteria import OUTSIDE, TASKS_ON_TIME, Criteria, load_criteria
from beatdesk.services.scoring.tables import LeagueRow, Trend, TrendPoint, league, months_to

AREA_LEVELS = (Level.SECTOR, Level.LPA)


@dataclass(frozen=True)
class AreaReport:
    level: Level
    area_id: int
    code: str
    name: str
    parent: str  # a sector's LPA; "" for an LPA
    period: Period
    generated_at: datetime
    score: Score
    trend: Trend
    beats: tuple[LeagueRow, ...]
    officers: tuple[LeagueRow, ...]

    @property
    def title(self) -> str:
        return f"{self.name} sector" if self.level is Level.SECTOR else f"{self.name} LPA"


def area_level(level: Level | str) -> Level:
    try:
        level = Level(level)
    except ValueError:
        level = None
    if level not in AREA_LEVELS:
        raise ValidationError("level: a performance report is of a sector or an LPA.")
    return level


def build_area_report(engine: Engine, actor: Actor, level: Level | str, area_id: int, period: Period,
                      now: datetime | None = None, progress=None) -> AreaReport:
    """The report of sector or LPA ``area_id`` for ``period`` (see the module); ``progress(done, total,
    message)`` is told as each of the trend's months is scored."""
    require(actor, Action.VIEW_FORCE)
    level = area_level(level)
    now = reading_time(now)
    with Session(engine) as session:
        row = session.get(Sector if level is Level.SECTOR else Lpa, area_id) \
            if isinstance(area_id, int) and not isinstance(area_id, bool) else None
        if row is None:
            raise ValidationError(f"{level.value}: no {'sector' if level is Level.SECTOR else 'LPA'} has id "
                                  f"{area_id!r}.")
        parent = session.get(Lpa, row.lpa_id).name if level is Level.SECTOR else ""
        code, name = row.code, row.name
    criteria = load_criteria()
    headline = score(engine, actor, level, area_id, period, criteria=criteria, now=now)
    headline.roles  # noqa: B018 (works out the breakdown here, off the interface's thread)
    where = {"sector_id": area_id} if level is Level.SECTOR else {"lpa_id": area_id}
    beats = league(engine, actor, Level.BEAT, period, criteria=criteria, now=now, **where)
    officers = league(engine, actor, Level.OFFICER, period, criteria=criteria, now=now, **where)
    points = []
    months = months_to(period.end)
    for n, month in enumerate(months):
        if progress is not None:
            progress(n, len(months), f"Scoring {name}, {month.start:%B %Y}")
        points.append(_point(score(engine, actor, level, area_id, month, criteria=criteria, now=now), criteria))
    return AreaReport(level, area_id, code, name, parent, period, now, headline,
                      Trend(headline.subject, tuple(points), criteria.outside_target), tuple(beats), tuple(officers))


def team_measures(scored: Score, criteria: Criteria) -> tuple[float | None, float | None]:
    """Time outside and tasks on time (%) as the area's team measures counted them (None: nothing to count)."""
    found = {t.key: t.value for t in scored.team}
    by_measure = {m.measure: m.key for m in criteria.team}
    return found.get(by_measure.get(OUTSIDE)), found.get(by_measure.get(TASKS_ON_TIME))


def _point(scored: Score, criteria: Criteria) -> TrendPoint:
    outside, tasks = team_measures(scored, criteria)
    month = scored.period
    return TrendPoint(month, f"{month.start:%b %Y}", scored.value, scored.rag, scored.duty_hours, outside, tasks)
