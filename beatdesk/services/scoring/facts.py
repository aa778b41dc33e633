"""The totals a period's scores are made from, read with SQL group-bys into numpy arrays.

One row per *slot*: an officer on a beat. Duty minutes go to the beat the duty was worked on
(``duty_record.beat_id``; the officer's current beat for duties recorded before it existed), activity
to the beat it was logged on. Counts and minutes come from ``daily_total``; criteria that filter
entries (positive stop-searches, one intelligence source) have no derived total yet and are summed
from the entries with one group-by each. Duties of days after ``today`` (the planned rota) are left
out: hours not yet worked would lower every rate.

Reading is cached per database, keyed on the data version (the newest row id of each table a score
reads: every service write appends an audit row, bulk loads add rows), so the map, the tables and
the drill-down share one read of a period until something changes. Tasks, which depend on the hour
(a task is due once its window has ended), are read and cached apart from the heavier totals.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, and_, case, cast, func, literal, select
from sqlalchemy import Integer as SAInteger
from sqlalchemy import Interval
from sqlmodel import Session

from beatdesk.models import (
    ActivityEntry, AuditEntry, Beat, DailyTotal, DutyRecord, Officer, Role, Sector, Target, Task, TaskStatus,
)
from beatdesk.services.scoring.criteria import MINUTES, OUTSIDE, Criteria
from beatdesk.services.scoring.periods import Period

SLOT = 1 << 32  # officer * SLOT + beat: one int64 key per slot


@dataclass(frozen=True)
class Force:
    """Who and where, as arrays indexed by id: each officer's scored role group (-1: not scored),
    each beat's sector and each sector's LPA (-1: no such id)."""

    officer_group: np.ndarray
    beat_sector: np.ndarray
    sector_lpa: np.ndarray


@dataclass(frozen=True)
class SlotFacts:
    """A period's totals per slot. ``amounts[:, j]`` is the total of ``sources[j]``."""

    officer: np.ndarray
    beat: np.ndarray
    group: np.ndarray
    duty_minutes: np.ndarray
    outside_minutes: np.ndarray
    outside_base: np.ndarray  # duty minutes of the duties with time outside recorded
    amounts: np.ndarray
    sources: tuple

    def column(self, source: tuple) -> np.ndarray:
        return self.amounts[:, self.sources.index(source)]


def data_version(session: Session) -> tuple:
    """Changes whenever anything a score reads changes (cheap: a primary-key maximum per table)."""
    tables = (AuditEntry, ActivityEntry, DailyTotal, DutyRecord, Task, Target, Officer, Beat)
    return tuple(session.execute(select(*(select(func.max(t.id)).scalar_subquery() for t in tables))).one())


def load_force(session: Session, criteria: Criteria) -> Force:
    groups = {role.value: i for i, g in enumerate(criteria.roles) for role in g.roles}
    rows = session.execute(select(Officer.id, Officer.role))
    officers = [(oid, groups.get(Role(role).value, -1)) for oid, role in rows]
    beats = session.execute(select(Beat.id, Beat.sector_id)).all()
    sectors = session.execute(select(Sector.id, Sector.lpa_id)).all()
    return Force(_by_id(officers), _by_id(beats), _by_id(sectors))


