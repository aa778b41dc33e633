"""The beat profile's read model: its figures are the scoring service's own for the same period, its
tasks and activity equal a plain count of the raw rows, records follow the scope rules, and unknown
beats, empty beats and periods without duty hours say so (no score, never a zero).

The demo force takes seconds to generate: the tests that need it check several things each."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from beatdesk.models import ActivityEntry, ActivityKind, AuditEntry, Beat, Officer, Role, Task, TaskStatus, Ward
from beatdesk.services.actor import Actor
from beatdesk.services.demo import generate_demo
from beatdesk.services.errors import ValidationError
from beatdesk.services.force_view import load_force_map
from beatdesk.services.reports.profile import RECORDS_HIDDEN, beat_id_of, build_profile, recent_window
from beatdesk.services.scoring import NO_DUTY_HOURS, Level, Period, PeriodKind, score
from beatdesk.services.scoring.periods import LONDON
from beatdesk.services.scoring.tables import trend

TODAY = date(2024, 5, 12)
NOW = datetime(2024, 5, 12, 12, tzinfo=UTC)
PERIOD = Period.ending(PeriodKind.DAYS_28, date(2024, 5, 11))


@pytest.fixture
def demo(engine, admin):
    generate_demo(engine, admin, seed=7, months=2, today=TODAY)
    return engine


def _beat(engine, code: str) -> int:
    with Session(engine) as session:
        return session.scalar(select(Beat.id).where(Beat.code == code))


def _busiest(engine) -> int:
    """The beat with the most tasks in the recent window (so the counts are not all zero)."""
    window = recent_window(PERIOD, NOW)
    with Session(engine) as session:
        beats = Counter(session.scalars(select(Task.beat_id).where(Task.duty_date >= window.start,
                                                                   Task.duty_date <= window.end)))
    return beats.most_common(1)[0][0]


def test_the_profile_shows_the_scoring_services_own_figures(demo, admin, supervisors):
    beat_id = _busiest(demo)
    profile = build_profile(demo, admin, beat_id, PERIOD, NOW)
    expected = score(demo, admin, Level.BEAT, beat_id, PERIOD, now=NOW)
    assert (profile.score.value, profile.score.rag, profile.score.change, profile.score.duty_hours) == (
        expected.value, expected.rag, expected.change, expected.duty_hours)
    assert profile.score.value is not None and profile.score.rag in {"red", "amber", "green"}
    assert profile.score.roles == expected.roles and profile.score.team == expected.team
    assert profile.trend == trend(demo, admin, Level.BEAT, beat_id, PERIOD.end, now=NOW)
    assert len(profile.trend.points) == 12 and profile.trend.points[-1].period.end == PERIOD.end

    # tasks due and on time in the window are the tasks-on-time team measure of a score for that window
    window = recent_window(PERIOD, NOW)
    assert window == Period.ending(PeriodKind.DAYS_28, PERIOD.end) == profile.tasks.window
    measure = score(demo, admin, Level.BEAT, beat_id, window, now=NOW).team_measure("tasks_on_time")
    assert (profile.tasks.on_time, profile.tasks.due) == (measure.numerator, measure.denominator)
    assert profile.tasks.on_time_percent == pytest.approx(measure.value)
    _tasks_activity_wards_and_team_are_a_plain_count_of_the_rows(demo, admin, beat_id, profile)

    early = Period.ending(PeriodKind.WEEK, date(2020, 1, 31))  # before anyone served: no score, not zero
    before = build_profile(demo, admin, beat_id, early, NOW)
    assert before.score.value is None and before.score.reason == NO_DUTY_HOURS
    assert before.activity_window.end == early.end
    assert all(a.count == 0 for a in before.activity) and before.tasks.set == 0
    _records_follow_the_scope_rules_and_the_rest_shows_to_all(demo, admin, supervisors)


def _tasks_activity_wards_and_team_are_a_plain_count_of_the_rows(demo, admin, beat_id, profile):
    window = profile.activity_window
    first, after = window.utc_bounds()
    with Session(demo) as session:
        beat = session.get(Beat, beat_id)
        tasks = session.exec(select(Task).where(Task.beat_id == beat_id)).all()
        entries = session.exec(select(ActivityEntry).where(
            ActivityEntry.beat_id == beat_id, ActivityEntry.deleted_at.is_(None))).all()
        wards = session.exec(select(Ward).where(Ward.beat_id == beat_id).order_by(Ward.name)).all()
        team = load_force_map(session, admin, today=TODAY).beat(beat.code).team
    in_window = [t for t in tasks if window.start <= t.duty_date <= window.end]
    assert profile.tasks.set == len(in_window) > 0
    assert profile.tasks.done == sum(t.status == TaskStatus.DONE for t in in_window)
    assert profile.tasks.open_now == sum(t.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
                                         and t.duty_date <= TODAY for t in tasks)
    expected = {k.value: [0, 0, 0] for k in ActivityKind}
    for e in entries:
        if first <= e.occurred_at < after:
            expected[ActivityKind(e.kind).value][0] += e.count
            expected[ActivityKind(e.kind).value][1] += e.minutes or 0
            expected[ActivityKind(e.kind).value][2] += 1
    assert {a.kind: [a.count, a.minutes, a.entries] for a in profile.activity} == expected
    assert sum(a.count for a in profile.activity) > 0
    assert [(w.code, w.name, w.council) for w in profile.wards] == [(w.code, w.name, w.council_name) for w in wards]
    assert profile.team == team and len(team) > 0
    assert (profile.code, profile.name) == (beat.code, beat.name) and profile.sector and profile.lpa
    assert profile.records_shown and profile.records_note == ""
    assert profile.outline_kind == "hexagons" and profile.outline.area > 0 and profile.neighbours


def _records_follow_the_scope_rules_and_the_rest_shows_to_all(demo, admin, supervisors):
    sergeant, inspector = supervisors
    with Session(demo) as session:
        sector = session.get(Beat, 1).sector_id
        other_sector = session.scalar(select(Beat.id).where(Beat.sector_id != sector))
        pc = session.scalar(select(Officer).where(Officer.role == Role.PC, Officer.beat_id == other_sector))
        pc_actor = Actor(pc.collar_number, Role.PC.value, pc.id)
    everything = build_profile(demo, admin, 1, PERIOD, NOW)
    for actor, shown in ((sergeant, True), (inspector, True), (pc_actor, False)):
        profile = build_profile(demo, actor, 1, PERIOD, NOW)
        assert profile.records_shown is shown
        if shown:
            assert (profile.tasks, profile.activity) == (everything.tasks, everything.activity)
        else:
            assert (profile.tasks, profile.activity, profile.local_priorities) == (None, (), ())
            assert profile.records_note == RECORDS_HIDDEN
        # what the map's side panel shows everyone: wards, team with contacts, score and trend
        assert profile.team == everything.team and profile.wards == everything.wards
        assert profile.score.value == everything.score.value and profile.trend == everything.trend
    assert build_profile(demo, pc_actor, other_sector, PERIOD, NOW).records_shown


def test_an_unknown_beat_is_refused_and_nothing_is_written(engine, admin):
    with Session(engine) as session:
        audit_before = len(session.exec(select(AuditEntry)).all())
    for bad in (9999, 0, "NT01", None):
        with pytest.raises(ValidationError, match="beat: no beat has id"):
            build_profile(engine, admin, bad, PERIOD, NOW)
    with pytest.raises(ValidationError, match="beat: no beat has code 'XX99'"):
        beat_id_of(engine, admin, "XX99")
    assert beat_id_of(engine, admin, "NT01") == _beat(engine, "NT01")
    with pytest.raises(ValidationError, match="now: .* no time zone"):
        build_profile(engine, admin, 1, PERIOD, datetime(2024, 5, 12, 12))
    with Session(engine) as session:
        assert len(session.exec(select(AuditEntry)).all()) == audit_before


def test_a_beat_with_no_team_and_no_duty_hours_has_no_score_not_zero(engine, admin):
    profile = build_profile(engine, admin, 1, PERIOD, NOW)
    assert profile.team == ()
    assert profile.score.value is None and profile.score.rag is None and profile.score.reason == NO_DUTY_HOURS
    assert all(p.score is None for p in profile.trend.points)
    assert (profile.tasks.set, profile.tasks.due, profile.tasks.open_now) == (0, 0, 0)
    assert profile.tasks.on_time_percent is None
    assert all(a.count == a.minutes == 0 for a in profile.activity)
    assert profile.local_priorities == () and profile.places == ()


def test_the_recent_window_never_runs_past_today():
    later = Period.ending(PeriodKind.DAYS_28, date(2024, 6, 30))
    assert recent_window(later, NOW).end == NOW.astimezone(LONDON).date()
    assert recent_window(PERIOD, NOW) == Period.ending(PeriodKind.DAYS_28, PERIOD.end)
