"""Scores worked by hand: rates per duty hour, targets and baselines, beats pooled by duty hours, team
measures, officers who moved beats, no duty hours, the previous period, and the evidence behind each."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import DutyRecord, IntelSource, Officer, Role, Task, TaskStatus, TaskType
from beatdesk.services.activity import EntryInput, delete_entry, log_entry, record_duty
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ValidationError
from beatdesk.services.scoring import (
    NO_DUTY_HOURS, Level, Period, PeriodKind, clear_cache, duties_behind, entries_behind, explain_lines,
    parse_criteria, score, score_all, set_target, tasks_behind,
)

CRITERIA_TEXT = """
[principles]
crime = "Fighting crime and working in partnership"
engagement = "Engagement and culture"

[rag]
green = 100
amber = 80
cap = 150

[outside]
target = 60

[[role]]
key = "PC"
label = "Neighbourhood PC"
roles = ["PC", "Special constable"]

[[role.criterion]]
key = "arrests"
label = "Arrests"
principle = "crime"
measure = "count"
kind = "arrest"
unit = "per 100 duty hours"
weight = 1
target = 10

[[role.criterion]]
key = "positive_searches"
label = "Positive stop-searches"
principle = "crime"
measure = "count"
kind = "stop_search"
where = { outcome_linked = true }
unit = "per 100 duty hours"
weight = 1

[[role]]
key = "PCSO"
label = "Neighbourhood PCSO"
roles = ["PCSO"]

[[role.criterion]]
key = "engagement"
label = "Engagement returns"
principle = "engagement"
measure = "count"
kind = "engagement"
unit = "per 100 duty hours"
weight = 1
target = 20

[[role.criterion]]
key = "time_outside"
label = "Time outside"
principle = "engagement"
measure = "outside"
unit = "% of duty time"
weight = 1

[team]
members_weight = 2

[[team.measure]]
key = "tasks_on_time"
label = "Tasks on time"
principle = "crime"
measure = "tasks_on_time"
unit = "% of tasks due"
target = 80
grace_hours = 2
weight = 1

