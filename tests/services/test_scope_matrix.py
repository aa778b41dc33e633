"""The whole matrix of role x action x scope, walked through the real services.

A small force: beats CB01 and CB02 in the Corby sector, KT01 in Kettering. Sgt directs CB01; Insp is
the Corby sector's inspector. For each actor every action is tried on a record of themselves, of
their team (CB01), of their sector (CB02) and of elsewhere (KT01). Every permission must succeed and
every refusal must be a PermissionDenied that changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityEntry, AuditEntry, BeatSergeant, DutyRecord, Officer, Role
from beatdesk.services import accounts, audit_view, scope
from beatdesk.services.activity import (
    EntryInput, delete_entry, edit_entry, log_entry, record_duty, restore_entry, set_time_outside,
)
from beatdesk.services.actor import Actor
from beatdesk.services.errors import PermissionDenied, ServiceError
from beatdesk.services.my_day import my_day

WHEN = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
SCOPES = ("self", "team", "sector", "elsewhere")
ADMIN = "Administrator"

# Which scopes each actor reaches for the officer-record actions (log, edit, delete, restore, duties, My day).
RECORDS = {
    "PC": {"self"}, "PCSO": {"self"}, "Special constable": {"self"}, "Staff": set(),
    "Sergeant": {"self", "team"}, "Inspector": {"self", "team", "sector"}, ADMIN: set(SCOPES),
}
# Role-wide actions: who may do them at all.
WHOLE = {
    "manage users": {ADMIN},
    "view the audit trail": {ADMIN, "Inspector"},
    "set targets": {ADMIN, "Inspector"},
    "import wards": {ADMIN},
}


@dataclass
class Force:
    officers: dict[str, int]  # scope name -> an officer of that scope (per actor, "self" is the actor)
    actors: dict[str, Actor]


def _officer(session, collar: str, role: Role, beat: int | None = None, sector: int | None = None) -> int:
    row = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat, sector_id=sector,
                  start_date=date(2015, 1, 1))
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def force(engine) -> Force:
    with session_scope(engine) as session:
        ids = {
            "PC": _officer(session, "P1", Role.PC, beat=1),
            "PCSO": _officer(session, "C1", Role.PCSO, beat=1),
            "Special constable": _officer(session, "X1", Role.SPECIAL, beat=1),
            "Staff": _officer(session, "F1", Role.STAFF, sector=1),
            "Sergeant": _officer(session, "S1", Role.SERGEANT, sector=1),
            "Inspector": _officer(session, "I1", Role.INSPECTOR, sector=1),
            "team": _officer(session, "P2", Role.PC, beat=1),
            "sector": _officer(session, "P3", Role.PC, beat=2),
            "elsewhere": _officer(session, "P4", Role.PC, beat=5),
        }
        session.add(BeatSergeant(beat_id=1, officer_id=ids["Sergeant"]))
    actors = {role: Actor(role.lower(), role, ids[role]) for role in RECORDS if role != ADMIN}
    actors[ADMIN] = Actor.administrator("admin")
    return Force(ids, actors)


def _snapshot(engine):
    with Session(engine) as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (ActivityEntry, AuditEntry, DutyRecord)), \
            tuple(session.execute(select(ActivityEntry.id, ActivityEntry.count, ActivityEntry.deleted_at)).all())


def _target(force: Force, role: str, where: str) -> int | None:
    if where == "self":
        return force.officers.get(role) if role != ADMIN else None
    return force.officers[where]


def _entry(engine, officer_id: int, hours: int) -> tuple[int, int]:
    logged = log_entry(engine, Actor.administrator("fixture"),
                       EntryInput(officer_id, "incident", WHEN - timedelta(hours=hours), beat_id=1))
    return logged.entry_id, logged.version


def _attempt(engine, call) -> bool:
    """True when the service allowed it; a refusal must be PermissionDenied and change nothing."""
    before = _snapshot(engine)
    try:
        call()
    except PermissionDenied:
        assert _snapshot(engine) == before
        return False
    return True


@pytest.mark.parametrize("role", list(RECORDS))
def test_officer_records(engine, force, role):
    actor = force.actors[role]
    seen = {}
    for n, where in enumerate(SCOPES):
        officer = _target(force, role, where)
        if officer is None:
            continue
        entry, version = _entry(engine, officer, hours=10 * n + 1)
        outcomes = {
            "log": _attempt(engine, lambda: log_entry(engine, actor, EntryInput(officer, "ppn", WHEN - timedelta(hours=10 * n + 2), beat_id=1))),
            "edit": _attempt(engine, lambda: edit_entry(engine, actor, entry, {"count": 2}, version)),
            "delete": _attempt(engine, lambda: delete_entry(engine, actor, entry, "typed twice")),
        }
        deleted_by_admin = outcomes["delete"] or delete_entry(engine, Actor.administrator("fixture"), entry, "setup")
        assert deleted_by_admin is not False
        outcomes["restore"] = _attempt(engine, lambda: restore_entry(engine, actor, entry, "was right"))
        start = WHEN - timedelta(days=1, hours=10 * n)
        outcomes["duty"] = _attempt(engine, lambda: record_duty(engine, actor, officer, start, start + timedelta(hours=8)))
        with Session(engine) as session:
            duty = session.scalar(select(DutyRecord.id).where(DutyRecord.officer_id == officer))
        if duty is None:
            duty = record_duty(engine, Actor.administrator("fixture"), officer, start, start + timedelta(hours=8))
        outcomes["time outside"] = _attempt(engine, lambda: set_time_outside(engine, actor, duty, 60))

        def read_day():
            with Session(engine) as session:
                my_day(session, actor, officer, WHEN.date())

        outcomes["my day"] = _attempt(engine, read_day)
        seen[where] = outcomes
    for where, outcomes in seen.items():
        expected = where in RECORDS[role]
        assert outcomes == dict.fromkeys(outcomes, expected), f"{role} on {where}: {outcomes}"


@pytest.mark.parametrize("role", list(RECORDS))
def test_role_wide_actions(engine, force, role):
    actor = force.actors[role]

    def manage_users():
        accounts.create_account(engine, actor, f"new.{role.lower().replace(' ', '')}", "New", "a long password",
                                ADMIN)

    def view_audit():
        with Session(engine) as session:
            audit_view.query(session, actor)

    def set_target():
        from beatdesk.services.scoring import set_target as set_it

        set_it(engine, actor, "PC", "arrests", 3.0, WHEN.date())

    def import_wards():
        from beatdesk.services.wards import import_wards as import_them

        try:
            import_them(engine, actor, "/nonexistent/wards.geojson")  # refused before the file is read, or not found
        except ServiceError as exc:
            if isinstance(exc, PermissionDenied):
                raise

    outcomes = {"manage users": _attempt(engine, manage_users), "view the audit trail": _attempt(engine, view_audit),
                "set targets": _attempt(engine, set_target), "import wards": _attempt(engine, import_wards)}
    assert outcomes == {action: role in allowed for action, allowed in WHOLE.items()}


@pytest.mark.parametrize("role", list(RECORDS))
def test_reach_names_the_beats_each_role_directs_and_reads(engine, force, role):
    with Session(engine) as session:
        mine = scope.reach(session, force.actors[role])
    directs = {"Sergeant": {1}, "Inspector": {1, 2, 3, 4}}.get(role, set())
    reads = {"Sergeant": {1}, "Inspector": {1, 2, 3, 4}, "Staff": set()}.get(role, {1})
    if role == ADMIN:
        assert mine == scope.EVERYTHING
    else:
        assert mine.directs == frozenset(directs) and mine.reads == frozenset(reads)


def test_an_actor_who_is_no_officer_reaches_nothing(engine, force):
    ghost = Actor("ghost", Role.SERGEANT.value, None)
    with Session(engine) as session:
        assert scope.reach(session, ghost) == scope.NOTHING
    with pytest.raises(PermissionDenied):
        log_entry(engine, ghost, EntryInput(force.officers["team"], "incident", WHEN))


# Which beats each actor directs: beat 1 (CB01, the sergeant's), 2 (CB02, same sector), 5 (KT01, elsewhere).
DIRECTS = {"Sergeant": {1}, "Inspector": {1, 2}, ADMIN: {1, 2, 5}}


def _task_input(beat: int):
    from beatdesk.models import TaskType
    from beatdesk.services.tasks import TaskInput

    day = WHEN.date() + timedelta(days=1)
    start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
    return TaskInput(type=TaskType.HOTSPOT_PATROL, beat_id=beat, duty_date=day, window_start=start,
                     window_end=start + timedelta(hours=2), threat=2, harm=2, risk=2, vulnerability=2,
                     instruction="Patrol the square")


@pytest.mark.parametrize("role", list(RECORDS))
def test_directing_tasks_and_places(engine, force, role):
    from beatdesk.services.places import PlaceInput, create_place
    from beatdesk.services.tasks import create_task, set_status

    actor = force.actors[role]
    admin = Actor.administrator("fixture")
    outcomes = {}
    for beat in (1, 2, 5):
        outcomes[("task", beat)] = _attempt(engine, lambda: create_task(engine, actor, _task_input(beat)))
        with Session(engine) as session:
            from beatdesk.models import Beat

            centre = session.get(Beat, beat)
            spot = f"{centre.centroid_easting:.0f}, {centre.centroid_northing:.0f}"
        outcomes[("place", beat)] = _attempt(engine, lambda: create_place(
            engine, actor, PlaceInput(beat=beat, name=f"Spot {beat}", kind="hotspot", geometry=spot)))
    expected = {(what, beat): beat in DIRECTS.get(role, set()) for what, beat in outcomes}
    assert outcomes == expected, role

    # progress on a task: whoever directs its beat, and its own assignee
    mine = force.officers.get(role)
    if mine is not None and role not in ("Staff",):
        task = create_task(engine, admin, _task_input(1))
        from beatdesk.services.tasks import assign

        version = assign(engine, admin, task, mine if role in ("PC", "PCSO", "Special constable") else
                         force.officers["team"], 1)
        allowed = role in ("PC", "PCSO", "Special constable", "Sergeant", "Inspector")
        assert _attempt(engine, lambda: set_status(engine, actor, task, "in progress", None, version)) == allowed
    other = create_task(engine, admin, _task_input(5))
    from beatdesk.services.tasks import assign

    version = assign(engine, admin, other, force.officers["elsewhere"], 1)
    assert _attempt(engine, lambda: set_status(engine, actor, other, "in progress", None, version)) == (role == ADMIN)
