"""User accounts for administrators: who may sign in, as whom, in which role; new accounts, password
resets and switching accounts off. The rules are the services' (``beatdesk.services.accounts``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog,
    QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)
from sqlalchemy import Engine, select
from sqlmodel import Session

from beatdesk.models import Officer
from beatdesk.services import accounts
from beatdesk.services.actor import Actor
from beatdesk.services.errors import Conflict, ServiceError

COLUMNS = ("Username", "Name", "Role", "Officer", "State")


class NewAccountDialog(QDialog):
    def __init__(self, engine: Engine, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.account_id: int | None = None
        self.setWindowTitle("New account")
        self.setMinimumWidth(440)
        self.username, self.display_name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for role in accounts.ROLES:
            self.role.addItem(role, role)
        self.officer = QComboBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Name", self.display_name)
        form.addRow("&Role", self.role)
        form.addRow("&Officer", self.officer)
        form.addRow("&Password", self.password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.role.currentIndexChanged.connect(self._load_officers)
        self._load_officers()

    def _load_officers(self) -> None:
        """The officers of the chosen role (an administrator need be none)."""
        role = self.role.currentData()
        self.officer.clear()
        if role == accounts.ADMINISTRATOR:
            self.officer.addItem("(none)", None)
        with Session(self.engine) as session:
            rows = session.execute(select(Officer.id, Officer.collar_number, Officer.name)
                                   .where(Officer.role == role).order_by(Officer.name)).all() \
                if role != accounts.ADMINISTRATOR else []
        for officer_id, collar, name in rows:
            self.officer.addItem(f"{name} ({collar})", officer_id)

    def create(self) -> None:
        try:
            self.account_id = accounts.create_account(
                self.engine, self.actor, self.username.text(), self.display_name.text(), self.password.text(),
                self.role.currentData(), self.officer.currentData(),
            )
        except ServiceError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.adjustSize()
            return
        self.accept()


class AccountsDialog(QDialog):
    def __init__(self, engine: Engine, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine, self.actor = engine, actor
        self.setWindowTitle("User accounts")
        self.resize(760, 420)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        new, reset, toggle = QPushButton("&New account…"), QPushButton("&Reset password…"), QPushButton("Switch &on/off")
        new.clicked.connect(self.new_account)
        reset.clicked.connect(self.reset_password)
        toggle.clicked.connect(self.toggle_active)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (new, reset, toggle):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        current = self.table.currentRow()
        with Session(self.engine) as session:
            self.views = accounts.list_accounts(session, self.actor)
            officers = dict(session.execute(select(Officer.id, Officer.name)).all())
        self.table.setRowCount(len(self.views))
        for row, view in enumerate(self.views):
            cells = (view.username, view.display_name, view.role, officers.get(view.officer_id, "—"),
                     "active" if view.active else "switched off")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not view.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        if 0 <= current < len(self.views):
            self.table.selectRow(current)

    def selected(self):
        row = self.table.currentRow()
        if row < 0 or row >= len(self.views):
            self._say("Select an account first.", error=True)
            return None
        return self.views[row]

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.engine, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self._say(f"Account {dialog.username.text().strip().lower()} created.")

    def reset_password(self) -> None:
        view = self.selected()
        if view is None:
            return
        password, ok = QInputDialog.getText(self, "Reset password", f"New password for {view.username}:",
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return
        again, ok = QInputDialog.getText(self, "Reset password", f"The same password again for {view.username}:",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return
        if again != password:
            self._say("The two passwords differ: nothing was changed.", error=True)
            return
        try:
            accounts.set_password(self.engine, self.actor, view.id, password)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()  # its version moved on
        self._say(f"Password of {view.username} reset.")

    def toggle_active(self) -> None:
        view = self.selected()
        if view is None:
            return
        try:
            accounts.set_active(self.engine, self.actor, view.id, not view.active, view.version)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            if isinstance(exc, Conflict) and QMessageBox.question(
                self, "Reload?", f"{exc}\n\nReload the accounts?") == QMessageBox.StandardButton.Yes:
                self.refresh()
            return
        self.refresh()
        self._say(f"{view.username} {'switched off' if view.active else 'active again'}.")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
