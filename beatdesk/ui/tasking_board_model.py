"""The tasking board as a Qt item model: one top-level row per person (and one "Unassigned"), their
tasks as children. Dragging task rows onto a person (or onto one of their tasks, or "Unassigned")
asks the board to assign them; the model itself never writes.

Priority colours are Paul Tol's colour-blind-safe "bright" reds to greys, always shown with their
text (P1..P4) so colour is never the only cue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from beatdesk.services.briefing import carried_text, duty_text, place_text, window_text
from beatdesk.services.tasks.inputs import Board, PersonTasks, TaskView

PRIORITY_COLOURS = {1: "#CC3311", 2: "#EE7733", 3: "#DDCC77", 4: "#BBBBBB"}
PRIORITY_TEXT = {1: "#FFFFFF", 2: "#000000", 3: "#000000", 4: "#000000"}
CARRIED_COLOUR = "#8A4B00"
FINISHED_COLOUR = "#6B6B6B"
MIME = "application/x-beatdesk-task-ids"
COLUMNS = ("Priority", "Type", "Beat / place", "Window", "Instruction", "Status", "Local priority")

TASK_ID = Qt.ItemDataRole.UserRole + 1
TASK_VERSION = Qt.ItemDataRole.UserRole + 2
OFFICER_ID = Qt.ItemDataRole.UserRole + 3  # on a person row: the officer (None on "Unassigned")
IS_PERSON = Qt.ItemDataRole.UserRole + 4
UNASSIGNED = "Unassigned"
NOBODY_ON_DUTY = (
    "Nobody in this team has a duty on this day. Duties come from duty records: "
    "Activity → Log activity → Duty."
)


class BoardModel(QStandardItemModel):
    """People and their tasks; ``on_drop(task_ids, officer_id)`` is called when tasks are dropped."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.on_drop: Callable[[list[int], int | None], None] | None = None
        self.tasks: dict[int, TaskView] = {}
        self.people: list[PersonTasks] = []

    # ---- filling ----

    def show_board(self, board: Board, carried_from: dict[int, date]) -> None:
        self.removeRows(0, self.rowCount())
        self.tasks = {}
        self.people = list(board.people)
        for index, person in enumerate(board.people, start=1):
            key = f"Ctrl+{index}  " if index <= 9 else ""
            label = f"{key}{person.name} · {person.role} {person.collar_number} · {duty_text(person)}"
            self._group(label, person.officer_id, person.tasks, carried_from, dim=not person.on_duty,
                        tip=f"{person.name}, {person.role} {person.collar_number}; duty {duty_text(person)}."
                            " Drop tasks here, or select tasks and press " + (key.strip() or "Assign selected"))
        if not board.people:
            self.appendRow(self._nobody_row())
        self._group(f"Ctrl+0  {UNASSIGNED} ({len(board.unassigned)})", None, board.unassigned, carried_from,
                    tip="Tasks nobody has yet. Drop tasks here, or press Ctrl+0, to unassign them.")

    def _group(self, label: str, officer_id: int | None, tasks: list[TaskView], carried_from: dict[int, date],
               dim: bool = False, tip: str = "") -> None:
        head = QStandardItem(label)
        font = QFont()
        font.setBold(True)
        head.setFont(font)
        head.setData(officer_id, OFFICER_ID)
        head.setData(True, IS_PERSON)
        head.setToolTip(tip)
        head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        if dim:
            head.setForeground(QBrush(QColor(FINISHED_COLOUR)))
        fillers = [self._filler() for _ in COLUMNS[1:]]
        for task in tasks:
            head.appendRow(self._task_row(task, carried_from.get(task.id)))
        self.appendRow([head, *fillers])

    @staticmethod
    def _nobody_row() -> list[QStandardItem]:
        """Said outright, so an empty board is never mistaken for a broken one."""
        note = QStandardItem(NOBODY_ON_DUTY)
        note.setFlags(Qt.ItemFlag.ItemIsEnabled)
        note.setForeground(QBrush(QColor(FINISHED_COLOUR)))
        note.setToolTip(NOBODY_ON_DUTY)
        return [note, *(QStandardItem() for _ in COLUMNS[1:])]

    @staticmethod
    def _filler() -> QStandardItem:
        item = QStandardItem()
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        return item

    def _task_row(self, task: TaskView, carried_from: date | None) -> list[QStandardItem]:
        self.tasks[task.id] = task
        level = task.priority.level
        kind = task.type.label + (f"  ↪ {carried_text(carried_from)}" if carried_from else "")
        where = f"{task.beat_code} · {place_text(task)}"
        texts = [task.priority.label, kind, where, window_text(task), task.instruction,
                 task.status.value + (f": {task.outcome}" if task.outcome else ""), task.local_priority]
        reasons = "\n".join([
            f"Task #{task.id}: {task.type.label}, {window_text(task)}",
            f"Where: {where}",
            f"Local priority: {task.local_priority or 'none'}",
            "", "Priority " + task.priority.label + ":\n• " + "\n• ".join(task.priority.reasons or ["no reasons"]),
            "", "Enter or double-click to edit.",
        ])
        items = []
        for column, text in enumerate(texts):
            item = QStandardItem(text)
            item.setData(task.id, TASK_ID)
            item.setData(task.version, TASK_VERSION)
            item.setData(False, IS_PERSON)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                          | Qt.ItemFlag.ItemIsDropEnabled)
            item.setToolTip(reasons if column == 0 or not text else f"{text}\n\n{reasons}")
            if task.status.finished:
                item.setForeground(QBrush(QColor(FINISHED_COLOUR)))
            items.append(item)
        chip = items[0]
        chip.setBackground(QBrush(QColor(PRIORITY_COLOURS[level])))
        chip.setForeground(QBrush(QColor(PRIORITY_TEXT[level])))
        chip.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        bold = QFont()
        bold.setBold(True)
        chip.setFont(bold)
        if carried_from:
            items[1].setForeground(QBrush(QColor(CARRIED_COLOUR)))
            items[1].setToolTip(f"Unfinished on {carried_from}: {carried_text(carried_from)}.\n\n{reasons}")
        return items

    # ---- looking up ----

    def person_rows(self) -> list[QModelIndex]:
        return [self.index(row, 0) for row in range(self.rowCount())]

    def task_index(self, task_id: int) -> QModelIndex:
        for head in self.person_rows():
            for row in range(self.rowCount(head)):
                child = self.index(row, 0, head)
                if child.data(TASK_ID) == task_id:
                    return child
        return QModelIndex()

    def officer_of_task(self, task_id: int) -> int | None:
        index = self.task_index(task_id)
        return index.parent().data(OFFICER_ID) if index.isValid() else None

    def target_officer(self, index: QModelIndex) -> tuple[bool, int | None]:
        """(found, officer id) of the group a drop on ``index`` lands in."""
        if not index.isValid():
            return False, None
        index = index.siblingAtColumn(0)
        if not index.data(IS_PERSON):
            index = index.parent()
        if not index.isValid():
            return False, None
        return True, index.data(OFFICER_ID)

    # ---- drag and drop ----

    def supportedDropActions(self):  # noqa: N802 (Qt)
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):  # noqa: N802 (Qt)
        return Qt.DropAction.MoveAction

    def mimeTypes(self):  # noqa: N802 (Qt)
        return [MIME]

    def mimeData(self, indexes):  # noqa: N802 (Qt)
        ids = list(dict.fromkeys(i.data(TASK_ID) for i in indexes if i.data(TASK_ID) is not None))
        data = QMimeData()
        data.setData(MIME, json.dumps(ids).encode())
        return data

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802 (Qt)
        return data.hasFormat(MIME) and self.target_officer(parent)[0]

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802 (Qt)
        if not data.hasFormat(MIME):
            return False
        found, officer_id = self.target_officer(parent)
        if not found:
            return False
        ids = json.loads(bytes(data.data(MIME)).decode())
        if ids and self.on_drop is not None:
            self.on_drop(ids, officer_id)
        return False  # the board reloads from the database; Qt must not move rows itself
