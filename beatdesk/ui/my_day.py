"""My day: an officer's or PCSO's tasks for a day, their places on a small map, progress, outcomes
and activity logged against a task.

The view only shows what ``services.my_day`` reads and calls ``services.tasks.set_status`` and
``services.activity.log_entry``; every rule is the service's. A refusal's message is shown in the
status line (and in the log dialog, which stays open with what was typed). An outcome typed for a
refused "Done…"/"Not done…" is offered again next time.

Keys: Up/Down choose a task, Ctrl+S starts it, Ctrl+D marks it done, Ctrl+N not done, Ctrl+L logs
activity against it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog,
    QLabel, QLineEdit, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTimeEdit, QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import ActivityKind, IntelSource, TaskStatus
from beatdesk.services.activity import EntryInput, log_entry
from beatdesk.services.activity_view import kinds_for, to_london, to_utc
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError
from beatdesk.services.force_view import load_force_map
from beatdesk.services.my_day import MyDay, MyTask, my_day
from beatdesk.services.tasks import set_status
from beatdesk.ui.map_view import MapView

ERROR_COLOUR = "#B00020"
OK_COLOUR = "#1B5E20"
# Priority chips: fill and text colour per level (text always says P1..P4, colour is only a cue).
PRIORITY_CHIPS = {1: ("#B00020", "#FFFFFF"), 2: ("#E65100", "#FFFFFF"), 3: ("#F9A825", "#000000"), 4: ("#CFD8DC", "#000000")}
COLUMNS = ("Priority", "Type", "Window", "Place", "Instruction", "Status")
K = ActivityKind


def _hhmm(moment: datetime) -> str:
    return to_london(moment).strftime("%H:%M")


def window_text(task: MyTask) -> str:
    return f"{_hhmm(task.window_start)}–{_hhmm(task.window_end)}"


class TaskLogDialog(QDialog):
    """Log one activity entry against a task: kind, time on the task's day, count or minutes, source
    for intelligence, reference and note. Enter logs, Esc cancels; a refusal keeps everything typed."""

    def __init__(self, engine: Engine, actor: Actor, day: MyDay, task: MyTask, parent=None):
        super().__init__(parent)
        self.engine, self.actor, self.day, self.task = engine, actor, day, task
        self.logged = None
        self.setObjectName("taskLogDialog")
        self.setWindowTitle(f"Log activity for task #{task.id}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{task.type.label} at {task.where}, {window_text(task)} ({task.priority.label})"))
        form = QFormLayout()
        self.kind = QComboBox(objectName="logKind")
        for kind in kinds_for(day.role):
            self.kind.addItem(kind.label, kind)
        self.when = QTimeEdit(objectName="logTime")
        self.when.setDisplayFormat("HH:mm")
        start = to_london(task.window_start)
        self.when.setTime(QTime(start.hour, start.minute))
        self.count = QSpinBox(objectName="logCount")
        self.count.setRange(0, 999)
        self.count.setValue(1)
        self.minutes = QSpinBox(objectName="logMinutes")
        self.minutes.setRange(0, 24 * 60)
        self.source = QComboBox(objectName="logSource")
        for source in IntelSource:
            self.source.addItem(source.value, source)
        self.reference = QLineEdit(objectName="logReference")
        self.reference.setMaxLength(40)
        self.note = QLineEdit(objectName="logNote")
        for label, widget in (("&Kind", self.kind), ("&Time", self.when), ("&Count", self.count),
                              ("&Minutes", self.minutes), ("&Source", self.source), ("&Reference", self.reference),
                              ("N&ote", self.note)):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel(objectName="logError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = buttons.addButton("&Log", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.log_button.setDefault(True)  # Enter logs (set once the button is in the dialog)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.kind.setFocus()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.minutes.setEnabled(kind is K.DEDICATED_PLACE)
        self.count.setEnabled(kind is not K.DEDICATED_PLACE)
        self.source.setEnabled(kind is K.INTELLIGENCE)

    def entry(self) -> EntryInput:
        kind = self.kind.currentData()
        clock = self.when.time()
        local = datetime.combine(self.day.day, time(clock.hour(), clock.minute()))
        return EntryInput(
            officer_id=self.day.officer_id, kind=kind, occurred_at=to_utc(local),
            count=0 if kind is K.DEDICATED_PLACE else self.count.value(),
            minutes=self.minutes.value() if kind is K.DEDICATED_PLACE else None, beat_id=self.task.beat_id,
            reference=self.reference.text().strip() or None, note=self.note.text().strip(),
            intel_source=self.source.currentData() if kind is K.INTELLIGENCE else None, task_id=self.task.id,
        )

    def submit(self) -> None:
        try:
            self.logged = log_entry(self.engine, self.actor, self.entry())
        except ServiceError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()


class MyDayView(QWidget):
    """One officer's day: tasks (priority chip, type, window, place, instruction, status), the selected
    task's details and entries, a read-only map of the force with only these tasks' places, and the
    buttons that move a task on or log activity against it."""

    def __init__(self, engine: Engine, actor: Actor, parent=None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.day: MyDay | None = None
        self._drafts: dict[tuple[int, TaskStatus], str] = {}  # outcomes typed for refused changes
        self._force_loaded = False
        self.setObjectName("myDay")
        self.heading = QLabel(objectName="myDayHeading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.summary = QLabel(objectName="myDaySummary")
        self.table = QTableWidget(0, len(COLUMNS), objectName="myDayTasks")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Instruction"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.detail = QLabel(objectName="myDayDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton("&Start", objectName="startTask")
        self.done_button = QPushButton("&Done…", objectName="doneTask")
        self.not_done_button = QPushButton("&Not done…", objectName="notDoneTask")
        self.log_button = QPushButton("&Log activity for this task", objectName="logForTask")
        for button, key, slot in (
            (self.start_button, "Ctrl+S", self.start_task), (self.done_button, "Ctrl+D", self.mark_done),
            (self.not_done_button, "Ctrl+N", self.mark_not_done), (self.log_button, "Ctrl+L", self.log_for_task),
        ):
            button.clicked.connect(slot)
            button.setToolTip(f"{button.text().replace('&', '')} ({QKeySequence(key).toString()})")
            QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.status_label = QLabel(objectName="myDayStatus")
        self.status_label.setWordWrap(True)
        self.map_view = MapView(self)
        self.map_view.setObjectName("myDayMap")
        self.map_view.setMinimumSize(360, 300)

        buttons = QHBoxLayout()
        for button in (self.start_button, self.done_button, self.not_done_button, self.log_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.detail)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.map_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        self._enable(None)

    # ---- reading ------------------------------------------------------------------------------

    def show_for(self, officer_id: int, day: date) -> bool:
        """Show ``officer_id``'s tasks on ``day``; False (with the service's message) when refused."""
        try:
            with Session(self.engine) as session:
                mine = my_day(session, self.actor, officer_id, day)
                force = None if self._force_loaded else load_force_map(session, self.actor, today=day)
        except ServiceError as error:
            self.day = None
            self.table.setRowCount(0)
            self.heading.setText("My day")
            self.summary.clear()
            self.detail.clear()
            self.map_view.show_places([])
            self._enable(None)
            self._show_status(str(error), error=True)
            return False
        if force is not None:
            self.map_view.show_force(force)
            self._force_loaded = True
        self._fill(mine)
        return True

    def reload(self, keep_task: int | None = None) -> None:
        keep = keep_task if keep_task is not None else (self.current_task().id if self.current_task() else None)
        if self.day is not None and self.show_for(self.day.officer_id, self.day.day) and keep is not None:
            self.select_task(keep)

    def _fill(self, mine: MyDay) -> None:
        self.day = mine
        self.heading.setText(f"My day — {mine.collar_number} {mine.name} ({mine.role}), {mine.day:%A %-d %B %Y}")
        duty = (f"On duty {_hhmm(mine.duty.start)}–{_hhmm(mine.duty.end)}" if mine.duty else "No duty recorded")
        c = mine.counts
        self.summary.setText(
            f"{duty} · {c['tasks']} task{'s' if c['tasks'] != 1 else ''}: {c['open']} open, "
            f"{c['in progress']} in progress, {c['done']} done, {c['not done']} not done · "
            f"{c['entries']} entr{'ies' if c['entries'] != 1 else 'y'} logged against them"
        )
        self.table.setRowCount(len(mine.tasks))
        for row, task in enumerate(mine.tasks):
            fill, ink = PRIORITY_CHIPS[task.priority.level]
            chip = QTableWidgetItem(task.priority.label)
            chip.setBackground(QBrush(QColor(fill)))
            chip.setForeground(QBrush(QColor(ink)))
            chip.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setToolTip("; ".join(task.priority.reasons))
            chip.setData(Qt.ItemDataRole.UserRole, task.id)
            self.table.setItem(row, 0, chip)
            for column, text in enumerate(
                (task.type.label, window_text(task), task.where, task.instruction, task.status.value.capitalize()), 1
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.map_view.show_places(mine.places())
        if mine.tasks:
            self.table.selectRow(0)
        self._selection_changed()  # also when the same row stays selected
        self._show_status("No tasks for this day." if not mine.tasks else "", error=False)

    def current_task(self) -> MyTask | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.day is None:
            return None
        return self.day.tasks[rows[0].row()]

    def select_task(self, task_id: int) -> None:
        for row, task in enumerate(self.day.tasks if self.day else []):
            if task.id == task_id:
                self.table.selectRow(row)
                self._selection_changed()
                return

    def _selection_changed(self) -> None:
        task = self.current_task()
        self._enable(task)
        if task is None:
            self.detail.clear()
            self.map_view.set_selected(None)
            return
        lines = [f"<b>{task.type.label}</b> · {task.priority.label} ({'; '.join(task.priority.reasons)})",
                 f"Beat {task.beat_code} {task.beat_name} · {task.where} · {window_text(task)}",
                 task.instruction]
        if task.outcome:
            lines.append(f"Outcome: {task.outcome}")
        if task.entries:
            lines.append("Logged: " + ", ".join(
                f"{e.kind.label.lower()} {e.minutes} min" if e.minutes is not None else
                f"{e.kind.label.lower()} ×{e.count}" + (f" ({e.reference})" if e.reference else "")
                for e in task.entries
            ))
        self.detail.setText("<br>".join(_escape(line) if i > 0 else line for i, line in enumerate(lines)))
        if self.map_view.selected != task.beat_code:
            self.map_view.set_selected(task.beat_code)
            self.map_view.zoom_to_beat(task.beat_code)  # the beat fills the small map, its places visible

    def _enable(self, task: MyTask | None) -> None:
        self.start_button.setEnabled(task is not None and task.status is TaskStatus.OPEN)
        for button in (self.done_button, self.not_done_button):
            button.setEnabled(task is not None and not task.status.finished)
        self.log_button.setEnabled(task is not None)

    # ---- writing ------------------------------------------------------------------------------

    def start_task(self) -> None:
        task = self.current_task()
        if task is not None:
            self._set(task, TaskStatus.IN_PROGRESS, None)

    def mark_done(self) -> None:
        self._finish(TaskStatus.DONE, "Done", "What was done (outcome):")

    def mark_not_done(self) -> None:
        self._finish(TaskStatus.NOT_DONE, "Not done", "Why it was not done (outcome):")

    def _finish(self, status: TaskStatus, title: str, prompt: str) -> None:
        task = self.current_task()
        if task is None:
            return
        draft = self._drafts.get((task.id, status), "")
        text, ok = QInputDialog.getText(self, f"{title}: task #{task.id}", prompt, QLineEdit.EchoMode.Normal, draft)
        if not ok:
            return
        self._drafts[(task.id, status)] = text
        if self._set(task, status, text):
            self._drafts.pop((task.id, status), None)

    def _set(self, task: MyTask, status: TaskStatus, outcome: str | None) -> bool:
        try:
            set_status(self.engine, self.actor, task.id, status, outcome, task.version)
        except ServiceError as error:
            self._show_status(str(error), error=True)
            return False
        self.reload(task.id)
        self._show_status(f"Task #{task.id} is {status.value}.", error=False)
        return True

    def log_for_task(self) -> TaskLogDialog | None:
        task = self.current_task()
        if task is None or self.day is None:
            return None
        dialog = TaskLogDialog(self.engine, self.actor, self.day, task, self)
        self.log_dialog = dialog
        dialog.accepted.connect(lambda: self._logged(task, dialog))
        dialog.open()
        return dialog

    def _logged(self, task: MyTask, dialog: TaskLogDialog) -> None:
        self.reload(task.id)
        warnings = "; ".join(dialog.logged.warnings) if dialog.logged else ""
        self._show_status(f"Entry #{dialog.logged.entry_id} logged against task #{task.id}."
                          + (f" Note: {warnings}." if warnings else ""), error=False)

    def _show_status(self, text: str, error: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {ERROR_COLOUR if error else OK_COLOUR};")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
