"""A year of tasking on the demo force and today's board, so a sergeant opening the demo finds a working
day and an inspector a record of tasks done, late and not done.

Every beat gets the tasks its sergeant set for each day: a mix of types that suits the beat's setting, at
the team's places or at map points on the beat, scored for threat, harm, risk and vulnerability so the
priorities spread from P1 to P4. Most go to the PCs, PCSOs and specials on duty (by the same role
rules the task services apply: no warrant for a PCSO, no staff), in a window inside that person's
duty; the rest wait unassigned for the sergeant to hand out. One maker sets every day's list:

* every day of the history before yesterday has a shorter list, all given out and all finished:
  most done on time, some done late (marked done only after the grace the criteria file gives the
  tasks-on-time measure), some not done with an outcome. How well a team keeps to its tasks follows how
  far it falls short of the 60 % time-outside target, so the teams under target on the map are the
  ones late with their tasks;
* yesterday's are mostly done or not done with an outcome; those left open are carried over to today
  as ``services.tasks.carry_over`` would do it;
* today's are all open. A few force-wide templates complete the set.

Rows go in by Core inserts in the demo's transaction, deterministic from the seed and ``today``;
nothing depends on the clock.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, insert, select

from beatdesk.models import Place, PlaceKind, Role, Task, TaskStatus, TaskTemplate, TaskType
from beatdesk.services.demo.establishment import Member, Setting
from beatdesk.services.demo.places import BeatPlaces
from beatdesk.services.demo.rota import LONDON, Duty
from beatdesk.services.demo.task_kinds import (
    LATE_OUTCOME, NOT_DONE_OUTCOMES, SETTINGS, SPECS, TEMPLATES, TYPES, Spec,
)
from beatdesk.services.tasks.priority import assess
from beatdesk.services.tasks.rules import NOT_TASKED, TYPES_NOT_FOR_ROLE

PER_BEAT = {Setting.TOWN_CENTRE: (10, 12), Setting.URBAN: (6, 8), Setting.TOWN: (4, 6), Setting.RURAL: (3, 5)}
YESTERDAY_SHARE = 0.6  # of today's count: today's list includes what the night brought
HISTORY_SHARE = 0.4  # shorter still before that, so a year of lists adds little to the demo's time
ASSIGNED_SHARE = 0.72  # of today's, given out by the morning
ASSIGNED_BY_EVENING = 0.95  # of yesterday's: by the end of a day nearly all had been
DONE, NOT_DONE = 0.8, 0.12  # of yesterday's assigned tasks; the rest were left open and carry over
# Shares of a team's past tasks done late and not done: at or over the time-outside target, and
# SHORTFALL_SPAN or more under it. The rest were done on time.
OUTSIDE_TARGET, SHORTFALL_SPAN = 0.60, 0.09
LATE, NOT_DONE_PAST = (0.03, 0.20), (0.04, 0.09)
DEFAULT_GRACE_HOURS = 12.0  # the shipped criteria file's, should it not load
CHUNK = 5000
_MARGIN = timedelta(minutes=30)  # briefing at the start of a duty, write-up at the end
_STEP = timedelta(minutes=15)  # windows start on the quarter hour
_LAST_START = timedelta(hours=23)  # a task starts on its duty day, even on a night shift
_DONE_AFTER = tuple(timedelta(minutes=m) for m in (-15, -5, 5, 10, 20, 30, 45, 60, 90))  # of the window's end
_WRITE_UP = tuple(timedelta(minutes=m) for m in (5, 10, 15, 20))  # after the duty's end
_NUDGE, _EXTRA = (-1, 0, 0, 1), (0, 0, 2, 4, 6)  # to a type's usual scores; quarter hours to its usual length

_Span = tuple[datetime, datetime, timedelta]  # earliest and latest start, and length


@dataclass(frozen=True)
class Summary:
    today: int
    carried: int
    yesterday: int
    templates: int
    history: int = 0  # the days before yesterday


@dataclass(frozen=True)
class _PlaceRow:
    id: int
    name: str
    kind: PlaceKind
    peak_start: int | None


def seed_tasks(
    conn: Connection, rng: random.Random, today: date, members: list[Member], worked: Iterable[Duty],
    planned: Iterable[Duty], beat_places: dict[int, BeatPlaces], label: str, history: random.Random | None = None,
) -> Summary:
    """Write every beat's tasks: for each day ``worked`` covers before yesterday (drawn from ``history``,
    when given, so today's board is the same with or without them), yesterday's and today's, the
    carry-over between them, and the templates."""
    worked = list(worked)
    yesterday = today - timedelta(days=1)
    places = _places(conn)
    setter = _setters(members)
    past = 0
    if history is not None:
        past = _bulk(conn, _history(history, worked, yesterday, today, beat_places, places, setter, label))
    on_yesterday = _on_duty(d for d in worked if d.duty_date == yesterday)
    on_today = _on_duty(d for d in planned if d.duty_date == today)
    on_duty_ids = {d.member.officer_id for d in planned if d.duty_date == today}  # as carry_over reads it
    old_rows, new_rows, carried = [], [], []
    for points in beat_places.values():
        beat = points.beat
        maker = _BeatTasks(rng, beat.setting, beat.id, places.get(beat.id, []), points, setter.get(beat.id, label))
        count = rng.randint(*PER_BEAT[beat.setting])
        old = maker.day(yesterday, on_yesterday.get(beat.id, []), max(1, round(count * YESTERDAY_SHARE)),
                        share=ASSIGNED_BY_EVENING)
        for row, duty in old:
            maker.close_yesterday(row, duty)
        old = [row for row, _ in old]
        copies = _carry_over(old, today, on_duty_ids)
        carried += [(len(old_rows) + index, row) for index, row in copies]
        old_rows += old
        new_rows += [row for row, _ in maker.day(today, on_today.get(beat.id, []), count, [r for _, r in copies])]
    old_ids = _insert(conn, old_rows)
    for index, row in carried:
        row["carried_from_task_id"] = old_ids[index]
    _insert(conn, [row for _, row in carried] + new_rows)
    templates = _templates(conn, label, _set_at(today - timedelta(days=28)))
    return Summary(len(new_rows) + len(carried), len(carried), len(old_rows), templates, past)


def _history(rng: random.Random, worked: list[Duty], yesterday: date, today: date, beat_places: dict[int, BeatPlaces],
             places: dict[int, list[_PlaceRow]], setter: dict[int, str], label: str) -> Iterator[dict]:
    """Every beat's finished tasks for each day before yesterday, day by day, beats in code order."""
    by_day: dict[date, list[Duty]] = {}
    for duty in worked:
        if duty.duty_date < yesterday:
            by_day.setdefault(duty.duty_date, []).append(duty)
    if not by_day:
        return
    records, grace = _records(worked), timedelta(hours=_grace_hours())
    cutoff = datetime.combine(today, time(0), tzinfo=LONDON).astimezone(UTC) - timedelta(minutes=1)
    makers = [
        _BeatTasks(rng, p.beat.setting, p.beat.id, places.get(p.beat.id, []), p, setter.get(p.beat.id, label))
        for p in beat_places.values()
    ]
    for maker in makers:  # teams on target differ too, if less
        late, not_done = records.get(maker.beat_id, (LATE[0], NOT_DONE_PAST[0]))
        records[maker.beat_id] = late * rng.uniform(0.6, 1.6), not_done * rng.uniform(0.7, 1.3)
    day = min(by_day)
    while day < yesterday:
        on_duty = _on_duty(by_day.get(day, ()))
        for maker in makers:
            count = max(1, round(rng.randint(*PER_BEAT[maker.setting]) * HISTORY_SHARE))
            for row, duty in maker.day(day, on_duty.get(maker.beat_id, []), count, share=1.0, staffed=True):
                maker.close_past(row, duty, records[maker.beat_id], grace, cutoff)
                yield row
        day += timedelta(days=1)


