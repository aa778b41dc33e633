"""Everything a score sums, held in memory per database and brought up to date by what changed.

At the scale of a large force (5,000 officers, five million entries a year) even the derived daily
totals are millions of rows: summing them in SQL for every period the map asks for takes seconds,
and every entry logged anywhere would make the next map colour wait that long again. So the store
reads ``daily_total``, ``duty_total`` and the tasks once, and afterwards only the rows whose
``changed`` stamp is above the change clock it last saw (see ``services/changes.py``); a new clock
generation (a rebuild, a restore) makes it read everything again.

Activity is kept per *cell* (an officer on a beat, and a bucket: kind, linked outcome, intelligence
source), duties per *slot* (an officer on a beat), tasks per task. A period's totals come out as
:class:`facts.SlotFacts` and per-beat task counts, exactly what the SQL group-bys gave before.
"""

from __future__ import annotations

import functools
import threading
import weakref
from itertools import chain
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Engine, case, cast, func, literal, select
from sqlalchemy import Float, Integer
from sqlmodel import Session

from beatdesk.models import ActivityKind, DailyTotal, DutyTotal, IntelSource, Task, TaskStatus, UTCDateTime
from beatdesk.services import changes
from beatdesk.services.scoring.criteria import MINUTES
from beatdesk.services.scoring.day_totals import DayTotals

EPOCH = date(1970, 1, 1)
KINDS = list(ActivityKind)
SOURCES = ["", *(s.value for s in IntelSource)]
BUCKETS_PER_KIND = 2 * len(SOURCES)  # linked or not, times each source


def bucket_of(kind_index: int, linked: bool, source_index: int) -> int:
    return kind_index * BUCKETS_PER_KIND + int(linked) * len(SOURCES) + source_index


def _bucket_fields(bucket: int) -> tuple[ActivityKind, bool, str]:
    kind, rest = divmod(bucket, BUCKETS_PER_KIND)
    linked, source = divmod(rest, len(SOURCES))
    return KINDS[kind], bool(linked), SOURCES[source]


@dataclass
class _Tasks:
    beat: np.ndarray
    officer: np.ndarray  # the assignee, 0 for none
    day: np.ndarray
    end: np.ndarray  # window end, in the database's own time unit (see _time)
    done: np.ndarray  # when marked done, NaN if not done


