"""The tasking board's choices and the day's briefing sheet, as plain data (no Qt).

``team_choices`` lists the teams an actor may open on the board: a sergeant the beats they direct
(BeatSergeant) together and one by one; inspectors and administrators every sector and every beat.
``build_briefing`` turns the board for a team and day into what the briefing sheet says: who is on
duty in the chosen shift, each person's tasks with priority, place or map point, window, instruction
and the local priority it serves, the
unassigned tasks and a note of the tasks carried over from an earlier day. ``briefing_lines`` is the
same as plain text lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from beatdesk.models import Beat, Place, Sector, Task
from beatdesk.services.actor import Actor
from beatdesk.services.tasks import board as load_board
from beatdesk.services.tasks.inputs import Board, PersonTasks, TaskView
from beatdesk.services.tasks.rules import LONDON, directed_beats

# shifts by the local hour a duty starts (a night shift starts at 22:00 and runs past midnight)
SHIFTS: dict[str, tuple[int, int] | None] = {
    "All shifts": None,
    "Early (06:00–14:00)": (6, 14),
    "Late (14:00–22:00)": (14, 22),
    "Night (22:00–06:00)": (22, 6),
}
ALL_SHIFTS = "All shifts"


@dataclass(frozen=True)
class TeamChoice:
    label: str
    beat_ids: tuple[int, ...]


@dataclass(frozen=True)
class BriefingTask:
    task_id: int
    priority: str  # "P1".."P4"
    reasons: tuple[str, ...]
    type: str
    beat: str
    place: str
    window: str
    instruction: str
    status: str
    carried_from: date | None = None
    local_priority: str = ""

    @property
    def carried_text(self) -> str:
        return carried_text(self.carried_from) if self.carried_from else ""


@dataclass(frozen=True)
class BriefingPerson:
    name: str
    role: str
    collar_number: str
    duty: str  # "07:00–15:00" or "not on duty"
    tasks: tuple[BriefingTask, ...]


@dataclass(frozen=True)
class Briefing:
    title: str
    day: date
    shift: str
    beats: tuple[str, ...]
    people: tuple[BriefingPerson, ...]
    unassigned: tuple[BriefingTask, ...]
    carried: tuple[BriefingTask, ...] = field(default=())

    @property
    def date_text(self) -> str:
        return long_date(self.day)

    @property
    def carried_note(self) -> str:
        if not self.carried:
            return "No tasks carried over from an earlier day."
        n = len(self.carried)
        return f"{n} task{'s' if n != 1 else ''} carried over from an earlier day, unfinished: " + "; ".join(
            f"{t.priority} {t.type} ({t.carried_text})" for t in self.carried
        ) + "."


# ---- choices ------------------------------------------------------------------------------------


def team_choices(session: Session, actor: Actor) -> list[TeamChoice]:
    """The teams the actor may open: a sergeant's directed beats (together, then each); otherwise each
    sector's beats together, then each beat."""
    beats = session.execute(select(Beat.id, Beat.code, Beat.name, Beat.sector_id).order_by(Beat.code)).all()
    directed = directed_beats(session, actor)
    if directed is not None:
        mine = [b for b in beats if b.id in directed]
        if not mine:
            return []
        choices = [TeamChoice("My team: " + ", ".join(b.code for b in mine), tuple(b.id for b in mine))]
        if len(mine) > 1:
            choices += [TeamChoice(f"{b.code} {b.name}", (b.id,)) for b in mine]
        return choices
    sectors = session.execute(select(Sector.id, Sector.code, Sector.name).order_by(Sector.code)).all()
    choices = []
    for sector in sectors:
        ids = tuple(b.id for b in beats if b.sector_id == sector.id)
        if ids:
            choices.append(TeamChoice(f"Sector {sector.code} {sector.name} (all beats)", ids))
    choices += [TeamChoice(f"{b.code} {b.name}", (b.id,)) for b in beats]
    return choices


def beats_of(session: Session, beat_ids: tuple[int, ...] | list[int]) -> list[tuple[int, str]]:
    """(id, "CODE Name") of the given beats, by code."""
    rows = session.execute(select(Beat.id, Beat.code, Beat.name).where(Beat.id.in_(list(beat_ids))).order_by(Beat.code))
    return [(r.id, f"{r.code} {r.name}") for r in rows]


def places_on(session: Session, beat_id: int) -> list[tuple[int, str]]:
    """(id, name) of the live places on a beat, by name."""
    rows = session.execute(select(Place.id, Place.name).where(Place.beat_id == beat_id, Place.active)
                           .order_by(Place.name))
    return [(r.id, r.name) for r in rows]