[[team.measure]]
key = "time_outside"
label = "Time outside"
principle = "engagement"
measure = "outside"
unit = "% of duty time"
weight = 1
"""
CRITERIA = parse_criteria(CRITERIA_TEXT, "test.toml")
WEEK = Period.ending(PeriodKind.WEEK, date(2024, 7, 7))  # 1-7 July 2024
NOW = datetime(2024, 7, 10, 12, tzinfo=UTC)
INSPECTOR = Actor("insp", Role.INSPECTOR.value)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _officer(engine, collar, role, beat_id) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        return officer.id


def _log(engine, officer, kind, when, count=1, **kw) -> int:
    return log_entry(engine, Actor.administrator(), EntryInput(officer, kind, when, count=count, **kw)).entry_id


def _score(engine, level, subject, period=WEEK, criteria=CRITERIA):
    return score(engine, Actor.administrator(), level, subject, period, criteria=criteria, now=NOW)


@pytest.fixture
def team(engine, admin):
    """Beat 1: a PC (10 h, 2 arrests) and a PCSO (8 h, 4 hours outside, 4 engagement returns)."""
    pc = _officer(engine, "1001", Role.PC, 1)
    pcso = _officer(engine, "2001", Role.PCSO, 1)
    day = date(2024, 7, 2)
    record_duty(engine, admin, pc, at(day, 6), at(day, 16))
    record_duty(engine, admin, pcso, at(day, 7), at(day, 15), minutes_outside=240)
    _log(engine, pc, K.ARREST, at(day, 9), count=2)
    _log(engine, pcso, K.ENGAGEMENT, at(day, 10), count=4)
    return pc, pcso


def test_an_officer_is_scored_by_rates_per_duty_hour(engine, team):
    pc, pcso = team
    s = _score(engine, Level.OFFICER, pc)
    arrests = s.criterion("PC", "arrests")
    assert (arrests.amount, arrests.duty_hours, arrests.members) == (2, 10, 1)
    assert arrests.rate == pytest.approx(20.0)  # per 100 duty hours
    assert (arrests.target, arrests.target_source) == (10, "target in test.toml")
    assert arrests.achievement == pytest.approx(200) and arrests.counted == 150 and arrests.rag == "green"
    searches = s.criterion("PC", "positive_searches")
    assert searches.rate == 0 and searches.target is None and "no target" in searches.target_source
    assert s.value == pytest.approx(150) and s.rag == "green" and s.team == ()
    assert [r.role for r in s.roles] == ["PC"]

    p = _score(engine, Level.OFFICER, pcso)
    assert p.criterion("PCSO", "engagement").rate == pytest.approx(50)
    outside = p.criterion("PCSO", "time_outside")
    assert outside.rate == pytest.approx(50) and outside.target == 60 and outside.target_source == "force target in test.toml"
    assert p.value == pytest.approx((150 + 50 / 60 * 100) / 2)


def test_a_beat_pools_its_members_by_duty_hours_and_adds_team_measures(engine, team):
    s = _score(engine, Level.BEAT, 1)
    pcso_score = (150 + 50 / 60 * 100) / 2
    members = (10 * 150 + 8 * pcso_score) / 18
    assert s.members_score == pytest.approx(members)
    outside = s.team_measure("time_outside")  # the PC's duty has no time outside recorded: not counted
    assert (outside.numerator, outside.denominator, outside.value) == (240, 480, pytest.approx(50))
    tasks = s.team_measure("tasks_on_time")
    assert tasks.value is None and tasks.denominator == 0
    assert s.value == pytest.approx((2 * members + 50 / 60 * 100) / 3)
    assert s.duty_hours == 18
    for level, subject in ((Level.SECTOR, _sector_of(engine, 1)), (Level.FORCE, None)):
        assert _score(engine, level, subject).value == pytest.approx(s.value)


def _sector_of(engine, beat_id) -> int:
    from beatdesk.models import Beat

    with Session(engine) as session:
        return session.get(Beat, beat_id).sector_id


def test_tasks_done_on_time_count_towards_the_team(engine, team, admin):
    pc, _ = team
    day = date(2024, 7, 3)
    rows = [  # window end 12:00; grace 2 h
        (TaskStatus.DONE, at(day, 13, 59)),  # on time
        (TaskStatus.DONE, at(day, 14, 1)),  # late
        (TaskStatus.NOT_DONE, at(day, 12)),
        (TaskStatus.OPEN, None),
    ]
    with session_scope(engine) as session:
        for status, updated in rows:
            session.add(Task(type=TaskType.HOTSPOT_PATROL, beat_id=1, duty_date=day, window_start=at(day, 10),
                             window_end=at(day, 12), threat=1, harm=1, risk=1, vulnerability=1, priority=4,
                             instruction="Patrol", officer_id=pc, status=status, created_by="t", updated_at=updated))
        # not yet due at NOW: its window ends after it
        session.add(Task(type=TaskType.HOTSPOT_PATROL, beat_id=1, duty_date=date(2024, 7, 7),
                         window_start=at(date(2024, 7, 7), 10), window_end=NOW + timedelta(hours=1), threat=1, harm=1,
                         risk=1, vulnerability=1, priority=4, instruction="Later", created_by="t"))
    s = _score(engine, Level.BEAT, 1)
    tasks = s.team_measure("tasks_on_time")
    assert (tasks.numerator, tasks.denominator) == (1, 4) and tasks.value == 25
    assert tasks.achievement == pytest.approx(25 / 80 * 100) and tasks.rag == "red"
    behind = tasks_behind(engine, Actor.administrator(), Level.BEAT, 1, WEEK, criteria=CRITERIA, now=NOW)
    assert [b.on_time for b in behind] == [True, False, False, False]


def test_no_duty_hours_gives_no_score_not_zero(engine, admin):
    pc = _officer(engine, "1001", Role.PC, 2)
    _log(engine, pc, K.ARREST, at(date(2024, 7, 2), 9))
    officer = _score(engine, Level.OFFICER, pc)
    assert officer.value is None and officer.reason == NO_DUTY_HOURS and officer.rag is None
    assert officer.criterion("PC", "arrests").rate is None
    beat = _score(engine, Level.BEAT, 2)
    assert (beat.value, beat.reason, beat.duty_hours) == (None, NO_DUTY_HOURS, 0)
    assert beat.team_measure("time_outside").value is None
    force = _score(engine, Level.FORCE, None)
    assert force.value is None and force.reason == NO_DUTY_HOURS
    assert NO_DUTY_HOURS in explain_lines(force)[0]


def test_an_officer_who_moved_beats_counts_to_the_beat_worked_then(engine, admin):
    pc = _officer(engine, "1001", Role.PC, 3)
    first, second = date(2024, 7, 2), date(2024, 7, 4)
    d1 = record_duty(engine, admin, pc, at(first, 6), at(first, 14))
    _log(engine, pc, K.ARREST, at(first, 9))
    with session_scope(engine) as session:
        session.execute(update(Officer).where(Officer.id == pc).values(beat_id=4))
    d2 = record_duty(engine, admin, pc, at(second, 6), at(second, 10))
    _log(engine, pc, K.ARREST, at(second, 8), count=3)
    with Session(engine) as session:
        assert (session.get(DutyRecord, d1).beat_id, session.get(DutyRecord, d2).beat_id) == (3, 4)
    old, new = _score(engine, Level.BEAT, 3), _score(engine, Level.BEAT, 4)
    assert old.criterion("PC", "arrests").duty_hours == 8 and old.criterion("PC", "arrests").amount == 1
    assert new.criterion("PC", "arrests").duty_hours == 4 and new.criterion("PC", "arrests").amount == 3
    assert new.criterion("PC", "arrests").rate == pytest.approx(75)
    whole = _score(engine, Level.OFFICER, pc).criterion("PC", "arrests")
    assert (whole.amount, whole.duty_hours) == (4, 12)
    assert [d.id for d in duties_behind(engine, admin, Level.BEAT, 4, "PC", WEEK, now=NOW)] == [d2]
    assert [d.id for d in duties_behind(engine, admin, Level.OFFICER, pc, None, WEEK, now=NOW)] == [d1, d2]


def test_without_a_target_the_baseline_is_the_force_median_of_the_previous_period(engine, admin):
    text = CRITERIA_TEXT.replace("weight = 1\ntarget = 10\n", "weight = 1\n")
    criteria = parse_criteria(text, "test.toml")
    before = WEEK.previous()
    day = before.start + timedelta(days=1)
    rates = [(10, 1), (10, 2), (5, 3)]  # hours, arrests: 10, 20 and 60 per 100 hours
    officers = []
    for n, (hours, arrests) in enumerate(rates):
        pc = _officer(engine, f"10{n}", Role.PC, 1 + n)
        record_duty(engine, admin, pc, at(day, 6), at(day, 6) + timedelta(hours=hours))
        _log(engine, pc, K.ARREST, at(day, 7), count=arrests)
        officers.append(pc)
    record_duty(engine, admin, officers[0], at(date(2024, 7, 2), 6), at(date(2024, 7, 2), 16))
    _log(engine, officers[0], K.ARREST, at(date(2024, 7, 2), 9), count=3)
    arrests = _score(engine, Level.OFFICER, officers[0], criteria=criteria).criterion("PC", "arrests")
    assert arrests.target == pytest.approx(20)
    assert arrests.target_source == "baseline: force median of 3 PCs, 24 Jun 2024 – 30 Jun 2024"
    assert arrests.achievement == pytest.approx(150)
    assert arrests.previous_rate == pytest.approx(10) and arrests.change == pytest.approx(20)

    set_target(engine, INSPECTOR, "PC", "arrests", 12, date(2024, 7, 1), criteria=criteria)
    set_target(engine, INSPECTOR, "PC", "arrests", 99, date(2024, 7, 8), criteria=criteria)  # not yet in force
    arrests = _score(engine, Level.OFFICER, officers[0], criteria=criteria).criterion("PC", "arrests")
    assert arrests.target == 12 and arrests.target_source.startswith("target set by insp on ")
    assert arrests.achievement == pytest.approx(250)


def test_the_change_from_the_previous_period(engine, team, admin):
    pc, _ = team
    day = WEEK.previous().start
    record_duty(engine, admin, pc, at(day, 6), at(day, 16))
    _log(engine, pc, K.ARREST, at(day, 9))  # 10 per 100 h: 100 %
    s = _score(engine, Level.OFFICER, pc)
    assert s.previous_value == pytest.approx(100) and s.change == pytest.approx(50)
    assert "up 50 points" in explain_lines(s)[0]


def test_changing_the_criteria_file_changes_the_scores(engine, team, tmp_path):
    from beatdesk.services.scoring import load_criteria

    path = tmp_path / "criteria.toml"
    path.write_text(CRITERIA_TEXT, encoding="utf-8")
    before = _score(engine, Level.BEAT, 1, criteria=load_criteria(path)).value
    path.write_text(CRITERIA_TEXT.replace("members_weight = 2", "members_weight = 1")
                    .replace("target = 20", "target = 40"), encoding="utf-8")
    after = _score(engine, Level.BEAT, 1, criteria=load_criteria(path))
    assert after.value != pytest.approx(before)
    assert after.criterion("PCSO", "engagement").target == 40


def test_a_new_entry_shows_at_once_and_a_deleted_one_leaves(engine, team, admin):
    pc, _ = team
    assert _score(engine, Level.BEAT, 1).criterion("PC", "arrests").amount == 2
    entry = _log(engine, pc, K.ARREST, at(date(2024, 7, 2), 11))
    assert _score(engine, Level.BEAT, 1).criterion("PC", "arrests").amount == 3
    delete_entry(engine, admin, entry, "logged twice")
    assert _score(engine, Level.BEAT, 1).criterion("PC", "arrests").amount == 2


def test_entries_behind_are_exactly_those_counted(engine, team, admin):
    pc, pcso = team
    day = date(2024, 7, 2)
    positive = _log(engine, pc, K.STOP_SEARCH, at(day, 10), outcome_linked=True)
    _log(engine, pc, K.STOP_SEARCH, at(day, 11), outcome_linked=False)
    gone = _log(engine, pc, K.STOP_SEARCH, at(day, 12), outcome_linked=True)
    delete_entry(engine, admin, gone, "wrong person")
    _log(engine, pcso, K.INTELLIGENCE, at(day, 11), intel_source=IntelSource.COMMUNITY)
    s = _score(engine, Level.BEAT, 1)
    assert s.criterion("PC", "positive_searches").amount == 1
    behind = entries_behind(engine, admin, Level.BEAT, 1, "PC", "positive_searches", WEEK, criteria=CRITERIA, now=NOW)
    assert [e.id for e in behind] == [positive]
    arrests = entries_behind(engine, admin, Level.OFFICER, pc, "PC", "arrests", WEEK, criteria=CRITERIA, now=NOW)
    assert sum(e.count for e in arrests) == s.criterion("PC", "arrests").amount
    assert entries_behind(engine, admin, Level.BEAT, 2, "PC", "arrests", WEEK, criteria=CRITERIA, now=NOW) == []
    with pytest.raises(ValidationError, match="read from duties"):
        entries_behind(engine, admin, Level.BEAT, 1, "PCSO", "time_outside", WEEK, criteria=CRITERIA)
    with pytest.raises(ValidationError, match="PC has no criterion 'nonsense'"):
        entries_behind(engine, admin, Level.BEAT, 1, "PC", "nonsense", WEEK, criteria=CRITERIA)


def test_every_level_is_scored_at_once(engine, team):
    admin = Actor.administrator()
    beats = score_all(engine, admin, Level.BEAT, WEEK, criteria=CRITERIA, now=NOW)
    assert len(beats) == 36 and beats[1].value is not None
    assert sum(1 for s in beats.values() if s.reason == NO_DUTY_HOURS) == 35
    assert len(score_all(engine, admin, "sector", WEEK, criteria=CRITERIA, now=NOW)) == 8
    assert len(score_all(engine, admin, "lpa", WEEK, criteria=CRITERIA, now=NOW)) == 2
    assert set(score_all(engine, admin, "officer", WEEK, criteria=CRITERIA, now=NOW)) == set(team)
    lines = explain_lines(beats[1])
    assert lines[0].startswith("CB01 ") and any("Arrests: 20.00 per 100 duty hours" in x for x in lines)
    with pytest.raises(ValidationError, match="level: 'ward' is not one of"):
        score_all(engine, admin, "ward", WEEK)
    with pytest.raises(ValidationError, match="beat: no beat has id 999"):
        score(engine, admin, "beat", 999, WEEK, criteria=CRITERIA, now=NOW)


def test_duties_not_yet_worked_do_not_count(engine, team, admin):
    pc, _ = team
    later = date(2024, 7, 6)
    record_duty(engine, admin, pc, at(later, 6), at(later, 16))
    early = datetime(2024, 7, 4, 12, tzinfo=UTC)  # "now" before that duty's day
    s = score(engine, admin, Level.OFFICER, pc, WEEK, criteria=CRITERIA, now=early)
    assert s.duty_hours == 10
    assert _score(engine, Level.OFFICER, pc).duty_hours == 20


def test_periods_and_their_previous_periods():
    end = date(2024, 3, 31)
    assert Period.ending("week", end) == Period(date(2024, 3, 25), end, PeriodKind.WEEK)
    assert Period.ending("28 days", end).days == 28
    assert Period.ending("quarter", end).days == 91
    year = Period.ending("12 months", end)
    assert (year.start, year.days) == (date(2023, 4, 1), 366)
    assert Period.ending("12 months", date(2024, 2, 29)).start == date(2023, 3, 1)
    custom = Period.custom(date(2024, 1, 10), date(2024, 1, 19))
    assert custom.previous() == Period.custom(date(2023, 12, 31), date(2024, 1, 9))
    assert all(p.previous().days == p.days and p.previous().end == p.start - timedelta(days=1)
               for p in (year, custom, Period.ending("quarter", end)))
    first, after = Period.custom(date(2024, 7, 1), date(2024, 7, 1)).utc_bounds()
    assert (first, after) == (datetime(2024, 6, 30, 23, tzinfo=UTC), datetime(2024, 7, 1, 23, tzinfo=UTC))
    with pytest.raises(ValidationError, match="ends on 2024-01-01 before it starts on 2024-01-02"):
        Period.custom(date(2024, 1, 2), date(2024, 1, 1))
    with pytest.raises(ValidationError, match="needs its start"):
        Period.ending("custom", end)
    with pytest.raises(ValidationError, match="'fortnight' is not one of week, 28 days"):
        Period.ending("fortnight", end)


def test_clear_cache_is_safe(engine, team):
    clear_cache(engine)
    clear_cache()
    assert _score(engine, Level.BEAT, 1).value is not None


def test_the_records_behind_a_score_are_read_only_within_reach(engine, admin, supervisors):
    from beatdesk.services.errors import PermissionDenied as Denied
    from beatdesk.services.scoring import duties_behind as duties_of
    from beatdesk.services.scoring import entries_behind as entries_of
    from beatdesk.services.scoring import tasks_behind as tasks_of

    sergeant, inspector = supervisors  # beat 1 directed; beats 1-4 the inspector's sector; beat 5 elsewhere
    period = Period.custom(date(2024, 7, 1), date(2024, 7, 7))
    now = datetime(2024, 7, 8, 12, tzinfo=UTC)
    assert entries_of(engine, sergeant, "beat", 1, "PC", "arrests", period, now=now) == []
    assert duties_of(engine, inspector, "sector", 1, None, period, now=now) == []
    for actor, level, subject in ((sergeant, "beat", 5), (sergeant, "sector", 1), (inspector, "beat", 5),
                                  (inspector, "force", None)):
        with pytest.raises(Denied, match="records behind the scores of the beats they work or direct"):
            entries_of(engine, actor, level, subject, "PC", "arrests", period, now=now)
        with pytest.raises(Denied):
            tasks_of(engine, actor, level, subject, period, now=now)
    with pytest.raises(Denied):
        duties_of(engine, Actor("pc", "PC", None), "officer", sergeant.officer_id, None, period, now=now)
    assert tasks_of(engine, admin, "force", None, period, now=now) == []
