"""The inspector's review tables: league rows for beats and officers, a monthly trend for one of them,
and CSV for any table.

Every figure comes from ``score_all`` or the same cached period totals, so a table shows what the
map and the drill-down show. Officers have no team measures in the engine; their time outside is
read from the same duty totals the score used, and their tasks on time from the tasks assigned to them
(the team measure's rule, counted per assignee).

A trend scores every subject of a level for each of its months at once and is cached as one entry
(keyed on the data version), so selecting another beat or officer in the same view costs nothing.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.models import Beat, Lpa, Officer, Sector
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError, ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.scoring import engine as E
from beatdesk.services.scoring import facts as F
from beatdesk.services.scoring.criteria import OUTSIDE, TASKS_ON_TIME, Criteria, load_criteria
from beatdesk.services.scoring.engine import score_all
from beatdesk.services.scoring.periods import Period, reading_time
from beatdesk.services.scoring.results import Level, Score, Subject

LEVELS = (Level.BEAT, Level.OFFICER)
TREND_MONTHS = 12


@dataclass(frozen=True)
class Area:
    """An LPA or a sector, as a filter offers it (``lpa_id``: a sector's LPA; None for an LPA)."""

    id: int
    code: str
    name: str
    lpa_id: int | None = None


@dataclass(frozen=True)
class LeagueRow:
    """One beat or officer in a league table for ``period``; percentages are None where nothing counts."""

    subject: Subject  # code: the beat code or the collar number
    period: Period
    role: str  # an officer's role; "" for a beat
    sector: str
    lpa: str
    score: float | None
    rag: str | None
    reason: str  # why there is no score
    change: float | None
    duty_hours: float
    time_outside: float | None
    tasks_on_time: float | None


@dataclass(frozen=True)
class Column:
    """A table column: ``kind`` is text, score, rag, change, hours or percent (how to show and sort it);
    ``short`` the heading where space is tight (a table on screen), ``header`` the full one (CSV)."""

    key: str
    header: str
    kind: str = "text"
    short: str = ""


_TAIL = (
    Column("sector", "Sector"), Column("lpa", "LPA"), Column("score", "Score (% of target)", "score", "Score"),
    Column("rag", "RAG", "rag"), Column("change", "Change (points)", "change", "Change"),
    Column("duty_hours", "Duty hours", "hours", "Duty h"),
    Column("time_outside", "Time outside (%)", "percent", "Outside"),
    Column("tasks_on_time", "Tasks on time (%)", "percent", "On time"),
)
COLUMNS: dict[Level, tuple[Column, ...]] = {
    Level.BEAT: (Column("code", "Beat"), Column("name", "Name"), *_TAIL),
    Level.OFFICER: (Column("code", "Collar"), Column("name", "Name"), Column("role", "Role"), *_TAIL),
}


def value_of(row: LeagueRow, key: str):
    """The raw value of column ``key`` (numbers unrounded, None where there is none)."""
    if key in ("code", "name"):
        return getattr(row.subject, key)
    return getattr(row, key)


# ---- filters ---------------------------------------------------------------------------------------


def areas(engine: Engine, actor: Actor) -> tuple[tuple[Area, ...], tuple[Area, ...]]:
    """The LPAs and the sectors (with their LPA) the tables can be narrowed to, by name."""
    require(actor, Action.VIEW_FORCE)
    with Session(engine) as session:
        lpas = tuple(Area(i, c, n) for i, c, n in session.execute(
            select(Lpa.id, Lpa.code, Lpa.name).order_by(Lpa.name)))
        sectors = tuple(Area(i, c, n, lpa) for i, c, n, lpa in session.execute(
            select(Sector.id, Sector.code, Sector.name, Sector.lpa_id).order_by(Sector.name)))
    return lpas, sectors


def _check_filter(lpas: dict, sectors: dict, lpa_id: int | None, sector_id: int | None) -> None:
    if lpa_id is not None and lpa_id not in lpas:
        raise ValidationError(f"LPA: no LPA has id {lpa_id}.")
    if sector_id is not None and sector_id not in sectors:
        raise ValidationError(f"sector: no sector has id {sector_id}.")
    if lpa_id is not None and sector_id is not None and sectors[sector_id][2] != lpa_id:
        raise ValidationError(f"sector: {sectors[sector_id][1]} is not in the {lpas[lpa_id][1]} LPA.")


# ---- league tables -----------------------------------------------------------------------------------


def league(
    engine: Engine, actor: Actor, level: Level | str, period: Period, *, lpa_id: int | None = None,
    sector_id: int | None = None, criteria: Criteria | None = None, now: datetime | None = None,
) -> list[LeagueRow]:
    """Beats or officers in ``period``, best score first (no score last), within an LPA and/or sector.

    An officer belongs to the sector of the beat they are posted to now (or the sector they are posted
    to); every scored officer serving in the period is listed, with the reason where there is no score."""
    require(actor, Action.VIEW_FORCE)
    level = _league_level(level)
    criteria, now = criteria or load_criteria(), reading_time(now)
    with Session(engine) as session:
        lpas, sectors, posted = _postings(session, level)
    _check_filter(lpas, sectors, lpa_id, sector_id)
    rows = _rows(engine, actor, level, period, criteria, now, lpas, sectors, posted)
    return sorted(
        (r for r, sector in rows if (sector_id is None or sector == sector_id)
         and (lpa_id is None or (sector in sectors and sectors[sector][2] == lpa_id))),
        key=_rank,
    )


def _rank(row: LeagueRow):
    return (row.score is None, -(row.score or 0.0), row.subject.code)


def _league_level(level: Level | str) -> Level:
    try:
        level = Level(level)
    except ValueError:
        level = None
    if level not in LEVELS:
        raise ValidationError(f"level: league tables are of {' and '.join(x.value + 's' for x in LEVELS)}.")
    return level


def _postings(session: Session, level: Level) -> tuple[dict, dict, dict]:
    """LPAs {id: (code, name)}, sectors {id: (code, name, lpa id)} and each subject's sector id."""
    lpas = {i: (c, n) for i, c, n in session.execute(select(Lpa.id, Lpa.code, Lpa.name))}
    sectors = {i: (c, n, lpa) for i, c, n, lpa in session.execute(
        select(Sector.id, Sector.code, Sector.name, Sector.lpa_id))}
    beats = dict(session.execute(select(Beat.id, Beat.sector_id)).all())
    if level is Level.BEAT:
        return lpas, sectors, {b: (s, "") for b, s in beats.items()}
    officers = session.execute(select(Officer.id, Officer.beat_id, Officer.sector_id, Officer.role))
    return lpas, sectors, {o: (beats.get(b, s) if b is not None else s, getattr(r, "value", r))
                           for o, b, s, r in officers}


def _rows(engine: Engine, actor: Actor, level: Level, period: Period, criteria: Criteria, now: datetime,
          lpas: dict, sectors: dict, posted: dict) -> list[tuple[LeagueRow, int | None]]:
    """Every subject's row with its sector id, unfiltered."""
    scores = score_all(engine, actor, level, period, criteria=criteria, now=now)
    measures = _officer_measures(engine, period, criteria, now) if level is Level.OFFICER else {}
    rows = []
    for subject_id, s in scores.items():
        sector, role = posted.get(subject_id, (None, ""))
        _code, name, lpa = sectors.get(sector, ("", "", None))
        outside, tasks = measures.get(subject_id, (None, None)) if level is Level.OFFICER else _team(s, criteria)
        rows.append((LeagueRow(s.subject, period, role, name, lpas.get(lpa, ("", ""))[1], s.value, s.rag, s.reason,
                               s.change, s.duty_hours, outside, tasks), sector))
    return rows


def _team(score: Score, criteria: Criteria) -> tuple[float | None, float | None]:
    """A beat's time outside and tasks on time, as its team measures counted them (None: none to count)."""
    found = {t.key: t.value for t in score.team}
    by_measure = {m.measure: m.key for m in criteria.team}
    return found.get(by_measure.get(OUTSIDE)), found.get(by_measure.get(TASKS_ON_TIME))


def _officer_measures(engine: Engine, period: Period, criteria: Criteria, now: datetime) -> dict:
    """{officer id: (time outside %, tasks on time %)}: the duty totals the score read, and the tasks
    assigned to each officer that fell due in the period (done within the team measure's grace)."""
    with Session(engine) as session:
        ctx = E._context(engine, session, criteria, now)
        facts = E.period_facts(ctx, session, period)
        key = ("officer tasks", ctx.tasks_version, ctx.people_version, ctx.key, period.start, period.end, ctx.now)
        tasks = F.cached(engine, key, lambda: F.load_tasks(session, period, ctx.now, criteria, by="officer"))
    size = int(max(facts.officer.max(initial=0), max(tasks, default=0))) + 1
    outside = np.bincount(facts.officer, facts.outside_minutes, size)
    base = np.bincount(facts.officer, facts.outside_base, size)
    result = {}
    for oid in set(facts.officer.tolist()) | set(tasks):
        due, done = tasks.get(oid, (0, 0))
        result[oid] = (float(outside[oid] / base[oid] * 100) if base[oid] > 0 else None,
                       done / due * 100 if due else None)
    return result


# ---- trend -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One calendar month of a trend (the last one runs to the trend's end day)."""

    period: Period
    label: str
    score: float | None
    rag: str | None
    duty_hours: float
    time_outside: float | None
    tasks_on_time: float | None


@dataclass(frozen=True)
class Trend:
    subject: Subject
    points: tuple[TrendPoint, ...]
    outside_target: float  # the force target for time outside the station, in %


def months_to(end: date, months: int = TREND_MONTHS) -> list[Period]:
    """``months`` calendar months, oldest first, the last from the 1st of ``end``'s month to ``end``."""
    if not 1 <= months <= 120:
        raise ValidationError(f"months: a trend covers 1 to 120 months, not {months}.")
    periods, last = [], end
    for _ in range(months):
        first = last.replace(day=1)
        periods.append(Period.custom(first, last))
        last = first - timedelta(days=1)
    return periods[::-1]


def trend(
    engine: Engine, actor: Actor, level: Level | str, subject_id: int, end: date, *, months: int = TREND_MONTHS,
    criteria: Criteria | None = None, now: datetime | None = None,
) -> Trend:
    """A beat's or an officer's score, time outside and tasks on time for each of the months to ``end``."""
    require(actor, Action.VIEW_FORCE)
    level = _league_level(level)
    criteria, now = criteria or load_criteria(), reading_time(now)
    periods = months_to(end, months)
    with Session(engine) as session:
        version = F.data_version(session)
    key = ("dashboard trend", version, hash(criteria), level, end, months, now)
    series = F.cached(engine, key, lambda: _series(engine, actor, level, periods, criteria, now))
    if subject_id not in series:
        raise ValidationError(f"{level.value}: no {level.value} with id {subject_id} was scored in the "
                              f"{months} months to {end:%d %b %Y}.")
    subject, points = series[subject_id]
    return Trend(subject, points, criteria.outside_target)


def _series(engine: Engine, actor: Actor, level: Level, periods: list[Period], criteria: Criteria,
            now: datetime) -> dict[int, tuple[Subject, tuple[TrendPoint, ...]]]:
    """Every subject's points; a month in which a subject was not scored (not yet serving) has none."""
    with Session(engine) as session:
        lpas, sectors, posted = _postings(session, level)
    months = [{r.subject.id: r for r, _ in _rows(engine, actor, level, p, criteria, now, lpas, sectors, posted)}
              for p in periods]
    result = {}
    for subject_id in sorted(set().union(*months)):
        subject = next(m[subject_id].subject for m in reversed(months) if subject_id in m)
        points = []
        for period, rows in zip(periods, months, strict=True):
            r = rows.get(subject_id)
            points.append(TrendPoint(period, f"{period.start:%b %Y}", r and r.score, r and r.rag,
                                     r.duty_hours if r else 0.0, r and r.time_outside, r and r.tasks_on_time))
        result[subject_id] = (subject, tuple(points))
    return result


# ---- CSV -----------------------------------------------------------------------------------------------


def league_table(rows: Iterable[LeagueRow], level: Level | str) -> tuple[tuple[str, ...], list[tuple]]:
    """Headers and values of a league table as CSV carries them: numbers to two decimals, blanks where
    there is none, and the period and any reason for no score as the last columns."""
    level = _league_level(level)
    columns = COLUMNS[level]
    headers = (*(c.header for c in columns), "Note", "Period from", "Period to")
    values = []
    for row in rows:
        cells = [_cell(value_of(row, c.key)) for c in columns]
        values.append((*cells, row.reason, row.period.start.isoformat(), row.period.end.isoformat()))
    return headers, values


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 2)
    return value


def write_csv(actor: Actor, path: str | os.PathLike, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Writes a header row and ``rows`` to ``path`` as UTF-8 CSV, for those who may export performance
    tables (inspectors, administrators); returns the number of rows.

    Written to a temporary file beside ``path`` and moved into place, so a failure leaves whatever was
    there before untouched and no half-written file."""
    require(actor, Action.EXPORT_REPORTS)
    path = Path(path)
    headers = [str(h) for h in headers]
    if not headers:
        raise ValidationError("CSV: a table needs at least one column.")
    rows = [list(r) for r in rows]
    for n, row in enumerate(rows, start=1):
        if len(row) != len(headers):
            raise ValidationError(f"CSV: row {n} has {len(row)} values for {len(headers)} columns.")
    if path.is_dir():
        raise ValidationError(f"CSV: {path} is a folder; choose a file name.")
    if not path.parent.is_dir():
        raise ValidationError(f"CSV: the folder {path.parent} does not exist.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ServiceError(f"CSV: cannot write in {path.parent} ({exc.strerror}).") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(rows)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ServiceError(f"CSV: cannot write {path} ({exc.strerror}).") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(rows)
