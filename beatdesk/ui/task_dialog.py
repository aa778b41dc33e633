"""Task dialog: type, beat, place or map point, window, threat/harm/risk/vulnerability with the live
priority and its reasons (``assess``), the instruction and an optional local priority.

New, saving calls ``create_task``; opened on a task (``task_id``), it calls ``update_task`` with only
the fields changed, at the version it read. A refusal is shown in the dialog with the service's words
and nothing typed is lost; a task changed by someone else meanwhile offers to reload it. A finished
task (done or not done) is shown read-only with its outcome: the service keeps it as it was.
A map point is typed as coordinates and read by the places service as it is typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider,
    QSpinBox, QTimeEdit, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import TaskType
from beatdesk.services.actor import Actor
from beatdesk.services.briefing import places_on
from beatdesk.services.errors import Conflict, ServiceError
from beatdesk.services.tasks import TaskInput, assess, create_task, local_priorities, task_view, update_task
from beatdesk.services.tasks.inputs import EDITABLE, TaskView
from beatdesk.services.tasks.rules import LONDON, typed_point
from beatdesk.ui.tasking_board_model import PRIORITY_COLOURS, PRIORITY_TEXT

SCORES = ("threat", "harm", "risk", "vulnerability")
ANYWHERE, MAP_POINT = "Anywhere on the beat", "Map point (type coordinates below)"
POINT = "point"  # the place combo's data for the map point choice
POINT_HINT = "E 475601 N 260638, 475601, 260638 or 52.2368, -0.8971"
LOCAL_HINT = "optional, e.g. ASB in the town centre"
OK_COLOUR, BAD_COLOUR, DIM_COLOUR = "#1B5E20", "#B00020", "#6B6B6B"


class TaskDialog(QDialog):
    """A new task for ``day`` on one of ``beats`` ((id, label) pairs), or task ``task_id`` to edit.
    After Save, ``task_id`` is the task and ``saved`` says whether anything was written."""

    def __init__(self, engine: Engine, actor: Actor, day: date, beats: list[tuple[int, str]], parent=None,
                 task_id: int | None = None) -> None:
        super().__init__(parent)
        self.engine, self.actor, self.day = engine, actor, day
        self.task_id: int | None = task_id
        self.task: TaskView | None = None
        self.saved = False
        self.conflicted = False
        self.setWindowTitle(f"New task for {day:%a} {day.day} {day:%b %Y}")
        form = QFormLayout()
        self.status_value = QLabel()
        self.status_value.setWordWrap(True)
        self.status_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_caption = QLabel("Status")
        form.addRow(self.status_caption, self.status_value)
        self.type_combo = QComboBox()
        for kind in TaskType:
            self.type_combo.addItem(kind.label, kind.value)
        form.addRow("&Type", self.type_combo)
        self.beat_combo = QComboBox()
        for beat_id, label in beats:
            self.beat_combo.addItem(label, beat_id)
        form.addRow("&Beat", self.beat_combo)
        self.place_combo = QComboBox()
        form.addRow("&Place", self.place_combo)
        self.point_edit = QLineEdit()
        self.point_edit.setPlaceholderText(POINT_HINT)
        self.point_edit.setAccessibleName("Map point coordinates")
        self.point_label = QLabel()
        self.point_label.setWordWrap(True)
        self.point_label.setMinimumHeight(2 * self.point_label.fontMetrics().lineSpacing())  # room for a refusal
        self.point_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        point = QVBoxLayout()
        point.setSpacing(2)
        point.addWidget(self.point_edit)
        point.addWidget(self.point_label)
        form.addRow(_buddy("Map poi&nt", self.point_edit), point)
        self.start_edit, self.end_edit = QTimeEdit(QTime(9, 0)), QTimeEdit(QTime(11, 0))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        window = QHBoxLayout()
        window.addWidget(self.start_edit)
        window.addWidget(QLabel("to"))
        window.addWidget(self.end_edit)
        window.addStretch(1)
        form.addRow(_buddy("&Window (London)", self.start_edit), window)
        self.sliders: dict[str, QSlider] = {}
        self.spins: dict[str, QSpinBox] = {}
        for score in SCORES:
            slider, spin = QSlider(Qt.Orientation.Horizontal), QSpinBox()
            for w in (slider, spin):
                w.setRange(1, 5)
                w.setValue(2)
            slider.valueChanged.connect(spin.setValue)
            spin.valueChanged.connect(slider.setValue)
            spin.valueChanged.connect(self._assess)
            spin.setAccessibleName(score)
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(spin)
            self.sliders[score], self.spins[score] = slider, spin
            form.addRow(score.capitalize(), row)
        self.priority_label = QLabel()
        self.priority_label.setMinimumWidth(40)
        self.priority_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reasons_label = QLabel()
        self.reasons_label.setWordWrap(True)
        priority = QHBoxLayout()
        priority.addWidget(self.priority_label)
        priority.addWidget(self.reasons_label, 1)
        form.addRow("Priority", priority)
        self.instruction_edit = QLineEdit()
        self.instruction_edit.setPlaceholderText("e.g. Patrol the precinct on foot")
        form.addRow("&Instruction", self.instruction_edit)
        self.local_combo = QComboBox()
        self.local_combo.setEditable(True)
        self.local_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.local_combo.lineEdit().setPlaceholderText(LOCAL_HINT)
        self.local_combo.setAccessibleName("Local priority")
        form.addRow("&Local priority", self.local_combo)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(f"color:{BAD_COLOUR};")
        self.error_label.setWordWrap(True)
        self.reload_button = QPushButton("&Reload the task (drops your changes)")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_task)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        problem = QHBoxLayout()
        problem.addWidget(self.error_label, 1)
        problem.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(problem)
        layout.addWidget(self.buttons)
        self.inputs: list[QWidget] = [self.type_combo, self.beat_combo, self.place_combo, self.point_edit,
                                      self.start_edit, self.end_edit, *self.sliders.values(), *self.spins.values(),
                                      self.instruction_edit, self.local_combo]
        self.beat_combo.currentIndexChanged.connect(self._beat_changed)
        self.place_combo.currentIndexChanged.connect(self._show_point)
        self.point_edit.textEdited.connect(self._point_typed)
        self.point_edit.textChanged.connect(self._show_point)
        self._beat_changed()
        if task_id is None:
            self.status_caption.hide()
            self.status_value.hide()
        else:
            self._load(self._read(task_id))
        self._assess()
        self.resize(600, self.sizeHint().height())

    # ---- reading a task into the form ----

    def _read(self, task_id: int) -> TaskView:
        with Session(self.engine) as session:
            return task_view(session, self.actor, task_id)

    def _load(self, task: TaskView) -> None:
        """Fill the form from ``task`` as it is in the database now."""
        self.task, self.day = task, task.duty_date
        self.setWindowTitle(f"{'Task' if task.status.finished else 'Edit task'} #{task.id} · "
                            f"{task.duty_date:%a} {task.duty_date.day} {task.duty_date:%b %Y}")
        self.type_combo.setCurrentIndex(self.type_combo.findData(task.type.value))
        if self.beat_combo.findData(task.beat_id) < 0:
            self.beat_combo.addItem(task.beat_code, task.beat_id)
        self.beat_combo.setCurrentIndex(self.beat_combo.findData(task.beat_id))
        self._beat_changed()
        self.point_edit.setText(f"E {round(task.point[0])} N {round(task.point[1])}" if task.point else "")
        if task.place_id is not None:
            if self.place_combo.findData(task.place_id) < 0:  # retired since: still shown, as stored
                self.place_combo.insertItem(1, f"{task.place_name} (retired)", task.place_id)
            self.place_combo.setCurrentIndex(self.place_combo.findData(task.place_id))
        else:
            self.place_combo.setCurrentIndex(self.place_combo.findData(POINT) if task.point else 0)
        start, end = task.window_start.astimezone(LONDON), task.window_end.astimezone(LONDON)
        self.start_edit.setTime(QTime(start.hour, start.minute))
        self.end_edit.setTime(QTime(end.hour, end.minute))
        for score in SCORES:
            self.spins[score].setValue(getattr(task.thrv, score))
        self.instruction_edit.setText(task.instruction)
        self.local_combo.setEditText(task.local_priority)
        self._loaded = (self.start_edit.time(), self.end_edit.time(), self.point_edit.text())
        status = task.status.value + (f": {task.outcome}" if task.outcome else "")
        finished = task.status.finished
        self.status_value.setText(status + (" — finished, so shown read-only; mark it open to change it."
                                            if finished else ""))
        for widget in self.inputs:
            widget.setEnabled(not finished)
        self.point_edit.setPlaceholderText("" if finished else POINT_HINT)
        self.local_combo.lineEdit().setPlaceholderText("none" if finished else LOCAL_HINT)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setVisible(not finished)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close" if finished else "Cancel")
        self._show_point()

    def _beat_changed(self) -> None:
        beat_id = self.beat_combo.currentData()
        chosen = self.place_combo.currentData()
        self.place_combo.blockSignals(True)
        self.place_combo.clear()
        self.place_combo.addItem(ANYWHERE, None)
        typed = self.local_combo.currentText()
        self.local_combo.clear()
        if beat_id is not None:
            with Session(self.engine) as session:
                for place_id, name in places_on(session, beat_id):
                    self.place_combo.addItem(name, place_id)
                self.local_combo.addItems(local_priorities(session, self.actor, beat_id))
        self.place_combo.addItem(MAP_POINT, POINT)
        self.place_combo.setCurrentIndex(max(0, self.place_combo.findData(chosen)) if chosen is not None else 0)
        self.place_combo.blockSignals(False)
        self.local_combo.setEditText(typed)
        self._show_point()

    # ---- the map point, read as it is typed ----

    def _point_typed(self, text: str) -> None:
        if text.strip() and self.place_combo.currentData() != POINT:
            self.place_combo.setCurrentIndex(self.place_combo.findData(POINT))

    def _show_point(self) -> None:
        if self.task is not None and self.task.status.finished:
            self._point_note("", DIM_COLOUR)
            return
        if self.place_combo.currentData() != POINT:
            note = "" if not self.point_edit.text().strip() else "Not used: a place is chosen above. "
            self._point_note(note + "Or choose “Map point” above and type coordinates.", DIM_COLOUR)
            return
        text = self.point_edit.text()
        if not text.strip():
            self._point_note(f"Type the point: {POINT_HINT}.", DIM_COLOUR)
            return
        try:
            with Session(self.engine) as session:
                east, north = typed_point(session, text, self.beat_combo.currentData())
        except ServiceError as error:
            self._point_note(f"✗ {error}", BAD_COLOUR)
            return
        beat = self.beat_combo.currentText().split()[0] if self.beat_combo.currentText() else "the beat"
        self._point_note(f"✓ E {east:,.0f} N {north:,.0f}, on beat {beat}", OK_COLOUR)
        if self.error_label.text().startswith(("point:", "coordinates:")):
            self.error_label.clear()  # the refusal it answered is put right

    def _point_note(self, text: str, colour: str) -> None:
        self.point_label.setText(text)
        self.point_label.setStyleSheet(f"color:{colour};")

    # ---- priority ----

    def scores(self) -> tuple[int, int, int, int]:
        return tuple(self.spins[s].value() for s in SCORES)  # type: ignore[return-value]

    def _assess(self) -> None:
        result = assess(self.scores())
        self.priority_label.setText(result.label)
        self.priority_label.setStyleSheet(
            f"background:{PRIORITY_COLOURS[result.level]}; color:{PRIORITY_TEXT[result.level]};"
            " font-weight:bold; padding:2px 6px;")
        self.reasons_label.setText("; ".join(result.reasons))

    # ---- what was typed ----

    def _moment(self, edit: QTimeEdit, day: date) -> datetime:
        t = edit.time()
        return datetime.combine(day, time(t.hour(), t.minute()), tzinfo=LONDON).astimezone(UTC)

    def _window(self) -> tuple[datetime, datetime]:
        if self.task is not None and (self.start_edit.time(), self.end_edit.time()) == self._loaded[:2]:
            return self.task.window_start, self.task.window_end  # untouched: exactly as stored
        start = self._moment(self.start_edit, self.day)
        end_day = self.day if self.end_edit.time() > self.start_edit.time() else self.day + timedelta(days=1)
        return start, self._moment(self.end_edit, end_day)

    def _point(self) -> tuple[float, float] | None:
        """The typed map point (ServiceError when it cannot be read), None when a place or anywhere."""
        if self.place_combo.currentData() != POINT:
            return None
        if self.task is not None and self.task.point and self.point_edit.text() == self._loaded[2]:
            return self.task.point
        with Session(self.engine) as session:
            return typed_point(session, self.point_edit.text(), None)

    def task_input(self) -> TaskInput:
        """The task as the form shows it; raises ServiceError when the map point cannot be read."""
        start, end = self._window()
        threat, harm, risk, vulnerability = self.scores()
        place = self.place_combo.currentData()
        officer = self.task.officer_id if self.task is not None else None
        return TaskInput(
            type=self.type_combo.currentData(), beat_id=self.beat_combo.currentData(), duty_date=self.day,
            window_start=start, window_end=end, threat=threat, harm=harm, risk=risk, vulnerability=vulnerability,
            instruction=self.instruction_edit.text(), place_id=None if place == POINT else place,
            point=self._point(), local_priority=self.local_combo.currentText(), officer_id=officer,
        )

    def changes(self) -> dict:
        """The fields an edit changes, and only those."""
        new, old = self.task_input(), self.task.as_input()
        return {f: getattr(new, f) for f in sorted(EDITABLE) if getattr(new, f) != getattr(old, f)}

    # ---- saving ----

    def save(self) -> None:
        self.error_label.clear()
        self.reload_button.hide()
        try:
            if self.task is None:
                self.task_id = create_task(self.engine, self.actor, self.task_input())
            else:
                changes = self.changes()
                if changes:
                    update_task(self.engine, self.actor, self.task.id, changes, self.task.version)
                self.saved = bool(changes)
                self.accept()
                return
        except Conflict as error:
            self.conflicted = True
            self.reload_button.show()
            self._say(f"{error}\nReload to see it as it is now; what you typed stays until you do.")
            return
        except ServiceError as error:
            self._say(str(error))
            return
        self.saved = True
        self.accept()

    def reload_task(self) -> None:
        """After a conflict: the task as it is now, in place of what was typed."""
        task = self._read(self.task.id)
        self._load(task)
        self._assess()
        self.reload_button.hide()
        self._say(f"Reloaded: task #{task.id} as it is now. Make your change again if it is still needed.")

    def _say(self, text: str) -> None:
        """Show a refusal or note below the form, growing the dialog rather than squashing the rows."""
        self.error_label.setText(text)
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A row label whose mnemonic moves the focus to ``widget`` (a row holding a layout gets none)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label