class _BeatTasks:
    """One beat's tasks for a day, drawn from the shared stream in a fixed order."""

    def __init__(self, rng: random.Random, setting: Setting, beat_id: int, places: list[_PlaceRow],
                 points: BeatPlaces, created_by: str):
        self.rng, self.setting, self.beat_id = rng, setting, beat_id
        self.places, self.points, self.created_by = places, points, created_by
        self.weights = [SPECS[t].weights[SETTINGS.index(setting)] for t in TYPES]

    def day(self, day: date, on_duty: list[Duty], count: int, carried: Iterable[dict] = (),
            share: float = ASSIGNED_SHARE, staffed: bool = False) -> list[tuple[dict, Duty | None]]:
        """``count`` new open tasks for ``day``, besides those ``carried`` in: no two alike, none too many
        of a type, about ``share`` of them given out. ``staffed``: only types someone on duty can take
        (nothing when nobody can), as a sergeant sets them looking back at a worked day."""
        rng, load, kinds = self.rng, dict.fromkeys((d.member.officer_id for d in on_duty), 0), Counter()
        bounds = _bounds(day)
        fits = _Fits(bounds, on_duty)
        used: set = set()  # places and instructions already given today
        for row in carried:
            kinds[row["type"]] += 1
            used.update({(row["type"], row["place_id"]), row["instruction"]})
        rows = []
        base = list(self.weights)
        weights = [w if kinds[t] < SPECS[t].most else 0 for t, w in zip(TYPES, base, strict=True)]
        while len(rows) < count:
            kind = rng.choices(TYPES, weights if any(weights) else base)[0]
            if staffed and not fits.able(kind):  # nobody to take it: not a type to set today
                base[_INDEX[kind]] = weights[_INDEX[kind]] = 0
                if not any(base):
                    break
                continue
            kinds[kind] += 1
            spec = SPECS[kind]
            if kinds[kind] >= spec.most:
                weights[_INDEX[kind]] = 0
            duty, span = self._assignee(spec, fits.able(kind), load, share)
            if duty is not None:
                load[duty.member.officer_id] += 1
            elif fits.fits(kind) and rng.random() < 0.7:  # in someone's duty, so they could take it
                span = _pick(rng, fits.fits(kind))[1]
            rows.append((self._row(day, kind, spec, duty, span or bounds[kind], used), duty))
        return rows

    def close_yesterday(self, row: dict, duty: Duty | None) -> None:
        """Yesterday's task as its assignee left it: done, not done, or still open to be carried over."""
        roll, spec = self.rng.random(), SPECS[row["type"]]
        if duty is not None and roll < DONE:
            _finish(row, TaskStatus.DONE, _pick(self.rng, spec.done), self._after(row))
        elif duty is not None and roll < DONE + NOT_DONE:
            _finish(row, TaskStatus.NOT_DONE, _pick(self.rng, NOT_DONE_OUTCOMES), self._after(row))

    def close_past(self, row: dict, duty: Duty, record: tuple[float, float], grace: timedelta,
                   cutoff: datetime) -> None:
        """A worked day's task as its assignee finished it: not done (written up at the end of the duty),
        done late (after the grace, on a later duty, yet before ``cutoff``) or done on time (during or
        shortly after its window). The less driven are late more often."""
        rng, spec = self.rng, SPECS[row["type"]]
        late, not_done = record
        late *= min(1.6, max(0.6, 1 / duty.member.drive))
        roll, start, end = rng.random(), row["window_start"], row["window_end"]
        if roll < not_done:
            at = duty.end + _pick(rng, _WRITE_UP)
            _finish(row, TaskStatus.NOT_DONE, _pick(rng, NOT_DONE_OUTCOMES), min(at, cutoff))
        elif roll < not_done + late:
            at = min(end + grace + _STEP * (4 + int(rng.random() * 93)), cutoff)  # an hour to a day after grace
            _finish(row, TaskStatus.DONE, LATE_OUTCOME.format(done=_pick(rng, spec.done)), at)
        else:
            at = max(start + timedelta(minutes=10), end + _pick(rng, _DONE_AFTER))
            _finish(row, TaskStatus.DONE, _pick(rng, spec.done), at)

    def _after(self, row: dict) -> datetime:
        return row["window_end"] + timedelta(minutes=self.rng.choice((10, 20, 30)))

    def _assignee(self, spec: Spec, able: list[tuple[Duty, _Span]], load: dict[int, int],
                  share: float) -> tuple[Duty | None, _Span | None]:
        """Someone on duty at a suitable time (the preferred role twice as likely, the busy less), or nobody."""
        if not able or self.rng.random() >= share:
            return None, None
        weights = [(2 if d.member.role is spec.roles[0] else 1) / (1 + load[d.member.officer_id]) ** 2
                   for d, _ in able]
        return self.rng.choices(able, weights)[0]

    def _row(self, day: date, kind: TaskType, spec: Spec, duty: Duty | None, span: _Span, used: set) -> dict:
        """An open task, set the evening before."""
        rng = self.rng
        place = self._place(spec, kind, used)
        if place is not None:
            point, text = None, _fresh(rng, spec.at_place, used).format(place=place.name)
        else:
            point = self.points.point(rng, kind in (TaskType.HOTSPOT_PATROL, TaskType.INTELLIGENCE))
            text = _fresh(rng, spec.at_point, used)
        scores = tuple([min(5, max(1, s + _pick(rng, _NUDGE))) for s in spec.thrv])
        start, end = _window(rng, day, span, place)
        local = spec.local.get(self.setting, "") if rng.random() < 0.6 else ""
        return {
            "type": kind, "beat_id": self.beat_id, "place_id": place.id if place else None,
            "point_easting": point[0] if point else None, "point_northing": point[1] if point else None,
            "duty_date": day, "window_start": start, "window_end": end,
            "threat": scores[0], "harm": scores[1], "risk": scores[2], "vulnerability": scores[3],
            "priority": _level(scores), "instruction": text, "local_priority": local,
            "officer_id": duty.member.officer_id if duty else None, "status": TaskStatus.OPEN, "outcome": "",
            "carried_from_task_id": None, "created_by": self.created_by, "created_at": _set_at(day),
            "updated_at": None, "version": 1,  # changed: 0 by default, as bulk rows have it
        }

    def _place(self, spec: Spec, kind: TaskType, used: set) -> _PlaceRow | None:
        """One of the beat's places of a kind the task suits and not yet used for it today, or None for a
        map point (now and then anyway)."""
        if not spec.places or self.rng.random() < 0.2:
            return None
        for place_kind in spec.places:
            found = [p for p in self.places if p.kind is place_kind and (kind, p.id) not in used]
            if found:
                place = _pick(self.rng, found)
                used.add((kind, place.id))
                return place
        return None