def _by_id(pairs) -> np.ndarray:
    """``{id: value}`` as an array indexed by id, -1 where no row has that id."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    result = np.full(int(pairs[:, 0].max(initial=0)) + 1, -1, dtype=np.int64)
    result[pairs[:, 0]] = pairs[:, 1]
    return result


def lookup(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """``table[ids]``, with -1 for ids beyond it (rows added since the table was read)."""
    inside = (ids >= 0) & (ids < len(table))
    return np.where(inside, table[np.where(inside, ids, 0)], -1)


def sources_of(criteria: Criteria) -> tuple:
    """Every distinct activity total the criteria read, in a fixed order."""
    found = {c.source for g in criteria.roles for c in g.criteria if c.measure != OUTSIDE}
    return tuple(sorted(found, key=repr))


def load_facts(session: Session, criteria: Criteria, force: Force, period: Period, today: date) -> SlotFacts:
    """Three group-bys: duties, daily totals, filtered entries; combined per slot with numpy."""
    sources = sources_of(criteria)
    scored = [r.value for g in criteria.roles for r in g.roles]
    duty_rows = _duties(session, period, today, scored)
    plain = sorted({kind for _, kind, where in sources if not where})
    total_rows = _daily_totals(session, period, plain)
    filtered = sorted({kind for _, kind, where in sources if where})
    entry_rows = _filtered_entries(session, period, filtered)
    keys = [_keys(duty_rows), _keys(total_rows), _keys(entry_rows)]
    all_keys, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    n = len(all_keys)
    at_duty, at_total, at_entry = np.split(inverse, np.cumsum([len(k) for k in keys])[:-1])
    duty = np.asarray([r[2:] for r in duty_rows], dtype=np.float64).reshape(-1, 3)
    totals = _columns(total_rows, 5)
    entries = _columns(entry_rows, 7)
    amounts = np.zeros((n, len(sources)))
    for j, (measure, kind, where) in enumerate(sources):
        if not where:
            mask = totals[2] == kind.value
            values = totals[4 if measure == MINUTES else 3]
            amounts[:, j] = np.bincount(at_total[mask], values[mask].astype(np.float64), n)
            continue
        mask = entries[2] == kind.value
        for column, value in where:
            mask &= entries[3 if column == "outcome_linked" else 4] == value
        values = entries[6 if measure == MINUTES else 5]
        amounts[:, j] = np.bincount(at_entry[mask], values[mask].astype(np.float64), n)
    officer, beat = all_keys // SLOT, all_keys % SLOT
    return SlotFacts(
        officer, beat, lookup(force.officer_group, officer), np.bincount(at_duty, duty[:, 0], n),
        np.bincount(at_duty, duty[:, 1], n), np.bincount(at_duty, duty[:, 2], n), amounts, sources,
    )


def _columns(rows: list, width: int) -> list[np.ndarray]:
    """Result rows as one object array per column (kinds and sources compare as plain strings)."""
    if not rows:
        return [np.zeros(0, dtype=object) for _ in range(width)]
    table = np.empty((len(rows), width), dtype=object)
    table[:] = [tuple(getattr(v, "value", v) for v in r) for r in rows]
    return [table[:, i] for i in range(width)]


def _keys(rows) -> np.ndarray:
    if not rows:
        return np.zeros(0, np.int64)
    pairs = np.asarray([(r[0], r[1] or 0) for r in rows], dtype=np.int64)
    return pairs[:, 0] * SLOT + pairs[:, 1]


def duty_minutes_sql(dialect: str):
    """A duty's length in whole minutes, as ``rules.duty_minutes`` counts it, in the database's SQL."""
    d = DutyRecord
    if dialect == "sqlite":
        # julianday is twice as quick as strftime('%s'); the nudge (0.6 ms) undoes its rounding error
        return cast((func.julianday(d.end) - func.julianday(d.start)) * 1440 + 1e-5, SAInteger)
    return cast(func.floor(func.extract("epoch", d.end - d.start) / 60), SAInteger)


def _duties(session: Session, period: Period, today: date, roles: list[str]) -> list:
    d = DutyRecord
    minutes = duty_minutes_sql(session.get_bind().dialect.name)
    beat = func.coalesce(d.beat_id, Officer.beat_id)
    query = (
        select(d.officer_id, beat, func.sum(minutes), func.sum(func.coalesce(d.minutes_outside, 0)),
               func.sum(case((d.minutes_outside.is_not(None), minutes), else_=0)))
        .join(Officer, Officer.id == d.officer_id)
        .where(d.duty_date >= period.start, d.duty_date <= min(period.end, today), Officer.role.in_(roles))
        .group_by(d.officer_id, beat)
    )
    return session.execute(query).all()


def _daily_totals(session: Session, period: Period, kinds: list) -> list:
    if not kinds:
        return []
    t = DailyTotal
    return session.execute(
        select(t.officer_id, t.beat_id, t.kind, func.sum(t.count), func.sum(t.minutes))
        .where(t.kind.in_(kinds), t.day >= period.start, t.day <= period.end)
        .group_by(t.officer_id, t.beat_id, t.kind)
    ).all()


def _filtered_entries(session: Session, period: Period, kinds: list) -> list:
    """Entries of the kinds some criterion filters, summed by the fields filters name.

    ``daily_total`` has no outcome or source, so these few kinds are read from the entries; a total
    split by them would make this a ``daily_total`` read like the rest."""
    if not kinds:
        return []
    e = ActivityEntry
    first, after = period.utc_bounds()
    columns = (e.officer_id, e.beat_id, e.kind, e.outcome_linked, e.intel_source)
    return session.execute(
        select(*columns, func.sum(e.count), func.sum(func.coalesce(e.minutes, 0)))
        .where(e.deleted_at.is_(None), e.kind.in_(kinds), e.occurred_at >= first, e.occurred_at < after)
        .group_by(*columns)
    ).all()


def entries_query(period: Period, source: tuple, columns: list, aggregate: bool = False):
    """Live entries of ``source`` in ``period`` (London days): summed per slot, or the rows themselves."""
    measure, kind, where = source
    e = ActivityEntry
    first, after = period.utc_bounds()
    conditions = [e.deleted_at.is_(None), e.kind == kind, e.occurred_at >= first, e.occurred_at < after]
    for key, value in where:
        conditions.append(getattr(e, key) == value)
    if not aggregate:
        return select(*columns).where(*conditions)
    column = func.coalesce(e.minutes, 0) if measure == MINUTES else e.count
    return select(*columns, func.sum(column)).where(*conditions).group_by(*columns)


def task_on_time_sql(dialect: str, grace_hours: float):
    """Done, and marked done no later than ``grace_hours`` after the window's end."""
    t = Task
    if dialect == "sqlite":
        late = func.julianday(t.updated_at) <= func.julianday(t.window_end) + literal(grace_hours / 24.0)
    else:
        # a plain timedelta would take the column's own (timestamp) type: say it is an interval
        late = t.updated_at <= t.window_end + literal(timedelta(hours=grace_hours), Interval())
    return and_(t.status == TaskStatus.DONE, t.updated_at.is_not(None), late)


