"""A synthetic large force for the scale benchmark: thousands of staff, hundreds of beats, millions of entries.

    .venv/bin/python benchmarks/scale_force.py /tmp/scale.sqlite            # 5,000 staff, 600 beats, 5M entries
    .venv/bin/python benchmarks/scale_force.py /tmp/small.sqlite --small    # 500 staff, 60 beats, 500k entries
    .venv/bin/python benchmarks/scale_force.py postgresql+psycopg://me@/scale

Not the demo force (``services.demo`` draws a few hundred people one Python object at a time): here every
row is drawn with numpy, vectorised and deterministic from the seed, and written in batches in four
transactions. The database must be new: it is migrated with the app's own ``open_database`` and
written with explicit ids from 1 (PostgreSQL's sequences are moved past them afterwards). Rows go in
by SQLAlchemy Core ``insert()`` with lists of dicts; on SQLite, by default, through the same
connection's sqlite3 ``executemany`` with the values already in the form SQLAlchemy stores them
(``--core`` to compare: Core spends most of its time in per-value bind processing).

The force: LPAs of ten sectors, sectors of six beats laid out 3 x 2 on a 3 km grid in British National
Grid metres (no ward geometry, so the map draws the hexagon layout from the centroids); an inspector
per sector, a sergeant per two or three beats (``beat_sergeant``), PCs, PCSOs and specials posted to
beats, a few of whom move beat mid-year. Twelve months of duties to yesterday (rotas of earlies, lates
and nights, leave, overtime, time outside mostly recorded), activity of the demo's kinds and
proportions spread over those duties, a few tasks per beat per day with statuses, inspectors' targets
near the force's rates (so every criterion is scored although the previous 12 months are empty), then
the derived tables through :func:`rebuild_derived`. The database is marked as a demo, labelled
"Synthetic scale force", and its parameters are kept in ``meta`` (``scale_force``).

Full size on a shared two-core machine: about 5 minutes (8 when the machine is busy). Drawing takes 6 s;
writing 5,000,000 entries 2.5 minutes, 970,000 duties and 880,000 tasks half a minute; the services'
Python rebuild of the derived totals nearly 2 minutes. Core instead of sqlite3 takes about twice as
long to write. The file is about 2 GB.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

SYNTHETIC_LABEL = "Synthetic scale force"
META_KEY = "scale_force"  # the parameters the database was generated with, as JSON
BATCH = 50_000
LONDON = ZoneInfo("Europe/London")
GRID = 3000.0  # metres between neighbouring beat centroids
ORIGIN = (380_000.0, 180_000.0)

PC, PCSO, SGT, INSP, SC = range(5)  # role codes in the arrays
TC, URBAN, TOWN, RURAL = range(4)  # beat settings
SETTING_SHARE = (0.03, 0.35, 0.32, 0.30)
SETTING_BUSY = (1.7, 1.15, 0.95, 0.7)  # activity and team size
BEAT_STAFF_SHARE = (0.47, 0.37, 0.16)  # PC, PCSO, special
PART_TIME, MOVERS, OVERTIME, NOT_RECORDED = 0.08, 0.03, 0.08, 0.03
TASK_DONE, TASK_LATE, TASK_NOT_DONE = 0.76, 0.08, 0.08  # of assigned tasks; the rest are left open (missed)
GRACE_HOURS = 12  # as resources/criteria.toml's tasks_on_time


@dataclass(frozen=True)
class Params:
    staff: int
    beats: int
    entries: int
    seed: int
    today: str
    months: int
    tasks_per_beat_day: float


@dataclass(frozen=True)
class Report:
    params: Params
    counts: dict
    seconds: dict  # step: seconds

    def lines(self) -> list[str]:
        rows = [f"  {table:<16} {count:>12,}" for table, count in self.counts.items()]
        steps = ", ".join(f"{step} {s:.1f} s" for step, s in self.seconds.items())
        return [f"{SYNTHETIC_LABEL} (seed {self.params.seed}, to {self.params.today}):", *rows, f"  time: {steps}"]


def generate(
    url: str, *, staff: int = 5000, beats: int = 600, entries: int = 5_000_000, seed: int = 1,
    today: date | None = None, progress: Callable[[str], None] = print, months: int = 12,
    tasks_per_beat_day: float = 4.0, core: bool | None = None,
) -> Report:
    """Create the synthetic force in the new database at ``url``; returns the row counts and timings.

    ``core`` None writes with sqlite3 ``executemany`` on SQLite and Core elsewhere; True forces Core."""
    from sqlalchemy import func, select

    from beatdesk.database import open_database
    from beatdesk.models import Officer, load_all

    today = today or datetime.now(LONDON).date()
    params = Params(staff, beats, entries, seed, today.isoformat(), months, tasks_per_beat_day)
    _check(params)
    clock = _Clock(progress)
    load_all()
    engine = open_database(url)
    try:
        with engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(Officer)).scalar_one():
                raise ValueError(f"{url} already holds officers: the synthetic force goes into a new database only.")
        clock.step("migrate", "migrated")
        counts = _fill(engine, params, clock, fast=not core and engine.dialect.name == "sqlite")
    finally:
        engine.dispose()
    report = Report(params, counts, clock.seconds)
    for line in report.lines():
        progress(line)
    return report


def _check(params: Params) -> None:
    if params.beats < 1 or params.entries < 0 or params.tasks_per_beat_day < 0:
        raise ValueError(f"beats must be at least 1 and entries and tasks not negative: {params}.")
    if not 1 <= params.months <= 36:
        raise ValueError(f"months must be between 1 and 36, not {params.months}.")


def _fill(engine, params: Params, clock: _Clock, fast: bool) -> dict:
    """Draw the force and write it: structure and duties, entries, tasks and targets, derived totals."""
    force = draw(params)
    clock.step("draw", f"drew {len(force.officer_role):,} staff, {len(force.duty_officer):,} duties, "
               f"{len(force.entry_duty):,} entries, {len(force.task_beat):,} tasks")
    counts = {}
    with engine.begin() as conn:
        writer = _Writer(conn, fast)
        for name, n, columns in force.structure_tables():
            counts[name] = writer.write(name, n, columns)
        counts["duty_record"] = writer.write("duty_record", *force.duty_table())
    clock.step("write force and duties", f"wrote {counts['officer']:,} officers, {counts['duty_record']:,} duties")
    with engine.begin() as conn:
        writer, n, columns = _Writer(conn, fast), *force.entry_table()
        counts["activity_entry"] = writer.write("activity_entry", n, columns,
                                                lambda done: clock.note(f"  {done:,} of {n:,} entries"))
    clock.step("write entries", f"wrote {counts['activity_entry']:,} activity entries")
    with engine.begin() as conn:
        writer = _Writer(conn, fast)
        counts["task"] = writer.write("task", *force.task_table())
        counts["target"] = writer.write("target", *force.target_table())
        if engine.dialect.name == "postgresql":
            _move_sequences(conn, list(counts))
    clock.step("write tasks", f"wrote {counts['task']:,} tasks, {counts['target']} targets")
    counts.update(rebuild_derived(engine))
    clock.step("derived", "rebuilt " + ", ".join(f"{t} ({n:,} rows)" for t, n in counts.items() if t in DERIVED))
    _mark(engine, params, counts)
    return counts


DERIVED = ("daily_total", "duty_total")


def rebuild_derived(engine) -> dict[str, int]:
    """Rebuild every derived table from the rows just written, through the services' own functions.

    The one place to change when the services' rebuilds change or derived tables are added."""
    from beatdesk.database import session_scope
    from beatdesk.services.activity.duty_totals import rebuild_duty_totals
    from beatdesk.services.activity.totals import rebuild_totals

    with session_scope(engine) as session:
        return {"daily_total": rebuild_totals(session), "duty_total": rebuild_duty_totals(session)}


