"""The review dashboard's tables: league rows equal what ``score_all`` gives, filters narrow them, a
monthly trend, officers' own time outside and tasks on time, CSV round trips, and an empty force."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import Session, select

from beatdesk.database import session_scope
from beatdesk.models import Beat, Officer, Role, Sector, Task, TaskStatus, TaskType
from beatdesk.services.activity import record_duty
from beatdesk.services.actor import Actor
from beatdesk.services.demo import generate_demo
from beatdesk.services.errors import ValidationError
from beatdesk.services.scoring import NO_DUTY_HOURS, Level, Period, PeriodKind, score_all
from beatdesk.services.scoring import facts as F
from beatdesk.services.scoring.tables import (
    COLUMNS, areas, league, league_table, months_to, trend, value_of, write_csv,
)

ADMIN_ACTOR = Actor.administrator("export")

TODAY = date(2024, 5, 12)
NOW = datetime(2024, 5, 12, 12, tzinfo=UTC)
PERIOD = Period.ending(PeriodKind.DAYS_28, date(2024, 5, 11))


@pytest.fixture
def demo(engine, admin):
    generate_demo(engine, admin, seed=7, months=2, today=TODAY)
    return engine


def _team(score, measure):
    return next((t.value for t in score.team if t.key == measure), None)


def test_league_rows_are_what_score_all_gives_best_first_and_go_to_csv(demo, admin, tmp_path):
    for level in (Level.BEAT, Level.OFFICER):
        scores = score_all(demo, admin, level, PERIOD, now=NOW)
        rows = league(demo, admin, level, PERIOD, now=NOW)
        assert sorted(r.subject.id for r in rows) == sorted(scores)
        for row in rows:
            s = scores[row.subject.id]
            assert (row.score, row.rag, row.change, row.duty_hours, row.reason) == (
                s.value, s.rag, s.change, s.duty_hours, s.reason)
            assert row.sector and row.lpa and row.period == PERIOD
            if level is Level.BEAT:
                assert row.time_outside == _team(s, "time_outside")
                assert row.tasks_on_time == _team(s, "tasks_on_time")
            else:
                assert row.role in {Role.PC.value, Role.PCSO.value, Role.SPECIAL.value}
        ranked = [r.score for r in rows if r.score is not None]
        assert ranked == sorted(ranked, reverse=True) and len(ranked) > len(rows) // 2
        assert all(r.score is None for r in rows[len(ranked):])
    assert len(league(demo, admin, "beat", PERIOD, now=NOW)) == 36
    _round_trip(rows, tmp_path)  # the officers


def test_filters_narrow_rows_to_an_lpa_and_a_sector(demo, admin):
    lpas, sectors = areas(demo, admin)
    assert [a.name for a in lpas] == ["North", "West"] and len(sectors) == 8
    west = next(a for a in lpas if a.name == "West")
    town = next(s for s in sectors if s.name == "Northampton Town Centre")
    assert town.lpa_id == west.id
    beats = league(demo, admin, Level.BEAT, PERIOD, lpa_id=west.id, now=NOW)
    assert len(beats) == 18 and {r.lpa for r in beats} == {"West"}
    in_town = league(demo, admin, Level.BEAT, PERIOD, lpa_id=west.id, sector_id=town.id, now=NOW)
    assert len(in_town) == 5 and {r.sector for r in in_town} == {"Northampton Town Centre"}
    assert in_town == [r for r in beats if r.sector == "Northampton Town Centre"]
    officers = league(demo, admin, Level.OFFICER, PERIOD, sector_id=town.id, now=NOW)
    everyone = league(demo, admin, Level.OFFICER, PERIOD, now=NOW)
    assert 0 < len(officers) < len(everyone)
    with Session(demo) as session:
        posted = dict(session.execute(select(Officer.id, Officer.beat_id)).all())
        town_beats = set(session.execute(select(Beat.id).where(Beat.sector_id == town.id)).scalars())
    assert {r.subject.id for r in officers} == {r.subject.id for r in everyone if posted[r.subject.id] in town_beats}


def test_bad_filters_and_levels_are_refused(engine, admin):
    lpas, sectors = areas(engine, admin)
    north = next(a for a in lpas if a.name == "North")
    town = next(s for s in sectors if s.name == "Northampton Town Centre")
    with pytest.raises(ValidationError, match="no LPA has id 999"):
        league(engine, admin, Level.BEAT, PERIOD, lpa_id=999, now=NOW)
    with pytest.raises(ValidationError, match="no sector has id 999"):
        league(engine, admin, Level.BEAT, PERIOD, sector_id=999, now=NOW)
    with pytest.raises(ValidationError, match="Northampton Town Centre is not in the North LPA"):
        league(engine, admin, Level.BEAT, PERIOD, lpa_id=north.id, sector_id=town.id, now=NOW)
    with pytest.raises(ValidationError, match="league tables are of beats and officers"):
        league(engine, admin, Level.SECTOR, PERIOD, now=NOW)
    with pytest.raises(ValidationError, match="no time zone"):
        league(engine, admin, Level.BEAT, PERIOD, now=datetime(2024, 5, 12, 12))


def test_an_empty_force_lists_beats_without_scores_and_no_officers(engine, admin, tmp_path):
    beats = league(engine, admin, Level.BEAT, PERIOD, now=NOW)
    assert len(beats) == 36 and {(r.score, r.reason, r.duty_hours) for r in beats} == {(None, NO_DUTY_HOURS, 0)}
    assert [r.subject.code for r in beats] == sorted(r.subject.code for r in beats)
    assert league(engine, admin, Level.OFFICER, PERIOD, now=NOW) == []
    headers, rows = league_table([], Level.OFFICER)
    path = tmp_path / "officers.csv"
    assert write_csv(ADMIN_ACTOR, path, headers, rows) == 0
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(headers)]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _task(officer_id, beat_id, day, status, done_hour=None):
    return Task(type=TaskType.HOTSPOT_PATROL, beat_id=beat_id, duty_date=day, window_start=_at(day, 10),
                window_end=_at(day, 12), threat=1, harm=1, risk=1, vulnerability=1, priority=4,
                instruction="Patrol", officer_id=officer_id, status=status, created_by="t",
                updated_at=None if done_hour is None else _at(day, done_hour))


def test_an_officers_time_outside_and_tasks_on_time_are_their_own(engine, admin):
    with session_scope(engine) as session:
        pc = Officer(collar_number="1001", name="Zoë O'Brien", role=Role.PC, beat_id=1, start_date=date(2020, 1, 1))
        pcso = Officer(collar_number="2001", name="Sam Lee", role=Role.PCSO, beat_id=1, start_date=date(2020, 1, 1))
        session.add_all([pc, pcso])
        session.flush()
        pc_id, pcso_id = pc.id, pcso.id
    day = date(2024, 5, 2)
    record_duty(engine, admin, pc_id, _at(day, 6), _at(day, 16), minutes_outside=300)  # 50 %
    record_duty(engine, admin, pcso_id, _at(day, 7), _at(day, 15), minutes_outside=360)  # 75 %
    record_duty(engine, admin, pc_id, _at(date(2024, 5, 3), 6), _at(date(2024, 5, 3), 10))  # none recorded
    with session_scope(engine) as session:
        session.add_all([
            _task(pc_id, 1, day, TaskStatus.DONE, 13),  # on time (grace 12 h)
            _task(pc_id, 1, day, TaskStatus.DONE, 23),  # on time
            _task(pc_id, 1, day, TaskStatus.NOT_DONE),
            _task(pcso_id, 1, day, TaskStatus.DONE, 12),
            _task(None, 1, day, TaskStatus.OPEN),  # nobody's: counts to the beat only
        ])
    rows = {r.subject.id: r for r in league(engine, admin, Level.OFFICER, PERIOD, now=NOW)}
    assert rows[pc_id].time_outside == pytest.approx(50)
    assert rows[pc_id].tasks_on_time == pytest.approx(200 / 3)
    assert (rows[pcso_id].time_outside, rows[pcso_id].tasks_on_time) == (pytest.approx(75), 100)
    assert rows[pc_id].duty_hours == 14 and rows[pc_id].role == "PC" and rows[pc_id].sector
    beat = next(r for r in league(engine, admin, Level.BEAT, PERIOD, now=NOW) if r.subject.id == 1)
    assert beat.time_outside == pytest.approx(660 / 1080 * 100)  # the duties with time outside recorded
    assert beat.tasks_on_time == pytest.approx(60)  # 3 of the beat's 5 tasks


def test_months_to_gives_calendar_months_ending_on_the_day():
    months = months_to(date(2024, 5, 12))
    assert len(months) == 12
    assert (months[0].start, months[0].end) == (date(2023, 6, 1), date(2023, 6, 30))
    assert (months[-1].start, months[-1].end) == (date(2024, 5, 1), date(2024, 5, 12))
    assert months[8].end == date(2024, 2, 29)
    assert all(a.end.toordinal() + 1 == b.start.toordinal() for a, b in zip(months, months[1:], strict=False))
    with pytest.raises(ValidationError, match="1 to 120 months"):
        months_to(date(2024, 5, 12), 0)


def test_a_trend_is_the_score_of_each_month_and_is_read_once(demo, admin, monkeypatch):
    beat = league(demo, admin, Level.BEAT, PERIOD, now=NOW)[0].subject
    found = trend(demo, admin, Level.BEAT, beat.id, TODAY, now=NOW)
    assert found.subject == beat and found.outside_target == 60 and len(found.points) == 12
    assert [p.label for p in found.points[-3:]] == ["Mar 2024", "Apr 2024", "May 2024"]
    for point in found.points[-3:]:
        s = score_all(demo, admin, Level.BEAT, point.period, now=NOW)[beat.id]
        assert (point.score, point.rag, point.duty_hours) == (s.value, s.rag, s.duty_hours)
        assert point.time_outside == _team(s, "time_outside")
    assert found.points[0].score is None and found.points[0].duty_hours == 0  # before the demo's history
    assert found.points[-1].score is not None

    other = league(demo, admin, Level.BEAT, PERIOD, now=NOW)[-1].subject
    calls = []
    original = F.load_facts
    monkeypatch.setattr(F, "load_facts", lambda *a, **k: calls.append(a) or original(*a, **k))
    again = trend(demo, admin, Level.BEAT, other.id, TODAY, now=NOW)
    assert calls == [] and again.subject == other  # every beat's series came from the first read

    officer = league(demo, admin, Level.OFFICER, PERIOD, now=NOW)[0]
    mine = trend(demo, admin, Level.OFFICER, officer.subject.id, TODAY, now=NOW)
    assert mine.points[-1].period.end == TODAY and mine.points[-2].score is not None
    with pytest.raises(ValidationError, match="no officer with id 99999"):
        trend(demo, admin, Level.OFFICER, 99999, TODAY, now=NOW)


def _round_trip(rows, tmp_path):
    headers, values = league_table(rows, Level.OFFICER)
    path = tmp_path / "officers.csv"
    assert write_csv(ADMIN_ACTOR, path, headers, values) == len(rows)
    with path.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert list(read[0]) == list(headers) and len(read) == len(rows)
    for row, line in zip(rows, read, strict=True):
        for column in COLUMNS[Level.OFFICER]:
            value = value_of(row, column.key)
            text = line[column.header]
            if isinstance(value, float):
                assert float(text) == pytest.approx(value, abs=0.0051)
            else:
                assert text == ("" if value is None else str(value))
        assert (line["Note"], line["Period from"], line["Period to"]) == (row.reason, "2024-04-14", "2024-05-11")


def test_csv_keeps_any_text_and_refuses_bad_tables_without_touching_the_file(tmp_path):
    path = tmp_path / "table.csv"
    rows = [("Zoë O'Brien", "St George – Kingsthorpe", 'said "hello", left'), ("line\nbreak", "", 1.5)]
    write_csv(ADMIN_ACTOR, path, ["Name", "Area", "Note"], rows)
    with path.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["Name", "Area", "Note"], *[[str(v) for v in r] for r in rows]]
    before = path.read_bytes()
    with pytest.raises(ValidationError, match="row 2 has 2 values for 3 columns"):
        write_csv(ADMIN_ACTOR, path, ["Name", "Area", "Note"], [("a", "b", "c"), ("a", "b")])
    with pytest.raises(ValidationError, match="at least one column"):
        write_csv(ADMIN_ACTOR, path, [], [])
    with pytest.raises(ValidationError, match="does not exist"):
        write_csv(ADMIN_ACTOR, tmp_path / "missing" / "x.csv", ["A"], [])
    with pytest.raises(ValidationError, match="is a folder"):
        write_csv(ADMIN_ACTOR, tmp_path, ["A"], [])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]  # no temporary file left behind


def test_sector_officers_count_to_the_sector_they_are_posted_to(engine, admin):
    with session_scope(engine) as session:
        sector = session.exec(select(Sector).where(Sector.code == "NT")).one()
        officer = Officer(collar_number="5001", name="Sector PC", role=Role.PC, sector_id=sector.id,
                          start_date=date(2020, 1, 1))
        session.add(officer)
        session.flush()
        sector_id, officer_id = sector.id, officer.id
    rows = league(engine, admin, Level.OFFICER, PERIOD, sector_id=sector_id, now=NOW)
    assert [(r.subject.id, r.sector, r.score, r.reason) for r in rows] == [
        (officer_id, "Northampton Town Centre", None, NO_DUTY_HOURS)]


def test_only_inspectors_and_administrators_export(tmp_path):
    from beatdesk.services.errors import PermissionDenied

    for role in ("PC", "PCSO", "Sergeant", "Staff"):
        with pytest.raises(PermissionDenied, match="may not export performance tables"):
            write_csv(Actor("x", role), tmp_path / "x.csv", ["A"], [])
    assert not (tmp_path / "x.csv").exists()
    assert write_csv(Actor("i", "Inspector"), tmp_path / "x.csv", ["A"], [("1",)]) == 1
