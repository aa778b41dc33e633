"""The checks a task or template must pass before anything is written, each with its own message,
and who may direct work on which beat."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.models import Beat, Officer, Place, Role, TaskStatus, TaskType
from beatdesk.services import scope
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.permissions import Action, require
from beatdesk.services.places import FORCE_MARGIN_M, parse_coordinates
from beatdesk.services.tasks.inputs import TaskInput, TemplateInput
from beatdesk.services.tasks.priority import check_scores

LONDON = ZoneInfo("Europe/London")
MAX_INSTRUCTION = 500
MAX_LOCAL_PRIORITY = 200
MAX_NAME = 120
TYPES_NOT_FOR_ROLE = {Role.PCSO: frozenset({TaskType.WARRANT})}  # PCSOs do not execute warrants
NOT_TASKED = frozenset({Role.STAFF})
BNG_EASTING = (0.0, 700_000.0)
BNG_NORTHING = (0.0, 1_300_000.0)


# ---- who directs which beats --------------------------------------------------------------------


def directed_beats(session: Session, actor: Actor) -> frozenset[int] | None:
    """The beats whose tasks the actor directs (see ``beatdesk.services.scope``): a sergeant's own
    beats, an inspector's sector; None for administrators (every beat)."""
    return scope.reach(session, actor).directs


def require_beat(session: Session, actor: Actor, beat: Beat) -> None:
    """MANAGE_TASKS, on a beat the actor directs."""
    scope.require_beat(session, actor, Action.MANAGE_TASKS, beat)


def beat_of(session: Session, beat_id: int | None) -> Beat:
    beat = session.get(Beat, beat_id) if beat_id is not None else None
    if beat is None:
        raise ValidationError(f"beat: no beat has id {beat_id!r}.")
    return beat


# ---- a task -------------------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The London calendar day as a start and end instant (23 or 25 hours when the clocks change)."""
    start = datetime.combine(day, time(0), tzinfo=LONDON)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
    return start, end


def checked_task(session: Session, actor: Actor, data: TaskInput, where_too: bool = True) -> TaskInput:
    """``data`` validated and tidied; raises ValidationError (or PermissionDenied for a beat the actor
    does not direct) on the first fault.

    ``where_too=False`` leaves the place or point as stored unchecked against the beat: an edit of a
    task's instruction is not refused because its place was retired or boundaries imported since put
    its point outside the beat."""
    kind = task_type(data.type)
    beat = beat_of(session, data.beat_id)
    require_beat(session, actor, beat)
    data = _place_or_point(session, data, beat, where_too)
    if not isinstance(data.duty_date, date) or isinstance(data.duty_date, datetime):
        raise ValidationError(f"duty_date: {data.duty_date!r} is not a date.")
    _window(data)
    check_scores(data.thrv)
    instruction = check_instruction(data.instruction)
    local = (data.local_priority or "").strip()
    if len(local) > MAX_LOCAL_PRIORITY:
        raise ValidationError(f"local_priority: at most {MAX_LOCAL_PRIORITY} characters, not {len(local)}.")
    data = replace(data, type=kind, instruction=instruction, local_priority=local)
    if data.officer_id is not None:
        check_assignee(session, actor, data.officer_id, kind, data.duty_date)
    return data


def task_type(value: TaskType | str) -> TaskType:
    try:
        return TaskType(value)
    except ValueError:
        known = ", ".join(t.value for t in TaskType)
        raise ValidationError(f"type: {value!r} is not a type of task; choose {known}.") from None


def check_instruction(text: str | None) -> str:
    instruction = (text or "").strip()
    if not instruction:
        raise ValidationError("instruction: a task needs a short instruction, e.g. 'Patrol the precinct on foot'.")
    if len(instruction) > MAX_INSTRUCTION:
        raise ValidationError(f"instruction: at most {MAX_INSTRUCTION} characters, not {len(instruction)}.")
    return instruction


def _place_or_point(session: Session, data: TaskInput, beat: Beat, where_too: bool) -> TaskInput:
    if data.place_id is not None and data.point is not None:
        raise ValidationError("place: give a place or a map point, not both.")
    if data.place_id is not None and where_too:
        check_place(session, data.place_id, beat)
    if data.point is not None:
        point = grid_point(data.point)
        if where_too:
            check_point_on_beat(session, point, beat)
        data = replace(data, point=point)
    return data


def grid_point(value) -> tuple[float, float]:
    """An (easting, northing) pair within British National Grid's extent, or a ValidationError."""
    try:
        east, north = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValidationError(f"point: {value!r} is not an (easting, northing) pair.") from None
    if not (BNG_EASTING[0] <= east <= BNG_EASTING[1] and BNG_NORTHING[0] <= north <= BNG_NORTHING[1]):
        raise ValidationError(
            f"point: E {east:,.0f} N {north:,.0f} is not a British National Grid reference "
            "(easting 0–700000, northing 0–1300000, in metres)."
        )
    return east, north


def check_point_on_beat(session: Session, point: tuple[float, float], beat: Beat) -> None:
    """A map point lies within the beat's outline; before ward boundaries are imported, within the
    force area (the beats' centroids and a margin), as places must."""
    east, north = point
    title = f"beat {beat.code} ({beat.name})"
    if beat.geometry_wkb is not None:
        outline, spot = shapely.from_wkb(beat.geometry_wkb), Point(east, north)
        if not outline.covers(spot):
            metres = max(1, math.ceil(outline.distance(spot)))
            raise ValidationError(
                f"point: E {east:,.0f} N {north:,.0f} is {metres:,} m outside {title}."
            )
        return
    minx, miny, maxx, maxy = session.execute(
        select(func.min(Beat.centroid_easting), func.min(Beat.centroid_northing),
               func.max(Beat.centroid_easting), func.max(Beat.centroid_northing))
    ).one()
    if minx is None:
        return
    m = FORCE_MARGIN_M
    if not (minx - m <= east <= maxx + m and miny - m <= north <= maxy + m):
        raise ValidationError(
            f"point: E {east:,.0f} N {north:,.0f} is outside the force area (E {minx - m:,.0f}–{maxx + m:,.0f}, "
            f"N {miny - m:,.0f}–{maxy + m:,.0f}); check the coordinates for {title}."
        )


