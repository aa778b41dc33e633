"""The activity form's read model: who may be logged for, kinds per role, recent entries, history lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import ActivityKind as K
from beatdesk.models import IntelSource, Officer, Role
from beatdesk.services import activity_view as view
from beatdesk.services.activity import EntryInput, delete_entry, edit_entry, entry_history, log_entry, restore_entry
from beatdesk.services.actor import Actor

EARLIER = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def _officer(engine, collar, role, beat_id=1, start=date(2020, 1, 1), end=None, sector_id=None) -> int:
    with session_scope(engine) as session:
        officer = Officer(collar_number=collar, name=f"Officer {collar}", role=role, beat_id=beat_id,
                          sector_id=sector_id, start_date=start, end_date=end)
        session.add(officer)
        session.flush()
        return officer.id


def test_kinds_for_a_pcso_leave_out_arrests_and_warrants():
    assert K.ARREST not in view.kinds_for(Role.PCSO) and K.WARRANT not in view.kinds_for("PCSO")
    assert view.kinds_for(Role.PC) == list(K)


def test_officers_for_lists_active_operational_officers_the_actor_may_log_for(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    pcso = _officer(engine, "2001", Role.PCSO, beat_id=2)
    _officer(engine, "1002", Role.PC, end=date.today() - timedelta(days=1))  # left
    _officer(engine, "1003", Role.PC, start=date.today() + timedelta(days=3))  # not yet
    _officer(engine, "9001", Role.STAFF, beat_id=None, sector_id=1)
    sergeant = _officer(engine, "3001", Role.SERGEANT, beat_id=None, sector_id=1)
    with Session(engine) as session:
        everyone = view.officers_for(session, admin)
        own = view.officers_for(session, Actor("1001", Role.PC.value, pc))
    assert {o.id for o in everyone} == {pc, pcso, sergeant}
    by_id = {o.id: o for o in everyone}
    assert by_id[pc].beat_id == 1 and "1001" in by_id[pc].label and "Officer 1001" in by_id[pc].label
    assert by_id[sergeant].beat_id is None and "sector" in by_id[sergeant].posting
    assert [o.id for o in own] == [pc]


def test_recent_entries_are_live_latest_first_with_labels(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    first = log_entry(engine, admin, EntryInput(pc, K.ARREST, EARLIER - timedelta(hours=1), reference="CR/1"))
    second = log_entry(engine, admin, EntryInput(pc, K.INTELLIGENCE, EARLIER, intel_source=IntelSource.COMMUNITY))
    gone = log_entry(engine, admin, EntryInput(pc, K.PPN, EARLIER))
    delete_entry(engine, admin, gone.entry_id, "typed twice")
    with Session(engine) as session:
        rows = view.recent_entries(session, Actor("1001", Role.PC.value, pc), pc)
        assert view.entry_row(session, gone.entry_id) is None
    assert [r.id for r in rows] == [second.entry_id, first.entry_id]
    assert rows[0].amount == "1 · Community" and rows[1].kind.label == "Arrests"
    assert rows[1].when == f"{view.to_london(rows[1].occurred_at):%d/%m/%Y %H:%M}"
    line = view.format_entry(rows[1])
    assert line.startswith(f"#{first.entry_id} ") and "Arrests" in line and "ref CR/1" in line


def test_history_lines_show_who_when_and_old_to_new(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    logged = log_entry(engine, admin, EntryInput(pc, K.ENGAGEMENT, EARLIER, count=2))
    edited = edit_entry(engine, admin, logged.entry_id, {"count": 5}, logged.version)
    delete_entry(engine, admin, logged.entry_id, "wrong officer", edited.version)
    with Session(engine) as session:
        lines = view.history_lines(entry_history(session, admin, logged.entry_id))
    assert len(lines) == 2
    assert "test-admin" in lines[0] and "edit" in lines[0] and "count: 2 → 5" in lines[0]
    assert "delete" in lines[1] and "reason: wrong officer" in lines[1]


def test_history_of_a_restore_gives_its_reason_not_the_cleared_delete_fields(engine, admin):
    pc = _officer(engine, "1001", Role.PC)
    logged = log_entry(engine, admin, EntryInput(pc, K.ENGAGEMENT, EARLIER, count=2))
    version = delete_entry(engine, admin, logged.entry_id, "wrong officer", logged.version)
    restore_entry(engine, admin, logged.entry_id, "deleted by mistake", version)
    with Session(engine) as session:
        lines = view.history_lines(entry_history(session, admin, logged.entry_id))
    assert len(lines) == 2 and "restore" in lines[1]
    assert lines[1].endswith("restore: reason: deleted by mistake") and "deleted_at" not in lines[1]


def test_london_wall_clock_to_utc_and_back():
    summer = datetime(2024, 7, 1, 14, 30)
    assert view.to_utc(summer) == datetime(2024, 7, 1, 13, 30, tzinfo=UTC)
    assert view.to_utc(datetime(2024, 12, 1, 14, 30)) == datetime(2024, 12, 1, 14, 30, tzinfo=UTC)
    assert view.to_london(view.to_utc(summer)) == summer


def test_field_of_a_service_message():
    assert view.field_of("count: must not be negative (got -1).") == "count"
    assert view.field_of("intel_source: an intelligence report needs one source") == "intel_source"
    assert view.field_of("entry #4 was changed by someone else since you opened it: reopen it") is None
    assert view.without_field("count: must not be negative.") == "Must not be negative."


def test_duty_times_put_an_end_before_the_start_on_the_next_day_in_utc():
    from datetime import time

    assert view.ends_next_day(time(22), time(6)) and not view.ends_next_day(time(7), time(15))
    start, end = view.duty_times(date(2024, 11, 19), time(7), time(15))  # GMT
    assert (start, end) == (datetime(2024, 11, 19, 7, tzinfo=UTC), datetime(2024, 11, 19, 15, tzinfo=UTC))
    start, end = view.duty_times(date(2024, 7, 1), time(22), time(6))  # BST, across midnight
    assert (start, end) == (datetime(2024, 7, 1, 21, tzinfo=UTC), datetime(2024, 7, 2, 5, tzinfo=UTC))
    start, end = view.duty_times(date(2024, 10, 26), time(22), time(6))  # the clocks go back overnight
    assert (start, end) == (datetime(2024, 10, 26, 21, tzinfo=UTC), datetime(2024, 10, 27, 6, tzinfo=UTC))
    start, end = view.duty_times(date(2024, 11, 19), time(7), time(7))  # equal: passed on for the service
    assert start == end


def test_duty_labels_and_hours_minutes():
    assert view.duty_label(datetime(2024, 11, 19, 7, tzinfo=UTC), datetime(2024, 11, 19, 15, tzinfo=UTC)) == \
        "Tue 19 Nov 07:00–15:00"
    assert view.duty_label(datetime(2024, 7, 1, 21, tzinfo=UTC), datetime(2024, 7, 2, 5, tzinfo=UTC)) == \
        "Mon 01 Jul 22:00–06:00 (+1 day)"
    assert view.hours_minutes(90) == "1 h 30 min" and view.hours_minutes(0) == "0 h 00 min"
    assert view.hours_minutes(None) == "not recorded"


def test_duty_summary_has_length_share_and_the_live_place_time_within_the_duty(engine, admin):
    from beatdesk.services.activity.duties import record_duty, set_time_outside

    pc = _officer(engine, "1001", Role.PC)
    other = _officer(engine, "1002", Role.PC)
    start, end = datetime(2024, 11, 19, 7, tzinfo=UTC), datetime(2024, 11, 19, 15, tzinfo=UTC)
    duty = record_duty(engine, admin, pc, start, end)
    record_duty(engine, admin, other, start, end, 400)
    with Session(engine) as session:
        summary = view.duty_summary(session, duty)
        assert view.duty_summary(session, 999) is None
    assert (summary.length_minutes, summary.minutes_outside, summary.place_minutes) == (480, None, 0)
    assert summary.share_outside is None and summary.meets_target is None and summary.places == ()
    set_time_outside(engine, admin, duty, 240)
    first = log_entry(engine, admin, EntryInput(pc, K.DEDICATED_PLACE, start + timedelta(hours=2), minutes=45,
                                                note="Market Square"))
    gone = log_entry(engine, admin, EntryInput(pc, K.DEDICATED_PLACE, start + timedelta(hours=3), minutes=20))
    delete_entry(engine, admin, gone.entry_id, "typed twice")
    log_entry(engine, admin, EntryInput(pc, K.DEDICATED_PLACE, start - timedelta(hours=2), minutes=30))  # before
    log_entry(engine, admin, EntryInput(other, K.DEDICATED_PLACE, start + timedelta(hours=1), minutes=50))
    with Session(engine) as session:
        summary = view.duty_summary(session, duty)
    assert summary.share_outside == 50.0 and summary.meets_target is False
    assert summary.place_minutes == 45 and [p.id for p in summary.places] == [first.entry_id]
    assert summary.places[0].label == "09:00 · 45 min · " + summary.places[0].beat_code + " · Market Square"
    assert summary.label == "Tue 19 Nov 07:00–15:00"
    set_time_outside(engine, admin, duty, 288)
    with Session(engine) as session:
        summary = view.duty_summary(session, duty)
    assert summary.share_outside == 60.0 and summary.meets_target is True and view.OUTSIDE_TARGET_PERCENT == 60


def test_duty_choices_leave_out_the_rota_planned_ahead(engine):
    from beatdesk.models import DutyRecord

    pc = _officer(engine, "1001", Role.PC)
    today = date(2026, 3, 10)
    with session_scope(engine) as session:
        for offset in (-2, -1, 0, 1, 5):  # two worked days, today, and two planned days
            day = today + timedelta(days=offset)
            start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            session.add(DutyRecord(officer_id=pc, duty_date=day, start=start, end=start + timedelta(hours=8)))
    with Session(engine) as session:
        choices = view.duty_choices(session, pc, today=today)
    assert [c.start.date() for c in choices] == [today, today - timedelta(days=1), today - timedelta(days=2)]


def test_recent_entries_are_read_within_reach(engine, admin):
    import pytest

    from beatdesk.services.errors import PermissionDenied

    pc = _officer(engine, "1001", Role.PC)
    far = _officer(engine, "1009", Role.PC, beat_id=5)
    log_entry(engine, admin, EntryInput(far, K.ENGAGEMENT, EARLIER))
    with Session(engine) as session:
        assert len(view.recent_entries(session, admin, far)) == 1
        with pytest.raises(PermissionDenied, match="may see the records of themselves"):
            view.recent_entries(session, Actor("1001", Role.PC.value, pc), far)
