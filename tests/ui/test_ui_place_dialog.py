"""The place dialog, driven with keyboard and mouse: create by typing, the live coordinates line, edit,
retire, refusals that keep what was typed and write nothing, and a stale edit's conflict."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog
from sqlalchemy import text
from sqlmodel import Session

from beatdesk.models import Place, PlaceKind
from beatdesk.services.actor import Actor
from beatdesk.services.places import PlaceInput, create_place, update_place
from beatdesk.ui.place_dialog import PlaceDialog, PlaceEditor

ADMIN = Actor.administrator("ui-test")
CASTLE = "52.2368, -0.8971"  # Northampton town centre, in Castle ward (beat NT01)
KETTERING = "52.3990, -0.7260"  # far outside NT01
SQUARE = "E 475400 N 260400\nE 475480 N 260400\nE 475480 N 260460\nE 475400 N 260460"


def _dump(engine):
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
                for t in ("place", "audit_entry")}


def _place(engine, place_id) -> Place:
    with Session(engine) as session:
        return session.get(Place, place_id)


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _type_lines(qtbot, widget, text_) -> None:
    """Type ``text_`` line by line, pressing Return between lines as a user would."""
    for i, line in enumerate(text_.split("\n")):
        if i:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def _dialog(qtbot, engine, **kwargs) -> PlaceDialog:
    dialog = PlaceDialog(engine, ADMIN, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def market(boundary_engine):
    return create_place(boundary_engine, ADMIN, PlaceInput(
        beat="NT01", name="Market Square", kind="hotspot", geometry=CASTLE,
        peak_days=("Fri", "Sat"), peak_start="22:00", peak_end="03:00", note="CCTV on the corner",
    ))


def test_create_by_typing_with_the_keyboard(qtbot, boundary_engine):
    dialog = _dialog(qtbot, boundary_engine)
    assert dialog.windowTitle() == "New place" and dialog.beat_combo.currentData() == ""
    dialog.beat_combo.setFocus()
    qtbot.keyClicks(dialog.beat_combo, "NT01")  # type-ahead in the beat list
    assert dialog.beat_combo.currentData() == "NT01"
    qtbot.keyClicks(dialog.name_edit, "Bus Station")
    dialog.kind_combo.setFocus()
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Down)
    assert dialog.kind_combo.currentData() == PlaceKind.HIGH_RISK.value
    _type_lines(qtbot, dialog.coordinates_edit, SQUARE)
    assert dialog.coordinates_status.text().startswith("✓ Area of 4 corners, 4,800 m²")
    assert dialog.coordinates_status.text().endswith("within beat NT01")
    for day in (4, 5):  # Fri, Sat
        qtbot.mouseClick(dialog.day_buttons[day], Qt.MouseButton.LeftButton)
    dialog.hours_check.setFocus()
    qtbot.keyClick(dialog.hours_check, Qt.Key.Key_Space)
    assert dialog.start_edit.isEnabled()
    qtbot.keyClicks(dialog.note_edit, "Taxi rank at the north end")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.place_id
    row = _place(boundary_engine, dialog.place_id)
    assert (row.name, row.kind, row.peak_days, row.peak_start, row.peak_end, row.note) == (
        "Bus Station", PlaceKind.HIGH_RISK, 0b0110000, 22 * 60, 3 * 60, "Taxi rank at the north end")


def test_live_line_reads_the_coordinates_back(qtbot, boundary_engine):
    dialog = _dialog(qtbot, boundary_engine, beat="NT01")
    assert dialog.coordinates_status.text() == "Type a point, or an area's corners one per line."
    qtbot.keyClicks(dialog.coordinates_edit, "E 475413 N 260418")
    assert dialog.coordinates_status.text() == "✓ Point E 475,413 N 260,418, within beat NT01"
    qtbot.keyClicks(dialog.coordinates_edit, " x")
    assert dialog.coordinates_status.text().startswith("✗ coordinates: 'E 475413 N 260418 x' is not a point")
    dialog.coordinates_edit.setPlainText("475600 260600; 475605 260600; 475605 260605")
    assert "too small to patrol" in dialog.coordinates_status.text()


@pytest.mark.parametrize(
    "coordinates, name, message, focused",
    [
        (KETTERING, "Bus Station", "m outside beat NT01 (Northampton Town Centre)", "coordinates_edit"),
        (CASTLE, "   ", "name: a place needs a name", "name_edit"),
        ("north of the church", "Bus Station", "'north of the church' is not a point", "coordinates_edit"),
    ],
)
def test_refusal_keeps_what_was_typed_and_writes_nothing(
        qtbot, boundary_engine, coordinates, name, message, focused):
    dialog = _dialog(qtbot, boundary_engine, beat="NT01")
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.coordinates_edit, coordinates)
    qtbot.keyClicks(dialog.note_edit, "Seen from the bridge")
    qtbot.mouseClick(dialog.day_buttons[6], Qt.MouseButton.LeftButton)
    before, typed = _dump(boundary_engine), dialog.values()
    _save(qtbot, dialog)
    assert message in dialog.error_label.text()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted and dialog.place_id is None
    assert dialog.values() == typed and dialog.day_buttons[6].isChecked()
    assert _dump(boundary_engine) == before
    assert dialog.focusWidget() is getattr(dialog, focused)


def _leave(widget) -> None:
    """The user leaves ``widget`` (offscreen windows are never active, so Tab moves no real focus)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def test_typed_coordinates_choose_the_beat_when_none_is_chosen(qtbot, boundary_engine):
    dialog = _dialog(qtbot, boundary_engine)
    qtbot.keyClicks(dialog.coordinates_edit, CASTLE)
    assert dialog.beat_combo.currentData() == ""  # not while typing: "52.2368, -0" lies elsewhere
    _leave(dialog.coordinates_edit)
    assert dialog.beat_combo.currentData() == "NT01"
    assert dialog.coordinates_status.text().endswith("within beat NT01")
    dialog.beat_combo.setCurrentIndex(dialog.beat_combo.findData("CB01"))  # a beat chosen is kept
    _leave(dialog.coordinates_edit)
    assert dialog.beat_combo.currentData() == "CB01"