def may_do(role: Role, kind: TaskType) -> bool:
    """The task services' role rules: staff are not tasked, a PCSO executes no warrant."""
    return role not in NOT_TASKED and kind not in TYPES_NOT_FOR_ROLE.get(role, ())


_TASKABLE = {role: frozenset(t for t in TYPES if may_do(role, t)) for role in Role}
_INDEX = {t: i for i, t in enumerate(TYPES)}


@functools.lru_cache(maxsize=8)
def _bounds(day: date) -> dict[TaskType, _Span]:
    """Each type's earliest and latest start on ``day`` (at its hours, in UTC from here: real minutes,
    not wall clock) and its length. Worked out once a day for every beat."""
    midnight = datetime.combine(day, time(0), tzinfo=LONDON)
    latest = (midnight + _LAST_START).astimezone(UTC)
    found = {}
    for kind, spec in SPECS.items():
        first, last = (datetime.combine(day, t, tzinfo=LONDON).astimezone(UTC) for t in spec.starts)
        found[kind] = (first, min(last, latest), timedelta(minutes=spec.minutes))
    return found


class _Fits:
    """Who on duty may do a type of task and when they could start (the type's ``bounds`` narrowed to
    their duty, after its briefing and before its write-up); and of those, who is of a role it is for.
    Worked out for a type when first asked, since a day's list uses only a few."""

    def __init__(self, bounds: dict[TaskType, _Span], on_duty: list[Duty]):
        self._bounds, self._found = bounds, {}
        self._inner = [(d, d.member.role, d.start + _MARGIN, d.end - _MARGIN) for d in on_duty]

    def fits(self, kind: TaskType) -> list[tuple[Duty, _Span]]:
        return self._of(kind)[0]

    def able(self, kind: TaskType) -> list[tuple[Duty, _Span]]:
        return self._of(kind)[1]

    def _of(self, kind: TaskType) -> tuple[list, list]:
        found = self._found.get(kind)
        if found is None:
            first, last, length = self._bounds[kind]
            fits, able, roles = [], [], SPECS[kind].roles
            for duty, role, after, before in self._inner:
                if kind in _TASKABLE[role]:
                    start, end = max(first, after), min(last, before - length)
                    if start <= end:
                        fits.append(fit := (duty, (start, end, length)))
                        if role in roles:
                            able.append(fit)
            found = self._found[kind] = fits, able
        return found


