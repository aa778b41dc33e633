"""The "Log activity" form: log, edit, delete and undo beat activity for one officer at a time.

The form only collects input, calls ``beatdesk.services.activity`` and shows what comes back: every rule
(PCSO powers, negative counts, intelligence sources, future dates, duplicate references, stale edits) is
the service's. A refusal's message names its field first ("count: must not be negative"), so it is shown
beside that field and in the status line, and nothing typed is lost. Which fields show depends on the
kind (count for items, minutes for time in a dedicated place, a source for intelligence, the linked
outcome for stop-searches). Times are typed on the London wall clock and handed over as aware UTC.

Keys: Enter logs (or saves the entry being edited), Esc clears, Ctrl+Z undoes the last log, edit or
delete of this session through the services (so it is audited), Ctrl+Shift+Z or Ctrl+Y redoes it. An
undone log is deleted and an undone delete restored, each with its reason in the entry's history; a
redo restores or deletes that same entry again, so its id never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeySequence, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QCheckBox, QComboBox, QCompleter, QDateTimeEdit, QDialog,
    QDialogButtonBox, QGridLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSpinBox, QTableView, QToolButton, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import ActivityKind, IntelSource
from beatdesk.services.activity import EntryInput, delete_entry, edit_entry, entry_history, log_entry
from beatdesk.services.activity_view import (
    EntryRow, OfficerChoice, beat_choices, duty_choices, entry_row, field_of, format_entry, history_lines,
    kinds_for, london_now, officers_for, recent_entries, to_london, to_utc, without_field,
)
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, ServiceError
from beatdesk.ui.activity_list import EntryTableModel
from beatdesk.ui.duty_panel import DutyPanel
from beatdesk.ui.palette import DEMO_BANNER_BG, DEMO_BANNER_BORDER, DEMO_BANNER_TEXT
from beatdesk.ui.undo_commands import DeleteEntryCommand, EditEntryCommand, LogEntryCommand

ERROR_COLOUR = "#B00020"
OK_COLOUR = "#1B5E20"
K = ActivityKind
# the service's field names, and the form field that shows each one's message
FIELD_ALIASES = {"officer_id": "officer", "occurred_at": "when", "beat_id": "beat", "duty_id": "duty",
                 "start": "when", "outcome_linked": "outcome", "intel_source": "source"}
LOG_TEXT, SAVE_TEXT = "Log &entry", "Sa&ve changes"


@dataclass
class _Row:
    """One labelled field of the form: its label, its editor and the line under it for a refusal."""

    label: QLabel | None
    editor: QWidget
    error: QLabel

    def set_visible(self, visible: bool) -> None:
        for widget in (self.label, self.editor):
            if widget is not None:
                widget.setVisible(visible)
        if not visible:
            self.error.hide()


class HistoryDialog(QDialog):
    """Who changed an entry, when, and from what to what."""

    def __init__(self, title: str, lines: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("historyDialog")
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit("\n".join(lines) if lines else "No edits or deletions yet.")
        self.text.setReadOnly(True)
        self.text.setObjectName("historyText")
        layout.addWidget(QLabel(title))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 260)


class ActivityForm(QWidget):
    """Log activity for an officer; ``open_for(officer_id)`` shows the form ready for that officer."""

    logged = Signal(int)  # an entry was logged: its id
    changed = Signal()  # anything was written (log, edit, delete, undo, redo)

    def __init__(self, engine: Engine, actor: Actor, parent=None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.setObjectName("activityForm")
        self.setWindowTitle("Log activity")
        self._officers: list[OfficerChoice] = []
        self._editing: EntryRow | None = None
        self._loaded_when: datetime | None = None  # the minute shown for the entry being edited
        self._rows: dict[str, _Row] = {}
        self.history_dialog: HistoryDialog | None = None
        self.undo_stack = QUndoStack(self)
        self._versions: dict[int, int] = {}  # entry id -> version this session's last write left
        self._build()
        self._load_choices()
        self.undo_stack.indexChanged.connect(self._after_undo_stack)
        self.resize(760, 820)

    # ---- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        outer.addLayout(grid)

        self.officer_combo = QComboBox(objectName="officerCombo")
        self.officer_combo.setEditable(True)
        self.officer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.officer_combo.lineEdit().setPlaceholderText("Type a name or collar number")
        completer = QCompleter(self.officer_combo.model(), self.officer_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.officer_combo.setCompleter(completer)
        self.kind_combo = QComboBox(objectName="kindCombo")
        for kind in K:
            self.kind_combo.addItem(kind.label, kind.value)
        self.when_edit = QDateTimeEdit(objectName="whenEdit")
        self.when_edit.setTimeZone(QTimeZone.utc())  # a wall-clock value: London is applied by to_utc
        self.when_edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when_edit.setCalendarPopup(True)
        self.count_spin = QSpinBox(objectName="countSpin")
        self.count_spin.setRange(-9999, 9999)  # the service, not the spin box, refuses a negative count
        self.count_spin.setValue(1)
        self.minutes_spin = QSpinBox(objectName="minutesSpin")
        self.minutes_spin.setRange(-1440, 1440)
        self.minutes_spin.setSuffix(" min")
        self.source_combo = QComboBox(objectName="sourceCombo")
        self.source_combo.addItem("— choose the source —", None)
        for source in IntelSource:
            self.source_combo.addItem(source.value, source.value)
        self.outcome_check = QCheckBox("Outcome &linked to the object of the search", objectName="outcomeCheck")
        self.beat_combo = QComboBox(objectName="beatCombo")
        self.duty_combo = QComboBox(objectName="dutyCombo")
        self.reference_edit = QLineEdit(objectName="referenceEdit")
        self.reference_edit.setPlaceholderText("Crime, incident or log number (no personal details)")
        self.note_edit = QLineEdit(objectName="noteEdit")
        self.note_edit.setPlaceholderText("Short note (no personal details of members of the public)")

        fields = [
            ("officer", "&Officer", self.officer_combo),
            ("kind", "&Kind", self.kind_combo),
            ("when", "&When (London)", self.when_edit),
            ("count", "&Count", self.count_spin),
            ("minutes", "&Minutes", self.minutes_spin),
            ("source", "&Source", self.source_combo),
            ("outcome", None, self.outcome_check),
            ("beat", "&Beat", self.beat_combo),
            ("duty", "D&uty", self.duty_combo),
            ("reference", "&Reference", self.reference_edit),
            ("note", "&Note", self.note_edit),
        ]
        for i, (key, text, editor) in enumerate(fields):
            label = None
            if text:
                label = QLabel(text, objectName=f"{key}Label")
                label.setBuddy(editor)
                grid.addWidget(label, 2 * i, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(editor, 2 * i, 1)
            error = QLabel(objectName=f"{key}Error")
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR};")
            error.hide()
            grid.addWidget(error, 2 * i + 1, 1)
            self._rows[key] = _Row(label, editor, error)

        buttons = QHBoxLayout()
        self.submit_button = QPushButton(LOG_TEXT, objectName="submitButton")
        self.submit_button.setToolTip("Enter")
        self.clear_button = QPushButton("Clear (Esc)", objectName="clearButton")
        self.reload_button = QPushButton("Relo&ad", objectName="reloadButton")
        self.reload_button.setToolTip("Load the entry as it is now, dropping your unsaved changes")
        self.reload_button.hide()
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button = QToolButton(objectName="undoButton")
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.redo_button = QToolButton(objectName="redoButton")
        self.redo_button.setDefaultAction(self.redo_action)
        self.redo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for widget in (self.submit_button, self.clear_button, self.reload_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        outer.addLayout(buttons)

        self.status_label = QLabel(objectName="statusLabel")
        self.status_label.setWordWrap(True)
        self.confirm_label = QLabel(objectName="confirmLabel")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setStyleSheet(f"color: {OK_COLOUR}; font-weight: 600;")
        self.warning_label = QLabel(objectName="warningLabel")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            f"background: {DEMO_BANNER_BG}; border: 1px solid {DEMO_BANNER_BORDER}; color: {DEMO_BANNER_TEXT};"
            " padding: 4px; border-radius: 3px;"
        )
        for label in (self.confirm_label, self.warning_label, self.status_label):
            label.hide()
            outer.addWidget(label)

        self.duty_panel = DutyPanel(self.engine, self.actor, self)
        outer.addWidget(self.duty_panel)

        self.list_title = QLabel("Recent entries", objectName="listTitle")
        self.list_title.setStyleSheet("color: #555; font-weight: 600; padding-top: 8px;")
        outer.addWidget(self.list_title)
        self.model = EntryTableModel(self)
        self.table = QTableView(objectName="entryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.table.selectionModel().selectionChanged.connect(self._update_row_buttons)
        outer.addWidget(self.table, 1)
        row_buttons = QHBoxLayout()
        self.delete_button = QPushButton("&Delete…", objectName="deleteButton")
        self.history_button = QPushButton("&History…", objectName="historyButton")
        for widget in (self.delete_button, self.history_button):
            widget.setEnabled(False)
            row_buttons.addWidget(widget)
        row_buttons.addStretch(1)
        outer.addLayout(row_buttons)

        self.submit_button.clicked.connect(self.submit)
        self.clear_button.clicked.connect(self.clear)
        self.reload_button.clicked.connect(self.reload)
        self.delete_button.clicked.connect(self.delete_selected)
        self.history_button.clicked.connect(self.show_history)
        self.officer_combo.currentIndexChanged.connect(self._officer_changed)
        self.kind_combo.currentIndexChanged.connect(self._adapt_fields)
        self.duty_panel.saved.connect(self._duty_saved)
        self.changed.connect(self.duty_panel.refresh_summary)  # place time logged, edited or undone

        chain = [self.officer_combo, self.kind_combo, self.when_edit, self.count_spin, self.minutes_spin,
                 self.source_combo, self.outcome_check, self.beat_combo, self.duty_combo, self.reference_edit,
                 self.note_edit, self.submit_button, self.clear_button, self.reload_button, self.undo_button,
                 self.redo_button, *self.duty_panel.tab_chain(), self.table, self.delete_button, self.history_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for widget in chain[:11]:
            widget.installEventFilter(self)
        self.officer_combo.lineEdit().installEventFilter(self)
        self._set_when(london_now())
        self._adapt_fields()

    def _load_choices(self) -> None:
        with Session(self.engine) as session:
            self._officers = officers_for(session, self.actor)
            beats = beat_choices(session)
        self.beat_combo.blockSignals(True)
        self.beat_combo.clear()
        self.beat_combo.addItem("— choose a beat —", None)
        for beat in beats:
            self.beat_combo.addItem(beat.label, beat.id)
        self.beat_combo.blockSignals(False)
        self.officer_combo.blockSignals(True)
        self.officer_combo.clear()
        for officer in self._officers:
            self.officer_combo.addItem(officer.label, officer.id)
        self.officer_combo.setCurrentIndex(-1)
        self.officer_combo.blockSignals(False)
        if self._officers:
            self.officer_combo.setCurrentIndex(0)

    # ---- public -----------------------------------------------------------------------------------
    def open_for(self, officer_id: int) -> None:
        """Show the form, cleared, for ``officer_id`` (if the actor may log for them) with the kind focused."""
        self.clear()
        index = self.officer_combo.findData(officer_id)
        if index < 0:
            self._show_status(f"officer: you cannot log activity for officer #{officer_id} here.", error=True)
        else:
            self.officer_combo.setCurrentIndex(index)
        self.show()
        self.raise_()
        self.activateWindow()
        self.kind_combo.setFocus()

    def current_officer(self) -> OfficerChoice | None:
        """The officer chosen, also when typed: the one item containing the text, by name or collar number."""
        combo = self.officer_combo
        text = combo.currentText().strip()
        index = combo.currentIndex()
        if 0 <= index < len(self._officers) and combo.itemText(index) == text:
            return self._officers[index]
        matches = [i for i, o in enumerate(self._officers) if text and text.lower() in o.label.lower()]
        if len(matches) != 1:
            return None
        combo.setCurrentIndex(matches[0])
        return self._officers[matches[0]]

    def editing(self) -> EntryRow | None:
        return self._editing

    def submit(self) -> None:
        """Enter: log a new entry, or save the entry being edited."""
        if self._editing is not None:
            self.save_changes()
        else:
            self.log()

    def log(self) -> None:
        self._clear_feedback()
        officer = self.current_officer()
        if officer is None:
            self._refuse("officer: choose an officer from the list (type part of a name or collar number).")
            return
        entry = EntryInput(officer_id=officer.id, **self._values())
        try:
            result = log_entry(self.engine, self.actor, entry)
        except ServiceError as error:
            self._refuse(str(error))
            return
        with Session(self.engine) as session:
            row = entry_row(session, result.entry_id)
        text = f"Log {entry.kind.label.lower()} #{result.entry_id}"
        self.undo_stack.push(LogEntryCommand(self.engine, self.actor, result, text, self._report, self._versions))
        self._confirm(f"Logged entry #{result.entry_id}: {format_entry(row) if row else ''}".rstrip(": "))
        self._warn(result.warnings)
        self._reset_for_next()
        self.refresh()
        self.logged.emit(result.entry_id)
        self.changed.emit()

    def save_changes(self) -> None:
        before = self._editing
        if before is None:
            return
        self._clear_feedback()
        old = before.editable_values()
        changes = {k: v for k, v in self._values().items() if v != old[k]}
        if not changes:
            self._show_status(f"Entry #{before.id}: nothing has changed.", error=False)
            return
        try:
            result = edit_entry(self.engine, self.actor, before.id, changes, before.version)
        except Conflict as error:
            self._refuse(f"{error} (changed by someone else)" if "someone else" not in str(error) else str(error))
            self.reload_button.show()
            return
        except ServiceError as error:
            self._refuse(str(error))
            return
        with Session(self.engine) as session:
            after = entry_row(session, before.id)
        if after is not None and result.version != before.version:
            new = after.editable_values()
            diff = [k for k in old if new[k] != old[k]]
            self.undo_stack.push(EditEntryCommand(
                self.engine, self.actor, before.id, {k: old[k] for k in diff}, {k: new[k] for k in diff},
                result.version, f"Edit entry #{before.id}", self._report, self._versions,
            ))
        self._confirm(f"Saved changes to entry #{before.id} (version {result.version}).")
        self._warn(result.warnings)
        self._leave_edit()
        self._reset_for_next()
        self.refresh()
        self.changed.emit()

    def reload(self) -> None:
        """After a conflict: load the entry as it is now (the typed changes give way to the stored ones)."""
        if self._editing is None:
            return
        with Session(self.engine) as session:
            row = entry_row(session, self._editing.id)
        self._clear_feedback()
        if row is None:
            self._show_status(f"Entry #{self._editing.id} has been deleted meanwhile.", error=True)
            self._leave_edit()
        else:
            self._load(row)
            self._show_status(f"Reloaded entry #{row.id} (version {row.version}).", error=False)
        self.refresh()

    def delete_selected(self) -> None:
        row = self.selected_entry()
        if row is None:
            return
        reason, ok = QInputDialog.getText(
            self, "Delete entry", f"Why delete {format_entry(row)}?\nThe entry is kept, with your reason.")
        if not ok:
            return
        self._clear_feedback()
        try:
            version = delete_entry(self.engine, self.actor, row.id, reason, expected_version=row.version)
        except ServiceError as error:
            self._show_status(str(error), error=True)
            if isinstance(error, Conflict):
                self.reload_button.show()
            return
        if self._editing is not None and self._editing.id == row.id:
            self._leave_edit()
            self._reset_for_next()  # its details must not sit there ready to be logged again by Enter
        self.undo_stack.push(DeleteEntryCommand(
            self.engine, self.actor, row.id, reason.strip(), version, f"Delete entry #{row.id}", self._report,
            self._versions,
        ))
        self._confirm(f"Deleted entry #{row.id} ({reason.strip()}). Ctrl+Z brings it back.")
        self.refresh()
        self.kind_combo.setFocus()  # the delete button went grey: keep focus (so Ctrl+Z) in the form, ready to log
        self.changed.emit()

    def show_history(self) -> None:
        row = self.selected_entry() or self._editing
        if row is None:
            return
        try:
            with Session(self.engine) as session:
                items = entry_history(session, self.actor, row.id)
        except ServiceError as error:
            self._show_status(str(error), error=True)
            return
        self.history_dialog = HistoryDialog(f"History of {format_entry(row)}", history_lines(items), self)
        self.history_dialog.show()

    def selected_entry(self) -> EntryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def clear(self) -> None:
        """Esc: leave editing and clear what was typed (officer stays; the time goes back to now)."""
        self._leave_edit()
        self._clear_feedback()
        self.kind_combo.setCurrentIndex(max(0, self._first_enabled_kind()))
        self._set_when(london_now())
        self.source_combo.setCurrentIndex(0)
        self._reset_for_next()
        officer = self.current_officer()
        self._default_beat(officer)
        self.duty_combo.setCurrentIndex(0)

    def refresh(self) -> None:
        """Reload the recent entries of the chosen officer."""
        officer = self.current_officer()
        rows: list[EntryRow] = []
        if officer is not None:
            with Session(self.engine) as session:
                rows = recent_entries(session, self.actor, officer.id)
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        if self._editing is not None and (at := self.model.row_of(self._editing.id)) >= 0:
            self.table.selectRow(at)
        self.table.selectionModel().blockSignals(False)
        self.list_title.setText(f"Recent entries — {officer.name}" if officer else "Recent entries")
        self._update_row_buttons()

    def error_text(self, field: str) -> str:
        """The refusal shown beside ``field`` ('' when none), for tests and screen readers."""
        row = self._rows[field]
        return "" if row.error.isHidden() else row.error.text()

    # ---- values -------------------------------------------------------------------------------------
    def _kind(self) -> ActivityKind:
        return K(self.kind_combo.currentData())

    def _when(self) -> datetime:
        value = self.when_edit.dateTime()
        d, t = value.date(), value.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        if self._editing is not None and self._loaded_when == local:
            return self._editing.occurred_at  # untouched: keep the stored second
        return to_utc(local)

    def _set_when(self, local: datetime) -> None:
        self.when_edit.setDateTime(QDateTime(
            QDate(local.year, local.month, local.day), QTime(local.hour, local.minute), QTimeZone.utc()))

    def _values(self) -> dict:
        """The form's entry fields as ``EntryInput``/``edit_entry`` take them (only those the kind has)."""
        kind = self._kind()
        source = self.source_combo.currentData()
        return {
            "kind": kind,
            "occurred_at": self._when(),
            "count": 1 if kind.measured_in_minutes else self.count_spin.value(),
            "minutes": self.minutes_spin.value() if kind.measured_in_minutes else None,
            "beat_id": self.beat_combo.currentData(),
            "reference": self.reference_edit.text().strip() or None,
            "note": self.note_edit.text().strip(),
            "intel_source": IntelSource(source) if kind is K.INTELLIGENCE and source else None,
            "outcome_linked": self.outcome_check.isChecked() if kind is K.STOP_SEARCH else None,
            "duty_id": self.duty_combo.currentData(),
        }

    # ---- reacting -----------------------------------------------------------------------------------
    def _officer_changed(self, index: int) -> None:
        officer = self._officers[index] if 0 <= index < len(self._officers) else None
        allowed = set(kinds_for(officer.role)) if officer else set(K)
        model = self.kind_combo.model()
        if isinstance(model, QStandardItemModel):
            for i in range(self.kind_combo.count()):
                item = model.item(i)
                item.setEnabled(K(self.kind_combo.itemData(i)) in allowed)
                item.setToolTip("" if item.isEnabled() else f"Not logged by a {officer.role.value}")
        self._default_beat(officer)
        self._fill_duties(officer)
        self.duty_panel.set_officer(officer.id if officer else None)
        self.refresh()

    def _fill_duties(self, officer: OfficerChoice | None) -> None:
        self.duty_combo.clear()
        self.duty_combo.addItem("(the duty covering the time, if any)", None)
        if officer is not None:
            with Session(self.engine) as session:
                for duty in duty_choices(session, officer.id):
                    self.duty_combo.addItem(duty.label, duty.id)

    def _duty_saved(self, _duty_id: int) -> None:
        """A duty was recorded or its time outside set in the duty panel: offer it to entries too."""
        chosen = self.duty_combo.currentData()
        self._fill_duties(self.current_officer())
        self.duty_combo.setCurrentIndex(max(0, self.duty_combo.findData(chosen)) if chosen is not None else 0)
        self.changed.emit()

    def _default_beat(self, officer: OfficerChoice | None) -> None:
        index = self.beat_combo.findData(officer.beat_id) if officer and officer.beat_id is not None else 0
        self.beat_combo.setCurrentIndex(max(index, 0))

    def _first_enabled_kind(self) -> int:
        model = self.kind_combo.model()
        for i in range(self.kind_combo.count()):
            if not isinstance(model, QStandardItemModel) or model.item(i).isEnabled():
                return i
        return 0

    def _adapt_fields(self, *_args) -> None:
        kind = self._kind()
        self._rows["count"].set_visible(not kind.measured_in_minutes)
        self._rows["minutes"].set_visible(kind.measured_in_minutes)
        self._rows["source"].set_visible(kind is K.INTELLIGENCE)
        self._rows["outcome"].set_visible(kind is K.STOP_SEARCH)

    def _row_chosen(self, current, _previous) -> None:
        self._update_row_buttons()
        row = self.model.entry(current.row()) if current.isValid() else None
        if row is not None:
            self._clear_feedback()
            self._load(row)

    def _update_row_buttons(self, *_args) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.delete_button.setEnabled(chosen)
        self.history_button.setEnabled(chosen or self._editing is not None)

    def _load(self, row: EntryRow) -> None:
        """Put an entry in the form for editing."""
        self._editing = row
        self.reload_button.hide()
        index = self.officer_combo.findData(row.officer_id)
        if index >= 0 and index != self.officer_combo.currentIndex():
            self.officer_combo.blockSignals(True)
            self.officer_combo.setCurrentIndex(index)
            self.officer_combo.blockSignals(False)
        self.officer_combo.setEnabled(False)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(row.kind.value))
        local = to_london(row.occurred_at).replace(second=0, microsecond=0)
        self._loaded_when = local
        self._set_when(local)
        self.count_spin.setValue(row.count)
        self.minutes_spin.setValue(row.minutes or 0)
        self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(row.intel_source.value))
                                          if row.intel_source else 0)
        self.outcome_check.setChecked(bool(row.outcome_linked))
        self.beat_combo.setCurrentIndex(max(0, self.beat_combo.findData(row.beat_id)))
        duty = self.duty_combo.findData(row.duty_id) if row.duty_id is not None else 0
        if duty < 0:
            self.duty_combo.addItem(f"#{row.duty_id}", row.duty_id)
            duty = self.duty_combo.count() - 1
        self.duty_combo.setCurrentIndex(duty)
        self.reference_edit.setText(row.reference or "")
        self.note_edit.setText(row.note)
        self.submit_button.setText(SAVE_TEXT)
        self.list_title.setText(f"Editing entry #{row.id} (version {row.version}) — Esc to stop")
        self._update_row_buttons()

    def _leave_edit(self) -> None:
        self._editing = None
        self._loaded_when = None
        self.officer_combo.setEnabled(True)
        self.submit_button.setText(LOG_TEXT)
        self.reload_button.hide()
        self.table.selectionModel().blockSignals(True)
        self.table.clearSelection()
        self.table.selectionModel().blockSignals(False)
        self._update_row_buttons()

    def _reset_for_next(self) -> None:
        """After a log: officer, kind, date stay for the next one; the item's own details go."""
        self.count_spin.setValue(1)
        self.minutes_spin.setValue(0)
        self.outcome_check.setChecked(False)
        self.reference_edit.setText("")  # setText, not clear(): it also drops the field's own undo
        self.note_edit.setText("")

    def _after_undo_stack(self, _index: int) -> None:
        if self._editing is not None:
            with Session(self.engine) as session:
                row = entry_row(session, self._editing.id)
            if row is None:
                self._leave_edit()
            else:
                self._load(row)
        self.refresh()
        self.changed.emit()

    # ---- feedback -----------------------------------------------------------------------------------
    def _refuse(self, message: str) -> None:
        """Show a refusal beside its field and in the status line; nothing typed is touched."""
        field = field_of(message)
        field = FIELD_ALIASES.get(field, field)
        row = self._rows.get(field)
        if row is not None:
            row.set_visible(True)
            row.error.setText(without_field(message))
            row.error.show()
        self._show_status(message, error=True)

    def _report(self, message: str, error: bool, warnings: tuple[str, ...] = ()) -> None:
        """What an undo or redo did or why the service refused it; a refusal is never swallowed."""
        self._clear_feedback()
        self._show_status(message, error=error)
        self._warn(warnings)

    def _show_status(self, message: str, error: bool) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet(f"color: {ERROR_COLOUR if error else '#333'};")
        self.status_label.setProperty("error", error)
        self.status_label.show()

    def _confirm(self, message: str) -> None:
        self.confirm_label.setText(message)
        self.confirm_label.show()

    def _warn(self, warnings) -> None:
        if warnings:
            self.warning_label.setText("⚠ " + "\n⚠ ".join(w[:1].upper() + w[1:] + "." for w in warnings))
            self.warning_label.show()

    def _clear_feedback(self) -> None:
        for row in self._rows.values():
            row.error.clear()
            row.error.hide()
        for label in (self.status_label, self.confirm_label, self.warning_label):
            label.clear()
            label.hide()
        self.reload_button.setVisible(False)

    # ---- keys ---------------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            else:
                self.submit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z and the redo keys reach the form's undo stack, not a field's own text undo, unless the
        field (reference, note) has typing of its own to undo."""
        if event.type() == QEvent.Type.ShortcutOverride:
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo) or event.keyCombination().toCombined() in (
                QKeySequence("Ctrl+Shift+Z")[0].toCombined(), QKeySequence("Ctrl+Y")[0].toCombined())
            if undo or redo:
                if isinstance(watched, QLineEdit) and watched is not self.officer_combo.lineEdit():
                    local = watched.isUndoAvailable() if undo else watched.isRedoAvailable()
                    if local:
                        return False
                event.ignore()
                return True
        return super().eventFilter(watched, event)


__all__ = ["ActivityForm", "HistoryDialog"]
