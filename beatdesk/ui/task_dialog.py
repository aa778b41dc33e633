"""New task dialog: type, beat, place, window, threat/harm/risk/vulnerability with the live priority and
its reasons (``assess``), and the instruction. Saving calls ``create_task``; a refusal is shown in the
dialog with the service's words and nothing typed is lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSlider, QSpinBox,
    QTimeEdit, QVBoxLayout,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import TaskType
from beatdesk.services.actor import Actor
from beatdesk.services.briefing import places_on
from beatdesk.services.errors import ServiceError
from beatdesk.services.tasks import TaskInput, assess, create_task
from beatdesk.services.tasks.rules import LONDON
from beatdesk.ui.tasking_board_model import PRIORITY_COLOURS, PRIORITY_TEXT

SCORES = ("threat", "harm", "risk", "vulnerability")


class TaskDialog(QDialog):
    """Create one task for ``day`` on one of ``beats`` ((id, label) pairs). ``task_id`` is set on success."""

    def __init__(self, engine: Engine, actor: Actor, day: date, beats: list[tuple[int, str]], parent=None) -> None:
        super().__init__(parent)
        self.engine, self.actor, self.day = engine, actor, day
        self.task_id: int | None = None
        self.setWindowTitle(f"New task for {day:%a} {day.day} {day:%b %Y}")
        form = QFormLayout()
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
        self.start_edit, self.end_edit = QTimeEdit(QTime(9, 0)), QTimeEdit(QTime(11, 0))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        window = QHBoxLayout()
        window.addWidget(self.start_edit)
        window.addWidget(QLabel("to"))
        window.addWidget(self.end_edit)
        window.addStretch(1)
        form.addRow("&Window (London)", window)
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
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#B00020;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.beat_combo.currentIndexChanged.connect(self._load_places)
        self._load_places()
        self._assess()
        self.resize(520, self.sizeHint().height())

    def _load_places(self) -> None:
        self.place_combo.clear()
        self.place_combo.addItem("Anywhere on the beat", None)
        beat_id = self.beat_combo.currentData()
        if beat_id is None:
            return
        with Session(self.engine) as session:
            for place_id, name in places_on(session, beat_id):
                self.place_combo.addItem(name, place_id)

    def scores(self) -> tuple[int, int, int, int]:
        return tuple(self.spins[s].value() for s in SCORES)  # type: ignore[return-value]

    def _assess(self) -> None:
        result = assess(self.scores())
        self.priority_label.setText(result.label)
        self.priority_label.setStyleSheet(
            f"background:{PRIORITY_COLOURS[result.level]}; color:{PRIORITY_TEXT[result.level]};"
            " font-weight:bold; padding:2px 6px;")
        self.reasons_label.setText("; ".join(result.reasons))

    def _moment(self, edit: QTimeEdit, day: date) -> datetime:
        t = edit.time()
        return datetime.combine(day, time(t.hour(), t.minute()), tzinfo=LONDON).astimezone(UTC)

    def task_input(self) -> TaskInput:
        start = self._moment(self.start_edit, self.day)
        end_day = self.day if self.end_edit.time() > self.start_edit.time() else self.day + timedelta(days=1)
        threat, harm, risk, vulnerability = self.scores()
        return TaskInput(
            type=self.type_combo.currentData(), beat_id=self.beat_combo.currentData(), duty_date=self.day,
            window_start=start, window_end=self._moment(self.end_edit, end_day), threat=threat, harm=harm,
            risk=risk, vulnerability=vulnerability, instruction=self.instruction_edit.text(),
            place_id=self.place_combo.currentData(),
        )

    def save(self) -> None:
        try:
            self.task_id = create_task(self.engine, self.actor, self.task_input())
        except ServiceError as error:
            self.error_label.setText(str(error))
            return
        self.accept()
