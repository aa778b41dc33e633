"""The task dialog on its own: editing a task sends only the changed fields, a conflict offers to
reload, a finished task is read-only, a map point is read as it is typed and checked against the
beat, and a local priority is offered from those used on the beat."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox
from sqlalchemy import select, text
from sqlmodel import Session

from beatdesk.models import Beat, Task, TaskStatus, TaskType
from beatdesk.services.actor import Actor
from beatdesk.services.tasks import TaskInput, create_task, set_status, update_task
from beatdesk.ui.task_dialog import MAP_POINT, POINT, TaskDialog

DAY = date(2024, 11, 20)
ADMIN = Actor.administrator("ui-test")
CASTLE = "52.2368, -0.8971"  # Northampton's Castle ward, beat NT01
KETTERING = "52.3990, -0.7260"


def at(hour: int) -> datetime:
    return datetime.combine(DAY, time(hour), tzinfo=UTC)


def _nt01(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(Beat.id).where(Beat.code == "NT01")).scalar_one()


def _new(engine, beat, **over) -> int:
    data = dict(type=TaskType.HOTSPOT_PATROL, beat_id=beat, duty_date=DAY, window_start=at(9), window_end=at(11),
                threat=3, harm=2, risk=2, vulnerability=2, instruction="Foot patrol of the precinct")
    return create_task(engine, ADMIN, TaskInput(**(data | over)))


def _row(engine, task_id) -> Task:
    with Session(engine) as session:
        return session.get(Task, task_id)


def _snapshot(engine):
    with engine.connect() as conn:
        return [conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in ("task", "audit_entry")]


def _dialog(qtbot, engine, beat, task_id=None) -> TaskDialog:
    dialog = TaskDialog(engine, ADMIN, DAY, [(beat, "NT01 Castle")], task_id=task_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _type(qtbot, widget, words: str) -> None:
    """Replace what ``widget`` (a line edit, spin box or editable combo) holds by typing ``words``."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    target.setFocus()
    target.selectAll()
    qtbot.keyClicks(target, words)


@pytest.fixture
def beat(engine, team) -> int:
    return _nt01(engine)


def test_edit_fills_the_form_and_saves_only_what_changed(qtbot, engine, beat):
    task_id = _new(engine, beat, local_priority="ASB in the precinct")
    dialog = _dialog(qtbot, engine, beat, task_id)
    assert dialog.windowTitle().startswith(f"Edit task #{task_id}")
    assert dialog.status_value.text() == "open"
    assert dialog.type_combo.currentData() == TaskType.HOTSPOT_PATROL.value
    assert (dialog.start_edit.time(), dialog.end_edit.time()) == (QTime(9, 0), QTime(11, 0))
    assert dialog.scores() == (3, 2, 2, 2) and dialog.priority_label.text() == "P3"
    assert dialog.instruction_edit.text() == "Foot patrol of the precinct"
    assert dialog.local_combo.currentText() == "ASB in the precinct"
    assert dialog.place_combo.currentData() is None and dialog.changes() == {}
    _type(qtbot, dialog.instruction_edit, "Foot patrol; speak to the shop staff")
    _type(qtbot, dialog.spins["harm"], "4")
    assert dialog.priority_label.text() == "P2"
    assert dialog.changes() == {"harm": 4, "instruction": "Foot patrol; speak to the shop staff"}
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved
    row = _row(engine, task_id)
    assert (row.version, row.harm, row.priority, row.instruction) == (2, 4, 2, "Foot patrol; speak to the shop staff")
    assert (row.window_start, row.local_priority) == (at(9), "ASB in the precinct")
    with Session(engine) as session:
        detail = session.execute(text("SELECT detail FROM audit_entry WHERE action = 'update_task'")).scalar_one()
    assert set(json.loads(detail)["new"]) == {"harm", "priority", "instruction"}


def test_saving_an_unchanged_task_writes_nothing(qtbot, engine, beat):
    task_id = _new(engine, beat)
    before = _snapshot(engine)
    dialog = _dialog(qtbot, engine, beat, task_id)
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.saved
    assert _snapshot(engine) == before


def test_a_refusal_keeps_the_dialog_and_what_was_typed(qtbot, engine, beat):
    task_id = _new(engine, beat)
    before = _snapshot(engine)
    dialog = _dialog(qtbot, engine, beat, task_id)
    _type(qtbot, dialog.instruction_edit, "   ")
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.error_label.text().startswith("instruction: a task needs a short instruction")
    assert dialog.instruction_edit.text() == "   "
    assert _snapshot(engine) == before