def generated_params(engine) -> dict | None:
    """The parameters a synthetic force was generated with, or None when the database holds none."""
    from beatdesk.database import session_scope
    from beatdesk.services import force

    with session_scope(engine) as session:
        value = force.get_meta(session, META_KEY)
    return None if value is None else json.loads(value)


def _mark(engine, params: Params, counts: dict) -> None:
    """Label the database as the synthetic (demo) force and audit its generation, in one transaction."""
    from beatdesk.database import session_scope
    from beatdesk.models.meta import DEMO_GENERATED_AT, DEMO_SEED
    from beatdesk.services import audit, force
    from beatdesk.services.actor import Actor

    with session_scope(engine) as session:
        force.set_meta(session, DEMO_SEED, f"{params.seed}; {SYNTHETIC_LABEL}")
        force.set_meta(session, DEMO_GENERATED_AT, datetime.now(UTC).isoformat(timespec="seconds"))
        force.set_meta(session, META_KEY, json.dumps({**asdict(params), "counts": counts}))
        audit.record(session, Actor.administrator("scale benchmark"), "generate_scale_force", "force", params.seed,
                     **asdict(params), **counts)


def _move_sequences(conn, tables: list[str]) -> None:
    """Rows were written with explicit ids: start PostgreSQL's id sequences after them."""
    from sqlalchemy import text

    for table in tables:
        if table == "beat_sergeant":
            continue
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))


class _Clock:
    def __init__(self, progress: Callable[[str], None]):
        self.progress, self.started, self.last, self.seconds = progress, time.perf_counter(), time.perf_counter(), {}

    def step(self, name: str, message: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self.last
        self.last = now
        self.note(f"{message} ({self.seconds[name]:.1f} s)")

    def note(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:7.1f} s] {message}")


# ---- drawing the force: numpy arrays, ids from 1 in array order ----------------------------------------