def test_refused_without_a_beat(qtbot, boundary_engine):
    dialog = _dialog(qtbot, boundary_engine)
    qtbot.keyClicks(dialog.name_edit, "Bus Station")
    qtbot.keyClicks(dialog.coordinates_edit, "E 480000 N 200000")  # on no beat: none is chosen
    assert dialog.beat_combo.currentData() == ""
    before = _dump(boundary_engine)
    _save(qtbot, dialog)
    assert dialog.error_label.text() == "beat: choose the beat the place is on."
    assert _dump(boundary_engine) == before and dialog.focusWidget() is dialog.beat_combo


def test_edit_opens_as_saved_and_changes_only_what_was_changed(qtbot, boundary_engine, market):
    dialog = _dialog(qtbot, boundary_engine, place_id=market)
    assert dialog.windowTitle() == "Edit place — Market Square"
    assert (dialog.beat_combo.currentData(), dialog.name_edit.text(), dialog.kind_combo.currentData()) == (
        "NT01", "Market Square", PlaceKind.HOTSPOT.value)
    assert [b.isChecked() for b in dialog.day_buttons] == [False] * 4 + [True, True, False]
    assert dialog.hours_check.isChecked() and dialog.start_edit.time().toString("HH:mm") == "22:00"
    assert dialog.note_edit.toPlainText() == "CCTV on the corner"
    assert dialog.coordinates_status.text().startswith("✓ Point")
    assert dialog.changes() == {}
    dialog.note_edit.selectAll()
    qtbot.keyClicks(dialog.note_edit, "CCTV covers the west side")
    qtbot.mouseClick(dialog.day_buttons[6], Qt.MouseButton.LeftButton)
    assert set(dialog.changes()) == {"note", "peak_days"}
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = _place(boundary_engine, market)
    assert (row.version, row.note, row.peak_days, row.name) == (
        2, "CCTV covers the west side", 0b1110000, "Market Square")
    audits = [r for r in _dump(boundary_engine)["audit_entry"] if r[3] == "update_place"]
    assert len(audits) == 1 and "geometry" not in audits[0][6]


def test_stale_edit_shows_the_conflict_and_reload_brings_the_other_change(qtbot, boundary_engine, market):
    dialog = _dialog(qtbot, boundary_engine, place_id=market)
    update_place(boundary_engine, ADMIN, market, {"name": "Old Market"}, 1)  # someone else, meanwhile
    dialog.note_edit.selectAll()
    qtbot.keyClicks(dialog.note_edit, "Busy on market days")
    before = _dump(boundary_engine)
    _save(qtbot, dialog)
    assert "changed by someone else since you opened it" in dialog.error_label.text()
    assert dialog.reload_button.isVisible() and dialog.isVisible()
    assert dialog.note_edit.toPlainText() == "Busy on market days"  # still there until the user reloads
    assert _dump(boundary_engine) == before
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert not dialog.reload_button.isVisible() and "Reloaded" in dialog.error_label.text()
    assert (dialog.name_edit.text(), dialog.version) == ("Old Market", 2)
    dialog.note_edit.selectAll()
    qtbot.keyClicks(dialog.note_edit, "Busy on market days")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = _place(boundary_engine, market)
    assert (row.name, row.note, row.version) == ("Old Market", "Busy on market days", 3)


def test_retire_asks_why_and_a_blank_reason_changes_nothing(qtbot, boundary_engine, market, monkeypatch,
                                                           message_boxes):
    from PySide6.QtWidgets import QWidget

    from beatdesk.ui.map_view import MapView

    parent, view = QWidget(), MapView()
    qtbot.addWidget(parent)
    qtbot.addWidget(view)
    editor = PlaceEditor(boundary_engine, ADMIN, view, parent)
    answers = iter([(" ", True), ("", False), ("Market moved to the Guildhall", True)])
    asked = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    before = _dump(boundary_engine)
    assert not editor.retire(market)  # blank reason: the service says why
    assert message_boxes[-1][1:] == ("Place not retired", "reason: say why the place is retired.")
    assert not editor.retire(market)  # cancelled
    assert _dump(boundary_engine) == before
    with qtbot.waitSignal(editor.changed) as changed:
        assert editor.retire(market)
    assert changed.args == ["Place “Market Square” retired."] and "“Market Square”" in asked[0]
    row = _place(boundary_engine, market)
    assert (row.active, row.retired_reason) == (False, "Market moved to the Guildhall")
    assert not editor.edit(market)  # a retired place no longer opens
    assert message_boxes[-1][1] == "Place not opened" and "was retired on" in message_boxes[-1][2]


def test_pc_is_refused_in_the_dialog_in_the_services_words(qtbot, boundary_engine):
    dialog = PlaceDialog(boundary_engine, Actor("1001", "PC", officer_id=1), beat="NT01", geometry=CASTLE)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name_edit, "Bus Station")
    before = _dump(boundary_engine)
    dialog.save()
    assert dialog.error_label.text() == "1001 (PC) may not manage places."
    assert _dump(boundary_engine) == before and dialog.name_edit.text() == "Bus Station"
