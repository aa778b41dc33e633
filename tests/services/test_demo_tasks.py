"""The demo force's working day: a planned rota from today, today's tasks on every beat, yesterday's
unfinished tasks carried over, and a few templates, all as the task services would have written them;
and the period's tasks before that, finished as each team's record with the time-outside target has it."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from beatdesk.models import (
    ActivityEntry, Beat, BeatSergeant, DutyRecord, Officer, Place, Role, Task, TaskStatus, TaskType,
)
from beatdesk.services.actor import Actor
from beatdesk.services.bootstrap import prepare
from beatdesk.services.demo import generate_demo
from beatdesk.services.demo.task_kinds import LATE_OUTCOME, NOT_DONE_OUTCOMES
from beatdesk.services.my_day import my_day
from beatdesk.services.scoring.criteria import load_criteria
from beatdesk.services.scoring.periods import Period, PeriodKind
from beatdesk.services.scoring.results import Level
from beatdesk.services.scoring.tables import league
from beatdesk.services.tasks import board, carry_over, list_templates
from beatdesk.services.tasks.inputs import TaskInput, TemplateInput
from beatdesk.services.tasks.priority import assess
from beatdesk.services.tasks.rules import LONDON, checked_task, checked_template, day_bounds

TODAY = date(2024, 11, 20)  # a Wednesday in the dark months
YESTERDAY = TODAY - timedelta(days=1)
ADMIN = Actor.administrator("test-admin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    engine = prepare(f"sqlite:///{tmp_path_factory.mktemp('demo_tasks') / 'demo.sqlite'}")
    report = generate_demo(engine, ADMIN, months=1, today=TODAY)
    yield engine, report
    engine.dispose()


@pytest.fixture
def session(demo):
    with Session(demo[0]) as session:
        yield session


def _beats(session) -> list[Beat]:
    return list(session.exec(select(Beat).order_by(Beat.code)))


def _tasks(session, day: date) -> list[Task]:
    return list(session.exec(select(Task).where(Task.duty_date == day).order_by(Task.id)))


def _duties(session, day: date) -> dict[int, list[DutyRecord]]:
    found: dict[int, list[DutyRecord]] = {}
    for duty in session.exec(select(DutyRecord).where(DutyRecord.duty_date == day)):
        found.setdefault(duty.officer_id, []).append(duty)
    return found


def _sergeant_of(session, beat_id: int) -> Actor:
    link = session.exec(select(BeatSergeant).where(BeatSergeant.beat_id == beat_id)).one()
    sergeant = session.get(Officer, link.officer_id)
    return Actor(label=sergeant.name, role=Role.SERGEANT.value, officer_id=sergeant.id)


def test_todays_board_has_people_on_duty_and_tasks_on_every_beat(session):
    beats = _beats(session)
    staffed = 0
    for beat in beats:
        day = board(session, ADMIN, TODAY, [beat.id])
        tasks = [t for p in day.people for t in p.tasks] + day.unassigned
        assert tasks, f"no tasks on {beat.code}"
        on_duty = [p for p in day.people if p.on_duty]
        staffed += bool(on_duty)
        assert all(p.on_duty for p in day.people if p.tasks), "tasks go to people on duty"
    assert staffed >= len(beats) - 2
    whole = board(session, ADMIN, TODAY, [b.id for b in beats])
    tasks = [t for p in whole.people for t in p.tasks] + whole.unassigned
    assert {t.priority.level for t in tasks} == {1, 2, 3, 4}
    assert len({t.type for t in tasks}) >= 7
    assert 0.1 <= len(whole.unassigned) / len(tasks) <= 0.5, "most assigned, some left for the sergeant"
    assert {p.role for p in whole.people if p.tasks} >= {Role.PC.value, Role.PCSO.value}
    per_beat = Counter(t.beat_code for t in tasks)
    assert per_beat["NT01"] >= 10 and per_beat["NT01"] > statistics.median(per_beat.values()), "busiest beat"


def test_todays_tasks_pass_the_task_services_own_checks(session):
    """Each task is one its beat's sergeant could have typed: place or point on the beat, a window on the
    day, scores 1-5 giving the stored priority, and an assignee the role rules allow."""
    tasks = _tasks(session, TODAY)
    assert tasks
    for task in tasks:
        checked_task(session, _sergeant_of(session, task.beat_id), TaskInput.of(task))
        assert task.priority == assess((task.threat, task.harm, task.risk, task.vulnerability)).level
        assert (task.place_id is None) != (task.point_easting is None)
        if task.place_id is not None:
            assert session.get(Place, task.place_id).beat_id == task.beat_id
        assert task.status is TaskStatus.OPEN and task.outcome == ""
        assert task.window_start.utcoffset() == timedelta(0)
        assert task.created_at <= day_bounds(TODAY)[0] and task.created_by.startswith("Sgt ")


def test_assigned_tasks_fit_inside_the_assignees_duty(session):
    duties = _duties(session, TODAY)
    given = [t for t in _tasks(session, TODAY) if t.officer_id is not None and t.carried_from_task_id is None]
    assert given
    for task in given:
        officer = session.get(Officer, task.officer_id)
        assert officer.beat_id == task.beat_id
        assert Role(officer.role) in (Role.PC, Role.PCSO, Role.SPECIAL)
        assert not (Role(officer.role) is Role.PCSO and task.type is TaskType.WARRANT)
        assert any(d.start <= task.window_start and task.window_end <= d.end for d in duties[task.officer_id]), task.id
    assert all(d.minutes_outside is None for ds in duties.values() for d in ds)


def test_my_day_for_an_on_duty_pc_has_tasks(session):
    pcs = Counter(
        t.officer_id for t in _tasks(session, TODAY)
        if t.officer_id is not None and session.get(Officer, t.officer_id).role == Role.PC
    )
    officer_id, _ = pcs.most_common(1)[0]
    officer = session.get(Officer, officer_id)
    pc = Actor(label=officer.name, role=Role.PC.value, officer_id=officer_id)
    mine = my_day(session, pc, officer_id, TODAY)
    assert mine.duty is not None and mine.tasks
    assert all(t.status is TaskStatus.OPEN for t in mine.tasks)
    assert all(t.geometry is not None and t.instruction for t in mine.tasks)
    assert [t.window_start for t in mine.tasks] == sorted(t.window_start for t in mine.tasks)


def test_yesterdays_unfinished_tasks_are_carried_over_and_marked(session):
    today = _tasks(session, TODAY)
    old = {t.id: t for t in _tasks(session, YESTERDAY)}
    carried = [t for t in today if t.carried_from_task_id is not None]
    assert 5 <= len(carried) <= len(today) // 3
    on_duty = _duties(session, TODAY)
    whole = board(session, ADMIN, TODAY, [b.id for b in _beats(session)])
    assert {t.id for t in whole.carried_in} == {t.id for t in carried}
    for task in carried:
        before = old[task.carried_from_task_id]
        assert before.status is TaskStatus.NOT_DONE and before.outcome == f"carried over to {TODAY}"
        assert before.version == 2 and before.updated_at == task.created_at
        assert (task.type, task.beat_id, task.place_id, task.instruction, task.threat, task.vulnerability) == (
            before.type, before.beat_id, before.place_id, before.instruction, before.threat, before.vulnerability)
        shifted = [(m.astimezone(LONDON) - timedelta(days=1)).time() for m in (task.window_start, task.window_end)]
        assert shifted == [before.window_start.astimezone(LONDON).time(), before.window_end.astimezone(LONDON).time()]
        expected = before.officer_id if before.officer_id in on_duty else None
        assert task.officer_id == expected
    assert any(t.officer_id is not None for t in carried) or not any(old[t.carried_from_task_id].officer_id
                                                                     for t in carried)


def test_yesterday_was_worked_through_and_the_carry_over_service_finds_nothing_left(demo, session):
    old = _tasks(session, YESTERDAY)
    assert old
    status = Counter(t.status for t in old)
    assert status[TaskStatus.DONE] > status[TaskStatus.NOT_DONE] > 0
    assert status[TaskStatus.OPEN] == status[TaskStatus.IN_PROGRESS] == 0
    assert all(t.outcome for t in old)
    worked = _duties(session, YESTERDAY)
    for task in old:
        if task.status is TaskStatus.DONE:
            assert task.officer_id in worked
            assert task.updated_at > task.window_end
    beat_ids = [b.id for b in _beats(session)]
    assert carry_over(demo[0], ADMIN, YESTERDAY, TODAY, beat_ids) == []


def test_templates_are_ready_to_use(session):
    templates = list_templates(session, ADMIN)
    assert len(templates) >= 5
    assert {t.type for t in templates} >= {TaskType.HOTSPOT_PATROL, TaskType.WARRANT, TaskType.COCOONING_VISIT}
    for t in templates:
        checked_template(session, ADMIN, TemplateInput(
            t.name, t.type, t.threat, t.harm, t.risk, t.vulnerability, t.instruction, t.window_start, t.window_end,
        ))



def test_replace_clears_tasks_templates_and_entries_logged_against_them(engine):
    """A demo someone has worked in (an entry logged against a task, a template of their own) is
    replaced whole; nothing of the old tasking is left to refer to the old officers or places."""
    from beatdesk.models import ActivityKind
    from beatdesk.services.activity import log_entry
    from beatdesk.services.activity.inputs import EntryInput
    from beatdesk.services.tasks import create_template

    generate_demo(engine, ADMIN, months=1, today=TODAY)
    with Session(engine) as session:
        task = next(t for t in _tasks(session, TODAY)
                    if t.officer_id and session.get(Officer, t.officer_id).role == Role.PC)
    at = task.window_start + timedelta(minutes=5)
    log_entry(engine, ADMIN, EntryInput(task.officer_id, ActivityKind.INCIDENT, at, reference="INC-TEST-0001",
                                        task_id=task.id))
    create_template(engine, ADMIN, TemplateInput("School gates patrol", TaskType.HOTSPOT_PATROL, 2, 2, 2, 3,
                                                 "Patrol the school gates at home time.", "15:00", "16:00"))
    report = generate_demo(engine, ADMIN, seed=5, months=1, today=TODAY, replace=True)
    with Session(engine) as session:
        assert len(_tasks(session, TODAY)) == report.tasks
        before = session.exec(select(func.count()).select_from(Task).where(Task.duty_date < TODAY)).one()
        assert before == report.tasks_before > 0, "the past is the new demo's own, none of the old"
        assert not session.exec(select(ActivityEntry).where(ActivityEntry.reference == "INC-TEST-0001")).all()
        assert "School gates patrol" not in {t.name for t in list_templates(session, ADMIN)}


# ---- the period before yesterday ------------------------------------------------------------------


def _past(session) -> list[Task]:
    return list(session.exec(select(Task).where(Task.duty_date < YESTERDAY).order_by(Task.id)))


def _grace() -> timedelta:
    return timedelta(hours=next(m.grace_hours for m in load_criteria().team if m.measure == "tasks_on_time"))


def test_the_history_covers_the_period_on_every_beat(demo, session):
    report = demo[1]
    days = (YESTERDAY - report.period_start).days
    past = _past(session)
    assert report.tasks_before == len(past) + len(_tasks(session, YESTERDAY))
    assert min(t.duty_date for t in past) == report.period_start
    covered = Counter(beat for beat, _ in {(t.beat_id, t.duty_date) for t in past})
    beats = _beats(session)
    assert {b.id for b in beats} == set(covered)
    assert all(covered[b.id] >= 0.9 * days for b in beats), "tasks on most days of every beat"
    per_day = Counter(t.beat_id for t in past)
    today = Counter(t.beat_id for t in _tasks(session, TODAY))
    nt01 = next(b.id for b in beats if b.code == "NT01")
    assert 3 <= per_day[nt01] / days < 0.6 * today[nt01], "the busiest beat: a few a day, fewer than today's list"
    assert {t.priority for t in past} == {1, 2, 3, 4} and {t.type for t in past} >= set(TaskType) - {TaskType.OTHER}
    cutoff = datetime.combine(TODAY, time(0), tzinfo=LONDON)
    for task in past:
        assert task.status.finished and task.outcome and task.version == 2, task.id
        assert task.officer_id is not None and task.carried_from_task_id is None and task.changed == 0
        assert task.created_at < task.window_start < task.window_end
        assert task.window_start < task.updated_at < cutoff, "finished after it began and before today"


def test_past_tasks_are_mostly_done_on_time_some_late_some_not_done(session):
    grace, past = _grace(), _past(session)
    on_time = [t for t in past if t.status is TaskStatus.DONE and t.updated_at <= t.window_end + grace]
    late = [t for t in past if t.status is TaskStatus.DONE and t.updated_at > t.window_end + grace]
    not_done = [t for t in past if t.status is TaskStatus.NOT_DONE]
    assert len(on_time) + len(late) + len(not_done) == len(past)
    assert 0.75 <= len(on_time) / len(past) <= 0.92
    assert 0.04 <= len(late) / len(past) <= 0.15 and 0.03 <= len(not_done) / len(past) <= 0.1
    for task in on_time:  # during or shortly after the window
        assert task.updated_at <= task.window_end + timedelta(hours=2)
    for task in late:  # hours to a day after the grace
        assert task.updated_at <= task.window_end + grace + timedelta(hours=24)
        assert task.outcome.startswith(LATE_OUTCOME.split("{")[0])
    assert {t.outcome for t in not_done} <= set(NOT_DONE_OUTCOMES) and len({t.outcome for t in not_done}) > 2


def test_past_tasks_fall_inside_their_assignees_duty(session):
    """Each went to a PC, PCSO or special of its beat, within a duty they worked that day, as the role
    rules allow; a task not done was written up at the end of that duty."""
    d = DutyRecord
    inside = (select(d.id).where(d.officer_id == Task.officer_id, d.start <= Task.window_start,
                                 d.end >= Task.window_end).exists())
    given = select(func.count()).select_from(Task).where(Task.duty_date < TODAY, Task.officer_id.is_not(None))
    assert session.exec(given.where(~inside)).one() == 0
    roles = Counter()
    duties = {}
    for duty in session.exec(select(DutyRecord).where(DutyRecord.duty_date < YESTERDAY)):
        duties.setdefault(duty.officer_id, []).append(duty)
    officers = {o.id: o for o in session.exec(select(Officer))}
    for task in _past(session):
        officer = officers[task.officer_id]
        roles[officer.role] += 1
        assert officer.beat_id == task.beat_id
        assert not (Role(officer.role) is Role.PCSO and task.type is TaskType.WARRANT)
        if task.status is TaskStatus.NOT_DONE:
            assert any(timedelta(0) < task.updated_at - x.end <= timedelta(minutes=30)
                       for x in duties[task.officer_id]), task.id
    assert set(roles) == {Role.PC.value, Role.PCSO.value, Role.SPECIAL.value}


def test_teams_under_the_time_outside_target_are_the_ones_late_with_tasks(demo):
    rows = league(demo[0], ADMIN, Level.BEAT, Period.ending(PeriodKind.YEAR, YESTERDAY))
    assert all(r.tasks_on_time is not None for r in rows)
    under = [r.tasks_on_time for r in rows if r.time_outside < 60]
    rest = [r.tasks_on_time for r in rows if r.time_outside >= 60]
    assert len(under) >= 5 and len(rest) >= 5
    assert statistics.mean(rest) >= 85, "teams on target keep to their tasks"
    assert statistics.mean(under) <= statistics.mean(rest) - 8, (under, rest)
    assert min(under) < 75 < max(rest), "some teams clearly worse"


def test_the_same_seed_and_day_give_the_same_tasks(demo, tmp_path):
    engine = prepare(f"sqlite:///{tmp_path / 'again.sqlite'}")
    try:
        generate_demo(engine, ADMIN, months=1, today=TODAY)
        rows = [_rows(e) for e in (demo[0], engine)]
    finally:
        engine.dispose()
    assert len(rows[0]) > 1000 and rows[0] == rows[1]


def _rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM task ORDER BY id"))]