@dataclass
class Force:
    """Every row to write, as columns. Times are whole seconds since 1970 (UTC), days since 1970."""

    first: date
    beat_sector: np.ndarray
    beat_setting: np.ndarray
    beat_xy: np.ndarray
    sectors: int
    lpas: int
    officer_role: np.ndarray
    officer_beat: np.ndarray  # current beat index (-1: sector posting)
    officer_sector: np.ndarray  # sector index of a sector posting (-1: posted to a beat)
    officer_start: np.ndarray  # days since 1970
    collars: list
    names: list
    links: list  # (beat index, officer index) of beat_sergeant
    duty_officer: np.ndarray
    duty_beat: np.ndarray
    duty_day: np.ndarray  # days since 1970 (London)
    duty_start: np.ndarray
    duty_minutes: np.ndarray
    duty_outside: np.ndarray  # -1: not recorded
    entry_duty: np.ndarray
    entry_kind: np.ndarray
    entry_beat: np.ndarray
    entry_at: np.ndarray
    entry_minutes: np.ndarray  # -1: none
    entry_source: np.ndarray  # -1: none
    entry_linked: np.ndarray  # -1: none, 0, 1
    entry_number: np.ndarray  # running number per kind and London day
    entry_local_day: np.ndarray
    task_beat: np.ndarray
    task_officer: np.ndarray  # -1: unassigned
    task_day: np.ndarray
    task_start: np.ndarray
    task_end: np.ndarray
    task_type: np.ndarray
    task_thrv: np.ndarray  # (n, 4)
    task_status: np.ndarray
    task_updated: np.ndarray  # -1: never
    targets: list  # (role key, criterion key, value)

    def structure_tables(self):
        """LPAs, sectors, beats, officers and beat_sergeant as (table, rows, columns)."""
        from beatdesk.models import Role

        roles = (Role.PC, Role.PCSO, Role.SERGEANT, Role.INSPECTOR, Role.SPECIAL)
        s = np.arange(self.sectors)
        b = np.arange(len(self.beat_sector))
        o = np.arange(len(self.officer_role))
        within = (_rank_within(self.beat_sector) + 1).tolist()
        beat_codes = [f"S{sec + 1:03d}B{k}" for sec, k in zip(self.beat_sector.tolist(), within)]
        yield "lpa", self.lpas, [
            ("id", "int", np.arange(1, self.lpas + 1)), ("code", "str", [f"L{i + 1:02d}" for i in range(self.lpas)]),
            ("name", "str", [f"{_PLACE_NAMES[i % len(_PLACE_NAMES)]} Area" for i in range(self.lpas)]),
        ]
        yield "sector", self.sectors, [
            ("id", "int", s + 1), ("code", "str", [f"S{i + 1:03d}" for i in range(self.sectors)]),
            ("name", "str", [f"{_PLACE_NAMES[i % len(_PLACE_NAMES)]} {i // len(_PLACE_NAMES) + 1}"
                             for i in range(self.sectors)]),
            ("lpa_id", "int", s // 10 + 1),
        ]
        yield "beat", len(b), [
            ("id", "int", b + 1), ("code", "str", beat_codes),
            ("name", "str", [f"{_STREETS[i % len(_STREETS)]} {i // len(_STREETS) + 1}" for i in range(len(b))]),
            ("sector_id", "int", self.beat_sector + 1),
            ("centroid_easting", "float", self.beat_xy[:, 0]), ("centroid_northing", "float", self.beat_xy[:, 1]),
        ]
        yield "officer", len(o), [
            ("id", "int", o + 1), ("collar_number", "str", self.collars), ("name", "str", self.names),
            ("role", "enum", (self.officer_role, roles)),
            ("beat_id", "int?", np.where(self.officer_beat >= 0, self.officer_beat + 1, -1)),
            ("sector_id", "int?", np.where(self.officer_sector >= 0, self.officer_sector + 1, -1)),
            ("phone", "str", [""] * len(o)),
            ("email", "str", [f"officer{i + 1}@scale.police.uk.example" for i in o.tolist()]),
            ("start_date", "date", self.officer_start), ("end_date", "int?", np.full(len(o), -1)),
        ]
        links = np.asarray(self.links, dtype=np.int64).reshape(-1, 2)
        yield "beat_sergeant", len(links), [("beat_id", "int", links[:, 0] + 1), ("officer_id", "int", links[:, 1] + 1)]

    def duty_table(self):
        n = len(self.duty_officer)
        return n, [
            ("id", "int", np.arange(1, n + 1)), ("officer_id", "int", self.duty_officer + 1),
            ("duty_date", "date", self.duty_day), ("start", "ts", self.duty_start),
            ("end", "ts", self.duty_start + self.duty_minutes * 60), ("minutes_outside", "int?", self.duty_outside),
            ("beat_id", "int?", np.where(self.duty_beat >= 0, self.duty_beat + 1, -1)),
        ]

    def entry_table(self):
        from beatdesk.models import ActivityKind, IntelSource
        from beatdesk.services.demo.activity import PREFIX

        kinds, n = tuple(ActivityKind), len(self.entry_duty)
        prefixes = [PREFIX[k] for k in kinds]
        duty = self.entry_duty

        def references(lo: int, hi: int) -> list[str]:
            days = np.datetime_as_string(self.entry_local_day[lo:hi].astype("datetime64[D]")).tolist()
            return [f"{prefixes[k]}-{d[:4]}{d[5:7]}{d[8:]}-{number:04d}" for k, d, number in
                    zip(self.entry_kind[lo:hi].tolist(), days, self.entry_number[lo:hi].tolist())]

        return n, [
            ("id", "int", np.arange(1, n + 1)), ("kind", "enum", (self.entry_kind, kinds)), ("count", "const", 1),
            ("minutes", "int?", self.entry_minutes), ("officer_id", "int", self.duty_officer[duty] + 1),
            ("beat_id", "int", self.entry_beat + 1), ("occurred_at", "ts", self.entry_at),
            ("reference", "call", references), ("note", "const", ""),
            ("intel_source", "enum?", (self.entry_source, tuple(IntelSource))),
            ("outcome_linked", "bool?", self.entry_linked),
            ("created_at", "ts", self.duty_start[duty] + self.duty_minutes[duty] * 60),
            ("duty_id", "int", duty + 1), ("version", "const", 1),
        ]

    def task_table(self):
        from beatdesk.models import TaskStatus
        from beatdesk.services.demo.task_kinds import SPECS, TYPES

        n = len(self.task_beat)
        types = tuple(TYPES)
        texts = [SPECS[t].at_point[0] for t in types]
        priority = _priority_table()[tuple((self.task_thrv - 1).T)]
        statuses = (TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.NOT_DONE)
        set_at = (self.task_day - 1) * 86400 + 21 * 3600 - _offsets_at(self.task_day * 86400)  # 21:00 the day before
        return n, [
            ("id", "int", np.arange(1, n + 1)), ("type", "enum", (self.task_type, types)),
            ("beat_id", "int", self.task_beat + 1), ("duty_date", "date", self.task_day),
            ("window_start", "ts", self.task_start), ("window_end", "ts", self.task_end),
            ("threat", "int", self.task_thrv[:, 0]), ("harm", "int", self.task_thrv[:, 1]),
            ("risk", "int", self.task_thrv[:, 2]), ("vulnerability", "int", self.task_thrv[:, 3]),
            ("priority", "int", priority),
            ("instruction", "call", lambda lo, hi: [texts[t] for t in self.task_type[lo:hi].tolist()]),
            ("local_priority", "const", ""),
            ("officer_id", "int?", np.where(self.task_officer >= 0, self.task_officer + 1, -1)),
            ("status", "enum", (self.task_status, statuses)), ("outcome", "const", ""),
            ("created_by", "const", "Synthetic sergeant"), ("created_at", "ts", set_at),
            ("updated_at", "ts?", self.task_updated), ("version", "int", np.where(self.task_status > 0, 2, 1)),
        ]

    def target_table(self):
        n = len(self.targets)
        set_at = np.full(n, (self.first.toordinal() - _EPOCH_ORDINAL - 1) * 86400 + 9 * 3600)
        return n, [
            ("id", "int", np.arange(1, n + 1)), ("role", "str", [t[0] for t in self.targets]),
            ("criterion", "str", [t[1] for t in self.targets]), ("value", "float", [t[2] for t in self.targets]),
            ("effective_from", "date", np.full(n, self.first.toordinal() - _EPOCH_ORDINAL)),
            ("set_by", "const", "Synthetic inspector"), ("set_at", "ts", set_at),
            ("note", "const", "set for the scale benchmark near the force's rate"),
        ]


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_PLACE_NAMES = ("Ashby", "Brackley", "Corby", "Daventry", "Earls Barton", "Finedon", "Geddington", "Higham",
                "Irthlingborough", "Kettering", "Long Buckby", "Moulton", "Northampton", "Oundle", "Paulerspury",
                "Raunds", "Silverstone", "Towcester", "Wellingborough", "Yardley")
_STREETS = ("Market Square", "Abbey Fields", "Brook Lane", "Castle Hill", "Church Green", "Dale Road", "Eastfield",
            "Fox Covert", "Grange Park", "High Street", "Kingsway", "Lime Walk", "Mill Meadow", "Northgate",
            "Orchard Rise", "Priory", "Queensway", "Riverside", "Station Road", "Westfield")
_FIRST = ("Alex", "Amira", "Ben", "Chloe", "Daniel", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack", "Kiran",
          "Leah", "Mohammed", "Nina", "Oliver", "Priya", "Ryan", "Sophie", "Tom", "Uma", "Will", "Yusuf", "Zoe")
_LAST = ("Adams", "Begum", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan",
         "Lewis", "Morris", "Nowak", "Owen", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walker", "Young")


def draw(params: Params) -> Force:
    """The whole force as arrays, from ``params`` alone (same parameters, same rows)."""
    from beatdesk.services.demo.generate import months_before

    rng = np.random.default_rng(params.seed)
    today = date.fromisoformat(params.today)
    first, last = months_before(today, params.months), today - timedelta(days=1)
    beat_sector, setting, xy, sectors = _beats(rng, params.beats)
    staff = _staff(rng, params.staff, beat_sector, setting, first)
    duties = _duties(rng, staff, setting, first, last)
    entries = _entries(rng, params.entries, staff, duties, setting)
    tasks = _tasks(rng, params, staff, duties, setting, beat_sector)
    targets = _targets(rng, staff, duties, entries)
    return Force(first, beat_sector, setting, xy, sectors, math.ceil(sectors / 10), **staff.public(),
                 **duties, **entries, **tasks, targets=targets)


def _beats(rng, beats: int):
    """Sectors of six beats (3 x 2 on the grid), ten sectors to an LPA, in rows that make the force about
    as tall as it is wide."""
    sectors = math.ceil(beats / 6)
    columns = math.ceil(math.sqrt(sectors * 2 / 3))
    if columns % 9 == 0:  # the map's nine spare sector colours would line up in columns
        columns += 1
    b = np.arange(beats)
    sector, k = b // 6, b % 6
    x = (sector % columns) * 3 + k % 3
    y = (sector // columns) * 2 + k // 3
    xy = np.column_stack([ORIGIN[0] + x * GRID, ORIGIN[1] + y * GRID]) + rng.uniform(-0.2, 0.2, (beats, 2)) * GRID
    setting = rng.choice(4, beats, p=SETTING_SHARE)
    return sector, setting, np.round(xy, 1), sectors


@dataclass
class _Staff:
    role: np.ndarray
    beat: np.ndarray  # current beat (sergeants: lead beat; inspectors: -1)
    sector: np.ndarray
    old_beat: np.ndarray  # beat before a move (same as beat when none)
    move_day: np.ndarray  # day index from which ``beat`` applies (0: always)
    covers: np.ndarray  # (n, 3) beats a sergeant directs, -1 padded
    part_time: np.ndarray
    hours: np.ndarray
    drive: np.ndarray
    outside: np.ndarray
    rota: np.ndarray
    start: np.ndarray
    collars: list
    names: list
    links: list

    def public(self) -> dict:
        return {"officer_role": self.role, "officer_beat": self.beat, "officer_sector": self.sector,
                "officer_start": self.start, "collars": self.collars, "names": self.names, "links": self.links}


def _staff(rng, n: int, beat_sector: np.ndarray, setting: np.ndarray, first: date) -> _Staff:
    """An inspector per sector, a sergeant per two or three beats, one PC and one PCSO on every beat, and
    the rest (PCs, PCSOs, specials) spread over the beats by how busy they are."""
    from beatdesk.services.demo.establishment import sergeant_groups

    beats, sectors = len(beat_sector), int(beat_sector.max()) + 1
    groups = [[int(c) for c in g] for s in range(sectors)
              for g in sergeant_groups([f"{b:06d}" for b in np.flatnonzero(beat_sector == s)])]
    spare = n - sectors - len(groups) - 2 * beats
    if spare < 0:
        raise ValueError(f"{n} staff are too few for {beats} beats: they need at least "
                         f"{sectors + len(groups) + 2 * beats} (an inspector per sector, a sergeant per "
                         "2-3 beats, a PC and a PCSO per beat).")
    weight = np.asarray(SETTING_BUSY)[setting]
    extra_beat = rng.choice(beats, spare, p=weight / weight.sum())
    extra_role = rng.choice(3, spare, p=BEAT_STAFF_SHARE)
    beat = np.concatenate([np.arange(beats), np.arange(beats), extra_beat])
    role = np.concatenate([np.full(beats, PC), np.full(beats, PCSO), np.asarray([PC, PCSO, SC])[extra_role]])
    order = np.lexsort((role, beat))
    beat, role = beat[order], role[order]
    lead = np.asarray([g[0] for g in groups], dtype=np.int64)
    covers = np.full((len(groups) + len(beat) + sectors, 3), -1)
    for i, g in enumerate(groups):
        covers[i, :len(g)] = g
    role = np.concatenate([np.full(len(groups), SGT), role, np.full(sectors, INSP)])
    beat = np.concatenate([lead, beat, np.full(sectors, -1)])
    sector = np.concatenate([np.full(n - sectors, -1), np.arange(sectors)])
    links = [(b, i) for i, g in enumerate(groups) for b in g]
    count = len(role)
    movable = np.flatnonzero((role == PC) | (role == PCSO))
    movers = rng.choice(movable, int(len(movable) * MOVERS), replace=False) if len(movable) else movable
    old_beat, move_day = beat.copy(), np.zeros(count, dtype=np.int64)
    for i in movers.tolist():  # to another beat of the same sector, some time mid-year
        same = np.flatnonzero(beat_sector == beat_sector[beat[i]])
        same = same[same != beat[i]]
        if len(same):
            old_beat[i], move_day[i] = rng.choice(same), rng.integers(90, 270)
    part_time = ((role == PC) | (role == PCSO)) & (rng.random(count) < PART_TIME)
    hours = np.where(part_time | (rng.random(count) < 0.7), 8, 10)
    drive = np.exp(rng.normal(0, 0.25, count)) * rng.choice([1.6, 1.0, 0.6], count, p=[0.1, 0.8, 0.1])
    team_outside = rng.uniform(0.50, 0.69, beats)
    offset = np.asarray([-0.01, 0.03, -0.10, -0.28, 0.08])[role]
    outside = np.where(beat >= 0, team_outside[np.maximum(beat, 0)], 0.55) + offset + rng.normal(0, 0.03, count)
    years = np.where(role == INSP, rng.uniform(12, 26, count), np.where(role == SGT, rng.uniform(7, 22, count),
                     np.where(role == SC, rng.uniform(1, 8, count), rng.uniform(1, 20, count))))
    start = first.toordinal() - _EPOCH_ORDINAL - (years * 365.25).astype(np.int64)
    return _Staff(role, beat, sector, old_beat, move_day, covers, part_time, hours, drive, outside,
                  rng.integers(0, 70, count), start, _collars(rng, role), _names(rng, count), links)


def _collars(rng, role: np.ndarray) -> list[str]:
    """Unique across the force: warranted ranks share four digits; PCSOs and specials have prefixes."""
    out = [""] * len(role)
    for prefix, members in (("", np.flatnonzero((role != PCSO) & (role != SC))),
                            ("PCSO", np.flatnonzero(role == PCSO)), ("SC", np.flatnonzero(role == SC))):
        low = 1000 if len(members) <= 9000 else 10_000
        numbers = rng.choice(np.arange(low, low * 10), len(members), replace=False)
        for i, number in zip(members.tolist(), numbers.tolist()):
            out[i] = f"{prefix}{number}"
    return out


def _names(rng, n: int) -> list[str]:
    first, last = rng.integers(0, len(_FIRST), n), rng.integers(0, len(_LAST), n)
    return [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first.tolist(), last.tolist())]


def _day_offsets(first: date, days: int) -> np.ndarray:
    """London's UTC offset (seconds) at noon of each day: right for every shift start (06:00 or later)."""
    return np.asarray([int(datetime(d.year, d.month, d.day, 12, tzinfo=LONDON).utcoffset().total_seconds())
                       for d in (first + timedelta(days=i) for i in range(days))])


def _offsets_at(seconds: np.ndarray) -> np.ndarray:
    """London's UTC offset (seconds) at each instant, from a table of hours."""
    if len(seconds) == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(seconds.min()) // 3600, int(seconds.max()) // 3600 + 1
    table = np.asarray([int(datetime.fromtimestamp(h * 3600, UTC).astimezone(LONDON).utcoffset().total_seconds())
                        for h in range(lo, hi + 1)])
    return table[seconds // 3600 - lo]


# local start (minutes after midnight) by shift for PCs and sergeants (8 h, 10 h); PCSOs start later
_EARLY, _LATE, _NIGHT, _DAY, _EVENING = range(5)


def _duties(rng, staff: _Staff, setting: np.ndarray, first: date, last: date) -> dict:
    """Everyone's duties from ``first`` to ``last``: rest days moving round the week, leave, overtime."""
    days = (last - first).days + 1
    n = len(staff.role)
    d = np.arange(days)
    weekday = (first.weekday() + d) % 7
    week = (first.toordinal() + d - 1) // 7
    role = staff.role[:, None]
    week_o = week[None, :] + staff.rota[:, None]
    working = np.where(staff.hours == 8, 5, 4)[:, None]
    on = ((weekday[None, :] - (week_o * 2) % 7) % 7) >= 7 - working
    first_day = (staff.rota % 5)[:, None]
    on = np.where(staff.part_time[:, None], (weekday >= first_day) & (weekday < first_day + 3), on)
    on = np.where(role == INSP, weekday[None, :] < 5, on)
    volunteer = np.asarray([0.03, 0.03, 0.03, 0.15, 0.55, 0.55, 0.05])[weekday]
    on = np.where(role == SC, rng.random((n, days)) < volunteer[None, :], on)
    on &= ~_leave(rng, n, days)
    night_beats = np.isin(setting, (TC, URBAN))
    has_nights = (staff.role == PC) & night_beats[np.maximum(staff.beat, 0)]
    cycle5 = week_o % 5
    shift = np.where(has_nights[:, None], np.where(cycle5 == 4, _NIGHT, cycle5 % 2), week_o % 2)
    shift = np.where(role == INSP, _DAY, np.where(role == SC, _EVENING, shift))
    officer, day = np.nonzero(on)
    shift = shift[officer, day]
    r, hours = staff.role[officer], staff.hours[officer]
    pcso = r == PCSO
    start = np.select(
        [shift == _EARLY, shift == _LATE, shift == _NIGHT, shift == _DAY],
        [np.where(pcso, 480, 420), np.where(pcso & (hours == 10), 780, 840), np.where(hours == 10, 1260, 1320), 480],
        1080,
    )
    length = np.select([shift == _NIGHT, shift == _DAY, shift == _EVENING], [np.where(hours == 10, 10, 9), 9, 8],
                       hours) * 60
    moved = np.isin(shift, (_EARLY, _LATE)) & (rng.random(len(officer)) < 0.15)  # covering an event or a briefing
    jitter = rng.choice([-60, -30, 30, 60], len(officer)) * moved
    overtime = rng.choice([30, 45, 60, 90, 120], len(officer)) * (
        np.isin(r, (PC, SGT, SC)) & (rng.random(len(officer)) < OVERTIME))
    day_no = first.toordinal() - _EPOCH_ORDINAL + day
    begin = day_no * 86400 + (start + jitter) * 60 - _day_offsets(first, days)[day]
    minutes = length + overtime
    keep = _rested(officer, begin, minutes)
    officer, day, day_no, begin, minutes, shift, r = (a[keep] for a in (officer, day, day_no, begin, minutes, shift, r))
    share = staff.outside[officer] + rng.normal(0, 0.07, len(officer)) - 0.04 * (shift == _NIGHT)
    outside = np.round(minutes * np.clip(share, 0.05, 0.92)).astype(np.int64)
    outside[rng.random(len(officer)) < NOT_RECORDED] = -1
    beat = np.where(day >= staff.move_day[officer], staff.beat[officer], staff.old_beat[officer])
    return {"duty_officer": officer, "duty_beat": beat, "duty_day": day_no, "duty_start": begin,
            "duty_minutes": minutes, "duty_outside": outside}


def _leave(rng, n: int, days: int) -> np.ndarray:
    """Two or three blocks of 5-14 days' leave a year, odd days off and short sicknesses."""
    away = rng.random((n, days)) < 0.025
    blocks = max(1, round(2.5 * days / 365))
    starts = rng.integers(0, days, (n, blocks))
    lengths = rng.integers(5, 15, (n, blocks))
    for i in range(n):
        for s, length in zip(starts[i].tolist(), lengths[i].tolist()):
            away[i, s:s + length] = True
    return away


def _rested(officer: np.ndarray, begin: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Drop duties starting less than 11 hours after the officer's previous one ended (two passes)."""
    keep = np.ones(len(officer), dtype=bool)
    for _ in range(2):
        idx = np.flatnonzero(keep)
        end = begin[idx] + minutes[idx] * 60
        gap = begin[idx][1:] - end[:-1]
        clash = (officer[idx][1:] == officer[idx][:-1]) & (gap < 11 * 3600)
        keep[idx[1:][clash]] = False
    return keep


def _rates():
    """Per role: the kinds an officer logs and their rates per 8 hours (the demo force's, patrols too)."""
    from beatdesk.models import ActivityKind, Role
    from beatdesk.services.demo.activity import PCSO_PATROLS, RATES

    kinds = tuple(ActivityKind)
    table = np.zeros((5, len(kinds)))
    for code, role in ((PC, Role.PC), (PCSO, Role.PCSO), (SGT, Role.SERGEANT), (SC, Role.SPECIAL)):
        for kind, rate in RATES.get(role, {}).items():
            table[code, kinds.index(kind)] = rate
    table[PCSO, kinds.index(ActivityKind.DEDICATED_PLACE)] = PCSO_PATROLS
    return kinds, table


_PATROL_MINUTES = np.asarray([15, 20, 30, 30, 45, 45, 60, 90])
_INTEL_WEIGHTS = {PC: (20, 15, 40, 25), PCSO: (45, 15, 10, 30), SGT: (25, 25, 25, 25), SC: (25, 25, 25, 25)}


def _entries(rng, target: int, staff: _Staff, duties: dict, setting: np.ndarray) -> dict:
    """About ``target`` entries over the duties, in proportion to each duty's length, the role's rates,
    the officer's drive and the beat's setting; each at a moment inside its duty, in time order."""
    from beatdesk.models import ActivityKind as K
    from beatdesk.services.demo.activity import POSITIVE_SEARCH

    kinds, rates = _rates()
    officer, minutes, start = duties["duty_officer"], duties["duty_minutes"], duties["duty_start"]
    role = staff.role[officer]
    beat = duties["duty_beat"]
    busy = np.where(beat >= 0, np.asarray(SETTING_BUSY)[setting[np.maximum(beat, 0)]], 0.0)
    weight = minutes / 480 * rates.sum(1)[role] * staff.drive[officer] * busy
    lam = weight * (target / weight.sum()) if weight.sum() else weight
    per_duty = rng.poisson(lam)
    duty = np.repeat(np.arange(len(officer)), per_duty)
    e_role = role[duty]
    kind = np.zeros(len(duty), dtype=np.int64)
    u = rng.random(len(duty))
    for code in np.unique(e_role).tolist():
        mask = e_role == code
        cum = np.cumsum(rates[code]) / rates[code].sum()
        kind[mask] = np.minimum(np.searchsorted(cum, u[mask], side="right"), len(kinds) - 1)
    place = kind == kinds.index(K.DEDICATED_PLACE)
    patrol = np.where(place, _PATROL_MINUTES[rng.integers(0, len(_PATROL_MINUTES), len(duty))], 0)
    budget = np.where(duties["duty_outside"] >= 0, duties["duty_outside"] * 0.7, minutes * 0.5)[duty]
    used = _cumsum_within(duty, patrol)
    over = place & (used > budget)  # time in places never passes the duty's time outside: log engagement instead
    kind[over], patrol[over] = kinds.index(K.ENGAGEMENT), 0
    place &= ~over
    span = np.maximum(minutes[duty] - patrol, 1)
    at = start[duty] + (rng.random(len(duty)) * span).astype(np.int64) * 60
    sgt = np.flatnonzero(e_role == SGT)
    e_beat = beat[duty]
    if len(sgt):  # a sergeant logs on any beat they direct
        covers = staff.covers[officer[duty[sgt]]]
        count = (covers >= 0).sum(1)
        e_beat[sgt] = covers[np.arange(len(sgt)), (rng.random(len(sgt)) * count).astype(np.int64)]
    source = np.full(len(duty), -1)
    intel = np.flatnonzero(kind == kinds.index(K.INTELLIGENCE))
    v = rng.random(len(intel))
    for code, weights in _INTEL_WEIGHTS.items():
        mask = e_role[intel] == code
        cum = np.cumsum(weights) / sum(weights)
        source[intel[mask]] = np.searchsorted(cum, v[mask], side="right")
    linked = np.full(len(duty), -1)
    search = kind == kinds.index(K.STOP_SEARCH)
    linked[search] = rng.random(int(search.sum())) < POSITIVE_SEARCH
    order = np.argsort(at, kind="stable")  # ids in time order, as entries are logged
    duty, kind, e_beat, at, patrol, source, linked, place = (
        a[order] for a in (duty, kind, e_beat, at, patrol, source, linked, place))
    local_day = (at + _offsets_at(at)) // 86400
    return {"entry_duty": duty, "entry_kind": kind, "entry_beat": e_beat, "entry_at": at,
            "entry_minutes": np.where(place, patrol, -1), "entry_source": source, "entry_linked": linked,
            "entry_number": _rank_within(kind * 100_000 + local_day) + 1, "entry_local_day": local_day}


def _cumsum_within(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running total of ``values`` within each run of equal (sorted) ``group``."""
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    before = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, len(group)]))
    return total - before


def _rank_within(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... in array order within each value of ``keys``."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered)) + 1]
    rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    out = np.empty(len(keys), dtype=np.int64)
    out[order] = rank
    return out


def _tasks(rng, params: Params, staff: _Staff, duties: dict, setting: np.ndarray, beat_sector: np.ndarray) -> dict:
    """About ``tasks_per_beat_day`` tasks a beat a day: most set inside the duty of a PC, PCSO or special on
    that beat (done on time, late, not done, or left open), the rest unassigned in the day."""
    from beatdesk.models import TaskType
    from beatdesk.services.demo.task_kinds import SETTINGS, SPECS, TYPES
    from beatdesk.services.demo.establishment import Setting

    officer, beat = duties["duty_officer"], duties["duty_beat"]
    role = staff.role[officer]
    tasked = np.flatnonzero(np.isin(role, (PC, PCSO, SC)) & (beat >= 0))
    beats, days = len(beat_sector), len(np.unique(duties["duty_day"]))
    wanted = params.tasks_per_beat_day * beats * days
    assigned = rng.poisson(wanted * 0.85 / max(1, len(tasked)), len(tasked))
    duty = np.repeat(tasked, assigned)
    free = int(wanted * 0.15)
    free_duty = rng.choice(tasked, free) if len(tasked) and free else np.zeros(0, dtype=np.int64)
    duty = np.concatenate([duty, free_duty])
    n = len(duty)
    unassigned = np.r_[np.zeros(len(duty) - len(free_duty), dtype=bool), np.ones(len(free_duty), dtype=bool)]
    order = {Setting.TOWN_CENTRE: TC, Setting.URBAN: URBAN, Setting.TOWN: TOWN, Setting.RURAL: RURAL}
    weights = np.zeros((4, len(TYPES)))
    for t, kind in enumerate(TYPES):
        for s, name in enumerate(SETTINGS):
            weights[order[name], t] = SPECS[kind].weights[s]
    t_beat = beat[duty]
    u = rng.random(n)
    t_type = np.zeros(n, dtype=np.int64)
    for s in range(4):
        mask = setting[t_beat] == s
        t_type[mask] = np.searchsorted(np.cumsum(weights[s]) / weights[s].sum(), u[mask], side="right")
    t_type = np.minimum(t_type, len(TYPES) - 1)
    warrant = TYPES.index(TaskType.WARRANT)
    t_type[(role[duty] == PCSO) & (t_type == warrant)] = TYPES.index(TaskType.HOTSPOT_PATROL)  # not a PCSO's
    base = np.asarray([SPECS[t].thrv for t in TYPES])[t_type]
    thrv = np.clip(base + rng.choice([-1, 0, 0, 1], (n, 4)), 1, 5)
    length = rng.choice([30, 45, 60, 90], n) * 60
    start, minutes = duties["duty_start"][duty], duties["duty_minutes"][duty]
    room = np.maximum(minutes * 60 - 3600 - length, 0)
    w_start = start + 1800 + (rng.random(n) * room / 900).astype(np.int64) * 900
    w_end = w_start + length
    roll = rng.random(n)
    done, not_done = TASK_DONE + TASK_LATE, TASK_DONE + TASK_LATE + TASK_NOT_DONE  # 0 open, 1 done, 2 not done
    status = np.where(unassigned, np.where(roll < 0.5, 0, 2), np.where(roll < done, 1, np.where(roll < not_done, 2, 0)))
    late = (~unassigned) & (roll >= TASK_DONE) & (roll < TASK_DONE + TASK_LATE)
    after = np.where(late, (GRACE_HOURS + rng.uniform(1, 48, n)) * 3600, rng.uniform(0.1, 8, n) * 3600).astype(np.int64)
    updated = np.where(status > 0, w_end + after, -1)
    order_ = np.lexsort((w_start, t_beat, duties["duty_day"][duty]))
    return {"task_beat": t_beat[order_], "task_officer": np.where(unassigned, -1, officer[duty])[order_],
            "task_day": duties["duty_day"][duty][order_], "task_start": w_start[order_], "task_end": w_end[order_],
            "task_type": t_type[order_], "task_thrv": thrv[order_], "task_status": status[order_],
            "task_updated": updated[order_]}


def _priority_table() -> np.ndarray:
    """The services' priority (1-4) of every threat, harm, risk and vulnerability score, 5 x 5 x 5 x 5."""
    from itertools import product

    from beatdesk.services.tasks.priority import assess

    table = np.zeros((5, 5, 5, 5), dtype=np.int64)
    for t, h, r, v in product(range(5), repeat=4):
        table[t, h, r, v] = assess((t + 1, h + 1, r + 1, v + 1)).level
    return table


def _targets(rng, staff: _Staff, duties: dict, entries: dict) -> list[tuple[str, str, float]]:
    """An inspector's target for each activity criterion of the criteria file, near the force's pooled rate
    for the role (0.85-1.15 of it), so beats spread around 100 %."""
    from beatdesk.models import ActivityKind, IntelSource, Role
    from beatdesk.services.scoring.criteria import COUNT, MINUTES, load_criteria

    codes = {Role.PC: PC, Role.PCSO: PCSO, Role.SERGEANT: SGT, Role.INSPECTOR: INSP, Role.SPECIAL: SC}
    kinds, sources = tuple(ActivityKind), tuple(IntelSource)
    duty_role = staff.role[duties["duty_officer"]]
    e_role = duty_role[entries["entry_duty"]]
    out = []
    for group in load_criteria().roles:
        members = [codes[r] for r in group.roles if r in codes]
        minutes = duties["duty_minutes"][np.isin(duty_role, members)].sum()
        mine = np.isin(e_role, members)
        for c in group.criteria:
            if c.measure not in (COUNT, MINUTES) or not minutes:
                continue
            mask = mine & (entries["entry_kind"] == kinds.index(c.kind))
            for column, value in c.where:
                if column == "outcome_linked":
                    mask &= entries["entry_linked"] == int(bool(value))
                elif column == "intel_source":
                    mask &= entries["entry_source"] == sources.index(IntelSource(value))
            amount = entries["entry_minutes"][mask].sum() if c.measure == MINUTES else mask.sum()
            rate = amount / minutes * (6000.0 if c.measure == COUNT else 100.0)
            if rate > 0:
                out.append((group.key, c.key, round(float(rate * rng.uniform(0.85, 1.15)), 3)))
    return out


# ---- writing ------------------------------------------------------------------------------------------


class _Writer:
    """Writes column data in batches: Core ``insert()`` with dicts, or sqlite3 ``executemany`` with values
    as SQLAlchemy would store them (the same connection and transaction)."""

    def __init__(self, conn, fast: bool):
        from beatdesk.models import load_all
        from sqlmodel import SQLModel

        load_all()
        self.conn, self.fast, self.tables = conn, fast, SQLModel.metadata.tables
        if conn.dialect.name == "sqlite":  # the indexes of millions of rows outgrow the default 2 MB page cache
            conn.exec_driver_sql("PRAGMA cache_size=-1048576")

    def write(self, name: str, n: int, columns: list, report: Callable[[int], None] | None = None) -> int:
        from sqlalchemy import insert

        names = [c[0] for c in columns]
        if self.fast:
            cursor = self.conn.connection.driver_connection.cursor()
            sql = (f'INSERT INTO {name} ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)}) '
                   f'VALUES ({", ".join("?" * len(names))})')
        for lo in range(0, n, BATCH):
            hi = min(n, lo + BATCH)
            values = [_values(kind, data, lo, hi, self.fast) for _, kind, data in columns]
            if self.fast:
                cursor.executemany(sql, zip(*values))
            else:
                self.conn.execute(insert(self.tables[name]), [dict(zip(names, row)) for row in zip(*values)])
            if report is not None and (hi // BATCH) % 20 == 0:
                report(hi)
        return n


def _values(kind: str, data, lo: int, hi: int, fast: bool) -> list:
    """One column's values for rows ``lo`` to ``hi``: Python objects for Core, stored forms for sqlite3."""
    if kind == "const":
        return [data] * (hi - lo)
    if kind == "call":
        return data(lo, hi)
    if kind == "str":
        return list(data[lo:hi])
    if kind in ("enum", "enum?"):
        codes, members = data
        stored = [m.value for m in members] if fast else list(members)
        return [None if c < 0 else stored[c] for c in codes[lo:hi].tolist()]
    values = np.asarray(data[lo:hi])
    if kind in ("int", "float"):
        return values.tolist()
    if kind == "int?":
        return [None if v < 0 else v for v in values.tolist()]
    if kind == "bool?":
        return [None if v < 0 else (v if fast else bool(v)) for v in values.tolist()]
    if kind == "date":
        days = values.astype("datetime64[D]")
        return np.datetime_as_string(days).tolist() if fast else days.tolist()
    if kind in ("ts", "ts?"):
        missing = values < 0
        stamps = np.where(missing, 0, values).astype("datetime64[s]")
        if fast:
            out = [f"{s[:10]} {s[11:]}.000000" for s in np.datetime_as_string(stamps).tolist()]
        else:
            out = [d.replace(tzinfo=UTC) for d in stamps.astype("datetime64[us]").tolist()]
        return [None if m else v for m, v in zip(missing.tolist(), out)] if missing.any() else out
    raise ValueError(f"unknown column kind {kind!r}")


# ---- command line -------------------------------------------------------------------------------------


SMALL = {"staff": 500, "beats": 60, "entries": 500_000}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="a new SQLite file or any SQLAlchemy URL")
    parser.add_argument("--small", action="store_true", help="500 staff, 60 beats, 500,000 entries")
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--beats", type=int, default=600)
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--core", action="store_true", help="write with Core insert() on SQLite too")
    args = parser.parse_args(argv)
    sizes = SMALL if args.small else {"staff": args.staff, "beats": args.beats, "entries": args.entries}
    generate(database_url(args.db), **sizes, seed=args.seed, today=args.today, months=args.months,
             core=args.core or None)


def database_url(db: str) -> str:
    """A path is an SQLite file; anything with ``://`` is a URL as it is."""
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
