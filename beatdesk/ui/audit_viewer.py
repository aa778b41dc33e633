"""The audit trail viewer for inspectors and administrators: filters, newest first, details, and the
chain check. What it shows comes from ``beatdesk.services.audit_view`` and ``audit.verify``."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine
from sqlmodel import Session

from beatdesk.services import audit
from beatdesk.services.actor import Actor
from beatdesk.services.audit_view import AuditFilter, AuditRow, choices, query
from beatdesk.services.errors import ServiceError

COLUMNS = ("#", "When (London)", "Who", "Action", "Record", "Detail")
ANY = "(any)"


class AuditModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow], append: bool = False) -> None:
        if append:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
            return
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.seq), row.when, row.actor, row.action, row.what, row.summary)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row.detail_text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AuditViewer(QWidget):
    def __init__(self, engine: Engine, actor: Actor, parent=None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.setObjectName("auditViewer")
        self.who = QLineEdit()
        self.who.setPlaceholderText("who (part of a name)")
        self.who.setClearButtonEnabled(True)
        self.action = QComboBox()
        self.entity = QComboBox()
        self.use_dates = QCheckBox("&Between")
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addDays(-28)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.since.setEnabled)
        self.use_dates.toggled.connect(self.until.setEnabled)
        apply = QPushButton("&Show")
        apply.setDefault(True)
        apply.clicked.connect(self.refresh)
        self.who.returnPressed.connect(self.refresh)
        self.verify_button = QPushButton("&Verify chain")
        self.verify_button.clicked.connect(self.verify)

        filters = QHBoxLayout()
        filters.addWidget(self.who, 2)
        filters.addWidget(QLabel("Action"))
        filters.addWidget(self.action, 1)
        filters.addWidget(QLabel("Record"))
        filters.addWidget(self.entity, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("and"))
        filters.addWidget(self.until)
        filters.addWidget(apply)
        filters.addWidget(self.verify_button)

        self.model = AuditModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select an entry to see everything it recorded.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        self.more_button = QPushButton("Load &more")
        self.more_button.clicked.connect(self.load_more)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._total = 0
        self._load_choices()
        self.refresh()

    def _load_choices(self) -> None:
        with Session(self.engine) as session:
            actions, entities = choices(session, self.actor)
        for combo, values in ((self.action, actions), (self.entity, entities)):
            current = combo.currentData()
            combo.clear()
            combo.addItem(ANY, "")
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def current_filter(self) -> AuditFilter:
        dates = self.use_dates.isChecked()
        return AuditFilter(
            who=self.who.text(), action=self.action.currentData() or "", entity=self.entity.currentData() or "",
            since=self.since.date().toPython() if dates else None, until=self.until.date().toPython() if dates else None,
        )

    def refresh(self) -> None:
        self._load(append=False)

    def load_more(self) -> None:
        self._load(append=True)

    def _load(self, append: bool) -> None:
        try:
            with Session(self.engine) as session:
                before = self.model.rows[-1].seq if append and self.model.rows else None
                page = query(session, self.actor, self.current_filter(), before=before)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return
        self.model.set_rows(list(page.rows), append=append)
        self._total = page.total
        self.more_button.setEnabled(page.more)
        shown = len(self.model.rows)
        self._say(f"{shown:,} of {page.total:,} entries shown, newest first." if page.total else
                  "No audit entries match these filters.")

    def verify(self) -> None:
        with Session(self.engine) as session:
            report = audit.verify(session)
        self._say("\n".join(report.lines()), error=not report.intact)

    def _show_detail(self, current: QModelIndex, _previous=None) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        row = self.model.rows[current.row()]
        self.detail.setPlainText(f"#{row.seq} · {row.when} · {row.actor} · {row.action} · {row.what}\n\n"
                                 f"{row.detail_text}")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