def _window(rng: random.Random, day: date, span: _Span, place: _PlaceRow | None) -> tuple[datetime, datetime]:
    """A start on the quarter hour within ``span`` (at the place's peak when that fits), for the task's
    usual length or longer when the span allows."""
    first, last, length = span
    steps = int((last - first) / _STEP)
    start = first + _STEP * int(rng.random() * (steps + 1))
    if place is not None and place.peak_start is not None:
        peak = datetime.combine(day, time(*divmod(place.peak_start, 60)), tzinfo=LONDON).astimezone(UTC)
        if first <= peak <= last:
            start = peak
    extra = min(int((last - start) / _STEP), _pick(rng, _EXTRA))  # an hour or more for some
    end = start + length + _STEP * extra
    return start, end


def _finish(row: dict, status: TaskStatus, outcome: str, at: datetime) -> None:
    """The one update a finished task had: its status and outcome, at ``at``."""
    row.update(status=status, outcome=outcome, version=2, updated_at=at)


def _records(worked: list[Duty]) -> dict[int, tuple[float, float]]:
    """Each beat's shares of past tasks done late and not done, from how far the time outside its team
    recorded (as the team measure counts it: everyone posted to the beat) fell short of the target."""
    outside: Counter = Counter()
    minutes: Counter = Counter()
    for duty in worked:
        member = duty.member
        if member.sector_id is None and member.beat is not None and duty.minutes_outside is not None:
            outside[member.beat.id] += duty.minutes_outside
            minutes[member.beat.id] += duty.minutes
    records = {}
    for beat_id, total in minutes.items():
        short = min(1.0, max(0.0, (OUTSIDE_TARGET - outside[beat_id] / total) / SHORTFALL_SPAN))
        records[beat_id] = (LATE[0] + (LATE[1] - LATE[0]) * short,
                            NOT_DONE_PAST[0] + (NOT_DONE_PAST[1] - NOT_DONE_PAST[0]) * short)
    return records


