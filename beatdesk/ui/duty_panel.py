"""The duty panel of the activity form: record a duty worked and its time outside the police station.

Pick one of the officer's recent duties (newest first) or "New duty" with its date, start and finish on the
London wall clock (a finish earlier than the start is on the next day, and the panel says so), and the time
outside the station in hours and minutes. Save (Enter) calls ``record_duty`` for a new duty or
``set_time_outside`` for one already stored. Beside it, the duty's summary: its length, the time outside and
its share of the duty against the force's 60 % target (the number always shown; green at or above, amber
below), and the minutes in dedicated places logged within it against the time outside.

Every rule (outside above the duty's length, place time above the time outside, overlapping duties, dates
outside the officer's service or in the future, a finish not after the start) is the service's: a refusal
is shown beside its field and nothing typed is lost.
"""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QDateEdit, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
    QTimeEdit, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.services.activity.duties import record_duty, set_time_outside
from beatdesk.services.activity_view import (
    OUTSIDE_TARGET_PERCENT, DutySummary, duty_choices, duty_label, duty_summary, duty_times, ends_next_day,
    field_of, hours_minutes, london_now, to_london, without_field,
)
from beatdesk.services.actor import Actor
from beatdesk.services.errors import ServiceError

ERROR_COLOUR = "#B00020"
OK_COLOUR = "#1B5E20"
# the summary's share: dark text on a light fill, so it is readable, and the words say the state too
STATE_STYLES = {
    "met": "background: #DDF2E0; border: 1px solid #2E7D32; color: #1B5E20;",
    "below": "background: #FFF1C2; border: 1px solid #E0B000; color: #5A4300;",
    "none": "background: #EEEEEE; border: 1px solid #BBBBBB; color: #333333;",
}
# the service's field names, and the panel field that shows each one's message
FIELD_ALIASES = {"minutes_outside": "outside", "start": "start", "end": "end", "duty": "duty"}


