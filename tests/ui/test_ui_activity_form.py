"""The "Log activity" form driven with the keyboard and mouse: logging, refusals that keep the input,
warnings, editing, stale edits, deleting, history, and Ctrl+Z / Ctrl+Shift+Z through the services (deletes too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QApplication, QInputDialog
from sqlmodel import Session, select

from beatdesk.models import ActivityEntry, ActivityKind, Officer
from beatdesk.services.activity import (
    EntryInput, edit_entry, log_entry, recount_totals, restore_entry, stored_totals,
)
from beatdesk.services.actor import Actor
from beatdesk.ui.activity_form import ActivityForm
from beatdesk.ui.undo_commands import UNDO_REASON

CTRL = Qt.KeyboardModifier.ControlModifier


def _officer_id(engine, collar: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Officer.id).where(Officer.collar_number == collar)).one()


def _entries(engine, live_only=True) -> list[ActivityEntry]:
    with Session(engine) as session:
        query = select(ActivityEntry).order_by(ActivityEntry.id)
        if live_only:
            query = query.where(ActivityEntry.deleted_at.is_(None))
        return list(session.exec(query))


def _totals_match(engine) -> None:
    with Session(engine) as session:
        assert stored_totals(session) == recount_totals(session)


@pytest.fixture
def sergeant(engine, team) -> Actor:
    from conftest import directing_sergeant

    return directing_sergeant(engine)


@pytest.fixture
def form(qtbot, engine, sergeant):
    widget = ActivityForm(engine, sergeant)
    qtbot.addWidget(widget)
    widget.open_for(_officer_id(engine, "1001"))
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=2000)
    return widget


def _choose_kind(qtbot, form, kind: ActivityKind) -> None:
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(kind.value))


def _set_when(form, local: datetime) -> None:
    form.when_edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                         QTime(local.hour, local.minute), QTimeZone.utc()))


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _log_arrest(qtbot, form, reference="CR/100/25", note="shop theft") -> ActivityEntry:
    _choose_kind(qtbot, form, ActivityKind.ARREST)
    _type(qtbot, form.reference_edit, reference)
    _type(qtbot, form.note_edit, note)
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    return _entries(form.engine)[-1]


def _click_row(qtbot, form, row: int = 0) -> None:
    rect = form.table.visualRect(form.model.index(row, 0))
    qtbot.mouseClick(form.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_an_arrest_typed_for_a_pc_is_stored_when_enter_is_pressed(qtbot, form, engine):
    _set_when(form, datetime(2024, 7, 1, 14, 30))  # BST: 13:30 UTC
    entry = _log_arrest(qtbot, form)
    assert (entry.kind, entry.count, entry.reference, entry.note) == (ActivityKind.ARREST, 1, "CR/100/25", "shop theft")
    assert entry.officer_id == _officer_id(engine, "1001")
    assert entry.occurred_at == datetime(2024, 7, 1, 13, 30, tzinfo=UTC)
    assert f"#{entry.id}" in form.confirm_label.text() and form.confirm_label.isVisible()
    # ready for the next one: officer, kind and time stay, the item's details go
    assert form.reference_edit.text() == "" and form.note_edit.text() == ""
    assert form.current_officer().collar_number == "1001" and form.kind_combo.currentData() == "arrest"
    assert form.when_edit.dateTime().time().hour() == 14
    assert form.model.rowCount() == 1 and form.model.entry(0).id == entry.id
    _totals_match(engine)


def test_the_officer_is_found_by_collar_number(qtbot, form, engine):
    line = form.officer_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "1002")
    _choose_kind(qtbot, form, ActivityKind.INCIDENT)
    _type(qtbot, form.reference_edit, "INC/7")
    qtbot.keyClick(form.reference_edit, Qt.Key.Key_Return)
    assert _entries(engine)[-1].officer_id == _officer_id(engine, "1002")


def test_a_pcso_arrest_is_refused_beside_the_kind_and_nothing_typed_is_lost(qtbot, form, engine):
    _choose_kind(qtbot, form, ActivityKind.ARREST)
    _type(qtbot, form.reference_edit, "CR/200/25")
    _type(qtbot, form.note_edit, "detained at the market")
    form.officer_combo.setCurrentIndex(form.officer_combo.findData(_officer_id(engine, "PCSO7003")))
    arrest = form.kind_combo.model().item(form.kind_combo.findData("arrest"))
    assert not arrest.isEnabled()  # not offered to a PCSO, but the service is what refuses
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert _entries(engine) == []
    assert "cannot log arrests" in form.error_text("kind")
    assert "kind: a PCSO cannot log arrests" in form.status_label.text() and form.status_label.isVisible()
    assert form.reference_edit.text() == "CR/200/25" and form.note_edit.text() == "detained at the market"
    assert form.kind_combo.currentData() == "arrest" and form.current_officer().collar_number == "PCSO7003"


def test_a_negative_count_is_refused_beside_the_count(qtbot, form, engine):
    _choose_kind(qtbot, form, ActivityKind.ENGAGEMENT)
    _type(qtbot, form.count_spin, "-3")
    _type(qtbot, form.reference_edit, "ENG/1")
    qtbot.keyClick(form.reference_edit, Qt.Key.Key_Return)
    assert _entries(engine) == []
    assert "must not be negative" in form.error_text("count").lower()
    assert form.count_spin.value() == -3 and form.reference_edit.text() == "ENG/1"


def test_fields_follow_the_kind_and_intelligence_needs_a_source(qtbot, form, engine):
    _choose_kind(qtbot, form, ActivityKind.DEDICATED_PLACE)
    assert form.minutes_spin.isVisible() and not form.count_spin.isVisible()
    _choose_kind(qtbot, form, ActivityKind.STOP_SEARCH)
    assert form.outcome_check.isVisible() and not form.source_combo.isVisible()
    _choose_kind(qtbot, form, ActivityKind.INTELLIGENCE)
    assert form.source_combo.isVisible() and form.count_spin.isVisible() and not form.outcome_check.isVisible()
    _type(qtbot, form.note_edit, "vehicle seen at night")
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert _entries(engine) == []
    assert "needs one source" in form.error_text("source")
    assert form.note_edit.text() == "vehicle seen at night"
    form.source_combo.setCurrentIndex(form.source_combo.findData("Observations"))
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert _entries(engine)[-1].intel_source.value == "Observations"
    assert form.error_text("source") == ""


def test_a_reference_logged_twice_is_flagged_in_amber(qtbot, form, engine):
    _log_arrest(qtbot, form, reference="CR/300/25")
    assert not form.warning_label.isVisible()
    _log_arrest(qtbot, form, reference="CR/300/25")
    assert len(_entries(engine)) == 2
    assert form.warning_label.isVisible() and "already logged" in form.warning_label.text()


def test_escape_clears_the_form(qtbot, form):
    _type(qtbot, form.reference_edit, "CR/1")
    qtbot.keyClick(form.reference_edit, Qt.Key.Key_Escape)
    assert form.reference_edit.text() == "" and form.current_officer().collar_number == "1001"


def test_an_entry_chosen_in_the_list_is_edited_and_its_history_shows_the_change(qtbot, form, engine):
    entry = _log_arrest(qtbot, form)
    _click_row(qtbot, form)
    assert form.editing().id == entry.id and form.reference_edit.text() == "CR/100/25"
    assert "changes" in form.submit_button.text().replace("&", "")
    _type(qtbot, form.count_spin, "3")
    qtbot.keyClick(form.count_spin, Qt.Key.Key_Return)
    stored = _entries(engine)[-1]
    assert (stored.id, stored.count, stored.version, stored.occurred_at) == (entry.id, 3, 2, entry.occurred_at)
    assert form.editing() is None
    _totals_match(engine)
    _click_row(qtbot, form)
    qtbot.mouseClick(form.history_button, Qt.MouseButton.LeftButton)
    text = form.history_dialog.text.toPlainText()
    assert "count: 1 → 3" in text and "Sgt 2004" in text and "edit" in text


def test_a_stale_edit_shows_the_conflict_and_reload_brings_the_other_change(qtbot, form, engine, sergeant):
    entry = _log_arrest(qtbot, form)
    _click_row(qtbot, form)
    edit_entry(engine, Actor.administrator("someone-else"), entry.id, {"note": "their note"}, entry.version)
    _type(qtbot, form.note_edit, "my note")
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert "changed by someone else" in form.status_label.text()
    assert form.reload_button.isVisible() and form.note_edit.text() == "my note"
    assert _entries(engine)[-1].note == "their note"
    qtbot.mouseClick(form.reload_button, Qt.MouseButton.LeftButton)
    assert form.note_edit.text() == "their note" and form.editing().version == 2
    _type(qtbot, form.note_edit, "my note")
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert _entries(engine)[-1].note == "my note"


def test_an_entry_is_deleted_with_a_reason(qtbot, form, engine, monkeypatch):
    entry = _log_arrest(qtbot, form)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("logged twice", True)))
    _click_row(qtbot, form)
    qtbot.mouseClick(form.delete_button, Qt.MouseButton.LeftButton)
    stored = _entries(engine, live_only=False)[-1]
    assert stored.id == entry.id and stored.deleted_reason == "logged twice" and stored.deleted_by == "Sgt 2004"
    assert form.model.rowCount() == 0 and _entries(engine) == []
    _totals_match(engine)


def test_cancelling_the_reason_deletes_nothing(qtbot, form, engine, monkeypatch):
    _log_arrest(qtbot, form)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    _click_row(qtbot, form)
    qtbot.mouseClick(form.delete_button, Qt.MouseButton.LeftButton)
    assert len(_entries(engine)) == 1


def test_ctrl_z_undoes_the_last_log_through_the_service_and_redo_restores_it(qtbot, form, engine):
    entry = _log_arrest(qtbot, form)
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Z, CTRL)
    stored = _entries(engine, live_only=False)[-1]
    assert stored.id == entry.id and stored.deleted_reason == UNDO_REASON and _entries(engine) == []
    assert form.model.rowCount() == 0
    _totals_match(engine)
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Y, CTRL)
    again = _entries(engine)
    assert [(e.id, e.reference, e.version) for e in again] == [(entry.id, entry.reference, 3)]  # the same entry
    assert len(_entries(engine, live_only=False)) == 1 and form.model.rowCount() == 1
    _totals_match(engine)


def _delete_row(qtbot, form, monkeypatch, reason="logged twice", row=0) -> None:
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (reason, True)))
    _click_row(qtbot, form, row)
    qtbot.mouseClick(form.delete_button, Qt.MouseButton.LeftButton)


def test_ctrl_z_brings_a_deleted_entry_back_and_ctrl_shift_z_deletes_it_again(qtbot, form, engine, monkeypatch):
    entry = _log_arrest(qtbot, form)
    _delete_row(qtbot, form, monkeypatch)
    assert _entries(engine) == [] and form.model.rowCount() == 0
    assert "Ctrl+Z" in form.confirm_label.text()
    assert form.undo_action.text().replace("&", "") == f"Undo Delete entry #{entry.id}"
    qtbot.keyClick(form.table, Qt.Key.Key_Z, CTRL)
    [back] = _entries(engine)
    assert (back.id, back.version, back.deleted_reason) == (entry.id, 3, None)
    assert form.model.rowCount() == 1 and form.model.entry(0).id == entry.id
    assert form.status_label.text() == f"Undone: Delete entry #{entry.id}" and not form.status_label.property("error")
    _totals_match(engine)
    qtbot.keyClick(form.table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    [gone] = _entries(engine, live_only=False)
    assert (gone.id, gone.version, gone.deleted_reason) == (entry.id, 4, "logged twice")
    assert form.model.rowCount() == 0 and form.status_label.text() == f"Redone: Delete entry #{entry.id}"
    _totals_match(engine)
    qtbot.mouseClick(form.undo_button, Qt.MouseButton.LeftButton)  # the button does what Ctrl+Z does
    assert [e.id for e in _entries(engine)] == [entry.id]
    _click_row(qtbot, form)
    qtbot.mouseClick(form.history_button, Qt.MouseButton.LeftButton)
    changes = [line.split(" · ")[2].split(":")[0] for line in form.history_dialog.text.toPlainText().splitlines()]
    assert changes == ["delete", "restore", "delete", "restore"]


def test_log_edit_and_delete_are_undone_in_turn_and_redone_on_the_same_entry(qtbot, form, engine, monkeypatch):
    entry = _log_arrest(qtbot, form)
    _click_row(qtbot, form)
    _type(qtbot, form.count_spin, "4")
    qtbot.keyClick(form.count_spin, Qt.Key.Key_Return)
    _delete_row(qtbot, form, monkeypatch)
    for live, count in (([entry.id], 4), ([entry.id], 1), ([], 1)):  # delete, edit, log undone
        qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)
        assert [e.id for e in _entries(engine)] == live and _entries(engine, live_only=False)[-1].count == count
        _totals_match(engine)
    assert not form.undo_action.isEnabled()
    for live, count in (([entry.id], 1), ([entry.id], 4), ([], 4)):  # log, edit, delete redone
        qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert [e.id for e in _entries(engine)] == live and _entries(engine, live_only=False)[-1].count == count
        _totals_match(engine)
    assert len(_entries(engine, live_only=False)) == 1 and form.undo_stack.count() == 3


def test_undoing_a_delete_someone_else_already_undid_is_reported_and_dropped(qtbot, form, engine, monkeypatch):
    entry = _log_arrest(qtbot, form)
    _delete_row(qtbot, form, monkeypatch)
    restore_entry(engine, Actor.administrator("someone-else"), entry.id, "it was right", 2)
    qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)
    assert f"#{entry.id} is not deleted (someone-else restored it on " in form.status_label.text()
    assert form.status_label.property("error") and form.status_label.isVisible()
    assert form.undo_stack.count() == 1 and form.undo_action.text().replace("&", "").startswith("Undo Log")
    assert _entries(engine)[-1].version == 3
    _totals_match(engine)


def test_a_restore_that_flags_a_reference_shows_the_warning(qtbot, form, engine, monkeypatch):
    entry = _log_arrest(qtbot, form, reference="CR/400/25")
    _delete_row(qtbot, form, monkeypatch)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    log_entry(engine, Actor.administrator("someone-else"), EntryInput(
        _officer_id(engine, "1002"), ActivityKind.ARREST, an_hour_ago, reference="CR/400/25"))
    qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)
    assert [e.id for e in _entries(engine) if e.officer_id == entry.officer_id] == [entry.id]
    assert form.warning_label.isVisible() and "Reference CR/400/25 was already logged" in form.warning_label.text()
    assert form.status_label.text() == f"Undone: Delete entry #{entry.id}"


def test_ctrl_z_undoes_the_last_edit(qtbot, form, engine):
    entry = _log_arrest(qtbot, form)
    _click_row(qtbot, form)
    _type(qtbot, form.count_spin, "4")
    qtbot.keyClick(form.count_spin, Qt.Key.Key_Return)
    assert _entries(engine)[-1].count == 4
    qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)
    stored = _entries(engine)[-1]
    assert (stored.id, stored.count, stored.version) == (entry.id, 1, 3)
    _totals_match(engine)
    qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)  # and then the log itself
    assert _entries(engine) == []
    _totals_match(engine)


def test_a_future_time_is_refused_beside_the_time(qtbot, form, engine):
    _set_when(form, datetime.now() + timedelta(days=2))
    _choose_kind(qtbot, form, ActivityKind.PPN)
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return)
    assert "in the future" in form.error_text("when") and _entries(engine) == []


def test_an_undo_the_service_refuses_is_reported_and_dropped(qtbot, form, engine):
    entry = _log_arrest(qtbot, form)
    edit_entry(engine, Actor.administrator("someone-else"), entry.id, {"count": 2}, entry.version)
    qtbot.keyClick(form.kind_combo, Qt.Key.Key_Z, CTRL)
    assert "changed by someone else" in form.status_label.text() and form.undo_stack.count() == 0
    assert _entries(engine)[-1].count == 2
    _totals_match(engine)


def test_the_main_window_opens_the_form_beside_the_beat_panel_and_logs_through_it(qtbot, window, engine):
    assert window.activity_form is None  # nothing built until asked for
    window.log_activity_action.trigger()
    form = window.activity_form
    assert isinstance(form, ActivityForm) and window.activity_dock.isVisible()
    assert window.tabifiedDockWidgets(window.panel_dock) == [window.activity_dock]
    form.open_for(_officer_id(engine, "1001"))
    _set_when(form, datetime(2024, 7, 1, 9, 0))
    entry = _log_arrest(qtbot, form, reference="CR/555/24")
    assert entry.reference == "CR/555/24"
    assert window.statusBar().currentMessage() == "Activity saved."
    window.log_activity_action.trigger()  # a second time: the same form, not another
    assert window.activity_form is form


def test_in_the_main_window_ctrl_z_and_ctrl_shift_z_reach_the_docked_form(qtbot, window, engine, monkeypatch):
    window.log_activity_action.trigger()
    form = window.activity_form
    form.open_for(_officer_id(engine, "1001"))
    _set_when(form, datetime(2024, 7, 1, 9, 0))
    entry = _log_arrest(qtbot, form, reference="CR/556/24")
    _delete_row(qtbot, form, monkeypatch)
    assert _entries(engine) == []
    focus = QApplication.focusWidget()
    assert form.isAncestorOf(focus)  # not lost to the map when the delete button went grey
    qtbot.keyClick(focus, Qt.Key.Key_Z, CTRL)
    assert [e.id for e in _entries(engine)] == [entry.id]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert _entries(engine) == []
    _totals_match(engine)


def test_the_edit_menu_appears_with_the_form_and_says_what_it_will_undo(qtbot, window, engine, monkeypatch):
    assert not window.edit_menu.menuAction().isVisible()  # nothing to undo before the form exists
    window.log_activity_action.trigger()
    form = window.activity_form
    assert window.edit_menu.menuAction().isVisible()
    assert window.edit_menu.actions() == [form.undo_action, form.redo_action]
    form.open_for(_officer_id(engine, "1001"))
    _set_when(form, datetime(2024, 7, 1, 9, 0))
    entry = _log_arrest(qtbot, form, reference="CR/557/24")
    _delete_row(qtbot, form, monkeypatch)
    assert form.undo_action.isEnabled() and "Delete" in form.undo_action.text()
    window.edit_menu.actions()[0].trigger()  # Edit > Undo, as if chosen with the mouse
    assert [e.id for e in _entries(engine)] == [entry.id]