def _grace_hours() -> float:
    """How long after its window a task may be marked done and still count as on time."""
    from beatdesk.services.scoring.criteria import TASKS_ON_TIME, CriteriaError, load_criteria

    try:
        measures = load_criteria().team
    except CriteriaError:  # the scores will say what is wrong with the file; the demo still has its tasks
        return DEFAULT_GRACE_HOURS
    return next((m.grace_hours for m in measures if m.measure == TASKS_ON_TIME), DEFAULT_GRACE_HOURS)


def _carry_over(old_rows: list[dict], today: date, on_duty: set[int]) -> list[tuple[int, dict]]:
    """What ``services.tasks.carry_over`` makes of yesterday's open tasks: a linked copy at the same local
    times, kept with its assignee only when they are on duty today, and the old task marked not done,
    "carried over". Returns each copy with the index of the task it continues (linked once inserted)."""
    at = datetime.combine(today, time(0), tzinfo=LONDON).astimezone(UTC)  # at midnight, before anyone starts
    copies = []
    for index, row in enumerate(old_rows):
        if row["status"].finished:
            continue
        start = _same_local_time(row["window_start"], timedelta(days=1))
        copies.append((index, {
            **row, "duty_date": today, "window_start": start,
            "window_end": start + (row["window_end"] - row["window_start"]),
            "officer_id": row["officer_id"] if row["officer_id"] in on_duty else None, "created_at": at,
        }))
        _finish(row, TaskStatus.NOT_DONE, f"carried over to {today.isoformat()}", at)
    return copies