def load_tasks(session: Session, period: Period, now: datetime, criteria: Criteria) -> dict[int, tuple[int, int]]:
    """Per beat: tasks of the period's days whose window has ended by ``now``, and those done on time."""
    measure = next((m for m in criteria.team if m.measure == "tasks_on_time"), None)
    if measure is None:
        return {}
    t = Task
    on_time = task_on_time_sql(session.get_bind().dialect.name, measure.grace_hours)
    rows = session.execute(
        select(t.beat_id, func.count(), func.sum(case((on_time, 1), else_=0)))
        .where(t.duty_date >= period.start, t.duty_date <= period.end, t.window_end <= now)
        .group_by(t.beat_id)
    ).all()
    return {beat: (int(due), int(done or 0)) for beat, due, done in rows}


# ---- cache ------------------------------------------------------------------------------------------

_CACHE_SIZE = 48
_caches: weakref.WeakKeyDictionary[Engine, OrderedDict] = weakref.WeakKeyDictionary()
_lock = threading.Lock()  # the map, the tables and a report may score on worker threads at once


def cached(engine: Engine, key: tuple, make):
    """``make()`` once per ``key`` (which must hold the data version) for this engine, LRU-bounded.

    Two threads missing the same key both read it; the values are equal, so the later simply wins."""
    with _lock:
        cache = _caches.setdefault(engine, OrderedDict())
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with _lock:
        cache[key] = value
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return value


def clear_cache(engine: Engine | None = None) -> None:
    """Forget cached totals (after writing to the database behind the services' back, as tests do)."""
    with _lock:
        if engine is None:
            _caches.clear()
        else:
            _caches.pop(engine, None)

