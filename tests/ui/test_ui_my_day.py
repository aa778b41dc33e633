"""My day driven with the keyboard and mouse: tasks listed with their places on the map, start and
finish with an outcome, log activity against a task, refusals shown with nothing typed lost."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select, text
from sqlmodel import Session

from beatdesk.models import Beat, Officer, Role, Task, TaskStatus, TaskType
from beatdesk.services.activity_view import london_now
from beatdesk.services.actor import Actor
from beatdesk.services.places import PlaceInput, create_place
from beatdesk.services.tasks import TaskInput, assign, create_task
from beatdesk.ui.my_day import MyDayView
from beatdesk.ui.place_items import PlacePointItem

DAY = london_now().date() - timedelta(days=1)  # yesterday: entries on it are never in the future
ADMIN = Actor.administrator("ui-test")


def utc(hour: int) -> datetime:
    return datetime.combine(DAY, time(hour), tzinfo=UTC)


@pytest.fixture
def tasks(boundary_engine):
    engine = boundary_engine
    with Session(engine) as session:
        ids = {o.collar_number: o.id for o in session.execute(select(Officer)).scalars()}
        beat = session.execute(select(Beat.id).where(Beat.code == "NT01")).scalar_one()
    place = create_place(engine, ADMIN, PlaceInput(beat="NT01", name="Market Square", kind="hotspot",
                                                   geometry="52.2368, -0.8971"))

    def task(officer, start, scores, instruction, **kw):
        return create_task(engine, ADMIN, TaskInput(
            type=kw.pop("type", TaskType.HOTSPOT_PATROL), beat_id=beat, duty_date=DAY, window_start=utc(start),
            window_end=utc(start + 2), threat=scores, harm=scores, risk=scores, vulnerability=scores,
            instruction=instruction, officer_id=officer, **kw))

    made = {
        "square": task(ids["1001"], 9, 4, "Foot patrol of the square; speak to traders.", place_id=place),
        "visit": task(ids["1001"], 12, 2, "Cocooning visit after the burglary.", type=TaskType.COCOONING_VISIT,
                      point=(475700.0, 260700.0)),
        "theirs": task(ids["1002"], 9, 3, "Someone else's task."),
    }
    return ids, made


@pytest.fixture
def view(qtbot, boundary_engine, tasks):
    ids, _ = tasks
    widget = MyDayView(boundary_engine, Actor("1001", Role.PC.value, officer_id=ids["1001"]))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.show_for(ids["1001"], DAY)
    return widget


def _task(engine, task_id) -> Task:
    with Session(engine) as session:
        return session.get(Task, task_id)


def _cells(view, row):
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


def test_tasks_listed_in_window_order_with_places_on_the_map(view, tasks, qtbot):
    _, made = tasks
    assert view.table.rowCount() == 2  # not the other officer's
    first = _cells(view, 0)
    assert first[0] == "P1" and first[1:4] == ["Hotspot patrol", first[2], "Market Square"]
    assert "Foot patrol" in first[4] and first[5] == "Open"
    assert _cells(view, 1)[3] == "E 475700 N 260700"
    assert "2 tasks: 2 open" in view.summary.text()
    points = [i for i in view.map_view.place_items() if isinstance(i, PlacePointItem)]
    assert len(points) == 2  # only this officer's task places
    assert view.map_view.selected == "NT01"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.current_task().id == made["visit"]
    assert "Cocooning visit after the burglary" in view.detail.text()
    view.grab().save("/tmp/myday.png")


def test_start_then_done_with_outcome_updates_the_database(view, tasks, qtbot, boundary_engine, monkeypatch):
    _, made = tasks
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert _task(boundary_engine, made["square"]).status == TaskStatus.IN_PROGRESS
    assert _cells(view, 0)[5] == "In progress" and not view.start_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Spoke to six traders", True))
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    row = _task(boundary_engine, made["square"])
    assert (row.status, row.outcome) == (TaskStatus.DONE, "Spoke to six traders")
    assert _cells(view, 0)[5] == "Done" and "Outcome: Spoke to six traders" in view.detail.text()
    assert "1 done" in view.summary.text()


def test_refused_outcome_is_shown_and_offered_again(view, tasks, qtbot, boundary_engine, monkeypatch):
    _, made = tasks
    offered = []

    def answer(*args, **kwargs):
        offered.append(args[4] if len(args) > 4 else kwargs.get("text", ""))
        return ("   " if len(offered) == 1 else "Shop shut; try tomorrow", True)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    qtbot.mouseClick(view.not_done_button, Qt.MouseButton.LeftButton)
    assert view.status_label.text().startswith("outcome: say what happened")
    assert _task(boundary_engine, made["square"]).status == TaskStatus.OPEN
    qtbot.mouseClick(view.not_done_button, Qt.MouseButton.LeftButton)
    assert offered == ["", "   "]
    assert _task(boundary_engine, made["square"]).status == TaskStatus.NOT_DONE


def test_log_against_the_task_stores_task_id(view, tasks, qtbot, boundary_engine):
    ids, made = tasks
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = view.log_dialog
    assert dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("engagement"))
    qtbot.keyClicks(dialog.reference, "ENG-42")
    qtbot.keyClicks(dialog.note, "Traders' meeting")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    with boundary_engine.connect() as conn:
        rows = conn.execute(text("SELECT officer_id, task_id, kind, reference FROM activity_entry")).fetchall()
    assert rows == [(ids["1001"], made["square"], "engagement", "ENG-42")]
    assert "logged against task" in view.status_label.text()
    assert "1 entry logged" in view.summary.text() and "(ENG-42)" in view.detail.text()


def test_refused_entry_keeps_what_was_typed(view, tasks, qtbot, boundary_engine):
    view.log_for_task()
    dialog = view.log_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("incident"))
    dialog.count.setValue(0)
    qtbot.keyClicks(dialog.reference, "INC-7")
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text().startswith("count:")
    assert dialog.reference.text() == "INC-7"
    with boundary_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM activity_entry")).scalar_one() == 0
    dialog.count.setValue(1)
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_refusals_for_another_officers_task(view, tasks, qtbot, boundary_engine):
    ids, made = tasks
    assert not view.show_for(ids["1002"], DAY)
    assert "may see only their own day" in view.status_label.text() and view.table.rowCount() == 0
    assert view.show_for(ids["1001"], DAY)
    assign(boundary_engine, ADMIN, made["square"], ids["1002"], 1)  # reassigned while shown
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert "is not theirs" in view.status_label.text()
    assert _task(boundary_engine, made["square"]).status == TaskStatus.OPEN


def test_the_main_window_asks_whose_day_and_shows_it(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from beatdesk.ui.my_day import MyDayView

    asked = []

    def choose(parent, title, label, items, current, editable):
        asked.append(items)
        return next(i for i in items if "1001" in i), True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    assert window.my_day is None
    window.my_day_action.trigger()
    assert asked and any("1001" in item for item in asked[0])
    assert isinstance(window.my_day, MyDayView) and window.my_day_window.isVisible()
    assert window.my_day_window.windowTitle() == "My day — BeatDesk"


def test_cancelling_the_choice_opens_nothing(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("", False))
    assert window.open_my_day() is False
    assert window.my_day_window is None
