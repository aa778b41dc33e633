"""The totals a period's scores are made from, as numpy arrays.

One row per *slot*: an officer on a beat. Duty minutes go to the beat the duty was worked on
(``duty_record.beat_id``; the officer's current beat for duties recorded before it existed), activity
to the beat it was logged on. Both come from the derived totals (``daily_total``, ``duty_total``),
held in memory by ``store.py`` and kept up to date from what changed. Duties of days after ``today``
(the planned rota) are left out: hours not yet worked would lower every rate.

Results are also cached per database, keyed on the data version (the newest row id of each table a
score reads: every service write appends an audit row, bulk loads add rows), so the map, the tables
and the drill-down share one evaluation of a period until something changes. Tasks depend on the
hour (a task is due once its window has ended) and are keyed on it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, and_, cast, func, literal, select
from sqlalchemy import Integer as SAInteger
from sqlalchemy import Interval
from sqlmodel import Session

from beatdesk.models import (
    ActivityEntry, AuditEntry, Beat, ChangeClock, DailyTotal, DutyRecord, Lpa, Officer, Role, Sector, Target, Task,
    TaskStatus,
)
from beatdesk.services.scoring.criteria import MINUTES, OUTSIDE, Criteria
from beatdesk.services.scoring.periods import Period
from beatdesk.services.scoring.store import forget, store_for, time_value

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


def force_version(session: Session) -> tuple:
    """Changes when the officers, beats, sectors, LPAs or targets do: their newest ids and counts, and the
    change clock's generation. Nothing in BeatDesk edits an officer in place (people arrive by bulk load,
    which starts a new generation) and targets are only ever added, so this need not move with every
    entry logged, as ``data_version`` does."""
    tables = (Officer, Beat, Sector, Lpa, Target)
    newest = (select(func.max(t.id)).scalar_subquery() for t in tables)
    counts = (select(func.count()).select_from(t).scalar_subquery() for t in tables)
    generation = select(ChangeClock.generation).where(ChangeClock.id == 1).scalar_subquery()
    return tuple(session.execute(select(*newest, *counts, generation)).one())


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


def refreshed_store(session: Session) -> tuple:
    """Bring the database's in-memory store up to date; returns its versions, to key results on."""
    held = store_for(session.get_bind())
    with held.lock:
        held.refresh(session)
        return held.versions


def load_facts(session: Session, criteria: Criteria, force: Force, period: Period, today: date) -> SlotFacts:
    """The period's totals per slot, from the in-memory store (see :func:`refreshed_store`)."""
    sources = sources_of(criteria)
    held = store_for(session.get_bind())
    with held.lock:
        officer, beat, duty, amounts = held.slot_totals(period.start, period.end, min(period.end, today), sources)
    return SlotFacts(officer, beat, lookup(force.officer_group, officer), duty[:, 0], duty[:, 1], duty[:, 2],
                     amounts, sources)


def duty_minutes_sql(dialect: str):
    """A duty's length in whole minutes, as ``rules.duty_minutes`` counts it, in the database's SQL."""
    d = DutyRecord
    if dialect == "sqlite":
        # julianday is twice as quick as strftime('%s'); the nudge (0.6 ms) undoes its rounding error
        return cast((func.julianday(d.end) - func.julianday(d.start)) * 1440 + 1e-5, SAInteger)
    return cast(func.floor(func.extract("epoch", d.end - d.start) / 60), SAInteger)


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


def load_tasks(session: Session, period: Period, now: datetime, criteria: Criteria, by: str = "beat"
               ) -> dict[int, tuple[int, int]]:
    """Per beat (or assignee), tasks of the period's days whose window has ended by ``now``, and those
    done on time."""
    measure = next((m for m in criteria.team if m.measure == "tasks_on_time"), None)
    if measure is None:
        return {}
    held = store_for(session.get_bind())
    with held.lock:
        return held.task_totals(period.start, period.end, time_value(session, now), measure.grace_hours, by)


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
    forget(engine)