def carried_from_days(session: Session, tasks: list[TaskView]) -> dict[int, date]:
    """For each carried-in task, the duty day of the task it continues."""
    sources = {t.carried_from_task_id: t.id for t in tasks if t.carried_from_task_id is not None}
    if not sources:
        return {}
    rows = session.execute(select(Task.id, Task.duty_date).where(Task.id.in_(list(sources))))
    return {sources[r.id]: r.duty_date for r in rows}


# ---- wording ------------------------------------------------------------------------------------


def short_date(day: date) -> str:
    """'Tue 19 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_date(day: date) -> str:
    """'Tuesday 19 November 2024'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def carried_text(day: date) -> str:
    return f"carried from {short_date(day)}"


def clock(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%H:%M}"


def window_text(task: TaskView) -> str:
    start, end = task.window_start.astimezone(LONDON), task.window_end.astimezone(LONDON)
    suffix = "" if end.date() == start.date() else " (next day)"
    return f"{start:%H:%M}–{end:%H:%M}{suffix}"


def duty_text(person: PersonTasks) -> str:
    if not person.duties:
        return "not on duty"
    return ", ".join(f"{clock(d.start)}–{clock(d.end)}" for d in person.duties)


def place_text(task: TaskView) -> str:
    if task.place_name:
        return task.place_name
    if task.point:
        return f"map point E {task.point[0]:,.0f} N {task.point[1]:,.0f}"
    return "anywhere on the beat"


def briefing_task(task: TaskView, carried_from: date | None = None) -> BriefingTask:
    return BriefingTask(
        task_id=task.id, priority=task.priority.label, reasons=tuple(task.priority.reasons), type=task.type.label,
        beat=task.beat_code, place=place_text(task), window=window_text(task), instruction=task.instruction,
        status=task.status.value, carried_from=carried_from, local_priority=task.local_priority,
    )


# ---- the briefing -------------------------------------------------------------------------------


def in_shift(moment: datetime, shift: str) -> bool:
    hours = SHIFTS.get(shift)
    if hours is None:
        return True
    hour = moment.astimezone(LONDON).hour
    start, end = hours
    return start <= hour < end if start < end else hour >= start or hour < end


def build_briefing(session: Session, actor: Actor, day: date, beat_ids: list[int], shift: str = ALL_SHIFTS,
                   team_label: str = "") -> Briefing:
    """The briefing sheet for a team on a day and shift (see the module)."""
    if shift not in SHIFTS:
        raise ValueError(f"shift: {shift!r} is not one of {', '.join(SHIFTS)}")
    data = load_board(session, actor, day, beat_ids)
    return briefing_from_board(session, data, shift, team_label)


def briefing_from_board(session: Session, data: Board, shift: str = ALL_SHIFTS, team_label: str = "") -> Briefing:
    every = [t for p in data.people for t in p.tasks] + list(data.unassigned)
    carried = carried_from_days(session, every)
    codes = tuple(code for _, code in beats_of(session, data.beat_ids))
    people = []
    for person in data.people:
        if person.on_duty and not any(in_shift(d.start, shift) for d in person.duties):
            continue
        if not person.on_duty and shift != ALL_SHIFTS:
            continue
        people.append(BriefingPerson(person.name, person.role, person.collar_number, duty_text(person),
                                     tuple(briefing_task(t, carried.get(t.id)) for t in person.tasks)))
    unassigned = tuple(briefing_task(t, carried.get(t.id)) for t in data.unassigned if in_shift(t.window_start, shift))
    shown = [t for p in people for t in p.tasks] + list(unassigned)
    team = team_label or ", ".join(c.split()[0] for c in codes)
    return Briefing(
        title=f"Briefing: {team}", day=data.day, shift=shift, beats=codes, people=tuple(people),
        unassigned=unassigned, carried=tuple(t for t in shown if t.carried_from),
    )


def task_line(task: BriefingTask) -> str:
    carried = f" [{task.carried_text}]" if task.carried_from else ""
    local = f" (local priority: {task.local_priority})" if task.local_priority else ""
    return (f"{task.priority} {task.type} · {task.beat} · {task.place} · {task.window} · "
            f"{task.instruction}{local}{carried}")


def briefing_lines(briefing: Briefing) -> list[str]:
    """The briefing as plain text lines, in the order the sheet prints them."""
    lines = [briefing.title, f"{briefing.date_text} · {briefing.shift}", "", "On duty:"]
    if not briefing.people:
        lines.append("  nobody on duty")
    for person in briefing.people:
        lines.append(f"  {person.name} ({person.role} {person.collar_number}) {person.duty}")
        lines += [f"    {task_line(t)}" for t in person.tasks] or ["    no tasks"]
    lines += ["", "Unassigned:"]
    lines += [f"  {task_line(t)}" for t in briefing.unassigned] or ["  none"]
    lines += ["", briefing.carried_note]
    return lines
