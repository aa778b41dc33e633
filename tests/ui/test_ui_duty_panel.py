"""The activity form's duty panel driven with the keyboard and mouse: recording a duty, setting its time
outside the station, refusals that keep the input, a night shift across midnight, the summary's share
against the 60 % target, and the dedicated-place time logged in the form."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication
from sqlmodel import Session, select

from beatdesk.models import ActivityEntry, ActivityKind, DutyRecord, Officer
from beatdesk.services.activity.duties import record_duty
from beatdesk.services.actor import Actor
from beatdesk.ui.activity_form import ActivityForm

DAY_START = datetime(2024, 11, 19, 7, 0, tzinfo=UTC)  # Tue 19 Nov 2024, GMT: London time is UTC
DAY_END = datetime(2024, 11, 19, 15, 0, tzinfo=UTC)


def _officer_id(engine, collar: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Officer.id).where(Officer.collar_number == collar)).one()


def _duties(engine) -> list[DutyRecord]:
    with Session(engine) as session:
        return list(session.exec(select(DutyRecord).order_by(DutyRecord.id)))


@pytest.fixture
def sergeant(engine, team) -> Actor:
    from conftest import directing_sergeant

    return directing_sergeant(engine)


@pytest.fixture
def pc(engine, team) -> int:
    return _officer_id(engine, "1001")


def _open(qtbot, engine, actor, officer_id) -> ActivityForm:
    widget = ActivityForm(engine, actor)
    qtbot.addWidget(widget)
    widget.open_for(officer_id)
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=2000)
    return widget


@pytest.fixture
def form(qtbot, engine, sergeant, pc):
    return _open(qtbot, engine, sergeant, pc)


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _new_duty(qtbot, form, day: date, start: str, end: str, hours: int, minutes: int = 0) -> None:
    """Fill in a new duty: date and times set, the time outside typed, ready for Enter."""
    panel = form.duty_panel
    panel.select_duty(None)
    panel.date_edit.setDate(QDate(day.year, day.month, day.day))
    panel.start_edit.setTime(QTime.fromString(start, "HH:mm"))
    panel.end_edit.setTime(QTime.fromString(end, "HH:mm"))
    _type(qtbot, panel.hours_spin, str(hours))
    qtbot.keyClick(panel.hours_spin, Qt.Key.Key_Tab)
    assert panel.minutes_spin.hasFocus() or panel.minutes_spin.isAncestorOf(QApplication.focusWidget())
    _type(qtbot, panel.minutes_spin, str(minutes))


def test_a_new_duty_is_recorded_when_enter_is_pressed(qtbot, form, engine, pc):
    panel = form.duty_panel
    assert panel.duty_picker.currentText() == "New duty" and panel.duty_id() is None
    _new_duty(qtbot, form, date(2024, 11, 19), "07:00", "15:00", hours=5, minutes=30)
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    [duty] = _duties(engine)
    assert (duty.officer_id, duty.start, duty.end, duty.minutes_outside) == (pc, DAY_START, DAY_END, 330)
    assert panel.duty_id() == duty.id and panel.duty_picker.currentText() == "Tue 19 Nov 07:00–15:00"
    assert f"Recorded duty #{duty.id}" in panel.status_label.text()
    assert form.duty_combo.findData(duty.id) > 0  # offered to entries too
    assert "Length: 8 h 00 min" in panel.length_label.text()
    assert "69 % of the duty" in panel.share_label.text()
    assert _duties(engine) == [duty]  # nothing logged as an activity entry by the duty panel


def test_the_time_outside_of_a_picked_duty_is_set_with_the_mouse(qtbot, form, engine, sergeant, pc):
    older = record_duty(engine, sergeant, pc, datetime(2024, 11, 18, 7, 0, tzinfo=UTC),
                        datetime(2024, 11, 18, 15, 0, tzinfo=UTC))
    newer = record_duty(engine, sergeant, pc, DAY_START, DAY_END)
    form = _open(qtbot, engine, sergeant, pc)
    panel = form.duty_panel
    assert [panel.duty_picker.itemData(i) for i in range(panel.duty_picker.count())] == [None, newer, older]
    panel.duty_picker.setFocus()
    qtbot.keyClick(panel.duty_picker, Qt.Key.Key_Down)
    assert panel.duty_id() == newer
    assert not panel.start_edit.isEnabled() and panel.save_button.text() == "Save time outside"
    assert "not recorded" in panel.share_label.text()
    _type(qtbot, panel.hours_spin, "6")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    stored = {d.id: d.minutes_outside for d in _duties(engine)}
    assert stored == {older: None, newer: 360}
    assert panel.duty_id() == newer and "75 % of the duty" in panel.share_label.text()


def test_outside_above_the_duty_length_is_refused_beside_the_field_and_input_kept(qtbot, form, engine):
    panel = form.duty_panel
    _new_duty(qtbot, form, date(2024, 11, 19), "07:00", "15:00", hours=9, minutes=15)
    qtbot.keyClick(panel.hours_spin, Qt.Key.Key_Enter)
    assert _duties(engine) == []
    assert "555 minutes outside the station is more than the duty's length of 480 minutes" in \
        panel.error_text("outside")
    assert panel.error_text("start") == "" and panel.error_text("end") == ""
    assert (panel.hours_spin.value(), panel.minutes_spin.value()) == (9, 15)
    assert panel.date_edit.date() == QDate(2024, 11, 19) and panel.duty_id() is None
    assert (panel.start_edit.time(), panel.end_edit.time()) == (QTime(7, 0), QTime(15, 0))
    # corrected and saved: the refusal goes
    _type(qtbot, panel.hours_spin, "7")
    qtbot.keyClick(panel.hours_spin, Qt.Key.Key_Return)
    assert [d.minutes_outside for d in _duties(engine)] == [435] and panel.error_text("outside") == ""


def test_a_night_shift_ends_the_next_day_and_is_stored_in_utc(qtbot, form, engine):
    panel = form.duty_panel
    _new_duty(qtbot, form, date(2024, 7, 1), "22:00", "06:00", hours=5)  # summer: London is UTC+1
    assert panel.next_day_label.isVisible() and "next day, Tue 02 Jul" in panel.next_day_label.text()
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    [duty] = _duties(engine)
    assert duty.start == datetime(2024, 7, 1, 21, 0, tzinfo=UTC)
    assert duty.end == datetime(2024, 7, 2, 5, 0, tzinfo=UTC)
    assert panel.duty_picker.currentText() == "Mon 01 Jul 22:00–06:00 (+1 day)"
    assert "Length: 8 h 00 min" in panel.length_label.text()
    panel.select_duty(None)
    panel.end_edit.setTime(QTime(23, 0))
    assert panel.next_day_label.text() == ""


def test_the_summary_shows_the_share_outside_and_its_state_against_the_target(qtbot, form, engine, sergeant, pc):
    duty = record_duty(engine, sergeant, pc, DAY_START, DAY_END, 240)
    panel = form.duty_panel
    form.duty_panel.set_officer(pc)
    panel.select_duty(duty)
    assert "50 % of the duty" in panel.share_label.text() and "below the 60 % target" in panel.share_label.text()
    assert panel.share_label.property("state") == "below"
    assert (panel.hours_spin.value(), panel.minutes_spin.value()) == (4, 0)  # the stored time, to adjust
    _type(qtbot, panel.hours_spin, "4")
    _type(qtbot, panel.minutes_spin, "48")
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    assert "60 % of the duty" in panel.share_label.text() and "meets the 60 % target" in panel.share_label.text()
    assert panel.share_label.property("state") == "met"
    assert "0 min logged of 288 min outside" in panel.places_label.text()


def _log_place_time(qtbot, form, at_local: datetime, minutes: int, note: str) -> None:
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(ActivityKind.DEDICATED_PLACE.value))
    form._set_when(at_local)
    _type(qtbot, form.note_edit, note)
    _type(qtbot, form.minutes_spin, str(minutes))
    qtbot.keyClick(form.minutes_spin, Qt.Key.Key_Return)


def test_logging_time_in_a_dedicated_place_refreshes_the_summary(qtbot, form, engine, sergeant, pc):
    duty = record_duty(engine, sergeant, pc, DAY_START, DAY_END, 300)
    form.duty_panel.set_officer(pc)
    form.duty_panel.select_duty(duty)
    assert "0 min logged of 300 min outside" in form.duty_panel.places_label.text()
    _log_place_time(qtbot, form, datetime(2024, 11, 19, 9, 30), 45, "Market Square")
    with Session(engine) as session:
        [entry] = session.exec(select(ActivityEntry)).all()
    assert (entry.kind, entry.minutes) == (ActivityKind.DEDICATED_PLACE, 45)
    assert "45 min logged of 300 min outside" in form.duty_panel.places_label.text()
    assert "09:30 · 45 min · NT01 · Market Square" in form.duty_panel.places_list.text()
    # undone in the form: the summary follows
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "0 min logged of 300 min outside" in form.duty_panel.places_label.text()


def test_dedicated_minutes_above_the_time_outside_are_refused(qtbot, form, engine, sergeant, pc):
    duty = record_duty(engine, sergeant, pc, DAY_START, DAY_END, 60)
    form.duty_panel.set_officer(pc)
    form.duty_panel.select_duty(duty)
    _log_place_time(qtbot, form, datetime(2024, 11, 19, 10, 0), 90, "Park")
    with Session(engine) as session:
        assert session.exec(select(ActivityEntry)).all() == []
    assert "would exceed its time outside the station of 60 minutes" in form.error_text("minutes")
    assert form.minutes_spin.value() == 90 and form.note_edit.text() == "Park"
    assert "0 min logged of 60 min outside" in form.duty_panel.places_label.text()


def test_time_outside_below_the_place_time_logged_is_refused(qtbot, form, engine, sergeant, pc):
    duty = record_duty(engine, sergeant, pc, DAY_START, DAY_END, 120)
    form.duty_panel.set_officer(pc)
    form.duty_panel.select_duty(duty)
    _log_place_time(qtbot, form, datetime(2024, 11, 19, 10, 0), 90, "Park")
    panel = form.duty_panel
    _type(qtbot, panel.hours_spin, "1")
    _type(qtbot, panel.minutes_spin, "0")
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    assert "less than the 90 minutes already logged" in panel.error_text("outside")
    assert [d.minutes_outside for d in _duties(engine)] == [120]
    assert (panel.hours_spin.value(), panel.minutes_spin.value()) == (1, 0)


def test_an_overlapping_duty_and_an_end_not_after_the_start_are_refused_beside_their_fields(
        qtbot, form, engine, sergeant, pc):
    record_duty(engine, sergeant, pc, DAY_START, DAY_END)
    panel = form.duty_panel
    _new_duty(qtbot, form, date(2024, 11, 19), "14:00", "20:00", hours=3)
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    assert "overlapping this one" in panel.error_text("start") and len(_duties(engine)) == 1
    panel.start_edit.setTime(QTime(16, 0))
    panel.end_edit.setTime(QTime(16, 0))
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    assert "is not after the start" in panel.error_text("end") and panel.error_text("start") == ""
    assert len(_duties(engine)) == 1 and panel.hours_spin.value() == 3


def test_a_duty_before_the_officer_joined_is_refused(qtbot, form, engine):
    panel = form.duty_panel
    _new_duty(qtbot, form, date(2019, 12, 30), "07:00", "15:00", hours=5)
    qtbot.keyClick(panel.minutes_spin, Qt.Key.Key_Return)
    assert "before 1001 joined" in panel.error_text("start") and _duties(engine) == []


def test_the_panel_fields_follow_in_tab_order_with_mnemonics(qtbot, form):
    panel = form.duty_panel
    chain = [w for w in panel.tab_chain() if w.isEnabled()] + [form.table]
    chain[0].setFocus()
    for current, expected in zip(chain, chain[1:], strict=False):
        for _ in range(6):  # Tab steps through a date or time editor's sections first, then leaves it
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focus = QApplication.focusWidget()
            if focus is not current and not current.isAncestorOf(focus):
                break
        assert focus is expected or expected.isAncestorOf(focus), (expected.objectName(), focus.objectName())
    labels = {label.text(): label.buddy() for label in panel.findChildren(type(panel.status_label))
              if label.buddy() is not None}
    assert labels["&Pick duty"] is panel.duty_picker and labels["Time outs&ide the station"] is panel.hours_spin
    assert labels["Star&t"] is panel.start_edit and labels["&Finish"] is panel.end_edit