def _insert(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert task rows in order; returns their new ids in the same order."""
    if not rows:
        return []
    table = Task.__table__
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def _bulk(conn: Connection, rows: Iterable[dict]) -> int:
    """Insert task rows in chunks, none of them needing its id back; returns how many."""
    table, chunk, total = Task.__table__, [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            conn.execute(insert(table), chunk)
            total, chunk = total + len(chunk), []
    if chunk:
        conn.execute(insert(table), chunk)
        total += len(chunk)
    return total


def _templates(conn: Connection, label: str, at: datetime) -> int:
    """The force-wide templates, skipping any name already taken."""
    taken = set(conn.execute(select(TaskTemplate.name)).scalars())
    rows = [
        {"name": name, "type": kind, "threat": t, "harm": h, "risk": r, "vulnerability": v, "instruction": text,
         "window_start": start[0] * 60 + start[1], "window_end": end[0] * 60 + end[1], "beat_id": None,
         "place_id": None, "created_by": label, "created_at": at}
        for name, kind, (t, h, r, v), text, start, end in TEMPLATES if name not in taken
    ]
    if rows:
        conn.execute(insert(TaskTemplate.__table__), rows)
    return len(rows)


def _places(conn: Connection) -> dict[int, list[_PlaceRow]]:
    found: dict[int, list[_PlaceRow]] = {}
    p = Place
    for beat_id, id_, name, kind, peak in conn.execute(
        select(p.beat_id, p.id, p.name, p.kind, p.peak_start).where(p.active).order_by(p.beat_id, p.id)
    ):
        found.setdefault(beat_id, []).append(_PlaceRow(id_, name, PlaceKind(kind), peak))
    return found


def _setters(members: list[Member]) -> dict[int, str]:
    """Who sets each beat's tasks: the sergeant who directs it."""
    return {beat.id: f"Sgt {m.name} ({m.collar_number})" for m in members if m.role is Role.SERGEANT
            for beat in m.covers}


def _on_duty(duties: Iterable[Duty]) -> dict[int, list[Duty]]:
    """Each beat's PCs, PCSOs and specials on duty, in the order their duties start."""
    by_beat: dict[int, list[Duty]] = {}
    for duty in sorted(duties, key=lambda d: (d.start, d.member.collar_number)):
        if duty.member.role in (Role.PC, Role.PCSO, Role.SPECIAL):
            by_beat.setdefault(duty.member.beat.id, []).append(duty)
    return by_beat


@functools.lru_cache(maxsize=8)
def _set_at(day: date) -> datetime:
    """Tasks for ``day`` are set the evening before (21:00 local), so never after they begin."""
    return (datetime.combine(day, time(0), tzinfo=LONDON) - timedelta(hours=3)).astimezone(UTC)


@functools.lru_cache(maxsize=1024)
def _level(scores: tuple[int, ...]) -> int:
    return assess(scores).level


def _same_local_time(moment: datetime, shift: timedelta) -> datetime:
    local = moment.astimezone(LONDON)
    return datetime.combine(local.date() + shift, local.time(), tzinfo=LONDON).astimezone(UTC)


def _pick(rng: random.Random, items):
    return items[int(rng.random() * len(items))]


def _fresh(rng: random.Random, texts: tuple[str, ...], used: set) -> str:
    """One of ``texts`` not yet used today, if any is left."""
    text = _pick(rng, [t for t in texts if t not in used] or texts)
    used.add(text)
    return text