class ScoreStore:
    """The derived totals of one database, in memory. Use :func:`store_for`; call :meth:`refresh` first."""

    def __init__(self):
        self.lock = threading.Lock()  # refresh and reads: the map and the dashboard score on worker threads
        # what results read from the store are cached on: they only ever go up, reloads included, so a
        # key can never come back to mean older data
        self.totals_version = 0  # moves when activity or duty totals change
        self.tasks_version = 0  # moves when tasks change
        self._reset()

    def _reset(self) -> None:
        self.generation: int | None = None
        self.clock = -1
        self.slots: dict[int, int] = {}  # officer << 32 | beat: slot
        self.slot_officer = np.zeros(0, np.int64)
        self.slot_beat = np.zeros(0, np.int64)
        self.cells: dict[int, int] = {}  # slot << 16 | bucket: cell
        self.cell_slot = np.zeros(0, np.int64)
        self.cell_bucket = np.zeros(0, np.int64)
        self.activity = DayTotals(2)  # count, minutes per cell
        self.duties = DayTotals(3)  # minutes, outside, outside_base per slot
        self.tasks = _Tasks(*(np.zeros(0, t) for t in (np.int64, np.int64, np.int64, np.float64, np.float64)))
        self.day_unit = 1.0
        self.newest = (0, 0, 0)  # the highest row ids of daily_total, duty_total and task seen

    # ---- keeping up -----------------------------------------------------------------------------------

    def refresh(self, session: Session) -> None:
        """Read what changed since the last refresh (everything, the first time or after a rebuild)."""
        # the clock first, in one statement with the newest ids (one snapshot): rows read after are at
        # least as new
        tables = (DailyTotal.__table__, DutyTotal.__table__, Task.__table__)
        generation, clock, *newest = changes.read(session, *tables)
        newest = tuple(newest)
        try:
            if generation != self.generation or clock < self.clock:
                self._load(session, clock)
            elif clock > self.clock:
                seen = self._catch_up(session, clock)
                if any(n > max(old, got) for n, old, got in zip(newest, self.newest, seen)):
                    self._load(session, clock)  # rows added behind the services' back, unstamped: start again
            elif newest != self.newest:
                self._load(session, clock)
        except BaseException:
            self._reset()  # half applied is worse than empty: the next refresh reads everything
            raise
        self.generation, self.clock, self.newest = generation, clock, newest

    @property
    def versions(self) -> tuple:
        """What results read from the store may be cached on: (generation, totals, tasks)."""
        return self.generation, self.totals_version, self.tasks_version

    def _load(self, session: Session, clock: int) -> None:
        self._reset()
        self.totals_version += 1
        self.tasks_version += 1
        dialect = session.get_bind().dialect.name
        self.day_unit = 1.0 if dialect == "sqlite" else 86400.0
        a = self._activity_rows(session, None)
        slots = self._slots_of(a[:, 0], a[:, 1])
        cells = self._cells_of(slots, a[:, 3])
        self.activity.load(a[:, 2], cells, a[:, 4:6], len(self.cell_slot))
        d = self._duty_rows(session, None)
        self.duties.load(d[:, 2], self._slots_of(d[:, 0], d[:, 1]), d[:, 3:6], len(self.slot_officer))
        self._set_tasks(session, None)

    def _catch_up(self, session: Session, clock: int) -> tuple[int, int, int]:
        """Apply the rows stamped after the last refresh; returns the highest ids among them."""
        a = self._activity_rows(session, self.clock)
        d = self._duty_rows(session, self.clock)
        cells = self._cells_of(self._slots_of(a[:, 0], a[:, 1]), a[:, 3])
        duty_slots = self._slots_of(d[:, 0], d[:, 1])
        self.activity.apply(a[:, 2], cells, a[:, 4:6], len(self.cell_slot))
        self.duties.apply(d[:, 2], duty_slots, d[:, 3:6], len(self.slot_officer))
        tasks = self._set_tasks(session, self.clock)
        self.totals_version += bool(len(a) or len(d))
        return int(a[:, 6].max(initial=0)), int(d[:, 6].max(initial=0)), tasks

    def _activity_rows(self, session: Session, since: int | None) -> np.ndarray:
        """officer, beat, day, bucket, count, minutes per row of ``daily_total`` (changed after ``since``)."""
        t = DailyTotal.__table__.c
        kind = case({k.value: i for i, k in enumerate(KINDS)}, value=t.kind, else_=0)
        source = case({s: i for i, s in enumerate(SOURCES)}, value=t.intel_source, else_=0)
        linked = case((t.outcome_linked, 1), else_=0)
        bucket = kind * BUCKETS_PER_KIND + linked * len(SOURCES) + source
        query = select(t.officer_id, t.beat_id, _day(session, t.day), bucket, t.count, t.minutes, t.id)
        if since is not None:
            query = query.where(t.changed > since)
        return _array(session, query, 7)

    def _duty_rows(self, session: Session, since: int | None) -> np.ndarray:
        t = DutyTotal.__table__.c
        query = select(t.officer_id, t.beat_id, _day(session, t.day), t.minutes, t.outside, t.outside_base, t.id)
        if since is not None:
            query = query.where(t.changed > since)
        return _array(session, query, 7)

    def _set_tasks(self, session: Session, since: int | None) -> int:
        """Read the tasks (changed after ``since``) into the arrays; returns the highest id read."""
        t = Task.__table__.c
        done = case((t.status == TaskStatus.DONE.value, _time(session, t.updated_at)), else_=None)
        officer = func.coalesce(t.officer_id, 0)
        query = select(t.id, t.beat_id, _day(session, t.duty_date), _time(session, t.window_end), done, officer)
        if since is not None:
            query = query.where(t.changed > since)
        rows = _fetch(session, query)
        if not rows:
            return 0
        self.tasks_version += 1
        ids = np.asarray([r[0] for r in rows], dtype=np.int64)
        tasks = self.tasks
        size = int(ids.max()) + 1
        if size > len(tasks.beat):
            grow = size - len(tasks.beat)
            tasks.beat = np.concatenate([tasks.beat, np.zeros(grow, np.int64)])
            tasks.officer = np.concatenate([tasks.officer, np.zeros(grow, np.int64)])
            tasks.day = np.concatenate([tasks.day, np.full(grow, -1, np.int64)])  # -1: no such task
            tasks.end = np.concatenate([tasks.end, np.zeros(grow)])
            tasks.done = np.concatenate([tasks.done, np.full(grow, np.nan)])
        tasks.beat[ids] = [r[1] for r in rows]
        tasks.officer[ids] = [r[5] for r in rows]
        tasks.day[ids] = [r[2] for r in rows]
        tasks.end[ids] = [float(r[3]) for r in rows]
        tasks.done[ids] = [np.nan if r[4] is None else float(r[4]) for r in rows]
        return int(ids.max())

    def _slots_of(self, officers: np.ndarray, beats: np.ndarray) -> np.ndarray:
        """The slot of each (officer, beat), new slots numbered on."""
        slots, new = _numbered(self.slots, (officers.astype(np.int64) << 32) | beats.astype(np.int64))
        self.slot_officer = np.concatenate([self.slot_officer, new >> 32])
        self.slot_beat = np.concatenate([self.slot_beat, new & 0xFFFFFFFF])
        return slots

    def _cells_of(self, slots: np.ndarray, buckets: np.ndarray) -> np.ndarray:
        """The cell of each (slot, bucket), new cells numbered on."""
        cells, new = _numbered(self.cells, (slots.astype(np.int64) << 16) | buckets.astype(np.int64))
        self.cell_slot = np.concatenate([self.cell_slot, new >> 16])
        self.cell_bucket = np.concatenate([self.cell_bucket, new & 0xFFFF])
        return cells

    # ---- reading a period ---------------------------------------------------------------------------

    def slot_totals(self, first: date, last: date, duty_last: date, sources: tuple) -> tuple:
        """Per slot: officer, beat, duty minutes, outside, outside base, and each source's amount."""
        n_slots = len(self.slot_officer)
        duty = self.duties.total(_days(first), _days(duty_last))
        duty = np.vstack([duty, np.zeros((n_slots - len(duty), 3))]) if len(duty) < n_slots else duty
        sums = self.activity.total(_days(first), _days(last))
        amounts = np.zeros((n_slots, len(sources)))
        if len(sums):
            matrix = _source_matrix(sources)
            per_cell = sums[:, 0:1] * matrix[0][self.cell_bucket] + sums[:, 1:2] * matrix[1][self.cell_bucket]
            for j in range(len(sources)):
                amounts[:, j] = np.bincount(self.cell_slot, per_cell[:, j], n_slots)
        return self.slot_officer.copy(), self.slot_beat.copy(), duty[:n_slots], amounts

    def task_totals(self, first: date, last: date, now_value: float, grace_hours: float, by: str = "beat"
                    ) -> dict[int, tuple[int, int]]:
        """Per beat (or assignee: ``by="officer"``): tasks of the days whose window had ended by
        ``now_value``, and those done on time."""
        t = self.tasks
        due = (t.day >= _days(first)) & (t.day <= _days(last))  # ids with no task have day -1
        due &= t.end <= now_value
        if not due.any():
            return {}
        with np.errstate(invalid="ignore"):  # as the SQL compares: done <= end + grace; NaN (not done) never is
            on_time = due & (t.done <= t.end + grace_hours / 24.0 * self.day_unit)
        who = t.beat if by == "beat" else t.officer
        counts = np.bincount(who, due)
        done = np.bincount(who, on_time)
        return {int(b): (int(counts[b]), int(done[b])) for b in np.flatnonzero(counts) if b}