class DutyPanel(QGroupBox):
    """Duties of one officer: ``set_officer(officer_id)`` lists theirs; ``saved`` carries the duty's id."""

    saved = Signal(int)

    def __init__(self, engine: Engine, actor: Actor, parent=None):
        super().__init__("Duty and time outside the station", parent)
        self.engine, self.actor = engine, actor
        self.setObjectName("dutyPanel")
        self.officer_id: int | None = None
        self._errors: dict[str, QLabel] = {}
        self._summary: DutySummary | None = None
        self._build()

    # ---- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        outer.addLayout(grid, 3)

        self.duty_picker = QComboBox(objectName="dutyPicker")
        self.date_edit = QDateEdit(objectName="dutyDateEdit")
        self.date_edit.setDisplayFormat("ddd dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.start_edit = QTimeEdit(objectName="dutyStartEdit")
        self.start_edit.setDisplayFormat("HH:mm")
        self.end_edit = QTimeEdit(objectName="dutyEndEdit")
        self.end_edit.setDisplayFormat("HH:mm")
        self.next_day_label = QLabel(objectName="nextDayLabel")
        self.next_day_label.setStyleSheet("color: #5A4300; font-style: italic;")
        self.hours_spin = QSpinBox(objectName="outsideHoursSpin")
        self.hours_spin.setRange(0, 99)  # the service, not the spin box, refuses more than the duty's length
        self.hours_spin.setSuffix(" h")
        self.minutes_spin = QSpinBox(objectName="outsideMinutesSpin")
        self.minutes_spin.setRange(0, 59)
        self.minutes_spin.setSuffix(" min")
        self.save_button = QPushButton("Save duty", objectName="saveDutyButton")
        self.save_button.setToolTip("Enter")

        date_box, start_box, end_box = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        date_box.addWidget(self.date_edit)
        date_box.addStretch(1)
        start_box.addWidget(self.start_edit)
        start_box.addStretch(1)
        end_box.addWidget(self.end_edit)
        end_box.addWidget(self.next_day_label, 1)
        outside_box = QHBoxLayout()
        outside_box.addWidget(self.hours_spin)
        outside_box.addWidget(self.minutes_spin)
        outside_box.addStretch(1)
        outside_box.addWidget(self.save_button)
        rows = [
            ("duty", "&Pick duty", self.duty_picker, self.duty_picker),
            ("date", "Da&y (London)", date_box, self.date_edit),
            ("start", "Star&t", start_box, self.start_edit),
            ("end", "&Finish", end_box, self.end_edit),
            ("outside", "Time outs&ide the station", outside_box, self.hours_spin),
        ]
        for i, (key, text, item, buddy) in enumerate(rows):
            label = QLabel(text, objectName=f"duty_{key}Label")
            label.setBuddy(buddy)
            grid.addWidget(label, 2 * i, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if isinstance(item, QWidget):
                grid.addWidget(item, 2 * i, 1)
            else:
                grid.addLayout(item, 2 * i, 1)
            error = QLabel(objectName=f"duty_{key}Error")
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR};")
            error.hide()
            grid.addWidget(error, 2 * i + 1, 1)
            self._errors[key] = error
        grid.setColumnStretch(1, 1)
        self.status_label = QLabel(objectName="dutyStatus")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        grid.addWidget(self.status_label, 2 * len(rows), 0, 1, 2)
        grid.setRowStretch(2 * len(rows) + 1, 1)  # spare height below the fields, not between them

        summary = QVBoxLayout()
        summary.setSpacing(4)
        outer.addLayout(summary, 2)
        self.summary_title = QLabel(objectName="dutySummaryTitle")
        self.summary_title.setStyleSheet("font-weight: 600;")
        self.length_label = QLabel(objectName="dutyLengthLabel")
        self.share_label = QLabel(objectName="dutyShareLabel")
        self.share_label.setContentsMargins(6, 4, 6, 4)
        self.places_label = QLabel(objectName="dutyPlacesLabel")
        self.places_label.setWordWrap(True)
        self.places_list = QLabel(objectName="dutyPlacesList")
        self.places_list.setWordWrap(True)
        self.places_list.setStyleSheet("color: #444;")
        for widget in (self.summary_title, self.length_label, self.share_label, self.places_label,
                       self.places_list):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            summary.addWidget(widget)
        summary.addStretch(1)

        self.duty_picker.currentIndexChanged.connect(self._duty_picked)
        self.start_edit.timeChanged.connect(self._show_next_day)
        self.end_edit.timeChanged.connect(self._show_next_day)
        self.date_edit.dateChanged.connect(self._show_next_day)
        self.save_button.clicked.connect(self.save)
        chain = self.tab_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._set_new_defaults()
        self._show_summary(None)

    def tab_chain(self) -> list[QWidget]:
        """The panel's fields in tab order, for the hosting form's chain."""
        return [self.duty_picker, self.date_edit, self.start_edit, self.end_edit, self.hours_spin,
                self.minutes_spin, self.save_button]

    # ---- public -----------------------------------------------------------------------------------
    def set_officer(self, officer_id: int | None) -> None:
        """List ``officer_id``'s recent duties (newest first) after "New duty"; what is typed stays."""
        changed = officer_id != self.officer_id
        self.officer_id = officer_id
        self._clear_feedback()
        self._reload_duties(None if changed else self.duty_id())

    def duty_id(self) -> int | None:
        """The duty picked, or None for "New duty"."""
        return self.duty_picker.currentData()

    def select_duty(self, duty_id: int | None) -> None:
        self.duty_picker.setCurrentIndex(max(0, self.duty_picker.findData(duty_id)))

    def minutes_outside(self) -> int:
        return self.hours_spin.value() * 60 + self.minutes_spin.value()

    def summary(self) -> DutySummary | None:
        return self._summary

    def refresh_summary(self) -> None:
        """Read the picked duty's summary again (after an entry was logged, edited or undone)."""
        summary = None
        if self.duty_id() is not None:
            with Session(self.engine) as session:
                summary = duty_summary(session, self.duty_id())
        self._show_summary(summary)

    def error_text(self, field: str) -> str:
        """The refusal shown beside ``field`` ('' when none), for tests and screen readers."""
        label = self._errors[field]
        return "" if label.isHidden() else label.text()

    def save(self) -> None:
        """Enter: record the new duty, or set the time outside of the duty picked."""
        self._clear_feedback()
        if self.officer_id is None:
            self._refuse("duty: choose an officer first.")
            return
        duty_id = self.duty_id()
        try:
            if duty_id is None:
                start, end = duty_times(self._date(), self._time(self.start_edit), self._time(self.end_edit))
                duty_id = record_duty(self.engine, self.actor, self.officer_id, start, end, self.minutes_outside())
                message = f"Recorded duty #{duty_id}."
            else:
                set_time_outside(self.engine, self.actor, duty_id, self.minutes_outside())
                message = f"Saved the time outside for duty #{duty_id}."
        except ServiceError as error:
            self._refuse(str(error))
            return
        self._reload_duties(duty_id)
        self._show_status(message, error=False)
        self.saved.emit(duty_id)

    # ---- reacting -----------------------------------------------------------------------------------
    def _reload_duties(self, keep: int | None) -> None:
        self.duty_picker.blockSignals(True)
        self.duty_picker.clear()
        self.duty_picker.addItem("New duty", None)
        if self.officer_id is not None:
            with Session(self.engine) as session:
                for duty in duty_choices(session, self.officer_id):
                    self.duty_picker.addItem(duty_label(duty.start, duty.end), duty.id)
        self.duty_picker.setCurrentIndex(max(0, self.duty_picker.findData(keep)) if keep is not None else 0)
        self.duty_picker.blockSignals(False)
        self._duty_picked()

    def _duty_picked(self, *_args) -> None:
        """An existing duty fills the fields (its times are fixed; its time outside can be set)."""
        self._clear_feedback()
        duty_id = self.duty_id()
        for widget in (self.date_edit, self.start_edit, self.end_edit):
            widget.setEnabled(duty_id is None)
        self.save_button.setText("Save duty" if duty_id is None else "Save time outside")
        self.refresh_summary()
        summary = self._summary
        if summary is None:
            return
        start, end = to_london(summary.start), to_london(summary.end)
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.start_edit.setTime(QTime(start.hour, start.minute))
        self.end_edit.setTime(QTime(end.hour, end.minute))
        outside = summary.minutes_outside or 0
        self.hours_spin.setValue(outside // 60)
        self.minutes_spin.setValue(outside % 60)

    def _show_next_day(self, *_args) -> None:
        start, end = self._time(self.start_edit), self._time(self.end_edit)
        if ends_next_day(start, end):
            following = self.date_edit.date().addDays(1)
            self.next_day_label.setText(f"ends the next day, {following.toString('ddd dd MMM')}")
        else:
            self.next_day_label.setText("")

    def _set_new_defaults(self) -> None:
        today = london_now().date()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.start_edit.setTime(QTime(7, 0))
        self.end_edit.setTime(QTime(15, 0))
        self._show_next_day()

    def _date(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    @staticmethod
    def _time(editor: QTimeEdit) -> time:
        t = editor.time()
        return time(t.hour(), t.minute())

    # ---- feedback -----------------------------------------------------------------------------------
    def _show_summary(self, summary: DutySummary | None) -> None:
        self._summary = summary
        if summary is None:
            self.summary_title.setText("No duty picked")
            self.length_label.setText("Save the new duty to see its summary.")
            self.share_label.setText("")
            self.share_label.setStyleSheet("")
            self.share_label.setProperty("state", "none")
            self.share_label.hide()
            self.places_label.setText("")
            self.places_list.setText("")
            return
        self.summary_title.setText(f"Duty {summary.label}")
        self.length_label.setText(f"Length: {hours_minutes(summary.length_minutes)}")
        share = summary.share_outside
        if share is None:
            state, text = "none", "Time outside: not recorded yet"
        else:
            met = summary.meets_target
            state = "met" if met else "below"
            verdict = "meets" if met else "below"
            text = (f"Outside: {hours_minutes(summary.minutes_outside)} = {share:.0f} % of the duty\n"
                    f"{'✓' if met else '△'} {verdict} the {OUTSIDE_TARGET_PERCENT} % target")
        self.share_label.setText(text)
        self.share_label.setProperty("state", state)
        self.share_label.setStyleSheet(f"QLabel {{ {STATE_STYLES[state]} border-radius: 3px; }}")
        self.share_label.show()
        against = (f"of {summary.minutes_outside} min outside" if summary.minutes_outside is not None
                   else f"of the duty's {summary.length_minutes} min")
        self.places_label.setText(f"Dedicated places: {summary.place_minutes} min logged {against}")
        lines = [p.label for p in summary.places[-5:]]
        if len(summary.places) > 5:
            lines.insert(0, f"… and {len(summary.places) - 5} earlier")
        self.places_list.setText("\n".join(lines) if lines else "No time in dedicated places logged yet.")

    def _refuse(self, message: str) -> None:
        """Show a refusal beside its field (or under the panel); nothing typed is touched."""
        field = field_of(message)
        label = self._errors.get(FIELD_ALIASES.get(field, field) or "")
        if label is not None:
            label.setText(without_field(message))
            label.show()
        else:  # a message about no field of the panel goes under it
            self._show_status(message, error=True)

    def _show_status(self, message: str, error: bool) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet(f"color: {ERROR_COLOUR if error else OK_COLOUR};")
        self.status_label.setProperty("error", error)
        self.status_label.show()

    def _clear_feedback(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()
        self.status_label.clear()
        self.status_label.hide()

    # ---- keys ---------------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and focus is not self.save_button:
                focus.click()
            else:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)


__all__ = ["DutyPanel"]
