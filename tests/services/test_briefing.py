"""The briefing sheet's content and the board's team choices, without Qt: who is on duty in the shift,
each person's tasks with priority, place, window and instruction, unassigned tasks, carried-over note."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import Beat, BeatSergeant, Officer, Role, Sector, TaskType
from beatdesk.services.activity.duties import record_duty
from beatdesk.services.actor import Actor
from beatdesk.services.briefing import (
    ALL_SHIFTS, build_briefing, briefing_lines, short_date, team_choices,
)
from beatdesk.services.places import PlaceInput, create_place
from beatdesk.services.tasks import TaskInput, assign, carry_over, create_task

DAY = date(2024, 11, 20)  # a Wednesday, GMT
PREVIOUS = date(2024, 11, 19)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class Setup:
    def __init__(self, engine):
        admin = Actor.administrator("fixture")
        with session_scope(engine) as session:
            nt01 = session.execute(select(Beat).where(Beat.code == "NT01")).scalar_one()
            nt02 = session.execute(select(Beat).where(Beat.code == "NT02")).scalar_one()
            self.beat, self.beat2 = nt01.id, nt02.id
            self.beat_code = nt01.code
            people = {
                "sgt": Officer(collar_number="2004", name="Sam Okafor", role=Role.SERGEANT, beat_id=nt01.id,
                               start_date=date(2018, 1, 1)),
                "pc": Officer(collar_number="1001", name="Zara Ahmed", role=Role.PC, beat_id=nt01.id,
                              start_date=date(2020, 1, 1)),
                "late": Officer(collar_number="1002", name="Adam Baker", role=Role.PC, beat_id=nt02.id,
                                start_date=date(2020, 1, 1)),
                "off": Officer(collar_number="1003", name="Off Today", role=Role.PC, beat_id=nt01.id,
                               start_date=date(2020, 1, 1)),
            }
            session.add_all(people.values())
            session.flush()
            self.ids = {k: o.id for k, o in people.items()}
            session.add_all([BeatSergeant(beat_id=nt01.id, officer_id=self.ids["sgt"]),
                             BeatSergeant(beat_id=nt02.id, officer_id=self.ids["sgt"])])
        self.sergeant = Actor("Sgt 2004", Role.SERGEANT.value, self.ids["sgt"])
        record_duty(engine, admin, self.ids["pc"], at(DAY, 7), at(DAY, 15))
        record_duty(engine, admin, self.ids["late"], at(DAY, 14), at(DAY, 22))
        record_duty(engine, admin, self.ids["pc"], at(PREVIOUS, 7), at(PREVIOUS, 15))
        self.place = create_place(engine, admin, PlaceInput(
            beat=nt01.id, name="Market Square", kind="hotspot", geometry=_centroid_point(engine, nt01.id)))

        def task(day, hour, instruction, harm=2, kind=TaskType.HOTSPOT_PATROL, beat=None, **extra):
            return create_task(engine, self.sergeant, TaskInput(
                type=kind, beat_id=beat or self.beat, duty_date=day, window_start=at(day, hour),
                window_end=at(day, hour + 2), threat=2, harm=harm, risk=2, vulnerability=2,
                instruction=instruction, **extra))

        self.patrol = task(DAY, 9, "Foot patrol of the square", harm=5, place_id=self.place,
                           officer_id=self.ids["pc"])
        self.visit = task(DAY, 16, "Cocooning visits on Elm Road", kind=TaskType.COCOONING_VISIT, beat=self.beat2,
                          officer_id=self.ids["late"])
        self.loose = task(DAY, 18, "Speak to the shop watch")
        self.old = task(PREVIOUS, 10, "Check the underpass lighting", officer_id=self.ids["pc"])
        self.pairs = carry_over(engine, self.sergeant, PREVIOUS, DAY, [self.beat, self.beat2])


def _centroid_point(engine, beat_id) -> str:
    with Session(engine) as session:
        beat = session.get(Beat, beat_id)
        return f"E {beat.centroid_easting:.0f} N {beat.centroid_northing:.0f}"


@pytest.fixture
def setup(engine) -> Setup:
    return Setup(engine)


def test_briefing_lists_people_tasks_unassigned_and_carried(engine, setup):
    with Session(engine) as session:
        sheet = build_briefing(session, setup.sergeant, DAY, [setup.beat, setup.beat2], team_label="NT team")
    assert sheet.title == "Briefing: NT team"
    assert sheet.date_text == "Wednesday 20 November 2024"
    assert sheet.shift == ALL_SHIFTS
    assert [b.split()[0] for b in sheet.beats] == ["NT01", "NT02"]
    names = [p.name for p in sheet.people]
    assert names == ["Zara Ahmed", "Adam Baker"]  # on duty only, by duty start
    zara = sheet.people[0]
    assert (zara.role, zara.collar_number, zara.duty) == ("PC", "1001", "07:00–15:00")
    patrol = next(t for t in zara.tasks if t.task_id == setup.patrol)
    assert (patrol.priority, patrol.type, patrol.place, patrol.window, patrol.instruction) == (
        "P1", "Hotspot patrol", "Market Square", "09:00–11:00", "Foot patrol of the square")
    assert patrol.reasons[0] == "harm 5: serious harm likely"
    carried = next(t for t in zara.tasks if t.carried_from)  # kept with her: she is on duty today
    assert carried.carried_from == PREVIOUS and carried.carried_text == "carried from Tue 19 Nov"
    assert [t.instruction for t in sheet.unassigned] == ["Speak to the shop watch"]
    assert "1 task carried over" in sheet.carried_note and "carried from Tue 19 Nov" in sheet.carried_note
    lines = briefing_lines(sheet)
    assert lines[0] == "Briefing: NT team"
    assert any("P1 Hotspot patrol · NT01 · Market Square · 09:00–11:00 · Foot patrol of the square" in x for x in lines)
    assert any("[carried from Tue 19 Nov]" in x for x in lines)
    assert lines[lines.index("Unassigned:") + 1].strip().startswith("P3 Hotspot patrol")  # total 8 of 20


def test_briefing_for_a_shift_keeps_that_shift_only(engine, setup):
    with Session(engine) as session:
        early = build_briefing(session, setup.sergeant, DAY, [setup.beat, setup.beat2], shift="Early (06:00–14:00)")
        late = build_briefing(session, setup.sergeant, DAY, [setup.beat, setup.beat2], shift="Late (14:00–22:00)")
    assert [p.name for p in early.people] == ["Zara Ahmed"]
    assert early.unassigned == ()  # the 18:00 task is the late shift's
    assert [p.name for p in late.people] == ["Adam Baker"]
    assert [t.instruction for t in late.unassigned] == ["Speak to the shop watch"]
    assert late.carried_note == "No tasks carried over from an earlier day."
    with Session(engine) as session, pytest.raises(ValueError):
        build_briefing(session, setup.sergeant, DAY, [setup.beat], shift="Elevenses")


def test_a_task_for_someone_off_duty_still_shows(engine, setup):
    assign(engine, setup.sergeant, setup.loose, setup.ids["off"], 1)
    with Session(engine) as session:
        sheet = build_briefing(session, setup.sergeant, DAY, [setup.beat])
    off = next(p for p in sheet.people if p.name == "Off Today")
    assert off.duty == "not on duty" and [t.task_id for t in off.tasks] == [setup.loose]


def test_team_choices(engine, setup):
    with Session(engine) as session:
        sergeant = team_choices(session, setup.sergeant)
        admin = team_choices(session, Actor.administrator())
        nt = session.execute(select(Sector.id).where(Sector.code == "NT")).scalar_one()
        nt_beats = set(session.execute(select(Beat.id).where(Beat.sector_id == nt)).scalars())
        pc = team_choices(session, Actor("PC", Role.SERGEANT.value, setup.ids["pc"]))
    assert sergeant[0].label == "My team: NT01, NT02"
    assert sergeant[0].beat_ids == (setup.beat, setup.beat2)
    assert [c.beat_ids for c in sergeant[1:]] == [(setup.beat,), (setup.beat2,)]
    assert any(set(c.beat_ids) == nt_beats and c.label.startswith("Sector NT") for c in admin)
    assert any(c.beat_ids == (setup.beat,) for c in admin)
    assert pc == []  # a sergeant directing no beats has no team


def test_short_date():
    assert short_date(date(2024, 11, 19)) == "Tue 19 Nov"


def test_briefing_shows_local_priority_and_map_point(engine, setup):
    point = tuple(float(v.split()[0]) for v in _centroid_point(engine, setup.beat)[2:].split(" N "))
    task_id = create_task(engine, setup.sergeant, TaskInput(
        type=TaskType.ENGAGEMENT_EVENT, beat_id=setup.beat, duty_date=DAY, window_start=at(DAY, 10),
        window_end=at(DAY, 11), threat=1, harm=1, risk=1, vulnerability=1, instruction="Beat surgery",
        point=point, local_priority="ASB in the town centre"))
    with Session(engine) as session:
        sheet = build_briefing(session, setup.sergeant, DAY, [setup.beat])
    task = next(t for t in sheet.unassigned if t.task_id == task_id)
    assert task.local_priority == "ASB in the town centre"
    assert task.place == f"map point E {point[0]:,.0f} N {point[1]:,.0f}"
    line = next(x for x in briefing_lines(sheet) if "Beat surgery" in x)
    assert line.strip() == (f"P4 Engagement event · NT01 · map point E {point[0]:,.0f} N {point[1]:,.0f} · "
                            "10:00–11:00 · Beat surgery (local priority: ASB in the town centre)")
    patrol = next(t for p in sheet.people for t in p.tasks if t.task_id == setup.patrol)
    assert patrol.local_priority == ""  # none linked: nothing added