@functools.lru_cache(maxsize=16)
def _source_matrix(sources: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(buckets, sources) weights of counts and of minutes: what each bucket adds to each source."""
    n = len(KINDS) * BUCKETS_PER_KIND
    counts, minutes = np.zeros((n, len(sources))), np.zeros((n, len(sources)))
    for b in range(n):
        kind, linked, source = _bucket_fields(b)
        fields = {"outcome_linked": linked, "intel_source": source}
        for j, (measure, want, where) in enumerate(sources):
            if want != kind or any(fields[k] != getattr(v, "value", v) for k, v in where):
                continue
            (minutes if measure == MINUTES else counts)[b, j] = 1.0
    return counts, minutes


# ---- SQL pieces ------------------------------------------------------------------------------------


def _day(session: Session, column):
    """A date column as days since 1 January 1970."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(column) - 2440587.5, Integer)
    return column - literal(EPOCH)


def _time(session: Session, column):
    """A moment as the database itself compares them: SQLite's julian day, PostgreSQL's epoch seconds."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(column)
    return cast(func.extract("epoch", column), Float)


def time_value(session: Session, moment: datetime) -> float:
    """``moment`` in the unit of :func:`_time`, computed by the database so equal moments compare equal."""
    return float(session.execute(select(_time(session, literal(moment, UTCDateTime())))).scalar_one())


def _numbered(numbers: dict[int, int], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each key's number in ``numbers``, adding the keys not there yet (numbered on, in key order);
    returns the numbers and the new keys. Python touches each distinct key once, not each row."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    found = np.fromiter((numbers.get(k, -1) for k in distinct.tolist()), np.int64, len(distinct))
    new = found < 0
    found[new] = np.arange(len(numbers), len(numbers) + int(new.sum()))
    numbers.update(zip(distinct[new].tolist(), found[new].tolist()))
    return found[inverse].reshape(-1), distinct[new]


def _days(day: date) -> int:
    return (day - EPOCH).days


def _fetch(session: Session, query) -> list[tuple]:
    """The rows as plain tuples straight from the driver: at a million rows, SQLAlchemy's row objects
    (and numpy probing them by key) cost far more than the query."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _array(session: Session, query, width: int) -> np.ndarray:
    rows = _fetch(session, query)
    if not rows:
        return np.zeros((0, width), np.int64)
    return np.fromiter(chain.from_iterable(rows), np.int64, len(rows) * width).reshape(-1, width)


# ---- one store per database ------------------------------------------------------------------------

_stores: weakref.WeakKeyDictionary[Engine, ScoreStore] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def store_for(engine: Engine) -> ScoreStore:
    with _stores_lock:
        store = _stores.get(engine)
        if store is None:
            store = _stores[engine] = ScoreStore()
        return store


def forget(engine: Engine | None = None) -> None:
    with _stores_lock:
        if engine is None:
            _stores.clear()
        else:
            _stores.pop(engine, None)
