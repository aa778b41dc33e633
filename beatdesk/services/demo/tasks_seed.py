"""Today's tasking on the demo force, so a sergeant opening the demo finds a working board.

Every beat gets the tasks its sergeant set for today: a mix of types that suits the beat's setting, at
the team's places or at map points on the beat, scored for threat, harm, risk and vulnerability so the
priorities spread from P1 to P4. Most go to the PCs, PCSOs and specials on duty (by the same role
rules the task services apply: no warrant for a PCSO, no staff), in a window inside that person's
planned duty; the rest wait unassigned for the sergeant to hand out. Yesterday's tasks are there too,
mostly done or not done with an outcome; those left open are carried over to today as
``services.tasks.carry_over`` would do it. A few force-wide templates complete the set.

Rows go in by Core inserts in the demo's transaction, deterministic from the seed and ``today``;
nothing depends on the clock, so every task is still open.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, insert, select

from beatdesk.models import Place, PlaceKind, Role, Task, TaskStatus, TaskTemplate, TaskType
from beatdesk.services.demo.establishment import Member, Setting
from beatdesk.services.demo.places import BeatPlaces
from beatdesk.services.demo.rota import LONDON, Duty
from beatdesk.services.demo.task_kinds import NOT_DONE_OUTCOMES, SETTINGS, SPECS, TEMPLATES, TYPES, Spec
from beatdesk.services.tasks.priority import assess
from beatdesk.services.tasks.rules import NOT_TASKED, TYPES_NOT_FOR_ROLE

PER_BEAT = {Setting.TOWN_CENTRE: (10, 12), Setting.URBAN: (6, 8), Setting.TOWN: (4, 6), Setting.RURAL: (3, 5)}
YESTERDAY_SHARE = 0.6  # yesterday's list was shorter: today's includes what the night brought
ASSIGNED_SHARE = 0.72
DONE, NOT_DONE = 0.8, 0.12  # of yesterday's assigned tasks; the rest were left open and carry over
_MARGIN = timedelta(minutes=30)  # briefing at the start of a duty, write-up at the end
_STEP = timedelta(minutes=15)  # windows start on the quarter hour
_LAST_START = timedelta(hours=23)  # a task starts on its duty day, even on a night shift


@dataclass(frozen=True)
class Summary:
    today: int
    carried: int
    yesterday: int
    templates: int


@dataclass(frozen=True)
class _PlaceRow:
    id: int
    name: str
    kind: PlaceKind
    peak_start: int | None


def seed_tasks(
    conn: Connection, rng: random.Random, today: date, members: list[Member], worked: Iterable[Duty],
    planned: Iterable[Duty], beat_places: dict[int, BeatPlaces], label: str,
) -> Summary:
    """Write yesterday's and today's tasks on every beat, the carry-over between them, and templates."""
    yesterday = today - timedelta(days=1)
    places = _places(conn)
    setter = _setters(members)
    on_yesterday = _on_duty(d for d in worked if d.duty_date == yesterday)
    on_today = _on_duty(d for d in planned if d.duty_date == today)
    on_duty_ids = {d.member.officer_id for d in planned if d.duty_date == today}  # as carry_over reads it
    old_rows, new_rows, carried = [], [], []
    for points in beat_places.values():
        beat = points.beat
        maker = _BeatTasks(rng, beat.setting, beat.id, places.get(beat.id, []), points, setter.get(beat.id, label))
        count = rng.randint(*PER_BEAT[beat.setting])
        old = maker.day(yesterday, on_yesterday.get(beat.id, []), max(1, round(count * YESTERDAY_SHARE)), (), True)
        copies = _carry_over(old, today, on_duty_ids)
        carried += [(len(old_rows) + index, row) for index, row in copies]
        old_rows += old
        new_rows += maker.day(today, on_today.get(beat.id, []), count, [row for _, row in copies], False)
    old_ids = _insert(conn, old_rows)
    for index, row in carried:
        row["carried_from_task_id"] = old_ids[index]
    _insert(conn, [row for _, row in carried] + new_rows)
    templates = _templates(conn, label, _set_at(today - timedelta(days=28)))
    return Summary(len(new_rows) + len(carried), len(carried), len(old_rows), templates)


class _BeatTasks:
    """One beat's tasks for a day, drawn from the shared stream in a fixed order."""

    def __init__(self, rng: random.Random, setting: Setting, beat_id: int, places: list[_PlaceRow],
                 points: BeatPlaces, created_by: str):
        self.rng, self.setting, self.beat_id = rng, setting, beat_id
        self.places, self.points, self.created_by = places, points, created_by
        self.weights = [SPECS[t].weights[SETTINGS.index(setting)] for t in TYPES]

    def day(self, day: date, on_duty: list[Duty], count: int, carried: Iterable[dict], finished: bool) -> list[dict]:
        """``count`` new tasks for ``day``, besides those ``carried`` in: no two alike, none too many of a type."""
        rng, load, kinds = self.rng, dict.fromkeys((d.member.officer_id for d in on_duty), 0), Counter()
        used: set = set()  # places and instructions already given today
        for row in carried:
            kinds[row["type"]] += 1
            used.update({(row["type"], row["place_id"]), row["instruction"]})
        rows = []
        for _ in range(count):
            weights = [w if kinds[t] < SPECS[t].most else 0 for t, w in zip(TYPES, self.weights, strict=True)]
            kind = rng.choices(TYPES, weights if any(weights) else self.weights)[0]
            kinds[kind] += 1
            spec = SPECS[kind]
            fits = [(d, span) for d in on_duty if may_do(d.member.role, kind) and (span := _starts(day, spec, d))]
            duty, span = self._assignee(spec, fits, load, finished)
            if duty is not None:
                load[duty.member.officer_id] += 1
            elif fits and rng.random() < 0.7:  # in someone's duty, so they could take it
                span = _pick(rng, fits)[1]
            rows.append(self._row(day, kind, spec, duty, span or _starts(day, spec, None), used, finished))
        return rows

    def _assignee(self, spec: Spec, fits: list[tuple[Duty, tuple]], load: dict[int, int],
                  finished: bool) -> tuple[Duty | None, tuple | None]:
        """Someone on duty at a suitable time (the preferred role twice as likely, the busy less), or nobody."""
        share = ASSIGNED_SHARE if not finished else 0.95  # by the end of a day nearly all had been given out
        able = [(d, span) for d, span in fits if d.member.role in spec.roles]
        if not able or self.rng.random() >= share:
            return None, None
        weights = [(2 if d.member.role is spec.roles[0] else 1) / (1 + load[d.member.officer_id]) ** 2
                   for d, _ in able]
        return self.rng.choices(able, weights)[0]

    def _row(self, day: date, kind: TaskType, spec: Spec, duty: Duty | None, span: tuple, used: set,
             finished: bool) -> dict:
        rng = self.rng
        place = self._place(spec, kind, used)
        if place is not None:
            point, text = None, _fresh(rng, spec.at_place, used).format(place=place.name)
        else:
            point = self.points.point(rng, kind in (TaskType.HOTSPOT_PATROL, TaskType.INTELLIGENCE))
            text = _fresh(rng, spec.at_point, used)
        scores = tuple(min(5, max(1, s + rng.choice((-1, 0, 0, 1)))) for s in spec.thrv)
        start, end = _window(rng, day, span, place)
        status, outcome, version, updated = TaskStatus.OPEN, "", 1, None
        if finished:
            roll = rng.random()
            if duty is not None and roll < DONE:
                status, outcome = TaskStatus.DONE, _pick(rng, spec.done)
            elif duty is not None and roll < DONE + NOT_DONE:
                status, outcome = TaskStatus.NOT_DONE, _pick(rng, NOT_DONE_OUTCOMES)
            if status.finished:
                version, updated = 2, end + timedelta(minutes=rng.choice((10, 20, 30)))
        local = spec.local.get(self.setting, "") if rng.random() < 0.6 else ""
        return {
            "type": kind, "beat_id": self.beat_id, "place_id": place.id if place else None,
            "point_easting": point[0] if point else None, "point_northing": point[1] if point else None,
            "duty_date": day, "window_start": start, "window_end": end,
            "threat": scores[0], "harm": scores[1], "risk": scores[2], "vulnerability": scores[3],
            "priority": assess(scores).level, "instruction": text, "local_priority": local,
            "officer_id": duty.member.officer_id if duty else None, "status": status, "outcome": outcome,
            "carried_from_task_id": None, "created_by": self.created_by, "created_at": _set_at(day),
            "updated_at": updated, "version": version,
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


def _starts(day: date, spec: Spec, duty: Duty | None) -> tuple[datetime, datetime, timedelta] | None:
    """The earliest and latest start of the task and its length: at the type's hours, inside ``duty``
    after its briefing and before its write-up; None when the duty offers no such time."""
    length = timedelta(minutes=spec.minutes)
    midnight = datetime.combine(day, time(0), tzinfo=LONDON)
    first, last = (datetime.combine(day, t, tzinfo=LONDON).astimezone(UTC) for t in spec.starts)
    last = min(last, (midnight + _LAST_START).astimezone(UTC))  # in UTC from here: real minutes, not wall clock
    if duty is not None:
        first, last = max(first, duty.start + _MARGIN), min(last, duty.end - _MARGIN - length)
    return (first, last, length) if first <= last else None


def _window(rng: random.Random, day: date, span: tuple, place: _PlaceRow | None) -> tuple[datetime, datetime]:
    """A start on the quarter hour within ``span`` (at the place's peak when that fits), for the task's
    usual length or longer when the span allows."""
    first, last, length = span
    steps = int((last - first) / _STEP)
    start = first + _STEP * rng.randint(0, steps)
    if place is not None and place.peak_start is not None:
        peak = datetime.combine(day, time(*divmod(place.peak_start, 60)), tzinfo=LONDON).astimezone(UTC)
        if first <= peak <= last:
            start = peak
    extra = min(int((last - start) / _STEP), rng.choice((0, 0, 2, 4, 6)))  # an hour or more for some
    end = start + length + _STEP * extra
    return start, end


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
        row.update(status=TaskStatus.NOT_DONE, outcome=f"carried over to {today.isoformat()}", version=2, updated_at=at)
    return copies


def _insert(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert task rows in order; returns their new ids in the same order."""
    if not rows:
        return []
    table = Task.__table__
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


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


def _set_at(day: date) -> datetime:
    """Tasks for ``day`` are set the evening before (21:00 local), so never after they begin."""
    return (datetime.combine(day, time(0), tzinfo=LONDON) - timedelta(hours=3)).astimezone(UTC)


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
