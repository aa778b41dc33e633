"""Daily tasking at service level: every rule, priority boundaries, board, bulk assign, carry-over,
templates and permissions; a refusal leaves the database as it was."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import BeatSergeant, DutyRecord, Officer, Role, Task, TaskStatus, TaskType
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, PermissionDenied, ValidationError
from beatdesk.services.places import PlaceInput, create_place
from beatdesk.services.tasks import (
    THRV, TaskInput, TemplateInput, assess, assign, board, bulk_assign, carry_over, create_from_template,
    create_task, create_template, list_templates, set_status, update_task,
)

DAY = date(2024, 7, 1)  # British Summer Time: the London day runs 30 June 23:00 to 1 July 23:00 UTC
NEXT = date(2024, 7, 2)
TABLES = ("task", "task_template", "audit_entry")
BEAT, BEAT2, OTHER = 1, 2, 3  # the sergeant directs beats 1 and 2, not 3


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _officer(engine, collar, role, beat_id=BEAT, start=date(2020, 1, 1), end=None) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          start_date=start, end_date=end)
        session.add(officer)
        session.flush()
        return officer.id


def _duty(engine, officer_id, day, start_hour=7, hours=8) -> None:
    with session_scope(engine) as session:
        start = utc(day, start_hour)
        session.add(DutyRecord(officer_id=officer_id, duty_date=day, start=start, end=start + timedelta(hours=hours)))


class Team:
    def __init__(self, engine):
        self.sgt = _officer(engine, "3001", Role.SERGEANT)
        with session_scope(engine) as session:
            session.add_all([BeatSergeant(beat_id=BEAT, officer_id=self.sgt), BeatSergeant(beat_id=BEAT2, officer_id=self.sgt)])
        self.pc = _officer(engine, "1001", Role.PC)
        self.pc2 = _officer(engine, "1002", Role.PC, beat_id=BEAT2)
        self.pcso = _officer(engine, "2001", Role.PCSO, beat_id=BEAT2)
        self.staff = _officer(engine, "9001", Role.STAFF)
        self.far = _officer(engine, "1003", Role.PC, beat_id=OTHER)
        self.left = _officer(engine, "1004", Role.PC, end=date(2024, 6, 30))
        self.sergeant = Actor("3001", Role.SERGEANT.value, officer_id=self.sgt)
        # the inspector of the sector of beats 1 to 4 (Corby), posted on beat 1
        self.inspector = Actor("4001", Role.INSPECTOR.value, officer_id=_officer(engine, "4001", Role.INSPECTOR))
        self.as_pc = Actor("1001", Role.PC.value, officer_id=self.pc)
        self.as_pc2 = Actor("1002", Role.PC.value, officer_id=self.pc2)


@pytest.fixture
def team(engine) -> Team:
    return Team(engine)


@pytest.fixture
def place(engine, admin) -> int:
    return create_place(engine, admin, PlaceInput(beat=BEAT, name="Market Square", kind="hotspot",
                                                  geometry="E 475601 N 260638"))


def _task(**over) -> TaskInput:
    data = dict(type=TaskType.HOTSPOT_PATROL, beat_id=BEAT, duty_date=DAY, window_start=utc(DAY, 7),
                window_end=utc(DAY, 9), threat=2, harm=2, risk=2, vulnerability=2,
                instruction="Foot patrol of the precinct; speak to shop staff.")
    return TaskInput(**(data | over))


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in TABLES}


def _row(engine, task_id) -> Task:
    with Session(engine) as session:
        return session.get(Task, task_id)


def _audits(engine, action) -> list[dict]:
    return [json.loads(a.detail) | {"_id": a.entity_id} for a in _snapshot(engine)["audit_entry"] if a.action == action]


# ---- priority -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores, level, first_reason",
    [
        ((1, 1, 1, 1), 4, "every score 3 or below, total 4 of 20"),
        ((2, 2, 2, 1), 4, "every score 3 or below, total 7 of 20"),
        ((2, 2, 2, 2), 3, "total 8 of 20: moderate overall"),
        ((4, 1, 1, 1), 3, "threat 4: threat likely"),
        ((1, 1, 4, 1), 3, "risk 4: likely to happen"),
        ((5, 1, 3, 1), 3, "threat 5: threat imminent"),
        ((3, 3, 3, 2), 3, "total 11 of 20: moderate overall"),
        ((3, 3, 3, 3), 2, "total 12 of 20: high overall"),
        ((1, 4, 1, 1), 2, "harm 4: significant harm likely"),
        ((1, 1, 1, 4), 2, "vulnerability 4: vulnerable victim"),
        ((4, 4, 4, 3), 2, "harm 4: significant harm likely"),
        ((4, 4, 4, 4), 1, "total 16 of 20: high on every count"),
        ((5, 1, 4, 1), 1, "threat 5: threat imminent"),
        ((1, 5, 1, 1), 1, "harm 5: serious harm likely"),
        ((1, 1, 1, 5), 1, "vulnerability 5: highly vulnerable victim"),
    ],
)
def test_priority_boundaries(scores, level, first_reason):
    result = assess(THRV(*scores))
    assert (result.level, result.label, result.reasons[0]) == (level, f"P{level}", first_reason)
    assert result == assess(scores)  # deterministic, tuple or THRV


def test_priority_reasons_list_every_high_score_once():
    assert assess((5, 1, 4, 1)).reasons == ["threat 5: threat imminent", "risk 4: likely to happen"]
    assert assess((4, 4, 4, 4)).reasons == [
        "total 16 of 20: high on every count", "threat 4: threat likely", "harm 4: significant harm likely",
        "risk 4: likely to happen", "vulnerability 4: vulnerable victim",
    ]
    assert assess((2, 5, 1, 4)).reasons == ["harm 5: serious harm likely", "vulnerability 4: vulnerable victim"]


def test_raising_a_score_never_lowers_the_priority():
    for scores in itertools.product(range(1, 6), repeat=4):
        level = assess(scores).level
        for i in range(4):
            if scores[i] < 5:
                higher = list(scores)
                higher[i] += 1
                assert assess(tuple(higher)).level <= level, (scores, i)


@pytest.mark.parametrize("scores, message", [
    ((0, 1, 1, 1), "threat: scored 1 to 5"), ((1, 6, 1, 1), "harm: scored 1 to 5"),
    ((1, 1, 2.5, 1), "risk: scored 1 to 5"), ((1, 1, 1, True), "vulnerability: scored 1 to 5"),
])
def test_priority_refuses_scores_outside_1_to_5(scores, message):
    with pytest.raises(ValidationError, match=message):
        assess(scores)


# ---- create -------------------------------------------------------------------------------------


def test_create_stores_priority_and_audits(engine, admin, team, place):
    task_id = create_task(engine, admin, _task(harm=4, place_id=place, officer_id=team.pc, local_priority="ASB in the precinct"))
    row = _row(engine, task_id)
    assert (row.priority, row.status, row.version, row.officer_id, row.place_id) == (2, TaskStatus.OPEN, 1, team.pc, place)
    assert row.window_start == utc(DAY, 7) and row.created_by == admin.label
    [entry] = _audits(engine, "create_task")
    assert entry["_id"] == str(task_id) and entry["priority"] == 2 and entry["type"] == "hotspot patrol"


def test_a_point_instead_of_a_place_and_a_window_across_midnight(engine, admin):
    task_id = create_task(engine, admin, _task(point=(475601, 260638), window_start=utc(DAY, 21),
                                               window_end=utc(NEXT, 1)))
    row = _row(engine, task_id)
    assert (row.point_easting, row.point_northing, row.place_id) == (475601, 260638, None)


def test_window_must_touch_the_london_duty_day(engine, admin):
    # the London day of 1 July starts at 23:00 UTC on 30 June
    with pytest.raises(ValidationError, match="does not touch the duty day 2024-07-01"):
        create_task(engine, admin, _task(window_start=utc(DAY - timedelta(days=1), 22),
                                         window_end=utc(DAY - timedelta(days=1), 23)))
    assert create_task(engine, admin, _task(window_start=utc(DAY - timedelta(days=1), 22),
                                            window_end=utc(DAY - timedelta(days=1), 23, 1)))
    with pytest.raises(ValidationError, match="does not touch the duty day"):
        create_task(engine, admin, _task(window_start=utc(DAY, 23), window_end=utc(NEXT, 1)))


@pytest.mark.parametrize(
    "over, message",
    [
        ({"beat_id": 999}, "beat: no beat has id 999"),
        ({"type": "parade"}, "type: 'parade' is not a type of task"),
        ({"place_id": 999}, "place: no place has id 999"),
        ({"place_id": "PLACE", "beat_id": BEAT2}, "place: 'Market Square' is not on beat CB02"),
        ({"place_id": "PLACE", "point": (475601, 260638)}, "place: give a place or a map point, not both"),
        ({"point": (-5, 260638)}, "point: .* is not a British National Grid reference"),
        ({"window_end": utc(DAY, 7)}, "window_end: 2024-07-01 08:00 is not after the start 2024-07-01 08:00"),
        ({"window_end": utc(DAY, 6)}, "window_end: .* is not after the start"),
        ({"window_start": datetime(2024, 7, 1, 7)}, "window_start: .* has no time zone"),
        ({"window_start": utc(NEXT, 9), "window_end": utc(NEXT, 10)}, "does not touch the duty day 2024-07-01"),
        ({"threat": 0}, "threat: scored 1 to 5"),
        ({"harm": 6}, "harm: scored 1 to 5"),
        ({"risk": "3"}, "risk: scored 1 to 5"),
        ({"vulnerability": 9}, "vulnerability: scored 1 to 5"),
        ({"instruction": "   "}, "instruction: a task needs a short instruction"),
        ({"instruction": "x" * 501}, "instruction: at most 500 characters, not 501"),
        ({"local_priority": "y" * 201}, "local_priority: at most 200 characters"),
        ({"officer_id": 999}, "officer_id: no officer has id 999"),
        ({"officer_id": "staff"}, "officer_id: 9001 .* is Staff, not an officer to task"),
        ({"officer_id": "pcso", "type": TaskType.WARRANT}, "officer_id: 2001 is a PCSO; a PCSO does not execute a warrant"),
        ({"officer_id": "left"}, r"officer_id: 1004 is not serving on 2024-07-01 \(left on 2024-06-30\)"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(engine, admin, team, place, over, message):
    over = {k: (place if v == "PLACE" else getattr(team, v) if k == "officer_id" and isinstance(v, str) else v)
            for k, v in over.items()}
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=message):
        create_task(engine, admin, _task(**over))
    assert _snapshot(engine) == before


def test_the_text_is_kept_within_500_characters(engine, admin):
    task_id = create_task(engine, admin, _task(instruction="  " + "x" * 500 + " "))
    assert len(_row(engine, task_id).instruction) == 500


def test_a_pcso_may_be_given_other_tasks(engine, admin, team):
    assert _row(engine, create_task(engine, admin, _task(officer_id=team.pcso))).officer_id == team.pcso


# ---- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["PC", "PCSO", "Special constable", "Staff"])
def test_only_supervisors_create_tasks(engine, team, role):
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="may not manage tasks"):
        create_task(engine, Actor("1001", role, officer_id=team.pc), _task())
    assert _snapshot(engine) == before


def test_sergeant_directs_only_their_beats(engine, team):
    assert create_task(engine, team.sergeant, _task(beat_id=BEAT2, officer_id=team.pcso))
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match=r"only on the beats they direct, not beat CB03"):
        create_task(engine, team.sergeant, _task(beat_id=OTHER))
    with pytest.raises(ValidationError, match="officer_id: 1003 is not posted to a beat 3001 directs"):
        create_task(engine, team.sergeant, _task(officer_id=team.far))
    assert _snapshot(engine) == before


def test_inspector_tasks_any_beat_of_their_sector_and_anyone_there(engine, team):
    task_id = create_task(engine, team.inspector, _task(beat_id=OTHER, officer_id=team.pc))
    assert _row(engine, task_id).beat_id == OTHER
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="only on the beats of their sector, not beat KT01"):
        create_task(engine, team.inspector, _task(beat_id=5))  # Kettering: another sector
    assert _snapshot(engine) == before


def test_a_sergeant_without_directed_beats_directs_nothing(engine, team):
    lone = Actor("3002", Role.SERGEANT.value, officer_id=_officer(engine, "3002", Role.SERGEANT, beat_id=OTHER))
    with pytest.raises(PermissionDenied):
        create_task(engine, lone, _task())


# ---- update -------------------------------------------------------------------------------------


def test_update_recomputes_priority_bumps_version_and_audits(engine, admin):
    task_id = create_task(engine, admin, _task())
    assert update_task(engine, admin, task_id, {"vulnerability": 5, "instruction": "Check on the victim"}, 1) == 2
    row = _row(engine, task_id)
    assert (row.priority, row.vulnerability, row.version, row.instruction) == (1, 5, 2, "Check on the victim")
    [entry] = _audits(engine, "update_task")
    assert entry["old"] == {"vulnerability": 2, "priority": 3, "instruction": _task().instruction}
    assert entry["new"] == {"vulnerability": 5, "priority": 1, "instruction": "Check on the victim"}
    assert update_task(engine, admin, task_id, {"vulnerability": 5}, 2) == 2  # nothing changed: nothing written
    assert len(_audits(engine, "update_task")) == 1


def test_update_is_validated_and_a_stale_version_refused(engine, admin, team):
    task_id = create_task(engine, admin, _task())
    update_task(engine, admin, task_id, {"harm": 3}, 1)
    before = _snapshot(engine)
    with pytest.raises(Conflict, match="changed by someone else"):
        update_task(engine, admin, task_id, {"harm": 4}, 1)
    with pytest.raises(ValidationError, match="window_end: .* is not after the start"):
        update_task(engine, admin, task_id, {"window_end": utc(DAY, 6)}, 2)
    with pytest.raises(ValidationError, match="officer_id: change who does a task with assign"):
        update_task(engine, admin, task_id, {"officer_id": team.pc}, 2)
    with pytest.raises(ValidationError, match="colour: cannot be changed on a task"):
        update_task(engine, admin, task_id, {"colour": "red"}, 2)
    with pytest.raises(ValidationError, match="task: no task has id 999"):
        update_task(engine, admin, 999, {"harm": 4}, 1)
    with pytest.raises(PermissionDenied):
        update_task(engine, team.as_pc, task_id, {"harm": 4}, 2)
    assert _snapshot(engine) == before


def test_changing_the_type_to_warrant_checks_the_assignee(engine, admin, team):
    task_id = create_task(engine, admin, _task(officer_id=team.pcso))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="a PCSO does not execute a warrant"):
        update_task(engine, admin, task_id, {"type": TaskType.WARRANT}, 1)
    assert _snapshot(engine) == before


# ---- assign -------------------------------------------------------------------------------------


def test_assign_reassign_and_unassign_are_audited(engine, team):
    sgt = team.sergeant
    task_id = create_task(engine, sgt, _task())
    assert assign(engine, sgt, task_id, team.pc, 1) == 2
    assert assign(engine, sgt, task_id, team.pcso, 2) == 3
    assert assign(engine, sgt, task_id, None, 3) == 4
    assert _row(engine, task_id).officer_id is None
    assert [(a["old"]["officer_id"], a["new"]["officer_id"]) for a in _audits(engine, "assign_task")] == [
        (None, team.pc), (team.pc, team.pcso), (team.pcso, None)]


def test_assign_refusals_write_nothing(engine, team):
    sgt = team.sergeant
    task_id = create_task(engine, sgt, _task(type=TaskType.WARRANT))
    before = _snapshot(engine)
    for officer, error, message in [
        (team.pcso, ValidationError, "a PCSO does not execute a warrant"),
        (team.staff, ValidationError, "is Staff"),
        (team.far, ValidationError, "not posted to a beat 3001 directs"),
        (team.left, ValidationError, "not serving on 2024-07-01"),
        (999, ValidationError, "no officer has id 999"),
    ]:
        with pytest.raises(error, match=message):
            assign(engine, sgt, task_id, officer, 1)
    with pytest.raises(Conflict):
        assign(engine, sgt, task_id, team.pc, 7)
    with pytest.raises(PermissionDenied):
        assign(engine, team.as_pc, task_id, team.pc, 1)
    assert _snapshot(engine) == before


def test_bulk_assign_gives_all(engine, team):
    sgt = team.sergeant
    ids = [create_task(engine, sgt, _task(beat_id=b)) for b in (BEAT, BEAT2, BEAT)]
    assign(engine, sgt, ids[2], team.pc, 1)
    assert bulk_assign(engine, sgt, ids + [ids[0]], team.pc) == ids[:2]  # already theirs: left alone
    assert {_row(engine, i).officer_id for i in ids} == {team.pc}
    assert len(_audits(engine, "assign_task")) == 3
    assert bulk_assign(engine, sgt, ids, None) == ids
    assert {_row(engine, i).officer_id for i in ids} == {None}


def test_bulk_assign_is_all_or_nothing(engine, team, admin):
    sgt = team.sergeant
    ids = [create_task(engine, sgt, _task()), create_task(engine, sgt, _task(type=TaskType.WARRANT))]
    far_task = create_task(engine, admin, _task(beat_id=OTHER))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="a PCSO does not execute a warrant"):
        bulk_assign(engine, sgt, ids, team.pcso)
    with pytest.raises(PermissionDenied, match="not beat CB03"):
        bulk_assign(engine, sgt, [ids[0], far_task], team.pc)
    with pytest.raises(ValidationError, match="task: no task has id 999"):
        bulk_assign(engine, sgt, [ids[0], 999], team.pc)
    with pytest.raises(ValidationError, match="task_ids: choose at least one task"):
        bulk_assign(engine, sgt, [], team.pc)
    assert _snapshot(engine) == before


# ---- status -------------------------------------------------------------------------------------


def test_assignee_completes_their_own_task_and_another_pc_may_not(engine, team):
    task_id = create_task(engine, team.sergeant, _task(officer_id=team.pc))
    assert set_status(engine, team.as_pc, task_id, TaskStatus.IN_PROGRESS, None, 1) == 2
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="task #\\d+ is not theirs"):
        set_status(engine, team.as_pc2, task_id, TaskStatus.DONE, "Area quiet", 2)
    with pytest.raises(PermissionDenied):
        set_status(engine, Actor("9001", Role.STAFF.value, officer_id=team.staff), task_id, "done", "x", 2)
    assert _snapshot(engine) == before
    assert set_status(engine, team.as_pc, task_id, "done", " Area quiet, two words of advice ", 2) == 3
    row = _row(engine, task_id)
    assert (row.status, row.outcome) == (TaskStatus.DONE, "Area quiet, two words of advice")
    assert _audits(engine, "set_task_status")[-1]["old"] == {"status": "in progress", "outcome": ""}


def test_status_rules_and_stale_version(engine, admin):
    task_id = create_task(engine, admin, _task())
    before = _snapshot(engine)
    for status, outcome, message in [
        ("done", "", "outcome: say what happened when a task is done"),
        ("not done", "  ", "outcome: say what happened when a task is not done"),
        ("open", "went well", "outcome: only a done or not done task has an outcome"),
        ("finished", "x", "status: 'finished' is not a status"),
    ]:
        with pytest.raises(ValidationError, match=message):
            set_status(engine, admin, task_id, status, outcome, 1)
    with pytest.raises(Conflict):
        set_status(engine, admin, task_id, "done", "ok", 2)
    assert _snapshot(engine) == before
    assert set_status(engine, admin, task_id, "not done", "Called to an incident", 1) == 2
    assert set_status(engine, admin, task_id, "open", None, 2) == 3  # reopened: the outcome goes
    assert _row(engine, task_id).outcome == ""


def test_sergeant_of_the_beat_sets_status_of_any_task_on_it(engine, team):
    task_id = create_task(engine, team.sergeant, _task(officer_id=team.pc))
    assert set_status(engine, team.sergeant, task_id, "done", "Done by the sergeant", 1) == 2


# ---- carry-over ---------------------------------------------------------------------------------


def test_carry_over_copies_unfinished_tasks_links_and_marks_them(engine, team, admin):
    sgt = team.sergeant
    a = create_task(engine, sgt, _task(officer_id=team.pc, harm=5))
    b = create_task(engine, sgt, _task(beat_id=BEAT2, officer_id=team.pcso, window_start=utc(DAY, 20),
                                       window_end=utc(DAY, 23, 30)))
    set_status(engine, sgt, b, "in progress", None, 1)
    done = create_task(engine, sgt, _task())
    set_status(engine, sgt, done, "done", "Done", 1)
    not_done = create_task(engine, sgt, _task())
    set_status(engine, sgt, not_done, "not done", "No time", 1)
    elsewhere = create_task(engine, admin, _task(beat_id=OTHER))
    other_day = create_task(engine, sgt, _task(duty_date=NEXT, window_start=utc(NEXT, 7), window_end=utc(NEXT, 9)))
    _duty(engine, team.pc, NEXT)  # the PC works tomorrow, the PCSO does not
    _duty(engine, team.pcso, DAY)

    pairs = carry_over(engine, sgt, DAY, NEXT, [BEAT, BEAT2])
    assert [old for old, _ in pairs] == [a, b]  # by priority
    new_a, new_b = (_row(engine, new) for _, new in pairs)
    assert (new_a.carried_from_task_id, new_a.officer_id, new_a.duty_date, new_a.status) == (a, team.pc, NEXT, TaskStatus.OPEN)
    assert (new_b.carried_from_task_id, new_b.officer_id) == (b, None)
    assert (new_a.window_start, new_a.window_end, new_a.priority) == (utc(NEXT, 7), utc(NEXT, 9), 1)
    assert (new_b.window_start, new_b.window_end) == (utc(NEXT, 20), utc(NEXT, 23, 30))
    assert new_a.instruction == _row(engine, a).instruction
    for old in (a, b):
        row = _row(engine, old)
        assert (row.status, row.outcome) == (TaskStatus.NOT_DONE, "carried over to 2024-07-02")
    assert _row(engine, done).status == TaskStatus.DONE and _row(engine, not_done).outcome == "No time"
    assert _row(engine, elsewhere).status == TaskStatus.OPEN and _row(engine, other_day).status == TaskStatus.OPEN
    assert [x["carried_from_task_id"] for x in _audits(engine, "carry_over_task")] == [a, b]

    before = _snapshot(engine)
    assert carry_over(engine, sgt, DAY, NEXT, [BEAT, BEAT2]) == []  # idempotent
    assert _snapshot(engine) == before

    with Session(engine) as session:
        day2 = board(session, sgt, NEXT, [BEAT, BEAT2])
    assert {t.id for t in day2.carried_in} == {new_a.id, new_b.id}
    assert all(t.carried_in for t in day2.carried_in)
    assert [t.id for t in day2.unassigned] == [other_day, new_b.id]  # same priority: by window
    assert [t.id for p in day2.people for t in p.tasks] == [new_a.id]


def test_carry_over_refusals(engine, team):
    sgt = team.sergeant
    create_task(engine, sgt, _task())
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="to_day: 2024-07-01 is not after 2024-07-01"):
        carry_over(engine, sgt, DAY, DAY, [BEAT])
    with pytest.raises(PermissionDenied, match="not beat CB03"):
        carry_over(engine, sgt, DAY, NEXT, [BEAT, OTHER])
    with pytest.raises(PermissionDenied):
        carry_over(engine, team.as_pc, DAY, NEXT, [BEAT])
    assert _snapshot(engine) == before


# ---- board --------------------------------------------------------------------------------------


def test_board_shows_who_is_on_duty_their_tasks_in_order_and_unassigned(engine, team, admin):
    sgt = team.sergeant
    _duty(engine, team.pc, DAY)
    _duty(engine, team.pc, DAY, start_hour=18, hours=2)  # two duties the same day: one person
    _duty(engine, team.sgt, DAY)
    _duty(engine, team.pc2, NEXT)  # not on duty on the day
    _duty(engine, team.far, DAY)  # on duty, but on another beat
    late = create_task(engine, sgt, _task(officer_id=team.pc, harm=4, window_start=utc(DAY, 12), window_end=utc(DAY, 13)))
    early = create_task(engine, sgt, _task(officer_id=team.pc, harm=4))
    urgent = create_task(engine, sgt, _task(officer_id=team.pc, vulnerability=5, window_start=utc(DAY, 14), window_end=utc(DAY, 15)))
    low = create_task(engine, sgt, _task(threat=1, harm=1, risk=1, vulnerability=1))
    high = create_task(engine, sgt, _task(beat_id=BEAT2, harm=5))
    off_duty = create_task(engine, sgt, _task(beat_id=BEAT2, officer_id=team.pc2))
    create_task(engine, admin, _task(beat_id=OTHER, officer_id=team.far))
    create_task(engine, sgt, _task(duty_date=NEXT, window_start=utc(NEXT, 7), window_end=utc(NEXT, 9)))

    with Session(engine) as session:
        result = board(session, sgt, DAY, [BEAT, BEAT2])
    people = {p.officer_id: p for p in result.people}
    assert set(people) == {team.pc, team.sgt, team.pc2}
    assert [p.officer_id for p in result.people] == [team.pc, team.sgt, team.pc2]  # on duty first, by collar
    assert len(people[team.pc].duties) == 2 and not people[team.pc2].on_duty
    assert [t.id for t in people[team.pc].tasks] == [urgent, early, late]
    assert people[team.pc].tasks[0].priority.reasons == ["vulnerability 5: highly vulnerable victim"]
    assert [t.id for t in people[team.pc2].tasks] == [off_duty]
    assert people[team.sgt].tasks == []
    assert [t.id for t in result.unassigned] == [high, low]
    assert result.carried_in == [] and result.unassigned[0].beat_code == "CB02"


def test_board_with_nobody_on_duty_is_empty(engine, team):
    with Session(engine) as session:
        result = board(session, team.as_pc, DAY, [BEAT])
    assert (result.people, result.unassigned, result.carried_in) == ([], [], [])


# ---- templates ----------------------------------------------------------------------------------


def _template(**over) -> TemplateInput:
    data = dict(name="Evening hotspot patrol", type=TaskType.HOTSPOT_PATROL, threat=3, harm=3, risk=3,
                vulnerability=2, instruction="High-visibility patrol of the square", window_start="18:00",
                window_end="22:30")
    return TemplateInput(**(data | over))


def test_template_to_task(engine, team, place):
    sgt = team.sergeant
    template_id = create_template(engine, sgt, _template(beat_id=BEAT, place_id=place))
    with Session(engine) as session:
        [view] = list_templates(session, sgt)
    assert (view.id, view.window_start, view.window_end, view.place_id) == (template_id, time(18), time(22, 30), place)
    task_id = create_from_template(engine, sgt, template_id, DAY, overrides={"officer_id": team.pc})
    row = _row(engine, task_id)
    # 18:00-22:30 BST is 17:00-21:30 UTC
    assert (row.window_start, row.window_end, row.beat_id, row.place_id) == (utc(DAY, 17), utc(DAY, 21, 30), BEAT, place)
    assert (row.priority, row.officer_id, row.instruction) == (3, team.pc, "High-visibility patrol of the square")
    assert _audits(engine, "create_task")[-1]["template_id"] == template_id
    # on another beat the template's place is left out; overrides change any field
    other = create_from_template(engine, sgt, template_id, date(2024, 12, 1), beat_id=BEAT2,
                                 overrides={"instruction": "Patrol the park", "harm": 5})
    row = _row(engine, other)
    assert (row.beat_id, row.place_id, row.instruction, row.priority) == (BEAT2, None, "Patrol the park", 1)
    assert (row.window_start, row.window_end) == (utc(date(2024, 12, 1), 18), utc(date(2024, 12, 1), 22, 30))  # GMT


def test_template_window_past_midnight_and_no_beat(engine, admin):
    template_id = create_template(engine, admin, _template(window_start="22:00", window_end="02:00"))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="beat: template 'Evening hotspot patrol' has no beat; choose one"):
        create_from_template(engine, admin, template_id, DAY)
    with pytest.raises(ValidationError, match="template: no task template has id 999"):
        create_from_template(engine, admin, 999, DAY, beat_id=BEAT)
    with pytest.raises(ValidationError, match="colour: not a field of a task"):
        create_from_template(engine, admin, template_id, DAY, beat_id=BEAT, overrides={"colour": "red"})
    assert _snapshot(engine) == before
    row = _row(engine, create_from_template(engine, admin, template_id, DAY, beat_id=BEAT))
    assert (row.window_start, row.window_end) == (utc(DAY, 21), utc(NEXT, 1))


@pytest.mark.parametrize(
    "over, message",
    [
        ({"name": " "}, "name: a template needs a name"),
        ({"type": "parade"}, "type: 'parade' is not a type of task"),
        ({"harm": 7}, "harm: scored 1 to 5"),
        ({"instruction": ""}, "instruction: a task needs a short instruction"),
        ({"window_start": "25:00"}, "window_start: '25:00' is not a time of day"),
        ({"window_end": "18:00"}, "window_end: start and end are both 18:00"),
        ({"beat_id": 999}, "beat: no beat has id 999"),
        ({"place_id": 1}, "place: a template with a place needs that place's beat too"),
        ({"name": "Evening hotspot patrol", "threat": 1}, "name: there is already a template called"),
    ],
)
def test_template_refusals_write_nothing(engine, admin, over, message):
    create_template(engine, admin, _template())
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=message):
        create_template(engine, admin, _template(**over))
    assert _snapshot(engine) == before


def test_template_permissions(engine, team):
    before = _snapshot(engine)
    with pytest.raises(PermissionDenied, match="may not manage tasks"):
        create_template(engine, team.as_pc, _template())
    with pytest.raises(PermissionDenied, match="not beat CB03"):
        create_template(engine, team.sergeant, _template(beat_id=OTHER))
    assert _snapshot(engine) == before
    template_id = create_template(engine, team.sergeant, _template())
    with pytest.raises(PermissionDenied):
        create_from_template(engine, team.as_pc, template_id, DAY, beat_id=BEAT)


# ---- editing: finished tasks, map points, local priorities (the task dialog's services) ---------

CASTLE = (475412.0, 260418.0)  # Northampton's Castle ward: beat NT01
KETTERING = "52.3990, -0.7260"


def _beat_id(engine, code: str) -> int:
    from beatdesk.models import Beat

    with Session(engine) as session:
        return session.execute(select(Beat.id).where(Beat.code == code)).scalar_one()


@pytest.fixture
def bounded(engine, admin, wards_20m):
    from beatdesk.services.wards import import_wards

    import_wards(engine, admin, wards_20m)
    return engine


def test_a_finished_task_is_not_edited_until_reopened(engine, admin):
    task_id = create_task(engine, admin, _task())
    version = set_status(engine, admin, task_id, TaskStatus.DONE, "Two youths moved on", 1)
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=r"task: #\d+ is done \(Two youths moved on\); a finished task stays"):
        update_task(engine, admin, task_id, {"instruction": "Something else"}, version)
    assert _snapshot(engine) == before
    version = set_status(engine, admin, task_id, TaskStatus.OPEN, "", version)
    assert update_task(engine, admin, task_id, {"instruction": "Something else"}, version) == version + 1


def test_a_carried_over_task_is_finished_and_not_edited(engine, admin):
    task_id = create_task(engine, admin, _task())
    carry_over(engine, admin, DAY, NEXT, [BEAT])
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="is not done \\(carried over to 2024-07-02\\)"):
        update_task(engine, admin, task_id, {"harm": 3}, 2)
    assert _snapshot(engine) == before


def test_a_point_outside_the_force_area_is_refused_before_boundaries(engine, admin):
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=r"point: E 300,000 N 100,000 is outside the force area .* beat CB01"):
        create_task(engine, admin, _task(point=(300000, 100000)))
    with pytest.raises(ValidationError, match=r"point: \('a', 1\) is not an \(easting, northing\) pair"):
        create_task(engine, admin, _task(point=("a", 1)))
    assert _snapshot(engine) == before


def test_a_point_outside_the_beat_is_refused_with_its_distance(bounded, admin):
    nt01 = _beat_id(bounded, "NT01")
    before = _snapshot(bounded)
    far = (486000.0, 278000.0)  # Kettering
    with pytest.raises(ValidationError, match=r"point: E 486,000 N 278,000 is [\d,]+ m outside beat NT01 "
                                              r"\(Northampton Town Centre\)\.$"):
        create_task(bounded, admin, _task(beat_id=nt01, point=far))
    assert _snapshot(bounded) == before
    task_id = create_task(bounded, admin, _task(beat_id=nt01, point=CASTLE, local_priority="  ASB in the town centre "))
    row = _row(bounded, task_id)
    assert (row.point_easting, row.point_northing, row.local_priority) == (*CASTLE, "ASB in the town centre")
    before = _snapshot(bounded)
    with pytest.raises(ValidationError, match="m outside beat NT01"):
        update_task(bounded, admin, task_id, {"point": far}, 1)
    with pytest.raises(ValidationError, match="m outside beat NT02"):  # moving the beat checks the point too
        update_task(bounded, admin, task_id, {"beat_id": _beat_id(bounded, "NT02")}, 1)
    assert _snapshot(bounded) == before


def test_editing_other_fields_keeps_a_point_outside_boundaries_imported_since(engine, admin, wards_20m):
    from beatdesk.services.wards import import_wards

    task_id = create_task(engine, admin, _task(point=(475601, 260638)))  # Northampton, on CB01 before boundaries
    import_wards(engine, admin, wards_20m)
    assert update_task(engine, admin, task_id, {"instruction": "Speak to the traders"}, 1) == 2
    with pytest.raises(ValidationError, match="m outside beat CB01"):
        update_task(engine, admin, task_id, {"point": (475600, 260640)}, 2)


def test_editing_a_task_at_a_place_retired_since(engine, admin, place):
    from beatdesk.services.places import retire_place

    task_id = create_task(engine, admin, _task(place_id=place))
    retire_place(engine, admin, place, "Market closed")
    assert update_task(engine, admin, task_id, {"harm": 3}, 1) == 2
    with pytest.raises(ValidationError, match="place: 'Market Square' was retired"):
        update_task(engine, admin, task_id, {"beat_id": BEAT, "place_id": place, "harm": 4}, 2)
    assert update_task(engine, admin, task_id, {"place_id": None, "point": (475601, 260638)}, 2) == 3
    row = _row(engine, task_id)
    assert (row.place_id, row.point_easting) == (None, 475601)


def test_switching_between_place_and_point_is_one_or_the_other(engine, admin, place):
    task_id = create_task(engine, admin, _task(point=(475601, 260638)))
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="place: give a place or a map point, not both"):
        update_task(engine, admin, task_id, {"place_id": place}, 1)
    assert _snapshot(engine) == before
    assert update_task(engine, admin, task_id, {"place_id": place, "point": None}, 1) == 2
    [entry] = _audits(engine, "update_task")
    assert entry["old"]["point_easting"] == 475601 and entry["new"]["place_id"] == place


def test_typed_point_reads_grid_and_latitude_longitude_and_checks_the_beat(bounded):
    from beatdesk.services.tasks.rules import typed_point

    nt01 = _beat_id(bounded, "NT01")
    with Session(bounded) as session:
        assert typed_point(session, "E 475412 N 260418", nt01) == CASTLE
        assert typed_point(session, "475412, 260418", None) == CASTLE
        east, north = typed_point(session, "52.2368, -0.8971", nt01)
        assert abs(east - 475412) < 50 and abs(north - 260418) < 50
        with pytest.raises(ValidationError, match="m outside beat NT01"):
            typed_point(session, KETTERING, nt01)
        with pytest.raises(ValidationError, match="a task's map point is one point"):
            typed_point(session, "E 475400 N 260400; E 475500 N 260400; E 475500 N 260500", nt01)
        with pytest.raises(ValidationError, match="coordinates: none typed"):
            typed_point(session, "  ", nt01)
        with pytest.raises(ValidationError, match="coordinates: 'somewhere' is not a point"):
            typed_point(session, "somewhere", nt01)


def test_task_view_and_local_priorities_of_a_beat(engine, admin):
    from beatdesk.services.tasks import local_priorities, task_view

    for words in ("ASB in the precinct", "Burglary", "ASB in the precinct", ""):
        create_task(engine, admin, _task(local_priority=words))
    create_task(engine, admin, _task(beat_id=BEAT2, local_priority="Speeding on the A43"))
    with Session(engine) as session:
        assert local_priorities(session, admin, BEAT) == ["ASB in the precinct", "Burglary"]  # most used first
        assert local_priorities(session, admin, BEAT2) == ["Speeding on the A43"]
        view = task_view(session, admin, 1)
        assert (view.id, view.local_priority, view.thrv) == (1, "ASB in the precinct", THRV(2, 2, 2, 2))
        assert view.as_input() == TaskInput.of(session.get(Task, 1))
        with pytest.raises(ValidationError, match="task: no task has id 999"):
            task_view(session, admin, 999)


def test_boards_are_seen_by_those_who_work_or_direct_their_beats(engine, team):
    with Session(engine) as session:
        assert board(session, team.as_pc, DAY, [BEAT]).people == []  # their own beat
        assert board(session, team.sergeant, DAY, [BEAT, BEAT2]) is not None
        with pytest.raises(PermissionDenied, match="may see the boards of the beats they work or direct, not CB02"):
            board(session, team.as_pc, DAY, [BEAT, BEAT2])
        with pytest.raises(PermissionDenied, match="not CB03"):
            board(session, team.sergeant, DAY, [OTHER])