def typed_point(session: Session, text: str, beat_id: int | None) -> tuple[float, float]:
    """A map point typed as a grid reference, "easting, northing" or "latitude, longitude", checked
    against the beat: what the task dialog shows as the person types."""
    geometry = parse_coordinates(text)
    if geometry.geom_type != "Point":
        raise ValidationError("point: a task's map point is one point; for an area, make it a place.")
    point = grid_point((geometry.x, geometry.y))
    if beat_id is not None:
        check_point_on_beat(session, point, beat_of(session, beat_id))
    return point


def check_place(session: Session, place_id: int, beat: Beat) -> Place:
    place = session.get(Place, place_id)
    if place is None:
        raise ValidationError(f"place: no place has id {place_id}.")
    if not place.active:
        raise ValidationError(f"place: {place.name!r} was retired on {place.retired_at:%Y-%m-%d}.")
    if place.beat_id != beat.id:
        raise ValidationError(f"place: {place.name!r} is not on beat {beat.code} ({beat.name}).")
    return place


def _window(data: TaskInput) -> None:
    for label, moment in (("window_start", data.window_start), ("window_end", data.window_end)):
        if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
            raise ValidationError(f"{label}: {moment!r} has no time zone; give an aware date and time.")
    start, end = data.window_start, data.window_end
    if end <= start:
        raise ValidationError(
            f"window_end: {_local(end)} is not after the start {_local(start)}."
        )
    day_start, day_end = day_bounds(data.duty_date)
    if end <= day_start or start >= day_end:
        raise ValidationError(
            f"window_start: {_local(start)}–{_local(end)} does not touch the duty day {data.duty_date}; "
            "the window must lie within or span that day."
        )


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M}"


def check_assignee(session: Session, actor: Actor, officer_id: int, kind: TaskType, day: date) -> Officer:
    """Someone who may be given this task on ``day`` by this actor."""
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise ValidationError(f"officer_id: no officer has id {officer_id}.")
    role = Role(officer.role)
    if role in NOT_TASKED:
        raise ValidationError(f"officer_id: {officer.collar_number} {officer.name} is {role.value}, not an officer to task.")
    if kind in TYPES_NOT_FOR_ROLE.get(role, ()):
        raise ValidationError(
            f"officer_id: {officer.collar_number} is a {role.value}; a {role.value} does not execute a {kind.value}."
        )
    if not officer.active_on(day):
        when = f"joined on {officer.start_date}" if day < officer.start_date else f"left on {officer.end_date}"
        raise ValidationError(f"officer_id: {officer.collar_number} is not serving on {day} ({when}).")
    beats = directed_beats(session, actor)
    if beats is not None and officer.beat_id not in beats:
        raise ValidationError(
            f"officer_id: {officer.collar_number} is not posted to a beat {actor.label} directs."
        )
    return officer


def check_status(status: TaskStatus | str, outcome: str | None) -> tuple[TaskStatus, str]:
    try:
        status = TaskStatus(status)
    except ValueError:
        known = ", ".join(s.value for s in TaskStatus)
        raise ValidationError(f"status: {status!r} is not a status; choose {known}.") from None
    outcome = (outcome or "").strip()
    if status.finished and not outcome:
        raise ValidationError(f"outcome: say what happened when a task is {status.value}.")
    if not status.finished and outcome:
        raise ValidationError(f"outcome: only a done or not done task has an outcome, not one {status.value}.")
    return status, outcome


# ---- a template ---------------------------------------------------------------------------------


def checked_template(session: Session, actor: Actor, data: TemplateInput) -> dict:
    """The template's column values, or a ValidationError naming the first thing wrong."""
    require(actor, Action.MANAGE_TASKS)
    name = (data.name or "").strip()
    if not name:
        raise ValidationError("name: a template needs a name, e.g. 'Evening hotspot patrol'.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"name: at most {MAX_NAME} characters, not {len(name)}.")
    kind = task_type(data.type)
    check_scores(data.thrv)
    instruction = check_instruction(data.instruction)
    start = minutes_of("window_start", data.window_start)
    end = minutes_of("window_end", data.window_end)
    if start == end:
        raise ValidationError(f"window_end: start and end are both {start // 60:02d}:{start % 60:02d}; give a period.")
    beat = None
    if data.beat_id is not None:
        beat = beat_of(session, data.beat_id)
        require_beat(session, actor, beat)
    if data.place_id is not None:
        if beat is None:
            raise ValidationError("place: a template with a place needs that place's beat too.")
        check_place(session, data.place_id, beat)
    return {
        "name": name, "type": kind, "threat": data.threat, "harm": data.harm, "risk": data.risk,
        "vulnerability": data.vulnerability, "instruction": instruction, "window_start": start, "window_end": end,
        "beat_id": data.beat_id, "place_id": data.place_id,
    }


def minutes_of(label: str, value: time | str) -> int:
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    match = re.fullmatch(r"\s*(\d{1,2}):?(\d{2})\s*", str(value or ""))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return int(match.group(1)) * 60 + int(match.group(2))
    raise ValidationError(f"{label}: {value!r} is not a time of day between 00:00 and 23:59.")
