"""The sergeant's tasking board for a day and a team: who is on duty (from duty records), each person's
tasks and the unassigned tasks, with tasks carried in from an earlier day marked.

The widget holds no rules: it reads ``board`` and writes through ``beatdesk.services.tasks`` only, and
shows a refusal in the service's own words, leaving the board as the database has it.

Keys and mouse: drag tasks onto a person (or "Unassigned"); or select tasks and press Ctrl+1..Ctrl+9
(the people in board order) or Ctrl+0 (unassign); or choose in "Assign to" and press Enter or "Assign
selected" (several tasks at once go through ``bulk_assign``, all or none). Enter or a double-click on a
task (or its context menu's "Edit task…") opens it to edit; Ctrl+N new task, Ctrl+D done, Ctrl+Shift+D
not done (each asks for the outcome), F5 reload, Ctrl+P print the briefing.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMenu,
    QMessageBox, QPushButton, QTreeView, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.models import TaskStatus
from beatdesk.services.actor import Actor
from beatdesk.services.briefing import (
    ALL_SHIFTS, SHIFTS, Briefing, TeamChoice, beats_of, briefing_from_board, carried_from_days, short_date,
    team_choices,
)
from beatdesk.services.errors import Conflict, ServiceError
from beatdesk.services.tasks import (
    assign, board, bulk_assign, carry_over, create_from_template, list_templates, set_status,
)
from beatdesk.services.tasks.inputs import Board
from beatdesk.ui.briefing import write_briefing_pdf
from beatdesk.ui.task_dialog import TaskDialog
from beatdesk.ui.tasking_board_model import IS_PERSON, TASK_ID, BoardModel

CONFLICT_TITLE = "Changed by someone else"
REFUSED_TITLE = "Not done"


class TaskingBoard(QWidget):
    """The board; ``show_day(day, beat_ids)`` opens a day and team. ``changed`` fires after every write."""

    changed = Signal()

    def __init__(self, engine: Engine, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.day: date = date.today()
        self.beat_ids: list[int] = []
        self.current: Board | None = None
        self.context_menu: QMenu | None = None
        self.model = BoardModel(self)
        self.model.on_drop = self._dropped

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.team_combo = QComboBox()
        self.team_combo.setMinimumContentsLength(24)
        self.shift_combo = QComboBox()
        self.shift_combo.addItems(list(SHIFTS))
        with Session(engine) as session:
            self.teams: list[TeamChoice] = team_choices(session, actor)
        for team in self.teams:
            self.team_combo.addItem(team.label, list(team.beat_ids))
        top = QHBoxLayout()
        for label, widget in (("&Date", self.date_edit), ("&Team", self.team_combo), ("S&hift", self.shift_combo)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget)
        top.addStretch(1)
        self.summary_label = QLabel()
        top.addWidget(self.summary_label)

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.Fixed, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(0, 70)
        header.resizeSection(6, 170)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.installEventFilter(self)

        self.assign_combo = QComboBox()
        self.assign_combo.setAccessibleName("Assign to")
        self.assign_button = QPushButton("&Assign selected")
        self.new_button = QPushButton("&New task…")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the selected task (Enter, or double-click it)")
        self.template_button = QPushButton("From te&mplate…")
        self.done_button = QPushButton("D&one…")
        self.not_done_button = QPushButton("No&t done…")
        self.carry_button = QPushButton("&Carry over from previous day")
        self.print_button = QPushButton("&Print briefing…")
        actions = QHBoxLayout()
        caption = QLabel("Assign t&o")
        caption.setBuddy(self.assign_combo)
        actions.addWidget(caption)
        actions.addWidget(self.assign_combo)
        actions.addWidget(self.assign_button)
        actions.addSpacing(12)
        for button in (self.new_button, self.edit_button, self.template_button, self.done_button,
                       self.not_done_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.carry_button)
        actions.addWidget(self.print_button)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)

        self.date_edit.dateChanged.connect(self._pickers_changed)
        self.team_combo.currentIndexChanged.connect(self._pickers_changed)
        self.assign_button.clicked.connect(self.assign_selected)
        self.assign_combo.installEventFilter(self)
        self.new_button.clicked.connect(self.new_task)
        self.edit_button.clicked.connect(self.edit_selected)
        self.template_button.clicked.connect(self.from_template)
        self.done_button.clicked.connect(lambda: self.mark(TaskStatus.DONE))
        self.not_done_button.clicked.connect(lambda: self.mark(TaskStatus.NOT_DONE))
        self.carry_button.clicked.connect(self.carry_over_previous)
        self.print_button.clicked.connect(self.print_briefing)
        for n in range(10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=n: self.assign_to_number(n))
        for keys, slot in (("Ctrl+N", self.new_task), ("Ctrl+D", lambda: self.mark(TaskStatus.DONE)),
                           ("Ctrl+Shift+D", lambda: self.mark(TaskStatus.NOT_DONE)), ("F5", self.reload),
                           ("Ctrl+P", self.print_briefing)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        if self.teams:
            self.show_day(date.today(), list(self.teams[0].beat_ids))

    # ---- showing ----

    def show_day(self, day: date, beat_ids: list[int]) -> None:
        """Open the board for ``day`` and the team on ``beat_ids``."""
        self.day, self.beat_ids = day, list(beat_ids)
        for widget in (self.date_edit, self.team_combo):
            widget.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        index = self.team_combo.findData(list(beat_ids))
        if index < 0:
            label = "Beats " + ", ".join(code.split()[0] for _, code in self._beats())
            self.team_combo.addItem(label, list(beat_ids))
            index = self.team_combo.count() - 1
        self.team_combo.setCurrentIndex(index)
        for widget in (self.date_edit, self.team_combo):
            widget.blockSignals(False)
        self.reload()

    def _pickers_changed(self) -> None:
        picked = self.date_edit.date()
        beats = self.team_combo.currentData() or []
        self.show_day(date(picked.year(), picked.month(), picked.day()), beats)

    def _beats(self) -> list[tuple[int, str]]:
        with Session(self.engine) as session:
            return beats_of(session, self.beat_ids)

    def reload(self, keep: list[int] | None = None) -> None:
        """Read the board again from the database, keeping ``keep`` (task ids) selected."""
        keep = self.selected_task_ids() if keep is None else keep
        if not self.beat_ids:
            self.current = None
            self.model.show_board(Board(self.day, (), [], [], []), {})
            return
        try:
            with Session(self.engine) as session:
                self.current = board(session, self.actor, self.day, self.beat_ids)
                every = [t for p in self.current.people for t in p.tasks] + list(self.current.unassigned)
                carried = carried_from_days(session, every)
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
            return
        self.model.show_board(self.current, carried)
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        self.assign_combo.clear()
        for n, person in enumerate(self.current.people, start=1):
            prefix = f"{n}. " if n <= 9 else ""
            self.assign_combo.addItem(f"{prefix}{person.name} ({person.role} {person.collar_number})",
                                      person.officer_id)
        self.assign_combo.addItem("0. Unassigned", None)
        on_duty = sum(p.on_duty for p in self.current.people)
        total = len(every)
        self.summary_label.setText(
            f"{on_duty} on duty · {total} task{'s' if total != 1 else ''} · {len(self.current.unassigned)} unassigned"
            f" · {len(self.current.carried_in)} carried in")
        self._select(keep)

    def _select(self, task_ids: list[int]) -> None:
        selection = self.tree.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for task_id in task_ids:
            index = self.model.task_index(task_id)
            if index.isValid():
                selection.select(index, flags)
                # not the view's setCurrentIndex: with Ctrl held (a Ctrl+n shortcut) it would toggle the row off
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    # ---- selection ----

    def selected_task_ids(self) -> list[int]:
        rows = self.tree.selectionModel().selectedRows(0) if self.tree.selectionModel() else []
        ids = [i.data(TASK_ID) for i in rows if not i.data(IS_PERSON) and i.data(TASK_ID) is not None]
        return list(dict.fromkeys(ids))

    def select_tasks(self, task_ids: list[int]) -> None:
        self._select(task_ids)

    # ---- assigning ----

    def eventFilter(self, watched, event):  # noqa: N802 (Qt)
        enter = event.type() == event.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.assign_combo and enter:
            self.assign_selected()
            return True
        held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
        if watched is self.tree and enter and not event.modifiers() & held:  # keypad Enter too
            current = self.tree.currentIndex()
            if current.isValid() and not current.siblingAtColumn(0).data(IS_PERSON):
                self.edit_task(current.data(TASK_ID))
                return True
        return super().eventFilter(watched, event)

    def assign_to_number(self, n: int) -> None:
        """Ctrl+n: the selected tasks to the n-th person on the board (0: unassign)."""
        if self.current is None:
            return
        if n == 0:
            self.assign_tasks(self.selected_task_ids(), None)
        elif n <= len(self.current.people):
            self.assign_tasks(self.selected_task_ids(), self.current.people[n - 1].officer_id)

    def assign_selected(self) -> None:
        if self.assign_combo.currentIndex() < 0:
            return
        self.assign_tasks(self.selected_task_ids(), self.assign_combo.currentData())

    def _dropped(self, task_ids: list[int], officer_id: int | None) -> None:
        QTimer.singleShot(0, lambda: self.assign_tasks(task_ids, officer_id))

    def assign_tasks(self, task_ids: list[int], officer_id: int | None) -> None:
        """One task: ``assign`` at the version shown; several: ``bulk_assign`` (all or none)."""
        if not task_ids:
            self.status_label.setText("Select one or more tasks first.")
            return
        try:
            if len(task_ids) == 1:
                task = self.model.tasks[task_ids[0]]
                assign(self.engine, self.actor, task.id, officer_id, task.version)
            else:
                bulk_assign(self.engine, self.actor, task_ids, officer_id)
        except Conflict as error:
            QMessageBox.warning(self, CONFLICT_TITLE, f"{error}\n\nThe board has been reloaded.")
            self.reload(task_ids)
            return
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
            self.reload(task_ids)
            return
        who = self._name(officer_id)
        self.status_label.setText(f"{len(task_ids)} task{'s' if len(task_ids) != 1 else ''} assigned to {who}.")
        self.reload(task_ids)
        self.changed.emit()

    def _name(self, officer_id: int | None) -> str:
        if officer_id is None or self.current is None:
            return "nobody (unassigned)"
        return next((p.name for p in self.current.people if p.officer_id == officer_id), f"officer #{officer_id}")

    # ---- creating and editing ----

    def new_task(self) -> None:
        dialog = TaskDialog(self.engine, self.actor, self.day, self._beats(), self)
        if dialog.exec() and dialog.task_id is not None:
            self.status_label.setText(f"Task #{dialog.task_id} created.")
            self.reload([dialog.task_id])
            self.changed.emit()

    def edit_selected(self) -> None:
        ids = self.selected_task_ids()
        if len(ids) != 1:
            self.status_label.setText("Select one task to edit.")
            return
        self.edit_task(ids[0])

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not index.siblingAtColumn(0).data(IS_PERSON) and index.data(TASK_ID) is not None:
            self.edit_task(index.data(TASK_ID))

    def edit_task(self, task_id: int) -> None:
        """Open ``task_id`` in the task dialog; the board is read again however it closes, as someone
        else's change may have been found."""
        try:
            dialog = TaskDialog(self.engine, self.actor, self.day, self._beats(), self, task_id=task_id)
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
            self.reload([task_id])
            return
        accepted = dialog.exec()
        if accepted and dialog.saved:
            self.status_label.setText(f"Task #{task_id} saved.")
            self.changed.emit()
        elif accepted:
            self.status_label.setText(f"Task #{task_id} unchanged.")
        self.reload([task_id])

    def _context_menu(self, pos) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid() or index.siblingAtColumn(0).data(IS_PERSON) or index.data(TASK_ID) is None:
            return
        task_id = index.data(TASK_ID)
        if task_id not in self.selected_task_ids():
            self._select([task_id])
        task = self.model.tasks.get(task_id)
        menu = QMenu(self)
        edit = menu.addAction("View task…" if task and task.status.finished else "Edit task…")
        edit.triggered.connect(lambda: self.edit_task(task_id))
        menu.addSeparator()
        menu.addAction("Done…", lambda: self.mark(TaskStatus.DONE))
        menu.addAction("Not done…", lambda: self.mark(TaskStatus.NOT_DONE))
        self.context_menu = menu  # kept for tests
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def from_template(self) -> None:
        with Session(self.engine) as session:
            templates = list_templates(session, self.actor)
        if not templates:
            QMessageBox.information(self, "No templates", "There are no task templates yet.")
            return
        names = [f"{t.name} ({t.type.label}, {t.window_start:%H:%M}–{t.window_end:%H:%M})" for t in templates]
        choice, ok = QInputDialog.getItem(self, "From template", "Template:", names, 0, False)
        if not ok:
            return
        template = templates[names.index(choice)]
        beat_id = template.beat_id if template.beat_id in self.beat_ids else None
        if beat_id is None:
            beats = self._beats()
            labels = [label for _, label in beats]
            picked, ok = QInputDialog.getItem(self, "From template", "Beat:", labels, 0, False)
            if not ok:
                return
            beat_id = beats[labels.index(picked)][0]
        try:
            task_id = create_from_template(self.engine, self.actor, template.id, self.day, beat_id)
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
            return
        self.status_label.setText(f"Task #{task_id} created from {template.name!r}.")
        self.reload([task_id])
        self.changed.emit()

    # ---- progress ----

    def mark(self, status: TaskStatus) -> None:
        """Mark the selected task done or not done, with an outcome asked for."""
        ids = self.selected_task_ids()
        if len(ids) != 1:
            self.status_label.setText("Select one task to mark.")
            return
        task = self.model.tasks[ids[0]]
        outcome, ok = QInputDialog.getText(self, f"Mark {status.value}", f"Outcome of task #{task.id}:",
                                           text=task.outcome)
        if not ok:
            return
        try:
            set_status(self.engine, self.actor, task.id, status, outcome, task.version)
        except Conflict as error:
            QMessageBox.warning(self, CONFLICT_TITLE, f"{error}\n\nThe board has been reloaded.")
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
        else:
            self.status_label.setText(f"Task #{task.id} marked {status.value}.")
            self.changed.emit()
        self.reload(ids)

    def carry_over_previous(self) -> None:
        previous = self.day - timedelta(days=1)
        try:
            pairs = carry_over(self.engine, self.actor, previous, self.day, self.beat_ids)
        except ServiceError as error:
            QMessageBox.warning(self, REFUSED_TITLE, str(error))
            return
        n = len(pairs)
        self.status_label.setText(
            f"{n} unfinished task{'s' if n != 1 else ''} carried over from {short_date(previous)}."
            if n else f"Nothing left to carry over from {short_date(previous)}.")
        self.reload([new for _, new in pairs])
        if n:
            self.changed.emit()

    # ---- briefing ----

    def briefing(self, shift: str | None = None) -> Briefing:
        shift = shift or self.shift_combo.currentText() or ALL_SHIFTS
        with Session(self.engine) as session:
            data = board(session, self.actor, self.day, self.beat_ids)
            return briefing_from_board(session, data, shift, self.team_combo.currentText())

    def print_briefing(self) -> None:
        if not self.beat_ids:
            return
        suggested = f"briefing-{self.day.isoformat()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Print briefing to PDF", suggested, "PDF (*.pdf)")
        if not path:
            return
        try:
            write_briefing_pdf(path, self.briefing())
        except (OSError, ServiceError) as error:
            QMessageBox.warning(self, "Briefing not printed", str(error))
            return
        self.status_label.setText(f"Briefing written to {path}.")