def test_a_conflict_offers_to_reload_the_task(qtbot, engine, beat):
    task_id = _new(engine, beat)
    dialog = _dialog(qtbot, engine, beat, task_id)
    update_task(engine, ADMIN, task_id, {"instruction": "Changed by the inspector"}, 1)  # meanwhile
    _type(qtbot, dialog.spins["vulnerability"], "5")
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.conflicted
    assert "changed by someone else" in dialog.error_label.text()
    assert dialog.reload_button.isVisible()
    assert dialog.spins["vulnerability"].value() == 5  # what was typed stays until reloaded
    row = _row(engine, task_id)
    assert (row.version, row.vulnerability, row.instruction) == (2, 2, "Changed by the inspector")
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.instruction_edit.text() == "Changed by the inspector"
    assert dialog.spins["vulnerability"].value() == 2 and not dialog.reload_button.isVisible()
    assert dialog.error_label.text().startswith(f"Reloaded: task #{task_id}")
    _type(qtbot, dialog.spins["vulnerability"], "5")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = _row(engine, task_id)
    assert (row.version, row.vulnerability, row.instruction) == (3, 5, "Changed by the inspector")


def test_a_finished_task_is_shown_read_only_with_its_outcome(qtbot, engine, beat):
    task_id = _new(engine, beat)
    set_status(engine, ADMIN, task_id, TaskStatus.DONE, "Two youths moved on", 1)
    dialog = _dialog(qtbot, engine, beat, task_id)
    assert dialog.windowTitle().startswith(f"Task #{task_id}")
    assert dialog.status_value.text().startswith("done: Two youths moved on")
    assert not dialog.instruction_edit.isEnabled() and not dialog.type_combo.isEnabled()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isVisible()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Close"
    dialog.grab().save("/tmp/te_finished.png")


def test_local_priority_offers_those_used_on_the_beat(qtbot, engine, beat):
    _new(engine, beat, local_priority="Burglary dwelling")
    _new(engine, beat, local_priority="ASB in the precinct")
    _new(engine, beat, local_priority="ASB in the precinct")
    dialog = _dialog(qtbot, engine, beat)
    offered = [dialog.local_combo.itemText(i) for i in range(dialog.local_combo.count())]
    assert offered == ["ASB in the precinct", "Burglary dwelling"]
    assert dialog.local_combo.currentText() == ""  # optional: none until chosen or typed
    dialog.local_combo.setCurrentIndex(1)
    _type(qtbot, dialog.instruction_edit, "Crime prevention advice on Elm Road")
    _save(qtbot, dialog)
    assert _row(engine, dialog.task_id).local_priority == "Burglary dwelling"
    typed = _dialog(qtbot, engine, beat)
    _type(qtbot, typed.local_combo, "Speeding on Gold Street")
    _type(qtbot, typed.instruction_edit, "Speed watch with volunteers")
    _save(qtbot, typed)
    assert _row(engine, typed.task_id).local_priority == "Speeding on Gold Street"


def test_an_unreadable_point_is_refused_before_saving(qtbot, engine, beat):
    before = _snapshot(engine)
    dialog = _dialog(qtbot, engine, beat)
    _type(qtbot, dialog.instruction_edit, "Cocooning visits")
    _type(qtbot, dialog.point_edit, "somewhere")
    assert dialog.place_combo.currentData() == POINT  # typing coordinates chooses the map point
    assert dialog.point_label.text().startswith("✗ coordinates: 'somewhere' is not a point")
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.error_label.text().startswith("coordinates: 'somewhere' is not a point")
    assert _snapshot(engine) == before


def test_map_point_typed_checked_live_against_the_beat_then_saved(qtbot, boundary_engine):
    engine = boundary_engine
    beat = _nt01(engine)
    before = _snapshot(engine)
    dialog = _dialog(qtbot, engine, beat)
    assert dialog.place_combo.itemText(dialog.place_combo.count() - 1) == MAP_POINT
    _type(qtbot, dialog.instruction_edit, "Cocooning visits around the burglary")
    _type(qtbot, dialog.point_edit, KETTERING)
    assert dialog.point_label.text().startswith("✗ point: E ")
    assert "m outside beat NT01 (Northampton Town Centre)" in dialog.point_label.text()
    _save(qtbot, dialog)
    assert dialog.isVisible() and "m outside beat NT01" in dialog.error_label.text()
    assert _snapshot(engine) == before
    _type(qtbot, dialog.point_edit, CASTLE)
    assert dialog.point_label.text().startswith("✓ E 475,4") and "on beat NT01" in dialog.point_label.text()
    assert dialog.error_label.text() == ""  # the refusal it answered is cleared
    dialog.grab().save("/tmp/te_point.png")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = _row(engine, dialog.task_id)
    assert row.place_id is None and abs(row.point_easting - 475412) < 50 and abs(row.point_northing - 260418) < 50
    # reopened: the point is shown, and choosing "anywhere" drops it
    edit = _dialog(qtbot, engine, beat, dialog.task_id)
    assert edit.place_combo.currentData() == POINT and edit.point_edit.text().startswith("E 4754")
    assert edit.changes() == {}
    edit.place_combo.setCurrentIndex(0)
    assert edit.point_label.text().startswith("Not used")
    assert edit.changes() == {"point": None}
    _save(qtbot, edit)
    assert _row(engine, dialog.task_id).point_easting is None
