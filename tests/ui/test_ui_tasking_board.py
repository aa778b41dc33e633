"""The sergeant's tasking board driven with the keyboard and mouse: who is on duty, tasks, drag and
keyboard assignment, bulk assignment, a refused warrant for a PCSO, carry-over, the new task dialog,
done with an outcome, and the briefing PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog
from sqlalchemy import select
from sqlmodel import Session

from beatdesk.database import session_scope
from beatdesk.models import Beat, BeatSergeant, Officer, Task, TaskStatus, TaskType
from beatdesk.services.activity.duties import record_duty
from beatdesk.services.actor import Actor
from beatdesk.services.tasks import TaskInput, assign, create_task, create_template
from beatdesk.services.tasks.inputs import TemplateInput
from beatdesk.ui.briefing import write_briefing_pdf
from beatdesk.ui.task_dialog import TaskDialog
from beatdesk.ui.tasking_board import TaskingBoard
from beatdesk.ui.tasking_board_model import IS_PERSON, OFFICER_ID, TASK_ID

DAY = date(2024, 11, 20)  # a Wednesday
PREVIOUS = date(2024, 11, 19)
CTRL = Qt.KeyboardModifier.ControlModifier


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _officer_id(engine, collar: str) -> int:
    with Session(engine) as session:
        return session.execute(select(Officer.id).where(Officer.collar_number == collar)).scalar_one()


def _task(engine, task_id: int) -> Task:
    with Session(engine) as session:
        return session.get(Task, task_id)


class Tasking:
    """The NT01 team (from the ui conftest) on duty on DAY, with a sergeant and a few tasks."""

    def __init__(self, engine):
        admin = Actor.administrator("fixture")
        with session_scope(engine) as session:
            self.beat = session.execute(select(Beat.id).where(Beat.code == "NT01")).scalar_one()
        self.zara, self.adam, self.carla = (_officer_id(engine, c) for c in ("1001", "1002", "PCSO7003"))
        sgt = _officer_id(engine, "2004")
        with session_scope(engine) as session:
            session.add(BeatSergeant(beat_id=self.beat, officer_id=sgt))
        self.sergeant = Actor("Sgt 2004", "Sergeant", sgt)
        record_duty(engine, admin, self.zara, at(DAY, 7), at(DAY, 15))
        record_duty(engine, admin, self.adam, at(DAY, 8), at(DAY, 16))
        record_duty(engine, admin, self.carla, at(DAY, 10), at(DAY, 18))
        record_duty(engine, admin, self.zara, at(PREVIOUS, 7), at(PREVIOUS, 15))

        def task(day, hour, instruction, kind=TaskType.HOTSPOT_PATROL, harm=2, officer=None):
            return create_task(engine, self.sergeant, TaskInput(
                type=kind, beat_id=self.beat, duty_date=day, window_start=at(day, hour), window_end=at(day, hour + 2),
                threat=3, harm=harm, risk=2, vulnerability=2, instruction=instruction, officer_id=officer))

        self.patrol = task(DAY, 9, "Foot patrol of the precinct", harm=5, officer=self.zara)
        self.visit = task(DAY, 11, "Cocooning visits, Elm Road", kind=TaskType.COCOONING_VISIT, officer=self.adam)
        self.warrant = task(DAY, 12, "Execute warrant at 4 Mill Lane", kind=TaskType.WARRANT, harm=4)
        self.watch = task(DAY, 14, "Visit the Elm Road watch scheme", kind=TaskType.WATCH_SCHEME_VISIT)
        self.old = task(PREVIOUS, 10, "Check the underpass lighting", officer=self.zara)


@pytest.fixture
def tasking(engine, team) -> Tasking:
    return Tasking(engine)


@pytest.fixture
def board_widget(qtbot, engine, tasking):
    widget = TaskingBoard(engine, tasking.sergeant)
    qtbot.addWidget(widget)
    widget.resize(1300, 640)
    widget.show_day(DAY, [tasking.beat])
    widget.show()
    qtbot.waitExposed(widget)
    widget.tree.setFocus()
    return widget


def _groups(widget) -> dict[str, list[int]]:
    """Top-level row text (without its shortcut) -> the task ids under it."""
    model, out = widget.model, {}
    for head in model.person_rows():
        ids = [model.index(r, 0, head).data(TASK_ID) for r in range(model.rowCount(head))]
        out[head.data().split("  ", 1)[-1]] = ids
    return out


def _group_of(widget, task_id: int) -> int | None:
    return widget.model.officer_of_task(task_id)


def _click_task(qtbot, widget, task_id: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = widget.model.task_index(task_id).siblingAtColumn(4)
    widget.tree.scrollTo(index)
    rect = widget.tree.visualRect(index)
    qtbot.mouseClick(widget.tree.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_board_shows_people_on_duty_their_tasks_and_unassigned(board_widget, tasking):
    groups = _groups(board_widget)
    heads = list(groups)
    assert heads[0].startswith("Zara Ahmed · PC 1001 · 07:00–15:00")
    assert heads[1].startswith("Adam Baker · PC 1002 · 08:00–16:00")
    assert heads[2].startswith("Carla Dias · PCSO PCSO7003 · 10:00–18:00")
    assert heads[3] == "Unassigned (2)"
    assert not any("Sam Okafor" in h for h in heads)  # no duty record: not on the board
    assert groups[heads[0]] == [tasking.patrol]
    assert groups[heads[1]] == [tasking.visit]
    assert groups[heads[3]] == [tasking.warrant, tasking.watch]  # P2 warrant before P3 visit
    chip = board_widget.model.task_index(tasking.patrol)
    assert chip.data() == "P1"
    assert "harm 5: serious harm likely" in chip.data(Qt.ItemDataRole.ToolTipRole)
    assert chip.siblingAtColumn(3).data() == "09:00–11:00"
    assert "Foot patrol of the precinct" == chip.siblingAtColumn(4).data()
    assert "0 carried in" in board_widget.summary_label.text()


def test_keyboard_ctrl_number_assigns_selected_task(qtbot, board_widget, tasking, engine):
    _click_task(qtbot, board_widget, tasking.watch)
    assert board_widget.selected_task_ids() == [tasking.watch]
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_2, CTRL)  # Adam is second on the board
    assert _task(engine, tasking.watch).officer_id == tasking.adam
    assert _group_of(board_widget, tasking.watch) == tasking.adam
    assert board_widget.selected_task_ids() == [tasking.watch]  # still selected after the reload
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_0, CTRL)
    assert _task(engine, tasking.watch).officer_id is None


def test_assign_to_combo_and_enter(qtbot, board_widget, tasking, engine):
    _click_task(qtbot, board_widget, tasking.watch)
    combo = board_widget.assign_combo
    combo.setCurrentIndex(combo.findData(tasking.carla))
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert _task(engine, tasking.watch).officer_id == tasking.carla


def test_drag_and_drop_onto_a_person_assigns(qtbot, board_widget, tasking, engine):
    model = board_widget.model
    source = model.task_index(tasking.watch)
    data = model.mimeData([source, source.siblingAtColumn(2)])
    zara_row = next(h for h in model.person_rows() if h.data(OFFICER_ID) == tasking.zara)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, zara_row)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, zara_row)
    qtbot.waitUntil(lambda: _task(engine, tasking.watch).officer_id == tasking.zara, timeout=2000)
    qtbot.waitUntil(lambda: _group_of(board_widget, tasking.watch) == tasking.zara, timeout=2000)
    # dropped on one of Adam's tasks: goes to Adam; on "Unassigned": unassigned
    adams_task = model.task_index(tasking.visit).siblingAtColumn(3)
    model.dropMimeData(model.mimeData([model.task_index(tasking.watch)]), Qt.DropAction.MoveAction, -1, -1, adams_task)
    qtbot.waitUntil(lambda: _task(engine, tasking.watch).officer_id == tasking.adam, timeout=2000)
    unassigned = next(h for h in model.person_rows() if h.data(IS_PERSON) and h.data(OFFICER_ID) is None)
    model.dropMimeData(model.mimeData([model.task_index(tasking.watch)]), Qt.DropAction.MoveAction, -1, -1, unassigned)
    qtbot.waitUntil(lambda: _task(engine, tasking.watch).officer_id is None, timeout=2000)


def test_bulk_assign_selected(qtbot, board_widget, tasking, engine):
    _click_task(qtbot, board_widget, tasking.watch)
    _click_task(qtbot, board_widget, tasking.visit, CTRL)
    assert set(board_widget.selected_task_ids()) == {tasking.watch, tasking.visit}
    combo = board_widget.assign_combo
    combo.setCurrentIndex(combo.findData(tasking.zara))
    qtbot.mouseClick(board_widget.assign_button, Qt.MouseButton.LeftButton)
    assert _task(engine, tasking.watch).officer_id == tasking.zara
    assert _task(engine, tasking.visit).officer_id == tasking.zara
    assert "2 tasks assigned to Zara Ahmed" in board_widget.status_label.text()


def test_pcso_given_a_warrant_is_refused_and_nothing_changes(qtbot, board_widget, tasking, engine, message_boxes):
    before = {t: _task(engine, t).version for t in (tasking.warrant, tasking.watch)}
    _click_task(qtbot, board_widget, tasking.warrant)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_3, CTRL)  # Carla, a PCSO
    assert message_boxes[-1][0] == "warning"
    assert "a PCSO does not execute a warrant" in message_boxes[-1][2]
    assert _task(engine, tasking.warrant).officer_id is None
    # in a bulk assignment the whole batch is refused
    _click_task(qtbot, board_widget, tasking.watch, CTRL)
    assert set(board_widget.selected_task_ids()) == {tasking.warrant, tasking.watch}
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_3, CTRL)
    assert "a PCSO does not execute a warrant" in message_boxes[-1][2]
    assert {t: _task(engine, t).version for t in before} == before
    assert _group_of(board_widget, tasking.watch) is None


def test_stale_board_reports_conflict_and_reloads(qtbot, board_widget, tasking, engine, message_boxes):
    assign(engine, tasking.sergeant, tasking.watch, tasking.adam, 1)  # someone else, meanwhile
    _click_task(qtbot, board_widget, tasking.watch)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_1, CTRL)
    assert message_boxes[-1][1] == "Changed by someone else"
    assert "reloaded" in message_boxes[-1][2]
    assert _task(engine, tasking.watch).officer_id == tasking.adam
    assert _group_of(board_widget, tasking.watch) == tasking.adam


def test_carry_over_marks_tasks(qtbot, board_widget, tasking, engine):
    qtbot.mouseClick(board_widget.carry_button, Qt.MouseButton.LeftButton)
    assert "1 unfinished task carried over from Tue 19 Nov" in board_widget.status_label.text()
    assert _task(engine, tasking.old).status == TaskStatus.NOT_DONE
    with Session(engine) as session:
        new = session.execute(select(Task).where(Task.carried_from_task_id == tasking.old)).scalar_one()
    index = board_widget.model.task_index(new.id)
    assert index.parent().data(OFFICER_ID) == tasking.zara  # on duty today: kept with her
    assert "carried from Tue 19 Nov" in index.siblingAtColumn(1).data()
    assert "1 carried in" in board_widget.summary_label.text()
    qtbot.mouseClick(board_widget.carry_button, Qt.MouseButton.LeftButton)
    assert "Nothing left to carry over" in board_widget.status_label.text()


def test_new_task_dialog_shows_live_priority_and_creates(qtbot, engine, tasking):
    dialog = TaskDialog(engine, tasking.sergeant, DAY, [(tasking.beat, "NT01")])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.priority_label.text() == "P3"  # every score 2: total 8
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(TaskType.PPN_FOLLOW_UP.value))
    spin = dialog.spins["vulnerability"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "4")
    assert dialog.sliders["vulnerability"].value() == 4
    assert dialog.priority_label.text() == "P2"
    assert "vulnerability 4: vulnerable victim" in dialog.reasons_label.text()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.task_id is None and dialog.error_label.text().startswith("instruction:")  # kept open
    qtbot.keyClicks(dialog.instruction_edit, "Call back the victim at home")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = _task(engine, dialog.task_id)
    assert (row.type, row.priority, row.vulnerability, row.officer_id) == (TaskType.PPN_FOLLOW_UP, 2, 4, None)
    assert row.instruction == "Call back the victim at home"


def test_new_task_from_board_appears_unassigned(qtbot, board_widget, tasking, engine, monkeypatch):
    def fake_exec(dialog):
        dialog.instruction_edit.setText("Leaflet drop on Park Street")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(TaskDialog, "exec", fake_exec)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_N, CTRL)
    unassigned = list(_groups(board_widget).items())[-1][1]
    assert len(unassigned) == 3
    assert board_widget.selected_task_ids() == [max(unassigned)]


def test_from_template(qtbot, board_widget, tasking, engine, monkeypatch):
    create_template(engine, tasking.sergeant, TemplateInput(
        name="Evening precinct patrol", type=TaskType.HOTSPOT_PATROL, threat=2, harm=2, risk=3, vulnerability=2,
        instruction="Visible patrol of the precinct", window_start="18:00", window_end="20:00", beat_id=tasking.beat))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (a[3][0], True)))
    qtbot.mouseClick(board_widget.template_button, Qt.MouseButton.LeftButton)
    [task_id] = board_widget.selected_task_ids()
    row = _task(engine, task_id)
    assert (row.instruction, row.duty_date) == ("Visible patrol of the precinct", DAY)
    assert board_widget.model.task_index(task_id).siblingAtColumn(3).data() == "18:00–20:00"


def test_done_with_outcome(qtbot, board_widget, tasking, engine, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Two youths moved on", True)))
    _click_task(qtbot, board_widget, tasking.patrol)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_D, CTRL)
    row = _task(engine, tasking.patrol)
    assert (row.status, row.outcome) == (TaskStatus.DONE, "Two youths moved on")
    assert board_widget.model.task_index(tasking.patrol).siblingAtColumn(5).data() == "done: Two youths moved on"


def test_not_done_needs_an_outcome(qtbot, board_widget, tasking, engine, monkeypatch, message_boxes):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  ", True)))
    _click_task(qtbot, board_widget, tasking.visit)
    qtbot.mouseClick(board_widget.not_done_button, Qt.MouseButton.LeftButton)
    assert message_boxes[-1][2] == "outcome: say what happened when a task is not done."
    assert _task(engine, tasking.visit).status == TaskStatus.OPEN


def test_team_and_date_pickers(qtbot, board_widget, tasking):
    assert board_widget.team_combo.currentText() == "My team: NT01"
    board_widget.date_edit.setDate(board_widget.date_edit.date().addDays(-1))
    assert board_widget.day == PREVIOUS
    assert [h.split(" · ")[0] for h in _groups(board_widget)] == ["Zara Ahmed", "Unassigned (0)"]


def test_briefing_pdf_and_screenshot(qtbot, board_widget, tasking, tmp_path):
    board_widget.carry_over_previous()
    briefing = board_widget.briefing()
    assert [p.name for p in briefing.people] == ["Zara Ahmed", "Adam Baker", "Carla Dias"]
    path = write_briefing_pdf(tmp_path / "briefing.pdf", briefing)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    board_widget.grab().save(str(tmp_path / "board.png"))
    assert (tmp_path / "board.png").stat().st_size > 0


def test_print_button_writes_the_chosen_file(qtbot, board_widget, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    qtbot.mouseClick(board_widget.print_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in board_widget.status_label.text()


def test_the_main_window_opens_one_tasking_board(qtbot, window):
    from beatdesk.ui.tasking_board import TaskingBoard

    assert window.tasking_board is None  # nothing built until asked for
    window.tasking_action.trigger()
    board = window.tasking_board
    assert isinstance(board, TaskingBoard) and window.tasking_window.isVisible()
    assert window.tasking_window.windowTitle() == "Tasking board — BeatDesk"
    window.tasking_action.trigger()
    assert window.tasking_board is board


def test_a_day_with_nobody_on_duty_says_so(qtbot, window):
    from datetime import date

    from beatdesk.ui.tasking_board_model import NOBODY_ON_DUTY

    window.tasking_action.trigger()
    board = window.tasking_board
    board.show_day(date(2001, 1, 1), [1])
    texts = [board.model.item(row, 0).text() for row in range(board.model.rowCount())]
    assert texts[0] == NOBODY_ON_DUTY
    assert texts[-1].startswith("Ctrl+0  Unassigned")


# ---- editing from the board ---------------------------------------------------------------------


def _edit_when_open(qtbot, change, save=True):
    """Run ``change(dialog)`` on the task dialog once its event loop is running, then Save (or Cancel)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    seen = {}

    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, TaskDialog):
            QTimer.singleShot(10, act)
            return
        seen["dialog"] = dialog
        change(dialog)
        button = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Cancel
        qtbot.mouseClick(dialog.buttons.button(button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def test_enter_on_a_task_opens_the_editor_and_the_board_shows_the_change(qtbot, board_widget, tasking, engine):
    def change(dialog):
        assert dialog.windowTitle().startswith(f"Edit task #{tasking.watch}")
        dialog.instruction_edit.setFocus()
        dialog.instruction_edit.selectAll()
        qtbot.keyClicks(dialog.instruction_edit, "Visit the watch co-ordinator")
        dialog.local_combo.lineEdit().setFocus()
        qtbot.keyClicks(dialog.local_combo.lineEdit(), "Burglary dwelling")

    _click_task(qtbot, board_widget, tasking.watch)
    seen = _edit_when_open(qtbot, change)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_Return)
    assert "dialog" in seen
    row = _task(engine, tasking.watch)
    assert (row.instruction, row.local_priority) == ("Visit the watch co-ordinator", "Burglary dwelling")
    assert row.version == 2
    index = board_widget.model.task_index(tasking.watch)
    assert index.siblingAtColumn(4).data() == "Visit the watch co-ordinator"
    assert index.siblingAtColumn(6).data() == "Burglary dwelling"
    assert "Local priority: Burglary dwelling" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "Where: NT01 · anywhere on the beat" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert board_widget.status_label.text() == f"Task #{tasking.watch} saved."
    assert board_widget.selected_task_ids() == [tasking.watch]


def test_double_click_opens_the_editor(qtbot, board_widget, tasking, engine):
    def change(dialog):
        dialog.spins["harm"].setValue(5)

    seen = _edit_when_open(qtbot, change)
    index = board_widget.model.task_index(tasking.watch).siblingAtColumn(4)
    rect = board_widget.tree.visualRect(index)
    qtbot.mouseClick(board_widget.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(board_widget.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen["dialog"].task.id == tasking.watch
    assert _task(engine, tasking.watch).priority == 1
    assert board_widget.model.task_index(tasking.watch).data() == "P1"


def test_double_click_on_a_person_opens_nothing(qtbot, board_widget, tasking, monkeypatch):
    opened = []
    monkeypatch.setattr(TaskingBoard, "edit_task", lambda self, task_id: opened.append(task_id))
    head = board_widget.model.person_rows()[0]
    rect = board_widget.tree.visualRect(head)
    qtbot.mouseClick(board_widget.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(board_widget.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == []


def test_context_menu_edit_task(qtbot, board_widget, tasking, engine, monkeypatch):
    from PySide6.QtWidgets import QMenu

    monkeypatch.setattr(QMenu, "popup", lambda self, pos, at=None: None)
    index = board_widget.model.task_index(tasking.visit).siblingAtColumn(4)
    board_widget._context_menu(board_widget.tree.visualRect(index).center())
    assert board_widget.selected_task_ids() == [tasking.visit]
    edit = board_widget.context_menu.actions()[0]
    assert edit.text() == "Edit task…"
    _edit_when_open(qtbot, lambda d: d.type_combo.setCurrentIndex(d.type_combo.findData(TaskType.PPN_FOLLOW_UP.value)))
    edit.trigger()
    assert _task(engine, tasking.visit).type == TaskType.PPN_FOLLOW_UP
    assert board_widget.model.task_index(tasking.visit).siblingAtColumn(1).data() == "PPN follow-up"


def test_edit_conflict_on_the_board_then_reload(qtbot, board_widget, tasking, engine):
    from beatdesk.services.tasks import update_task

    def change(dialog):
        update_task(engine, tasking.sergeant, tasking.watch, {"instruction": "Changed meanwhile"}, 1)
        dialog.spins["risk"].setValue(4)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "changed by someone else" in dialog.error_label.text()
        qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
        assert dialog.instruction_edit.text() == "Changed meanwhile"
        dialog.spins["risk"].setValue(4)

    board_widget.select_tasks([tasking.watch])
    _edit_when_open(qtbot, change)
    qtbot.mouseClick(board_widget.edit_button, Qt.MouseButton.LeftButton)
    row = _task(engine, tasking.watch)
    assert (row.instruction, row.risk, row.version) == ("Changed meanwhile", 4, 3)
    assert board_widget.model.task_index(tasking.watch).siblingAtColumn(4).data() == "Changed meanwhile"


def test_cancelled_edit_changes_nothing(qtbot, board_widget, tasking, engine):
    board_widget.select_tasks([tasking.patrol])
    _edit_when_open(qtbot, lambda d: d.instruction_edit.setText("Not kept"), save=False)
    qtbot.keyClick(board_widget.tree, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert _task(engine, tasking.patrol).version == 1
    assert board_widget.model.task_index(tasking.patrol).siblingAtColumn(4).data() == "Foot patrol of the precinct"


def test_edit_needs_one_task_selected(qtbot, board_widget, tasking):
    board_widget.select_tasks([tasking.watch, tasking.visit])
    qtbot.mouseClick(board_widget.edit_button, Qt.MouseButton.LeftButton)
    assert board_widget.status_label.text() == "Select one task to edit."


def test_board_and_briefing_show_point_and_local_priority(qtbot, board_widget, tasking, engine, tmp_path):
    from beatdesk.services.tasks import update_task
    from beatdesk.ui.briefing import briefing_html

    update_task(engine, tasking.sergeant, tasking.visit, {"local_priority": "Burglary dwelling"}, 1)
    board_widget.reload()
    index = board_widget.model.task_index(tasking.visit)
    assert index.siblingAtColumn(6).data() == "Burglary dwelling"
    html = briefing_html(board_widget.briefing())
    assert "Local priority: <b>Burglary dwelling</b>" in html
    board_widget.grab().save("/tmp/te_board_test.png")
